package capacity

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/ipcap/ipcap/internal/enum"
	"github.com/ipcap/ipcap/modes"
)

// AKS error codes of refused migrations, as public reports show them
// [AKS5662, AKS4006].
const (
	CodeUnsupportedPluginMode = "UnsupportedNetworkPluginModeWithNetworkPlugin"
	CodeValidationError       = "ValidationError"
)

// MigrationSurge says whether migrating to Overlay adds buffer nodes. AKS
// reimages every pool at once; whether it adds buffer nodes as an upgrade
// does is not stated [UPD], so the zero value assumes it does, each pool
// its maxSurge, all at the same time.
type MigrationSurge uint8

const (
	MigrationSurgeUpgrade MigrationSurge = iota // every pool's surge at once
	MigrationSurgeNone                          // reimaged in place
)

var migrationSurgeNames = enum.Table[MigrationSurge]{Type: "capacity.MigrationSurge", What: "migration surge",
	Names: []string{MigrationSurgeUpgrade: "upgrade", MigrationSurgeNone: "none"}}

// String returns the name MarshalText writes and ParseMigrationSurge reads.
func (v MigrationSurge) String() string { return migrationSurgeNames.String(v) }

// MarshalText writes String's form; an invalid value is an error.
func (v MigrationSurge) MarshalText() ([]byte, error) { return migrationSurgeNames.Text(v) }

// UnmarshalText reads ParseMigrationSurge's forms.
func (v *MigrationSurge) UnmarshalText(b []byte) error {
	return enum.Unmarshal(b, v, ParseMigrationSurge)
}

// ParseMigrationSurge returns the value whose String is s, ignoring case; "" is the
// zero value.
func ParseMigrationSurge(s string) (MigrationSurge, error) { return migrationSurgeNames.Parse(s) }

// checkCIDRStep checks the fields of an OpMigrate or OpExpandPodCIDR step.
func (m *model) checkCIDRStep(i int, st Step) *StepError {
	step := stepOf(i)
	if st.Pool != "" {
		return stepError(i, step.dot("Pool"), strconv.Quote(st.Pool), "want none: "+st.Op.String()+" applies to the whole cluster")
	}
	for k, p := range st.PodCIDRs {
		if !p.IsValid() || !p.Addr().Is4() || p.Masked() != p {
			return stepError(i, step.dot("PodCIDRs").at(k), p.String(), "want an IPv4 network prefix such as 10.244.0.0/16")
		}
	}
	switch {
	case st.Op == OpMigrate && !st.To.IsValid():
		return stepError(i, step.dot("To"), st.To.String(), "want the mode to migrate to, such as azure-cni-overlay")
	case st.Op == OpExpandPodCIDR && len(st.PodCIDRs) != 1:
		return stepError(i, step.dot("PodCIDRs"), strconv.Itoa(len(st.PodCIDRs))+" prefixes", "want the one wider pod CIDR")
	}
	return nil
}

// migrations are the IPAM changes AKS performs in place [UPD]: forward
// only, to Azure CNI Overlay, from kubenet or Azure CNI's node subnet.
var migrations = map[modes.Mode]modes.Mode{modes.Kubenet: modes.AzureCNIOverlay, modes.AzureCNI: modes.AzureCNIOverlay}

// migrated returns the cluster after step s (OpMigrate or OpExpandPodCIDR),
// or AKS's refusal of it.
func (m *model) migrated(s Step) (Cluster, *AdmissionError) {
	c := *m.c
	from := m.spec.Mode
	// refuse is AKS's refusal for reason, and refuseCode one AKS gives an
	// error code.
	refuse := func(reason string) (Cluster, *AdmissionError) {
		return Cluster{}, &AdmissionError{Op: s.Op, Reason: reason}
	}
	refuseCode := func(code, reason string) (Cluster, *AdmissionError) {
		return Cluster{}, &AdmissionError{Op: s.Op, Code: code, Reason: reason}
	}
	if s.Op == OpExpandPodCIDR {
		// Overlay, Linux only, one IPv4 range wider than the one in force
		// [OVX].
		if m.spec.Pods.Source != modes.PodCIDR || from == modes.Kubenet || m.c.Spec != nil {
			return refuse("only Azure CNI Overlay can widen its pod CIDR")
		}
		for _, p := range c.Pools {
			if p.OS == modes.Windows {
				return refuse("pool " + p.Name + " runs Windows: a pod CIDR widens on Linux-only clusters")
			}
		}
		all, wide := c.podCIDRs(m.spec), s.PodCIDRs[0]
		old := ipv4(all)
		if len(old) != 1 || !(wide.Bits() < old[0].Bits() && wide.Contains(old[0].Addr())) {
			return refuse("the new pod CIDR " + wide.String() + " must contain the one in force, " + joinPrefixes(old) + ", and be wider")
		}
		c.PodCIDRs = []netip.Prefix{wide}
		if v6 := firstIPv6(all); v6.IsValid() {
			c.PodCIDRs = append(c.PodCIDRs, v6) // a dual-stack cluster's IPv6 range stays as it is [OVX]
		}
		return c, nil
	}
	if to, ok := migrations[from]; !ok || to != s.To || m.c.Spec != nil {
		what := "a custom spec"
		if m.c.Spec == nil {
			what = m.c.Mode.String()
		}
		return refuseCode(CodeUnsupportedPluginMode, "AKS migrates kubenet and azure-cni clusters to azure-cni-overlay, forward only; not "+
			what+" to "+s.To.String())
	}
	if minor, ok := kubernetesMinor(c.KubernetesVersion); ok && minor < 27 {
		return refuse("Kubernetes " + c.KubernetesVersion + ": migrating to Overlay needs 1.27 or later")
	}
	switch {
	case c.Policy != modes.PolicyNone && from == modes.AzureCNI:
		return refuseCode(CodeValidationError, "Cannot update cluster to Azure CNI Overlay while using network policies with Azure CNI v1.")
	case c.Policy != modes.PolicyNone:
		return refuse("network policy " + c.Policy.String() + ": uninstall it before migrating a kubenet cluster to Overlay")
	}
	c.Mode, c.Spec = s.To, nil
	c.Pools = keepMaxPods(m.spec, c.Pools)
	switch {
	case len(s.PodCIDRs) > 0:
		c.PodCIDRs = s.PodCIDRs
	case from == modes.AzureCNI:
		return refuse("Azure CNI has no pod CIDR to keep: give the Overlay pod CIDR (az aks update --pod-cidr)")
	default:
		c.PodCIDRs = m.c.podCIDRs(m.spec) // kubenet keeps its own
	}
	return c, nil
}

