package kmstrail

import (
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json/jsontext"
)

// Key management: creating, describing, enabling, deleting, rotating,
// replicating and tagging keys, and their policies.
//
// In every request type, KeyID names the key as the caller did: a key ID, a
// key ARN, an alias name or an alias ARN. In the response types of
// operations that return nothing, KeyID is the key ARN KMS has logged since
// December 2022 (the response is null before).

func init() {
	registerKMS("CreateKey", (*CreateKeyRequest)(nil), (*CreateKeyResponse)(nil))
	registerKMS("DescribeKey", (*DescribeKeyRequest)(nil), (*DescribeKeyResponse)(nil))
	registerKMS("EnableKey", (*EnableKeyRequest)(nil), (*EnableKeyResponse)(nil))
	registerKMS("DisableKey", (*DisableKeyRequest)(nil), (*DisableKeyResponse)(nil))
	registerKMS("ScheduleKeyDeletion", (*ScheduleKeyDeletionRequest)(nil), (*ScheduleKeyDeletionResponse)(nil))
	registerKMS("CancelKeyDeletion", (*CancelKeyDeletionRequest)(nil), (*CancelKeyDeletionResponse)(nil))
	registerKMS("UpdateKeyDescription", (*UpdateKeyDescriptionRequest)(nil), (*UpdateKeyDescriptionResponse)(nil))
	registerKMS("GetKeyPolicy", (*GetKeyPolicyRequest)(nil), (*GetKeyPolicyResponse)(nil))
	registerKMS("PutKeyPolicy", (*PutKeyPolicyRequest)(nil), (*PutKeyPolicyResponse)(nil))
	registerKMS("ListKeyPolicies", (*ListKeyPoliciesRequest)(nil), (*ListKeyPoliciesResponse)(nil))
	registerKMS("EnableKeyRotation", (*EnableKeyRotationRequest)(nil), (*EnableKeyRotationResponse)(nil))
	registerKMS("DisableKeyRotation", (*DisableKeyRotationRequest)(nil), (*DisableKeyRotationResponse)(nil))
	registerKMS("GetKeyRotationStatus", (*GetKeyRotationStatusRequest)(nil), (*GetKeyRotationStatusResponse)(nil))
	registerKMS("RotateKeyOnDemand", (*RotateKeyOnDemandRequest)(nil), (*RotateKeyOnDemandResponse)(nil))
	registerKMS("ListKeyRotations", (*ListKeyRotationsRequest)(nil), (*ListKeyRotationsResponse)(nil))
	registerKMS("ListKeys", (*ListKeysRequest)(nil), (*ListKeysResponse)(nil))
	registerKMS("GetPublicKey", (*GetPublicKeyRequest)(nil), (*GetPublicKeyResponse)(nil))
	registerKMS("GetKeyLastUsage", (*GetKeyLastUsageRequest)(nil), (*GetKeyLastUsageResponse)(nil))
	registerKMS("ReplicateKey", (*ReplicateKeyRequest)(nil), (*ReplicateKeyResponse)(nil))
	registerKMS("UpdatePrimaryRegion", (*UpdatePrimaryRegionRequest)(nil), (*UpdatePrimaryRegionResponse)(nil))
	registerKMS("TagResource", (*TagResourceRequest)(nil), (*TagResourceResponse)(nil))
	registerKMS("UntagResource", (*UntagResourceRequest)(nil), (*UntagResourceResponse)(nil))
	registerKMS("ListResourceTags", (*ListResourceTagsRequest)(nil), (*ListResourceTagsResponse)(nil))
}

