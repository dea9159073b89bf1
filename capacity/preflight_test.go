package capacity_test

import (
	"errors"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPreflightVerdicts(t *testing.T) {
	overlay22 := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", capacity.Pool{Count: 5})
	overlay22.PodCIDRs = []netipPrefix{pfx("10.241.100.0/22")}

	twoPools := capacity.Cluster{
		Mode:    modes.AzureCNI,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/24")},
		Pools:   []capacity.Pool{{Name: "a", Count: 4, MaxSurge: capacity.SurgeNodes(1)}, {Name: "b", Count: 3}},
	}
	tests := []struct {
		name string
		c    capacity.Cluster
		step capacity.Step
		want string // "" = accepted
	}{
		// W8: 10 nodes × 31 in a /24.
		{"W8", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 10}), capacity.Step{Op: capacity.OpCreate},
			"InsufficientSubnetSize: Pre-allocated IPs 310 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
		// W9: 3 nodes × 111 in a /24.
		{"W9", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 3, MaxPods: 110}), capacity.Step{Op: capacity.OpCreate},
			"InsufficientSubnetSize: Pre-allocated IPs 333 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
		// W10: 5 nodes × 256 in a /22 pod CIDR of 1,024.
		{"W10", overlay22, capacity.Step{Op: capacity.OpCreate},
			"InsufficientSubnetSize: Pre-allocated IPs 1280 exceeds IPs available 1024 in Subnet Cidr 10.241.100.0/22, Subnet Name podCIDR"},
		{"create fits", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 8}), capacity.Step{Op: capacity.OpCreate}, ""},
		// 7 nodes take 217 of 251: 34 free, one more node needs 31.
		{"scale by one", twoPools, capacity.Step{Op: capacity.OpScale, Pool: "a", Nodes: 5}, ""},
		{"scale by two", twoPools, capacity.Step{Op: capacity.OpScale, Pool: "a", Nodes: 6},
			"InsufficientSubnetSize: Pre-allocated IPs 62 exceeds IPs available 34 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
		{"scale in", twoPools, capacity.Step{Op: capacity.OpScale, Pool: "a", Nodes: 1}, ""},
		{"upgrade surge 1", twoPools, capacity.Step{Op: capacity.OpUpgrade, Pool: "a"}, ""},
		// Pool b's default surge is 10% of 3 = 1 node: fits too.
		{"upgrade default surge", twoPools, capacity.Step{Op: capacity.OpUpgrade, Pool: "b"}, ""},
		{"churn", twoPools, capacity.Step{Op: capacity.OpChurn, Pool: "b"}, ""},
		{"pool limit", oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/16", capacity.Pool{Count: 950, MaxSurge: capacity.SurgePercent(10)}),
			capacity.Step{Op: capacity.OpUpgrade, Pool: "nodes"},
			"capacity: upgrade of pool nodes needs 1045 nodes in the pool, more than AKS's per-pool limit of 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := capacity.Preflight(tt.c, tt.step)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var ae *capacity.AdmissionError
			require.ErrorAs(t, err, &ae)
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestPreflightAddPool(t *testing.T) {
	// An Azure CNI /23 (507 usable) with a system pool of 3 (93); adding a
	// user pool of 12 at 30 pods needs 372 of the 414 left, 14 would need 434.
	c := capacity.Cluster{
		Mode:    modes.AzureCNI,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/23")},
		Pools:   []capacity.Pool{{Name: "system", Count: 3}, {Name: "user", Count: 12}},
	}
	require.NoError(t, capacity.Preflight(c, capacity.Step{Op: capacity.OpAddPool, Pool: "user"}))
	c.Pools[1].Count = 14
	err := capacity.Preflight(c, capacity.Step{Op: capacity.OpAddPool, Pool: "user"})
	var ae *capacity.AdmissionError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, capacity.AdmissionError{Op: capacity.OpAddPool, Pool: "user", Code: "InsufficientSubnetSize",
		Limit: capacity.LimitNodeSubnet, Space: "nodes", CIDR: "10.240.0.0/23", Required: 434, Available: 414}, *ae)
}

func TestPreflightAutoscalerCountsMax(t *testing.T) {
	// "If Autoscaler is enabled, the max-count from each nodepool is counted."
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 2, MinCount: 1, MaxCount: 9})
	err := capacity.Preflight(c, capacity.Step{Op: capacity.OpCreate})
	assert.EqualError(t, err, "InsufficientSubnetSize: Pre-allocated IPs 279 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes")
}

