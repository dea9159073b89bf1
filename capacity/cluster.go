package capacity

import (
	"net/netip"
	"slices"

	"github.com/ipcap/ipcap/modes"
)

// Subnet is a VNet subnet the cluster uses for nodes or pods.
type Subnet struct {
	Name     string         `json:"name"`
	Prefixes []netip.Prefix `json:"prefixes"` // addressPrefix or addressPrefixes
	// Reserved counts addresses already used by others: internal load
	// balancer frontends, private endpoints, other VMs. Azure's own five per
	// prefix are not included; ipcap subtracts them.
	Reserved int `json:"reserved"`
	// OtherClusters counts addresses other AKS clusters hold in the subnet
	// (Estate.Cluster sets it). Unlike Reserved it may exceed what is
	// free: an over-committed shared subnet is reported, not refused.
	OtherClusters int `json:"otherClusters,omitempty"`
}

// Pool is a node pool.
type Pool struct {
	Name string   `json:"name"`
	OS   modes.OS `json:"os"` // zero = Linux
	// Count is the pool's node count now. With the autoscaler on (MaxCount
	// > 0) AKS counts MaxCount when it checks addresses [ISS]: AtMax.
	Count       int    `json:"count"`
	MinCount    int    `json:"minCount"`
	MaxCount    int    `json:"maxCount"`
	MaxPods     int    `json:"maxPods"`     // 0 = the mode's default
	PodsPerNode int    `json:"podsPerNode"` // steady-state pods per node for on-demand modes; 0 = MaxPods
	MaxSurge    Surge  `json:"maxSurge"`    // zero = the cluster's DefaultMaxSurge
	NodeSubnet  string `json:"nodeSubnet"`
	PodSubnet   string `json:"podSubnet"` // pod-subnet modes only
	// MaxUnavailable is how many nodes an upgrade drains and reimages in
	// place at a time (upgradeSettings.maxUnavailable): a count or a
	// percentage, rounded up; zero means 0. With maxUnavailable 0, AKS
	// requires a maxSurge above 0; system pools cannot set it [UPO].
	MaxUnavailable Surge    `json:"maxUnavailable"`
	Mode           PoolMode `json:"mode"` // system or user; zero = user
	// Spot marks a Spot pool (scaleSetPriority Spot): its upgrades add no
	// surge nodes [CHL 2022-06-12].
	Spot bool `json:"spot"`
}

// Autoscaling reports whether the cluster autoscaler manages the pool.
func (p Pool) Autoscaling() bool { return p.MaxCount > 0 }

// AtMax returns the pool's nodes at its autoscaler max: MaxCount with the
// autoscaler on, else Count. AKS plans addresses for it [ISS].
func (p Pool) AtMax() int {
	if p.Autoscaling() {
		return p.MaxCount
	}
	return p.Count
}

// Cluster describes an AKS cluster or a plan for one. Zero fields mean the
// AKS default.
type Cluster struct {
	Name string     `json:"name,omitempty"` // for reports; ipcap needs none
	Mode modes.Mode `json:"mode"`
	// Spec, when set, replaces Mode.Spec(): a custom mode, or an AKS mode
	// with different defaults.
	Spec *modes.Spec `json:"spec"`
	// VNet is the VNet's address space, for overlap checks; zero = the
	// subnets' prefixes.
	VNet    []netip.Prefix `json:"vnet"`
	Subnets []Subnet       `json:"subnets"`
	// DualStack gives nodes and pods an IPv6 address besides the IPv4 one
	// (networkProfile.ipFamilies [IPv4, IPv6]; single-stack IPv6 does not
	// exist) [DS, OVH]. The subnets of its pools then hold an IPv6 /64
	// beside their IPv4 prefixes, and PodCIDRs and ServiceCIDRs one range
	// of each family; an IPv6 range left out takes AKS's default
	// (fd12:3456:789a::/64 for pods, fd12:3456:789a:1::/108 for services).
	DualStack bool           `json:"dualStack,omitempty"`
	PodCIDRs  []netip.Prefix `json:"podCIDRs"` // AKS's --pod-cidr; zero = the mode's default (10.244.0.0/16) where it uses one
	// CNIPool is a bring-your-own CNI's own pod pool (a Calico IPPool, a
	// Cilium cluster-pool), which AKS neither assigns nor checks; zero =
	// the CNI's default (Calico 192.168.0.0/16 in /26 blocks, Cilium
	// 10.0.0.0/8 in /24s) [BYO]. PodCIDRs stays AKS's own range there.
	CNIPool      []netip.Prefix `json:"cniPool,omitempty"`
	ServiceCIDRs []netip.Prefix `json:"serviceCIDRs"` // zero = 10.0.0.0/16
	DNSServiceIP netip.Addr     `json:"dnsServiceIP"` // zero = 10.0.0.10
	Policy       modes.Policy   `json:"policy"`
	// CustomRoutes counts routes of the cluster's route table that are not
	// per-node routes (0.0.0.0/0 to a firewall, on-premises prefixes): they
	// share kubenet's 400 routes with the nodes (U6: the docs equate 400
	// routes with 400 nodes; a route is a route).
	CustomRoutes int    `json:"customRoutes"`
	Pools        []Pool `json:"pools"`
	// DefaultMaxSurge applies to pools without MaxSurge. Zero means 10%:
	// AKS's default for pools created on Kubernetes 1.27 or later (AKS
	// CHANGELOG 2023-02, LRG). Older pools and docs (UPR, UCP) use 1 node:
	// set SurgeNodes(1) for those (U2).
	DefaultMaxSurge Surge `json:"defaultMaxSurge"`
	// Admission selects the era of AKS's admission check that Check and
	// Preflight reproduce; zero is the current one.
	Admission AdmissionEra `json:"admission"`
	// ClusterUpgradeSurge says how an upgrade of every pool counts surge
	// nodes at admission and in Recommend; zero sums them.
	ClusterUpgradeSurge UpgradeSurge `json:"clusterUpgradeSurge"`
	// OtherVNetAddresses counts the VNet's private addresses held outside
	// this cluster's subnets' Reserved (other clusters, other subnets'
	// VMs): they count toward the VNet's 65,536 (Estate.Cluster sets it).
	OtherVNetAddresses int `json:"otherVNetAddresses,omitempty"`
	// MigrationSurge says whether a migration to Overlay adds buffer nodes;
	// zero: every pool's surge, at once.
	MigrationSurge MigrationSurge `json:"migrationSurge"`
	// KubernetesVersion is the control plane's ("1.34.3"); "" is taken as a
	// current version (1.35 or later), whose upgrades fall back to a smaller
	// surge when theirs cannot be had.
	KubernetesVersion string `json:"kubernetesVersion"`
}

