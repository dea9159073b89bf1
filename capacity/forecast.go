package capacity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Observation is a pool's node count at a time, e.g. from Azure Monitor.
type Observation struct {
	Time  time.Time `json:"time"`
	Nodes int       `json:"nodes"`
}

// ForecastOptions configures Forecast. The zero value runs 1,000 trials on
// every CPU with a fixed pod count.
type ForecastOptions struct {
	Trials  int    // Monte Carlo trials, at most MaxTrials; 0 = 1,000
	Workers int    // trials run in parallel, at most MaxWorkers; 0 = GOMAXPROCS
	Seed    uint64 // trial i draws from a PCG seeded with (Seed, i)
	// Pods returns the distribution of pods per new node for one trial,
	// drawing from src; nil = the pool's fixed PodsPerNode (or MaxPods).
	Pods func(src rand.Source) distuv.Rander
	// History is the pool's node count over time, oldest first, at most
	// one observation per time; with three or more observations Forecast
	// dates the exhaustion.
	History []Observation
	// Progress, when set, is called on Forecast's goroutine after each
	// trial with the trials done and the total. The library prints nothing.
	Progress func(done, total int)
}

// ForecastResult is what the trials found.
type ForecastResult struct {
	Trials int `json:"trials"`
	// Nodes is the pool's node count when a trial's next allocation failed.
	// P50 is the median; P90 and P99 are the counts that 90% and 99% of
	// trials reached (the 10th and 1st percentiles): conservative bounds,
	// P99 ≤ P90 ≤ P50.
	Nodes  Quantiles     `json:"nodes"`
	Limits map[Limit]int `json:"limits"` // how many trials each limit ended
	// When dates the pool reaching Nodes.P50 on the linear trend of
	// History; nil without enough history or when the pool is not growing.
	When *DateRange `json:"when"`
	// WhenNote says why When is nil although History was given: the pool
	// is not growing, or the date lies beyond what a date can hold.
	WhenNote string `json:"whenNote,omitempty"`
	// Growth is the trend's slope in nodes per day (0 without history).
	Growth float64 `json:"growth"`
}

// Quantiles summarises the trials' node counts.
type Quantiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
}

// DateRange is a date with a 90% interval [Lo, Hi]. Lo or Hi is the zero
// time when the trend is too uncertain to bound that side.
type DateRange struct {
	P50 time.Time `json:"p50"`
	Lo  time.Time `json:"lo"`
	Hi  time.Time `json:"hi"`
}

