// Package digest reads CloudTrail digest files and validates the integrity
// of a trail's log files with them, offline (a copy of the bucket, an
// evidence archive) or in S3.
//
// # Digest files
//
// With log file validation on, CloudTrail delivers every hour, for each
// Region of a trail, a digest file to
//
//	[prefix/]AWSLogs/[o-id/]account/CloudTrail-Digest/region/yyyy/mm/dd/account_CloudTrail-Digest_region_trail_homeregion_yyyymmddThhmmssZ[_backfill].json.gz
//
// where the time is the digest's end. It lists the log files delivered in
// the hour with the SHA-256 of their decompressed bytes, and names the
// previous digest with the SHA-256 of its decompressed bytes and its
// signature, so that the digests form a chain. Backfill digests list log
// files the regular ones missed, and chain among themselves. An hour
// without log files still has its digest, with an empty list:
//
//	{
//	  "awsAccountId": "111122223333",
//	  "digestStartTime": "2025-05-21T01:01:31Z",
//	  "digestEndTime": "2025-05-21T02:01:31Z",
//	  "digestS3Bucket": "amzn-s3-demo-bucket",
//	  "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T020131Z.json.gz",
//	  "digestPublicKeyFingerprint": "d9d8e6b1ea930cf74ec2b07f287f0474",
//	  "digestSignatureAlgorithm": "SHA256withRSA",
//	  "newestEventTime": "2025-05-21T01:40:31Z",
//	  "oldestEventTime": "2025-05-21T01:05:31Z",
//	  "previousDigestS3Bucket": "amzn-s3-demo-bucket",
//	  "previousDigestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T010131Z.json.gz",
//	  "previousDigestHashValue": "5b8ce1b2e6ad62cfd1a5b5efbe2d4b0e1f0d3ab7c6f2a1c3e7f2ad1d0e9b8c7a",
//	  "previousDigestHashAlgorithm": "SHA-256",
//	  "previousDigestSignature": "8d1a…",
//	  "logFiles": [{
//	    "s3Bucket": "amzn-s3-demo-bucket",
//	    "s3Object": "AWSLogs/111122223333/CloudTrail/us-east-1/2025/05/21/111122223333_CloudTrail_us-east-1_20250521T0115Z_Ab12Cd34Ef56Gh78.json.gz",
//	    "hashValue": "f1ca3e31533e56ce65196c3c5fea1266e7fecf8f7dd7a3b4cc9388b27279680d",
//	    "hashAlgorithm": "SHA-256",
//	    "newestEventTime": "2025-05-21T01:10:00Z",
//	    "oldestEventTime": "2025-05-21T01:05:31Z"
//	  }]
//	}
//
// The signature is not in the file: it is the hex "signature" user
// metadata of the S3 object. CloudTrail signs, with RSA PKCS #1 v1.5 over
// SHA-256 and a private key of the Region, the string File.SigningString
// returns. CloudTrail's ListPublicKeys gives the public keys, each with the
// fingerprint digests name and its validity.
//
// # What is checked
//
// A Validator walks a bucket (any fs.FS whose paths are the keys:
// os.DirFS of a copy, or S3FS) and yields a Result for every digest and log
// file of the range, with a Status:
//
//   - each digest's signature, with the key its fingerprint names, valid
//     when the digest ended; its location against its digestS3Object;
//   - each link, both ways: the successor's previousDigestHashValue,
//     previousDigestSignature and previousDigestS3Bucket against the
//     digest actually read, and the successor's start against its end;
//   - gaps: a digest that starts a new chain mid-range is noted (logging
//     was off), a previous digest that is not there is missing, and so is
//     each hour between it and the older digest found, by the hourly
//     cadence, however many in a row;
//   - the end of each chain, which no successor vouches for: CloudTrail
//     delivers a digest every hour in every Region a trail logs, so a
//     Region's chain that stops more than an hour (as far as one Region
//     may lag another) before the same trail's chain in another Region
//     goes on, without restarting, lacks the hours between; and with
//     Validator.End, a chain with a digest in the range lacks the hours
//     that end more than an hour before End (or now). Each such hour is
//     a missing digest;
//   - each log file listed: present at its key (or moved), one gzip member,
//     the hash of its decompressed bytes;
//   - log files in the range that no digest lists (unlisted), and those
//     delivered too recently for any digest to list them (unverified).
//
// A digest's signature comes from the object's metadata (MetadataFile),
// else from a .sig file beside it (SigSuffix), else from its successor's
// previousDigestSignature once the successor is verified. A digest whose
// signature is nowhere is unsigned, and the log files it lists are
// unverified: their hashes match a list nobody vouched for.
//
// # Limits
//
// Hostile input gives an error or an invalid status, never a panic or
// unbounded memory: digest files are read up to DefaultMaxBytes
// decompressed (Validator.MaxDigestBytes), so a gzip bomb stops there; key
// lists up to MaxKeyListBytes; .sig files and signatures up to
// MaxSignatureBytes. Log files are streamed, hashed as they are
// decompressed, several at a time (Validator.Workers); memory grows with
// the number of keys in an account's Region and the digests' lists, not
// with the size of the files.
//
// The newest digests of a chain are known missing only by comparison, so
// some truncations cannot be told from a trail that stopped logging: the
// newest digest of one Region alone (within the hour a Region may lag),
// and every Region of a trail cut at the same hour, are reported only
// with an End after them; without End, what remains of their log files
// is unverified or unlisted, and when those are gone too nothing is
// reported. A Region with no digest left in the range read has no chain
// to compare, and Regions not selected (Validator.Regions) are not
// compared. A chain that stops when another Region's chain restarts is
// not held to the restarted one: the trail's Regions may have changed
// while logging was off.
//
// Log files do not name their trail: two trails delivering to the same
// prefix and Region share the log folder, and selecting one of them
// (Validator.Trails) reports the other's log files as unlisted. Insights
// log files (CloudTrail-Insight) are not checked.
package digest
