package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kmstrail/kmstrail/internal/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run runs kmstrail in-process with -o format (and -repair) on paths, and
// returns its exit status, standard output and standard error, less the
// summary line that ends it (TestSummary checks that line).
func run(t *testing.T, format string, repair bool, stdin string, paths ...string) (int, string, string) {
	t.Helper()
	args := []string{"-o", format}
	if repair {
		args = append(args, "-repair")
	}
	code, out, stderr := runArgs(t, stdin, append(args, paths...)...)
	i := strings.LastIndex(strings.TrimSuffix(stderr, "\n"), "\n")
	require.Regexp(t, `^kmstrail: \d+ records? read`, stderr[i+1:], "the summary ends standard error")
	return code, out, stderr[:i+1]
}

// runArgs runs kmstrail in-process with args and returns its exit status,
// standard output and standard error.
func runArgs(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := kmstrailMain(args, stdio{in: strings.NewReader(stdin), out: &out, err: &errOut})
	return code, out.String(), errOut.String()
}

const seed = "../../testdata/ImportKeyMaterial-seed.json"

func TestSeedJSON(t *testing.T) {
	code, out, stderr := run(t, "json", true, "", seed)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 1)
	var got struct {
		EventID   string `json:"eventID"`
		EventTime string `json:"eventTime"`
		ReadOnly  *bool  `json:"readOnly"`
		Source    struct {
			Path   string `json:"path"`
			Record *int   `json:"record"`
		} `json:"source"`
		KMS struct {
			Operation string `json:"operation"`
			Key       struct {
				ID, ARN string
			} `json:"key"`
			Request  map[string]any `json:"request"`
			Response map[string]any `json:"response"`
		} `json:"kms"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &got))
	assert.Equal(t, "2025-05-21T05:42:31Z", got.EventTime)
	assert.Equal(t, "ImportKeyMaterial", got.KMS.Operation)
	assert.Equal(t, "2025-05-21T05:47:45Z", got.KMS.Request["validTo"])
	assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", got.KMS.Key.ARN)
	assert.Equal(t, seed, got.Source.Path)
	require.NotNil(t, got.Source.Record)
	assert.Equal(t, 0, *got.Source.Record)
	require.NotNil(t, got.ReadOnly)
	assert.NotContains(t, lines[0], `"errorCode"`, "empty members are omitted")
}

func TestSeedStrict(t *testing.T) {
	code, out, stderr := run(t, "table", false, "", seed)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, seed+":41:1: record 0: /recipientAccountId: invalid JSON: missing ',' after object member (found '\"')\n", stderr)
}

func TestTable(t *testing.T) {
	code, out, stderr := run(t, "table", true, "", "../../testdata")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	assert.Greater(t, len(lines), 90)
	assert.True(t, strings.HasPrefix(lines[0], "TIME"))
	for _, l := range lines {
		assert.LessOrEqual(t, utf8.RuneCountInString(l), tableColumns, "line too wide: %q", l)
	}
	// Whole key IDs, so that keys can be told apart; times say their zone.
	assert.Contains(t, out, "ImportKeyMaterial       user/Alice          1234abcd-12ab-34cd-56ef-1234567890ab  expires 2025-05-21 05:47 UTC\n")
	assert.Contains(t, out, "ScheduleKeyDeletion     user/hiroshi.sato   1234abcd-12ab-34cd-56ef-1234567890ab  deletes 2021-04-12 18:58 UTC\n")

	// -wide: whole ARNs, the principal in full, and the file.
	code, out, stderr = run(t, "table", true, "", "-wide", seed)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "TIME (UTC)            EVENT                   PRINCIPAL           KEY                                   DETAIL                        FILE\n"+
		"2025-05-21T05:42:31Z  ImportKeyMaterial       arn:aws:iam::111122223333:user/Alice  arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab  expires 2025-05-21 05:47 UTC  "+seed+":0\n", out)
}

func TestRaw(t *testing.T) {
	in := "{\n  \"eventVersion\": \"1.08\",\n  \"eventName\": \"A\"\n}\n"
	code, out, _ := run(t, "raw", false, in, "-")
	assert.Equal(t, 0, code)
	assert.Equal(t, `{"eventVersion":"1.08","eventName":"A"}`+"\n", out)
}

// TestDirectory: a damaged file does not stop the others; every error is
// listed; digest files are passed over; the exit status is 1.
func TestDirectory(t *testing.T) {
	dir := t.TempDir()
	day := filepath.Join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-west-2", "2025", "05", "21")
	digest := filepath.Join(dir, "AWSLogs", "111122223333", "CloudTrail-Digest", "us-west-2", "2025", "05", "21")
	require.NoError(t, os.MkdirAll(day, 0o755))
	require.NoError(t, os.MkdirAll(digest, 0o755))
	good := `{"eventVersion":"1.08","eventTime":"2025-05-21T01:00:00Z","eventName":"A"}`
	write := func(path, content string) {
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	write(filepath.Join(day, "a.json"), `{"Records":[`+good+`,`+good+`]}`)
	write(filepath.Join(day, "b.json"), `{"Records":[`+good+`,{"eventVersion":"1.08",}]}`)
	write(filepath.Join(day, "c.json"), `{"Records":[`+good+`]}`)
	gz := synth.Gzip([]byte(`{"Records":[` + good + `,` + good + `,` + strings.Repeat(good+",", 500) + good + `]}`))
	write(filepath.Join(day, "d.json.gz"), string(gz[:len(gz)-20])) // truncated
	write(filepath.Join(day, "notes.txt"), "not read")
	write(filepath.Join(digest, "d.json"), `{"digestS3Object":"x"}`)

	code, out, stderr := run(t, "json", false, "", dir)
	assert.Equal(t, 1, code)
	// a.json's two records, b.json's first, c.json's, and the records of
	// d.json.gz before the cut.
	assert.Greater(t, strings.Count(out, "\n"), 4, out)
	assert.Contains(t, stderr, "b.json:1:111: record 1: /eventVersion: invalid JSON: trailing ',' before '}'")
	assert.Regexp(t, `d\.json\.gz:1:\d+: .*compressed input ends early`, stderr)
	assert.Equal(t, 2, strings.Count(stderr, "\n"), "every error is listed; digest files are passed over:\n%s", stderr)
	assert.NotContains(t, stderr, "notes.txt")
}

func TestNoRecordsNotice(t *testing.T) {
	code, out, stderr := run(t, "table", false, `{"digestS3Object":"x","logFiles":[]}`, "-")
	assert.Equal(t, 0, code, "a notice does not change the exit status")
	assert.Empty(t, out)
	assert.Contains(t, stderr, "digest file")
}

func TestIOError(t *testing.T) {
	code, _, stderr := run(t, "table", false, "", "does-not-exist.json")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "does-not-exist.json")
}

// TestKMSJSON: -o json prints a typed, normalized kms.request and
// kms.response for every KMS event that has them: wire member names, times
// in RFC 3339.
func TestKMSJSON(t *testing.T) {
	code, out, stderr := run(t, "json", false, "", "../../testdata/kms")
	require.Equal(t, 0, code, stderr)
	ops := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var got struct {
			Source struct{ Path string }
			KMS    *struct {
				Operation string         `json:"operation"`
				Request   map[string]any `json:"request"`
				Response  map[string]any `json:"response"`
			} `json:"kms"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &got))
		require.NotNil(t, got.KMS, line)
		ops[got.KMS.Operation] = true
		data, err := os.ReadFile(got.Source.Path)
		require.NoError(t, err)
		var rec map[string]any
		require.NoError(t, json.Unmarshal(data, &rec))
		assert.Equal(t, rec["requestParameters"] != nil, got.KMS.Request != nil, got.Source.Path)
		assert.Equal(t, rec["responseElements"] != nil, got.KMS.Response != nil, got.Source.Path)
		// Every member name is the record's own.
		if req, ok := rec["requestParameters"].(map[string]any); ok {
			for k := range got.KMS.Request {
				assert.Contains(t, req, k, got.Source.Path)
			}
		}
	}
	assert.Len(t, ops, 60)
	assert.Contains(t, out, `"creationDate":"2025-03-14T21:07:52Z"`, "CreateKey's Java date, normalized")
	assert.Contains(t, out, `"deletionDate":"2021-04-12T18:58:30Z"`)
}

