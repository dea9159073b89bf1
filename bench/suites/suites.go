// Package suites holds the benchmark suites that compare ipcap's allocators
// with the peers and its own strategies. Each suite is a function of a
// *testing.B, run by `go test -bench` in this package and by cmd/report,
// which prints the README's table.
package suites

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"testing"

	"github.com/ipcap/ipcap/bench/peers"
	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/internal/liveheap"
	"github.com/ipcap/ipcap/ipam"
	"github.com/ipcap/ipcap/modes"
	"go4.org/netipx"
)

var (
	slash8  = netip.MustParsePrefix("10.0.0.0/8")
	slash24 = netip.MustParsePrefix("10.1.2.0/24")
	slash10 = netip.MustParsePrefix("10.64.0.0/10")
)

// NodeCIDRs allocates 5,000 /24 node CIDRs from 10.0.0.0/8, then releases
// them: one op is the 10,000 calls.
func NodeCIDRs(b *testing.B, impl peers.BlockImpl) {
	a, err := impl.New(slash8, 24)
	if err != nil {
		b.Fatal(err)
	}
	cycle(b, 5000, a)
}

// allocator is what peers.Addrs and peers.Blocks have in common. The suites
// call it directly, one dynamic call per allocation, rather than through
// method values, which would add a second.
type allocator[T any] interface {
	Allocate() (T, error)
	Release(T) error
}

// cycle makes each op allocate n values, then release them.
func cycle[T any](b *testing.B, n int, a allocator[T]) {
	got := make([]T, n)
	b.ReportAllocs()
	for b.Loop() {
		for i := range got {
			var err error
			if got[i], err = a.Allocate(); err != nil {
				b.Fatal(err)
			}
		}
		for _, v := range got {
			if err := a.Release(v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// LastHole fills every /24 of a /8, then each op releases one at random
// and allocates again: the search for the one free block.
func LastHole(b *testing.B, impl peers.BlockImpl) {
	a, err := impl.New(slash8, 24)
	if err != nil {
		b.Fatal(err)
	}
	refill(b, a, 1)
}

// TwoHoles is LastHole with a second free /24: each op releases a random
// /24 and allocates one while another is free somewhere else, so that the
// slot just released is not the only candidate and an allocator that
// remembers it (a first-fit hint) must still search. The two holes start
// half the space apart and then wander at random.
func TwoHoles(b *testing.B, impl peers.BlockImpl) {
	a, err := impl.New(slash8, 24)
	if err != nil {
		b.Fatal(err)
	}
	refill(b, a, 2)
}

// refill fills an allocator, releases holes-1 values spread over the
// space, then makes each op release a random value and allocate one: the
// search for a free slot among holes. What an op allocates replaces what it
// released in the list of held values, whichever free slot the allocator
// chose. The random picks are drawn before the timer starts, so that what
// is timed is the allocator, not the random number generator.
func refill[T any](b *testing.B, a allocator[T], holes int) {
	var all []T
	for {
		v, err := a.Allocate()
		if err != nil {
			break
		}
		all = append(all, v)
	}
	if len(all) < holes {
		b.Fatal("nothing to allocate")
	}
	for h := 1; h < holes; h++ {
		i := len(all) * h / holes // then remove it: the others stay in order
		if err := a.Release(all[i]); err != nil {
			b.Fatal(err)
		}
		all = append(all[:i], all[i+1:]...)
	}
	r := rand.New(rand.NewPCG(42, 42))
	picks := make([]uint32, 1<<12)
	for k := range picks {
		picks[k] = uint32(r.IntN(len(all)))
	}
	b.ReportAllocs()
	for k := 0; b.Loop(); k++ {
		i := picks[k&(len(picks)-1)]
		if err := a.Release(all[i]); err != nil {
			b.Fatal(err)
		}
		var err error
		if all[i], err = a.Allocate(); err != nil {
			b.Fatal(err)
		}
	}
}

// PodAddresses allocates 250 pod addresses in one /24, then releases them:
// one op is the 500 calls.
func PodAddresses(b *testing.B, impl peers.AddrImpl) {
	a, err := impl.New(slash24)
	if err != nil {
		b.Fatal(err)
	}
	cycle(b, 250, a)
}

const (
	liveNodes       = 5000
	livePodsPerNode = 250
)

// LivePods is 5,000 nodes × 250 pods allocated from one /10 (one op: 1.25
// million addresses, kept), the shape of a single cluster-wide pool. heap-B
// is the heap the allocator then holds, measured once before the timed
// loop.
func LivePods(b *testing.B, impl peers.AddrImpl) {
	build := func() any {
		a, err := impl.New(slash10)
		if err != nil {
			b.Fatal(err)
		}
		for range liveNodes * livePodsPerNode {
			if _, err := a.Allocate(); err != nil {
				b.Fatal(err)
			}
		}
		return a
	}
	live(b, build)
}

// LivePodsPerNode is the real shape of 5,000 nodes × 250 pods: a /24 pool
// per node (5,000 /24s of a /10), each created and filled with 250
// addresses, all kept (one op: 5,000 pools and 1.25 million addresses).
// heap-B is the heap the 5,000 pools then hold, measured once before the
// timed loop.
func LivePodsPerNode(b *testing.B, impl peers.AddrImpl) {
	nodes := make([]netip.Prefix, liveNodes)
	base := slash10.Addr().As4()
	for k := range nodes {
		v := (uint32(base[0])<<24 | uint32(base[1])<<16) + uint32(k)<<8
		nodes[k] = netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), 0}), 24)
	}
	build := func() any {
		pools := make([]peers.Addrs, len(nodes))
		for k, p := range nodes {
			a, err := impl.New(p)
			if err != nil {
				b.Fatal(err)
			}
			for range livePodsPerNode {
				if _, err := a.Allocate(); err != nil {
					b.Fatal(err)
				}
			}
			pools[k] = a
		}
		return pools
	}
	live(b, build)
}

