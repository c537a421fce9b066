package jsonscan

import (
	"slices"
	"unsafe"
)

// A Slot is one object member or array element of a retained value, in
// document order: the scanner's map of the value for a decoder, which can
// then jump to names and values, and over whole subtrees, without reading
// them again. Offsets are relative to the value's start, as read.
type Slot struct {
	NameOff, NameEnd int32 // the member's name, without quotes; -1 for elements
	ValOff, ValEnd   int32 // the value
	Skip             int32 // the first slot after the value's own slots
	Flags            uint8
}

// Slot flags.
const (
	NameEscaped  = 1 << iota // the name holds escapes
	ValueEscaped             // the value is a string holding escapes
	IsString                 // the value is a string
)

// SlotBytes is the size of a Slot: what the tape costs per member and
// element.
const SlotBytes = int(unsafe.Sizeof(Slot{}))

// SubTape returns the slots inside the value at [a, b) of the value tape
// maps, made relative to it, in a new slice; nil if tape does not map a
// value there.
func SubTape(tape []Slot, a, b int) []Slot {
	// Slots are in document order, so their values' offsets increase: a
	// search, not a walk, which made an envelope of many records
	// quadratic.
	k, _ := slices.BinarySearchFunc(tape, a, func(sl Slot, a int) int { return int(sl.ValOff) - a })
	for ; k < len(tape) && int(tape[k].ValOff) == a; k++ {
		if int(tape[k].ValEnd) != b {
			continue
		}
		first, last := k+1, int(tape[k].Skip)
		out := make([]Slot, last-first)
		for i := range out {
			sl := tape[first+i]
			if sl.NameOff >= 0 {
				sl.NameOff -= int32(a)
				sl.NameEnd -= int32(a)
			}
			sl.ValOff -= int32(a)
			sl.ValEnd -= int32(a)
			sl.Skip -= int32(first)
			out[i] = sl
		}
		return out
	}
	return nil
}
