// Kmstrail reads AWS CloudTrail records and prints them, with the typed,
// normalized view of every AWS KMS event.
//
// Usage:
//
//	kmstrail [flags] [path ...]
//
// Each path is a file or a directory. Directories are walked recursively
// for .json, .json.gz, .jsonl and .jsonl.gz files, as CloudTrail lays them
// out in S3 (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/); digest
// folders (CloudTrail-Digest) are skipped with a note. With no path, or the
// path "-", kmstrail reads standard input. The form of each input (a log
// file, a bare record, JSON Lines, EventBridge events, CloudWatch Logs
// payloads, LookupEvents output, CloudTrail Lake query results; plain or
// gzip) is detected from its content.
//
// The flags are:
//
//	-o table
//		Print one line per record for people: time, event, principal,
//		key and a detail (such as imported key material's expiry), in
//		100 columns.
//	-o json
//		Print one normalized JSON object per record (JSON Lines): the
//		envelope's main members, where the record came from ("source"),
//		and for KMS events "kms" with the operation, the key, and the
//		typed request and response (wire member names, times in RFC 3339
//		UTC).
//	-o raw
//		Print each record's bytes as read, compacted, one per line.
//	-repair
//		Accept the syntax slips of AWS's published examples (missing and
//		trailing commas, invalid UTF-8).
//	-diagnostics
//		Also print each record's diagnostics to standard error.
//	-max-record-bytes n
//		The largest record, and the largest envelope read whole, in bytes
//		(default 16 MiB). Log files, LookupEvents output and Lake results
//		are streamed, and need it raised only for a single record that
//		large; EventBridge events and CloudWatch Logs payloads are read
//		whole.
//
// Errors go to standard error as path:line:col: record N: message, and the
// records around a failed one are still printed. Inputs that hold no
// records, such as digest files and notifications, are noted on standard
// error.
//
// The exit status is 0 when every record decoded, 1 when some records
// failed, and 2 for a usage or I/O error.
//
// # Verify
//
// Usage:
//
//	kmstrail verify [flags] DIR | s3://bucket[/prefix]
//
// Verify validates the integrity of a trail's log files with CloudTrail's
// digest files: each digest's signature and location, the chain of digests
// (both ways, hour by hour, every missing digest however many in a row),
// and each log file listed (present, one gzip member, its SHA-256). It
// also reports log files that no digest lists. DIR is a copy of the bucket
// (aws s3 sync s3://bucket DIR), whose top holds AWSLogs/ or the trail's
// prefix; each digest's signature is read from a file beside it named
// after it with .sig added (what aws s3api head-object --query
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
//		the log files delivered in them.
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
package main
