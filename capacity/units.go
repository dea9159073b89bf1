package capacity

import (
	"net/netip"

	"github.com/ipcap/ipcap/modes"
)

// podUnit is how one modes.Unit takes, gives back and re-draws a node's pod
// addresses. newEngine chooses it once, so the per-node paths never switch
// on the unit.
type podUnit interface {
	// take gives node n of pool p its pod addresses or blocks for n.pods
	// pods; on failure it holds nothing more.
	take(e *engine, p *simPool, n *simNode) *Exhaustion
	// release gives back n's pod addresses and blocks.
	release(e *engine, p *simPool, n *simNode)
	// churn replaces n's pods with pods new ones.
	churn(e *engine, p *simPool, n *simNode, pods int) *Exhaustion
	// podSpace is what the unit takes from a pool's pod space, which
	// engine.check makes sure the pool has.
	podSpace() podSpace
	// nicPods is how many pod addresses a node of pool p asks for with its
	// node IP, when its VMSS instance is created; the other units take
	// theirs later, from CNS, node by node.
	nicPods(p *simPool) int
	// admitted is the pod addresses of one node of pool pm that AKS's
	// admission counts in the space pods come from.
	admitted(m *model, pm *poolModel) int
	// podsCost reports whether what a node takes depends on the pods it
	// runs, so that a forecast draws pods per trial.
	podsCost() bool
	// pathDependent reports whether what the pools hold depends on the
	// order in which nodes came and went, beyond their counts (Calico's
	// claimed blocks), so that a forecast replays every day.
	pathDependent() bool
}

// podSpace is what a unit takes from a pool's pod space: nothing (its
// addresses, if any, come from the node subnet), addresses or blocks.
type podSpace uint8

const (
	noPodSpace podSpace = iota
	podAddrs
	podBlocks
)

// newPodUnit returns the unit of a, which Spec.Validate has checked: the
// zero Unit, pods without addresses, is noPods.
func newPodUnit(a modes.PodAllocation) podUnit {
	switch a.Unit {
	case modes.PerPod:
		return perPod{}
	case modes.Batch:
		return batch{}
	case modes.StaticBlock:
		return staticBlock{}
	case modes.NodeBlock:
		return nodeBlock{}
	case modes.OnDemandBlock:
		return onDemand{}
	}
	return noPods{}
}

// noPods is the unit of a custom Spec whose pods take no addresses (the
// zero Unit, with no source): a node holds its node IP only.
type noPods struct{ keepOnChurn }

func (noPods) take(*engine, *simPool, *simNode) *Exhaustion { return nil }
func (noPods) release(*engine, *simPool, *simNode)          {}
func (noPods) podSpace() podSpace                           { return noPodSpace }
func (noPods) nicPods(*simPool) int                         { return 0 }
func (noPods) admitted(*model, *poolModel) int              { return 0 }

// keepOnChurn is churn for the units whose addresses stay with the node
// whatever pods it runs: only the pod count changes.
type keepOnChurn struct{}

func (keepOnChurn) churn(_ *engine, _ *simPool, n *simNode, pods int) *Exhaustion {
	n.pods = pods
	return nil
}
func (keepOnChurn) podsCost() bool      { return false }
func (keepOnChurn) pathDependent() bool { return false }

// perPod pre-allocates maxPods addresses when the node starts [LEG].
type perPod struct{ keepOnChurn }

func (perPod) take(e *engine, p *simPool, n *simNode) *Exhaustion {
	return e.takeAddrs(p, n, e.addrSpace(p), p.pm.maxPods, e.m.spec.Pods.Source.IsVNet())
}
func (perPod) release(e *engine, p *simPool, n *simNode) { e.releaseAddrs(p, n) }
func (perPod) podSpace() podSpace                        { return noPodSpace } // the node subnet's
func (perPod) nicPods(p *simPool) int                    { return p.pm.maxPods }

// admitted is maxPods − 2 pods, maxPods − 1 addresses with the node IP, or
// before 2020 maxPods pods, maxPods + 1 in all (Cluster.Admission).
func (perPod) admitted(m *model, pm *poolModel) int {
	if m.c.Admission == Admission2018 {
		return pm.maxPods
	}
	return max(pm.maxPods-2, 0)
}

// batch holds the CNS target for the node's pods, in batches [DYN, ACN].
type batch struct{}

