package audit

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
)

// Report replays what was added, in eventTime and eventID order, and
// reports keys, expiry and findings as of Options.At. It does not change
// the Auditor: Add may follow, and Report again.
func (a *Auditor) Report() *Report {
	at := a.opts.At
	if at.IsZero() {
		at = time.Now()
	}
	at = at.UTC()
	rep := &Report{At: at, Keys: []Key{}, Expiry: []Expiry{}, Findings: []Finding{}}
	extras := a.resolvePending(rep)

	deleted := make(map[string]bool)
	byARN := make(map[string]int)
	for _, arn := range slices.Sorted(maps.Keys(a.keys)) {
		r := replayer{opts: a.opts, at: at, k: a.keys[arn]}
		r.run(extras[arn])
		rep.Keys = append(rep.Keys, r.key)
		rep.Expiry = append(rep.Expiry, r.expiry...)
		rep.Findings = append(rep.Findings, r.findings...)
		if r.state == StateDeleted {
			deleted[arn] = true
		}
		byARN[arn] = len(rep.Keys) - 1
	}
	a.assignAliases(rep, byARN, deleted)
	rep.Findings = append(rep.Findings, a.storeFindings()...)
	rep.Findings = append(rep.Findings, a.denialFindings()...)
	rep.Findings = append(rep.Findings, a.s3Findings()...)

	slices.SortFunc(rep.Findings, func(x, y Finding) int {
		return cmp.Or(x.Time.Compare(y.Time), strings.Compare(x.EventID, y.EventID), strings.Compare(x.Rule, y.Rule), strings.Compare(x.Key, y.Key))
	})
	slices.SortFunc(rep.Expiry, func(x, y Expiry) int {
		return cmp.Or(x.ValidTo.Compare(y.ValidTo), strings.Compare(x.ARN, y.ARN), strings.Compare(x.KeyMaterialID, y.KeyMaterialID))
	})
	a.diagnose(rep)
	return rep
}

// extra is what resolving the records that named a key only by alias or
// ID adds to the key.
type extra struct {
	changes []*change
	uses    []*usageEntry
}

// resolvePending resolves the records that named a key only by an alias
// (by the alias's history at the record's time) or by a bare key ID (when
// one key has it), and notes in rep those it cannot resolve.
func (a *Auditor) resolvePending(rep *Report) map[string]*extra {
	extras := make(map[string]*extra)
	byID := make(map[string][]string)
	for arn, k := range a.keys {
		byID[k.id] = append(byID[k.id], arn)
	}
	for _, id := range slices.SortedFunc(maps.Keys(a.pending), func(x, y pendingID) int {
		return cmp.Or(strings.Compare(x.account, y.account), strings.Compare(x.region, y.region), strings.Compare(x.ref, y.ref))
	}) {
		p := a.pending[id]
		unresolved, _ := p.dropped()
		for _, pe := range p.sorted() {
			e := pe.entry()
			arn := ""
			if strings.HasPrefix(id.ref, "alias/") {
				if h := a.aliases[aliasID{id.account, id.region, id.ref}]; h != nil {
					arn, _ = aliasTarget(h, e.time, e.id)
				}
			} else if arns := byID[id.ref]; len(arns) == 1 {
				arn = arns[0]
			}
			if a.keys[arn] == nil {
				unresolved++
				continue
			}
			x := extras[arn]
			if x == nil {
				x = &extra{}
				extras[arn] = x
			}
			if pe.change != nil {
				x.changes = append(x.changes, pe.change)
			} else {
				x.uses = append(x.uses, pe.use)
			}
		}
		if unresolved > 0 {
			rep.Diagnostics = append(rep.Diagnostics, fmt.Sprintf("%d %s name the key %s (account %s, %s) and nothing resolves it to a key ARN",
				unresolved, plural(unresolved, "record", "records"), id.ref, id.account, id.region))
		}
	}
	return extras
}

// replayer replays one key's records in order.
type replayer struct {
	opts Options
	at   time.Time
	k    *keyState

	key      Key
	state    types.KeyState
	expiry   []Expiry
	findings []Finding
	timeline []Change

	createdAt    time.Time // the earliest CreateKey, zero if none
	created      bool      // a CreateKey (or a replica's ReplicateKey) was replayed
	createdBy    string    // which of the two: KMS writes both for one replica
	materials    map[string]*material
	current      string // the current material's ID
	currentKnown bool
	cancels      []*change // CancelKeyDeletion with no EnableKey, ScheduleKeyDeletion or DeleteKey after it yet
	schedule     *change   // the ScheduleKeyDeletion that set PendingDeletion
	policies     []PolicyChange
	useNotes     int // uses that contradict the key's state

	// The uses that contradict one state (between two changes) raise one
	// finding, at the first of them, which counts the others: useFinding is
	// its index in findings, useMore the others.
	segment, useSegment, useFinding, useMore int
	useNote                                  string
	stateBy                                  *change // the change that set the state
}

