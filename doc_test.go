package kmstrail

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDocComments checks that every exported name of the package has a doc
// comment, as ../shared/STYLE.md asks.
func TestDocComments(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && d.Doc == nil && (d.Recv == nil || exportedRecv(d.Recv)) {
					t.Errorf("%s: func %s has no doc comment", fset.Position(d.Pos()), d.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					checkSpecDoc(t, fset, d, spec)
				}
			}
		}
	}
}

// checkSpecDoc checks a type, constant or variable and, for a struct type,
// its fields. A comment may cover a group of fields that follow it without
// a blank line, as in the standard library.
func checkSpecDoc(t *testing.T, fset *token.FileSet, d *ast.GenDecl, spec ast.Spec) {
	switch s := spec.(type) {
	case *ast.TypeSpec:
		if !s.Name.IsExported() {
			return
		}
		if s.Doc == nil && d.Doc == nil {
			t.Errorf("%s: type %s has no doc comment", fset.Position(s.Pos()), s.Name)
		}
		st, ok := s.Type.(*ast.StructType)
		if !ok {
			return
		}
		covered, prevLine := false, 0
		for _, fld := range st.Fields.List {
			line := fset.Position(fld.Pos()).Line
			if fld.Doc != nil || fld.Comment != nil {
				covered = true
			} else if line != prevLine+1 {
				covered = false
			}
			prevLine = fset.Position(fld.End()).Line
			for _, n := range fld.Names {
				if n.IsExported() && !covered {
					t.Errorf("%s: field %s.%s has no doc comment", fset.Position(n.Pos()), s.Name, n)
				}
			}
		}
	case *ast.ValueSpec:
		for _, n := range s.Names {
			if n.IsExported() && s.Doc == nil && d.Doc == nil && s.Comment == nil {
				t.Errorf("%s: %s has no doc comment", fset.Position(n.Pos()), n)
			}
		}
	}
}

func exportedRecv(fl *ast.FieldList) bool {
	typ := fl.List[0].Type
	if st, ok := typ.(*ast.StarExpr); ok {
		typ = st.X
	}
	id, ok := typ.(*ast.Ident)
	return ok && id.IsExported()
}

// TestExamplesSafeToCopy: no example asserts a type unchecked, since a
// reader will copy it to code where the value may be nil or of another type
// (a failed call has no Response). Every package's examples are checked.
func TestExamplesSafeToCopy(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || !strings.HasPrefix(fn.Name.Name, "Example") {
				continue
			}
			checked := map[ast.Expr]bool{}
			ast.Inspect(fn, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
						checked[n.Rhs[0]] = true // v, ok := x.(T)
					}
				case *ast.ValueSpec:
					if len(n.Names) == 2 && len(n.Values) == 1 {
						checked[n.Values[0]] = true
					}
				case *ast.TypeSwitchStmt:
					ast.Inspect(n.Assign, func(m ast.Node) bool {
						if ta, ok := m.(*ast.TypeAssertExpr); ok {
							checked[ta] = true
						}
						return true
					})
				case *ast.TypeAssertExpr:
					if !checked[n] {
						t.Errorf("%s: %s asserts a type unchecked", fset.Position(n.Pos()), fn.Name.Name)
					}
				}
				return true
			})
		}
		return nil
	})
	require.NoError(t, err)
}
