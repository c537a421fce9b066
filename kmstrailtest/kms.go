package kmstrailtest

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail"
)

// KMS returns a KMS event for the request and response, decoded by
// kmstrail.Parse from the bytes the kit wrote (ev.Raw), so that ev.KMS,
// its Key, and ev.Diagnostics are what production code would see.
//
// The operation is the messages': pass a typed nil pointer, such as
// (*kmstrail.RetireGrantRequest)(nil), for a request CloudTrail logs as
// null. The request and response are written as given, in requestParameters
// and responseElements, with their dates in KMS's Java format (see
// DateLayout); a nil message, or one with no member set, is written as null,
// as CloudTrail does. What they leave out, the kit fills in as KMS and
// CloudTrail do:
//
//   - resources[] lists the key (by its ARN, derived from a key ID, the
//     Region and the account), an alias operation's alias ARN, and
//     ReEncrypt's destination key; it is empty for operations that concern
//     no key, and absent for custom key store operations;
//   - a nil response is the key ARN KMS has logged in responseElements.keyId
//     since December 2022 (ImportKeyMaterial, EnableKey, CreateAlias, ...),
//     with the key material's ID for ImportKeyMaterial and
//     DeleteImportedKeyMaterial, or what KMS logs for CancelKeyDeletion,
//     RotateKeyOnDemand, ScheduleKeyDeletion, CreateGrant and CreateKey
//     (key metadata built from the request); it is null for the others, as
//     for reads and cryptographic operations. A response whose KeyID is
//     empty gets the same key;
//   - additionalEventData names the key material of data key operations
//     (Encrypt, Decrypt, GenerateDataKey..., ReEncrypt), and the key store
//     of custom key store operations;
//   - readOnly is the operation's; the events KMS writes itself (DeleteKey,
//     RotateKey, DeleteExpiredKeyMaterial, SynchronizeMultiRegionKey) have
//     its "AWS Internal" identity, no tlsDetails, and RotateKey and
//     DeleteExpiredKeyMaterial their serviceEventDetails.
//
// A request that names no key, or names it by an alias, concerns the key Key
// names, or DefaultKeyID. Options override all of the above.
//
// The kit does not move what it is given to where CloudTrail would put it:
// CloudTrail logs RetireGrant's and GenerateRandom's requests as null (with
// RetireGrant's grant ID in additionalEventData), never logs ReEncrypt's
// sourceKeyId, and logs null responses for reads and cryptographic
// operations; pass what the record should hold.
//
// KMS panics if both messages are nil, if they belong to different
// operations, or if the record it wrote does not decode.
func KMS(req, resp kmstrail.KMSMessage, opts ...Option) *kmstrail.Event {
	op := operationOf(req, resp)
	s := newSpec(opts)
	s.kms(op, present(req), present(resp))
	return s.build()
}

// operationOf returns the operation the messages belong to.
func operationOf(req, resp kmstrail.KMSMessage) kmstrail.Operation {
	switch {
	case req == nil && resp == nil:
		panic("kmstrailtest.KMS: no request and no response: pass a typed nil pointer, such as (*kmstrail.RotateKeyRequest)(nil), to name the operation")
	case req == nil:
		return resp.KMSOperation()
	case resp != nil && req.KMSOperation() != resp.KMSOperation():
		panic(fmt.Sprintf("kmstrailtest.KMS: the request is %s's and the response %s's", req.KMSOperation(), resp.KMSOperation()))
	}
	return req.KMSOperation()
}

// present returns m, or nil for a typed nil pointer.
func present(m kmstrail.KMSMessage) kmstrail.KMSMessage {
	if m == nil {
		return nil
	}
	if v := reflect.ValueOf(m); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil
	}
	return m
}

