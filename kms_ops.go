package kmstrail

// The KMSOperation methods of the typed KMS messages, one per type, in the
// order the kms_*.go files register them.

// KMSOperation returns "CreateAlias".
func (*CreateAliasRequest) KMSOperation() string { return "CreateAlias" }

// KMSOperation returns "CreateAlias".
func (*CreateAliasResponse) KMSOperation() string { return "CreateAlias" }

// KMSOperation returns "UpdateAlias".
func (*UpdateAliasRequest) KMSOperation() string { return "UpdateAlias" }

// KMSOperation returns "UpdateAlias".
func (*UpdateAliasResponse) KMSOperation() string { return "UpdateAlias" }

// KMSOperation returns "DeleteAlias".
func (*DeleteAliasRequest) KMSOperation() string { return "DeleteAlias" }

// KMSOperation returns "DeleteAlias".
func (*DeleteAliasResponse) KMSOperation() string { return "DeleteAlias" }

// KMSOperation returns "ListAliases".
func (*ListAliasesRequest) KMSOperation() string { return "ListAliases" }

// KMSOperation returns "ListAliases".
func (*ListAliasesResponse) KMSOperation() string { return "ListAliases" }

// KMSOperation returns "Encrypt".
func (*EncryptRequest) KMSOperation() string { return "Encrypt" }

// KMSOperation returns "Encrypt".
func (*EncryptResponse) KMSOperation() string { return "Encrypt" }

// KMSOperation returns "Decrypt".
func (*DecryptRequest) KMSOperation() string { return "Decrypt" }

// KMSOperation returns "Decrypt".
func (*DecryptResponse) KMSOperation() string { return "Decrypt" }

// KMSOperation returns "ReEncrypt".
func (*ReEncryptRequest) KMSOperation() string { return "ReEncrypt" }

// KMSOperation returns "ReEncrypt".
func (*ReEncryptResponse) KMSOperation() string { return "ReEncrypt" }

// KMSOperation returns "GenerateDataKey".
func (*GenerateDataKeyRequest) KMSOperation() string { return "GenerateDataKey" }

// KMSOperation returns "GenerateDataKey".
func (*GenerateDataKeyResponse) KMSOperation() string { return "GenerateDataKey" }

// KMSOperation returns "GenerateDataKeyWithoutPlaintext".
func (*GenerateDataKeyWithoutPlaintextRequest) KMSOperation() string {
	return "GenerateDataKeyWithoutPlaintext"
}

// KMSOperation returns "GenerateDataKeyWithoutPlaintext".
func (*GenerateDataKeyWithoutPlaintextResponse) KMSOperation() string {
	return "GenerateDataKeyWithoutPlaintext"
}

// KMSOperation returns "GenerateDataKeyPair".
func (*GenerateDataKeyPairRequest) KMSOperation() string { return "GenerateDataKeyPair" }

// KMSOperation returns "GenerateDataKeyPair".
func (*GenerateDataKeyPairResponse) KMSOperation() string { return "GenerateDataKeyPair" }

// KMSOperation returns "GenerateDataKeyPairWithoutPlaintext".
func (*GenerateDataKeyPairWithoutPlaintextRequest) KMSOperation() string {
	return "GenerateDataKeyPairWithoutPlaintext"
}

// KMSOperation returns "GenerateDataKeyPairWithoutPlaintext".
func (*GenerateDataKeyPairWithoutPlaintextResponse) KMSOperation() string {
	return "GenerateDataKeyPairWithoutPlaintext"
}

// KMSOperation returns "GenerateMac".
func (*GenerateMacRequest) KMSOperation() string { return "GenerateMac" }

// KMSOperation returns "GenerateMac".
func (*GenerateMacResponse) KMSOperation() string { return "GenerateMac" }

// KMSOperation returns "VerifyMac".
func (*VerifyMacRequest) KMSOperation() string { return "VerifyMac" }

// KMSOperation returns "VerifyMac".
func (*VerifyMacResponse) KMSOperation() string { return "VerifyMac" }

// KMSOperation returns "Sign".
func (*SignRequest) KMSOperation() string { return "Sign" }

// KMSOperation returns "Sign".
func (*SignResponse) KMSOperation() string { return "Sign" }

// KMSOperation returns "Verify".
func (*VerifyRequest) KMSOperation() string { return "Verify" }

// KMSOperation returns "Verify".
func (*VerifyResponse) KMSOperation() string { return "Verify" }

