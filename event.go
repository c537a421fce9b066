package kmstrail

import (
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/go-json-experiment/json/jsontext"
)

// Event is one CloudTrail record: the envelope that the CloudTrail "record
// contents" reference documents (eventVersion 1.0 to 1.11 and newer), with
// the free-form members (requestParameters, responseElements, ...) kept as
// raw JSON, plus what the decoder learnt: the typed KMS view, where the
// record came from, and diagnostics.
//
// Members the struct does not model are kept in Unknown, and the struct
// remembers which members were present and which were null, so marshaling an
// Event (with encoding/json or json/v2; Event implements json.Marshaler)
// gives back the record as a JSON value, normalized values aside. Each
// normalization is one of the Event's Diagnostics.
type Event struct {
	tracked

	// EventVersion is the record format's version, "major.minor", such as
	// "1.11". Version parses it.
	EventVersion string `json:"eventVersion"`

	// UserIdentity describes the identity that made the request; nil when
	// the record has none (Insights events).
	UserIdentity *UserIdentity `json:"userIdentity"`

	// EventTime is when the request completed, in UTC. A time in another
	// dialect than RFC 3339 is normalized, with a diagnostic; one that fits
	// no dialect leaves EventTime zero and is kept as written.
	EventTime time.Time `json:"eventTime"`

	// EventSource is the service the request was made to, such as
	// "kms.amazonaws.com".
	EventSource string `json:"eventSource"`

	// EventName is the requested action (an API operation) or, for service
	// events, the event's name (such as "RotateKey").
	EventName string `json:"eventName"`

	// AWSRegion is the Region the request was made to, such as "us-west-2".
	AWSRegion string `json:"awsRegion"`

	// SourceIPAddress is the caller's IP address, or a service's DNS name,
	// or "AWS Internal". It is not validated: documented records hold
	// values such as "172.01.01.001".
	SourceIPAddress string `json:"sourceIPAddress"`

	// UserAgent is the agent the request was made through; CloudTrail
	// truncates it at 1 KB.
	UserAgent string `json:"userAgent"`

	// ErrorCode is the AWS error of a failed request, such as
	// "AccessDenied"; empty when the request succeeded.
	ErrorCode string `json:"errorCode"`

	// ErrorMessage describes the error; it may be empty even when ErrorCode
	// is set.
	ErrorMessage string `json:"errorMessage"`

	// RequestParameters holds the request's parameters as written (nil when
	// absent or null). For KMS events, KMS.Request is the typed view.
	RequestParameters jsontext.Value `json:"requestParameters"`

	// ResponseElements holds the response as written (nil when absent or
	// null). For KMS events, KMS.Response is the typed view.
	ResponseElements jsontext.Value `json:"responseElements"`

	// AdditionalEventData holds data the service added about the request,
	// as written.
	AdditionalEventData jsontext.Value `json:"additionalEventData"`

	// RequestID identifies the request; absent on service events.
	RequestID string `json:"requestID"`

	// EventID identifies the record. Duplicate deliveries share it.
	EventID string `json:"eventID"`

	// EventType is "AwsApiCall", "AwsServiceEvent", "AwsConsoleAction",
	// "AwsConsoleSignIn", "AwsVpceEvents" or "AwsCloudTrailInsight".
	EventType string `json:"eventType"`

	// APIVersion is the API version of some services' requests.
	APIVersion string `json:"apiVersion"`

	// ManagementEvent reports a management event (eventVersion 1.06+).
	ManagementEvent bool `json:"managementEvent"`

	// ReadOnly reports a request that only reads.
	ReadOnly bool `json:"readOnly"`

	// Resources lists the resources the event concerns.
	Resources []Resource `json:"resources"`

	// RecipientAccountID is the account that received the record.
	RecipientAccountID string `json:"recipientAccountId"`

	// ServiceEventDetails holds a service event's details, as written. For
	// KMS service events, KMS.ServiceEventDetails is the typed view.
	ServiceEventDetails jsontext.Value `json:"serviceEventDetails"`

	// SharedEventID links the records CloudTrail delivers to several
	// accounts for one cross-account event.
	SharedEventID string `json:"sharedEventID"`

	// VPCEndpointID is the VPC endpoint the request came through.
	VPCEndpointID string `json:"vpcEndpointId"`

	// VPCEndpointAccountID is the account that owns that endpoint.
	VPCEndpointAccountID string `json:"vpcEndpointAccountId"`

	// EventCategory is "Management", "Data", "NetworkActivity" or "Insight".
	EventCategory string `json:"eventCategory"`

	// Addendum says why a record was delivered late or updated.
	Addendum *Addendum `json:"addendum"`

	// SessionCredentialFromConsole is "true" when the request came from a
	// console session. CloudTrail writes it as a string.
	SessionCredentialFromConsole string `json:"sessionCredentialFromConsole"`

	// EdgeDeviceDetails describes an edge device (S3 on Outposts), as
	// written.
	EdgeDeviceDetails jsontext.Value `json:"edgeDeviceDetails"`

	// TLSDetails describes the request's TLS connection.
	TLSDetails *TLSDetails `json:"tlsDetails"`

	// InsightDetails holds an Insights event's details, as written.
	InsightDetails jsontext.Value `json:"insightDetails"`

	// EventContext holds the context enriched events carry in CloudTrail
	// Lake (eventVersion 1.11+).
	EventContext *EventContext `json:"eventContext"`

	// Annotation is a user-defined annotation (CloudTrail Lake).
	Annotation string `json:"annotation"`

	// Unknown holds, as a JSON object, the members this struct does not
	// model, and those whose value it cannot hold (such as a
	// HIDDEN_DUE_TO_SECURITY_REASONS marker in place of an object), exactly
	// as written. Marshaling writes them back.
	Unknown jsontext.Value

	// Raw is the record's bytes exactly as read, before any repair. For a
	// record delivered inside a JSON string (CloudWatch Logs, LookupEvents)
	// it is the string's contents. Treat it as read-only: the raw members
	// above may share its memory. Methods that rewrite a jsontext.Value in
	// place, such as Compact, would change them too: call them on a copy
	// (bytes.Clone).
	Raw jsontext.Value `json:"-"`

	// Source says where the record came from.
	Source Source `json:"-"`

	// KMS is the typed view of a KMS event (eventSource
	// "kms.amazonaws.com"), nil for other services.
	KMS *KMSCall `json:"-"`

	// Diagnostics lists what the decoder repaired, normalized or noticed:
	// at most MaxDiagnostics of them, then one of kind Elided that counts
	// the rest.
	Diagnostics []Diagnostic `json:"-"`
}

