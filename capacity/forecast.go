package capacity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ipcap/ipcap/internal/count"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ForecastOptions configures Forecast. The zero value runs 1,000 trials on
// every CPU with a fixed pod count and no history.
type ForecastOptions struct {
	Trials  int    // Monte Carlo trials, at most MaxTrials; 0 = 1,000
	Workers int    // trials run in parallel, at most MaxWorkers; 0 = GOMAXPROCS
	Seed    uint64 // trial i draws from PCGs seeded with (Seed, i)
	// Pods returns the distribution of pods per new node for one trial,
	// drawing from src; nil = the pool's fixed PodsPerNode (or MaxPods).
	Pods func(src rand.Source) distuv.Rander
	// History is the pool's node count over time, oldest first, one
	// observation per time (ReadHistory reads it from CSV), each count at
	// most MaxHistoryNodes. With three or more observations Forecast fits
	// a growth model and dates the exhaustion; with one or two it dates
	// nothing and warns.
	History []Observation
	// Horizon is how many days after the trials' start (see Now) a
	// trial's growth is simulated, at most MaxHorizon; 0 = 3,653 (ten
	// years). It stops at 9999-12-31. A trial that has not run out by
	// then has no date.
	Horizon int
	// Now is when the forecast is read, the time at which the pool has
	// its Count; zero = the last observation's time. Dates are calendar
	// days of the last observation's time zone. When Now falls on a later
	// day than the last observation, the trials start on Now's day from
	// Count and grow as the fitted model does from there (its trend's
	// slope or its walk's drift, the model moved in time to start at
	// Now): a history that ended months ago does not date the pool as if
	// it had grown unseen since. Otherwise they start from Count on the
	// last observation's day. Now's day in that zone is clamped to the
	// years 1–9999. A history ending more than 30 days before Now,
	// or dated after Now, is warned of. Now also flags dates already
	// past. Forecast never reads the clock.
	Now time.Time
	// Path asks for ForecastResult.Path, the percentiles of the pool's
	// node count day by day; it needs a growth model (3 observations).
	Path bool
	// Progress, when set, is called on Forecast's goroutine after each
	// trial with the trials done and the total. The library prints nothing.
	Progress func(done, total int)
}

// ForecastResult is what the trials found. Its basis is the cluster now:
// the other pools at their current Count (not their autoscaler max, which
// is Analyze's basis; Analyze(c.AtCount()) is Forecast's).
type ForecastResult struct {
	Pool string `json:"pool"` // the pool forecast
	// Trials is how many trials ran: the options' Trials, or 1 when every
	// trial would be the same: no growth model drawn (fewer than 3
	// observations) and pods that cannot change what a node takes (Pods
	// nil, or a mode whose per-node cost does not depend on pods: all but
	// batched and on-demand-block modes).
	Trials int `json:"trials"`
	// Identical says the trials would all be the same, so one ran.
	Identical bool `json:"identical,omitempty"`
	// Nodes are percentiles across trials of the pool's node count when the
	// trial's first allocation failed: the nodes that fit.
	Nodes  Quantiles     `json:"nodes"`
	Limits map[Limit]int `json:"limits"` // how many trials each limit ended
	// When holds percentiles across trials of the date of the trial's first
	// failed allocation: the day its simulated count first needs more nodes
	// than fit. When the history ends at the pool's Count, it is the pool's
	// own past, and a date in it is the first observation above what
	// fits; otherwise the history's counts are not the pool's and date
	// nothing: every date is the trials', on or after their start (the
	// last observation's day, or Now's when later), which dates a pool
	// that does not fit at its Count. Nil without a growth model, or when
	// fewer than 10% of trials run out within the horizon; a bound is
	// zero (and omitted in JSON) when too few trials run out within the
	// horizon to place it.
	When *DateRange `json:"when,omitempty"`
	// UpgradeBy holds percentiles across trials of the first date on which
	// an upgrade of the pool no longer fits: its count n plus its surge
	// surge(n) exceeds the nodes that fit (the pool passes its max nodes
	// with surge), the trials' start when its Count and surge already do
	// not fit. Upgrade before it. Never after When, trial by trial.
	UpgradeBy *DateRange `json:"upgradeBy,omitempty"`
	// Growth is the fitted model's slope in nodes per day and Model names
	// the model (see the package doc); both zero without history.
	Growth float64     `json:"growth"`
	Model  GrowthModel `json:"model,omitempty"`
	// Path holds, with ForecastOptions.Path and a growth model, the
	// percentiles across trials of the pool's node count from the trials'
	// start on (the last observation's day, or Now's when later, the pool
	// at its Count): a band per day whose P50 passes the nodes that fit on
	// When.P50 (see PathPoint).
	Path []PathPoint `json:"path,omitempty"`
	// Warnings say what a reader must know to trust the figures: a
	// history whose last count is not the pool's Count, a history that
	// ends more than 30 days before Now or is dated after it, a date
	// already past, a date more than 3× the history's span ahead, too little
	// history to date anything, trials that do not run out within the
	// horizon.
	Warnings []string `json:"warnings,omitempty"`
}

