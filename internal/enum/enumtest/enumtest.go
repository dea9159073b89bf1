// Package enumtest checks enums' text forms in tests: String ==
// MarshalText == what Parse and UnmarshalText read, for every value
// (netip's habit), and that a package's tests check every enum it declares.
package enumtest

import (
	"encoding"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/internal/enum"
)

// Enum is what every ipcap enum offers: a uint8 with text forms.
type Enum interface {
	~uint8
	fmt.Stringer
	encoding.TextMarshaler
}

// Check runs every value of T, 0 to 255, through its text forms and
// returns the Strings of the values that marshal, in order. The zero value
// must marshal. A value that marshals must marshal as its String, and
// parse and UnmarshalText must read that back, and its upper case, as the
// value. A value that does not marshal must not parse from its String:
// the error must be one wantErr accepts, and UnmarshalText must leave its
// target as it was.
func Check[T Enum, P interface {
	*T
	encoding.TextUnmarshaler
}](t testing.TB, parse func(string) (T, error), wantErr func(error) bool) []string {
	t.Helper()
	var names []string
	for i := range math.MaxUint8 + 1 {
		v := T(i)
		s := v.String()
		b, err := v.MarshalText()
		if err != nil {
			if i == 0 {
				t.Errorf("%T zero value: MarshalText: %v; the zero value must have a text form", v, err)
			}
			if got, err := parse(s); err == nil || !wantErr(err) {
				t.Errorf("Parse(%q) = %v, %v (%T); want an error of the package's type", s, got, err, err)
			}
			u := T(0)
			if err := P(&u).UnmarshalText([]byte(s)); err == nil || u != 0 {
				t.Errorf("UnmarshalText(%q) = %v, value %v; want an error, value unchanged", s, err, u)
			}
			continue
		}
		names = append(names, s)
		if string(b) != s {
			t.Errorf("%T %d: MarshalText = %q, String = %q", v, i, b, s)
		}
		for _, in := range []string{s, strings.ToUpper(s)} {
			if got, err := parse(in); err != nil || got != v {
				t.Errorf("Parse(%q) = %v, %v; want %T %d", in, got, err, v, i)
			}
			u := ^T(0) - v // some other value
			if err := P(&u).UnmarshalText([]byte(in)); err != nil || u != v {
				t.Errorf("UnmarshalText(%q) = %v, value %v; want %T %d", in, err, u, v, i)
			}
		}
	}
	if _, err := parse("no such value"); err == nil || !wantErr(err) {
		t.Errorf(`Parse("no such value") = %v (%T), want an error of the package's type`, err, err)
	}
	return names
}

// Declared returns, sorted, the enums the Go package in dir declares
// outside its tests: the uint8 types with a String method.
func Declared(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("enumtest: %v", err)
	}
	fset := token.NewFileSet()
	var uint8s, stringers []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("enumtest: %v", err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ts.Assign == 0 {
						if id, ok := ts.Type.(*ast.Ident); ok && (id.Name == "uint8" || id.Name == "byte") {
							uint8s = append(uint8s, ts.Name.Name)
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv != nil && d.Name.Name == "String" && len(d.Recv.List) == 1 {
					if id, ok := d.Recv.List[0].Type.(*ast.Ident); ok {
						stringers = append(stringers, id.Name)
					}
				}
			}
		}
	}
	var out []string
	for _, n := range uint8s {
		if slices.Contains(stringers, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// A Case is one enum of a package for Package: its type's name, Check run
// on it, and the Strings Check must return. For makes one.
type Case struct {
	Enum  string
	Check func(*testing.T) []string
	Want  []string // the Strings of the valid values, from 0
}

// For is the Case of enum T, named name, parsed by parse, whose parse
// errors wantErr accepts, and whose valid values' Strings are want.
func For[T Enum, P interface {
	*T
	encoding.TextUnmarshaler
}](name string, parse func(string) (T, error), wantErr func(error) bool, want ...string) Case {
	return Case{Enum: name, Want: want, Check: func(t *testing.T) []string { return Check[T, P](t, parse, wantErr) }}
}

// Package runs every case as a subtest and fails unless the cases name
// every enum the package in dir declares (Declared).
func Package(t *testing.T, dir string, cases []Case) {
	t.Helper()
	var listed []string
	for _, c := range cases {
		listed = append(listed, c.Enum)
		t.Run(c.Enum, func(t *testing.T) {
			if got := c.Check(t); !slices.Equal(got, c.Want) {
				t.Errorf("%s: the valid values' Strings are %q, want %q", c.Enum, got, c.Want)
			}
		})
	}
	slices.Sort(listed)
	if got := Declared(t, dir); !slices.Equal(got, listed) {
		t.Errorf("the package declares the enums %q, the cases name %q: list every enum", got, listed)
	}
}

// FieldError returns the wantErr of Check for the enums of package pkg: a
// parse error must be ipcap's one, an *enum.FieldError (modes.FieldError),
// naming pkg.
func FieldError(pkg string) func(error) bool {
	return func(err error) bool {
		var fe *enum.FieldError
		return errors.As(err, &fe) && fe.Pkg == pkg
	}
}
