package capacity

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"

	"github.com/ipcap/ipcap/ipam"
	"github.com/ipcap/ipcap/modes"
	"go4.org/netipx"
	"gonum.org/v1/gonum/stat/distuv"
)

// engine replays a cluster through real ipam pools: every node takes its
// addresses and blocks from the space they belong to, and gives them back
// when it goes.
type engine struct {
	m       *model
	spaces  []simSpace
	pools   []simPool
	nodes   int // live nodes in the cluster
	vnet    int // VNet addresses held, others' included
	pods    distuv.Rander
	rng     *rand.Rand // which nodes a scale-in removes
	pcg     *rand.PCG  // rng's source
	scratch []netip.Addr
	blocks  []netip.Prefix
	calico  calico
	unit    podUnit // how the mode hands pod addresses to a node
	// pod6 hands out a dual-stack cluster's IPv6 per-node blocks; nil when
	// single-stack.
	pod6 *ipam.BlockPool
	// fallbacks are the surge fallbacks of the current step.
	fallbacks []SurgeFallback
}

// simSpace is one address space as an allocator: single addresses or blocks.
type simSpace struct {
	addrs  *ipam.Pool
	blocks *ipam.BlockPool
	unit   int // addresses per slot
	taken  int // slots others hold, the lowest ones
	peak   int // most addresses used during the current step
}

// restart empties the space but for what others hold, as it was built:
// the lowest taken slots, what first fit would give them, set as ranges so
// that a million reserved addresses cost no more than ten.
func (s *simSpace) restart() {
	s.peak = 0
	if s.blocks != nil {
		s.blocks.Reset()
		_ = s.blocks.OccupyLowest(uint64(s.taken)) // taken ≤ Size: allocator clamps it
		return
	}
	s.addrs.Reset()
	_ = s.addrs.OccupyLowest(uint64(s.taken))
}

func (s *simSpace) used() int {
	if s.blocks != nil {
		return int(s.blocks.Used()) * s.unit
	}
	return int(s.addrs.Used())
}

func (s *simSpace) free() int {
	if s.blocks != nil {
		return int(s.blocks.Free()) * s.unit
	}
	return int(s.addrs.Free())
}

// simPool is a node pool's live nodes.
type simPool struct {
	pm   *poolModel
	node int       // node subnet space
	pod  int       // pod subnet, pod CIDR or CNI pool space; −1 when pods use the node subnet
	live []simNode // live nodes; past len, emptied nodes whose slices are reused
	// slab is where new nodes' address and block slices are carved from,
	// a chunk for many nodes at a time, so that a scale-out of thousands
	// of nodes makes a few allocations rather than one or two a node.
	slab   []uint32
	places []place // the same for Calico's places
}

// slabNodes is how many nodes' slices one slab chunk holds.
const slabNodes = 64

// carve returns an empty slice of capacity n from the pool's slab.
func (p *simPool) carve(n int) []uint32 { return carveFrom(&p.slab, n) }

// carveFrom returns an empty slice of capacity n from slab, replacing slab
// with a chunk for slabNodes such slices when it has less room. A node's
// slice that outgrows its capacity moves to the heap on its own.
func carveFrom[T any](slab *[]T, n int) []T {
	if n <= 0 {
		return nil
	}
	if cap(*slab) < n {
		*slab = make([]T, 0, n*slabNodes)
	}
	s := (*slab)[:0:n]
	*slab = (*slab)[n:n:cap(*slab)]
	return s
}

// simNode is what one node holds. Addresses are IPv4 as uint32.
type simNode struct {
	ip     uint32
	addrs  []uint32   // pod addresses: pre-allocated or batched
	blocks []uint32   // block bases (static blocks, the node's block); for Calico, indices into engine.calico.blocks it claimed
	places []place    // Calico: where its pods are
	block6 netip.Addr // dual-stack: its IPv6 block's base
	pods   int
	vnet   int // VNet addresses it holds
}

