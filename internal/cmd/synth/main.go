// Synth writes a deterministic CloudTrail log file made from the fixtures in
// testdata/, for benchmarks and stress runs.
//
// Usage:
//
//	go run ./internal/cmd/synth [-size bytes] [-records n] [-keys n] [-step d] [-gzip] [-seed n] > trail.json
//
// -size stops after the first record that takes the file past that many
// bytes (suffixes k, m, g); -records writes exactly n records. -keys spreads
// the KMS records over that many keys (synth.Generator.Keys), and -step is
// the most time between records: the audit's stress run is a month of a busy
// account, -records 10000000 -keys 5000 -step 520ms.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/kmstrail/kmstrail/internal/synth"
)

func main() {
	size := flag.String("size", "", "approximate size of the log file (e.g. 1g)")
	records := flag.Int("records", 1000, "number of records, when -size is not given")
	gz := flag.Bool("gzip", false, "gzip the output")
	seed := flag.Uint64("seed", 1, "random seed")
	testdata := flag.String("testdata", "testdata", "directory holding kms/ and services/ templates")
	keys := flag.Int("keys", 0, "spread the KMS records over this many keys (0: the templates' keys)")
	step := flag.Duration("step", 0, "the most time between two records (default 2s)")
	flag.Parse()
	g, err := synth.New(os.DirFS(*testdata), *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	g.Keys, g.MaxStep = *keys, *step
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	var w io.Writer = out
	var zw *gzip.Writer
	if *gz {
		zw = gzip.NewWriter(out)
		w = zw
	}
	if *size != "" {
		n, err := parseSize(*size)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		err = writeSized(g, w, n)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	} else if err := g.WriteLogFile(w, *records); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// writeSized writes a log file of about n bytes.
func writeSized(g *synth.Generator, w io.Writer, n int64) error {
	buf := []byte(`{"Records":[`)
	var written int64
	first := true
	for written+int64(len(buf)) < n {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = g.Record(buf)
		if len(buf) > 1<<20 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			written += int64(len(buf))
			buf = buf[:0]
		}
	}
	buf = append(buf, "]}\n"...)
	_, err := w.Write(buf)
	return err
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1<<10, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "m"):
		mult, s = 1<<20, strings.TrimSuffix(s, "m")
	case strings.HasSuffix(s, "g"):
		mult, s = 1<<30, strings.TrimSuffix(s, "g")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err
}
