package kmstrail

import (
	"fmt"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file is the package's side of its syntax layer, internal/jsonscan,
// which knows JSON and nothing of records: the settings a Reader hands its
// scanners, and the words of what they find, as errors wrapping the
// package's sentinels and as Diagnostics.

// scan returns the scanner options of a Reader with limits l.
func (l limits) scan(repair bool) jsonscan.Options {
	return jsonscan.Options{
		Limits: jsonscan.Limits{Depth: l.depth, String: l.stringBytes, Value: l.recordBytes, Slots: l.values},
		Repair: repair, Listed: MaxDiagnostics,
	}
}

// limitFields names the Reader field that sets each of the scanner's
// limits.
var limitFields = [...]string{
	jsonscan.DepthLimit:  "MaxDepth",
	jsonscan.StringLimit: "MaxStringBytes",
	jsonscan.ValueLimit:  "MaxRecordBytes",
	jsonscan.SlotsLimit:  "MaxValues",
}

// faultSentinels maps the kinds of scanner faults to the package's
// sentinels.
var faultSentinels = [...]error{
	jsonscan.Syntax:        ErrSyntax,
	jsonscan.InvalidUTF8:   ErrInvalidUTF8,
	jsonscan.Truncated:     ErrTruncated,
	jsonscan.DuplicateName: ErrDuplicateName,
}

// faultCause returns the cause of an error for a scanner fault: a
// LimitError, or the fault's message wrapping its sentinel.
func faultCause(f *jsonscan.Fault) error {
	if f.Kind == jsonscan.Limit {
		return &LimitError{Limit: limitFields[f.Limit], Max: int64(f.Max), What: f.Msg}
	}
	return errorf(faultSentinels[f.Kind], f.Msg)
}

// repairDiagnostic words what a repair mended.
func repairDiagnostic(rp *jsonscan.Repair) Diagnostic {
	var msg string
	switch rp.Kind {
	case jsonscan.InsertedComma:
		what := "array element"
		if rp.InObject {
			what = "object member"
		}
		msg = fmt.Sprintf("inserted missing ',' after the %s ending at %d:%d", what, rp.AfterLine, rp.AfterCol)
	case jsonscan.RemovedComma:
		msg = "removed trailing ','"
	case jsonscan.ReplacedByte:
		msg = fmt.Sprintf("replaced invalid UTF-8 byte 0x%02x with U+FFFD", rp.Code)
	case jsonscan.ReplacedSurrogate:
		msg = fmt.Sprintf("replaced lone surrogate \\u%04X with U+FFFD", rp.Code)
	}
	return Diagnostic{Kind: Repaired, Pointer: rp.Pointer, Offset: rp.Offset, Line: rp.Line, Column: rp.Col, Message: msg}
}

// appendRepairs appends the Diagnostics of repairs to diags.
func appendRepairs(diags []Diagnostic, repairs []jsonscan.Repair) []Diagnostic {
	for i := range repairs {
		diags = append(diags, repairDiagnostic(&repairs[i]))
	}
	return diags
}

// appendQuoted appends s as a JSON string.
func appendQuoted(b []byte, s string) []byte { return jsonscan.AppendQuote(b, s) }

// unquoteJSON returns the contents of a quoted JSON string.
func unquoteJSON(b []byte) (string, error) {
	s, err := jsonscan.Unquote(b)
	if err != nil {
		return "", errorf(ErrSyntax, "invalid JSON string")
	}
	return s, nil
}
