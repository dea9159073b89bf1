package capacity

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/ipcap/ipcap/internal/prefixes"
	"github.com/ipcap/ipcap/modes"
	"go4.org/netipx"
)

// Estate is a VNet and the AKS clusters in it. Clusters may share subnets:
// a pool's NodeSubnet or PodSubnet that is not one of its cluster's own
// Subnets names one of the Estate's. An estate subnet's Reserved counts
// what no cluster of the estate uses (load balancers, private endpoints,
// VMs).
//
// An estate is one VNet: one 65,536-address limit, one free space. Where
// the estate can tell that it is given two, it is invalid: a subnet
// outside the estate's VNet, a cluster whose own VNet is not the estate's
// (or, with no estate VNet, not another cluster's). Clusters are told
// apart by Name: two clusters may not have the same one.
type Estate struct {
	VNet     []netip.Prefix `json:"vnet"` // the VNet's address space; zero = the subnets' prefixes
	Subnets  []Subnet       `json:"subnets"`
	Clusters []Cluster      `json:"clusters"`
}

// EstateReport is what AnalyzeEstate finds.
type EstateReport struct {
	// Clusters[i] is Analyze of cluster i with every other cluster's use of
	// shared subnets and of the VNet counted, at their autoscaler max.
	Clusters []Report `json:"clusters"`
	// Spaces lists every subnet once, with all clusters' use: the
	// estate's subnets, then each cluster's own subnets. A subnet no pool
	// uses has the zero Kind.
	Spaces []Space `json:"spaces"`
	// Free is the VNet's IPv4 address space in no subnet, as the fewest
	// largest prefixes, in address order: where Place puts the next
	// subnet. IPv4 only: an IPv6 subnet is always a /64 of the VNet's IPv6
	// range, which never runs short.
	Free []netip.Prefix `json:"free"`
	// VNetAddresses counts the VNet's private addresses the clusters take
	// at their autoscaler max, others' included, toward Azure's 65,536
	// per VNet [NLIM].
	VNetAddresses int `json:"vnetAddresses"`
}

// clusterUse is what one cluster of an estate takes: per subnet name, its
// addresses now and at its autoscaler max, and its VNet addresses.
type clusterUse struct {
	now, at         map[string]int
	vnetNow, vnetAt int
	reserved        int // Reserved of its own subnets
	m               *model
}

// resolved returns cluster i with the estate subnets its pools name added
// to its Subnets and the estate's VNet where it has none.
func (e *Estate) resolved(i int) (Cluster, error) {
	c := e.Clusters[i]
	c.Subnets = append([]Subnet(nil), c.Subnets...)
	own := make(map[string]bool, len(c.Subnets))
	for _, sn := range c.Subnets {
		own[sn.Name] = true
	}
	for _, sn := range e.Subnets {
		if own[sn.Name] {
			return Cluster{}, fmt.Errorf("capacity: Clusters[%d].Subnets names %q, a subnet of the estate: name it in its pools only", i, sn.Name)
		}
	}
	for _, sn := range e.Subnets {
		for k := range c.Pools {
			p := &c.Pools[k]
			if p.NodeSubnet == sn.Name || p.PodSubnet == sn.Name {
				c.Subnets = append(c.Subnets, sn)
				break
			}
		}
	}
	if len(c.VNet) == 0 {
		c.VNet = e.vnet()
	}
	return c, nil
}

// uses resolves and measures every cluster; an invalid one is an error
// naming it.
func (e *Estate) uses() ([]clusterUse, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	out := make([]clusterUse, len(e.Clusters))
	for i := range e.Clusters {
		c, err := e.resolved(i)
		if err != nil {
			return nil, err
		}
		m, err := newModel(&c)
		if err != nil {
			return nil, &EstateError{Cluster: i, Name: c.Name, Err: err}
		}
		u := clusterUse{now: map[string]int{}, at: map[string]int{}, m: m}
		for k, sp := range m.spaces {
			if !sp.Source.IsPodRange() {
				u.now[sp.Name], u.at[sp.Name] = m.cons[k].now, m.cons[k].at
			}
		}
		for _, k := range m.cons {
			if k.limit == LimitVNet {
				u.vnetNow, u.vnetAt = k.now, k.at
			}
		}
		for _, sn := range e.Clusters[i].Subnets {
			u.reserved += sn.Reserved
		}
		out[i] = u
	}
	return out, nil
}

