// Package enum holds the text forms of ipcap's enums: each is a uint8 with
// a table of names, where String, MarshalText and Parse agree and only the
// zero value may have the empty name.
package enum

import (
	"fmt"
	"strconv"
	"strings"
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

// want lists the names for an error message: "a, b or c".
func want(names []string) string {
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

// Table is the text forms of an enum T, for its methods to call: Names[v]
// names the value v, and only the zero value may have the empty name.
// Type is T's qualified name ("capacity.Limit"), for the values with no
// name; What names the enum in parse errors ("limit"), and Err builds them
// in the package's error type.
type Table[T ~uint8] struct {
	Type  string
	What  string
	Names []string
	Err   func(field, value, reason string) error
}

// String is T's String: name's form, the type without its package for a
// value with no name ("Limit(9)").
func (t *Table[T]) String(v T) string {
	return name(t.Names, uint8(v), t.Type[strings.LastIndexByte(t.Type, '.')+1:])
}

// Text is T's MarshalText: String's form, or an error for a value with no
// name.
func (t *Table[T]) Text(v T) ([]byte, error) { return text(t.Names, uint8(v), t.Type) }

// Parse is T's ParseXxx: the value named s, ignoring case, with "" the zero
// value; anything else is an Err naming What and listing the names.
func (t *Table[T]) Parse(s string) (T, error) {
	if v, ok := parse(s, t.Names); ok {
		return T(v), nil
	}
	return 0, t.Err(t.What, s, "unknown "+t.What+" (want "+want(t.Names)+")")
}

// Unmarshal is UnmarshalText by way of parse: it sets *v to what parse
// reads from b, and leaves it as it is on an error.
func Unmarshal[T any](b []byte, v *T, parse func(string) (T, error)) error {
	x, err := parse(string(b))
	if err == nil {
		*v = x
	}
	return err
}
