package capacity_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
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

	// The pool has 28 nodes now, not the history's last 24: the trials
	// grow 2 a day from 28, so 34 comes 2 days sooner, on day 13.
	c.Pools[0].Count = 28
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: exact})
	require.NoError(t, err)
	assert.Equal(t, &capacity.DateRange{P10: day(13), P50: day(13), P90: day(13)}, f.When)
	assert.Equal(t, &capacity.DateRange{P10: day(11), P50: day(11), P90: day(11)}, f.UpgradeBy)
	assert.Equal(t, []string{"the history ends at 24 nodes (2026-01-11) but pool nodes has 28 nodes now: the trials start from the pool's count on 2026-01-11 and grow as the history's model does; the history's counts date nothing"}, f.Warnings)

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
	assert.Contains(t, f.Warnings[0], "the date the pool runs out is unknown: fewer than 10% of trials reach it")
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
	assert.Equal(t, []string{"the history has 1 observation: dating the exhaustion needs at least 3, so there is no date"}, f.Warnings)
}

func TestAtCount(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Name: "system", Count: 3})
	c.Pools = append(c.Pools,
		capacity.Pool{Name: "user", Count: 10, MinCount: 3, MaxCount: 15},
		capacity.Pool{Name: "other", Count: 5, MinCount: 1, MaxCount: 20},
		capacity.Pool{Name: "idle", Count: 0, MinCount: 0, MaxCount: 4})
	now := c.AtCount()
	require.NoError(t, now.Validate())
	assert.Equal(t, capacity.Pool{Name: "system", Count: 3}, now.Pools[0], "a manual pool is unchanged")
	assert.Equal(t, capacity.Pool{Name: "user", Count: 10, MinCount: 10, MaxCount: 10}, now.Pools[1])
	assert.True(t, now.Pools[1].Autoscaling(), "still autoscaled")
	assert.Equal(t, 10, now.Pools[1].AtMax())
	assert.Equal(t, capacity.Pool{Name: "idle"}, now.Pools[3], "at 0 nodes the autoscaler is off: it commits the same")
	assert.Equal(t, 15, c.Pools[1].MaxCount, "c is not changed")

	// Forecast's basis is the cluster now: it agrees with Analyze of
	// AtCount, not with Analyze on AKS's basis. 1,019 addresses at 31 a
	// node: with the others at Count (3 + 5 + 0 nodes) the user pool fits
	// (1019 − 248) / 31 = 24 nodes; at their max (3 + 20 + 4), 5.
	atMax, err := capacity.Analyze(c)
	require.NoError(t, err)
	atNow, err := capacity.Analyze(now)
	require.NoError(t, err)
	assert.Equal(t, 5, atMax.Pools[1].MaxNodes)
	assert.Equal(t, 24, atNow.Pools[1].MaxNodes)
	f, err := capacity.Forecast(context.Background(), c, "user", capacity.ForecastOptions{})
	require.NoError(t, err)
	assert.Equal(t, 24.0, f.Nodes.P50)
}

// One trial runs when every trial would be the same, and only then.
func TestForecastOneTrial(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	h := []capacity.Observation{{day(0), 8}, {day(7), 9}, {day(14), 10}}
	static := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/22", capacity.Pool{Count: 10})
	for _, tt := range []struct {
		name string
		c    capacity.Cluster
		opt  capacity.ForecastOptions
		want int
	}{
		{"no pods, no history", dynamicCluster(), capacity.ForecastOptions{Trials: 50}, 1},
		{"pods that change nothing", static, capacity.ForecastOptions{Trials: 50, Pods: podDensity}, 1},
		{"pods that change what a node takes", dynamicCluster(), capacity.ForecastOptions{Trials: 50, Pods: podDensity}, 50},
		{"a growth model", static, capacity.ForecastOptions{Trials: 50, History: h}, 50},
		{"too little history for a model", static, capacity.ForecastOptions{Trials: 50, History: h[:2]}, 1},
	} {
		f, err := capacity.Forecast(context.Background(), tt.c, "nodes", tt.opt)
		if tt.c.Pools[0].Name != "nodes" {
			f, err = capacity.Forecast(context.Background(), tt.c, "user", tt.opt)
		}
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, f.Trials, tt.name)
		assert.Equal(t, tt.want == 1, f.Identical, tt.name) // 50 asked for: one ran only because all were the same
		sum := 0
		for _, n := range f.Limits {
			sum += n
		}
		assert.Equal(t, tt.want, sum, tt.name)
	}
}

