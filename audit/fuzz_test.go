package audit_test

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
)

// FuzzAuditor feeds the records of any input the Reader decodes (so key
// policies, dates, grants and key references of every shape) to an
// Auditor: it must not panic, and the report must be the same for the
// records in order, reversed, and each twice. Records that share an
// eventID but differ are dropped first: the Auditor takes such records to
// be one, and which of them it keeps may then depend on the order.
//
//	go test ./audit -run '^$' -fuzz FuzzAuditor -fuzztime 5m
func FuzzAuditor(f *testing.F) {
	// Seeds: the scenario's log files, decompressed, a few at a time.
	var files [][]byte
	tree := kmstrail.Tree{FS: os.DirFS("../testdata/audit")}
	for ev, err := range tree.Events() {
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, ev.Raw)
	}
	for i := 0; i < len(files); i += 8 {
		f.Add(bytes.Join(files[i:min(i+8, len(files))], []byte("\n")))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := kmstrail.NewReader(bytes.NewReader(data))
		r.MaxValues, r.MaxRecordBytes = 10_000, 1<<20
		var evs []*kmstrail.Event
		byID := map[string][]byte{}
		conflicting := map[string]bool{}
		for ev, err := range r.All() {
			if err != nil {
				continue
			}
			if raw, ok := byID[ev.EventID]; ok && !bytes.Equal(raw, ev.Raw) {
				conflicting[ev.EventID] = true
			}
			byID[ev.EventID] = ev.Raw
			evs = append(evs, ev)
		}
		evs = slices.DeleteFunc(evs, func(ev *kmstrail.Event) bool { return conflicting[ev.EventID] })
		report := func(evs []*kmstrail.Event) string {
			a := audit.New(audit.Options{At: ref})
			for _, ev := range evs {
				a.Add(ev)
			}
			b, err := json.Marshal(a.Report())
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		want := report(evs)
		reversed := slices.Clone(evs)
		slices.Reverse(reversed)
		if got := report(reversed); got != want {
			t.Fatalf("reversed order:\n%s\nwant\n%s", got, want)
		}
		if got := report(append(slices.Clone(evs), evs...)); got != want {
			t.Fatalf("each twice:\n%s\nwant\n%s", got, want)
		}
	})
}
