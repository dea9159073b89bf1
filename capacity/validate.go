package capacity

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/internal/prefixes"
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

// MaxProblems is the most problems a ValidationError keeps, so that a
// document with thousands of bad pools or overlapping subnets yields a short
// error rather than megabytes; the rest are counted in Omitted.
const MaxProblems = 100

// Problem is one malformed field of a Cluster.
type Problem struct {
	// Field is the Go path of the field in the value checked (a Cluster,
	// an Estate, Forecast's options), as "Pools[1].MaxPods",
	// "Subnets[2].Prefixes[0]" or "History[3].Time".
	Field   string `json:"field"`
	Code    string `json:"code"` // AKS's error code where AKS has one documented, else ""
	Message string `json:"message"`
	// Err is the structured cause, where there is one (a
	// *modes.IncompatibleError, a Spec's *modes.FieldError), for errors.As
	// through ValidationError.
	Err error `json:"-"`
}

func (p Problem) String() string {
	if p.Code != "" {
		return p.Field + ": " + p.Code + ": " + p.Message
	}
	return p.Field + ": " + p.Message
}

// ValidationError lists the problems Validate found: the first
// MaxProblems, and how many more.
type ValidationError struct {
	Problems []Problem `json:"problems"`
	Omitted  int       `json:"omitted,omitempty"` // problems found beyond MaxProblems
	what     string    // what was checked, "" for a cluster: "forecast options"
}

func (e *ValidationError) Error() string {
	what := e.what
	if what == "" {
		what = "cluster"
	}
	return problemList("capacity: invalid "+what, e.Problems, e.Omitted)
}

// problemList writes "what (n problems); a; b; … and m more problems".
func problemList[P fmt.Stringer](what string, problems []P, omitted int) string {
	var b strings.Builder
	b.WriteString(what)
	b.WriteString(" (")
	b.WriteString(count.Of(len(problems)+omitted, "problem", "problems"))
	b.WriteString(")")
	for _, p := range problems {
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	if omitted > 0 {
		b.WriteString("; … and ")
		b.WriteString(count.Of(omitted, "more problem", "more problems"))
	}
	return b.String()
}

// Unwrap returns the problems' structured causes, so that errors.As finds
// a *modes.IncompatibleError behind a ValidationError.
func (e *ValidationError) Unwrap() []error {
	var errs []error
	for _, p := range e.Problems {
		if p.Err != nil {
			errs = append(errs, p.Err)
		}
	}
	return errs
}

// Fields returns the fields the kept problems name, in order.
func (e *ValidationError) Fields() []string {
	fields := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		fields[i] = p.Field
	}
	return fields
}

// HasField reports whether a kept problem names field f exactly, as
// "Pools[1].MaxPods".
func (e *ValidationError) HasField(f string) bool {
	for _, p := range e.Problems {
		if p.Field == f {
			return true
		}
	}
	return false
}

// HasCode reports whether a kept problem has the AKS error code c.
func (e *ValidationError) HasCode(c string) bool {
	for _, p := range e.Problems {
		if c != "" && p.Code == c {
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

// validator collects problems: the first MaxProblems, and a count of the
// rest, which are never formatted.
type validator struct {
	problems []Problem
	omitted  int
}

// room reports whether another problem is kept, counting it when it is not.
func (v *validator) room() bool {
	if len(v.problems) < MaxProblems {
		return true
	}
	v.omitted++
	return false
}

// add adds a problem of field f whose message is fmt.Sprintf(format,
// args...). It is how every problem is added: addCode and addErr are add
// for a problem that also carries AKS's error code or a structured cause.
func (v *validator) add(f path, format string, args ...any) { v.keep(f, Problem{}, format, args) }

// addCode is add for a problem AKS reports with an error code of its own.
func (v *validator) addCode(f path, code, format string, args ...any) {
	v.keep(f, Problem{Code: code}, format, args)
}

// addErr is add for a problem caused by err, which errors.As finds
// through the ValidationError.
func (v *validator) addErr(f path, err error, format string, args ...any) {
	v.keep(f, Problem{Err: err}, format, args)
}

// keep keeps p as the problem of field f, with its message, when there is
// room: the fields and messages of the problems past MaxProblems are never
// formatted.
func (v *validator) keep(f path, p Problem, format string, args []any) {
	if v.room() {
		p.Field, p.Message = f.String(), fmt.Sprintf(format, args...)
		v.problems = append(v.problems, p)
	}
}

// err returns the problems as a *ValidationError, or nil.
func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems, Omitted: v.omitted}
}

// path is the Go path of a field in the caller's argument, as "Mode",
// "Pools[3].MaxPods" or "Subnets[0].Prefixes[1]": the one syntax of
// Problem.Field and StepError.Field. It holds up to four names, each
// indexed or not, and is formatted only when a problem is found, so that
// checking a valid cluster allocates nothing per pool.
type path struct {
	elems [4]pathElem
	n     int
}

// pathElem is a name of a path and its index, if any.
type pathElem struct {
	name string
	i    int // the index plus one; 0 when the name has none
}

// pathOf returns the path of a top-level field or argument, as "Pools".
func pathOf(name string) path { return path{elems: [4]pathElem{{name: name}}, n: 1} }

// at returns p with its last name indexed by i: Pools, 3 → Pools[3].
func (p path) at(i int) path {
	p.elems[p.n-1].i = i + 1
	return p
}

// dot returns the path of field name of p: Pools[3], MaxPods →
// Pools[3].MaxPods.
func (p path) dot(name string) path {
	p.elems[p.n] = pathElem{name: name}
	p.n++
	return p
}

func (p path) String() string {
	b := make([]byte, 0, 32)
	for k, e := range p.elems[:p.n] {
		if k > 0 {
			b = append(b, '.')
		}
		b = append(b, e.name...)
		if e.i > 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(e.i-1), 10)
			b = append(b, ']')
		}
	}
	return string(b)
}

