package capacity_test

import (
	"context"
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dualStack returns a valid dual-stack Overlay cluster: one pool on a
// subnet with an IPv4 /20 (4,091 usable) and an IPv6 /64, a /15 IPv4 pod
// CIDR (512 /24s), the IPv6 ranges left to AKS's defaults.
func dualStack() capacity.Cluster {
	return capacity.Cluster{
		Mode:      modes.AzureCNIOverlay,
		DualStack: true,
		Subnets:   []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{pfx("10.240.0.0/20"), pfx("fd00:1::/64")}}},
		PodCIDRs:  []netip.Prefix{pfx("10.128.0.0/15")},
		Pools:     []capacity.Pool{{Name: "user", Count: 100, MinCount: 1, MaxCount: 300}},
	}
}

func TestValidateDualStack(t *testing.T) {
	require.NoError(t, dualStack().Validate())
	single := dualStack()
	single.DualStack = false // a dual-stack subnet under a single-stack cluster: its /64 is not used
	require.NoError(t, single.Validate())

	checkProblems(t, dualStack, []problemCase{
		{"IPv6 pod CIDR, single-stack", func(c *capacity.Cluster) {
			c.DualStack = false
			c.PodCIDRs = append(c.PodCIDRs, pfx("fd12:3456:789a::/64"))
		}, "PodCIDRs[1]", "", "fd12:3456:789a::/64 is an IPv6 range in a single-stack cluster"},
		{"IPv6 service CIDR, single-stack", func(c *capacity.Cluster) {
			c.DualStack = false
			c.ServiceCIDRs = []netip.Prefix{pfx("fd12:3456:789a:1::/108"), pfx("10.0.0.0/16")}
		}, "ServiceCIDRs[0]", "", "IPv6 range in a single-stack cluster"},
		{"second IPv4 pod CIDR", func(c *capacity.Cluster) { c.PodCIDRs = append(c.PodCIDRs, pfx("10.130.0.0/16")) },
			"PodCIDRs[1]", "", "10.130.0.0/16 is a second IPv4 range after PodCIDRs[0] 10.128.0.0/15: AKS takes one of each family"},
		{"second IPv4 pod CIDR, single-stack", func(c *capacity.Cluster) {
			c.DualStack = false
			c.PodCIDRs = append(c.PodCIDRs, pfx("10.130.0.0/16"))
		}, "PodCIDRs[1]", "", "second IPv4 range"},
		{"second IPv4 service CIDR", func(c *capacity.Cluster) { c.ServiceCIDRs = []netip.Prefix{pfx("10.0.0.0/16"), pfx("10.1.0.0/16")} },
			"ServiceCIDRs[1]", "", "second IPv4 range"},
		{"mode without dual-stack", func(c *capacity.Cluster) { c.Mode, c.PodCIDRs = modes.AzureCNI, nil }, "DualStack", "",
			"Azure CNI (node subnet) does not run dual-stack"},
		{"kubenet today", func(c *capacity.Cluster) { c.Mode = modes.Kubenet }, "DualStack", "", "kubenet does not run dual-stack"},
		{"node subnet without IPv6", func(c *capacity.Cluster) { c.Subnets[0].Prefixes = c.Subnets[0].Prefixes[:1] },
			"Subnets[0].Prefixes", capacity.CodeSingleStackSubnet, `subnet "nodes" (10.240.0.0/20) has no IPv6 prefix`},
		{"IPv6 only subnet", func(c *capacity.Cluster) { c.Subnets[0].Prefixes = c.Subnets[0].Prefixes[1:] },
			"Subnets[0].Prefixes", "", "a subnet needs an IPv4 prefix"},
		{"IPv6 subnet not a /64", func(c *capacity.Cluster) { c.Subnets[0].Prefixes[1] = pfx("fd00:1::/48") },
			"Subnets[0].Prefixes[1]", "", "exactly a /64"},
		{"IPv6 service CIDR above /108", func(c *capacity.Cluster) {
			c.ServiceCIDRs = []netip.Prefix{pfx("10.0.0.0/16"), pfx("fd12:3456:789a:1::/104")}
		}, "ServiceCIDRs[1]", "", "at most a /108"},
		{"IPv6 pod CIDR holds no /80", func(c *capacity.Cluster) { c.PodCIDRs = append(c.PodCIDRs, pfx("fd12:3456:789a::/96")) },
			"PodCIDRs[1]", "", "fd12:3456:789a::/96 holds no /80 block"},
		{"IPv6 pod CIDR beyond 2^48 blocks", func(c *capacity.Cluster) { c.PodCIDRs = append(c.PodCIDRs, pfx("fd00::/16")) },
			"PodCIDRs[1]", "", "fd00::/16 holds 2^64 per-node /80 blocks, more than the 2^48 ipcap counts: want a /32 or longer"},
		{"second IPv6 pod CIDR", func(c *capacity.Cluster) {
			c.PodCIDRs = append(c.PodCIDRs, pfx("fd12:3456:789a::/64"), pfx("fd12:3456:789b::/64"))
		}, "PodCIDRs[2]", "", "fd12:3456:789b::/64 is a second IPv6 range after PodCIDRs[1] fd12:3456:789a::/64: AKS takes one of each family"},
		{"IPv6 pod CIDR overlaps the VNet", func(c *capacity.Cluster) { c.PodCIDRs = append(c.PodCIDRs, pfx("fd00:1::/64")) },
			"PodCIDRs[1]", capacity.CodeNetworkProfileCIDROverlapVNET, "overlaps with reserved VNET CIDR fd00:1::/64"},
		{"calico policy", func(c *capacity.Cluster) { c.Policy = modes.PolicyCalico }, "Policy", "", "no Azure or Calico network policy"},
		{"cilium before 1.29", func(c *capacity.Cluster) { c.Mode, c.KubernetesVersion = modes.CiliumOverlay, "1.28.5" },
			"KubernetesVersion", "", "1.28.5: dual-stack with the Cilium dataplane needs Kubernetes 1.29 or later"},
		{"IPv6 subnet outside the VNet", func(c *capacity.Cluster) { c.VNet = []netip.Prefix{pfx("10.240.0.0/16")} },
			"Subnets[0].Prefixes[1]", "", "fd00:1::/64 is outside the VNet's address space"},
	})
}

