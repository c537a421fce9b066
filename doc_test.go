package kmstrail

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
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
