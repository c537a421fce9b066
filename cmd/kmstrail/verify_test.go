package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

// verify runs kmstrail verify in-process and returns its exit status,
// standard output and standard error.
func verify(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := subcommands["verify"].run(args, stdio{in: strings.NewReader(""), out: &out, err: &errOut})
	return code, out.String(), errOut.String()
}

// writeFixture writes the standard fixture, changed by tamper when it is
// not nil, to a folder, with the key list beside it.
func writeFixture(t *testing.T, tamper *digesttest.Tampering) (dir, keys string) {
	t.Helper()
	b := digesttest.New()
	l := digesttest.Fixture(b)
	keyList := b.PublicKeysJSON()
	if tamper != nil {
		tamper.Apply(b.Files, l)
		if tamper.Keys != nil {
			keyList = tamper.Keys(b)
		}
	}
	top := t.TempDir()
	dir = filepath.Join(top, "bucket")
	require.NoError(t, b.WriteDir(dir))
	keys = filepath.Join(top, "keys.json")
	require.NoError(t, os.WriteFile(keys, keyList, 0o644))
	return dir, keys
}

func TestVerifyValid(t *testing.T) {
	dir, keys := writeFixture(t, nil)
	code, out, stderr := verify(t, "-public-keys", keys, dir)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 17+21+1)
	for _, line := range lines[:len(lines)-1] {
		assert.True(t, strings.HasPrefix(line, "valid "), line)
	}
	assert.Equal(t, "17/17 digest files valid, 21/21 log files valid", lines[len(lines)-1])
	assert.Contains(t, out, "valid       digest  AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/05/21/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20250521T080131Z.json.gz  the chain restarts here")
}

// TestVerifyOnlyNewestSigs: the next digest's previousDigestSignature
// stands for every .sig but the newest of each chain.
func TestVerifyOnlyNewestSigs(t *testing.T) {
	dir, keys := writeFixture(t, nil)
	var sigs []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if strings.HasSuffix(p, digest.SigSuffix) {
			sigs = append(sigs, p)
		}
		return err
	}))
	kept := 0
	for _, p := range sigs {
		// The chains' newest: 06:01 and 09:01 in us-east-1 and 06:01 in
		// eu-west-1, the backfill digest, the organization trail's 02:01.
		if strings.Contains(p, "T060131Z") || strings.Contains(p, "T090131Z") || strings.Contains(p, "_backfill") ||
			strings.Contains(p, "org-trail") && strings.Contains(p, "T020131Z") {
			kept++
			continue
		}
		require.NoError(t, os.Remove(p))
	}
	require.Equal(t, 5, kept)
	code, out, stderr := verify(t, "-public-keys", keys, dir)
	assert.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasSuffix(out, "\n17/17 digest files valid, 21/21 log files valid\n"), out)
}

// TestVerifyTampered runs every tampering of the fixture: the JSON output
// is the library's (its golden files), and the exit status the one
// documented for what was found.
func TestVerifyTampered(t *testing.T) {
	for _, tc := range digesttest.Tamperings {
		t.Run(tc.Name, func(t *testing.T) {
			dir, keys := writeFixture(t, &tc)
			args := []string{"-o", "json", "-public-keys", keys}
			if !tc.Start.IsZero() {
				args = append(args, "-start", tc.Start.Format(time.RFC3339))
			}
			if !tc.End.IsZero() {
				args = append(args, "-end", tc.End.Format(time.RFC3339))
			}
			code, out, stderr := verify(t, append(args, dir)...)
			assert.Equal(t, tc.Exit, code, stderr)
			want, err := os.ReadFile(filepath.Join("..", "..", "digest", "testdata", "tampered", tc.Name+".golden"))
			require.NoError(t, err)
			assert.Equal(t, string(want), out)
			assert.Equal(t, tc.Summary+"\n", stderr)
		})
	}
}

func TestVerifySelection(t *testing.T) {
	dir, keys := writeFixture(t, nil)
	for _, tc := range []struct {
		name    string
		args    []string
		summary string
	}{
		{"region", []string{"-region", "eu-west-1"}, "6/6 digest files valid, 6/6 log files valid"},
		{"regions", []string{"-region", "eu-west-1,us-east-1", "-region", "ap-south-1"}, "17/17 digest files valid, 21/21 log files valid"},
		{"trail", []string{"-trail", "org-trail"}, "2/2 digest files valid, 2/2 log files valid"},
		{"account", []string{"-account", "444455556666"}, "0/0 digest files valid, 0/0 log files valid"},
		// 02:01:31 to 04:01:31: the digests of the hours ending 03:01:31
		// and 04:01:31 in both Regions and the backfill one (ending 03:31:31,
		// listing a log of 02:51); the log files they list.
		{"range", []string{"-start", "2025-05-21T02:01:31Z", "-end", "2025-05-21T04:01:31Z"}, "5/5 digest files valid, 5/5 log files valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := verify(t, append(append([]string{"-public-keys", keys}, tc.args...), dir)...)
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			assert.Equal(t, tc.summary, lines[len(lines)-1], stderr)
			if strings.HasPrefix(tc.summary, "0/0") {
				assert.Equal(t, 1, code, "nothing validated is not a success")
				assert.Contains(t, stderr, "nothing was validated")
			} else {
				assert.Equal(t, 0, code, stderr)
			}
		})
	}
}

