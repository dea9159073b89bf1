package ipam_test

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/ipcap/ipcap/internal/reference"
	"github.com/ipcap/ipcap/ipam"
	"github.com/stretchr/testify/require"
)

// at returns base plus s<<shift; base's low 64 bits must be zero.
func at(base netip.Addr, s uint64, shift uint) netip.Addr {
	b := base.As16()
	binary.BigEndian.PutUint64(b[8:], s<<shift)
	return netip.AddrFrom16(b)
}

// slotOf is at's inverse.
func slotOf(a netip.Addr, shift uint) uint64 {
	b := a.As16()
	return binary.BigEndian.Uint64(b[8:]) >> shift
}

// sparseAllocator is what the sparse test needs of a Pool or BlockPool,
// with values as slot numbers.
type sparseAllocator struct {
	allocate func() (uint64, error)
	occupy   func(uint64) error
	release  func(uint64) error
	isAlloc  func(uint64) bool
	used     func() uint64
	check    func() error // the bitmap's invariants
}

func poolSlots(p *ipam.Pool, base netip.Addr) sparseAllocator {
	return sparseAllocator{
		allocate: func() (uint64, error) { a, err := p.Allocate(); return slotOf(a, 0), err },
		occupy:   func(s uint64) error { return p.Occupy(at(base, s, 0)) },
		release:  func(s uint64) error { return p.Release(at(base, s, 0)) },
		isAlloc:  func(s uint64) bool { return p.IsAllocated(at(base, s, 0)) },
		used:     p.Used,
		check:    func() error { return ipam.CheckBitmap(p) },
	}
}

// TestSparseAgainstReference checks every strategy on spaces of more than
// 2^20 slots, Random's working set of pages included, against the
// reference: a /64, a space of 257 pages whose last is short, and a
// BlockPool. The bitmap's invariants are checked after every step. It runs
// in parallel with the other slow tests, after those that count allocations.
func TestSparseAgainstReference(t *testing.T) {
	t.Parallel()
	steps := 20000
	if testing.Short() {
		steps = 4000
	}
	short := netip.MustParseAddr("fd00:2::")
	blocks := netip.MustParseAddr("fd00:3::")
	spaces := []struct {
		name string
		n    uint64
		// steps: check walks every node, and in the /64 each scattered
		// Occupy opens a path of nine
		steps int
		make  func(opt ipam.Options) sparseAllocator
	}{
		{"v6 /64", 1<<64 - 1, steps / 8, func(opt ipam.Options) sparseAllocator {
			p, err := ipam.NewPool(set(t, "fd00:1::/64"), opt)
			require.NoError(t, err)
			return poolSlots(p, netip.MustParseAddr("fd00:1::"))
		}},
		{"257 pages", 1<<20 + 1000, steps, func(opt ipam.Options) sparseAllocator {
			p, err := ipam.NewPool(set(t, "fd00:2::-fd00:2::10:3e7"), opt)
			require.NoError(t, err)
			return poolSlots(p, short)
		}},
		{"/124 blocks of a /100", 1 << 24, steps, func(opt ipam.Options) sparseAllocator {
			p, err := ipam.NewBlockPool(set(t, "fd00:3::/100"), 124, opt)
			require.NoError(t, err)
			return sparseAllocator{
				allocate: func() (uint64, error) { b, err := p.Allocate(); return slotOf(b.Addr(), 4), err },
				occupy:   func(s uint64) error { return p.Occupy(netip.PrefixFrom(at(blocks, s, 4), 124)) },
				release:  func(s uint64) error { return p.Release(netip.PrefixFrom(at(blocks, s, 4), 124)) },
				isAlloc:  func(s uint64) bool { return p.IsAllocated(netip.PrefixFrom(at(blocks, s, 4), 124)) },
				used:     p.Used,
				check:    func() error { return ipam.CheckBitmap(p) },
			}
		}},
	}
	for _, sp := range spaces {
		for _, st := range strategies {
			t.Run(sp.name+"/"+st.String(), func(t *testing.T) {
				seed := uint64(len(sp.name)) + uint64(st)
				p := sp.make(ipam.Options{Strategy: st, Seed: seed})
				m := reference.NewSlots(sp.n, reference.Strategy(st), seed)
				r := rand.New(rand.NewPCG(1, seed))
				var mine []uint64 // allocated slots, for releases
				for step := range sp.steps {
					switch op := r.IntN(10); {
					case op < 6:
						got, err := p.allocate()
						want, ok := m.Allocate()
						require.Equal(t, ok, err == nil, "step %d", step)
						require.Equal(t, want, got, "step %d Allocate", step)
						mine = append(mine, got)
					case op < 8 && len(mine) > 0:
						k := r.IntN(len(mine))
						s := mine[k]
						mine[k] = mine[len(mine)-1]
						mine = mine[:len(mine)-1]
						require.Equal(t, m.Release(s), p.release(s) == nil, "step %d Release(%d)", step, s)
					case op == 8: // a slot next to one in use, or anywhere
						s := r.Uint64N(sp.n)
						if len(mine) > 0 && r.IntN(2) == 0 {
							s = min(mine[r.IntN(len(mine))]+uint64(r.IntN(64)), sp.n-1)
						}
						require.Equal(t, m.Occupy(s), p.occupy(s) == nil, "step %d Occupy(%d)", step, s)
					default:
						s := r.Uint64N(sp.n)
						require.Equal(t, m.IsAllocated(s), p.isAlloc(s))
					}
					require.Equal(t, uint64(m.Used()), p.used())
					require.NoError(t, p.check(), "step %d", step)
				}
				for _, s := range m.All() {
					require.True(t, p.isAlloc(s))
				}
			})
		}
	}
}

