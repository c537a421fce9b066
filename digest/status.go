package digest

import (
	"strconv"
	"strings"
)

// Status is the outcome of validating one digest or log file.
type Status uint8

// The statuses, from best to worst for the same file.
const (
	// Valid: a digest whose signature verifies with CloudTrail's key and
	// that agrees with the digests around it; a log file whose hash is
	// the one a valid digest lists.
	Valid Status = iota

	// Unverified: a log file whose hash could not be trusted or checked:
	// the digest that lists it is not valid (unsigned, invalid), or no
	// digest lists it yet because it was delivered after the newest one;
	// a digest whose public keys could not be had.
	Unverified

	// Unsigned: a digest whose signature is nowhere to be found: not in
	// the S3 object's metadata, not in a .sig file beside it, and not in
	// a verified successor's previousDigestSignature.
	Unsigned

	// Moved: a digest or log file found at another key than the one the
	// digest names (the digest's own digestS3Object, a log's s3Object),
	// its content intact.
	Moved

	// Unlisted: a log file in the range that no digest lists.
	Unlisted

	// Missing: a log file a digest lists, or a digest the chain needs,
	// that is not there: one its successor names, one of several in a
	// row before it, or one of the hours after a chain's newest digest
	// that the trail's other Regions, or Validator.End, say it had.
	Missing

	// Invalid: a hash or signature that does not match, a malformed or
	// oversized file, data after the gzip member, a digest that disagrees
	// with what the next digest says of it, a signature by an unknown key.
	Invalid

	numStatus
)

var statusNames = [...]string{Valid: "valid", Unverified: "unverified", Unsigned: "unsigned", Moved: "moved",
	Unlisted: "unlisted", Missing: "missing", Invalid: "invalid"}

// String returns the status's name, such as "valid".
func (s Status) String() string {
	if s < numStatus {
		return statusNames[s]
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText encodes the status as its name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Failed reports whether the status says the logs were tampered with or
// lost: invalid, missing, moved or unlisted. Unsigned and unverified say
// that something could not be checked.
func (s Status) Failed() bool {
	return s == Invalid || s == Missing || s == Moved || s == Unlisted
}

// Kind says whether a Result is about a digest file or a log file.
type Kind uint8

// The kinds of file.
const (
	KindDigest Kind = iota
	KindLog
)

// String returns "digest" or "log".
func (k Kind) String() string {
	if k == KindDigest {
		return "digest"
	}
	return "log"
}

// MarshalText encodes the kind as its name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Result is what validation found of one digest or log file.
type Result struct {
	// Path is the file's key in the bucket as the digest names it (for a
	// digest, its own digestS3Object or the previous digest's key its
	// successor names; for a log, the s3Object listed), or the key it was
	// found at when no digest names it (an unlisted log, a digest that
	// could not be read).
	//
	// A missing digest that no digest names, one of several missing in a
	// row or one after a chain's newest digest, has a path with the
	// time's minutes and seconds as '*': the key pattern of the hour it
	// would end in.
	Path string `json:"path"`

	// Kind says whether the file is a digest or a log file.
	Kind Kind `json:"kind"`

	// Status is the outcome.
	Status Status `json:"status"`

	// Reason says what failed, or notes something about a valid file (a
	// chain restarting after a gap); empty when there is nothing to say.
	Reason string `json:"reason"`

	// Digest is the key of the digest that lists the log file, or of the
	// digest that names this digest as its previous one; empty for an
	// unlisted log and for the newest digest of a chain.
	Digest string `json:"digest"`
}

// Summary counts results, for the line that ends a validation.
type Summary struct {
	// Digests and Logs count results by kind and status.
	Digests, Logs [numStatus]int
}

// Add counts r.
func (s *Summary) Add(r Result) {
	if r.Kind == KindDigest {
		s.Digests[r.Status]++
	} else {
		s.Logs[r.Status]++
	}
}

// Files returns how many digest and log files were counted.
func (s *Summary) Files() (digests, logs int) {
	for st := range numStatus {
		digests += s.Digests[st]
		logs += s.Logs[st]
	}
	return digests, logs
}

// Worst returns the worst status counted, Valid when none is.
func (s *Summary) Worst() Status {
	for st := numStatus - 1; st > Valid; st-- {
		if s.Digests[st]+s.Logs[st] > 0 {
			return st
		}
	}
	return Valid
}

// Failed reports whether any status counted failed (see Status.Failed).
func (s *Summary) Failed() bool {
	for st := Valid; st < numStatus; st++ {
		if st.Failed() && s.Digests[st]+s.Logs[st] > 0 {
			return true
		}
	}
	return false
}

// String returns a line like the AWS CLI's summary, with each status other
// than valid counted in capitals: "3/3 digest files valid, 11/12 log files
// valid, 1 INVALID".
func (s *Summary) String() string {
	var b strings.Builder
	digests, logs := s.Files()
	b.WriteString(strconv.Itoa(s.Digests[Valid]) + "/" + strconv.Itoa(digests) + " digest files valid, ")
	b.WriteString(strconv.Itoa(s.Logs[Valid]) + "/" + strconv.Itoa(logs) + " log files valid")
	for st := numStatus - 1; st > Valid; st-- {
		if n := s.Digests[st] + s.Logs[st]; n > 0 {
			b.WriteString(", " + strconv.Itoa(n) + " " + strings.ToUpper(st.String()))
		}
	}
	return b.String()
}
