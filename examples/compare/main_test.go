package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity"
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
	out := golden(t, "legacy-cni.txt", "-cluster", fixtures+"legacy-cni.json", "-network", "testdata/legacy-cni-vnet.json")
	// 3 + 8 nodes at 30 pods with a Windows pool and Azure NPM, in the
	// VNet's /16, which holds the subnet aks's /23.
	assert.Contains(t, out, "workload: 11 nodes × 30 pods in VNet 10.20.0.0/16, Windows, network policy azure")
	// A pod-subnet mode's /27 + /23 = 32 + 512 = 544 addresses fit the
	// VNet's 65,536, not the subnet's 512.
	assert.Regexp(t, `(?m)^azure-cni-pod-subnet +yes +403 +/27 +/23 `, out)
}

// A subnet's document alone does not give the VNet's address space:
// compare does not size the modes in the subnet as if it were the VNet.
func TestClusterSubnetIsNotTheVNet(t *testing.T) {
	const fixtures = "../../capacity/aksjson/testdata/"
	var out strings.Builder
	err := run([]string{"-cluster", fixtures + "legacy-cni.json", "-network", fixtures + "legacy-cni-subnet.json"}, &out, io.Discard)
	require.Error(t, err)
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	assert.Equal(t, "-network "+fixtures+"legacy-cni-subnet.json: gives subnet aks (10.20.0.0/23), not the VNet's address space, which compare sizes each mode's subnets in: give -network the VNet's document (az network vnet show -o json)", err.Error())
	assert.Empty(t, out.String(), "no table")
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
		{[]string{"-nodes", "0"}, `invalid value "0" for flag -nodes: want a whole number from 1 to 5,000`},
		{[]string{"-nodes", "1.5"}, `invalid value "1.5" for flag -nodes: want a whole number from 1 to 5,000`},
		{[]string{"-pods", "300"}, `invalid value "300" for flag -pods: want a whole number from 10 to 250`},
		// AKS's smallest maxPods is 10: 9 is refused, not costed as 10.
		{[]string{"-pods", "9"}, `invalid value "9" for flag -pods: want a whole number from 10 to 250`},
		{[]string{"-vnet", "10.240.0.1/16"}, "-vnet 10.240.0.1/16: want a network prefix: 10.240.0.0/16"},
		{[]string{"-mode", "kubenet,kubenet"}, "-mode kubenet,kubenet: names kubenet twice; name each mode once"},
		{[]string{"-mode", "kubenet, azure-cni,kubenet"}, "-mode kubenet, azure-cni,kubenet: names kubenet twice"},
		{[]string{"-policy", "antrea"}, `-policy "antrea"`},
		{[]string{"x"}, `unexpected argument "x"`},
		{[]string{"-cluster", "nope.json"}, "nope.json: cannot open"},
		{[]string{"-network", fixtures + "legacy-cni-subnet.json"}, "give -cluster too"},
		// The cluster's own figures are told where the files hold them.
		{[]string{"-cluster", fixtures + "legacy-cni.json", "-network", tiny}, tiny + ": addressPrefix: 10.20.0.0/32 is smaller than /29, the smallest subnet Azure accepts"},
		{[]string{"-cluster", pods, "-network", "testdata/legacy-cni-vnet.json"}, pods + ": agentPoolProfiles[0].maxPods: 300 is outside 10–250"},
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
		for _, want := range []string{"-nodes number", "-pods number", "-vnet CIDR", "-policy engine", "-network file", "-fail-below share", "-mode modes", "-cluster file", "-o format", "-json", "-fail-below", "-mode", "\nExamples:\n  compare -nodes 1200", "\n  compare -cluster aks.json", "-migrate-to mode", "-pod-cidr", "\n  compare -cluster aks.json -network vnet.json -migrate-to overlay"} {
			assert.Contains(t, help, want)
		}
	}
}

