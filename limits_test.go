package kmstrail

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/internal/synth"
)

// limitRecord is a small record; limitFile puts bad between two of them,
// one per line, in a log file: the bad record starts on line 3.
const limitRecord = `{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05Z","eventSource":"kms.amazonaws.com","eventName":"ListAliases"}`

func limitFile(bad string) string {
	return "{\"Records\":[\n" + limitRecord + ",\n" + bad + ",\n" + limitRecord + "\n]}\n"
}

// TestReaderLimits crosses each of the Reader's limits. Each gives an
// ErrLimit error that names the field to raise and is positioned where the
// limit was crossed; the records before it are delivered, and the limits on
// one value (record, string, depth) let the records after it through too.
func TestReaderLimits(t *testing.T) {
	long := strings.Repeat("x", 2000)
	deep := strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40)
	big := `{"eventVersion":"1.08","eventName":"Encrypt","requestParameters":{"a":"` + strings.Repeat("y", 900) +
		`","b":"` + strings.Repeat("y", 900) + `","c":"` + strings.Repeat("y", 900) + `"}}`
	zeros := strings.Repeat("0,", 200) + "0"
	var members strings.Builder
	for i := range 200 {
		fmt.Fprintf(&members, `"m%d":0,`, i)
	}
	members.WriteString(`"z":0`)
	bomb := synth.Gzip([]byte(limitFile(`{"eventVersion":"1.08","eventName":"Encrypt"` + strings.Repeat(" ", 8<<20) + `}`)))

	tests := []struct {
		name    string
		in      []byte
		set     func(*Reader)
		field   string
		decoded int // records delivered
		line    int // where the error is positioned; 0: only an offset
	}{
		{"record", []byte(limitFile(big)), func(r *Reader) { r.MaxRecordBytes = 1000 }, "Reader.MaxRecordBytes", 2, 3},
		{"string", []byte(limitFile(`{"eventVersion":"1.08","eventName":"` + long + `"}`)),
			func(r *Reader) { r.MaxStringBytes = 1000 }, "Reader.MaxStringBytes", 2, 3},
		{"depth", []byte(limitFile(`{"eventVersion":"1.08","requestParameters":` + deep + `}`)),
			func(r *Reader) { r.MaxDepth = 20 }, "Reader.MaxDepth", 2, 3},
		{"input", []byte(limitFile(`{"eventVersion":"1.08","eventName":"` + long + `"}`)),
			func(r *Reader) { r.MaxInputBytes = int64(len(limitFile(""))) + 100 }, "Reader.MaxInputBytes", 1, 3},
		{"compression ratio", bomb, func(r *Reader) {}, "Reader.MaxCompressionRatio", 1, 3},
		{"values, elements", []byte(limitFile(`{"eventVersion":"1.08","requestParameters":{"a":[` + zeros + `]}}`)),
			func(r *Reader) { r.MaxValues = 100 }, "Reader.MaxValues", 2, 3},
		{"values, members", []byte(limitFile(`{"eventVersion":"1.08","requestParameters":{` + members.String() + `}}`)),
			func(r *Reader) { r.MaxValues = 100 }, "Reader.MaxValues", 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(tt.in))
			r.Path = "limit.json"
			tt.set(r)
			evs, errs := readAll(t, r)
			assert.Len(t, evs, tt.decoded)
			require.Len(t, errs, 1, "errors: %v", errs)
			err := errs[0]
			assert.ErrorIs(t, err, ErrLimit)
			assert.Contains(t, err.Error(), tt.field)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, "limit.json", e.Path)
			assert.Positive(t, e.Offset, "%v", err)
			assert.Equal(t, tt.line, e.Line, "%v", err)
			assert.Positive(t, e.Column, "%v", err)
			assert.True(t, strings.HasPrefix(err.Error(), "limit.json:3:"), "%v", err)
			// The limit is named by a typed cause, not only in words.
			var le *LimitError
			require.True(t, errors.As(err, &le), "%v", err)
			assert.Equal(t, tt.field, "Reader."+le.Limit)
			assert.Positive(t, le.Max)
			le.Raise = "-flag"
			assert.Contains(t, err.Error(), "(raise -flag)")
			for _, ev := range evs {
				assert.Equal(t, "ListAliases", ev.EventName)
			}
		})
	}
}

