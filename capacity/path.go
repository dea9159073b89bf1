package capacity

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// PathPoint is one day of ForecastResult.Path: percentiles across trials
// of the highest node count the pool's growth has asked for by that day,
// from the trials' start (the last observation's day, or Now's when
// later), where all three are the pool's Count; P10 ≤ P50 ≤ P90. Pp is the count that
// a share 1 − p of trials reach or exceed: 90% of trials reach P10, 10%
// reach P90. In JSON the date is "YYYY-MM-DD":
// {"date": "2027-03-01", "p10": 41, "p50": 44, "p90": 48}.
type PathPoint struct {
	Date time.Time // midnight UTC, in the calendar of the history's last observation
	P10  int
	P50  int
	P90  int
}

type pathPointJSON struct {
	Date string `json:"date"`
	P10  int    `json:"p10"`
	P50  int    `json:"p50"`
	P90  int    `json:"p90"`
}

// MarshalJSON writes the date as YYYY-MM-DD; a date outside the years
// 1–9999 is an error.
func (p PathPoint) MarshalJSON() ([]byte, error) {
	if y := p.Date.Year(); y < 1 || y > 9999 {
		return nil, fmt.Errorf("capacity: PathPoint: %v: want a date in the years 1–9999", p.Date)
	}
	return json.Marshal(pathPointJSON{p.Date.Format(time.DateOnly), p.P10, p.P50, p.P90})
}

// UnmarshalJSON reads MarshalJSON's form.
func (p *PathPoint) UnmarshalJSON(b []byte) error {
	var j pathPointJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, j.Date)
	if err != nil {
		return fmt.Errorf("capacity: PathPoint.date: %q: want YYYY-MM-DD", j.Date)
	}
	*p = PathPoint{Date: t, P10: j.P10, P50: j.P50, P90: j.P90}
	return nil
}

// indirect is a rand.Source that draws from whichever PCG *cur points
// to, so that one rand.Rand serves every trial's stream in turn.
type indirect struct{ cur **rand.PCG }

func (s indirect) Uint64() uint64 { return (*s.cur).Uint64() }

// path computes ForecastResult.Path for the n trials: it draws each
// trial's trajectory again from its seed (the very counts the trial
// replayed, and after its exhaustion the counts it would have asked for
// next), keeps each trial's highest count so far and, since those only
// grow, the three percentiles with a histogram of counts and a cursor
// each. A trial's highest count exceeds what fits on the day it runs
// out, so for a pool whose nodes all take the same (every mode but the
// batched and on-demand-block ones with a pod distribution) the P50 path
// first exceeds the nodes that fit on When.P50, P90 on When.P10 and P10
// on When.P90. The path ends at the horizon, or on the day its P10
// exceeds the most nodes any trial fitted: past it, so are all three.
// It holds one point on the day the trials start (the last
// observation's, or Now's when later), one on each day a
// percentile changes, and one on its last day. Memory: about 80 bytes a
// trial and 4 bytes per node count up to the pool limit.
func (f *forecaster) path(ctx context.Context, rs []trialResult) ([]PathPoint, error) {
	n := len(rs)
	most := f.m.spec.MaxNodesPerPool + 1
	fits := 0
	for _, t := range rs {
		fits = max(fits, t.nodes)
	}
	start := min(f.m.pools[f.pi].pool.Count, most)
	walkers := make([]walker, n)
	pcgs := make([]rand.PCG, n)
	peak := make([]int32, n)
	hist := make([]int32, most+1) // trials at each highest count
	var cur *rand.PCG
	r := rand.New(indirect{&cur})
	for i := range n {
		pcgs[i] = *rand.NewPCG(f.opt.Seed+trajectorySeed, uint64(i))
		cur = &pcgs[i]
		walkers[i].start(f.g, r)
		peak[i] = int32(start)
	}
	hist[start] = int32(n)
	// Cursor j sits on the count that need[j] trials reach or exceed, the
	// value at sorted index n − need[j]; le[j] counts the trials at or
	// below it. need[j] is the rank When's percentile 1 − p takes, as
	// stat.Quantile's Empirical counts it (the first rank ≥ p·n), so that
	// a path passes a count on the day that percentile of the dates of
	// passing it falls.
	var idx, c, le [3]int
	for j, q := range [3]float64{0.9, 0.5, 0.1} {
		need := max(int(math.Ceil(q*float64(n))), 1)
		idx[j] = n - need
		c[j], le[j] = start, n
	}
	var pts []PathPoint
	point := func(k int) {
		pts = append(pts, PathPoint{Date: dateOf(f.day0 + int64(k)), P10: c[0], P50: c[1], P90: c[2]})
	}
	point(0)
	for k := 1; k <= f.horizon; k++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := range walkers {
			cur = &pcgs[i]
			walkers[i].r = r
			v := int32(walkers[i].next(most))
			if a := peak[i]; v > a {
				hist[a]--
				hist[v]++
				peak[i] = v
				for j := range c {
					if int(a) <= c[j] && int(v) > c[j] {
						le[j]--
					}
				}
			}
		}
		moved := false
		for j := range c {
			for le[j] < idx[j]+1 {
				c[j]++
				le[j] += int(hist[c[j]])
				moved = true
			}
		}
		switch {
		case c[0] > fits || k == f.horizon:
			point(k)
			return pts, nil
		case moved:
			point(k)
		}
	}
	return pts, nil
}