// CreateKeyRequest is the requestParameters of CreateKey.
type CreateKeyRequest struct {
	tracked

	// Description is the key's description, possibly empty.
	Description string `json:"description,omitzero"`

	// KeyUsage is what the key is for, such as ENCRYPT_DECRYPT.
	KeyUsage types.KeyUsageType `json:"keyUsage,omitzero"`

	// KeySpec is the key's type, such as SYMMETRIC_DEFAULT.
	KeySpec types.KeySpec `json:"keySpec,omitzero"`

	// CustomerMasterKeySpec is KeySpec under its deprecated name, which KMS
	// still logs alongside it.
	CustomerMasterKeySpec types.CustomerMasterKeySpec `json:"customerMasterKeySpec,omitzero"`

	// Origin is where the key material comes from: AWS_KMS, EXTERNAL,
	// AWS_CLOUDHSM or EXTERNAL_KEY_STORE.
	Origin types.OriginType `json:"origin,omitzero"`

	// CustomKeyStoreID is the custom key store to create the key in.
	CustomKeyStoreID string `json:"customKeyStoreId,omitzero"`

	// XksKeyID is the external key of an external key store key.
	XksKeyID string `json:"xksKeyId,omitzero"`

	// BypassPolicyLockoutSafetyCheck skips the check that the caller can
	// still manage the key under Policy.
	BypassPolicyLockoutSafetyCheck bool `json:"bypassPolicyLockoutSafetyCheck,omitzero"`

	// MultiRegion asks for a multi-Region primary key.
	MultiRegion bool `json:"multiRegion,omitzero"`

	// Policy is the key policy, when the caller gave one.
	Policy KeyPolicy `json:"policy,omitzero"`

	// Tags are the key's tags.
	Tags []Tag `json:"tags,omitzero"`

	// Unknown holds members the model does not know (schema drift), as
	// written.
	Unknown jsontext.Value `json:"-"`
}

// CreateKeyResponse is the responseElements of CreateKey.
type CreateKeyResponse struct {
	tracked

	// KeyMetadata describes the new key.
	KeyMetadata *KeyMetadata `json:"keyMetadata,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *CreateKeyResponse) principalKey() (string, KeySource) {
	if m := r.KeyMetadata; m != nil {
		if m.ARN != "" {
			return m.ARN, KeyFromKeyMetadata
		}
		return m.KeyID, KeyFromKeyMetadata
	}
	return "", KeyFromKeyMetadata
}

// DescribeKeyRequest is the requestParameters of DescribeKey.
type DescribeKeyRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DescribeKeyResponse is the responseElements of DescribeKey. CloudTrail
// logs it as null: the key metadata returned is not logged.
type DescribeKeyResponse struct {
	tracked

	// KeyMetadata describes the key.
	KeyMetadata *KeyMetadata `json:"keyMetadata,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *DescribeKeyResponse) principalKey() (string, KeySource) {
	return (&CreateKeyResponse{KeyMetadata: r.KeyMetadata}).principalKey()
}

// EnableKeyRequest is the requestParameters of EnableKey.
type EnableKeyRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// EnableKeyResponse is the responseElements of EnableKey.
type EnableKeyResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DisableKeyRequest is the requestParameters of DisableKey.
type DisableKeyRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DisableKeyResponse is the responseElements of DisableKey.
type DisableKeyResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ScheduleKeyDeletionRequest is the requestParameters of
// ScheduleKeyDeletion.
type ScheduleKeyDeletionRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// PendingWindowInDays is the waiting period, 7 to 30 days (default 30).
	PendingWindowInDays int32 `json:"pendingWindowInDays,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ScheduleKeyDeletionResponse is the responseElements of
// ScheduleKeyDeletion.
type ScheduleKeyDeletionResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyState is PendingDeletion, or PendingReplicaDeletion for a
	// multi-Region primary with replicas.
	KeyState types.KeyState `json:"keyState,omitzero"`

	// DeletionDate is when KMS will delete the key; absent for a primary
	// key with replicas. KMS has logged it as "Apr 12, 2021 18:58:30 PM"
	// (a 24-hour hour with a marker: the hour is kept, with a diagnostic).
	DeletionDate Time `json:"deletionDate,omitzero"`

	// PendingWindowInDays is the waiting period.
	PendingWindowInDays int32 `json:"pendingWindowInDays,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// CancelKeyDeletionRequest is the requestParameters of CancelKeyDeletion.
type CancelKeyDeletionRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// CancelKeyDeletionResponse is the responseElements of CancelKeyDeletion.
type CancelKeyDeletionResponse struct {
	tracked

	// KeyID is the key ARN (the operation returns it).
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// UpdateKeyDescriptionRequest is the requestParameters of
// UpdateKeyDescription.
type UpdateKeyDescriptionRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Description is the new description, possibly empty.
	Description string `json:"description,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// UpdateKeyDescriptionResponse is the responseElements of
// UpdateKeyDescription (null in the documented records).
type UpdateKeyDescriptionResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GetKeyPolicyRequest is the requestParameters of GetKeyPolicy.
type GetKeyPolicyRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// PolicyName is the policy's name; "default" is the only one.
	PolicyName string `json:"policyName,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GetKeyPolicyResponse is the responseElements of GetKeyPolicy. CloudTrail
// logs it as null: the policy returned is not logged.
type GetKeyPolicyResponse struct {
	tracked

	// Policy is the key policy.
	Policy KeyPolicy `json:"policy,omitzero"`

	// PolicyName is the policy's name.
	PolicyName string `json:"policyName,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// PutKeyPolicyRequest is the requestParameters of PutKeyPolicy.
type PutKeyPolicyRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// PolicyName is the policy's name, "default".
	PolicyName string `json:"policyName,omitzero"`

	// Policy is the new key policy, as written (JSON in a string).
	Policy KeyPolicy `json:"policy,omitzero"`

	// BypassPolicyLockoutSafetyCheck skips the check that the caller can
	// still manage the key under the new policy.
	BypassPolicyLockoutSafetyCheck bool `json:"bypassPolicyLockoutSafetyCheck,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// PutKeyPolicyResponse is the responseElements of PutKeyPolicy (null in
// the documented records).
type PutKeyPolicyResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListKeyPoliciesRequest is the requestParameters of ListKeyPolicies.
type ListKeyPoliciesRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Limit and Marker page through the results.
	Limit  int32  `json:"limit,omitzero"`
	Marker string `json:"marker,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListKeyPoliciesResponse is the responseElements of ListKeyPolicies
// (null: list results are not logged).
type ListKeyPoliciesResponse struct {
	tracked

	// PolicyNames lists the policies' names.
	PolicyNames []string `json:"policyNames,omitzero"`

	// NextMarker and Truncated say whether more results follow.
	NextMarker string `json:"nextMarker,omitzero"`
	Truncated  bool   `json:"truncated,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// EnableKeyRotationRequest is the requestParameters of EnableKeyRotation.
type EnableKeyRotationRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// RotationPeriodInDays is the rotation period, 90 to 2560 days
	// (default 365).
	RotationPeriodInDays int32 `json:"rotationPeriodInDays,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// EnableKeyRotationResponse is the responseElements of EnableKeyRotation.
type EnableKeyRotationResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DisableKeyRotationRequest is the requestParameters of DisableKeyRotation.
type DisableKeyRotationRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DisableKeyRotationResponse is the responseElements of DisableKeyRotation
// (null in the documented records).
type DisableKeyRotationResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GetKeyRotationStatusRequest is the requestParameters of
// GetKeyRotationStatus.
type GetKeyRotationStatusRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GetKeyRotationStatusResponse is the responseElements of
// GetKeyRotationStatus (null: the status returned is not logged).
type GetKeyRotationStatusResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyRotationEnabled reports automatic rotation.
	KeyRotationEnabled bool `json:"keyRotationEnabled,omitzero"`

	// RotationPeriodInDays is the rotation period.
	RotationPeriodInDays int32 `json:"rotationPeriodInDays,omitzero"`

	// NextRotationDate is the next automatic rotation.
	NextRotationDate Time `json:"nextRotationDate,omitzero"`

	// OnDemandRotationStartDate is when an on-demand rotation started.
	OnDemandRotationStartDate Time `json:"onDemandRotationStartDate,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// RotateKeyOnDemandRequest is the requestParameters of RotateKeyOnDemand.
type RotateKeyOnDemandRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// RotateKeyOnDemandResponse is the responseElements of RotateKeyOnDemand.
type RotateKeyOnDemandResponse struct {
	tracked

	// KeyID is the key's ID, as the operation returns it (not an ARN).
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListKeyRotationsRequest is the requestParameters of ListKeyRotations.
type ListKeyRotationsRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// IncludeKeyMaterial is ALL_KEY_MATERIAL or ROTATIONS_ONLY.
	IncludeKeyMaterial types.IncludeKeyMaterial `json:"includeKeyMaterial,omitzero"`

	// Limit and Marker page through the results.
	Limit  int32  `json:"limit,omitzero"`
	Marker string `json:"marker,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListKeyRotationsResponse is the responseElements of ListKeyRotations
// (null: list results are not logged).
type ListKeyRotationsResponse struct {
	tracked

	// Rotations lists the key's key materials.
	Rotations []RotationListEntry `json:"rotations,omitzero"`

	// NextMarker and Truncated say whether more results follow.
	NextMarker string `json:"nextMarker,omitzero"`
	Truncated  bool   `json:"truncated,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListKeysRequest is the requestParameters of ListKeys.
type ListKeysRequest struct {
	tracked

	// Limit and Marker page through the results.
	Limit  int32  `json:"limit,omitzero"`
	Marker string `json:"marker,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListKeysResponse is the responseElements of ListKeys (null: list results
// are not logged).
type ListKeysResponse struct {
	tracked

	// Keys lists the keys.
	Keys []KeyListEntry `json:"keys,omitzero"`

	// NextMarker and Truncated say whether more results follow.
	NextMarker string `json:"nextMarker,omitzero"`
	Truncated  bool   `json:"truncated,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GetPublicKeyRequest is the requestParameters of GetPublicKey.
type GetPublicKeyRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GetPublicKeyResponse is the responseElements of GetPublicKey (null: the
// public key is not logged).
type GetPublicKeyResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeySpec and CustomerMasterKeySpec are the key's type.
	KeySpec               types.KeySpec               `json:"keySpec,omitzero"`
	CustomerMasterKeySpec types.CustomerMasterKeySpec `json:"customerMasterKeySpec,omitzero"`

	// KeyUsage is what the key is for.
	KeyUsage types.KeyUsageType `json:"keyUsage,omitzero"`

	// EncryptionAlgorithms, SigningAlgorithms, KeyAgreementAlgorithms and
	// EncapsulationAlgorithms list the algorithms the key supports.
	EncryptionAlgorithms    []types.EncryptionAlgorithmSpec    `json:"encryptionAlgorithms,omitzero"`
	SigningAlgorithms       []types.SigningAlgorithmSpec       `json:"signingAlgorithms,omitzero"`
	KeyAgreementAlgorithms  []types.KeyAgreementAlgorithmSpec  `json:"keyAgreementAlgorithms,omitzero"`
	EncapsulationAlgorithms []types.EncapsulationAlgorithmSpec `json:"encapsulationAlgorithms,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GetKeyLastUsageRequest is the requestParameters of GetKeyLastUsage.
type GetKeyLastUsageRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GetKeyLastUsageResponse is the responseElements of GetKeyLastUsage
// (null: the usage returned is not logged).
type GetKeyLastUsageResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyCreationDate is when the key was created.
	KeyCreationDate Time `json:"keyCreationDate,omitzero"`

	// KeyLastUsage is the key's last cryptographic use.
	KeyLastUsage *KeyLastUsage `json:"keyLastUsage,omitzero"`

	// TrackingStartDate is when KMS began tracking the key's use.
	TrackingStartDate Time `json:"trackingStartDate,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ReplicateKeyRequest is the requestParameters of ReplicateKey. The record
// is written in the primary key's Region; the principal key is the primary.
type ReplicateKeyRequest struct {
	tracked

	// KeyID names the primary key.
	KeyID string `json:"keyId,omitzero"`

	// ReplicaRegion is the Region of the new replica.
	ReplicaRegion string `json:"replicaRegion,omitzero"`

	// Description is the replica's description.
	Description string `json:"description,omitzero"`

	// BypassPolicyLockoutSafetyCheck skips the policy lockout check.
	BypassPolicyLockoutSafetyCheck bool `json:"bypassPolicyLockoutSafetyCheck,omitzero"`

	// Policy is the replica's key policy, when the caller gave one.
	Policy KeyPolicy `json:"policy,omitzero"`

	// Tags are the replica's tags.
	Tags []Tag `json:"tags,omitzero"`

	// ReplicaKey is the replica: the primary's key ID in ReplicaRegion, its
	// ARN derived (the response's ReplicaKey has it as logged).
	ReplicaKey KeyRef `json:"-"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *ReplicateKeyRequest) usePrincipal(k KeyRef) {
	if k.ID == "" || r.ReplicaRegion == "" {
		return
	}
	r.ReplicaKey = derivedKey(k, r.ReplicaRegion)
}

// derivedKey returns the key with k's ID in another Region of its account,
// as multi-Region keys are.
func derivedKey(k KeyRef, region string) KeyRef {
	account := k.Account
	if account == "" {
		return KeyRef{ID: k.ID}
	}
	return (&keyRefBuilder{ref: KeyRef{ID: k.ID}}).finish(region, account)
}

// ReplicateKeyResponse is the responseElements of ReplicateKey.
type ReplicateKeyResponse struct {
	tracked

	// ReplicaKeyMetadata describes the new replica.
	ReplicaKeyMetadata *KeyMetadata `json:"replicaKeyMetadata,omitzero"`

	// ReplicaPolicy is the replica's key policy, as written (JSON in a
	// string).
	ReplicaPolicy KeyPolicy `json:"replicaPolicy,omitzero"`

	// ReplicaTags are the replica's tags.
	ReplicaTags []Tag `json:"replicaTags,omitzero"`

	// ReplicaKey is the replica, from ReplicaKeyMetadata.
	ReplicaKey KeyRef `json:"-"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *ReplicateKeyResponse) principalKey() (string, KeySource) { return "", KeyFromResponse }

func (r *ReplicateKeyResponse) resolveKeys(kc *keyContext) {
	r.ReplicaKey = r.ReplicaKeyMetadata.Key()
}

// UpdatePrimaryRegionRequest is the requestParameters of
// UpdatePrimaryRegion. KMS writes one record in the old primary's Region
// and one in the new primary's; the principal key is the key in the
// record's Region.
type UpdatePrimaryRegionRequest struct {
	tracked

	// KeyID names the multi-Region key.
	KeyID string `json:"keyId,omitzero"`

	// PrimaryRegion is the Region of the new primary.
	PrimaryRegion string `json:"primaryRegion,omitzero"`

	// NewPrimaryKey is the key in PrimaryRegion (its ARN derived).
	NewPrimaryKey KeyRef `json:"-"`

	// OldPrimaryKey is the former primary: the principal key, when the
	// record was written in another Region than PrimaryRegion.
	OldPrimaryKey KeyRef `json:"-"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *UpdatePrimaryRegionRequest) usePrincipal(k KeyRef) {
	if k.ID == "" {
		return
	}
	if r.PrimaryRegion != "" {
		r.NewPrimaryKey = derivedKey(k, r.PrimaryRegion)
		if k.Region == r.PrimaryRegion {
			r.NewPrimaryKey = k
		}
	}
	if k.Region != "" && k.Region != r.PrimaryRegion {
		r.OldPrimaryKey = k
	}
}

// UpdatePrimaryRegionResponse is the responseElements of
// UpdatePrimaryRegion.
type UpdatePrimaryRegionResponse struct {
	tracked

	// KeyID is a key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// TagResourceRequest is the requestParameters of TagResource.
type TagResourceRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Tags are the tags added or changed.
	Tags []Tag `json:"tags,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// TagResourceResponse is the responseElements of TagResource.
type TagResourceResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// UntagResourceRequest is the requestParameters of UntagResource.
type UntagResourceRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// TagKeys are the keys of the tags removed.
	TagKeys []string `json:"tagKeys,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// UntagResourceResponse is the responseElements of UntagResource.
type UntagResourceResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListResourceTagsRequest is the requestParameters of ListResourceTags.
type ListResourceTagsRequest struct {
	tracked

	// KeyID names the key.
	KeyID string `json:"keyId,omitzero"`

	// Limit and Marker page through the results.
	Limit  int32  `json:"limit,omitzero"`
	Marker string `json:"marker,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListResourceTagsResponse is the responseElements of ListResourceTags
// (null: list results are not logged).
type ListResourceTagsResponse struct {
	tracked

	// Tags lists the key's tags.
	Tags []Tag `json:"tags,omitzero"`

	// NextMarker and Truncated say whether more results follow.
	NextMarker string `json:"nextMarker,omitzero"`
	Truncated  bool   `json:"truncated,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// TagMap returns tags as a map from key to value.
func TagMap(tags []Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.TagKey] = t.TagValue
	}
	return m
}
