package jsonscan

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSWAR checks the eight-bytes-at-a-time scans against a byte loop, with
// every byte value at every position of a word and after a plain run.
func TestSWAR(t *testing.T) {
	naive := func(b []byte, special func(byte) bool) int {
		for i, c := range b {
			if special(c) {
				return i
			}
		}
		return len(b)
	}
	scanner := func(c byte) bool { return !plainString[c] }
	quote := func(c byte) bool { return c == '"' || c == '\\' }
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(b []byte) {
		require.Equal(t, naive(b, scanner), stringSpecial(b), "stringSpecial(%q)", b)
		require.Equal(t, naive(b, quote), QuoteOrEscape(string(b)), "QuoteOrEscape(%q)", b)
	}
	for c := range 256 {
		for pos := range 20 {
			b := make([]byte, 24)
			for i := range b {
				b[i] = 'a' + byte(i%26)
			}
			b[pos] = byte(c)
			check(b)
			// Random bytes after the first special one must not matter.
			for i := pos + 1; i < len(b); i++ {
				b[i] = byte(rng.IntN(256))
			}
			check(b)
		}
	}
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		check(b)
	}
}
