package kmstrail

import (
	"bytes"
	"errors"
	"iter"
	"slices"
	"strings"

	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file reads CloudTrail Lake query results: the rows of GetQueryResults
// as the AWS SDK returns them (LakeRows, LakeEvent), and as the AWS CLI
// prints them, which a Reader reads (readState.lakeRow). Each row is a list
// of single-column objects, every value a string; its record is its
// eventJson column when the query selected it, else rebuilt from the
// columns.

// LakeRows returns an iterator over the records of CloudTrail Lake query
// results as GetQueryResults returns them (QueryResultRows: each row a list
// of single-column maps), decoding each row with LakeEvent.
func LakeRows(rows [][]map[string]string) iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		for i, row := range rows {
			var cells []lakeCell
			for _, cell := range row {
				for k, v := range cell {
					cells = append(cells, lakeCell{name: k, text: v})
				}
			}
			ev, err := lakeEvent(cells)
			number(ev, err, i)
			if !yield(ev, err) {
				return
			}
		}
	}
}

// LakeEvent decodes one row of CloudTrail Lake query results, as the AWS SDK
// returns it (GetQueryResults: column name to value, every value a string).
//
// When the row has an eventJson column (SELECT eventJson, ...), that column
// is the record exactly as CloudTrail wrote it, and the Event is decoded
// from it: this is the lossless way to read Lake. Otherwise the record is
// rebuilt from the columns that name envelope members (matched
// case-insensitively): times in Lake's "2023-01-05 13:51:00.000" form,
// booleans written as strings, and nested values either as JSON or in the
// struct text Lake prints ({type=IAMUser, principalid=...}), which is read
// on a best-effort basis and reported in the Event's diagnostics. Columns
// that name no envelope member are kept as unknown members.
func LakeEvent(row map[string]string) (*Event, error) {
	cells := make([]lakeCell, 0, len(row))
	for k, v := range row {
		cells = append(cells, lakeCell{name: k, text: v})
	}
	return lakeEvent(cells)
}

// lakeEvent decodes the record of a row's cells, by the rule of
// exactlyOne, with the default limits.
func lakeEvent(cells []lakeCell) (*Event, error) {
	text, notes := lakeRecord(cells)
	ev, err := exactlyOne(NewReader(bytes.NewReader(text)).Next)
	if err != nil {
		return nil, err
	}
	lakeNotes(ev, notes)
	return ev, nil
}

// lakeRow decodes the row of v at pointer ptr of Lake results' rows (read
// whole, or streamed by the Reader), at the given depth of envelopes. Its
// record is read through the inner scanner of that depth, with this
// Reader's settings, by the rule of exactlyOne.
func (r *readState) lakeRow(v *value, row node, ptr string, depth int) {
	var cells []lakeCell
	if row.kind() == '[' {
		row.elems(func(_ int, cell node) {
			if cell.kind() == '{' {
				cell.each(func(k string, val node) {
					if val.kind() == '"' {
						cells = append(cells, lakeCell{name: k, quoted: row.d.raw[val.off:val.end]})
					}
				})
			}
		})
	}
	off, line, col := v.loc.Position(row.off)
	text, notes := lakeRecord(cells)
	ev, err := exactlyOne(r.nested(text, depth))
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Path, e.Record, e.Offset, e.Line, e.Column = r.Path, r.records, off, line, col
			e.Pointer = ptr
		}
		r.q.add(result{err: err})
		r.records++
		return
	}
	lakeNotes(ev, notes)
	ev.Source = Source{Path: r.Path, Record: r.records, Offset: off, Line: line, Column: col, Format: FormatLake}
	r.records++
	r.q.add(result{ev: ev})
}

// A lakeCell is one column of a Lake row: its name and its value, as a
// string or as the quoted JSON string it is read from.
type lakeCell struct {
	name   string
	text   string
	quoted []byte
}

// str returns the cell's value.
func (c *lakeCell) str() string {
	if c.quoted == nil {
		return c.text
	}
	s, _ := jsonscan.Unquote(c.quoted) // valid: the scanner read it
	return s
}

