package kmstrail

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// Default limits of a Reader. Each guards against hostile or damaged input;
// a CloudTrail record is at most 256 KB (1 MB in S3 log files) and its
// members are truncated at 100 KB, so the defaults leave ample room.
const (
	DefaultMaxRecordBytes      = 16 << 20 // 16 MiB
	DefaultMaxDepth            = 128
	DefaultMaxStringBytes      = 4 << 20 // 4 MiB
	DefaultMaxValues           = 1 << 20 // no record under 2 MiB can hold more
	DefaultMaxInputBytes       = 8 << 30 // 8 GiB, decompressed
	DefaultMaxCompressionRatio = 200
)

// A Reader reads CloudTrail records from an input in any of the forms
// CloudTrail delivers them (see the package documentation), detecting the
// form from the content.
//
// Memory does not grow with the input. A log file ({"Records":[...]}, plain
// or gzip), LookupEvents output ({"Events":[...]}) and Lake results
// ({"QueryStatus":...,"QueryResultRows":[...]}) as the AWS CLI writes them,
// a JSON array and JSON Lines are decoded one record at a time: the
// Reader holds the record being scanned (at most MaxRecordBytes) and at most
// four batches of up to 128 records or 1 MiB each (of text, and of the
// index it keeps of each record's values); a record heavier than a batch is
// decoded at once, and at most two are held. Forms whose envelope must be
// read whole (an EventBridge event, a CloudWatch Logs payload, a log file
// or LookupEvents output whose array is not its first member, Lake results
// whose rows start past their first 4 KiB) are bounded by MaxRecordBytes,
// and gone through a batch of records at a time. Within
// the limits, a record's cost is linear in its size, and an Event keeps at
// most MaxDiagnostics diagnostics. The Events a caller keeps are the
// caller's memory: each holds its record's bytes. Through the command, a
// 1 GiB log file peaks below 30 MiB of RSS.
//
// With more than one CPU, an input larger than a few records is read on a
// goroutine of the Reader's own, up to two batches ahead of the batch Next
// is returning (when it is ahead, it decodes records too), so the input is
// read between calls to Next: do not use it elsewhere while the Reader
// reads it. The goroutine ends with the input,
// or once an abandoned Reader has been garbage collected (if it is then
// blocked in the input's Read, when that Read returns).
//
// A record that fails to decode yields an *Error and the Reader goes on with
// the next record. An error that leaves nothing to go on with (a read
// error, damaged or trailing compressed data, a limit on the whole input)
// is an *Error whose Fatal field is set; it is returned once, and every
// later call returns io.EOF. So a loop that logs each error and goes on
// always ends.
//
// Set the exported fields before the first call to Next.
type Reader struct {
	// Repair accepts the syntax slips found in AWS's published examples: a
	// missing comma between members or elements (where whitespace separates
	// them), a trailing comma, invalid UTF-8 and lone surrogates (replaced
	// by U+FFFD). Each repair is a Diagnostic of the record it concerns; a
	// slip between records goes with the record after it. A slip that
	// concerns no record (a trailing comma after the last record, a
	// missing comma between an envelope's own members) is repaired
	// without a Diagnostic: no Event could carry it.
	Repair bool

	// Path names the input in errors and in Event.Source. NewReader sets it
	// from the reader's Name method (as *os.File has).
	Path string

	// MaxRecordBytes is the largest record, and the largest envelope
	// object read whole (such as an EventBridge event). Default
	// DefaultMaxRecordBytes.
	MaxRecordBytes int

	// MaxDepth is the deepest nesting of arrays and objects. Default
	// DefaultMaxDepth.
	MaxDepth int

	// MaxStringBytes is the longest string, as written. Default
	// DefaultMaxStringBytes.
	MaxStringBytes int

	// MaxValues is the most members and array elements one record (or
	// envelope read whole) may hold. While it reads a record, the Reader
	// indexes each of them in 24 bytes, so that a dense record such as
	// [0,0,0,...] costs 12 times its size: MaxValues, not MaxRecordBytes,
	// bounds that index. Default DefaultMaxValues.
	MaxValues int

	// MaxInputBytes is the most bytes read from the input, counted after
	// decompression. Default DefaultMaxInputBytes.
	MaxInputBytes int64

	// MaxCompressionRatio is the largest ratio of decompressed to
	// compressed bytes a gzip input may have (a guard against compression
	// bombs); it is checked once 1 MiB has been decompressed. The bytes
	// decoded from the input's CloudWatch Logs payloads as Lambda receives
	// them (base64 of gzip), nested ones included, are held to the same
	// ratio against the bytes read from the input. Default
	// DefaultMaxCompressionRatio.
	MaxCompressionRatio int

	src       io.Reader
	lim       *limits        // for a Lambda payload's Reader: the limits handed down to it
	nesting   int            // envelopes around the input (a Lambda payload's), counted against maxNesting
	payloadOf *payloadBudget // for a Lambda payload's Reader: the budget of the input it is in

	rs      *readState    // the reading side, set up by the first call to Next
	batches chan *batch   // from the reading goroutine; nil while reading inline
	credits chan struct{} // one per batch sent and not yet received (see readState.run)
	stop    chan struct{} // closed once the Reader is unreachable
	ready   []result      // decoded, returned by Next from head on
	head    int           // the next result of ready
	offset  int64         // InputOffset
	err     error         // what Next returns once ready is used up
	dec     *decoder      // reused from record to record
}

// readState is the reading side of a Reader: it reads the input, scans and
// classifies its values, and queues records to decode in batches. When the
// input is larger than a batch it runs on its own goroutine, which refers
// to the readState and not to the Reader, so that an abandoned Reader can
// be collected and its goroutine stopped.
type readState struct {
	// The Reader's settings, taken by the first call to Next.
	Repair    bool
	Path      string
	lim       limits
	src       io.Reader
	nesting   int
	payloadOf *payloadBudget

	s          *jsonscan.Scanner
	input      *limitedInput // what s reads
	started    bool
	state      readerState
	records    int      // records seen so far: the next record's index
	queue      []result // read, in order, waiting to make a batch
	queueBytes int      // weight of the records in queue (see record)
	heavy      bool     // queue holds a record heavier than a batch
	batchLimit int      // the most results the batch being read takes
	arena      int      // the arena (of bufs) of the batch being read
	ramp       int      // the size of the last small batch, up to batchRecords
	err        error    // sticky: the end of the input or a fault that ends it
	values     int      // top-level values seen
	lastEnd    int      // line on which the last top-level value ended
	inArray    Format   // the Format of the streamed array's items

	// Inside a top-level array or a Records array:
	elemIndex  int  // elements so far
	afterComma bool // an element may follow (after '[' or ',')
	commaOff   int64
	commaLine  int
	commaCol   int

	paused  resyncSearch        // a search for the next record, to go on with
	work    []pendingWork       // envelopes read whole being gone through, innermost last
	pending []Diagnostic        // wrapper-level repairs, for the next record
	inner   []*jsonscan.Scanner // for records inside strings, by depth (see innerScanner)
	raw     *countingReader     // the input as read, before decompression
	budget  *payloadBudget      // of the input's Lambda payloads (see payloads)
	bufs    *readerBufs         // the large buffers, pooled between Readers
	dec     *decoder            // for the jobs the reading goroutine decodes
	helped  int                 // how many it decoded
	exited  chan struct{}       // closed when the reading goroutine returns
	val     value               // the value item is handling
	loc     jsonscan.Locator    // its locator

	// jsonLines: the first top-level value fit on one line.
	jsonLines bool
}

