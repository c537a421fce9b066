package jsonscan

import (
	"encoding/binary"
	"math/bits"
)

// Strings make up most of the JSON that machines write, so both the scanner
// and its callers' decoders skip over their plain runs eight bytes at a time.

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// hasZero marks the bytes of x that are zero (exactly for the lowest one,
// which is all the callers use).
func hasZero(x uint64) uint64 { return (x - lsb) & ^x & msb }

// stringSpecial returns the index of the first byte of b that is '"', '\\',
// a control character or not ASCII: the bytes a string scanner must look
// at. It returns len(b) if there is none.
func stringSpecial(b []byte) int {
	n := len(b)
	for len(b) >= 8 {
		// Below the first special byte no subtraction borrows, so its top
		// bit is set exactly there: by x-0x20 for a control character, and
		// by x^c-1 for c itself (0x00-1) or any byte that is not ASCII
		// (x^c keeps its top bit, and only 0xa2^'"' = 0x80 loses it, which
		// x^'\\' keeps). Bytes above it may be marked wrongly.
		x := binary.LittleEndian.Uint64(b)
		m := ((x - 0x2020202020202020) | ((x ^ 0x2222222222222222) - lsb) | ((x ^ 0x5c5c5c5c5c5c5c5c) - lsb)) & msb
		if m != 0 {
			return n - len(b) + bits.TrailingZeros64(m)>>3
		}
		b = b[8:]
	}
	for i, c := range b {
		if !plainString[c] {
			return n - len(b) + i
		}
	}
	return n
}

// QuoteOrEscape returns the index of the first '"' or '\\' in s, or
// len(s): in validated text, the end of a string's plain run.
func QuoteOrEscape(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if m := hasZero(x^0x2222222222222222) | hasZero(x^0x5c5c5c5c5c5c5c5c); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			return i
		}
	}
	return i
}
