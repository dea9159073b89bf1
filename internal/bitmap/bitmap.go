// Package bitmap implements the hierarchical bitmaps behind ipcap's
// allocators: sets of bit indices in [0, n) that find a clear bit with one
// bits.TrailingZeros64 per level, so a search costs a few loads whether the
// bitmap is empty or has a single clear bit left.
//
// Up to DenseMax bits the bitmap is dense: flat levels allocated up front,
// each holding one bit per full word of the level below. Beyond that it is a
// sparse 64-ary tree of 4,096-bit pages created on first touch, so memory
// grows with the bits that were set, not with n (up to 2^64−1).
package bitmap

import (
	"iter"
	"math/bits"
)

// DenseMax is the largest length that is stored densely: 2^20 bits cost
// 132 KiB up front.
const DenseMax = 1 << 20

// Bitmap is a set of bit indices in [0, Len()). The zero value is an empty
// bitmap of length 0 to which nothing can be added; use New.
//
// A Bitmap is not safe for concurrent use.
type Bitmap struct {
	n    uint64
	ones uint64
	low  uint64  // every bit below low is set: where SetFirstClear looks first
	d    dense   // its h is 0 unless the bitmap is dense
	s    *sparse // nil when dense, and in the zero Bitmap: a small bitmap holds no sparse header
}

// New returns a bitmap of n clear bits.
func New(n uint64) Bitmap { return newBitmap(n, n <= DenseMax) }

func newBitmap(n uint64, isDense bool) Bitmap {
	b := Bitmap{n: n}
	if isDense {
		b.d = newDense(n)
	} else {
		s := newSparse(n)
		b.s = &s
	}
	return b
}

// isDense reports whether the bitmap is dense (not sparse, nor the zero
// Bitmap).
func (b *Bitmap) isDense() bool { return b.d.h != 0 }

// Reset clears every bit, as New(b.Len()) would return, but keeps the
// memory the bitmap holds for reuse.
func (b *Bitmap) Reset() {
	if b.isDense() {
		b.d.reset(b.n)
	} else if b.s != nil {
		b.s.reset()
	}
	b.ones, b.low = 0, 0
}

// Len returns the number of bits.
func (b *Bitmap) Len() uint64 { return b.n }

// Count returns the number of set bits.
func (b *Bitmap) Count() uint64 { return b.ones }

// Test reports whether bit i is set. Bits at or beyond Len report false.
func (b *Bitmap) Test(i uint64) bool {
	if i >= b.n {
		return false
	}
	if b.isDense() {
		return b.d.test(i)
	}
	return b.s.test(i)
}

// Set sets bit i and reports whether it was clear. i must be below Len.
func (b *Bitmap) Set(i uint64) bool {
	var ok bool
	if b.isDense() {
		ok = b.d.set(i)
	} else {
		ok = b.s.set(i)
	}
	if ok {
		b.ones++
	}
	return ok
}

// Clear clears bit i and reports whether it was set. i must be below Len.
func (b *Bitmap) Clear(i uint64) bool {
	if !b.isDense() {
		if !b.s.clear(i) {
			return false
		}
	} else { // written out, as the searches below
		d := &b.d
		w, m := i>>6, uint64(1)<<(i&63)
		x := d.w[w]
		if x&m == 0 {
			return false
		}
		d.w[w] = x &^ m
		switch {
		case x != allOnes:
		case w == d.pending: // the levels above never saw it full
			d.pending = none
		default:
			d.propagateNotFull(w)
		}
	}
	b.ones--
	if i < b.low { // a branch, not min: no store when low stays, as it does for all but first fit
		b.low = i
	}
	return true
}

// NextClear returns the lowest clear bit at or above from, and false when
// there is none below Len.
func (b *Bitmap) NextClear(from uint64) (uint64, bool) {
	if b.isDense() {
		if from >= b.n {
			return 0, false
		}
		return b.d.nextClear(from)
	}
	if b.s == nil {
		return 0, false
	}
	i, _, ok := b.s.nextClear(from)
	return i, ok
}

