package peers

import (
	"math/big"
	"math/bits"
)

// bigScan is a math/big.Int bitmap searched one bit at a time from a
// rotating cursor: how the Kubernetes node CIDR allocator (cidrset) and the
// service IP allocator find a free slot.
type bigScan struct {
	used  big.Int
	n     uint64
	next  uint64 // where the next search starts
	inUse uint64
}

func newBigScan(n uint64) slotBitmap { return &bigScan{n: n} }

func (b *bigScan) take() (uint64, bool) {
	if b.inUse == b.n {
		return 0, false
	}
	for k := range b.n {
		i := (b.next + k) % b.n
		if b.used.Bit(int(i)) == 0 {
			b.used.SetBit(&b.used, int(i), 1)
			b.next = (i + 1) % b.n
			b.inUse++
			return i, true
		}
	}
	return 0, false
}

func (b *bigScan) put(i uint64) bool {
	if b.used.Bit(int(i)) == 0 {
		return false
	}
	b.used.SetBit(&b.used, int(i), 0)
	b.inUse--
	return true
}

// flat is a plain []uint64 bitmap searched a word at a time with
// bits.TrailingZeros64 from the lowest word: no summary level, so a nearly
// full space is scanned word by word.
type flat struct {
	words []uint64
	n     uint64
}

func newFlat(n uint64) slotBitmap {
	f := &flat{words: make([]uint64, (n+63)/64), n: n}
	if r := n % 64; r != 0 {
		f.words[len(f.words)-1] = ^uint64(0) << r
	}
	return f
}

func (f *flat) take() (uint64, bool) {
	for w, x := range f.words {
		if x != ^uint64(0) {
			b := uint64(bits.TrailingZeros64(^x))
			f.words[w] |= 1 << b
			return uint64(w)<<6 | b, true
		}
	}
	return 0, false
}

func (f *flat) put(i uint64) bool {
	w, m := i>>6, uint64(1)<<(i&63)
	if f.words[w]&m == 0 {
		return false
	}
	f.words[w] &^= m
	return true
}
