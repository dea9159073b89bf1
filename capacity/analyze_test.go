package capacity_test

import (
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSurge(t *testing.T) {
	tests := []struct {
		in    string
		nodes int
		want  int
	}{
		{"1", 10, 1}, {"0", 10, 0}, {"33%", 10, 4}, {"10%", 8, 1}, {"10%", 100, 10},
		{"50%", 4, 2}, {"5", 3, 3}, {"100%", 7, 7}, {"10%", 0, 0},
	}
	for _, tt := range tests {
		s, err := capacity.ParseSurge(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, s.Nodes(tt.nodes), "%s of %d", tt.in, tt.nodes)
		assert.Equal(t, tt.in, s.String())
	}
	for _, bad := range []string{"x", "-1", "150%", "1.5", "%"} {
		_, err := capacity.ParseSurge(bad)
		assert.EqualError(t, err, `capacity: surge "`+bad+`": want a node count such as "1" or a percentage such as "33%"`, bad)
	}
	z, err := capacity.ParseSurge("")
	require.NoError(t, err)
	assert.True(t, z.IsZero())
	assert.False(t, capacity.SurgeNodes(0).IsZero(), "an explicit 0 is not the default")
}

// TestWorkedExamples checks Analyze against the worked examples of
// aks-facts.md §6.
func TestWorkedExamples(t *testing.T) {
	tests := []struct {
		name      string
		c         capacity.Cluster
		pool      string
		maxNodes  int
		limit     capacity.Limit
		wantSurge int // MaxNodesWithSurge
	}{
		// W3: a /24 holds 8 Azure CNI nodes at 30 pods: 8 × 31 = 248 ≤ 251 < 9 × 31.
		{"W3 azure-cni /24", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 3, MaxSurge: capacity.SurgeNodes(1)}),
			"nodes", 8, capacity.LimitNodeSubnet, 7},
		// W4: a /24 holds 251 kubenet nodes (one address each).
		{"W4 kubenet /24", oneSubnet(modes.Kubenet, "10.240.0.0/24", capacity.Pool{Count: 3, MaxSurge: capacity.SurgeNodes(1)}),
			"nodes", 251, capacity.LimitNodeSubnet, 250},
		// W5: a /27 holds 27 kubenet nodes (one address each); with a 10%
		// surge 24 (24 + 3 = 27) — inside the docs' 20–25 nodes "with
		// headroom" (2,200–2,750 pods at 110).
		{"W5 kubenet /27", oneSubnet(modes.Kubenet, "10.240.0.0/27", capacity.Pool{Count: 3, MaxPods: 110, MaxSurge: capacity.SurgePercent(10)}),
			"nodes", 27, capacity.LimitNodeSubnet, 24},
		// W10: a /22 pod CIDR holds four /24s.
		{"W10 overlay /22 pod CIDR", func() capacity.Cluster {
			c := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/16", capacity.Pool{Count: 3, MaxSurge: capacity.SurgeNodes(1)})
			c.PodCIDRs = []netipPrefix{pfx("10.241.100.0/22")}
			return c
		}(), "nodes", 4, capacity.LimitPodCIDR, 3},
		// W14: a /24 pod subnet starts 15 dynamic nodes (251 / 16).
		{"W14 dynamic /24 pod subnet", capacity.Cluster{
			Mode:    modes.AzureCNIPodSubnet,
			Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/22"), subnet("pods", "10.240.4.0/24")},
			Pools:   []capacity.Pool{{Name: "p", Count: 3, PodsPerNode: 8, NodeSubnet: "nodes", PodSubnet: "pods"}},
		}, "p", 15, capacity.LimitPodSubnet, 13},
		// W17: an /18 pod CIDR serves 64 nodes.
		{"W17 overlay /18", func() capacity.Cluster {
			c := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/16", capacity.Pool{Count: 10})
			c.PodCIDRs = []netipPrefix{pfx("10.244.0.0/18")}
			return c
		}(), "nodes", 64, capacity.LimitPodCIDR, 58}, // 58 + ceil(5.8) = 64
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := capacity.Analyze(tt.c)
			require.NoError(t, err)
			p, ok := r.Pool(tt.pool)
			require.True(t, ok)
			assert.Equal(t, tt.maxNodes, p.MaxNodes)
			assert.Equal(t, tt.limit, p.Limit)
			assert.Equal(t, tt.wantSurge, p.MaxNodesWithSurge)
		})
	}
}

