package digest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// validate runs a Validator over fsys with the builder's public keys and
// returns its results.
func validate(t *testing.T, fsys fstest.MapFS, keysJSON []byte, setup ...func(*digest.Validator)) []digest.Result {
	t.Helper()
	keys, err := digest.ParsePublicKeys(bytes.NewReader(keysJSON))
	require.NoError(t, err)
	v := &digest.Validator{FS: fsys, Keys: keys}
	for _, f := range setup {
		f(v)
	}
	var out []digest.Result
	for r, err := range v.Validate(context.Background()) {
		require.NoError(t, err)
		out = append(out, r)
	}
	return out
}

// fixture returns a fresh copy of the standard fixture.
func fixture() (*digesttest.Builder, *digesttest.Layout) {
	b := digesttest.New()
	return b, digesttest.Fixture(b)
}

// statuses maps each result's path to its status.
func statuses(rs []digest.Result) map[string]digest.Status {
	m := map[string]digest.Status{}
	for _, r := range rs {
		m[r.Path] = r.Status
	}
	return m
}

// golden compares results with testdata/name.golden, one JSON object a
// line.
func golden(t *testing.T, name string, rs []digest.Result) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range rs {
		require.NoError(t, enc.Encode(r))
	}
	p := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(p)
	require.NoError(t, err, "run go test -update to write it")
	assert.Equal(t, string(want), buf.String(), "mismatch with %s (go test -update rewrites it)", p)
}

func TestValidateFixture(t *testing.T) {
	b, l := fixture()
	rs := validate(t, b.Files, b.PublicKeysJSON())
	var sum digest.Summary
	for _, r := range rs {
		sum.Add(r)
		assert.Equal(t, digest.Valid, r.Status, "%s: %s", r.Path, r.Reason)
	}
	digests := len(l.East) + len(l.EastRestart) + len(l.West) + len(l.Org) + 1
	assert.Equal(t, "17/17 digest files valid, 21/21 log files valid", sum.String())
	assert.Equal(t, digests, 17)
	assert.Len(t, l.Logs, 21)
	golden(t, "valid", rs)
}

// gunzip decompresses a fixture file.
func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return out
}
