package kmstrail

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file is the decoding layer: it maps validated JSON text onto the
// package's structs and back. Every struct type is described once by a
// structCodec built from its json tags. Decoding is tolerant in the ways
// the package doc lists and reports what it did as Diagnostics; encoding writes
// what was read, so that marshaling an Event gives back its record.
//
// Two things make the round trip exact. Members a struct does not model are
// kept, as written, in its Unknown field (a JSON object). And structs that
// embed tracked remember which members were present, and which were null, so
// that "", false, 0 and null are written back where they were read.

// tracked is embedded in the package's structs to record which members were
// present in the input and which were null.
type tracked struct {
	fs fieldSet
}

// fieldSet has one bit per field of a struct, in field order.
type fieldSet struct {
	present, null uint64
}

func (t *tracked) fieldSet() *fieldSet { return &t.fs }

// presence is implemented by the package's structs through tracked.
type presence interface{ fieldSet() *fieldSet }

var presenceType = reflect.TypeFor[presence]()

// redactedMarker is what CloudTrail writes in place of values it hides.
const redactedMarker = "HIDDEN_DUE_TO_SECURITY_REASONS"

// A kind says how a field is decoded and encoded.
type kind uint8

const (
	kString kind = iota + 1
	kBool
	kInt
	kFloat
	kStdTime // time.Time
	kTime    // Time
	kRaw     // jsontext.Value
	kStruct
	kPtr // pointer to a struct
	kSlice
	kMapString // map[string]string
)

var (
	stdTimeType = reflect.TypeFor[time.Time]()
	timeType    = reflect.TypeFor[Time]()
	rawType     = reflect.TypeFor[jsontext.Value]()
)

// A structCodec describes one struct type.
type structCodec struct {
	typ     reflect.Type
	fields  []*fieldCodec
	byName  map[string]*fieldCodec // wire names and aliases
	folded  map[string]*fieldCodec // lower-cased wire names, for case variants
	unknown int                    // index of the Unknown field, or -1
	tracked bool
}

// A fieldCodec describes one field.
type fieldCodec struct {
	name  string // wire name
	index int    // index among the struct's fields
	pos   int    // position among the coded fields: the presence bit
	bit   uint64
	kind  kind
	typ   reflect.Type
	elem  *fieldCodec  // slice element
	sc    *structCodec // struct, pointer and slice-of-struct fields
}

var codecs sync.Map // reflect.Type -> *structCodec

// codecFor returns the codec of a struct type, building it on first use.
func codecFor(t reflect.Type) *structCodec {
	if c, ok := codecs.Load(t); ok {
		return c.(*structCodec)
	}
	c := &structCodec{typ: t, unknown: -1, byName: map[string]*fieldCodec{}, folded: map[string]*fieldCodec{}}
	// Store before filling in so that recursive types terminate.
	actual, loaded := codecs.LoadOrStore(t, c)
	if loaded {
		return actual.(*structCodec)
	}
	c.tracked = reflect.PointerTo(t).Implements(presenceType)
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if sf.Name == "Unknown" && sf.Type == rawType {
			c.unknown = i
			continue
		}
		tag := sf.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && opts == "" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f := fieldFor(sf.Type)
		f.name, f.index = name, i
		if len(c.fields) >= 64 {
			panic("kmstrail: struct " + t.String() + " has more than 64 fields")
		}
		f.pos = len(c.fields)
		f.bit = 1 << uint(f.pos)
		c.fields = append(c.fields, f)
		c.byName[name] = f
		for _, alias := range strings.Fields(sf.Tag.Get("alias")) {
			c.byName[alias] = f
		}
		c.folded[strings.ToLower(name)] = f
	}
	return c
}

// fieldFor classifies a field type.
func fieldFor(t reflect.Type) *fieldCodec {
	f := &fieldCodec{typ: t}
	switch {
	case t == stdTimeType:
		f.kind = kStdTime
	case t == timeType:
		f.kind = kTime
	case t == rawType:
		f.kind = kRaw
	case t.Kind() == reflect.String:
		f.kind = kString
	case t.Kind() == reflect.Bool:
		f.kind = kBool
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		f.kind = kInt
	case t.Kind() == reflect.Float64:
		f.kind = kFloat
	case t.Kind() == reflect.Struct:
		f.kind, f.sc = kStruct, codecFor(t)
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		f.kind, f.sc = kPtr, codecFor(t.Elem())
	case t.Kind() == reflect.Slice:
		f.kind, f.elem = kSlice, fieldFor(t.Elem())
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.String:
		f.kind = kMapString
	default:
		panic("kmstrail: no codec for field type " + t.String())
	}
	return f
}