// The operations' traits, from the KMS developer guide's CloudTrail
// examples, as the fixtures in testdata/kms show them.
var (
	// kmsReadOnly: the operations whose records have readOnly true.
	kmsReadOnly = opSet(
		kmstrail.OpDecapsulate, kmstrail.OpDecrypt, kmstrail.OpDeriveSharedSecret, kmstrail.OpDescribeCustomKeyStores,
		kmstrail.OpDescribeKey, kmstrail.OpEncapsulate, kmstrail.OpEncrypt, kmstrail.OpGenerateDataKey,
		kmstrail.OpGenerateDataKeyPair, kmstrail.OpGenerateDataKeyPairWithoutPlaintext,
		kmstrail.OpGenerateDataKeyWithoutPlaintext, kmstrail.OpGenerateMac, kmstrail.OpGenerateRandom,
		kmstrail.OpGetKeyLastUsage, kmstrail.OpGetKeyPolicy, kmstrail.OpGetKeyRotationStatus,
		kmstrail.OpGetParametersForImport, kmstrail.OpGetPublicKey, kmstrail.OpListAliases, kmstrail.OpListGrants,
		kmstrail.OpListKeyPolicies, kmstrail.OpListKeyRotations, kmstrail.OpListKeys, kmstrail.OpListResourceTags,
		kmstrail.OpListRetirableGrants, kmstrail.OpReEncrypt, kmstrail.OpSign, kmstrail.OpVerify, kmstrail.OpVerifyMac)

	// kmsKeyStoreOps: custom key store operations, whose records have no
	// resources member.
	kmsKeyStoreOps = opSet(
		kmstrail.OpConnectCustomKeyStore, kmstrail.OpCreateCustomKeyStore, kmstrail.OpDeleteCustomKeyStore,
		kmstrail.OpDescribeCustomKeyStores, kmstrail.OpDisconnectCustomKeyStore, kmstrail.OpUpdateCustomKeyStore)

	// kmsKeyless: other operations that concern no key unless the request
	// names one; their resources list is empty.
	kmsKeyless = opSet(kmstrail.OpGenerateRandom, kmstrail.OpListAliases, kmstrail.OpListKeys, kmstrail.OpListRetirableGrants)

	// kmsInjected: the operations whose responseElements.keyId KMS has
	// filled with the key ARN since December 2022, though most return
	// nothing.
	kmsInjected = opSet(
		kmstrail.OpCreateAlias, kmstrail.OpCreateGrant, kmstrail.OpDeleteAlias, kmstrail.OpDisableKey,
		kmstrail.OpEnableKey, kmstrail.OpEnableKeyRotation, kmstrail.OpImportKeyMaterial,
		kmstrail.OpSynchronizeMultiRegionKey, kmstrail.OpTagResource, kmstrail.OpUntagResource,
		kmstrail.OpUpdateAlias, kmstrail.OpUpdatePrimaryRegion)

	// kmsReturnsKeyARN: the operations that return the key ARN themselves,
	// before December 2022 too.
	kmsReturnsKeyARN = opSet(kmstrail.OpCancelKeyDeletion, kmstrail.OpDeleteImportedKeyMaterial, kmstrail.OpScheduleKeyDeletion)

	// kmsDataKeyOps: the operations with a symmetric key whose
	// additionalEventData has named the key material used since 2025.
	kmsDataKeyOps = opSet(
		kmstrail.OpDecrypt, kmstrail.OpEncrypt, kmstrail.OpGenerateDataKey, kmstrail.OpGenerateDataKeyPair,
		kmstrail.OpGenerateDataKeyPairWithoutPlaintext, kmstrail.OpGenerateDataKeyWithoutPlaintext)

	// kmsKeyStoreEvents: the custom key store operations whose
	// additionalEventData names the key store and its CloudHSM cluster.
	kmsKeyStoreEvents = opSet(
		kmstrail.OpConnectCustomKeyStore, kmstrail.OpDeleteCustomKeyStore, kmstrail.OpDisconnectCustomKeyStore,
		kmstrail.OpUpdateCustomKeyStore)

	// kmsInternal: the events KMS writes itself, with its own identity;
	// all but SynchronizeMultiRegionKey are AwsServiceEvent records.
	kmsInternal = opSet(kmstrail.OpDeleteKey, kmstrail.OpRotateKey, kmstrail.OpDeleteExpiredKeyMaterial, kmstrail.OpSynchronizeMultiRegionKey)
)

func opSet(ops ...kmstrail.Operation) map[kmstrail.Operation]bool {
	m := make(map[kmstrail.Operation]bool, len(ops))
	for _, op := range ops {
		m[op] = true
	}
	return m
}

// kms takes the decisions a KMS operation implies, where no option took
// them.
func (s *spec) kms(op kmstrail.Operation, req, resp kmstrail.KMSMessage) {
	s.source, s.name = kmstrail.KMSEventSource, string(op)
	s.fillPlace()
	if s.dateLayout == "" {
		s.dateLayout = JavaDateLayout
		if s.legacy {
			s.dateLayout = JavaDateLayoutLegacy
		}
	}
	if kmsInternal[op] {
		if s.identity == identityDefault {
			s.identity = identityInternal
		}
		if s.eventType == "" && op != kmstrail.OpSynchronizeMultiRegionKey {
			s.eventType = "AwsServiceEvent"
		}
	}
	if s.readOnly == nil {
		ro := kmsReadOnly[op]
		s.readOnly = &ro
	}
	key := s.principalKey(op, req, resp)
	if s.request == nil {
		s.request = &payload{s.message(req)}
	}
	if s.response == nil {
		s.response = &payload{s.kmsResponse(op, req, resp, key)}
	}
	if s.resources == nil && !kmsKeyStoreOps[op] {
		rs := s.kmsResources(req, key)
		s.resources = &rs
	}
	if s.additional == nil {
		s.additional = s.kmsAdditional(op, req, key)
	}
	s.kmsServiceEvent(op, key)
	// The documented DeleteExpiredKeyMaterial record has no
	// managementEvent, unlike KMS's other events.
	s.noManagementEvent = op == kmstrail.OpDeleteExpiredKeyMaterial
}

