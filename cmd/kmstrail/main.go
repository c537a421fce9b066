package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/debug"
	"slices"
)

// A subcommand is one of kmstrail's jobs beside decoding, named by the first
// argument (kmstrail keys ...). Each lives in a file of its own and adds
// itself to subcommands in an init function.
type subcommand struct {
	// summary describes the subcommand in one line, for kmstrail -h.
	summary string

	// run runs it with the arguments after its name and returns the exit
	// status.
	run func(args []string, std stdio) int
}

// subcommands maps a first argument to its subcommand. A file of that name
// is read as ./name.
var subcommands = map[string]subcommand{}

// stdio is a command's standard input, output and error.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func main() {
	limitMemory()
	os.Exit(kmstrailMain(os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
}

// kmstrailMain runs kmstrail with its arguments and returns the exit status.
func kmstrailMain(args []string, std stdio) int {
	if len(args) > 0 {
		if sc, ok := subcommands[args[0]]; ok {
			return sc.run(args[1:], std)
		}
	}
	return decode(args, std)
}

// Exit statuses of the decoding job; the subcommands add their own.
const (
	exitOK     = 0 // every record decoded
	exitFailed = 1 // some records failed; the rest were printed
	exitUsage  = 2 // a usage or I/O error
)

// newFlagSet returns a flag set for a job whose usage line is usage; -h
// prints the usage and flags on standard output.
func newFlagSet(name, usage string, std stdio) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(std.err)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses a job's arguments. It reports false, with the exit
// status, when the job should not run: after -h (status 0, the usage on
// standard output) or a usage error (status 2).
func parseFlags(fs *flag.FlagSet, args []string, std stdio) (int, bool) {
	usage := fs.Usage
	fs.Usage = func() {} // printed below, where it belongs
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(std.out)
		fs.Usage()
		return exitOK, false
	case err != nil:
		fs.Usage() // after the flag package's message, on standard error
		return exitUsage, false
	}
	return 0, true
}

const decodeUsage = `kmstrail [flags] [path ...]
       kmstrail keys|expiry|findings|verify [flags] [path ...]

Kmstrail reads AWS CloudTrail records from files, directories (such as a copy
of a trail's bucket) or standard input, in any form CloudTrail delivers them,
and prints the records selected by the flags.`

// decode is kmstrail's default job: print records.
func decode(args []string, std stdio) int {
	fs := newFlagSet("kmstrail", decodeUsage, std)
	var rd reading
	rd.register(fs)
	output := fs.String("o", "table", "output `format`: table (for people), json (one object per record) or raw\n"+
		"(each record's bytes as read, compacted; a repaired record is printed as decoded, re-encoded)")
	wide := fs.Bool("wide", false, "with -o table, print whole ARNs, the principal in full and each record's file")
	diagnostics := fs.Bool("diagnostics", false, "print each record's diagnostics to standard error")
	version := fs.Bool("version", false, "print kmstrail's version and exit")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintf(fs.Output(), "\nSubcommands (kmstrail SUBCOMMAND -h for their flags):\n")
		for _, name := range slices.Sorted(maps.Keys(subcommands)) {
			fmt.Fprintf(fs.Output(), "  %-9s %s\n", name, subcommands[name].summary)
		}
	}
	if code, ok := parseFlags(fs, args, std); !ok {
		return code
	}
	if *version {
		fmt.Fprintln(std.out, versionLine())
		return exitOK
	}
	switch *output {
	case "table", "json", "raw":
	default:
		fmt.Fprintf(std.err, "kmstrail: unknown output format %q (want table, json or raw)\n", *output)
		return exitUsage
	}
	if err := rd.prepare(); err != nil {
		fmt.Fprintf(std.err, "kmstrail: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriterSize(std.out, 64<<10)
	p := &printer{out: out, format: *output, wide: *wide}
	rd.std = std
	rd.diagnostics = *diagnostics
	for ev := range rd.events(fs.Args()) {
		if err := p.print(ev); err != nil {
			rd.ioError(err)
			break
		}
		rd.shown++
	}
	if err := out.Flush(); err != nil {
		rd.ioError(err)
	}
	rd.summary("shown")
	return rd.status()
}

// versionLine names the module version kmstrail was built from: a tag when
// installed with go install ...@version, "(devel)" when built in its
// repository.
func versionLine() string {
	v := "(unknown)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		v = bi.Main.Version
		if v == "" {
			v = "(devel)"
		}
		return "kmstrail " + v + " " + bi.GoVersion
	}
	return "kmstrail " + v
}
