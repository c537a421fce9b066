package jsonscan

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScanRepair tests the syntax layer in both modes in one table, as
// x/mod/modfile tests Parse and ParseLax: ok says whether the default mode
// accepts the input, repairOK whether Repair does, and repaired is what
// Repair turns it into.
func TestScanRepair(t *testing.T) {

	for _, tt := range scanRepairTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scanDocument([]byte(tt.in), false)
			if tt.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				var f *Fault
				require.True(t, errors.As(err, &f), "error %v is not a fault", err)
				assert.Equal(t, tt.wantErr, f.Kind, "error %v", err)
				assert.Equal(t, tt.errPos, [2]int{f.Line, f.Col}, "error %v", err)
			}
			sc, err := scanDocument([]byte(tt.in), true)
			if !tt.repairOK {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			if tt.ok {
				assert.Empty(t, sc.Edits)
				return
			}
			assert.Equal(t, tt.repaired, string(ApplyEdits(sc.Raw, sc.Edits)))
			require.NotEmpty(t, sc.Repairs)
			assert.Equal(t, tt.repairLine, sc.Repairs[0].Line)
			assert.NotZero(t, sc.Repairs[0].Kind)
			assert.True(t, jsontext.Value(ApplyEdits(sc.Raw, sc.Edits)).IsValid())
		})
	}
}

// scanRepairTests are the cases of TestScanRepair.
var scanRepairTests = []struct {
	name       string
	in         string
	ok         bool
	repairOK   bool
	repaired   string // the repaired text, when repairOK and not ok
	errPos     [2]int // line, column of the default mode's error
	wantErr    FaultKind
	repairLine int // line of the first repair
}{
	{name: "valid", in: `{"a":1,"b":[1,2]}`, ok: true, repairOK: true},
	{
		// The slip of AWS's ImportKeyMaterial example (and six others,
		// kms-catalogue §5): a member without its comma.
		name: "missing comma between members", in: "{\n\"a\": \"1\"\n\"b\": 2\n}",
		repairOK: true, repaired: "{\n\"a\": \"1\",\n\"b\": 2\n}",
		errPos: [2]int{3, 1}, wantErr: Syntax, repairLine: 3,
	},
	{
		name: "missing comma between elements", in: "[1\n2]",
		repairOK: true, repaired: "[1,\n2]", errPos: [2]int{2, 1}, wantErr: Syntax, repairLine: 2,
	},
	{
		// ct-encrypt (2023 and current): a comma after the last member.
		name: "trailing comma in object", in: "{\"a\": 1,\n}",
		repairOK: true, repaired: "{\"a\": 1\n}", errPos: [2]int{2, 1}, wantErr: Syntax, repairLine: 1,
	},
	{
		name: "trailing comma in array", in: `[1, 2, ]`,
		repairOK: true, repaired: `[1, 2 ]`, errPos: [2]int{1, 8}, wantErr: Syntax, repairLine: 1,
	},
	{
		// Only a comma that whitespace shows the place of is
		// inserted: run-together tokens stay an error.
		name: "missing comma without space", in: `{"a":1"b":2}`,
		errPos: [2]int{1, 7}, wantErr: Syntax,
	},
	{name: "double comma", in: `[1,,2]`, errPos: [2]int{1, 4}, wantErr: Syntax},
	{name: "missing colon", in: `{"a" 1}`, errPos: [2]int{1, 6}, wantErr: Syntax},
	{name: "truncated", in: `{"a": [1, 2`, errPos: [2]int{1, 12}, wantErr: Truncated},
	{name: "truncated string", in: `{"a": "bc`, errPos: [2]int{1, 10}, wantErr: Truncated},
	{name: "control character", in: "[\"a\tb\"]", errPos: [2]int{1, 4}, wantErr: Syntax},
	{name: "bad escape", in: `["\x"]`, errPos: [2]int{1, 3}, wantErr: Syntax},
	{
		name: "invalid UTF-8", in: "[\"a\xffb\"]",
		repairOK: true, repaired: "[\"a\uFFFDb\"]", errPos: [2]int{1, 4}, wantErr: InvalidUTF8, repairLine: 1,
	},
	{
		name: "lone high surrogate", in: `["\uD800x"]`,
		repairOK: true, repaired: `["\uFFFDx"]`, errPos: [2]int{1, 3}, wantErr: InvalidUTF8, repairLine: 1,
	},
	{
		name: "lone low surrogate", in: `["\uDC00"]`,
		repairOK: true, repaired: `["\uFFFD"]`, errPos: [2]int{1, 3}, wantErr: InvalidUTF8, repairLine: 1,
	},
	{name: "surrogate pair", in: `["\uD834\uDD1E"]`, ok: true, repairOK: true},
	{name: "leading zero", in: `[01]`, errPos: [2]int{1, 3}, wantErr: Syntax},
	{name: "comment", in: "{\n// no\n}", errPos: [2]int{2, 1}, wantErr: Syntax},
}