// live measures the heap that what build returns holds (once, untimed:
// runtime.GC and ReadMemStats stay out of the timed loop), then times build.
func live(b *testing.B, build func() any) {
	held := liveheap.Held(build)
	b.ReportAllocs()
	for b.Loop() {
		runtime.KeepAlive(build())
	}
	b.ReportMetric(float64(held), "heap-B")
}

// Churn fills a /24, then each op releases a random address and allocates
// one: pod churn on a full node.
func Churn(b *testing.B, impl peers.AddrImpl) {
	a, err := impl.New(slash24)
	if err != nil {
		b.Fatal(err)
	}
	refill(b, a, 1)
}

// ChurnTwoHoles is Churn with a second free address in the /24 (as
// TwoHoles is to LastHole).
func ChurnTwoHoles(b *testing.B, impl peers.AddrImpl) {
	a, err := impl.New(slash24)
	if err != nil {
		b.Fatal(err)
	}
	refill(b, a, 2)
}

// StrategyAddrImpls returns ipcap's Pool under each strategy, as peers.
func StrategyAddrImpls() []peers.AddrImpl {
	var out []peers.AddrImpl
	for _, st := range []ipam.Strategy{ipam.FirstFit, ipam.NextFit, ipam.Random} {
		out = append(out, peers.AddrImpl{Name: "ipcap-" + st.String(), New: func(p netip.Prefix) (peers.Addrs, error) {
			return ipam.NewPrefixPool(p, ipam.Options{Strategy: st, Seed: 1})
		}})
	}
	return out
}

// StrategyBlockImpls returns ipcap's BlockPool under each strategy.
func StrategyBlockImpls() []peers.BlockImpl {
	var out []peers.BlockImpl
	for _, st := range []ipam.Strategy{ipam.FirstFit, ipam.NextFit, ipam.Random} {
		out = append(out, peers.BlockImpl{Name: "ipcap-" + st.String(), New: func(p netip.Prefix, bits int) (peers.Blocks, error) {
			return ipam.NewBlockPool(setOf(p), bits, ipam.Options{Strategy: st, Seed: 1})
		}})
	}
	return out
}

