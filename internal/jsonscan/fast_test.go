package jsonscan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kmstrail/kmstrail/internal/benchdata"
	"github.com/stretchr/testify/require"
)

// scanOpts are the scanner settings a comparison runs with.
type scanOpts struct {
	repair, oneLine            bool
	maxDepth, maxString, chunk int // 0: the defaults; chunk: bytes per Read
	maxValue, maxSlots         int
}

// scanStep is what one scanValue call produced, copied out of the scanner.
type scanStep struct {
	Err           string
	Start         int64
	Line, Col     int
	Raw           string
	Tape          []Slot
	Retained      bool
	Edits         []Edit
	Repairs       []Repair
	Dups          []Dup
	Elided        int
	Fault         *Fault
	Pos, ScanLine int64
	LineStart     int64
	FramesLeft    int
}

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	data []byte
	n    int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// scanSteps scans data value by value, with or without the fast path,
// until the end or the first syntax error.
func scanSteps(data []byte, o scanOpts, slow bool) []scanStep {
	chunk := o.chunk
	if chunk == 0 {
		chunk = len(data) + 1
	}
	s := newScanner(&chunkReader{data: data, n: chunk})
	if o.maxDepth > 0 {
		s.maxDepth = o.maxDepth
	}
	if o.maxString > 0 {
		s.maxString = o.maxString
	}
	if o.maxValue > 0 {
		s.maxValue = o.maxValue
	}
	if o.maxSlots > 0 {
		s.maxSlots = o.maxSlots
	}
	s.repair, s.oneLine, s.slowOnly = o.repair, o.oneLine, slow
	var steps []scanStep
	for range 10000 { // a bound, should a bug stop the scanner advancing
		sc, err := s.ScanValue()
		st := scanStep{Err: fmt.Sprintf("%#v", err), Pos: s.offset(s.pos), ScanLine: int64(s.line), LineStart: s.lineStart,
			FramesLeft: len(s.frames)}
		if sc != nil {
			st.Start, st.Line, st.Col, st.Raw = sc.Start, sc.Line, sc.Col, string(sc.Raw)
			st.Tape, st.Retained = append([]Slot(nil), sc.Tape...), sc.Retained
			st.Edits = append([]Edit(nil), sc.Edits...)
			st.Repairs = append([]Repair(nil), sc.Repairs...)
			st.Dups = append([]Dup(nil), sc.Dups...)
			st.Elided, st.Fault = sc.Elided, sc.Fault
		}
		steps = append(steps, st)
		if err != nil {
			break
		}
	}
	return steps
}

// checkScanFast fails the test if the fast path changes anything scanValue
// reports for data.
func checkScanFast(t *testing.T, name string, data []byte, o scanOpts) {
	t.Helper()
	require.Equal(t, scanSteps(data, o, true), scanSteps(data, o, false), "%s %+v", name, o)
}

// scanFastInputs returns the test inputs: the fixtures, the generated log
// file, and, when ../shared is present, JSONTestSuite and the corpus.
func scanFastInputs(t *testing.T) map[string][]byte {
	bench, err := benchdata.LogFile(testdataDir)
	require.NoError(t, err)
	inputs := map[string][]byte{"bench": bench}
	var paths []string
	for _, pat := range []string{testdataDir + "/*.json", testdataDir + "/*/*.json", testdataDir + "/*/*.jsonl",
		sharedDir + "/jsontestsuite/test_parsing/*.json"} {
		m, err := filepath.Glob(pat)
		require.NoError(t, err)
		paths = append(paths, m...)
	}
	_ = filepath.WalkDir(filepath.Join(sharedDir, "corpus", "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".gz") {
			paths = append(paths, p)
		}
		return err
	})
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		inputs[p] = data
	}
	require.Greater(t, len(inputs), 50)
	return inputs
}

