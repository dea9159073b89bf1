package capacity

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// trialCluster is a small cluster of mode m with room for a few dozen
// nodes, so that a trial runs to exhaustion quickly.
func trialCluster(m modes.Mode) Cluster {
	c := Cluster{Mode: m,
		Subnets: []Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/22")}, Reserved: 3}},
	}
	s := m.Spec()
	if s.Pods.Source == modes.PodSubnet {
		c.Subnets = append(c.Subnets, Subnet{Name: "pods", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.241.0.0/21")}})
	}
	switch s.Pods.Source {
	case modes.PodCIDR:
		c.PodCIDRs = []netip.Prefix{netip.MustParsePrefix("10.244.0.0/18")}
	case modes.CNIPool:
		c.CNIPool = []netip.Prefix{netip.MustParsePrefix("10.244.0.0/18")}
	}
	for i, count := range []int{2, 3} {
		p := Pool{Name: fmt.Sprintf("pool%d", i), Count: count, MaxPods: 30, NodeSubnet: "nodes"}
		if s.Pods.Source == modes.PodSubnet {
			p.PodSubnet = "pods"
		}
		c.Pools = append(c.Pools, p)
	}
	return c
}

// TestTrialOnReusedEngine runs forecast trials on one engine, reset between
// them, and each on a new engine: reset must leave nothing of the previous
// trial behind, or a forecast would depend on how trials fell to workers.
func TestTrialOnReusedEngine(t *testing.T) {
	// A noisy history: the trajectories scale the pool in and out.
	var h []Observation
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for d, n := range []int{3, 6, 4, 8, 5, 9, 7, 11, 8, 3} {
		h = append(h, Observation{Time: t0.AddDate(0, 0, d), Nodes: n})
	}
	opt := ForecastOptions{Seed: 5, History: h, Pods: func(src rand.Source) distuv.Rander {
		return distuv.Normal{Mu: 18, Sigma: 10, Src: src}
	}}
	for _, mode := range modes.All() {
		c := trialCluster(mode)
		require.NoError(t, c.Validate(), mode.String())
		m, err := newModel(&c)
		require.NoError(t, err)
		f := newForecaster(m, 1, &opt)
		require.NotNil(t, f.g)
		reused, err := newEngine(m, nil, 0)
		require.NoError(t, err)
		rw := &trialWorker{e: reused}
		for i := range 6 {
			fresh, err := newEngine(m, nil, 0)
			require.NoError(t, err)
			want, err := f.trial(&trialWorker{e: fresh}, i)
			require.NoError(t, err)
			got, err := f.trial(rw, i)
			require.NoError(t, err)
			require.Equal(t, want, got, "%v trial %d", mode, i)
			for k := range fresh.spaces {
				require.Equal(t, fresh.spaces[k].used(), reused.spaces[k].used(), "%v trial %d space %d", mode, i, k)
			}
			require.Equal(t, fresh.vnet, reused.vnet, "%v trial %d", mode, i)
		}
		// Emptied, the node subnet holds only what others use: Reserved 3.
		reused.reset(nil, 0)
		for k, sp := range m.spaces {
			if sp.Source == modes.NodeSubnet {
				require.Equal(t, 3, reused.spaces[k].used(), "%v: node subnet after reset", mode)
			}
		}
	}
}
