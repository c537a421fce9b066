//go:build unix

// The stress tests measure peak RSS through getrusage, so they build where
// it exists.

package main

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
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
	return goBuild(t, "kmstrail", ".")
}

// goBuild builds a command's package into a temporary directory, without
// -race whatever the test's flags, and returns the binary's path.
func goBuild(t *testing.T, name, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// stressCLI builds the command for a stress test, which -short skips.
func stressCLI(t *testing.T, what string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping " + what)
	}
	return buildCLI(t)
}

// maxRSS returns a process's peak RSS in bytes: getrusage reports it in
// bytes on Apple systems and in kilobytes elsewhere.
func maxRSS(ru *syscall.Rusage) int64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}

// runCLI runs the built command and returns its exit status, peak RSS in
// bytes and wall time.
func runCLI(t *testing.T, bin string, args ...string) (int, int64, time.Duration) {
	t.Helper()
	code, _, _, rss, elapsed := runCLIOutput(t, bin, args...)
	return code, rss, elapsed
}

// runCLIOutput is runCLI with the command's standard output and error.
//
// The command runs under a copy of the test binary (see TestMain) that
// reports its peak RSS: Linux carries the RSS high-water mark of the process
// that execs across exec, and Go starts children with vfork, so measured
// directly the command would be charged with this test process's own peak.
// The helper is small, so it adds little to the figure.
func runCLIOutput(t *testing.T, bin string, args ...string) (code int, stdout, stderr string, rss int64, elapsed time.Duration) {
	t.Helper()
	var out, errOut bytes.Buffer
	code, rss, elapsed = runMeasured(t, nil, &out, &errOut, bin, args...)
	return code, out.String(), errOut.String(), rss, elapsed
}

// runMeasured runs the built command under the measuring helper with the
// given standard streams (nil standard input reads nothing), and returns
// its exit status, peak RSS in bytes and wall time.
func runMeasured(t *testing.T, stdin io.Reader, stdout, stderr io.Writer, bin string, args ...string) (code int, rss int64, elapsed time.Duration) {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	report := filepath.Join(t.TempDir(), "rusage")
	cmd := exec.Command(self, append([]string{bin}, args...)...)
	cmd.Env = append(os.Environ(), measureEnv+"="+report)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	start := time.Now()
	err = cmd.Run()
	elapsed = time.Since(start)
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	b, err := os.ReadFile(report)
	require.NoError(t, err, "the measuring helper did not report")
	rss, err = strconv.ParseInt(string(b), 10, 64)
	require.NoError(t, err)
	return code, rss, elapsed
}

// measureEnv names the file where the test binary, started as the measuring
// helper, writes its child's peak RSS in bytes.
const measureEnv = "KMSTRAIL_TEST_RUSAGE"