// SetNextClear sets the lowest clear bit at or above from and returns it, or
// false when there is none below Len.
func (b *Bitmap) SetNextClear(from uint64) (uint64, bool) {
	var i uint64
	var ok bool
	if b.isDense() {
		if from >= b.n {
			return 0, false
		}
		if i, ok = b.d.nextClear(from); ok {
			b.d.set(i)
		}
	} else if b.s != nil {
		i, ok = b.s.setNextClear(from)
	}
	if ok {
		b.ones++
	}
	return i, ok
}

// SetNextClearWrap sets the lowest clear bit at or above from or, when there
// is none, the lowest clear bit; false when every bit is set. A from at or
// beyond Len starts at 0.
func (b *Bitmap) SetNextClearWrap(from uint64) (uint64, bool) { return b.setNextClearWrap(from, false) }

// SetNextClearWrapRandom is SetNextClearWrap for a from drawn at random: it
// finds the same bit without branching on how far the search climbs, which a
// random start makes unpredictable.
func (b *Bitmap) SetNextClearWrapRandom(from uint64) (uint64, bool) {
	return b.setNextClearWrap(from, true)
}

func (b *Bitmap) setNextClearWrap(from uint64, random bool) (uint64, bool) {
	if !b.isDense() {
		if b.s == nil {
			return 0, false
		}
		i, ok := b.s.setNextClear(from)
		if !ok {
			i, ok = b.s.setFirstClear()
		}
		if ok {
			b.ones++
		}
		return i, ok
	}
	// The dense searches are written out in the methods that allocators call,
	// here and in SetFirstClear: a call frame would cost as much as the
	// search when the word in hand has the answer.
	d := &b.d
	if from >= b.n {
		from = 0
	}
	j, raw, free := d.clearFrom(from)
	if free == 0 {
		var ok bool
		if random {
			j, ok = d.nextClearWordWrapFlat(j)
		} else {
			j, ok = d.nextClearWordWrap(j)
		}
		if !ok {
			return 0, false
		}
		raw = d.w[j]
		free = ^raw
	}
	b.ones++
	i, full := d.fill(j, raw, free)
	if full {
		d.postpone(j)
	}
	return i, true
}

// PageBits is the size of a sparse bitmap's pages: bit i lies in page
// i/PageBits, and bits at or beyond Len count as set.
const PageBits = 1 << pageShift

// PartialPages returns the number of pages of a sparse bitmap that hold both
// set and clear bits (0 for a dense bitmap).
func (b *Bitmap) PartialPages() uint64 {
	if b.isDense() || b.s == nil {
		return 0
	}
	return b.s.partialPages()
}

// SetInPartialPage sets the first clear bit at or after offset off of the
// r-th partial page in ascending order (see PartialPages), wrapping around
// to the page's start, and returns it. The bitmap must be sparse, r below
// PartialPages and off below PageBits. It lets a random strategy reuse the
// pages that exist rather than create one per draw.
func (b *Bitmap) SetInPartialPage(r, off uint64) uint64 {
	b.ones++
	return b.s.setInPartial(r, off)
}

// SetFirstClear sets the lowest clear bit and returns it, or false when every
// bit is set. It remembers how far the bits are all set, and Clear lowers
// that mark, so allocating in order, or again after a release, reads one
// word: the common cases cost no descent of the levels.
func (b *Bitmap) SetFirstClear() (uint64, bool) {
	if !b.isDense() {
		if b.s == nil {
			return b.tookFirst(0, false)
		}
		i, ok := b.s.setFirstFrom(b.low) // nothing below low is clear
		return b.tookFirst(i, ok)
	}
	d := &b.d
	j, raw, free := d.clearFrom(b.low) // nothing below low is clear
	if free == 0 {
		if j, raw, free = d.firstClearWord(); free == 0 {
			return b.tookFirst(0, false)
		}
	}
	i, full := d.fill(j, raw, free)
	if full {
		// Shown full at once: first fit comes back to this word through
		// low, not through the levels, and a word left pending would make
		// releases elsewhere branch on it.
		d.propagateFull(j)
	}
	return b.tookFirst(i, true)
}

