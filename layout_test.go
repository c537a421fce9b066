package kmstrail

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLayout holds two rules of the decoder's layout, this package's and
// internal/'s. The syntax layer and the other internal packages import
// nothing of this package, so the arrows point one way (go list -deps
// ./internal/... shows it too). And no function reaches 80 lines, but in
// generated code and the scanner's state machine (jsonscan's Scanner.scan),
// which reads best whole.
func TestLayout(t *testing.T) {
	const module = "github.com/kmstrail/kmstrail"
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && path != "." && path != "internal" && !strings.HasPrefix(path, "internal"+string(filepath.Separator)) {
			if err == nil {
				err = filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		require.NoError(t, err)
		files++
		if strings.HasPrefix(path, "internal"+string(filepath.Separator)) {
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				assert.NotEqual(t, module, p, "%s imports the root package", path)
			}
		}
		if ast.IsGenerated(f) {
			return nil
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || fn.Name.Name == "scan" && strings.HasSuffix(path, filepath.Join("jsonscan", "machine.go")) {
				continue
			}
			n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			assert.Less(t, n, 80, "%s: %s is %d lines long", path, fn.Name.Name, n)
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, files, 50)
}
