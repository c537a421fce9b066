package audit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDistinct: exact up to exactLimit, estimated beyond within a few
// standard errors, and the same for any order and repetition.
func TestDistinct(t *testing.T) {
	for _, n := range []int{0, 1, 100, exactLimit, exactLimit + 1, 2000, 50_000, 1_000_000} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i)
		}
		var a, b distinct
		for _, id := range ids {
			a.add(hashString(id))
		}
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		for _, i := range rng.Perm(n) {
			b.add(hashString(ids[i]))
			if i%3 == 0 {
				b.add(hashString(ids[i])) // a duplicate
			}
		}
		got, est := a.count()
		got2, est2 := b.count()
		assert.Equal(t, got, got2, "order and duplicates change nothing (n=%d)", n)
		assert.Equal(t, est, est2)
		if n <= exactLimit {
			assert.Equal(t, n, got)
			assert.False(t, est)
			continue
		}
		assert.True(t, est)
		assert.InDelta(t, n, got, 4*0.023*float64(n)+1, "n=%d", n)
	}
}

// TestUsageOrder: the buckets, and so the uses replay sees, depend only
// on the set of uses.
func TestUsageOrder(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{1, 10, maxBuckets, 200, 5000} {
		type use struct {
			t      time.Time
			id     string
			crypto bool
		}
		rng := rand.New(rand.NewPCG(uint64(n), 2))
		uses := make([]use, n)
		for i := range uses {
			uses[i] = use{base.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour)))), fmt.Sprintf("id-%06d", i), rng.IntN(2) == 0}
		}
		summarize := func(order []int) []entry {
			var u usage
			for _, i := range order {
				x := uses[i]
				u.add(x.t, x.id, x.crypto, func() *usageEntry { return &usageEntry{entry: entry{time: x.t, id: x.id}, crypto: x.crypto} })
			}
			assert.LessOrEqual(t, len(u.buckets), maxBuckets)
			// Each bucket's slots are those of its cryptographic uses at
			// the final width, whatever widths they were added at.
			slots := map[int64]uint64{}
			for _, x := range uses {
				if x.crypto {
					slots[floorShift(x.t.Unix(), u.shift)] |= 1 << (floorShift(sixtyFourths(x.t), u.shift) & 63)
				}
			}
			for _, b := range u.buckets {
				assert.Equal(t, slots[b.index], b.crypto, "n=%d bucket %d", n, b.index)
			}
			var out []entry
			for _, e := range u.entries() {
				out = append(out, e.entry)
			}
			return out
		}
		identity := make([]int, n)
		for i := range identity {
			identity[i] = i
		}
		want := summarize(identity)
		for seed := range uint64(5) {
			perm := rand.New(rand.NewPCG(seed, 3)).Perm(n)
			perm = append(perm, perm[:n/3]...) // duplicates
			assert.Equal(t, want, summarize(perm), "n=%d seed=%d", n, seed)
		}
		// Every kept use is in order, the earliest and latest among them.
		require.True(t, slices.IsSortedFunc(want, func(a, b entry) int { return a.compare(&b) }))
		if n <= maxBuckets {
			assert.Len(t, want, n, "a key used at few moments keeps each use")
		}
	}
}

// TestFold: each pair of bits becomes one, in order.
func TestFold(t *testing.T) {
	assert.Equal(t, uint64(0), fold(0))
	assert.Equal(t, uint64(1<<32-1), fold(^uint64(0)))
	assert.Equal(t, uint64(1), fold(1<<1))
	assert.Equal(t, uint64(1<<31), fold(1<<62))
	assert.Equal(t, uint64(0b101), fold(0b110001))
}

// TestSlotTime: slots tile their bucket, at every width.
func TestSlotTime(t *testing.T) {
	for _, s := range []uint{0, 3, 6, 12, 30} {
		for _, idx := range []int64{-3, 0, 28_000} {
			start, end := slotTime(idx, 0, s), slotTime(idx, 64, s)
			assert.Equal(t, time.Unix(idx<<s, 0).UTC(), start)
			assert.Equal(t, time.Duration(1<<s)*time.Second, end.Sub(start), "s=%d", s)
			mid := slotTime(idx, 17, s)
			assert.Equal(t, int64(17), floorShift(sixtyFourths(mid), s)&63, "s=%d idx=%d", s, idx)
		}
	}
}

