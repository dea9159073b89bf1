package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/goldenfile"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/examples/internal/output"
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
	// kubenet's user pool: 253 nodes now (the pod CIDR), 190 with surge.
	assert.Contains(t, string(b), "max nodes now: 253 (pod-cidr)")
	assert.Contains(t, string(b), "max with upgrade surge: 190")
	assert.Contains(t, string(b), "Pool user in kubenet (kubenet)")
}

func TestBadInput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"agentPoolProfiles": [{"name": "a", "count": "3"}]}`), 0o644))
	short := filepath.Join(t.TempDir(), "short.csv")
	require.NoError(t, os.WriteFile(short, []byte("time,nodes\n2026-01-01,3\n"), 0o644))
	same := filepath.Join(t.TempDir(), "same.csv")
	require.NoError(t, os.WriteFile(same, []byte("2026-01-01,3\n2026-01-01,4\n2026-01-01,5\n"), 0o644))
	huge := filepath.Join(t.TempDir(), "huge.csv")
	require.NoError(t, os.WriteFile(huge, []byte("2026-01-01,3\n2026-01-02,4\n2026-01-03,99999999999999\n"), 0o644))
	kubenet, err := os.ReadFile(fixtures + "kubenet.json")
	require.NoError(t, err)
	maxPods300 := filepath.Join(t.TempDir(), "maxpods300.json")
	require.NoError(t, os.WriteFile(maxPods300, []byte(strings.Replace(string(kubenet), `"maxPods": 110`, `"maxPods": 300`, 1)), 0o644))
	for _, tt := range []struct {
		args []string
		want string // in the message
	}{
		{[]string{"-mode", "flannel"}, `-mode "flannel": want kubenet,`},
		{[]string{"-pods", "lots"}, `-pods "lots": want mean,sd`},
		{[]string{"-pods", "NaN,1"}, `-pods "NaN,1": want mean,sd`},
		{[]string{"-pods", "30,Inf"}, `-pods "30,Inf"`},
		{[]string{"-pods", "-3,1"}, `-pods "-3,1"`},
		{[]string{"-pool", "nope"}, `-pool "nope": the cluster has no such pool`},
		{[]string{"-cluster", "does-not-exist.json"}, "does-not-exist.json: cannot open"},
		{[]string{"-cluster", bad}, bad + `: agentPoolProfiles[0].count: "3": want a whole number`},
		{[]string{"-history", "does-not-exist.csv"}, "does-not-exist.csv"},
		{[]string{"-history", short}, short + ": 1 observation: a trend needs at least 3"},
		{[]string{"-history", same}, same + ": line 2: time 2026-01-01 repeats line 1's: one observation per time"}, // as written
		{[]string{"-history", huge}, huge + ": line 3: 99,999,999,999,999 nodes: want at most 1,000,000, the most nodes any Spec allows a pool (a custom Spec's ceiling; AKS allows 1,000)"},
		{[]string{"-network", fixtures + "kubenet-vnet.json"}, "give -cluster too"},
		{[]string{"-plot", "x.svg", "-plot-modes", "x.svg"}, "-plot and -plot-modes x.svg: one file holds one chart; name two"},
		// Invalid in its own mode: bad input whatever -mode asks.
		{[]string{"-cluster", maxPods300, "-network", fixtures + "kubenet-vnet.json", "-mode", "azure-cni-overlay"}, maxPods300 + ": agentPoolProfiles[0].maxPods: 300 is outside 10–250"},
		{[]string{"-trials", "-5"}, `invalid value "-5" for flag -trials: want a whole number from 1 to 1,000,000`},
		{[]string{"-trials", "0"}, `invalid value "0" for flag -trials: want a whole number from 1 to 1,000,000`},
		{[]string{"-trials", "9223372036854775807"}, `invalid value "9223372036854775807" for flag -trials: want a whole number from 1 to 1,000,000`},
		{[]string{"-trials", "99999999999999999999"}, `invalid value "99999999999999999999" for flag -trials: want a whole number from 1 to 1,000,000`},
		{[]string{"-trials", "x"}, `invalid value "x" for flag -trials: want a whole number from 1 to 1,000,000`},
		{[]string{"-workers", "100000"}, `invalid value "100000" for flag -workers: want a whole number from 0 to 1,024`},
		{[]string{"-workers", "-1"}, `invalid value "-1" for flag -workers: want a whole number from 0 to 1,024`},
		{[]string{"-seed", "-1"}, `invalid value "-1" for flag -seed: want a whole number, 0 or more, below 2^64`},
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
		"-history", "testdata/history.csv", "-mode", "kubenet", "-trials", "10", "-plot", path}, &out, &errOut)
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
	// alpha's user pool: the /20 pod subnet's 4,091 usable less 5 reserved,
	// alpha's system pool (3 × 30) and beta's (2 × 30): 3,936, 78 nodes of
	// 50 pods.
	assert.Regexp(t, `(?m)^user +3 +20 +78 +pod-subnet$`, out, "now 3, at max 20, max nodes 78")
	// 5 + 3 + 2 + 4 reserved; alpha 23 nodes and 3 × 30 + 20 × 50 pod
	// addresses, beta 2 + 2 × 30, gamma 40 nodes (overlay).
	assert.Contains(t, out, "VNet addresses at the autoscalers' max, others' included: 1,229 of 65,536\n")
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
	require.NoError(t, os.WriteFile(overlap, []byte(`[{"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/spoke/subnets/wide", "name": "wide", "addressPrefix": "10.30.0.0/16"}]`), 0o644))
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
		// An estate is one VNet: a network document of another is refused.
		{[]string{"-clusters", list, "-network", vnet, "-network", fixtures + "kubenet-vnet.json"}, fixtures + `kubenet-vnet.json: id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub": VNet hub, not the estate's VNet spoke`},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, &out, &errOut)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want, "%v", tt.args)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", tt.args, err)
		assert.Empty(t, out.String(), "%v", tt.args)
	}
}

