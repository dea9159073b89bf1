package main

import (
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ipcap/ipcap/internal/count"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/modes"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Colours of the charts (the Tableau 10 palette, which prints and reads
// in grey).
var (
	blue   = color.RGBA{0x1f, 0x77, 0xb4, 0xff}
	orange = color.RGBA{0xff, 0x7f, 0x0e, 0xff}
	red    = color.RGBA{0xd6, 0x27, 0x28, 0xff}
	black  = color.RGBA{0x20, 0x20, 0x20, 0xff}
	band   = color.NRGBA{0x1f, 0x77, 0xb4, 0x50}
)

const day = 24 * time.Hour

// plotTimeline draws pool's node count over time for result r: the
// history, the fitted growth line from where the trials start, the
// forecast's median and P10–P90 band per day (ForecastResult.Path: the
// percentiles across trials of the pool's highest count so far, whose P50
// passes max nodes on When.P50), the pool's max nodes now with and without
// upgrade surge, and the dates at which it runs out (When P10, P50, P90)
// and after which an upgrade no longer fits (UpgradeBy P50).
func plotTimeline(r Result, history []capacity.Observation, path string) error {
	f := r.Forecast
	if len(history) == 0 {
		return input.Usagef("-plot %s: the timeline needs the pool's node-count history: give -history", path)
	}
	pr, _ := r.Now.Pool(f.Pool)
	limit, surge := float64(pr.MaxNodes), float64(pr.MaxNodesWithSurge)
	last := history[len(history)-1]
	x := func(t time.Time) float64 { return float64(t.Unix()) }
	start, end := history[0].Time, last.Time.Add(90*day)
	for _, t := range dates(f.When, f.UpgradeBy) {
		if t.After(end) {
			end = t
		}
	}
	end = end.Add(end.Sub(start) / 12) // room after the last date
	top := limit
	for _, o := range history {
		top = max(top, float64(o.Nodes))
	}
	top = niceCeil(1.45 * top)

	p := plot.New()
	p.Title.Text = fmt.Sprintf("Pool %s in %s (%s): nodes over time\n"+
		"band and median: the forecast's P10–P90 and P50 of the pool's node count each day; the other pools as they are now", f.Pool, r.Name, r.Mode)
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Title.Padding = vg.Points(8)
	trials := count.Thousands(f.Trials) + " trials"
	if f.Trials == 1 {
		trials = "1 trial"
	}
	p.X.Label.Text = "date (forecast dates: percentiles across " + trials + ")"
	p.Y.Label.Text = "nodes in pool " + f.Pool
	p.X.Tick.Marker = calendarTicks{}
	p.Y.Tick.Marker = thousandTicks{}
	p.Add(plotter.NewGrid())
	legend := plot.NewLegend()

	// The band first, beneath the lines: P90 forward, P10 back.
	origin := plotter.XY{X: x(last.Time), Y: float64(last.Nodes)}
	series := func(q func(capacity.PathPoint) int) plotter.XYs {
		xys := make(plotter.XYs, len(f.Path))
		for i, pt := range f.Path {
			xys[i] = plotter.XY{X: x(pt.Date), Y: float64(q(pt))}
		}
		return xys
	}
	if len(f.Path) > 1 {
		poly := series(func(pt capacity.PathPoint) int { return pt.P90 })
		low := series(func(pt capacity.PathPoint) int { return pt.P10 })
		for i := len(low) - 1; i >= 0; i-- {
			poly = append(poly, low[i])
		}
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return err
		}
		pg.Color, pg.LineStyle.Width = band, 0
		p.Add(pg)
		legend.Add("forecast P10–P90 band", pg)
	}

	hist := make(plotter.XYs, len(history))
	for i, o := range history {
		hist[i] = plotter.XY{X: x(o.Time), Y: float64(o.Nodes)}
	}
	hl, hp, err := plotter.NewLinePoints(hist)
	if err != nil {
		return err
	}
	hl.Color, hl.Width = black, vg.Points(2)
	hp.Color, hp.Shape, hp.Radius = black, draw.CircleGlyph{}, vg.Points(2.5)
	p.Add(hl, hp)
	legend.Add("history (observed nodes)", hl, hp)
	lastLabel, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{origin},
		Labels: []string{fmt.Sprintf("last observed: %s on %s", count.Of(last.Nodes, "node", "nodes"), last.Time.Format(time.DateOnly))}})
	if err != nil {
		return err
	}
	lastLabel.Offset = vg.Point{X: vg.Points(6), Y: vg.Points(4)}
	lastLabel.TextStyle[0].Font.Size = vg.Points(8)
	p.Add(lastLabel)

	if f.Growth > 0 {
		// The trials grow from the pool's count now, on the day they start
		// (the first of the path: the last observation's, or a later
		// -now), whatever the history's last count: so does the fitted
		// line.
		from, first := float64(pr.Count), last.Time
		moved := pr.Count != last.Nodes
		if len(f.Path) > 0 && !sameDay(f.Path[0].Date, last.Time) {
			first, moved = f.Path[0].Date, true
		}
		days := (limit - from) / f.Growth
		stop := end
		if reach := first.Add(time.Duration(days * float64(day))); reach.Before(stop) {
			stop = reach
		}
		trend := plotter.XYs{{X: x(first), Y: from}, {X: x(stop), Y: from + f.Growth*stop.Sub(first).Hours()/24}}
		if moved {
			now, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{trend[0]},
				Labels: []string{fmt.Sprintf("now: %s, where the trials start", count.Of(int(from), "node", "nodes"))}})
			if err != nil {
				return err
			}
			now.Offset = vg.Point{X: vg.Points(6), Y: vg.Points(-10)}
			now.TextStyle[0].Font.Size = vg.Points(8)
			p.Add(now)
		}
		if err := addLine(p, &legend, trend, black, []vg.Length{vg.Points(2), vg.Points(2)},
			fmt.Sprintf("fitted %s: %+.2f nodes/day", f.Model, f.Growth)); err != nil {
			return err
		}
	}
	if len(f.Path) > 1 {
		if err := addLine(p, &legend, series(func(pt capacity.PathPoint) int { return pt.P50 }), blue, nil, "forecast median (P50)"); err != nil {
			return err
		}
	}
	for _, l := range []struct {
		y     float64
		col   color.Color
		label string
	}{
		{limit, red, fmt.Sprintf("max nodes now: %s (%s)", count.Thousands(pr.MaxNodes), pr.Limit)},
		{surge, orange, fmt.Sprintf("max with upgrade surge: %s", count.Thousands(pr.MaxNodesWithSurge))},
	} {
		if err := addLine(p, &legend, plotter.XYs{{X: x(start), Y: l.y}, {X: x(end), Y: l.y}}, l.col,
			[]vg.Length{vg.Points(6), vg.Points(3)}, l.label); err != nil {
			return err
		}
	}

	// Vertical markers, labelled above the max-nodes line, staggered so
	// that close dates do not overwrite each other.
	type marker struct {
		t     time.Time
		col   color.Color
		label string
	}
	var marks []marker
	if f.UpgradeBy != nil && !f.UpgradeBy.P50.IsZero() {
		marks = append(marks, marker{f.UpgradeBy.P50, orange, "upgrade by (P50)"})
	}
	if w := f.When; w != nil {
		for _, m := range []struct {
			t time.Time
			q string
		}{{w.P10, "P10"}, {w.P50, "P50"}, {w.P90, "P90"}} {
			if !m.t.IsZero() {
				marks = append(marks, marker{m.t, red, "runs out (" + m.q + ")"})
			}
		}
	}
	// In date order; each line stops at its label, the earliest highest,
	// so that no line crosses an earlier marker's label.
	slices.SortStableFunc(marks, func(a, b marker) int { return a.t.Compare(b.t) })
	var labelXYs plotter.XYs
	var labels []string
	step := (top - limit) / 4.6
	for i, m := range marks {
		level := top - 0.08*(top-limit) - float64(i)*step
		if err := addLine(p, nil, plotter.XYs{{X: x(m.t), Y: 0}, {X: x(m.t), Y: level}}, m.col,
			[]vg.Length{vg.Points(1), vg.Points(2)}, ""); err != nil {
			return err
		}
		labelXYs = append(labelXYs, plotter.XY{X: x(m.t), Y: level})
		labels = append(labels, m.label+"\n"+m.t.Format(time.DateOnly))
	}
	if len(marks) > 0 {
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: labelXYs, Labels: labels})
		if err != nil {
			return err
		}
		lb.Offset = vg.Point{X: vg.Points(3)}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font.Size = vg.Points(8)
			lb.TextStyle[i].Color = marks[i].col
			lb.TextStyle[i].YAlign = draw.YTop
		}
		p.Add(lb)
		legend.Add("dates: upgrade by, runs out", &vertical{orange})
	}
	p.X.Min, p.X.Max = x(start.Add(-3*day)), x(end)
	p.Y.Min, p.Y.Max = 0, top
	return save(p, &legend, path)
}