func TestForecastWarnings(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 12}) // 32 nodes fit
	// Six weeks from 4 to 12 nodes, a node a week with noise: 32 nodes lie
	// about 20 weeks ahead, beyond 3× the span of 42 days.
	var h []capacity.Observation
	for w, n := range []int{4, 6, 6, 7, 9, 10, 12} {
		h = append(h, capacity.Observation{Time: day(7 * w), Nodes: n})
	}
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 100, History: h})
	require.NoError(t, err)
	require.NotNil(t, f.When)
	require.NotEmpty(t, f.Warnings)
	assert.Regexp(t, `^the date the pool runs out, P90 \d{4}-\d\d-\d\d, lies [\d,]+ days after the last observation, more than 3× the history's span of 42 days: an extrapolation$`, f.Warnings[0])
	for _, w := range f.Warnings[1:] {
		assert.Regexp(t, `^UpgradeBy\.P\d0 .* an extrapolation$`, w)
	}
	assert.True(t, f.When.P90.Sub(day(42)) > 3*42*24*time.Hour)

	// A "now" after the last observation (day 42) is when the pool has its
	// 12 nodes: the same trials start then, so every date moves by the
	// gap, and a gap over 30 days is warned of.
	late := capacity.ForecastOptions{Trials: 100, History: h, Now: f.When.P50.AddDate(0, 0, 1)}
	gap := int(late.Now.Sub(day(42)).Hours() / 24)
	g, err := capacity.Forecast(context.Background(), c, "nodes", late)
	require.NoError(t, err)
	shifted := func(d *capacity.DateRange) *capacity.DateRange {
		return &capacity.DateRange{P10: d.P10.AddDate(0, 0, gap), P50: d.P50.AddDate(0, 0, gap), P90: d.P90.AddDate(0, 0, gap)}
	}
	assert.Equal(t, shifted(f.When), g.When)
	assert.Equal(t, shifted(f.UpgradeBy), g.UpgradeBy)
	assert.Contains(t, g.Warnings, fmt.Sprintf("the history ends on 2026-02-12, %d days before now (%s): the trials start now from the pool's count, 12 nodes, and grow as the history's model does from there", gap, late.Now.Format(time.DateOnly)))
	for _, w := range g.Warnings {
		assert.NotContains(t, w, "is not after now")
	}
	// A "now" on the last observation's day, later in it, changes nothing.
	g, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 100, History: h, Now: day(42).Add(23 * time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, f, g)

	// A history that ends elsewhere than the pool's Count.
	c.Pools[0].Count = 20
	g, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 10, History: h})
	require.NoError(t, err)
	assert.Equal(t, "the history ends at 12 nodes (2026-02-12) but pool nodes has 20 nodes now: the trials start from the pool's count on 2026-02-12 and grow as the history's model does; the history's counts date nothing", g.Warnings[0])

	// A pool past what fits has run out already: 40 nodes of 31 addresses
	// need 1,240 of the /22's 1,019 usable, which hold 32 nodes.
	c.Pools[0].Count = 40
	g, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{})
	require.NoError(t, err)
	assert.Equal(t, 32.0, g.Nodes.P50)
	assert.Equal(t, []string{"pool nodes has 40 nodes now, more than the 32 that fit: it has run out already"}, g.Warnings)

	// A short horizon leaves the late bounds unknown, and says so.
	c.Pools[0].Count = 12
	g, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 100, History: h, Horizon: int(f.When.P50.Sub(day(42)).Hours() / 24)})
	require.NoError(t, err)
	require.NotNil(t, g.When)
	assert.False(t, g.When.P10.IsZero())
	assert.True(t, g.When.P90.IsZero())
	assert.Contains(t, strings.Join(g.Warnings, "\n"), "the date the pool runs out, P")
	_, err = json.Marshal(g)
	require.NoError(t, err)

	var ve *capacity.ValidationError
	_, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{History: h, Horizon: capacity.MaxHorizon + 1})
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.HasField("Horizon"))
}

