package capacity

import (
	"fmt"
	"net/netip"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/internal/enum"
	"github.com/ipcap/ipcap/internal/prefixes"
	"github.com/ipcap/ipcap/modes"
)

// CodeInsufficientPodCIDR is the code kubenet's pod CIDR check answered
// before AKS moved pod CIDRs under InsufficientSubnetSize (2023-05) [ERR, CHL].
const CodeInsufficientPodCIDR = "InsufficientPodCidr"

// AdmissionError is AKS's refusal of an operation, with the figures of its
// message.
type AdmissionError struct {
	Op    Op     `json:"op"`
	Pool  string `json:"pool"` // the pool operated on; "" for OpCreate
	Code  string `json:"code"` // AKS's error code (InsufficientSubnetSize), or "" for node-count limits
	Limit Limit  `json:"limit"`
	Space string `json:"space"` // the space's name, for address limits
	CIDR  string `json:"cidr"`  // the space's prefixes, comma-separated
	// Required and Available are AKS's own figures. For address limits they
	// are X and Y of "Pre-allocated IPs X exceeds IPs available Y": the
	// addresses AKS plans for the space after the operation, every pool in
	// it counted (autoscaled pools at MaxCount), and the space's usable size
	// (a subnet's size less Azure's five per prefix, a pod CIDR's whole
	// size), with no deduction for addresses others use. For count limits
	// they are the nodes (routes for the route table) after the operation
	// and the limit.
	Required  int `json:"required"`
	Available int `json:"available"`
	// Reason is the refusal's text where it carries no figures, such as
	// a manual scale of an autoscaled pool.
	Reason string `json:"reason,omitempty"`
}

func (e *AdmissionError) Error() string {
	switch e.Code {
	case CodeInsufficientSubnetSize:
		name := e.Space
		if e.Limit == LimitPodCIDR {
			// AKS's message spells the field podCIDR ("Subnet Name
			// networkProfile.podCIDR", docs/aks-admission.md §1), though the
			// API field is networkProfile.podCidr: the message is quoted as
			// AKS gives it [CHL 2023-05-07, ADM].
			name = "networkProfile.podCIDR"
		}
		return fmt.Sprintf("%s: Pre-allocated IPs %d exceeds IPs available %d in Subnet Cidr %s, Subnet Name %s",
			e.Code, e.Required, e.Available, e.CIDR, name)
	case CodeInsufficientPodCIDR:
		return fmt.Sprintf("%s: Pre-allocated IPs %d exceeds IPs available %d in Pod Cidr %s", e.Code, e.Required, e.Available, e.CIDR)
	}
	subject := e.Op.String()
	if e.Pool != "" {
		subject += " of pool " + e.Pool
	}
	if e.Reason != "" {
		return subject + ": " + e.Reason
	}
	what := map[Limit]string{
		LimitRouteTable:   "routes, more than the route table's",
		LimitPoolNodes:    "nodes in the pool, more than AKS's per-pool limit of",
		LimitClusterNodes: "nodes in the cluster, more than AKS's limit of",
	}[e.Limit]
	return fmt.Sprintf("%s needs %s %s %s", subject, count.Thousands(e.Required), what, count.Thousands(e.Available)) // ipcap's words: AKS's are not public
}

// AdmissionEra selects which of the resource provider's address checks
// Check reproduces. The public messages show the rule changing; the zero
// value is the newest and the default.
type AdmissionEra uint8

const (
	// AdmissionCurrent is the check since 2023-05: an Azure CNI node counts
	// maxPods − 1 addresses of the node subnet (every message since 2020:
	// one node at maxPods 30 on a /27 is "29 exceeds 27", two at 250 are
	// "498") and pod CIDRs answer InsufficientSubnetSize with Subnet Name
	// networkProfile.podCIDR [ISS, CHL 2023-05-07, ADM].
	AdmissionCurrent AdmissionEra = iota
	// Admission2020 counts as AdmissionCurrent, but kubenet's pod CIDR
	// answers InsufficientPodCidr [ERR].
	Admission2020
	// Admission2018 is the check of 2018–2019: an Azure CNI node counts
	// maxPods + 1 (W8: 10 nodes at 30 pods are "310"; W9: 3 at 110 are
	// "333"), and the pod CIDR answers InsufficientPodCidr.
	Admission2018
)

var eraNames = enum.Table[AdmissionEra]{Type: "capacity.AdmissionEra", What: "admission era",
	Names: []string{AdmissionCurrent: "current", Admission2020: "2020", Admission2018: "2018"}}

// String returns the name MarshalText writes and ParseAdmissionEra reads.
func (v AdmissionEra) String() string { return eraNames.String(v) }

// MarshalText writes String's form; an invalid value is an error.
func (v AdmissionEra) MarshalText() ([]byte, error) { return eraNames.Text(v) }

// UnmarshalText reads ParseAdmissionEra's forms.
func (v *AdmissionEra) UnmarshalText(b []byte) error { return enum.Unmarshal(b, v, ParseAdmissionEra) }

// ParseAdmissionEra returns the value whose String is s, ignoring case; "" is the
// zero value.
func ParseAdmissionEra(s string) (AdmissionEra, error) { return eraNames.Parse(s) }

