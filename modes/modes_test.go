package modes_test

import (
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModeNames(t *testing.T) {
	want := []string{"kubenet", "azure-cni", "azure-cni-pod-subnet", "azure-cni-static-block",
		"azure-cni-overlay", "cilium-overlay", "cilium-pod-subnet", "cilium-node-subnet",
		"byocni-calico", "byocni-cilium"}
	all := modes.All()
	require.Len(t, all, len(want))
	for i, m := range all {
		assert.Equal(t, want[i], m.String())
		got, err := modes.ParseMode(want[i])
		require.NoError(t, err)
		assert.Equal(t, m, got)
		upper, err := modes.ParseMode(strings.ToUpper(want[i]))
		require.NoError(t, err)
		assert.Equal(t, m, upper)
	}
	got, err := modes.ParseMode("Azure-CNI-Overlay")
	require.NoError(t, err)
	assert.Equal(t, modes.AzureCNIOverlay, got)

	_, err = modes.ParseMode("flannel")
	var fe *modes.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "mode", fe.Field)
	assert.Equal(t, "flannel", fe.Value)
	assert.Contains(t, err.Error(), "kubenet, azure-cni")
	assert.Equal(t, "", modes.Mode(0).String(), "the zero Mode, a custom Spec's, is the empty text")
	zero, err := modes.ParseMode("")
	require.NoError(t, err)
	assert.Equal(t, modes.Mode(0), zero)
	assert.Equal(t, "Mode(11)", modes.Mode(11).String())
	assert.False(t, modes.Mode(0).IsValid())
	assert.Equal(t, modes.Spec{}, modes.Mode(0).Spec())
}

func TestModeJSON(t *testing.T) {
	b, err := json.Marshal(map[string]modes.Mode{"mode": modes.CiliumOverlay})
	require.NoError(t, err)
	assert.JSONEq(t, `{"mode":"cilium-overlay"}`, string(b))
	var back map[string]modes.Mode
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, modes.CiliumOverlay, back["mode"])
	require.Error(t, json.Unmarshal([]byte(`{"mode":"nope"}`), &back))
	_, err = json.Marshal(modes.Mode(99))
	require.Error(t, err)
}

func TestFromAKS(t *testing.T) {
	tests := []struct {
		plugin, pmode, dataplane, alloc string
		want                            modes.Mode
	}{
		{"kubenet", "", "", "", modes.Kubenet},
		{"kubenet", "", "azure", "", modes.Kubenet},
		{"azure", "", "", "", modes.AzureCNI},
		{"Azure", "", "azure", "", modes.AzureCNI},
		{"azure", "", "", "DynamicIndividual", modes.AzureCNIPodSubnet},
		{"azure", "", "", "StaticBlock", modes.AzureCNIStaticBlock},
		{"azure", "", "cilium", "StaticBlock", modes.AzureCNIStaticBlock},
		{"azure", "overlay", "", "", modes.AzureCNIOverlay},
		{"azure", "Overlay", "azure", "", modes.AzureCNIOverlay},
		{"azure", "overlay", "cilium", "", modes.CiliumOverlay},
		{"azure", "", "cilium", "DynamicIndividual", modes.CiliumPodSubnet},
		{"azure", "", "cilium", "", modes.CiliumNodeSubnet},
		{"none", "", "", "", modes.BYOCNICalico},
		{"", "", "", "", modes.AzureCNIOverlay}, // AKS's default [OVH]
		{"", "", "cilium", "", modes.CiliumOverlay},
	}
	for _, tt := range tests {
		got, err := modes.FromAKS(tt.plugin, tt.pmode, tt.dataplane, tt.alloc)
		require.NoError(t, err, "%+v", tt)
		assert.Equal(t, tt.want, got, "%+v", tt)
	}
}

