package kmstrail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file is the reading side of a Reader: it takes what the stream finds
// in the input, classifies each value (forms.go), and acts on what the
// classification found: it queues records to decode, errors and notices,
// and reads on into envelopes, strings that hold records and Lambda
// payloads.

// readState is the reading side of a Reader. When the input is larger than
// a batch it runs on its own goroutine, which refers to the readState and
// not to the Reader, so that an abandoned Reader can be collected and its
// goroutine stopped.
type readState struct {
	settings
	in      input  // what the stream reads
	st      stream // the input's values
	q       queue  // results waiting to make a batch
	records int    // records seen so far: the next record's index
	err     error  // sticky: the end of the input or a fault that ends it

	work  []pendingWork       // envelopes read whole being gone through, innermost last
	inner []*jsonscan.Scanner // for records inside strings, by depth (see innerScanner)
	home  itemHome            // where item keeps the input's values

	dec    *decoder      // for the records the reading side decodes
	helped int           // how many jobs of batches it decoded
	exited chan struct{} // closed when the reading goroutine returns
}

// settings are the Reader's, taken by the first call to Next.
type settings struct {
	Repair    bool
	Path      string
	lim       limits
	src       io.Reader
	nesting   int            // envelopes around the input (a Lambda payload's), counted against maxNesting
	payloadOf *payloadBudget // for a Lambda payload's Reader: the budget of the input it is in
}

// next reads ahead until it has queued a result or set the sticky error.
func (r *readState) next() {
	if !r.in.started {
		r.start()
		if r.err != nil {
			return
		}
	}
	if n := len(r.work); n > 0 {
		// The innermost envelope first: what it holds comes before the
		// rest of the one around it. A step that pushes an envelope of its
		// own returns true, so the one popped is the one that is done.
		f, ok := r.work[n-1].step()
		if !ok {
			r.work[n-1] = nil
			r.work = r.work[:n-1]
			return
		}
		r.act(f)
		return
	}
	x := r.st.next()
	r.take(x, &r.st, &r.home, 0)
	if x.end != nil {
		r.fail(x.end)
	}
}

// take acts on what stream st found, but for the end of its input: it
// queues its error, and classifies its value at the given depth of
// envelopes (keeping it in h) and acts on what it is.
func (r *readState) take(x step, st *stream, h *itemHome, depth int) {
	if e := x.err; e != nil {
		e.Path, e.Record = r.Path, -1
		if x.record {
			e.Record = r.records
			r.records++
		}
		r.q.add(result{err: e})
	}
	if x.val != nil {
		r.item(x.val, x.format, st, h, depth)
	}
}

// fail sets the sticky error, an *Error or io.EOF.
func (r *readState) fail(err error) {
	var e *Error
	if errors.As(err, &e) && e.Path == "" {
		e.Path = r.Path
	}
	r.err = err
}

// decoder returns the reading side's decoder.
func (r *readState) decoder() *decoder {
	if r.dec == nil {
		r.dec = new(decoder)
	}
	return r.dec
}

// An itemHome is where item keeps the value it handles, which envelopes
// being gone through refer to until they are done.
type itemHome struct {
	v   value
	loc jsonscan.Locator
}

