package kmstrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail/internal/jsonscan"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/internal/synth"
)

const seedPath = "testdata/ImportKeyMaterial-seed.json"

// readAll reads every record and error of an input.
func readAll(t *testing.T, r *Reader) (evs []*Event, errs []error) {
	t.Helper()
	for ev, err := range r.All() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		evs = append(evs, ev)
	}
	return evs, errs
}

func openReader(t *testing.T, path string, repair bool) *Reader {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	r := NewReader(f)
	r.Repair = repair
	return r
}

// TestSeedStrict: the user's seed document, AWS's ImportKeyMaterial example
// as published, lacks a comma after recipientAccountId (line 40 of the
// fixture); the error points at line 41, where the next member starts.
func TestSeedStrict(t *testing.T) {
	evs, errs := readAll(t, openReader(t, seedPath, false))
	assert.Empty(t, evs)
	require.Len(t, errs, 1)
	var e *Error
	require.True(t, errors.As(errs[0], &e))
	assert.ErrorIs(t, e, ErrSyntax)
	assert.Contains(t, []int{41, 42}, e.Line)
	assert.Equal(t, 1, e.Column)
	assert.Equal(t, 0, e.Record)
	assert.Equal(t, seedPath, e.Path)
	assert.Equal(t, "/recipientAccountId", e.Pointer)
	assert.Equal(t, seedPath+":41:1: record 0: /recipientAccountId: invalid JSON: missing ',' after object member (found '\"')", e.Error())

	data, err := os.ReadFile(seedPath)
	require.NoError(t, err)
	_, err = Parse(data)
	assert.ErrorIs(t, err, ErrSyntax)
}

// TestSeedRepair checks every value the foundation issue names for the
// seed decoded with Repair.
func TestSeedRepair(t *testing.T) {
	evs, errs := readAll(t, openReader(t, seedPath, true))
	require.Empty(t, errs)
	require.Len(t, evs, 1)
	ev := evs[0]

	assert.Equal(t, time.Date(2025, 5, 21, 5, 42, 31, 0, time.UTC), ev.EventTime)
	require.NotNil(t, ev.KMS)
	assert.Equal(t, OpImportKeyMaterial, ev.KMS.Operation)
	req, ok := ev.KMS.Request.(*ImportKeyMaterialRequest)
	require.True(t, ok, "Request is %T", ev.KMS.Request)
	assert.Equal(t, time.Date(2025, 5, 21, 5, 47, 45, 0, time.UTC), req.ValidTo.Time)
	assert.Equal(t, "May 21, 2025, 5:47:45 AM", req.ValidTo.Text)
	assert.Equal(t, types.ExpirationModelTypeKeyMaterialExpires, req.ExpirationModel)
	assert.Equal(t, types.ImportTypeNewKeyMaterial, req.ImportType)
	assert.Equal(t, "ExampleKeyMaterialA", req.KeyMaterialDescription)
	assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", ev.KMS.Key.ARN)
	assert.Equal(t, "1234abcd-12ab-34cd-56ef-1234567890ab", ev.KMS.Key.ID)
	assert.Equal(t, KeyFromResponse, ev.KMS.Key.ARNSource)
	resp, ok := ev.KMS.Response.(*ImportKeyMaterialResponse)
	require.True(t, ok, "Response is %T", ev.KMS.Response)
	assert.Equal(t, "123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", resp.KeyMaterialID)

	var repairs []Diagnostic
	for _, d := range ev.Diagnostics {
		if d.Kind == Repaired {
			repairs = append(repairs, d)
		}
	}
	require.Len(t, repairs, 1, "diagnostics: %v", ev.Diagnostics)
	assert.Equal(t, 41, repairs[0].Line)
	assert.Equal(t, 1, repairs[0].Column)

	require.NotNil(t, ev.TLSDetails)
	assert.Equal(t, "TLSv1.3", ev.TLSDetails.TLSVersion)
	assert.Equal(t, "TLS_AES_256_GCM_SHA384", ev.TLSDetails.CipherSuite)
	assert.Equal(t, "kms.us-west-2.amazonaws.com", ev.TLSDetails.ClientProvidedHostHeader)

	// Raw is the record as read, missing comma and all.
	data, _ := os.ReadFile(seedPath)
	assert.Equal(t, string(bytes.TrimSpace(data)), string(ev.Raw))
}