// AtCount returns a copy of c in which every autoscaled pool is held at
// its current Count: MinCount = MaxCount = Count, so the pool stays
// autoscaled (Check and Simulate treat its scale-outs as the autoscaler's)
// while its AtMax is its Count. An autoscaled pool at 0 nodes gets
// MaxCount 0, which turns its autoscaler off: a manual pool of 0 nodes
// plans the same. The copy has its own Pools; other slices are shared
// with c. Manual pools are unchanged.
//
// This is the "now" basis. Analyze(c) is on AKS's basis: it holds every
// other pool at its autoscaler max, as AKS plans addresses [ISS], and
// answers "how far can this pool grow if the others scale out fully".
// Analyze(c.AtCount()) answers "how far can this pool grow with the others
// as they are now"; Forecast always works on this basis.
func (c Cluster) AtCount() Cluster {
	c.Pools = slices.Clone(c.Pools)
	for i := range c.Pools {
		if p := &c.Pools[i]; p.Autoscaling() {
			p.MinCount, p.MaxCount = p.Count, p.Count
		}
	}
	return c
}

// AKS's defaults for a cluster's service range [KUB], and for the IPv6
// ranges of a dual-stack cluster [DS, OVH].
var (
	defaultServiceCIDR     = netip.MustParsePrefix("10.0.0.0/16")
	defaultDNSServiceIP    = netip.MustParseAddr("10.0.0.10")
	defaultPodCIDRIPv6     = netip.MustParsePrefix("fd12:3456:789a::/64")
	defaultServiceCIDRIPv6 = netip.MustParsePrefix("fd12:3456:789a:1::/108")
)

// spec returns the cluster's mode rules.
func (c *Cluster) spec() modes.Spec {
	if c.Spec != nil {
		return *c.Spec
	}
	return c.Mode.Spec()
}

// podCIDRs returns the pod ranges pods take addresses from, defaults
// applied: the pod CIDR (an IPv4 range and, in a dual-stack cluster, an
// IPv6 one), or a bring-your-own CNI's pool. The ranges given come first,
// in their order, so that an index names the field the user wrote.
func (c *Cluster) podCIDRs(s modes.Spec) []netip.Prefix {
	given := c.PodCIDRs
	switch s.Pods.Source {
	case modes.PodCIDR:
	case modes.CNIPool:
		given = c.CNIPool
	default:
		return nil
	}
	return withDefaults(given, s.DefaultPodCIDR, c.DualStack && s.Pods.Source == modes.PodCIDR, defaultPodCIDRIPv6)
}

// serviceCIDRs returns the service ranges, defaults applied as podCIDRs
// does.
func (c *Cluster) serviceCIDRs() []netip.Prefix {
	return withDefaults(c.ServiceCIDRs, defaultServiceCIDR, c.DualStack, defaultServiceCIDRIPv6)
}

func (c *Cluster) dnsServiceIP() netip.Addr {
	if !c.DNSServiceIP.IsValid() {
		return defaultDNSServiceIP
	}
	return c.DNSServiceIP
}

func (c *Cluster) defaultSurge() Surge {
	if c.DefaultMaxSurge.IsZero() {
		return SurgePercent(10)
	}
	return c.DefaultMaxSurge
}

// Surge returns the max surge of pool p's upgrades as AKS applies it: none
// for a Spot pool, else p.MaxSurge, else DefaultMaxSurge, else 10%.
func (c *Cluster) Surge(p *Pool) Surge {
	if p.Spot {
		return SurgeNodes(0)
	}
	if p.MaxSurge.IsZero() {
		return c.defaultSurge()
	}
	return p.MaxSurge
}

// maxPods returns pool p's maxPods, defaults applied.
func maxPods(s modes.Spec, p *Pool) int {
	if p.MaxPods == 0 {
		return s.MaxPods.Default
	}
	return p.MaxPods
}

// podsPerNode returns pool p's steady pods per node, defaults applied.
func podsPerNode(s modes.Spec, p *Pool) int {
	if p.PodsPerNode == 0 {
		return maxPods(s, p)
	}
	return min(p.PodsPerNode, maxPods(s, p))
}

// nodeSubnet returns the name of pool p's node subnet: the one named, or
// the only subnet when none is named.
func (c *Cluster) nodeSubnet(p *Pool) string {
	if p.NodeSubnet == "" && len(c.Subnets) == 1 {
		return c.Subnets[0].Name
	}
	return p.NodeSubnet
}
