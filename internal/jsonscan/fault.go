package jsonscan

import "fmt"

// A FaultKind says what is wrong with the text.
type FaultKind uint8

// Fault kinds.
const (
	// Syntax: the text is not JSON.
	Syntax FaultKind = iota + 1
	// InvalidUTF8: a string holds bytes that are not UTF-8, or a \u
	// escape names half of a surrogate pair (Options.Repair replaces
	// them).
	InvalidUTF8
	// Truncated: the input ends inside a value (or, with SetOneLine, the
	// line does).
	Truncated
	// DuplicateName: an object has a member name twice, with different
	// values.
	DuplicateName
	// Limit: the value crosses one of the Limits (Fault.Limit says which).
	Limit
)

// A LimitKind names one of the Limits.
type LimitKind uint8

// The Limits, by field.
const (
	DepthLimit LimitKind = iota + 1
	StringLimit
	ValueLimit
	SlotsLimit
)

// A Fault is a fault in the text, with its position. It is the error
// ScanValue returns for a syntax fault, and a Value's Fault for one that
// leaves the syntax intact.
type Fault struct {
	Kind FaultKind
	// Limit and Max say which limit a fault of Kind Limit crossed, and its
	// value.
	Limit LimitKind
	Max   int
	// Msg says what is wrong, in words about JSON ("invalid character 'x'
	// after object member; want ',' or '}'", "nesting deeper than 128
	// levels"), without the position.
	Msg string
	// Offset is the fault's input offset; Line and Col its line and
	// column, zero when not known (see Value.Fault).
	Offset    int64
	Line, Col int
	// Pointer is the JSON Pointer of the value the fault is in, relative
	// to the value being scanned.
	Pointer string
}

// Error returns the fault's message.
func (f *Fault) Error() string { return f.Msg }

// Fault returns a fault of kind k at the Scanner's position, with the
// message format gives. Callers use it for faults in the text between
// values, such as a missing ',' between the elements of an array they read.
func (s *Scanner) Fault(k FaultKind, format string, args ...any) *Fault {
	return s.fault(s.pos, k, format, args...)
}

// fault builds a Fault at buf[i], which must be on the current line.
func (s *Scanner) fault(i int, k FaultKind, format string, args ...any) *Fault {
	return s.faultAt(i, &Fault{Kind: k, Msg: fmt.Sprintf(format, args...)})
}

// faultAt positions f at buf[i], which must be on the current line.
func (s *Scanner) faultAt(i int, f *Fault) *Fault {
	f.Offset, f.Line, f.Col = s.offset(i), s.line, s.column(i)
	if s.cur != nil {
		f.Pointer = s.pointer()
	}
	return f
}

// limitFault builds the fault of crossing limit k of value max, unpositioned.
func (s *Scanner) limitFault(k LimitKind, max int) *Fault {
	var what string
	switch k {
	case DepthLimit:
		what = "nesting deeper than %d levels"
	case StringLimit:
		what = "string longer than %d bytes"
	case ValueLimit:
		what = "value larger than %d bytes"
	case SlotsLimit:
		what = "more than %d members and elements"
	}
	return &Fault{Kind: Limit, Limit: k, Max: max, Msg: fmt.Sprintf(what, max)}
}

// EndFault returns what ended the input at the Scanner's position, which
// is inside something (what) that the input should have finished: the read
// error that ended it, or else a Truncated fault.
func (s *Scanner) EndFault(what string) error { return s.readErrAt(s.pos, what) }

// readErrAt reports the end of input (or a read error) at buf[i].
func (s *Scanner) readErrAt(i int, what string) error {
	if s.rerr != nil {
		return s.rerr
	}
	return &Fault{Kind: Truncated, Msg: what, Offset: s.offset(i), Line: s.line, Col: s.column(i)}
}

// Describe names a byte for messages: 'x' for a printable ASCII byte, "'"
// for the quote, byte 0x0a for the others.
func Describe(c byte) string {
	switch {
	case c == '\'':
		return `"'"`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(c) + "'"
	default:
		return fmt.Sprintf("byte 0x%02x", c)
	}
}
