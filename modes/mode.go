package modes

import (
	"fmt"
	"strings"
)

// Mode is an AKS networking mode: a network plugin, its mode, its dataplane
// and, for pod subnets, its pod IP allocation mode. The zero Mode is not a
// mode.
type Mode uint8

const (
	// Kubenet: node IPs from the VNet subnet, one /24 per node from a private
	// pod CIDR, routed through a route table of at most 400 routes [KUB].
	Kubenet Mode = iota + 1
	// AzureCNI is Azure CNI on the node subnet ("legacy", "traditional"):
	// 1 + maxPods addresses per node, taken when the node is created [LEG].
	AzureCNI
	// AzureCNIPodSubnet is Azure CNI with dynamic IP allocation from a pod
	// subnet, in batches of 16 (podIPAllocationMode DynamicIndividual) [DYN].
	AzureCNIPodSubnet
	// AzureCNIStaticBlock is Azure CNI with a pod subnet handing /28 blocks to
	// each node for its lifetime (podIPAllocationMode StaticBlock) [SBA].
	AzureCNIStaticBlock
	// AzureCNIOverlay: node IPs from the VNet subnet, one /24 per node from a
	// private pod CIDR [OVC].
	AzureCNIOverlay
	// CiliumOverlay is Azure CNI Powered by Cilium on Overlay IPAM [CIL].
	CiliumOverlay
	// CiliumPodSubnet is Azure CNI Powered by Cilium on dynamic pod-subnet
	// IPAM [CIL].
	CiliumPodSubnet
	// CiliumNodeSubnet is Azure CNI Powered by Cilium on node-subnet IPAM
	// (CLI 2.69 or later) [CIL].
	CiliumNodeSubnet
	// BYOCNICalico is bring-your-own CNI (network plugin none) running Calico:
	// AKS allocates no pod IPs; Calico IPAM claims /26 blocks on demand [BYO].
	BYOCNICalico
	// BYOCNICilium is bring-your-own CNI running Cilium in cluster-pool IPAM
	// mode, one /24 per node by default [BYO].
	BYOCNICilium
)

var modeNames = [...]string{
	Kubenet:             "kubenet",
	AzureCNI:            "azure-cni",
	AzureCNIPodSubnet:   "azure-cni-pod-subnet",
	AzureCNIStaticBlock: "azure-cni-static-block",
	AzureCNIOverlay:     "azure-cni-overlay",
	CiliumOverlay:       "cilium-overlay",
	CiliumPodSubnet:     "cilium-pod-subnet",
	CiliumNodeSubnet:    "cilium-node-subnet",
	BYOCNICalico:        "byocni-calico",
	BYOCNICilium:        "byocni-cilium",
}

// All returns every mode, in declaration order.
func All() []Mode {
	out := make([]Mode, 0, len(modeNames)-1)
	for m := Kubenet; int(m) < len(modeNames); m++ {
		out = append(out, m)
	}
	return out
}

// IsValid reports whether m is one of the declared modes.
func (m Mode) IsValid() bool { return m >= Kubenet && int(m) < len(modeNames) }

