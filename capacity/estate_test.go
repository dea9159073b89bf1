package capacity_test

import (
	"context"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twoOverlay: clusters A (100 nodes) and B (50 now, autoscaler max 120)
// share a /24 node subnet (251 usable) in which a load balancer holds 11.
func twoOverlay() capacity.Estate {
	shared := subnet("shared", "10.240.0.0/24")
	shared.Reserved = 11
	return capacity.Estate{
		VNet:    []netipPrefix{pfx("10.240.0.0/16")},
		Subnets: []capacity.Subnet{shared},
		Clusters: []capacity.Cluster{
			{Name: "A", Mode: modes.AzureCNIOverlay, Pools: []capacity.Pool{{Name: "a", Count: 100, NodeSubnet: "shared"}}},
			{Name: "B", Mode: modes.AzureCNIOverlay, Pools: []capacity.Pool{{Name: "b", Count: 50, MinCount: 50, MaxCount: 120, NodeSubnet: "shared"}}},
		},
	}
}

func TestAnalyzeEstateSharedNodeSubnet(t *testing.T) {
	r, err := capacity.AnalyzeEstate(twoOverlay())
	require.NoError(t, err)
	// A sees B at its max: 251 − 11 − 120 = 120 nodes; B sees A's 100: 140.
	// Both have 20 left, the shared subnet's free addresses.
	a, b := r.Clusters[0].Pools[0], r.Clusters[1].Pools[0]
	assert.Equal(t, [2]int{120, 140}, [2]int{a.MaxNodes, b.MaxNodes})
	assert.Equal(t, capacity.LimitNodeSubnet, a.Limit)
	assert.Equal(t, 20, a.MaxNodes-a.AtMax)
	assert.Equal(t, 20, b.MaxNodes-b.AtMax)
	sa, ok := r.Clusters[0].Space("shared")
	require.True(t, ok)
	assert.Equal(t, 120, sa.OtherClusters)
	assert.Equal(t, 20, sa.Free)

	require.Len(t, r.Spaces, 1)
	assert.Equal(t, capacity.Space{Name: "shared", Source: modes.NodeSubnet, Size: 256, Usable: 251, Reserved: 11,
		Now: 150, AtMax: 220, Free: 20}, r.Spaces[0])
	assert.Equal(t, 11+100+120, r.VNetAddresses)
	// The VNet less the /24: one prefix of each size from /24 to /17.
	assert.Equal(t, []netipPrefix{pfx("10.240.1.0/24"), pfx("10.240.2.0/23"), pfx("10.240.4.0/22"), pfx("10.240.8.0/21"),
		pfx("10.240.16.0/20"), pfx("10.240.32.0/19"), pfx("10.240.64.0/18"), pfx("10.240.128.0/17")}, r.Free)
}

// A dynamic pod subnet shared by two clusters: at 9 pods a node holds 32
// (CNS), so C's 5 nodes hold 160 and D's 2 hold 64 of a /24's 251.
func TestAnalyzeEstateSharedPodSubnet(t *testing.T) {
	e := capacity.Estate{
		VNet:    []netipPrefix{pfx("10.240.0.0/16")},
		Subnets: []capacity.Subnet{subnet("pods", "10.240.100.0/24")},
		Clusters: []capacity.Cluster{
			{Name: "C", Mode: modes.AzureCNIPodSubnet, Subnets: []capacity.Subnet{subnet("c-nodes", "10.240.0.0/24")},
				Pools: []capacity.Pool{{Name: "c", Count: 5, PodsPerNode: 9, NodeSubnet: "c-nodes", PodSubnet: "pods"}}},
			{Name: "D", Mode: modes.AzureCNIPodSubnet, Subnets: []capacity.Subnet{subnet("d-nodes", "10.240.1.0/24")},
				Pools: []capacity.Pool{{Name: "d", Count: 2, PodsPerNode: 9, NodeSubnet: "d-nodes", PodSubnet: "pods"}}},
		},
	}
	r, err := capacity.AnalyzeEstate(e)
	require.NoError(t, err)
	// C: (251 − 64) / 32 = 5 nodes; D: (251 − 160) / 32 = 2.
	assert.Equal(t, 5, r.Clusters[0].Pools[0].MaxNodes)
	assert.Equal(t, 2, r.Clusters[1].Pools[0].MaxNodes)
	assert.Equal(t, capacity.LimitPodSubnet, r.Clusters[1].Pools[0].Limit)
	pods := r.Spaces[0]
	assert.Equal(t, [3]int{224, 224, 27}, [3]int{pods.Now, pods.AtMax, pods.Free})
	require.Len(t, r.Spaces, 3, "the shared pod subnet, then each cluster's node subnet")
	assert.Equal(t, "c-nodes", r.Spaces[1].Name)
}

// The VNet's 65,536-address limit bind across clusters: two Azure CNI
// clusters at 250 pods hold 251 a node, 200 × 251 = 50,200 and
// 100 × 251 = 25,100.
func TestAnalyzeEstateVNetLimit(t *testing.T) {
	svc := []netipPrefix{pfx("192.168.0.0/16")}
	dns := netipAddr("192.168.0.10")
	e := capacity.Estate{
		VNet: []netipPrefix{pfx("10.100.0.0/14")},
		Clusters: []capacity.Cluster{
			{Name: "X", Mode: modes.AzureCNI, ServiceCIDRs: svc, DNSServiceIP: dns, Subnets: []capacity.Subnet{subnet("x", "10.100.0.0/16")},
				Pools: []capacity.Pool{{Name: "x", Count: 200, MaxPods: 250}}},
			{Name: "Y", Mode: modes.AzureCNI, ServiceCIDRs: svc, DNSServiceIP: dns, Subnets: []capacity.Subnet{subnet("y", "10.101.0.0/16")},
				Pools: []capacity.Pool{{Name: "y", Count: 100, MaxPods: 250}}},
		},
	}
	r, err := capacity.AnalyzeEstate(e)
	require.NoError(t, err)
	assert.Equal(t, 75300, r.VNetAddresses)
	// X may hold 65,536 − 25,100 = 40,436: 161 nodes of 251.
	assert.Equal(t, 161, r.Clusters[0].Pools[0].MaxNodes)
	assert.Equal(t, capacity.LimitVNet, r.Clusters[0].Pools[0].Limit)
	// Alone, X's /16 would hold 65,531 / 251 = 261 nodes.
	alone, err := capacity.Analyze(e.Clusters[0])
	require.NoError(t, err)
	assert.Equal(t, 261, alone.Pools[0].MaxNodes)
}

func TestEstateCheckSeesOthers(t *testing.T) {
	e := twoOverlay()
	// AKS admits A at 200 (200 of 251: it does not count B), but with B's
	// 50 nodes and the load balancer's 11, 90 are free now: the scale's
	// request for 100 node addresses fails as a whole.
	v, err := e.Check(0, capacity.Step{Op: capacity.OpScale, Pool: "a", Nodes: 200})
	require.NoError(t, err)
	assert.Nil(t, v.Refusal)
	require.NotNil(t, v.Failure)
	assert.Equal(t, [2]int{100, 100}, [2]int{v.Failure.Nodes, v.Failure.Requested})
	assert.Equal(t, capacity.CodeSubnetIsFull, v.Failure.Code)
	// Node by node, A grows into the 90: the 191st finds none.
	tl, err := e.Simulate(context.Background(), 0, capacity.ScaleOut("a", 200))
	require.NoError(t, err)
	assert.Equal(t, 190, tl.Exhausted.Nodes)
	// Alone, A names a subnet it does not have: the estate resolves it.
	_, err = capacity.Check(e.Clusters[0], capacity.Step{Op: capacity.OpScale, Pool: "a", Nodes: 200})
	require.Error(t, err, "alone, A has no subnet named shared")
}

func TestEstatePlace(t *testing.T) {
	e := twoOverlay()
	for bits, want := range map[int]string{24: "10.240.1.0/24", 23: "10.240.2.0/23", 22: "10.240.4.0/22", 17: "10.240.128.0/17", 29: "10.240.1.0/29"} {
		p, err := e.Place(bits)
		require.NoError(t, err)
		assert.Equal(t, pfx(want), p, "/%d", bits)
	}
	_, err := e.Place(16)
	assert.ErrorIs(t, err, capacity.ErrNoRoom)
	_, err = e.Place(30)
	assert.Error(t, err)
}

// A at 100 nodes with a 33% surge (33) beside B's 120 and 11 reserved
// needs 100 + 33 + 120 + 11 = 264 addresses: a /23, first free at
// 10.240.2.0/23.
func TestEstateRecommendPlaces(t *testing.T) {
	e := twoOverlay()
	e.Clusters[0].Pools[0].MaxSurge = capacity.SurgePercent(33)
	r, err := e.Recommend(0)
	require.NoError(t, err)
	assert.Equal(t, capacity.SpaceSize{Name: "shared", Source: modes.NodeSubnet, Required: 264, Bits: 23, Place: pfx("10.240.2.0/23")}, r.Spaces[0])
}

func TestEstateInvalid(t *testing.T) {
	e := twoOverlay()
	e.Clusters = append(e.Clusters, capacity.Cluster{Name: "E", Mode: modes.AzureCNIOverlay,
		Subnets: []capacity.Subnet{subnet("e", "10.240.0.128/25")}, Pools: []capacity.Pool{{Name: "e", Count: 1}}})
	_, err := capacity.AnalyzeEstate(e)
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.HasField("Clusters[2].Subnets[0].Prefixes[0]"), "%v", err)

	e = twoOverlay()
	e.Clusters[1].Pools[0].Count = -1
	_, err = capacity.AnalyzeEstate(e)
	var ee *capacity.EstateError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.Cluster)
	assert.Contains(t, err.Error(), "Clusters[1] (B): ")
}