// One node of 10 pods is a workload no mode fits (a pool holds at least
// 30 pods): the table is printed and the status is 1.
func TestOneNode(t *testing.T) {
	var out strings.Builder
	err := run([]string{"-nodes", "1", "-pods", "10"}, &out, io.Discard)
	assert.Contains(t, out.String(), "workload: 1 node × 10 pods in VNet")
	// One pool, ceil(10% of 1) = 1 surge node: 1 + 1 = 2.
	assert.Contains(t, out.String(), "pools: 1 pool of 1 node, upgrading with 1 surge node (10%): 2 nodes with surge\n")
	require.Error(t, err)
	assert.Equal(t, input.ExitError, input.ExitCode(err))
	assert.Contains(t, err.Error(), "no mode compared fits the workload")
}

func TestOutputs(t *testing.T) {
	args := []string{"-nodes", "40", "-pods", "110", "-vnet", "10.0.0.0/20", "-dual-stack"}
	yml := golden(t, "small.yaml", append(args, "-o", "yaml")...)
	// The YAML is the JSON document: the library's Recommendation under
	// its JSON names.
	assert.Contains(t, yml, "- fits: true\n  mode: azure-cni-overlay\n  recommendation:\n    notes: []\n    spaces:\n    - bits: 26\n")
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
	// 40 nodes + 4 surge (10%), one VNet address each.
	assert.Contains(t, md, "| `azure-cni-overlay` | ✅ yes | 44 | /26 | – | /18 | – |\n")
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

// runCode runs compare and returns its stdout and exit status.
func runCode(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errOut strings.Builder
	err := run(args, &out, &errOut)
	return out.String(), input.ExitCode(err)
}

// -migrate-to: AKS's verdict on a migration to Overlay, and the capacity
// before and after.
func TestMigrate(t *testing.T) {
	// 300 kubenet nodes (one pool, 10% surge) onto a /16 pod CIDR: AKS
	// counts every node and its 30 buffer nodes at a /24 each, 330 × 256 =
	// 84,480 of the /16's 65,536. After it a /16 holds 256 /24s: 256 nodes,
	// 232 with the surge (232 + 24).
	args := []string{"-mode", "kubenet", "-nodes", "300", "-migrate-to", "overlay", "-pod-cidr", "10.244.0.0/16"}
	out, code := runCode(t, args...)
	assert.Equal(t, input.ExitError, code)
	goldenfile.Check(t, "migrate-kubenet.txt", []byte(out))
	assert.Contains(t, out, "migrate kubenet to azure-cni-overlay on pod CIDR 10.244.0.0/16: refused by AKS: InsufficientSubnetSize: Pre-allocated IPs 84480 exceeds IPs available 65536 in Subnet Cidr 10.244.0.0/16, Subnet Name networkProfile.podCIDR\n")
	assert.Contains(t, out, "after it, pool pool1 fits up to 256 nodes, 44 fewer than the 300 AKS plans for (pod-cidr)\n")
	// Before: kubenet's route table, 400 routes; 363 + 37 surge (10%, rounded up) = 400.
	assert.Regexp(t, `(?m)^pool1 +300 +300 +400 +363 +route-table +256 +232 +pod-cidr$`, out)

	js, code := runCode(t, append(args, "-o", "json")...)
	assert.Equal(t, input.ExitError, code)
	var doc MigrationDocument
	require.NoError(t, json.Unmarshal([]byte(js), &doc))
	assert.False(t, doc.Fits)
	require.NotNil(t, doc.Verdict.Refusal)
	assert.Equal(t, [2]int{84480, 65536}, [2]int{doc.Verdict.Refusal.Required, doc.Verdict.Refusal.Available})
	assert.Equal(t, 256, doc.After.Pools[0].MaxNodes)
	assert.Equal(t, 400, doc.Before.Pools[0].MaxNodes)
	assert.Equal(t, modes.Kubenet, doc.From)
	md, code := runCode(t, append(args, "-o", "markdown")...)
	assert.Equal(t, input.ExitError, code)
	goldenfile.Check(t, "migrate-kubenet.md", []byte(md))
	assert.Contains(t, md, "| pool1 | 300 | 300 | 400 | 363 | route-table | 256 | 232 | pod-cidr |\n")

	// Keeping its own pod CIDR (the workload's /10) it fits: exit 0, and
	// the pool limit of 1,000 binds after.
	out, code = runCode(t, "-mode", "kubenet", "-nodes", "300", "-migrate-to", "azure-cni-overlay")
	assert.Equal(t, input.ExitOK, code, out)
	assert.Contains(t, out, "migrate kubenet to azure-cni-overlay keeping pod CIDR 100.64.0.0/10: ok\n")
	assert.Regexp(t, `(?m)^pool1 +300 +300 +400 +363 +route-table +1,000 +909 +pool-nodes$`, out)
}

// Eight Azure CNI nodes at 30 pods hold 8 × 31 = 248 of a /24's 251, and
// 3 are held by load balancers and a private endpoint: AKS admits Overlay
// (8 + 1 buffer node addresses), then the buffer node finds no address
// while the old nodes still hold theirs.
func TestMigrateFails(t *testing.T) {
	cluster := []string{"-cluster", "testdata/cni8.json", "-network", "testdata/cni8-subnet.json"}
	out, code := runCode(t, append(cluster, "-migrate-to", "overlay", "-pod-cidr", "10.244.0.0/16")...)
	assert.Equal(t, input.ExitError, code)
	goldenfile.Check(t, "migrate-cni8.txt", []byte(out))
	assert.Contains(t, out, "accepted by AKS, then fails: pool nodes, growing from 8 nodes: SubnetIsFull: Subnet aks with address prefix 10.20.0.0/24 does not have enough capacity for 1 IP addresses\n")
	// After it a node takes one address: 251 − 3 = 248 nodes.
	assert.Regexp(t, `(?m)^nodes +8 +8 +8 +7 +node-subnet +248 +247 +node-subnet$`, out)

	// The kubenet fixture runs Calico; AKS migrates kubenet and Azure CNI
	// only.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-cluster", fixturesDir + "kubenet.json", "-network", fixturesDir + "kubenet-vnet.json", "-migrate-to", "overlay"}, "refused by AKS: migrate: network policy calico: uninstall it"},
		{[]string{"-mode", "azure-cni-pod-subnet", "-nodes", "10", "-migrate-to", "overlay"}, "refused by AKS: migrate: AKS migrates kubenet and azure-cni clusters to azure-cni-overlay, forward only; not azure-cni-pod-subnet to azure-cni-overlay"},
		{[]string{"-mode", "kubenet", "-nodes", "10", "-policy", "calico", "-migrate-to", "overlay"}, "network policy calico: uninstall it"},
		// A refusal still says which pod CIDR was asked for.
		{[]string{"-cluster", fixturesDir + "legacy-cni.json", "-network", fixturesDir + "legacy-cni-subnet.json", "-migrate-to", "overlay", "-pod-cidr", "10.250.0.0/16"},
			"migrate azure-cni to azure-cni-overlay on pod CIDR 10.250.0.0/16: refused by AKS: migrate: Cannot update cluster to Azure CNI Overlay while using network policies with Azure CNI v1."},
	} {
		out, code := runCode(t, tt.args...)
		assert.Equal(t, input.ExitError, code, "%v", tt.args)
		assert.Contains(t, out, tt.want, "%v", tt.args)
	}
}

func TestMigrateBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-migrate-to", "flannel"}, `-migrate-to "flannel": want azure-cni-overlay (or overlay)`},
		{[]string{"-migrate-to", "overlay", "-pod-cidr", "nope"}, `-pod-cidr "nope": want an IPv4 network prefix`},
		{[]string{"-migrate-to", "overlay", "-pod-cidr", "fd00::/64"}, `-pod-cidr "fd00::/64"`},
		{[]string{"-migrate-to", "overlay", "-pod-cidr", "10.244.1.0/16"}, `-pod-cidr "10.244.1.0/16"`},
		{[]string{"-pod-cidr", "10.244.0.0/16"}, "-pod-cidr goes with -migrate-to"},
		{[]string{"-migrate-to", "overlay", "-mode", "kubenet,azure-cni"}, "give the one mode the cluster migrates from"},
		// A mode does not migrate to itself: conflicting flags, named as
		// given, the mode by its one name.
		{[]string{"-migrate-to", "overlay", "-mode", "azure-cni-overlay"}, "-mode azure-cni-overlay with -migrate-to overlay: both name azure-cni-overlay, and a mode does not migrate to itself; give -mode the mode the cluster migrates from, kubenet or azure-cni"},
		{[]string{"-migrate-to", "overlay", "-cluster", fixturesDir + "overlay-cilium.json", "-network", fixturesDir + "overlay-cilium-vnet.json", "-mode", "azure-cni-overlay"}, "-mode azure-cni-overlay with -migrate-to overlay: both name azure-cni-overlay"},
		{[]string{"-migrate-to", "overlay", "-cluster", fixturesDir + "managed.json"}, "-migrate-to overlay: " + fixturesDir + "managed.json is azure-cni-overlay already; a mode does not migrate to itself"},
		{[]string{"-migrate-to", "overlay", "-pods", "9"}, `invalid value "9" for flag -pods: want a whole number from 10 to 250`},
		{[]string{"-migrate-to", "overlay", "-mode", "flannel"}, `-mode "flannel": want kubenet, azure-cni, `},
		// AKS migrates to Overlay only: any other mode is bad usage, told
		// before any table.
		{[]string{"-migrate-to", "azure-cni"}, `-migrate-to "azure-cni": want azure-cni-overlay (or overlay)`},
		{[]string{"-mode", "kubenet", "-nodes", "10", "-migrate-to", "cilium-overlay"}, `-migrate-to "cilium-overlay": want azure-cni-overlay (or overlay)`},
		// Azure CNI has no pod CIDR to keep, as kubenet has: missing input.
		{[]string{"-migrate-to", "overlay", "-mode", "azure-cni"}, "-pod-cidr is missing: a migration from azure-cni (the workload in azure-cni) has no pod CIDR to keep, as kubenet has: give Overlay's pod CIDR, clear of the VNet"},
		{[]string{"-cluster", "testdata/cni8.json", "-network", "testdata/cni8-subnet.json", "-migrate-to", "overlay"}, "-pod-cidr is missing: a migration from azure-cni (testdata/cni8.json)"},
		// Overlay's pod CIDR must be clear of the VNet (10.240.0.0/16).
		{[]string{"-migrate-to", "overlay", "-mode", "azure-cni", "-pod-cidr", "10.240.128.0/17"},
			"the workload in azure-cni: invalid cluster (1 problem); -pod-cidr: NetworkProfileCIDROverlapVNET: NetworkProfile CIDR 10.240.128.0/17 overlaps with reserved VNET CIDR 10.240.0.0/16"},
		{[]string{"-migrate-to", "overlay", "-fail-below", "10%"}, "-fail-below goes with the comparison of modes"},
		{[]string{"-migrate-to", "overlay", "-windows"}, "-windows goes with the comparison of modes"},
		{[]string{"-migrate-to", "overlay", "-nodes", "0"}, `invalid value "0" for flag -nodes: want a whole number from 1 to 5,000`},
		{[]string{"-migrate-to", "overlay", "-cluster", "nope.json"}, "nope.json: cannot open"},
		// The kubenet fixture has no pod subnet for a pod-subnet mode.
		{[]string{"-migrate-to", "overlay", "-cluster", fixturesDir + "kubenet.json", "-network", fixturesDir + "kubenet-vnet.json", "-mode", "azure-cni-pod-subnet"}, fixturesDir + "kubenet.json: "},
	} {
		var errOut strings.Builder
		err := run(tt.args, io.Discard, &errOut)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want, "%v", tt.args)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", tt.args, err)
	}
}