// TestEnvelopesSameJSON: the CLI prints the same -o json lines for the same
// records whatever envelope delivers them.
func TestEnvelopesSameJSON(t *testing.T) {
	var recs [][]byte
	for _, name := range []string{"kms/ImportKeyMaterial-2025", "kms/ScheduleKeyDeletion-24h-pm", "kms/Decrypt-attested", "services/GetObject"} {
		data, err := os.ReadFile(filepath.Join("../../testdata", name+".json"))
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, json.Compact(&b, data))
		recs = append(recs, b.Bytes())
	}
	inputs := map[string][]byte{
		"log file":                          synth.Records(recs),
		"log file, gzip":                    synth.Gzip(synth.Records(recs)),
		"array":                             synth.Array(recs),
		"json lines":                        synth.JSONLines(recs),
		"eventbridge lines":                 synth.JSONLines(synth.EventBridge(recs)),
		"cloudwatch logs":                   synth.CloudWatchLogs(recs),
		"cloudwatch, gzip":                  synth.Gzip(synth.CloudWatchLogs(recs)),
		"cloudwatch, lambda":                synth.Lambda(recs),
		"lookup-events":                     synth.LookupEventsOutput(recs),
		"lookup-events, one event per line": synth.LookupEventLines(recs),
		"lake results":                      synth.LakeResults(recs),
		"lookup-events, Events not first": bytes.Replace(synth.LookupEventsOutput(recs),
			[]byte(`{`), []byte(`{"ResponseMetadata":{},`), 1),
	}
	code, want, stderr := run(t, "json", false, string(inputs["log file"]), "-")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, len(recs), strings.Count(want, "\n"))
	for name, in := range inputs {
		code, got, stderr := run(t, "json", false, string(in), "-")
		assert.Equal(t, 0, code, "%s: %s", name, stderr)
		assert.Equal(t, want, got, name)
	}

	// One record per file: the same lines but for where they came from.
	dir := t.TempDir()
	var paths []string
	for i, ev := range synth.EventBridge(recs) {
		p := filepath.Join(dir, fmt.Sprintf("event-%d.json", i))
		require.NoError(t, os.WriteFile(p, ev, 0o644))
		paths = append(paths, p)
	}
	_, got, _ := run(t, "json", false, "", paths...)
	assert.Equal(t, withoutSource(t, want), withoutSource(t, got))
}

