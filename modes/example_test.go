package modes_test

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/ipcap/ipcap/modes"
)

// A comparison of every AKS networking mode: where pod addresses come from,
// what one node with 30 pods takes from the VNet, and what the mode supports.
func Example() {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', 0)
	fmt.Fprintln(w, "mode\tpod IPs from\tunit\tmaxPods\tVNet addr/node\tWindows\tdataplane")
	for _, m := range modes.All() {
		s := m.Spec()
		d := s.PerNode(s.MaxPods.Default, 30)
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%v\t%s\n", m, s.Pods.Source.Describe(), s.Pods.Unit.Describe(), s.MaxPods.Default, d.VNetAddresses, s.Windows, s.Dataplane.Describe())
	}
	w.Flush()
	// Output:
	// mode                   pod IPs from unit                   maxPods VNet addr/node Windows dataplane
	// kubenet                pod CIDR     block per node         110     1              false   azure (iptables, HNS)
	// azure-cni              node subnet  per pod, pre-allocated 30      31             true    azure (iptables, HNS)
	// azure-cni-pod-subnet   pod subnet   batches                110     49             true    azure (iptables, HNS)
	// azure-cni-static-block pod subnet   static blocks          110     8              true    azure (iptables, HNS)
	// azure-cni-overlay      pod CIDR     block per node         250     1              true    azure (iptables, HNS)
	// cilium-overlay         pod CIDR     block per node         250     1              false   cilium (eBPF)
	// cilium-pod-subnet      pod subnet   batches                110     49             false   cilium (eBPF)
	// cilium-node-subnet     node subnet  per pod, pre-allocated 30      31             false   cilium (eBPF)
	// byocni-calico          CNI pool     blocks on demand       110     1              false   CNI's own
	// byocni-cilium          CNI pool     block per node         110     1              false   CNI's own
}

// FromAKS reads the fields of `az aks show`; WithPodSubnet settles a pool's
// mode once its pod subnet is known.
func ExampleFromAKS() {
	m, err := modes.FromAKS("azure", "", "", "")
	if err != nil {
		panic(err)
	}
	fmt.Println(m, "->", m.WithPodSubnet(true))

	_, err = modes.FromAKS("kubenet", "overlay", "", "")
	fmt.Println(err)
	// Output:
	// azure-cni -> azure-cni-pod-subnet
	// modes: networkPluginMode "overlay": kubenet has no plugin mode; overlay needs networkPlugin azure
}

// DynamicTarget is the CNS pool size for a node's pods.
func ExampleDynamicTarget() {
	for _, pods := range []int{0, 8, 25, 100} {
		fmt.Println(pods, "pods hold", modes.DynamicTarget(pods, 16, 0.5, 250), "addresses")
	}
	// Output:
	// 0 pods hold 16 addresses
	// 8 pods hold 16 addresses
	// 25 pods hold 48 addresses
	// 100 pods hold 112 addresses
}