func TestYAMLAndMarkdown(t *testing.T) {
	args := []string{"-mode", "azure-cni-overlay", "-trials", "50"}
	yml := runArgs(t, append(args, "-o", "yaml")...)
	goldenfile.Check(t, "overlay.yaml", []byte(yml))
	// The YAML is the JSON document: dates as YYYY-MM-DD, the library's
	// field names.
	assert.Contains(t, yml, "\n    upgradeBy:\n      p10: \"20")
	assert.Contains(t, yml, "\n      maxNodesWithSurge: 188\n")
	md := runArgs(t, append(args, "-o", "markdown")...)
	goldenfile.Check(t, "overlay.md", []byte(md))
	assert.Contains(t, md, "## azure-cni-overlay (Azure CNI Overlay)\n\n| pool | nodes now |")
	assert.Contains(t, md, "| user | 10 | 60 | 251 | 188 | pod-cidr | 243 | pod-cidr |\n")
	assert.Contains(t, md, "| pod-cidr | pod-cidr | 65,536 | 0 | 3,840 | 18,688 | 46,848 |\n")
	assert.Regexp(t, `\| runs out on \| 20\d\d-\d\d-\d\d \| 20\d\d-\d\d-\d\d \| 20\d\d-\d\d-\d\d \|`, md)

	nets := []string{"-network", fixtures + "estate-vnet.json", "-network", fixtures + "estate-subnets.json", "-network", fixtures + "estate-usage.json"}
	md = runArgs(t, append([]string{"-clusters", fixtures + "estate-aks-list.json", "-o", "md"}, nets...)...)
	goldenfile.Check(t, "estate.md", []byte(md))
	assert.Contains(t, md, "## alpha (azure-cni-pod-subnet)\n\n| pool | now | at max | max nodes | limit |\n|---|---:|---:|---:|---|\n| system | 3 | 3 | 100 | pod-subnet |\n")
	yml = runArgs(t, append([]string{"-clusters", fixtures + "estate-aks-list.json", "-o", "yaml"}, nets...)...)
	assert.Contains(t, yml, "vnetLimit: 65536\n")
}

// -fail-below: the user pool of the default cluster in Overlay has 241 of
// 251 nodes free now (96%), Azure CNI's 17 of 27 (63%).
func TestFailBelow(t *testing.T) {
	runArgs(t, "-mode", "azure-cni-overlay", "-trials", "5", "-fail-below", "95%")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-mode", "azure-cni", "-trials", "5", "-fail-below", "0.7"}, &out, &errOut)
	require.Error(t, err)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.Contains(t, err.Error(), "azure-cni pool user: 17 of 27 nodes free now (63% < 70%)")
	assert.Contains(t, out.String(), "== azure-cni (", "the report is printed before the verdict")

	// A mode that cannot run the cluster fails the threshold.
	err = run(context.Background(), []string{"-cluster", fixtures + "legacy-cni.json", "-network", fixtures + "legacy-cni-subnet.json",
		"-mode", "kubenet", "-trials", "5", "-fail-below", "1%"}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "kubenet cannot run the cluster")

	// The estate: alpha's user pool, 3 of 78 nodes with the others at max.
	nets := []string{"-network", fixtures + "estate-vnet.json", "-network", fixtures + "estate-subnets.json", "-network", fixtures + "estate-usage.json"}
	runArgs(t, append([]string{"-clusters", fixtures + "estate-aks-list.json", "-fail-below", "90%"}, nets...)...)
	err = run(context.Background(), append([]string{"-clusters", fixtures + "estate-aks-list.json", "-fail-below", "97%"}, nets...), io.Discard, io.Discard)
	assert.ErrorContains(t, err, "alpha pool user: 75 of 78 nodes free (96.2% < 97%)")
	assert.Equal(t, input.ExitError, input.ExitCode(err))

	for _, bad := range []string{"101%", "-1%", "ten", ""} {
		err := run(context.Background(), []string{"-fail-below", bad}, io.Discard, io.Discard)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%q: %v", bad, err)
	}
}

