package kmstrail

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
)

// This file is the syntax layer: a validating JSON scanner over a sliding
// window of an io.Reader. It finds the extent of each value without building
// anything, so the Reader can stream a log file record by record, keep each
// record's bytes exactly as read, report positions as line:column, repair the
// slips found in AWS's published examples, enforce limits, and find duplicate
// member names in any object of a record. The decoding layer (codec.go) then
// reads the validated bytes without checking them again.

// scanner reads JSON text from rd through buf. Bytes before pos are
// consumed; bytes from mark on (when mark >= 0) are retained across refills,
// which is how a value's bytes stay at hand until it ends.
type scanner struct {
	rd   io.Reader
	buf  []byte
	pos  int   // next byte to examine
	end  int   // buf[:end] holds data
	base int64 // input offset of buf[0]
	mark int   // start of the retained region, or -1
	eof  bool  // rd reported io.EOF
	rerr error // sticky read error other than io.EOF

	line      int   // 1-based line of buf[pos]
	lineStart int64 // input offset of the first byte of that line

	maxDepth  int // deepest nesting of arrays and objects
	maxString int // longest string, in bytes as written
	maxValue  int // most bytes retained for one value
	maxSlots  int // most slots (members and elements) of one value
	slotRoom  int // slots the tape holds without growing, up to maxSlots; 0 until roomForSlot sets it
	repair    bool
	oneLine   bool // a value must end on the line it starts on (JSON Lines)
	escaped   bool // the last string scanned held an escape
	slowOnly  bool // never take the fast path (tests compare the two)
	tape      []slot

	cur *scanned // the value being scanned
	sc  scanned  // the last value scanned, reused

	// Scratch reused from value to value.
	frames []frame
}

// A frame is one open array or object of the value being scanned.
type frame struct {
	object    bool
	index     int // current element (arrays)
	nameOff   int // current member's name, relative to the value start
	nameEnd   int
	escaped   bool       // the name holds escapes
	slot      int32      // the current member's or element's slot, or -1
	firstSlot int32      // the object's first member's slot, or -1
	count     int        // members so far
	dupOf     int32      // the slot of an earlier member with the current name, or -1
	bloom     uint64     // one bit per name hash seen: most names need no search
	names     *nameTable // large objects: their members by name
}

// slotBytes is the size of a slot: what the tape costs per member and
// element.
const slotBytes = int(unsafe.Sizeof(slot{}))

// A slot is one object member or array element of a retained value, in
// document order: the scanner's map of the value for the decoder, which can
// then jump to names and values, and over whole subtrees, without reading
// them again. Offsets are relative to the value's start, as read.
type slot struct {
	nameOff, nameEnd int32 // the member's name, without quotes; -1 for elements
	valOff, valEnd   int32 // the value
	skip             int32 // the first slot after the value's own slots
	flags            uint8
}

// Slot flags.
const (
	slotNameEscaped  = 1 << iota // the name holds escapes
	slotValueEscaped             // the value is a string holding escapes
	slotString                   // the value is a string
)

// An edit is one repair: at off (relative to the value start, as read),
// delete del bytes and insert ins.
type edit struct {
	off int
	del int
	ins string
}

// A dupName is a duplicate member name with identical values, found while
// scanning a value; the decoder reports it as a diagnostic.
type dupName struct {
	pointer string
	off     int // the second name's opening quote, relative to the value start
}

// scanned describes one value found by scanValue.
type scanned struct {
	start     int64 // input offset of the first byte
	line, col int   // position of the first byte
	raw       []byte
	tape      []slot // the value's slots; aliases the scanner's until its next value
	retained  bool   // raw holds the whole value (false once it crossed a limit)
	edits     []edit
	repairs   []Diagnostic // one per edit, positioned in the input
	dups      []dupName
	elided    int   // repairs and duplicates beyond MaxDiagnostics, not listed
	err       error // a fault that leaves the syntax intact (limit, duplicate)
	errOff    int64
	errLine   int // position of errOff when the value was not retained
	errCol    int
	errPtr    string
}

const (
	defaultBufSize = 64 << 10
	minRead        = 32 << 10
)

// newScanner returns a scanner of rd with the default limits.
func newScanner(rd io.Reader) *scanner {
	s := new(scanner)
	s.reset(rd)
	return s
}

// reset makes s a new scanner of rd, with the default limits, that reuses
// s's buffers.
func (s *scanner) reset(rd io.Reader) {
	*s = scanner{rd: rd, mark: -1, line: 1, buf: s.buf[:cap(s.buf)], tape: s.tape[:0], frames: s.frames[:0],
		maxDepth: DefaultMaxDepth, maxString: DefaultMaxStringBytes, maxValue: DefaultMaxRecordBytes, maxSlots: DefaultMaxValues}
}

// maxPooledBuf bounds the buffer a scanner keeps for reuse.
const maxPooledBuf = 1 << 20

// release drops what s refers to but its reusable buffers, and reports
// whether they are small enough to keep.
func (s *scanner) release() bool {
	if cap(s.buf) > maxPooledBuf || cap(s.tape) > maxPooledSlots {
		return false
	}
	s.reset(nil)
	clear(s.frames[:cap(s.frames)]) // their names maps
	return true
}

// skipBOM passes over a UTF-8 byte order mark at the start of the input, and
// reports whether there was one. Windows tools write one (PowerShell's
// Out-File, Notepad); RFC 8259 lets a parser ignore it. Columns on the first
// line count from after it, as editors show them.
func (s *scanner) skipBOM() bool {
	for s.end-s.pos < 3 && s.fill() {
	}
	if s.end-s.pos < 3 || s.offset(s.pos) != 0 || string(s.buf[s.pos:s.pos+3]) != "\xef\xbb\xbf" {
		return false
	}
	s.pos += 3
	s.lineStart = 3
	return true
}

