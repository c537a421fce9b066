package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/kmstrail/kmstrail/digest"
)

func init() {
	subcommands["verify"] = subcommand{
		summary: "validate CloudTrail digest chains and the log files they list, in a copy of a bucket or in S3",
		run:     runVerify,
	}
}

// awsConfigOptions are added to the default AWS configuration; tests set
// a fast retryer here.
var awsConfigOptions []func(*config.LoadOptions) error

// timeFlag is a time written as for -since: RFC 3339, a date (midnight
// UTC), or a duration back from now.
type timeFlag struct{ t time.Time }

func (f *timeFlag) String() string {
	if f.t.IsZero() {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f *timeFlag) Set(s string) error {
	t, err := parseWhen(s, time.Now())
	if err != nil {
		return err
	}
	f.t = t
	return nil
}

const verifyUsage = `kmstrail verify [flags] DIR | s3://bucket[/prefix]

Verify validates CloudTrail's digest files (their signatures and their
chain) and the log files they list, in DIR, a copy of a trail's bucket
(its top holds AWSLogs/ or the trail's prefix), or in the bucket itself.
Offline, each digest's signature is read from a .sig file beside it, or from
the next digest; give CloudTrail's public keys with -public-keys.

Exit status: 0 all valid; 1 something invalid, missing, moved or unlisted;
2 usage or I/O error; 3 the rest valid, but something unsigned or unverified.`

func runVerify(args []string, std stdio) int {
	fl := newFlagSet("kmstrail verify", verifyUsage, std)
	var accounts, regions, trails listFlag
	var start, end timeFlag
	var publicKeys listFlag
	fl.Var(&publicKeys, "public-keys", "a `file` that aws cloudtrail list-public-keys printed, one per Region (repeatable; required offline; online, keys come from ListPublicKeys)")
	fl.Var(&accounts, "account", "validate only this `account` (repeatable, or a comma list)")
	fl.Var(&regions, "region", "validate only this `region` (repeatable, or a comma list; default every Region found)")
	fl.Var(&trails, "trail", "validate only the digests of this trail `name` (repeatable, or a comma list)")
	fl.Var(&start, "start", "validate the hours from this `time` on: RFC 3339, a date (UTC), or a duration back from now (7d)")
	fl.Var(&end, "end", "validate the hours before this `time`, written as for -start; each chain must have its digests until an hour before it")
	endpoint := fl.String("endpoint-url", "", "send S3 and CloudTrail requests to this `URL` (path-style for S3)")
	output := fl.String("o", "table", "output `format`: table or json")
	if code, ok := parseFlags(fl, args, std); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(std.err, "kmstrail verify: "+format+"\n", a...)
		fl.Usage()
		return 2
	}
	if fl.NArg() != 1 {
		return usageErr("want one DIR or s3://bucket[/prefix], have %d arguments", fl.NArg())
	}
	if *output != "table" && *output != "json" {
		return usageErr("unknown output format %q", *output)
	}
	if !start.t.IsZero() && !end.t.IsZero() && !start.t.Before(end.t) {
		return usageErr("-start %s is not before -end %s", start.String(), end.String())
	}
	ctx := context.Background()
	v := &digest.Validator{Accounts: accounts, Regions: regions, Trails: trails, Start: start.t, End: end.t}
	if len(publicKeys) > 0 {
		var keys digest.Keys
		for _, name := range publicKeys {
			more, err := readKeys(name)
			if err != nil {
				fmt.Fprintf(std.err, "kmstrail verify: %v\n", err)
				return 2
			}
			keys = append(keys, more...)
		}
		v.Keys = keys
	}
	target := fl.Arg(0)
	if rest, ok := strings.CutPrefix(target, "s3://"); ok {
		bucket, prefix, _ := strings.Cut(rest, "/")
		if bucket == "" {
			return usageErr("no bucket in %q", target)
		}
		if err := online(ctx, v, bucket, strings.Trim(prefix, "/"), *endpoint); err != nil {
			fmt.Fprintf(std.err, "kmstrail verify: %v\n", err)
			return 2
		}
	} else {
		if v.Keys == nil {
			return usageErr("-public-keys is needed to validate a copy (save the output of aws cloudtrail list-public-keys)")
		}
		info, err := os.Stat(target)
		if err != nil {
			fmt.Fprintf(std.err, "kmstrail verify: %v\n", err)
			return 2
		}
		if !info.IsDir() {
			return usageErr("%s is not a directory", target)
		}
		v.FS = os.DirFS(target)
	}
	return printResults(ctx, v, *output, std)
}

// readKeys reads a public key list file.
func readKeys(name string) (digest.Keys, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	keys, err := digest.ParsePublicKeys(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return keys, nil
}

// online sets v up to read the bucket with the default AWS configuration.
func online(ctx context.Context, v *digest.Validator, bucket, prefix, endpoint string) error {
	cfg, err := config.LoadDefaultConfig(ctx, awsConfigOptions...)
	if err != nil {
		return err
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // any Region answers GetBucketLocation
	}
	s3opts := func(o *s3.Options) {
		// CloudTrail writes its objects without a checksum; the SDK would
		// say so for each one it reads.
		o.DisableLogOutputChecksumValidationSkipped = true
		if endpoint != "" {
			o.BaseEndpoint, o.UsePathStyle = aws.String(endpoint), true
		}
	}
	client := s3.NewFromConfig(cfg, s3opts)
	// Requests must go to the bucket's Region; where GetBucketLocation is
	// denied, the configured Region is the best guess.
	if loc, err := client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)}); err == nil {
		region := string(loc.LocationConstraint)
		if region == "" {
			region = "us-east-1"
		}
		client = s3.NewFromConfig(cfg, s3opts, func(o *s3.Options) { o.Region = region })
	}
	v.FS = &digest.S3FS{Client: client, Bucket: bucket, Context: ctx}
	v.Root, v.Bucket = prefix, bucket
	if v.Keys == nil {
		v.Keys = &digest.CloudTrailKeys{Client: cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) {
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
		})}
	}
	return nil
}

// printResults runs the validation, prints a line per file and the
// summary, and returns the exit status.
func printResults(ctx context.Context, v *digest.Validator, format string, std stdio) int {
	out := bufio.NewWriterSize(std.out, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var sum digest.Summary
	ioErr := false
	for r, err := range v.Validate(ctx) {
		if err != nil {
			fmt.Fprintf(std.err, "kmstrail verify: %v\n", err)
			ioErr = true
			continue
		}
		sum.Add(r)
		if format == "json" {
			enc.Encode(r)
			continue
		}
		fmt.Fprintf(out, "%-10s  %-6s  %s", r.Status, r.Kind, r.Path)
		if r.Reason != "" {
			fmt.Fprintf(out, "  %s", r.Reason)
		}
		out.WriteByte('\n')
	}
	// The summary ends a table; JSON Lines stay JSON, and it goes to
	// standard error.
	summaryOut := io.Writer(out)
	if format == "json" {
		summaryOut = std.err
	}
	fmt.Fprintln(summaryOut, sum.String())
	if err := out.Flush(); err != nil {
		fmt.Fprintf(std.err, "kmstrail verify: %v\n", err)
		return 2
	}
	digests, _ := sum.Files()
	nothing := digests == 0
	if nothing {
		fmt.Fprintln(std.err, "kmstrail verify: no digest file in range: nothing was validated")
	}
	switch {
	case ioErr:
		return 2
	case sum.Failed() || nothing:
		return 1
	case sum.Worst() != digest.Valid:
		return 3
	}
	return 0
}
