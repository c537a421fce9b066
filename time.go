package kmstrail

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// A TimeDialect names the form a timestamp was written in.
type TimeDialect uint8

// The dialects ParseTime recognises, in the order it tries them.
const (
	// DialectNone: no timestamp at all (the zero Time).
	DialectNone TimeDialect = iota

	// DialectUnknown: text that fits no dialect. Time.Text keeps it.
	DialectUnknown

	// DialectRFC3339: "2025-05-21T05:42:31Z", with or without fractional
	// seconds, with a zone offset or with none (then UTC). The form of
	// eventTime and of most CloudTrail timestamps.
	DialectRFC3339

	// DialectISOBasic: "20131102T010628Z", ISO 8601 basic format, seen in the
	// CloudTrail userIdentity reference for sessionContext creationDate.
	DialectISOBasic

	// DialectJavaMedium: Java's English "medium" date format, which KMS uses
	// inside requestParameters and responseElements: "May 21, 2025, 5:47:45
	// AM", or without the comma after the year, "Jan 1, 2021 8:00:00 PM".
	// Days and hours may be zero-padded; a U+202F or U+00A0 space before the
	// AM/PM marker (written by newer Java runtimes) is accepted.
	DialectJavaMedium

	// DialectJava24HourMarker: a Java medium date whose hour is 13 or more
	// yet carries an AM/PM marker, "Apr 12, 2021 18:58:30 PM", as KMS
	// documents for ScheduleKeyDeletion. The hour is kept and the marker
	// ignored; decoders report it as a Normalized diagnostic.
	DialectJava24HourMarker

	// DialectRFC3339Spaced: RFC 3339 with blanks after the colons,
	// "2021-02-21T23: 46: 28Z", as printed in one CloudTrail user guide
	// example. The blanks are ignored; decoders report it.
	DialectRFC3339Spaced

	// DialectLake: CloudTrail Lake's "2023-01-05 13:51:00.000", UTC.
	DialectLake

	// DialectEpochSeconds: seconds since 1970 as a JSON number, possibly
	// with a fraction (the AWS JSON protocols' timestamp form).
	DialectEpochSeconds

	// DialectEpochMillis: milliseconds since 1970 as a JSON integer, as EC2
	// writes launchTime and CloudWatch Logs writes timestamps. An integer of
	// magnitude 1e11 or more is taken as milliseconds.
	DialectEpochMillis
)

var dialectNames = [...]string{
	DialectNone:             "none",
	DialectUnknown:          "unknown",
	DialectRFC3339:          "rfc3339",
	DialectISOBasic:         "iso8601-basic",
	DialectJavaMedium:       "java-medium",
	DialectJava24HourMarker: "java-24-hour-marker",
	DialectRFC3339Spaced:    "rfc3339-spaced",
	DialectLake:             "lake",
	DialectEpochSeconds:     "epoch-seconds",
	DialectEpochMillis:      "epoch-millis",
}

// String returns the dialect's name, such as "java-medium".
func (d TimeDialect) String() string {
	if int(d) < len(dialectNames) {
		return dialectNames[d]
	}
	return "TimeDialect(" + strconv.Itoa(int(d)) + ")"
}

// irregular reports whether a dialect is a slip rather than a documented
// form, so that decoders report the value as a diagnostic.
func (d TimeDialect) irregular() bool {
	return d == DialectUnknown || d == DialectJava24HourMarker || d == DialectRFC3339Spaced
}

// Time is a timestamp as CloudTrail wrote it: the instant, in UTC, and the
// text it was parsed from. It embeds time.Time, so its methods (Before,
// Format, Unix, ...) are at hand.
//
// Time marshals as RFC 3339 in UTC ("2025-05-21T05:47:45Z"); a Time whose
// text fits no dialect marshals as that text, so nothing is lost.
//
// To build one from an instant, use [TimeOf]. A Time literal with an instant
// and no Dialect, such as Time{Time: t}, is valid too: it holds that instant
// and marshals as RFC 3339.
type Time struct {
	time.Time

	// Text is the value as written: the string's contents, or the number's
	// literal for the epoch dialects.
	Text string

	// Dialect says which form Text was in.
	Dialect TimeDialect
}

