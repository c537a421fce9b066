package digesttest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"maps"
	"strings"
	"testing/fstest"
	"time"

	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/digest"
)

// A Tampering changes a copy of Fixture's bucket as an attacker or an
// accident would, and says what validation must find.
type Tampering struct {
	// Name names it, as a file name would.
	Name string

	// Apply changes the files.
	Apply func(fsys fstest.MapFS, l *Layout)

	// Keys, when set, returns the public key list to validate with,
	// instead of PublicKeysJSON's.
	Keys func(b *Builder) []byte

	// Start and End, when not zero, bound the range validated
	// (Validator.Start and End, kmstrail verify -start and -end).
	Start, End time.Time

	// Want returns statuses that validation must give, by path.
	Want func(l *Layout) map[string]digest.Status

	// Summary is the summary of the results (digest.Summary.String).
	Summary string

	// Exit is the exit status of kmstrail verify.
	Exit int
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// gunzip decompresses a fixture file.
func gunzip(data []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	must(err)
	out, err := io.ReadAll(zr)
	must(err)
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

// deleteDigests deletes digests and their .sig files.
func deleteDigests(fsys fstest.MapFS, keys ...string) {
	for _, k := range keys {
		delete(fsys, k)
		delete(fsys, k+digest.SigSuffix)
	}
}

// truncate deletes the regular digests a trail delivered in a Region
// after t and, with logs, the Region's log files delivered after t: the
// newest hours hidden, as an attacker would hide them.
func truncate(fsys fstest.MapFS, tr Trail, region string, t time.Time, logs bool) {
	for key := range fsys {
		o, ok := kmstrail.ParseLogObject(key)
		if !ok || o.Region != region || o.Prefix != tr.Prefix || o.OrgID != tr.OrgID || o.Account != tr.Account || !o.Time.After(t) {
			continue
		}
		switch {
		case o.Kind == kmstrail.ObjectDigest && o.Trail == tr.Name && !o.Backfill:
			deleteDigests(fsys, key)
		case o.Kind == kmstrail.ObjectLog && logs:
			delete(fsys, key)
		}
	}
}

// hourKey returns the key pattern validation gives a missing digest that
// no digest names: the key of the trail's digest in the Region ending in
// the fixture's hour h, with '*' for its minutes and seconds.
func hourKey(tr Trail, region string, h int) string {
	c := &Chain{trail: tr, region: region}
	return strings.TrimSuffix(c.DigestKey(Hour(h)), "0131Z.json.gz") + "*Z.json.gz"
}

// cutWest returns an Apply that truncates ExampleTrail in eu-west-1
// after the fixture's hour h.
func cutWest(h int, logs bool) func(fstest.MapFS, *Layout) {
	return func(fsys fstest.MapFS, _ *Layout) { truncate(fsys, ExampleTrail, "eu-west-1", Hour(h), logs) }
}

// cutBoth truncates ExampleTrail in both its Regions after 03:01:31,
// digests and log files.
func cutBoth(fsys fstest.MapFS, _ *Layout) {
	truncate(fsys, ExampleTrail, "us-east-1", Hour(3), true)
	truncate(fsys, ExampleTrail, "eu-west-1", Hour(3), true)
}

// withMissing adds to want the trail's digests in the Region that end in
// the fixture's hours given, missing.
func withMissing(want map[string]digest.Status, tr Trail, region string, hours ...int) map[string]digest.Status {
	for _, h := range hours {
		want[hourKey(tr, region, h)] = digest.Missing
	}
	return want
}

// otherDay returns the key with the day folder 21 changed to 22.
func otherDay(key string) string { return strings.Replace(key, "/2025/05/21/", "/2025/05/22/", 1) }

// Tamperings are the ways the tests tamper with Fixture: each status of
// digest.Status but valid is reached by at least one.
var Tamperings = []Tampering{
	{
		Name: "log-byte-changed",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			k := l.EastLogs[1][0]
			body := gunzip(fsys[k].Data)
			body[len(body)/2] ^= 1
			fsys[k].Data = Gzip(body)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.EastLogs[1][0]: digest.Invalid, l.East[1]: digest.Valid}
		},
		Summary: "17/17 digest files valid, 20/21 log files valid, 1 INVALID",
		Exit:    1,
	},
	{
		Name:  "log-deleted",
		Apply: func(fsys fstest.MapFS, l *Layout) { delete(fsys, l.EastLogs[2][1]) },
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.EastLogs[2][1]: digest.Missing}
		},
		Summary: "17/17 digest files valid, 20/21 log files valid, 1 MISSING",
		Exit:    1,
	},
	{
		// An attacker hides a log file by taking it off its digest's list.
		Name: "digest-edited",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			k := l.East[2]
			var d map[string]any
			must(json.Unmarshal(gunzip(fsys[k].Data), &d))
			d["logFiles"] = d["logFiles"].([]any)[1:]
			body, err := json.Marshal(d)
			must(err)
			fsys[k].Data = Gzip(body)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Invalid, l.EastLogs[2][0]: digest.Unlisted,
				l.EastLogs[2][1]: digest.Unverified, l.East[1]: digest.Valid, l.East[3]: digest.Valid}
		},
		Summary: "16/17 digest files valid, 19/21 log files valid, 1 INVALID, 1 UNLISTED, 1 UNVERIFIED",
		Exit:    1,
	},
	{
		Name: "digest-deleted-1",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			deleteDigests(fsys, l.East[2])
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Missing, l.EastLogs[2][0]: digest.Unlisted, l.EastLogs[2][1]: digest.Unlisted}
		},
		Summary: "16/17 digest files valid, 19/21 log files valid, 1 MISSING, 2 UNLISTED",
		Exit:    1,
	},
	{
		// The AWS CLI reports only the first of two (aws/aws-cli#7054).
		Name: "digest-deleted-2",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			deleteDigests(fsys, l.East[1:3]...)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Missing,
				"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T02*Z.json.gz": digest.Missing}
		},
		Summary: "15/17 digest files valid, 17/21 log files valid, 2 MISSING, 4 UNLISTED",
		Exit:    1,
	},
	{
		Name: "digest-deleted-3",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			deleteDigests(fsys, l.East[1:4]...)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[3]: digest.Missing,
				"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T02*Z.json.gz": digest.Missing,
				"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T03*Z.json.gz": digest.Missing}
		},
		Summary: "14/17 digest files valid, 17/21 log files valid, 3 MISSING, 4 UNLISTED",
		Exit:    1,
	},
	{
		Name: "digest-moved",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			move(fsys, l.East[2], otherDay(l.East[2]))
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Moved, l.East[1]: digest.Valid, l.EastLogs[2][0]: digest.Valid}
		},
		Summary: "16/17 digest files valid, 21/21 log files valid, 1 MOVED",
		Exit:    1,
	},
	{
		Name: "log-moved",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			move(fsys, l.EastLogs[0][1], otherDay(l.EastLogs[0][1]))
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.EastLogs[0][1]: digest.Moved}
		},
		Summary: "17/17 digest files valid, 20/21 log files valid, 1 MOVED",
		Exit:    1,
	},
	{
		Name: "extra-log",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			b := New()
			k := b.Chain(ExampleTrail, "us-east-1").Log(Hour(3).Add(10 * 60e9))
			fsys[k] = b.Files[k]
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{"AWSLogs/111122223333/CloudTrail/us-east-1/2025/05/21/111122223333_CloudTrail_us-east-1_20250521T0311Z_A0B0C0D000000002.json.gz": digest.Unlisted}
		},
		Summary: "17/17 digest files valid, 21/22 log files valid, 1 UNLISTED",
		Exit:    1,
	},
	{
		Name: "gzip-appended",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			f := fsys[l.EastLogs[0][0]]
			f.Data = append(f.Data, Gzip([]byte(`{"Records":[]}`))...)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.EastLogs[0][0]: digest.Invalid}
		},
		Summary: "17/17 digest files valid, 20/21 log files valid, 1 INVALID",
		Exit:    1,
	},
	{
		Name:  "unknown-fingerprint",
		Apply: func(fsys fstest.MapFS, l *Layout) {},
		Keys: func(b *Builder) []byte {
			var list map[string][]any
			if err := json.Unmarshal(b.PublicKeysJSON(), &list); err != nil {
				panic(err)
			}
			list["PublicKeyList"] = list["PublicKeyList"][:1]
			out, _ := json.Marshal(list)
			return out
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.West[0]: digest.Invalid, l.West[5]: digest.Invalid, l.East[0]: digest.Valid}
		},
		Summary: "11/17 digest files valid, 15/21 log files valid, 6 INVALID, 6 UNVERIFIED",
		Exit:    1,
	},
	{
		Name: "sig-missing",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			delete(fsys, l.East[5]+digest.SigSuffix)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[5]: digest.Unsigned, l.East[4]: digest.Valid}
		},
		Summary: "16/17 digest files valid, 19/21 log files valid, 1 UNSIGNED, 2 UNVERIFIED",
		Exit:    3,
	},
	{
		// A digest whose only signature is its successor's
		// previousDigestSignature, and that successor edited: the chain
		// vouches for nothing, and the digest is unsigned.
		Name: "sig-chain-broken",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			delete(fsys, l.East[4]+digest.SigSuffix)
			delete(fsys, l.East[5]+digest.SigSuffix)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[5]: digest.Unsigned, l.East[4]: digest.Unsigned, l.East[3]: digest.Valid}
		},
		Summary: "15/17 digest files valid, 17/21 log files valid, 2 UNSIGNED, 4 UNVERIFIED",
		Exit:    3,
	},
	{
		// A copy made at 09:30 holds a log file of 09:20 that the digest
		// of 10:01 will list.
		Name: "log-not-yet-digested",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			b := New()
			k := b.Chain(ExampleTrail, "us-east-1").Log(Hour(9).Add(19 * time.Minute))
			fsys[k] = b.Files[k]
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{"AWSLogs/111122223333/CloudTrail/us-east-1/2025/05/21/111122223333_CloudTrail_us-east-1_20250521T0920Z_A0B0C0D000000002.json.gz": digest.Unverified}
		},
		Summary: "17/17 digest files valid, 21/22 log files valid, 1 UNVERIFIED",
		Exit:    3,
	},
	{
		// Every digest of a Region gone: its log files are unlisted, not
		// "not yet digested".
		Name: "region-digests-deleted",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			deleteDigests(fsys, l.West...)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{"AWSLogs/111122223333/CloudTrail/eu-west-1/2025/05/21/111122223333_CloudTrail_eu-west-1_20250521T0521Z_A0B0C0D000000026.json.gz": digest.Unlisted}
		},
		Summary: "11/11 digest files valid, 15/21 log files valid, 6 UNLISTED",
		Exit:    1,
	},
	// The newest digests of eu-west-1 deleted, one, two or three of
	// them, with or without their log files. No digest names them, but
	// us-east-1's chain goes on: beyond the hour a Region may lag its
	// peers, eu-west-1's missing hours are reported. One hour is within
	// that grace, and goes unreported without -end.
	{
		Name:  "newest-deleted-1",
		Apply: cutWest(5, false),
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.West[4]: digest.Valid, l.WestLogs[5]: digest.Unverified}
		},
		Summary: "16/16 digest files valid, 20/21 log files valid, 1 UNVERIFIED",
		Exit:    3,
	},
	{
		Name:    "newest-deleted-1-logs",
		Apply:   cutWest(5, true),
		Want:    func(l *Layout) map[string]digest.Status { return map[string]digest.Status{l.West[4]: digest.Valid} },
		Summary: "16/16 digest files valid, 20/20 log files valid",
		Exit:    0,
	},
	{
		// With -end, every hour up to an hour before it has its digest.
		// The range starts at 02:01:31, after the organization trail's
		// last digest: a chain with no digest in the range is not held
		// to -end.
		Name:  "newest-deleted-1-end",
		Apply: cutWest(5, true),
		Start: Hour(2),
		End:   Hour(7),
		Want: func(l *Layout) map[string]digest.Status {
			return withMissing(map[string]digest.Status{l.West[4]: digest.Valid}, ExampleTrail, "eu-west-1", 6)
		},
		Summary: "8/9 digest files valid, 10/10 log files valid, 1 MISSING",
		Exit:    1,
	},
	{
		Name:  "newest-deleted-2",
		Apply: cutWest(4, false),
		Want: func(l *Layout) map[string]digest.Status {
			return withMissing(map[string]digest.Status{l.WestLogs[4]: digest.Unverified, l.WestLogs[5]: digest.Unlisted}, ExampleTrail, "eu-west-1", 5, 6)
		},
		Summary: "15/17 digest files valid, 19/21 log files valid, 2 MISSING, 1 UNLISTED, 1 UNVERIFIED",
		Exit:    1,
	},
	{
		Name:  "newest-deleted-2-logs",
		Apply: cutWest(4, true),
		Want: func(l *Layout) map[string]digest.Status {
			return withMissing(map[string]digest.Status{}, ExampleTrail, "eu-west-1", 5, 6)
		},
		Summary: "15/17 digest files valid, 19/19 log files valid, 2 MISSING",
		Exit:    1,
	},
	{
		Name:  "newest-deleted-3",
		Apply: cutWest(3, false),
		Want: func(l *Layout) map[string]digest.Status {
			return withMissing(map[string]digest.Status{l.WestLogs[3]: digest.Unverified, l.WestLogs[5]: digest.Unlisted}, ExampleTrail, "eu-west-1", 4, 5, 6)
		},
		Summary: "14/17 digest files valid, 18/21 log files valid, 3 MISSING, 2 UNLISTED, 1 UNVERIFIED",
		Exit:    1,
	},
	{
		Name:  "newest-deleted-3-logs",
		Apply: cutWest(3, true),
		Want: func(l *Layout) map[string]digest.Status {
			return withMissing(map[string]digest.Status{}, ExampleTrail, "eu-west-1", 4, 5, 6)
		},
		Summary: "14/17 digest files valid, 18/18 log files valid, 3 MISSING",
		Exit:    1,
	},
	{
		// Both Regions' last hours deleted alike, digests and log files:
		// nothing is left that says the trail went on.
		Name:  "truncated-alike",
		Apply: cutBoth,
		Want: func(l *Layout) map[string]digest.Status {
			return map[string]digest.Status{l.East[2]: digest.Valid, l.West[2]: digest.Valid}
		},
		Summary: "9/9 digest files valid, 12/12 log files valid",
		Exit:    0,
	},
	{
		// The same, with -end saying that the trail logged until then.
		Name:  "truncated-alike-end",
		Apply: cutBoth,
		Start: Hour(2),
		End:   Hour(7),
		Want: func(l *Layout) map[string]digest.Status {
			want := withMissing(map[string]digest.Status{l.Backfill: digest.Valid}, ExampleTrail, "us-east-1", 4, 5, 6)
			return withMissing(want, ExampleTrail, "eu-west-1", 4, 5, 6)
		},
		Summary: "3/9 digest files valid, 4/4 log files valid, 6 MISSING",
		Exit:    1,
	},
	{
		// The organization trail's newest digest and log file deleted,
		// with -end two hours later.
		Name: "org-newest-deleted-end",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			truncate(fsys, OrgTrail, "us-east-1", Hour(1), true)
		},
		End: Hour(4),
		Want: func(l *Layout) map[string]digest.Status {
			return withMissing(map[string]digest.Status{l.Org[0]: digest.Valid}, OrgTrail, "us-east-1", 2, 3)
		},
		Summary: "10/12 digest files valid, 12/12 log files valid, 2 MISSING",
		Exit:    1,
	},
	{
		// The organization trail logs in eu-west-1 too, until 04:01:31:
		// its us-east-1 chain, ending at 02:01:31, lacks two hours.
		Name: "org-region-truncated",
		Apply: func(fsys fstest.MapFS, l *Layout) {
			b := New()
			c := b.Chain(OrgTrail, "eu-west-1")
			for h := 1; h <= 4; h++ {
				c.Log(Hour(h - 1).Add(25 * time.Minute))
				c.Digest(Hour(h))
			}
			maps.Copy(fsys, b.Files)
		},
		Want: func(l *Layout) map[string]digest.Status {
			return withMissing(map[string]digest.Status{l.Org[1]: digest.Valid}, OrgTrail, "us-east-1", 3, 4)
		},
		Summary: "21/23 digest files valid, 25/25 log files valid, 2 MISSING",
		Exit:    1,
	},
}