// kmsAdditional returns the additionalEventData KMS writes for the
// operation, or nil: the key material a data key operation used (since
// 2025, and not for failed calls), or the key store a custom key store
// operation concerns.
func (s *spec) kmsAdditional(op kmstrail.Operation, req kmstrail.KMSMessage, key kmstrail.KeyRef) *payload {
	switch {
	case kmsKeyStoreEvents[op]:
		d := &kmstrail.KMSAdditionalEventData{CustomKeyStoreName: "ExampleKeyStore", ClusterID: "cluster-1a23b4cdefg"}
		if r, ok := req.(*kmstrail.UpdateCustomKeyStoreRequest); ok && r.ClusterID != "" {
			d.ClusterID = r.ClusterID
		}
		return &payload{d}
	case s.legacy || s.errorCode != "" || key.ID == "":
		return nil
	case kmsDataKeyOps[op]:
		return &payload{&kmstrail.KMSAdditionalEventData{KeyMaterialID: keyMaterial(key.ID)}}
	case op == kmstrail.OpReEncrypt:
		d := &kmstrail.KMSAdditionalEventData{SourceKeyMaterialID: keyMaterial(key.ID)}
		if r, ok := req.(*kmstrail.ReEncryptRequest); ok && r.DestinationKeyID != "" {
			d.DestinationKeyMaterialID = keyMaterial(kmstrail.ParseKeyRef(r.DestinationKeyID).ID)
		}
		return &payload{d}
	}
	return nil
}

// keyMaterial returns the ID of a key's current key material: derived from
// the key, so that the records of one key agree.
func keyMaterial(keyID string) string { return hexOf("material", keyID) }

// principalKey returns the key the event concerns, with its ARN.
func (s *spec) principalKey(op kmstrail.Operation, req, resp kmstrail.KMSMessage) kmstrail.KeyRef {
	named := keyNamedBy(req)
	if named == "" {
		named = keyNamedBy(resp)
	}
	ref := kmstrail.ParseKeyRef(named)
	if s.keyID != "" {
		ref = kmstrail.ParseKeyRef(s.keyID)
	}
	if ref.ID == "" && (!ref.IsZero() || !kmsKeyless[op] && !kmsKeyStoreOps[op]) {
		id := DefaultKeyID
		if r, ok := req.(*kmstrail.CreateKeyRequest); ok && r.MultiRegion {
			id = DefaultMultiRegionKeyID
		}
		ref = kmstrail.ParseKeyRef(id)
	}
	return s.withARN(ref)
}

// withARN derives the ARN of a key named by its ID from the record's
// Region and account, as CloudTrail's resources[] has it.
func (s *spec) withARN(ref kmstrail.KeyRef) kmstrail.KeyRef {
	if ref.ARN == "" && ref.ID != "" {
		ref.Partition, ref.Region, ref.Account = kmstrail.Partition(s.region), s.region, s.account
		ref.ARN = "arn:" + ref.Partition + ":kms:" + s.region + ":" + s.account + ":key/" + ref.ID
	}
	return ref
}

// keyNamedBy returns the key a message names, as the caller or KMS named
// it, or "".
func keyNamedBy(m kmstrail.KMSMessage) string {
	switch m := m.(type) {
	case nil:
		return ""
	case *kmstrail.CreateKeyResponse:
		return metadataKey(m.KeyMetadata)
	case *kmstrail.DescribeKeyResponse:
		return metadataKey(m.KeyMetadata)
	case *kmstrail.ReEncryptResponse:
		return m.SourceKeyID // its KeyID is the destination
	case *kmstrail.ReplicateKeyResponse:
		return "" // it names the replica
	}
	v := reflect.ValueOf(m).Elem()
	for _, name := range []string{"KeyID", "TargetKeyID", "SourceKeyID"} {
		if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
			return f.String()
		}
	}
	return ""
}

