package kmstrail_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/kmstrail/kmstrail"
)

// decryptRecord is one compact KMS record, delivered below in several
// envelopes.
const decryptRecord = `{"eventVersion":"1.11","eventTime":"2025-05-21T05:42:31Z","eventSource":"kms.amazonaws.com",` +
	`"eventName":"Decrypt","awsRegion":"us-west-2","recipientAccountId":"111122223333",` +
	`"eventID":"b2e4bd7a-5cc5-4c4e-9b1b-7f0f9c1e2d3a","eventType":"AwsApiCall",` +
	`"requestParameters":{"encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":null,` +
	`"resources":[{"ARN":"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","type":"AWS::KMS::Key"}]}`

// A Reader needs no hint about the envelope: it recognises each one, and
// the record inside decodes to the same Event whatever carried it.
func ExampleReader_envelopes() {
	inputs := map[string]string{
		"S3 log file": `{"Records":[` + decryptRecord + `]}`,
		"EventBridge": `{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"AWS API Call via CloudTrail",` +
			`"source":"aws.kms","account":"111122223333","time":"2025-05-21T05:42:31Z","region":"us-west-2","resources":[],` +
			`"detail":` + decryptRecord + `}`,
		"CloudWatch Logs": `{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"aws-cloudtrail-logs",` +
			`"logStream":"111122223333_CloudTrail_us-west-2","subscriptionFilters":["kms"],` +
			`"logEvents":[{"id":"1","timestamp":1747806151000,"message":` + quote(decryptRecord) + `}]}`,
		"LookupEvents output": `{"Events":[{"EventId":"b2e4bd7a-5cc5-4c4e-9b1b-7f0f9c1e2d3a","EventName":"Decrypt",` +
			`"CloudTrailEvent":` + quote(decryptRecord) + `}]}`,
	}
	for _, name := range []string{"S3 log file", "EventBridge", "CloudWatch Logs", "LookupEvents output"} {
		for ev, err := range kmstrail.NewReader(strings.NewReader(inputs[name])).All() {
			if err != nil {
				fmt.Println(err)
				continue
			}
			if ev.KMS == nil {
				continue // not a KMS event
			}
			fmt.Printf("%-19s %-16s %s %s\n", name, ev.Source.Format, ev.EventName, ev.KMS.Key.ARN)
		}
	}
	// Output:
	// S3 log file         log-file         Decrypt arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
	// EventBridge         eventbridge      Decrypt arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
	// CloudWatch Logs     cloudwatch-logs  Decrypt arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
	// LookupEvents output lookup-events    Decrypt arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
}

// quote returns s as a JSON string, as the envelopes that carry a record
// in a string member hold it.
func quote(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Files that CloudTrail writes beside its logs, such as digest files, are
// reported as holding no records: an error wrapping ErrNoRecords, never a
// crash or a silent skip.
func ExampleReader_digestFile() {
	digest := `{"awsAccountId":"111122223333","digestStartTime":"2025-05-21T04:20:05Z","digestEndTime":"2025-05-21T05:20:05Z",` +
		`"digestS3Bucket":"trail","digestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-west-2/2025/05/21/x.json.gz",` +
		`"digestPublicKeyFingerprint":"0f1e","digestSignatureAlgorithm":"SHA256withRSA","logFiles":[]}`
	r := kmstrail.NewReader(strings.NewReader(digest))
	r.Path = "digest.json"
	for _, err := range r.All() {
		fmt.Println(errors.Is(err, kmstrail.ErrNoRecords))
		fmt.Println(err)
	}
	// Output:
	// true
	// digest.json:1:1: input holds no CloudTrail records: CloudTrail digest file (log file validation)
}

func ExampleLookupEvent() {
	// One result of the LookupEvents API, as the AWS SDK returns it.
	result := types.Event{
		EventId:         aws.String("b2e4bd7a-5cc5-4c4e-9b1b-7f0f9c1e2d3a"),
		EventName:       aws.String("Decrypt"),
		EventSource:     aws.String("kms.amazonaws.com"),
		CloudTrailEvent: aws.String(decryptRecord),
	}
	ev, err := kmstrail.LookupEvent(result)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ev.EventName, ev.EventTime, ev.Source.Format)
	// Output:
	// Decrypt 2025-05-21 05:42:31 +0000 UTC lookup-events
}

// pagedClient stands in for *cloudtrail.Client: it returns its pages in
// order, linked by NextToken.
type pagedClient struct{ pages [][]types.Event }

func (c pagedClient) LookupEvents(_ context.Context, in *cloudtrail.LookupEventsInput, _ ...func(*cloudtrail.Options)) (*cloudtrail.LookupEventsOutput, error) {
	page := 0
	if in.NextToken != nil {
		fmt.Sscan(*in.NextToken, &page)
	}
	out := &cloudtrail.LookupEventsOutput{Events: c.pages[page]}
	if page+1 < len(c.pages) {
		out.NextToken = aws.String(fmt.Sprint(page + 1))
	}
	return out, nil
}

// LookupEvents takes the SDK's client (here a stand-in returning two pages)
// and follows NextToken until the query is exhausted.
func ExampleLookupEvents() {
	record := func(name string) types.Event {
		return types.Event{CloudTrailEvent: aws.String(strings.Replace(decryptRecord, "Decrypt", name, 1))}
	}
	client := pagedClient{pages: [][]types.Event{
		{record("Decrypt"), record("Encrypt")},
		{record("GenerateDataKey")},
	}}
	query := &cloudtrail.LookupEventsInput{
		LookupAttributes: []types.LookupAttribute{{
			AttributeKey:   types.LookupAttributeKeyEventSource,
			AttributeValue: aws.String("kms.amazonaws.com"),
		}},
	}
	for ev, err := range kmstrail.LookupEvents(context.Background(), client, query) {
		if err != nil {
			fmt.Println(err)
			break
		}
		if ev.KMS != nil {
			fmt.Println(ev.Source.Record, ev.EventName, ev.KMS.Operation)
		}
	}
	// Output:
	// 0 Decrypt Decrypt
	// 1 Encrypt Encrypt
	// 2 GenerateDataKey GenerateDataKey
}

func ExampleLakeEvent() {
	// A row of CloudTrail Lake query results (GetQueryResults), selected
	// column by column: every value is a string, times in Lake's form.
	row := map[string]string{
		"eventtime":          "2025-05-21 05:42:31.000",
		"eventsource":        "kms.amazonaws.com",
		"eventname":          "Decrypt",
		"awsregion":          "us-west-2",
		"recipientaccountid": "111122223333",
		"readonly":           "true",
		"requestparameters":  `{"encryptionAlgorithm":"SYMMETRIC_DEFAULT"}`,
	}
	ev, err := kmstrail.LakeEvent(row)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ev.EventName, ev.EventTime, ev.ReadOnly, ev.Source.Format)
	if ev.KMS == nil {
		return // not a KMS event
	}
	if req, ok := ev.KMS.Request.(*kmstrail.DecryptRequest); ok {
		fmt.Println(req.EncryptionAlgorithm)
	}
	// Output:
	// Decrypt 2025-05-21 05:42:31 +0000 UTC true lake
	// SYMMETRIC_DEFAULT
}
