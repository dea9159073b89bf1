package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/examples/internal/goldenfile"
	"github.com/ipcap/ipcap/examples/internal/input"
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
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"agentPoolProfiles": [{"name": "a", "count": "3"}]}`), 0o644))
	short := filepath.Join(t.TempDir(), "short.csv")
	require.NoError(t, os.WriteFile(short, []byte("time,nodes\n2026-01-01,3\n"), 0o644))
	same := filepath.Join(t.TempDir(), "same.csv")
	require.NoError(t, os.WriteFile(same, []byte("2026-01-01,3\n2026-01-01,4\n2026-01-01,5\n"), 0o644))
	for _, tt := range []struct {
		args []string
		want string // in the message
	}{
		{[]string{"-mode", "flannel"}, `-mode "flannel": want one of kubenet,`},
		{[]string{"-pods", "lots"}, `-pods "lots": want mean,sd`},
		{[]string{"-pods", "NaN,1"}, `-pods "NaN,1": want mean,sd`},
		{[]string{"-pods", "30,Inf"}, `-pods "30,Inf"`},
		{[]string{"-pods", "-3,1"}, `-pods "-3,1"`},
		{[]string{"-pool", "nope"}, `-pool "nope": the cluster has no such pool`},
		{[]string{"-cluster", "does-not-exist.json"}, "does-not-exist.json: cannot open"},
		{[]string{"-cluster", bad}, bad + `: agentPoolProfiles[0].count: "3": want a whole number`},
		{[]string{"-history", "does-not-exist.csv"}, "does-not-exist.csv"},
		{[]string{"-history", short}, short + ": 1 observation: a trend needs at least 3"},
		{[]string{"-history", same}, same + ": line 2: time 2026-01-01T00:00:00Z repeats line 1's: one observation per time"},
		{[]string{"-network", fixtures + "kubenet-vnet.json"}, "give -cluster too"},
		{[]string{"-trials", "-5"}, "-trials -5: want 1 to 1,000,000"},
		{[]string{"-trials", "0"}, "-trials 0: want 1 to 1,000,000"},
		{[]string{"-trials", "9223372036854775807"}, "-trials 9223372036854775807: want 1 to 1,000,000"},
		{[]string{"-trials", "99999999999999999999"}, "-trials"},
		{[]string{"-workers", "100000"}, "-workers 100000: want 0 (one per CPU) to 1,024"},
		{[]string{"-workers", "-1"}, "-workers -1"},
		{[]string{"-nope"}, "flag provided but not defined: -nope"},
		{[]string{"stray"}, `unexpected argument "stray"`},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, &out, &errOut)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want, "%v", tt.args)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", tt.args, err)
	}
}

func TestHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &out, &errOut)
	assert.Equal(t, input.ExitOK, input.ExitCode(err))
	assert.Contains(t, errOut.String(), "-trials")
}

// A cluster the chosen mode cannot run is reported, not plotted: there is
// nothing to draw (this was a nil-pointer panic).
func TestPlotClusterThatCannotRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.svg")
	var out, errOut bytes.Buffer
	// kubenet has no Windows pools; the legacy CNI cluster has one.
	err := run(context.Background(), []string{"-cluster", fixtures + "legacy-cni.json", "-network", fixtures + "legacy-cni-subnet.json",
		"-mode", "kubenet", "-trials", "10", "-plot", path}, &out, &errOut)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-plot "+path+": nothing to draw: the cluster cannot run in mode kubenet")
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.Contains(t, out.String(), "cannot run this cluster:", "the reason is printed")
	assert.NoFileExists(t, path)
}

func TestOneTrial(t *testing.T) {
	out := runArgs(t, "-mode", "kubenet", "-trials", "1")
	assert.Contains(t, out, "(1 trial, ")
	assert.NotContains(t, out, "1 trials")
}

func TestEstate(t *testing.T) {
	nets := []string{"-network", fixtures + "estate-vnet.json", "-network", fixtures + "estate-subnets.json", "-network", fixtures + "estate-usage.json"}
	out := runArgs(t, append([]string{"-clusters", fixtures + "estate-aks-list.json"}, nets...)...)
	goldenfile.Check(t, "estate.txt", []byte(out))
	// alpha's user pool: the /20 pod subnet's 4,091 usable less 1 reserved,
	// alpha's system pool (3 × 30) and beta's (2 × 30): 3,940, 78 nodes of
	// 50 pods.
	assert.Regexp(t, `(?m)^user +3 +20 +78 +pod-subnet$`, out, "now 3, at max 20, max nodes 78")
	// 1 + 3 + 2 + 4 reserved; alpha 23 nodes and 3 × 30 + 20 × 50 pod
	// addresses, beta 2 + 2 × 30, gamma 40 nodes (overlay).
	assert.Contains(t, out, "VNet addresses at the autoscalers' max: 1,225 of 65,536\n")
	assert.Contains(t, out, "free in the VNet: 10.30.5.0/24, ")

	// Every shape of the clusters document prints the same, but for its name.
	for _, shape := range []string{"estate-graph.json", "estate-rest.json"} {
		other := runArgs(t, append([]string{"-clusters", fixtures + shape}, nets...)...)
		assert.Equal(t, out, strings.Replace(other, shape, "estate-aks-list.json", 1), shape)
	}

	// Without the VNet document its address space, so its free space, is
	// unknown.
	noVNet := runArgs(t, "-clusters", fixtures+"estate-aks-list.json", "-network", fixtures+"estate-subnets.json", "-network", fixtures+"estate-usage.json")
	assert.Contains(t, noVNet, "3 clusters in VNet of unknown address space\n")
	assert.Contains(t, noVNet, "free in the VNet: unknown: give the VNet's document")

	js := runArgs(t, append([]string{"-clusters", fixtures + "estate-rest.json", "-json"}, nets...)...)
	goldenfile.Check(t, "estate.json", []byte(js))
}

func TestEstateBadUsage(t *testing.T) {
	list := fixtures + "estate-aks-list.json"
	vnet := fixtures + "estate-vnet.json"
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`[{"name": "a", "agentPoolProfiles": [{"name": "p", "count": "3"}]}]`), 0o644))
	overlap := filepath.Join(t.TempDir(), "overlap.json")
	require.NoError(t, os.WriteFile(overlap, []byte(`[{"id": "/x/virtualNetworks/v/subnets/wide", "name": "wide", "addressPrefix": "10.30.0.0/16"}]`), 0o644))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-clusters", list, "-cluster", fixtures + "kubenet.json"}, "-clusters and -cluster: give one"},
		{[]string{"-cluster", fixtures + "kubenet.json", "-clusters", list}, "-clusters and -cluster: give one"},
		{[]string{"-clusters", list, "-network", vnet, "-history", "testdata/history.csv"}, "-history: applies to one cluster's forecast (-cluster), not to an estate (-clusters)"},
		{[]string{"-clusters", list, "-network", vnet, "-trials", "5"}, "-trials: applies to one cluster's forecast"},
		{[]string{"-clusters", list, "-network", vnet, "-plot", "x.svg"}, "-plot: applies to one cluster's forecast"},
		{[]string{"-clusters", "missing.json"}, "missing.json: cannot open"},
		{[]string{"-clusters", bad}, bad + `: [0].agentPoolProfiles[0].count: "3": want a whole number`},
		{[]string{"-clusters", list}, list + `: [0].agentPoolProfiles[0].vnetSubnetId: "/subscriptions/`},
		{[]string{"-clusters", list, "-network", vnet, "-network", overlap}, "overlaps"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, &out, &errOut)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want, "%v", tt.args)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", tt.args, err)
		assert.Empty(t, out.String(), "%v", tt.args)
	}
}
