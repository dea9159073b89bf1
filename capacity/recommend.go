package capacity

import (
	"fmt"
	"math/bits"
	"net/netip"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/modes"
)

// Recommendation is the smallest size of each address space.
type Recommendation struct {
	Spaces []SpaceSize `json:"spaces"`
	// Notes name limits no prefix size lifts: kubenet's route table, node
	// counts per pool and cluster, the VNet's 65,536-address limit.
	Notes []string `json:"notes"`
}

// SpaceSize is the smallest prefix that holds what a space must.
type SpaceSize struct {
	Name     string       `json:"name"`     // the Subnet's Name, or the Source's String for a pod CIDR or CNI pool
	Source   modes.Source `json:"source"`   // the space's role
	Required uint64       `json:"required"` // addresses needed (a pod CIDR or CNI pool counts the addresses of its blocks)
	Bits     int          `json:"bits"`     // the smallest prefix length that holds Required
	// Place is where a subnet of Bits fits in an estate's VNet
	// (Estate.Recommend); zero when the subnet is large enough already or
	// outside an estate.
	Place netip.Prefix `json:"place,omitzero"`
}

// Recommend returns, per subnet and pod CIDR or CNI pool, the smallest single prefix
// that holds every pool at its autoscaler max plus the upgrade surge of
// the pools in it at that max (a pool may upgrade when it has scaled out;
// Check admits an upgrade now with the surge of its Count) — summed, as
// ipcap reads an upgrade of every pool, or the largest with
// UpgradeSurgeOnePool —, plus the addresses others use: the
// planning rule of [IPP], (nodes + maxSurge) × per-node cost. A subnet keeps Azure's five addresses (W1: 1,581 → /21); a
// pod CIDR or CNI pool, and a static-block pod subnet, holds whole blocks. When no
// prefix of an IPv4 range holds what a space needs, it returns an error
// saying so.
func Recommend(c Cluster) (*Recommendation, error) {
	m, err := newModel(&c)
	if err != nil {
		return nil, err
	}
	r := &Recommendation{}
	for ki := range m.cons {
		k := &m.cons[ki]
		need := k.at + k.sumUse
		if m.c.ClusterUpgradeSurge == UpgradeSurgeOnePool {
			need = k.at + k.maxUse
		}
		if k.space < 0 {
			if need > k.avail {
				r.Notes = append(r.Notes, m.limitNote(k.limit, need, k.avail))
			}
			continue
		}
		sp := m.spaces[k.space]
		ss := SpaceSize{Name: sp.Name, Source: sp.Source}
		if sp.Source.IsPodRange() {
			bs := m.spec.Pods.BlockSize()
			blocks := max(1, (need+bs-1)/bs)
			ss.Required = uint64(blocks * bs)
			ss.Bits = m.spec.Pods.BlockBits - ceilLog2(uint64(blocks))
			if ss.Bits < 0 {
				return nil, fmt.Errorf("capacity: the %s needs %s blocks of /%d, more than an IPv4 range holds: nothing fits", sp.Source.Describe(), count.Thousands(blocks), m.spec.Pods.BlockBits)
			}
		} else {
			ss.Required, ss.Bits = subnetSize(need, sp.others(), m.blockBits[k.space])
			if ss.Bits < modes.MaxSubnetBits {
				return nil, fmt.Errorf("capacity: subnet %s needs %s addresses, more than the largest subnet (/%d) holds: nothing fits", sp.Name, count.Thousands(int(ss.Required)), modes.MaxSubnetBits)
			}
			if m.blockBits[k.space] > 0 && ss.Bits < modes.MaxStaticBlockSubnetBits { // [SBA, PSC]
				return nil, fmt.Errorf("capacity: subnet %s needs %s addresses, more than the largest static-block pod subnet (/%d) holds: nothing fits", sp.Name, count.Thousands(int(ss.Required)), modes.MaxStaticBlockSubnetBits)
			}
		}
		r.Spaces = append(r.Spaces, ss)
	}
	for i := range m.pools {
		pm := &m.pools[i]
		if n := pm.atMax + pm.surge.Nodes(pm.atMax); n > m.spec.MaxNodesPerPool {
			r.Notes = append(r.Notes, "pool "+pm.pool.Name+": "+count.Thousands(n)+" nodes with surge exceed "+count.Thousands(m.spec.MaxNodesPerPool)+" per pool: split it or lower maxSurge")
		}
	}
	return r, nil
}

// subnetSize returns the addresses a subnet must hold for need addresses
// of nodes and pods beside reserved ones of others, and the longest prefix
// that holds them. A subnet handed out in blocks of blockBits (static /28s)
// counts as Analyze counts it: whole blocks only, others' addresses
// rounded up to blocks, and the first and last block lost to Azure's
// reserved addresses [SBA, VNF].
func subnetSize(need, reserved, blockBits int) (uint64, int) {
	if blockBits == 0 {
		r := uint64(need + reserved)
		return r, subnetBits(r)
	}
	bs := 1 << (32 - blockBits)
	blocks := uint64((need+bs-1)/bs + (reserved+bs-1)/bs)
	return blocks * uint64(bs), min(modes.MinSubnetBits, 32-ceilLog2((blocks+2)*uint64(bs)))
}

// subnetBits returns the longest prefix whose usable addresses (size less
// Azure's five) reach need, and no longer than /29.
func subnetBits(need uint64) int {
	return min(modes.MinSubnetBits, 32-ceilLog2(need+modes.AzureReservedPerSubnet))
}

// ceilLog2 returns the smallest k with 2^k ≥ n (0 for n ≤ 1).
func ceilLog2(n uint64) int {
	if n <= 1 {
		return 0
	}
	return bits.Len64(n - 1)
}

func (m *model) limitNote(l Limit, need, avail int) string {
	n, a := count.Thousands(need), count.Thousands(avail)
	switch l {
	case LimitRouteTable:
		return "kubenet: " + n + " routes with surge exceed the route table's " + a + "; move to azure-cni-overlay"
	case LimitClusterNodes:
		return n + " nodes with surge exceed the cluster limit of " + a
	case LimitPodCIDRIPv6:
		bb := m.spec.Pods.BlockBitsIPv6
		return fmt.Sprintf("IPv6 pod CIDR %v: %s nodes with surge need %s blocks of /%d, more than its %s: use a /%d", m.podCIDR6, n, n, bb, a, bb-ceilLog2(uint64(need)))
	case LimitVNet:
		return n + " VNet addresses with surge exceed the VNet's limit of " + a + "; use Overlay or static blocks, or a second cluster"
	}
	return fmt.Sprintf("%v: %s needed, %s available", l, n, a)
}
