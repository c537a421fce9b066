package digest

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// SignatureAlgorithm is the only algorithm CloudTrail signs digests with.
const SignatureAlgorithm = "SHA256withRSA"

// MaxSignatureBytes bounds a hex signature: 2048 hex digits, a 8192-bit
// RSA signature. CloudTrail's are 512 (2048 bits).
const MaxSignatureBytes = 2048

// SigningString returns the string CloudTrail signs for the digest:
//
//	digestEndTime + "\n" + digestS3Bucket + "/" + digestS3Object + "\n" +
//	hex(SHA-256 of the decompressed digest) + "\n" + previousDigestSignature
//
// with the literal "null" for the last when the digest starts a chain.
func (f *File) SigningString() string {
	prev := f.PreviousDigestSignature
	if prev == "" {
		prev = "null"
	}
	return f.DigestEndTime.Text + "\n" + f.DigestS3Bucket + "/" + f.DigestS3Object + "\n" + f.Hash() + "\n" + prev
}

// Verify checks the digest's hex signature, as CloudTrail stores it in the
// digest object's "signature" metadata, with the public key whose
// fingerprint the digest names, among keys. It returns an error wrapping
// ErrNoPublicKey when no key has that fingerprint or the key was not in
// use when the digest ended, and one wrapping ErrSignature when the
// signature is malformed or does not verify.
func (f *File) Verify(signature string, keys []PublicKey) error {
	key, err := f.publicKey(keys)
	if err != nil {
		return err
	}
	return f.verifyWith(signature, key)
}

// publicKey finds the key the digest names.
func (f *File) publicKey(keys []PublicKey) (*PublicKey, error) {
	fp := strings.ToLower(f.DigestPublicKeyFingerprint)
	var found *PublicKey
	for i := range keys {
		if keys[i].Fingerprint != fp {
			continue
		}
		if keys[i].covers(f.DigestEndTime.Time) {
			return &keys[i], nil
		}
		found = &keys[i]
	}
	if found != nil {
		return nil, errorf(ErrNoPublicKey, "key %s was valid from %s to %s, not when the digest ended (%s)",
			fp, timeText(found.ValidityStart), timeText(found.ValidityEnd), f.DigestEndTime)
	}
	return nil, errorf(ErrNoPublicKey, "fingerprint %s", fp)
}

// verifyWith checks the signature with one key.
func (f *File) verifyWith(signature string, key *PublicKey) error {
	if f.DigestSignatureAlgorithm != SignatureAlgorithm {
		return errorf(ErrSignature, "unsupported algorithm %.40q", f.DigestSignatureAlgorithm)
	}
	signature = strings.TrimSpace(signature)
	if len(signature) > MaxSignatureBytes || !isHex(signature, 0) {
		return errorf(ErrSignature, "signature is not hex")
	}
	sig, _ := hex.DecodeString(signature)
	sum := sha256.Sum256([]byte(f.SigningString()))
	if err := rsa.VerifyPKCS1v15(key.Key, crypto.SHA256, sum[:], sig); err != nil {
		return errorf(ErrSignature, "bad signature for key %s", key.Fingerprint)
	}
	return nil
}

// timeText formats a key's validity bound; zero is "any time".
func timeText(t time.Time) string {
	if t.IsZero() {
		return "any time"
	}
	return t.UTC().Format(time.RFC3339)
}
