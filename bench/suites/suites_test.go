package suites_test

import (
	"testing"

	"github.com/ipcap/ipcap/bench/peers"
	"github.com/ipcap/ipcap/bench/suites"
	"github.com/ipcap/ipcap/ipam"
	"github.com/ipcap/ipcap/modes"
)

func blocks(b *testing.B, suite func(*testing.B, peers.BlockImpl), impls []peers.BlockImpl) {
	for _, impl := range impls {
		b.Run("impl="+impl.Name, func(b *testing.B) { suite(b, impl) })
	}
}

func addrs(b *testing.B, suite func(*testing.B, peers.AddrImpl), impls []peers.AddrImpl) {
	for _, impl := range impls {
		b.Run("impl="+impl.Name, func(b *testing.B) { suite(b, impl) })
	}
}

func BenchmarkNodeCIDRs(b *testing.B)    { blocks(b, suites.NodeCIDRs, peers.BlockImpls()) }
func BenchmarkLastHole(b *testing.B)     { blocks(b, suites.LastHole, peers.BlockImpls()) }
func BenchmarkTwoHoles(b *testing.B)     { blocks(b, suites.TwoHoles, peers.BlockImpls()) }
func BenchmarkPodAddresses(b *testing.B) { addrs(b, suites.PodAddresses, peers.AddrImpls()) }
func BenchmarkLivePods(b *testing.B)     { addrs(b, suites.LivePods, peers.AddrImpls()) }
func BenchmarkLivePodsPerNode(b *testing.B) {
	addrs(b, suites.LivePodsPerNode, peers.AddrImpls())
}
func BenchmarkChurn(b *testing.B)         { addrs(b, suites.Churn, peers.AddrImpls()) }
func BenchmarkChurnTwoHoles(b *testing.B) { addrs(b, suites.ChurnTwoHoles, peers.AddrImpls()) }

func BenchmarkStrategies(b *testing.B) {
	b.Run("suite=NodeCIDRs", func(b *testing.B) { blocks(b, suites.NodeCIDRs, suites.StrategyBlockImpls()) })
	b.Run("suite=LastHole", func(b *testing.B) { blocks(b, suites.LastHole, suites.StrategyBlockImpls()) })
	b.Run("suite=PodAddresses", func(b *testing.B) { addrs(b, suites.PodAddresses, suites.StrategyAddrImpls()) })
	b.Run("suite=LivePods", func(b *testing.B) { addrs(b, suites.LivePods, suites.StrategyAddrImpls()) })
	b.Run("suite=Churn", func(b *testing.B) { addrs(b, suites.Churn, suites.StrategyAddrImpls()) })
	b.Run("suite=ChurnTwoHoles", func(b *testing.B) { addrs(b, suites.ChurnTwoHoles, suites.StrategyAddrImpls()) })
	for _, st := range []ipam.Strategy{ipam.FirstFit, ipam.NextFit, ipam.Random} {
		b.Run("suite=Fragmentation/impl=ipcap-"+st.String(), func(b *testing.B) { suites.Fragmentation(b, st) })
	}
}

func BenchmarkSimulate(b *testing.B) {
	for _, m := range modes.All() {
		b.Run("mode="+m.String()+"/nodes=5000", func(b *testing.B) { suites.Simulate(b, m) })
	}
}
