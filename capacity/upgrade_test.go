package capacity_test

import (
	"context"
	"math"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// W7: five pools of four nodes at 50% surge need 2 surge nodes each: 10
// summed, 2 at a time when the pools upgrade one after another.
func fivePools(prefix string) capacity.Cluster {
	c := capacity.Cluster{Mode: modes.AzureCNIOverlay, Subnets: []capacity.Subnet{subnet("nodes", prefix)}}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		c.Pools = append(c.Pools, capacity.Pool{Name: name, Count: 4, MaxSurge: capacity.SurgePercent(50)})
	}
	return c
}

func TestClusterUpgrade(t *testing.T) {
	all := capacity.Step{Op: capacity.OpUpgrade} // az aks upgrade: every pool
	c := fivePools("10.240.0.0/27")              // 27 usable
	v := check(t, c, all)
	require.NotNil(t, v.Refusal, "20 nodes + 10 surge = 30 > 27")
	assert.EqualError(t, v.Refusal, "InsufficientSubnetSize: Pre-allocated IPs 30 exceeds IPs available 27 in Subnet Cidr 10.240.0.0/27, Subnet Name nodes")

	c.ClusterUpgradeSurge = capacity.UpgradeSurgeOnePool
	assert.Equal(t, &capacity.Verdict{}, check(t, c, all), "20 + 2 = 22 ≤ 27")
	tl, err := capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{all}})
	require.NoError(t, err)
	require.Nil(t, tl.Exhausted)
	assert.Equal(t, 22, tl.Steps[0].Spaces[0].Peak, "one pool's surge at a time")
	assert.Equal(t, []int{4, 4, 4, 4, 4}, tl.Steps[0].Nodes)

	// One pool's upgrade counts its own surge beside every pool: 22.
	c.ClusterUpgradeSurge = capacity.UpgradeSurgeSum
	assert.Nil(t, check(t, c, capacity.Step{Op: capacity.OpUpgrade, Pool: "c"}).Refusal)

	// Recommend sizes for the sum: 30 + 5 → /26; for one pool: 22 + 5 → /27.
	r, err := capacity.Recommend(fivePools("10.240.0.0/24"))
	require.NoError(t, err)
	assert.Equal(t, capacity.SpaceSize{Name: "nodes", Source: modes.NodeSubnet, Required: 30, Bits: 26}, r.Spaces[0])
	one := fivePools("10.240.0.0/24")
	one.ClusterUpgradeSurge = capacity.UpgradeSurgeOnePool
	r, err = capacity.Recommend(one)
	require.NoError(t, err)
	assert.Equal(t, capacity.SpaceSize{Name: "nodes", Source: modes.NodeSubnet, Required: 22, Bits: 27}, r.Spaces[0])
}

// A full /28 (11 usable) of 11 kubenet nodes has no room for a surge node.
func fullPool(p capacity.Pool) capacity.Cluster {
	p.Count = 11
	c := oneSubnet(modes.Kubenet, "10.240.0.0/28", p)
	c.KubernetesVersion = "1.34.2"
	return c
}

func TestMaxUnavailable(t *testing.T) {
	up := capacity.Step{Op: capacity.OpUpgrade, Pool: "nodes"}
	v := check(t, fullPool(capacity.Pool{}), up)
	require.NotNil(t, v.Refusal, "10% of 11 rounds up to 1: 12 > 11")

	// maxSurge 0, maxUnavailable 2: nodes drain in place, two at a time.
	c := fullPool(capacity.Pool{MaxSurge: capacity.SurgeNodes(0), MaxUnavailable: capacity.SurgeNodes(2)})
	assert.Equal(t, &capacity.Verdict{}, check(t, c, up))
	tl, err := capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{up}})
	require.NoError(t, err)
	require.Nil(t, tl.Exhausted)
	assert.Equal(t, 11, tl.Steps[0].Spaces[0].Peak)

	// A percentage rounds up: 10% of 11 is 2; the last round takes the one left.
	assert.Equal(t, 2, capacity.SurgePercent(10).Nodes(11))

	// A Spot pool gets no surge node: it upgrades in place, one at a time.
	spot := fullPool(capacity.Pool{Spot: true})
	assert.Equal(t, &capacity.Verdict{}, check(t, spot, up))
	r, err := capacity.Analyze(spot)
	require.NoError(t, err)
	assert.Equal(t, 0, r.Pools[0].SurgeNodes)
	assert.Equal(t, r.Pools[0].MaxNodes, r.Pools[0].MaxNodesWithSurge)
}

