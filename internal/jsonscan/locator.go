package jsonscan

import (
	"bytes"
	"slices"
	"sort"
)

// A Locator maps offsets in a value's repaired text (its text as read with
// its Edits applied) to positions in the input.
type Locator struct {
	Orig      []byte // the text as read
	Start     int64  // input offset of Orig[0]
	Line, Col int    // position of Orig[0]
	Edits     []Edit // repairs, in Orig's offsets, in order
	// Fixed: the text came from inside a JSON string, whose escapes make
	// its offsets not the input's; every position is the string's own.
	Fixed bool

	// The last position computed, from which the next one is counted when
	// it lies further on: callers ask for positions in order, and
	// counting each from the start made a value of many of them
	// quadratic. memo is an offset in Orig; memoLines the line breaks
	// before it; memoBreak one past the last of them (0: none).
	memo, memoLines, memoBreak int

	// shifts[k] is how far the repairs before Edits[k] move the text:
	// the sum of len(Ins)-Del over them. Made when first needed, for a
	// locator of more than linearEdits edits, so that OrigOffset and Sub
	// search the edits rather than walk them: walking made an envelope of
	// many repaired values quadratic (100,000 of them, 20 s).
	shifts []int
}

// linearEdits is the most edits OrigOffset and Sub walk rather than search.
const linearEdits = 32

// Copy returns a copy of l that reads orig, a copy of l.Orig, and has a copy
// of l's edits: a Locator that does not share the buffers l's came from.
func (l *Locator) Copy(orig []byte) Locator {
	c := *l
	c.Orig, c.Edits, c.shifts = orig, slices.Clone(l.Edits), nil
	return c
}

// editShifts returns l.shifts, making it if need be.
func (l *Locator) editShifts() []int {
	if len(l.shifts) != len(l.Edits)+1 {
		l.shifts = make([]int, len(l.Edits)+1)
		for k, e := range l.Edits {
			l.shifts[k+1] = l.shifts[k] + len(e.Ins) - e.Del
		}
	}
	return l.shifts
}

// Position returns the input offset, line and column of the repaired text's
// byte at off.
func (l *Locator) Position(off int) (int64, int, int) {
	if l.Fixed {
		return l.Start, l.Line, l.Col
	}
	o := l.OrigOffset(off)
	from, lines, brk := 0, 0, 0
	if l.memo <= o && l.memo <= len(l.Orig) {
		from, lines, brk = l.memo, l.memoLines, l.memoBreak
	}
	for i := from; ; {
		j := bytes.IndexByte(l.Orig[i:o], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		lines, brk = lines+1, i
	}
	l.memo, l.memoLines, l.memoBreak = o, lines, brk
	if brk == 0 {
		return l.Start + int64(o), l.Line, l.Col + o
	}
	return l.Start + int64(o), l.Line + lines, o - brk + 1
}

// OrigOffset maps an offset in the repaired text to the text as read.
func (l *Locator) OrigOffset(off int) int {
	shift := 0
	edits := l.Edits
	if len(edits) > linearEdits {
		// The edits land in the repaired text in order: the one that may
		// hold off is the last to land at or before it.
		shifts := l.editShifts()
		k := sort.Search(len(edits), func(k int) bool { return edits[k].Off+shifts[k] > off })
		if k == 0 {
			return max(0, min(off, len(l.Orig)))
		}
		edits, shift = edits[k-1:k], shifts[k-1]
	}
	for i := range edits {
		e := &edits[i]
		at := e.Off + shift // where the edit lands in the repaired text
		if off < at {
			break
		}
		if off < at+len(e.Ins) {
			return e.within(off - at)
		}
		shift += len(e.Ins) - e.Del
	}
	o := off - shift
	return max(0, min(o, len(l.Orig)))
}

// Sub returns a Locator for the span [a, b) of the repaired text.
func (l *Locator) Sub(a, b int) *Locator {
	if l.Fixed {
		return l
	}
	oa, ob := l.OrigOffset(a), l.OrigOffset(b)
	off, line, col := l.Position(a)
	n := &Locator{Orig: l.Orig[oa:ob], Start: off, Line: line, Col: col}
	edits := l.Edits
	if len(edits) > linearEdits {
		i := sort.Search(len(edits), func(i int) bool { return edits[i].Off >= oa })
		j := sort.Search(len(edits), func(j int) bool { return edits[j].Off >= ob })
		edits = edits[i:j]
	}
	for _, e := range edits {
		if e.Off >= oa && e.Off < ob {
			n.Edits = append(n.Edits, Edit{Off: e.Off - oa, Del: e.Del, Ins: e.Ins})
		}
	}
	return n
}
