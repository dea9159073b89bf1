package capacity

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/modes"
	"gonum.org/v1/gonum/stat/distuv"
)

// Scenario is a sequence of operations to replay on a cluster.
type Scenario struct {
	// Steps apply in order. The cluster as given is the state before the
	// first step, except that pools named by an OpAddPool step start absent
	// and that a first OpCreate step starts from nothing.
	Steps []Step
	// PodsPerNode gives the pods each new node runs, rounded and clamped to
	// 0..maxPods; nil means the pool's PodsPerNode (or MaxPods). It draws
	// from its own Src.
	PodsPerNode distuv.Rander
	// Seed seeds the simulator's own choices (which nodes a scale-in
	// removes): the same seed and Src give the same timeline.
	Seed uint64
}

// ScaleOut returns a scenario that grows pool to `to` nodes one node at a
// time (OpGrow), to find where it stops.
func ScaleOut(pool string, to int) Scenario {
	return Scenario{Steps: []Step{{Op: OpGrow, Pool: pool, Nodes: to}}}
}

// Timeline is what Simulate saw.
type Timeline struct {
	Steps     []Snapshot  `json:"steps"`     // after each step that ran
	Exhausted *Exhaustion `json:"exhausted"` // nil when every step fit
	// Fallbacks are upgrades that went on with a smaller surge than they
	// asked for (Kubernetes 1.35 and later).
	Fallbacks []SurgeFallback `json:"fallbacks,omitempty"`
}

// Snapshot is the cluster after a step.
type Snapshot struct {
	Step   int        `json:"step"`
	Op     Op         `json:"op"`
	Pool   string     `json:"pool"`
	Spaces []SpaceUse `json:"spaces"` // in the order of Report.Spaces
	Nodes  []int      `json:"nodes"`  // per pool, in the order of Cluster.Pools
}

// SpaceUse is one space's use after a step, and at its peak during it.
type SpaceUse struct {
	Name string `json:"name"`
	Used int    `json:"used"` // addresses (a pod CIDR or CNI pool counts its blocks' addresses)
	Free int    `json:"free"` // addresses (a pod CIDR or CNI pool counts its blocks' addresses)
	Peak int    `json:"peak"`
}

// Exhaustion is the first allocation that failed: the moment a real cluster
// hits SubnetIsFull [SIF] or a node limit.
type Exhaustion struct {
	Step  int    `json:"step"`  // index in Scenario.Steps; −1 when the cluster as given does not fit
	Pool  string `json:"pool"`  // the pool that was growing
	Nodes int    `json:"nodes"` // nodes the pool had running when the request failed
	// Space names the subnet, pod CIDR or CNI pool that ran out, or the limit for
	// count limits (routes, nodes, VNet addresses).
	Space string `json:"space"`
	Limit Limit  `json:"limit"`
	// Code is AKS's error code: SubnetIsFull when a node or pod subnet
	// cannot hold the request [SIF], else "".
	Code string `json:"code,omitempty"`
	CIDR string `json:"cidr,omitempty"` // the space's prefixes, comma-separated
	// Requested counts the addresses the failed request asked for: every
	// new instance's node-subnet addresses for a scale-out or surge batch
	// (one VMSS request), or one node's pod addresses or blocks.
	Requested int `json:"requested,omitempty"`
}

// String gives AKS's wording for SubnetIsFull, and otherwise says what
// ran out; Pool, Nodes and Step say where.
func (e *Exhaustion) String() string {
	if e.Code == CodeSubnetIsFull {
		return fmt.Sprintf("%s: Subnet %s with address prefix %s does not have enough capacity for %d IP addresses", e.Code, e.Space, e.CIDR, e.Requested)
	}
	if e.Limit == LimitPodCIDRIPv6 {
		return fmt.Sprintf("IPv6 pod CIDR %s is full: no per-node block left for another node (%v)", e.CIDR, e.Limit)
	}
	if e.CIDR != "" {
		return fmt.Sprintf("%s %s is full: %s requested (%v)", e.Space, e.CIDR, count.Of(e.Requested, "address", "addresses"), e.Limit)
	}
	return fmt.Sprintf("%v limit reached", e.Limit)
}

