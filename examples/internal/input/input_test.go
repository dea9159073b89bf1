package input

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity/aksjson"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultIsValidInEveryMode(t *testing.T) {
	for _, m := range modes.All() {
		c, dropped := Default(m)
		require.NoError(t, c.Validate(), m.String())
		if m.Spec().Windows {
			assert.Empty(t, dropped, m.String())
			assert.Len(t, c.Pools, 3)
		} else {
			assert.Equal(t, []string{"win"}, dropped, m.String())
			assert.Len(t, c.Pools, 2)
		}
	}
}

func TestHistory(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "h.csv")
	require.NoError(t, os.WriteFile(good, []byte("time,nodes\n2026-01-01,3\n2026-01-08T12:00:00Z, 5\n"), 0o644))
	h, err := History(good)
	require.NoError(t, err)
	require.Len(t, h, 2)
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), h[0].Time)
	assert.Equal(t, 5, h[1].Nodes)

	unsorted := filepath.Join(dir, "unsorted.csv")
	require.NoError(t, os.WriteFile(unsorted, []byte("2026-01-08,5\n2026-01-01,3\n2026-01-15,9\n"), 0o644))
	h, err = History(unsorted)
	require.NoError(t, err)
	assert.Equal(t, []int{3, 5, 9}, []int{h[0].Nodes, h[1].Nodes, h[2].Nodes}, "oldest first")

	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("2026-01-01,3\nyesterday,4\n"), 0o644))
	_, err = History(bad)
	assert.ErrorContains(t, err, `line 2: "yesterday,4" is not time,nodes`)
	missing := filepath.Join(dir, "missing.csv")
	_, err = History(missing)
	assert.EqualError(t, err, missing+": cannot open: no such file or directory")
	assert.Equal(t, ExitUsage, ExitCode(err))

	negative := filepath.Join(dir, "negative.csv")
	require.NoError(t, os.WriteFile(negative, []byte("2026-01-01,3\n2026-01-02,-4\n"), 0o644))
	_, err = History(negative)
	assert.ErrorContains(t, err, "line 2: -4 nodes: want 0 or more")
	assert.Equal(t, ExitUsage, ExitCode(err))
}

func TestExitCode(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{flag.ErrHelp, ExitOK},
		{BadUsage(flag.ErrHelp), ExitOK},
		{Usagef("-trials %d: want 1–1,000,000", -5), ExitUsage},
		{fmt.Errorf("reading: %w", &aksjson.Error{Doc: "x.json", Offset: 3, Msg: "bad"}), ExitUsage},
		{&fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}, ExitUsage},
		{errors.New("the forecast failed"), ExitError},
	} {
		assert.Equal(t, tt.want, ExitCode(tt.err), "%v", tt.err)
	}
	assert.Nil(t, BadUsage(nil))
}

func TestReport(t *testing.T) {
	var buf bytes.Buffer
	assert.Equal(t, ExitUsage, Report("prog", &buf, func() error { return Usagef("-x %q: no", "y") }))
	assert.Equal(t, "prog: -x \"y\": no\n", buf.String())

	buf.Reset()
	assert.Equal(t, ExitOK, Report("prog", &buf, func() error { return flag.ErrHelp }))
	assert.Empty(t, buf.String(), "the flag package printed the usage")

	buf.Reset()
	assert.Equal(t, ExitError, Report("prog", &buf, func() error {
		panic("a bug")
	}))
	assert.Equal(t, 1, strings.Count(buf.String(), "\n"), "one line, no stack trace: %s", buf.String())
	assert.Contains(t, buf.String(), "prog: internal error")
	assert.NotContains(t, buf.String(), "goroutine")
}

// A whole-number flag takes decimal whole numbers in its range and says
// the range for anything else; -h shows its default as the flag package's
// own would.
func TestWholeFlags(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var n int
	var seed uint64
	IntVar(fs, &n, "n", 7, 1, 1000, "a `number`")
	Uint64Var(fs, &seed, "seed", 1, "a `seed`")
	assert.Equal(t, 7, n)
	require.NoError(t, fs.Parse([]string{"-n", "1000", "-seed", "18446744073709551615"}))
	assert.Equal(t, 1000, n)
	assert.Equal(t, uint64(18446744073709551615), seed)
	for _, bad := range []string{"0", "1001", "x", "1.5", "0x10", "", "-1", "+5"} {
		err := fs.Parse([]string{"-n", bad})
		assert.EqualError(t, err, fmt.Sprintf("invalid value %q for flag -n: want a whole number from 1 to 1,000", bad))
	}
	assert.EqualError(t, fs.Parse([]string{"-seed", "-1"}), `invalid value "-1" for flag -seed: want a whole number, 0 or more, below 2^64`)
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	assert.Equal(t, "  -n number\n    \ta number (default 7)\n  -seed seed\n    \ta seed (default 1)\n", b.String())
}
