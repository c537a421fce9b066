// Kmstrail reads AWS CloudTrail records and prints them, with the typed,
// normalized view of every AWS KMS event.
//
// Usage:
//
//	kmstrail [flags] [path ...]
//	kmstrail keys|expiry|findings|verify [flags] [path ...]
//
// Each path is a file or a directory. A directory is walked as a copy of a
// trail's bucket (aws s3 sync s3://bucket DIR): CloudTrail's log files under
// AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/ and any other
// .json, .json.gz, .jsonl and .jsonl.gz files are read; digest files, AWS
// Config and other logs, and folders whose names start with a dot are passed
// over. With no path, or the path "-", kmstrail reads standard input. The
// form of each input (a log file, a bare record, JSON Lines, EventBridge
// events, CloudWatch Logs payloads, LookupEvents output, CloudTrail Lake
// query results; plain or gzip) is detected from its content.
//
// A first argument that names a subcommand runs it; a file of that name is
// read as ./keys. kmstrail -h lists the subcommands, and kmstrail
// SUBCOMMAND -h their flags.
//
// # Output
//
//	-o table
//		One line per record for people: time (UTC), event, principal,
//		whole key ID, and a detail such as imported key material's expiry
//		(in UTC). -wide prints whole ARNs, the principal in full and the
//		record's file and index.
//	-o json
//		One normalized JSON object per record (JSON Lines): the envelope's
//		main members, where the record came from ("source"), and for KMS
//		events "kms" with the operation, the key, and the typed request and
//		response (wire member names, times in RFC 3339 UTC).
//	-o raw
//		Each record's bytes as read, compacted, one per line. A record
//		repaired under -repair is not JSON as read: it is printed as
//		decoded, re-encoded.
//	-diagnostics
//		Also print each record's diagnostics to standard error.
//	-version
//		Print the version kmstrail was built from, and exit.
//
// # Selection
//
// The selection flags choose the records printed (and, for the subcommands,
// the records used); flags of different kinds must all hold, and the values
// of one flag (comma-separated or repeated) are alternatives. Directories
// are pruned by their keys before files are opened.
//
//	-event NAME[,NAME...]   eventName, such as Decrypt,ScheduleKeyDeletion
//	-source SOURCE          eventSource; kms is short for kms.amazonaws.com
//	-since TIME, -until TIME
//	                        eventTime at or after -since and before -until:
//	                        RFC 3339, a date (2006-01-02, UTC), or a duration
//	                        back from now (90m, 24h, 7d)
//	-key KEY                KMS records about a key: key ID, key ARN, alias
//	                        name (alias/...) or alias ARN
//	-principal TEXT         the principal's ARN, session or service contains TEXT
//	-account ACCOUNT        recipientAccountId
//	-region REGION          awsRegion
//	-errors                 only failed calls (with an errorCode)
//
// # Reading
//
//	-repair
//		Accept the syntax slips of AWS's published examples (missing and
//		trailing commas, invalid UTF-8).
//	-max-record-bytes, -max-values, -max-string-bytes, -max-depth,
//	-max-input-bytes, -max-compression-ratio
//		Raise (or lower) the Reader's limits. An error for crossing one
//		names its flag and what crossed it. Log files, LookupEvents output
//		and Lake results are streamed, and need -max-record-bytes raised
//		only for a single record that large; an envelope read whole (a log
//		file whose Records member is not first, an EventBridge event, a
//		CloudWatch Logs payload) needs it raised to its whole size, and
//		-max-values to its count of members and elements.
//
// Errors go to standard error as path:line:col: record N: message, and the
// records around a failed one are still printed. Inputs that hold no
// records, such as notifications, are noted on standard error. A last line
// on standard error counts the records read, shown and failed, and the
// files read.
//
// The exit status is 0 when every record decoded, 1 when some records
// failed, and 2 for a usage or I/O error. -h prints the usage and exits 0.
//
// # Verify
//
// Usage:
//
//	kmstrail verify [flags] DIR | s3://bucket[/prefix]
//
// Verify validates the integrity of a trail's log files with CloudTrail's
// digest files: each digest's signature and location, the chain of digests
// (both ways, hour by hour, every missing digest however many in a row,
// and at its end the hours that the trail's other Regions, or -end, show
// missing), and each log file listed (present, one gzip member, its
// SHA-256). It also reports log files that no digest lists. DIR is a copy
// of the bucket (aws s3 sync s3://bucket DIR), whose top holds AWSLogs/ or
// the trail's prefix; each digest's signature is read from a file beside
// it named after it with .sig added (what aws s3api head-object --query
// Metadata.signature --output text prints), or from the next digest's
// previousDigestSignature once that digest is verified. s3://bucket reads
// the bucket itself, with the default AWS configuration: signatures from
// the objects' metadata, public keys from CloudTrail in each Region.
//
// The flags are:
//
//	-public-keys file
//		The output of aws cloudtrail list-public-keys, one file per
//		Region (repeatable). Required for DIR.
//	-account id, -region name, -trail name
//		Validate only these (each repeatable, or a comma list); by
//		default every account, Region and trail found.
//	-start time, -end time
//		Validate the hours that meet [start, end) (RFC 3339, UTC), and
//		the log files delivered in them. With -end, each chain with a
//		digest in range must have one for every hour that ends up to an
//		hour before end: a digest missing there is reported.
//	-endpoint-url URL
//		Send S3 (path-style) and CloudTrail requests to URL.
//	-o table|json
//		One line per digest and log file (status, kind, key, reason)
//		then a summary line; or one JSON object per file, {"path",
//		"kind", "status", "reason", "digest"}, with the summary on
//		standard error.
//
// A status is valid, invalid, missing, moved, unlisted, unsigned or
// unverified; see docs/integrity.md. The exit status is 0 when everything
// in range is valid, 1 when anything is invalid, missing, moved or
// unlisted, or when no digest is in range, 2 for a usage or I/O error, and
// 3 when all that could be checked is valid but something is unsigned or
// unverified.
//
// # Keys, expiry and findings
//
// The subcommands keys, expiry and findings read records as decoding does
// (the same paths, reading and selection flags) and audit the KMS keys they
// name with package github.com/kmstrail/kmstrail/audit: records may come in
// any order and twice, and give the same output. -o table (the default)
// prints one line per key, material or finding, whole key IDs (-wide: whole
// ARNs and principals); -o json prints one object per line, times in RFC
// 3339 UTC.
//
//	kmstrail keys [-timeline N] [flags] [path ...]
//		Each key, sorted by ARN: {"arn", "account", "region", "aliases",
//		"state", "origin", "deletionDate", "rotation", "material", "grants",
//		"events", "firstSeen", "lastSeen", "timeline", ...}. State is
//		Enabled, Disabled, PendingDeletion, PendingImport, Deleted or
//		Unknown; the timeline holds the newest N changes (default 20).
//	kmstrail expiry [-within 30d] [-at TIME] [flags] [path ...]
//		Imported key material that has expired, or expires within -within
//		of -at (default now), soonest first: {"arn", "keyMaterialId",
//		"validTo", "status", "eventID"}, status expired or expiring.
//	kmstrail findings [-at TIME] [-min-severity LEVEL] [flags] [path ...]
//		The rules' findings, in time order: {"rule", "severity", "time",
//		"eventID", "eventName", "key", "principal", "account", "region",
//		"message"}. findings -h lists the rules; -deny-count and
//		-deny-window set access-denied-burst. A failed call raises no
//		finding but access-denied-burst.
//
// Each subcommand takes -fail-on SEVERITY, for CI gates: the exit status is
// 3 when the audit finds a finding of at least that severity (info, low,
// medium, high, critical), whatever -min-severity prints. Otherwise the exit
// status is as for decoding; a usage or I/O error (2) comes before 3, and 3
// before 1.
package main