// fill reads more input. It keeps the retained region (or the unread bytes)
// and returns false at the end of the input or on a read error.
func (s *scanner) fill() bool {
	if s.eof || s.rerr != nil {
		return false
	}
	if s.mark >= 0 && s.cur != nil && s.end-s.mark > s.maxValue {
		// The value outgrew maxValue: stop retaining it, but go on
		// validating it so that the input can continue after it.
		s.dropValue(s.offset(s.pos), s.line, s.column(s.pos),
			limitError("MaxRecordBytes", int64(s.maxValue), "value larger than %d bytes", s.maxValue))
	}
	keep := s.pos
	if s.mark >= 0 && s.mark < keep {
		keep = s.mark
	}
	if keep > 0 && (s.end-keep < len(s.buf)/2 || s.end == len(s.buf)) {
		n := copy(s.buf, s.buf[keep:s.end])
		s.base += int64(keep)
		s.pos -= keep
		s.end = n
		if s.mark >= 0 {
			s.mark -= keep
		}
	}
	if len(s.buf)-s.end < minRead {
		size := 2 * len(s.buf)
		if size < defaultBufSize {
			size = defaultBufSize
		}
		nb := make([]byte, size)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.rd.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			if err == io.EOF {
				s.eof = true
			} else {
				s.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.rerr = io.ErrNoProgress
	return false
}

// ensure makes n bytes available from buf[i] if the input has them, and
// returns i adjusted for any move of the buffer. i must not be before pos.
func (s *scanner) ensure(i, n int) (int, bool) {
	for s.end-i < n {
		old := s.pos
		ok := s.fill()
		i -= old - s.pos
		if !ok {
			return i, s.end-i >= n
		}
	}
	return i, true
}

// offset returns the input offset of buf[i].
func (s *scanner) offset(i int) int64 { return s.base + int64(i) }

// column returns the 1-based column of buf[i], which must be on the current
// line.
func (s *scanner) column(i int) int { return int(s.offset(i)-s.lineStart) + 1 }

// rel returns buf[i]'s offset relative to the retained value's start.
func (s *scanner) rel(i int) int { return i - s.mark }

// skipSpace consumes whitespace and returns the next byte without consuming
// it; ok is false at the end of the input. spaced reports whether any
// whitespace was consumed.
func (s *scanner) skipSpace() (c byte, ok, spaced bool) {
	if s.pos < s.end && s.buf[s.pos] > ' ' {
		return s.buf[s.pos], true, false // compact input: no space to skip
	}
	start := s.offset(s.pos)
	for {
		for s.pos < s.end {
			c = s.buf[s.pos]
			switch c {
			case ' ', '\t', '\r':
				s.pos++
			case '\n':
				s.pos++
				s.line++
				s.lineStart = s.offset(s.pos)
			default:
				return c, true, s.offset(s.pos) > start
			}
		}
		if !s.fill() {
			return 0, false, s.offset(s.pos) > start
		}
	}
}

// plainString marks the bytes a string can hold without a closer look.
var plainString = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// syntaxFault is a syntax error found by the scanner, with its position and
// the JSON Pointer of the value it is in.
type syntaxFault struct {
	off       int64
	line, col int
	ptr       string
	err       error
}

func (f *syntaxFault) Error() string { return f.err.Error() }
func (f *syntaxFault) Unwrap() error { return f.err }

// fault builds a syntaxFault at buf[i], which must be on the current line.
func (s *scanner) fault(i int, sentinel error, format string, args ...any) *syntaxFault {
	return s.faultErr(i, errorf(sentinel, fmt.Sprintf(format, args...)))
}

// faultErr is fault with a cause already built.
func (s *scanner) faultErr(i int, err error) *syntaxFault {
	f := &syntaxFault{off: s.offset(i), line: s.line, col: s.column(i), err: err}
	if s.cur != nil {
		f.ptr = s.pointer(s.cur)
	}
	return f
}

// readErrAt reports the end of input (or a read error) at buf[i].
func (s *scanner) readErrAt(i int, what string) error {
	if s.rerr != nil {
		return s.rerr
	}
	return &syntaxFault{off: s.offset(i), line: s.line, col: s.column(i), err: errorf(ErrTruncated, what)}
}

// describe names a byte for error messages.
func describe(c byte) string {
	switch {
	case c == '\'':
		return `"'"`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(c) + "'"
	default:
		return fmt.Sprintf("byte 0x%02x", c)
	}
}

// startsValue reports whether c can begin a JSON value.
func startsValue(c byte) bool {
	switch c {
	case '{', '[', '"', '-', 't', 'f', 'n':
		return true
	}
	return c >= '0' && c <= '9'
}

// Scanner states: what the next token must be.
const (
	stValue    = iota // any value
	stObjFirst        // a name or '}' (after '{')
	stObjName         // a name (after ','); '}' here is a trailing comma
	stObjColon        // ':'
	stObjNext         // ',' or '}'
	stArrFirst        // a value or ']' (after '[')
	stArrElem         // a value (after ','); ']' here is a trailing comma
	stArrNext         // ',' or ']'
)

// scanValue scans one complete JSON value starting at the next non-space
// byte. The result is the scanner's own, valid until the next call. The value's bytes stay in buf (sc.raw aliases them until the next
// call that reads input) unless it crosses a limit, in which case it is still
// validated to its end but not retained, and sc.err reports the limit. A
// syntax error is returned as a *syntaxFault; the scanner is then inside the
// value and the caller must resynchronise or stop. At the end of the input
// scanValue returns io.EOF.
func (s *scanner) scanValue() (*scanned, error) {
	if _, ok, _ := s.skipSpace(); !ok {
		if s.rerr != nil {
			return nil, s.rerr
		}
		return nil, io.EOF
	}
	sc := &s.sc
	*sc = scanned{start: s.offset(s.pos), line: s.line, col: s.column(s.pos), retained: true,
		edits: sc.edits[:0], repairs: sc.repairs[:0], dups: sc.dups[:0]}
	s.mark = s.pos
	s.cur = sc
	s.frames = s.frames[:0]
	s.tape = s.tape[:0]
	var err error
	if !s.scanFast() { // see scanfast.go
		err = s.scan(sc)
	}
	if err == nil && sc.retained {
		sc.raw = s.buf[s.mark:s.pos]
		sc.tape = s.tape
		// fill enforces maxValue on values larger than the buffer; this
		// catches the smaller ones.
		if len(sc.raw) > s.maxValue && sc.err == nil {
			sc.err = limitError("MaxRecordBytes", int64(s.maxValue), "value larger than %d bytes", s.maxValue)
			sc.errOff = sc.start + int64(s.maxValue)
		}
	}
	s.mark = -1
	s.cur = nil
	return sc, err
}

// scan runs the state machine over one value.
func (s *scanner) scan(sc *scanned) error {
	state := stValue
	// Where the last complete value ended, for inserting a missing comma,
	// and where the last comma was, for removing a trailing one.
	var lastEnd, lastLine, lastCol int
	var commaRel, commaLine, commaCol int
	for {
		var c byte
		var spaced bool
		if s.pos < s.end && s.buf[s.pos] > ' ' {
			c = s.buf[s.pos] // compact input: nothing to skip
		} else {
			var ok bool
			if c, ok, spaced = s.skipSpace(); !ok {
				return s.truncated(state)
			}
			// Only skipSpace passes newlines (a string cannot hold one).
			if s.oneLine && s.line != sc.line {
				return s.fault(s.pos, ErrTruncated, "JSON Lines value does not end on its line")
			}
		}
		i := s.pos
		switch state {
		case stObjName, stArrElem:
			closer := byte('}')
			if state == stArrElem {
				closer = ']'
			}
			if c == closer {
				if !s.repair {
					return s.fault(i, ErrSyntax, "trailing ',' before '%c'", closer)
				}
				s.addEdit(sc, edit{off: commaRel, del: 1}, sc.start+int64(commaRel), commaLine, commaCol, "removed trailing ','")
				s.pos++
				if s.closeContainer(sc) {
					return nil
				}
				state, lastEnd, lastLine, lastCol = s.afterValue()
				continue
			}
			if state == stArrElem {
				state = stValue
				break
			}
			state = stObjFirst
		}

		switch state {
		case stValue, stArrFirst:
			if state == stArrFirst && c == ']' {
				s.pos++
				if s.closeContainer(sc) {
					return nil
				}
				state, lastEnd, lastLine, lastCol = s.afterValue()
				continue
			}
			if n := len(s.frames); n > 0 && s.mark >= 0 {
				f := &s.frames[n-1]
				if f.object {
					s.tape[f.slot].valOff = int32(s.rel(i))
				} else if len(s.tape) >= s.slotRoom && !s.roomForSlot() {
					s.dropSlots(i)
				} else {
					f.slot = int32(len(s.tape))
					t := s.addSlot()
					t.nameOff, t.nameEnd, t.valOff = -1, -1, int32(s.rel(i))
				}
			}
			switch {
			case c == '{' || c == '[':
				if err := s.open(c == '{'); err != nil {
					return err
				}
				s.pos++
				state = stArrFirst
				if c == '{' {
					state = stObjFirst
				}
				continue
			case c == '"':
				if err := s.scanString(sc); err != nil {
					return err
				}
			case c == '-' || (c >= '0' && c <= '9'):
				if err := s.scanNumber(); err != nil {
					return err
				}
			case c == 't':
				if err := s.scanLiteral("true"); err != nil {
					return err
				}
			case c == 'f':
				if err := s.scanLiteral("false"); err != nil {
					return err
				}
			case c == 'n':
				if err := s.scanLiteral("null"); err != nil {
					return err
				}
			default:
				return s.fault(i, ErrSyntax, "invalid character %s looking for the beginning of a value", describe(c))
			}
			if len(s.frames) == 0 {
				return nil
			}
			s.endMember(sc)
			state, lastEnd, lastLine, lastCol = s.afterValue()
			if s.pos < s.end && s.buf[s.pos] == ',' {
				// Compact input: take the comma at once.
				commaRel, commaLine, commaCol = s.rel(s.pos), s.line, s.column(s.pos)
				s.pos++
				state = s.afterComma(state)
			}

		case stObjFirst:
			if c == '}' {
				s.pos++
				if s.closeContainer(sc) {
					return nil
				}
				state, lastEnd, lastLine, lastCol = s.afterValue()
				continue
			}
			if c != '"' {
				return s.fault(i, ErrSyntax, "invalid character %s looking for the beginning of a member name", describe(c))
			}
			if err := s.scanName(sc); err != nil {
				return err
			}
			state = stObjColon
			if s.pos < s.end && s.buf[s.pos] == ':' {
				s.pos++ // compact input: straight on to the value
				state = stValue
			}

		case stObjColon:
			if c != ':' {
				return s.fault(i, ErrSyntax, "invalid character %s after member name; want ':'", describe(c))
			}
			s.pos++
			state = stValue

		case stObjNext, stArrNext:
			closer, what := byte('}'), "object member"
			if state == stArrNext {
				closer, what = ']', "array element"
			}
			switch {
			case c == ',':
				commaRel, commaLine, commaCol = s.rel(i), s.line, s.column(i)
				s.pos++
				state = s.afterComma(state)
			case c == closer:
				s.pos++
				if s.closeContainer(sc) {
					return nil
				}
				state, lastEnd, lastLine, lastCol = s.afterValue()
			case s.repair && spaced && (state == stObjNext && c == '"' || state == stArrNext && startsValue(c)):
				// A missing comma between members or elements, with
				// whitespace where it belongs: insert it after the value.
				// The diagnostic is where the slip shows, as an error
				// would be.
				s.addEdit(sc, edit{off: lastEnd, ins: ","}, s.offset(i), s.line, s.column(i),
					"inserted missing ',' after the %s ending at %d:%d", what, lastLine, lastCol)
				if state == stObjNext {
					state = stObjFirst
				} else {
					s.frames[len(s.frames)-1].index++
					state = stValue
				}
			case c == '"' || startsValue(c):
				return s.fault(i, ErrSyntax, "missing ',' after %s (found %s)", what, describe(c))
			default:
				return s.fault(i, ErrSyntax, "invalid character %s after %s; want ',' or '%c'", describe(c), what, closer)
			}
		}
	}
}

// afterComma returns the state after the ',' that follows a member
// (stObjNext) or an element (stArrNext), counting the element.
func (s *scanner) afterComma(state int) int {
	if state == stObjNext {
		return stObjName
	}
	s.frames[len(s.frames)-1].index++
	return stArrElem
}

// truncated reports the end of input inside a value.
func (s *scanner) truncated(state int) error {
	if s.rerr != nil {
		return s.rerr
	}
	want := "a value"
	switch state {
	case stObjFirst, stObjName:
		want = "a member name"
	case stObjColon:
		want = "':'"
	case stObjNext:
		want = "',' or '}'"
	case stArrNext:
		want = "',' or ']'"
	}
	return &syntaxFault{off: s.offset(s.pos), line: s.line, col: s.column(s.pos),
		err: errorf(ErrTruncated, "input ends inside a value; want "+want)}
}

// open pushes a frame for '{' or '['.
func (s *scanner) open(object bool) error {
	if len(s.frames) >= s.maxDepth {
		return s.faultErr(s.pos, limitError("MaxDepth", int64(s.maxDepth), "nesting deeper than %d levels", s.maxDepth))
	}
	s.frames = append(s.frames, frame{object: object, firstSlot: -1, dupOf: -1, slot: -1})
	return nil
}

// closeContainer pops a frame after its closing byte and reports whether
// that completed the value.
func (s *scanner) closeContainer(sc *scanned) (done bool) {
	s.frames = s.frames[:len(s.frames)-1]
	if len(s.frames) == 0 {
		return true
	}
	s.endMember(sc)
	return false
}

// afterValue returns the state after a value inside a container, and where
// the value ended.
func (s *scanner) afterValue() (state, lastEnd, line, col int) {
	state = stArrNext
	if s.frames[len(s.frames)-1].object {
		state = stObjNext
	}
	return state, s.rel(s.pos), s.line, s.column(s.pos)
}

// endMember runs when a value inside a container ends: for an object member
// it records the value's extent and settles a duplicate name.
func (s *scanner) endMember(sc *scanned) {
	f := &s.frames[len(s.frames)-1]
	if s.mark < 0 {
		return
	}
	if f.slot >= 0 {
		s.endSlot(f.slot, s.pos)
	}
	if !f.object || f.dupOf < 0 {
		return
	}
	first, m := &s.tape[f.dupOf], &s.tape[f.slot]
	f.dupOf = -1
	raw := s.buf[s.mark:]
	if jsonEqual(raw[first.valOff:first.valEnd], raw[m.valOff:m.valEnd]) {
		if len(sc.dups) < MaxDiagnostics {
			sc.dups = append(sc.dups, dupName{pointer: s.pointer(sc), off: int(m.nameOff) - 1})
		} else {
			sc.elided++
		}
		return
	}
	if sc.err == nil {
		sc.err = errorf(ErrDuplicateName, fmt.Sprintf("member %s appears twice with different values",
			strconv.Quote(s.slotName(m))))
		sc.errOff = sc.start + int64(m.nameOff) - 1
		sc.errPtr = s.pointer(sc)
	}
}

// scanName scans a member name, records it, and looks for an earlier member
// of the same name in the same object.
func (s *scanner) scanName(sc *scanned) error {
	startOff := s.offset(s.pos) // scanString may move the buffer
	if err := s.scanString(sc); err != nil {
		return err
	}
	if s.mark < 0 {
		return nil
	}
	start := int(startOff - s.base)
	f := &s.frames[len(s.frames)-1]
	nameOff, nameEnd := s.rel(start)+1, s.rel(s.pos)-1
	escaped := s.escaped
	f.nameOff, f.nameEnd, f.escaped = nameOff, nameEnd, escaped
	if len(s.tape) >= s.slotRoom && !s.roomForSlot() {
		s.dropSlots(start)
		return nil
	}
	f.slot, f.dupOf = s.addMember(f, nameOff, nameEnd, escaped)
	return nil
}

// addMember adds a slot for the next member of the object f, named by the
// retained bytes [nameOff, nameEnd), and returns it with the slot of an
// earlier member of the same name, or -1.
func (s *scanner) addMember(f *frame, nameOff, nameEnd int, escaped bool) (slotIdx, dupOf int32) {
	dupOf = -1
	bit := nameBloom(s.buf[s.mark+nameOff : s.mark+nameEnd])
	if escaped || f.bloom&bit != 0 || f.count >= 24 {
		dupOf = s.findMember(f, nameOff, nameEnd, escaped)
	}
	if escaped {
		f.bloom = ^uint64(0) // escaped names are compared unescaped: always search
	} else {
		f.bloom |= bit
	}
	f.count++
	slotIdx = int32(len(s.tape))
	if f.firstSlot < 0 {
		f.firstSlot = slotIdx
	}
	t := s.addSlot()
	t.nameOff, t.nameEnd = int32(nameOff), int32(nameEnd)
	if escaped {
		t.flags = slotNameEscaped
	}
	return slotIdx, dupOf
}

// endSlot completes slot k with the end of its value, buf[end-1] being the
// value's last byte; s.escaped tells whether a string value held escapes.
func (s *scanner) endSlot(k int32, end int) {
	sl := &s.tape[k]
	sl.valEnd = int32(s.rel(end))
	sl.skip = int32(len(s.tape))
	if s.buf[end-1] == '"' {
		sl.flags |= slotString
		if s.escaped {
			sl.flags |= slotValueEscaped
		}
	}
}

// addSlot appends a zero slot to the tape and returns it, for the caller to
// fill field by field. The caller has made room (see roomForSlot). Appending a filled slot literal instead cost a failed
// store-to-load forwarding per member (the literal's small stores are read
// back as one 16-byte load): 11% of the scanner in a CPU profile.
func (s *scanner) addSlot() *slot {
	s.tape = append(s.tape, slot{})
	return &s.tape[len(s.tape)-1]
}

// roomForSlot makes room on the tape for one more slot, and reports whether
// the value may have it (MaxValues). Callers call it once the tape reaches
// slotRoom, so that one comparison per slot serves both. It doubles the
// tape: append grows large slices by a quarter at a time, which allocated
// five times the final tape of a dense record along the way.
func (s *scanner) roomForSlot() bool {
	if len(s.tape) >= s.maxSlots {
		return false
	}
	if len(s.tape) == cap(s.tape) {
		s.tape = slices.Grow(s.tape, max(len(s.tape), 64))
	}
	s.slotRoom = min(s.maxSlots, cap(s.tape))
	return true
}

// nameBloom hashes a name to one of 64 bits. Names that differ get
// different bits often enough that findMember seldom runs: for 3.5% of the
// names in the benchmark's records (a hash of three bytes and the length
// let 10% through, in objects of at most 23 members).
func nameBloom(name []byte) uint64 {
	n := len(name)
	var x uint64
	switch {
	case n >= 8:
		x = binary.LittleEndian.Uint64(name) + 3*binary.LittleEndian.Uint64(name[n-8:])
	case n >= 4:
		x = uint64(binary.LittleEndian.Uint32(name)) | uint64(binary.LittleEndian.Uint32(name[n-4:]))<<32
	default:
		for _, c := range name {
			x = x<<8 | uint64(c)
		}
	}
	return 1 << ((x + uint64(n)) * 0x9E3779B97F4A7C15 >> 58)
}

// findMember returns the slot of an earlier member of f with the given
// name, or -1, walking the object's members on the tape. Small objects are
// searched linearly; large ones through a nameTable, so that a hostile
// object with many members stays linear.
func (s *scanner) findMember(f *frame, nameOff, nameEnd int, escaped bool) int32 {
	next := int32(len(s.tape)) // the slot about to be added
	if f.count < 24 && !escaped {
		// sameName's comparison, inline: through sameName, this loop cost
		// 1.3% more instructions per record.
		name := s.buf[s.mark+nameOff : s.mark+nameEnd]
		for k := f.firstSlot; k >= 0 && k < next; k = s.tape[k].skip {
			o := &s.tape[k]
			if o.flags&slotNameEscaped != 0 {
				if s.slotName(o) == string(name) {
					return k
				}
			} else if int(o.nameEnd-o.nameOff) == len(name) && bytes.Equal(s.buf[s.mark+int(o.nameOff):s.mark+int(o.nameEnd)], name) {
				return k
			}
		}
		return -1
	}
	if f.names == nil {
		f.names = new(nameTable)
		for k := f.firstSlot; k >= 0 && k < next; k = s.tape[k].skip {
			o := &s.tape[k]
			f.names.add(s.nameHash(int(o.nameOff), int(o.nameEnd), o.flags&slotNameEscaped != 0), k)
		}
	}
	h := s.nameHash(nameOff, nameEnd, escaped)
	dup := f.names.find(h, func(k int32) bool { return s.sameName(&s.tape[k], nameOff, nameEnd, escaped) })
	f.names.add(h, next)
	return dup
}

// A nameTable finds the members of a large object by the hashes of their
// names: open addressing over 8-byte entries, at most half full, so that a
// member costs 16 to 24 bytes. (A map of the names cost 100 bytes, and a
// string of each name.) Entries keep 32 bits of the hash; the caller
// compares the names of those that match.
type nameTable struct {
	entries []nameEntry // a power of two of them
	n       int
}

type nameEntry struct {
	tag  uint32 // the hash's high half
	slot int32  // the member's slot plus one; 0 for an empty entry
}

// add enters the member of slot k under hash h.
func (t *nameTable) add(h uint64, k int32) {
	if 2*(t.n+1) > len(t.entries) {
		old := t.entries
		t.entries, t.n = make([]nameEntry, max(64, 2*len(old))), 0
		for _, e := range old {
			if e.slot != 0 {
				t.put(e)
			}
		}
	}
	t.put(nameEntry{tag: uint32(h >> 32), slot: k + 1})
}

// put stores e at the first empty entry from its tag's home.
func (t *nameTable) put(e nameEntry) {
	mask := len(t.entries) - 1
	for i := t.home(e.tag); ; i = (i + 1) & mask {
		if t.entries[i].slot == 0 {
			t.entries[i] = e
			t.n++
			return
		}
	}
}

// home returns the first entry a tag is looked for at. It is computed
// from the tag alone, so that growth can move entries.
func (t *nameTable) home(tag uint32) int {
	return int(uint64(tag)*0x9E3779B97F4A7C15>>32) & (len(t.entries) - 1)
}

// find returns the slot of the first member entered under hash h for
// which same reports true, or -1.
func (t *nameTable) find(h uint64, same func(k int32) bool) int32 {
	if len(t.entries) == 0 {
		return -1
	}
	tag, mask := uint32(h>>32), len(t.entries)-1
	for i := t.home(tag); t.entries[i].slot != 0; i = (i + 1) & mask {
		if e := t.entries[i]; e.tag == tag && same(e.slot-1) {
			return e.slot - 1
		}
	}
	return -1
}

// sameName reports whether member slot o has the retained name [off, end),
// unescaped.
func (s *scanner) sameName(o *slot, off, end int, escaped bool) bool {
	if o.flags&slotNameEscaped != 0 || escaped {
		return s.slotName(o) == s.nameText(off, end, escaped)
	}
	return bytes.Equal(s.buf[s.mark+int(o.nameOff):s.mark+int(o.nameEnd)], s.buf[s.mark+off:s.mark+end])
}

// nameSeed seeds nameHash.
var nameSeed = maphash.MakeSeed()

// nameHash hashes the retained name [off, end), unescaped.
func (s *scanner) nameHash(off, end int, escaped bool) uint64 {
	if escaped {
		return maphash.String(nameSeed, s.nameText(off, end, true))
	}
	return maphash.Bytes(nameSeed, s.buf[s.mark+off:s.mark+end])
}

// slotName returns a member slot's name, unescaped.
func (s *scanner) slotName(o *slot) string {
	return s.nameText(int(o.nameOff), int(o.nameEnd), o.flags&slotNameEscaped != 0)
}

// nameText returns a retained name, unescaped.
func (s *scanner) nameText(off, end int, escaped bool) string {
	b := s.buf[s.mark+off : s.mark+end]
	if !escaped {
		return string(b)
	}
	if u, err := unescape(b); err == nil {
		return u
	}
	return string(b)
}

// pointer builds the JSON Pointer of the current position from the frames.
// Names are unknown once a value is no longer retained.
func (s *scanner) pointer(sc *scanned) string {
	var b []byte
	for i := range s.frames {
		f := &s.frames[i]
		switch {
		case !f.object:
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(f.index), 10)
		case s.mark >= 0 && f.nameOff > 0 && f.nameEnd >= f.nameOff:
			b = append(b, '/')
			b = appendPointerToken(b, s.nameText(f.nameOff, f.nameEnd, f.escaped))
		default:
			// Before the object's first name, or its name is gone: the
			// pointer names the object.
			return string(b)
		}
	}
	return string(b)
}

// appendPointerToken escapes a name for a JSON Pointer (RFC 6901).
func appendPointerToken(b []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '~':
			b = append(b, '~', '0')
		case '/':
			b = append(b, '~', '1')
		default:
			b = append(b, name[i])
		}
	}
	return b
}

