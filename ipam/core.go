package ipam

import (
	"fmt"
	"net/netip"

	"github.com/ipcap/ipcap/internal/bitmap"
	"go4.org/netipx"
)

// core is what Pool and BlockPool share: the layout of slots over the space,
// the bitmap of used slots, and the strategy's state. Its size is what a
// per-node pool costs beyond its bitmap's words (TestPerNodePoolCost), so it
// holds no more than it needs: 160 bytes.
type core struct {
	lay layout
	bm  bitmap.Bitmap
	opt Options
	// space is the space the pool was built from; nil in the zero pool and
	// in a pool over a prefix (NewPrefixPool), whose space is prefix.
	space  *netipx.IPSet
	rng    wyrand // Random only: state seeded with Options.Seed
	cursor uint64 // NextFit only: where the next search starts
	// Random takes its dense path while fewer than randFast slots are used:
	// the slot count in a dense space, 0 in a sparse one. Testing it costs
	// the dense path no more than the test for a full pool it replaces.
	randFast uint64
}

// newCore returns the core of a pool over space, in slots of 2^host
// addresses.
func newCore(space *netipx.IPSet, host uint, opt Options) (core, error) {
	if space == nil {
		return core{}, fmt.Errorf("%w: nil space", ErrInvalid)
	}
	c, err := newCoreOf(space.Ranges(), host, opt)
	c.space = space
	return c, err
}

// newCoreOf returns the core of a pool over ranges, a space's ranges in
// ascending order, without its set: the caller sets space or lay.prefix.
func newCoreOf(ranges []netipx.IPRange, host uint, opt Options) (core, error) {
	if err := opt.Validate(); err != nil {
		return core{}, err
	}
	lay, err := newLayout(ranges, opt.Reserved, host)
	if err != nil {
		return core{}, err
	}
	c := core{
		lay:      lay,
		bm:       bitmap.New(lay.size()),
		opt:      opt,
		rng:      wyrand{opt.Seed},
		randFast: lay.size(),
	}
	if lay.size() > bitmap.DenseMax {
		c.randFast = 0
	}
	return c, nil
}

// prefix returns the prefix that is the space of a pool made by
// NewPrefixPool, and false for any other pool.
func (c *core) prefix() (netip.Prefix, bool) {
	if c.lay.prefix == 0 {
		return netip.Prefix{}, false
	}
	// Any slot's address lies in the prefix: NewPrefixPool keeps the set
	// of a prefix with no slot.
	p, _ := c.lay.at(0).Prefix(int(c.lay.prefix) - 1)
	return p, true
}

// spaceSet returns the space as a set: the one the pool was built from, or
// for a pool over a prefix a new one.
func (c *core) spaceSet() *netipx.IPSet {
	if p, ok := c.prefix(); ok {
		var b netipx.IPSetBuilder
		b.AddPrefix(p)
		s, _ := b.IPSet()
		return s
	}
	return c.space
}

// spaceContains reports whether the space holds a, without building a set.
func (c *core) spaceContains(a netip.Addr) bool {
	if p, ok := c.prefix(); ok {
		return p.Contains(a)
	}
	return c.space != nil && c.space.Contains(a)
}

// take marks a free slot used, chosen by the strategy, and returns it.
func (c *core) take() (uint64, bool) {
	switch c.opt.Strategy {
	case FirstFit:
		return c.bm.SetFirstClear()
	case NextFit:
		s, ok := c.bm.SetNextClearWrap(c.cursor)
		if ok {
			c.cursor = s + 1
			if c.cursor >= c.bm.Len() {
				c.cursor = 0
			}
		}
		return s, ok
	}
	n := c.bm.Len()                 // Random
	if c.bm.Count() >= c.randFast { // full, or sparse
		if c.bm.Count() == n {
			return 0, false
		}
		return c.takeSparseRandom(n), true
	}
	return c.bm.SetNextClearWrapRandom(c.rng.uint64n(n))
}

// takeSparseRandom is Random's take in a sparse space of n slots, one at
// least free: a partial page of the working set when it is full enough, a
// uniform start otherwise (see Random). Kept out of take, whose dense path
// it would slow.
func (c *core) takeSparseRandom(n uint64) uint64 {
	if k := c.bm.PartialPages(); k >= randomPages {
		r := c.rng.uint64n(k)
		return c.bm.SetInPartialPage(r, c.rng.uint64n(bitmap.PageBits))
	}
	s, _ := c.bm.SetNextClearWrapRandom(c.rng.uint64n(n))
	return s
}

// randomPages is how many partly used pages Random fills at once in a space
// of over 2^20 slots before it opens another (see Random).
const randomPages = 64

// reset frees every slot and restarts the strategy, as newCore left it.
func (c *core) reset() {
	c.bm.Reset()
	c.cursor = 0
	c.rng = wyrand{c.opt.Seed}
}

// size, used and free count slots.
func (c *core) size() uint64 { return c.lay.size() }
func (c *core) used() uint64 { return c.bm.Count() }
func (c *core) free() uint64 { return c.lay.size() - c.bm.Count() }

// whyOut explains why address a, the start of value v, has no slot.
func (c *core) whyOut(op string, v any, a netip.Addr) error {
	switch {
	case !a.IsValid():
		return fmt.Errorf("%w: %s %v: invalid", ErrOutOfRange, op, v)
	case a.Is4() != c.lay.is4:
		fam := "IPv4"
		if !c.lay.is4 {
			fam = "IPv6"
		}
		return fmt.Errorf("%w: %s %v: not an %s pool's family", ErrOutOfRange, op, v, fam)
	case c.opt.Reserved != nil && c.opt.Reserved.Contains(a) && c.spaceContains(a):
		return fmt.Errorf("%w: %s %v: reserved", ErrOutOfRange, op, v)
	}
	return fmt.Errorf("%w: %s %v: outside the pool's space", ErrOutOfRange, op, v)
}

// checkN reports whether n more slots can be taken at once.
func (c *core) checkN(n int) error {
	if n < 0 {
		return fmt.Errorf("%w: AllocateN count %d is negative", ErrInvalid, n)
	}
	if uint64(n) > c.free() {
		return fmt.Errorf("%w: %d requested, %d free", ErrExhausted, n, c.free())
	}
	return nil
}

// occupyLowest marks the n lowest free slots used, all or nothing, setting
// each free gap below them as one range: the cost grows with the runs
// already allocated, not with n. The strategy's state does not move.
func (c *core) occupyLowest(n uint64) error {
	if n > c.free() {
		return fmt.Errorf("%w: occupy %d lowest, %d free", ErrExhausted, n, c.free())
	}
	if n == 0 {
		return nil
	}
	if c.bm.Count() == 0 { // a fresh or reset pool: one range, no allocation
		c.bm.SetRange(0, n)
		return nil
	}
	// Find the gaps first: the bitmap must not change under Runs.
	type gap struct{ lo, n uint64 }
	var gaps []gap
	var next uint64 // the lowest slot not yet accounted for
	left := n
	for s, k := range c.bm.Runs() {
		if g := min(s-next, left); g > 0 {
			gaps = append(gaps, gap{next, g})
			left -= g
		}
		next = s + k
		if left == 0 {
			break
		}
	}
	if left > 0 {
		gaps = append(gaps, gap{next, left})
	}
	for _, g := range gaps {
		c.bm.SetRange(g.lo, g.n)
	}
	return nil
}