func (batch) take(e *engine, p *simPool, n *simNode) *Exhaustion {
	a := e.m.spec.Pods
	return e.takeAddrs(p, n, e.addrSpace(p), modes.DynamicTarget(n.pods, a.BatchSize, a.RequestThreshold, p.pm.maxPods), a.Source.IsVNet())
}
func (batch) release(e *engine, p *simPool, n *simNode) { e.releaseAddrs(p, n) }
func (batch) podSpace() podSpace                        { return podAddrs }
func (batch) podsCost() bool                            { return true }
func (batch) pathDependent() bool                       { return false }
func (batch) nicPods(*simPool) int                      { return 0 }
func (batch) admitted(m *model, _ *poolModel) int       { return m.spec.Pods.BatchSize } // one CNS batch

// churn takes addresses for the old and new pods together, since releasing
// takes seconds [IPP], then gives back whole batches [ACN].
func (batch) churn(e *engine, p *simPool, n *simNode, pods int) *Exhaustion {
	if ex := e.rebatch(p, n, min(n.pods+pods, p.pm.maxPods)); ex != nil {
		return ex
	}
	n.pods = pods
	e.settle(p, n)
	return nil
}

// heldBlocks are blocks a node holds until it goes, whatever pods it runs.
type heldBlocks struct{ keepOnChurn }

func (heldBlocks) release(e *engine, p *simPool, n *simNode) { e.releaseBlocks(p, n) }
func (heldBlocks) podSpace() podSpace                        { return podBlocks }
func (heldBlocks) nicPods(*simPool) int                      { return 0 }

// staticBlock holds enough /28s for maxPods for the node's lifetime [SBA].
type staticBlock struct{ heldBlocks }

// admitted is one /28 whatever maxPods needs: seen admitting pools whose
// nodes then find no blocks.
func (staticBlock) admitted(m *model, _ *poolModel) int { return m.spec.Pods.BlockSize() }

func (staticBlock) take(e *engine, p *simPool, n *simNode) *Exhaustion {
	a := e.m.spec.Pods
	return e.takeBlocks(p, n, a.StaticBlocks(p.pm.maxPods), a.BlockCountsOnce)
}

// nodeBlock gives each node one block of the pod CIDR, in order [KUB, OVC].
type nodeBlock struct{ heldBlocks }

// admitted is nothing in a subnet: a node's block comes from the pod
// CIDR, which admission counts by the block (model.admitted).
func (nodeBlock) admitted(*model, *poolModel) int { return 0 }

func (nodeBlock) take(e *engine, p *simPool, n *simNode) *Exhaustion {
	return e.takeBlocks(p, n, 1, false)
}

// onDemand claims Calico blocks as pods and the node's tunnel addresses
// (Pods.TunnelAddresses) need them and borrows from other nodes' blocks
// when none is free; release gives back both.
type onDemand struct{}

func (onDemand) take(e *engine, p *simPool, n *simNode) *Exhaustion {
	return e.placeCalico(p, n, n.pods)
}
func (onDemand) release(e *engine, p *simPool, n *simNode) { e.unplaceCalico(p, n) }
func (onDemand) podSpace() podSpace                        { return podBlocks }
func (onDemand) nicPods(*simPool) int                      { return 0 }
func (onDemand) admitted(*model, *poolModel) int           { return 0 } // a CNI's own pool: not checked
func (onDemand) podsCost() bool                            { return true }
func (onDemand) pathDependent() bool                       { return true }

// churn re-places the pods and the tunnel addresses, keeping the blocks the
// node claimed.
func (onDemand) churn(e *engine, p *simPool, n *simNode, pods int) *Exhaustion {
	e.unplaceCalicoPods(n)
	n.pods = pods
	return e.placeCalico(p, n, pods)
}

// addrSpace is the space pool p's single pod addresses come from.
func (e *engine) addrSpace(p *simPool) int {
	if e.m.spec.Pods.Source == modes.PodSubnet {
		return p.pod
	}
	return p.node
}

// releaseAddrs gives back node n's single pod addresses.
func (e *engine) releaseAddrs(p *simPool, n *simNode) {
	sp := e.spaces[e.addrSpace(p)].addrs
	for _, a := range n.addrs {
		_ = sp.Release(addr(a))
	}
	n.addrs = n.addrs[:0]
}

// releaseBlocks gives back node n's blocks of the pool's pod space.
func (e *engine) releaseBlocks(p *simPool, n *simNode) {
	sp := e.spaces[p.pod].blocks
	bits := sp.Bits()
	for _, b := range n.blocks {
		_ = sp.Release(netip.PrefixFrom(addr(b), bits))
	}
	n.blocks = n.blocks[:0]
}
