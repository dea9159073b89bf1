package capacity_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// valid returns a small valid overlay cluster to break one field at a time.
func valid() capacity.Cluster {
	return capacity.Cluster{
		Mode:    modes.AzureCNIOverlay,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/22")},
		Pools:   []capacity.Pool{{Name: "system", Count: 3}, {Name: "user", Count: 2, MinCount: 1, MaxCount: 10}},
	}
}

func TestValidate(t *testing.T) {
	require.NoError(t, valid().Validate())
	checkProblems(t, valid, []problemCase{
		{"unknown mode", func(c *capacity.Cluster) { c.Mode = 0 }, "Mode", "", "unknown mode"},
		{"pod CIDR overlaps VNet", func(c *capacity.Cluster) { c.PodCIDRs = []netip.Prefix{pfx("10.240.2.0/23")} },
			"PodCIDRs[0]", "NetworkProfileCIDROverlapVNET", "NetworkProfile CIDR 10.240.2.0/23 overlaps with reserved VNET CIDR 10.240.0.0/22"},
		{"pod CIDR overlaps VNet space", func(c *capacity.Cluster) {
			c.VNet = []netip.Prefix{pfx("10.240.0.0/12")}
			c.PodCIDRs = []netip.Prefix{pfx("10.250.0.0/16")}
		}, "PodCIDRs[0]", "NetworkProfileCIDROverlapVNET", "overlaps with reserved VNET CIDR 10.240.0.0/12"},
		{"service CIDR overlaps subnet", func(c *capacity.Cluster) {
			c.ServiceCIDRs = []netip.Prefix{pfx("10.240.0.0/16")}
			c.DNSServiceIP = netip.MustParseAddr("10.240.0.10")
		}, "ServiceCIDRs[0]", "ServiceCidrOverlapExistingSubnetsCidr", "service CIDR 10.240.0.0/16 overlaps subnet range 10.240.0.0/22"},
		{"service CIDR overlaps pod CIDR", func(c *capacity.Cluster) {
			c.ServiceCIDRs = []netip.Prefix{pfx("10.244.0.0/24")}
			c.DNSServiceIP = netip.MustParseAddr("10.244.0.10")
		}, "ServiceCIDRs[0]", "", "overlaps the pods' range 10.244.0.0/16"},
		{"service CIDR too large", func(c *capacity.Cluster) {
			c.ServiceCIDRs = []netip.Prefix{pfx("100.64.0.0/10")}
			c.DNSServiceIP = netip.MustParseAddr("100.64.0.10")
		}, "ServiceCIDRs[0]", "", "smaller than /12"},
		{"DNS outside", func(c *capacity.Cluster) { c.DNSServiceIP = netip.MustParseAddr("10.200.0.10") },
			"DNSServiceIP", "DnsServiceIpOutOfServiceCidr", "DNS service IP 10.200.0.10 is outside the service CIDR 10.0.0.0/16"},
		// kubernetes.default takes the range's first address, .1 [IPP].
		{"DNS first address", func(c *capacity.Cluster) { c.DNSServiceIP = netip.MustParseAddr("10.0.0.1") },
			"DNSServiceIP", "", "10.0.0.1 is the first address of 10.0.0.0/16, which kubernetes.default uses"},
		{"DNS network address", func(c *capacity.Cluster) { c.DNSServiceIP = netip.MustParseAddr("10.0.0.0") },
			"DNSServiceIP", "", "10.0.0.0 is the network address of 10.0.0.0/16"},
		{"subnet outside the VNet", func(c *capacity.Cluster) { c.VNet = []netip.Prefix{pfx("10.250.0.0/16")} },
			"Subnets[0].Prefixes[0]", "", "is outside the VNet's address space"},
		{"reserved range", func(c *capacity.Cluster) { c.PodCIDRs = []netip.Prefix{pfx("172.16.0.0/12")} },
			"PodCIDRs[0]", "", "overlaps 172.30.0.0/16, which AKS reserves"},
		{"pod CIDR in a node-subnet mode", func(c *capacity.Cluster) { c.Mode = modes.AzureCNI; c.PodCIDRs = []netip.Prefix{pfx("10.244.0.0/16")} },
			"PodCIDRs", "", "10.244.0.0/16: Azure CNI (node subnet) takes pod addresses from VNet subnets; want none"},
		{"pod CIDR in a custom node-subnet mode", func(c *capacity.Cluster) {
			s := modes.AzureCNI.Spec()
			s.Name = "other-cni"
			c.Mode, c.Spec = 0, &s
			c.PodCIDRs = []netip.Prefix{pfx("10.244.0.0/16")}
		}, "PodCIDRs", "", "10.244.0.0/16: other-cni takes pod addresses from VNet subnets; want none"},
		{"pod CIDR smaller than a block", func(c *capacity.Cluster) { c.PodCIDRs = []netip.Prefix{pfx("10.244.0.0/25")} },
			"PodCIDRs[0]", "", "holds no /24 block"},
		{"maxPods low", func(c *capacity.Cluster) { c.Pools[0].MaxPods = 5 }, "Pools[0].MaxPods", "", "5 is outside 10–250"},
		{"maxPods high", func(c *capacity.Cluster) { c.Pools[1].MaxPods = 300 }, "Pools[1].MaxPods", "", "300 is outside 10–250"},
		{"30 pods per pool", func(c *capacity.Cluster) { c.Pools[0].MaxPods = 10; c.Pools[0].Count = 2 },
			"Pools[0].MaxPods", "", "2 nodes × 10 pods = 20: a pool must hold at least 30 pods"},
		{"windows on kubenet", func(c *capacity.Cluster) { c.Mode = modes.Kubenet; c.Pools[1].OS = modes.Windows },
			"Pools[1].OS", "", "kubenet does not support Windows node pools"},
		{"unknown subnet", func(c *capacity.Cluster) { c.Pools[1].NodeSubnet = "other" }, "Pools[1].NodeSubnet", "", `"other" is not one of the cluster's subnets`},
		{"ambiguous subnet", func(c *capacity.Cluster) { c.Subnets = append(c.Subnets, subnet("more", "10.240.8.0/24")) },
			"Pools[0].NodeSubnet", "", "empty, and the cluster has 2 subnets"},
		{"pod subnet missing", func(c *capacity.Cluster) { c.Mode = modes.AzureCNIPodSubnet }, "Pools[0].PodSubnet", "", "name one"},
		{"pod subnet in overlay", func(c *capacity.Cluster) { c.Pools[0].PodSubnet = "nodes" }, "Pools[0].PodSubnet", "", "has no pod subnet"},
		{"pod subnet is node subnet", func(c *capacity.Cluster) {
			c.Mode = modes.AzureCNIStaticBlock
			c.Pools[0].PodSubnet, c.Pools[1].PodSubnet = "nodes", "nodes"
		}, "Pools[0].PodSubnet", "", "also a node subnet"},
		{"subnet below /29", func(c *capacity.Cluster) { c.Subnets[0].Prefixes = []netip.Prefix{pfx("10.240.0.0/30")} },
			"Subnets[0].Prefixes[0]", "", "smaller than /29"},
		{"subnet not masked", func(c *capacity.Cluster) { c.Subnets[0].Prefixes = []netip.Prefix{pfx("10.240.0.7/22")} },
			"Subnets[0].Prefixes[0]", "", "want 10.240.0.0/22"},
		{"subnet IPv6 not a /64", func(c *capacity.Cluster) { c.Subnets[0].Prefixes = append(c.Subnets[0].Prefixes, pfx("fd00::/56")) },
			"Subnets[0].Prefixes[1]", "", "fd00::/56: an IPv6 subnet prefix is exactly a /64"},
		{"subnets overlap", func(c *capacity.Cluster) {
			c.Subnets = append(c.Subnets, subnet("b", "10.240.1.0/24"))
			c.Pools[0].NodeSubnet = "nodes"
			c.Pools[1].NodeSubnet = "b"
		},
			"Subnets[1].Prefixes[0]", "", `overlaps 10.240.0.0/22 of subnet "nodes"`},
		{"duplicate pools", func(c *capacity.Cluster) { c.Pools[1].Name = "system" }, "Pools[1].Name", "", `"system" names two pools`},
		{"duplicate subnets", func(c *capacity.Cluster) { c.Subnets = append(c.Subnets, subnet("nodes", "10.241.0.0/24")) },
			"Subnets[1].Name", "", `"nodes" names two subnets`},
		{"negative count", func(c *capacity.Cluster) { c.Pools[0].Count = -1 }, "Pools[0].Count", "", "negative count -1"},
		{"negative reserved", func(c *capacity.Cluster) { c.Subnets[0].Reserved = -4 }, "Subnets[0].Reserved", "", "negative"},
		{"count above max", func(c *capacity.Cluster) { c.Pools[1].Count = 11 }, "Pools[1].Count", "", "outside the autoscaler's 1–10"},
		{"min above max", func(c *capacity.Cluster) { c.Pools[1].MinCount = 12 }, "Pools[1].MinCount", "", "12 is above the autoscaler's max count 10"},
		{"pool too big", func(c *capacity.Cluster) { c.Pools[0].Count = 1001 }, "Pools[0].Count", "", "AKS allows 1000 per node pool"},
		{"no pools", func(c *capacity.Cluster) { c.Pools = nil }, "Pools", "", "at least one node pool"},
		{"policy", func(c *capacity.Cluster) { c.Policy = modes.PolicyCilium }, "Policy", "", "does not support network policy cilium"},
		{"pods per node", func(c *capacity.Cluster) { c.Pools[0].PodsPerNode = 251 }, "Pools[0].PodsPerNode", "", "outside 0–250"},
		// Overlaps within a list: each address must count once.
		{"duplicate prefix in a subnet", func(c *capacity.Cluster) { c.Subnets[0].Prefixes = append(c.Subnets[0].Prefixes, pfx("10.240.0.0/22")) },
			"Subnets[0].Prefixes[1]", "", "10.240.0.0/22 repeats Prefixes[0] of the same subnet"},
		{"nested prefixes in a subnet", func(c *capacity.Cluster) { c.Subnets[0].Prefixes = append(c.Subnets[0].Prefixes, pfx("10.240.1.0/24")) },
			"Subnets[0].Prefixes[1]", "", "10.240.1.0/24 overlaps 10.240.0.0/22, Prefixes[0] of the same subnet"},
		{"later subnet contains an earlier one", func(c *capacity.Cluster) {
			c.Subnets = append(c.Subnets, subnet("big", "10.240.0.0/16"))
			c.Pools[0].NodeSubnet, c.Pools[1].NodeSubnet = "nodes", "big"
		}, "Subnets[1].Prefixes[0]", "", `10.240.0.0/16 overlaps 10.240.0.0/22 of subnet "nodes" (Subnets[0].Prefixes[0])`},
		{"duplicate pod CIDR", func(c *capacity.Cluster) { c.PodCIDRs = []netip.Prefix{pfx("10.244.0.0/16"), pfx("10.244.0.0/16")} },
			"PodCIDRs[1]", "", "10.244.0.0/16 repeats PodCIDRs[0] 10.244.0.0/16"},
		{"nested pod CIDRs", func(c *capacity.Cluster) { c.PodCIDRs = []netip.Prefix{pfx("10.244.8.0/21"), pfx("10.244.0.0/16")} },
			"PodCIDRs[1]", "", "10.244.0.0/16 overlaps PodCIDRs[0] 10.244.8.0/21"},
		{"overlapping VNet ranges", func(c *capacity.Cluster) { c.VNet = []netip.Prefix{pfx("10.240.0.0/16"), pfx("10.240.0.0/20")} },
			"VNet[1]", "", "10.240.0.0/20 overlaps VNet[0] 10.240.0.0/16"},
		{"overlapping service CIDRs", func(c *capacity.Cluster) { c.ServiceCIDRs = []netip.Prefix{pfx("10.0.0.0/16"), pfx("10.0.0.0/24")} },
			"ServiceCIDRs[1]", "", "10.0.0.0/24 overlaps ServiceCIDRs[0] 10.0.0.0/16"},
		// Pool names as AKS takes them [SYS].
		{"pool name with a capital", func(c *capacity.Cluster) { c.Pools[0].Name = "System" }, "Pools[0].Name", "",
			`"System": want lowercase letters and digits, a letter first, at most 12 characters`},
		{"pool name with control characters", func(c *capacity.Cluster) { c.Pools[0].Name = "us\u202eer\a" }, "Pools[0].Name", "",
			`"us\u202eer\a": want lowercase letters and digits`},
		{"pool name of 13 characters", func(c *capacity.Cluster) { c.Pools[0].Name = "systempool123" }, "Pools[0].Name", "",
			`"systempool123": 13 characters: want at most 12 for a Linux pool`},
		{"Windows pool name of 7 characters", func(c *capacity.Cluster) { c.Pools[1].Name, c.Pools[1].OS = "windows", modes.Windows }, "Pools[1].Name", "",
			`"windows": 7 characters: want at most 6 for a Windows pool`},
		// A /22 has 1,024 − 5 = 1,019 usable addresses.
		{"reserved above usable", func(c *capacity.Cluster) { c.Subnets[0].Reserved = 1020 }, "Subnets[0].Reserved", "",
			"1020 addresses used by others exceed the 1019 usable in 10.240.0.0/22 (its size less Azure's 5 per prefix): want at most 1019"},
		// Two /16s hold 65,531 usable each, but 40,000 + 40,000 = 80,000
		// addresses exceed a VNet's 65,536-address limit.
		{"reserved above the VNet's 65,536-address limit", func(c *capacity.Cluster) {
			c.Subnets = []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{pfx("10.240.0.0/16")}, Reserved: 40000},
				{Name: "other", Prefixes: []netip.Prefix{pfx("10.241.0.0/16")}, Reserved: 40000}}
			c.Pools[0].NodeSubnet, c.Pools[1].NodeSubnet = "nodes", "nodes"
		}, "Subnets[1].Reserved", "", "40000 brings the addresses used by others in the cluster's subnets to 80000, above a VNet's limit of 65536 addresses"},
		{"reserved above the VNet's 65,536-address limit in one subnet", func(c *capacity.Cluster) {
			c.Subnets[0].Prefixes, c.Subnets[0].Reserved = []netip.Prefix{pfx("64.0.0.0/2")}, 1_000_000
		}, "Subnets[0].Reserved", "", "1000000 addresses used by others exceed a VNet's limit of 65536 addresses: want at most 65536"},
		// A static-block /24 holds 256 / 16 = 16 /28 blocks; the first and
		// last hold Azure's addresses: 14 × 16 = 224 usable. 230 reserved
		// addresses take ⌈230/16⌉ = 15 blocks.
		{"reserved above static blocks", func(c *capacity.Cluster) {
			c.Mode = modes.AzureCNIStaticBlock
			c.Subnets = append(c.Subnets, capacity.Subnet{Name: "pods", Prefixes: []netip.Prefix{pfx("10.241.0.0/24")}, Reserved: 230})
			c.Pools[0].NodeSubnet, c.Pools[1].NodeSubnet = "nodes", "nodes"
			c.Pools[0].PodSubnet, c.Pools[1].PodSubnet = "pods", "pods"
		}, "Subnets[1].Reserved", "", "230 addresses used by others take 15 whole /28 blocks, but 10.241.0.0/24 has 224 usable in blocks"},
		// Static block allocation needs Kubernetes 1.28 or later and a pod
		// subnet of at most a /12 [SBA, PSC].
		{"static block before Kubernetes 1.28", func(c *capacity.Cluster) { staticBlock(c, "10.241.0.0/16"); c.KubernetesVersion = "1.27.3" },
			"KubernetesVersion", "", "1.27.3: static block allocation needs Kubernetes 1.28 or later"},
		{"static-block pod subnet above a /12", func(c *capacity.Cluster) { staticBlock(c, "100.0.0.0/11") },
			"Subnets[1].Prefixes[0]", "", "100.0.0.0/11: a static-block pod subnet is at most a /12 (1,048,576 addresses)"},
	})
}

