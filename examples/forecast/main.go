// Command forecast is ipcap's main job: for a cluster (the embedded default,
// or yours from `az aks show`), it prints per networking mode how far each
// pool can grow and what stops it, what the cluster takes from the VNet,
// the room left for an upgrade, and a Monte Carlo forecast of where (and,
// with history, when) the growing pool runs out of addresses.
//
//	go run ./examples/forecast
//	go run ./examples/forecast -cluster aks.json -network vnet.json -history nodes.csv -plot timeline.png -fail-below 20%
//	go run ./examples/forecast -o markdown -plot-modes modes.svg
//
// With -clusters it reads an estate instead: several clusters in one VNet
// (`az aks list`, Resource Graph or REST output) and the VNet's network
// documents, and prints per cluster how far each pool can grow with the
// others' use of shared subnets counted, every subnet with all clusters'
// use, the VNet's addresses against its limit, and its free prefixes.
//
//	go run ./examples/forecast -clusters aks-list.json -network vnet.json -network subnets.json
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ipcap/ipcap/internal/count"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/examples/internal/output"
	"github.com/ipcap/ipcap/modes"
	"gonum.org/v1/gonum/stat/distuv"
)

func main() {
	input.Main("forecast", func(args []string, stdout, stderr io.Writer) error {
		return runAt(context.Background(), time.Now(), args, stdout, stderr)
	})
}

// Bounds of -trials and -workers: what capacity.Forecast documents.
const (
	maxTrials  = 1_000_000
	maxWorkers = 1024
)

type options struct {
	clusterPath, historyPath, modeName, pool, pods, plotPath string
	clustersPath, plotModesPath, nowDate                     string
	networks                                                 input.Files
	trials, workers                                          int
	seed                                                     uint64
	format                                                   *output.Format
	failBelow                                                output.Share
	now                                                      time.Time // -now, else today
}

