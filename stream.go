package kmstrail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file reads the input's values in order: its top-level values, and
// the elements of a top-level array or of the array a log file (or
// LookupEvents output, or Lake results) streams. What it finds it returns,
// one step at a time, for the reading side to act on (see readState.take).

// A stream reads the input's values through its scanner.
type stream struct {
	s      *jsonscan.Scanner
	lent   bool  // s reads a slice that is the reading side's own, in place (see readState.nested)
	repair bool  // Reader.Repair
	budget int64 // how far past a damaged record resync looks for the next: MaxRecordBytes

	state     streamState
	values    int    // top-level values seen
	lastEnd   int    // line on which the last top-level value ended
	jsonLines bool   // the first top-level value fit on one line
	inArray   Format // the Format of the streamed array's items

	// Inside a top-level array or a Records array:
	elemIndex  int  // elements so far
	afterComma bool // an element may follow (after '[' or ',')
	commaOff   int64
	commaLine  int
	commaCol   int

	pending []Diagnostic // repairs between values, for the next value
	paused  resyncSearch // a search for the next record, to go on with
}

type streamState uint8

const (
	stateTop     streamState = iota // between top-level values
	stateRecords                    // inside {"Records":[...]}
	stateArray                      // inside a top-level array
)

// A step is what the stream found next: a value, an error, the end of the
// input, or an error and the end.
type step struct {
	val    *jsonscan.Value // a complete value: an item, to classify as format
	format Format
	err    *Error // positioned; its Path and Record are the reading side's to set
	record bool   // err is a record's: it counts as one
	end    error  // the input ended: io.EOF, or the *Error that ended it
}

// next returns the stream's next step.
func (st *stream) next() step {
	for {
		var x step
		switch {
		case st.paused.on:
			x = st.search()
		case st.state == stateTop:
			x = st.nextTop()
		default:
			x = st.nextElement()
		}
		if x.val != nil || x.err != nil || x.end != nil {
			return x
		}
	}
}

// takePending returns the repairs made between values, which go with the
// value they precede, and forgets them.
func (st *stream) takePending() []Diagnostic {
	p := st.pending
	st.pending = nil
	return p
}

// nextTop reads the next top-level value: a log file's opening, an array's
// opening, or a value that is an item on its own.
func (st *stream) nextTop() step {
	s := st.s
	c, ok, _ := s.SkipSpace()
	if !ok {
		switch {
		case s.Err() != nil:
			return st.fail(s.Err())
		case st.values == 0:
			return st.fail(errorf(ErrNotRecord, "input is empty"))
		}
		return step{end: io.EOF}
	}
	if st.values > 0 && s.Line() == st.lastEnd && c != '{' {
		// JSON Lines: one value per line. (Objects may also follow each
		// other directly, as Firehose writes them.)
		err := s.Fault(jsonscan.Syntax, "invalid character %s after top-level value", jsonscan.Describe(c))
		st.resync(false)
		return step{err: st.positioned(err, "")}
	}
	st.values++
	switch c {
	case '{':
		// A log file, or LookupEvents output or Lake results as the AWS CLI
		// writes them, is streamed when its array comes first (Lake's
		// after QueryStatus and QueryStatistics); else it is read whole.
		switch name, _ := st.firstName(); name {
		case "Records":
			if st.openRecords(FormatLogFile) {
				return step{}
			}
		case "Events":
			if st.openRecords(FormatLookupEvents) {
				return step{}
			}
		case "QueryStatus":
			if st.openLake() {
				return step{}
			}
		}
	case '[':
		st.openArray()
		return step{}
	case 'C':
		if x, ok := st.validationMessage(); ok {
			return x
		}
	}
	return st.topValue()
}

