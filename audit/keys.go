package audit

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
)

// keyState is what the audit keeps of one key between records: the
// changes to replay, the grants, and a summary of its use.
type keyState struct {
	arn, id, account, region string

	changes *newest[*change] // records that change the key, but grants and remarks
	remarks *newest[*change] // the newest changes of remarkOps, for the timeline
	grants  grantBook
	usage   usage
	events  distinct // every successful record about the key
	// first and last are the earliest and latest eventTime, zero until a
	// record with a time is seen.
	first, last time.Time
}

func newKeyState(ref kmstrail.KeyRef, opts Options) *keyState {
	return &keyState{
		arn: strings.Clone(ref.ARN), id: strings.Clone(ref.ID), account: strings.Clone(ref.Account), region: strings.Clone(ref.Region),
		changes: newNewest(opts.MaxChanges, func(c *change) *entry { return &c.entry }),
		remarks: newNewest(opts.Timeline, func(c *change) *entry { return &c.entry }),
		grants:  grantBook{recent: newNewest(opts.Timeline, func(g *grantEvent) *entry { return &g.entry })},
	}
}

// touch counts a record about the key.
func (k *keyState) touch(t time.Time, id string) {
	k.events.add(hashString(id))
	if t.IsZero() {
		return
	}
	if k.first.IsZero() || t.Before(k.first) {
		k.first = t
	}
	if t.After(k.last) {
		k.last = t
	}
}

// change is a record that changes a key, with what replay needs of it.
type change struct {
	entry
	service bool // an AWS service made it

	// secondary: the record's principal key is another key (the replica
	// side of ReplicateKey, the other Region's key of
	// UpdatePrimaryRegion); it raises no finding of its own.
	secondary bool
	replica   bool // ReplicateKey, as the replica's creation

	origin   types.OriginType
	keySpec  types.KeySpec
	keyUsage types.KeyUsageType
	role     types.MultiRegionKeyType // the multi-Region role the record gives the key

	// date is ScheduleKeyDeletion's deletionDate, or ImportKeyMaterial's
	// validTo; window is the deletion's waiting period in days.
	date            time.Time
	window          int32
	replicaDeletion bool // PendingReplicaDeletion: the primary waits for its replicas

	period       int32 // EnableKeyRotation's rotation period in days
	rotationType types.RotationType

	material, previous string // key material IDs
	model              types.ExpirationModelType
	importType         types.ImportType

	policy policyVerdict
	bypass bool

	alias  string // the alias created, moved or deleted
	region string // ReplicateKey's replica Region; UpdatePrimaryRegion's primary Region
	other  string // the other key's ARN
}

// describe takes what key metadata says about the key.
func (c *change) describe(md *kmstrail.KeyMetadata) {
	if md == nil {
		return
	}
	c.origin, c.keySpec, c.keyUsage = md.Origin, md.KeySpec, md.KeyUsage
	if md.KeySpec == "" {
		c.keySpec = types.KeySpec(md.CustomerMasterKeySpec)
	}
	if mr := md.MultiRegionConfiguration; mr != nil {
		c.role = mr.MultiRegionKeyType
	} else if md.MultiRegion {
		c.role = types.MultiRegionKeyTypePrimary
	}
}

// grantBook tracks a key's grants by grantId. Open grants, and grants to
// other accounts, are kept whole; a retired grant is kept as a hash of its
// ID and what was seen of it, so that a duplicate record of it changes
// nothing.
type grantBook struct {
	whole   map[string]*grant
	retired map[uint64]uint8 // grantSeen... flags
	recent  *newest[*grantEvent]
	over    int // grants not tracked, past maxGrants
}

const (
	grantCreated uint8 = 1 << iota
	grantRetired
)

// grant is one grant, as CreateGrant, RetireGrant and RevokeGrant tell it.
// KMS makes one grant of identical CreateGrant requests (the grant's name
// makes them idempotent), so a grant may have several CreateGrant records:
// the earliest describes it, and the earliest to another account, if any,
// raises grant-cross-account.
type grant struct {
	id      string
	created *grantCreate // the earliest CreateGrant; nil until one is seen
	cross   *grantCreate // the earliest CreateGrant to another account
	retired *entry       // nil until RetireGrant or RevokeGrant is seen
}

// grantCreate is a CreateGrant record.
type grantCreate struct {
	entry
	grantee, retiring string
	ops               []types.GrantOperation
	other             string // the grantee's account, when it is not the key's
}

