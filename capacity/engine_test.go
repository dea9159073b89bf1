package capacity

import (
	"context"
	"math/rand/v2"
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

// TestPodUnitsGiveBack is a property of every pod unit, the zero one
// included: over seeded random scenarios of scale-outs and scale-ins,
// churns and upgrades, which may run out, no space ever holds more than
// it has, and once every node has gone each space holds what it held
// before the first, and the VNet only others' addresses.
func TestPodUnitsGiveBack(t *testing.T) {
	units := map[modes.Unit]modes.Mode{modes.PerPod: modes.AzureCNI, modes.Batch: modes.AzureCNIPodSubnet,
		modes.StaticBlock: modes.AzureCNIStaticBlock, modes.NodeBlock: modes.Kubenet, modes.OnDemandBlock: modes.BYOCNICalico, 0: 0}
	for unit, m := range units {
		name := unit.String()
		if unit == 0 {
			name = "no-unit"
		}
		t.Run(name, func(t *testing.T) {
			for seed := range uint64(40) {
				r := rand.New(rand.NewPCG(seed, uint64(unit)))
				c := noPodsCluster(t)
				if m != 0 {
					require.Equal(t, unit, m.Spec().Pods.Unit)
					c.Mode, c.Spec = m, nil
				}
				nodes := pick(r, "10.240.0.0/20", "10.240.0.0/24", "10.240.0.0/26")
				c.Subnets = []Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix(nodes)}, Reserved: r.IntN(10)}}
				c.Pools = []Pool{{Name: "p", MaxPods: pick(r, 0, 10, 30, 110), NodeSubnet: "nodes"}}
				if c.spec().Pods.Source == modes.PodSubnet {
					pods := pick(r, "10.241.0.0/20", "10.241.0.0/24")
					c.Subnets = append(c.Subnets, Subnet{Name: "pods", Prefixes: []netip.Prefix{netip.MustParsePrefix(pods)}})
					c.Pools[0].PodSubnet = "pods"
				}
				require.NoError(t, c.Validate(), "seed %d", seed)
				giveBack(t, r, c, seed)
			}
		})
	}
}

// giveBack runs a random scenario of r on c's pool and checks what
// TestPodUnitsGiveBack says.
func giveBack(t *testing.T, r *rand.Rand, c Cluster, seed uint64) {
	model, err := newModel(&c)
	require.NoError(t, err)
	draws := make([]float64, 1+r.IntN(8))
	for i := range draws {
		draws[i] = float64(r.IntN(120)) // clamped to the pool's maxPods
	}
	e, err := newEngine(model, &cycle{v: draws}, seed)
	require.NoError(t, err)
	start := make([]int, len(e.spaces))
	for k := range e.spaces {
		start[k] = e.spaces[k].used()
	}
	within := func(step string) {
		for k := range e.spaces {
			sp := &e.spaces[k]
			var size int
			if sp.blocks != nil {
				size = int(sp.blocks.Size()) * sp.unit
			} else {
				size = int(sp.addrs.Size())
			}
			require.Equal(t, size, sp.used()+sp.free(), "seed %d, %s: space %s", seed, step, e.m.spaces[k].Name)
		}
	}
	p := &e.pools[0]
	for range 1 + r.IntN(10) {
		switch r.IntN(4) {
		case 0, 1:
			e.scale(p, r.IntN(80)) // may run out: a failed node holds nothing
			within("scale")
		case 2:
			e.churn(p)
			within("churn")
		case 3:
			e.upgrade(p)
			within("upgrade")
		}
	}
	e.scale(p, 0)
	for k := range e.spaces {
		assert.Equal(t, start[k], e.spaces[k].used(), "seed %d: space %s after every node left", seed, e.m.spaces[k].Name)
	}
	assert.Equal(t, e.m.c.vnetReserved(), e.vnet, "seed %d: VNet addresses back to others' only", seed)
	assert.Zero(t, e.nodes, "seed %d", seed)
}

// pick returns one of xs at random.
func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

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

// noPodsCluster is a cluster of a custom Spec whose pods take no
// addresses (the zero Unit, no source): its nodes hold their node IPs only.
func noPodsCluster(t *testing.T) Cluster {
	t.Helper()
	s := modes.AzureCNIOverlay.Spec()
	s.Mode, s.Name, s.Pods, s.DualStack = 0, "no pod addresses", modes.PodAllocation{}, false
	require.NoError(t, s.Validate())
	return Cluster{Spec: &s, Subnets: []Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/27")}}},
		Pools: []Pool{{Name: "p", Count: 2, NodeSubnet: "nodes"}}}
}

// TestNoPodAddresses: Simulate, Check and Forecast run a Spec whose pods
// take no addresses (once a nil unit and a nil pointer dereference): a /27
// holds 32 − 5 = 27 node IPs and nothing else.
func TestNoPodAddresses(t *testing.T) {
	c := noPodsCluster(t)
	require.NoError(t, c.Validate())
	tl, err := Simulate(context.Background(), c, ScaleOut("p", 100))
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted)
	assert.Equal(t, LimitNodeSubnet, tl.Exhausted.Limit)
	assert.Equal(t, 27, tl.Exhausted.Nodes, "every usable address is a node IP")

	v, err := Check(c, Step{Op: OpScale, Pool: "p", Nodes: 20})
	require.NoError(t, err)
	assert.Nil(t, v.Refusal, "20 nodes take 20 addresses of 27")
	v, err = Check(c, Step{Op: OpScale, Pool: "p", Nodes: 28})
	require.NoError(t, err)
	assert.NotNil(t, v.Refusal, "28 node IPs do not fit in 27")

	f, err := Forecast(context.Background(), c, "p", ForecastOptions{Trials: 3, Seed: 1})
	require.NoError(t, err)
	assert.InDelta(t, 27, f.Nodes.P50, 0, "the pool runs out at 27 nodes")
}

// What each unit says of itself, which the engine and Forecast decide by:
// only batches and Calico's blocks cost more with more pods, only Calico's
// blocks remember which nodes came and went.
func TestPodUnitTraits(t *testing.T) {
	type traits struct {
		space                   podSpace
		podsCost, pathDependent bool
	}
	for u, want := range map[modes.Unit]traits{
		0:                   {noPodSpace, false, false},
		modes.PerPod:        {noPodSpace, false, false},
		modes.Batch:         {podAddrs, true, false},
		modes.StaticBlock:   {podBlocks, false, false},
		modes.NodeBlock:     {podBlocks, false, false},
		modes.OnDemandBlock: {podBlocks, true, true},
	} {
		pu := newPodUnit(modes.PodAllocation{Unit: u})
		assert.Equal(t, want, traits{pu.podSpace(), pu.podsCost(), pu.pathDependent()}, u.String())
	}
}
