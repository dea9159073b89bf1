package capacity

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

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
	if s.Pods.Source == modes.PodCIDR || s.Pods.Source == modes.CNIPool {
		c.PodCIDRs = []netip.Prefix{netip.MustParsePrefix("10.244.0.0/18")}
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
	opt := ForecastOptions{Seed: 5, Pods: func(src rand.Source) distuv.Rander {
		return distuv.Normal{Mu: 18, Sigma: 10, Src: src}
	}}
	for _, mode := range modes.All() {
		c := trialCluster(mode)
		require.NoError(t, c.Validate(), mode.String())
		m, err := newModel(&c)
		require.NoError(t, err)
		reused, err := newEngine(m, nil, 0)
		require.NoError(t, err)
		for i := range 6 {
			fresh, err := newEngine(m, nil, 0)
			require.NoError(t, err)
			wn, wl, err := fresh.trial(1, i, opt)
			require.NoError(t, err)
			gn, gl, err := reused.trial(1, i, opt)
			require.NoError(t, err)
			require.Equal(t, [2]any{wn, wl}, [2]any{gn, gl}, "%v trial %d", mode, i)
			for k := range fresh.spaces {
				require.Equal(t, fresh.spaces[k].used(), reused.spaces[k].used(), "%v trial %d space %d", mode, i, k)
			}
			require.Equal(t, fresh.vnet, reused.vnet, "%v trial %d", mode, i)
		}
		// Emptied, the node subnet holds only what others use: Reserved 3.
		reused.reset(nil, 0)
		for k, sp := range m.spaces {
			if sp.Kind == KindNodeSubnet {
				require.Equal(t, 3, reused.spaces[k].used(), "%v: node subnet after reset", mode)
			}
		}
	}
}
