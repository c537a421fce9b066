package kmstrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureConflicts lists the fixtures whose KeyConflict diagnostics are
// meant: the key belongs to another account than the record's recipient.
var fixtureConflicts = map[string]bool{
	"Decrypt-cross-account-caller": true,
}

// readFixture decodes one testdata/kms fixture.
func readFixture(t *testing.T, name string) *Event {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "kms", name+".json"))
	require.NoError(t, err)
	ev, err := Parse(data)
	require.NoError(t, err, name)
	require.NotNil(t, ev.KMS, name)
	return ev
}

// TestKMSFixtures decodes every fixture of testdata/kms and checks that its
// request and response are typed, that nothing is unmodeled or
// mismatched, that its principal key is the one fixtureKeys names, and
// that its typed view is the one in testdata/kms/golden (-update rewrites
// them).
func TestKMSFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "kms", "*.json"))
	require.NoError(t, err)
	require.Len(t, files, len(fixtureKeys), "every fixture has an expected key")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			ev := readFixture(t, name)
			call := ev.KMS
			assert.Equal(t, Operation(ev.EventName), call.Operation)
			_, modeled := kmsModels[call.Operation]
			assert.True(t, modeled, "%s is not modeled", call.Operation)
			for _, m := range []KMSMessage{call.Request, call.Response} {
				if m == nil {
					continue
				}
				assert.NotEqual(t, "*kmstrail.RawKMSMessage", fmt.Sprintf("%T", m))
				assert.Equal(t, call.Operation, m.KMSOperation())
			}
			assert.Equal(t, len(ev.RequestParameters) > 0, call.Request != nil)
			assert.Equal(t, len(ev.ResponseElements) > 0, call.Response != nil)
			for _, d := range ev.Diagnostics {
				switch d.Kind {
				case Unmodeled, Mismatched, Duplicate, Redacted:
					t.Errorf("unexpected diagnostic %v", d)
				case KeyConflict:
					assert.True(t, fixtureConflicts[name], "unexpected diagnostic %v", d)
				}
			}
			want, ok := fixtureKeys[name]
			require.True(t, ok, "fixtureKeys has no entry for %s", name)
			assert.Equal(t, want, call.Key.ARN, "principal key")

			view, err := json.MarshalIndent(call, "", "  ")
			require.NoError(t, err)
			checkGolden(t, filepath.Join("testdata", "kms", "golden", name+".golden"), append(view, '\n'))
		})
	}
}

// checkGolden compares got with a golden file, rewriting it under -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got), "mismatch with %s (-want +got)", path)
}

// TestKMSEveryEvent checks that every KMS event name kmstrail models has a
// fixture, and that the SDK's operations are all modeled.
func TestKMSEveryEvent(t *testing.T) {
	have := map[Operation]bool{}
	files, _ := filepath.Glob(filepath.Join("testdata", "kms", "*.json"))
	for _, f := range files {
		name := filepath.Base(f)
		have[Operation(name[:strings.IndexByte(name, '-')])] = true
	}
	ops := KMSOperations()
	assert.True(t, slices.IsSorted(ops), "KMSOperations is sorted")
	assert.Equal(t, ops, KMSOperations(), "KMSOperations is stable")
	// The SDK's operations, and the events KMS writes itself: a new
	// operation needs its structs, its registration and a fixture, and
	// nothing here.
	sdk := map[Operation]bool{}
	client := reflect.TypeFor[*kms.Client]()
	for i := range client.NumMethod() {
		m := client.Method(i)
		if m.Type.NumIn() == 4 && m.Type.In(2).String() == "*kms."+m.Name+"Input" {
			sdk[Operation(m.Name)] = true
		}
	}
	require.Greater(t, len(sdk), 50)
	family := registeredFamilies(t)
	for op := range sdk {
		assert.Contains(t, ops, op, "the SDK's %s is not modeled", op)
	}
	for _, op := range ops {
		assert.True(t, sdk[op] || family[op] == "written by KMS", "%s is neither the SDK's nor written by KMS", op)
	}
	for _, op := range ops {
		assert.True(t, have[op], "no fixture for %s", op)
		m := kmsModels[op]
		for _, typ := range []any{m.request, m.response} {
			assert.NotNil(t, typ, "%s lacks a request or response type", op)
		}
	}
}

// TestKMSTypedValues checks typed, normalized values of representative
// fixtures, each chosen for a quirk of the event it records.
func TestKMSTypedValues(t *testing.T) {
	for _, tt := range typedValueTests {
		t.Run(tt.fixture, func(t *testing.T) {
			tt.check(t, readFixture(t, tt.fixture))
		})
	}
}