func TestUpgradeSettingsValidate(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pool  capacity.Pool
		field string
	}{
		{"system pool", capacity.Pool{Mode: capacity.PoolSystem, MaxUnavailable: capacity.SurgeNodes(1)}, "Pools[0].MaxUnavailable"},
		{"nothing to upgrade with", capacity.Pool{MaxSurge: capacity.SurgeNodes(0)}, "Pools[0].MaxSurge"},
		{"over 100%", capacity.Pool{MaxUnavailable: capacity.SurgePercent(120)}, "Pools[0].MaxUnavailable"},
		{"negative", capacity.Pool{MaxUnavailable: capacity.SurgeNodes(-1)}, "Pools[0].MaxUnavailable"},
		{"unknown mode", capacity.Pool{Mode: 7}, "Pools[0].Mode"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ve *capacity.ValidationError
			require.ErrorAs(t, fullPool(tt.pool).Validate(), &ve)
			assert.True(t, ve.HasField(tt.field), "%v", ve)
		})
	}
	c := fullPool(capacity.Pool{})
	c.KubernetesVersion = "latest"
	var ve *capacity.ValidationError
	require.ErrorAs(t, c.Validate(), &ve)
	assert.True(t, ve.HasField("KubernetesVersion"), "%v", ve)
	// A system pool may surge, and a Spot pool needs neither setting.
	require.NoError(t, fullPool(capacity.Pool{Mode: capacity.PoolSystem, MaxSurge: capacity.SurgeNodes(1)}).Validate())
	require.NoError(t, fullPool(capacity.Pool{Spot: true, MaxSurge: capacity.SurgeNodes(0)}).Validate())
}

// From Kubernetes 1.35 a surge that does not fit falls back to 1, then,
// with maxUnavailable set, to draining in place. Admission counts the full
// surge, so it is others' addresses that make it not fit.
func TestSurgeFallback(t *testing.T) {
	up := capacity.Step{Op: capacity.OpUpgrade, Pool: "nodes"}
	// 23 kubenet nodes in a /27 (27 usable): a 10% surge asks for 3; AKS
	// counts 26, but with 2 addresses held by others only 2 are free.
	c := oneSubnet(modes.Kubenet, "10.240.0.0/27", capacity.Pool{Count: 23})
	c.Subnets[0].Reserved = 2
	c.KubernetesVersion = "1.35.0"
	v := check(t, c, up)
	assert.Nil(t, v.Refusal)
	assert.Nil(t, v.Failure)
	want := capacity.SurgeFallback{Step: 0, Pool: "nodes", Nodes: 23, From: 3, To: 1}
	assert.Equal(t, []capacity.SurgeFallback{want}, v.Fallbacks)
	assert.Equal(t, "ok with a smaller surge: pool nodes's surge of 3 nodes does not fit at 23 nodes; the upgrade falls back to a surge of 1", v.String())

	// Before 1.35 the same upgrade fails.
	c.KubernetesVersion = "1.34.9"
	v = check(t, c, up)
	require.NotNil(t, v.Failure)
	assert.Equal(t, 3, v.Failure.Requested)
	assert.Empty(t, v.Fallbacks)

	// With 4 held by others nothing is free: a surge of 1 fails too, and
	// maxUnavailable 1 drains the nodes in place instead.
	c.KubernetesVersion = ""
	c.Subnets[0].Reserved = 4
	c.Pools[0].MaxUnavailable = capacity.SurgeNodes(1)
	v = check(t, c, up)
	assert.Nil(t, v.Failure)
	assert.Equal(t, []capacity.SurgeFallback{{Step: 0, Pool: "nodes", Nodes: 23, From: 3, To: 0}}, v.Fallbacks)
	// Without maxUnavailable there is nowhere to fall back to.
	c.Pools[0].MaxUnavailable = capacity.Surge{}
	v = check(t, c, up)
	require.NotNil(t, v.Failure)
	assert.Equal(t, 1, v.Failure.Requested, "the fallback's surge of 1 fails")
}

