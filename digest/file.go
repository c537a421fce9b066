package digest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail"
)

// DefaultMaxBytes is the largest digest file Read accepts, decompressed:
// 16 MiB. A digest lists the log files of one hour in one Region, a few
// hundred bytes each, so this holds tens of thousands of them; anything
// larger is not a digest CloudTrail wrote.
const DefaultMaxBytes = 16 << 20

// Sentinel errors. Errors from Parse and Read are *Error values wrapping
// one of them; test with errors.Is.
var (
	// ErrFormat reports input that is not a CloudTrail digest file: not
	// JSON, a member missing or of the wrong type, a malformed hash.
	ErrFormat = errors.New("digest: not a CloudTrail digest file")

	// ErrTooLarge reports a digest file larger than the limit, once
	// decompressed.
	ErrTooLarge = errors.New("digest: digest file too large")

	// ErrTrailingData reports bytes after the first gzip member of a file:
	// CloudTrail writes one member, so such a file is not what it
	// delivered.
	ErrTrailingData = errors.New("digest: data after the gzip member")

	// ErrCompression reports a damaged or truncated gzip stream.
	ErrCompression = errors.New("digest: damaged gzip data")

	// ErrSignature reports a signature that does not verify, or that is not
	// hex.
	ErrSignature = errors.New("digest: signature does not verify")

	// ErrNoPublicKey reports a digest whose public key fingerprint matches
	// no key at hand.
	ErrNoPublicKey = errors.New("digest: no public key with the digest's fingerprint")
)

// Error is an error in a digest file, positioned where it is known.
type Error struct {
	// Path names the file, when known.
	Path string

	// Offset is the byte offset of the error in the decompressed JSON, or
	// -1 when the error concerns the file as a whole.
	Offset int64

	// Pointer is the JSON Pointer (RFC 6901) of the member in error, when
	// there is one.
	Pointer string

	// Err is the cause; it wraps one of the package's sentinel errors.
	Err error
}

