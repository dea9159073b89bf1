package capacity_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kubenetCluster is a kubenet cluster of nodes nodes on a pod CIDR of
// podCIDR (a /16 holds 256 per-node /24s).
func kubenetCluster(nodes int, podCIDR string) capacity.Cluster {
	c := oneSubnet(modes.Kubenet, "10.240.0.0/22", capacity.Pool{Count: nodes})
	c.PodCIDRs = []netipPrefix{pfx(podCIDR)}
	return c
}

var toOverlay = capacity.Step{Op: capacity.OpMigrate, To: modes.AzureCNIOverlay}

// Overlay gives every node a /24 of its pod CIDR, as kubenet does: a
// kubenet /16 kept serves 256 nodes.
func TestMigrateKubenetPodCIDR(t *testing.T) {
	const iss = "InsufficientSubnetSize: Pre-allocated IPs "
	onto16 := toOverlay
	onto16.PodCIDRs = []netipPrefix{pfx("10.250.0.0/16")}
	// 300 kubenet nodes on a /15, migrating onto a new /16, with 10% buffer
	// nodes (30) reimaged at once: 330 × 256.
	v := check(t, kubenetCluster(300, "10.244.0.0/15"), onto16)
	require.NotNil(t, v.Refusal)
	assert.EqualError(t, v.Refusal, iss+"84480 exceeds IPs available 65536 in Subnet Cidr 10.250.0.0/16, Subnet Name networkProfile.podCIDR")
	// Without buffer nodes still 300 × 256 = 76,800.
	c := kubenetCluster(300, "10.244.0.0/15")
	c.MigrationSurge = capacity.MigrationSurgeNone
	v = check(t, c, onto16)
	require.NotNil(t, v.Refusal)
	assert.Equal(t, 76800, v.Refusal.Required)
	// Kept, the /15 holds them.
	assert.Equal(t, &capacity.Verdict{}, check(t, kubenetCluster(300, "10.244.0.0/15"), toOverlay))

	// 250 nodes keeping a /16 fit without buffer nodes (64,000) but not
	// with them (275 × 256 = 70,400).
	c = kubenetCluster(250, "10.244.0.0/16")
	assert.Equal(t, 70400, check(t, c, toOverlay).Refusal.Required)
	c.MigrationSurge = capacity.MigrationSurgeNone
	assert.Equal(t, &capacity.Verdict{}, check(t, c, toOverlay))
	assert.Equal(t, &capacity.Verdict{}, check(t, kubenetCluster(200, "10.244.0.0/16"), toOverlay), "220 × 256 = 56,320")
}

// Eight Azure CNI nodes at 30 pods hold 248 of a /24's 251 with 3 held by
// others. AKS admits Overlay (9 node addresses with the buffer node), but
// the buffer node comes while the old nodes still hold their 31: none is
// free.
func TestMigrateAzureCNIBufferNodeFails(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 8})
	c.Subnets[0].Reserved = 3
	v := check(t, c, toOverlay)
	require.NotNil(t, v.Refusal, "Azure CNI has no pod CIDR to keep")
	assert.Contains(t, v.Refusal.Error(), "give the Overlay pod CIDR")

	step := toOverlay
	step.PodCIDRs = []netipPrefix{pfx("10.244.0.0/16")}
	v = check(t, c, step)
	assert.Nil(t, v.Refusal)
	require.NotNil(t, v.Failure)
	assert.Equal(t, capacity.Exhaustion{Step: 0, Pool: "nodes", Nodes: 8, Space: "nodes", Limit: capacity.LimitNodeSubnet,
		Code: capacity.CodeSubnetIsFull, CIDR: "10.240.0.0/24", Requested: 1}, *v.Failure)
	c.Subnets[0].Reserved = 2
	assert.Equal(t, &capacity.Verdict{}, check(t, c, step), "one address left for the buffer node")
}