func TestHelpText(t *testing.T) {
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"-help"}, io.Discard, &errOut)
	assert.Equal(t, input.ExitOK, input.ExitCode(err))
	help := errOut.String()
	assert.True(t, strings.HasPrefix(help, "forecast: "+description+"\n"), help)
	for _, want := range []string{"-o format", "-json", "-fail-below", "-plot file", "-plot-modes file", "\nExamples:\n  forecast -mode azure-cni-overlay", "\n  forecast -cluster aks.json"} {
		assert.Contains(t, help, want)
	}
}

// Both charts are written, said on stderr, and state what they draw.
func TestCharts(t *testing.T) {
	dir := t.TempDir()
	timeline, bars := filepath.Join(dir, "timeline.svg"), filepath.Join(dir, "modes.png")
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-trials", "20", "-mode", "azure-cni-overlay", "-plot", timeline, "-plot-modes", bars}, &out, &errOut))
	assert.Equal(t, "wrote "+timeline+" (timeline of pool user in azure-cni-overlay)\nwrote "+bars+" (max nodes of pool user per networking mode)\n", errOut.String())
	svg, err := os.ReadFile(timeline)
	require.NoError(t, err)
	for _, want := range []string{"Pool user in Azure CNI Overlay (azure-cni-overlay)", "max nodes now: 251 (pod-cidr)", "max with upgrade surge: 188",
		"forecast P10–P90 band", "forecast median (P50)", "runs out (P50)", "upgrade by (P50)", "last observed: 10 nodes on 2026-11-12"} {
		assert.Contains(t, string(svg), want)
	}
	png, err := os.ReadFile(bars)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG")), "a PNG")

	// The bars in SVG, to read their labels: every mode, its limit.
	svgBars := filepath.Join(dir, "modes.svg")
	require.NoError(t, run(context.Background(), []string{"-trials", "5", "-mode", "kubenet", "-plot-modes", svgBars}, io.Discard, io.Discard))
	b, err := os.ReadFile(svgBars)
	require.NoError(t, err)
	for _, want := range []string{"251 · pod-cidr (188 with surge)", "27 · node-subnet (20 with surge)", "1,000 · pool-nodes (751 with surge)", "azure-cni-static-block", "1,400"} {
		assert.Contains(t, string(b), want)
	}

	// A cluster file's modes: the legacy CNI cluster has a Windows pool.
	require.NoError(t, run(context.Background(), []string{"-cluster", fixtures + "legacy-cni.json", "-network", fixtures + "legacy-cni-subnet.json",
		"-trials", "5", "-plot-modes", svgBars}, io.Discard, io.Discard))
	b, err = os.ReadFile(svgBars)
	require.NoError(t, err)
	// Its forecast pool is win (2–8), the autoscaled pool of the largest
	// max; its own mode is marked, the others say why they cannot run it.
	assert.Contains(t, string(b), "Max nodes of pool win per networking mode")
	assert.Contains(t, string(b), "legacy-cni.json, the other pools as they are now")
	assert.Contains(t, string(b), ">azure-cni (current)<")
	assert.Contains(t, string(b), ">cannot run: no azure network policy; no Windows pools<")
	assert.Contains(t, string(b), ">cannot run: needs a pod subnet<")
}

func TestChartUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-plot", "out.pdf"}, "-plot out.pdf: want a .svg or .png file"},
		{[]string{"-plot-modes", "modes.jpg"}, "-plot-modes modes.jpg: want a .svg or .png file"},
		{[]string{"-cluster", fixtures + "kubenet.json", "-network", fixtures + "kubenet-vnet.json", "-plot", "t.png"}, "-plot t.png: the timeline needs the pool's node-count history: give -history"},
		{[]string{"-o", "xml"}, `invalid value "xml" for flag -o`},
	} {
		err := run(context.Background(), tt.args, io.Discard, io.Discard)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v", tt.args)
	}
}

