package kmstrailtest_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmstrail/kmstrail"
	"github.com/kmstrail/kmstrail/kmstrailtest"
)

// exampleT stands in for the *testing.T a test passes to LogFile: an
// example has none. It stops the program where a test would fail.
type exampleT struct{ testing.TB }

func (exampleT) Helper()                           {}
func (exampleT) Errorf(format string, args ...any) { log.Printf(format, args...) }
func (exampleT) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }
func (exampleT) FailNow()                          { log.Fatal("the test failed") }

func ExampleLogFile() {
	var t testing.TB = exampleT{}         // in a test, the test's t
	dir, err := os.MkdirTemp("", "trail") // in a test, t.TempDir()
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	expiry := time.Date(2026, 5, 21, 5, 47, 45, 0, time.UTC)
	ev := kmstrailtest.KMS(&kmstrail.ImportKeyMaterialRequest{
		KeyID:           "1234abcd-12ab-34cd-56ef-1234567890ab",
		ValidTo:         kmstrail.TimeOf(expiry),
		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires,
	}, nil)
	path := kmstrailtest.LogFile(t, dir, ev)
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.ToSlash(rel))

	// Read it back as the code under test would.
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	for got, err := range kmstrail.NewReader(f).All() {
		if err != nil {
			log.Fatal(err)
		}
		if got.KMS == nil {
			continue // not a KMS event
		}
		if req, ok := got.KMS.Request.(*kmstrail.ImportKeyMaterialRequest); ok {
			fmt.Println(got.KMS.Key.ARN, req.ValidTo)
		}
	}
	// Output:
	// AWSLogs/111122223333/CloudTrail/us-west-2/2025/05/21/111122223333_CloudTrail_us-west-2_20250521T0547Z_XjpAw2x6pPROar5w.json.gz
	// arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab 2026-05-21T05:47:45Z
}