// staticBlock makes c a static-block cluster whose pools take pod
// addresses from a subnet "pods" of prefix pods.
func staticBlock(c *capacity.Cluster, pods string) {
	c.Mode = modes.AzureCNIStaticBlock
	c.Subnets = append(c.Subnets, subnet("pods", pods))
	for i := range c.Pools {
		c.Pools[i].NodeSubnet, c.Pools[i].PodSubnet = "nodes", "pods"
	}
}

// TestValidateStaticBlockLimits: static block allocation takes Kubernetes
// 1.28, or a version left unset, and a pod subnet of a /12 [SBA, PSC]; a
// /12 limit holds for pod subnets only, not for the node subnet.
func TestValidateStaticBlockLimits(t *testing.T) {
	for _, version := range []string{"1.28.0", "1.28", "v1.35.2", ""} {
		c := valid()
		staticBlock(&c, "10.241.0.0/16")
		c.KubernetesVersion = version
		assert.NoError(t, c.Validate(), "version %q", version)
	}
	c := valid()
	staticBlock(&c, "100.0.0.0/12")
	require.NoError(t, c.Validate())
	c.Subnets[0].Prefixes = []netip.Prefix{pfx("10.64.0.0/10")} // the node subnet may be larger
	require.NoError(t, c.Validate())
	c.Subnets[1].Prefixes = []netip.Prefix{pfx("100.0.0.0/12"), pfx("100.64.0.0/10")}
	var ve *capacity.ValidationError
	require.ErrorAs(t, c.Validate(), &ve)
	require.Len(t, ve.Problems, 1, "%v", ve)
	assert.Equal(t, "Subnets[1].Prefixes[1]", ve.Problems[0].Field)
	assert.Equal(t, "", ve.Problems[0].Code)
	// Only static block allocation has either limit.
	c = valid()
	c.KubernetesVersion = "1.27.3"
	require.NoError(t, c.Validate())
	staticBlock(&c, "100.0.0.0/10")
	c.Mode = modes.AzureCNIPodSubnet
	require.NoError(t, c.Validate())
}

