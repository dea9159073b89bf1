package gcm_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/internal/gcm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuild asks the compiler about this package, gcm itself.
func TestBuild(t *testing.T) {
	ds := gcm.Build(t)
	assert.True(t, gcm.Inlinable(ds)["Has"], "Has, one loop, inlines: %v", ds)
	assert.False(t, gcm.Inlinable(ds)["Build"], "Build, which runs the go tool, does not")
	for _, d := range ds {
		assert.NotEqual(t, "gcm_test.go", d.File, "go build compiles no test file")
	}
}

func TestInlinableAndHas(t *testing.T) {
	ds := []gcm.Diagnostic{
		{File: "a.go", Line: 3, Text: "can inline (*T).f with cost 7 as: method(*T) func() int { return 1 }"},
		{File: "a.go", Line: 9, Text: "moved to heap: x"},
		{File: "a.go", Line: 9, Text: "inlining call to (*T).f"},
	}
	assert.Equal(t, map[string]bool{"(*T).f": true}, gcm.Inlinable(ds))
	assert.True(t, gcm.Has(ds, "a.go", 9, "moved to heap: x"))
	assert.False(t, gcm.Has(ds, "a.go", 3, "moved to heap: x"))
	assert.False(t, gcm.Has(ds, "b.go", 9, "moved to heap: x"))
}

func TestLineOf(t *testing.T) {
	b, err := os.ReadFile("gcm.go")
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	n := gcm.LineOf(t, "gcm.go", "func LineOf(")
	require.Positive(t, n)
	assert.True(t, strings.HasPrefix(lines[n-1], "func LineOf("), "line %d: %s", n, lines[n-1])
}
