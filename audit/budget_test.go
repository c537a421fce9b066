package audit

import (
	"fmt"
	"testing"
	"time"

	"github.com/kmstrail/kmstrail"
	kt "github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedBudgets: the bounds shared by all keys hold however the records
// spread over keys (review of the audit, 2026-12-07: 10,000 changes kept
// per key, times any number of keys, was gigabytes). The budgets are
// lowered here so that a few thousand records cross them.
func TestSharedBudgets(t *testing.T) {
	defer func(k, g int) { maxKept, maxGrantsTotal = k, g }(maxKept, maxGrantsTotal)
	maxKept, maxGrantsTotal = 1000, 10

	a := New(Options{})
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for k := range 3 {
		key := fmt.Sprintf("%08d-0000-4000-8000-000000000000", k)
		for i := range 600 {
			var req kmstrail.KMSMessage = &kmstrail.DisableKeyRequest{KeyID: key}
			if i%2 == 1 {
				req = &kmstrail.EnableKeyRequest{KeyID: key}
			}
			a.Add(kt.KMS(req, nil, kt.Time(start.Add(time.Duration(i)*time.Minute))))
		}
		for i := range 5 {
			g := fmt.Sprintf("%064d", 10*k+i)
			a.Add(kt.KMS(&kmstrail.CreateGrantRequest{KeyID: key, GranteePrincipal: "arn:aws:iam::111122223333:role/app"},
				&kmstrail.CreateGrantResponse{GrantID: g}, kt.Time(start)))
		}
	}
	assert.Equal(t, 1000, a.kept)
	rep := a.Report()
	assert.Contains(t, rep.Diagnostics, "800: changes, alias and unresolved records past 1000 kept in all not kept")
	assert.Contains(t, rep.Diagnostics, "5: grants past 10 tracked in all not tracked")
	require.Len(t, rep.Keys, 3)
	assert.Len(t, rep.Keys[0].Grants, 5)
	assert.Empty(t, rep.Keys[2].Grants)
}

// TestRemarksKeptForTheTimeline: tags and descriptions change no state, so
// a key keeps only as many as its timeline shows, and counts the rest.
func TestRemarksKeptForTheTimeline(t *testing.T) {
	a := New(Options{Timeline: 5})
	key := "1111aaaa-1a1a-4a1a-8a1a-1111aaaa1111"
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	a.Add(kt.KMS(&kmstrail.CreateKeyRequest{}, nil, kt.Key(key), kt.Time(start)))
	for i := range 1000 {
		var req kmstrail.KMSMessage = &kmstrail.TagResourceRequest{KeyID: key, Tags: []kmstrail.Tag{{TagKey: "n", TagValue: fmt.Sprint(i)}}}
		if i%2 == 1 {
			req = &kmstrail.UpdateKeyDescriptionRequest{KeyID: key, Description: fmt.Sprint(i)}
		}
		a.Add(kt.KMS(req, nil, kt.Time(start.Add(time.Duration(i+1)*time.Minute))))
	}
	assert.Equal(t, 1+5, a.kept, "CreateKey, and five remarks")
	rep := a.Report()
	require.Len(t, rep.Keys, 1)
	k := rep.Keys[0]
	assert.InDelta(t, 1001, k.Events, 1001*0.07, "estimated past 256")
	require.Len(t, k.Timeline, 5)
	assert.Equal(t, start.Add(1000*time.Minute), k.Timeline[4].Time, "the newest")
	assert.InDelta(t, 1001-5, k.TimelineOmitted, 1001*0.07)
	assert.Empty(t, k.Notes)
	assert.Equal(t, "Enabled", string(k.State))
}