// problemCase breaks one field of a valid cluster and names the problem
// Validate must report.
type problemCase struct {
	name   string
	change func(c *capacity.Cluster)
	field  string
	code   string
	msg    string
}

// checkProblems runs each case on a cluster from valid.
func checkProblems(t *testing.T, valid func() capacity.Cluster, cases []problemCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.change(&c)
			hasProblem(t, c.Validate(), tt.field, tt.code, tt.msg)
		})
	}
}

func TestValidateReportsAllAtOnce(t *testing.T) {
	c := valid()
	c.Pools[0].MaxPods = 5
	c.Pools[1].Name = "system"
	c.DNSServiceIP = netip.MustParseAddr("192.168.0.10")
	c.Subnets[0].Prefixes = []netip.Prefix{pfx("10.240.0.0/30")}
	err := c.Validate()
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"Subnets[0].Prefixes[0]", "DNSServiceIP", "Pools[0].MaxPods", "Pools[1].Name"}, ve.Fields(), "%v", err)
	assert.True(t, ve.HasCode(capacity.CodeDNSServiceIPOutOfServiceCIDR))
	_, err = capacity.Analyze(c)
	require.ErrorAs(t, err, &ve)
}

// FuzzAnalyze builds clusters from bytes: nothing may panic, and a cluster
// that validates must analyze, preflight and recommend without panicking.
func FuzzAnalyze(f *testing.F) {
	f.Add([]byte{5, 24, 3, 0, 30, 1, 22})
	f.Add([]byte{2, 22, 10, 9, 250, 2, 24, 1, 2, 3, 4, 5, 6})
	f.Add([]byte{9, 16, 200, 100, 0, 3, 20, 7, 7, 7})
	f.Add([]byte{5, 22, 10, 9, 100, 0, 16, 10, 5, 3, 1, 16, 1, 0, 0, 1, 64, 72}) // dual-stack Overlay, a /72 IPv6 pod CIDR
	f.Add([]byte{4, 22, 3, 0, 30, 1, 11, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 7})    // static blocks on a /11 pod subnet, Kubernetes 1.27.0
	f.Fuzz(func(t *testing.T, data []byte) {
		at := func(i int) int {
			if i < len(data) {
				return int(data[i])
			}
			return 0
		}
		c := capacity.Cluster{Mode: modes.Mode(at(0) % 12)}
		c.Subnets = []capacity.Subnet{
			{Name: "nodes", Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 240, 0, 0}), at(1)%33).Masked()}, Reserved: at(9) - 3},
			{Name: "pods", Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 250, 0, 0}), at(6)%33).Masked()}},
		}
		if at(10)%2 == 1 {
			c.PodCIDRs = []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, 0, 0}), at(11)%33).Masked()}
		}
		if at(15)%2 == 1 { // dual-stack, with IPv6 prefixes of any length
			c.DualStack = true
			c.Subnets[0].Prefixes = append(c.Subnets[0].Prefixes, netip.PrefixFrom(netip.MustParseAddr("fd00:1::"), at(16)%129).Masked())
			c.PodCIDRs = append(c.PodCIDRs, netip.PrefixFrom(netip.MustParseAddr("fd12:3456:789a::"), at(17)%129).Masked())
		}
		if v := at(18); v > 0 { // a Kubernetes version from 1.20.x to 1.35.x, or a malformed one
			c.KubernetesVersion = fmt.Sprintf("1.%d.%d", 20+v%16, v/16)
			if v == 255 {
				c.KubernetesVersion = "1.x"
			}
		}
		for i := 0; i < 1+at(5)%3; i++ {
			p := capacity.Pool{Name: string(rune('a' + i)), Count: at(2+i) * (1 + at(12)%8), MaxPods: at(4) + i, NodeSubnet: "nodes",
				MaxSurge: capacity.SurgePercent(at(7) % 101), PodsPerNode: at(8) % 40}
			if c.Mode.Spec().Pods.Source == modes.PodSubnet {
				p.PodSubnet = "pods"
			}
			if at(13)%2 == 1 {
				p.MinCount, p.MaxCount = 0, p.Count+at(14)
			}
			c.Pools = append(c.Pools, p)
		}
		err := c.Validate()
		r, aerr := capacity.Analyze(c)
		require.Equal(t, err == nil, aerr == nil, "Validate %v but Analyze %v", err, aerr)
		if aerr != nil {
			return
		}
		for _, p := range r.Pools {
			require.True(t, p.MaxNodes >= 0 && p.MaxNodesWithSurge <= p.MaxNodes, "pool %+v", p)
		}
		_, _ = capacity.Recommend(c)
		for _, op := range []capacity.Op{capacity.OpCreate, capacity.OpUpgrade, capacity.OpAddPool, capacity.OpChurn} {
			_ = capacity.Preflight(c, capacity.Step{Op: op, Pool: "a"})
		}
		_ = capacity.Preflight(c, capacity.Step{Op: capacity.OpScale, Pool: "a", Nodes: int(binary.LittleEndian.Uint16(append(data, 0, 0)))})
		_, err = capacity.Check(c, capacity.Step{Op: capacity.OpCreate})
		require.NoError(t, err)
	})
}

