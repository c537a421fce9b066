package kmstrail

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/internal/synth"
)

// readWith reads data with GOMAXPROCS set to procs: 1 reads and decodes
// inline, 2 or more reads on a goroutine of its own once the input is
// larger than the first batch (which it checks). It returns the results in
// order and the offsets InputOffset gave along the way.
func readWith(t *testing.T, procs int, data []byte) (evs []*Event, errs []error, offsets []int64) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	r := NewReader(bytes.NewReader(data))
	r.Path = "trail.json"
	for ev, err := range r.All() {
		if len(evs) == 0 {
			require.Equal(t, procs > 1, r.batches != nil, "GOMAXPROCS %d: reading on a goroutine", procs)
		}
		evs = append(evs, ev)
		errs = append(errs, err)
		offsets = append(offsets, r.InputOffset())
	}
	return evs, errs, offsets
}

// TestReaderPipeline: reading on a goroutine of its own gives the records,
// errors and positions reading inline does, across many batches, with
// faults in the middle and at the end.
func TestReaderPipeline(t *testing.T) {
	data := benchData()
	damaged := bytes.Clone(data)
	// A record in the third batch loses its closing quote's partner.
	at := bytes.Index(damaged[len(damaged)/3:], []byte(`"eventVersion":"`)) + len(damaged)/3
	damaged[at+len(`"eventVersion":`)] = '!'
	tests := []struct {
		name              string
		data              []byte
		records, failures int
	}{
		{"clean", data, 1000, 0},
		{"damaged record", damaged, 999, 1},
		{"truncated", data[:len(data)*9/10], -1, 1},
		{"gzip", benchGzip(), 1000, 0},
		// Decompressed on a goroutine of its own: its faults must arrive
		// where they did.
		{"gzip, truncated", benchGzip()[:len(benchGzip())*9/10], -1, 1},
		{"gzip, data after it", append(slices.Clone(benchGzip()), "garbage"...), 1000, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs1, errs1, offs1 := readWith(t, 1, tt.data)
			evs2, errs2, offs2 := readWith(t, 2, tt.data)
			require.Equal(t, len(evs1), len(evs2))
			var records, failures int
			for i := range evs1 {
				if errs1[i] != nil {
					failures++
					assert.Equal(t, errs1[i].Error(), errs2[i].Error(), "result %d", i)
					continue
				}
				records++
				require.NotNil(t, evs2[i], "result %d", i)
				assert.Equal(t, evs1[i], evs2[i], "result %d", i)
			}
			if tt.records >= 0 {
				assert.Equal(t, tt.records, records)
			} else {
				assert.Greater(t, records, 800)
			}
			assert.Equal(t, tt.failures, failures)
			assert.Equal(t, offs1[len(offs1)-1], offs2[len(offs2)-1])
			for i := 1; i < len(offs2); i++ {
				require.LessOrEqual(t, offs2[i-1], offs2[i], "InputOffset goes back at %d", i)
			}
		})
	}
}

// TestReaderShares: with two CPUs both goroutines decode: the reading one
// whenever it waits for Next, and at the end of the input. (Which one
// decodes a given record varies from run to run; TestReaderPipeline checks
// that the results do not.)
func TestReaderShares(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	helped := 0
	for range 5 {
		r := NewReader(bytes.NewReader(benchData()))
		n := 0
		for _, err := range r.All() {
			require.NoError(t, err)
			n++
		}
		require.Equal(t, 1000, n)
		require.NotNil(t, r.batches, "the Reader reads on a goroutine")
		helped += r.rs.helped // its goroutine has returned (see fill)
	}
	assert.Positive(t, helped, "the reading goroutine decoded nothing in 5 files")
	// Per file, Next may decode nothing when its goroutine gets little CPU
	// (it happened under a busy loop on the other CPU), so this is checked
	// over all five.
	assert.Less(t, helped, 5*(1000-firstBatch), "Next decoded nothing in 5 files")
}

