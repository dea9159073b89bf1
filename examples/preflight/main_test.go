package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/goldenfile"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/examples/internal/output"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	fixtures = "../../capacity/aksjson/testdata/"
	plans    = "../../capacity/tfplan/testdata/"
)

// golden runs preflight and checks its output; a run whose checks are
// refused or fail still passes here, and reports whether it was all ok.
func golden(t *testing.T, name string, args ...string) (string, bool) {
	t.Helper()
	ok := true
	out := goldenfile.Run(t, name, func(stdout, stderr io.Writer) error {
		err := run(args, stdout, stderr)
		var n *notOK
		if errors.As(err, &n) {
			ok = false
			return nil
		}
		return err
	})
	return out, ok
}

// Without -op, preflight checks what the cluster must survive: its create
// and an upgrade of each pool and of every pool; the default in Overlay
// survives them all.
func TestDefault(t *testing.T) {
	out, ok := golden(t, "default.txt")
	assert.True(t, ok)
	assertRow(t, out, "create", "ok")
	assertRow(t, out, "upgrade every pool", "ok")
	assert.NotContains(t, out, "autoscale")
	// A max count of 600 beside 3 + 10 nodes: 613 × 256 in the default /16.
	out, ok = golden(t, "autoscale-600.txt", "-op", "autoscale", "-pool", "user", "-nodes", "600")
	assert.False(t, ok)
	assertRow(t, out, "autoscale user to max 600", "refused by AKS: InsufficientSubnetSize: Pre-allocated IPs 156928 exceeds IPs available 65536")
}

func TestLegacyCNI(t *testing.T) {
	out, _ := golden(t, "azure-cni.txt", "-mode", "azure-cni")
	// 3 + 60 + 10 nodes at 29 addresses against a /22's 1,019.
	assertRow(t, out, "create", "refused by AKS: InsufficientSubnetSize: Pre-allocated IPs 2117 exceeds IPs available 1019 in Subnet Cidr 10.240.0.0/22, Subnet Name aks-nodes")
}

func TestAcceptedThenFails(t *testing.T) {
	out, ok := golden(t, "static-block.txt", "-mode", "azure-cni-static-block", "-op", "scale", "-pool", "system", "-nodes", "30")
	assert.False(t, ok)
	// AKS counts one /28 a node, but a node at 110 pods takes 7. The /20 pod
	// subnet has 256 /28s, 254 usable; 3 + 10 nodes at 7 and 2 Windows
	// nodes at 2 hold 95, so 22 more system nodes take 154 and the 23rd
	// finds 5 blocks.
	assertRow(t, out, "scale system to 30", "accepted by AKS, then fails: pool system, growing from 25 nodes: "+
		"SubnetIsFull: Subnet aks-pods with address prefix 10.240.16.0/20 does not have enough capacity for 112 IP addresses")
}

func TestClusterFile(t *testing.T) {
	golden(t, "static.txt", "-cluster", fixtures+"podsubnet-static.json", "-network", fixtures+"podsubnet-static-vnet.json")
	out, ok := golden(t, "legacy-scale.txt", "-cluster", fixtures+"legacy-cni.json", "-network", fixtures+"legacy-cni-subnet.json",
		"-op", "scale", "-pool", "system", "-nodes", "13")
	assert.False(t, ok)
	// 13 system nodes and the Windows pool's max of 8, at 29 a node, in a /23.
	assert.Contains(t, out, "Pre-allocated IPs 609 exceeds IPs available 507 in Subnet Cidr 10.20.0.0/23, Subnet Name aks")
}

func TestBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-op", "explode"}, `-op "explode": want create, scale, autoscale, upgrade, add-pool, migrate or expand-pod-cidr`},
		{[]string{"-op", "scale", "-pool", "user"}, "-op scale needs -nodes"},
		// Azure CNI has no pod CIDR to keep: missing input, as in compare.
		{[]string{"-mode", "azure-cni", "-op", "migrate"}, "-pod-cidr is missing: a migration from azure-cni (default: "},
		{[]string{"-op", "scale", "-pool", "user", "-nodes", "-5"}, `invalid value "-5" for flag -nodes: want a whole number, 0 or more`},
		{[]string{"-op", "scale", "-nodes", "3"}, "-op scale needs -pool"},
		{[]string{"-op", "autoscale", "-pool", "user"}, "-op autoscale needs -nodes"},
		{[]string{"-op", "expand-pod-cidr", "-pod-cidr", "fd00::/48"}, "-pod-cidr fd00::/48: want an IPv4 network prefix such as 10.244.0.0/16"},
		{[]string{"-op", "migrate", "-to", "azure-cni"}, `-to "azure-cni": want azure-cni-overlay (or overlay), the mode AKS migrates kubenet and Azure CNI clusters to`},
		{[]string{"-op", "expand-pod-cidr"}, "-op expand-pod-cidr needs -pod-cidr"},
		{[]string{"-op", "expand-pod-cidr", "-pod-cidr", "10.244.0.0"}, `-pod-cidr "10.244.0.0": want a prefix`},
		{[]string{"-op", "create", "-to", "azure-cni-overlay"}, "-to goes with -op migrate"},
		{[]string{"-op", "create", "-pod-cidr", "10.0.0.0/8"}, "-pod-cidr goes with -op migrate or expand-pod-cidr"},
		{[]string{"-op", "upgrade", "-pool", "nope"}, `-pool "nope": the cluster has no such pool`},
		{[]string{"-pool", "user"}, "-pool and -nodes go with -op"},
		{[]string{"-mode", "x"}, `-mode "x": want kubenet, azure-cni, azure-cni-pod-subnet, azure-cni-static-block, azure-cni-overlay, cilium-overlay, cilium-pod-subnet, cilium-node-subnet, byocni-calico or byocni-cilium`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-cluster", "nope.json"}, "nope.json: cannot open"},
		{[]string{"-tfplan", "nope.json"}, "nope.json"},
		{[]string{"-tfplan", fixtures + "legacy-cni.json"}, "legacy-cni.json: tfplan:"},
		{[]string{"-tfplan", plans + "example-plan-azurerm-v4.81.0.json", "-cluster", fixtures + "legacy-cni.json"}, "give one of them"},
		{[]string{"-network", fixtures + "legacy-cni-subnet.json"}, "give -cluster too"},
		{[]string{"-cluster", fixtures + "legacy-cni.json"}, "legacy-cni.json: agentPoolProfiles[0].vnetSubnetId"},
	} {
		err := run(tt.args, io.Discard, io.Discard)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want, "%v", tt.args)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", tt.args, err)
	}
}

// Without -pool an upgrade is az aks upgrade: every pool, their surges
// summed at admission. 3 + 60 + 10 nodes with 1 + 20 + 1 surge nodes.
func TestUpgradeEveryPool(t *testing.T) {
	out, ok := golden(t, "upgrade-all.txt", "-op", "upgrade")
	assert.True(t, ok)
	assertRow(t, out, "upgrade every pool", "ok")
}

// A Terraform plan's clusters, checked before terraform apply: the v4
// example plans 3 system nodes (surge 33%) and a user pool of 2–10 (surge
// 10%) at 30 and 50 pods in a /22: at most 3 × 29 + 10 × 49 = 577 of 1,019.
func TestTerraformPlan(t *testing.T) {
	out, ok := golden(t, "tfplan.txt", "-tfplan", plans+"example-plan-azurerm-v4.81.0.json")
	assert.True(t, ok)
	assert.Contains(t, out, "azurerm_kubernetes_cluster.aks (azure-cni)")
	assertRow(t, out, "upgrade every pool", "ok")
	// The same plan with 25 system nodes: 25 × 29 + 490 = 1,215.
	out, ok = golden(t, "tfplan-scale.txt", "-tfplan", plans+"example-plan-azurerm-v4.81.0.json", "-op", "scale", "-pool", "system", "-nodes", "25")
	assert.False(t, ok)
	assert.Contains(t, out, "Pre-allocated IPs 1215 exceeds IPs available 1019")
}

