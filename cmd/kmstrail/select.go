package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kmstrail/kmstrail"
)

// selection is the selection flags every job that reads records shares.
// Flags of different kinds all hold (a record must match each); the values
// of one flag are alternatives.
type selection struct {
	events     listFlag // -event
	sources    listFlag // -source
	accounts   listFlag // -account
	regions    listFlag // -region
	keyArgs    listFlag // -key
	principal  string   // -principal
	errorsOnly bool     // -errors
	sinceArg   string   // -since
	untilArg   string   // -until

	now          time.Time // for durations; time.Now when zero
	since, until time.Time
	keys         []kmstrail.KeyRef
}

func (s *selection) register(fs *flag.FlagSet) {
	fs.Var(&s.events, "event", "select records of these event `names` (comma-separated or repeated), such as Decrypt,ScheduleKeyDeletion")
	fs.Var(&s.sources, "source", "select records of this event `source`, such as kms.amazonaws.com (a name without a dot, such as kms,\nis short for name.amazonaws.com)")
	fs.Var(&s.accounts, "account", "select records received by these `accounts` (recipientAccountId)")
	fs.Var(&s.regions, "region", "select records of these `regions` (awsRegion)")
	fs.Var(&s.keyArgs, "key", "select KMS records about this `key`: a key ID, key ARN, alias name (alias/...) or alias ARN")
	fs.StringVar(&s.principal, "principal", "", "select records whose principal contains `text` (its ARN, session name or service)")
	fs.BoolVar(&s.errorsOnly, "errors", false, "select only failed calls (records with an errorCode)")
	fs.StringVar(&s.sinceArg, "since", "", "select records at or after `time`: RFC 3339, a date (2006-01-02, UTC),\nor a duration back from now (90m, 24h, 7d)")
	fs.StringVar(&s.untilArg, "until", "", "select records before `time`, written as for -since")
}

// prepare reads the flags' values.
func (s *selection) prepare() error {
	now := s.now
	if now.IsZero() {
		now = time.Now()
	}
	var err error
	if s.since, err = parseWhen(s.sinceArg, now); err != nil {
		return fmt.Errorf("-since: %v", err)
	}
	if s.until, err = parseWhen(s.untilArg, now); err != nil {
		return fmt.Errorf("-until: %v", err)
	}
	if !s.since.IsZero() && !s.until.IsZero() && !s.since.Before(s.until) {
		return fmt.Errorf("-since %s is not before -until %s", s.sinceArg, s.untilArg)
	}
	for i, src := range s.sources {
		if !strings.Contains(src, ".") {
			s.sources[i] = src + ".amazonaws.com"
		}
	}
	s.keys = s.keys[:0]
	for _, k := range s.keyArgs {
		ref := kmstrail.ParseKeyRef(k)
		if ref.IsZero() {
			return fmt.Errorf("-key %q names no KMS key", k)
		}
		s.keys = append(s.keys, ref)
	}
	return nil
}

// parseWhen reads a -since or -until value; "" is the zero time.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.ParseFloat(days, 64); err == nil && n >= 0 {
			return now.Add(-time.Duration(n * float64(24*time.Hour))).UTC(), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time, a date (2006-01-02) or a duration (24h, 7d)", s)
}

// match reports whether a record is selected.
func (s *selection) match(ev *kmstrail.Event) bool {
	switch {
	case len(s.events) > 0 && !slices.Contains(s.events, ev.EventName),
		len(s.sources) > 0 && !slices.Contains(s.sources, ev.EventSource),
		len(s.accounts) > 0 && !slices.Contains(s.accounts, ev.RecipientAccountID),
		len(s.regions) > 0 && !slices.Contains(s.regions, ev.AWSRegion),
		s.errorsOnly && ev.ErrorCode == "",
		!s.since.IsZero() && ev.EventTime.Before(s.since),
		!s.until.IsZero() && !ev.EventTime.Before(s.until),
		s.principal != "" && !s.principalMatches(ev),
		len(s.keys) > 0 && !s.keyMatches(ev):
		return false
	}
	return true
}

func (s *selection) principalMatches(ev *kmstrail.Event) bool {
	if strings.Contains(ev.Principal().String(), s.principal) {
		return true
	}
	// The session's own ARN (assumed-role/Admin/alice) too.
	return ev.UserIdentity != nil && strings.Contains(ev.UserIdentity.ARN, s.principal)
}

// keyMatches reports whether a KMS record concerns one of the keys: the
// same key ID or ARN, or the same alias (by name, or by alias ARN when
// both say their account and Region).
func (s *selection) keyMatches(ev *kmstrail.Event) bool {
	if ev.KMS == nil || ev.KMS.Key.IsZero() {
		return false
	}
	k := ev.KMS.Key
	for _, want := range s.keys {
		switch {
		case want.ARN != "" && want.ARN == k.ARN,
			want.ID != "" && want.ID == k.ID,
			want.Alias != "" && want.Alias == k.Alias && sameOrUnknown(want.Account, k.Account) && sameOrUnknown(want.Region, k.Region):
			return true
		}
	}
	return false
}

// sameOrUnknown reports whether two values agree, or either is unknown.
func sameOrUnknown(a, b string) bool { return a == "" || b == "" || a == b }

// listFlag is a flag of comma-separated values that may also be repeated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s == "" {
			return fmt.Errorf("empty value in %q", v)
		}
		*l = append(*l, s)
	}
	return nil
}
