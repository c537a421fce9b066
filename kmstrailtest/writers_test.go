package kmstrailtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleEvents are a few events of one account and Region: a KMS call, a
// KMS service event, a failed call and another service's.
func sampleEvents(t *testing.T) []*kmstrail.Event {
	t.Helper()
	at := func(s int) kmstrailtest.Option {
		return kmstrailtest.Time(time.Date(2025, 5, 21, 5, 42, s, 0, time.UTC))
	}
	fixture, err := os.ReadFile(filepath.Join("..", "testdata", "kms", "Decrypt-basic.json"))
	require.NoError(t, err)
	pretty, err := kmstrail.Parse(fixture) // a record with whitespace, not built by the kit
	require.NoError(t, err)
	return []*kmstrail.Event{
		kmstrailtest.KMS(importRequest(), nil, at(1)),
		kmstrailtest.KMS((*kmstrail.RotateKeyRequest)(nil), nil, at(3)),
		kmstrailtest.KMS(&kmstrail.DecryptRequest{KeyID: keyA}, nil, at(2), kmstrailtest.Failed("AccessDeniedException", "denied")),
		kmstrailtest.Event(at(4)),
		pretty,
	}
}

// readAll reads input with kmstrail.NewReader and fails on any error.
func readAll(t *testing.T, r io.Reader) []*kmstrail.Event {
	t.Helper()
	var got []*kmstrail.Event
	for ev, err := range kmstrail.NewReader(r).All() {
		require.NoError(t, err)
		got = append(got, ev)
	}
	return got
}

// assertSameEvents checks that the events read back are the events
// written: the same records, compacted.
func assertSameEvents(t *testing.T, want, got []*kmstrail.Event, format kmstrail.Format) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		var compact bytes.Buffer
		require.NoError(t, json.Compact(&compact, want[i].Raw))
		assert.Equal(t, compact.String(), string(got[i].Raw), "record %d", i)
		assert.Equal(t, want[i].EventID, got[i].EventID, "record %d", i)
		assert.Equal(t, format, got[i].Source.Format, "record %d", i)
		if want[i].KMS != nil {
			require.NotNil(t, got[i].KMS, "record %d", i)
			assert.Equal(t, want[i].KMS.Key, got[i].KMS.Key, "record %d", i)
		}
	}
}

// TestWriters checks that what each writer writes reads back, with
// kmstrail.NewReader, as the events written, in the form written.
func TestWriters(t *testing.T) {
	events := sampleEvents(t)
	tests := []struct {
		name   string
		write  func(...*kmstrail.Event) []byte
		format kmstrail.Format
	}{
		{"Records", kmstrailtest.Records, kmstrail.FormatLogFile},
		{"JSONLines", kmstrailtest.JSONLines, kmstrail.FormatJSONLines},
		{"EventBridge", kmstrailtest.EventBridge, kmstrail.FormatEventBridge},
		{"CloudWatchLogs", kmstrailtest.CloudWatchLogs, kmstrail.FormatCloudWatchLogs},
		{"CloudWatchLogsLambda", kmstrailtest.CloudWatchLogsLambda, kmstrail.FormatCloudWatchLogs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.write(events...)
			assertSameEvents(t, events, readAll(t, bytes.NewReader(out)), tt.format)
			assert.Equal(t, string(out), string(tt.write(events...)), "the same events make the same bytes")
			if none := tt.write(); len(none) > 0 { // the Reader calls empty input an error
				assert.Empty(t, readAll(t, bytes.NewReader(none)), "no events")
			}
		})
	}
}

// TestEventBridgeEnvelope checks the members of the EventBridge envelope
// that rules match on.
func TestEventBridgeEnvelope(t *testing.T) {
	events := sampleEvents(t)
	lines := strings.Split(strings.TrimSuffix(string(kmstrailtest.EventBridge(events...)), "\n"), "\n")
	require.Len(t, lines, len(events))
	want := []struct{ detailType, source string }{
		{"AWS API Call via CloudTrail", "aws.kms"},
		{"AWS Service Event via CloudTrail", "aws.kms"},
		{"AWS API Call via CloudTrail", "aws.kms"},
		{"AWS API Call via CloudTrail", "aws.sts"},
		{"AWS API Call via CloudTrail", "aws.kms"},
	}
	for i, line := range lines {
		var env struct {
			DetailType string `json:"detail-type"`
			Source     string
			Account    string
			Region     string
			Time       string
		}
		require.NoError(t, json.Unmarshal([]byte(line), &env))
		assert.Equal(t, want[i].detailType, env.DetailType, "event %d", i)
		assert.Equal(t, want[i].source, env.Source, "event %d", i)
		assert.Equal(t, events[i].RecipientAccountID, env.Account)
		assert.Equal(t, events[i].AWSRegion, env.Region)
		assert.Equal(t, events[i].EventTime.Format(time.RFC3339), env.Time)
	}
}

