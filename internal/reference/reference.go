// Package reference holds slow, obvious references that tests compare the
// fast code against.
package reference

import (
	"math/big"
	"math/bits"
	"net/netip"
	"slices"

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

// Slots is the reference for a pool of more than 2^20 slots, too many to
// list: it keeps the used slot numbers in a map and, for Random, applies
// ipam's rule for such spaces. Pages are the aligned runs of PageSize
// slots; a page is partial when it has both used and free slots. While
// fewer than WorkingPages pages are partial, Random takes the first free
// slot at or after a uniformly drawn slot, wrapping around; otherwise it
// draws r from [0, partial pages), then an offset o from [0, PageSize), and
// takes the first free slot at or after offset o of the r-th partial page in
// ascending order, wrapping around within the page.
type Slots struct {
	n        uint64
	used     map[uint64]bool
	perPage  map[uint64]uint64 // used slots per page
	strategy Strategy
	cursor   uint64
	seed     uint64
	rng      uint64
}

// PageSize and WorkingPages are the constants of ipam's rule for Random.
const (
	PageSize     = 4096
	WorkingPages = 64
)

// NewSlots returns the reference of n slots, numbered 0 to n−1.
func NewSlots(n uint64, s Strategy, seed uint64) *Slots {
	return &Slots{n: n, used: map[uint64]bool{}, perPage: map[uint64]uint64{}, strategy: s, seed: seed, rng: seed}
}

// pageLen returns the number of slots of page p: PageSize, less for the last.
func (m *Slots) pageLen(p uint64) uint64 { return min(PageSize, m.n-p*PageSize) }

// partial returns the partial pages in ascending order.
func (m *Slots) partial() []uint64 {
	var out []uint64
	for p, c := range m.perPage {
		if c > 0 && c < m.pageLen(p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func (m *Slots) take(s uint64) uint64 {
	m.used[s] = true
	m.perPage[s/PageSize]++
	return s
}

// Allocate takes a free slot by the strategy.
func (m *Slots) Allocate() (uint64, bool) {
	if uint64(len(m.used)) == m.n {
		return 0, false
	}
	var start uint64
	switch m.strategy {
	case 0:
		start = 0
	case 1:
		start = m.cursor
	case 2:
		wyr := Allocator[int]{rng: m.rng}
		if parts := m.partial(); len(parts) >= WorkingPages {
			p := parts[wyr.draw(uint64(len(parts)))]
			o := wyr.draw(PageSize)
			m.rng = wyr.rng
			for k := range uint64(PageSize) {
				if s := p*PageSize + (o+k)%PageSize; s < m.n && !m.used[s] {
					return m.take(s), true
				}
			}
			panic("reference: a partial page without a free slot")
		}
		start = wyr.draw(m.n)
		m.rng = wyr.rng
	}
	// The first free slot at or after start, wrapping around; full pages
	// are stepped over whole.
	for s := start; ; {
		p := s / PageSize
		if m.perPage[p] == m.pageLen(p) {
			s = p*PageSize + m.pageLen(p)
		} else if m.used[s] {
			s++
		} else {
			m.cursor = s + 1
			if m.cursor == m.n {
				m.cursor = 0
			}
			return m.take(s), true
		}
		if s == m.n {
			s = 0
		}
	}
}

// Reset frees every slot and starts the strategy over.
func (m *Slots) Reset() {
	clear(m.used)
	clear(m.perPage)
	m.cursor = 0
	m.rng = m.seed
}

// IsAllocated reports whether slot s is used.
func (m *Slots) IsAllocated(s uint64) bool { return m.used[s] }

// Occupy marks slot s used and reports whether it was a free slot.
func (m *Slots) Occupy(s uint64) bool {
	if s >= m.n || m.used[s] {
		return false
	}
	m.take(s)
	return true
}

// Release marks slot s free and reports whether it was used.
func (m *Slots) Release(s uint64) bool {
	if !m.used[s] {
		return false
	}
	delete(m.used, s)
	m.perPage[s/PageSize]--
	return true
}

// Used returns the number of used slots.
func (m *Slots) Used() int { return len(m.used) }

// All returns the used slots in ascending order.
func (m *Slots) All() []uint64 {
	out := make([]uint64, 0, len(m.used))
	for s := range m.used {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