type readerState uint8

const (
	stateTop     readerState = iota // between top-level values
	stateRecords                    // inside {"Records":[...]}
	stateArray                      // inside a top-level array
)

// result is a record or an error waiting to be returned by Next. A record
// that has been read but not yet decoded is a job.
type result struct {
	ev  *Event
	err error
	job *job
}

// A job is a record read from the input, owning its bytes, to be decoded.
type job struct {
	v   value
	loc jsonscan.Locator
	src Source
	own bool // v's bytes and tape are the job's own, not in the batch's arenas
}

// Records are read (scanned and classified) and decoded in batches. When
// the first batch is full and more than one CPU is available, a goroutine
// reads the following batches while Next decodes and returns the earlier
// ones; up to pipeDepth batches wait between the two. Whenever the
// goroutine has to wait for room, and once the input has ended, it decodes
// jobs too (see readState.run).
const (
	batchRecords = 128
	firstBatch   = 16
	batchBytes   = 1 << 20
	pipeDepth    = 2
	// nArenas is how many batches can hold undecoded jobs at once: the
	// one being read, those waiting, and the one being decoded.
	nArenas = pipeDepth + 2
)

// A batch is a run of results handed from the reading side to Next.
// Its jobs are decoded in order by whichever side claims them first.
type batch struct {
	res      []result
	offset   int64          // the input offset the reading side had reached
	err      error          // on the last batch: the sticky error, or io.EOF
	taken    chan struct{}  // for a heavy batch: closed once Next receives it
	claimed  atomic.Int32   // results claimed for decoding
	decoding sync.WaitGroup // results claimed or not, not yet decoded
}

// decodeNext decodes the batch's next unclaimed job with d, if any: it
// reports whether there was one. A result that is not a job counts as one.
func (b *batch) decodeNext(d *decoder) bool {
	if int(b.claimed.Load()) >= len(b.res) {
		return false
	}
	i := int(b.claimed.Add(1)) - 1
	if i >= len(b.res) {
		return false
	}
	if j := b.res[i].job; j != nil {
		ev, err := decodeRecord(d, j)
		b.res[i] = result{ev: ev, err: err}
		if j.own {
			*j = job{} // the slab is reused; it must not keep a large record alive
		}
	}
	b.decoding.Done()
	return true
}

// NewReader returns a Reader that reads from r.
func NewReader(r io.Reader) *Reader {
	rd := &Reader{src: r}
	if n, ok := r.(interface{ Name() string }); ok {
		rd.Path = n.Name()
	}
	return rd
}

// Next returns the next record. At the end of the input it returns io.EOF,
// and so does every later call.
//
// Every error is an *Error. One concerning a record has that record's index;
// the following call goes on with the next record. One whose Fatal field is
// set ended the input (a read error, a truncated or damaged gzip stream,
// data after it, MaxInputBytes crossed): the following call returns io.EOF.
// Inputs that hold no records (digest files, notifications) yield a notice,
// an error wrapping ErrNoRecords, then io.EOF: test for it with errors.Is
// and do not count it as a failure.
func (r *Reader) Next() (*Event, error) {
	for r.head >= len(r.ready) {
		if r.err != nil {
			err := r.err
			r.err = io.EOF // an error that ends the input is returned once
			return nil, err
		}
		r.fill()
	}
	res := r.ready[r.head]
	r.ready[r.head] = result{}
	r.head++
	return res.ev, res.err
}

// fill makes the next batch ready: read now, or received from the reading
// goroutine, then decoded.
func (r *Reader) fill() {
	var b *batch
	switch {
	case r.rs == nil:
		r.begin()
		b = r.rs.readBatch()
		if b.err == nil && len(b.res) == firstBatch && runtime.GOMAXPROCS(0) > 1 {
			// The last batch needs no credit: there is always room for it.
			r.batches = make(chan *batch, pipeDepth+1)
			r.credits = make(chan struct{}, pipeDepth)
			r.stop = make(chan struct{})
			r.rs.exited = make(chan struct{})
			go r.rs.run(r.batches, r.credits, r.stop)
			// An abandoned Reader stops its goroutine once collected.
			runtime.AddCleanup(r, func(stop chan struct{}) { close(stop) }, r.stop)
		}
	case r.batches != nil:
		b = <-r.batches
		if b.err == nil {
			// The batch before it is decoded: its arenas are free.
			<-r.credits
		}
		if b.taken != nil {
			close(b.taken)
		}
	default:
		b = r.rs.readBatch()
	}
	r.decodeBatch(b)
	r.ready, r.head, r.offset = b.res, 0, b.offset
	if b.err != nil {
		// The reading side is done: once its goroutine has returned, its
		// buffers can go back to the pool.
		r.err = b.err
		var e *Error
		if b.err != io.EOF && errors.As(b.err, &e) {
			e.Fatal = true
		}
		if r.rs.exited != nil {
			<-r.rs.exited
		}
		r.rs.release()
	}
}

// begin sets up the reading side with the Reader's settings, its limits
// built once.
func (r *Reader) begin() {
	lim := r.lim
	if lim == nil {
		l := r.limits()
		lim = &l
	}
	r.rs = &readState{Repair: r.Repair, Path: r.Path, lim: *lim, src: r.src, nesting: r.nesting, payloadOf: r.payloadOf}
}

// limits are a Reader's limits, with the defaults applied: built once, as
// the Reader starts, and handed down to everything that reads for it (its
// scanners, the Readers of Lambda payloads, Lake rows). Adding a limit is a
// field of Reader and one here, its default in Reader.limits, and its check.
type limits struct {
	recordBytes, depth, stringBytes, values int
	inputBytes                              int64
	compressionRatio                        int
	// inputField names the field that raises inputBytes: MaxInputBytes,
	// or for a Lambda payload MaxRecordBytes, which bounds it.
	inputField string
}

