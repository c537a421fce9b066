package kmstrail

import (
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json/jsontext"
)

// Cryptographic operations. CloudTrail never logs plaintext, ciphertext,
// messages, signatures, MACs, public keys or shared secrets, and logs their
// responses as null: the response types model what the operations return
// that could be logged. Since 2025 KMS writes the key material used in
// additionalEventData (KMSCall.AdditionalEventData.KeyMaterialID), and an
// attested request's recipient there too.

func init() {
	registerKMS("Encrypt", (*EncryptRequest)(nil), (*EncryptResponse)(nil))
	registerKMS("Decrypt", (*DecryptRequest)(nil), (*DecryptResponse)(nil))
	registerKMS("ReEncrypt", (*ReEncryptRequest)(nil), (*ReEncryptResponse)(nil))
	registerKMS("GenerateDataKey", (*GenerateDataKeyRequest)(nil), (*GenerateDataKeyResponse)(nil))
	registerKMS("GenerateDataKeyWithoutPlaintext", (*GenerateDataKeyWithoutPlaintextRequest)(nil), (*GenerateDataKeyWithoutPlaintextResponse)(nil))
	registerKMS("GenerateDataKeyPair", (*GenerateDataKeyPairRequest)(nil), (*GenerateDataKeyPairResponse)(nil))
	registerKMS("GenerateDataKeyPairWithoutPlaintext", (*GenerateDataKeyPairWithoutPlaintextRequest)(nil), (*GenerateDataKeyPairWithoutPlaintextResponse)(nil))
	registerKMS("GenerateMac", (*GenerateMacRequest)(nil), (*GenerateMacResponse)(nil))
	registerKMS("VerifyMac", (*VerifyMacRequest)(nil), (*VerifyMacResponse)(nil))
	registerKMS("Sign", (*SignRequest)(nil), (*SignResponse)(nil))
	registerKMS("Verify", (*VerifyRequest)(nil), (*VerifyResponse)(nil))
	registerKMS("GenerateRandom", (*GenerateRandomRequest)(nil), (*GenerateRandomResponse)(nil))
	registerKMS("DeriveSharedSecret", (*DeriveSharedSecretRequest)(nil), (*DeriveSharedSecretResponse)(nil))
	registerKMS("Encapsulate", (*EncapsulateRequest)(nil), (*EncapsulateResponse)(nil))
	registerKMS("Decapsulate", (*DecapsulateRequest)(nil), (*DecapsulateResponse)(nil))
}

