package audit_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
	kt "github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// auditMany feeds an Auditor n records, the i-th made by next, and returns
// its report and how much the live heap grew while the Auditor held them.
func auditMany(n int, next func(i int) *kmstrail.Event) (*audit.Report, int64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a := audit.New(audit.Options{At: ref})
	for i := range n {
		a.Add(next(i))
	}
	rep := a.Report()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(a)
	return rep, int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// TestHostileVolumes: a trail of 200,000 changes on one key (twenty times
// MaxChanges), of 120,000 grants on one key, or of 120,000 aliases (each past
// its bound), is audited in bounded memory,
// and the report says what was not kept. The records are one decoded
// record whose eventID (and grant ID, alias) is changed each time: the
// Auditor keeps copies, never the Event.
func TestHostileVolumes(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the hostile volumes")
	}
	t.Run("200,000 changes on one key", func(t *testing.T) {
		dis := op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(1, 1, 0))
		en := op(&kmstrail.EnableKeyRequest{KeyID: keyA}, at(1, 1, 0))
		rep, grew := auditMany(200_000, func(i int) *kmstrail.Event {
			e := []*kmstrail.Event{dis, en}[i%2]
			e.EventID = fmt.Sprintf("%036d", i)
			e.EventTime = day(1, 1, time.Duration(i)*time.Second)
			return e
		})
		k := keyOf(rep, arnA)
		assert.Equal(t, types.KeyStateEnabled, k.State, "the last change")
		require.Len(t, k.Notes, 1)
		assert.Contains(t, k.Notes[0], "older changes not kept (past MaxChanges, 10000)")
		assert.Len(t, k.Timeline, audit.DefaultTimeline)
		assert.InDelta(t, 200_000-audit.DefaultTimeline, k.TimelineOmitted, 200_000*0.07)
		t.Logf("200,000 changes: %.1f MiB", float64(grew)/(1<<20))
		assert.Less(t, grew, int64(64<<20))
	})
	t.Run("120,000 grants on one key", func(t *testing.T) {
		ev := kt.KMS(&kmstrail.CreateGrantRequest{KeyID: keyA, GranteePrincipal: "arn:aws:iam::111122223333:role/r"},
			&kmstrail.CreateGrantResponse{GrantID: "0"}, at(1, 1, 0))
		resp, ok := ev.KMS.Response.(*kmstrail.CreateGrantResponse)
		require.True(t, ok)
		rep, grew := auditMany(120_000, func(i int) *kmstrail.Event {
			ev.EventID, resp.GrantID = fmt.Sprintf("%036d", i), fmt.Sprintf("%064d", i)
			return ev
		})
		k := keyOf(rep, arnA)
		assert.Len(t, k.Grants, 100_000, "as many as are tracked")
		require.Len(t, k.Notes, 1)
		assert.Equal(t, "20000 grants not tracked (past 100000 grants on the key)", k.Notes[0])
		t.Logf("120,000 grants: %.1f MiB", float64(grew)/(1<<20))
		assert.Less(t, grew, int64(128<<20))
	})
	t.Run("120,000 aliases", func(t *testing.T) {
		ev := op(&kmstrail.CreateAliasRequest{AliasName: "alias/x", TargetKeyID: keyA}, at(1, 1, 0))
		req, ok := ev.KMS.Request.(*kmstrail.CreateAliasRequest)
		require.True(t, ok)
		rep, grew := auditMany(120_000, func(i int) *kmstrail.Event {
			ev.EventID, req.AliasName = fmt.Sprintf("%036d", i), fmt.Sprintf("alias/a%06d", i)
			return ev
		})
		assert.Len(t, keyOf(rep, arnA).Aliases, 100_000)
		assert.Contains(t, rep.Diagnostics, "20000: alias records past the first 100000 aliases not kept")
		t.Logf("120,000 aliases: %.1f MiB", float64(grew)/(1<<20))
		assert.Less(t, grew, int64(128<<20))
	})
}

// TestHostileRecords: policies that do not parse or are megabytes long,
// times in the year 9999 and zero times neither panic nor mislead.
func TestHostileRecords(t *testing.T) {
	huge := kmstrail.KeyPolicy(`{"Version": "2012-10-17", "Statement": [` +
		strings.Repeat(`{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"},`, 40_000) + publicStar + `]}`)
	require.Greater(t, len(huge), 2<<20)
	far := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	evs := []*kmstrail.Event{
		create(keyA, at(1, 5, 9)),
		op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: huge}, at(1, 6, 9)),
		op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: `{"Statement": {"Effect": "Allow", "Principal": `}, at(1, 7, 9)),
		op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: `[1, 2, 3]`}, at(1, 7, 10)),
		op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: `"just a string"`}, at(1, 7, 11)),
		kt.KMS(external, nil, kt.Key(keyB), at(1, 5, 9)),
		kt.KMS(&kmstrail.ImportKeyMaterialRequest{KeyID: keyB, ValidTo: kmstrail.TimeOf(far), ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires},
			nil, at(1, 5, 10)),
		kt.KMS(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyB}, &kmstrail.ScheduleKeyDeletionResponse{DeletionDate: kmstrail.TimeOf(far)},
			kt.Time(far)),
		op(&kmstrail.EncryptRequest{KeyID: keyA}, kt.Time(far)),
	}
	zero := op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(1, 1, 0))
	zero.EventTime = time.Time{}
	evs = append(evs, zero)

	rep := report(evs...)
	assert.Equal(t, 1, count(rep, audit.RuleKeyPolicyPublic), "the one public statement, after 40,000 others")
	assert.Equal(t, 3, count(rep, audit.RuleKeyPolicyUnreadable))
	a, b := keyOf(rep, arnA), keyOf(rep, arnB)
	assert.Equal(t, types.KeyStateEnabled, a.State, "the zero-time DisableKey comes first")
	assert.Equal(t, day(1, 5, 9*time.Hour), a.FirstSeen, "a zero time is not seen")
	assert.Equal(t, far, a.LastSeen)
	assert.Equal(t, far, b.DeletionDate)
	assert.Empty(t, rep.Expiry, "valid to the year 9999")
	for _, f := range rep.Findings {
		if f.Rule == audit.RuleKeyPendingDeletion {
			assert.Equal(t, "pending deletion: KMS deletes it on 9999-12-31 23:59 UTC, in 2912291 days", f.Message)
		}
	}
	assert.Equal(t, 1, count(rep, audit.RuleKeyPendingDeletion))
}
