package bitmap

import "math/bits"

const (
	pageShift = 12 // bits covered by a page: 64 words × 64 bits
	fanShift  = 6  // children per interior node: 64
	allOnes   = ^uint64(0)
)

// page is a leaf: 4,096 bits, a summary bit per full word, the count of set
// bits below n, and the way up.
type page struct {
	full   uint64
	parent int32  // arena index of the parent, −1 for the root
	pos    uint8  // index among the parent's children
	used   uint16 // set bits below n (padding excluded)
	words  [64]uint64
}

// partial reports whether the page holds both set bits below n and clear bits.
func (p *page) partial() bool { return p.used != 0 && p.full != allOnes }

// inner is an interior node: a full bit and an arena index (plus one; 0 means
// not created) per child. Children of a level-1 node are pages, of a level-l
// node (l > 1) interior nodes of level l−1. part has a bit per child whose
// subtree holds a partial page, npart counts the partial pages below: they
// let Random pick the r-th partial page in one descent.
type inner struct {
	full   uint64
	part   uint64
	npart  uint64
	parent int32
	pos    uint8
	kids   [64]int32
}

// sparse is the tree: 4,096-bit pages under 64-ary interior nodes, created on
// first touch. A child never created is all clear when its full bit is 0 and
// all set when it is 1.
type sparse struct {
	n      uint64
	height int // 0: the root is pages[0]; h ≥ 1: the root is inners[0], of level h
	pages  []page
	inners []inner

	// hint is the arena index of the page setFirstFrom last set a bit in,
	// or −1, and hintPage that page's number (its first bit >> pageShift):
	// first fit fills a page before the next, so it finds its bit there
	// without descending the tree. Reset and setRangeAll, which may detach
	// a page from the tree, drop it.
	hint     int32
	hintPage uint64
}

// newSparse returns a tree of n clear bits. It allocates only the root node.
func newSparse(n uint64) sparse {
	b := sparse{n: n}
	for levelShift(b.height) < 64 && uint64(1)<<levelShift(b.height) < n {
		b.height++
	}
	b.reset()
	return b
}

// reset clears every bit: the tree is its root again, and the arenas keep
// their capacity for the pages and nodes to come.
func (b *sparse) reset() {
	b.pages, b.inners = b.pages[:0], b.inners[:0]
	b.hint = -1
	if b.height == 0 {
		b.newPage(0, false, -1, 0)
	} else {
		b.newInner(b.height, 0, false, -1, 0)
	}
}

// levelShift returns log2 of the bits covered by a node of level l (0 = page).
func levelShift(l int) uint { return uint(pageShift + fanShift*l) }

// span returns the bits covered by a node of level l, saturating at 2^64−1.
func span(l int) uint64 {
	s := levelShift(l)
	if s >= 64 {
		return allOnes
	}
	return 1 << s
}

// newPage appends a page covering [base, base+4096). With set, every bit is
// set; otherwise bits at or beyond n are set (padding) and the rest clear.
func (b *sparse) newPage(base uint64, set bool, parent int32, pos uint8) int32 {
	b.pages = append(b.pages, page{parent: parent, pos: pos})
	p := &b.pages[len(b.pages)-1]
	if set {
		p.full = allOnes
		for i := range p.words {
			p.words[i] = allOnes
		}
		p.used = uint16(min(b.n-base, 1<<pageShift))
	} else if b.n-base < 1<<pageShift { // base < n always holds
		rem := b.n - base
		for w := range p.words {
			lo := uint64(w) << 6
			switch {
			case lo >= rem:
				p.words[w] = allOnes
				p.full |= 1 << w
			case rem-lo < 64:
				p.words[w] = allOnes << (rem - lo)
			}
		}
	}
	return int32(len(b.pages))
}