// description is -h's first line.
const description = "how far each pool of an AKS cluster can grow in each networking mode, what stops it, and when (from node-count history) it runs out. " +
	"Exit 1 when the cluster does not fit now (AKS refuses it as configured, every pool at its autoscaler max, or its nodes find no addresses) in its mode, or in none of the modes analysed; with -clusters, when a cluster of the estate does not fit now"

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs, format := output.FlagSet("forecast", stderr, description,
		"forecast -mode azure-cni-overlay -o markdown -plot timeline.png -plot-modes modes.png",
		"forecast -cluster aks.json -network vnet.json -history nodes.csv -fail-below 20%")
	o.format = format
	fs.StringVar(&o.clusterPath, "cluster", "", "`az aks show -o json` output (default: the embedded production cluster)")
	fs.StringVar(&o.clustersPath, "clusters", "", "an estate: `az aks list -o json`, Resource Graph or REST output of clusters in one VNet (not with -cluster)")
	fs.Var(&o.networks, "network", "VNet, subnet, subnet list or list-usage JSON for the clusters' subnets (repeatable)")
	fs.StringVar(&o.historyPath, "history", "", "CSV of time,nodes for the forecast pool, to date the exhaustion (default: for the default cluster, pool user's six weeks, applied to pool user only)")
	fs.StringVar(&o.modeName, "mode", "", "analyse this networking mode only (default: every mode for the default cluster, the cluster's own for -cluster)")
	fs.StringVar(&o.pool, "pool", "", "pool to forecast (default: the autoscaling pool with the largest max count)")
	fs.StringVar(&o.pods, "pods", "", "pods per new node as `mean,sd` of a normal distribution (default: 30,10 for the default cluster, maxPods for -cluster)")
	input.IntVar(fs, &o.trials, "trials", 1000, 1, maxTrials, "the `number` of Monte Carlo trials, 1 to 1,000,000")
	input.IntVar(fs, &o.workers, "workers", 0, 0, maxWorkers, "the `number` of trials run in parallel, at most 1,024 (default: one per CPU)")
	input.Uint64Var(fs, &o.seed, "seed", 1, "the random `seed`, a whole number: the same seed gives the same forecast")
	fs.StringVar(&o.plotPath, "plot", "", "draw the forecast pool's timeline to this .svg or .png `file`: node-count history, the P10–P90 band and median to exhaustion, max nodes with and without surge, the dates (needs history: the default's, or -history)")
	fs.StringVar(&o.plotModesPath, "plot-modes", "", "draw the forecast pool's max nodes now in every networking mode, the binding limit on each bar, to this .svg or .png `file`")
	fs.StringVar(&o.nowDate, "now", "", "the `date` (YYYY-MM-DD, a date in the history's time zone) the forecast is read on: the trials start on that day from the pool's count (on the history's last day when that is later), and a date before it is flagged as past (default: today)")
	fs.Var(&o.failBelow, "fail-below", "exit 1 when a pool's free share is below this (`10%` or 0.1): (max nodes − nodes now) / max nodes, on the \"now\" basis (the other pools as they are), for every mode analysed; a mode that cannot run the cluster, in which it does not fit now, or in which a pool's autoscaler max is out of reach, fails too. With -clusters: on the estate's basis, every other pool at its autoscaler max")
	if err := output.Parse(fs, args); err != nil {
		return o, err
	}
	var set []string
	fs.Visit(func(f *flag.Flag) { set = append(set, f.Name) })
	if o.nowDate != "" {
		t, err := time.Parse(time.DateOnly, o.nowDate)
		if err != nil {
			return o, input.Usagef("-now %q: want a date such as 2026-11-30", o.nowDate)
		}
		if t.Year() < 1 { // year 0 parses; 10000 does not
			return o, input.Usagef("-now %q: want a date in the years 1–9999", o.nowDate)
		}
		o.now = t
	}
	switch {
	case o.clustersPath != "":
		return o, checkEstateFlags(set)
	case len(o.networks) > 0 && o.clusterPath == "":
		return o, input.Usagef("-network %s: network documents describe a -cluster file's subnets; give -cluster too (or -clusters for an estate)", o.networks[0])
	case o.plotPath != "" && filepath.Clean(o.plotPath) == filepath.Clean(o.plotModesPath):
		return o, input.Usagef("-plot and -plot-modes %s: one file holds one chart; name two", o.plotPath)
	case o.plotPath != "" && o.clusterPath != "" && o.historyPath == "":
		return o, input.Usagef("-plot %s: the timeline needs the pool's node-count history: give -history", o.plotPath)
	case o.plotPath != "" && o.historyPath == "" && o.pool != "" && o.pool != input.DefaultHistoryPool:
		return o, input.Usagef("-plot %s: the timeline needs pool %s's node-count history (the embedded one is pool %s's): give -history", o.plotPath, o.pool, input.DefaultHistoryPool)
	}
	for _, f := range []struct{ flag, path string }{{"plot", o.plotPath}, {"plot-modes", o.plotModesPath}} {
		if err := checkImagePath(f.flag, f.path); err != nil {
			return o, err
		}
	}
	return o, nil
}

// job is one cluster to analyse in one mode.
type job struct {
	cluster capacity.Cluster
	dropped []string         // pools the mode cannot run
	src     capacity.Sources // where an input file's cluster has its fields
	own     bool             // an input file's cluster in its own mode
}

