package capacity

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/ipcap/ipcap/internal/enum"
	"gonum.org/v1/gonum/stat/distuv"
)

// GrowthModel names the model Forecast fits to a pool's history. The zero
// GrowthModel is none: a history too short to fit.
type GrowthModel uint8

const (
	// GrowthTrend is a straight line in time plus independent Gaussian
	// noise: the count on day t is a + b·t + σ·ε_t. A day above the line
	// says nothing of the next.
	GrowthTrend GrowthModel = iota + 1
	// GrowthRandomWalk is a random walk with drift: each day the count moves
	// by μ + σ·ε_t, so a deviation persists.
	GrowthRandomWalk
)

var growthModelNames = enum.Table[GrowthModel]{Type: "capacity.GrowthModel", What: "growth model",
	Names: []string{GrowthTrend: "trend", GrowthRandomWalk: "random-walk"}}

// String returns the model's name, which MarshalText writes and
// ParseGrowthModel reads: "trend", "random-walk", "" for none.
func (g GrowthModel) String() string { return growthModelNames.String(g) }

// MarshalText writes String's form; an invalid GrowthModel is an error.
func (g GrowthModel) MarshalText() ([]byte, error) { return growthModelNames.Text(g) }

// UnmarshalText reads ParseGrowthModel's forms.
func (g *GrowthModel) UnmarshalText(b []byte) error {
	return enum.Unmarshal(b, g, ParseGrowthModel)
}

// ParseGrowthModel returns the model whose String is s, ignoring case; ""
// is none.
func ParseGrowthModel(s string) (GrowthModel, error) { return growthModelNames.Parse(s) }

// growth is a model fitted to a history. Time is in days relative to the
// last observation (x ≤ 0 in the history, day k > 0 ahead). A trial's day
// k is k days after its start, which the forecaster puts on the last
// observation's day or, when later, on Now's: the model moved in time, so
// that a trial grows from the pool's count where it is known.
type growth struct {
	model GrowthModel
	n     int     // observations
	slope float64 // fitted nodes a day: b̂ of the trend, μ̂ of the walk
	// sse is the residual sum of squares of the chosen model: of the
	// counts about the line, or of the increments about the drift scaled
	// to one day (Δy − μ̂Δt)²/Δt. sse/σ² is χ² with n−2 degrees of freedom
	// for both.
	sse float64
	// The trend's sufficient statistics: mean time and count, Σ(x−x̄)².
	xbar, ybar, sxx float64
	// The walk's: the last count and the days the history spans.
	last, span float64
	// shift moves every simulated count by the pool's count now less the
	// last observed, so that trials start from the cluster as it is and
	// grow as the history did: zero when the history ends at the count.
	// (Moving in time too, not along the line by slope·days, keeps the
	// start at the count: a trial's own slope, off the fit, would
	// otherwise move it by (b − b̂)·days.)
	shift float64
	// llTrend and llWalk are the two models' log-likelihoods of the
	// history's increments, maximised; the larger wins.
	llTrend, llWalk float64
}

// dayOffset returns t − ref in days, exactly for any two times Validate
// admits (time.Sub saturates beyond 292 years).
func dayOffset(t, ref time.Time) float64 {
	sec := float64(t.Unix()-ref.Unix()) + float64(t.Nanosecond()-ref.Nanosecond())/1e9
	return sec / 86400
}