// Migrated returns cluster c as step s, an OpMigrate or OpExpandPodCIDR,
// leaves it: the new mode with its pod CIDR (kubenet's own unless s gives
// one), or the wider pod CIDR. Analyze of it is the cluster's capacity
// after the change; whether AKS accepts the change with every pool at its
// autoscaler max (and buffer nodes), and whether the nodes then get their
// addresses, is Check's. The error is a *ValidationError for a malformed
// cluster, a *StepError for a malformed step or another op, and an
// *AdmissionError when AKS refuses the change whatever the capacity: a
// mode it does not migrate, a network policy, Kubernetes before 1.27, an
// Azure CNI cluster given no pod CIDR. The cluster returned may be invalid
// (a pod CIDR overlapping the VNet): Analyze says so, and Check refuses it.
func Migrated(c Cluster, s Step) (Cluster, error) {
	m, err := newModel(&c)
	if err != nil {
		return Cluster{}, err
	}
	if s.Op != OpMigrate && s.Op != OpExpandPodCIDR {
		return Cluster{}, stepError(-1, stepOf(-1).dot("Op"), s.Op.String(), "want migrate or expand-pod-cidr")
	}
	if err := m.checkStep(-1, s); err != nil {
		return Cluster{}, err
	}
	after, r := m.migrated(s)
	if r != nil {
		return Cluster{}, r
	}
	after.Pools = slices.Clone(after.Pools)
	after.Subnets = slices.Clone(after.Subnets)
	after.PodCIDRs = slices.Clone(after.PodCIDRs)
	return after, nil
}

// admitMigrate is AKS's admission of a migration or a pod CIDR expansion:
// the cluster after it must be valid, and every pool at its autoscaler max,
// with the buffer nodes of a migration, must fit it [UPD, ISS].
func (m *model) admitMigrate(s Step) (*model, *AdmissionError) {
	after, refusal := m.migrated(s)
	if refusal != nil {
		return nil, refusal
	}
	mt, err := newModel(&after)
	if err != nil {
		reason := err.Error()
		code := ""
		if ve, ok := err.(*ValidationError); ok && len(ve.Problems) > 0 {
			code, reason = ve.Problems[0].Code, "after the "+s.Op.String()+": "+problemList("the cluster is invalid", ve.Problems, ve.Omitted)
		}
		return nil, &AdmissionError{Op: s.Op, Code: code, Reason: reason}
	}
	nodes := make([]int, len(mt.pools))
	surge := make([]int, len(mt.pools))
	for i := range mt.pools {
		nodes[i] = mt.pools[i].atMax
		if s.Op == OpMigrate && m.c.MigrationSurge == MigrationSurgeUpgrade {
			surge[i] = mt.pools[i].upgradeSurge()
		}
	}
	mt.c.ClusterUpgradeSurge = UpgradeSurgeSum // reimaged at once
	if r := mt.admit(s.Op, -1, nodes, surge); r != nil {
		return nil, r
	}
	return mt, nil
}

// migrate replays a migration that AKS admitted: the pools at their Count
// in the old mode, then every pool's buffer nodes requested at once in the
// new one while the old nodes still hold their addresses [UPD].
func (m *model) replayMigrate(mt *model) (*Exhaustion, error) {
	e, err := newEngine(m, nil, 0)
	if err != nil {
		return nil, err
	}
	if ex := e.create(nil, false); ex != nil {
		ex.Step = -1
		return ex, nil
	}
	if m.c.MigrationSurge == MigrationSurgeNone {
		return nil, nil
	}
	// The old nodes' pre-allocated pods stay in the node subnet until they
	// are reimaged: to the new mode's engine they are addresses someone
	// else holds, unbounded like another cluster's.
	after := *mt.c
	after.Subnets = append([]Subnet(nil), after.Subnets...)
	for k := range after.Subnets {
		sn := &after.Subnets[k]
		for si, sp := range m.spaces {
			if sp.Name == sn.Name && !sp.Source.IsPodRange() {
				held := &e.spaces[si]
				sn.OtherClusters += held.used() - held.taken*held.unit - nodeIPs(e, si)
			}
		}
	}
	ma, err := newModel(&after)
	if err != nil {
		return nil, err
	}
	en, err := newEngine(ma, nil, 0)
	if err != nil {
		return nil, err
	}
	if ex := en.create(nil, false); ex != nil {
		ex.Step = 0
		return ex, nil
	}
	for pi := range en.pools {
		p := &en.pools[pi]
		if ex := en.request(p, p.pm.surge.Nodes(len(p.live))); ex != nil {
			ex.Step = 0
			return ex, nil
		}
	}
	return nil, nil
}

// nodeIPs counts the node addresses the engine's nodes hold in space k.
func nodeIPs(e *engine, k int) int {
	n := 0
	for _, p := range e.pools {
		if p.node == k {
			n += len(p.live)
		}
	}
	return n
}
