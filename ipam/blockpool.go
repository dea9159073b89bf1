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

// A BlockPool hands out aligned prefixes of one length from a space: /24
// node CIDRs from a pod CIDR, /26 Calico blocks, /28 static blocks.
//
// Only whole blocks count: a block that crosses the edge of the space or
// holds a reserved address is never handed out. A BlockPool is not safe for
// concurrent use and must not be copied after first use; its hot paths do not
// allocate (see Pool).
//
// The zero BlockPool is an empty pool of size 0 and block length 0, the
// state UnmarshalBinary starts from: every method answers as on the zero
// Pool (Allocate, and AllocateN and OccupyLowest of more than none, return
// ErrExhausted, Occupy and Release ErrOutOfRange, the rest report nothing
// held), and Bits returns 0.
type BlockPool struct {
	_    [0]sync.Mutex
	c    core
	bits int
}

// NewBlockPool returns a pool of the aligned /bits blocks in space that hold
// no address of opt.Reserved. bits must lie between the shortest prefix of
// the space and the family's length (32 or 128).
func NewBlockPool(space *netipx.IPSet, bits int, opt Options) (*BlockPool, error) {
	c, err := newBlockCore(space, bits, opt)
	if err != nil {
		return nil, err
	}
	return &BlockPool{c: c, bits: bits}, nil
}

func newBlockCore(space *netipx.IPSet, bits int, opt Options) (core, error) {
	if space == nil || len(space.Ranges()) == 0 {
		return core{}, fmt.Errorf("%w: nil or empty space", ErrInvalid)
	}
	maxBits := 128
	if space.Ranges()[0].From().Is4() {
		maxBits = 32
	}
	if bits < 0 || bits > maxBits {
		return core{}, fmt.Errorf("%w: block length /%d outside 0..%d", ErrInvalid, bits, maxBits)
	}
	fits := false
	for _, pfx := range space.Prefixes() {
		fits = fits || pfx.Bits() <= bits
	}
	if !fits {
		return core{}, fmt.Errorf("%w: space %v holds no whole /%d block", ErrInvalid, space.Prefixes(), bits)
	}
	return newCore(space, uint(maxBits-bits), opt)
}

// Bits returns the prefix length of the pool's blocks.
func (p *BlockPool) Bits() int { return p.bits }

func (p *BlockPool) block(s uint64) netip.Prefix {
	return netip.PrefixFrom(p.c.lay.at(s), p.bits)
}

// slotOf returns the slot of block b, which must be a masked prefix of the
// pool's length. (The layout rejects an address that is not at the start of a
// slot, so a prefix that is not masked has no slot.)
func (p *BlockPool) slotOf(b netip.Prefix) (uint64, bool) {
	if b.Bits() != p.bits {
		return 0, false
	}
	return p.c.lay.slotOf(b.Addr())
}

func (p *BlockPool) whyOut(op string, b netip.Prefix) error {
	switch {
	case !b.IsValid():
		return fmt.Errorf("%w: %s %v: invalid prefix", ErrOutOfRange, op, b)
	case b.Bits() != p.bits:
		return fmt.Errorf("%w: %s %v: not a /%d block", ErrOutOfRange, op, b, p.bits)
	case b.Masked() != b:
		return fmt.Errorf("%w: %s %v: misaligned, the block is %v", ErrOutOfRange, op, b, b.Masked())
	case b.Addr().Is4() == p.c.lay.is4 && p.c.space.ContainsPrefix(b) && p.c.opt.Reserved != nil && p.c.opt.Reserved.OverlapsPrefix(b):
		return fmt.Errorf("%w: %s %v: holds a reserved address", ErrOutOfRange, op, b)
	case b.Addr().Is4() == p.c.lay.is4 && p.c.space.OverlapsPrefix(b) && !p.c.space.ContainsPrefix(b):
		return fmt.Errorf("%w: %s %v: crosses the edge of the pool's space", ErrOutOfRange, op, b)
	}
	return p.c.whyOut(op, b, b.Addr())
}

