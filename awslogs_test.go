package kmstrail

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/internal/synth"
)

func TestParseLogObject(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return tm
	}
	for _, tc := range []struct {
		key  string
		want LogObject // Key is filled in
		ok   bool
	}{
		// The example name of the CloudTrail User Guide, "CloudTrail log
		// file examples".
		{"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			LogObject{Kind: ObjectLog, Account: "111122223333", Region: "us-east-2", Time: at("2015-08-01T02:10:00Z"), Unique: "Mu0KsOhtH1ar15ZZ"}, true},
		// A trail's key prefix, of several folders; a decompressed copy.
		{"trails/prod/AWSLogs/111122223333/CloudTrail/eu-west-1/2025/05/21/111122223333_CloudTrail_eu-west-1_20250521T0545Z_Ab12Cd34Ef56Gh78.json",
			LogObject{Kind: ObjectLog, Prefix: "trails/prod", Account: "111122223333", Region: "eu-west-1", Time: at("2025-05-21T05:45:00Z"), Unique: "Ab12Cd34Ef56Gh78"}, true},
		// The digest example of "CloudTrail digest file structure".
		{"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz",
			LogObject{Kind: ObjectDigest, Account: "111122223333", Region: "us-east-2", Time: at("2015-08-17T15:01:31Z"), Trail: "your-trail-name", HomeRegion: "us-east-2"}, true},
		// An organization trail's backfill digest, for a trail whose name
		// holds '_', in a Region other than its home.
		{"p/AWSLogs/o-exampleorgid/111122223333/CloudTrail-Digest/ap-south-1/2025/01/02/111122223333_CloudTrail-Digest_ap-south-1_org_trail_1_us-east-1_20250102T000512Z_backfill.json.gz",
			LogObject{Kind: ObjectDigest, Prefix: "p", OrgID: "o-exampleorgid", Account: "111122223333", Region: "ap-south-1", Time: at("2025-01-02T00:05:12Z"),
				Trail: "org_trail_1", HomeRegion: "us-east-1", Backfill: true}, true},
		{"AWSLogs/111122223333/CloudTrail-Insight/us-west-2/2025/05/21/111122223333_CloudTrail-Insight_us-west-2_20250521T0550Z_Zz12Cd34Ef56Gh78.json.gz",
			LogObject{Kind: ObjectInsight, Account: "111122223333", Region: "us-west-2", Time: at("2025-05-21T05:50:00Z"), Unique: "Zz12Cd34Ef56Gh78"}, true},
		// A prefix that holds AWSLogs itself: the last one is the layout's.
		{"AWSLogs/archive/AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			LogObject{Kind: ObjectLog, Prefix: "AWSLogs/archive", Account: "111122223333", Region: "us-east-2", Time: at("2015-08-01T02:10:00Z"), Unique: "Mu0KsOhtH1ar15ZZ"}, true},

		// Parts that disagree: moved or renamed files.
		{"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/444455556666_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz", LogObject{}, false},
		{"AWSLogs/111122223333/CloudTrail/us-east-1/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz", LogObject{}, false},
		{"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/02/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz", LogObject{}, false},
		{"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1501Z_Mu0KsOhtH1ar15ZZ.json.gz", LogObject{}, false},
		// Not CloudTrail's, or not whole.
		{"AWSLogs/111122223333/Config/us-east-2/2015/08/01/ConfigSnapshot/x.json.gz", LogObject{}, false},
		{"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.txt", LogObject{}, false},
		{"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz", LogObject{}, false},
		{"AWSLogs/11112222333/CloudTrail/us-east-2/2015/08/01/11112222333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz", LogObject{}, false},
		{"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0261Z_Mu0KsOhtH1ar15ZZ.json.gz", LogObject{}, false},
		{"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_us-east-2_20150817T150131Z.json.gz", LogObject{}, false},
		{"111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz", LogObject{}, false},
	} {
		got, ok := ParseLogObject(tc.key)
		assert.Equal(t, tc.ok, ok, "ParseLogObject(%q) ok", tc.key)
		if tc.ok {
			tc.want.Key = tc.key
			assert.Equal(t, tc.want, got, "ParseLogObject(%q)", tc.key)
		}
	}
}

// logKey names a log file in the layout, delivered at a time "2025-05-21T0545Z".
func logKey(account, region, stamp string) string {
	tm, err := time.Parse("2006-01-02T1504Z", stamp)
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_Ab12Cd34Ef56Gh78.json.gz",
		account, region, tm.Format("2006/01/02"), account, region, tm.Format("20060102T1504Z"))
}