// TestScanDuplicates checks duplicate member names anywhere in a value:
// identical values are reported, different ones fail the value.
func TestScanDuplicates(t *testing.T) {
	sc, err := scanDocument([]byte(`{"a":{"x":1,"x":1.0},"b":[{"y":[1, 2],"y":[1,2]}]}`), false)
	require.NoError(t, err)
	require.Nil(t, sc.Fault)
	require.Len(t, sc.Dups, 2)
	assert.Equal(t, "/a/x", sc.Dups[0].Pointer)
	assert.Equal(t, "/b/0/y", sc.Dups[1].Pointer)

	sc, err = scanDocument([]byte(`{"a":1,"b":2,"a":3}`), false)
	require.NoError(t, err)
	assert.Equal(t, DuplicateName, faultKind(sc.Fault))
	assert.Equal(t, "/a", sc.Fault.Pointer)
	assert.EqualValues(t, 13, sc.Fault.Offset)

	// Escaped names are compared unescaped.
	sc, _ = scanDocument([]byte(`{"a":1,"\u0061":2}`), false)
	assert.Equal(t, DuplicateName, faultKind(sc.Fault))

	// Large objects take the map path.
	var b strings.Builder
	b.WriteString("{")
	for i := range 100 {
		b.WriteString(`"k` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `":1,`)
	}
	b.WriteString(`"kaa":2}`)
	sc, _ = scanDocument([]byte(b.String()), false)
	assert.Equal(t, DuplicateName, faultKind(sc.Fault))
	assert.Equal(t, "/kaa", sc.Fault.Pointer)

	// On the map path too, escaped names are compared unescaped, an
	// identical duplicate is a diagnostic, and distinct names are not
	// duplicates.
	large := strings.TrimSuffix(b.String(), `"kaa":2}`)
	sc, _ = scanDocument([]byte(large+`"k\u0061a":2}`), false)
	assert.Equal(t, DuplicateName, faultKind(sc.Fault))
	sc, _ = scanDocument([]byte(large+`"kaa":1}`), false)
	require.Nil(t, sc.Fault)
	require.Len(t, sc.Dups, 1)
	assert.Equal(t, "/kaa", sc.Dups[0].Pointer)
	sc, _ = scanDocument([]byte(large+`"zz":2,"z\u007a":2}`), false)
	require.Nil(t, sc.Fault)
	require.Len(t, sc.Dups, 1)
	sc, _ = scanDocument([]byte(large+`"new":2}`), false)
	require.Nil(t, sc.Fault)
	assert.Empty(t, sc.Dups)
}