func TestMigrateRefusals(t *testing.T) {
	pods := []netipPrefix{pfx("10.244.0.0/16")}
	cni := oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 3})
	cniPolicy := cni
	cniPolicy.Policy = modes.PolicyAzure
	calico := kubenetCluster(3, "10.244.0.0/16")
	calico.Policy = modes.PolicyCalico
	old := kubenetCluster(3, "10.244.0.0/16")
	old.KubernetesVersion = "1.26.3"
	overlay := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", capacity.Pool{Count: 3})
	for _, tt := range []struct {
		name string
		c    capacity.Cluster
		step capacity.Step
		code string
		want string
	}{
		{"to Azure CNI", kubenetCluster(3, "10.244.0.0/16"), capacity.Step{Op: capacity.OpMigrate, To: modes.AzureCNI}, capacity.CodeUnsupportedPluginMode, "forward only"},
		{"from Overlay", overlay, toOverlay, capacity.CodeUnsupportedPluginMode, "not azure-cni-overlay to azure-cni-overlay"},
		{"Azure CNI with policy", cniPolicy, capacity.Step{Op: capacity.OpMigrate, To: modes.AzureCNIOverlay, PodCIDRs: pods}, capacity.CodeValidationError,
			"Cannot update cluster to Azure CNI Overlay while using network policies with Azure CNI v1."},
		{"kubenet with Calico", calico, toOverlay, "", "network policy calico: uninstall it"},
		{"Kubernetes 1.26", old, toOverlay, "", "needs 1.27 or later"},
		{"pod CIDR in the VNet", cni, capacity.Step{Op: capacity.OpMigrate, To: modes.AzureCNIOverlay, PodCIDRs: []netipPrefix{pfx("10.240.0.0/16")}},
			capacity.CodeNetworkProfileCIDROverlapVNET, "overlaps"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := check(t, tt.c, tt.step)
			require.NotNil(t, v.Refusal)
			assert.Equal(t, tt.code, v.Refusal.Code)
			assert.Contains(t, v.Refusal.Error(), tt.want)
			assert.Equal(t, v.Refusal, capacity.Preflight(tt.c, tt.step))
		})
	}
}

// W17: an Overlay /18 holds 64 per-node /24s; widened to a /16, 256.
func TestExpandPodCIDR(t *testing.T) {
	c := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/22", capacity.Pool{Count: 60})
	c.PodCIDRs = []netipPrefix{pfx("10.244.0.0/18")}
	expand := capacity.Step{Op: capacity.OpExpandPodCIDR, PodCIDRs: []netipPrefix{pfx("10.244.0.0/16")}}
	assert.Equal(t, &capacity.Verdict{}, check(t, c, expand))

	ctx := context.Background()
	tl, err := capacity.Simulate(ctx, c, capacity.ScaleOut("nodes", 100))
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted)
	assert.Equal(t, [2]any{64, capacity.LimitPodCIDR}, [2]any{tl.Exhausted.Nodes, tl.Exhausted.Limit})
	tl, err = capacity.Simulate(ctx, c, capacity.Scenario{Steps: []capacity.Step{expand, {Op: capacity.OpScale, Pool: "nodes", Nodes: 256}}})
	require.NoError(t, err)
	assert.Nil(t, tl.Exhausted)
	assert.Equal(t, 256*256, tl.Steps[1].Spaces[1].Used, "256 nodes' /24s")
	assert.Zero(t, tl.Steps[1].Spaces[1].Free)

	for name, tt := range map[string]struct {
		c    func(capacity.Cluster) capacity.Cluster
		wide string
		want string
	}{
		"not a superset": {func(c capacity.Cluster) capacity.Cluster { return c }, "10.245.0.0/16", "must contain the one in force"},
		"narrower":       {func(c capacity.Cluster) capacity.Cluster { return c }, "10.244.0.0/19", "must contain the one in force"},
		"kubenet": {func(c capacity.Cluster) capacity.Cluster { c.Mode = modes.Kubenet; return c }, "10.244.0.0/16",
			"only Azure CNI Overlay"},
		"windows": {func(c capacity.Cluster) capacity.Cluster {
			c.Pools = append(c.Pools, capacity.Pool{Name: "win", OS: modes.Windows, Count: 3})
			return c
		}, "10.244.0.0/16", "runs Windows"},
	} {
		t.Run(name, func(t *testing.T) {
			v := check(t, tt.c(c), capacity.Step{Op: capacity.OpExpandPodCIDR, PodCIDRs: []netipPrefix{pfx(tt.wide)}})
			require.NotNil(t, v.Refusal)
			assert.Contains(t, v.Refusal.Error(), tt.want)
		})
	}
}

func TestMigrateBadSteps(t *testing.T) {
	c := kubenetCluster(3, "10.244.0.0/16")
	for _, tt := range []struct {
		step  capacity.Step
		field string
	}{
		{capacity.Step{Op: capacity.OpMigrate}, "Step.To"},
		{capacity.Step{Op: capacity.OpMigrate, To: modes.AzureCNIOverlay, Pool: "nodes"}, "Step.Pool"},
		{capacity.Step{Op: capacity.OpExpandPodCIDR}, "Step.PodCIDRs"},
		{capacity.Step{Op: capacity.OpMigrate, To: modes.AzureCNIOverlay, PodCIDRs: []netipPrefix{pfx("fd00::/64")}}, "Step.PodCIDRs[0]"},
	} {
		_, err := capacity.Check(c, tt.step)
		var se *capacity.StepError
		require.ErrorAs(t, err, &se, "%+v", tt.step)
		assert.Equal(t, tt.field, se.Field)
	}
	_, err := capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{toOverlay}})
	var se *capacity.StepError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, se.Reason, "Check answers it")
}

