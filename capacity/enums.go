package capacity

import (
	"net/netip"

	"github.com/ipcap/ipcap/internal/enum"
	"github.com/ipcap/ipcap/modes"
)

// Limit is what stops a pool from growing. The zero Limit is LimitNone.
//
// The limits of the address spaces are the spaces' roles: a Limit and the
// modes.Source it converts from share value and name, so a space's role
// is spelt once, by modes.Source.
type Limit uint8

// The limits of running out of a space of each role.
const (
	LimitNone       = Limit(modes.NoSource)   // nothing binds
	LimitNodeSubnet = Limit(modes.NodeSubnet) // the node subnet runs out of addresses
	LimitPodSubnet  = Limit(modes.PodSubnet)  // the pod subnet runs out of addresses
	LimitPodCIDR    = Limit(modes.PodCIDR)    // the pod CIDR runs out of per-node blocks
	LimitCNIPool    = Limit(modes.CNIPool)    // a bring-your-own CNI's own pool runs out
)

// The limits that are not a space's role.
const (
	LimitPodCIDRIPv6  = LimitCNIPool + 1 + iota // a dual-stack cluster's IPv6 pod CIDR runs out of per-node blocks
	LimitRouteTable                             // kubenet's route table is full: 400 routes [KUB, NLIM]
	LimitPoolNodes                              // 1,000 nodes per pool, surge included [QUO, UPR]
	LimitClusterNodes                           // 5,000 nodes per cluster [QUO]
	LimitVNet                                   // 65,536 addresses per VNet [NLIM]
)

var limitNames = enum.Table[Limit]{Type: "capacity.Limit", What: "limit",
	Names: withSourceNames([]string{LimitPodCIDRIPv6: "pod-cidr-ipv6", LimitRouteTable: "route-table",
		LimitPoolNodes: "pool-nodes", LimitClusterNodes: "cluster-nodes", LimitVNet: "vnet"})}

// withSourceNames fills in names the limits of the spaces, LimitNone to
// LimitCNIPool, as modes.Source spells the sources of the same values.
func withSourceNames(names []string) []string {
	for l := LimitNone; l <= LimitCNIPool; l++ {
		names[l] = modes.Source(l).String()
	}
	return names
}

// String returns the limit's name, which MarshalText writes and ParseLimit
// reads: "node-subnet", "pod-cidr", ...
func (l Limit) String() string { return limitNames.String(l) }

// MarshalText writes String's form; an invalid Limit is an error.
func (l Limit) MarshalText() ([]byte, error) { return limitNames.Text(l) }

// UnmarshalText reads ParseLimit's forms.
func (l *Limit) UnmarshalText(b []byte) error { return enum.Unmarshal(b, l, ParseLimit) }

// ParseLimit returns the limit whose String is s, ignoring case.
func ParseLimit(s string) (Limit, error) { return limitNames.Parse(s) }

// Op is an operation on a cluster, as Check answers it and Simulate
// replays it. The zero Op is no operation.
type Op uint8

const (
	OpCreate  Op = iota + 1 // create the cluster with its pools
	OpScale                 // scale a pool to Step.Nodes: one scale-set request for the nodes it adds
	OpUpgrade               // rolling surge upgrade of a pool, or of every pool when Step.Pool is ""
	OpAddPool               // add a pool, listed in the cluster, at its Count
	OpChurn                 // replace the pods of a pool
	// OpAutoscale sets an autoscaled pool's max count to Step.Nodes (az aks
	// nodepool update --update-cluster-autoscaler --max-count N), or turns
	// the autoscaler on with that max for a pool without it. AKS admits it
	// like a scale to the new max; Simulate replays the autoscaler's
	// scale-up to it.
	OpAutoscale
	// OpMigrate moves the cluster's IPAM to Step.To (az aks update
	// --network-plugin-mode overlay): kubenet or Azure CNI node subnet to
	// Azure CNI Overlay, forward only, onto Step.PodCIDRs (kubenet may keep
	// its own) [UPD].
	OpMigrate
	// OpExpandPodCIDR widens an Overlay cluster's pod CIDR to Step.PodCIDRs,
	// a superset of it [OVX].
	OpExpandPodCIDR
	// OpGrow adds a pool's nodes one at a time up to Step.Nodes, each its
	// own request: not an AKS operation but the probe of how far a pool can
	// grow that ScaleOut and Forecast run, where a whole request would stop
	// at the first node that does not fit anyway.
	OpGrow
)

var opNames = enum.Table[Op]{Type: "capacity.Op", What: "op",
	Names: []string{OpCreate: "create", OpScale: "scale", OpUpgrade: "upgrade", OpAddPool: "add-pool", OpChurn: "churn",
		OpAutoscale: "autoscale", OpMigrate: "migrate", OpExpandPodCIDR: "expand-pod-cidr", OpGrow: "grow"}}

// String returns the op's name, which MarshalText writes and ParseOp reads:
// "create", "scale", ...; "" for the zero Op.
func (o Op) String() string { return opNames.String(o) }

// MarshalText writes String's form; an invalid Op is an error.
func (o Op) MarshalText() ([]byte, error) { return opNames.Text(o) }

// UnmarshalText reads ParseOp's forms.
func (o *Op) UnmarshalText(b []byte) error { return enum.Unmarshal(b, o, ParseOp) }

// ParseOp returns the op whose String is s, ignoring case.
func ParseOp(s string) (Op, error) { return opNames.Parse(s) }

// Step is one operation: Op on Pool; Nodes is the target count of OpScale
// and OpGrow and the new max count of OpAutoscale.
type Step struct {
	Op    Op     `json:"op"`
	Pool  string `json:"pool"`
	Nodes int    `json:"nodes"`
	// To is the mode OpMigrate moves to.
	To modes.Mode `json:"to,omitempty"`
	// PodCIDRs is the pod CIDR after OpMigrate or OpExpandPodCIDR.
	PodCIDRs []netip.Prefix `json:"podCIDRs,omitempty"`
}

// limitOf returns the Limit reached when a space of source s runs out:
// the Limit of the same value, and name.
func limitOf(s modes.Source) Limit { return Limit(s) }
