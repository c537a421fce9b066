package digest

import (
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kmstrail/kmstrail"
)

// MetadataFile is an fs.File that carries its object's user metadata, as
// the files S3FS opens do. A Validator takes a digest's signature from the
// "signature" member of the metadata when there is one.
type MetadataFile interface {
	fs.File
	Metadata() map[string]string
}

// SigSuffix ends the name of the file that holds a digest's hex signature
// beside a copy of the digest: what
//
//	aws s3api head-object --bucket B --key K --query Metadata.signature --output text
//
// prints, saved as K.sig.
const SigSuffix = ".sig"

// Validator validates the digest chains of a trail's bucket, or a copy of
// it, and the log files the digests list.
//
// FS holds the bucket: its paths are the objects' keys, so a copy made
// with aws s3 sync s3://bucket DIR is os.DirFS(DIR), and the bucket itself
// is an S3FS. A digest's signature comes from the object's metadata
// (MetadataFile), else from a file beside it named with SigSuffix, else from
// the previousDigestSignature of the next digest in the chain once that one
// is verified; so a copy needs a .sig only for the newest digest of each
// chain.
//
// Validation reads each digest whole (up to MaxDigestBytes) and streams
// each log file once, hashing it as it is decompressed, Workers at a time.
// It keeps the keys of one account's Region, with the digests' lists, in
// memory at a time, never a log file's content.
type Validator struct {
	// FS holds the bucket's objects under their keys.
	FS fs.FS

	// Root is the folder of FS to walk: "" for all of it, or a trail's
	// key prefix.
	Root string

	// Keys gives CloudTrail's public keys: Keys read by ParsePublicKeys
	// offline, CloudTrailKeys online. Required.
	Keys KeySource

	// Accounts, Regions and Trails, when not empty, select the digests
	// (and log files) of those accounts, Regions and trail names.
	Accounts, Regions, Trails []string

	// Start and End, when not zero, select the digests whose hour meets
	// [Start, End) and the log files delivered in it. End also says that
	// the trail logged until then: a chain with a digest in the range
	// must have one for every hour that ends up to an hour (the delay of
	// a delivery) before End, or before now when that is sooner.
	Start, End time.Time

	// Bucket, when set, is the bucket the digests must name; a digest
	// naming another has been moved. When empty, the bucket each digest
	// names is taken as FS's.
	Bucket string

	// Workers is how many files are read at a time; 0 means
	// runtime.GOMAXPROCS(0), or 8 when FS is an S3FS, whose reads wait on
	// the network.
	Workers int

	// MaxDigestBytes is the largest digest file read, decompressed; 0
	// means DefaultMaxBytes.
	MaxDigestBytes int64

	// MaxLogBytes is the largest log file hashed, decompressed; a larger
	// one is invalid, so that a gzip bomb costs no more than this much
	// hashing. 0 means DefaultMaxLogBytes.
	MaxLogBytes int64
}

// DefaultMaxLogBytes is Validator.MaxLogBytes's default: 1 GiB. CloudTrail
// delivers a Region's events every few minutes, in files of a few MiB at
// most.
const DefaultMaxLogBytes = 1 << 30

// margin widens the range of digests read beyond the range reported: the
// digest listing a log delivered just before End ends up to an hour after
// it, and the previous digest of the first one in range ends before Start.
const margin = 2 * time.Hour

// Validate walks FS and yields one Result per digest and per log file in
// the range, chain by chain (accounts and Regions in lexical order, each
// chain from its oldest digest on, each digest followed by the log files
// it lists), the unlisted log files of each Region after its chains, and
// after the last Region of an account the digests missing at the end of
// its chains, which only the account's Regions together show. An error it
// yields is about the input as a whole (a folder it cannot list, public
// keys it cannot get); validation goes on after it.
func (v *Validator) Validate(ctx context.Context) iter.Seq2[Result, error] {
	return func(yield func(Result, error) bool) {
		if v.Keys == nil {
			yield(Result{}, errors.New("digest: Validator.Keys is nil"))
			return
		}
		groups, err := v.walk()
		if err != nil && !yield(Result{}, err) {
			return
		}
		// The ends of the regular chains of the account's Regions seen so
		// far: one Region's chain is held to its peers'.
		var ends []chainEnd
		for i, g := range groups {
			if ctx.Err() != nil {
				yield(Result{}, ctx.Err())
				return
			}
			rep := v.group(ctx, g)
			for _, err := range rep.errs {
				if !yield(Result{}, err) {
					return
				}
			}
			for _, r := range rep.results {
				if !yield(r, nil) {
					return
				}
			}
			ends = append(ends, rep.ends...)
			if i+1 < len(groups) && groups[i+1].account == g.account {
				continue
			}
			for _, r := range v.tails(ends) {
				if !yield(r, nil) {
					return
				}
			}
			ends = ends[:0]
		}
	}
}