// KMSOperation returns "GenerateRandom".
func (*GenerateRandomRequest) KMSOperation() string { return "GenerateRandom" }

// KMSOperation returns "GenerateRandom".
func (*GenerateRandomResponse) KMSOperation() string { return "GenerateRandom" }

// KMSOperation returns "DeriveSharedSecret".
func (*DeriveSharedSecretRequest) KMSOperation() string { return "DeriveSharedSecret" }

// KMSOperation returns "DeriveSharedSecret".
func (*DeriveSharedSecretResponse) KMSOperation() string { return "DeriveSharedSecret" }

// KMSOperation returns "Encapsulate".
func (*EncapsulateRequest) KMSOperation() string { return "Encapsulate" }

// KMSOperation returns "Encapsulate".
func (*EncapsulateResponse) KMSOperation() string { return "Encapsulate" }

// KMSOperation returns "Decapsulate".
func (*DecapsulateRequest) KMSOperation() string { return "Decapsulate" }

// KMSOperation returns "Decapsulate".
func (*DecapsulateResponse) KMSOperation() string { return "Decapsulate" }

// KMSOperation returns "CreateGrant".
func (*CreateGrantRequest) KMSOperation() string { return "CreateGrant" }

// KMSOperation returns "CreateGrant".
func (*CreateGrantResponse) KMSOperation() string { return "CreateGrant" }

// KMSOperation returns "ListGrants".
func (*ListGrantsRequest) KMSOperation() string { return "ListGrants" }

// KMSOperation returns "ListGrants".
func (*ListGrantsResponse) KMSOperation() string { return "ListGrants" }

// KMSOperation returns "ListRetirableGrants".
func (*ListRetirableGrantsRequest) KMSOperation() string { return "ListRetirableGrants" }

// KMSOperation returns "ListRetirableGrants".
func (*ListRetirableGrantsResponse) KMSOperation() string { return "ListRetirableGrants" }

// KMSOperation returns "RetireGrant".
func (*RetireGrantRequest) KMSOperation() string { return "RetireGrant" }

// KMSOperation returns "RetireGrant".
func (*RetireGrantResponse) KMSOperation() string { return "RetireGrant" }

// KMSOperation returns "RevokeGrant".
func (*RevokeGrantRequest) KMSOperation() string { return "RevokeGrant" }

// KMSOperation returns "RevokeGrant".
func (*RevokeGrantResponse) KMSOperation() string { return "RevokeGrant" }

// KMSOperation returns "GetParametersForImport".
func (*GetParametersForImportRequest) KMSOperation() string { return "GetParametersForImport" }

// KMSOperation returns "GetParametersForImport".
func (*GetParametersForImportResponse) KMSOperation() string { return "GetParametersForImport" }

// KMSOperation returns "ImportKeyMaterial".
func (*ImportKeyMaterialRequest) KMSOperation() string { return "ImportKeyMaterial" }

// KMSOperation returns "ImportKeyMaterial".
func (*ImportKeyMaterialResponse) KMSOperation() string { return "ImportKeyMaterial" }

// KMSOperation returns "DeleteImportedKeyMaterial".
func (*DeleteImportedKeyMaterialRequest) KMSOperation() string { return "DeleteImportedKeyMaterial" }

// KMSOperation returns "DeleteImportedKeyMaterial".
func (*DeleteImportedKeyMaterialResponse) KMSOperation() string { return "DeleteImportedKeyMaterial" }

// KMSOperation returns "CreateKey".
func (*CreateKeyRequest) KMSOperation() string { return "CreateKey" }

// KMSOperation returns "CreateKey".
func (*CreateKeyResponse) KMSOperation() string { return "CreateKey" }

// KMSOperation returns "DescribeKey".
func (*DescribeKeyRequest) KMSOperation() string { return "DescribeKey" }

// KMSOperation returns "DescribeKey".
func (*DescribeKeyResponse) KMSOperation() string { return "DescribeKey" }

// KMSOperation returns "EnableKey".
func (*EnableKeyRequest) KMSOperation() string { return "EnableKey" }

// KMSOperation returns "EnableKey".
func (*EnableKeyResponse) KMSOperation() string { return "EnableKey" }

// KMSOperation returns "DisableKey".
func (*DisableKeyRequest) KMSOperation() string { return "DisableKey" }

// KMSOperation returns "DisableKey".
func (*DisableKeyResponse) KMSOperation() string { return "DisableKey" }

// KMSOperation returns "ScheduleKeyDeletion".
func (*ScheduleKeyDeletionRequest) KMSOperation() string { return "ScheduleKeyDeletion" }

