package kmstrail

// codec_gen.go (the decoders of the package's structs), kms_ops.go (the Op
// constants and the KMSOperation and MarshalJSON methods) and the table of
// docs/kms-events.md are generated from the structs and the registerKMS
// calls of the kms_*.go files; tests fail when any is stale. To add a KMS
// operation: write its request and response structs, register them in its
// family's file, add a fixture under testdata/kms (and the key it names in
// kms_test.go), and run
// go generate.
//
//go:generate go test . -run ^TestGenerated -update
