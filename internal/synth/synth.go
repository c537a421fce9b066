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
	"regexp"
	"slices"
	"strconv"
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
	name    string
	weight  float64
	parts   [][]byte // text between the varying values
	fields  []string // which value goes after each part but the last
	keys    []string // the key IDs the record names, for fields "key:N"
	grants  []string // the grant IDs it names, for fields "grant:N"
	regions []string // the Regions it names, for fields "region:N"
	use     bool     // a read or cryptographic operation (readOnly)
	group   string   // the folder it came from: kms or services
}

// Generator makes records. It is deterministic for a given seed and set of
// templates.
type Generator struct {
	templates []template
	cum       []float64
	rng       *rand.Rand
	now       time.Time
	zipf      *rand.Zipf
	keyed     bool // the weights are keyedWeightOf's

	// Keys, when positive, spreads KMS records over that many keys, as the
	// account of a busy team has them: each record names its own key (in
	// place of every key ID of its template), its key's Region (in place of
	// every Region, so that each key has one ARN) and its own grant IDs. Uses
	// (reads and cryptographic operations, which are most records) go to
	// keys in a Zipf distribution, a few keys taking most of them; changes
	// (CreateKey, DisableKey, ImportKeyMaterial, ...) to any key alike, and
	// rarer than in the default mix (keyedWeightOf). Set it before the first
	// Record; zero leaves the templates' keys.
	Keys int

	// MaxStep is the most time between two records (the step is uniform
	// below it): 2 seconds by default, about 1 second on average, so that a
	// million records span 11 days. 520 ms makes ten million a month.
	MaxStep time.Duration
}

// New returns a Generator over the fixtures in testdata (a file system
// holding kms/*.json and services/*.json).
func New(testdata fs.FS, seed uint64) (*Generator, error) {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: time.Date(2025, 5, 21, 0, 0, 0, 0, time.UTC)}
	for _, group := range groups {
		names, err := fs.Glob(testdata, group.dir+"/*.json")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("synth: no templates in %s: %v", group.dir, err)
		}
		slices.Sort(names)
		for _, n := range names {
			data, err := fs.ReadFile(testdata, n)
			if err != nil {
				return nil, err
			}
			t, err := split(data)
			if err != nil {
				return nil, fmt.Errorf("synth: %s: %v", n, err)
			}
			t.name, t.group = opName(n), group.dir
			g.templates = append(g.templates, t)
		}
	}
	g.weigh(weightOf)
	return g, nil
}

// groups are the kinds of templates, each with its share of the records
// and the mix of its operations.
var groups = []struct {
	dir     string
	share   float64
	weights map[string]float64
}{{"kms", KMSShare, kmsWeights}, {"services", 1 - KMSShare, serviceWeights}}

// weigh sets the templates' weights from the mix of operations: weight
// returns an operation's weight in its group's mix. The variants of an
// operation share its weight.
func (g *Generator) weigh(weight func(w map[string]float64, op string) float64) {
	for _, group := range groups {
		variants := map[string]int{}
		for _, t := range g.templates {
			if t.group == group.dir {
				variants[t.name]++
			}
		}
		total := 0.0
		for op := range variants {
			total += weight(group.weights, op)
		}
		for i := range g.templates {
			if t := &g.templates[i]; t.group == group.dir {
				t.weight = group.share * weight(group.weights, t.name) / total / float64(variants[t.name])
			}
		}
	}
	g.cum = g.cum[:0]
	sum := 0.0
	for _, t := range g.templates {
		sum += t.weight
		g.cum = append(g.cum, sum)
	}
}