// Validate reports every malformed field of c at once, as a
// *ValidationError (errors.As), or nil; past MaxProblems it counts the rest
// without keeping them. A cluster that merely plans beyond its
// address spaces is valid: Analyze reports it. Its cost grows as n log n
// with the prefixes and linearly with the pools.
func (c Cluster) Validate() error {
	var v validator
	s := c.spec()
	v.checkSpec(&c, s)
	subnets := v.checkSubnets(&c)
	v.checkVNet(&c)
	vnet := c.vnetPrefixes()
	podCIDRs := v.checkPodCIDRs(&c, s, vnet)
	v.checkServices(&c, vnet, podCIDRs)
	v.checkDualStack(&c, s, subnets)
	v.checkPools(&c, s, subnets)
	v.checkBlockReserved(&c, s, subnets)
	return v.err()
}

func (v *validator) checkSpec(c *Cluster, s modes.Spec) {
	if c.Spec == nil && !c.Mode.IsValid() {
		v.add(pathOf("Mode"), "unknown mode %d: want %s, or a custom Spec", uint8(c.Mode), modes.Alternatives())
		return
	}
	if err := s.Validate(); err != nil {
		var se *modes.SpecError // declared here: errors.As moves it to the heap
		if !errors.As(err, &se) {
			v.addErr(pathOf("Spec"), err, "%v", err)
			se = &modes.SpecError{}
		}
		for _, p := range se.Problems {
			v.addErr(pathOf("Spec").dot(p.Field), p, "%s: %s", p.Value, p.Reason)
		}
	}
	v.checkStaticBlocks(c, s)
	if c.CustomRoutes < 0 || c.CustomRoutes > 0 && s.MaxRoutes == 0 {
		v.add(pathOf("CustomRoutes"), "%d: custom routes count only against a route table of nodes (kubenet)", c.CustomRoutes)
	} else if s.MaxRoutes > 0 && c.CustomRoutes >= s.MaxRoutes {
		v.add(pathOf("CustomRoutes"), "%d custom routes leave no room in a table of %d", c.CustomRoutes, s.MaxRoutes) // [NLIM]
	}
	if !s.SupportsPolicy(c.Policy) {
		err := s.Check(modes.Linux, c.Policy)
		v.addErr(pathOf("Policy"), err, "%s", reason(err))
	}
}

