package capacity_test

import (
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
}
