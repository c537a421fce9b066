package digesttest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"
	"time"
)

// Server is a local endpoint that speaks enough of S3 and of CloudTrail for
// the real SDK clients to validate a bucket against it: ListObjectsV2 with
// a delimiter and continuation tokens, GetObject with a digest's signature
// in x-amz-meta-signature (taken from the .sig file beside it, which
// GetObject and ListObjectsV2 do not show), GetBucketLocation, and
// CloudTrail's ListPublicKeys, one key a page. It answers the first
// request of each operation with a throttling error, which the clients'
// retryers must retry.
//
// Point an S3 client at it with BaseEndpoint = URL and UsePathStyle, and a
// CloudTrail client with BaseEndpoint = URL.
type Server struct {
	*httptest.Server

	// Bucket is the bucket's name.
	Bucket string

	// PageSize is how many keys and prefixes a ListObjectsV2 page holds;
	// default 3, so that listings take several pages.
	PageSize int

	files fstest.MapFS
	keys  []byte

	mu        sync.Mutex
	requests  map[string]int
	throttled map[string]bool
}

// NewServer starts a Server for the builder's bucket, with the key list
// PublicKeysJSON returns. Close it when done.
func NewServer(b *Builder, bucket string) *Server {
	s := &Server{Bucket: bucket, PageSize: 3, files: b.Files, keys: b.PublicKeysJSON(),
		requests: map[string]int{}, throttled: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Requests returns how many requests of an operation ("ListObjectsV2",
// "GetObject", "GetBucketLocation", "ListPublicKeys") the server answered,
// throttled ones included.
func (s *Server) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[op]
}

// count counts a request and reports whether to throttle it: the first of
// each operation is.
func (s *Server) count(op string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[op]++
	if s.throttled[op] {
		return false
	}
	s.throttled[op] = true
	return true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		s.cloudTrail(w, r, target)
		return
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	switch {
	case bucket != s.Bucket:
		s3Error(w, http.StatusNotFound, "NoSuchBucket", bucket)
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", r.Method)
	case key == "" && q.Has("location"):
		if s.count("GetBucketLocation") {
			s3Error(w, http.StatusServiceUnavailable, "SlowDown", "")
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-east-2</LocationConstraint>`)
	case key == "" && q.Get("list-type") == "2":
		if s.count("ListObjectsV2") {
			s3Error(w, http.StatusServiceUnavailable, "SlowDown", "")
			return
		}
		s.list(w, q.Get("prefix"), q.Get("delimiter"), q.Get("continuation-token"))
	case key != "":
		if s.count("GetObject") {
			s3Error(w, http.StatusServiceUnavailable, "SlowDown", "")
			return
		}
		s.get(w, key)
	default:
		s3Error(w, http.StatusBadRequest, "InvalidRequest", r.URL.String())
	}
}

func s3Error(w http.ResponseWriter, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>%s</Code><Message>%s</Message><RequestId>0</RequestId></Error>`, code, xmlText(detail))
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// visible reports whether a key is an object of the bucket: .sig files
// are the server's store of signatures, not objects.
func visible(key string) bool { return !strings.HasSuffix(key, ".sig") }

// list answers ListObjectsV2: the keys under prefix, those past the
// delimiter rolled up into common prefixes, PageSize entries a page, the
// continuation token being the last entry returned.
func (s *Server) list(w http.ResponseWriter, prefix, delim, token string) {
	var entries []string // keys, and common prefixes ending in delim
	seen := map[string]bool{}
	for key := range s.files {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok || !visible(key) {
			continue
		}
		if i := strings.Index(rest, delim); delim != "" && i >= 0 {
			key = prefix + rest[:i+len(delim)]
		}
		if !seen[key] {
			seen[key] = true
			entries = append(entries, key)
		}
	}
	slices.Sort(entries)
	if token != "" {
		i, _ := slices.BinarySearch(entries, token)
		for i < len(entries) && entries[i] <= token {
			i++
		}
		entries = entries[i:]
	}
	size := max(s.PageSize, 1)
	truncated := len(entries) > size
	if truncated {
		entries = entries[:size]
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	fmt.Fprintf(&b, "<Name>%s</Name><Prefix>%s</Prefix><KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys><IsTruncated>%t</IsTruncated>",
		s.Bucket, xmlText(prefix), len(entries), size, truncated)
	if delim != "" {
		fmt.Fprintf(&b, "<Delimiter>%s</Delimiter>", xmlText(delim))
	}
	for _, e := range entries {
		if delim != "" && strings.HasSuffix(e, delim) {
			fmt.Fprintf(&b, "<CommonPrefixes><Prefix>%s</Prefix></CommonPrefixes>", xmlText(e))
			continue
		}
		fmt.Fprintf(&b, `<Contents><Key>%s</Key><LastModified>2025-05-21T10:00:00.000Z</LastModified><ETag>"0"</ETag><Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>`,
			xmlText(e), len(s.files[e].Data))
	}
	if truncated {
		fmt.Fprintf(&b, "<NextContinuationToken>%s</NextContinuationToken>", xmlText(entries[len(entries)-1]))
	}
	b.WriteString("</ListBucketResult>")
	w.Header().Set("Content-Type", "application/xml")
	io.WriteString(w, b.String())
}

// get answers GetObject, with a digest's signature in its metadata.
func (s *Server) get(w http.ResponseWriter, key string) {
	f, ok := s.files[key]
	if !ok || !visible(key) {
		s3Error(w, http.StatusNotFound, "NoSuchKey", key)
		return
	}
	if sig, ok := s.files[key+".sig"]; ok {
		w.Header().Set("x-amz-meta-signature", strings.TrimSpace(string(sig.Data)))
		w.Header().Set("x-amz-meta-signature-algorithm", "SHA256withRSA")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
	w.Header().Set("Last-Modified", time.Date(2025, 5, 21, 10, 0, 0, 0, time.UTC).Format(http.TimeFormat))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(f.Data)
}

// cloudTrail answers CloudTrail's JSON 1.1 protocol: ListPublicKeys.
func (s *Server) cloudTrail(w http.ResponseWriter, r *http.Request, target string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if target != "CloudTrail_20131101.ListPublicKeys" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"UnknownOperationException","message":%q}`, target)
		return
	}
	if s.count("ListPublicKeys") {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"ThrottlingException","message":"Rate exceeded"}`)
		return
	}
	var in struct{ NextToken string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"SerializationException","message":%q}`, err.Error())
		return
	}
	var list struct {
		PublicKeyList []struct {
			Value                              string
			ValidityStartTime, ValidityEndTime time.Time
			Fingerprint                        string
		}
	}
	if err := json.Unmarshal(s.keys, &list); err != nil {
		panic(err)
	}
	i, _ := strconv.Atoi(in.NextToken)
	type key struct {
		Value                              string
		ValidityStartTime, ValidityEndTime float64
		Fingerprint                        string
	}
	out := struct {
		PublicKeyList []key
		NextToken     string `json:",omitempty"`
	}{PublicKeyList: []key{}}
	if i < len(list.PublicKeyList) {
		k := list.PublicKeyList[i]
		out.PublicKeyList = append(out.PublicKeyList, key{k.Value, float64(k.ValidityStartTime.Unix()), float64(k.ValidityEndTime.Unix()), k.Fingerprint})
		if i+1 < len(list.PublicKeyList) {
			out.NextToken = strconv.Itoa(i + 1)
		}
	}
	json.NewEncoder(w).Encode(out)
}
