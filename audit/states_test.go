package audit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
	kt "github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	external = &kmstrail.CreateKeyRequest{Origin: types.OriginTypeExternal, KeySpec: types.KeySpecSymmetricDefault,
		KeyUsage: types.KeyUsageTypeEncryptDecrypt}
	importExpiring = &kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.TimeOf(day(6, 10, 9*time.Hour+30*time.Minute)),
		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires, ImportType: types.ImportTypeNewKeyMaterial}
)

// TestStates walks every transition of a key's state, as the KMS
// developer guide's key state page describes them (and the issue lists).
func TestStates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events []*kmstrail.Event
		want   types.KeyState
		note   string // a note the timeline must hold
	}{
		{"CreateKey: Enabled", []*kmstrail.Event{create(keyA, at(1, 5, 9))}, types.KeyStateEnabled, ""},
		{"CreateKey of origin EXTERNAL: PendingImport",
			[]*kmstrail.Event{kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9))}, types.KeyStatePendingImport, ""},
		{"DisableKey: Disabled", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(1, 6, 9))}, types.KeyStateDisabled, ""},
		{"EnableKey: Enabled", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(1, 6, 9)),
			op(&kmstrail.EnableKeyRequest{KeyID: keyA}, at(1, 7, 9))}, types.KeyStateEnabled, ""},
		{"ScheduleKeyDeletion: PendingDeletion", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(1, 6, 9))}, types.KeyStatePendingDeletion, ""},
		{"CancelKeyDeletion: Disabled, as KMS does", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(1, 6, 9)),
			op(&kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, at(1, 7, 9))}, types.KeyStateDisabled, ""},
		{"DeleteKey: Deleted", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(1, 6, 9)),
			op((*kmstrail.DeleteKeyRequest)(nil), at(1, 13, 9), kt.Key(keyA))}, audit.StateDeleted, ""},
		{"ImportKeyMaterial into a key PendingImport: Enabled", []*kmstrail.Event{kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9)),
			op(importExpiring, at(1, 5, 10))}, types.KeyStateEnabled, ""},
		{"DeleteImportedKeyMaterial of the current material: PendingImport", []*kmstrail.Event{
			kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9)), op(importExpiring, at(1, 5, 10)),
			op(&kmstrail.DeleteImportedKeyMaterialRequest{KeyID: keyA}, at(1, 6, 9))}, types.KeyStatePendingImport, ""},
		{"DeleteExpiredKeyMaterial of the current material: PendingImport", []*kmstrail.Event{
			kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9)), op(importExpiring, at(1, 5, 10)),
			op((*kmstrail.DeleteExpiredKeyMaterialRequest)(nil), at(6, 10, 10), kt.Key(keyA))}, types.KeyStatePendingImport, ""},
		{"ImportKeyMaterial again after it expired: Enabled", []*kmstrail.Event{
			kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9)), op(importExpiring, at(1, 5, 10)),
			op((*kmstrail.DeleteExpiredKeyMaterialRequest)(nil), at(6, 10, 10), kt.Key(keyA)),
			op(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire,
				ImportType: types.ImportTypeExistingKeyMaterial}, at(6, 11, 9))}, types.KeyStateEnabled, ""},
		// DeleteImportedKeyMaterial: "When the specified KMS key is in the
		// PendingDeletion state, this operation does not change the KMS
		// key's state" (KMS API reference).
		{"DeleteImportedKeyMaterial while PendingDeletion: PendingDeletion", []*kmstrail.Event{
			kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9)), op(importExpiring, at(1, 5, 10)),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA}, at(1, 6, 9)),
			op(&kmstrail.DeleteImportedKeyMaterialRequest{KeyID: keyA}, at(1, 7, 9))}, types.KeyStatePendingDeletion, ""},
		{"a key seen only through DescribeKey: Unknown", []*kmstrail.Event{
			op(&kmstrail.DescribeKeyRequest{KeyID: keyA}, at(1, 5, 9))}, audit.StateUnknown, ""},
		{"a key first seen by a Decrypt: Enabled", []*kmstrail.Event{
			op(&kmstrail.DecryptRequest{KeyID: arnA}, at(1, 5, 9))}, types.KeyStateEnabled, ""},
		{"a key first seen by DisableKey: Disabled", []*kmstrail.Event{
			op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(1, 5, 9))}, types.KeyStateDisabled, ""},
		{"a failed DisableKey changes nothing", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(1, 6, 9), kt.Failed("AccessDeniedException", "denied"))}, types.KeyStateEnabled, ""},
		{"EnableKey after DeleteKey is noted, and the key stays Deleted", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(1, 6, 9)),
			op((*kmstrail.DeleteKeyRequest)(nil), at(1, 13, 9), kt.Key(keyA)),
			op(&kmstrail.EnableKeyRequest{KeyID: keyA}, at(1, 14, 9))}, audit.StateDeleted, "after the key was deleted"},
		{"Encrypt after DeleteKey is noted", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(1, 6, 9)),
			op((*kmstrail.DeleteKeyRequest)(nil), at(1, 13, 9), kt.Key(keyA)),
			op(&kmstrail.EncryptRequest{KeyID: keyA}, at(1, 14, 9))}, audit.StateDeleted, "used after the key was deleted"},
		{"Decrypt on a Disabled key is noted", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(1, 6, 9)),
			op(&kmstrail.DecryptRequest{KeyID: keyA}, at(1, 7, 9))}, types.KeyStateDisabled, "a cryptographic operation on a key Disabled"},
		{"EnableKey on a key PendingDeletion is noted, and applied", []*kmstrail.Event{create(keyA, at(1, 5, 9)),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA}, at(1, 6, 9)),
			op(&kmstrail.EnableKeyRequest{KeyID: keyA}, at(1, 7, 9))}, types.KeyStateEnabled, "KMS refuses EnableKey on a key PendingDeletion"},
		{"pre-December 2022 records: EXTERNAL, imported, current material deleted", []*kmstrail.Event{
			kt.KMS(external, nil, kt.Key(keyA), at(1, 5, 9), kt.PreDecember2022()),
			op(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.TimeOf(day(12, 1)), ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires},
				at(1, 5, 10), kt.PreDecember2022()),
			op(&kmstrail.DeleteImportedKeyMaterialRequest{KeyID: keyA}, at(1, 6, 9), kt.PreDecember2022())}, types.KeyStatePendingImport, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := keyOf(report(tc.events...), arnA)
			require.Equal(t, arnA, k.ARN)
			assert.Equal(t, tc.want, k.State)
			if tc.note != "" {
				var notes []string
				for _, c := range k.Timeline {
					if c.Note != "" {
						notes = append(notes, c.Note)
					}
				}
				assert.Contains(t, notes, tc.note)
			}
		})
	}
}

