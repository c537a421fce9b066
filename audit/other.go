package audit

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/kmstrail/kmstrail"
)

// aliasID names an alias: aliases belong to an account and a Region.
type aliasID struct{ account, region, name string }

// aliasEvent is CreateAlias, UpdateAlias or DeleteAlias, for the alias's
// history: where the alias pointed from then on ("" once deleted).
type aliasEvent struct {
	entry
	target string
}

// aliasOf returns the alias a record names in ref, in the account and
// Region of the key or else of the record.
func aliasOf(ev *kmstrail.Event, ref kmstrail.KeyRef, name string) aliasID {
	return aliasID{account: cmp.Or(ref.Account, ev.RecipientAccountID), region: cmp.Or(ref.Region, ev.AWSRegion), name: name}
}

// addAlias keeps an alias record in the alias's history, and notes the
// alias in the change to its key.
func (a *Auditor) addAlias(ev *kmstrail.Event, c *change) {
	call := ev.KMS
	var name string
	switch req := call.Request.(type) {
	case *kmstrail.CreateAliasRequest:
		name = req.AliasName
	case *kmstrail.UpdateAliasRequest:
		name = req.AliasName
	case *kmstrail.DeleteAliasRequest:
		name = req.AliasName
	}
	if name == "" {
		name = call.Key.Alias
	}
	if name == "" {
		return
	}
	c.alias = a.in.str(name)
	target := call.Key.ARN
	if call.Operation == kmstrail.OpDeleteAlias {
		target = ""
	}
	id := aliasOf(ev, call.Key, name)
	h := a.aliases[id]
	if h == nil {
		if len(a.aliases) >= maxAliases {
			a.overAliases++
			return
		}
		id = aliasID{strings.Clone(id.account), strings.Clone(id.region), c.alias}
		h = newNewest(maxAliasEvents, func(e *aliasEvent) *entry { return &e.entry })
		a.aliases[id] = h
	}
	offerWithin(a, h, &aliasEvent{entry: c.entry, target: strings.Clone(target)})
}

// aliasTarget returns the key an alias named at t, by its history, and
// whether the history says.
func aliasTarget(h *newest[*aliasEvent], t time.Time, id string) (string, bool) {
	probe := entry{time: t, id: id}
	target, known := "", false
	for _, e := range h.sorted() {
		if probe.before(&e.entry) {
			break
		}
		target, known = e.target, true
	}
	return target, known && target != ""
}

// storeEvent is a custom key store record.
type storeEvent struct {
	entry
	store, name, account, region string
}

func (a *Auditor) addStore(ev *kmstrail.Event) {
	e := &storeEvent{entry: a.entryOf(ev), account: a.in.str(ev.RecipientAccountID), region: a.in.str(ev.AWSRegion)}
	switch req := ev.KMS.Request.(type) {
	case *kmstrail.CreateCustomKeyStoreRequest:
		e.name = req.CustomKeyStoreName
	case *kmstrail.ConnectCustomKeyStoreRequest:
		e.store = req.CustomKeyStoreID
	case *kmstrail.UpdateCustomKeyStoreRequest:
		e.store = req.CustomKeyStoreID
	case *kmstrail.DisconnectCustomKeyStoreRequest:
		e.store = req.CustomKeyStoreID
	case *kmstrail.DeleteCustomKeyStoreRequest:
		e.store = req.CustomKeyStoreID
	}
	if resp, ok := ev.KMS.Response.(*kmstrail.CreateCustomKeyStoreResponse); ok && e.store == "" {
		e.store = resp.CustomKeyStoreID
	}
	if ad := ev.KMS.AdditionalEventData; ad != nil && e.name == "" {
		e.name = ad.CustomKeyStoreName
	}
	e.store, e.name = strings.Clone(e.store), strings.Clone(e.name)
	a.stores.offer(e)
}

// pendingID names a key that records name only by an alias or a bare key
// ID, which replay resolves once every alias record is in.
type pendingID struct{ account, region, ref string }

type pendingRef struct {
	*newest[*pendingEvent]
}

// pendingEvent is a record about a key not yet resolved: a change or a use.
type pendingEvent struct {
	change *change
	use    *usageEntry
}

func (p *pendingEvent) entry() *entry {
	if p.change != nil {
		return &p.change.entry
	}
	return &p.use.entry
}

func (a *Auditor) pendingFor(ev *kmstrail.Event, ref kmstrail.KeyRef) *pendingRef {
	id := pendingID{account: cmp.Or(ref.Account, ev.RecipientAccountID), region: cmp.Or(ref.Region, ev.AWSRegion), ref: cmp.Or(ref.Alias, ref.ID)}
	if p, ok := a.pending[id]; ok {
		return p
	}
	if len(a.pending) >= maxPendingRefs {
		a.overPending++
		return nil
	}
	p := &pendingRef{newNewest(maxPending, (*pendingEvent).entry)}
	a.pending[pendingID{strings.Clone(id.account), strings.Clone(id.region), strings.Clone(id.ref)}] = p
	return p
}

