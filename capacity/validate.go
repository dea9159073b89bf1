package capacity

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/ipcap/ipcap/modes"
)

// AKS error codes ipcap reproduces, with their sources in aks-facts.md §5.
const (
	CodeInsufficientSubnetSize        = "InsufficientSubnetSize"                // ISS
	CodeSubnetIsFull                  = "SubnetIsFull"                          // SIF
	CodeNetworkProfileCIDROverlapVNET = "NetworkProfileCIDROverlapVNET"         // Azure/AKS-Construction#403
	CodeServiceCIDROverlapSubnets     = "ServiceCidrOverlapExistingSubnetsCidr" // SupportArticles
	CodeDNSServiceIPOutOfServiceCIDR  = "DnsServiceIpOutOfServiceCidr"          // SupportArticles
)

// Problem is one malformed field of a Cluster.
type Problem struct {
	Field   string `json:"field"` // the field's path, as "Pools[1].MaxPods"
	Code    string `json:"code"`  // AKS's error code where AKS has one documented, else ""
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Code != "" {
		return p.Field + ": " + p.Code + ": " + p.Message
	}
	return p.Field + ": " + p.Message
}

// ValidationError lists every problem Validate found.
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "capacity: invalid cluster (%d problems)", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Has reports whether a problem names field (exactly) or has code.
func (e *ValidationError) Has(fieldOrCode string) bool {
	for _, p := range e.Problems {
		if p.Field == fieldOrCode || p.Code != "" && p.Code == fieldOrCode {
			return true
		}
	}
	return false
}

// aksReserved are the ranges AKS refuses for service, pod and VNet ranges
// [CNI, BYO].
var aksReserved = []netip.Prefix{
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.30.0.0/16"),
	netip.MustParsePrefix("172.31.0.0/16"),
	netip.MustParsePrefix("192.0.2.0/24"),
}

// validator collects problems.
type validator struct{ problems []Problem }