// checkStaticBlocks reports what static block allocation refuses: a
// Kubernetes version before 1.28 (checked only when one is given), a pod
// subnet larger than a /12 [SBA, PSC], and pod subnets that hold no whole
// static block: the allocator could not hand out a single one.
func (v *validator) checkStaticBlocks(c *Cluster, s modes.Spec) {
	if s.Pods.Unit != modes.StaticBlock || s.Pods.Source != modes.PodSubnet {
		return
	}
	if minor, ok := kubernetesMinor(c.KubernetesVersion); ok && minor < 28 {
		v.add(pathOf("KubernetesVersion"), "%s: static block allocation needs Kubernetes 1.28 or later", c.KubernetesVersion)
	}
	pods := make(map[string]bool, len(c.Pools)) // subnet names pools take pod addresses from
	for i := range c.Pools {
		pods[c.Pools[i].PodSubnet] = true
	}
	for i, sn := range c.Subnets {
		if !pods[sn.Name] || sn.Name == "" {
			continue
		}
		for j, q := range sn.Prefixes {
			if q.IsValid() && isIPv4(q) && q.Bits() < modes.MaxStaticBlockSubnetBits {
				v.add(pathOf("Subnets").at(i).dot("Prefixes").at(j), "%v: a static-block pod subnet is at most a /%d (%s addresses)",
					q, modes.MaxStaticBlockSubnetBits, count.Thousands(1<<(32-modes.MaxStaticBlockSubnetBits)))
			}
		}
	}
	if s.Pods.BlockBits < 8 || s.Pods.BlockBits > 32 {
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
			v.add(pathOf("Pools").at(i).dot("PodSubnet"), "%q holds no whole /%d block for static block allocation", p.PodSubnet, s.Pods.BlockBits)
		}
	}
}

// checkSubnets validates the subnets and returns their index by name. A
// prefix that overlaps another, of its own subnet or of another, is reported
// once, naming the first prefix it overlaps: its addresses would count
// twice.
func (v *validator) checkSubnets(c *Cluster) map[string]int {
	byName := make(map[string]int, len(c.Subnets))
	var spans []span
	var where [][2]int                  // per span: subnet and prefix index
	bad := make([]bool, len(c.Subnets)) // a prefix is unusable: the subnet's size is unknown
	for i, sn := range c.Subnets {
		f := pathOf("Subnets").at(i)
		switch _, dup := byName[sn.Name]; {
		case sn.Name == "":
			v.add(f.dot("Name"), "empty: pools refer to subnets by name")
		case dup:
			v.add(f.dot("Name"), "%q names two subnets", sn.Name)
		default:
			byName[sn.Name] = i
		}
		if len(sn.Prefixes) == 0 {
			v.add(f.dot("Prefixes"), "a subnet needs at least one address prefix")
			bad[i] = true
		} else if !slices.ContainsFunc(sn.Prefixes, isIPv4) && !slices.ContainsFunc(sn.Prefixes, func(p netip.Prefix) bool { return !p.IsValid() }) {
			v.add(f.dot("Prefixes"), "%s: a subnet needs an IPv4 prefix; AKS nodes take an IPv4 address even in a dual-stack cluster", prefixes.Join(sn.Prefixes, ", ")) // [DS]
			bad[i] = true
		}
		if sn.OtherClusters < 0 {
			v.add(f.dot("OtherClusters"), "negative count %d: want 0 or more", sn.OtherClusters)
		}
		if sn.Reserved < 0 {
			v.add(f.dot("Reserved"), "negative count %d: want 0 or more", sn.Reserved)
		}
		for j, p := range sn.Prefixes {
			pf := f.dot("Prefixes").at(j)
			if !v.checkPrefix(pf, p) {
				bad[i] = true
				continue
			}
			switch {
			case isIPv6(p):
				if p.Bits() != modes.SubnetBitsIPv6 {
					v.add(pf, "%v: an IPv6 subnet prefix is exactly a /%d", p, modes.SubnetBitsIPv6) // [VNF]
				}
			case p.Bits() > modes.MinSubnetBits:
				v.add(pf, "%v is smaller than /%d, the smallest subnet Azure accepts", p, modes.MinSubnetBits) // [VNF]
				bad[i] = true
			case p.Bits() < modes.MaxSubnetBits:
				v.add(pf, "%v is larger than /%d, the largest subnet Azure accepts", p, modes.MaxSubnetBits) // [VNF]
				bad[i] = true
			}
			v.checkReserved(pf, p)
			spans = append(spans, span{p: p, target: true})
			where = append(where, [2]int{i, j})
		}
	}
	for k, q := range firstOverlaps(spans) {
		if q < 0 || q > k {
			continue // the later of two is reported
		}
		i, j := where[k][0], where[k][1]
		qi, qj := where[q][0], where[q][1]
		p, qp := spans[k].p, spans[q].p
		switch {
		case qi == i && p == qp:
			v.add(prefixPath(i, j), "%v repeats Prefixes[%d] of the same subnet: want each address range once", p, qj)
			bad[i] = true
		case qi == i:
			v.add(prefixPath(i, j), "%v overlaps %v, Prefixes[%d] of the same subnet: want disjoint prefixes, or its addresses count twice", p, qp, qj)
			bad[i] = true
		default:
			v.add(prefixPath(i, j), "%v overlaps %v of subnet %q (%v): subnets must not share addresses", p, qp, c.Subnets[qi].Name, prefixPath(qi, qj))
		}
	}
	held := 0 // others' addresses so far, which count against the VNet's 65,536-address limit
	for i, sn := range c.Subnets {
		if sn.Reserved <= 0 {
			continue
		}
		held += sn.Reserved
		switch f := pathOf("Subnets").at(i).dot("Reserved"); {
		case held-sn.Reserved > modes.MaxVNetAddresses || held <= modes.MaxVNetAddresses:
		case held == sn.Reserved:
			v.add(f, "%d addresses used by others exceed a VNet's limit of %d addresses: want at most %d", sn.Reserved, modes.MaxVNetAddresses, modes.MaxVNetAddresses) // [NLIM]
		default:
			v.add(f, "%d brings the addresses used by others in the cluster's subnets to %d, above a VNet's limit of %d addresses: want at most %d in all", // [NLIM]
				sn.Reserved, held, modes.MaxVNetAddresses, modes.MaxVNetAddresses)
		}
		if bad[i] {
			continue
		}
		usable := 0
		v4 := ipv4(sn.Prefixes)
		for _, p := range v4 {
			usable += int(modes.UsableAddresses(p))
		}
		if sn.Reserved > usable {
			v.add(pathOf("Subnets").at(i).dot("Reserved"), "%d addresses used by others exceed the %d usable in %s (its size less Azure's %d per prefix): want at most %d",
				sn.Reserved, usable, prefixes.Join(v4, ", "), modes.AzureReservedPerSubnet, usable)
		}
	}
	return byName
}