// newInner appends an interior node of level l covering [base, ...). With
// set, every child is full; otherwise children starting at or beyond n are
// full (padding) and the rest clear.
func (b *sparse) newInner(l int, base uint64, set bool, parent int32, pos uint8) int32 {
	b.inners = append(b.inners, inner{parent: parent, pos: pos})
	in := &b.inners[len(b.inners)-1]
	if set {
		in.full = allOnes
	} else {
		ks := levelShift(l - 1)
		inRange := (b.n-base-1)>>ks + 1 // children holding at least one index < n
		if inRange < 64 {
			in.full = allOnes << inRange
		}
	}
	return int32(len(b.inners))
}

// test reports whether bit i is set. i must be below n.
func (b *sparse) test(i uint64) bool {
	if i >= b.n {
		return false
	}
	node := int32(0)
	for l := b.height; l >= 1; l-- {
		in := &b.inners[node]
		c := i >> levelShift(l-1) & 63
		k := in.kids[c]
		if k == 0 {
			return in.full>>c&1 != 0
		}
		node = k - 1
	}
	return b.pages[node].words[i>>6&63]>>(i&63)&1 != 0
}

// set sets bit i and reports whether it was clear. i must be below n.
func (b *sparse) set(i uint64) bool {
	pg := b.pageOf(i, false)
	if pg < 0 {
		return false // inside a subtree that is entirely set
	}
	return b.setAt(pg, i)
}

// clear clears bit i and reports whether it was set. i must be below n.
func (b *sparse) clear(i uint64) bool {
	pg := b.pageOf(i, true)
	if pg < 0 {
		return false // inside a subtree that is entirely clear
	}
	return b.clearAt(pg, i)
}

// pageOf returns the arena index of the page holding i, creating the pages and
// nodes on the way. It returns −1 when the page does not exist and need not:
// when i lies in an entirely set subtree and forClear is false, or in an
// entirely clear one and forClear is true.
func (b *sparse) pageOf(i uint64, forClear bool) int32 {
	node := int32(0)
	for l := b.height; l >= 1; l-- {
		c := i >> levelShift(l-1) & 63
		in := &b.inners[node]
		k := in.kids[c]
		if k == 0 {
			set := in.full>>c&1 != 0
			if set != forClear {
				return -1
			}
			base := i &^ (span(l-1) - 1)
			if l == 1 {
				k = b.newPage(base, set, node, uint8(c))
			} else {
				k = b.newInner(l-1, base, set, node, uint8(c))
			}
			b.inners[node].kids[c] = k
		}
		node = k - 1
	}
	return node
}

// setAt sets bit i in the page at arena index pg.
func (b *sparse) setAt(pg int32, i uint64) bool {
	p := &b.pages[pg]
	w, m := i>>6&63, uint64(1)<<(i&63)
	if p.words[w]&m != 0 {
		return false
	}
	p.words[w] |= m
	p.used++
	if p.words[w] == allOnes {
		p.full |= 1 << w
		if p.full == allOnes {
			if p.used > 1 { // it was partial
				b.partialChanged(pg, false)
			}
			b.markFull(p.parent, p.pos)
			return true
		}
	}
	if p.used == 1 {
		b.partialChanged(pg, true)
	}
	return true
}

// clearAt clears bit i in the page at arena index pg.
func (b *sparse) clearAt(pg int32, i uint64) bool {
	p := &b.pages[pg]
	w, m := i>>6&63, uint64(1)<<(i&63)
	if p.words[w]&m == 0 {
		return false
	}
	wasFull := false
	if p.words[w] == allOnes {
		if p.full == allOnes {
			wasFull = true
			b.markNotFull(p.parent, p.pos)
		}
		p.full &^= 1 << w
	}
	p.words[w] &^= m
	p.used--
	if wasFull != (p.used == 0) { // full to partial, or partial to empty
		b.partialChanged(pg, wasFull)
	}
	return true
}

