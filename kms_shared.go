package kmstrail

import (
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// This file holds the building blocks the KMS request and response types
// share: key metadata, grants, tags, key policies and the entries of list
// operations. Member names are CloudTrail's (lowerCamelCase), times are
// Time values normalized from KMS's Java dates.

// KeyMetadata describes a KMS key, as CreateKey and ReplicateKey log it.
type KeyMetadata struct {
	tracked

	// AWSAccountID is the key's account. KMS logs it as "AWSAccountId" or
	// "aWSAccountId"; both decode here.
	AWSAccountID string `json:"AWSAccountId" alias:"aWSAccountId"`

	// KeyID is the key ID.
	KeyID string `json:"keyId"`

	// ARN is the key ARN.
	ARN string `json:"arn"`

	// CreationDate is when the key was created.
	CreationDate Time `json:"creationDate"`

	// Enabled reports whether the key is enabled.
	Enabled bool `json:"enabled"`

	// Description is the key's description, possibly empty.
	Description string `json:"description"`

	// KeyUsage is the cryptographic operations the key is for.
	KeyUsage types.KeyUsageType `json:"keyUsage"`

	// KeyState is the key's state, such as Enabled or PendingImport.
	KeyState types.KeyState `json:"keyState"`

	// DeletionDate is when the key will be deleted, if it is pending
	// deletion.
	DeletionDate Time `json:"deletionDate"`

	// ValidTo is when imported key material expires.
	ValidTo Time `json:"validTo"`

	// Origin is where the key material came from.
	Origin types.OriginType `json:"origin"`

	// CustomKeyStoreID is the custom key store the key lives in.
	CustomKeyStoreID string `json:"customKeyStoreId"`

	// CloudHSMClusterID is the AWS CloudHSM cluster of a CloudHSM key
	// store key.
	CloudHSMClusterID string `json:"cloudHsmClusterId"`

	// ExpirationModel says whether imported key material expires.
	ExpirationModel types.ExpirationModelType `json:"expirationModel"`

	// KeyManager is CUSTOMER or AWS.
	KeyManager types.KeyManagerType `json:"keyManager"`

	// KeySpec is the key's type, such as SYMMETRIC_DEFAULT.
	KeySpec types.KeySpec `json:"keySpec"`

	// CustomerMasterKeySpec is KeySpec under its deprecated name, which KMS
	// still logs.
	CustomerMasterKeySpec types.CustomerMasterKeySpec `json:"customerMasterKeySpec"`

	// EncryptionAlgorithms, SigningAlgorithms, MacAlgorithms,
	// KeyAgreementAlgorithms and EncapsulationAlgorithms list the
	// algorithms the key supports, by its usage.
	EncryptionAlgorithms    []types.EncryptionAlgorithmSpec    `json:"encryptionAlgorithms"`
	SigningAlgorithms       []types.SigningAlgorithmSpec       `json:"signingAlgorithms"`
	MacAlgorithms           []types.MacAlgorithmSpec           `json:"macAlgorithms"`
	KeyAgreementAlgorithms  []types.KeyAgreementAlgorithmSpec  `json:"keyAgreementAlgorithms"`
	EncapsulationAlgorithms []types.EncapsulationAlgorithmSpec `json:"encapsulationAlgorithms"`

	// MultiRegion reports a multi-Region key.
	MultiRegion bool `json:"multiRegion"`

	// MultiRegionConfiguration names a multi-Region key's primary and
	// replicas.
	MultiRegionConfiguration *MultiRegionConfiguration `json:"multiRegionConfiguration"`

	// PendingDeletionWindowInDays is the waiting period of a deletion.
	PendingDeletionWindowInDays int32 `json:"pendingDeletionWindowInDays"`

	// XksKeyConfiguration names an external key store key's external key.
	XksKeyConfiguration *XksKeyConfiguration `json:"xksKeyConfiguration"`

	// CurrentKeyMaterialID is the key material in use.
	CurrentKeyMaterialID string `json:"currentKeyMaterialId"`

	// Unknown holds members the model does not know (schema drift), as
	// written.
	Unknown jsontext.Value
}

// Key returns the key the metadata describes.
func (m *KeyMetadata) Key() KeyRef {
	if m == nil {
		return KeyRef{}
	}
	var b keyRefBuilder
	b.add(m.ARN, KeyFromKeyMetadata, "keyMetadata.arn")
	b.add(m.KeyID, KeyFromKeyMetadata, "keyMetadata.keyId")
	return b.ref
}

// MultiRegionConfiguration names a multi-Region key's primary and replicas.
type MultiRegionConfiguration struct {
	tracked

	// MultiRegionKeyType is PRIMARY or REPLICA: which this key is.
	MultiRegionKeyType types.MultiRegionKeyType `json:"multiRegionKeyType"`

	// PrimaryKey is the primary key.
	PrimaryKey *MultiRegionKey `json:"primaryKey"`

	// ReplicaKeys are the replicas.
	ReplicaKeys []MultiRegionKey `json:"replicaKeys"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// MultiRegionKey is one key of a multi-Region key set.
type MultiRegionKey struct {
	tracked

	// ARN is the key's ARN.
	ARN string `json:"arn"`

	// Region is its Region.
	Region string `json:"region"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// Key returns the key as a KeyRef.
func (k MultiRegionKey) Key() KeyRef {
	ref := ParseKeyRef(k.ARN)
	if ref.ARN != "" {
		ref.ARNSource = KeyFromKeyMetadata
	}
	return ref
}

// XksKeyConfiguration names the external key of an external key store key.
type XksKeyConfiguration struct {
	tracked

	// ID is the external key's ID in the external key manager.
	ID string `json:"id"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// GrantConstraints limits a grant to requests with a given encryption
// context, or to a source resource.
type GrantConstraints struct {
	tracked

	// EncryptionContextEquals allows only requests with exactly this
	// encryption context.
	EncryptionContextEquals map[string]string `json:"encryptionContextEquals"`

	// EncryptionContextSubset allows only requests whose encryption context
	// includes these pairs.
	EncryptionContextSubset map[string]string `json:"encryptionContextSubset"`

	// SourceARN allows only requests made for this resource (written since
	// 2026).
	SourceARN string `json:"sourceArn"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// Tag is a key's tag.
type Tag struct {
	tracked

	// TagKey is the tag's key.
	TagKey string `json:"tagKey"`

	// TagValue is the tag's value.
	TagValue string `json:"tagValue"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// KeyPolicy is a key policy document kept as written: KMS logs it as JSON
// inside a JSON string, pretty-printed. Parse reads it.
type KeyPolicy string

// Parse reads the policy document.
func (p KeyPolicy) Parse() (*PolicyDocument, error) {
	var doc PolicyDocument
	if err := json.Unmarshal([]byte(p), &doc); err != nil {
		return nil, errorf(ErrSyntax, "key policy: "+err.Error())
	}
	return &doc, nil
}

// PolicyDocument is an IAM policy document, such as a key policy.
type PolicyDocument struct {
	// Version is the policy language version, such as "2012-10-17".
	Version string `json:"Version,omitzero"`

	// ID identifies the policy.
	ID string `json:"Id,omitzero"`

	// Statement lists the policy's statements. A document with a single
	// statement object decodes as a list of one.
	Statement PolicyStatements `json:"Statement,omitzero"`
}

// PolicyStatements is a policy's list of statements.
type PolicyStatements []PolicyStatement

// UnmarshalJSON accepts a single statement object or an array of them.
func (s *PolicyStatements) UnmarshalJSON(b []byte) error {
	if v := jsontext.Value(b); v.Kind() == '{' {
		var one PolicyStatement
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = PolicyStatements{one}
		return nil
	}
	var many []PolicyStatement
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

// PolicyStatement is one statement of a policy.
type PolicyStatement struct {
	// Sid identifies the statement.
	Sid string `json:"Sid,omitzero"`

	// Effect is "Allow" or "Deny".
	Effect string `json:"Effect,omitzero"`

	// Principal and NotPrincipal map a principal kind ("AWS", "Service",
	// "Federated", "CanonicalUser") to its values; "*" decodes as
	// {"*": ["*"]}.
	Principal    PolicyPrincipal `json:"Principal,omitzero"`
	NotPrincipal PolicyPrincipal `json:"NotPrincipal,omitzero"`

	// Action, NotAction, Resource and NotResource list the statement's
	// actions and resources; a single string decodes as a list of one.
	Action      StringList `json:"Action,omitzero"`
	NotAction   StringList `json:"NotAction,omitzero"`
	Resource    StringList `json:"Resource,omitzero"`
	NotResource StringList `json:"NotResource,omitzero"`

	// Condition maps a condition operator to condition keys and values.
	Condition map[string]map[string]StringList `json:"Condition,omitzero"`
}

// StringList is a list of strings that a policy may write as one string.
type StringList []string

// UnmarshalJSON accepts a string or an array of strings.
func (l *StringList) UnmarshalJSON(b []byte) error {
	if v := jsontext.Value(b); v.Kind() == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = StringList{s}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

// PolicyPrincipal maps principal kinds to principals.
type PolicyPrincipal map[string]StringList

// UnmarshalJSON accepts "*" or an object of principal kinds.
func (p *PolicyPrincipal) UnmarshalJSON(b []byte) error {
	if v := jsontext.Value(b); v.Kind() == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*p = PolicyPrincipal{s: StringList{s}}
		return nil
	}
	var m map[string]StringList
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*p = m
	return nil
}

// KeyListEntry is one key of a ListKeys response.
type KeyListEntry struct {
	tracked

	// KeyID is the key ID.
	KeyID string `json:"keyId"`

	// KeyARN is the key ARN.
	KeyARN string `json:"keyArn"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// AliasListEntry is one alias of a ListAliases response.
type AliasListEntry struct {
	tracked

	// AliasARN is the alias ARN.
	AliasARN string `json:"aliasArn"`

	// AliasName is the alias name, "alias/...".
	AliasName string `json:"aliasName"`

	// TargetKeyID is the key ID the alias points to.
	TargetKeyID string `json:"targetKeyId"`

	// CreationDate and LastUpdatedDate are when the alias was created and
	// last pointed at a key.
	CreationDate    Time `json:"creationDate"`
	LastUpdatedDate Time `json:"lastUpdatedDate"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// GrantListEntry is one grant of a ListGrants or ListRetirableGrants
// response.
type GrantListEntry struct {
	tracked

	// KeyID is the key the grant is for, as a key ARN.
	KeyID string `json:"keyId"`

	// GrantID identifies the grant.
	GrantID string `json:"grantId"`

	// Name is the grant's friendly name.
	Name string `json:"name"`

	// CreationDate is when the grant was created.
	CreationDate Time `json:"creationDate"`

	// GranteePrincipal and GranteeServicePrincipal are who the grant
	// gives permissions to; RetiringPrincipal and RetiringServicePrincipal
	// who may retire it.
	GranteePrincipal         string `json:"granteePrincipal"`
	GranteeServicePrincipal  string `json:"granteeServicePrincipal"`
	RetiringPrincipal        string `json:"retiringPrincipal"`
	RetiringServicePrincipal string `json:"retiringServicePrincipal"`

	// IssuingAccount is the account that created the grant.
	IssuingAccount string `json:"issuingAccount"`

	// Operations lists the operations the grant allows.
	Operations []types.GrantOperation `json:"operations"`

	// Constraints limits the grant.
	Constraints *GrantConstraints `json:"constraints"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// RotationListEntry is one key material of a ListKeyRotations response.
type RotationListEntry struct {
	tracked

	// KeyID is the key's ID.
	KeyID string `json:"keyId"`

	// KeyMaterialID identifies the key material.
	KeyMaterialID string `json:"keyMaterialId"`

	// KeyMaterialDescription describes imported key material.
	KeyMaterialDescription string `json:"keyMaterialDescription"`

	// ImportState is IMPORTED or PENDING_IMPORT.
	ImportState types.ImportState `json:"importState"`

	// KeyMaterialState is CURRENT, NON_CURRENT, PENDING_ROTATION, ...
	KeyMaterialState types.KeyMaterialState `json:"keyMaterialState"`

	// ExpirationModel says whether imported key material expires.
	ExpirationModel types.ExpirationModelType `json:"expirationModel"`

	// ValidTo is when imported key material expires.
	ValidTo Time `json:"validTo"`

	// RotationDate is when the material became current.
	RotationDate Time `json:"rotationDate"`

	// RotationType is AUTOMATIC or ON_DEMAND.
	RotationType types.RotationType `json:"rotationType"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// CustomKeyStoreListEntry is one custom key store of a
// DescribeCustomKeyStores response.
type CustomKeyStoreListEntry struct {
	tracked

	// CustomKeyStoreID identifies the key store.
	CustomKeyStoreID string `json:"customKeyStoreId"`

	// CustomKeyStoreName is its friendly name.
	CustomKeyStoreName string `json:"customKeyStoreName"`

	// CustomKeyStoreType is AWS_CLOUDHSM or EXTERNAL_KEY_STORE.
	CustomKeyStoreType types.CustomKeyStoreType `json:"customKeyStoreType"`

	// CloudHSMClusterID is a CloudHSM key store's cluster.
	CloudHSMClusterID string `json:"cloudHsmClusterId"`

	// TrustAnchorCertificate is a CloudHSM cluster's trust anchor.
	TrustAnchorCertificate string `json:"trustAnchorCertificate"`

	// ConnectionState and ConnectionErrorCode describe the key store's
	// connection.
	ConnectionState     types.ConnectionStateType     `json:"connectionState"`
	ConnectionErrorCode types.ConnectionErrorCodeType `json:"connectionErrorCode"`

	// CreationDate is when the key store was created.
	CreationDate Time `json:"creationDate"`

	// XksProxyConfiguration is an external key store's proxy
	// configuration.
	XksProxyConfiguration *XksProxyConfiguration `json:"xksProxyConfiguration"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// XksProxyConfiguration describes an external key store's proxy.
type XksProxyConfiguration struct {
	tracked

	// AccessKeyID is the proxy authentication credential's key ID (the
	// secret is never logged).
	AccessKeyID string `json:"accessKeyId"`

	// Connectivity is PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE.
	Connectivity types.XksProxyConnectivityType `json:"connectivity"`

	// URIEndpoint and URIPath locate the proxy.
	URIEndpoint string `json:"uriEndpoint"`
	URIPath     string `json:"uriPath"`

	// VPCEndpointServiceName and VPCEndpointServiceOwner name the VPC
	// endpoint service of a proxy reached through one.
	VPCEndpointServiceName  string `json:"vpcEndpointServiceName"`
	VPCEndpointServiceOwner string `json:"vpcEndpointServiceOwner"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}

// KeyLastUsage is the last cryptographic use of a key (GetKeyLastUsage).
type KeyLastUsage struct {
	tracked

	// Operation is the operation that used the key.
	Operation types.KeyLastUsageTrackingOperation `json:"operation"`

	// Timestamp is when.
	Timestamp Time `json:"timestamp"`

	// CloudTrailEventID and KMSRequestID identify the use.
	CloudTrailEventID string `json:"cloudTrailEventId"`
	KMSRequestID      string `json:"kmsRequestId"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value
}
