package modes

import (
	"encoding"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/ipcap/ipcap/internal/enum"
)

// Source is where a node's or a pod's address comes from. The zero Source
// is NoSource.
type Source uint8

const (
	// NoSource: nothing is allocated.
	NoSource Source = iota
	// NodeSubnet is the node pool's VNet subnet (vnetSubnetID).
	NodeSubnet
	// PodSubnet is a VNet subnet for pods only (podSubnetID), in the same
	// VNet as the node subnet [DYN].
	PodSubnet
	// PodCIDR is a private range outside the VNet that AKS carves into
	// per-node blocks (networkProfile.podCidr) [KUB, OVC].
	PodCIDR
	// CNIPool is a private range the bring-your-own CNI manages itself (a
	// Calico IP pool, a Cilium cluster pool); AKS allocates nothing from it
	// [BYO].
	CNIPool
)

var (
	sourceNames = enum.Table[Source]{Type: "modes.Source", What: "source",
		Names: []string{NoSource: "none", NodeSubnet: "node-subnet", PodSubnet: "pod-subnet", PodCIDR: "pod-cidr", CNIPool: "cni-pool"}}
	sourceProse = enum.Table[Source]{Type: "modes.Source",
		Names: []string{NoSource: "none", NodeSubnet: "node subnet", PodSubnet: "pod subnet", PodCIDR: "pod CIDR", CNIPool: "CNI pool"}}
)

// String returns the source's identifier, which MarshalText writes and
// ParseSource reads: "none", "node-subnet", "pod-subnet", "pod-cidr" or
// "cni-pool".
func (s Source) String() string { return sourceNames.String(s) }

// Describe returns the source in words for tables: "node subnet", "pod
// CIDR", ...
func (s Source) Describe() string { return sourceProse.String(s) }

// ParseSource returns the source whose String is s, ignoring case.
func ParseSource(s string) (Source, error) { return sourceNames.Parse(s) }

// IsVNet reports whether addresses from s are VNet addresses: they count
// against the VNet's limit of 65,536 addresses, and Azure keeps 5 of every
// subnet.
func (s Source) IsVNet() bool { return s == NodeSubnet || s == PodSubnet }

// IsPodRange reports whether s is a pod range, Demand.PodRange's word for
// the pod CIDR or CNI pool: a private range outside the VNet that pods take
// in blocks.
func (s Source) IsPodRange() bool { return s == PodCIDR || s == CNIPool }

// Unit is how pod addresses are handed to a node. The zero Unit is no
// unit: it marshals as the empty text, and a Spec needs one.
type Unit uint8

const (
	// PerPod pre-allocates maxPods addresses when the node is created [LEG].
	PerPod Unit = iota + 1
	// Batch allocates addresses in batches as pods come and go, keeping a
	// buffer of free addresses (the CNS pool monitor) [DYN, ACN].
	Batch
	// StaticBlock gives the node enough blocks for maxPods plus the addresses
	// it reserves, for its lifetime [SBA].
	StaticBlock
	// NodeBlock gives each node one block, assigned in order [KUB, OVC].
	NodeBlock
	// OnDemandBlock claims blocks as pods need them and borrows addresses
	// from other nodes' blocks when none is free (Calico IPAM).
	OnDemandBlock
)

var (
	unitNames = enum.Table[Unit]{Type: "modes.Unit", What: "unit",
		Names: []string{PerPod: "per-pod", Batch: "batch", StaticBlock: "static-block", NodeBlock: "node-block", OnDemandBlock: "on-demand-block"}}
	unitProse = enum.Table[Unit]{Type: "modes.Unit",
		Names: []string{PerPod: "per pod, pre-allocated", Batch: "batches", StaticBlock: "static blocks", NodeBlock: "block per node", OnDemandBlock: "blocks on demand"}}
)

// String returns the unit's identifier, which MarshalText writes and
// ParseUnit reads: "per-pod", "batch", "static-block", "node-block" or
// "on-demand-block"; "" for the zero Unit.
func (u Unit) String() string { return unitNames.String(u) }

// Describe returns the unit in words for tables: "per pod, pre-allocated",
// "batches", ...
func (u Unit) Describe() string { return unitProse.String(u) }

