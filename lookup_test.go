package kmstrail

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeCloudTrail is a local endpoint that speaks the CloudTrail JSON
// protocol (awsJson1_1) for LookupEvents: it serves the records it holds in
// pages, and throttles the first request it is asked to.
type fakeCloudTrail struct {
	t        *testing.T
	records  []string // CloudTrailEvent strings
	pageSize int
	throttle int  // requests to answer with ThrottlingException first
	stuck    bool // answer a request with a NextToken with the same one

	mu       sync.Mutex
	requests []map[string]any
}

func (f *fakeCloudTrail) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	if r.Method != http.MethodPost || !strings.HasSuffix(target, "CloudTrail_20131101.LookupEvents") {
		http.Error(w, "unexpected request "+r.Method+" "+target, http.StatusBadRequest)
		return
	}
	var in map[string]any
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, in)
	throttled := f.throttle > 0
	if throttled {
		f.throttle--
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if throttled {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"ThrottlingException","message":"Rate exceeded"}`)
		return
	}
	start := 0
	if tok, ok := in["NextToken"].(string); ok {
		start = int(tok[0] - '0')
	}
	end := min(start+f.pageSize, len(f.records))
	var out struct {
		Events    []map[string]any `json:"Events"`
		NextToken string           `json:"NextToken,omitempty"`
	}
	for _, rec := range f.records[start:end] {
		var head struct{ EventID, EventName, EventSource, EventTime string }
		var m map[string]any
		require.NoError(f.t, json.Unmarshal([]byte(rec), &m))
		head.EventID, _ = m["eventID"].(string)
		head.EventName, _ = m["eventName"].(string)
		head.EventSource, _ = m["eventSource"].(string)
		et, _ := time.Parse(time.RFC3339, m["eventTime"].(string))
		out.Events = append(out.Events, map[string]any{
			"EventId": head.EventID, "EventName": head.EventName, "EventSource": head.EventSource,
			"EventTime": float64(et.Unix()), "ReadOnly": "false", "CloudTrailEvent": rec,
		})
	}
	if end < len(f.records) {
		out.NextToken = string(rune('0' + end))
	}
	if tok, ok := in["NextToken"].(string); ok && f.stuck {
		out.NextToken = tok
	}
	json.NewEncoder(w).Encode(out)
}

// fakeAttempts is how many times the fake client tries each request.
const fakeAttempts = 5

// newFakeClient returns the real SDK client pointed at a fake endpoint, with
// retries that do not wait.
func newFakeClient(t *testing.T, f *fakeCloudTrail) *cloudtrail.Client {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return cloudtrail.New(cloudtrail.Options{
		Region:       "us-west-2",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  aws.AnonymousCredentials{},
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = fakeAttempts
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
}

func fixtureRecords(t *testing.T, names ...string) []string {
	var out []string
	for _, n := range names {
		data, err := os.ReadFile("testdata/kms/" + n + ".json")
		require.NoError(t, err)
		out = append(out, string(compactJSON(t, data)))
	}
	return out
}

func TestLookupEvents(t *testing.T) {
	f := &fakeCloudTrail{t: t, pageSize: 2, throttle: 1,
		records: fixtureRecords(t, "Decrypt-basic", "CreateKey-basic", "ScheduleKeyDeletion-basic", "ImportKeyMaterial-2025", "RotateKey-automatic")}
	client := newFakeClient(t, f)
	params := &cloudtrail.LookupEventsInput{
		LookupAttributes: []types.LookupAttribute{{AttributeKey: types.LookupAttributeKeyEventSource, AttributeValue: aws.String(KMSEventSource)}},
		StartTime:        aws.Time(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
	var names []string
	for ev, err := range LookupEvents(context.Background(), client, params) {
		require.NoError(t, err)
		require.NotNil(t, ev.KMS)
		assert.Equal(t, FormatLookupEvents, ev.Source.Format)
		assert.Equal(t, len(names), ev.Source.Record)
		assert.Empty(t, ev.Diagnostics)
		names = append(names, ev.EventName)
	}
	assert.Equal(t, []string{"Decrypt", "CreateKey", "ScheduleKeyDeletion", "ImportKeyMaterial", "RotateKey"}, names)
	// One throttled request, retried by the SDK, then three pages. The SDK
	// may retry a request once more after the retry's connection is closed
	// under it (aws/aws-sdk-go-v2#2737, seen here a few times in 1,000
	// runs under -race); such a repeat is the same request again, so repeats are
	// counted apart from the pages.
	require.GreaterOrEqual(t, len(f.requests), 4)
	assert.Equal(t, f.requests[0], f.requests[1], "the retry repeats the request")
	pages := slices.CompactFunc(slices.Clone(f.requests), func(a, b map[string]any) bool { return reflect.DeepEqual(a, b) })
	require.Len(t, pages, 3, "pages requested: %v", f.requests)
	assert.Nil(t, pages[0]["NextToken"])
	assert.Equal(t, "2", pages[1]["NextToken"])
	assert.Equal(t, "4", pages[2]["NextToken"])
	assert.LessOrEqual(t, len(f.requests), len(pages)*fakeAttempts, "no request beyond the retryer's attempts")
	assert.Equal(t, "EventSource", f.requests[0]["LookupAttributes"].([]any)[0].(map[string]any)["AttributeKey"])
}

func TestLookupEventsErrors(t *testing.T) {
	// Throttled more often than the SDK retries: the error ends the query.
	f := &fakeCloudTrail{t: t, pageSize: 2, throttle: 10, records: fixtureRecords(t, "Decrypt-basic")}
	var errs []error
	for _, err := range LookupEvents(context.Background(), newFakeClient(t, f), nil) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "ThrottlingException")
	assert.Len(t, f.requests, fakeAttempts)

	// A cancelled context stops it too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f = &fakeCloudTrail{t: t, pageSize: 2, records: fixtureRecords(t, "Decrypt-basic")}
	for _, err := range LookupEvents(ctx, newFakeClient(t, f), nil) {
		assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	}
}

// TestLookupEventsStuck: an endpoint that answers with the NextToken it was
// sent would be asked for the same page for ever; the query ends with an
// error after that page instead.
func TestLookupEventsStuck(t *testing.T) {
	f := &fakeCloudTrail{t: t, pageSize: 2, stuck: true,
		records: fixtureRecords(t, "Decrypt-basic", "CreateKey-basic", "ScheduleKeyDeletion-basic", "ImportKeyMaterial-2025", "RotateKey-automatic")}
	var names []string
	var errs []error
	for ev, err := range LookupEvents(context.Background(), newFakeClient(t, f), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		names = append(names, ev.EventName)
		require.Less(t, len(names), 20, "the same page, again and again")
	}
	assert.Equal(t, []string{"Decrypt", "CreateKey", "ScheduleKeyDeletion", "ImportKeyMaterial"}, names)
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], `LookupEvents returned the NextToken it was sent, "2"`)
}

func TestLookupEvent(t *testing.T) {
	rec := fixtureRecords(t, "Encrypt-basic")[0]
	ev, err := LookupEvent(types.Event{CloudTrailEvent: &rec, EventName: aws.String("Decrypt")})
	require.NoError(t, err)
	require.Len(t, ev.Diagnostics, 1)
	assert.Equal(t, Mismatched, ev.Diagnostics[0].Kind)
	assert.Equal(t, "/eventName", ev.Diagnostics[0].Pointer)

	_, err = LookupEvent(types.Event{EventName: aws.String("Decrypt")})
	assert.ErrorIs(t, err, ErrNotRecord)
}

// TestLake checks CloudTrail Lake rows: with an eventJson column the record
// is decoded from it, exactly; without, from the columns (Lake's time
// format, booleans as strings, struct text).
func TestLake(t *testing.T) {
	rec := fixtureRecords(t, "Decrypt-basic")[0]
	want, err := Parse([]byte(rec))
	require.NoError(t, err)

	rows := [][]map[string]string{
		{{"eventTime": "2025-06-25 07:44:12.000"}, {"eventJson": rec}},
		{
			{"eventversion": "1.11"}, {"eventtime": "2025-06-25 07:44:12.000"}, {"eventsource": "kms.amazonaws.com"},
			{"eventname": "Decrypt"}, {"awsregion": "us-west-2"}, {"readonly": "true"},
			{"recipientaccountid": "111122223333"},
			{"useridentity": "{type=AssumedRole, principalid=AROAEXAMPLE:app, arn=arn:aws:sts::111122223333:assumed-role/app/app, accountid=111122223333, username=null}"},
			{"requestparameters": `{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","encryptionAlgorithm":"SYMMETRIC_DEFAULT"}`},
			{"customcolumn": "kept"},
		},
	}
	var evs []*Event
	for ev, err := range LakeRows(rows) {
		require.NoError(t, err)
		evs = append(evs, ev)
	}
	require.Len(t, evs, 2)
	assert.Equal(t, FormatLake, evs[0].Source.Format)
	assert.Equal(t, want.EventID, evs[0].EventID)
	assert.Equal(t, want.KMS.Key, evs[0].KMS.Key)

	ev := evs[1]
	assert.Equal(t, 1, ev.Source.Record)
	assert.Equal(t, time.Date(2025, 6, 25, 7, 44, 12, 0, time.UTC), ev.EventTime)
	assert.True(t, ev.ReadOnly)
	assert.Equal(t, OpDecrypt, ev.KMS.Operation)
	assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", ev.KMS.Key.ARN)
	assert.JSONEq(t, `{"customcolumn":"kept"}`, string(ev.Unknown), "a column that names no member is kept")
	require.NotNil(t, ev.UserIdentity)
	assert.Equal(t, "AROAEXAMPLE:app", ev.UserIdentity.PrincipalID, "Lake's lower-case names map back")
	assert.Equal(t, "111122223333", ev.UserIdentity.AccountID)
	assert.Empty(t, ev.UserIdentity.Unknown)
	kinds := map[DiagnosticKind]int{}
	for _, d := range ev.Diagnostics {
		kinds[d.Kind]++
	}
	assert.Equal(t, map[DiagnosticKind]int{Normalized: 2}, kinds, "time and struct text: %v", ev.Diagnostics)
}