// partialChanged records that the page at arena index pg became partial (on)
// or stopped being partial, in the counts and bits of its ancestors.
func (b *sparse) partialChanged(pg int32, on bool) {
	p := &b.pages[pg]
	node, pos, kidOn := p.parent, p.pos, on
	for node >= 0 {
		in := &b.inners[node]
		if on {
			in.npart++
		} else {
			in.npart--
		}
		if kidOn {
			in.part |= 1 << pos
		} else {
			in.part &^= 1 << pos
		}
		node, pos, kidOn = in.parent, in.pos, in.npart != 0
	}
}

// partialPages returns the number of partial pages.
func (b *sparse) partialPages() uint64 {
	if b.height == 0 {
		if b.pages[0].partial() {
			return 1
		}
		return 0
	}
	return b.inners[0].npart
}

// setInPartial sets the first clear bit at or after offset off, wrapping
// around the page, of the r-th partial page in ascending order, and returns
// it. r must be below partialPages and off below 4,096.
func (b *sparse) setInPartial(r, off uint64) uint64 {
	node, base := int32(0), uint64(0)
	for l := b.height; l >= 1; l-- {
		in := &b.inners[node]
		for m := in.part; ; m &= m - 1 {
			c := uint64(bits.TrailingZeros64(m))
			k := in.kids[c]
			cnt := uint64(1)
			if l > 1 {
				cnt = b.inners[k-1].npart
			}
			if r < cnt {
				base |= c << levelShift(l-1)
				node = k - 1
				break
			}
			r -= cnt
		}
	}
	p := &b.pages[node]
	w := off >> 6 & 63
	var i uint64
	if x := p.words[w] | (1<<(off&63) - 1); x != allOnes {
		i = w<<6 | uint64(bits.TrailingZeros64(^x))
	} else {
		m := p.full | (2<<w - 1) // the words after w
		if m == allOnes {
			m = p.full // none free: wrap to the page's first free word
		}
		w = uint64(bits.TrailingZeros64(^m))
		i = w<<6 | uint64(bits.TrailingZeros64(^p.words[w]))
	}
	b.setAt(node, base|i)
	return base | i
}

// markFull records that child pos of node became full, and so on upwards.
func (b *sparse) markFull(node int32, pos uint8) {
	for node >= 0 {
		in := &b.inners[node]
		in.full |= 1 << pos
		if in.full != allOnes {
			return
		}
		node, pos = in.parent, in.pos
	}
}

// markNotFull records that child pos of node is no longer full, and so on
// upwards while the node was full before.
func (b *sparse) markNotFull(node int32, pos uint8) {
	for node >= 0 {
		in := &b.inners[node]
		was := in.full == allOnes
		in.full &^= 1 << pos
		if !was {
			return
		}
		node, pos = in.parent, in.pos
	}
}

// setNextClear sets the lowest clear bit at or above from and returns it, or
// false when there is none below n. It is NextClear and Set in one descent.
func (b *sparse) setNextClear(from uint64) (uint64, bool) {
	i, _, ok := b.setNext(from)
	return i, ok
}

// setNext is setNextClear that also returns the arena index of the page
// the bit was set in.
func (b *sparse) setNext(from uint64) (uint64, int32, bool) {
	i, pg, ok := b.nextClear(from)
	if !ok {
		return 0, -1, false
	}
	if pg < 0 {
		pg = b.pageOf(i, false)
	}
	b.setAt(pg, i)
	return i, pg, true
}

// setFirstFrom is setNextClear for first fit, whose from has every bit below
// it set: it looks first in the page it set a bit in last, which holds from
// while first fit fills it, and descends the tree only for the next page.
func (b *sparse) setFirstFrom(from uint64) (uint64, bool) {
	if b.hint >= 0 && from>>pageShift == b.hintPage {
		p := &b.pages[b.hint]
		w := from >> 6 & 63
		if x := p.words[w] | (1<<(from&63) - 1); x != allOnes { // padding is set: the bit is below n
			i := from&^63 | uint64(bits.TrailingZeros64(^x))
			if nw := p.words[w] | 1<<(i&63); nw != allOnes && p.used != 0 {
				// The common case, written out: the word does not fill and
				// the page was partial already, so nothing above changes.
				p.words[w] = nw
				p.used++
				return i, true
			}
			b.setAt(b.hint, i)
			return i, true
		}
	}
	i, pg, ok := b.setNext(from)
	if ok {
		b.hint, b.hintPage = pg, i>>pageShift
	}
	return i, ok
}

