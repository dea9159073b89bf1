// Command compare runs one workload (nodes, pods per node, a VNet) across
// every AKS networking mode: which fit, what each takes from the VNet, the
// subnets and pod CIDR each needs, and what each cannot do.
//
//	go run ./examples/compare
//	go run ./examples/compare -nodes 1200 -pods 50 -vnet 10.240.0.0/16 -windows -policy calico
//	go run ./examples/compare -cluster aks.json -network vnet.json   # your cluster's workload
package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/modes"
)

func main() { input.Main("compare", run) }

// workload is what the user wants to run.
type workload struct {
	nodes, pods int
	vnet        netip.Prefix
	windows     bool
	dualStack   bool
	policy      modes.Policy
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var w workload
	fs.IntVar(&w.nodes, "nodes", 500, "nodes the cluster must reach (plus each pool's 10% upgrade surge)")
	fs.IntVar(&w.pods, "pods", 30, "pods per node")
	vnet := fs.String("vnet", "10.240.0.0/16", "the VNet's address space")
	fs.BoolVar(&w.windows, "windows", false, "the workload needs Windows node pools")
	fs.BoolVar(&w.dualStack, "dual-stack", false, "the workload needs IPv4/IPv6 dual-stack")
	policy := fs.String("policy", "", "network policy engine: azure, calico or cilium")
	clusterPath := fs.String("cluster", "", "take the workload from `az aks show -o json` output: its nodes at their autoscaler max, its largest maxPods, its VNet, Windows pools and policy")
	var networks input.Files
	fs.Var(&networks, "network", "VNet, subnet or list-usage JSON for -cluster (repeatable)")
	if err := fs.Parse(args); err != nil {
		return input.BadUsage(err)
	}
	if fs.NArg() > 0 {
		return input.Usagef("unexpected argument %q", fs.Arg(0))
	}
	if len(networks) > 0 && *clusterPath == "" {
		return input.Usagef("-network %s: network documents describe a -cluster file's subnets; give -cluster too", networks[0])
	}
	var err error
	if w.vnet, err = netip.ParsePrefix(*vnet); err != nil || !usableVNet(w.vnet) {
		return input.Usagef("-vnet %q: want an IPv4 prefix of /28 or larger", *vnet)
	}
	w.vnet = w.vnet.Masked()
	if w.policy, err = modes.ParsePolicy(*policy); err != nil {
		return input.Usagef("-policy %q: want azure, calico or cilium", *policy)
	}
	if w.nodes < 1 || w.nodes > modes.MaxNodesPerCluster {
		return input.Usagef("-nodes %d: want 1 to %d", w.nodes, modes.MaxNodesPerCluster)
	}
	if w.pods < 1 || w.pods > 250 {
		return input.Usagef("-pods %d: want 1 to 250", w.pods)
	}
	if *clusterPath != "" {
		c, err := input.Load(*clusterPath, networks)
		if err != nil {
			return input.BadUsage(err)
		}
		w = fromCluster(c, w)
		// The cluster's own figures, which the flags' checks did not see.
		switch {
		case w.nodes < 1 || w.nodes > modes.MaxNodesPerCluster:
			return input.Usagef("%s: its pools commit %s: want 1 to %d", *clusterPath, input.Count(w.nodes, "node", "nodes"), modes.MaxNodesPerCluster)
		case w.pods < 1 || w.pods > 250:
			return input.Usagef("%s: its largest maxPods is %d: want 1 to 250", *clusterPath, w.pods)
		case !usableVNet(w.vnet):
			return input.Usagef("%s: its address space %v is smaller than a /28", *clusterPath, w.vnet)
		}
		w.vnet = w.vnet.Masked()
		fmt.Fprintf(stdout, "cluster: %s (%v)\n", *clusterPath, c.Mode)
	}
	fmt.Fprintf(stdout, "workload: %s × %s in VNet %v", input.Count(w.nodes, "node", "nodes"), input.Count(w.pods, "pod", "pods"), w.vnet)
	if w.windows {
		fmt.Fprint(stdout, ", Windows")
	}
	if w.dualStack {
		fmt.Fprint(stdout, ", dual-stack")
	}
	if w.policy != modes.PolicyNone {
		fmt.Fprintf(stdout, ", network policy %v", w.policy)
	}
	fmt.Fprintln(stdout)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "mode\tfits\tVNet IPs\tnode subnet\tpod subnet\tpod CIDR/CNI pool\twhy not")
	for _, m := range modes.All() {
		r := compare(m, w)
		fits := "yes"
		if len(r.why) > 0 {
			fits = "no"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", m, fits, r.vnetIPs, r.nodeSubnet, r.podSubnet, r.podCIDR, strings.Join(r.why, "; "))
	}
	return tw.Flush()
}

// usableVNet reports whether p can hold the layout: IPv4, /28 or larger.
func usableVNet(p netip.Prefix) bool { return p.IsValid() && p.Addr().Is4() && p.Bits() <= 28 }

type result struct {
	vnetIPs                        int
	nodeSubnet, podSubnet, podCIDR string
	why                            []string
}

