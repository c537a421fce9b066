package audit_test

import (
	"time"

	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/audit"
	kt "github.com/kmstrail/kmstrail/kmstrailtest"
)

// The tests' keys, in account 111122223333, us-west-2 (the kit's
// defaults), and another account.
const (
	keyA    = "1111aaaa-1a1a-4a1a-8a1a-1111aaaa1111"
	keyB    = "2222bbbb-2b2b-4b2b-8b2b-2222bbbb2222"
	arnA    = "arn:aws:kms:us-west-2:111122223333:key/" + keyA
	arnB    = "arn:aws:kms:us-west-2:111122223333:key/" + keyB
	other   = "444455556666"
	account = "111122223333"
)

// day returns midnight UTC of a day of 2026, plus extra.
func day(month time.Month, d int, extra ...time.Duration) time.Time {
	t := time.Date(2026, month, d, 0, 0, 0, 0, time.UTC)
	for _, e := range extra {
		t = t.Add(e)
	}
	return t
}

// ref is the reference time of the tests' reports.
var ref = day(6, 1)

// report audits events with the tests' options and reference time.
func report(events ...*kmstrail.Event) *audit.Report {
	return reportWith(audit.Options{At: ref}, events...)
}

func reportWith(opts audit.Options, events ...*kmstrail.Event) *audit.Report {
	if opts.At.IsZero() {
		opts.At = ref
	}
	a := audit.New(opts)
	for _, ev := range events {
		a.Add(ev)
	}
	return a.Report()
}

// keyOf returns the report's key of that ARN, or a zero Key.
func keyOf(rep *audit.Report, arn string) audit.Key {
	for _, k := range rep.Keys {
		if k.ARN == arn {
			return k
		}
	}
	return audit.Key{}
}

// rules returns the IDs of the report's findings, in order.
func rules(rep *audit.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Rule)
	}
	return out
}

// count returns how many findings of a rule the report has.
func count(rep *audit.Report, rule string) int {
	n := 0
	for _, f := range rep.Findings {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

// at is the kit's Time option for a day of 2026 at an hour.
func at(month time.Month, d, hour int) kt.Option {
	return kt.Time(day(month, d, time.Duration(hour)*time.Hour))
}

// create builds CreateKey for a key, at a time.
func create(id string, when kt.Option, opts ...kt.Option) *kmstrail.Event {
	return kt.KMS(&kmstrail.CreateKeyRequest{}, nil, append([]kt.Option{kt.Key(id), when}, opts...)...)
}

// op builds a change or use of a key named by id whose request is req.
func op(req kmstrail.KMSMessage, when kt.Option, opts ...kt.Option) *kmstrail.Event {
	return kt.KMS(req, nil, append([]kt.Option{when}, opts...)...)
}

// denied builds a KMS call by principal that failed with AccessDenied.
func denied(role string, t time.Time) *kmstrail.Event {
	return kt.KMS(&kmstrail.DecryptRequest{KeyID: arnA}, nil, kt.AssumedRole(role, "s"), kt.Time(t),
		kt.Failed("AccessDeniedException", "not authorized"))
}
