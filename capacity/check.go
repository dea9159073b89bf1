package capacity

import (
	"context"
	"fmt"

	"github.com/ipcap/ipcap/internal/count"
)

// Verdict is AKS's answer to an operation and what then happens when the
// cluster runs it.
type Verdict struct {
	// Refusal is AKS's refusal, nil when it accepts the operation.
	Refusal *AdmissionError `json:"refusal,omitempty"`
	// Failure is the first request the accepted operation cannot place,
	// run through real allocators from the pools' current counts (a
	// SubnetIsFull, a pod CIDR with no block left, a node limit); nil when
	// every node and pod it admits gets its addresses, and always nil for
	// a refused operation, which never runs.
	Failure *Exhaustion `json:"failure,omitempty"`
	// Fallbacks are upgrades that run with a smaller surge than asked
	// because theirs does not fit (Kubernetes 1.35 and later).
	Fallbacks []SurgeFallback `json:"fallbacks,omitempty"`
}

// Check answers two questions for step s on cluster c: does AKS accept it,
// and does it then succeed? The error is for invalid input only: a
// malformed cluster (*ValidationError) or step (*StepError).
//
// Admission compares, per address space the step touches, AKS's planned
// total X with the space's usable size Y, as the resource provider's
// "Pre-allocated IPs X exceeds IPs available Y" does [ISS, ADM]: X counts
// every pool in the space (autoscaled pools at MaxCount) after the step;
// Y is the subnet's size less Azure's five addresses per prefix, or the
// pod CIDR's size. Addresses others use (Subnet.Reserved) are not in Y:
// they bite at provisioning, as a Failure. Create, add-pool, scale and
// autoscale count no surge node; an upgrade counts the pool's surge nodes
// (its max surge of its Count, the size at the upgrade [API]) beside every
// pool, and an upgrade of every pool (Step.Pool "") every
// pool's surge, summed or the largest by Cluster.ClusterUpgradeSurge. What one node counts is in admitted (by
// Cluster.Admission). Operations that add no node (a scale-in, churn)
// are not checked. A manual scale of an autoscaled pool is refused, as the
// Azure CLI refuses it [CLI, CAS]. Count limits: 1,000 nodes per pool (its
// Count and surge during an upgrade), 5,000 per cluster and kubenet's 400
// routes, these two counted as addresses are, every pool at its max plus
// the surge nodes [QUO, NLIM].
//
// The failure replays the step with Simulate from the pools at their
// Count: a new pool, a scale (OpScale, OpAutoscale) and a surge batch as
// one request each, which fails as a whole when the node subnet cannot
// hold it [SIF, ADM]; pod addresses are taken node by node, as Simulate
// takes them.
func Check(c Cluster, s Step) (*Verdict, error) {
	m, err := newModel(&c)
	if err != nil {
		return nil, err
	}
	if err := m.checkStep(-1, s); err != nil {
		return nil, err
	}
	if s.Op == OpMigrate || s.Op == OpExpandPodCIDR {
		return m.checkMigrate(s)
	}
	v := &Verdict{Refusal: m.admitStep(s)}
	if v.Refusal != nil {
		return v, nil
	}
	tl, err := m.simulate(context.Background(), Scenario{Steps: []Step{s}})
	if err != nil {
		return nil, err
	}
	v.Failure, v.Fallbacks = tl.Exhausted, tl.Fallbacks
	return v, nil
}

// Preflight reproduces AKS's admission check for step s on cluster c: nil
// where AKS accepts, else an *AdmissionError (or a *ValidationError for a
// malformed cluster, a *StepError for a malformed step). It is Check's
// Refusal.
func Preflight(c Cluster, s Step) error {
	m, err := newModel(&c)
	if err != nil {
		return err
	}
	if err := m.checkStep(-1, s); err != nil {
		return err
	}
	if s.Op == OpMigrate || s.Op == OpExpandPodCIDR {
		if _, r := m.admitMigrate(s); r != nil {
			return r
		}
		return nil
	}
	if r := m.admitStep(s); r != nil {
		return r
	}
	return nil
}

// checkMigrate is Check of a migration or a pod CIDR expansion.
func (m *model) checkMigrate(s Step) (*Verdict, error) {
	mt, r := m.admitMigrate(s)
	if r != nil {
		return &Verdict{Refusal: r}, nil
	}
	if s.Op == OpExpandPodCIDR {
		return &Verdict{}, nil // no node moves
	}
	ex, err := m.replayMigrate(mt)
	if err != nil {
		return nil, err
	}
	return &Verdict{Failure: ex}, nil
}

// admitStep is AKS's admission of a checked step.
func (m *model) admitStep(s Step) *AdmissionError {
	nodes := make([]int, len(m.pools))
	surge := make([]int, len(m.pools))
	for i := range m.pools {
		nodes[i] = m.pools[i].atMax
	}
	if s.Op == OpCreate {
		return m.admit(OpCreate, -1, nodes, surge)
	}
	if s.Op == OpUpgrade && s.Pool == "" {
		for i := range m.pools {
			surge[i] = m.pools[i].upgradeSurge()
		}
		return m.admit(OpUpgrade, -1, nodes, surge)
	}
	i := m.byName[s.Pool]
	pm := &m.pools[i]
	switch s.Op {
	case OpScale:
		if pm.pool.Autoscaling() {
			return &AdmissionError{Op: OpScale, Pool: s.Pool, Reason: "Cannot scale cluster autoscaler enabled node pool."}
		}
		if pm.pool.Mode == PoolSystem && s.Nodes < 1 {
			return &AdmissionError{Op: OpScale, Pool: s.Pool, Reason: "a system node pool must keep at least one node"} // [SYS]
		}
		if s.Nodes <= pm.atMax {
			return nil
		}
		nodes[i] = s.Nodes
		return m.admit(OpScale, i, nodes, surge)
	case OpAutoscale, OpGrow: // a probe is admitted as the max count it reaches
		if s.Nodes <= pm.atMax {
			return nil
		}
		nodes[i] = s.Nodes
		return m.admit(s.Op, i, nodes, surge)
	case OpUpgrade:
		surge[i] = pm.upgradeSurge()
		return m.admit(OpUpgrade, i, nodes, surge)
	case OpAddPool:
		return m.admit(OpAddPool, i, nodes, surge)
	}
	return nil // churn replaces pods: nothing to admit
}

// String says the verdict in one line: "ok", "refused by AKS: …",
// "accepted by AKS, then fails: …" or "ok with a smaller surge: …".
func (v *Verdict) String() string {
	switch {
	case v.Refusal != nil:
		return "refused by AKS: " + v.Refusal.Error()
	case v.Failure != nil:
		return fmt.Sprintf("accepted by AKS, then fails: pool %s, growing from %s: %v", v.Failure.Pool, count.Of(v.Failure.Nodes, "node", "nodes"), v.Failure)
	case len(v.Fallbacks) > 0:
		return "ok with a smaller surge: " + v.Fallbacks[0].String()
	}
	return "ok"
}

// upgradeSurge is the number of surge nodes an upgrade of the pool adds
// now: its max surge of the pool's size at the time of the upgrade, its
// Count, not its autoscaler max [API, UPR].
func (pm *poolModel) upgradeSurge() int { return pm.surge.Nodes(pm.pool.Count) }