// Forecast runs opt.Trials seeded trials in which pool scales out one node
// at a time, each new node running pods drawn from opt.Pods, until the first
// failed allocation or limit, and summarises where they stopped. Trials are
// independent and deterministic for a seed whatever the number of workers.
// Without a pod distribution every trial is the same, and for modes without
// on-demand allocation equals Analyze's MaxNodes when the other pools run at
// their autoscaler max. Forecast honours ctx between trials.
func Forecast(ctx context.Context, c Cluster, pool string, opt ForecastOptions) (*ForecastResult, error) {
	m, err := newModel(&c)
	if err != nil {
		return nil, err
	}
	pi, ok := m.byName[pool]
	if !ok {
		return nil, m.unknownPool(-1, "pool", pool)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := opt.check(); err != nil {
		return nil, err
	}
	trials := opt.Trials
	if trials == 0 {
		trials = 1000
	}
	workers := opt.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, trials)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	nodes := make([]float64, trials)
	limits := make([]Limit, trials)
	next := make(chan int)
	done := make(chan error, workers)
	finished := make(chan struct{}, trials)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var e *engine // one per worker, reset between trials
			var err error
			for i := range next {
				var n int
				var l Limit
				if err == nil {
					n, l, err = safeTrial(m, &e, pi, i, opt)
				}
				if err != nil {
					done <- err
					cancel()
					return
				}
				nodes[i], limits[i] = float64(n), l
				finished <- struct{}{}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range trials {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for k := 1; k <= trials; k++ {
		select {
		case <-finished:
			if opt.Progress != nil {
				opt.Progress(k, trials)
			}
		case err := <-done:
			wg.Wait()
			return nil, err
		case <-ctx.Done():
			wg.Wait()
			select {
			case err := <-done: // a trial failed and cancelled the rest
				return nil, err
			default:
				return nil, context.Cause(ctx)
			}
		}
	}
	wg.Wait()

	r := &ForecastResult{Trials: trials, Limits: map[Limit]int{}}
	for _, l := range limits {
		r.Limits[l]++
	}
	slices.Sort(nodes)
	r.Nodes = Quantiles{
		P50: stat.Quantile(0.5, stat.Empirical, nodes, nil),
		P90: stat.Quantile(0.1, stat.Empirical, nodes, nil),
		P99: stat.Quantile(0.01, stat.Empirical, nodes, nil),
	}
	if len(opt.History) >= 3 {
		r.When, r.Growth, r.WhenNote = dateOf(opt.History, r.Nodes.P50)
	}
	return r, nil
}

// safeTrial runs trial i on the worker's engine *e, building it first, and
// returns a panic as an error rather than let it end the process. After a
// panic the engine is dropped: its state is unknown.
func safeTrial(m *model, e **engine, pi, i int, opt ForecastOptions) (n int, l Limit, err error) {
	defer func() {
		if r := recover(); r != nil {
			*e = nil
			n, l, err = 0, 0, fmt.Errorf("capacity: internal error in trial %d: %v", i, r)
		}
	}()
	if *e == nil {
		if *e, err = newEngine(m, nil, 0); err != nil {
			return 0, 0, err
		}
	}
	return (*e).trial(pi, i, opt)
}

// Bounds of ForecastOptions: more trials do not sharpen three percentiles,
// and more workers than trials or CPUs only cost memory.
const (
	MaxTrials  = 1_000_000
	MaxWorkers = 1024
)

// check reports out-of-range options and a history Forecast cannot fit:
// fewer than 3 observations, negative node counts, times out of order or
// repeated, or outside the years 1–9999 (a JSON date holds no other).
func (opt *ForecastOptions) check() error {
	var v validator
	if opt.Trials < 0 || opt.Trials > MaxTrials {
		v.add("Trials", "%d: want 1..%d, or 0 for 1,000", opt.Trials, MaxTrials)
	}
	if opt.Workers < 0 || opt.Workers > MaxWorkers {
		v.add("Workers", "%d: want 1..%d, or 0 for one per CPU", opt.Workers, MaxWorkers)
	}
	h := opt.History
	if len(h) > 0 && len(h) < 3 {
		v.add("History", "%d observations: a trend needs at least 3", len(h))
	}
	for i, o := range h {
		f := path{"History", i, ""}
		if o.Nodes < 0 {
			v.addAt(f.with(".Nodes"), "negative count %d", o.Nodes)
		}
		switch y := o.Time.Year(); {
		case o.Time.IsZero():
			v.addAt(f.with(".Time"), "not set")
		case y < 1 || y > 9999:
			v.addAt(f.with(".Time"), "%v: want a time in the years 1–9999", o.Time)
		case i > 0 && !o.Time.After(h[i-1].Time):
			v.addAt(f.with(".Time"), "%v is not after History[%d] (%v): observations must be in time order, one per time", o.Time, i-1, h[i-1].Time)
		}
	}
	return v.err()
}

// trial runs trial i on an emptied engine: the cluster as given, then pool
// pi scaled out until the first failure.
func (e *engine) trial(pi, i int, opt ForecastOptions) (int, Limit, error) {
	var pods distuv.Rander
	if opt.Pods != nil {
		pods = opt.Pods(rand.NewPCG(opt.Seed, uint64(i)))
	}
	e.reset(pods, opt.Seed^uint64(i)*0x9e3779b97f4a7c15)
	ex := e.create(nil, false)
	if ex == nil {
		ex = e.scale(pi, e.m.spec.MaxNodesPerPool+1)
	}
	if ex == nil {
		return 0, 0, errors.New("capacity: internal error: a pool grew past its node limit")
	}
	return len(e.pools[pi].live), ex.Limit, nil
}

// dateOf fits history to a line (gonum stat.LinearRegression, days since the
// first observation) and returns when it reaches target, with the 90%
// confidence band of the fitted line (Student's t, n−2 degrees of freedom)
// solved for the same target, and the slope in nodes per day. No date is
// before the first observation (a target reached already dates to it) or
// beyond what a time.Duration from it holds (about 292 years) or year 9999:
// such a P50 gives no DateRange and a note saying why, such a Hi the zero
// time. History must be checked: times strictly increasing.
func dateOf(h []Observation, target float64) (*DateRange, float64, string) {
	t0 := h[0].Time
	x := make([]float64, len(h))
	y := make([]float64, len(h))
	for i, o := range h {
		// Seconds, not Time.Sub: Sub saturates beyond 292 years.
		sec := float64(o.Time.Unix()-t0.Unix()) + float64(o.Time.Nanosecond()-t0.Nanosecond())/1e9
		x[i] = sec / 86400
		y[i] = float64(o.Nodes)
	}
	alpha, beta := stat.LinearRegression(x, y, nil, false)
	if math.IsNaN(beta) || math.IsInf(beta, 0) || math.IsNaN(alpha) || math.IsInf(alpha, 0) {
		return nil, 0, "the history has no trend"
	}
	if !(beta > 0) {
		return nil, beta, "the pool is not growing on its history's trend"
	}
	n := float64(len(h))
	xm, ym := stat.Mean(x, nil), stat.Mean(y, nil)
	var sxx, sse float64
	for i := range x {
		sxx += (x[i] - xm) * (x[i] - xm)
		r := y[i] - (alpha + beta*x[i])
		sse += r * r
	}
	end := time.Date(9999, 12, 31, 0, 0, 0, 0, t0.Location())
	horizon := float64(end.Sub(t0)) // saturates at the largest Duration
	// day returns the time d days after t0, clamped to t0, and false beyond
	// the horizon.
	day := func(d float64) (time.Time, bool) {
		ns := d * 24 * float64(time.Hour)
		switch {
		case math.IsNaN(ns) || ns >= horizon:
			return time.Time{}, false
		case ns <= 0:
			return t0, true
		}
		return t0.Add(time.Duration(ns)), true
	}
	p50, ok := day((target - alpha) / beta)
	if !ok {
		return nil, beta, fmt.Sprintf("the trend reaches %.0f nodes after %s: too far to date", target, t0.Add(time.Duration(horizon)).Format(time.DateOnly))
	}
	dr := &DateRange{P50: p50}
	if sxx == 0 {
		return dr, beta, ""
	}
	// The band ŷ ± k·sqrt(1/n + (t−x̄)²/Sxx) meets the target where
	// A·d² + B·d + C = 0, d = t − x̄.
	k := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 2}.Quantile(0.95) * math.Sqrt(sse/(n-2))
	g := ym - target
	a, b, cc := beta*beta-k*k/sxx, 2*beta*g, g*g-k*k/n
	if !(a > 0) {
		return dr, beta, "" // the slope is not significant: no bound
	}
	disc := math.Sqrt(math.Max(0, b*b-4*a*cc))
	dr.Lo, _ = day(xm + (-b-disc)/(2*a))
	dr.Hi, _ = day(xm + (-b+disc)/(2*a))
	return dr, beta, ""
}
