package ipam_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInlining pins what the comments say the compiler inlines, and does
// not, by asking it (as net/netip's inlining_test.go and gaissmai/bart's
// zz-inliner_test.go do): a claim that stops holding fails here, not in a
// benchmark nobody runs.
func TestInlining(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool to ask: %v", err)
	}
	out, err := exec.Command(goTool, "build", "-gcflags=-m", ".").CombinedOutput()
	require.NoError(t, err, "go build -gcflags=-m:\n%s", out)
	inlined := map[string]bool{}
	for line := range strings.Lines(string(out)) {
		if _, fn, ok := strings.Cut(line, ": can inline "); ok {
			fn, _, _ = strings.Cut(strings.TrimSpace(fn), " ")
			inlined[fn] = true
		}
	}
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
	assert.NotEmpty(t, inlined, "no \"can inline\" line in:\n%s", out)
}