// TestSparseRandomFillsUp brings a space of 257 pages close to full with
// Occupy, then lets Random take the rest and refill what is released: the
// working set empties below 64 pages and the pool runs out, as the
// reference says.

func TestSparseRandomFillsUp(t *testing.T) {
	const n = 1<<20 + 1000
	base := netip.MustParseAddr("fd00:2::")
	pool, err := ipam.NewPool(set(t, "fd00:2::-fd00:2::10:3e7"), ipam.Options{Strategy: ipam.Random, Seed: 5})
	require.NoError(t, err)
	p := poolSlots(pool, base)
	m := reference.NewSlots(n, reference.Strategy(ipam.Random), 5)
	r := rand.New(rand.NewPCG(5, 5))
	for s := range uint64(n) {
		if r.IntN(200) != 0 { // about 20 free slots per page
			require.True(t, m.Occupy(s))
			require.NoError(t, p.occupy(s))
		}
	}
	for round := range 3 {
		var got []uint64
		for {
			g, err := p.allocate()
			w, ok := m.Allocate()
			require.Equal(t, ok, err == nil, "round %d after %d", round, len(got))
			if !ok {
				break
			}
			require.Equal(t, w, g, "round %d allocation %d", round, len(got))
			got = append(got, g)
		}
		require.Equal(t, uint64(n), pool.Used())
		for _, s := range got[:len(got)/2] {
			require.True(t, m.Release(s))
			require.NoError(t, p.release(s))
		}
	}

	// A restored pool continues the same sequence.
	b, err := pool.MarshalBinary()
	require.NoError(t, err)
	var q ipam.Pool
	require.NoError(t, q.UnmarshalBinary(b))
	for range 500 {
		a1, err1 := pool.Allocate()
		a2, err2 := q.Allocate()
		require.Equal(t, err1, err2)
		require.Equal(t, a1, a2)
	}
	require.Equal(t, slices.Collect(pool.All()), slices.Collect(q.All()))
}

// TestSparseRandomSpreads checks the working set's shape in a /64: the first
// 64 addresses open 64 distinct pages, and a million addresses stay within
// about 64 + 1,000,000/4,096 pages.
func TestSparseRandomSpreads(t *testing.T) {
	pool, err := ipam.NewPool(set(t, "fd00:1::/64"), ipam.Options{Strategy: ipam.Random, Seed: 11})
	require.NoError(t, err)
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	pages := map[uint64]int{}
	for i := range n {
		a, err := pool.Allocate()
		require.NoError(t, err)
		pages[slotOf(a, 0)/4096]++
		if i == 63 {
			require.Len(t, pages, 64, "the first 64 addresses open 64 pages")
		}
	}
	require.LessOrEqual(t, len(pages), 64+n/4096+1)
	full := 0
	for _, c := range pages {
		if c == 4096 {
			full++
		}
	}
	require.GreaterOrEqual(t, full, n/4096-64, "pages fill before new ones open")
}

// TestSparseRandomNoAllocs checks that Random in a /64 whose working set is
// open allocates nothing: it reuses the pages that exist.
func TestSparseRandomNoAllocs(t *testing.T) {
	p, err := ipam.NewPool(set(t, "fd00:1::/64"), ipam.Options{Strategy: ipam.Random, Seed: 2})
	require.NoError(t, err)
	_, err = p.AllocateN(nil, 100_000)
	require.NoError(t, err)
	require.Zero(t, hotPathAllocs[netip.Addr](p, 8), "Random in a /64: allocations per run")
}
