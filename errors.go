package kmstrail

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors. Every error the package returns that concerns the input
// wraps one of these, so callers can test for a class of failure with
// [errors.Is] and find its position with [errors.As] on [*Error].
var (
	// ErrSyntax reports input that is not JSON (RFC 8259), after any repairs
	// the Reader was allowed to make.
	ErrSyntax = errors.New("kmstrail: invalid JSON")

	// ErrInvalidUTF8 reports a string holding bytes that are not UTF-8, or a
	// \u escape naming half of a surrogate pair. Reader.Repair replaces them.
	ErrInvalidUTF8 = errors.New("kmstrail: invalid UTF-8")

	// ErrTruncated reports input that ends inside a JSON value or inside a
	// compressed stream.
	ErrTruncated = errors.New("kmstrail: unexpected end of input")

	// ErrDuplicateName reports an object with the same member name twice and
	// different values: two consumers of such a record could read two
	// different records, so it is never resolved silently. Duplicates with
	// identical values are accepted with a diagnostic.
	ErrDuplicateName = errors.New("kmstrail: duplicate member name")

	// ErrNotRecord reports a JSON value where a CloudTrail record was
	// expected, such as a number in a Records array or an object with none of
	// the members every record has.
	ErrNotRecord = errors.New("kmstrail: not a CloudTrail record")

	// ErrNoRecords reports an input that is recognisably something CloudTrail
	// delivers but that holds no records: a digest file, an SNS or S3
	// notification, a CloudTrail validation message. It is a notice rather
	// than a failure; the Reader returns io.EOF after it. Digest files are
	// read, and the log files they list validated, by the package
	// github.com/kmstrail/kmstrail/digest.
	ErrNoRecords = errors.New("kmstrail: input holds no CloudTrail records")

	// ErrTrailingData reports bytes after the end of the input's content,
	// such as a second gzip member or a value after a single document.
	ErrTrailingData = errors.New("kmstrail: unexpected data after input")

	// ErrLimit reports input that crosses one of the Reader's limits; the
	// message names the limit and the Reader field that raises it.
	ErrLimit = errors.New("kmstrail: limit exceeded")

	// ErrTooManyRecords is returned by Parse for input that holds more than
	// one record.
	ErrTooManyRecords = errors.New("kmstrail: more than one record")
)

// Error is an error positioned in the input. Every error the Reader returns
// for the input's content is an *Error wrapping one of the package's sentinel
// errors.
type Error struct {
	// Path names the input, when the Reader knows it.
	Path string

	// Record is the index of the record the error concerns, counting from 0
	// within the input, or -1 when it concerns the input as a whole.
	Record int

	// Offset is the byte offset of the error in the input. For gzip input it
	// counts decompressed bytes.
	Offset int64

	// Line and Column are the 1-based line and column (in bytes) of Offset;
	// zero when unknown.
	Line, Column int

	// Pointer is the JSON Pointer (RFC 6901) of the value in error, relative
	// to the record when Record is not -1.
	Pointer string

	// Err is the cause; it wraps one of the package's sentinel errors.
	Err error

	// Fatal reports an error that ended the input: a read error, a
	// truncated or damaged compressed stream, data after it, a limit on
	// the whole input. Nothing follows it (the Reader's next call returns
	// io.EOF). Any other error concerns one record or value, and the
	// Reader goes on after it. Test it with errors.As:
	//
	//	var e *kmstrail.Error
	//	if errors.As(err, &e) && e.Fatal { ... }
	Fatal bool
}