// bytes returns the cell's value in a slice of its own.
func (c *lakeCell) bytes() []byte {
	if c.quoted == nil {
		return []byte(c.text)
	}
	b, _ := jsonscan.UnquoteBytes(c.quoted)
	return b
}

// lakeRecord returns the text of the record of a row's cells: its eventjson
// column, the record exactly as CloudTrail wrote it, or else JSON rebuilt
// from the columns that name envelope members (matched case-insensitively),
// with the members rebuilt from Lake's struct text. A column named twice
// has its last value, as in a map of the row.
func lakeRecord(cells []lakeCell) (text []byte, notes []string) {
	slices.SortStableFunc(cells, func(a, b lakeCell) int { return strings.Compare(a.name, b.name) })
	last := cells[:0]
	for i, c := range cells {
		if i+1 == len(cells) || cells[i+1].name != c.name {
			last = append(last, c)
		}
	}
	for i := range last {
		if strings.EqualFold(last[i].name, "eventjson") {
			return last[i].bytes(), nil
		}
	}
	b := []byte{'{'}
	for i := range last {
		col, known := lakeColumns[strings.ToLower(last[i].name)]
		name, v := last[i].name, last[i].str()
		if known {
			name = col.member
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = appendQuoted(b, name)
		b = append(b, ':')
		switch {
		case !known || col.kind == lakeString:
			b = appendQuoted(b, v)
		case col.kind == lakeBool && (v == "true" || v == "false"):
			b = append(b, v...)
		case col.kind == lakeStruct && v == "":
			b = append(b, "null"...)
		case col.kind == lakeStruct && jsonValid(v):
			b = append(b, v...)
		case col.kind == lakeStruct:
			if j, ok := hiveToJSON(v, eventCodec.byName[name]); ok {
				b = append(b, j...)
				notes = append(notes, name)
			} else {
				b = appendQuoted(b, v)
			}
		default:
			b = appendQuoted(b, v)
		}
	}
	return append(b, '}'), notes
}

// lakeNotes adds to ev the diagnostics of the members rebuilt from Lake's
// struct text, and says it came from Lake.
func lakeNotes(ev *Event, notes []string) {
	ev.Source.Format = FormatLake
	for _, n := range notes {
		ev.Diagnostics = append(ev.Diagnostics, Diagnostic{Kind: Normalized, Pointer: "/" + n,
			Message: "rebuilt from CloudTrail Lake's struct text; member names are as Lake prints them (lower case)"})
	}
}

// lakeColumns maps CloudTrail Lake's lower-case column names to record
// member names, with how each column's text becomes JSON.
var lakeColumns = func() map[string]lakeColumn {
	m := map[string]lakeColumn{}
	for _, name := range []string{
		"eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
		"userAgent", "errorCode", "errorMessage", "requestID", "eventID", "eventType", "apiVersion",
		"recipientAccountId", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId",
		"eventCategory", "sessionCredentialFromConsole", "annotation",
	} {
		m[strings.ToLower(name)] = lakeColumn{member: name, kind: lakeString}
	}
	for _, name := range []string{"readOnly", "managementEvent"} {
		m[strings.ToLower(name)] = lakeColumn{member: name, kind: lakeBool}
	}
	for _, name := range []string{
		"userIdentity", "requestParameters", "responseElements", "additionalEventData",
		"resources", "serviceEventDetails", "addendum", "edgeDeviceDetails", "tlsDetails",
		"insightDetails", "eventContext",
	} {
		m[strings.ToLower(name)] = lakeColumn{member: name, kind: lakeStruct}
	}
	return m
}()

type lakeColumn struct {
	member string
	kind   uint8
}

const (
	lakeString = iota
	lakeBool
	lakeStruct
)

// jsonValid reports whether s is a JSON object or array.
func jsonValid(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return false
	}
	_, err := jsonscan.ScanDocument([]byte(t), defaultLimits().scan(false))
	return err == nil
}

