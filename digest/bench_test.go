package digest_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

// The benchmark's tree. By default it is small, so that go test -bench
// stays quick; with KMSTRAIL_VERIFY_BENCH=large it is the issue's: 10,000
// log files, 1 GiB decompressed, kept in KMSTRAIL_VERIFY_TREE (default
// $TMPDIR/kmstrail-verify-tree) with its key list in keys.json, to be
// compared with
//
//	find DIR -name '*.json.gz' | xargs cat | gunzip | sha256sum
//	kmstrail verify -public-keys DIR/keys.json DIR
const (
	smallLogs, largeLogs = 200, 10_000
	logBytes             = 1 << 30 / largeLogs // about 107 KB a file
)

// logBody returns a log file of about n bytes of KMS records, varied as
// real ones are, so that it compresses as they do (about 10:1).
func logBody(r *rand.Rand, region string, t time.Time, n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"Records":[`)
	ops := []string{"Decrypt", "GenerateDataKey", "Encrypt", "DescribeKey", "ReEncrypt"}
	for i := 0; b.Len() < n-1200; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"eventVersion":"1.11","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE%06d:session-%d","arn":"arn:aws:sts::111122223333:assumed-role/app-%d/session-%d","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE%09d","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE%06d","arn":"arn:aws:iam::111122223333:role/app-%d","accountId":"111122223333","userName":"app-%d"},"attributes":{"creationDate":"%s","mfaAuthenticated":"false"}}},`,
			r.IntN(1e6), r.IntN(1e4), r.IntN(50), r.IntN(1e4), r.IntN(1e9), r.IntN(1e6), r.IntN(50), r.IntN(50), t.Add(-time.Duration(r.IntN(3600))*time.Second).Format(time.RFC3339))
		fmt.Fprintf(&b, `"eventTime":"%s","eventSource":"kms.amazonaws.com","eventName":"%s","awsRegion":"%s","sourceIPAddress":"10.%d.%d.%d","userAgent":"aws-sdk-go-v2/1.%d.0 os/linux lang/go#1.26","requestParameters":{"keyId":"arn:aws:kms:%s:111122223333:key/%08x-1234-4abc-8def-%012x","encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":null,"requestID":"%08x-%04x-4%03x-8%03x-%012x","eventID":"%08x-%04x-4%03x-9%03x-%012x","readOnly":true,"resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:%s:111122223333:key/%08x-1234-4abc-8def-%012x"}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}`,
			t.Add(-time.Duration(r.IntN(600))*time.Second).Format(time.RFC3339), ops[r.IntN(len(ops))], region, r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(60),
			region, r.Uint32()%64, r.Uint64()%4096, r.Uint32(), r.Uint32()%65536, r.IntN(4096), r.IntN(4096), r.Uint64()%(1<<48),
			r.Uint32(), r.Uint32()%65536, r.IntN(4096), r.IntN(4096), r.Uint64()%(1<<48), region, r.Uint32()%64, r.Uint64()%4096)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// benchTree writes (or finds) the benchmark's tree, and returns its folder,
// its key list and the decompressed size of its log files.
func benchTree(b *testing.B) (dir string, keys digest.Keys, size int64) {
	logs := smallLogs
	dir = filepath.Join(b.TempDir(), "tree")
	if os.Getenv("KMSTRAIL_VERIFY_BENCH") == "large" {
		logs = largeLogs
		dir = os.Getenv("KMSTRAIL_VERIFY_TREE")
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "kmstrail-verify-tree")
		}
	}
	done := filepath.Join(dir, ".complete")
	bd := digesttest.New()
	if data, err := os.ReadFile(done); err == nil {
		fmt.Sscan(string(data), &size)
	} else {
		b.Logf("writing %d log files to %s", logs, dir)
		size = writeBenchTree(b, bd, dir, logs)
		// keys.json, for kmstrail verify -public-keys; the walk passes it
		// over.
		if err := os.WriteFile(filepath.Join(dir, "keys.json"), bd.PublicKeysJSON(), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(done, []byte(fmt.Sprint(size)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	keys, err := digest.ParsePublicKeys(bytes.NewReader(bd.PublicKeysJSON()))
	if err != nil {
		b.Fatal(err)
	}
	return dir, keys, size
}

// writeBenchTree writes logs log files in two Regions, 100 an hour, with
// their digests.
func writeBenchTree(b *testing.B, bd *digesttest.Builder, dir string, logs int) int64 {
	bd.Dir = dir
	const perHour = 100
	var size int64
	for ri, region := range []string{"us-east-1", "eu-west-1"} {
		c := bd.Chain(digesttest.ExampleTrail, region)
		start := time.Date(2025, 5, 21, 0, 1, 31, 0, time.UTC)
		for h := 0; h*perHour < logs/2; h++ {
			// Build the hour's bodies in parallel: compressing them is
			// most of the time.
			bodies := make([][]byte, perHour)
			var wg sync.WaitGroup
			for i := range bodies {
				wg.Go(func() {
					r := rand.New(rand.NewPCG(uint64(ri), uint64(h*perHour+i)))
					bodies[i] = logBody(r, region, start.Add(time.Duration(h)*time.Hour), logBytes)
				})
			}
			wg.Wait()
			for i, body := range bodies {
				t := start.Add(time.Duration(h)*time.Hour + time.Duration(i*30)*time.Second)
				c.LogBody(t, body, t.Add(-10*time.Minute), t)
				size += int64(len(body))
			}
			c.Digest(start.Add(time.Duration(h+1) * time.Hour))
		}
	}
	return size
}

// BenchmarkValidate validates a tree on disk, digests and log files, as
// kmstrail verify does. MB/s counts decompressed log bytes.
func BenchmarkValidate(b *testing.B) {
	dir, keys, size := benchTree(b)
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			v := &digest.Validator{FS: os.DirFS(dir), Keys: keys, Workers: workers}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for r, err := range v.Validate(context.Background()) {
					if err != nil || r.Status != digest.Valid {
						b.Fatalf("%v %s %s %s", err, r.Status, r.Path, r.Reason)
					}
					n++
				}
				if n == 0 {
					b.Fatal("nothing validated")
				}
			}
		})
	}
}
