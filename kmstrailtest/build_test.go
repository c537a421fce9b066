package kmstrailtest_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// importRequest is the ImportKeyMaterial request most tests build.
func importRequest() *kmstrail.ImportKeyMaterialRequest {
	return &kmstrail.ImportKeyMaterialRequest{
		KeyID:           keyA,
		ValidTo:         kmstrail.TimeOf(validTo),
		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
		ImportType:      types.ImportTypeNewKeyMaterial,
	}
}

// member returns a top-level member of a record as written, or nil when
// absent.
func member(t *testing.T, rec []byte, name string) jsontext.Value {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(rec, &m))
	return jsontext.Value(m[name])
}

// TestGolden compares the exact records of a few builds with the files in
// testdata (indented for reading); go test -update rewrites them.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		ev   *kmstrail.Event
	}{
		{"ImportKeyMaterial", kmstrailtest.KMS(importRequest(), nil)},
		{"ImportKeyMaterial-pre2022", kmstrailtest.KMS(importRequest(), nil, kmstrailtest.PreDecember2022())},
		{"Decrypt-failed", kmstrailtest.KMS(&kmstrail.DecryptRequest{KeyID: arnB, EncryptionContext: ctx},
			nil, kmstrailtest.AssumedRole("orders-task", "7f3b"), kmstrailtest.Failed("AccessDeniedException", "User is not authorized to perform: kms:Decrypt"))},
		{"CreateKey", kmstrailtest.KMS(&kmstrail.CreateKeyRequest{Description: "Orders", KeySpec: types.KeySpecHmac256, KeyUsage: types.KeyUsageTypeGenerateVerifyMac}, nil)},
		{"RotateKey", kmstrailtest.KMS((*kmstrail.RotateKeyRequest)(nil), nil, kmstrailtest.Key(keyB))},
		{"PutObject", kmstrailtest.Event(kmstrailtest.Call("s3.amazonaws.com", "PutObject"),
			kmstrailtest.RequestParameters(map[string]string{"bucketName": "amzn-s3-demo-bucket", "key": "orders/2025/05.csv"}),
			kmstrailtest.EventCategory("Data"),
			kmstrailtest.Resources(kmstrail.Resource{Type: "AWS::S3::Object", ARN: "arn:aws:s3:::amzn-s3-demo-bucket/orders/2025/05.csv"}))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compact := bytes.Clone(tt.ev.Raw)
			require.NoError(t, (*jsontext.Value)(&compact).Compact())
			assert.Equal(t, string(compact), string(tt.ev.Raw), "records are written compact, as in CloudTrail's log files")
			got := bytes.Clone(tt.ev.Raw)
			require.NoError(t, (*jsontext.Value)(&got).Indent())
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.name+".json")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), string(got), "mismatch with %s (-want +got)", path)
		})
	}
}

// TestFailed checks failed calls: errorCode and errorMessage, a null
// response whatever was given, and the rest of the record unchanged.
func TestFailed(t *testing.T) {
	tests := []struct {
		name    string
		resp    kmstrail.KMSMessage
		message string
	}{
		{"no response", nil, "Key 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' is disabled."},
		{"response given", &kmstrail.ImportKeyMaterialResponse{KeyMaterialID: material}, "denied"},
		{"no message", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := kmstrailtest.KMS(importRequest(), tt.resp, kmstrailtest.Failed("KMSInvalidStateException", tt.message))
			assert.False(t, ev.Succeeded())
			assert.Equal(t, "KMSInvalidStateException", ev.ErrorCode)
			assert.Equal(t, tt.message, ev.ErrorMessage)
			assert.Equal(t, tt.message != "", member(t, ev.Raw, "errorMessage") != nil, "errorMessage is left out when empty")
			assert.Equal(t, "null", string(member(t, ev.Raw, "responseElements")))
			assert.Nil(t, ev.KMS.Response)
			require.NotNil(t, ev.KMS.Request, "the request is still logged")
			assert.Equal(t, arnA, ev.KMS.Key.ARN, "the key comes from the request and resources")
			assert.Len(t, ev.Resources, 1)
		})
	}

	ev := kmstrailtest.KMS(&kmstrail.DecryptRequest{KeyID: keyA}, nil, kmstrailtest.Failed("IncorrectKeyException", "wrong key"))
	assert.Nil(t, ev.AdditionalEventData, "a failed decryption used no key material")
}

