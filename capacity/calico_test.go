package capacity

import (
	"context"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// calicoCluster is a BYO Calico cluster whose CNI pool is a /24: four /26
// blocks, 256 addresses. Its nodes run maxPods 64 pods.
func calicoCluster(tunnel int) Cluster {
	s := modes.BYOCNICalico.Spec()
	s.Mode, s.Name, s.Pods.TunnelAddresses = 0, "calico", tunnel
	return Cluster{Spec: &s,
		Subnets: []Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/24")}}},
		CNIPool: []netip.Prefix{netip.MustParsePrefix("100.64.0.0/24")},
		Pools:   []Pool{{Name: "p", Count: 1, MaxPods: 64, PodsPerNode: 64, NodeSubnet: "nodes"}}}
}

// TestCalicoTunnelAddress: every Calico node also takes its VXLAN tunnel
// address from the pool [CALN, CAL].
//
// Without it, each node of 64 pods fills one /26: 4 nodes fit the /24.
// With it, a node needs 65 addresses. Node 1 claims block 0 (64) and
// block 1 (1); node 2 claims blocks 2 and 3 the same way. No block is
// left, so node 3 borrows: blocks 1 and 3 have 63 free each, 126 ≥ 65, so
// it takes 63 of block 1 and 2 of block 3. Node 4 finds 61 free < 65: the
// pool is exhausted at 3 nodes.
func TestCalicoTunnelAddress(t *testing.T) {
	assert.Equal(t, 1, modes.BYOCNICalico.Spec().Pods.TunnelAddresses)
	ctx := context.Background()
	for _, tt := range []struct {
		tunnel, nodes, requested int
	}{{0, 4, 64}, {1, 3, 65}} {
		c := calicoCluster(tt.tunnel)
		require.NoError(t, c.Validate())
		tl, err := Simulate(ctx, c, ScaleOut("p", 10))
		require.NoError(t, err)
		require.NotNil(t, tl.Exhausted, "tunnel %d", tt.tunnel)
		assert.Equal(t, LimitCNIPool, tl.Exhausted.Limit)
		assert.Equal(t, tt.nodes, tl.Exhausted.Nodes, "tunnel %d", tt.tunnel)
		assert.Equal(t, tt.requested, tl.Exhausted.Requested, "tunnel %d", tt.tunnel)
	}
}

// TestCalicoTunnelNoPods: a node running no pods still claims a block for
// its tunnel address, one address of 64; once the four blocks are claimed
// the fifth node borrows one of their 4 × 63 free addresses. Scaling in
// gives every block back.
func TestCalicoTunnelNoPods(t *testing.T) {
	c := calicoCluster(1)
	m, err := newModel(&c)
	require.NoError(t, err)
	e, err := newEngine(m, &cycle{v: []float64{0}}, 1)
	require.NoError(t, err)
	p := &e.pools[0]
	sp := &e.spaces[p.pod]
	for n := 1; n <= 4; n++ {
		require.Nil(t, e.scale(p, n))
		assert.Equal(t, n*64, sp.used(), "%d nodes claim %d blocks", n, n)
		assert.Equal(t, n*63, e.calico.room, "%d nodes: free addresses in live blocks", n)
	}
	require.Nil(t, e.scale(p, 5))
	assert.Equal(t, 4*64, sp.used(), "the fifth node borrows")
	assert.Equal(t, 4*63-1, e.calico.room)
	e.scale(p, 0)
	assert.Zero(t, sp.used())
	assert.Zero(t, e.calico.room)
}
