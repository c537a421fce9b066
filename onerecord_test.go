package kmstrail

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/stretchr/testify/assert"
)

// TestExactlyOneRecord: Parse, LookupEvent and LakeEvent decode input that
// holds exactly one record, by one rule: what follows the record, if
// anything, fails the call. LookupEvent and LakeEvent once accepted a record
// followed by anything but a second record (`{...} x`), which Parse
// rejected.
func TestExactlyOneRecord(t *testing.T) {
	const rec = `{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05Z","eventName":"A"}`
	forms := map[string]func(string) error{
		"Parse": func(s string) error { _, err := Parse([]byte(s)); return err },
		"LookupEvent": func(s string) error {
			_, err := LookupEvent(types.Event{CloudTrailEvent: &s})
			return err
		},
		"LakeEvent": func(s string) error { _, err := LakeEvent(map[string]string{"eventjson": s}); return err },
	}
	for name, decode := range forms {
		t.Run(name, func(t *testing.T) {
			assert.NoError(t, decode(rec))
			assert.NoError(t, decode(" \n"+rec+"\n "), "space around it")
			assert.ErrorIs(t, decode(rec+" x"), ErrSyntax, "a record and then something else")
			assert.ErrorIs(t, decode(rec+" {"), ErrTruncated, "a record and then the start of another")
			assert.ErrorIs(t, decode(rec+" "+rec), ErrTooManyRecords, "two records")
			assert.ErrorIs(t, decode(rec+` {"digestS3Object":"x","logFiles":[]}`), ErrNoRecords, "a record and then a notice")
			assert.ErrorIs(t, decode("[]"), ErrNotRecord, "no record")
		})
	}
}