const fixturesDir = "../../capacity/aksjson/testdata/"

// A dual-stack cluster is compared as a dual-stack workload in its IPv4
// range, whichever family its VNet lists first: modes without dual-stack do
// not fit, Overlay does (53 nodes: 3 system, apps at its max of 50).
func TestDualStackCluster(t *testing.T) {
	const fixtures = "../../capacity/aksjson/testdata/"
	vnet, err := os.ReadFile(fixtures + "dualstack-vnet.json")
	require.NoError(t, err)
	swapped := strings.Replace(string(vnet), `["10.240.0.0/16", "fd00:1::/48"]`, `["fd00:1::/48", "10.240.0.0/16"]`, 1)
	require.NotEqual(t, string(vnet), swapped)
	path := filepath.Join(t.TempDir(), "vnet.json")
	require.NoError(t, os.WriteFile(path, []byte(swapped), 0o644))
	var out strings.Builder
	require.NoError(t, run([]string{"-cluster", fixtures + "dualstack.json", "-network", path}, &out, io.Discard))
	assert.Contains(t, out.String(), "workload: 53 nodes × 250 pods in VNet 10.240.0.0/16, dual-stack, Kubernetes 1.33.2\n")
	assert.Regexp(t, `(?m)^azure-cni-overlay +yes `, out.String())
	assert.Regexp(t, `(?m)^kubenet +no .*no dual-stack`, out.String())
}