// TestValidateLimits: a usable count of reserved addresses is valid, one
// more is not; a static-block subnet may be reserved to its last whole
// block (14 blocks × 16 = 224).
func TestValidateLimits(t *testing.T) {
	c := valid()
	c.Subnets[0].Reserved = 1019
	require.NoError(t, c.Validate())
	c.Mode = modes.AzureCNIStaticBlock
	c.Subnets = append(c.Subnets, capacity.Subnet{Name: "pods", Prefixes: []netip.Prefix{pfx("10.241.0.0/24")}, Reserved: 224})
	c.Subnets[0].Reserved = 0
	c.Pools[0].NodeSubnet, c.Pools[1].NodeSubnet = "nodes", "nodes"
	c.Pools[0].PodSubnet, c.Pools[1].PodSubnet = "pods", "pods"
	require.NoError(t, c.Validate())
}

// TestDuplicatePrefixNotCountedTwice: a /22 listed twice once analyzed as
// 2 × 1,019 = 2,038 usable, and Preflight admitted 1,240 addresses into it.
func TestDuplicatePrefixNotCountedTwice(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 3, MaxPods: 30})
	c.Subnets[0].Prefixes = append(c.Subnets[0].Prefixes, pfx("10.240.0.0/22"))
	var ve *capacity.ValidationError
	_, err := capacity.Analyze(c)
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.HasField("Subnets[0].Prefixes[1]"), "%v", err)
	// 40 nodes × (1 + 30) = 1,240 addresses.
	require.ErrorAs(t, capacity.Preflight(c, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 40}), &ve)
}

