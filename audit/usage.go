package audit

import (
	"cmp"
	"slices"
	"time"
)

// usage summarizes the records that use a key without changing it
// (Encrypt, Decrypt, DescribeKey, ...), which are most of a trail. They are
// not kept one by one: usage keeps at most maxBuckets time buckets, each
// with its first and last record. Buckets start a second wide and double
// in width whenever there would be more of them than maxBuckets, so they
// are as fine as the key's usage allows: a second for a key used at 16
// moments or fewer, about three days for a key used all month.
//
// The result depends only on the set of records: the width is the finest
// at which the records fill no more than maxBuckets buckets (the count of
// buckets at a given width only grows as records come, so a width given up
// is never needed again), and a bucket's first and last record are a
// minimum and a maximum, which neither order nor duplicates change.
//
// Replay checks the kept records against the key's states: a record in a
// state that forbids it (Encrypt on a Disabled key) is a contradiction,
// kept in the timeline. Records inside a bucket but neither its first nor
// its last are not seen, so that a busy key's contradictions are found at
// the resolution of its buckets.
type usage struct {
	shift   uint // bucket width: 1<<shift seconds
	buckets []bucket
	// firstCrypto is the earliest cryptographic use, which says the key
	// was Enabled then (a key first seen mid-life has no other clue).
	firstCrypto *usageEntry
}

// maxBuckets bounds a key's buckets: 32 entries of about 130 bytes, 4 KB.
const maxBuckets = 16

type bucket struct {
	index       int64
	first, last *usageEntry
}

// usageEntry is a use of a key: the record, and whether it was a
// cryptographic operation (which only an Enabled key allows).
type usageEntry struct {
	entry
	crypto bool
}

// add counts a use. fill makes the entry to keep; it is called only when
// the use is kept, since most are not.
func (u *usage) add(t time.Time, id string, crypto bool, fill func() *usageEntry) {
	var kept *usageEntry // one entry, however many places keep it
	keep := func() *usageEntry {
		if kept == nil {
			kept = fill()
		}
		return kept
	}
	probe := entry{time: t, id: id}
	if crypto && (u.firstCrypto == nil || probe.before(&u.firstCrypto.entry)) {
		u.firstCrypto = keep()
	}
	idx := floorShift(t.Unix(), u.shift)
	i, found := slices.BinarySearchFunc(u.buckets, idx, func(b bucket, x int64) int { return cmp.Compare(b.index, x) })
	if found {
		b := &u.buckets[i]
		if probe.before(&b.first.entry) {
			b.first = keep()
		} else if b.last.before(&probe) {
			b.last = keep()
		}
		return
	}
	e := keep()
	u.buckets = slices.Insert(u.buckets, i, bucket{index: idx, first: e, last: e})
	for len(u.buckets) > maxBuckets {
		u.coarsen()
	}
}

// coarsen doubles the buckets' width, merging neighbours.
func (u *usage) coarsen() {
	u.shift++
	out := u.buckets[:0]
	for _, b := range u.buckets {
		b.index = floorShift(b.index, 1)
		if n := len(out); n > 0 && out[n-1].index == b.index {
			m := &out[n-1]
			if b.first.before(&m.first.entry) {
				m.first = b.first
			}
			if m.last.before(&b.last.entry) {
				m.last = b.last
			}
			continue
		}
		out = append(out, b)
	}
	clear(u.buckets[len(out):])
	u.buckets = out
}

// entries returns the kept uses, oldest first, each once.
func (u *usage) entries() []*usageEntry {
	var out []*usageEntry
	for _, b := range u.buckets {
		out = append(out, b.first)
		if b.last != b.first && b.last.id != b.first.id {
			out = append(out, b.last)
		}
	}
	if u.firstCrypto != nil {
		i, found := slices.BinarySearchFunc(out, u.firstCrypto, func(a, b *usageEntry) int { return a.compare(&b.entry) })
		if !found {
			out = slices.Insert(out, i, u.firstCrypto)
		}
	}
	return out
}

// floorShift divides by 1<<s, rounding towards minus infinity (an
// arithmetic shift), so that times before 1970 bucket like the others.
func floorShift(x int64, s uint) int64 { return x >> s }