// TestReaderMaxValues: MaxValues counts every member and element of a
// record, nested ones too; a record of exactly MaxValues passes, and one
// more fails at the value that crosses it. Read whole and a byte at a time,
// so that both of the scanner's paths are crossed.
func TestReaderMaxValues(t *testing.T) {
	// Six values: eventVersion, requestParameters, a, and a's three elements.
	rec := `{"eventVersion":"1.08","requestParameters":{"a":[0,0,0]}}`
	for _, oneByte := range []bool{false, true} {
		for _, tt := range []struct {
			max int
			ptr string // "" when the record passes
		}{{6, ""}, {7, ""}, {5, "/requestParameters/a/2"}, {2, "/requestParameters/a"}} {
			t.Run(fmt.Sprintf("max %d, one byte %v", tt.max, oneByte), func(t *testing.T) {
				var in io.Reader = strings.NewReader(rec)
				if oneByte {
					in = iotest.OneByteReader(in)
				}
				r := NewReader(in)
				r.MaxValues = tt.max
				ev, err := r.Next()
				if tt.ptr == "" {
					require.NoError(t, err)
					assert.Equal(t, "1.08", ev.EventVersion)
					return
				}
				require.ErrorIs(t, err, ErrLimit)
				var e *Error
				require.True(t, errors.As(err, &e))
				assert.Equal(t, tt.ptr, e.Pointer, "%v", err)
				assert.Contains(t, err.Error(), fmt.Sprintf("more than %d members and elements", tt.max))
			})
		}
	}
}

// TestReaderLimitDefaults pins the documented defaults.
func TestReaderLimitDefaults(t *testing.T) {
	r := NewReader(strings.NewReader(limitRecord))
	_, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, DefaultMaxRecordBytes, r.MaxRecordBytes)
	assert.Equal(t, DefaultMaxDepth, r.MaxDepth)
	assert.Equal(t, DefaultMaxStringBytes, r.MaxStringBytes)
	assert.Equal(t, DefaultMaxValues, r.MaxValues)
	assert.Equal(t, int64(DefaultMaxInputBytes), r.MaxInputBytes)
	assert.Equal(t, DefaultMaxCompressionRatio, r.MaxCompressionRatio)
	_, err = r.Next()
	assert.Equal(t, io.EOF, err)
}

// TestReaderInvalidText: invalid UTF-8 and lone surrogates are positioned
// errors by default; under Repair they become U+FFFD with a diagnostic, and
// the record decodes. The records around the bad one are delivered either
// way.
func TestReaderInvalidText(t *testing.T) {
	tests := []struct {
		name   string
		value  string // the eventName as written
		want   string // the eventName after repair
		column int    // column of the fault on line 3
	}{
		{"invalid byte", "Enc\xffrypt", "Enc\uFFFDrypt", 40},
		{"truncated sequence", "Enc\xe2\x82rypt", "Enc\uFFFD\uFFFDrypt", 40}, // one U+FFFD per bad byte, as ranging over a Go string gives
		{"overlong encoding", "Enc\xc0\xafrypt", "Enc\uFFFD\uFFFDrypt", 40},
		{"encoded surrogate", "Enc\xed\xa0\x80rypt", "Enc\uFFFD\uFFFD\uFFFDrypt", 40},
		{"lone high surrogate", `Enc\ud800rypt`, "Enc\uFFFDrypt", 40},
		{"lone low surrogate", `Enc\udc00rypt`, "Enc\uFFFDrypt", 40},
		{"high surrogate at the end", `Encrypt\ud83d`, "Encrypt\uFFFD", 44},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := limitFile(`{"eventVersion":"1.08","eventName":"` + tt.value + `","eventTime":"2024-01-02T03:04:05Z"}`)

			evs, errs := readAll(t, NewReader(strings.NewReader(in)))
			assert.Len(t, evs, 2)
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrInvalidUTF8)
			var e *Error
			require.True(t, errors.As(errs[0], &e))
			assert.Equal(t, 3, e.Line, "%v", errs[0])
			assert.Equal(t, tt.column, e.Column, "%v", errs[0])
			assert.Equal(t, 1, e.Record)

			r := NewReader(strings.NewReader(in))
			r.Repair = true
			evs, errs = readAll(t, r)
			require.Empty(t, errs)
			require.Len(t, evs, 3)
			ev := evs[1]
			assert.Equal(t, tt.want, ev.EventName)
			require.NotEmpty(t, ev.Diagnostics)
			for _, d := range ev.Diagnostics {
				assert.Equal(t, Repaired, d.Kind)
				assert.Equal(t, "/eventName", d.Pointer)
				assert.Equal(t, 3, d.Line)
			}
			assert.Equal(t, tt.column, ev.Diagnostics[0].Column)
		})
	}
}

