package enum

import (
	"fmt"
	"testing"
)

func TestEnum(t *testing.T) {
	names := []string{"", "a-b", "", "c"}
	for _, tt := range []struct {
		v    uint8
		name string
		ok   bool
	}{{0, "", true}, {1, "a-b", true}, {2, "T(2)", false}, {3, "c", true}, {4, "T(4)", false}} {
		if got := name(names, tt.v, "T"); got != tt.name {
			t.Errorf("Name(%d) = %q, want %q", tt.v, got, tt.name)
		}
		b, err := text(names, tt.v, "T")
		if (err == nil) != tt.ok || tt.ok && string(b) != tt.name {
			t.Errorf("Text(%d) = %q, %v; want %q, ok %v", tt.v, b, err, tt.name, tt.ok)
		}
		if !tt.ok {
			continue
		}
		if v, ok := parse(tt.name, names); !ok || v != tt.v {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.name, v, ok, tt.v)
		}
	}
	if v, ok := parse("A-B", names); !ok || v != 1 {
		t.Errorf("Parse ignores case: got %d, %v", v, ok)
	}
	if _, ok := parse("x", names); ok {
		t.Error(`Parse("x") found a value`)
	}
	if v, ok := parse("", []string{"none", "x"}); !ok || v != 0 {
		t.Errorf(`Parse("") = %d, %v; want the zero value`, v, ok)
	}
	if got := want(names); got != "a-b or c" {
		t.Errorf("Want = %q", got)
	}
}

type testEnum uint8

func TestTable(t *testing.T) {
	type fieldErr struct{ field, value, reason string }
	tab := Table[testEnum]{Type: "pkg.T", What: "thing", Names: []string{"", "a-b", "", "c"},
		Err: func(f, v, r string) error { return fmt.Errorf("%s", fieldErr{f, v, r}) }}
	if got := tab.String(1); got != "a-b" {
		t.Errorf("String(1) = %q", got)
	}
	if got := tab.String(2); got != "T(2)" {
		t.Errorf("String(2) = %q, want T(2)", got)
	}
	if b, err := tab.Text(3); err != nil || string(b) != "c" {
		t.Errorf("Text(3) = %q, %v", b, err)
	}
	if _, err := tab.Text(2); err == nil || err.Error() != "cannot marshal pkg.T(2)" {
		t.Errorf("Text(2) error = %v, want cannot marshal pkg.T(2)", err)
	}
	if v, err := tab.Parse("C"); err != nil || v != 3 {
		t.Errorf(`Parse("C") = %d, %v; want 3`, v, err)
	}
	want := fmt.Sprint(fieldErr{"thing", "x", "unknown thing (want a-b or c)"})
	if _, err := tab.Parse("x"); err == nil || err.Error() != want {
		t.Errorf(`Parse("x") error = %v, want %s`, err, want)
	}
	v := testEnum(1)
	if err := Unmarshal([]byte("c"), &v, tab.Parse); err != nil || v != 3 {
		t.Errorf(`Unmarshal("c") = %v, value %d; want 3`, err, v)
	}
	if err := Unmarshal([]byte("x"), &v, tab.Parse); err == nil || v != 3 {
		t.Errorf(`Unmarshal("x") = %v, value %d; want an error, value unchanged`, err, v)
	}
}
