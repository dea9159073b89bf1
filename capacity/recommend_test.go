package capacity_test

import (
	"fmt"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecommend(t *testing.T) {
	tests := []struct {
		name  string
		c     capacity.Cluster
		want  []capacity.SpaceSize
		notes int
	}{
		// W1: 50 nodes + 1 surge at 30 pods: 51 × 31 = 1,581 → /21.
		{"W1", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 50, MaxSurge: capacity.SurgeNodes(1)}),
			[]capacity.SpaceSize{{Name: "nodes", Source: modes.NodeSubnet, Required: 1581, Bits: 21}}, 0},
		// W2: 10 more for scale-out (autoscaler max 60): 61 × 31 = 1,891 → /21.
		{"W2", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 50, MinCount: 50, MaxCount: 60, MaxSurge: capacity.SurgeNodes(1)}),
			[]capacity.SpaceSize{{Name: "nodes", Source: modes.NodeSubnet, Required: 1891, Bits: 21}}, 0},
		// Overlay, 300 nodes + 10% surge: 330 node IPs → /23 (507); 330 /24s → /15 (512 /24s).
		{"overlay", oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", capacity.Pool{Count: 300}),
			[]capacity.SpaceSize{{Name: "nodes", Source: modes.NodeSubnet, Required: 330, Bits: 23},
				{Name: "pod-cidr", Source: modes.PodCIDR, Required: 330 * 256, Bits: 15}}, 0},
		// Kubenet past the route table: no prefix helps.
		{"kubenet 420", oneSubnet(modes.Kubenet, "10.240.0.0/24", capacity.Pool{Count: 420}),
			[]capacity.SpaceSize{{Name: "nodes", Source: modes.NodeSubnet, Required: 462, Bits: 23},
				{Name: "pod-cidr", Source: modes.PodCIDR, Required: 462 * 256, Bits: 15}}, 1},
		// A tiny pool still needs a /29.
		{"tiny", oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", capacity.Pool{Count: 1, MaxPods: 30}),
			[]capacity.SpaceSize{{Name: "nodes", Source: modes.NodeSubnet, Required: 2, Bits: 29},
				{Name: "pod-cidr", Source: modes.PodCIDR, Required: 512, Bits: 23}}, 0},
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

// A static-block pod subnet is planned in whole /28s, as Analyze counts it:
// 28 nodes at 15 pods take one block each, plus 10% surge (3): 31 blocks,
// 496 addresses. A /23 has 32 blocks, but the first and last hold Azure's
// reserved addresses: 30 usable, too few. A /22 it is.
func TestRecommendStaticBlocks(t *testing.T) {
	c := podSubnet(modes.AzureCNIStaticBlock, "10.240.0.0/24", "10.240.4.0/23", capacity.Pool{Count: 28, MaxPods: 15})
	r, err := capacity.Recommend(c)
	require.NoError(t, err)
	assert.Contains(t, r.Spaces, capacity.SpaceSize{Name: "pods", Source: modes.PodSubnet, Required: 496, Bits: 22})

	rep, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 27, rep.Pools[0].MaxNodesWithSurge, "in the /23: 27 + 3 surge = 30 blocks")
	c.Subnets[1] = subnet("pods", "10.240.4.0/22")
	rep, err = capacity.Analyze(c)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, rep.Pools[0].MaxNodesWithSurge, 28, "the recommended /22 holds the pool with its surge")
}

// Recommend never returns a prefix length outside 0..32: a custom Spec of
// /8 blocks whose nodes need 550 of them (500 + 10% surge) needs a /-2.
// The pod range is named by its source: a CNI pool is not a pod CIDR.
func TestRecommendNothingFits(t *testing.T) {
	for _, tt := range []struct {
		mode modes.Mode
		want string
	}{
		{modes.AzureCNIOverlay, "capacity: the pod CIDR needs 550 blocks of /8"},
		{modes.BYOCNICilium, "capacity: the CNI pool needs 550 blocks of /8"},
	} {
		s := tt.mode.Spec()
		s.Mode, s.Pods.BlockBits, s.DefaultPodCIDR = 0, 8, pfx("100.0.0.0/8")
		c := capacity.Cluster{Spec: &s, Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/16")}, Pools: []capacity.Pool{{Name: "p", Count: 500}}}
		require.NoError(t, c.Validate())
		r, err := capacity.Recommend(c)
		require.Error(t, err, "%+v", r)
		assert.Contains(t, err.Error(), tt.want)
		// 2 nodes + 1 surge need 3 /8 blocks: a /6.
		c.Pools[0].Count = 2
		r, err = capacity.Recommend(c)
		require.NoError(t, err)
		found := false
		for _, sp := range r.Spaces {
			if sp.Source == s.Pods.Source {
				found = true
				assert.Equal(t, 6, sp.Bits, tt.mode.String())
			}
		}
		assert.True(t, found, tt.mode.String())
	}
}

// A static-block pod subnet is at most a /12 [SBA]: five pools of 900
// nodes at maxPods 250 (16 /28s, 256 addresses a node) and their 10%
// surges need 4,950 × 256 = 1,267,200 addresses, a /11.
func TestRecommendStaticBlockAtMost12(t *testing.T) {
	c := capacity.Cluster{Mode: modes.AzureCNIStaticBlock,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/16"), subnet("pods", "10.16.0.0/12")}}
	for i := range 5 {
		c.Pools = append(c.Pools, capacity.Pool{Name: fmt.Sprintf("p%d", i), Count: 900, MaxPods: 250, NodeSubnet: "nodes", PodSubnet: "pods"})
	}
	r, err := capacity.Recommend(c)
	require.Error(t, err, "%+v", r)
	assert.EqualError(t, err, "capacity: subnet pods needs 1,267,200 addresses, more than the largest static-block pod subnet (/12) holds: nothing fits")
	// Four pools: 3,960 × 256 = 1,013,760 addresses, a /12.
	c.Pools = c.Pools[:4]
	r, err = capacity.Recommend(c)
	require.NoError(t, err)
	assert.Equal(t, 12, r.Spaces[1].Bits)
}

// Notes are ipcap's words: counts with their thousands separated. 1,000
// kubenet nodes with a 10% surge (100) need 1,100 routes of 400; as one
// pool they also pass the 1,000 per pool.
func TestRecommendNotesThousands(t *testing.T) {
	r, err := capacity.Recommend(oneSubnet(modes.Kubenet, "10.240.0.0/24", capacity.Pool{Count: 1000}))
	require.NoError(t, err)
	assert.Contains(t, r.Notes, "kubenet: 1,100 routes with surge exceed the route table's 400; move to azure-cni-overlay")
	assert.Contains(t, r.Notes, "pool nodes: 1,100 nodes with surge exceed 1,000 per pool: split it or lower maxSurge")
}