// MarshalJSON writes the record: the members it was read with (null where
// they were null, normalized values in their normal form), the members set
// since, and the unknown members as written.
func (e Event) MarshalJSON() ([]byte, error) { return marshalValue(&e) }

// UnmarshalJSON decodes one record with Parse.
func (e *Event) UnmarshalJSON(data []byte) error {
	ev, err := Parse(data)
	if err != nil {
		return err
	}
	*e = *ev
	return nil
}

// Succeeded reports whether the request succeeded: the record has no
// errorCode.
func (e *Event) Succeeded() bool { return e.ErrorCode == "" }

// Version returns EventVersion as numbers. CloudTrail raises the major
// version for incompatible changes and the minor one for new fields; compare
// the major for equality and the minor numerically ("1.10" is newer than
// "1.9").
func (e *Event) Version() (Version, error) { return ParseVersion(e.EventVersion) }

// Version is an eventVersion as numbers.
type Version struct {
	// Major and Minor are the numbers before and after the dot.
	Major, Minor int
}

// ParseVersion parses an eventVersion such as "1.11".
func ParseVersion(s string) (Version, error) {
	maj, min, ok := strings.Cut(s, ".")
	a, err1 := strconv.Atoi(maj)
	b, err2 := strconv.Atoi(min)
	if !ok || err1 != nil || err2 != nil || a < 0 || b < 0 {
		return Version{}, errorf(ErrNotRecord, "eventVersion "+strconv.Quote(s)+" is not major.minor")
	}
	return Version{a, b}, nil
}

