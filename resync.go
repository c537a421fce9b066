package kmstrail

import (
	"bytes"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file is how the stream goes on after a value that is not valid
// JSON, so that one damaged record does not lose the ones after it.

// A resyncSearch is resync's search for the next record. It stops at each
// damaged record it finds, to return its error, and goes on with the next
// call of the stream's next.
type resyncSearch struct {
	on          bool  // searching
	inArray     bool  // in a top-level array or a Records array
	start       int64 // where the search began: the budget counts from there
	trialBudget int64 // bytes left to scan candidates with
}

// resync starts a search for the next record after a syntax error. Inside
// an array a candidate is an object after a ','; at the top level, an
// object that starts a line. A candidate must parse, look like a record or
// an envelope of records, and (in an array) be followed by ',' or ']'. The
// end of the array is recognised when it ends the input. If no candidate is
// found within MaxRecordBytes, the input ends with an error.
func (st *stream) resync(inArray bool) {
	st.paused = resyncSearch{on: true, inArray: inArray, start: st.s.Offset(), trialBudget: 4 * st.budget}
}

// search goes on with the search for the next record. It returns the
// error of a damaged record it finds (and searches on at the next call), the
// record it resumes with, or the end of the input; or nothing, at the end
// of the array being searched.
func (st *stream) search() step {
	s := st.s
	rs := st.paused
	st.paused = resyncSearch{}
	// The byte before the position may be the ',' before a good record. A
	// read error (such as a truncated gzip trailer) may have come with the
	// bytes still buffered: the search goes through them first.
	prev, lineStart := s.LastNonSpace(), s.AtLineStart()
	lakeRows := rs.inArray && st.inArray == FormatLake // whose rows are arrays
	for s.Offset()-rs.start < st.budget {
		next := s.Peek(1)
		if len(next) == 0 {
			return st.fail(s.Err())
		}
		c := next[0]
		candidate := c == '{' && (rs.inArray && prev == ',' || !rs.inArray && lineStart) ||
			c == '[' && lakeRows && prev == ','
		if candidate && rs.trialBudget > 0 {
			x, found := st.try(&rs, c, lakeRows)
			if found {
				return x.step
			}
			prev, lineStart = x.prev, x.lineStart
			continue
		}
		if rs.inArray && c == ']' && st.atEnd() {
			st.afterComma = false
			return step{} // nextElement closes the array
		}
		s.Advance(1)
		switch {
		case c == '\n':
			lineStart = true
		case !jsonscan.IsSpace(c):
			prev, lineStart = c, false
		}
	}
	return st.fail(errorf(ErrSyntax, "no record found after the damaged one within Reader.MaxRecordBytes; giving up"))
}

// A trial is what trying a candidate found: found, the step that ends the
// search; else where the search goes on, after prev.
type trial struct {
	step
	prev      byte
	lineStart bool
}

// try scans the candidate for the next record at the scanner's position,
// whose first byte is c.
func (st *stream) try(rs *resyncSearch, c byte, lakeRows bool) (trial, bool) {
	s := st.s
	name, _ := st.firstName()
	at := s.Mark()
	// In JSON Lines a candidate ends on its line, as in topValue: a
	// damaged one does not take the next line with it.
	s.SetOneLine(!rs.inArray && st.jsonLines)
	sc, err := s.ScanValue()
	s.SetOneLine(false)
	rs.trialBudget -= s.Offset() - at.Offset()
	switch {
	case err != nil && coreMembers[name]:
		// The start of a record that is damaged too: it fails on its own,
		// and the search goes on after its fault.
		s.Unmark()
		if rs.inArray {
			st.elemIndex++
		} else {
			st.values++
		}
		st.paused = *rs
		return trial{step: st.fault(err)}, true
	case err == nil:
		s.Unmark()
		if st.resumeAt(sc, c, name, rs.inArray, lakeRows) {
			return trial{step: step{val: sc, format: st.inArray}}, true
		}
		// A complete value that is not a record: no record starts inside
		// it.
		return trial{prev: '}'}, false
	case s.Rewind(at):
		// Not a record: one may start inside it, after its first byte.
		s.Advance(1)
		return trial{prev: '{'}, false
	}
	// It went past the input a Mark holds: the search goes on after it.
	return trial{prev: s.LastNonSpace(), lineStart: s.AtLineStart()}, false
}

// resumeAt reports whether sc, a complete value search found at a
// candidate's start (c; name, the object's first member name), is the
// record reading resumes with: it looks like a record or an envelope of
// records (or is a Lake row), and in an array, the array goes on or ends
// after it.
func (st *stream) resumeAt(sc *jsonscan.Value, c byte, name string, inArray, lakeRows bool) bool {
	if !(lakeRows && c == '[' || coreMembers[name] || looksLikeItem(validText(sc))) {
		return false
	}
	if !st.lent {
		sc.Raw = bytes.Clone(sc.Raw) // reading on may move it
	}
	if n, ok, _ := st.s.SkipSpace(); inArray && (!ok || n != ',' && n != ']') {
		return false
	}
	if inArray {
		st.afterComma = false
		st.elemIndex++
	} else {
		st.values++
		st.lastEnd = st.s.Line()
	}
	return true
}

// validText returns a scanned value's text with its repairs applied: the
// text the decoder may read.
func validText(sc *jsonscan.Value) []byte {
	if len(sc.Edits) > 0 {
		return jsonscan.ApplyEdits(sc.Raw, sc.Edits)
	}
	return sc.Raw
}

// atEnd reports whether the ']' at the scanner's position closes the array
// being read and ends the input (after the '}' of a log file's wrapper).
// It consumes nothing.
func (st *stream) atEnd() bool {
	s := st.s
	m := s.Mark()
	s.Advance(1)
	end := true
	if st.state == stateRecords {
		c, ok, _ := s.SkipSpace()
		end = ok && c == '}'
		if end {
			s.Advance(1)
		}
	}
	if end {
		_, more, _ := s.SkipSpace()
		end = !more && s.Err() == nil
	}
	// Past as much space as a record may hold, the search's budget is
	// spent: it goes on, to give up, from there.
	return s.Rewind(m) && end
}
