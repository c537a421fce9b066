package kmstrail

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file says what each value the Reader finds is: a record, an
// envelope of records (EventBridge, CloudWatch Logs, LookupEvents output,
// SNS, CloudTrail Lake results), a notice that holds no records, or
// something that is not a record. Classifying returns a finding; the
// reading side acts on it (see readState.act).

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
	// owned: orig and valid are the reading side's own, the whole text
	// of a string that held the record, to hand over to its Event.
	owned bool
}

// maxNesting bounds envelopes inside envelopes (SNS inside SQS ...),
// Lambda's CloudWatch Logs payloads included: each is read by a Reader of
// its own, and 1,000 payloads nested in 1.3 MB of input took 1 GB.
const maxNesting = 4

// A finding is what classifying a value found, for the reading side to act
// on (see readState.act): a record, a notice, a value that is not a record,
// or something to read on into: a value to classify in turn, a string
// holding one, an array of an envelope's items, a Lambda payload, a Lake
// row.
type finding struct {
	kind   findingKind
	v      *value // the value the finding concerns, or holds n
	n      node   // foundText: the string; foundArray: the array; foundPayload: the data string; foundLakeRow: the row
	at     int    // foundNotice: the offset in v of what it concerns
	msg    string // foundNotice, foundNotRecord: what it is, in words
	format Format // foundRecord, foundValue, foundText: the form of delivery of the records in it
	elem   elemKind
	ptr    string // foundText: the JSON Pointer of the value in n; foundLakeRow: the row's
	depth  int    // envelopes around v (see maxNesting)

	// foundPayloadResult: what a payload's Reader returned.
	payload *lambdaPayload
	ev      *Event
	err     error
}

type findingKind uint8

const (
	foundRecord        findingKind = iota + 1 // v is a record
	foundNotice                               // v holds no records
	foundNotRecord                            // v is not a record
	foundValue                                // v is an item of an envelope, to classify at depth
	foundText                                 // n, a string in v, holds a value to read and classify
	foundArray                                // n, an array in v, holds items: elem says what each is
	foundPayload                              // n, a string in v, is a Lambda payload (base64 of gzip)
	foundLakeRow                              // n, in v, is a row of CloudTrail Lake results
	foundPayloadResult                        // a record or an error of a Lambda payload
)

// An elemKind says what the elements of an envelope's array are.
type elemKind uint8

const (
	elemLogRecord   elemKind = iota + 1 // Records: a record, or an SNS or SQS message to look into
	elemLogEvent                        // logEvents: a CloudWatch Logs event, whose message is a record
	elemLookupEvent                     // Events: a LookupEvents event, whose CloudTrailEvent is a record
	elemLakeRow                         // QueryResultRows: a row of CloudTrail Lake results
)

func record(v *value, format Format) finding { return finding{kind: foundRecord, v: v, format: format} }

func notice(v *value, at int, msg string) finding {
	return finding{kind: foundNotice, v: v, at: at, msg: msg}
}

func notRecord(v *value, msg string) finding { return finding{kind: foundNotRecord, v: v, msg: msg} }

// classify says what a value of the input is, at the given depth of
// envelopes around it.
func classify(v *value, format Format, depth int) finding {
	switch v.valid[0] {
	case '{':
	case '"':
		return finding{kind: foundText, v: v, n: node{off: 0, end: len(v.valid)}, ptr: v.pointer, format: format, depth: depth}
	default:
		return notRecord(v, "a JSON "+kindName(v.valid[0])+" is not a CloudTrail record")
	}
	if first := firstMemberName(v.valid); coreMembers[string(first)] && string(first) != "requestParameters" {
		return record(v, format)
	}
	n := newNode(v.valid)
	names := n.names()
	switch {
	case names["detail-type"] && names["detail"]:
		return classifyEventBridge(v, n)
	case names["awslogs"]:
		return classifyAWSLogs(v, n, depth)
	case names["messageType"] && names["logEvents"]:
		return classifyLogEvents(v, n, depth)
	case names["Events"]:
		return envelopeArray(v, n, "Events", elemLookupEvent, depth)
	case names["QueryResultRows"]:
		return envelopeArray(v, n, "QueryResultRows", elemLakeRow, depth)
	case names["_raw"]:
		m, _ := n.member("_raw")
		return textIn(v, m, v.pointer, FormatEmbedded, depth)
	case names["digestS3Object"] || (names["logFiles"] && names["digestStartTime"]):
		return notice(v, 0, "CloudTrail digest file (log file validation)")
	case names["Type"] && (names["Message"] || names["TopicArn"]):
		return classifySNS(v, n, depth)
	case names["s3Bucket"] && names["s3ObjectKey"]:
		return notice(v, 0, "CloudTrail log delivery notification (names log files, holds no records)")
	case names["Event"] && names["Service"]:
		return notice(v, 0, "S3 test event notification")
	case names["Records"]:
		// A log file read whole (its Records member was not first), or
		// event notifications.
		return envelopeArray(v, n, "Records", elemLogRecord, depth)
	case names["CloudTrailEvent"]:
		// An event of LookupEvents output on its own, as jq -c '.Events[]'
		// writes them.
		return classifyLookupEvent(v, n, "", depth)
	case looksLikeRecordNames(names):
		return record(v, format)
	}
	if least := n.leastNames(6); len(least) > 0 {
		return notRecord(v, "an object with members "+strings.Join(least, ", ")+" is not a CloudTrail record")
	}
	return notRecord(v, "an empty object is not a CloudTrail record")
}