// addEdit records a repair and its diagnostic, positioned at the input
// offset off, line:col.
func (s *scanner) addEdit(sc *scanned, e edit, off int64, line, col int, format string, args ...any) {
	if s.mark < 0 {
		return // the value was dropped (see dropValue): no text to edit
	}
	sc.edits = append(sc.edits, e)
	s.noteRepair(sc, off, line, col, format, args...)
}

// noteRepair records the diagnostic of a repair: the message is formatted
// only if it is listed, not among those elided past MaxDiagnostics.
func (s *scanner) noteRepair(sc *scanned, off int64, line, col int, format string, args ...any) {
	if len(sc.repairs) == MaxDiagnostics {
		sc.elided++
		return
	}
	sc.repairs = append(sc.repairs, Diagnostic{
		Kind: Repaired, Pointer: s.pointer(sc), Offset: off, Line: line, Column: col, Message: fmt.Sprintf(format, args...),
	})
}

// replaceByte replaces the invalid UTF-8 byte at buf[i] with U+FFFD.
func (s *scanner) replaceByte(sc *scanned, i int) {
	s.replaceRun(sc, i, fffdByte, "replaced invalid UTF-8 byte 0x%02x with U+FFFD", s.buf[i])
}

// A replacement is a repair that replaces a unit of del bytes with ins;
// run is maxRun of ins in a row. A run of them in the text is one edit
// (see replaceRun).
type replacement struct {
	del      int
	ins, run string
}