// admitted returns the addresses AKS's admission counts for one node of
// pool pm in space k [ISS, ADM]. The node subnet counts the node's IP and,
// where pods are pre-allocated from it, its pods by era (maxPods − 1 in
// all, or maxPods + 1 before 2020); a pod subnet one allocation unit per
// node (a CNS batch of 16, or one static /28 whatever maxPods needs: seen
// admitting pools whose nodes then find no blocks); a pod CIDR one per-node
// block (W10: 256). A bring-your-own CNI's own pool is not checked.
func (m *model) admitted(pm *poolModel, k int) int {
	a := m.spec.Pods
	n := 0
	switch m.spaces[k].Source {
	case modes.NodeSubnet:
		if m.spec.NodeIPs == modes.NodeSubnet {
			n = 1
		}
		if a.Source == modes.NodeSubnet {
			n += m.unit.admitted(m, pm)
		}
	case modes.PodSubnet:
		if m.spec.NodeIPs == modes.PodSubnet {
			n = 1
		}
		if a.Source == modes.PodSubnet {
			n += m.unit.admitted(m, pm)
		}
	case modes.PodCIDR:
		if a.Source == modes.PodCIDR {
			n = a.BlockSize()
		}
	}
	return n
}

// admissionSize is Y: a subnet's size less Azure's five addresses per
// prefix [VNF], or the whole size of a pod CIDR (or of a CNI pool, which
// admission counts nothing in).
func (m *model) admissionSize(k int) int {
	if m.spaces[k].Source.IsPodRange() {
		return m.spaces[k].Size
	}
	y := 0
	for _, p := range m.prefixes[k] {
		y += int(modes.UsableAddresses(p))
	}
	return y
}

// admit reproduces AKS's admission of an operation during which pool i
// runs nodes[i] nodes plus surge[i] surge nodes: its addresses are counted
// at nodes[i] (an autoscaled pool at its max [ISS]) plus the surge; its
// node limit, during an upgrade, at the pool's Count plus the surge, the
// nodes it then runs [UPR]. The surge nodes of
// different pools add up, or, with UpgradeSurgeOnePool, the largest one
// counts. Pool op < 0 (create, an upgrade of every pool) checks every space
// and pool; otherwise the spaces pool op uses and its own node limit.
func (m *model) admit(o Op, op int, nodes, surge []int) *AdmissionError {
	name := ""
	if op >= 0 {
		name = m.pools[op].pool.Name
	}
	largest := m.c.ClusterUpgradeSurge == UpgradeSurgeOnePool
	// combine adds the pools' draws, their surges by the cluster's rule.
	combine := func(per func(i int) int) int {
		x, extra := 0, 0
		for i := range m.pools {
			a := per(i)
			x += nodes[i] * a
			if largest {
				extra = max(extra, surge[i]*a)
			} else {
				extra += surge[i] * a
			}
		}
		return x + extra
	}
	for i := range m.pools {
		n := nodes[i]
		if surge[i] > 0 { // an upgrade: the pool as it is, and its surge
			n = m.pools[i].pool.Count + surge[i]
		}
		if n > m.spec.MaxNodesPerPool && (op < 0 || i == op) {
			return &AdmissionError{Op: o, Pool: m.pools[i].pool.Name, Limit: LimitPoolNodes, Required: n, Available: m.spec.MaxNodesPerPool}
		}
	}
	for k := range m.spaces {
		if op >= 0 && !m.pools[op].draws(k) {
			continue
		}
		x := combine(func(i int) int {
			if pm := &m.pools[i]; pm.draws(k) {
				return m.admitted(pm, k)
			}
			return 0
		})
		if y := m.admissionSize(k); x > y {
			return m.refuse(o, name, k, x, y)
		}
	}
	total := combine(func(int) int { return 1 })
	if s := m.spec; s.MaxRoutes > 0 && total*m.routes > s.MaxRoutes-m.c.CustomRoutes {
		return &AdmissionError{Op: o, Pool: name, Limit: LimitRouteTable, Required: total*m.routes + m.c.CustomRoutes, Available: s.MaxRoutes}
	}
	if total > m.spec.MaxNodes {
		return &AdmissionError{Op: o, Pool: name, Limit: LimitClusterNodes, Required: total, Available: m.spec.MaxNodes}
	}
	return nil
}

// draws reports whether the pool takes addresses from space k.
func (pm *poolModel) draws(k int) bool {
	for _, u := range pm.uses[:pm.nuses] {
		if u.k == k {
			return true
		}
	}
	return false
}

// refuse builds the address refusal of space k in the era's wording.
func (m *model) refuse(o Op, pool string, k, x, y int) *AdmissionError {
	e := &AdmissionError{Op: o, Pool: pool, Code: CodeInsufficientSubnetSize, Limit: m.cons[k].limit,
		Space: m.spaces[k].Name, CIDR: joinPrefixes(m.prefixes[k]), Required: x, Available: y}
	if e.Limit == LimitPodCIDR && m.c.Admission != AdmissionCurrent {
		e.Code = CodeInsufficientPodCIDR
	}
	return e
}

// joinPrefixes spells ps as AKS's messages do: "10.0.0.0/24,10.1.0.0/24".
func joinPrefixes(ps []netip.Prefix) string { return prefixes.Join(ps, ",") }
