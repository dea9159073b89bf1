// Package goldenfile compares the examples' output with files under
// testdata, and rewrites them when the tests run with -update.
package goldenfile

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Check compares got with testdata/name, first rewriting the file under
// -update.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), string(got))
}

// Run runs an example's run function, which must succeed, checks what it
// wrote to stdout against testdata/name, and returns it.
func Run(t testing.TB, name string, run func(stdout, stderr io.Writer) error) string {
	t.Helper()
	var out, errOut bytes.Buffer
	require.NoError(t, run(&out, &errOut), errOut.String())
	Check(t, name, out.Bytes())
	return out.String()
}