// ParseUnit returns the unit whose String is s, ignoring case; "" is the
// zero Unit.
func ParseUnit(s string) (Unit, error) { return unitNames.Parse(s) }

// PodAllocation says where pod addresses come from and in what units.
type PodAllocation struct {
	Source Source `json:"source"`
	Unit   Unit   `json:"unit"`
	// BlockBits is the prefix length of a block for StaticBlock (28),
	// NodeBlock (24) and OnDemandBlock (26) units.
	BlockBits int `json:"blockBits"`
	// BlockBitsIPv6 is the prefix length of the IPv6 block a node of a
	// dual-stack cluster takes from the IPv6 pod CIDR, beside its IPv4
	// block (NodeBlock only). AKS does not document it (U10): its example
	// output shows fd12:3456:789a::/80 per node [OVH, KDS], hence 80.
	BlockBitsIPv6 int `json:"blockBitsIPv6,omitempty"`
	// BatchSize, RequestThreshold and ReleaseThreshold drive Batch units: a
	// node asks for another batch when fewer than BatchSize×RequestThreshold
	// addresses are free and gives one back when more than
	// BatchSize×ReleaseThreshold are. CNS: 16, 0.5 (8 free) and 1.5 (24 free)
	// [DYN, ACN cns/ipampool/monitor.go].
	BatchSize        int     `json:"batchSize"`
	RequestThreshold float64 `json:"requestThreshold"`
	ReleaseThreshold float64 `json:"releaseThreshold"`
	// ReservedPerNode is the pod-source addresses a node keeps besides its
	// pods: 1 for static blocks ("1 IP is reserved on each node") [SBA].
	ReservedPerNode int `json:"reservedPerNode"`
	// BlockCountsOnce: a block, not each of its addresses, counts against
	// the VNet's limit of 65,536 addresses (StaticBlock) [SBA; API enum
	// PodIPAllocationMode.StaticBlock].
	BlockCountsOnce bool `json:"blockCountsOnce"`
	// TunnelAddresses is the addresses each node's CNI takes from the pod
	// range beside its pods (OnDemandBlock only): 1 for Calico, whose
	// calico-node gives every node a VXLAN tunnel address from the IP pool
	// (the Node resource's system-configured ipv4VXLANTunnelAddr [CALN]; an
	// IPPool's allowedUses include Tunnel [CAL]), VXLAN being what Azure
	// supports. The address sits in the node's blocks as a pod does, so a
	// node running no pods still claims a block.
	TunnelAddresses int `json:"tunnelAddresses,omitempty"`
}

// BlockSize returns the addresses in one block, or 0 for units without
// blocks.
func (a PodAllocation) BlockSize() int {
	if a.BlockBits <= 0 || a.BlockBits > 32 {
		return 0
	}
	return 1 << (32 - a.BlockBits)
}

// StaticBlocks returns the blocks a node of maxPods pods takes with static
// blocks: enough for its pods and ReservedPerNode, ceil((maxPods +
// ReservedPerNode) / BlockSize()); with AKS's /28 and 1 reserved this is
// the package function StaticBlocks.
func (a PodAllocation) StaticBlocks(maxPods int) int {
	return ceilDiv(maxPods+a.ReservedPerNode, a.BlockSize())
}

// Range is an inclusive range with a default.
type Range struct {
	Min     int `json:"min"`
	Default int `json:"default"`
	Max     int `json:"max"`
}

// Contains reports whether v lies in [Min, Max].
func (r Range) Contains(v int) bool { return v >= r.Min && v <= r.Max }

// OS is a node pool's operating system. The zero OS is Linux.
type OS uint8

const (
	Linux OS = iota
	Windows
)

var osNames = enum.Table[OS]{Type: "modes.OS", What: "OS", Field: "osType",
	Names: []string{Linux: "Linux", Windows: "Windows"}}

// String returns "Linux" or "Windows", as osType spells them.
func (o OS) String() string { return osNames.String(o) }

// ParseOS returns the OS whose String is s (osType), ignoring case; "" is
// the zero OS, Linux.
func ParseOS(s string) (OS, error) { return osNames.Parse(s) }

