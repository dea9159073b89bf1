// Package golden holds slow, obvious reference models that tests compare the
// fast code against.
package golden

import (
	"math/big"
	"math/bits"
	"net/netip"

	"go4.org/netipx"
)

// Strategy mirrors ipam.Strategy: 0 first fit, 1 next fit, 2 random.
type Strategy int

// Allocator hands out values from an explicit, ascending list of slots,
// keeping what is used in a map. It is the reference for ipam's pools.
type Allocator[T comparable] struct {
	slots    []T
	index    map[T]int
	used     map[int]bool
	strategy Strategy
	cursor   int
	seed     uint64
	rng      uint64 // wyrand's state
}

// New returns an allocator over slots, which must be ascending and distinct.
// Random draws its starting slot as ipam documents: Lemire's method over
// wyrand with the seed as its state.
func New[T comparable](slots []T, s Strategy, seed uint64) *Allocator[T] {
	a := &Allocator[T]{slots: slots, index: map[T]int{}, used: map[int]bool{}, strategy: s,
		seed: seed, rng: seed}
	for i, v := range slots {
		a.index[v] = i
	}
	return a
}

// next is wyrand as Go's runtime.cheaprand computes it.
func (a *Allocator[T]) next() uint64 {
	a.rng += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(a.rng, a.rng^0xe7037ed1a0b428db)
	return hi ^ lo
}

// draw is Lemire's method: the high word of a 64×64-bit product, drawing
// again while the low word is below 2^64 mod n.
func (a *Allocator[T]) draw(n uint64) uint64 {
	for {
		hi, lo := bits.Mul64(a.next(), n)
		if lo >= -n%n {
			return hi
		}
	}
}

// Allocate takes a free slot by the strategy.
func (a *Allocator[T]) Allocate() (T, bool) {
	var zero T
	n := len(a.slots)
	if len(a.used) == n {
		return zero, false
	}
	start := 0
	switch a.strategy {
	case 1:
		start = a.cursor
	case 2:
		start = int(a.draw(uint64(n)))
	}
	for k := range n {
		i := (start + k) % n
		if !a.used[i] {
			a.used[i] = true
			a.cursor = (i + 1) % n
			return a.slots[i], true
		}
	}
	return zero, false
}

// Reset frees every slot and starts the strategy over, as New left it.
func (a *Allocator[T]) Reset() {
	clear(a.used)
	a.cursor = 0
	a.rng = a.seed
}

// Contains reports whether v is a slot.
func (a *Allocator[T]) Contains(v T) bool { _, ok := a.index[v]; return ok }

// IsAllocated reports whether v is a used slot.
func (a *Allocator[T]) IsAllocated(v T) bool { i, ok := a.index[v]; return ok && a.used[i] }

// Occupy marks v used and reports whether it was a free slot.
func (a *Allocator[T]) Occupy(v T) bool {
	i, ok := a.index[v]
	if !ok || a.used[i] {
		return false
	}
	a.used[i] = true
	return true
}

// Release marks v free and reports whether it was a used slot.
func (a *Allocator[T]) Release(v T) bool {
	i, ok := a.index[v]
	if !ok || !a.used[i] {
		return false
	}
	delete(a.used, i)
	return true
}

// Size returns the number of slots.
func (a *Allocator[T]) Size() int { return len(a.slots) }

// Used returns the number of used slots.
func (a *Allocator[T]) Used() int { return len(a.used) }

// All returns the used slots in ascending order.
func (a *Allocator[T]) All() []T {
	var out []T
	for i, v := range a.slots {
		if a.used[i] {
			out = append(out, v)
		}
	}
	return out
}

// Slot returns slot i, for tests that pick values at random.
func (a *Allocator[T]) Slot(i int) T { return a.slots[i] }

// Addrs lists the addresses of space minus reserved, one by one.
func Addrs(space, reserved *netipx.IPSet) []netip.Addr {
	var out []netip.Addr
	for _, r := range space.Ranges() {
		for a := r.From(); a.IsValid() && a.Compare(r.To()) <= 0; a = a.Next() {
			if reserved == nil || !reserved.Contains(a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// Blocks lists the aligned /bits prefixes wholly inside space that hold no
// reserved address, by testing every aligned candidate between the space's
// first and last address.
func Blocks(space, reserved *netipx.IPSet, bits int) []netip.Prefix {
	rs := space.Ranges()
	first, last := rs[0].From(), rs[len(rs)-1].To()
	step := new(big.Int).Lsh(big.NewInt(1), uint(first.BitLen()-bits))
	lo := new(big.Int).SetBytes(first.AsSlice())
	lo.Div(lo, step).Mul(lo, step)
	hi := new(big.Int).SetBytes(last.AsSlice())
	var out []netip.Prefix
	for v := lo; v.Cmp(hi) <= 0; v.Add(v, step) {
		buf := make([]byte, first.BitLen()/8)
		v.FillBytes(buf)
		a, _ := netip.AddrFromSlice(buf)
		p := netip.PrefixFrom(a, bits)
		if space.ContainsPrefix(p) && (reserved == nil || !reserved.OverlapsPrefix(p)) {
			out = append(out, p)
		}
	}
	return out
}