// TestLambdaPayloadLimit: a CloudWatch Logs payload as Lambda receives it
// (base64 of gzip) is decoded whole, so its decoded size is bounded by
// MaxRecordBytes like any envelope read whole, not by MaxInputBytes.
func TestLambdaPayloadLimit(t *testing.T) {
	recs := make([][]byte, 50)
	for i := range recs {
		recs[i] = []byte(limitRecord)
	}
	in := synth.Lambda(recs)

	evs, errs := readAll(t, NewReader(bytes.NewReader(in)))
	require.Empty(t, errs)
	assert.Len(t, evs, 50)

	r := NewReader(bytes.NewReader(in))
	r.MaxRecordBytes = 4000
	evs, errs = readAll(t, r)
	assert.Less(t, len(evs), 50)
	require.NotEmpty(t, errs)
	last := errs[len(errs)-1]
	assert.ErrorIs(t, last, ErrLimit)
	assert.Contains(t, last.Error(), "raise Reader.MaxRecordBytes")
	assert.Contains(t, last.Error(), "/awslogs/data")
}

// TestLambdaPayloadNesting: a Lambda payload may hold another one, and each
// is read by a Reader of its own, so payloads count against the nesting
// bound like any envelope. Unbounded, 1,000 payloads nested in 1.3 MB of
// input took 1 GB of RSS and 3 s through the command, and the 200 here
// allocated 40 MB (1 MB when bounded).
func TestLambdaPayloadNesting(t *testing.T) {
	in := []byte(limitRecord)
	for depth := 1; depth <= 200; depth++ {
		in = lambdaEvent(in)
		if depth > maxNesting+1 && depth < 200 {
			continue
		}
		t.Run(fmt.Sprint(depth), func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			evs, errs := readAll(t, NewReader(bytes.NewReader(in)))
			runtime.ReadMemStats(&after)
			if depth <= maxNesting {
				require.Empty(t, errs)
				require.Len(t, evs, 1)
				assert.Equal(t, "ListAliases", evs[0].EventName)
				return
			}
			assert.Empty(t, evs)
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrNotRecord)
			assert.Contains(t, errs[0].Error(), "envelopes nested too deeply")
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "bytes allocated")
		})
	}
}

// lambdaEvent wraps a payload as Lambda receives a CloudWatch Logs event:
// base64 of gzip in awslogs.data.
func lambdaEvent(payload []byte) []byte {
	return []byte(`{"awslogs":{"data":"` + base64.StdEncoding.EncodeToString(synth.Gzip(payload)) + `"}}`)
}

// TestLambdaPayloadBudget: what Lambda payloads decode, nested ones
// included, is held to MaxCompressionRatio times the input. Each payload
// here keeps within the ratio and MaxRecordBytes, and nests within
// maxNesting, but a hundred payloads of a hundred payloads of 600 KB of
// records came in 20 KB: 6.6 million records and 15 s through the command
// (a level deeper, 30 KB held 665 million).
func TestLambdaPayloadBudget(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var leaf bytes.Buffer
	pad := strings.Repeat("a", 900)
	for leaf.Len() < 600<<10 { // compresses about 80 times
		fmt.Fprintf(&leaf, `{"eventVersion":"1.08","eventName":"E","x":"%s%08x"}`+"\n", pad, rng.Uint32())
	}
	in := lambdaEvent(leaf.Bytes())
	for range 2 {
		in = lambdaEvent(bytes.Repeat(append(in, '\n'), 100))
	}
	require.Less(t, len(in), 32<<10)

	r := NewReader(bytes.NewReader(in))
	var evs int
	var last error
	for ev, err := range r.All() {
		if err != nil {
			last = err
			continue
		}
		evs++
		require.Less(t, evs, 10_000, "records past the budget: %d bytes of input hold %s", len(in), ev.EventName)
	}
	t.Logf("%d bytes of input: %d records, then %v", len(in), evs, last)
	assert.Greater(t, evs, 1000, "the records within the budget")
	require.Error(t, last)
	assert.ErrorIs(t, last, ErrLimit)
	assert.ErrorContains(t, last, "Lambda payloads expand more than 200 times the input (raise Reader.MaxCompressionRatio)")
	assert.ErrorContains(t, last, "/awslogs/data")

	// Payloads of 2,000 identical records, 29 times their size, are well
	// within it.
	recs := make([][]byte, 2000)
	for i := range recs {
		recs[i] = []byte(limitRecord)
	}
	one := synth.Lambda(recs)
	evsOK, errs := readAll(t, NewReader(bytes.NewReader(bytes.Repeat(append(one, '\n'), 20))))
	require.Empty(t, errs)
	assert.Len(t, evsOK, 20*len(recs))
}

