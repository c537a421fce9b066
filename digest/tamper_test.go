package digest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

func TestTampered(t *testing.T) {
	for _, tc := range digesttest.Tamperings {
		t.Run(tc.Name, func(t *testing.T) {
			b, l := fixture()
			tc.Apply(b.Files, l)
			keys := b.PublicKeysJSON()
			if tc.Keys != nil {
				keys = tc.Keys(b)
			}
			rs := validate(t, b.Files, keys, func(v *digest.Validator) { v.Start, v.End = tc.Start, tc.End })
			got := statuses(rs)
			for k, want := range tc.Want(l) {
				if assert.Contains(t, got, k) {
					assert.Equal(t, want, got[k], "status of %s", k)
				}
			}
			var sum digest.Summary
			for _, r := range rs {
				sum.Add(r)
				if r.Status != digest.Valid {
					assert.NotEmpty(t, r.Reason, "%s is %s without a reason", r.Path, r.Status)
				}
			}
			assert.Equal(t, tc.Summary, sum.String())
			golden(t, "tampered/"+tc.Name, rs)
		})
	}
}

// TestOnlyNewestSigs removes every .sig but the newest of each chain: the
// chain itself carries the signatures back.
func TestOnlyNewestSigs(t *testing.T) {
	b, l := fixture()
	keep := map[string]bool{}
	for _, k := range []string{l.East[5], l.EastRestart[1], l.West[5], l.Backfill, l.Org[1]} {
		keep[k+digest.SigSuffix] = true
	}
	for k := range b.Files {
		if strings.HasSuffix(k, digest.SigSuffix) && !keep[k] {
			delete(b.Files, k)
		}
	}
	rs := validate(t, b.Files, b.PublicKeysJSON())
	for _, r := range rs {
		assert.Equal(t, digest.Valid, r.Status, "%s: %s", r.Path, r.Reason)
	}
	assert.Len(t, rs, 17+21)
}
