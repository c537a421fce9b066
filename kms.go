package kmstrail

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json/jsontext"
)

// KMSEventSource is the eventSource of AWS KMS records.
const KMSEventSource = "kms.amazonaws.com"

// KMSCall is the typed view of a KMS event: the operation, the key it
// concerns, and typed request, response, additional event data and service
// event details.
type KMSCall struct {
	// Operation is the event's name: an API operation ("ImportKeyMaterial")
	// or an event KMS writes itself ("RotateKey", "DeleteKey",
	// "DeleteExpiredKeyMaterial", "SynchronizeMultiRegionKey"). Compare it
	// with the Op constants, such as OpImportKeyMaterial.
	Operation Operation

	// Key is the KMS key the event is about, resolved from every reference
	// the record holds (see KeyRef). It is zero for events that concern no
	// key (ListKeys, GenerateRandom, custom key store operations).
	Key KeyRef

	// Request is the typed requestParameters: a pointer to the operation's
	// request type (such as *ImportKeyMaterialRequest), or a *RawKMSMessage
	// for operations kmstrail does not model. Nil when requestParameters is
	// null or absent.
	Request KMSMessage

	// Response is the typed responseElements, like Request. Nil when
	// responseElements is null or absent, which it is for most operations:
	// CloudTrail does not log KMS responses except for key management.
	Response KMSMessage

	// AdditionalEventData is the typed additionalEventData, nil when absent.
	AdditionalEventData *KMSAdditionalEventData

	// ServiceEventDetails is the typed serviceEventDetails of the events KMS
	// writes itself, nil when absent.
	ServiceEventDetails *KMSServiceEventDetails
}

// An Operation names a KMS event: an API operation ("ImportKeyMaterial") or
// an event KMS writes itself ("RotateKey"). The Op constants name the 60
// that kmstrail types, as KMSOperations lists them; records of other
// operations still decode, with a RawKMSMessage request and response.
type Operation string

// KMSMessage is a typed KMS request or response. KMSOperation returns the
// operation it belongs to.
type KMSMessage interface {
	KMSOperation() Operation
}

// RawKMSMessage is the request or response of a KMS event that kmstrail has
// no model for, kept as written.
type RawKMSMessage struct {
	// Operation is the event's name.
	Operation Operation

	// JSON is the member's value as written.
	JSON jsontext.Value
}

// KMSOperation returns the operation's name.
func (m *RawKMSMessage) KMSOperation() Operation { return m.Operation }

// MarshalJSON writes the value as written.
func (m *RawKMSMessage) MarshalJSON() ([]byte, error) {
	if len(m.JSON) == 0 {
		return []byte("null"), nil
	}
	return m.JSON, nil
}

// KeySource says where a KeyRef's ARN came from.
type KeySource uint8

// Where a key ARN can come from, most authoritative first.
const (
	// KeyFromNone: the KeyRef has no ARN.
	KeyFromNone KeySource = iota
	// KeyFromResponse: responseElements.keyId, which holds the key ARN in
	// records written since December 2022.
	KeyFromResponse
	// KeyFromKeyMetadata: responseElements.keyMetadata.arn (CreateKey).
	KeyFromKeyMetadata
	// KeyFromResources: a resources[] entry of type AWS::KMS::Key.
	KeyFromResources
	// KeyFromRequest: the request named the key by its ARN.
	KeyFromRequest
	// KeyDerived: only the key ID was known; the ARN was built from the
	// record's awsRegion and recipientAccountId.
	KeyDerived
)

var keySourceNames = [...]string{
	KeyFromNone:        "none",
	KeyFromResponse:    "response",
	KeyFromKeyMetadata: "key-metadata",
	KeyFromResources:   "resources",
	KeyFromRequest:     "request",
	KeyDerived:         "derived",
}