// TestLimits has one case per Limit.
func TestLimits(t *testing.T) {
	big := func(m modes.Mode, pools ...capacity.Pool) capacity.Cluster {
		c := capacity.Cluster{Mode: m, Subnets: []capacity.Subnet{subnet("nodes", "10.0.0.0/14")}, Pools: pools}
		if m.Spec().Pods.Source == modes.PodCIDR {
			c.PodCIDRs = []netipPrefix{pfx("100.64.0.0/10")}
			c.ServiceCIDRs = []netipPrefix{pfx("192.168.0.0/16")}
			c.DNSServiceIP = netipAddr("192.168.0.10")
		}
		if m == modes.AzureCNI {
			c.ServiceCIDRs = []netipPrefix{pfx("192.168.0.0/16")}
			c.DNSServiceIP = netipAddr("192.168.0.10")
		}
		return c
	}
	tests := []struct {
		name      string
		c         capacity.Cluster
		maxNodes  int
		limit     capacity.Limit
		withSurge int
	}{
		// Kubenet: one route per node, 400 routes.
		{"route table", big(modes.Kubenet, capacity.Pool{Name: "a", Count: 10}), 400, capacity.LimitRouteTable, 363}, // 363 + 37 = 400
		// Overlay with room everywhere: 1,000 per pool; 909 + 91 = 1,000.
		{"pool nodes", big(modes.AzureCNIOverlay, capacity.Pool{Name: "a", Count: 10}), 1000, capacity.LimitPoolNodes, 909},
		// Five full pools leave a sixth nothing of the 5,000.
		{"cluster nodes", big(modes.AzureCNIOverlay,
			capacity.Pool{Name: "a", Count: 1000}, capacity.Pool{Name: "b", Count: 1000}, capacity.Pool{Name: "c", Count: 1000},
			capacity.Pool{Name: "d", Count: 1000}, capacity.Pool{Name: "e", Count: 1000}, capacity.Pool{Name: "a6", Count: 0}),
			0, capacity.LimitClusterNodes, 0},
		// Azure CNI at 250 pods: 251 VNet addresses per node; 65,536 / 251 = 261,
		// while the /14 (262,139 usable) would hold 1,044.
		{"vnet", big(modes.AzureCNI, capacity.Pool{Name: "a", Count: 10, MaxPods: 250}), 261, capacity.LimitVNet, 237}, // 237 + 24 = 261
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := capacity.Analyze(tt.c)
			require.NoError(t, err)
			p := r.Pools[len(r.Pools)-1]
			assert.Equal(t, tt.maxNodes, p.MaxNodes)
			assert.Equal(t, tt.limit, p.Limit)
			assert.Equal(t, tt.withSurge, p.MaxNodesWithSurge)
			assert.Equal(t, tt.limit, p.SurgeLimit)
		})
	}
}

func TestCustomRoutesShareTheTable(t *testing.T) {
	// Kubenet's 400 routes hold 400 nodes; a default route to a firewall
	// and an on-premises prefix leave 398 (U6).
	c := oneSubnet(modes.Kubenet, "10.240.0.0/16", capacity.Pool{Count: 10})
	c.PodCIDRs = []netipPrefix{pfx("100.64.0.0/12")}
	c.CustomRoutes = 2
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 398, r.Pools[0].MaxNodes)
	assert.Equal(t, capacity.LimitRouteTable, r.Pools[0].Limit)
	assert.Equal(t, 398, exhausted(t, c, "nodes", 1000).Nodes)

	c.Mode = modes.AzureCNIOverlay
	var ve *capacity.ValidationError
	require.ErrorAs(t, c.Validate(), &ve)
	assert.True(t, ve.HasField("CustomRoutes"))
}

func TestEveryMode(t *testing.T) {
	// One pool of 10 nodes in a /22 node subnet (1,019 usable), a /24 pod
	// subnet (251) where the mode has one, default pod CIDRs, maxPods 30,
	// 30 pods per node. Expected MaxNodes from the per-node costs of modes.
	tests := []struct {
		mode  modes.Mode
		want  int
		limit capacity.Limit
	}{
		{modes.Kubenet, 256, capacity.LimitPodCIDR},             // 10.244.0.0/16: 256 /24s
		{modes.AzureCNI, 32, capacity.LimitNodeSubnet},          // 1,019 / 31
		{modes.AzureCNIPodSubnet, 8, capacity.LimitPodSubnet},   // 251 / DynamicTarget(30 pods, max 30) = 251 / 30
		{modes.AzureCNIStaticBlock, 7, capacity.LimitPodSubnet}, // 251 / 32
		{modes.AzureCNIOverlay, 256, capacity.LimitPodCIDR},     // 256 /24s
		{modes.CiliumOverlay, 256, capacity.LimitPodCIDR},       //
		{modes.CiliumPodSubnet, 8, capacity.LimitPodSubnet},
		{modes.CiliumNodeSubnet, 32, capacity.LimitNodeSubnet}, //
		{modes.BYOCNICalico, 1000, capacity.LimitPoolNodes},    // 1 /26 per node: 1,024 blocks; 1,019 node IPs; pool limit 1,000
		{modes.BYOCNICilium, 1000, capacity.LimitPoolNodes},    // 10.0.0.0/8 holds 65,536 /24s
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			c := capacity.Cluster{Mode: tt.mode, Subnets: []capacity.Subnet{subnet("nodes", "172.16.0.0/22")},
				Pools: []capacity.Pool{{Name: "p", Count: 10, MaxPods: 30, NodeSubnet: "nodes"}}}
			if tt.mode.Spec().Pods.Source == modes.PodSubnet {
				c.Subnets = append(c.Subnets, subnet("pods", "172.16.8.0/24"))
				c.Pools[0].PodSubnet = "pods"
			}
			if tt.mode == modes.BYOCNICilium {
				c.ServiceCIDRs = []netipPrefix{pfx("192.168.0.0/16")}
				c.DNSServiceIP = netipAddr("192.168.0.10")
			}
			r, err := capacity.Analyze(c)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Pools[0].MaxNodes)
			assert.Equal(t, tt.limit, r.Pools[0].Limit)
		})
	}
}

