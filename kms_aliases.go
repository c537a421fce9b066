package kmstrail

import "github.com/go-json-experiment/json/jsontext"

// Aliases: CreateAlias, UpdateAlias, DeleteAlias and ListAliases. KMS lists
// alias ARNs in resources[] with type AWS::KMS::Key beside the key's ARN.

func init() {
	registerKMS("CreateAlias", (*CreateAliasRequest)(nil), (*CreateAliasResponse)(nil))
	registerKMS("UpdateAlias", (*UpdateAliasRequest)(nil), (*UpdateAliasResponse)(nil))
	registerKMS("DeleteAlias", (*DeleteAliasRequest)(nil), (*DeleteAliasResponse)(nil))
	registerKMS("ListAliases", (*ListAliasesRequest)(nil), (*ListAliasesResponse)(nil))
}

// CreateAliasRequest is the requestParameters of CreateAlias. The
// principal key is the target; KMSCall.Key.Alias is the new alias.
type CreateAliasRequest struct {
	tracked

	// AliasName is the new alias, "alias/...".
	AliasName string `json:"aliasName,omitzero"`

	// TargetKeyID names the key the alias points to (a key ID or ARN).
	TargetKeyID string `json:"targetKeyId,omitzero"`

	// TargetKey is the target key, resolved against the record.
	TargetKey KeyRef `json:"-"`

	// Unknown holds members the model does not know (schema drift), as
	// written.
	Unknown jsontext.Value `json:"-"`
}

func (r *CreateAliasRequest) principalKey() (string, KeySource) { return r.TargetKeyID, KeyFromRequest }
func (r *CreateAliasRequest) principalAlias() string            { return r.AliasName }
func (r *CreateAliasRequest) usePrincipal(k KeyRef)             { r.TargetKey = k }

// CreateAliasResponse is the responseElements of CreateAlias: the target
// key's ARN since December 2022, although the operation returns nothing.
type CreateAliasResponse struct {
	tracked

	// KeyID is the target key's ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// UpdateAliasRequest is the requestParameters of UpdateAlias: point an
// alias at another key. The principal key is the new target.
type UpdateAliasRequest struct {
	tracked

	// AliasName is the alias, "alias/...".
	AliasName string `json:"aliasName,omitzero"`

	// TargetKeyID names the key the alias now points to.
	TargetKeyID string `json:"targetKeyId,omitzero"`

	// TargetKey is the new target key, resolved against the record.
	TargetKey KeyRef `json:"-"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *UpdateAliasRequest) principalKey() (string, KeySource) { return r.TargetKeyID, KeyFromRequest }
func (r *UpdateAliasRequest) principalAlias() string            { return r.AliasName }
func (r *UpdateAliasRequest) usePrincipal(k KeyRef)             { r.TargetKey = k }

// UpdateAliasResponse is the responseElements of UpdateAlias.
type UpdateAliasResponse struct {
	tracked

	// KeyID is the target key's ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeleteAliasRequest is the requestParameters of DeleteAlias. The principal
// key is the key the alias pointed to, which the record names in its
// response (since December 2022) and resources.
type DeleteAliasRequest struct {
	tracked

	// AliasName is the alias deleted.
	AliasName string `json:"aliasName,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

func (r *DeleteAliasRequest) principalAlias() string { return r.AliasName }

// DeleteAliasResponse is the responseElements of DeleteAlias.
type DeleteAliasResponse struct {
	tracked

	// KeyID is the ARN of the key the alias pointed to.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListAliasesRequest is the requestParameters of ListAliases.
type ListAliasesRequest struct {
	tracked

	// KeyID, when given, lists only the aliases of that key.
	KeyID string `json:"keyId,omitzero"`

	// Limit and Marker page through the results.
	Limit  int32  `json:"limit,omitzero"`
	Marker string `json:"marker,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListAliasesResponse is the responseElements of ListAliases (null: list
// results are not logged).
type ListAliasesResponse struct {
	tracked

	// Aliases lists the aliases.
	Aliases []AliasListEntry `json:"aliases,omitzero"`

	// NextMarker and Truncated say whether more results follow.
	NextMarker string `json:"nextMarker,omitzero"`
	Truncated  bool   `json:"truncated,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}
