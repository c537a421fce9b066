package main

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail"
)

// A printer prints records in one of the output formats.
type printer struct {
	out    *bufio.Writer
	format string // table, json or raw
	wide   bool   // table: whole ARNs, the principal in full, the file
	headed bool
}

func (p *printer) print(ev *kmstrail.Event) error {
	switch p.format {
	case "json":
		b, err := json.Marshal(summarize(ev))
		if err != nil {
			return err
		}
		v := jsontext.Value(b)
		if err := v.Compact(); err != nil {
			return err
		}
		p.out.Write(v)
		return p.out.WriteByte('\n')
	case "raw":
		v := jsontext.Value(append([]byte(nil), ev.Raw...))
		if err := v.Compact(); err != nil {
			// Repaired records are not JSON as read: print the record
			// as marshaled, which is.
			b, merr := ev.MarshalJSON()
			if merr != nil {
				return merr
			}
			v = b
			_ = v.Compact()
		}
		p.out.Write(v)
		return p.out.WriteByte('\n')
	}
	if !p.headed {
		p.headed = true
		head := []string{"TIME (UTC)", "EVENT", "PRINCIPAL", "KEY", "DETAIL"}
		if p.wide {
			head = append(head, "FILE")
		}
		fmt.Fprintln(p.out, p.tableLine(head))
	}
	_, err := fmt.Fprintln(p.out, p.tableLine(p.tableRow(ev)))
	return err
}

// summary is the -o json object.
type summary struct {
	EventID            string            `json:"eventID,omitzero"`
	EventName          string            `json:"eventName,omitzero"`
	EventSource        string            `json:"eventSource,omitzero"`
	EventTime          string            `json:"eventTime,omitzero"`
	EventType          string            `json:"eventType,omitzero"`
	AWSRegion          string            `json:"awsRegion,omitzero"`
	RecipientAccountID string            `json:"recipientAccountId,omitzero"`
	ReadOnly           bool              `json:"readOnly"`
	ErrorCode          string            `json:"errorCode,omitzero"`
	ErrorMessage       string            `json:"errorMessage,omitzero"`
	Principal          string            `json:"principal,omitzero"`
	Source             source            `json:"source"`
	KMS                *kmstrail.KMSCall `json:"kms,omitzero"`
	Diagnostics        []diagnostic      `json:"diagnostics,omitzero"`
}

// source says where a record came from: the input and the record's index in
// it. How the record was delivered is left out, so that the
// same records print the same lines whatever their envelope.
type source struct {
	Path   string `json:"path,omitzero"`
	Record int    `json:"record"`
}

// diagnostic is a Diagnostic without its position, for the same reason;
// -diagnostics prints positions on standard error.
type diagnostic struct {
	Kind    string `json:"kind"`
	Pointer string `json:"pointer,omitzero"`
	Message string `json:"message"`
}

func summarize(ev *kmstrail.Event) summary {
	s := summary{
		EventID: ev.EventID, EventName: ev.EventName, EventSource: ev.EventSource, EventType: ev.EventType,
		AWSRegion: ev.AWSRegion, RecipientAccountID: ev.RecipientAccountID, ReadOnly: ev.ReadOnly,
		ErrorCode: ev.ErrorCode, ErrorMessage: ev.ErrorMessage, Principal: ev.Principal().String(),
		Source: source{Path: ev.Source.Path, Record: ev.Source.Record},
		KMS:    ev.KMS,
	}
	if !ev.EventTime.IsZero() {
		s.EventTime = ev.EventTime.UTC().Format(time.RFC3339Nano)
	}
	for _, d := range ev.Diagnostics {
		s.Diagnostics = append(s.Diagnostics, diagnostic{Kind: d.Kind.String(), Pointer: d.Pointer, Message: d.Message})
	}
	return s
}

