package ipam_test

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/ipcap/ipcap/ipam"
	"go4.org/netipx"
)

// A node subnet: Azure keeps the network address, the gateway, two DNS
// addresses and the broadcast address of every subnet.
func ExamplePool() {
	subnet := netip.MustParsePrefix("10.240.0.0/24")
	var b netipx.IPSetBuilder
	b.AddPrefix(subnet)
	space, _ := b.IPSet()

	var r netipx.IPSetBuilder
	r.AddRange(netipx.IPRangeFrom(subnet.Addr(), netip.MustParseAddr("10.240.0.3")))
	r.Add(netipx.PrefixLastIP(subnet))
	reserved, _ := r.IPSet()

	pool, err := ipam.NewPool(space, ipam.Options{Reserved: reserved})
	if err != nil {
		panic(err)
	}
	nodes, _ := pool.AllocateN(nil, 3)
	fmt.Println(nodes)
	fmt.Println(pool.Size(), "usable,", pool.Free(), "free")

	_ = pool.Release(nodes[1])
	again, _ := pool.Allocate()
	fmt.Println("first fit reuses", again)
	// Output:
	// [10.240.0.4 10.240.0.5 10.240.0.6]
	// 251 usable, 248 free
	// first fit reuses 10.240.0.5
}

// A random pool replays the same sequence after Reset: a simulation runs
// trial after trial on one pool without building it again.
func ExamplePool_Reset() {
	var b netipx.IPSetBuilder
	b.AddPrefix(netip.MustParsePrefix("10.1.0.0/16"))
	space, _ := b.IPSet()

	pool, err := ipam.NewPool(space, ipam.Options{Strategy: ipam.Random, Seed: 7})
	if err != nil {
		panic(err)
	}
	first, _ := pool.AllocateN(nil, 3)
	pool.Reset()
	fmt.Println(pool.Used(), "used after Reset")
	again, _ := pool.AllocateN(nil, 3)
	fmt.Println(slices.Equal(first, again))
	// Output:
	// 0 used after Reset
	// true
}

// Node CIDRs from a pod CIDR, the way kubenet and Azure CNI Overlay assign
// them: node k gets the k-th /24.
func ExampleBlockPool() {
	var b netipx.IPSetBuilder
	b.AddPrefix(netip.MustParsePrefix("10.244.0.0/22"))
	podCIDR, _ := b.IPSet()

	nodeCIDRs, err := ipam.NewBlockPool(podCIDR, 24, ipam.Options{})
	if err != nil {
		panic(err)
	}
	for {
		p, err := nodeCIDRs.Allocate()
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(p)
	}
	// Output:
	// 10.244.0.0/24
	// 10.244.1.0/24
	// 10.244.2.0/24
	// 10.244.3.0/24
	// ipam: address space exhausted
}

// State survives a round trip through MarshalBinary, strategy position
// included.
func ExamplePool_MarshalBinary() {
	var b netipx.IPSetBuilder
	b.AddPrefix(netip.MustParsePrefix("fd00::/120"))
	space, _ := b.IPSet()
	p, _ := ipam.NewPool(space, ipam.Options{Strategy: ipam.NextFit})
	_, _ = p.AllocateN(nil, 10)
	_ = p.Release(netip.MustParseAddr("fd00::2"))

	state, _ := p.MarshalBinary()
	var q ipam.Pool
	if err := q.UnmarshalBinary(state); err != nil {
		panic(err)
	}
	next, _ := q.Allocate()
	fmt.Println(q.Used(), "used; next fit continues at", next)
	// Output: 10 used; next fit continues at fd00::a
}
