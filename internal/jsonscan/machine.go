package jsonscan

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// This file is the scanner's state machine: the slow path, which reads a
// value token by token across refills of the buffer, repairs, enforces the
// limits and reports faults with their positions.

// plainString marks the bytes a string can hold without a closer look.
var plainString = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// StartsValue reports whether c can begin a JSON value.
func StartsValue(c byte) bool {
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

// scan runs the state machine over one value.
func (s *Scanner) scan(sc *Value) error {
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
			if c, ok, spaced = s.SkipSpace(); !ok {
				return s.truncated(state)
			}
			// Only skipSpace passes newlines (a string cannot hold one).
			if s.oneLine && s.line != sc.Line {
				return s.fault(s.pos, Truncated, "JSON Lines value does not end on its line")
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
					return s.fault(i, Syntax, "trailing ',' before '%c'", closer)
				}
				s.addEdit(sc, Edit{Off: commaRel, Del: 1}, Repair{Kind: RemovedComma, Offset: sc.Start + int64(commaRel), Line: commaLine, Col: commaCol})
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
					s.tape[f.slot].ValOff = int32(s.rel(i))
				} else if len(s.tape) >= s.slotRoom && !s.roomForSlot() {
					s.dropSlots(i)
				} else {
					f.slot = int32(len(s.tape))
					t := s.addSlot()
					t.NameOff, t.NameEnd, t.ValOff = -1, -1, int32(s.rel(i))
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
				return s.fault(i, Syntax, "invalid character %s looking for the beginning of a value", Describe(c))
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
				return s.fault(i, Syntax, "invalid character %s looking for the beginning of a member name", Describe(c))
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
				return s.fault(i, Syntax, "invalid character %s after member name; want ':'", Describe(c))
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
			case s.repair && spaced && (state == stObjNext && c == '"' || state == stArrNext && StartsValue(c)):
				// A missing comma between members or elements, with
				// whitespace where it belongs: insert it after the value.
				// The repair is positioned where the slip shows, as an error
				// would be.
				s.addEdit(sc, Edit{Off: lastEnd, Ins: ","}, Repair{Kind: InsertedComma, Offset: s.offset(i), Line: s.line, Col: s.column(i),
					InObject: state == stObjNext, AfterLine: lastLine, AfterCol: lastCol})
				if state == stObjNext {
					state = stObjFirst
				} else {
					s.frames[len(s.frames)-1].index++
					state = stValue
				}
			case c == '"' || StartsValue(c):
				return s.fault(i, Syntax, "missing ',' after %s (found %s)", what, Describe(c))
			default:
				return s.fault(i, Syntax, "invalid character %s after %s; want ',' or '%c'", Describe(c), what, closer)
			}
		}
	}
}

// afterComma returns the state after the ',' that follows a member
// (stObjNext) or an element (stArrNext), counting the element.
func (s *Scanner) afterComma(state int) int {
	if state == stObjNext {
		return stObjName
	}
	s.frames[len(s.frames)-1].index++
	return stArrElem
}

// truncated reports the end of input inside a value.
func (s *Scanner) truncated(state int) error {
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
	return &Fault{Kind: Truncated, Msg: "input ends inside a value; want " + want, Offset: s.offset(s.pos), Line: s.line, Col: s.column(s.pos)}
}

// open pushes a frame for '{' or '['.
func (s *Scanner) open(object bool) error {
	if len(s.frames) >= s.maxDepth {
		return s.faultAt(s.pos, s.limitFault(DepthLimit, s.maxDepth))
	}
	s.frames = append(s.frames, frame{object: object, firstSlot: -1, dupOf: -1, slot: -1})
	return nil
}

// closeContainer pops a frame after its closing byte and reports whether
// that completed the value.
func (s *Scanner) closeContainer(sc *Value) (done bool) {
	s.frames = s.frames[:len(s.frames)-1]
	if len(s.frames) == 0 {
		return true
	}
	s.endMember(sc)
	return false
}

// afterValue returns the state after a value inside a container, and where
// the value ended.
func (s *Scanner) afterValue() (state, lastEnd, line, col int) {
	state = stArrNext
	if s.frames[len(s.frames)-1].object {
		state = stObjNext
	}
	return state, s.rel(s.pos), s.line, s.column(s.pos)
}

