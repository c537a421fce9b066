package kmstrail

import "github.com/go-json-experiment/json/jsontext"

// The events KMS writes itself. DeleteKey, DeleteExpiredKeyMaterial and
// RotateKey are AwsServiceEvent records; SynchronizeMultiRegionKey is an
// AwsApiCall that KMS makes. Their userIdentity has no type, only the
// account and "invokedBy": "AWS Internal", and their requestParameters are
// null: the request types exist so that every event has one, and whatever
// members a record holds are reported as schema drift. RotateKey and
// DeleteExpiredKeyMaterial describe themselves in serviceEventDetails
// (KMSCall.ServiceEventDetails).

func init() {
	registerKMS("DeleteKey", (*DeleteKeyRequest)(nil), (*DeleteKeyResponse)(nil))
	registerKMS("RotateKey", (*RotateKeyRequest)(nil), (*RotateKeyResponse)(nil))
	registerKMS("SynchronizeMultiRegionKey", (*SynchronizeMultiRegionKeyRequest)(nil), (*SynchronizeMultiRegionKeyResponse)(nil))
	registerKMS("DeleteExpiredKeyMaterial", (*DeleteExpiredKeyMaterialRequest)(nil), (*DeleteExpiredKeyMaterialResponse)(nil))
}

// DeleteKeyRequest is the requestParameters of DeleteKey, the event KMS
// writes when a key's deletion waiting period ends: null.
type DeleteKeyRequest struct {
	tracked

	// Unknown holds the members of an unexpected request, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeleteKeyResponse is the responseElements of DeleteKey: null for most
// keys, and the key ARN for a CloudHSM key store key (whose backing keys
// are in additionalEventData).
type DeleteKeyResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// RotateKeyRequest is the requestParameters of RotateKey, the event KMS
// writes when it rotates key material, automatically or on demand: null.
type RotateKeyRequest struct {
	tracked

	// Unknown holds the members of an unexpected request, as written.
	Unknown jsontext.Value `json:"-"`
}

// RotateKeyResponse is the responseElements of RotateKey: null in the
// documented records, though KMS lists RotateKey among the events whose
// response holds the key ARN since December 2022.
type RotateKeyResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// SynchronizeMultiRegionKeyRequest is the requestParameters of
// SynchronizeMultiRegionKey, which KMS calls to keep replicas in step with
// their primary: null.
type SynchronizeMultiRegionKeyRequest struct {
	tracked

	// Unknown holds the members of an unexpected request, as written.
	Unknown jsontext.Value `json:"-"`
}

// SynchronizeMultiRegionKeyResponse is the responseElements of
// SynchronizeMultiRegionKey: the primary key's ARN since December 2022.
type SynchronizeMultiRegionKeyResponse struct {
	tracked

	// KeyID is the primary key's ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeleteExpiredKeyMaterialRequest is the requestParameters of
// DeleteExpiredKeyMaterial, the event KMS writes when imported key material
// expires: null.
type DeleteExpiredKeyMaterialRequest struct {
	tracked

	// Unknown holds the members of an unexpected request, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeleteExpiredKeyMaterialResponse is the responseElements of
// DeleteExpiredKeyMaterial: null.
type DeleteExpiredKeyMaterialResponse struct {
	tracked

	// Unknown holds the members of an unexpected response, as written.
	Unknown jsontext.Value `json:"-"`
}
