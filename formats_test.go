package kmstrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kmstrail/kmstrail/internal/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// equivalenceRecords are the records every envelope is checked with: KMS
// events of several kinds (with a normalization among them) and other
// services, compact.
func equivalenceRecords(t *testing.T) [][]byte {
	var recs [][]byte
	for _, name := range []string{
		"kms/ImportKeyMaterial-2025", "kms/ScheduleKeyDeletion-24h-pm", "kms/CreateKey-cloudhsm", "kms/Decrypt-attested",
		"kms/RotateKey-on-demand", "kms/ReEncrypt-2025", "services/GetObject", "services/ConsoleLogin", "services/AssumeRole",
	} {
		data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
		require.NoError(t, err)
		recs = append(recs, compactJSON(t, data))
	}
	return recs
}

// envelopes returns the records in every form the Reader accepts: each
// case is one or more inputs and the format the records should report.
func envelopes(recs [][]byte) []struct {
	name   string
	inputs [][]byte
	format Format
} {
	eb := synth.EventBridge(recs)
	half := len(recs) / 2
	return []struct {
		name   string
		inputs [][]byte
		format Format
	}{
		{"log file", [][]byte{synth.Records(recs)}, FormatLogFile},
		{"log file, gzip", [][]byte{synth.Gzip(synth.Records(recs))}, FormatLogFile},
		{"log file, Records member last", [][]byte{synth.RecordsLast(recs)}, FormatLogFile},
		{"array", [][]byte{synth.Array(recs)}, FormatArray},
		{"json lines", [][]byte{synth.JSONLines(recs)}, FormatJSONLines},
		{"json lines, gzip", [][]byte{synth.Gzip(synth.JSONLines(recs))}, FormatJSONLines},
		{"bare records", recs, FormatRecord},
		{"eventbridge, one per object", eb, FormatEventBridge},
		{"eventbridge, one per line", [][]byte{synth.JSONLines(eb)}, FormatEventBridge},
		{"cloudwatch logs", [][]byte{synth.CloudWatchLogs(recs)}, FormatCloudWatchLogs},
		{"cloudwatch logs, gzip", [][]byte{synth.Gzip(synth.CloudWatchLogs(recs))}, FormatCloudWatchLogs},
		{"cloudwatch logs, lambda", [][]byte{synth.Lambda(recs)}, FormatCloudWatchLogs},
		{"cloudwatch logs, firehose concatenation", [][]byte{
			append(synth.CloudWatchLogs(recs[:half]), synth.CloudWatchLogs(recs[half:])...)}, FormatCloudWatchLogs},
		{"lookup-events output", [][]byte{synth.LookupEventsOutput(recs)}, FormatLookupEvents},
		{"lookup-events output, Events not first", [][]byte{bytes.Replace(synth.LookupEventsOutput(recs),
			[]byte(`{`), []byte(`{"ResponseMetadata":{},`), 1)}, FormatLookupEvents},
		{"lookup-events events, one per line", [][]byte{synth.LookupEventLines(recs)}, FormatLookupEvents},
		{"lake results", [][]byte{synth.LakeResults(recs)}, FormatLake},
	}
}

// TestEnvelopesEquivalent is the source equivalence guarantee: the same
// records give identical Events (their bytes and position aside) whatever
// envelope delivers them.
func TestEnvelopesEquivalent(t *testing.T) {
	recs := equivalenceRecords(t)
	var want []*Event
	for _, c := range envelopes(recs) {
		t.Run(c.name, func(t *testing.T) {
			var got []*Event
			for _, in := range c.inputs {
				evs, errs := readAll(t, NewReader(bytes.NewReader(in)))
				require.Empty(t, errs)
				got = append(got, evs...)
			}
			require.Len(t, got, len(recs))
			if want == nil {
				want = got
			}
			for i, ev := range got {
				assert.Equal(t, c.format, ev.Source.Format)
				if len(c.inputs) == 1 {
					assert.Equal(t, i, ev.Source.Record)
				}
				assertSameEvent(t, want[i], ev)
			}
		})
	}
}

