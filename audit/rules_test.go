package audit_test

import (
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

// policy returns a key policy of one statement after the usual root
// statement.
func policy(statement string) kmstrail.KeyPolicy {
	return kmstrail.KeyPolicy(`{
  "Version" : "2012-10-17",
  "Statement" : [ {
    "Sid" : "EnableRootAccess", "Effect" : "Allow",
    "Principal" : { "AWS" : "arn:aws:iam::111122223333:root" }, "Action" : "kms:*", "Resource" : "*"
  }, ` + statement + ` ]
}`)
}

const (
	publicStar = `{"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}`
	publicAWS  = `{"Sid": "EveryoneAWS", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": "kms:*", "Resource": "*"}`
	orgOnly    = `{"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
		"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorgid"}}}`
)

// s3Put builds an S3 PutObject into a bucket of account 111122223333
// encrypted under kmsKey (the header's value, as S3 logs it).
func s3Put(kmsKey string, when kt.Option, name string) *kmstrail.Event {
	return kt.Event(kt.Call("s3.amazonaws.com", "PutObject"), when, kt.EventCategory("Data"), kt.AssumedRole("exporter", "job"),
		kt.RequestParameters(map[string]string{
			"bucketName": "exports-111122223333", "key": name,
			"x-amz-server-side-encryption":                "aws:kms",
			"x-amz-server-side-encryption-aws-kms-key-id": kmsKey,
		}),
		kt.Resources(kmstrail.Resource{Type: "AWS::S3::Object", ARN: "arn:aws:s3:::exports-111122223333/" + name},
			kmstrail.Resource{Type: "AWS::S3::Bucket", AccountID: account, ARN: "arn:aws:s3:::exports-111122223333"}))
}

// TestRules: each rule fires, and its near miss does not.
func TestRules(t *testing.T) {
	base := []*kmstrail.Event{create(keyA, at(1, 5, 9))}
	otherKey := "arn:aws:kms:us-west-2:" + other + ":key/" + keyB
	burst := func(role string, n int, gap time.Duration) []*kmstrail.Event {
		var evs []*kmstrail.Event
		for i := range n {
			evs = append(evs, denied(role, day(2, 1, time.Duration(i)*gap)))
		}
		return evs
	}
	for _, tc := range []struct {
		rule      string
		fires     []*kmstrail.Event
		nearMiss  []*kmstrail.Event
		wantCount int // findings in fires; 1 if zero
	}{
		{rule: audit.RuleKeyDeletionScheduled,
			fires:    []*kmstrail.Event{op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA}, at(2, 1, 9), kt.Failed("KMSInvalidStateException", ""))}},
		{rule: audit.RuleKeyPendingDeletion,
			fires: []*kmstrail.Event{op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(5, 30, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(5, 30, 9)),
				op(&kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, at(5, 31, 9))}},
		{rule: audit.RuleKeyDeleted,
			fires: []*kmstrail.Event{op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(2, 1, 9)),
				op((*kmstrail.DeleteKeyRequest)(nil), at(2, 8, 9), kt.Key(keyA))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(2, 1, 9))}},
		{rule: audit.RuleKeyDisabled,
			fires:    []*kmstrail.Event{op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(2, 1, 9), kt.Failed("AccessDeniedException", ""))}},
		{rule: audit.RuleDeletionCancelledDisabled,
			fires: []*kmstrail.Event{op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA}, at(2, 1, 9)),
				op(&kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, at(2, 2, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA}, at(2, 1, 9)),
				op(&kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, at(2, 2, 9)), op(&kmstrail.EnableKeyRequest{KeyID: keyA}, at(2, 2, 10))}},
		{rule: audit.RuleKeyPolicyChanged,
			fires:    []*kmstrail.Event{op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, PolicyName: "default", Policy: policy(orgOnly)}, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, PolicyName: "default", Policy: policy(orgOnly)}, at(2, 1, 9), kt.Service("cloudformation.amazonaws.com"))}},
		{rule: audit.RuleKeyPolicyPublic,
			fires: []*kmstrail.Event{op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(publicStar)}, at(2, 1, 9)),
				op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(publicAWS)}, at(2, 2, 9)),
				kt.KMS(&kmstrail.CreateKeyRequest{Policy: policy(publicStar)}, nil, kt.Key(keyB), at(2, 3, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(orgOnly)}, at(2, 1, 9)),
				op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(`{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}`)}, at(2, 2, 9)),
				op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(publicStar)}, at(2, 3, 9), kt.Failed("MalformedPolicyDocumentException", ""))},
			wantCount: 3},
		{rule: audit.RuleKeyPolicyUnreadable,
			fires:    []*kmstrail.Event{op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: `{"Statement": [`}, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(orgOnly)}, at(2, 1, 9))}},
		{rule: audit.RulePolicyLockoutBypassed,
			fires:    []*kmstrail.Event{op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(orgOnly), BypassPolicyLockoutSafetyCheck: true}, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(orgOnly)}, at(2, 1, 9))}},
		{rule: audit.RuleGrantCrossAccount,
			fires: []*kmstrail.Event{op(&kmstrail.CreateGrantRequest{KeyID: keyA, GranteePrincipal: "arn:aws:iam::" + other + ":role/reader",
				Operations: []types.GrantOperation{types.GrantOperationDecrypt}}, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.CreateGrantRequest{KeyID: keyA, GranteePrincipal: "arn:aws:iam::111122223333:role/reader",
				Operations: []types.GrantOperation{types.GrantOperationDecrypt}}, at(2, 1, 9)),
				op(&kmstrail.CreateGrantRequest{KeyID: keyA, GranteeServicePrincipal: "dynamodb.amazonaws.com"}, at(2, 2, 9))}},
		{rule: audit.RuleRotationDisabled,
			fires:    []*kmstrail.Event{op(&kmstrail.DisableKeyRotationRequest{KeyID: keyA}, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.EnableKeyRotationRequest{KeyID: keyA}, at(2, 1, 9))}},
		{rule: audit.RuleKeyMaterialImported,
			fires:    []*kmstrail.Event{op(importExpiring, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.GetParametersForImportRequest{KeyID: keyA}, at(2, 1, 9))}},
		{rule: audit.RuleKeyMaterialDeleted,
			fires:    []*kmstrail.Event{op(importExpiring, at(2, 1, 9)), op(&kmstrail.DeleteImportedKeyMaterialRequest{KeyID: keyA}, at(2, 2, 9))},
			nearMiss: []*kmstrail.Event{op(importExpiring, at(2, 1, 9)), op((*kmstrail.DeleteExpiredKeyMaterialRequest)(nil), at(2, 2, 9), kt.Key(keyA))}},
		{rule: audit.RuleKeyMaterialExpired,
			fires:    []*kmstrail.Event{op(importExpiring, at(2, 1, 9)), op((*kmstrail.DeleteExpiredKeyMaterialRequest)(nil), at(2, 2, 9), kt.Key(keyA))},
			nearMiss: []*kmstrail.Event{op(importExpiring, at(2, 1, 9)), op(&kmstrail.DeleteImportedKeyMaterialRequest{KeyID: keyA}, at(2, 2, 9))}},
		{rule: audit.RuleKeyMaterialExpiring,
			fires: []*kmstrail.Event{op(importExpiring, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ValidTo: kmstrail.TimeOf(day(7, 10)),
				ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires}, at(2, 1, 9)),
				op(importExpiring, at(2, 1, 9)), op(&kmstrail.ImportKeyMaterialRequest{KeyID: keyA, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire,
					ImportType: types.ImportTypeExistingKeyMaterial}, at(2, 2, 9))}},
		{rule: audit.RuleCustomKeyStoreChanged,
			fires: []*kmstrail.Event{op(&kmstrail.CreateCustomKeyStoreRequest{CustomKeyStoreName: "hsm"}, at(2, 1, 9)),
				op(&kmstrail.DisconnectCustomKeyStoreRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}, at(2, 2, 9))},
			nearMiss:  []*kmstrail.Event{op(&kmstrail.DescribeCustomKeyStoresRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}, at(2, 1, 9))},
			wantCount: 2},
		{rule: audit.RuleKeyReplicated,
			fires:    []*kmstrail.Event{op(&kmstrail.ReplicateKeyRequest{KeyID: keyA, ReplicaRegion: "eu-west-1"}, at(2, 1, 9))},
			nearMiss: []*kmstrail.Event{op((*kmstrail.SynchronizeMultiRegionKeyRequest)(nil), at(2, 1, 9), kt.Key(keyA))}},
		{rule: audit.RuleAccessDeniedBurst,
			fires: burst("scanner", 10, 20*time.Second),
			nearMiss: append(append(burst("nine", 9, 20*time.Second), burst("slow", 10, 40*time.Second)...),
				op(&kmstrail.DecryptRequest{KeyID: arnA}, at(2, 1, 0), kt.Failed("IncorrectKeyException", ""))),
		},
		{rule: audit.RuleCrossAccountEncryption,
			fires:     []*kmstrail.Event{s3Put(otherKey, at(2, 1, 9), "a.csv"), s3Put(otherKey, at(2, 1, 10), "b.csv")},
			nearMiss:  []*kmstrail.Event{s3Put(arnA, at(2, 1, 9), "a.csv"), s3Put(keyB, at(2, 1, 10), "b.csv"), s3Put("alias/exports", at(2, 1, 11), "c.csv")},
			wantCount: 1},
		{rule: audit.RuleKeyStateContradiction,
			fires: []*kmstrail.Event{op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(2, 1, 9)), op(&kmstrail.EncryptRequest{KeyID: keyA}, at(2, 1, 10))},
			nearMiss: []*kmstrail.Event{op(&kmstrail.DisableKeyRequest{KeyID: keyA}, at(2, 1, 9)),
				op(&kmstrail.EncryptRequest{KeyID: keyA}, at(2, 1, 10), kt.Failed("DisabledException", ""))}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			rep := report(append(base[:1:1], tc.fires...)...)
			want := max(tc.wantCount, 1)
			assert.Equal(t, want, count(rep, tc.rule), "fires: %v", rules(rep))
			for _, f := range rep.Findings {
				if f.Rule == tc.rule {
					assert.NotEmpty(t, f.Message)
					assert.NotEmpty(t, f.EventID)
					assert.False(t, f.Time.IsZero())
				}
			}
			rep = report(append(base[:1:1], tc.nearMiss...)...)
			assert.Zero(t, count(rep, tc.rule), "near miss: %v", rules(rep))
		})
	}
	// Every rule is tested above.
	for _, r := range audit.Rules() {
		assert.Contains(t, testedRules, r.ID)
	}
}