var (
	// fffdByte is an invalid UTF-8 byte, replaced with U+FFFD.
	fffdByte = newReplacement(1, "\uFFFD")
	// fffdEscape is a \u escape of a lone surrogate, replaced with \uFFFD.
	fffdEscape = newReplacement(6, `\uFFFD`)
)

// maxRun is the most units one edit replaces.
const maxRun = 1024

func newReplacement(del int, ins string) *replacement {
	return &replacement{del: del, ins: ins, run: strings.Repeat(ins, maxRun)}
}

// of reports whether edit e is a run of rp, and how many units it replaces.
func (rp *replacement) of(e *edit) (int, bool) {
	n := e.del / rp.del
	return n, n > 0 && n <= maxRun && e.del == n*rp.del && e.ins == rp.run[:n*len(rp.ins)]
}

// within maps an offset inside the edit's replacement text to the text as
// read: the start of the edit, or inside a run of replacements, of the unit.
func (e *edit) within(d int) int {
	for _, rp := range [...]*replacement{fffdByte, fffdEscape} {
		if _, ok := rp.of(e); ok {
			return e.off + d/len(rp.ins)*rp.del
		}
	}
	return e.off
}

// replaceRun replaces the unit of rp at buf[i]. Each unit is a repair of
// its own, but a run of them is one edit of up to maxRun units: an edit
// for each byte cost 40 bytes of them, and three strings of 4 MB of 0xff
// took 1.4 GB and 6 s.
func (s *scanner) replaceRun(sc *scanned, i int, rp *replacement, format string, args ...any) {
	if s.mark < 0 {
		return // the value was dropped (see dropValue): no text to edit
	}
	off := s.rel(i)
	if n := len(sc.edits); n > 0 {
		e := &sc.edits[n-1]
		if k, ok := rp.of(e); ok && e.off+e.del == off && k < maxRun {
			e.del += rp.del
			e.ins = rp.run[:(k+1)*len(rp.ins)]
			s.noteRepair(sc, s.offset(i), s.line, s.column(i), format, args...)
			return
		}
	}
	s.addEdit(sc, edit{off: off, del: rp.del, ins: rp.ins}, s.offset(i), s.line, s.column(i), format, args...)
}