// TestPreDecember2022 checks the older shape: no key ARN KMS did not log
// then, an older eventVersion without tlsDetails, dates without the comma
// after the year, and a default time before December 2022.
func TestPreDecember2022(t *testing.T) {
	tests := []struct {
		name         string
		req          kmstrail.KMSMessage
		resp         kmstrail.KMSMessage
		wantResponse string
	}{
		{"ImportKeyMaterial", importRequest(), nil, "null"},
		{"EnableKey", &kmstrail.EnableKeyRequest{KeyID: keyA}, nil, "null"},
		{"CreateAlias", &kmstrail.CreateAliasRequest{AliasName: "alias/orders", TargetKeyID: keyA}, nil, "null"},
		{"UntagResource given", &kmstrail.UntagResourceRequest{KeyID: keyA, TagKeys: []string{"a"}}, &kmstrail.UntagResourceResponse{}, "null"},
		{"CreateGrant", &kmstrail.CreateGrantRequest{KeyID: keyA, GranteePrincipal: "arn:aws:iam::111122223333:role/orders"}, &kmstrail.CreateGrantResponse{GrantID: material},
			`{"grantId":"` + material + `"}`},
		// CancelKeyDeletion returns the key ARN itself.
		{"CancelKeyDeletion", &kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, nil, `{"keyId":"` + arnA + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := kmstrailtest.KMS(tt.req, tt.resp, kmstrailtest.PreDecember2022())
			assert.JSONEq(t, tt.wantResponse, string(member(t, ev.Raw, "responseElements")))
			assert.Equal(t, "1.08", ev.EventVersion)
			assert.Nil(t, ev.TLSDetails)
			assert.True(t, ev.EventTime.Before(time.Date(2022, 12, 1, 0, 0, 0, 0, time.UTC)), "eventTime %v", ev.EventTime)
			assert.Equal(t, arnA, ev.KMS.Key.ARN, "the key still resolves, from resources")
			assert.Nil(t, ev.AdditionalEventData, "no key material IDs before 2025")
			assert.Empty(t, ev.Diagnostics)
		})
	}

	rotate := kmstrailtest.KMS((*kmstrail.RotateKeyRequest)(nil), nil, kmstrailtest.PreDecember2022())
	assert.JSONEq(t, `{"keyId":"`+keyA+`"}`, string(rotate.ServiceEventDetails), "before 2025 KMS named only the key")

	ev := kmstrailtest.KMS(importRequest(), nil, kmstrailtest.PreDecember2022(), kmstrailtest.Time(time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)))
	assert.Equal(t, time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC), ev.EventTime, "Time wins over the older default")
	assert.Contains(t, string(ev.RequestParameters), `"validTo":"May 21, 2026 5:47:45 AM"`)
}

