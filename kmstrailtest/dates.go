package kmstrailtest

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail"
)

// message returns a typed KMS message as the record holds it: its JSON,
// with the members of type kmstrail.Time in the spec's date layout; nil
// (null) for no message, or a message with no member set, as CloudTrail
// never writes {} for KMS.
func (s *spec) message(m kmstrail.KMSMessage) jsontext.Value {
	if m == nil {
		return nil
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("kmstrailtest: marshaling %T: %v", m, err))
	}
	if string(data) == "{}" {
		return nil
	}
	var out bytes.Buffer
	enc := jsontext.NewEncoder(&out)
	if err := copyDates(jsontext.NewDecoder(bytes.NewReader(data)), enc, reflect.ValueOf(m), s.dateLayout); err != nil {
		panic(fmt.Sprintf("kmstrailtest: rewriting the dates of %T: %v", m, err))
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n"))
}

var timeType = reflect.TypeFor[kmstrail.Time]()

// copyDates copies one JSON value from dec to enc. v is the Go value it was
// marshaled from, or invalid when unknown: the members that hold a
// kmstrail.Time are written with layout, the rest as they are.
func copyDates(dec *jsontext.Decoder, enc *jsontext.Encoder, v reflect.Value, layout string) error {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			v = reflect.Value{}
			break
		}
		v = v.Elem()
	}
	switch dec.PeekKind() {
	case '{':
		if err := copyToken(dec, enc); err != nil {
			return err
		}
		for dec.PeekKind() == '"' {
			name, err := dec.ReadToken()
			if err != nil {
				return err
			}
			if err := enc.WriteToken(name); err != nil {
				return err
			}
			f := fieldByName(v, name.String())
			if f.IsValid() && f.Type() == timeType && dec.PeekKind() == '"' {
				tok, err := dec.ReadToken()
				if err != nil {
					return err
				}
				if err := enc.WriteToken(jsontext.String(kmsDate(f.Interface().(kmstrail.Time), layout, tok.String()))); err != nil {
					return err
				}
				continue
			}
			if err := copyDates(dec, enc, f, layout); err != nil {
				return err
			}
		}
		return copyToken(dec, enc)
	case '[':
		if err := copyToken(dec, enc); err != nil {
			return err
		}
		for i := 0; dec.PeekKind() != ']'; i++ {
			var elem reflect.Value
			if v.IsValid() && (v.Kind() == reflect.Slice || v.Kind() == reflect.Array) && i < v.Len() {
				elem = v.Index(i)
			}
			if err := copyDates(dec, enc, elem, layout); err != nil {
				return err
			}
		}
		return copyToken(dec, enc)
	}
	val, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return enc.WriteValue(val)
}

func copyToken(dec *jsontext.Decoder, enc *jsontext.Encoder) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	return enc.WriteToken(tok)
}

// kmsDate writes a Time as KMS does: with layout, in UTC; a Time holding
// text in a string dialect other than RFC 3339 as that text, so that the
// quirks a test reproduces survive; one holding no instant as marshaled.
func kmsDate(t kmstrail.Time, layout, marshaled string) string {
	switch t.Dialect {
	case kmstrail.DialectNone, kmstrail.DialectRFC3339, kmstrail.DialectEpochSeconds, kmstrail.DialectEpochMillis:
	case kmstrail.DialectUnknown:
		return marshaled
	default:
		if t.Text != "" {
			return t.Text
		}
	}
	if !t.Valid() {
		return marshaled
	}
	return t.Time.UTC().Format(layout)
}

// fieldByName returns the field of struct v whose JSON member name is
// name, or an invalid Value.
func fieldByName(v reflect.Value, name string) reflect.Value {
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	if i, ok := jsonFields(v.Type())[name]; ok {
		return v.Field(i)
	}
	return reflect.Value{}
}

// fieldIndexes caches jsonFields by type.
var fieldIndexes sync.Map // reflect.Type -> map[string]int

// jsonFields maps the JSON member names of a struct type's fields, from
// their json tags, to their indexes.
func jsonFields(t reflect.Type) map[string]int {
	if m, ok := fieldIndexes.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		m[name] = i
	}
	fieldIndexes.Store(t, m)
	return m
}