func TestFromAKSErrors(t *testing.T) {
	tests := []struct {
		plugin, pmode, dataplane, alloc string
		field, value                    string
	}{
		{"flannel", "", "", "", "networkPlugin", "flannel"},
		{"kubenet", "overlay", "", "", "networkPluginMode", "overlay"},
		{"kubenet", "", "cilium", "", "networkDataplane", "cilium"},
		{"kubenet", "", "", "StaticBlock", "podIpAllocationMode", "StaticBlock"},
		{"azure", "underlay", "", "", "networkPluginMode", "underlay"},
		{"azure", "", "ebpf", "", "networkDataplane", "ebpf"},
		{"azure", "", "", "Bulk", "podIpAllocationMode", "Bulk"},
		{"azure", "overlay", "", "StaticBlock", "podIpAllocationMode", "StaticBlock"},
		{"none", "overlay", "", "", "networkPluginMode", "overlay"},
		{"none", "", "cilium", "", "networkDataplane", "cilium"},
		{"none", "", "", "DynamicIndividual", "podIpAllocationMode", "DynamicIndividual"},
	}
	for _, tt := range tests {
		_, err := modes.FromAKS(tt.plugin, tt.pmode, tt.dataplane, tt.alloc)
		var fe *modes.FieldError
		require.ErrorAs(t, err, &fe, "%+v", tt)
		assert.Equal(t, tt.field, fe.Field)
		assert.Equal(t, tt.value, fe.Value)
		assert.Contains(t, err.Error(), tt.field+` "`+tt.value+`"`)
	}
}

func TestWithPodSubnet(t *testing.T) {
	assert.Equal(t, modes.AzureCNIPodSubnet, modes.AzureCNI.WithPodSubnet(true))
	assert.Equal(t, modes.CiliumPodSubnet, modes.CiliumNodeSubnet.WithPodSubnet(true))
	assert.Equal(t, modes.AzureCNI, modes.AzureCNIPodSubnet.WithPodSubnet(false))
	assert.Equal(t, modes.AzureCNIStaticBlock, modes.AzureCNIStaticBlock.WithPodSubnet(true))
	assert.Equal(t, modes.CiliumNodeSubnet, modes.CiliumPodSubnet.WithPodSubnet(false))
	assert.Equal(t, modes.AzureCNIOverlay, modes.AzureCNIOverlay.WithPodSubnet(true))
	assert.Equal(t, modes.AzureCNI, modes.AzureCNI.WithPodSubnet(false))
}

func TestDynamicTarget(t *testing.T) {
	// ACN cns/ipampool/v2/math_test.go (W13) and the ipam-math doc (W12).
	tests := []struct {
		demand, batch int
		buffer        float64
		max, want     int
	}{
		{0, 16, .5, 0, 16}, {8, 16, .5, 0, 16}, {16, 16, .5, 0, 32}, {32, 16, .5, 0, 48},
		{48, 16, .5, 0, 64}, {10, 1, .5, 0, 11}, {10, 16, 0, 0, 16}, {13, 1, 0, 0, 13},
		{25, 16, .5, 0, 48},
		{240, 16, .5, 250, 250}, // 16 × ceil(15.5) = 256, clamped
		{-3, 16, .5, 0, 16},
		{5, 0, .5, 0, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, modes.DynamicTarget(tt.demand, tt.batch, tt.buffer, tt.max), "%+v", tt)
	}
}

func TestStaticBlocks(t *testing.T) {
	// W6: maxPods 30 / 31 / 32 → blocks 2 / 2 / 3, pod IPs 31 / 31 / 47
	// (16 × blocks − 1 reserved), waste 1 / 0 / 15.
	for _, tt := range []struct{ maxPods, blocks, podIPs, waste int }{
		{30, 2, 31, 1}, {31, 2, 31, 0}, {32, 3, 47, 15}, {250, 16, 255, 5},
	} {
		b := modes.StaticBlocks(tt.maxPods)
		assert.Equal(t, tt.blocks, b, "maxPods %d", tt.maxPods)
		assert.Equal(t, tt.podIPs, 16*b-1)
		assert.Equal(t, tt.waste, 16*b-1-tt.maxPods)
	}
}

func TestUsableAddresses(t *testing.T) {
	for bits, want := range map[int]uint64{29: 3, 28: 11, 27: 27, 24: 251, 22: 1019, 21: 2043, 16: 65531, 30: 0, 32: 0} {
		assert.Equal(t, want, modes.UsableAddresses(netip.PrefixFrom(netip.MustParseAddr("10.0.0.0"), bits)), "/%d", bits)
	}
	assert.Equal(t, ^uint64(0), modes.UsableAddresses(netip.MustParsePrefix("fd00::/64")))
	assert.Equal(t, uint64(0), modes.UsableAddresses(netip.Prefix{}))
}