// The embedded history is the user pool's: forecasting another pool of the
// default cluster applies none of it (it dated the system pool by the user
// pool's growth, and warned that "the history ends at 10 nodes but pool
// system has 3 now").
func TestPoolHistory(t *testing.T) {
	js := runArgs(t, "-mode", "azure-cni-overlay", "-pool", "system", "-trials", "20", "-json")
	var out Output
	require.NoError(t, json.Unmarshal([]byte(js), &out))
	f := out.Results[0].Forecast
	assert.Equal(t, "system", f.Pool)
	assert.Nil(t, f.When, "no date without the pool's history")
	assert.Empty(t, f.Model)
	assert.Empty(t, f.Warnings)
	assert.Equal(t, []string{"the embedded history is pool user's node counts, not pool system's: no dates (give -history for pool system)"}, out.Notes)
	// The system pool alone: 244 of the /16's 256 /24s, the other pools
	// holding 10 + 2 (the "now" basis).
	assert.Equal(t, 244.0, f.Nodes.P50)
	text := runArgs(t, "-mode", "azure-cni-overlay", "-pool", "system", "-trials", "20")
	assert.Contains(t, text, "\nnote: the embedded history is pool user's node counts, not pool system's")
	assert.NotContains(t, text, "runs out on")

	// The user pool keeps it; a -history file is the named pool's.
	js = runArgs(t, "-mode", "azure-cni-overlay", "-pool", "user", "-trials", "20", "-json")
	out = Output{}
	require.NoError(t, json.Unmarshal([]byte(js), &out))
	assert.NotNil(t, out.Results[0].Forecast.When)
	assert.Empty(t, out.Notes)
	js = runArgs(t, "-mode", "azure-cni-overlay", "-pool", "system", "-history", "testdata/history.csv", "-trials", "20", "-json")
	out = Output{}
	require.NoError(t, json.Unmarshal([]byte(js), &out))
	assert.Equal(t, capacity.GrowthTrend, out.Results[0].Forecast.Model)
	assert.Empty(t, out.Notes)

	// No history, no timeline.
	err := run(context.Background(), []string{"-pool", "system", "-plot", filepath.Join(t.TempDir(), "t.svg")}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "the timeline needs pool system's node-count history (the embedded one is pool user's): give -history")
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
}

// A cluster that does not fit now exits 1 without -fail-below. The default
// cluster in Azure CNI: AKS counts every pool at its autoscaler max, 3 + 60
// + 10 = 73 nodes at maxPods 30 − 1 = 29 addresses, 2,117 of the /22's
// 1,024 − 5 = 1,019.
func TestDoesNotFitNow(t *testing.T) {
	const refusal = "refused by AKS: InsufficientSubnetSize: Pre-allocated IPs 2117 exceeds IPs available 1019 in Subnet Cidr 10.240.0.0/22, Subnet Name aks-nodes"
	var out bytes.Buffer
	err := run(context.Background(), []string{"-mode", "azure-cni", "-trials", "5"}, &out, io.Discard)
	require.Error(t, err)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.EqualError(t, err, "the cluster does not fit now: azure-cni: "+refusal)
	assert.Contains(t, out.String(), "== azure-cni (Azure CNI (node subnet)) ==\ndoes not fit now: "+refusal+"\n", "the report is printed first")

	out.Reset()
	err = run(context.Background(), []string{"-mode", "azure-cni", "-trials", "5", "-json"}, &out, io.Discard)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	var doc Output
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	assert.False(t, doc.Results[0].FitsNow)
	assert.Equal(t, 2117, doc.Results[0].Verdict.Refusal.Required)

	// Every mode of the default: Overlay and others fit, so the
	// comparison exits 0 and says which do not.
	text := runArgs(t, "-trials", "5")
	assert.Equal(t, 2, strings.Count(text, "\ndoes not fit now: "), "azure-cni and cilium-node-subnet")
	// A mode that cannot run the cluster is no fit either.
	err = run(context.Background(), []string{"-cluster", fixtures + "legacy-cni.json", "-network", fixtures + "legacy-cni-subnet.json",
		"-mode", "kubenet", "-trials", "5"}, io.Discard, io.Discard)
	assert.EqualError(t, err, "the cluster does not fit now: kubenet cannot run the cluster")
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	// With -fail-below the threshold decides, and names the misfit too.
	err = run(context.Background(), []string{"-mode", "azure-cni", "-trials", "5", "-fail-below", "10%"}, io.Discard, io.Discard)
	assert.EqualError(t, err, "below -fail-below: azure-cni: the cluster does not fit now: "+refusal)
	runArgs(t, "-mode", "azure-cni-overlay", "-trials", "5")

	var help bytes.Buffer
	assert.Equal(t, input.ExitOK, input.ExitCode(run(context.Background(), []string{"-h"}, io.Discard, &help)))
	assert.Contains(t, help.String(), "Exit 1 when the cluster does not fit now")
}

// Text output separates thousands: trials, nodes, limits' trial counts and
// the library's warnings alike.
func TestThousands(t *testing.T) {
	out := runArgs(t, "-mode", "byocni-cilium", "-trials", "1000")
	// Bring-your-own Cilium: a pool stops at AKS's 1,000 nodes, in all
	// 1,000 trials.
	assert.Contains(t, out, "forecast for pool user (1,000 trials, the other pools as they are now): runs out at 1,000 nodes (P10–P90: 1,000–1,000); limits: pool-nodes 1,000\n")
	assert.Contains(t, out, "fits up to 1,000 nodes now (751 with upgrade surge, pool-nodes), 1,000 with the other pools at their max")
	assert.Regexp(t, `cni-pool +cni-pool +262,144 +0 +3,328 +16,128 +246,016\n`, out)
	out = runArgs(t, "-mode", "azure-cni-overlay", "-trials", "1000")
	assert.Regexp(t, `lies 1,\d\d\d days after the last observation`, out)
	assert.NotRegexp(t, `\d{4} (trials|nodes|days)`, out)
}