// envelopeArray returns the array of an envelope's items, its member name.
func envelopeArray(v *value, n node, name string, elem elemKind, depth int) finding {
	arr, _ := n.member(name)
	if arr.kind() != '[' {
		return notRecord(v, name+" is not an array")
	}
	return finding{kind: foundArray, v: v, n: arr, elem: elem, depth: depth}
}

// classifyElement says what element e (the i-th) of an envelope's array,
// in v, is.
func classifyElement(elem elemKind, v *value, i int, e node, depth int) finding {
	switch elem {
	case elemLogEvent:
		if e.kind() != '{' {
			return notRecord(v.sub(e.off, e.end, elemPointer("logEvents", i, "")), "a log event must be an object")
		}
		msg, ok := e.member("message")
		if !ok {
			return notRecord(v.sub(e.off, e.end, elemPointer("logEvents", i, "")), "log event has no message")
		}
		return textIn(v, msg, elemPointer("logEvents", i, "/message"), FormatCloudWatchLogs, depth)
	case elemLookupEvent:
		return classifyLookupEvent(v, e, elemPointer("Events", i, ""), depth)
	case elemLakeRow:
		return finding{kind: foundLakeRow, v: v, n: e, ptr: elemPointer("QueryResultRows", i, ""), depth: depth}
	}
	sv := v.sub(e.off, e.end, elemPointer("Records", i, ""))
	if e.kind() == '{' {
		// Lambda's SNS and SQS envelopes hold a message to look into.
		if sns, ok := e.member("Sns"); ok && sns.kind() == '{' {
			return classifySNS(v, sns, depth+1)
		}
		if body, ok := e.member("body"); ok && body.kind() == '"' {
			return textIn(sv, body, sv.pointer, FormatEmbedded, depth)
		}
	}
	return finding{kind: foundValue, v: sv, format: FormatLogFile, depth: depth + 1}
}

// elemPointer returns the JSON Pointer /array/i, and then rest, in one
// allocation.
func elemPointer(array string, i int, rest string) string {
	var buf [64]byte
	b := append(buf[:0], '/')
	b = append(b, array...)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(i), 10)
	return string(append(b, rest...))
}

// classifyEventBridge finds the record in an EventBridge event's detail.
func classifyEventBridge(v *value, n node) finding {
	detail, _ := n.member("detail")
	if detail.kind() != '{' || !looksLikeRecord(v.valid[detail.off:detail.end]) {
		dt := ""
		if m, ok := n.member("detail-type"); ok && m.kind() == '"' {
			dt = m.str()
		}
		return notice(v, detail.off, fmt.Sprintf("EventBridge event of detail-type %q carries no CloudTrail record", dt))
	}
	return record(v.sub(detail.off, detail.end, "/detail"), FormatEventBridge)
}

// textIn finds the value held in n, a member of v (at pointer ptr of the
// input's value) that should be a string holding a record.
func textIn(v *value, n node, ptr string, format Format, depth int) finding {
	if n.kind() != '"' {
		s := v.sub(n.off, n.end, "")
		s.pointer = ptr
		return notRecord(s, "want a string holding a record, found a JSON "+kindName(n.kind()))
	}
	return finding{kind: foundText, v: v, n: n, ptr: ptr, format: format, depth: depth}
}

