package capacity_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

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
		assert.True(t, ve.Has(tt.field), "%v", ve)
		assert.Len(t, ve.Problems, 1)
	}
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
		{"year 10000", []capacity.Observation{{day(0), 3}, {day(1), 4}, {time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), 5}}, "History[2].Time"},
		{"zero time", []capacity.Observation{{time.Time{}, 3}, {day(1), 4}, {day(2), 5}}, "History[0].Time"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ve *capacity.ValidationError
			_, err := capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 2, History: tt.h})
			require.ErrorAs(t, err, &ve)
			assert.True(t, ve.Has(tt.field), "%v", ve)
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

	// A history already past what fits dates to the first observation
	// above it, and says the date is past: 1,100 → 1,300 nodes at 10 a
	// day passed 1,000 nodes before day 0.
	past := []capacity.Observation{{day(0), 1100}, {day(10), 1200}, {day(20), 1300}}
	c.Pools[0].Count = 4
	f, err = capacity.Forecast(context.Background(), c, "nodes", capacity.ForecastOptions{Trials: 2, History: past})
	require.NoError(t, err)
	assert.Equal(t, &capacity.DateRange{P10: start, P50: start, P90: start}, f.When)
	assert.Equal(t, &capacity.DateRange{P10: start, P50: start, P90: start}, f.UpgradeBy)
	assert.Contains(t, f.Warnings, "the history ends at 1,300 nodes (2020-01-21) but pool nodes has 4 nodes now: the trials start from the cluster as it is now and follow the history's model from its last observation")
	assert.Contains(t, f.Warnings, "the date the pool runs out, P90 2020-01-01, is not after now (2020-01-21): in at least 90% of trials the pool has already run out")
	_, err = json.Marshal(f)
	require.NoError(t, err)

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
}