// A group is what one account delivered in one Region (under one prefix):
// its digest chains and its log files.
type group struct {
	id      string
	account string // the prefix, organization and account: id without the Region
	digests []kmstrail.LogObject
	logs    []kmstrail.LogObject
	byName  map[string]string // log file name -> path, to find a moved log
}

// walk lists the digest and log files of the range, by group.
func (v *Validator) walk() ([]*group, error) {
	t := kmstrail.Tree{FS: v.FS, Root: v.Root, Accounts: v.Accounts, Regions: v.Regions, MaxDelay: time.Hour}
	if !v.Start.IsZero() {
		t.Start = v.Start.Add(-margin)
	}
	if !v.End.IsZero() {
		t.End = v.End.Add(margin)
	}
	byID := map[string]*group{}
	var errs []error
	for o, err := range t.Files() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if o.Kind != kmstrail.ObjectDigest && o.Kind != kmstrail.ObjectLog {
			continue
		}
		if o.Kind == kmstrail.ObjectDigest && len(v.Trails) > 0 && !slices.Contains(v.Trails, o.Trail) {
			continue
		}
		account := o.Prefix + "\x00" + o.OrgID + "\x00" + o.Account
		id := account + "\x00" + o.Region
		g := byID[id]
		if g == nil {
			g = &group{id: id, account: account, byName: map[string]string{}}
			byID[id] = g
		}
		if o.Kind == kmstrail.ObjectDigest {
			g.digests = append(g.digests, o)
		} else {
			g.logs = append(g.logs, o)
			g.byName[path.Base(o.Key)] = o.Key
		}
	}
	groups := make([]*group, 0, len(byID))
	for _, g := range byID {
		// Log files do not name their trail: with trails selected, a
		// Region without their digests is not theirs.
		if len(v.Trails) == 0 || len(g.digests) > 0 {
			groups = append(groups, g)
		}
	}
	slices.SortFunc(groups, func(a, b *group) int { return strings.Compare(a.id, b.id) })
	return groups, errors.Join(errs...)
}

// A node is one digest file of a chain, as read and as judged.
type node struct {
	obj     kmstrail.LogObject // what its path says
	file    *File              // nil when it could not be read
	readErr error
	sig     string // its own signature: metadata or .sig
	sigErr  string // why its own signature is unusable
	linkSig string // the previousDigestSignature of a verified successor
	next    *node  // the successor that names it
	linkErr []string

	result  Result
	before  []Result // missing digests between it and the one before
	ok      bool     // its content is authentic (valid or moved)
	logs    []int    // indexes of its log results in the group's list
	inRange bool
}

// end returns the digest's end time: from its content when read, else
// from its key.
func (n *node) end() time.Time {
	if n.file != nil {
		return n.file.DigestEndTime.Time
	}
	return n.obj.Time
}

// name returns the key the digest names for itself, or its path.
func (n *node) name() string {
	if n.file != nil {
		return n.file.DigestS3Object
	}
	return n.obj.Key
}

// chainID says which chain a digest belongs to: a trail's regular digests
// in a Region form one, its backfill digests another.
func chainID(o kmstrail.LogObject) string {
	b := "0"
	if o.Backfill {
		b = "1"
	}
	return b + "\x00" + o.Trail + "\x00" + o.HomeRegion
}

// A report is what validating one group found: the errors about it, its
// results in order, and the ends of its regular chains, for tails.
type report struct {
	errs    []error
	results []Result
	ends    []chainEnd
}

