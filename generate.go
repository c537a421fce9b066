package kmstrail

// codec_gen.go (the decoders of the package's structs) and kms_ops.go (the
// Op constants and the KMSOperation and MarshalJSON methods) are generated
// from the structs and the registerKMS calls of the kms_*.go files; tests
// fail when either is stale. To add a KMS operation: write its request and
// response structs, register them, add a fixture under testdata/kms, and run
// go generate.
//
//go:generate go test . -run ^TestGenerated -update
