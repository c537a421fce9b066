package digest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

// chainOf returns the decompressed digests of a small chain: the first
// (previous members null) and the second.
func chainOf(t *testing.T) (b *digesttest.Builder, first, second []byte) {
	t.Helper()
	b = digesttest.New()
	c := b.Chain(digesttest.ExampleTrail, "us-east-1")
	k1 := c.Digest(digesttest.Hour(1))
	c.Log(digesttest.Hour(1).Add(15 * time.Minute))
	k2 := c.Digest(digesttest.Hour(2))
	return b, gunzip(t, b.Files[k1].Data), gunzip(t, b.Files[k2].Data)
}

func TestParse(t *testing.T) {
	_, first, second := chainOf(t)
	f, err := digest.Parse(second)
	require.NoError(t, err)
	assert.Equal(t, "111122223333", f.AWSAccountID)
	assert.Equal(t, "2025-05-21T02:01:31Z", f.DigestEndTime.Text)
	assert.Equal(t, digesttest.Hour(1), f.DigestStartTime.Time)
	assert.Equal(t, "amzn-s3-demo-bucket", f.PreviousDigestS3Bucket)
	assert.Len(t, f.PreviousDigestSignature, 512)
	require.Len(t, f.LogFiles, 1)
	assert.Equal(t, "SHA-256", f.LogFiles[0].HashAlgorithm)
	assert.Equal(t, digesttest.Hour(1).Add(5*time.Minute), f.LogFiles[0].OldestEventTime.Time)

	f, err = digest.Parse(first)
	require.NoError(t, err)
	assert.Empty(t, f.PreviousDigestS3Object, "null in the first digest of a chain")
	assert.Empty(t, f.PreviousDigestSignature)
	assert.Empty(t, f.LogFiles)
	assert.True(t, f.NewestEventTime.IsZero(), "null in an hour without logs")
	assert.Equal(t, "2025-05-21T01:01:31Z\namzn-s3-demo-bucket/"+f.DigestS3Object+"\n"+f.Hash()+"\nnull", f.SigningString())
}

func TestParseErrors(t *testing.T) {
	_, _, good := chainOf(t)
	edit := func(old, new string) string {
		require.Contains(t, string(good), old)
		return strings.Replace(string(good), old, new, 1)
	}
	for _, tc := range []struct {
		name, in string
		offset   int64 // -1: no offset
		pointer  string
		msg      string
	}{
		{"not JSON", "<html>", 0, "", "invalid character '<'"},
		{"truncated", string(good[:100]), 100, "/digestEndTime", "unexpected EOF"},
		{"missing end time", edit(`"digestEndTime":"2025-05-21T02:01:31Z",`, ""), -1, "/digestEndTime", "missing or not a time"},
		{"bad time", edit(`"digestEndTime":"2025-05-21T02:01:31Z"`, `"digestEndTime":"yesterday"`), 61, "/digestEndTime", "time fits no known dialect"},
		{"number bucket", edit(`"digestS3Bucket":"amzn-s3-demo-bucket"`, `"digestS3Bucket":7`), 118, "/digestS3Bucket", "cannot decode JSON number into string"},
		{"duplicate member", edit(`"awsAccountId":"111122223333",`, `"awsAccountId":"111122223333","awsAccountId":"444455556666",`), 31, "/awsAccountId", "duplicate"},
		{"bad log hash", edit(`"hashValue":"`, `"hashValue":"zz`), -1, "/logFiles/0/hashValue", "not a hex SHA-256"},
		{"short previous hash", edit(`"previousDigestHashValue":"`, `"previousDigestHashValue":"ab","x":"`), -1, "/previousDigestHashValue", "not a hex SHA-256"},
		{"previous partly null", edit(`"previousDigestS3Bucket":"amzn-s3-demo-bucket"`, `"previousDigestS3Bucket":null`), -1, "/previousDigestS3Object", "partly null"},
		{"log files not an array", edit(`"logFiles":[`, `"logFiles":{"x":[`)[:len(good)-1] + "}}", 1007, "/logFiles", "cannot decode JSON { into []digest.LogFile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := digest.Parse([]byte(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, digest.ErrFormat)
			var e *digest.Error
			require.ErrorAs(t, err, &e)
			if tc.offset != -1 {
				assert.Positive(t, e.Offset+1, "an offset")
			} else {
				assert.Equal(t, int64(-1), e.Offset)
			}
			assert.Equal(t, tc.pointer, e.Pointer)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

// repeat reads s over and over, forever.
type repeat struct {
	s string
	i int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.i:])
		n += c
		r.i = (r.i + c) % len(r.s)
	}
	return n, nil
}

