package kmstrail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file classifies each complete value the Reader finds: a record, an
// envelope of records (EventBridge, CloudWatch Logs, LookupEvents output,
// SNS, CloudTrail Lake results), a notice that holds no records, or
// something that is not a record.

// A value is a JSON value being classified: valid text, the text as read,
// and how to find positions in the input.
type value struct {
	orig, valid []byte
	loc         *jsonscan.Locator
	seed        []Diagnostic // repairs and other diagnostics found so far
	dups        []jsonscan.Dup
	elided      int             // diagnostics found while scanning, beyond MaxDiagnostics
	pointer     string          // the value's JSON Pointer in the input's value
	tape        []jsonscan.Slot // the scanner's map of valid (nil if repaired)
}

// maxNesting bounds envelopes inside envelopes (SNS inside SQS ...),
// Lambda's CloudWatch Logs payloads included: each is read by a Reader of
// its own, and 1,000 payloads nested in 1.3 MB of input took 1 GB.
const maxNesting = 4

// dispatch classifies a value and queues what it holds.
func (r *readState) dispatch(v *value, format Format, depth int) {
	if r.nesting+depth > maxNesting {
		r.notRecord(v, "envelopes nested too deeply")
		return
	}
	switch v.valid[0] {
	case '{':
	case '"':
		r.embedded(v, v.valid, 0, format, depth)
		return
	default:
		r.notRecord(v, "a JSON "+kindName(v.valid[0])+" is not a CloudTrail record")
		return
	}
	if first := firstMemberName(v.valid); coreMembers[string(first)] && string(first) != "requestParameters" {
		r.record(v, format)
		return
	}
	n := newNode(v.valid)
	names := n.names()
	switch {
	case names["detail-type"] && names["detail"]:
		r.eventBridge(v, n, depth)
	case names["awslogs"]:
		r.awsLogs(v, n, depth)
	case names["messageType"] && names["logEvents"]:
		r.logEvents(v, n, depth)
	case names["Events"]:
		r.lookupEvents(v, n, depth)
	case names["QueryResultRows"]:
		r.lakeRows(v, n)
	case names["_raw"]:
		m, _ := n.member("_raw")
		r.embeddedNode(v, m, FormatEmbedded, depth)
	case names["digestS3Object"] || (names["logFiles"] && names["digestStartTime"]):
		r.noticeAt(v, 0, "CloudTrail digest file (log file validation)")
	case names["Type"] && (names["Message"] || names["TopicArn"]):
		r.sns(v, n, depth)
	case names["s3Bucket"] && names["s3ObjectKey"]:
		r.noticeAt(v, 0, "CloudTrail log delivery notification (names log files, holds no records)")
	case names["Event"] && names["Service"]:
		r.noticeAt(v, 0, "S3 test event notification")
	case names["Records"]:
		r.recordsInMemory(v, n, depth)
	case names["CloudTrailEvent"]:
		// An event of LookupEvents output on its own, as jq -c '.Events[]'
		// writes them.
		r.lookupEvent(v, n, "", depth)
	case looksLikeRecordNames(names):
		r.record(v, format)
	default:
		if least := n.leastNames(6); len(least) > 0 {
			r.notRecord(v, "an object with members "+strings.Join(least, ", ")+" is not a CloudTrail record")
		} else {
			r.notRecord(v, "an empty object is not a CloudTrail record")
		}
	}
}

// firstMemberName returns the first member name of a valid JSON object,
// when it has no escapes, without copying the object.
func firstMemberName(obj []byte) []byte {
	i := 1
	for i < len(obj) && jsonscan.IsSpace(obj[i]) {
		i++
	}
	if i >= len(obj) || obj[i] != '"' {
		return nil
	}
	end := bytes.IndexByte(obj[i+1:], '"')
	if end < 0 || bytes.IndexByte(obj[i+1:i+1+end], '\\') >= 0 {
		return nil
	}
	return obj[i+1 : i+1+end]
}

