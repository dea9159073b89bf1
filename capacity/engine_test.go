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

// TestPodUnitsGiveBack drives every pod unit: nodes take their addresses,
// churn re-draws their pods, and removing the nodes returns every space to
// what it held before; no space ever holds more than it has.
func TestPodUnitsGiveBack(t *testing.T) {
	units := map[modes.Unit]modes.Mode{modes.PerPod: modes.AzureCNI, modes.Batch: modes.AzureCNIPodSubnet,
		modes.StaticBlock: modes.AzureCNIStaticBlock, modes.NodeBlock: modes.Kubenet, modes.OnDemandBlock: modes.BYOCNICalico}
	for unit, m := range units {
		t.Run(unit.String(), func(t *testing.T) {
			require.Equal(t, unit, m.Spec().Pods.Unit)
			c := Cluster{Mode: m, Subnets: []Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/20")}, Reserved: 3}},
				Pools: []Pool{{Name: "p", Count: 0, MaxPods: 30, NodeSubnet: "nodes"}}}
			if m.Spec().Pods.Source == modes.PodSubnet {
				c.Subnets = append(c.Subnets, Subnet{Name: "pods", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.241.0.0/20")}})
				c.Pools[0].PodSubnet = "pods"
			}
			model, err := newModel(&c)
			require.NoError(t, err)
			draws := []float64{3, 30, 0, 17, 29, 8, 12, 25}
			e, err := newEngine(model, &cycle{v: draws}, 1)
			require.NoError(t, err)
			start := make([]int, len(e.spaces))
			for k := range e.spaces {
				start[k] = e.spaces[k].used()
			}
			within := func(step string) {
				for k := range e.spaces {
					sp := &e.spaces[k]
					size := 0
					if sp.blocks != nil {
						size = int(sp.blocks.Size()) * sp.unit
					} else {
						size = int(sp.addrs.Size())
					}
					require.LessOrEqual(t, sp.used(), size, "%s: space %s", step, e.m.spaces[k].Name)
					require.Equal(t, size, sp.used()+sp.free(), "%s: space %s", step, e.m.spaces[k].Name)
				}
			}
			require.Nil(t, e.scale(&e.pools[0], 20))
			within("scale")
			for range 3 {
				require.Nil(t, e.churn(&e.pools[0]))
				within("churn")
			}
			require.Nil(t, e.upgrade(&e.pools[0]))
			within("upgrade")
			require.Nil(t, e.scale(&e.pools[0], 0))
			for k := range e.spaces {
				assert.Equal(t, start[k], e.spaces[k].used(), "space %s after every node left", e.m.spaces[k].Name)
			}
			assert.Equal(t, e.m.c.vnetReserved(), e.vnet, "VNet addresses back to others' only")
		})
	}
}

// cycle is a pods distribution that repeats v.
type cycle struct {
	v []float64
	i int
}

func (c *cycle) Rand() float64 {
	x := c.v[c.i%len(c.v)]
	c.i++
	return x
}
