package tfplan

import (
	"slices"
	"testing"
)

func TestAddress(t *testing.T) {
	for _, tt := range []struct {
		in       string
		stripped string
		segs     []string
	}{
		{"module.a[0].module.b[\"x\"]", "module.a.module.b", []string{"module", "a[0]", "module", "b[\"x\"]"}},
		{"module.a[\"x.y\"].out", "module.a.out", []string{"module", "a[\"x.y\"]", "out"}},
		{"var.ids[\"a]\\\"b\"].id", "var.ids.id", []string{"var", "ids[\"a]\\\"b\"]", "id"}},
		{"azurerm_subnet.nodes[0][1]", "azurerm_subnet.nodes", []string{"azurerm_subnet", "nodes[0][1]"}},
		{"", "", []string{""}},
	} {
		if got := stripKeys(tt.in); got != tt.stripped {
			t.Errorf("stripKeys(%q) = %q, want %q", tt.in, got, tt.stripped)
		}
		if got := segments(tt.in); !slices.Equal(got, tt.segs) {
			t.Errorf("segments(%q) = %q, want %q", tt.in, got, tt.segs)
		}
	}
}
