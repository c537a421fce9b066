package audit_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
	kt "github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	materialX = "f91b52e0e6da0fce42d8dcbb86a715d28f1809855f71e2f9c89cf58f0ff3e5c8"
	materialY = "c0bc6879edae4810ee535b002d3eaf8bfde8acd1ad0e8c21afc90e69c31b34c4"
)

func importing(material string, validTo time.Time, when kt.Option, opts ...kt.Option) *kmstrail.Event {
	req := &kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire,
		ImportType: types.ImportTypeNewKeyMaterial}
	if !validTo.IsZero() {
		req.ValidTo, req.ExpirationModel = kmstrail.TimeOf(validTo), types.ExpirationModelTypeKeyMaterialExpires
	}
	return kt.KMS(req, &kmstrail.ImportKeyMaterialResponse{KeyMaterialID: material}, append([]kt.Option{when}, opts...)...)
}

// TestExpiry: which material is expired or expiring as of the reference
// time, and what changes it.
func TestExpiry(t *testing.T) {
	created := kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9))
	soon := day(6, 10, 9*time.Hour+30*time.Minute) // 9 days after ref
	for _, tc := range []struct {
		name   string
		events []*kmstrail.Event
		opts   audit.Options
		want   []audit.Expiry
	}{
		{"expiring within the window", []*kmstrail.Event{created, importing(materialX, soon, at(1, 5, 10))}, audit.Options{},
			[]audit.Expiry{{ARN: arnA, KeyMaterialID: materialX, ValidTo: soon, Status: audit.Expiring}}},
		{"not within a shorter window", []*kmstrail.Event{created, importing(materialX, soon, at(1, 5, 10))},
			audit.Options{Within: 7 * 24 * time.Hour}, nil},
		{"expired: validTo before the reference time", []*kmstrail.Event{created, importing(materialX, day(5, 1), at(1, 5, 10))}, audit.Options{},
			[]audit.Expiry{{ARN: arnA, KeyMaterialID: materialX, ValidTo: day(5, 1), Status: audit.Expired}}},
		{"expired: DeleteExpiredKeyMaterial", []*kmstrail.Event{created, importing(materialX, day(8, 1), at(1, 5, 10)),
			op((*kmstrail.DeleteExpiredKeyMaterialRequest)(nil), at(2, 1, 0), kt.Key(keyA),
				kt.ServiceEventDetails(&kmstrail.KMSServiceEventDetails{KeyMaterialID: materialX}))}, audit.Options{},
			[]audit.Expiry{{ARN: arnA, KeyMaterialID: materialX, ValidTo: day(8, 1), Status: audit.Expired}}},
		{"a later import of the same material moves validTo", []*kmstrail.Event{created, importing(materialX, soon, at(1, 5, 10)),
			kt.KMS(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.TimeOf(day(12, 1)), ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
				ImportType: types.ImportTypeExistingKeyMaterial, KeyMaterialID: materialX}, nil, at(5, 1, 0))}, audit.Options{}, nil},
		{"a later import without expiry", []*kmstrail.Event{created, importing(materialX, soon, at(1, 5, 10)),
			kt.KMS(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire,
				ImportType: types.ImportTypeExistingKeyMaterial, KeyMaterialID: materialX}, nil, at(5, 1, 0))}, audit.Options{}, nil},
		{"deleted material is gone", []*kmstrail.Event{created, importing(materialX, soon, at(1, 5, 10)),
			op(&kmstrail.DeleteImportedKeyMaterialRequest{KeyID: keyA, KeyMaterialID: materialX}, at(2, 1, 0))}, audit.Options{}, nil},
		{"a deleted key's material is gone", []*kmstrail.Event{created, importing(materialX, soon, at(1, 5, 10)),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(2, 1, 0)),
			op((*kmstrail.DeleteKeyRequest)(nil), at(2, 8, 0), kt.Key(keyA))}, audit.Options{}, nil},
		{"the import's order does not matter", []*kmstrail.Event{
			kt.KMS(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.TimeOf(day(12, 1)), ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
				ImportType: types.ImportTypeExistingKeyMaterial, KeyMaterialID: materialX}, nil, at(5, 1, 0)),
			importing(materialX, soon, at(1, 5, 10)), created}, audit.Options{}, nil},
		{"two materials, soonest first", []*kmstrail.Event{created, importing(materialX, soon, at(1, 5, 10)),
			importing(materialY, day(5, 20), at(1, 6, 10))}, audit.Options{},
			[]audit.Expiry{{ARN: arnA, KeyMaterialID: materialY, ValidTo: day(5, 20), Status: audit.Expired},
				{ARN: arnA, KeyMaterialID: materialX, ValidTo: soon, Status: audit.Expiring}}},
		{"before 2025: one material, no ID", []*kmstrail.Event{kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9), kt.PreDecember2022()),
			kt.KMS(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.TimeOf(soon), ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires},
				nil, at(1, 5, 10), kt.PreDecember2022())}, audit.Options{},
			[]audit.Expiry{{ARN: arnA, ValidTo: soon, Status: audit.Expiring}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := reportWith(tc.opts, tc.events...)
			for i := range rep.Expiry {
				require.NotEmpty(t, rep.Expiry[i].EventID)
				rep.Expiry[i].EventID = ""
			}
			assert.Equal(t, append([]audit.Expiry{}, tc.want...), rep.Expiry)
			expiring := 0
			for _, e := range tc.want {
				if e.Status == audit.Expiring || e.ValidTo.Before(ref) {
					expiring++
				}
			}
			if tc.name != "expired: DeleteExpiredKeyMaterial" {
				assert.Equal(t, expiring, count(rep, audit.RuleKeyMaterialExpiring))
			}
		})
	}
}