// A system pool runs Linux, holds a node and is not Spot [SYS].
func TestSystemPoolRules(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pool  capacity.Pool
		field string
	}{
		{"windows", capacity.Pool{Mode: capacity.PoolSystem, OS: modes.Windows, Count: 3}, "Pools[0].OS"},
		{"spot", capacity.Pool{Mode: capacity.PoolSystem, Spot: true, Count: 3}, "Pools[0].Spot"},
		{"empty", capacity.Pool{Mode: capacity.PoolSystem, Count: 0}, "Pools[0].Count"},
		{"autoscaled to 0", capacity.Pool{Mode: capacity.PoolSystem, Count: 1, MinCount: 0, MaxCount: 3}, "Pools[0].MinCount"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", tt.pool)
			var ve *capacity.ValidationError
			require.ErrorAs(t, c.Validate(), &ve)
			assert.True(t, ve.HasField(tt.field), "%v", ve)
		})
	}
	// A negative count, or one outside the autoscaler's min–max, is one
	// problem, not a second as a system pool's.
	for _, p := range []capacity.Pool{{Mode: capacity.PoolSystem, Count: -3}, {Mode: capacity.PoolSystem, Count: 0, MinCount: 1, MaxCount: 3}} {
		var ve *capacity.ValidationError
		require.ErrorAs(t, oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", p).Validate(), &ve)
		assert.Len(t, ve.Problems, 1, "%v", ve)
	}

	c := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", capacity.Pool{Mode: capacity.PoolSystem, Count: 3})
	v := check(t, c, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 0})
	require.NotNil(t, v.Refusal)
	assert.EqualError(t, v.Refusal, "scale of pool nodes: a system node pool must keep at least one node")
	assert.Equal(t, &capacity.Verdict{}, check(t, c, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 1}))
}

// Validate refuses a negative or absurd maxSurge, in nodes or percent,
// as the cluster's default or a pool's; a valid one survives JSON.
func TestSurgeValidated(t *testing.T) {
	for _, tt := range []struct {
		name  string
		edit  func(*capacity.Cluster)
		field string
	}{
		{"negative default", func(c *capacity.Cluster) { c.DefaultMaxSurge = capacity.SurgeNodes(-1) }, "DefaultMaxSurge"},
		{"default over 100%", func(c *capacity.Cluster) { c.DefaultMaxSurge = capacity.SurgePercent(150) }, "DefaultMaxSurge"},
		{"absurd default", func(c *capacity.Cluster) { c.DefaultMaxSurge = capacity.SurgeNodes(math.MaxInt) }, "DefaultMaxSurge"},
		{"negative pool count", func(c *capacity.Cluster) { c.Pools[0].MaxSurge = capacity.SurgeNodes(-3) }, "Pools[0].MaxSurge"},
		{"negative pool percent", func(c *capacity.Cluster) { c.Pools[0].MaxSurge = capacity.SurgePercent(-10) }, "Pools[0].MaxSurge"},
		{"pool over 100%", func(c *capacity.Cluster) { c.Pools[0].MaxSurge = capacity.SurgePercent(101) }, "Pools[0].MaxSurge"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 4})
			tt.edit(&c)
			var ve *capacity.ValidationError
			require.ErrorAs(t, c.Validate(), &ve)
			assert.True(t, ve.HasField(tt.field), "%v", ve)
		})
	}
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 4, MaxSurge: capacity.SurgePercent(100)})
	c.DefaultMaxSurge = capacity.SurgeNodes(0)
	require.NoError(t, c.Validate())
	back, _ := roundTrip(t, c)
	assert.Equal(t, c, back)
}
