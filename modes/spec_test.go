package modes_test

import (
	"errors"
	"math"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSpecValidateBuiltins(t *testing.T) {
	for _, m := range modes.All() {
		assert.NoError(t, m.Spec().Validate(), "%v", m)
	}
	assert.Error(t, modes.Spec{}.Validate(), "the zero Spec runs nothing")
}

// Every field capacity relies on is checked, and the problem names it.
func TestSpecValidateRejects(t *testing.T) {
	pod := modes.AzureCNIPodSubnet.Spec
	static := modes.AzureCNIStaticBlock.Spec
	overlay := modes.AzureCNIOverlay.Spec
	legacy := modes.AzureCNI.Spec
	kubenet := modes.Kubenet.Spec
	for _, tt := range []struct {
		name  string
		spec  func() modes.Spec
		edit  func(*modes.Spec)
		field string
	}{
		{"node IPs from a pod subnet", legacy, func(s *modes.Spec) { s.NodeIPs = modes.PodSubnet }, "NodeIPs"},
		{"node IPs from nowhere", legacy, func(s *modes.Spec) { s.NodeIPs = modes.NoSource }, "NodeIPs"},
		{"unknown mode", legacy, func(s *modes.Spec) { s.Mode = 200 }, "Mode"},
		{"unknown unit", legacy, func(s *modes.Spec) { s.Pods.Unit = 9 }, "Pods.Unit"},
		{"unknown source", legacy, func(s *modes.Spec) { s.Pods.Source = 9 }, "Pods.Source"},
		{"static blocks from the node subnet", legacy, func(s *modes.Spec) { s.Pods.Unit, s.Pods.BlockBits = modes.StaticBlock, 28 }, "Pods.Source"},
		{"per pod from a pod subnet", pod, func(s *modes.Spec) {
			s.Pods = modes.PodAllocation{Source: modes.PodSubnet, Unit: modes.PerPod}
		}, "Pods.Source"},
		{"batches from a pod CIDR", pod, func(s *modes.Spec) { s.Pods.Source = modes.PodCIDR }, "Pods.Source"},
		{"node blocks from a pod subnet", overlay, func(s *modes.Spec) { s.Pods.Source = modes.PodSubnet }, "Pods.Source"},
		{"pods from nowhere with a unit", legacy, func(s *modes.Spec) { s.Pods.Source = modes.NoSource }, "Pods.Source"},
		{"block bits 7", overlay, func(s *modes.Spec) { s.Pods.BlockBits = 7 }, "Pods.BlockBits"},
		{"block bits 33", static, func(s *modes.Spec) { s.Pods.BlockBits = 33 }, "Pods.BlockBits"},
		{"block bits without blocks", legacy, func(s *modes.Spec) { s.Pods.BlockBits = 24 }, "Pods.BlockBits"},
		{"batch 0", pod, func(s *modes.Spec) { s.Pods.BatchSize = 0 }, "Pods.BatchSize"},
		{"batch too big", pod, func(s *modes.Spec) { s.Pods.BatchSize = modes.SpecMaxPods + 1 }, "Pods.BatchSize"},
		{"negative request threshold", pod, func(s *modes.Spec) { s.Pods.RequestThreshold = -0.5 }, "Pods.RequestThreshold"},
		{"NaN request threshold", pod, func(s *modes.Spec) { s.Pods.RequestThreshold = math.NaN() }, "Pods.RequestThreshold"},
		{"huge request threshold", pod, func(s *modes.Spec) { s.Pods.RequestThreshold, s.Pods.ReleaseThreshold = 1e300, 1e300 }, "Pods.RequestThreshold"},
		{"infinite release threshold", pod, func(s *modes.Spec) { s.Pods.ReleaseThreshold = math.Inf(1) }, "Pods.ReleaseThreshold"},
		{"release below request", pod, func(s *modes.Spec) { s.Pods.ReleaseThreshold = 0.25 }, "Pods.ReleaseThreshold"},
		{"batch size without batches", legacy, func(s *modes.Spec) { s.Pods.BatchSize = 16 }, "Pods.BatchSize"},
		{"threshold without batches", overlay, func(s *modes.Spec) { s.Pods.RequestThreshold = 0.5 }, "Pods.RequestThreshold"},
		{"negative reserved per node", static, func(s *modes.Spec) { s.Pods.ReservedPerNode = -1 }, "Pods.ReservedPerNode"},
		{"reserved per node without static blocks", pod, func(s *modes.Spec) { s.Pods.ReservedPerNode = 1 }, "Pods.ReservedPerNode"},
		{"negative tunnel addresses", modes.BYOCNICalico.Spec, func(s *modes.Spec) { s.Pods.TunnelAddresses = -1 }, "Pods.TunnelAddresses"},
		{"too many tunnel addresses", modes.BYOCNICalico.Spec, func(s *modes.Spec) { s.Pods.TunnelAddresses = modes.SpecMaxTunnel + 1 }, "Pods.TunnelAddresses"},
		{"tunnel addresses without on-demand blocks", kubenet, func(s *modes.Spec) { s.Pods.TunnelAddresses = 1 }, "Pods.TunnelAddresses"},
		{"blocks count once without static blocks", legacy, func(s *modes.Spec) { s.Pods.BlockCountsOnce = true }, "Pods.BlockCountsOnce"},
		{"max pods min 0", legacy, func(s *modes.Spec) { s.MaxPods.Min = 0 }, "MaxPods"},
		{"max pods default above max", legacy, func(s *modes.Spec) { s.MaxPods.Default = 300 }, "MaxPods"},
		{"max pods huge", legacy, func(s *modes.Spec) { s.MaxPods.Max = math.MaxInt }, "MaxPods"},
		{"negative min pods per pool", legacy, func(s *modes.Spec) { s.MinPodsPerPool = -1 }, "MinPodsPerPool"},
		{"max nodes 0", legacy, func(s *modes.Spec) { s.MaxNodes = 0 }, "MaxNodes"},
		{"max nodes huge", legacy, func(s *modes.Spec) { s.MaxNodes = modes.SpecMaxNodes + 1 }, "MaxNodes"},
		{"nodes × pods beyond bounds", legacy, func(s *modes.Spec) { s.MaxNodes, s.MaxPods.Max = 300_000, 250 }, "MaxNodes"}, // 75,000,000 > 2^26
		{"max nodes per pool MaxInt", legacy, func(s *modes.Spec) { s.MaxNodesPerPool = math.MaxInt }, "MaxNodesPerPool"},
		{"negative max routes", kubenet, func(s *modes.Spec) { s.MaxRoutes = -1 }, "MaxRoutes"},
		{"routes per node above the table", kubenet, func(s *modes.Spec) { s.RoutesPerNode = 401 }, "RoutesPerNode"},
		{"routes per node without a table", legacy, func(s *modes.Spec) { s.RoutesPerNode = 1 }, "RoutesPerNode"},
		{"IPv6 default pod CIDR", overlay, func(s *modes.Spec) { s.DefaultPodCIDR = netip.MustParsePrefix("fd00::/48") }, "DefaultPodCIDR"},
		{"unmasked default pod CIDR", overlay, func(s *modes.Spec) { s.DefaultPodCIDR = netip.MustParsePrefix("10.244.1.0/16") }, "DefaultPodCIDR"},
		{"dual-stack pods from a subnet", legacy, func(s *modes.Spec) { s.DualStack = true }, "DualStack"},
		{"dual-stack pods from a CNI pool", overlay, func(s *modes.Spec) { s.Pods.Source = modes.CNIPool }, "DualStack"},
		{"dual-stack without an IPv6 block", overlay, func(s *modes.Spec) { s.Pods.BlockBitsIPv6 = 0 }, "Pods.BlockBitsIPv6"},
		{"IPv6 block too wide", overlay, func(s *modes.Spec) { s.Pods.BlockBitsIPv6 = 47 }, "Pods.BlockBitsIPv6"},
		{"IPv6 block past 128", kubenet, func(s *modes.Spec) { s.Pods.BlockBitsIPv6 = 129 }, "Pods.BlockBitsIPv6"},
		{"unknown dataplane", legacy, func(s *modes.Spec) { s.Dataplane = 7 }, "Dataplane"},
		{"unknown policy", legacy, func(s *modes.Spec) { s.Policies = append(s.Policies, 4) }, "Policies[2]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.spec()
			require.NoError(t, s.Validate())
			tt.edit(&s)
			err := s.Validate()
			var se *modes.SpecError
			require.ErrorAs(t, err, &se)
			var fields []string
			for _, p := range se.Problems {
				fields = append(fields, p.Field)
			}
			assert.Contains(t, fields, tt.field, "%v", err)
			var fe *modes.FieldError
			require.True(t, errors.As(err, &fe), "errors.As reaches each problem")
			assert.NotRegexp(t, `modes\.|Unit\(|Source\(|Mode\(|Policy\(`, err.Error())
		})
	}
}