// The IPv4 spaces of a dual-stack cluster are those of the same cluster
// single-stack; its IPv6 pod CIDR is counted in per-node /80 blocks: AKS's
// default /64 holds 2^(80−64) = 65,536 of them.
func TestAnalyzeDualStack(t *testing.T) {
	ds, err := capacity.Analyze(dualStack())
	require.NoError(t, err)
	single := dualStack()
	single.DualStack = false
	ss, err := capacity.Analyze(single)
	require.NoError(t, err)
	assert.Equal(t, ss.Spaces, ds.Spaces)
	assert.Nil(t, ss.PodCIDRIPv6)
	assert.Equal(t, &capacity.BlockRange{Prefix: pfx("fd12:3456:789a::/64"), BlockBits: 80, Blocks: 65536, Now: 100, AtMax: 300, Free: 65236}, ds.PodCIDRIPv6)
	// The /15 pod CIDR's 512 /24s bind before the pool's 1,000 nodes, the
	// subnet's 4,091 addresses and the IPv6 range's 65,536 blocks,
	// dual-stack or not.
	assert.Equal(t, ss.Pools, ds.Pools)
	assert.Equal(t, 512, ds.Pools[0].MaxNodes)
	assert.Equal(t, capacity.LimitPodCIDR, ds.Pools[0].Limit)
}

// A /72 IPv6 pod CIDR holds 2^(80−72) = 256 per-node blocks: the 257th
// node finds none. Admission does not count the IPv6 range (nothing
// public says it does), so Check accepts 300 nodes and then fails.
func TestDualStackIPv6PodCIDRRunsOut(t *testing.T) {
	c := dualStack()
	c.PodCIDRs = append(c.PodCIDRs, pfx("fd12:3456:789a::/72"))
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 256, r.Pools[0].MaxNodes)
	assert.Equal(t, capacity.LimitPodCIDRIPv6, r.Pools[0].Limit)
	assert.Equal(t, -44, r.PodCIDRIPv6.Free) // 256 − 300

	tl, err := capacity.Simulate(context.Background(), c, capacity.ScaleOut("user", 300))
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted)
	assert.Equal(t, capacity.LimitPodCIDRIPv6, tl.Exhausted.Limit)
	assert.Equal(t, 256, tl.Exhausted.Nodes)
	assert.Equal(t, "fd12:3456:789a::/72", tl.Exhausted.CIDR)
	assert.Equal(t, "IPv6 pod CIDR fd12:3456:789a::/72 is full: no per-node block left for another node (pod-cidr-ipv6)", tl.Exhausted.String())

	c.Pools[0] = capacity.Pool{Name: "user", Count: 300}
	v, err := capacity.Check(c, capacity.Step{Op: capacity.OpCreate})
	require.NoError(t, err)
	assert.Nil(t, v.Refusal)
	require.NotNil(t, v.Failure)
	assert.Equal(t, capacity.LimitPodCIDRIPv6, v.Failure.Limit)
	assert.Equal(t, 256, v.Failure.Nodes)

	rec, err := capacity.Recommend(c)
	require.NoError(t, err)
	// 300 nodes + 10% surge (30) = 330 blocks: 2^9 = 512 ≥ 330, so a /71.
	assert.Contains(t, rec.Notes, "IPv6 pod CIDR fd12:3456:789a::/72: 330 nodes with surge need 330 blocks of /80, more than its 256: use a /71")
}

// Dual-stack kubenet took two routes a node, so its 400 routes served 200
// nodes (W19) [KDS]. AKS no longer creates it; a custom Spec with
// DualStack models a cluster created before.
func TestDualStackKubenetRoutes(t *testing.T) {
	s := modes.Kubenet.Spec()
	s.DualStack = true
	c := capacity.Cluster{Spec: &s, DualStack: true,
		Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{pfx("10.240.0.0/22"), pfx("fd00:1::/64")}}},
		Pools:   []capacity.Pool{{Name: "nodes", Count: 150}}}
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 200, r.Pools[0].MaxNodes) // 400 routes / 2; the /22's 1,019 and the /16 pod CIDR's 256 come later
	assert.Equal(t, capacity.LimitRouteTable, r.Pools[0].Limit)

	c.CustomRoutes = 10
	r, err = capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 195, r.Pools[0].MaxNodes) // (400 − 10) / 2

	c.CustomRoutes = 0
	v, err := capacity.Check(c, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 201})
	require.NoError(t, err)
	require.NotNil(t, v.Refusal)
	assert.Equal(t, capacity.LimitRouteTable, v.Refusal.Limit)
	assert.Equal(t, 402, v.Refusal.Required) // 201 nodes × 2 routes
	assert.Equal(t, 400, v.Refusal.Available)

	tl, err := capacity.Simulate(context.Background(), c, capacity.ScaleOut("nodes", 300))
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted)
	assert.Equal(t, capacity.LimitRouteTable, tl.Exhausted.Limit)
	assert.Equal(t, 200, tl.Exhausted.Nodes)
}

func TestDualStackJSON(t *testing.T) {
	c := dualStack()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"dualStack":true`)
	assert.Contains(t, string(b), `"fd00:1::/64"`)
	var back capacity.Cluster
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)
}
