package ipam

import (
	"fmt"
	"iter"
	"math/bits"
	"net/netip"
	"slices"
	"sync"

	"go4.org/netipx"
)

// A Pool hands out single addresses from a space.
//
// The zero Pool is an empty pool of size 0, the state UnmarshalBinary
// starts from: Allocate and OccupyLowest(n > 0) return ErrExhausted,
// AllocateN(dst, n > 0) returns dst and ErrExhausted, Occupy and Release
// ErrOutOfRange; Contains and IsAllocated report false, Size, Used and Free
// 0, All yields nothing, Reset does nothing, Strategy is FirstFit and Space
// nil; MarshalBinary and AppendBinary encode a zero Pool, which
// UnmarshalBinary restores as one.
//
// A Pool is not safe for concurrent use, and must not be copied after first
// use. Its hot paths (Allocate, AllocateN into a slice with room, Occupy,
// Release, Contains, IsAllocated, Size, Used, Free) do not allocate, except
// that in a space of over 2^20 addresses the first use of a 4,096-address
// page creates it.
type Pool struct {
	_ [0]sync.Mutex // a copy would share state: vet's copylocks check flags it
	c core
}

// NewPool returns a pool of the addresses in space, minus opt.Reserved.
// The space must be non-empty and of one family. A pool indexes at most
// 2^64−1 addresses; the rest of a larger IPv6 space lies outside it.
func NewPool(space *netipx.IPSet, opt Options) (*Pool, error) {
	c, err := newCore(space, 0, opt)
	if err != nil {
		return nil, err
	}
	return &Pool{c: c}, nil
}

// NewPrefixPool returns a pool of the addresses of prefix p, minus
// opt.Reserved: the pool NewPool returns for the set of p alone, built
// without the set. It is the per-node pool: over a node's /24 it makes two
// allocations (three with reserved addresses: the reserved set's Ranges
// copy) and holds 208 bytes, the 160-byte Pool and its bitmap's five words
// (TestPerNodePoolCost, TestLivePodsHeld). Space builds the set of p at each
// call.
func NewPrefixPool(p netip.Prefix, opt Options) (*Pool, error) {
	if !p.IsValid() {
		return nil, fmt.Errorf("%w: invalid prefix %v", ErrInvalid, p)
	}
	p = p.Masked()
	c, err := newCoreOf([]netipx.IPRange{netipx.RangeOfPrefix(p)}, 0, opt)
	if err != nil {
		return nil, err
	}
	if c.size() > 0 {
		c.lay.prefix = uint8(p.Bits() + 1)
	} else { // every address reserved: no slot to find the prefix from
		var b netipx.IPSetBuilder
		b.AddPrefix(p)
		c.space, _ = b.IPSet()
	}
	return &Pool{c: c}, nil
}

// Allocate hands out a free address chosen by the pool's strategy, or returns
// ErrExhausted.
func (p *Pool) Allocate() (netip.Addr, error) {
	// The common cases, first fit and a single IPv4 run, are written out:
	// Go inlines neither take nor at (TestInlining), and their call frames
	// cost about as much as the search (bench/'s pod-address cycle: 2,840 →
	// 2,430 ns).
	var s uint64
	var ok bool
	if p.c.opt.Strategy == FirstFit {
		s, ok = p.c.bm.SetFirstClear()
	} else {
		s, ok = p.c.take()
	}
	if !ok {
		return netip.Addr{}, ErrExhausted
	}
	if l := &p.c.lay; l.single4 {
		return l.atSingle4(s), nil
	}
	return p.c.lay.atRuns(s), nil
}

