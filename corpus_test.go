package kmstrail

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

const corpusDir = "../shared/corpus"

// corpusFiles lists the shared corpus's files, skipping the test when the
// corpus is absent.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(corpusDir, "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Skip("../shared/corpus is absent")
	}
	return files
}

// corpusOutcome is what reading one corpus file gave, in one mode.
type corpusOutcome struct {
	decoded, failed, notices int
	errs                     []string
}

func (o corpusOutcome) String() string {
	s := fmt.Sprintf("decoded=%d failed=%d notices=%d", o.decoded, o.failed, o.notices)
	for _, e := range o.errs {
		s += "\n\t" + e
	}
	return s
}

// TestCorpus reads every file of the shared corpus with and without Repair
// and compares what it gives with testdata/corpus.golden: records decoded,
// records failed (with their positioned errors) and notices. Every decoded
// record must marshal back to its input as a JSON value, except where a
// diagnostic reports a normalization. For files that are valid JSON the
// number of records they hold is counted independently (with encoding/json)
// and must equal decoded + failed.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	manifest := manifestCounts(t)
	var golden bytes.Buffer
	golden.WriteString("# What kmstrail makes of each file of ../shared/corpus: go test -run TestCorpus -update rewrites it.\n")
	for _, path := range files {
		rel, _ := filepath.Rel(corpusDir, path)
		for _, repair := range []bool{false, true} {
			out := readCorpusFile(t, path, repair)
			mode := "strict"
			if repair {
				mode = "repair"
			}
			fmt.Fprintf(&golden, "%s %s %s\n", rel, mode, out)
			in, ok := countRecords(t, path)
			if !ok {
				// Not valid JSON: the manifest counts the records a
				// lenient reader finds.
				in, ok = manifest[rel]
				if extra, listed := extraElements[rel]; listed {
					in += extra
				}
			}
			if ok {
				assert.Equal(t, in, out.decoded+out.failed, "%s (%s): records in != decoded + failed\n%s", rel, mode, out)
			}
		}
	}
	goldenPath := filepath.Join("testdata", "corpus.golden")
	if *update {
		require.NoError(t, os.WriteFile(goldenPath, golden.Bytes(), 0o644))
	}
	want, err := os.ReadFile(goldenPath)
	require.NoError(t, err)
	if !assert.Equal(t, string(want), golden.String(), "mismatch with %s (-want +got); run with -update if intended", goldenPath) {
		return
	}
}

// extraElements lists invalid corpus files holding elements that the
// manifest's lenient reader skipped but that are, for kmstrail, records that
// fail.
var extraElements = map[string]int{
	// "..additional entries" stands in the Records array as an element.
	"files/awsdocs-amazon-cloudwatch-user-guide/logging_cw_api_calls__01.json": 1,
}

// manifestCounts reads the corpus manifest's record count per file.
func manifestCounts(t *testing.T) map[string]int {
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST.tsv"))
	require.NoError(t, err)
	defer f.Close()
	counts := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		var n int
		if len(cols) > 6 {
			if _, err := fmt.Sscan(cols[6], &n); err == nil {
				counts[cols[0]] = n
			}
		}
	}
	return counts
}

// readCorpusFile reads one file, checking each record's round trip.
func readCorpusFile(t *testing.T, path string, repair bool) corpusOutcome {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r := NewReader(f)
	r.Path = filepath.Base(path)
	r.Repair = repair
	var out corpusOutcome
	for ev, err := range r.All() {
		switch {
		case err == nil:
			out.decoded++
			checkRoundTrip(t, path, ev, repair)
		case errors.Is(err, ErrNoRecords):
			out.notices++
			out.errs = append(out.errs, "notice: "+err.Error())
		default:
			var e *Error
			require.True(t, errors.As(err, &e), "%s: error %v is not an *Error", path, err)
			if e.Record >= 0 {
				out.failed++
			}
			out.errs = append(out.errs, err.Error())
		}
	}
	return out
}