// A -cluster file whose cluster is invalid is told in the files' words
// when -migrate-to checks it: the file, the JSON path with indexes, the
// value and what was expected.
func TestMigrateInvalidClusterInTheFilesWords(t *testing.T) {
	const fixtures = "../../capacity/aksjson/testdata/"
	b, err := os.ReadFile(fixtures + "kubenet.json")
	require.NoError(t, err)
	old := `"podCidrs": ["10.244.0.0/16"]`
	require.Contains(t, string(b), old)
	cluster := filepath.Join(t.TempDir(), "cluster.json")
	require.NoError(t, os.WriteFile(cluster, []byte(strings.Replace(string(b), old, `"podCidrs": ["10.240.128.0/17"]`, 1)), 0o644))

	err = run([]string{"-cluster", cluster, "-network", fixtures + "kubenet-vnet.json", "-migrate-to", "overlay"}, io.Discard, io.Discard)
	assert.EqualError(t, err, cluster+": invalid cluster (1 problem); "+cluster+
		": networkProfile.podCidrs[0]: NetworkProfileCIDROverlapVNET: NetworkProfile CIDR 10.240.128.0/17 overlaps with reserved VNET CIDR 10.240.0.0/16")
	assert.Equal(t, input.ExitUsage, input.ExitCode(err))
	var ve *capacity.ValidationError
	assert.ErrorAs(t, err, &ve)
}

// A -cluster file is validated before its workload is taken: what forecast
// and preflight refuse is bad input here too, told in the file's words.
func TestClusterFileValidated(t *testing.T) {
	b, err := os.ReadFile(fixturesDir + "kubenet.json")
	require.NoError(t, err)
	for _, tt := range []struct{ old, new, want string }{
		{`"maxPods": 110,`, `"maxPods": -1,`, "agentPoolProfiles[0].maxPods: -1 is outside 10–250"},
		{`"name": "user"`, `"name": "system"`, `agentPoolProfiles[1].name: "system" names two pools`},
		{`"count": 12`, `"count": -5`, "agentPoolProfiles[1].count: negative count -5: want 0 or more"},
		{`"minCount": 3`, `"minCount": 50`, "agentPoolProfiles[1].minCount: 50 is above the autoscaler's max count 40"},
		{`"podCidrs": ["10.244.0.0/16"]`, `"podCidrs": ["fd12:3456:789a::/64"]`, "networkProfile.podCidrs[0]: fd12:3456:789a::/64 is an IPv6 range in a single-stack cluster"},
		// 3,000 nodes in one pool was "no mode fits", exit 1.
		{`"maxCount": 40`, `"maxCount": 3000`, "agentPoolProfiles[1].maxCount: 3000 nodes: AKS allows 1000 per node pool"},
	} {
		require.Contains(t, string(b), tt.old)
		path := filepath.Join(t.TempDir(), "cluster.json")
		require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), tt.old, tt.new, 1)), 0o644))
		var out strings.Builder
		err := run([]string{"-cluster", path, "-network", fixturesDir + "kubenet-vnet.json"}, &out, io.Discard)
		require.Error(t, err, tt.new)
		assert.Contains(t, err.Error(), path+": invalid cluster", tt.new)
		assert.Contains(t, err.Error(), path+": "+tt.want, tt.new)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%s: %v", tt.new, err)
		assert.Empty(t, out.String(), "no table for an invalid cluster")
	}
}

