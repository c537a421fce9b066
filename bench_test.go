package kmstrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"sync"
	"testing"

	"github.com/kmstrail/kmstrail/internal/benchdata"
	"github.com/kmstrail/kmstrail/internal/synth"
)

// The benchmarks read the same generated log file (benchdata.LogFile).
// Compare MB/s within one run:
//
//	go test -run '^$' -bench . -count 6 | benchstat -
//
// The generic decoders' benchmarks are in internal/benchdata, shared with
// the module under bench/ that compares third-party decoders.
var benchData = sync.OnceValue(func() []byte {
	data, err := benchdata.LogFile("testdata")
	if err != nil {
		panic(err)
	}
	return data
})

var benchGzip = sync.OnceValue(func() []byte { return synth.Gzip(benchData()) })

// BenchmarkReader is the full decode: envelope, KMS view, normalization,
// diagnostics, every record's bytes kept.
func BenchmarkReader(b *testing.B) {
	data := benchData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		readBench(b, bytes.NewReader(data), benchdata.Records)
	}
}

// BenchmarkReaderGzip is BenchmarkReader over the gzip file; its MB/s count
// decompressed bytes, like BenchmarkGunzip's.
func BenchmarkReaderGzip(b *testing.B) {
	data, gz := benchData(), benchGzip()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		readBench(b, bytes.NewReader(gz), benchdata.Records)
	}
}

func readBench(b *testing.B, in io.Reader, want int) {
	r := NewReader(in)
	n := 0
	for ev, err := range r.All() {
		if err != nil {
			b.Fatal(err)
		}
		_ = ev
		n++
	}
	if n != want {
		b.Fatalf("read %d records, want %d", n, want)
	}
}

// BenchmarkGunzip is gunzip alone, what BenchmarkReaderGzip is compared with.
func BenchmarkGunzip(b *testing.B) {
	data, gz := benchData(), benchGzip()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdlibMap is what users write by hand today: encoding/json into
// map[string]any.
func BenchmarkStdlibMap(b *testing.B) { benchdata.Map(b, benchData(), json.Unmarshal) }

// BenchmarkStdlibStruct is encoding/json into a plain envelope struct
// (benchdata.PlainEvent).
func BenchmarkStdlibStruct(b *testing.B) { benchdata.Struct(b, benchData(), json.Unmarshal) }

// benchRecords returns the records of the benchmarks' log file.
var benchRecords = sync.OnceValue(func() [][]byte {
	var log struct{ Records []json.RawMessage }
	if err := json.Unmarshal(benchData(), &log); err != nil {
		panic(err)
	}
	recs := make([][]byte, len(log.Records))
	for i, r := range log.Records {
		recs[i] = r
	}
	return recs
})

// BenchmarkReaderEmbedded reads the benchmarks' records as CloudWatch Logs
// delivers them, each a JSON string in a log event's message: the cost of a
// record held in a string, beside BenchmarkReader's. MB/s count the
// payload's bytes.
func BenchmarkReaderEmbedded(b *testing.B) { benchForm(b, synth.CloudWatchLogs(benchRecords())) }

// BenchmarkReaderLake reads the benchmarks' records as the AWS CLI prints
// CloudTrail Lake results, each in a row's eventJson column.
func BenchmarkReaderLake(b *testing.B) { benchForm(b, synth.LakeResults(benchRecords())) }

// benchForm benchmarks reading data, which holds the benchmarks' records.
func benchForm(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		readBench(b, bytes.NewReader(data), benchdata.Records)
	}
}
