package kmstrail

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
)

// This file is the Reader's input: it detects gzip, decompresses (on a
// goroutine of its own once the Reader reads on one, see readState.run),
// and enforces the input limits, before the scanner sees a byte.

// input is the Reader's input, as the stream reads it.
type input struct {
	started bool
	r       *limitedInput   // what the stream's scanner reads
	raw     *countingReader // the input as read, before decompression
	budget  *payloadBudget  // of the input's Lambda payloads (see payloads)
}

// start opens the input: detects gzip, applies the input limits, and sets
// up the stream.
func (r *readState) start() {
	r.in.started = true
	in, err := r.open(r.src)
	if err != nil {
		r.fail(err)
		return
	}
	s := &r.q.bufs.scan
	r.in.r = &limitedInput{r: in, max: r.lim.inputBytes, limit: r.lim.inputField, payload: r.payloadOf}
	s.Reset(r.in.r, r.lim.scan(r.Repair))
	r.st = stream{s: s, repair: r.Repair, budget: int64(r.lim.recordBytes)}
	if s.SkipBOM() {
		r.st.pending = append(r.st.pending, bomRepair)
	}
}

// bomRepair is the diagnostic of a byte order mark skipped (see
// jsonscan.Scanner.SkipBOM).
var bomRepair = Diagnostic{Kind: Repaired, Offset: 0, Line: 1, Column: 1,
	Message: "skipped the UTF-8 byte order mark that starts the input"}

// payloads returns the budget the input's Lambda payloads decode within:
// the one this Reader's input counts against, if it is a payload itself.
func (r *readState) payloads() *payloadBudget {
	if r.payloadOf != nil {
		return r.payloadOf
	}
	if r.in.budget == nil {
		r.in.budget = &payloadBudget{raw: r.in.raw, maxRatio: int64(r.lim.compressionRatio)}
	}
	return r.in.budget
}

// open returns the input's content: decompressed when it starts with the
// gzip magic bytes.
func (r *readState) open(src io.Reader) (io.Reader, error) {
	if r.q.bufs.in == nil {
		r.q.bufs.in = bufio.NewReaderSize(nil, 64<<10)
	}
	br := r.q.bufs.in
	counted := &countingReader{r: src}
	r.in.raw = counted
	br.Reset(counted)
	magic, _ := br.Peek(2)
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil
	}
	if r.q.bufs.gz == nil {
		r.q.bufs.gz = new(gzip.Reader)
	}
	gz := r.q.bufs.gz
	if err := gz.Reset(br); err != nil { // br is an io.ByteReader: gz reads no further than it must
		return nil, &Error{Path: r.Path, Record: -1, Err: readFault(err)}
	}
	gz.Multistream(false)
	return &gzipInput{gz: gz, br: br, src: counted, maxRatio: int64(r.lim.compressionRatio)}, nil
}

// countingReader counts the bytes read through it, below the bufio.Reader
// that gzip reads byte by byte: a ReadByte of its own above the bufio.Reader
// cost 5% of the CPU of reading a gzip file. The count is read by the
// readers of Lambda payloads too (see payloadBudget), on other goroutines.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// gzipInput decompresses one gzip member, guarding against compression
// bombs, and reports data after the member as an error: a CloudTrail log
// file is one member, and anything appended to it is not silently joined.
type gzipInput struct {
	gz       *gzip.Reader
	br       *bufio.Reader   // what gz reads
	src      *countingReader // what br reads
	out      int64
	maxRatio int64
	err      error
}

func (g *gzipInput) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.gz.Read(p)
	g.out += int64(n)
	in := g.src.n.Load() - int64(g.br.Buffered()) // compressed bytes gz has read
	if g.out > 1<<20 && in > 0 && g.out/in > g.maxRatio {
		g.err = limitError("MaxCompressionRatio", int64(g.maxRatio), "gzip input expands more than %d times", g.maxRatio)
		return n, g.err
	}
	if err == io.EOF {
		if extra, _ := g.br.Peek(1); len(extra) > 0 {
			g.err = errorf(ErrTrailingData, fmt.Sprintf("data after the gzip member at compressed offset %d", in))
			return n, g.err
		}
	}
	if err != nil {
		g.err = err
	}
	return n, err
}