// The timeline's band is the forecast's per-day path: -plot asks for it,
// and its median passes the max nodes (251 in Overlay) on the P50 date.
func TestTimelinePath(t *testing.T) {
	dir := t.TempDir()
	svgPath := filepath.Join(dir, "t.svg")
	js := runArgs(t, "-mode", "azure-cni-overlay", "-trials", "200", "-plot", svgPath, "-json")
	var out Output
	require.NoError(t, json.Unmarshal([]byte(js), &out))
	f := out.Results[0].Forecast
	require.NotEmpty(t, f.Path)
	require.NotNil(t, f.When)
	var crossed time.Time
	for _, p := range f.Path {
		if p.P50 > 251 {
			crossed = p.Date
			break
		}
	}
	assert.Equal(t, f.When.P50, crossed)
	svg, err := os.ReadFile(svgPath)
	require.NoError(t, err)
	assert.Contains(t, string(svg), "P10–P90 and P50 of the pool&#39;s node count each day")
	assert.NotContains(t, string(svg), "through the forecast&#39;s dates")
	// Without -plot the document has no path.
	assert.NotContains(t, runArgs(t, "-mode", "azure-cni-overlay", "-trials", "20", "-json"), `"path"`)
}

// A dual-stack cluster's IPv6 pod CIDR is reported in per-node blocks: the
// fixture's default fd12:3456:789a::/64 holds 2^(80−64) = 65,536 /80s, and
// 3 system nodes plus apps at its autoscaler max of 50 take 53.
func TestDualStack(t *testing.T) {
	out := runArgs(t, "-cluster", fixtures+"dualstack.json", "-network", fixtures+"dualstack-vnet.json", "-mode", "azure-cni-overlay", "-trials", "10")
	assert.Contains(t, out, "IPv6 pod CIDR fd12:3456:789a::/64: 65,536 per-node /80 blocks, 53 at the autoscalers' max, 65,483 free\n")
	out = runArgs(t, "-cluster", fixtures+"dualstack.json", "-network", fixtures+"dualstack-vnet.json", "-mode", "azure-cni-overlay", "-trials", "10", "-o", "markdown")
	assert.Contains(t, out, "IPv6 pod CIDR fd12:3456:789a::/64: 65,536 per-node /80 blocks, 53 at the autoscalers' max, 65,483 free\n\n")
}

// An estate with a cluster that does not fit as it is exits 1 and says
// which, as a single cluster does. alpha's user pool at an autoscaler max
// of 300 plans a batch of 16 pod addresses a node in its /20 pod subnet:
// with alpha's 3 system nodes, 303 × 16 = 4,848 of 4,096 − 5 = 4,091
// usable (AKS counts its own cluster's pools only). AKS refuses it.
func TestEstateDoesNotFitNow(t *testing.T) {
	b, err := os.ReadFile(fixtures + "estate-aks-list.json")
	require.NoError(t, err)
	list := filepath.Join(t.TempDir(), "estate.json")
	require.NoError(t, os.WriteFile(list, []byte(strings.Replace(string(b), `"maxCount": 20,`, `"maxCount": 300,`, 1)), 0o644))
	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"-clusters", list, "-network", fixtures + "estate-vnet.json",
		"-network", fixtures + "estate-subnets.json", "-network", fixtures + "estate-usage.json"}, &out, &errOut)
	require.Error(t, err)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.Contains(t, err.Error(), "not fitting now (AKS refuses them as configured, or their nodes find no addresses): alpha")
	assert.Regexp(t, `== alpha \(azure-cni-pod-subnet\) ==\ndoes not fit now: refused by AKS: InsufficientSubnetSize: Pre-allocated IPs 4848 exceeds IPs available 4091`, out.String())
}

