// Package consumer is a module outside kmstrail's that uses kmstrailtest
// as a user's tests would. TestConsumerModule (in ../../consumer_test.go)
// copies it into a temporary module whose go.mod replaces kmstrail with the
// repository, and runs its tests.
package consumer

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/kmstrailtest"
)

// TestImportKeyMaterial builds an ImportKeyMaterial event, writes it to a
// log file, and reads it back with the library and with the command: both
// must give the key ARN and validTo the event was built with.
func TestImportKeyMaterial(t *testing.T) {
	validTo := time.Date(2026, 5, 21, 5, 47, 45, 0, time.UTC)
	ev := kmstrailtest.KMS(&kmstrail.ImportKeyMaterialRequest{
		KeyID:           "1234abcd-12ab-34cd-56ef-1234567890ab",
		ValidTo:         kmstrail.TimeOf(validTo),
		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
	}, nil)
	const wantARN = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	if ev.KMS.Key.ARN != wantARN {
		t.Fatalf("built event's key = %s, want %s", ev.KMS.Key.ARN, wantARN)
	}
	dir := t.TempDir()
	path := kmstrailtest.LogFile(t, dir, ev)

	// The library.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for got, err := range kmstrail.NewReader(f).All() {
		if err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		n++
		if got.KMS == nil {
			t.Fatalf("record %d is not a KMS event", got.Source.Record)
		}
		req, ok := got.KMS.Request.(*kmstrail.ImportKeyMaterialRequest)
		if !ok {
			t.Fatalf("request is %T, want *kmstrail.ImportKeyMaterialRequest", got.KMS.Request)
		}
		if got.KMS.Key.ARN != wantARN || !req.ValidTo.Equal(validTo) {
			t.Errorf("library read key %s, validTo %v; want %s, %v", got.KMS.Key.ARN, req.ValidTo, wantARN, validTo)
		}
	}
	if n != 1 {
		t.Fatalf("library read %d events from %s, want 1", n, path)
	}

	// The command.
	cmd := exec.Command("go", "run", "github.com/kmstrail/kmstrail/cmd/kmstrail", "-o", "json", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kmstrail -o json %s: %v\n%s", dir, err, stderr.Bytes())
	}
	var line struct {
		KMS struct {
			Key struct {
				ARN string `json:"arn"`
			} `json:"key"`
			Request struct {
				ValidTo time.Time `json:"validTo"`
			} `json:"request"`
		} `json:"kms"`
	}
	if err := json.Unmarshal(out, &line); err != nil {
		t.Fatalf("kmstrail -o json printed %q: %v", out, err)
	}
	if line.KMS.Key.ARN != wantARN || !line.KMS.Request.ValidTo.Equal(validTo) {
		t.Errorf("command read key %s, validTo %v; want %s, %v", line.KMS.Key.ARN, line.KMS.Request.ValidTo, wantARN, validTo)
	}
}