// TestScanFastAgrees: the fast path reports exactly what the state machine
// does, for the fixtures and JSONTestSuite's valid and invalid documents,
// under each option that makes it give up (a repair, each limit, JSON
// Lines, the end of a small buffer).
func TestScanFastAgrees(t *testing.T) {
	opts := []scanOpts{{}, {repair: true}, {oneLine: true}, {maxString: 16}, {maxDepth: 3},
		{maxValue: 300}, {maxSlots: 7}, {maxSlots: 40}, {chunk: 4096}, {chunk: 5}, {maxDepth: 100000}}
	inputs := scanFastInputs(t)
	// Nested deeper than the fast path goes (fastMaxDepth), for the
	// MaxDepth that allows it.
	inputs["deep"] = []byte(strings.Repeat(`{"a":[`, 100) + "1" + strings.Repeat("]}", 100))
	// More elements than maxSlots allows, before any more members.
	inputs["long array"] = []byte(`{"a":[` + strings.Repeat("0,", 60) + `0]} [` + strings.Repeat("[],", 60) + `[]]`)
	for name, data := range inputs {
		if len(data) > 64<<10 {
			data = data[:64<<10] // the tail adds nothing but time
		}
		for _, o := range opts {
			checkScanFast(t, name, data, o)
		}
	}
}

// TestScanFastMutations: the two paths agree on each one-byte change of a
// compact record, at every position, to the bytes that matter to them.
func TestScanFastMutations(t *testing.T) {
	rec := []byte(`{"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},` +
		`"eventTime":"2025-05-21T05:47:45Z","eventName":"Decrypt","readOnly":true,"n":-1.5e3,"z":0,` +
		`"requestParameters":{"encryptionContext":{"a\u00e9":"\ud83d\ude00 \"q\" é"},"k":null,"l":[1,{"x":[]},"s",false]},` +
		`"resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k1","type":"AWS::KMS::Key"}]}`)
	subst := []byte{'"', '\\', ',', ':', '{', '}', '[', ']', ' ', '\n', 0x01, 0x80, 0xe9, 'x', '0', 'u', 'e', '.'}
	for i := range rec {
		for _, c := range subst {
			if rec[i] == c {
				continue
			}
			m := bytes.Clone(rec)
			m[i] = c
			checkScanFast(t, fmt.Sprintf("byte %d to %q", i, c), m, scanOpts{})
			checkScanFast(t, fmt.Sprintf("byte %d to %q, repair", i, c), m, scanOpts{repair: true})
		}
		// Cut short, and followed by a second value.
		checkScanFast(t, fmt.Sprintf("cut at %d", i), rec[:i], scanOpts{})
		checkScanFast(t, fmt.Sprintf("cut at %d, then a record", i), append(bytes.Clone(rec[:i]), "\n"+string(rec)...), scanOpts{})
	}
}

// TestScanFastTakes: the fast path does map the generated records (the
// tests above would pass with it switched off).
func TestScanFastTakes(t *testing.T) {
	bench, err := benchdata.LogFile(testdataDir)
	require.NoError(t, err)
	var log struct{ Records []json.RawMessage }
	require.NoError(t, json.Unmarshal(bench, &log))
	require.Len(t, log.Records, 1000)
	for i, rec := range log.Records {
		s := newScanner(bytes.NewReader(rec))
		_, ok, _ := s.SkipSpace()
		require.True(t, ok)
		s.mark = s.pos
		require.True(t, s.scanFast(), "record %d", i)
		require.Equal(t, len(rec), s.pos)
		require.NotEmpty(t, s.tape)
		// subTape searches the tape on this order.
		require.True(t, slices.IsSortedFunc(s.tape, func(a, b Slot) int { return int(a.ValOff - b.ValOff) }), "record %d", i)
	}
}

// FuzzScanFast compares the fast path with the state machine on any input.
func FuzzScanFast(f *testing.F) {
	for _, name := range []string{testdataDir + "/ImportKeyMaterial-seed.json", testdataDir + "/kms/Decrypt-basic.json"} {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data, uint8(0))
	}
	f.Add([]byte(`{"a":[1,"\ud800",{"b":"\u00e9"}],"a":1}`), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		o := scanOpts{repair: flags&1 != 0, oneLine: flags&2 != 0}
		if flags&4 != 0 {
			o.maxString = 8
		}
		if flags&8 != 0 {
			o.maxDepth = 2
		}
		if flags&16 != 0 {
			o.chunk = 7
		}
		if flags&32 != 0 {
			o.maxSlots = 5
		}
		checkScanFast(t, "fuzz", data, o)
	})
}
