// Package synth generates deterministic streams of CloudTrail records from
// the fixtures in testdata/, for benchmarks and stress tests: about 40% KMS
// records, in the mix of operations real accounts show (cryptographic
// operations dominate), and the rest a mix of other services. Each record
// gets its own eventTime, eventID and requestID; everything else is the
// template's.
package synth

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"time"
)

// KMSShare is the share of KMS records in a generated stream.
const KMSShare = 0.40

// kmsWeights is the assumed mix of KMS operations (weights, not shares):
// data-plane calls from SDKs and AWS services dominate, management calls
// are rare. Operations not listed get weight 0.002.
var kmsWeights = map[string]float64{
	"Decrypt": 0.38, "GenerateDataKey": 0.25, "Encrypt": 0.08, "GenerateDataKeyWithoutPlaintext": 0.06,
	"DescribeKey": 0.05, "ReEncrypt": 0.02, "CreateGrant": 0.02, "Sign": 0.015, "ListAliases": 0.015,
	"Verify": 0.01, "GetKeyPolicy": 0.01, "ListGrants": 0.01, "RetireGrant": 0.01, "GenerateMac": 0.005,
	"GetPublicKey": 0.005, "GetKeyRotationStatus": 0.005, "GenerateRandom": 0.005,
}

// serviceWeights is the assumed mix of the other services' records.
var serviceWeights = map[string]float64{
	"GetObject": 0.25, "PutObject": 0.15, "AssumeRole": 0.15, "GetItem": 0.15, "DescribeInstances": 0.10,
	"Invoke": 0.10, "PutMetricData": 0.08, "ConsoleLogin": 0.01, "CreateUser": 0.01,
}

// A template is one record split around the members that vary.
type template struct {
	name   string
	weight float64
	parts  [][]byte // text between the varying values
	fields []string // which value goes after each part but the last
}

// Generator makes records. It is deterministic for a given seed and set of
// templates.
type Generator struct {
	templates []template
	cum       []float64
	rng       *rand.Rand
	now       time.Time
}

// New returns a Generator over the fixtures in testdata (a file system
// holding kms/*.json and services/*.json).
func New(testdata fs.FS, seed uint64) (*Generator, error) {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: time.Date(2025, 5, 21, 0, 0, 0, 0, time.UTC)}
	for _, group := range []struct {
		dir     string
		share   float64
		weights map[string]float64
	}{{"kms", KMSShare, kmsWeights}, {"services", 1 - KMSShare, serviceWeights}} {
		names, err := fs.Glob(testdata, group.dir+"/*.json")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("synth: no templates in %s: %v", group.dir, err)
		}
		slices.Sort(names)
		variants := map[string]int{}
		for _, n := range names {
			variants[opName(n)]++
		}
		total := 0.0
		for op := range variants {
			total += weightOf(group.weights, op)
		}
		for _, n := range names {
			data, err := fs.ReadFile(testdata, n)
			if err != nil {
				return nil, err
			}
			t, err := split(data)
			if err != nil {
				return nil, fmt.Errorf("synth: %s: %v", n, err)
			}
			op := opName(n)
			t.name = op
			t.weight = group.share * weightOf(group.weights, op) / total / float64(variants[op])
			g.templates = append(g.templates, t)
		}
	}
	sum := 0.0
	for _, t := range g.templates {
		sum += t.weight
		g.cum = append(g.cum, sum)
	}
	return g, nil
}

func opName(p string) string {
	base := strings.TrimSuffix(path.Base(p), ".json")
	op, _, _ := strings.Cut(base, "-")
	return op
}

func weightOf(w map[string]float64, op string) float64 {
	if v, ok := w[op]; ok {
		return v
	}
	return 0.002
}

// varying are the top-level members each record gets its own value of.
var varying = []string{"eventTime", "eventID", "requestID"}

// split compacts a record and cuts it around the varying members' values.
func split(data []byte) (template, error) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		return template{}, err
	}
	text := compact.Bytes()
	type cut struct {
		start, end int
		field      string
	}
	var cuts []cut
	for _, f := range varying {
		key := []byte(`"` + f + `":"`)
		i := bytes.Index(text, key)
		if i < 0 {
			continue
		}
		start := i + len(key) - 1
		end := start + 1 + bytes.IndexByte(text[start+1:], '"') + 1
		cuts = append(cuts, cut{start, end, f})
	}
	slices.SortFunc(cuts, func(a, b cut) int { return a.start - b.start })
	var t template
	prev := 0
	for _, c := range cuts {
		t.parts = append(t.parts, text[prev:c.start])
		t.fields = append(t.fields, c.field)
		prev = c.end
	}
	t.parts = append(t.parts, text[prev:])
	return t, nil
}

// Record appends one compact record to b.
func (g *Generator) Record(b []byte) []byte {
	i, _ := slices.BinarySearch(g.cum, g.rng.Float64()*g.cum[len(g.cum)-1])
	t := &g.templates[min(i, len(g.templates)-1)]
	g.now = g.now.Add(time.Duration(g.rng.IntN(2000)) * time.Millisecond)
	for k, f := range t.fields {
		b = append(b, t.parts[k]...)
		b = append(b, '"')
		switch f {
		case "eventTime":
			b = g.now.AppendFormat(b, time.RFC3339)
		default:
			b = g.appendUUID(b)
		}
		b = append(b, '"')
	}
	return append(b, t.parts[len(t.parts)-1]...)
}

func (g *Generator) appendUUID(b []byte) []byte {
	hi, lo := g.rng.Uint64(), g.rng.Uint64()
	s := fmt.Sprintf("%016x%016x", hi, lo)
	return append(b, s[0:8]+"-"+s[8:12]+"-4"+s[13:16]+"-a"+s[17:20]+"-"+s[20:32]...)
}

// WriteLogFile writes a {"Records":[...]} log file of n records, as
// CloudTrail writes them (compact, on one line).
func (g *Generator) WriteLogFile(w io.Writer, n int) error {
	buf := make([]byte, 0, 64<<10)
	buf = append(buf, `{"Records":[`...)
	for i := 0; i < n; i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = g.Record(buf)
		if len(buf) > 48<<10 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, "]}\n"...)
	_, err := w.Write(buf)
	return err
}

// LogFile returns a log file of n records.
func (g *Generator) LogFile(n int) []byte {
	var b bytes.Buffer
	_ = g.WriteLogFile(&b, n)
	return b.Bytes()
}

// Gzip compresses data as CloudTrail does (one gzip member).
func Gzip(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.Bytes()
}