// Without surge (a Spot pool) an upgrade adds no node: it stops fitting
// the day the pool does.
func TestForecastUpgradeByWithoutSurge(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	var h []capacity.Observation
	for d, n := range []int{10, 12, 12, 15, 16, 17, 20} {
		h = append(h, capacity.Observation{Time: day(d), Nodes: n})
	}
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 20, Spot: true})
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 50, History: h})
	require.NoError(t, err)
	require.NotNil(t, f.When)
	assert.Equal(t, f.When, f.UpgradeBy)
	c.Pools[0].Spot = false
	g, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 50, History: h})
	require.NoError(t, err)
	assert.Equal(t, f.When, g.When, "the same trials")
	assert.True(t, g.UpgradeBy.P50.Before(g.When.P50), "%+v before %+v", g.UpgradeBy, g.When)
}

// panicky is a pod distribution that panics on its first draw.
type panicky struct{}

func (panicky) Rand() float64 { panic("boom") }

// A panic in a trial is an error naming the trial, not a crash.
func TestForecastWorkerRecovers(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 4})
	_, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 8, Workers: 2,
		Pods: func(rand.Source) distuv.Rander { return panicky{} }})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal error in trial")
	assert.Contains(t, err.Error(), "boom")
}

func TestForecastOptionBounds(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 4})
	for _, tt := range []struct {
		opt   capacity.ForecastOptions
		field string
	}{
		{capacity.ForecastOptions{Trials: 1 << 62}, "Trials"},
		{capacity.ForecastOptions{Trials: capacity.MaxTrials + 1}, "Trials"},
		{capacity.ForecastOptions{Trials: -5}, "Trials"},
		{capacity.ForecastOptions{Workers: 100000}, "Workers"},
		{capacity.ForecastOptions{Workers: -1}, "Workers"},
	} {
		var ve *capacity.ValidationError
		_, err := capacity.Forecast(context.Background(), c, "nodes", tt.opt)
		require.ErrorAs(t, err, &ve, "%+v", tt.opt)
		assert.True(t, ve.HasField(tt.field), "%v", ve)
		assert.Len(t, ve.Problems, 1)
	}
	// An option's problem is the options', not the cluster's.
	_, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Horizon: -1})
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.EqualError(t, err, "capacity: invalid forecast options (1 problem); Horizon: -1 days: want 1..36525, or 0 for 3653")
	_, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{History: []capacity.Observation{{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 4_000_000}}})
	assert.EqualError(t, err, "capacity: invalid forecast options (1 problem); History[0].Nodes: 4,000,000 nodes: want at most 1,000,000, the most nodes any Spec allows a pool (a custom Spec's ceiling; AKS allows 1,000)")
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 3, Workers: capacity.MaxWorkers})
	require.NoError(t, err)
	assert.Equal(t, 1, f.Trials, "every trial would be the same: one runs")
}

