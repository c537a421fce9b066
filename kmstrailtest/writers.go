package kmstrailtest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail"
	"github.com/stretchr/testify/require"
)

// The writers below deliver events in the forms CloudTrail delivers
// records in, for tests of code that reads those forms (with
// kmstrail.NewReader or otherwise). Each writes an event's record as ev.Raw
// holds it, compacted; an event with no Raw (a struct literal) as it
// marshals.

// record returns the compact record of an event.
func record(ev *kmstrail.Event) []byte {
	if len(ev.Raw) == 0 {
		return mustMarshal(ev)
	}
	raw := jsontext.Value(bytes.Clone(ev.Raw))
	if err := raw.Compact(); err != nil {
		panic(fmt.Sprintf("kmstrailtest: event %s holds a Raw record that is not JSON: %v", ev.EventID, err))
	}
	return raw
}

// Records returns the events as the log file CloudTrail writes to S3, on one
// line: {"Records":[...]}.
func Records(events ...*kmstrail.Event) []byte {
	b := []byte(`{"Records":[`)
	for i, ev := range events {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, record(ev)...)
	}
	return append(b, "]}"...)
}

// JSONLines returns the events' records one per line.
func JSONLines(events ...*kmstrail.Event) []byte {
	var b []byte
	for _, ev := range events {
		b = append(b, record(ev)...)
		b = append(b, '\n')
	}
	return b
}

// LogFile writes the events to a gzip log file under dir, at the key
// CloudTrail would deliver it to S3:
//
//	AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<unique>.json.gz
//
// and returns its path. The account and Region are the events'
// (recipientAccountId and awsRegion, which must be the same for all: a log
// file holds one account's records of one Region); the time is the
// delivery's, five minutes after the minute of the newest record; the
// 16-character unique string is derived from the content, so that the same
// events make the same file. Errors fail the test.
func LogFile(t testing.TB, dir string, events ...*kmstrail.Event) string {
	t.Helper()
	return writeLogFile(t, dir, true, events)
}

// PlainLogFile writes the events as LogFile does, uncompressed, at the same
// key without its ".gz", as a synced copy of a bucket may hold them.
func PlainLogFile(t testing.TB, dir string, events ...*kmstrail.Event) string {
	t.Helper()
	return writeLogFile(t, dir, false, events)
}

func writeLogFile(t testing.TB, dir string, compress bool, events []*kmstrail.Event) string {
	t.Helper()
	account, region := DefaultAccount, DefaultRegion
	newest := defaultTime
	for i, ev := range events {
		if i == 0 {
			account, region, newest = ev.RecipientAccountID, ev.AWSRegion, ev.EventTime
		}
		if ev.RecipientAccountID != account || ev.AWSRegion != region {
			t.Fatalf("kmstrailtest.LogFile: event %d is of account %s in %s, event 0 of %s in %s: a log file holds one account's records of one Region",
				i, ev.RecipientAccountID, ev.AWSRegion, account, region)
		}
		if ev.EventTime.After(newest) {
			newest = ev.EventTime
		}
	}
	data := Records(events...)
	delivered := newest.UTC().Truncate(time.Minute).Add(5 * time.Minute)
	name := account + "_CloudTrail_" + region + "_" + delivered.Format("20060102T1504Z") + "_" + uniqueOf(data) + ".json"
	if compress {
		data = gzipped(data)
		name += ".gz"
	}
	key := strings.Join([]string{"AWSLogs", account, "CloudTrail", region, delivered.Format("2006/01/02"), name}, "/")
	path := filepath.Join(dir, filepath.FromSlash(key))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755), "kmstrailtest.LogFile")
	require.NoError(t, os.WriteFile(path, data, 0o644), "kmstrailtest.LogFile")
	return path
}

