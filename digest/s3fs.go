package digest

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3API is what S3FS asks of S3: the two calls of *s3.Client that list
// and read a bucket.
type S3API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// S3FS presents a bucket as an fs.FS, so that a Validator (and a
// kmstrail.Tree) walks it as it walks a copy on disk: a folder is a key
// prefix ending in '/', listed with ListObjectsV2 one page after another; a
// file is an object, read with GetObject. The files it opens have a
// Metadata method that returns the object's user metadata, where CloudTrail
// keeps a digest's signature.
type S3FS struct {
	// Client makes the calls.
	Client S3API

	// Bucket is the bucket's name.
	Bucket string

	// Context is the calls' context; nil means context.Background().
	Context context.Context
}

func (s *S3FS) ctx() context.Context {
	if s.Context != nil {
		return s.Context
	}
	return context.Background()
}

// Open reads the object named name, or opens the folder "." for Stat.
func (s *S3FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return &s3Dir{name: "."}, nil
	}
	out, err := s.Client.GetObject(s.ctx(), &s3.GetObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(name)})
	if err != nil {
		var nsk *types.NoSuchKey
		if errors.As(err, &nsk) {
			if s.isDir(name) {
				return &s3Dir{name: name}, nil
			}
			err = fs.ErrNotExist
		}
		return nil, &fs.PathError{Op: "open", Path: "s3://" + s.Bucket + "/" + name, Err: err}
	}
	return &s3File{body: out.Body, meta: out.Metadata, info: fileInfo{
		name: path.Base(name), size: aws.ToInt64(out.ContentLength), mod: aws.ToTime(out.LastModified)}}, nil
}

// isDir reports whether a key prefix name/ holds objects.
func (s *S3FS) isDir(name string) bool {
	out, err := s.Client.ListObjectsV2(s.ctx(), &s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket),
		Prefix: aws.String(name + "/"), MaxKeys: aws.Int32(1)})
	return err == nil && len(out.Contents)+len(out.CommonPrefixes) > 0
}

// Stat returns a folder's or an object's information.
func (s *S3FS) Stat(name string) (fs.FileInfo, error) {
	if name == "." || fs.ValidPath(name) && s.isDir(name) {
		return fileInfo{name: path.Base(name), dir: true}, nil
	}
	f, err := s.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Stat()
}

// ReadDir lists a folder: the keys and common prefixes under name/, in
// S3's order (lexical, as fs.ReadDir requires).
func (s *S3FS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	prefix := ""
	if name != "." {
		prefix = name + "/"
	}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/")}
	var entries []fs.DirEntry
	for {
		out, err := s.Client.ListObjectsV2(s.ctx(), in)
		if err != nil {
			return nil, &fs.PathError{Op: "readdir", Path: "s3://" + s.Bucket + "/" + prefix, Err: err}
		}
		for _, p := range out.CommonPrefixes {
			base := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(p.Prefix), prefix), "/")
			if base != "" && !strings.Contains(base, "/") {
				entries = append(entries, fs.FileInfoToDirEntry(fileInfo{name: base, dir: true}))
			}
		}
		for _, o := range out.Contents {
			base := strings.TrimPrefix(aws.ToString(o.Key), prefix)
			if base != "" && !strings.Contains(base, "/") {
				entries = append(entries, fs.FileInfoToDirEntry(fileInfo{name: base, size: aws.ToInt64(o.Size), mod: aws.ToTime(o.LastModified)}))
			}
		}
		if !aws.ToBool(out.IsTruncated) || aws.ToString(out.NextContinuationToken) == "" {
			break
		}
		in.ContinuationToken = out.NextContinuationToken
	}
	// A page holds common prefixes and keys apart; fs.ReadDir's callers
	// expect one lexical order.
	sortEntries(entries)
	return entries, nil
}

// s3File is an object being read.
type s3File struct {
	body io.ReadCloser
	meta map[string]string
	info fileInfo
}

func (f *s3File) Read(p []byte) (int, error)  { return f.body.Read(p) }
func (f *s3File) Close() error                { return f.body.Close() }
func (f *s3File) Stat() (fs.FileInfo, error)  { return f.info, nil }
func (f *s3File) Metadata() map[string]string { return f.meta }

// s3Dir is a folder opened for Stat.
type s3Dir struct{ name string }

func (d *s3Dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a directory")}
}
func (d *s3Dir) Close() error               { return nil }
func (d *s3Dir) Stat() (fs.FileInfo, error) { return fileInfo{name: path.Base(d.name), dir: true}, nil }

// fileInfo describes an object or a folder.
type fileInfo struct {
	name string
	size int64
	mod  time.Time
	dir  bool
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) ModTime() time.Time { return i.mod }
func (i fileInfo) IsDir() bool        { return i.dir }
func (i fileInfo) Sys() any           { return nil }
func (i fileInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