var testedRules = []string{audit.RuleKeyDeletionScheduled, audit.RuleKeyPendingDeletion, audit.RuleKeyDeleted, audit.RuleKeyDisabled,
	audit.RuleDeletionCancelledDisabled, audit.RuleKeyPolicyChanged, audit.RuleKeyPolicyPublic, audit.RuleKeyPolicyUnreadable,
	audit.RulePolicyLockoutBypassed, audit.RuleGrantCrossAccount, audit.RuleRotationDisabled, audit.RuleKeyMaterialImported,
	audit.RuleKeyMaterialDeleted, audit.RuleKeyMaterialExpired, audit.RuleKeyMaterialExpiring, audit.RuleCustomKeyStoreChanged,
	audit.RuleKeyReplicated, audit.RuleAccessDeniedBurst, audit.RuleCrossAccountEncryption, audit.RuleKeyStateContradiction}

// TestFailedCallsRaiseNothing: every rule's firing records, failed, raise
// no finding at all, but access-denied-burst's.
func TestFailedCallsRaiseNothing(t *testing.T) {
	var evs []*kmstrail.Event
	for i, req := range []kmstrail.KMSMessage{
		&kmstrail.CreateKeyRequest{Policy: policy(publicStar), BypassPolicyLockoutSafetyCheck: true},
		&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA}, &kmstrail.CancelKeyDeletionRequest{KeyID: keyA},
		(*kmstrail.DeleteKeyRequest)(nil), &kmstrail.DisableKeyRequest{KeyID: keyA}, &kmstrail.EnableKeyRequest{KeyID: keyA},
		&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(publicStar), BypassPolicyLockoutSafetyCheck: true},
		&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: "{"},
		&kmstrail.CreateGrantRequest{KeyID: keyA, GranteePrincipal: "arn:aws:iam::" + other + ":root"},
		&kmstrail.DisableKeyRotationRequest{KeyID: keyA}, importExpiring,
		&kmstrail.DeleteImportedKeyMaterialRequest{KeyID: keyA}, (*kmstrail.DeleteExpiredKeyMaterialRequest)(nil),
		&kmstrail.CreateCustomKeyStoreRequest{CustomKeyStoreName: "hsm"}, &kmstrail.DeleteCustomKeyStoreRequest{CustomKeyStoreID: "cks-1"},
		&kmstrail.ReplicateKeyRequest{KeyID: keyA, ReplicaRegion: "eu-west-1"}, &kmstrail.UpdatePrimaryRegionRequest{KeyID: keyA, PrimaryRegion: "eu-west-1"},
		&kmstrail.EncryptRequest{KeyID: keyA},
	} {
		evs = append(evs, op(req, at(2, 1+i, 9), kt.Key(keyA), kt.Failed("KMSInvalidStateException", "no")))
	}
	evs = append(evs, kt.Event(kt.Call("s3.amazonaws.com", "PutObject"), at(2, 1, 9), kt.Failed("AccessDenied", "no"),
		kt.RequestParameters(map[string]string{"bucketName": "b", "x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-west-2:" + other + ":key/" + keyB})))
	rep := report(evs...)
	assert.Empty(t, rep.Findings)
	assert.Empty(t, rep.Keys, "a failed call makes no key either")
	assert.Empty(t, rep.Expiry)

	// The one exception.
	var deny []*kmstrail.Event
	for i := range 10 {
		deny = append(deny, denied("scanner", day(3, 1, time.Duration(i)*time.Second)))
	}
	assert.Equal(t, []string{audit.RuleAccessDeniedBurst}, rules(report(deny...)))
}