// hiveToJSON converts the struct text Presto/Trino engines (and so
// CloudTrail Lake) print for struct, map and array columns, such as
// "{type=IAMUser, arn=arn:aws:iam::111122223333:user/Alice, mfa=null}", to
// JSON. Lake prints member names in lower case and every member of the
// schema, null when the record had none: names are mapped back to the
// record's spelling through f's codec, and null members are left out. The
// text is ambiguous when a value holds ", " or "=" or a closing bracket, so
// this is best effort: it fails rather than guess when brackets do not
// balance.
func hiveToJSON(s string, f *fieldCodec) ([]byte, bool) {
	p := &hiveParser{s: s}
	out, ok := p.value(nil, f)
	if !ok || p.i != len(p.s) {
		return nil, false
	}
	return out, true
}

type hiveParser struct {
	s string
	i int
}

// value appends the value at p.i as JSON; f describes the field it fills,
// when known.
func (p *hiveParser) value(b []byte, f *fieldCodec) ([]byte, bool) {
	if p.i >= len(p.s) {
		return appendQuoted(b, ""), true
	}
	switch p.s[p.i] {
	case '{':
		var c *structCodec
		if f != nil {
			c = f.sc
		}
		return p.object(b, c)
	case '[':
		var elem *fieldCodec
		if f != nil && f.kind == kSlice {
			elem = f.elem
		}
		return p.array(b, elem)
	}
	// A scalar runs to the next ", " or closing bracket at this level.
	end := p.i
	for end < len(p.s) && p.s[end] != '}' && p.s[end] != ']' && !strings.HasPrefix(p.s[end:], ", ") {
		end++
	}
	text := p.s[p.i:end]
	p.i = end
	switch text {
	case "null":
		return append(b, "null"...), true
	case "true", "false":
		return append(b, text...), true
	}
	return appendQuoted(b, text), true
}

// object appends the struct or map at p.i, '{', as a JSON object; c
// describes the struct, when known.
func (p *hiveParser) object(b []byte, c *structCodec) ([]byte, bool) {
	p.i++
	b = append(b, '{')
	for n := 0; ; n++ {
		if end, ok := p.next(n, '}'); !ok || end {
			return append(b, '}'), ok
		}
		eq := strings.IndexByte(p.s[p.i:], '=')
		if eq < 0 {
			return nil, false
		}
		name := p.s[p.i : p.i+eq]
		p.i += eq + 1
		var sub *fieldCodec
		if c != nil {
			if kf := c.folded[strings.ToLower(name)]; kf != nil {
				name, sub = kf.name, kf
			}
		}
		if strings.HasPrefix(p.s[p.i:], "null") && (p.i+4 == len(p.s) || p.s[p.i+4] == ',' || p.s[p.i+4] == '}') {
			p.i += 4 // a member the record did not have
			continue
		}
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		b = appendQuoted(b, name)
		b = append(b, ':')
		var ok bool
		if b, ok = p.value(b, sub); !ok {
			return nil, false
		}
	}
}

// array appends the array at p.i, '[', as a JSON array; elem describes its
// elements, when known.
func (p *hiveParser) array(b []byte, elem *fieldCodec) ([]byte, bool) {
	p.i++
	b = append(b, '[')
	for n := 0; ; n++ {
		if end, ok := p.next(n, ']'); !ok || end {
			return append(b, ']'), ok
		}
		if n > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = p.value(b, elem); !ok {
			return nil, false
		}
	}
}

// next reads what comes before the n-th item of a struct or array that
// closer ends: the closer, which it consumes and reports as end, or the
// ", " between items (ok is false if neither is there).
func (p *hiveParser) next(n int, closer byte) (end, ok bool) {
	if p.i < len(p.s) && p.s[p.i] == closer {
		p.i++
		return true, true
	}
	if n > 0 {
		if !strings.HasPrefix(p.s[p.i:], ", ") {
			return false, false
		}
		p.i += 2
	}
	return false, true
}
