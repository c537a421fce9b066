package kmstrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/kmstrail/kmstrail/internal/synth"
)

// The fuzz targets' seed corpora are testdata's fixtures and envelopes
// built from them; go test runs the seeds, go test -fuzz explores. Findings
// are kept in testdata/fuzz as regression cases.

// addSeeds adds testdata's records, as files and in several envelopes.
func addSeeds(f *testing.F) {
	seeds, err := synth.Seeds("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, in := range seeds {
		f.Add(in)
	}
}

// readEverything reads all of an input as a loop that logs each error and
// goes on would, and checks the Reader's invariants: no panic, Error()
// works, every error is an *Error, every record in is decoded or failed
// exactly once, a fatal error is followed by io.EOF at once, and Next keeps
// returning io.EOF.
func readEverything(t *testing.T, r *Reader) (evs []*Event, errs []error) {
	seen := map[int]bool{}
	fatal := false
	for i := 0; ; i++ {
		if i > 1_000_000 {
			t.Fatal("Reader does not end")
		}
		ev, err := r.Next()
		if err == io.EOF {
			for range 2 {
				if _, err := r.Next(); err != io.EOF {
					t.Fatalf("Next after io.EOF = %v, want io.EOF", err)
				}
			}
			break
		}
		if fatal {
			t.Fatalf("Next after a fatal error = %v, %v; want io.EOF", ev, err)
		}
		if err != nil {
			_ = err.Error()
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if e.Record >= 0 {
				if seen[e.Record] {
					t.Fatalf("record %d reported twice", e.Record)
				}
				seen[e.Record] = true
			}
			fatal = e.Fatal
			errs = append(errs, err)
			continue
		}
		if seen[ev.Source.Record] {
			t.Fatalf("record %d reported twice", ev.Source.Record)
		}
		seen[ev.Source.Record] = true
		if _, err := json.Marshal(ev); err != nil {
			t.Fatalf("marshal: %v", err)
		}
		for _, d := range ev.Diagnostics {
			_ = d.String()
		}
		evs = append(evs, ev)
	}
	for i := range len(seen) {
		if !seen[i] {
			t.Fatalf("records in %d, but record %d is neither decoded nor failed", len(seen), i)
		}
	}
	return evs, errs
}

// FuzzReader feeds arbitrary bytes to the Reader, strict and with Repair.
func FuzzReader(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, repair := range []bool{false, true} {
			r := NewReader(bytes.NewReader(data))
			r.Repair = repair
			r.MaxRecordBytes, r.MaxStringBytes, r.MaxDepth = 1<<16, 1<<12, 64
			evs, _ := readEverything(t, r)
			// No string shares memory with the bytes a caller may write
			// (see TestStringsOwnTheirBytes).
			for _, ev := range evs {
				before := eventStrings(ev)
				scribble(reflect.ValueOf(ev))
				if after := eventStrings(ev); !slices.Equal(before, after) {
					t.Fatalf("a string changed with the bytes:\n%q\n%q", before, after)
				}
			}
		}
	})
}

// FuzzOneByteReads checks that reading one byte at a time gives the same
// events and errors as reading whole.
func FuzzOneByteReads(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<14 {
			return
		}
		for _, repair := range []bool{false, true} {
			whole := NewReader(bytes.NewReader(data))
			one := NewReader(iotest.OneByteReader(bytes.NewReader(data)))
			whole.Repair, one.Repair = repair, repair
			we, werr := readEverything(t, whole)
			oe, oerr := readEverything(t, one)
			if len(we) != len(oe) || len(werr) != len(oerr) {
				t.Fatalf("whole reads: %d events, %d errors %v; one-byte reads: %d events, %d errors %v", len(we), len(werr), werr, len(oe), len(oerr), oerr)
			}
			for i := range we {
				a, _ := json.Marshal(we[i])
				b, _ := json.Marshal(oe[i])
				if !bytes.Equal(a, b) || we[i].Source != oe[i].Source {
					t.Fatalf("event %d differs:\n%s %+v\n%s %+v", i, a, we[i].Source, b, oe[i].Source)
				}
			}
			for i := range werr {
				if werr[i].Error() != oerr[i].Error() {
					t.Fatalf("error %d differs:\n%v\n%v", i, werr[i], oerr[i])
				}
			}
		}
	})
}

