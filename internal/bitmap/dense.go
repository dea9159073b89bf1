package bitmap

import "math/bits"

// dense is a flat hierarchical bitmap for small lengths: level 0 holds the
// bits, and bit j of level k+1 is set when word j of level k is all ones, up
// to a single top word. Every level is allocated up front in one array, level
// 0 first and each level above after it, so a search is a handful of loads
// from adjacent memory, and the header is a few words: a per-node pool holds
// thousands of these.
type dense struct {
	w []uint64 // the levels' words: level k is w[start(k):end[k]]

	// pending is a full word of level 0 that the levels above do not show
	// as full yet, or none. SetNextClearWrap leaves the word it fills
	// pending; a word filled and emptied again before the next climb, as an
	// allocation followed by its release, never touches the levels above, so
	// consecutive searches do not wait on each other's stores to the same
	// summary words. The levels above are always exact for the bitmap with
	// pending's last bit clear; whatever reads them flushes first.
	pending uint64

	// end[k] is where level k ends in w, for the levels below the fourth
	// (the fourth, when there is one, is the top: it ends at len(w)); level
	// k > 0 starts where level k−1 ends. end[0] is thus the number of words
	// of level 0.
	end [maxDense - 1]uint32
	h   uint8 // levels in use, 1 to maxDense; 0 in a bitmap that is not dense
}

// none marks that no word is pending.
const none = ^uint64(0)

// maxDense is the most levels a dense bitmap has: 4 levels hold up to 2^24
// bits, DenseMax (2^20) and the dense 2^24 the tests build.
const maxDense = 4

func newDense(n uint64) dense {
	d := dense{pending: none}
	total := 0 // one allocation in all: the levels' words
	for w := max(1, int((n+63)/64)); ; w = (w + 63) / 64 {
		total += w
		if int(d.h) < len(d.end) {
			d.end[d.h] = uint32(total)
		}
		d.h++
		if w == 1 {
			break
		}
	}
	d.w = make([]uint64, total)
	d.pad(n)
	return d
}

// level returns the words of level k, for the paths that are not hot: the
// hot ones index w themselves.
func (d *dense) level(k int) []uint64 {
	lo := uint32(0)
	if k > 0 {
		lo = d.end[k-1]
	}
	if k == len(d.end) {
		return d.w[lo:]
	}
	return d.w[lo:d.end[k]]
}

// reset clears every bit of a dense bitmap of n bits, keeping the levels'
// memory.
func (d *dense) reset(n uint64) {
	clear(d.w)
	d.pending = none
	d.pad(n)
}

// pad sets the bits at or beyond n, and the summary bits of words that do
// not exist, so that no search stops there. The levels must be clear.
func (d *dense) pad(n uint64) {
	if r := n & 63; r != 0 || n == 0 {
		d.w[d.end[0]-1] = allOnes << r
	}
	for k := 1; k < int(d.h); k++ {
		below, lv := d.level(k-1), d.level(k)
		if r := len(below) & 63; r != 0 {
			lv[len(lv)-1] = allOnes << r
		}
		for j, w := range below {
			if w == allOnes {
				lv[j>>6] |= 1 << (j & 63)
			}
		}
	}
}

func (d *dense) test(i uint64) bool { return d.w[i>>6]>>(i&63)&1 != 0 }

func (d *dense) set(i uint64) bool {
	w, m := i>>6, uint64(1)<<(i&63)
	x := d.w[w]
	if x&m != 0 {
		return false
	}
	x |= m
	d.w[w] = x
	if x == allOnes {
		d.propagateFull(w)
	}
	return true
}

// propagateFull records in the levels above that word w of level 0 became
// full.
func (d *dense) propagateFull(w uint64) {
	for k := 1; k < int(d.h); k++ {
		m := uint64(1) << (w & 63)
		w >>= 6
		i := uint64(d.end[k-1]) + w
		x := d.w[i] | m
		d.w[i] = x
		if x != allOnes {
			return
		}
	}
}