// TestValidateManyOverlaps: 5,000 pools on 5,000 identical subnets. Each
// later subnet overlaps the first (4,999 problems) and 5,000 pools exceed
// AKS's 100 (1): 5,000 problems, of which MaxProblems are kept.
func TestValidateManyOverlaps(t *testing.T) {
	c := capacity.Cluster{Mode: modes.AzureCNIOverlay}
	for i := range 5000 {
		name := fmt.Sprintf("s%d", i)
		c.Subnets = append(c.Subnets, subnet(name, "10.240.0.0/22"))
		c.Pools = append(c.Pools, capacity.Pool{Name: fmt.Sprintf("p%d", i), Count: 3, NodeSubnet: name})
	}
	err := c.Validate()
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, capacity.MaxProblems)
	assert.Equal(t, 4900, ve.Omitted)
	msg := err.Error()
	assert.Less(t, len(msg), 64<<10)
	assert.True(t, strings.HasPrefix(msg, "capacity: invalid cluster (5,000 problems); "), msg[:80])
	assert.True(t, strings.HasSuffix(msg, "; … and 4,900 more problems"), msg[len(msg)-80:])
	assert.Equal(t, "Subnets[1].Prefixes[0]", ve.Problems[0].Field)
	assert.Contains(t, ve.Problems[0].Message, `of subnet "s0"`, "each names the first prefix it overlaps")
	assert.Contains(t, ve.Problems[99].Message, `of subnet "s0"`)
}