// group validates one group.
func (v *Validator) group(ctx context.Context, g *group) *report {
	rep := &report{}
	nodes := v.readDigests(g)
	chains := map[string][]*node{}
	named := map[string]*node{}
	for _, n := range nodes {
		id := chainID(n.obj)
		chains[id] = append(chains[id], n)
		if old := named[n.name()]; old == nil || old.obj.Key != old.name() {
			named[n.name()] = n
		}
		n.inRange = v.inRange(n)
	}
	ids := make([]string, 0, len(chains))
	for id := range chains {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	keys, err := v.keys(ctx, g, nodes)
	if err != nil {
		rep.errs = append(rep.errs, err)
	}
	// newest is the end of the newest regular digest: log files
	// delivered after it are not yet digested.
	var newest time.Time
	for _, id := range ids {
		c := chains[id]
		slices.SortStableFunc(c, func(a, b *node) int { return a.end().Compare(b.end()) })
		v.judgeChain(c, named, keys, err)
		if c[0].obj.Backfill {
			continue
		}
		e := endOf(c)
		rep.ends = append(rep.ends, e)
		if e.end.After(newest) {
			newest = e.end
		}
	}

	results, accounted := v.listLogs(ctx, g, ids, chains)
	for _, id := range ids {
		for _, n := range chains[id] {
			rep.results = append(rep.results, n.before...)
			if !n.inRange {
				continue
			}
			rep.results = append(rep.results, n.result)
			for _, i := range n.logs {
				rep.results = append(rep.results, results[i])
			}
		}
	}
	rep.results = append(rep.results, v.unlisted(g, accounted, newest)...)
	return rep
}

// inRange reports whether a digest's hour meets [Start, End).
func (v *Validator) inRange(n *node) bool {
	end := n.end()
	start := end.Add(-time.Hour)
	if n.file != nil {
		start = n.file.DigestStartTime.Time
	}
	return (v.Start.IsZero() || end.After(v.Start)) && (v.End.IsZero() || start.Before(v.End))
}

// readDigests reads the group's digests and their signatures, Workers at
// a time.
func (v *Validator) readDigests(g *group) []*node {
	nodes := make([]*node, len(g.digests))
	v.parallel(len(nodes), func(i int) {
		n := &node{obj: g.digests[i]}
		nodes[i] = n
		n.file, n.sig, n.readErr = v.readDigest(n.obj.Key)
		if n.readErr != nil || n.sig != "" {
			return
		}
		n.sig, n.sigErr = v.readSig(n.obj.Key)
	})
	return nodes
}

// readDigest reads one digest, with the signature in its metadata.
func (v *Validator) readDigest(p string) (*File, string, error) {
	f, err := v.FS.Open(p)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	var sig string
	if mf, ok := f.(MetadataFile); ok {
		meta := mf.Metadata()
		if alg, ok := meta["signature-algorithm"]; ok && alg != SignatureAlgorithm {
			return nil, "", fmt.Errorf("signature algorithm %.40q in the object's metadata, not %s", alg, SignatureAlgorithm)
		}
		sig = meta["signature"]
	}
	limit := v.MaxDigestBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	file, err := readLimit(f, limit)
	return file, sig, err
}

// readSig reads the .sig file beside a digest; it returns "" and no
// complaint when there is none.
func (v *Validator) readSig(p string) (string, string) {
	f, err := v.FS.Open(p + SigSuffix)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSignatureBytes+3))
	if err != nil {
		return "", fmt.Sprintf("reading %s: %v", path.Base(p)+SigSuffix, err)
	}
	s := strings.TrimSpace(string(data))
	if s == "" || s == "None" {
		// What aws s3api head-object leaves for an object without the
		// metadata, or when it failed.
		return "", ""
	}
	if len(data) > MaxSignatureBytes+2 || !isHex(s, 0) {
		return "", fmt.Sprintf("%s does not hold a hex signature of at most %d digits", path.Base(p)+SigSuffix, MaxSignatureBytes)
	}
	return strings.ToLower(s), ""
}

// keys gets the public keys for the group's digests.
func (v *Validator) keys(ctx context.Context, g *group, nodes []*node) ([]PublicKey, error) {
	var start, end time.Time
	for _, n := range nodes {
		if t := n.end(); start.IsZero() || t.Before(start) {
			start = t
		}
		if t := n.end(); t.After(end) {
			end = t
		}
	}
	if len(nodes) == 0 {
		return nil, nil
	}
	region := nodes[0].obj.Region
	return v.Keys.PublicKeys(ctx, region, start.Add(-time.Hour), end)
}

