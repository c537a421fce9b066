package audit_test

import (
	"bytes"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
	"github.com/kmstrail/kmstrail/internal/synth"
)

// benchRecords are 20,000 generated records over 500 keys (synth's Keys
// mode), decoded once: the benchmarks measure the audit, not decoding. Compare
// with the root package's BenchmarkReader (MB/s of records decoded) for the
// share of a run the audit takes.
var benchRecords = sync.OnceValues(func() ([]*kmstrail.Event, int64) {
	g, err := synth.New(os.DirFS("../testdata"), 1)
	if err != nil {
		panic(err)
	}
	g.Keys, g.MaxStep = 500, 520*time.Millisecond
	data := g.LogFile(20_000)
	var evs []*kmstrail.Event
	for ev, err := range kmstrail.NewReader(bytes.NewReader(data)).All() {
		if err != nil {
			panic(err)
		}
		evs = append(evs, ev)
	}
	return evs, int64(len(data))
})

// BenchmarkAdd feeds the records to a new Auditor.
func BenchmarkAdd(b *testing.B) {
	evs, size := benchRecords()
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		a := audit.New(audit.Options{})
		for _, ev := range evs {
			a.Add(ev)
		}
	}
}

// BenchmarkReport replays the records' keys and makes the report.
func BenchmarkReport(b *testing.B) {
	evs, _ := benchRecords()
	a := audit.New(audit.Options{At: ref})
	for _, ev := range evs {
		a.Add(ev)
	}
	b.ReportAllocs()
	for b.Loop() {
		if rep := a.Report(); len(rep.Keys) == 0 {
			b.Fatal("no keys")
		}
	}
}
