package kmstrailtest

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail"
)

// Event returns a record of any AWS service, decoded by kmstrail.Parse from
// the bytes the kit wrote (ev.Raw). Call names the service and operation
// (an STS GetCallerIdentity without it), RequestParameters and
// ResponseElements give their members as Go values; the envelope takes the
// package's defaults. Use KMS for KMS events: it writes them as KMS does.
//
// Event panics if the record it wrote does not decode: that is a bug in the
// kit, or an option given a value that cannot be marshaled.
func Event(opts ...Option) *kmstrail.Event {
	s := newSpec(opts)
	return s.build()
}

// newSpec applies the options to an empty spec.
func newSpec(opts []Option) *spec {
	s := &spec{}
	for _, o := range opts {
		if o.apply != nil {
			o.apply(s)
		}
	}
	return s
}

// build fills in the decisions no option or builder took, writes the
// record and decodes it.
func (s *spec) build() *kmstrail.Event {
	s.fillDefaults()
	rec := s.write()
	ev := mustParse(rec, s.name)
	if len(s.edits) == 0 {
		return ev
	}
	for _, f := range s.edits {
		f(ev)
	}
	rec, err := json.Marshal(ev)
	if err != nil {
		panic(fmt.Sprintf("kmstrailtest: marshaling the edited %s event: %v", s.name, err))
	}
	return mustParse(rec, s.name)
}

// mustParse decodes a record the kit wrote; a failure is the kit's bug.
func mustParse(rec []byte, name string) *kmstrail.Event {
	ev, err := kmstrail.Parse(rec)
	if err != nil {
		panic(fmt.Sprintf("kmstrailtest: the %s record the kit wrote does not decode: %v\n%s", name, err, rec))
	}
	return ev
}

