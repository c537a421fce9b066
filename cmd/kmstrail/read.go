package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"

	"github.com/kmstrail/kmstrail"
)

// reading reads the records of a job's paths: the flags that say how to
// read and which records to select, the reporting of errors, and the counts
// the summary line gives. Every job that reads records (decoding, keys,
// expiry, findings) registers its flags and ranges over events.
type reading struct {
	repair bool
	limits limitFlags
	sel    selection

	std         stdio
	diagnostics bool // print each record's diagnostics to std.err

	read, failed, shown, files int
	ioErr                      bool
}

// register adds the reading and selection flags to fs.
func (rd *reading) register(fs *flag.FlagSet) {
	fs.BoolVar(&rd.repair, "repair", false, "accept the syntax slips of AWS's published examples (missing and trailing commas, invalid UTF-8)")
	rd.limits.register(fs)
	rd.sel.register(fs)
}

// prepare checks the flags once they are parsed.
func (rd *reading) prepare() error { return rd.sel.prepare() }

// events yields the selected records of paths: files, directories (walked
// as kmstrail.Tree walks them) or "-" for standard input; no path is "-".
// Errors go to standard error as they come.
func (rd *reading) events(paths []string) iter.Seq[*kmstrail.Event] {
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	return func(yield func(*kmstrail.Event) bool) {
		for _, p := range paths {
			if !rd.readPath(p, yield) {
				return
			}
		}
	}
}

// readPath yields the selected records of one path; it reports false once
// yield has.
func (rd *reading) readPath(path string, yield func(*kmstrail.Event) bool) bool {
	if path == "-" {
		return rd.readInput("<stdin>", rd.std.in, yield)
	}
	info, err := os.Stat(path)
	if err != nil {
		rd.ioError(err)
		return true
	}
	if !info.IsDir() {
		f, err := os.Open(path)
		if err != nil {
			rd.ioError(err)
			return true
		}
		defer f.Close()
		return rd.readInput(path, f, yield)
	}
	tree := kmstrail.Tree{FS: os.DirFS(path), Accounts: rd.sel.accounts, Regions: rd.sel.regions,
		Start: rd.sel.since, End: rd.sel.until,
		Setup: func(r *kmstrail.Reader) {
			rd.files++
			r.Path = filepath.Join(path, filepath.FromSlash(r.Path))
			rd.setup(r)
		}}
	for ev, err := range tree.Events() {
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				pe.Path = filepath.Join(path, filepath.FromSlash(pe.Path))
			}
			rd.report(err)
			continue
		}
		if !rd.take(ev, yield) {
			return false
		}
	}
	return true
}

// readInput yields the selected records of one input.
func (rd *reading) readInput(name string, in io.Reader, yield func(*kmstrail.Event) bool) bool {
	rd.files++
	r := kmstrail.NewReader(in)
	r.Path = name
	rd.setup(r)
	for ev, err := range r.All() {
		if err != nil {
			rd.report(err)
			continue
		}
		if !rd.take(ev, yield) {
			return false
		}
	}
	return true
}

// setup applies the reading flags to a Reader.
func (rd *reading) setup(r *kmstrail.Reader) {
	r.Repair = rd.repair
	rd.limits.apply(r)
}

// take counts a record and yields it if it is selected.
func (rd *reading) take(ev *kmstrail.Event, yield func(*kmstrail.Event) bool) bool {
	rd.read++
	if rd.diagnostics {
		for _, d := range ev.Diagnostics {
			fmt.Fprintf(rd.std.err, "%s:%s\n", ev.Source.Path, d)
		}
	}
	if !rd.sel.match(ev) {
		return true
	}
	return yield(ev)
}

// report prints an error. A notice that an input holds no records changes
// neither the exit status nor the count of failed records; an error about
// the input's content makes the status 1; any other error is an I/O error
// (status 2).
func (rd *reading) report(err error) {
	var le *kmstrail.LimitError
	if errors.As(err, &le) {
		le.Raise = "-" + limitFlagName(le.Limit)
	}
	fmt.Fprintln(rd.std.err, err)
	var e *kmstrail.Error
	switch {
	case errors.Is(err, kmstrail.ErrNoRecords):
	case errors.As(err, &e) && isContentError(err):
		rd.failed++
	default:
		rd.ioErr = true
	}
}

// isContentError reports whether an error concerns the input's content
// rather than reading it.
func isContentError(err error) bool {
	for _, s := range []error{kmstrail.ErrSyntax, kmstrail.ErrInvalidUTF8, kmstrail.ErrTruncated,
		kmstrail.ErrDuplicateName, kmstrail.ErrNotRecord, kmstrail.ErrTrailingData, kmstrail.ErrLimit} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// ioError reports an error reading or writing outside the Reader.
func (rd *reading) ioError(err error) {
	fmt.Fprintf(rd.std.err, "kmstrail: %v\n", err)
	rd.ioErr = true
}

// summary prints the counts on standard error, shown naming what the job
// did with the selected records.
func (rd *reading) summary(shown string) {
	fmt.Fprintf(rd.std.err, "kmstrail: %d %s read, %d %s, %d failed, %d %s\n",
		rd.read, plural(rd.read, "record", "records"), rd.shown, shown, rd.failed, rd.files, plural(rd.files, "file", "files"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// status returns the exit status: 2 after an I/O error, 1 when records
// failed, else 0.
func (rd *reading) status() int {
	switch {
	case rd.ioErr:
		return exitUsage
	case rd.failed > 0:
		return exitFailed
	}
	return exitOK
}

// limitFlags are the Reader's limits, each settable by a flag named after
// its field (MaxRecordBytes is -max-record-bytes). Zero leaves the
// Reader's default.
type limitFlags struct {
	recordBytes, depth, stringBytes, values, ratio int
	inputBytes                                     int64
}

func (l *limitFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&l.recordBytes, limitFlagName("MaxRecordBytes"), kmstrail.DefaultMaxRecordBytes,
		"the largest record, or envelope read whole (an EventBridge event, a CloudWatch Logs payload, a log file\nwhose Records member is not first), in `bytes`")
	fs.IntVar(&l.values, limitFlagName("MaxValues"), kmstrail.DefaultMaxValues,
		"the most members and elements of a record, or of an envelope read whole (`n`)")
	fs.IntVar(&l.stringBytes, limitFlagName("MaxStringBytes"), kmstrail.DefaultMaxStringBytes, "the longest string, in `bytes`")
	fs.IntVar(&l.depth, limitFlagName("MaxDepth"), kmstrail.DefaultMaxDepth, "the deepest nesting of arrays and objects (`levels`)")
	fs.Int64Var(&l.inputBytes, limitFlagName("MaxInputBytes"), kmstrail.DefaultMaxInputBytes, "the most `bytes` read from one input, decompressed")
	fs.IntVar(&l.ratio, limitFlagName("MaxCompressionRatio"), kmstrail.DefaultMaxCompressionRatio,
		"the largest ratio of decompressed to compressed bytes (`n`)")
}

func (l *limitFlags) apply(r *kmstrail.Reader) {
	r.MaxRecordBytes, r.MaxValues, r.MaxStringBytes, r.MaxDepth = l.recordBytes, l.values, l.stringBytes, l.depth
	r.MaxInputBytes, r.MaxCompressionRatio = l.inputBytes, l.ratio
}

// limitFlagName is the flag that sets the Reader's limit field, such as
// max-values for MaxValues.
func limitFlagName(field string) string {
	var b strings.Builder
	for i, c := range field {
		if 'A' <= c && c <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}