func jobs(o options) ([]job, string, error) {
	var only modes.Mode
	if o.modeName != "" {
		m, err := input.Mode("mode", o.modeName)
		if err != nil {
			return nil, "", err
		}
		only = m
	}
	if o.clusterPath != "" {
		c, src, err := input.Load(o.clusterPath, o.networks)
		if err != nil {
			return nil, "", input.BadUsage(err)
		}
		own := only == 0 || only == c.Mode
		if !own {
			// A file invalid in its own mode is bad input whatever -mode
			// asks: only a valid cluster can be asked about another mode.
			if err := c.Validate(); err != nil {
				return nil, "", input.Usagef("%s: %w", o.clusterPath, src.Explain(err))
			}
		}
		var dropped []string
		if !own {
			c, dropped = c.InMode(only) // the fields only takes keep their sources
		}
		return []job{{cluster: c, src: src, own: own, dropped: dropped}}, o.clusterPath, nil
	}
	var js []job
	for _, m := range modes.All() {
		if only != 0 && m != only {
			continue
		}
		c, dropped := input.Default(m)
		js = append(js, job{cluster: c, dropped: dropped})
	}
	return js, "default: " + input.DefaultDescription, nil
}

// runAt runs forecast with args on the day today, unless -now says
// another.
func runAt(ctx context.Context, today time.Time, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if o.now.IsZero() {
		o.now = today
	}
	if o.clustersPath != "" {
		return runEstate(o, stdout)
	}
	js, desc, err := jobs(o)
	if err != nil {
		return err
	}
	history := input.DefaultHistory()
	var notes []string
	switch {
	case o.clusterPath != "":
		history = nil
	case o.historyPath == "" && o.pool != "" && o.pool != input.DefaultHistoryPool:
		// The embedded history is the user pool's: another pool's
		// forecast has none.
		history = nil
		notes = append(notes, fmt.Sprintf("the embedded history is pool %s's node counts, not pool %s's: no dates (give -history for pool %s)",
			input.DefaultHistoryPool, o.pool, o.pool))
	}
	if o.historyPath != "" {
		if history, err = input.History(o.historyPath); err != nil {
			return input.BadUsage(err)
		}
		// What capacity.Forecast needs to fit a trend, said of the file
		// (ReadHistory rejects a time given twice).
		if n := len(history); n < 3 {
			return input.Usagef("-history %s: %s: a trend needs at least 3", o.historyPath, count.Of(n, "observation", "observations"))
		}
	}
	pods, err := podDensity(o)
	if err != nil {
		return err
	}
	out := Output{Cluster: desc, Notes: notes}
	for _, j := range js {
		r, err := analyse(ctx, j, o, pods, history, stderr)
		if err != nil {
			return err
		}
		out.Results = append(out.Results, r)
	}
	var gateErr error
	if o.failBelow.On {
		gateErr = failBelow(out, o.failBelow)
		out.Gate = output.GateOf(o.failBelow, gateErr)
	}
	if err := output.Write(stdout, *o.format, out, writeText, writeMarkdown); err != nil {
		return err
	}
	if r := out.Results[0]; js[0].own && r.Error != "" {
		// The file describes no cluster its own mode can run: bad input.
		// (With another -mode, a mode that cannot run it is an answer.)
		return input.Usagef("%s: %w", o.clusterPath, r.invalid)
	}
	if o.plotPath != "" {
		i := plotted(out)
		if i < 0 {
			return fmt.Errorf("-plot %s: nothing to draw: the cluster cannot run in %s", o.plotPath, modesTried(out))
		}
		r := out.Results[i]
		if err := plotTimeline(r, history, o.plotPath); err != nil {
			return err
		}
		output.Wrote(stderr, o.plotPath, "timeline of pool "+r.Forecast.Pool+" in "+r.Mode.String())
	}
	if o.plotModesPath != "" {
		bars, pool, err := modeBars(js, o)
		if err != nil {
			return err
		}
		if err := plotModes(bars, pool, o.clusterPath, o.plotModesPath); err != nil {
			return err
		}
		output.Wrote(stderr, o.plotModesPath, "max nodes of pool "+pool+" per networking mode")
	}
	if o.failBelow.On {
		return gateErr
	}
	return fitsNow(out)
}