// Fragmentation fills a /16 pool to 90% with strategy st, churns 20,000
// random release-and-allocate pairs per op, and reports the largest run of
// free addresses left (largest-free) and how many runs the free space is
// split into (free-runs): how well the strategy keeps free space whole.
func Fragmentation(b *testing.B, st ipam.Strategy) {
	var largest, runs int
	b.ReportAllocs()
	for b.Loop() {
		p, err := ipam.NewPool(setOf(netip.MustParsePrefix("10.128.0.0/16")), ipam.Options{Strategy: st, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		used, err := p.AllocateN(nil, 65536*9/10)
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(42, 42))
		for range 20000 {
			i := r.IntN(len(used))
			if err := p.Release(used[i]); err != nil {
				b.Fatal(err)
			}
			if used[i], err = p.Allocate(); err != nil {
				b.Fatal(err)
			}
		}
		largest, runs = freeRuns(p)
	}
	b.ReportMetric(float64(largest), "largest-free")
	b.ReportMetric(float64(runs), "free-runs")
}

// freeRuns measures the free space of a pool over a single prefix.
func freeRuns(p *ipam.Pool) (largest, runs int) {
	prefix := p.Space().Prefixes()[0]
	next := prefix.Addr()
	gap := func(to netip.Addr) {
		n := 0
		for a := next; a.Less(to); a = a.Next() {
			n++
		}
		if n > 0 {
			runs++
			largest = max(largest, n)
		}
	}
	for a := range p.All() {
		gap(a)
		next = a.Next()
	}
	gap(netipx.PrefixLastIP(prefix).Next())
	return largest, runs
}

func setOf(p netip.Prefix) *netipx.IPSet {
	var b netipx.IPSetBuilder
	b.AddPrefix(p)
	s, _ := b.IPSet()
	return s
}

// Fleet returns a cluster of mode m with five pools and room for 1,000
// nodes each (the VNet's 65,536 addresses allowing), all starting empty,
// and the scenario that scales each pool to 1,000 nodes, then upgrades each
// with a 10% surge.
func Fleet(m modes.Mode) (capacity.Cluster, capacity.Scenario) {
	c := capacity.Cluster{Mode: m,
		Subnets:      []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/14")}}},
		ServiceCIDRs: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")}, DNSServiceIP: netip.MustParseAddr("192.168.0.10"),
	}
	s := m.Spec()
	if s.Pods.Source == modes.PodSubnet {
		c.Subnets = append(c.Subnets, capacity.Subnet{Name: "pods", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.8.0.0/13")}})
	}
	switch wide := []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10")}; s.Pods.Source {
	case modes.PodCIDR:
		c.PodCIDRs = wide
	case modes.CNIPool:
		c.CNIPool = wide // a bring-your-own CNI's own pool
	}
	var sc capacity.Scenario
	for i := range 5 {
		name := fmt.Sprintf("pool%d", i)
		p := capacity.Pool{Name: name, MaxPods: 30, PodsPerNode: 10, NodeSubnet: "nodes", MaxSurge: capacity.SurgePercent(10)}
		if s.Pods.Source == modes.NodeSubnet || s.Pods.Unit == modes.Batch {
			p.MaxPods = 10 // so that 5,000 nodes fit the VNet's 65,536-address limit
		}
		if s.Pods.Source == modes.PodSubnet {
			p.PodSubnet = "pods"
		}
		c.Pools = append(c.Pools, p)
		sc.Steps = append(sc.Steps, capacity.Step{Op: capacity.OpScale, Pool: name, Nodes: 1000})
	}
	for i := range 5 {
		sc.Steps = append(sc.Steps, capacity.Step{Op: capacity.OpUpgrade, Pool: fmt.Sprintf("pool%d", i)})
	}
	return c, sc
}

// Simulate replays Fleet(m) through capacity.Simulate and reports the nodes
// the cluster reached.
func Simulate(b *testing.B, m modes.Mode) {
	c, sc := Fleet(m)
	var nodes int
	b.ReportAllocs()
	for b.Loop() {
		tl, err := capacity.Simulate(context.Background(), c, sc)
		if err != nil {
			b.Fatal(err)
		}
		nodes = 0
		for _, n := range tl.Steps[len(tl.Steps)-1].Nodes {
			nodes += n
		}
	}
	b.ReportMetric(float64(nodes), "nodes")
}
