package capacity_test

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// gen reads choices from fuzz bytes; past the end every choice is 0.
type gen struct {
	b []byte
	i int
}

func (g *gen) u8() int {
	if g.i >= len(g.b) {
		return 0
	}
	g.i++
	return int(g.b[g.i-1])
}

func (g *gen) bit() bool { return g.u8()%2 == 1 }

func pick[T any](g *gen, xs ...T) T { return xs[g.u8()%len(xs)] }

// mostly picks one of the first n of xs three times in four, else any.
func mostly[T any](g *gen, n int, xs ...T) T {
	v := g.u8()
	if v%4 != 0 {
		return xs[v/4%n]
	}
	return xs[v/4%len(xs)]
}

// counts are node, pod and route counts: ordinary, boundary and hostile.
var counts = []int{1, 3, 10, 0, 30, 250, 1000, 5000, -1, modes.SpecMaxNodes, modes.SpecMaxNodes + 1, math.MaxInt, math.MinInt}

var surges = []capacity.Surge{{}, capacity.SurgeNodes(0), capacity.SurgeNodes(1), capacity.SurgeNodes(5), capacity.SurgeNodes(-1),
	capacity.SurgeNodes(math.MaxInt), capacity.SurgePercent(0), capacity.SurgePercent(33), capacity.SurgePercent(100),
	capacity.SurgePercent(101), capacity.SurgePercent(-5)}

// spec returns an AKS mode's Spec or, mostly, one edited field by field.
func (g *gen) spec() *modes.Spec {
	s := pick(g, modes.All()...).Spec()
	if g.u8()%4 == 0 {
		return &s
	}
	s.Mode, s.Name = 0, "custom"
	a, b := g.u8(), g.u8()
	flags := a & b // each field edited one time in four
	if flags&1 != 0 {
		s.NodeIPs = mostly(g, 1, modes.NodeSubnet, modes.NoSource, modes.PodSubnet, modes.PodCIDR, modes.CNIPool, 5)
	}
	if flags&2 != 0 {
		if g.u8()%4 == 0 { // pods without addresses: the zero Unit, which has no other field
			s.Pods, s.DualStack = modes.PodAllocation{}, false
		} else {
			s.Pods.Source, s.Pods.Unit = modes.Source(g.u8()%6), modes.Unit(g.u8()%7) // 5 and 6: unknown
		}
	}
	if flags&4 != 0 {
		s.Pods.BlockBits = mostly(g, 9, 0, 24, 26, 28, 8, 16, 20, 27, 30, 32, 7, 33, -1)
	}
	if flags&8 != 0 {
		s.Pods.BatchSize = mostly(g, 4, 16, 1, 4, 64, 0, -1, modes.SpecMaxPods+1)
		th := []float64{0, 0.5, 1.5, 3, -1, math.NaN(), math.Inf(1), 1e300, 200}
		s.Pods.RequestThreshold, s.Pods.ReleaseThreshold = mostly(g, 4, th...), mostly(g, 4, th...)
	}
	if flags&16 != 0 {
		s.Pods.ReservedPerNode, s.Pods.BlockCountsOnce = mostly(g, 4, 0, 1, 3, 17, -1, modes.SpecMaxPods+1), g.u8()%4 == 0
		s.Pods.TunnelAddresses = mostly(g, 4, 0, 1, 2, 64, -1, modes.SpecMaxTunnel+1)
	}
	if flags&32 != 0 {
		s.MaxPods = modes.Range{Min: mostly(g, 2, 1, 10, 0, -1), Default: mostly(g, 3, 30, 110, 10, 1, 250), Max: mostly(g, 4, 250, 1000, 30, modes.SpecMaxPods, modes.SpecMaxPods+1, math.MaxInt)}
	}
	if flags&64 != 0 {
		s.MaxNodes, s.MaxNodesPerPool = mostly(g, 8, counts...), mostly(g, 8, counts...)
	}
	if flags&128 != 0 {
		s.MaxRoutes, s.RoutesPerNode, s.MinPodsPerPool = mostly(g, 3, 0, 400, 5, -1, modes.SpecMaxNodes+1), mostly(g, 3, 0, 1, 2, 500, -1), mostly(g, 3, 30, 0, 1000, -1)
	}
	return &s
}