// endMember runs when a value inside a container ends: for an object member
// it records the value's extent and settles a duplicate name.
func (s *Scanner) endMember(sc *Value) {
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
	if Equal(raw[first.ValOff:first.ValEnd], raw[m.ValOff:m.ValEnd]) {
		if len(sc.Dups) < s.listed {
			sc.Dups = append(sc.Dups, Dup{Pointer: s.pointer(), Off: int(m.NameOff) - 1})
		} else {
			sc.Elided++
		}
		return
	}
	if sc.Fault == nil {
		sc.Fault = &Fault{Kind: DuplicateName, Msg: fmt.Sprintf("member %s appears twice with different values",
			strconv.Quote(s.slotName(m))), Offset: sc.Start + int64(m.NameOff) - 1, Pointer: s.pointer()}
	}
}

// scanName scans a member name, records it, and looks for an earlier member
// of the same name in the same object.
func (s *Scanner) scanName(sc *Value) error {
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

// scanString scans a string starting at buf[pos] == '"'. It validates escapes
// and UTF-8. A string longer than maxString fails the value but is Value to
// its end without being kept in memory.
func (s *Scanner) scanString(sc *Value) error {
	i := s.pos + 1
	s.escaped = false
	start := s.offset(s.pos)
	long := false
	for {
		// Fast path over plain ASCII.
		i += stringSpecial(s.buf[i:s.end])
		if !long && s.offset(i)-start > int64(s.maxString) {
			long = true
			s.dropValue(start, s.line, int(start-s.lineStart)+1, s.limitFault(StringLimit, s.maxString))
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
			return s.fault(i, Syntax, "control character %s in string (must be escaped)", Describe(c))
		default: // c >= 0x80
			i, _ = s.ensure(i, utf8.UTFMax)
			r, size := utf8.DecodeRune(s.buf[i:s.end])
			if r == utf8.RuneError && size <= 1 {
				if !s.repair {
					s.pos = i
					return s.fault(i, InvalidUTF8, "invalid UTF-8 byte 0x%02x in string", s.buf[i])
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
func (s *Scanner) scanEscape(sc *Value, i int) (int, error) {
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
		return i, s.fault(i, Syntax, "invalid escape '\\%c' in string", s.buf[i+1])
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
func (s *Scanner) hex4(i int) (rune, int, error) {
	i, _ = s.ensure(i, 6)
	if i+6 > s.end {
		s.pos = i
		return 0, i, s.readErrAt(i, "input ends inside a \\u escape")
	}
	r, bad := parseHex4(s.buf[i+2 : i+6])
	if r < 0 {
		k := i + 2 + bad
		s.pos = k
		return 0, k, s.fault(k, Syntax, "invalid character %s in \\u escape", Describe(s.buf[k]))
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
func (s *Scanner) loneSurrogate(sc *Value, i int, r rune) (int, error) {
	if !s.repair {
		s.pos = i
		return i, s.fault(i, InvalidUTF8, "\\u%04X is half of a surrogate pair", r)
	}
	s.replaceRun(sc, i, fffdEscape, Repair{Kind: ReplacedSurrogate, Code: r})
	return i + 6, nil
}

// scanNumber scans a number starting at buf[pos].
func (s *Scanner) scanNumber() error {
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

func (s *Scanner) numberFault(i int, msg string) error {
	s.pos = i
	if i >= s.end {
		return s.readErrAt(i, "input ends inside a number")
	}
	return s.fault(i, Syntax, "invalid character %s in number: %s", Describe(s.buf[i]), msg)
}

// scanLiteral scans true, false or null.
func (s *Scanner) scanLiteral(lit string) error {
	i, _ := s.ensure(s.pos, len(lit))
	for k := 0; k < len(lit); k++ {
		if i+k >= s.end {
			s.pos = i + k
			return s.readErrAt(i+k, "input ends inside "+lit)
		}
		if s.buf[i+k] != lit[k] {
			s.pos = i + k
			return s.fault(i+k, Syntax, "invalid character %s in literal %s", Describe(s.buf[i+k]), lit)
		}
	}
	s.pos = i + len(lit)
	return nil
}