// uniqueOf derives a log file's 16-character unique string from its
// content, in the letters and digits CloudTrail uses.
func uniqueOf(data []byte) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	sum := sha256.Sum256(data)
	u := make([]byte, 16)
	for i := range u {
		u[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(u)
}

// gzipped compresses data as CloudTrail does: one gzip member.
func gzipped(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write(data) // writes to a bytes.Buffer do not fail
	_ = w.Close()
	return b.Bytes()
}

// eventBridgeTypes maps eventType to the detail-type of the EventBridge
// events CloudTrail sends.
var eventBridgeTypes = map[string]string{
	"AwsApiCall":           "AWS API Call via CloudTrail",
	"AwsServiceEvent":      "AWS Service Event via CloudTrail",
	"AwsConsoleAction":     "AWS Console Action via CloudTrail",
	"AwsConsoleSignIn":     "AWS Console Signin via CloudTrail",
	"AwsCloudTrailInsight": "AWS Insight via CloudTrail",
}

// eventBridgeEvent is the envelope of an event CloudTrail sends to
// EventBridge.
type eventBridgeEvent struct {
	Version    string         `json:"version"`
	ID         string         `json:"id"`
	DetailType string         `json:"detail-type"`
	Source     string         `json:"source"`
	Account    string         `json:"account"`
	Time       string         `json:"time"`
	Region     string         `json:"region"`
	Resources  []string       `json:"resources"`
	Detail     jsontext.Value `json:"detail"`
}

// EventBridge returns the events as CloudTrail sends them to EventBridge,
// one per line: detail-type "AWS API Call via CloudTrail" (or the service
// event's, console action's, ... type), source "aws.<service>", and the
// record in detail. The EventBridge IDs are derived from the eventIDs.
func EventBridge(events ...*kmstrail.Event) []byte {
	var b []byte
	for _, ev := range events {
		detailType, ok := eventBridgeTypes[ev.EventType]
		if !ok {
			detailType = eventBridgeTypes["AwsApiCall"]
		}
		sum := sha256.Sum256([]byte("eventbridge\x00" + ev.EventID))
		b = append(b, mustMarshal(eventBridgeEvent{
			Version:    "0",
			ID:         uuidOf(sum[:16]),
			DetailType: detailType,
			Source:     "aws." + strings.TrimSuffix(ev.EventSource, ".amazonaws.com"),
			Account:    ev.RecipientAccountID,
			Time:       ev.EventTime.UTC().Format(time.RFC3339),
			Region:     ev.AWSRegion,
			Resources:  []string{},
			Detail:     record(ev),
		})...)
		b = append(b, '\n')
	}
	return b
}

// cloudWatchLogs is a CloudWatch Logs subscription payload, decoded.
type cloudWatchLogs struct {
	MessageType         string     `json:"messageType"`
	Owner               string     `json:"owner"`
	LogGroup            string     `json:"logGroup"`
	LogStream           string     `json:"logStream"`
	SubscriptionFilters []string   `json:"subscriptionFilters"`
	LogEvents           []logEvent `json:"logEvents"`
}

type logEvent struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

// CloudWatchLogs returns the events as a CloudWatch Logs subscription
// delivers a trail's log group, decoded: each record is the message of a
// log event. The owner and log stream ("<account>_CloudTrail_<region>")
// are the first event's; the log group is CloudTrail's default,
// "aws-cloudtrail-logs-<account>".
func CloudWatchLogs(events ...*kmstrail.Event) []byte {
	p := cloudWatchLogs{
		MessageType:         "DATA_MESSAGE",
		Owner:               DefaultAccount,
		SubscriptionFilters: []string{"kmstrailtest"},
		LogEvents:           []logEvent{},
	}
	region := DefaultRegion
	if len(events) > 0 {
		p.Owner, region = events[0].RecipientAccountID, events[0].AWSRegion
	}
	p.LogGroup = "aws-cloudtrail-logs-" + p.Owner
	p.LogStream = p.Owner + "_CloudTrail_" + region
	for i, ev := range events {
		ms := ev.EventTime.UnixMilli()
		p.LogEvents = append(p.LogEvents, logEvent{
			// CloudWatch Logs event IDs are 56 decimal digits.
			ID:        fmt.Sprintf("%017d%039d", ms, i),
			Timestamp: ms,
			Message:   string(record(ev)),
		})
	}
	return mustMarshal(p)
}

// CloudWatchLogsLambda returns CloudWatchLogs's payload as a Lambda
// function subscribed to the log group receives it:
// {"awslogs":{"data":"<base64 of the gzip-compressed payload>"}}.
func CloudWatchLogsLambda(events ...*kmstrail.Event) []byte {
	data := base64.StdEncoding.EncodeToString(gzipped(CloudWatchLogs(events...)))
	return mustMarshal(map[string]map[string]string{"awslogs": {"data": data}})
}