// A decoder reads one record's validated text.
type decoder struct {
	data string // the record, valid JSON (repaired if need be)
	raw  []byte // the same bytes; raw members are slices of it
	pos  int

	// view: data shares raw's memory, which the Event hands to its caller
	// (Raw and the raw members), so a string that outlives the decoding is
	// copied by keep into strs, bytes nobody else can reach.
	view bool
	strs []byte

	loc   *jsonscan.Locator
	diags []Diagnostic
	path  []pathElem
	names []string // the path's names that are not views of data

	// roundTrip: report every value whose marshaled form would differ from
	// the input (the envelope); otherwise only irregular ones (typed views).
	roundTrip bool
	// drift names the KMS operation whose model is being decoded, and
	// driftPart the part of its record: members the model does not know are
	// reported as Unmodeled.
	drift, driftPart string
	// fault is a record-level error found while decoding (a case-variant
	// member that contradicts the member it shadows).
	fault error
	// elided counts the diagnostics not noted, beyond MaxDiagnostics.
	elided int
	// top, when set, receives the slots (or, without a tape, the value
	// offsets) of the top-level struct's fields, by position.
	top []int

	// block, while a record is decoded, provides its usual sub-structs.
	block *eventBlock
	// kc is resolveKeys' space, reused from record to record.
	kc keyContext

	// tape is the scanner's map of the record (nil when the text was
	// repaired: the decoder then reads the text itself). ti is the next
	// slot; cur* describe the value being decoded.
	tape             []jsonscan.Slot
	ti               int
	curStart, curEnd int
	curFlags         uint8
}

// reset readies d, a Reader's decoder, for the record in valid, keeping its
// scratch space. It assigns field by field, reslicing the scratch slices in
// place: assigning a decoder literal copied every pointer under a write
// barrier while the GC was marking. TestDecoderReset checks that every
// field is reset.
func (d *decoder) reset(valid, strs []byte, v *value, top []int, block *eventBlock) {
	d.data, d.raw, d.pos = unsafe.String(unsafe.SliceData(valid), len(valid)), valid, 0
	d.view, d.strs = true, strs
	d.loc, d.diags, d.path, d.names = v.loc, d.diags[:0], d.path[:0], d.names[:0]
	d.roundTrip, d.drift, d.driftPart, d.fault, d.elided = true, "", "", nil, 0
	d.top, d.block = top, block
	d.kc.region, d.kc.account = "", ""
	d.kc.resources, d.kc.claimed = d.kc.resources[:0], d.kc.claimed[:0]
	d.tape, d.ti, d.curStart, d.curEnd, d.curFlags = v.tape, 0, 0, len(valid), 0
}

// enter makes slot i the value being decoded.
func (d *decoder) enter(i int) {
	sl := &d.tape[i]
	d.ti = i + 1
	d.pos, d.curStart, d.curEnd, d.curFlags = int(sl.ValOff), int(sl.ValOff), int(sl.ValEnd), sl.Flags
}

// offsetOf returns the text offset of a top-level field's value as d.top
// records it: an offset, or a slot.
func (d *decoder) offsetOf(x int) int {
	if x <= -2 {
		return int(d.tape[-2-x].ValOff)
	}
	return x
}

// atSlot reports whether the decoder is at the start of the value of the
// current slot, so the tape describes what follows.
func (d *decoder) atSlot() bool { return d.tape != nil && d.pos == d.curStart }

// A pathElem is one step of the JSON Pointer to the value being decoded:
// an array index, or a member name, data[start:end] or, when end < 0,
// names[start]. It holds no pointer because a step is pushed for every
// member decoded: storing the name's string there cost a write barrier per
// member while the GC was marking, 4% of the Reader's instructions.
type pathElem struct {
	start, end int32
	index      int32 // -1 for object members
}

// pushName pushes a member name that is not a plain view of data.
func (d *decoder) pushName(name string) {
	d.names = append(d.names, name)
	d.path = append(d.path, pathElem{start: int32(len(d.names) - 1), end: -1, index: -1})
}

// pushMember pushes the name of o's current member.
func (d *decoder) pushMember(o *object) {
	if o.escaped {
		d.pushName(o.unescaped)
		return
	}
	d.path = append(d.path, pathElem{start: int32(o.nameStart), end: int32(o.nameEnd), index: -1})
}

// popPath removes the path's steps after the first n.
func (d *decoder) popPath(n int) {
	for _, p := range d.path[n:] {
		if p.end < 0 && p.index < 0 {
			d.names = d.names[:len(d.names)-1]
		}
	}
	d.path = d.path[:n]
}

// pointer returns the JSON Pointer of the value being decoded.
func (d *decoder) pointer() string {
	var b []byte
	for _, p := range d.path {
		b = append(b, '/')
		switch {
		case p.index >= 0:
			b = strconv.AppendInt(b, int64(p.index), 10)
		case p.end < 0:
			b = jsonscan.AppendPointerToken(b, d.names[p.start])
		default:
			b = jsonscan.AppendPointerToken(b, d.data[p.start:p.end])
		}
	}
	return string(b)
}

