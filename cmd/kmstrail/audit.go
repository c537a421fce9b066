package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/kmstrail/kmstrail/audit"
)

// The audit subcommands: each reads records as decoding does, feeds them to
// an audit.Auditor and prints one part of its report.
func init() {
	subcommands["keys"] = subcommand{summary: "print each KMS key's state, aliases, material, grants and timeline", run: keysMain}
	subcommands["expiry"] = subcommand{summary: "print imported key material that has expired or expires soon", run: expiryMain}
	subcommands["findings"] = subcommand{summary: "print findings: deletions, public key policies, cross-account grants, ...", run: findingsMain}
}

// softMemoryLimit is the heap size at which the garbage collector starts
// to work harder. The audit subcommands hold state per key while they read
// (tens of megabytes for thousands of keys); without a limit the heap grows
// to twice what is live before a collection (GOGC=100), which for a busy
// account's month came within a few megabytes of 256 MiB. Decoding, whose
// live heap is a few batches of records, never reaches it.
const softMemoryLimit = 192 << 20

// limitMemory sets the soft memory limit, unless GOMEMLIMIT does.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}

// exitFindings is the exit status when -fail-on matched a finding.
const exitFindings = 3

const keysUsage = `kmstrail keys [flags] [path ...]

Keys prints one line (-o json: one object) per KMS key the records name,
sorted by key ARN: its state, aliases, origin, rotation, imported key
material, open grants, how many records name it, and (-o json) the timeline
of its changes.`

const expiryUsage = `kmstrail expiry [-within 30d] [-at TIME] [flags] [path ...]

Expiry prints the imported key material that has expired or expires within
-within of -at, soonest first.`

const findingsUsage = `kmstrail findings [-at TIME] [-min-severity LEVEL] [flags] [path ...]

Findings prints the findings of the audit rules, in time order. Rules:
`

func keysMain(args []string, std stdio) int   { return auditMain("keys", keysUsage, args, std) }
func expiryMain(args []string, std stdio) int { return auditMain("expiry", expiryUsage, args, std) }
func findingsMain(args []string, std stdio) int {
	return auditMain("findings", findingsUsage+rulesHelp(), args, std)
}

// auditFlags are the flags of the audit subcommands.
type auditFlags struct {
	output, atArg, withinArg, failOnArg, minArg string
	wide                                        bool
	timeline, denyCount                         int
	denyWindow                                  time.Duration

	opts   audit.Options
	failOn *audit.Severity
	min    audit.Severity
}

func (f *auditFlags) register(fs *flag.FlagSet, job string) {
	// The defaults, for the subcommands that have not the flags.
	f.timeline, f.denyCount, f.denyWindow = audit.DefaultTimeline, audit.DefaultDenyCount, audit.DefaultDenyWindow
	fs.StringVar(&f.output, "o", "table", "output `format`: table (for people) or json (one object per line)")
	fs.BoolVar(&f.wide, "wide", false, "with -o table, print whole key ARNs and principals")
	fs.StringVar(&f.failOnArg, "fail-on", "", "exit with status 3 when the audit finds a finding of at least this `severity`\n(info, low, medium, high, critical), for CI gates")
	if job == "keys" {
		fs.IntVar(&f.timeline, "timeline", audit.DefaultTimeline, "keep the newest `n` changes of each key's timeline")
	}
	if job != "keys" {
		fs.StringVar(&f.atArg, "at", "", "judge expiry as of `time`: RFC 3339, a date (2006-01-02, UTC), or a duration back from now; default now")
		fs.StringVar(&f.withinArg, "within", "30d", "material expiring within this `duration` of -at (such as 30d or 72h) is listed")
	}
	if job == "findings" {
		fs.StringVar(&f.minArg, "min-severity", "info", "print findings of at least this `severity`")
		fs.IntVar(&f.denyCount, "deny-count", audit.DefaultDenyCount, "access-denied-burst: at least `n` AccessDenied failures of one principal ...")
		fs.DurationVar(&f.denyWindow, "deny-window", audit.DefaultDenyWindow, "... within this `duration`")
	}
}