// The -cluster file gives the whole workload: a workload flag beside it is
// bad usage, not ignored (-nodes, -pods, -vnet were) or mixed in
// (-windows was).
func TestClusterReplacesWorkloadFlags(t *testing.T) {
	cluster := []string{"-cluster", fixturesDir + "kubenet.json", "-network", fixturesDir + "kubenet-vnet.json"}
	for _, tt := range []struct {
		flag []string
		want string
	}{
		{[]string{"-nodes", "100"}, "-nodes goes without -cluster: the cluster's pools give the nodes, at their autoscaler max"},
		{[]string{"-pods", "50"}, "-pods goes without -cluster: the cluster's pools give the pods per node"},
		{[]string{"-vnet", "10.0.0.0/8"}, "-vnet goes without -cluster: the cluster's VNet"},
		{[]string{"-windows"}, "-windows goes without -cluster: the cluster's pools say whether it runs Windows"},
		{[]string{"-dual-stack"}, "-dual-stack goes without -cluster"},
		{[]string{"-policy", "cilium"}, "-policy goes without -cluster"},
		{[]string{"-nodes", "100", "-migrate-to", "overlay"}, "-nodes goes without -cluster"},
	} {
		var out strings.Builder
		err := run(append(slices.Clone(cluster), tt.flag...), &out, io.Discard)
		require.Error(t, err, "%v", tt.flag)
		assert.True(t, strings.HasPrefix(err.Error(), tt.want), "%v: %v", tt.flag, err)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v", tt.flag)
		assert.Empty(t, out.String())
	}
	// -mode and -fail-below still narrow the comparison of the cluster's
	// workload: 3 + 40 nodes at 110 pods.
	out, code := runCode(t, append(cluster, "-mode", "azure-cni-overlay", "-fail-below", "50%")...)
	assert.Equal(t, input.ExitOK, code, out)
	assert.Contains(t, out, "workload: 43 nodes × 110 pods in VNet 10.240.0.0/16, network policy calico, Kubernetes 1.31.3\n")
	// The cluster's Kubernetes version goes with it: static blocks need
	// 1.28, as preflight and forecast say of the same file.
	old := filepath.Join(t.TempDir(), "old.json")
	b, err := os.ReadFile(fixturesDir + "kubenet.json")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(old, bytes.Replace(b, []byte(`"1.31.3"`), []byte(`"1.27.9"`), 1), 0o644))
	var o strings.Builder
	require.NoError(t, run([]string{"-cluster", old, "-network", fixturesDir + "kubenet-vnet.json"}, &o, io.Discard), "kubenet fits")
	assert.Regexp(t, `(?m)^azure-cni-static-block +no +- .* 1\.27\.9: static block allocation needs Kubernetes 1\.28 or later$`, o.String())
}