// TestFindMemberCollision: in a large object, findMember compares the
// names of the members whose hashes match, and goes on past those that
// differ. The seed is random, so the collisions are planted in the table.
func TestFindMemberCollision(t *testing.T) {
	s := newScanner(nil)
	s.buf = []byte(`{"x":1,"y":2,"y":3,"z":4}`)
	s.mark = 0
	s.tape = []Slot{{NameOff: 2, NameEnd: 3, Skip: 1}, {NameOff: 8, NameEnd: 9, Skip: 2}}
	x, y, z := s.nameHash(2, 3, false), s.nameHash(8, 9, false), s.nameHash(20, 21, false)
	large := func(entries ...[2]uint64) *frame {
		f := &frame{object: true, firstSlot: 0, count: 24, names: new(nameTable)}
		for _, e := range entries {
			f.names.add(e[0], int32(e[1]))
		}
		return f
	}
	// The second y: x's slot is planted under y's hash, before y's own.
	assert.Equal(t, int32(1), s.findMember(large([2]uint64{y, 0}, [2]uint64{x, 0}, [2]uint64{y, 1}), 14, 15, false))
	// z: y's slot is planted under z's hash; there is no earlier z.
	assert.Equal(t, int32(-1), s.findMember(large([2]uint64{x, 0}, [2]uint64{y, 1}, [2]uint64{z, 1}), 20, 21, false))
}

// TestNameTable: entries survive growth, and every one is found.
func TestNameTable(t *testing.T) {
	var tab nameTable
	for k := range int32(10000) {
		tab.add(uint64(k)*0x9E3779B97F4A7C15, k)
	}
	assert.Equal(t, 10000, tab.n)
	assert.LessOrEqual(t, 2*tab.n, len(tab.entries))
	for k := range int32(10000) {
		got := tab.find(uint64(k)*0x9E3779B97F4A7C15, func(j int32) bool { return j == k })
		require.Equal(t, k, got)
	}
	assert.Equal(t, int32(-1), tab.find(1<<63, func(int32) bool { return false }), "no name matches")
}

// TestScanLimits checks that crossing a limit fails the value but lets the
// scanner go on after it.
func TestScanLimits(t *testing.T) {
	s := newScanner(strings.NewReader(`["` + strings.Repeat("x", 100) + `"] [1]`))
	s.maxDepth, s.maxString, s.maxValue = 10, 50, 1000
	sc, err := s.ScanValue()
	require.NoError(t, err)
	require.NotNil(t, sc.Fault)
	assert.Equal(t, Limit, sc.Fault.Kind)
	assert.Equal(t, StringLimit, sc.Fault.Limit)
	assert.Equal(t, 50, sc.Fault.Max)
	sc, err = s.ScanValue()
	require.NoError(t, err)
	assert.Nil(t, sc.Fault)
	assert.Equal(t, "[1]", string(sc.Raw))

	s = newScanner(strings.NewReader(strings.Repeat("[", 11) + strings.Repeat("]", 11)))
	s.maxDepth, s.maxString, s.maxValue = 10, 50, 1000
	_, err = s.ScanValue()
	var f *Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, Limit, f.Kind)
	assert.Equal(t, DepthLimit, f.Limit)
	assert.Equal(t, "nesting deeper than 10 levels", f.Msg)
}

// TestJSONTestSuite runs the JSONTestSuite parsing cases through the
// scanner: every y_ case is accepted and every n_ case rejected with a
// positioned error, in the default mode. The i_ cases' outcomes are pinned
// here and listed in the README.
func TestJSONTestSuite(t *testing.T) {
	dir := filepath.Join(sharedDir, "jsontestsuite", "test_parsing")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skip("../shared/jsontestsuite is absent")
	}
	// Implementation-defined cases: accepted (true) or rejected (false).
	iCases := map[string]bool{
		"i_number_double_huge_neg_exp.json": true, "i_number_huge_exp.json": true,
		"i_number_neg_int_huge_exp.json": true, "i_number_pos_double_huge_exp.json": true,
		"i_number_real_neg_overflow.json": true, "i_number_real_pos_overflow.json": true,
		"i_number_real_underflow.json": true, "i_number_too_big_neg_int.json": true,
		"i_number_too_big_pos_int.json": true, "i_number_very_big_negative_int.json": true,
		// DefaultMaxDepth is 128.
		"i_structure_500_nested_arrays.json": false,
		// A byte order mark is not JSON text.
		"i_structure_UTF-8_BOM_empty_object.json": false,
	}
	for _, f := range files {
		name := filepath.Base(f)
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		_, err = scanDocument(data, false)
		switch {
		case strings.HasPrefix(name, "y_"):
			assert.NoError(t, err, name)
		case strings.HasPrefix(name, "n_"):
			if assert.Error(t, err, name) {
				var fault *Fault
				assert.True(t, errors.As(err, &fault) && fault.Line > 0, "%s: error %v has no position", name, err)
			}
		case strings.HasPrefix(name, "i_"):
			want, known := iCases[name]
			if !known {
				// Strings that are not UTF-8 and lone surrogates are
				// errors, replaced under Repair; UTF-16 text is an error.
				want = false
				assert.True(t, faultKind(err) == InvalidUTF8 || faultKind(err) == Syntax, "%s: %v", name, err)
				if faultKind(err) == InvalidUTF8 {
					_, rerr := scanDocument(data, true)
					assert.NoError(t, rerr, "%s under Repair", name)
				}
			}
			assert.Equal(t, want, err == nil, "%s: %v", name, err)
		}
	}
}