func TestValidationErrorText(t *testing.T) {
	c := valid()
	c.Pools[0].Count = -1
	err := c.Validate()
	require.Error(t, err)
	assert.Equal(t, "capacity: invalid cluster (1 problem); Pools[0].Count: negative count -1: want 0 or more", err.Error())
}

// TestValidationErrorCauses: the OS and policy checks keep the modes error,
// and HasField and HasCode ask one question each.
func TestValidationErrorCauses(t *testing.T) {
	c := valid()
	c.Mode = modes.Kubenet
	c.Pools[1].OS = modes.Windows
	c.Policy = modes.PolicyCilium
	c.DNSServiceIP = netip.MustParseAddr("10.200.0.10")
	err := c.Validate()
	var ie *modes.IncompatibleError
	require.ErrorAs(t, err, &ie)
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Unwrap(), 2, "policy and OS: %v", err)
	whats := []string{}
	for _, e := range ve.Unwrap() {
		require.ErrorAs(t, e, &ie)
		whats = append(whats, ie.What)
	}
	assert.ElementsMatch(t, []string{"network policy cilium", "Windows node pools"}, whats)

	assert.True(t, ve.HasField("Pools[1].OS"))
	assert.False(t, ve.HasCode("Pools[1].OS"))
	assert.True(t, ve.HasCode(capacity.CodeDNSServiceIPOutOfServiceCIDR))
	assert.False(t, ve.HasField(capacity.CodeDNSServiceIPOutOfServiceCIDR))
	assert.False(t, ve.HasCode(""), "a problem without a code has no code \"\"")
	assert.True(t, ve.HasField("Policy"), "the policy the mode does not support")

	b, err := json.Marshal(ve)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "Instead", "the cause stays out of the JSON")
	assert.NotContains(t, string(b), "omitted", "nothing omitted")
}