// limits returns the Reader's limits, setting the defaults of those it
// leaves unset.
func (r *Reader) limits() limits {
	orDefault := func(p *int, def int) int {
		if *p <= 0 {
			*p = def
		}
		return *p
	}
	if r.MaxInputBytes <= 0 {
		r.MaxInputBytes = DefaultMaxInputBytes
	}
	return limits{
		recordBytes:      orDefault(&r.MaxRecordBytes, DefaultMaxRecordBytes),
		depth:            orDefault(&r.MaxDepth, DefaultMaxDepth),
		stringBytes:      orDefault(&r.MaxStringBytes, DefaultMaxStringBytes),
		values:           orDefault(&r.MaxValues, DefaultMaxValues),
		inputBytes:       r.MaxInputBytes,
		compressionRatio: orDefault(&r.MaxCompressionRatio, DefaultMaxCompressionRatio),
		inputField:       "MaxInputBytes",
	}
}

// defaultLimits returns a Reader's limits when none is set.
func defaultLimits() limits { return new(Reader).limits() }

// payload returns the limits of a Lambda payload read under l: the same,
// but for the payload's decoded size, which MaxRecordBytes bounds like any
// envelope read whole.
func (l limits) payload() *limits {
	p := l
	p.inputBytes, p.inputField = min(l.inputBytes, int64(l.recordBytes)), "MaxRecordBytes"
	return &p
}

// run reads batches and sends them to out until the input ends, or until
// stop is closed because nobody will receive them. A batch is sent with a
// credit, of which there are pipeDepth: Next takes one back as it receives
// the batch. While it waits for a credit, and once the input has ended, the
// goroutine decodes jobs alongside Next instead of idling: first those of
// the batch it holds, then those of the batches sent last. On two CPUs that
// is most of the time it would otherwise wait, and the end of the input
// would otherwise leave the batches still queued to Next alone.
func (r *readState) run(out chan<- *batch, credits chan<- struct{}, stop <-chan struct{}) {
	defer close(r.exited)
	if g, ok := r.input.r.(*gzipInput); ok {
		// Decompressing and scanning on one goroutine made it the slower
		// side of the pipeline: decompress on another.
		a := readAhead(g, &r.bufs.ahead)
		defer a.close() // before exited: release pools the gzip.Reader
		r.input.r = a
	}
	r.dec = new(decoder)
	var sent [pipeDepth]*batch // newest first
	for {
		b := r.readBatch()
		if b.err != nil {
			out <- b // room was kept for it
			for r.help(b, &sent) {
				select {
				case <-stop:
					return
				default:
				}
			}
			return
		}
	wait:
		for {
			select {
			case credits <- struct{}{}:
				break wait
			case <-stop:
				return
			default:
			}
			if !r.help(b, &sent) {
				select {
				case credits <- struct{}{}:
					break wait
				case <-stop:
					return
				}
			}
		}
		out <- b
		copy(sent[1:], sent[:])
		sent[0] = b
		if b.taken != nil && !r.await(b.taken, stop, b, &sent) {
			return // a heavy batch: see readBatch
		}
	}
}

// await decodes jobs, as help does, until done is closed; it reports false
// if stop is closed first.
func (r *readState) await(done, stop <-chan struct{}, b *batch, sent *[pipeDepth]*batch) bool {
	for {
		select {
		case <-done:
			return true
		case <-stop:
			return false
		default:
		}
		if !r.help(b, sent) {
			select {
			case <-done:
				return true
			case <-stop:
				return false
			}
		}
	}
}

// help decodes one job of b, or else of the batches sent, newest first; it
// reports whether it found one.
func (r *readState) help(b *batch, sent *[pipeDepth]*batch) bool {
	found := b.decodeNext(r.dec)
	for i := 0; i < len(sent) && !found; i++ {
		found = sent[i] != nil && sent[i].decodeNext(r.dec)
	}
	if found {
		r.helped++
	}
	return found
}

// readBatch reads records (and the errors between them) until it has a
// batch, or the input ends.
func (r *readState) readBatch() *batch {
	if r.bufs == nil {
		r.bufs = bufPool.Get().(*readerBufs)
	}
	// The arenas are used in turn; the batch that last used this one has
	// been decoded.
	r.arena = (r.arena + 1) % nArenas
	r.bufs.tapes[r.arena] = r.bufs.tapes[r.arena][:0]
	r.bufs.jobs[r.arena] = r.bufs.jobs[r.arena][:0]
	r.bufs.text[r.arena] = r.bufs.text[r.arena][:0]
	// The first batches are small, so that decoding starts soon.
	limit := batchRecords
	if r.ramp < batchRecords {
		r.ramp = max(firstBatch, 2*r.ramp)
		limit = r.ramp
	}
	// The batch takes the queue with it (below), so each batch gets one at
	// full size rather than a series of growing ones. A call of next
	// queues at most a result or two: envelopes read whole are gone
	// through an element at a time (see arrayWalk).
	r.queue, r.batchLimit = make([]result, 0, limit), limit
	for len(r.queue) < limit && r.queueBytes < batchBytes && r.err == nil {
		r.next()
	}
	b := &batch{res: r.queue, err: r.err}
	if r.heavy {
		// It holds a large record, decoded at once (see decodeNow). The
		// reading goroutine reads no further until Next has it, so that
		// the Reader holds at most two large records at once (the Event
		// Next is returning and the record being read), not one per batch
		// in the pipeline.
		b.taken = make(chan struct{})
	}
	b.decoding.Add(len(b.res))
	if r.s != nil {
		b.offset = r.s.Offset()
	}
	r.queue, r.queueBytes, r.heavy = nil, 0, false
	return b
}

// decodeBatch decodes the jobs of a batch in place, and waits for those
// the reading goroutine claimed.
func (r *Reader) decodeBatch(b *batch) {
	if r.dec == nil {
		r.dec = new(decoder)
	}
	for b.decodeNext(r.dec) {
	}
	b.decoding.Wait()
}

// All returns an iterator over the records, for use with range. It yields
// each record with a nil error and each error as (nil, err), as Next
// returns them, and ends with the input: after an error whose Fatal field is
// set, nothing follows. It is single-use: it continues from wherever Next
// left off.
func (r *Reader) All() iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		for {
			ev, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(ev, err) {
				return
			}
		}
	}
}

// InputOffset returns the input offset (decompressed) the Reader had read
// up to when it read the batch of records Next is returning: records are
// read ahead of Next by up to a few batches of 128.
func (r *Reader) InputOffset() int64 {
	return r.offset
}

// Parse decodes data holding exactly one record, in any form the Reader
// accepts (a bare record, an EventBridge event, a log file of one record,
// ...). It does not repair; use a Reader with Repair for that.
func Parse(data []byte) (*Event, error) {
	return onlyRecord(NewReader(bytes.NewReader(data)))
}

// onlyRecord returns the record of input that holds exactly one: the rule
// of Parse, LookupEvent and LakeEvent. Anything after the record but space
// (another record, a notice, a syntax error) fails the call.
func onlyRecord(r *Reader) (*Event, error) {
	ev, err := r.Next()
	if err == io.EOF {
		return nil, &Error{Record: -1, Err: errorf(ErrNotRecord, "input holds no record")}
	}
	if err != nil {
		return nil, err
	}
	if _, err := r.Next(); err != io.EOF {
		if err == nil {
			err = &Error{Record: 1, Err: errorf(ErrTooManyRecords, "use a Reader for input with several records")}
		}
		return nil, err
	}
	return ev, nil
}

