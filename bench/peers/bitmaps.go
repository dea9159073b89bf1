package peers

import (
	"fmt"
	"math/big"
	"math/bits"
	"net/netip"
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
//
// With firstFit (the peer bound-ff) the cursor is a low-water mark instead:
// every slot below it is used, a release below it moves it down, so an
// allocation takes the lowest free slot. Next fit searches from where the
// last allocation ended, a place unrelated to where slots were freed, so its
// branches are unpredictable under churn; first fit goes straight to a slot
// just released. Neither wins every suite, so the lower bound is the better
// of the two.
type bound struct {
	words    []uint64
	summary  []uint64 // bit w: words[w] is full
	n        uint64
	next     uint64 // the slot the next search starts at
	used     uint64
	firstFit bool
}

func newBoundOf(n uint64, firstFit bool) *bound {
	nw := (n + 63) / 64
	b := &bound{words: make([]uint64, nw), summary: make([]uint64, (nw+63)/64), n: n, firstFit: firstFit}
	if r := n % 64; r != 0 { // slots past n are never free
		b.words[nw-1] = ^uint64(0) << r
	}
	if r := nw % 64; r != 0 { // nor are words past the last
		b.summary[len(b.summary)-1] = ^uint64(0) << r
	}
	return b
}

func (b *bound) take() (uint64, bool) {
	w := b.next >> 6 // next < n, so w is in range
	if x := ^b.words[w] & (^uint64(0) << (b.next & 63)); x != 0 {
		return b.set(w, uint64(bits.TrailingZeros64(x))), true
	}
	return b.takeFar(w)
}

// takeFar is take when the cursor's word has nothing free from the cursor on.
func (b *bound) takeFar(w uint64) (uint64, bool) {
	if b.used == b.n {
		return 0, false
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
	if b.firstFit && i < b.next {
		b.next = i
	}
	return true
}

// boundPeer is bound as a peer: the bitmap and the slot arithmetic in one
// value with no interface between them (the slots adapter that bigscan
// goes through costs two dynamic calls and a conversion per op), so that
// what it measures is the bitmap.
type boundPeer struct {
	bound
	base  uint32
	shift uint
	bits  int
}

func newBoundPeer(p netip.Prefix, bits int, firstFit bool) (*boundPeer, error) {
	if !p.Addr().Is4() || bits < p.Bits() || bits > 32 {
		return nil, fmt.Errorf("peers: %v with /%d blocks: IPv4 blocks inside the prefix only", p, bits)
	}
	p = p.Masked()
	return &boundPeer{bound: *newBoundOf(uint64(1)<<(bits-p.Bits()), firstFit),
		base: u32(p.Addr()), shift: uint(32 - bits), bits: bits}, nil
}

// alloc is take and the slot arithmetic in one frame: Go inlines neither
// take nor a helper that calls it, and a call frame costs about what the
// search of a near-full /24 costs.
func (b *boundPeer) alloc() (uint32, error) {
	w := b.next >> 6 // next < n, so w is in range
	if x := ^b.words[w] & (^uint64(0) << (b.next & 63)); x != 0 {
		return b.base + uint32(b.set(w, uint64(bits.TrailingZeros64(x))))<<b.shift, nil
	}
	i, ok := b.takeFar(w)
	if !ok {
		return 0, ErrFull
	}
	return b.base + uint32(i)<<b.shift, nil
}

func (b *boundPeer) free(a netip.Addr) error {
	v := u32(a) - b.base // below base wraps to a slot past n
	if i := uint64(v >> b.shift); !a.Is4() || v&(1<<b.shift-1) != 0 || !b.put(i) {
		return fmt.Errorf("peers: release %v: not allocated", a)
	}
	return nil
}

// boundAddrs and boundBlocks are boundPeer's two faces.
type (
	boundAddrs  struct{ *boundPeer }
	boundBlocks struct{ *boundPeer }
)

func (b boundAddrs) Allocate() (netip.Addr, error) {
	v, err := b.alloc()
	return addr4(v), err
}

func (b boundAddrs) Release(a netip.Addr) error { return b.free(a) }

func (b boundBlocks) Allocate() (netip.Prefix, error) {
	v, err := b.alloc()
	return netip.PrefixFrom(addr4(v), b.bits), err
}

func (b boundBlocks) Release(p netip.Prefix) error {
	if p.Bits() != b.bits {
		return fmt.Errorf("peers: release %v: not a /%d", p, b.bits)
	}
	return b.free(p.Addr())
}