// TestDenialBursts compares the bounded computation of access-denied-burst
// with a brute force over every denial, on random denials: the first
// denial of each interval at which count denials fall within the window.
func TestDenialBursts(t *testing.T) {
	base := time.Date(2026, 4, 15, 3, 0, 0, 0, time.UTC)
	for trial := range uint64(300) {
		rng := rand.New(rand.NewPCG(trial, 4))
		n := 2 + rng.IntN(6)
		window := time.Duration(1+rng.IntN(5)) * time.Minute
		a := New(Options{DenyCount: n, DenyWindow: window})
		var times []time.Time
		for i := range 1 + rng.IntN(60) {
			tm := base.Add(time.Duration(rng.IntN(1800)) * time.Second)
			times = append(times, tm)
			id := fmt.Sprintf("id-%04d", i)
			a.addDenialAt("role/scanner", tm, id)
			if rng.IntN(5) == 0 {
				a.addDenialAt("role/scanner", tm, id) // a duplicate
			}
		}
		var got []time.Time
		for _, f := range a.denialFindings() {
			got = append(got, f.Time)
		}
		slices.SortFunc(got, func(x, y time.Time) int { return x.Compare(y) })
		assert.Equal(t, bruteBursts(times, n, window), got, "trial %d: %d within %v", trial, n, window)
	}
}

// bruteBursts is access-denied-burst by definition, over all denials (ties
// in time broken by eventID, which follows the index here).
func bruteBursts(times []time.Time, n int, window time.Duration) []time.Time {
	type d struct {
		t  time.Time
		id string
	}
	var ds []d
	for i, t := range times {
		ds = append(ds, d{t, fmt.Sprintf("id-%04d", i)})
	}
	slices.SortFunc(ds, func(a, b d) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	w := int64(window / time.Second)
	done := map[int64]bool{}
	var out []time.Time
	for i, e := range ds {
		k := int64(math.Floor(float64(e.t.Unix()) / float64(w)))
		if done[k] {
			continue
		}
		c := 0
		for _, f := range ds[:i+1] {
			if f.t.After(e.t.Add(-window)) {
				c++
			}
		}
		if c >= n {
			done[k] = true
			out = append(out, e.t)
		}
	}
	return out
}

// TestNewest: the kept set is the newest limit items, each eventID once,
// for any order.
func TestNewest(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]*entry, 250)
	for i := range items {
		items[i] = &entry{time: base.Add(time.Duration(i%97) * time.Minute), id: fmt.Sprintf("id-%04d", i)}
	}
	keep := func(order []int) ([]*entry, int) {
		n := newNewest(40, func(e *entry) *entry { return e })
		for _, i := range order {
			n.offer(items[i])
		}
		d, _ := n.dropped()
		return n.sorted(), d
	}
	want, dropped := keep(rand.New(rand.NewPCG(1, 1)).Perm(len(items)))
	assert.Len(t, want, 40)
	assert.Equal(t, len(items)-40, dropped)
	for seed := range uint64(20) {
		perm := rand.New(rand.NewPCG(seed, 5)).Perm(len(items))
		got, d := keep(append(perm, perm[:100]...))
		assert.Equal(t, want, got)
		assert.Equal(t, dropped, d)
	}
}

// addDenialAt adds a denial of a Decrypt by who at t.
func (a *Auditor) addDenialAt(who string, t time.Time, id string) {
	a.deny(who, t, id, func() *denial {
		return &denial{entry: entry{time: t, id: id, op: "Decrypt", principal: who}}
	})
}

// TestSlotUsesBesideKeptUses: a slot whose kept use (a bucket's first or
// last) is cryptographic needs no stand-in; one whose kept use is not
// (DescribeKey) does, for the cryptographic uses beside it.
func TestSlotUsesBesideKeptUses(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, firstCrypto := range []bool{true, false} {
		var u usage
		add := func(d time.Duration, id string, crypto bool) {
			u.add(base.Add(d), id, crypto, func() *usageEntry {
				return &usageEntry{entry: entry{time: base.Add(d), id: id}, crypto: crypto}
			})
		}
		add(0, "a", firstCrypto) // the bucket's first use
		add(time.Second, "b", true)
		add(2*time.Second, "c", true)
		add(3*time.Second, "d", false) // its last
		require.Len(t, u.buckets, 4, "a second wide: each use its own bucket")
		// Spread the uses to coarsen the buckets until one holds them all.
		for i := range 16 {
			add(time.Duration(i+1)*time.Hour, fmt.Sprint("z", i), false)
		}
		slots := u.slotUses(func(time.Time, time.Time) bool { return false })
		if firstCrypto {
			assert.Empty(t, slots, "the first use, kept, is in the slot")
		} else {
			require.Len(t, slots, 1)
			assert.Equal(t, base, slots[0].time)
		}
	}
}
