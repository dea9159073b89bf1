package capacity_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestForecastFixedEqualsAnalyze(t *testing.T) {
	for _, m := range staticModes {
		c := agreementClusters(m)["small pod space"]
		r, err := capacity.Analyze(c)
		require.NoError(t, err)
		f, err := capacity.Forecast(context.Background(), c, "user", capacity.ForecastOptions{Trials: 20, Workers: 2})
		require.NoError(t, err)
		want := float64(r.Pools[1].MaxNodes)
		assert.Equal(t, capacity.Quantiles{P1: want, P10: want, P50: want, P90: want, P99: want}, f.Nodes, m.String())
		// Every trial would be the same: one runs.
		assert.Equal(t, 1, f.Trials, m.String())
		assert.Equal(t, map[capacity.Limit]int{r.Pools[1].Limit: 1}, f.Limits, m.String())
		assert.Nil(t, f.When)
		assert.Nil(t, f.UpgradeBy)
		assert.Empty(t, f.Warnings)
	}
}

// dynamicCluster is a pod-subnet cluster whose pods per node vary.
func dynamicCluster() capacity.Cluster {
	return capacity.Cluster{
		Mode:    modes.AzureCNIPodSubnet,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/20"), subnet("pods", "10.241.0.0/20")},
		Pools: []capacity.Pool{
			{Name: "system", Count: 3, NodeSubnet: "nodes", PodSubnet: "pods"},
			{Name: "user", Count: 10, NodeSubnet: "nodes", PodSubnet: "pods"},
		},
	}
}

func podDensity(src rand.Source) distuv.Rander { return distuv.Normal{Mu: 30, Sigma: 12, Src: src} }

func TestForecastDistribution(t *testing.T) {
	opt := capacity.ForecastOptions{Trials: 200, Seed: 42, Pods: podDensity}
	f, err := capacity.Forecast(context.Background(), dynamicCluster(), "user", opt)
	require.NoError(t, err)
	assert.Equal(t, 200, f.Trials)
	q := f.Nodes
	assert.True(t, q.P1 <= q.P10 && q.P10 <= q.P50 && q.P50 <= q.P90 && q.P90 <= q.P99, "%+v", q)
	assert.Less(t, q.P10, q.P90, "pod density spreads the trials")
	// A /20 pod subnet (4,091) with 3 system nodes at 110 pods (110 each):
	// user nodes hold 48 at 30 pods on average, 64 above 40.
	assert.InDelta(t, (4091-330)/48.0, q.P50, 15)
	assert.Equal(t, map[capacity.Limit]int{capacity.LimitPodSubnet: 200}, f.Limits)
}

func TestForecastDeterministicAcrossWorkers(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	var h []capacity.Observation
	for d, n := range []int{10, 11, 11, 13, 12, 14, 15} {
		h = append(h, capacity.Observation{Time: day(7 * d), Nodes: n})
	}
	for _, hist := range [][]capacity.Observation{nil, h} {
		var results []*capacity.ForecastResult
		for _, w := range []int{1, 2, 4} {
			f, err := capacity.Forecast(context.Background(), dynamicCluster(), "user",
				capacity.ForecastOptions{Trials: 60, Workers: w, Seed: 7, Pods: podDensity, History: hist})
			require.NoError(t, err)
			results = append(results, f)
		}
		assert.Equal(t, results[0], results[1])
		assert.Equal(t, results[0], results[2])
		other, err := capacity.Forecast(context.Background(), dynamicCluster(), "user",
			capacity.ForecastOptions{Trials: 60, Seed: 8, Pods: podDensity, History: hist})
		require.NoError(t, err)
		assert.NotEqual(t, results[0].Nodes, other.Nodes)
		if hist != nil {
			require.NotNil(t, results[0].When)
			assert.NotEqual(t, results[0].When, other.When)
		}
	}
}

