package digest

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
)

// hasher hashes log files as it decompresses them. One is used by one
// goroutine at a time; the pool keeps their buffers and inflaters, so
// hashing many files allocates little.
type hasher struct {
	br  *bufio.Reader
	zr  *gzip.Reader
	h   hash.Hash
	buf []byte
}

var hashers = sync.Pool{New: func() any {
	return &hasher{br: bufio.NewReaderSize(nil, 64<<10), h: sha256.New(), buf: make([]byte, 64<<10)}
}}

// errNotGzip, errTruncated and the like are what hashLog reports; they
// become a Result's reason.
var errNotGzip = errors.New("not a gzip file")

// hashLog returns the SHA-256 of a log file's decompressed bytes, of which
// there may be at most limit. The file must be one gzip member, as
// CloudTrail writes it: data after it is ErrTrailingData.
func hashLog(r io.Reader, limit int64) ([32]byte, error) {
	var sum [32]byte
	hs := hashers.Get().(*hasher)
	defer hashers.Put(hs)
	hs.br.Reset(r)
	defer hs.br.Reset(nil)
	var err error
	if hs.zr == nil {
		hs.zr, err = gzip.NewReader(hs.br)
	} else {
		err = hs.zr.Reset(hs.br)
	}
	if err != nil {
		if errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.EOF) {
			return sum, errNotGzip
		}
		return sum, err
	}
	hs.zr.Multistream(false)
	hs.h.Reset()
	n, err := io.CopyBuffer(hs.h, io.LimitReader(hs.zr, limit+1), hs.buf)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return sum, errors.New("truncated gzip data")
	case err != nil:
		return sum, fmt.Errorf("damaged gzip data: %w", err)
	case n > limit:
		return sum, fmt.Errorf("more than %d bytes decompressed", limit)
	}
	if _, err := hs.br.Peek(1); err != io.EOF {
		if err != nil {
			return sum, err
		}
		return sum, ErrTrailingData
	}
	hs.h.Sum(sum[:0])
	return sum, nil
}
