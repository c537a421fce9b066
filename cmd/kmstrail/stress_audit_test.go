//go:build unix

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// auditRecordsEnv sets how many records TestAuditFlatMemory streams:
// 1,000,000 by default, and 10000000 for the acceptance's month of a busy
// account, which also measures throughput against decoding (see
// BENCHMARKS.md).
const auditRecordsEnv = "KMSTRAIL_AUDIT_RECORDS"

// TestAuditFlatMemory streams records over 5,000 keys through the audit
// subcommands: the records come from internal/cmd/synth, built without
// -race, through a pipe (they are never written to disk), and the command
// must stay within 256 MiB of RSS. The Auditor's state is per key, so a
// million records fill most of it. With KMSTRAIL_AUDIT_RECORDS=10000000
// (about 20 minutes), keys, expiry and findings go through ten million, and
// throughput is compared with decoding's.
func TestAuditFlatMemory(t *testing.T) {
	bin := stressCLI(t, "the audit's memory run")
	gen := buildSynth(t)
	n := 1_000_000
	if s := os.Getenv(auditRecordsEnv); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(t, err, auditRecordsEnv)
	}
	// In CI, keys alone: the three share the Auditor, and keys prints the
	// most.
	jobs := [][]string{{"keys", "-o", "json"}}
	if n > 1_000_000 {
		jobs = append(jobs, []string{"expiry", "-at", "2025-07-01"}, []string{"findings", "-o", "json", "-at", "2025-07-01"})
	}
	for _, job := range jobs {
		code, stderr, rss, elapsed := runPiped(t, gen, n, bin, job...)
		t.Logf("%s over %d records: peak RSS %.1f MiB in %v (%.0f records/s)", job[0], n, float64(rss)/(1<<20), elapsed.Round(time.Millisecond),
			float64(n)/elapsed.Seconds())
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, stderr, fmt.Sprintf("kmstrail: %d records read, %d used", n, n))
		assert.Less(t, rss, int64(256<<20), "peak RSS")
	}
	if n > 1_000_000 {
		compareThroughput(t, gen, n, bin)
	}
}

// compareThroughput times decoding and the audit subcommands over the same
// records, alternating, and logs the medians of three runs each.
func compareThroughput(t *testing.T, gen string, n int, bin string) {
	jobs := [][]string{{"-o", "json"}, {"-o", "table"}, {"keys", "-o", "json"}, {"expiry"}, {"findings", "-o", "json"}}
	times := make([][]time.Duration, len(jobs))
	for range 3 {
		for i, job := range jobs {
			_, _, _, elapsed := runPiped(t, gen, n, bin, job...)
			times[i] = append(times[i], elapsed)
		}
	}
	median := func(d []time.Duration) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)/2]
	}
	base := median(times[0])
	for i, job := range jobs {
		m := median(times[i])
		t.Logf("%-18s median %v of %v: %.0f records/s, %.2f of decoding -o json's throughput",
			strings.Join(job, " "), m.Round(time.Millisecond), times[i], float64(n)/m.Seconds(), base.Seconds()/m.Seconds())
	}
}

// buildSynth builds internal/cmd/synth without -race.
func buildSynth(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "synth")
	out, err := exec.Command("go", "build", "-o", bin, "../../internal/cmd/synth").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// runPiped runs the built command over n records of a busy account's month
// (5,000 keys) that the synth binary writes to its standard input, and
// returns its exit status, standard error, peak RSS in bytes and wall time.
// The command's standard output is discarded. As runCLIOutput does, it runs
// the command under the measuring helper.
func runPiped(t *testing.T, gen string, n int, bin string, args ...string) (code int, stderr string, rss int64, elapsed time.Duration) {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	producer := exec.Command(gen, "-testdata", "../../testdata", "-records", strconv.Itoa(n), "-keys", "5000", "-step", "520ms")
	pipe, err := producer.StdoutPipe()
	require.NoError(t, err)
	report := filepath.Join(t.TempDir(), "rusage")
	// A month of records is 16 GB: past the default -max-input-bytes.
	cmd := exec.Command(self, append([]string{bin}, append(args, "-max-input-bytes", "100000000000")...)...)
	cmd.Env = append(os.Environ(), measureEnv+"="+report)
	var errOut bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pipe, io.Discard, &errOut
	start := time.Now()
	require.NoError(t, producer.Start())
	err = cmd.Run()
	elapsed = time.Since(start)
	require.NoError(t, producer.Wait())
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	b, err := os.ReadFile(report)
	require.NoError(t, err, "the measuring helper did not report")
	rss, err = strconv.ParseInt(string(b), 10, 64)
	require.NoError(t, err)
	return code, errOut.String(), rss, elapsed
}
