package capacity_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// calibrationFits is what the calibration cluster fits: a /22 of Azure CNI
// at 30 pods a node, 31 addresses each: 1,019 / 31 = 32 nodes.
const calibrationFits = 32

// coverage forecasts series synthetic histories drawn by gen and returns
// the share whose [When.P10, When.P90] holds the true date, the first day
// the series, continued past its history, needs more than
// calibrationFits nodes. gen returns the daily counts of one series from
// day 0, history and continuation; a series whose history already crosses
// is drawn again.
func coverage(t *testing.T, series, trials int, gen func(r *rand.Rand) []int) float64 {
	t.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const days = 60
	covered, used := 0, 0
	for s := 0; used < series; s++ {
		r := rand.New(rand.NewPCG(uint64(s), 0xca1))
		y := gen(r)
		cross := -1
		for d, n := range y {
			if n > calibrationFits {
				cross = d
				break
			}
		}
		if cross < days { // crossed in the history, or never
			continue
		}
		used++
		h := make([]capacity.Observation, days)
		for d := range days {
			h[d] = capacity.Observation{Time: start.AddDate(0, 0, d), Nodes: y[d]}
		}
		c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: y[days-1]})
		f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: trials, Workers: 1, Seed: uint64(s), History: h})
		require.NoError(t, err)
		require.Equal(t, float64(calibrationFits), f.Nodes.P50)
		truth := start.AddDate(0, 0, cross)
		if w := f.When; w != nil && !truth.Before(w.P10) && (w.P90.IsZero() || !truth.After(w.P90)) {
			covered++
		}
	}
	return float64(covered) / float64(series)
}

// Calibration is the forecast's acceptance test: over 250 synthetic
// histories of 60 daily counts, linear growth with Gaussian noise (slope,
// noise and start drawn per series), continued until they need more nodes
// than fit, the 80% interval [When.P10, When.P90] must hold the true date
// in 70–90% of series. Few trials per series suffice: the interval between
// two order statistics of n draws holds a new draw from their distribution
// with probability (k−j)/(n+1) whatever n, here 32/41 = 78% for 40 trials
// if the predictive distribution is right.
func TestForecastCalibration(t *testing.T) {
	linear := func(r *rand.Rand) []int {
		a, b, sigma := 2+6*r.Float64(), 0.15+0.3*r.Float64(), 0.5+2*r.Float64()
		y := make([]int, 1000)
		for d := range y {
			y[d] = max(0, int(math.Round(a+b*float64(d)+sigma*r.NormFloat64())))
		}
		return y
	}
	cov := coverage(t, 250, 40, linear)
	t.Logf("linear growth with Gaussian noise: [P10, P90] holds the true date in %.1f%% of 250 series", 100*cov)
	assert.True(t, cov >= 0.70 && cov <= 0.90, "coverage %.3f outside 70–90%%", cov)

	// A random walk with drift: the noise persists, and a trend's
	// interval would be too narrow; the model choice must see it.
	walk := func(r *rand.Rand) []int {
		y0, mu, sigma := 2+4*r.Float64(), 0.1+0.3*r.Float64(), 0.3+0.7*r.Float64()
		y := make([]int, 1000)
		v := y0
		for d := range y {
			v += mu + sigma*r.NormFloat64()
			y[d] = max(0, int(math.Round(v)))
		}
		return y
	}
	cov = coverage(t, 200, 40, walk)
	t.Logf("random walk with drift: [P10, P90] holds the true date in %.1f%% of 200 series", 100*cov)
	assert.True(t, cov >= 0.70 && cov <= 0.90, "coverage %.3f outside 70–90%%", cov)
}
