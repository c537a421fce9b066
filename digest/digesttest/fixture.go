package digesttest

import "time"

// Layout names the files Fixture wrote, for tests to tamper with.
type Layout struct {
	// East is the first chain of ExampleTrail in us-east-1, oldest first:
	// six hourly digests, the fourth of an hour without log files.
	East []string

	// EastRestart is the second chain there: logging stopped for an hour,
	// then two digests, the first with no previous digest.
	EastRestart []string

	// West is ExampleTrail's chain in eu-west-1, signed with the second
	// key: six hourly digests; WestLogs the log file each lists.
	West, WestLogs []string

	// Backfill is a backfill digest in us-east-1 listing BackfillLog, a
	// log file the regular digests missed.
	Backfill, BackfillLog string

	// Org is an organization trail's chain, under the prefix "org": two
	// digests.
	Org []string

	// Logs lists every log file, EastLogs those the first us-east-1 chain
	// lists, by digest.
	Logs     []string
	EastLogs [][]string

	// Start and End bound the hours the digests cover.
	Start, End time.Time
}

// Hour returns the end of the fixture's hour h: 2025-05-21, h:01:31 UTC.
func Hour(h int) time.Time { return time.Date(2025, 5, 21, h, 1, 31, 0, time.UTC) }

// OrgTrail is the organization trail of Fixture.
var OrgTrail = Trail{Bucket: "amzn-s3-demo-bucket", Prefix: "org", OrgID: "o-aa111bb222", Account: "111122223333", Name: "org-trail", HomeRegion: "us-east-1"}

// Fixture writes a bucket of ExampleTrail in two Regions and of OrgTrail,
// from 00:01:31 to 09:01:31 on 2025-05-21: the chains and files Layout
// names.
func Fixture(b *Builder) *Layout {
	l := &Layout{Start: Hour(0), End: Hour(9)}
	log := func(c *Chain, t time.Time) string {
		k := c.Log(t)
		l.Logs = append(l.Logs, k)
		return k
	}
	east := b.Chain(ExampleTrail, "us-east-1")
	for h := 1; h <= 6; h++ {
		var logs []string
		if h != 4 {
			logs = append(logs, log(east, Hour(h-1).Add(14*time.Minute)), log(east, Hour(h-1).Add(44*time.Minute)))
		}
		l.EastLogs = append(l.EastLogs, logs)
		l.East = append(l.East, east.Digest(Hour(h)))
	}
	east.Restart()
	for h := 8; h <= 9; h++ {
		log(east, Hour(h-1).Add(30*time.Minute))
		l.EastRestart = append(l.EastRestart, east.Digest(Hour(h)))
	}
	bf := b.Backfill(ExampleTrail, "us-east-1")
	l.BackfillLog = log(bf, Hour(2).Add(50*time.Minute))
	l.Backfill = bf.Digest(Hour(3).Add(30 * time.Minute))

	west := b.Chain(ExampleTrail, "eu-west-1")
	for h := 1; h <= 6; h++ {
		l.WestLogs = append(l.WestLogs, log(west, Hour(h-1).Add(20*time.Minute)))
		l.West = append(l.West, west.Digest(Hour(h)))
	}
	org := b.Chain(OrgTrail, "us-east-1")
	for h := 1; h <= 2; h++ {
		log(org, Hour(h-1).Add(25*time.Minute))
		l.Org = append(l.Org, org.Digest(Hour(h)))
	}
	return l
}