// Two clusters of one name are refused: reports, EstateError and the
// forecast's sections tell clusters apart by name.
func TestEstateDuplicateName(t *testing.T) {
	e := twoOverlay()
	e.Clusters = append(e.Clusters, capacity.Cluster{Name: "C", Mode: modes.AzureCNIOverlay, Pools: []capacity.Pool{{Name: "c", Count: 1, NodeSubnet: "shared"}}})
	e.Clusters = append(e.Clusters, e.Clusters[0])
	_, err := capacity.AnalyzeEstate(e)
	hasProblem(t, err, "Clusters[3].Name", "", `"A" names two clusters of the estate (Clusters[0] "A" too)`)
	// Azure's names ignore case: "a" is A too.
	e.Clusters[3].Name = "a"
	_, err = capacity.AnalyzeEstate(e)
	hasProblem(t, err, "Clusters[3].Name", "", `"a" names two clusters of the estate (Clusters[0] "A" too)`)
	_, err = e.Check(1, capacity.Step{Op: capacity.OpCreate})
	hasProblem(t, err, "Clusters[3].Name", "", "names two clusters")
	// Clusters without a name are not told apart by it.
	e.Clusters[0].Name, e.Clusters[3].Name, e.Clusters[2].Name = "", "", ""
	_, err = capacity.AnalyzeEstate(e)
	require.NoError(t, err)
}