// TestPre2022ImportKeyMaterial: before December 2022 responseElements was
// null; a key named by a bare ID gets the ARN derived from awsRegion and
// recipientAccountId, and resolves to the same key as the seed.
func TestPre2022ImportKeyMaterial(t *testing.T) {
	evs, errs := readAll(t, openReader(t, "testdata/kms/ImportKeyMaterial-pre2022.json", false))
	require.Empty(t, errs)
	require.Len(t, evs, 1)
	ev := evs[0]
	assert.Nil(t, ev.ResponseElements)
	assert.Nil(t, ev.KMS.Response)
	req := ev.KMS.Request.(*ImportKeyMaterialRequest)
	assert.Equal(t, time.Date(2021, 1, 1, 20, 0, 0, 0, time.UTC), req.ValidTo.Time)
	assert.Equal(t, DialectJavaMedium, req.ValidTo.Dialect)

	seed, _ := readAll(t, openReader(t, seedPath, true))
	want := seed[0].KMS.Key
	got := ev.KMS.Key
	assert.True(t, got.Derived())
	assert.Equal(t, KeyDerived, got.ARNSource)
	want.ARNSource = KeyDerived
	assert.Equal(t, want, got)

	// Marshaling keeps responseElements null.
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"responseElements":null`)
}

func TestReaderLogFile(t *testing.T) {
	data := logFile(t, "ImportKeyMaterial-2025", "Decrypt-basic", "ScheduleKeyDeletion-basic")
	for _, gz := range []bool{false, true} {
		in := data
		if gz {
			in = gzipped(t, data)
		}
		r := NewReader(bytes.NewReader(in))
		r.Path = "trail.json"
		evs, errs := readAll(t, r)
		require.Empty(t, errs)
		require.Len(t, evs, 3)
		for i, ev := range evs {
			assert.Equal(t, i, ev.Source.Record)
			assert.Equal(t, FormatLogFile, ev.Source.Format)
			assert.Equal(t, "trail.json", ev.Source.Path)
		}
		assert.Equal(t, "Decrypt", evs[1].EventName)
		assert.Equal(t, 1, evs[0].Source.Line)
	}
}

// logFile builds a {"Records":[...]} log file from KMS fixtures.
func logFile(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(`{"Records":[`)
	for i, n := range names {
		data, err := os.ReadFile("testdata/kms/" + n + ".json")
		require.NoError(t, err)
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(compactJSON(t, data))
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

func compactJSON(t *testing.T, data []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, json.Compact(&out, data))
	return out.Bytes()
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

// TestReaderBadRecords: a record that fails does not stop the records
// after it, and records in = decoded + failed.
func TestReaderBadRecords(t *testing.T) {
	good := `{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}`
	tests := []struct {
		name    string
		in      string
		decoded int
		failed  []error // sentinels, in order
	}{
		{"not an object", `{"Records":[` + good + `,42,` + good + `]}`, 2, []error{ErrNotRecord}},
		{"duplicate with different values", `{"Records":[` + good + `,{"eventName":"A","eventName":"B"},` + good + `]}`, 2, []error{ErrDuplicateName}},
		{"damaged record", "{\"Records\":[\n" + good + ",\n{\"eventVersion\":\"1.08\",\"eventTime\" \"x\"},\n" + good + "\n]}", 2, []error{ErrSyntax}},
		{"damaged first record", "{\"Records\":[\n{\"eventVersion\":\"1.08\",\"eventTime\":tru},\n" + good + ",\n" + good + "\n]}", 2, []error{ErrSyntax}},
		{"damaged last record", "{\"Records\":[\n" + good + ",\n{\"eventVersion\":\"1.08\",\"eventTime\":\"x\" \"y\"}\n]}", 1, []error{ErrSyntax}},
		{"array", `[` + good + `, "text", ` + good + `]`, 2, []error{ErrNotRecord}},
		{"json lines", good + "\n{\"eventVersion\":\n" + good + "\n", 2, []error{ErrTruncated}},
		{"json lines with a bad line", good + "\n{\"eventVersion\":1,}\n" + good + "\n", 2, []error{ErrSyntax}},
		{"object that is no record", `[{"hello":"world"},` + good + `]`, 1, []error{ErrNotRecord}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, errs := readAll(t, NewReader(strings.NewReader(tt.in)))
			assert.Len(t, evs, tt.decoded)
			require.Len(t, errs, len(tt.failed), "errors: %v", errs)
			for i, err := range errs {
				assert.ErrorIs(t, err, tt.failed[i])
				var e *Error
				require.True(t, errors.As(err, &e))
				assert.GreaterOrEqual(t, e.Record, 0, "error %v counts as a failed record", err)
				assert.Positive(t, e.Line, "error %v has no line", err)
			}
			// Record indexes count every record in, decoded or failed.
			seen := map[int]bool{}
			for _, ev := range evs {
				seen[ev.Source.Record] = true
			}
			for _, err := range errs {
				var e *Error
				errors.As(err, &e)
				seen[e.Record] = true
			}
			assert.Len(t, seen, tt.decoded+len(tt.failed))
		})
	}
}

func TestReaderRepairBetweenRecords(t *testing.T) {
	good := `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","eventName":"A"}`
	in := "{\"Records\":[\n" + good + "\n" + good + ",\n]}"
	evs, errs := readAll(t, NewReader(strings.NewReader(in)))
	assert.Len(t, evs, 1)
	assert.Len(t, errs, 1)

	r := NewReader(strings.NewReader(in))
	r.Repair = true
	evs, errs = readAll(t, r)
	require.Empty(t, errs)
	require.Len(t, evs, 2)
	require.Len(t, evs[1].Diagnostics, 1)
	assert.Equal(t, Repaired, evs[1].Diagnostics[0].Kind)
	assert.Equal(t, 3, evs[1].Diagnostics[0].Line)
}

// TestReaderDiagnostics checks normalizations, redactions and duplicates,
// and that marshaling gives back the record where nothing was normalized.
func TestReaderDiagnostics(t *testing.T) {
	in := `{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05.000Z","readOnly":"true",` +
		`"userIdentity":{"type":"IAMUser","userName":"HIDDEN_DUE_TO_SECURITY_REASONS","newMember":[1,2]},` +
		`"eventName":"ConsoleLogin","eventName":"ConsoleLogin","errorCode":null,"resources":"HIDDEN_DUE_TO_SECURITY_REASONS",` +
		`"requestParameters":{"omitted":true,"originalSize":200000},"futureMember":{"a":1}}`
	ev, err := Parse([]byte(in))
	require.NoError(t, err)
	assert.True(t, ev.ReadOnly)
	assert.Equal(t, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), ev.EventTime)
	kinds := map[string]DiagnosticKind{}
	for _, d := range ev.Diagnostics {
		kinds[d.Pointer] = d.Kind
		assert.Positive(t, d.Column, "%v", d)
	}
	assert.Equal(t, map[string]DiagnosticKind{
		"/eventTime":             Normalized,
		"/readOnly":              Normalized,
		"/userIdentity/userName": Redacted,
		"/eventName":             Duplicate,
		"/resources":             Redacted,
		"/requestParameters":     Redacted,
	}, kinds)
	assert.JSONEq(t, `{"futureMember":{"a":1},"resources":"HIDDEN_DUE_TO_SECURITY_REASONS"}`, string(ev.Unknown))
	assert.JSONEq(t, `{"newMember":[1,2]}`, string(ev.UserIdentity.Unknown))

	b, err := json.Marshal(ev)
	require.NoError(t, err)
	assert.JSONEq(t, `{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05Z","readOnly":true,`+
		`"userIdentity":{"type":"IAMUser","userName":"HIDDEN_DUE_TO_SECURITY_REASONS","newMember":[1,2]},`+
		`"eventName":"ConsoleLogin","errorCode":null,"resources":"HIDDEN_DUE_TO_SECURITY_REASONS",`+
		`"requestParameters":{"omitted":true,"originalSize":200000},"futureMember":{"a":1}}`, string(b))
}

// TestReaderCaseVariants: a member that differs from an envelope member
// only in case is kept and reported; holding a different value it fails the
// record, because encoding/json v1 (which matches names case-insensitively)
// would read another eventName.
func TestReaderCaseVariants(t *testing.T) {
	ev, err := Parse([]byte(`{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","eventName":"Decrypt","EventName":"Decrypt"}`))
	require.NoError(t, err)
	require.Len(t, ev.Diagnostics, 1)
	assert.Equal(t, Duplicate, ev.Diagnostics[0].Kind)
	assert.JSONEq(t, `{"EventName":"Decrypt"}`, string(ev.Unknown))

	_, err = Parse([]byte(`{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","eventName":"Decrypt","EventName":"Encrypt"}`))
	assert.ErrorIs(t, err, ErrDuplicateName)
}

func TestParse(t *testing.T) {
	_, err := Parse([]byte(`[{"eventVersion":"1.08","eventName":"A"},{"eventVersion":"1.08","eventName":"B"}]`))
	assert.ErrorIs(t, err, ErrTooManyRecords)
	_, err = Parse([]byte("   "))
	assert.ErrorIs(t, err, ErrNotRecord)
	_, err = Parse([]byte(`{"digestS3Object":"x","logFiles":[]}`))
	assert.ErrorIs(t, err, ErrNoRecords)

	var ev Event
	require.NoError(t, json.Unmarshal([]byte(`{"eventVersion":"1.11","eventName":"A"}`), &ev))
	assert.Equal(t, "A", ev.EventName)
}

// TestReaderEndsOnce: an input that ends badly yields its good records,
// one error marked Fatal, and then io.EOF for ever, so that the
// log-and-continue loop of Next's example ends. Records failing one by one
// are not fatal.
func TestReaderEndsOnce(t *testing.T) {
	recs := [][]byte{[]byte(`{"eventVersion":"1.08","eventName":"A"}`), []byte(`{"eventVersion":"1.08","eventName":"B"}`)}
	gz := synth.Gzip(synth.Records(recs))
	damagedGz := synth.Gzip(synth.Records([][]byte{recs[0], []byte(`{"eventVersion":}`), recs[1]}))
	random := make([]byte, 1<<20)
	src := rand.New(rand.NewPCG(1, 2)) // fixed, for a repeatable input
	for i := range random {
		random[i] = byte(src.Uint32())
	}
	for _, tc := range []struct {
		name     string
		in       io.Reader
		records  int  // good records before the end
		maxCalls int  // calls of Next until io.EOF, the records' included
		fatal    bool // the last error is marked Fatal
		sentinel error
	}{
		{"read error", io.MultiReader(strings.NewReader(`{"Records":[{"eventVersion":"1.08"},`), iotest_errReader{}), 1, 3, true, nil},
		{"truncated gzip", bytes.NewReader(gz[:len(gz)-12]), 2, 4, true, ErrTruncated},
		{"appended gzip", bytes.NewReader(append(slices.Clone(gz), gz...)), 2, 4, true, ErrTrailingData},
		{"random bytes", bytes.NewReader(random), 0, 64, false, ErrSyntax}, // a record error per candidate the resync finds
		{"zeros", io.LimitReader(zeros{}, 64<<20), 0, 8, false, ErrSyntax},
		// The records after a damaged one, and before the read error,
		// were lost: the resync gave up at once on a pending read error.
		{"damaged record, then a truncated gzip trailer", bytes.NewReader(damagedGz[:len(damagedGz)-4]), 2, 5, true, ErrTruncated},
		{"records then a bad one", strings.NewReader(string(recs[0]) + "\n{\"eventVersion\":}\n" + string(recs[1])), 2, 4, false, ErrSyntax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(tc.in)
			var evs int
			var last error
			calls := 0
			for {
				calls++
				require.LessOrEqual(t, calls, tc.maxCalls, "the loop does not end (last error %v)", last)
				ev, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					last = err
					continue
				}
				require.NotNil(t, ev)
				evs++
			}
			assert.Equal(t, tc.records, evs)
			require.Error(t, last)
			if tc.sentinel != nil {
				assert.ErrorIs(t, last, tc.sentinel)
			}
			var e *Error
			require.ErrorAs(t, last, &e)
			assert.Equal(t, tc.fatal, e.Fatal, "Fatal of %v", last)
			for range 3 {
				_, err := r.Next()
				assert.Equal(t, io.EOF, err, "after the end")
			}
		})
	}
}

