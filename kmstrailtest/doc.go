// Package kmstrailtest builds realistic CloudTrail records for the tests of
// code that reads them: audit jobs, detections, anything built on kmstrail.
//
// A record is more than its struct: kmstrail.Time{} literals, raw
// requestParameters, a KMS view that only Parse fills in, dates that KMS
// writes as "May 21, 2025, 5:47:45 AM". The builders take typed values,
// write the record CloudTrail would write, and return the
// *kmstrail.Event that kmstrail.Parse decodes from those bytes, so that
// ev.KMS, ev.KMS.Key, ev.Raw and ev.Diagnostics are what production code
// would see. The writers put events in the forms CloudTrail delivers them
// in: a log file at its S3 key, JSON Lines, EventBridge events, CloudWatch
// Logs payloads.
//
//	ev := kmstrailtest.KMS(&kmstrail.ImportKeyMaterialRequest{
//		KeyID:           "1234abcd-12ab-34cd-56ef-1234567890ab",
//		ValidTo:         kmstrail.TimeOf(expiry),
//		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
//	}, nil, kmstrailtest.AssumedRole("key-admin", "alice"))
//	path := kmstrailtest.LogFile(t, t.TempDir(), ev)
//
// The package is for tests: import it from _test.go files only, so that
// neither it nor testify ends up in production binaries.
//
// # Defaults
//
// Every envelope member has a default that an option changes: eventVersion
// 1.11, eventTime 2025-05-21T05:42:31Z (Time), account 111122223333
// (Account), Region us-west-2 (Region), the IAM user Alice (User,
// AssumedRole, Root, Service), sourceIPAddress 192.0.2.0 (SourceIP), an AWS
// CLI userAgent (UserAgent), eventType AwsApiCall (EventType), a management
// event (EventCategory), TLS 1.3 details (TLS). Anything else is set through
// Edit, on the decoded Event.
//
// Records are deterministic: eventID and requestID are UUIDs derived from
// the record's content, and principal, access key, grant and key material
// IDs from the names they belong to, so that golden files stay stable and a
// record built twice is the same record. Give records that must differ
// different times (or EventID).
//
// # KMS events
//
// KMS builds each of the 60 events kmstrail types from its typed request and
// response, and fills in what CloudTrail adds: the key ARN in resources[]
// and, since December 2022, in responseElements.keyId; the operation's
// readOnly; the identity, eventType and serviceEventDetails of the events
// KMS writes itself; key material IDs in additionalEventData. Failed writes
// a failed call (errorCode, errorMessage, null response), PreDecember2022
// the older shape (null responseElements), DateLayout another date form.
//
// A builder panics if the record it wrote does not decode, which is a bug
// in the kit: KMS has no testing.TB to report it through.
package kmstrailtest