// TestDeletionDate: ScheduleKeyDeletion's response names the date (here in
// the 24-hour-with-PM form the developer guide's example has); CancelKeyDeletion
// clears it; DeleteKey records when the key went.
func TestDeletionDate(t *testing.T) {
	schedule := op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(1, 6, 9))
	k := keyOf(report(create(keyA, at(1, 5, 9)), schedule), arnA)
	assert.Equal(t, day(1, 13, 9*time.Hour), k.DeletionDate)

	k = keyOf(report(create(keyA, at(1, 5, 9)), schedule, op(&kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, at(1, 7, 9))), arnA)
	assert.True(t, k.DeletionDate.IsZero())

	k = keyOf(report(create(keyA, at(1, 5, 9)), schedule, op((*kmstrail.DeleteKeyRequest)(nil), at(1, 13, 10), kt.Key(keyA))), arnA)
	assert.Equal(t, day(1, 13, 10*time.Hour), k.DeletionDate)
}

// TestReplicaCreatedOnce: KMS writes a CreateKey in the replica's Region
// besides the ReplicateKey in the primary's (the CreateKey page of the KMS
// developer guide; kms-catalogue Q17). The two are one creation, in either
// order, and no contradiction (review of the audit, 2026-12-07: every
// replica had "the key was created before").
func TestReplicaCreatedOnce(t *testing.T) {
	const mrk = "mrk-1234abcd12ab34cd56ef1234567890ab"
	replicaARN := "arn:aws:kms:eu-west-1:" + account + ":key/" + mrk
	primary := create(mrk, at(1, 5, 9))
	replicate := op(&kmstrail.ReplicateKeyRequest{KeyID: mrk, ReplicaRegion: "eu-west-1"}, at(1, 6, 9))
	replicaCreate := kt.KMS(&kmstrail.CreateKeyRequest{MultiRegion: true}, &kmstrail.CreateKeyResponse{KeyMetadata: &kmstrail.KeyMetadata{
		KeyID: mrk, ARN: replicaARN, MultiRegion: true, MultiRegionConfiguration: &kmstrail.MultiRegionConfiguration{MultiRegionKeyType: types.MultiRegionKeyTypeReplica},
	}}, kt.Key(mrk), kt.Region("eu-west-1"), at(1, 6, 9))
	for _, evs := range [][]*kmstrail.Event{{primary, replicate, replicaCreate}, {replicaCreate, replicate, primary}} {
		rep := report(evs...)
		assert.Zero(t, count(rep, audit.RuleKeyStateContradiction), "%v", rules(rep))
		k := keyOf(rep, replicaARN)
		require.Equal(t, replicaARN, k.ARN, "the replica is a key of its own")
		assert.Equal(t, types.KeyStateEnabled, k.State)
		for _, c := range k.Timeline {
			assert.Empty(t, c.Note, c.EventName)
		}
	}
	// Two CreateKeys of one key are still a contradiction.
	rep := report(primary, create(mrk, at(1, 7, 9)))
	assert.Equal(t, 1, count(rep, audit.RuleKeyStateContradiction), "%v", rules(rep))
}

