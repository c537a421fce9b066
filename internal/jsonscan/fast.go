package jsonscan

import "unicode/utf8"

// This file is the scanner's fast path. Nearly every value a caller meets
// lies whole in the buffer and is valid JSON with no duplicate names, within
// the limits: for such a value the state machine in scan does much more than
// needed (a state per token, positions for repairs that never happen, the
// buffer's refills). scanFast maps such a value with plain recursive descent
// instead, and gives up, leaving the scanner as it was, on anything else:
// the end of the buffer, a syntax error, a repair, a limit, a duplicate name,
// a lone surrogate or invalid UTF-8, a line break in JSON Lines. scan then
// reads the value again from its start and reports what it finds. Where the
// fast path succeeds its tape and position are the slow path's exactly
// (TestScanFastAgrees, FuzzScanFast).

// fastMaxDepth bounds the fast path's recursion, whatever MaxDepth says: a
// value nested deeper is left to scan, which keeps its containers on the
// heap. Log records nest a dozen levels at most.
const fastMaxDepth = 64

// fastScan is the state of one fast scan: the Scanner's buffer up to its
// end, and the line count, written back only on success.
type fastScan struct {
	s         *Scanner
	buf       []byte
	line      int
	lineStart int64
}

// scanFast maps the value at s.pos, where s.mark is, onto s.tape and
// reports whether it could; if not, s is as it was (see the file comment).
func (s *Scanner) scanFast() bool {
	if s.slowOnly {
		return false
	}
	f := fastScan{s: s, buf: s.buf[:s.end], line: s.line, lineStart: s.lineStart}
	end := f.value(s.pos, 0)
	if end < 0 {
		s.tape = s.tape[:0]
		return false
	}
	s.pos, s.line, s.lineStart = end, f.line, f.lineStart
	return true
}

// ws skips whitespace from buf[i] and returns the index of the next byte,
// or -1 at the end of the buffer or at a line break JSON Lines forbids.
func (f *fastScan) ws(i int) int {
	buf := f.buf
	for i < len(buf) {
		switch buf[i] {
		case ' ', '\t', '\r':
			i++
		case '\n':
			if f.s.oneLine {
				return -1
			}
			i++
			f.line++
			f.lineStart = f.s.offset(i)
		default:
			return i
		}
	}
	return -1
}

// value maps the value at buf[i], at the given depth of containers, and
// returns the index after it, or -1.
func (f *fastScan) value(i, depth int) int {
	buf := f.buf
	if i >= len(buf) {
		return -1
	}
	switch c := buf[i]; {
	case c == '"':
		return f.str(i)
	case c == '{':
		return f.object(i, depth+1)
	case c == '[':
		return f.array(i, depth+1)
	case c == 't':
		return f.literal(i, "true")
	case c == 'f':
		return f.literal(i, "false")
	case c == 'n':
		return f.literal(i, "null")
	case c == '-' || c >= '0' && c <= '9':
		return f.number(i)
	}
	return -1
}

// object maps the object at buf[i] == '{'.
func (f *fastScan) object(i, depth int) int {
	s, buf := f.s, f.buf
	if depth > s.maxDepth || depth > fastMaxDepth {
		return -1
	}
	// The frame findMember needs; scan's frame for the object would hold
	// the same firstSlot, count, bloom and names.
	fr := frame{object: true, firstSlot: -1, dupOf: -1, slot: -1}
	if i = f.ws(i + 1); i < 0 {
		return -1
	}
	if buf[i] == '}' {
		return i + 1
	}
	for {
		if buf[i] != '"' || len(s.tape) >= s.slotRoom && !s.roomForSlot() {
			return -1
		}
		j := f.str(i)
		if j < 0 {
			return -1
		}
		k, dup := s.addMember(&fr, s.rel(i)+1, s.rel(j)-1, s.escaped)
		if dup >= 0 {
			return -1 // a duplicate name: scan settles it
		}
		if i = j; i >= len(buf) || buf[i] != ':' {
			if i = f.ws(i); i < 0 || buf[i] != ':' {
				return -1
			}
		}
		if i = f.ws(i + 1); i < 0 {
			return -1
		}
		s.tape[k].ValOff = int32(s.rel(i))
		var closed bool
		if i, closed = f.element(k, i, depth, '}'); i < 0 || closed {
			return i
		}
	}
}