// Error returns "path:line:col: record N: pointer: cause", leaving out the
// parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Column))
		b.WriteByte(':')
	} else if e.Offset > 0 || b.Len() > 0 {
		b.WriteString("offset ")
		b.WriteString(strconv.FormatInt(e.Offset, 10))
		b.WriteByte(':')
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if e.Record >= 0 {
		b.WriteString("record ")
		b.WriteString(strconv.Itoa(e.Record))
		b.WriteString(": ")
	}
	if e.Pointer != "" {
		b.WriteString(e.Pointer)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("unknown error")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// A LimitError is the cause of an error for input that crosses one of the
// Reader's limits: which limit, its value, and what crossed it. It wraps
// ErrLimit; errors.As finds it in an *Error.
type LimitError struct {
	// Limit names the Reader field that sets the limit, such as
	// "MaxValues".
	Limit string

	// Max is the limit's value.
	Max int64

	// What says what crossed the limit, such as "a value larger than
	// 16777216 bytes".
	What string

	// Raise says how to raise the limit, in the message; empty for the
	// Reader field ("Reader.MaxValues"). A program whose users set the
	// limit another way, such as a command-line flag, may set it before
	// printing the error.
	Raise string
}

// Error returns "limit exceeded: what (raise Reader.Limit)".
func (e *LimitError) Error() string {
	raise := e.Raise
	if raise == "" {
		raise = "Reader." + e.Limit
	}
	return "limit exceeded: " + e.What + " (raise " + raise + ")"
}

// Unwrap returns ErrLimit.
func (e *LimitError) Unwrap() error { return ErrLimit }

// limitError builds the cause of crossing the Reader's limit named field,
// of value max.
func limitError(field string, max int64, format string, args ...any) error {
	return &LimitError{Limit: field, Max: max, What: fmt.Sprintf(format, args...)}
}

// detailError is a cause: a sentinel plus the specifics of one occurrence.
// Its message drops the sentinel's "kmstrail: " prefix, because the *Error
// around it already says where the message comes from.
type detailError struct {
	sentinel error
	detail   string
}

func (e *detailError) Error() string {
	s := strings.TrimPrefix(e.sentinel.Error(), "kmstrail: ")
	if e.detail == "" {
		return s
	}
	return s + ": " + e.detail
}

func (e *detailError) Unwrap() error { return e.sentinel }

// errorf builds a cause wrapping sentinel with a specific message.
func errorf(sentinel error, detail string) error {
	return &detailError{sentinel: sentinel, detail: detail}
}

// A DiagnosticKind says what a Diagnostic reports.
type DiagnosticKind uint8

// Diagnostic kinds.
const (
	// Repaired: a syntax slip accepted under Reader.Repair (a missing or
	// trailing comma, invalid UTF-8, a lone surrogate).
	Repaired DiagnosticKind = iota + 1

	// Normalized: a value decoded into a different form than it was written
	// in, so that marshaling the Event writes it differently (a boolean
	// written as a string, a time in another zone or dialect), or a typed
	// view resolved an irregular value (a 24-hour time with a PM marker).
	Normalized

	// Redacted: a value CloudTrail replaced with a marker such as
	// HIDDEN_DUE_TO_SECURITY_REASONS, or omitted as too large.
	Redacted

	// Mismatched: a value of a type the model does not expect, or a time in
	// no known dialect. The value is kept as written for marshaling.
	Mismatched

	// Unmodeled: a member that the typed KMS model does not know (schema
	// drift). It is kept.
	Unmodeled

	// Duplicate: an object with the same member twice and identical values,
	// or a member that differs from a known one only in case.
	Duplicate

	// KeyConflict: KMS key references in one record that contradict each
	// other.
	KeyConflict

	// Elided: the record has more diagnostics than an Event keeps
	// (MaxDiagnostics). This one, the last, counts those left out.
	Elided

	// Missing: a member every record of its kind has is absent or null,
	// such as eventTime. The record is decoded without it.
	Missing
)

// MaxDiagnostics is the most diagnostics an Event keeps, besides the Elided
// one that counts the rest: a hostile record of a million duplicate or
// unmodeled members would otherwise cost hundreds of bytes for each.
const MaxDiagnostics = 100

var diagnosticKindNames = [...]string{
	Repaired:    "repaired",
	Normalized:  "normalized",
	Redacted:    "redacted",
	Mismatched:  "mismatched",
	Unmodeled:   "unmodeled",
	Duplicate:   "duplicate",
	KeyConflict: "key-conflict",
	Elided:      "elided",
	Missing:     "missing",
}

// String returns the kind's name, such as "repaired".
func (k DiagnosticKind) String() string {
	if int(k) < len(diagnosticKindNames) && diagnosticKindNames[k] != "" {
		return diagnosticKindNames[k]
	}
	return "DiagnosticKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText encodes the kind as its name.
func (k DiagnosticKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// A Diagnostic records something the decoder did or noticed while decoding a
// record without failing it: a repair, a normalization, a redaction, an
// unmodeled member, a contradiction.
type Diagnostic struct {
	// Kind classifies the diagnostic.
	Kind DiagnosticKind `json:"kind"`

	// Pointer is the JSON Pointer of the value concerned, relative to the
	// record.
	Pointer string `json:"pointer,omitempty"`

	// Offset, Line and Column locate the value in the input, as in Error.
	Offset int64 `json:"offset"`
	Line   int   `json:"line,omitempty"`
	Column int   `json:"column,omitempty"`

	// Message says what happened, in one line.
	Message string `json:"message"`
}

// String formats the diagnostic as "line:col: kind: pointer: message".
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.Line > 0 {
		b.WriteString(strconv.Itoa(d.Line))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(d.Column))
		b.WriteString(": ")
	}
	b.WriteString(d.Kind.String())
	b.WriteString(": ")
	if d.Pointer != "" {
		b.WriteString(d.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	return b.String()
}
