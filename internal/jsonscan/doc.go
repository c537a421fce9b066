// Package jsonscan is kmstrail's JSON syntax layer: a validating scanner
// over a sliding window of an io.Reader that finds the extent of each JSON
// value (RFC 8259) without building anything, and maps it for a decoder.
//
// It exists beside encoding/json/v2's jsontext because its callers must
// keep each value's bytes exactly as read while streaming, report
// positions as line:column and JSON Pointers, repair the slips of
// hand-written JSON when asked (a missing or trailing comma, invalid UTF-8,
// lone surrogates), go on after a value that crossed a limit, and find
// duplicate member names in every object of a value. It knows JSON only:
// what the values mean, and how faults and repairs are worded to users, is
// its callers' business. A Fault says what kind of fault and where; a
// Repair says what was repaired and where.
//
// A Scanner reads one value at a time ([Scanner.ScanValue]); between values
// its caller moves through the text with [Scanner.SkipSpace],
// [Scanner.Peek] and [Scanner.Advance], and may go back to a [Mark]. A
// [Value] is the scanner's until its next value: its text, its tape of
// [Slot]s (one per member and element, which lets a decoder jump over
// whole subtrees), the [Edit]s that repair it, and a [Locator] maps offsets
// in the repaired text back to positions in the input.
package jsonscan