// EstateError is an invalid cluster of an estate.
type EstateError struct {
	Cluster int    // index in Estate.Clusters
	Name    string // its Name, if any
	Err     error
}

func (e *EstateError) Error() string {
	who := pathOf("Clusters").at(e.Cluster).String()
	if e.Name != "" {
		who += " (" + e.Name + ")"
	}
	return who + ": " + e.Err.Error()
}

func (e *EstateError) Unwrap() error { return e.Err }

// validate checks what no single cluster sees: cluster names, subnet names
// and prefixes across the estate, and that it is one VNet: every subnet
// inside the estate's VNet, and every cluster's own VNet the estate's (or,
// with none, the same as the others').
func (e *Estate) validate() error {
	var v validator
	clusters := map[string]int{} // by name in lower case: Azure's names ignore case
	for i, c := range e.Clusters {
		if c.Name == "" {
			continue
		}
		key := strings.ToLower(c.Name)
		if j, ok := clusters[key]; ok {
			v.add(pathOf("Clusters").at(i).dot("Name"), "%q names two clusters of the estate (%v %q too): want each cluster once, by a name of its own", c.Name, pathOf("Clusters").at(j), e.Clusters[j].Name)
			continue
		}
		clusters[key] = i
	}
	names := map[string]bool{}
	var spans []span
	var where []path
	add := func(f path, sn Subnet) {
		for j, p := range sn.Prefixes {
			if p.IsValid() {
				spans = append(spans, span{p: p.Masked(), target: true})
				where = append(where, f.dot("Prefixes").at(j))
			}
		}
	}
	for i, sn := range e.Subnets {
		if names[sn.Name] {
			v.add(pathOf("Subnets").at(i).dot("Name"), "%q names two subnets of the estate", sn.Name)
		}
		names[sn.Name] = true
		add(pathOf("Subnets").at(i), sn)
	}
	for i, c := range e.Clusters {
		for k, sn := range c.Subnets {
			add(pathOf("Clusters").at(i).dot("Subnets").at(k), sn)
		}
	}
	for i, j := range firstOverlaps(spans) {
		if j >= 0 {
			v.add(where[i], "%v overlaps %v (%v): the addresses would count twice", spans[i].p, spans[j].p, where[j])
		}
	}
	e.validateVNet(&v)
	return v.err()
}

// vnet returns the estate's VNet: its own, else the first a cluster gives
// (validateVNet holds the others to it), else none.
func (e *Estate) vnet() []netip.Prefix {
	if len(e.VNet) > 0 {
		return e.VNet
	}
	for _, c := range e.Clusters {
		if len(c.VNet) > 0 {
			return c.VNet
		}
	}
	return nil
}

// validateVNet checks that the estate is one VNet, where it can tell. Its
// VNet is the estate's, else the first that a cluster gives: a cluster
// that gives one gives the same address space, and every subnet, the
// estate's and the clusters' own, lies inside it.
func (e *Estate) validateVNet(v *validator) {
	vnet, of, whose := e.VNet, "the VNet", "the estate's VNet"
	for i, c := range e.Clusters {
		if len(c.VNet) == 0 {
			continue
		}
		if len(vnet) == 0 {
			vnet = c.VNet
			of = "the VNet of " + pathOf("Clusters").at(i).String()
			whose = of
			continue
		}
		if !sameSpace(c.VNet, vnet) {
			v.add(pathOf("Clusters").at(i).dot("VNet"), "%s is not %s %s: an estate is one VNet; leave the cluster's VNet empty or give the same", prefixes.Join(c.VNet, ", "), whose, prefixes.Join(vnet, ", "))
		}
	}
	if len(vnet) == 0 {
		return // the subnets' prefixes: nothing to tell them apart by
	}
	space := ipSet(vnet)
	outside := func(f path, sn Subnet) {
		for j, p := range sn.Prefixes {
			if p.IsValid() && !space.ContainsPrefix(p) {
				v.add(f.dot("Prefixes").at(j), "%v is outside %s %s", p, of, prefixes.Join(vnet, ", "))
			}
		}
	}
	for i, sn := range e.Subnets {
		outside(pathOf("Subnets").at(i), sn)
	}
	for i, c := range e.Clusters {
		for k, sn := range c.Subnets {
			outside(pathOf("Clusters").at(i).dot("Subnets").at(k), sn)
		}
	}
}