// setFirstClear sets the lowest clear bit and returns it, or false when every
// bit is set. It descends straight down the non-full children: one
// bits.TrailingZeros64 per level.
func (b *sparse) setFirstClear() (uint64, bool) {
	node, base := int32(0), uint64(0)
	if b.height > 0 {
		if b.inners[0].full == allOnes {
			return 0, false
		}
		for l := b.height; l >= 1; l-- {
			in := &b.inners[node]
			c := uint64(bits.TrailingZeros64(^in.full))
			base |= c << levelShift(l-1)
			k := in.kids[c]
			if k == 0 { // all clear below: its first bit is the answer
				b.setAt(b.pageOf(base, false), base)
				return base, true
			}
			node = k - 1
		}
	}
	p := &b.pages[node]
	if p.full == allOnes {
		return 0, false
	}
	w := uint64(bits.TrailingZeros64(^p.full))
	i := base | w<<6 | uint64(bits.TrailingZeros64(^p.words[w]))
	b.setAt(node, i)
	return i, true
}

// nextClear is NextClear that also returns the arena index of the page holding
// the answer, or −1 when that page does not exist yet.
func (b *sparse) nextClear(from uint64) (uint64, int32, bool) {
	if from >= b.n {
		return 0, -1, false
	}
	node := int32(0)
	l := b.height
	c := uint64(0)
	for ; l >= 1; l-- {
		in := &b.inners[node]
		c = from >> levelShift(l-1) & 63
		if in.full>>c&1 != 0 {
			break // climb from this node, past child c
		}
		k := in.kids[c]
		if k == 0 {
			return from, -1, true // a child never created is all clear
		}
		node = k - 1
	}
	if l == 0 {
		p := &b.pages[node]
		w := from >> 6 & 63
		if word := p.words[w] | (1<<(from&63) - 1); word != allOnes {
			return from&^63 | uint64(bits.TrailingZeros64(^word)), node, true
		}
		if m := p.full | (2<<w - 1); m != allOnes {
			w2 := uint64(bits.TrailingZeros64(^m))
			return from&^(1<<pageShift-1) | w2<<6 | uint64(bits.TrailingZeros64(^p.words[w2])), node, true
		}
		if p.parent < 0 {
			return 0, -1, false
		}
		node, c, l = p.parent, uint64(p.pos), 1
	}
	// Climb until a node has a non-full child to the right of the path.
	for {
		in := &b.inners[node]
		if m := in.full | (2<<c - 1); m != allOnes {
			c2 := uint64(bits.TrailingZeros64(^m))
			base := from&^lowMask(levelShift(l)) | c2<<levelShift(l-1)
			i, pg := b.lowestClear(l, node, c2, base)
			return i, pg, true
		}
		if in.parent < 0 {
			return 0, -1, false
		}
		node, c, l = in.parent, uint64(in.pos), l+1
	}
}

// lowestClear descends from child c of the level-l node at arena index node,
// which must not be full and starts at base, to its lowest clear bit. It also
// returns the page holding that bit, or −1 when the page does not exist yet.
func (b *sparse) lowestClear(l int, node int32, c, base uint64) (uint64, int32) {
	for {
		k := b.inners[node].kids[c]
		if k == 0 {
			return base, -1
		}
		if l == 1 {
			p := &b.pages[k-1]
			w := uint64(bits.TrailingZeros64(^p.full))
			return base | w<<6 | uint64(bits.TrailingZeros64(^p.words[w])), k - 1
		}
		node, l = k-1, l-1
		c = uint64(bits.TrailingZeros64(^b.inners[node].full))
		base |= c << levelShift(l-1)
	}
}

