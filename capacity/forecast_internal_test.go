package capacity

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The node quantiles are percentiles of the trials' counts, in order, and
// the dates percentiles of theirs; a date no trial reaches within the
// horizon leaves its bound unknown.
func TestSummarisePercentiles(t *testing.T) {
	c := Cluster{Subnets: []Subnet{{Name: "n"}}, Pools: []Pool{{Name: "p", Count: 7}}}
	m := &model{c: &c, pools: []poolModel{{pool: &c.Pools[0]}}}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var h []Observation
	for d := range 10 {
		h = append(h, Observation{Time: t0.AddDate(0, 0, d), Nodes: 7})
	}
	opt := &ForecastOptions{History: h}
	day0 := dayNumber(h[9].Time, time.UTC)
	f := &forecaster{m: m, opt: opt, g: &growth{model: GrowthTrend, slope: 1}, day0: day0, horizon: 1000}
	rs := make([]trialResult, 100)
	for i, k := range rand.New(rand.NewPCG(1, 2)).Perm(100) { // shuffled: summarise sorts
		rs[i] = trialResult{nodes: k + 1, limit: LimitNodeSubnet, when: float64(day0 + int64(k+1)), upgrade: math.Inf(1)}
		if k >= 60 {
			rs[i].when = math.Inf(1) // 40 trials do not run out
		}
		if k < 20 {
			rs[i].upgrade = float64(day0 + int64(k+1))
		}
	}
	r := f.summarise(rs)
	assert.Equal(t, Quantiles{P1: 1, P10: 10, P50: 50, P90: 90, P99: 99}, r.Nodes)
	assert.Equal(t, map[Limit]int{LimitNodeSubnet: 100}, r.Limits)
	require.NotNil(t, r.When)
	assert.Equal(t, DateRange{P10: dateOf(day0 + 10), P50: dateOf(day0 + 50)}, *r.When)
	require.NotNil(t, r.UpgradeBy)
	assert.Equal(t, DateRange{P10: dateOf(day0 + 10)}, *r.UpgradeBy)
	assert.Contains(t, r.Warnings, "When.P90 is unknown: fewer than 90% of trials reach it by "+dateOf(day0+1000).Format(time.DateOnly)+", the end of the horizon")
	assert.Contains(t, r.Warnings, "UpgradeBy.P50 is unknown: fewer than 50% of trials reach it by "+dateOf(day0+1000).Format(time.DateOnly)+", the end of the horizon")
}

// The growth model is chosen by the likelihood of the increments: a line
// with independent noise is a trend, a walk is a walk.
func TestFitGrowthChooses(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var trend, walk int
	for s := range 50 {
		r := rand.New(rand.NewPCG(uint64(s), 9))
		var lin, rw []Observation
		y := 20.0
		for d := range 60 {
			lin = append(lin, Observation{Time: t0.AddDate(0, 0, d), Nodes: int(math.Round(20 + 0.5*float64(d) + 3*r.NormFloat64()))})
			y += 0.5 + 2*r.NormFloat64()
			rw = append(rw, Observation{Time: t0.AddDate(0, 0, d), Nodes: int(math.Round(max(y, 0)))})
		}
		if fitGrowth(lin).model == GrowthTrend {
			trend++
		}
		if fitGrowth(rw).model == GrowthRandomWalk {
			walk++
		}
	}
	t.Logf("trend data read as a trend: %d/50; walks as walks: %d/50", trend, walk)
	assert.GreaterOrEqual(t, trend, 45)
	assert.GreaterOrEqual(t, walk, 45)

	// On an exact line both fits are perfect: a trend, its slope, no noise.
	var line []Observation
	for d := range 5 {
		line = append(line, Observation{Time: t0.Add(time.Duration(d) * 36 * time.Hour), Nodes: 10 + 3*d})
	}
	g := fitGrowth(line)
	assert.Equal(t, GrowthTrend, g.model)
	assert.InDelta(t, 2.0, g.slope, 1e-12) // 3 nodes every 1.5 days
	assert.InDelta(t, 0, g.sse, 1e-9)
}
