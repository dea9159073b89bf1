package capacity_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/require"
)

// randomStaticCluster draws a valid cluster of a static mode: one to four
// pools on one or two node subnets, a pod subnet or pod CIDR of random size,
// addresses used by others, random maxPods and surge.
func randomStaticCluster(r *rand.Rand) capacity.Cluster {
	m := staticModes[r.IntN(len(staticModes))]
	s := m.Spec()
	c := capacity.Cluster{Mode: m, ServiceCIDRs: []netip.Prefix{pfx("192.168.0.0/16")}, DNSServiceIP: netipAddr("192.168.0.10")}
	nSubnets := 1 + r.IntN(2)
	for i := range nSubnets {
		bits := 20 + r.IntN(9) // /20 … /28
		c.Subnets = append(c.Subnets, capacity.Subnet{Name: fmt.Sprintf("n%d", i),
			Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), bits)}, Reserved: r.IntN(4)})
	}
	if s.Pods.Source == modes.PodSubnet {
		bits := 19 + r.IntN(8)
		c.Subnets = append(c.Subnets, capacity.Subnet{Name: "pods",
			Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 100, 0, 0}), bits)}, Reserved: r.IntN(20)})
	}
	podRange := []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, 0, 0}), 14+r.IntN(9))}
	switch s.Pods.Source {
	case modes.PodCIDR:
		c.PodCIDRs = podRange
	case modes.CNIPool:
		c.CNIPool = podRange
	}
	for i := range 1 + r.IntN(4) {
		maxPods := 10 + r.IntN(241)
		p := capacity.Pool{Name: fmt.Sprintf("p%d", i), Count: 3 + r.IntN(4), MaxPods: maxPods,
			NodeSubnet: fmt.Sprintf("n%d", r.IntN(nSubnets))}
		if r.IntN(2) == 0 {
			p.MaxSurge = capacity.SurgePercent(1 + r.IntN(100))
		} else {
			p.MaxSurge = capacity.SurgeNodes(r.IntN(5))
		}
		if s.Pods.Source == modes.PodSubnet {
			p.PodSubnet = "pods"
		}
		c.Pools = append(c.Pools, p)
	}
	return c
}

// TestSimulateAgreesWithAnalyzeRandom: for hundreds of random static-mode
// clusters whose pools start at their committed size, Simulate stops a
// scale-out exactly where Analyze says, with the same limit, and upgrades
// fit at MaxNodesWithSurge and fail one node above.
func TestSimulateAgreesWithAnalyzeRandom(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 60
	}
	r := rand.New(rand.NewPCG(42, 42))
	ctx := context.Background()
	checked := 0
	for range n {
		c := randomStaticCluster(r)
		rep, err := capacity.Analyze(c)
		if err != nil {
			continue // an invalid draw (a pool too small for its maxPods, ...)
		}
		pi := r.IntN(len(c.Pools))
		pool := c.Pools[pi].Name
		want := rep.Pools[pi]
		fits := true
		for _, sp := range rep.Spaces {
			fits = fits && sp.Free >= 0
		}
		for _, pr := range rep.Pools {
			fits = fits && pr.MaxNodes >= pr.AtMax
		}
		if !fits {
			continue // the cluster as given does not fit: nothing to scale
		}
		checked++
		tl, err := capacity.Simulate(ctx, c, capacity.ScaleOut(pool, 5000))
		require.NoError(t, err)
		require.NotNil(t, tl.Exhausted, "%+v", c)
		require.Equal(t, want.MaxNodes, tl.Exhausted.Nodes, "mode %v cluster %+v: %v", c.Mode, c, tl.Exhausted)
		require.Equal(t, want.Limit, tl.Exhausted.Limit, "mode %v cluster %+v", c.Mode, c)

		up := capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpUpgrade, Pool: pool}}}
		c.KubernetesVersion = "1.34.2" // no fallback to a smaller surge
		// Upgrades at MaxNodesWithSurge (fits) and one node above (fails),
		// where that count is a valid pool.
		for _, n := range []int{want.MaxNodesWithSurge, want.MaxNodesWithSurge + 1} {
			c.Pools[pi].Count = n
			if n > want.MaxNodes || c.Validate() != nil {
				continue
			}
			tl, err = capacity.Simulate(ctx, c, up)
			require.NoError(t, err)
			require.Equal(t, n > want.MaxNodesWithSurge, tl.Exhausted != nil, "upgrade at %d: mode %v cluster %+v: %v", n, c.Mode, c, tl.Exhausted)
		}
	}
	require.Greater(t, checked, n/4, "too few usable draws")
	t.Logf("%d clusters checked", checked)
}
