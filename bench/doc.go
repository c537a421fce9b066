// Package bench compares kmstrail's Reader with third-party JSON decoders
// (github.com/goccy/go-json and github.com/bytedance/sonic) over the log
// file kmstrail's own benchmarks read. It is a module of its own so that
// kmstrail's go.mod names none of them. Run it from this directory:
//
//	go test -run '^$' -bench . -count 6 | benchstat -
package bench