// propagateNotFull records in the levels above that word w of level 0, full
// until now, has a clear bit.
func (d *dense) propagateNotFull(w uint64) {
	for k := 1; k < int(d.h); k++ {
		m := uint64(1) << (w & 63)
		w >>= 6
		i := uint64(d.end[k-1]) + w
		x := d.w[i]
		d.w[i] = x &^ m
		if x != allOnes {
			return
		}
	}
}

// top returns the top word, the last of w.
func (d *dense) top() uint64 { return d.w[len(d.w)-1] }

// clearFrom returns low's word j of level 0, its bits raw, and its clear
// bits from low up: none when low lies past the last word.
func (d *dense) clearFrom(low uint64) (j, raw, free uint64) {
	j = low >> 6
	if j < uint64(d.end[0]) {
		raw = d.w[j]
		free = ^raw &^ (1<<(low&63) - 1)
	}
	return j, raw, free
}

// firstClearWord returns the lowest word j of level 0 that is not full,
// its bits raw and its clear bits free; free is 0 when every word is full.
func (d *dense) firstClearWord() (j, raw, free uint64) {
	d.flush()
	if d.top() == allOnes {
		return 0, allOnes, 0
	}
	for k := int(d.h) - 1; k >= 1; k-- {
		j = j<<6 | uint64(bits.TrailingZeros64(^d.w[uint64(d.end[k-1])+j]))
	}
	raw = d.w[j]
	return j, raw, ^raw
}

// fill sets the lowest bit of free, the clear bits of word j of level 0
// (which holds raw) that the search may take, and returns the bit's index
// and whether the word is now full, which the caller shows above at once or
// postpones: the searches set what they found without reading the word
// again. The store waits only for free & −free, not for the bit's index.
func (d *dense) fill(j, raw, free uint64) (uint64, bool) {
	raw |= free & -free
	d.w[j] = raw
	return j<<6 | uint64(bits.TrailingZeros64(free)), raw == allOnes
}

// postpone makes word j, just filled, the pending one, flushing the previous.
func (d *dense) postpone(j uint64) {
	d.flush()
	d.pending = j
}

// flush shows the pending word as full in the levels above. Whatever reads
// those levels flushes first.
func (d *dense) flush() {
	if d.pending != none {
		d.propagateFull(d.pending)
		d.pending = none
	}
}

// nextClear returns the lowest clear bit at or above from, which must be
// below the bitmap's length.
func (d *dense) nextClear(from uint64) (uint64, bool) {
	d.flush()
	j := from >> 6
	if x := d.w[j] | (1<<(from&63) - 1); x != allOnes {
		return j<<6 | uint64(bits.TrailingZeros64(^x)), true
	}
	for k := 1; k < int(d.h); k++ {
		b := j & 63
		j >>= 6
		if x := d.w[uint64(d.end[k-1])+j] | (2<<b - 1); x != allOnes {
			j = j<<6 | uint64(bits.TrailingZeros64(^x)) // a non-full word of level k−1
			for k--; k >= 1; k-- {
				j = j<<6 | uint64(bits.TrailingZeros64(^d.w[uint64(d.end[k-1])+j]))
			}
			return j<<6 | uint64(bits.TrailingZeros64(^d.w[j])), true
		}
	}
	return 0, false
}

// nextClearWordWrap returns the lowest word of level 0 above word j that is
// not full or, when there is none, the lowest such word: it climbs until a
// level below the top has a non-full word right of j's path, or to the top,
// which it searches cyclically (nextAtTop), and descends from there.
func (d *dense) nextClearWordWrap(j uint64) (uint64, bool) {
	d.flush()
	top := int(d.h) - 1
	if top == 0 {
		return 0, d.w[0] != allOnes
	}
	k := 1
	for ; k < top; k++ {
		b := j & 63
		j >>= 6
		if x := d.w[uint64(d.end[k-1])+j] | (2<<b - 1); x != allOnes {
			j = j<<6 | uint64(bits.TrailingZeros64(^x))
			break
		}
	}
	if k == top {
		var ok bool
		if j, ok = d.nextAtTop(j); !ok {
			return 0, false
		}
	}
	for k--; k > 0; k-- {
		j = j<<6 | uint64(bits.TrailingZeros64(^d.w[uint64(d.end[k-1])+j]))
	}
	return j, true
}