func TestSubnetReserved(t *testing.T) {
	got := modes.SubnetReserved(netip.MustParsePrefix("10.1.2.0/24"))
	var want []netip.Addr
	for _, s := range []string{"10.1.2.0", "10.1.2.1", "10.1.2.2", "10.1.2.3", "10.1.2.255"} {
		want = append(want, netip.MustParseAddr(s))
	}
	assert.Equal(t, want, got)
	assert.Equal(t, netip.MustParseAddr("fd00::ffff:ffff:ffff:ffff"), modes.SubnetReserved(netip.MustParsePrefix("fd00::/64"))[4])
	assert.Nil(t, modes.SubnetReserved(netip.MustParsePrefix("10.0.0.0/30")))
}

func TestBlocksIn(t *testing.T) {
	assert.Equal(t, uint64(256), modes.BlocksIn(netip.MustParsePrefix("10.244.0.0/16"), 24))
	assert.Equal(t, uint64(4), modes.BlocksIn(netip.MustParsePrefix("10.240.100.0/22"), 24)) // W10
	assert.Equal(t, uint64(64), modes.BlocksIn(netip.MustParsePrefix("10.244.0.0/18"), 24))  // W17
	assert.Equal(t, uint64(1024), modes.BlocksIn(netip.MustParsePrefix("192.168.0.0/16"), 26))
	assert.Equal(t, uint64(0), modes.BlocksIn(netip.MustParsePrefix("10.0.0.0/25"), 24))
	assert.Equal(t, uint64(0), modes.BlocksIn(netip.MustParsePrefix("10.0.0.0/8"), 33))
}

// TestSpecs checks every mode's data against aks-facts.md.
func TestSpecs(t *testing.T) {
	tests := []struct {
		mode       modes.Mode
		pods       modes.Source
		unit       modes.Unit
		blockBits  int
		maxPods    modes.Range
		windows    bool
		dualStack  bool
		maxRoutes  int
		dataplane  modes.Dataplane
		policies   []modes.Policy
		defaultPod string
	}{
		{modes.Kubenet, modes.PodCIDR, modes.NodeBlock, 24, modes.Range{10, 110, 250}, false, false, 400, modes.DataplaneAzure, []modes.Policy{modes.PolicyCalico}, "10.244.0.0/16"},
		{modes.AzureCNI, modes.NodeSubnet, modes.PerPod, 0, modes.Range{10, 30, 250}, true, false, 0, modes.DataplaneAzure, []modes.Policy{modes.PolicyAzure, modes.PolicyCalico}, ""},
		{modes.AzureCNIPodSubnet, modes.PodSubnet, modes.Batch, 0, modes.Range{10, 110, 250}, true, false, 0, modes.DataplaneAzure, []modes.Policy{modes.PolicyAzure, modes.PolicyCalico}, ""},
		{modes.AzureCNIStaticBlock, modes.PodSubnet, modes.StaticBlock, 28, modes.Range{10, 110, 250}, true, false, 0, modes.DataplaneAzure, []modes.Policy{modes.PolicyAzure, modes.PolicyCalico}, ""},
		{modes.AzureCNIOverlay, modes.PodCIDR, modes.NodeBlock, 24, modes.Range{10, 250, 250}, true, true, 0, modes.DataplaneAzure, []modes.Policy{modes.PolicyAzure, modes.PolicyCalico}, "10.244.0.0/16"},
		{modes.CiliumOverlay, modes.PodCIDR, modes.NodeBlock, 24, modes.Range{10, 250, 250}, false, true, 0, modes.DataplaneCilium, []modes.Policy{modes.PolicyCilium}, "10.244.0.0/16"},
		{modes.CiliumPodSubnet, modes.PodSubnet, modes.Batch, 0, modes.Range{10, 110, 250}, false, false, 0, modes.DataplaneCilium, []modes.Policy{modes.PolicyCilium}, ""},
		{modes.CiliumNodeSubnet, modes.NodeSubnet, modes.PerPod, 0, modes.Range{10, 30, 250}, false, false, 0, modes.DataplaneCilium, []modes.Policy{modes.PolicyCilium}, ""},
		{modes.BYOCNICalico, modes.CNIPool, modes.OnDemandBlock, 26, modes.Range{10, 110, 250}, false, false, 0, modes.DataplaneBYO, []modes.Policy{modes.PolicyCalico}, "192.168.0.0/16"},
		{modes.BYOCNICilium, modes.CNIPool, modes.NodeBlock, 24, modes.Range{10, 110, 250}, false, false, 0, modes.DataplaneBYO, []modes.Policy{modes.PolicyCilium}, "10.0.0.0/8"},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			s := tt.mode.Spec()
			assert.Equal(t, tt.mode, s.Mode)
			assert.NotEmpty(t, s.Name)
			assert.Equal(t, modes.NodeSubnet, s.NodeIPs, "every AKS mode takes node IPs from the node subnet")
			assert.Equal(t, tt.pods, s.Pods.Source)
			assert.Equal(t, tt.unit, s.Pods.Unit)
			assert.Equal(t, tt.blockBits, s.Pods.BlockBits)
			assert.Equal(t, tt.maxPods, s.MaxPods)
			assert.Equal(t, tt.windows, s.Windows)
			assert.Equal(t, tt.dualStack, s.DualStack)
			assert.Equal(t, tt.maxRoutes, s.MaxRoutes)
			assert.Equal(t, tt.dataplane, s.Dataplane)
			assert.Equal(t, tt.policies, s.Policies)
			assert.Equal(t, 5000, s.MaxNodes)
			assert.Equal(t, 1000, s.MaxNodesPerPool)
			assert.Equal(t, 30, s.MinPodsPerPool)
			assert.NotEmpty(t, s.Limitations)
			if tt.defaultPod == "" {
				assert.False(t, s.DefaultPodCIDR.IsValid())
			} else {
				assert.Equal(t, netip.MustParsePrefix(tt.defaultPod), s.DefaultPodCIDR)
			}
		})
	}
	assert.Equal(t, 16, modes.AzureCNIPodSubnet.Spec().Pods.BatchSize)
	assert.Equal(t, 1, modes.AzureCNIStaticBlock.Spec().Pods.ReservedPerNode)
	assert.True(t, modes.AzureCNIStaticBlock.Spec().Pods.BlockCountsOnce)
}

