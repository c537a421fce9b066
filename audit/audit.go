package audit

import (
	"cmp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
)

// Defaults of Options.
const (
	DefaultWithin     = 30 * 24 * time.Hour // Options.Within
	DefaultTimeline   = 20                  // Options.Timeline
	DefaultMaxChanges = 10_000              // Options.MaxChanges
	DefaultDenyCount  = 10                  // Options.DenyCount
	DefaultDenyWindow = 5 * time.Minute     // Options.DenyWindow
)

// Options set up an Auditor. The zero value is ready to use: each zero
// field takes its default.
type Options struct {
	// At is the reference time: key material expiring, and keys pending
	// deletion, are judged as of At. Zero means the time Report is called;
	// set it for reports that can be reproduced.
	At time.Time

	// Within is how soon before its validTo imported key material is
	// expiring (key-material-expiring, and Report.Expiry). Default
	// DefaultWithin, 30 days.
	Within time.Duration

	// Timeline is how many changes each key's timeline keeps: the newest,
	// with a count of the rest. Default DefaultTimeline.
	Timeline int

	// MaxChanges bounds the changes (the records that change a key, other
	// than grants) kept per key for replay: past it, the oldest are
	// dropped, the key's state is replayed from the oldest kept, and the
	// key's Notes say so. Real keys have a few dozen; the bound is for
	// hostile trails. Default DefaultMaxChanges.
	MaxChanges int

	// DenyCount and DenyWindow set access-denied-burst: at least DenyCount
	// failures with AccessDenied by one principal within DenyWindow
	// (counted in whole seconds). Defaults DefaultDenyCount and
	// DefaultDenyWindow.
	DenyCount  int
	DenyWindow time.Duration
}

func (o Options) withDefaults() Options {
	orDefault(&o.Within, DefaultWithin)
	orDefault(&o.Timeline, DefaultTimeline)
	orDefault(&o.MaxChanges, DefaultMaxChanges)
	orDefault(&o.DenyCount, DefaultDenyCount)
	if o.DenyWindow < time.Second {
		o.DenyWindow = DefaultDenyWindow
	}
	return o
}