// fail sets the sticky error, positioned at the scanner's position unless
// it is already an *Error.
func (r *readState) fail(err error) {
	if err == io.EOF {
		r.err = io.EOF
		return
	}
	r.err = r.positioned(err, -1, "")
}

// positioned wraps err as an *Error at the scanner's position, or at the
// position of a syntax fault.
func (r *readState) positioned(err error, record int, ptr string) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	out := &Error{Path: r.Path, Record: record, Pointer: ptr, Err: err}
	var f *jsonscan.Fault
	if errors.As(err, &f) {
		out.Offset, out.Line, out.Column, out.Err = f.Offset, f.Line, f.Col, faultCause(f)
	} else if r.s != nil {
		out.Offset, out.Line, out.Column = r.s.Offset(), r.s.Line(), r.s.Column()
	}
	if !isPackageError(out.Err) {
		// A read error from the input or the decompressor.
		out.Err = readFault(out.Err)
	}
	return out
}

// isPackageError reports whether err wraps one of the sentinels.
func isPackageError(err error) bool {
	var d *detailError
	return errors.As(err, &d)
}

// readerBufs are the large buffers of a Reader, reused from batch to batch
// and, through bufPool, from one Reader to the next once a Reader has read
// its input to the end: reading many log files then allocates little more
// than the Events themselves.
type readerBufs struct {
	in    *bufio.Reader
	gz    *gzip.Reader
	scan  jsonscan.Scanner
	tapes [nArenas][]jsonscan.Slot // the batches' tape arenas
	text  [nArenas][]byte          // the batches' records
	jobs  [nArenas][]job           // the batches' jobs
	ahead [aheadChunks][]byte
}

var bufPool = sync.Pool{New: func() any { return new(readerBufs) }}

// maxPooledSlots and maxPooledText bound the arenas kept in the pool, so
// that one huge input does not pin its buffers for the rest of the process.
const (
	maxPooledSlots = 1 << 16
	maxPooledText  = 4 << 20
)

// release returns the reading side's buffers to the pool. It is called
// once the input has ended and every batch has been decoded; nothing refers
// to the buffers then.
func (r *readState) release() {
	b := r.bufs
	if b == nil {
		return
	}
	r.bufs, r.s = nil, nil
	if b.in != nil {
		b.in.Reset(nil)
	}
	for i := range b.tapes {
		b.tapes[i], b.text[i] = b.tapes[i][:0], b.text[i][:0]
		if cap(b.tapes[i]) > maxPooledSlots {
			b.tapes[i] = nil
		}
		if cap(b.text[i]) > maxPooledText {
			b.text[i] = nil
		}
		clear(b.jobs[i][:cap(b.jobs[i])])
		b.jobs[i] = b.jobs[i][:0]
	}
	if !b.scan.Release() {
		return // too large to keep
	}
	bufPool.Put(b)
}

// next reads ahead until it has queued a result or set the sticky error.
func (r *readState) next() {
	if !r.started {
		r.start()
		if r.err != nil {
			return
		}
	}
	if n := len(r.work); n > 0 {
		// The innermost envelope first: what it holds comes before the
		// rest of the one around it. A step that pushes an envelope of its
		// own returns true, so the one popped is the one that is done.
		if !r.work[n-1].more(r) {
			r.work[n-1] = nil
			r.work = r.work[:n-1]
		}
		return
	}
	if r.paused.on {
		rs := r.paused
		r.paused = resyncSearch{}
		r.search(rs, r.s.LastNonSpace(), r.s.AtLineStart())
		return
	}
	switch r.state {
	case stateTop:
		r.nextTop()
	case stateRecords, stateArray:
		r.nextElement()
	}
}

// nextTop reads the next top-level value: a log file's opening, an array's
// opening, or a value that is an item on its own.
func (r *readState) nextTop() {
	s := r.s
	c, ok, _ := s.SkipSpace()
	if !ok {
		switch {
		case s.Err() != nil:
			r.fail(s.Err())
		case r.values == 0:
			r.fail(errorf(ErrNotRecord, "input is empty"))
		default:
			r.fail(io.EOF)
		}
		return
	}
	if r.values > 0 && s.Line() == r.lastEnd && c != '{' {
		// JSON Lines: one value per line. (Objects may also follow each
		// other directly, as Firehose writes them.)
		err := s.Fault(jsonscan.Syntax, "invalid character %s after top-level value", jsonscan.Describe(c))
		r.queue = append(r.queue, result{err: r.positioned(err, -1, "")})
		r.resync(false)
		return
	}
	r.values++
	switch c {
	case '{':
		// A log file, or LookupEvents output or Lake results as the AWS CLI
		// writes them, is streamed when its array comes first (Lake's
		// after QueryStatus and QueryStatistics); else it is read whole.
		switch name, _ := r.firstName(); name {
		case "Records":
			if r.openRecords(FormatLogFile) {
				return
			}
		case "Events":
			if r.openRecords(FormatLookupEvents) {
				return
			}
		case "QueryStatus":
			if r.openLake() {
				return
			}
		}
	case '[':
		r.openArray()
		return
	case 'C':
		if r.validationMessage() {
			return
		}
	}
	startLine := s.Line()
	// Once the input has shown itself to be JSON Lines, a value must end
	// on its line, so that a damaged line does not swallow the next.
	s.SetOneLine(r.values > 1 && r.jsonLines)
	sc, err := s.ScanValue()
	s.SetOneLine(false)
	if err != nil {
		r.syntaxError(err)
		switch {
		case s.Line() == startLine:
			// One value per line: go on at the next line.
			r.skipLine()
		default:
			// In JSON Lines, a value broken across lines: what follows
			// the break is the rest of it, unless a record starts there.
			r.resync(false)
		}
		r.lastEnd = 0
		return
	}
	r.lastEnd = s.Line()
	if s.Line() == startLine && r.values == 1 {
		r.jsonLines = true
	}
	if sc.Fault != nil && r.envelopeLimit(sc) {
		return
	}
	format := FormatRecord
	if r.values > 1 {
		format = FormatJSONLines
	} else {
		sc.Raw = bytes.Clone(sc.Raw) // moreValues reads on
		if r.moreValues() {
			format = FormatJSONLines
		}
	}
	r.item(sc, format)
}

type envelopeReadWhole struct{ array, name, why string }

// envelopesReadWhole names the envelopes whose records are read with the
// envelope, by the array that holds them, and says why.
var envelopesReadWhole = []envelopeReadWhole{
	{"/Records/", "log file", "read whole because its Records member is not first"},
	{"/Events/", "LookupEvents output", "read whole because its Events member is not first"},
	{"/QueryResultRows/", "Lake query results", "read whole because its rows start late"},
	{"/logEvents/", "CloudWatch Logs payload", "read whole"},
}

