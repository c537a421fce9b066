package main

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	kt "github.com/kmstrail/kmstrail/kmstrailtest"
)

// The audit scenario: twelve keys of account 111122223333 taken through
// every state and every rule, with the records around them that each rule
// must not fire for. TestAuditScenario writes it to testdata/audit (with
// -update) as CloudTrail log files, and checks the subcommands' output on
// it against golden files; docs/audit.md shows that output.
const (
	scOrders    = "a1a1a1a1-1111-4111-8111-111111111111" // Enabled: aliases, rotation, grants, policy
	scPayments  = "b2b2b2b2-2222-4222-8222-222222222222" // imported material expiring in 9 days
	scArchive   = "c3c3c3c3-3333-4333-8333-333333333333" // imported material expired: PendingImport
	scLegacy    = "d4d4d4d4-4444-4444-8444-444444444444" // records before December 2022; material deleted
	scReports   = "e5e5e5e5-5555-4555-8555-555555555555" // first seen mid-life; Disabled
	scStaging   = "f6f6f6f6-6666-4666-8666-666666666666" // PendingDeletion
	scOldBatch  = "a7a7a7a7-7777-4777-8777-777777777777" // Deleted, then used
	scAnalytics = "b8b8b8b8-8888-4888-8888-888888888888" // deletion cancelled, left Disabled
	scRestored  = "c9c9c9c9-9999-4999-8999-999999999999" // deletion cancelled, enabled again
	scShared    = "d0d0d0d0-0000-4000-8000-000000000010" // public policy, lockout check bypassed
	scGlobal    = "mrk-5e5e5e5e5e5e45e5a5e55e5e5e5e5e5e" // multi-Region: replicated, primary moved
	scAudited   = "e1e1e1e1-1212-4212-8212-121212121212" // only read: Unknown

	scAccount  = "111122223333"
	scPartner  = "444455556666"
	scPartnerK = "arn:aws:kms:us-west-2:" + scPartner + ":key/f0f0f0f0-4444-4444-8444-444455556666"
)

func scARN(id string) string { return "arn:aws:kms:us-west-2:" + scAccount + ":key/" + id }

// when is the kit's Time option for a time of 2026.
func when(month time.Month, day, hour, minute int) kt.Option {
	return kt.Time(time.Date(2026, month, day, hour, minute, 0, 0, time.UTC))
}

func scPolicy(statement string) kmstrail.KeyPolicy {
	return kmstrail.KeyPolicy(`{
  "Version" : "2012-10-17",
  "Statement" : [ {
    "Sid" : "EnableRootAccess",
    "Effect" : "Allow",
    "Principal" : { "AWS" : "arn:aws:iam::111122223333:root" },
    "Action" : "kms:*",
    "Resource" : "*"
  }, ` + statement + ` ]
}`)
}