// nextAtTop returns the top's first non-full child after child c&63 in
// cyclic order, c&63 itself last, and false when the top is full: one
// rotate and count, so that a search that finds nothing right of its path
// wraps to the lowest non-full child, its path's own included, at no extra
// cost. The top must be above level 0.
func (d *dense) nextAtTop(c uint64) (uint64, bool) {
	nf := ^d.top() // the non-full children
	c = c&63 + 1
	return (c + uint64(bits.TrailingZeros64(bits.RotateLeft64(nf, -int(c))))) & 63, nf != 0
}

// nextClearWordWrapFlat is nextClearWordWrap for a j drawn at random. Which
// level the search turns at varies at random in a nearly full bitmap, so it
// does not branch on it: from the child nextAtTop picks, it descends along
// the lowest non-full children and, at every level whose word on j's path
// has a non-full child right of the path (a turn), switches to that child;
// the last switch, the lowest turn, wins. (When searches follow a pattern,
// as next fit's do, the branches of nextClearWordWrap are predicted and it
// is the faster.)
func (d *dense) nextClearWordWrapFlat(j uint64) (uint64, bool) {
	d.flush()
	top := int(d.h) - 1
	if top == 0 {
		return 0, d.w[0] != allOnes
	}
	s := 6 * uint(top-1) // j>>s is the path's word at level top−1
	w, ok := d.nextAtTop(j >> s)
	if !ok {
		return 0, false
	}
	for k := top - 1; k >= 1; k-- {
		s -= 6
		o := uint64(d.end[k-1]) // level k starts here
		p := j >> (s + 6)       // the path's word at level k
		t := ^d.w[o+p] & (allOnes << (j >> s & 63) << 1)
		down := w<<6 | uint64(bits.TrailingZeros64(^d.w[o+w]))
		turn := p<<6 | uint64(bits.TrailingZeros64(t))
		w = down ^ (down^turn)&nonZero(t)
	}
	return w, true
}

// nonZero returns all ones when v is not zero and zero when it is: a mask
// for choosing without a branch.
func nonZero(v uint64) uint64 { return uint64(int64(v|-v) >> 63) }

// setRange sets [lo, lo+n), word by word.
func (d *dense) setRange(lo, n uint64) {
	d.flush()
	for i, end := lo, lo+n; i < end; {
		stop := min(end, (i|63)+1)
		w := i >> 6
		m := allOnes << (i & 63)
		if stop&63 != 0 && stop>>6 == w {
			m &= 1<<(stop&63) - 1
		}
		if x := d.w[w]; x|m != x {
			d.w[w] = x | m
			if x|m == allOnes {
				d.propagateFull(w)
			}
		}
		i = stop
	}
}

// runs feeds the runs of set bits below n, the bitmap's length, to emit.
func (d *dense) runs(n uint64, emit func(uint64, uint64) bool) bool {
	for w, x := range d.level(0) {
		if !wordRuns(uint64(w)<<6, x, n, emit) {
			return false
		}
	}
	return true
}

func (d *dense) memoryBytes() uint64 { return 8 * uint64(cap(d.w)) }

// wordRuns feeds the runs of set bits of word x, whose bit 0 is index base,
// clipped to n, to emit.
func wordRuns(base, x, n uint64, emit func(uint64, uint64) bool) bool {
	for x != 0 && base < n {
		lo := uint64(bits.TrailingZeros64(x))
		cnt := uint64(bits.TrailingZeros64(^(x >> lo)))
		if lo+cnt == 64 {
			x = 0
		} else {
			x &^= (1<<cnt - 1) << lo
		}
		s := base + lo
		if s >= n {
			break
		}
		if !emit(s, min(cnt, n-s)) {
			return false
		}
	}
	return true
}