// assertSameEvent checks that two Events decoded from the same record in
// different envelopes are the same: the record, its KMS view and its
// diagnostics (positions aside).
func assertSameEvent(t *testing.T, want, got *Event) {
	t.Helper()
	wj, err := json.Marshal(want)
	require.NoError(t, err)
	gj, err := json.Marshal(got)
	require.NoError(t, err)
	assert.Equal(t, string(wj), string(gj))
	wk, _ := json.Marshal(want.KMS)
	gk, _ := json.Marshal(got.KMS)
	assert.Equal(t, string(wk), string(gk))
	strip := func(ds []Diagnostic) []Diagnostic {
		var out []Diagnostic
		for _, d := range ds {
			out = append(out, Diagnostic{Kind: d.Kind, Pointer: d.Pointer, Message: d.Message})
		}
		return out
	}
	assert.Equal(t, strip(want.Diagnostics), strip(got.Diagnostics))
	assert.JSONEq(t, string(want.Raw), string(got.Raw))
}

// TestEnvelopeFaults checks the documented outcome of damaged inputs and
// inputs that hold no records: a positioned error, after the records before
// the fault.
func TestEnvelopeFaults(t *testing.T) {
	recs := equivalenceRecords(t)
	gz := synth.Gzip(synth.Records(recs))
	tests := []struct {
		name      string
		in        []byte
		decodedGE int   // at least this many records come first
		sentinel  error // the last error
		message   string
	}{
		{"truncated gzip", gz[:len(gz)*2/3], 1, ErrTruncated, "compressed input ends early"},
		{"gzip with a second member", append(slices.Clone(gz), gz...), len(recs), ErrTrailingData, "data after the gzip member"},
		{"gzip with appended garbage", append(slices.Clone(gz), "garbage"...), len(recs), ErrTrailingData, "data after the gzip member"},
		{"damaged gzip", append(slices.Clone(gz[:len(gz)-8]), 1, 2, 3, 4, 5, 6, 7, 8), len(recs), ErrSyntax, "damaged gzip"},
		{"digest file", []byte(`{"awsAccountId":"111122223333","digestStartTime":"2025-05-21T04:20:05Z","digestEndTime":"2025-05-21T05:20:05Z",
			"digestS3Bucket":"trail","digestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-west-2/2025/05/21/x.json.gz",
			"digestPublicKeyFingerprint":"0f1e","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":null,"oldestEventTime":null,
			"previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,
			"previousDigestSignature":null,"logFiles":[]}`), 0, ErrNoRecords, "digest file"},
		{"sns notification", []byte(`{"Type":"Notification","MessageId":"7f0c","TopicArn":"arn:aws:sns:us-west-2:111122223333:trail",
			"Message":"{\"s3Bucket\":\"trail\",\"s3ObjectKey\":[\"AWSLogs/111122223333/CloudTrail/us-west-2/2025/05/21/x.json.gz\"]}",
			"Timestamp":"2025-05-21T05:46:02.481Z","SignatureVersion":"1","Signature":"c2ln"}`), 0, ErrNoRecords, "log delivery notification"},
		{"sns validation message", []byte(`{"Type":"Notification","MessageId":"7f0d","TopicArn":"arn:aws:sns:us-west-2:111122223333:trail",
			"Message":"CloudTrail validation message.","Timestamp":"2025-05-21T05:46:02.481Z"}`), 0, ErrNoRecords, "validation message"},
		{"raw validation message", []byte("CloudTrail validation message."), 0, ErrNoRecords, "validation message"},
		{"s3 event notification", []byte(`{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-west-2",
			"eventTime":"2025-05-21T05:45:58.114Z","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"trail"},"object":{"key":"x.json.gz"}}}]}`),
			0, ErrNoRecords, "aws:s3 event notification"},
		{"cloudwatch control message", []byte(`{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"",
			"subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1747806000000,"message":"CWL CONTROL MESSAGE: Checking health of destination."}]}`),
			0, ErrNoRecords, "control message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(tt.in))
			r.Path = "input"
			evs, errs := readAll(t, r)
			assert.GreaterOrEqual(t, len(evs), tt.decodedGE)
			require.NotEmpty(t, errs)
			last := errs[len(errs)-1]
			assert.ErrorIs(t, last, tt.sentinel)
			assert.Contains(t, last.Error(), tt.message)
			var e *Error
			require.True(t, errors.As(last, &e))
			assert.Equal(t, "input", e.Path)
			assert.True(t, e.Line > 0 || e.Offset > 0 || tt.sentinel == ErrNoRecords, "error %v has no position", last)
			_, err := r.Next()
			assert.True(t, err == io.EOF || err == last, "after the fault: %v", err)
		})
	}
}