// KMSOperation returns "ScheduleKeyDeletion".
func (*ScheduleKeyDeletionResponse) KMSOperation() string { return "ScheduleKeyDeletion" }

// KMSOperation returns "CancelKeyDeletion".
func (*CancelKeyDeletionRequest) KMSOperation() string { return "CancelKeyDeletion" }

// KMSOperation returns "CancelKeyDeletion".
func (*CancelKeyDeletionResponse) KMSOperation() string { return "CancelKeyDeletion" }

// KMSOperation returns "UpdateKeyDescription".
func (*UpdateKeyDescriptionRequest) KMSOperation() string { return "UpdateKeyDescription" }

// KMSOperation returns "UpdateKeyDescription".
func (*UpdateKeyDescriptionResponse) KMSOperation() string { return "UpdateKeyDescription" }

// KMSOperation returns "GetKeyPolicy".
func (*GetKeyPolicyRequest) KMSOperation() string { return "GetKeyPolicy" }

// KMSOperation returns "GetKeyPolicy".
func (*GetKeyPolicyResponse) KMSOperation() string { return "GetKeyPolicy" }

// KMSOperation returns "PutKeyPolicy".
func (*PutKeyPolicyRequest) KMSOperation() string { return "PutKeyPolicy" }

// KMSOperation returns "PutKeyPolicy".
func (*PutKeyPolicyResponse) KMSOperation() string { return "PutKeyPolicy" }

// KMSOperation returns "ListKeyPolicies".
func (*ListKeyPoliciesRequest) KMSOperation() string { return "ListKeyPolicies" }

// KMSOperation returns "ListKeyPolicies".
func (*ListKeyPoliciesResponse) KMSOperation() string { return "ListKeyPolicies" }

// KMSOperation returns "EnableKeyRotation".
func (*EnableKeyRotationRequest) KMSOperation() string { return "EnableKeyRotation" }

// KMSOperation returns "EnableKeyRotation".
func (*EnableKeyRotationResponse) KMSOperation() string { return "EnableKeyRotation" }

// KMSOperation returns "DisableKeyRotation".
func (*DisableKeyRotationRequest) KMSOperation() string { return "DisableKeyRotation" }

// KMSOperation returns "DisableKeyRotation".
func (*DisableKeyRotationResponse) KMSOperation() string { return "DisableKeyRotation" }

// KMSOperation returns "GetKeyRotationStatus".
func (*GetKeyRotationStatusRequest) KMSOperation() string { return "GetKeyRotationStatus" }

// KMSOperation returns "GetKeyRotationStatus".
func (*GetKeyRotationStatusResponse) KMSOperation() string { return "GetKeyRotationStatus" }

// KMSOperation returns "RotateKeyOnDemand".
func (*RotateKeyOnDemandRequest) KMSOperation() string { return "RotateKeyOnDemand" }

// KMSOperation returns "RotateKeyOnDemand".
func (*RotateKeyOnDemandResponse) KMSOperation() string { return "RotateKeyOnDemand" }

// KMSOperation returns "ListKeyRotations".
func (*ListKeyRotationsRequest) KMSOperation() string { return "ListKeyRotations" }

// KMSOperation returns "ListKeyRotations".
func (*ListKeyRotationsResponse) KMSOperation() string { return "ListKeyRotations" }

// KMSOperation returns "ListKeys".
func (*ListKeysRequest) KMSOperation() string { return "ListKeys" }

// KMSOperation returns "ListKeys".
func (*ListKeysResponse) KMSOperation() string { return "ListKeys" }

// KMSOperation returns "GetPublicKey".
func (*GetPublicKeyRequest) KMSOperation() string { return "GetPublicKey" }

// KMSOperation returns "GetPublicKey".
func (*GetPublicKeyResponse) KMSOperation() string { return "GetPublicKey" }

// KMSOperation returns "GetKeyLastUsage".
func (*GetKeyLastUsageRequest) KMSOperation() string { return "GetKeyLastUsage" }

// KMSOperation returns "GetKeyLastUsage".
func (*GetKeyLastUsageResponse) KMSOperation() string { return "GetKeyLastUsage" }

// KMSOperation returns "ReplicateKey".
func (*ReplicateKeyRequest) KMSOperation() string { return "ReplicateKey" }

// KMSOperation returns "ReplicateKey".
func (*ReplicateKeyResponse) KMSOperation() string { return "ReplicateKey" }