// zeros reads as /dev/zero does.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type iotest_errReader struct{}

func (iotest_errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// TestResyncOntoRepairedRecord: after damage, the Reader looks for the next
// record; a candidate that parses only with a repair is judged on its
// repaired text (found by fuzzing: the raw text crashed the judge).
func TestResyncOntoRepairedRecord(t *testing.T) {
	in := "garbage\n{\"eventTime\":\"2025-01-01T00:00:00Z\",\"eventVersion\":\"1.08\",\"eventName\":\"A\",}\n"
	r := NewReader(strings.NewReader(in))
	r.Repair = true
	evs, errs := readAll(t, r)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrSyntax)
	require.Len(t, evs, 1)
	assert.Equal(t, "A", evs[0].EventName)
	require.Len(t, evs[0].Diagnostics, 1)
	assert.Equal(t, Repaired, evs[0].Diagnostics[0].Kind)

	evs, errs = readAll(t, NewReader(strings.NewReader(in)))
	assert.Empty(t, evs)
	assert.Len(t, errs, 2)
}

// TestDiagnosticPointers checks the JSON Pointers of diagnostics, which the
// decoder rebuilds from the offsets it keeps on its path: escaped names
// (read from the tape, and from the text when a repair leaves no tape),
// array indices, encryption-context keys and a typed KMS view's members;
// and the "omitted": true marker, found on the tape or in the text.
func TestDiagnosticPointers(t *testing.T) {
	const kmsDecrypt = `"eventSource":"kms.amazonaws.com","eventName":"Decrypt",`
	const hidden = `"HIDDEN_DUE_TO_SECURITY_REASONS"`
	tests := []struct {
		name, in string
		want     []string // kind and pointer of each diagnostic
	}{
		{"escaped name", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","user\u0049dentity":{"type":"IAMUser","userName":` + hidden + `}}`,
			[]string{"redacted /userIdentity/userName"}},
		{"array index", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k1"},{"accountId":` + hidden + `}]}`,
			[]string{"redacted /resources/1/accountId"}},
		{"context keys and drift", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08",` + kmsDecrypt + `"requestParameters":{"encryptionContext":{"a":1,"b\u0041":2},"futureThing":1}}`,
			[]string{"normalized /requestParameters/encryptionContext/a", "normalized /requestParameters/encryptionContext/bA",
				"unmodeled /requestParameters/futureThing"}},
		{"escaped name in a KMS view", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08",` + kmsDecrypt + `"requestParameters":{"encryption\u0043ontext":{"a~/":true}}}`,
			[]string{"normalized /requestParameters/encryptionContext/a~0~1"}},
		{"repaired, escaped name", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08" "user\u0049dentity":{"type":"IAMUser","userName":` + hidden + `}}`,
			[]string{"repaired /eventVersion", "redacted /userIdentity/userName"}},
		{"omitted, not first", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","requestParameters":{"originalSize":200000,"omitted":true}}`,
			[]string{"redacted /requestParameters"}},
		{"omitted, nested", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","requestParameters":{"a":{"omitted":true},"b":1}}`, nil},
		{"repaired, omitted", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08" "responseElements":{"omitted":true,"originalSize":9}}`,
			[]string{"repaired /eventVersion", "redacted /responseElements"}},
		{"repaired, KMS view", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08" ` + kmsDecrypt + `"requestParameters":{"encryptionContext":{"a":1}}}`,
			[]string{"repaired /eventVersion", "normalized /requestParameters/encryptionContext/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in))
			r.Repair = true
			ev, err := r.Next()
			require.NoError(t, err)
			var got []string
			for _, d := range ev.Diagnostics {
				got = append(got, d.Kind.String()+" "+d.Pointer)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestDecoderReset checks that decoder.reset, which a Reader's decoder runs
// before each record, resets every field: each is made non-zero first, and
// the result must equal a decoder literal holding only the new record's
// values and the old scratch space.
func TestDecoderReset(t *testing.T) {
	var d decoder
	fillNonZero(reflect.ValueOf(&d).Elem())
	valid, strs := []byte(`{"a":1}`), make([]byte, 0, 8)
	v := &value{loc: &jsonscan.Locator{}, tape: make([]jsonscan.Slot, 1)}
	top, block := make([]int, 3), new(eventBlock)
	want := decoder{
		data: string(valid), raw: valid, view: true, strs: strs,
		loc: v.loc, roundTrip: true, tape: v.tape, curEnd: len(valid),
		path: d.path[:0], names: d.names[:0], diags: d.diags[:0], top: top, block: block,
		kc: keyContext{resources: d.kc.resources[:0], claimed: d.kc.claimed[:0]},
	}
	d.reset(valid, strs, v, top, block)
	assert.Equal(t, want, d)
}

// fillNonZero sets every field of v, exported or not, to a non-zero value.
func fillNonZero(v reflect.Value) {
	if !v.CanSet() {
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fillNonZero(v.Field(i))
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Interface:
		v.Set(reflect.ValueOf(errors.New("x")))
	default:
		panic("fillNonZero: " + v.Type().String())
	}
}

// TestJSONLinesBrokenValue: in JSON Lines a value must end on the line it
// starts on. A value broken across lines is one error, at the line break,
// and the records around it are delivered: the rest of the value is
// skipped, and a record that starts the next line is read.
func TestJSONLinesBrokenValue(t *testing.T) {
	const a, b, d = `{"eventVersion":"1.08","eventName":"A"}`, `{"eventVersion":"1.08","eventName":"B"}`,
		`{"eventVersion":"1.08","eventName":"D"}`
	tests := []struct {
		name, broken string
		line         int // of D
	}{
		{"the value goes on", `{"eventVersion":` + "\n" + `"1.08","eventName":"C"}`, 5},
		{"the value is cut short", `{"eventVersion":"1.08","eventName":`, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := a + "\n" + b + "\n" + tt.broken + "\n" + d + "\n"
			var names []string
			var errs []*Error
			for ev, err := range NewReader(strings.NewReader(in)).All() {
				if err != nil {
					var e *Error
					require.ErrorAs(t, err, &e)
					errs = append(errs, e)
					continue
				}
				names = append(names, ev.EventName)
				if ev.EventName == "D" {
					assert.Equal(t, tt.line, ev.Source.Line)
				}
			}
			assert.Equal(t, []string{"A", "B", "D"}, names)
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrTruncated)
			assert.Contains(t, errs[0].Error(), "does not end on its line")
			assert.Equal(t, [2]int{4, 1}, [2]int{errs[0].Line, errs[0].Column})
		})
	}
}

// TestJSONTestSuiteReader: the Reader never crashes on JSONTestSuite's
// cases (internal/jsonscan checks its verdicts on each), and takes what
// the syntax layer accepts.
func TestJSONTestSuiteReader(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "shared", "jsontestsuite", "test_parsing", "*.json"))
	if len(files) == 0 {
		t.Skip("../shared/jsontestsuite is absent")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		r := NewReader(bytes.NewReader(data))
		for range r.All() {
		}
		_, err = jsonscan.ScanDocument(data, defaultLimits().scan(false))
		if err == nil && data[0] == '{' {
			_, err := Parse(data)
			var e *Error
			assert.True(t, err == nil || errors.As(err, &e) && !errors.Is(err, ErrSyntax), "%s: %v", f, err)
		}
	}
}

// TestMaxDiagnostics: an Event lists at most MaxDiagnostics diagnostics and
// then one Elided that counts the rest, whether they come from the decoder
// (unmodeled members of a KMS request), from the scanner (identical
// duplicate members, repairs) or from both. Every repair is still made.
func TestMaxDiagnostics(t *testing.T) {
	members := func(n int, format string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i)
		}
		return b.String()
	}
	const head = `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"Decrypt","requestParameters":{`
	tests := []struct {
		name   string
		record string
		repair bool
		listed int // diagnostics before the Elided one
		elided int // 0: no Elided diagnostic
		kind   DiagnosticKind
	}{
		{"unmodeled", head + members(150, `"u%d":0,`) + `"encryptionAlgorithm":"SYMMETRIC_DEFAULT"}}`, false, 100, 50, Unmodeled},
		{"unmodeled, at the limit", head + members(100, `"u%d":0,`) + `"encryptionAlgorithm":"SYMMETRIC_DEFAULT"}}`, false, 100, 0, Unmodeled},
		{"duplicates", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","requestParameters":{` + strings.Repeat(`"d":0,`, 150) + `"d":0}}`, false, 100, 50, Duplicate},
		{"repairs", `{"eventTime":"2025-01-01T00:00:00Z","eventVersion":"1.08","requestParameters":{"a":[` + members(150, "%d ") + `0]}}`, true, 100, 50, Repaired},
		{"repairs and unmodeled", head + `"a":[` + members(80, "%d ") + `0],` + members(70, `"u%d":0,`) + `"x":0}}`, true, 100, 52, Repaired}, // a, u0-69 and x unmodeled
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.record))
			r.Repair = tt.repair
			ev, err := r.Next()
			require.NoError(t, err)
			want := tt.listed
			if tt.elided > 0 {
				want++
			}
			require.Len(t, ev.Diagnostics, want)
			assert.Equal(t, tt.kind, ev.Diagnostics[0].Kind)
			for _, d := range ev.Diagnostics[:tt.listed] {
				assert.NotEqual(t, Elided, d.Kind)
			}
			if tt.elided > 0 {
				last := ev.Diagnostics[tt.listed]
				assert.Equal(t, Elided, last.Kind)
				assert.Equal(t, fmt.Sprintf("%d more diagnostics not listed (an Event keeps 100)", tt.elided), last.Message)
				assert.Equal(t, 1, last.Line)
			}
			if tt.repair {
				// Every missing comma was inserted: the array decodes whole.
				var p struct{ A []int }
				require.NoError(t, json.Unmarshal(ev.RequestParameters, &p))
				assert.NotEmpty(t, p.A)
				assert.Equal(t, 0, p.A[len(p.A)-1])
			}
		})
	}
}

