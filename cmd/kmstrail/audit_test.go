package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	kt "github.com/kmstrail/kmstrail/kmstrailtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/audit: the scenario's log files and the golden files")

const scenarioDir = "../../testdata/audit"

// TestAuditScenario runs keys, expiry and findings over the scenario's log
// files and compares their output with the golden files. With -update it
// writes both first.
func TestAuditScenario(t *testing.T) {
	logs := filepath.Join(scenarioDir, "AWSLogs")
	built := t.TempDir()
	for _, g := range scenario() {
		kt.PlainLogFile(t, built, g...)
	}
	if *update {
		require.NoError(t, os.RemoveAll(logs))
		require.NoError(t, os.CopyFS(scenarioDir, os.DirFS(built)))
	}
	assert.Equal(t, readTree(t, filepath.Join(built, "AWSLogs")), readTree(t, logs),
		"testdata/audit does not hold the scenario: go test ./cmd/kmstrail -run TestAuditScenario -update")

	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"keys-json.golden", []string{"keys", "-o", "json"}},
		{"keys-table.golden", []string{"keys"}},
		{"expiry-json.golden", []string{"expiry", "-o", "json", "-at", "2026-06-01"}},
		{"expiry-table.golden", []string{"expiry", "-at", "2026-06-01"}},
		{"findings-json.golden", []string{"findings", "-o", "json", "-at", "2026-06-01"}},
		{"findings-table.golden", []string{"findings", "-at", "2026-06-01"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, out, stderr := runArgs(t, "", append(tc.args, scenarioDir)...)
			require.Equal(t, exitOK, code, stderr)
			assert.Regexp(t, `^kmstrail: \d+ records read, \d+ used, 0 failed, \d+ files
$`, stderr)
			path := filepath.Join(scenarioDir, "golden", tc.golden)
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, string(want), out)
			if strings.Contains(tc.golden, "-json") {
				for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
					assert.True(t, json.Valid([]byte(line)), line)
				}
			}
		})
	}
}

// readTree returns the files under dir by their slash paths.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	require.NoError(t, err)
	return files
}

// TestAuditScenarioStates: the scenario takes its keys through every state
// a key can end in, and raises every rule.
func TestAuditScenarioStates(t *testing.T) {
	code, out, stderr := runArgs(t, "", "keys", "-o", "json", scenarioDir)
	require.Equal(t, exitOK, code, stderr)
	states := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var k struct{ ARN, State string }
		require.NoError(t, json.Unmarshal([]byte(line), &k))
		states[k.ARN] = k.State
	}
	assert.Equal(t, map[string]string{
		scARN(scOrders): "Enabled", scARN(scPayments): "Enabled", scARN(scArchive): "PendingImport",
		scARN(scLegacy): "PendingImport", scARN(scReports): "Disabled", scARN(scStaging): "PendingDeletion",
		scARN(scOldBatch): "Deleted", scARN(scAnalytics): "Disabled", scARN(scRestored): "Enabled",
		scARN(scShared): "Enabled", scARN(scGlobal): "Enabled", scARN(scAudited): "Unknown",
		"arn:aws:kms:eu-west-1:111122223333:key/" + scGlobal: "Enabled",
	}, states)

	code, out, stderr = runArgs(t, "", "findings", "-o", "json", "-at", "2026-06-01", scenarioDir)
	require.Equal(t, exitOK, code, stderr)
	fired := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f struct{ Rule string }
		require.NoError(t, json.Unmarshal([]byte(line), &f))
		fired[f.Rule] = true
	}
	code, out, _ = runArgs(t, "", "findings", "-h")
	require.Equal(t, exitOK, code)
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 2 && strings.Contains(f[0], "-") && !strings.HasPrefix(f[0], "-") {
			assert.True(t, fired[f[0]], "the scenario raises no %s", f[0])
		}
	}
}

// TestAuditFlags: -min-severity, -fail-on, -within, -wide, and usage
// errors.
func TestAuditFlags(t *testing.T) {
	code, out, _ := runArgs(t, "", "findings", "-o", "json", "-at", "2026-06-01", "-min-severity", "critical", scenarioDir)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, 1, strings.Count(out, "\n"), out)
	assert.Contains(t, out, `"rule":"key-policy-public"`)

	code, _, stderr := runArgs(t, "", "findings", "-at", "2026-06-01", "-fail-on", "critical", scenarioDir)
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, stderr, "-fail-on critical")
	code, _, _ = runArgs(t, "", "expiry", "-at", "2026-06-01", "-fail-on", "high", scenarioDir)
	assert.Equal(t, exitFindings, code, "every subcommand gates on the findings")
	code, _, _ = runArgs(t, "", "findings", "-at", "2026-06-01", "-fail-on", "critical", "-event", "Decrypt", scenarioDir)
	assert.Equal(t, exitOK, code, "no critical finding among the Decrypt records")

	// The payments material expires on 2026-06-10: within 30 days, not 7.
	_, out, _ = runArgs(t, "", "expiry", "-o", "json", "-at", "2026-06-01", "-within", "7d", scenarioDir)
	assert.NotContains(t, out, scPayments)
	_, out, _ = runArgs(t, "", "expiry", "-o", "json", "-at", "2026-06-01", "-within", "240h", scenarioDir)
	assert.Contains(t, out, scPayments)

	_, out, _ = runArgs(t, "", "keys", "-wide", scenarioDir)
	assert.Contains(t, out, scARN(scOrders))
	_, out, _ = runArgs(t, "", "keys", scenarioDir)
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(l), 190, l)
	}

	for _, args := range [][]string{
		{"findings", "-min-severity", "severe"},
		{"findings", "-fail-on", "bad"},
		{"expiry", "-within", "soon"},
		{"expiry", "-at", "tomorrow"},
		{"keys", "-o", "raw"},
		{"keys", "-at", "2026-06-01"}, // keys takes no reference time
		// Values the library would take for its defaults (review of the
		// audit, 2026-12-07: -deny-window 500ms became 5 minutes).
		{"findings", "-deny-window", "500ms"},
		{"findings", "-deny-count", "0"},
		{"keys", "-timeline", "-1"},
	} {
		code, _, stderr := runArgs(t, "", append(args, scenarioDir)...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, stderr)
	}
	code, out, _ = runArgs(t, "", "keys", "-h")
	assert.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "usage: kmstrail keys"), out)
}

// TestAuditStdin: the subcommands read standard input as decoding does,
// and a damaged record makes the status 1 while the rest are audited.
func TestAuditStdin(t *testing.T) {
	var in bytes.Buffer
	for _, g := range scenario() {
		in.Write(kt.JSONLines(g...))
	}
	in.WriteString("{not json\n")
	code, out, stderr := runArgs(t, in.String(), "keys", "-o", "json")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr, "<stdin>:")
	golden, err := os.ReadFile(filepath.Join(scenarioDir, "golden", "keys-json.golden"))
	require.NoError(t, err)
	assert.Equal(t, string(golden), out, "the same keys, whatever the input's form")
}
