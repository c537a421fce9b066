package jsonscan

import (
	"bytes"
	"io"
)

// Limits bound what one value may cost. A value that crosses one of them
// fails (its Value's Fault says which), but the scanner reads on to its end
// without keeping it, so that the input can go on after it; Depth is the
// exception, a syntax fault, since a value nested without end has no end to
// read on to.
type Limits struct {
	Depth  int // the deepest nesting of arrays and objects
	String int // the longest string, in bytes as written
	Value  int // the most bytes of one value
	Slots  int // the most members and elements of one value (its tape's length)
}

// Options are a Scanner's settings.
type Options struct {
	Limits

	// Repair accepts the slips of hand-written JSON: a missing comma
	// between members or elements (where whitespace shows its place), a
	// trailing comma, invalid UTF-8 and lone surrogates (replaced by
	// U+FFFD). Each is an Edit of the value and a Repair.
	Repair bool

	// Listed is the most Repairs, and the most Dups, a Value lists; the
	// rest are counted in its Elided.
	Listed int
}

// A Scanner reads JSON text from rd through buf. Bytes before pos are
// consumed; bytes from mark on (when mark >= 0) are retained across refills,
// which is how a value's bytes stay at hand until it ends, and so are the
// bytes from hold on (when hold >= 0), which is how a Mark can be gone back
// to.
type Scanner struct {
	rd   io.Reader
	buf  []byte
	pos  int   // next byte to examine
	end  int   // buf[:end] holds data
	base int64 // input offset of buf[0]
	mark int   // start of the retained region, or -1
	hold int   // start of a Mark's region, or -1
	eof  bool  // rd reported io.EOF
	rerr error // sticky read error other than io.EOF
	lent bool  // buf is the caller's (see ResetBytes)

	line      int   // 1-based line of buf[pos]
	lineStart int64 // input offset of the first byte of that line

	maxDepth  int // deepest nesting of arrays and objects
	maxString int // longest string, in bytes as written
	maxValue  int // most bytes retained for one value
	maxSlots  int // most slots (members and elements) of one value
	listed    int // most repairs and duplicates a value lists
	slotRoom  int // slots the tape holds without growing, up to maxSlots; 0 until roomForSlot sets it
	repair    bool
	oneLine   bool // a value must end on the line it starts on (JSON Lines)
	escaped   bool // the last string scanned held an escape
	slowOnly  bool // never take the fast path (tests compare the two)
	tape      []Slot

	cur *Value // the value being scanned
	sc  Value  // the last value scanned, reused

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

// A Value is one value found by ScanValue. It is the Scanner's, and valid
// until its next call; Raw and Tape alias the Scanner's buffers until then.
type Value struct {
	Start     int64  // input offset of the first byte
	Line, Col int    // position of the first byte
	Raw       []byte // the value as read (once it is complete and Retained)
	Tape      []Slot // the value's slots (see Slot)
	Retained  bool   // Raw holds the whole value (false once it crossed Limits.Value, String or Slots)
	Edits     []Edit // the repairs of Raw, in order (see ApplyEdits)
	Repairs   []Repair
	Dups      []Dup
	Elided    int // repairs and duplicates beyond Options.Listed, not listed
	// Fault is a fault that leaves the syntax intact: a limit crossed, or
	// a member name twice with different values. The value fails, but the
	// input goes on after it. Its Line and Col are zero when the value was
	// Retained: Offset is then in Raw, where a Locator finds it.
	Fault *Fault
}

// A Dup is a member name that appears twice in an object, with identical
// values.
type Dup struct {
	Pointer string // the member's JSON Pointer
	Off     int    // the second name's opening quote, relative to the value start
}

const (
	defaultBufSize = 64 << 10
	minRead        = 32 << 10
	// maxPooledBuf and maxPooledTape bound the buffers Release keeps.
	maxPooledBuf  = 1 << 20
	maxPooledTape = 1 << 16
)

// NewScanner returns a Scanner of rd.
func NewScanner(rd io.Reader, o Options) *Scanner {
	s := new(Scanner)
	s.Reset(rd, o)
	return s
}

// Reset makes s a new Scanner of rd that reuses s's buffers.
func (s *Scanner) Reset(rd io.Reader, o Options) {
	buf := s.buf[:cap(s.buf)]
	if s.lent {
		buf = nil // not the Scanner's to write to
	}
	*s = Scanner{rd: rd, mark: -1, hold: -1, line: 1, buf: buf, tape: s.tape[:0], frames: s.frames[:0],
		maxDepth: o.Depth, maxString: o.String, maxValue: o.Value, maxSlots: o.Slots, listed: o.Listed, repair: o.Repair}
}

// ResetBytes makes s a new Scanner of text, which it reads in place: the
// Values it returns alias text, and stay valid after the next call (their
// Tape does not).
func (s *Scanner) ResetBytes(text []byte, o Options) {
	s.Reset(nil, o)
	s.buf, s.end, s.eof, s.lent = text, len(text), true, true
}

// Release drops what s refers to but its reusable buffers, and reports
// whether they are small enough to keep for another input.
func (s *Scanner) Release() bool {
	if cap(s.buf) > maxPooledBuf || cap(s.tape) > maxPooledTape {
		return false
	}
	s.Reset(nil, Options{})
	clear(s.frames[:cap(s.frames)]) // their names maps
	return true
}

// SetOneLine sets whether a value must end on the line it starts on (as in
// JSON Lines): a line break inside it is then a Truncated fault.
func (s *Scanner) SetOneLine(on bool) { s.oneLine = on }

// SkipBOM passes over a UTF-8 byte order mark at the start of the input, and
// reports whether there was one. Windows tools write one (PowerShell's
// Out-File, Notepad); RFC 8259 lets a parser ignore it. Columns on the first
// line count from after it, as editors show them.
func (s *Scanner) SkipBOM() bool {
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
func (s *Scanner) fill() bool {
	if s.eof || s.rerr != nil {
		return false
	}
	if s.mark >= 0 && s.cur != nil && s.end-s.mark > s.maxValue {
		// The value outgrew maxValue: stop retaining it, but go on
		// validating it so that the input can continue after it.
		s.dropValue(s.offset(s.pos), s.line, s.column(s.pos), s.limitFault(ValueLimit, s.maxValue))
	}
	if s.hold >= 0 && s.end-s.hold > s.maxValue {
		s.hold = -1 // a Mark holds no more than a value
	}
	keep := s.pos
	if s.mark >= 0 && s.mark < keep {
		keep = s.mark
	}
	if s.hold >= 0 && s.hold < keep {
		keep = s.hold
	}
	if keep > 0 && (s.end-keep < len(s.buf)/2 || s.end == len(s.buf)) {
		n := copy(s.buf, s.buf[keep:s.end])
		s.base += int64(keep)
		s.pos -= keep
		s.end = n
		if s.mark >= 0 {
			s.mark -= keep
		}
		if s.hold >= 0 {
			s.hold -= keep
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
func (s *Scanner) ensure(i, n int) (int, bool) {
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
func (s *Scanner) offset(i int) int64 { return s.base + int64(i) }

// column returns the 1-based column of buf[i], which must be on the current
// line.
func (s *Scanner) column(i int) int { return int(s.offset(i)-s.lineStart) + 1 }

// rel returns buf[i]'s offset relative to the retained value's start.
func (s *Scanner) rel(i int) int { return i - s.mark }

// Offset returns the input offset of the next byte.
func (s *Scanner) Offset() int64 { return s.offset(s.pos) }

// Line returns the 1-based line of the next byte.
func (s *Scanner) Line() int { return s.line }

// Column returns the 1-based column, in bytes, of the next byte.
func (s *Scanner) Column() int { return s.column(s.pos) }

// AtLineStart reports whether the next byte starts a line.
func (s *Scanner) AtLineStart() bool { return s.offset(s.pos) == s.lineStart }

// Err returns the error that stopped reading the input, other than io.EOF.
func (s *Scanner) Err() error { return s.rerr }

// SkipSpace consumes whitespace and returns the next byte without consuming
// it; ok is false at the end of the input. spaced reports whether any
// whitespace was consumed.
func (s *Scanner) SkipSpace() (c byte, ok, spaced bool) {
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

// Peek returns the next n bytes without consuming them, or fewer if the
// input ends first. They are valid until the next call that reads input.
func (s *Scanner) Peek(n int) []byte {
	s.pos, _ = s.ensure(s.pos, n)
	return s.buf[s.pos:min(s.end, s.pos+n)]
}

// Advance consumes the next n bytes, which Peek has returned, counting the
// lines they end.
func (s *Scanner) Advance(n int) {
	for i, c := range s.buf[s.pos : s.pos+n] {
		if c == '\n' {
			s.line++
			s.lineStart = s.offset(s.pos + i + 1)
		}
	}
	s.pos += n
}

// A Mark is a position of the Scanner to go back to (see Scanner.Mark).
type Mark struct {
	off       int64
	line      int
	lineStart int64
}

// Offset returns the Mark's input offset.
func (m Mark) Offset() int64 { return m.off }

// Mark returns the Scanner's position, and keeps the input from there at
// hand, for as much as one value may hold (Limits.Value), until Rewind or
// Unmark. One Mark is held at a time.
func (s *Scanner) Mark() Mark {
	s.hold = s.pos
	return Mark{off: s.offset(s.pos), line: s.line, lineStart: s.lineStart}
}

// Rewind goes back to m, and reports whether it could: not once the Scanner
// has read past the bytes the Mark holds. It lets go of the Mark either way.
func (s *Scanner) Rewind(m Mark) bool {
	s.hold = -1
	i := m.off - s.base
	if i < 0 || i > int64(s.end) {
		return false
	}
	s.pos, s.line, s.lineStart = int(i), m.line, m.lineStart
	return true
}

// Unmark lets go of the Mark, staying where the Scanner is.
func (s *Scanner) Unmark() { s.hold = -1 }

// SkipLine consumes the input up to and including the next line feed. It
// reports false at the end of the input, or on a read error (see Err).
func (s *Scanner) SkipLine() bool {
	for {
		if i := bytes.IndexByte(s.buf[s.pos:s.end], '\n'); i >= 0 {
			s.pos += i + 1
			s.line++
			s.lineStart = s.offset(s.pos)
			return true
		}
		s.pos = s.end
		if !s.fill() {
			return false
		}
	}
}

// LastNonSpace returns the last byte before the next one that is not
// whitespace, if the Scanner still holds it, else 0.
func (s *Scanner) LastNonSpace() byte {
	for i := s.pos - 1; i >= 0; i-- {
		if !IsSpace(s.buf[i]) {
			return s.buf[i]
		}
	}
	return 0
}

// ScanValue scans one complete JSON value starting at the next non-space
// byte. The result is the Scanner's own, valid until the next call. The
// value's bytes stay in the buffer (Raw aliases them until the next call
// that reads input) unless it crosses a limit, in which case it is still
// validated to its end but not retained, and its Fault says which limit. A
// syntax fault is returned as a *Fault; the Scanner is then inside the value
// and the caller must resynchronise or stop. At the end of the input
// ScanValue returns io.EOF, and after a read error that error.
func (s *Scanner) ScanValue() (*Value, error) {
	if _, ok, _ := s.SkipSpace(); !ok {
		if s.rerr != nil {
			return nil, s.rerr
		}
		return nil, io.EOF
	}
	sc := &s.sc
	*sc = Value{Start: s.offset(s.pos), Line: s.line, Col: s.column(s.pos), Retained: true,
		Edits: sc.Edits[:0], Repairs: sc.Repairs[:0], Dups: sc.Dups[:0]}
	s.mark = s.pos
	s.cur = sc
	s.frames = s.frames[:0]
	s.tape = s.tape[:0]
	var err error
	if !s.scanFast() { // see fast.go
		err = s.scan(sc)
	}
	if err == nil && sc.Retained {
		sc.Raw = s.buf[s.mark:s.pos]
		sc.Tape = s.tape
		// fill enforces maxValue on values larger than the buffer; this
		// catches the smaller ones.
		if len(sc.Raw) > s.maxValue && sc.Fault == nil {
			sc.Fault = s.limitFault(ValueLimit, s.maxValue)
			sc.Fault.Offset = sc.Start + int64(s.maxValue)
		}
	}
	s.mark = -1
	s.cur = nil
	return sc, err
}

// ScanDocument scans data as exactly one JSON value: the syntax layer's
// verdict on a whole document.
func ScanDocument(data []byte, o Options) (*Value, error) {
	s := NewScanner(bytes.NewReader(data), o)
	sc, err := s.ScanValue()
	if err == io.EOF {
		return nil, s.Fault(Truncated, "no JSON value")
	}
	if err != nil {
		return sc, err
	}
	if c, ok, _ := s.SkipSpace(); ok {
		return sc, s.Fault(Syntax, "invalid character %s after top-level value", Describe(c))
	}
	if s.rerr != nil {
		return sc, s.rerr
	}
	return sc, nil
}