// note records a diagnostic about the value at offset off of the record.
func (d *decoder) note(k DiagnosticKind, off int, format string, args ...any) {
	if len(d.diags) >= MaxDiagnostics {
		d.elided++
		return
	}
	diag := Diagnostic{Kind: k, Pointer: d.pointer(), Message: fmt.Sprintf(format, args...)}
	if d.loc != nil {
		diag.Offset, diag.Line, diag.Column = d.loc.Position(off)
	}
	d.diags = append(d.diags, diag)
}

// noted reports whether a diagnostic concerns the value at pointer.
func (d *decoder) noted(pointer string) bool {
	for _, diag := range d.diags {
		if diag.Pointer == pointer {
			return true
		}
	}
	return false
}

// ws skips whitespace.
func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\r', '\n':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte.
func (d *decoder) peek() byte {
	d.ws()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// keep returns s, a substring of data, as a string the Event can keep: s
// itself, or, when data is a view of raw, a copy in strs. The bytes of strs
// are written once, before the string over them is made: append only
// writes past the strings already made, and a new region replaces a full
// one.
func (d *decoder) keep(s string) string {
	if !d.view || len(s) == 0 {
		return s
	}
	if cap(d.strs)-len(d.strs) < len(s) {
		d.strs = make([]byte, 0, max(len(s), 256))
	}
	// Reslicing d.strs in place writes only its length: append stored the
	// pointer too, a write barrier per string while the GC marks.
	n := len(d.strs)
	d.strs = d.strs[:n+len(s)]
	copy(d.strs[n:], s)
	return unsafe.String(&d.strs[n], len(s))
}

// readString reads a string value and returns its contents, to keep.
func (d *decoder) readString() string {
	s, escaped := d.stringAt()
	if escaped {
		return s // unescaped into a string of its own
	}
	return d.keep(s)
}

// stringAt reads a string value and returns its contents, a substring of
// data unless escaped.
func (d *decoder) stringAt() (string, bool) {
	if d.atSlot() && d.curFlags&jsonscan.ValueEscaped == 0 {
		d.pos = d.curEnd
		return d.data[d.curStart+1 : d.curEnd-1], false
	}
	start := d.pos + 1
	i := start + jsonscan.QuoteOrEscape(d.data[start:])
	escaped := false
	for {
		c := d.data[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			escaped = true
			i += 2
			continue
		}
		i++
	}
	d.pos = i + 1
	if !escaped {
		return d.data[start:i], false
	}
	u, err := unquoteJSON(d.raw[start-1 : i+1])
	if err != nil {
		return d.data[start:i], false
	}
	return u, true
}

// skipString moves past a string value.
func (d *decoder) skipString() {
	i := d.pos + 1
	i += jsonscan.QuoteOrEscape(d.data[i:])
	for {
		switch d.data[i] {
		case '"':
			d.pos = i + 1
			return
		case '\\':
			i += 2
		default:
			i++
		}
	}
}

// skipValue moves past any value and returns its extent.
func (d *decoder) skipValue() (start, end int) {
	d.ws()
	if d.atSlot() {
		d.pos = d.curEnd
		return d.curStart, d.curEnd
	}
	start = d.pos
	switch d.data[d.pos] {
	case '"':
		d.skipString()
	case '{', '[':
		depth := 0
		for {
			switch d.data[d.pos] {
			case '"':
				d.skipString()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					d.pos++
					return start, d.pos
				}
			}
			d.pos++
		}
	default: // number or literal
		for d.pos < len(d.data) {
			switch d.data[d.pos] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return start, d.pos
			}
			d.pos++
		}
	}
	return start, d.pos
}

// members calls fn for each member of the object at pos; fn must consume
// the member's value.
func (d *decoder) members(fn func(name string, nameOff int)) {
	d.ws()
	if d.atSlot() {
		end := d.curEnd
		for d.ti < len(d.tape) && int(d.tape[d.ti].ValOff) < end {
			i := d.ti
			name := d.slotName(i)
			d.enter(i)
			fn(name, int(d.tape[i].NameOff)-1)
			d.ti, d.pos = int(d.tape[i].Skip), int(d.tape[i].ValEnd)
		}
		d.pos = end
		return
	}
	d.pos++ // '{'
	for {
		if d.peek() == '}' {
			d.pos++
			return
		}
		if d.data[d.pos] == ',' {
			d.pos++
			d.ws()
		}
		nameOff := d.pos
		name, _ := d.stringAt() // fn keeps it if need be
		d.ws()
		d.pos++ // ':'
		d.ws()
		fn(name, nameOff)
	}
}