// String returns the source's name, such as "derived".
func (s KeySource) String() string {
	if int(s) < len(keySourceNames) {
		return keySourceNames[s]
	}
	return "KeySource(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText encodes the source as its name.
func (s KeySource) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// KeyRef is one canonical reference to a KMS key, built from every way a
// record names it: a key ID, a key ARN, an alias name or an alias ARN.
type KeyRef struct {
	// ID is the key ID, such as "1234abcd-12ab-34cd-56ef-1234567890ab" or,
	// for a multi-Region key, "mrk-1234abcd12ab34cd56ef1234567890ab".
	ID string `json:"id,omitempty"`

	// ARN is the key ARN.
	ARN string `json:"arn,omitempty"`

	// Alias is the alias name ("alias/ExampleAlias") when the record named
	// the key through an alias.
	Alias string `json:"alias,omitempty"`

	// Partition, Region and Account are the ARN's parts.
	Partition string `json:"partition,omitempty"`
	Region    string `json:"region,omitempty"`
	Account   string `json:"account,omitempty"`

	// ARNSource says where ARN came from.
	ARNSource KeySource `json:"arnSource,omitempty"`
}

// MarshalJSON writes the reference's non-empty members.
func (k KeyRef) MarshalJSON() ([]byte, error) { return k.appendJSON(nil), nil }

func (k KeyRef) appendJSON(b []byte) []byte {
	b = append(b, '{')
	n := 0
	for _, m := range [...][2]string{
		{"id", k.ID}, {"arn", k.ARN}, {"alias", k.Alias},
		{"partition", k.Partition}, {"region", k.Region}, {"account", k.Account},
	} {
		if m[1] == "" {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendQuoted(b, m[0])
		b = append(b, ':')
		b = appendQuoted(b, m[1])
	}
	if k.ARNSource != KeyFromNone {
		if n > 0 {
			b = append(b, ',')
		}
		b = append(b, `"arnSource":`...)
		b = appendQuoted(b, k.ARNSource.String())
	}
	return append(b, '}')
}

// IsZero reports whether the reference names no key.
func (k KeyRef) IsZero() bool { return k.ID == "" && k.ARN == "" && k.Alias == "" }

// Derived reports whether the ARN was built from the record's Region and
// account rather than read from it.
func (k KeyRef) Derived() bool { return k.ARNSource == KeyDerived }

// String returns the ARN, else the key ID, else the alias.
func (k KeyRef) String() string {
	switch {
	case k.ARN != "":
		return k.ARN
	case k.ID != "":
		return k.ID
	}
	return k.Alias
}

// ParseKeyRef reads one key identifier as KMS accepts it: a key ID, a key
// ARN, an alias name ("alias/...") or an alias ARN. It does not check that
// an ID looks like one: documented records hold IDs of several shapes.
func ParseKeyRef(s string) KeyRef {
	var k KeyRef
	switch {
	case strings.HasPrefix(s, "arn:"):
		a, err := arn.Parse(s)
		if err != nil {
			return KeyRef{ID: s}
		}
		k.Partition, k.Region, k.Account = a.Partition, a.Region, a.AccountID
		switch {
		case strings.HasPrefix(a.Resource, "key/"):
			k.ID, k.ARN = a.Resource[len("key/"):], s
		case strings.HasPrefix(a.Resource, "alias/"):
			k.Alias = a.Resource
		default:
			k.ID = s
			k.Partition, k.Region, k.Account = "", "", ""
		}
	case strings.HasPrefix(s, "alias/"):
		k.Alias = s
	default:
		k.ID = s
	}
	return k
}

// Partition returns the AWS partition of a Region, the second part of the
// ARNs of its resources: "aws-cn" for the China Regions, "aws-us-gov" for
// AWS GovCloud (US), "aws-iso" and "aws-iso-b" for the isolated Regions,
// "aws-eusc" for the European Sovereign Cloud, and "aws" for the others. A
// KeyRef derived from a bare key ID has its ARN in that partition.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	}
	return "aws"
}

// keyRefBuilder resolves the references a record makes to one key.
type keyRefBuilder struct {
	ref       KeyRef
	conflicts []string
}

// add merges one reference, from the given source. An ARN from a more
// authoritative source wins; references to different keys are conflicts.
func (b *keyRefBuilder) add(s string, src KeySource, what string) {
	if s == "" {
		return
	}
	k := ParseKeyRef(s)
	r := &b.ref
	if k.Alias != "" {
		if r.Alias == "" {
			r.Alias = k.Alias
		} else if r.Alias != k.Alias {
			b.conflicts = append(b.conflicts, what+" names "+k.Alias+", not "+r.Alias)
		}
	}
	if k.ID != "" {
		if r.ID == "" {
			r.ID = k.ID
		} else if r.ID != k.ID {
			b.conflicts = append(b.conflicts, what+" names key "+k.ID+", not "+r.ID)
			return
		}
	}
	if k.ARN != "" && (r.ARN == "" || src < r.ARNSource) {
		if r.ARN != "" && r.ARN != k.ARN {
			b.conflicts = append(b.conflicts, what+" names "+k.ARN+", not "+r.ARN)
		}
		r.ARN, r.ARNSource = k.ARN, src
		r.Partition, r.Region, r.Account = k.Partition, k.Region, k.Account
	} else if k.ARN != "" && r.ARN != k.ARN {
		b.conflicts = append(b.conflicts, what+" names "+k.ARN+", not "+r.ARN)
	}
}

// finish derives the ARN from the record's Region and account when only the
// ID is known.
func (b *keyRefBuilder) finish(region, account string) KeyRef {
	r := b.ref
	if r.ARN == "" && r.ID != "" && region != "" && account != "" && !strings.ContainsAny(r.ID, ":/") {
		r.Partition, r.Region, r.Account = Partition(region), region, account
		r.ARN = "arn:" + r.Partition + ":kms:" + region + ":" + account + ":key/" + r.ID
		r.ARNSource = KeyDerived
	}
	return r
}

// kmsModel describes how kmstrail types one KMS event.
type kmsModel struct {
	request, response reflect.Type // pointer-to-struct types, or nil
}

// keyIDField returns the index of a message type's KeyID field, which names
// the principal key unless the type says otherwise, or -1.
func keyIDField(t reflect.Type) int {
	if f, ok := t.FieldByName("KeyID"); ok && len(f.Index) == 1 && f.Type.Kind() == reflect.String {
		return f.Index[0]
	}
	return -1
}

// keyIDFields caches keyIDField by type.
var keyIDFields sync.Map

// messageKeyID returns a typed message's KeyID field, or "".
func messageKeyID(m KMSMessage) string {
	v := reflect.ValueOf(m).Elem()
	idx, ok := keyIDFields.Load(v.Type())
	if !ok {
		idx, _ = keyIDFields.LoadOrStore(v.Type(), keyIDField(v.Type()))
	}
	if i := idx.(int); i >= 0 {
		return v.Field(i).String()
	}
	return ""
}

// kmsModels maps event names to their models. kms_*.go files add to it.
var kmsModels = map[Operation]kmsModel{}

// registerKMS adds a model; req and resp are nil pointers of the request
// and response types, or nil. They are not KMSMessages yet when an
// operation is added: their KMSOperation methods are generated (kms_ops.go,
// by go generate) from these registrations.
func registerKMS(name string, req, resp any) {
	m := kmsModel{}
	if req != nil {
		m.request = reflect.TypeOf(req)
	}
	if resp != nil {
		m.response = reflect.TypeOf(resp)
	}
	kmsModels[Operation(name)] = m
}

// KMSOperations returns the operations kmstrail types, sorted by name.
func KMSOperations() []Operation {
	names := make([]Operation, 0, len(kmsModels))
	for n := range kmsModels {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// KMSAdditionalEventData is the additionalEventData of KMS events: one type
// for the members every operation writes, since they overlap.
type KMSAdditionalEventData struct {
	tracked

	// KeyMaterialID is the key material a cryptographic operation used
	// (written since 2025).
	KeyMaterialID string `json:"keyMaterialId"`

	// SourceKeyMaterialID and DestinationKeyMaterialID are the key
	// materials of a ReEncrypt.
	SourceKeyMaterialID      string `json:"sourceKeyMaterialId"`
	DestinationKeyMaterialID string `json:"destinationKeyMaterialId"`

	// CustomKeyStoreID is the custom key store of a key that lives in one.
	CustomKeyStoreID string `json:"customKeyStoreId"`

	// CustomKeyStoreName is the custom key store's name.
	CustomKeyStoreName string `json:"customKeyStoreName"`

	// ClusterID is the AWS CloudHSM cluster of a CloudHSM key store.
	ClusterID string `json:"clusterId"`

	// XksKeyID is the external key of an external key store key.
	XksKeyID string `json:"xksKeyId"`

	// BackingKeyID is a CloudHSM backing key's ID.
	BackingKeyID string `json:"backingKeyId"`

	// BackingKey is a JSON document, in a string, describing the CloudHSM
	// backing key CreateKey made. BackingKeys parses it.
	BackingKey string `json:"backingKey"`

	// BackingKeys is a JSON array, in a string, of the CloudHSM backing keys
	// of a key being deleted.
	BackingKeys string `json:"backingKeys"`

	// BackingKeysDeletionStatus is a JSON array, in a string, saying whether
	// each backing key was deleted.
	BackingKeysDeletionStatus string `json:"backingKeysDeletionStatus"`

	// KeyHandle is a CloudHSM key handle (older records).
	KeyHandle string `json:"keyHandle"`

	// GrantID is the grant RetireGrant retired (its requestParameters are
	// null).
	GrantID string `json:"grantId"`

	// Recipient describes the attested enclave or instance a response was
	// encrypted for.
	Recipient *KMSRecipient `json:"recipient"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// KMSRecipient is the attestation document summary KMS logs for requests
// from AWS Nitro Enclaves and NitroTPM.
type KMSRecipient struct {
	tracked

	// AttestationDocumentModuleID identifies the enclave or instance.
	AttestationDocumentModuleID string `json:"attestationDocumentModuleId"`

	// AttestationDocumentEnclaveImageDigest is the enclave image's digest
	// (PCR0).
	AttestationDocumentEnclaveImageDigest string `json:"attestationDocumentEnclaveImageDigest"`

	// Nitro Enclaves platform configuration registers.
	AttestationDocumentEnclavePCR1 string `json:"attestationDocumentEnclavePCR1"`
	AttestationDocumentEnclavePCR2 string `json:"attestationDocumentEnclavePCR2"`
	AttestationDocumentEnclavePCR3 string `json:"attestationDocumentEnclavePCR3"`
	AttestationDocumentEnclavePCR4 string `json:"attestationDocumentEnclavePCR4"`
	AttestationDocumentEnclavePCR8 string `json:"attestationDocumentEnclavePCR8"`

	// NitroTPM platform configuration registers.
	AttestationDocumentNitroTPMPCR4  string `json:"attestationDocumentNitroTPMPCR4"`
	AttestationDocumentNitroTPMPCR7  string `json:"attestationDocumentNitroTPMPCR7"`
	AttestationDocumentNitroTPMPCR8  string `json:"attestationDocumentNitroTPMPCR8"`
	AttestationDocumentNitroTPMPCR9  string `json:"attestationDocumentNitroTPMPCR9"`
	AttestationDocumentNitroTPMPCR16 string `json:"attestationDocumentNitroTPMPCR16"`
	AttestationDocumentNitroTPMPCR23 string `json:"attestationDocumentNitroTPMPCR23"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// KMSServiceEventDetails is the serviceEventDetails of the events KMS writes
// itself: RotateKey and DeleteExpiredKeyMaterial.
type KMSServiceEventDetails struct {
	tracked

	// KeyID is the key concerned.
	KeyID string `json:"keyId"`

	// KeyMaterialID is the key material DeleteExpiredKeyMaterial deleted.
	KeyMaterialID string `json:"keyMaterialId"`

	// RotationType is AUTOMATIC or ON_DEMAND (RotateKey).
	RotationType types.RotationType `json:"rotationType"`

	// KeyOrigin is the rotated key's origin, AWS_KMS or EXTERNAL.
	KeyOrigin types.OriginType `json:"keyOrigin"`

	// PreviousKeyMaterialID and CurrentKeyMaterialID are the key materials
	// before and after a rotation.
	PreviousKeyMaterialID string `json:"previousKeyMaterialId"`
	CurrentKeyMaterialID  string `json:"currentKeyMaterialId"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// MarshalJSON writes the typed view with the wire member names.
func (a *KMSAdditionalEventData) MarshalJSON() ([]byte, error) { return marshalValue(a) }

// MarshalJSON writes the typed view with the wire member names.
func (d *KMSServiceEventDetails) MarshalJSON() ([]byte, error) { return marshalValue(d) }

// MarshalJSON writes the call as kmstrail's -o json shows it.
func (c *KMSCall) MarshalJSON() ([]byte, error) {
	e := &encoder{buf: make([]byte, 0, 512)}
	e.buf = append(e.buf, `{"operation":`...)
	e.buf = appendQuoted(e.buf, string(c.Operation))
	if !c.Key.IsZero() {
		e.buf = append(e.buf, `,"key":`...)
		e.buf = c.Key.appendJSON(e.buf)
	}
	for _, m := range [...]struct {
		name string
		v    any
		nil  bool
	}{
		{"request", c.Request, c.Request == nil},
		{"response", c.Response, c.Response == nil},
		{"additionalEventData", c.AdditionalEventData, c.AdditionalEventData == nil},
		{"serviceEventDetails", c.ServiceEventDetails, c.ServiceEventDetails == nil},
	} {
		if m.nil {
			continue
		}
		var b []byte
		if raw, ok := m.v.(*RawKMSMessage); ok {
			b, _ = raw.MarshalJSON()
		} else {
			b, _ = marshalValue(m.v)
		}
		e.buf = append(e.buf, ',', '"')
		e.buf = append(e.buf, m.name...)
		e.buf = append(e.buf, '"', ':')
		e.buf = append(e.buf, b...)
	}
	e.buf = append(e.buf, '}')
	return e.buf, nil
}

// Typed KMS messages take part in resolving keys through these optional
// methods.
type (
	// keyed: the message names the event's principal key (a request's
	// keyId, a response's keyId or key metadata).
	keyed interface {
		principalKey() (id string, src KeySource)
	}
	// aliased: the message names the alias the event is about.
	aliased interface {
		principalAlias() string
	}
	// keyResolver: the message names other keys (ReEncrypt's destination,
	// a replica), which it resolves against the record.
	keyResolver interface {
		resolveKeys(kc *keyContext)
	}
	// principalUser: the message's own key fields refer to the principal
	// key when the record does not name them otherwise.
	principalUser interface {
		usePrincipal(k KeyRef)
	}
)

// keyContext is what resolving a record's key references needs: the
// record's Region and account (to derive ARNs), its resources, and which of
// them a reference has claimed.
type keyContext struct {
	region, account string
	resources       []KeyRef // resources[] of type AWS::KMS::Key (or none), parsed
	claimed         []bool
}

// newKeyContext returns the key context of ev, in d's reused space (a
// keyContext handed to an interface method would escape to the heap).
func (d *decoder) newKeyContext(ev *Event) *keyContext {
	kc := &d.kc // field by field, for the reason given at decoder.reset
	kc.region, kc.account = ev.AWSRegion, ev.RecipientAccountID
	kc.resources, kc.claimed = kc.resources[:0], kc.claimed[:0]
	for _, res := range ev.Resources {
		if res.Type != "" && res.Type != "AWS::KMS::Key" {
			continue
		}
		k := ParseKeyRef(res.ARN)
		if k.ARN == "" && k.Alias == "" {
			continue
		}
		kc.resources = append(kc.resources, k)
	}
	for range kc.resources {
		kc.claimed = append(kc.claimed, false)
	}
	return kc
}

// key resolves a key identifier from the request, with the resources that
// name the same key or alias.
func (kc *keyContext) key(id string) KeyRef { return kc.keyFrom(id, KeyFromRequest) }

// keyFrom resolves an identifier read from src.
func (kc *keyContext) keyFrom(id string, src KeySource) KeyRef {
	if id == "" {
		return KeyRef{}
	}
	var b keyRefBuilder
	b.add(id, src, "")
	kc.claim(&b, false)
	return b.finish(kc.region, kc.account)
}

// claim merges into b the resources that name b's key or alias, and marks
// them claimed. With anyKey, a reference that knows no key ID takes the
// first key resource nobody has claimed: the key an alias resolved to.
func (kc *keyContext) claim(b *keyRefBuilder, anyKey bool) {
	for i, k := range kc.resources {
		switch {
		case k.ARN != "" && b.ref.ID != "" && k.ID == b.ref.ID,
			k.Alias != "" && b.ref.Alias != "" && k.Alias == b.ref.Alias:
		case k.ARN != "" && b.ref.ID == "" && anyKey && !kc.claimed[i]:
		default:
			continue
		}
		if k.ARN != "" {
			b.add(k.ARN, KeyFromResources, "resources")
		} else {
			b.add(k.Alias, KeyFromResources, "resources")
		}
		kc.claimed[i] = true
	}
}

// decodeKMS builds the KMS view of a decoded KMS record. d is the record's
// decoder; offs holds the offsets of the Event's raw members in its text.
func decodeKMS(ev *Event, d *decoder, offs *eventOffsets) *KMSCall {
	call := &KMSCall{Operation: Operation(ev.EventName)}
	model, modeled := kmsModels[Operation(ev.EventName)]
	drift := ev.EventName
	call.Request = d.kmsMessage(ev.EventName, "requestParameters", ev.RequestParameters, offs.request, model.request, modeled, drift)
	call.Response = d.kmsMessage(ev.EventName, "responseElements", ev.ResponseElements, offs.response, model.response, modeled, drift)
	if len(ev.AdditionalEventData) > 0 && ev.AdditionalEventData[0] == '{' {
		v := d.decodeTypedAt(offs.additional, "additionalEventData", reflect.TypeFor[*KMSAdditionalEventData](), drift, " additionalEventData")
		call.AdditionalEventData = v.Interface().(*KMSAdditionalEventData)
	}
	if len(ev.ServiceEventDetails) > 0 && ev.ServiceEventDetails[0] == '{' {
		v := d.decodeTypedAt(offs.service, "serviceEventDetails", reflect.TypeFor[*KMSServiceEventDetails](), drift, " serviceEventDetails")
		call.ServiceEventDetails = v.Interface().(*KMSServiceEventDetails)
	}
	resolveKeys(ev, call, d, offs)
	return call
}

// resolveKeys resolves the event's principal key and the other keys its
// typed messages name, and reports contradictions.
func resolveKeys(ev *Event, call *KMSCall, d *decoder, offs *eventOffsets) {
	kc := d.newKeyContext(ev)
	defer clear(kc.resources) // the next record reuses it: keep none of this one's strings
	msgs := []KMSMessage{call.Request, call.Response}
	// Other keys first: they claim their resources, so that the key an
	// alias resolved to is told apart from them.
	for _, m := range msgs {
		if r, ok := m.(keyResolver); ok {
			r.resolveKeys(kc)
		}
	}
	var b keyRefBuilder
	for _, m := range []KMSMessage{call.Response, call.Request} {
		if m == nil {
			continue
		}
		src := KeyFromRequest
		if m == call.Response {
			src = KeyFromResponse
		}
		switch k := m.(type) {
		case keyed:
			id, src := k.principalKey()
			b.add(id, src, sourceMember(src))
		case *RawKMSMessage:
			b.add(stringMember(k.JSON, "keyId"), src, sourceMember(src)+".keyId")
		default:
			b.add(messageKeyID(m), src, sourceMember(src)+".keyId")
		}
		if a, ok := m.(aliased); ok {
			b.add(a.principalAlias(), KeyFromRequest, "requestParameters.aliasName")
		}
	}
	if sed := call.ServiceEventDetails; sed != nil {
		b.add(sed.KeyID, KeyFromRequest, "serviceEventDetails.keyId")
	}
	kc.claim(&b, true)
	call.Key = b.finish(ev.AWSRegion, ev.RecipientAccountID)
	for _, m := range msgs {
		if u, ok := m.(principalUser); ok {
			u.usePrincipal(call.Key)
		}
	}

	for _, c := range b.conflicts {
		d.note(KeyConflict, offs.start, "%s: %s", ev.EventName, c)
	}
	for i, k := range kc.resources {
		if !kc.claimed[i] {
			d.note(KeyConflict, offs.start, "%s: resources name %s, which the event does not otherwise name", ev.EventName, k)
		}
	}
	if ref := call.Key; ref.Account != "" && ev.RecipientAccountID != "" && ref.Account != ev.RecipientAccountID {
		d.note(KeyConflict, offs.start, "%s: key %s belongs to account %s, not the recipient account %s (cross-account use?)",
			ev.EventName, ref.ARN, ref.Account, ev.RecipientAccountID)
	}
}

// sourceMember names the record member a key source reads.
func sourceMember(src KeySource) string {
	switch src {
	case KeyFromResponse:
		return "responseElements"
	case KeyFromKeyMetadata:
		return "responseElements.keyMetadata"
	}
	return "requestParameters"
}

// kmsMessage decodes a request or response into its model, or keeps it raw.
func (d *decoder) kmsMessage(op, member string, raw jsontext.Value, off int, t reflect.Type, modeled bool, drift string) KMSMessage {
	if len(raw) == 0 {
		return nil
	}
	if t == nil || raw[0] != '{' {
		if modeled {
			d.pushName(member)
			d.note(Unmodeled, d.offsetOf(off), "%s: kmstrail has no model for a non-null %s; it is kept as written", op, member)
			d.popPath(len(d.path) - 1)
		}
		return &RawKMSMessage{Operation: Operation(op), JSON: raw}
	}
	return d.decodeTypedAt(off, member, t, drift, "").Interface().(KMSMessage)
}

// decodeTypedAt decodes the object at offset off of the record, the value of
// the top-level member name, into a new value of pointer type t. Members the
// type does not model are reported as drift.
func (d *decoder) decodeTypedAt(off int, name string, t reflect.Type, drift, driftPart string) reflect.Value {
	savePos, saveRT, saveDrift, saveLen := d.pos, d.roundTrip, d.drift, len(d.path)
	d.roundTrip, d.drift, d.driftPart = false, drift, driftPart
	if off <= -2 {
		d.enter(-2 - off) // a slot of the tape
	} else {
		d.pos, d.curStart = off, -1
	}
	d.pushName(name)
	v := reflect.New(t.Elem())
	v.Interface().(objectDecoder).decodeObject(d)
	d.pos, d.roundTrip, d.drift = savePos, saveRT, saveDrift
	d.popPath(saveLen)
	return v
}

// stringMember returns the string value of a top-level member of a JSON
// object, or "".
func stringMember(obj jsontext.Value, name string) string {
	if len(obj) < 2 || obj[0] != '{' {
		return ""
	}
	d := &decoder{data: string(obj), raw: obj}
	var val string
	d.members(func(n string, _ int) {
		if n == name && d.peek() == '"' && val == "" {
			val = d.readString()
			return
		}
		d.skipValue()
	})
	return val
}
