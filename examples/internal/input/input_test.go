package input

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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

	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("2026-01-01,3\nyesterday,4\n"), 0o644))
	_, err = History(bad)
	assert.ErrorContains(t, err, `line 2: "yesterday,4" is not time,nodes`)
	_, err = History(filepath.Join(dir, "missing.csv"))
	assert.Error(t, err)
}