// TestRecordsAnyOrder: a log file's members may come in any order.
func TestRecordsAnyOrder(t *testing.T) {
	in := `{"trailer":{"x":[1,2]},"Records":[{"eventVersion":"1.08","eventName":"A"}],"more":true}`
	evs, errs := readAll(t, NewReader(strings.NewReader(in)))
	require.Empty(t, errs)
	require.Len(t, evs, 1)
	assert.Equal(t, FormatLogFile, evs[0].Source.Format)
}

// TestClassifyingNames: every member name dispatch and looksLikeItem test
// is one that node.names collects.
func TestClassifyingNames(t *testing.T) {
	src, err := os.ReadFile("forms.go")
	require.NoError(t, err)
	tested := regexp.MustCompile(`names\["([^"]+)"\]`).FindAllStringSubmatch(string(src), -1)
	require.NotEmpty(t, tested)
	for _, m := range tested {
		assert.True(t, classifying[m[1]], "%q is tested but not collected", m[1])
	}
}

// TestLeastNames: the names an error lists for an object that is not a
// record are its least six, once each, whatever its size.
func TestLeastNames(t *testing.T) {
	for _, tt := range []struct{ obj, want string }{
		{`{}`, ""},
		{`{"b":1,"a":2}`, "a, b"},
		{`{"h":1,"g":1,"f":1,"e":1,"d":1,"c":1,"b":1,"a":1}`, "a, b, c, d, e, f, ..."},
		{`{"f":1,"e":1,"d":1,"c":1,"b":1,"a":1}`, "a, b, c, d, e, f"},
		{`{"a":1,"a":1,"b":1}`, "a, b"},
		{`{"z":1,"y":1,"x":1,"w":1,"v":1,"u":1,"a":1}`, "a, u, v, w, x, y, ..."},
	} {
		assert.Equal(t, tt.want, strings.Join(newNode([]byte(tt.obj)).leastNames(6), ", "), tt.obj)
	}
}

// TestNotRecordMessages: a value that is not a record says what it is.
func TestNotRecordMessages(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{}`, "an empty object is not a CloudTrail record"},
		{`{"hello":"world","b":1}`, "an object with members b, hello is not a CloudTrail record"},
		{`42`, "a JSON number is not a CloudTrail record"},
		{`"text"`, "a JSON string that holds no JSON object is not a CloudTrail record"},
		{`"\"text\""`, "a JSON string that holds no JSON object is not a CloudTrail record"},
	} {
		_, err := Parse([]byte(tt.in))
		assert.ErrorIs(t, err, ErrNotRecord, tt.in)
		assert.ErrorContains(t, err, ": "+tt.want, tt.in)
	}
}

// TestEnvelopeDiagnosticsByRecord: in an envelope read whole, each record
// gets the diagnostics found inside it, and no other's: record 3 once took
// those of record 30, under a pointer cut short ("0/x").
func TestEnvelopeDiagnosticsByRecord(t *testing.T) {
	recs := make([][]byte, 32)
	for i := range recs {
		recs[i] = fmt.Appendf(nil, `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","eventName":"E%d"}`, i)
	}
	recs[30] = []byte(`{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","eventName":"E30","x":"a` + "\xff" + `","y":1,"y":1}`)
	r := NewReader(bytes.NewReader(synth.RecordsLast(recs)))
	r.Repair = true
	evs, errs := readAll(t, r)
	require.Empty(t, errs)
	require.Len(t, evs, len(recs))
	for i, ev := range evs {
		if i != 30 {
			assert.Empty(t, ev.Diagnostics, "record %d", i)
			continue
		}
		var got []string
		for _, d := range ev.Diagnostics {
			got = append(got, d.Kind.String()+" "+d.Pointer)
		}
		assert.ElementsMatch(t, []string{"repaired /x", "duplicate /y"}, got)
	}
}