// element maps the value at buf[i] of slot k, a member or an element of a
// container that ends with closer, completes the slot, and reads the ','
// or the closer after it. It returns the index of the next member or
// element, or with closed the index after the closer; -1 if neither
// follows.
func (f *fastScan) element(k int32, i, depth int, closer byte) (next int, closed bool) {
	end := f.value(i, depth)
	if end < 0 {
		return -1, false
	}
	f.s.endSlot(k, end)
	if i = end; i >= len(f.buf) || f.buf[i] <= ' ' {
		if i = f.ws(i); i < 0 {
			return -1, false
		}
	}
	switch f.buf[i] {
	case ',':
		return f.ws(i + 1), false
	case closer:
		return i + 1, true
	}
	return -1, false
}

// array maps the array at buf[i] == '['.
func (f *fastScan) array(i, depth int) int {
	s, buf := f.s, f.buf
	if depth > s.maxDepth || depth > fastMaxDepth {
		return -1
	}
	if i = f.ws(i + 1); i < 0 {
		return -1
	}
	if buf[i] == ']' {
		return i + 1
	}
	for {
		k := int32(len(s.tape))
		if int(k) >= s.slotRoom && !s.roomForSlot() {
			return -1
		}
		t := s.addSlot()
		t.NameOff, t.NameEnd, t.ValOff = -1, -1, int32(s.rel(i))
		var closed bool
		if i, closed = f.element(k, i, depth, ']'); i < 0 || closed {
			return i
		}
	}
}

// str maps the string at buf[i] == '"' and sets s.escaped, as scanString
// does.
func (f *fastScan) str(i int) int {
	buf := f.buf
	f.s.escaped = false
	j := i + 1
	for {
		j += stringSpecial(buf[j:])
		if j >= len(buf) {
			return -1
		}
		switch c := buf[j]; {
		case c == '"':
			if j-i > f.s.maxString {
				return -1
			}
			return j + 1
		case c == '\\':
			f.s.escaped = true
			if j = f.escape(j); j < 0 {
				return -1
			}
		case c < 0x20:
			return -1
		default: // not ASCII
			r, size := utf8.DecodeRune(buf[j:])
			if r == utf8.RuneError && size <= 1 {
				return -1
			}
			j += size
		}
	}
}

// escape validates the escape at buf[j] == '\\' and returns the index after
// it; a lone surrogate is left to scan.
func (f *fastScan) escape(j int) int {
	buf := f.buf
	if j+1 >= len(buf) {
		return -1
	}
	switch buf[j+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return j + 2
	case 'u':
	default:
		return -1
	}
	r := escapeCode(buf, j)
	switch {
	case r < 0:
		return -1
	case r < 0xD800 || r >= 0xE000:
		return j + 6
	case r < 0xDC00 && j+7 < len(buf) && buf[j+6] == '\\' && buf[j+7] == 'u':
		if r2 := escapeCode(buf, j+6); r2 >= 0xDC00 && r2 < 0xE000 {
			return j + 12
		}
	}
	return -1
}

// escapeCode returns the code of the \uXXXX escape at buf[j], or -1.
func escapeCode(buf []byte, j int) rune {
	if j+6 > len(buf) {
		return -1
	}
	r, _ := parseHex4(buf[j+2 : j+6])
	return r
}

// literal maps true, false or null at buf[i].
func (f *fastScan) literal(i int, lit string) int {
	if i+len(lit) > len(f.buf) || string(f.buf[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// number maps the number at buf[i]. A number that reaches the end of the
// buffer may go on past it: that is left to scan.
func (f *fastScan) number(i int) int {
	buf := f.buf
	digits := func(i int) int {
		for i < len(buf) && buf[i] >= '0' && buf[i] <= '9' {
			i++
		}
		return i
	}
	if buf[i] == '-' {
		i++
	}
	switch {
	case i >= len(buf):
		return -1
	case buf[i] == '0':
		i++
	case buf[i] >= '1' && buf[i] <= '9':
		i = digits(i)
	default:
		return -1
	}
	if i < len(buf) && buf[i] == '.' {
		if i++; i >= len(buf) || buf[i] < '0' || buf[i] > '9' {
			return -1
		}
		i = digits(i)
	}
	if i < len(buf) && (buf[i] == 'e' || buf[i] == 'E') {
		if i++; i < len(buf) && (buf[i] == '+' || buf[i] == '-') {
			i++
		}
		if i >= len(buf) || buf[i] < '0' || buf[i] > '9' {
			return -1
		}
		i = digits(i)
	}
	if i >= len(buf) {
		return -1
	}
	return i
}