// elements calls fn for each element of the array at pos; fn must consume
// the element.
func (d *decoder) elements(fn func(i int)) {
	d.ws()
	if d.atSlot() {
		end := d.curEnd
		for n := 0; d.ti < len(d.tape) && int(d.tape[d.ti].ValOff) < end; n++ {
			i := d.ti
			d.enter(i)
			fn(n)
			d.ti, d.pos = int(d.tape[i].Skip), int(d.tape[i].ValEnd)
		}
		d.pos = end
		return
	}
	d.pos++ // '['
	for i := 0; ; i++ {
		if d.peek() == ']' {
			d.pos++
			return
		}
		if d.data[d.pos] == ',' {
			d.pos++
			d.ws()
		}
		fn(i)
	}
}

// slotName returns the name of member slot i, a view unless escaped: keep
// it to store it.
func (d *decoder) slotName(i int) string {
	sl := &d.tape[i]
	name := d.data[sl.NameOff:sl.NameEnd]
	if sl.Flags&jsonscan.NameEscaped != 0 {
		if u, err := jsonscan.Unescape(d.raw[sl.NameOff:sl.NameEnd]); err == nil {
			return u
		}
	}
	return name
}

// rawAt returns the raw bytes of [start, end).
func (d *decoder) rawAt(start, end int) jsontext.Value { return jsontext.Value(d.raw[start:end:end]) }

// objectDecoder is implemented, in codec_gen.go, by every struct the decoder
// fills: decodeObject reads the object at d.pos into the receiver. The
// generated code is a switch on member names that calls the helpers below;
// TestGeneratedCodec regenerates it from the same structCodec tables the
// encoder uses, so the two cannot drift apart.
type objectDecoder interface {
	decodeObject(d *decoder)
}

// An object is the state of decoding one object's members.
type object struct {
	c        *structCodec
	fs       *fieldSet       // nil for untracked structs
	unknownP *jsontext.Value // the struct's Unknown, or nil
	unknown  []byte
	variants []string
	start    int // offset of '{'
	// The current member's name is data[nameStart:nameEnd] unless it was
	// escaped: offsets, not a string, so that moving to the next member
	// stores no pointer (see pathElem). The decoder's key method reads it.
	nameStart, nameEnd int
	escaped            bool
	unescaped          string
	nameOff            int // its opening quote
	valStart           int
	pushed             bool // name is on d.path
	depth              int  // len(d.path) at the object: 0 at the record's top level
	slot               int  // the current member's slot, or -1
	end                int  // the object's end, when read from the tape
}

// openObject starts decoding the object at d.pos. It is kept small enough
// to inline, so that its stores go to the caller's object on the stack
// without a write barrier.
func (d *decoder) openObject(o *object, c *structCodec, fs *fieldSet, unknown *jsontext.Value) {
	o.end = -1
	if d.atSlot() { // a slot's value starts at its first byte
		o.end = d.curEnd
	} else {
		d.ws()
	}
	o.c, o.fs, o.unknownP, o.start, o.slot = c, fs, unknown, d.pos, -1
	o.depth = len(d.path)
	d.pos++ // '{'
}

// member moves to the object's next member and reports whether there is
// one; at the end it consumes '}' and finishes the object.
func (d *decoder) member(o *object) bool {
	if o.pushed { // popPath, inlined
		if o.escaped {
			d.names = d.names[:len(d.names)-1]
		}
		d.path = d.path[:len(d.path)-1]
		o.pushed = false
	}
	if o.end >= 0 {
		return d.memberFromTape(o)
	}
	c := d.peek()
	if c == ',' {
		d.pos++
		c = d.peek()
	}
	if c == '}' {
		d.pos++
		d.closeObject(o)
		return false
	}
	o.nameOff = d.pos
	name, escaped := d.stringAt()
	o.nameStart, o.nameEnd, o.escaped = o.nameOff+1, o.nameOff+1+len(name), escaped
	if escaped {
		o.unescaped = name
	}
	d.ws()
	d.pos++ // ':'
	d.ws()
	o.valStart = d.pos
	d.pushMember(o)
	o.pushed = true
	return true
}

// key returns the name of o's current member, a view of data unless it
// was escaped.
func (d *decoder) key(o *object) string {
	if o.escaped {
		return o.unescaped
	}
	return d.data[o.nameStart:o.nameEnd]
}

