package kmstrailtest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOptions builds an ImportKeyMaterial event with each option and
// checks what the option changed in the decoded event.
func TestOptions(t *testing.T) {
	at := time.Date(2025, 11, 18, 16, 4, 12, 0, time.UTC)
	tests := []struct {
		name  string
		opts  []kmstrailtest.Option
		check func(t *testing.T, ev *kmstrail.Event)
	}{
		{"defaults", nil, func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "1.11", ev.EventVersion)
			assert.Equal(t, time.Date(2025, 5, 21, 5, 42, 31, 0, time.UTC), ev.EventTime)
			assert.Equal(t, kmstrailtest.DefaultRegion, ev.AWSRegion)
			assert.Equal(t, kmstrailtest.DefaultAccount, ev.RecipientAccountID)
			assert.Equal(t, kmstrail.Principal{Type: "IAMUser", ARN: "arn:aws:iam::111122223333:user/Alice", AccountID: kmstrailtest.DefaultAccount}, ev.Principal())
			assert.Equal(t, "192.0.2.0", ev.SourceIPAddress)
			assert.Contains(t, ev.UserAgent, "aws-cli/")
			assert.NotEmpty(t, ev.RequestID)
			assert.Equal(t, "AwsApiCall", ev.EventType)
			assert.Equal(t, "Management", ev.EventCategory)
			assert.True(t, ev.ManagementEvent)
			assert.False(t, ev.ReadOnly)
			require.NotNil(t, ev.TLSDetails)
			assert.Equal(t, "kms.us-west-2.amazonaws.com", ev.TLSDetails.ClientProvidedHostHeader)
		}},
		{"Time", opts(kmstrailtest.Time(at.Add(250 * time.Millisecond).In(time.FixedZone("PST", -8*3600)))), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, at, ev.EventTime, "UTC, to the second")
		}},
		{"EventID", opts(kmstrailtest.EventID("be88e282-4824-4f5c-9297-6683a3cc2e3e")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "be88e282-4824-4f5c-9297-6683a3cc2e3e", ev.EventID)
		}},
		{"RequestID", opts(kmstrailtest.RequestID("d979a72f-98a2-462d-9dbe-2cc8e5c11768")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "d979a72f-98a2-462d-9dbe-2cc8e5c11768", ev.RequestID)
		}},
		{"RequestID empty", opts(kmstrailtest.RequestID("")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Nil(t, member(t, ev.Raw, "requestID"))
		}},
		{"Account", opts(kmstrailtest.Account("444455556666")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "444455556666", ev.RecipientAccountID)
			assert.Equal(t, "arn:aws:iam::444455556666:user/Alice", ev.UserIdentity.ARN)
			assert.Equal(t, "arn:aws:kms:us-west-2:444455556666:key/"+keyA, ev.KMS.Key.ARN)
			assert.Equal(t, "444455556666", ev.Resources[0].AccountID)
		}},
		{"Region", opts(kmstrailtest.Region("cn-north-1")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "cn-north-1", ev.AWSRegion)
			assert.Equal(t, "arn:aws-cn:kms:cn-north-1:111122223333:key/"+keyA, ev.KMS.Key.ARN, "the partition follows the Region")
			assert.Equal(t, "arn:aws-cn:iam::111122223333:user/Alice", ev.UserIdentity.ARN)
			assert.Equal(t, "kms.cn-north-1.amazonaws.com", ev.TLSDetails.ClientProvidedHostHeader)
		}},
		{"User", opts(kmstrailtest.User("maria.garcia")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "maria.garcia", ev.UserIdentity.UserName)
			assert.Equal(t, "arn:aws:iam::111122223333:user/maria.garcia", ev.Principal().ARN)
			assert.Regexp(t, `^AIDA[A-Z2-7]{17}$`, ev.UserIdentity.PrincipalID)
			assert.Regexp(t, `^AKIA[A-Z2-7]{16}$`, ev.UserIdentity.AccessKeyID)
		}},
		{"AssumedRole", opts(kmstrailtest.AssumedRole("orders-task", "9f3b6c1e")), func(t *testing.T, ev *kmstrail.Event) {
			p := ev.Principal()
			assert.Equal(t, "AssumedRole", p.Type)
			assert.Equal(t, "arn:aws:iam::111122223333:role/orders-task", p.ARN)
			assert.Equal(t, "9f3b6c1e", p.SessionName)
			assert.Equal(t, "arn:aws:sts::111122223333:assumed-role/orders-task/9f3b6c1e", ev.UserIdentity.ARN)
			assert.Regexp(t, `^ASIA`, ev.UserIdentity.AccessKeyID)
			assert.False(t, ev.UserIdentity.SessionContext.Attributes.MFA())
		}},
		{"Root", opts(kmstrailtest.Root()), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, kmstrail.Principal{Type: "Root", ARN: "arn:aws:iam::111122223333:root", AccountID: kmstrailtest.DefaultAccount}, ev.Principal())
		}},
		{"Service", opts(kmstrailtest.Service("secretsmanager.amazonaws.com")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, kmstrail.Principal{Type: "AWSService", Service: "secretsmanager.amazonaws.com"}, ev.Principal())
			assert.Equal(t, "secretsmanager.amazonaws.com", ev.SourceIPAddress)
			assert.Equal(t, "secretsmanager.amazonaws.com", ev.UserAgent)
			assert.Nil(t, ev.TLSDetails, "no TLS for a call AWS makes internally")
		}},
		{"SourceIP", opts(kmstrailtest.SourceIP("203.0.113.14")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "203.0.113.14", ev.SourceIPAddress)
		}},
		{"UserAgent", opts(kmstrailtest.UserAgent("")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Nil(t, member(t, ev.Raw, "userAgent"), "an empty user agent leaves the member out")
		}},
		{"ReadOnly", opts(kmstrailtest.ReadOnly(true)), func(t *testing.T, ev *kmstrail.Event) {
			assert.True(t, ev.ReadOnly)
		}},
		{"EventType", opts(kmstrailtest.EventType("AwsConsoleAction")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "AwsConsoleAction", ev.EventType)
		}},
		{"EventVersion", opts(kmstrailtest.EventVersion("1.09")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "1.09", ev.EventVersion)
		}},
		{"EventCategory", opts(kmstrailtest.EventCategory("Data")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "Data", ev.EventCategory)
			assert.False(t, ev.ManagementEvent)
			assert.Equal(t, "false", string(member(t, ev.Raw, "managementEvent")))
		}},
		{"TLS", opts(kmstrailtest.TLS(false)), func(t *testing.T, ev *kmstrail.Event) {
			assert.Nil(t, ev.TLSDetails)
		}},
		{"Resources", opts(kmstrailtest.Resources()), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "[]", string(member(t, ev.Raw, "resources")))
			assert.Equal(t, arnA, ev.KMS.Key.ARN, "the response still names the key")
		}},
		{"RequestParameters", opts(kmstrailtest.RequestParameters(json.RawMessage(`{"keyId":"alias/orders"}`))), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "alias/orders", ev.KMS.Request.(*kmstrail.ImportKeyMaterialRequest).KeyID)
			assert.Equal(t, "alias/orders", ev.KMS.Key.Alias)
		}},
		{"ResponseElements", opts(kmstrailtest.ResponseElements(nil)), func(t *testing.T, ev *kmstrail.Event) {
			assert.Nil(t, ev.KMS.Response)
		}},
		{"AdditionalEventData", opts(kmstrailtest.AdditionalEventData(&kmstrail.KMSAdditionalEventData{KeyMaterialID: material})), func(t *testing.T, ev *kmstrail.Event) {
			require.NotNil(t, ev.KMS.AdditionalEventData)
			assert.Equal(t, material, ev.KMS.AdditionalEventData.KeyMaterialID)
		}},
		{"Key", opts(kmstrailtest.Key(arnB)), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, arnB, ev.Resources[0].ARN)
			assert.Equal(t, arnB, ev.KMS.Response.(*kmstrail.ImportKeyMaterialResponse).KeyID)
		}},
		{"Failed", opts(kmstrailtest.Failed("ExpiredImportTokenException", "The import token is expired.")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "ExpiredImportTokenException", ev.ErrorCode)
		}},
		{"Edit", opts(kmstrailtest.Edit(func(ev *kmstrail.Event) {
			ev.VPCEndpointID = "vpce-1234abcdf5678c90a"
			ev.TLSDetails.KeyExchange = "X25519MLKEM768"
			ev.ReadOnly = false
		})), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "vpce-1234abcdf5678c90a", ev.VPCEndpointID)
			assert.Equal(t, `"vpce-1234abcdf5678c90a"`, string(member(t, ev.Raw, "vpcEndpointId")), "the record holds the edit")
			assert.Equal(t, "X25519MLKEM768", ev.TLSDetails.KeyExchange)
			assert.Equal(t, "false", string(member(t, ev.Raw, "readOnly")), "members written stay when edited to zero")
			assert.Equal(t, arnA, ev.KMS.Key.ARN, "the KMS view is decoded again")
			assert.Empty(t, ev.Diagnostics)
		}},
		{"later options win", opts(kmstrailtest.User("bob"), kmstrailtest.Region("eu-west-1"), kmstrailtest.User("carol")), func(t *testing.T, ev *kmstrail.Event) {
			assert.Equal(t, "carol", ev.UserIdentity.UserName)
			assert.Equal(t, "eu-west-1", ev.AWSRegion)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := kmstrailtest.KMS(importRequest(), nil, tt.opts...)
			tt.check(t, ev)
		})
	}
}