// fillPlace decides when and where the request happened, which the KMS
// builder needs to derive ARNs and dates.
func (s *spec) fillPlace() {
	if s.time.IsZero() {
		s.time = defaultTime
		if s.legacy {
			s.time = legacyTime
		}
	}
	if s.account == "" {
		s.account = DefaultAccount
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
}

// fillDefaults takes the decisions left open.
func (s *spec) fillDefaults() {
	if s.source == "" {
		s.source, s.name = "sts.amazonaws.com", "GetCallerIdentity"
	}
	s.fillPlace()
	if s.identity == identityDefault {
		s.identity, s.principal = identityUser, DefaultUser
	}
	if s.readOnly == nil {
		ro := readsOnly(s.name)
		s.readOnly = &ro
	}
	if s.eventType == "" {
		s.eventType = "AwsApiCall"
	}
	if s.eventVersion == "" {
		s.eventVersion = "1.11"
		if s.legacy {
			s.eventVersion = "1.08"
		}
	}
	if s.eventCategory == "" {
		s.eventCategory = "Management"
	}
	if s.tls == nil {
		on := !s.legacy && s.identity != identityService && s.identity != identityInternal
		s.tls = &on
	}
	if s.sourceIP == nil {
		s.sourceIP = s.callerOr("192.0.2.0")
	}
	if s.userAgent == nil {
		s.userAgent = s.callerOr("aws-cli/2.27.41 md/awscrt#0.26.1 ua/2.1 os/linux#6.8.0-1029-aws md/arch#x86_64 lang/python#3.13.4")
	}
}

// callerOr returns what CloudTrail writes in sourceIPAddress and userAgent
// for a call AWS made: the service's principal, or "AWS Internal" for the
// events KMS writes itself; for other callers, def.
func (s *spec) callerOr(def string) *string {
	switch s.identity {
	case identityService:
		def = s.principal
	case identityInternal:
		def = "AWS Internal"
	}
	return &def
}

// readsOnly guesses whether an operation only reads, from its name.
func readsOnly(name string) bool {
	for _, p := range []string{"Get", "List", "Describe", "Head", "Lookup", "BatchGet", "Search"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// write writes the record, compact and in CloudTrail's member order. The
// IDs left to derive are hashes of the record written without them.
func (s *spec) write() []byte {
	eventID, requestID := s.eventID, s.requestID
	if eventID == nil || requestID == nil {
		sum := sha256.Sum256(s.members("", ""))
		if eventID == nil {
			id := uuidOf(sum[:16])
			eventID = &id
		}
		if requestID == nil {
			id := ""
			if s.eventType != "AwsServiceEvent" {
				id = uuidOf(sum[16:])
			}
			requestID = &id
		}
	}
	return s.members(*eventID, *requestID)
}

// members writes the record with the given IDs.
func (s *spec) members(eventID, requestID string) []byte {
	var o object
	o.add("eventVersion", s.eventVersion)
	o.raw("userIdentity", s.userIdentity())
	o.add("eventTime", s.time.Format(time.RFC3339))
	o.add("eventSource", s.source)
	o.add("eventName", s.name)
	o.add("awsRegion", s.region)
	o.add("sourceIPAddress", *s.sourceIP)
	if *s.userAgent != "" {
		o.add("userAgent", *s.userAgent)
	}
	if s.errorCode != "" {
		o.add("errorCode", s.errorCode)
		if s.errorMessage != "" {
			o.add("errorMessage", s.errorMessage)
		}
	}
	o.raw("requestParameters", s.request.json(s.name))
	response := s.response
	if s.errorCode != "" {
		response = nil // a failed call returned nothing
	}
	o.raw("responseElements", response.json(s.name))
	if s.additional != nil {
		o.raw("additionalEventData", s.additional.json(s.name))
	}
	if requestID != "" {
		o.add("requestID", requestID)
	}
	o.add("eventID", eventID)
	o.add("readOnly", *s.readOnly)
	if s.resources != nil {
		o.raw("resources", resourcesJSON(*s.resources))
	}
	o.add("eventType", s.eventType)
	if !s.noManagementEvent {
		o.add("managementEvent", s.eventCategory == "Management")
	}
	o.add("recipientAccountId", s.account)
	if s.serviceEvent != nil {
		o.raw("serviceEventDetails", s.serviceEvent.json(s.name))
	}
	o.add("eventCategory", s.eventCategory)
	if *s.tls {
		service := strings.TrimSuffix(s.source, ".amazonaws.com")
		o.add("tlsDetails", tlsDetails{"TLSv1.3", "TLS_AES_128_GCM_SHA256", service + "." + s.region + ".amazonaws.com"})
	}
	return o.close()
}

// tlsDetails is the tlsDetails member of a call made over the internet.
type tlsDetails struct {
	TLSVersion               string `json:"tlsVersion"`
	CipherSuite              string `json:"cipherSuite"`
	ClientProvidedHostHeader string `json:"clientProvidedHostHeader"`
}

// json returns the payload's JSON: null for no payload or a nil value.
func (p *payload) json(name string) jsontext.Value {
	if p == nil || p.v == nil {
		return jsontext.Value("null")
	}
	if v, ok := p.v.(jsontext.Value); ok && len(v) == 0 {
		return jsontext.Value("null") // a message the builder wrote as null
	}
	b, err := json.Marshal(p.v, json.Deterministic(true))
	if err != nil {
		panic(fmt.Sprintf("kmstrailtest: marshaling a member of the %s record: %v", name, err))
	}
	return b
}

// resource is a resources[] entry in CloudTrail's member order.
type resource struct {
	AccountID string `json:"accountId,omitzero"`
	Type      string `json:"type,omitzero"`
	ARN       string `json:"ARN,omitzero"`
	ARNPrefix string `json:"ARNPrefix,omitzero"`
}

func resourcesJSON(rs []kmstrail.Resource) jsontext.Value {
	list := make([]resource, len(rs))
	for i, r := range rs {
		list[i] = resource{r.AccountID, r.Type, r.ARN, r.ARNPrefix}
	}
	return mustMarshal(list)
}

// object writes a JSON object member by member.
type object struct{ b []byte }

func (o *object) raw(name string, v jsontext.Value) {
	if len(o.b) == 0 {
		o.b = append(o.b, '{')
	} else {
		o.b = append(o.b, ',')
	}
	o.b, _ = jsontext.AppendQuote(o.b, name)
	o.b = append(o.b, ':')
	o.b = append(o.b, v...)
}

func (o *object) add(name string, v any) { o.raw(name, mustMarshal(v)) }

func (o *object) close() []byte {
	if len(o.b) == 0 {
		return []byte("{}")
	}
	return append(o.b, '}')
}

// mustMarshal marshals a value of the kit's own making.
func mustMarshal(v any) []byte {
	b, err := json.Marshal(v, json.Deterministic(true))
	if err != nil {
		panic("kmstrailtest: " + err.Error())
	}
	return b
}

// uuidOf formats 16 bytes as a random (version 4) UUID, as CloudTrail's
// eventID and KMS's requestID are.
func uuidOf(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// hexOf returns a 64-digit hexadecimal ID (a key material or grant ID)
// derived from parts.
func hexOf(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// idOf returns an IAM-style unique ID: prefix and 16 or 17 upper-case
// letters and digits derived from parts, such as "AIDA..." for a user or
// "AKIA..." for an access key.
func idOf(prefix string, n int, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + base32.StdEncoding.EncodeToString(sum[:])[:n]
}

// The userIdentity shapes the kit writes, in CloudTrail's member order.
type (
	userIdentity struct {
		Type           string          `json:"type,omitzero"`
		PrincipalID    string          `json:"principalId,omitzero"`
		ARN            string          `json:"arn,omitzero"`
		AccountID      string          `json:"accountId,omitzero"`
		AccessKeyID    string          `json:"accessKeyId,omitzero"`
		UserName       string          `json:"userName,omitzero"`
		SessionContext *sessionContext `json:"sessionContext,omitzero"`
		InvokedBy      string          `json:"invokedBy,omitzero"`
	}
	sessionContext struct {
		SessionIssuer       sessionIssuer     `json:"sessionIssuer"`
		WebIDFederationData struct{}          `json:"webIdFederationData"`
		Attributes          sessionAttributes `json:"attributes"`
	}
	sessionIssuer struct {
		Type        string `json:"type"`
		PrincipalID string `json:"principalId"`
		ARN         string `json:"arn"`
		AccountID   string `json:"accountId"`
		UserName    string `json:"userName"`
	}
	sessionAttributes struct {
		CreationDate     string `json:"creationDate"`
		MFAAuthenticated string `json:"mfaAuthenticated"`
	}
)

// userIdentity writes the caller. IDs are derived from the names, so that
// a user has the same principal and access key IDs in every record.
func (s *spec) userIdentity() jsontext.Value {
	iam := "arn:" + kmstrail.Partition(s.region) + ":iam::" + s.account + ":"
	var u userIdentity
	switch s.identity {
	case identityUser:
		u = userIdentity{
			Type:        "IAMUser",
			PrincipalID: idOf("AIDA", 17, s.account, s.principal),
			ARN:         iam + "user/" + s.principal,
			AccountID:   s.account,
			AccessKeyID: idOf("AKIA", 16, s.account, s.principal),
			UserName:    s.principal,
		}
	case identityAssumedRole:
		roleID := idOf("AROA", 17, s.account, s.principal)
		u = userIdentity{
			Type:        "AssumedRole",
			PrincipalID: roleID + ":" + s.session,
			ARN:         "arn:" + kmstrail.Partition(s.region) + ":sts::" + s.account + ":assumed-role/" + s.principal + "/" + s.session,
			AccountID:   s.account,
			AccessKeyID: idOf("ASIA", 16, s.account, s.principal, s.session),
			SessionContext: &sessionContext{
				SessionIssuer: sessionIssuer{"Role", roleID, iam + "role/" + s.principal, s.account, s.principal},
				Attributes:    sessionAttributes{s.time.Add(-15 * time.Minute).Format(time.RFC3339), "false"},
			},
		}
	case identityRoot:
		u = userIdentity{
			Type:        "Root",
			PrincipalID: s.account,
			ARN:         iam + "root",
			AccountID:   s.account,
			AccessKeyID: idOf("AKIA", 16, s.account, "root"),
		}
	case identityService:
		u = userIdentity{Type: "AWSService", InvokedBy: s.principal}
	case identityInternal:
		u = userIdentity{AccountID: s.account, InvokedBy: "AWS Internal"}
	}
	return mustMarshal(u)
}
