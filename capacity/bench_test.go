package capacity_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
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
			if _, err := capacity.Analyze(c); err != nil {
				t.Fatal(err)
			}
		})
	}
	a10, a100 := count(10), count(100)
	t.Logf("allocs: 10 pools %v, 100 pools %v", a10, a100)
	if a100 > a10+4 { // map buckets for the larger index may take a few more
		t.Fatalf("Analyze allocates %v times for 100 pools, %v for 10: allocations grow with pools", a100, a10)
	}
}