// envelopeLimit reports an envelope read whole that crossed MaxRecordBytes
// or MaxValues as the envelope's error, at its start, rather than as the
// error of a record deep inside it, which would name a member of a record
// and leave the user to guess which limit is the envelope's. It reports
// whether sc was such an envelope.
func (r *readState) envelopeLimit(sc *jsonscan.Value) bool {
	f := sc.Fault
	if f.Kind != jsonscan.Limit || f.Limit != jsonscan.ValueLimit && f.Limit != jsonscan.SlotsLimit {
		return false
	}
	le := faultCause(f).(*LimitError)
	ptr := f.Pointer
	if sc.Retained {
		// Crossed once read (it fit the buffer): no member was at fault,
		// but the value is at hand to tell what it is.
		ptr = topArray(sc.Raw)
	}
	for _, env := range envelopesReadWhole {
		if !strings.HasPrefix(ptr, env.array) {
			continue
		}
		what := fmt.Sprintf("the %s, %s, holds more than %d members and elements", env.name, env.why, le.Max)
		if le.Limit == "MaxRecordBytes" {
			// The scanner went on to the envelope's end: its size is known.
			size := r.s.Offset() - sc.Start
			if sc.Retained {
				size = int64(len(sc.Raw))
			}
			what = fmt.Sprintf("the %s, %s, is %d bytes, more than %d", env.name, env.why, size, le.Max)
		}
		r.queue = append(r.queue, result{err: &Error{Path: r.Path, Record: -1, Offset: sc.Start, Line: sc.Line, Column: sc.Col,
			Err: &LimitError{Limit: le.Limit, Max: le.Max, What: what}}})
		return true
	}
	return false
}

// topArray returns "/name/" for the member of object text that holds an
// envelope's records (envelopesReadWhole), "" if none.
func topArray(text []byte) string {
	dec := jsontext.NewDecoder(bytes.NewReader(text))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return ""
	}
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			return ""
		}
		ptr := "/" + tok.String() + "/" // before the token is voided by the next call
		if dec.PeekKind() == '[' && slices.ContainsFunc(envelopesReadWhole, func(e envelopeReadWhole) bool { return e.array == ptr }) {
			return ptr
		}
		if dec.SkipValue() != nil {
			return ""
		}
	}
	return ""
}

// moreValues reports whether another top-level value follows.
func (r *readState) moreValues() bool {
	_, ok, _ := r.s.SkipSpace()
	return ok
}

