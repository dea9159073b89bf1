package capacity

import (
	"net/netip"

	"github.com/ipcap/ipcap/modes"
)

// Space is one address space of a cluster: a subnet, or the pod CIDR or
// CNI pool. Counts are addresses; a pod CIDR or CNI pool counts the
// addresses of its blocks.
type Space struct {
	Name   string       `json:"name"`
	Source modes.Source `json:"source"` // the space's role: node-subnet, pod-subnet, pod-cidr or cni-pool
	Size   int          `json:"size"`   // addresses in the prefixes
	// Usable is what nodes and pods can take: a subnet's size less the five
	// addresses Azure keeps per prefix [VNF]; the whole blocks of a pod
	// CIDR or CNI pool; and of a static-block pod subnet, its /28 blocks
	// clear of those five addresses (a /20: 254 blocks, 4,064 addresses),
	// where AKS's admission counts the subnet's size less five (4,091)
	// [SBA, ADM].
	Usable   int `json:"usable"`
	Reserved int `json:"reserved"` // used by others (Subnet.Reserved)
	// OtherClusters is held by other clusters of an estate
	// (Subnet.OtherClusters).
	OtherClusters int `json:"otherClusters,omitempty"`
	// Now is what the pools take at their Count; AtMax at their autoscaler
	// max (Pool.AtMax), the size AKS plans for.
	Now   int `json:"now"`
	AtMax int `json:"atMax"`
	// Free is Usable − Reserved − OtherClusters − AtMax: what is left with
	// every pool at its autoscaler max; negative when over-committed.
	Free int `json:"free"`
}

// others returns the addresses of the space that neither this cluster's
// nodes nor pods hold.
func (s *Space) others() int { return s.Reserved + s.OtherClusters }

// Report is what Analyze finds.
type Report struct {
	Name   string       `json:"name,omitempty"` // the cluster's Name
	Mode   modes.Mode   `json:"mode,omitempty"` // the cluster's Mode; zero for a custom Spec
	Spaces []Space      `json:"spaces"`
	Pools  []PoolReport `json:"pools"` // in the order of Cluster.Pools
	// VNetAddresses counts what the VNet's 65,536-address limit counts
	// [NLIM] with the pools at their autoscaler max: theirs (a static /28
	// block once) and others' (Subnet.Reserved, OtherVNetAddresses), as
	// EstateReport.VNetAddresses does.
	VNetAddresses int `json:"vnetAddresses"`
	// PodCIDRIPv6 is a dual-stack cluster's IPv6 pod CIDR; nil when
	// single-stack. Spaces count IPv4 addresses only: a node's IPv6
	// address comes from its subnet's /64, 2^64 − 5 addresses no cluster
	// runs out of.
	PodCIDRIPv6 *BlockRange `json:"podCIDRIPv6,omitempty"`
}

// BlockRange is an IPv6 range handed out one block per node. Its counts
// are blocks, that is nodes, not addresses: a /64 holds 2^64 addresses,
// more than an int counts.
type BlockRange struct {
	Prefix    netip.Prefix `json:"prefix"`
	BlockBits int          `json:"blockBits"` // a node's block: Spec.Pods.BlockBitsIPv6
	Blocks    int          `json:"blocks"`    // blocks the range holds: 2^(BlockBits − prefix length)
	Now       int          `json:"now"`       // blocks the pools take at their Count
	AtMax     int          `json:"atMax"`     // at their autoscaler max
	Free      int          `json:"free"`      // Blocks − AtMax; negative when over-committed
}

// PoolReport is one pool's headroom.
type PoolReport struct {
	Name       string       `json:"name"`
	Count      int          `json:"count"`      // nodes now
	AtMax      int          `json:"atMax"`      // nodes at the autoscaler's max (Count without it): what AKS plans for
	MaxPods    int          `json:"maxPods"`    // maxPods in force
	PerNode    modes.Demand `json:"perNode"`    // what one node takes
	SurgeNodes int          `json:"surgeNodes"` // nodes an upgrade at AtMax adds
	// MaxNodes is the largest node count of this pool that fits, the other
	// pools at their autoscaler max; Limit is what stops MaxNodes+1.
	MaxNodes int   `json:"maxNodes"`
	Limit    Limit `json:"limit"`
	// MaxNodesWithSurge is the largest N such that N plus this pool's
	// upgrade surge fits; SurgeLimit is what stops it.
	MaxNodesWithSurge int   `json:"maxNodesWithSurge"`
	SurgeLimit        Limit `json:"surgeLimit"`
}

// Headroom returns the nodes the pool can add past its autoscaler max
// before it hits its limit: MaxNodes − AtMax, negative when over-committed.
func (r PoolReport) Headroom() int { return r.MaxNodes - r.AtMax }

// Analyze answers, in closed form, how far each pool of c can grow and what
// stops it, on AKS's basis: every other pool at its autoscaler max
// (Pool.AtMax: MaxCount with the autoscaler on, else Count). Upgrades surge
// one pool at a time [UPR]. A cluster planned beyond a space is reported
// (negative Free, MaxNodes below AtMax), not refused; only a malformed cluster is an error
// (*ValidationError).
func Analyze(c Cluster) (*Report, error) {
	m, err := newModel(&c)
	if err != nil {
		return nil, err
	}
	r := &Report{Name: c.Name, Mode: c.Mode, Spaces: m.spaces, Pools: make([]PoolReport, len(m.pools))}
	for _, k := range m.cons {
		switch k.limit {
		case LimitVNet:
			r.VNetAddresses = k.at + c.vnetReserved()
		case LimitPodCIDRIPv6:
			r.PodCIDRIPv6 = &BlockRange{Prefix: m.podCIDR6, BlockBits: m.spec.Pods.BlockBitsIPv6, Blocks: k.avail, Now: k.now, AtMax: k.at, Free: k.avail - k.at}
		}
	}
	for i := range m.pools {
		pm := &m.pools[i]
		b, lim := m.bound(i)
		r.Pools[i] = PoolReport{
			Name:              pm.pool.Name,
			Count:             pm.pool.Count,
			AtMax:             pm.atMax,
			MaxPods:           pm.maxPods,
			PerNode:           pm.demand,
			SurgeNodes:        pm.surge.Nodes(pm.atMax),
			MaxNodes:          max(b, 0),
			Limit:             lim,
			MaxNodesWithSurge: withSurge(b, pm.surge),
			SurgeLimit:        lim,
		}
	}
	return r, nil
}

// Space returns the space named name, or false.
func (r *Report) Space(name string) (Space, bool) {
	for _, s := range r.Spaces {
		if s.Name == name {
			return s, true
		}
	}
	return Space{}, false
}

// Pool returns the report of the pool named name, or false.
func (r *Report) Pool(name string) (PoolReport, bool) {
	for _, p := range r.Pools {
		if p.Name == name {
			return p, true
		}
	}
	return PoolReport{}, false
}
