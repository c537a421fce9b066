package digest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

// A chainSpec is a chain of hourly digests for a tail test, each listing
// a log file.
type chainSpec struct {
	trail    digesttest.Trail
	region   string
	from, to int           // its digests end in digesttest.Hour(from) to Hour(to)
	offset   time.Duration // added to each end: the minute of the Region's digests
	backfill bool
}

// build writes the chains, each spec a new one: two specs of one trail
// and Region make a chain that restarts.
func build(specs ...chainSpec) *digesttest.Builder {
	b := digesttest.New()
	for _, s := range specs {
		c := b.Chain(s.trail, s.region)
		if s.backfill {
			c = b.Backfill(s.trail, s.region)
		}
		for h := s.from; h <= s.to; h++ {
			c.Log(digesttest.Hour(h - 1).Add(s.offset + 20*time.Minute))
			c.Digest(digesttest.Hour(h).Add(s.offset))
		}
	}
	return b
}

// missingKeys returns the paths of the missing digests among results,
// and fails the test for any other status.
func missingKeys(t *testing.T, rs []digest.Result) []string {
	t.Helper()
	var out []string
	for _, r := range rs {
		switch {
		case r.Status == digest.Missing && r.Kind == digest.KindDigest:
			out = append(out, r.Path)
		case r.Status != digest.Valid:
			t.Errorf("%s is %s: %s", r.Path, r.Status, r.Reason)
		}
	}
	return out
}

// hourKeys returns the key patterns of the trail's missing digests in a
// Region, ending in the hours given.
func hourKeys(b *digesttest.Builder, tr digesttest.Trail, region string, hours ...int) []string {
	var out []string
	for _, h := range hours {
		key := b.Chain(tr, region).DigestKey(digesttest.Hour(h))
		out = append(out, strings.TrimSuffix(key, "0131Z.json.gz")+"*Z.json.gz")
	}
	return out
}

// TestTailPeers: a Region's chain that stops more than an hour before the
// same trail's chain in another Region lacks the digests between.
func TestTailPeers(t *testing.T) {
	trail := digesttest.ExampleTrail
	other := trail
	other.Name = "data-events"
	east := func(from, to int) chainSpec { return chainSpec{trail: trail, region: "us-east-1", from: from, to: to} }
	west := func(from, to int) chainSpec { return chainSpec{trail: trail, region: "eu-west-1", from: from, to: to} }
	late := func(c chainSpec, d time.Duration) chainSpec { c.offset = d; return c }
	for _, tc := range []struct {
		name    string
		chains  []chainSpec
		regions []string
		want    func(b *digesttest.Builder) []string
	}{
		{name: "alike", chains: []chainSpec{east(1, 6), west(1, 6)}},
		{name: "an hour behind", chains: []chainSpec{east(1, 6), west(1, 5)}},
		{name: "an hour and 4 minutes behind", chains: []chainSpec{late(east(1, 6), 4*time.Minute), west(1, 5)}},
		{name: "an hour and 25 minutes behind", chains: []chainSpec{late(east(1, 6), 25*time.Minute), west(1, 5)}},
		{name: "two hours behind", chains: []chainSpec{east(1, 6), west(1, 4)},
			want: func(b *digesttest.Builder) []string { return hourKeys(b, trail, "eu-west-1", 5, 6) }},
		{name: "two hours behind, 4 minutes apart", chains: []chainSpec{late(east(1, 6), 4*time.Minute), west(1, 4)},
			want: func(b *digesttest.Builder) []string { return hourKeys(b, trail, "eu-west-1", 5, 6) }},
		{name: "two hours behind, 4 minutes before", chains: []chainSpec{late(east(1, 6), -4*time.Minute), west(1, 4)},
			want: func(b *digesttest.Builder) []string { return hourKeys(b, trail, "eu-west-1", 5, 6) }},
		{name: "the first Region behind", chains: []chainSpec{east(1, 3), west(1, 6)},
			want: func(b *digesttest.Builder) []string { return hourKeys(b, trail, "us-east-1", 4, 5, 6) }},
		{name: "three Regions", chains: []chainSpec{east(1, 6), west(1, 5), {trail: trail, region: "ap-south-1", from: 1, to: 2}},
			want: func(b *digesttest.Builder) []string { return hourKeys(b, trail, "ap-south-1", 3, 4, 5, 6) }},
		// A restart may come with the trail's Regions changed: the other
		// Region's chain is held to the stretch it ends in.
		{name: "peer restarts after", chains: []chainSpec{east(1, 3), east(5, 6), west(1, 3)}},
		{name: "peer restarts later", chains: []chainSpec{east(1, 4), east(6, 7), west(1, 2)},
			want: func(b *digesttest.Builder) []string { return hourKeys(b, trail, "eu-west-1", 3, 4) }},
		{name: "another trail", chains: []chainSpec{east(1, 6), {trail: other, region: "eu-west-1", from: 1, to: 3}}},
		{name: "backfill is no peer", chains: []chainSpec{east(1, 2), {trail: trail, region: "eu-west-1", from: 1, to: 5, backfill: true}}},
		{name: "backfill is not held", chains: []chainSpec{east(1, 6), west(1, 6), {trail: trail, region: "eu-west-1", from: 1, to: 1, backfill: true}}},
		{name: "one Region selected", chains: []chainSpec{east(1, 6), west(1, 3)}, regions: []string{"eu-west-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := build(tc.chains...)
			rs := validate(t, b.Files, b.PublicKeysJSON(), func(v *digest.Validator) { v.Regions = tc.regions })
			var want []string
			if tc.want != nil {
				want = tc.want(b)
			}
			assert.Equal(t, want, missingKeys(t, rs))
		})
	}
}

