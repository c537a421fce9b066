package synth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// The functions below wrap records (compact JSON) in each envelope
// CloudTrail delivers them in, for tests that check that every envelope
// yields the same records.

// Records returns a {"Records":[...]} log file.
func Records(recs [][]byte) []byte {
	return append(append([]byte(`{"Records":[`), bytes.Join(recs, []byte(","))...), "]}\n"...)
}

// RecordsLast returns a log file whose Records member is not first.
func RecordsLast(recs [][]byte) []byte {
	return append(append([]byte(`{"note":"Records last","Records":[`), bytes.Join(recs, []byte(","))...), "]}\n"...)
}

// Array returns a JSON array of records, pretty-printed.
func Array(recs [][]byte) []byte {
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, r := range recs {
		if i > 0 {
			b.WriteString(",\n")
		}
		_ = json.Indent(&b, r, "  ", "  ")
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}

// JSONLines returns one record per line.
func JSONLines(recs [][]byte) []byte {
	return append(bytes.Join(recs, []byte("\n")), '\n')
}

// detailTypes maps eventType to EventBridge's detail-type for CloudTrail.
var detailTypes = map[string]string{
	"AwsApiCall":       "AWS API Call via CloudTrail",
	"AwsServiceEvent":  "AWS Service Event via CloudTrail",
	"AwsConsoleAction": "AWS Console Action via CloudTrail",
	"AwsConsoleSignIn": "AWS Console Sign In via CloudTrail",
}

// EventBridge returns each record as an EventBridge event, compact.
func EventBridge(recs [][]byte) [][]byte {
	var out [][]byte
	for i, r := range recs {
		var head struct {
			EventType, EventSource, EventTime, AWSRegion, RecipientAccountID string
		}
		var m map[string]any
		_ = json.Unmarshal(r, &m)
		head.EventType, _ = m["eventType"].(string)
		head.EventSource, _ = m["eventSource"].(string)
		head.EventTime, _ = m["eventTime"].(string)
		head.AWSRegion, _ = m["awsRegion"].(string)
		head.RecipientAccountID, _ = m["recipientAccountId"].(string)
		dt := detailTypes[head.EventType]
		if dt == "" {
			dt = detailTypes["AwsApiCall"]
		}
		source := "aws." + strings.TrimSuffix(head.EventSource, ".amazonaws.com")
		out = append(out, fmt.Appendf(nil,
			`{"version":"0","id":"%08x-0000-4000-8000-%012x","detail-type":%q,"source":%q,"account":%q,"time":%q,"region":%q,"resources":[],"detail":%s}`,
			i, i, dt, source, head.RecipientAccountID, head.EventTime, head.AWSRegion, r))
	}
	return out
}

// CloudWatchLogs returns a decoded subscription payload holding the records
// as log events.
func CloudWatchLogs(recs [][]byte) []byte {
	var b bytes.Buffer
	b.WriteString(`{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"aws-cloudtrail-logs-111122223333",` +
		`"logStream":"111122223333_CloudTrail_us-west-2","subscriptionFilters":["kmstrail"],"logEvents":[`)
	for i, r := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		msg, _ := json.Marshal(string(r))
		fmt.Fprintf(&b, `{"id":"%056d","timestamp":%d,"message":%s}`, i, 1747806000000+int64(i), msg)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// Lambda returns a subscription payload as Lambda receives it:
// {"awslogs":{"data":"<base64 of gzip>"}}.
func Lambda(recs [][]byte) []byte {
	data := base64.StdEncoding.EncodeToString(Gzip(CloudWatchLogs(recs)))
	return []byte(`{"awslogs":{"data":"` + data + `"}}`)
}

// LookupEventsOutput returns `aws cloudtrail lookup-events` output.
func LookupEventsOutput(recs [][]byte) []byte {
	type event struct {
		EventID         string `json:"EventId"`
		EventName       string `json:"EventName"`
		ReadOnly        string `json:"ReadOnly"`
		EventTime       string `json:"EventTime"`
		EventSource     string `json:"EventSource"`
		CloudTrailEvent string `json:"CloudTrailEvent"`
	}
	var out struct {
		Events    []event `json:"Events"`
		NextToken string  `json:"NextToken"`
	}
	for _, r := range recs {
		var m map[string]any
		_ = json.Unmarshal(r, &m)
		e := event{CloudTrailEvent: string(r)}
		e.EventID, _ = m["eventID"].(string)
		e.EventName, _ = m["eventName"].(string)
		e.EventTime, _ = m["eventTime"].(string)
		e.EventSource, _ = m["eventSource"].(string)
		e.ReadOnly = fmt.Sprint(m["readOnly"])
		out.Events = append(out.Events, e)
	}
	out.NextToken = "opaque-token"
	b, _ := json.MarshalIndent(out, "", "    ")
	return b
}

// LakeResults returns aws cloudtrail get-query-results output whose rows
// hold the records in an eventJson column, beside others.
func LakeResults(recs [][]byte) []byte {
	type cell map[string]string
	var out struct {
		QueryStatus     string
		QueryStatistics map[string]int
		QueryResultRows [][]cell
	}
	out.QueryStatus = "FINISHED"
	out.QueryStatistics = map[string]int{"ResultsCount": len(recs), "TotalResultsCount": len(recs), "BytesScanned": 12345}
	for _, rec := range recs {
		var m map[string]any
		_ = json.Unmarshal(rec, &m)
		name, _ := m["eventName"].(string)
		out.QueryResultRows = append(out.QueryResultRows, []cell{{"eventName": name}, {"eventJson": string(rec)}})
	}
	b, _ := json.MarshalIndent(out, "", "    ")
	return b
}

// LookupEventLines returns the events of LookupEvents output one per line,
// as jq -c '.Events[]' writes them.
func LookupEventLines(recs [][]byte) []byte {
	var out struct{ Events []json.RawMessage }
	_ = json.Unmarshal(LookupEventsOutput(recs), &out)
	var b bytes.Buffer
	for _, e := range out.Events {
		_ = json.Compact(&b, e)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
