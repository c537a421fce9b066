package kmstrailtest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Keys of the examples, in the default Region and account.
const (
	keyA = kmstrailtest.DefaultKeyID
	keyB = "0987dcba-09fe-87dc-65ba-ab0987654321"
	arnA = "arn:aws:kms:us-west-2:111122223333:key/" + keyA
	arnB = "arn:aws:kms:us-west-2:111122223333:key/" + keyB
	mrk  = kmstrailtest.DefaultMultiRegionKeyID
	arnM = "arn:aws:kms:us-west-2:111122223333:key/" + mrk

	material = "b85d3257423dfd00e4c923a2faeed42c3dccf78c1fba2a0413088acd9211932c"
)

// validTo is an expiry in the future of the default time.
var validTo = time.Date(2026, 5, 21, 5, 47, 45, 0, time.UTC)

// opCase is a realistic call of one operation: its request and response,
// extra options, and the key ARN the event must resolve to ("" for none).
type opCase struct {
	req, resp kmstrail.KMSMessage
	opts      []kmstrailtest.Option
	key       string
}

var ctx = map[string]string{"Department": "Engineering", "Project": "Alpha"}

// opCases holds one call of every operation kmstrail types, shaped like
// the fixture of testdata/kms that TestKMSEveryOperation compares it with.
var opCases = map[kmstrail.Operation]opCase{
	kmstrail.OpCancelKeyDeletion:     {req: &kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpConnectCustomKeyStore: {req: &kmstrail.ConnectCustomKeyStoreRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}},
	kmstrail.OpCreateAlias:           {req: &kmstrail.CreateAliasRequest{AliasName: "alias/ExampleAlias", TargetKeyID: keyA}, key: arnA},
	kmstrail.OpCreateCustomKeyStore: {
		req:  &kmstrail.CreateCustomKeyStoreRequest{CustomKeyStoreName: "ExampleKeyStore", ClusterID: "cluster-1a23b4cdefg"},
		resp: &kmstrail.CreateCustomKeyStoreResponse{CustomKeyStoreID: "cks-1234567890abcdef0"},
	},
	kmstrail.OpCreateGrant: {
		req: &kmstrail.CreateGrantRequest{KeyID: arnA, GranteePrincipal: "arn:aws:iam::111122223333:role/orders",
			Operations: []types.GrantOperation{types.GrantOperationEncrypt, types.GrantOperationRetireGrant}},
		key: arnA,
	},
	kmstrail.OpCreateKey:   {req: &kmstrail.CreateKeyRequest{Description: "Orders", KeyUsage: types.KeyUsageTypeEncryptDecrypt}, key: arnA},
	kmstrail.OpDecapsulate: {req: &kmstrail.DecapsulateRequest{KeyID: keyB, EncapsulationAlgorithm: types.EncapsulationAlgorithmSpecMlKem}, key: arnB},
	kmstrail.OpDecrypt: {
		req:  &kmstrail.DecryptRequest{KeyID: arnA, EncryptionContext: ctx, EncryptionAlgorithm: types.EncryptionAlgorithmSpecSymmetricDefault},
		opts: []kmstrailtest.Option{kmstrailtest.AdditionalEventData(&kmstrail.KMSAdditionalEventData{KeyMaterialID: material})},
		key:  arnA,
	},
	kmstrail.OpDeleteAlias:               {req: &kmstrail.DeleteAliasRequest{AliasName: "alias/ExampleAlias"}, opts: opts(kmstrailtest.Key(keyB)), key: arnB},
	kmstrail.OpDeleteCustomKeyStore:      {req: &kmstrail.DeleteCustomKeyStoreRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}},
	kmstrail.OpDeleteExpiredKeyMaterial:  {req: (*kmstrail.DeleteExpiredKeyMaterialRequest)(nil), opts: opts(kmstrailtest.Key(keyB)), key: arnB},
	kmstrail.OpDeleteImportedKeyMaterial: {req: &kmstrail.DeleteImportedKeyMaterialRequest{KeyID: keyA, KeyMaterialID: material}, key: arnA},
	kmstrail.OpDeleteKey:                 {req: (*kmstrail.DeleteKeyRequest)(nil), key: arnA},
	kmstrail.OpDeriveSharedSecret: {
		req: &kmstrail.DeriveSharedSecretRequest{KeyID: keyB, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh}, key: arnB,
	},
	kmstrail.OpDescribeCustomKeyStores:  {req: &kmstrail.DescribeCustomKeyStoresRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}},
	kmstrail.OpDescribeKey:              {req: &kmstrail.DescribeKeyRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpDisableKey:               {req: &kmstrail.DisableKeyRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpDisableKeyRotation:       {req: &kmstrail.DisableKeyRotationRequest{KeyID: arnA}, key: arnA},
	kmstrail.OpDisconnectCustomKeyStore: {req: &kmstrail.DisconnectCustomKeyStoreRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}},
	kmstrail.OpEnableKey:                {req: &kmstrail.EnableKeyRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpEnableKeyRotation:        {req: &kmstrail.EnableKeyRotationRequest{KeyID: keyA, RotationPeriodInDays: 180}, key: arnA},
	kmstrail.OpEncapsulate:              {req: &kmstrail.EncapsulateRequest{KeyID: keyB, EncapsulationAlgorithm: types.EncapsulationAlgorithmSpecMlKem}, key: arnB},
	kmstrail.OpEncrypt: {
		req: &kmstrail.EncryptRequest{KeyID: arnA, EncryptionContext: ctx, EncryptionAlgorithm: types.EncryptionAlgorithmSpecSymmetricDefault}, key: arnA,
	},
	kmstrail.OpGenerateDataKey: {req: &kmstrail.GenerateDataKeyRequest{KeyID: keyA, KeySpec: types.DataKeySpecAes256, EncryptionContext: ctx}, key: arnA},
	kmstrail.OpGenerateDataKeyPair: {
		req: &kmstrail.GenerateDataKeyPairRequest{KeyID: keyA, KeyPairSpec: types.DataKeyPairSpecRsa3072, EncryptionContext: ctx}, key: arnA,
	},
	kmstrail.OpGenerateDataKeyPairWithoutPlaintext: {
		req: &kmstrail.GenerateDataKeyPairWithoutPlaintextRequest{KeyID: keyA, KeyPairSpec: types.DataKeyPairSpecRsa4096}, key: arnA,
	},
	kmstrail.OpGenerateDataKeyWithoutPlaintext: {
		// An alias names the key; Key says which key it points to.
		req: &kmstrail.GenerateDataKeyWithoutPlaintextRequest{KeyID: "alias/orders", NumberOfBytes: 64}, opts: opts(kmstrailtest.Key(keyB)), key: arnB,
	},
	kmstrail.OpGenerateMac:          {req: &kmstrail.GenerateMacRequest{KeyID: keyA, MacAlgorithm: types.MacAlgorithmSpecHmacSha512}, key: arnA},
	kmstrail.OpGenerateRandom:       {req: (*kmstrail.GenerateRandomRequest)(nil)},
	kmstrail.OpGetKeyLastUsage:      {req: &kmstrail.GetKeyLastUsageRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpGetKeyPolicy:         {req: &kmstrail.GetKeyPolicyRequest{KeyID: keyA, PolicyName: "default"}, key: arnA},
	kmstrail.OpGetKeyRotationStatus: {req: &kmstrail.GetKeyRotationStatusRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpGetParametersForImport: {
		req: &kmstrail.GetParametersForImportRequest{KeyID: keyA, WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256, WrappingKeySpec: types.WrappingKeySpecRsa2048},
		key: arnA,
	},
	kmstrail.OpGetPublicKey: {req: &kmstrail.GetPublicKeyRequest{KeyID: keyB}, key: arnB},
	kmstrail.OpImportKeyMaterial: {
		req: &kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.TimeOf(validTo),
			ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires, ImportType: types.ImportTypeNewKeyMaterial},
		key: arnA,
	},
	kmstrail.OpListAliases:         {req: &kmstrail.ListAliasesRequest{Limit: 5}},
	kmstrail.OpListGrants:          {req: &kmstrail.ListGrantsRequest{KeyID: keyA, Limit: 10}, key: arnA},
	kmstrail.OpListKeyPolicies:     {req: &kmstrail.ListKeyPoliciesRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpListKeyRotations:    {req: &kmstrail.ListKeyRotationsRequest{KeyID: keyA, IncludeKeyMaterial: types.IncludeKeyMaterialAllKeyMaterial}, key: arnA},
	kmstrail.OpListKeys:            {req: &kmstrail.ListKeysRequest{Limit: 100}},
	kmstrail.OpListResourceTags:    {req: &kmstrail.ListResourceTagsRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpListRetirableGrants: {req: &kmstrail.ListRetirableGrantsRequest{RetiringPrincipal: "arn:aws:iam::111122223333:role/orders"}},
	kmstrail.OpPutKeyPolicy: {
		req: &kmstrail.PutKeyPolicyRequest{KeyID: keyA, PolicyName: "default", Policy: `{"Version":"2012-10-17","Statement":[]}`}, key: arnA,
	},
	kmstrail.OpReEncrypt: {
		// KMS does not log the source key: it comes from Key (or the
		// default), and resources[] lists it before the destination.
		req: &kmstrail.ReEncryptRequest{DestinationKeyID: keyB, SourceEncryptionContext: ctx,
			SourceEncryptionAlgorithm: types.EncryptionAlgorithmSpecSymmetricDefault, DestinationEncryptionAlgorithm: types.EncryptionAlgorithmSpecSymmetricDefault},
		key: arnA,
	},
	kmstrail.OpReplicateKey: {
		req: &kmstrail.ReplicateKeyRequest{KeyID: mrk, ReplicaRegion: "eu-west-1"},
		resp: &kmstrail.ReplicateKeyResponse{ReplicaKeyMetadata: &kmstrail.KeyMetadata{
			AWSAccountID: kmstrailtest.DefaultAccount, KeyID: mrk, ARN: "arn:aws:kms:eu-west-1:111122223333:key/" + mrk,
			CreationDate: kmstrail.TimeOf(time.Date(2025, 5, 21, 5, 42, 31, 0, time.UTC)), KeyState: types.KeyStateCreating, MultiRegion: true,
		}},
		key: arnM,
	},
	kmstrail.OpRetireGrant: {
		// CloudTrail logs RetireGrant's request as null.
		req:  (*kmstrail.RetireGrantRequest)(nil),
		opts: opts(kmstrailtest.AdditionalEventData(&kmstrail.KMSAdditionalEventData{GrantID: material})),
		key:  arnA,
	},
	kmstrail.OpRevokeGrant:         {req: &kmstrail.RevokeGrantRequest{KeyID: keyA, GrantID: material}, key: arnA},
	kmstrail.OpRotateKey:           {req: (*kmstrail.RotateKeyRequest)(nil), key: arnA},
	kmstrail.OpRotateKeyOnDemand:   {req: &kmstrail.RotateKeyOnDemandRequest{KeyID: keyA}, key: arnA},
	kmstrail.OpScheduleKeyDeletion: {req: &kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 20}, key: arnA},
	kmstrail.OpSign: {
		req: &kmstrail.SignRequest{KeyID: keyB, SigningAlgorithm: types.SigningAlgorithmSpecRsassaPkcs1V15Sha256, MessageType: types.MessageTypeRaw}, key: arnB,
	},
	kmstrail.OpSynchronizeMultiRegionKey: {req: (*kmstrail.SynchronizeMultiRegionKeyRequest)(nil), opts: opts(kmstrailtest.Key(mrk)), key: arnM},
	kmstrail.OpTagResource:               {req: &kmstrail.TagResourceRequest{KeyID: arnA, Tags: []kmstrail.Tag{{TagKey: "Department", TagValue: "IT"}}}, key: arnA},
	kmstrail.OpUntagResource:             {req: &kmstrail.UntagResourceRequest{KeyID: arnA, TagKeys: []string{"Dept"}}, key: arnA},
	kmstrail.OpUpdateAlias:               {req: &kmstrail.UpdateAliasRequest{AliasName: "alias/ExampleAlias", TargetKeyID: keyB}, key: arnB},
	kmstrail.OpUpdateCustomKeyStore:      {req: &kmstrail.UpdateCustomKeyStoreRequest{CustomKeyStoreID: "cks-1234567890abcdef0", ClusterID: "cluster-1a23b4cdefg"}},
	kmstrail.OpUpdateKeyDescription:      {req: &kmstrail.UpdateKeyDescriptionRequest{KeyID: keyA, Description: "New key description"}, key: arnA},
	kmstrail.OpUpdatePrimaryRegion:       {req: &kmstrail.UpdatePrimaryRegionRequest{KeyID: mrk, PrimaryRegion: "ap-northeast-1"}, key: arnM},
	kmstrail.OpVerify: {
		req: &kmstrail.VerifyRequest{KeyID: keyB, SigningAlgorithm: types.SigningAlgorithmSpecRsassaPkcs1V15Sha256, MessageType: types.MessageTypeRaw}, key: arnB,
	},
	kmstrail.OpVerifyMac: {req: &kmstrail.VerifyMacRequest{KeyID: arnA, MacAlgorithm: types.MacAlgorithmSpecHmacSha384}, key: arnA},
}

func opts(o ...kmstrailtest.Option) []kmstrailtest.Option { return o }

// TestKMSEveryOperation builds every operation kmstrail types and checks
// what production code would see: the operation, the key, no diagnostics,
// the request as given, and a record that marshals back to its bytes. It
// also compares the record's shape (readOnly, eventType, identity,
// resources, null members, service event details, TLS) with the
// operation's fixture in ../testdata/kms, which follows the KMS developer
// guide's examples.
func TestKMSEveryOperation(t *testing.T) {
	ops := kmstrail.KMSOperations()
	require.Len(t, opCases, len(ops), "opCases has one case per operation")
	for _, op := range ops {
		c, ok := opCases[op]
		require.True(t, ok, "opCases lacks %s", op)
		t.Run(string(op), func(t *testing.T) {
			ev := kmstrailtest.KMS(c.req, c.resp, c.opts...)
			require.NotNil(t, ev.KMS)
			assert.Equal(t, op, ev.KMS.Operation)
			assert.Equal(t, c.key, ev.KMS.Key.ARN, "key")
			assert.Empty(t, ev.Diagnostics)

			again, err := json.Marshal(ev)
			require.NoError(t, err)
			assert.JSONEq(t, string(ev.Raw), string(again), "the Event marshals back to its record")
			if c.req != nil && ev.KMS.Request != nil {
				assert.JSONEq(t, marshal(t, c.req), marshal(t, ev.KMS.Request), "the request as given")
			}
			if c.resp != nil {
				assert.JSONEq(t, marshal(t, c.resp), marshal(t, ev.KMS.Response), "the response as given")
			}

			fixture := fixtureOf(t, op)
			got := shapeOf(t, ev.Raw)
			assert.Equal(t, fixture, got, "the record's shape differs from ../testdata/kms's %s fixture", op)
		})
	}
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// shape is what a record's fixture and the kit's record must agree on.
type shape struct {
	ReadOnly         bool
	EventType        string
	IdentityType     bool // userIdentity has a type (not KMS's own events)
	Resources        int  // -1 when absent
	RequestID        bool
	RequestNull      bool
	ResponseNull     bool
	ServiceEvent     bool
	AdditionalEvent  bool
	TLS              bool
	ManagementAndCat bool
}

func shapeOf(t *testing.T, rec []byte) shape {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(rec, &m))
	var s shape
	_ = json.Unmarshal(m["readOnly"], &s.ReadOnly)
	_ = json.Unmarshal(m["eventType"], &s.EventType)
	var ui map[string]any
	_ = json.Unmarshal(m["userIdentity"], &ui)
	_, s.IdentityType = ui["type"]
	s.Resources = -1
	if r, ok := m["resources"]; ok {
		var list []any
		require.NoError(t, json.Unmarshal(r, &list))
		s.Resources = len(list)
	}
	_, s.RequestID = m["requestID"]
	s.RequestNull = string(m["requestParameters"]) == "null"
	s.ResponseNull = string(m["responseElements"]) == "null"
	_, s.ServiceEvent = m["serviceEventDetails"]
	_, s.AdditionalEvent = m["additionalEventData"]
	_, s.TLS = m["tlsDetails"]
	_, mgmt := m["managementEvent"]
	_, cat := m["eventCategory"]
	s.ManagementAndCat = mgmt && cat
	return s
}

// fixtureVariants are the fixtures that stand for their operation, where
// it has no "basic" one.
var fixtureVariants = map[kmstrail.Operation]string{
	kmstrail.OpCreateAlias:                     "CreateAlias-2025",
	kmstrail.OpDeleteAlias:                     "DeleteAlias-2025",
	kmstrail.OpImportKeyMaterial:               "ImportKeyMaterial-2025",
	kmstrail.OpReEncrypt:                       "ReEncrypt-2025",
	kmstrail.OpRotateKey:                       "RotateKey-automatic",
	kmstrail.OpUpdateAlias:                     "UpdateAlias-2025",
	kmstrail.OpUpdatePrimaryRegion:             "UpdatePrimaryRegion-old-region",
	kmstrail.OpGenerateDataKeyWithoutPlaintext: "GenerateDataKeyWithoutPlaintext-alias-arn",
}

// fixtureOf returns the shape of the operation's fixture in ../testdata/kms.
func fixtureOf(t *testing.T, op kmstrail.Operation) shape {
	t.Helper()
	name, ok := fixtureVariants[op]
	if !ok {
		name = string(op) + "-basic"
	}
	data, err := os.ReadFile(filepath.Join("..", "testdata", "kms", name+".json"))
	require.NoError(t, err)
	return shapeOf(t, data)
}

// TestKMSFixturesCovered checks that fixtureVariants names fixtures that
// exist, so that a renamed fixture does not silently drop out.
func TestKMSFixturesCovered(t *testing.T) {
	for op, name := range fixtureVariants {
		_, err := os.Stat(filepath.Join("..", "testdata", "kms", name+".json"))
		assert.NoError(t, err, "%s", op)
		assert.True(t, strings.HasPrefix(name, string(op)+"-"), "%s stands for %s", name, op)
	}
	assert.True(t, slices.IsSorted(kmstrail.KMSOperations()))
}