// Migrating the default cluster from legacy Azure CNI to Overlay: 73 nodes
// at the autoscalers' max and 6 buffer nodes (surges of the pools' 3, 10
// and 2 nodes now: 1, 4 of 33%, 1 of 10%) need 79 /24s of the new /16.
func TestMigrate(t *testing.T) {
	out, ok := golden(t, "migrate.txt", "-mode", "azure-cni", "-op", "migrate", "-to", "azure-cni-overlay", "-pod-cidr", "10.250.0.0/16")
	assert.True(t, ok)
	assertRow(t, out, "migrate to azure-cni-overlay on 10.250.0.0/16", "ok")
	// Onto a /20: 79 × 256 = 20,224 of 4,096.
	out, ok = golden(t, "migrate-small.txt", "-mode", "azure-cni", "-op", "migrate", "-to", "azure-cni-overlay", "-pod-cidr", "10.250.0.0/20")
	assert.False(t, ok)
	assert.Contains(t, out, "Pre-allocated IPs 20224 exceeds IPs available 4096 in Subnet Cidr 10.250.0.0/20, Subnet Name networkProfile.podCIDR")
	// -to defaults to Overlay, the one mode AKS migrates to.
	var b strings.Builder
	require.NoError(t, run([]string{"-mode", "azure-cni", "-op", "migrate", "-pod-cidr", "10.250.0.0/16"}, &b, io.Discard))
	assertRow(t, b.String(), "migrate to azure-cni-overlay on 10.250.0.0/16", "ok")
}

func TestHelp(t *testing.T) {
	var errOut strings.Builder
	err := run([]string{"-h"}, io.Discard, &errOut)
	assert.Equal(t, input.ExitOK, input.ExitCode(err))
	help := errOut.String()
	assert.True(t, strings.HasPrefix(help, "preflight: "+description+"\n"), help)
	for _, want := range []string{"-cluster", "-tfplan", "-o format", "-json", "\nExamples:\n  preflight -cluster aks.json", "\n  terraform show -json plan.out"} {
		assert.Contains(t, help, want)
	}
}

// -o json, yaml and markdown say what the text says; the status is the
// same whatever the format.
func TestOutputs(t *testing.T) {
	args := []string{"-tfplan", plans + "example-plan-azurerm-v4.81.0.json", "-op", "scale", "-pool", "system", "-nodes", "25"}
	js, ok := golden(t, "tfplan-scale.json", append(args, "-o", "json")...)
	assert.False(t, ok)
	var es []Entry
	require.NoError(t, json.Unmarshal([]byte(js), &es))
	require.Len(t, es, 1)
	e := es[0]
	assert.Equal(t, capacity.Step{Op: capacity.OpScale, Pool: "system", Nodes: 25}, e.Step)
	require.NotNil(t, e.Verdict)
	require.NotNil(t, e.Verdict.Refusal)
	assert.Equal(t, "InsufficientSubnetSize", e.Verdict.Refusal.Code)
	assert.Equal(t, 1215, e.Verdict.Refusal.Required)
	assert.Equal(t, modes.AzureCNI, e.Mode)
	alias, _ := golden(t, "tfplan-scale.json", append(args, "-json")...)
	assert.Equal(t, js, alias, "-json is -o json")

	yml, ok := golden(t, "tfplan-scale.yaml", append(args, "-o", "yaml")...)
	assert.False(t, ok)
	assert.Contains(t, yml, "    refusal:\n      available: 1019\n      cidr: 10.10.0.0/22\n      code: InsufficientSubnetSize\n")

	md, ok := golden(t, "tfplan.md", "-tfplan", plans+"example-plan-azurerm-v4.81.0.json", "-o", "markdown")
	assert.True(t, ok)
	assert.Contains(t, md, "## "+plans+"example-plan-azurerm-v4.81.0.json: azurerm_kubernetes_cluster.aks (azure-cni)\n\n| check |  | verdict |\n|---|---|---|\n| create | ✅ | ok |\n")
	md, ok = golden(t, "static-block.md", "-mode", "azure-cni-static-block", "-op", "scale", "-pool", "system", "-nodes", "30", "-o", "md")
	assert.False(t, ok)
	assert.Contains(t, md, "| scale system to 30 | ❌ | accepted by AKS, then fails: ")

	// An empty document is an empty list, not null.
	var out strings.Builder
	require.NoError(t, output.Encode(&out, output.JSON, entries(nil)))
	assert.Equal(t, "[]\n", out.String())
}

