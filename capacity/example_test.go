package capacity_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"gonum.org/v1/gonum/stat/distuv"
)

// A production cluster on Azure CNI Overlay: how far can each pool grow,
// and what stops it?
func ExampleAnalyze() {
	c := capacity.Cluster{
		Mode:     modes.AzureCNIOverlay,
		Subnets:  []capacity.Subnet{{Name: "aks-nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/22")}, Reserved: 12}},
		PodCIDRs: []netip.Prefix{netip.MustParsePrefix("10.244.0.0/17")},
		Pools: []capacity.Pool{
			{Name: "system", Count: 3},
			{Name: "user", Count: 20, MinCount: 10, MaxCount: 60, MaxSurge: capacity.SurgePercent(33)},
		},
	}
	r, err := capacity.Analyze(c)
	if err != nil {
		panic(err)
	}
	for _, s := range r.Spaces {
		fmt.Printf("%s: %d usable, %d taken at the autoscalers' max, %d free\n", s.Name, s.Usable, s.AtMax, s.Free)
	}
	for _, p := range r.Pools {
		fmt.Printf("%s: up to %d nodes (%v), %d with upgrade surge\n", p.Name, p.MaxNodes, p.Limit, p.MaxNodesWithSurge)
	}
	// Output:
	// aks-nodes: 1019 usable, 63 taken at the autoscalers' max, 944 free
	// pod-cidr: 32768 usable, 16128 taken at the autoscalers' max, 16640 free
	// system: up to 68 nodes (pod-cidr), 61 with upgrade surge
	// user: up to 125 nodes (pod-cidr), 93 with upgrade surge
}

// A dual-stack Overlay cluster: its nodes take an IPv4 and an IPv6 address
// from the subnet, its pods an IPv4 /24 and an IPv6 /80 per node. The IPv4
// spaces are counted as in a single-stack cluster; the IPv6 pod CIDR in
// per-node blocks. A /72 holds 2^(80−72) = 256 of them, fewer than the
// IPv4 pod CIDR's 512 /24s.
func ExampleAnalyze_dualStack() {
	c := capacity.Cluster{
		Mode:      modes.AzureCNIOverlay,
		DualStack: true,
		Subnets: []capacity.Subnet{{Name: "aks-nodes", Prefixes: []netip.Prefix{
			netip.MustParsePrefix("10.240.0.0/20"), netip.MustParsePrefix("fd00:10:240::/64")}}},
		PodCIDRs: []netip.Prefix{netip.MustParsePrefix("10.244.0.0/15"), netip.MustParsePrefix("fd12:3456:789a::/72")},
		Pools:    []capacity.Pool{{Name: "user", Count: 100, MinCount: 50, MaxCount: 300}},
	}
	r, err := capacity.Analyze(c)
	if err != nil {
		panic(err)
	}
	for _, s := range r.Spaces {
		fmt.Printf("%s: %d usable, %d free at the autoscaler's max\n", s.Name, s.Usable, s.Free)
	}
	v6 := r.PodCIDRIPv6
	fmt.Printf("IPv6 pod CIDR %v: %d /%d blocks, %d free at the autoscaler's max\n", v6.Prefix, v6.Blocks, v6.BlockBits, v6.Free)
	p := r.Pools[0]
	fmt.Printf("%s: up to %d nodes (%v)\n", p.Name, p.MaxNodes, p.Limit)
	// Output:
	// aks-nodes: 4091 usable, 3791 free at the autoscaler's max
	// pod-cidr: 131072 usable, 54272 free at the autoscaler's max
	// IPv6 pod CIDR fd12:3456:789a::/72: 256 /80 blocks, -44 free at the autoscaler's max
	// user: up to 256 nodes (pod-cidr-ipv6)
}

// Will AKS accept this cluster? Ten Azure CNI nodes at 30 pods in a /24:
// AKS counts 29 addresses a node (W8's 2018 message counted 31).
func ExamplePreflight() {
	c := capacity.Cluster{
		Mode:    modes.AzureCNI,
		Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/24")}}},
		Pools:   []capacity.Pool{{Name: "pool1", Count: 10}},
	}
	err := capacity.Preflight(c, capacity.Step{Op: capacity.OpCreate})
	var ae *capacity.AdmissionError
	if errors.As(err, &ae) {
		fmt.Println(err)
		fmt.Println("short by", ae.Required-ae.Available, "addresses")
	}
	c.Pools[0].Count = 8
	fmt.Println("8 nodes:", capacity.Preflight(c, capacity.Step{Op: capacity.OpCreate}))
	// Output:
	// InsufficientSubnetSize: Pre-allocated IPs 290 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes
	// short by 39 addresses
	// 8 nodes: <nil>
}

// AKS accepts what then fails: eight Azure CNI nodes at 30 pods count
// 8 × 29 = 232 of a /24's 251 at admission, but their scale set asks for
// 8 × 31 = 248 addresses while load balancers already hold 10.
func ExampleCheck() {
	c := capacity.Cluster{
		Mode:    modes.AzureCNI,
		Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/24")}, Reserved: 10}},
		Pools:   []capacity.Pool{{Name: "pool1", Count: 8}},
	}
	v, err := capacity.Check(c, capacity.Step{Op: capacity.OpCreate})
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Refusal == nil)
	fmt.Println(v.Failure)
	c.Pools[0].Count = 9
	v, _ = capacity.Check(c, capacity.Step{Op: capacity.OpCreate})
	fmt.Println(v)
	// Output:
	// true
	// SubnetIsFull: Subnet nodes with address prefix 10.240.0.0/24 does not have enough capacity for 248 IP addresses
	// refused by AKS: InsufficientSubnetSize: Pre-allocated IPs 261 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes
}

