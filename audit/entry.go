package audit

import (
	"container/heap"
	"slices"
	"strings"
	"time"

	"github.com/kmstrail/kmstrail"
)

// entry is one record as the audit keeps it: when, which, what and who.
// Its strings are copies, never the Event's own: those share memory with
// the rest of the record, which keeping one would keep too.
type entry struct {
	time      time.Time
	id        string // eventID
	op        string // eventName
	principal string // Principal().String()
}

// before orders entries by eventTime, then eventID: the order the audit
// replays records in, whatever order they came in.
func (e *entry) before(f *entry) bool {
	if c := e.time.Compare(f.time); c != 0 {
		return c < 0
	}
	return e.id < f.id
}

// compare is before as a three-way comparison, for sorting.
func (e *entry) compare(f *entry) int {
	if c := e.time.Compare(f.time); c != 0 {
		return c
	}
	return strings.Compare(e.id, f.id)
}

// interner makes the copies of the strings entries keep, and shares the
// copies of strings that recur (operation names, principals), so that
// thousands of entries naming one principal hold one string. It forgets
// everything past a bound, which costs copies, never correctness.
type interner struct {
	strs       map[string]string
	principals map[principalKey]string
}

// principalKey is what an Event's principal string is made of, read
// without building it: every userIdentity member Event.Principal reads.
type principalKey struct{ typ, arn, account, by, issuer string }

const internLimit = 1 << 14

func (in *interner) str(s string) string {
	if v, ok := in.strs[s]; ok {
		return v
	}
	if in.strs == nil || len(in.strs) >= internLimit {
		in.strs = make(map[string]string)
	}
	v := strings.Clone(s)
	in.strs[v] = v
	return v
}

// principal returns ev.Principal().String(), shared.
func (in *interner) principal(ev *kmstrail.Event) string {
	u := ev.UserIdentity
	if u == nil {
		return ""
	}
	var issuer string // what Principal takes an assumed role's ARN from
	if sc := u.SessionContext; sc != nil && sc.SessionIssuer != nil {
		issuer = sc.SessionIssuer.ARN
	}
	k := principalKey{u.Type, u.ARN, u.AccountID, u.InvokedBy, issuer}
	if v, ok := in.principals[k]; ok {
		return v
	}
	if in.principals == nil || len(in.principals) >= internLimit {
		in.principals = make(map[principalKey]string)
	}
	v := strings.Clone(ev.Principal().String()) // it may be the record's own string
	k = principalKey{strings.Clone(u.Type), strings.Clone(u.ARN), strings.Clone(u.AccountID), strings.Clone(u.InvokedBy), strings.Clone(issuer)}
	in.principals[k] = v
	return v
}

// eventID returns the record's eventID, or for a record without one a
// stand-in made from its bytes, so that a duplicate of it is still known.
func eventID(ev *kmstrail.Event) string {
	if ev.EventID != "" {
		return ev.EventID
	}
	return "raw:" + hex16(hashString(string(ev.Raw)))
}

func hex16(h uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[h&15]
		h >>= 4
	}
	return string(b[:])
}

// newest keeps the newest limit items by entry order, each eventID once: a
// bounded set whose contents depend only on the items offered, not on their
// order (an item older than every kept one when the set is full is refused,
// and would have been evicted anyway). It counts the distinct eventIDs
// offered, so that what it dropped can be told. Most sets hold a few
// items (an alias's history, a key's changes), so the index of eventIDs is
// made only past smallSet of them.
type newest[T any] struct {
	limit int
	entry func(T) *entry
	items []T                  // a min-heap by entry order
	ids   map[string]time.Time // the kept items' eventIDs and times, past smallSet items
	seen  distinct             // every eventID offered
}

const smallSet = 32

func newNewest[T any](limit int, entry func(T) *entry) *newest[T] {
	return &newest[T]{limit: limit, entry: entry}
}

// find returns the time of the kept item of eventID id.
func (n *newest[T]) find(id string) (time.Time, bool) {
	if n.ids != nil {
		t, ok := n.ids[id]
		return t, ok
	}
	for _, w := range n.items {
		if e := n.entry(w); e.id == id {
			return e.time, true
		}
	}
	return time.Time{}, false
}

// offer adds v unless an item of its eventID is kept already. Of two items
// with one eventID, the earlier is kept: CloudTrail's duplicates are
// identical, and a choice by content keeps the result independent of order.
func (n *newest[T]) offer(v T) {
	e := n.entry(v)
	n.seen.add(hashString(e.id))
	if t, ok := n.find(e.id); ok {
		if !e.time.Before(t) {
			return // the usual duplicate: the same record again
		}
		for i, w := range n.items {
			if n.entry(w).id == e.id {
				n.items[i] = v
				if n.ids != nil {
					n.ids[e.id] = e.time
				}
				heap.Fix(n, i)
				return
			}
		}
		return
	}
	if len(n.items) >= n.limit {
		if !n.entry(n.items[0]).before(e) {
			return
		}
		old := heap.Pop(n).(T)
		if n.ids != nil {
			delete(n.ids, n.entry(old).id)
		}
	}
	if n.ids == nil && len(n.items) >= smallSet {
		n.ids = make(map[string]time.Time, 2*smallSet)
		for _, w := range n.items {
			we := n.entry(w)
			n.ids[we.id] = we.time
		}
	}
	if n.ids != nil {
		n.ids[e.id] = e.time
	}
	heap.Push(n, v)
}

// dropped returns how many distinct items were offered and not kept, and
// whether that is an estimate.
func (n *newest[T]) dropped() (int, bool) {
	c, est := n.seen.count()
	return max(c-len(n.items), 0), est
}

// sorted returns the kept items, oldest first.
func (n *newest[T]) sorted() []T {
	s := make([]T, len(n.items))
	copy(s, n.items)
	slices.SortFunc(s, func(a, b T) int { return n.entry(a).compare(n.entry(b)) })
	return s
}

// heap.Interface, for the min-heap.
func (n *newest[T]) Len() int           { return len(n.items) }
func (n *newest[T]) Less(i, j int) bool { return n.entry(n.items[i]).before(n.entry(n.items[j])) }
func (n *newest[T]) Swap(i, j int)      { n.items[i], n.items[j] = n.items[j], n.items[i] }
func (n *newest[T]) Push(x any)         { n.items = append(n.items, x.(T)) }
func (n *newest[T]) Pop() any {
	v := n.items[len(n.items)-1]
	var zero T
	n.items[len(n.items)-1] = zero
	n.items = n.items[:len(n.items)-1]
	return v
}