func TestBadFormat(t *testing.T) {
	err := run([]string{"-o", "html"}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, `invalid value "html" for flag -o: want text, json, yaml or markdown`)
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
}

// edited writes the file at path with old replaced by repl (every
// occurrence, at least one) to dir, under the same base name.
func edited(t *testing.T, dir, path, old, repl string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old)
	out := filepath.Join(dir, filepath.Base(path))
	require.NoError(t, os.WriteFile(out, []byte(strings.ReplaceAll(string(b), old, repl)), 0o644))
	return out
}

// A cluster that reads fine but is invalid is told in the input's words:
// the file, the field as written with its indexes, the value and what was
// expected; a field left to its default keeps capacity's path.
func TestInvalidClusterInTheInputsWords(t *testing.T) {
	dir := t.TempDir()
	cluster := edited(t, dir, fixtures+"kubenet.json", "\"maxCount\": 40,\n      \"maxPods\": 110", "\"maxCount\": 40,\n      \"maxPods\": 300")
	plan := edited(t, dir, plans+"example-plan-azurerm-v4.81.0.json", `"max_pods": 30`, `"max_pods": 300`)
	noPodCIDR := filepath.Join(dir, "default-pod-cidr.json")
	b, err := os.ReadFile(fixtures + "kubenet.json")
	require.NoError(t, err)
	text := strings.Replace(strings.Replace(string(b), `"podCidr": "10.244.0.0/16",`, "", 1), `"podCidrs": ["10.244.0.0/16"],`, "", 1)
	require.NoError(t, os.WriteFile(noPodCIDR, []byte(text), 0o644))
	wideVNet := edited(t, dir, fixtures+"kubenet-vnet.json", `"addressPrefixes": ["10.240.0.0/16"]`, `"addressPrefixes": ["10.240.0.0/16", "10.244.0.0/16"]`)

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-cluster", cluster, "-network", fixtures + "kubenet-vnet.json"},
			cluster + ": invalid cluster (1 problem); " + cluster + ": agentPoolProfiles[1].maxPods: 300 is outside 10–250"},
		{[]string{"-tfplan", plan},
			plan + ": azurerm_kubernetes_cluster.aks: invalid cluster (1 problem); " + plan + ": azurerm_kubernetes_cluster.aks: default_node_pool[0].max_pods: 300 is outside 10–250"},
		// kubenet's default pod CIDR, 10.244.0.0/16, is in this VNet.
		{[]string{"-cluster", noPodCIDR, "-network", wideVNet},
			"invalid cluster (1 problem); PodCIDRs[0]: NetworkProfileCIDROverlapVNET: NetworkProfile CIDR 10.244.0.0/16 overlaps with reserved VNET CIDR 10.244.0.0/16"},
	} {
		var out bytes.Buffer
		err := run(tt.args, &out, io.Discard)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want, "%v", tt.args)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", tt.args, err)
		var ve *capacity.ValidationError
		assert.ErrorAs(t, err, &ve, "the library's error stays underneath")
		assert.Contains(t, out.String(), "invalid input, no check ran: invalid cluster", "the report says it too")
	}
}

// assertRow asserts that the text report out has the row of check with
// verdict, the column between them as wide as the longest check makes it.
func assertRow(t *testing.T, out, check, verdict string) {
	t.Helper()
	assert.Regexp(t, `(?m)^`+regexp.QuoteMeta(check)+` +`+regexp.QuoteMeta(verdict), out)
}

// The default cluster in a mode without Windows leaves its Windows pool
// out, and the report says so; the upgrade rows give both bases: the count
// the upgrade starts from and the max count admission counts.
func TestDefaultLeavesOutWindows(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"-mode", "kubenet", "-op", "upgrade", "-pool", "user"}, &out, io.Discard))
	assert.Contains(t, out.String(), "; left out: win (kubenet runs no Windows node pools)")
	assertRow(t, out.String(), "upgrade user (10 nodes, max 60, surge 33%)", "ok")
}

