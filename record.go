package kmstrail

import (
	"fmt"
	"reflect"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file turns a record the Reader has read into an Event: its bytes,
// decoded into one block of structs, its KMS view, and its diagnostics.

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
