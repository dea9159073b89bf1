package capacity

import (
	"math"
	"net/netip"

	"github.com/ipcap/ipcap/modes"
)

// constraint is one bound on node counts: the addresses of a space, or a
// count of routes, nodes or VNet addresses.
type constraint struct {
	limit  Limit
	space  int // index into model.spaces, or −1
	avail  int // units available: addresses, routes, nodes
	now    int // units taken with every pool at Count
	at     int // units taken with every pool at its autoscaler max
	maxUse int // largest units a pool's surge adds (for Recommend)
	sumUse int // units every pool's surge adds together
}

// use is a pool's draw on a constraint: per units per node. k < 0 stands for
// the pool's own node limit.
type use struct{ k, per int }

// poolModel is a pool with the cluster's defaults applied.
type poolModel struct {
	pool    *Pool
	maxPods int
	pods    int
	atMax   int
	surge   Surge
	demand  modes.Demand
	uses    [8]use
	nuses   int
}

// model is a validated cluster reduced to constraints and per-pool draws.
type model struct {
	c        *Cluster
	spec     modes.Spec
	spaces   []Space
	prefixes [][]netip.Prefix // per space
	// blockBits is, per space, the prefix length of the blocks it is handed
	// out in (pod CIDRs, static-block pod subnets), or 0 for single addresses.
	blockBits []int
	cons      []constraint
	pools     []poolModel
	byName    map[string]int // pool index by name
	podCIDR   int            // the space of the pod CIDR or CNI pool, or −1
	// podCIDR6 is a dual-stack cluster's IPv6 pod CIDR (invalid when
	// single-stack) and podCons6 its constraint, counted in per-node
	// blocks, or −1.
	podCIDR6 netip.Prefix
	podCons6 int
	routes   int // routes a node takes in the route table (Cluster.routesPerNode)
	// unit is how the mode hands pod addresses to a node, chosen once:
	// admission and the engine ask it rather than switch on Pods.Unit.
	unit podUnit
}

const poolLimit = -1 // use.k of the pool's own node limit

func newModel(c *Cluster) (*model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	s := c.spec()
	m := &model{c: c, spec: s, byName: make(map[string]int, len(c.Pools)), podCIDR: -1, podCons6: -1, routes: c.routesPerNode(s),
		unit: newPodUnit(s.Pods)}
	subnetSpace := make(map[string]int, len(c.Subnets))
	for _, sn := range c.Subnets {
		sp := Space{Name: sn.Name, Reserved: sn.Reserved, OtherClusters: sn.OtherClusters}
		v4 := ipv4(sn.Prefixes) // a dual-stack node's IPv6 address comes from a /64: 2^64 − 5 never run out
		for _, p := range v4 {
			sp.Size += 1 << (32 - p.Bits())
		}
		subnetSpace[sn.Name] = m.addSpace(sp, v4, 0)
	}
	podRangeSpace := -1
	if s.Pods.Source.IsPodRange() {
		cidrs := ipv4(c.podCIDRs(s))
		sp := Space{Name: s.Pods.Source.String(), Source: s.Pods.Source}
		for _, p := range cidrs {
			sp.Size += 1 << (32 - p.Bits())
			sp.Usable += int(modes.BlocksIn(p, s.Pods.BlockBits)) * s.Pods.BlockSize()
		}
		podRangeSpace = m.addSpace(sp, cidrs, sp.Usable)
		m.blockBits[podRangeSpace] = s.Pods.BlockBits
		m.podCIDR = podRangeSpace
	}
	if c.DualStack {
		m.podCIDR6 = firstIPv6(c.podCIDRs(s))
		m.podCons6 = m.addCons(LimitPodCIDRIPv6, int(blocksIPv6(m.podCIDR6, s.Pods.BlockBitsIPv6)))
	}
	route := -1
	if s.MaxRoutes > 0 {
		route = m.addCons(LimitRouteTable, s.MaxRoutes-c.CustomRoutes)
	}
	cluster := m.addCons(LimitClusterNodes, s.MaxNodes)
	vnet := m.addCons(LimitVNet, modes.MaxVNetAddresses-c.vnetReserved())

	m.pools = make([]poolModel, len(c.Pools))
	for i := range c.Pools {
		p := &c.Pools[i]
		m.byName[p.Name] = i
		pm := &m.pools[i]
		*pm = poolModel{pool: p, maxPods: maxPods(s, p), pods: podsPerNode(s, p), atMax: p.AtMax(), surge: c.Surge(p)}
		pm.demand = s.PerNode(pm.maxPods, pm.pods)
		node := subnetSpace[c.nodeSubnet(p)]
		m.setSource(node, modes.NodeSubnet)
		pm.add(node, pm.demand.NodeSubnet)
		if p.PodSubnet != "" {
			pod := subnetSpace[p.PodSubnet]
			m.setSource(pod, modes.PodSubnet)
			if s.Pods.Unit == modes.StaticBlock {
				m.blockBits[pod] = s.Pods.BlockBits
			}
			pm.add(pod, pm.demand.PodSubnet)
		}
		if podRangeSpace >= 0 {
			pm.add(podRangeSpace, pm.demand.PodRange)
		}
		if m.podCons6 >= 0 {
			pm.add(m.podCons6, 1)
		}
		if route >= 0 {
			pm.add(route, m.routes)
		}
		pm.add(poolLimit, 1)
		pm.add(cluster, 1)
		pm.add(vnet, pm.demand.VNetAddresses)
		for _, u := range pm.uses[:pm.nuses] {
			if u.k < 0 {
				continue
			}
			k := &m.cons[u.k]
			k.now += p.Count * u.per
			k.at += pm.atMax * u.per
			k.maxUse = max(k.maxUse, pm.surge.Nodes(pm.atMax)*u.per)
			k.sumUse += pm.surge.Nodes(pm.atMax) * u.per
		}
	}
	for i := range m.spaces {
		sp := &m.spaces[i]
		if sp.Source == 0 {
			sp.Source = modes.NodeSubnet // a subnet no pool uses yet
		}
		k := &m.cons[i]
		k.limit = limitOf(sp.Source)
		taken := sp.others()
		if !sp.Source.IsPodRange() {
			sp.Usable, taken = subnetUsable(m.prefixes[i], m.blockBits[i], sp.others())
		}
		k.avail = sp.Usable - taken
		sp.Now, sp.AtMax = k.now, k.at
		sp.Free = k.avail - k.at
	}
	return m, nil
}