// SetFirstClearWord sets the lowest clear bits that share a word with the
// lowest clear bit, no more than most (≥ 1) of them, and returns the index of
// that word's bit 0 and a mask of the bits it set: what up to most calls of
// SetFirstClear would set in that word, for the cost of one. It returns false
// when every bit is set. A sparse bitmap sets the lowest clear bit alone.
func (b *Bitmap) SetFirstClearWord(most uint64) (base, set uint64, ok bool) {
	if !b.isDense() {
		if i, ok := b.SetFirstClear(); ok {
			return i &^ 63, uint64(1) << (i & 63), true
		}
		return 0, 0, false
	}
	d := &b.d
	j, raw, free := d.clearFrom(b.low)
	if free == 0 {
		if j, raw, free = d.firstClearWord(); free == 0 {
			b.low = b.n
			return 0, 0, false
		}
	}
	k := uint64(bits.OnesCount64(free))
	if k > most { // keep the lowest clear bits, most of them
		free = lowestBits(free, k, most)
		k = most
	}
	raw |= free
	d.w[j] = raw
	if raw == allOnes {
		d.propagateFull(j) // shown at once, as SetFirstClear does
	}
	b.ones += k
	b.low = j<<6 | uint64(64-bits.LeadingZeros64(free)) // past the highest bit set
	if b.ones == b.n {
		b.low = b.n
	}
	return j << 6, free, true
}

// lowestBits returns the lowest m set bits of x, which has k > m, by
// collecting them or by dropping the k−m highest, whichever is fewer steps.
func lowestBits(x, k, m uint64) uint64 {
	if m <= k-m {
		var low uint64
		for range m {
			low |= x & -x
			x &= x - 1
		}
		return low
	}
	for range k - m {
		x &^= uint64(1) << (63 - bits.LeadingZeros64(x))
	}
	return x
}

// tookFirst accounts for SetFirstClear's result.
func (b *Bitmap) tookFirst(i uint64, ok bool) (uint64, bool) {
	if !ok {
		b.low = b.n
		return 0, false
	}
	b.ones++
	b.low = i + 1
	if b.ones == b.n {
		b.low = b.n // full: the next Clear makes low exact
	}
	return i, true
}

// SetRange sets the bits [lo, lo+n). They must all be clear and below Len.
// The sparse tree marks whole subtrees full without creating them, so the
// cost grows with the tree's height, not with n.
func (b *Bitmap) SetRange(lo, n uint64) {
	if n == 0 {
		return
	}
	if b.isDense() {
		b.d.setRange(lo, n)
	} else {
		b.s.setRangeAll(lo, n)
	}
	b.ones += n
}

// Runs returns the maximal runs of set bits below Len in ascending order, as
// (start, length) pairs.
func (b *Bitmap) Runs() iter.Seq2[uint64, uint64] {
	return func(yield func(uint64, uint64) bool) {
		var start, n uint64 // the run being built
		emit := func(lo, cnt uint64) bool {
			if n > 0 && start+n == lo {
				n += cnt
				return true
			}
			if n > 0 && !yield(start, n) {
				return false
			}
			start, n = lo, cnt
			return true
		}
		var done bool
		switch {
		case b.isDense():
			done = b.d.runs(b.n, emit)
		case b.s != nil:
			done = b.s.runs(b.s.height, 0, 0, false, emit)
		}
		if done && n > 0 {
			yield(start, n)
		}
	}
}

// Ones returns the set bits below Len in ascending order.
func (b *Bitmap) Ones() iter.Seq[uint64] {
	return func(yield func(uint64) bool) {
		for s, n := range b.Runs() {
			for i := range n {
				if !yield(s + i) {
					return
				}
			}
		}
	}
}

// MemoryBytes returns the bytes the bitmap holds (slice capacity included):
// what its heap cost grows with.
func (b *Bitmap) MemoryBytes() uint64 {
	if b.isDense() {
		return b.d.memoryBytes()
	}
	if b.s == nil {
		return 0
	}
	return b.s.memoryBytes()
}