// looksLikeRecordNames reports whether member names include one of the
// record's core members.
func looksLikeRecordNames(names map[string]bool) bool {
	for k := range names {
		if coreMembers[k] {
			return true
		}
	}
	return false
}

// kindName names the kind of JSON value that starts with c.
func kindName(c byte) string {
	switch c {
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// notRecord queues an ErrNotRecord error for a value, counted as a failed
// record.
func (r *readState) notRecord(v *value, msg string) {
	off, line, col := v.loc.Position(0)
	r.queue = append(r.queue, result{err: &Error{Path: r.Path, Record: r.records, Offset: off, Line: line,
		Column: col, Pointer: v.pointer, Err: errorf(ErrNotRecord, msg)}})
	r.records++
}

// noticeAt queues an ErrNoRecords notice about the value at off.
func (r *readState) noticeAt(v *value, off int, what string) {
	o, line, col := v.loc.Position(off)
	r.queue = append(r.queue, result{err: &Error{Path: r.Path, Record: -1, Offset: o, Line: line, Column: col,
		Err: errorf(ErrNoRecords, what)}})
}

// sub returns the value of the span [a, b) of v.
func (v *value) sub(a, b int, ptr string) *value {
	loc := v.loc.Sub(a, b)
	s := &value{valid: v.valid[a:b], loc: loc, orig: loc.Orig, pointer: v.pointer + ptr}
	if loc.Fixed {
		s.orig = v.valid[a:b]
	}
	// Diagnostics found while scanning the envelope go with the records
	// inside the part of it they concern.
	for _, d := range v.seed {
		if rest, ok := under(d.Pointer, ptr); ok {
			d.Pointer = rest
			s.seed = append(s.seed, d)
		}
	}
	for _, d := range v.dups {
		if rest, ok := under(d.Pointer, ptr); ok {
			s.dups = append(s.dups, jsonscan.Dup{Pointer: rest, Off: d.Off - a})
		}
	}
	// Those left out (elided) followed the last ones listed, in document
	// order: they go with the part holding that one.
	if _, ok := under(lastPointer(v), ptr); ok && v.elided > 0 {
		s.elided = v.elided
	}
	s.tape = jsonscan.SubTape(v.tape, a, b)
	return s
}

// under reports whether JSON Pointer p is ptr or inside it, and returns the
// rest of p: "/Records/30/x" is not inside "/Records/3", whose record once
// took the diagnostics of records 30 to 39.
func under(p, ptr string) (string, bool) {
	rest, ok := strings.CutPrefix(p, ptr)
	return rest, ok && (rest == "" || rest[0] == '/')
}

// innerScanner returns a scanner of rd with the Reader's limits, for a
// record (or envelope) inside a JSON string at nesting depth: one per depth,
// reused, since what it maps is in use until that depth's value is done.
// A scanner for each string allocated a 64 KiB buffer for each of an
// envelope's records.
func (r *readState) innerScanner(depth int, rd io.Reader) *jsonscan.Scanner {
	for len(r.inner) <= depth {
		r.inner = append(r.inner, new(jsonscan.Scanner))
	}
	s := r.inner[depth]
	s.Reset(rd, r.lim.scan(r.Repair))
	return s
}

// named returns v's text under another pointer, for a string inside it that
// holds a record: embedded takes, of v's diagnostics, those inside the
// string. It shares v's locator, which counts positions on from the last it
// gave: a locator of its own for each of an envelope's records counted each
// from the envelope's start, and 150,000 log events took 16 s.
func (v *value) named(ptr string) *value {
	return &value{orig: v.orig, valid: v.valid, loc: v.loc, pointer: ptr, seed: v.seed}
}

// lastPointer returns the pointer of v's last repair or duplicate, in
// document order.
func lastPointer(v *value) string {
	var last string
	lastOff := -1
	if n := len(v.dups); n > 0 {
		last, lastOff = v.dups[n-1].Pointer, v.dups[n-1].Off
	}
	if n := len(v.seed); n > 0 && int(v.seed[n-1].Offset-v.loc.Start) > lastOff {
		last = v.seed[n-1].Pointer
	}
	return last
}

// notificationSource returns the eventSource of an S3, SNS or SQS event
// notification ("aws:s3", ...), whose records look like CloudTrail's but
// begin with an eventVersion of 2.x or 1.0 with an eventSource of aws:*,
// or "" for anything else. It reads little of a CloudTrail record.
func notificationSource(obj []byte) string {
	first := firstMemberName(obj)
	switch string(first) {
	case "eventVersion", "EventVersion", "eventSource", "EventSource":
	default:
		return ""
	}
	i := bytes.IndexByte(obj, ':')
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(obj[i+1:], " \t\r\n")
	if !bytes.HasPrefix(rest, []byte(`"2.`)) && !bytes.HasPrefix(rest, []byte(`"aws:`)) && !bytes.HasPrefix(rest, []byte(`"1.0"`)) {
		return ""
	}
	for _, name := range []string{"eventSource", "EventSource"} {
		if src := stringMember(obj, name); strings.HasPrefix(src, "aws:") {
			return src
		}
	}
	return ""
}

// node gives access to the parts of a valid JSON value.
type node struct {
	d        *decoder
	off, end int
}

func newNode(valid []byte) node {
	d := &decoder{data: string(valid), raw: valid}
	return node{d: d, off: 0, end: len(valid)}
}

// kind returns the value's first byte.
func (n node) kind() byte { return n.d.data[n.off] }

// each calls fn for each member of an object, with the member's value.
func (n node) each(fn func(name string, v node)) {
	d := n.d
	d.pos = n.off
	d.members(func(name string, _ int) {
		s, e := d.skipValue()
		pos := d.pos
		fn(name, node{d: d, off: s, end: e})
		d.pos = pos
	})
}

// names returns which of the names that classify objects (classifying) an
// object has: only those, so that classifying an object of a million
// members takes no more memory than one of ten.
func (n node) names() map[string]bool {
	m := map[string]bool{}
	n.each(func(name string, _ node) {
		if classifying[name] {
			m[name] = true
		}
	})
	return m
}

// classifying are the member names dispatch and looksLikeItem tell objects
// apart by: coreMembers and the members of the envelopes and of the things
// that are not records. TestClassifyingNames checks that it lists every
// name they test.
var classifying = func() map[string]bool {
	m := maps.Clone(coreMembers)
	for _, name := range []string{"detail-type", "detail", "awslogs", "messageType", "logEvents", "Events",
		"QueryResultRows", "_raw", "digestS3Object", "logFiles", "digestStartTime", "Type", "Message", "TopicArn",
		"s3Bucket", "s3ObjectKey", "Event", "Service", "Records", "CloudTrailEvent"} {
		m[name] = true
	}
	return m
}()

// leastNames returns an object's first k member names in sorted order, and
// "..." after them if it has more.
func (n node) leastNames(k int) []string {
	var least []string // sorted, at most k+1
	n.each(func(name string, _ node) {
		if i, found := slices.BinarySearch(least, name); !found && i <= k {
			least = slices.Insert(least, i, name)[:min(len(least)+1, k+1)]
		}
	})
	if len(least) > k {
		least = append(least[:k], "...")
	}
	return least
}

// member returns an object's member.
func (n node) member(name string) (node, bool) {
	var out node
	found := false
	n.each(func(k string, v node) {
		if k == name && !found {
			out, found = v, true
		}
	})
	return out, found
}

// elems calls fn for each element of an array.
func (n node) elems(fn func(i int, v node)) {
	d := n.d
	d.pos = n.off
	d.elements(func(i int) {
		s, e := d.skipValue()
		pos := d.pos
		fn(i, node{d: d, off: s, end: e})
		d.pos = pos
	})
}

// str returns a string value's contents.
func (n node) str() string {
	n.d.pos = n.off
	return n.d.readString()
}

// eventBridge queues the record in an EventBridge event's detail.
func (r *readState) eventBridge(v *value, n node, depth int) {
	detail, _ := n.member("detail")
	if detail.kind() != '{' || !looksLikeRecord(v.valid[detail.off:detail.end]) {
		dt := ""
		if m, ok := n.member("detail-type"); ok && m.kind() == '"' {
			dt = m.str()
		}
		r.noticeAt(v, detail.off, fmt.Sprintf("EventBridge event of detail-type %q carries no CloudTrail record", dt))
		return
	}
	r.record(v.sub(detail.off, detail.end, "/detail"), FormatEventBridge)
}

// embeddedNode decodes the record in a string member.
func (r *readState) embeddedNode(v *value, n node, format Format, depth int) {
	if n.kind() != '"' {
		r.notRecord(v.sub(n.off, n.end, ""), "want a string holding a record, found a JSON "+kindName(n.kind()))
		return
	}
	r.embedded(v, v.valid[n.off:n.end], n.off, format, depth)
}

// embedded decodes the record (or envelope) held in a JSON string: quoted is
// the string as written, at offset off of v.
func (r *readState) embedded(v *value, quoted []byte, off int, format Format, depth int) {
	text, err := unquoteJSON(quoted)
	if err != nil {
		r.notRecord(v, "string is not valid")
		return
	}
	if t := strings.TrimSpace(text); t == "" || t[0] != '{' && t[0] != '[' {
		r.notRecord(v, "a JSON string that holds no JSON object is not a CloudTrail record")
		return
	}
	o, line, col := v.loc.Position(off)
	loc := &jsonscan.Locator{Start: o, Line: line, Col: col, Fixed: true}
	inner := r.innerScanner(depth, strings.NewReader(text))
	sc, err := inner.ScanValue()
	if err == nil {
		if c, ok, _ := inner.SkipSpace(); ok {
			err = inner.Fault(jsonscan.Syntax, "invalid character %s after the embedded record", jsonscan.Describe(c))
		}
	}
	if err == nil && sc.Fault != nil {
		err = faultCause(sc.Fault)
	}
	if err != nil {
		if err == io.EOF {
			err = errorf(ErrNotRecord, "empty string")
		}
		var f *jsonscan.Fault
		if errors.As(err, &f) {
			err = fmt.Errorf("%w (at %d:%d of the embedded text)", faultCause(f), f.Line, f.Col)
		}
		r.queue = append(r.queue, result{err: &Error{Path: r.Path, Record: r.records, Offset: o, Line: line,
			Column: col, Pointer: v.pointer, Err: err}})
		r.records++
		return
	}
	raw := bytes.Clone(sc.Raw) // the value, without the text's surrounding space
	iv := &value{orig: raw, valid: raw, loc: loc, dups: sc.Dups, elided: sc.Elided, pointer: v.pointer}
	if len(sc.Edits) == 0 {
		iv.tape = sc.Tape
	}
	if len(v.seed) > 0 && !v.loc.Fixed {
		// The repairs made in the string as written (an invalid byte, say)
		// go with its record, which was otherwise repaired unreported.
		end, _, _ := v.loc.Position(off + len(quoted))
		for _, d := range v.seed {
			if d.Offset >= o && d.Offset < end {
				d.Pointer = ""
				iv.seed = append(iv.seed, d)
			}
		}
	}
	for i := range sc.Repairs {
		d := repairDiagnostic(&sc.Repairs[i])
		d.Offset, d.Line, d.Column = o, line, col
		iv.seed = append(iv.seed, d)
	}
	if len(sc.Edits) > 0 {
		iv.valid = jsonscan.ApplyEdits(raw, sc.Edits)
	}
	r.dispatch(iv, format, depth+1)
}

// pendingWork is what next goes on with before it reads further: the rest
// of an envelope read whole.
type pendingWork interface {
	// more queues what the next part holds (or pushes work of its own),
	// and reports false, having done nothing, once there is no more.
	more(r *readState) bool
}

// An arrayWalk goes through an array of an envelope read whole, an element
// per call of more, calling each with the element. Envelopes hold their
// records in such arrays; handling all the elements at once queued a job
// for each record, and 200,000 small records in one envelope took 300 MB.
// The envelope's text and tape must stay in place until the walk is done:
// they are in a scanner's buffers (the Reader's, or an innerScanner's), and
// next reads nothing, and the walk's elements use only deeper scanners,
// until then.
type arrayWalk struct {
	arr  node
	pos  int // where the next element, or the ',' before it, is
	i    int // the next element's index
	each func(i int, e node)
}

// walk pushes a walk of arr, to be gone through by next.
func (r *readState) walk(arr node, each func(i int, e node)) {
	r.work = append(r.work, &arrayWalk{arr: arr, each: each})
}

// more calls each with the next element, if there is one.
func (w *arrayWalk) more(*readState) bool {
	d := w.arr.d
	if w.i == 0 {
		d.pos = w.arr.off
		d.ws()
		d.pos++ // '['
	} else {
		d.pos = w.pos
	}
	if d.peek() == ']' {
		return false
	}
	if d.data[d.pos] == ',' {
		d.pos++
		d.ws()
	}
	s, e := d.skipValue()
	w.pos = d.pos
	w.each(w.i, node{d: d, off: s, end: e})
	w.i++
	return true
}

// awsLogs decodes a CloudWatch Logs subscription payload as Lambda receives
// it: {"awslogs":{"data":"<base64 of gzip>"}}.
func (r *readState) awsLogs(v *value, n node, depth int) {
	al, _ := n.member("awslogs")
	var data node
	ok := al.kind() == '{'
	if ok {
		data, ok = al.member("data")
	}
	if !ok || data.kind() != '"' {
		r.notRecord(v, "awslogs holds no data string")
		return
	}
	p := &lambdaPayload{}
	p.off, p.line, p.col = v.loc.Position(data.off)
	compressed, err := base64.StdEncoding.DecodeString(data.str())
	if err != nil {
		r.lambdaFault(p, errorf(ErrSyntax, "awslogs.data is not base64: "+err.Error()))
		return
	}
	// The payload's decoded size is bounded like any envelope read whole.
	p.r = &Reader{src: bytes.NewReader(compressed), Repair: r.Repair, Path: r.Path, lim: r.lim.payload(),
		nesting: r.nesting + depth + 1, payloadOf: r.payloads()}
	// Its records are read a batch at a time, by next, rather than all
	// decoded and queued at once.
	r.work = append(r.work, p)
}

// payloads returns the budget the input's Lambda payloads decode within:
// the one this Reader's input counts against, if it is a payload itself.
func (r *readState) payloads() *payloadBudget {
	if r.payloadOf != nil {
		return r.payloadOf
	}
	if r.budget == nil {
		r.budget = &payloadBudget{raw: r.raw, maxRatio: int64(r.lim.compressionRatio)}
	}
	return r.budget
}

// A lambdaPayload is the decoded awslogs.data of a CloudWatch Logs event as
// Lambda receives it, being read by a Reader of its own; off, line and col
// locate the data string.
type lambdaPayload struct {
	r         *Reader
	off       int64
	line, col int
}

// more queues the payload's next record or error, and reports whether it
// had one.
func (p *lambdaPayload) more(r *readState) bool {
	ev, err := p.r.Next()
	switch {
	case err == io.EOF:
		return false
	case err != nil:
		var e *Error
		switch {
		case errors.As(err, &e) && errors.Is(err, ErrNoRecords):
			r.queue = append(r.queue, result{err: &Error{Path: r.Path, Record: -1, Offset: p.off, Line: p.line,
				Column: p.col, Pointer: "/awslogs/data", Err: e.Err}})
		case errors.As(err, &e):
			// Positioned in the decoded payload; the sentinel is kept.
			r.lambdaFault(p, fmt.Errorf("in the decoded awslogs.data at %d:%d: %w", e.Line, e.Column, e.Err))
		default:
			r.lambdaFault(p, err)
		}
		return true // after an error that ends the payload, its Reader returns io.EOF
	}
	ev.Source = Source{Path: r.Path, Record: r.records, Offset: p.off, Line: p.line, Column: p.col, Format: FormatCloudWatchLogs}
	r.records++
	r.queue = append(r.queue, result{ev: ev})
	return true
}

// lambdaFault queues an error of the payload, or of its data string, as a
// failed record.
func (r *readState) lambdaFault(p *lambdaPayload, err error) {
	r.queue = append(r.queue, result{err: &Error{Path: r.Path, Record: r.records, Offset: p.off, Line: p.line,
		Column: p.col, Pointer: "/awslogs/data", Err: err}})
	r.records++
}

// logEvents decodes a CloudWatch Logs subscription payload: each log event's
// message is a record.
func (r *readState) logEvents(v *value, n node, depth int) {
	if mt, ok := n.member("messageType"); ok && mt.kind() == '"' && mt.str() == "CONTROL_MESSAGE" {
		r.noticeAt(v, 0, "CloudWatch Logs control message")
		return
	}
	events, _ := n.member("logEvents")
	if events.kind() != '[' {
		r.notRecord(v, "logEvents is not an array")
		return
	}
	r.walk(events, func(i int, e node) {
		ptr := fmt.Sprintf("/logEvents/%d", i)
		if e.kind() != '{' {
			r.notRecord(v.sub(e.off, e.end, ptr), "a log event must be an object")
			return
		}
		msg, ok := e.member("message")
		if !ok {
			r.notRecord(v.sub(e.off, e.end, ptr), "log event has no message")
			return
		}
		r.embeddedNode(v.named(ptr+"/message"), msg, FormatCloudWatchLogs, depth)
	})
}

// lookupEvents decodes LookupEvents output: each event's CloudTrailEvent
// string is a record (an element that is itself a record is taken as one).
func (r *readState) lookupEvents(v *value, n node, depth int) {
	events, _ := n.member("Events")
	if events.kind() != '[' {
		r.notRecord(v, "Events is not an array")
		return
	}
	r.walk(events, func(i int, e node) { r.lookupEvent(v, e, fmt.Sprintf("/Events/%d", i), depth) })
}

// lookupEvent decodes the element e of v, at pointer ptr, of LookupEvents
// output's Events array (read whole, or streamed by the Reader).
func (r *readState) lookupEvent(v *value, e node, ptr string, depth int) {
	if e.kind() != '{' {
		r.notRecord(v.sub(e.off, e.end, ptr), "a LookupEvents event must be an object")
		return
	}
	if cte, ok := e.member("CloudTrailEvent"); ok {
		r.embeddedNode(v.named(ptr+"/CloudTrailEvent"), cte, FormatLookupEvents, depth)
		return
	}
	r.record(v.sub(e.off, e.end, ptr), FormatLookupEvents)
}

// recordsInMemory handles a {"Records":[...]} object read whole (its
// Records member was not first): a log file, or event notifications.
func (r *readState) recordsInMemory(v *value, n node, depth int) {
	recs, _ := n.member("Records")
	if recs.kind() != '[' {
		r.notRecord(v, "Records is not an array")
		return
	}
	r.walk(recs, func(i int, e node) {
		ptr := fmt.Sprintf("/Records/%d", i)
		sv := v.sub(e.off, e.end, ptr)
		if e.kind() == '{' {
			// Lambda's SNS and SQS envelopes hold a message to look into.
			if sns, ok := e.member("Sns"); ok && sns.kind() == '{' {
				r.sns(v, sns, depth+1)
				return
			}
			if body, ok := e.member("body"); ok && body.kind() == '"' {
				r.embeddedNode(sv, body, FormatEmbedded, depth)
				return
			}
		}
		r.dispatch(sv, FormatLogFile, depth+1)
	})
}

// sns handles an SNS notification: its Message may hold a CloudTrail
// notification, the validation message, or an event to look into.
func (r *readState) sns(v *value, n node, depth int) {
	if t, ok := n.member("Type"); ok && t.kind() == '"' && t.str() != "Notification" {
		r.noticeAt(v, n.off, "SNS "+t.str()+" message")
		return
	}
	msg, ok := n.member("Message")
	if !ok || msg.kind() != '"' {
		r.noticeAt(v, n.off, "SNS message without a Message")
		return
	}
	text := msg.str()
	if strings.TrimSpace(text) == "CloudTrail validation message." {
		r.noticeAt(v, msg.off, "CloudTrail validation message (sent when an SNS topic is set up)")
		return
	}
	if t := strings.TrimSpace(text); t == "" || (t[0] != '{' && t[0] != '[') {
		r.noticeAt(v, msg.off, "SNS message that is not JSON")
		return
	}
	r.embedded(v, v.valid[msg.off:msg.end], msg.off, FormatEmbedded, depth)
}

// lakeRows decodes a CloudTrail Lake GetQueryResults response: each row is
// a list of single-column objects.
func (r *readState) lakeRows(v *value, n node) {
	rows, _ := n.member("QueryResultRows")
	if rows.kind() != '[' {
		r.notRecord(v, "QueryResultRows is not an array")
		return
	}
	r.walk(rows, func(i int, row node) { r.lakeRow(v, row, fmt.Sprintf("/QueryResultRows/%d", i)) })
}

// lakeRow decodes the row of v at pointer ptr of Lake results' rows (read
// whole, or streamed by the Reader): a list of single-column objects.
func (r *readState) lakeRow(v *value, row node, ptr string) {
	cells := map[string]string{}
	if row.kind() == '[' {
		row.elems(func(_ int, cell node) {
			if cell.kind() == '{' {
				cell.each(func(k string, val node) {
					if val.kind() == '"' {
						cells[k] = val.str()
					}
				})
			}
		})
	}
	off, line, col := v.loc.Position(row.off)
	ev, err := lakeEvent(cells, r.lim, r.Repair)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Path, e.Record, e.Offset, e.Line, e.Column = r.Path, r.records, off, line, col
			e.Pointer = ptr
		}
		r.queue = append(r.queue, result{err: err})
		r.records++
		return
	}
	ev.Source = Source{Path: r.Path, Record: r.records, Offset: off, Line: line, Column: col, Format: FormatLake}
	r.records++
	r.queue = append(r.queue, result{ev: ev})
}

// looksLikeRecord reports whether a valid JSON object has at least two of
// the members every CloudTrail record has.
func looksLikeRecord(obj []byte) bool {
	if len(obj) == 0 || obj[0] != '{' {
		return false
	}
	n := 0
	d := &decoder{data: string(obj), raw: obj}
	d.members(func(name string, _ int) {
		if coreMembers[name] {
			n++
		}
		d.skipValue()
	})
	return n >= 2
}

// looksLikeItem reports whether a valid JSON object is a record or an
// envelope of records, for resynchronising after damage.
func looksLikeItem(obj []byte) bool {
	if looksLikeRecord(obj) {
		return true
	}
	if len(obj) == 0 || obj[0] != '{' {
		return false
	}
	names := newNode(obj).names()
	return names["detail-type"] && names["detail"] || names["logEvents"] || names["awslogs"] || names["Events"] ||
		names["CloudTrailEvent"]
}

// coreMembers are envelope members whose presence marks a CloudTrail record.
var coreMembers = map[string]bool{
	"eventVersion": true, "eventTime": true, "eventSource": true, "eventName": true,
	"eventID": true, "eventType": true, "userIdentity": true, "awsRegion": true,
	"recipientAccountId": true, "requestParameters": true,
}
