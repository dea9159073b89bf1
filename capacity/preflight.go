package capacity

import (
	"fmt"
	"net/netip"
	"strings"
)

// AdmissionError is AKS's refusal of an operation, with the figures of its
// message.
type AdmissionError struct {
	Op    Op     `json:"op"`
	Pool  string `json:"pool"` // the pool operated on; "" for OpCreate
	Code  string `json:"code"` // AKS's error code (InsufficientSubnetSize), or "" for node-count limits
	Limit Limit  `json:"limit"`
	Space string `json:"space"` // the space's name, for address limits
	CIDR  string `json:"cidr"`  // the space's prefixes, comma-separated
	// Required and Available are addresses for address limits, and nodes
	// (routes for the route table) for count limits.
	Required  int `json:"required"`
	Available int `json:"available"`
}

func (e *AdmissionError) Error() string {
	if e.Code == CodeInsufficientSubnetSize {
		return fmt.Sprintf("%s: Pre-allocated IPs %d exceeds IPs available %d in Subnet Cidr %s, Subnet Name %s",
			e.Code, e.Required, e.Available, e.CIDR, e.Space)
	}
	what := map[Limit]string{
		LimitRouteTable:   "routes, more than the route table's",
		LimitPoolNodes:    "nodes in the pool, more than AKS's per-pool limit of",
		LimitClusterNodes: "nodes in the cluster, more than AKS's limit of",
		LimitVNet:         "private IPs in the VNet, more than its limit of",
	}[e.Limit]
	subject := e.Op.String()
	if e.Pool != "" {
		subject += " of pool " + e.Pool
	}
	return fmt.Sprintf("capacity: %s needs %d %s %d", subject, e.Required, what, e.Available)
}

// Preflight reproduces AKS's admission check for step s on cluster c: nil
// where AKS accepts, else an *AdmissionError, a *ValidationError for a
// malformed cluster, or a *StepError for an unknown op or pool or a negative
// node count.
//
// The address check follows AKS's resource provider [ISS; W8, W9, W10]: the
// addresses the step adds must fit the free addresses of each space. With
// the autoscaler on, a pool counts MaxCount. Create and add-pool count each
// new node's full cost with no surge node (the RP's messages, U8); scale
// counts the added nodes; upgrade counts the pool's surge nodes. Count
// limits: 1,000 nodes per pool, surge included [UPR]; 5,000 per cluster;
// kubenet's 400 routes; 65,536 private IPs per VNet.
func Preflight(c Cluster, s Step) error {
	m, err := newModel(&c)
	if err != nil {
		return err
	}
	if err := m.checkStep(-1, s); err != nil {
		return err
	}
	if s.Op == OpCreate {
		return m.admitCreate()
	}
	i := m.byName[s.Pool]
	pm := &m.pools[i]
	switch s.Op {
	case OpScale:
		return m.admit(OpScale, i, s.Nodes-pm.committed, s.Nodes)
	case OpUpgrade:
		sn := pm.surge.Nodes(pm.committed)
		return m.admit(OpUpgrade, i, sn, pm.committed+sn)
	case OpAddPool:
		// The pool is listed in c: free addresses are those the others leave.
		return m.admit(OpAddPool, i, pm.committed, pm.committed)
	case OpChurn:
		return nil // replacing pods needs no admission
	}
	return badOp(-1, s.Op)
}

// admitCreate checks every space and count with all pools at their
// committed size.
func (m *model) admitCreate() error {
	for ki := range m.cons {
		k := &m.cons[ki]
		if k.at > k.cap {
			return m.refuse(OpCreate, "", ki, k.at, k.cap)
		}
	}
	for i := range m.pools {
		if m.pools[i].committed > m.spec.MaxNodesPerPool {
			return &AdmissionError{Op: OpCreate, Pool: m.pools[i].pool.Name, Limit: LimitPoolNodes,
				Required: m.pools[i].committed, Available: m.spec.MaxNodesPerPool}
		}
	}
	return nil
}

// admit checks that pool i may grow by add nodes (none when add ≤ 0) to a
// pool of poolNodes during the step.
func (m *model) admit(op Op, i, add, poolNodes int) error {
	pm := &m.pools[i]
	name := pm.pool.Name
	if poolNodes > m.spec.MaxNodesPerPool {
		return &AdmissionError{Op: op, Pool: name, Limit: LimitPoolNodes, Required: poolNodes, Available: m.spec.MaxNodesPerPool}
	}
	if add <= 0 {
		return nil
	}
	for _, u := range pm.uses[:pm.nuses] {
		if u.k == poolLimit {
			continue
		}
		k := &m.cons[u.k]
		free := k.cap - k.at
		if op == OpAddPool {
			free += pm.committed * u.per // the listed pool is not there yet
		}
		free = max(free, 0) // an over-committed space has nothing free
		if need := add * u.per; need > free {
			return m.refuse(op, name, u.k, need, free)
		}
	}
	return nil
}

func (m *model) refuse(op Op, pool string, ki, need, avail int) error {
	k := &m.cons[ki]
	e := &AdmissionError{Op: op, Pool: pool, Limit: k.limit, Required: need, Available: avail}
	if k.space >= 0 {
		e.Code = CodeInsufficientSubnetSize
		e.Space = m.spaces[k.space].Name
		e.CIDR = joinPrefixes(m.prefixes[k.space])
	}
	return e
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}