// Dataplane is what forwards pod traffic and enforces policy on a node.
// The zero Dataplane is none: it marshals as the empty text, and a Spec
// needs one.
type Dataplane uint8

const (
	// DataplaneAzure is iptables and Linux routing on Linux, HNS on Windows.
	DataplaneAzure Dataplane = iota + 1
	// DataplaneCilium is Cilium's eBPF dataplane, without kube-proxy [CIL].
	DataplaneCilium
	// DataplaneBYO is whatever the bring-your-own CNI installs.
	DataplaneBYO
)

var (
	dataplaneNames = enum.Table[Dataplane]{Type: "modes.Dataplane", What: "dataplane",
		Names: []string{DataplaneAzure: "azure", DataplaneCilium: "cilium", DataplaneBYO: "byo"}}
	dataplaneProse = enum.Table[Dataplane]{Type: "modes.Dataplane",
		Names: []string{DataplaneAzure: "azure (iptables, HNS)", DataplaneCilium: "cilium (eBPF)", DataplaneBYO: "CNI's own"}}
)

// String returns the dataplane's identifier, which MarshalText writes and
// ParseDataplane reads: "azure", "cilium" or "byo"; "" for the zero
// Dataplane.
func (d Dataplane) String() string { return dataplaneNames.String(d) }

// Describe returns the dataplane in words for tables: "azure (iptables,
// HNS)", "cilium (eBPF)", "CNI's own".
func (d Dataplane) Describe() string { return dataplaneProse.String(d) }

// ParseDataplane returns the dataplane whose String is s, ignoring case;
// "" is the zero Dataplane.
func ParseDataplane(s string) (Dataplane, error) { return dataplaneNames.Parse(s) }

// Policy is a network policy engine (networkPolicy). The zero Policy is
// PolicyNone.
type Policy uint8

const (
	PolicyNone   Policy = iota // no network policy
	PolicyAzure                // Azure Network Policy Manager
	PolicyCalico               // Calico
	PolicyCilium               // Cilium
)

var policyNames = enum.Table[Policy]{Type: "modes.Policy", What: "policy engine", Field: "networkPolicy",
	Names: []string{PolicyNone: "none", PolicyAzure: "azure", PolicyCalico: "calico", PolicyCilium: "cilium"}}

// String returns "none", "azure", "calico" or "cilium", as networkPolicy
// spells them.
func (p Policy) String() string { return policyNames.String(p) }

// ParsePolicy returns the policy engine whose String is s (networkPolicy),
// ignoring case; "" is the zero Policy, PolicyNone.
func ParsePolicy(s string) (Policy, error) { return policyNames.Parse(s) }

// Spec is everything capacity needs to know about a networking mode, as
// plain data. Build one by hand for a mode AKS does not have.
type Spec struct {
	Mode Mode   `json:"mode"` // zero for a custom Spec
	Name string `json:"name"` // display name

	NodeIPs Source        `json:"nodeIPs"` // where node addresses come from
	Pods    PodAllocation `json:"pods"`

	MaxPods         Range `json:"maxPods"`         // pods per node
	MinPodsPerPool  int   `json:"minPodsPerPool"`  // a pool must hold at least this many pods in total (nodes × maxPods) [IPP]
	MaxNodes        int   `json:"maxNodes"`        // nodes per cluster
	MaxNodesPerPool int   `json:"maxNodesPerPool"` // nodes per node pool, surge included during an upgrade [QUO, UPR]
	MaxRoutes       int   `json:"maxRoutes"`       // routes in the cluster's route table; 0 = no route table
	RoutesPerNode   int   `json:"routesPerNode"`   // routes a node takes in that table per IP family: a dual-stack node takes twice as many [KDS]

	DefaultPodCIDR netip.Prefix `json:"defaultPodCIDR"` // the pod range (pod CIDR or CNI pool) used when none is given

	Windows bool `json:"windows"` // Windows node pools supported
	// DualStack: IPv4/IPv6 dual-stack clusters are supported. Their pods
	// take an IPv6 block of Pods.BlockBitsIPv6 per node, so a Spec with
	// DualStack needs NodeBlock pods from the PodCIDR.
	DualStack bool      `json:"dualStack"`
	Dataplane Dataplane `json:"dataplane"`
	Policies  []Policy  `json:"policies"` // supported policy engines besides PolicyNone

	Limitations []string `json:"limitations"` // what the mode cannot do, from the seed article and the docs
}