// material is imported key material during replay.
type material struct {
	id      string
	validTo time.Time
	model   types.ExpirationModelType
	state   types.KeyMaterialState
	setBy   *entry // the import that set validTo
	expired *entry // DeleteExpiredKeyMaterial
}

func (r *replayer) run(x *extra) {
	k := r.k
	r.state = StateUnknown
	r.materials = make(map[string]*material)
	r.key = Key{ARN: k.arn, Account: k.account, Region: k.region, Aliases: []string{}, Material: []Material{},
		Grants: []Grant{}, PolicyChanges: []PolicyChange{}, Timeline: []Change{}}

	changes := append(k.changes.sorted(), k.remarks.sorted()...)
	usg := &k.usage
	events, first, last := &k.events, k.first, k.last
	if x != nil {
		changes = append(changes, x.changes...)
	}
	slices.SortFunc(changes, func(a, b *change) int { return a.compare(&b.entry) })
	if x != nil {
		u := k.usage
		u.buckets = slices.Clone(u.buckets)
		for _, e := range x.uses {
			u.add(e.time, e.id, e.crypto, func() *usageEntry { return e })
		}
		usg = &u
		ev := k.events.clone()
		for _, c := range x.changes {
			ev.add(hashString(c.id))
			first, last = widen(first, last, c.time)
		}
		for _, e := range x.uses {
			ev.add(hashString(e.id))
			first, last = widen(first, last, e.time)
		}
		events = &ev
	}
	for _, c := range changes {
		if c.op == string(kmstrail.OpCreateKey) || c.replica {
			r.createdAt = c.time
			break
		}
	}
	uses := usg.entries()
	if slots := usg.slotUses(func(start, end time.Time) bool {
		i, _ := slices.BinarySearchFunc(changes, start, func(c *change, t time.Time) int { return c.time.Compare(t) })
		return i < len(changes) && changes[i].time.Before(end)
	}); len(slots) > 0 {
		uses = append(uses, slots...)
		slices.SortFunc(uses, func(a, b *usageEntry) int { return a.compare(&b.entry) })
	}

	// Walk changes and kept uses together, in order.
	i, j := 0, 0
	for i < len(changes) || j < len(uses) {
		if j == len(uses) || i < len(changes) && changes[i].before(&uses[j].entry) {
			r.apply(changes[i])
			i++
			continue
		}
		r.use(uses[j])
		j++
	}
	r.closeUses()
	r.finish()

	r.key.Events, r.key.EventsEstimated = events.count()
	r.key.FirstSeen, r.key.LastSeen = first, last
	r.timelineOut(len(x.changesOrNil()))
	if n, _ := k.changes.dropped(); n > 0 {
		r.key.Notes = append(r.key.Notes, fmt.Sprintf("%d older %s not kept (past MaxChanges, %d): the state is replayed from the oldest kept",
			n, plural(n, "change", "changes"), r.opts.MaxChanges))
	}
	if n := k.grants.over; n > 0 {
		r.key.Notes = append(r.key.Notes, fmt.Sprintf("%d %s not tracked (past %d grants on the key)", n, plural(n, "grant", "grants"), maxGrants))
	}
}

func (x *extra) changesOrNil() []*change {
	if x == nil {
		return nil
	}
	return x.changes
}

func widen(first, last, t time.Time) (time.Time, time.Time) {
	if t.IsZero() {
		return first, last
	}
	if first.IsZero() || t.Before(first) {
		first = t
	}
	if t.After(last) {
		last = t
	}
	return first, last
}

// use checks a kept use against the key's state at its time.
func (r *replayer) use(u *usageEntry) {
	if !u.slotEnd.IsZero() {
		r.slotUse(u)
		return
	}
	note := ""
	switch {
	case r.state == StateDeleted:
		note = "used after the key was deleted"
	case !r.createdAt.IsZero() && u.time.Before(r.createdAt):
		note = "used before the key was created"
	case u.crypto && (r.state == types.KeyStateDisabled || r.state == types.KeyStatePendingDeletion || r.state == types.KeyStatePendingImport):
		note = "a cryptographic operation on a key " + string(r.state)
	case u.crypto && r.state == StateUnknown:
		// A key first seen mid-life: a successful cryptographic
		// operation says it was Enabled.
		r.state = types.KeyStateEnabled
	}
	if note == "" {
		return
	}
	r.useNotes++
	if note == r.useNote && r.segment == r.useSegment {
		r.useMore++
	} else {
		r.closeUses()
		r.useNote, r.useSegment, r.useFinding = note, r.segment, len(r.findings)
		r.contradiction(&u.entry, note)
	}
	r.timeline = append(r.timeline, Change{Time: u.time, EventID: u.id, EventName: u.op, Principal: u.principal, State: r.state, Note: note})
}