// dates lists the known dates of the ranges.
func dates(rs ...*capacity.DateRange) []time.Time {
	var ts []time.Time
	for _, r := range rs {
		if r == nil {
			continue
		}
		for _, t := range []time.Time{r.P10, r.P50, r.P90} {
			if !t.IsZero() {
				ts = append(ts, t)
			}
		}
	}
	return ts
}

// addLine adds a line and, with a label, its legend entry.
func addLine(p *plot.Plot, l *plot.Legend, xys plotter.XYs, col color.Color, dashes []vg.Length, label string) error {
	line, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	line.Color, line.Dashes, line.Width = col, dashes, vg.Points(1.5)
	p.Add(line)
	if l != nil && label != "" {
		l.Add(label, line)
	}
	return nil
}

// vertical is a legend thumbnail: a dotted vertical line.
type vertical struct{ col color.Color }

func (v *vertical) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(draw.LineStyle{Color: v.col, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}, x, c.Min.Y, x, c.Max.Y)
}

// modeBar is one networking mode's answer for the forecast pool.
type modeBar struct {
	mode      modes.Mode
	maxNodes  int
	withSurge int
	limit     capacity.Limit
	why       string // why the mode cannot run the cluster, else ""
	current   bool   // the -cluster file's own mode
}

// modeBars analyses the same cluster in every networking mode, the other
// pools as they are now: the default cluster as input.Default builds it
// per mode, or the -cluster file with its mode replaced.
func modeBars(js []job, o options) ([]modeBar, string, error) {
	pool, err := forecastPool(js[0].cluster, o.pool, js[0].dropped)
	if err != nil {
		return nil, "", err
	}
	var bars []modeBar
	for _, m := range modes.All() {
		c := js[0].cluster
		var dropped []string
		if o.clusterPath == "" {
			c, dropped = input.Default(m)
		} else if m != c.Mode {
			c, dropped = c.InMode(m)
		}
		b := modeBar{mode: m, current: o.clusterPath != "" && m == js[0].cluster.Mode}
		rep, err := capacity.Analyze(c.AtCount())
		windows := slices.Contains(dropped, pool)
		switch pr, ok := poolOf(rep, pool); {
		case err != nil && windows:
			b.why = whyNot(c, err) + "; no Windows pools"
		case err != nil:
			b.why = whyNot(c, err)
		case windows:
			b.why = "no Windows pools"
		case !ok:
			b.why = "no pool " + pool
		default:
			b.maxNodes, b.withSurge, b.limit = pr.MaxNodes, pr.MaxNodesWithSurge, pr.Limit
		}
		bars = append(bars, b)
	}
	return bars, pool, nil
}

