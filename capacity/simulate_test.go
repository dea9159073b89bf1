package capacity_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// staticModes hand out addresses only when nodes come and go.
var staticModes = []modes.Mode{modes.Kubenet, modes.AzureCNI, modes.AzureCNIStaticBlock, modes.AzureCNIOverlay,
	modes.CiliumOverlay, modes.CiliumNodeSubnet, modes.BYOCNICilium}

// agreementClusters returns clusters of mode m whose binding limits differ:
// a small node subnet, a small pod space, and room everywhere.
func agreementClusters(m modes.Mode) map[string]capacity.Cluster {
	build := func(node, pod, podCIDR string, maxPods int) capacity.Cluster {
		c := capacity.Cluster{Mode: m, Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netipPrefix{pfx(node)}, Reserved: 3}},
			ServiceCIDRs: []netipPrefix{pfx("192.168.0.0/16")}, DNSServiceIP: netipAddr("192.168.0.10"),
			Pools: []capacity.Pool{
				{Name: "system", Count: 3, MaxPods: maxPods, NodeSubnet: "nodes", MaxSurge: capacity.SurgeNodes(1)},
				{Name: "user", Count: 3, MaxPods: maxPods, NodeSubnet: "nodes", MaxSurge: capacity.SurgePercent(33)},
			}}
		s := m.Spec()
		if s.Pods.Source == modes.PodSubnet {
			c.Subnets = append(c.Subnets, capacity.Subnet{Name: "pods", Prefixes: []netipPrefix{pfx(pod)}, Reserved: 5})
			c.Pools[0].PodSubnet, c.Pools[1].PodSubnet = "pods", "pods"
		}
		switch s.Pods.Source {
		case modes.PodCIDR:
			c.PodCIDRs = []netipPrefix{pfx(podCIDR)}
		case modes.CNIPool:
			c.CNIPool = []netipPrefix{pfx(podCIDR)}
		}
		return c
	}
	return map[string]capacity.Cluster{
		"small node subnet": build("10.240.0.0/25", "10.241.0.0/16", "100.64.0.0/12", 30),
		"small pod space":   build("10.240.0.0/16", "10.241.0.0/23", "100.64.0.0/19", 30),
		"room everywhere":   build("10.240.0.0/14", "10.244.0.0/14", "100.64.0.0/10", 10),
	}
}

// TestSimulateAgreesWithAnalyze: for static modes, scaling a pool out one
// node at a time stops exactly at Analyze's MaxNodes with the same Limit,
// and an upgrade fits at MaxNodesWithSurge and fails one node above.
func TestSimulateAgreesWithAnalyze(t *testing.T) {
	ctx := context.Background()
	for _, m := range staticModes {
		for name, c := range agreementClusters(m) {
			t.Run(m.String()+"/"+name, func(t *testing.T) {
				r, err := capacity.Analyze(c)
				require.NoError(t, err)
				want := r.Pools[1]
				tl, err := capacity.Simulate(ctx, c, capacity.ScaleOut("user", 5000))
				require.NoError(t, err)
				require.NotNil(t, tl.Exhausted)
				assert.Equal(t, want.MaxNodes, tl.Exhausted.Nodes, "%v", tl.Exhausted)
				assert.Equal(t, want.Limit, tl.Exhausted.Limit, "%v", tl.Exhausted)
				assert.Equal(t, "user", tl.Exhausted.Pool)

				up := capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpUpgrade, Pool: "user"}}}
				c.KubernetesVersion = "1.34.2" // no fallback to a smaller surge
				c.Pools[1].Count = want.MaxNodesWithSurge
				tl, err = capacity.Simulate(ctx, c, up)
				require.NoError(t, err)
				assert.Nil(t, tl.Exhausted, "upgrade at MaxNodesWithSurge %d", want.MaxNodesWithSurge)
				if want.MaxNodesWithSurge+1 <= want.MaxNodes {
					c.Pools[1].Count = want.MaxNodesWithSurge + 1
					tl, err = capacity.Simulate(ctx, c, up)
					require.NoError(t, err)
					require.NotNil(t, tl.Exhausted, "upgrade at MaxNodesWithSurge+1 = %d", want.MaxNodesWithSurge+1)
					assert.Equal(t, want.SurgeLimit, tl.Exhausted.Limit)
				}
			})
		}
	}
}