// TestDates checks that the dates of KMS messages are written in KMS's
// form, wherever they are in the message, and read back as the instant
// given.
func TestDates(t *testing.T) {
	at := kmstrail.TimeOf(validTo)
	hour24, err := kmstrail.ParseTime("Apr 12, 2021 18:58:30 PM")
	require.NoError(t, err)
	tests := []struct {
		name        string
		req, resp   kmstrail.KMSMessage
		opts        []kmstrailtest.Option
		want        string // the text written
		wantDialect kmstrail.TimeDialect
		got         func(*kmstrail.Event) kmstrail.Time
	}{
		{
			name: "request, default", req: importRequest(),
			want: "May 21, 2026, 5:47:45 AM", wantDialect: kmstrail.DialectJavaMedium,
			got: func(ev *kmstrail.Event) kmstrail.Time {
				return ev.KMS.Request.(*kmstrail.ImportKeyMaterialRequest).ValidTo
			},
		},
		{
			name: "request, legacy layout", req: importRequest(), opts: opts(kmstrailtest.DateLayout(kmstrailtest.JavaDateLayoutLegacy)),
			want: "May 21, 2026 5:47:45 AM", wantDialect: kmstrail.DialectJavaMedium,
			got: func(ev *kmstrail.Event) kmstrail.Time {
				return ev.KMS.Request.(*kmstrail.ImportKeyMaterialRequest).ValidTo
			},
		},
		{
			name: "request, RFC 3339", req: importRequest(), opts: opts(kmstrailtest.DateLayout(time.RFC3339)),
			want: "2026-05-21T05:47:45Z", wantDialect: kmstrail.DialectRFC3339,
			got: func(ev *kmstrail.Event) kmstrail.Time {
				return ev.KMS.Request.(*kmstrail.ImportKeyMaterialRequest).ValidTo
			},
		},
		{
			name: "Time literal", req: &kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.Time{Time: validTo}},
			want: "May 21, 2026, 5:47:45 AM", wantDialect: kmstrail.DialectJavaMedium,
			got: func(ev *kmstrail.Event) kmstrail.Time {
				return ev.KMS.Request.(*kmstrail.ImportKeyMaterialRequest).ValidTo
			},
		},
		{
			name: "nested in key metadata", req: &kmstrail.DescribeKeyRequest{KeyID: keyA},
			resp: &kmstrail.DescribeKeyResponse{KeyMetadata: &kmstrail.KeyMetadata{KeyID: keyA, ValidTo: at}},
			want: "May 21, 2026, 5:47:45 AM", wantDialect: kmstrail.DialectJavaMedium,
			got: func(ev *kmstrail.Event) kmstrail.Time {
				return ev.KMS.Response.(*kmstrail.DescribeKeyResponse).KeyMetadata.ValidTo
			},
		},
		{
			name: "in a list", req: &kmstrail.ListKeyRotationsRequest{KeyID: keyA},
			resp: &kmstrail.ListKeyRotationsResponse{Rotations: []kmstrail.RotationListEntry{{KeyID: keyA}, {KeyID: keyA, RotationDate: at}}},
			want: "May 21, 2026, 5:47:45 AM", wantDialect: kmstrail.DialectJavaMedium,
			got: func(ev *kmstrail.Event) kmstrail.Time {
				return ev.KMS.Response.(*kmstrail.ListKeyRotationsResponse).Rotations[1].RotationDate
			},
		},
		{
			name: "a quirk kept as written", req: &kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA},
			resp: &kmstrail.ScheduleKeyDeletionResponse{KeyState: types.KeyStatePendingDeletion, DeletionDate: hour24},
			want: "Apr 12, 2021 18:58:30 PM", wantDialect: kmstrail.DialectJava24HourMarker,
			got: func(ev *kmstrail.Event) kmstrail.Time {
				return ev.KMS.Response.(*kmstrail.ScheduleKeyDeletionResponse).DeletionDate
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := kmstrailtest.KMS(tt.req, tt.resp, tt.opts...)
			got := tt.got(ev)
			assert.Equal(t, tt.want, got.Text)
			assert.Equal(t, tt.wantDialect, got.Dialect)
			want := validTo
			if tt.wantDialect == kmstrail.DialectJava24HourMarker {
				want = hour24.Time
			}
			assert.True(t, want.Equal(got.Time), "got %v, want %v", got.Time, want)
			assert.Contains(t, string(ev.Raw), `"`+tt.want+`"`)
		})
	}

	fine := kmstrail.TimeOf(validTo.Add(123 * time.Millisecond))
	ev := kmstrailtest.KMS(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: fine}, nil)
	assert.Equal(t, validTo, ev.KMS.Request.(*kmstrail.ImportKeyMaterialRequest).ValidTo.Time, "KMS's dates have whole seconds")
}

// TestDeterministic checks that a record built twice is the same, and that
// records that differ get different IDs.
func TestDeterministic(t *testing.T) {
	a := kmstrailtest.KMS(importRequest(), nil)
	b := kmstrailtest.KMS(importRequest(), nil)
	assert.Equal(t, string(a.Raw), string(b.Raw))
	c := kmstrailtest.KMS(importRequest(), nil, kmstrailtest.Time(time.Date(2025, 5, 21, 5, 42, 32, 0, time.UTC)))
	assert.NotEqual(t, a.EventID, c.EventID)
	assert.NotEqual(t, a.RequestID, c.RequestID)
	assert.NotEqual(t, a.EventID, a.RequestID)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a.EventID)
}

// TestPanics checks the builders' complaints about what they cannot build.
func TestPanics(t *testing.T) {
	assert.PanicsWithValue(t,
		"kmstrailtest.KMS: no request and no response: pass a typed nil pointer, such as (*kmstrail.RotateKeyRequest)(nil), to name the operation",
		func() { kmstrailtest.KMS(nil, nil) })
	assert.PanicsWithValue(t, "kmstrailtest.KMS: the request is ImportKeyMaterial's and the response Decrypt's",
		func() { kmstrailtest.KMS(importRequest(), &kmstrail.DecryptResponse{}) })
	assert.Panics(t, func() { kmstrailtest.Event(kmstrailtest.RequestParameters(func() {})) }, "a value json cannot marshal")
	assert.NotPanics(t, func() { kmstrailtest.KMS(nil, (*kmstrail.DecryptResponse)(nil)) }, "a typed nil names the operation")
}