// judgeChain judges a chain's digests, newest first, so that a verified
// digest vouches for the signature and hash of the one it names.
func (v *Validator) judgeChain(c []*node, named map[string]*node, keys []PublicKey, keyErr error) {
	for i := len(c) - 1; i >= 0; i-- {
		n := c[i]
		v.judge(n, keys, keyErr)
		var older *node
		if i > 0 {
			older = c[i-1]
		}
		if n.file == nil {
			continue
		}
		f := n.file
		if f.PreviousDigestS3Object == "" {
			if older != nil && n.inRange {
				addReason(&n.result, fmt.Sprintf("the chain restarts here: no digest covers %s to %s (logging or validation was off)",
					older.end().Format(time.RFC3339), f.DigestStartTime.Time.Format(time.RFC3339)))
			}
			continue
		}
		prev := named[f.PreviousDigestS3Object]
		if prev != nil && prev.next != nil {
			// CloudTrail never forks a chain.
			n.ok, n.result.Status = false, Invalid
			addReason(&n.result, "it names the same previous digest as "+prev.next.name())
			continue
		}
		if prev == nil {
			n.before = v.missing(n, older)
			continue
		}
		prev.next = n
		if prev.file == nil {
			continue
		}
		if h := prev.file.Hash(); h != f.PreviousDigestHashValue {
			prev.linkErr = append(prev.linkErr, fmt.Sprintf("its SHA-256 is %s, but the next digest's previousDigestHashValue is %s", h, f.PreviousDigestHashValue))
		}
		if prev.sig != "" && prev.sig != strings.ToLower(f.PreviousDigestSignature) {
			prev.linkErr = append(prev.linkErr, "its signature differs from the next digest's previousDigestSignature")
		}
		if f.PreviousDigestS3Bucket != prev.file.DigestS3Bucket {
			prev.linkErr = append(prev.linkErr, fmt.Sprintf("it names bucket %s, the next digest's previousDigestS3Bucket %s", prev.file.DigestS3Bucket, f.PreviousDigestS3Bucket))
		}
		if !prev.file.DigestEndTime.Time.Equal(f.DigestStartTime.Time) {
			prev.linkErr = append(prev.linkErr, fmt.Sprintf("it ends at %s, but the next digest starts at %s",
				prev.file.DigestEndTime.Time.Format(time.RFC3339), f.DigestStartTime.Time.Format(time.RFC3339)))
		}
		if n.ok {
			prev.linkSig = strings.ToLower(f.PreviousDigestSignature)
		}
	}
}

// judge sets a digest's Result from what was read of it and of its
// successor.
func (v *Validator) judge(n *node, keys []PublicKey, keyErr error) {
	r := &n.result
	*r = Result{Path: n.name(), Kind: KindDigest}
	if n.next != nil {
		r.Digest = n.next.name()
	}
	if n.readErr != nil {
		r.Path = n.obj.Key
		r.Status, r.Reason = Invalid, reasonOf(n.readErr)
		return
	}
	f := n.file
	sig, from := n.sig, ""
	if sig == "" {
		sig, from = n.linkSig, " (the signature is the next digest's previousDigestSignature)"
	}
	var problems []string
	switch {
	case sig == "" && n.sigErr != "":
		problems = append(problems, n.sigErr)
	case sig == "" && len(n.linkErr) == 0:
		r.Status, r.Reason = Unsigned, "no signature: no S3 metadata, no "+path.Base(n.obj.Key)+SigSuffix+" file, and no verified next digest"
		return
	case sig == "":
	case keyErr != nil:
		r.Status, r.Reason = Unverified, "public keys unavailable: "+keyErr.Error()
		return
	default:
		key, err := f.publicKey(keys)
		if err == nil {
			err = f.verifyWith(sig, key)
		}
		switch {
		case errors.Is(err, ErrNoPublicKey):
			p := fmt.Sprintf("no public key with fingerprint %s in region %s", strings.ToLower(f.DigestPublicKeyFingerprint), n.obj.Region)
			if d := err.Error(); strings.Contains(d, " was valid ") {
				p += ": " + d[strings.Index(d, "key "):]
			}
			problems = append(problems, p)
		case err != nil:
			problems = append(problems, "bad signature: the digest's content or location was changed, or the signature is not its own"+from)
		}
	}
	if len(n.linkErr) > 0 {
		problems = append(problems, "the next digest disagrees: "+strings.Join(n.linkErr, "; "))
	}
	if len(problems) > 0 {
		r.Status, r.Reason = Invalid, strings.Join(problems, "; ")
		return
	}
	n.ok = true
	switch {
	case n.obj.Key != f.DigestS3Object:
		r.Status, r.Reason = Moved, "found at "+n.obj.Key
	case v.Bucket != "" && f.DigestS3Bucket != v.Bucket:
		r.Status, r.Reason = Moved, "found in bucket "+v.Bucket+", but the digest names bucket "+f.DigestS3Bucket
	default:
		r.Status = Valid
	}
}