// TestMain turns the test binary into the measuring helper of runCLIOutput
// when measureEnv is set: it runs its arguments as a command, passing its
// standard streams and exit status through.
func TestMain(m *testing.M) {
	if report := os.Getenv(measureEnv); report != "" {
		cmd := exec.Command(os.Args[1], os.Args[2:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		err := cmd.Run()
		if cmd.ProcessState == nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(125)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if err := os.WriteFile(report, []byte(strconv.FormatInt(maxRSS(ru), 10)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(125)
		}
		os.Exit(cmd.ProcessState.ExitCode())
	}
	os.Exit(m.Run())
}

// writeInput writes a file named name in a temporary directory through a
// buffered writer, and returns its path.
func writeInput(t *testing.T, name string, write func(w *bufio.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriterSize(f, 1<<20)
	write(w)
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return path
}

// TestFlatMemory runs the command over a generated 1 GiB log file: memory
// must not grow with the input (64 MiB peak RSS at most).
func TestFlatMemory(t *testing.T) {
	bin := stressCLI(t, "the 1 GiB run")
	g, err := synth.New(os.DirFS("../../testdata"), 1)
	require.NoError(t, err)
	n := 0
	path := writeInput(t, "111122223333_CloudTrail_us-west-2_20250521T0545Z_big.json", func(w *bufio.Writer) {
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
	})

	code, rss, elapsed := runCLI(t, bin, "-o", "table", path)
	assert.Equal(t, 0, code)
	t.Logf("%d records, 1 GiB: peak RSS %.1f MiB in %v", n, float64(rss)/(1<<20), elapsed)
	assert.Less(t, rss, int64(64<<20), "peak RSS")
}

// hangGuard bounds the hostile-input runs: each ends in a second or two, so
// this much longer bound only catches a hang, not a slow machine.
const hangGuard = 60 * time.Second

// stressRecord is a small record for the hostile inputs to surround.
const stressRecord = `{"eventVersion":"1.08","eventTime":"2025-05-21T05:42:31Z","eventSource":"kms.amazonaws.com",` +
	`"eventName":"ListAliases","awsRegion":"us-west-2","eventID":"0d5a1f53-1b37-4e8b-a5b5-7f4bb8f5c9c1"}`

// TestGzipBomb feeds the command a 10 GiB gzip bomb: a log file whose first
// record is followed by 10 GiB of spaces (valid JSON whitespace, so only the
// compression ratio limit stops it), compressed about 1000 times. The
// record before the bomb is printed, the limit is reported with its
// position, and the run ends within seconds in bounded memory.
func TestGzipBomb(t *testing.T) {
	bin := stressCLI(t, "the gzip bomb")
	path := filepath.Join(t.TempDir(), "bomb.json.gz")
	prefix := `{"Records":[` + stressRecord + ",\n"
	require.NoError(t, os.WriteFile(path, gzipBomb(t, []byte(prefix), 10<<30), 0o644))
	fi, err := os.Stat(path)
	require.NoError(t, err)

	code, out, stderr, rss, elapsed := runCLIOutput(t, bin, "-o", "json", path)
	t.Logf("%.1f MB bomb expanding to 10 GiB: exit %d, peak RSS %.1f MiB in %v; %s",
		float64(fi.Size())/1e6, code, float64(rss)/(1<<20), elapsed, strings.TrimSpace(stderr))
	assert.Equal(t, 1, code)
	assert.Equal(t, 1, strings.Count(out, "\n"), "the record before the bomb is printed")
	assert.Contains(t, stderr, "bomb.json.gz:2:")
	assert.Contains(t, stderr, "raise -max-compression-ratio")
	assert.Less(t, rss, int64(64<<20), "peak RSS")
	assert.Less(t, elapsed, hangGuard)
}

// gzipBomb returns a gzip member holding prefix and then size+1 bytes of
// spaces (size a multiple of 1 MiB). The spaces are one deflate block, compressed once and repeated,
// so that building 10 GiB takes no longer than checksumming it.
func gzipBomb(t *testing.T, prefix []byte, size int64) []byte {
	t.Helper()
	const chunk = 1 << 20
	spaces := bytes.Repeat([]byte{' '}, chunk)
	var out bytes.Buffer
	// Header: magic, deflate, no flags, no mtime, no extra flags, Unix.
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3})
	fw, err := flate.NewWriter(&out, flate.BestCompression)
	require.NoError(t, err)
	fw.Write(prefix)
	fw.Write([]byte{' '}) // so that the blocks below may refer back one byte
	require.NoError(t, fw.Flush())
	// A block of chunk spaces that copies the byte before it, byte-aligned
	// by a sync flush, so it can be repeated as is.
	var blk bytes.Buffer
	bw, err := flate.NewWriter(&blk, flate.BestCompression)
	require.NoError(t, err)
	bw.Write(spaces)
	require.NoError(t, bw.Flush())
	block := blk.Bytes()
	// The block's first byte is a literal space: it decodes alone, so the
	// stream stays valid whatever precedes it.
	crc := crc32.Update(crc32.ChecksumIEEE(prefix), crc32.IEEETable, []byte{' '})
	n := int64(1)
	for n < size {
		out.Write(block)
		crc = crc32.Update(crc, crc32.IEEETable, spaces)
		n += chunk
	}
	out.Write([]byte{3, 0}) // an empty final block
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(int64(len(prefix))+n))
	out.Write(trailer[:])
	return out.Bytes()
}

// TestGzipBombIsGzip checks that the bomb builder writes a well-formed
// gzip member (checksum and size included) that expands as intended.
func TestGzipBombIsGzip(t *testing.T) {
	bomb := gzipBomb(t, []byte("prefix"), 16<<20)
	zr, err := gzip.NewReader(bytes.NewReader(bomb))
	require.NoError(t, err)
	zr.Multistream(false)
	got, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, 6+1+16<<20, len(got))
	assert.Equal(t, "prefix    ", string(got[:10]))
	assert.Empty(t, strings.Trim(string(got[6:]), " "))
	assert.Less(t, len(bomb), 16<<20/500)
}