// memberFromTape is member for an object the tape maps.
func (d *decoder) memberFromTape(o *object) bool {
	if o.slot >= 0 {
		// Past the previous member, however much of it was read.
		sl := &d.tape[o.slot]
		d.ti, d.pos = int(sl.Skip), int(sl.ValEnd)
	}
	if d.ti >= len(d.tape) || int(d.tape[d.ti].ValOff) >= o.end {
		d.pos = o.end
		d.closeObject(o)
		return false
	}
	o.slot = d.ti
	sl := &d.tape[o.slot]
	o.nameStart, o.nameEnd, o.nameOff = int(sl.NameOff), int(sl.NameEnd), int(sl.NameOff)-1
	if o.escaped = sl.Flags&jsonscan.NameEscaped != 0; o.escaped {
		o.unescaped = d.slotName(o.slot)
	}
	d.enter(o.slot)
	o.valStart = d.pos
	d.pushMember(o)
	o.pushed = true
	return true
}

// field records what decoding the current member did to the struct's field
// at position pos (its presence bit).
func (d *decoder) field(o *object, out outcome, pos int) {
	if o.depth == 0 && d.top != nil { // record the top-level value offsets
		d.top[pos] = o.valStart
		if o.slot >= 0 {
			d.top[pos] = -2 - o.slot // a slot, told apart from an offset
		}
	}
	bit := uint64(1) << uint(pos)
	switch out {
	case set:
		if o.fs != nil {
			o.fs.present |= bit
			o.fs.null &^= bit
		}
	case wasNull:
		if o.fs != nil {
			o.fs.null |= bit
			o.fs.present &^= bit
		}
	case kept:
		// A value the field cannot hold: keep it as written.
		if o.unknownP != nil {
			o.unknown = appendMember(o.unknown, d.raw[o.nameOff:o.valStart], d.raw[o.valStart:d.pos])
		}
	}
}

// unknownMember keeps a member the struct does not model, and reports a
// case variant of a known member, or (in typed KMS views) schema drift.
func (d *decoder) unknownMember(o *object) {
	vs, ve := d.skipValue()
	if o.unknownP != nil {
		o.unknown = appendMember(o.unknown, d.raw[o.nameOff:vs], d.raw[vs:ve])
	}
	name := d.key(o)
	if kf := o.c.folded[strings.ToLower(name)]; kf != nil {
		o.variants = append(o.variants, name)
		d.note(Duplicate, o.nameOff, "member %q differs from %q only in case; it is kept, not decoded", name, kf.name)
	} else if d.drift != "" {
		d.note(Unmodeled, o.nameOff, "%s%s: member %q is not in kmstrail's model; it is kept", d.drift, d.driftPart, name)
	}
}

// closeObject finishes an object: case variants are checked and unknown
// members stored.
func (d *decoder) closeObject(o *object) {
	if len(o.variants) > 0 {
		d.checkVariants(o.c, o.start, o.variants)
	}
	if o.unknownP != nil && o.unknown != nil {
		*o.unknownP = append(o.unknown, '}')
	}
}

// checkVariants fails the record when a member that differs from a known
// member only in case holds a different value: a reader that matches names
// case-insensitively (encoding/json v1 does) would read another record.
func (d *decoder) checkVariants(c *structCodec, objStart int, variants []string) {
	end := d.pos
	d.pos = objStart
	values := map[string]jsontext.Value{}
	d.members(func(name string, _ int) {
		vs, ve := d.skipValue()
		if _, ok := values[name]; !ok {
			values[name] = d.rawAt(vs, ve)
		}
	})
	d.pos = end
	for _, name := range variants {
		f := c.folded[strings.ToLower(name)]
		canon, ok := values[f.name]
		if ok && !jsonscan.Equal(canon, values[name]) && d.fault == nil {
			d.fault = errorf(ErrDuplicateName, fmt.Sprintf("members %q and %q differ only in case and hold different values", f.name, name))
		}
	}
}

// appendMember appends `"name":value` to an object being built.
func appendMember(obj, name, value []byte) []byte {
	if obj == nil {
		obj = append(obj, '{')
	} else {
		obj = append(obj, ',')
	}
	// name holds the quoted name, the colon and any space; keep the quoted
	// name only.
	name = bytes.TrimRight(name, " \t\r\n")
	name = bytes.TrimSuffix(name, []byte(":"))
	name = bytes.TrimRight(name, " \t\r\n")
	obj = append(obj, name...)
	obj = append(obj, ':')
	return append(obj, value...)
}

// outcome says what a field decoder did with a value.
type outcome uint8

const (
	set     outcome = iota // the field holds the value
	wasNull                // the value was null; the field is untouched
	kept                   // the field cannot hold the value; keep it as written
)

// The field decoders below read the value at d.pos into a field of each
// kind and say what they did. A value of the wrong type is reported and
// kept as written; null leaves the field untouched.

