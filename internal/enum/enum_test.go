package enum

import "testing"

func TestEnum(t *testing.T) {
	names := []string{"", "a-b", "", "c"}
	for _, tt := range []struct {
		v    uint8
		name string
		ok   bool
	}{{0, "", true}, {1, "a-b", true}, {2, "T(2)", false}, {3, "c", true}, {4, "T(4)", false}} {
		if got := Name(names, tt.v, "T"); got != tt.name {
			t.Errorf("Name(%d) = %q, want %q", tt.v, got, tt.name)
		}
		b, err := Text(names, tt.v, "T")
		if (err == nil) != tt.ok || tt.ok && string(b) != tt.name {
			t.Errorf("Text(%d) = %q, %v; want %q, ok %v", tt.v, b, err, tt.name, tt.ok)
		}
		if !tt.ok {
			continue
		}
		if v, ok := Parse(tt.name, names); !ok || v != tt.v {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.name, v, ok, tt.v)
		}
	}
	if v, ok := Parse("A-B", names); !ok || v != 1 {
		t.Errorf("Parse ignores case: got %d, %v", v, ok)
	}
	if _, ok := Parse("x", names); ok {
		t.Error(`Parse("x") found a value`)
	}
	if v, ok := Parse("", []string{"none", "x"}); !ok || v != 0 {
		t.Errorf(`Parse("") = %d, %v; want the zero value`, v, ok)
	}
	if got := Want(names); got != "a-b or c" {
		t.Errorf("Want = %q", got)
	}
}
