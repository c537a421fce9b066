package audit

import (
	"errors"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// The key states a Key reports beyond KMS's own (types.KeyState): Deleted,
// once the DeleteKey event is seen, and Unknown, for a key first seen
// mid-life until a record implies its state.
const (
	StateDeleted types.KeyState = "Deleted"
	StateUnknown types.KeyState = "Unknown"
)

// MaterialExpired is the state of imported key material that KMS deleted
// when it expired (the DeleteExpiredKeyMaterial event): the key keeps its
// ID, and the same material can be imported again. The other states are
// KMS's (types.KeyMaterialState).
const MaterialExpired types.KeyMaterialState = "EXPIRED"

// Report is what an Auditor found. Its JSON form (json/v2, or
// encoding/json) uses the member names below, times in RFC 3339 UTC.
type Report struct {
	// At is the reference time the report was made for.
	At time.Time `json:"at"`

	// Keys lists every key the records name by ARN (or by an alias or ID
	// that resolves to one), sorted by ARN.
	Keys []Key `json:"keys"`

	// Expiry lists imported key material that has expired, or expires
	// within Options.Within of At, soonest first.
	Expiry []Expiry `json:"expiry"`

	// Findings lists the findings, in time order.
	Findings []Finding `json:"findings"`

	// Diagnostics says what the audit could not tell or keep: records
	// naming a key only by an alias that no record resolves, bounds
	// crossed. Empty for most trails.
	Diagnostics []string `json:"diagnostics,omitzero"`
}

// Key is one KMS key, as its records tell it.
type Key struct {
	// ARN is the key ARN; Account and Region are its parts.
	ARN     string `json:"arn"`
	Account string `json:"account"`
	Region  string `json:"region"`

	// Aliases lists the aliases that point to the key at the end of the
	// trail, sorted.
	Aliases []string `json:"aliases"`

	// State is the key's state at the end of the trail: Enabled, Disabled,
	// PendingDeletion, PendingImport, StateDeleted or StateUnknown.
	State types.KeyState `json:"state"`

	// Origin, KeySpec and KeyUsage are what CreateKey (or ReplicateKey)
	// said; empty when the trail does not say. Origin is EXTERNAL too for
	// a key whose material was imported.
	Origin   types.OriginType   `json:"origin"`
	KeySpec  types.KeySpec      `json:"keySpec,omitzero"`
	KeyUsage types.KeyUsageType `json:"keyUsage,omitzero"`

	// MultiRegion is PRIMARY or REPLICA for a multi-Region key.
	MultiRegion types.MultiRegionKeyType `json:"multiRegion,omitzero"`

	// DeletionDate is when a key PendingDeletion will be deleted, or when
	// a Deleted key was.
	DeletionDate time.Time `json:"deletionDate"`

	// Rotation is what the trail says of automatic rotation.
	Rotation Rotation `json:"rotation"`

	// Material lists the key's imported key material, by keyMaterialId
	// (records before 2025 name none: a key then had one material, whose
	// ID is empty here). Deleted material is gone from the list.
	Material []Material `json:"material"`

	// Grants lists the grants created and not retired or revoked, oldest
	// first; none once the key is deleted.
	Grants []Grant `json:"grants"`

	// PolicyChanges lists the newest policy changes (CreateKey with a
	// policy, PutKeyPolicy), as many as Options.Timeline.
	PolicyChanges []PolicyChange `json:"policyChanges"`

	// Events counts the successful records about the key, each eventID
	// once: exactly up to 256, estimated beyond (EventsEstimated).
	Events          int  `json:"events"`
	EventsEstimated bool `json:"eventsEstimated,omitzero"`

	// FirstSeen and LastSeen are the earliest and latest eventTime.
	FirstSeen time.Time `json:"firstSeen"`
	LastSeen  time.Time `json:"lastSeen"`

	// Timeline lists the newest changes, oldest first, as many as
	// Options.Timeline; TimelineOmitted counts the older ones (an
	// estimate when Events is).
	Timeline        []Change `json:"timeline"`
	TimelineOmitted int      `json:"timelineOmitted,omitzero"`

	// Notes says what the audit could not keep of the key, such as
	// changes past Options.MaxChanges.
	Notes []string `json:"notes,omitzero"`
}

// Rotation is a key's automatic rotation, as its records tell it.
type Rotation struct {
	// Status is "Enabled" after EnableKeyRotation, "Disabled" after
	// DisableKeyRotation, empty when the trail says neither.
	Status string `json:"status,omitzero"`

	// PeriodDays is the rotation period EnableKeyRotation set (365 when it
	// named none).
	PeriodDays int `json:"periodDays,omitzero"`

	// Rotations counts the rotations (the RotateKey event), and
	// LastRotated is the latest.
	Rotations   int       `json:"rotations,omitzero"`
	LastRotated time.Time `json:"lastRotated,omitzero"`
}

// Material is one imported key material of a key.
type Material struct {
	// KeyMaterialID identifies it; empty in records before 2025.
	KeyMaterialID string `json:"keyMaterialId"`

	// ValidTo is when it expires, if ExpirationModel is
	// KEY_MATERIAL_EXPIRES.
	ValidTo         time.Time                 `json:"validTo"`
	ExpirationModel types.ExpirationModelType `json:"expirationModel"`

	// State is CURRENT, NON_CURRENT, PENDING_ROTATION or MaterialExpired.
	State types.KeyMaterialState `json:"state"`

	// Imported and EventID are the time and ID of the import that set
	// ValidTo.
	Imported time.Time `json:"imported,omitzero"`
	EventID  string    `json:"eventID,omitzero"`
}

// Grant is an open grant of a key.
type Grant struct {
	// GrantID identifies the grant.
	GrantID string `json:"grantId"`

	// Grantee and RetiringPrincipal are the principals (or service
	// principals) the grant names.
	Grantee           string `json:"grantee,omitzero"`
	RetiringPrincipal string `json:"retiringPrincipal,omitzero"`

	// Operations lists the operations it allows.
	Operations []types.GrantOperation `json:"operations,omitzero"`

	// Created, EventID and Principal say when and by whom it was created.
	Created   time.Time `json:"created"`
	EventID   string    `json:"eventID"`
	Principal string    `json:"principal,omitzero"`

	// OtherAccount is the grantee's account when it is not the key's.
	OtherAccount string `json:"otherAccount,omitzero"`
}

// PolicyChange is a key policy set by CreateKey, PutKeyPolicy or
// ReplicateKey.
type PolicyChange struct {
	// Time, EventID, EventName and Principal are the record's.
	Time      time.Time `json:"time"`
	EventID   string    `json:"eventID"`
	EventName string    `json:"eventName"`
	Principal string    `json:"principal,omitzero"`

	// Public reports a policy key-policy-public fires for; Unreadable, one
	// that does not parse.
	Public     bool `json:"public,omitzero"`
	Unreadable bool `json:"unreadable,omitzero"`

	// BypassLockoutCheck reports bypassPolicyLockoutSafetyCheck.
	BypassLockoutCheck bool `json:"bypassPolicyLockoutSafetyCheck,omitzero"`
}

// Change is one entry of a key's timeline: a record that changed the key,
// or one that contradicts the key's state (Note says how).
type Change struct {
	// Time, EventID, EventName and Principal are the record's.
	Time      time.Time `json:"time"`
	EventID   string    `json:"eventID"`
	EventName string    `json:"eventName"`
	Principal string    `json:"principal,omitzero"`

	// State is the key's state after the record.
	State types.KeyState `json:"state"`

	// Detail says what changed, in a few words.
	Detail string `json:"detail,omitzero"`

	// Note says how the record contradicts the key's state, when it does.
	Note string `json:"note,omitzero"`
}

// ExpiryStatus says whether imported key material has expired or is
// expiring.
type ExpiryStatus string

// The expiry statuses.
const (
	Expired  ExpiryStatus = "expired"
	Expiring ExpiryStatus = "expiring"
)

// Expiry is imported key material that has expired or will soon.
type Expiry struct {
	// ARN is the key's.
	ARN string `json:"arn"`

	// KeyMaterialID identifies the material; empty before 2025.
	KeyMaterialID string `json:"keyMaterialId"`

	// ValidTo is when it expires (or expired): ImportKeyMaterial's
	// validTo, normalized to UTC, or, when the trail has only its
	// DeleteExpiredKeyMaterial event, that event's time (KMS deletes
	// material when it expires).
	ValidTo time.Time `json:"validTo"`

	// Status is Expired (ValidTo before the reference time, or a
	// DeleteExpiredKeyMaterial event) or Expiring (within the window).
	Status ExpiryStatus `json:"status"`

	// EventID is the record that set ValidTo.
	EventID string `json:"eventID"`
}

// Finding is one rule's finding.
type Finding struct {
	// Rule is the rule's ID, such as "key-deleted" (see Rules).
	Rule string `json:"rule"`

	// Severity ranks it.
	Severity Severity `json:"severity"`

	// Time, EventID and EventName are the record's that raised it.
	Time      time.Time `json:"time"`
	EventID   string    `json:"eventID"`
	EventName string    `json:"eventName"`

	// Key is the key's ARN, if the finding concerns a key.
	Key string `json:"key"`

	// Principal is who made the call.
	Principal string `json:"principal"`

	// Account and Region are the key's, or else the record's.
	Account string `json:"account"`
	Region  string `json:"region"`

	// Message says what happened, in one line.
	Message string `json:"message"`
}

// MarshalJSON writes every member that `kmstrail keys -o json` documents,
// in order, so that each line has one shape: a time the trail does not tell
// (DeletionDate, FirstSeen, LastSeen, a material's ValidTo) as null, Origin
// and ExpirationModel as "" when unknown.
func (k Key) MarshalJSON() ([]byte, error) {
	type plain Key // without this method
	return json.Marshal(plain(k), zeroTimeNull)
}

// MarshalJSON writes ValidTo as null when there is none, as Key does.
func (m Material) MarshalJSON() ([]byte, error) {
	type plain Material
	return json.Marshal(plain(m), zeroTimeNull)
}

// zeroTimeNull marshals the zero time.Time as null, and any other as usual.
var zeroTimeNull = json.WithMarshalers(json.MarshalToFunc(func(enc *jsontext.Encoder, t time.Time) error {
	if t.IsZero() {
		return enc.WriteToken(jsontext.Null)
	}
	return errors.ErrUnsupported // the default
}))
