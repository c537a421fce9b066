package audit

import (
	"math"
	"math/bits"
	"slices"
)

// distinct counts distinct records by a 64-bit hash of their eventID, so
// that a duplicate delivery counts once and the count does not depend on
// the order records came in. Up to exactLimit hashes it keeps them all and
// the count is exact; past that it keeps HyperLogLog registers instead
// (2^precision one-byte registers: a standard error of 1.04/√2048, 2.3%),
// so that its memory stays at two kilobytes however many records a key
// has. Both forms are functions of the set of hashes alone: the registers
// are a maximum per register, which neither order nor repetition changes.
type distinct struct {
	exact []uint64 // sorted; nil once regs is in use
	regs  []uint8
}

const (
	exactLimit = 256 // 2 KB of hashes, the size of the registers
	precision  = 11
)

// add counts the record whose eventID hashes to h.
func (d *distinct) add(h uint64) {
	if d.regs != nil {
		d.addReg(h)
		return
	}
	i, found := slices.BinarySearch(d.exact, h)
	if found {
		return
	}
	if len(d.exact) < exactLimit {
		d.exact = slices.Insert(d.exact, i, h)
		return
	}
	d.regs = make([]uint8, 1<<precision)
	for _, x := range d.exact {
		d.addReg(x)
	}
	d.exact = nil
	d.addReg(h)
}

func (d *distinct) addReg(h uint64) {
	idx := h >> (64 - precision)
	rank := uint8(bits.LeadingZeros64(h<<precision|1<<(precision-1))) + 1
	if rank > d.regs[idx] {
		d.regs[idx] = rank
	}
}

// count returns the number of distinct records, and whether it is an
// estimate.
func (d *distinct) count() (n int, estimated bool) {
	if d.regs == nil {
		return len(d.exact), false
	}
	m := float64(len(d.regs))
	sum, zeros := 0.0, 0
	for _, r := range d.regs {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	est := 0.7213 / (1 + 1.079/m) * m * m / sum
	if est <= 2.5*m && zeros > 0 {
		est = m * math.Log(m/float64(zeros)) // linear counting, for small counts
	}
	// The set held more than exactLimit hashes when it switched: never
	// report fewer.
	return max(int(math.Round(est)), exactLimit+1), true
}

// clone returns a copy of d.
// size is the count, exact or estimated.
func (d *distinct) size() int {
	n, _ := d.count()
	return n
}

func (d *distinct) clone() distinct {
	return distinct{exact: slices.Clone(d.exact), regs: slices.Clone(d.regs)}
}

// hashString hashes an eventID: FNV-1a, then the finalizer of SplitMix64
// so that every bit of the result depends on every byte (HyperLogLog reads
// the top bits as a register index and the rest as a rank). It is fixed, so
// that estimates are the same from run to run.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}