func TestSimulateDynamicStrandsBatches(t *testing.T) {
	// Nine pods per node: CNS holds 16 × ceil(0.5 + 9/16) = 32, so 23 of
	// each node's addresses are stranded; a /24 pod subnet (251) holds 7.
	c := podSubnet(modes.AzureCNIPodSubnet, "10.240.0.0/22", "10.240.4.0/24", capacity.Pool{Count: 1, PodsPerNode: 9})
	tl, err := capacity.Simulate(context.Background(), c, capacity.ScaleOut("p", 100))
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted)
	// The eighth node asks CNS for its 32 with 251 − 224 = 27 free.
	assert.Equal(t, capacity.Exhaustion{Step: 0, Pool: "p", Nodes: 7, Space: "pods", Limit: capacity.LimitPodSubnet,
		Code: capacity.CodeSubnetIsFull, CIDR: "10.240.4.0/24", Requested: 32}, *tl.Exhausted)
	pods := tl.Steps[0].Spaces[1]
	assert.Equal(t, "pods", pods.Name)
	assert.Equal(t, 7*32, pods.Used, "7 nodes × 32 held for 63 pods")
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 7, r.Pools[0].MaxNodes, "the closed form agrees at a steady 9 pods")
}

func TestSimulateDynamicChurn(t *testing.T) {
	// Two nodes at 9 pods hold 32 each. Churn to 20 pods: while old and new
	// pods overlap a node needs 29 (target 48), then settles back to 32.
	// Nodes churn one after the other, so the subnet peaks at 48 + 32.
	c := podSubnet(modes.AzureCNIPodSubnet, "10.240.0.0/22", "10.240.4.0/24", capacity.Pool{Count: 2, PodsPerNode: 9})
	sc := capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpChurn, Pool: "p"}}, PodsPerNode: fixed(20)}
	tl, err := capacity.Simulate(context.Background(), c, sc)
	require.NoError(t, err)
	require.Nil(t, tl.Exhausted)
	pods := tl.Steps[0].Spaces[1]
	assert.Equal(t, 48+32, pods.Peak)
	assert.Equal(t, 2*32, pods.Used)
}

// fixed is a distribution that always returns v.
type fixed float64

func (f fixed) Rand() float64 { return float64(f) }

func TestSimulateCalicoBorrows(t *testing.T) {
	// A /24 Calico pool has four /26 blocks. At 40 pods per node each node
	// claims one block (the closed form's 4 nodes); then nodes borrow the
	// free addresses of others' blocks, until 6 × 40 = 240 of 256 are used.
	c := capacity.Cluster{
		Mode:    modes.BYOCNICalico,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/24")},
		CNIPool: []netipPrefix{pfx("192.168.0.0/24")},
		Pools:   []capacity.Pool{{Name: "p", Count: 1, PodsPerNode: 40}},
	}
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 4, r.Pools[0].MaxNodes)
	ex := exhausted(t, c, "p", 50)
	assert.Equal(t, 6, ex.Nodes)
	assert.Equal(t, capacity.LimitCNIPool, ex.Limit)
	assert.Equal(t, "cni-pool", ex.Space)

	// Scaling in gives the blocks back: a block is released when empty.
	sc := capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpScale, Pool: "p", Nodes: 6}, {Op: capacity.OpScale, Pool: "p", Nodes: 0}}}
	tl, err := capacity.Simulate(context.Background(), c, sc)
	require.NoError(t, err)
	require.Nil(t, tl.Exhausted)
	assert.Equal(t, 256, tl.Steps[0].Spaces[1].Used, "four blocks")
	assert.Equal(t, 0, tl.Steps[1].Spaces[1].Used)
}