// lowMask returns a mask of the low s bits, all ones when s ≥ 64.
func lowMask(s uint) uint64 {
	if s >= 64 {
		return allOnes
	}
	return 1<<s - 1
}

// setRangeAll sets the bits [lo, lo+n). The bits must all be clear and below n;
// whole subtrees are marked full without being created, so the cost grows with
// the height of the tree, not with n.
func (b *sparse) setRangeAll(lo, n uint64) {
	if n == 0 {
		return
	}
	b.hint = -1
	b.setRange(b.height, 0, 0, lo, lo+n-1)
}

// setRange sets [lo, hi] (inclusive) inside the level-l node at arena index
// node, whose first bit is base, and reports whether the node became full.
func (b *sparse) setRange(l int, node int32, base, lo, hi uint64) bool {
	if l == 0 {
		p := &b.pages[node]
		was := p.partial()
		for i := lo; ; {
			w := i >> 6 & 63
			end := min(hi, i|63)
			m := allOnes << (i & 63) & (allOnes >> (63 - end&63))
			p.words[w] |= m
			p.used += uint16(end - i + 1)
			if p.words[w] == allOnes {
				p.full |= 1 << w
			}
			if end == hi {
				break
			}
			i = end + 1
		}
		if now := p.partial(); now != was {
			b.partialChanged(node, now)
		}
		return p.full == allOnes
	}
	ks := levelShift(l - 1)
	for c := (lo - base) >> ks; c < 64 && c<<ks>>ks == c; c++ {
		kb := base + c<<ks
		if kb > hi {
			break
		}
		kEnd := kb | lowMask(ks)
		klo, khi := max(lo, kb), min(hi, kEnd)
		in := &b.inners[node]
		if klo == kb && (khi == kEnd || khi == b.n-1) {
			in.kids[c] = 0 // the whole child (in range) is set
			in.full |= 1 << c
			continue
		}
		k := in.kids[c]
		if k == 0 {
			if l == 1 {
				k = b.newPage(kb, false, node, uint8(c))
			} else {
				k = b.newInner(l-1, kb, false, node, uint8(c))
			}
			b.inners[node].kids[c] = k
		}
		if b.setRange(l-1, k-1, kb, klo, khi) {
			b.inners[node].full |= 1 << c
		}
	}
	return b.inners[node].full == allOnes
}

// runs walks the level-l node at node (or, with whole, a node not created but
// entirely set) starting at base, feeding runs clipped to n to emit.
func (b *sparse) runs(l int, node int32, base uint64, whole bool, emit func(uint64, uint64) bool) bool {
	if base >= b.n {
		return true
	}
	if whole {
		return emit(base, min(b.n-base-1, span(l)-1)+1)
	}
	if l == 0 {
		p := &b.pages[node]
		for w := range uint64(64) {
			if !wordRuns(base+w<<6, p.words[w], b.n, emit) {
				return false
			}
		}
		return true
	}
	in := &b.inners[node]
	ks := levelShift(l - 1)
	for c := uint64(0); c < 64 && c<<ks>>ks == c; c++ { // the root may reach past 2^64
		kb := base + c<<ks
		k := in.kids[c]
		full := in.full>>c&1 != 0
		if k == 0 && !full {
			continue
		}
		if !b.runs(l-1, k-1, kb, k == 0, emit) {
			return false
		}
		in = &b.inners[node]
	}
	return true
}

// memoryBytes returns the bytes held by the bitmap's nodes (capacity
// included): what its heap cost grows with.
func (b *sparse) memoryBytes() uint64 {
	const pageBytes, innerBytes = 16 + 64*8, 32 + 64*4
	return uint64(cap(b.pages))*pageBytes + uint64(cap(b.inners))*innerBytes
}
