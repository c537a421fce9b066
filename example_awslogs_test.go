package kmstrail_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log"
	"testing/fstest"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/kmstrail/kmstrail"
)

func ExampleParseLogObject() {
	o, ok := kmstrail.ParseLogObject("trails/AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-2/2015/08/01/" +
		"111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz")
	fmt.Println(ok, o.Kind, o.Prefix, o.OrgID, o.Account, o.Region, o.Time)
	// Output:
	// true log trails o-exampleorgid 111122223333 us-east-2 2015-08-01 02:10:00 +0000 UTC
}

func ExampleTree_Events() {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	record := func(name, at string) string {
		return `{"eventVersion":"1.11","eventTime":"` + at + `","eventSource":"kms.amazonaws.com","eventName":"` + name +
			`","awsRegion":"us-east-2","recipientAccountId":"111122223333","requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab"}}`
	}
	// A copy of a trail's bucket: log files, a digest file, and a README.
	bucket := fstest.MapFS{
		"README.md": {Data: []byte("Copied on 2025-08-02.\n")},
		"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz": {
			Data: gz(`{"Records":[` + record("Decrypt", "2015-08-01T02:04:11Z") + `,` + record("DisableKey", "2015-08-01T02:06:40Z") + `]}`)},
		"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/02/111122223333_CloudTrail_us-east-2_20150802T1105Z_Pq7RsTuV8wXy9Za0.json.gz": {
			Data: gz(`{"Records":[` + record("EnableKey", "2015-08-02T11:01:09Z") + `]}`)},
		"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/01/111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20150801T030000Z.json.gz": {
			Data: gz(`{"awsAccountId":"111122223333","logFiles":[]}`)},
	}
	for o, err := range (&kmstrail.Tree{FS: bucket}).Files() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(o.Kind, o.Region, o.Time.Format(time.RFC3339))
	}
	// The records of 2015-08-02 only: the first day's folder is not read.
	tree := &kmstrail.Tree{FS: bucket, Start: time.Date(2015, 8, 2, 0, 0, 0, 0, time.UTC)}
	for ev, err := range tree.Events() {
		if err != nil {
			log.Print(err) // a failed record, or a file that could not be read
			continue
		}
		fmt.Println(ev.EventName, ev.Source.Record)
	}
	// Output:
	// log us-east-2 2015-08-01T02:10:00Z
	// log us-east-2 2015-08-02T11:05:00Z
	// digest us-east-2 2015-08-01T03:00:00Z
	// EnableKey 0
}

func ExampleTimeOf() {
	validTo := kmstrail.TimeOf(time.Date(2026, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)))
	b, err := json.Marshal(validTo)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b), validTo.Valid())
	// Output:
	// "2026-01-01T00:00:00Z" true
}
