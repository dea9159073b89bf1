package peers

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipcap/ipcap/ipam"
	"go4.org/netipx"
)

// ErrFull reports that a peer has nothing left to hand out.
var ErrFull = errors.New("peers: exhausted")

// Addrs hands out single addresses.
type Addrs interface {
	Allocate() (netip.Addr, error)
	Release(netip.Addr) error
}

// Blocks hands out aligned prefixes of one length.
type Blocks interface {
	Allocate() (netip.Prefix, error)
	Release(netip.Prefix) error
}

// AddrImpl is a named constructor of an address allocator over a prefix.
type AddrImpl struct {
	Name string
	New  func(space netip.Prefix) (Addrs, error)
	// LaxRelease: releasing what is not allocated is a no-op, not an error,
	// as the real allocator's contract says (the Kubernetes ones).
	LaxRelease bool
}

// BlockImpl is a named constructor of a block allocator over a prefix.
type BlockImpl struct {
	Name       string
	New        func(space netip.Prefix, bits int) (Blocks, error)
	LaxRelease bool // as in AddrImpl
}

// AddrImpls returns every address allocator, ipcap first.
func AddrImpls() []AddrImpl {
	return []AddrImpl{
		{Name: "ipcap", New: func(p netip.Prefix) (Addrs, error) { return ipam.NewPrefixPool(p, ipam.Options{}) }},
		{Name: "k8s-ipallocator", New: NewK8sIPAllocator, LaxRelease: true},
		{Name: "hostlocal", New: NewHostLocal},
		{Name: "netipx", New: func(p netip.Prefix) (Addrs, error) { return newNetipxAddrs(p), nil }},
		{Name: "bigscan", New: func(p netip.Prefix) (Addrs, error) {
			s, err := newSlots(p, 32, newBigScan)
			return slotAddrs{s}, err
		}},
		{Name: "bound", New: func(p netip.Prefix) (Addrs, error) {
			b, err := newBoundPeer(p, 32, false)
			return boundAddrs{b}, err
		}},
		{Name: "bound-ff", New: func(p netip.Prefix) (Addrs, error) {
			b, err := newBoundPeer(p, 32, true)
			return boundAddrs{b}, err
		}},
	}
}

// BlockImpls returns every block allocator, ipcap first.
func BlockImpls() []BlockImpl {
	return []BlockImpl{
		{Name: "ipcap", New: func(p netip.Prefix, bits int) (Blocks, error) {
			return ipam.NewBlockPool(setOf(p), bits, ipam.Options{})
		}},
		{Name: "k8s-cidrset", New: NewK8sCIDRSet, LaxRelease: true},
		{Name: "netipx", New: func(p netip.Prefix, bits int) (Blocks, error) { return newNetipxBlocks(p, bits), nil }},
		{Name: "bigscan", New: func(p netip.Prefix, bits int) (Blocks, error) {
			s, err := newSlots(p, bits, newBigScan)
			return slotBlocks{s}, err
		}},
		{Name: "bound", New: func(p netip.Prefix, bits int) (Blocks, error) {
			b, err := newBoundPeer(p, bits, false)
			return boundBlocks{b}, err
		}},
		{Name: "bound-ff", New: func(p netip.Prefix, bits int) (Blocks, error) {
			b, err := newBoundPeer(p, bits, true)
			return boundBlocks{b}, err
		}},
	}
}

func setOf(p netip.Prefix) *netipx.IPSet {
	var b netipx.IPSetBuilder
	b.AddPrefix(p)
	s, _ := b.IPSet()
	return s
}

// slotBitmap is the state of the slot-based peers: slot i is the i-th
// address or block of the space.
type slotBitmap interface {
	take() (uint64, bool)
	put(i uint64) bool
}

// slots maps a slotBitmap's indices to the addresses or /bits blocks of an
// IPv4 prefix.
type slots struct {
	base  uint32
	shift uint
	n     uint64
	bits  int
	bm    slotBitmap
}

func newSlots(p netip.Prefix, bits int, mk func(n uint64) slotBitmap) (*slots, error) {
	if !p.Addr().Is4() || bits < p.Bits() || bits > 32 {
		return nil, fmt.Errorf("peers: %v with /%d blocks: IPv4 blocks inside the prefix only", p, bits)
	}
	p = p.Masked()
	n := uint64(1) << (bits - p.Bits())
	return &slots{base: u32(p.Addr()), shift: uint(32 - bits), n: n, bits: bits, bm: mk(n)}, nil
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

func addr4(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func (s *slots) index(a netip.Addr) (uint64, bool) {
	if !a.Is4() {
		return 0, false
	}
	d := u32(a) - s.base
	i := uint64(d >> s.shift)
	return i, d&(1<<s.shift-1) == 0 && i < s.n && u32(a) >= s.base
}

func (s *slots) next() (uint32, error) {
	i, ok := s.bm.take()
	if !ok {
		return 0, ErrFull
	}
	return s.base + uint32(i)<<s.shift, nil
}

// slotAddrs is the address face of slots.
type slotAddrs struct{ *slots }

func (s slotAddrs) Allocate() (netip.Addr, error) {
	v, err := s.next()
	return addr4(v), err
}

func (s slotAddrs) Release(a netip.Addr) error { return s.release(a) }

// slotBlocks is the block face of slots.
type slotBlocks struct{ *slots }

func (s slotBlocks) Allocate() (netip.Prefix, error) {
	v, err := s.next()
	return netip.PrefixFrom(addr4(v), s.bits), err
}

func (s slotBlocks) Release(p netip.Prefix) error {
	if p.Bits() != s.bits {
		return fmt.Errorf("peers: release %v: not a /%d", p, s.bits)
	}
	return s.release(p.Addr())
}

func (s *slots) release(a netip.Addr) error {
	i, ok := s.index(a)
	if !ok || !s.bm.put(i) {
		return fmt.Errorf("peers: release %v: not allocated", a)
	}
	return nil
}