// Quantiles are percentiles of the trials' node counts (type 1, the
// inverse of the empirical distribution: each is a count some trial
// reached). P1 ≤ P10 ≤ P50 ≤ P90 ≤ P99; P10 is the count 90% of trials
// reached, a conservative bound.
type Quantiles struct {
	P1  float64 `json:"p1"`
	P10 float64 `json:"p10"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
}

// DateRange holds percentiles of a date across trials: P10 ≤ P50 ≤ P90,
// [P10, P90] an 80% prediction interval. Dates are calendar days, at
// midnight UTC, counted in the calendar of the history's last observation.
// A zero bound is unknown: too few trials reach the date within the
// horizon. In JSON the dates are "YYYY-MM-DD" and an unknown bound is
// omitted: {"p10": "2027-03-01", "p50": "2027-05-14"}.
type DateRange struct {
	P10 time.Time
	P50 time.Time
	P90 time.Time
}

type dateRangeJSON struct {
	P10 string `json:"p10,omitempty"`
	P50 string `json:"p50,omitempty"`
	P90 string `json:"p90,omitempty"`
}

// MarshalJSON writes the known bounds as YYYY-MM-DD; a date outside the
// years 1–9999 is an error.
func (d DateRange) MarshalJSON() ([]byte, error) {
	var j dateRangeJSON
	for _, f := range []struct {
		t   time.Time
		dst *string
	}{{d.P10, &j.P10}, {d.P50, &j.P50}, {d.P90, &j.P90}} {
		if f.t.IsZero() {
			continue
		}
		if y := f.t.Year(); y < 1 || y > 9999 {
			return nil, fmt.Errorf("capacity: DateRange: %v: want a date in the years 1–9999", f.t)
		}
		*f.dst = f.t.Format(time.DateOnly)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads MarshalJSON's form: each bound a YYYY-MM-DD date
// (midnight UTC), absent or "" when unknown.
func (d *DateRange) UnmarshalJSON(b []byte) error {
	var j dateRangeJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	var out DateRange
	for _, f := range []struct {
		name, s string
		dst     *time.Time
	}{{"p10", j.P10, &out.P10}, {"p50", j.P50, &out.P50}, {"p90", j.P90, &out.P90}} {
		if f.s == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, f.s)
		if err != nil {
			return fmt.Errorf("capacity: DateRange.%s: %q: want YYYY-MM-DD", f.name, f.s)
		}
		*f.dst = t
	}
	*d = out
	return nil
}

// Forecast runs seeded Monte Carlo trials of pool's growth and summarises
// where and when they ran out of addresses.
//
// Basis: every other pool stays at its current Count (the cluster now, as
// in Analyze(c.AtCount())); Analyze(c) instead holds them at their
// autoscaler max, as AKS plans.
//
// Without a usable history (fewer than 3 observations) a trial scales the
// pool out one node at a time, each new node running pods drawn from
// opt.Pods, until the first failed allocation. With a history, a trial
// also draws a growth trajectory from the model fitted to it (see the
// package doc), replays the pool's daily node count through the
// allocators from the trials' start, and records the date of its first
// failed allocation and the first date on which an upgrade no longer fits;
// the dates' percentiles across trials are When and UpgradeBy. The trials
// start from the pool's Count on the last observation's day, or on Now's
// when later (see ForecastOptions.Now), that day included: the trajectory
// is moved to start there. Only a history that ends at Count is the pool's own past, whose
// observations above what fits date the exhaustion (and an upgrade's
// deadline) in it; a history ending at another count only lends its
// growth. Trials are independent and deterministic for a seed whatever
// the number of workers. When every trial would be the same, one runs
// (ForecastResult.Trials). A malformed cluster, or malformed options or
// history ("invalid forecast options"), is a *ValidationError; Forecast
// honours ctx between trials.
func Forecast(ctx context.Context, c Cluster, pool string, opt ForecastOptions) (*ForecastResult, error) {
	m, err := newModel(&c)
	if err != nil {
		return nil, err
	}
	pi, ok := m.byName[pool]
	if !ok {
		return nil, m.unknownPool(-1, pathOf("pool"), pool)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := opt.check(); err != nil {
		return nil, err
	}
	f := newForecaster(m, pi, &opt)
	trials := opt.Trials
	if trials == 0 {
		trials = 1000
	}
	if f.sameTrials() {
		trials = 1
	}
	workers := opt.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, trials)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]trialResult, trials)
	next := make(chan int)
	done := make(chan error, workers)
	finished := make(chan struct{}, trials)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w trialWorker // one engine per worker, reset between trials
			var err error
			for i := range next {
				var r trialResult
				if err == nil {
					r, err = f.safeTrial(&w, i)
				}
				if err != nil {
					done <- err
					cancel()
					return
				}
				results[i] = r
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
	r := f.summarise(results)
	if opt.Path && f.g != nil {
		if r.Path, err = f.path(ctx, results); err != nil {
			return nil, context.Cause(ctx)
		}
	}
	return r, nil
}

// forecaster is what every trial of one Forecast shares, read-only.
type forecaster struct {
	m   *model
	pi  int
	opt *ForecastOptions
	g   *growth // nil without a growth model
	// podsMatter: opt.Pods can change what a node of the pool takes.
	podsMatter bool
	// identical: every node the pool adds takes the same, whatever came
	// and went before, so that whether a count fits depends on the count
	// alone and a trial replays only the counts above its running maximum.
	identical bool
	// day0 is the day number the trials start on, day 0 of their
	// trajectories: the last observation's, or Now's when later.
	day0    int64
	lastObs int64 // day number of the last observation
	horizon int   // days simulated after day0
	// history holds the observations that date the exhaustion: all of
	// them when the history ends at the pool's Count, else none (the
	// counts are not the pool's).
	history []histDay
}

// histDay is an observation on its day number.
type histDay struct {
	day   int64
	nodes int
}

// Bounds of ForecastOptions: more trials do not sharpen five percentiles,
// more workers than trials or CPUs only cost memory, and a century is
// beyond any forecast.
const (
	MaxTrials  = 1_000_000
	MaxWorkers = 1024
	MaxHorizon = 36_525 // days: a hundred years
)

// defaultHorizon is ten years of days.
const defaultHorizon = 3_653

// staleDays is how long before Now a history may end unwarned: a month
// without a reading, long enough that the pool's growth since is unseen.
const staleDays = 30

func newForecaster(m *model, pi int, opt *ForecastOptions) *forecaster {
	unit := m.unit
	f := &forecaster{m: m, pi: pi, opt: opt, podsMatter: opt.Pods != nil && unit.podsCost()}
	// Calico's blocks depend on which nodes came and went even at a fixed
	// pod count: replay every day.
	f.identical = !f.podsMatter && !unit.pathDependent()
	h := opt.History
	if len(h) < 3 {
		return f
	}
	f.g = fitGrowth(h)
	// The trials start from Count: the walk from it, the trend's line
	// moved by as much. When Now is later than the last observation the
	// model is moved in time too, so that the trials start from Count on
	// Now's day, the count known there, rather than from a count the
	// model would have reached unseen since.
	count := m.pools[pi].pool.Count
	f.g.shift = float64(count) - f.g.last
	tn := h[len(h)-1].Time
	f.lastObs = dayNumber(tn, tn.Location())
	f.day0 = f.lastObs
	if !opt.Now.IsZero() { // at most 9999-12-31, whatever the zones
		f.day0 = max(f.day0, min(dayNumber(opt.Now, tn.Location()), lastDay))
	}
	f.horizon = opt.Horizon
	if f.horizon == 0 {
		f.horizon = defaultHorizon
	}
	f.horizon = int(min(int64(f.horizon), lastDay-f.day0))
	if h[len(h)-1].Nodes != count {
		return f
	}
	for _, o := range h {
		f.history = append(f.history, histDay{dayNumber(o.Time, tn.Location()), o.Nodes})
	}
	return f
}

// firstDay and lastDay are the day numbers of 0001-01-01 and 9999-12-31,
// the first and last dates JSON holds.
var firstDay = dayNumber(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC)
var lastDay = dayNumber(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.UTC)

// dayNumber returns the calendar date of t in loc as days since 1970-01-01.
func dayNumber(t time.Time, loc *time.Location) int64 {
	y, mo, d := t.In(loc).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dateOf returns day number d as a date at midnight UTC.
func dateOf(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

// trialWorker is a worker's reusable state.
type trialWorker struct {
	e    *engine
	path []int // the trial's daily counts, day 1 first
}

// trialResult is one trial's outcome; days are day numbers, +Inf when the
// trial does not reach the date within the horizon or has no growth model.
type trialResult struct {
	nodes         int
	limit         Limit
	when, upgrade float64
}

// safeTrial runs trial i on the worker's engine, building it first, and
// returns a panic as an error rather than let it end the process. After a
// panic the engine is dropped: its state is unknown.
func (f *forecaster) safeTrial(w *trialWorker, i int) (r trialResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			w.e = nil
			r, err = trialResult{}, fmt.Errorf("capacity: internal error in trial %d: %v", i, p)
		}
	}()
	if w.e == nil {
		if w.e, err = newEngine(f.m, nil, 0); err != nil {
			return trialResult{}, err
		}
	}
	return f.trial(w, i)
}

// trajectorySeed separates the trajectory's PCG stream from the pods'.
const trajectorySeed = 0x7472616a6563746f

// trial runs trial i on an emptied engine: the cluster as given, then pool
// pi along the trial's trajectory, or scaled out, until the first failure.
func (f *forecaster) trial(w *trialWorker, i int) (trialResult, error) {
	e, opt := w.e, f.opt
	p := &e.pools[f.pi]
	var pods distuv.Rander
	if opt.Pods != nil {
		pods = opt.Pods(rand.NewPCG(opt.Seed, uint64(i)))
	}
	e.reset(pods, opt.Seed^uint64(i)*0x9e3779b97f4a7c15)
	r := trialResult{when: math.Inf(1), upgrade: math.Inf(1)}
	most := e.m.spec.MaxNodesPerPool + 1 // the count that cannot fit
	w.path = w.path[:0]
	ex := e.create(nil, false)
	switch {
	case ex != nil && f.g != nil:
		r.when = float64(f.day0) // it does not fit now
	case f.g != nil:
		var wk walker
		wk.start(f.g, rand.New(rand.NewPCG(opt.Seed+trajectorySeed, uint64(i))))
		peak := len(p.live)
		for k := 1; k <= f.horizon; k++ {
			n := wk.next(most)
			w.path = append(w.path, n)
			if !f.identical {
				ex = e.scale(p, n)
			} else if n > peak {
				ex, peak = e.scale(p, n), n
			}
			if ex != nil {
				r.when = float64(f.day0 + int64(k))
				break
			}
		}
	}
	if ex == nil {
		ex = e.scale(p, most)
	}
	if ex == nil {
		return r, errors.New("capacity: internal error: a pool grew past its node limit")
	}
	r.nodes, r.limit = len(p.live), ex.Limit
	if f.g == nil {
		return r, nil
	}
	// The first day a count does not fit, or its upgrade does not: in the
	// history when it is the pool's (f.history), else on the trajectory.
	fits := r.nodes
	upgradeFits := func(n int) bool { return n+p.pm.surge.Nodes(n) <= fits }
	r.upgrade = min(r.upgrade, r.when)
	if !upgradeFits(f.m.pools[f.pi].pool.Count) { // day0, the pool at its Count
		r.upgrade = min(r.upgrade, float64(f.day0))
	}
	for _, h := range f.history {
		if h.nodes > fits {
			r.when = min(r.when, float64(h.day))
		}
		if !upgradeFits(h.nodes) {
			r.upgrade = min(r.upgrade, float64(h.day))
		}
	}
	for k, n := range w.path {
		if float64(f.day0)+float64(k+1) >= r.upgrade {
			break
		}
		if !upgradeFits(n) {
			r.upgrade = float64(f.day0) + float64(k+1)
			break
		}
	}
	return r, nil
}

// sameTrials reports whether every trial would be the same: no growth
// model to draw from and pods that cannot change what a node takes.
func (f *forecaster) sameTrials() bool { return f.g == nil && !f.podsMatter }

// summarise turns the trials into percentiles, dates and warnings.
func (f *forecaster) summarise(rs []trialResult) *ForecastResult {
	r := &ForecastResult{Pool: f.m.pools[f.pi].pool.Name, Trials: len(rs), Identical: f.sameTrials(), Limits: map[Limit]int{}}
	v := make([]float64, len(rs))
	for i, t := range rs {
		r.Limits[t.limit]++
		v[i] = float64(t.nodes)
	}
	slices.Sort(v)
	q := func(p float64) float64 { return stat.Quantile(p, stat.Empirical, v, nil) }
	r.Nodes = Quantiles{P1: q(0.01), P10: q(0.1), P50: q(0.5), P90: q(0.9), P99: q(0.99)}
	if pc, most := f.m.pools[f.pi].pool.Count, v[len(v)-1]; float64(pc) > most {
		r.warn("pool %s has %s now, more than the %s that fit: it has run out already",
			f.m.pools[f.pi].pool.Name, count.Of(pc, "node", "nodes"), count.Thousands(int(most)))
	}

	h := f.opt.History
	switch n := len(h); {
	case n == 0:
		return r
	case n < 3:
		r.warn("the history has %d observation%s: dating the exhaustion needs at least 3, so there is no date", n, plural(n))
	}
	last := h[len(h)-1]
	pc := f.m.pools[f.pi].pool.Count
	if f.g == nil {
		if last.Nodes != pc {
			r.warn("the history ends at %s (%s) but pool %s has %s now", count.Of(last.Nodes, "node", "nodes"),
				last.Time.Format(time.DateOnly), f.m.pools[f.pi].pool.Name, count.Of(pc, "node", "nodes"))
		}
		return r
	}
	start := dateOf(f.day0).Format(time.DateOnly)
	if last.Nodes != pc {
		r.warn("the history ends at %s (%s) but pool %s has %s now: the trials start from the pool's count on %s and grow as the history's model does; the history's counts date nothing",
			count.Of(last.Nodes, "node", "nodes"), last.Time.Format(time.DateOnly), f.m.pools[f.pi].pool.Name, count.Of(pc, "node", "nodes"), start)
	}
	now := f.day0
	if !f.opt.Now.IsZero() {
		// Clamped to the years 1–9999 as day0 is: Now in year 1 or 9999
		// may fall outside them in the history's zone.
		now = min(max(dayNumber(f.opt.Now, last.Time.Location()), firstDay), lastDay)
	}
	if gap := now - f.lastObs; gap > staleDays {
		r.warn("the history ends on %s, %s before now (%s): the trials start now from the pool's count, %s, and grow as the history's model does from there",
			last.Time.Format(time.DateOnly), count.Of(int(gap), "day", "days"), start, count.Of(pc, "node", "nodes"))
	}
	if ahead := 0; now < f.lastObs {
		for _, o := range h {
			if dayNumber(o.Time, last.Time.Location()) > now {
				ahead++
			}
		}
		verb := "are"
		if ahead == 1 {
			verb = "is"
		}
		r.warn("%s of the history, the last on %s, %s dated after now (%s): check their times and now; the trials start from the last observation",
			count.Of(ahead, "observation", "observations"), last.Time.Format(time.DateOnly), verb, dateOf(now).Format(time.DateOnly))
	}
	r.Growth, r.Model = f.g.slope, f.g.model
	end := dateOf(f.day0 + int64(f.horizon)).Format(time.DateOnly)
	span := -dayOffset(h[0].Time, last.Time)
	for _, d := range []struct {
		name, past string
		dst        **DateRange
		day        func(trialResult) float64
	}{
		{"the date the pool runs out", "the pool has already run out", &r.When, func(t trialResult) float64 { return t.when }},
		{"the last date an upgrade fits", "an upgrade of the pool already does not fit", &r.UpgradeBy, func(t trialResult) float64 { return t.upgrade }},
	} {
		for i, t := range rs {
			v[i] = d.day(t)
		}
		slices.Sort(v)
		var dr DateRange
		var days [3]float64
		known := 0
		for j, b := range []struct {
			p   float64
			dst *time.Time
		}{{0.1, &dr.P10}, {0.5, &dr.P50}, {0.9, &dr.P90}} {
			days[j] = q(b.p)
			if !math.IsInf(days[j], 1) {
				*b.dst = dateOf(int64(days[j]))
				known++
			}
		}
		switch {
		case known == 0:
			r.warn("%s is unknown: fewer than 10%% of trials reach it by %s, the end of the horizon; the history's fitted %s grows %+.2f nodes a day", d.name, end, f.g.model, f.g.slope)
			continue
		case known < 3:
			r.warn("%s, P%d, is unknown: fewer than %d%% of trials reach it by %s, the end of the horizon", d.name, []int{10, 50, 90}[known], []int{10, 50, 90}[known], end)
		}
		*d.dst = &dr
		for j := 2; j >= 0; j-- { // the latest bound already past
			if days[j] <= float64(now) {
				r.warn("%s, P%d %s, is not after now (%s): in at least %d%% of trials %s", d.name, []int{10, 50, 90}[j],
					dateOf(int64(days[j])).Format(time.DateOnly), dateOf(now).Format(time.DateOnly), []int{10, 50, 90}[j], d.past)
				break
			}
		}
		latest := days[known-1]
		if ahead := latest - float64(f.lastObs); ahead > 3*span {
			r.warn("%s, P%d %s, lies %s after the last observation, more than 3× the history's span of %s: an extrapolation", d.name, []int{10, 50, 90}[known-1],
				dateOf(int64(latest)).Format(time.DateOnly), count.Of(int(ahead), "day", "days"), daySpan(span))
		}
	}
	return r
}

func (r *ForecastResult) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// daySpan writes a span of days: whole days with thousands separated
// ("1,309 days"), a short fractional one to three digits ("2.5 days").
func daySpan(x float64) string {
	if x >= 10 && x < 1e15 {
		return count.Of(int(math.Round(x)), "day", "days")
	}
	return strconv.FormatFloat(x, 'g', 3, 64) + " days"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// check reports out-of-range options and a history Forecast cannot fit:
// node counts below 0 or above MaxHistoryNodes, times out of order or
// repeated, or outside the years 1–9999 (a JSON date holds no other), more
// than MaxObservations. Fewer than 3 observations are no error: Forecast
// warns. Its *ValidationError says "invalid forecast options".
func (opt *ForecastOptions) check() error {
	var v validator
	if opt.Trials < 0 || opt.Trials > MaxTrials {
		v.add(pathOf("Trials"), "%d: want 1..%d, or 0 for 1,000", opt.Trials, MaxTrials)
	}
	if opt.Workers < 0 || opt.Workers > MaxWorkers {
		v.add(pathOf("Workers"), "%d: want 1..%d, or 0 for one per CPU", opt.Workers, MaxWorkers)
	}
	if opt.Horizon < 0 || opt.Horizon > MaxHorizon {
		v.add(pathOf("Horizon"), "%d days: want 1..%d, or 0 for %d", opt.Horizon, MaxHorizon, defaultHorizon)
	}
	if y := opt.Now.Year(); !opt.Now.IsZero() && (y < 1 || y > 9999) {
		v.add(pathOf("Now"), "%v: want a time in the years 1–9999", opt.Now)
	}
	h := opt.History
	if len(h) > MaxObservations {
		v.add(pathOf("History"), "%d observations: want at most %d", len(h), MaxObservations)
		return v.optionsErr()
	}
	for i, o := range h {
		f := pathOf("History").at(i)
		switch {
		case o.Nodes < 0:
			v.add(f.dot("Nodes"), "negative count %d", o.Nodes)
		case o.Nodes > MaxHistoryNodes:
			v.add(f.dot("Nodes"), "%s nodes: %s", count.Thousands(o.Nodes), tooManyNodes)
		}
		switch y := o.Time.Year(); {
		case o.Time.IsZero():
			v.add(f.dot("Time"), "not set")
		case y < 1 || y > 9999:
			v.add(f.dot("Time"), "%v: want a time in the years 1–9999", o.Time)
		case i > 0 && !o.Time.After(h[i-1].Time):
			v.add(f.dot("Time"), "%v is not after History[%d] (%v): observations must be in time order, one per time", o.Time, i-1, h[i-1].Time)
		}
	}
	return v.optionsErr()
}

// optionsErr is err for ForecastOptions: its text says "invalid forecast
// options", not "invalid cluster".
func (v *validator) optionsErr() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems, Omitted: v.omitted, what: "forecast options"}
}