func TestPreflightRouteTable(t *testing.T) {
	c := oneSubnet(modes.Kubenet, "10.240.0.0/16", capacity.Pool{Count: 395})
	c.PodCIDRs = []netipPrefix{pfx("100.64.0.0/12")}
	require.NoError(t, capacity.Preflight(c, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 400}))
	err := capacity.Preflight(c, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 401})
	var ae *capacity.AdmissionError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, capacity.LimitRouteTable, ae.Limit)
	assert.Equal(t, 6, ae.Required)
	assert.Equal(t, 5, ae.Available)
}

func TestPreflightBadStep(t *testing.T) {
	c := oneSubnet(modes.Kubenet, "10.240.0.0/24", capacity.Pool{Count: 3})
	var se *capacity.StepError
	err := capacity.Preflight(c, capacity.Step{Op: capacity.OpScale, Pool: "nope", Nodes: 3})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, capacity.StepError{Index: -1, Field: "Step.Pool", Value: `"nope"`, Reason: `want one of the cluster's pools: "nodes"`}, *se)
	require.ErrorAs(t, capacity.Preflight(c, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: -1}), &se)
	assert.Equal(t, "Step.Nodes", se.Field)
	assert.Equal(t, "-1", se.Value)
	err = capacity.Preflight(c, capacity.Step{Op: 99, Pool: "nodes"})
	require.ErrorAs(t, err, &se)
	assert.EqualError(t, err, "capacity: Step.Op 99: want one of create, scale, upgrade, add-pool, churn")
	var ve *capacity.ValidationError
	assert.False(t, errors.As(err, &ve), "a bad step is not an invalid cluster")
}

func TestRecommend(t *testing.T) {
	tests := []struct {
		name  string
		c     capacity.Cluster
		want  []capacity.SpaceSize
		notes int
	}{
		// W1: 50 nodes + 1 surge at 30 pods: 51 × 31 = 1,581 → /21.
		{"W1", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 50, MaxSurge: capacity.SurgeNodes(1)}),
			[]capacity.SpaceSize{{Name: "nodes", Kind: capacity.KindNodeSubnet, Required: 1581, Bits: 21}}, 0},
		// W2: 10 more for scale-out (autoscaler max 60): 61 × 31 = 1,891 → /21.
		{"W2", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 50, MinCount: 50, MaxCount: 60, MaxSurge: capacity.SurgeNodes(1)}),
			[]capacity.SpaceSize{{Name: "nodes", Kind: capacity.KindNodeSubnet, Required: 1891, Bits: 21}}, 0},
		// Overlay, 300 nodes + 10% surge: 330 node IPs → /23 (507); 330 /24s → /15 (512 /24s).
		{"overlay", oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", capacity.Pool{Count: 300}),
			[]capacity.SpaceSize{{Name: "nodes", Kind: capacity.KindNodeSubnet, Required: 330, Bits: 23},
				{Name: "podCIDR", Kind: capacity.KindPodCIDR, Required: 330 * 256, Bits: 15}}, 0},
		// Kubenet past the route table: no prefix helps.
		{"kubenet 420", oneSubnet(modes.Kubenet, "10.240.0.0/24", capacity.Pool{Count: 420}),
			[]capacity.SpaceSize{{Name: "nodes", Kind: capacity.KindNodeSubnet, Required: 462, Bits: 23},
				{Name: "podCIDR", Kind: capacity.KindPodCIDR, Required: 462 * 256, Bits: 15}}, 1},
		// A tiny pool still needs a /29.
		{"tiny", oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", capacity.Pool{Count: 1, MaxPods: 30}),
			[]capacity.SpaceSize{{Name: "nodes", Kind: capacity.KindNodeSubnet, Required: 2, Bits: 29},
				{Name: "podCIDR", Kind: capacity.KindPodCIDR, Required: 512, Bits: 23}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := capacity.Recommend(tt.c)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Spaces)
			assert.Len(t, r.Notes, tt.notes, "%v", r.Notes)
		})
	}
}
