package jsonscan

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"slices"
	"strconv"
)

// This file maps a value as it is scanned: a slot on the tape for each
// member and element, the duplicate names of its objects, its JSON Pointer,
// and what happens when it crosses a limit.

// addMember adds a slot for the next member of the object f, named by the
// retained bytes [nameOff, nameEnd), and returns it with the slot of an
// earlier member of the same name, or -1.
func (s *Scanner) addMember(f *frame, nameOff, nameEnd int, escaped bool) (slotIdx, dupOf int32) {
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
	t.NameOff, t.NameEnd = int32(nameOff), int32(nameEnd)
	if escaped {
		t.Flags = NameEscaped
	}
	return slotIdx, dupOf
}

// endSlot completes slot k with the end of its value, buf[end-1] being the
// value's last byte; s.escaped tells whether a string value held escapes.
func (s *Scanner) endSlot(k int32, end int) {
	sl := &s.tape[k]
	sl.ValEnd = int32(s.rel(end))
	sl.Skip = int32(len(s.tape))
	if s.buf[end-1] == '"' {
		sl.Flags |= IsString
		if s.escaped {
			sl.Flags |= ValueEscaped
		}
	}
}

// addSlot appends a zero slot to the tape and returns it, for the caller to
// fill field by field. The caller has made room (see roomForSlot). Appending a filled slot literal instead cost a failed
// store-to-load forwarding per member (the literal's small stores are read
// back as one 16-byte load): 11% of the Scanner in a CPU profile.
func (s *Scanner) addSlot() *Slot {
	s.tape = append(s.tape, Slot{})
	return &s.tape[len(s.tape)-1]
}

// roomForSlot makes room on the tape for one more slot, and reports whether
// the value may have it (MaxValues). Callers call it once the tape reaches
// slotRoom, so that one comparison per slot serves both. It doubles the
// tape: append grows large slices by a quarter at a time, which allocated
// five times the final tape of a dense record along the way.
func (s *Scanner) roomForSlot() bool {
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
func (s *Scanner) findMember(f *frame, nameOff, nameEnd int, escaped bool) int32 {
	next := int32(len(s.tape)) // the slot about to be added
	if f.count < 24 && !escaped {
		// sameName's comparison, inline: through sameName, this loop cost
		// 1.3% more instructions per record.
		name := s.buf[s.mark+nameOff : s.mark+nameEnd]
		for k := f.firstSlot; k >= 0 && k < next; k = s.tape[k].Skip {
			o := &s.tape[k]
			if o.Flags&NameEscaped != 0 {
				if s.slotName(o) == string(name) {
					return k
				}
			} else if int(o.NameEnd-o.NameOff) == len(name) && bytes.Equal(s.buf[s.mark+int(o.NameOff):s.mark+int(o.NameEnd)], name) {
				return k
			}
		}
		return -1
	}
	if f.names == nil {
		f.names = new(nameTable)
		for k := f.firstSlot; k >= 0 && k < next; k = s.tape[k].Skip {
			o := &s.tape[k]
			f.names.add(s.nameHash(int(o.NameOff), int(o.NameEnd), o.Flags&NameEscaped != 0), k)
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
func (s *Scanner) sameName(o *Slot, off, end int, escaped bool) bool {
	if o.Flags&NameEscaped != 0 || escaped {
		return s.slotName(o) == s.nameText(off, end, escaped)
	}
	return bytes.Equal(s.buf[s.mark+int(o.NameOff):s.mark+int(o.NameEnd)], s.buf[s.mark+off:s.mark+end])
}

// nameSeed seeds nameHash.
var nameSeed = maphash.MakeSeed()

// nameHash hashes the retained name [off, end), unescaped.
func (s *Scanner) nameHash(off, end int, escaped bool) uint64 {
	if escaped {
		return maphash.String(nameSeed, s.nameText(off, end, true))
	}
	return maphash.Bytes(nameSeed, s.buf[s.mark+off:s.mark+end])
}

// slotName returns a member slot's name, unescaped.
func (s *Scanner) slotName(o *Slot) string {
	return s.nameText(int(o.NameOff), int(o.NameEnd), o.Flags&NameEscaped != 0)
}

// nameText returns a retained name, unescaped.
func (s *Scanner) nameText(off, end int, escaped bool) string {
	b := s.buf[s.mark+off : s.mark+end]
	if !escaped {
		return string(b)
	}
	if u, err := Unescape(b); err == nil {
		return u
	}
	return string(b)
}

// pointer builds the JSON Pointer of the current position from the frames.
// Names are unknown once a value is no longer retained.
func (s *Scanner) pointer() string {
	var b []byte
	for i := range s.frames {
		f := &s.frames[i]
		switch {
		case !f.object:
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(f.index), 10)
		case s.mark >= 0 && f.nameOff > 0 && f.nameEnd >= f.nameOff:
			b = append(b, '/')
			b = AppendPointerToken(b, s.nameText(f.nameOff, f.nameEnd, f.escaped))
		default:
			// Before the object's first name, or its name is gone: the
			// pointer names the object.
			return string(b)
		}
	}
	return string(b)
}

// dropValue stops retaining the value being scanned after it crossed a
// limit: the value fails with a limit error, but scanning goes on to its end
// so that the input can continue after it. The error is positioned at off,
// line:col, since the value's text will not be at hand to find it. Under
// Repair, the slips after it are passed over unedited (there is no text to
// edit), so that the value fails for its limit, not for a repairable slip.
func (s *Scanner) dropValue(off int64, line, col int, f *Fault) {
	sc := s.cur
	if sc.Fault == nil {
		f.Offset, f.Line, f.Col, f.Pointer = off, line, col, s.pointer()
		sc.Fault = f
	}
	sc.Retained = false
	s.mark = -1
	s.tape = s.tape[:0]
	for i := range s.frames {
		s.frames[i].nameOff, s.frames[i].nameEnd = 0, -1 // names are gone
		s.frames[i].dupOf, s.frames[i].slot, s.frames[i].firstSlot = -1, -1, -1
		s.frames[i].names = nil
	}
}

// dropSlots fails the value at buf[i], which would take it past maxSlots.
func (s *Scanner) dropSlots(i int) {
	s.dropValue(s.offset(i), s.line, s.column(i), s.limitFault(SlotsLimit, s.maxSlots))
}