// item handles one complete value of the input that stream st found: a
// record, an envelope holding records, a notice, or something that is not
// a record.
//
// sc.Raw may alias the scanner's buffer: item must not read more input, and
// what it keeps it copies.
func (r *readState) item(sc *jsonscan.Value, format Format, st *stream, h *itemHome, depth int) {
	raw := sc.Raw
	if f := sc.Fault; f != nil {
		line, col := f.Line, f.Col
		if sc.Retained {
			loc := &jsonscan.Locator{Orig: raw, Start: sc.Start, Line: sc.Line, Col: sc.Col}
			_, line, col = loc.Position(int(f.Offset - sc.Start))
		}
		r.q.add(result{err: &Error{Path: r.Path, Record: r.records, Offset: f.Offset,
			Line: line, Column: col, Pointer: f.Pointer, Err: faultCause(f)}})
		r.records++
		return
	}
	h.loc = jsonscan.Locator{Orig: raw, Start: sc.Start, Line: sc.Line, Col: sc.Col, Edits: sc.Edits}
	h.v = value{orig: raw, valid: raw, loc: &h.loc, dups: sc.Dups, elided: sc.Elided, owned: st.lent}
	v := &h.v
	if pending := st.takePending(); len(pending)+len(sc.Repairs) > 0 {
		v.seed = appendRepairs(pending, sc.Repairs)
	}
	if len(sc.Edits) > 0 {
		v.valid = jsonscan.ApplyEdits(raw, sc.Edits)
	} else {
		v.tape = sc.Tape
	}
	if format == FormatLake {
		// A row of streamed Lake results; pointers are the row's own, as a
		// streamed record's are. (An element of a streamed Events array
		// is an object with CloudTrailEvent, which classify knows.)
		r.lakeRow(v, newNode(v.valid), "", depth)
		return
	}
	r.dispatch(v, format, depth)
}

// nested reads text, a value inside the input at the given depth of
// envelopes (a Lake row's record), as a Reader reads its input, but with a
// stream of its own through the inner scanner of that depth, and this
// Reader's settings. It returns the results for exactlyOne: at most two,
// which is all its rule needs, then io.EOF.
func (r *readState) nested(text []byte, depth int) func() (*Event, error) {
	st := &stream{s: r.innerScanner(depth, text), repair: r.Repair, budget: int64(r.lim.recordBytes), lent: true}
	if st.s.SkipBOM() {
		st.pending = append(st.pending, bomRepair)
	}
	queued, records, works := r.q.res, r.records, len(r.work)
	r.q.res = nil
	h := new(itemHome)
	for len(r.q.res) < 2 {
		if n := len(r.work); n > works {
			if f, ok := r.work[n-1].step(); ok {
				r.act(f)
			} else {
				r.work[n-1] = nil
				r.work = r.work[:n-1]
			}
			continue
		}
		x := st.next()
		r.take(x, st, h, depth+1)
		if x.end != nil {
			if x.end != io.EOF {
				r.q.add(result{err: x.end})
			}
			break
		}
	}
	clear(r.work[works:])
	r.work = r.work[:works]
	res := r.q.res
	r.q.res, r.records = queued, records
	return func() (*Event, error) {
		if len(res) == 0 {
			return nil, io.EOF
		}
		x := res[0]
		res = res[1:]
		if j := x.job; j != nil {
			ev, err := decodeRecord(r.decoder(), j)
			*j = job{}
			return ev, err
		}
		return x.ev, x.err
	}
}

// dispatch classifies a value at the given depth of envelopes, and acts on
// what it is.
func (r *readState) dispatch(v *value, format Format, depth int) {
	if r.nesting+depth > maxNesting {
		r.notRecord(v, "envelopes nested too deeply")
		return
	}
	r.act(classify(v, format, depth))
}

// act acts on what classifying a value found.
func (r *readState) act(f finding) {
	switch f.kind {
	case foundRecord:
		r.record(f.v, f.format)
	case foundNotice:
		r.noticeAt(f.v, f.at, f.msg)
	case foundNotRecord:
		r.notRecord(f.v, f.msg)
	case foundValue:
		r.dispatch(f.v, f.format, f.depth)
	case foundText:
		r.embedded(f.v, f.n, f.ptr, f.format, f.depth)
	case foundArray:
		r.work = append(r.work, &arrayWalk{v: f.v, arr: f.n, elem: f.elem, depth: f.depth})
	case foundPayload:
		r.payload(f.v, f.n, f.depth)
	case foundPayloadResult:
		r.payloadResult(f.payload, f.ev, f.err)
	case foundLakeRow:
		r.lakeRow(f.v, f.n, f.ptr, f.depth)
	}
}

