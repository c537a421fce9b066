package bench

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"

	"github.com/bytedance/sonic"
	gojson "github.com/goccy/go-json"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/internal/benchdata"
	"github.com/stretchr/testify/require"
)

var data = sync.OnceValue(func() []byte {
	d, err := benchdata.LogFile("../testdata")
	if err != nil {
		panic(err)
	}
	return d
})

// decoders are the generic decoders compared, by benchmark name.
var decoders = []struct {
	name      string
	unmarshal benchdata.Unmarshaler
}{
	{"Stdlib", json.Unmarshal},
	{"GoJSON", gojson.Unmarshal},
	{"Sonic", sonic.Unmarshal},
}

// TestDecodersAgree checks that the comparison is fair: every decoder
// reads every record, and fills the map and the plain struct with the same
// values as encoding/json.
func TestDecodersAgree(t *testing.T) {
	var wantMap map[string]any
	var want benchdata.PlainLog
	require.NoError(t, json.Unmarshal(data(), &wantMap))
	require.NoError(t, json.Unmarshal(data(), &want))
	require.Len(t, want.Records, benchdata.Records)
	for _, d := range decoders[1:] {
		var gotMap map[string]any
		var got benchdata.PlainLog
		require.NoError(t, d.unmarshal(data(), &gotMap), d.name)
		require.NoError(t, d.unmarshal(data(), &got), d.name)
		require.Equal(t, wantMap, gotMap, d.name)
		require.Equal(t, want, got, d.name)
	}
	n, err := readAll(data())
	require.NoError(t, err)
	require.Equal(t, benchdata.Records, n)
}

// readAll decodes data with kmstrail's Reader and returns how many records
// it read, or its first error.
func readAll(data []byte) (int, error) {
	n := 0
	for _, err := range kmstrail.NewReader(bytes.NewReader(data)).All() {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// BenchmarkReader is kmstrail's full decode, as in kmstrail's own
// BenchmarkReader, so that the ratios come from one run.
func BenchmarkReader(b *testing.B) {
	b.SetBytes(int64(len(data())))
	b.ReportAllocs()
	for b.Loop() {
		if n, err := readAll(data()); err != nil || n != benchdata.Records {
			b.Fatalf("read %d records (%v), want %d", n, err, benchdata.Records)
		}
	}
}

// BenchmarkMap decodes into map[string]any with each decoder.
func BenchmarkMap(b *testing.B) {
	for _, d := range decoders {
		b.Run(d.name, func(b *testing.B) { benchdata.Map(b, data(), d.unmarshal) })
	}
}

// BenchmarkStruct decodes into benchdata.PlainEvent with each decoder.
func BenchmarkStruct(b *testing.B) {
	for _, d := range decoders {
		b.Run(d.name, func(b *testing.B) { benchdata.Struct(b, data(), d.unmarshal) })
	}
}
