// Package digesttest builds CloudTrail buckets for tests: log files and the
// digest files that list them, chained and signed as CloudTrail signs
// them, with the .sig files beside the digests and the public key list
// that `aws cloudtrail list-public-keys` would print.
//
// Its signing keys are test keys, embedded in the package and published
// with it: they prove nothing outside a test.
//
//	b := digesttest.New()
//	c := b.Chain(digesttest.ExampleTrail, "us-east-1")
//	c.Log(time.Date(2025, 5, 21, 0, 45, 0, 0, time.UTC))
//	c.Digest(time.Date(2025, 5, 21, 1, 1, 31, 0, time.UTC))
//	keys, _ := digest.ParsePublicKeys(bytes.NewReader(b.PublicKeysJSON()))
//	v := &digest.Validator{FS: b.FS(), Keys: keys}
package digesttest

import (
	"bytes"
	"compress/gzip"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"
	"time"

	"github.com/kmstrail/kmstrail/digest"
)

var (
	//go:embed key.pem
	key1PEM []byte
	//go:embed key2.pem
	key2PEM []byte
)

// Trail names a trail and where it delivers.
type Trail struct {
	// Bucket is the bucket the digests name.
	Bucket string

	// Prefix is the trail's key prefix, without a final '/'; empty for
	// none.
	Prefix string

	// OrgID is the organization ID of an organization trail.
	OrgID string

	// Account is the account whose files these are.
	Account string

	// Name and HomeRegion name the trail.
	Name, HomeRegion string
}

// ExampleTrail is a trail of account 111122223333 delivering to
// amzn-s3-demo-bucket.
var ExampleTrail = Trail{Bucket: "amzn-s3-demo-bucket", Account: "111122223333", Name: "management-events", HomeRegion: "us-east-1"}

// Builder writes a bucket's files. Its methods are not safe for
// concurrent use.
type Builder struct {
	// Files holds the bucket's objects by key, when Dir is empty.
	Files fstest.MapFS

	// Dir, when set, is the folder the objects are written under instead,
	// a copy of the bucket as aws s3 sync makes one.
	Dir string

	keys [2]*rsa.PrivateKey
	n    int
}

// New returns a Builder that keeps its files in Files.
func New() *Builder {
	b := &Builder{Files: fstest.MapFS{}}
	for i, p := range [][]byte{key1PEM, key2PEM} {
		block, _ := pem.Decode(p)
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			panic(err)
		}
		b.keys[i] = k.(*rsa.PrivateKey)
	}
	return b
}

// keyFor returns the key that signs a Region's digests: CloudTrail's are
// Region-unique, so the builder's two keys alternate, eu- Regions getting
// the second.
func (b *Builder) keyFor(region string) *rsa.PrivateKey {
	if strings.HasPrefix(region, "eu-") {
		return b.keys[1]
	}
	return b.keys[0]
}

// FS returns the bucket: Files, or os.DirFS(Dir).
func (b *Builder) FS() fs.FS {
	if b.Dir != "" {
		return os.DirFS(b.Dir)
	}
	return b.Files
}

// Put writes an object.
func (b *Builder) Put(key string, data []byte) {
	if b.Dir == "" {
		b.Files[key] = &fstest.MapFile{Data: data, Mode: 0o644}
		return
	}
	if err := writeObject(b.Dir, key, data); err != nil {
		panic(err)
	}
}

