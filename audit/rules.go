package audit

import (
	"fmt"
	"strings"
)

// Severity ranks findings. The zero Severity is Info.
type Severity uint8

// The severities, least severe first.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the severity's name, such as "high".
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", uint8(s))
}

// MarshalText encodes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity's name, in any case.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads a severity's name (info, low, medium, high or
// critical), in any case.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("audit: unknown severity %q (want info, low, medium, high or critical)", name)
}

// The IDs of the rules findings come from. They are stable: tools may
// match on them.
const (
	RuleKeyDeletionScheduled      = "key-deletion-scheduled"
	RuleKeyPendingDeletion        = "key-pending-deletion"
	RuleKeyDeleted                = "key-deleted"
	RuleKeyDisabled               = "key-disabled"
	RuleDeletionCancelledDisabled = "deletion-cancelled-key-disabled"
	RuleKeyPolicyChanged          = "key-policy-changed"
	RuleKeyPolicyPublic           = "key-policy-public"
	RuleKeyPolicyUnreadable       = "key-policy-unreadable"
	RulePolicyLockoutBypassed     = "policy-lockout-check-bypassed"
	RuleGrantCrossAccount         = "grant-cross-account"
	RuleRotationDisabled          = "rotation-disabled"
	RuleKeyMaterialImported       = "key-material-imported"
	RuleKeyMaterialDeleted        = "key-material-deleted"
	RuleKeyMaterialExpired        = "key-material-expired"
	RuleKeyMaterialExpiring       = "key-material-expiring"
	RuleCustomKeyStoreChanged     = "custom-key-store-changed"
	RuleKeyReplicated             = "key-replicated"
	RuleAccessDeniedBurst         = "access-denied-burst"
	RuleCrossAccountEncryption    = "cross-account-encryption"
	RuleKeyStateContradiction     = "key-state-contradiction"
)

// Rule describes one rule.
type Rule struct {
	// ID is the rule's stable ID, such as "key-deleted".
	ID string `json:"id"`

	// Severity is the severity of its findings; Severities names the
	// exceptions.
	Severity Severity `json:"severity"`

	// Severities says how the severity varies, when it does.
	Severities string `json:"severities,omitzero"`

	// Fires says what raises a finding.
	Fires string `json:"fires"`

	// NearMiss is a case that looks alike and raises none.
	NearMiss string `json:"nearMiss"`
}