// FuzzTwoReaders is the ambiguity guarantee: where encoding/json (which
// matches names case-insensitively and takes the last of duplicates) reads
// another eventName or eventSource than kmstrail, kmstrail reports it.
func FuzzTwoReaders(f *testing.F) {
	addSeeds(f)
	f.Add([]byte(`{"eventVersion":"1.08","eventName":"Decrypt","EventName":"Encrypt"}`))
	f.Add([]byte(`{"eventVersion":"1.08","EVENTNAME":"Decrypt"}`))
	f.Add([]byte(`{"eventVersion":"1.08","eventName":"Decrypt","eventName":"Encrypt"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var std struct{ EventName, EventSource string }
		if json.Unmarshal(data, &std) != nil {
			return
		}
		ev, err := Parse(data)
		if err != nil {
			return // refused: not unnoticed
		}
		if std.EventName == ev.EventName && std.EventSource == ev.EventSource {
			return
		}
		for _, d := range ev.Diagnostics {
			if d.Kind == Duplicate || d.Kind == Mismatched || d.Kind == Repaired {
				return
			}
		}
		t.Fatalf("encoding/json reads %q/%q, kmstrail %q/%q, and nothing says so: %q",
			std.EventName, std.EventSource, ev.EventName, ev.EventSource, data)
	})
}

// FuzzParseTime: any text parses or is kept, without panicking, and what
// parses marshals to RFC 3339 that parses back to the same instant.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2025-05-21T05:42:31Z", "May 21, 2025, 5:47:45 AM", "Jan 1, 2021 8:00:00 PM",
		"Apr 12, 2021 18:58:30 PM", "2023-01-05 13:51:00.000", "20131102T010628Z", "1415220618876", "2021-02-21T23: 46: 28Z",
		"May 21, 2025, 5:47:45\u202fAM", "", "Feb 30, 2024, 1:00:00 AM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTime(s)
		if tm.Text != s {
			t.Fatalf("Text %q, want %q", tm.Text, s)
		}
		if err != nil {
			if tm.Valid() {
				t.Fatal("error but valid")
			}
			return
		}
		b, err := tm.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Time
		if err := back.UnmarshalJSON(b); err != nil || !back.Equal(tm.Time) {
			t.Fatalf("%q -> %s -> %v (%v)", s, b, back, err)
		}
		if tm.Location() != time.UTC {
			t.Fatal("not UTC")
		}
	})
}

// FuzzKeyRef: any identifier gives a KeyRef without panicking, and the
// resolution of a record's references is stable.
func FuzzKeyRef(f *testing.F) {
	for _, s := range []string{"1234abcd-12ab-34cd-56ef-1234567890ab", "alias/x", "arn:aws:kms:us-west-2:111122223333:key/k",
		"arn:aws:kms:us-west-2:111122223333:alias/x", "arn:aws:kms:::", "arn:", "mrk-1", ""} {
		f.Add(s, "arn:aws:kms:us-west-2:111122223333:key/k", "us-west-2", "111122223333")
	}
	f.Fuzz(func(t *testing.T, req, res, region, account string) {
		k := ParseKeyRef(req)
		_ = k.String()
		if k.ARN != "" && !strings.HasPrefix(k.ARN, "arn:") {
			t.Fatalf("ARN %q", k.ARN)
		}
		rec := fmt.Sprintf(`{"eventVersion":"1.11","eventSource":"kms.amazonaws.com","eventName":"Encrypt","awsRegion":%q,`+
			`"recipientAccountId":%q,"requestParameters":{"keyId":%q},"resources":[{"ARN":%q,"type":"AWS::KMS::Key"}]}`,
			region, account, req, res)
		ev, err := Parse([]byte(rec))
		if err != nil {
			return
		}
		again, _ := Parse([]byte(rec))
		if ev.KMS.Key != again.KMS.Key {
			t.Fatal("resolution is not stable")
		}
		if ev.KMS.Key.ARNSource == KeyDerived && ev.KMS.Key.ID == "" {
			t.Fatal("derived an ARN from no ID")
		}
	})
}
