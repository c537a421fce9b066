//go:build unix

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
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
	gen := goBuild(t, "synth", "../../internal/cmd/synth")
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
// records, alternating, and logs the medians of three runs each: wall time,
// and the CPU time of the command (user and system), which other processes
// on the machine change much less.
func compareThroughput(t *testing.T, gen string, n int, bin string) {
	jobs := [][]string{{"-o", "table"}, {"-o", "json"}, {"keys", "-o", "json"}, {"expiry"}, {"findings", "-o", "json"}}
	walls := make([][]time.Duration, len(jobs))
	cpus := make([][]time.Duration, len(jobs))
	for range 3 {
		for i, job := range jobs {
			wall, cpu := timePiped(t, gen, n, bin, job...)
			walls[i], cpus[i] = append(walls[i], wall), append(cpus[i], cpu)
		}
	}
	median := func(d []time.Duration) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)/2]
	}
	baseWall, baseCPU := median(walls[0]), median(cpus[0])
	for i, job := range jobs {
		w, c := median(walls[i]), median(cpus[i])
		t.Logf("%-18s wall %v (%.0f records/s, %.2f of decoding -o table's), CPU %v (%.0f records/s, %.2f of decoding's); runs %v, CPU %v",
			strings.Join(job, " "), w.Round(time.Second), float64(n)/w.Seconds(), baseWall.Seconds()/w.Seconds(),
			c.Round(time.Second), float64(n)/c.Seconds(), baseCPU.Seconds()/c.Seconds(), walls[i], cpus[i])
	}
}

// timePiped runs the built command over n generated records, as runPiped
// does but without the measuring helper, and returns its wall time and its
// CPU time.
func timePiped(t *testing.T, gen string, n int, bin string, args ...string) (wall, cpu time.Duration) {
	t.Helper()
	producer, pipe := synthPipe(t, gen, n)
	cmd := exec.Command(bin, append(args, maxInput...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pipe, io.Discard, io.Discard
	start := time.Now()
	require.NoError(t, producer.Start())
	require.NoError(t, cmd.Run())
	wall = time.Since(start)
	require.NoError(t, producer.Wait())
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// runPiped runs the built command, under the measuring helper, over n
// records of a busy account's month (5,000 keys) that the synth binary
// writes to its standard input, and returns its exit status, standard
// error, peak RSS in bytes and wall time. Its standard output is discarded.
func runPiped(t *testing.T, gen string, n int, bin string, args ...string) (code int, stderr string, rss int64, elapsed time.Duration) {
	t.Helper()
	producer, pipe := synthPipe(t, gen, n)
	var errOut bytes.Buffer
	require.NoError(t, producer.Start())
	code, rss, elapsed = runMeasured(t, pipe, io.Discard, &errOut, bin, append(args, maxInput...)...)
	require.NoError(t, producer.Wait())
	return code, errOut.String(), rss, elapsed
}

// maxInput lets a month of records (16 GB) through, past the default
// -max-input-bytes.
var maxInput = []string{"-max-input-bytes", "100000000000"}

// synthPipe returns the synth command that writes n records over 5,000 keys,
// a month's worth at ten million, and its standard output.
func synthPipe(t *testing.T, gen string, n int) (*exec.Cmd, io.Reader) {
	t.Helper()
	producer := exec.Command(gen, "-testdata", "../../testdata", "-records", strconv.Itoa(n), "-keys", "5000", "-step", "520ms")
	pipe, err := producer.StdoutPipe()
	require.NoError(t, err)
	return producer, pipe
}