// String returns the mode's name: "kubenet", "azure-cni",
// "azure-cni-pod-subnet", "azure-cni-static-block", "azure-cni-overlay",
// "cilium-overlay", "cilium-pod-subnet", "cilium-node-subnet",
// "byocni-calico" or "byocni-cilium".
func (m Mode) String() string {
	if m.IsValid() {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// ParseMode returns the mode whose String is s, ignoring case.
func ParseMode(s string) (Mode, error) {
	for _, m := range All() {
		if strings.EqualFold(s, modeNames[m]) {
			return m, nil
		}
	}
	return 0, &FieldError{Field: "mode", Value: s, Reason: "unknown mode (want one of " + strings.Join(modeNames[1:], ", ") + ")"}
}

// MarshalText implements encoding.TextMarshaler with String's names; the
// zero Mode (a cluster with a custom Spec) is the empty text.
func (m Mode) MarshalText() ([]byte, error) {
	if m == 0 {
		return nil, nil
	}
	if !m.IsValid() {
		return nil, fmt.Errorf("modes: cannot marshal invalid Mode(%d)", uint8(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseMode; the
// empty text is the zero Mode.
func (m *Mode) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = 0
		return nil
	}
	v, err := ParseMode(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// A FieldError reports an input field whose value ipcap cannot accept.
type FieldError struct {
	Field  string // the input field, as the AKS API spells it
	Value  string // the value given
	Reason string // why it is refused and what to do instead
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("modes: %s %q: %s", e.Field, e.Value, e.Reason)
}

// FromAKS returns the mode of a cluster from the fields of its AKS network
// profile, spelt as the Azure API and `az aks show` spell them, ignoring
// case: networkPlugin ("azure", "kubenet", "none"; empty means AKS's default,
// Azure CNI Overlay [OVH]), networkPluginMode ("overlay" or empty),
// networkDataplane ("azure", "cilium" or empty) and podIPAllocationMode
// ("DynamicIndividual", "StaticBlock" or empty).
//
// Plain "azure" maps to AzureCNI: whether a pool has a pod subnet is a
// per-pool setting, so use WithPodSubnet once it is known. Network plugin
// "none" maps to BYOCNICalico, the common case; a cluster running Cilium
// under BYO CNI must say BYOCNICilium itself, because AKS does not record
// which CNI was installed. Azure CNI Powered by Cilium with StaticBlock
// allocation maps to AzureCNIStaticBlock: IP consumption is that of the IPAM
// mode [CIL], though the Cilium dataplane is then not reflected in the Spec.
func FromAKS(networkPlugin, networkPluginMode, networkDataplane, podIPAllocationMode string) (Mode, error) {
	plugin, pmode := strings.ToLower(networkPlugin), strings.ToLower(networkPluginMode)
	dp, alloc := strings.ToLower(networkDataplane), strings.ToLower(podIPAllocationMode)
	switch pmode {
	case "", "overlay":
	default:
		return 0, &FieldError{"networkPluginMode", networkPluginMode, `unknown plugin mode (want "overlay" or empty)`}
	}
	switch dp {
	case "", "azure", "cilium":
	default:
		return 0, &FieldError{"networkDataplane", networkDataplane, `unknown dataplane (want "azure", "cilium" or empty)`}
	}
	switch alloc {
	case "", "dynamicindividual", "staticblock":
	default:
		return 0, &FieldError{"podIpAllocationMode", podIPAllocationMode, `unknown allocation mode (want "DynamicIndividual", "StaticBlock" or empty)`}
	}
	cilium := dp == "cilium"
	switch plugin {
	case "kubenet":
		switch {
		case pmode != "":
			return 0, &FieldError{"networkPluginMode", networkPluginMode, "kubenet has no plugin mode; overlay needs networkPlugin azure"}
		case cilium:
			return 0, &FieldError{"networkDataplane", networkDataplane, "the Cilium dataplane needs networkPlugin azure; kubenet must migrate to Overlay first"} // [UPD]
		case alloc != "":
			return 0, &FieldError{"podIpAllocationMode", podIPAllocationMode, "kubenet has no pod subnet"}
		}
		return Kubenet, nil
	case "none":
		switch {
		case pmode != "":
			return 0, &FieldError{"networkPluginMode", networkPluginMode, "bring-your-own CNI (networkPlugin none) has no plugin mode"}
		case cilium:
			return 0, &FieldError{"networkDataplane", networkDataplane, "AKS manages the Cilium dataplane only with networkPlugin azure; with none, the CNI is yours"}
		case alloc != "":
			return 0, &FieldError{"podIpAllocationMode", podIPAllocationMode, "AKS allocates no pod IPs with bring-your-own CNI"}
		}
		return BYOCNICalico, nil
	case "azure", "":
		if pmode == "overlay" || plugin == "" {
			if alloc != "" {
				return 0, &FieldError{"podIpAllocationMode", podIPAllocationMode, "Overlay has no pod subnet; the allocation mode applies to pod subnets only"}
			}
			if cilium {
				return CiliumOverlay, nil
			}
			return AzureCNIOverlay, nil
		}
		switch {
		case alloc == "staticblock":
			return AzureCNIStaticBlock, nil
		case alloc == "dynamicindividual" && cilium:
			return CiliumPodSubnet, nil
		case alloc == "dynamicindividual":
			return AzureCNIPodSubnet, nil
		case cilium:
			return CiliumNodeSubnet, nil
		}
		return AzureCNI, nil
	}
	return 0, &FieldError{"networkPlugin", networkPlugin, `unknown network plugin (want "azure", "kubenet" or "none")`}
}

// WithPodSubnet returns the mode a node pool of a cluster in mode m runs
// when the pool has (or lacks) a pod subnet: Azure CNI with a pod subnet
// allocates dynamically (the default podIPAllocationMode, DynamicIndividual
// [DYN]), and so does Cilium. Other modes are returned unchanged.
func (m Mode) WithPodSubnet(has bool) Mode {
	switch {
	case has && m == AzureCNI:
		return AzureCNIPodSubnet
	case has && m == CiliumNodeSubnet:
		return CiliumPodSubnet
	case !has && (m == AzureCNIPodSubnet || m == AzureCNIStaticBlock):
		return AzureCNI
	case !has && m == CiliumPodSubnet:
		return CiliumNodeSubnet
	}
	return m
}
