package kmstrail

import (
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json/jsontext"
)

// Custom key stores (AWS CloudHSM and external key stores). These
// operations concern no KMS key: KMSCall.Key is zero and the records have
// no resources. KMS logs the CloudHSM cluster as "clusterId" (the SDK's
// CloudHsmClusterId); passwords and proxy secrets are never logged.

func init() {
	registerKMS("CreateCustomKeyStore", (*CreateCustomKeyStoreRequest)(nil), (*CreateCustomKeyStoreResponse)(nil))
	registerKMS("ConnectCustomKeyStore", (*ConnectCustomKeyStoreRequest)(nil), (*ConnectCustomKeyStoreResponse)(nil))
	registerKMS("DisconnectCustomKeyStore", (*DisconnectCustomKeyStoreRequest)(nil), (*DisconnectCustomKeyStoreResponse)(nil))
	registerKMS("DeleteCustomKeyStore", (*DeleteCustomKeyStoreRequest)(nil), (*DeleteCustomKeyStoreResponse)(nil))
	registerKMS("UpdateCustomKeyStore", (*UpdateCustomKeyStoreRequest)(nil), (*UpdateCustomKeyStoreResponse)(nil))
	registerKMS("DescribeCustomKeyStores", (*DescribeCustomKeyStoresRequest)(nil), (*DescribeCustomKeyStoresResponse)(nil))
}

// CreateCustomKeyStoreRequest is the requestParameters of
// CreateCustomKeyStore.
type CreateCustomKeyStoreRequest struct {
	tracked

	// CustomKeyStoreName is the key store's friendly name.
	CustomKeyStoreName string `json:"customKeyStoreName,omitzero"`

	// CustomKeyStoreType is AWS_CLOUDHSM (the default) or
	// EXTERNAL_KEY_STORE.
	CustomKeyStoreType types.CustomKeyStoreType `json:"customKeyStoreType,omitzero"`

	// ClusterID is the AWS CloudHSM cluster of a CloudHSM key store (the
	// SDK's CloudHsmClusterId, which also decodes here).
	ClusterID string `json:"clusterId,omitzero" alias:"cloudHsmClusterId"`

	// TrustAnchorCertificate is the CloudHSM cluster's trust anchor.
	TrustAnchorCertificate string `json:"trustAnchorCertificate,omitzero"`

	// XksProxyConnectivity is PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE.
	XksProxyConnectivity types.XksProxyConnectivityType `json:"xksProxyConnectivity,omitzero"`

	// XksProxyURIEndpoint and XksProxyURIPath locate an external key
	// store's proxy.
	XksProxyURIEndpoint string `json:"xksProxyUriEndpoint,omitzero"`
	XksProxyURIPath     string `json:"xksProxyUriPath,omitzero"`

	// XksProxyVPCEndpointServiceName and XksProxyVPCEndpointServiceOwner
	// name the VPC endpoint service of a proxy reached through one.
	XksProxyVPCEndpointServiceName  string `json:"xksProxyVpcEndpointServiceName,omitzero"`
	XksProxyVPCEndpointServiceOwner string `json:"xksProxyVpcEndpointServiceOwner,omitzero"`

	// Unknown holds members the model does not know (schema drift), as
	// written.
	Unknown jsontext.Value `json:"-"`
}

