package kmstrail

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kmstrail/kmstrail/internal/synth"
	"github.com/stretchr/testify/require"
)

// TestStringsOwnTheirBytes: an Event's strings must not share memory with
// its byte slices (Raw and the raw members), which a caller may write to; a
// Go string that changes breaks maps keyed by it and every copy of it. The
// test overwrites every byte slice of each decoded Event and checks that no
// string changed. Fixtures cover the tape path, the repaired path (no tape)
// and, when ../shared is present, the corpus.
func TestStringsOwnTheirBytes(t *testing.T) {
	var paths []string
	for _, dir := range []string{"testdata", "testdata/kms", "testdata/services"} {
		m, err := filepath.Glob(filepath.Join(dir, "*.json"))
		require.NoError(t, err)
		paths = append(paths, m...)
	}
	// The corpus, when ../shared is present.
	_ = filepath.WalkDir(filepath.Join(corpusDir, "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return err
	})
	require.Greater(t, len(paths), 90)
	// Variants for the paths no fixture takes: a time written as epoch
	// seconds (kept in Time.Text), an encryption context value that is not
	// a string (kept as written), escaped names and values.
	variants := map[string][3]string{
		"epoch":  {"testdata/kms/ImportKeyMaterial-2025.json", `"validTo": "Nov 18, 2026, 9:30:00 AM"`, `"validTo": 1794994200`},
		"number": {"testdata/kms/Decrypt-basic.json", `"purpose": "order-archive"`, `"purpose": 7`},
		"escape": {"testdata/kms/Decrypt-basic.json", `"tenant": "acme-logistics"`, `"ten\u0061nt": "acme\/logistics"`},
		// Over ownBytes: the job owns its bytes, and the strings get a
		// region of their own.
		"large": {"testdata/kms/Decrypt-basic.json", `"purpose": "order-archive"`,
			`"purpose": "` + strings.Repeat("order-archive ", ownBytes/10) + `"`},
	}
	checked := 0
	for _, p := range slices.Concat(paths, slices.Sorted(maps.Keys(variants))) {
		for _, repair := range []bool{false, true} {
			var data []byte
			if v, ok := variants[p]; ok {
				orig, err := os.ReadFile(v[0])
				require.NoError(t, err)
				data = bytes.Replace(orig, []byte(v[1]), []byte(v[2]), 1)
				require.NotEqual(t, orig, data, p)
			} else {
				var err error
				data, err = os.ReadFile(p)
				require.NoError(t, err)
			}
			r := NewReader(bytes.NewReader(data))
			r.Repair = repair
			for ev, err := range r.All() {
				if err != nil {
					continue
				}
				before := eventStrings(ev)
				scribble(reflect.ValueOf(ev))
				require.Equal(t, before, eventStrings(ev), "%s (repair %v): a string changed with the bytes", p, repair)
				checked++
			}
		}
	}
	t.Logf("%d files, %d Events", len(paths), checked)
	require.Greater(t, checked, 150)
}

// eventStrings returns copies of every string reachable from ev, sorted.
func eventStrings(ev *Event) []string {
	var out []string
	walkValues(reflect.ValueOf(ev), func(v reflect.Value) {
		if v.Kind() == reflect.String {
			out = append(out, string([]byte(v.String())))
		}
	})
	slices.Sort(out) // map order varies
	return out
}

// scribble overwrites every byte slice reachable from v.
func scribble(v reflect.Value) {
	walkValues(v, func(v reflect.Value) {
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			b := v.Bytes()
			for i := range b {
				b[i] = 'x'
			}
		}
	})
}

// walkValues calls fn for v and everything reachable from it, map keys
// included, visiting each pointer once.
func walkValues(v reflect.Value, fn func(reflect.Value)) {
	seen := map[uintptr]bool{}
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		fn(v)
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
				return
			}
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Key())
				walk(it.Value())
			}
		}
	}
	walk(v)
}

// TestStringsOwnTheirBytesEmbedded: a record held in a string (a CloudWatch
// Logs message, a CloudTrailEvent, a Lake cell) is unquoted into a slice
// that becomes its Event's Raw; its strings must not share that memory, nor
// may two Events share bytes.
func TestStringsOwnTheirBytesEmbedded(t *testing.T) {
	recs := equivalenceRecords(t)
	for name, in := range map[string][]byte{
		"cloudwatch":           synth.CloudWatchLogs(recs),
		"lookup-events":        synth.LookupEventsOutput(recs),
		"lookup-events, lines": synth.LookupEventLines(recs),
		"lake":                 synth.LakeResults(recs),
		"lake, read whole":     bytes.Replace(synth.LakeResults(recs), []byte(`"QueryStatus"`), []byte(`"Pad":"`+strings.Repeat("x", 5000)+`","QueryStatus"`), 1),
	} {
		evs, errs := readAll(t, NewReader(bytes.NewReader(in)))
		require.Empty(t, errs, name)
		require.Len(t, evs, len(recs), name)
		raws := make([][]byte, len(evs))
		for i, ev := range evs {
			raws[i] = bytes.Clone(ev.Raw)
		}
		for i, ev := range evs {
			before := eventStrings(ev)
			scribble(reflect.ValueOf(ev))
			require.Equal(t, before, eventStrings(ev), "%s, record %d: a string changed with the bytes", name, i)
			for j := i + 1; j < len(evs); j++ {
				require.Equal(t, raws[j], []byte(evs[j].Raw), "%s: record %d's Raw changed with record %d's", name, j, i)
			}
		}
	}
}