// Rules returns the rules, in the order of the documentation's table. No
// rule but access-denied-burst looks at failed calls (records with an
// errorCode).
func Rules() []Rule {
	return []Rule{
		{ID: RuleKeyDeletionScheduled, Severity: High,
			Fires:    "a successful ScheduleKeyDeletion; the message names the waiting period and the deletion date",
			NearMiss: "a ScheduleKeyDeletion that failed (errorCode set)"},
		{ID: RuleKeyPendingDeletion, Severity: High,
			Fires:    "a key still PendingDeletion at the end of the trail; the message says how long it has left at the reference time",
			NearMiss: "a key whose deletion was cancelled, or that was deleted"},
		{ID: RuleKeyDeleted, Severity: High,
			Fires:    "the DeleteKey event KMS writes when the waiting period ends",
			NearMiss: "ScheduleKeyDeletion alone (the key is not deleted yet)"},
		{ID: RuleKeyDisabled, Severity: Medium,
			Fires:    "a successful DisableKey",
			NearMiss: "a DisableKey that failed; CancelKeyDeletion, which leaves the key Disabled (deletion-cancelled-key-disabled)"},
		{ID: RuleDeletionCancelledDisabled, Severity: Medium,
			Fires:    "a successful CancelKeyDeletion with no successful EnableKey of the key after it (nor a later ScheduleKeyDeletion or deletion)",
			NearMiss: "a CancelKeyDeletion followed by an EnableKey; one followed by a new ScheduleKeyDeletion, which key-deletion-scheduled reports"},
		{ID: RuleKeyPolicyChanged, Severity: Medium,
			Fires:    "a successful PutKeyPolicy by anyone but an AWS service (userIdentity.type AWSService, or KMS's own events)",
			NearMiss: "a PutKeyPolicy by an AWS service; an IAM role acting through a service (invokedBy) still counts"},
		{ID: RuleKeyPolicyPublic, Severity: Critical,
			Fires: "a successful CreateKey, PutKeyPolicy or ReplicateKey whose policy Allows Principal \"*\" or {\"AWS\": \"*\"} (or Allows through NotPrincipal) " +
				"with no condition that narrows it (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, aws:SourceArn, aws:SourceVpce, kms:CallerAccount, ...)",
			NearMiss: "the same statement with Condition StringEquals aws:PrincipalOrgID o-exampleorgid; a Deny statement with Principal \"*\""},
		{ID: RuleKeyPolicyUnreadable, Severity: Medium,
			Fires:    "a successful CreateKey, PutKeyPolicy or ReplicateKey whose policy does not parse (kmstrail.KeyPolicy.Parse fails), so that it cannot be judged",
			NearMiss: "a policy that parses"},
		{ID: RulePolicyLockoutBypassed, Severity: High,
			Fires:    "a successful CreateKey, PutKeyPolicy or ReplicateKey with bypassPolicyLockoutSafetyCheck true",
			NearMiss: "bypassPolicyLockoutSafetyCheck false or absent"},
		{ID: RuleGrantCrossAccount, Severity: High,
			Fires:    "a successful CreateGrant whose grantee principal is in another account than the key",
			NearMiss: "a grant to a principal of the key's own account, or to an AWS service principal"},
		{ID: RuleRotationDisabled, Severity: Medium,
			Fires:    "a successful DisableKeyRotation",
			NearMiss: "EnableKeyRotation"},
		{ID: RuleKeyMaterialImported, Severity: Low,
			Fires:    "a successful ImportKeyMaterial",
			NearMiss: "GetParametersForImport alone"},
		{ID: RuleKeyMaterialDeleted, Severity: High,
			Fires:    "a successful DeleteImportedKeyMaterial",
			NearMiss: "the DeleteExpiredKeyMaterial event (key-material-expired)"},
		{ID: RuleKeyMaterialExpired, Severity: High,
			Fires:    "the DeleteExpiredKeyMaterial event KMS writes when imported key material expires",
			NearMiss: "material whose validTo has passed at the reference time but whose deletion is not in the trail (key-material-expiring)"},
		{ID: RuleKeyMaterialExpiring, Severity: Medium, Severities: "high within 7 days, or once validTo has passed",
			Fires: "imported key material with expirationModel KEY_MATERIAL_EXPIRES whose validTo is before the reference time plus the window (30 days by default), " +
				"its key not deleted and no DeleteExpiredKeyMaterial for it; at the import that set validTo",
			NearMiss: "material that expires after the window; material re-imported with KEY_MATERIAL_DOES_NOT_EXPIRE; material deleted"},
		{ID: RuleCustomKeyStoreChanged, Severity: Medium, Severities: "high for DisconnectCustomKeyStore and DeleteCustomKeyStore",
			Fires:    "a successful CreateCustomKeyStore, ConnectCustomKeyStore, UpdateCustomKeyStore, DisconnectCustomKeyStore or DeleteCustomKeyStore",
			NearMiss: "DescribeCustomKeyStores"},
		{ID: RuleKeyReplicated, Severity: Low,
			Fires:    "a successful ReplicateKey (on the primary key) or UpdatePrimaryRegion (on each Region's record)",
			NearMiss: "SynchronizeMultiRegionKey"},
		{ID: RuleAccessDeniedBurst, Severity: Medium,
			Fires: "one principal's KMS calls failing with AccessDenied or AccessDeniedException at least N times (10) within a window (5 minutes); " +
				"at most one finding per principal and window-aligned interval, at the call that reached N",
			NearMiss: "N-1 denials in the window; N denials spread wider than the window; failures of other kinds"},
		{ID: RuleCrossAccountEncryption, Severity: High,
			Fires: "an S3 PutObject or CopyObject whose x-amz-server-side-encryption-aws-kms-key-id names a key in another account than the bucket's; " +
				"one finding per bucket and key, at the first such write, counting the others",
			NearMiss: "a key of the bucket's own account; a key named by ID or alias (which S3 reads in the bucket's account)"},
		{ID: RuleKeyStateContradiction, Severity: Low,
			Fires: "a successful call that the key's state at that time forbids, such as Encrypt on a Disabled or Deleted key, or EnableKey on a key pending deletion: " +
				"the trail misses events, or its clocks disagree",
			NearMiss: "the same call failing (KMSInvalidStateException, DisabledException): KMS refused it, as it should"},
	}
}