// dropValue stops retaining the value being scanned after it crossed a
// limit: the value fails with a limit error, but scanning goes on to its end
// so that the input can continue after it. The error is positioned at off,
// line:col, since the value's text will not be at hand to find it. Under
// Repair, the slips after it are passed over unedited (there is no text to
// edit), so that the value fails for its limit, not for a repairable slip.
func (s *scanner) dropValue(off int64, line, col int, err error) {
	sc := s.cur
	if sc.err == nil {
		sc.err = err
		sc.errOff, sc.errLine, sc.errCol = off, line, col
		sc.errPtr = s.pointer(sc)
	}
	sc.retained = false
	s.mark = -1
	s.tape = s.tape[:0]
	for i := range s.frames {
		s.frames[i].nameOff, s.frames[i].nameEnd = 0, -1 // names are gone
		s.frames[i].dupOf, s.frames[i].slot, s.frames[i].firstSlot = -1, -1, -1
		s.frames[i].names = nil
	}
}

// dropSlots fails the value at buf[i], which would take it past maxSlots.
func (s *scanner) dropSlots(i int) {
	s.dropValue(s.offset(i), s.line, s.column(i), limitError("MaxValues", int64(s.maxSlots), "more than %d members and elements", s.maxSlots))
}

// scanString scans a string starting at buf[pos] == '"'. It validates escapes
// and UTF-8. A string longer than maxString fails the value but is scanned to
// its end without being kept in memory.
func (s *scanner) scanString(sc *scanned) error {
	i := s.pos + 1
	s.escaped = false
	start := s.offset(s.pos)
	long := false
	for {
		// Fast path over plain ASCII.
		i += stringSpecial(s.buf[i:s.end])
		if !long && s.offset(i)-start > int64(s.maxString) {
			long = true
			s.dropValue(start, s.line, int(start-s.lineStart)+1, limitError("MaxStringBytes", int64(s.maxString), "string longer than %d bytes", s.maxString))
		}
		if i >= s.end {
			s.pos = i // consumed: a long string need not stay in memory
			if !s.fill() {
				return s.readErrAt(s.pos, "input ends inside a string")
			}
			i = s.pos
			continue
		}
		switch c := s.buf[i]; {
		case c == '"':
			s.pos = i + 1
			return nil
		case c == '\\':
			s.escaped = true
			var err error
			if i, err = s.scanEscape(sc, i); err != nil {
				return err
			}
		case c < 0x20:
			s.pos = i
			return s.fault(i, ErrSyntax, "control character %s in string (must be escaped)", describe(c))
		default: // c >= 0x80
			i, _ = s.ensure(i, utf8.UTFMax)
			r, size := utf8.DecodeRune(s.buf[i:s.end])
			if r == utf8.RuneError && size <= 1 {
				if !s.repair {
					s.pos = i
					return s.fault(i, ErrInvalidUTF8, "invalid UTF-8 byte 0x%02x in string", s.buf[i])
				}
				s.replaceByte(sc, i)
				size = 1
			}
			i += size
		}
	}
}

