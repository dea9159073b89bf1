package peers

import (
	"fmt"
	"net"
	"net/netip"

	"k8s.io/kubernetes/pkg/controller/nodeipam/ipam/cidrset"
	"k8s.io/kubernetes/pkg/registry/core/service/ipallocator"
)

// The two Kubernetes allocators below are imported unmodified from
// k8s.io/kubernetes (see bench/go.mod for the version and the staging
// modules pinned beside it). The adapters only convert between netip and
// net types; a release reuses one scratch net.IP, which neither allocator
// keeps, so that the adapter adds no heap allocation of its own.

// k8sCIDRSet drives cidrset.CidrSet, the node CIDR allocator of the
// kube-controller-manager's node IPAM controller (range allocator): a
// math/big.Int bitmap searched bit by bit from a rotating cursor, under a
// mutex, with Prometheus metrics updated on every allocation.
type k8sCIDRSet struct {
	s       *cidrset.CidrSet
	bits    int
	scratch net.IPNet
}

// NewK8sCIDRSet returns the Kubernetes node CIDR allocator over p handing
// out /bits blocks. Like the real one, it refuses spaces with more than
// 2^16 blocks.
func NewK8sCIDRSet(p netip.Prefix, bits int) (Blocks, error) {
	if !p.Addr().Is4() {
		return nil, fmt.Errorf("peers: k8s-cidrset: %v: IPv4 only here", p)
	}
	s, err := cidrset.NewCIDRSet(ipNet(p.Masked()), bits)
	if err != nil {
		return nil, err
	}
	return &k8sCIDRSet{s: s, bits: bits,
		scratch: net.IPNet{IP: make(net.IP, net.IPv4len), Mask: net.CIDRMask(bits, 32)}}, nil
}

func (k *k8sCIDRSet) Allocate() (netip.Prefix, error) {
	n, err := k.s.AllocateNext()
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%w: %v", ErrFull, err)
	}
	a, ok := netip.AddrFromSlice(n.IP.To4())
	if !ok {
		return netip.Prefix{}, fmt.Errorf("peers: k8s-cidrset returned %v", n)
	}
	return netip.PrefixFrom(a, k.bits), nil
}

// Release frees p. As in Kubernetes, releasing a block that is free is a
// no-op, not an error (the controller keeps which node holds which CIDR in
// the Node objects, not in the allocator); a block outside the space is an
// error.
func (k *k8sCIDRSet) Release(p netip.Prefix) error {
	if p.Bits() != k.bits || !p.Addr().Is4() {
		return fmt.Errorf("peers: release %v: not a /%d", p, k.bits)
	}
	b := p.Addr().As4()
	copy(k.scratch.IP, b[:])
	return k.s.Release(&k.scratch)
}

// k8sIPAllocator drives ipallocator.Range from NewInMemory: the kube-apiserver's
// Service ClusterIP allocator (allocator.AllocationBitmap, a math/big.Int
// bitmap, with a random start over the upper part of the range and a
// mutex), metrics disabled as they are by default.
type k8sIPAllocator struct {
	r       *ipallocator.Range
	scratch net.IP
}

// NewK8sIPAllocator returns the Kubernetes Service IP allocator over p. As
// the real one, it never hands out the network or broadcast address.
func NewK8sIPAllocator(p netip.Prefix) (Addrs, error) {
	if !p.Addr().Is4() {
		return nil, fmt.Errorf("peers: k8s-ipallocator: %v: IPv4 only here", p)
	}
	r, err := ipallocator.NewInMemory(ipNet(p.Masked()))
	if err != nil {
		return nil, err
	}
	return &k8sIPAllocator{r: r, scratch: make(net.IP, net.IPv4len)}, nil
}

func (k *k8sIPAllocator) Allocate() (netip.Addr, error) {
	ip, err := k.r.AllocateNext()
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: %v", ErrFull, err)
	}
	a, ok := netip.AddrFromSlice(ip.To4())
	if !ok {
		return netip.Addr{}, fmt.Errorf("peers: k8s-ipallocator returned %v", ip)
	}
	return a, nil
}

// Release frees a. As in Kubernetes, releasing a free address, or one
// outside the range, is a no-op, not an error.
func (k *k8sIPAllocator) Release(a netip.Addr) error {
	if !a.Is4() {
		return fmt.Errorf("peers: release %v: not IPv4", a)
	}
	b := a.As4()
	copy(k.scratch, b[:])
	return k.r.Release(k.scratch)
}

func ipNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}