// The table's column widths. A key ID (a UUID, or mrk- and 32 hex digits)
// is 36 characters and is never cut, so that keys can be told apart; the
// event and principal are cut with a mark. With -wide nothing is cut.
const (
	wTime      = 20
	wEvent     = 22
	wPrincipal = 18
	wKey       = 36
	// tableColumns is the width of a table line without -wide; the
	// detail takes what is left.
	tableColumns = 132
	wDetail      = tableColumns - wTime - wEvent - wPrincipal - wKey - 8
)

var tableWidths = []int{wTime, wEvent, wPrincipal, wKey, wDetail}

func (p *printer) tableLine(cols []string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString("  ")
		}
		if i < len(tableWidths) {
			if !p.wide && i != 3 {
				c = fit(c, tableWidths[i])
			}
			fmt.Fprintf(&b, "%-*s", tableWidths[i], c)
			continue
		}
		b.WriteString(c)
	}
	return strings.TrimRight(b.String(), " ")
}

func (p *printer) tableRow(ev *kmstrail.Event) []string {
	t := ""
	if !ev.EventTime.IsZero() {
		t = ev.EventTime.UTC().Format("2006-01-02T15:04:05Z")
	}
	key, principal := "", shortPrincipal(ev.Principal())
	if ev.KMS != nil {
		key = ev.KMS.Key.ID
		if p.wide && ev.KMS.Key.ARN != "" {
			key = ev.KMS.Key.ARN
		}
		if key == "" {
			key = ev.KMS.Key.Alias
		}
	}
	if p.wide {
		principal = ev.Principal().String()
	}
	row := []string{t, ev.EventName, principal, key, detail(ev)}
	if p.wide {
		row = append(row, ev.Source.Path+":"+strconv.Itoa(ev.Source.Record))
	}
	return row
}

// shortPrincipal names a principal in a few characters: the resource part
// of its ARN (user/Alice, role/Admin), the session, or the service.
func shortPrincipal(p kmstrail.Principal) string {
	name := p.ARN
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	if p.SessionName != "" {
		name += "/" + p.SessionName
	}
	if name == "" {
		name = strings.TrimSuffix(p.Service, ".amazonaws.com")
	}
	if name == "" {
		name = p.Type
	}
	return name
}

// detail says the most telling thing about a record in a few words. Times
// are in UTC, and say so.
func detail(ev *kmstrail.Event) string {
	if ev.ErrorCode != "" {
		return "error " + ev.ErrorCode
	}
	if ev.KMS == nil {
		return ""
	}
	switch req := ev.KMS.Request.(type) {
	case *kmstrail.ImportKeyMaterialRequest:
		if req.ValidTo.Valid() {
			return "expires " + req.ValidTo.UTC().Format("2006-01-02 15:04 UTC")
		}
		if req.ExpirationModel == types.ExpirationModelTypeKeyMaterialDoesNotExpire {
			return "no expiry"
		}
	case *kmstrail.CreateGrantRequest:
		g := kmstrail.Principal{Service: req.Grantee()}
		if strings.HasPrefix(g.Service, "arn:") {
			g = kmstrail.Principal{ARN: g.Service}
		}
		return "to " + shortPrincipal(g)
	case *kmstrail.ReEncryptRequest:
		return "to " + req.DestinationKey.ID
	case *kmstrail.UpdatePrimaryRegionRequest:
		return "to " + req.PrimaryRegion
	case *kmstrail.ReplicateKeyRequest:
		return "to " + req.ReplicaRegion
	}
	if resp, ok := ev.KMS.Response.(*kmstrail.ScheduleKeyDeletionResponse); ok && resp.DeletionDate.Valid() {
		return "deletes " + resp.DeletionDate.UTC().Format("2006-01-02 15:04 UTC")
	}
	if sed := ev.KMS.ServiceEventDetails; sed != nil && sed.RotationType != "" {
		return strings.ReplaceAll(strings.ToLower(string(sed.RotationType)), "_", "-") + " rotation"
	}
	return ""
}

// fit shortens s to n columns, marking the cut.
func fit(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
