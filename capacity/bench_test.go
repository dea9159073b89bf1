package capacity_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/require"
)

// bigCluster returns an Azure CNI cluster of n pools spread over ten /20
// subnets, half of them autoscaling.
func bigCluster(n int) capacity.Cluster {
	c := capacity.Cluster{Mode: modes.AzureCNI}
	for s := range 10 {
		c.Subnets = append(c.Subnets, capacity.Subnet{Name: fmt.Sprintf("s%d", s),
			Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 240, byte(16 * s), 0}), 20)}, Reserved: s})
	}
	for i := range n {
		p := capacity.Pool{Name: fmt.Sprintf("pool%03d", i), Count: 3 + i%5, NodeSubnet: fmt.Sprintf("s%d", i%10)}
		if i%2 == 1 {
			p.MinCount, p.MaxCount = 1, 10
		}
		c.Pools = append(c.Pools, p)
	}
	return c
}

func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{10, 100} {
		c := bigCluster(n)
		if _, err := capacity.Analyze(c); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("pools=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := capacity.Analyze(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPreflight(b *testing.B) {
	c := bigCluster(100)
	b.ReportAllocs()
	for b.Loop() {
		_ = capacity.Preflight(c, capacity.Step{Op: capacity.OpUpgrade, Pool: "pool042"})
	}
}

func BenchmarkRecommend(b *testing.B) {
	c := bigCluster(100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := capacity.Recommend(c); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAnalyzeAllocsDoNotGrowWithPools checks that Analyze allocates the
// same number of times for 10 pools as for 100: nothing per pool beyond the
// report's slices and the name index.
func TestAnalyzeAllocsDoNotGrowWithPools(t *testing.T) {
	count := func(n int) float64 {
		c := bigCluster(n)
		return testing.AllocsPerRun(50, func() {
			_, err := capacity.Analyze(c)
			require.NoError(t, err)
		})
	}
	a10, a100 := count(10), count(100)
	t.Logf("allocs: 10 pools %v, 100 pools %v", a10, a100)
	// Map buckets for the larger index may take a few more.
	require.LessOrEqual(t, a100, a10+4, "Analyze allocates %v times for 100 pools, %v for 10: allocations grow with pools", a100, a10)
}

// fleet returns a cluster of five pools of 1,000 nodes' room in mode m,
// every space large enough, all pools starting empty. VNet-subnet modes run
// 10 pods per node so that 5,000 nodes fit the VNet's 65,536 addresses
// where the mode allows it.
func fleet(m modes.Mode) capacity.Cluster {
	c := capacity.Cluster{Mode: m,
		Subnets:      []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/14")}}},
		ServiceCIDRs: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")}, DNSServiceIP: netip.MustParseAddr("192.168.0.10"),
	}
	s := m.Spec()
	if s.Pods.Source == modes.PodSubnet {
		c.Subnets = append(c.Subnets, capacity.Subnet{Name: "pods", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.8.0.0/13")}})
	}
	switch wide := []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10")}; s.Pods.Source {
	case modes.PodCIDR:
		c.PodCIDRs = wide
	case modes.CNIPool:
		c.CNIPool = wide // the CNI's own pool: AKS's pod CIDR is not where its pods live
	}
	for i := range 5 {
		p := capacity.Pool{Name: fmt.Sprintf("pool%d", i), MaxPods: 30, PodsPerNode: 10, NodeSubnet: "nodes", MaxSurge: capacity.SurgePercent(10)}
		if s.Pods.Source == modes.NodeSubnet || s.Pods.Unit == modes.Batch {
			p.MaxPods = 10
		}
		if s.Pods.Source == modes.PodSubnet {
			p.PodSubnet = "pods"
		}
		c.Pools = append(c.Pools, p)
	}
	return c
}

// fleetScenario scales the five pools to 1,000 nodes each, then upgrades
// each pool with its surge.
func fleetScenario() capacity.Scenario {
	var sc capacity.Scenario
	for i := range 5 {
		sc.Steps = append(sc.Steps, capacity.Step{Op: capacity.OpScale, Pool: fmt.Sprintf("pool%d", i), Nodes: 1000})
	}
	for i := range 5 {
		sc.Steps = append(sc.Steps, capacity.Step{Op: capacity.OpUpgrade, Pool: fmt.Sprintf("pool%d", i)})
	}
	return sc
}

func BenchmarkSimulate(b *testing.B) {
	ctx := context.Background()
	for _, m := range modes.All() {
		c, sc := fleet(m), fleetScenario()
		b.Run(fmt.Sprintf("mode=%v/nodes=5000", m), func(b *testing.B) {
			b.ReportAllocs()
			var tl *capacity.Timeline
			for b.Loop() {
				var err error
				if tl, err = capacity.Simulate(ctx, c, sc); err != nil {
					b.Fatal(err)
				}
			}
			nodes := 0
			for _, n := range tl.Steps[len(tl.Steps)-1].Nodes {
				nodes += n
			}
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}

func BenchmarkForecast(b *testing.B) {
	// Four pools at 1,000 and a fifth growing from 0 to the cluster's 5,000.
	c := fleet(modes.AzureCNIOverlay)
	for i := range 4 {
		c.Pools[i].Count = 1000
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("trials=1000/workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f, err := capacity.Forecast(context.Background(), c, "pool4", capacity.ForecastOptions{Trials: 1000, Workers: w, Pods: podDensity})
				if err != nil {
					b.Fatal(err)
				}
				if f.Nodes.P50 != 1000 {
					b.Fatalf("P50 %v, want 1000", f.Nodes.P50)
				}
			}
		})
	}
}

// BenchmarkForecastHistory: trajectories replayed through the allocators,
// pods drawn per node (every day's scale-in and scale-out replayed), and
// fixed (only new maxima replayed), for a pool growing and one that is not.
func BenchmarkForecastHistory(b *testing.B) {
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	for _, tt := range []struct {
		name   string
		counts []int
	}{{"growing", []int{4, 5, 5, 7, 8, 10, 10}}, {"flat", []int{10, 12, 9, 11, 10, 12, 10}}} {
		var h []capacity.Observation
		for w, n := range tt.counts {
			h = append(h, capacity.Observation{Time: day(7 * w), Nodes: n})
		}
		c := dynamicCluster()
		for _, pods := range []bool{true, false} {
			opt := capacity.ForecastOptions{Trials: 200, Workers: 1, History: h}
			if pods {
				opt.Pods = podDensity
			}
			b.Run(fmt.Sprintf("%s/pods=%v", tt.name, pods), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := capacity.Forecast(context.Background(), c, "user", opt); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