func TestForecastWhen(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 24}) // 1,019 / 31 = 32 nodes
	// Exactly 4 + 2 nodes a day: 32 nodes on day 14, 34 on day 15 (the
	// first count that does not fit), with no doubt. An upgrade of 30 nodes
	// adds 3 (10%): 33 do not fit, and the pool has 30 nodes on day 13.
	var exact []capacity.Observation
	for d := 0; d <= 10; d += 2 {
		exact = append(exact, capacity.Observation{Time: day(d), Nodes: 4 + 2*d})
	}
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: exact})
	require.NoError(t, err)
	assert.Equal(t, 4, f.Trials, "a growth model is drawn: every trial runs")
	assert.Equal(t, 32.0, f.Nodes.P50)
	assert.Equal(t, capacity.GrowthTrend, f.Model)
	assert.InDelta(t, 2.0, f.Growth, 1e-9)
	assert.Equal(t, &capacity.DateRange{P10: day(15), P50: day(15), P90: day(15)}, f.When)
	assert.Equal(t, &capacity.DateRange{P10: day(13), P50: day(13), P90: day(13)}, f.UpgradeBy)
	assert.Empty(t, f.Warnings)

	// Noisy growth: the dates spread across trials, the upgrade deadline
	// first.
	noisy := []capacity.Observation{{day(0), 4}, {day(2), 9}, {day(4), 11}, {day(6), 17}, {day(8), 19}, {day(10), 25}}
	c.Pools[0].Count = 25
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 200, Seed: 1, History: noisy})
	require.NoError(t, err)
	require.NotNil(t, f.When)
	require.NotNil(t, f.UpgradeBy)
	w, u := f.When, f.UpgradeBy
	assert.True(t, w.P10.Before(w.P90), "%+v", w)
	assert.False(t, w.P50.Before(w.P10) || w.P90.Before(w.P50), "%+v", w)
	assert.False(t, u.P10.After(w.P10) || u.P50.After(w.P50) || u.P90.After(w.P90), "upgrade %+v after %+v", u, w)
	// Least squares by hand: x̄ = 5, ȳ = 85/6, Sxy = Σ(x−5)y = −20−27−11+17+57+125 = 141, Sxx = 70:
	// 2.01 nodes a day; the walk's drift is (25−4)/10 = 2.1.
	if f.Model == capacity.GrowthTrend {
		assert.InDelta(t, 141.0/70, f.Growth, 1e-9)
	} else {
		assert.InDelta(t, 2.1, f.Growth, 1e-9)
	}
	// 33 nodes, 8 above the last count at about 2 a day: the median lies
	// about four days after day 10.
	assert.WithinDuration(t, day(14), w.P50, 3*24*time.Hour)

	// A shrinking pool has no date, and says why.
	shrink := []capacity.Observation{{day(0), 20}, {day(1), 18}, {day(2), 15}}
	c.Pools[0].Count = 15
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 20, History: shrink})
	require.NoError(t, err)
	assert.Nil(t, f.When)
	assert.Less(t, f.Growth, 0.0)
	require.NotEmpty(t, f.Warnings)
	assert.Contains(t, f.Warnings[0], "When is nil: fewer than 10% of trials reach it")
}

func TestForecastProgressAndCancel(t *testing.T) {
	var calls []int
	_, err := capacity.Forecast(context.Background(), dynamicCluster(), "user", capacity.ForecastOptions{Trials: 30, Pods: podDensity,
		Progress: func(done, total int) { calls = append(calls, done); assert.Equal(t, 30, total) }})
	require.NoError(t, err)
	require.Len(t, calls, 30)
	assert.Equal(t, 30, calls[29])

	ctx, cancel := context.WithCancel(context.Background())
	_, err = capacity.Forecast(ctx, dynamicCluster(), "user", capacity.ForecastOptions{Trials: 100000, Pods: podDensity,
		Progress: func(done, total int) {
			if done == 5 {
				cancel()
			}
		}})
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
}

func TestForecastErrors(t *testing.T) {
	c := dynamicCluster()
	var se *capacity.StepError
	_, err := capacity.Forecast(context.Background(), c, "nope", capacity.ForecastOptions{})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "pool", se.Field, "Forecast's argument")
	assert.Equal(t, `"nope"`, se.Value)

	// Too little history is no error: no date, and a warning says why.
	obs := capacity.Observation{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Nodes: 10}
	f, err := capacity.Forecast(context.Background(), c, "user", capacity.ForecastOptions{History: []capacity.Observation{obs}})
	require.NoError(t, err)
	assert.Nil(t, f.When)
	assert.Nil(t, f.UpgradeBy)
	assert.Equal(t, 1, f.Trials, "no growth model and no pod distribution: one trial")
	assert.Equal(t, []string{"History has 1 observation: dating the exhaustion needs at least 3, so When and UpgradeBy are nil"}, f.Warnings)
}
