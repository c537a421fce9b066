package jsonscan

import (
	"errors"
	"io"
)

// testOptions are the options the tests scan with: kmstrail's default
// limits.
func testOptions(repair bool) Options {
	return Options{Limits: Limits{Depth: 128, String: 4 << 20, Value: 16 << 20, Slots: 1 << 20}, Repair: repair, Listed: testListed}
}

// testListed is the most repairs, and duplicates, a value lists in the tests.
const testListed = 100

// scanDocument scans data as one document with testOptions.
func scanDocument(data []byte, repair bool) (*Value, error) {
	return ScanDocument(data, testOptions(repair))
}

// newScanner returns a Scanner of rd with testOptions.
func newScanner(rd io.Reader) *Scanner { return NewScanner(rd, testOptions(false)) }

// faultKind returns the kind of a *Fault, or 0.
func faultKind(err error) FaultKind {
	var f *Fault
	if errors.As(err, &f) {
		return f.Kind
	}
	return 0
}

// Where the tests find the project's fixtures and ../shared.
const (
	testdataDir = "../../testdata"
	sharedDir   = "../../../shared"
)