// TestKMSDefaults checks what the KMS builder fills in that the request
// and response leave out.
func TestKMSDefaults(t *testing.T) {
	t.Run("alias resolves to the default key", func(t *testing.T) {
		ev := kmstrailtest.KMS(&kmstrail.GenerateDataKeyRequest{KeyID: "alias/orders", KeySpec: types.DataKeySpecAes256}, nil)
		assert.Equal(t, "alias/orders", ev.KMS.Key.Alias)
		assert.Equal(t, arnA, ev.KMS.Key.ARN)
		assert.Equal(t, kmstrail.KeyFromResources, ev.KMS.Key.ARNSource)
	})
	t.Run("alias operations list the alias", func(t *testing.T) {
		ev := kmstrailtest.KMS(&kmstrail.UpdateAliasRequest{AliasName: "alias/orders", TargetKeyID: keyB}, nil)
		require.Len(t, ev.Resources, 2)
		assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:alias/orders", ev.Resources[0].ARN, "UpdateAlias lists the alias first")
		assert.Equal(t, arnB, ev.Resources[1].ARN)
		assert.Equal(t, "alias/orders", ev.KMS.Key.Alias)
	})
	t.Run("response key filled in", func(t *testing.T) {
		ev := kmstrailtest.KMS(importRequest(), &kmstrail.ImportKeyMaterialResponse{KeyMaterialID: material})
		resp := ev.KMS.Response.(*kmstrail.ImportKeyMaterialResponse)
		assert.Equal(t, arnA, resp.KeyID)
		assert.Equal(t, material, resp.KeyMaterialID)
	})
	t.Run("response given is not changed", func(t *testing.T) {
		given := &kmstrail.EnableKeyResponse{}
		kmstrailtest.KMS(&kmstrail.EnableKeyRequest{KeyID: keyA}, given)
		assert.Empty(t, given.KeyID)
	})
	t.Run("RotateKeyOnDemand returns the key ID", func(t *testing.T) {
		ev := kmstrailtest.KMS(&kmstrail.RotateKeyOnDemandRequest{KeyID: keyA}, nil)
		assert.Equal(t, keyA, ev.KMS.Response.(*kmstrail.RotateKeyOnDemandResponse).KeyID)
	})
	t.Run("ScheduleKeyDeletion", func(t *testing.T) {
		ev := kmstrailtest.KMS(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, nil)
		resp := ev.KMS.Response.(*kmstrail.ScheduleKeyDeletionResponse)
		assert.Equal(t, types.KeyStatePendingDeletion, resp.KeyState)
		assert.Equal(t, ev.EventTime.AddDate(0, 0, 7), resp.DeletionDate.Time)
		assert.Equal(t, int32(7), resp.PendingWindowInDays)
	})
	t.Run("CreateKey, external and multi-Region", func(t *testing.T) {
		ev := kmstrailtest.KMS(&kmstrail.CreateKeyRequest{Origin: types.OriginTypeExternal, MultiRegion: true}, nil)
		m := ev.KMS.Response.(*kmstrail.CreateKeyResponse).KeyMetadata
		require.NotNil(t, m)
		assert.Equal(t, mrk, m.KeyID)
		assert.Equal(t, types.KeyStatePendingImport, m.KeyState)
		assert.False(t, m.Enabled)
		assert.Equal(t, ev.EventTime, m.CreationDate.Time)
		assert.Equal(t, arnM, m.MultiRegionConfiguration.PrimaryKey.ARN)
		assert.Equal(t, arnM, ev.KMS.Key.ARN)
	})
	t.Run("key material agrees across records", func(t *testing.T) {
		imp := kmstrailtest.KMS(importRequest(), nil)
		dec := kmstrailtest.KMS(&kmstrail.DecryptRequest{KeyID: keyA}, nil)
		assert.Equal(t, imp.KMS.Response.(*kmstrail.ImportKeyMaterialResponse).KeyMaterialID, dec.KMS.AdditionalEventData.KeyMaterialID)
	})
	t.Run("service event details given", func(t *testing.T) {
		ev := kmstrailtest.KMS((*kmstrail.RotateKeyRequest)(nil), nil, kmstrailtest.Key(keyB),
			kmstrailtest.ServiceEventDetails(&kmstrail.KMSServiceEventDetails{RotationType: types.RotationTypeOnDemand}))
		d := ev.KMS.ServiceEventDetails
		require.NotNil(t, d)
		assert.Equal(t, types.RotationTypeOnDemand, d.RotationType)
		assert.Equal(t, keyB, d.KeyID, "the key is filled in")
		assert.Equal(t, "AwsServiceEvent", ev.EventType)
		assert.Equal(t, "AWSService", ev.Principal().Type)
		assert.Empty(t, ev.RequestID)
	})
	t.Run("empty request is null", func(t *testing.T) {
		ev := kmstrailtest.KMS(&kmstrail.GenerateRandomRequest{}, nil)
		assert.Equal(t, "null", string(member(t, ev.Raw, "requestParameters")))
		assert.True(t, ev.KMS.Key.IsZero())
		assert.Equal(t, "[]", string(member(t, ev.Raw, "resources")))
	})
}