func TestReadHostile(t *testing.T) {
	_, _, good := chainOf(t)
	bomb := digesttest.Gzip(bytes.Repeat([]byte(" "), digest.DefaultMaxBytes+1))
	entry := `{"s3Bucket":"b","s3Object":"k","hashValue":"` + strings.Repeat("ab", 32) + `"},`
	for _, tc := range []struct {
		name string
		in   io.Reader
		want error
		msg  string
	}{
		{"gzip", bytes.NewReader(digesttest.Gzip(good)), nil, ""},
		{"plain", bytes.NewReader(good), nil, ""},
		{"gzip bomb", bytes.NewReader(bomb), digest.ErrTooLarge, "offset 16777216: digest file too large"},
		{"millions of log files", io.MultiReader(strings.NewReader(`{"logFiles":[`), &repeat{s: entry}), digest.ErrTooLarge, "too large"},
		{"a second gzip member", bytes.NewReader(append(digesttest.Gzip(good), digesttest.Gzip([]byte("{}"))...)), digest.ErrTrailingData, "data after the gzip member"},
		{"garbage after the member", bytes.NewReader(append(digesttest.Gzip(good), 0)), digest.ErrTrailingData, ""},
		{"truncated gzip", bytes.NewReader(digesttest.Gzip(good)[:200]), digest.ErrCompression, "damaged gzip data: unexpected EOF"},
		{"gzip header only", bytes.NewReader([]byte{0x1f, 0x8b}), digest.ErrCompression, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := digest.Read(tc.in)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, "111122223333", f.AWSAccountID)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestVerify(t *testing.T) {
	b, _, second := chainOf(t)
	f, err := digest.Parse(second)
	require.NoError(t, err)
	var sig string
	for k, file := range b.Files {
		if strings.HasSuffix(k, "T020131Z.json.gz.sig") {
			sig = string(file.Data)
		}
	}
	require.NotEmpty(t, sig)
	keys, err := digest.ParsePublicKeys(bytes.NewReader(b.PublicKeysJSON()))
	require.NoError(t, err)
	require.NoError(t, f.Verify(sig, keys), "with the newline aws s3api prints")

	other, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	pkix, err := x509.MarshalPKIXPublicKey(&other.PublicKey)
	require.NoError(t, err)
	otherKey, err := digest.NewPublicKey(pkix)
	require.NoError(t, err, "PKIX keys are accepted")
	otherKey.Fingerprint = keys[0].Fingerprint

	expired := keys[0]
	expired.ValidityEnd = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	flipped := []byte(strings.TrimSpace(sig))
	if flipped[10] == '0' {
		flipped[10] = '1'
	} else {
		flipped[10] = '0'
	}
	for _, tc := range []struct {
		name string
		sig  string
		keys []digest.PublicKey
		want error
		msg  string
	}{
		{"no key", sig, keys[1:], digest.ErrNoPublicKey, "fingerprint " + keys[0].Fingerprint},
		{"key expired", sig, []digest.PublicKey{expired}, digest.ErrNoPublicKey, "was valid from 2020-01-01T00:00:00Z to 2024-01-01T00:00:00Z, not when the digest ended (2025-05-21T02:01:31Z)"},
		{"another key, same fingerprint", sig, []digest.PublicKey{otherKey}, digest.ErrSignature, "bad signature"},
		{"a flipped bit", string(flipped), keys, digest.ErrSignature, "bad signature"},
		{"not hex", "xyz", keys, digest.ErrSignature, "not hex"},
		{"odd length", sig[:11], keys, digest.ErrSignature, "not hex"},
		{"huge", strings.Repeat("ab", 1<<20), keys, digest.ErrSignature, "not hex"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.Verify(tc.sig, tc.keys)
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestParsePublicKeysHostile(t *testing.T) {
	for _, tc := range []struct{ name, in, msg string }{
		{"not JSON", "PublicKeyList", "invalid character"},
		{"no list", `{"Keys":[]}`, `no "PublicKeyList" member`},
		{"not base64", `{"PublicKeyList":[{"Value":"!!"}]}`, "illegal base64"},
		{"not a key", `{"PublicKeyList":[{"Value":"bm90IGEga2V5"}]}`, "/PublicKeyList/0/Value: digest: public key is neither PKCS #1 nor PKIX"},
		{"bad time", `{"PublicKeyList":[{"Value":"","ValidityStartTime":"soon"}]}`, "ValidityStartTime"},
		{"huge", `{"PublicKeyList":[` + strings.Repeat(" ", digest.MaxKeyListBytes) + `]}`, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := digest.ParsePublicKeys(strings.NewReader(tc.in))
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

// TestSigFiles: a .sig file that is not a signature makes its digest
// invalid, whatever its size, and reading it stops at a few KiB.
func TestSigFiles(t *testing.T) {
	for _, tc := range []struct {
		name, sig string
		want      digest.Status
		msg       string
	}{
		{"huge", strings.Repeat("ab", 8<<20), digest.Invalid, "does not hold a hex signature"},
		{"not hex", "signature\n", digest.Invalid, "does not hold a hex signature"},
		{"another digest's", "", digest.Invalid, "bad signature"},
		{"upper case", "upper", digest.Valid, ""},
		{"empty", "\n", digest.Unsigned, "no signature"},
		{"None", "None\n", digest.Unsigned, "no signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, l := fixture()
			k := l.East[5] + digest.SigSuffix
			switch tc.sig {
			case "":
				b.Files[k].Data = b.Files[l.East[4]+digest.SigSuffix].Data
			case "upper":
				b.Files[k].Data = bytes.ToUpper(b.Files[k].Data)
			default:
				b.Files[k].Data = []byte(tc.sig)
			}
			rs := validate(t, b.Files, b.PublicKeysJSON(), func(v *digest.Validator) { v.Regions = []string{"us-east-1"} })
			for _, r := range rs {
				if r.Path == l.East[5] {
					assert.Equal(t, tc.want, r.Status)
					assert.Contains(t, r.Reason, tc.msg)
					return
				}
			}
			t.Fatal("no result for the digest")
		})
	}
}

// TestValidateErrors: an input error is yielded, and validation goes on.
func TestValidateErrors(t *testing.T) {
	b, _ := fixture()
	keys, err := digest.ParsePublicKeys(bytes.NewReader(b.PublicKeysJSON()))
	require.NoError(t, err)
	v := &digest.Validator{FS: b.Files, Root: "no-such-folder", Keys: keys}
	var errs []error
	for _, err := range v.Validate(context.Background()) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], io.EOF) || strings.Contains(errs[0].Error(), "file does not exist"), errs[0])

	v = &digest.Validator{FS: b.Files}
	for _, err := range v.Validate(context.Background()) {
		assert.ErrorContains(t, err, "Keys is nil")
	}
}

// TestLogBomb: a log file that decompresses beyond MaxLogBytes is invalid,
// and hashing it stops there.
func TestLogBomb(t *testing.T) {
	b, l := fixture()
	b.Files[l.EastLogs[0][0]].Data = digesttest.Gzip(bytes.Repeat([]byte(" "), 1<<20))
	rs := validate(t, b.Files, b.PublicKeysJSON(), func(v *digest.Validator) { v.MaxLogBytes = 64 << 10 })
	for _, r := range rs {
		if r.Path == l.EastLogs[0][0] {
			assert.Equal(t, digest.Invalid, r.Status)
			assert.Equal(t, "more than 65536 bytes decompressed", r.Reason)
			return
		}
	}
	t.Fatal("no result for the log file")
}

// TestForkedChain: two digests naming the same previous one; CloudTrail
// never writes that, so the one that claims it second (the older, as the
// chain is walked from the newest) is invalid.
func TestForkedChain(t *testing.T) {
	b := digesttest.New()
	c := b.Chain(digesttest.ExampleTrail, "us-east-1")
	c.Digest(digesttest.Hour(1))
	k2 := c.Digest(digesttest.Hour(2))
	k3 := c.Digest(digesttest.Hour(3))
	// A second digest of 02:01:31, named 02:31:31, chained to the first.
	fork := b.Chain(digesttest.ExampleTrail, "us-east-1")
	fork.Digest(digesttest.Hour(1))
	k2b := fork.Digest(digesttest.Hour(2).Add(30 * time.Minute))
	rs := validate(t, b.Files, b.PublicKeysJSON())
	got := statuses(rs)
	assert.Equal(t, digest.Valid, got[k3])
	assert.Equal(t, digest.Valid, got[k2b], "the newer claims the previous digest first")
	assert.Equal(t, digest.Invalid, got[k2])
	for _, r := range rs {
		if r.Path == k2 {
			assert.Equal(t, "it names the same previous digest as "+k2b, r.Reason)
		}
	}
}