// scenario returns the scenario's records, grouped as CloudTrail would
// deliver them: each group is one log file (one account and Region). The
// last group repeats a record of the first: CloudTrail delivers some
// records twice.
func scenario() [][]*kmstrail.Event {
	maria, keyAdmin, ordersSvc := kt.User("maria.garcia"), kt.AssumedRole("KeyAdminRole", "j.tanaka"), kt.AssumedRole("orders-service", "task-7f3a")
	kms := kt.KMS
	create := func(id string, req *kmstrail.CreateKeyRequest, at kt.Option, opts ...kt.Option) *kmstrail.Event {
		return kms(req, nil, append([]kt.Option{kt.Key(id), at, maria}, opts...)...)
	}
	external := &kmstrail.CreateKeyRequest{Origin: types.OriginTypeExternal, KeySpec: types.KeySpecSymmetricDefault,
		KeyUsage: types.KeyUsageTypeEncryptDecrypt, Description: "imported key material"}
	symmetric := &kmstrail.CreateKeyRequest{KeySpec: types.KeySpecSymmetricDefault, KeyUsage: types.KeyUsageTypeEncryptDecrypt}
	expires := func(id string, validTo time.Time, at kt.Option, opts ...kt.Option) *kmstrail.Event {
		return kms(&kmstrail.ImportKeyMaterialRequest{KeyID: id, ValidTo: kmstrail.TimeOf(validTo),
			ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires, ImportType: types.ImportTypeNewKeyMaterial},
			nil, append([]kt.Option{at, maria}, opts...)...)
	}
	schedule := func(id string, days int32, at kt.Option) *kmstrail.Event {
		return kms(&kmstrail.ScheduleKeyDeletionRequest{KeyID: id, PendingWindowInDays: days}, nil, at, keyAdmin)
	}
	deny := func(role string, t time.Time) *kmstrail.Event {
		return kms(&kmstrail.DecryptRequest{KeyID: scARN(scOrders)}, nil, kt.AssumedRole(role, "probe"), kt.Time(t),
			kt.Failed("AccessDeniedException", "User is not authorized to perform: kms:Decrypt"))
	}
	put := func(name, bucket, event, key string, at kt.Option) *kmstrail.Event {
		return kt.Event(kt.Call("s3.amazonaws.com", event), at, kt.EventCategory("Data"), kt.AssumedRole("exporter", "nightly"),
			kt.RequestParameters(map[string]string{
				"bucketName": bucket, "key": name,
				"x-amz-server-side-encryption":                "aws:kms",
				"x-amz-server-side-encryption-aws-kms-key-id": key,
			}),
			kt.Resources(kmstrail.Resource{Type: "AWS::S3::Object", ARN: "arn:aws:s3:::" + bucket + "/" + name},
				kmstrail.Resource{Type: "AWS::S3::Bucket", AccountID: scAccount, ARN: "arn:aws:s3:::" + bucket}))
	}

	// orders: an ordinary key, named every way a record can name it.
	encryptByAlias := kms(&kmstrail.EncryptRequest{KeyID: "alias/orders"}, nil, kt.Key(scOrders), when(1, 6, 10, 0), ordersSvc)
	orders := []*kmstrail.Event{
		create(scOrders, symmetric, when(1, 5, 9, 0)),
		kms(&kmstrail.CreateAliasRequest{AliasName: "alias/orders", TargetKeyID: scOrders}, nil, when(1, 5, 9, 2), maria),
		kms(&kmstrail.EnableKeyRotationRequest{KeyID: scOrders, RotationPeriodInDays: 180}, nil, when(1, 5, 9, 3), maria),
		encryptByAlias,
		kms(&kmstrail.DecryptRequest{KeyID: scARN(scOrders)}, nil, when(1, 6, 10, 5), ordersSvc),
		// By alias ARN, with no resources to say which key: the alias's
		// history does.
		kms(&kmstrail.GenerateDataKeyRequest{KeyID: "arn:aws:kms:us-west-2:111122223333:alias/orders", KeySpec: types.DataKeySpecAes256},
			nil, when(1, 7, 11, 0), ordersSvc, kt.Resources()),
		kms(&kmstrail.DescribeKeyRequest{KeyID: scOrders}, nil, when(1, 8, 8, 0), ordersSvc),
		kms(&kmstrail.PutKeyPolicyRequest{KeyID: scOrders, PolicyName: "default", Policy: scPolicy(`{
    "Sid" : "OrganizationDecrypt",
    "Effect" : "Allow",
    "Principal" : "*",
    "Action" : "kms:Decrypt",
    "Resource" : "*",
    "Condition" : { "StringEquals" : { "aws:PrincipalOrgID" : "o-a1b2c3d4e5" } }
  }`)}, nil, when(2, 1, 14, 0), maria),
		kms(&kmstrail.CreateGrantRequest{KeyID: scARN(scOrders), GranteePrincipal: "arn:aws:iam::111122223333:role/orders-batch",
			RetiringPrincipal: "arn:aws:iam::111122223333:role/orders-batch",
			Operations:        []types.GrantOperation{types.GrantOperationDecrypt, types.GrantOperationRetireGrant}}, nil, when(2, 2, 9, 0), keyAdmin),
		kms(&kmstrail.CreateGrantRequest{KeyID: scARN(scOrders), GranteePrincipal: "arn:aws:iam::444455556666:role/partner-reader",
			Operations: []types.GrantOperation{types.GrantOperationDecrypt}}, nil, when(2, 4, 9, 0), keyAdmin),
		kms((*kmstrail.RotateKeyRequest)(nil), nil, when(3, 1, 4, 17), kt.Key(scOrders)),
		// Failed: changes nothing, raises nothing.
		kms(&kmstrail.DisableKeyRequest{KeyID: scOrders}, nil, when(3, 5, 16, 0), kt.AssumedRole("intern", "kim"),
			kt.Failed("AccessDeniedException", "User is not authorized to perform: kms:DisableKey")),
	}
	// The grant to orders-batch, retired by its grantee (KMS logs the
	// grant ID in additionalEventData).
	grantID := orders[8].KMS.Response.(*kmstrail.CreateGrantResponse).GrantID
	orders = append(orders, kms((*kmstrail.RetireGrantRequest)(nil), nil, when(2, 3, 9, 0), kt.Key(scOrders),
		kt.AssumedRole("orders-batch", "run-42"), kt.AdditionalEventData(map[string]string{"grantId": grantID})))

	payments := []*kmstrail.Event{
		create(scPayments, external, when(1, 10, 9, 0)),
		kms(&kmstrail.GetParametersForImportRequest{KeyID: scPayments, WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256,
			WrappingKeySpec: types.WrappingKeySpecRsa4096}, nil, when(1, 10, 9, 5), maria),
		expires(scPayments, time.Date(2026, 6, 10, 9, 30, 0, 0, time.UTC), when(1, 10, 9, 10)),
		kms(&kmstrail.DecryptRequest{KeyID: scPayments}, nil, when(3, 15, 12, 0), ordersSvc),
		// alias/payments-current moves from archive to payments.
		kms(&kmstrail.UpdateAliasRequest{AliasName: "alias/payments-current", TargetKeyID: scPayments}, nil, when(4, 1, 9, 0), maria),
	}
	archive := []*kmstrail.Event{
		create(scArchive, external, when(1, 12, 9, 0)),
		kms(&kmstrail.CreateAliasRequest{AliasName: "alias/payments-current", TargetKeyID: scArchive}, nil, when(1, 12, 9, 1), maria),
		expires(scArchive, time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), when(1, 12, 9, 5)),
		kms((*kmstrail.DeleteExpiredKeyMaterialRequest)(nil), nil, kt.Time(time.Date(2026, 4, 30, 0, 0, 7, 0, time.UTC)), kt.Key(scArchive)),
		// KMS refused: a near miss of key-state-contradiction.
		kms(&kmstrail.DecryptRequest{KeyID: scArchive}, nil, when(5, 2, 8, 0), ordersSvc,
			kt.Failed("KMSInvalidStateException", "is pending import")),
	}
	legacyTime := func(y int, m time.Month, d int) kt.Option {
		return kt.Time(time.Date(y, m, d, 17, 22, 48, 0, time.UTC))
	}
	legacy := []*kmstrail.Event{
		create(scLegacy, external, legacyTime(2022, 3, 1), kt.PreDecember2022()),
		kms(&kmstrail.ImportKeyMaterialRequest{KeyID: scLegacy, ValidTo: kmstrail.TimeOf(time.Date(2027, 1, 1, 20, 0, 0, 0, time.UTC)),
			ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires}, nil, legacyTime(2022, 3, 1), kt.PreDecember2022(), maria,
			kt.EventID("2c0e3f1a-7b5d-4e29-9a64-3d8f1b7c5e02")),
		kms(&kmstrail.DeleteImportedKeyMaterialRequest{KeyID: scLegacy}, nil, legacyTime(2022, 6, 14), kt.PreDecember2022(), maria,
			kt.ResponseElements(nil)),
	}
	reports := []*kmstrail.Event{
		kms(&kmstrail.DecryptRequest{KeyID: scReports}, nil, when(2, 10, 8, 0), kt.AssumedRole("reporting", "nightly")),
		kms(&kmstrail.DisableKeyRotationRequest{KeyID: scReports}, nil, when(2, 11, 15, 0), keyAdmin),
		kms(&kmstrail.DisableKeyRequest{KeyID: scReports}, nil, when(3, 1, 15, 0), keyAdmin),
		kms(&kmstrail.DecryptRequest{KeyID: scReports}, nil, when(3, 2, 8, 0), kt.AssumedRole("reporting", "nightly")),
		kms(&kmstrail.DecryptRequest{KeyID: scReports}, nil, when(3, 3, 8, 0), kt.AssumedRole("reporting", "nightly"),
			kt.Failed("DisabledException", "is disabled")),
	}
	staging := []*kmstrail.Event{
		create(scStaging, symmetric, when(1, 15, 9, 0)),
		schedule(scStaging, 7, when(5, 28, 9, 0)),
	}
	oldBatch := []*kmstrail.Event{
		create(scOldBatch, symmetric, when(1, 2, 9, 0)),
		kms(&kmstrail.CreateAliasRequest{AliasName: "alias/old-batch", TargetKeyID: scOldBatch}, nil, when(1, 2, 9, 1), maria),
		schedule(scOldBatch, 7, when(2, 1, 9, 0)),
		kms((*kmstrail.DeleteKeyRequest)(nil), nil, when(2, 8, 9, 0), kt.Key(scOldBatch)),
		kms(&kmstrail.EncryptRequest{KeyID: scOldBatch}, nil, when(2, 9, 2, 0), kt.AssumedRole("batch", "legacy-job")),
	}
	analytics := []*kmstrail.Event{
		create(scAnalytics, symmetric, when(1, 20, 9, 0)),
		schedule(scAnalytics, 30, when(3, 10, 9, 0)),
		kms(&kmstrail.CancelKeyDeletionRequest{KeyID: scAnalytics}, nil, when(3, 12, 9, 0), keyAdmin),
	}
	restored := []*kmstrail.Event{
		create(scRestored, symmetric, when(1, 21, 9, 0)),
		schedule(scRestored, 30, when(3, 10, 9, 30)),
		kms(&kmstrail.CancelKeyDeletionRequest{KeyID: scRestored}, nil, when(3, 11, 9, 0), keyAdmin),
		kms(&kmstrail.EnableKeyRequest{KeyID: scRestored}, nil, when(3, 11, 9, 5), keyAdmin),
	}
	shared := []*kmstrail.Event{
		create(scShared, &kmstrail.CreateKeyRequest{KeySpec: types.KeySpecSymmetricDefault, BypassPolicyLockoutSafetyCheck: true,
			Policy: scPolicy(`{
    "Sid" : "AnyoneDecrypt",
    "Effect" : "Allow",
    "Principal" : { "AWS" : "*" },
    "Action" : [ "kms:Decrypt", "kms:DescribeKey" ],
    "Resource" : "*"
  }`)}, when(4, 1, 10, 0)),
		kms(&kmstrail.PutKeyPolicyRequest{KeyID: scShared, PolicyName: "default", Policy: scPolicy(`{
    "Sid" : "AccountDecrypt",
    "Effect" : "Allow",
    "Principal" : { "AWS" : "*" },
    "Action" : "kms:Decrypt",
    "Resource" : "*",
    "Condition" : { "StringEquals" : { "kms:CallerAccount" : "111122223333" } }
  }`)}, nil, when(4, 2, 10, 0), kt.Service("cloudformation.amazonaws.com")),
		kms(&kmstrail.PutKeyPolicyRequest{KeyID: scShared, PolicyName: "default", Policy: `{"Version": "2012-10-17", "Statement": [ {"Effect": "Allow", `},
			nil, when(4, 3, 10, 0), maria),
	}
	globalEU := "arn:aws:kms:eu-west-1:" + scAccount + ":key/" + scGlobal
	global := []*kmstrail.Event{
		create(scGlobal, &kmstrail.CreateKeyRequest{KeySpec: types.KeySpecSymmetricDefault, MultiRegion: true}, when(1, 25, 9, 0)),
		kms(&kmstrail.ReplicateKeyRequest{KeyID: scGlobal, ReplicaRegion: "eu-west-1", Description: "replica"}, nil, when(1, 25, 9, 5), maria),
		kms(&kmstrail.UpdatePrimaryRegionRequest{KeyID: scGlobal, PrimaryRegion: "eu-west-1"}, nil, when(5, 1, 9, 0), maria),
	}
	globalEUEvents := []*kmstrail.Event{
		kms(&kmstrail.UpdatePrimaryRegionRequest{KeyID: globalEU, PrimaryRegion: "eu-west-1"}, nil, when(5, 1, 9, 0), maria, kt.Region("eu-west-1")),
		kms(&kmstrail.DecryptRequest{KeyID: globalEU}, nil, when(5, 2, 9, 0), ordersSvc, kt.Region("eu-west-1")),
	}
	audited := []*kmstrail.Event{
		kms(&kmstrail.DescribeKeyRequest{KeyID: scAudited}, nil, when(3, 20, 11, 0), kt.AssumedRole("auditor", "q1-review")),
		kms(&kmstrail.GetKeyPolicyRequest{KeyID: scAudited, PolicyName: "default"}, nil, when(3, 20, 11, 1), kt.AssumedRole("auditor", "q1-review")),
	}
	stores := []*kmstrail.Event{
		kms(&kmstrail.CreateCustomKeyStoreRequest{CustomKeyStoreName: "hsm-prod", ClusterID: "cluster-1a23b4cdefg"},
			&kmstrail.CreateCustomKeyStoreResponse{CustomKeyStoreID: "cks-1234567890abcdef0"}, when(2, 15, 10, 0), keyAdmin),
		kms(&kmstrail.ConnectCustomKeyStoreRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}, nil, when(2, 15, 10, 30), keyAdmin),
		kms(&kmstrail.DescribeCustomKeyStoresRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}, nil, when(2, 15, 10, 45), keyAdmin),
		kms(&kmstrail.DisconnectCustomKeyStoreRequest{CustomKeyStoreID: "cks-1234567890abcdef0"}, nil, when(5, 20, 22, 0), keyAdmin),
	}
	var denials []*kmstrail.Event
	for i := range 12 {
		denials = append(denials, deny("scanner", time.Date(2026, 4, 15, 3, 0, 15*i, 0, time.UTC)))
	}
	for i := range 9 { // one short of a burst
		denials = append(denials, deny("intern", time.Date(2026, 4, 16, 10, 0, 10*i, 0, time.UTC)))
	}
	writes := []*kmstrail.Event{
		put("2026/04/20/orders-1.csv", "exports-111122223333", "PutObject", scPartnerK, when(4, 20, 1, 0)),
		put("2026/04/20/orders-2.csv", "exports-111122223333", "PutObject", scPartnerK, when(4, 20, 1, 5)),
		put("2026/04/20/orders-3.csv", "exports-111122223333", "PutObject", scPartnerK, when(4, 20, 1, 10)),
		put("2026/04/20/orders-own.csv", "exports-111122223333", "PutObject", scARN(scOrders), when(4, 20, 1, 15)),
		put("2026/04/21/snapshot.db", "backups-111122223333", "CopyObject", scPartnerK, when(4, 21, 2, 0)),
	}

	var all []*kmstrail.Event
	for _, g := range [][]*kmstrail.Event{orders, payments, archive, reports, staging, oldBatch, analytics, restored, shared,
		global, audited, stores, denials, writes} {
		all = append(all, g...)
	}
	// One log file per day, as a day's delivery holds them; eu-west-1's
	// and 2022's on their own.
	groups := byDay(all)
	groups = append(groups, globalEUEvents, legacy, []*kmstrail.Event{encryptByAlias})
	return groups
}

// byDay groups events by the day of their eventTime, in order of days.
func byDay(events []*kmstrail.Event) [][]*kmstrail.Event {
	index := map[string]int{}
	var groups [][]*kmstrail.Event
	for _, ev := range events {
		d := ev.EventTime.Format(time.DateOnly)
		i, ok := index[d]
		if !ok {
			i = len(groups)
			index[d] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], ev)
	}
	return groups
}