// Simulate replays sc on c through real ipam pools: node addresses from
// the node subnet (Azure's five reserved), per-node blocks from the pod
// CIDR in order (node k gets the k-th /24 [KUB]), pre-allocated, batched
// (CNS) or static-block pod addresses from the subnet they belong to, and
// Calico blocks on demand. Scale-in and upgrades give back what removed
// nodes held.
//
// New nodes come as AKS asks for them: a created or added pool, a scale
// (OpScale, OpAutoscale) and a surge batch are one scale-set request each,
// which fails as a whole when the node subnet cannot hold every new
// instance ("Failed to increase capacity … does not have enough capacity
// for N IP addresses" [SIF, ADM, AKS2531]); OpGrow, and the cluster as
// given, add one node at a time. Pod addresses are taken node by node.
//
// The first failed request stops the timeline and is reported in
// Exhausted. Errors are kept for bad input (a *ValidationError: an invalid
// cluster; a *StepError: an unknown pool) and a cancelled ctx, checked
// before and after building the allocators and between steps (a 5,000-node
// step replays in about a millisecond). A bug that panics is returned as an
// internal error.
//
// For modes without on-demand allocation, ScaleOut stops exactly at
// Analyze's MaxNodes with the same Limit when every pool starts at its
// autoscaler max (Pool.AtMax).
func Simulate(ctx context.Context, c Cluster, sc Scenario) (*Timeline, error) {
	m, err := newModel(&c)
	if err != nil {
		return nil, err
	}
	if err := m.checkSteps(sc.Steps); err != nil {
		return nil, err
	}
	return m.simulate(ctx, sc)
}

// simulate is Simulate on a model whose steps are checked.
func (m *model) simulate(ctx context.Context, sc Scenario) (_ *Timeline, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("capacity: internal error in Simulate: %v", r)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e, err := newEngine(m, sc.PodsPerNode, sc.Seed)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := &Timeline{Steps: make([]Snapshot, 0, len(sc.Steps))}
	if len(sc.Steps) == 0 || sc.Steps[0].Op != OpCreate {
		if ex := e.create(sc.Steps, false); ex != nil {
			ex.Step = -1
			t.Exhausted = ex
			return t, nil
		}
	}
	for i, st := range sc.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for k := range e.spaces {
			e.spaces[k].peak = e.spaces[k].used()
		}
		ex := e.apply(st, sc.Steps)
		t.Steps = append(t.Steps, e.snapshot(i, st))
		for _, f := range e.fallbacks {
			f.Step = i
			t.Fallbacks = append(t.Fallbacks, f)
		}
		e.fallbacks = e.fallbacks[:0]
		if ex != nil {
			ex.Step = i
			t.Exhausted = ex
			break
		}
	}
	return t, nil
}

// checkSteps returns a *StepError for the first step that names an unknown
// op or pool or a negative count.
func (m *model) checkSteps(steps []Step) error {
	for i, st := range steps {
		if err := m.checkStep(i, st); err != nil {
			return err
		}
		if st.Op == OpMigrate {
			return stepError(i, stepOf(i).dot("Op"), st.Op.String(), "Simulate does not replay a migration: Check answers it")
		}
		if _, r := m.migrated(st); st.Op == OpExpandPodCIDR && r != nil {
			return stepError(i, stepOf(i).dot("PodCIDRs"), joinPrefixes(st.PodCIDRs), r.Reason)
		}
	}
	return nil
}

// create places every pool at its Count, except pools an OpAddPool step
// adds later: node by node for the cluster as given, or, for an OpCreate
// step, each pool as one request, as AKS creates a pool's scale set.
func (e *engine) create(steps []Step, request bool) *Exhaustion {
	for pi := range e.pools {
		p := &e.pools[pi]
		added := false
		for _, st := range steps {
			added = added || st.Op == OpAddPool && st.Pool == p.pm.pool.Name
		}
		if added {
			continue
		}
		if ex := e.grow(p, p.pm.pool.Count, request); ex != nil {
			return ex
		}
	}
	return nil
}

// grow brings pool p to target nodes, the nodes it lacks as one request
// or one node at a time.
func (e *engine) grow(p *simPool, target int, request bool) *Exhaustion {
	if n := len(p.live); request && target > n {
		return e.request(p, target-n)
	}
	return e.scale(p, target)
}