// TestHugeString feeds the command a log file with a 100 MB string in its
// second record: that record fails with the MaxStringBytes limit, the records
// around it are printed, and the run ends within seconds in bounded memory.
func TestHugeString(t *testing.T) {
	bin := stressCLI(t, "the 100 MB string")
	path := writeInput(t, "huge.json", func(w *bufio.Writer) {
		w.WriteString(`{"Records":[` + stressRecord + ",\n")
		w.WriteString(`{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"PutKeyPolicy","requestParameters":{"policy":"`)
		line := bytes.Repeat([]byte("A"), 1<<20)
		for range 100 {
			w.Write(line)
		}
		w.WriteString("\"}},\n" + stressRecord + "]}\n")
	})

	code, out, stderr, rss, elapsed := runCLIOutput(t, bin, "-o", "json", path)
	t.Logf("100 MiB string: exit %d, peak RSS %.1f MiB in %v; %s", code, float64(rss)/(1<<20), elapsed, strings.TrimSpace(stderr))
	assert.Equal(t, 1, code)
	assert.Equal(t, 2, strings.Count(out, "\n"), "the records around the string are printed")
	assert.Contains(t, stderr, "huge.json:2:115: record 1: /requestParameters/policy: limit exceeded: string longer than 4194304 bytes (raise -max-string-bytes)")
	assert.Less(t, rss, int64(64<<20), "peak RSS")
	assert.Less(t, elapsed, hangGuard)
}

// TestHeavyRecords feeds the command records built to cost the most
// within the default limits: arrays of zeros past MaxValues (which fail),
// and, which decode, an array of 900,000 zeros, KMS requests of 600,000
// unmodeled members (each a diagnostic, before MaxDiagnostics; counting
// their positions from the record's start once made this quadratic), and
// records of three strings just under MaxStringBytes. The records around
// them are printed, in bounded time and memory (before MaxValues, the
// first kind alone took 735 MB; see README, Security).
func TestHeavyRecords(t *testing.T) {
	bin := stressCLI(t, "the heavy records")
	path := writeInput(t, "heavy.json", func(w *bufio.Writer) {
		w.WriteString(`{"Records":[` + stressRecord)
		for range 20 {
			w.WriteString(",\n" + stressRecord)
		}
		heavy := func(requestParameters func()) {
			w.WriteString(",\n" + `{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"Decrypt","requestParameters":`)
			requestParameters()
			w.WriteString("}")
		}
		zeros := func(n int) func() {
			return func() {
				w.WriteString(`{"a":[`)
				for range n {
					w.WriteString("0,")
				}
				w.WriteString("0]}")
			}
		}
		members := func() {
			w.WriteString("{")
			for i := range 600_000 {
				fmt.Fprintf(w, `"%x":0,`, i)
			}
			w.WriteString(`"z":0}`)
		}
		long := `"` + strings.Repeat("x", 4<<20-1024) + `"`
		strs := func() { w.WriteString(`{"a":` + long + `,"b":` + long + `,"c":` + long + `}`) }
		for _, p := range []func(){zeros(4_000_000), zeros(4_000_000), zeros(900_000), zeros(900_000), members, members, strs, strs} {
			heavy(p)
		}
		for range 20 {
			w.WriteString(",\n" + stressRecord)
		}
		w.WriteString("]}\n")
	})

	code, out, stderr, rss, elapsed := runCLIOutput(t, bin, path)
	t.Logf("heavy records: exit %d, peak RSS %.1f MiB in %v", code, float64(rss)/(1<<20), elapsed)
	assert.Equal(t, 1, code)
	assert.Equal(t, 1+41+6, strings.Count(out, "\n"), "the heading, the 41 small records and all but two heavy ones")
	assert.Equal(t, 2, strings.Count(stderr, "more than 1048576 members and elements (raise -max-values)"), stderr)
	assert.Less(t, rss, int64(256<<20), "peak RSS")
	assert.Less(t, elapsed, hangGuard)
}

