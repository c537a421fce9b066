package digest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

// fastRetryer retries as the SDK's standard retryer does, with backoffs
// of at most a millisecond.
func fastRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = time.Millisecond })
}

// clients returns the real SDK clients pointed at a local server.
func clients(url string) (*s3.Client, *cloudtrail.Client) {
	s3c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), UsePathStyle: true,
		Credentials: aws.AnonymousCredentials{}, Retryer: fastRetryer()})
	ctc := cloudtrail.New(cloudtrail.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: aws.AnonymousCredentials{}, Retryer: fastRetryer()})
	return s3c, ctc
}

// TestOnline validates the fixture in a bucket served locally, through the
// real S3 and CloudTrail clients: signatures come from the objects'
// metadata, keys from ListPublicKeys in each Region, and every first
// request is throttled.
func TestOnline(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(b *digesttest.Builder, l *digesttest.Layout)
		golden string
	}{
		{"valid", func(*digesttest.Builder, *digesttest.Layout) {}, "valid"},
		{"log-deleted", func(b *digesttest.Builder, l *digesttest.Layout) { delete(b.Files, l.EastLogs[2][1]) }, "tampered/log-deleted"},
		// Without its metadata the newest digest is unsigned: S3FS looks
		// for no .sig file, and the server hides them.
		{"sig-missing", func(b *digesttest.Builder, l *digesttest.Layout) { delete(b.Files, l.East[5]+digest.SigSuffix) }, "tampered/sig-missing"},
		// The newest digests of a Region deleted with their log files: the
		// other Region's chain shows them missing, online as offline.
		{"newest-deleted-3-logs", tampering(t, "newest-deleted-3-logs"), "tampered/newest-deleted-3-logs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, l := fixture()
			tc.tamper(b, l)
			srv := digesttest.NewServer(b, digesttest.ExampleTrail.Bucket)
			defer srv.Close()
			s3c, ctc := clients(srv.URL)
			v := &digest.Validator{
				FS:     &digest.S3FS{Client: s3c, Bucket: digesttest.ExampleTrail.Bucket},
				Keys:   &digest.CloudTrailKeys{Client: ctc},
				Bucket: digesttest.ExampleTrail.Bucket,
			}
			var rs []digest.Result
			for r, err := range v.Validate(context.Background()) {
				require.NoError(t, err)
				rs = append(rs, r)
			}
			golden(t, tc.golden, rs)
			assert.Greater(t, srv.Requests("ListObjectsV2"), 10, "folders are listed a page at a time")
			// Two pages for each account's Region (eu-west-1, us-east-1, the
			// organization trail's us-east-1), and the throttled call.
			assert.Equal(t, 3*2+1, srv.Requests("ListPublicKeys"))
		})
	}
}

// tampering returns the Apply of the tampering named.
func tampering(t *testing.T, name string) func(*digesttest.Builder, *digesttest.Layout) {
	for _, tc := range digesttest.Tamperings {
		if tc.Name == name {
			return func(b *digesttest.Builder, l *digesttest.Layout) { tc.Apply(b.Files, l) }
		}
	}
	t.Fatalf("no tampering %q", name)
	return nil
}

// TestS3FSMissingBucket reports an error for a bucket that is not there.
func TestS3FSMissingBucket(t *testing.T) {
	b, _ := fixture()
	srv := digesttest.NewServer(b, "amzn-s3-demo-bucket")
	defer srv.Close()
	s3c, ctc := clients(srv.URL)
	v := &digest.Validator{FS: &digest.S3FS{Client: s3c, Bucket: "no-such-bucket"}, Keys: &digest.CloudTrailKeys{Client: ctc}}
	var errs []error
	for _, err := range v.Validate(context.Background()) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.NotEmpty(t, errs)
	assert.ErrorContains(t, errs[0], "NoSuchBucket")
}