// TestLimitThenSlip: a record that crosses MaxRecordBytes and then has a
// slip Repair mends fails for its limit, which names the field to raise;
// the slip once failed it as though Repair were off. The record is larger
// than the scanner's buffer, so that it is dropped while being read (see
// dropValue); a smaller one is measured once read.
func TestLimitThenSlip(t *testing.T) {
	pad := `"pad":"` + strings.Repeat("y", 200<<10) + `"`
	for _, tt := range []struct{ name, rest string }{
		{"invalid byte", `,"x":"a` + "\xff" + `"`},
		{"lone surrogate", `,"x":"\udc00"`},
		{"trailing comma", `,"x":[1,]`},
		{"missing comma", `,"x":1 "y":2`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(limitFile(`{"eventVersion":"1.08",` + pad + tt.rest + `}`)))
			r.Repair, r.MaxRecordBytes = true, 1000
			evs, errs := readAll(t, r)
			assert.Len(t, evs, 2, "the records around it")
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrLimit)
			assert.ErrorContains(t, errs[0], "raise Reader.MaxRecordBytes")
		})
	}
}

// TestEnvelopeLimit: an envelope read whole that crosses MaxRecordBytes or
// MaxValues fails as the envelope, at its start, naming it; before, the
// error named a member deep in one of its records (record 0,
// /Records/25311/responseElements/...), and the user could not tell which
// value was too large. A record too large within a streamed log file is
// still that record's error.
func TestEnvelopeLimit(t *testing.T) {
	recs := make([][]byte, 100)
	for i := range recs {
		recs[i] = fmt.Appendf(nil, `{"eventVersion":"1.08","eventTime":"2025-05-21T05:42:31Z","eventName":"E%d","requestParameters":{"a":[1,2,3]}}`, i)
	}
	for _, tc := range []struct {
		name  string
		in    []byte
		set   func(*Reader)
		limit string
		what  string
	}{
		{"log file, bytes", synth.RecordsLast(recs), func(r *Reader) { r.MaxRecordBytes = 4096 }, "MaxRecordBytes",
			fmt.Sprintf("the log file, read whole because its Records member is not first, is %d bytes, more than 4096", len(synth.RecordsLast(recs))-1)},
		{"log file, values", synth.RecordsLast(recs), func(r *Reader) { r.MaxValues = 500 }, "MaxValues",
			"the log file, read whole because its Records member is not first, holds more than 500 members and elements"},
		{"CloudWatch Logs", synth.CloudWatchLogs(recs), func(r *Reader) { r.MaxRecordBytes = 4096 }, "MaxRecordBytes", "the CloudWatch Logs payload, read whole, is"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(tc.in))
			tc.set(r)
			evs, errs := readAll(t, r)
			assert.Empty(t, evs)
			require.Len(t, errs, 1)
			var e *Error
			require.ErrorAs(t, errs[0], &e)
			assert.Equal(t, -1, e.Record, "the envelope is not a record")
			assert.Equal(t, "", e.Pointer)
			assert.Equal(t, 1, e.Line)
			assert.Equal(t, 1, e.Column)
			var le *LimitError
			require.ErrorAs(t, errs[0], &le)
			assert.Equal(t, tc.limit, le.Limit)
			assert.Contains(t, le.What, tc.what)
		})
	}
	// Streamed, a record too large is the record's error.
	big := slices.Clone(recs)
	big[50] = []byte(`{"eventVersion":"1.08","eventName":"` + strings.Repeat("x", 5000) + `"}`)
	r := NewReader(bytes.NewReader(synth.Records(big)))
	r.MaxRecordBytes = 4096
	evs, errs := readAll(t, r)
	assert.Len(t, evs, 99)
	require.Len(t, errs, 1)
	var e *Error
	require.ErrorAs(t, errs[0], &e)
	assert.Equal(t, 50, e.Record)
}