// decString decodes a string, or a named string type such as an SDK enum.
func decString[S ~string](d *decoder, p *S) outcome {
	off := d.pos
	switch d.data[off] {
	case '"':
		s := d.readString()
		if s == redactedMarker {
			d.note(Redacted, off, "value hidden by CloudTrail (%s)", redactedMarker)
		}
		*p = S(s)
		return set
	case 'n':
		d.pos += 4
		return wasNull
	}
	return d.mismatch(off, "a string")
}

// decBool decodes a boolean, or "true" and "false" written as strings.
func decBool(d *decoder, p *bool) outcome {
	off := d.pos
	switch d.data[off] {
	case 't':
		*p = true
		d.pos += 4
		return set
	case 'f':
		*p = false
		d.pos += 5
		return set
	case 'n':
		d.pos += 4
		return wasNull
	case '"':
		if s, _ := d.stringAt(); s == "true" || s == "false" {
			*p = s == "true"
			d.note(Normalized, off, "boolean written as the string %q", s)
			return set
		}
		d.pos = off
	}
	return d.mismatch(off, "a boolean")
}

// decInt decodes an integer, or one written as a string or as 7.0.
func decInt[I ~int | ~int8 | ~int16 | ~int32 | ~int64](d *decoder, p *I) outcome {
	off := d.pos
	c := d.data[off]
	var lit string
	quoted := c == '"'
	switch {
	case c == 'n':
		d.pos += 4
		return wasNull
	case quoted:
		lit, _ = d.stringAt() // not kept: notes copy it
	case c == '-' || (c >= '0' && c <= '9'):
		s, e := d.skipValue()
		lit = d.data[s:e]
	}
	n, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		// 7.0 or 7e0: an integer in another spelling.
		if fl, ferr := strconv.ParseFloat(lit, 64); ferr == nil && fl == math.Trunc(fl) && math.Abs(fl) < 1<<53 {
			n, err = int64(fl), nil
			if !quoted {
				d.note(Normalized, off, "integer written as %s", lit)
			}
		}
	}
	if err != nil || int64(I(n)) != n {
		d.pos = off
		return d.mismatch(off, "an integer")
	}
	if quoted {
		d.note(Normalized, off, "number written as the string %q", lit)
	}
	*p = I(n)
	return set
}

// decFloat decodes a number. The generator emits it for float64 fields,
// which no model has today.
//
//lint:ignore U1000 kept for the generator (codec_gen_test.go)
func decFloat(d *decoder, p *float64) outcome {
	off := d.pos
	c := d.data[off]
	if c == 'n' {
		d.pos += 4
		return wasNull
	}
	if c == '-' || (c >= '0' && c <= '9') {
		s, e := d.skipValue()
		if fl, err := strconv.ParseFloat(d.data[s:e], 64); err == nil {
			*p = fl
			return set
		}
		d.pos = off
	}
	return d.mismatch(off, "a number")
}

// decStdTime decodes a time into a time.Time (eventTime).
func decStdTime(d *decoder, p *time.Time) outcome {
	var t Time
	out := d.decodeTime(&t, true)
	if out == set {
		*p = t.Time
	}
	return out
}

// decTime decodes a time into a Time.
func decTime(d *decoder, p *Time) outcome { return d.decodeTime(p, false) }

// decRaw keeps a value as written.
func decRaw(d *decoder, p *jsontext.Value) outcome {
	if d.data[d.pos] == 'n' {
		d.pos += 4
		return wasNull
	}
	slot := -1
	if d.atSlot() {
		slot = d.ti - 1 // see enter
	}
	s, e := d.skipValue()
	d.checkOmitted(s, e, slot)
	*p = d.rawAt(s, e)
	return set
}

// decObject decodes an object into a struct value.
func decObject[T any, P interface {
	*T
	objectDecoder
}](d *decoder, p *T) outcome {
	switch d.data[d.pos] {
	case '{':
		P(p).decodeObject(d)
		return set
	case 'n':
		d.pos += 4
		return wasNull
	}
	return d.mismatch(d.pos, "an object")
}

// decPtr decodes an object into a new struct.
func decPtr[T any, P interface {
	*T
	objectDecoder
}](d *decoder, pp **T) outcome {
	switch d.data[d.pos] {
	case '{':
		v := newIn[T](d)
		P(v).decodeObject(d)
		*pp = v
		return set
	case 'n':
		d.pos += 4
		return wasNull
	}
	return d.mismatch(d.pos, "an object")
}

// newIn returns a new T, from the record's block when it has one to spare.
func newIn[T any](d *decoder) *T {
	if b := d.block; b != nil {
		var v any
		switch any((*T)(nil)).(type) {
		case *UserIdentity:
			v = b.take(0, &b.ui)
		case *SessionContext:
			v = b.take(1, &b.sc)
		case *SessionIssuer:
			v = b.take(2, &b.si)
		case *SessionAttributes:
			v = b.take(3, &b.sa)
		case *TLSDetails:
			v = b.take(4, &b.tls)
		case *WebIDFederationData:
			v = b.take(6, &b.wf)
		}
		if p, ok := v.(*T); ok {
			return p
		}
	}
	return new(T)
}