// The VNet addresses column counts what the VNet's 65,536-address limit
// is checked with: every pool at its max plus its upgrade surge.
func TestVNetAddressesWithSurge(t *testing.T) {
	js, code := runCode(t, "-nodes", "7", "-vnet", "10.0.0.0/24", "-mode", "azure-cni,azure-cni-static-block", "-o", "json")
	assert.Equal(t, input.ExitOK, code, js)
	var doc Document
	require.NoError(t, json.Unmarshal([]byte(js), &doc))
	require.Len(t, doc.Results, 2)
	// 7 nodes + 1 surge (10% rounded up) = 8, × (1 node + 30 pods) = 248:
	// the node subnet's required addresses, on the same basis.
	cni := doc.Results[0]
	assert.Equal(t, 248, cni.VNetAddresses)
	assert.Equal(t, uint64(248), cni.Recommendation.Spaces[0].Required)
	assert.False(t, cni.BlockCountsOnce)
	// Static blocks: 8 × (1 node + 2 /28 blocks for maxPods 30, each
	// counted once) = 24, though the blocks hold 8 × 32 = 256 addresses.
	sb := doc.Results[1]
	assert.Equal(t, 24, sb.VNetAddresses)
	assert.True(t, sb.BlockCountsOnce)
	assert.Contains(t, js, `"vnetAddresses": 248`)
	assert.NotContains(t, js, "vnetIPs", "one name for one count")

	out, _ := runCode(t, "-nodes", "7", "-vnet", "10.0.0.0/24", "-mode", "azure-cni,azure-cni-static-block")
	assert.Contains(t, out, "VNet addresses at max with surge")
	assert.Regexp(t, `(?m)^azure-cni-static-block +\S+ +24\* `, out)
	assert.Contains(t, out, "\n* a static /28 block counts as one address against the VNet's 65,536-address limit, though it holds 16\n")
	out, _ = runCode(t, "-nodes", "7", "-vnet", "10.0.0.0/24", "-mode", "azure-cni")
	assert.NotContains(t, out, "*", "no footnote without static blocks")
}

// The pools the workload is laid out in, and their surge, are shown: AKS
// counts surge nodes toward the 5,000-node cluster limit (Recommend), so
// 4,545 nodes (5 pools of 909 + 91 surge = 5,000) is the most that fit.
func TestPoolsAndClusterLimit(t *testing.T) {
	out, code := runCode(t, "-nodes", "5000", "-pods", "250", "-mode", "azure-cni-overlay")
	assert.Equal(t, input.ExitError, code)
	// 5,000 / 909 per pool → 6 pools: 2 × 834 + 4 × 833, each + 84 surge
	// (10% of 834 or 833, rounded up): 5,000 + 6 × 84 = 5,504.
	assert.Contains(t, out, "pools: 2 pools of 834 nodes + 4 pools of 833 nodes, each upgrading with 84 surge nodes (10%): 5,504 nodes with surge\n")
	assert.Contains(t, out, "5,504 nodes with surge exceed the cluster limit of 5,000")

	js, code := runCode(t, "-nodes", "5000", "-pods", "250", "-mode", "azure-cni-overlay", "-o", "json")
	assert.Equal(t, input.ExitError, code)
	var doc Document
	require.NoError(t, json.Unmarshal([]byte(js), &doc))
	require.Len(t, doc.Workload.Pools, 6)
	assert.Equal(t, PoolSize{Name: "pool1", Nodes: 834, SurgeNodes: 84}, doc.Workload.Pools[0])
	assert.Equal(t, PoolSize{Name: "pool6", Nodes: 833, SurgeNodes: 84}, doc.Workload.Pools[5])
	assert.Equal(t, 5504, doc.Workload.NodesWithSurge)

	out, code = runCode(t, "-nodes", "4545", "-pods", "250", "-mode", "azure-cni-overlay")
	assert.Equal(t, input.ExitOK, code, out)
	assert.Contains(t, out, "pools: 5 pools of 909 nodes, each upgrading with 91 surge nodes (10%): 5,000 nodes with surge\n")
	// 7 nodes: one pool, ceil(0.7) = 1 surge node.
	out, code = runCode(t, "-nodes", "7", "-mode", "azure-cni-overlay")
	assert.Equal(t, input.ExitOK, code, out)
	assert.Contains(t, out, "pools: 1 pool of 7 nodes, upgrading with 1 surge node (10%): 8 nodes with surge\n")
	// 4,546 → 6 pools (4 × 758 + 2 × 757) of 76 surge each: 5,002.
	out, code = runCode(t, "-nodes", "4546", "-pods", "250", "-mode", "azure-cni-overlay")
	assert.Equal(t, input.ExitError, code)
	assert.Contains(t, out, "5,002 nodes with surge exceed the cluster limit of 5,000")
}