// slotUse checks the cryptographic uses of a slot, which name no record,
// against the key's state over it. The first slot that contradicts a
// state, before any kept use does, raises the state's finding, at the
// change that set the state; it is not in the timeline, which lists
// records.
func (r *replayer) slotUse(u *usageEntry) {
	switch r.state {
	case types.KeyStateDisabled, types.KeyStatePendingDeletion, types.KeyStatePendingImport:
	default:
		return
	}
	note := "a cryptographic operation on a key " + string(r.state)
	if r.stateBy == nil || note == r.useNote && r.segment == r.useSegment {
		return
	}
	r.closeUses()
	r.useNote, r.useSegment, r.useFinding = note, r.segment, len(r.findings)
	r.finding(RuleKeyStateContradiction, Low, &r.stateBy.entry, fmt.Sprintf("cryptographic operations succeeded on the key %s (since this %s) between %s and %s UTC; "+
		"counted in the key's usage summary, not kept one by one", r.state, r.stateBy.op, u.time.Format("2006-01-02 15:04:05"), u.slotEnd.Format("2006-01-02 15:04:05")))
}

// closeUses counts, in the finding of the first use that contradicted a
// state, the later ones.
func (r *replayer) closeUses() {
	if r.useMore > 0 {
		r.findings[r.useFinding].Message += fmt.Sprintf(" (and %d more %s, among the uses kept)", r.useMore, plural(r.useMore, "use", "uses"))
	}
	r.useNote, r.useMore = "", 0
}

// contradiction notes a record the key's state forbids.
func (r *replayer) contradiction(e *entry, note string) {
	r.finding(RuleKeyStateContradiction, Low, e, fmt.Sprintf("%s succeeded: %s", e.op, note))
}

// finding raises a finding about the key.
func (r *replayer) finding(rule string, sev Severity, e *entry, msg string) {
	r.findings = append(r.findings, Finding{Rule: rule, Severity: sev, Time: e.time, EventID: e.id, EventName: e.op,
		Key: r.k.arn, Principal: e.principal, Account: r.k.account, Region: r.k.region, Message: msg})
}

