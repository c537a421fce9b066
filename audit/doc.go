// Package audit answers questions about AWS KMS keys from their CloudTrail
// records: each key's life (state, aliases, rotation, imported key
// material, open grants, policy changes), which imported key material has
// expired or expires soon, and findings such as a key scheduled for
// deletion, a public key policy or a grant to another account.
//
// Feed an Auditor the records of a trail, as kmstrail decodes them, and ask
// for a Report:
//
//	a := audit.New(audit.Options{At: time.Now()})
//	for ev, err := range kmstrail.NewReader(f).All() {
//		if err == nil {
//			a.Add(ev)
//		}
//	}
//	rep := a.Report()
//	for _, f := range rep.Findings {
//		fmt.Println(f.Severity, f.Rule, f.Key, f.Message)
//	}
//
// The package uses only kmstrail's exported API: what it reads of a record
// is what any user of kmstrail can read.
//
// # Order, duplicates and failed calls
//
// Records may come in any order (log files arrive out of order, and one
// trail may be read from several places), and CloudTrail delivers some
// records twice. The Report depends only on the set of records added, each
// eventID once: it is the same for any order and any repetition. Each key's
// records are replayed in eventTime order, then eventID order; a record
// whose eventTime is missing (zero) comes before all others and counts for
// neither FirstSeen nor LastSeen. Records that share an eventID are taken to
// be the same record, as CloudTrail's duplicates are.
//
// A failed call (a record with an errorCode) changes nothing and raises no
// finding, except access-denied-burst, which counts failures with
// AccessDenied.
//
// # Memory
//
// An Auditor keeps state per key, grant, alias and material, not per
// record: a busy account's month (ten million records over five thousand
// keys) takes well under 256 MiB. Per key it keeps:
//
//   - the records that change the key (CreateKey, EnableKey, PutKeyPolicy,
//     ImportKeyMaterial, ...), which replay needs: at most
//     Options.MaxChanges, the newest, with a note on the key when older
//     ones were dropped;
//   - of the changes that change nothing the audit reports (TagResource,
//     UntagResource, UpdateKeyDescription, SynchronizeMultiRegionKey),
//     only the newest Options.Timeline, which its timeline shows, and a
//     count of the rest;
//   - its grants: open grants, and grants to other accounts, whole;
//     retired grants as a hash of their ID; at most 100,000;
//   - a summary of the records that only use the key (Encrypt, Decrypt,
//     DescribeKey, ... most records): a distinct count (exact to 256, then
//     estimated, with a 2.3% standard error), the first and last time, and
//     at most 16 time buckets, each with its first and last record and
//     which 64ths of it saw a cryptographic use.
//
// Beyond keys, an Auditor keeps each alias's history (1,000 records per
// alias, 100,000 aliases), custom key store records (the newest 10,000),
// at most 2×DenyCount denials per principal and interval of DenyWindow
// (100,000 such intervals), and for cross-account S3 writes one summary per
// bucket and key (10,000). Two bounds are shared by all keys, so that the
// bounds per key do not multiply with the number of keys: 500,000 records
// kept in all (changes, alias histories and records naming a key that no
// record resolves; about 270 MB at most) and 1,000,000 grants tracked. A key
// itself takes about 1.3 KB, for at most about a million keys. What crosses
// a bound is counted in
// Report.Diagnostics or the key's Notes; only past those bounds can the
// order of records change what is kept.
//
// # States
//
// A key's state follows KMS's key states: CreateKey makes it Enabled, or
// PendingImport when its origin is EXTERNAL; DisableKey, Disabled; EnableKey,
// Enabled; ScheduleKeyDeletion, PendingDeletion, with the response's
// deletionDate; CancelKeyDeletion, Disabled (as KMS does); the DeleteKey
// event, Deleted. Importing material into a key PendingImport makes it
// Enabled; deleting its current material (DeleteImportedKeyMaterial, or the
// DeleteExpiredKeyMaterial event) makes it PendingImport, unless it is
// PendingDeletion. A key first seen mid-life is StateUnknown until a record
// implies its state; a successful cryptographic operation implies Enabled.
//
// A successful record that the key's state forbids (Encrypt on a Disabled
// key, EnableKey on a key pending deletion, anything after Deleted) is kept
// in the key's timeline with a note, and raises key-state-contradiction:
// the trail misses records, or its clocks disagree. The effect of a change
// is applied all the same, except after Deleted. Uses of a key are checked
// through its time buckets: every use of a key used at 16 moments or fewer,
// the first and last use of each bucket of a busier key, and the others by
// the 64ths of a bucket in which a cryptographic use succeeded (about an
// hour for a key used all month): such a slot that lies wholly in a state
// that forbids it raises the state's finding at the change that set the
// state, though no record of it is kept.
//
// # What CloudTrail cannot tell
//
// A trail says nothing of a key before its first record: the state of a key
// first seen mid-life, its aliases, grants and policy are what the records
// since say. Nor does it log when automatic rotation will next happen, or
// the key policy a key was created with when CreateKey named none (KMS's
// default). Records that name a key only by an alias are resolved by the
// alias's records in the trail, and those it cannot resolve are counted in
// Report.Diagnostics.
//
// # Rules
//
// Rules lists the rules, each with a stable ID, its severity, what fires it
// and its near miss.
package audit