// writeObject writes an object under dir, at its key's path.
func writeObject(dir, key string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// PublicKeysJSON returns what `aws cloudtrail list-public-keys` prints for
// the builder's keys, valid from 2020 to 2030.
func (b *Builder) PublicKeysJSON() []byte {
	type entry struct {
		Value             string
		ValidityStartTime string
		ValidityEndTime   string
		Fingerprint       string
	}
	var list struct{ PublicKeyList []entry }
	for _, k := range b.keys {
		der := x509.MarshalPKCS1PublicKey(&k.PublicKey)
		pk, err := digest.NewPublicKey(der)
		if err != nil {
			panic(err)
		}
		list.PublicKeyList = append(list.PublicKeyList, entry{Value: base64.StdEncoding.EncodeToString(der),
			ValidityStartTime: "2020-01-01T00:00:00+00:00", ValidityEndTime: "2030-01-01T00:00:00+00:00", Fingerprint: pk.Fingerprint})
	}
	out, err := json.MarshalIndent(list, "", "    ")
	if err != nil {
		panic(err)
	}
	return append(out, '\n')
}

// Gzip compresses data as one gzip member.
func Gzip(data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

// Chain delivers one trail's files in one Region: log files, and the
// hourly digests that list them.
type Chain struct {
	b        *Builder
	trail    Trail
	region   string
	backfill bool
	pending  []logEntry
	prev     *prevDigest
	lastEnd  time.Time
}

type logEntry struct {
	S3Bucket        string  `json:"s3Bucket"`
	S3Object        string  `json:"s3Object"`
	HashValue       string  `json:"hashValue"`
	HashAlgorithm   string  `json:"hashAlgorithm"`
	NewestEventTime *string `json:"newestEventTime"`
	OldestEventTime *string `json:"oldestEventTime"`
}

type prevDigest struct{ bucket, key, hash, sig string }

// Chain returns the regular digest chain of a trail in a Region.
func (b *Builder) Chain(t Trail, region string) *Chain {
	return &Chain{b: b, trail: t, region: region}
}

// Backfill returns the backfill digest chain of a trail in a Region: its
// digests are named _backfill and chain among themselves.
func (b *Builder) Backfill(t Trail, region string) *Chain {
	return &Chain{b: b, trail: t, region: region, backfill: true}
}

// base returns the key's part up to the account's folder.
func (c *Chain) base() string {
	s := "AWSLogs/"
	if c.trail.OrgID != "" {
		s += c.trail.OrgID + "/"
	}
	s += c.trail.Account + "/"
	if c.trail.Prefix != "" {
		s = c.trail.Prefix + "/" + s
	}
	return s
}

// LogKey returns the key of a log file delivered at t, with a unique
// string made from n.
func (c *Chain) LogKey(t time.Time, n int) string {
	t = t.UTC()
	return fmt.Sprintf("%sCloudTrail/%s/%s/%s_CloudTrail_%s_%s_%016X.json.gz", c.base(), c.region,
		t.Format("2006/01/02"), c.trail.Account, c.region, t.Format("20060102T1504Z"), 0xA0B0C0D000000000+uint64(n))
}

// Log writes a log file delivered at t, holding two KMS records of the
// minutes before, and adds it to the next digest's list. It returns the
// file's key.
func (c *Chain) Log(t time.Time) string {
	c.b.n++
	t = t.UTC()
	var recs []string
	for i := range 2 {
		recs = append(recs, fmt.Sprintf(`{"eventVersion":"1.11","eventTime":%q,"eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":%q,"recipientAccountId":%q,"eventID":"00000000-0000-4000-8000-%012d","readOnly":true}`,
			t.Add(-time.Duration(10-5*i)*time.Minute).Format(time.RFC3339), c.region, c.trail.Account, c.b.n*10+i))
	}
	return c.LogBody(t, []byte(`{"Records":[`+strings.Join(recs, ",")+"]}"), t.Add(-10*time.Minute), t.Add(-5*time.Minute))
}

// LogBody writes a log file delivered at t with the given decompressed
// content and event times, and adds it to the next digest's list.
func (c *Chain) LogBody(t time.Time, body []byte, oldest, newest time.Time) string {
	c.b.n++
	key := c.LogKey(t, c.b.n)
	c.b.Put(key, Gzip(body))
	sum := sha256.Sum256(body)
	o, nw := oldest.UTC().Format(time.RFC3339), newest.UTC().Format(time.RFC3339)
	c.pending = append(c.pending, logEntry{S3Bucket: c.trail.Bucket, S3Object: key, HashValue: hex.EncodeToString(sum[:]),
		HashAlgorithm: "SHA-256", NewestEventTime: &nw, OldestEventTime: &o})
	return key
}

// Restart makes the next digest start a new chain, as after logging was
// stopped: its previous digest members are null.
func (c *Chain) Restart() { c.prev, c.lastEnd = nil, time.Time{} }

// DigestKey returns the key of the chain's digest ending at end.
func (c *Chain) DigestKey(end time.Time) string {
	end = end.UTC()
	s := fmt.Sprintf("%sCloudTrail-Digest/%s/%s/%s_CloudTrail-Digest_%s_%s_%s_%s", c.base(), c.region, end.Format("2006/01/02"),
		c.trail.Account, c.region, c.trail.Name, c.trail.HomeRegion, end.Format("20060102T150405Z"))
	if c.backfill {
		s += "_backfill"
	}
	return s + ".json.gz"
}

// Digest writes the digest ending at end, listing the log files written
// since the last one and chained to it, with its signature in a .sig file
// beside it. It starts where the last digest ended, or an hour before end.
// It returns the digest's key.
func (c *Chain) Digest(end time.Time) string {
	end = end.UTC()
	start := c.lastEnd
	if start.IsZero() {
		start = end.Add(-time.Hour)
	}
	key := c.DigestKey(end)
	null := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	d := struct {
		AWSAccountID                string     `json:"awsAccountId"`
		DigestStartTime             string     `json:"digestStartTime"`
		DigestEndTime               string     `json:"digestEndTime"`
		DigestS3Bucket              string     `json:"digestS3Bucket"`
		DigestS3Object              string     `json:"digestS3Object"`
		DigestPublicKeyFingerprint  string     `json:"digestPublicKeyFingerprint"`
		DigestSignatureAlgorithm    string     `json:"digestSignatureAlgorithm"`
		NewestEventTime             *string    `json:"newestEventTime"`
		OldestEventTime             *string    `json:"oldestEventTime"`
		PreviousDigestS3Bucket      *string    `json:"previousDigestS3Bucket"`
		PreviousDigestS3Object      *string    `json:"previousDigestS3Object"`
		PreviousDigestHashValue     *string    `json:"previousDigestHashValue"`
		PreviousDigestHashAlgorithm *string    `json:"previousDigestHashAlgorithm"`
		PreviousDigestSignature     *string    `json:"previousDigestSignature"`
		LogFiles                    []logEntry `json:"logFiles"`
	}{
		AWSAccountID: c.trail.Account, DigestStartTime: start.Format(time.RFC3339), DigestEndTime: end.Format(time.RFC3339),
		DigestS3Bucket: c.trail.Bucket, DigestS3Object: key, DigestSignatureAlgorithm: digest.SignatureAlgorithm,
		LogFiles: c.pending,
	}
	if d.LogFiles == nil {
		d.LogFiles = []logEntry{}
	}
	for _, l := range c.pending {
		if d.NewestEventTime == nil || *l.NewestEventTime > *d.NewestEventTime {
			d.NewestEventTime = l.NewestEventTime
		}
		if d.OldestEventTime == nil || *l.OldestEventTime < *d.OldestEventTime {
			d.OldestEventTime = l.OldestEventTime
		}
	}
	prevSig := "null"
	if p := c.prev; p != nil {
		d.PreviousDigestS3Bucket, d.PreviousDigestS3Object, d.PreviousDigestHashValue = null(p.bucket), null(p.key), null(p.hash)
		d.PreviousDigestHashAlgorithm, d.PreviousDigestSignature = null("SHA-256"), null(p.sig)
		prevSig = p.sig
	}
	priv := c.b.keyFor(c.region)
	pk, err := digest.NewPublicKey(x509.MarshalPKCS1PublicKey(&priv.PublicKey))
	if err != nil {
		panic(err)
	}
	d.DigestPublicKeyFingerprint = pk.Fingerprint
	body, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(body)
	toSign := d.DigestEndTime + "\n" + d.DigestS3Bucket + "/" + key + "\n" + hex.EncodeToString(sum[:]) + "\n" + prevSig
	h := sha256.Sum256([]byte(toSign))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, h[:])
	if err != nil {
		panic(err)
	}
	c.b.Put(key, Gzip(body))
	c.b.Put(key+digest.SigSuffix, []byte(hex.EncodeToString(sig)+"\n"))
	c.prev = &prevDigest{bucket: c.trail.Bucket, key: key, hash: hex.EncodeToString(sum[:]), sig: hex.EncodeToString(sig)}
	c.lastEnd, c.pending = end, nil
	return key
}

// WriteDir writes the objects of Files under dir, as aws s3 sync would
// copy the bucket.
func (b *Builder) WriteDir(dir string) error {
	for key, f := range b.Files {
		if err := writeObject(dir, key, f.Data); err != nil {
			return err
		}
	}
	return nil
}