// firstName returns the first member name of the object at the scanner's
// position, if it has no escapes and ends within its first peekAhead bytes,
// without consuming anything.
func (r *readState) firstName() (string, bool) {
	text := r.s.Peek(peekAhead)
	i := 1
	for i < len(text) && jsonscan.IsSpace(text[i]) {
		i++
	}
	if i >= len(text) || text[i] != '"' {
		return "", false
	}
	for j := i + 1; j < len(text); j++ {
		switch c := text[j]; {
		case c == '"':
			return string(text[i+1 : j]), true
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
	return "", false
}

// openRecords consumes `{"Records":[` (or `{"Events":[`, for format
// FormatLookupEvents) and switches to streaming the array. It returns false
// (consuming nothing) when the member is not an array, so the object is read
// whole.
func (r *readState) openRecords(format Format) bool {
	return r.openStream(format, func(dec *jsontext.Decoder) bool {
		tok, err := dec.ReadToken() // the name, which firstName has read
		return err == nil && tok.Kind() == '"'
	})
}

// openLake consumes the start of CloudTrail Lake results as the AWS CLI
// writes them, {"QueryStatus":...,"QueryStatistics":{...},
// "QueryResultRows":[, and switches to streaming the rows: a query's
// results, every page in one document, may be far larger than
// MaxRecordBytes. It returns false (consuming nothing) unless the rows
// start within peekAhead bytes, after members that are valid JSON; the
// object is then read whole.
func (r *readState) openLake() bool {
	return r.openStream(FormatLake, func(dec *jsontext.Decoder) bool {
		for {
			tok, err := dec.ReadToken()
			if err != nil || tok.Kind() != '"' {
				return false
			}
			if tok.String() == "QueryResultRows" {
				return true
			}
			if dec.SkipValue() != nil {
				return false
			}
		}
	})
}

// openStream consumes the start of the object at the scanner's position up
// to the '[' of the array to stream, and switches to streaming it as format.
// Within the object's first peekAhead bytes, name reads the members before
// the array's value, and the name of the array's member (it reports whether
// it found it). Nothing is consumed unless the array is found: the bytes are
// peeked, not read. (Restoring a copy of the scanner instead, after reads
// that may have refilled its buffer, misread `{"Records"00` when read a byte
// at a time; FuzzOneByteReads found it.)
func (r *readState) openStream(format Format, name func(*jsontext.Decoder) bool) bool {
	text := r.s.Peek(peekAhead)
	dec := jsontext.NewDecoder(bytes.NewReader(text))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' || !name(dec) {
		return false
	}
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '[' {
		return false
	}
	r.s.Advance(int(dec.InputOffset()))
	r.state = stateRecords
	r.inArray = format
	r.elemIndex = 0
	r.afterComma = true
	return true
}

// peekAhead is how far into an object openStream looks for the array.
const peekAhead = 4 << 10

// openArray consumes a top-level '[' and switches to reading its elements.
func (r *readState) openArray() {
	r.s.Advance(1)
	r.state = stateArray
	r.inArray = FormatArray
	r.elemIndex = 0
	r.afterComma = true
}

// validationMessage recognises the text CloudTrail sends to a new SNS topic.
func (r *readState) validationMessage() bool {
	const msg = "CloudTrail validation message."
	if string(r.s.Peek(len(msg))) != msg {
		return false
	}
	off := r.s.Offset()
	r.s.Advance(len(msg))
	r.notice(off, "CloudTrail validation message (sent when an SNS topic is set up)")
	r.fail(io.EOF)
	return true
}

// notice queues an ErrNoRecords error for the input.
func (r *readState) notice(off int64, what string) {
	line := 0
	if r.s != nil {
		line = r.s.Line()
	}
	r.queue = append(r.queue, result{err: &Error{Path: r.Path, Record: -1, Offset: off, Line: line, Err: errorf(ErrNoRecords, what)}})
}

// skipLine discards input up to the next line feed, and the space after
// it, after a syntax error in a top-level value.
func (r *readState) skipLine() {
	if !r.s.SkipLine() {
		if err := r.s.Err(); err != nil {
			r.fail(err)
		} else {
			r.fail(io.EOF)
		}
		return
	}
	r.s.SkipSpace()
	r.lastEnd = 0
}

// nextElement reads the next element of a top-level array or of a log
// file's Records array.
func (r *readState) nextElement() {
	s := r.s
	for {
		c, ok, spaced := s.SkipSpace()
		if !ok {
			r.fail(s.EndFault("input ends inside the array of records"))
			return
		}
		switch {
		case c == ']':
			if r.afterComma && r.elemIndex > 0 {
				if !r.Repair {
					r.fail(s.Fault(jsonscan.Syntax, "trailing ',' before ']'"))
					return
				}
				r.pending = append(r.pending, Diagnostic{Kind: Repaired, Offset: r.commaOff, Line: r.commaLine,
					Column: r.commaCol, Message: "removed trailing ',' after the last record"})
			}
			s.Advance(1)
			if r.state == stateRecords {
				r.closeRecords()
			}
			r.state = stateTop
			r.lastEnd = s.Line()
			return
		case c == ',' && !r.afterComma:
			r.commaOff, r.commaLine, r.commaCol = s.Offset(), s.Line(), s.Column()
			s.Advance(1)
			r.afterComma = true
			continue
		case !r.afterComma:
			if r.Repair && spaced && jsonscan.StartsValue(c) {
				r.pending = append(r.pending, Diagnostic{Kind: Repaired, Offset: s.Offset(), Line: s.Line(),
					Column: s.Column(), Message: "inserted missing ',' between records"})
				break
			}
			err := s.Fault(jsonscan.Syntax, "invalid character %s after array element; want ',' or ']'", jsonscan.Describe(c))
			r.queue = append(r.queue, result{err: r.positioned(err, -1, "")})
			r.resync(true)
			return
		}
		sc, err := s.ScanValue()
		r.afterComma = false
		r.elemIndex++
		if err != nil {
			r.syntaxError(err)
			r.resync(true)
			return
		}
		r.item(sc, r.inArray)
		return
	}
}

// closeRecords reads the rest of the object around a streamed array (a log
// file's Records, LookupEvents output's Events, Lake results' rows): other
// members, such as NextToken, are skipped.
func (r *readState) closeRecords() {
	s := r.s
	array := "Records"
	switch r.inArray {
	case FormatLookupEvents:
		array = "Events"
	case FormatLake:
		array = "QueryResultRows"
	}
	for {
		c, ok, _ := s.SkipSpace()
		if !ok {
			r.fail(s.EndFault("input ends inside the object around the " + array + " array"))
			return
		}
		switch c {
		case '}':
			s.Advance(1)
			return
		case ',':
			s.Advance(1)
			if c, ok, _ := s.SkipSpace(); ok && c == '}' && r.Repair {
				continue
			}
			if _, err := s.ScanValue(); err != nil { // the name
				r.fail(err)
				return
			}
			if c, ok, _ := s.SkipSpace(); !ok || c != ':' {
				r.fail(s.Fault(jsonscan.Syntax, "want ':' after member name"))
				return
			}
			s.Advance(1)
			if _, err := s.ScanValue(); err != nil {
				r.fail(err)
				return
			}
		default:
			r.fail(s.Fault(jsonscan.Syntax, "invalid character %s after the %s array; want ',' or '}'", jsonscan.Describe(c), array))
			return
		}
	}
}

// syntaxError queues the error of an item that is not valid JSON. It counts
// as one failed record.
func (r *readState) syntaxError(err error) {
	var f *jsonscan.Fault
	if !errors.As(err, &f) {
		// A read error: nothing more can be read.
		r.fail(err)
		return
	}
	r.queue = append(r.queue, result{err: r.positioned(err, r.records, f.Pointer)})
	r.records++
}

// resync looks for the next record after a syntax error, so that one
// damaged record does not lose the ones after it. Inside an array a
// candidate is an object after a ','; at the top level, an object that
// starts a line. A candidate must parse, look like a record or an envelope
// of records, and (in an array) be followed by ',' or ']'. The end of the
// array is recognised when it ends the input. If no candidate is found
// within MaxRecordBytes, the input ends with an error.
func (r *readState) resync(inArray bool) {
	s := r.s
	// The byte before the fault may be the ',' before a good record.
	r.search(resyncSearch{inArray: inArray, start: s.Offset(), trialBudget: 4 * int64(r.lim.recordBytes)},
		s.LastNonSpace(), s.AtLineStart())
}

// A resyncSearch is resync's search for the next record, which pauses when
// the damaged records it finds fill a batch (an input of nothing else
// would otherwise queue an error for each of them in one batch), and goes
// on with the next call to next.
type resyncSearch struct {
	on          bool  // paused, to go on
	inArray     bool  // in a top-level array or a Records array
	start       int64 // where the search began: the budget counts from there
	trialBudget int64 // bytes left to scan candidates with
}

// search runs or resumes resync's search, prev being the last byte before
// the position that is not space, and lineStart whether it starts a line.
func (r *readState) search(rs resyncSearch, prev byte, lineStart bool) {
	s := r.s
	// A read error (such as a truncated gzip trailer) may have come with
	// the bytes still buffered: the search goes through them first.
	inArray, start, trialBudget := rs.inArray, rs.start, rs.trialBudget
	lakeRows := inArray && r.inArray == FormatLake // whose rows are arrays
	budget := int64(r.lim.recordBytes)
	for s.Offset()-start < budget {
		next := s.Peek(1)
		if len(next) == 0 {
			if err := s.Err(); err != nil {
				r.fail(err)
			} else {
				r.fail(io.EOF)
			}
			return
		}
		c := next[0]
		candidate := c == '{' && (inArray && prev == ',' || !inArray && lineStart) ||
			c == '[' && lakeRows && prev == ','
		if candidate && trialBudget > 0 {
			name, _ := r.firstName()
			at := s.Mark()
			// In JSON Lines a candidate ends on its line, as in nextTop:
			// a damaged one does not take the next line with it.
			s.SetOneLine(!inArray && r.jsonLines)
			sc, err := s.ScanValue()
			s.SetOneLine(false)
			trialBudget -= s.Offset() - at.Offset()
			if coreMembers[name] && err != nil {
				// The start of a record that is damaged too: it fails on
				// its own, and the search goes on after its fault.
				s.Unmark()
				r.syntaxError(err)
				if inArray {
					r.elemIndex++
				} else {
					r.values++
				}
				if len(r.queue) >= r.batchLimit {
					r.paused = resyncSearch{on: true, inArray: inArray, start: start, trialBudget: trialBudget}
					return
				}
				// A fault at a line's end leaves the next line's start.
				prev, lineStart = s.LastNonSpace(), s.AtLineStart()
				continue
			}
			if err == nil {
				s.Unmark()
				if r.resumeAt(sc, c, name, inArray, lakeRows) {
					return
				}
				// A complete value that is not a record: no record starts
				// inside it.
				prev, lineStart = '}', false
				continue
			}
			// Not a record: one may start inside it, after its first byte
			// (unless it has gone past the input a Mark holds).
			if s.Rewind(at) {
				s.Advance(1)
				prev, lineStart = '{', false
			} else {
				prev, lineStart = s.LastNonSpace(), s.AtLineStart()
			}
			continue
		}
		if inArray && c == ']' && r.atEnd() {
			r.afterComma = false
			return // nextElement closes the array
		}
		s.Advance(1)
		switch {
		case c == '\n':
			lineStart = true
		case !jsonscan.IsSpace(c):
			prev, lineStart = c, false
		}
	}
	r.fail(&Error{Path: r.Path, Record: -1, Offset: s.Offset(), Line: s.Line(), Column: s.Column(),
		Err: errorf(ErrSyntax, "no record found after the damaged one within Reader.MaxRecordBytes; giving up")})
}

// resumeAt takes sc, a complete value search found at a candidate's start
// (c, the object's first member name), as the record reading resumes with,
// if it is one: it looks like a record or an envelope of records (or a
// Lake row), and in an array, the array goes on or ends after it.
func (r *readState) resumeAt(sc *jsonscan.Value, c byte, name string, inArray, lakeRows bool) bool {
	if !(lakeRows && c == '[' || coreMembers[name] || looksLikeItem(validText(sc))) {
		return false
	}
	sc.Raw = bytes.Clone(sc.Raw)
	if n, ok, _ := r.s.SkipSpace(); inArray && (!ok || n != ',' && n != ']') {
		return false
	}
	if inArray {
		r.afterComma = false
		r.elemIndex++
	} else {
		r.values++
		r.lastEnd = r.s.Line()
	}
	r.item(sc, r.inArray)
	return true
}

// validText returns a scanned value's text with its repairs applied: the
// text the decoder may read.
func validText(sc *jsonscan.Value) []byte {
	if len(sc.Edits) > 0 {
		return jsonscan.ApplyEdits(sc.Raw, sc.Edits)
	}
	return sc.Raw
}

// atEnd reports whether the ']' at the scanner's position closes the array
// being read and ends the input (after the '}' of a log file's wrapper).
// It consumes nothing.
func (r *readState) atEnd() bool {
	s := r.s
	m := s.Mark()
	s.Advance(1)
	end := true
	if r.state == stateRecords {
		c, ok, _ := s.SkipSpace()
		end = ok && c == '}'
		if end {
			s.Advance(1)
		}
	}
	if end {
		_, more, _ := s.SkipSpace()
		end = !more && s.Err() == nil
	}
	// Past as much space as a record may hold, the search's budget is
	// spent: it goes on, to give up, from there.
	return s.Rewind(m) && end
}

// eventOffsets holds where the Event's raw members start in its text, for
// the typed KMS views and their diagnostics.
type eventOffsets struct {
	start, request, response, additional, service int
}

// Positions of the Event members whose offsets decodeKMS needs.
var (
	eventCodec    = codecFor(reflect.TypeFor[Event]())
	idxRequest    = eventCodec.byName["requestParameters"].pos
	idxResponse   = eventCodec.byName["responseElements"].pos
	idxAdditional = eventCodec.byName["additionalEventData"].pos
	idxService    = eventCodec.byName["serviceEventDetails"].pos
)

// item handles one complete value of the input: a record, an envelope
// holding records, a notice, or something that is not a record.
//
// sc.raw may alias the scanner's buffer: item must not read more input, and
// what it keeps it copies.
func (r *readState) item(sc *jsonscan.Value, format Format) {
	raw := sc.Raw
	if f := sc.Fault; f != nil {
		line, col := f.Line, f.Col
		if sc.Retained {
			loc := &jsonscan.Locator{Orig: raw, Start: sc.Start, Line: sc.Line, Col: sc.Col}
			_, line, col = loc.Position(int(f.Offset - sc.Start))
		}
		r.queue = append(r.queue, result{err: &Error{Path: r.Path, Record: r.records, Offset: f.Offset,
			Line: line, Column: col, Pointer: f.Pointer, Err: faultCause(f)}})
		r.records++
		return
	}
	r.loc = jsonscan.Locator{Orig: raw, Start: sc.Start, Line: sc.Line, Col: sc.Col, Edits: sc.Edits}
	r.val = value{orig: raw, valid: raw, loc: &r.loc, dups: sc.Dups, elided: sc.Elided}
	v := &r.val
	if len(r.pending)+len(sc.Repairs) > 0 {
		v.seed = appendRepairs(r.pending, sc.Repairs)
	}
	r.pending = nil
	if len(sc.Edits) > 0 {
		v.valid = jsonscan.ApplyEdits(raw, sc.Edits)
	} else {
		v.tape = sc.Tape
	}
	if format == FormatLake {
		// A row of streamed Lake results, as lakeRows takes it; pointers
		// are the row's own, as a streamed record's are. (An element of a
		// streamed Events array is an object with CloudTrailEvent, which
		// dispatch knows.)
		r.lakeRow(v, newNode(v.valid), "")
		return
	}
	r.dispatch(v, format, 0)
}

// record queues v as a record to decode. The job keeps copies of what it
// needs, in the batch's arenas (or its own, for a large record): the
// scanner reuses its buffers, and jobs are decoded while the next ones are
// read.
func (r *readState) record(v *value, format Format) {
	if src := notificationSource(v.valid); src != "" {
		// An S3, SNS or SQS event notification: its Records look like
		// CloudTrail's but are not.
		r.noticeAt(v, 0, src+" event notification, not a CloudTrail record")
		return
	}
	idx := r.records
	r.records++
	off, line, col := v.loc.Position(0)
	src := Source{Path: r.Path, Record: idx, Offset: off, Line: line, Column: col, Format: format}
	repaired := len(v.loc.Edits) > 0 || !sameBytes(v.valid, v.orig)
	weight := len(v.orig) + len(v.tape)*jsonscan.SlotBytes
	if repaired {
		weight += len(v.valid)
	}
	// A batch ends at batchBytes of text and tape: the tape of a dense
	// record is larger than its text.
	r.queueBytes += weight
	if weight > batchBytes {
		r.queue = append(r.queue, r.decodeNow(v, src))
		r.heavy = true
		return
	}
	// A large record gets copies of its own: the arenas stay small.
	own := len(v.orig) > ownBytes || len(v.valid) > ownBytes || len(v.tape) > ownSlots
	jobs := &r.bufs.jobs[r.arena]
	if len(*jobs) == cap(*jobs) {
		// A new slab, not a copy: the jobs queued so far stay where
		// their results point, and decodeBatch clears them there.
		*jobs = make([]job, 0, max(batchRecords, 2*cap(*jobs)))
	}
	*jobs = append(*jobs, job{})
	j := &(*jobs)[len(*jobs)-1]
	j.src, j.own = src, own
	j.loc = v.loc.Copy(stash(&r.bufs.text[r.arena], v.orig, own))
	j.v = value{orig: j.loc.Orig, valid: j.loc.Orig, loc: &j.loc, pointer: v.pointer,
		seed: slices.Clone(v.seed), dups: slices.Clone(v.dups), elided: v.elided}
	if v.tape != nil {
		j.v.tape = stash(&r.bufs.tapes[r.arena], v.tape, own)
	}
	if repaired {
		j.v.valid = stash(&r.bufs.text[r.arena], v.valid, own)
	}
	r.queue = append(r.queue, result{job: j})
}

// decodeNow decodes a record at once, from the text and tape it was read
// into (usually the scanner's). A record whose text and tape outweigh a
// batch would otherwise be copied for a job, doubling the largest thing
// the Reader holds, and a pipeline gains nothing on it. Its Event owns
// copies of what it keeps, as every Event does.
func (r *readState) decodeNow(v *value, src Source) result {
	if r.dec == nil {
		r.dec = new(decoder)
	}
	j := &job{v: *v, loc: *v.loc, src: src}
	j.v.loc = &j.loc
	ev, err := decodeRecord(r.dec, j)
	return result{ev: ev, err: err}
}

// Records larger than ownBytes, or with more than ownSlots members and
// elements, are not copied into the arenas, whose size (times nArenas)
// would otherwise follow the largest record.
const (
	ownBytes = 64 << 10
	ownSlots = 4 << 10
)

// stash copies p for a job: into arena (one of the batch's, recycled once
// the batch is decoded), or, when own, into a slice of its own. The read
// side allocates nothing per ordinary record: decodeRecord makes the
// Event's own copy.
func stash[T any](arena *[]T, p []T, own bool) []T {
	if own {
		return slices.Clone(p)
	}
	*arena = append(*arena, p...)
	return (*arena)[len(*arena)-len(p) : len(*arena) : len(*arena)]
}

// sameBytes reports whether a and b hold the same bytes, without reading
// them when they are the same slice.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || bytes.Equal(a, b)
}

