package peers

import (
	"math/big"
	"math/bits"
)

// bigScan is the search loop of the Kubernetes node CIDR allocator
// (cidrset.CidrSet.AllocateNext) alone: a math/big.Int bitmap tested one bit
// at a time from a rotating cursor. It leaves out what the real allocator
// does around that loop (the mutex, the Prometheus metrics, the big.Int and
// net.IP arithmetic that turns an index into a CIDR), so the gap between
// bigscan and k8s-cidrset is that overhead, and the gap between bigscan and
// bound is the bit-at-a-time search.
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

// bound is the lower bound ipcap is measured against: the strongest simple
// allocator, with nothing ipcap has beyond it (no IPSet spaces, no
// reserved addresses, no strategies, no serialisation, no sparse storage).
// It is a flat []uint64 bitmap (bit set = slot used) with a next-fit cursor
// and a second level, summary, with one bit per word that is set when the
// word is full. An allocation tests the cursor's word; if that is full, it
// finds the next non-full word through the summary, 64 words per summary
// word, and takes its lowest free bit with bits.TrailingZeros64. Filling a
// space costs O(1) per slot; finding the last free slot of n costs n/4096
// summary words.
type bound struct {
	words   []uint64
	summary []uint64 // bit w: words[w] is full
	n       uint64
	next    uint64 // the slot the next search starts at
	used    uint64
}

func newBound(n uint64) slotBitmap {
	nw := (n + 63) / 64
	b := &bound{words: make([]uint64, nw), summary: make([]uint64, (nw+63)/64), n: n}
	if r := n % 64; r != 0 { // slots past n are never free
		b.words[nw-1] = ^uint64(0) << r
	}
	if r := nw % 64; r != 0 { // nor are words past the last
		b.summary[len(b.summary)-1] = ^uint64(0) << r
	}
	return b
}

func (b *bound) take() (uint64, bool) {
	if b.used == b.n {
		return 0, false
	}
	w := b.next >> 6
	if x := ^b.words[w] & (^uint64(0) << (b.next & 63)); x != 0 {
		return b.set(w, uint64(bits.TrailingZeros64(x))), true
	}
	w = b.freeWord(w + 1)
	return b.set(w, uint64(bits.TrailingZeros64(^b.words[w]))), true
}

// freeWord returns the first word at or after from, cyclically, that is not
// full. There is one, since used < n.
func (b *bound) freeWord(from uint64) uint64 {
	if from >= uint64(len(b.words)) {
		from = 0
	}
	s := from >> 6
	if x := ^b.summary[s] & (^uint64(0) << (from & 63)); x != 0 {
		return s<<6 | uint64(bits.TrailingZeros64(x))
	}
	ns := uint64(len(b.summary))
	for k := uint64(1); k <= ns; k++ { // the last round rereads s, below from
		t := s + k
		if t >= ns {
			t -= ns
		}
		if x := ^b.summary[t]; x != 0 {
			return t<<6 | uint64(bits.TrailingZeros64(x))
		}
	}
	panic("peers: bound: no free word although used < n")
}

func (b *bound) set(w, bit uint64) uint64 {
	b.words[w] |= 1 << bit
	if b.words[w] == ^uint64(0) {
		b.summary[w>>6] |= 1 << (w & 63)
	}
	b.used++
	i := w<<6 | bit
	b.next = i + 1
	if b.next >= b.n {
		b.next = 0
	}
	return i
}

func (b *bound) put(i uint64) bool {
	if i >= b.n {
		return false
	}
	w, m := i>>6, uint64(1)<<(i&63)
	if b.words[w]&m == 0 {
		return false
	}
	b.words[w] &^= m
	b.summary[w>>6] &^= 1 << (w & 63)
	b.used--
	return true
}