// prefixPath returns the path of prefix j of subnet i.
func prefixPath(i, j int) path { return pathOf("Subnets").at(i).dot("Prefixes").at(j) }

// checkPrefix reports whether p is a network prefix, IPv4 or IPv6, adding
// a problem when it is not. Callers check what each family may be.
func (v *validator) checkPrefix(f path, p netip.Prefix) bool {
	switch {
	case !p.IsValid():
		v.add(f, "missing or invalid: want a network prefix such as 10.240.0.0/22")
		return false
	case p.Addr().Is4In6() || p.Addr().Zone() != "":
		v.add(f, "%v: want a plain IPv4 or IPv6 prefix, without an IPv4-mapped address or a zone", p)
		return false
	case p.Masked() != p:
		v.add(f, "%v is not a network address: want %v", p, p.Masked())
		return false
	}
	return true
}

func (v *validator) checkReserved(f path, p netip.Prefix) {
	for _, r := range aksReserved {
		if p.Overlaps(r) {
			v.add(f, "%v overlaps %v, which AKS reserves", p, r) // [CNI]
		}
	}
}

// checkList checks the prefixes of a list (VNet, PodCIDRs, ServiceCIDRs)
// each on its own and against each other: a prefix overlapping an earlier
// one of the list is reported once, naming the first. It returns the
// indices of the prefixes that passed checkPrefix.
func (v *validator) checkList(list string, ps []netip.Prefix) []int {
	var ok []int
	var spans []span
	for i, p := range ps {
		if v.checkPrefix(pathOf(list).at(i), p) {
			ok = append(ok, i)
			spans = append(spans, span{p: p, target: true})
		}
	}
	for k, q := range firstOverlaps(spans) {
		if q < 0 || q > k {
			continue
		}
		i, qi := ok[k], ok[q]
		verb := "overlaps"
		if ps[i] == ps[qi] {
			verb = "repeats"
		}
		v.add(pathOf(list).at(i), "%v %s %v %v: want disjoint ranges, each listed once", ps[i], verb, pathOf(list).at(qi), ps[qi])
	}
	return ok
}

// against returns, for each prefix of ps at the indices ok, the index in
// others of the first valid prefix it overlaps, or −1.
func against(ps []netip.Prefix, ok []int, others []netip.Prefix) []int {
	spans := make([]span, 0, len(others)+len(ok))
	var idx []int // per target span: its index in others
	for i, q := range others {
		if q.IsValid() {
			spans = append(spans, span{p: q.Masked(), target: true})
			idx = append(idx, i)
		}
	}
	n := len(spans)
	for _, i := range ok {
		spans = append(spans, span{p: ps[i]})
	}
	first := firstOverlaps(spans)[n:]
	for k, q := range first {
		if q >= 0 {
			first[k] = idx[q]
		}
	}
	return first
}

