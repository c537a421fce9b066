package audit_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
)

// A key with imported key material, its records as CloudTrail logs them
// (trimmed): created, material imported with an expiry, and scheduled for
// deletion. The records may come in any order.
const trail = `{"Records": [
{"eventVersion": "1.11", "eventTime": "2026-01-10T09:10:00Z", "eventSource": "kms.amazonaws.com",
 "eventName": "ImportKeyMaterial", "awsRegion": "us-west-2", "eventID": "6fcc29ee-b31f-492c-aa82-6ec8f20e362c",
 "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/maria.garcia", "accountId": "111122223333"},
 "requestParameters": {"keyId": "b2b2b2b2-2222-4222-8222-222222222222", "validTo": "Jun 10, 2026, 9:30:00 AM",
   "expirationModel": "KEY_MATERIAL_EXPIRES", "importType": "NEW_KEY_MATERIAL"},
 "responseElements": {"keyId": "arn:aws:kms:us-west-2:111122223333:key/b2b2b2b2-2222-4222-8222-222222222222",
   "keyMaterialId": "f91b52e0e6da0fce42d8dcbb86a715d28f1809855f71e2f9c89cf58f0ff3e5c8"},
 "recipientAccountId": "111122223333"},
{"eventVersion": "1.11", "eventTime": "2026-01-10T09:00:00Z", "eventSource": "kms.amazonaws.com",
 "eventName": "CreateKey", "awsRegion": "us-west-2", "eventID": "0b1e07a4-5d1f-4c2b-9a8e-3f6d2c1b0a91",
 "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/maria.garcia", "accountId": "111122223333"},
 "requestParameters": {"origin": "EXTERNAL", "keySpec": "SYMMETRIC_DEFAULT", "keyUsage": "ENCRYPT_DECRYPT"},
 "responseElements": {"keyMetadata": {"keyId": "b2b2b2b2-2222-4222-8222-222222222222",
   "arn": "arn:aws:kms:us-west-2:111122223333:key/b2b2b2b2-2222-4222-8222-222222222222", "keyState": "PendingImport", "origin": "EXTERNAL"}},
 "recipientAccountId": "111122223333"},
{"eventVersion": "1.11", "eventTime": "2026-05-28T09:00:00Z", "eventSource": "kms.amazonaws.com",
 "eventName": "ScheduleKeyDeletion", "awsRegion": "us-west-2", "eventID": "5e9c1d7a-0b2f-4a6e-8c3d-7f1a2b9e4d60",
 "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/maria.garcia", "accountId": "111122223333"},
 "requestParameters": {"keyId": "b2b2b2b2-2222-4222-8222-222222222222", "pendingWindowInDays": 7},
 "responseElements": {"keyId": "arn:aws:kms:us-west-2:111122223333:key/b2b2b2b2-2222-4222-8222-222222222222",
   "keyState": "PendingDeletion", "deletionDate": "Jun 4, 2026, 9:00:00 AM", "pendingWindowInDays": 7},
 "recipientAccountId": "111122223333"}
]}`

func Example() {
	a := audit.New(audit.Options{At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	for ev, err := range kmstrail.NewReader(strings.NewReader(trail)).All() {
		if err != nil {
			fmt.Println(err)
			continue
		}
		a.Add(ev)
	}
	rep := a.Report()
	for _, k := range rep.Keys {
		fmt.Println(k.ARN, k.State, "deletes on", k.DeletionDate.Format(time.DateOnly))
	}
	for _, e := range rep.Expiry {
		fmt.Println(e.Status, e.ValidTo.Format(time.RFC3339))
	}
	for _, f := range rep.Findings {
		fmt.Println(f.Severity, f.Rule)
	}
	// Output:
	// arn:aws:kms:us-west-2:111122223333:key/b2b2b2b2-2222-4222-8222-222222222222 PendingDeletion deletes on 2026-06-04
	// expiring 2026-06-10T09:30:00Z
	// medium key-material-expiring
	// low key-material-imported
	// high key-deletion-scheduled
	// high key-pending-deletion
}

// Findings carry a stable rule ID and a severity, for filtering; each
// message says what happened in one line.
func ExampleAuditor_Report() {
	a := audit.New(audit.Options{At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	for ev, err := range kmstrail.NewReader(strings.NewReader(trail)).All() {
		if err == nil {
			a.Add(ev)
		}
	}
	for _, f := range a.Report().Findings {
		if f.Severity >= audit.High {
			fmt.Printf("%s %s: %s\n", f.Time.Format(time.DateOnly), f.Rule, f.Message)
		}
	}
	// Output:
	// 2026-05-28 key-deletion-scheduled: deletion scheduled: deletion on 2026-06-04 09:00 UTC after a 7-day waiting period
	// 2026-05-28 key-pending-deletion: pending deletion: KMS deletes it on 2026-06-04 09:00 UTC, in 3 days
}

func ExampleRules() {
	for _, r := range audit.Rules()[:3] {
		fmt.Println(r.ID, r.Severity)
	}
	// Output:
	// key-deletion-scheduled high
	// key-pending-deletion high
	// key-deleted high
}

func ExampleParseSeverity() {
	s, err := audit.ParseSeverity("High")
	fmt.Println(s, err, s >= audit.Medium)
	_, err = audit.ParseSeverity("severe")
	fmt.Println(err)
	// Output:
	// high <nil> true
	// audit: unknown severity "severe" (want info, low, medium, high or critical)
}
