package bitmap

import (
	"errors"
	"fmt"
	"math/bits"
)

// Check verifies the invariants the comments on Bitmap, dense and sparse
// state, without changing the bitmap: the count of set bits, that every bit
// below the first-fit mark is set, and each representation's own (see
// dense.check and sparse.check). It walks the whole structure, so it is for
// tests: they call it after every operation.
func (b *Bitmap) Check() error {
	if !b.isDense() && b.s == nil { // the zero Bitmap
		if b.n != 0 || b.ones != 0 {
			return fmt.Errorf("a bitmap without nodes has Len %d, Count %d", b.n, b.ones)
		}
		return nil
	}
	var ones, firstClear uint64
	var err error
	if b.isDense() {
		if b.s != nil {
			return errors.New("a dense bitmap with a sparse tree")
		}
		ones, firstClear, err = b.d.check(b.n)
	} else {
		if b.s.n != b.n {
			return fmt.Errorf("sparse length %d, bitmap length %d", b.s.n, b.n)
		}
		ones, err = b.s.check()
		firstClear = b.n
		if i, _, ok := b.s.nextClear(0); ok {
			firstClear = i
		}
	}
	if err != nil {
		return err
	}
	if ones != b.ones {
		return fmt.Errorf("Count %d, but %d bits are set", b.ones, ones)
	}
	if b.low > b.n {
		return fmt.Errorf("first-fit mark %d beyond Len %d", b.low, b.n)
	}
	if firstClear < b.low {
		return fmt.Errorf("bit %d is clear, below the first-fit mark %d", firstClear, b.low)
	}
	return nil
}

// check verifies dense.go's invariants: level 0 pads the bits at or beyond n
// with ones; pending, if any, is a full word of level 0; and the levels
// above are exact for the bitmap with pending's last bit clear: bit j of
// level k+1 is set iff word j of level k is all ones, and the bits of words
// that do not exist are set. It returns the number of set bits below n and
// the lowest clear bit (n when there is none).
func (d *dense) check(n uint64) (ones, firstClear uint64, err error) {
	if d.h < 1 || d.h > maxDense {
		return 0, 0, fmt.Errorf("dense: %d levels", d.h)
	}
	var end uint32 // where the level below ended
	for k := range int(d.h) {
		e := uint32(len(d.w))
		if k < len(d.end) {
			e = d.end[k]
		}
		if e <= end || e > uint32(len(d.w)) || k == int(d.h)-1 && e != uint32(len(d.w)) {
			return 0, 0, fmt.Errorf("dense: level %d ends at word %d, after %d, of %d", k, e, end, len(d.w))
		}
		end = e
	}
	if len(d.level(int(d.h)-1)) != 1 {
		return 0, 0, fmt.Errorf("dense: a top of %d words", len(d.level(int(d.h)-1)))
	}
	lv0 := d.level(0)
	if want := max(1, (n+63)/64); uint64(len(lv0)) != want {
		return 0, 0, fmt.Errorf("dense: level 0 has %d words for %d bits", len(lv0), n)
	}
	if r := n & 63; r != 0 || n == 0 {
		if pad := allOnes << r; lv0[len(lv0)-1]&pad != pad {
			return 0, 0, fmt.Errorf("dense: padding bits at or beyond %d are not all set", n)
		}
	}
	if d.pending != none {
		if d.pending >= uint64(len(lv0)) || lv0[d.pending] != allOnes {
			return 0, 0, fmt.Errorf("dense: pending word %d is not a full word of level 0", d.pending)
		}
	}
	firstClear = n
	for j, w := range lv0 {
		ones += uint64(bits.OnesCount64(w))
		if w != allOnes && firstClear == n {
			firstClear = min(n, uint64(j)<<6|uint64(bits.TrailingZeros64(^w)))
		}
	}
	ones -= uint64(len(lv0))*64 - n // the padding
	for k := 1; k < int(d.h); k++ {
		below, lv := d.level(k-1), d.level(k)
		if want := (len(below) + 63) / 64; len(lv) != want {
			return 0, 0, fmt.Errorf("dense: level %d has %d words for %d below", k, len(lv), len(below))
		}
		for j := range uint64(len(lv)) << 6 {
			full := j >= uint64(len(below)) || below[j] == allOnes && !(k == 1 && j == d.pending)
			if got := lv[j>>6]>>(j&63)&1 != 0; got != full {
				return 0, 0, fmt.Errorf("dense: bit %d of level %d is %v, but word %d of level %d is full: %v (pending %d)",
					j, k, got, j, k-1, full, int64(d.pending))
			}
		}
	}
	return ones, firstClear, nil
}

// check verifies sparse.go's invariants over the tree: a page's full bits
// match its words, its padding is set and used counts its set bits below n;
// an interior node's full bit for a child agrees with the child when the
// child exists and otherwise says whether the child, never created, is all
// set or all clear; part and npart count the partial pages below; parent
// and pos lead back. It returns the number of set bits below n.
func (b *sparse) check() (uint64, error) {
	if err := b.checkHint(); err != nil {
		return 0, err
	}
	if b.height == 0 {
		if len(b.pages) == 0 {
			return 0, errors.New("sparse: no root page")
		}
		if p := &b.pages[0]; p.parent != -1 {
			return 0, fmt.Errorf("sparse: root page has parent %d", p.parent)
		}
		ones, _, err := b.checkPage(0, 0)
		return ones, err
	}
	if len(b.inners) == 0 {
		return 0, errors.New("sparse: no root node")
	}
	if in := &b.inners[0]; in.parent != -1 {
		return 0, fmt.Errorf("sparse: root node has parent %d", in.parent)
	}
	ones, _, err := b.checkInner(b.height, 0, 0)
	return ones, err
}