func (v *validator) checkVNet(c *Cluster) {
	for _, i := range v.checkList("VNet", c.VNet) {
		v.checkReserved(pathOf("VNet").at(i), c.VNet[i])
	}
	if len(c.VNet) == 0 {
		return
	}
	// A subnet lies inside its VNet's address space [VNF].
	for i, sn := range c.Subnets {
		for j, p := range sn.Prefixes {
			if p.IsValid() && !slices.ContainsFunc(c.VNet, func(q netip.Prefix) bool { return q.Bits() <= p.Bits() && q.Contains(p.Addr()) }) {
				v.add(prefixPath(i, j), "%v is outside the VNet's address space %s", p, prefixes.Join(c.VNet, ", "))
			}
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

// checkPodCIDRs validates the pod range and returns the one in force: the
// pod CIDR, whose overlap with the VNet AKS refuses, or a bring-your-own
// CNI's pool, which AKS never sees but which must not hide VNet addresses
// either.
func (v *validator) checkPodCIDRs(c *Cluster, s modes.Spec, vnet []netip.Prefix) []netip.Prefix {
	field := "PodCIDRs"
	switch s.Pods.Source {
	case modes.PodCIDR:
		if len(c.CNIPool) > 0 {
			v.add(pathOf("CNIPool"), "%s: %s has no CNI pool of its own; want none (a CNI pool is for bring-your-own CNI)", prefixes.Join(c.CNIPool, ", "), s.Name)
		}
	case modes.CNIPool:
		field = "CNIPool"
		v.checkList("PodCIDRs", c.PodCIDRs) // AKS's own range, kept as given
	default:
		for _, f := range []struct {
			name string
			ps   []netip.Prefix
		}{{"PodCIDRs", c.PodCIDRs}, {"CNIPool", c.CNIPool}} {
			if len(f.ps) > 0 {
				v.add(pathOf(f.name), "%s: %s takes pod addresses from VNet subnets; want none (a pod CIDR applies to kubenet and Overlay, a CNI pool to bring-your-own CNI)", prefixes.Join(f.ps, ", "), s.Name)
			}
		}
		return nil
	}
	what := s.Pods.Source.Describe() // "pod CIDR", "CNI pool"
	cidrs := c.podCIDRs(s)
	if len(cidrs) == 0 {
		v.add(pathOf(field), "%v needs a %s", s.Name, what)
	}
	ok := v.checkList(field, cidrs)
	for _, i := range ok {
		p := cidrs[i]
		f := pathOf(field).at(i)
		if isIPv6(p) {
			if c.DualStack && s.DualStack {
				v.checkBlocksIPv6(f, p, s.Pods.BlockBitsIPv6)
			}
			continue // single-stack: checkDualStack reports it
		}
		v.checkReserved(f, p)
		if s.Pods.BlockBits > 0 && p.Bits() > s.Pods.BlockBits {
			v.add(f, "%v holds no /%d block: a %s needs at least one per node", p, s.Pods.BlockBits, what)
		}
	}
	for k, q := range against(cidrs, ok, vnet) {
		if q < 0 {
			continue
		}
		f := pathOf(field).at(ok[k])
		if s.Pods.Source == modes.PodCIDR {
			v.addCode(f, CodeNetworkProfileCIDROverlapVNET, "NetworkProfile CIDR %v overlaps with reserved VNET CIDR %v", cidrs[ok[k]], vnet[q])
		} else {
			v.add(f, "%s %v overlaps the VNet's %v: pods would hide VNet addresses; want a range outside the VNet", what, cidrs[ok[k]], vnet[q])
		}
	}
	return cidrs
}

func (v *validator) checkServices(c *Cluster, vnet, podCIDRs []netip.Prefix) {
	svc := c.serviceCIDRs()
	ok := v.checkList("ServiceCIDRs", svc)
	for _, i := range ok {
		p := svc[i]
		f := pathOf("ServiceCIDRs").at(i)
		if isIPv6(p) {
			if p.Bits() < modes.MinServiceBitsIPv6 {
				v.add(f, "%v: the IPv6 service CIDR can be at most a /%d", p, modes.MinServiceBitsIPv6) // [DS]
			}
			continue
		}
		v.checkReserved(f, p)
		if p.Bits() <= 12 {
			v.add(f, "%v: the service CIDR must be smaller than /12 (MicrosoftDocs/azure-docs#13444)", p)
		}
	}
	for k, q := range against(svc, ok, vnet) {
		if q >= 0 {
			v.addCode(pathOf("ServiceCIDRs").at(ok[k]), CodeServiceCIDROverlapSubnets, "service CIDR %v overlaps subnet range %v", svc[ok[k]], vnet[q])
		}
	}
	for k, q := range against(svc, ok, podCIDRs) {
		if q >= 0 {
			v.add(pathOf("ServiceCIDRs").at(ok[k]), "service CIDR %v overlaps the pods' range %v", svc[ok[k]], podCIDRs[q]) // [LEG, OVC]
		}
	}
	dns := c.dnsServiceIP()
	in := false
	for _, p := range svc {
		if p.IsValid() && p.Contains(dns) {
			in = true
			switch base := p.Masked().Addr(); dns {
			case base:
				v.add(pathOf("DNSServiceIP"), "%v is the network address of %v; want another, such as .10", dns, p) // the docs recommend .10 [KUB]
			case base.Next():
				v.add(pathOf("DNSServiceIP"), "%v is the first address of %v, which kubernetes.default uses; want another, such as .10", dns, p) // [IPP, BYO]
			}
		}
	}
	if !in {
		v.addCode(pathOf("DNSServiceIP"), CodeDNSServiceIPOutOfServiceCIDR, "DNS service IP %v is outside the service CIDR %s", dns, prefixes.Join(svc, ", "))
	}
}

func (v *validator) checkPools(c *Cluster, s modes.Spec, subnets map[string]int) {
	if len(c.Pools) == 0 {
		v.add(pathOf("Pools"), "a cluster needs at least one node pool")
	}
	if len(c.Pools) > modes.MaxPoolsPerCluster {
		v.add(pathOf("Pools"), "%d pools: AKS allows %d per cluster", len(c.Pools), modes.MaxPoolsPerCluster) // [QUO]
	}
	if msg := checkSurge(c.DefaultMaxSurge); msg != "" {
		v.add(pathOf("DefaultMaxSurge"), "%s", msg)
	}
	if c.OtherVNetAddresses < 0 {
		v.add(pathOf("OtherVNetAddresses"), "negative count %d: want 0 or more", c.OtherVNetAddresses)
	}
	if _, ok := kubernetesMinor(c.KubernetesVersion); !ok && c.KubernetesVersion != "" {
		v.add(pathOf("KubernetesVersion"), "%q: want a version such as \"1.35\" or \"1.35.2\"", c.KubernetesVersion)
	}
	if c.Admission > Admission2018 {
		v.add(pathOf("Admission"), "%d: want %v, %v or %v", uint8(c.Admission), AdmissionCurrent, Admission2020, Admission2018)
	}
	if c.MigrationSurge > MigrationSurgeNone {
		v.add(pathOf("MigrationSurge"), "%d: want %v or %v", uint8(c.MigrationSurge), MigrationSurgeUpgrade, MigrationSurgeNone)
	}
	if c.ClusterUpgradeSurge > UpgradeSurgeOnePool {
		v.add(pathOf("ClusterUpgradeSurge"), "%d: want %v or %v", uint8(c.ClusterUpgradeSurge), UpgradeSurgeSum, UpgradeSurgeOnePool)
	}
	names := make(map[string]bool, len(c.Pools))
	nodeSubnets := make(map[string]bool, len(c.Subnets))
	for i := range c.Pools {
		nodeSubnets[c.nodeSubnet(&c.Pools[i])] = true
	}
	for i := range c.Pools {
		p := &c.Pools[i]
		f := pathOf("Pools").at(i)
		switch {
		case p.Name == "":
			v.add(f.dot("Name"), "empty: want a name unique among the pools")
		case names[p.Name]:
			v.add(f.dot("Name"), "%q names two pools", p.Name)
		default:
			if msg := checkPoolName(p.Name, p.OS); msg != "" {
				v.add(f.dot("Name"), "%q: %s", p.Name, msg)
			}
		}
		names[p.Name] = true
		v.checkCounts(f, p, s)
		if p.OS > modes.Windows {
			v.add(f.dot("OS"), "unknown OS %d: want %d (%v) or %d (%v)", uint8(p.OS), uint8(modes.Linux), modes.Linux, uint8(modes.Windows), modes.Windows)
		} else if err := s.Check(p.OS, modes.PolicyNone); err != nil {
			v.addErr(f.dot("OS"), err, "%s", reason(err))
		}
		mp := maxPods(s, p)
		badMaxPods := p.MaxPods < 0 || p.MaxPods != 0 && !s.MaxPods.Contains(p.MaxPods)
		switch {
		case badMaxPods:
			v.add(f.dot("MaxPods"), "%d is outside %d–%d", p.MaxPods, s.MaxPods.Min, s.MaxPods.Max) // [IPP]
		case p.AtMax() > 0 && p.AtMax()*mp < s.MinPodsPerPool:
			v.add(f.dot("MaxPods"), "%s × %s = %d: a pool must hold at least %d pods", count.Of(p.AtMax(), "node", "nodes"), count.Of(mp, "pod", "pods"), p.AtMax()*mp, s.MinPodsPerPool) // [IPP]
		}
		// PodsPerNode is bounded by a valid maxPods only: an invalid one is
		// the one problem.
		if !badMaxPods && (p.PodsPerNode < 0 || p.PodsPerNode > mp) {
			v.add(f.dot("PodsPerNode"), "%d is outside 0–%d (maxPods)", p.PodsPerNode, mp)
		}
		if msg := checkSurge(p.MaxSurge); msg != "" {
			v.add(f.dot("MaxSurge"), "%s", msg)
		}
		v.checkUpgrade(c, f, p)
		node := c.nodeSubnet(p)
		if _, ok := subnets[node]; !ok {
			if node == "" {
				v.add(f.dot("NodeSubnet"), "empty, and the cluster has %d subnets: name one of %s", len(c.Subnets), subnetNames(c))
			} else {
				v.add(f.dot("NodeSubnet"), "%q is not one of the cluster's subnets: want one of %s", node, subnetNames(c))
			}
		}
		wantPod := s.Pods.Source == modes.PodSubnet
		_, podOK := subnets[p.PodSubnet]
		switch {
		case wantPod && p.PodSubnet == "":
			v.add(f.dot("PodSubnet"), "%s takes pod addresses from a pod subnet: name one", s.Name)
		case !wantPod && p.PodSubnet != "":
			v.add(f.dot("PodSubnet"), "%s has no pod subnet; Azure CNI with a pod subnet is azure-cni-pod-subnet or azure-cni-static-block", s.Name)
		case wantPod && !podOK:
			v.add(f.dot("PodSubnet"), "%q is not one of the cluster's subnets: want one of %s", p.PodSubnet, subnetNames(c))
		case wantPod && nodeSubnets[p.PodSubnet]:
			v.add(f.dot("PodSubnet"), "%q is also a node subnet: pods need a subnet of their own, which VMs cannot use", p.PodSubnet) // [DYN, LEG]
		}
	}
}

// checkUpgrade checks a pool's upgrade settings [UPO]: maxUnavailable is
// a count or percentage like maxSurge, system pools cannot set it, and with
// maxUnavailable 0 the surge must be above 0 (a Spot pool, which gets no
// surge, upgrades in place).
func (v *validator) checkUpgrade(c *Cluster, f path, p *Pool) {
	switch {
	case p.Mode > PoolSystem:
		v.add(f.dot("Mode"), "%d: want %d (user) or %d (system)", uint8(p.Mode), uint8(PoolUser), uint8(PoolSystem))
	case p.Mode != PoolSystem:
	// A system pool runs Linux, holds at least one node and is not a Spot
	// pool [SYS].
	case p.OS != modes.Linux:
		v.add(f.dot("OS"), "%v on a system pool: system pools run Linux; make it a user pool", p.OS)
	case p.Spot:
		v.add(f.dot("Spot"), "a Spot system pool: Spot pools are user pools")
	case p.Count < 0 || p.MinCount < 0: // told by checkCounts
	case p.Autoscaling() && p.MinCount < 1:
		v.add(f.dot("MinCount"), "%d: a system pool holds at least one node, so its autoscaler's min count too", p.MinCount)
	case !p.Autoscaling() && p.Count < 1: // an autoscaled count outside min–max is checkCounts'
		v.add(f.dot("Count"), "%d nodes: a system pool holds at least one node", p.Count)
	}
	u := p.MaxUnavailable
	switch msg := checkSurge(u); {
	case msg != "":
		v.add(f.dot("MaxUnavailable"), "%s", msg)
	case p.Mode == PoolSystem && u.Value() > 0:
		v.add(f.dot("MaxUnavailable"), "%v on a system pool: AKS allows maxUnavailable on user pools only", u)
	case !p.Spot && u.Value() == 0 && checkSurge(c.Surge(p)) == "" && c.Surge(p).Value() == 0:
		v.add(f.dot("MaxSurge"), "a surge of 0 with maxUnavailable 0 upgrades nothing: AKS requires a maxSurge above 0 when maxUnavailable is 0")
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
			v.add(f.dot(c.name), "negative count %d: want 0 or more", c.n)
		}
		if c.n > s.MaxNodesPerPool {
			v.add(f.dot(c.name), "%d nodes: AKS allows %d per node pool", c.n, s.MaxNodesPerPool) // [QUO]
		}
	}
	if p.Autoscaling() {
		switch {
		case p.MinCount > p.MaxCount:
			v.add(f.dot("MinCount"), "%d is above the autoscaler's max count %d", p.MinCount, p.MaxCount)
		case p.Count < p.MinCount || p.Count > p.MaxCount:
			v.add(f.dot("Count"), "%d is outside the autoscaler's %d–%d", p.Count, p.MinCount, p.MaxCount)
		}
	} else if p.MinCount > 0 {
		v.add(f.dot("MinCount"), "%d without a max count: set the autoscaler's max count to turn it on", p.MinCount)
	}
}

// checkBlockReserved rejects a static-block pod subnet whose reserved
// addresses take more whole blocks than it has usable: the check by
// addresses in checkSubnets passes it, and its capacity would go negative.
func (v *validator) checkBlockReserved(c *Cluster, s modes.Spec, subnets map[string]int) {
	bits := s.Pods.BlockBits
	if s.Pods.Source != modes.PodSubnet || s.Pods.Unit != modes.StaticBlock || bits < 8 || bits > 32 {
		return
	}
	seen := make(map[int]bool)
	for i := range c.Pools {
		k, ok := subnets[c.Pools[i].PodSubnet]
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		sn := &c.Subnets[k]
		addrs := 0
		v4 := ipv4(sn.Prefixes)
		for _, p := range v4 {
			if !p.IsValid() || p.Masked() != p || p.Bits() > bits {
				addrs = -1 // reported elsewhere, or holds no block
				break
			}
			addrs += int(modes.UsableAddresses(p))
		}
		if addrs < 0 || sn.Reserved <= 0 || sn.Reserved > addrs {
			continue
		}
		if usable, taken := subnetUsable(v4, bits, sn.Reserved); taken > usable {
			v.add(pathOf("Subnets").at(k).dot("Reserved"), "%d addresses used by others take %d whole /%d blocks, but %s has %d usable in blocks (the first and last block hold Azure's addresses): want at most %d", // [SBA]
				sn.Reserved, taken/(1<<(32-bits)), bits, prefixes.Join(v4, ", "), usable, usable)
		}
	}
}

// subnetNames lists the cluster's subnets for a message (namesOf).
func subnetNames(c *Cluster) string {
	if len(c.Subnets) == 0 {
		return "(the cluster has no subnets)"
	}
	return namesOf(len(c.Subnets), func(i int) string { return c.Subnets[i].Name }, "subnets")
}

// namesOf lists n names from the input, quoted, for a message: the first
// ten, then how many there are ("…, … (12 subnets)").
func namesOf(n int, name func(int) string, noun string) string {
	const listed = 10
	var b strings.Builder
	for i := range min(n, listed) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(name(i)))
	}
	if n > listed {
		b.WriteString(", … (" + strconv.Itoa(n) + " " + noun + ")")
	}
	return b.String()
}

// checkPoolName says what is wrong with a pool's name, "" when nothing:
// AKS takes lowercase letters and digits, a letter first, at most 12
// characters, 6 for a Windows pool [SYS].
func checkPoolName(name string, os modes.OS) string {
	most := 12
	if os == modes.Windows {
		most = 6
	}
	for i, r := range name {
		if !('a' <= r && r <= 'z' || i > 0 && '0' <= r && r <= '9') {
			return fmt.Sprintf("want lowercase letters and digits, a letter first, at most %d characters", most)
		}
	}
	if len(name) > most {
		return fmt.Sprintf("%d characters: want at most %d for a %v pool", len(name), most, os)
	}
	return ""
}

// reason is what a *modes.IncompatibleError says without its package, for
// the problem of the field that asked for what the mode lacks.
func reason(err error) string {
	var ie *modes.IncompatibleError
	if errors.As(err, &ie) {
		return ie.Reason()
	}
	return err.Error()
}
