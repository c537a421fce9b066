package kmstrail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/kmstrail/kmstrail/internal/jsonscan"
)

// This file bridges kmstrail to the AWS SDK for Go v2's CloudTrail client:
// the LookupEvents API (event history) and CloudTrail Lake query results.

// LookupEvent decodes the record of one LookupEvents result, which holds it
// as a JSON string in CloudTrailEvent. Where the result's own members
// (EventId, EventName, EventSource) disagree with the record, the Event has
// a Mismatched diagnostic.
func LookupEvent(e types.Event) (*Event, error) {
	if e.CloudTrailEvent == nil {
		return nil, &Error{Record: -1, Err: errorf(ErrNotRecord, "LookupEvents result without CloudTrailEvent")}
	}
	ev, err := onlyRecord(NewReader(strings.NewReader(*e.CloudTrailEvent)))
	if err != nil {
		return nil, err
	}
	ev.Source.Format = FormatLookupEvents
	for _, c := range [...]struct {
		name       string
		want, have *string
	}{
		{"eventID", e.EventId, &ev.EventID},
		{"eventName", e.EventName, &ev.EventName},
		{"eventSource", e.EventSource, &ev.EventSource},
	} {
		if c.want != nil && *c.want != *c.have {
			ev.Diagnostics = append(ev.Diagnostics, Diagnostic{Kind: Mismatched, Pointer: "/" + c.name,
				Message: fmt.Sprintf("LookupEvents says %s %q, the record %q", c.name, *c.want, *c.have)})
		}
	}
	return ev, nil
}

// LookupEvents runs a LookupEvents query through the SDK's paginator and
// returns an iterator over the records it finds, newest first as the API
// returns them. An API error (after the SDK's retries) is yielded last, and
// so is an error for a response that repeats the NextToken it was sent
// (the paginator would request that page for ever); ctx cancels the query.
// Records count from 0 in Event.Source.Record.
func LookupEvents(ctx context.Context, client cloudtrail.LookupEventsAPIClient, params *cloudtrail.LookupEventsInput,
	optFns ...func(*cloudtrail.LookupEventsPaginatorOptions)) iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		p := cloudtrail.NewLookupEventsPaginator(client, params, optFns...)
		n := 0
		var sent *string // the NextToken of the page's request
		if params != nil {
			sent = params.NextToken
		}
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(nil, &Error{Record: -1, Err: err})
				return
			}
			for _, e := range page.Events {
				ev, err := LookupEvent(e)
				number(ev, err, n)
				n++
				if !yield(ev, err) {
					return
				}
			}
			if page.NextToken != nil && sent != nil && *page.NextToken == *sent {
				// The paginator would ask for the same page again, for
				// ever (unless StopOnDuplicateToken, which stops silently).
				err := fmt.Errorf("LookupEvents returned the NextToken it was sent, %q: "+
					"stopped rather than ask for the same page again", *sent)
				yield(nil, &Error{Record: -1, Err: err})
				return
			}
			sent = page.NextToken
		}
	}
}

// LakeRows returns an iterator over the records of CloudTrail Lake query
// results as GetQueryResults returns them (QueryResultRows: each row a list
// of single-column maps), decoding each row with LakeEvent.
func LakeRows(rows [][]map[string]string) iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		for i, row := range rows {
			cells := map[string]string{}
			for _, cell := range row {
				for k, v := range cell {
					cells[k] = v
				}
			}
			ev, err := LakeEvent(cells)
			number(ev, err, i)
			if !yield(ev, err) {
				return
			}
		}
	}
}

// number gives the record index n to a decoded record or to its error.
func number(ev *Event, err error, n int) {
	if ev != nil {
		ev.Source.Record = n
	}
	var pe *Error
	if errors.As(err, &pe) {
		pe.Record = n
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
func LakeEvent(row map[string]string) (*Event, error) { return lakeEvent(row, defaultLimits(), false) }

// lakeEvent is LakeEvent under the limits and Repair setting of the Reader
// the row is read by.
func lakeEvent(row map[string]string, lim limits, repair bool) (*Event, error) {
	newReader := func(in io.Reader) *Reader {
		r := NewReader(in)
		r.Repair, r.lim = repair, &lim
		return r
	}
	for k, v := range row {
		if strings.EqualFold(k, "eventjson") {
			r := newReader(strings.NewReader(v))
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
	b = append(b, '}')
	ev, err := onlyRecord(newReader(bytes.NewReader(b)))
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
	case '[':
		var elem *fieldCodec
		if f != nil && f.kind == kSlice {
			elem = f.elem
		}
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
			if b, ok = p.value(b, elem); !ok {
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
