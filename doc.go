// Package kmstrail decodes AWS CloudTrail records into typed, normalized Go
// values, with a typed model of every AWS KMS event.
//
// # Records
//
// A CloudTrail record is a JSON object describing one request to an AWS
// service, or one event a service recorded itself. CloudTrail documents its
// members in the "record contents" reference; [Event] models all of them,
// keeps the free-form ones (requestParameters, responseElements, ...) as raw
// JSON, and keeps members it does not model, so that marshaling an Event
// gives back the record. A KMS record looks like this:
//
//	{
//	    "eventVersion": "1.11",
//	    "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/Alice", ...},
//	    "eventTime": "2025-05-21T05:42:31Z",
//	    "eventSource": "kms.amazonaws.com",
//	    "eventName": "ImportKeyMaterial",
//	    "awsRegion": "us-west-2",
//	    "requestParameters": {
//	        "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
//	        "validTo": "May 21, 2025, 5:47:45 AM",
//	        "expirationModel": "KEY_MATERIAL_EXPIRES",
//	        "importType": "NEW_KEY_MATERIAL"
//	    },
//	    "responseElements": {
//	        "keyId": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
//	        "keyMaterialId": "123456789abcdef0..."
//	    },
//	    "resources": [{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:..."}],
//	    "recipientAccountId": "111122223333",
//	    ...
//	}
//
// For records whose eventSource is kms.amazonaws.com, [Event].KMS is a
// [KMSCall]: the operation, the key as one canonical [KeyRef], and the typed
// request and response (here an [*ImportKeyMaterialRequest] whose ValidTo is
// 2025-05-21T05:47:45Z). KMS enums are the AWS SDK's types from
// github.com/aws/aws-sdk-go-v2/service/kms/types.
//
// # Inputs
//
// [NewReader] reads any form CloudTrail delivers records in and detects it
// from the content: S3 log files ({"Records":[...]}, plain or gzip, streamed
// one record at a time), a bare record, a JSON array of records, JSON Lines,
// EventBridge events, CloudWatch Logs subscription payloads, and
// LookupEvents output and CloudTrail Lake query results as the AWS CLI
// prints them (streamed too). [Parse] decodes input holding one record. Digest files and SNS or
// S3 notifications are recognised and reported with [ErrNoRecords]. Memory
// does not grow with the input (see [Reader]).
//
// Through the AWS SDK for Go v2, [LookupEvents] iterates over a LookupEvents
// query (event history) and [LakeRows] over CloudTrail Lake query results.
// Every form of delivery gives the same Events for the same records; only
// Event.Source says where each came from.
//
// # What is tolerated
//
// The decoder says what it did in each Event's [Diagnostic] list rather than
// failing the record:
//
//   - timestamps in every dialect CloudTrail writes ([ParseTime]): RFC 3339,
//     KMS's Java dates such as "May 21, 2025, 5:47:45 AM" and
//     "Apr 12, 2021 18:58:30 PM", Lake's "2023-01-05 13:51:00.000", epoch
//     numbers;
//   - booleans and numbers written as strings;
//   - null, {} and absent members, kept apart;
//   - values CloudTrail hid (HIDDEN_DUE_TO_SECURITY_REASONS) or omitted as
//     too large;
//   - members the model does not know, and the known case variants
//     (AWSAccountId and aWSAccountId);
//   - responseElements.keyId, null before December 2022 and the key ARN
//     since: a KeyRef resolves a key from every reference a record makes,
//     and derives the ARN from the Region and account when only an ID is
//     known;
//   - with [Reader].Repair, the syntax slips of AWS's published examples: a
//     missing or trailing comma, invalid UTF-8.
//
// # What is an error
//
// Input that is not JSON (RFC 8259), a member that appears twice with
// different values (two readers could read two different records), a value
// that is not a record, and input that crosses one of the Reader's limits.
// Each error is an [*Error] with the input's path, the record's index, the
// byte offset, line and column, and a JSON Pointer, wrapping one of the
// package's sentinel errors. A record that fails does not stop the records
// after it: records in = records decoded + records failed.
package kmstrail
