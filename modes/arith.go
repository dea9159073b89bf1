package modes

import (
	"math"
	"net/netip"
)

// AzureReservedPerSubnet is the addresses Azure keeps in every VNet subnet:
// x.x.x.0 (network), x.x.x.1 (gateway), x.x.x.2 and x.x.x.3 (Azure DNS) and
// the last address [VNF; OVC]. Older KUB text says "first three" (U7); the
// newer sources say five.
const AzureReservedPerSubnet = 5

// Cluster-wide limits [QUO; NLIM].
const (
	MaxNodesPerCluster = 5000  // nodes per cluster (VMSS node pools, Standard LB)
	MaxNodesPerPool    = 1000  // nodes per VMSS node pool; pool + surge during an upgrade [UPR]
	MaxPoolsPerCluster = 100   // node pools per cluster
	MaxRoutesPerTable  = 400   // routes per route table (UDR), so kubenet stops at 400 nodes [KUB]
	MaxVNetAddresses   = 65536 // addresses per VNet, private IPs in Azure's words [NLIM]
	MinPodsPerPool     = 30    // nodes × maxPods must reach 30, so maxPods 10 needs 3 nodes [IPP]
)

// Smallest and largest IPv4 subnets Azure accepts [VNF]. The largest is /2
// in the current FAQ text and /8 in its 2019 copy (U1); the newer rule is
// used.
const (
	MinSubnetBits = 29 // a /29 has 3 usable addresses
	MaxSubnetBits = 2
)

// MaxStaticBlockSubnetBits is the shortest prefix of a static block
// allocation pod subnet: at most a /12, about a million addresses [SBA, PSC].
const MaxStaticBlockSubnetBits = 12

// IPv6 subnets and ranges [VNF, DS, OVH].
const (
	SubnetBitsIPv6     = 64      // an IPv6 subnet is exactly a /64
	MinServiceBitsIPv6 = 108     // the IPv6 service CIDR is at most a /108
	MinBlockBitsIPv6   = 48      // ipcap's bound on Pods.BlockBitsIPv6, far below any per-node block in use
	MaxBlocksIPv6      = 1 << 48 // per-node blocks an IPv6 pod CIDR may hold: ipcap's bound
)

// UsableAddresses returns the addresses of VNet subnet p that resources can
// use: its size less the five Azure keeps (/24 → 251, /29 → 3), or 0 for a
// prefix too small to be a subnet. IPv6 sizes saturate at math.MaxUint64.
func UsableAddresses(p netip.Prefix) uint64 {
	if !p.IsValid() {
		return 0
	}
	host := p.Addr().BitLen() - p.Bits()
	if host >= 64 {
		return math.MaxUint64
	}
	size := uint64(1) << host
	if size <= AzureReservedPerSubnet {
		return 0
	}
	return size - AzureReservedPerSubnet
}

// SubnetReserved returns the five addresses Azure keeps in VNet subnet p:
// the first four and the last [VNF]. It returns nil for a prefix of fewer
// than eight addresses.
func SubnetReserved(p netip.Prefix) []netip.Addr {
	p = p.Masked()
	if !p.IsValid() || p.Addr().BitLen()-p.Bits() < 3 {
		return nil
	}
	out := make([]netip.Addr, 0, AzureReservedPerSubnet)
	a := p.Addr()
	for range 4 {
		out = append(out, a)
		a = a.Next()
	}
	return append(out, lastAddr(p))
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// BlocksIn returns how many /blockBits blocks prefix p holds: the nodes a
// pod CIDR serves at one block per node. A /16 holds 256 /24s, a /22 four
// (W10), a /18 64 (W17). It returns 0 when a block is longer than p's
// family or shorter than p, and saturates at math.MaxUint64.
func BlocksIn(p netip.Prefix, blockBits int) uint64 {
	if !p.IsValid() || blockBits < p.Bits() || blockBits > p.Addr().BitLen() {
		return 0
	}
	if blockBits-p.Bits() >= 64 {
		return math.MaxUint64
	}
	return 1 << (blockBits - p.Bits())
}

// StaticBlocks returns the /28 blocks a node takes in static block
// allocation: enough for maxPods pods and the one address each node
// reserves, ceil((maxPods+1)/16) [SBA: "max_pods = (16 × N) − 1" wastes
// nothing]. 30 → 2, 31 → 2, 32 → 3, 250 → 16 (W6).
func StaticBlocks(maxPods int) int {
	return ceilDiv(maxPods+1, 16)
}

// DynamicTarget returns the pod-subnet addresses CNS holds for a node with
// demand pods: batch × ceil(buffer + demand/batch), at most limit (the
// node's maxPods) when limit > 0. This is the CNS v2 pool-scaling formula
// [ACN docs/feature/ipammath, cns/ipampool/v2]; with batch 16 and buffer
// 0.5 a node starts with 16 and asks for 48 at 25 pods (W12, W13).
func DynamicTarget(demand, batch int, buffer float64, limit int) int {
	if batch <= 0 {
		return 0
	}
	demand = max0(demand)
	t := batch * int(math.Ceil(buffer+float64(demand)/float64(batch)))
	if limit > 0 && t > limit {
		return limit
	}
	return t
}

func max0(v int) int {
	if v < 0 {
		return 0
	}
	return v
}