// Allocate hands out a free block chosen by the pool's strategy, or returns
// ErrExhausted.
func (p *BlockPool) Allocate() (netip.Prefix, error) {
	s, ok := p.c.take()
	if !ok {
		return netip.Prefix{}, ErrExhausted
	}
	return p.block(s), nil
}

// AllocateN appends n free blocks to dst, all or nothing (see
// Pool.AllocateN).
func (p *BlockPool) AllocateN(dst []netip.Prefix, n int) ([]netip.Prefix, error) {
	if err := p.c.checkN(n); err != nil {
		return dst, err
	}
	if p.c.opt.Strategy != FirstFit {
		for range n {
			s, _ := p.c.take()
			dst = append(dst, p.block(s))
		}
		return dst, nil
	}
	dst = slices.Grow(dst, n) // first fit: a word at a time, as Pool.AllocateN
	for left := uint64(n); left > 0; {
		base, set, _ := p.c.bm.SetFirstClearWord(left)
		left -= uint64(bits.OnesCount64(set))
		for ; set != 0; set &= set - 1 {
			dst = append(dst, p.block(base|uint64(bits.TrailingZeros64(set))))
		}
	}
	return dst, nil
}

// Occupy marks block b, in use elsewhere, as allocated. It fails with
// ErrOutOfRange when b is not one of the pool's blocks (wrong length,
// misaligned, outside the space, holding a reserved address) and with
// ErrAlreadyAllocated when b is allocated already.
func (p *BlockPool) Occupy(b netip.Prefix) error {
	s, ok := p.slotOf(b)
	if !ok {
		return p.whyOut("occupy", b)
	}
	if !p.c.bm.Set(s) {
		return fmt.Errorf("%w: occupy %v", ErrAlreadyAllocated, b)
	}
	return nil
}

// OccupyLowest marks the n lowest free blocks, in use elsewhere, as
// allocated, in one pass, all or nothing (see Pool.OccupyLowest).
func (p *BlockPool) OccupyLowest(n uint64) error { return p.c.occupyLowest(n) }

// Release returns block b to the pool. It fails with ErrOutOfRange when b is
// not one of the pool's blocks and with ErrNotAllocated when b is free.
func (p *BlockPool) Release(b netip.Prefix) error {
	s, ok := p.slotOf(b)
	if !ok {
		return p.whyOut("release", b)
	}
	if !p.c.bm.Clear(s) {
		return fmt.Errorf("%w: release %v", ErrNotAllocated, b)
	}
	return nil
}

// Contains reports whether b is one of the blocks the pool can hand out.
func (p *BlockPool) Contains(b netip.Prefix) bool {
	_, ok := p.slotOf(b)
	return ok
}

// IsAllocated reports whether block b is allocated.
func (p *BlockPool) IsAllocated(b netip.Prefix) bool {
	s, ok := p.slotOf(b)
	return ok && p.c.bm.Test(s)
}

// Size returns the number of blocks the pool can hand out, saturating at
// math.MaxUint64.
func (p *BlockPool) Size() uint64 { return p.c.size() }

// Used returns the number of allocated blocks.
func (p *BlockPool) Used() uint64 { return p.c.used() }

// Free returns Size − Used.
func (p *BlockPool) Free() uint64 { return p.c.free() }

// Reset releases every block and restarts the strategy, as Pool.Reset.
func (p *BlockPool) Reset() { p.c.reset() }

// Strategy returns the pool's allocation strategy.
func (p *BlockPool) Strategy() Strategy { return p.c.opt.Strategy }

// Space returns the space the pool was built from, reserved addresses
// included.
func (p *BlockPool) Space() *netipx.IPSet { return p.c.space }

// All returns the allocated blocks in ascending order.
func (p *BlockPool) All() iter.Seq[netip.Prefix] {
	return func(yield func(netip.Prefix) bool) {
		for s := range p.c.bm.Ones() {
			if !yield(p.block(s)) {
				return
			}
		}
	}
}