// withoutSource removes the source member from each JSON line.
func withoutSource(t *testing.T, lines string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(lines), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		delete(m, "source")
		b, _ := json.Marshal(m)
		out = append(out, string(b))
	}
	return out
}

// TestOrganizationTrailLayout walks an organization trail's S3 layout
// (AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/) with gzip
// and JSON Lines files, and skips its digest folders.
func TestOrganizationTrailLayout(t *testing.T) {
	root := t.TempDir()
	rec := `{"eventVersion":"1.11","eventTime":"2025-05-21T01:00:00Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt",` +
		`"awsRegion":"us-west-2","recipientAccountId":"%s","requestParameters":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab"}}`
	for _, acct := range []string{"111122223333", "444455556666"} {
		day := filepath.Join(root, "o-ab12cd34ef", "AWSLogs", "o-ab12cd34ef", acct, "CloudTrail", "us-west-2", "2025", "05", "21")
		require.NoError(t, os.MkdirAll(day, 0o755))
		r := fmt.Sprintf(rec, acct)
		name := acct + "_CloudTrail_us-west-2_20250521T0105Z_Ab12Cd34Ef56Gh78.json.gz"
		require.NoError(t, os.WriteFile(filepath.Join(day, name), synth.Gzip([]byte(`{"Records":[`+r+`,`+r+`]}`)), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(day, "export.jsonl"), []byte(r+"\n"+r+"\n"), 0o644))
		dig := filepath.Join(root, "o-ab12cd34ef", "AWSLogs", "o-ab12cd34ef", acct, "CloudTrail-Digest", "us-west-2", "2025", "05", "21")
		require.NoError(t, os.MkdirAll(dig, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dig, "digest.json.gz"), synth.Gzip([]byte(`{"digestS3Object":"x"}`)), 0o644))
	}
	code, out, stderr := run(t, "json", false, "", root)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, 8, strings.Count(out, "\n"))
	assert.Empty(t, stderr, "digest files are passed over")
	assert.Equal(t, 4, strings.Count(out, `"recipientAccountId":"444455556666"`))
	assert.Contains(t, out, `"arn":"arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"`)
}