// FuzzValidateSubnets builds up to 255 subnets of up to 3 prefixes each,
// many nested or repeated, with pools on them. Validate must keep at most
// MaxProblems, reject every overlap and Reserved beyond the usable
// addresses, and a cluster it accepts must analyze with each subnet's
// usable addresses counted once.
func FuzzValidateSubnets(f *testing.F) {
	f.Add([]byte{3, 22, 0, 0, 22, 0, 0})
	f.Add([]byte{8, 16, 1, 0, 24, 1, 7, 24, 1, 7, 20, 2, 0, 28, 3, 3})
	f.Add([]byte{255, 8, 0, 0, 9, 0, 0, 10, 0, 0, 29, 200, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		at := func(i int) byte {
			if i < len(data) {
				return data[i]
			}
			return byte(i * 7)
		}
		c := capacity.Cluster{Mode: modes.AzureCNIOverlay, PodCIDRs: []netip.Prefix{pfx("100.64.0.0/16")},
			ServiceCIDRs: []netip.Prefix{pfx("100.65.0.0/16")}, DNSServiceIP: netip.MustParseAddr("100.65.0.10")}
		k := 1
		for i := range int(data[0]) {
			sn := capacity.Subnet{Name: fmt.Sprintf("s%d", i)}
			for range 1 + int(at(k))%3 {
				bits := 8 + int(at(k+1))%22 // /8../29
				a := netip.AddrFrom4([4]byte{10, at(k+2) % 16, at(k + 3), 0})
				sn.Prefixes = append(sn.Prefixes, netip.PrefixFrom(a, bits).Masked())
				k += 3
			}
			if at(k)%4 == 0 {
				sn.Reserved = int(at(k+1)) * int(at(k+1))
			}
			k += 2
			c.Subnets = append(c.Subnets, sn)
			c.Pools = append(c.Pools, capacity.Pool{Name: fmt.Sprintf("p%d", i), Count: 3, NodeSubnet: sn.Name})
		}
		err := c.Validate()
		var ve *capacity.ValidationError
		if err != nil {
			require.ErrorAs(t, err, &ve)
			require.LessOrEqual(t, len(ve.Problems), capacity.MaxProblems)
			require.Less(t, len(err.Error()), 64<<10)
		}
		overlap, over := false, false
		var all []netip.Prefix
		for _, sn := range c.Subnets {
			usable := 0
			for _, p := range sn.Prefixes {
				for _, q := range all {
					overlap = overlap || p.Overlaps(q)
				}
				all = append(all, p)
				usable += int(modes.UsableAddresses(p))
			}
			over = over || sn.Reserved > usable
		}
		if overlap || over {
			require.Error(t, err, "overlap %v, reserved over usable %v", overlap, over)
			return
		}
		if err != nil {
			return
		}
		r, err := capacity.Analyze(c)
		require.NoError(t, err)
		for i, sn := range c.Subnets {
			usable := 0
			for _, p := range sn.Prefixes {
				usable += int(modes.UsableAddresses(p))
			}
			require.Equal(t, usable, r.Spaces[i].Usable, sn.Name)
		}
	})
}