// apply replays a change.
func (r *replayer) apply(c *change) {
	prev := r.state
	note, detail := "", ""
	r.segment++
	defer func() {
		if r.state != prev {
			r.stateBy = c
		}
	}()
	if prev == StateDeleted {
		// Nothing comes back from Deleted: the record is noted, not
		// applied.
		note = "after the key was deleted"
		r.contradiction(&c.entry, note)
		r.timeline = append(r.timeline, Change{Time: c.time, EventID: c.id, EventName: c.op, Principal: c.principal, State: r.state, Note: note})
		return
	}
	forbid := func(states ...types.KeyState) {
		if slices.Contains(states, prev) {
			note = fmt.Sprintf("KMS refuses %s on a key %s", c.op, prev)
		}
	}
	if !r.created && c.time.Before(r.createdAt) && !c.replica && c.op != string(kmstrail.OpCreateKey) {
		note = "before the key was created"
	}
	lead := !c.secondary // the record's own key: its findings are raised here
	switch kmstrail.Operation(c.op) {
	case kmstrail.OpCreateKey:
		if r.created && r.createdBy == c.op {
			note = "the key was created before"
		}
		detail = r.create(c)
	case kmstrail.OpReplicateKey:
		if c.replica {
			if r.created && r.createdBy == c.op {
				note = "the key was created before"
			}
			detail = r.create(c) + "; a replica of " + c.other
			break
		}
		r.key.MultiRegion = types.MultiRegionKeyTypePrimary
		detail = "replicated to " + c.region
		r.finding(RuleKeyReplicated, Low, &c.entry, fmt.Sprintf("multi-Region key replicated to %s (%s)", c.region, c.other))
	case kmstrail.OpEnableKey:
		forbid(types.KeyStatePendingDeletion, types.KeyStatePendingImport)
		r.state = types.KeyStateEnabled
		r.cancels = nil
	case kmstrail.OpDisableKey:
		forbid(types.KeyStatePendingDeletion, types.KeyStatePendingImport)
		r.state = types.KeyStateDisabled
		r.finding(RuleKeyDisabled, Medium, &c.entry, "key disabled: cryptographic operations with it fail until it is enabled")
	case kmstrail.OpScheduleKeyDeletion:
		forbid(types.KeyStatePendingDeletion)
		r.state, r.schedule = types.KeyStatePendingDeletion, c
		r.cancels = nil // pending deletion again: its own findings say so
		r.key.DeletionDate = c.date
		if c.date.IsZero() && !c.replicaDeletion {
			window := cmp.Or(c.window, 30)
			r.key.DeletionDate = c.time.AddDate(0, 0, int(window))
		}
		detail = deletionDetail(c, r.key.DeletionDate)
		r.finding(RuleKeyDeletionScheduled, High, &c.entry, "deletion scheduled: "+detail)
	case kmstrail.OpCancelKeyDeletion:
		if prev != types.KeyStatePendingDeletion && prev != StateUnknown {
			note = fmt.Sprintf("no deletion was pending (the key was %s)", prev)
		}
		r.state, r.schedule = types.KeyStateDisabled, nil
		r.key.DeletionDate = time.Time{}
		r.cancels = append(r.cancels, c)
	case kmstrail.OpDeleteKey:
		if prev != types.KeyStatePendingDeletion && prev != StateUnknown {
			note = fmt.Sprintf("no deletion was pending (the key was %s)", prev)
		}
		r.state, r.schedule, r.cancels = StateDeleted, nil, nil
		r.key.DeletionDate = c.time
		r.finding(RuleKeyDeleted, High, &c.entry, "key deleted: data encrypted under it can no longer be decrypted")
	case kmstrail.OpEnableKeyRotation:
		r.key.Rotation.Status = "Enabled"
		r.key.Rotation.PeriodDays = int(cmp.Or(c.period, 365))
		detail = fmt.Sprintf("rotation every %d days", r.key.Rotation.PeriodDays)
	case kmstrail.OpDisableKeyRotation:
		r.key.Rotation.Status = "Disabled"
		r.finding(RuleRotationDisabled, Medium, &c.entry, "automatic rotation disabled")
	case kmstrail.OpRotateKeyOnDemand:
		detail = "on-demand rotation requested"
	case kmstrail.OpRotateKey:
		r.key.Rotation.Rotations++
		r.key.Rotation.LastRotated = c.time
		detail = strings.ReplaceAll(strings.ToLower(string(c.rotationType)), "_", "-") + " rotation"
		if c.origin == types.OriginTypeExternal {
			r.rotateMaterial(c)
			detail += " to material " + c.material
		}
		detail = strings.TrimPrefix(detail, " ")
	case kmstrail.OpImportKeyMaterial:
		forbid(types.KeyStatePendingDeletion)
		detail = r.importMaterial(c, prev)
	case kmstrail.OpDeleteImportedKeyMaterial:
		id := r.dropMaterial(c, prev, false)
		detail = "material " + describeID(id) + " deleted"
		r.finding(RuleKeyMaterialDeleted, High, &c.entry, fmt.Sprintf("imported key material %s deleted; the key is %s", describeID(id), r.state))
	case kmstrail.OpDeleteExpiredKeyMaterial:
		id := r.dropMaterial(c, prev, true)
		detail = "material " + describeID(id) + " expired"
		r.finding(RuleKeyMaterialExpired, High, &c.entry, fmt.Sprintf("imported key material %s expired and KMS deleted it; the key is %s", describeID(id), r.state))
	case kmstrail.OpPutKeyPolicy:
		detail = "key policy set"
		if lead && !c.service {
			r.finding(RuleKeyPolicyChanged, Medium, &c.entry, "key policy replaced")
		}
	case kmstrail.OpCreateAlias, kmstrail.OpUpdateAlias:
		detail = c.alias + " points here"
	case kmstrail.OpDeleteAlias:
		detail = c.alias + " deleted"
	case kmstrail.OpUpdatePrimaryRegion:
		r.key.MultiRegion = c.role
		detail = fmt.Sprintf("primary Region now %s; this key is %s", c.region, c.role)
		if lead {
			r.finding(RuleKeyReplicated, Low, &c.entry, fmt.Sprintf("primary Region of the multi-Region key changed to %s; this key is now %s", c.region, c.role))
		}
	}
	r.judgePolicy(c)
	if note != "" {
		r.contradiction(&c.entry, note)
	}
	r.timeline = append(r.timeline, Change{Time: c.time, EventID: c.id, EventName: c.op, Principal: c.principal, State: r.state, Detail: detail, Note: note})
}