// TestScanOneByte checks that one-byte reads find the same values and
// faults as whole reads.
func TestScanOneByte(t *testing.T) {
	inputs := []string{
		`{"a":"\u00e9\uD834\uDD1E","b":[1,-2.5e+3,true,false,null]}`,
		"{\n\"a\": 1\n\"b\": 2,\n}",
		"[\"\xe2\x82\xac\", \"\xe2\x82\"]",
		`{"x":1,"x":2}`,
	}
	for _, in := range inputs {
		for _, repair := range []bool{false, true} {
			whole, werr := scanDocument([]byte(in), repair)
			s := newScanner(iotest.OneByteReader(strings.NewReader(in)))
			s.repair = repair
			one, oerr := s.ScanValue()
			require.NotEqual(t, io.EOF, oerr)
			assert.Equal(t, werr == nil, oerr == nil, "%q repair=%v: %v vs %v", in, repair, werr, oerr)
			if werr == nil && oerr == nil {
				assert.Equal(t, whole.Raw, one.Raw)
				assert.Equal(t, whole.Edits, one.Edits)
				assert.Equal(t, whole.Fault != nil, one.Fault != nil)
			}
		}
	}
}

// TestRepairRuns: a run of invalid UTF-8 bytes, or of lone surrogates, is
// one edit per maxRun of them, and still one replacement and one repair
// each; positions inside the repaired text map to the unit they replace, as
// with an edit for each.
func TestRepairRuns(t *testing.T) {
	const n, m = 2*maxRun + 500, maxRun + 1
	data := []byte(`{"a":"x` + strings.Repeat("\xff", n) + "y\xfe" + `","b":"` + "\xc0" + `","c":"` +
		strings.Repeat(`\udc00`, m) + `"}`)
	sc, err := scanDocument(data, true)
	require.NoError(t, err)
	assert.Equal(t, 3+1+1+2, len(sc.Edits), "edits: the run, the byte after it, the byte in b, the surrogates")
	fixed := ApplyEdits(sc.Raw, sc.Edits)
	assert.Equal(t, `{"a":"x`+strings.Repeat("\uFFFD", n)+"y\uFFFD\",\"b\":\"\uFFFD\",\"c\":\""+
		strings.Repeat(`\uFFFD`, m)+`"}`, string(fixed))
	assert.Len(t, sc.Repairs, testListed)
	assert.Equal(t, n+2+m-testListed, sc.Elided, "a repair for each unit")
	assert.Equal(t, 9, sc.Repairs[1].Col, "the run's second byte, after {\"a\":\"x and the first")

	var each []Edit
	for _, e := range sc.Edits {
		rp := fffdByte
		if e.Del%6 == 0 {
			rp = fffdEscape
		}
		k, ok := rp.of(&e)
		require.True(t, ok, "%+v", e)
		for j := range k {
			each = append(each, Edit{Off: e.Off + j*rp.del, Del: rp.del, Ins: rp.ins})
		}
	}
	runs := &Locator{Orig: sc.Raw, Edits: sc.Edits}
	unitwise := &Locator{Orig: sc.Raw, Edits: each}
	for off := range len(fixed) + 1 {
		require.Equal(t, unitwise.OrigOffset(off), runs.OrigOffset(off), "offset %d", off)
	}
}