// Error returns "path: offset N: pointer: cause", leaving out the parts
// that are not known.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Offset >= 0 {
		b.WriteString("offset ")
		b.WriteString(strconv.FormatInt(e.Offset, 10))
		b.WriteString(": ")
	}
	if e.Pointer != "" {
		b.WriteString(e.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// detail is a cause: a sentinel and what went wrong this time.
type detail struct {
	sentinel error
	text     string
}

func (d *detail) Error() string {
	s := strings.TrimPrefix(d.sentinel.Error(), "digest: ")
	if d.text == "" {
		return s
	}
	return s + ": " + d.text
}

func (d *detail) Unwrap() error { return d.sentinel }

func errorf(sentinel error, format string, args ...any) error {
	return &detail{sentinel: sentinel, text: fmt.Sprintf(format, args...)}
}

// File is a digest file: what CloudTrail delivered in one hour, in one
// Region, for one trail. Members that are null in the file (the previous
// digest's in the first digest of a chain, the event times of an hour
// without logs) are zero.
type File struct {
	// AWSAccountID is the account the digest was delivered for.
	AWSAccountID string `json:"awsAccountId"`

	// DigestStartTime and DigestEndTime bound the hour the digest covers:
	// it lists the log files delivered in it. DigestEndTime.Text is signed
	// as written.
	DigestStartTime kmstrail.Time `json:"digestStartTime"`
	DigestEndTime   kmstrail.Time `json:"digestEndTime"`

	// DigestS3Bucket and DigestS3Object are where CloudTrail delivered the
	// digest; they are signed, so a digest read elsewhere has been moved.
	DigestS3Bucket string `json:"digestS3Bucket"`
	DigestS3Object string `json:"digestS3Object"`

	// DigestPublicKeyFingerprint is the hex fingerprint of the public key
	// that verifies the digest's signature.
	DigestPublicKeyFingerprint string `json:"digestPublicKeyFingerprint"`

	// DigestSignatureAlgorithm is the signature's algorithm, SHA256withRSA.
	DigestSignatureAlgorithm string `json:"digestSignatureAlgorithm"`

	// NewestEventTime and OldestEventTime bound the events of the log
	// files listed; zero when none is.
	NewestEventTime kmstrail.Time `json:"newestEventTime,omitzero"`
	OldestEventTime kmstrail.Time `json:"oldestEventTime,omitzero"`

	// PreviousDigestS3Bucket and PreviousDigestS3Object locate the previous
	// digest of the chain; PreviousDigestHashValue is the hex SHA-256 of
	// its decompressed bytes (PreviousDigestHashAlgorithm, SHA-256), and
	// PreviousDigestSignature its hex signature. All are empty in the first
	// digest of a chain.
	PreviousDigestS3Bucket      string `json:"previousDigestS3Bucket"`
	PreviousDigestS3Object      string `json:"previousDigestS3Object"`
	PreviousDigestHashValue     string `json:"previousDigestHashValue"`
	PreviousDigestHashAlgorithm string `json:"previousDigestHashAlgorithm"`
	PreviousDigestSignature     string `json:"previousDigestSignature"`

	// LogFiles lists the log files delivered in the hour; empty when there
	// were none.
	LogFiles []LogFile `json:"logFiles"`

	// SHA256 is the SHA-256 of the file's decompressed bytes: what the
	// signature covers, and what the next digest's PreviousDigestHashValue
	// holds, in hex.
	SHA256 [32]byte `json:"-"`
}

// LogFile is a log file a digest lists.
type LogFile struct {
	// S3Bucket and S3Object are where CloudTrail delivered the log file.
	S3Bucket string `json:"s3Bucket"`
	S3Object string `json:"s3Object"`

	// HashValue is the hex SHA-256 of the log file's decompressed bytes
	// (HashAlgorithm, SHA-256).
	HashValue     string `json:"hashValue"`
	HashAlgorithm string `json:"hashAlgorithm"`

	// NewestEventTime and OldestEventTime bound the file's events.
	NewestEventTime kmstrail.Time `json:"newestEventTime,omitzero"`
	OldestEventTime kmstrail.Time `json:"oldestEventTime,omitzero"`
}

// Hash returns the hex SHA-256 of the digest's decompressed bytes.
func (f *File) Hash() string { return hex.EncodeToString(f.SHA256[:]) }

// Parse decodes a digest file's decompressed JSON. It checks that every
// member validation needs is there and well formed (times, hashes of 64 hex
// digits, a previous digest either wholly named or wholly null) and keeps
// the SHA-256 of data in the File. Members it does not know are ignored.
// Parse does not limit data's size: Read does.
func Parse(data []byte) (*File, error) {
	var f File
	err := json.Unmarshal(data, &f)
	if err != nil {
		return nil, jsonError(err)
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	f.SHA256 = sha256.Sum256(data)
	return &f, nil
}

// jsonError turns an error of the JSON decoder into an *Error.
func jsonError(err error) error {
	e := &Error{Offset: -1, Err: errorf(ErrFormat, "%s", err)}
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		e.Offset, e.Pointer = syn.ByteOffset, string(syn.JSONPointer)
		e.Err = errorf(ErrFormat, "%s", syn.Err)
	case errors.As(err, &sem):
		e.Offset, e.Pointer = sem.ByteOffset, string(sem.JSONPointer)
		if sem.Err != nil {
			e.Err = errorf(ErrFormat, "%s", sem.Err)
		} else {
			e.Err = errorf(ErrFormat, "cannot decode JSON %s into %s", sem.JSONKind, sem.GoType)
		}
	}
	return e
}

// check reports the first member missing or malformed.
func (f *File) check() error {
	bad := func(ptr, format string, args ...any) error {
		return &Error{Offset: -1, Pointer: ptr, Err: errorf(ErrFormat, format, args...)}
	}
	for _, m := range []struct{ ptr, v string }{
		{"/awsAccountId", f.AWSAccountID},
		{"/digestS3Bucket", f.DigestS3Bucket},
		{"/digestS3Object", f.DigestS3Object},
		{"/digestPublicKeyFingerprint", f.DigestPublicKeyFingerprint},
		{"/digestSignatureAlgorithm", f.DigestSignatureAlgorithm},
	} {
		if m.v == "" {
			return bad(m.ptr, "missing or empty")
		}
	}
	for _, m := range []struct {
		ptr string
		t   kmstrail.Time
	}{{"/digestStartTime", f.DigestStartTime}, {"/digestEndTime", f.DigestEndTime}} {
		if !m.t.Valid() || m.t.IsZero() {
			return bad(m.ptr, "missing or not a time")
		}
	}
	if !isHex(f.DigestPublicKeyFingerprint, 0) {
		return bad("/digestPublicKeyFingerprint", "not hex: %.80q", f.DigestPublicKeyFingerprint)
	}
	prev := []string{f.PreviousDigestS3Bucket, f.PreviousDigestS3Object, f.PreviousDigestHashValue, f.PreviousDigestSignature}
	switch {
	case f.PreviousDigestSignature == "" && f.PreviousDigestS3Object == "" && f.PreviousDigestHashValue == "" && f.PreviousDigestS3Bucket == "":
	case slicesContain(prev, ""):
		return bad("/previousDigestS3Object", "previous digest members partly null")
	case !isHex(f.PreviousDigestHashValue, 64):
		return bad("/previousDigestHashValue", "not a hex SHA-256: %.80q", f.PreviousDigestHashValue)
	case !isHex(f.PreviousDigestSignature, 0):
		return bad("/previousDigestSignature", "not hex")
	}
	f.PreviousDigestHashValue = strings.ToLower(f.PreviousDigestHashValue)
	for i := range f.LogFiles {
		l := &f.LogFiles[i]
		ptr := "/logFiles/" + strconv.Itoa(i)
		switch {
		case l.S3Bucket == "":
			return bad(ptr+"/s3Bucket", "missing or empty")
		case l.S3Object == "":
			return bad(ptr+"/s3Object", "missing or empty")
		case !isHex(l.HashValue, 64):
			return bad(ptr+"/hashValue", "not a hex SHA-256: %.80q", l.HashValue)
		}
		l.HashValue = strings.ToLower(l.HashValue)
	}
	return nil
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// isHex reports whether s is an even number of hex digits, n of them when n
// is not 0.
func isHex(s string, n int) bool {
	if s == "" || len(s)%2 != 0 || n != 0 && len(s) != n {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// Read reads a digest file, gzip (as CloudTrail delivers it) or already
// decompressed, and parses it. It reads at most DefaultMaxBytes of
// decompressed data, so a gzip bomb costs no more than that, and rejects
// data after the first gzip member.
func Read(r io.Reader) (*File, error) {
	return readLimit(r, DefaultMaxBytes)
}

// readLimit is Read with a limit on the decompressed size.
func readLimit(r io.Reader, limit int64) (*File, error) {
	data, err := readAll(r, limit)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// readAll reads a whole file, decompressing it if it is gzip, up to limit
// bytes of content.
func readAll(r io.Reader, limit int64) ([]byte, error) {
	br := bufio.NewReader(r)
	var src io.Reader = br
	var zr *gzip.Reader
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		var err error
		if zr, err = gzip.NewReader(br); err != nil {
			return nil, &Error{Offset: -1, Err: errorf(ErrCompression, "%v", err)}
		}
		zr.Multistream(false)
		src = zr
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(src, limit+1))
	switch {
	case n > limit:
		return nil, &Error{Offset: limit, Err: errorf(ErrTooLarge, "more than %d bytes", limit)}
	case err != nil && zr != nil:
		return nil, &Error{Offset: n, Err: errorf(ErrCompression, "%v", err)}
	case err != nil:
		return nil, &Error{Offset: n, Err: err}
	}
	if zr != nil {
		if _, err := br.Peek(1); err != io.EOF {
			return nil, &Error{Offset: -1, Err: ErrTrailingData}
		}
	}
	return buf.Bytes(), nil
}