// record queues v as a record to decode (see queue.addJob).
func (r *readState) record(v *value, format Format) {
	if src := notificationSource(v.valid); src != "" {
		// An S3, SNS or SQS event notification: its Records look like
		// CloudTrail's but are not.
		r.noticeAt(v, 0, src+" event notification, not a CloudTrail record")
		return
	}
	idx := r.records
	r.records++
	off, line, col := v.loc.Position(0)
	src := Source{Path: r.Path, Record: idx, Offset: off, Line: line, Column: col, Format: format}
	if !r.q.addJob(v, src) {
		r.q.addHeavy(r.decodeNow(v, src))
	}
}

// notRecord queues an ErrNotRecord error for a value, counted as a failed
// record.
func (r *readState) notRecord(v *value, msg string) {
	r.failRecord(v, 0, v.pointer, errorf(ErrNotRecord, msg))
}

// failRecord queues err as the error of a record: the value at offset off
// of v, at pointer ptr.
func (r *readState) failRecord(v *value, off int, ptr string, err error) {
	o, line, col := v.loc.Position(off)
	r.q.add(result{err: &Error{Path: r.Path, Record: r.records, Offset: o, Line: line,
		Column: col, Pointer: ptr, Err: err}})
	r.records++
}

// noticeAt queues an ErrNoRecords notice about the value at off.
func (r *readState) noticeAt(v *value, off int, what string) {
	o, line, col := v.loc.Position(off)
	r.q.add(result{err: &Error{Path: r.Path, Record: -1, Offset: o, Line: line, Column: col,
		Err: errorf(ErrNoRecords, what)}})
}

// innerScanner returns a scanner of text, with the Reader's limits, for a
// record (or envelope) inside a JSON string at nesting depth: one per depth,
// reused, since what it maps is in use until that depth's value is done.
// It reads text in place: the text, unquoted, is the reading side's own.
func (r *readState) innerScanner(depth int, text []byte) *jsonscan.Scanner {
	for len(r.inner) <= depth {
		r.inner = append(r.inner, new(jsonscan.Scanner))
	}
	s := r.inner[depth]
	s.ResetBytes(text, r.lim.scan(r.Repair))
	return s
}

// embedded reads the record (or envelope) held in n, a JSON string of v at
// pointer ptr, with the inner scanner of its depth, and acts on what it is.
// The string is unquoted once, into a slice that is scanned in place, and
// that, when it holds the record, becomes the Event's Raw: it was copied
// five times.
func (r *readState) embedded(v *value, n node, ptr string, format Format, depth int) {
	text, err := jsonscan.UnquoteBytes(v.valid[n.off:n.end])
	if err != nil {
		r.failRecord(v, 0, ptr, errorf(ErrNotRecord, "string is not valid"))
		return
	}
	if t := bytes.TrimSpace(text); len(t) == 0 || t[0] != '{' && t[0] != '[' {
		r.failRecord(v, 0, ptr, errorf(ErrNotRecord, "a JSON string that holds no JSON object is not a CloudTrail record"))
		return
	}
	sc, err := onlyValue(r.innerScanner(depth, text), "after the embedded record")
	if err != nil {
		var f *jsonscan.Fault
		if errors.As(err, &f) {
			err = fmt.Errorf("%w (at %d:%d of the embedded text)", faultCause(f), f.Line, f.Col)
		}
		r.failRecord(v, n.off, ptr, err)
		return
	}
	o, line, col := v.loc.Position(n.off)
	h := new(itemHome)
	h.loc = jsonscan.Locator{Start: o, Line: line, Col: col, Fixed: true}
	h.v = value{orig: sc.Raw, valid: sc.Raw, loc: &h.loc, dups: sc.Dups, elided: sc.Elided, pointer: ptr, owned: true}
	iv := &h.v
	if len(sc.Edits) == 0 {
		iv.tape = sc.Tape
	}
	if len(v.seed) > 0 && !v.loc.Fixed {
		// The repairs made in the string as written (an invalid byte, say)
		// go with its record, which was otherwise repaired unreported.
		end, _, _ := v.loc.Position(n.end)
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
		iv.valid = jsonscan.ApplyEdits(sc.Raw, sc.Edits)
	}
	r.dispatch(iv, format, depth+1)
}