// Migrated is the cluster after the change: its capacity is Analyze's.
func TestMigrated(t *testing.T) {
	// 300 kubenet nodes on a /15 (512 /24s) onto a /16: 256 Overlay nodes
	// fit, 232 with the 10% surge (232 + 24 = 256).
	c := kubenetCluster(300, "10.244.0.0/15")
	onto16 := toOverlay
	onto16.PodCIDRs = []netipPrefix{pfx("10.250.0.0/16")}
	after, err := capacity.Migrated(c, onto16)
	require.NoError(t, err)
	assert.Equal(t, modes.AzureCNIOverlay, after.Mode)
	assert.Equal(t, []netipPrefix{pfx("10.250.0.0/16")}, after.PodCIDRs)
	r, err := capacity.Analyze(after)
	require.NoError(t, err)
	assert.Equal(t, [3]any{256, 232, capacity.LimitPodCIDR}, [3]any{r.Pools[0].MaxNodes, r.Pools[0].MaxNodesWithSurge, r.Pools[0].Limit})
	assert.Equal(t, modes.Kubenet, c.Mode, "the cluster given is unchanged")

	// Kept, the /15: 512 nodes.
	after, err = capacity.Migrated(c, toOverlay)
	require.NoError(t, err)
	assert.Equal(t, []netipPrefix{pfx("10.244.0.0/15")}, after.PodCIDRs)
	r, err = capacity.Analyze(after)
	require.NoError(t, err)
	assert.Equal(t, 512, r.Pools[0].MaxNodes)

	// Refusals whatever the capacity, and steps of another kind.
	c.Policy = modes.PolicyCalico
	_, err = capacity.Migrated(c, toOverlay)
	var ae *capacity.AdmissionError
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.Reason, "network policy calico")
	var se *capacity.StepError
	_, err = capacity.Migrated(kubenetCluster(3, "10.244.0.0/16"), capacity.Step{Op: capacity.OpCreate})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "Step.Op", se.Field)
	_, err = capacity.Migrated(kubenetCluster(3, "10.244.0.0/16"), capacity.Step{Op: capacity.OpMigrate})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "Step.To", se.Field)
}

// A kubenet cluster planned on Azure CNI keeps its subnets and pools but
// not its pod CIDR: 1,019 usable addresses of a /22 at 31 a node (maxPods
// 30 + the node IP) hold 32 nodes, 3 of them the system pool's.
func TestInMode(t *testing.T) {
	c := capacity.Cluster{
		Mode:     modes.Kubenet,
		Subnets:  []capacity.Subnet{subnet("nodes", "10.240.0.0/22")},
		PodCIDRs: []netip.Prefix{pfx("10.244.0.0/16")},
		Pools: []capacity.Pool{
			{Name: "system", Count: 3, NodeSubnet: "nodes", MaxPods: 30},
			{Name: "user", Count: 10, NodeSubnet: "nodes", MaxPods: 30},
		},
	}
	require.NoError(t, c.Validate())
	in, dropped := c.InMode(modes.AzureCNI)
	assert.Empty(t, dropped)
	assert.Empty(t, in.PodCIDRs)
	assert.Equal(t, modes.Kubenet, c.Mode, "c is left as it was")
	assert.Len(t, c.PodCIDRs, 1)
	r, err := capacity.Analyze(in)
	require.NoError(t, err)
	assert.Equal(t, 29, r.Pools[1].MaxNodes) // 32 − 3
	assert.Equal(t, capacity.LimitNodeSubnet, r.Pools[1].Limit)

	// Back to Overlay: the default pod CIDR, no pod subnet; a Windows pool
	// is left out of kubenet, which runs none.
	c.Mode = modes.AzureCNIOverlay
	c.PodCIDRs = nil
	c.Pools = append(c.Pools, capacity.Pool{Name: "win", OS: modes.Windows, Count: 2, NodeSubnet: "nodes", MaxPods: 30})
	require.NoError(t, c.Validate())
	in, dropped = c.InMode(modes.Kubenet)
	assert.Equal(t, []string{"win"}, dropped)
	assert.Len(t, in.Pools, 2)
	require.NoError(t, in.Validate())
	assert.Len(t, c.Pools, 3, "c keeps its pools")

	// A pool at its mode's default maxPods keeps that default: kubenet's
	// 110, not Azure CNI's 30.
	c = capacity.Cluster{Mode: modes.Kubenet, Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/20")},
		Pools: []capacity.Pool{{Name: "system", Count: 3, NodeSubnet: "nodes"}}}
	in, _ = c.InMode(modes.AzureCNI)
	assert.Equal(t, 110, in.Pools[0].MaxPods)
	assert.Equal(t, 0, c.Pools[0].MaxPods, "c keeps its pools")

	// A migration keeps it too: maxPods is fixed when a pool is created.
	k := kubenetCluster(10, "10.244.0.0/16")
	after, err := capacity.Migrated(k, toOverlay)
	require.NoError(t, err)
	assert.Equal(t, 110, after.Pools[0].MaxPods, "kubenet's default, not Overlay's 250")
	assert.Equal(t, 0, k.Pools[0].MaxPods)
}