func (v *validator) add(field, code, format string, args ...any) {
	v.problems = append(v.problems, Problem{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// path is a field path such as Pools[3].MaxPods, formatted only when a
// problem is found, so that a valid cluster costs no allocation per pool.
type path struct {
	list string // "Pools"
	i    int
	sub  string // ".MaxPods"
}

func (p path) String() string { return fmt.Sprintf("%s[%d]%s", p.list, p.i, p.sub) }

func (p path) with(sub string) path { return path{p.list, p.i, p.sub + sub} }

// addAt is add for a field of a list element.
func (v *validator) addAt(field path, code, format string, args ...any) {
	v.add(field.String(), code, format, args...)
}

// Validate reports every malformed field of c at once, as a
// *ValidationError (errors.As), or nil. A cluster that is merely committed
// beyond its address spaces is valid: Analyze reports it.
func (c Cluster) Validate() error {
	var v validator
	s := c.spec()
	v.checkSpec(&c, s)
	subnets := v.checkSubnets(&c)
	v.checkVNet(&c)
	podCIDRs := v.checkPodCIDRs(&c, s)
	v.checkServices(&c, podCIDRs)
	v.checkPools(&c, s, subnets)
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

func (v *validator) checkSpec(c *Cluster, s modes.Spec) {
	if c.Spec == nil && !c.Mode.IsValid() {
		v.add("Mode", "", "unknown mode %d: choose one of modes.All() or set Spec", c.Mode)
		return
	}
	var se *modes.SpecError
	if err := s.Validate(); errors.As(err, &se) {
		for _, p := range se.Problems {
			v.add("Spec."+p.Field, "", "%s: %s", p.Value, p.Reason)
		}
	} else if err != nil {
		v.add("Spec", "", "%v", err)
	}
	v.checkStaticBlocks(c, s)
	if c.CustomRoutes < 0 || c.CustomRoutes > 0 && s.MaxRoutes == 0 {
		v.add("CustomRoutes", "", "%d: custom routes count only against a route table of nodes (kubenet)", c.CustomRoutes)
	} else if s.MaxRoutes > 0 && c.CustomRoutes >= s.MaxRoutes {
		v.add("CustomRoutes", "", "%d custom routes leave no room in a table of %d [NLIM]", c.CustomRoutes, s.MaxRoutes)
	}
	if !s.SupportsPolicy(c.Policy) {
		v.add("Policy", "", "%v", s.Check(modes.Linux, c.Policy))
	}
}

// checkStaticBlocks reports pod subnets that hold no whole static block:
// the allocator could not hand out a single one.
func (v *validator) checkStaticBlocks(c *Cluster, s modes.Spec) {
	if s.Pods.Unit != modes.StaticBlock || s.Pods.Source != modes.PodSubnet || s.Pods.BlockBits < 8 || s.Pods.BlockBits > 32 {
		return
	}
	fits := make(map[string]bool, len(c.Subnets)) // by subnet name: holds a block
	for _, sn := range c.Subnets {
		for _, q := range sn.Prefixes {
			fits[sn.Name] = fits[sn.Name] || q.IsValid() && q.Bits() <= s.Pods.BlockBits
		}
	}
	for i := range c.Pools {
		p := &c.Pools[i]
		if ok, found := fits[p.PodSubnet]; found && !ok {
			v.addAt(path{"Pools", i, ".PodSubnet"}, "", "%q holds no whole /%d block for static block allocation", p.PodSubnet, s.Pods.BlockBits)
		}
	}
}

// checkSubnets validates the subnets and returns their index by name.
func (v *validator) checkSubnets(c *Cluster) map[string]int {
	byName := make(map[string]int, len(c.Subnets))
	for i, sn := range c.Subnets {
		f := fmt.Sprintf("Subnets[%d]", i)
		switch _, dup := byName[sn.Name]; {
		case sn.Name == "":
			v.add(f+".Name", "", "empty: pools refer to subnets by name")
		case dup:
			v.add(f+".Name", "", "%q names two subnets", sn.Name)
		default:
			byName[sn.Name] = i
		}
		if len(sn.Prefixes) == 0 {
			v.add(f+".Prefixes", "", "a subnet needs at least one address prefix")
		}
		if sn.Reserved < 0 {
			v.add(f+".Reserved", "", "negative count %d", sn.Reserved)
		}
		for j, p := range sn.Prefixes {
			pf := fmt.Sprintf("%s.Prefixes[%d]", f, j)
			if !v.checkPrefix(pf, p) {
				continue
			}
			switch {
			case p.Bits() > modes.MinSubnetBits:
				v.add(pf, "", "%v is smaller than /%d, the smallest subnet Azure accepts [VNF]", p, modes.MinSubnetBits)
			case p.Bits() < modes.MaxSubnetBits:
				v.add(pf, "", "%v is larger than /%d, the largest subnet Azure accepts [VNF]", p, modes.MaxSubnetBits)
			}
			v.checkReserved(pf, p)
			for _, sn2 := range c.Subnets[:i] {
				for _, q := range sn2.Prefixes {
					if q.IsValid() && p.Overlaps(q) {
						v.add(pf, "", "%v overlaps %v of subnet %q", p, q, sn2.Name)
					}
				}
			}
		}
	}
	return byName
}

// checkPrefix reports whether p is a usable IPv4 network prefix, adding a
// problem when it is not.
func (v *validator) checkPrefix(field string, p netip.Prefix) bool {
	switch {
	case !p.IsValid():
		v.add(field, "", "invalid prefix")
		return false
	case !p.Addr().Is4():
		v.add(field, "", "%v: IPv6 ranges are not modelled yet (dual-stack per-node blocks are undocumented, U10)", p)
		return false
	case p.Masked() != p:
		v.add(field, "", "%v is not a network address: want %v", p, p.Masked())
		return false
	}
	return true
}

func (v *validator) checkReserved(field string, p netip.Prefix) {
	for _, r := range aksReserved {
		if p.Overlaps(r) {
			v.add(field, "", "%v overlaps %v, which AKS reserves [CNI]", p, r)
		}
	}
}

func (v *validator) checkVNet(c *Cluster) {
	for i, p := range c.VNet {
		f := fmt.Sprintf("VNet[%d]", i)
		if v.checkPrefix(f, p) {
			v.checkReserved(f, p)
		}
	}
}

// vnetPrefixes returns the VNet's address space, or the subnets' prefixes.
func (c *Cluster) vnetPrefixes() []netip.Prefix {
	if len(c.VNet) > 0 {
		return c.VNet
	}
	var out []netip.Prefix
	for _, sn := range c.Subnets {
		out = append(out, sn.Prefixes...)
	}
	return out
}

// checkPodCIDRs validates the pod ranges and returns those in force.
func (v *validator) checkPodCIDRs(c *Cluster, s modes.Spec) []netip.Prefix {
	if !usesPodCIDR(s) {
		if len(c.PodCIDRs) > 0 {
			v.add("PodCIDRs", "", "%v takes pod addresses from VNet subnets; a pod CIDR applies to kubenet, Overlay and bring-your-own CNI", c.Mode)
		}
		return nil
	}
	cidrs := c.podCIDRs(s)
	if len(cidrs) == 0 {
		v.add("PodCIDRs", "", "%v needs a pod CIDR", s.Name)
	}
	for i, p := range cidrs {
		f := fmt.Sprintf("PodCIDRs[%d]", i)
		if !v.checkPrefix(f, p) {
			continue
		}
		v.checkReserved(f, p)
		if s.Pods.BlockBits > 0 && p.Bits() > s.Pods.BlockBits {
			v.add(f, "", "%v holds no /%d block: a pod CIDR needs at least one per node", p, s.Pods.BlockBits)
		}
		for _, q := range c.vnetPrefixes() {
			if q.IsValid() && p.Overlaps(q) {
				v.add(f, CodeNetworkProfileCIDROverlapVNET, "NetworkProfile CIDR %v overlaps with reserved VNET CIDR %v", p, q)
			}
		}
	}
	return cidrs
}

func (v *validator) checkServices(c *Cluster, podCIDRs []netip.Prefix) {
	svc := c.serviceCIDRs()
	for i, p := range svc {
		f := fmt.Sprintf("ServiceCIDRs[%d]", i)
		if !v.checkPrefix(f, p) {
			continue
		}
		v.checkReserved(f, p)
		if p.Bits() <= 12 {
			v.add(f, "", "%v: the service CIDR must be smaller than /12 (MicrosoftDocs/azure-docs#13444)", p)
		}
		for _, q := range c.vnetPrefixes() {
			if q.IsValid() && p.Overlaps(q) {
				v.add(f, CodeServiceCIDROverlapSubnets, "service CIDR %v overlaps subnet range %v", p, q)
			}
		}
		for _, q := range podCIDRs {
			if q.IsValid() && p.Overlaps(q) {
				v.add(f, "", "service CIDR %v overlaps pod CIDR %v [LEG, OVC]", p, q)
			}
		}
	}
	dns := c.dnsServiceIP()
	in := false
	for _, p := range svc {
		if p.IsValid() && p.Contains(dns) {
			in = true
			if dns == p.Masked().Addr() {
				v.add("DNSServiceIP", "", "%v is the first address of %v, which kubernetes.default uses [IPP]", dns, p)
			}
		}
	}
	if !in {
		v.add("DNSServiceIP", CodeDNSServiceIPOutOfServiceCIDR, "DNS service IP %v is outside the service CIDR %v", dns, svc)
	}
}

func (v *validator) checkPools(c *Cluster, s modes.Spec, subnets map[string]int) {
	if len(c.Pools) == 0 {
		v.add("Pools", "", "a cluster needs at least one node pool")
	}
	if len(c.Pools) > modes.MaxPoolsPerCluster {
		v.add("Pools", "", "%d pools: AKS allows %d per cluster [QUO]", len(c.Pools), modes.MaxPoolsPerCluster)
	}
	if msg := checkSurge(c.DefaultMaxSurge); msg != "" {
		v.add("DefaultMaxSurge", "", "%s", msg)
	}
	names := make(map[string]bool, len(c.Pools))
	nodeSubnets := make(map[string]bool, len(c.Subnets))
	for i := range c.Pools {
		nodeSubnets[c.nodeSubnet(&c.Pools[i])] = true
	}
	for i := range c.Pools {
		p := &c.Pools[i]
		f := path{"Pools", i, ""}
		switch {
		case p.Name == "":
			v.addAt(f.with(".Name"), "", "empty")
		case names[p.Name]:
			v.addAt(f.with(".Name"), "", "%q names two pools", p.Name)
		}
		names[p.Name] = true
		v.checkCounts(f, p, s)
		if p.OS > modes.Windows {
			v.addAt(f.with(".OS"), "", "unknown OS %d", p.OS)
		} else if err := s.Check(p.OS, modes.PolicyNone); err != nil {
			v.addAt(f.with(".OS"), "", "%v", err)
		}
		mp := maxPods(s, p)
		switch {
		case p.MaxPods < 0 || p.MaxPods != 0 && !s.MaxPods.Contains(p.MaxPods):
			v.addAt(f.with(".MaxPods"), "", "%d is outside %d–%d [IPP]", p.MaxPods, s.MaxPods.Min, s.MaxPods.Max)
		case p.Committed() > 0 && p.Committed()*mp < s.MinPodsPerPool:
			v.addAt(f.with(".MaxPods"), "", "%d nodes × %d pods = %d: a pool must hold at least %d pods [IPP]", p.Committed(), mp, p.Committed()*mp, s.MinPodsPerPool)
		}
		if p.PodsPerNode < 0 || p.PodsPerNode > mp {
			v.addAt(f.with(".PodsPerNode"), "", "%d is outside 0–%d (maxPods)", p.PodsPerNode, mp)
		}
		if msg := checkSurge(p.MaxSurge); msg != "" {
			v.addAt(f.with(".MaxSurge"), "", "%s", msg)
		}
		node := c.nodeSubnet(p)
		if _, ok := subnets[node]; !ok {
			if node == "" {
				v.addAt(f.with(".NodeSubnet"), "", "empty, and the cluster has %d subnets: name one", len(c.Subnets))
			} else {
				v.addAt(f.with(".NodeSubnet"), "", "%q is not one of the cluster's subnets", node)
			}
		}
		wantPod := s.Pods.Source == modes.PodSubnet
		_, podOK := subnets[p.PodSubnet]
		switch {
		case wantPod && p.PodSubnet == "":
			v.addAt(f.with(".PodSubnet"), "", "%s takes pod addresses from a pod subnet: name one", s.Name)
		case !wantPod && p.PodSubnet != "":
			v.addAt(f.with(".PodSubnet"), "", "%s has no pod subnet; Azure CNI with a pod subnet is azure-cni-pod-subnet or azure-cni-static-block", s.Name)
		case wantPod && !podOK:
			v.addAt(f.with(".PodSubnet"), "", "%q is not one of the cluster's subnets", p.PodSubnet)
		case wantPod && nodeSubnets[p.PodSubnet]:
			v.addAt(f.with(".PodSubnet"), "", "%q is also a node subnet: pods need a subnet of their own, which VMs cannot use [DYN, LEG]", p.PodSubnet)
		}
	}
}

// checkSurge returns what is wrong with a surge, or "": a node count must
// lie in 0..modes.SpecMaxNodes and a percentage in 0–100, the values
// ParseSurge reads back [UPR].
func checkSurge(s Surge) string {
	switch {
	case s.IsZero():
	case s.IsPercent() && (s.Value() < 0 || s.Value() > 100):
		return fmt.Sprintf("%v: want a percentage in 0%%–100%%", s)
	case !s.IsPercent() && (s.Value() < 0 || s.Value() > modes.SpecMaxNodes):
		return fmt.Sprintf("%v: want a node count in 0..%d", s, modes.SpecMaxNodes)
	}
	return ""
}

func (v *validator) checkCounts(f path, p *Pool, s modes.Spec) {
	for _, c := range []struct {
		name string
		n    int
	}{{"Count", p.Count}, {"MinCount", p.MinCount}, {"MaxCount", p.MaxCount}} {
		if c.n < 0 {
			v.addAt(f.with("."+c.name), "", "negative count %d", c.n)
		}
		if c.n > s.MaxNodesPerPool {
			v.addAt(f.with("."+c.name), "", "%d nodes: AKS allows %d per node pool [QUO]", c.n, s.MaxNodesPerPool)
		}
	}
	if p.Autoscaling() {
		switch {
		case p.MinCount > p.MaxCount:
			v.addAt(f.with(".MinCount"), "", "%d is above MaxCount %d", p.MinCount, p.MaxCount)
		case p.Count < p.MinCount || p.Count > p.MaxCount:
			v.addAt(f.with(".Count"), "", "%d is outside the autoscaler's %d–%d", p.Count, p.MinCount, p.MaxCount)
		}
	} else if p.MinCount > 0 {
		v.addAt(f.with(".MinCount"), "", "%d without MaxCount: set MaxCount to turn the autoscaler on", p.MinCount)
	}
}