// A VNet given on one cluster only is the estate's: the other clusters
// see it, and its free space is where Place looks. twoOverlay's estate
// without its VNet, given on cluster A instead: 10.240.0.0/16 less the
// shared /24 (10.240.0.0/24) leaves 10.240.4.0/22 as the first free /22.
func TestEstateVNetOnACluster(t *testing.T) {
	e := twoOverlay()
	vnet := e.VNet
	e.VNet, e.Clusters[0].VNet = nil, vnet
	r, err := capacity.AnalyzeEstate(e)
	require.NoError(t, err)
	assert.NotEmpty(t, r.Free)
	b, err := e.Cluster(1)
	require.NoError(t, err)
	assert.Equal(t, vnet, b.VNet)
	p, err := e.Place(22)
	require.NoError(t, err)
	assert.Equal(t, pfx("10.240.4.0/22"), p)
}

// An estate is one VNet: a subnet outside it, or a cluster that gives
// another VNet, is refused rather than analysed as one.
func TestEstateOneVNet(t *testing.T) {
	other := capacity.Cluster{Name: "H", Mode: modes.AzureCNIOverlay,
		Subnets: []capacity.Subnet{subnet("h", "10.250.0.0/24")}, Pools: []capacity.Pool{{Name: "h", Count: 1}}}

	// A cluster's own subnet outside the estate's VNet.
	e := twoOverlay()
	e.Clusters = append(e.Clusters, other)
	_, err := capacity.AnalyzeEstate(e)
	hasProblem(t, err, "Clusters[2].Subnets[0].Prefixes[0]", "", "10.250.0.0/24 is outside the VNet 10.240.0.0/16")

	// The same cluster giving its own VNet: still not the estate's.
	other.VNet = []netipPrefix{pfx("10.250.0.0/16")}
	e.Clusters[2] = other
	_, err = capacity.AnalyzeEstate(e)
	hasProblem(t, err, "Clusters[2].VNet", "", "10.250.0.0/16 is not the estate's VNet 10.240.0.0/16: an estate is one VNet")
	hasProblem(t, err, "Clusters[2].Subnets[0].Prefixes[0]", "", "outside the VNet 10.240.0.0/16")

	// A cluster giving the estate's VNet (as two prefixes) is one of it.
	e = twoOverlay()
	e.Clusters[1].VNet = []netipPrefix{pfx("10.240.128.0/17"), pfx("10.240.0.0/17")}
	_, err = capacity.AnalyzeEstate(e)
	require.NoError(t, err)

	// Without the estate's VNet, the first a cluster gives is the estate's.
	e = twoOverlay()
	e.VNet = nil
	e.Clusters[0].VNet = []netipPrefix{pfx("10.240.0.0/16")}
	other.VNet = []netipPrefix{pfx("10.250.0.0/16")}
	e.Clusters = append(e.Clusters, other)
	_, err = capacity.AnalyzeEstate(e)
	hasProblem(t, err, "Clusters[2].VNet", "", "10.250.0.0/16 is not the VNet of Clusters[0] 10.240.0.0/16")
	hasProblem(t, err, "Clusters[2].Subnets[0].Prefixes[0]", "", "10.250.0.0/24 is outside the VNet of Clusters[0] 10.240.0.0/16")
	// No VNet anywhere: nothing tells the subnets' VNets apart.
	e.Clusters[0].VNet, e.Clusters[2].VNet = nil, nil
	_, err = capacity.AnalyzeEstate(e)
	require.NoError(t, err)
}