// What should the subnet be? W1: 50 Azure CNI nodes, 30 pods, surge 1.
func ExampleRecommend() {
	c := capacity.Cluster{
		Mode:    modes.AzureCNI,
		Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/24")}}},
		Pools:   []capacity.Pool{{Name: "pool1", Count: 50, MaxSurge: capacity.SurgeNodes(1)}},
	}
	r, err := capacity.Recommend(c)
	if err != nil {
		panic(err)
	}
	for _, s := range r.Spaces {
		fmt.Printf("%s needs %d addresses: a /%d\n", s.Name, s.Required, s.Bits)
	}
	// Output: nodes needs 1581 addresses: a /21
}

// Validate reports every problem at once, with AKS's code where it has one.
func ExampleCluster_Validate() {
	c := capacity.Cluster{
		Mode:         modes.Kubenet,
		Subnets:      []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}}},
		DNSServiceIP: netip.MustParseAddr("10.200.0.10"),
		Pools:        []capacity.Pool{{Name: "win", OS: modes.Windows, Count: 3}},
	}
	var ve *capacity.ValidationError
	if errors.As(c.Validate(), &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// ServiceCIDRs[0]: ServiceCidrOverlapExistingSubnetsCidr: service CIDR 10.0.0.0/16 overlaps subnet range 10.0.0.0/24
	// DNSServiceIP: DnsServiceIpOutOfServiceCidr: DNS service IP 10.200.0.10 is outside the service CIDR 10.0.0.0/16
	// Pools[0].OS: kubenet does not support Windows node pools: the mode has no Windows support; choose azure-cni, azure-cni-pod-subnet, azure-cni-static-block or azure-cni-overlay
}

// Surge as AKS spells it; a percentage rounds up.
func ExampleParseSurge() {
	s, _ := capacity.ParseSurge("33%")
	fmt.Println(s.Nodes(10), s.Nodes(3))
	// Output: 4 1
}

// Replay a scale-out and an upgrade through real allocators: where does the
// cluster hit SubnetIsFull?
func ExampleSimulate() {
	c := capacity.Cluster{
		Mode:    modes.Kubenet,
		Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/27")}}},
		Pools:   []capacity.Pool{{Name: "pool1", Count: 20, MaxSurge: capacity.SurgePercent(33)}},
		// Before 1.35, an upgrade whose surge does not fit fails.
		KubernetesVersion: "1.34.2",
	}
	sc := capacity.Scenario{Steps: []capacity.Step{
		{Op: capacity.OpScale, Pool: "pool1", Nodes: 22},
		{Op: capacity.OpUpgrade, Pool: "pool1"},
	}}
	tl, err := capacity.Simulate(context.Background(), c, sc)
	if err != nil {
		panic(err)
	}
	for _, s := range tl.Steps {
		fmt.Printf("%v: %d of 27 addresses used, peak %d\n", s.Op, s.Spaces[0].Used, s.Spaces[0].Peak)
	}
	fmt.Println(tl.Exhausted)
	// Output:
	// scale: 22 of 27 addresses used, peak 22
	// upgrade: 22 of 27 addresses used, peak 22
	// SubnetIsFull: Subnet nodes with address prefix 10.240.0.0/27 does not have enough capacity for 8 IP addresses
}

// Forecast a growing pool: where will it run out, and when?
func ExampleForecast() {
	c := capacity.Cluster{
		Mode:    modes.AzureCNIPodSubnet,
		Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/22")}}, {Name: "pods", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.8.0/21")}}},
		Pools:   []capacity.Pool{{Name: "apps", Count: 12, NodeSubnet: "nodes", PodSubnet: "pods"}},
	}
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	var history []capacity.Observation
	for week, nodes := range []int{4, 6, 7, 9, 10, 12} {
		history = append(history, capacity.Observation{Time: start.AddDate(0, 0, 7*week), Nodes: nodes})
	}
	f, err := capacity.Forecast(context.Background(), c, "apps", capacity.ForecastOptions{
		Trials:  500,
		Seed:    1,
		Pods:    func(src rand.Source) distuv.Rander { return distuv.Normal{Mu: 35, Sigma: 15, Src: src} },
		History: history,
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("runs out at %v nodes (90%% of trials reach %v, 99%% reach %v)\n", f.Nodes.P50, f.Nodes.P10, f.Nodes.P1)
	fmt.Printf("%s growing %.2f nodes a day: runs out %s (80%%: %s to %s)\n", f.Model, f.Growth,
		f.When.P50.Format(time.DateOnly), f.When.P10.Format(time.DateOnly), f.When.P90.Format(time.DateOnly))
	fmt.Printf("upgrade by %s (80%%: %s to %s)\n",
		f.UpgradeBy.P50.Format(time.DateOnly), f.UpgradeBy.P10.Format(time.DateOnly), f.UpgradeBy.P90.Format(time.DateOnly))
	fmt.Println(f.Limits)
	for _, w := range f.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// runs out at 40 nodes (90% of trials reach 37, 99% reach 36)
	// trend growing 0.22 nodes a day: runs out 2027-02-12 (80%: 2027-01-27 to 2027-03-01)
	// upgrade by 2027-01-25 (80%: 2027-01-10 to 2027-02-10)
	// map[pod-subnet:500]
	// warning: the date the pool runs out, P90 2027-03-01, lies 146 days after the last observation, more than 3× the history's span of 35 days: an extrapolation
	// warning: the last date an upgrade fits, P90 2027-02-10, lies 127 days after the last observation, more than 3× the history's span of 35 days: an extrapolation
}
