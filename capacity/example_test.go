package capacity_test

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
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
		fmt.Printf("%s: %d usable, %d committed at autoscaler max, %d free\n", s.Name, s.Usable, s.CommittedMax, s.Free)
	}
	for _, p := range r.Pools {
		fmt.Printf("%s: up to %d nodes (%v), %d with upgrade surge\n", p.Name, p.MaxNodes, p.Limit, p.MaxNodesWithSurge)
	}
	// Output:
	// aks-nodes: 1019 usable, 63 committed at autoscaler max, 944 free
	// podCIDR: 32768 usable, 16128 committed at autoscaler max, 16640 free
	// system: up to 68 nodes (pod-cidr), 61 with upgrade surge
	// user: up to 125 nodes (pod-cidr), 93 with upgrade surge
}

// Will AKS accept this cluster? W8: ten Azure CNI nodes at 30 pods in a /24.
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
	// InsufficientSubnetSize: Pre-allocated IPs 310 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes
	// short by 59 addresses
	// 8 nodes: <nil>
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
	// DNSServiceIP: DnsServiceIpOutOfServiceCidr: DNS service IP 10.200.0.10 is outside the service CIDR [10.0.0.0/16]
	// Pools[0].OS: modes: kubenet does not support Windows node pools: the mode has no Windows support [KUB, CNI]; choose azure-cni, azure-cni-pod-subnet, azure-cni-static-block, azure-cni-overlay
}

// Surge as AKS spells it; a percentage rounds up.
func ExampleParseSurge() {
	s, _ := capacity.ParseSurge("33%")
	fmt.Println(s.Nodes(10), s.Nodes(3))
	// Output: 4 1
}
