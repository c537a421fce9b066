package kmstrailtest

import (
	"time"

	"github.com/kmstrail/kmstrail"
)

// The defaults a builder writes when no option says otherwise.
const (
	// DefaultAccount is the account of the caller, of the keys and of the
	// record's recipient: AWS's documentation account.
	DefaultAccount = "111122223333"

	// DefaultRegion is the Region the request is made to.
	DefaultRegion = "us-west-2"

	// DefaultUser is the IAM user who makes the request.
	DefaultUser = "Alice"

	// DefaultKeyID is the key of a KMS event whose request names none, or
	// names it by an alias: the key the alias points to.
	DefaultKeyID = "1234abcd-12ab-34cd-56ef-1234567890ab"

	// DefaultMultiRegionKeyID replaces DefaultKeyID for a multi-Region
	// CreateKey.
	DefaultMultiRegionKeyID = "mrk-1234abcd12ab34cd56ef1234567890ab"
)

// The layouts of the dates inside KMS's requestParameters and
// responseElements (validTo, deletionDate, keyMetadata.creationDate, ...):
// KMS writes them in Java's English "medium" format, in UTC, to the second.
const (
	// JavaDateLayout is the form KMS writes today: "May 21, 2025, 5:47:45 AM".
	JavaDateLayout = "Jan 2, 2006, 3:04:05 PM"

	// JavaDateLayoutLegacy is the older form, without the comma after the
	// year: "Jan 1, 2021 8:00:00 PM", as records written before 2023 have it.
	JavaDateLayoutLegacy = "Jan 2, 2006 3:04:05 PM"
)

// defaultTime is the eventTime of records built without Time; it is the
// eventTime of the ImportKeyMaterial example of the KMS developer guide.
// legacyTime replaces it under PreDecember2022.
var (
	defaultTime = time.Date(2025, 5, 21, 5, 42, 31, 0, time.UTC)
	legacyTime  = time.Date(2022, 6, 14, 17, 22, 48, 0, time.UTC)
)

// An Option changes one part of the record a builder writes. Options apply
// in order, so a later one wins over an earlier one of the same kind; every
// option wins over what the builder would derive.
type Option struct{ apply func(*spec) }

// identityKind says who made the request.
type identityKind uint8

const (
	identityDefault identityKind = iota // the builder's choice
	identityUser
	identityAssumedRole
	identityRoot
	identityService
	identityInternal
)

// spec is what the options and the builders decide about one record. Nil
// pointers and empty slices are decisions not yet taken: the KMS builder
// fills in what it knows of its operation, then the defaults fill in the
// rest.
type spec struct {
	time          time.Time
	eventID       *string
	requestID     *string
	account       string
	region        string
	source, name  string
	identity      identityKind
	principal     string // user or role name, or the service principal
	session       string
	sourceIP      *string
	userAgent     *string
	errorCode     string
	errorMessage  string
	readOnly      *bool
	eventType     string
	eventVersion  string
	eventCategory string
	tls           *bool
	resources     *[]kmstrail.Resource
	request       *payload
	response      *payload
	additional    *payload
	serviceEvent  *payload
	keyID         string
	dateLayout    string
	legacy        bool
	// noManagementEvent leaves managementEvent out.
	noManagementEvent bool
	edits             []func(*kmstrail.Event)
}

// payload is a free-form member: a Go value to marshal, or nil for JSON
// null.
type payload struct{ v any }

// Time sets eventTime. CloudTrail writes it to the second, in UTC; the kit
// drops what is finer. Without Time, records happen at 2025-05-21T05:42:31Z
// (2022-06-14T17:22:48Z under PreDecember2022).
func Time(t time.Time) Option {
	return Option{func(s *spec) { s.time = t.UTC().Truncate(time.Second) }}
}

// EventID sets eventID. Without it, eventID is a UUID derived from the
// record's content, so that a record built twice is the same record.
func EventID(id string) Option { return Option{func(s *spec) { s.eventID = &id }} }

// RequestID sets requestID; the empty string leaves the member out. Without
// it, requestID is a UUID derived from the record's content, and service
// events (which have none) leave it out.
func RequestID(id string) Option { return Option{func(s *spec) { s.requestID = &id }} }

// Account sets the account of the caller, of the keys named by ID, and of
// the record's recipient (recipientAccountId).
func Account(id string) Option { return Option{func(s *spec) { s.account = id }} }

// Region sets awsRegion, the Region of the keys named by ID.
func Region(name string) Option { return Option{func(s *spec) { s.region = name }} }

// User makes the caller the account's IAM user of that name (userIdentity
// type IAMUser), as DefaultUser is by default.
func User(name string) Option {
	return Option{func(s *spec) { s.identity, s.principal, s.session = identityUser, name, "" }}
}

// AssumedRole makes the caller a session of an IAM role (userIdentity type
// AssumedRole, with the role as session issuer), as services, tasks and
// federated users call AWS.
func AssumedRole(role, session string) Option {
	return Option{func(s *spec) { s.identity, s.principal, s.session = identityAssumedRole, role, session }}
}

// Root makes the caller the account's root user.
func Root() Option {
	return Option{func(s *spec) { s.identity, s.principal, s.session = identityRoot, "", "" }}
}

// Service makes the caller an AWS service acting on its own (userIdentity
// type AWSService, invokedBy the service principal, such as
// "secretsmanager.amazonaws.com"); sourceIPAddress and userAgent become the
// principal too, and the record has no tlsDetails. The events KMS writes
// itself (DeleteKey, RotateKey, ...) have their own identity, "AWS
// Internal", without this option.
func Service(principal string) Option {
	return Option{func(s *spec) { s.identity, s.principal, s.session = identityService, principal, "" }}
}