// topValue reads a top-level value that is an item on its own.
func (st *stream) topValue() step {
	s := st.s
	startLine := s.Line()
	// Once the input has shown itself to be JSON Lines, a value must end
	// on its line, so that a damaged line does not swallow the next.
	s.SetOneLine(st.values > 1 && st.jsonLines)
	sc, err := s.ScanValue()
	s.SetOneLine(false)
	if err != nil {
		x := st.fault(err)
		if s.Line() == startLine {
			// One value per line: go on at the next line.
			x.end = st.skipLine()
		} else {
			// In JSON Lines, a value broken across lines: what follows
			// the break is the rest of it, unless a record starts there.
			st.resync(false)
		}
		st.lastEnd = 0
		return x
	}
	st.lastEnd = s.Line()
	if s.Line() == startLine && st.values == 1 {
		st.jsonLines = true
	}
	if sc.Fault != nil {
		if e := st.envelopeLimit(sc); e != nil {
			return step{err: e}
		}
	}
	format := FormatRecord
	if st.values > 1 {
		format = FormatJSONLines
	} else {
		if !st.lent {
			sc.Raw = bytes.Clone(sc.Raw) // reading on may move it
		}
		if _, more, _ := s.SkipSpace(); more {
			format = FormatJSONLines
		}
	}
	return step{val: sc, format: format}
}

type envelopeReadWhole struct{ array, name, why string }

// envelopesReadWhole names the envelopes whose records are read with the
// envelope, by the array that holds them, and says why.
var envelopesReadWhole = []envelopeReadWhole{
	{"/Records/", "log file", "read whole because its Records member is not first"},
	{"/Events/", "LookupEvents output", "read whole because its Events member is not first"},
	{"/QueryResultRows/", "Lake query results", "read whole because its rows start late"},
	{"/logEvents/", "CloudWatch Logs payload", "read whole"},
}

// envelopeLimit returns the error of an envelope read whole that crossed
// MaxRecordBytes or MaxValues, as the envelope's, at its start, rather than
// as the error of a record deep inside it, which would name a member of a
// record and leave the user to guess which limit is the envelope's; nil if
// sc is no such envelope.
func (st *stream) envelopeLimit(sc *jsonscan.Value) *Error {
	f := sc.Fault
	if f.Kind != jsonscan.Limit || f.Limit != jsonscan.ValueLimit && f.Limit != jsonscan.SlotsLimit {
		return nil
	}
	le := faultCause(f).(*LimitError)
	ptr := f.Pointer
	if sc.Retained {
		// Crossed once read (it fit the buffer): no member was at fault,
		// but the value is at hand to tell what it is.
		ptr = topArray(sc.Raw)
	}
	for _, env := range envelopesReadWhole {
		if !strings.HasPrefix(ptr, env.array) {
			continue
		}
		what := fmt.Sprintf("the %s, %s, holds more than %d members and elements", env.name, env.why, le.Max)
		if le.Limit == "MaxRecordBytes" {
			// The scanner went on to the envelope's end: its size is known.
			size := st.s.Offset() - sc.Start
			if sc.Retained {
				size = int64(len(sc.Raw))
			}
			what = fmt.Sprintf("the %s, %s, is %d bytes, more than %d", env.name, env.why, size, le.Max)
		}
		return &Error{Record: -1, Offset: sc.Start, Line: sc.Line, Column: sc.Col,
			Err: &LimitError{Limit: le.Limit, Max: le.Max, What: what}}
	}
	return nil
}

// topArray returns "/name/" for the member of object text that holds an
// envelope's records (envelopesReadWhole), "" if none.
func topArray(text []byte) string {
	dec := jsontext.NewDecoder(bytes.NewReader(text))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return ""
	}
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			return ""
		}
		ptr := "/" + tok.String() + "/" // before the token is voided by the next call
		if dec.PeekKind() == '[' && slices.ContainsFunc(envelopesReadWhole, func(e envelopeReadWhole) bool { return e.array == ptr }) {
			return ptr
		}
		if dec.SkipValue() != nil {
			return ""
		}
	}
	return ""
}