// eventBlock allocates an Event with the sub-structs most records have in
// one block: one allocation instead of seven.
type eventBlock struct {
	ev  Event
	ui  UserIdentity
	sc  SessionContext
	si  SessionIssuer
	sa  SessionAttributes
	tls TLSDetails
	wf  WebIDFederationData // most often {}, in an assumed role's session
	res [2]Resource

	taken uint8 // which of the above are in use
}

// take returns p, the block's struct number i, if it is still free.
func (b *eventBlock) take(i uint, p any) any {
	if b.taken&(1<<i) != 0 {
		return nil
	}
	b.taken |= 1 << i
	return p
}

// mapKeyRoom is the room made in an Event's string region for member names
// kept as map keys, which the tape does not count as string values.
const mapKeyRoom = 32

// eventBytes returns the Event's bytes for job j: its Raw, the text to
// decode (Raw unless repaired), and room for the strings the decoder keeps
// (see decoder.keep), all in one allocation. Raw's capacity ends at its
// length, so that nothing reached through it can write to the others.
// A job that owns its bytes hands them over, and the room is allocated on
// its own. Room is made for every string value the tape maps (about half
// of a record) and mapKeyRoom; without a tape, for as many bytes as the
// text. Should the room run out, keep starts a new region.
func eventBytes(j *job) (orig, valid, strs []byte) {
	v := &j.v
	room := len(v.valid)
	if v.tape != nil {
		room = mapKeyRoom
		for i := range v.tape {
			sl := &v.tape[i]
			room += int(sl.ValEnd-sl.ValOff-2) * int(sl.Flags/jsonscan.IsString&1) // branch-free
		}
	}
	if j.own {
		return v.orig, v.valid, make([]byte, 0, room)
	}
	n, same := len(v.orig), sameBytes(v.valid, v.orig)
	if !same {
		n += len(v.valid)
	}
	buf := make([]byte, n+room)
	orig = buf[:copy(buf, v.orig):len(v.orig)]
	valid = orig
	if !same {
		valid = buf[len(orig):n:n]
		copy(valid, v.valid)
	}
	return orig, valid, buf[n:n]
}

