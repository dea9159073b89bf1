package modes

import (
	"strings"

	"github.com/ipcap/ipcap/internal/enum"
)

// Mode is an AKS networking mode: a network plugin, its mode, its dataplane
// and, for pod subnets, its pod IP allocation mode. The zero Mode is no
// mode, that of a custom Spec: its text form is empty.
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

var modeNames = enum.Table[Mode]{Type: "modes.Mode", What: "networking mode",
	Names: []string{
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
	}}

// All returns every mode, in declaration order; the zero Mode is not one.
func All() []Mode {
	out := make([]Mode, 0, len(modeNames.Names)-1)
	for m := Kubenet; int(m) < len(modeNames.Names); m++ {
		out = append(out, m)
	}
	return out
}

// IsValid reports whether m is one of the declared modes, not the zero
// Mode.
func (m Mode) IsValid() bool { return m >= Kubenet && int(m) < len(modeNames.Names) }

// String returns the mode's identifier, which MarshalText writes and
// ParseMode reads: "kubenet", "azure-cni", "azure-cni-pod-subnet",
// "azure-cni-static-block", "azure-cni-overlay", "cilium-overlay",
// "cilium-pod-subnet", "cilium-node-subnet", "byocni-calico" or
// "byocni-cilium"; "" for the zero Mode.
func (m Mode) String() string { return modeNames.String(m) }

// ParseMode returns the mode whose String is s, ignoring case; "" is the
// zero Mode.
func ParseMode(s string) (Mode, error) { return modeNames.Parse(s) }

// MarshalText writes String's form, "" for the zero Mode; an invalid Mode
// is an error.
func (m Mode) MarshalText() ([]byte, error) { return modeNames.Text(m) }

// Alternatives lists every mode's name as ipcap writes a list of choices:
// "kubenet, azure-cni, … or byocni-cilium".
func Alternatives() string { return modeNames.Alternatives() }

// UnmarshalText reads ParseMode's forms.
func (m *Mode) UnmarshalText(b []byte) error { return enum.Unmarshal(b, m, ParseMode) }

// A FieldError reports an input value that ipcap cannot accept. It is the
// error of every ParseXxx of ipcap's enums (modes', capacity's, ipam's), of
// FromAKS, and of each problem of a SpecError.
//
// Field is an identifier, never prose, and names the input as the user
// wrote it: the AKS API's field for a value AKS spells (FromAKS's
// "networkPlugin", ParseOS's "osType", ParsePolicy's "networkPolicy"); the
// Go field path within the Spec for Spec.Validate ("Pods.Unit"); and for
// ipcap's own types, which the parser reads without knowing the field that
// holds them, the type's name in lower camel case ("mode", "source",
// "admissionEra", "strategy", capacity.ParseSurge's "surge").
//
// Its fields: Pkg, the package that refused the value, which Error writes
// first ("modes", "capacity", "ipam"); Field, the input as above; Value,
// the value given; Reason, why it is refused and what to do instead; Err,
// the sentinel it wraps for errors.Is (ipam.ErrInvalid), or nil. The type
// is declared in an internal package so that ipam, below modes, returns
// it too.
type FieldError = enum.FieldError

// apiError is FromAKS's error: an AKS API field.
func apiError(field, value, reason string) error {
	return &FieldError{Pkg: "modes", Field: field, Value: value, Reason: reason}
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
		return 0, apiError("networkPluginMode", networkPluginMode, `unknown plugin mode (want "overlay" or empty)`)
	}
	switch dp {
	case "", "azure", "cilium":
	default:
		return 0, apiError("networkDataplane", networkDataplane, `unknown dataplane (want "azure", "cilium" or empty)`)
	}
	switch alloc {
	case "", "dynamicindividual", "staticblock":
	default:
		return 0, apiError("podIpAllocationMode", podIPAllocationMode, `unknown allocation mode (want "DynamicIndividual", "StaticBlock" or empty)`)
	}
	cilium := dp == "cilium"
	switch plugin {
	case "kubenet":
		switch {
		case pmode != "":
			return 0, apiError("networkPluginMode", networkPluginMode, "kubenet has no plugin mode; overlay needs networkPlugin azure")
		case cilium:
			return 0, apiError("networkDataplane", networkDataplane, "the Cilium dataplane needs networkPlugin azure; kubenet must migrate to Overlay first") // [UPD]
		case alloc != "":
			return 0, apiError("podIpAllocationMode", podIPAllocationMode, "kubenet has no pod subnet")
		}
		return Kubenet, nil
	case "none":
		switch {
		case pmode != "":
			return 0, apiError("networkPluginMode", networkPluginMode, "bring-your-own CNI (networkPlugin none) has no plugin mode")
		case cilium:
			return 0, apiError("networkDataplane", networkDataplane, "AKS manages the Cilium dataplane only with networkPlugin azure; with none, the CNI is yours")
		case alloc != "":
			return 0, apiError("podIpAllocationMode", podIPAllocationMode, "AKS allocates no pod IPs with bring-your-own CNI")
		}
		return BYOCNICalico, nil
	case "azure", "":
		if pmode == "overlay" || plugin == "" {
			if alloc != "" {
				return 0, apiError("podIpAllocationMode", podIPAllocationMode, "Overlay has no pod subnet; the allocation mode applies to pod subnets only")
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
	return 0, apiError("networkPlugin", networkPlugin, `unknown network plugin (want "azure", "kubenet" or "none")`)
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
