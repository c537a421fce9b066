package kmstrail

import (
	"io/fs"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
)

// An ObjectKind says what a file of a CloudTrail tree holds.
type ObjectKind uint8

// The kinds of file a Tree yields.
const (
	// ObjectOther is a file outside CloudTrail's key layout whose name
	// says it may hold records (.json, .json.gz, .jsonl, .jsonl.gz): an
	// export, a copy, a test fixture. Its key says nothing more.
	ObjectOther ObjectKind = iota

	// ObjectLog is a log file, under AWSLogs/.../CloudTrail/.
	ObjectLog

	// ObjectDigest is a digest file, under AWSLogs/.../CloudTrail-Digest/:
	// it lists log files and their hashes, and holds no records.
	ObjectDigest

	// ObjectInsight is a log file of Insights events, under
	// AWSLogs/.../CloudTrail-Insight/.
	ObjectInsight
)

var objectKindNames = [...]string{ObjectOther: "other", ObjectLog: "log", ObjectDigest: "digest", ObjectInsight: "insight"}

// String returns the kind's name, such as "digest".
func (k ObjectKind) String() string {
	if int(k) < len(objectKindNames) {
		return objectKindNames[k]
	}
	return "ObjectKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText encodes the kind as its name.
func (k ObjectKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// kindDirs maps the folder under the account to the kind of its files, and
// the kind to the word in its file names.
var kindDirs = map[string]ObjectKind{"CloudTrail": ObjectLog, "CloudTrail-Digest": ObjectDigest, "CloudTrail-Insight": ObjectInsight}

// LogObject is what the S3 key of a file CloudTrail delivers says about it.
// CloudTrail writes log files to
//
//	[prefix/]AWSLogs/[o-id/]account/CloudTrail/region/yyyy/mm/dd/account_CloudTrail_region_yyyymmddThhmmZ_unique.json.gz
//
// Insights events likewise under CloudTrail-Insight (named
// account_CloudTrail-Insight_...), and digest files to
//
//	[prefix/]AWSLogs/[o-id/]account/CloudTrail-Digest/region/yyyy/mm/dd/account_CloudTrail-Digest_region_trail_homeregion_yyyymmddThhmmssZ[_backfill].json.gz
//
// where the time is the digest's end time. A copy whose files were
// decompressed (.json) keeps the layout.
type LogObject struct {
	// Key is the key, or the path, the object was parsed from.
	Key string `json:"key"`

	// Kind says what the file holds.
	Kind ObjectKind `json:"kind"`

	// Prefix is the trail's key prefix, the part before AWSLogs/, without
	// its final '/'; empty when the key starts with AWSLogs/.
	Prefix string `json:"prefix,omitempty"`

	// OrgID is the organization ID (o-...) of an organization trail.
	OrgID string `json:"orgId,omitempty"`

	// Account and Region are the account and Region the file is about.
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`

	// Time is when a log file was delivered, to the minute (its records
	// are all earlier), or a digest's end time, to the second.
	Time time.Time `json:"time,omitzero"`

	// Unique is a log file's 16-character unique string; it has no
	// meaning.
	Unique string `json:"unique,omitempty"`

	// Trail and HomeRegion are a digest's trail name and the trail's home
	// Region.
	Trail      string `json:"trail,omitempty"`
	HomeRegion string `json:"homeRegion,omitempty"`

	// Backfill reports a backfill digest (named _backfill), which lists log
	// files that the regular digests missed; backfill digests chain among
	// themselves.
	Backfill bool `json:"backfill,omitempty"`

	// Misplaced reports a file whose name says another day than its
	// day folders: a copy moved from where CloudTrail delivered it. Its
	// other fields are what the name says. ParseLogObject rejects such a
	// key; Tree.Files yields it, so that a validator can tell a moved file
	// from a missing one.
	Misplaced bool `json:"misplaced,omitempty"`
}

// ParseLogObject reads a key (or a slash-separated path ending in one) in
// CloudTrail's layout. It reports false for a key outside the layout, or
// whose parts disagree (a file name naming another account, Region or day
// than its folders).
func ParseLogObject(key string) (LogObject, bool) {
	o, ok := parseLogObject(key)
	return o, ok && !o.Misplaced
}

// parseLogObject is ParseLogObject, but accepts a file in another day's
// folder than its name says, marked Misplaced.
func parseLogObject(key string) (LogObject, bool) {
	segs := strings.Split(key, "/")
	i := slices.Index(segs, "AWSLogs")
	for j := i; j >= 0; {
		// The last AWSLogs folder is the layout's: a prefix may hold one.
		k := slices.Index(segs[j+1:], "AWSLogs")
		if k < 0 {
			break
		}
		j += k + 1
		i = j
	}
	if i < 0 {
		return LogObject{}, false
	}
	o := LogObject{Key: key, Prefix: strings.Join(segs[:i], "/")}
	rest := segs[i+1:]
	if len(rest) > 0 && isOrgID(rest[0]) {
		o.OrgID, rest = rest[0], rest[1:]
	}
	// account, kind, region, yyyy, mm, dd, name
	if len(rest) != 7 || !isAccount(rest[0]) {
		return LogObject{}, false
	}
	kind, ok := kindDirs[rest[1]]
	if !ok {
		return LogObject{}, false
	}
	o.Account, o.Kind, o.Region = rest[0], kind, rest[2]
	day, ok := dirDay(rest[3], rest[4], rest[5])
	if !ok || !o.parseName(rest[6], rest[1]) {
		return LogObject{}, false
	}
	o.Misplaced = !o.Time.Truncate(24 * time.Hour).Equal(day)
	return o, true
}

// parseName reads a file name: account_word_region_..., word being the
// kind's folder name.
func (o *LogObject) parseName(name, word string) bool {
	base, ok := strings.CutSuffix(name, ".json.gz")
	if !ok {
		if base, ok = strings.CutSuffix(name, ".json"); !ok {
			return false
		}
	}
	rest, ok := strings.CutPrefix(base, o.Account+"_"+word+"_"+o.Region+"_")
	if !ok {
		return false
	}
	if o.Kind != ObjectDigest {
		// yyyymmddThhmmZ_unique
		stamp, unique, ok := strings.Cut(rest, "_")
		t, err := time.Parse("20060102T1504Z", stamp)
		if !ok || err != nil || unique == "" || strings.Contains(unique, "_") {
			return false
		}
		o.Time, o.Unique = t, unique
		return true
	}
	// trail_homeregion_yyyymmddThhmmssZ[_backfill]; a trail name may hold
	// '_', a Region does not.
	rest, o.Backfill = strings.CutSuffix(rest, "_backfill")
	i := strings.LastIndexByte(rest, '_')
	if i < 0 {
		return false
	}
	t, err := time.Parse("20060102T150405Z", rest[i+1:])
	j := strings.LastIndexByte(rest[:i], '_')
	if err != nil || j <= 0 || j+1 == i {
		return false
	}
	o.Time, o.Trail, o.HomeRegion = t, rest[:j], rest[j+1:i]
	return true
}

// dirDay reads the day folders yyyy/mm/dd.
func dirDay(y, m, d string) (time.Time, bool) {
	if len(y) != 4 || len(m) != 2 || len(d) != 2 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006/01/02", y+"/"+m+"/"+d)
	return t, err == nil
}

// isAccount reports whether s is an AWS account ID: 12 digits.
func isAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isOrgID reports whether s is an organization ID: "o-" and 10 to 32
// lower-case letters or digits.
func isOrgID(s string) bool {
	id, ok := strings.CutPrefix(s, "o-")
	if !ok || len(id) < 10 || len(id) > 32 {
		return false
	}
	for _, c := range []byte(id) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isRecordName reports whether a file's name says it may hold records.
func isRecordName(name string) bool {
	for _, ext := range [...]string{".json", ".json.gz", ".jsonl", ".jsonl.gz"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// DefaultMaxDelay is Tree.MaxDelay's default.
const DefaultMaxDelay = time.Hour

// A Tree reads the CloudTrail files of a directory tree: a copy of a trail's
// bucket (aws s3 sync s3://bucket .), an evidence archive, a folder of
// exports. Any fs.FS will do: os.DirFS, a zip.Reader, fstest.MapFS.
//
// Files walks the tree and yields each CloudTrail file with what its key
// says; Events reads the records of the log files. Files that are not
// CloudTrail's (a README, a folder of AWS Config or load balancer logs
// under AWSLogs/, a file whose name is not that of JSON) are passed over, and so are folders whose names start
// with a dot. The selection (Accounts, Regions, Start, End) passes over
// whole folders and files by their keys, without opening them, and Events
// applies it to each record too, so that files outside the layout, whose
// keys say nothing, are selected record by record.
type Tree struct {
	// FS holds the tree.
	FS fs.FS

	// Root is the folder of FS to walk; "" or "." for all of it.
	Root string

	// Accounts and Regions, when not empty, select those accounts and
	// Regions: by the key, and by each record's recipientAccountId and
	// awsRegion.
	Accounts, Regions []string

	// Start and End, when not zero, select records whose eventTime is at
	// or after Start and before End. A log file is delivered after its
	// records: one delivered before Start holds none of them, and one
	// delivered more than MaxDelay after End is taken to hold none.
	Start, End time.Time

	// MaxDelay is how long after its latest record a log file may be
	// delivered. CloudTrail delivers within about 5 minutes, late
	// deliveries aside. Default DefaultMaxDelay.
	MaxDelay time.Duration

	// Setup, when set, is called with each file's Reader before its first
	// record, to set Repair or limits. Reader.Path is set to the file's
	// path in FS; Setup may change it.
	Setup func(*Reader)
}

// Files yields the CloudTrail files of the tree in lexical order, with what
// their keys say: log files, Insights files and digest files (by the
// layout, those moved to another day's folder too, marked Misplaced), and
// other files whose names say they may hold records (ObjectOther: exports,
// copies, and files renamed in the layout, which are not passed over lest
// records be missed), selected as the Tree says. An error walking the
// tree is yielded and the walk goes on.
func (t *Tree) Files() iter.Seq2[LogObject, error] {
	return func(yield func(LogObject, error) bool) {
		root := t.Root
		if root == "" {
			root = "."
		}
		stopped := false
		err := fs.WalkDir(t.FS, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if !yield(LogObject{Key: p}, err) {
					stopped = true
					return fs.SkipAll
				}
				return nil
			}
			if d.IsDir() {
				if p != root && strings.HasPrefix(d.Name(), ".") || !t.wantDir(p) {
					return fs.SkipDir
				}
				return nil
			}
			o, ok := parseLogObject(p)
			switch {
			case ok:
				if !t.wantObject(o) {
					return nil
				}
			case isRecordName(d.Name()):
				o = LogObject{Key: p, Kind: folderKind(p)}
			default:
				return nil
			}
			if !yield(o, nil) {
				stopped = true
				return fs.SkipAll
			}
			return nil
		})
		if err != nil && !stopped {
			yield(LogObject{Key: root}, err)
		}
	}
}

// folderKind is the kind of a file whose key is not in the layout: a
// digest file when it lies in a CloudTrail-Digest folder of an AWSLogs tree
// (a digest that was renamed still holds no records), else ObjectOther.
func folderKind(p string) ObjectKind {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if s != "AWSLogs" {
			continue
		}
		for _, s := range segs[i+1 : min(i+4, len(segs)-1)] {
			if s == "CloudTrail-Digest" {
				return ObjectDigest
			}
		}
	}
	return ObjectOther
}

// wantDir reports whether a folder may hold selected files, judged by the
// layout's folders it names: account, kind, Region and day.
func (t *Tree) wantDir(p string) bool {
	segs := strings.Split(p, "/")
	i := slices.Index(segs, "AWSLogs")
	if i < 0 {
		return true
	}
	rest := segs[i+1:]
	if len(rest) > 0 && isOrgID(rest[0]) {
		rest = rest[1:]
	}
	if len(rest) == 0 || !isAccount(rest[0]) {
		return true // not the layout: walk it
	}
	if len(t.Accounts) > 0 && !slices.Contains(t.Accounts, rest[0]) {
		return false
	}
	if len(rest) < 2 {
		return true
	}
	if _, ok := kindDirs[rest[1]]; !ok {
		return false // AWS Config, load balancer logs, ...
	}
	if len(rest) < 3 {
		return true
	}
	if len(t.Regions) > 0 && !slices.Contains(t.Regions, rest[2]) {
		return false
	}
	if len(rest) < 6 {
		return true
	}
	day, ok := dirDay(rest[3], rest[4], rest[5])
	if !ok {
		return true
	}
	return t.wantDelivery(day, day.Add(24*time.Hour))
}

// wantDelivery reports whether files delivered in [from, to) may hold
// records in the selected time range.
func (t *Tree) wantDelivery(from, to time.Time) bool {
	if !t.Start.IsZero() && !to.After(t.Start) {
		return false // every record is before Start
	}
	if !t.End.IsZero() && !from.Before(t.End.Add(t.maxDelay())) {
		return false // delivered too long after End to hold its records
	}
	return true
}

func (t *Tree) maxDelay() time.Duration {
	if t.MaxDelay > 0 {
		return t.MaxDelay
	}
	return DefaultMaxDelay
}

// wantObject reports whether a file in the layout is selected by its key.
func (t *Tree) wantObject(o LogObject) bool {
	if len(t.Accounts) > 0 && !slices.Contains(t.Accounts, o.Account) ||
		len(t.Regions) > 0 && !slices.Contains(t.Regions, o.Region) {
		return false
	}
	if o.Kind == ObjectDigest {
		// A digest covers the hour before its end time.
		return t.wantDelivery(o.Time.Add(-time.Hour), o.Time.Add(time.Hour))
	}
	return t.wantDelivery(o.Time, o.Time.Add(time.Minute))
}

// wantEvent reports whether a record is selected.
func (t *Tree) wantEvent(ev *Event) bool {
	return (len(t.Accounts) == 0 || slices.Contains(t.Accounts, ev.RecipientAccountID)) &&
		(len(t.Regions) == 0 || slices.Contains(t.Regions, ev.AWSRegion)) &&
		(t.Start.IsZero() || !ev.EventTime.Before(t.Start)) &&
		(t.End.IsZero() || ev.EventTime.Before(t.End))
}

// Events reads the records of the tree's log files and Insights files, and
// of its files outside the layout, in the order Files yields them, with
// each file's path in Event.Source.Path. It yields the Reader's errors as
// they come (a file's fatal error ends that file, not the walk) and an
// error for a file it cannot open; digest files hold no records and are
// passed over. Only selected records are yielded.
func (t *Tree) Events() iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		for o, err := range t.Files() {
			if err != nil {
				if !yield(nil, err) {
					return
				}
				continue
			}
			if o.Kind == ObjectDigest {
				continue
			}
			if !t.readFile(o.Key, yield) {
				return
			}
		}
	}
}

// readFile yields the selected records of one file; it reports false once
// yield has.
func (t *Tree) readFile(p string, yield func(*Event, error) bool) bool {
	f, err := t.FS.Open(p)
	if err != nil {
		return yield(nil, err)
	}
	defer f.Close()
	r := NewReader(f)
	r.Path = p
	if t.Setup != nil {
		t.Setup(r)
	}
	for ev, err := range r.All() {
		if err != nil {
			if !yield(nil, err) {
				return false
			}
			continue
		}
		if t.wantEvent(ev) && !yield(ev, nil) {
			return false
		}
	}
	return true
}