// KMSOperation returns "UpdatePrimaryRegion".
func (*UpdatePrimaryRegionRequest) KMSOperation() string { return "UpdatePrimaryRegion" }

// KMSOperation returns "UpdatePrimaryRegion".
func (*UpdatePrimaryRegionResponse) KMSOperation() string { return "UpdatePrimaryRegion" }

// KMSOperation returns "TagResource".
func (*TagResourceRequest) KMSOperation() string { return "TagResource" }

// KMSOperation returns "TagResource".
func (*TagResourceResponse) KMSOperation() string { return "TagResource" }

// KMSOperation returns "UntagResource".
func (*UntagResourceRequest) KMSOperation() string { return "UntagResource" }

// KMSOperation returns "UntagResource".
func (*UntagResourceResponse) KMSOperation() string { return "UntagResource" }

// KMSOperation returns "ListResourceTags".
func (*ListResourceTagsRequest) KMSOperation() string { return "ListResourceTags" }

// KMSOperation returns "ListResourceTags".
func (*ListResourceTagsResponse) KMSOperation() string { return "ListResourceTags" }

// KMSOperation returns "CreateCustomKeyStore".
func (*CreateCustomKeyStoreRequest) KMSOperation() string { return "CreateCustomKeyStore" }

// KMSOperation returns "CreateCustomKeyStore".
func (*CreateCustomKeyStoreResponse) KMSOperation() string { return "CreateCustomKeyStore" }

// KMSOperation returns "ConnectCustomKeyStore".
func (*ConnectCustomKeyStoreRequest) KMSOperation() string { return "ConnectCustomKeyStore" }

// KMSOperation returns "ConnectCustomKeyStore".
func (*ConnectCustomKeyStoreResponse) KMSOperation() string { return "ConnectCustomKeyStore" }

// KMSOperation returns "DisconnectCustomKeyStore".
func (*DisconnectCustomKeyStoreRequest) KMSOperation() string { return "DisconnectCustomKeyStore" }

// KMSOperation returns "DisconnectCustomKeyStore".
func (*DisconnectCustomKeyStoreResponse) KMSOperation() string { return "DisconnectCustomKeyStore" }

// KMSOperation returns "DeleteCustomKeyStore".
func (*DeleteCustomKeyStoreRequest) KMSOperation() string { return "DeleteCustomKeyStore" }

// KMSOperation returns "DeleteCustomKeyStore".
func (*DeleteCustomKeyStoreResponse) KMSOperation() string { return "DeleteCustomKeyStore" }

// KMSOperation returns "UpdateCustomKeyStore".
func (*UpdateCustomKeyStoreRequest) KMSOperation() string { return "UpdateCustomKeyStore" }

// KMSOperation returns "UpdateCustomKeyStore".
func (*UpdateCustomKeyStoreResponse) KMSOperation() string { return "UpdateCustomKeyStore" }

// KMSOperation returns "DescribeCustomKeyStores".
func (*DescribeCustomKeyStoresRequest) KMSOperation() string { return "DescribeCustomKeyStores" }

// KMSOperation returns "DescribeCustomKeyStores".
func (*DescribeCustomKeyStoresResponse) KMSOperation() string { return "DescribeCustomKeyStores" }

// KMSOperation returns "DeleteKey".
func (*DeleteKeyRequest) KMSOperation() string { return "DeleteKey" }

// KMSOperation returns "DeleteKey".
func (*DeleteKeyResponse) KMSOperation() string { return "DeleteKey" }

// KMSOperation returns "RotateKey".
func (*RotateKeyRequest) KMSOperation() string { return "RotateKey" }

// KMSOperation returns "RotateKey".
func (*RotateKeyResponse) KMSOperation() string { return "RotateKey" }

// KMSOperation returns "SynchronizeMultiRegionKey".
func (*SynchronizeMultiRegionKeyRequest) KMSOperation() string { return "SynchronizeMultiRegionKey" }

// KMSOperation returns "SynchronizeMultiRegionKey".
func (*SynchronizeMultiRegionKeyResponse) KMSOperation() string { return "SynchronizeMultiRegionKey" }

// KMSOperation returns "DeleteExpiredKeyMaterial".
func (*DeleteExpiredKeyMaterialRequest) KMSOperation() string { return "DeleteExpiredKeyMaterial" }

// KMSOperation returns "DeleteExpiredKeyMaterial".
func (*DeleteExpiredKeyMaterialResponse) KMSOperation() string { return "DeleteExpiredKeyMaterial" }