// scanEscape validates the escape at buf[i] == '\\' and returns the index
// after it.
func (s *scanner) scanEscape(sc *scanned, i int) (int, error) {
	at := s.offset(i) // the buffer may move; offsets do not
	i, _ = s.ensure(i, 2)
	if i+1 >= s.end {
		s.pos = i
		return i, s.readErrAt(i, "input ends inside a string escape")
	}
	switch s.buf[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2, nil
	case 'u':
	default:
		s.pos = i
		return i, s.fault(i, ErrSyntax, "invalid escape '\\%c' in string", s.buf[i+1])
	}
	r, j, err := s.hex4(i)
	if err != nil {
		return j, err
	}
	if r >= 0xD800 && r < 0xDC00 {
		// A high surrogate must be followed by an escaped low surrogate.
		j, _ = s.ensure(j, 2)
		if j+1 < s.end && s.buf[j] == '\\' && s.buf[j+1] == 'u' {
			r2, k, err := s.hex4(j)
			if err != nil {
				return k, err
			}
			if r2 >= 0xDC00 && r2 < 0xE000 {
				return k, nil
			}
		}
	} else if r < 0xDC00 || r >= 0xE000 {
		return j, nil
	}
	return s.loneSurrogate(sc, int(at-s.base), r)
}

// hex4 reads the four hex digits of \uXXXX at buf[i] and returns the code
// and the index after it.
func (s *scanner) hex4(i int) (rune, int, error) {
	i, _ = s.ensure(i, 6)
	if i+6 > s.end {
		s.pos = i
		return 0, i, s.readErrAt(i, "input ends inside a \\u escape")
	}
	r, bad := parseHex4(s.buf[i+2 : i+6])
	if r < 0 {
		k := i + 2 + bad
		s.pos = k
		return 0, k, s.fault(k, ErrSyntax, "invalid character %s in \\u escape", describe(s.buf[k]))
	}
	return r, i + 6, nil
}