func TestForecastHistoryChecked(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 4})
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	for _, tt := range []struct {
		name  string
		h     []capacity.Observation
		field string
	}{
		{"equal times", []capacity.Observation{{day(0), 3}, {day(0), 4}, {day(0), 5}}, "History[1].Time"},
		{"unsorted", []capacity.Observation{{day(0), 3}, {day(5), 4}, {day(2), 5}}, "History[2].Time"},
		{"negative nodes", []capacity.Observation{{day(0), -3}, {day(1), 4}, {day(2), 5}}, "History[0].Nodes"},
		{"too many nodes", []capacity.Observation{{day(0), 3}, {day(1), 4}, {day(2), 99999999999999}}, "History[2].Nodes"},
		{"year 10000", []capacity.Observation{{day(0), 3}, {day(1), 4}, {time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), 5}}, "History[2].Time"},
		{"zero time", []capacity.Observation{{time.Time{}, 3}, {day(1), 4}, {day(2), 5}}, "History[0].Time"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ve *capacity.ValidationError
			_, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 2, History: tt.h})
			require.ErrorAs(t, err, &ve)
			assert.True(t, ve.HasField(tt.field), "%v", ve)
		})
	}

	// A long history in reverse order: 199 observations out of order, the
	// first MaxProblems kept and the rest counted.
	var long []capacity.Observation
	for i := range 200 {
		long = append(long, capacity.Observation{Time: day(1000 - i), Nodes: 4})
	}
	var ve *capacity.ValidationError
	_, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 2, History: long})
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, capacity.MaxProblems)
	assert.Equal(t, 199-capacity.MaxProblems, ve.Omitted)
}

// Dates stay between the history's start and what a date can hold, and a
// result always encodes as JSON.
func TestForecastDatesBounded(t *testing.T) {
	// The pool limit of 1,000 nodes binds: the /22's 1,019 usable addresses
	// (one per node) and the /14's 1,024 /24s both exceed it.
	c := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/22", capacity.Pool{Count: 4})
	c.PodCIDRs = []netipPrefix{pfx("10.244.0.0/14")}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return start.AddDate(0, 0, d) }

	// Six years nearly flat: 4, 4, 5 nodes on days 0, 1, 2190. By hand,
	// x̄ = 2191/3 ≈ 730.3, Sxy = Σ(x−x̄)·y = 2190·5 + 1·4 − x̄·13 ≈ 1,459.7,
	// Sxx ≈ 3,195,941: a slope of 4.567e-4 nodes a day from about 4 nodes
	// (the walk's drift is 1/2190 = 4.566e-4), so 1,000 nodes lie about
	// 2.18 million days away, far beyond the horizon. Before the fix this
	// dated to 1727.
	flat := []capacity.Observation{{day(0), 4}, {day(1), 4}, {day(2190), 5}}
	c.Pools[0].Count = 5
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 20, History: flat})
	require.NoError(t, err)
	assert.Equal(t, 1000.0, f.Nodes.P50)
	assert.Nil(t, f.When)
	assert.Nil(t, f.UpgradeBy)
	require.NotEmpty(t, f.Warnings)
	assert.Contains(t, f.Warnings[0], "the date the pool runs out is unknown: fewer than 10% of trials reach it by 2035-12-31, the end of the horizon")
	assert.InDelta(t, 4.567e-4, f.Growth, 1e-6)
	_, err = json.Marshal(f)
	require.NoError(t, err)

	// A history of the pool (ending at its Count) already past what fits
	// dates to the first observation above it, and says the date is past:
	// 1,100 nodes on day 0 are more than the 1,000 that fit.
	past := []capacity.Observation{{day(0), 1100}, {day(10), 1200}, {day(20), 900}}
	c.Pools[0].Count = 900
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 2, History: past})
	require.NoError(t, err)
	assert.Equal(t, &capacity.DateRange{P10: start, P50: start, P90: start}, f.When)
	assert.Equal(t, &capacity.DateRange{P10: start, P50: start, P90: start}, f.UpgradeBy)
	assert.Contains(t, f.Warnings, "the date the pool runs out, P90 2020-01-01, is not after now (2020-01-21): in at least 90% of trials the pool has already run out")
	_, err = json.Marshal(f)
	require.NoError(t, err)
	// Ending at another count it is not the pool's: its 1,100 and 1,200
	// nodes above the 1,000 that fit date nothing, and the trials, from 4
	// nodes falling (900 − 1,100) / 20 = −10 a day (trend and walk alike),
	// never run out.
	c.Pools[0].Count = 4
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 2, History: past})
	require.NoError(t, err)
	assert.Nil(t, f.When)
	assert.Nil(t, f.UpgradeBy)
	assert.InDelta(t, -10, f.Growth, 1e-9)
	// The warning's slope has the text's precision, two decimals; the
	// horizon is 3,653 days from 2020-01-21.
	assert.Contains(t, f.Warnings, "the date the pool runs out is unknown: fewer than 10% of trials reach it by 2030-01-21, the end of the horizon; the history's fitted trend grows -10.00 nodes a day")
	assert.Contains(t, f.Warnings, "the history ends at 900 nodes (2020-01-21) but pool nodes has 4 nodes now: the trials start from the pool's count on 2020-01-21 and grow as the history's model does; the history's counts date nothing")

	// The horizon stops at 9999-12-31: a history ending in 9999 simulates
	// the days left and dates nothing beyond.
	late := []capacity.Observation{{time.Date(9999, 12, 1, 0, 0, 0, 0, time.UTC), 4}, {time.Date(9999, 12, 10, 0, 0, 0, 0, time.UTC), 40}, {time.Date(9999, 12, 20, 0, 0, 0, 0, time.UTC), 80}}
	c.Pools[0].Count = 80
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 5, History: late})
	require.NoError(t, err)
	assert.Nil(t, f.When)
	assert.Contains(t, f.Warnings[0], "by 9999-12-31, the end of the horizon")
	_, err = json.Marshal(f)
	require.NoError(t, err)
	// A Now of 9999-12-31 at −12:00 is 10000-01-01 at the history's
	// +14:00: the trials start on 9999-12-31, the last date there is, and
	// a pool that does not fit dates to it: 40 Azure CNI nodes of 31
	// addresses in a /22, which holds 32.
	plus14 := time.FixedZone("+14", 14*3600)
	for i := range late {
		late[i].Time = late[i].Time.In(plus14)
	}
	cni := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 40})
	f, err = capacity.Forecast(context.Background(), cni, "nodes", capacity.ForecastOptions{Trials: 2, History: late,
		Now: time.Date(9999, 12, 31, 12, 0, 0, 0, time.FixedZone("-12", -12*3600))})
	require.NoError(t, err)
	last := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, &capacity.DateRange{P10: last, P50: last, P90: last}, f.When)
	_, err = json.Marshal(f)
	require.NoError(t, err)
}

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