// TestRepairInsideString: a repair made in a string that holds a record (an
// invalid byte in a CloudWatch Logs message, say) is a diagnostic of that
// record, positioned at the byte; it was made unreported.
func TestRepairInsideString(t *testing.T) {
	bad := []byte(`{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","eventName":"B` + "\xff" + `"}`)
	good := []byte(`{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","eventName":"A"}`)
	recs := [][]byte{good, bad, good}
	// encoding/json, which synth uses, writes the byte as \ufffd.
	raw := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(`\ufffd`), []byte("\xff")) }
	lookup := raw(synth.LookupEventsOutput(recs))
	for _, tt := range []struct {
		name string
		in   []byte
	}{
		{"CloudWatch Logs", raw(synth.CloudWatchLogs(recs))},
		{"LookupEvents output, streamed", lookup},
		{"LookupEvents output, read whole", bytes.Replace(lookup, []byte(`{`), []byte(`{"ResponseMetadata":{},`), 1)},
		{"string", slices.Concat([]byte(`"`), bytes.ReplaceAll(bad, []byte(`"`), []byte(`\"`)), []byte(`"`))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(tt.in))
			r.Repair = true
			evs, errs := readAll(t, r)
			require.Empty(t, errs)
			at := int64(bytes.IndexByte(tt.in, 0xff))
			require.Positive(t, at)
			for _, ev := range evs {
				if !strings.HasPrefix(ev.EventName, "B") {
					assert.Empty(t, ev.Diagnostics, "record %d", ev.Source.Record)
					continue
				}
				assert.Equal(t, "B\uFFFD", ev.EventName)
				require.Len(t, ev.Diagnostics, 1)
				d := ev.Diagnostics[0]
				assert.Equal(t, Repaired, d.Kind)
				assert.Equal(t, at, d.Offset, "%v", d)
				assert.Contains(t, d.Message, "invalid UTF-8 byte 0xff")
			}
		})
	}
}

// TestStreamedOutputs: LookupEvents output and CloudTrail Lake results as
// the AWS CLI writes them (every page of a query in one document, Lake's
// rows after QueryStatus and QueryStatistics) are streamed like a log file:
// they may be larger than MaxRecordBytes, and a damaged event or row fails
// alone.
func TestStreamedOutputs(t *testing.T) {
	recs := equivalenceRecords(t)
	want, errs := readAll(t, NewReader(bytes.NewReader(synth.Records(recs))))
	require.Empty(t, errs)
	for _, tt := range []struct {
		name   string
		out    []byte
		format Format
		first  string // the name of an element's first member
	}{
		{"lookup-events", synth.LookupEventsOutput(recs), FormatLookupEvents, `"EventId"`},
		{"lake", synth.LakeResults(recs), FormatLake, `"eventName"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(tt.out))
			r.MaxRecordBytes = len(tt.out) / 3
			evs, errs := readAll(t, r)
			require.Empty(t, errs, "an output larger than MaxRecordBytes")
			require.Len(t, evs, len(want))
			for i := range evs {
				assert.Equal(t, want[i].EventID, evs[i].EventID)
				assert.Equal(t, tt.format, evs[i].Source.Format)
				assert.Equal(t, i, evs[i].Source.Record)
			}

			// The second element loses the colon after its first name.
			second := bytes.Index(tt.out, []byte(tt.first))
			second += bytes.Index(tt.out[second+1:], []byte(tt.first)) + 1 + len(tt.first)
			damaged := slices.Concat(tt.out[:second], tt.out[second+1:])
			evs, errs = readAll(t, NewReader(bytes.NewReader(damaged)))
			require.Len(t, errs, 1, "%v", errs)
			assert.ErrorIs(t, errs[0], ErrSyntax)
			var e *Error
			require.True(t, errors.As(errs[0], &e))
			assert.Equal(t, 1, e.Record)
			require.Len(t, evs, len(want)-1, "the elements after it are read")
			assert.Equal(t, want[2].EventID, evs[1].EventID)
			assert.Equal(t, 2, evs[1].Source.Record)
		})
	}

	// Lake results without rows are what they are.
	_, errs = readAll(t, NewReader(strings.NewReader(`{"QueryStatus":"FAILED","ErrorMessage":"no such table"}`)))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrNotRecord)
	assert.ErrorContains(t, errs[0], "an object with members ErrorMessage, QueryStatus is not a CloudTrail record")
}

// TestLooksLikeItem: the resync's test of a candidate takes any valid JSON
// without panicking (an array once reached a decoder's object walk).
func TestLooksLikeItem(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{`{"eventVersion":"1.08","eventName":"A"}`, true},
		{`{"Events":[]}`, true},
		{`{"CloudTrailEvent":"{}"}`, true},
		{`{"detail-type":"x","detail":{}}`, true},
		{`{"a":1}`, false},
		{`[{"eventVersion":"1.08","eventName":"A"}]`, false},
		{`[]`, false},
		{`"x"`, false},
		{`1`, false},
	} {
		assert.Equal(t, tt.want, looksLikeItem([]byte(tt.in)), tt.in)
	}
}