// Lists in the JSON are [] or left out, never null.
func TestJSONListsNeverNull(t *testing.T) {
	for _, args := range [][]string{
		{"-o", "json"},
		{"-nodes", "40", "-vnet", "10.0.0.0/20", "-dual-stack", "-o", "json"},
		{"-cluster", fixturesDir + "legacy-cni.json", "-network", "testdata/legacy-cni-vnet.json", "-o", "json"},
		{"-mode", "kubenet", "-nodes", "300", "-migrate-to", "overlay", "-o", "json"},
		{"-mode", "kubenet", "-nodes", "300", "-migrate-to", "overlay", "-pod-cidr", "10.244.0.0/16", "-o", "json"},
		{"-cluster", "testdata/cni8.json", "-network", "testdata/cni8-subnet.json", "-migrate-to", "overlay", "-pod-cidr", "10.244.0.0/16", "-o", "json"},
	} {
		js, _ := runCode(t, args...)
		require.NotEmpty(t, js, "%v", args)
		assert.NotContains(t, js, "null", "%v", args)
	}
}

// A maxPods outside a mode's range is that mode's "no", costed as given:
// never raised to the mode's minimum.
func TestPodsOutsideTheModesRange(t *testing.T) {
	w := workload{nodes: 10, pods: 9, vnet: netip.MustParsePrefix("10.240.0.0/16")}
	r := compare(modes.Kubenet, w)
	assert.Equal(t, []string{"maxPods 9 is outside its 10 to 250"}, r.why)
	assert.Nil(t, r.rec)
	// In range, each pool's maxPods is -pods as given: 10 nodes × 10 pods.
	w.pods = 10
	for _, p := range layout(modes.Kubenet, w).Pools {
		assert.Equal(t, 10, p.MaxPods)
	}
}

// In a VNet larger than a /11, the static-block pod subnet is a /12, the
// largest AKS takes, not the VNet's second half; other pod subnets are.
func TestStaticBlockPodSubnetAtMost12(t *testing.T) {
	w := workload{nodes: 100, pods: 30, vnet: netip.MustParsePrefix("10.0.0.0/8")}
	c := layout(modes.AzureCNIStaticBlock, w)
	require.NoError(t, c.Validate())
	assert.Equal(t, netip.MustParsePrefix("10.128.0.0/12"), c.Subnets[1].Prefixes[0])
	r := compare(modes.AzureCNIStaticBlock, w)
	assert.Empty(t, r.why)
	assert.Equal(t, netip.MustParsePrefix("10.128.0.0/9"), layout(modes.AzureCNIPodSubnet, w).Subnets[1].Prefixes[0])

	// 4,545 nodes at 250 pods need 5,000 × 16 /28s = 1,280,000 addresses,
	// more than a /12: the mode does not fit, in the user's words, and no
	// VNet count is shown for a layout that was not made.
	w.nodes, w.pods = 4545, 250
	res := compare(modes.AzureCNIStaticBlock, w).result(modes.AzureCNIStaticBlock)
	assert.False(t, res.Fits)
	assert.Equal(t, []string{"subnet pods needs 1,280,000 addresses, more than the largest static-block pod subnet (/12) holds: nothing fits"}, res.Why)
	assert.Equal(t, "-", vnetAddressesCell(res))
	assert.False(t, res.BlockCountsOnce)
}