// cluster builds a small cluster (node subnet /22 or smaller, pod ranges
// /16 or smaller, so a trial ends in milliseconds) with hostile pools.
func (g *gen) cluster() capacity.Cluster {
	c := capacity.Cluster{Spec: g.spec()}
	nodeBits, podBits := 22+g.u8()%8, 16+g.u8()%14
	c.Subnets = []capacity.Subnet{
		{Name: "nodes", Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 240, 0, 0}), nodeBits)}, Reserved: mostly(g, 3, 0, 3, 100, -1, 5000)},
		{Name: "pods", Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 250, 0, 0}), podBits)}},
	}
	if src := c.Spec.Pods.Source; (src == modes.PodCIDR || src == modes.CNIPool) && g.bit() || g.u8()%8 == 0 {
		c.PodCIDRs = []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, 0, 0}), 16+g.u8()%13)}
	}
	if c.Spec.Pods.Source == modes.CNIPool && g.bit() || g.u8()%8 == 0 {
		c.CNIPool = []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 80, 0, 0}), 16+g.u8()%13)}
	}
	c.DefaultMaxSurge = mostly(g, 4, surges...)
	for i := range 1 + g.u8()%3 {
		p := capacity.Pool{Name: string(rune('a' + i)), Count: mostly(g, 3, counts...), MaxPods: mostly(g, 4, 0, 10, 30, 250, 1, -1, 251, modes.SpecMaxPods+1),
			PodsPerNode: mostly(g, 4, 0, 1, 5, 30, -1, 300), MaxSurge: mostly(g, 4, surges...), NodeSubnet: "nodes", OS: mostly(g, 1, modes.Linux, modes.Windows)}
		if c.Spec.Pods.Source == modes.PodSubnet || g.u8()%8 == 0 {
			p.PodSubnet = "pods"
		}
		if g.u8()%4 == 0 {
			p.MinCount, p.MaxCount = pick(g, 0, 1, 3), mostly(g, 6, counts...)
		}
		c.Pools = append(c.Pools, p)
	}
	if g.u8()%4 == 0 { // dual-stack, the Spec and the ranges often fit for it
		c.DualStack = true
		c.Spec.DualStack = g.u8()%4 != 0
		c.Spec.Pods.BlockBitsIPv6 = mostly(g, 4, 80, 72, 96, 120, 0, 47, 129)
		if g.u8()%4 != 0 {
			c.Subnets[0].Prefixes = append(c.Subnets[0].Prefixes, netip.MustParsePrefix(mostly(g, 1, "fd00:1::/64", "fd00:1::/56", "fd12:3456:789a::/64")))
		}
		if g.bit() {
			c.PodCIDRs = append(c.PodCIDRs, netip.PrefixFrom(netip.MustParseAddr("fd12:3456:789a::"), mostly(g, 2, 64, 72, 73, 76, 79, 80, 96, 16)))
		}
	}
	return c
}

// checkRoundTrip: a cluster Validate accepts encodes as JSON and decodes to
// an equal value.
func checkRoundTrip(t *testing.T, c capacity.Cluster) {
	t.Helper()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var back capacity.Cluster
	require.NoError(t, json.Unmarshal(b, &back), string(b))
	require.Equal(t, c, back, string(b))
}

// checkAgreement: for a valid cluster whose pools take fixed addresses
// (not on-demand blocks), have no autoscaler and fit as given, ScaleOut of
// the first pool stops exactly where Analyze says, with the same limit. It
// reports whether the cluster qualified.
func checkAgreement(t *testing.T, c capacity.Cluster) bool {
	t.Helper()
	if c.Spec.Pods.Unit == modes.OnDemandBlock {
		return false
	}
	rep, err := capacity.Analyze(c)
	require.NoError(t, err)
	for i, p := range c.Pools {
		if p.Autoscaling() || rep.Pools[i].MaxNodes < p.Count {
			return false
		}
	}
	ex := exhausted(t, c, c.Pools[0].Name, c.Spec.MaxNodesPerPool+1)
	want := rep.Pools[0]
	require.Equal(t, [2]any{want.MaxNodes, want.Limit}, [2]any{ex.Nodes, ex.Limit}, "%+v", *c.Spec)
	return true
}

