package kmstrail

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		in      string
		want    time.Time
		dialect TimeDialect
		seen    string // where the form was seen
	}{
		{"2025-05-21T05:42:31Z", utc(2025, 5, 21, 5, 42, 31, 0), DialectRFC3339, "eventTime of every record"},
		{"2021-11-18T09:41:02.123Z", utc(2021, 11, 18, 9, 41, 2, 123e6), DialectRFC3339, "S3 event notifications (eventTime with milliseconds)"},
		{"2021-11-18T09:41:02-08:00", utc(2021, 11, 18, 17, 41, 2, 0), DialectRFC3339, "aws-cli lookup-events output, EventTime in local time"},
		{"2023-01-05T13:51:00", utc(2023, 1, 5, 13, 51, 0, 0), DialectRFC3339, "zone-less RFC 3339, read as UTC (DESIGN §4.1)"},
		{"20131102T010628Z", utc(2013, 11, 2, 1, 6, 28, 0), DialectISOBasic, "CloudTrail userIdentity reference, sessionContext creationDate"},
		{"May 21, 2025, 5:47:45 AM", utc(2025, 5, 21, 5, 47, 45, 0), DialectJavaMedium, "ct-importkeymaterial (2025) validTo"},
		{"Aug 10, 2022, 10:38:27 PM", utc(2022, 8, 10, 22, 38, 27, 0), DialectJavaMedium, "ct-createkey keyMetadata.creationDate"},
		{"Jan 1, 2021 8:00:00 PM", utc(2021, 1, 1, 20, 0, 0, 0), DialectJavaMedium, "ct-importkeymaterial (2023) validTo, no comma after the year"},
		{"Nov 2, 2021, 11:25:25 PM", utc(2021, 11, 2, 23, 25, 25, 0), DialectJavaMedium, "ct-schedule-key-deletion deletionDate"},
		{"May 02, 2025, 05:47:45 AM", utc(2025, 5, 2, 5, 47, 45, 0), DialectJavaMedium, "zero-padded day and hour (DESIGN §4.1)"},
		{"Jan 1, 2021, 12:00:00 AM", utc(2021, 1, 1, 0, 0, 0, 0), DialectJavaMedium, "midnight in a 12-hour clock"},
		{"May 21, 2025, 5:47:45\u202fAM", utc(2025, 5, 21, 5, 47, 45, 0), DialectJavaMedium, "JDK 20+ (CLDR 42) narrow no-break space before the marker"},
		{"May 21, 2025, 5:47:45\u00a0PM", utc(2025, 5, 21, 17, 47, 45, 0), DialectJavaMedium, "no-break space before the marker"},
		{"Apr 12, 2021 18:58:30 PM", utc(2021, 4, 12, 18, 58, 30, 0), DialectJava24HourMarker, "ct-schedule-key-deletion (2023) deletionDate: 24-hour hour with PM"},
		{"2021-02-21T23: 46: 28Z", utc(2021, 2, 21, 23, 46, 28, 0), DialectRFC3339Spaced, "CloudTrail user guide sessionContext example with blanks"},
		{"2023-01-05 13:51:00", utc(2023, 1, 5, 13, 51, 0, 0), DialectLake, "CloudTrail Lake query literals"},
		{"2023-06-11 16:26:39.000", utc(2023, 6, 11, 16, 26, 39, 0), DialectLake, "CloudTrail Lake GetQueryResults eventTime column"},
		{"1415220618", utc(2014, 11, 5, 20, 50, 18, 0), DialectEpochSeconds, "digits in a string read as epoch seconds"},
		{"1415220618876", utc(2014, 11, 5, 20, 50, 18, 876e6), DialectEpochMillis, "EC2 createTime epoch milliseconds (ct-ec2one)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in)
			require.NoError(t, err, "ParseTime(%q), seen in %s", tt.in, tt.seen)
			assert.True(t, tt.want.Equal(got.Time), "ParseTime(%q) = %v, want %v", tt.in, got.Time, tt.want)
			assert.Equal(t, time.UTC, got.Location())
			assert.Equal(t, tt.dialect, got.Dialect)
			assert.Equal(t, tt.in, got.Text)
			assert.True(t, got.Valid())
		})
	}
}

func TestParseTimeUnknown(t *testing.T) {
	for _, in := range []string{"", "yesterday", "May 41, 2025, 5:47:45 AM", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", "Jan 1, 2021 8:00:00 XM"} {
		got, err := ParseTime(in)
		assert.Error(t, err, "ParseTime(%q)", in)
		assert.Equal(t, DialectUnknown, got.Dialect)
		assert.Equal(t, in, got.Text)
		assert.False(t, got.Valid())
		assert.Equal(t, in, got.String())
	}
}

func TestTimeJSON(t *testing.T) {
	var tm Time
	require.NoError(t, json.Unmarshal([]byte(`"May 21, 2025, 5:47:45 AM"`), &tm))
	b, err := json.Marshal(tm)
	require.NoError(t, err)
	assert.JSONEq(t, `"2025-05-21T05:47:45Z"`, string(b))

	require.NoError(t, json.Unmarshal([]byte(`1415220618.5`), &tm))
	assert.Equal(t, DialectEpochSeconds, tm.Dialect)
	assert.Equal(t, 500*time.Millisecond, time.Duration(tm.Nanosecond()))

	// Text in no dialect is kept, and marshals back unchanged.
	assert.Error(t, json.Unmarshal([]byte(`"soon"`), &tm))
	b, err = json.Marshal(tm)
	require.NoError(t, err)
	assert.Equal(t, `"soon"`, string(b))

	require.NoError(t, json.Unmarshal([]byte(`null`), &tm))
	assert.Equal(t, Time{}, tm)
	b, _ = json.Marshal(tm)
	assert.Equal(t, "null", string(b))
}

// TestTimeOf: a Time built from an instant, by TimeOf or as a literal,
// holds it and marshals it; only the zero Time is null.
func TestTimeOf(t *testing.T) {
	at := time.Date(2025, 5, 21, 7, 47, 45, 0, time.FixedZone("CEST", 2*3600))
	for name, tm := range map[string]Time{"TimeOf": TimeOf(at), "literal": {Time: at}} {
		assert.True(t, tm.Valid(), name)
		assert.Equal(t, "2025-05-21T05:47:45Z", tm.String(), name)
		b, err := json.Marshal(tm)
		require.NoError(t, err, name)
		assert.Equal(t, `"2025-05-21T05:47:45Z"`, string(b), name)
		assert.True(t, tm.Equal(at), name)
	}
	assert.Equal(t, DialectRFC3339, TimeOf(at).Dialect)
	assert.Equal(t, time.UTC, TimeOf(at).Location())
	assert.False(t, Time{}.Valid())
}