// TestMaxRecordBytes: -max-record-bytes sets the Reader's limit, and an
// error for crossing it names the flag.
func TestMaxRecordBytes(t *testing.T) {
	recs := make([][]byte, 200)
	for i := range recs {
		recs[i] = fmt.Appendf(nil, `{"eventVersion":"1.08","eventName":"E%d"}`, i)
	}
	in := string(synth.RecordsLast(recs)) // read whole: one value of 9 KB
	for _, tt := range []struct {
		max    int
		code   int
		stderr string
	}{
		{0, 0, ""},
		{4096, 1, "<stdin>:1:1: limit exceeded: the log file, read whole because its Records member is not first, is 8525 bytes, more than 4096 (raise -max-record-bytes)"},
	} {
		args := []string{"-o", "raw"}
		if tt.max > 0 {
			args = append(args, "-max-record-bytes", fmt.Sprint(tt.max))
		}
		code, out, stderr := runArgs(t, in, args...)
		assert.Equal(t, tt.code, code, stderr)
		assert.Contains(t, stderr, tt.stderr)
		if tt.code == 0 {
			assert.Equal(t, len(recs), strings.Count(out, "\n"))
		}
	}
}

// TestSelection: the selection flags print exactly the records they name,
// in every output format; flags of different kinds all hold. The expected
// files are found from the fixtures' names and text, not by the code
// under test.
func TestSelection(t *testing.T) {
	const dir = "../../testdata/kms"
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	texts := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		texts[f] = string(data)
	}
	where := func(keep func(name, text string) bool) []string {
		var out []string
		for _, f := range files {
			if keep(filepath.Base(f), texts[f]) {
				out = append(out, f)
			}
		}
		return out
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-event", "ScheduleKeyDeletion,DisableKey", "-since", "2020-01-01"}, where(func(name, _ string) bool {
			return strings.HasPrefix(name, "ScheduleKeyDeletion-") || strings.HasPrefix(name, "DisableKey-")
		})},
		{[]string{"-event", "ScheduleKeyDeletion", "-event", "DisableKey", "-since", "2025-01-01"}, where(func(name, text string) bool {
			return (strings.HasPrefix(name, "ScheduleKeyDeletion-") || strings.HasPrefix(name, "DisableKey-")) && strings.Contains(text, `"eventTime": "202`) && !strings.Contains(text, `"eventTime": "2020`) && !strings.Contains(text, `"eventTime": "2021`)
		})},
		{[]string{"-key", "alias/orders-data-key"}, where(func(_, text string) bool { return strings.Contains(text, "alias/orders-data-key") })},
		{[]string{"-principal", "hiroshi"}, where(func(_, text string) bool { return strings.Contains(text, "user/hiroshi") })},
		{[]string{"-errors"}, where(func(_, text string) bool { return strings.Contains(text, `"errorCode"`) })},
		{[]string{"-errors", "-principal", "hiroshi"}, nil},
		{[]string{"-source", "kms", "-event", "RotateKey"}, where(func(name, _ string) bool { return strings.HasPrefix(name, "RotateKey-") })},
		{[]string{"-source", "ec2"}, nil},
		{[]string{"-region", "eu-west-1", "-account", "111122223333"}, where(func(_, text string) bool { return strings.Contains(text, `"awsRegion": "eu-west-1"`) })},
		{[]string{"-until", "2021-01-01"}, where(func(_, text string) bool { return strings.Contains(text, `"eventTime": "2020-`) })},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			require.NotContains(t, tc.want, "", "a case selects files")
			for _, format := range []string{"json", "raw", "table"} {
				code, out, stderr := run(t, format, false, "", append(tc.args, dir)...)
				require.Equal(t, 0, code, stderr)
				lines := strings.Split(strings.TrimSpace(out), "\n")
				if out == "" {
					lines = nil
				}
				if format == "table" && len(lines) > 0 {
					lines = lines[1:] // the heading
				}
				assert.Len(t, lines, len(tc.want), "-o %s:\n%s", format, out)
				if format != "json" {
					continue
				}
				var got []string
				for _, l := range lines {
					var s struct{ Source struct{ Path string } }
					require.NoError(t, json.Unmarshal([]byte(l), &s))
					got = append(got, s.Source.Path)
				}
				assert.ElementsMatch(t, tc.want, got)
			}
		})
	}
}

func TestSelectionErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-since", "yesterday"},
		{"-until", "2025-13-01"},
		{"-since", "2025-02-01", "-until", "2025-01-01"},
		{"-key", ""},
		{"-o", "xml"},
		{"-no-such-flag"},
	} {
		code, out, stderr := runArgs(t, "", args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.Empty(t, out)
		assert.NotEmpty(t, stderr)
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"":                          {},
		"2025-05-21":                time.Date(2025, 5, 21, 0, 0, 0, 0, time.UTC),
		"2025-05-21T07:00:00+02:00": time.Date(2025, 5, 21, 5, 0, 0, 0, time.UTC),
		"24h":                       now.Add(-24 * time.Hour),
		"90m":                       now.Add(-90 * time.Minute),
		"7d":                        now.Add(-7 * 24 * time.Hour),
		"0.5d":                      now.Add(-12 * time.Hour),
	} {
		got, err := parseWhen(in, now)
		require.NoError(t, err, in)
		assert.True(t, want.Equal(got), "parseWhen(%q) = %v, want %v", in, got, want)
	}
	for _, in := range []string{"-24h", "yesterday", "7 days", "2025-05-21 10:00"} {
		_, err := parseWhen(in, now)
		assert.Error(t, err, in)
	}
}

// TestSummary: a line on standard error counts records read, shown and
// failed, and the files read.
func TestSummary(t *testing.T) {
	code, _, stderr := runArgs(t, "", "-event", "Decrypt", "../../testdata/kms")
	assert.Equal(t, 0, code)
	n, _ := filepath.Glob("../../testdata/kms/*.json")
	decrypts, _ := filepath.Glob("../../testdata/kms/Decrypt-*.json")
	assert.Equal(t, fmt.Sprintf("kmstrail: %d records read, %d shown, 0 failed, %d files\n", len(n), len(decrypts), len(n)), stderr)

	code, _, stderr = runArgs(t, "{\"eventVersion\":\"1.08\"}\n{\"eventVersion\":}\n")
	assert.Equal(t, 1, code)
	assert.True(t, strings.HasSuffix(stderr, "kmstrail: 1 record read, 1 shown, 1 failed, 1 file\n"), stderr)
}

func TestHelpAndVersion(t *testing.T) {
	code, out, stderr := runArgs(t, "", "-h")
	assert.Equal(t, 0, code, "-h is not an error")
	assert.Empty(t, stderr)
	assert.Contains(t, out, "usage: kmstrail [flags] [path ...]")
	for _, flag := range []string{"-event", "-source", "-since", "-until", "-key", "-principal", "-account", "-region", "-errors",
		"-wide", "-version", "-max-values", "-max-record-bytes", "-max-depth", "-max-string-bytes", "-max-input-bytes", "-max-compression-ratio"} {
		assert.Regexp(t, "\n  "+flag+"[ \n]", out, "-h lists %s", flag)
	}
	assert.Contains(t, out, "re-encoded", "-h says -o raw re-encodes repaired records")

	code, out, _ = runArgs(t, "", "-version")
	assert.Equal(t, 0, code)
	assert.Regexp(t, `^kmstrail \S+ go1\.\d+`, out)
}

// TestLimitFlags: each of the Reader's limits has a flag, and an error for
// crossing it names that flag.
func TestLimitFlags(t *testing.T) {
	rec := `{"eventVersion":"1.08","eventName":"A","requestParameters":{"a":[1,2,3,4,5,6,7,8],"s":"` + strings.Repeat("x", 100) + `"}}`
	for _, tc := range []struct {
		flag, value, message string
	}{
		{"-max-record-bytes", "100", "value larger than 100 bytes (raise -max-record-bytes)"},
		{"-max-values", "5", "more than 5 members and elements (raise -max-values)"},
		{"-max-string-bytes", "50", "string longer than 50 bytes (raise -max-string-bytes)"},
		{"-max-depth", "2", "nesting deeper than 2 levels (raise -max-depth)"},
		{"-max-input-bytes", "100", "input longer than 100 bytes (raise -max-input-bytes)"},
	} {
		code, _, stderr := runArgs(t, rec, tc.flag, tc.value)
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, stderr, tc.message)
		code, _, stderr = runArgs(t, rec)
		assert.Equal(t, 0, code, stderr)
	}
}
