// Package gcm asks the Go compiler what it decided about the package under
// test, through go build -gcflags=-m: what it can inline and what moves to
// the heap. Tests use it to pin what comments claim, as net/netip's
// inlining_test.go does: a claim that stops holding fails a test, not a
// benchmark nobody runs.
package gcm

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Diagnostic is one line of the compiler's -m output: file:line:col: text.
type Diagnostic struct {
	File string // as the compiler names it, relative to the package: "pool.go"
	Line int
	Text string // "can inline f", "moved to heap: x", ...
}

// Build compiles the package in the current directory, a test's own, with
// -gcflags=-m and returns its diagnostics in the compiler's order. It skips
// the test when there is no go tool and fails it when the build fails.
func Build(t testing.TB) []Diagnostic {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool to ask: %v", err)
	}
	out, err := exec.Command(goTool, "build", "-gcflags=-m", "-o", filepath.Join(t.TempDir(), "pkg.a"), ".").CombinedOutput()
	require.NoError(t, err, "go build -gcflags=-m:\n%s", out)
	var ds []Diagnostic
	for l := range strings.Lines(string(out)) {
		file, rest, ok := strings.Cut(strings.TrimPrefix(l, "./"), ":")
		if !ok {
			continue // "# package"
		}
		line, rest, _ := strings.Cut(rest, ":")
		_, text, ok := strings.Cut(rest, ": ") // past the column
		n, err := strconv.Atoi(line)
		if !ok || err != nil {
			continue
		}
		ds = append(ds, Diagnostic{File: file, Line: n, Text: strings.TrimSpace(text)})
	}
	require.NotEmpty(t, ds, "go build -gcflags=-m printed no diagnostic:\n%s", out)
	return ds
}

// Inlinable returns the functions the compiler can inline, named as it names
// them: "(*Pool).Contains", "wyrand.uint64".
func Inlinable(ds []Diagnostic) map[string]bool {
	fns := map[string]bool{}
	for _, d := range ds {
		if fn, ok := strings.CutPrefix(d.Text, "can inline "); ok {
			fn, _, _ = strings.Cut(fn, " ")
			fns[fn] = true
		}
	}
	return fns
}

// Has reports whether the compiler said text about line of file.
func Has(ds []Diagnostic, file string, line int, text string) bool {
	for _, d := range ds {
		if d.File == file && d.Line == line && d.Text == text {
			return true
		}
	}
	return false
}

// LineOf returns the number of the one line of file, in the current
// directory, that contains text, so that a test names a line by what it
// holds rather than by a number that shifts with every edit. It fails the
// test unless exactly one line does.
func LineOf(t testing.TB, file, text string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var found []int
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, text) {
			found = append(found, i+1)
		}
	}
	require.Len(t, found, 1, "%s: the lines holding %q", file, text)
	return found[0]
}