// decSlice decodes an array, each element with elem. An element the slice
// cannot hold is left out of the typed view (its diagnostic says so), and
// the array is kept as written for marshaling.
func decSlice[E any](d *decoder, p *[]E, elem func(*decoder, *E) outcome) outcome {
	switch d.data[d.pos] {
	case '[':
	case 'n':
		d.pos += 4
		return wasNull
	default:
		return d.mismatch(d.pos, "an array")
	}
	var sl []E
	if b := d.block; b != nil {
		if _, ok := any((*E)(nil)).(*Resource); ok && b.taken&(1<<5) == 0 {
			b.taken |= 1 << 5
			sl = any(b.res[:0:len(b.res)]).([]E)
		}
	}
	if sl == nil {
		sl = make([]E, 0, 4)
	}
	result := set
	d.elements(func(i int) {
		d.path = append(d.path, pathElem{index: int32(i)})
		// Decoded in place: a variable passed to elem would escape.
		var zero E
		sl = append(sl, zero)
		if elem(d, &sl[len(sl)-1]) == kept {
			result = kept
			sl[len(sl)-1] = zero
			sl = sl[:len(sl)-1]
		}
		d.path = d.path[:len(d.path)-1]
	})
	*p = sl
	return result
}

// decMapString decodes an object of strings, such as an encryption
// context. A value that is not a string is read as its JSON text.
func decMapString(d *decoder, p *map[string]string) outcome {
	switch d.data[d.pos] {
	case '{':
	case 'n':
		d.pos += 4
		return wasNull
	default:
		return d.mismatch(d.pos, "an object")
	}
	m := map[string]string{}
	d.members(func(name string, _ int) {
		vs, ve := d.skipValue()
		v := d.data[vs:ve]
		if d.data[vs] == '"' {
			d.pos = vs
			v = d.readString()
		} else {
			d.pushName(name)
			d.note(Normalized, vs, "non-string value %s read as a string", v)
			d.popPath(len(d.path) - 1)
			v = d.keep(v)
		}
		m[d.keep(name)] = v
	})
	*p = m
	return set
}

// mismatch reports a value of the wrong type and skips it. A redaction
// marker in place of an object or array is a redaction, not a mismatch.
func (d *decoder) mismatch(off int, want string) outcome {
	s, e := d.skipValue()
	val := d.data[s:e]
	if val == `"`+redactedMarker+`"` {
		d.note(Redacted, off, "value hidden by CloudTrail (%s)", redactedMarker)
		return kept
	}
	if len(val) > 40 {
		val = val[:37] + "..."
	}
	d.note(Mismatched, off, "want %s, found %s; kept as written", want, val)
	return kept
}

// checkOmitted reports an object member CloudTrail truncated: it puts
// "omitted": true (and little else) in the member's place. slot is the
// object's slot on the tape, or -1: the tape's names are checked for
// "omitted" rather than the text, which was 2% of a Reader's CPU.
func (d *decoder) checkOmitted(start, end, slot int) {
	if end-start < 10 || end-start > 256 || d.data[start] != '{' {
		return
	}
	if slot >= 0 {
		k, skip := slot+1, int(d.tape[slot].Skip)
		for k < skip && d.data[d.tape[k].NameOff:d.tape[k].NameEnd] != "omitted" {
			k = int(d.tape[k].Skip)
		}
		if k >= skip {
			return
		}
	} else if !strings.Contains(d.data[start:end], `"omitted"`) {
		return
	}
	save := d.pos
	d.pos = start
	d.members(func(name string, _ int) {
		vs, ve := d.skipValue()
		if name == "omitted" && d.data[vs:ve] == "true" {
			d.note(Redacted, start, "CloudTrail omitted this value as too large (\"omitted\": true)")
		}
	})
	d.pos = save
}

// decodeTime decodes a time. For a time.Time field (std), a value in no
// dialect is kept as written; a Time keeps it in Text.
func (d *decoder) decodeTime(p *Time, std bool) outcome {
	off := d.pos
	c := d.data[off]
	var t Time
	var err error
	switch {
	case c == 'n':
		d.pos += 4
		return wasNull
	case c == '"':
		t, err = ParseTime(d.readString())
	case c == '-' || (c >= '0' && c <= '9'):
		s, e := d.skipValue()
		t, err = parseEpoch(d.keep(d.data[s:e]))
	default:
		return d.mismatch(off, "a time")
	}
	if err != nil {
		if std {
			d.pos = off
			return d.mismatch(off, "a time")
		}
		d.note(Mismatched, off, "time %q fits no known dialect; kept as written", t.Text)
		*p = t
		return set
	}
	written := d.data[off:d.pos]
	if d.roundTrip {
		if !(t.Dialect == DialectRFC3339 && len(written) == 22 && written[20] == 'Z') {
			if out := string(t.AppendRFC3339(nil)); out != written {
				d.note(Normalized, off, "time %s (%s) is written as %s", written, t.Dialect, out)
			}
		}
	} else if t.Dialect.irregular() {
		d.note(Normalized, off, "time %s read as %s (%s)", written, t.String(), t.Dialect)
	}
	*p = t
	return set
}

