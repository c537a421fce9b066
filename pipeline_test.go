package kmstrail

import (
	"bytes"
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
// that decompresses.
func TestReaderAbandoned(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	before := runtime.NumGoroutine()
	for i := range 6 {
		data := benchData()
		if i%2 == 1 {
			data = benchGzip()
		}
		r := NewReader(bytes.NewReader(data))
		_, err := r.Next()
		require.NoError(t, err)
		require.NotNil(t, r.batches, "the Reader reads on a goroutine")
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
		bufs := r.rs.bufs
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