// TestTailEnd: with End, a chain with a digest in the range has one for
// every hour up to an hour before End.
func TestTailEnd(t *testing.T) {
	trail := digesttest.ExampleTrail
	b := build(chainSpec{trail: trail, region: "us-east-1", from: 1, to: 4}, chainSpec{trail: trail, region: "eu-west-1", from: 1, to: 4},
		chainSpec{trail: trail, region: "us-east-1", from: 1, to: 2, backfill: true})
	both := func(hours ...int) []string {
		return append(hourKeys(b, trail, "eu-west-1", hours...), hourKeys(b, trail, "us-east-1", hours...)...)
	}
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       []string
	}{
		{name: "an hour after the newest", end: digesttest.Hour(5)},
		{name: "two hours after", end: digesttest.Hour(6), want: both(5)},
		{name: "a second less", end: digesttest.Hour(6).Add(-time.Second)},
		{name: "four hours after", end: digesttest.Hour(8), want: both(5, 6, 7)},
		{name: "no digest in range", start: digesttest.Hour(4), end: digesttest.Hour(8)},
		{name: "the newest in range", start: digesttest.Hour(4).Add(-time.Second), end: digesttest.Hour(8), want: both(5, 6, 7)},
		{name: "from an hour missing", start: digesttest.Hour(6), end: digesttest.Hour(8)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := validate(t, b.Files, b.PublicKeysJSON(), func(v *digest.Validator) { v.Start, v.End = tc.start, tc.end })
			assert.Equal(t, tc.want, missingKeys(t, rs))
		})
	}
}

// TestTailNow: the hours after now have no digest yet, whatever End says.
func TestTailNow(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	b := digesttest.New()
	for region, end := range map[string]time.Time{"us-east-1": now.Add(-150 * time.Minute), "eu-west-1": now.Add(-210 * time.Minute)} {
		c := b.Chain(digesttest.ExampleTrail, region)
		c.Digest(end.Add(-time.Hour))
		c.Digest(end)
	}
	rs := validate(t, b.Files, b.PublicKeysJSON(), func(v *digest.Validator) { v.End = now.AddDate(0, 1, 0) })
	// us-east-1 lacks the hour ending 90 minutes ago, eu-west-1 those
	// ending 150 and 90 minutes ago; the next ends 30 minutes ago, and
	// may not be delivered yet.
	assert.Equal(t, 3, len(missingKeys(t, rs)), "missing digests")
	for _, r := range rs {
		if r.Status == digest.Missing {
			assert.Contains(t, r.Reason, "though it is now ")
		}
	}
}
