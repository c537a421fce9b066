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

	"github.com/go-json-experiment/json/jsontext"
)

// This file is the decoding layer: it maps validated JSON text onto the
// package's structs and back. Every struct type is described once by a
// structCodec built from its json tags. Decoding is tolerant in the ways
// DESIGN §4 lists and reports what it did as Diagnostics; encoding writes
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
	kMapRaw    // map[string]jsontext.Value
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
	index int
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
		f.bit = 1 << uint(len(c.fields))
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
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && t.Elem() == rawType:
		f.kind = kMapRaw
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

	loc   *locator
	diags []Diagnostic
	path  []pathElem

	// roundTrip: report every value whose marshaled form would differ from
	// the input (the envelope); otherwise only irregular ones (typed views).
	roundTrip bool
	// drift names the KMS operation whose model is being decoded: members
	// the model does not know are reported as Unmodeled.
	drift string
	// fault is a record-level error found while decoding (a case-variant
	// member that contradicts the member it shadows).
	fault error
	// top, when set, receives the value offsets of the top-level struct's
	// fields, by field index.
	top []int
}

// A pathElem is one step of the JSON Pointer to the value being decoded.
type pathElem struct {
	name  string
	index int // -1 for object members
}

// pointer returns the JSON Pointer of the value being decoded.
func (d *decoder) pointer() string {
	var b []byte
	for _, p := range d.path {
		b = append(b, '/')
		if p.index >= 0 {
			b = strconv.AppendInt(b, int64(p.index), 10)
		} else {
			b = appendPointerToken(b, p.name)
		}
	}
	return string(b)
}

// note records a diagnostic about the value at offset off of the record.
func (d *decoder) note(k DiagnosticKind, off int, format string, args ...any) {
	diag := Diagnostic{Kind: k, Pointer: d.pointer(), Message: fmt.Sprintf(format, args...)}
	if d.loc != nil {
		diag.Offset, diag.Line, diag.Column = d.loc.position(off)
	}
	d.diags = append(d.diags, diag)
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

// readString reads a string value and returns its contents. Strings without
// escapes share the record's text.
func (d *decoder) readString() string {
	start := d.pos + 1
	i := start
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
		return d.data[start:i]
	}
	s, err := unquoteJSON(d.raw[start-1 : i+1])
	if err != nil {
		return d.data[start:i]
	}
	return s
}