// TestResyncInBatches: JSON Lines of damaged records, each found while
// looking for the next record after the one before, yields them a batch at
// a time (the search pauses when a batch is full, and goes on), one error
// per line, and the same errors whichever way it is read.
func TestResyncInBatches(t *testing.T) {
	good := `{"eventVersion":"1.08","eventName":"Decrypt"}` + "\n"
	in := good + strings.Repeat(`{"eventVersion":"1.08"`+"\n", 2000) + good
	read := func(r *Reader) (errs []string, names []string) {
		for ev, err := range r.All() {
			require.LessOrEqual(t, len(r.ready), batchRecords, "one batch holds every error")
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			names = append(names, ev.EventName)
		}
		return errs, names
	}
	// The first batch does not hold every error: the search paused.
	r := NewReader(strings.NewReader(in))
	_, err := r.Next()
	require.NoError(t, err)
	assert.Less(t, r.InputOffset(), int64(len(in)/10), "the first batch read the whole input")

	errs, names := read(NewReader(strings.NewReader(in)))
	// Each broken line is one error, and the good line after them is read
	// (a broken line once took the next with it, the last good one too).
	assert.Equal(t, []string{"Decrypt", "Decrypt"}, names)
	require.Len(t, errs, 2000)
	assert.Equal(t, "3:1: record 1: /eventVersion: unexpected end of input: JSON Lines value does not end on its line", errs[0])
	assert.Equal(t, "2002:1: record 2000: /eventVersion: unexpected end of input: JSON Lines value does not end on its line", errs[1999])
	for _, procs := range []int{1, 2} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			got, _ := read(NewReader(iotest.OneByteReader(strings.NewReader(in))))
			assert.Equal(t, errs, got, "GOMAXPROCS %d, one byte at a time", procs)
		}()
	}
}