// A dual-stack VNet: Free lists its IPv4 space only, where Place puts
// subnets; the IPv6 range is not cut into fragments around the /64s.
func TestEstateFreeIPv4(t *testing.T) {
	nodes := capacity.Subnet{Name: "nodes", Prefixes: []netipPrefix{pfx("10.240.0.0/22"), pfx("fd00:1::/64")}}
	e := capacity.Estate{
		VNet:    []netipPrefix{pfx("10.240.0.0/16"), pfx("fd00:1::/48")},
		Subnets: []capacity.Subnet{subnet("gw", "10.240.255.0/27")},
		Clusters: []capacity.Cluster{{Name: "ds", Mode: modes.AzureCNIOverlay, DualStack: true, Subnets: []capacity.Subnet{nodes},
			Pools: []capacity.Pool{{Name: "p", Count: 3, NodeSubnet: "nodes"}}}},
	}
	r, err := capacity.AnalyzeEstate(e)
	require.NoError(t, err)
	assert.Equal(t, []netipPrefix{pfx("10.240.4.0/22"), pfx("10.240.8.0/21"), pfx("10.240.16.0/20"), pfx("10.240.32.0/19"),
		pfx("10.240.64.0/18"), pfx("10.240.128.0/18"), pfx("10.240.192.0/19"), pfx("10.240.224.0/20"), pfx("10.240.240.0/21"),
		pfx("10.240.248.0/22"), pfx("10.240.252.0/23"), pfx("10.240.254.0/24"), pfx("10.240.255.32/27"), pfx("10.240.255.64/26"),
		pfx("10.240.255.128/25")}, r.Free)
	p, err := e.Place(22)
	require.NoError(t, err)
	assert.Equal(t, pfx("10.240.4.0/22"), p)
}