// TestLakeCellLimits: a record in a CloudTrail Lake eventjson cell is held
// to the Reader's limits, as a bare record is. The cell was once read by a
// Reader of its own that had only Repair copied, and with MaxDepth 5 a
// record 20 deep failed bare but decoded in a cell.
func TestLakeCellLimits(t *testing.T) {
	deep := `{"eventVersion":"1.08","eventName":"Deep","requestParameters":` +
		strings.Repeat(`{"a":`, 20) + "1" + strings.Repeat("}", 20) + "}"
	bare := NewReader(strings.NewReader(deep))
	bare.MaxDepth = 5
	_, err := bare.Next()
	require.ErrorIs(t, err, ErrLimit)

	cell, err := json.Marshal(deep)
	require.NoError(t, err)
	lake := `{"QueryStatus":"FINISHED","QueryResultRows":[[{"eventjson":` + string(cell) + `}]]}`
	r := NewReader(strings.NewReader(lake))
	r.MaxDepth = 5
	_, err = r.Next()
	require.ErrorIs(t, err, ErrLimit)
	assert.ErrorContains(t, err, "MaxDepth")
}

// TestLimitsWhenNested: each limit on a record holds wherever the record
// is, whatever form nests it: a record that crosses it fails, as a bare one
// does, naming the field to raise. (A Lake eventjson cell once had only
// Repair handed down, and decoded records 20 deep with MaxDepth 5.)
func TestLimitsWhenNested(t *testing.T) {
	const head = `{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05Z","eventSource":"kms.amazonaws.com","eventName":"Bad",`
	var members strings.Builder
	for i := range 50 {
		fmt.Fprintf(&members, `"m%d":0,`, i)
	}
	limits := []struct {
		field string
		rec   string
		set   func(*Reader)
	}{
		{"MaxDepth", head + `"requestParameters":` + strings.Repeat(`{"a":`, 20) + "1" + strings.Repeat("}", 20) + "}",
			func(r *Reader) { r.MaxDepth = 5 }},
		{"MaxStringBytes", head + `"requestParameters":{"a":"` + strings.Repeat("s", 1000) + `"}}`,
			func(r *Reader) { r.MaxStringBytes = 900 }},
		{"MaxValues", head + `"requestParameters":{` + members.String() + `"z":0}}`,
			func(r *Reader) { r.MaxValues = 40 }},
		{"MaxRecordBytes", head + `"requestParameters":{"a":"` + strings.Repeat("s", 3000) + `"}}`,
			func(r *Reader) { r.MaxRecordBytes = 2000 }},
	}
	lakeCell := func(rec []byte) []byte {
		cell, _ := json.Marshal(string(rec))
		return []byte(`{"QueryStatus":"FINISHED","QueryResultRows":[[{"eventjson":` + string(cell) + `}]]}`)
	}
	forms := []struct {
		name string
		wrap func(rec []byte) []byte
	}{
		{"bare", func(rec []byte) []byte { return rec }},
		{"Lake eventjson cell", lakeCell},
		{"Lake results", func(rec []byte) []byte { return synth.LakeResults([][]byte{rec}) }},
		{"CloudTrailEvent string", func(rec []byte) []byte { return synth.LookupEventsOutput([][]byte{rec}) }},
		{"CloudTrailEvent string, one per line", func(rec []byte) []byte { return synth.LookupEventLines([][]byte{rec}) }},
		{"CloudWatch Logs message", func(rec []byte) []byte { return synth.CloudWatchLogs([][]byte{rec}) }},
		{"EventBridge detail", func(rec []byte) []byte { return synth.EventBridge([][]byte{rec})[0] }},
		{"Lambda payload", func(rec []byte) []byte { return synth.Lambda([][]byte{rec}) }},
		{"Lambda payload in a log file", func(rec []byte) []byte {
			return synth.RecordsLast([][]byte{synth.Lambda([][]byte{rec})})
		}},
	}
	for _, l := range limits {
		for _, f := range forms {
			t.Run(l.field+"/"+f.name, func(t *testing.T) {
				in := f.wrap([]byte(l.rec))
				evs, errs := readAll(t, NewReader(bytes.NewReader(in)))
				require.Empty(t, errs, "within the default limits")
				require.Len(t, evs, 1)

				r := NewReader(bytes.NewReader(in))
				l.set(r)
				evs, errs = readAll(t, r)
				assert.Empty(t, evs)
				require.NotEmpty(t, errs)
				var le *LimitError
				require.ErrorAs(t, errs[0], &le, "%v", errs)
				assert.Equal(t, l.field, le.Limit, "%v", errs[0])
			})
		}
	}
}
