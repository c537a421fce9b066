package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/kmstrail/kmstrail"
)

func usage() {
	fmt.Fprintf(os.Stderr, "usage: kmstrail [-o table|json|raw] [-repair] [-diagnostics] [-max-record-bytes n] [path ...]\n")
	flag.PrintDefaults()
	os.Exit(2)
}

// A subcommand is one of kmstrail's jobs beside decoding, named by the first
// argument (kmstrail keys ...). Each lives in a file of its own and adds
// itself to subcommands in an init function.
type subcommand struct {
	// summary describes the subcommand in one line, for kmstrail -h.
	summary string

	// run runs it with the arguments after its name and returns the exit
	// status.
	run func(args []string, std stdio) int
}

// subcommands maps a first argument to its subcommand. A file of that name
// is read as ./name.
var subcommands = map[string]subcommand{}

// stdio is a command's standard input, output and error.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func main() {
	if len(os.Args) > 1 {
		if sc, ok := subcommands[os.Args[1]]; ok {
			os.Exit(sc.run(os.Args[2:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
		}
	}
	output := flag.String("o", "table", "output `format`: table, json or raw")
	repair := flag.Bool("repair", false, "accept missing and trailing commas and invalid UTF-8")
	diagnostics := flag.Bool("diagnostics", false, "print each record's diagnostics to standard error")
	maxRecord := flag.Int("max-record-bytes", kmstrail.DefaultMaxRecordBytes,
		"the largest record, or envelope read whole (such as a CloudWatch Logs payload), in `bytes`")
	flag.Usage = usage
	flag.Parse()
	p := &printer{out: bufio.NewWriterSize(os.Stdout, 64<<10), errOut: os.Stderr, stdin: os.Stdin,
		repair: *repair, diagnostics: *diagnostics, maxRecordBytes: *maxRecord}
	switch *output {
	case "table", "json", "raw":
		p.format = *output
	default:
		fmt.Fprintf(os.Stderr, "kmstrail: unknown output format %q\n", *output)
		usage()
	}
	paths := flag.Args()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	os.Exit(p.run(paths))
}

// A printer reads inputs and prints their records.
type printer struct {
	out            *bufio.Writer
	errOut         io.Writer
	stdin          io.Reader
	format         string
	repair         bool
	diagnostics    bool
	maxRecordBytes int // Reader.MaxRecordBytes; 0 for its default

	headed        bool
	failed, ioErr bool
}

// run reads every path and returns the exit status.
func (p *printer) run(paths []string) int {
	for _, path := range paths {
		if path == "-" {
			p.read("-", p.stdin)
			continue
		}
		p.walk(path)
	}
	if err := p.out.Flush(); err != nil {
		fmt.Fprintf(p.errOut, "kmstrail: %v\n", err)
		p.ioErr = true
	}
	switch {
	case p.ioErr:
		return 2
	case p.failed:
		return 1
	}
	return 0
}

// walk reads a file, or the record files under a directory.
func (p *printer) walk(root string) {
	info, err := os.Stat(root)
	if err != nil {
		p.ioError(err)
		return
	}
	if !info.IsDir() {
		p.readFile(root)
		return
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			p.ioError(err)
			return nil
		}
		if d.IsDir() {
			if d.Name() == "CloudTrail-Digest" {
				fmt.Fprintf(p.errOut, "%s: skipping digest files (log file validation holds no records)\n", path)
				return fs.SkipDir
			}
			return nil
		}
		if isRecordFile(d.Name()) {
			p.readFile(path)
		}
		return nil
	})
	if err != nil {
		p.ioError(err)
	}
}

// isRecordFile reports whether a file name is one kmstrail reads when
// walking a directory.
func isRecordFile(name string) bool {
	for _, ext := range []string{".json", ".json.gz", ".jsonl", ".jsonl.gz"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

func (p *printer) readFile(path string) {
	f, err := os.Open(path)
	if err != nil {
		p.ioError(err)
		return
	}
	defer f.Close()
	p.read(path, f)
}

func (p *printer) ioError(err error) {
	fmt.Fprintf(p.errOut, "kmstrail: %v\n", err)
	p.ioErr = true
}

// read prints the records of one input.
func (p *printer) read(path string, in io.Reader) {
	r := kmstrail.NewReader(in)
	r.Path = path
	if path == "-" {
		r.Path = "<stdin>"
	}
	r.Repair, r.MaxRecordBytes = p.repair, p.maxRecordBytes
	for ev, err := range r.All() {
		if err != nil {
			p.report(err)
			continue
		}
		if p.diagnostics {
			for _, d := range ev.Diagnostics {
				fmt.Fprintf(p.errOut, "%s:%s\n", r.Path, d)
			}
		}
		if err := p.print(ev); err != nil {
			p.ioError(err)
			return
		}
	}
}

// report prints an error; a notice that an input holds no records does not
// change the exit status, nor does it count as a failed record.
func (p *printer) report(err error) {
	// The limit the command can raise is named by its flag.
	fmt.Fprintln(p.errOut, strings.Replace(err.Error(), "raise Reader.MaxRecordBytes", "raise -max-record-bytes", 1))
	var e *kmstrail.Error
	switch {
	case errors.Is(err, kmstrail.ErrNoRecords):
	case errors.As(err, &e) && e.Record >= 0:
		p.failed = true
	case errors.As(err, &e) && !isIOError(e.Err):
		p.failed = true
	default:
		p.ioErr = true
	}
}

// isIOError reports whether an error is the input's read error rather than
// a fault in its content.
func isIOError(err error) bool {
	for _, s := range []error{kmstrail.ErrSyntax, kmstrail.ErrInvalidUTF8, kmstrail.ErrTruncated,
		kmstrail.ErrDuplicateName, kmstrail.ErrNotRecord, kmstrail.ErrTrailingData, kmstrail.ErrLimit} {
		if errors.Is(err, s) {
			return false
		}
	}
	return true
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
		fmt.Fprintln(p.out, tableLine("TIME", "EVENT", "PRINCIPAL", "KEY", "DETAIL"))
	}
	_, err := fmt.Fprintln(p.out, tableRow(ev))
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
// it (DESIGN §7). How the record was delivered is left out, so that the
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

// Table columns: widths fit 100 columns with the detail.
const (
	wTime      = 20
	wEvent     = 21
	wPrincipal = 16
	wKey       = 12
	wDetail    = 100 - wTime - wEvent - wPrincipal - wKey - 8
)

func tableLine(t, event, principal, key, detail string) string {
	return strings.TrimRight(fmt.Sprintf("%-*s  %-*s  %-*s  %-*s  %s",
		wTime, fit(t, wTime), wEvent, fit(event, wEvent), wPrincipal, fit(principal, wPrincipal),
		wKey, fit(key, wKey), fit(detail, wDetail)), " ")
}

func tableRow(ev *kmstrail.Event) string {
	t := ""
	if !ev.EventTime.IsZero() {
		t = ev.EventTime.UTC().Format("2006-01-02T15:04:05Z")
	}
	key := ""
	if ev.KMS != nil {
		key = ev.KMS.Key.ID
		if ev.KMS.Key.Alias != "" {
			key = ev.KMS.Key.Alias
		}
	}
	return tableLine(t, ev.EventName, shortPrincipal(ev.Principal()), key, detail(ev))
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

// detail says the most telling thing about a record in a few words.
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
			return "exp " + req.ValidTo.UTC().Format("2006-01-02 15:04:05")
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
		return "deletes " + resp.DeletionDate.UTC().Format("2006-01-02 15:04")
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
