package tfplan

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
		assert.Equal(t, tt.stripped, stripKeys(tt.in), "stripKeys(%q)", tt.in)
		assert.Equal(t, tt.segs, segments(tt.in), "segments(%q)", tt.in)
	}
}