// A -cluster file its own mode cannot run is bad input (exit 2), told in
// the file's words: the file, the JSON path with indexes, the value and
// what was expected. With another -mode, a mode that cannot run the
// cluster is an answer (exit 1), told the same way.
func TestInvalidClusterInTheFilesWords(t *testing.T) {
	b, err := os.ReadFile(fixtures + "kubenet.json")
	require.NoError(t, err)
	old := "\"maxCount\": 40,\n      \"maxPods\": 110"
	require.Contains(t, string(b), old)
	cluster := filepath.Join(t.TempDir(), "cluster.json")
	require.NoError(t, os.WriteFile(cluster, []byte(strings.Replace(string(b), old, "\"maxCount\": 40,\n      \"maxPods\": 300", 1)), 0o644))

	var out bytes.Buffer
	err = run(context.Background(), []string{"-cluster", cluster, "-network", fixtures + "kubenet-vnet.json", "-trials", "5"}, &out, io.Discard)
	require.Error(t, err)
	assert.EqualError(t, err, cluster+": invalid cluster (1 problem); "+cluster+": agentPoolProfiles[1].maxPods: 300 is outside 10–250")
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	var ve *capacity.ValidationError
	assert.ErrorAs(t, err, &ve)
	assert.Contains(t, out.String(), "cannot run this cluster: invalid cluster (1 problem); "+cluster+": agentPoolProfiles[1].maxPods: 300 is outside 10–250")

	out.Reset()
	err = run(context.Background(), []string{"-cluster", fixtures + "legacy-cni.json", "-network", fixtures + "legacy-cni-subnet.json",
		"-mode", "kubenet", "-trials", "5"}, &out, io.Discard)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	// kubenet leaves the Windows pool out, and cannot run Azure's policy.
	assert.Contains(t, out.String(), fixtures+"legacy-cni.json: networkProfile.networkPolicy: kubenet does not support network policy azure")

	// A kubenet cluster planned on Azure CNI leaves its pod CIDR behind
	// (capacity.Cluster.InMode) and is costed, not refused for it: its /24
	// node subnet's 251 addresses cannot hold the 3 + 40 nodes AKS counts
	// at maxPods − 1 = 109 each, 43 × 109 = 4,687.
	out.Reset()
	err = run(context.Background(), []string{"-cluster", fixtures + "kubenet.json", "-network", fixtures + "kubenet-vnet.json",
		"-mode", "azure-cni", "-trials", "5"}, &out, io.Discard)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.NotContains(t, out.String(), "cannot run")
	assert.Contains(t, out.String(), "does not fit now: refused by AKS: InsufficientSubnetSize: Pre-allocated IPs 4687 exceeds IPs available 251")
}

// An estate's invalid cluster is told in the files' words too.
func TestInvalidEstateInTheFilesWords(t *testing.T) {
	b, err := os.ReadFile(fixtures + "estate-aks-list.json")
	require.NoError(t, err)
	require.Contains(t, string(b), `"maxPods": 30,`)
	list := filepath.Join(t.TempDir(), "aks-list.json")
	require.NoError(t, os.WriteFile(list, []byte(strings.Replace(string(b), `"maxPods": 30,`, `"maxPods": 300,`, 1)), 0o644))
	err = run(context.Background(), []string{"-clusters", list, "-network", fixtures + "estate-vnet.json", "-network", fixtures + "estate-subnets.json"}, io.Discard, io.Discard)
	assert.EqualError(t, err, list+": Clusters[0] (alpha): invalid cluster (1 problem); "+list+": [0].agentPoolProfiles[0].maxPods: 300 is outside 10–250")
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
}

// An estate is one VNet: a cluster whose pools are in another VNet is
// refused, naming the pool's vnetSubnetId and both VNets, not printed as
// "4 clusters in VNet 10.30.0.0/16, 10.240.0.0/16". Two clusters of one
// name are refused too, not printed as two sections of that name.
func TestEstateOneVNetOneName(t *testing.T) {
	var list []any
	require.NoError(t, json.Unmarshal(readFile(t, fixtures+"estate-aks-list.json"), &list))
	var kube1 map[string]any
	require.NoError(t, json.Unmarshal(readFile(t, fixtures+"kubenet.json"), &kube1))
	kube1["nodeResourceGroup"] = "MC_rg-kube_kube1_westeurope"
	est := writeJSON(t, "est.json", append(list, kube1))
	nets := []string{"-network", fixtures + "estate-vnet.json", "-network", fixtures + "estate-subnets.json", "-network", fixtures + "estate-usage.json"}

	var out bytes.Buffer
	err := run(context.Background(), append(append([]string{"-clusters", est}, nets...), "-network", fixtures+"kubenet-vnet.json"), &out, io.Discard)
	assert.EqualError(t, err, "aksjson: "+est+`: [3].agentPoolProfiles[0].vnetSubnetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub/subnets/kube1-nodes": `+
		"a subnet of VNet hub, not the estate's VNet spoke (/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/spoke, of "+
		est+" [0].agentPoolProfiles[0].vnetSubnetId): an estate is the clusters of one VNet; read each VNet's clusters as an estate of its own")
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	assert.Empty(t, out.String())

	dup := writeJSON(t, "dup.json", append(list, list[0]))
	err = run(context.Background(), append([]string{"-clusters", dup}, nets...), &out, io.Discard)
	assert.EqualError(t, err, "aksjson: "+dup+`: [3].name: "alpha" names two clusters of the estate ([0].name too): want each cluster once; clusters of one name in different resource groups need resourceGroup or id`)
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	assert.Empty(t, out.String())
}