// TestBusyKeyContradiction: a key used every ten minutes for a month, and
// Disabled for four hours in the middle (its slots are 68 minutes wide, so
// that some slot falls wholly inside). Its uses are summarized, not kept,
// yet the successful Decrypts while it was Disabled are found, once, at
// the DisableKey; when they failed, as KMS makes them, nothing is (review
// of the audit, 2026-12-07: no finding, since only each time bucket's
// first and last use were checked).
func TestBusyKeyContradiction(t *testing.T) {
	start := day(3, 1)
	disable := op(&kmstrail.DisableKeyRequest{KeyID: keyA}, kt.Time(start.Add(14*24*time.Hour+10*time.Hour+time.Minute)))
	enable := op(&kmstrail.EnableKeyRequest{KeyID: keyA}, kt.Time(start.Add(14*24*time.Hour+14*time.Hour+time.Minute)))
	run := func(failInWindow bool) *audit.Report {
		ok := op(&kmstrail.DecryptRequest{KeyID: keyA}, kt.Time(start))
		failed := op(&kmstrail.DecryptRequest{KeyID: keyA}, kt.Time(start), kt.Failed("DisabledException", "disabled"))
		a := audit.New(audit.Options{At: ref})
		a.Add(create(keyA, kt.Time(start.Add(-time.Hour))))
		a.Add(disable)
		a.Add(enable)
		for i := range 30 * 24 * 6 {
			when := start.Add(time.Duration(i) * 10 * time.Minute)
			ev := ok
			if failInWindow && when.After(disable.EventTime) && when.Before(enable.EventTime) {
				ev = failed
			}
			ev.EventID, ev.EventTime = fmt.Sprintf("%036d", i), when
			a.Add(ev)
		}
		return a.Report()
	}
	rep := run(false)
	require.Equal(t, 1, count(rep, audit.RuleKeyStateContradiction), "%v", rules(rep))
	for _, f := range rep.Findings {
		if f.Rule == audit.RuleKeyStateContradiction {
			assert.Equal(t, disable.EventID, f.EventID)
			assert.Contains(t, f.Message, "on the key Disabled (since this DisableKey)")
		}
	}
	assert.Equal(t, types.KeyStateEnabled, keyOf(rep, arnA).State)

	rep = run(true)
	assert.Zero(t, count(rep, audit.RuleKeyStateContradiction), "%v", rules(rep))
}