// create replays CreateKey, or the replica's side of ReplicateKey.
//
// KMS writes a CreateKey in the replica's Region besides the ReplicateKey
// in the primary's (the CreateKey page of the KMS developer guide): the one
// creation of a replica, not two.
func (r *replayer) create(c *change) string {
	r.created, r.createdBy = true, c.op
	r.key.Origin = cmp.Or(c.origin, r.key.Origin, types.OriginTypeAwsKms)
	r.key.KeySpec, r.key.KeyUsage = cmp.Or(c.keySpec, r.key.KeySpec), cmp.Or(c.keyUsage, r.key.KeyUsage)
	r.key.MultiRegion = cmp.Or(c.role, r.key.MultiRegion)
	r.state = types.KeyStateEnabled
	if r.key.Origin == types.OriginTypeExternal {
		r.state = types.KeyStatePendingImport
	}
	parts := []string{"created"}
	for _, s := range []string{string(r.key.KeySpec), string(r.key.KeyUsage), string(r.key.Origin), string(r.key.MultiRegion)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// judgePolicy raises the findings about a policy a change set.
func (r *replayer) judgePolicy(c *change) {
	if !c.policy.set && !c.bypass {
		return
	}
	if c.policy.set {
		r.policies = append(r.policies, PolicyChange{Time: c.time, EventID: c.id, EventName: c.op, Principal: c.principal,
			Public: c.policy.public, Unreadable: c.policy.unreadable != "", BypassLockoutCheck: c.bypass})
	}
	switch {
	case c.policy.public:
		msg := `key policy allows Principal "*" with no condition narrowing it to an account or organization`
		if c.policy.sid != "" {
			msg += " (statement " + c.policy.sid + ")"
		}
		r.finding(RuleKeyPolicyPublic, Critical, &c.entry, msg)
	case c.policy.unreadable != "":
		r.finding(RuleKeyPolicyUnreadable, Medium, &c.entry, "key policy does not parse, so it cannot be judged: "+clip(c.policy.unreadable, 160))
	}
	if c.bypass {
		r.finding(RulePolicyLockoutBypassed, High, &c.entry, "bypassPolicyLockoutSafetyCheck is true: the policy may lock every principal out of the key")
	}
}

// importMaterial replays ImportKeyMaterial.
func (r *replayer) importMaterial(c *change, prev types.KeyState) string {
	if r.key.Origin == "" || r.key.Origin == types.OriginTypeAwsKms {
		r.key.Origin = types.OriginTypeExternal
	}
	if c.importType != types.ImportTypeNewKeyMaterial {
		r.named(c.material)
	}
	m := r.materials[c.material]
	isNew := m == nil
	if isNew {
		m = &material{id: c.material}
		r.materials[c.material] = m
	}
	m.model, m.validTo, m.expired = c.model, time.Time{}, nil
	if c.model != types.ExpirationModelTypeKeyMaterialDoesNotExpire {
		m.validTo = c.date
	}
	m.setBy = &c.entry
	switch {
	case !r.currentKnown || r.current == c.material:
		r.current, r.currentKnown = c.material, true
		m.state = types.KeyMaterialStateCurrent
	case c.importType == types.ImportTypeNewKeyMaterial:
		m.state = types.KeyMaterialStatePendingRotation // until RotateKeyOnDemand
	case m.state == MaterialExpired || m.state == "":
		m.state = types.KeyMaterialStateNonCurrent // existing material, back
	}
	if prev == types.KeyStatePendingImport && m.state == types.KeyMaterialStateCurrent {
		r.state = types.KeyStateEnabled
	}
	d := "material " + describeID(c.material)
	if isNew && c.importType != types.ImportTypeExistingKeyMaterial {
		d += " imported"
	} else {
		d += " reimported"
	}
	if m.validTo.IsZero() {
		d += ", does not expire"
	} else {
		d += ", valid to " + m.validTo.Format(humanTime)
	}
	msg := d
	if m.state == types.KeyMaterialStatePendingRotation {
		msg += " (pending rotation)"
	}
	r.finding(RuleKeyMaterialImported, Low, &c.entry, "key "+msg)
	return d
}

// named gives the unnamed material (imported before 2025, when records had
// no keyMaterialId) the ID a later record names it by: a key had one
// material then, so an ID the trail has not seen before is its.
func (r *replayer) named(id string) string {
	if id == "" || r.materials[id] != nil {
		return id
	}
	if m := r.materials[""]; m != nil {
		delete(r.materials, "")
		m.id = id
		r.materials[id] = m
		if r.currentKnown && r.current == "" {
			r.current = id
		}
	}
	return id
}

// dropMaterial replays DeleteImportedKeyMaterial (expired false) or
// DeleteExpiredKeyMaterial, and returns the material's ID.
func (r *replayer) dropMaterial(c *change, prev types.KeyState, expired bool) string {
	id := r.named(c.material)
	if id == "" && r.currentKnown {
		id = r.current // no ID: the current material
	}
	wasCurrent := !r.currentKnown || id == r.current
	if expired {
		m := r.materials[id]
		if m == nil {
			m = &material{id: id, model: types.ExpirationModelTypeKeyMaterialExpires}
			r.materials[id] = m
		}
		m.state, m.expired = MaterialExpired, &c.entry
	} else {
		delete(r.materials, id)
	}
	if wasCurrent && prev != types.KeyStatePendingDeletion {
		r.state = types.KeyStatePendingImport
	}
	if r.key.Origin == "" || r.key.Origin == types.OriginTypeAwsKms {
		r.key.Origin = types.OriginTypeExternal
	}
	return id
}

// rotateMaterial replays the material switch of an imported key's
// rotation.
func (r *replayer) rotateMaterial(c *change) {
	r.named(c.previous)
	if m := r.materials[c.previous]; m != nil && c.previous != c.material {
		m.state = types.KeyMaterialStateNonCurrent
	}
	if c.material == "" {
		return
	}
	m := r.materials[c.material]
	if m == nil {
		m = &material{id: c.material}
		r.materials[c.material] = m
	}
	m.state = types.KeyMaterialStateCurrent
	r.current, r.currentKnown = c.material, true
}

// finish raises the findings that depend on the whole trail and fills in
// the key.
func (r *replayer) finish() {
	k := r.k
	r.key.State = r.state
	for _, c := range r.cancels {
		r.finding(RuleDeletionCancelledDisabled, Medium, &c.entry, "deletion cancelled and the key left Disabled: no EnableKey after it")
	}
	if r.state == types.KeyStatePendingDeletion && r.schedule != nil {
		r.finding(RuleKeyPendingDeletion, High, &r.schedule.entry, r.pendingMessage())
	}

	for _, id := range slices.Sorted(maps.Keys(r.materials)) {
		m := r.materials[id]
		out := Material{KeyMaterialID: m.id, ValidTo: m.validTo, ExpirationModel: m.model, State: m.state}
		if m.setBy != nil {
			out.Imported, out.EventID = m.setBy.time, m.setBy.id
		}
		r.key.Material = append(r.key.Material, out)
		if r.state != StateDeleted {
			r.judgeExpiry(m)
		}
	}
	slices.SortStableFunc(r.key.Material, func(x, y Material) int { return x.Imported.Compare(y.Imported) })

	for _, id := range slices.Sorted(maps.Keys(k.grants.whole)) {
		g := k.grants.whole[id]
		if g.created == nil {
			continue
		}
		if c := g.cross; c != nil {
			r.finding(RuleGrantCrossAccount, High, &c.entry, fmt.Sprintf("grant %s gives %s to %s, of account %s",
				describeID(g.id), opsList(c.ops), c.grantee, c.other))
		}
		// A deleted key's grants went with it.
		if c := g.created; g.retired == nil && r.state != StateDeleted {
			r.key.Grants = append(r.key.Grants, Grant{GrantID: g.id, Grantee: c.grantee, RetiringPrincipal: c.retiring, Operations: c.ops,
				Created: c.time, EventID: c.id, Principal: c.principal, OtherAccount: c.other})
		}
	}
	slices.SortStableFunc(r.key.Grants, func(x, y Grant) int { return x.Created.Compare(y.Created) })
	if n := len(r.policies); n > r.opts.Timeline {
		r.policies = r.policies[n-r.opts.Timeline:]
	}
	r.key.PolicyChanges = append(r.key.PolicyChanges, r.policies...)
}

// pendingMessage says when a key pending deletion goes, as of the
// reference time.
func (r *replayer) pendingMessage() string {
	d := r.key.DeletionDate
	switch {
	case d.IsZero():
		return "pending deletion, after its replicas are deleted"
	case d.Before(r.at):
		return fmt.Sprintf("pending deletion on %s, %s before %s, with no DeleteKey in the trail", d.Format(humanTime), days(r.at, d), r.at.Format(humanTime))
	}
	return fmt.Sprintf("pending deletion: KMS deletes it on %s, in %s", d.Format(humanTime), days(d, r.at))
}

// judgeExpiry adds a material's expiry, and its finding, when it has
// expired or expires within the window.
func (r *replayer) judgeExpiry(m *material) {
	if m.model != types.ExpirationModelTypeKeyMaterialExpires {
		return
	}
	e := Expiry{ARN: r.k.arn, KeyMaterialID: m.id, ValidTo: m.validTo}
	var by *entry
	switch {
	case m.expired != nil:
		e.Status = Expired
		if m.validTo.IsZero() {
			e.ValidTo = m.expired.time
		}
		by = cmp.Or(m.setBy, m.expired)
	case m.validTo.IsZero():
		return
	case m.validTo.Before(r.at):
		e.Status, by = Expired, m.setBy
	case !m.validTo.After(r.at.Add(r.opts.Within)):
		e.Status, by = Expiring, m.setBy
	default:
		return
	}
	e.EventID = by.id
	r.expiry = append(r.expiry, e)
	if m.expired != nil {
		return // key-material-expired was raised at the event
	}
	sev, msg := Medium, fmt.Sprintf("imported key material %s expires on %s, in %s", describeID(m.id), m.validTo.Format(humanTime), days(m.validTo, r.at))
	switch {
	case e.Status == Expired:
		sev = High
		msg = fmt.Sprintf("imported key material %s expired on %s, %s before %s (no DeleteExpiredKeyMaterial in the trail)",
			describeID(m.id), m.validTo.Format(humanTime), days(r.at, m.validTo), r.at.Format(humanTime))
	case m.validTo.Sub(r.at) <= 7*24*time.Hour:
		sev = High
	}
	r.finding(RuleKeyMaterialExpiring, sev, by, msg)
}

// timelineOut keeps the newest Options.Timeline entries of the timeline,
// with the grant records, and counts the rest.
func (r *replayer) timelineOut(extraChanges int) {
	k := r.k
	states := slices.Clone(r.timeline)
	for _, g := range k.grants.recent.sorted() {
		d := "grant " + describeID(g.grantID)
		switch kmstrail.Operation(g.op) {
		case kmstrail.OpCreateGrant:
			d += " to " + g.grantee
		case kmstrail.OpRetireGrant:
			d += " retired"
		case kmstrail.OpRevokeGrant:
			d += " revoked"
		}
		r.timeline = append(r.timeline, Change{Time: g.time, EventID: g.id, EventName: g.op, Principal: g.principal,
			State: stateAt(states, g.time), Detail: d})
	}
	slices.SortStableFunc(r.timeline, func(x, y Change) int {
		return cmp.Or(x.Time.Compare(y.Time), strings.Compare(x.EventID, y.EventID))
	})
	changes, _ := k.changes.seen.count()
	remarks, _ := k.remarks.seen.count()
	grants, _ := k.grants.recent.seen.count()
	total := changes + remarks + extraChanges + grants + r.useNotes
	if n := len(r.timeline); n > r.opts.Timeline {
		r.timeline = r.timeline[n-r.opts.Timeline:]
	}
	r.key.Timeline = append(r.key.Timeline, r.timeline...)
	r.key.TimelineOmitted = max(total-len(r.key.Timeline), 0)
}

// stateAt returns the key's state after the timeline entries (in replay
// order) up to t, for the grant records, which replay does not walk.
func stateAt(timeline []Change, t time.Time) types.KeyState {
	s := StateUnknown
	for _, c := range timeline {
		if c.Time.After(t) {
			break
		}
		s = c.State
	}
	return s
}

// assignAliases replays each alias's history and gives each key the
// aliases that point to it at the end. Deleting a key deletes its aliases.
func (a *Auditor) assignAliases(rep *Report, byARN map[string]int, deleted map[string]bool) {
	for id, h := range a.aliases {
		events := h.sorted()
		if len(events) == 0 {
			continue
		}
		target := events[len(events)-1].target
		if i, ok := byARN[target]; ok && !deleted[target] {
			rep.Keys[i].Aliases = append(rep.Keys[i].Aliases, id.name)
		}
	}
	for i := range rep.Keys {
		slices.Sort(rep.Keys[i].Aliases)
	}
}

func (a *Auditor) storeFindings() []Finding {
	var out []Finding
	for _, e := range a.stores.sorted() {
		sev, verb := Medium, "changed"
		switch kmstrail.Operation(e.op) {
		case kmstrail.OpCreateCustomKeyStore:
			verb = "created"
		case kmstrail.OpConnectCustomKeyStore:
			verb = "connected"
		case kmstrail.OpUpdateCustomKeyStore:
			verb = "updated"
		case kmstrail.OpDisconnectCustomKeyStore:
			sev, verb = High, "disconnected: its keys are Unavailable"
		case kmstrail.OpDeleteCustomKeyStore:
			sev, verb = High, "deleted"
		}
		name := cmp.Or(e.store, "(new)")
		if e.name != "" {
			name += " (" + e.name + ")"
		}
		out = append(out, Finding{Rule: RuleCustomKeyStoreChanged, Severity: sev, Time: e.time, EventID: e.id, EventName: e.op,
			Principal: e.principal, Account: e.account, Region: e.region, Message: "custom key store " + name + " " + verb})
	}
	return out
}

// denialFindings finds the bursts of denials: for each principal and
// interval of DenyWindow, the first denial at which DenyCount denials fall
// within DenyWindow (counting back into the previous interval). That
// denial is among the interval's earliest DenyCount, and the denials it
// counts back to are among the previous interval's latest DenyCount, which
// is what each interval keeps.
func (a *Auditor) denialFindings() []Finding {
	n, w := a.opts.DenyCount, a.opts.DenyWindow
	var out []Finding
	for id, dw := range a.denials {
		prev := a.denials[denyID{principal: id.principal, window: id.window - 1}]
		for j, e := range dw.early {
			count, exact := j+1, true
			if prev != nil {
				since := e.time.Add(-w)
				i, _ := slices.BinarySearchFunc(prev.late, since, func(d *denial, t time.Time) int {
					if d.time.After(t) {
						return 1
					}
					return -1
				})
				count += len(prev.late) - i
				exact = !(i == 0 && len(prev.late) == n)
			}
			if count < n {
				continue
			}
			what := fmt.Sprintf("%d", count)
			if !exact {
				what = "at least " + what
			}
			out = append(out, Finding{Rule: RuleAccessDeniedBurst, Severity: Medium, Time: e.time, EventID: e.id, EventName: e.op,
				Key: e.key, Principal: id.principal, Account: e.account, Region: e.region,
				Message: fmt.Sprintf("%s KMS calls by this principal denied (AccessDenied) within %s", what, span(w))})
			break
		}
	}
	return out
}

func (a *Auditor) s3Findings() []Finding {
	var out []Finding
	for id, u := range a.s3 {
		n, est := u.writes.count()
		count := fmt.Sprintf("%d %s", n, plural(n, "write", "writes"))
		if est {
			count = "about " + count
		}
		f := u.first
		out = append(out, Finding{Rule: RuleCrossAccountEncryption, Severity: High, Time: f.time, EventID: f.id, EventName: f.op,
			Key: id.key, Principal: f.principal, Account: f.account, Region: f.region,
			Message: fmt.Sprintf("objects written to s3://%s (account %s) encrypted under a KMS key of account %s: %s, the last on %s",
				id.bucket, id.account, kmstrail.ParseKeyRef(id.key).Account, count, u.last.Format(humanTime))})
	}
	return out
}

// diagnose notes in rep what could not be kept.
func (a *Auditor) diagnose(rep *Report) {
	for _, d := range []struct {
		n    int
		what string
	}{
		{a.overKeys, fmt.Sprintf("records about keys past the first %d not kept", maxKeysTracked)},
		{a.overAliases, fmt.Sprintf("alias records past the first %d aliases not kept", maxAliases)},
		{a.overPending, fmt.Sprintf("records naming a key only by alias or ID, past %d such names, not kept", maxPendingRefs)},
		{a.overDenials, fmt.Sprintf("denials past %d principal intervals not kept", maxDenyWindows)},
		{a.overS3, fmt.Sprintf("cross-account S3 writes past %d bucket and key pairs not kept", maxS3Groups)},
		{a.overKept, fmt.Sprintf("changes, alias and unresolved records past %d kept in all not kept", maxKept)},
		{a.overGrants, fmt.Sprintf("grants past %d tracked in all not tracked", maxGrantsTotal)},
		{a.noGrantID.size(), "grant records without a grant ID"},
		{a.noKey.size(), "grant records naming no key ARN"},
		{a.stores.droppedCount(), fmt.Sprintf("custom key store records past the newest %d not kept", maxStoreEvents)},
	} {
		if d.n > 0 {
			rep.Diagnostics = append(rep.Diagnostics, fmt.Sprintf("%d: %s", d.n, d.what))
		}
	}
}

func (n *newest[T]) droppedCount() int {
	d, _ := n.dropped()
	return d
}

// humanTime is how messages write times.
const humanTime = "2006-01-02 15:04 UTC"

// days says how long from b to a (a after b), in days or hours, without
// overflowing for times centuries apart.
func days(a, b time.Time) string {
	secs := a.Unix() - b.Unix()
	switch d := secs / 86400; {
	case d >= 2:
		return fmt.Sprintf("%d days", d)
	case d == 1:
		return "1 day"
	}
	h := secs / 3600
	return fmt.Sprintf("%d %s", h, plural(int(h), "hour", "hours"))
}

// span writes a duration in the largest unit that divides it: "5
// minutes", "36 hours", "90 seconds".
func span(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{24 * time.Hour, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}} {
		if d >= u.d && d%u.d == 0 {
			n := int(d / u.d)
			return fmt.Sprintf("%d %s", n, plural(n, u.name, u.name+"s"))
		}
	}
	n := int(d / time.Second)
	return fmt.Sprintf("%d %s", n, plural(n, "second", "seconds"))
}

func deletionDetail(c *change, date time.Time) string {
	if c.replicaDeletion && c.date.IsZero() {
		return fmt.Sprintf("after its replicas are deleted (waiting period %d days)", cmp.Or(c.window, 30))
	}
	return fmt.Sprintf("deletion on %s after a %d-day waiting period", date.Format(humanTime), cmp.Or(c.window, 30))
}

// describeID names key material or a grant in a message: "(unnamed)"
// for material of records before 2025, which have no ID.
func describeID(id string) string {
	if id == "" {
		return "(unnamed)"
	}
	return id
}

func opsList(ops []types.GrantOperation) string {
	if len(ops) == 0 {
		return "no operations"
	}
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = string(o)
	}
	return strings.Join(s, ",")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