func (e *engine) apply(st Step, steps []Step) *Exhaustion {
	p := &e.pools[e.m.byName[st.Pool]]
	switch st.Op {
	case OpCreate:
		return e.create(steps, true)
	case OpScale, OpAutoscale:
		return e.grow(p, st.Nodes, true)
	case OpGrow:
		return e.grow(p, st.Nodes, false)
	case OpUpgrade:
		if st.Pool != "" {
			return e.upgrade(p)
		}
		for pi := range e.pools { // az aks upgrade: one pool after another [CPU]
			if ex := e.upgrade(&e.pools[pi]); ex != nil {
				return ex
			}
		}
	case OpAddPool:
		return e.grow(p, p.pm.pool.Count, true)
	case OpChurn:
		return e.churn(p)
	case OpExpandPodCIDR:
		e.expandPodCIDR(st.PodCIDRs[0])
	}
	return nil
}

// expandPodCIDR widens the pod CIDR to p, a superset of it: a new block
// pool over p in which the nodes keep the blocks they hold [OVX].
func (e *engine) expandPodCIDR(p netip.Prefix) {
	k := e.m.podCIDR
	e.m.prefixes[k] = []netip.Prefix{p}
	sp, err := e.m.allocator(k)
	if err != nil {
		panic("capacity: internal error: expanding the pod CIDR: " + err.Error()) // recovered by simulate
	}
	bits := sp.blocks.Bits()
	for _, pool := range e.pools {
		for _, n := range pool.live {
			for _, b := range n.blocks {
				_ = sp.blocks.Occupy(netip.PrefixFrom(addr(b), bits))
			}
		}
	}
	sp.peak = e.spaces[k].peak
	e.spaces[k] = sp
}

// churn replaces the pods of every node of pool p with a new draw. Old
// pods' addresses are released only after the new pods have theirs
// (releasing takes seconds [IPP]), so batched modes peak at the old and new
// pods together, then give back whole batches while more than the release
// threshold is free [ACN]. Calico re-places the pods; pre-allocated and
// block modes hold the same addresses.
func (e *engine) churn(p *simPool) *Exhaustion {
	for i := range p.live {
		if ex := e.unit.churn(e, p, &p.live[i], e.drawPods(p)); ex != nil {
			return ex
		}
	}
	return nil
}

// rebatch grows node n's batched addresses to the CNS target for demand.
func (e *engine) rebatch(p *simPool, n *simNode, demand int) *Exhaustion {
	a := e.m.spec.Pods
	want := modes.DynamicTarget(demand, a.BatchSize, a.RequestThreshold, p.pm.maxPods)
	if add := want - len(n.addrs); add > 0 {
		if e.vnet+add > modes.MaxVNetAddresses {
			return e.fail(p, LimitVNet, -1, 0)
		}
		if ex := e.takeAddrs(p, n, p.pod, add, true); ex != nil {
			return ex
		}
		e.vnet += add
		e.notePeak(p)
	}
	return nil
}

// settle releases whole batches of node n while more than the release
// threshold would stay free and at least the request threshold remains.
func (e *engine) settle(p *simPool, n *simNode) {
	a := e.m.spec.Pods
	b := a.BatchSize
	maxFree := int(float64(b) * a.ReleaseThreshold)
	minFree := int(float64(b) * a.RequestThreshold)
	for len(n.addrs)-n.pods > maxFree && len(n.addrs)-b-n.pods >= minFree {
		for _, v := range n.addrs[len(n.addrs)-b:] {
			_ = e.spaces[p.pod].addrs.Release(addr(v))
		}
		n.addrs = n.addrs[:len(n.addrs)-b]
		n.vnet -= b
		e.vnet -= b
	}
}

// unplaceCalicoPods removes node n's pods from their blocks but keeps the
// blocks it claimed.
func (e *engine) unplaceCalicoPods(n *simNode) {
	c := &e.calico
	for _, pl := range n.places {
		c.blocks[pl.block].used -= pl.n
		c.room += int(pl.n)
	}
	n.places = n.places[:0]
}

// snapshot records every space's use and every pool's nodes.
func (e *engine) snapshot(i int, st Step) Snapshot {
	s := Snapshot{Step: i, Op: st.Op, Pool: st.Pool, Spaces: make([]SpaceUse, len(e.spaces)), Nodes: make([]int, len(e.pools))}
	for k := range e.spaces {
		sp := &e.spaces[k]
		s.Spaces[k] = SpaceUse{Name: e.m.spaces[k].Name, Used: sp.used(), Free: sp.free(), Peak: max(sp.peak, sp.used())}
	}
	for pi := range e.pools {
		s.Nodes[pi] = len(e.pools[pi].live)
	}
	return s
}
