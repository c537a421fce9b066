package digest_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

// gunzip decompresses a fixture file.
func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return out
}

// move moves a file, and its .sig when it has one, to another key.
func move(fsys fstest.MapFS, from, to string) {
	for _, suffix := range []string{"", digest.SigSuffix} {
		if f, ok := fsys[from+suffix]; ok {
			fsys[to+suffix] = f
			delete(fsys, from+suffix)
		}
	}
}

// otherDay returns the key with the day folder 21 changed to 22.
func otherDay(key string) string { return strings.Replace(key, "/2025/05/21/", "/2025/05/22/", 1) }

// A tamperCase changes a copy of the fixture and says what validation must
// find.
type tamperCase struct {
	name   string
	tamper func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout)
	keys   func(b *digesttest.Builder) []byte // the key list; nil for the builder's
	want   func(l *digesttest.Layout) map[string]digest.Status
	// summary is the line that ends the output.
	summary string
}

var tamperCases = []tamperCase{
	{
		name: "log-byte-changed",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			k := l.EastLogs[1][0]
			body := gunzip(t, fsys[k].Data)
			body[len(body)/2] ^= 1
			fsys[k].Data = digesttest.Gzip(body)
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.EastLogs[1][0]: digest.Invalid, l.East[1]: digest.Valid}
		},
		summary: "17/17 digest files valid, 20/21 log files valid, 1 INVALID",
	},
	{
		name:   "log-deleted",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) { delete(fsys, l.EastLogs[2][1]) },
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.EastLogs[2][1]: digest.Missing}
		},
		summary: "17/17 digest files valid, 20/21 log files valid, 1 MISSING",
	},
	{
		// An attacker hides a log file by taking it off its digest's list.
		name: "digest-edited",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			k := l.East[2]
			var d map[string]any
			require.NoError(t, json.Unmarshal(gunzip(t, fsys[k].Data), &d))
			d["logFiles"] = d["logFiles"].([]any)[1:]
			body, err := json.Marshal(d)
			require.NoError(t, err)
			fsys[k].Data = digesttest.Gzip(body)
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Invalid, l.EastLogs[2][0]: digest.Unlisted,
				l.EastLogs[2][1]: digest.Unverified, l.East[1]: digest.Valid, l.East[3]: digest.Valid}
		},
		summary: "16/17 digest files valid, 19/21 log files valid, 1 INVALID, 1 UNLISTED, 1 UNVERIFIED",
	},
	{
		name: "digest-deleted-1",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			delete(fsys, l.East[2])
			delete(fsys, l.East[2]+digest.SigSuffix)
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Missing, l.EastLogs[2][0]: digest.Unlisted, l.EastLogs[2][1]: digest.Unlisted}
		},
		summary: "16/17 digest files valid, 19/21 log files valid, 1 MISSING, 2 UNLISTED",
	},
	{
		// The AWS CLI reports only the first of two (aws/aws-cli#7054).
		name: "digest-deleted-2",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			for _, k := range l.East[1:3] {
				delete(fsys, k)
				delete(fsys, k+digest.SigSuffix)
			}
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Missing,
				"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T02*Z.json.gz": digest.Missing}
		},
		summary: "15/17 digest files valid, 17/21 log files valid, 2 MISSING, 4 UNLISTED",
	},
	{
		name: "digest-deleted-3",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			for _, k := range l.East[1:4] {
				delete(fsys, k)
				delete(fsys, k+digest.SigSuffix)
			}
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[3]: digest.Missing,
				"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T02*Z.json.gz": digest.Missing,
				"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T03*Z.json.gz": digest.Missing}
		},
		summary: "14/17 digest files valid, 17/21 log files valid, 3 MISSING, 4 UNLISTED",
	},
	{
		name: "digest-moved",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			move(fsys, l.East[2], otherDay(l.East[2]))
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Moved, l.East[1]: digest.Valid, l.EastLogs[2][0]: digest.Valid}
		},
		summary: "16/17 digest files valid, 21/21 log files valid, 1 MOVED",
	},
	{
		name: "log-moved",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			move(fsys, l.EastLogs[0][1], otherDay(l.EastLogs[0][1]))
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.EastLogs[0][1]: digest.Moved}
		},
		summary: "17/17 digest files valid, 20/21 log files valid, 1 MOVED",
	},
	{
		name: "extra-log",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			b := digesttest.New()
			k := b.Chain(digesttest.ExampleTrail, "us-east-1").Log(digesttest.Hour(3).Add(10 * 60e9))
			fsys[k] = b.Files[k]
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{"AWSLogs/111122223333/CloudTrail/us-east-1/2025/05/21/111122223333_CloudTrail_us-east-1_20250521T0311Z_A0B0C0D000000002.json.gz": digest.Unlisted}
		},
		summary: "17/17 digest files valid, 21/22 log files valid, 1 UNLISTED",
	},
	{
		name: "gzip-appended",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			f := fsys[l.EastLogs[0][0]]
			f.Data = append(f.Data, digesttest.Gzip([]byte(`{"Records":[]}`))...)
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.EastLogs[0][0]: digest.Invalid}
		},
		summary: "17/17 digest files valid, 20/21 log files valid, 1 INVALID",
	},
	{
		name:   "unknown-fingerprint",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {},
		keys: func(b *digesttest.Builder) []byte {
			var list map[string][]any
			if err := json.Unmarshal(b.PublicKeysJSON(), &list); err != nil {
				panic(err)
			}
			list["PublicKeyList"] = list["PublicKeyList"][:1]
			out, _ := json.Marshal(list)
			return out
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.West[0]: digest.Invalid, l.West[5]: digest.Invalid, l.East[0]: digest.Valid}
		},
		summary: "11/17 digest files valid, 15/21 log files valid, 6 INVALID, 6 UNVERIFIED",
	},
	{
		name: "sig-missing",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			delete(fsys, l.East[5]+digest.SigSuffix)
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[5]: digest.Unsigned, l.East[4]: digest.Valid}
		},
		summary: "16/17 digest files valid, 19/21 log files valid, 1 UNSIGNED, 2 UNVERIFIED",
	},
	{
		// A digest whose only signature is its successor's
		// previousDigestSignature, and that successor edited: the chain
		// vouches for nothing, and the digest is unsigned.
		name: "sig-chain-broken",
		tamper: func(t *testing.T, fsys fstest.MapFS, l *digesttest.Layout) {
			delete(fsys, l.East[4]+digest.SigSuffix)
			delete(fsys, l.East[5]+digest.SigSuffix)
		},
		want: func(l *digesttest.Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[5]: digest.Unsigned, l.East[4]: digest.Unsigned, l.East[3]: digest.Valid}
		},
		summary: "15/17 digest files valid, 17/21 log files valid, 2 UNSIGNED, 4 UNVERIFIED",
	},
}