// fitsNow returns an error when the cluster does not fit now in any mode
// analysed: AKS refuses it as configured (every pool at its autoscaler
// max) or its nodes find no addresses, or the mode cannot run it.
func fitsNow(out Output) error {
	var why []string
	for _, r := range out.Results {
		switch {
		case r.Error != "":
			why = append(why, fmt.Sprintf("%s cannot run the cluster", r.Mode))
		case !r.FitsNow:
			why = append(why, fmt.Sprintf("%s: %v", r.Mode, r.Verdict))
		default:
			return nil
		}
	}
	if len(why) == 1 {
		return fmt.Errorf("the cluster does not fit now: %s", why[0])
	}
	return fmt.Errorf("the cluster fits now in none of the %d modes analysed: %s", len(why), strings.Join(why, "; "))
}

// plotted picks the result -plot draws: Azure CNI Overlay, AKS's default
// mode, when it was analysed and runs the cluster, else the first mode
// that runs it; -1 when none does.
func plotted(out Output) int {
	first := -1
	for i, r := range out.Results {
		if r.Forecast == nil {
			continue
		}
		if r.Mode == modes.AzureCNIOverlay {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

// failBelow returns a *output.BelowError naming every pool whose free
// share on the "now" basis is below the threshold, and every mode that
// cannot run the cluster; nil without a threshold.
func failBelow(out Output, t output.Share) error {
	if !t.On {
		return nil
	}
	var below []string
	for _, r := range out.Results {
		if r.Now == nil {
			below = append(below, fmt.Sprintf("%s cannot run the cluster", r.Mode))
			continue
		}
		if !r.FitsNow {
			below = append(below, fmt.Sprintf("%s: the cluster does not fit now: %v", r.Mode, r.Verdict))
		} else {
			for _, p := range r.Warnings {
				below = append(below, fmt.Sprintf("%s: %s", r.Mode, p))
			}
		}
		for _, p := range r.Now.Pools {
			if b, ok := poolBelow(t, fmt.Sprintf("%s pool %s", r.Mode, p.Name), p.MaxNodes, p.Count, " now"); ok {
				below = append(below, b)
			}
		}
	}
	if len(below) > 0 {
		return &output.BelowError{What: below}
	}
	return nil
}

// freeShare is (maxNodes − used) / maxNodes: 0 when nothing fits, negative
// when over-committed.
func freeShare(maxNodes, used int) float64 {
	if maxNodes <= 0 {
		return 0
	}
	return float64(maxNodes-used) / float64(maxNodes)
}

// poolBelow says how few of pool's maxNodes are free, when their share is
// below t: "pool: 2 of 1,000 nodes free{when} (0.2% < 25%)".
func poolBelow(t output.Share, pool string, maxNodes, used int, when string) (string, bool) {
	s := freeShare(maxNodes, used)
	if s >= t.Value {
		return "", false
	}
	return fmt.Sprintf("%s: %s of %s nodes free%s (%s < %s)", pool, thousands(max(maxNodes-used, 0)), thousands(maxNodes), when, output.Percent(s), output.Percent(t.Value)), true
}

// checkImagePath refuses a plot file that is neither .svg nor .png.
func checkImagePath(flag, path string) error {
	if path == "" {
		return nil
	}
	lower := strings.ToLower(path)
	if !strings.HasSuffix(lower, ".svg") && !strings.HasSuffix(lower, ".png") {
		return input.Usagef("-%s %s: want a .svg or .png file", flag, path)
	}
	return nil
}

// modesTried names the modes of out's results.
func modesTried(out Output) string {
	var names []string
	for _, r := range out.Results {
		names = append(names, r.Mode.String())
	}
	if len(names) == 1 {
		return "mode " + names[0]
	}
	return "any of modes " + strings.Join(names, ", ")
}

// podDensity returns the per-trial pod distribution the flags ask for.
func podDensity(o options) (func(rand.Source) distuv.Rander, error) {
	spec := o.pods
	if spec == "" && o.clusterPath == "" {
		spec = "30,10"
	}
	if spec == "" {
		return nil, nil
	}
	mean, sd, ok := strings.Cut(spec, ",")
	mu, err1 := strconv.ParseFloat(strings.TrimSpace(mean), 64)
	sigma, err2 := strconv.ParseFloat(strings.TrimSpace(sd), 64)
	// Not NaN or infinite: ParseFloat accepts both, and a NaN mean would
	// give every trial the same default pods without a word.
	if !ok || err1 != nil || err2 != nil || !(mu >= 0 && mu <= 250) || !(sigma >= 0 && sigma <= 250) {
		return nil, input.Usagef("-pods %q: want mean,sd such as 30,10: a mean of 0 to 250 pods per node and a standard deviation of 0 to 250", spec)
	}
	return func(src rand.Source) distuv.Rander { return distuv.Normal{Mu: mu, Sigma: sigma, Src: src} }, nil
}

// forecastPool picks the autoscaling pool with the largest max count, else
// the largest pool.
func forecastPool(c capacity.Cluster, name string, dropped []string) (string, error) {
	if name != "" {
		for _, p := range c.Pools {
			if p.Name == name {
				return name, nil
			}
		}
		if slices.Contains(dropped, name) {
			return "", input.PoolLeftOut(name, c.Mode)
		}
		return "", input.Usagef("-pool %q: the cluster has no such pool", name)
	}
	best, score := "", -1
	for _, p := range c.Pools {
		s := p.AtMax()
		if p.Autoscaling() {
			s += 1 << 20
		}
		if s > score {
			best, score = p.Name, s
		}
	}
	return best, nil
}

func analyse(ctx context.Context, j job, o options, pods func(rand.Source) distuv.Rander, history []capacity.Observation, stderr io.Writer) (Result, error) {
	c := j.cluster
	spec := c.Mode.Spec()
	res := Result{Mode: c.Mode, Name: spec.Name, SkippedPools: j.dropped}
	var err error
	res.AtMax, err = capacity.Analyze(c)
	var ve *capacity.ValidationError
	if errors.As(err, &ve) {
		res.invalid = j.src.Explain(err) // in the input's words
		res.Error = res.invalid.Error()
		return res, nil
	}
	if err != nil {
		return res, err
	}
	if res.Now, err = capacity.Analyze(c.AtCount()); err != nil {
		return res, err
	}
	if res.Verdict, err = capacity.Check(c, capacity.Step{Op: capacity.OpCreate}); err != nil {
		return res, err
	}
	res.FitsNow = res.Verdict.Refusal == nil && res.Verdict.Failure == nil
	res.Warnings = overMax(res)
	pool, err := forecastPool(c, o.pool, j.dropped)
	if err != nil {
		return res, err
	}
	opt := capacity.ForecastOptions{Trials: o.trials, Workers: o.workers, Seed: o.seed, Pods: pods, History: history, Now: forecastNow(o, history),
		Path: o.plotPath != "", Progress: progress(stderr, res.Mode.String())}
	res.Forecast, err = capacity.Forecast(ctx, c, pool, opt)
	return res, err
}

// forecastNow is when the forecast is read: -now's date at midnight in the
// history's time zone (its last observation's, in which capacity counts
// dates), so that -now 2031-01-01 is that day whatever the zone; else
// today's instant.
func forecastNow(o options, history []capacity.Observation) time.Time {
	if o.nowDate == "" || len(history) == 0 {
		return o.now
	}
	y, m, d := o.now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, history[len(history)-1].Time.Location())
}

// progress returns a Progress callback that reports on stderr, when stderr
// is a terminal and the forecast has run for over a second.
func progress(stderr io.Writer, mode string) func(done, total int) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	start := time.Now()
	return func(done, total int) {
		if time.Since(start) < time.Second {
			return
		}
		fmt.Fprintf(f, "\r%s: %s/%s trials", mode, thousands(done), thousands(total))
		if done == total {
			fmt.Fprint(f, "\r\033[K")
		}
	}
}
