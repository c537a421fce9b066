package kmstrail_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kmstrail/kmstrail"
)

// A record as KMS wrote it before December 2022: responseElements is null,
// the key is named by its ID, and validTo is in Java's date format.
const importRecord = `{
    "eventVersion": "1.05",
    "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/Alice", "accountId": "111122223333"},
    "eventTime": "2020-09-14T17:22:48Z",
    "eventSource": "kms.amazonaws.com",
    "eventName": "ImportKeyMaterial",
    "awsRegion": "us-west-2",
    "sourceIPAddress": "198.51.100.77",
    "requestParameters": {
        "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
        "validTo": "Jan 1, 2021 8:00:00 PM",
        "expirationModel": "KEY_MATERIAL_EXPIRES"
    },
    "responseElements": null,
    "eventID": "d5f9c9dc-b138-416c-83e1-3407a329ec29",
    "readOnly": false,
    "eventType": "AwsApiCall",
    "recipientAccountId": "111122223333"
}`

func ExampleParse() {
	ev, err := kmstrail.Parse([]byte(importRecord))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ev.EventName, ev.EventTime)
	fmt.Println(ev.Principal())
	// Output:
	// ImportKeyMaterial 2020-09-14 17:22:48 +0000 UTC
	// arn:aws:iam::111122223333:user/Alice
}

func ExampleReader_All() {
	// A log file as CloudTrail delivers it, with one damaged record.
	logFile := `{"Records":[
{"eventVersion":"1.11","eventTime":"2025-05-21T05:42:31Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt"},
{"eventVersion":"1.11","eventTime":"2025-05-21T05:42:32Z","eventSource":"kms.amazonaws.com" "eventName":"Encrypt"},
{"eventVersion":"1.11","eventTime":"2025-05-21T05:42:33Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}
]}`
	r := kmstrail.NewReader(strings.NewReader(logFile))
	r.Path = "trail.json"
	for ev, err := range r.All() {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(ev.Source.Record, ev.EventName)
	}
	// Output:
	// 0 Decrypt
	// error: trail.json:3:93: record 1: /eventSource: invalid JSON: missing ',' after object member (found '"')
	// 2 RunInstances
}

func ExampleReader_Next() {
	// A gzip log file cut short in transfer, after a damaged record.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"Records":[` + importRecord + `,{"eventVersion":},` + importRecord + `]}`))
	zw.Close()
	cut := gz.Bytes()[:gz.Len()-4] // the end of the gzip trailer is missing

	r := kmstrail.NewReader(bytes.NewReader(cut))
	r.Path = "trail.json.gz"
	decoded := 0
	for {
		ev, err := r.Next()
		if err == io.EOF {
			break
		}
		var e *kmstrail.Error
		switch {
		case errors.Is(err, kmstrail.ErrNoRecords):
			fmt.Println("notice:", err) // a digest file or a notification: not a failure
			continue
		case errors.As(err, &e) && e.Fatal:
			fmt.Println("input ended:", err) // nothing follows: the next call returns io.EOF
			continue
		case err != nil:
			fmt.Println("record failed:", err) // the Reader goes on with the next record
			continue
		}
		decoded++
		_ = ev
	}
	fmt.Println(decoded, "records decoded")
	// Output:
	// record failed: trail.json.gz:19:19: record 1: /eventVersion: invalid JSON: invalid character '}' looking for the beginning of a value
	// input ended: trail.json.gz:37:4: unexpected end of input: compressed input ends early
	// 2 records decoded
}

func ExampleKMSCall() {
	ev, err := kmstrail.Parse([]byte(importRecord))
	if err != nil {
		fmt.Println(err)
		return
	}
	call := ev.KMS
	fmt.Println(call.Operation)
	fmt.Println(call.Key.ARN, call.Key.ARNSource)
	if req, ok := call.Request.(*kmstrail.ImportKeyMaterialRequest); ok {
		fmt.Println(req.ValidTo, req.ExpirationModel)
	}
	// Output:
	// ImportKeyMaterial
	// arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab derived
	// 2021-01-01T20:00:00Z KEY_MATERIAL_EXPIRES
}

func ExampleReader_repair() {
	// AWS's published examples sometimes lack a comma.
	doc := "{\n\"eventVersion\": \"1.11\",\n\"eventName\": \"ImportKeyMaterial\"\n\"eventCategory\": \"Management\",\n\"eventTime\": \"2025-05-21T05:42:31Z\"\n}"
	r := kmstrail.NewReader(strings.NewReader(doc))
	r.Repair = true
	ev, err := r.Next()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ev.EventCategory)
	for _, d := range ev.Diagnostics {
		fmt.Println(d)
	}
	// Output:
	// Management
	// 4:1: repaired: /eventName: inserted missing ',' after the object member ending at 3:33
}

func ExampleKMSCall_typeSwitch() {
	records := `{"Records":[
{"eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion","awsRegion":"us-west-2",
 "recipientAccountId":"111122223333","requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","pendingWindowInDays":7},
 "responseElements":{"keyId":"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
 "keyState":"PendingDeletion","deletionDate":"Apr 12, 2021 18:58:30 PM"}},
{"eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"ReEncrypt","awsRegion":"us-west-2",
 "recipientAccountId":"111122223333","requestParameters":{"destinationKeyId":"0987dcba-09fe-87dc-65ba-ab0987654321"},
 "resources":[{"ARN":"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","type":"AWS::KMS::Key"},
 {"ARN":"arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321","type":"AWS::KMS::Key"}]},
{"eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"CreateGrant","awsRegion":"us-west-2",
 "recipientAccountId":"111122223333","requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab",
 "granteeServicePrincipal":"dynamodb.amazonaws.com","operations":["Encrypt","Decrypt"]}}
]}`
	for ev, err := range kmstrail.NewReader(strings.NewReader(records)).All() {
		if err != nil {
			fmt.Println(err)
			continue
		}
		if ev.KMS == nil {
			continue // not a KMS event
		}
		switch req := ev.KMS.Request.(type) {
		case *kmstrail.ScheduleKeyDeletionRequest:
			// A failed call, or a record from before KMS logged
			// responses, has no response: check before using it.
			if resp, ok := ev.KMS.Response.(*kmstrail.ScheduleKeyDeletionResponse); ok {
				fmt.Println("deletes", ev.KMS.Key.ID, "on", resp.DeletionDate, "after", req.PendingWindowInDays, "days")
			}
		case *kmstrail.ReEncryptRequest:
			fmt.Println("re-encrypts from", req.SourceKey.ID, "to", req.DestinationKey.ID)
		case *kmstrail.CreateGrantRequest:
			fmt.Println("grants", req.Operations, "on", ev.KMS.Key.ID, "to", req.Grantee())
		}
	}
	// Output:
	// deletes 1234abcd-12ab-34cd-56ef-1234567890ab on 2021-04-12T18:58:30Z after 7 days
	// re-encrypts from 1234abcd-12ab-34cd-56ef-1234567890ab to 0987dcba-09fe-87dc-65ba-ab0987654321
	// grants [Encrypt Decrypt] on 1234abcd-12ab-34cd-56ef-1234567890ab to dynamodb.amazonaws.com
}