// keyedWeightOf is the mix of operations of a busy account's keys (Keys):
// uses and grants as kmsWeights has them; other changes ten times rarer
// than weightOf's, and those that take a key out of use (disabling,
// deletion, deleting key material) forty times rarer.
func keyedWeightOf(w map[string]float64, op string) float64 {
	if v, ok := w[op]; ok {
		return v
	}
	switch op {
	case "DisableKey", "ScheduleKeyDeletion", "CancelKeyDeletion", "DeleteKey", "DeleteImportedKeyMaterial", "DeleteExpiredKeyMaterial":
		return 0.00005
	}
	return 0.0002
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

var (
	keyIDPattern   = regexp.MustCompile(`key/([A-Za-z0-9-]+)`)
	grantIDPattern = regexp.MustCompile(`"grantId":"([0-9a-f]+)"`)
	regionPattern  = regexp.MustCompile(`"awsRegion":"([a-z0-9-]+)"|arn:aws:kms:([a-z0-9-]+):`)
)

// keyRegions are the Regions of the keys, with Keys: key i lives in
// keyRegions[i%len(keyRegions)], and its records are written there.
var keyRegions = []string{"us-west-2", "us-west-2", "us-west-2", "us-east-1", "eu-west-1"}

// split compacts a record and cuts it around the varying members' values,
// and around the key and grant IDs it names (which vary with Keys).
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
	var t template
	t.use = bytes.Contains(text, []byte(`"readOnly":true`))
	// Every occurrence of each ID, where no varying member's value is.
	ids := func(re *regexp.Regexp, kind string, list *[]string) {
		for _, m := range re.FindAllSubmatch(text, -1) {
			id := string(m[1])
			if len(m) > 2 && id == "" {
				id = string(m[2])
			}
			if !slices.Contains(*list, id) {
				*list = append(*list, id)
			}
		}
		for n, id := range *list {
			for at := 0; ; {
				i := bytes.Index(text[at:], []byte(id))
				if i < 0 {
					break
				}
				start, end := at+i, at+i+len(id)
				at = end
				if !slices.ContainsFunc(cuts, func(c cut) bool { return start < c.end && c.start < end }) {
					cuts = append(cuts, cut{start, end, kind + ":" + strconv.Itoa(n)})
				}
			}
		}
	}
	ids(keyIDPattern, "key", &t.keys)
	ids(grantIDPattern, "grant", &t.grants)
	ids(regionPattern, "region", &t.regions)
	slices.SortFunc(cuts, func(a, b cut) int { return a.start - b.start })
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
	if g.Keys > 0 && !g.keyed {
		g.keyed = true
		g.weigh(keyedWeightOf)
	}
	i, _ := slices.BinarySearch(g.cum, g.rng.Float64()*g.cum[len(g.cum)-1])
	t := &g.templates[min(i, len(g.templates)-1)]
	step := 2000
	if g.MaxStep > 0 {
		step = max(int(g.MaxStep/time.Millisecond), 1)
	}
	g.now = g.now.Add(time.Duration(g.rng.IntN(step)) * time.Millisecond)
	key := 0
	if g.Keys > 0 {
		key = g.pickKey(t.use)
	}
	for k, f := range t.fields {
		b = append(b, t.parts[k]...)
		kind, n, _ := strings.Cut(f, ":")
		j, _ := strconv.Atoi(n)
		switch {
		case kind == "key" && g.Keys > 0:
			b = appendKeyID(b, (key+j)%g.Keys)
		case kind == "key":
			b = append(b, t.keys[j]...)
		case kind == "grant" && g.Keys > 0:
			// One of a few grants of the key, so that grants are created,
			// retired and created again, as services do.
			b = fmt.Appendf(b, "%016x%048x", (key+j)%g.Keys, g.rng.IntN(grantsPerKey))
		case kind == "grant":
			b = append(b, t.grants[j]...)
		case kind == "region" && g.Keys > 0:
			b = append(b, keyRegions[key%len(keyRegions)]...)
		case kind == "region":
			b = append(b, t.regions[j]...)
		case f == "eventTime":
			b = append(b, '"')
			b = g.now.AppendFormat(b, time.RFC3339)
			b = append(b, '"')
		default:
			b = append(b, '"')
			b = g.appendUUID(b)
			b = append(b, '"')
		}
	}
	return append(b, t.parts[len(t.parts)-1]...)
}

// grantsPerKey is how many grants each key's records name, with Keys.
const grantsPerKey = 8

// pickKey returns the index of the key a record names: for a use, a key in
// a Zipf distribution; for a change, any key alike.
func (g *Generator) pickKey(use bool) int {
	if !use {
		return g.rng.IntN(g.Keys)
	}
	if g.zipf == nil {
		g.zipf = rand.NewZipf(g.rng, 1.1, 2, uint64(g.Keys-1))
	}
	return int(g.zipf.Uint64())
}

// appendKeyID appends the ID of key i of Keys: a UUID of its own.
func appendKeyID(b []byte, i int) []byte {
	return fmt.Appendf(b, "%08x-5e7d-4a11-8b1a-%012x", i, i)
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
