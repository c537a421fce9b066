package digest

import (
	"fmt"
	"time"

	"github.com/kmstrail/kmstrail"
)

// Deleting the newest digests of a chain leaves no successor to name them.
// What still shows them missing is CloudTrail's cadence: every hour, in
// every Region a trail logs, it delivers a digest, with an empty list when
// there were no log files. So a Region's chain that stops while another
// Region's chain of the same trail goes on, or before the end of the range
// the caller asked for, lacks the digests of the hours between.

// grace is how far a Region's newest digest may lag behind: behind its
// peers' (CloudTrail delivers each Region's digests on its own, and one
// may come up to about an hour after the others), or behind Validator.End
// (the digest of the last hour before End may not be delivered yet).
const grace = time.Hour

// jitter is how far apart in time the digests of one hour end in the
// Regions of a trail: about the same minute, not the same second.
const jitter = 30 * time.Minute

// A chainEnd sums up the regular chain of a trail in one Region, for tail.
type chainEnd struct {
	newest  kmstrail.LogObject // the newest digest, as its key says
	end     time.Time          // when the newest digest ends
	spans   []span             // the stretches logged without a restart, oldest first
	inRange bool               // whether a digest of the chain meets the range
}

// A span is a stretch of a chain without a restart, from the start of its
// first digest to the end of its last.
type span struct{ start, end time.Time }

// endOf sums up a chain, sorted oldest first.
func endOf(c []*node) chainEnd {
	var e chainEnd
	for i, n := range c {
		start, restart := n.end().Add(-time.Hour), false
		if n.file != nil {
			start, restart = n.file.DigestStartTime.Time, n.file.PreviousDigestS3Object == ""
		}
		if i == 0 || restart {
			e.spans = append(e.spans, span{start: start})
		}
		e.spans[len(e.spans)-1].end = n.end()
		e.inRange = e.inRange || n.inRange
	}
	newest := c[len(c)-1]
	e.newest, e.end = newest.obj, newest.end()
	return e
}

// tails returns the Results for the digests missing at the end of the
// regular chains of one account's Regions, chain by chain.
func (v *Validator) tails(ends []chainEnd) []Result {
	var out []Result
	for _, c := range ends {
		out = append(out, v.tail(c, ends)...)
	}
	return out
}

// tail returns the Results for the digests missing after the newest of
// chain c, oldest first: the hours up to where the trail's chain in
// another Region goes on without a restart, when that is more than grace
// later, and with End the hours that end up to grace before it (or
// before now) when a digest of c meets the range. A restart in the other
// Region may have come with the trail's Regions changed, and a chain with
// no digest in the range may have stopped before it: neither says that
// c's Region still had to deliver.
func (v *Validator) tail(c chainEnd, peers []chainEnd) []Result {
	hours, why := 0, ""
	for _, p := range peers {
		if p.newest.Region == c.newest.Region || p.newest.Trail != c.newest.Trail || p.newest.HomeRegion != c.newest.HomeRegion {
			continue
		}
		for _, s := range p.spans {
			if !s.start.Before(c.end.Add(jitter)) || !c.end.Before(s.end.Add(jitter)) {
				continue // c's newest digest does not end in this stretch
			}
			gap := s.end.Sub(c.end)
			if h := int((gap + jitter) / time.Hour); gap > grace+jitter && h > hours {
				hours = h
				why = fmt.Sprintf("while %s's chain goes on to %s, and a Region lags its peers by an hour at most", p.newest.Region, s.end.Format(time.RFC3339))
			}
		}
	}
	if !v.End.IsZero() && c.inRange {
		end, upTo := v.End, "-end is "+v.End.UTC().Format(time.RFC3339)
		if now := time.Now(); now.Before(end) {
			end, upTo = now, "it is now "+now.UTC().Format(time.RFC3339)
		}
		if h := int(end.Add(-grace).Sub(c.end) / time.Hour); h > hours {
			hours = h
			why = "though " + upTo + " and a digest is delivered within the hour after it ends"
		}
	}
	var out []Result
	for k := 1; k <= hours; k++ {
		t := c.end.Add(time.Duration(k) * time.Hour)
		if !v.Start.IsZero() && !t.After(v.Start) || !v.End.IsZero() && !t.Add(-time.Hour).Before(v.End) {
			continue
		}
		count := "1 hour missing"
		if hours > 1 {
			count = fmt.Sprintf("hour %d of %d missing", k, hours)
		}
		out = append(out, Result{Path: hourPattern(c.newest, t), Kind: KindDigest, Status: Missing,
			Reason: fmt.Sprintf("no digest after %s in %s, %s: %s (deleted, or the trail stopped logging in this Region)",
				c.end.UTC().Format(time.RFC3339), c.newest.Region, why, count)})
	}
	return out
}