func TestSimulateUpgradeNeedsSurgeRoom(t *testing.T) {
	// Kubenet in a /27 (27 usable): 25 nodes upgrading with 10% surge ask
	// for 3 surge nodes in one request, and 2 addresses are free: the
	// request fails as a whole.
	c := oneSubnet(modes.Kubenet, "10.240.0.0/27", capacity.Pool{Count: 25})
	c.KubernetesVersion = "1.34.2" // before the fallback to a smaller surge
	tl, err := capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpUpgrade, Pool: "nodes"}}})
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted)
	assert.Equal(t, capacity.Exhaustion{Step: 0, Pool: "nodes", Nodes: 25, Space: "nodes", Limit: capacity.LimitNodeSubnet,
		Code: capacity.CodeSubnetIsFull, CIDR: "10.240.0.0/27", Requested: 3}, *tl.Exhausted)
	assert.Equal(t, "SubnetIsFull: Subnet nodes with address prefix 10.240.0.0/27 does not have enough capacity for 3 IP addresses", tl.Exhausted.String())
	assert.Equal(t, 25, tl.Steps[0].Spaces[0].Peak)
	// With a surge of 2 it fits, peaks at 27 and ends where it began.
	c.Pools[0].MaxSurge = capacity.SurgeNodes(2)
	tl, err = capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpUpgrade, Pool: "nodes"}}})
	require.NoError(t, err)
	require.Nil(t, tl.Exhausted)
	assert.Equal(t, 27, tl.Steps[0].Spaces[0].Peak)
	assert.Equal(t, 25, tl.Steps[0].Spaces[0].Used)
	assert.Equal(t, []int{25}, tl.Steps[0].Nodes)
}

func TestSimulateScaleInReleases(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 2})
	sc := capacity.Scenario{Steps: []capacity.Step{
		{Op: capacity.OpScale, Pool: "nodes", Nodes: 20},
		{Op: capacity.OpScale, Pool: "nodes", Nodes: 3},
		{Op: capacity.OpGrow, Pool: "nodes", Nodes: 40},
	}, Seed: 7}
	tl, err := capacity.Simulate(context.Background(), c, sc)
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted)
	assert.Equal(t, 20*31, tl.Steps[0].Spaces[0].Used)
	assert.Equal(t, 3*31, tl.Steps[1].Spaces[0].Used)
	assert.Equal(t, 1019-3*31, tl.Steps[1].Spaces[0].Free)
	assert.Equal(t, 32, tl.Exhausted.Nodes, "1,019 / 31 = 32 after scale-in freed the addresses")

	// As one scale to 40, the 37 new nodes ask for 37 × 31 = 1,147 of the
	// 926 free: the request fails as a whole at 3 nodes.
	sc.Steps[2].Op = capacity.OpScale
	tl, err = capacity.Simulate(context.Background(), c, sc)
	require.NoError(t, err)
	assert.Equal(t, [2]int{3, 1147}, [2]int{tl.Exhausted.Nodes, tl.Exhausted.Requested})
}

func TestSimulateAddPoolAndCreate(t *testing.T) {
	c := capacity.Cluster{
		Mode:    modes.AzureCNIOverlay,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/24")},
		Pools:   []capacity.Pool{{Name: "a", Count: 3}, {Name: "b", Count: 5}},
	}
	tl, err := capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{
		{Op: capacity.OpScale, Pool: "a", Nodes: 4}, {Op: capacity.OpAddPool, Pool: "b"}}})
	require.NoError(t, err)
	assert.Equal(t, []int{4, 0}, tl.Steps[0].Nodes, "b starts absent")
	assert.Equal(t, []int{4, 5}, tl.Steps[1].Nodes)

	tl, err = capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpCreate}}})
	require.NoError(t, err)
	assert.Equal(t, []int{3, 5}, tl.Steps[0].Nodes)
	assert.Equal(t, 8, tl.Steps[0].Spaces[0].Used)

	// The cluster as given does not fit: step −1.
	c.Pools[1].Count = 300
	tl, err = capacity.Simulate(context.Background(), c, capacity.Scenario{})
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted)
	assert.Equal(t, -1, tl.Exhausted.Step)
	assert.Empty(t, tl.Steps)
}

func TestSimulateDeterministic(t *testing.T) {
	c := podSubnet(modes.AzureCNIPodSubnet, "10.240.0.0/20", "10.241.0.0/18", capacity.Pool{Count: 10})
	run := func(seed uint64) *capacity.Timeline {
		sc := capacity.Scenario{Steps: []capacity.Step{
			{Op: capacity.OpScale, Pool: "p", Nodes: 200}, {Op: capacity.OpScale, Pool: "p", Nodes: 50},
			{Op: capacity.OpChurn, Pool: "p"}, {Op: capacity.OpUpgrade, Pool: "p"}, {Op: capacity.OpScale, Pool: "p", Nodes: 1000},
		}, PodsPerNode: distuv.Normal{Mu: 40, Sigma: 25, Src: rand.NewPCG(seed, 1)}, Seed: seed}
		tl, err := capacity.Simulate(context.Background(), c, sc)
		require.NoError(t, err)
		return tl
	}
	a, b := run(1), run(1)
	assert.Equal(t, a, b)
	require.NotNil(t, a.Exhausted)
	assert.NotEqual(t, a.Steps, run(2).Steps, "another seed, another timeline")
}