// onlyValue scans the one value of the text s reads, with nothing after it
// but space: what follows is a syntax fault, whose message says where
// (after the embedded record). A value that crossed a limit returns its
// cause; a text of space, ErrNotRecord.
func onlyValue(s *jsonscan.Scanner, where string) (*jsonscan.Value, error) {
	sc, err := s.ScanValue()
	if err == io.EOF {
		return nil, errorf(ErrNotRecord, "empty string")
	}
	if err != nil {
		return nil, err
	}
	if c, ok, _ := s.SkipSpace(); ok {
		return nil, s.Fault(jsonscan.Syntax, "invalid character %s %s", jsonscan.Describe(c), where)
	}
	if sc.Fault != nil {
		return nil, faultCause(sc.Fault)
	}
	return sc, nil
}

// payload reads the Lambda payload in n, the data string of v: base64 of
// gzip, read by a Reader of its own a batch at a time (see
// lambdaPayload.step), rather than all decoded and queued at once.
func (r *readState) payload(v *value, n node, depth int) {
	p := &lambdaPayload{}
	p.off, p.line, p.col = v.loc.Position(n.off)
	compressed, err := base64.StdEncoding.DecodeString(n.str())
	if err != nil {
		r.lambdaFault(p, errorf(ErrSyntax, "awslogs.data is not base64: "+err.Error()))
		return
	}
	// The payload's decoded size is bounded like any envelope read whole.
	p.r = &Reader{src: bytes.NewReader(compressed), Repair: r.Repair, Path: r.Path, lim: r.lim.payload(),
		nesting: r.nesting + depth + 1, payloadOf: r.payloads()}
	r.work = append(r.work, p)
}

// A lambdaPayload is the decoded awslogs.data of a CloudWatch Logs event as
// Lambda receives it, being read by a Reader of its own; off, line and col
// locate the data string.
type lambdaPayload struct {
	r         *Reader
	off       int64
	line, col int
}

// step returns the payload's next record or error.
func (p *lambdaPayload) step() (finding, bool) {
	ev, err := p.r.Next()
	if err == io.EOF {
		return finding{}, false
	}
	return finding{kind: foundPayloadResult, payload: p, ev: ev, err: err}, true
}

// payloadResult queues a record or error of payload p (after an error that
// ends the payload, its Reader returns io.EOF).
func (r *readState) payloadResult(p *lambdaPayload, ev *Event, err error) {
	if err != nil {
		var e *Error
		switch {
		case errors.As(err, &e) && errors.Is(err, ErrNoRecords):
			r.q.add(result{err: &Error{Path: r.Path, Record: -1, Offset: p.off, Line: p.line,
				Column: p.col, Pointer: "/awslogs/data", Err: e.Err}})
		case errors.As(err, &e):
			// Positioned in the decoded payload; the sentinel is kept.
			r.lambdaFault(p, fmt.Errorf("in the decoded awslogs.data at %d:%d: %w", e.Line, e.Column, e.Err))
		default:
			r.lambdaFault(p, err)
		}
		return
	}
	ev.Source = Source{Path: r.Path, Record: r.records, Offset: p.off, Line: p.line, Column: p.col, Format: FormatCloudWatchLogs}
	r.records++
	r.q.add(result{ev: ev})
}

// lambdaFault queues an error of the payload, or of its data string, as a
// failed record.
func (r *readState) lambdaFault(p *lambdaPayload, err error) {
	r.q.add(result{err: &Error{Path: r.Path, Record: r.records, Offset: p.off, Line: p.line,
		Column: p.col, Pointer: "/awslogs/data", Err: err}})
	r.records++
}
