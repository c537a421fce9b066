package jsonscan

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail/internal/synth"
)

// addSeeds adds the project's fixtures, as files and in several
// envelopes, and the JSONTestSuite cases.
func addSeeds(f *testing.F) {
	seeds, err := synth.Seeds(testdataDir)
	if err != nil {
		f.Fatal(err)
	}
	files, _ := filepath.Glob(sharedDir + "/jsontestsuite/test_parsing/*.json")
	for _, p := range files {
		data, _ := os.ReadFile(p)
		seeds = append(seeds, data)
	}
	for _, in := range seeds {
		f.Add(in)
	}
}

// FuzzSyntax checks the scanner against jsontext: they accept the same
// documents (nesting and size aside), and Repair's output, when it accepts,
// is valid JSON that means what the input meant: the same text but for
// commas and replaced bytes.
func FuzzSyntax(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scanDocument(data, false)
		valid := jsontext.Value(data).IsValid(jsontext.AllowDuplicateNames(true))
		if valid != (err == nil) && faultKind(err) != Limit {
			t.Fatalf("scanner says %v, jsontext says valid=%v", err, valid)
		}
		if err == nil && (len(sc.Edits) > 0 || len(sc.Repairs) > 0) {
			t.Fatal("edits in strict mode")
		}
		sc, err = scanDocument(data, true)
		if err != nil {
			return
		}
		fixed := ApplyEdits(sc.Raw, sc.Edits)
		if !jsontext.Value(fixed).IsValid(jsontext.AllowDuplicateNames(true)) {
			t.Fatalf("repaired text is not JSON: %q from %q", fixed, data)
		}
		if valid && len(sc.Edits) > 0 {
			t.Fatalf("repaired valid JSON: %q", data)
		}
		// Each edit is one of the repairs Repair makes, and nothing else.
		repairs := 0
		for _, e := range sc.Edits {
			orig := sc.Raw[e.Off : e.Off+e.Del]
			nBytes, bytesOK := fffdByte.of(&e)
			nEscapes, escapesOK := fffdEscape.of(&e)
			switch {
			case e.Del == 0 && e.Ins == ",":
				repairs++
			case e.Del == 1 && orig[0] == ',' && e.Ins == "":
				repairs++
			case bytesOK && !slices.ContainsFunc(orig, func(c byte) bool { return c < 0x80 }):
				repairs += nBytes // a run of invalid UTF-8 bytes
			case escapesOK && bytes.Count(orig, []byte(`\u`)) == nEscapes:
				repairs += nEscapes // a run of lone surrogates
			default:
				t.Fatalf("edit %+v of %q is not a repair", e, orig)
			}
		}
		// Each repair is listed, or, past Listed, counted in Elided (with
		// the duplicates past it).
		switch n := len(sc.Repairs); {
		case n < testListed && repairs != n,
			n == testListed && repairs > n+sc.Elided,
			n > testListed:
			t.Fatalf("%d repairs in %d edits, %d listed, %d elided", repairs, len(sc.Edits), n, sc.Elided)
		}
	})
}