// TimeOf returns a Time holding the instant t, in UTC, written as RFC 3339.
func TimeOf(t time.Time) Time {
	t = t.UTC()
	return Time{Time: t, Text: t.Format(time.RFC3339Nano), Dialect: DialectRFC3339}
}

// Valid reports whether the Time holds an instant: a dialect matched, or
// the Time was built from an instant (TimeOf, or a literal with a non-zero
// time.Time and no Dialect).
func (t Time) Valid() bool {
	return t.Dialect > DialectUnknown || (t.Dialect == DialectNone && !t.Time.IsZero())
}

// String returns the instant in RFC 3339 (UTC), or Text if it has none.
func (t Time) String() string {
	if t.Valid() {
		return t.Time.UTC().Format(time.RFC3339Nano)
	}
	return t.Text
}

// MarshalJSON writes the instant as an RFC 3339 string in UTC. A Time that
// holds no instant writes its Text unchanged (as a string), and the zero Time
// (no instant, no text) writes null.
func (t Time) MarshalJSON() ([]byte, error) {
	switch {
	case t.Valid():
		return t.AppendRFC3339(make([]byte, 0, 32)), nil
	case t.Dialect == DialectUnknown:
		return appendQuoted(nil, t.Text), nil
	default:
		return []byte("null"), nil
	}
}

// UnmarshalJSON parses a JSON string in any dialect, a JSON number as epoch
// seconds or milliseconds, or null (the zero Time). Text that fits no dialect
// is kept with DialectUnknown and reported as an error.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(b)
	switch {
	case s == "null":
		*t = Time{}
		return nil
	case len(s) >= 2 && s[0] == '"':
		text, err := unquoteJSON(b)
		if err != nil {
			return err
		}
		var perr error
		*t, perr = ParseTime(text)
		return perr
	default:
		var perr error
		*t, perr = parseEpoch(s)
		return perr
	}
}