// Demand is what one node takes from each address source.
type Demand struct {
	NodeSubnet    int `json:"nodeSubnet"`    // addresses from the node subnet: node IP and pre-allocated pods
	PodSubnet     int `json:"podSubnet"`     // addresses from the pod subnet
	PodRange      int `json:"podRange"`      // addresses of the pod range, the pod CIDR or CNI pool, in whole blocks of Pods.BlockBits
	VNetAddresses int `json:"vnetAddresses"` // count against the VNet's limit of 65,536 addresses
}

// PerNode returns what one node running pods pods (of at most maxPods) takes
// when it starts and runs steadily: node-subnet modes pre-allocate maxPods;
// batched modes hold DynamicTarget(pods); static blocks hold
// StaticBlocks-many /28s; block-per-node modes one block; on-demand blocks
// ceil((pods + Pods.TunnelAddresses) / block size).
func (s Spec) PerNode(maxPods, pods int) Demand {
	var d Demand
	if s.NodeIPs == NodeSubnet {
		d.NodeSubnet = 1
	} else if s.NodeIPs == PodSubnet {
		d.PodSubnet = 1
	}
	n, blocks := 0, 0 // pod addresses, pod blocks
	a := s.Pods
	switch a.Unit {
	case PerPod:
		n = maxPods
	case Batch:
		n = DynamicTarget(pods, a.BatchSize, a.RequestThreshold, maxPods)
	case StaticBlock:
		blocks = a.StaticBlocks(maxPods)
		n = blocks * a.BlockSize()
	case NodeBlock:
		blocks = 1
	case OnDemandBlock:
		blocks = ceilDiv(pods+a.TunnelAddresses, a.BlockSize())
	}
	switch a.Source {
	case NodeSubnet:
		d.NodeSubnet += n
	case PodSubnet:
		d.PodSubnet += n
	case PodCIDR, CNIPool:
		d.PodRange = blocks * a.BlockSize()
	}
	if s.NodeIPs.IsVNet() {
		d.VNetAddresses = 1
	}
	if a.Source.IsVNet() {
		if a.BlockCountsOnce {
			d.VNetAddresses += blocks
		} else {
			d.VNetAddresses += n
		}
	}
	return d
}

func ceilDiv(a, b int) int {
	if b <= 0 || a <= 0 {
		return 0
	}
	return (a + b - 1) / b
}

// SupportsPolicy reports whether the policy engine p runs on this mode.
func (s Spec) SupportsPolicy(p Policy) bool {
	return p == PolicyNone || slices.Contains(s.Policies, p)
}

// An IncompatibleError reports a node pool OS or policy engine that a mode
// does not support, and the modes that do.
type IncompatibleError struct {
	Mode    Mode
	What    string // "Windows node pools", "network policy calico"
	Why     string
	Instead []Mode // modes that support it
}

func (e *IncompatibleError) Error() string { return "modes: " + e.Reason() }

// Reason is Error without the package: what the mode does not support,
// why, and the modes that do, for a message about the field that asks
// for it.
func (e *IncompatibleError) Reason() string {
	var alt []string
	for _, m := range e.Instead {
		alt = append(alt, m.String())
	}
	mode := e.Mode.String()
	if e.Mode == 0 {
		mode = "the custom spec"
	}
	msg := fmt.Sprintf("%s does not support %s: %s", mode, e.What, e.Why)
	if len(alt) > 0 {
		msg += "; choose " + enum.Alternatives(alt)
	}
	return msg
}