// whyNot says in a few words why a mode cannot run c: the distinct
// reasons of the validation's problems.
func whyNot(c capacity.Cluster, err error) string {
	var ve *capacity.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	var why []string
	for _, p := range ve.Problems {
		var r string
		switch {
		case p.Field == "Policy":
			r = fmt.Sprintf("no %v network policy", c.Policy)
		case strings.HasSuffix(p.Field, ".PodSubnet"):
			r = "needs a pod subnet"
		default: // the message alone: a bar's label has no room for the field
			r = p.Message
			if rs := []rune(r); len(rs) > 60 {
				r = string(rs[:57]) + "..."
			}
		}
		if !slices.Contains(why, r) {
			why = append(why, r)
		}
	}
	return strings.Join(why, "; ")
}

func poolOf(r *capacity.Report, name string) (capacity.PoolReport, bool) {
	if r == nil {
		return capacity.PoolReport{}, false
	}
	return r.Pool(name)
}

// plotModes draws one horizontal bar per mode: the pool's max nodes now,
// with the binding limit (and the max with upgrade surge) written on it.
func plotModes(bars []modeBar, pool, clusterPath, path string) error {
	p := plot.New()
	cluster := "the default cluster"
	if clusterPath != "" {
		cluster = filepath.Base(clusterPath)
	}
	p.Title.Text = fmt.Sprintf("Max nodes of pool %s per networking mode\n%s, the other pools as they are now", pool, cluster)
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = "max nodes of pool " + pool + " (bar), binding limit and max with upgrade surge (label)"
	p.X.Tick.Marker = thousandTicks{}
	p.Add(plotter.NewGrid())

	n := len(bars)
	values := make(plotter.Values, n)
	names := make([]string, n)
	var xys plotter.XYs
	var labels []string
	top := 0.0
	for i, b := range bars {
		// Bottom to top in modes.All's order, read from the top.
		j := n - 1 - i
		values[j] = float64(b.maxNodes)
		names[j] = b.mode.String()
		if b.current {
			names[j] += " (current)"
		}
		top = max(top, float64(b.maxNodes))
		label := fmt.Sprintf("%s · %s (%s with surge)", count.Thousands(b.maxNodes), b.limit, count.Thousands(b.withSurge))
		if b.why != "" {
			label = "cannot run: " + b.why
		}
		xys = append(xys, plotter.XY{X: float64(b.maxNodes), Y: float64(j)})
		labels = append(labels, label)
	}
	bc, err := plotter.NewBarChart(values, vg.Points(14))
	if err != nil {
		return err
	}
	bc.Horizontal, bc.Color, bc.LineStyle.Width = true, blue, 0
	p.Add(bc)
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return err
	}
	lb.Offset = vg.Point{X: vg.Points(4), Y: -vg.Points(4)}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font.Size = vg.Points(9)
	}
	p.Add(lb)
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, niceCeil(1.45*max(top, 1))
	p.Y.Min, p.Y.Max = -0.7, float64(n)-0.3
	return save(p, nil, path)
}

