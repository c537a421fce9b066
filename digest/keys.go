package digest

import (
	"context"
	"crypto/md5"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/go-json-experiment/json"
)

// MaxKeyListBytes is the largest public key list ParsePublicKeys reads: 4
// MiB. A key is under 400 bytes in the list, and CloudTrail rotates them
// rarely.
const MaxKeyListBytes = 4 << 20

// KeyMargin is how far outside a public key's validity a digest may end
// and still be verified with it. CloudTrail signs a digest a little after
// its end time, and the AWS CLI allows two hours for a rotation it missed.
const KeyMargin = 2 * time.Hour

// PublicKey is one of CloudTrail's public keys for verifying digest
// signatures.
type PublicKey struct {
	// Fingerprint is the key's hex fingerprint, which digests name in
	// digestPublicKeyFingerprint: the MD5 of Value.
	Fingerprint string

	// Value is the key's DER encoding (PKCS #1, or PKIX).
	Value []byte

	// Key is the parsed key.
	Key *rsa.PublicKey

	// ValidityStart and ValidityEnd bound the time CloudTrail signed with
	// the key; zero when not known.
	ValidityStart, ValidityEnd time.Time
}

// NewPublicKey parses a DER-encoded RSA public key, PKCS #1 (as
// CloudTrail's ListPublicKeys returns it) or PKIX, and computes its
// fingerprint.
func NewPublicKey(der []byte) (PublicKey, error) {
	k, err := x509.ParsePKCS1PublicKey(der)
	if err != nil {
		pub, err2 := x509.ParsePKIXPublicKey(der)
		if err2 != nil {
			return PublicKey{}, fmt.Errorf("digest: public key is neither PKCS #1 nor PKIX: %w", err)
		}
		var ok bool
		if k, ok = pub.(*rsa.PublicKey); !ok {
			return PublicKey{}, fmt.Errorf("digest: public key is a %T, not RSA", pub)
		}
	}
	sum := md5.Sum(der)
	return PublicKey{Fingerprint: hex.EncodeToString(sum[:]), Value: der, Key: k}, nil
}

// covers reports whether the key may have signed a digest that ended at t.
func (k *PublicKey) covers(t time.Time) bool {
	return (k.ValidityStart.IsZero() || !t.Before(k.ValidityStart.Add(-KeyMargin))) &&
		(k.ValidityEnd.IsZero() || !t.After(k.ValidityEnd.Add(KeyMargin)))
}

// A KeySource gives CloudTrail's public keys of a Region whose validity
// meets a time range.
type KeySource interface {
	PublicKeys(ctx context.Context, region string, start, end time.Time) ([]PublicKey, error)
}

// Keys is a KeySource of keys at hand, such as those ParsePublicKeys read.
// Its keys serve every Region: CloudTrail's key lists do not say which
// Region they came from, and a fingerprint names one key.
type Keys []PublicKey

// PublicKeys returns the keys whose validity meets [start, end], KeyMargin
// allowed.
func (ks Keys) PublicKeys(_ context.Context, _ string, start, end time.Time) ([]PublicKey, error) {
	var out []PublicKey
	for _, k := range ks {
		if (k.ValidityEnd.IsZero() || !k.ValidityEnd.Add(KeyMargin).Before(start)) &&
			(k.ValidityStart.IsZero() || !k.ValidityStart.Add(-KeyMargin).After(end)) {
			out = append(out, k)
		}
	}
	return out, nil
}

// keyList is what aws cloudtrail list-public-keys prints, and the
// ListPublicKeys response.
type keyList struct {
	PublicKeyList []struct {
		Value             []byte     `json:"Value"`
		ValidityStartTime *time.Time `json:"ValidityStartTime"`
		ValidityEndTime   *time.Time `json:"ValidityEndTime"`
		Fingerprint       string     `json:"Fingerprint"`
	} `json:"PublicKeyList"`
}

// ParsePublicKeys reads the JSON that `aws cloudtrail list-public-keys`
// prints: {"PublicKeyList": [{"Value": base64 DER, "ValidityStartTime",
// "ValidityEndTime", "Fingerprint"}, ...]}. Times are RFC 3339, as the
// CLI prints them by default. A key whose Fingerprint is empty gets the one
// computed from its Value. It reads at most MaxKeyListBytes.
func ParsePublicKeys(r io.Reader) (Keys, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxKeyListBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxKeyListBytes {
		return nil, fmt.Errorf("digest: public key list larger than %d bytes", MaxKeyListBytes)
	}
	var list keyList
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("digest: public key list: %w", err)
	}
	if list.PublicKeyList == nil {
		return nil, errors.New(`digest: public key list: no "PublicKeyList" member (is it the output of aws cloudtrail list-public-keys?)`)
	}
	keys := make(Keys, 0, len(list.PublicKeyList))
	for i, e := range list.PublicKeyList {
		k, err := NewPublicKey(e.Value)
		if err != nil {
			return nil, fmt.Errorf("public key list: /PublicKeyList/%d/Value: %w", i, err)
		}
		if e.Fingerprint != "" {
			k.Fingerprint = strings.ToLower(e.Fingerprint)
		}
		if e.ValidityStartTime != nil {
			k.ValidityStart = *e.ValidityStartTime
		}
		if e.ValidityEndTime != nil {
			k.ValidityEnd = *e.ValidityEndTime
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// CloudTrailAPI is the call of the CloudTrail client that CloudTrailKeys
// makes; *cloudtrail.Client has it.
type CloudTrailAPI interface {
	ListPublicKeys(ctx context.Context, in *cloudtrail.ListPublicKeysInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.ListPublicKeysOutput, error)
}

// CloudTrailKeys is a KeySource that asks CloudTrail's ListPublicKeys in
// each Region, and remembers the answer for the same Region and range.
type CloudTrailKeys struct {
	// Client makes the calls; each is sent to the Region asked for.
	Client CloudTrailAPI

	mu    sync.Mutex
	cache map[string][]PublicKey
}

// PublicKeys lists the Region's keys valid in [start, end], widened by
// KeyMargin on both sides, through every page.
func (c *CloudTrailKeys) PublicKeys(ctx context.Context, region string, start, end time.Time) ([]PublicKey, error) {
	start, end = start.Add(-KeyMargin), end.Add(KeyMargin)
	id := region + " " + start.String() + " " + end.String()
	c.mu.Lock()
	defer c.mu.Unlock()
	if keys, ok := c.cache[id]; ok {
		return keys, nil
	}
	var keys []PublicKey
	in := &cloudtrail.ListPublicKeysInput{StartTime: aws.Time(start), EndTime: aws.Time(end)}
	for {
		out, err := c.Client.ListPublicKeys(ctx, in, func(o *cloudtrail.Options) { o.Region = region })
		if err != nil {
			return nil, fmt.Errorf("digest: listing CloudTrail's public keys in %s: %w", region, err)
		}
		for _, e := range out.PublicKeyList {
			k, err := NewPublicKey(e.Value)
			if err != nil {
				return nil, fmt.Errorf("digest: CloudTrail's public key %s in %s: %w", aws.ToString(e.Fingerprint), region, err)
			}
			if fp := aws.ToString(e.Fingerprint); fp != "" {
				k.Fingerprint = strings.ToLower(fp)
			}
			k.ValidityStart, k.ValidityEnd = aws.ToTime(e.ValidityStartTime), aws.ToTime(e.ValidityEndTime)
			keys = append(keys, k)
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if c.cache == nil {
		c.cache = map[string][]PublicKey{}
	}
	c.cache[id] = keys
	return keys, nil
}