// CreateCustomKeyStoreResponse is the responseElements of
// CreateCustomKeyStore.
type CreateCustomKeyStoreResponse struct {
	tracked

	// CustomKeyStoreID identifies the new key store.
	CustomKeyStoreID string `json:"customKeyStoreId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ConnectCustomKeyStoreRequest is the requestParameters of
// ConnectCustomKeyStore. KMS adds the key store's name and cluster in
// additionalEventData.
type ConnectCustomKeyStoreRequest struct {
	tracked

	// CustomKeyStoreID identifies the key store.
	CustomKeyStoreID string `json:"customKeyStoreId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// ConnectCustomKeyStoreResponse is the responseElements of
// ConnectCustomKeyStore: the operation returns nothing, and CloudTrail logs
// null. Any member a record holds is schema drift, kept in Unknown.
type ConnectCustomKeyStoreResponse struct {
	tracked

	// Unknown holds the members of an unexpected response, as written.
	Unknown jsontext.Value `json:"-"`
}

// DisconnectCustomKeyStoreRequest is the requestParameters of
// DisconnectCustomKeyStore.
type DisconnectCustomKeyStoreRequest struct {
	tracked

	// CustomKeyStoreID identifies the key store.
	CustomKeyStoreID string `json:"customKeyStoreId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DisconnectCustomKeyStoreResponse is the responseElements of
// DisconnectCustomKeyStore: null, as the operation returns nothing.
type DisconnectCustomKeyStoreResponse struct {
	tracked

	// Unknown holds the members of an unexpected response, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeleteCustomKeyStoreRequest is the requestParameters of
// DeleteCustomKeyStore.
type DeleteCustomKeyStoreRequest struct {
	tracked

	// CustomKeyStoreID identifies the key store.
	CustomKeyStoreID string `json:"customKeyStoreId,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DeleteCustomKeyStoreResponse is the responseElements of
// DeleteCustomKeyStore: null, as the operation returns nothing.
type DeleteCustomKeyStoreResponse struct {
	tracked

	// Unknown holds the members of an unexpected response, as written.
	Unknown jsontext.Value `json:"-"`
}

// UpdateCustomKeyStoreRequest is the requestParameters of
// UpdateCustomKeyStore.
type UpdateCustomKeyStoreRequest struct {
	tracked

	// CustomKeyStoreID identifies the key store.
	CustomKeyStoreID string `json:"customKeyStoreId,omitzero"`

	// NewCustomKeyStoreName is the key store's new name.
	NewCustomKeyStoreName string `json:"newCustomKeyStoreName,omitzero"`

	// ClusterID is a CloudHSM key store's new cluster (the SDK's
	// CloudHsmClusterId, which also decodes here).
	ClusterID string `json:"clusterId,omitzero" alias:"cloudHsmClusterId"`

	// XksProxyConnectivity is PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE.
	XksProxyConnectivity types.XksProxyConnectivityType `json:"xksProxyConnectivity,omitzero"`

	// XksProxyURIEndpoint and XksProxyURIPath locate an external key
	// store's proxy.
	XksProxyURIEndpoint string `json:"xksProxyUriEndpoint,omitzero"`
	XksProxyURIPath     string `json:"xksProxyUriPath,omitzero"`

	// XksProxyVPCEndpointServiceName and XksProxyVPCEndpointServiceOwner
	// name the VPC endpoint service of a proxy reached through one.
	XksProxyVPCEndpointServiceName  string `json:"xksProxyVpcEndpointServiceName,omitzero"`
	XksProxyVPCEndpointServiceOwner string `json:"xksProxyVpcEndpointServiceOwner,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// UpdateCustomKeyStoreResponse is the responseElements of
// UpdateCustomKeyStore: null, as the operation returns nothing.
type UpdateCustomKeyStoreResponse struct {
	tracked

	// Unknown holds the members of an unexpected response, as written.
	Unknown jsontext.Value `json:"-"`
}

// DescribeCustomKeyStoresRequest is the requestParameters of
// DescribeCustomKeyStores.
type DescribeCustomKeyStoresRequest struct {
	tracked

	// CustomKeyStoreID or CustomKeyStoreName selects one key store.
	CustomKeyStoreID   string `json:"customKeyStoreId,omitzero"`
	CustomKeyStoreName string `json:"customKeyStoreName,omitzero"`

	// Limit and Marker page through the results.
	Limit  int32  `json:"limit,omitzero"`
	Marker string `json:"marker,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}

// DescribeCustomKeyStoresResponse is the responseElements of
// DescribeCustomKeyStores (null: the results are not logged).
type DescribeCustomKeyStoresResponse struct {
	tracked

	// CustomKeyStores describes the key stores.
	CustomKeyStores []CustomKeyStoreListEntry `json:"customKeyStores,omitzero"`

	// NextMarker and Truncated say whether more results follow.
	NextMarker string `json:"nextMarker,omitzero"`
	Truncated  bool   `json:"truncated,omitzero"`

	// Unknown holds members the model does not know, as written.
	Unknown jsontext.Value `json:"-"`
}
