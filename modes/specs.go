package modes

import "net/netip"

// defaultPodCIDR is AKS's pod CIDR when none is given [KUB, OVH].
var defaultPodCIDR = netip.MustParsePrefix("10.244.0.0/16")

// Spec returns the mode's rules as data. The zero or an unknown Mode
// returns the zero Spec.
func (m Mode) Spec() Spec {
	s := Spec{
		Mode:            m,
		NodeIPs:         NodeSubnet,
		MinPodsPerPool:  MinPodsPerPool,
		MaxNodes:        MaxNodesPerCluster,
		MaxNodesPerPool: MaxNodesPerPool,
		Dataplane:       DataplaneAzure,
	}
	// maxPods: minimum 10 and maximum 250 in every mode [IPP, QUO].
	podSubnetPods := Range{10, 110, 250} // IPP (2026) says 110; DYN (2024) said 250 (U3)
	dynamic := PodAllocation{Source: PodSubnet, Unit: Batch, BatchSize: 16, RequestThreshold: 0.5, ReleaseThreshold: 1.5}
	nodeBlock := PodAllocation{Source: PodCIDR, Unit: NodeBlock, BlockBits: 24, BlockBitsIPv6: 80}
	cilium := []string{
		"Linux node pools only",
		"no kube-proxy; Cilium replaces it",
		"Cilium L7 policy and Hubble are not enabled by AKS's managed Cilium",
		"Services with internalTrafficPolicy=Local are not supported",
		"Services cannot share a host port across protocols",
		"policy may apply to reply packets of a pod reaching itself through its service IP",
		"Cilium identities are limited to 65,535",
	}
	switch m {
	case Kubenet:
		s.Name = "kubenet"
		s.Pods = nodeBlock
		s.MaxPods = Range{10, 110, 250}
		s.MaxRoutes, s.RoutesPerNode = MaxRoutesPerTable, 1
		// Dual-stack kubenet (two routes a node, so 200 nodes) was
		// documented until 2025-03 [KDS]; AKS now runs dual-stack on
		// Overlay only [DS], so DualStack stays false: set it in a custom
		// Spec to model a cluster created before.
		s.DefaultPodCIDR = defaultPodCIDR
		s.Policies = []Policy{PolicyCalico}
		s.Limitations = []string{
			"at most 400 nodes: one route per node in a route table of 400 routes, custom routes included",
			"no Windows node pools",
			"pods reach the VNet through NAT to the node IP",
			"clusters cannot share a route table or a subnet",
			"retires on 2028-03-31; migrate to Azure CNI Overlay",
		}
	case AzureCNI:
		s.Name = "Azure CNI (node subnet)"
		s.Pods = PodAllocation{Source: NodeSubnet, Unit: PerPod}
		s.MaxPods = Range{10, 30, 250}
		s.Windows = true
		s.Policies = []Policy{PolicyAzure, PolicyCalico}
		s.Limitations = []string{
			"every node pre-allocates maxPods addresses from the node subnet",
			"a full subnet cannot be resized in place: add a pool on a larger subnet",
			"about 64,000 pod IPs per VNet",
		}
	case AzureCNIPodSubnet:
		s.Name = "Azure CNI (pod subnet, dynamic)"
		s.Pods = dynamic
		s.MaxPods = podSubnetPods
		s.Windows = true
		s.Policies = []Policy{PolicyAzure, PolicyCalico}
		s.Limitations = []string{
			"pod addresses are taken in batches of 16; a node holds at least 16",
			"no Windows Server 2019",
			"about 65,000 pod IPs per VNet",
		}
	case AzureCNIStaticBlock:
		s.Name = "Azure CNI (pod subnet, static block)"
		s.Pods = PodAllocation{Source: PodSubnet, Unit: StaticBlock, BlockBits: 28, ReservedPerNode: 1, BlockCountsOnce: true}
		s.MaxPods = podSubnetPods
		s.Windows = true
		s.Policies = []Policy{PolicyAzure, PolicyCalico}
		s.Limitations = []string{
			"Kubernetes 1.28 or later; new clusters or node pools only",
			"pod subnet at most /12",
			"no Private Link Service through a LoadBalancer Service",
			"no Windows Server 2019",
		}
	case AzureCNIOverlay:
		s.Name = "Azure CNI Overlay"
		s.Pods = nodeBlock
		s.MaxPods = Range{10, 250, 250}
		s.DefaultPodCIDR = defaultPodCIDR
		s.Windows, s.DualStack = true, true
		s.Policies = []Policy{PolicyAzure, PolicyCalico}
		s.Limitations = []string{
			"each node gets a fixed /24 of the pod CIDR: a /16 serves 256 nodes",
			"the pod CIDR can grow only to a superset, on Linux-only clusters",
			"no availability sets or DCsv2 VMs",
		}
	case CiliumOverlay:
		s.Name = "Azure CNI Powered by Cilium (Overlay)"
		s.Pods = nodeBlock
		s.MaxPods = Range{10, 250, 250}
		s.DefaultPodCIDR = defaultPodCIDR
		s.DualStack = true // Kubernetes 1.29 or later [CIL]
		s.Dataplane = DataplaneCilium
		s.Policies = []Policy{PolicyCilium}
		s.Limitations = cilium
	case CiliumPodSubnet:
		s.Name = "Azure CNI Powered by Cilium (pod subnet)"
		s.Pods = dynamic
		s.MaxPods = podSubnetPods
		s.Dataplane = DataplaneCilium
		s.Policies = []Policy{PolicyCilium}
		s.Limitations = cilium
	case CiliumNodeSubnet:
		s.Name = "Azure CNI Powered by Cilium (node subnet)"
		s.Pods = PodAllocation{Source: NodeSubnet, Unit: PerPod}
		s.MaxPods = Range{10, 30, 250} // as Azure CNI on the node subnet [IPP]
		s.Dataplane = DataplaneCilium
		s.Policies = []Policy{PolicyCilium}
		s.Limitations = append([]string{"Azure CLI 2.69 or later"}, cilium...)
	case BYOCNICalico:
		s.Name = "bring your own CNI: Calico"
		// Calico IPAM: /26 blocks claimed on demand, borrowing allowed
		// (strictAffinity false); operator default pool 192.168.0.0/16.
		// Each node's calico-node takes a VXLAN tunnel address from the
		// pool [CALN, CAL].
		s.Pods = PodAllocation{Source: CNIPool, Unit: OnDemandBlock, BlockBits: 26, TunnelAddresses: 1}
		s.MaxPods = Range{10, 110, 250} // undocumented for BYO CNI (U3): the kubelet default
		s.DefaultPodCIDR = netip.MustParsePrefix("192.168.0.0/16")
		s.Dataplane = DataplaneBYO
		s.Policies = []Policy{PolicyCalico}
		s.Limitations = []string{
			"Microsoft support does not cover CNI issues",
			"IP-in-IP encapsulation is not supported by the Azure fabric: use VXLAN",
			"no IPv6 with the Calico eBPF dataplane; no VPP dataplane",
			"AKS still needs a pod CIDR for control-plane routing",
		}
	case BYOCNICilium:
		s.Name = "bring your own CNI: Cilium"
		// Cilium cluster-pool IPAM: clusterPoolIPv4PodCIDRList 10.0.0.0/8,
		// mask size 24 (cilium/cilium cluster-pool.rst). 10.0.0.0/8 overlaps
		// AKS's default service CIDR: set the list.
		s.Pods = PodAllocation{Source: CNIPool, Unit: NodeBlock, BlockBits: 24}
		s.MaxPods = Range{10, 110, 250} // undocumented for BYO CNI (U3): the kubelet default
		s.DefaultPodCIDR = netip.MustParsePrefix("10.0.0.0/8")
		s.Dataplane = DataplaneBYO
		s.Policies = []Policy{PolicyCilium}
		s.Limitations = []string{
			"Microsoft support does not cover CNI issues",
			"the default cluster pool 10.0.0.0/8 overlaps AKS's default service CIDR",
		}
	default:
		return Spec{}
	}
	return s
}