// Compare returns -1, 0 or +1 as v is older than, the same as, or newer
// than w.
func (v Version) Compare(w Version) int {
	switch {
	case v.Major != w.Major:
		return cmpInt(v.Major, w.Major)
	default:
		return cmpInt(v.Minor, w.Minor)
	}
}

// AtLeast reports whether v has w's major version and at least its minor
// one: whether a reader written for w can read v.
func (v Version) AtLeast(w Version) bool { return v.Major == w.Major && v.Minor >= w.Minor }

// String returns "major.minor".
func (v Version) String() string { return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Principal is who acted, as audit reports name it.
type Principal struct {
	// Type is userIdentity.type, or "AWSService" for a record with only
	// userIdentity.invokedBy (the events KMS writes itself).
	Type string

	// ARN is the IAM identity: the user's ARN, the role's ARN for an
	// assumed role (not the session's), the root ARN for Root.
	ARN string

	// SessionName is an assumed role's session name.
	SessionName string

	// AccountID is the identity's account.
	AccountID string

	// Service is the AWS service that made the request, alone or on the
	// identity's behalf (userIdentity.invokedBy).
	Service string
}

// String names the principal in one short phrase, such as
// "arn:aws:iam::111122223333:role/Admin (session alice)" or
// "kms.amazonaws.com".
func (p Principal) String() string {
	var b strings.Builder
	b.WriteString(p.ARN)
	if p.SessionName != "" {
		b.WriteString(" (session ")
		b.WriteString(p.SessionName)
		b.WriteByte(')')
	}
	if p.Service != "" {
		if b.Len() > 0 {
			b.WriteString(" via ")
		}
		b.WriteString(p.Service)
	}
	if b.Len() == 0 {
		return p.Type
	}
	return b.String()
}

// Principal returns the acting principal: for an assumed role, the role and
// the session name; for a service, the service.
func (e *Event) Principal() Principal {
	u := e.UserIdentity
	if u == nil {
		return Principal{}
	}
	p := Principal{Type: u.Type, ARN: u.ARN, AccountID: u.AccountID, Service: u.InvokedBy}
	switch u.Type {
	case "AssumedRole":
		if a, err := arn.Parse(u.ARN); err == nil {
			// arn:aws:sts::111122223333:assumed-role/RoleName/SessionName
			if parts := strings.Split(a.Resource, "/"); len(parts) >= 3 && parts[0] == "assumed-role" {
				p.SessionName = parts[len(parts)-1]
			}
		}
		if sc := u.SessionContext; sc != nil && sc.SessionIssuer != nil && sc.SessionIssuer.ARN != "" {
			p.ARN = sc.SessionIssuer.ARN
		}
	case "Root":
		if p.ARN == "" && p.AccountID != "" {
			p.ARN = "arn:aws:iam::" + p.AccountID + ":root"
		}
	case "":
		if u.InvokedBy != "" {
			p.Type = "AWSService"
		}
	}
	return p
}

// UserIdentity describes the identity that made a request (the CloudTrail
// userIdentity element). Which members are present depends on Type; the
// events KMS writes itself have only AccountID and InvokedBy.
type UserIdentity struct {
	tracked

	// Type is "Root", "IAMUser", "AssumedRole", "Role", "FederatedUser",
	// "Directory", "AWSAccount", "AWSService", "IdentityCenterUser",
	// "SAMLUser", "WebIdentityUser" or "Unknown"; empty for KMS service
	// events.
	Type string `json:"type"`

	// PrincipalID identifies the entity that made the call.
	PrincipalID string `json:"principalId"`

	// ARN is the principal's ARN; for an assumed role, the session's STS ARN.
	ARN string `json:"arn"`

	// AccountID is the principal's account.
	AccountID string `json:"accountId"`

	// AccessKeyID is the access key used; it may be absent or empty.
	AccessKeyID string `json:"accessKeyId"`

	// UserName is the user's name; CloudTrail writes
	// HIDDEN_DUE_TO_SECURITY_REASONS for failed sign-ins with a wrong name.
	UserName string `json:"userName"`

	// SessionContext describes temporary credentials.
	SessionContext *SessionContext `json:"sessionContext"`

	// InvokedBy names the AWS service that made the request, such as
	// "kms.amazonaws.com" or "AWS Internal".
	InvokedBy string `json:"invokedBy"`

	// InvokedByDelegate names the account a product provider acted for.
	InvokedByDelegate *InvokedByDelegate `json:"invokedByDelegate"`

	// IdentityProvider names the SAML or web identity provider.
	IdentityProvider string `json:"identityProvider"`

	// CredentialID identifies a bearer-token credential (IAM Identity
	// Center).
	CredentialID string `json:"credentialId"`

	// OnBehalfOf names the IAM Identity Center user a call was made for.
	OnBehalfOf *OnBehalfOf `json:"onBehalfOf"`

	// InScopeOf describes credentials a service issued to a resource.
	InScopeOf *InScopeOf `json:"inScopeOf"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// SessionContext describes a principal's temporary security credentials.
type SessionContext struct {
	tracked

	// SessionIssuer is the role or user that issued the credentials.
	SessionIssuer *SessionIssuer `json:"sessionIssuer"`

	// WebIDFederationData describes web identity federation; it may be {}.
	WebIDFederationData *WebIDFederationData `json:"webIdFederationData"`

	// Attributes holds the session's creation time and MFA use.
	Attributes *SessionAttributes `json:"attributes"`

	// SourceIdentity is the source identity set when the role was assumed.
	SourceIdentity string `json:"sourceIdentity"`

	// EC2RoleDelivery is "1.0" or "2.0": the instance metadata service
	// version that delivered an EC2 role's credentials.
	EC2RoleDelivery string `json:"ec2RoleDelivery"`

	// AssumedRoot is "true" for a session made with sts:AssumeRoot.
	AssumedRoot string `json:"assumedRoot"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// SessionIssuer is the entity that issued temporary credentials.
type SessionIssuer struct {
	tracked

	// Type is "Root", "IAMUser" or "Role".
	Type string `json:"type"`

	// PrincipalID is the issuer's principal ID.
	PrincipalID string `json:"principalId"`

	// ARN is the issuer's ARN, such as the role's.
	ARN string `json:"arn"`

	// AccountID is the issuer's account.
	AccountID string `json:"accountId"`

	// UserName is the issuer's name, such as the role's.
	UserName string `json:"userName"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// WebIDFederationData describes web identity federation.
type WebIDFederationData struct {
	tracked

	// FederatedProvider names the identity provider.
	FederatedProvider string `json:"federatedProvider"`

	// Attributes holds the provider's attributes, as written.
	Attributes jsontext.Value `json:"attributes"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// SessionAttributes holds a session's attributes.
type SessionAttributes struct {
	tracked

	// CreationDate is when the credentials were issued; CloudTrail has
	// written it in RFC 3339 and in ISO 8601 basic form.
	CreationDate Time `json:"creationDate"`

	// MFAAuthenticated is "true" or "false": CloudTrail writes it as a
	// string. MFA reports it as a bool.
	MFAAuthenticated string `json:"mfaAuthenticated"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// MFA reports whether the session was authenticated with MFA.
func (a *SessionAttributes) MFA() bool {
	return a != nil && strings.EqualFold(a.MFAAuthenticated, "true")
}

// InvokedByDelegate names the account a product provider acted for.
type InvokedByDelegate struct {
	tracked

	// AccountID is that account.
	AccountID string `json:"accountId"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// OnBehalfOf names the IAM Identity Center user a call was made for.
type OnBehalfOf struct {
	tracked

	// UserID is the user's Identity Center ID.
	UserID string `json:"userId"`

	// IdentityStoreARN is the identity store's ARN.
	IdentityStoreARN string `json:"identityStoreArn"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// InScopeOf describes credentials that a service issued to a resource, such
// as a Lambda function's.
type InScopeOf struct {
	tracked

	// SourceARN is the resource the credentials were issued to.
	SourceARN string `json:"sourceArn"`

	// SourceAccount is that resource's account.
	SourceAccount string `json:"sourceAccount"`

	// IssuerType is the type of resource, such as "AWS::Lambda::Function".
	IssuerType string `json:"issuerType"`

	// CredentialsIssuedTo is the ARN the credentials were issued to.
	CredentialsIssuedTo string `json:"credentialsIssuedTo"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// Resource is one entry of a record's resources list.
type Resource struct {
	tracked

	// ARN is the resource's ARN. KMS lists key ARNs and, for alias
	// operations, alias ARNs, both with Type "AWS::KMS::Key".
	ARN string `json:"ARN"`

	// ARNPrefix is an ARN prefix, written instead of ARN by some services.
	ARNPrefix string `json:"ARNPrefix"`

	// AccountID is the resource's account.
	AccountID string `json:"accountId"`

	// Type is the resource type, such as "AWS::KMS::Key"; often absent in
	// older records.
	Type string `json:"type"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// TLSDetails describes the TLS connection of a request.
type TLSDetails struct {
	tracked

	// TLSVersion is the protocol version, such as "TLSv1.3".
	TLSVersion string `json:"tlsVersion"`

	// CipherSuite is the cipher suite, such as "TLS_AES_256_GCM_SHA384".
	CipherSuite string `json:"cipherSuite"`

	// ClientProvidedHostHeader is the host name the client asked for.
	ClientProvidedHostHeader string `json:"clientProvidedHostHeader"`

	// KeyExchange is the key exchange, such as "X25519MLKEM768"; written
	// since 2025.
	KeyExchange string `json:"keyExchange"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// Addendum says why CloudTrail delivered a record late or again.
type Addendum struct {
	tracked

	// Reason is "DELIVERY_DELAY", "UPDATED_DATA" or "SERVICE_OUTAGE".
	Reason string `json:"reason"`

	// UpdatedFields names the fields an update changed.
	UpdatedFields string `json:"updatedFields"`

	// OriginalRequestID is the request ID of the original record.
	OriginalRequestID string `json:"originalRequestID"`

	// OriginalEventID is the event ID of the original record.
	OriginalEventID string `json:"originalEventID"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// EventContext holds the context that CloudTrail Lake adds to enriched
// events. Its members are kept as written.
type EventContext struct {
	tracked

	// RequestContext describes the request.
	RequestContext jsontext.Value `json:"requestContext"`

	// TagContext lists the tags of the resources concerned.
	TagContext jsontext.Value `json:"tagContext"`

	// Unknown holds members this struct does not model, as written.
	Unknown jsontext.Value
}

// Format names the envelope a record was delivered in.
type Format uint8

// The formats the Reader recognises.
const (
	FormatUnknown        Format = iota
	FormatRecord                // a bare record
	FormatLogFile               // {"Records":[...]}, as CloudTrail writes to S3
	FormatArray                 // a JSON array of records
	FormatJSONLines             // one record per line
	FormatEventBridge           // EventBridge events, the record in "detail"
	FormatCloudWatchLogs        // CloudWatch Logs subscription payloads
	FormatLookupEvents          // LookupEvents results (CloudTrailEvent strings)
	FormatLake                  // CloudTrail Lake query result rows
	FormatEmbedded              // records as JSON strings in "_raw" members
)

var formatNames = [...]string{
	FormatUnknown:        "unknown",
	FormatRecord:         "record",
	FormatLogFile:        "log-file",
	FormatArray:          "array",
	FormatJSONLines:      "json-lines",
	FormatEventBridge:    "eventbridge",
	FormatCloudWatchLogs: "cloudwatch-logs",
	FormatLookupEvents:   "lookup-events",
	FormatLake:           "lake",
	FormatEmbedded:       "embedded",
}

// String returns the format's name, such as "log-file".
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// MarshalText encodes the format as its name.
func (f Format) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Source says where a record came from.
type Source struct {
	// Path names the input, when the Reader knows it.
	Path string `json:"path,omitempty"`

	// Record is the record's index within the input, counting from 0.
	Record int `json:"record"`

	// Offset, Line and Column locate the record's first byte in the input
	// (decompressed). For a record inside a JSON string they locate the
	// string.
	Offset int64 `json:"offset"`
	Line   int   `json:"line,omitempty"`
	Column int   `json:"column,omitempty"`

	// Format is the envelope the record was delivered in.
	Format Format `json:"format"`
}
