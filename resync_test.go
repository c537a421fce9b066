package kmstrail

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResyncPastLargeCandidate: after a damaged record, a candidate for the
// next one that outgrows both the scanner's buffer and MaxRecordBytes, and
// is damaged too, is passed over, and the search goes on after its fault
// (here to give up, its budget spent). It once rewound to the candidate's
// start, which the buffer no longer held, and panicked: index out of range
// [-196502].
func TestResyncPastLargeCandidate(t *testing.T) {
	const rec = `{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05Z","eventName":"A"}`
	in := `{"Records":[` + rec + `,{"eventVersion":},{"x":"` + strings.Repeat("a", 200<<10) + `" !},` + rec + `]}`
	r := NewReader(strings.NewReader(in))
	r.MaxRecordBytes = 1000
	evs, errs := readAll(t, r)
	require.Len(t, evs, 1, "%v", errs)
	require.Len(t, errs, 2)
	assert.ErrorIs(t, errs[0], ErrSyntax)
	assert.ErrorContains(t, errs[1], "no record found after the damaged one")
}