func TestPerNode(t *testing.T) {
	tests := []struct {
		name          string
		mode          modes.Mode
		maxPods, pods int
		want          modes.Demand
	}{
		// W3/W8: 1 + 30 per node, so 8 nodes (248) fit a /24's 251; W8's 10 nodes need 310.
		{"azure-cni 30", modes.AzureCNI, 30, 30, modes.Demand{NodeSubnet: 31, VNetAddresses: 31}},
		// W9: 3 × 111 = 333.
		{"azure-cni 110", modes.AzureCNI, 110, 5, modes.Demand{NodeSubnet: 111, VNetAddresses: 111}},
		{"cilium node subnet", modes.CiliumNodeSubnet, 30, 0, modes.Demand{NodeSubnet: 31, VNetAddresses: 31}},
		// W14: a node starts with one batch of 16.
		{"dynamic start", modes.AzureCNIPodSubnet, 110, 0, modes.Demand{NodeSubnet: 1, PodSubnet: 16, VNetAddresses: 17}},
		{"dynamic 25 pods", modes.AzureCNIPodSubnet, 110, 25, modes.Demand{NodeSubnet: 1, PodSubnet: 48, VNetAddresses: 49}},
		{"dynamic full", modes.CiliumPodSubnet, 110, 110, modes.Demand{NodeSubnet: 1, PodSubnet: 110, VNetAddresses: 111}},
		// W6: maxPods 30 → 2 blocks of 16; each block counts once against the VNet.
		{"static 30", modes.AzureCNIStaticBlock, 30, 0, modes.Demand{NodeSubnet: 1, PodSubnet: 32, VNetAddresses: 3}},
		{"static 250", modes.AzureCNIStaticBlock, 250, 0, modes.Demand{NodeSubnet: 1, PodSubnet: 256, VNetAddresses: 17}},
		{"kubenet", modes.Kubenet, 110, 110, modes.Demand{NodeSubnet: 1, PodRange: 256, VNetAddresses: 1}},
		{"overlay", modes.AzureCNIOverlay, 250, 250, modes.Demand{NodeSubnet: 1, PodRange: 256, VNetAddresses: 1}},
		// Calico: pods and the node's VXLAN tunnel address in /26s [CALN].
		{"calico 100 pods", modes.BYOCNICalico, 110, 100, modes.Demand{NodeSubnet: 1, PodRange: 2 * 64, VNetAddresses: 1}},
		{"calico 63 pods", modes.BYOCNICalico, 110, 63, modes.Demand{NodeSubnet: 1, PodRange: 64, VNetAddresses: 1}},
		{"calico 64 pods", modes.BYOCNICalico, 110, 64, modes.Demand{NodeSubnet: 1, PodRange: 2 * 64, VNetAddresses: 1}},
		{"calico no pods", modes.BYOCNICalico, 110, 0, modes.Demand{NodeSubnet: 1, PodRange: 64, VNetAddresses: 1}},
		{"byo cilium", modes.BYOCNICilium, 110, 3, modes.Demand{NodeSubnet: 1, PodRange: 256, VNetAddresses: 1}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.mode.Spec().PerNode(tt.maxPods, tt.pods), tt.name)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		mode    modes.Mode
		os      modes.OS
		policy  modes.Policy
		wantErr string
		instead []modes.Mode
	}{
		{"overlay windows npm", modes.AzureCNIOverlay, modes.Windows, modes.PolicyAzure, "", nil},
		{"cni windows", modes.AzureCNI, modes.Windows, modes.PolicyNone, "", nil},
		{"kubenet windows", modes.Kubenet, modes.Windows, modes.PolicyNone, "kubenet does not support Windows node pools",
			[]modes.Mode{modes.AzureCNI, modes.AzureCNIPodSubnet, modes.AzureCNIStaticBlock, modes.AzureCNIOverlay}},
		{"cilium windows", modes.CiliumOverlay, modes.Windows, modes.PolicyCilium, "only for Linux",
			[]modes.Mode{modes.AzureCNI, modes.AzureCNIPodSubnet, modes.AzureCNIStaticBlock, modes.AzureCNIOverlay}},
		{"calico on cilium", modes.CiliumOverlay, modes.Linux, modes.PolicyCalico, "use network policy cilium",
			[]modes.Mode{modes.Kubenet, modes.AzureCNI, modes.AzureCNIPodSubnet, modes.AzureCNIStaticBlock, modes.AzureCNIOverlay, modes.BYOCNICalico}},
		{"npm on kubenet", modes.Kubenet, modes.Linux, modes.PolicyAzure, "network policy azure",
			[]modes.Mode{modes.AzureCNI, modes.AzureCNIPodSubnet, modes.AzureCNIStaticBlock, modes.AzureCNIOverlay}},
		{"cilium policy windows", modes.AzureCNIOverlay, modes.Windows, modes.PolicyCilium, "network policy cilium", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.mode.Spec().Check(tt.os, tt.policy)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			var ie *modes.IncompatibleError
			require.True(t, errors.As(err, &ie), "got %v", err)
			assert.ErrorContains(t, err, tt.wantErr)
			assert.Equal(t, tt.instead, ie.Instead)
			for _, m := range tt.instead {
				assert.Contains(t, err.Error(), m.String())
			}
		})
	}
}