// Custom specs the engine can run pass: static blocks from a private range,
// and nodes whose pods take no addresses.
func TestSpecValidateAccepts(t *testing.T) {
	s := modes.AzureCNIStaticBlock.Spec()
	s.Mode, s.Pods.Source, s.Pods.BlockCountsOnce = 0, modes.CNIPool, false
	assert.NoError(t, s.Validate())

	h := modes.AzureCNI.Spec()
	h.Mode, h.Pods = 0, modes.PodAllocation{}
	assert.NoError(t, h.Validate())

	big := modes.AzureCNI.Spec()
	big.MaxNodes, big.MaxPods.Max = 262_144, 256 // exactly 2^26 pods
	assert.NoError(t, big.Validate())

	k := modes.Kubenet.Spec()
	k.DualStack = true // a dual-stack kubenet cluster created before 2025-03 [KDS]
	assert.NoError(t, k.Validate())
	assert.Equal(t, 80, k.Pods.BlockBitsIPv6)

	b := modes.AzureCNIPodSubnet.Spec()
	b.Pods.RequestThreshold, b.Pods.ReleaseThreshold = 0, 0
	assert.NoError(t, b.Validate(), "thresholds of 0: a batch when the node is full, given back when one is free")
}

// Validate's messages write identifiers as String gives them, quoted, and
// its problems name the package and the Spec's Go field path.
func TestSpecValidateMessages(t *testing.T) {
	s := modes.AzureCNIPodSubnet.Spec()
	s.DualStack, s.Pods.BlockBitsIPv6 = true, 80
	var se *modes.SpecError
	require.ErrorAs(t, s.Validate(), &se)
	require.Len(t, se.Problems, 1)
	assert.Equal(t, modes.FieldError{Pkg: "modes", Field: "DualStack", Value: "true",
		Reason: `a dual-stack node takes one IPv6 block of the pod CIDR: want unit node-block from source pod-cidr, not unit batch from source pod-subnet`},
		*se.Problems[0])

	s = modes.AzureCNI.Spec()
	s.Pods.Unit, s.Pods.BlockBits = modes.StaticBlock, 28
	require.ErrorAs(t, s.Validate(), &se)
	require.Len(t, se.Problems, 1)
	assert.Equal(t, `unit static-block cannot take addresses from source node-subnet: want pod-subnet, pod-cidr or cni-pool`,
		se.Problems[0].Reason)
}

// A custom Spec, whose Mode is zero, is named so in an IncompatibleError.
func TestIncompatibleCustomSpec(t *testing.T) {
	s := modes.Kubenet.Spec()
	s.Mode = 0
	err := s.Check(modes.Windows, modes.PolicyNone)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "modes: the custom spec does not support Windows node pools")
}