// ipSet is the addresses of ps; invalid prefixes add none.
func ipSet(ps []netip.Prefix) *netipx.IPSet {
	var b netipx.IPSetBuilder
	for _, p := range ps {
		if p.IsValid() {
			b.AddPrefix(p.Masked())
		}
	}
	s, _ := b.IPSet()
	return s
}

// sameSpace reports whether a and b hold the same addresses.
func sameSpace(a, b []netip.Prefix) bool {
	return ipSet(a).Equal(ipSet(b))
}

// cluster returns cluster i as it sees the estate: shared subnets resolved,
// the others' use of them in OtherClusters, and their VNet addresses and
// every Reserved outside i's subnets in OtherVNetAddresses; the others at
// their current Count, or at their autoscaler max.
func (e *Estate) cluster(i int, uses []clusterUse, atCount bool) (Cluster, error) {
	c, err := e.resolved(i)
	if err != nil {
		return Cluster{}, err
	}
	mine := make(map[string]bool, len(c.Subnets))
	for k := range c.Subnets {
		sn := &c.Subnets[k]
		mine[sn.Name] = true
		for j, u := range uses {
			if j == i {
				continue
			}
			if atCount {
				sn.OtherClusters += u.now[sn.Name]
			} else {
				sn.OtherClusters += u.at[sn.Name]
			}
		}
	}
	for j, u := range uses {
		if j == i {
			continue
		}
		c.OtherVNetAddresses += u.reserved
		if atCount {
			c.OtherVNetAddresses += u.vnetNow
		} else {
			c.OtherVNetAddresses += u.vnetAt
		}
	}
	for _, sn := range e.Subnets {
		if !mine[sn.Name] {
			c.OtherVNetAddresses += sn.Reserved
		}
	}
	return c, nil
}

// Cluster returns cluster i as it sees the estate, the others at their
// autoscaler max (Pool.AtMax): the basis Analyze and AKS plan on.
func (e Estate) Cluster(i int) (Cluster, error) {
	return e.view(i, false)
}

// ClusterAtCount returns cluster i as it sees the estate, the others at
// their current Count: what their nodes hold now, the basis of Check's
// failure and of Simulate.
func (e Estate) ClusterAtCount(i int) (Cluster, error) {
	return e.view(i, true)
}

func (e *Estate) view(i int, atCount bool) (Cluster, error) {
	if i < 0 || i >= len(e.Clusters) {
		return Cluster{}, fmt.Errorf("capacity: cluster %d: the estate has %d clusters", i, len(e.Clusters))
	}
	uses, err := e.uses()
	if err != nil {
		return Cluster{}, err
	}
	return e.cluster(i, uses, atCount)
}

// Check is Check of step s on cluster i, the others holding what they hold
// now.
func (e Estate) Check(i int, s Step) (*Verdict, error) {
	c, err := e.ClusterAtCount(i)
	if err != nil {
		return nil, err
	}
	return Check(c, s)
}

// Simulate is Simulate of sc on cluster i, the others holding what they
// hold now.
func (e Estate) Simulate(ctx context.Context, i int, sc Scenario) (*Timeline, error) {
	c, err := e.ClusterAtCount(i)
	if err != nil {
		return nil, err
	}
	return Simulate(ctx, c, sc)
}

// AnalyzeEstate analyses every cluster of e with the others' use of
// shared subnets and of the VNet counted, every subnet with all clusters'
// use, and the VNet's free space.
func AnalyzeEstate(e Estate) (*EstateReport, error) {
	uses, err := e.uses()
	if err != nil {
		return nil, err
	}
	r := &EstateReport{Clusters: make([]Report, len(e.Clusters))}
	for i := range e.Clusters {
		c, err := e.cluster(i, uses, false)
		if err != nil {
			return nil, err
		}
		rep, err := Analyze(c)
		if err != nil {
			return nil, &EstateError{Cluster: i, Name: c.Name, Err: err}
		}
		r.Clusters[i] = *rep
	}
	for _, sn := range e.Subnets {
		r.Spaces = append(r.Spaces, estateSpace(sn, uses))
		r.VNetAddresses += sn.Reserved
	}
	for i, c := range e.Clusters {
		for _, sn := range c.Subnets {
			r.Spaces = append(r.Spaces, estateSpace(sn, uses[i:i+1]))
		}
		r.VNetAddresses += uses[i].reserved + uses[i].vnetAt
	}
	r.Free = e.free()
	return r, nil
}