func TestParseOSAndPolicy(t *testing.T) {
	for in, want := range map[string]modes.OS{"Linux": modes.Linux, "windows": modes.Windows, "": modes.Linux} {
		got, err := modes.ParseOS(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := modes.ParseOS("Plan9")
	assert.ErrorContains(t, err, `osType "Plan9"`)
	for in, want := range map[string]modes.Policy{"": modes.PolicyNone, "azure": modes.PolicyAzure, "Calico": modes.PolicyCalico, "cilium": modes.PolicyCilium, "none": modes.PolicyNone} {
		got, err := modes.ParsePolicy(in)
		require.NoError(t, err)
		assert.Equal(t, want, got, in)
	}
	_, err = modes.ParsePolicy("antrea")
	assert.ErrorContains(t, err, `networkPolicy "antrea"`)
}

// A Spec survives a JSON round trip, so custom modes can live in files.
func TestSpecJSON(t *testing.T) {
	for _, m := range modes.All() {
		s := m.Spec()
		b, err := json.Marshal(s)
		require.NoError(t, err)
		var back modes.Spec
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		assert.Equal(t, s, back, m.String())
	}
	var back modes.Spec
	assert.Error(t, json.Unmarshal([]byte(`{"nodeIPs":"moon"}`), &back))
	assert.Error(t, json.Unmarshal([]byte(`{"policies":["antrea"]}`), &back))
}

// Every source is a VNet subnet, a pod range, or none: never both.
func TestSourceKinds(t *testing.T) {
	for s, want := range map[modes.Source][2]bool{
		modes.NoSource:   {false, false},
		modes.NodeSubnet: {true, false},
		modes.PodSubnet:  {true, false},
		modes.PodCIDR:    {false, true},
		modes.CNIPool:    {false, true},
	} {
		assert.Equal(t, want, [2]bool{s.IsVNet(), s.IsPodRange()}, s.String())
	}
}