// denyID is a principal and an interval of DenyWindow (counted from the
// Unix epoch) in which it was denied.
type denyID struct {
	principal string
	window    int64
}

// denyWindow keeps the earliest and the latest DenyCount denials of an
// interval, sorted: enough to find, exactly, the first denial at which
// DenyCount denials fall within DenyWindow (see bursts), whatever the order
// they came in and however many there were.
type denyWindow struct {
	early, late []*denial
}

type denial struct {
	entry
	key, account, region string
}

func (a *Auditor) addDenial(ev *kmstrail.Event) {
	p := ev.Principal()
	who := p.ARN
	if who == "" {
		who = p.String()
	}
	a.deny(who, ev.EventTime.UTC(), eventID(ev), func() *denial {
		return &denial{entry: a.entryOf(ev), key: strings.Clone(ev.KMS.Key.String()),
			account: a.in.str(ev.RecipientAccountID), region: a.in.str(ev.AWSRegion)}
	})
}

// deny keeps a denial of who at t, if it is among the earliest or latest
// DenyCount of its interval; fill makes it.
func (a *Auditor) deny(who string, t time.Time, eid string, fill func() *denial) {
	w := int64(a.opts.DenyWindow / time.Second)
	id := denyID{principal: who, window: floorDiv(t.Unix(), w)}
	dw := a.denials[id]
	if dw == nil {
		if len(a.denials) >= maxDenyWindows {
			a.overDenials++
			return
		}
		id.principal = a.in.str(who)
		dw = &denyWindow{}
		a.denials[id] = dw
	}
	e := entry{time: t, id: eid}
	var kept *denial
	keep := func() *denial {
		if kept == nil {
			kept = fill()
		}
		return kept
	}
	n := a.opts.DenyCount
	dw.early = keepSorted(dw.early, &e, n, true, keep)
	dw.late = keepSorted(dw.late, &e, n, false, keep)
}

// keepSorted adds the denial at e to a sorted list that keeps the n
// earliest (or latest) denials, each eventID once.
func keepSorted(list []*denial, e *entry, n int, earliest bool, fill func() *denial) []*denial {
	i, found := slices.BinarySearchFunc(list, e, func(d *denial, e *entry) int { return d.compare(e) })
	if found {
		return list
	}
	if len(list) >= n {
		if earliest && i >= n || !earliest && i == 0 {
			return list
		}
	}
	list = slices.Insert(list, i, fill())
	if len(list) > n {
		if earliest {
			list[n] = nil
			list = list[:n]
		} else {
			list = slices.Delete(list, 0, 1)
		}
	}
	return list
}

func floorDiv(x, d int64) int64 {
	q := x / d
	if x%d != 0 && x < 0 {
		q--
	}
	return q
}

// s3ID is a bucket and the key of another account its writes were
// encrypted under.
type s3ID struct{ account, bucket, key string }

type s3Use struct {
	first  *s3Write
	last   time.Time
	writes distinct
}

type s3Write struct {
	entry
	account, region string
}

// s3Request is what cross-account-encryption reads of an S3 request.
type s3Request struct {
	Bucket string `json:"bucketName"`
	KeyID  string `json:"x-amz-server-side-encryption-aws-kms-key-id"`
}

var kmsKeyHeader = []byte("x-amz-server-side-encryption-aws-kms-key-id")

func (a *Auditor) addS3(ev *kmstrail.Event) {
	if !bytes.Contains(ev.RequestParameters, kmsKeyHeader) {
		return
	}
	var req s3Request
	if err := json.Unmarshal(ev.RequestParameters, &req); err != nil || req.KeyID == "" {
		return
	}
	key := kmstrail.ParseKeyRef(req.KeyID)
	owner := ev.RecipientAccountID
	for _, r := range ev.Resources {
		if r.Type == "AWS::S3::Bucket" && r.AccountID != "" {
			owner = r.AccountID
		}
	}
	if key.Account == "" || owner == "" || key.Account == owner {
		return // a key ID or alias is read in the bucket owner's account
	}
	// The key as S3 names it: its ARN, or an alias ARN as written (an
	// alias name alone would merge one alias of several accounts).
	name := key.ARN
	if name == "" {
		name = strings.TrimSpace(req.KeyID)
	}
	id := s3ID{account: owner, bucket: req.Bucket, key: name}
	u := a.s3[id]
	if u == nil {
		if len(a.s3) >= maxS3Groups {
			a.overS3++
			return
		}
		u = &s3Use{}
		a.s3[s3ID{strings.Clone(owner), strings.Clone(req.Bucket), strings.Clone(name)}] = u
	}
	eid := eventID(ev)
	u.writes.add(hashString(eid))
	t := ev.EventTime.UTC()
	probe := entry{time: t, id: eid}
	if u.first == nil || probe.before(&u.first.entry) {
		u.first = &s3Write{entry: a.entryOf(ev), account: a.in.str(owner), region: a.in.str(ev.AWSRegion)}
	}
	if t.After(u.last) {
		u.last = t
	}
}