// EncryptRequest is the requestParameters of Encrypt.
type EncryptRequest struct {
	tracked

	// KeyID names the key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// EncryptionContext is the encryption context; values are strings
	// even when they look like numbers.
	EncryptionContext map[string]string `json:"encryptionContext,omitzero"`

	// EncryptionAlgorithm is the algorithm, such as SYMMETRIC_DEFAULT.
	EncryptionAlgorithm types.EncryptionAlgorithmSpec `json:"encryptionAlgorithm,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know (schema drift), as
	// written.
	Unknown jsontext.Value `json:"-"`
}

// EncryptResponse is the responseElements of Encrypt.
type EncryptResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// EncryptionAlgorithm is the algorithm used.
	EncryptionAlgorithm types.EncryptionAlgorithmSpec `json:"encryptionAlgorithm,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DecryptRequest is the requestParameters of Decrypt. KeyID is absent when
// the caller let KMS find the key from the ciphertext; the key is then in
// resources[].
type DecryptRequest struct {
	tracked

	// KeyID names the key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// EncryptionContext is the encryption context.
	EncryptionContext map[string]string `json:"encryptionContext,omitzero"`

	// EncryptionAlgorithm is the algorithm; KMS logs it even when the
	// caller did not pass it.
	EncryptionAlgorithm types.EncryptionAlgorithmSpec `json:"encryptionAlgorithm,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run; DryRunModifiers qualifies it.
	DryRun          bool                       `json:"dryRun,omitzero"`
	DryRunModifiers []types.DryRunModifierType `json:"dryRunModifiers,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DecryptResponse is the responseElements of Decrypt.
type DecryptResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// EncryptionAlgorithm is the algorithm used.
	EncryptionAlgorithm types.EncryptionAlgorithmSpec `json:"encryptionAlgorithm,omitzero"`

	// KeyMaterialID is the key material used.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ReEncryptRequest is the requestParameters of ReEncrypt. KMS does not log
// the source key's identifier: resources[] lists the source key, then the
// destination key. The principal key is the source.
type ReEncryptRequest struct {
	tracked

	// SourceKeyID names the source key, when the caller did.
	SourceKeyID string `json:"sourceKeyId,omitzero"`

	// SourceEncryptionContext and SourceEncryptionAlgorithm are those of
	// the ciphertext.
	SourceEncryptionContext   map[string]string             `json:"sourceEncryptionContext,omitzero"`
	SourceEncryptionAlgorithm types.EncryptionAlgorithmSpec `json:"sourceEncryptionAlgorithm,omitzero"`

	// DestinationKeyID names the key to re-encrypt under.
	DestinationKeyID string `json:"destinationKeyId,omitzero"`

	// DestinationEncryptionContext and DestinationEncryptionAlgorithm are
	// those of the new ciphertext.
	DestinationEncryptionContext   map[string]string             `json:"destinationEncryptionContext,omitzero"`
	DestinationEncryptionAlgorithm types.EncryptionAlgorithmSpec `json:"destinationEncryptionAlgorithm,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run; DryRunModifiers qualifies it.
	DryRun          bool                       `json:"dryRun,omitzero"`
	DryRunModifiers []types.DryRunModifierType `json:"dryRunModifiers,omitzero"`

	// SourceKey is the source key (the principal key), resolved against the
	// record.
	SourceKey KeyRef `json:"-"`

	// DestinationKey is the destination key, resolved against the record.
	DestinationKey KeyRef `json:"-"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *ReEncryptRequest) principalKey() (string, KeySource) { return r.SourceKeyID, KeyFromRequest }
func (r *ReEncryptRequest) resolveKeys(kc *keyContext)        { r.DestinationKey = kc.key(r.DestinationKeyID) }
func (r *ReEncryptRequest) usePrincipal(k KeyRef)             { r.SourceKey = k }

// ReEncryptResponse is the responseElements of ReEncrypt.
type ReEncryptResponse struct {
	tracked

	// KeyID is the destination key's ARN.
	KeyID string `json:"keyId,omitzero"`

	// SourceKeyID is the source key's ARN.
	SourceKeyID string `json:"sourceKeyId,omitzero"`

	// SourceEncryptionAlgorithm and DestinationEncryptionAlgorithm are the
	// algorithms used.
	SourceEncryptionAlgorithm      types.EncryptionAlgorithmSpec `json:"sourceEncryptionAlgorithm,omitzero"`
	DestinationEncryptionAlgorithm types.EncryptionAlgorithmSpec `json:"destinationEncryptionAlgorithm,omitzero"`

	// SourceKeyMaterialID and DestinationKeyMaterialID are the key
	// materials used.
	SourceKeyMaterialID      string `json:"sourceKeyMaterialId,omitzero"`
	DestinationKeyMaterialID string `json:"destinationKeyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *ReEncryptResponse) principalKey() (string, KeySource) { return r.SourceKeyID, KeyFromResponse }

// GenerateDataKeyRequest is the requestParameters of GenerateDataKey. The
// data key (plaintext and ciphertext) is never logged.
type GenerateDataKeyRequest struct {
	tracked

	// KeyID names the key as the caller did, often by alias.
	KeyID string `json:"keyId,omitzero"`

	// KeySpec (AES_256, AES_128) or NumberOfBytes sizes the data key.
	KeySpec       types.DataKeySpec `json:"keySpec,omitzero"`
	NumberOfBytes int32             `json:"numberOfBytes,omitzero"`

	// EncryptionContext is the encryption context.
	EncryptionContext map[string]string `json:"encryptionContext,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateDataKeyResponse is the responseElements of GenerateDataKey.
type GenerateDataKeyResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyMaterialID is the key material used.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateDataKeyWithoutPlaintextRequest is the requestParameters of
// GenerateDataKeyWithoutPlaintext.
type GenerateDataKeyWithoutPlaintextRequest struct {
	tracked

	// KeyID names the key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// KeySpec or NumberOfBytes sizes the data key.
	KeySpec       types.DataKeySpec `json:"keySpec,omitzero"`
	NumberOfBytes int32             `json:"numberOfBytes,omitzero"`

	// EncryptionContext is the encryption context.
	EncryptionContext map[string]string `json:"encryptionContext,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateDataKeyWithoutPlaintextResponse is the responseElements of
// GenerateDataKeyWithoutPlaintext.
type GenerateDataKeyWithoutPlaintextResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyMaterialID is the key material used.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateDataKeyPairRequest is the requestParameters of
// GenerateDataKeyPair.
type GenerateDataKeyPairRequest struct {
	tracked

	// KeyID names the key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// KeyPairSpec is the data key pair's type, such as RSA_3072.
	KeyPairSpec types.DataKeyPairSpec `json:"keyPairSpec,omitzero"`

	// EncryptionContext is the encryption context.
	EncryptionContext map[string]string `json:"encryptionContext,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateDataKeyPairResponse is the responseElements of
// GenerateDataKeyPair.
type GenerateDataKeyPairResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyPairSpec is the data key pair's type.
	KeyPairSpec types.DataKeyPairSpec `json:"keyPairSpec,omitzero"`

	// KeyMaterialID is the key material used.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateDataKeyPairWithoutPlaintextRequest is the requestParameters of
// GenerateDataKeyPairWithoutPlaintext.
type GenerateDataKeyPairWithoutPlaintextRequest struct {
	tracked

	// KeyID names the key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// KeyPairSpec is the data key pair's type, such as RSA_4096.
	KeyPairSpec types.DataKeyPairSpec `json:"keyPairSpec,omitzero"`

	// EncryptionContext is the encryption context.
	EncryptionContext map[string]string `json:"encryptionContext,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateDataKeyPairWithoutPlaintextResponse is the responseElements of
// GenerateDataKeyPairWithoutPlaintext.
type GenerateDataKeyPairWithoutPlaintextResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyPairSpec is the data key pair's type.
	KeyPairSpec types.DataKeyPairSpec `json:"keyPairSpec,omitzero"`

	// KeyMaterialID is the key material used.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateMacRequest is the requestParameters of GenerateMac. The message
// and the MAC are never logged.
type GenerateMacRequest struct {
	tracked

	// KeyID names the HMAC key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// MacAlgorithm is the algorithm, such as HMAC_SHA_512.
	MacAlgorithm types.MacAlgorithmSpec `json:"macAlgorithm,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateMacResponse is the responseElements of GenerateMac.
type GenerateMacResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// MacAlgorithm is the algorithm used.
	MacAlgorithm types.MacAlgorithmSpec `json:"macAlgorithm,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// VerifyMacRequest is the requestParameters of VerifyMac. The message and
// the MAC are never logged.
type VerifyMacRequest struct {
	tracked

	// KeyID names the HMAC key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// MacAlgorithm is the algorithm, such as HMAC_SHA_384.
	MacAlgorithm types.MacAlgorithmSpec `json:"macAlgorithm,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// VerifyMacResponse is the responseElements of VerifyMac (null: whether the
// MAC was valid is not logged).
type VerifyMacResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// MacAlgorithm is the algorithm used.
	MacAlgorithm types.MacAlgorithmSpec `json:"macAlgorithm,omitzero"`

	// MacValid reports a valid MAC.
	MacValid bool `json:"macValid,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// SignRequest is the requestParameters of Sign. The message and the
// signature are never logged.
type SignRequest struct {
	tracked

	// KeyID names the signing key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// SigningAlgorithm is the algorithm, such as RSASSA_PKCS1_V1_5_SHA_256.
	SigningAlgorithm types.SigningAlgorithmSpec `json:"signingAlgorithm,omitzero"`

	// MessageType is RAW, DIGEST or EXTERNAL_MU.
	MessageType types.MessageType `json:"messageType,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// SignResponse is the responseElements of Sign.
type SignResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// SigningAlgorithm is the algorithm used.
	SigningAlgorithm types.SigningAlgorithmSpec `json:"signingAlgorithm,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// VerifyRequest is the requestParameters of Verify.
type VerifyRequest struct {
	tracked

	// KeyID names the signing key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// SigningAlgorithm is the algorithm.
	SigningAlgorithm types.SigningAlgorithmSpec `json:"signingAlgorithm,omitzero"`

	// MessageType is RAW, DIGEST or EXTERNAL_MU.
	MessageType types.MessageType `json:"messageType,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// VerifyResponse is the responseElements of Verify (null: whether the
// signature was valid is not logged).
type VerifyResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// SigningAlgorithm is the algorithm used.
	SigningAlgorithm types.SigningAlgorithmSpec `json:"signingAlgorithm,omitzero"`

	// SignatureValid reports a valid signature.
	SignatureValid bool `json:"signatureValid,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateRandomRequest is the requestParameters of GenerateRandom. KMS
// logs them as null; an attested request's recipient is in
// additionalEventData. The operation uses no key.
type GenerateRandomRequest struct {
	tracked

	// NumberOfBytes is how many random bytes were asked for.
	NumberOfBytes int32 `json:"numberOfBytes,omitzero"`

	// CustomKeyStoreID is the CloudHSM key store to generate them in.
	CustomKeyStoreID string `json:"customKeyStoreId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// GenerateRandomResponse is the responseElements of GenerateRandom: null,
// as the random bytes are never logged.
type GenerateRandomResponse struct {
	tracked

	// Unknown holds the members of an unexpected response, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeriveSharedSecretRequest is the requestParameters of DeriveSharedSecret.
// The peer's public key is never logged.
type DeriveSharedSecretRequest struct {
	tracked

	// KeyID names the key agreement key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// KeyAgreementAlgorithm is the algorithm, ECDH.
	KeyAgreementAlgorithm types.KeyAgreementAlgorithmSpec `json:"keyAgreementAlgorithm,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeriveSharedSecretResponse is the responseElements of DeriveSharedSecret.
type DeriveSharedSecretResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyAgreementAlgorithm is the algorithm used.
	KeyAgreementAlgorithm types.KeyAgreementAlgorithmSpec `json:"keyAgreementAlgorithm,omitzero"`

	// KeyOrigin is the key's origin.
	KeyOrigin types.OriginType `json:"keyOrigin,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// EncapsulateRequest is the requestParameters of Encapsulate (ML-KEM).
type EncapsulateRequest struct {
	tracked

	// KeyID names the key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// EncapsulationAlgorithm is the algorithm, ML_KEM.
	EncapsulationAlgorithm types.EncapsulationAlgorithmSpec `json:"encapsulationAlgorithm,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// EncapsulateResponse is the responseElements of Encapsulate.
type EncapsulateResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// EncapsulationAlgorithm is the algorithm used.
	EncapsulationAlgorithm types.EncapsulationAlgorithmSpec `json:"encapsulationAlgorithm,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DecapsulateRequest is the requestParameters of Decapsulate (ML-KEM). The
// ciphertext is never logged.
type DecapsulateRequest struct {
	tracked

	// KeyID names the key as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// EncapsulationAlgorithm is the algorithm, ML_KEM.
	EncapsulationAlgorithm types.EncapsulationAlgorithmSpec `json:"encapsulationAlgorithm,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DecapsulateResponse is the responseElements of Decapsulate.
type DecapsulateResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// EncapsulationAlgorithm is the algorithm used.
	EncapsulationAlgorithm types.EncapsulationAlgorithmSpec `json:"encapsulationAlgorithm,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}