// TestEvent checks records of other services.
func TestEvent(t *testing.T) {
	type putObject struct {
		BucketName string `json:"bucketName"`
		Key        string `json:"key"`
	}
	ev := kmstrailtest.Event(
		kmstrailtest.Call("s3.amazonaws.com", "PutObject"),
		kmstrailtest.RequestParameters(putObject{"amzn-s3-demo-bucket", "orders.csv"}),
		kmstrailtest.EventCategory("Data"),
	)
	assert.Nil(t, ev.KMS)
	assert.Equal(t, "s3.amazonaws.com", ev.EventSource)
	assert.Equal(t, "PutObject", ev.EventName)
	assert.JSONEq(t, `{"bucketName":"amzn-s3-demo-bucket","key":"orders.csv"}`, string(ev.RequestParameters))
	assert.False(t, ev.ReadOnly)
	assert.Equal(t, "s3.us-west-2.amazonaws.com", ev.TLSDetails.ClientProvidedHostHeader)
	assert.Nil(t, member(t, ev.Raw, "resources"), "other services' resources are the caller's to give")

	get := kmstrailtest.Event(kmstrailtest.Call("s3.amazonaws.com", "GetObject"))
	assert.True(t, get.ReadOnly, "Get... reads")
	def := kmstrailtest.Event()
	assert.Equal(t, "GetCallerIdentity", def.EventName)
	assert.Equal(t, "null", string(member(t, def.Raw, "requestParameters")))
}