// TestLogFile checks the log files' keys, their compression, and that they
// read back as the events written.
func TestLogFile(t *testing.T) {
	events := sampleEvents(t)
	tests := []struct {
		name   string
		write  func(testing.TB, string, ...*kmstrail.Event) string
		suffix string
	}{
		{"LogFile", kmstrailtest.LogFile, ".json.gz"},
		{"PlainLogFile", kmstrailtest.PlainLogFile, ".json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.write(t, dir, events...)
			rel, err := filepath.Rel(dir, path)
			require.NoError(t, err)
			obj, ok := kmstrail.ParseLogObject(filepath.ToSlash(rel))
			require.True(t, ok, "%s is not at a CloudTrail key", rel)
			assert.Equal(t, kmstrail.ObjectLog, obj.Kind)
			assert.Equal(t, kmstrailtest.DefaultAccount, obj.Account)
			assert.Equal(t, kmstrailtest.DefaultRegion, obj.Region)
			// The newest record is the fixture's, of 2025-09-17T12:03:44Z.
			assert.Equal(t, time.Date(2025, 9, 17, 12, 8, 0, 0, time.UTC), obj.Time, "delivered 5 minutes after the newest record's minute")
			assert.Len(t, obj.Unique, 16)
			assert.True(t, strings.HasSuffix(path, tt.suffix), path)

			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.suffix == ".json.gz", bytes.HasPrefix(data, []byte{0x1f, 0x8b}), "gzip compressed")
			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			assertSameEvents(t, events, readAll(t, f), kmstrail.FormatLogFile)

			assert.Equal(t, path, tt.write(t, dir, events...), "the same events make the same file")
			other := tt.write(t, dir, events[:1]...)
			assert.NotEqual(t, path, other, "other events make another file")
		})
	}
}

// TestLogFileFails checks that LogFile fails the test on events a log file
// cannot hold together, and on I/O errors.
func TestLogFileFails(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(notDir, nil, 0o644))
	tests := []struct {
		name   string
		dir    string
		events []*kmstrail.Event
		want   string
	}{
		{"two accounts", t.TempDir(), []*kmstrail.Event{kmstrailtest.Event(), kmstrailtest.Event(kmstrailtest.Account("444455556666"))},
			"event 1 is of account 444455556666 in us-west-2, event 0 of 111122223333 in us-west-2: a log file holds one account's records of one Region"},
		{"two Regions", t.TempDir(), []*kmstrail.Event{kmstrailtest.Event(), kmstrailtest.Event(kmstrailtest.Region("eu-west-1"))},
			"a log file holds one account's records of one Region"},
		{"not a directory", notDir, []*kmstrail.Event{kmstrailtest.Event()}, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &fatalTB{TB: t}
			func() {
				defer func() {
					if r := recover(); r != nil && r != errFatal {
						panic(r)
					}
				}()
				kmstrailtest.LogFile(tb, tt.dir, tt.events...)
				t.Error("LogFile returned")
			}()
			assert.Contains(t, tb.fatal, tt.want)
		})
	}

	dir := t.TempDir()
	path := kmstrailtest.LogFile(t, dir)
	rel, _ := filepath.Rel(dir, path)
	obj, ok := kmstrail.ParseLogObject(filepath.ToSlash(rel))
	assert.True(t, ok && obj.Account == kmstrailtest.DefaultAccount, "no events: a file of the default account, %s", rel)
}

var errFatal = errors.New("the test failed")

// fatalTB records how a test would have failed instead of failing it.
type fatalTB struct {
	testing.TB
	fatal string
}

func (tb *fatalTB) Fatalf(format string, args ...any) {
	tb.fatal += fmt.Sprintf(format, args...)
	panic(errFatal)
}

func (tb *fatalTB) Errorf(format string, args ...any) { tb.fatal += fmt.Sprintf(format, args...) }

func (tb *fatalTB) FailNow() { panic(errFatal) }