// Check reports whether a node pool of the given OS, in a cluster with the
// given policy engine, can run on this mode. The error says why not and
// which modes would do.
func (s Spec) Check(os OS, p Policy) error {
	if os == Windows && !s.Windows {
		return &IncompatibleError{Mode: s.Mode, What: "Windows node pools", Why: s.windowsWhy(),
			Instead: modesWhere(func(o Spec) bool { return o.Windows })}
	}
	if !s.SupportsPolicy(p) {
		names := make([]string, len(s.Policies))
		for i, q := range s.Policies {
			names[i] = q.String()
		}
		why := "it enforces no network policy"
		if len(names) > 0 {
			why = "its policy engines are " + strings.Join(names, ", ")
		}
		if s.Dataplane == DataplaneCilium {
			why = "the Cilium dataplane enforces policy itself; use network policy cilium"
		}
		return &IncompatibleError{Mode: s.Mode, What: "network policy " + p.String(), Why: why,
			Instead: modesWhere(func(o Spec) bool { return o.SupportsPolicy(p) && (os != Windows || o.Windows) })}
	}
	return nil
}

func (s Spec) windowsWhy() string {
	switch s.Dataplane {
	case DataplaneCilium:
		return "Azure CNI Powered by Cilium is available only for Linux" // [CIL]
	case DataplaneBYO:
		return "AKS documents bring-your-own CNI for Linux node pools only" // [BYO]
	}
	return "the mode has no Windows support" // [KUB, CNI]
}

// modesWhere lists the AKS modes whose Spec satisfies ok.
func modesWhere(ok func(Spec) bool) []Mode {
	var out []Mode
	for _, m := range All() {
		if ok(m.Spec()) {
			out = append(out, m)
		}
	}
	return out
}

// Bounds Validate puts on a Spec. They are far above any AKS limit (5,000
// nodes × 250 pods) and keep every product capacity forms (nodes × pods ×
// routes) well inside an int. SpecMaxPodsPerCluster bounds MaxNodes ×
// MaxPods.Max, the pod addresses a simulation holds at most (4 bytes each in
// its nodes: 256 MB).
const (
	SpecMaxNodes          = 1_000_000  // MaxNodes, MaxNodesPerPool and MaxRoutes at most
	SpecMaxPods           = 65_536     // MaxPods.Max, BatchSize and ReservedPerNode at most
	SpecMaxThreshold      = 100        // RequestThreshold and ReleaseThreshold at most, in batches
	SpecMaxPodsPerCluster = 67_108_864 // MaxNodes × MaxPods.Max at most (2^26)
	SpecMaxTunnel         = 16         // Pods.TunnelAddresses at most
)

// A SpecError lists every field of a Spec that capacity cannot run.
type SpecError struct {
	Problems []*FieldError
}

func (e *SpecError) Error() string {
	var b strings.Builder
	b.WriteString("modes: invalid spec")
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %s: %s", p.Field, p.Value, p.Reason)
	}
	return b.String()
}