// checkHint checks that setFirstFrom's hint, if any, is the page the tree
// holds at hintPage.
func (b *sparse) checkHint() error {
	if b.hint < 0 {
		return nil
	}
	node := int32(0)
	i := b.hintPage << pageShift
	for l := b.height; l >= 1; l-- {
		k := b.inners[node].kids[i>>levelShift(l-1)&63]
		if k == 0 {
			return fmt.Errorf("sparse: hint page %d is not in the tree", b.hintPage)
		}
		node = k - 1
	}
	if node != b.hint {
		return fmt.Errorf("sparse: hint page %d is page %d of the arena, not %d", b.hintPage, node, b.hint)
	}
	return nil
}

// checkPage checks the page at arena index pg, whose first bit is base, and
// returns its set bits below n and whether it is partial.
func (b *sparse) checkPage(pg int32, base uint64) (uint64, bool, error) {
	p := &b.pages[pg]
	var ones uint64
	for w := range uint64(64) {
		x := p.words[w]
		if got := p.full>>w&1 != 0; got != (x == allOnes) {
			return 0, false, fmt.Errorf("sparse: page at %d: full bit %d is %v for word %#x", base, w, got, x)
		}
		lo := base + w<<6
		switch {
		case lo >= b.n || lo+64 < lo: // wholly padding
			if x != allOnes {
				return 0, false, fmt.Errorf("sparse: page at %d: padding word %d is %#x", base, w, x)
			}
		case b.n-lo < 64:
			pad := allOnes << (b.n - lo)
			if x&pad != pad {
				return 0, false, fmt.Errorf("sparse: page at %d: padding bits of word %d are not all set", base, w)
			}
			ones += uint64(bits.OnesCount64(x &^ pad))
		default:
			ones += uint64(bits.OnesCount64(x))
		}
	}
	if uint64(p.used) != ones {
		return 0, false, fmt.Errorf("sparse: page at %d counts %d set bits, holds %d", base, p.used, ones)
	}
	return ones, p.partial(), nil
}

// checkInner checks the level-l node at arena index node, whose first bit is
// base, and its subtree, and returns the set bits below n and the number of
// partial pages.
func (b *sparse) checkInner(l int, node int32, base uint64) (uint64, uint64, error) {
	in := &b.inners[node]
	ks := levelShift(l - 1)
	var ones, npart uint64
	for c := range uint64(64) {
		kb := base + c<<ks
		beyond := c<<ks>>ks != c || kb < base || kb >= b.n // past 2^64 or past n
		full := in.full>>c&1 != 0
		part := in.part>>c&1 != 0
		k := in.kids[c]
		if beyond {
			if k != 0 || !full || part {
				return 0, 0, fmt.Errorf("sparse: level-%d node at %d: child %d beyond Len has kid %d, full %v, part %v", l, base, c, k, full, part)
			}
			continue
		}
		if k == 0 {
			if part {
				return 0, 0, fmt.Errorf("sparse: level-%d node at %d: child %d never created but marked partial", l, base, c)
			}
			if full {
				ones += min(b.n-kb, span(l-1))
			}
			continue
		}
		var kOnes, kPart uint64
		var kFull bool
		var err error
		if l == 1 {
			if int(k-1) >= len(b.pages) {
				return 0, 0, fmt.Errorf("sparse: level-1 node at %d: child %d is page %d of %d", base, c, k-1, len(b.pages))
			}
			p := &b.pages[k-1]
			if p.parent != node || uint64(p.pos) != c {
				return 0, 0, fmt.Errorf("sparse: page at %d leads up to (%d, %d), not (%d, %d)", kb, p.parent, p.pos, node, c)
			}
			var isPart bool
			kOnes, isPart, err = b.checkPage(k-1, kb)
			if isPart {
				kPart = 1
			}
			kFull = p.full == allOnes
		} else {
			if int(k-1) >= len(b.inners) {
				return 0, 0, fmt.Errorf("sparse: level-%d node at %d: child %d is node %d of %d", l, base, c, k-1, len(b.inners))
			}
			kin := &b.inners[k-1]
			if kin.parent != node || uint64(kin.pos) != c {
				return 0, 0, fmt.Errorf("sparse: node at %d leads up to (%d, %d), not (%d, %d)", kb, kin.parent, kin.pos, node, c)
			}
			kOnes, kPart, err = b.checkInner(l-1, k-1, kb)
			kFull = kin.full == allOnes
		}
		if err != nil {
			return 0, 0, err
		}
		if full != kFull {
			return 0, 0, fmt.Errorf("sparse: level-%d node at %d: full bit %d is %v, child full %v", l, base, c, full, kFull)
		}
		if part != (kPart != 0) {
			return 0, 0, fmt.Errorf("sparse: level-%d node at %d: part bit %d is %v, %d partial pages below", l, base, c, part, kPart)
		}
		ones += kOnes
		npart += kPart
	}
	if in.npart != npart {
		return 0, 0, fmt.Errorf("sparse: level-%d node at %d counts %d partial pages, holds %d", l, base, in.npart, npart)
	}
	return ones, npart, nil
}