func TestVerifyUsage(t *testing.T) {
	dir, keys := writeFixture(t, nil)
	garbage := filepath.Join(t.TempDir(), "garbage.json")
	require.NoError(t, os.WriteFile(garbage, []byte(`{"PublicKeyList": [{"Value": "bm90IGEga2V5"}]}`), 0o644))
	notList := filepath.Join(t.TempDir(), "keys.json")
	require.NoError(t, os.WriteFile(notList, []byte(`{"Keys": []}`), 0o644))
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"help", []string{"-h"}, 0, "usage: kmstrail verify"},
		{"no target", []string{"-public-keys", keys}, 2, "want one DIR"},
		{"two targets", []string{"-public-keys", keys, dir, dir}, 2, "want one DIR"},
		{"no keys offline", []string{dir}, 2, "-public-keys is needed"},
		{"bad format", []string{"-o", "xml", "-public-keys", keys, dir}, 2, `unknown output format "xml"`},
		{"bad time", []string{"-start", "yesterday", "-public-keys", keys, dir}, 2, "is not an RFC 3339 time"},
		{"empty range", []string{"-start", "2025-05-21", "-end", "2025-05-20", "-public-keys", keys, dir}, 2, "is not before"},
		{"no such dir", []string{"-public-keys", keys, dir + "/nope"}, 2, "no such file"},
		{"not a dir", []string{"-public-keys", keys, keys}, 2, "is not a directory"},
		{"no such keys", []string{"-public-keys", keys + ".nope", dir}, 2, "no such file"},
		{"garbage keys", []string{"-public-keys", garbage, dir}, 2, "/PublicKeyList/0/Value"},
		{"keys not a list", []string{"-public-keys", notList, dir}, 2, `no "PublicKeyList" member`},
		{"no bucket", []string{"s3://"}, 2, "no bucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := verify(t, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			if code == 0 {
				stderr = stdout // -h prints the usage on standard output
			}
			assert.Contains(t, stderr, tc.msg)
		})
	}
}

// TestVerifyOnline validates the fixture in a bucket served locally, with
// the default AWS configuration (from the environment here) and
// -endpoint-url for both S3 and CloudTrail.
func TestVerifyOnline(t *testing.T) {
	b := digesttest.New()
	digesttest.Fixture(b)
	srv := digesttest.NewServer(b, digesttest.ExampleTrail.Bucket)
	defer srv.Close()
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_REGION": "eu-central-1", "AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_S3": ""} {
		t.Setenv(k, v)
	}
	old := awsConfigOptions
	defer func() { awsConfigOptions = old }()
	awsConfigOptions = []func(*config.LoadOptions) error{config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = time.Millisecond })
	})}

	code, out, stderr := verify(t, "-o", "json", "-endpoint-url", srv.URL, "s3://"+digesttest.ExampleTrail.Bucket)
	assert.Equal(t, 0, code, stderr)
	want, err := os.ReadFile(filepath.Join("..", "..", "digest", "testdata", "valid.golden"))
	require.NoError(t, err)
	assert.Equal(t, string(want), out)
	assert.Equal(t, 2, srv.Requests("GetBucketLocation"), "asked once, after a throttled try")

	code, out, stderr = verify(t, "-endpoint-url", srv.URL, "s3://"+digesttest.ExampleTrail.Bucket+"/org")
	assert.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasSuffix(out, "\n2/2 digest files valid, 2/2 log files valid\n"), out)
}

// TestVerifyKeysPerRegion: one key list per Region, as list-public-keys
// gives them.
func TestVerifyKeysPerRegion(t *testing.T) {
	dir, keys := writeFixture(t, nil)
	data, err := os.ReadFile(keys)
	require.NoError(t, err)
	var list struct{ PublicKeyList []json.RawMessage }
	require.NoError(t, json.Unmarshal(data, &list))
	require.Len(t, list.PublicKeyList, 2)
	var args []string
	for i, k := range list.PublicKeyList {
		name := filepath.Join(t.TempDir(), fmt.Sprintf("keys-%d.json", i))
		require.NoError(t, os.WriteFile(name, []byte(`{"PublicKeyList":[`+string(k)+`]}`), 0o644))
		args = append(args, "-public-keys", name)
	}
	code, out, stderr := verify(t, append(args, dir)...)
	assert.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasSuffix(out, "\n17/17 digest files valid, 21/21 log files valid\n"), out)
	code, _, _ = verify(t, args[0], args[1], dir)
	assert.Equal(t, 1, code, "one Region's key is not enough")
}