// parseHex4 returns the value of the four hex digits h, or -1 and the
// index of the first byte of h that is not one.
func parseHex4(h []byte) (rune, int) {
	var r rune
	for k, c := range h {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return -1, k
		}
	}
	return r, len(h)
}

// loneSurrogate handles a \u escape at buf[i] naming half a surrogate pair:
// an error, or under Repair a U+FFFD in its place.
func (s *scanner) loneSurrogate(sc *scanned, i int, r rune) (int, error) {
	if !s.repair {
		s.pos = i
		return i, s.fault(i, ErrInvalidUTF8, "\\u%04X is half of a surrogate pair", r)
	}
	s.replaceRun(sc, i, fffdEscape, "replaced lone surrogate \\u%04X with U+FFFD", r)
	return i + 6, nil
}

// scanNumber scans a number starting at buf[pos].
func (s *scanner) scanNumber() error {
	i := s.pos
	peek := func() byte {
		var ok bool
		if i, ok = s.ensure(i, 1); !ok {
			return 0
		}
		return s.buf[i]
	}
	digits := func() {
		for c := peek(); c >= '0' && c <= '9'; c = peek() {
			i++
		}
	}
	c := peek()
	if c == '-' {
		i++
		if c = peek(); c < '0' || c > '9' {
			return s.numberFault(i, "want a digit after '-'")
		}
	}
	if c == '0' {
		i++
	} else {
		digits()
	}
	if peek() == '.' {
		i++
		if c = peek(); c < '0' || c > '9' {
			return s.numberFault(i, "want a digit after '.'")
		}
		digits()
	}
	if c = peek(); c == 'e' || c == 'E' {
		i++
		if c = peek(); c == '+' || c == '-' {
			i++
		}
		if c = peek(); c < '0' || c > '9' {
			return s.numberFault(i, "want a digit in the exponent")
		}
		digits()
	}
	s.pos = i
	return nil
}