// SourceIP sets sourceIPAddress.
func SourceIP(addr string) Option { return Option{func(s *spec) { s.sourceIP = &addr }} }

// UserAgent sets userAgent; the empty string leaves the member out, as
// CloudTrail does for some calls.
func UserAgent(agent string) Option { return Option{func(s *spec) { s.userAgent = &agent }} }

// Failed makes the request a failed one: errorCode and errorMessage (left
// out when empty, as CloudTrail sometimes does) are set and
// responseElements is null, whatever response the builder was given.
func Failed(code, message string) Option {
	return Option{func(s *spec) { s.errorCode, s.errorMessage = code, message }}
}

// ReadOnly sets readOnly. KMS builds know each operation's; Event guesses
// from the name (Get..., List..., Describe... read).
func ReadOnly(readOnly bool) Option { return Option{func(s *spec) { s.readOnly = &readOnly }} }

// EventType sets eventType, such as "AwsServiceEvent" or
// "AwsConsoleAction".
func EventType(eventType string) Option { return Option{func(s *spec) { s.eventType = eventType }} }

// EventVersion sets eventVersion; by default "1.11" ("1.08" under
// PreDecember2022).
func EventVersion(version string) Option { return Option{func(s *spec) { s.eventVersion = version }} }

// EventCategory sets eventCategory ("Management", the default, "Data" or
// "NetworkActivity"); managementEvent follows it.
func EventCategory(category string) Option {
	return Option{func(s *spec) { s.eventCategory = category }}
}

// TLS says whether the record has tlsDetails, as calls over the internet do
// and calls AWS makes internally do not. By default it has them unless a
// service made the call.
func TLS(on bool) Option { return Option{func(s *spec) { s.tls = &on }} }

// Resources sets the resources list. With no resource, the record has an
// empty list ([]), as CloudTrail writes for calls that concern no resource.
// KMS builds otherwise derive it from the key, as KMS does.
func Resources(resources ...kmstrail.Resource) Option {
	return Option{func(s *spec) {
		rs := append([]kmstrail.Resource{}, resources...)
		s.resources = &rs
	}}
}

// Call sets eventSource and eventName, such as "s3.amazonaws.com" and
// "PutObject": the service and the operation of a record built with Event.
// Without it, Event builds an STS GetCallerIdentity.
func Call(eventSource, eventName string) Option {
	return Option{func(s *spec) { s.source, s.name = eventSource, eventName }}
}

// RequestParameters sets requestParameters to v, marshaled with
// encoding/json/v2: a struct with json tags, a map, or JSON as a
// jsontext.Value or json.RawMessage; nil writes null. In a KMS build it
// replaces the typed request as written (the operation is still the
// request's).
func RequestParameters(v any) Option { return Option{func(s *spec) { s.request = &payload{v} }} }

// ResponseElements sets responseElements to v, as RequestParameters does.
func ResponseElements(v any) Option { return Option{func(s *spec) { s.response = &payload{v} }} }

// AdditionalEventData sets additionalEventData to v, as RequestParameters
// does: for KMS events, a *kmstrail.KMSAdditionalEventData, such as
// {KeyMaterialID: ...} for a cryptographic operation or {GrantID: ...} for
// RetireGrant.
func AdditionalEventData(v any) Option { return Option{func(s *spec) { s.additional = &payload{v} }} }

// ServiceEventDetails sets serviceEventDetails to v, as RequestParameters
// does: for KMS, a *kmstrail.KMSServiceEventDetails, whose KeyID the KMS
// builder fills in when it is empty.
func ServiceEventDetails(v any) Option { return Option{func(s *spec) { s.serviceEvent = &payload{v} }} }

// Key names the KMS key the event concerns, by key ID or key ARN, when the
// request does not name it (DeleteKey, RotateKey, RetireGrant with null
// requestParameters, DeleteAlias, Decrypt without keyId) or names it by an
// alias: the key the alias points to. Without it, such events concern
// DefaultKeyID.
func Key(id string) Option { return Option{func(s *spec) { s.keyID = id }} }

// DateLayout sets the time layout of the dates inside a KMS request and
// response: JavaDateLayout by default (JavaDateLayoutLegacy under
// PreDecember2022), or time.RFC3339 to write them as the rest of the record.
// A kmstrail.Time that holds text in another dialect, as ParseTime returns
// for "Apr 12, 2021 18:58:30 PM", is written as that text whatever the
// layout, so that a test can reproduce what KMS wrote.
func DateLayout(layout string) Option { return Option{func(s *spec) { s.dateLayout = layout }} }

// PreDecember2022 writes a KMS record as CloudTrail did before December
// 2022: responseElements is null where KMS has since logged the key ARN in
// responseElements.keyId (ImportKeyMaterial, EnableKey, CreateAlias, ...),
// eventVersion is 1.08 without tlsDetails, dates have no comma after the
// year, no key material is named (KMS has since 2025), and eventTime
// defaults to 2022-06-14T17:22:48Z.
func PreDecember2022() Option { return Option{func(s *spec) { s.legacy = true }} }

// Edit calls f with the decoded Event before the record is final, to set
// what no option covers (TLSDetails, Addendum, SharedEventID,
// VPCEndpointID, a UserIdentity with invokedBy, ...). The builder then
// marshals the edited Event and decodes it again, so the record's members
// follow Event's field order, members the builder wrote stay present even
// when f sets them to zero values, and the KMS view is decoded anew from
// the raw members (f's changes to ev.KMS itself are lost).
func Edit(f func(*kmstrail.Event)) Option {
	return Option{func(s *spec) { s.edits = append(s.edits, f) }}
}