func TestStaticBlocksCountWholeBlocks(t *testing.T) {
	// A /24 pod subnet has 16 /28s; the first holds Azure's .0–.3 and the
	// last its .255, so 14 are usable: 14 nodes at maxPods 10 (one block
	// each), not 251 / 16 = 15. Three addresses of others take a block.
	c := podSubnet(modes.AzureCNIStaticBlock, "10.240.0.0/22", "10.240.4.0/24", capacity.Pool{Count: 3, MaxPods: 10})
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 14, r.Pools[0].MaxNodes)
	sp, _ := r.Space("pods")
	assert.Equal(t, 14*16, sp.Usable)
	c.Subnets[1].Reserved = 3
	r, err = capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 13, r.Pools[0].MaxNodes)
}

func TestOverCommittedIsReported(t *testing.T) {
	// W8's cluster: 10 Azure CNI nodes at 30 pods in a /24 take 310 of 251.
	r, err := capacity.Analyze(oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 10}))
	require.NoError(t, err)
	sp, ok := r.Space("nodes")
	require.True(t, ok)
	assert.Equal(t, capacity.Space{Name: "nodes", Source: modes.NodeSubnet, Size: 256, Usable: 251,
		Now: 310, AtMax: 310, Free: -59}, sp)
	assert.Equal(t, 8, r.Pools[0].MaxNodes)
	assert.Equal(t, -2, r.Pools[0].Headroom())
}

func TestSharedSubnetAndAutoscaler(t *testing.T) {
	// Two pools share a /23 (507 usable) with 7 addresses used by ILBs; the
	// autoscaler's max counts. Azure CNI, 30 pods: 31 per node.
	c := capacity.Cluster{
		Mode:    modes.AzureCNI,
		Subnets: []capacity.Subnet{{Name: "shared", Prefixes: []netipPrefix{pfx("10.1.0.0/23")}, Reserved: 7}},
		Pools: []capacity.Pool{
			{Name: "system", Count: 3},
			{Name: "user", Count: 2, MinCount: 1, MaxCount: 6},
		},
	}
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	sp := r.Spaces[0]
	assert.Equal(t, 5*31, sp.Now)
	assert.Equal(t, 9*31, sp.AtMax)
	assert.Equal(t, 507-7-9*31, sp.Free)
	// system: (500 − 6×31) / 31 = 10; user: (500 − 3×31) / 31 = 13.
	assert.Equal(t, 10, r.Pools[0].MaxNodes)
	assert.Equal(t, 13, r.Pools[1].MaxNodes)
	// Default surge 10%: system 9 + 1 = 10; user 11 + 2 = 13.
	assert.Equal(t, 9, r.Pools[0].MaxNodesWithSurge)
	assert.Equal(t, 11, r.Pools[1].MaxNodesWithSurge)
}

func TestW7SurgeNodes(t *testing.T) {
	// Five pools of four nodes at 50% surge need 10 extra nodes in all.
	c := capacity.Cluster{Mode: modes.AzureCNIOverlay, Subnets: []capacity.Subnet{subnet("nodes", "10.1.0.0/24")}}
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		c.Pools = append(c.Pools, capacity.Pool{Name: n, Count: 4, MaxSurge: capacity.SurgePercent(50)})
	}
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	total := 0
	for _, p := range r.Pools {
		total += p.SurgeNodes
	}
	assert.Equal(t, 10, total)
}

func TestCustomSpec(t *testing.T) {
	// A custom mode: pods from a pod CIDR in /25 blocks per node, 200 nodes.
	spec := modes.AzureCNIOverlay.Spec()
	spec.Mode, spec.Name = 0, "custom /25 overlay"
	spec.Pods.BlockBits = 25
	spec.MaxNodes = 200
	c := capacity.Cluster{Spec: &spec, Subnets: []capacity.Subnet{subnet("nodes", "10.1.0.0/16")},
		PodCIDRs: []netipPrefix{pfx("10.244.0.0/18")}, Pools: []capacity.Pool{{Name: "p", Count: 3}}}
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 128, r.Pools[0].MaxNodes, "an /18 holds 128 /25s")
	assert.Equal(t, capacity.LimitPodCIDR, r.Pools[0].Limit)
	spec.MaxNodes = 100
	r, err = capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 100, r.Pools[0].MaxNodes)
	assert.Equal(t, capacity.LimitClusterNodes, r.Pools[0].Limit)
}