func (s *scanner) numberFault(i int, msg string) error {
	s.pos = i
	if i >= s.end {
		return s.readErrAt(i, "input ends inside a number")
	}
	return s.fault(i, ErrSyntax, "invalid character %s in number: %s", describe(s.buf[i]), msg)
}

// scanLiteral scans true, false or null.
func (s *scanner) scanLiteral(lit string) error {
	i, _ := s.ensure(s.pos, len(lit))
	for k := 0; k < len(lit); k++ {
		if i+k >= s.end {
			s.pos = i + k
			return s.readErrAt(i+k, "input ends inside "+lit)
		}
		if s.buf[i+k] != lit[k] {
			s.pos = i + k
			return s.fault(i+k, ErrSyntax, "invalid character %s in literal %s", describe(s.buf[i+k]), lit)
		}
	}
	s.pos = i + len(lit)
	return nil
}

// jsonEqual reports whether two valid JSON values are equal as JSON values:
// member order, whitespace and number spelling aside.
func jsonEqual(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	ca, cb := jsontext.Value(bytes.Clone(a)), jsontext.Value(bytes.Clone(b))
	opts := jsontext.AllowDuplicateNames(true)
	if ca.Canonicalize(opts) != nil || cb.Canonicalize(opts) != nil {
		return false
	}
	return bytes.Equal(ca, cb)
}

// unescape returns the contents of a JSON string (without its quotes) with
// escapes resolved. The input has been validated.
func unescape(b []byte) (string, error) {
	q := make([]byte, 0, len(b)+2)
	q = append(q, '"')
	q = append(q, b...)
	q = append(q, '"')
	out, err := jsontext.AppendUnquote(nil, q)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// unquoteJSON returns the contents of a quoted JSON string.
func unquoteJSON(b []byte) (string, error) {
	out, err := jsontext.AppendUnquote(nil, b)
	if err != nil {
		return "", errorf(ErrSyntax, "invalid JSON string")
	}
	return string(out), nil
}

// appendQuoted appends s as a JSON string. Invalid UTF-8 is replaced, which
// cannot happen for strings the scanner validated.
func appendQuoted(b []byte, s string) []byte {
	out, err := jsontext.AppendQuote(b, s)
	if err != nil {
		return out // AppendQuote has replaced the invalid bytes
	}
	return out
}

// scanDocument scans data as exactly one JSON value: the syntax layer's
// verdict on a whole document, used by the conformance tests and fuzzers.
func scanDocument(data []byte, repair bool) (*scanned, error) {
	s := newScanner(bytes.NewReader(data))
	s.repair = repair
	sc, err := s.scanValue()
	if err == io.EOF {
		return nil, &syntaxFault{err: errorf(ErrTruncated, "no JSON value")}
	}
	if err != nil {
		return sc, err
	}
	if c, ok, _ := s.skipSpace(); ok {
		return sc, s.fault(s.pos, ErrSyntax, "invalid character %s after top-level value", describe(c))
	}
	if s.rerr != nil {
		return sc, s.rerr
	}
	return sc, nil
}

// isSpace reports whether c is JSON whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