// keyMaterialNamedBy returns the key material a request names, or "".
func keyMaterialNamedBy(m kmstrail.KMSMessage) string {
	switch m := m.(type) {
	case *kmstrail.ImportKeyMaterialRequest:
		return m.KeyMaterialID
	case *kmstrail.DeleteImportedKeyMaterialRequest:
		return m.KeyMaterialID
	}
	return ""
}

func metadataKey(m *kmstrail.KeyMetadata) string {
	switch {
	case m == nil:
		return ""
	case m.ARN != "":
		return m.ARN
	}
	return m.KeyID
}

// kmsResources lists the keys and aliases the event concerns, in KMS's
// order.
func (s *spec) kmsResources(req kmstrail.KMSMessage, key kmstrail.KeyRef) []kmstrail.Resource {
	rs := []kmstrail.Resource{}
	if key.ARN != "" {
		rs = append(rs, s.kmsResource(key.ARN))
	}
	switch r := req.(type) {
	case *kmstrail.CreateAliasRequest:
		rs = append(rs, s.aliasResource(r.AliasName)...)
	case *kmstrail.UpdateAliasRequest:
		rs = append(s.aliasResource(r.AliasName), rs...)
	case *kmstrail.DeleteAliasRequest:
		rs = append(s.aliasResource(r.AliasName), rs...)
	case *kmstrail.ReEncryptRequest:
		if dest := s.withARN(kmstrail.ParseKeyRef(r.DestinationKeyID)); dest.ARN != "" {
			rs = append(rs, s.kmsResource(dest.ARN))
		}
	}
	return rs
}

// kmsResource is a resources[] entry naming a key or alias ARN.
func (s *spec) kmsResource(arn string) kmstrail.Resource {
	account := kmstrail.ParseKeyRef(arn).Account
	if account == "" {
		account = s.account
	}
	return kmstrail.Resource{AccountID: account, Type: "AWS::KMS::Key", ARN: arn}
}

// aliasResource is the entry of an alias, which KMS types as a key.
func (s *spec) aliasResource(alias string) []kmstrail.Resource {
	if alias == "" {
		return nil
	}
	if !strings.HasPrefix(alias, "arn:") {
		alias = "arn:" + kmstrail.Partition(s.region) + ":kms:" + s.region + ":" + s.account + ":" + alias
	}
	return []kmstrail.Resource{s.kmsResource(alias)}
}

// responseKeyID returns what KMS logs in responseElements.keyId for the
// operation, or "".
func (s *spec) responseKeyID(op kmstrail.Operation, key kmstrail.KeyRef) string {
	switch {
	case op == kmstrail.OpRotateKeyOnDemand:
		return key.ID // the operation returns the ID, not the ARN
	case kmsReturnsKeyARN[op], kmsInjected[op] && !s.legacy:
		return key.ARN
	}
	return ""
}

// kmsResponse returns the responseElements of the operation: the response
// given, with its key filled in, or what KMS logs when none is given.
func (s *spec) kmsResponse(op kmstrail.Operation, req, resp kmstrail.KMSMessage, key kmstrail.KeyRef) jsontext.Value {
	keyID := s.responseKeyID(op, key)
	if resp != nil {
		return s.message(withKeyID(resp, keyID))
	}
	switch op {
	case kmstrail.OpCreateKey:
		r, _ := req.(*kmstrail.CreateKeyRequest)
		return s.message(&kmstrail.CreateKeyResponse{KeyMetadata: s.keyMetadata(r, key)})
	case kmstrail.OpScheduleKeyDeletion:
		days := int32(30)
		if r, ok := req.(*kmstrail.ScheduleKeyDeletionRequest); ok && r.PendingWindowInDays != 0 {
			days = r.PendingWindowInDays
		}
		return s.message(&kmstrail.ScheduleKeyDeletionResponse{
			KeyID:               keyID,
			KeyState:            types.KeyStatePendingDeletion,
			DeletionDate:        kmstrail.TimeOf(s.time.Add(time.Duration(days) * 24 * time.Hour)),
			PendingWindowInDays: days,
		})
	case kmstrail.OpImportKeyMaterial, kmstrail.OpDeleteImportedKeyMaterial:
		// Since 2025 KMS names the key material too.
		if keyID == "" {
			return nil
		}
		material := keyMaterialNamedBy(req)
		if material == "" {
			material = keyMaterial(key.ID)
		}
		return mustMarshal(map[string]string{"keyId": keyID, "keyMaterialId": material})
	case kmstrail.OpCreateGrant:
		grantID := hexOf("grant", key.ARN, s.time.String())
		return s.message(&kmstrail.CreateGrantResponse{GrantID: grantID, KeyID: keyID})
	}
	if keyID == "" {
		return nil
	}
	return mustMarshal(map[string]string{"keyId": keyID})
}

