package capacity

import (
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestW16NodeBlocksInOrder: with pod CIDR 10.244.0.0/16, node k gets
// 10.244.(k−1).0/24 [KUB].
func TestW16NodeBlocksInOrder(t *testing.T) {
	c := Cluster{Mode: modes.Kubenet, Subnets: []Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/24")}}},
		Pools: []Pool{{Name: "p", Count: 3}}}
	m, err := newModel(&c)
	require.NoError(t, err)
	e, err := newEngine(m, nil, 0)
	require.NoError(t, err)
	require.Nil(t, e.create(nil, false))
	for k, n := range e.pools[0].live {
		assert.Equal(t, netip.AddrFrom4([4]byte{10, 244, byte(k), 0}), addr(n.blocks[0]), "node %d", k+1)
		assert.Equal(t, netip.AddrFrom4([4]byte{10, 240, 0, byte(4 + k)}), addr(n.ip), "node IPs start after Azure's four")
	}
}
