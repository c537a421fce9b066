package jsonscan

import "strings"

// This file is what Options.Repair does to a value: each repair is an Edit
// of its text and a Repair that says what it mended and where.

// An Edit is one repair of a value's text: at Off (relative to the value's
// start, as read), delete Del bytes and insert Ins.
type Edit struct {
	Off int
	Del int
	Ins string
}

// ApplyEdits returns orig with the edits applied, in a new slice.
func ApplyEdits(orig []byte, edits []Edit) []byte {
	out := make([]byte, 0, len(orig)+len(edits))
	prev := 0
	for _, e := range edits {
		out = append(out, orig[prev:e.Off]...)
		out = append(out, e.Ins...)
		prev = e.Off + e.Del
	}
	return append(out, orig[prev:]...)
}

// A RepairKind says what a Repair mended.
type RepairKind uint8

// Repair kinds.
const (
	// InsertedComma: a ',' was missing between members or elements.
	InsertedComma RepairKind = iota + 1
	// RemovedComma: a ',' came before the '}' or ']' that closes an
	// object or array.
	RemovedComma
	// ReplacedByte: Code, a byte that is not UTF-8, was replaced by U+FFFD.
	ReplacedByte
	// ReplacedSurrogate: \u escape Code, half of a surrogate pair, was
	// replaced by \uFFFD.
	ReplacedSurrogate
)

// A Repair says what one repair mended, and where it shows in the input.
type Repair struct {
	Kind      RepairKind
	Offset    int64
	Line, Col int
	Pointer   string // of the value it is in, relative to the value scanned
	// InsertedComma: whether it went between members (else elements), and
	// where the member or element before it ended.
	InObject            bool
	AfterLine, AfterCol int
	// ReplacedByte and ReplacedSurrogate: the byte or code replaced.
	Code rune
}

// addEdit records a repair: the edit, and what it mended.
func (s *Scanner) addEdit(sc *Value, e Edit, rp Repair) {
	if s.mark < 0 {
		return // the value was dropped (see dropValue): no text to edit
	}
	sc.Edits = append(sc.Edits, e)
	s.noteRepair(sc, rp)
}

// noteRepair lists what a repair mended, or counts it once Listed are.
func (s *Scanner) noteRepair(sc *Value, rp Repair) {
	if len(sc.Repairs) >= s.listed {
		sc.Elided++
		return
	}
	rp.Pointer = s.pointer()
	sc.Repairs = append(sc.Repairs, rp)
}

// replaceByte replaces the invalid UTF-8 byte at buf[i] with U+FFFD.
func (s *Scanner) replaceByte(sc *Value, i int) {
	s.replaceRun(sc, i, fffdByte, Repair{Kind: ReplacedByte, Code: rune(s.buf[i])})
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
func (rp *replacement) of(e *Edit) (int, bool) {
	n := e.Del / rp.del
	return n, n > 0 && n <= maxRun && e.Del == n*rp.del && e.Ins == rp.run[:n*len(rp.ins)]
}

// within maps an offset inside the edit's replacement text to the text as
// read: the start of the edit, or inside a run of replacements, of the unit.
func (e *Edit) within(d int) int {
	for _, rp := range [...]*replacement{fffdByte, fffdEscape} {
		if _, ok := rp.of(e); ok {
			return e.Off + d/len(rp.ins)*rp.del
		}
	}
	return e.Off
}

// replaceRun replaces the unit of rp at buf[i], which rep describes. Each
// unit is a repair of its own, but a run of them is one edit of up to
// maxRun units: an edit for each byte cost 40 bytes of them, and three
// strings of 4 MB of 0xff took 1.4 GB and 6 s.
func (s *Scanner) replaceRun(sc *Value, i int, rp *replacement, rep Repair) {
	if s.mark < 0 {
		return // the value was dropped (see dropValue): no text to edit
	}
	rep.Offset, rep.Line, rep.Col = s.offset(i), s.line, s.column(i)
	off := s.rel(i)
	if n := len(sc.Edits); n > 0 {
		e := &sc.Edits[n-1]
		if k, ok := rp.of(e); ok && e.Off+e.Del == off && k < maxRun {
			e.Del += rp.del
			e.Ins = rp.run[:(k+1)*len(rp.ins)]
			s.noteRepair(sc, rep)
			return
		}
	}
	s.addEdit(sc, Edit{Off: off, Del: rp.del, Ins: rp.ins}, rep)
}
