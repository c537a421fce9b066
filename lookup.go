package kmstrail

import (
	"bytes"
	"sort"
	"strings"
)

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
func LakeEvent(row map[string]string) (*Event, error) { return lakeEvent(row, false) }

func lakeEvent(row map[string]string, repair bool) (*Event, error) {
	for k, v := range row {
		if strings.EqualFold(k, "eventjson") {
			r := NewReader(strings.NewReader(v))
			r.Repair = repair
			ev, err := onlyRecord(r)
			if ev != nil {
				ev.Source.Format = FormatLake
			}
			return ev, err
		}
	}
	keys := make([]string, 0, len(row))
	for k := range row {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b []byte
	b = append(b, '{')
	var notes []string
	for _, k := range keys {
		v := row[k]
		col, known := lakeColumns[strings.ToLower(k)]
		name := k
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
			if j, ok := hiveToJSON(v); ok {
				b = append(b, j...)
				notes = append(notes, name)
			} else {
				b = appendQuoted(b, v)
			}
		default:
			b = appendQuoted(b, v)
		}
	}
	b = append(b, '}')
	r := NewReader(bytes.NewReader(b))
	r.Repair = repair
	ev, err := onlyRecord(r)
	if err != nil {
		return nil, err
	}
	ev.Source.Format = FormatLake
	for _, n := range notes {
		ev.Diagnostics = append(ev.Diagnostics, Diagnostic{Kind: Normalized, Pointer: "/" + n,
			Message: "rebuilt from CloudTrail Lake's struct text; member names are as Lake prints them (lower case)"})
	}
	return ev, nil
}

// onlyRecord returns the one record a Reader holds.
func onlyRecord(r *Reader) (*Event, error) {
	ev, err := r.Next()
	if err != nil {
		return nil, err
	}
	if _, err := r.Next(); err == nil {
		return nil, &Error{Record: 1, Err: errorf(ErrTooManyRecords, "want one record")}
	}
	return ev, nil
}

// jsonValid reports whether s is a JSON object or array.
func jsonValid(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return false
	}
	_, err := scanDocument([]byte(t), false)
	return err == nil
}

// hiveToJSON converts the struct text Presto/Trino engines (and so
// CloudTrail Lake) print for struct, map and array columns, such as
// "{type=IAMUser, arn=arn:aws:iam::111122223333:user/Alice, mfa=null}", to
// JSON. The text is ambiguous when a value holds ", " or "=" or a closing
// bracket, so this is best effort: it fails rather than guess when brackets
// do not balance.
func hiveToJSON(s string) ([]byte, bool) {
	p := &hiveParser{s: s}
	out, ok := p.value(nil)
	if !ok || p.i != len(p.s) {
		return nil, false
	}
	return out, true
}

type hiveParser struct {
	s string
	i int
}

func (p *hiveParser) value(b []byte) ([]byte, bool) {
	if p.i >= len(p.s) {
		return appendQuoted(b, ""), true
	}
	switch p.s[p.i] {
	case '{':
		p.i++
		b = append(b, '{')
		for n := 0; ; n++ {
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return append(b, '}'), true
			}
			if n > 0 {
				if !strings.HasPrefix(p.s[p.i:], ", ") {
					return nil, false
				}
				p.i += 2
				b = append(b, ',')
			}
			eq := strings.IndexByte(p.s[p.i:], '=')
			if eq < 0 {
				return nil, false
			}
			b = appendQuoted(b, p.s[p.i:p.i+eq])
			b = append(b, ':')
			p.i += eq + 1
			var ok bool
			if b, ok = p.value(b); !ok {
				return nil, false
			}
		}
	case '[':
		p.i++
		b = append(b, '[')
		for n := 0; ; n++ {
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return append(b, ']'), true
			}
			if n > 0 {
				if !strings.HasPrefix(p.s[p.i:], ", ") {
					return nil, false
				}
				p.i += 2
				b = append(b, ',')
			}
			var ok bool
			if b, ok = p.value(b); !ok {
				return nil, false
			}
		}
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
