package jsonscan

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLocatorPosition: positions counted on from the last one agree with
// positions counted from the start, in any order of offsets.
func TestLocatorPosition(t *testing.T) {
	text := []byte("{\n  \"a\": 1,\n\n  \"b\": [1,\n 2]\n}\n")
	naive := func(o int) (int, int) {
		line, col := 3, 7+o // the value starts at 3:7
		if nl := bytes.LastIndexByte(text[:o], '\n'); nl >= 0 {
			line += bytes.Count(text[:o], []byte{'\n'})
			col = o - nl
		}
		return line, col
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, order := range [][]int{
		{0, 1, 2, 5, 12, 13, 20, len(text)},
		{len(text), 0, 13, 12, 13, 2, 30},
		rng.Perm(len(text) + 1),
	} {
		l := &Locator{Orig: text, Start: 100, Line: 3, Col: 7}
		for _, o := range order {
			off, line, col := l.Position(o)
			wantLine, wantCol := naive(o)
			assert.Equal(t, [3]int{100 + o, wantLine, wantCol}, [3]int{int(off), line, col}, "offset %d", o)
		}
	}
}