// A dual-stack estate: each dual-stack cluster's IPv6 pod CIDR is printed
// as the single-cluster forecast prints it, and the free space is the
// VNet's IPv4 space, where subnets are placed, not its IPv6 range cut
// around the /64s.
func TestEstateDualStack(t *testing.T) {
	args := []string{"-clusters", fixtures + "dualstack.json", "-network", fixtures + "dualstack-vnet.json"}
	out := runArgs(t, args...)
	goldenfile.Check(t, "estate-dualstack.txt", []byte(out))
	assert.Contains(t, out, "\nsystem  3    3       206        pod-cidr\napps    5    50      253        pod-cidr\n"+
		"IPv6 pod CIDR fd12:3456:789a::/64: 65,536 per-node /80 blocks, 53 at the autoscalers' max, 65,483 free\n\n== subnets")
	assert.Contains(t, out, "free in the VNet: 10.240.4.0/22, 10.240.8.0/21, ")
	assert.Contains(t, out, ", 10.240.255.128/25 (IPv4; an IPv6 subnet is a /64 of fd00:1::/48)\n")
	assert.NotContains(t, out, "fd00:1:0:", "no IPv6 fragments")
	md := runArgs(t, append(args, "-o", "md")...)
	goldenfile.Check(t, "estate-dualstack.md", []byte(md))
	assert.Contains(t, md, "| apps | 5 | 50 | 253 | pod-cidr |\n\nIPv6 pod CIDR fd12:3456:789a::/64: 65,536 per-node /80 blocks, 53 at the autoscalers' max, 65,483 free\n\n## Subnets")
	var js EstateOutput
	require.NoError(t, json.Unmarshal([]byte(runArgs(t, append(args, "-json")...)), &js))
	require.NotNil(t, js.Report.Clusters[0].PodCIDRIPv6)
	for _, p := range js.Report.Free {
		assert.True(t, p.Addr().Is4(), "%v", p)
	}

	// A single-stack estate prints no IPv6 line, and no note on its free
	// space.
	single := runArgs(t, "-clusters", fixtures+"estate-aks-list.json", "-network", fixtures+"estate-vnet.json")
	assert.NotContains(t, single, "IPv6")
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return b
}

func writeJSON(t *testing.T, name string, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return path
}

// run is forecast as read on 2026-11-30, the day its golden files were
// made, so that they do not change with the calendar.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runAt(ctx, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), args, stdout, stderr)
}

// Dates are read on -now, else today: the pool has its count then, so the
// trials start then, and a date before it is flagged as past.
func TestNow(t *testing.T) {
	// The default history's user pool (10 nodes, the history's last count
	// on 2026-11-12) runs out in overlay on 2031-01-16 (P50 of 50 trials)
	// read on 2026-11-30, the trials starting that day.
	out := runArgs(t, "-mode", "azure-cni-overlay", "-trials", "50")
	assert.Contains(t, out, "  runs out on 2031-01-16 (P10–P90: 2030-07-23 to 2031-10-02)")
	assert.NotContains(t, out, "is not after now")
	assert.NotContains(t, out, "before now", "18 days old is not stale")
	// Read on 2031-01-01 the same trials start 1,493 days later, from the
	// pool's 10 nodes then: every date moves by as much (2031-01-16 +
	// 1,493 days = 2035-02-17), none is past, and the history's age is said.
	out = runArgs(t, "-mode", "azure-cni-overlay", "-trials", "50", "-now", "2031-01-01")
	assert.Contains(t, out, "  runs out on 2035-02-17 (P10–P90: 2034-08-24 to 2035-11-03)")
	assert.Contains(t, out, "  warning: the history ends on 2026-11-12, 1,511 days before now (2031-01-01): the trials start now from the pool's count, 10 nodes, and grow as the history's model does from there\n")
	assert.NotContains(t, out, "is not after now")
	// Read on 2026-11-01, before the history's last two weeks.
	out = runArgs(t, "-mode", "azure-cni-overlay", "-trials", "50", "-now", "2026-11-01")
	assert.Contains(t, out, "  runs out on 2030-12-29 (P10–P90: 2030-07-05 to 2031-09-14)", "the trials start from the last observation")
	assert.Contains(t, out, "  warning: 2 observations of the history, the last on 2026-11-12, are dated after now (2026-11-01): check their times and now; the trials start from the last observation\n")
	err := run(context.Background(), []string{"-now", "yesterday"}, io.Discard, io.Discard)
	assert.EqualError(t, err, `-now "yesterday": want a date such as 2026-11-30`)
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	// Year 0 parses as a date but no forecast date can precede year 1:
	// bad usage, naming -now, before any forecast runs.
	err = run(context.Background(), []string{"-now", "0000-12-31"}, io.Discard, io.Discard)
	assert.EqualError(t, err, `-now "0000-12-31": want a date in the years 1–9999`)
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
}

// writeHistory writes rows (time,nodes lines) to a history file.
func writeHistory(t *testing.T, rows ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "h.csv")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(rows, "\n")+"\n"), 0o644))
	return path
}

