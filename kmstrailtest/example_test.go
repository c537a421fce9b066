package kmstrailtest_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/kmstrailtest"
)

func ExampleKMS() {
	ev := kmstrailtest.KMS(&kmstrail.ImportKeyMaterialRequest{
		KeyID:           "1234abcd-12ab-34cd-56ef-1234567890ab",
		ValidTo:         kmstrail.TimeOf(time.Date(2026, 5, 21, 5, 47, 45, 0, time.UTC)),
		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
	}, nil)

	// The event went through kmstrail.Parse: the KMS view is there.
	fmt.Println(ev.KMS.Operation, ev.KMS.Key.ARN)
	if req, ok := ev.KMS.Request.(*kmstrail.ImportKeyMaterialRequest); ok {
		fmt.Println(req.ValidTo.Text, "=", req.ValidTo)
	}
	// KMS has logged the key ARN in the response since December 2022.
	fmt.Println(string(ev.ResponseElements))
	// Output:
	// ImportKeyMaterial arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
	// May 21, 2026, 5:47:45 AM = 2026-05-21T05:47:45Z
	// {"keyId":"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","keyMaterialId":"70535a7065bfb3a7de0872c620af8299dbdeab21042508f4e4c06c004e7609c8"}
}

func ExampleKMS_failed() {
	ev := kmstrailtest.KMS(&kmstrail.DecryptRequest{
		KeyID:             "arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
		EncryptionContext: map[string]string{"tenant": "acme"},
	}, nil,
		kmstrailtest.AssumedRole("orders-task", "9f3b6c1e"),
		kmstrailtest.Failed("AccessDeniedException", "User is not authorized to perform: kms:Decrypt"),
	)
	fmt.Println(ev.Succeeded(), ev.ErrorCode)
	fmt.Println(ev.Principal())
	fmt.Println(ev.KMS.Response == nil, ev.KMS.Key.ID)
	// Output:
	// false AccessDeniedException
	// arn:aws:iam::111122223333:role/orders-task (session 9f3b6c1e)
	// true 0987dcba-09fe-87dc-65ba-ab0987654321
}

func ExampleKMS_serviceEvent() {
	// KMS writes RotateKey itself: its request is null, so a typed nil
	// names the operation, and Key names the key.
	ev := kmstrailtest.KMS((*kmstrail.RotateKeyRequest)(nil), nil,
		kmstrailtest.Key("0987dcba-09fe-87dc-65ba-ab0987654321"))
	fmt.Println(ev.EventType, ev.Principal().Type, ev.UserIdentity.InvokedBy)
	if d := ev.KMS.ServiceEventDetails; d != nil {
		fmt.Println(d.RotationType, d.KeyID)
	}
	// Output:
	// AwsServiceEvent AWSService AWS Internal
	// AUTOMATIC 0987dcba-09fe-87dc-65ba-ab0987654321
}

func ExamplePreDecember2022() {
	ev := kmstrailtest.KMS(&kmstrail.DisableKeyRequest{KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab"}, nil,
		kmstrailtest.PreDecember2022())
	// Before December 2022 KMS logged no response: the key ARN comes from
	// resources[].
	fmt.Println(string(ev.ResponseElements) == "", ev.EventTime)
	fmt.Println(ev.KMS.Key.ARN, ev.KMS.Key.ARNSource)
	// Output:
	// true 2022-06-14 17:22:48 +0000 UTC
	// arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab resources
}

func ExampleEvent() {
	type putObject struct {
		BucketName string `json:"bucketName"`
		Key        string `json:"key"`
	}
	ev := kmstrailtest.Event(
		kmstrailtest.Call("s3.amazonaws.com", "PutObject"),
		kmstrailtest.RequestParameters(putObject{BucketName: "amzn-s3-demo-bucket", Key: "orders/2025-05.csv"}),
		kmstrailtest.EventCategory("Data"),
		kmstrailtest.Resources(kmstrail.Resource{Type: "AWS::S3::Object", ARN: "arn:aws:s3:::amzn-s3-demo-bucket/orders/2025-05.csv"}),
		kmstrailtest.Time(time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)),
	)
	fmt.Println(ev.EventSource, ev.EventName, ev.EventTime, ev.ManagementEvent, ev.KMS == nil)
	fmt.Println(string(ev.RequestParameters))
	// Output:
	// s3.amazonaws.com PutObject 2025-06-01 09:30:00 +0000 UTC false true
	// {"bucketName":"amzn-s3-demo-bucket","key":"orders/2025-05.csv"}
}

func ExampleEdit() {
	// Edit sets what no option covers, on the decoded Event.
	ev := kmstrailtest.KMS(&kmstrail.GenerateDataKeyRequest{KeyID: "alias/orders", KeySpec: types.DataKeySpecAes256}, nil,
		kmstrailtest.Edit(func(ev *kmstrail.Event) {
			ev.VPCEndpointID = "vpce-1234abcdf5678c90a"
			ev.VPCEndpointAccountID = ev.RecipientAccountID
		}))
	fmt.Println(ev.VPCEndpointID, ev.KMS.Key.Alias, ev.KMS.Key.ID)
	// Output:
	// vpce-1234abcdf5678c90a alias/orders 1234abcd-12ab-34cd-56ef-1234567890ab
}

// readBack prints the events kmstrail reads from input, and where from.
func readBack(input []byte) {
	for ev, err := range kmstrail.NewReader(bytes.NewReader(input)).All() {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(ev.Source.Format, ev.Source.Record, ev.EventName)
	}
}

// twoEvents are the events the writers' examples write.
func twoEvents() []*kmstrail.Event {
	return []*kmstrail.Event{
		kmstrailtest.KMS(&kmstrail.EnableKeyRequest{KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab"}, nil),
		kmstrailtest.KMS((*kmstrail.RotateKeyRequest)(nil), nil, kmstrailtest.Time(time.Date(2025, 5, 21, 6, 0, 0, 0, time.UTC))),
	}
}

func ExampleRecords() {
	out := kmstrailtest.Records(twoEvents()...)
	fmt.Println(string(out[:12]))
	readBack(out)
	// Output:
	// {"Records":[
	// log-file 0 EnableKey
	// log-file 1 RotateKey
}

func ExampleJSONLines() {
	readBack(kmstrailtest.JSONLines(twoEvents()...))
	// Output:
	// json-lines 0 EnableKey
	// json-lines 1 RotateKey
}

func ExampleEventBridge() {
	out := kmstrailtest.EventBridge(twoEvents()...)
	for line := range strings.Lines(string(out)) {
		fmt.Println(line[strings.Index(line, `"detail-type"`):strings.Index(line, `,"account"`)])
	}
	readBack(out)
	// Output:
	// "detail-type":"AWS API Call via CloudTrail","source":"aws.kms"
	// "detail-type":"AWS Service Event via CloudTrail","source":"aws.kms"
	// eventbridge 0 EnableKey
	// eventbridge 1 RotateKey
}

func ExampleCloudWatchLogs() {
	readBack(kmstrailtest.CloudWatchLogs(twoEvents()...))
	// A Lambda function receives the payload compressed and encoded.
	readBack(kmstrailtest.CloudWatchLogsLambda(twoEvents()...))
	// Output:
	// cloudwatch-logs 0 EnableKey
	// cloudwatch-logs 1 RotateKey
	// cloudwatch-logs 0 EnableKey
	// cloudwatch-logs 1 RotateKey
}