// treeRecord is a record of the account, Region and time given.
func treeRecord(name, account, region, at string) []byte {
	return fmt.Appendf(nil, `{"eventVersion":"1.11","eventTime":%q,"eventSource":"kms.amazonaws.com","eventName":%q,"awsRegion":%q,"recipientAccountId":%q,"eventID":%q}`,
		at, name, region, account, name)
}

// countingFS records the files opened.
type countingFS struct {
	fstest.MapFS
	opened []string
}

func (c *countingFS) Open(name string) (fs.File, error) {
	if info, err := fs.Stat(c.MapFS, name); err == nil && !info.IsDir() {
		c.opened = append(c.opened, name)
	}
	return c.MapFS.Open(name)
}

func testTree() *countingFS {
	file := func(recs ...[]byte) *fstest.MapFile { return &fstest.MapFile{Data: synth.Gzip(synth.Records(recs))} }
	const a, b = "111122223333", "444455556666"
	return &countingFS{MapFS: fstest.MapFS{
		"README.md":        {Data: []byte("# bucket copy\n")},
		".git/config.json": {Data: []byte("not a record")},
		logKey(a, "us-west-2", "2025-05-20T2355Z"): file(treeRecord("A1", a, "us-west-2", "2025-05-20T23:50:00Z")),
		logKey(a, "us-west-2", "2025-05-21T0545Z"): file(treeRecord("A2", a, "us-west-2", "2025-05-21T05:40:00Z"), treeRecord("A3", a, "us-west-2", "2025-05-21T05:44:00Z")),
		logKey(a, "us-east-1", "2025-05-21T0600Z"): file(treeRecord("A4", a, "us-east-1", "2025-05-21T05:58:00Z")),
		logKey(a, "us-west-2", "2025-05-23T0100Z"): file(treeRecord("A5", a, "us-west-2", "2025-05-23T00:55:00Z")),
		logKey(b, "us-west-2", "2025-05-21T0545Z"): file(treeRecord("B1", b, "us-west-2", "2025-05-21T05:41:00Z")),
		"AWSLogs/" + a + "/CloudTrail-Digest/us-west-2/2025/05/21/" + a + "_CloudTrail-Digest_us-west-2_trail_us-west-2_20250521T060000Z.json.gz": {Data: synth.Gzip([]byte(`{"awsAccountId":"111122223333","digestStartTime":"2025-05-21T05:00:00Z","digestEndTime":"2025-05-21T06:00:00Z","logFiles":[]}`))},
		"AWSLogs/" + a + "/CloudTrail-Digest/us-west-2/2025/05/21/renamed.json.gz":                                                                {Data: synth.Gzip([]byte(`{"digestS3Object":"x","logFiles":[]}`))},
		"AWSLogs/" + a + "/Config/us-west-2/2025/05/21/ConfigHistory/x.json.gz":                                                                   {Data: []byte("config")},
		"AWSLogs/" + a + "/CloudTrail/us-west-2/2025/05/21/notes.json":                                                                            {Data: []byte(`{"x":1}`)},
		"exports/lookup.jsonl": {Data: append(append(treeRecord("X1", a, "us-west-2", "2025-05-21T05:30:00Z"), '\n'), treeRecord("X2", b, "eu-west-1", "2025-05-22T05:30:00Z")...)},
		"exports/broken.json":  {Data: []byte(`{"eventVersion":"1.11","eventName":}`)},
	}}
}

func TestTreeFiles(t *testing.T) {
	fsys := testTree()
	var got []string
	for o, err := range (&Tree{FS: fsys}).Files() {
		require.NoError(t, err)
		got = append(got, o.Kind.String()+" "+o.Key)
	}
	assert.Equal(t, []string{
		"log " + logKey("111122223333", "us-east-1", "2025-05-21T0600Z"),
		"log " + logKey("111122223333", "us-west-2", "2025-05-20T2355Z"),
		"log " + logKey("111122223333", "us-west-2", "2025-05-21T0545Z"),
		"other AWSLogs/111122223333/CloudTrail/us-west-2/2025/05/21/notes.json",
		"log " + logKey("111122223333", "us-west-2", "2025-05-23T0100Z"),
		"digest AWSLogs/111122223333/CloudTrail-Digest/us-west-2/2025/05/21/111122223333_CloudTrail-Digest_us-west-2_trail_us-west-2_20250521T060000Z.json.gz",
		"digest AWSLogs/111122223333/CloudTrail-Digest/us-west-2/2025/05/21/renamed.json.gz",
		"log " + logKey("444455556666", "us-west-2", "2025-05-21T0545Z"),
		"other exports/broken.json",
		"other exports/lookup.jsonl",
	}, got, "README.md, .git and Config logs are passed over; a stray file in a CloudTrail folder is not")
	assert.Empty(t, fsys.opened, "Files opens nothing")
}

