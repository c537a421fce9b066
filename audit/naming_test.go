package audit_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
	kt "github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeyNaming: a key named by its ID, its ARN, an alias or an alias ARN
// is one key, identified by its ARN. Records name keys all these ways
// (the developer guide's alias-ct page: "The alias appears in the
// requestParameters field. The key ARN appears in the resources field").
func TestKeyNaming(t *testing.T) {
	aliasARN := "arn:aws:kms:us-west-2:111122223333:alias/orders"
	evs := []*kmstrail.Event{
		create(keyA, at(1, 5, 9)),
		op(&kmstrail.CreateAliasRequest{AliasName: "alias/orders", TargetKeyID: keyA}, at(1, 5, 10)),
		op(&kmstrail.EncryptRequest{KeyID: keyA}, at(1, 6, 1)),                                                  // by ID: the ARN is derived
		op(&kmstrail.EncryptRequest{KeyID: arnA}, at(1, 6, 2)),                                                  // by ARN
		op(&kmstrail.EncryptRequest{KeyID: "alias/orders"}, at(1, 6, 3), kt.Key(keyA)),                          // by alias, resources name the key
		op(&kmstrail.EncryptRequest{KeyID: aliasARN}, at(1, 6, 4), kt.Key(keyA)),                                // by alias ARN, likewise
		op(&kmstrail.EncryptRequest{KeyID: "alias/orders"}, at(1, 6, 5), kt.Resources()),                        // by alias alone
		op(&kmstrail.DisableKeyRequest{KeyID: aliasARN}, at(1, 6, 6), kt.Resources(), kt.ResponseElements(nil)), // by alias ARN alone, a change
		op(&kmstrail.EncryptRequest{KeyID: "alias/nowhere"}, at(1, 6, 7), kt.Resources()),                       // an alias nothing resolves
		op(&kmstrail.UpdateAliasRequest{AliasName: "alias/orders", TargetKeyID: keyB}, at(1, 7, 9)),
		op(&kmstrail.EncryptRequest{KeyID: "alias/orders"}, at(1, 8, 1), kt.Resources()), // the alias has moved
	}
	rep := report(evs...)
	require.Len(t, rep.Keys, 2, "one record per key, whatever names it")
	a, b := keyOf(rep, arnA), keyOf(rep, arnB)
	assert.Equal(t, 8, a.Events, "CreateKey, CreateAlias, six uses and changes by each name")
	assert.Equal(t, types.KeyStateDisabled, a.State, "the DisableKey that named only the alias ARN")
	assert.Empty(t, a.Aliases, "the alias moved to keyB")
	assert.Equal(t, []string{"alias/orders"}, b.Aliases)
	assert.Equal(t, 2, b.Events, "UpdateAlias, and the Encrypt after it")
	assert.Equal(t, []string{"1 record name the key alias/nowhere (account 111122223333, us-west-2) and nothing resolves it to a key ARN"}, rep.Diagnostics)
}

// TestRecordShapes: records before December 2022 (null responseElements,
// dates without the comma after the year) and since 2025 (keyMaterialId)
// tell the same story.
func TestRecordShapes(t *testing.T) {
	validTo := day(12, 1, 20*time.Hour)
	story := func(opts ...kt.Option) *audit.Report {
		return report(
			kt.KMS(external, nil, append([]kt.Option{kt.Key(keyA), at(1, 5, 9)}, opts...)...),
			op(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.TimeOf(validTo),
				ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires}, at(1, 5, 10), opts...),
			op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(1, 6, 9), opts...),
			op(&kmstrail.EnableKeyRequest{KeyID: keyA}, at(1, 7, 9), opts...),
			op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(1, 8, 9), opts...),
			op(&kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, at(1, 9, 9), opts...),
		)
	}
	for name, opts := range map[string][]kt.Option{
		"2025":                    nil,
		"before December 2022":    {kt.PreDecember2022()},
		"dates as RFC 3339":       {kt.DateLayout(time.RFC3339)},
		"dates without the comma": {kt.DateLayout(kt.JavaDateLayoutLegacy)},
	} {
		t.Run(name, func(t *testing.T) {
			rep := story(opts...)
			k := keyOf(rep, arnA)
			assert.Equal(t, types.KeyStateDisabled, k.State)
			require.Len(t, k.Material, 1)
			assert.Equal(t, validTo, k.Material[0].ValidTo)
			assert.Equal(t, types.KeyMaterialStateCurrent, k.Material[0].State)
			require.Len(t, rep.Expiry, 0, "expires after the window")
			assert.Equal(t, []string{audit.RuleKeyMaterialImported, audit.RuleKeyDisabled, audit.RuleKeyDeletionScheduled,
				audit.RuleDeletionCancelledDisabled}, rules(rep))
		})
	}
}

// TestPrincipalOfEachRecord: two records of one session, one whose
// sessionContext names a role with a path, keep their own principals
// (FuzzAuditor, 2026-12-07: the first record's principal was reused for
// the second, by a cache keyed on too few members).
func TestPrincipalOfEachRecord(t *testing.T) {
	withPath := kt.Edit(func(ev *kmstrail.Event) {
		ev.UserIdentity.SessionContext.SessionIssuer.ARN = "arn:aws:iam::111122223333:role/admins/KeyAdminRole"
	})
	plain := op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(2, 1, 9), kt.AssumedRole("KeyAdminRole", "j"))
	pathed := op(&kmstrail.DisableKeyRequest{KeyID: keyB}, at(2, 1, 10), kt.AssumedRole("KeyAdminRole", "j"), withPath)
	for _, evs := range [][]*kmstrail.Event{{plain, pathed}, {pathed, plain}} {
		rep := report(evs...)
		require.Len(t, rep.Findings, 2)
		assert.Equal(t, "arn:aws:iam::111122223333:role/KeyAdminRole (session j)", rep.Findings[0].Principal)
		assert.Equal(t, "arn:aws:iam::111122223333:role/admins/KeyAdminRole (session j)", rep.Findings[1].Principal)
	}
}