// checkRoundTrip checks that marshaling ev gives back its record as a JSON
// value, every difference being one of its Normalized diagnostics.
func checkRoundTrip(t *testing.T, path string, ev *Event, repair bool) {
	t.Helper()
	raw := ev.Raw
	if repair {
		sc, err := jsonscan.ScanDocument(raw, defaultLimits().scan(true))
		require.NoError(t, err)
		raw = jsonscan.ApplyEdits(sc.Raw, sc.Edits)
	}
	out, err := json.Marshal(ev)
	require.NoError(t, err)
	var in, back any
	require.NoError(t, decodeNumbers(raw, &in), "%s: raw record", path)
	require.NoError(t, decodeNumbers(out, &back), "%s: marshaled record is not JSON: %s", path, out)
	var diffs []string
	diffJSON("", in, back, &diffs)
	for _, d := range diffs {
		covered := slices.ContainsFunc(ev.Diagnostics, func(dg Diagnostic) bool {
			return dg.Kind == Normalized && dg.Pointer != "" && (d == dg.Pointer || strings.HasPrefix(d, dg.Pointer+"/"))
		})
		assert.True(t, covered, "%s record %d: %s changed in marshaling without a diagnostic", path, ev.Source.Record, d)
	}
}

func decodeNumbers(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

// diffJSON appends the JSON Pointers at which a and b differ.
func diffJSON(p string, a, b any, out *[]string) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			*out = append(*out, p)
			return
		}
		for k, v := range x {
			if w, ok := y[k]; ok {
				diffJSON(p+"/"+k, v, w, out)
			} else {
				*out = append(*out, p+"/"+k)
			}
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				*out = append(*out, p+"/"+k)
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			*out = append(*out, p)
			return
		}
		for i := range x {
			diffJSON(fmt.Sprintf("%s/%d", p, i), x[i], y[i], out)
		}
	default:
		if !reflect.DeepEqual(a, b) {
			*out = append(*out, p)
		}
	}
}

// countRecords counts, independently of the Reader, the records a corpus
// file holds, when it is valid JSON: the elements of a Records array or of
// a top-level array, the events of an envelope, or 1 for a bare record.
// Notifications and digests hold none.
func countRecords(t *testing.T, path string) (int, bool) {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		data, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return 0, false
	}
	return countIn(v), true
}

func countIn(v any) int {
	switch x := v.(type) {
	case []any:
		n := 0
		for _, e := range x {
			if m, ok := e.(map[string]any); ok && !isRecordLike(m) {
				n += countIn(m)
			} else {
				n++
			}
		}
		return n
	case map[string]any:
		switch {
		case x["Records"] != nil:
			return countIn(x["Records"])
		case x["detail-type"] != nil:
			return 1
		case x["logEvents"] != nil:
			if x["messageType"] == "CONTROL_MESSAGE" {
				return 0
			}
			return len(x["logEvents"].([]any))
		case x["Events"] != nil:
			return len(x["Events"].([]any))
		case x["_raw"] != nil:
			return 1
		case x["Type"] != nil && (x["Message"] != nil || x["TopicArn"] != nil),
			x["digestS3Object"] != nil, x["s3Bucket"] != nil:
			return 0
		case x["eventSource"] == "aws:s3":
			return 0
		}
		return 1
	}
	return 1
}

// isRecordLike reports whether an array element is a record (or something
// that fails as one) rather than an envelope.
func isRecordLike(m map[string]any) bool {
	return m["_raw"] == nil && m["detail-type"] == nil
}

// TestCorpusOddities checks the corpus's catalogue of odd records: each
// record it lists with a non-ISO date inside a KMS record decodes, and the
// file's records come out in the catalogue's order.
func TestCorpusOddities(t *testing.T) {
	corpusFiles(t)
	f, err := os.Open(filepath.Join(corpusDir, "ODDITIES.tsv"))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	checked := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[2] != KMSEventSource || !strings.Contains(cols[4], "non-ISO date") {
			continue
		}
		r := openReader(t, filepath.Join(corpusDir, cols[0]), true)
		evs, errs := readAll(t, r)
		require.Empty(t, errs, cols[0])
		require.NotEmpty(t, evs, cols[0])
		assert.Equal(t, cols[3], evs[0].EventName, cols[0])
		checked++
	}
	assert.Positive(t, checked)
}
