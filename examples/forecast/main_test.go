package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/examples/internal/goldenfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fixtures = "../../capacity/aksjson/testdata/"

func runArgs(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), args, &out, &errOut), errOut.String())
	return out.String()
}

func TestDefault(t *testing.T) {
	goldenfile.Check(t, "default.txt", []byte(runArgs(t, "-trials", "100")))
}

func TestJSON(t *testing.T) {
	goldenfile.Check(t, "overlay.json", []byte(runArgs(t, "-json", "-mode", "azure-cni-overlay", "-trials", "50")))
}

func TestClusterFiles(t *testing.T) {
	out := runArgs(t, "-cluster", fixtures+"kubenet.json", "-network", fixtures+"kubenet-vnet.json",
		"-history", "testdata/history.csv", "-trials", "50")
	goldenfile.Check(t, "kubenet.txt", []byte(out))
	assert.Contains(t, out, "== kubenet (kubenet) ==")
	out = runArgs(t, "-cluster", fixtures+"legacy-cni.json", "-network", fixtures+"legacy-cni-subnet.json", "-trials", "20")
	goldenfile.Check(t, "legacy-cni.txt", []byte(out))
}

func TestPlot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.svg")
	runArgs(t, "-mode", "kubenet", "-trials", "10", "-plot", path)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(b), "<svg"), "an SVG document")
	assert.Contains(t, string(b), "aks-nodes")
}

func TestBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"-mode", "flannel"},
		{"-pods", "lots"},
		{"-pool", "nope"},
		{"-cluster", "does-not-exist.json"},
		{"-history", "does-not-exist.csv"},
		{"stray"},
	} {
		var out, errOut bytes.Buffer
		assert.Error(t, run(context.Background(), args, &out, &errOut), "%v", args)
	}
}