// TestReaderAbandoned: a Reader dropped in the middle of its input does not
// leave its reading goroutine behind, nor, for gzip input, the goroutine
// that decompresses, nor the goroutines of a Lambda payload's Reader.
func TestReaderAbandoned(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	before := runtime.NumGoroutine()
	heavy, _ := heavyLog(false)
	var log struct{ Records []json.RawMessage }
	require.NoError(t, json.Unmarshal(benchData(), &log))
	recs := make([][]byte, len(log.Records))
	for i, rec := range log.Records {
		recs[i] = rec
	}
	lambda := synth.Lambda(recs)
	for i := range 8 {
		data := benchData()
		switch i % 4 {
		case 1:
			data = benchGzip()
		case 2:
			data = heavy // the goroutine waits for Next to take a heavy batch
		case 3:
			data = lambda // a Reader of its own reads the payload, on a goroutine too
		}
		r := NewReader(bytes.NewReader(data))
		_, err := r.Next()
		require.NoError(t, err)
		require.NotNil(t, r.batches, "the Reader reads on a goroutine")
		if i%4 >= 2 {
			time.Sleep(50 * time.Millisecond) // until it waits
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}

// TestReaderManyBatches reads far more batches than the first, small ones
// (a shift that grew the batch size once overflowed after 60 batches, and
// the Reader then returned empty batches for ever).
func TestReaderManyBatches(t *testing.T) {
	g, err := synth.New(os.DirFS("testdata"), 2)
	require.NoError(t, err)
	data := g.LogFile(10000) // 80 batches of 128
	for _, procs := range []int{1, 2} {
		done := make(chan int, 1)
		go func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			r := NewReader(bytes.NewReader(data))
			n := 0
			for ev, err := range r.All() {
				if err != nil || ev.Source.Record != n || (procs > 1) != (r.batches != nil) {
					break
				}
				n++
			}
			done <- n
		}()
		select {
		case n := <-done:
			assert.Equal(t, 10000, n, "GOMAXPROCS %d", procs)
		case <-time.After(2 * time.Minute):
			t.Fatalf("GOMAXPROCS %d: the Reader hangs", procs)
		}
	}
}

// TestReaderLargeRecords: records larger than ownBytes get copies of their
// own instead of passing through the batch arenas, and decoded jobs let go
// of their bytes, so the Reader does not keep nArenas large records alive
// (without this, 8 records of 16 MB peaked at 375 MB of RSS through the
// command, against 154 MB before the arenas).
func TestReaderLargeRecords(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // inline: the arenas can be inspected
	big := strings.Repeat("x", 300<<10)
	var b bytes.Buffer
	b.WriteString(`{"Records":[`)
	for i := range 6 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"ListAliases","eventID":"%d","requestParameters":{"p":%q}}`, i, big)
	}
	b.WriteString("]}")
	r := NewReader(bytes.NewReader(b.Bytes()))
	for i := range 6 {
		ev, err := r.Next()
		require.NoError(t, err)
		assert.Equal(t, strconv.Itoa(i), ev.EventID)
		bufs := r.rs.q.bufs
		if bufs == nil {
			continue // released at the end of the input
		}
		for a := range nArenas {
			// Its length, not its capacity: the arenas come from a pool
			// that earlier Readers have grown.
			assert.Less(t, len(bufs.text[a]), ownBytes, "arena %d holds a large record", a)
			for _, j := range bufs.jobs[a][:cap(bufs.jobs[a])] {
				assert.True(t, j.v.orig == nil, "a decoded job keeps its record")
			}
		}
	}
	_, err := r.Next()
	assert.Equal(t, io.EOF, err)
}

// heavyLog returns a log file of small records with, among them, records
// heavier than a batch: a long string, a dense array (whose tape outweighs
// its text), and, when repairable, a long record missing a comma. It
// returns each record's text too.
func heavyLog(repairable bool) (data []byte, recs []string) {
	long := strings.Repeat("x", batchBytes+1000)
	zeros := strings.Repeat("0,", 50000) + "0"
	b := bytes.NewBufferString(`{"Records":[`)
	for i := range 60 {
		rec := fmt.Sprintf(`{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"ListAliases","eventID":"%d"}`, i)
		switch {
		case i%20 == 17:
			rec = fmt.Sprintf(`{"eventVersion":"1.08","eventID":"%d","requestParameters":{"p":%q}}`, i, long)
		case i%20 == 18:
			rec = fmt.Sprintf(`{"eventVersion":"1.08","eventID":"%d","requestParameters":{"p":[%s]}}`, i, zeros)
		case i%20 == 19 && repairable:
			rec = fmt.Sprintf(`{"eventVersion":"1.08","eventID":"%d"`+"\n"+`"requestParameters":{"p":%q}}`, i, long)
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(rec)
		recs = append(recs, rec)
	}
	b.WriteString("]}")
	return b.Bytes(), recs
}

// TestReaderHeavyRecords: records heavier than a batch are decoded at once
// from the scanner's buffers (decodeNow) rather than queued as jobs. Their
// Events are those of the same records read alone, and own their bytes:
// the scanner reading on does not change them. Inline and on a goroutine,
// which stops reading ahead at each of them.
func TestReaderHeavyRecords(t *testing.T) {
	for _, repair := range []bool{false, true} {
		data, recs := heavyLog(repair)
		for _, procs := range []int{1, 2} {
			t.Run(fmt.Sprintf("repair %v, GOMAXPROCS %d", repair, procs), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				r := NewReader(bytes.NewReader(data))
				r.Repair = repair
				evs, errs := readAll(t, r)
				require.Empty(t, errs)
				require.Len(t, evs, len(recs))
				assert.Equal(t, procs > 1, r.batches != nil, "read on a goroutine")
				for i, ev := range evs {
					alone := NewReader(strings.NewReader(recs[i]))
					alone.Repair = repair
					want, err := alone.Next()
					require.NoError(t, err)
					assert.Equal(t, recs[i], string(ev.Raw), "record %d", i)
					assert.Equal(t, i, ev.Source.Record)
					assert.Equal(t, want.EventID, ev.EventID)
					assert.Equal(t, want.RequestParameters, ev.RequestParameters, "record %d", i)
					assert.Len(t, ev.Diagnostics, len(want.Diagnostics), "record %d", i)
				}
			})
		}
	}
}

// TestReaderHeavyReadAhead: on a goroutine, the Reader reads no further
// past a batch heavier than batchBytes until Next has received it, so that
// it holds at most two such records (and the scanner's buffer). Given time
// to run ahead, it reads no further than the heavy record after the one
// Next is returning.
func TestReaderHeavyReadAhead(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	long := strings.Repeat("x", batchBytes+1000)
	var b bytes.Buffer
	b.WriteString(`{"Records":[`)
	var heavyEnds []int
	for i := range 50 {
		if i > 0 {
			b.WriteString(",\n")
		}
		if i >= 40 && i < 46 {
			fmt.Fprintf(&b, `{"eventVersion":"1.08","eventID":"%d","requestParameters":{"p":%q}}`, i, long)
			heavyEnds = append(heavyEnds, b.Len())
			continue
		}
		fmt.Fprintf(&b, `{"eventVersion":"1.08","eventName":"ListAliases","eventID":"%d"}`, i)
	}
	b.WriteString("]}")
	in := &countingReader{r: bytes.NewReader(b.Bytes())}
	r := NewReader(in)
	for {
		ev, err := r.Next()
		require.NoError(t, err)
		if ev.EventID == "40" {
			break
		}
	}
	require.NotNil(t, r.batches, "the Reader reads on a goroutine")
	time.Sleep(200 * time.Millisecond)
	// The second heavy record, and what the scanner reads beyond it: its
	// buffer, grown to hold a heavy record, is filled to 2 MiB.
	assert.Less(t, in.n.Load(), int64(heavyEnds[1]+2*batchBytes), "read ahead past the second heavy record")
	n := 41
	for ev, err := range r.All() {
		require.NoError(t, err)
		assert.Equal(t, strconv.Itoa(n), ev.EventID)
		n++
	}
	assert.Equal(t, 50, n)
}

// TestEnvelopeInBatches: an envelope read whole is gone through a batch at
// a time, not queued whole, and its records are those of the same log file
// read as a stream: same order, indices and Events. Each input holds the
// envelope twice, so that the second is read into the arenas while the
// first one's last records wait in a batch.
func TestEnvelopeInBatches(t *testing.T) {
	g, err := synth.New(os.DirFS("testdata"), 3)
	require.NoError(t, err)
	var log struct{ Records []json.RawMessage }
	// 300 records: the fifth batch takes the last of them and then reads
	// the second envelope into the arenas the first batch used.
	require.NoError(t, json.Unmarshal(g.LogFile(300), &log))
	recs := make([][]byte, len(log.Records))
	for i, rec := range log.Records {
		recs[i] = rec
	}
	want, errs := readAll(t, NewReader(bytes.NewReader(synth.Records(recs))))
	require.Empty(t, errs)
	lookup := synth.LookupEventsOutput(recs)
	for _, env := range []struct {
		name  string
		data  []byte
		whole bool // read whole, else streamed
	}{
		{"Records member last", synth.RecordsLast(recs), true},
		{"CloudWatch Logs", synth.CloudWatchLogs(recs), true},
		{"LookupEvents output", lookup, false},
		{"LookupEvents output, Events not first", bytes.Replace(lookup, []byte(`{`), []byte(`{"ResponseMetadata":{},`), 1), true},
		{"CloudWatch Logs, as Lambda receives it", synth.Lambda(recs), true},
		// Each envelope inside is gone through before the rest of the
		// one around it.
		{"envelopes in a log file", synth.RecordsLast([][]byte{synth.CloudWatchLogs(recs[:100]),
			synth.Lambda(recs[100:200]), synth.LookupEventsOutput(recs[200:])}), true},
	} {
		for _, procs := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s, GOMAXPROCS %d", env.name, procs), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				r := NewReader(bytes.NewReader(slices.Concat(env.data, []byte("\n"), env.data)))
				n := 0
				for ev, err := range r.All() {
					require.NoError(t, err)
					require.LessOrEqual(t, len(r.ready), batchRecords, "a batch holds the whole envelope")
					if n == 0 && procs == 1 && env.whole { // else the reading goroutine owns r.rs
						require.NotEmpty(t, r.rs.work, "the envelope was gone through whole before its first record")
					}
					w := want[n%len(want)]
					assert.Equal(t, n, ev.Source.Record)
					assert.Equal(t, w.EventID, ev.EventID)
					assert.Equal(t, string(w.Raw), string(ev.Raw))
					assert.Equal(t, w.KMS, ev.KMS, "record %d", n)
					n++
				}
				assert.Equal(t, 2*len(recs), n)
			})
		}
	}
}
