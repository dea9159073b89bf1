package peers

import (
	"fmt"
	"net/netip"

	"go4.org/netipx"
)

// netipxAddrs keeps the free addresses as an IPSet and rebuilds it on every
// allocation and release.
type netipxAddrs struct {
	free  *netipx.IPSet
	space netip.Prefix
}

func newNetipxAddrs(p netip.Prefix) *netipxAddrs { return &netipxAddrs{free: setOf(p), space: p} }

func (n *netipxAddrs) Allocate() (netip.Addr, error) {
	rs := n.free.Ranges()
	if len(rs) == 0 {
		return netip.Addr{}, ErrFull
	}
	a := rs[0].From()
	var b netipx.IPSetBuilder
	b.AddSet(n.free)
	b.Remove(a)
	s, err := b.IPSet()
	if err != nil {
		return netip.Addr{}, err
	}
	n.free = s
	return a, nil
}

func (n *netipxAddrs) Release(a netip.Addr) error {
	if !n.space.Contains(a) || n.free.Contains(a) {
		return fmt.Errorf("peers: release %v: not allocated", a)
	}
	var b netipx.IPSetBuilder
	b.AddSet(n.free)
	b.Add(a)
	s, err := b.IPSet()
	if err != nil {
		return err
	}
	n.free = s
	return nil
}

// netipxBlocks takes blocks with IPSet.RemoveFreePrefix.
type netipxBlocks struct {
	free  *netipx.IPSet
	space netip.Prefix
	bits  uint8
}

func newNetipxBlocks(p netip.Prefix, bits int) *netipxBlocks {
	return &netipxBlocks{free: setOf(p), space: p, bits: uint8(bits)}
}

func (n *netipxBlocks) Allocate() (netip.Prefix, error) {
	p, s, ok := n.free.RemoveFreePrefix(n.bits)
	if !ok {
		return netip.Prefix{}, ErrFull
	}
	n.free = s
	return p, nil
}

func (n *netipxBlocks) Release(p netip.Prefix) error {
	if p.Bits() != int(n.bits) || !n.space.Contains(p.Addr()) || n.free.OverlapsPrefix(p) {
		return fmt.Errorf("peers: release %v: not allocated", p)
	}
	var b netipx.IPSetBuilder
	b.AddSet(n.free)
	b.AddPrefix(p)
	s, err := b.IPSet()
	if err != nil {
		return err
	}
	n.free = s
	return nil
}
