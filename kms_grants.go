package kmstrail

import (
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json/jsontext"
)

// Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant and
// RevokeGrant. Grant tokens are never logged.

func init() {
	registerKMS("CreateGrant", (*CreateGrantRequest)(nil), (*CreateGrantResponse)(nil))
	registerKMS("ListGrants", (*ListGrantsRequest)(nil), (*ListGrantsResponse)(nil))
	registerKMS("ListRetirableGrants", (*ListRetirableGrantsRequest)(nil), (*ListRetirableGrantsResponse)(nil))
	registerKMS("RetireGrant", (*RetireGrantRequest)(nil), (*RetireGrantResponse)(nil))
	registerKMS("RevokeGrant", (*RevokeGrantRequest)(nil), (*RevokeGrantResponse)(nil))
}

// CreateGrantRequest is the requestParameters of CreateGrant.
type CreateGrantRequest struct {
	tracked

	// KeyID names the key the grant is for.
	KeyID string `json:"keyId,omitzero"`

	// GranteePrincipal is who the grant gives permissions to: an ARN, an
	// account, or (in older records) a service principal. A grant to an
	// AWS service names it in GranteeServicePrincipal instead (since
	// 2026). Grantee returns whichever is set.
	GranteePrincipal        string `json:"granteePrincipal,omitzero"`
	GranteeServicePrincipal string `json:"granteeServicePrincipal,omitzero"`

	// RetiringPrincipal and RetiringServicePrincipal may retire the
	// grant. Retiring returns whichever is set.
	RetiringPrincipal        string `json:"retiringPrincipal,omitzero"`
	RetiringServicePrincipal string `json:"retiringServicePrincipal,omitzero"`

	// Operations lists the operations the grant allows.
	Operations []types.GrantOperation `json:"operations,omitzero"`

	// Constraints limits the grant to an encryption context or a source
	// resource.
	Constraints *GrantConstraints `json:"constraints,omitzero"`

	// Name is the grant's friendly name.
	Name string `json:"name,omitzero"`

	// GrantTokens are grant tokens the caller passed.
	GrantTokens []string `json:"grantTokens,omitzero"`

	// DryRun reports a dry run: nothing was granted.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know (schema drift), as
	// written.
	Unknown jsontext.Value `json:"-"`
}

// Grantee returns the grantee: the service principal, or else the
// principal.
func (r *CreateGrantRequest) Grantee() string {
	if r.GranteeServicePrincipal != "" {
		return r.GranteeServicePrincipal
	}
	return r.GranteePrincipal
}

// Retiring returns the retiring principal: the service principal, or else
// the principal.
func (r *CreateGrantRequest) Retiring() string {
	if r.RetiringServicePrincipal != "" {
		return r.RetiringServicePrincipal
	}
	return r.RetiringPrincipal
}

// CreateGrantResponse is the responseElements of CreateGrant. The grant
// token returned is never logged.
type CreateGrantResponse struct {
	tracked

	// GrantID identifies the new grant.
	GrantID string `json:"grantId,omitzero"`

	// KeyID is the key ARN (since December 2022).
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListGrantsRequest is the requestParameters of ListGrants.
type ListGrantsRequest struct {
	tracked

	// KeyID names the key whose grants are listed.
	KeyID string `json:"keyId,omitzero"`

	// GrantID, GranteePrincipal and GranteeServicePrincipal filter the
	// grants.
	GrantID                 string `json:"grantId,omitzero"`
	GranteePrincipal        string `json:"granteePrincipal,omitzero"`
	GranteeServicePrincipal string `json:"granteeServicePrincipal,omitzero"`

	// Limit and Marker page through the results. Marker is opaque; KMS may
	// log it with escapes such as \u003d.
	Limit  int32  `json:"limit,omitzero"`
	Marker string `json:"marker,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListGrantsResponse is the responseElements of ListGrants (null: list
// results are not logged).
type ListGrantsResponse struct {
	tracked

	// Grants lists the grants.
	Grants []GrantListEntry `json:"grants,omitzero"`

	// NextMarker and Truncated say whether more results follow.
	NextMarker string `json:"nextMarker,omitzero"`
	Truncated  bool   `json:"truncated,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListRetirableGrantsRequest is the requestParameters of
// ListRetirableGrants. It names no key.
type ListRetirableGrantsRequest struct {
	tracked

	// RetiringPrincipal or RetiringServicePrincipal names whose retirable
	// grants are listed.
	RetiringPrincipal        string `json:"retiringPrincipal,omitzero"`
	RetiringServicePrincipal string `json:"retiringServicePrincipal,omitzero"`

	// Limit and Marker page through the results.
	Limit  int32  `json:"limit,omitzero"`
	Marker string `json:"marker,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ListRetirableGrantsResponse is the responseElements of
// ListRetirableGrants (null: list results are not logged).
type ListRetirableGrantsResponse struct {
	tracked

	// Grants lists the grants.
	Grants []GrantListEntry `json:"grants,omitzero"`

	// NextMarker and Truncated say whether more results follow.
	NextMarker string `json:"nextMarker,omitzero"`
	Truncated  bool   `json:"truncated,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// RetireGrantRequest is the requestParameters of RetireGrant. KMS logs
// them as null and writes the grant's ID in additionalEventData.grantId;
// the key comes from resources[].
type RetireGrantRequest struct {
	tracked

	// KeyID names the key of the grant.
	KeyID string `json:"keyId,omitzero"`

	// GrantID identifies the grant.
	GrantID string `json:"grantId,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// RetireGrantResponse is the responseElements of RetireGrant (null in the
// documented records).
type RetireGrantResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// RevokeGrantRequest is the requestParameters of RevokeGrant.
type RevokeGrantRequest struct {
	tracked

	// KeyID names the key of the grant.
	KeyID string `json:"keyId,omitzero"`

	// GrantID identifies the grant.
	GrantID string `json:"grantId,omitzero"`

	// DryRun reports a dry run.
	DryRun bool `json:"dryRun,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// RevokeGrantResponse is the responseElements of RevokeGrant (null in the
// documented records).
type RevokeGrantResponse struct {
	tracked

	// KeyID is the key ARN.
	KeyID string `json:"keyId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}
