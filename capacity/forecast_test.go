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
		assert.Equal(t, capacity.Quantiles{P50: want, P90: want, P99: want}, f.Nodes, m.String())
		assert.Equal(t, map[capacity.Limit]int{r.Pools[1].Limit: 20}, f.Limits, m.String())
		assert.Nil(t, f.When)
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
	assert.LessOrEqual(t, f.Nodes.P99, f.Nodes.P90)
	assert.LessOrEqual(t, f.Nodes.P90, f.Nodes.P50)
	assert.Less(t, f.Nodes.P99, f.Nodes.P50, "pod density spreads the trials")
	// A /20 pod subnet (4,091) with 3 system nodes at 110 pods (110 each):
	// user nodes hold 48 at 30 pods on average, 64 above 40.
	assert.InDelta(t, (4091-330)/48.0, f.Nodes.P50, 15)
	assert.Equal(t, map[capacity.Limit]int{capacity.LimitPodSubnet: 200}, f.Limits)
}

func TestForecastDeterministicAcrossWorkers(t *testing.T) {
	var results []*capacity.ForecastResult
	for _, w := range []int{1, 2, 4} {
		f, err := capacity.Forecast(context.Background(), dynamicCluster(), "user",
			capacity.ForecastOptions{Trials: 60, Workers: w, Seed: 7, Pods: podDensity})
		require.NoError(t, err)
		results = append(results, f)
	}
	assert.Equal(t, results[0], results[1])
	assert.Equal(t, results[0], results[2])
	other, err := capacity.Forecast(context.Background(), dynamicCluster(), "user",
		capacity.ForecastOptions{Trials: 60, Seed: 8, Pods: podDensity})
	require.NoError(t, err)
	assert.NotEqual(t, results[0].Nodes, other.Nodes)
}

func TestForecastWhen(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 4}) // 1,019 / 31 = 32 nodes
	// Exactly 4 + 2 nodes a day: 32 nodes on day 14, with no doubt.
	var exact []capacity.Observation
	for d := 0; d <= 10; d += 2 {
		exact = append(exact, capacity.Observation{Time: day(d), Nodes: 4 + 2*d})
	}
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: exact})
	require.NoError(t, err)
	require.NotNil(t, f.When)
	assert.Equal(t, 32.0, f.Nodes.P50)
	assert.InDelta(t, 2.0, f.Growth, 1e-9)
	assert.WithinDuration(t, day(14), f.When.P50, time.Second)
	assert.WithinDuration(t, day(14), f.When.Lo, time.Second)
	assert.WithinDuration(t, day(14), f.When.Hi, time.Second)

	// Noisy growth: the interval widens around the trend's date.
	noisy := []capacity.Observation{{day(0), 4}, {day(2), 9}, {day(4), 11}, {day(6), 17}, {day(8), 19}, {day(10), 25}}
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: noisy})
	require.NoError(t, err)
	require.NotNil(t, f.When)
	assert.True(t, f.When.Lo.Before(f.When.P50) && f.When.P50.Before(f.When.Hi), "%v", f.When)
	// Least squares by hand: x̄ = 5, ȳ = 85/6, Sxy = Σ(x−5)y = −20−27−11+17+57+125 = 141, Sxx = 70.
	beta := 141.0 / 70
	assert.InDelta(t, beta, f.Growth, 1e-9)
	alpha := 85.0/6 - beta*5
	assert.WithinDuration(t, day(0).Add(time.Duration((32-alpha)/beta*24*float64(time.Hour))), f.When.P50, time.Second)

	// A shrinking pool has no date.
	shrink := []capacity.Observation{{day(0), 20}, {day(1), 18}, {day(2), 15}}
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 2, History: shrink})
	require.NoError(t, err)
	assert.Nil(t, f.When)
	assert.Less(t, f.Growth, 0.0)
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
	var ve *capacity.ValidationError
	_, err = capacity.Forecast(context.Background(), c, "user", capacity.ForecastOptions{History: []capacity.Observation{{time.Now(), 3}}})
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.Has("History"))
}