// TestByteOrderMark: a UTF-8 byte order mark that starts the input (as
// PowerShell's Out-File and Notepad write) is skipped, with one diagnostic on
// the first record, in every form, gzip included. Before, every record
// failed.
func TestByteOrderMark(t *testing.T) {
	const bom = "\xef\xbb\xbf"
	recs := [][]byte{[]byte(`{"eventVersion":"1.08","eventTime":"2025-05-21T05:42:31Z","eventName":"A"}`),
		[]byte(`{"eventVersion":"1.08","eventTime":"2025-05-21T05:42:32Z","eventName":"B"}`)}
	gz := func(b []byte) []byte { return synth.Gzip(b) }
	same := func(b []byte) []byte { return b }
	for _, tc := range []struct {
		name string
		in   []byte
		wrap func([]byte) []byte
	}{
		{"log file", synth.Records(recs), same},
		{"json lines", synth.JSONLines(recs), same},
		{"gzip", synth.Records(recs), gz},
		{"gzip json lines", synth.JSONLines(recs), gz},
		{"array", synth.Array(recs), same},
		{"bare record", recs[0], same},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, errs := readAll(t, NewReader(bytes.NewReader(tc.wrap(append([]byte(bom), tc.in...)))))
			require.Empty(t, errs)
			want, _ := readAll(t, NewReader(bytes.NewReader(tc.wrap(tc.in))))
			require.Len(t, evs, len(want))
			var diags []Diagnostic
			for i, ev := range evs {
				diags = append(diags, ev.Diagnostics...)
				// Lines and columns as without the mark, as editors show
				// them; offsets count its bytes.
				assert.Equal(t, want[i].Source.Line, ev.Source.Line)
				assert.Equal(t, want[i].Source.Column, ev.Source.Column)
				assert.Equal(t, want[i].Source.Offset+3, ev.Source.Offset)
			}
			require.Len(t, diags, 1, "one diagnostic for the input")
			assert.Equal(t, Repaired, diags[0].Kind)
			assert.Contains(t, diags[0].Message, "byte order mark")
			assert.Equal(t, diags, evs[0].Diagnostics, "on the first record")
		})
	}
	// A mark anywhere else is not skipped.
	_, errs := readAll(t, NewReader(strings.NewReader(string(recs[0])+"\n"+bom+string(recs[1]))))
	assert.Len(t, errs, 1)
}

