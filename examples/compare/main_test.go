package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/examples/internal/goldenfile"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func golden(t *testing.T, name string, args ...string) string {
	t.Helper()
	return goldenfile.Run(t, name, func(stdout, stderr io.Writer) error { return run(args, stdout, stderr) })
}

func TestDefault(t *testing.T) {
	out := golden(t, "default.txt")
	// 500 nodes: kubenet's route table holds 400.
	assert.Contains(t, out, "550 routes with surge exceed the route table's 400")
}

func TestLarge(t *testing.T) {
	out := golden(t, "large.txt", "-nodes", "3000", "-pods", "60", "-windows", "-policy", "calico")
	assert.Contains(t, out, "azure-cni-overlay       yes")
}

func TestSmallVNet(t *testing.T) {
	// 10.0.0.0/20 overlaps AKS's default service CIDR: compare moves it.
	golden(t, "small.txt", "-nodes", "40", "-pods", "110", "-vnet", "10.0.0.0/20", "-dual-stack")
}

func TestClusterFile(t *testing.T) {
	const fixtures = "../../capacity/aksjson/testdata/"
	out := golden(t, "legacy-cni.txt", "-cluster", fixtures+"legacy-cni.json", "-network", fixtures+"legacy-cni-subnet.json")
	// 3 + 8 nodes at 30 pods with a Windows pool and Azure NPM, in the subnet's /23.
	assert.Contains(t, out, "workload: 11 nodes × 30 pods in VNet 10.20.0.0/23, Windows, network policy azure")
}

func TestBadInput(t *testing.T) {
	const fixtures = "../../capacity/aksjson/testdata/"
	dir := t.TempDir()
	// A cluster whose only address space is a /32 subnet (this was a
	// negative-shift panic), and one whose maxPods AKS would refuse.
	subnet, err := os.ReadFile(fixtures + "legacy-cni-subnet.json")
	require.NoError(t, err)
	tiny := filepath.Join(dir, "tiny.json")
	require.NoError(t, os.WriteFile(tiny, []byte(strings.Replace(string(subnet), "10.20.0.0/23", "10.20.0.0/32", 1)), 0o644))
	cluster, err := os.ReadFile(fixtures + "legacy-cni.json")
	require.NoError(t, err)
	pods := filepath.Join(dir, "pods.json")
	require.NoError(t, os.WriteFile(pods, []byte(strings.Replace(string(cluster), `"maxPods": 30`, `"maxPods": 300`, 1)), 0o644))

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-vnet", "nope"}, `-vnet "nope": want an IPv4 prefix`},
		{[]string{"-vnet", "fd00::/64"}, `-vnet "fd00::/64"`},
		{[]string{"-vnet", "10.0.0.0/30"}, `-vnet "10.0.0.0/30"`},
		{[]string{"-nodes", "0"}, "-nodes 0: want 1 to 5000"},
		{[]string{"-pods", "300"}, "-pods 300: want 1 to 250"},
		{[]string{"-policy", "antrea"}, `-policy "antrea"`},
		{[]string{"x"}, `unexpected argument "x"`},
		{[]string{"-cluster", "nope.json"}, "nope.json: cannot open"},
		{[]string{"-network", fixtures + "legacy-cni-subnet.json"}, "give -cluster too"},
		{[]string{"-cluster", fixtures + "legacy-cni.json", "-network", tiny}, "legacy-cni.json: its address space 10.20.0.0/32 is smaller than a /28"},
		{[]string{"-cluster", pods, "-network", fixtures + "legacy-cni-subnet.json"}, pods + ": its largest maxPods is 300: want 1 to 250"},
	} {
		err := run(tt.args, io.Discard, io.Discard)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want, "%v", tt.args)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", tt.args, err)
	}
}

func TestHelp(t *testing.T) {
	for _, h := range []string{"-h", "-help"} {
		var errOut strings.Builder
		err := run([]string{h}, io.Discard, &errOut)
		assert.Equal(t, input.ExitOK, input.ExitCode(err))
		help := errOut.String()
		assert.True(t, strings.HasPrefix(help, "compare: "+description+"\n"), help)
		for _, want := range []string{"-nodes", "-o format", "-json", "-fail-below", "-mode", "\nExamples:\n  compare -nodes 1200", "\n  compare -cluster aks.json"} {
			assert.Contains(t, help, want)
		}
	}
}

// One node of one pod is a workload no mode fits (a pool holds at least
// 30 pods): the table is printed and the status is 1.
func TestOneNode(t *testing.T) {
	var out strings.Builder
	err := run([]string{"-nodes", "1", "-pods", "1"}, &out, io.Discard)
	assert.Contains(t, out.String(), "workload: 1 node × 1 pod in VNet")
	require.Error(t, err)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.Contains(t, err.Error(), "no mode compared fits the workload")
}

func TestOutputs(t *testing.T) {
	args := []string{"-nodes", "40", "-pods", "110", "-vnet", "10.0.0.0/20", "-dual-stack"}
	yml := golden(t, "small.yaml", append(args, "-o", "yaml")...)
	// The YAML is the JSON document: the library's Recommendation under
	// its JSON names.
	assert.Contains(t, yml, "- fits: true\n  mode: azure-cni-overlay\n  recommendation:\n    notes: null\n    spaces:\n    - bits: 26\n")
	js := golden(t, "small.json", append(args, "-json")...)
	var doc Document
	require.NoError(t, json.Unmarshal([]byte(js), &doc))
	require.Len(t, doc.Results, 10)
	assert.Equal(t, modes.AzureCNIOverlay, doc.Results[4].Mode)
	assert.True(t, doc.Results[4].Fits)
	assert.Equal(t, []string{"no dual-stack"}, doc.Results[0].Why)
	same := golden(t, "small.json", append(args, "-o", "json")...)
	assert.Equal(t, js, same, "-json is -o json")

	md := golden(t, "small.md", append(args, "-o", "markdown")...)
	assert.Contains(t, md, "| `azure-cni-overlay` | ✅ yes | 40 | /26 | – | /18 | – |\n")
	assert.Contains(t, md, "|---|---|---:|---|---|---|---|\n")
}

// -mode narrows the comparison and -fail-below raises the bar: a CI gate
// on one mode.
func TestGate(t *testing.T) {
	// 1,200 nodes at 50 pods in Overlay: a /21 node subnet of the /16, 3% of it.
	var out strings.Builder
	require.NoError(t, run([]string{"-nodes", "1200", "-pods", "50", "-mode", "azure-cni-overlay", "-fail-below", "90%"}, &out, io.Discard))
	assert.Contains(t, out.String(), "azure-cni-overlay  yes")
	assert.NotContains(t, out.String(), "kubenet")

	out.Reset()
	err := run([]string{"-nodes", "1200", "-pods", "50", "-mode", "azure-cni-overlay", "-fail-below", "99%"}, &out, io.Discard)
	require.Error(t, err)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.Contains(t, out.String(), "its subnets leave 96.9% of the VNet free, below -fail-below 99%")

	// Legacy Azure CNI needs 1,200 × 51 addresses: no /16 holds them.
	out.Reset()
	err = run([]string{"-nodes", "1200", "-pods", "50", "-mode", "azure-cni,azure-cni-pod-subnet"}, &out, io.Discard)
	require.Error(t, err)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.Contains(t, out.String(), "azure-cni-pod-subnet")

	for _, bad := range [][]string{{"-mode", "flannel"}, {"-fail-below", "150%"}, {"-fail-below", "x"}, {"-o", "xml"}} {
		err := run(bad, io.Discard, io.Discard)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", bad, err)
	}
}