// compare sizes the workload in mode m: it lays the workload out as pools
// of at most 1,000 nodes on a node subnet (and a pod subnet) carved from
// the VNet, asks capacity.Recommend for the smallest prefixes, and checks
// they fit the VNet and AKS's limits.
func compare(m modes.Mode, w workload) result {
	s := m.Spec()
	var r result
	r.nodeSubnet, r.podSubnet, r.podCIDR = "-", "-", "-"
	if w.windows && !s.Windows {
		r.why = append(r.why, "no Windows")
	}
	if w.dualStack && !s.DualStack {
		r.why = append(r.why, "no dual-stack")
	}
	if !s.SupportsPolicy(w.policy) {
		r.why = append(r.why, "no "+w.policy.String()+" policy")
	}
	c := layout(m, w)
	rec, err := capacity.Recommend(c)
	if err != nil {
		r.why = append(r.why, err.Error())
		return r
	}
	rep, err := capacity.Analyze(c)
	if err != nil {
		r.why = append(r.why, err.Error())
		return r
	}
	for _, p := range rep.Pools {
		r.vnetIPs += p.AtMax * p.PerNode.VNetIPs
	}
	vnetSize := 1 << (32 - w.vnet.Bits())
	used := 0
	for _, sp := range rec.Spaces {
		size := fmt.Sprintf("/%d", sp.Bits)
		switch sp.Source {
		case modes.NodeSubnet:
			r.nodeSubnet = size
			used += 1 << (32 - sp.Bits)
		case modes.PodSubnet:
			r.podSubnet = size
			used += 1 << (32 - sp.Bits)
		case modes.PodCIDR, modes.CNIPool:
			r.podCIDR = size // the column is the pod range outside the VNet: AKS's pod CIDR or the CNI's pool
		}
	}
	if used > vnetSize {
		r.why = append(r.why, fmt.Sprintf("subnets need %d addresses, the VNet has %d", used, vnetSize))
	}
	r.why = append(r.why, rec.Notes...)
	return r
}

// layout builds the workload as a cluster in mode m: pools of at most 909
// nodes, so that each upgrades with a 10% surge within AKS's 1,000 per pool, the node subnet on the VNet's first half and a pod
// subnet on its second, a service range clear of the VNet.
func layout(m modes.Mode, w workload) capacity.Cluster {
	s := m.Spec()
	half := netip.PrefixFrom(w.vnet.Addr(), w.vnet.Bits()+1)
	second := netip.PrefixFrom(lastHalf(w.vnet), w.vnet.Bits()+1)
	c := capacity.Cluster{Mode: m, VNet: []netip.Prefix{w.vnet},
		Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{half}}}}
	svc := netip.MustParsePrefix("10.0.0.0/16")
	if svc.Overlaps(w.vnet) {
		svc = netip.MustParsePrefix("172.16.0.0/16")
	}
	dns := svc.Addr().As4()
	dns[3] = 10 // the ".10" address the docs recommend [KUB]
	c.ServiceCIDRs, c.DNSServiceIP = []netip.Prefix{svc}, netip.AddrFrom4(dns)
	if s.Pods.Source == modes.PodSubnet {
		c.Subnets = append(c.Subnets, capacity.Subnet{Name: "pods", Prefixes: []netip.Prefix{second}})
	}
	switch wide := []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10")}; s.Pods.Source {
	case modes.PodCIDR:
		c.PodCIDRs = wide
	case modes.CNIPool:
		c.CNIPool = wide
	}
	maxPods := max(w.pods, s.MaxPods.Min)
	surge := capacity.SurgePercent(10)
	perPool := modes.MaxNodesPerPool // the largest pool that upgrades within the per-pool limit
	for perPool+surge.Nodes(perPool) > modes.MaxNodesPerPool {
		perPool--
	}
	pools := (w.nodes + perPool - 1) / perPool
	for i := range pools {
		n := w.nodes / pools
		if i < w.nodes%pools {
			n++
		}
		p := capacity.Pool{Name: fmt.Sprintf("pool%d", i+1), Count: n, MaxPods: maxPods, PodsPerNode: w.pods,
			NodeSubnet: "nodes", MaxSurge: surge}
		if s.Pods.Source == modes.PodSubnet {
			p.PodSubnet = "pods"
		}
		c.Pools = append(c.Pools, p)
	}
	return c
}

// fromCluster takes the workload of cluster c: its pools' nodes at their autoscaler max,
// the largest maxPods in force, its VNet (else its first subnet), whether
// it runs Windows, and its policy engine. Fields c does not say keep w's.
func fromCluster(c capacity.Cluster, w workload) workload {
	s := c.Mode.Spec()
	w.nodes, w.pods = 0, 0
	for _, p := range c.Pools {
		w.nodes += p.AtMax()
		mp := p.MaxPods
		if mp == 0 {
			mp = s.MaxPods.Default
		}
		w.pods = max(w.pods, mp)
		w.windows = w.windows || p.OS == modes.Windows
	}
	switch {
	case len(c.VNet) > 0:
		w.vnet = c.VNet[0]
	case len(c.Subnets) > 0 && len(c.Subnets[0].Prefixes) > 0:
		w.vnet = c.Subnets[0].Prefixes[0]
	}
	w.policy = c.Policy
	return w
}

// lastHalf returns the first address of the second half of p.
func lastHalf(p netip.Prefix) netip.Addr {
	b := p.Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += 1 << (31 - p.Bits())
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