// A -mode that cannot run the file's cluster is an answer, exit 1, as in
// forecast; the file's own mode failing to run it is bad input, exit 2.
func TestOtherModeCannotRun(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"-cluster", fixtures + "dualstack.json", "-network", fixtures + "dualstack-vnet.json", "-mode", "kubenet", "-op", "create"}, &out, io.Discard)
	assert.EqualError(t, err, "1 of 1 checks not run: the mode cannot run the cluster")
	assert.Equal(t, 1, input.ExitCode(err))
	assert.Contains(t, out.String(), "kubenet cannot run this cluster, no check ran: invalid cluster (1 problem); "+fixtures+"dualstack.json: networkProfile.ipFamilies: kubenet does not run dual-stack")

	// -mode replaces the mode; the other fields keep their sources.
	out.Reset()
	err = run([]string{"-cluster", fixtures + "legacy-cni.json", "-network", fixtures + "legacy-cni-subnet.json", "-mode", "kubenet"}, &out, io.Discard)
	assert.Equal(t, 1, input.ExitCode(err))
	assert.Contains(t, out.String(), "cluster: "+fixtures+"legacy-cni.json; left out: win (kubenet runs no Windows node pools) (kubenet)")
	assert.Contains(t, out.String(), fixtures+"legacy-cni.json: networkProfile.networkPolicy: ")
	assert.Contains(t, out.String(), "kubenet does not support network policy azure")

	// A kubenet cluster planned on Azure CNI leaves its pod CIDR behind.
	out.Reset()
	err = run([]string{"-cluster", fixtures + "kubenet.json", "-network", fixtures + "kubenet-vnet.json", "-mode", "azure-cni", "-op", "create"}, &out, io.Discard)
	assert.NotContains(t, out.String(), "no check ran")
	assert.NotEqual(t, input.ExitUsage, input.ExitCode(err))
}

// A new pod CIDR that leaves the cluster invalid is bad usage, told by the
// flag, as in compare: the default VNet is 10.240.0.0/16.
func TestPodCIDRFlagOverlapsVNet(t *testing.T) {
	err := run([]string{"-mode", "kubenet", "-op", "migrate", "-pod-cidr", "10.240.0.0/16"}, io.Discard, io.Discard)
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	assert.ErrorContains(t, err, "invalid cluster (1 problem); -pod-cidr: NetworkProfileCIDROverlapVNET: NetworkProfile CIDR 10.240.0.0/16 overlaps with reserved VNET CIDR 10.240.0.0/16")
}

// A file invalid in its own mode is bad input, exit 2, whatever -mode
// asks: no mode could run maxPods 300.
func TestInvalidFileUnderOtherMode(t *testing.T) {
	cluster := edited(t, t.TempDir(), fixtures+"kubenet.json", "\"maxCount\": 40,\n      \"maxPods\": 110", "\"maxCount\": 40,\n      \"maxPods\": 300")
	err := run([]string{"-cluster", cluster, "-network", fixtures + "kubenet-vnet.json", "-mode", "azure-cni-overlay"}, io.Discard, io.Discard)
	assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v", err)
	assert.ErrorContains(t, err, cluster+": agentPoolProfiles[1].maxPods: 300 is outside 10–250")
}

// -op takes the operations preflight checks only, listed as every list of
// choices; which flags go together is told before the files are read.
func TestOpsAndFlagPairs(t *testing.T) {
	err := run([]string{"-op", "grow", "-pool", "user"}, io.Discard, io.Discard)
	assert.EqualError(t, err, `-op "grow": want create, scale, autoscale, upgrade, add-pool, migrate or expand-pod-cidr`)
	err = run([]string{"-op", "upgrade", "-pool", "nope", "-to", "x"}, io.Discard, io.Discard)
	assert.EqualError(t, err, "-to goes with -op migrate")
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
}