// estateSpace is subnet sn with the use of every cluster in uses.
func estateSpace(sn Subnet, uses []clusterUse) Space {
	sp := Space{Name: sn.Name, Reserved: sn.Reserved} // no Kind while no pool uses it
	var from *model
	for _, u := range uses {
		if _, ok := u.at[sn.Name]; !ok {
			continue
		}
		sp.Now += u.now[sn.Name]
		sp.AtMax += u.at[sn.Name]
		if from == nil {
			from = u.m
		}
	}
	blockBits := 0
	if from != nil {
		for k, s := range from.spaces {
			if s.Name == sn.Name {
				sp.Source, blockBits = s.Source, from.blockBits[k]
			}
		}
	}
	v4 := ipv4(sn.Prefixes)
	for _, p := range v4 {
		sp.Size += 1 << (32 - p.Bits())
	}
	usable, taken := subnetUsable(v4, blockBits, sn.Reserved)
	sp.Usable = usable
	sp.Free = usable - taken - sp.AtMax
	return sp
}

// free returns the VNet's IPv4 addresses in no subnet of the estate: where
// subnets are placed.
func (e *Estate) free() []netip.Prefix {
	var b netipx.IPSetBuilder
	for _, p := range ipv4(e.vnet()) {
		b.AddPrefix(p)
	}
	for _, sn := range e.Subnets {
		for _, p := range sn.Prefixes {
			b.RemovePrefix(p)
		}
	}
	for _, c := range e.Clusters {
		for _, sn := range c.Subnets {
			for _, p := range sn.Prefixes {
				b.RemovePrefix(p)
			}
		}
	}
	s, _ := b.IPSet()
	return s.Prefixes()
}

// ErrNoRoom is Place's answer when no free prefix of the size is left.
var ErrNoRoom = errors.New("capacity: no free prefix of that size in the VNet")

// Place returns the first free aligned prefix of bits in the VNet — in
// address order, in no subnet of the estate —, what `az network vnet
// subnet create --address-prefixes` wants, or ErrNoRoom. bits must lie in
// modes.MaxSubnetBits..modes.MinSubnetBits (/2../29).
func (e Estate) Place(bits int) (netip.Prefix, error) {
	if bits < modes.MaxSubnetBits || bits > modes.MinSubnetBits {
		return netip.Prefix{}, fmt.Errorf("capacity: Place(%d): want a prefix length in %d..%d, the subnet sizes Azure accepts", bits, modes.MaxSubnetBits, modes.MinSubnetBits)
	}
	return firstFree(e.free(), bits)
}

// firstFree returns the first prefix of bits inside the free prefixes.
func firstFree(free []netip.Prefix, bits int) (netip.Prefix, error) {
	for _, f := range free {
		if f.Addr().Is4() && f.Bits() <= bits {
			return netip.PrefixFrom(f.Addr(), bits), nil // a free prefix is aligned to its own size, so to any smaller
		}
	}
	return netip.Prefix{}, ErrNoRoom
}

// Recommend is Recommend of cluster i as it sees the estate (the others at
// their autoscaler max), with, for each subnet that must grow, the first
// free prefix of the recommended size in the VNet (SpaceSize.Place), or a
// note that none is left. Subnets placed for one cluster do not overlap
// each other.
func (e Estate) Recommend(i int) (*Recommendation, error) {
	c, err := e.Cluster(i)
	if err != nil {
		return nil, err
	}
	r, err := Recommend(c)
	if err != nil {
		return nil, err
	}
	free := e.free()
	current := map[string]int{}
	for _, sn := range c.Subnets {
		if v4 := ipv4(sn.Prefixes); len(v4) == 1 {
			current[sn.Name] = v4[0].Bits()
		}
	}
	for k := range r.Spaces {
		ss := &r.Spaces[k]
		if ss.Source.IsPodRange() {
			continue
		}
		if b, ok := current[ss.Name]; ok && b <= ss.Bits {
			continue // the subnet is large enough as it is
		}
		p, err := firstFree(free, ss.Bits)
		if err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("subnet %s: no free /%d left in the VNet %s", ss.Name, ss.Bits, prefixes.Join(e.vnet(), ", ")))
			continue
		}
		ss.Place = p
		var b netipx.IPSetBuilder
		for _, f := range free {
			b.AddPrefix(f)
		}
		b.RemovePrefix(p)
		s, _ := b.IPSet()
		free = s.Prefixes()
	}
	return r, nil
}
