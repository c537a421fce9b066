package audit

import (
	"cmp"
	"math/bits"
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
// its last are not kept; for them, each bucket marks which of its 64 slots
// saw a cryptographic use (a bitmap, which doubling the width folds pair by
// pair), and replay checks each marked slot that no change falls in (see
// slotUses): a busy key's uses in a state that forbids them are found at
// the resolution of a 64th of a bucket (about an hour for a key used all
// month), though not one by one.
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
	crypto      uint64 // the slots (64ths of the bucket) with a cryptographic use
}

// usageEntry is a use of a key: the record, and whether it was a
// cryptographic operation (which only an Enabled key allows). slotEnd is
// set on the uses slotUses makes, which stand for the uses of a slot from
// its start (time) to slotEnd, and name no record.
type usageEntry struct {
	entry
	crypto  bool
	slotEnd time.Time
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
	var slot uint64
	if crypto {
		slot = 1 << (floorShift(sixtyFourths(t), u.shift) & 63)
	}
	i, found := slices.BinarySearchFunc(u.buckets, idx, func(b bucket, x int64) int { return cmp.Compare(b.index, x) })
	if found {
		b := &u.buckets[i]
		b.crypto |= slot
		if probe.before(&b.first.entry) {
			b.first = keep()
		} else if b.last.before(&probe) {
			b.last = keep()
		}
		return
	}
	e := keep()
	u.buckets = slices.Insert(u.buckets, i, bucket{index: idx, first: e, last: e, crypto: slot})
	for len(u.buckets) > maxBuckets {
		u.coarsen()
	}
}

// coarsen doubles the buckets' width, merging neighbours.
func (u *usage) coarsen() {
	u.shift++
	out := u.buckets[:0]
	for _, b := range u.buckets {
		// An even bucket becomes the lower half of the wider one, an odd
		// bucket the upper; each pair of its slots becomes one.
		b.crypto = fold(b.crypto) << (32 * (b.index & 1))
		b.index = floorShift(b.index, 1)
		if n := len(out); n > 0 && out[n-1].index == b.index {
			m := &out[n-1]
			m.crypto |= b.crypto
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

// slotUses returns a use for each slot of a bucket (a 64th of it) that saw
// a cryptographic use and in which no change falls (changed reports
// whether one does, from start to end): over such a slot the key's state
// did not change, so the use at its start stands for all of its uses.
// Slots that hold a bucket's first or last use, if cryptographic, are
// skipped: that use is kept, and checked as itself.
func (u *usage) slotUses(changed func(start, end time.Time) bool) []*usageEntry {
	var out []*usageEntry
	for _, b := range u.buckets {
		for set := b.crypto; set != 0; set &= set - 1 {
			j := int64(bits.TrailingZeros64(set))
			start, end := slotTime(b.index, j, u.shift), slotTime(b.index, j+1, u.shift)
			if changed(start, end) || keptIn(b.first, start, end) || keptIn(b.last, start, end) {
				continue
			}
			out = append(out, &usageEntry{entry: entry{time: start}, crypto: true, slotEnd: end})
		}
	}
	return out
}

// keptIn reports whether e, a kept cryptographic use, lies in the slot
// from start to end: replay checks it as itself, so the slot needs no
// stand-in.
func keptIn(e *usageEntry, start, end time.Time) bool {
	return e.crypto && !e.time.Before(start) && e.time.Before(end)
}

// sixtyFourths is t in 64ths of a second since 1970: its slot at width
// 1<<s seconds is floorShift(sixtyFourths(t), s) & 63.
func sixtyFourths(t time.Time) int64 {
	return t.Unix()<<6 | int64(t.Nanosecond())*64/1e9
}

// slotTime is the start of slot j of the bucket index at width 1<<s seconds.
func slotTime(index, j int64, s uint) time.Time {
	if s >= 6 {
		return time.Unix(index<<s+j<<(s-6), 0).UTC()
	}
	return time.Unix(index<<s, 0).Add(time.Duration(j) * (time.Second << s) / 64).UTC()
}

// fold ORs each pair of w's 64 bits into one of 32, in order.
func fold(w uint64) uint64 {
	x := (w | w>>1) & 0x5555555555555555
	x = (x | x>>1) & 0x3333333333333333
	x = (x | x>>2) & 0x0f0f0f0f0f0f0f0f
	x = (x | x>>4) & 0x00ff00ff00ff00ff
	x = (x | x>>8) & 0x0000ffff0000ffff
	x = (x | x>>16) & 0x00000000ffffffff
	return x
}

// floorShift divides by 1<<s, rounding towards minus infinity (an
// arithmetic shift), so that times before 1970 bucket like the others.
func floorShift(x int64, s uint) int64 { return x >> s }
