package ipam_test

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/internal/liveheap"
	"github.com/ipcap/ipcap/ipam"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fills are the fill levels benchmarks run at: the search must cost the same
// in an empty pool and in one with a handful of free slots left.
var fills = []struct {
	name string
	frac float64
}{{"0%", 0}, {"50%", 0.5}, {"99.99%", 0.9999}}

// fill brings a pool to a fraction of its size with free slots scattered at
// random: it allocates everything, then releases a seeded random subset.
func fill[T comparable](tb testing.TB, size uint64, frac float64, alloc func() (T, error), release func(T) error) {
	tb.Helper()
	all := make([]T, 0, size)
	for range size {
		v, err := alloc()
		require.NoError(tb, err)
		all = append(all, v)
	}
	r := rand.New(rand.NewPCG(42, 42))
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for _, v := range all[:size-uint64(frac*float64(size))] {
		require.NoError(tb, release(v))
	}
}

// BenchmarkPool and BenchmarkBlockPool time Allocate+Release on the
// concrete types, as callers use them: a generic helper would call through
// an interface and time that too.
func BenchmarkPool(b *testing.B) {
	eachCase(b, func(b *testing.B, st ipam.Strategy, frac float64) {
		p, err := ipam.NewPool(set(b, "10.0.0.0/16"), ipam.Options{Strategy: st, Reserved: azureReserved(b, "10.0.0.0/16")})
		require.NoError(b, err)
		fill(b, p.Size(), frac, p.Allocate, p.Release)
		b.ReportAllocs()
		for b.Loop() {
			a, err := p.Allocate()
			if err != nil {
				b.Fatal(err)
			}
			if err := p.Release(a); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkBlockPool(b *testing.B) {
	eachCase(b, func(b *testing.B, st ipam.Strategy, frac float64) {
		p, err := ipam.NewBlockPool(set(b, "10.0.0.0/8"), 24, ipam.Options{Strategy: st})
		require.NoError(b, err)
		fill(b, p.Size(), frac, p.Allocate, p.Release)
		b.ReportAllocs()
		for b.Loop() {
			a, err := p.Allocate()
			if err != nil {
				b.Fatal(err)
			}
			if err := p.Release(a); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// eachCase runs bench per strategy and fill level.
func eachCase(b *testing.B, bench func(b *testing.B, st ipam.Strategy, frac float64)) {
	for _, st := range strategies {
		for _, f := range fills {
			b.Run(fmt.Sprintf("strategy=%v/fill=%s", st, f.name), func(b *testing.B) { bench(b, st, f.frac) })
		}
	}
}

// BenchmarkPoolIPv6 allocates from a /64 pod subnet: the tree is ten levels
// deep, and pages are created as the pool grows.
func BenchmarkPoolIPv6(b *testing.B) {
	p, err := ipam.NewPool(set(b, "fd00:1::/64"), ipam.Options{})
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Allocate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPoolIPv6Random times Random's Allocate+Release in a /64 that
// holds 100,000 addresses: the sparse tree's random path.
func BenchmarkPoolIPv6Random(b *testing.B) {
	p, err := ipam.NewPool(set(b, "fd00:1::/64"), ipam.Options{Strategy: ipam.Random, Seed: 1})
	require.NoError(b, err)
	_, err = p.AllocateN(nil, 100_000)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		a, err := p.Allocate()
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Release(a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAllocateN(b *testing.B) {
	p, err := ipam.NewPool(set(b, "10.0.0.0/16"), ipam.Options{})
	require.NoError(b, err)
	dst := make([]netip.Addr, 0, 250)
	b.ReportAllocs()
	for b.Loop() {
		dst, err = p.AllocateN(dst[:0], 250)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range dst {
			_ = p.Release(a)
		}
	}
}

// TestPerNodePoolCost pins what a per-node pool costs to create: NewPool of
// a /24 less Azure's reserved addresses makes at most 4 allocations (the two
// Ranges slices netipx copies, the bitmap's words, the Pool), NewPrefixPool
// 3 (the reserved set's Ranges copy, the words, the Pool) and without
// reserved addresses 2. It was 18 allocations before.
func TestPerNodePoolCost(t *testing.T) {
	space, reserved := set(t, "10.1.0.0/24"), azureReserved(t, "10.1.0.0/24")
	pfx := netip.MustParsePrefix("10.1.0.0/24")
	for _, tt := range []struct {
		name string
		new  func() (*ipam.Pool, error)
		most float64
	}{
		{"NewPool(/24 less reserved)", func() (*ipam.Pool, error) { return ipam.NewPool(space, ipam.Options{Reserved: reserved}) }, 4},
		{"NewPrefixPool(/24 less reserved)", func() (*ipam.Pool, error) { return ipam.NewPrefixPool(pfx, ipam.Options{Reserved: reserved}) }, 3},
		{"NewPrefixPool(/24)", func() (*ipam.Pool, error) { return ipam.NewPrefixPool(pfx, ipam.Options{}) }, 2},
	} {
		allocs := testing.AllocsPerRun(100, func() { _, _ = tt.new() })
		assert.LessOrEqual(t, allocs, tt.most, "%s: allocations", tt.name)
	}
}

// TestLivePodsHeld pins what per-node pools hold: 5,000 /24 pools made by
// NewPrefixPool and filled with 250 pod addresses each (1.25 M live
// addresses, the bench's "Live pods, per node") hold at most 1 MiB beyond
// their bitmaps' 32 bytes of addresses each. Measured: 208 bytes per pool
// in all (a 160-byte Pool and its bitmap's five words, 40 bytes in a
// 48-byte block), 176 beyond the 32, 880,000 for the 5,000; it was 552 per
// pool, 2.76 MB, with NewPool and its set.
func TestLivePodsHeld(t *testing.T) {
	const pools, pods = 5000, 250
	dst := make([]netip.Addr, 0, pods)
	held := liveheap.Held(func() any {
		keep := make([]*ipam.Pool, pools)
		for k := range keep {
			pfx := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(64 + k>>8), byte(k), 0}), 24)
			p, err := ipam.NewPrefixPool(pfx, ipam.Options{})
			require.NoError(t, err)
			dst, err = p.AllocateN(dst[:0], pods)
			require.NoError(t, err)
			keep[k] = p
		}
		return keep
	})
	held -= min(held, 8*pools) // the slice of pointers
	const bitmaps = pools * 32 // a /24's 256 bits
	t.Logf("%d /24 pools with %d addresses each hold %d bytes, %d per pool, %d beyond the bitmaps", pools, pods, held, held/pools, held-min(held, bitmaps))
	assert.LessOrEqual(t, held, uint64(bitmaps+1<<20), "bytes 5,000 filled /24 pools keep alive")
}

func TestMemory(t *testing.T) {
	// Every /24 of a /8 allocated: 65,536 blocks in at most 16 KiB. The heap
	// is measured over 64 pools so that the runtime's own noise averages out.
	space := set(t, "10.0.0.0/8")
	const pools = 64
	full8 := liveheap.Held(func() any {
		var keep []*ipam.BlockPool
		for range pools {
			p, err := ipam.NewBlockPool(space, 24, ipam.Options{})
			require.NoError(t, err)
			for range p.Size() {
				_, err := p.Allocate()
				require.NoError(t, err)
			}
			keep = append(keep, p)
		}
		return keep
	}) / pools
	t.Logf("/8 BlockPool of /24s, full: %d bytes", full8)
	assert.LessOrEqual(t, full8, uint64(16<<10), "/8 BlockPool of /24s: bytes held")
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	// Every strategy: Random must not open a page per address (it once held
	// about 2 KB per address, 2 GB for a million).
	for _, st := range strategies {
		v6 := liveheap.Held(func() any {
			p, err := ipam.NewPool(set(t, "fd00:1::/64"), ipam.Options{Strategy: st, Seed: 1})
			require.NoError(t, err)
			for range n {
				_, err := p.Allocate()
				require.NoError(t, err)
			}
			return p
		})
		t.Logf("IPv6 /64 Pool, %v, with %d allocated: %d bytes", st, n, v6)
		assert.LessOrEqual(t, v6, uint64(8<<20), "IPv6 /64 Pool, %v, with %d allocated: bytes held", st, n)
	}
}

// BenchmarkFill24 fills a /24 pod subnet (Azure keeps 5: 251 addresses) with
// one AllocateN, as a node's pre-allocated pod addresses are taken: new
// builds the pool each time with NewPool ("fill of a new /24", pool creation
// included), prefix with NewPrefixPool, reset reuses one.
func BenchmarkFill24(b *testing.B) {
	space, reserved := set(b, "10.1.0.0/24"), azureReserved(b, "10.1.0.0/24")
	dst := make([]netip.Addr, 0, 251)
	b.Run("pool=new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := ipam.NewPool(space, ipam.Options{Reserved: reserved})
			if err != nil {
				b.Fatal(err)
			}
			if dst, err = p.AllocateN(dst[:0], 251); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pool=prefix", func(b *testing.B) { // the per-node pool: NewPrefixPool, no set
		pfx := netip.MustParsePrefix("10.1.0.0/24")
		b.ReportAllocs()
		for b.Loop() {
			p, err := ipam.NewPrefixPool(pfx, ipam.Options{Reserved: reserved})
			if err != nil {
				b.Fatal(err)
			}
			if dst, err = p.AllocateN(dst[:0], 251); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pool=bound", func(b *testing.B) { // the floor: a flat next-fit bitmap
		b.ReportAllocs()
		for b.Loop() {
			f := newFlat(0x0a010004, 251)
			dst = dst[:0]
			for range 251 {
				a, ok := f.allocate()
				if !ok {
					b.Fatal("flat bitmap exhausted")
				}
				dst = append(dst, a)
			}
		}
	})
	b.Run("pool=reset", func(b *testing.B) {
		p, err := ipam.NewPool(space, ipam.Options{Reserved: reserved})
		require.NoError(b, err)
		b.ReportAllocs()
		for b.Loop() {
			p.Reset()
			if dst, err = p.AllocateN(dst[:0], 251); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNewPool24 times creating the pool of a /24 less Azure's reserved
// addresses, the per-node pool of a simulation.
func BenchmarkNewPool24(b *testing.B) {
	space, reserved := set(b, "10.1.0.0/24"), azureReserved(b, "10.1.0.0/24")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ipam.NewPool(space, ipam.Options{Reserved: reserved}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewPrefixPool24 is BenchmarkNewPool24 through NewPrefixPool.
func BenchmarkNewPrefixPool24(b *testing.B) {
	pfx, reserved := netip.MustParsePrefix("10.1.0.0/24"), azureReserved(b, "10.1.0.0/24")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ipam.NewPrefixPool(pfx, ipam.Options{Reserved: reserved}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFlatBound checks BenchmarkFill24's floor before it is timed: it hands
// out what first fit does on a /24 less Azure's reserved, then runs out.
func TestFlatBound(t *testing.T) {
	p, err := ipam.NewPool(set(t, "10.1.0.0/24"), ipam.Options{Reserved: azureReserved(t, "10.1.0.0/24")})
	require.NoError(t, err)
	want, err := p.AllocateN(nil, 251)
	require.NoError(t, err)
	f := newFlat(0x0a010004, 251)
	for i, w := range want {
		a, ok := f.allocate()
		require.True(t, ok, "flat allocation %d", i)
		require.Equal(t, w, a, "flat allocation %d", i)
	}
	_, ok := f.allocate()
	require.False(t, ok, "flat allocation 252 of 251")
}

// flat is the simplest strong allocator of a run of IPv4 addresses, the
// floor BenchmarkFill24 compares with: a flat bitmap and a next-fit cursor.
type flat struct {
	w      []uint64
	n, cur uint64
	base   uint32
}

// newFlat builds one on the heap, as a pool is (not inlined: the compiler
// would otherwise keep it on the benchmark's stack).
//
//go:noinline
func newFlat(base uint32, n uint64) *flat {
	f := &flat{w: make([]uint64, (n+63)/64), n: n, base: base}
	if r := n & 63; r != 0 {
		f.w[len(f.w)-1] = ^uint64(0) << r // padding
	}
	return f
}

func (f *flat) allocate() (netip.Addr, bool) {
	nw := uint64(len(f.w))
	j := f.cur >> 6
	x := f.w[j] | (1<<(f.cur&63) - 1)
	for k := uint64(0); x == ^uint64(0); k++ {
		if k == nw {
			return netip.Addr{}, false
		}
		if j++; j == nw {
			j = 0
		}
		x = f.w[j]
	}
	i := j<<6 | uint64(bits.TrailingZeros64(^x))
	f.w[j] |= 1 << (i & 63)
	if f.cur = i + 1; f.cur >= f.n {
		f.cur = 0
	}
	v := f.base + uint32(i)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}
