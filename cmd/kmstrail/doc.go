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
package main
