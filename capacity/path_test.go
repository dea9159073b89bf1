package capacity_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// growingOverlay is an Overlay cluster whose user pool of 20 nodes shares
// a /18 pod CIDR (64 /24s) with a system pool of 3, and two weeks of the
// user pool's history growing about half a node a day.
func growingOverlay() (capacity.Cluster, []capacity.Observation) {
	c := capacity.Cluster{
		Mode:     modes.AzureCNIOverlay,
		Subnets:  []capacity.Subnet{subnet("nodes", "10.240.0.0/22")},
		PodCIDRs: []netipPrefix{pfx("10.244.0.0/18")},
		Pools: []capacity.Pool{
			{Name: "system", Count: 3, NodeSubnet: "nodes"},
			{Name: "user", Count: 20, NodeSubnet: "nodes"},
		},
	}
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