// prepare reads the flags' values; now is the time durations count back
// from.
func (f *auditFlags) prepare(now time.Time) error {
	if f.output != "table" && f.output != "json" {
		return fmt.Errorf("unknown output format %q (want table or json)", f.output)
	}
	at, err := parseWhen(f.atArg, now)
	if err != nil {
		return fmt.Errorf("-at: %v", err)
	}
	if at.IsZero() {
		at = now
	}
	// The library takes a value out of range for its default; a person who
	// typed one is told.
	switch {
	case f.denyCount < 1:
		return fmt.Errorf("-deny-count: %d is not a count (at least 1)", f.denyCount)
	case f.denyWindow < time.Second:
		return fmt.Errorf("-deny-window: %v is shorter than a second, the finest CloudTrail's times tell", f.denyWindow)
	case f.timeline < 1:
		return fmt.Errorf("-timeline: %d changes (at least 1)", f.timeline)
	}
	f.opts = audit.Options{At: at.UTC(), Timeline: f.timeline, DenyCount: f.denyCount, DenyWindow: f.denyWindow}
	if f.withinArg != "" {
		if f.opts.Within, err = parseSpan(f.withinArg); err != nil {
			return fmt.Errorf("-within: %v", err)
		}
	}
	if f.failOnArg != "" {
		s, err := audit.ParseSeverity(f.failOnArg)
		if err != nil {
			return fmt.Errorf("-fail-on: %v", err)
		}
		f.failOn = &s
	}
	if f.minArg != "" {
		if f.min, err = audit.ParseSeverity(f.minArg); err != nil {
			return fmt.Errorf("-min-severity: %v", err)
		}
	}
	return nil
}

// parseSpan reads a duration such as 30d, 36h or 90m.
func parseSpan(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.ParseFloat(days, 64); err == nil && n > 0 && n < 100*365 {
			return time.Duration(n * float64(24*time.Hour)), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%q is not a positive duration (30d, 72h)", s)
}

// auditMain runs one audit subcommand.
func auditMain(job, usage string, args []string, std stdio) int {
	fs := newFlagSet("kmstrail "+job, usage, std)
	var rd reading
	rd.register(fs)
	var af auditFlags
	af.register(fs, job)
	if code, ok := parseFlags(fs, args, std); !ok {
		return code
	}
	now := rd.sel.now
	if now.IsZero() {
		now = time.Now()
	}
	if err := af.prepare(now); err != nil {
		fmt.Fprintf(std.err, "kmstrail %s: %v\n", job, err)
		return exitUsage
	}
	if err := rd.prepare(); err != nil {
		fmt.Fprintf(std.err, "kmstrail %s: %v\n", job, err)
		return exitUsage
	}
	rd.std = std
	a := audit.New(af.opts)
	for ev := range rd.events(fs.Args()) {
		a.Add(ev)
		rd.shown++
	}
	rep := a.Report()
	out := bufio.NewWriterSize(std.out, 64<<10)
	p := auditPrinter{out: out, json: af.output == "json", wide: af.wide}
	var err error
	switch job {
	case "keys":
		err = p.keys(rep)
	case "expiry":
		err = p.expiry(rep)
	case "findings":
		err = p.findings(rep, af.min)
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		rd.ioError(err)
	}
	for _, d := range rep.Diagnostics {
		fmt.Fprintf(std.err, "kmstrail %s: %s\n", job, d)
	}
	status := rd.status()
	if status != exitUsage && af.failOn != nil {
		for _, f := range rep.Findings {
			if f.Severity >= *af.failOn {
				fmt.Fprintf(std.err, "kmstrail %s: a finding of severity %s or higher (-fail-on %s)\n", job, *af.failOn, *af.failOn)
				status = exitFindings
				break
			}
		}
	}
	rd.summary("used")
	return status
}

// rulesHelp lists the rules for findings -h.
func rulesHelp() string {
	var b strings.Builder
	for _, r := range audit.Rules() {
		fmt.Fprintf(&b, "  %-32s %s\n", r.ID, r.Severity)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// auditPrinter prints a report's parts.
type auditPrinter struct {
	out  *bufio.Writer
	json bool
	wide bool
}

// line prints one JSON object.
func (p *auditPrinter) line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	p.out.Write(b)
	return p.out.WriteByte('\n')
}

// row prints a table row: columns padded to widths, the last as is.
func (p *auditPrinter) row(widths []int, cols ...string) {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString("  ")
		}
		if i < len(widths) && i < len(cols)-1 {
			if !p.wide && widths[i] > 0 {
				c = fit(c, widths[i])
			}
			fmt.Fprintf(&b, "%-*s", widths[i], c)
			continue
		}
		b.WriteString(c)
	}
	fmt.Fprintln(p.out, strings.TrimRight(b.String(), " "))
}