// TestPublicPolicy judges policies statement by statement.
func TestPublicPolicy(t *testing.T) {
	for _, tc := range []struct {
		name      string
		statement string
		public    bool
	}{
		{"Principal *", publicStar, true},
		{"Principal AWS *", publicAWS, true},
		{"Principal AWS * alone", `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}`, true},
		{"NotPrincipal with Allow", `{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}`, true},
		{"narrowed by aws:PrincipalOrgID", orgOnly, false},
		{"narrowed by kms:CallerAccount, in another case", `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringEquals": {"KMS:CallerAccount": "111122223333"}}}`, false},
		{"narrowed by aws:SourceArn (ArnLike)", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::exports-*"}}}`, false},
		{"narrowed by aws:SourceAccount", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringEquals": {"aws:SourceAccount": ["111122223333"]}}}`, false},
		{"aws:PrincipalAccount of any value", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringLike": {"aws:PrincipalAccount": "*"}}}`, true},
		// Like operators whose values match every account or organization
		// (review of the audit, 2026-12-07): wildcards where the account or
		// the organization ID stands narrow nothing.
		{"aws:PrincipalArn of any account (StringLike)", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:*"}}}`, true},
		{"aws:PrincipalOrgID of any organization (StringLike)", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringLike": {"aws:PrincipalOrgID": "o-*"}}}`, true},
		{"aws:PrincipalOrgPaths under any organization", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-*/r-ab12/*"}}}`, true},
		{"one value of two matches any account", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::111122223333:role/*", "arn:aws:iam::?*:role/x"]}}}`, true},
		{"narrowed by aws:PrincipalArn of one account (ArnLike)", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}}`, false},
		{"narrowed by aws:PrincipalOrgPaths of one organization", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/*"}}}`, false},
		{"o-* literally, under StringEquals", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-*"}}}`, false},
		{"a negated operator", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-exampleorgid"}}}`, true},
		{"IfExists lets requests without the key in", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-exampleorgid"}}}`, true},
		{"a condition on another key", `{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
			"Condition": {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}`, true},
		{"Deny", `{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}`, false},
		{"a service principal", `{"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "kms:*", "Resource": "*"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := report(create(keyA, at(1, 5, 9)), op(&kmstrail.PutKeyPolicyRequest{KeyID: keyA, Policy: policy(tc.statement)}, at(2, 1, 9)))
			assert.Equal(t, tc.public, count(rep, audit.RuleKeyPolicyPublic) == 1, "%v", rules(rep))
			require.Len(t, keyOf(rep, arnA).PolicyChanges, 1)
			assert.Equal(t, tc.public, keyOf(rep, arnA).PolicyChanges[0].Public)
		})
	}
}

// TestDeniedBurstWindow: the burst is counted in a sliding window, across
// the boundary of the intervals the Auditor keeps denials by, and raised
// once per interval.
func TestDeniedBurstWindow(t *testing.T) {
	var evs []*kmstrail.Event
	// Five just before a 5-minute boundary, five just after.
	for i := range 5 {
		evs = append(evs, denied("scanner", day(3, 1, 5*time.Minute-time.Duration(5-i)*time.Second)))
		evs = append(evs, denied("scanner", day(3, 1, 5*time.Minute+time.Duration(i)*time.Second)))
	}
	rep := report(evs...)
	require.Equal(t, []string{audit.RuleAccessDeniedBurst}, rules(rep))
	f := rep.Findings[0]
	assert.Equal(t, day(3, 1, 5*time.Minute+4*time.Second), f.Time, "the tenth denial")
	assert.Equal(t, "arn:aws:iam::111122223333:role/scanner", f.Principal)
	assert.True(t, strings.HasPrefix(f.Message, "10 KMS calls"), f.Message)

	// Twenty in a row raise one finding per interval.
	evs = nil
	for i := range 20 {
		evs = append(evs, denied("scanner", day(3, 1, time.Duration(i)*time.Second)))
	}
	assert.Equal(t, 1, count(report(evs...), audit.RuleAccessDeniedBurst))
}

// TestCrossAccountAliasARN: S3 accepts an alias ARN as the key of
// SSE-KMS; the finding names the alias ARN as written and its account,
// and one alias name in two accounts makes two findings (review of the
// audit, 2026-12-07: the alias ARN had become "alias/exports", of no account).
func TestCrossAccountAliasARN(t *testing.T) {
	rep := report(
		s3Put("arn:aws:kms:us-west-2:"+other+":alias/exports", at(2, 1, 9), "a.csv"),
		s3Put("arn:aws:kms:us-west-2:555555555555:alias/exports", at(2, 1, 10), "b.csv"),
	)
	require.Equal(t, 2, count(rep, audit.RuleCrossAccountEncryption), "%v", rules(rep))
	assert.Equal(t, "arn:aws:kms:us-west-2:"+other+":alias/exports", rep.Findings[0].Key)
	assert.Contains(t, rep.Findings[0].Message, "a KMS key of account "+other+":")
	assert.Equal(t, "arn:aws:kms:us-west-2:555555555555:alias/exports", rep.Findings[1].Key)
}

// TestCancelledThenScheduledAgain: deletion-cancelled-key-disabled speaks
// of a key left Disabled; a key scheduled for deletion again, or deleted,
// is not (review of the audit, 2026-12-07: it fired on a Deleted key).
func TestCancelledThenScheduledAgain(t *testing.T) {
	schedule := func(d int) *kmstrail.Event {
		return op(&kmstrail.ScheduleKeyDeletionRequest{KeyID: keyA, PendingWindowInDays: 7}, at(2, d, 9))
	}
	cancel := op(&kmstrail.CancelKeyDeletionRequest{KeyID: keyA}, at(2, 2, 9))
	deleted := op((*kmstrail.DeleteKeyRequest)(nil), at(2, 12, 9), kt.Key(keyA))

	rep := report(create(keyA, at(1, 5, 9)), schedule(1), cancel, schedule(5))
	assert.Zero(t, count(rep, audit.RuleDeletionCancelledDisabled), "%v", rules(rep))
	assert.Equal(t, 2, count(rep, audit.RuleKeyDeletionScheduled))

	rep = report(create(keyA, at(1, 5, 9)), schedule(1), cancel, schedule(5), deleted)
	assert.Zero(t, count(rep, audit.RuleDeletionCancelledDisabled), "%v", rules(rep))
	assert.Equal(t, audit.StateDeleted, keyOf(rep, arnA).State)

	// Cancelled, and left so: the finding.
	rep = report(create(keyA, at(1, 5, 9)), schedule(1), cancel)
	assert.Equal(t, 1, count(rep, audit.RuleDeletionCancelledDisabled), "%v", rules(rep))
}
