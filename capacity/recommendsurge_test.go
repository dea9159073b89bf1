package capacity_test

import (
	"math"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Recommend never returns a prefix length outside 0..32: a custom Spec of
// /8 blocks whose nodes need 550 of them (500 + 10% surge) needs a /-2.
func TestRecommendNothingFits(t *testing.T) {
	s := modes.AzureCNIOverlay.Spec()
	s.Mode, s.Pods.BlockBits, s.DefaultPodCIDR = 0, 8, pfx("100.0.0.0/8")
	c := capacity.Cluster{Spec: &s, Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/16")}, Pools: []capacity.Pool{{Name: "p", Count: 500}}}
	require.NoError(t, c.Validate())
	r, err := capacity.Recommend(c)
	require.Error(t, err, "%+v", r)
	assert.Contains(t, err.Error(), "550 blocks")
	// 2 nodes + 1 surge need 3 /8 blocks: a /6.
	c.Pools[0].Count = 2
	r, err = capacity.Recommend(c)
	require.NoError(t, err)
	found := false
	for _, sp := range r.Spaces {
		if sp.Source == modes.PodCIDR {
			found = true
			assert.Equal(t, 6, sp.Bits)
		}
	}
	assert.True(t, found)
}

func TestSurgeValidated(t *testing.T) {
	for _, tt := range []struct {
		name  string
		edit  func(*capacity.Cluster)
		field string
	}{
		{"negative default", func(c *capacity.Cluster) { c.DefaultMaxSurge = capacity.SurgeNodes(-1) }, "DefaultMaxSurge"},
		{"default over 100%", func(c *capacity.Cluster) { c.DefaultMaxSurge = capacity.SurgePercent(150) }, "DefaultMaxSurge"},
		{"absurd default", func(c *capacity.Cluster) { c.DefaultMaxSurge = capacity.SurgeNodes(math.MaxInt) }, "DefaultMaxSurge"},
		{"negative pool count", func(c *capacity.Cluster) { c.Pools[0].MaxSurge = capacity.SurgeNodes(-3) }, "Pools[0].MaxSurge"},
		{"negative pool percent", func(c *capacity.Cluster) { c.Pools[0].MaxSurge = capacity.SurgePercent(-10) }, "Pools[0].MaxSurge"},
		{"pool over 100%", func(c *capacity.Cluster) { c.Pools[0].MaxSurge = capacity.SurgePercent(101) }, "Pools[0].MaxSurge"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 4})
			tt.edit(&c)
			var ve *capacity.ValidationError
			require.ErrorAs(t, c.Validate(), &ve)
			assert.True(t, ve.Has(tt.field), "%v", ve)
		})
	}
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 4, MaxSurge: capacity.SurgePercent(100)})
	c.DefaultMaxSurge = capacity.SurgeNodes(0)
	require.NoError(t, c.Validate())
	back, _ := roundTrip(t, c)
	assert.Equal(t, c, back)
}
