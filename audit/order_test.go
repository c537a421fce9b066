package audit_test

import (
	"math/rand/v2"
	"os"
	"strings"
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

// scenarioEvents reads the scenario of testdata/audit (see
// cmd/kmstrail/scenario_test.go), as the command reads it.
func scenarioEvents(t *testing.T) []*kmstrail.Event {
	t.Helper()
	tree := kmstrail.Tree{FS: os.DirFS("../testdata/audit")}
	var evs []*kmstrail.Event
	for ev, err := range tree.Events() {
		require.NoError(t, err)
		evs = append(evs, ev)
	}
	require.Greater(t, len(evs), 80)
	return evs
}

// reportJSON is a report as the command would print it, to compare.
func reportJSON(t *testing.T, opts audit.Options, evs []*kmstrail.Event) string {
	t.Helper()
	rep := reportWith(opts, evs...)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	return string(b)
}

// shuffled returns evs in a random order, with some records repeated, as
// CloudTrail delivers some twice.
func shuffled(rng *rand.Rand, evs []*kmstrail.Event) []*kmstrail.Event {
	out := append([]*kmstrail.Event(nil), evs...)
	for range rng.IntN(len(evs)/4 + 1) {
		out = append(out, evs[rng.IntN(len(evs))])
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// TestOrderIndependence feeds the scenario in many orders, with
// duplicates: the report must not change.
func TestOrderIndependence(t *testing.T) {
	evs := scenarioEvents(t)
	for _, opts := range []audit.Options{{}, {Timeline: 2, DenyCount: 3, DenyWindow: time.Minute}} {
		want := reportJSON(t, opts, evs)
		for seed := range uint64(50) {
			rng := rand.New(rand.NewPCG(seed, 7))
			require.Equal(t, want, reportJSON(t, opts, shuffled(rng, evs)), "seed %d", seed)
		}
	}
}

// TestOrderIndependenceRandom does the same over random trails: random
// changes and uses of three keys, at times that often collide, and
// denials, so that every path replay takes is taken out of order.
func TestOrderIndependenceRandom(t *testing.T) {
	keys := []string{keyA, keyB, "3333cccc-3c3c-4c3c-8c3c-3333cccc3333"}
	for trail := range uint64(60) {
		rng := rand.New(rand.NewPCG(trail, 11))
		var evs []*kmstrail.Event
		for i := range 60 + rng.IntN(60) {
			key := keys[rng.IntN(len(keys))]
			// Few distinct times, so that many records tie on eventTime
			// and are ordered by eventID.
			when := kt.Time(day(1, 1+rng.IntN(20), time.Duration(rng.IntN(3))*time.Hour))
			opts := []kt.Option{when, kt.Key(key), kt.EventID(idOf(trail, i))}
			if rng.IntN(10) == 0 {
				opts = append(opts, kt.Failed("AccessDeniedException", "no"))
			}
			req, resp, more := randomRequest(rng, key)
			evs = append(evs, kt.KMS(req, resp, append(opts, more...)...))
		}
		want := reportJSON(t, audit.Options{Timeline: 5, DenyCount: 2}, evs)
		for seed := range uint64(10) {
			rng := rand.New(rand.NewPCG(seed, trail))
			require.Equal(t, want, reportJSON(t, audit.Options{Timeline: 5, DenyCount: 2}, shuffled(rng, evs)), "trail %d, seed %d", trail, seed)
		}
	}
}

// TestOrderIndependenceBusy does the same for busy keys, whose uses are
// summarized (time buckets and their slots) rather than kept: a few
// hundred Decrypts around random changes of state. Some trails must find
// contradictions through the slots, so that the path is taken.
func TestOrderIndependenceBusy(t *testing.T) {
	ops := []kmstrail.KMSMessage{&kmstrail.DisableKeyRequest{KeyID: keyA}, &kmstrail.EnableKeyRequest{KeyID: keyA},
		&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, &kmstrail.CancelKeyDeletionRequest{KeyID: keyA}}
	slotted := 0
	for trail := range uint64(12) {
		rng := rand.New(rand.NewPCG(trail, 13))
		evs := []*kmstrail.Event{create(keyA, kt.Time(day(1, 1)), kt.EventID(idOf(trail, 0)))}
		for i := 1; i < 400; i++ {
			when := kt.Time(day(1, 2, time.Duration(rng.IntN(20*24*60))*time.Minute))
			var req kmstrail.KMSMessage = &kmstrail.DecryptRequest{KeyID: keyA}
			if rng.IntN(40) == 0 {
				req = ops[rng.IntN(len(ops))]
			}
			evs = append(evs, kt.KMS(req, nil, when, kt.Key(keyA), kt.EventID(idOf(trail, i))))
		}
		want := reportJSON(t, audit.Options{}, evs)
		if strings.Contains(want, "not kept one by one") {
			slotted++
		}
		for seed := range uint64(5) {
			rng := rand.New(rand.NewPCG(seed, trail))
			require.Equal(t, want, reportJSON(t, audit.Options{}, shuffled(rng, evs)), "trail %d, seed %d", trail, seed)
		}
	}
	assert.NotZero(t, slotted, "no trail found a contradiction through the slots")
}

func idOf(trail uint64, i int) string {
	return time.Unix(int64(trail)<<20+int64(i), 0).UTC().Format("20060102150405") + "-0000-4000-8000-000000000000"
}

// randomRequest returns a request of a random operation, most of them
// changes, with its response and options when the kit's defaults will not
// do.
func randomRequest(rng *rand.Rand, key string) (kmstrail.KMSMessage, kmstrail.KMSMessage, []kt.Option) {
	grant := grantIDs[rng.IntN(len(grantIDs))]
	alias := "alias/a" + string(rune('0'+rng.IntN(3)))
	switch rng.IntN(22) {
	case 0:
		return &kmstrail.CreateKeyRequest{Origin: []types.OriginType{types.OriginTypeAwsKms, types.OriginTypeExternal}[rng.IntN(2)]}, nil, nil
	case 1:
		return &kmstrail.EnableKeyRequest{KeyID: key}, nil, nil
	case 2:
		return &kmstrail.DisableKeyRequest{KeyID: key}, nil, nil
	case 3:
		return &kmstrail.ScheduleKeyDeletionRequest{KeyID: key, PendingWindowInDays: 7}, nil, nil
	case 4:
		return &kmstrail.CancelKeyDeletionRequest{KeyID: key}, nil, nil
	case 5:
		return (*kmstrail.DeleteKeyRequest)(nil), nil, nil
	case 6:
		return &kmstrail.ImportKeyMaterialRequest{KeyID: key, ValidTo: kmstrail.TimeOf(day(6, 1+rng.IntN(60))),
			ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
			ImportType:      []types.ImportType{types.ImportTypeNewKeyMaterial, types.ImportTypeExistingKeyMaterial}[rng.IntN(2)],
			KeyMaterialID:   materialIDs[rng.IntN(len(materialIDs))]}, nil, nil
	case 7:
		return &kmstrail.DeleteImportedKeyMaterialRequest{KeyID: key}, nil, nil
	case 8:
		return (*kmstrail.DeleteExpiredKeyMaterialRequest)(nil), nil, nil
	case 9:
		return &kmstrail.CreateGrantRequest{KeyID: key, GranteePrincipal: []string{"arn:aws:iam::" + other + ":root", "arn:aws:iam::111122223333:role/r"}[rng.IntN(2)]},
			&kmstrail.CreateGrantResponse{GrantID: grant}, nil
	case 10:
		return (*kmstrail.RetireGrantRequest)(nil), nil, []kt.Option{kt.AdditionalEventData(map[string]string{"grantId": grant})}
	case 11:
		return &kmstrail.RevokeGrantRequest{KeyID: key, GrantID: grant}, nil, nil
	case 12:
		return &kmstrail.PutKeyPolicyRequest{KeyID: key, Policy: []kmstrail.KeyPolicy{policy(publicStar), policy(orgOnly), "{"}[rng.IntN(3)]}, nil, nil
	case 13:
		return &kmstrail.CreateAliasRequest{AliasName: alias, TargetKeyID: key}, nil, nil
	case 14:
		return &kmstrail.UpdateAliasRequest{AliasName: alias, TargetKeyID: key}, nil, nil
	case 15:
		return &kmstrail.DeleteAliasRequest{AliasName: alias}, nil, nil
	case 16:
		// Named only by an alias, with no resources: resolved by the
		// alias's history.
		return &kmstrail.EncryptRequest{KeyID: alias}, nil, []kt.Option{kt.Resources()}
	case 17:
		return &kmstrail.EnableKeyRotationRequest{KeyID: key}, nil, nil
	case 18:
		return (*kmstrail.RotateKeyRequest)(nil), nil, nil
	case 19:
		return &kmstrail.ReplicateKeyRequest{KeyID: key, ReplicaRegion: "eu-west-1"}, nil, nil
	case 20:
		return &kmstrail.DescribeKeyRequest{KeyID: key}, nil, nil
	}
	return &kmstrail.DecryptRequest{KeyID: key}, nil, nil
}

var (
	grantIDs    = []string{"0000000000000000000000000000000000000000000000000000000000000001", "0000000000000000000000000000000000000000000000000000000000000002"}
	materialIDs = []string{"", "1111111111111111111111111111111111111111111111111111111111111111", "2222222222222222222222222222222222222222222222222222222222222222"}
)
