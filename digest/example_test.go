package digest_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

// Validate a copy of a trail's bucket: here one that digesttest writes to
// a temporary folder and signs with its test keys, and from which a log
// file was deleted. With a real copy (aws s3 sync s3://bucket DIR, and the
// .sig files of the newest digests), the keys come from the output of
// aws cloudtrail list-public-keys.
func ExampleValidator() {
	dir, err := os.MkdirTemp("", "bucket")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	b := digesttest.New()
	b.Dir = dir
	c := b.Chain(digesttest.ExampleTrail, "us-east-1")
	c.Log(time.Date(2025, 5, 21, 0, 15, 0, 0, time.UTC))
	c.Digest(time.Date(2025, 5, 21, 1, 1, 31, 0, time.UTC))
	gone := c.Log(time.Date(2025, 5, 21, 1, 45, 0, 0, time.UTC))
	c.Digest(time.Date(2025, 5, 21, 2, 1, 31, 0, time.UTC))
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(gone))); err != nil {
		log.Fatal(err)
	}

	keys, err := digest.ParsePublicKeys(bytes.NewReader(b.PublicKeysJSON()))
	if err != nil {
		log.Fatal(err)
	}
	v := &digest.Validator{FS: os.DirFS(dir), Keys: keys}
	var sum digest.Summary
	for r, err := range v.Validate(context.Background()) {
		if err != nil {
			log.Fatal(err) // a folder that could not be read
		}
		sum.Add(r)
		fmt.Println(r.Status, r.Kind, path.Base(r.Path))
		if r.Reason != "" {
			fmt.Println("\t" + r.Reason)
		}
	}
	fmt.Println(sum.String())
	// Output:
	// valid digest 111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T010131Z.json.gz
	// valid log 111122223333_CloudTrail_us-east-1_20250521T0015Z_A0B0C0D000000002.json.gz
	// valid digest 111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T020131Z.json.gz
	// missing log 111122223333_CloudTrail_us-east-1_20250521T0145Z_A0B0C0D000000004.json.gz
	// 	not found
	// 2/2 digest files valid, 1/2 log files valid, 1 MISSING
}

// Check one digest's signature by hand: the signature is the digest
// object's "signature" metadata (here, what digesttest saved beside it).
func ExampleFile_Verify() {
	b := digesttest.New()
	key := b.Chain(digesttest.ExampleTrail, "us-east-1").Digest(time.Date(2025, 5, 21, 1, 1, 31, 0, time.UTC))

	f, err := digest.Read(bytes.NewReader(b.Files[key].Data))
	if err != nil {
		log.Fatal(err)
	}
	keys, err := digest.ParsePublicKeys(bytes.NewReader(b.PublicKeysJSON()))
	if err != nil {
		log.Fatal(err)
	}
	signature := string(b.Files[key+digest.SigSuffix].Data)
	fmt.Println(f.DigestEndTime, len(f.LogFiles), f.Verify(signature, keys))
	f.DigestS3Bucket = "another-bucket"
	fmt.Println(f.Verify(signature, keys))
	// Output:
	// 2025-05-21T01:01:31Z 0 <nil>
	// signature does not verify: bad signature for key d9d8e6b1ea930cf74ec2b07f287f0474
}