// Unwrap returns the problems, for errors.As.
func (e *SpecError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// Validate reports, as a *SpecError, every field capacity cannot simulate:
// an unknown enum, a pod source the unit cannot take addresses from, a field
// the unit does not use, a count outside its bounds (SpecMaxNodes,
// SpecMaxPods, SpecMaxThreshold, SpecMaxTunnel). Every AKS mode's Spec is
// valid. A custom Spec must place node addresses in the node subnet and
// take pods as:
// PerPod from the node subnet, Batch from a pod subnet, StaticBlock from a
// pod subnet, pod CIDR or CNI pool, NodeBlock and OnDemandBlock from a pod
// CIDR or CNI pool, or no unit with no source (pods take no addresses).
func (s Spec) Validate() error {
	var ps []*FieldError
	bad := func(field string, value any, format string, args ...any) {
		text := fmt.Sprint(value)
		if m, ok := value.(encoding.TextMarshaler); ok {
			if _, err := m.MarshalText(); err != nil {
				text = fmt.Sprintf("%d", value) // an enum value with no name: its number
			}
		}
		ps = append(ps, &FieldError{Pkg: "modes", Field: field, Value: text, Reason: fmt.Sprintf(format, args...)})
	}
	if s.Mode != 0 && !s.Mode.IsValid() {
		bad("Mode", uint8(s.Mode), "unknown mode: want %s, or 0 for a custom Spec", modeNames.Alternatives())
	}
	if s.NodeIPs != NodeSubnet {
		bad("NodeIPs", s.NodeIPs, "nodes take their addresses from the node subnet: want %s", NodeSubnet)
	}
	a := s.Pods
	var sources []Source // where the unit can take addresses from
	switch a.Unit {
	case 0:
		sources = []Source{NoSource}
	case PerPod:
		sources = []Source{NodeSubnet}
	case Batch:
		sources = []Source{PodSubnet}
	case StaticBlock:
		sources = []Source{PodSubnet, PodCIDR, CNIPool}
	case NodeBlock, OnDemandBlock:
		sources = []Source{PodCIDR, CNIPool}
	default:
		bad("Pods.Unit", uint8(a.Unit), "unknown unit: want %s, or 0 for pods without addresses", unitNames.Alternatives())
	}
	// known says the unit and the source have names: the checks that name
	// them are made only then.
	known := sources != nil && int(a.Source) < len(sourceNames.Names)
	if int(a.Source) >= len(sourceNames.Names) {
		bad("Pods.Source", uint8(a.Source), "unknown source: want %s", sourceNames.Alternatives())
	} else if sources != nil && !slices.Contains(sources, a.Source) {
		bad("Pods.Source", a.Source, "%s cannot take addresses from source %s: want %s", unitName(a.Unit), a.Source, sourceList(sources))
	}
	blocks := a.Unit == StaticBlock || a.Unit == NodeBlock || a.Unit == OnDemandBlock
	switch {
	case !known:
	case blocks && (a.BlockBits < 8 || a.BlockBits > 32):
		bad("Pods.BlockBits", a.BlockBits, "%s needs a block prefix length in 8..32", unitName(a.Unit))
	case !blocks && a.BlockBits != 0:
		bad("Pods.BlockBits", a.BlockBits, "only block units use it: want 0 for %s", unitName(a.Unit))
	}
	if a.Unit == Batch {
		if a.BatchSize < 1 || a.BatchSize > SpecMaxPods {
			bad("Pods.BatchSize", a.BatchSize, "want a batch of 1..%d addresses", SpecMaxPods)
		}
		req, rel := a.RequestThreshold, a.ReleaseThreshold
		okReq := req >= 0 && req <= SpecMaxThreshold
		if !okReq {
			bad("Pods.RequestThreshold", req, "want 0..%d batches", SpecMaxThreshold)
		}
		switch {
		case !(rel >= 0 && rel <= SpecMaxThreshold):
			bad("Pods.ReleaseThreshold", rel, "want 0..%d batches", SpecMaxThreshold)
		case okReq && rel < req:
			bad("Pods.ReleaseThreshold", rel, "below RequestThreshold %v: a node would give back addresses it must ask for again", req)
		}
	} else {
		for _, f := range []struct {
			name string
			v    float64
		}{{"Pods.BatchSize", float64(a.BatchSize)}, {"Pods.RequestThreshold", a.RequestThreshold}, {"Pods.ReleaseThreshold", a.ReleaseThreshold}} {
			if f.v != 0 {
				bad(f.name, f.v, "only batches use it: want 0 for %s", unitName(a.Unit))
			}
		}
	}
	if a.Unit == StaticBlock {
		if a.ReservedPerNode < 0 || a.ReservedPerNode > SpecMaxPods {
			bad("Pods.ReservedPerNode", a.ReservedPerNode, "want 0..%d addresses", SpecMaxPods)
		}
	} else {
		if a.ReservedPerNode != 0 {
			bad("Pods.ReservedPerNode", a.ReservedPerNode, "only static blocks use it: want 0 for %s", unitName(a.Unit))
		}
		if a.BlockCountsOnce {
			bad("Pods.BlockCountsOnce", a.BlockCountsOnce, "only static blocks use it: want false for %s", unitName(a.Unit))
		}
	}
	if a.Unit == OnDemandBlock {
		if a.TunnelAddresses < 0 || a.TunnelAddresses > SpecMaxTunnel {
			bad("Pods.TunnelAddresses", a.TunnelAddresses, "want 0 to %d addresses", SpecMaxTunnel)
		}
	} else if a.TunnelAddresses != 0 {
		bad("Pods.TunnelAddresses", a.TunnelAddresses, "only on-demand blocks use it: want 0 for %s", unitName(a.Unit))
	}

	r := s.MaxPods
	if r.Min < 1 || r.Min > r.Default || r.Default > r.Max || r.Max > SpecMaxPods {
		bad("MaxPods", fmt.Sprintf("%d/%d/%d", r.Min, r.Default, r.Max), "want 1 ≤ Min ≤ Default ≤ Max ≤ %d", SpecMaxPods)
	}
	if s.MinPodsPerPool < 0 || s.MinPodsPerPool > SpecMaxNodes*SpecMaxPods {
		bad("MinPodsPerPool", s.MinPodsPerPool, "want 0..%d pods", SpecMaxNodes*SpecMaxPods)
	}
	if s.MaxNodes < 1 || s.MaxNodes > SpecMaxNodes {
		bad("MaxNodes", s.MaxNodes, "want 1..%d nodes", SpecMaxNodes)
	}
	if s.MaxNodesPerPool < 1 || s.MaxNodesPerPool > SpecMaxNodes {
		bad("MaxNodesPerPool", s.MaxNodesPerPool, "want 1..%d nodes", SpecMaxNodes)
	}
	if r.Max >= 1 && r.Max <= SpecMaxPods && s.MaxNodes >= 1 && s.MaxNodes <= SpecMaxNodes && s.MaxNodes*r.Max > SpecMaxPodsPerCluster {
		bad("MaxNodes", s.MaxNodes, "%d nodes × MaxPods.Max %d = %d pods: want at most %d pods per cluster", s.MaxNodes, r.Max, s.MaxNodes*r.Max, SpecMaxPodsPerCluster)
	}
	switch {
	case s.MaxRoutes < 0 || s.MaxRoutes > SpecMaxNodes:
		bad("MaxRoutes", s.MaxRoutes, "want 0..%d routes (0: no route table)", SpecMaxNodes)
	case s.RoutesPerNode < 0 || s.RoutesPerNode > s.MaxRoutes:
		bad("RoutesPerNode", s.RoutesPerNode, "want 0..%d (MaxRoutes)", s.MaxRoutes)
	}
	switch b := a.BlockBitsIPv6; {
	case s.DualStack && known && (a.Unit != NodeBlock || a.Source != PodCIDR):
		bad("DualStack", s.DualStack, "a dual-stack node takes one IPv6 block of the pod CIDR: want %s from source %s, not %s from source %s",
			unitName(NodeBlock), PodCIDR, unitName(a.Unit), a.Source)
	case s.DualStack && (b < MinBlockBitsIPv6 || b > 128):
		bad("Pods.BlockBitsIPv6", b, "a dual-stack node's IPv6 block: want a prefix length in %d..128, such as 80", MinBlockBitsIPv6)
	case !s.DualStack && b != 0 && (b < MinBlockBitsIPv6 || b > 128):
		bad("Pods.BlockBitsIPv6", b, "want 0, or a prefix length in %d..128 for dual-stack", MinBlockBitsIPv6)
	}
	if p := s.DefaultPodCIDR; p.IsValid() && (!p.Addr().Is4() || p.Masked() != p) {
		bad("DefaultPodCIDR", p, "want an IPv4 network prefix such as 10.244.0.0/16")
	}
	if int(s.Dataplane) >= len(dataplaneNames.Names) {
		bad("Dataplane", uint8(s.Dataplane), "unknown dataplane: want %s", dataplaneNames.Alternatives())
	}
	for i, p := range s.Policies {
		if int(p) >= len(policyNames.Names) {
			bad(fmt.Sprintf("Policies[%d]", i), uint8(p), "unknown policy engine: want %s", enum.Alternatives(policyNames.Names[PolicyAzure:]))
		}
	}
	if len(ps) > 0 {
		return &SpecError{Problems: ps}
	}
	return nil
}

// unitName names u in a message: its identifier ("unit batch"), or what
// the zero Unit means.
func unitName(u Unit) string {
	if u == 0 {
		return "pods without addresses"
	}
	if _, err := u.MarshalText(); err != nil {
		return fmt.Sprintf("unknown unit %d", uint8(u))
	}
	return "unit " + u.String()
}

// sourceList lists ss as every list of choices is written: "a, b or c".
func sourceList(ss []Source) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.String()
	}
	return enum.Alternatives(names)
}
