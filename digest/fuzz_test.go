package digest_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmstrail/kmstrail/digest"
	"github.com/kmstrail/kmstrail/digest/digesttest"
)

// FuzzParse: Parse never panics, its errors are *Error values that print,
// and Read of the same bytes gzip-compressed agrees with it.
func FuzzParse(f *testing.F) {
	b := digesttest.New()
	c := b.Chain(digesttest.ExampleTrail, "us-east-1")
	k1 := c.Digest(digesttest.Hour(1))
	c.Log(digesttest.Hour(1).Add(15 * 60e9))
	k2 := c.Digest(digesttest.Hour(2))
	for _, k := range []string{k1, k2} {
		zr, err := gzip.NewReader(bytes.NewReader(b.Files[k].Data))
		require.NoError(f, err)
		data, err := io.ReadAll(zr)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"logFiles":[{"hashValue":"00"}]}`))
	f.Add([]byte(`{"digestEndTime":1700000000,"previousDigestSignature":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := digest.Parse(data)
		gz, gzErr := digest.Read(bytes.NewReader(digesttest.Gzip(data)))
		if err != nil {
			var e *digest.Error
			require.True(t, errors.As(err, &e), "%T is not a *digest.Error", err)
			assert.NotEmpty(t, err.Error())
			assert.ErrorIs(t, err, digest.ErrFormat)
			if len(data) <= digest.DefaultMaxBytes {
				assert.Equal(t, err.Error(), gzErr.Error(), "Read agrees")
			}
			return
		}
		require.NoError(t, gzErr)
		assert.Equal(t, file, gz, "Read agrees")
		assert.NotEmpty(t, file.SigningString())
	})
}
