package kmstrail

import (
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json/jsontext"
)

// The imported key material family: GetParametersForImport,
// ImportKeyMaterial, DeleteImportedKeyMaterial and the service event
// DeleteExpiredKeyMaterial (in kms_service.go).

func init() {
	registerKMS("GetParametersForImport", (*GetParametersForImportRequest)(nil), (*GetParametersForImportResponse)(nil))
	registerKMS("ImportKeyMaterial", (*ImportKeyMaterialRequest)(nil), (*ImportKeyMaterialResponse)(nil))
	registerKMS("DeleteImportedKeyMaterial", (*DeleteImportedKeyMaterialRequest)(nil), (*DeleteImportedKeyMaterialResponse)(nil))
}

// GetParametersForImportRequest is the requestParameters of
// GetParametersForImport.
type GetParametersForImportRequest struct {
	tracked

	// KeyID names the key, as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// WrappingAlgorithm is the algorithm that wraps the key material.
	WrappingAlgorithm types.AlgorithmSpec `json:"wrappingAlgorithm,omitzero"`

	// WrappingKeySpec is the type of the wrapping public key.
	WrappingKeySpec types.WrappingKeySpec `json:"wrappingKeySpec,omitzero"`

	// Unknown holds members the model does not know (schema drift), as
	// written.
	Unknown jsontext.Value `json:"-"`
}

// GetParametersForImportResponse is the responseElements of
// GetParametersForImport. CloudTrail logs it as null (the public key and the
// import token are never logged); the members model what a record could
// hold.
type GetParametersForImportResponse struct {
	tracked

	// KeyID is the key's ARN.
	KeyID string `json:"keyId,omitzero"`

	// ParametersValidTo is when the import token and public key expire.
	ParametersValidTo Time `json:"parametersValidTo,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ImportKeyMaterialRequest is the requestParameters of ImportKeyMaterial.
// The key material and the import token are never logged.
type ImportKeyMaterialRequest struct {
	tracked

	// KeyID names the key, as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// ValidTo is when the key material expires. KMS logs it in Java's
	// medium date format ("May 21, 2025, 5:47:45 AM", and before 2025
	// "Jan 1, 2021 8:00:00 PM"), which is normalized to UTC.
	ValidTo Time `json:"validTo,omitzero"`

	// ExpirationModel says whether the key material expires.
	ExpirationModel types.ExpirationModelType `json:"expirationModel,omitzero"`

	// ImportType says whether new key material was imported or existing
	// material re-imported (written since 2025).
	ImportType types.ImportType `json:"importType,omitzero"`

	// KeyMaterialDescription describes the key material.
	KeyMaterialDescription string `json:"keyMaterialDescription,omitzero"`

	// KeyMaterialID names the key material being re-imported.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ImportKeyMaterialResponse is the responseElements of ImportKeyMaterial:
// null before December 2022, then the key ARN, and since 2025 the key
// material's ID.
type ImportKeyMaterialResponse struct {
	tracked

	// KeyID is the key's ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyMaterialID identifies the imported key material.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeleteImportedKeyMaterialRequest is the requestParameters of
// DeleteImportedKeyMaterial.
type DeleteImportedKeyMaterialRequest struct {
	tracked

	// KeyID names the key, as the caller did.
	KeyID string `json:"keyId,omitzero"`

	// KeyMaterialID names the key material to delete; absent for the
	// current material.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeleteImportedKeyMaterialResponse is the responseElements of
// DeleteImportedKeyMaterial.
type DeleteImportedKeyMaterialResponse struct {
	tracked

	// KeyID is the key's ARN.
	KeyID string `json:"keyId,omitzero"`

	// KeyMaterialID identifies the deleted key material.
	KeyMaterialID string `json:"keyMaterialId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}
