package kmstrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"sync"
	"testing"

	"github.com/kmstrail/kmstrail/internal/synth"
)

// The benchmarks read the same generated log file: 1,000 records, 40% KMS
// in a realistic mix of operations, the rest other services (see
// internal/synth). Compare MB/s within one run:
//
//	go test -run '^$' -bench . -count 6 | benchstat -
var benchData = sync.OnceValue(func() []byte {
	g, err := synth.New(os.DirFS("testdata"), 1)
	if err != nil {
		panic(err)
	}
	return g.LogFile(1000)
})

var benchGzip = sync.OnceValue(func() []byte { return synth.Gzip(benchData()) })

// BenchmarkReader is the full decode: envelope, KMS view, normalization,
// diagnostics, every record's bytes kept.
func BenchmarkReader(b *testing.B) {
	data := benchData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		readBench(b, bytes.NewReader(data), 1000)
	}
}

// BenchmarkReaderGzip is BenchmarkReader over the gzip file; its MB/s count
// decompressed bytes, like BenchmarkGunzip's.
func BenchmarkReaderGzip(b *testing.B) {
	data, gz := benchData(), benchGzip()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		readBench(b, bytes.NewReader(gz), 1000)
	}
}

func readBench(b *testing.B, in io.Reader, want int) {
	r := NewReader(in)
	n := 0
	for ev, err := range r.All() {
		if err != nil {
			b.Fatal(err)
		}
		_ = ev
		n++
	}
	if n != want {
		b.Fatalf("read %d records, want %d", n, want)
	}
}

// BenchmarkGunzip is gunzip alone, what BenchmarkReaderGzip is compared with.
func BenchmarkGunzip(b *testing.B) {
	data, gz := benchData(), benchGzip()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdlibMap is what users write by hand today: encoding/json into
// map[string]any.
func BenchmarkStdlibMap(b *testing.B) {
	data := benchData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
		if n := len(v["Records"].([]any)); n != 1000 {
			b.Fatalf("read %d records", n)
		}
	}
}

// plainEvent is a plain envelope struct, as a user of encoding/json would
// write one.
type plainEvent struct {
	EventVersion string `json:"eventVersion"`
	UserIdentity struct {
		Type           string `json:"type"`
		PrincipalID    string `json:"principalId"`
		ARN            string `json:"arn"`
		AccountID      string `json:"accountId"`
		AccessKeyID    string `json:"accessKeyId"`
		UserName       string `json:"userName"`
		InvokedBy      string `json:"invokedBy"`
		SessionContext struct {
			SessionIssuer struct {
				Type        string `json:"type"`
				PrincipalID string `json:"principalId"`
				ARN         string `json:"arn"`
				AccountID   string `json:"accountId"`
				UserName    string `json:"userName"`
			} `json:"sessionIssuer"`
			Attributes struct {
				CreationDate     string `json:"creationDate"`
				MFAAuthenticated string `json:"mfaAuthenticated"`
			} `json:"attributes"`
		} `json:"sessionContext"`
	} `json:"userIdentity"`
	EventTime           string          `json:"eventTime"`
	EventSource         string          `json:"eventSource"`
	EventName           string          `json:"eventName"`
	AWSRegion           string          `json:"awsRegion"`
	SourceIPAddress     string          `json:"sourceIPAddress"`
	UserAgent           string          `json:"userAgent"`
	ErrorCode           string          `json:"errorCode"`
	ErrorMessage        string          `json:"errorMessage"`
	RequestParameters   json.RawMessage `json:"requestParameters"`
	ResponseElements    json.RawMessage `json:"responseElements"`
	AdditionalEventData json.RawMessage `json:"additionalEventData"`
	ServiceEventDetails json.RawMessage `json:"serviceEventDetails"`
	RequestID           string          `json:"requestID"`
	EventID             string          `json:"eventID"`
	ReadOnly            bool            `json:"readOnly"`
	Resources           []struct {
		ARN       string `json:"ARN"`
		AccountID string `json:"accountId"`
		Type      string `json:"type"`
	} `json:"resources"`
	EventType          string `json:"eventType"`
	ManagementEvent    bool   `json:"managementEvent"`
	RecipientAccountID string `json:"recipientAccountId"`
	SharedEventID      string `json:"sharedEventID"`
	EventCategory      string `json:"eventCategory"`
	TLSDetails         struct {
		TLSVersion               string `json:"tlsVersion"`
		CipherSuite              string `json:"cipherSuite"`
		ClientProvidedHostHeader string `json:"clientProvidedHostHeader"`
	} `json:"tlsDetails"`
}

// BenchmarkStdlibStruct is encoding/json into a plain envelope struct.
func BenchmarkStdlibStruct(b *testing.B) {
	data := benchData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v struct {
			Records []plainEvent `json:"Records"`
		}
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
		if len(v.Records) != 1000 {
			b.Fatalf("read %d records", len(v.Records))
		}
	}
}