// aheadReader reads an input on a goroutine of its own, up to aheadChunks
// chunks ahead of its Read calls.
type aheadReader struct {
	full  chan chunk  // read, in order
	empty chan []byte // to read into
	cur   chunk       // being consumed
	off   int         // consumed of cur.b
	stop  chan struct{}
	done  chan struct{} // closed when the goroutine returns
}

// A chunk is what one read of a chunk's size returned.
type chunk struct {
	b   []byte
	err error
}

const (
	aheadChunks    = 4
	aheadChunkSize = 64 << 10
)

// readAhead starts reading g on a goroutine of its own, into bufs
// (allocated if need be), which are free again once close returns.
func readAhead(g io.Reader, bufs *[aheadChunks][]byte) *aheadReader {
	a := &aheadReader{full: make(chan chunk, aheadChunks), empty: make(chan []byte, aheadChunks),
		stop: make(chan struct{}), done: make(chan struct{})}
	for i := range bufs {
		if bufs[i] == nil {
			bufs[i] = make([]byte, aheadChunkSize)
		}
		a.empty <- bufs[i]
	}
	go a.run(g)
	return a
}

func (a *aheadReader) run(g io.Reader) {
	defer close(a.done)
	for {
		var b []byte
		select {
		case b = <-a.empty:
		case <-a.stop:
			return
		}
		// Not io.ReadFull: it turns an early io.EOF into the
		// io.ErrUnexpectedEOF of a truncated gzip stream.
		n, err := 0, error(nil)
		for n < len(b) && err == nil {
			var k int
			k, err = g.Read(b[n:])
			n += k
		}
		select {
		case a.full <- chunk{b[:n], err}:
		case <-a.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// Read returns the input's bytes in order, then its error.
func (a *aheadReader) Read(p []byte) (int, error) {
	for a.off >= len(a.cur.b) {
		if a.cur.err != nil {
			return 0, a.cur.err
		}
		if a.cur.b != nil {
			a.empty <- a.cur.b[:cap(a.cur.b)] // never blocks: there are aheadChunks buffers
		}
		a.cur, a.off = <-a.full, 0
	}
	n := copy(p, a.cur.b[a.off:])
	a.off += n
	return n, nil
}

// close stops the goroutine and waits for it to return.
func (a *aheadReader) close() {
	close(a.stop)
	<-a.done
}

// limitedInput stops the input at MaxInputBytes; limit names the field.
// The input of a Lambda payload's Reader counts against payload too.
type limitedInput struct {
	r       io.Reader
	n       int64
	max     int64
	limit   string
	payload *payloadBudget
}

func (l *limitedInput) Read(p []byte) (int, error) {
	if l.n >= l.max {
		return 0, limitError(l.limit, l.max, "input longer than %d bytes", l.max)
	}
	if int64(len(p)) > l.max-l.n {
		p = p[:l.max-l.n]
	}
	if l.payload != nil && l.payload.spent() {
		return 0, limitError("MaxCompressionRatio", l.payload.maxRatio, "Lambda payloads expand more than %d times the input", l.payload.maxRatio)
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.payload != nil {
		l.payload.decoded.Add(int64(n))
	}
	return n, err
}

// A payloadBudget bounds the bytes that the Lambda payloads of an input
// decode, nested payloads included, to MaxCompressionRatio times the bytes
// read from the input (once they pass 1 MiB). Each payload is bounded on its
// own (by MaxRecordBytes, and its gzip's ratio), but payloads that hold
// payloads multiply: 30 KB of input held 665 million records, four payloads
// deep. The Readers of an input's payloads, at every depth, share one.
type payloadBudget struct {
	raw      *countingReader // the input, as read
	maxRatio int64
	decoded  atomic.Int64 // by the payloads' Readers, which may run on goroutines of their own
}

// spent reports whether the payloads have decoded all they may.
func (b *payloadBudget) spent() bool {
	d := b.decoded.Load()
	return d > 1<<20 && d/max(b.raw.n.Load(), 1) >= b.maxRatio
}

// readFault classifies an error from the input's reader.
func readFault(err error) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(ErrTruncated, "compressed input ends early")
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return errorf(ErrSyntax, "damaged gzip stream: "+err.Error())
	}
	var ce interface{ Error() string }
	if errors.As(err, &ce) && strings.HasPrefix(err.Error(), "flate:") {
		return errorf(ErrSyntax, "damaged gzip stream: "+err.Error())
	}
	return err
}
