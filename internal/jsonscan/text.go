package jsonscan

import (
	"bytes"
	"errors"

	"github.com/go-json-experiment/json/jsontext"
)

// This file holds what the scanner's callers need of JSON text beside
// scanning it: equality, quoting and unquoting, JSON Pointer tokens.

// Equal reports whether two valid JSON values are equal as JSON values:
// member order, whitespace and number spelling aside.
func Equal(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	ca, cb := jsontext.Value(bytes.Clone(a)), jsontext.Value(bytes.Clone(b))
	opts := jsontext.AllowDuplicateNames(true)
	if ca.Canonicalize(opts) != nil || cb.Canonicalize(opts) != nil {
		return false
	}
	return bytes.Equal(ca, cb)
}

// Unescape returns the contents of a JSON string (without its quotes) with
// escapes resolved. The input has been validated.
func Unescape(b []byte) (string, error) {
	q := make([]byte, 0, len(b)+2)
	q = append(q, '"')
	q = append(q, b...)
	q = append(q, '"')
	out, err := jsontext.AppendUnquote(nil, q)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// ErrString reports a quoted JSON string that is not valid.
var ErrString = errors.New("invalid JSON string")

// Unquote returns the contents of a quoted JSON string.
func Unquote(b []byte) (string, error) {
	out, err := jsontext.AppendUnquote(nil, b)
	if err != nil {
		return "", ErrString
	}
	return string(out), nil
}

// UnquoteBytes returns the contents of a quoted JSON string in a new slice
// of its own.
func UnquoteBytes(b []byte) ([]byte, error) {
	out, err := jsontext.AppendUnquote(make([]byte, 0, len(b)), b)
	if err != nil {
		return nil, ErrString
	}
	return out, nil
}

// AppendQuote appends s as a JSON string. Invalid UTF-8 is replaced, which
// cannot happen for strings the scanner validated.
func AppendQuote(b []byte, s string) []byte {
	out, _ := jsontext.AppendQuote(b, s) // on error, AppendQuote has replaced the invalid bytes
	return out
}

// AppendPointerToken appends a member name as a JSON Pointer token
// (RFC 6901): '~' and '/' escaped.
func AppendPointerToken(b []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '~':
			b = append(b, '~', '0')
		case '/':
			b = append(b, '~', '1')
		default:
			b = append(b, name[i])
		}
	}
	return b
}

// IsSpace reports whether c is JSON whitespace.
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
