package synth

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
)

// Seeds returns the seed inputs of the fuzz targets, of the Reader and of
// its syntax layer alike: each JSON fixture in dir and its subdirectories,
// then the first of them, compact, in every form of delivery (envelopes in
// an envelope read whole among them), then two records with slips.
func Seeds(dir string) ([][]byte, error) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	top, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var seeds, recs [][]byte
	for _, p := range append(paths, top...) {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		seeds = append(seeds, data)
		var c bytes.Buffer
		if json.Compact(&c, data) == nil && len(recs) < 6 {
			recs = append(recs, c.Bytes())
		}
	}
	return append(seeds,
		Records(recs), Gzip(Records(recs)), Array(recs), JSONLines(recs),
		JSONLines(EventBridge(recs)), CloudWatchLogs(recs), Lambda(recs), LookupEventsOutput(recs),
		// Envelopes in an envelope read whole, each gone through in turn.
		RecordsLast([][]byte{CloudWatchLogs(recs[:2]), Lambda(recs[2:4]), LookupEventsOutput(recs[4:])}),
		LakeResults(recs), LookupEventLines(recs),
		[]byte("{\"Records\":[\n{\"eventVersion\":\"1.08\",\"a\":1\n\"b\":[1,2,]},\n{\"eventVersion\":1}]}"),
		[]byte(`{"eventVersion":"1.08","eventName":"A","EventName":"B","x":"\uD800"}`),
	), nil
}