// withKeyID returns m, or a copy of it whose empty KeyID is set to id.
func withKeyID(m kmstrail.KMSMessage, id string) kmstrail.KMSMessage {
	v := reflect.ValueOf(m).Elem()
	f := v.FieldByName("KeyID")
	if id == "" || !f.IsValid() || f.Kind() != reflect.String || f.String() != "" {
		return m
	}
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	c.Elem().FieldByName("KeyID").SetString(id)
	return c.Interface().(kmstrail.KMSMessage)
}

// keyMetadata describes the key CreateKey made, from its request (which may
// be nil), as KMS logs it.
func (s *spec) keyMetadata(r *kmstrail.CreateKeyRequest, key kmstrail.KeyRef) *kmstrail.KeyMetadata {
	if r == nil {
		r = &kmstrail.CreateKeyRequest{}
	}
	m := &kmstrail.KeyMetadata{
		AWSAccountID:          key.Account,
		KeyID:                 key.ID,
		ARN:                   key.ARN,
		CreationDate:          kmstrail.TimeOf(s.time),
		Enabled:               true,
		Description:           r.Description,
		KeyUsage:              r.KeyUsage,
		KeyState:              types.KeyStateEnabled,
		Origin:                r.Origin,
		CustomKeyStoreID:      r.CustomKeyStoreID,
		KeyManager:            types.KeyManagerTypeCustomer,
		KeySpec:               r.KeySpec,
		CustomerMasterKeySpec: types.CustomerMasterKeySpec(r.KeySpec),
		MultiRegion:           r.MultiRegion,
	}
	if m.KeyUsage == "" {
		m.KeyUsage = types.KeyUsageTypeEncryptDecrypt
	}
	if m.Origin == "" {
		m.Origin = types.OriginTypeAwsKms
	}
	if m.KeySpec == "" {
		m.KeySpec, m.CustomerMasterKeySpec = types.KeySpecSymmetricDefault, types.CustomerMasterKeySpecSymmetricDefault
	}
	if m.Origin == types.OriginTypeExternal {
		// Imported key material comes later.
		m.Enabled, m.KeyState = false, types.KeyStatePendingImport
	}
	switch {
	case m.KeySpec == types.KeySpecSymmetricDefault:
		m.EncryptionAlgorithms = []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecSymmetricDefault}
	case strings.HasPrefix(string(m.KeySpec), "HMAC_"):
		m.MacAlgorithms = []types.MacAlgorithmSpec{types.MacAlgorithmSpec("HMAC_SHA_" + strings.TrimPrefix(string(m.KeySpec), "HMAC_"))}
	}
	if m.MultiRegion {
		m.MultiRegionConfiguration = &kmstrail.MultiRegionConfiguration{
			MultiRegionKeyType: types.MultiRegionKeyTypePrimary,
			PrimaryKey:         &kmstrail.MultiRegionKey{ARN: key.ARN, Region: key.Region},
		}
	}
	return m
}

// kmsServiceEvent writes the serviceEventDetails of RotateKey and
// DeleteExpiredKeyMaterial, and fills in the key of details given.
func (s *spec) kmsServiceEvent(op kmstrail.Operation, key kmstrail.KeyRef) {
	if s.serviceEvent != nil {
		if d, ok := s.serviceEvent.v.(*kmstrail.KMSServiceEventDetails); ok && d != nil && d.KeyID == "" {
			c := *d
			c.KeyID = key.ID
			s.serviceEvent = &payload{&c}
		}
		return
	}
	stamp := s.time.Format(time.RFC3339)
	switch {
	case s.legacy && (op == kmstrail.OpRotateKey || op == kmstrail.OpDeleteExpiredKeyMaterial):
		// Before 2025 KMS named only the key.
		s.serviceEvent = &payload{&kmstrail.KMSServiceEventDetails{KeyID: key.ID}}
	case op == kmstrail.OpRotateKey:
		s.serviceEvent = &payload{&kmstrail.KMSServiceEventDetails{
			RotationType:          types.RotationTypeAutomatic,
			KeyOrigin:             types.OriginTypeAwsKms,
			PreviousKeyMaterialID: keyMaterial(key.ID),
			CurrentKeyMaterialID:  hexOf("material", key.ID, stamp),
			KeyID:                 key.ID,
		}}
	case op == kmstrail.OpDeleteExpiredKeyMaterial:
		s.serviceEvent = &payload{&kmstrail.KMSServiceEventDetails{KeyID: key.ID, KeyMaterialID: keyMaterial(key.ID)}}
	}
}