// An encoder writes the package's structs as JSON.
type encoder struct {
	buf []byte
}

// marshalValue encodes a struct (or pointer to one) with its codec.
func marshalValue(v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return []byte("null"), nil
		}
		rv = rv.Elem()
	}
	e := &encoder{buf: make([]byte, 0, 1024)}
	e.encodeStruct(codecFor(rv.Type()), rv)
	return e.buf, nil
}

// encodeStruct writes a struct: the members it read (or holds), then its
// unknown members.
func (e *encoder) encodeStruct(c *structCodec, v reflect.Value) {
	var fs fieldSet
	if c.tracked {
		fs = *v.Addr().Interface().(presence).fieldSet()
	}
	var shadowed map[string]bool
	if c.unknown >= 0 {
		shadowed = memberNames(v.Field(c.unknown).Bytes())
	}
	e.buf = append(e.buf, '{')
	first := true
	for _, f := range c.fields {
		if shadowed[f.name] {
			continue // Unknown holds this member as written
		}
		fv := v.Field(f.index)
		zero := fv.IsZero()
		switch {
		case fs.present&f.bit != 0 || !zero:
		case fs.null&f.bit != 0:
		default:
			continue
		}
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		e.buf = appendQuoted(e.buf, f.name)
		e.buf = append(e.buf, ':')
		if zero && fs.null&f.bit != 0 && fs.present&f.bit == 0 {
			e.buf = append(e.buf, "null"...)
			continue
		}
		e.encodeField(f, fv)
	}
	if c.unknown >= 0 {
		if u := v.Field(c.unknown).Bytes(); len(u) > 2 {
			u = bytes.TrimSpace(u)
			if len(u) > 2 {
				if !first {
					e.buf = append(e.buf, ',')
				}
				e.buf = append(e.buf, bytes.TrimSpace(u[1:len(u)-1])...)
			}
		}
	}
	e.buf = append(e.buf, '}')
}

// memberNames returns the member names of a JSON object, or nil for an empty
// one.
func memberNames(obj []byte) map[string]bool {
	if len(obj) <= 2 {
		return nil
	}
	names := map[string]bool{}
	d := &decoder{data: string(obj), raw: obj}
	d.members(func(name string, _ int) {
		names[name] = true
		d.skipValue()
	})
	return names
}

// encodeField writes one field's value.
func (e *encoder) encodeField(f *fieldCodec, fv reflect.Value) {
	switch f.kind {
	case kString:
		e.buf = appendQuoted(e.buf, fv.String())
	case kBool:
		e.buf = strconv.AppendBool(e.buf, fv.Bool())
	case kInt:
		e.buf = strconv.AppendInt(e.buf, fv.Int(), 10)
	case kFloat:
		e.buf = strconv.AppendFloat(e.buf, fv.Float(), 'g', -1, 64)
	case kStdTime:
		e.buf = Time{Time: fv.Interface().(time.Time), Dialect: DialectRFC3339}.AppendRFC3339(e.buf)
	case kTime:
		b, _ := fv.Interface().(Time).MarshalJSON()
		e.buf = append(e.buf, b...)
	case kRaw:
		if b := fv.Bytes(); len(b) > 0 {
			e.buf = append(e.buf, b...)
		} else {
			e.buf = append(e.buf, "null"...)
		}
	case kStruct:
		e.encodeStruct(f.sc, fv)
	case kPtr:
		if fv.IsNil() {
			e.buf = append(e.buf, "null"...)
		} else {
			e.encodeStruct(f.sc, fv.Elem())
		}
	case kSlice:
		e.buf = append(e.buf, '[')
		for i := 0; i < fv.Len(); i++ {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.encodeField(f.elem, fv.Index(i))
		}
		e.buf = append(e.buf, ']')
	case kMapString:
		keys := fv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		e.buf = append(e.buf, '{')
		for i, k := range keys {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = appendQuoted(e.buf, k.String())
			e.buf = append(e.buf, ':')
			e.buf = appendQuoted(e.buf, fv.MapIndex(k).String())
		}
		e.buf = append(e.buf, '}')
	}
}