// TestExpiringMessage: the finding says how long is left, as of the
// reference time, with a severity that rises as it nears.
func TestExpiringMessage(t *testing.T) {
	created := kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9))
	for _, tc := range []struct {
		validTo time.Time
		sev     audit.Severity
		msg     string
	}{
		{day(6, 10, 9*time.Hour+30*time.Minute), audit.Medium,
			"imported key material " + materialX + " expires on 2026-06-10 09:30 UTC, in 9 days"},
		{day(6, 3), audit.High, "imported key material " + materialX + " expires on 2026-06-03 00:00 UTC, in 2 days"},
		{day(6, 1, 5*time.Hour), audit.High, "imported key material " + materialX + " expires on 2026-06-01 05:00 UTC, in 5 hours"},
		{day(5, 20), audit.High, "imported key material " + materialX +
			" expired on 2026-05-20 00:00 UTC, 12 days before 2026-06-01 00:00 UTC (no DeleteExpiredKeyMaterial in the trail)"},
	} {
		rep := report(created, importing(materialX, tc.validTo, at(1, 5, 10)))
		var got []audit.Finding
		for _, f := range rep.Findings {
			if f.Rule == audit.RuleKeyMaterialExpiring {
				got = append(got, f)
			}
		}
		require.Len(t, got, 1)
		assert.Equal(t, tc.sev, got[0].Severity)
		assert.Equal(t, tc.msg, got[0].Message)
		assert.Equal(t, day(1, 5, 10*time.Hour), got[0].Time, "at the import that set validTo")
	}
}

// TestKeyJSONShape: every member `kmstrail keys -o json` documents is in
// each line, null or empty when the trail does not tell it, so that a
// consumer's schema holds for every key (review of the audit, 2026-12-07:
// deletionDate, origin and validTo were left out when zero).
func TestKeyJSONShape(t *testing.T) {
	rep := report(op(&kmstrail.DecryptRequest{KeyID: arnA}, at(2, 1, 9)),
		kt.KMS(&kmstrail.ImportKeyMaterialRequest{KeyID: arnB, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire}, nil, at(2, 1, 10)))
	require.Len(t, rep.Keys, 2)
	for _, k := range rep.Keys {
		b, err := json.Marshal(k)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		for _, name := range []string{"arn", "account", "region", "aliases", "state", "origin", "deletionDate", "rotation",
			"material", "grants", "events", "firstSeen", "lastSeen", "timeline"} {
			assert.Contains(t, m, name, "%s", b)
		}
		assert.Nil(t, m["deletionDate"])
		assert.Regexp(t, `^2026-02-01T`, m["firstSeen"])
		mats, _ := m["material"].([]any)
		for _, mat := range mats {
			mat, _ := mat.(map[string]any)
			for _, name := range []string{"keyMaterialId", "validTo", "expirationModel", "state"} {
				assert.Contains(t, mat, name, "%s", b)
			}
			assert.Nil(t, mat["validTo"])
		}
	}
	assert.Equal(t, arnB, rep.Keys[1].ARN)
	assert.Len(t, rep.Keys[1].Material, 1)
}

// TestMaterialJSON: a material alone marshals as inside its key.
func TestMaterialJSON(t *testing.T) {
	b, err := json.Marshal(audit.Material{KeyMaterialID: materialX, State: types.KeyMaterialStateCurrent})
	require.NoError(t, err)
	assert.JSONEq(t, `{"keyMaterialId":"`+materialX+`","validTo":null,"expirationModel":"","state":"CURRENT"}`, string(b))
}
