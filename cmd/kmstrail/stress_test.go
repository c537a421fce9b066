package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/kmstrail/kmstrail/internal/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildCLI builds kmstrail into a temporary directory.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kmstrail")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// runCLI runs the built command and returns its exit status, peak RSS in
// bytes and wall time.
func runCLI(t *testing.T, bin string, args ...string) (int, int64, time.Duration) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return code, ru.Maxrss * 1024, elapsed // Linux reports kilobytes
}

// TestFlatMemory runs the command over a generated 1 GiB log file: memory
// must not grow with the input (64 MiB peak RSS at most).
func TestFlatMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 1 GiB run")
	}
	if runtime.GOOS != "linux" {
		t.Skip("peak RSS is read from Linux rusage")
	}
	bin := buildCLI(t)
	path := filepath.Join(t.TempDir(), "111122223333_CloudTrail_us-west-2_20250521T0545Z_big.json")
	f, err := os.Create(path)
	require.NoError(t, err)
	g, err := synth.New(os.DirFS("../../testdata"), 1)
	require.NoError(t, err)
	w := bufio.NewWriterSize(f, 1<<20)
	n := 0
	for size := 0; size < 1<<30; n++ {
		// About 650,000 records of 1.6 KB.
		rec := g.Record(nil)
		if n == 0 {
			w.WriteString(`{"Records":[`)
		} else {
			w.WriteByte(',')
		}
		w.Write(rec)
		size += len(rec) + 1
	}
	w.WriteString("]}\n")
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())

	code, rss, elapsed := runCLI(t, bin, "-o", "table", path)
	assert.Equal(t, 0, code)
	t.Logf("%d records, 1 GiB: peak RSS %.1f MiB in %v", n, float64(rss)/(1<<20), elapsed)
	assert.Less(t, rss, int64(64<<20), "peak RSS")
}