// save writes p, and the legend (if any) to the right of it, outside the
// data, to path as SVG or PNG (150 dpi).
func save(p *plot.Plot, legend *plot.Legend, path string) error {
	w, h := 11*vg.Inch, 5.5*vg.Inch
	var c vg.CanvasWriterTo
	if strings.HasSuffix(strings.ToLower(path), ".png") {
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))}
	} else {
		var err error
		if c, err = draw.NewFormattedCanvas(w, h, "svg"); err != nil {
			return err
		}
	}
	dc := draw.New(c)
	// White background for PNGs pasted on dark pages.
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	plotArea := draw.Crop(dc, vg.Points(6), -vg.Points(6), 0, 0)
	if legend != nil {
		legendWidth := 2.6 * vg.Inch
		plotArea = draw.Crop(dc, vg.Points(6), -legendWidth, 0, 0)
		legend.Top, legend.Left = true, true
		legend.TextStyle.Font.Size = vg.Points(9)
		legend.ThumbnailWidth = vg.Points(20)
		legend.YOffs = -vg.Points(40)
		legendArea := draw.Crop(dc, w-legendWidth+vg.Points(8), 0, 0, 0)
		legend.Draw(legendArea)
	}
	p.Draw(plotArea)
	f, err := os.Create(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said once
		}
		return input.Usagef("%s: cannot write: %w", path, err) // a file the flag names
	}
	_, err = c.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // no half a chart
		return fmt.Errorf("%s: cannot write: %w", path, err)
	}
	return nil
}

// sameDay reports whether a path date (midnight UTC of a calendar day)
// is the calendar day of t, an observation's time in its own zone.
func sameDay(date, t time.Time) bool {
	y, m, d := t.Date()
	dy, dm, dd := date.Date()
	return y == dy && m == dm && d == dd
}

// niceCeil rounds x up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(x float64) float64 {
	if x <= 0 {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*pow >= x {
			return m * pow
		}
	}
	return 10 * pow
}

// thousandTicks labels ticks as whole numbers with thousands separators.
type thousandTicks struct{}

func (thousandTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	// The smallest step of 1, 2, 2.5 or 5 times a power of ten (at least
	// 1: nodes are whole) that gives at most 9 labelled ticks.
	pow := math.Pow(10, math.Floor(math.Log10(hi-lo)))
	step := 0.0
	for _, p := range []float64{pow / 10, pow, pow * 10} {
		for _, m := range []float64{1, 2, 2.5, 5} {
			if s := max(m*p, 1); step == 0 && (hi-lo)/s <= 8 {
				step = s
			}
		}
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+step/1e6; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: count.Thousands(int(math.Round(v)))})
	}
	return ts
}

// calendarTicks puts ticks on the first of a month, every 1, 2, 3, 6 or
// 12 months (or years) as the span needs, labelled "Jan 2027" or "2027".
type calendarTicks struct{}

func (calendarTicks) Ticks(lo, hi float64) []plot.Tick {
	from, to := time.Unix(int64(lo), 0).UTC(), time.Unix(int64(hi), 0).UTC()
	months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12, 24, 60, 120} {
		step = s
		if months/s <= 8 {
			break
		}
	}
	format := "Jan 2006"
	if step >= 12 {
		format = "2006"
	}
	t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	if step >= 12 {
		t = time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	} else if m := (int(t.Month()) - 1) % step; m != 0 {
		t = t.AddDate(0, step-m, 0)
	}
	var ts []plot.Tick
	for ; !t.After(to); t = t.AddDate(0, step, 0) {
		if t.Before(from) {
			continue
		}
		ts = append(ts, plot.Tick{Value: float64(t.Unix()), Label: t.Format(format)})
	}
	return ts
}
