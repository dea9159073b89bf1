package capacity_test

import (
	"context"
	"math"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The custom Specs issue 13 found panicking in Simulate and Forecast are
// rejected by Validate, naming the field, and every entry point returns
// that error.
func TestCustomSpecsRejected(t *testing.T) {
	pods := func(s modes.Spec) capacity.Cluster {
		return capacity.Cluster{Spec: &s,
			Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/22"), subnet("pods", "10.241.0.0/20")},
			Pools:   []capacity.Pool{{Name: "p", Count: 3, NodeSubnet: "nodes", PodSubnet: "pods"}}}
	}
	nodes := func(s modes.Spec) capacity.Cluster {
		return capacity.Cluster{Spec: &s, Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/22")}, Pools: []capacity.Pool{{Name: "p", Count: 3}}}
	}
	static := modes.AzureCNI.Spec()
	static.Pods.Unit, static.Pods.BlockBits = modes.StaticBlock, 28
	negative := modes.AzureCNIPodSubnet.Spec()
	negative.Pods.RequestThreshold = -1
	huge := modes.AzureCNI.Spec()
	huge.MaxNodesPerPool = math.MaxInt
	bigPods := modes.AzureCNI.Spec()
	bigPods.MaxPods.Max = math.MaxInt / 2
	for _, tt := range []struct {
		name  string
		c     capacity.Cluster
		field string
	}{
		{"static blocks from the node subnet", nodes(static), "Spec.Pods.Source"},
		{"negative request threshold", pods(negative), "Spec.Pods.RequestThreshold"},
		{"MaxNodesPerPool MaxInt", nodes(huge), "Spec.MaxNodesPerPool"},
		{"MaxPods beyond bounds", nodes(bigPods), "Spec.MaxPods"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ve *capacity.ValidationError
			err := tt.c.Validate()
			require.ErrorAs(t, err, &ve)
			assert.True(t, ve.Has(tt.field), "%v", ve)
			var fe *modes.FieldError
			require.ErrorAs(t, err, &fe, "the Spec's problem is reachable as a value")
			_, err = capacity.Simulate(context.Background(), tt.c, capacity.ScaleOut("p", 50))
			require.ErrorAs(t, err, &ve)
			_, err = capacity.Forecast(context.Background(), tt.c, "p", capacity.ForecastOptions{Trials: 3, Workers: 2})
			require.ErrorAs(t, err, &ve)
		})
	}
}

// A static-block pod subnet smaller than one block is a validation problem,
// not an allocator's error.
func TestStaticBlockPodSubnetHoldsNoBlock(t *testing.T) {
	c := capacity.Cluster{Mode: modes.AzureCNIStaticBlock,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/22"), subnet("pods", "10.241.0.0/29")},
		Pools:   []capacity.Pool{{Name: "p", Count: 3, NodeSubnet: "nodes", PodSubnet: "pods"}}}
	var ve *capacity.ValidationError
	require.ErrorAs(t, c.Validate(), &ve)
	assert.True(t, ve.Has("Pools[0].PodSubnet"), "%v", ve)
}

// A custom static-block Spec takes the blocks its own arithmetic says:
// /27s and 3 reserved, maxPods 40 → ceil(43/32) = 2 blocks of 32 per node
// (AKS's /28 arithmetic would say ceil(41/16) = 3), so a /24 pod subnet's 8
// blocks, less the first and last (Azure's addresses), hold 6 blocks: 3
// nodes. Simulate and Analyze agree.
func TestCustomStaticBlocks(t *testing.T) {
	s := modes.AzureCNIStaticBlock.Spec()
	s.Mode, s.Pods.BlockBits, s.Pods.ReservedPerNode = 0, 27, 3
	c := capacity.Cluster{Spec: &s,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/22"), subnet("pods", "10.241.0.0/24")},
		Pools:   []capacity.Pool{{Name: "p", Count: 1, MaxPods: 40, NodeSubnet: "nodes", PodSubnet: "pods"}}}
	r, err := capacity.Analyze(c)
	require.NoError(t, err)
	assert.Equal(t, 3, r.Pools[0].MaxNodes)
	ex := exhausted(t, c, "p", 10)
	assert.Equal(t, 3, ex.Nodes)
	assert.Equal(t, capacity.LimitPodSubnet, ex.Limit)
}