// A history's own counts date the exhaustion only when they end at the
// pool's count now: Azure CNI's user pool has 10 nodes and room for 27
// (the default cluster does not fit at its autoscalers' max: exit 1).
func TestHistoryDates(t *testing.T) {
	runArgs := func(t *testing.T, args ...string) string {
		var out bytes.Buffer
		err := run(context.Background(), args, &out, io.Discard)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "the cluster does not fit now")
		return out.String()
	}
	// Ending at 100 nodes the history is not the pool: its 40 nodes on
	// 2026-10-01 date nothing. The trials start on 2026-11-30 (-now, a day
	// after the history) from 10 nodes at about a node a day.
	h := writeHistory(t, "2026-09-01,10", "2026-10-01,40", "2026-11-01,70", "2026-11-29,100")
	out := runArgs(t, "-mode", "azure-cni", "-history", h, "-trials", "50")
	assert.NotContains(t, out, "2026-10-01")
	assert.Regexp(t, `\n  runs out on 2026-12-\d\d `, out)
	assert.Contains(t, out, "  warning: the history ends at 100 nodes (2026-11-29) but pool user has 10 nodes now: the trials start from the pool's count on 2026-11-30 and grow as the history's model does; the history's counts date nothing\n")
	assert.NotContains(t, out, "is not after now")
	// Ending at the pool's 10 nodes it is the pool's: it ran out on
	// 2026-10-01, at 40 nodes, and that is past.
	h = writeHistory(t, "2026-09-01,10", "2026-10-01,40", "2026-11-01,70", "2026-11-29,10")
	out = runArgs(t, "-mode", "azure-cni", "-history", h, "-trials", "50")
	assert.Contains(t, out, "  runs out on 2026-10-01 (P10–P90: 2026-10-01 to 2026-10-01)")
	assert.Contains(t, out, "the date the pool runs out, P90 2026-10-01, is not after now (2026-11-30): in at least 90% of trials the pool has already run out")
}

// -now is the date in the history's time zone, where the forecast counts
// its days: at −05:00, 2031-01-01 is not 2030-12-31 (UTC midnight there).
func TestNowInHistoryZone(t *testing.T) {
	h := writeHistory(t, "2026-09-01T09:00:00-05:00,4", "2026-10-01T09:00:00-05:00,7", "2026-11-01T09:00:00-05:00,10")
	out := runArgs(t, "-mode", "azure-cni-overlay", "-history", h, "-trials", "20", "-now", "2031-01-01")
	assert.Contains(t, out, "  warning: the history ends on 2026-11-01, 1,522 days before now (2031-01-01): ")
}

// The static-block default: AKS accepts it, but its /20 pod subnet holds
// 254 whole /28 blocks, 4,064 addresses, and the pools at their max need
// 7,376: ceil(111/16) = 7 blocks of 16 a node at maxPods 110 for system
// (3) and user (60), 2 at maxPods 30 for win (10): 63 × 112 + 10 × 32.
// Every format says so, JSON in the result's warnings.
func TestOverCommitWarned(t *testing.T) {
	var doc Output
	require.NoError(t, json.Unmarshal([]byte(runArgs(t, "-mode", "azure-cni-static-block", "-trials", "10", "-o", "json")), &doc))
	require.Len(t, doc.Results, 1)
	assert.True(t, doc.Results[0].FitsNow)
	assert.Equal(t, []string{"pod subnet aks-pods is over-committed: the pools at their autoscaler max need 7,376 addresses of it, it has 4,064 for them; the autoscalers fail before they get there"}, doc.Results[0].Warnings)
	assert.Contains(t, runArgs(t, "-mode", "azure-cni-static-block", "-trials", "10"), "\nwarning: pod subnet aks-pods is over-committed")
}

// A chart file that cannot be written is bad usage naming it, in words.
func TestPlotUnwritable(t *testing.T) {
	err := run(context.Background(), []string{"-mode", "kubenet", "-trials", "5", "-plot", "/nonexistent-dir/x.png"}, io.Discard, io.Discard)
	assert.EqualError(t, err, "/nonexistent-dir/x.png: cannot write: no such file or directory")
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
}

// -fail-below's verdict is in the document too, for a pipeline that reads
// it: the threshold and each pool below it (pod subnet: 67 of 77 nodes
// free now, 87%).
func TestGateInJSON(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-mode", "azure-cni-pod-subnet", "-trials", "5", "-fail-below", "90%", "-o", "json"}, &out, io.Discard)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	var doc Output
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	require.NotNil(t, doc.Gate)
	assert.Equal(t, output.Gate{FailBelow: 0.9, Below: []string{"azure-cni-pod-subnet pool user: 67 of 77 nodes free now (87% < 90%)"}}, *doc.Gate)
	// Nothing below: an empty list, not null.
	out.Reset()
	require.NoError(t, run(context.Background(), []string{"-mode", "azure-cni-overlay", "-trials", "5", "-fail-below", "10%", "-o", "json"}, &out, io.Discard))
	assert.Contains(t, out.String(), `"below": []`)
}
