package ipam_test

import (
	"testing"

	"github.com/ipcap/ipcap/internal/gcm"
	"github.com/stretchr/testify/assert"
)

// TestInlining pins what the comments say the compiler inlines, and does
// not, by asking it (as net/netip's inlining_test.go and gaissmai/bart's
// zz-inliner_test.go do): a claim that stops holding fails here, not in a
// benchmark nobody runs.
func TestInlining(t *testing.T) {
	inlined := gcm.Inlinable(gcm.Build(t))
	for _, c := range []struct {
		fn      string
		inlines bool
		why     string
	}{
		{"(*layout).atSingle4", true, "layout.go: at's single-run path, which Pool.Allocate calls itself"},
		{"(*layout).at", false, "layout.go, pool.go: why Allocate tests single4 and calls atSingle4"},
		{"(*layout).slotOf", false, "layout.go: the single-run path of slotOf is short, but a call"},
		{"(*core).take", false, "pool.go: why Allocate writes out first fit"},
		{"(*wyrand).uint64", true, "wyrand.go: one multiply per draw"},
		{"(*wyrand).uint64n", true, "wyrand.go: the whole inlines"},
		{"(*core).free", true, "Pool.Free, a hot path"},
		{"(*Pool).Contains", true, "Pool.Contains, a hot path"},
		{"(*BlockPool).Contains", true, "BlockPool.Contains, a hot path"},
	} {
		assert.Equal(t, c.inlines, inlined[c.fn], "%s inlines (%s)", c.fn, c.why)
	}
}

// TestEscapes pins what the comments say moves to the heap, and does not.
func TestEscapes(t *testing.T) {
	ds := gcm.Build(t)
	// layout.go, layoutBuilder.done: the copy of the runs' slice header
	// moves to the heap, so that the builder, taken by address in all its
	// methods, stays on newLayout's stack.
	copied := gcm.LineOf(t, "layout.go", "rs := b.runs // not &b.runs")
	assert.True(t, gcm.Has(ds, "layout.go", copied, "moved to heap: rs"), "layout.go:%d: rs, the copy, moves to the heap", copied)
	builder := gcm.LineOf(t, "layout.go", "b := layoutBuilder{")
	assert.False(t, gcm.Has(ds, "layout.go", builder, "moved to heap: b"), "layout.go:%d: newLayout's builder stays on the stack", builder)
}