// classifyAWSLogs finds the payload of a CloudWatch Logs subscription as
// Lambda receives it: {"awslogs":{"data":"<base64 of gzip>"}}.
func classifyAWSLogs(v *value, n node, depth int) finding {
	al, _ := n.member("awslogs")
	var data node
	ok := al.kind() == '{'
	if ok {
		data, ok = al.member("data")
	}
	if !ok || data.kind() != '"' {
		return notRecord(v, "awslogs holds no data string")
	}
	return finding{kind: foundPayload, v: v, n: data, depth: depth}
}

// classifyLogEvents finds the log events of a CloudWatch Logs subscription
// payload: each one's message is a record.
func classifyLogEvents(v *value, n node, depth int) finding {
	if mt, ok := n.member("messageType"); ok && mt.kind() == '"' && mt.str() == "CONTROL_MESSAGE" {
		return notice(v, 0, "CloudWatch Logs control message")
	}
	return envelopeArray(v, n, "logEvents", elemLogEvent, depth)
}

// classifyLookupEvent finds the record of e, at pointer ptr of v, an event
// of LookupEvents output (read whole, or streamed by the Reader): its
// CloudTrailEvent string, or e itself if it is a record.
func classifyLookupEvent(v *value, e node, ptr string, depth int) finding {
	if e.kind() != '{' {
		return notRecord(v.sub(e.off, e.end, ptr), "a LookupEvents event must be an object")
	}
	if cte, ok := e.member("CloudTrailEvent"); ok {
		return textIn(v, cte, ptr+"/CloudTrailEvent", FormatLookupEvents, depth)
	}
	return record(v.sub(e.off, e.end, ptr), FormatLookupEvents)
}

// classifySNS says what an SNS notification holds: its Message may hold a
// CloudTrail notification, the validation message, or an event to look
// into.
func classifySNS(v *value, n node, depth int) finding {
	if t, ok := n.member("Type"); ok && t.kind() == '"' && t.str() != "Notification" {
		return notice(v, n.off, "SNS "+t.str()+" message")
	}
	msg, ok := n.member("Message")
	if !ok || msg.kind() != '"' {
		return notice(v, n.off, "SNS message without a Message")
	}
	text := msg.str()
	if strings.TrimSpace(text) == "CloudTrail validation message." {
		return notice(v, msg.off, "CloudTrail validation message (sent when an SNS topic is set up)")
	}
	if t := strings.TrimSpace(text); t == "" || (t[0] != '{' && t[0] != '[') {
		return notice(v, msg.off, "SNS message that is not JSON")
	}
	return finding{kind: foundText, v: v, n: msg, ptr: v.pointer, format: FormatEmbedded, depth: depth}
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

// newNode returns the node of a value's valid text. Its strings are views
// of the text, not copies (a copy of each envelope and each Lake row was
// most of what classifying them cost): what classifying keeps of them it
// copies, and the text stays in place while its nodes are in use (see
// arrayWalk).
func newNode(valid []byte) node {
	d := &decoder{data: unsafe.String(unsafe.SliceData(valid), len(valid)), raw: valid}
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

// pendingWork is what the reading side goes on with before it reads
// further: the rest of an envelope read whole, or a Lambda payload.
type pendingWork interface {
	// step returns what the next part holds, and false, having done
	// nothing, once there is no more.
	step() (finding, bool)
}

// An arrayWalk goes through an array of an envelope read whole, an element
// per step. Envelopes hold their records in such arrays; handling all the
// elements at once queued a job for each record, and 200,000 small records
// in one envelope took 300 MB. The envelope's text and tape must stay in
// place until the walk is done: they are in a scanner's buffers (the
// Reader's, or an innerScanner's), and the reading side reads nothing, and
// the walk's elements use only deeper scanners, until then.
type arrayWalk struct {
	v     *value
	arr   node
	elem  elemKind
	depth int
	pos   int // where the next element, or the ',' before it, is
	i     int // the next element's index
}

// step returns what the next element is.
func (w *arrayWalk) step() (finding, bool) {
	d := w.arr.d
	if w.i == 0 {
		d.pos = w.arr.off
		d.ws()
		d.pos++ // '['
	} else {
		d.pos = w.pos
	}
	if d.peek() == ']' {
		return finding{}, false
	}
	if d.data[d.pos] == ',' {
		d.pos++
		d.ws()
	}
	s, e := d.skipValue()
	w.pos = d.pos
	w.i++
	return classifyElement(w.elem, w.v, w.i-1, node{d: d, off: s, end: e}, w.depth), true
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
