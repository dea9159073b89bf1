// Package enum holds the text forms of ipcap's enums: each is a uint8 with
// a table of names, where String, MarshalText and Parse agree and only the
// zero value may have the empty name.
package enum

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// name returns names[v], or "typ(v)" for a value with no name.
func name(names []string, v uint8, typ string) string {
	if valid(names, v) {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

// text is MarshalText: Name's form, or an error for a value with no name.
func text(names []string, v uint8, typ string) ([]byte, error) {
	if !valid(names, v) {
		return nil, fmt.Errorf("cannot marshal %s(%d)", typ, v)
	}
	return []byte(names[v]), nil
}

// parse returns the index of s in names, ignoring case, or false. The empty
// text is the zero value, whatever its name: a field left empty.
func parse(s string, names []string) (uint8, bool) {
	if s == "" {
		return 0, true
	}
	for i, n := range names {
		if n != "" && strings.EqualFold(s, n) {
			return uint8(i), true
		}
	}
	return 0, false
}

// Alternatives lists names for a message, the empty ones left out: "a, b
// or c". Every list of choices ipcap writes is written so.
func Alternatives(names []string) string {
	var w []string
	for _, n := range names {
		if n != "" {
			w = append(w, n)
		}
	}
	if len(w) < 2 {
		return strings.Join(w, "")
	}
	return strings.Join(w[:len(w)-1], ", ") + " or " + w[len(w)-1]
}

func valid(names []string, v uint8) bool {
	return int(v) < len(names) && (names[v] != "" || v == 0)
}

// lowerCamel returns a Go type name as a field is spelt: its leading
// capitals lowered, the last of them kept when it starts a word
// ("AdmissionEra" → "admissionEra", "OS" → "os", "IPFamily" → "ipFamily").
func lowerCamel(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n > 1 && n < len(r) {
		n--
	}
	for i := range n {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

// Table is the text forms of an enum T, for its methods to call: Names[v]
// names the value v, and only the zero value may have the empty name.
type Table[T ~uint8] struct {
	// Type is T's qualified name ("capacity.Limit"): String writes its
	// last element for a value with no name ("Limit(9)"), and a parse
	// error names the package before the dot.
	Type string
	// What names the enum in the words of a parse error's reason ("unknown
	// admission era"); empty, it is the error's field.
	What string
	// Field is the input a parse error names, an identifier: the AKS API's
	// field ("osType") for a value AKS spells, else empty, which is Type's
	// name in lower camel case ("admissionEra").
	Field string
	Names []string
	// Sentinel is the error a parse error wraps, for errors.Is
	// (ipam.ErrInvalid), or nil.
	Sentinel error
}

// A FieldError reports an input value that ipcap cannot accept: the
// package that refused it, the input as the user wrote it (an identifier,
// never prose), the value and why. modes.FieldError is its exported name.
type FieldError struct {
	Pkg    string // the package that refused the value, which Error writes first: "modes", "capacity", "ipam"; "" for none
	Field  string // the input: an AKS API field ("osType"), a Go field path ("Pods.Unit"), or an enum's name ("admissionEra")
	Value  string // the value given
	Reason string // why it is refused and what to do instead
	Err    error  // the sentinel the error wraps, for errors.Is (ipam.ErrInvalid), or nil
}

func (e *FieldError) Error() string {
	msg := fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
	if e.Pkg != "" {
		msg = e.Pkg + ": " + msg
	}
	return msg
}

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }

// String is T's String: name's form, the type without its package for a
// value with no name ("Limit(9)").
func (t *Table[T]) String(v T) string {
	return name(t.Names, uint8(v), t.Type[strings.LastIndexByte(t.Type, '.')+1:])
}

// Text is T's MarshalText: String's form, or an error for a value with no
// name.
func (t *Table[T]) Text(v T) ([]byte, error) { return text(t.Names, uint8(v), t.Type) }

// Parse is T's ParseXxx: the value named s, ignoring case, with "" the zero
// value; anything else is a *FieldError naming the field and listing the
// names.
func (t *Table[T]) Parse(s string) (T, error) {
	if v, ok := parse(s, t.Names); ok {
		return T(v), nil
	}
	pkg, typ, _ := strings.Cut(t.Type, ".")
	field := t.Field
	if field == "" {
		field = lowerCamel(typ)
	}
	what := t.What
	if what == "" {
		what = field
	}
	return 0, &FieldError{Pkg: pkg, Field: field, Value: s, Reason: "unknown " + what + " (want " + Alternatives(t.Names) + ")", Err: t.Sentinel}
}

// Alternatives lists T's names as Parse's error does: "a, b or c".
func (t *Table[T]) Alternatives() string { return Alternatives(t.Names) }

// Unmarshal is UnmarshalText by way of parse: it sets *v to what parse
// reads from b, and leaves it as it is on an error.
func Unmarshal[T any](b []byte, v *T, parse func(string) (T, error)) error {
	x, err := parse(string(b))
	if err == nil {
		*v = x
	}
	return err
}
