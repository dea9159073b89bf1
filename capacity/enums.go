package capacity

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ipcap/ipcap/modes"
)

// Limit is what stops a pool from growing.
type Limit uint8

const (
	LimitNone         Limit = iota // nothing binds
	LimitNodeSubnet                // the node subnet runs out of addresses
	LimitPodSubnet                 // the pod subnet runs out of addresses
	LimitPodCIDR                   // the pod CIDR runs out of per-node blocks
	LimitRouteTable                // kubenet's route table is full: 400 routes [KUB, NLIM]
	LimitPoolNodes                 // 1,000 nodes per pool, surge included [QUO, UPR]
	LimitClusterNodes              // 5,000 nodes per cluster [QUO]
	LimitVNet                      // 65,536 private IPs per VNet [NLIM]
)

var limitNames = [...]string{"none", "node-subnet", "pod-subnet", "pod-cidr", "route-table", "pool-nodes", "cluster-nodes", "vnet"}

// String returns the limit's name: "node-subnet", "pod-cidr", ...
func (l Limit) String() string {
	if int(l) < len(limitNames) {
		return limitNames[l]
	}
	return fmt.Sprintf("Limit(%d)", uint8(l))
}

// MarshalText writes String's form.
func (l Limit) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads String's form.
func (l *Limit) UnmarshalText(b []byte) error {
	for i, n := range limitNames {
		if strings.EqualFold(string(b), n) {
			*l = Limit(i)
			return nil
		}
	}
	return fmt.Errorf("capacity: unknown limit %q", b)
}

// Op is an operation on a cluster, as Preflight checks it and Simulate
// replays it.
type Op uint8

const (
	OpCreate  Op = iota + 1 // create the cluster with its pools
	OpScale                 // scale a pool to Step.Nodes
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
)

var opNames = [...]string{OpCreate: "create", OpScale: "scale", OpUpgrade: "upgrade", OpAddPool: "add-pool", OpChurn: "churn",
	OpAutoscale: "autoscale", OpMigrate: "migrate", OpExpandPodCIDR: "expand-pod-cidr"}

func (o Op) String() string {
	if o >= OpCreate && int(o) < len(opNames) {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// MarshalText writes String's form.
func (o Op) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads String's form.
func (o *Op) UnmarshalText(b []byte) error {
	for i := OpCreate; int(i) < len(opNames); i++ {
		if strings.EqualFold(string(b), opNames[i]) {
			*o = i
			return nil
		}
	}
	return fmt.Errorf("capacity: unknown op %q", b)
}

// Step is one operation: Op on Pool; Nodes is the target count of OpScale
// and the new max count of OpAutoscale.
type Step struct {
	Op    Op     `json:"op"`
	Pool  string `json:"pool"`
	Nodes int    `json:"nodes"`
	// To is the mode OpMigrate moves to.
	To modes.Mode `json:"to,omitempty"`
	// PodCIDRs is the pod CIDR after OpMigrate or OpExpandPodCIDR.
	PodCIDRs []netip.Prefix `json:"podCIDRs,omitempty"`
}

// SpaceKind is the role of an address space.
type SpaceKind uint8

const (
	KindNodeSubnet SpaceKind = iota + 1 // a VNet subnet nodes take addresses from
	KindPodSubnet                       // a VNet subnet for pods only
	KindPodCIDR                         // a private range carved into per-node blocks
)

var kindNames = [...]string{KindNodeSubnet: "node-subnet", KindPodSubnet: "pod-subnet", KindPodCIDR: "pod-cidr"}

func (k SpaceKind) String() string {
	if k >= KindNodeSubnet && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("SpaceKind(%d)", uint8(k))
}

// MarshalText writes String's form.
func (k SpaceKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads String's form.
func (k *SpaceKind) UnmarshalText(b []byte) error {
	for i := KindNodeSubnet; int(i) < len(kindNames); i++ {
		if strings.EqualFold(string(b), kindNames[i]) {
			*k = i
			return nil
		}
	}
	return fmt.Errorf("capacity: unknown space kind %q", b)
}

// limit returns the Limit reached when a space of this kind runs out.
func (k SpaceKind) limit() Limit {
	switch k {
	case KindNodeSubnet:
		return LimitNodeSubnet
	case KindPodSubnet:
		return LimitPodSubnet
	case KindPodCIDR:
		return LimitPodCIDR
	}
	return LimitNone
}
