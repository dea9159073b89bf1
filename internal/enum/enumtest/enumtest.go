// Package enumtest checks an enum's text forms in tests: String ==
// MarshalText == what Parse reads, for every value (netip's habit).
package enumtest

import (
	"encoding"
	"fmt"
	"testing"
)

// Value is what every ipcap enum offers.
type Value interface {
	comparable
	fmt.Stringer
	encoding.TextMarshaler
}

// Check checks that every value's MarshalText writes its String and that
// parse reads it back, and that invalid, a value past the last, marshals
// as an error and does not parse; wantErr checks the parse error's type.
func Check[T Value](t testing.TB, values []T, invalid T, parse func(string) (T, error), wantErr func(error) bool) {
	t.Helper()
	for _, v := range values {
		b, err := v.MarshalText()
		if err != nil || string(b) != v.String() {
			t.Errorf("%T %v: MarshalText = %q, %v; String = %q", v, v, b, err, v.String())
		}
		if got, err := parse(v.String()); err != nil || got != v {
			t.Errorf("Parse(%q) = %v, %v; want %v", v.String(), got, err, v)
		}
	}
	if b, err := invalid.MarshalText(); err == nil {
		t.Errorf("%T %v: MarshalText = %q, want an error", invalid, invalid, b)
	}
	if _, err := parse(invalid.String()); err == nil || !wantErr(err) {
		t.Errorf("Parse(%q) = %v (%T), want an error of the package's type", invalid.String(), err, err)
	}
}