// A bring-your-own CNI's pool is its own range, not AKS's pod CIDR [BYO].
func TestCNIPool(t *testing.T) {
	cilium := oneSubnet(modes.BYOCNICilium, "10.240.0.0/24", capacity.Pool{Count: 3})
	// Cilium's default cluster-pool 10.0.0.0/8 holds AKS's default service
	// range 10.0.0.0/16.
	var ve *capacity.ValidationError
	require.ErrorAs(t, cilium.Validate(), &ve)
	assert.True(t, ve.HasField("ServiceCIDRs[0]"), "%v", ve)
	assert.Contains(t, ve.Error(), "service CIDR 10.0.0.0/16 overlaps the pods' range 10.0.0.0/8")

	// AKS's pod CIDR is kept as given; the pool is the CNI's.
	cilium.PodCIDRs = []netipPrefix{pfx("10.244.0.0/16")}
	cilium.CNIPool = []netipPrefix{pfx("100.64.0.0/20")}
	r, err := capacity.Analyze(cilium)
	require.NoError(t, err)
	pool, ok := r.Space(capacity.CNIPoolSpace)
	require.True(t, ok)
	assert.Equal(t, [3]any{modes.CNIPool, 4096, 16}, [3]any{pool.Source, pool.Usable, r.Pools[0].MaxNodes}, "16 /24s; the limit is the pool's")
	assert.Equal(t, capacity.LimitCNIPool, r.Pools[0].Limit)

	// Calico's default: 192.168.0.0/16 in /26 blocks.
	calico := oneSubnet(modes.BYOCNICalico, "10.240.0.0/24", capacity.Pool{Count: 3})
	r, err = capacity.Analyze(calico)
	require.NoError(t, err)
	pool, _ = r.Space(capacity.CNIPoolSpace)
	assert.Equal(t, 65536, pool.Size)

	// A CNI pool belongs to bring-your-own CNI only.
	overlay := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/24", capacity.Pool{Count: 3})
	overlay.CNIPool = []netipPrefix{pfx("100.64.0.0/16")}
	require.ErrorAs(t, overlay.Validate(), &ve)
	assert.True(t, ve.HasField("CNIPool"), "%v", ve)
	// And it stays out of the VNet.
	calico.VNet = []netipPrefix{pfx("192.168.0.0/16")}
	calico.Subnets[0].Prefixes = []netipPrefix{pfx("192.168.0.0/24")}
	require.ErrorAs(t, calico.Validate(), &ve)
	assert.True(t, ve.HasField("CNIPool[0]"), "%v", ve)
}

// Every entry point returns Validate's *ValidationError itself, not
// wrapped: Sources.Explain relies on it to tell the problems in the
// input's words.
func TestValidationErrorsUnwrapped(t *testing.T) {
	c := valid()
	c.Pools[0].MaxPods = 300
	ctx := context.Background()
	_, err1 := capacity.Analyze(c)
	_, err2 := capacity.Check(c, capacity.Step{Op: capacity.OpCreate})
	_, err3 := capacity.Recommend(c)
	_, err4 := capacity.Simulate(ctx, c, capacity.ScaleOut("user", 20))
	_, err5 := capacity.Forecast(ctx, c, "user", capacity.ForecastOptions{Trials: 1})
	for i, err := range []error{c.Validate(), err1, err2, err3, err4, err5} {
		_, ok := err.(*capacity.ValidationError)
		assert.True(t, ok, "entry point %d returned %T: %v", i, err, err)
	}
}