// orDefault sets *v to d unless it is positive.
func orDefault[T int | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// Fixed bounds on what an Auditor keeps, against hostile trails; the
// package documentation lists them.
const (
	maxGrants      = 100_000 // grants tracked per key, open or retired
	maxAliasEvents = 1_000   // alias events kept per alias
	maxAliases     = 100_000 // aliases tracked
	maxStoreEvents = 10_000  // custom key store events kept
	maxPending     = 1_000   // records kept per unresolved alias or key ID
	maxPendingRefs = 10_000  // unresolved aliases and key IDs tracked
	maxDenyWindows = 100_000 // principal-intervals holding denials
	maxS3Groups    = 10_000  // (bucket, key) pairs of cross-account writes
	maxKeysTracked = 1 << 20 // keys
)

// Bounds shared by every key, alias and unresolved name, so that what an
// Auditor keeps does not grow with the number of keys times a bound per
// key. Variables, so that tests can cross them quickly.
var (
	maxKept        = 500_000   // changes, alias and unresolved records kept (about 540 bytes each)
	maxGrantsTotal = 1_000_000 // grants tracked
)

// An Auditor reconstructs each KMS key's life from the records added to
// it, in any order, and reports keys, imported key material expiry and
// findings. The zero Auditor is not ready: use New. An Auditor is not safe
// for concurrent use.
type Auditor struct {
	opts Options
	in   interner

	keys    map[string]*keyState
	aliases map[aliasID]*newest[*aliasEvent]
	stores  *newest[*storeEvent]
	pending map[pendingID]*pendingRef
	denials map[denyID]*denyWindow
	s3      map[s3ID]*s3Use

	// counts of what could not be kept, for Report.Diagnostics
	overKeys, overAliases, overPending, overDenials, overS3 int
	overKept, overGrants                                    int
	// grant records the audit cannot place, each eventID once: small
	// trails reach them, and their count must not depend on duplicates
	noGrantID, noKey distinct

	kept   int // records kept in changes, remarks, alias and pending histories
	grants int // grants tracked, all keys together
}

// offerWithin offers v to n within the Auditor's budget of kept records
// (maxKept): past it, a record that would add to what is kept is counted
// instead, in Report.Diagnostics. A record that takes the place of an older one in a
// full history costs nothing.
func offerWithin[T any](a *Auditor, n *newest[T], v T) {
	before := len(n.items)
	if a.kept >= maxKept && before < n.limit {
		a.overKept++
		return
	}
	n.offer(v)
	a.kept += len(n.items) - before
}

// New returns an Auditor with the given options.
func New(opts Options) *Auditor {
	opts = opts.withDefaults()
	return &Auditor{
		opts:    opts,
		keys:    make(map[string]*keyState),
		aliases: make(map[aliasID]*newest[*aliasEvent]),
		stores:  newNewest(maxStoreEvents, func(e *storeEvent) *entry { return &e.entry }),
		pending: make(map[pendingID]*pendingRef),
		denials: make(map[denyID]*denyWindow),
		s3:      make(map[s3ID]*s3Use),
	}
}

// Add takes in one record. Only what the audit needs is kept: the records
// that change a key, grants, and a bounded summary of the rest; ev itself
// is not kept and may be reused by the caller. A failed call (ErrorCode
// set) changes nothing: it only counts towards access-denied-burst. Add
// ignores a nil Event.
func (a *Auditor) Add(ev *kmstrail.Event) {
	if ev == nil {
		return
	}
	if !ev.Succeeded() {
		if ev.KMS != nil && isAccessDenied(ev.ErrorCode) {
			a.addDenial(ev)
		}
		return
	}
	if ev.KMS == nil {
		if ev.EventSource == "s3.amazonaws.com" && (ev.EventName == "PutObject" || ev.EventName == "CopyObject") {
			a.addS3(ev)
		}
		return
	}
	call := ev.KMS
	switch call.Operation {
	case kmstrail.OpCreateCustomKeyStore, kmstrail.OpConnectCustomKeyStore, kmstrail.OpUpdateCustomKeyStore,
		kmstrail.OpDisconnectCustomKeyStore, kmstrail.OpDeleteCustomKeyStore:
		a.addStore(ev)
		return
	case kmstrail.OpCreateGrant, kmstrail.OpRetireGrant, kmstrail.OpRevokeGrant:
		a.addGrant(ev)
		return
	case kmstrail.OpReEncrypt:
		// Both keys are used: the source (the principal key) and the
		// destination.
		if req, ok := call.Request.(*kmstrail.ReEncryptRequest); ok && !req.DestinationKey.IsZero() &&
			req.DestinationKey.String() != call.Key.String() {
			a.addUse(ev, req.DestinationKey)
		}
	}
	if call.Key.IsZero() {
		return // ListKeys, GenerateRandom, ...: no key
	}
	if c := a.newChange(ev); c != nil {
		a.addChange(ev, call.Key, c)
		return
	}
	a.addUse(ev, call.Key)
}

// isAccessDenied reports an errorCode of access denied: AccessDenied as
// most services write it, AccessDeniedException as KMS does.
func isAccessDenied(code string) bool {
	return code == "AccessDenied" || code == "AccessDeniedException"
}

// cryptoOps are the operations only an Enabled key allows (KMS's key state
// table): a successful one on a key in another state contradicts it.
var cryptoOps = map[kmstrail.Operation]bool{
	kmstrail.OpEncrypt: true, kmstrail.OpDecrypt: true, kmstrail.OpReEncrypt: true,
	kmstrail.OpGenerateDataKey: true, kmstrail.OpGenerateDataKeyWithoutPlaintext: true,
	kmstrail.OpGenerateDataKeyPair: true, kmstrail.OpGenerateDataKeyPairWithoutPlaintext: true,
	kmstrail.OpGenerateMac: true, kmstrail.OpVerifyMac: true, kmstrail.OpSign: true, kmstrail.OpVerify: true,
	kmstrail.OpDeriveSharedSecret: true, kmstrail.OpEncapsulate: true, kmstrail.OpDecapsulate: true,
	kmstrail.OpGetPublicKey: true,
}

// changeOps are the operations that change a key (grants aside): the
// records replay keeps.
var changeOps = map[kmstrail.Operation]bool{
	kmstrail.OpCreateKey: true, kmstrail.OpEnableKey: true, kmstrail.OpDisableKey: true,
	kmstrail.OpScheduleKeyDeletion: true, kmstrail.OpCancelKeyDeletion: true, kmstrail.OpDeleteKey: true,
	kmstrail.OpEnableKeyRotation: true, kmstrail.OpDisableKeyRotation: true, kmstrail.OpRotateKeyOnDemand: true,
	kmstrail.OpRotateKey: true, kmstrail.OpImportKeyMaterial: true, kmstrail.OpDeleteImportedKeyMaterial: true,
	kmstrail.OpDeleteExpiredKeyMaterial: true, kmstrail.OpPutKeyPolicy: true, kmstrail.OpCreateAlias: true,
	kmstrail.OpUpdateAlias: true, kmstrail.OpDeleteAlias: true, kmstrail.OpReplicateKey: true,
	kmstrail.OpUpdatePrimaryRegion: true, kmstrail.OpSynchronizeMultiRegionKey: true,
	kmstrail.OpUpdateKeyDescription: true, kmstrail.OpTagResource: true, kmstrail.OpUntagResource: true,
}

// remarkOps are the changes that change no state the audit reports (the
// key's description, its tags, a multi-Region key's synchronization): only
// the timeline shows them, so a key keeps only as many as its timeline
// could show (Options.Timeline), however many the trail has.
var remarkOps = map[kmstrail.Operation]bool{
	kmstrail.OpUpdateKeyDescription: true, kmstrail.OpTagResource: true, kmstrail.OpUntagResource: true,
	kmstrail.OpSynchronizeMultiRegionKey: true,
}

// key returns the state of the key ref names, made on first sight, or nil
// when ref has no ARN or too many keys are tracked.
func (a *Auditor) key(ref kmstrail.KeyRef) *keyState {
	if k, ok := a.keys[ref.ARN]; ok {
		return k
	}
	if ref.ARN == "" {
		return nil
	}
	if len(a.keys) >= maxKeysTracked {
		a.overKeys++
		return nil
	}
	k := newKeyState(ref, a.opts)
	a.keys[k.arn] = k
	return k
}

// entryOf returns the entry of a record, its strings copied.
func (a *Auditor) entryOf(ev *kmstrail.Event) entry {
	return entry{time: ev.EventTime.UTC(), id: strings.Clone(eventID(ev)), op: a.in.str(ev.EventName), principal: a.in.principal(ev)}
}

// addUse counts a record that uses the key ref names.
func (a *Auditor) addUse(ev *kmstrail.Event, ref kmstrail.KeyRef) {
	id := eventID(ev)
	crypto := cryptoOps[ev.KMS.Operation]
	fill := func() *usageEntry { return &usageEntry{entry: a.entryOf(ev), crypto: crypto} }
	if ref.ARN == "" {
		if p := a.pendingFor(ev, ref); p != nil {
			offerWithin(a, p.newest, &pendingEvent{use: fill()})
		}
		return
	}
	k := a.key(ref)
	if k == nil {
		return
	}
	k.touch(ev.EventTime, id)
	k.usage.add(ev.EventTime.UTC(), id, crypto, fill)
}

// addChange keeps a record that changes the key ref names.
func (a *Auditor) addChange(ev *kmstrail.Event, ref kmstrail.KeyRef, c *change) {
	if ref.ARN == "" {
		if p := a.pendingFor(ev, ref); p != nil {
			offerWithin(a, p.newest, &pendingEvent{change: c})
		}
		return
	}
	if k := a.key(ref); k != nil {
		k.touch(ev.EventTime, c.id)
		if remarkOps[kmstrail.Operation(c.op)] {
			offerWithin(a, k.remarks, c)
		} else {
			offerWithin(a, k.changes, c)
		}
	}
}

// isService reports whether an AWS service made the call: a principal of
// type AWSService, or KMS's own events, which name no identity. An IAM
// identity acting through a service (invokedBy) is the identity.
func isService(ev *kmstrail.Event) bool {
	return ev.Principal().Type == "AWSService"
}

// newChange returns the change a record makes to its principal key, or nil
// for a record that only uses it. Records that change other keys too
// (ReplicateKey, UpdatePrimaryRegion) add those changes here.
func (a *Auditor) newChange(ev *kmstrail.Event) *change {
	call := ev.KMS
	if !changeOps[call.Operation] {
		return nil // a use: most records, which keep no change
	}
	c := &change{entry: a.entryOf(ev), service: isService(ev)}
	switch call.Operation {
	case kmstrail.OpCreateKey:
		req, _ := call.Request.(*kmstrail.CreateKeyRequest)
		var md *kmstrail.KeyMetadata
		if resp, ok := call.Response.(*kmstrail.CreateKeyResponse); ok {
			md = resp.KeyMetadata
		}
		c.describe(md)
		if req != nil {
			c.origin = cmp.Or(req.Origin, c.origin)
			c.keySpec = cmp.Or(req.KeySpec, c.keySpec)
			c.keyUsage = cmp.Or(req.KeyUsage, c.keyUsage)
			if req.MultiRegion && c.role == "" {
				c.role = types.MultiRegionKeyTypePrimary
			}
			c.policy = judgePolicy(req.Policy)
			c.bypass = req.BypassPolicyLockoutSafetyCheck
		}
	case kmstrail.OpEnableKey, kmstrail.OpDisableKey, kmstrail.OpCancelKeyDeletion, kmstrail.OpDeleteKey,
		kmstrail.OpDisableKeyRotation, kmstrail.OpRotateKeyOnDemand, kmstrail.OpUpdateKeyDescription,
		kmstrail.OpTagResource, kmstrail.OpUntagResource, kmstrail.OpSynchronizeMultiRegionKey:
	case kmstrail.OpScheduleKeyDeletion:
		if req, ok := call.Request.(*kmstrail.ScheduleKeyDeletionRequest); ok {
			c.window = req.PendingWindowInDays
		}
		if resp, ok := call.Response.(*kmstrail.ScheduleKeyDeletionResponse); ok {
			if resp.DeletionDate.Valid() {
				c.date = resp.DeletionDate.UTC()
			}
			c.window = cmp.Or(resp.PendingWindowInDays, c.window)
			c.replicaDeletion = resp.KeyState == types.KeyStatePendingReplicaDeletion
		}
	case kmstrail.OpEnableKeyRotation:
		if req, ok := call.Request.(*kmstrail.EnableKeyRotationRequest); ok {
			c.period = req.RotationPeriodInDays
		}
	case kmstrail.OpRotateKey:
		if sed := call.ServiceEventDetails; sed != nil {
			c.rotationType, c.origin = sed.RotationType, sed.KeyOrigin
			c.material, c.previous = strings.Clone(sed.CurrentKeyMaterialID), strings.Clone(sed.PreviousKeyMaterialID)
		}
	case kmstrail.OpImportKeyMaterial:
		if req, ok := call.Request.(*kmstrail.ImportKeyMaterialRequest); ok {
			c.material = strings.Clone(req.KeyMaterialID)
			c.model, c.importType = req.ExpirationModel, req.ImportType
			if req.ValidTo.Valid() {
				c.date = req.ValidTo.UTC()
			}
			if c.model == "" && !c.date.IsZero() {
				c.model = types.ExpirationModelTypeKeyMaterialExpires // the API's default
			}
		}
		if resp, ok := call.Response.(*kmstrail.ImportKeyMaterialResponse); ok && resp.KeyMaterialID != "" {
			c.material = strings.Clone(resp.KeyMaterialID)
		}
	case kmstrail.OpDeleteImportedKeyMaterial:
		if req, ok := call.Request.(*kmstrail.DeleteImportedKeyMaterialRequest); ok {
			c.material = strings.Clone(req.KeyMaterialID)
		}
		if resp, ok := call.Response.(*kmstrail.DeleteImportedKeyMaterialResponse); ok && resp.KeyMaterialID != "" {
			c.material = strings.Clone(resp.KeyMaterialID)
		}
	case kmstrail.OpDeleteExpiredKeyMaterial:
		if sed := call.ServiceEventDetails; sed != nil {
			c.material = strings.Clone(sed.KeyMaterialID)
		}
	case kmstrail.OpPutKeyPolicy:
		if req, ok := call.Request.(*kmstrail.PutKeyPolicyRequest); ok {
			c.policy = judgePolicy(req.Policy)
			c.bypass = req.BypassPolicyLockoutSafetyCheck
		}
	case kmstrail.OpCreateAlias, kmstrail.OpUpdateAlias, kmstrail.OpDeleteAlias:
		a.addAlias(ev, c)
	case kmstrail.OpReplicateKey:
		a.addReplica(ev, c)
	case kmstrail.OpUpdatePrimaryRegion:
		a.addPrimaryRegion(ev, c)
	default:
		return nil
	}
	a.own(c)
	return c
}

// own makes the change's strings its own: enum values (OriginType, ...)
// are strings of the record, which would keep the record's memory alive.
func (a *Auditor) own(c *change) {
	c.origin, c.keySpec, c.keyUsage = enum(&a.in, c.origin), enum(&a.in, c.keySpec), enum(&a.in, c.keyUsage)
	c.role, c.rotationType = enum(&a.in, c.role), enum(&a.in, c.rotationType)
	c.model, c.importType = enum(&a.in, c.model), enum(&a.in, c.importType)
	c.policy.sid = strings.Clone(c.policy.sid)
}

// enum returns v, shared: enum values recur.
func enum[T ~string](in *interner, v T) T { return T(in.str(string(v))) }

// addReplica notes ReplicateKey: a change of the primary (c), and the
// creation of the replica, which the record describes.
func (a *Auditor) addReplica(ev *kmstrail.Event, c *change) {
	req, _ := ev.KMS.Request.(*kmstrail.ReplicateKeyRequest)
	resp, _ := ev.KMS.Response.(*kmstrail.ReplicateKeyResponse)
	replica := kmstrail.KeyRef{}
	if resp != nil {
		replica = resp.ReplicaKey
	}
	if replica.ARN == "" && req != nil {
		replica = req.ReplicaKey
	}
	if req != nil {
		c.region = strings.Clone(req.ReplicaRegion)
	}
	c.role = types.MultiRegionKeyTypePrimary
	c.other = strings.Clone(replica.ARN)
	if replica.ARN == "" {
		return
	}
	r := &change{entry: c.entry, service: c.service, replica: true, secondary: true, other: strings.Clone(ev.KMS.Key.ARN),
		role: types.MultiRegionKeyTypeReplica}
	if resp != nil {
		r.describe(resp.ReplicaKeyMetadata)
		r.role = types.MultiRegionKeyTypeReplica
	}
	if req != nil {
		r.policy = judgePolicy(req.Policy)
		r.bypass = req.BypassPolicyLockoutSafetyCheck
	}
	if !r.policy.set && resp != nil {
		r.policy = judgePolicy(resp.ReplicaPolicy)
	}
	a.own(r)
	a.addChange(ev, replica, r)
}

// addPrimaryRegion notes UpdatePrimaryRegion. KMS writes one record in each
// Region; the principal key is the key in the record's Region, which
// becomes the primary or a replica, and the record names the other key.
func (a *Auditor) addPrimaryRegion(ev *kmstrail.Event, c *change) {
	req, ok := ev.KMS.Request.(*kmstrail.UpdatePrimaryRegionRequest)
	if !ok {
		return
	}
	c.region = strings.Clone(req.PrimaryRegion)
	key := ev.KMS.Key
	c.role = types.MultiRegionKeyTypeReplica
	if key.Region == req.PrimaryRegion {
		c.role = types.MultiRegionKeyTypePrimary
	}
	for _, o := range []struct {
		ref  kmstrail.KeyRef
		role types.MultiRegionKeyType
	}{{req.NewPrimaryKey, types.MultiRegionKeyTypePrimary}, {req.OldPrimaryKey, types.MultiRegionKeyTypeReplica}} {
		if o.ref.ARN == "" || o.ref.ARN == key.ARN {
			continue
		}
		if c.other == "" {
			c.other = strings.Clone(o.ref.ARN)
		}
		a.addChange(ev, o.ref, &change{entry: c.entry, service: c.service, secondary: true, region: c.region,
			role: o.role, other: strings.Clone(key.ARN)}) // o.role is a constant
	}
}