// decodeRecord decodes the record of job j with d, which it resets: a
// Reader keeps one decoder so that its scratch space is reused.
func decodeRecord(d *decoder, j *job) (*Event, error) {
	v, src := &j.v, j.src
	block := new(eventBlock)
	ev := &block.ev
	orig, valid, strs := eventBytes(j)
	v.loc.Orig = orig
	ev.Raw, ev.Source = orig, src
	top := d.top // its entries are written before they are read
	if top == nil {
		top = make([]int, len(eventCodec.fields))
	}
	d.reset(valid, strs, v, top, block)
	any(ev).(objectDecoder).decodeObject(d) // generated: codec_gen.go
	if d.fault != nil {
		o, line, col := v.loc.Position(0)
		return nil, &Error{Path: src.Path, Record: src.Record, Offset: o, Line: line, Column: col, Err: d.fault}
	}
	if ev.EventTime.IsZero() && !d.noted("/eventTime") {
		// A time in no dialect has a diagnostic of its own; an absent
		// one would otherwise go unsaid, and sorting by time would put
		// the record first.
		d.pushName("eventTime")
		d.note(Missing, 0, "the record has no eventTime")
		d.popPath(len(d.path) - 1)
	}
	if ev.EventSource == KMSEventSource {
		ev.KMS = decodeKMS(ev, d, &eventOffsets{
			request: d.top[idxRequest], response: d.top[idxResponse],
			additional: d.top[idxAdditional], service: d.top[idxService],
		})
	}
	ev.Diagnostics = eventDiagnostics(v, d)
	d.block = nil
	return ev, nil
}

// eventDiagnostics returns a record's diagnostics, nil if none: those found
// while reading it (repairs, identical duplicates), then the decoder's, at
// most MaxDiagnostics of them, and an Elided one that counts the rest.
func eventDiagnostics(v *value, d *decoder) []Diagnostic {
	n := len(v.seed) + len(v.dups) + len(d.diags)
	elided := v.elided + d.elided + max(0, n-MaxDiagnostics)
	if n+elided == 0 {
		return nil
	}
	diags := make([]Diagnostic, 0, min(n, MaxDiagnostics)+min(elided, 1))
	diags = append(diags, v.seed[:min(len(v.seed), MaxDiagnostics)]...)
	for _, dup := range v.dups[:min(len(v.dups), MaxDiagnostics-len(diags))] {
		o, line, col := v.loc.Position(dup.Off)
		diags = append(diags, Diagnostic{Kind: Duplicate, Pointer: dup.Pointer, Offset: o, Line: line, Column: col,
			Message: "member appears twice with identical values"})
	}
	diags = append(diags, d.diags[:min(len(d.diags), MaxDiagnostics-len(diags))]...)
	if elided > 0 {
		o, line, col := v.loc.Position(0)
		diags = append(diags, Diagnostic{Kind: Elided, Offset: o, Line: line, Column: col,
			Message: fmt.Sprintf("%d more diagnostics not listed (an Event keeps %d)", elided, MaxDiagnostics)})
	}
	return diags
}