func TestTreeFilesMisplaced(t *testing.T) {
	// A digest copied into the next day's folder, and a log file into
	// another Region's: the first is yielded as a digest, marked, for a
	// validator to call it moved; the second's name disagrees with more
	// than its day, and it is yielded as a file outside the layout, read
	// rather than passed over lest its records be missed.
	const digest = "111122223333_CloudTrail-Digest_us-west-2_trail_us-west-2_20250521T060000Z.json.gz"
	fsys := fstest.MapFS{
		"AWSLogs/111122223333/CloudTrail-Digest/us-west-2/2025/05/22/" + digest:                                                          {Data: []byte("{}")},
		"AWSLogs/111122223333/CloudTrail/us-east-1/2025/05/21/111122223333_CloudTrail_us-west-2_20250521T0545Z_Ab12Cd34Ef56Gh78.json.gz": {Data: []byte("{}")},
	}
	var got []LogObject
	for o, err := range (&Tree{FS: fsys}).Files() {
		require.NoError(t, err)
		got = append(got, o)
	}
	require.Len(t, got, 2)
	assert.Equal(t, ObjectOther, got[0].Kind)
	got = got[1:]
	assert.True(t, got[0].Misplaced)
	assert.Equal(t, ObjectDigest, got[0].Kind)
	assert.Equal(t, time.Date(2025, 5, 21, 6, 0, 0, 0, time.UTC), got[0].Time, "the name's time")
	_, ok := ParseLogObject(got[0].Key)
	assert.False(t, ok, "ParseLogObject still rejects the key")
}

func TestTreeEvents(t *testing.T) {
	day := func(s string) time.Time {
		tm, _ := time.Parse(time.RFC3339, s)
		return tm
	}
	for _, tc := range []struct {
		name   string
		tree   Tree
		events []string // eventName@path's last folder
		opened int      // files opened
		errs   int
	}{
		{"all", Tree{}, []string{"A4", "A1", "A2", "A3", "A5", "B1", "X1", "X2"}, 8, 2},
		{"account", Tree{Accounts: []string{"444455556666"}}, []string{"B1", "X2"}, 3, 1},
		{"region", Tree{Regions: []string{"us-east-1"}}, []string{"A4"}, 3, 1},
		// Files delivered before Start are not opened; the day folder of
		// 2025-05-20 is not entered.
		{"start", Tree{Start: day("2025-05-21T05:43:00Z")}, []string{"A4", "A3", "A5", "X2"}, 7, 2},
		// Files delivered more than MaxDelay after End are not opened.
		{"end", Tree{End: day("2025-05-21T05:43:00Z")}, []string{"A1", "A2", "B1", "X1"}, 7, 2},
		{"range and region", Tree{Start: day("2025-05-21T00:00:00Z"), End: day("2025-05-22T00:00:00Z"), Regions: []string{"us-west-2"}},
			[]string{"A2", "A3", "B1", "X1"}, 5, 2},
		{"root", Tree{Root: "exports"}, []string{"X1", "X2"}, 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := testTree()
			tc.tree.FS = fsys
			var names []string
			errs := 0
			for ev, err := range tc.tree.Events() {
				if err != nil {
					errs++
					var e *Error
					require.True(t, errors.As(err, &e), "%v", err)
					assert.Contains(t, []string{"exports/broken.json", "AWSLogs/111122223333/CloudTrail/us-west-2/2025/05/21/notes.json"}, e.Path)
					continue
				}
				require.True(t, slices.Contains(fsys.opened, ev.Source.Path), "Source.Path %q", ev.Source.Path)
				names = append(names, ev.EventName)
			}
			assert.Equal(t, tc.events, names)
			assert.Len(t, fsys.opened, tc.opened, "opened %v", fsys.opened)
			assert.Equal(t, tc.errs, errs)
		})
	}
}

// TestTreeSetup: Setup sees each file's Reader before it reads.
func TestTreeSetup(t *testing.T) {
	fsys := fstest.MapFS{"a.json": {Data: []byte("{\"eventVersion\":\"1.11\"\n\"eventName\":\"A\"}")}}
	tree := Tree{FS: fsys, Setup: func(r *Reader) { r.Repair, r.Path = true, "copy/"+r.Path }}
	var got []*Event
	for ev, err := range tree.Events() {
		require.NoError(t, err)
		got = append(got, ev)
	}
	require.Len(t, got, 1)
	assert.Equal(t, "copy/a.json", got[0].Source.Path)
	assert.Equal(t, Repaired, got[0].Diagnostics[0].Kind)
}