// missing returns the Results for the digests missing between a digest
// whose previous digest is not there and the older digest found before it
// in the chain, oldest first. The previous digest's key is known; those
// before it are counted by CloudTrail's hourly cadence and given the key
// pattern of their hour.
func (v *Validator) missing(n *node, older *node) []Result {
	key := n.file.PreviousDigestS3Object
	o, ok := kmstrail.ParseLogObject(key)
	if !ok {
		return []Result{{Path: key, Kind: KindDigest, Status: Missing, Digest: n.name(),
			Reason: "the previous digest is not there, and its key is not a digest's"}}
	}
	prevEnd := o.Time
	if !v.Start.IsZero() && !prevEnd.After(v.Start) || !v.End.IsZero() && !prevEnd.Add(-time.Hour).Before(v.End) {
		return nil
	}
	hours, step := 1, time.Hour
	if older != nil && older.end().Before(prevEnd) {
		hours = max(1, int((prevEnd.Sub(older.end())+30*time.Minute)/time.Hour))
		step = prevEnd.Sub(older.end()) / time.Duration(hours)
	}
	reason := "not found; the next digest names it"
	if hours > 1 {
		reason = fmt.Sprintf("not found; the next digest names it, and %d digests in a row are missing between %s and %s",
			hours, older.end().Format(time.RFC3339), n.file.DigestStartTime.Time.Format(time.RFC3339))
	}
	out := make([]Result, 0, hours)
	for k := hours - 1; k >= 1; k-- {
		t := prevEnd.Add(-time.Duration(k) * step)
		if !v.Start.IsZero() && !t.After(v.Start) {
			continue
		}
		out = append(out, Result{Path: hourPattern(o, t), Kind: KindDigest, Status: Missing,
			Reason: fmt.Sprintf("no digest for the hour ending about %s: %d of %d missing in a row before %s", t.Format("2006-01-02T15:04Z"), hours-k, hours, path.Base(key))})
	}
	return append(out, Result{Path: key, Kind: KindDigest, Status: Missing, Digest: n.name(), Reason: reason})
}

// hourPattern returns the key a digest like o would have if it ended in
// t's hour, with the minutes and seconds as '*'.
func hourPattern(o kmstrail.LogObject, t time.Time) string {
	var b strings.Builder
	if o.Prefix != "" {
		b.WriteString(o.Prefix + "/")
	}
	b.WriteString("AWSLogs/")
	if o.OrgID != "" {
		b.WriteString(o.OrgID + "/")
	}
	t = t.UTC()
	fmt.Fprintf(&b, "%s/CloudTrail-Digest/%s/%s/%s_CloudTrail-Digest_%s_%s_%s_%sT%s*Z",
		o.Account, o.Region, t.Format("2006/01/02"), o.Account, o.Region, o.Trail, o.HomeRegion, t.Format("20060102"), t.Format("15"))
	if o.Backfill {
		b.WriteString("_backfill")
	}
	b.WriteString(".json.gz")
	return b.String()
}

// addReason appends a note to a Result's reason.
func addReason(r *Result, s string) {
	if r.Reason != "" {
		r.Reason += "; "
	}
	r.Reason += s
}

// reasonOf words an error for a Result.
func reasonOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		e2 := *e
		e2.Path = ""
		return strings.TrimPrefix(e2.Error(), "digest: ")
	}
	return strings.TrimPrefix(err.Error(), "digest: ")
}

// A logTask is a log file a digest lists.
type logTask struct {
	n    *node
	file LogFile
}

// listLogs checks the log files the group's digests in range list, Workers
// at a time, and returns their results (indexed by node.logs) and the
// paths accounted for by any digest read.
func (v *Validator) listLogs(ctx context.Context, g *group, ids []string, chains map[string][]*node) ([]Result, map[string]bool) {
	accounted := map[string]bool{}
	var tasks []logTask
	for _, id := range ids {
		for _, n := range chains[id] {
			if n.file == nil {
				continue
			}
			for _, l := range n.file.LogFiles {
				accounted[l.S3Object] = true
				if n.inRange {
					n.logs = append(n.logs, len(tasks))
					tasks = append(tasks, logTask{n: n, file: l})
				}
			}
		}
	}
	results := make([]Result, len(tasks))
	moved := make([]string, len(tasks))
	v.parallel(len(tasks), func(i int) {
		if ctx.Err() != nil {
			results[i] = Result{Path: tasks[i].file.S3Object, Kind: KindLog, Status: Unverified, Reason: ctx.Err().Error()}
			return
		}
		results[i], moved[i] = v.checkLog(g, tasks[i])
	})
	for _, p := range moved {
		if p != "" {
			accounted[p] = true
		}
	}
	return results, accounted
}

