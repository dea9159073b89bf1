package capacity

import (
	"math/bits"
	"net/netip"
	"slices"

	"github.com/ipcap/ipcap/modes"
)

// CodeSingleStackSubnet is the resource provider's answer to a dual-stack
// cluster on a subnet without an IPv6 prefix [ADM].
const CodeSingleStackSubnet = "SingleStackVnetSubnetWithDualStackCluster"

// withDefaults returns given with def4 added when given holds no IPv4
// range (and def4 is valid), and def6 when v6 is set and given holds no
// IPv6 range.
func withDefaults(given []netip.Prefix, def4 netip.Prefix, v6 bool, def6 netip.Prefix) []netip.Prefix {
	add4 := def4.IsValid() && !slices.ContainsFunc(given, isIPv4)
	add6 := v6 && !slices.ContainsFunc(given, isIPv6)
	if !add4 && !add6 {
		return given
	}
	out := slices.Clip(given)
	if add4 {
		out = append(out, def4)
	}
	if add6 {
		out = append(out, def6)
	}
	return out
}

func isIPv4(p netip.Prefix) bool { return p.Addr().Is4() }
func isIPv6(p netip.Prefix) bool { return p.Addr().Is6() }

// ipv4 returns the IPv4 prefixes of ps: ps itself when it holds no other.
// ipcap counts IPv4 addresses; an IPv6 range is counted in what a node
// takes of it (an address, a per-node block), never in addresses.
func ipv4(ps []netip.Prefix) []netip.Prefix {
	if !slices.ContainsFunc(ps, isIPv6) {
		return ps
	}
	var out []netip.Prefix
	for _, p := range ps {
		if isIPv4(p) {
			out = append(out, p)
		}
	}
	return out
}

// firstIPv6 returns the first IPv6 prefix of ps, or the zero Prefix.
func firstIPv6(ps []netip.Prefix) netip.Prefix {
	if i := slices.IndexFunc(ps, isIPv6); i >= 0 {
		return ps[i]
	}
	return netip.Prefix{}
}

// routesPerNode returns the routes a node takes in the cluster's route
// table: one per IP family [KUB, KDS].
func (c *Cluster) routesPerNode(s modes.Spec) int {
	if c.DualStack {
		return 2 * s.RoutesPerNode
	}
	return s.RoutesPerNode
}

// checkDualStack checks the families of the pod and service ranges (one of
// each family; none IPv6 in a single-stack cluster) and what a dual-stack
// cluster needs. AKS runs dual-stack on
// Azure CNI Overlay, and on Cilium Overlay from Kubernetes 1.29, without
// Azure or Calico network policy [DS, OVH, CIL]; each node takes an IPv4
// and an IPv6 address from its subnet, so the subnet needs an IPv6 /64
// [OVH, VNF].
func (v *validator) checkDualStack(c *Cluster, s modes.Spec, subnets map[string]int) {
	lists := [...]struct {
		name string
		ps   []netip.Prefix
	}{{"PodCIDRs", c.PodCIDRs}, {"ServiceCIDRs", c.ServiceCIDRs}, {"CNIPool", c.CNIPool}}
	// AKS's networkProfile takes one pod CIDR and one service CIDR of each
	// family [DS, OVH]; a CNI's own pool (Calico IP pools) may have more.
	for _, l := range lists[:2] {
		var first [2]int // per family (IPv4, IPv6): the index of its range, plus one
		for i, p := range l.ps {
			if !p.IsValid() {
				continue
			}
			fam, name := 0, "IPv4"
			if isIPv6(p) {
				fam, name = 1, "IPv6"
			}
			if j := first[fam] - 1; j >= 0 {
				v.add(pathOf(l.name).at(i), "%v is a second %s range after %s[%d] %v: AKS takes one of each family", p, name, l.name, j, l.ps[j])
				continue
			}
			first[fam] = i + 1
		}
	}
	if !c.DualStack {
		for _, l := range lists {
			for i, p := range l.ps {
				if p.IsValid() && isIPv6(p) {
					v.add(pathOf(l.name).at(i), "%v is an IPv6 range in a single-stack cluster: make the cluster dual-stack (IPv4 and IPv6) or leave it out", p)
				}
			}
		}
		return
	}
	if !s.DualStack {
		v.add(pathOf("DualStack"), "%s does not run dual-stack; AKS runs it on Azure CNI Overlay and on Azure CNI Powered by Cilium (Overlay)", s.Name)
		return
	}
	if minor, ok := kubernetesMinor(c.KubernetesVersion); ok && minor < 29 && s.Dataplane == modes.DataplaneCilium {
		v.add(pathOf("KubernetesVersion"), "%s: dual-stack with the Cilium dataplane needs Kubernetes 1.29 or later", c.KubernetesVersion)
	}
	if c.Policy == modes.PolicyAzure || c.Policy == modes.PolicyCalico {
		v.add(pathOf("Policy"), "%v: a dual-stack cluster supports no Azure or Calico network policy", c.Policy)
	}
	reported := make(map[int]bool)
	for i := range c.Pools {
		k, ok := subnets[c.nodeSubnet(&c.Pools[i])]
		if !ok || reported[k] {
			continue
		}
		reported[k] = true
		if sn := &c.Subnets[k]; !slices.ContainsFunc(sn.Prefixes, isIPv6) {
			v.addCode(pathOf("Subnets").at(k).dot("Prefixes"), CodeSingleStackSubnet,
				"subnet %q (%s) has no IPv6 prefix: the nodes of a dual-stack cluster take an IPv4 and an IPv6 address from it; add a /64", sn.Name, joinPrefixes(sn.Prefixes))
		}
	}
}

// checkBlocksIPv6 checks an IPv6 pod CIDR p against the per-node block of
// prefix length block: it must hold one, and ipcap counts at most
// modes.MaxBlocksIPv6.
func (v *validator) checkBlocksIPv6(f path, p netip.Prefix, block int) {
	most := bits.Len64(modes.MaxBlocksIPv6) - 1 // log2 of the most blocks ipcap counts
	switch {
	case p.Bits() > block:
		v.add(f, "%v holds no /%d block: a dual-stack node takes one", p, block)
	case block-p.Bits() > most:
		v.add(f, "%v holds 2^%d per-node /%d blocks, more than the 2^%d ipcap counts: want a /%d or longer", p, block-p.Bits(), block, most, block-most)
	}
}