// TestMissingEventTime: a record without eventTime (or with null) decodes,
// with a Missing diagnostic; one whose time fits no dialect has its own.
func TestMissingEventTime(t *testing.T) {
	for _, tc := range []struct {
		rec  string
		want []string
	}{
		{`{"eventVersion":"1.08","eventName":"A"}`, []string{"missing /eventTime: the record has no eventTime"}},
		{`{"eventVersion":"1.08","eventTime":null,"eventName":"A"}`, []string{"missing /eventTime: the record has no eventTime"}},
		{`{"eventVersion":"1.08","eventTime":"2025-05-21T05:42:31Z","eventName":"A"}`, nil},
		{`{"eventVersion":"1.08","eventTime":"soon","eventName":"A"}`, []string{"mismatched /eventTime"}},
	} {
		ev, err := Parse([]byte(tc.rec))
		require.NoError(t, err, tc.rec)
		var got []string
		for _, d := range ev.Diagnostics {
			s := d.Kind.String() + " " + d.Pointer
			if d.Kind == Missing {
				s += ": " + d.Message
			}
			got = append(got, s)
		}
		assert.Equal(t, tc.want, got, tc.rec)
	}
}

// TestNoDocOutsideModule: doc comments do not send readers to files they
// do not have, such as DESIGN.md, which lives beside the repository.
func TestNoDocOutsideModule(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err // tests may cite the design they check
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "DESIGN") || strings.Contains(line, "../shared") {
				t.Errorf("%s:%d: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	require.NoError(t, err)
}
