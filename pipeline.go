package kmstrail

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file is the Reader's pipeline: the reading side queues what it reads
// in batches, on a goroutine of its own once the input is larger than a
// batch, and the records of a batch are decoded by whichever side is free.

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
	own bool // v's bytes are the job's own, not in the batch's arenas, to hand over to its Event
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
	r.rs = &readState{settings: settings{Repair: r.Repair, Path: r.Path, lim: *lim, src: r.src, nesting: r.nesting,
		payloadOf: r.payloadOf}}
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
	if g, ok := r.in.r.r.(*gzipInput); ok {
		// Decompressing and scanning on one goroutine made it the slower
		// side of the pipeline: decompress on another.
		a := readAhead(g, &r.q.bufs.ahead)
		defer a.close() // before exited: release pools the gzip.Reader
		r.in.r.r = a
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
	r.q.open()
	for !r.q.full() && r.err == nil {
		r.next()
	}
	var offset int64
	if r.st.s != nil {
		offset = r.st.s.Offset()
	}
	return r.q.close(r.err, offset)
}

// A queue is what the reading side has read and not yet sent, in order:
// errors, Events, and records to decode (jobs), whose bytes are kept in the
// arenas of the batch being read.
type queue struct {
	res   []result
	bytes int  // weight of the records in res (see addJob)
	heavy bool // res holds a record heavier than a batch, decoded at once
	limit int  // the most results the batch being read takes
	arena int  // the arena (of bufs) of the batch being read
	ramp  int  // the size of the last small batch, up to batchRecords
	bufs  *readerBufs
}

// open starts a batch.
func (q *queue) open() {
	if q.bufs == nil {
		q.bufs = bufPool.Get().(*readerBufs)
	}
	// The arenas are used in turn; the batch that last used this one has
	// been decoded.
	q.arena = (q.arena + 1) % nArenas
	q.bufs.tapes[q.arena] = q.bufs.tapes[q.arena][:0]
	q.bufs.jobs[q.arena] = q.bufs.jobs[q.arena][:0]
	q.bufs.text[q.arena] = q.bufs.text[q.arena][:0]
	// The first batches are small, so that decoding starts soon.
	q.limit = batchRecords
	if q.ramp < batchRecords {
		q.ramp = max(firstBatch, 2*q.ramp)
		q.limit = q.ramp
	}
	// The batch takes the results with it (see close), so each batch gets
	// a slice at full size rather than a series of growing ones. A call of
	// next queues at most a result or two: envelopes read whole are gone
	// through an element at a time (see arrayWalk).
	q.res = make([]result, 0, q.limit)
}

// full reports whether the batch has all the results it takes.
func (q *queue) full() bool { return len(q.res) >= q.limit || q.bytes >= batchBytes }

// add queues an Event or an error.
func (q *queue) add(res result) { q.res = append(q.res, res) }

// close returns the batch of the results queued, the input's error (if it
// ended) and the offset the reading side reached.
func (q *queue) close(err error, offset int64) *batch {
	b := &batch{res: q.res, err: err, offset: offset}
	if q.heavy {
		// It holds a large record, decoded at once (see decodeNow). The
		// reading goroutine reads no further until Next has it, so that
		// the Reader holds at most two large records at once (the Event
		// Next is returning and the record being read), not one per batch
		// in the pipeline.
		b.taken = make(chan struct{})
	}
	b.decoding.Add(len(b.res))
	q.res, q.bytes, q.heavy = nil, 0, false
	return b
}

// addJob queues record v as a job. The job keeps copies of what it needs,
// in the batch's arenas (or its own, for a large record): the scanner
// reuses its buffers, and jobs are decoded while the next ones are read.
// A record heavier than a batch is not queued: addJob reports false, for
// the caller to decode it at once and queue its result (addHeavy).
func (q *queue) addJob(v *value, src Source) bool {
	repaired := len(v.loc.Edits) > 0 || !sameBytes(v.valid, v.orig)
	weight := len(v.orig) + len(v.tape)*jsonscan.SlotBytes
	if repaired {
		weight += len(v.valid)
	}
	// A batch ends at batchBytes of text and tape: the tape of a dense
	// record is larger than its text.
	q.bytes += weight
	if weight > batchBytes {
		return false
	}
	// A large record gets copies of its own: the arenas stay small. A
	// record the reading side owns (a string's) is handed over as it is.
	big := len(v.orig) > ownBytes || len(v.valid) > ownBytes || len(v.tape) > ownSlots
	jobs := &q.bufs.jobs[q.arena]
	if len(*jobs) == cap(*jobs) {
		// A new slab, not a copy: the jobs queued so far stay where
		// their results point, and decodeBatch clears them there.
		*jobs = make([]job, 0, max(batchRecords, 2*cap(*jobs)))
	}
	*jobs = append(*jobs, job{})
	j := &(*jobs)[len(*jobs)-1]
	j.src, j.own = src, big || v.owned
	orig, valid := v.orig[:len(v.orig):len(v.orig)], v.valid
	if !v.owned {
		orig = stash(&q.bufs.text[q.arena], v.orig, big)
		if repaired {
			valid = stash(&q.bufs.text[q.arena], v.valid, big)
		}
	}
	j.loc = v.loc.Copy(orig)
	j.v = value{orig: orig, valid: orig, loc: &j.loc, pointer: v.pointer,
		seed: slices.Clone(v.seed), dups: slices.Clone(v.dups), elided: v.elided}
	if v.tape != nil {
		j.v.tape = stash(&q.bufs.tapes[q.arena], v.tape, big)
	}
	if repaired {
		j.v.valid = valid
	}
	q.res = append(q.res, result{job: j})
	return true
}

// addHeavy queues the result of a record heavier than a batch, decoded at
// once.
func (q *queue) addHeavy(res result) {
	q.res = append(q.res, res)
	q.heavy = true
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
	b := r.q.bufs
	if b == nil {
		return
	}
	r.q.bufs, r.st.s = nil, nil
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