// blocksIPv6 returns the per-node blocks of prefix length bits an IPv6
// pod CIDR p holds; Validate bounds it by modes.MaxBlocksIPv6.
func blocksIPv6(p netip.Prefix, bits int) uint64 {
	if !p.IsValid() || bits < p.Bits() || bits-p.Bits() >= 64 {
		return 0
	}
	return 1 << (bits - p.Bits())
}

// subnetUsable returns the addresses of a VNet subnet that nodes and pods
// can take, and how many of them the reserved addresses of others take.
// Azure keeps five addresses of every prefix [VNF]. A subnet handed out in
// blocks (static /28s [SBA]) counts whole blocks only: the first block holds
// Azure's first four addresses and the last block its last, so neither is
// usable, and others' addresses take whole blocks too.
func subnetUsable(prefixes []netip.Prefix, blockBits, reserved int) (usable, taken int) {
	if blockBits == 0 {
		for _, p := range prefixes {
			usable += int(modes.UsableAddresses(p))
		}
		return usable, reserved
	}
	bs := 1 << (32 - blockBits)
	for _, p := range prefixes {
		n := int(modes.BlocksIn(p, blockBits))
		usable += (n - min(n, 2)) * bs
	}
	return usable, (reserved + bs - 1) / bs * bs
}

// The Names of the spaces outside the VNet, for Report.Space: the pod
// CIDR's and a bring-your-own CNI's own pool's. A space outside the VNet
// is named by its role, modes.Source's String, which these equal.
const (
	PodCIDRSpace = "pod-cidr" // modes.PodCIDR.String()
	CNIPoolSpace = "cni-pool" // modes.CNIPool.String()
)

// addSpace adds a space and its constraint: constraint i is space i, so a
// space's index is also its constraint's.
func (m *model) addSpace(sp Space, prefixes []netip.Prefix, avail int) int {
	m.spaces = append(m.spaces, sp)
	m.prefixes = append(m.prefixes, prefixes)
	m.blockBits = append(m.blockBits, 0)
	m.cons = append(m.cons, constraint{limit: limitOf(sp.Source), space: len(m.spaces) - 1, avail: avail})
	return len(m.spaces) - 1
}

func (m *model) addCons(l Limit, avail int) int {
	m.cons = append(m.cons, constraint{limit: l, space: -1, avail: avail})
	return len(m.cons) - 1
}

func (m *model) setSource(i int, k modes.Source) {
	if m.spaces[i].Source == 0 {
		m.spaces[i].Source = k
	}
}

func (pm *poolModel) add(k, per int) {
	if per > 0 {
		pm.uses[pm.nuses] = use{k, per}
		pm.nuses++
	}
}

// bound returns the largest node count of pool i that fits every
// constraint with the other pools at their autoscaler max, and the limit
// that binds first (ties go to address spaces, then in Limit order).
func (m *model) bound(i int) (int, Limit) {
	pm := &m.pools[i]
	best, lim := math.MaxInt, LimitNone
	for _, u := range pm.uses[:pm.nuses] {
		var b int
		var l Limit
		if u.k == poolLimit {
			b, l = m.spec.MaxNodesPerPool, LimitPoolNodes
		} else {
			k := &m.cons[u.k]
			others := k.at - pm.atMax*u.per
			b, l = floorDiv(k.avail-others, u.per), k.limit
		}
		if b < best || b == best && l < lim {
			best, lim = b, l
		}
	}
	return best, lim
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// withSurge returns the largest n with n + surge.Nodes(n) ≤ bound.
func withSurge(bound int, s Surge) int {
	lo, hi := 0, bound // invariant: lo fits (or bound < 0)
	if bound < 0 {
		return 0
	}
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if mid+s.Nodes(mid) <= bound {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}