// overlayPools is an Overlay cluster on pod CIDR podCIDR with a system
// pool of 3 nodes and a user pool of user, in a /22 node subnet.
func overlayPools(podCIDR string, user int) capacity.Cluster {
	return capacity.Cluster{
		Mode:     modes.AzureCNIOverlay,
		Subnets:  []capacity.Subnet{subnet("nodes", "10.240.0.0/22")},
		PodCIDRs: []netipPrefix{pfx(podCIDR)},
		Pools: []capacity.Pool{
			{Name: "system", Count: 3, NodeSubnet: "nodes"},
			{Name: "user", Count: user, NodeSubnet: "nodes"},
		},
	}
}

// growingOverlay is an Overlay cluster whose user pool of 20 nodes shares
// a /18 pod CIDR (64 /24s) with a system pool of 3, and two weeks of the
// user pool's history growing about half a node a day.
func growingOverlay() (capacity.Cluster, []capacity.Observation) {
	c := overlayPools("10.244.0.0/18", 20)
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	var h []capacity.Observation
	for d, n := range []int{14, 15, 15, 17, 18, 18, 19, 20} {
		h = append(h, capacity.Observation{Time: day(2 * d), Nodes: n})
	}
	return c, h
}

// The path is a band per day: ordered, monotone (the highest count so
// far), starting at the pool's count on the last observation's day, and
// passing the nodes that fit on the exhaustion dates: its P50 on When.P50,
// its P90 on When.P10, its P10 on When.P90.
func TestForecastPath(t *testing.T) {
	c, h := growingOverlay()
	for _, trials := range []int{1, 10, 200, 1000} {
		f, err := capacity.Forecast(context.Background(), c, "user",
			capacity.ForecastOptions{Trials: trials, Seed: 3, History: h, Path: true})
		require.NoError(t, err)
		// A /18 holds 64 /24s: the user pool fits 64 − 3 = 61 nodes.
		fits := 61
		require.Equal(t, float64(fits), f.Nodes.P50)
		require.NotNil(t, f.When)
		require.NotEmpty(t, f.Path)
		assert.Equal(t, capacity.PathPoint{Date: h[len(h)-1].Time, P10: 20, P50: 20, P90: 20}, f.Path[0])
		crossed := map[string]time.Time{}
		for i, p := range f.Path {
			assert.True(t, p.P10 <= p.P50 && p.P50 <= p.P90, "%d trials, %+v", trials, p)
			if i > 0 {
				prev := f.Path[i-1]
				assert.True(t, p.Date.After(prev.Date), "one point a day at most")
				assert.True(t, p.P10 >= prev.P10 && p.P50 >= prev.P50 && p.P90 >= prev.P90, "%d trials: %+v after %+v", trials, p, prev)
			}
			for name, v := range map[string]int{"P10": p.P10, "P50": p.P50, "P90": p.P90} {
				if _, ok := crossed[name]; !ok && v > fits {
					crossed[name] = p.Date
				}
			}
		}
		assert.Equal(t, f.When.P50, crossed["P50"], "%d trials", trials)
		assert.Equal(t, f.When.P10, crossed["P90"], "%d trials", trials)
		assert.Equal(t, f.When.P90, crossed["P10"], "%d trials", trials)
		// It stops once the P10 is past what fits.
		assert.Equal(t, f.When.P90, f.Path[len(f.Path)-1].Date)
	}

	// Not asked for, or without a history: none.
	f, err := capacity.Forecast(context.Background(), c, "user", capacity.ForecastOptions{Trials: 10, History: h})
	require.NoError(t, err)
	assert.Nil(t, f.Path)
	f, err = capacity.Forecast(context.Background(), c, "user", capacity.ForecastOptions{Trials: 10, Path: true})
	require.NoError(t, err)
	assert.Nil(t, f.Path)
}