// TestEnvelopeOfManyRecords runs the command over envelopes read whole that
// hold 150,000 tiny records each, the most records per byte within
// MaxRecordBytes. All are printed, in memory that follows the envelope's
// size and not its records' count: when every record of the envelope was
// queued at once, they peaked at 210 to 290 MiB; gone through a batch at a
// time, at 85 to 160 MiB (on 2026-12-02; each bound is between the two).
// LookupEvents output whose Events come first is streamed: 17 MiB.
func TestEnvelopeOfManyRecords(t *testing.T) {
	bin := stressCLI(t, "the envelopes of many records")
	const n = 150_000
	tiny := func(i int) string { return fmt.Sprintf(`{"eventVersion":"1.08","eventName":"E%d"}`, i) }
	for _, env := range []struct {
		name        string
		open, close string
		record      func(i int) string
		maxMiB      int64
	}{
		{"Records member last", `{"note":"x","Records":[`, "]}", tiny, 160},
		{"CloudWatch Logs", `{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"g","logStream":"s","logEvents":[`, "]}",
			func(i int) string { return fmt.Sprintf(`{"id":"%d","timestamp":1,"message":%q}`, i, tiny(i)) }, 224},
		{"LookupEvents output, Events not first", `{"ResponseMetadata":{},"Events":[`, "]}",
			func(i int) string { return fmt.Sprintf(`{"EventId":"%d","CloudTrailEvent":%q}`, i, tiny(i)) }, 192},
		// Streamed, as a log file is.
		{"LookupEvents output", `{"Events":[`, "]}",
			func(i int) string { return fmt.Sprintf(`{"EventId":"%d","CloudTrailEvent":%q}`, i, tiny(i)) }, 64},
	} {
		t.Run(env.name, func(t *testing.T) {
			path := writeInput(t, "envelope.json", func(w *bufio.Writer) {
				w.WriteString(env.open)
				for i := range n {
					if i > 0 {
						w.WriteByte(',')
					}
					w.WriteString(env.record(i))
				}
				w.WriteString(env.close + "\n")
			})
			code, out, stderr, rss, elapsed := runCLIOutput(t, bin, path)
			t.Logf("%s: peak RSS %.1f MiB in %v", env.name, float64(rss)/(1<<20), elapsed)
			assert.Equal(t, 0, code, stderr)
			assert.Equal(t, 1+n, strings.Count(out, "\n"), "the heading and every record")
			assert.Less(t, rss, env.maxMiB<<20, "peak RSS")
			assert.Less(t, elapsed, hangGuard)
		})
	}
}

// TestEnvelopeOfRepairedRecords runs -repair over a log file read whole
// (its Records member last) of 300,000 records, each missing a comma.
// Finding each record's edits among the envelope's walked all of them, which
// made it quadratic: 100,000 such records took 20 s, and these about three
// minutes. All are printed, well within the hang guard.
func TestEnvelopeOfRepairedRecords(t *testing.T) {
	bin := stressCLI(t, "the envelope of repaired records")
	const n = 300_000
	path := writeInput(t, "repaired.json", func(w *bufio.Writer) {
		w.WriteString(`{"note":"x","Records":[`)
		for i := range n {
			if i > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, `{"eventVersion":"1.08" "eventName":"E%d"}`, i)
		}
		w.WriteString("]}\n")
	})
	code, out, stderr, rss, elapsed := runCLIOutput(t, bin, "-repair", path)
	t.Logf("peak RSS %.1f MiB in %v", float64(rss)/(1<<20), elapsed)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, 1+n, strings.Count(out, "\n"), "the heading and every record")
	assert.Less(t, elapsed, hangGuard)
}

// TestLargeEnvelopeReadWhole: a 77 MB log file whose Records member is last
// must be read whole. Its limit errors name the envelope (not a member deep
// inside one of its records, as they did) and the flag to raise; raising
// each flag as its error says decodes every record.
func TestLargeEnvelopeReadWhole(t *testing.T) {
	bin := stressCLI(t, "the 77 MB envelope")
	g, err := synth.New(os.DirFS("../../testdata"), 7)
	require.NoError(t, err)
	records := 0
	path := writeInput(t, "records-last.json", func(w *bufio.Writer) {
		w.WriteString(`{"note":"Records last","Records":[`)
		var rec []byte
		for n := 0; n < 77<<20; records++ {
			if records > 0 {
				w.WriteByte(',')
			}
			rec = g.Record(rec[:0])
			w.Write(rec)
			n += len(rec) + 1
		}
		w.WriteString("]}\n")
	})
	sizeOf := regexp.MustCompile(`^` + regexp.QuoteMeta(path) + `:1:1: limit exceeded: the log file, read whole because its Records member is not first, is (\d+) bytes, more than \d+ \(raise (-max-record-bytes)\)\n`)
	valuesOf := regexp.MustCompile(`^` + regexp.QuoteMeta(path) + `:1:1: limit exceeded: the log file, read whole because its Records member is not first, holds more than (\d+) members and elements \(raise (-max-values)\)\n`)
	var args []string
	for round := 0; ; round++ {
		require.Less(t, round, 6, "the errors do not lead to a decoding")
		code, out, stderr, rss, elapsed := runCLIOutput(t, bin, append(args, "-o", "json", path)...)
		t.Logf("%v: exit %d, peak RSS %.0f MiB in %v", args, code, float64(rss)/(1<<20), elapsed)
		if code == 0 {
			assert.Equal(t, records, strings.Count(out, "\n"))
			break
		}
		require.Equal(t, 1, code, stderr)
		assert.Empty(t, out)
		if m := sizeOf.FindStringSubmatch(stderr); m != nil {
			args = append(args, m[2], m[1])
			continue
		}
		m := valuesOf.FindStringSubmatch(stderr)
		require.NotNil(t, m, "the error names the envelope and a flag:\n%s", stderr)
		n, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		args = append(args, m[2], strconv.Itoa(2*n))
	}
}