func newEngine(m *model, pods distuv.Rander, seed uint64) (*engine, error) {
	e := &engine{m: m, pods: pods, pcg: rand.NewPCG(seed, 0x5eed), vnet: m.c.vnetReserved(), unit: m.unit}
	e.rng = rand.New(e.pcg)
	for i := range m.spaces {
		sp, err := m.allocator(i)
		if err != nil {
			return nil, err
		}
		e.spaces = append(e.spaces, sp)
	}
	if m.podCIDR6.IsValid() {
		var b netipx.IPSetBuilder
		b.AddPrefix(m.podCIDR6)
		set, err := b.IPSet()
		if err != nil {
			return nil, err
		}
		if e.pod6, err = ipam.NewBlockPool(set, m.spec.Pods.BlockBitsIPv6, ipam.Options{}); err != nil {
			return nil, err
		}
	}
	e.pools = make([]simPool, len(m.pools))
	for i := range m.pools {
		pm := &m.pools[i]
		sp := &e.pools[i]
		sp.pm, sp.pod = pm, -1
		for _, u := range pm.uses[:pm.nuses] {
			if u.k < 0 || u.k >= len(m.spaces) {
				continue
			}
			switch m.spaces[u.k].Source {
			case modes.NodeSubnet:
				sp.node = u.k
			default:
				sp.pod = u.k
			}
		}
		if sp.pod < 0 && m.podCIDR >= 0 { // Calico at 0 pods per node and no tunnel address draws no block, yet pods may come
			sp.pod = m.podCIDR
		}
		if sp.pod < 0 && pm.pool.PodSubnet != "" { // a pod subnet the steady state draws nothing from
			for k := range m.spaces {
				if m.spaces[k].Source == modes.PodSubnet && m.spaces[k].Name == pm.pool.PodSubnet {
					sp.pod = k
				}
			}
		}
		if err := e.check(sp); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// check makes sure pool p has every space its mode takes addresses from,
// in the form the mode takes them (single addresses or blocks), so that
// the hot paths need not look. Validate rejects such clusters; this is the
// engine's own guard.
func (e *engine) check(p *simPool) error {
	has := func(k int, blocks bool) bool {
		if k < 0 || k >= len(e.spaces) {
			return false
		}
		if blocks {
			return e.spaces[k].blocks != nil
		}
		return e.spaces[k].addrs != nil
	}
	ok := has(p.node, false)
	switch e.unit.podSpace() {
	case podAddrs:
		ok = ok && has(p.pod, false)
	case podBlocks:
		ok = ok && has(p.pod, true)
	}
	if !ok {
		return fmt.Errorf("capacity: internal error: pool %q has no address space for %s from a %s", p.pm.pool.Name, e.m.spec.Pods.Unit, e.m.spec.Pods.Source)
	}
	return nil
}

// vnetReserved sums the VNet's private addresses others hold: in the
// cluster's subnets and, for an estate's cluster, outside them.
func (c *Cluster) vnetReserved() int {
	n := c.OtherVNetAddresses
	for _, sn := range c.Subnets {
		n += sn.Reserved
	}
	return n
}

// allocator builds the ipam pool of space i, with Azure's five addresses
// per subnet prefix reserved and others' addresses taken.
func (m *model) allocator(i int) (simSpace, error) {
	var b, rb netipx.IPSetBuilder
	for _, p := range m.prefixes[i] {
		b.AddPrefix(p)
		if !m.spaces[i].Source.IsPodRange() {
			for _, a := range modes.SubnetReserved(p) {
				rb.Add(a)
			}
		}
	}
	space, err := b.IPSet()
	if err != nil {
		return simSpace{}, err
	}
	reserved, err := rb.IPSet()
	if err != nil {
		return simSpace{}, err
	}
	opt := ipam.Options{Reserved: reserved}
	sp := simSpace{unit: 1}
	if bits := m.blockBits[i]; bits > 0 {
		sp.unit = 1 << (32 - bits)
		if sp.blocks, err = ipam.NewBlockPool(space, bits, opt); err != nil {
			return simSpace{}, err
		}
		sp.taken = min((m.spaces[i].others()+sp.unit-1)/sp.unit, int(sp.blocks.Size()))
	} else {
		if sp.addrs, err = ipam.NewPool(space, opt); err != nil {
			return simSpace{}, err
		}
		sp.taken = min(m.spaces[i].others(), int(sp.addrs.Size()))
	}
	sp.restart()
	return sp, nil
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

func addr(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// drawPods returns the pods a new node of pool p runs: a draw from the
// scenario's distribution, rounded and clamped to 0..maxPods, or the pool's
// PodsPerNode.
func (e *engine) drawPods(p *simPool) int {
	if e.pods == nil {
		return p.pm.pods
	}
	v := math.Round(e.pods.Rand())
	switch {
	case math.IsNaN(v) || v < 0:
		return 0
	case v > float64(p.pm.maxPods):
		return p.pm.maxPods
	}
	return int(v)
}

// fail describes an exhaustion in pool p at limit l (space k, or −1)
// when a request for requested addresses of space k failed.
func (e *engine) fail(p *simPool, l Limit, k, requested int) *Exhaustion {
	ex := &Exhaustion{Pool: p.pm.pool.Name, Nodes: len(p.live), Limit: l, Space: l.String()}
	if l == LimitPodCIDRIPv6 {
		ex.CIDR = e.m.podCIDR6.String()
	}
	if k >= 0 {
		ex.Space = e.m.spaces[k].Name
		ex.CIDR = joinPrefixes(e.m.prefixes[k])
		ex.Requested = requested
		if l == LimitNodeSubnet || l == LimitPodSubnet {
			ex.Code = CodeSubnetIsFull
		}
	}
	return ex
}

// nicAddrs returns the node-subnet addresses one node's VMSS instance
// asks for when it is created: its node IP and, where pods are
// pre-allocated from the node subnet, an IP configuration per pod [LEG].
// Batched and block pod addresses come later, from CNS, node by node.
func (e *engine) nicAddrs(p *simPool) int { return 1 + e.unit.nicPods(p) }

// request adds count nodes to pool p as one VMSS scale-out, as the
// cluster autoscaler and surge upgrades ask for them: the node subnet must
// hold every new instance's addresses at once, or the whole request fails
// with SubnetIsFull for all of them and no node is added [SIF, ADM]. Pod
// addresses are then taken node by node.
func (e *engine) request(p *simPool, count int) *Exhaustion {
	if need := count * e.nicAddrs(p); need > e.spaces[p.node].free() {
		return e.fail(p, LimitNodeSubnet, p.node, need)
	}
	e.reserve(p, len(p.live)+count) // the node list grows once a request, not node by node
	for range count {
		if ex := e.addNode(p, e.drawPods(p)); ex != nil {
			return ex
		}
	}
	return nil
}

// addNode creates a node in pool p running pods pods, or reports what ran
// out; on failure nothing is held. Address spaces are tried first, in the
// order of Limit, then the count limits, so that a tie reports what
// Analyze reports.
func (e *engine) addNode(p *simPool, pods int) *Exhaustion {
	s := &e.m.spec
	// Build the node in the slot past the live ones, reusing the slices a
	// removed node left there.
	if len(p.live) == cap(p.live) {
		p.live = append(p.live, simNode{})[:len(p.live)]
	}
	n := &p.live[:len(p.live)+1][len(p.live)]
	n.pods, n.vnet, n.block6 = pods, 0, netip.Addr{}
	node := &e.spaces[p.node]
	ip, err := node.addrs.Allocate()
	if err != nil {
		return e.fail(p, LimitNodeSubnet, p.node, e.nicAddrs(p))
	}
	n.ip, n.vnet = u32(ip), 1
	if ex := e.unit.take(e, p, n); ex != nil {
		_ = node.addrs.Release(ip)
		return ex
	}
	if e.pod6 != nil {
		b, err := e.pod6.Allocate()
		if err != nil {
			e.release(p, n)
			return e.fail(p, LimitPodCIDRIPv6, -1, 0)
		}
		n.block6 = b.Addr()
	}
	var l Limit
	switch {
	case s.MaxRoutes > 0 && (e.nodes+1)*e.m.routes > s.MaxRoutes-e.m.c.CustomRoutes:
		l = LimitRouteTable
	case len(p.live)+1 > s.MaxNodesPerPool:
		l = LimitPoolNodes
	case e.nodes+1 > s.MaxNodes:
		l = LimitClusterNodes
	case e.vnet+n.vnet > modes.MaxVNetAddresses:
		l = LimitVNet
	}
	if l != LimitNone {
		e.release(p, n)
		return e.fail(p, l, -1, 0)
	}
	p.live = p.live[:len(p.live)+1]
	e.nodes++
	e.vnet += n.vnet
	e.notePeak(p)
	return nil
}

// takeAddrs adds count addresses of space k to n's pod addresses.
func (e *engine) takeAddrs(p *simPool, n *simNode, k, count int, vnet bool) *Exhaustion {
	sp := &e.spaces[k]
	var err error
	e.scratch, err = sp.addrs.AllocateN(e.scratch[:0], count)
	if err != nil {
		if k == p.node {
			count = e.nicAddrs(p) // the instance asked for its node IP and these together
		}
		return e.fail(p, e.m.cons[k].limit, k, count)
	}
	if n.addrs == nil {
		n.addrs = p.carve(max(count, p.pm.maxPods))
	}
	for _, a := range e.scratch {
		n.addrs = append(n.addrs, u32(a))
	}
	if vnet {
		n.vnet += count
	}
	return nil
}

// takeBlocks adds count blocks of the pool's pod space to n.
func (e *engine) takeBlocks(p *simPool, n *simNode, count int, countOnce bool) *Exhaustion {
	sp := &e.spaces[p.pod]
	var err error
	e.blocks, err = sp.blocks.AllocateN(e.blocks[:0], count)
	if err != nil {
		return e.fail(p, e.m.cons[p.pod].limit, p.pod, count*sp.unit)
	}
	if n.blocks == nil {
		n.blocks = p.carve(count)
	}
	for _, b := range e.blocks {
		n.blocks = append(n.blocks, u32(b.Addr()))
	}
	if !e.m.spaces[p.pod].Source.IsPodRange() {
		if countOnce {
			n.vnet += count
		} else {
			n.vnet += count * sp.unit
		}
	}
	return nil
}

// release gives back everything node n holds.
func (e *engine) release(p *simPool, n *simNode) {
	_ = e.spaces[p.node].addrs.Release(addr(n.ip))
	e.unit.release(e, p, n)
	if n.block6.IsValid() {
		_ = e.pod6.Release(netip.PrefixFrom(n.block6, e.pod6.Bits()))
		n.block6 = netip.Addr{}
	}
	n.addrs, n.blocks = n.addrs[:0], n.blocks[:0]
}

// removeNode removes the live node at index i of pool p.
func (e *engine) removeNode(p *simPool, i int) {
	n := &p.live[i]
	e.nodes--
	e.vnet -= n.vnet
	e.release(p, n)
	last := len(p.live) - 1
	p.live[i], p.live[last] = p.live[last], p.live[i] // the emptied node keeps its slices for reuse
	p.live = p.live[:last]
}

func (e *engine) notePeak(p *simPool) {
	for _, k := range [2]int{p.node, p.pod} {
		if k >= 0 {
			sp := &e.spaces[k]
			sp.peak = max(sp.peak, sp.used())
		}
	}
}

// reserve grows pool p's node list, once, to hold n nodes, or as many as
// the pool can ever have; emptied nodes past its length keep their slices.
func (e *engine) reserve(p *simPool, n int) {
	if n = min(n, e.m.spec.MaxNodesPerPool+1); n > cap(p.live) {
		p.live = append(make([]simNode, 0, n), p.live[:cap(p.live)]...)[:len(p.live)]
	}
}

// scale brings pool p to target nodes, one node at a time. Scale-in
// removes nodes drawn at random, as the autoscaler picks them.
func (e *engine) scale(p *simPool, target int) *Exhaustion {
	e.reserve(p, target)
	for len(p.live) > target {
		e.removeNode(p, e.rng.IntN(len(p.live)))
	}
	for len(p.live) < target {
		if ex := e.addNode(p, e.drawPods(p)); ex != nil {
			return ex
		}
	}
	return nil
}

// reset empties the cluster: every space as it was built, no nodes. The
// pools are reset whole rather than node by node, and keep their memory, so
// that the engine runs another trial without building them again.
func (e *engine) reset(pods distuv.Rander, seed uint64) {
	for k := range e.spaces {
		e.spaces[k].restart()
	}
	if e.pod6 != nil {
		e.pod6.Reset()
	}
	for pi := range e.pools {
		p := &e.pools[pi]
		for i := range p.live { // emptied, the nodes keep their slices for reuse
			n := &p.live[i]
			n.addrs, n.blocks, n.places = n.addrs[:0], n.blocks[:0], n.places[:0]
		}
		p.live = p.live[:0]
	}
	e.calico = calico{blocks: e.calico.blocks[:0], dead: e.calico.dead[:0]}
	e.nodes, e.vnet = 0, e.m.c.vnetReserved()
	e.fallbacks = e.fallbacks[:0]
	e.pods = pods
	e.pcg.Seed(seed, 0x5eed)
}