// checkLog checks one log file; it returns the path the file was found at
// when that is not its key.
func (v *Validator) checkLog(g *group, t logTask) (Result, string) {
	l := t.file
	r := Result{Path: l.S3Object, Kind: KindLog, Digest: t.n.name()}
	if l.S3Bucket != t.n.file.DigestS3Bucket {
		r.Status, r.Reason = Missing, "listed in bucket "+l.S3Bucket+", not the digest's bucket "+t.n.file.DigestS3Bucket+", which is the one validated"
		return r, ""
	}
	at := l.S3Object
	sum, err := v.hashFile(at)
	if errors.Is(err, fs.ErrNotExist) {
		at = g.byName[path.Base(l.S3Object)]
		if at == "" || at == l.S3Object {
			r.Status, r.Reason = Missing, "not found"
			return r, ""
		}
		sum, err = v.hashFile(at)
	}
	switch {
	case err != nil:
		r.Status, r.Reason = Invalid, reasonOf(err)
		if at != l.S3Object {
			r.Reason = "found at " + at + ", and " + r.Reason
		}
	case hex.EncodeToString(sum[:]) != l.HashValue:
		r.Status, r.Reason = Invalid, fmt.Sprintf("hash mismatch: the digest lists SHA-256 %s, the file's is %x", l.HashValue, sum)
		if at != l.S3Object {
			r.Reason = "found at " + at + ", and " + r.Reason
		}
	case at != l.S3Object:
		r.Status, r.Reason = Moved, "found at "+at
	case !t.n.ok:
		r.Status, r.Reason = Unverified, "its hash matches, but the digest that lists it is "+t.n.result.Status.String()
	default:
		r.Status = Valid
	}
	if at == l.S3Object {
		at = ""
	}
	return r, at
}

// hashFile hashes the log file at p.
func (v *Validator) hashFile(p string) ([32]byte, error) {
	f, err := v.FS.Open(p)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	limit := v.MaxLogBytes
	if limit <= 0 {
		limit = DefaultMaxLogBytes
	}
	return hashLog(f, limit)
}

// digestDelay is how long after a digest's end the next one lists the log
// files delivered since: an hour, and the minutes CloudTrail takes to
// deliver it. A copy of a bucket made sooner holds log files that no
// digest lists yet.
const digestDelay = 75 * time.Minute

// unlisted returns the results for the group's log files in range that no
// digest lists: unlisted, or unverified when delivered so soon after the
// newest digest that no digest could list them yet.
func (v *Validator) unlisted(g *group, accounted map[string]bool, newest time.Time) []Result {
	var out []Result
	for _, o := range g.logs {
		if accounted[o.Key] || !v.Start.IsZero() && o.Time.Before(v.Start) || !v.End.IsZero() && !o.Time.Before(v.End) {
			continue
		}
		r := Result{Path: o.Key, Kind: KindLog, Status: Unlisted, Reason: "listed by no digest"}
		if newest.IsZero() {
			r.Reason += ": there is no digest in this account's Region"
		} else if !o.Time.Before(newest) && o.Time.Before(newest.Add(digestDelay)) {
			r.Status = Unverified
			r.Reason = "delivered after the newest digest"
			if !newest.IsZero() {
				r.Reason += " (it ends " + newest.Format(time.RFC3339) + ")"
			}
			r.Reason += ": no digest lists it yet"
		}
		out = append(out, r)
	}
	return out
}

// parallel calls f(0) ... f(n-1), Workers at a time.
func (v *Validator) parallel(n int, f func(int)) {
	workers := v.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
		if _, ok := v.FS.(*S3FS); ok {
			workers = 8
		}
	}
	workers = min(workers, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// sortEntries sorts folder entries by name.
func sortEntries(es []fs.DirEntry) {
	slices.SortFunc(es, func(a, b fs.DirEntry) int { return cmp.Compare(a.Name(), b.Name()) })
}