// firstName returns the first member name of the object at the scanner's
// position, if it has no escapes and ends within its first peekAhead bytes,
// without consuming anything.
func (st *stream) firstName() (string, bool) {
	text := st.s.Peek(peekAhead)
	i := 1
	for i < len(text) && jsonscan.IsSpace(text[i]) {
		i++
	}
	if i >= len(text) || text[i] != '"' {
		return "", false
	}
	for j := i + 1; j < len(text); j++ {
		switch c := text[j]; {
		case c == '"':
			return string(text[i+1 : j]), true
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
	return "", false
}

// openRecords consumes `{"Records":[` (or `{"Events":[`, for format
// FormatLookupEvents) and switches to streaming the array. It returns false
// (consuming nothing) when the member is not an array, so the object is read
// whole.
func (st *stream) openRecords(format Format) bool {
	return st.openStream(format, func(dec *jsontext.Decoder) bool {
		tok, err := dec.ReadToken() // the name, which firstName has read
		return err == nil && tok.Kind() == '"'
	})
}

// openLake consumes the start of CloudTrail Lake results as the AWS CLI
// writes them, {"QueryStatus":...,"QueryStatistics":{...},
// "QueryResultRows":[, and switches to streaming the rows: a query's
// results, every page in one document, may be far larger than
// MaxRecordBytes. It returns false (consuming nothing) unless the rows
// start within peekAhead bytes, after members that are valid JSON; the
// object is then read whole.
func (st *stream) openLake() bool {
	return st.openStream(FormatLake, func(dec *jsontext.Decoder) bool {
		for {
			tok, err := dec.ReadToken()
			if err != nil || tok.Kind() != '"' {
				return false
			}
			if tok.String() == "QueryResultRows" {
				return true
			}
			if dec.SkipValue() != nil {
				return false
			}
		}
	})
}

// openStream consumes the start of the object at the scanner's position up
// to the '[' of the array to stream, and switches to streaming it as format.
// Within the object's first peekAhead bytes, name reads the members before
// the array's value, and the name of the array's member (it reports whether
// it found it). Nothing is consumed unless the array is found: the bytes are
// peeked, not read. (Restoring a copy of the scanner instead, after reads
// that may have refilled its buffer, misread `{"Records"00` when read a byte
// at a time; FuzzOneByteReads found it.)
func (st *stream) openStream(format Format, name func(*jsontext.Decoder) bool) bool {
	text := st.s.Peek(peekAhead)
	dec := jsontext.NewDecoder(bytes.NewReader(text))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' || !name(dec) {
		return false
	}
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '[' {
		return false
	}
	st.s.Advance(int(dec.InputOffset()))
	st.state = stateRecords
	st.inArray = format
	st.elemIndex = 0
	st.afterComma = true
	return true
}

// peekAhead is how far into an object openStream looks for the array.
const peekAhead = 4 << 10

// openArray consumes a top-level '[' and switches to reading its elements.
func (st *stream) openArray() {
	st.s.Advance(1)
	st.state = stateArray
	st.inArray = FormatArray
	st.elemIndex = 0
	st.afterComma = true
}

// validationMessage recognises the text CloudTrail sends to a new SNS topic:
// a notice, and the end of the input.
func (st *stream) validationMessage() (step, bool) {
	const msg = "CloudTrail validation message."
	s := st.s
	if string(s.Peek(len(msg))) != msg {
		return step{}, false
	}
	notice := &Error{Record: -1, Offset: s.Offset(), Line: s.Line(),
		Err: errorf(ErrNoRecords, "CloudTrail validation message (sent when an SNS topic is set up)")}
	s.Advance(len(msg))
	return step{err: notice, end: io.EOF}, true
}

// skipLine discards input up to the next line feed, and the space after
// it, after a syntax error in a top-level value. It returns the input's end,
// if it came first.
func (st *stream) skipLine() error {
	if !st.s.SkipLine() {
		return st.fail(st.s.Err()).end
	}
	st.s.SkipSpace()
	return nil
}

// nextElement reads the next element of a top-level array or of a log
// file's Records array.
func (st *stream) nextElement() step {
	s := st.s
	for {
		c, ok, spaced := s.SkipSpace()
		if !ok {
			return st.fail(s.EndFault("input ends inside the array of records"))
		}
		switch {
		case c == ']':
			return st.closeArray()
		case c == ',' && !st.afterComma:
			st.commaOff, st.commaLine, st.commaCol = s.Offset(), s.Line(), s.Column()
			s.Advance(1)
			st.afterComma = true
			continue
		case !st.afterComma:
			if st.repair && spaced && jsonscan.StartsValue(c) {
				st.pending = append(st.pending, Diagnostic{Kind: Repaired, Offset: s.Offset(), Line: s.Line(),
					Column: s.Column(), Message: "inserted missing ',' between records"})
				break
			}
			err := s.Fault(jsonscan.Syntax, "invalid character %s after array element; want ',' or ']'", jsonscan.Describe(c))
			st.resync(true)
			return step{err: st.positioned(err, "")}
		}
		sc, err := s.ScanValue()
		st.afterComma = false
		st.elemIndex++
		if err != nil {
			x := st.fault(err)
			st.resync(true)
			return x
		}
		return step{val: sc, format: st.inArray}
	}
}

// closeArray reads the ']' that closes the array of records, and the rest
// of the object around it.
func (st *stream) closeArray() step {
	s := st.s
	if st.afterComma && st.elemIndex > 0 {
		if !st.repair {
			return st.fail(s.Fault(jsonscan.Syntax, "trailing ',' before ']'"))
		}
		st.pending = append(st.pending, Diagnostic{Kind: Repaired, Offset: st.commaOff, Line: st.commaLine,
			Column: st.commaCol, Message: "removed trailing ',' after the last record"})
	}
	s.Advance(1)
	var x step
	if st.state == stateRecords {
		x.end = st.closeRecords()
	}
	st.state = stateTop
	st.lastEnd = s.Line()
	return x
}

// closeRecords reads the rest of the object around a streamed array (a log
// file's Records, LookupEvents output's Events, Lake results' rows): other
// members, such as NextToken, are skipped. It returns the input's end if
// the object is damaged.
func (st *stream) closeRecords() error {
	s := st.s
	array := "Records"
	switch st.inArray {
	case FormatLookupEvents:
		array = "Events"
	case FormatLake:
		array = "QueryResultRows"
	}
	for {
		c, ok, _ := s.SkipSpace()
		if !ok {
			return st.fail(s.EndFault("input ends inside the object around the " + array + " array")).end
		}
		switch c {
		case '}':
			s.Advance(1)
			return nil
		case ',':
			s.Advance(1)
			if c, ok, _ := s.SkipSpace(); ok && c == '}' && st.repair {
				continue
			}
			if _, err := s.ScanValue(); err != nil { // the name
				return st.fail(err).end
			}
			if c, ok, _ := s.SkipSpace(); !ok || c != ':' {
				return st.fail(s.Fault(jsonscan.Syntax, "want ':' after member name")).end
			}
			s.Advance(1)
			if _, err := s.ScanValue(); err != nil {
				return st.fail(err).end
			}
		default:
			return st.fail(s.Fault(jsonscan.Syntax, "invalid character %s after the %s array; want ',' or '}'",
				jsonscan.Describe(c), array)).end
		}
	}
}

// fault returns the step of a value that is not valid JSON: the error of a
// record. A read error (what else ScanValue returns) is no record's: the
// stream meets it again where it goes on, and ends there.
func (st *stream) fault(err error) step {
	var f *jsonscan.Fault
	if !errors.As(err, &f) {
		return step{}
	}
	return step{err: st.positioned(err, f.Pointer), record: true}
}

// fail returns the step that ends the input with err, positioned.
func (st *stream) fail(err error) step {
	if err == nil || err == io.EOF {
		return step{end: io.EOF}
	}
	return step{end: st.positioned(err, "")}
}

// positioned wraps err as an *Error at the scanner's position, or at the
// position of a syntax fault.
func (st *stream) positioned(err error, ptr string) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	out := &Error{Record: -1, Pointer: ptr, Err: err}
	var f *jsonscan.Fault
	if errors.As(err, &f) {
		out.Offset, out.Line, out.Column, out.Err = f.Offset, f.Line, f.Col, faultCause(f)
	} else {
		out.Offset, out.Line, out.Column = st.s.Offset(), st.s.Line(), st.s.Column()
	}
	if !isPackageError(out.Err) {
		// A read error from the input or the decompressor.
		out.Err = readFault(out.Err)
	}
	return out
}

// isPackageError reports whether err wraps one of the sentinels.
func isPackageError(err error) bool {
	var d *detailError
	return errors.As(err, &d)
}