// fitGrowth fits both models to h (at least 3 observations, times strictly
// increasing) and keeps the one under which the observed increments are
// more likely.
//
// The criterion compares like with like: both models are written for the
// n−1 increments Δy_i = y_i − y_{i−1}. Under the trend, Δy = b·Δt + ε_i −
// ε_{i−1}: correlated steps whose generalised least squares fit is the
// ordinary line through the counts (its residual sum of squares, SSE), with
// log-likelihood −m/2·(log(2π·SSE/m) + 1) − ½·log n, m = n−1 (n is the
// determinant of the differencing covariance). Under the walk, Δy =
// μ·Δt + σ·√Δt·ε_i: independent steps, μ̂ = (y_n − y_1)/span, log-likelihood
// −m/2·(log(2π·SSE_w/m) + 1) − ½·Σ log Δt_i. Both have two parameters
// (a slope and a noise level; the trend's intercept cancels in the
// increments), so comparing the likelihoods is comparing their AIC. Noise
// that persists from one observation to the next (residuals of the line
// autocorrelated) favours the walk; noise that reverts favours the trend.
// A history on an exact line (SSE = 0) is a trend.
func fitGrowth(h []Observation) *growth {
	n := len(h)
	tn := h[n-1].Time
	x := make([]float64, n)
	y := make([]float64, n)
	for i, o := range h {
		x[i] = dayOffset(o.Time, tn)
		y[i] = float64(o.Nodes)
	}
	g := &growth{n: n, last: y[n-1], span: -x[0]}
	for i := range x {
		g.xbar += x[i]
		g.ybar += y[i]
	}
	g.xbar /= float64(n)
	g.ybar /= float64(n)
	var sxy float64
	for i := range x {
		dx := x[i] - g.xbar
		g.sxx += dx * dx
		sxy += dx * (y[i] - g.ybar)
	}
	b := sxy / g.sxx
	var sseTrend float64
	for i := range x {
		r := y[i] - g.ybar - b*(x[i]-g.xbar)
		sseTrend += r * r
	}
	mu := (y[n-1] - y[0]) / g.span
	var sseWalk, logDt float64
	for i := 1; i < n; i++ {
		dt := x[i] - x[i-1]
		r := y[i] - y[i-1] - mu*dt
		sseWalk += r * r / dt
		logDt += math.Log(dt)
	}
	m := float64(n - 1)
	ll := func(sse float64) float64 { return -m / 2 * (math.Log(2*math.Pi*sse/m) + 1) }
	g.llTrend = ll(sseTrend) - math.Log(float64(n))/2
	g.llWalk = ll(sseWalk) - logDt/2
	g.model, g.slope, g.sse = GrowthTrend, b, sseTrend
	if sseTrend > 0 && g.llWalk > g.llTrend { // NaN compares false: the trend
		g.model, g.slope, g.sse = GrowthRandomWalk, mu, sseWalk
	}
	return g
}

// walker simulates one trial's daily node count.
type walker struct {
	g                   *growth
	r                   *rand.Rand
	level, slope, sigma float64
	y                   float64 // the walk's count yesterday
	k                   int     // days simulated
}

// start draws the trial's parameters from their posterior given the
// history (flat prior on the line or drift, 1/σ² on the noise): σ² =
// SSE/χ²(n−2), then the slope, and the trend's level at x̄, normal about
// their fits with variances σ²/Sxx and σ²/n (the walk's drift σ²/span).
// Marginally the slope is the fit plus a Student's t with n−2 degrees of
// freedom times its standard error, the sampling distribution of the
// fitted slope, so that each trial's trajectory carries the uncertainty
// of the parameters as well as the day-to-day noise.
func (w *walker) start(g *growth, r *rand.Rand) {
	*w = walker{g: g, r: r, y: g.last}
	var s2 float64
	if g.sse > 0 {
		c := distuv.ChiSquared{K: float64(g.n - 2), Src: r}.Rand()
		s2 = g.sse / math.Max(c, math.SmallestNonzeroFloat64)
	}
	w.sigma = math.Sqrt(s2)
	switch g.model {
	case GrowthRandomWalk:
		w.slope = g.slope + w.sigma/math.Sqrt(g.span)*r.NormFloat64()
	default:
		w.slope = g.slope + w.sigma/math.Sqrt(g.sxx)*r.NormFloat64()
		w.level = g.ybar + w.sigma/math.Sqrt(float64(g.n))*r.NormFloat64()
	}
}

// next returns the pool's node count on the next day, rounded and held to
// 0..most.
func (w *walker) next(most int) int {
	w.k++
	var y float64
	switch w.g.model {
	case GrowthRandomWalk:
		w.y += w.slope + w.sigma*w.r.NormFloat64()
		y = w.y
	default:
		y = w.level + w.slope*(float64(w.k)-w.g.xbar) + w.sigma*w.r.NormFloat64()
	}
	switch y = math.Round(y + w.g.shift); {
	case !(y > 0): // NaN too
		return 0
	case y > float64(most):
		return most
	}
	return int(y)
}