// skipString moves past a string value.
func (d *decoder) skipString() {
	i := d.pos + 1
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
		name := d.readString()
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

// rawAt returns the raw bytes of [start, end).
func (d *decoder) rawAt(start, end int) jsontext.Value { return jsontext.Value(d.raw[start:end:end]) }

// decodeStruct decodes the object at pos into v (a struct value).
func (d *decoder) decodeStruct(c *structCodec, v reflect.Value) {
	var fs *fieldSet
	if c.tracked {
		fs = v.Addr().Interface().(presence).fieldSet()
	}
	var unknown []byte
	var variants []string
	objStart := d.pos
	d.members(func(name string, nameOff int) {
		f := c.byName[name]
		if f == nil {
			vs, ve := d.skipValue()
			if c.unknown >= 0 {
				unknown = appendMember(unknown, d.raw[nameOff:vs], d.raw[vs:ve])
			}
			d.path = append(d.path, pathElem{name: name, index: -1})
			if kf := c.folded[strings.ToLower(name)]; kf != nil {
				variants = append(variants, name)
				d.note(Duplicate, nameOff, "member %q differs from %q only in case; it is kept, not decoded", name, kf.name)
			} else if d.drift != "" {
				d.note(Unmodeled, nameOff, "%s: member %q is not in kmstrail's model; it is kept", d.drift, name)
			}
			d.path = d.path[:len(d.path)-1]
			return
		}
		d.path = append(d.path, pathElem{name: name, index: -1})
		fv := v.Field(f.index)
		valStart := d.pos
		if d.top != nil && len(d.path) == 1 {
			d.top[f.index] = valStart
		}
		switch d.decodeField(f, fv) {
		case set:
			if fs != nil {
				fs.present |= f.bit
				fs.null &^= f.bit
			}
		case wasNull:
			if fs != nil {
				fs.null |= f.bit
				fs.present &^= f.bit
			}
		case kept:
			// A value the field cannot hold: keep it as written.
			if c.unknown >= 0 {
				unknown = appendMember(unknown, d.raw[nameOff:valStart], d.raw[valStart:d.pos])
			}
		}
		d.path = d.path[:len(d.path)-1]
	})
	if len(variants) > 0 {
		d.checkVariants(c, objStart, variants)
	}
	if c.unknown >= 0 && unknown != nil {
		unknown = append(unknown, '}')
		v.Field(c.unknown).Set(reflect.ValueOf(jsontext.Value(unknown)))
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
		if ok && !jsonEqual(canon, values[name]) && d.fault == nil {
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

// outcome says what decodeField did with a value.
type outcome uint8

const (
	set     outcome = iota // the field holds the value
	wasNull                // the value was null; the field is untouched
	kept                   // the field cannot hold the value; keep it as written
)

// decodeField decodes the value at pos into fv.
func (d *decoder) decodeField(f *fieldCodec, fv reflect.Value) outcome {
	c := d.peek()
	off := d.pos
	if c == 'n' {
		d.pos += 4
		return wasNull
	}
	switch f.kind {
	case kString:
		if c != '"' {
			return d.mismatch(f, off, "a string")
		}
		s := d.readString()
		if s == redactedMarker {
			d.note(Redacted, off, "value hidden by CloudTrail (%s)", redactedMarker)
		}
		fv.SetString(s)
		return set

	case kBool:
		switch c {
		case 't', 'f':
			fv.SetBool(c == 't')
			d.skipValue()
			return set
		case '"':
			s := d.readString()
			if b, err := strconv.ParseBool(s); err == nil && (s == "true" || s == "false") {
				fv.SetBool(b)
				d.note(Normalized, off, "boolean written as the string %q", s)
				return set
			}
			d.pos = off
		}
		return d.mismatch(f, off, "a boolean")

	case kInt:
		var lit string
		quoted := c == '"'
		if quoted {
			lit = d.readString()
		} else if c == '-' || (c >= '0' && c <= '9') {
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
		if err != nil || fv.OverflowInt(n) {
			d.pos = off
			return d.mismatch(f, off, "an integer")
		}
		if quoted {
			d.note(Normalized, off, "number written as the string %q", lit)
		}
		fv.SetInt(n)
		return set

	case kFloat:
		if c == '-' || (c >= '0' && c <= '9') {
			s, e := d.skipValue()
			if fl, err := strconv.ParseFloat(d.data[s:e], 64); err == nil {
				fv.SetFloat(fl)
				return set
			}
			d.pos = off
		}
		return d.mismatch(f, off, "a number")

	case kStdTime, kTime:
		return d.decodeTime(f, fv, c, off)

	case kRaw:
		s, e := d.skipValue()
		d.checkOmitted(s, e)
		fv.SetBytes(d.rawAt(s, e))
		return set

	case kStruct, kPtr:
		if c != '{' {
			return d.mismatch(f, off, "an object")
		}
		target := fv
		if f.kind == kPtr {
			target = reflect.New(f.sc.typ)
			fv.Set(target)
			target = target.Elem()
		}
		d.decodeStruct(f.sc, target)
		return set

	case kSlice:
		if c != '[' {
			return d.mismatch(f, off, "an array")
		}
		sl := reflect.MakeSlice(f.typ, 0, 4)
		result := set
		d.elements(func(i int) {
			d.path = append(d.path, pathElem{index: i})
			ev := reflect.New(f.typ.Elem()).Elem()
			if d.decodeField(f.elem, ev) == kept {
				// An element the slice cannot hold is left out of the
				// typed view (its diagnostic says so), and the array is
				// kept as written for marshaling.
				result = kept
			} else {
				sl = reflect.Append(sl, ev)
			}
			d.path = d.path[:len(d.path)-1]
		})
		fv.Set(sl)
		return result

	case kMapString, kMapRaw:
		if c != '{' {
			return d.mismatch(f, off, "an object")
		}
		m := reflect.MakeMap(f.typ)
		d.members(func(name string, nameOff int) {
			vs, ve := d.skipValue()
			var val reflect.Value
			if f.kind == kMapRaw {
				val = reflect.ValueOf(d.rawAt(vs, ve))
			} else {
				s := d.data[vs:ve]
				if d.data[vs] == '"' {
					d.pos = vs
					s = d.readString()
				} else {
					d.path = append(d.path, pathElem{name: name, index: -1})
					d.note(Normalized, vs, "non-string value %s read as a string", s)
					d.path = d.path[:len(d.path)-1]
				}
				val = reflect.ValueOf(s).Convert(f.typ.Elem())
			}
			m.SetMapIndex(reflect.ValueOf(name).Convert(f.typ.Key()), val)
		})
		fv.Set(m)
		return set
	}
	panic("unreachable")
}

// mismatch reports a value of the wrong type and skips it. A redaction
// marker in place of an object or array is a redaction, not a mismatch.
func (d *decoder) mismatch(f *fieldCodec, off int, want string) outcome {
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

// checkOmitted reports an object member CloudTrail truncated: it marks such
// members with "omitted": true.
func (d *decoder) checkOmitted(start, end int) {
	if end-start < 10 || d.data[start] != '{' || !strings.Contains(d.data[start:end], `"omitted"`) {
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

// decodeTime decodes a time.Time or Time field.
func (d *decoder) decodeTime(f *fieldCodec, fv reflect.Value, c byte, off int) outcome {
	var t Time
	var err error
	switch {
	case c == '"':
		t, err = ParseTime(d.readString())
	case c == '-' || (c >= '0' && c <= '9'):
		s, e := d.skipValue()
		t, err = parseEpoch(d.data[s:e])
	default:
		return d.mismatch(f, off, "a time")
	}
	if err != nil {
		if f.kind == kStdTime {
			d.pos = off
			return d.mismatch(f, off, "a time")
		}
		d.note(Mismatched, off, "time %q fits no known dialect; kept as written", t.Text)
		fv.Set(reflect.ValueOf(t))
		return set
	}
	written := d.data[off:d.pos]
	if d.roundTrip {
		if out := string(t.AppendRFC3339(nil)); out != written {
			d.note(Normalized, off, "time %s (%s) is written as %s", written, t.Dialect, out)
		}
	} else if t.Dialect.irregular() {
		d.note(Normalized, off, "time %s read as %s (%s)", written, t.String(), t.Dialect)
	}
	if f.kind == kStdTime {
		fv.Set(reflect.ValueOf(t.Time))
	} else {
		fv.Set(reflect.ValueOf(t))
	}
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
	case kMapString, kMapRaw:
		keys := fv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		e.buf = append(e.buf, '{')
		for i, k := range keys {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = appendQuoted(e.buf, k.String())
			e.buf = append(e.buf, ':')
			val := fv.MapIndex(k)
			if f.kind == kMapRaw {
				e.buf = append(e.buf, val.Bytes()...)
			} else {
				e.buf = appendQuoted(e.buf, val.String())
			}
		}
		e.buf = append(e.buf, '}')
	}
}