// utc returns a time of day in UTC.
func utc(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

// typedValueTests are the cases of TestKMSTypedValues: a fixture and what
// its typed view must hold.
var typedValueTests = []struct {
	fixture string
	check   func(t *testing.T, ev *Event)
}{
	{"ScheduleKeyDeletion-24h-pm", func(t *testing.T, ev *Event) {
		// ct-schedule-key-deletion (2023): a 24-hour hour with PM.
		resp := ev.KMS.Response.(*ScheduleKeyDeletionResponse)
		assert.Equal(t, utc(2021, 4, 12, 18, 58, 30), resp.DeletionDate.Time)
		assert.Equal(t, DialectJava24HourMarker, resp.DeletionDate.Dialect)
		assert.Equal(t, types.KeyStatePendingDeletion, resp.KeyState)
		assert.True(t, slices.ContainsFunc(ev.Diagnostics, func(d Diagnostic) bool {
			return d.Kind == Normalized && d.Pointer == "/responseElements/deletionDate"
		}), "diagnostics: %v", ev.Diagnostics)
		assert.EqualValues(t, 7, ev.KMS.Request.(*ScheduleKeyDeletionRequest).PendingWindowInDays)
	}},
	{"CreateKey-basic", func(t *testing.T, ev *Event) {
		resp := ev.KMS.Response.(*CreateKeyResponse)
		md := resp.KeyMetadata
		assert.Equal(t, DialectJavaMedium, md.CreationDate.Dialect)
		assert.Equal(t, ev.EventTime, md.CreationDate.Time, "the fixture creates the key when the event happens")
		assert.Equal(t, "111122223333", md.AWSAccountID)
		assert.Equal(t, types.KeySpecSymmetricDefault, md.KeySpec)
		assert.Equal(t, types.CustomerMasterKeySpecSymmetricDefault, md.CustomerMasterKeySpec)
		assert.Equal(t, KeyFromKeyMetadata, ev.KMS.Key.ARNSource)
	}},
	{"CreateKey-cloudhsm", func(t *testing.T, ev *Event) {
		// "aWSAccountId", as KMS's Java serializer sometimes writes it.
		md := ev.KMS.Response.(*CreateKeyResponse).KeyMetadata
		assert.Equal(t, "111122223333", md.AWSAccountID)
		assert.Equal(t, types.OriginTypeAwsCloudhsm, md.Origin)
		assert.Equal(t, "cluster-7kx3n9qd2wp", md.CloudHSMClusterID)
		assert.Contains(t, ev.KMS.AdditionalEventData.BackingKey, "backingKeyId")
		assert.Empty(t, ev.KMS.Request.(*CreateKeyRequest).Description)
	}},
	{"CreateKey-multi-region", func(t *testing.T, ev *Event) {
		md := ev.KMS.Response.(*CreateKeyResponse).KeyMetadata
		assert.True(t, md.MultiRegion)
		require.NotNil(t, md.MultiRegionConfiguration)
		assert.Equal(t, types.MultiRegionKeyTypePrimary, md.MultiRegionConfiguration.MultiRegionKeyType)
		assert.Equal(t, ev.KMS.Key.ARN, md.MultiRegionConfiguration.PrimaryKey.Key().ARN)
	}},
	{"ReEncrypt-2025", func(t *testing.T, ev *Event) {
		req := ev.KMS.Request.(*ReEncryptRequest)
		assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", req.SourceKey.ARN)
		assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321", req.DestinationKey.ARN)
		assert.Equal(t, KeyFromResources, req.DestinationKey.ARNSource)
		assert.Equal(t, map[string]string{"tenant": "acme-logistics", "purpose": "order-archive"}, req.SourceEncryptionContext)
		ad := ev.KMS.AdditionalEventData
		assert.Equal(t, "a2b7a8744b561e477d368d461504b50b4c9713a1d55f2f1f7786a30065132397", ad.SourceKeyMaterialID)
		assert.Equal(t, "22b63463d1b0f007f8361066dca347e9f5bc53281f274ec08906c7df8b88c811", ad.DestinationKeyMaterialID)
	}},
	{"GenerateDataKey-alias", func(t *testing.T, ev *Event) {
		// alias-ct: the alias is in the request, the key ARN in resources.
		assert.Equal(t, "alias/orders-data-key", ev.KMS.Key.Alias)
		assert.Equal(t, KeyFromResources, ev.KMS.Key.ARNSource)
		assert.Equal(t, types.DataKeySpecAes256, ev.KMS.Request.(*GenerateDataKeyRequest).KeySpec)
	}},
	{"CreateAlias-2025", func(t *testing.T, ev *Event) {
		req := ev.KMS.Request.(*CreateAliasRequest)
		assert.Equal(t, "alias/orders-data-key", ev.KMS.Key.Alias)
		assert.Equal(t, ev.KMS.Key, req.TargetKey)
		assert.Equal(t, KeyFromResponse, ev.KMS.Key.ARNSource)
	}},
	{"UpdatePrimaryRegion-old-region", func(t *testing.T, ev *Event) {
		req := ev.KMS.Request.(*UpdatePrimaryRegionRequest)
		assert.Equal(t, "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", req.OldPrimaryKey.ARN)
		assert.Equal(t, "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", req.NewPrimaryKey.ARN)
		assert.True(t, req.NewPrimaryKey.Derived())
	}},
	{"UpdatePrimaryRegion-new-region", func(t *testing.T, ev *Event) {
		// Written in the new primary's Region, by KMS for the caller.
		req := ev.KMS.Request.(*UpdatePrimaryRegionRequest)
		assert.Equal(t, "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", req.NewPrimaryKey.ARN)
		assert.True(t, req.OldPrimaryKey.IsZero())
		assert.Equal(t, "kms.amazonaws.com", ev.UserIdentity.InvokedBy)
	}},
	{"ReplicateKey-basic", func(t *testing.T, ev *Event) {
		req := ev.KMS.Request.(*ReplicateKeyRequest)
		resp := ev.KMS.Response.(*ReplicateKeyResponse)
		want := "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
		assert.Equal(t, want, req.ReplicaKey.ARN)
		assert.Equal(t, want, resp.ReplicaKey.ARN)
		assert.Equal(t, KeyFromKeyMetadata, resp.ReplicaKey.ARNSource)
		assert.Equal(t, types.KeyStateCreating, resp.ReplicaKeyMetadata.KeyState)
		doc, err := resp.ReplicaPolicy.Parse()
		require.NoError(t, err)
		assert.NotEmpty(t, doc.Statement)
	}},
	{"CreateGrant-service-principal", func(t *testing.T, ev *Event) {
		req := ev.KMS.Request.(*CreateGrantRequest)
		assert.Equal(t, "dynamodb.amazonaws.com", req.Grantee())
		assert.Equal(t, "dynamodb.amazonaws.com", req.Retiring())
		assert.Equal(t, "arn:aws:dynamodb:us-east-1:111122223333:table/orders-ledger", req.Constraints.SourceARN)
		assert.Equal(t, []types.GrantOperation{types.GrantOperationEncrypt, types.GrantOperationDecrypt, types.GrantOperationGenerateDataKey}, req.Operations)
		assert.Equal(t, "a40712f5a738917bda74f2e14dfd74e4166b0441b74b73f83346be26c358fa1f", ev.KMS.Response.(*CreateGrantResponse).GrantID)
	}},
	{"ListGrants-basic", func(t *testing.T, ev *Event) {
		// The marker is written with \u003d escapes (Gson).
		req := ev.KMS.Request.(*ListGrantsRequest)
		assert.True(t, strings.HasSuffix(req.Marker, "=="), req.Marker)
		assert.EqualValues(t, 25, req.Limit)
	}},
	{"PutKeyPolicy-basic", func(t *testing.T, ev *Event) {
		req := ev.KMS.Request.(*PutKeyPolicyRequest)
		doc, err := req.Policy.Parse()
		require.NoError(t, err)
		assert.Equal(t, "2012-10-17", doc.Version)
		assert.Equal(t, StringList{"arn:aws:iam::111122223333:root"}, doc.Statement[0].Principal["AWS"])
		assert.Equal(t, StringList{"kms:*"}, doc.Statement[0].Action)
		assert.Contains(t, doc.Statement[1].Action, "kms:ScheduleKeyDeletion")
	}},
	{"RotateKey-on-demand", func(t *testing.T, ev *Event) {
		sed := ev.KMS.ServiceEventDetails
		assert.Equal(t, types.RotationTypeOnDemand, sed.RotationType)
		assert.Equal(t, types.OriginTypeExternal, sed.KeyOrigin)
		assert.Equal(t, "AwsServiceEvent", ev.EventType)
		assert.Equal(t, "AWSService", ev.Principal().Type)
		assert.Nil(t, ev.KMS.Request)
	}},
	{"DeleteKey-cloudhsm", func(t *testing.T, ev *Event) {
		ad := ev.KMS.AdditionalEventData
		assert.Equal(t, "cks-5e2b8d1f4a7c90e36", ad.CustomKeyStoreID)
		assert.Contains(t, ad.BackingKeysDeletionStatus, "SUCCESS")
		assert.Equal(t, KeyFromResponse, ev.KMS.Key.ARNSource)
	}},
	{"DeleteExpiredKeyMaterial-basic", func(t *testing.T, ev *Event) {
		assert.Equal(t, "f7fccbab90e4c1ffe0fbb548f6568f4386397fe20ad7e5196f3add2968431a91", ev.KMS.ServiceEventDetails.KeyMaterialID)
		assert.Equal(t, KeyFromResources, ev.KMS.Key.ARNSource)
	}},
	{"Decrypt-attested", func(t *testing.T, ev *Event) {
		r := ev.KMS.AdditionalEventData.Recipient
		require.NotNil(t, r)
		assert.Equal(t, "i-0c5e9a2b7d14f3e86-enc0193c7d2e5a8b46f", r.AttestationDocumentModuleID)
		assert.NotEmpty(t, r.AttestationDocumentEnclavePCR1)
	}},
	{"ImportKeyMaterial-reimport", func(t *testing.T, ev *Event) {
		req := ev.KMS.Request.(*ImportKeyMaterialRequest)
		assert.Equal(t, types.ImportTypeExistingKeyMaterial, req.ImportType)
		assert.Equal(t, types.ExpirationModelTypeKeyMaterialDoesNotExpire, req.ExpirationModel)
		assert.False(t, req.ValidTo.Valid())
	}},
	{"EnableKeyRotation-basic", func(t *testing.T, ev *Event) {
		assert.EqualValues(t, 90, ev.KMS.Request.(*EnableKeyRotationRequest).RotationPeriodInDays)
	}},
	{"Decrypt-pqtls", func(t *testing.T, ev *Event) {
		assert.Equal(t, "X25519MLKEM768", ev.TLSDetails.KeyExchange)
	}},
	{"Decrypt-cross-account-caller", func(t *testing.T, ev *Event) {
		assert.True(t, slices.ContainsFunc(ev.Diagnostics, func(d Diagnostic) bool { return d.Kind == KeyConflict }))
	}},
	{"RotateKeyOnDemand-basic", func(t *testing.T, ev *Event) {
		// The response holds the key ID, not the ARN.
		resp := ev.KMS.Response.(*RotateKeyOnDemandResponse)
		assert.NotContains(t, resp.KeyID, "arn:")
		assert.Equal(t, resp.KeyID, ev.KMS.Key.ID)
	}},
	{"RetireGrant-basic", func(t *testing.T, ev *Event) {
		assert.Nil(t, ev.KMS.Request)
		assert.NotEmpty(t, ev.KMS.AdditionalEventData.GrantID)
		assert.Equal(t, KeyFromResources, ev.KMS.Key.ARNSource)
	}},
	{"GenerateRandom-basic", func(t *testing.T, ev *Event) {
		assert.True(t, ev.KMS.Key.IsZero())
	}},
	{"SynchronizeMultiRegionKey-basic", func(t *testing.T, ev *Event) {
		assert.Equal(t, "AwsApiCall", ev.EventType)
		assert.Equal(t, "AWS Internal", ev.UserIdentity.InvokedBy)
		assert.Equal(t, KeyFromResponse, ev.KMS.Key.ARNSource)
	}},
	{"TagResource-basic", func(t *testing.T, ev *Event) {
		tags := TagMap(ev.KMS.Request.(*TagResourceRequest).Tags)
		assert.NotEmpty(t, tags)
	}},
	{"CreateCustomKeyStore-basic", func(t *testing.T, ev *Event) {
		req := ev.KMS.Request.(*CreateCustomKeyStoreRequest)
		assert.NotEmpty(t, req.ClusterID)
		assert.NotEmpty(t, ev.KMS.Response.(*CreateCustomKeyStoreResponse).CustomKeyStoreID)
		assert.True(t, ev.KMS.Key.IsZero())
	}},
}

// TestKMSCorpus checks every KMS record of ../shared/corpus (read with
// Repair): each decodes into its typed operation, no member the catalogue
// documents is reported as unmodeled, and the principal key resolves to an
// ARN whenever the record names a key.
func TestKMSCorpus(t *testing.T) {
	n := 0
	for _, path := range corpusFiles(t) {
		r := openReader(t, path, true)
		for ev, err := range r.All() {
			if err != nil || ev.EventSource != KMSEventSource {
				continue
			}
			n++
			call := ev.KMS
			require.NotNil(t, call)
			_, modeled := kmsModels[call.Operation]
			assert.True(t, modeled, "%s: %s is not modeled", path, call.Operation)
			for _, m := range []KMSMessage{call.Request, call.Response} {
				assert.NotEqual(t, "*kmstrail.RawKMSMessage", fmt.Sprintf("%T", m), path)
			}
			for _, d := range ev.Diagnostics {
				assert.NotEqual(t, Unmodeled, d.Kind, "%s: %v", path, d)
				assert.NotEqual(t, Mismatched, d.Kind, "%s: %v", path, d)
			}
			if namesKey(ev) {
				assert.NotEmpty(t, call.Key.ARN, "%s: %s names a key, but it was not resolved", path, ev.EventName)
			}
		}
	}
	assert.Greater(t, n, 60, "KMS records in the corpus")
}

// namesKey reports whether a record names a KMS key anywhere: a keyId, a
// key ARN in resources, or key metadata.
func namesKey(ev *Event) bool {
	for _, r := range ev.Resources {
		if strings.Contains(r.ARN, ":key/") {
			return true
		}
	}
	for _, raw := range [][]byte{ev.RequestParameters, ev.ResponseElements, ev.ServiceEventDetails} {
		if bytes.Contains(raw, []byte(`"keyId"`)) || bytes.Contains(raw, []byte(`"targetKeyId"`)) {
			return true
		}
	}
	return false
}

// TestKMSDrift: a member the model does not know is kept and reported,
// naming the operation and the member.
func TestKMSDrift(t *testing.T) {
	ev, err := Parse([]byte(`{"eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"Encrypt",
		"awsRegion":"us-west-2","recipientAccountId":"111122223333",
		"requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","quantumSafe":true},
		"additionalEventData":{"keyMaterialId":"ab","newThing":1}}`))
	require.NoError(t, err)
	req := ev.KMS.Request.(*EncryptRequest)
	assert.JSONEq(t, `{"quantumSafe":true}`, string(req.Unknown))
	var msgs []string
	for _, d := range ev.Diagnostics {
		if d.Kind == Unmodeled {
			msgs = append(msgs, d.Pointer+": "+d.Message)
		}
	}
	assert.Equal(t, []string{
		`/requestParameters/quantumSafe: Encrypt: member "quantumSafe" is not in kmstrail's model; it is kept`,
		`/additionalEventData/newThing: Encrypt additionalEventData: member "newThing" is not in kmstrail's model; it is kept`,
	}, msgs)
	assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", ev.KMS.Key.ARN)

	// An event KMS has not announced still decodes, raw.
	ev, err = Parse([]byte(`{"eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"FutureOp",
		"requestParameters":{"keyId":"arn:aws:kms:us-west-2:111122223333:key/k"}}`))
	require.NoError(t, err)
	raw, ok := ev.KMS.Request.(*RawKMSMessage)
	require.True(t, ok)
	assert.Equal(t, Operation("FutureOp"), raw.KMSOperation())
	assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/k", ev.KMS.Key.ARN)
}

func TestParseKeyRef(t *testing.T) {
	tests := []struct {
		in   string
		want KeyRef
	}{
		{"1234abcd-12ab-34cd-56ef-1234567890ab", KeyRef{ID: "1234abcd-12ab-34cd-56ef-1234567890ab"}},
		{"mrk-1234abcd12ab34cd56ef1234567890ab", KeyRef{ID: "mrk-1234abcd12ab34cd56ef1234567890ab"}},
		{"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", KeyRef{
			ID: "1234abcd-12ab-34cd-56ef-1234567890ab", ARN: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			Partition: "aws", Region: "us-west-2", Account: "111122223333"}},
		{"alias/ExampleAlias", KeyRef{Alias: "alias/ExampleAlias"}},
		// 2023 services-cloudtrail: an alias name with a space.
		{"arn:aws:kms:us-west-2:111122223333:alias/ExampleAliasForCloudTrailKMS key", KeyRef{
			Alias: "alias/ExampleAliasForCloudTrailKMS key", Partition: "aws", Region: "us-west-2", Account: "111122223333"}},
		{"arn:aws-cn:kms:cn-north-1:111122223333:key/k", KeyRef{ID: "k", ARN: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
			Partition: "aws-cn", Region: "cn-north-1", Account: "111122223333"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ParseKeyRef(tt.in), "ParseKeyRef(%q)", tt.in)
	}
}

// TestKeyConflicts: references that contradict each other are reported.
func TestKeyConflicts(t *testing.T) {
	ev, err := Parse([]byte(`{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"Encrypt",
		"awsRegion":"us-west-2","recipientAccountId":"111122223333",
		"requestParameters":{"keyId":"alias/orders"},
		"responseElements":{"keyId":"arn:aws:kms:us-west-2:111122223333:key/aaaa"},
		"resources":[{"ARN":"arn:aws:kms:us-west-2:111122223333:key/bbbb","type":"AWS::KMS::Key"}]}`))
	require.NoError(t, err)
	var conflicts []string
	for _, d := range ev.Diagnostics {
		if d.Kind == KeyConflict {
			conflicts = append(conflicts, d.Message)
		}
	}
	assert.Equal(t, []string{"Encrypt: resources name arn:aws:kms:us-west-2:111122223333:key/bbbb, which the event does not otherwise name"}, conflicts)
	assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/aaaa", ev.KMS.Key.ARN)

	ev, err = Parse([]byte(`{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"DisableKey",
		"awsRegion":"us-gov-west-1","recipientAccountId":"111122223333",
		"requestParameters":{"keyId":"aaaa"},"responseElements":{"keyId":"arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/cccc"}}`))
	require.NoError(t, err)
	require.Len(t, ev.Diagnostics, 1)
	assert.Contains(t, ev.Diagnostics[0].Message, "names key aaaa, not cccc")

	// A key ID alone: the ARN is derived, in the Region's partition.
	ev, err = Parse([]byte(`{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"DisableKey",
		"awsRegion":"cn-north-1","recipientAccountId":"111122223333","requestParameters":{"keyId":"aaaa"}}`))
	require.NoError(t, err)
	assert.Equal(t, "arn:aws-cn:kms:cn-north-1:111122223333:key/aaaa", ev.KMS.Key.ARN)
	assert.True(t, ev.KMS.Key.Derived())
}

func TestKeyPolicyParse(t *testing.T) {
	doc, err := KeyPolicy(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*",
		"Condition":{"StringNotEquals":{"kms:CallerAccount":["111122223333","444455556666"]}}}}`).Parse()
	require.NoError(t, err)
	require.Len(t, doc.Statement, 1)
	s := doc.Statement[0]
	assert.Equal(t, PolicyPrincipal{"*": {"*"}}, s.Principal)
	assert.Equal(t, StringList{"kms:Decrypt"}, s.Action)
	assert.Equal(t, StringList{"111122223333", "444455556666"}, s.Condition["StringNotEquals"]["kms:CallerAccount"])

	_, err = KeyPolicy(`{"Version":`).Parse()
	assert.True(t, errors.Is(err, ErrSyntax))
}

// fixtureKeys maps each fixture in testdata/kms to the ARN of the key the
// event is about (empty for events about no key), as worked out by hand
// from the documented semantics of each event.
var fixtureKeys = map[string]string{
	"CancelKeyDeletion-basic":                   "arn:aws:kms:us-west-2:111122223333:key/d4a8f2c6-3e9b-4a17-85d0-6b1c9e4f7a23",
	"ConnectCustomKeyStore-basic":               "",
	"CreateAlias-2025":                          "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"CreateAlias-pre2022":                       "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"CreateCustomKeyStore-basic":                "",
	"CreateGrant-basic":                         "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"CreateGrant-service-principal":             "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"CreateKey-asymmetric":                      "arn:aws:kms:us-west-2:111122223333:key/b5e9c3a7-2d4f-4816-9a0c-e7f1d3b5a982",
	"CreateKey-basic":                           "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"CreateKey-cloudhsm":                        "arn:aws:kms:us-west-2:111122223333:key/e8a1d4c7-2b9f-4e36-a5c0-7d3f9b1e6a24",
	"CreateKey-external":                        "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"CreateKey-multi-region":                    "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
	"CreateKey-xks":                             "arn:aws:kms:us-east-1:111122223333:key/4f7c2e9a-8d1b-4c53-b6e0-a2d5f8c1e947",
	"Decapsulate-basic":                         "arn:aws:kms:us-east-1:111122223333:key/9b4e2d7a-1c5f-4a83-8e6d-f03a7b5c2d91",
	"Decrypt-attested":                          "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"Decrypt-attested-nitrotpm":                 "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"Decrypt-basic":                             "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"Decrypt-cloudhsm":                          "arn:aws:kms:us-west-2:111122223333:key/e8a1d4c7-2b9f-4e36-a5c0-7d3f9b1e6a24",
	"Decrypt-cross-account-caller":              "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
	"Decrypt-cross-account-owner":               "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
	"Decrypt-failure":                           "arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
	"Decrypt-pqtls":                             "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"Decrypt-via-service":                       "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"Decrypt-xks":                               "arn:aws:kms:us-east-1:111122223333:key/4f7c2e9a-8d1b-4c53-b6e0-a2d5f8c1e947",
	"Decrypt-xks-failure":                       "arn:aws:kms:us-east-1:111122223333:key/4f7c2e9a-8d1b-4c53-b6e0-a2d5f8c1e947",
	"DeleteAlias-2025":                          "arn:aws:kms:us-west-2:111122223333:key/d4a8f2c6-3e9b-4a17-85d0-6b1c9e4f7a23",
	"DeleteCustomKeyStore-basic":                "",
	"DeleteExpiredKeyMaterial-basic":            "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"DeleteImportedKeyMaterial-basic":           "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"DeleteKey-basic":                           "arn:aws:kms:us-west-2:111122223333:key/d4a8f2c6-3e9b-4a17-85d0-6b1c9e4f7a23",
	"DeleteKey-cloudhsm":                        "arn:aws:kms:us-west-2:111122223333:key/e8a1d4c7-2b9f-4e36-a5c0-7d3f9b1e6a24",
	"DeriveSharedSecret-basic":                  "arn:aws:kms:us-west-2:111122223333:key/c7f2a9d1-6e3b-48c5-b0a4-9d2e7f1c3b58",
	"DescribeCustomKeyStores-basic":             "",
	"DescribeKey-basic":                         "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"DisableKey-basic":                          "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"DisableKey-pre2022":                        "arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
	"DisableKeyRotation-basic":                  "arn:aws:kms:us-west-2:111122223333:key/d4a8f2c6-3e9b-4a17-85d0-6b1c9e4f7a23",
	"DisconnectCustomKeyStore-basic":            "",
	"EnableKey-basic":                           "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"EnableKeyRotation-basic":                   "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"Encapsulate-basic":                         "arn:aws:kms:us-east-1:111122223333:key/9b4e2d7a-1c5f-4a83-8e6d-f03a7b5c2d91",
	"Encrypt-basic":                             "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GenerateDataKey-alias":                     "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GenerateDataKey-attested":                  "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GenerateDataKey-basic":                     "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GenerateDataKey-vpc-endpoint":              "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GenerateDataKeyPair-basic":                 "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GenerateDataKeyPairWithoutPlaintext-basic": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GenerateDataKeyWithoutPlaintext-alias-arn": "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
	"GenerateDataKeyWithoutPlaintext-basic":     "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GenerateDataKeyWithoutPlaintext-failure":   "arn:aws:kms:us-west-2:111122223333:key/b5e9c3a7-2d4f-4816-9a0c-e7f1d3b5a982",
	"GenerateMac-basic":                         "arn:aws:kms:us-west-2:111122223333:key/5a1c7e9b-3d2f-4b86-9e0a-c4d8f2b61a37",
	"GenerateRandom-basic":                      "",
	"GetKeyLastUsage-basic":                     "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GetKeyPolicy-basic":                        "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GetKeyRotationStatus-basic":                "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"GetParametersForImport-basic":              "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"GetPublicKey-basic":                        "arn:aws:kms:us-west-2:111122223333:key/b5e9c3a7-2d4f-4816-9a0c-e7f1d3b5a982",
	"ImportKeyMaterial-2025":                    "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"ImportKeyMaterial-pre2022":                 "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"ImportKeyMaterial-reimport":                "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"ListAliases-basic":                         "",
	"ListGrants-basic":                          "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"ListKeyPolicies-basic":                     "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"ListKeyRotations-basic":                    "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"ListKeys-basic":                            "",
	"ListResourceTags-basic":                    "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"ListRetirableGrants-basic":                 "",
	"PutKeyPolicy-basic":                        "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"ReEncrypt-2025":                            "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"ReplicateKey-basic":                        "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
	"RetireGrant-basic":                         "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"RevokeGrant-basic":                         "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"RotateKey-automatic":                       "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"RotateKey-on-demand":                       "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"RotateKeyOnDemand-basic":                   "arn:aws:kms:us-west-2:111122223333:key/6c2e8a4f-1d7b-4e95-8c3a-b5f0d2e9a716",
	"ScheduleKeyDeletion-24h-pm":                "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"ScheduleKeyDeletion-basic":                 "arn:aws:kms:us-west-2:111122223333:key/d4a8f2c6-3e9b-4a17-85d0-6b1c9e4f7a23",
	"ScheduleKeyDeletion-cloudhsm":              "arn:aws:kms:us-west-2:111122223333:key/e8a1d4c7-2b9f-4e36-a5c0-7d3f9b1e6a24",
	"ScheduleKeyDeletion-multi-region":          "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
	"Sign-basic":                                "arn:aws:kms:us-west-2:111122223333:key/b5e9c3a7-2d4f-4816-9a0c-e7f1d3b5a982",
	"SynchronizeMultiRegionKey-basic":           "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
	"TagResource-basic":                         "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"UntagResource-basic":                       "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"UpdateAlias-2025":                          "arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
	"UpdateCustomKeyStore-basic":                "",
	"UpdateKeyDescription-basic":                "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"UpdatePrimaryRegion-new-region":            "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
	"UpdatePrimaryRegion-old-region":            "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
	"Verify-basic":                              "arn:aws:kms:us-west-2:111122223333:key/b5e9c3a7-2d4f-4816-9a0c-e7f1d3b5a982",
	"VerifyMac-basic":                           "arn:aws:kms:us-west-2:111122223333:key/5a1c7e9b-3d2f-4b86-9e0a-c4d8f2b61a37",
}

// TestDocsListEveryEvent keeps the table of KMS events in docs/kms-events.md
// in step with the models.
func TestDocsListEveryEvent(t *testing.T) {
	readme, err := os.ReadFile("docs/kms-events.md")
	require.NoError(t, err)
	for _, op := range KMSOperations() {
		m := kmsModels[op]
		row := fmt.Sprintf("| %s | ", op)
		assert.Contains(t, string(readme), row, "README lacks a row for %s", op)
		for _, typ := range []string{m.request.Elem().Name(), m.response.Elem().Name()} {
			assert.Contains(t, string(readme), "`"+typ+"`", "README lacks %s", typ)
		}
	}
}

// TestKMSMessagesMarshal checks that every typed message marshals with
// encoding/json and json/v2 as KMSCall shows it: the wire names and the
// normalized values, whether the message was decoded or built.
func TestKMSMessagesMarshal(t *testing.T) {
	marshalers := []struct {
		name    string
		marshal func(any) ([]byte, error)
	}{
		{"encoding/json", json.Marshal},
		{"json/v2", func(v any) ([]byte, error) { return jsonv2.Marshal(v) }},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "kms", "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		ev := readFixture(t, name)
		var view struct {
			Request, Response json.RawMessage
		}
		b, err := json.Marshal(ev.KMS)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &view))
		for _, m := range marshalers {
			for _, msg := range []struct {
				v    KMSMessage
				want json.RawMessage
			}{{ev.KMS.Request, view.Request}, {ev.KMS.Response, view.Response}} {
				if msg.v == nil {
					continue
				}
				got, err := m.marshal(msg.v)
				if assert.NoError(t, err, "%s: %s of %T", name, m.name, msg.v) {
					assert.JSONEq(t, string(msg.want), string(got), "%s: %s of %T", name, m.name, msg.v)
				}
			}
		}
	}

	built := &ImportKeyMaterialRequest{
		KeyID:           "1234abcd-12ab-34cd-56ef-1234567890ab",
		ValidTo:         TimeOf(time.Date(2025, 5, 21, 5, 47, 45, 0, time.UTC)),
		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
	}
	want := `{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","validTo":"2025-05-21T05:47:45Z","expirationModel":"KEY_MATERIAL_EXPIRES"}`
	for _, m := range marshalers {
		got, err := m.marshal(built)
		require.NoError(t, err, m.name)
		assert.Equal(t, want, string(got), m.name)
	}
	nested := &CreateKeyResponse{KeyMetadata: &KeyMetadata{KeyID: "k", Enabled: true}}
	for _, m := range marshalers {
		got, err := m.marshal(nested)
		require.NoError(t, err, m.name)
		assert.Equal(t, `{"keyMetadata":{"keyId":"k","enabled":true}}`, string(got), "%s writes only the members set", m.name)
	}
}

// TestPartition checks the partitions of Regions, as derived key ARNs use
// them.
func TestPartition(t *testing.T) {
	tests := []struct{ region, want string }{
		{"us-west-2", "aws"},
		{"eu-central-1", "aws"},
		{"cn-north-1", "aws-cn"},
		{"us-gov-west-1", "aws-us-gov"},
		{"us-iso-east-1", "aws-iso"},
		{"us-isob-east-1", "aws-iso-b"},
		{"eusc-de-east-1", "aws-eusc"},
		{"", "aws"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Partition(tt.region), "Partition(%q)", tt.region)
	}
	ev, err := Parse([]byte(`{"eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"DescribeKey","awsRegion":"cn-north-1","recipientAccountId":"111122223333","requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab"},"responseElements":null}`))
	require.NoError(t, err)
	assert.Equal(t, "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", ev.KMS.Key.ARN)
}
