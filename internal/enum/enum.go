// Package enum holds the text forms of ipcap's enums: each is a uint8 with
// a table of names, where String, MarshalText and Parse agree and only the
// zero value may have the empty name.
package enum

import (
	"fmt"
	"strconv"
	"strings"
)

// Name returns names[v], or "typ(v)" for a value with no name.
func Name(names []string, v uint8, typ string) string {
	if valid(names, v) {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

// Text is MarshalText: Name's form, or an error for a value with no name.
func Text(names []string, v uint8, typ string) ([]byte, error) {
	if !valid(names, v) {
		return nil, fmt.Errorf("cannot marshal %s(%d)", typ, v)
	}
	return []byte(names[v]), nil
}

// Parse returns the index of s in names, ignoring case, or false. The empty
// text is the zero value, whatever its name: a field left empty.
func Parse(s string, names []string) (uint8, bool) {
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

// Want lists the names for an error message: "a, b or c".
func Want(names []string) string {
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