// AppendRFC3339 appends the instant in RFC 3339 form, UTC, with as many
// fractional digits as it needs.
func (t Time) AppendRFC3339(b []byte) []byte {
	b = append(b, '"')
	b = t.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// errTimeDialect is returned by ParseTime for text in no known dialect.
var errTimeDialect = errors.New("time fits no known dialect")

// ParseTime parses a CloudTrail timestamp in any dialect listed under
// TimeDialect and returns it in UTC. A string of digits is read as epoch
// seconds or milliseconds. Text that fits no dialect yields a Time with
// DialectUnknown that keeps the text, and an error.
func ParseTime(text string) (Time, error) {
	t := Time{Text: text}
	if tm, ok := parseRFC3339Fast(text); ok {
		t.Time, t.Dialect = tm, DialectRFC3339
		return t, nil
	}
	for _, d := range timeLayouts {
		if tm, err := time.Parse(d.layout, text); err == nil {
			t.Time, t.Dialect = tm.UTC(), d.dialect
			return t, nil
		}
	}
	if tm, d, ok := parseJavaMedium(text); ok {
		t.Time, t.Dialect = tm, d
		return t, nil
	}
	if strings.Contains(text, ": ") {
		if tm, err := time.Parse(time.RFC3339Nano, strings.ReplaceAll(text, ": ", ":")); err == nil {
			t.Time, t.Dialect = tm.UTC(), DialectRFC3339Spaced
			return t, nil
		}
	}
	if text != "" && strings.Trim(text, "0123456789") == "" {
		if e, err := parseEpoch(text); err == nil {
			return e, nil
		}
	}
	t.Dialect = DialectUnknown
	return t, errTimeDialect
}

// timeLayouts are tried in order after the fast path, as net/mail tries its
// dateLayouts. Each entry cites where the form was seen.
var timeLayouts = [...]struct {
	layout  string
	dialect TimeDialect
}{
	// eventTime and most timestamps: CloudTrail record contents reference.
	{time.RFC3339Nano, DialectRFC3339},
	// RFC 3339 without a zone, read as UTC (Lake and SDK exports).
	{"2006-01-02T15:04:05", DialectRFC3339},
	// CloudTrail Lake query results (time.Parse accepts the fraction).
	{"2006-01-02 15:04:05", DialectLake},
	// userIdentity reference: sessionContext.attributes.creationDate.
	{"20060102T150405Z07:00", DialectISOBasic},
}

// javaLayouts are Java medium dates; the AM/PM marker has been normalised to
// follow a plain space.
var javaLayouts = [...]string{
	"Jan 2, 2006, 3:04:05 PM", // ct-importkeymaterial (2025): "May 21, 2025, 5:47:45 AM"
	"Jan 2, 2006 3:04:05 PM",  // ct-importkeymaterial (2023): "Jan 1, 2021 8:00:00 PM"
}

// markerSpaces maps the no-break spaces newer JDKs (CLDR 42+) write before
// AM/PM, U+202F NARROW NO-BREAK SPACE and U+00A0, to a plain space.
var markerSpaces = strings.NewReplacer("\u202f", " ", "\u00a0", " ")

// parseJavaMedium parses Java medium dates, including the 24-hour hour with
// a marker that KMS wrote for ScheduleKeyDeletion.
func parseJavaMedium(text string) (time.Time, TimeDialect, bool) {
	if len(text) < 15 || len(text) > 40 {
		return time.Time{}, 0, false
	}
	s := markerSpaces.Replace(text)
	s = s[:len(s)-2] + strings.ToUpper(s[len(s)-2:])
	for _, layout := range javaLayouts {
		if tm, err := time.Parse(layout, s); err == nil {
			return tm, DialectJavaMedium, true
		}
	}
	// "Apr 12, 2021 18:58:30 PM": drop the marker and read a 24-hour clock.
	if strings.HasSuffix(s, " AM") || strings.HasSuffix(s, " PM") {
		bare := s[:len(s)-3]
		for _, layout := range [...]string{"Jan 2, 2006, 15:04:05", "Jan 2, 2006 15:04:05"} {
			if tm, err := time.Parse(layout, bare); err == nil && tm.Hour() >= 13 {
				return tm, DialectJava24HourMarker, true
			}
		}
	}
	return time.Time{}, 0, false
}

// parseRFC3339Fast parses the exact form "2006-01-02T15:04:05Z" that every
// eventTime has, without the generality (and cost) of time.Parse.
func parseRFC3339Fast(s string) (time.Time, bool) {
	if len(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // February 30 and the like
		return time.Time{}, false
	}
	return t, true
}

// parseEpoch reads a JSON number (or a string of digits) as epoch seconds,
// or as milliseconds when it is an integer of magnitude 1e11 or more.
func parseEpoch(lit string) (Time, error) {
	t := Time{Text: lit, Dialect: DialectUnknown}
	if strings.ContainsAny(lit, ".eE") {
		f, err := strconv.ParseFloat(lit, 64)
		if err != nil || math.IsInf(f, 0) || math.Abs(f) > 253402300799 {
			return t, errTimeDialect
		}
		sec, frac := math.Modf(f)
		t.Time = time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC()
		t.Dialect = DialectEpochSeconds
		return t, nil
	}
	n, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		return t, errTimeDialect
	}
	switch {
	case n >= 1e11 || n <= -1e11:
		if n > 253402300799999 || n < -62135596800000 {
			return t, errTimeDialect
		}
		t.Time, t.Dialect = time.UnixMilli(n).UTC(), DialectEpochMillis
	default:
		t.Time, t.Dialect = time.Unix(n, 0).UTC(), DialectEpochSeconds
	}
	return t, nil
}