// AllocateN appends n free addresses to dst and returns the extended slice.
// It is all or nothing: when fewer than n are free it changes nothing and
// returns dst and an error wrapping ErrExhausted.
func (p *Pool) AllocateN(dst []netip.Addr, n int) ([]netip.Addr, error) {
	if err := p.c.checkN(n); err != nil {
		return dst, err
	}
	if p.c.opt.Strategy != FirstFit {
		for range n {
			s, _ := p.c.take()
			dst = append(dst, p.c.lay.at(s))
		}
		return dst, nil
	}
	// First fit takes the free slots of a bitmap word at once, then turns
	// each into an address.
	dst = slices.Grow(dst, n)
	l := &p.c.lay
	for left := uint64(n); left > 0; {
		base, set, _ := p.c.bm.SetFirstClearWord(left)
		left -= uint64(bits.OnesCount64(set))
		for ; set != 0; set &= set - 1 {
			s := base | uint64(bits.TrailingZeros64(set))
			if l.single4 {
				dst = append(dst, l.atSingle4(s))
			} else {
				dst = append(dst, l.atRuns(s))
			}
		}
	}
	return dst, nil
}

// Occupy marks a, in use elsewhere, as allocated. It fails with
// ErrOutOfRange when the pool cannot hand a out and with ErrAlreadyAllocated
// when a is allocated already.
func (p *Pool) Occupy(a netip.Addr) error {
	s, ok := p.c.lay.slotOf(a)
	if !ok {
		return p.c.whyOut("occupy", a, a)
	}
	if !p.c.bm.Set(s) {
		return fmt.Errorf("%w: occupy %v", ErrAlreadyAllocated, a)
	}
	return nil
}

// OccupyLowest marks the n lowest free addresses, in use elsewhere, as
// allocated: what n first-fit allocations on a fresh pool would take, in one
// pass rather than n (a million addresses others hold cost a few range
// writes). It is all or nothing and fails with ErrExhausted when fewer than
// n are free. The strategy's state (NextFit's cursor) does not move.
func (p *Pool) OccupyLowest(n uint64) error { return p.c.occupyLowest(n) }

// Release returns a to the pool. It fails with ErrOutOfRange when a is not
// the pool's and with ErrNotAllocated when a is free.
func (p *Pool) Release(a netip.Addr) error {
	s, ok := p.c.lay.slotOf(a)
	if !ok {
		return p.c.whyOut("release", a, a)
	}
	if !p.c.bm.Clear(s) {
		return fmt.Errorf("%w: release %v", ErrNotAllocated, a)
	}
	return nil
}

// Contains reports whether the pool can hand out a: a is in the space, not
// reserved, and within the pool's 2^64−1 slots.
func (p *Pool) Contains(a netip.Addr) bool {
	_, ok := p.c.lay.slotOf(a)
	return ok
}

// IsAllocated reports whether a is allocated.
func (p *Pool) IsAllocated(a netip.Addr) bool {
	s, ok := p.c.lay.slotOf(a)
	return ok && p.c.bm.Test(s)
}

// Size returns the number of addresses the pool can hand out, saturating at
// math.MaxUint64.
func (p *Pool) Size() uint64 { return p.c.size() }

// Used returns the number of allocated addresses.
func (p *Pool) Used() uint64 { return p.c.used() }

// Free returns Size − Used.
func (p *Pool) Free() uint64 { return p.c.free() }

// Reset releases every address and restarts the strategy: the pool is as
// NewPool returned it, with the same space and options, but keeps its
// memory. A simulation that replays many trials resets its pools between
// them rather than releasing address by address.
func (p *Pool) Reset() { p.c.reset() }

// Strategy returns the pool's allocation strategy.
func (p *Pool) Strategy() Strategy { return p.c.opt.Strategy }

// Space returns the space the pool was built from, reserved addresses
// included: for a pool made by NewPrefixPool, a new set of its prefix at
// each call.
func (p *Pool) Space() *netipx.IPSet { return p.c.spaceSet() }

// All returns the allocated addresses in ascending order.
func (p *Pool) All() iter.Seq[netip.Addr] {
	return func(yield func(netip.Addr) bool) {
		for s := range p.c.bm.Ones() {
			if !yield(p.c.lay.at(s)) {
				return
			}
		}
	}
}