// retiredUnseen stands for a retirement whose record is no longer kept.
var retiredUnseen entry

// grantEvent is a grant record, for the key's timeline.
type grantEvent struct {
	entry
	grantID string
	grantee string
}

func (b *grantBook) size() int { return len(b.whole) + len(b.retired) }

func (b *grantBook) keep(g *grant) {
	if b.whole == nil {
		b.whole = make(map[string]*grant)
	}
	b.whole[g.id] = g
}

// addGrant keeps CreateGrant, RetireGrant and RevokeGrant.
func (a *Auditor) addGrant(ev *kmstrail.Event) {
	call := ev.KMS
	k := a.key(call.Key)
	if k == nil {
		a.noKey.add(hashString(eventID(ev)))
		return
	}
	var id, grantee, retiring string
	var ops []types.GrantOperation
	create := call.Operation == kmstrail.OpCreateGrant
	switch req := call.Request.(type) {
	case *kmstrail.CreateGrantRequest:
		grantee, retiring, ops = req.Grantee(), req.Retiring(), req.Operations
	case *kmstrail.RetireGrantRequest:
		id = req.GrantID
	case *kmstrail.RevokeGrantRequest:
		id = req.GrantID
	}
	if resp, ok := call.Response.(*kmstrail.CreateGrantResponse); ok {
		id = resp.GrantID
	}
	if id == "" && call.AdditionalEventData != nil {
		id = call.AdditionalEventData.GrantID // RetireGrant logs it here
	}
	if id == "" {
		a.noGrantID.add(hashString(eventID(ev)))
		return
	}
	k.touch(ev.EventTime, eventID(ev))
	e := a.entryOf(ev)
	b := &k.grants
	// Grantees recur (a few roles and services): shared.
	grantee, retiring = a.in.str(grantee), a.in.str(retiring)
	gid := strings.Clone(id)
	if g := b.whole[id]; g != nil {
		gid = g.id
	}
	b.recent.offer(&grantEvent{entry: e, grantID: gid, grantee: grantee})

	var gc *grantCreate
	if create {
		gc = &grantCreate{entry: e, grantee: grantee, retiring: retiring}
		for _, o := range ops {
			gc.ops = append(gc.ops, enum(&a.in, o))
		}
		if acct := accountOf(grantee); acct != "" && acct != k.account {
			gc.other = acct
		}
	}
	h := hashString(id)
	if flags, ok := b.retired[h]; ok {
		if gc == nil || gc.other == "" {
			b.retired[h] = flags | grantCreated
			return
		}
		// Retired, and now a CreateGrant of it to another account: keep
		// it whole after all, for its finding.
		delete(b.retired, h)
		b.keep(&grant{id: gid, created: gc, retired: &retiredUnseen})
	}
	g := b.whole[id]
	if g == nil {
		if b.size() >= maxGrants {
			b.over++
			return
		}
		if a.grants >= maxGrantsTotal {
			a.overGrants++
			return
		}
		a.grants++
		g = &grant{id: gid}
		b.keep(g)
	}
	if gc != nil {
		if g.created == nil || gc.before(&g.created.entry) {
			g.created = gc
		}
		if gc.other != "" && (g.cross == nil || gc.before(&g.cross.entry)) {
			g.cross = gc
		}
	} else if g.retired == nil || (g.retired != &retiredUnseen && e.before(g.retired)) {
		g.retired = &e
	}
	if g.retired != nil && g.cross == nil {
		// Retired, and nothing to report of it: keep its hash only.
		if b.retired == nil {
			b.retired = make(map[uint64]uint8)
		}
		flags := grantRetired
		if g.created != nil {
			flags |= grantCreated
		}
		b.retired[h] = flags
		delete(b.whole, id)
	}
}

// accountOf returns the account a grantee principal names: an ARN's, a
// bare account ID, or the account that prefixes an EC2 infrastructure
// principal ("111122223333:aws:ec2-infrastructure:i-..."). A service
// principal names none.
func accountOf(principal string) string {
	if a, err := arn.Parse(principal); err == nil {
		return a.AccountID
	}
	acct, _, _ := strings.Cut(principal, ":")
	if len(acct) == 12 && strings.Trim(acct, "0123456789") == "" {
		return acct
	}
	return ""
}
