package audit_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
	kt "github.com/kmstrail/kmstrail/kmstrailtest"
)

// benchRecords are 20,000 records over 500 keys, built with the test kit
// and so decoded once: the benchmarks measure the audit, not decoding. As
// in a busy account, most records use a key (Decrypt, Encrypt,
// GenerateDataKey, the keys drawn from a Zipf distribution) and about one
// in twenty changes one (grants created and retired, rotation, policy,
// disable and enable). The size is the records' bytes, to compare with the
// root package's BenchmarkReader (MB/s of records decoded).
var benchRecords = sync.OnceValues(func() ([]*kmstrail.Event, int64) {
	const keys, records = 500, 20_000
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rng, 1.1, 1, keys-1)
	id := func(k uint64) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", k, k) }
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var evs []*kmstrail.Event
	for k := range uint64(keys) {
		evs = append(evs, kt.KMS(&kmstrail.CreateKeyRequest{}, nil, kt.Key(id(k)), kt.Time(start.Add(time.Duration(k)*time.Second))))
	}
	grants := map[string][]string{}
	for i := len(evs); i < records; i++ {
		key := id(zipf.Uint64())
		when := kt.Time(start.Add(time.Hour + time.Duration(i)*520*time.Millisecond))
		var req, resp kmstrail.KMSMessage
		switch n := rng.IntN(100); {
		case n == 0:
			g := fmt.Sprintf("%064x", i)
			grants[key] = append(grants[key], g)
			req, resp = &kmstrail.CreateGrantRequest{KeyID: key, GranteePrincipal: "arn:aws:iam::111122223333:role/app"}, &kmstrail.CreateGrantResponse{GrantID: g}
		case n == 1 && len(grants[key]) > 0:
			req, grants[key] = &kmstrail.RetireGrantRequest{KeyID: key, GrantID: grants[key][0]}, grants[key][1:]
		case n == 2:
			req = &kmstrail.EnableKeyRotationRequest{KeyID: key}
		case n == 3:
			req = &kmstrail.PutKeyPolicyRequest{KeyID: key, Policy: `{"Version":"2012-10-17","Statement":[]}`}
		case n == 4:
			req = &kmstrail.DisableKeyRequest{KeyID: key}
		case n == 5:
			req = &kmstrail.EnableKeyRequest{KeyID: key}
		case n < 50:
			req = &kmstrail.DecryptRequest{KeyID: key}
		case n < 80:
			req = &kmstrail.GenerateDataKeyRequest{KeyID: key}
		default:
			req = &kmstrail.EncryptRequest{KeyID: key}
		}
		evs = append(evs, kt.KMS(req, resp, when, kt.AssumedRole("app", "task")))
	}
	var size int64
	for _, ev := range evs {
		size += int64(len(ev.Raw))
	}
	return evs, size
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