// keyName is a key in a table: its ID (whole, so keys can be told apart),
// or its ARN with -wide.
func (p *auditPrinter) keyName(arn string) string {
	if p.wide || arn == "" {
		return arn
	}
	if i := strings.LastIndex(arn, ":key/"); i >= 0 {
		return arn[i+len(":key/"):]
	}
	return arn
}

// principalName is a principal in a table: the resource part of its ARN
// (role/Admin, user/Alice) or the service, without an assumed role's
// session; whole with -wide.
func (p *auditPrinter) principalName(s string) string {
	if p.wide {
		return s
	}
	s, _, _ = strings.Cut(s, " (session ")
	if i := strings.LastIndexByte(s, ':'); i >= 0 && strings.HasPrefix(s, "arn:") {
		s = s[i+1:]
	}
	return strings.TrimSuffix(s, ".amazonaws.com")
}

func tableTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

func (p *auditPrinter) keys(rep *audit.Report) error {
	widths := []int{36, 14, 15, 12, 24, 12, 13, 6, 7}
	if !p.json {
		p.row(widths, "KEY", "REGION", "STATE", "ORIGIN", "ALIASES", "ROTATION", "MATERIAL", "GRANTS", "EVENTS", "LAST SEEN (UTC)")
	}
	for _, k := range rep.Keys {
		if p.json {
			if err := p.line(k); err != nil {
				return err
			}
			continue
		}
		rotation := strings.ToLower(k.Rotation.Status)
		if k.Rotation.PeriodDays > 0 && k.Rotation.Status == "Enabled" {
			rotation += fmt.Sprintf(" %dd", k.Rotation.PeriodDays)
		}
		events := strconv.Itoa(k.Events)
		if k.EventsEstimated {
			events = "~" + events
		}
		p.row(widths, p.keyName(k.ARN), k.Region, string(k.State), cmp.Or(string(k.Origin), "-"), cmp.Or(strings.Join(k.Aliases, ","), "-"),
			cmp.Or(rotation, "-"), materialSummary(k.Material), strconv.Itoa(len(k.Grants)), events, tableTime(k.LastSeen))
	}
	return nil
}

// materialSummary says what a key's material is in a few characters: how
// many, and the soonest validTo.
func materialSummary(ms []audit.Material) string {
	if len(ms) == 0 {
		return "-"
	}
	var soonest time.Time
	for _, m := range ms {
		if !m.ValidTo.IsZero() && (soonest.IsZero() || m.ValidTo.Before(soonest)) {
			soonest = m.ValidTo
		}
	}
	if soonest.IsZero() {
		return strconv.Itoa(len(ms))
	}
	return fmt.Sprintf("%d, %s", len(ms), soonest.Format("2006-01-02"))
}

func (p *auditPrinter) expiry(rep *audit.Report) error {
	widths := []int{20, 8, 36, 16}
	if !p.json {
		p.row(widths, "VALID TO (UTC)", "STATUS", "KEY", "KEY MATERIAL", "EVENT")
	}
	for _, e := range rep.Expiry {
		if p.json {
			if err := p.line(e); err != nil {
				return err
			}
			continue
		}
		p.row(widths, tableTime(e.ValidTo), string(e.Status), p.keyName(e.ARN), cmp.Or(e.KeyMaterialID, "-"), e.EventID)
	}
	return nil
}

func (p *auditPrinter) findings(rep *audit.Report, min audit.Severity) error {
	widths := []int{8, 20, 31, 36, 20}
	if !p.json {
		p.row(widths, "SEVERITY", "TIME (UTC)", "RULE", "KEY", "PRINCIPAL", "MESSAGE")
	}
	for _, f := range rep.Findings {
		if f.Severity < min {
			continue
		}
		if p.json {
			if err := p.line(f); err != nil {
				return err
			}
			continue
		}
		p.row(widths, f.Severity.String(), tableTime(f.Time), f.Rule, cmp.Or(p.keyName(f.Key), "-"), cmp.Or(p.principalName(f.Principal), "-"), f.Message)
	}
	return nil
}
