package kmstrail

import (
	"bytes"
	"io"
	"iter"
)

// This file is the Reader's API. How a Reader reads is in a file for each
// of its parts: input.go opens the input; stream.go (and resync.go, after
// damage) reads its values in order, through the syntax layer
// (internal/jsonscan, which syntax.go speaks for); forms.go says what each
// value is and read.go acts on it, reading on into envelopes and strings
// (lake.go for CloudTrail Lake); pipeline.go queues the records in batches,
// read on a goroutine of their own and decoded by whichever side is free;
// record.go turns each into an Event.

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
	return exactlyOne(NewReader(bytes.NewReader(data)).Next)
}

// exactlyOne returns the record of input that holds exactly one: the rule
// of Parse, LookupEvent and LakeEvent, and of the Lake rows a Reader reads.
// next returns the input's records and errors in order, then io.EOF.
// Anything after the record but space (another record, a notice, a syntax
// error) fails the call.
func exactlyOne(next func() (*Event, error)) (*Event, error) {
	ev, err := next()
	if err == io.EOF {
		return nil, &Error{Record: -1, Err: errorf(ErrNotRecord, "input holds no record")}
	}
	if err != nil {
		return nil, err
	}
	if _, err := next(); err != io.EOF {
		if err == nil {
			err = &Error{Record: 1, Err: errorf(ErrTooManyRecords, "use a Reader for input with several records")}
		}
		return nil, err
	}
	return ev, nil
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
