// Package benchdata holds what the benchmarks of kmstrail (bench_test.go)
// and of the comparison module under bench/ share: the generated log file
// they all read, and the generic decoders' benchmarks, so that every
// decoder is measured the same way.
package benchdata

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/kmstrail/kmstrail/internal/synth"
)

// Records is the number of records in the log file LogFile returns.
const Records = 1000

// LogFile returns the log file the benchmarks read: Records records, 40%
// KMS in a realistic mix of operations, the rest other services, generated
// with seed 1 from the fixtures in the repository's testdata directory,
// which dir names.
func LogFile(dir string) ([]byte, error) {
	g, err := synth.New(os.DirFS(dir), 1)
	if err != nil {
		return nil, err
	}
	return g.LogFile(Records), nil
}

// An Unmarshaler is a decoder's json.Unmarshal.
type Unmarshaler func(data []byte, v any) error

// Map benchmarks decoding data into map[string]any, what users of a generic
// decoder write by hand.
func Map(b *testing.B, data []byte, unmarshal Unmarshaler) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v map[string]any
		if err := unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
		if recs, _ := v["Records"].([]any); len(recs) != Records {
			b.Fatalf("read %d records, want %d", len(recs), Records)
		}
	}
}

// Struct benchmarks decoding data into a PlainLog.
func Struct(b *testing.B, data []byte, unmarshal Unmarshaler) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v PlainLog
		if err := unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
		if len(v.Records) != Records {
			b.Fatalf("read %d records, want %d", len(v.Records), Records)
		}
	}
}

// PlainLog is a log file of PlainEvents.
type PlainLog struct {
	Records []PlainEvent `json:"Records"`
}

// PlainEvent is a plain envelope struct, as a user of encoding/json would
// write one.
type PlainEvent struct {
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