// Growth that never runs out within the horizon: the path runs to its
// end; the same for any number of workers.
func TestForecastPathHorizon(t *testing.T) {
	c, h := growingOverlay()
	c.PodCIDRs = []netipPrefix{pfx("100.64.0.0/12")} // 4,096 /24s: the pool limit of 1,000 binds
	var paths [][]capacity.PathPoint
	for _, w := range []int{1, 3} {
		f, err := capacity.Forecast(context.Background(), c, "user",
			capacity.ForecastOptions{Trials: 50, Workers: w, Seed: 9, History: h, Path: true, Horizon: 30})
		require.NoError(t, err)
		require.NotEmpty(t, f.Path)
		last := f.Path[len(f.Path)-1]
		assert.Equal(t, h[len(h)-1].Time.AddDate(0, 0, 30), last.Date)
		// The history's slope is about 0.4 nodes a day (14 to 20 in 14
		// days): 30 days on, the median is near 20 + 13.
		assert.InDelta(t, 33, last.P50, 6)
		paths = append(paths, f.Path)
	}
	assert.Equal(t, paths[0], paths[1])
}

func TestPathPointJSON(t *testing.T) {
	p := capacity.PathPoint{Date: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), P10: 41, P50: 44, P90: 48}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"date": "2027-03-01", "p10": 41, "p50": 44, "p90": 48}`, string(b))
	var back capacity.PathPoint
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, p, back)
	assert.Error(t, json.Unmarshal([]byte(`{"date": "March"}`), &back))
	_, err = json.Marshal(capacity.PathPoint{Date: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.Error(t, err)
}

// A history's readings date the exhaustion only when it ends at the
// pool's Count: otherwise the trials, starting from Count, do.
func TestForecastHistoryNotThePool(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 10}) // 1,019 / 31 = 32 nodes fit
	// Exactly a node a day: 10, 40, 70, 100 nodes on days 0, 30, 60, 90.
	h := []capacity.Observation{{day(0), 10}, {day(30), 40}, {day(60), 70}, {day(90), 100}}
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: h})
	require.NoError(t, err)
	// From 10 nodes on day 90 at 1 a day: 33 nodes, the first that do not
	// fit, on day 90 + 23; 30 nodes, whose upgrade adds 3 (33), on day
	// 90 + 20. Not day 30, when the history (not the pool) had 40.
	assert.Equal(t, &capacity.DateRange{P10: day(113), P50: day(113), P90: day(113)}, f.When)
	assert.Equal(t, &capacity.DateRange{P10: day(110), P50: day(110), P90: day(110)}, f.UpgradeBy)
	assert.Equal(t, []string{"the history ends at 100 nodes (2026-11-30) but pool nodes has 10 nodes now: the trials start from the pool's count on 2026-11-30 and grow as the history's model does; the history's counts date nothing"}, f.Warnings)

	// Ending at the pool's Count the history is the pool's: it passed 32
	// nodes on day 30 (40), and both dates are that day.
	c.Pools[0].Count = 100
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: h})
	require.NoError(t, err)
	assert.Equal(t, &capacity.DateRange{P10: day(30), P50: day(30), P90: day(30)}, f.When)
	assert.Equal(t, &capacity.DateRange{P10: day(30), P50: day(30), P90: day(30)}, f.UpgradeBy)
}

// A history that ended long before Now does not date the pool as if it had
// grown unseen since: the trials start on Now's day from Count.
func TestForecastStaleHistory(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 10}) // 32 nodes fit
	// 3 nodes every 31 days, exactly: 3/31 a day, ending on 2025-04-04.
	h := []capacity.Observation{{day(0), 5}, {day(31), 8}, {day(62), 11}, {day(93), 14}}
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: h, Now: now, Path: true})
	require.NoError(t, err)
	// From 10 nodes on 2026-11-30: 10 + 3k/31 rounds to 33 first on day
	// k = 233 (32.548; 32.45 on day 232), and to 30, whose upgrade adds 3,
	// on day 202 (29.548).
	assert.InDelta(t, 3.0/31, f.Growth, 1e-12)
	assert.Equal(t, &capacity.DateRange{P10: now.AddDate(0, 0, 233), P50: now.AddDate(0, 0, 233), P90: now.AddDate(0, 0, 233)}, f.When)
	assert.Equal(t, &capacity.DateRange{P10: now.AddDate(0, 0, 202), P50: now.AddDate(0, 0, 202), P90: now.AddDate(0, 0, 202)}, f.UpgradeBy)
	require.NotEmpty(t, f.Path)
	assert.Equal(t, capacity.PathPoint{Date: now, P10: 10, P50: 10, P90: 10}, f.Path[0], "the path starts now, at Count")
	assert.Contains(t, f.Warnings, "the history ends on 2025-04-04, 605 days before now (2026-11-30): the trials start now from the pool's count, 10 nodes, and grow as the history's model does from there")
	assert.Contains(t, f.Warnings, "the history ends at 14 nodes (2025-04-04) but pool nodes has 10 nodes now: the trials start from the pool's count on 2026-11-30 and grow as the history's model does; the history's counts date nothing")
	for _, w := range f.Warnings {
		assert.NotContains(t, w, "is not after now")
	}

	// Without Now the trials start on the last observation's day, as
	// before: the same days counted from 2025-04-04.
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: h})
	require.NoError(t, err)
	assert.Equal(t, &capacity.DateRange{P10: day(93 + 233), P50: day(93 + 233), P90: day(93 + 233)}, f.When)

	// A walk starts from Count on Now's day too: a history whose
	// deviations from its line persist is a walk, drifting (14 − 5)/91 a
	// day.
	var walk []capacity.Observation
	for i, n := range []int{5, 6, 8, 11, 12, 12, 13, 14} {
		walk = append(walk, capacity.Observation{Time: day(13 * i), Nodes: n})
	}
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 200, Seed: 3, History: walk, Now: now, Path: true})
	require.NoError(t, err)
	assert.Equal(t, capacity.GrowthRandomWalk, f.Model)
	assert.InDelta(t, 9.0/91, f.Growth, 1e-12)
	require.NotEmpty(t, f.Path)
	assert.Equal(t, capacity.PathPoint{Date: now, P10: 10, P50: 10, P90: 10}, f.Path[0])
	// 10 nodes fit (10 × 31 ≤ 1,019) and the walk drifts up, past 32
	// within ten years: every bound is dated, after the start.
	require.NotNil(t, f.When)
	assert.True(t, f.When.P10.After(now), "%+v", f.When)
}

// A history dated after Now is warned of, not rejected: Now may be a
// date's midnight read before the day's readings, or a backtest's. The
// trials start from the last observation as without Now.
func TestForecastHistoryAfterNow(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 14})
	h := []capacity.Observation{{day(0), 5}, {day(31), 8}, {day(62), 11}, {day(93), 14}}
	base, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: h})
	require.NoError(t, err)
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: h, Now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, base.When, f.When)
	assert.Equal(t, []string{"4 observations of the history, the last on 2027-04-04, are dated after now (2026-11-30): check their times and now; the trials start from the last observation"}, f.Warnings)
	// Now on the last observation's day: no warning.
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: h, Now: day(93).Add(-time.Hour).Add(2 * time.Hour)})
	require.NoError(t, err)
	assert.Empty(t, f.Warnings)
}

// The trials' start day is checked for an upgrade too: an Overlay pool of
// 240 nodes whose upgrade adds 24 (10%), 264 nodes, where 253 fit (the
// /16's 256 /24s less the system pool's 3), cannot upgrade on the start
// day, 2026-11-30, though 240 nodes fit. The history, ending at 230 and
// not the pool's, dates nothing.
func TestForecastUpgradeByOnStart(t *testing.T) {
	c := overlayPools("10.244.0.0/16", 240)
	day := func(d int) time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	h := []capacity.Observation{{day(0), 200}, {day(10), 215}, {day(20), 230}}
	now := day(29) // 2026-11-30
	f, err := capacity.Forecast(context.Background(), c, "user", capacity.ForecastOptions{Trials: 20, History: h, Now: now})
	require.NoError(t, err)
	assert.Equal(t, 253.0, f.Nodes.P50)
	assert.Equal(t, &capacity.DateRange{P10: now, P50: now, P90: now}, f.UpgradeBy)
	assert.Contains(t, f.Warnings, "the last date an upgrade fits, P90 2026-11-30, is not after now (2026-11-30): in at least 90% of trials an upgrade of the pool already does not fit")
	// 240 nodes fit: the exhaustion is after the start, at +1.5 a day
	// (30 nodes in 20 days) some 9 days on.
	require.NotNil(t, f.When)
	assert.True(t, f.When.P10.After(now), "%+v", f.When)

	// Count itself not fitting dates both to the start.
	c.Pools[1].Count = 260
	f, err = capacity.Forecast(context.Background(), c, "user", capacity.ForecastOptions{Trials: 20, History: h, Now: now})
	require.NoError(t, err)
	assert.Equal(t, &capacity.DateRange{P10: now, P50: now, P90: now}, f.When)
	assert.Equal(t, &capacity.DateRange{P10: now, P50: now, P90: now}, f.UpgradeBy)
}

// Now in year 1 at UTC is year 0 in a history west of it: warnings clamp
// it to 0001-01-01 as the trials' start is clamped, never "0000-12-31".
func TestForecastNowClamped(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/22", capacity.Pool{Count: 14})
	west := time.FixedZone("-05", -5*3600)
	day := func(d int) time.Time { return time.Date(1, 1, 5, 0, 0, 0, 0, west).AddDate(0, 0, d) }
	h := []capacity.Observation{{day(0), 5}, {day(10), 8}, {day(20), 14}}
	// 0001-01-01T02:00Z is 0000-12-31T21:00 at −05:00.
	f, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 4, History: h, Now: time.Date(1, 1, 1, 2, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Contains(t, f.Warnings, "3 observations of the history, the last on 0001-01-25, are dated after now (0001-01-01): check their times and now; the trials start from the last observation")
	for _, w := range f.Warnings {
		assert.NotContains(t, w, "0000-")
	}
}