func TestTampered(t *testing.T) {
	for _, tc := range tamperCases {
		t.Run(tc.name, func(t *testing.T) {
			b, l := fixture()
			tc.tamper(t, b.Files, l)
			keys := b.PublicKeysJSON()
			if tc.keys != nil {
				keys = tc.keys(b)
			}
			rs := validate(t, b.Files, keys)
			got := statuses(rs)
			for k, want := range tc.want(l) {
				if assert.Contains(t, got, k) {
					assert.Equal(t, want, got[k], "status of %s", k)
				}
			}
			var sum digest.Summary
			for _, r := range rs {
				sum.Add(r)
				if r.Status != digest.Valid {
					assert.NotEmpty(t, r.Reason, "%s is %s without a reason", r.Path, r.Status)
				}
			}
			assert.Equal(t, tc.summary, sum.String())
			golden(t, "tampered/"+tc.name, rs)
		})
	}
}

// TestOnlyNewestSigs removes every .sig but the newest of each chain: the
// chain itself carries the signatures back.
func TestOnlyNewestSigs(t *testing.T) {
	b, l := fixture()
	keep := map[string]bool{}
	for _, k := range []string{l.East[5], l.EastRestart[1], l.West[5], l.Backfill, l.Org[1]} {
		keep[k+digest.SigSuffix] = true
	}
	for k := range b.Files {
		if strings.HasSuffix(k, digest.SigSuffix) && !keep[k] {
			delete(b.Files, k)
		}
	}
	rs := validate(t, b.Files, b.PublicKeysJSON())
	for _, r := range rs {
		assert.Equal(t, digest.Valid, r.Status, "%s: %s", r.Path, r.Reason)
	}
	assert.Len(t, rs, 17+21)
}