func TestSimulateErrors(t *testing.T) {
	c := oneSubnet(modes.Kubenet, "10.240.0.0/24", capacity.Pool{Count: 3})
	_, err := capacity.Simulate(context.Background(), c, capacity.ScaleOut("nope", 10))
	var se *capacity.StepError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, capacity.StepError{Index: 0, Field: "Steps[0].Pool", Value: `"nope"`, Reason: `want one of the cluster's pools: "nodes"`}, *se)
	assert.EqualError(t, err, `capacity: Steps[0].Pool "nope": want one of the cluster's pools: "nodes"`)
	_, err = capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpScale, Pool: "nodes"}, {Op: capacity.OpCreate}}})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "Steps[1].Op", se.Field)
	assert.Equal(t, 1, se.Index)
	_, err = capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpScale, Pool: "nodes", Nodes: -2}}})
	require.ErrorAs(t, err, &se)
	assert.EqualError(t, err, "capacity: Steps[0].Nodes -2: want a node count of 0 or more")
	_, err = capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpScale, Pool: "nodes"}, {Op: 99, Pool: "nodes"}}})
	require.ErrorAs(t, err, &se)
	assert.EqualError(t, err, "capacity: Steps[1].Op 99: want create, scale, upgrade, add-pool, churn, autoscale, migrate, expand-pod-cidr or grow")
	var ve *capacity.ValidationError
	assert.False(t, errors.As(err, &ve), "a bad step is not an invalid cluster")
	bad := c
	bad.Pools = nil
	_, err = capacity.Simulate(context.Background(), bad, capacity.Scenario{})
	require.ErrorAs(t, err, &ve)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = capacity.Simulate(ctx, c, capacity.ScaleOut("nodes", 100))
	assert.True(t, errors.Is(err, context.Canceled))
}

// TestSimulateHugeReserved: others' addresses are taken as ranges and
// counted in Used. A /16 holds 2^16 − 5 = 65,531 usable; 60,000 reserved and
// 3 nodes leave 5,528. A /2 (2^30 − 5 = 1,073,741,819 usable, a sparse
// allocator) with 65,000 reserved and 3 nodes leaves 1,073,676,816.
func TestSimulateHugeReserved(t *testing.T) {
	for _, tt := range []struct {
		prefix         string
		reserved, free int
	}{{"10.0.0.0/16", 60_000, 5_528}, {"64.0.0.0/2", 65_000, 1_073_676_816}} {
		c := oneSubnet(modes.AzureCNIOverlay, tt.prefix, capacity.Pool{Count: 3})
		c.ServiceCIDRs, c.DNSServiceIP = []netipPrefix{pfx("10.1.0.0/16")}, netipAddr("10.1.0.10")
		c.Subnets[0].Reserved = tt.reserved
		tl, err := capacity.Simulate(context.Background(), c, capacity.ScaleOut("nodes", 3))
		require.NoError(t, err)
		require.Nil(t, tl.Exhausted)
		sp := tl.Steps[0].Spaces[0]
		assert.Equal(t, tt.reserved+3, sp.Used, tt.prefix)
		assert.Equal(t, tt.free, sp.Free, tt.prefix)
	}
}

// TestSimulateCancelledBeforeSetup: a cancelled ctx stops Simulate and
// Forecast before they build allocators, even with no step to run.
func TestSimulateCancelledBeforeSetup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/22", capacity.Pool{Count: 3})
	_, err := capacity.Simulate(ctx, c, capacity.Scenario{})
	require.ErrorIs(t, err, context.Canceled)
	_, err = capacity.Forecast(ctx, c, "nodes", capacity.ForecastOptions{Trials: 1})
	require.ErrorIs(t, err, context.Canceled)
}