// TestRepairRunsCost: a record of invalid bytes costs a few times its size
// to repair. With an edit (and a formatted message) for each byte, 4 MiB of
// 0xff allocated 840 MB; through the command, three such strings took 1.4
// GB and 6 s.
func TestRepairRunsCost(t *testing.T) {
	data := []byte(`{"a":"` + strings.Repeat("\xff", 4<<20) + `"}`)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sc, err := scanDocument(data, true)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Equal(t, 4<<20/maxRun, len(sc.Edits))
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(32<<20), "bytes allocated")
}

// TestLocatorSearch: with more than linearEdits edits, origOffset and sub
// search the edits; they give what walking them gives, for every offset.
func TestLocatorSearch(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"a":[`)
	for i := range 200 {
		switch i % 4 {
		case 0:
			b.WriteString(`1 2,`) // a missing comma
		case 1:
			b.WriteString("\"x\xff\xfe\xfdy\",") // a run of invalid bytes
		case 2:
			b.WriteString(`"\udc00\udc00",`) // a run of lone surrogates
		case 3:
			b.WriteString(`[3,],`) // a trailing comma
		}
	}
	b.WriteString(`0]}`)
	sc, err := scanDocument([]byte(b.String()), true)
	require.NoError(t, err)
	require.Greater(t, len(sc.Edits), 4*linearEdits)
	fixed := ApplyEdits(sc.Raw, sc.Edits)

	// walk is origOffset as it walks the edits.
	walk := func(edits []Edit, off, n int) int {
		shift := 0
		for i := range edits {
			e := &edits[i]
			at := e.Off + shift
			if off < at {
				break
			}
			if off < at+len(e.Ins) {
				return e.within(off - at)
			}
			shift += len(e.Ins) - e.Del
		}
		return max(0, min(off-shift, n))
	}
	l := &Locator{Orig: sc.Raw, Edits: sc.Edits, Line: 1, Col: 1}
	for off := range len(fixed) + 1 {
		require.Equal(t, walk(sc.Edits, off, len(sc.Raw)), l.OrigOffset(off), "offset %d", off)
	}
	for a := 0; a < len(fixed); a += 7 {
		b := min(len(fixed), a+40)
		oa, ob := walk(sc.Edits, a, len(sc.Raw)), walk(sc.Edits, b, len(sc.Raw))
		var want []Edit
		for _, e := range sc.Edits {
			if e.Off >= oa && e.Off < ob {
				want = append(want, Edit{Off: e.Off - oa, Del: e.Del, Ins: e.Ins})
			}
		}
		require.Equal(t, want, l.Sub(a, b).Edits, "span %d-%d", a, b)
	}
}

// TestResetBytes: a Scanner of a byte slice finds what a Scanner of a
// Reader of it finds, in place, and does not write to the slice once it
// reads a Reader again.
func TestResetBytes(t *testing.T) {
	text := []byte(" {\"a\":[1,\"x\\u00e9\"],\"b\":{}}\n[2] ")
	keep := bytes.Clone(text)
	var s Scanner
	s.ResetBytes(text, testOptions(false))
	want := newScanner(bytes.NewReader(text))
	for {
		got, gerr := s.ScanValue()
		w, werr := want.ScanValue()
		require.Equal(t, werr, gerr)
		if gerr != nil {
			break
		}
		assert.Equal(t, w.Raw, got.Raw)
		assert.Equal(t, w.Tape, got.Tape)
		assert.Equal(t, [3]int64{w.Start, int64(w.Line), int64(w.Col)}, [3]int64{got.Start, int64(got.Line), int64(got.Col)})
		assert.Same(t, &text[got.Start], &got.Raw[0], "read in place")
	}
	s.Reset(strings.NewReader(`{"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz":1}`), testOptions(false))
	_, err := s.ScanValue()
	require.NoError(t, err)
	assert.Equal(t, keep, text, "the slice is the caller's")
}