// genBytes returns 64 random bytes for gen to read a cluster from.
func genBytes(r *rand.Rand) []byte {
	b := make([]byte, 64)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// generated generates n clusters from r, calls check on the valid ones and
// counts those it accepts, and of them those with custom Specs and the
// dual-stack ones.
func generated(r *rand.Rand, n int, check func(capacity.Cluster) bool) (checked, custom, dual int) {
	for range n {
		c := (&gen{b: genBytes(r)}).cluster()
		if c.Validate() != nil || !check(c) {
			continue
		}
		checked++
		if c.Spec.Mode == 0 {
			custom++
		}
		if c.DualStack {
			dual++
		}
	}
	return checked, custom, dual
}

// Custom Specs run as Analyze counts them: over 50,000 generated inputs,
// about 500 qualify for checkAgreement, dual-stack ones among them.
func TestCustomSpecsAgreeWithAnalyze(t *testing.T) {
	checked, custom, dual := generated(rand.New(rand.NewPCG(7, 7)), 50000, func(c capacity.Cluster) bool { return checkAgreement(t, c) })
	t.Logf("%d clusters checked, %d with custom Specs, %d dual-stack", checked, custom, dual)
	assert.Greater(t, custom, 200)
	assert.Greater(t, dual, 20)
}

// Round trip over generated clusters, custom Specs included.
func TestValidClustersRoundTrip(t *testing.T) {
	valid, custom, _ := generated(rand.New(rand.NewPCG(13, 2)), 5000, func(c capacity.Cluster) bool {
		checkRoundTrip(t, c)
		return true
	})
	t.Logf("%d valid clusters, %d with custom Specs", valid, custom)
	assert.Greater(t, valid, 100, "the generator must reach valid clusters")
	assert.Greater(t, custom, 50, "and valid custom Specs")
}

// FuzzSimulateCustomSpec drives Simulate and Forecast with custom Specs and
// hostile pools: Validate rejects the cluster and every entry point returns
// an error, or they all run (Check too), their figures are sane, the cluster survives a
// JSON round trip and, where checkAgreement applies, Simulate stops where
// Analyze says.
func FuzzSimulateCustomSpec(f *testing.F) {
	// Seeds: the first 16 valid clusters of a seeded stream, and two
	// hostile ones.
	r := rand.New(rand.NewPCG(13, 3))
	for found := 0; found < 16; {
		b := genBytes(r)
		if c := (&gen{b: b}).cluster(); c.Validate() == nil {
			f.Add(b)
			found++
		}
	}
	f.Add([]byte{2, 1, 2, 1, 0, 3, 6, 1, 7, 1, 0, 2, 1, 1, 1, 0, 4})
	f.Add([]byte{0, 1, 0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		c := g.cluster()
		ctx := context.Background()
		sc := capacity.Scenario{Steps: []capacity.Step{
			{Op: capacity.OpScale, Pool: "a", Nodes: pick(g, 0, 1, 5, 50, 500, 5000)},
			{Op: capacity.OpUpgrade, Pool: "a"},
			{Op: capacity.OpChurn, Pool: "a"},
			{Op: capacity.OpScale, Pool: "a", Nodes: pick(g, 0, 2)},
		}, Seed: uint64(g.u8())}
		maxPods := max(1, c.Pools[0].MaxPods)
		if g.bit() {
			sc.PodsPerNode = distuv.Uniform{Min: -5, Max: float64(maxPods + 5), Src: rand.NewPCG(1, 2)}
		}
		opt := capacity.ForecastOptions{Trials: 3, Workers: 2, Seed: uint64(g.u8()), Horizon: 90} // a short horizon keeps each input fast
		if g.bit() {
			opt.Pods = func(src rand.Source) distuv.Rander {
				return distuv.Uniform{Min: 0, Max: float64(maxPods), Src: src}
			}
		}
		if g.bit() {
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for range 3 {
				opt.History = append(opt.History, capacity.Observation{Time: t0.AddDate(0, 0, g.u8()), Nodes: g.u8() - 8})
			}
		}

		verr := c.Validate()
		tl, serr := capacity.Simulate(ctx, c, sc)
		fr, ferr := capacity.Forecast(ctx, c, "a", opt)
		if verr != nil {
			require.Error(t, serr, "Validate: %v", verr)
			require.Error(t, ferr, "Validate: %v", verr)
			return
		}
		checkRoundTrip(t, c)
		checkAgreement(t, c)
		var err error
		if rec, err := capacity.Recommend(c); err == nil {
			for _, sp := range rec.Spaces {
				require.True(t, sp.Bits >= 0 && sp.Bits <= 32, "%+v", sp)
			}
		}

		for _, st := range append(sc.Steps, capacity.Step{Op: capacity.OpCreate}, capacity.Step{Op: capacity.OpAddPool, Pool: "a"}) {
			_, err := capacity.Check(c, st)
			require.NoError(t, err, "%+v", st)
		}

		require.NoError(t, serr)
		for _, st := range tl.Steps {
			for _, sp := range st.Spaces {
				require.True(t, sp.Used >= 0 && sp.Free >= 0 && sp.Peak >= sp.Used, "%+v", sp)
			}
			for _, n := range st.Nodes {
				require.GreaterOrEqual(t, n, 0)
			}
		}
		if tl.Exhausted != nil {
			require.GreaterOrEqual(t, tl.Exhausted.Nodes, 0)
		}

		if ferr != nil {
			var ve *capacity.ValidationError
			require.ErrorAs(t, ferr, &ve)
			for _, p := range ve.Problems {
				require.True(t, strings.HasPrefix(p.Field, "History"), "%v", ferr)
			}
			return
		}
		// One trial when every trial would be the same: no growth model.
		require.True(t, fr.Trials == 3 || fr.Trials == 1 && len(opt.History) < 3, "%d trials", fr.Trials)
		q := fr.Nodes
		for _, v := range []float64{q.P1, q.P10, q.P50, q.P90, q.P99, fr.Growth} {
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%+v", fr)
		}
		require.True(t, q.P1 >= 0 && q.P1 <= q.P10 && q.P10 <= q.P50 && q.P50 <= q.P90 && q.P90 <= q.P99, "%+v", q)
		sum := 0
		for _, n := range fr.Limits {
			sum += n
		}
		require.Equal(t, fr.Trials, sum)
		for _, d := range []*capacity.DateRange{fr.When, fr.UpgradeBy} {
			if d != nil && len(opt.History) > 0 {
				first := opt.History[0].Time.Truncate(24 * time.Hour)
				require.False(t, d.P10.Before(first), "%+v", d)
			}
		}
		if w, u := fr.When, fr.UpgradeBy; w != nil {
			require.NotNil(t, u, "an upgrade stops fitting no later than the pool")
			for _, b := range [][2]time.Time{{w.P10, u.P10}, {w.P50, u.P50}, {w.P90, u.P90}} {
				require.False(t, !b[0].IsZero() && (b[1].IsZero() || b[1].After(b[0])), "upgrade %+v after %+v", u, w)
			}
		}
		_, err = json.Marshal(fr)
		require.NoError(t, err)
	})
}

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
			assert.True(t, ve.HasField(tt.field), "%v", ve)
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
	c := podSubnet(modes.AzureCNIStaticBlock, "10.240.0.0/22", "10.241.0.0/29", capacity.Pool{Count: 3})
	var ve *capacity.ValidationError
	require.ErrorAs(t, c.Validate(), &ve)
	assert.True(t, ve.HasField("Pools[0].PodSubnet"), "%v", ve)
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

// The generator reaches valid custom Specs whose pods take no addresses
// (the zero Unit), on which Simulate once failed with a nil unit.
func TestGeneratedPodsWithoutAddresses(t *testing.T) {
	zero, _, _ := generated(rand.New(rand.NewPCG(7, 8)), 50000, func(c capacity.Cluster) bool {
		if c.Spec.Pods.Unit != 0 {
			return false
		}
		_, err := capacity.Simulate(context.Background(), c, capacity.ScaleOut(c.Pools[0].Name, 50))
		require.NoError(t, err)
		return true
	})
	t.Logf("%d valid clusters of the zero Unit", zero)
	assert.Greater(t, zero, 10)
}
