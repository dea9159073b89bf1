package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ipcap/ipcap/internal/count"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/examples/internal/output"
	"github.com/ipcap/ipcap/modes"
)

// Output is the -json document: the library's own types, so that a service
// reading it needs nothing from this program.
type Output struct {
	Cluster string   `json:"cluster"`         // the input: a file name, or the default's description
	Notes   []string `json:"notes,omitempty"` // what the reader must know of the input: a history not applied
	Results []Result `json:"results"`         // one per networking mode analysed
	// Gate is -fail-below's threshold and what fell below it; absent
	// without the flag.
	Gate *output.Gate `json:"gate,omitempty"`
}

// Result is one mode's answer.
type Result struct {
	Mode         modes.Mode `json:"mode"`
	Name         string     `json:"name"`
	Error        string     `json:"error,omitempty"` // why the mode cannot run the cluster
	invalid      error      // Error's error: the *capacity.ValidationError, told in the input's words
	SkippedPools []string   `json:"skippedPools,omitempty"` // pools the mode cannot run (Windows)
	// AtMax is capacity.Analyze of the cluster: every other pool at its
	// autoscaler max, the basis AKS plans on. Now is Analyze of
	// Cluster.AtCount: the other pools as they are now.
	AtMax *capacity.Report `json:"atMax,omitempty"`
	Now   *capacity.Report `json:"now,omitempty"`
	// FitsNow is whether the cluster fits as it is: AKS accepts it as
	// configured, every pool at its autoscaler max, and its nodes at their
	// count get their addresses. Verdict is capacity.Check of a create,
	// which says why not.
	FitsNow bool `json:"fitsNow"`
	// Warnings are the spaces the pools at their autoscaler max
	// over-commit: AKS may accept the cluster, but the autoscalers fail
	// before they reach their max.
	Warnings []string                 `json:"warnings,omitempty"`
	Verdict  *capacity.Verdict        `json:"verdict,omitempty"`
	Forecast *capacity.ForecastResult `json:"forecast,omitempty"` // the other pools as they are now
}

// format is a human-readable format, text or Markdown. Its strings are
// the Printf formats of the lines both write, line ends included; its
// funcs write what each lays out its own way. Its methods writeReport and
// writeEstate put the parts in the same order for both.
type format struct {
	cell  func(string) string // a name taken from the input
	num   func(int) string    // a number in the spaces' table
	table func(*output.Table, io.Writer)

	cluster   string // the input
	note      string // what the reader must know of the input
	notFit    string // why the cluster does not fit now
	heading   string // a mode or a cluster: its name and what it is
	cannotRun string // why the mode cannot run the cluster
	leftOut   string // the pools the mode cannot run
	overMax   string // a space the pools at their autoscaler max over-commit
	vnetUse   string // the VNet addresses the autoscalers' max takes, of the limit
	ipv6      string // a dual-stack cluster's IPv6 pod CIDR: its per-node blocks

	pools    func(w io.Writer, r Result) // how far each pool can grow
	forecast func(w io.Writer, f *capacity.ForecastResult)

	estate  string // the estate's input, clusters and VNet
	subnets string // the heading of the estate's subnets
	free    string // what is free in the estate's VNet
}

var (
	text = format{
		cell: func(s string) string { return s }, num: thousands, table: (*output.Table).WriteText,
		cluster:   "cluster: %s\n",
		note:      "note: %s\n",
		notFit:    "does not fit now: %s\n",
		heading:   "\n== %s (%s) ==\n",
		cannotRun: "cannot run this cluster: %s\n",
		leftOut:   "%s\n",
		overMax:   "warning: %s\n",
		vnetUse:   "VNet addresses at the autoscalers' max, others' included: %s of %s%s\n",
		ipv6:      "IPv6 pod CIDR %v: %s per-node /%d blocks, %s at the autoscalers' max, %s free\n",
		pools:     writePools,
		forecast:  writeForecast,
		estate:    "estate: %s: %s in VNet %s\n",
		subnets:   "\n== subnets, all clusters' use ==\n",
		free:      "free in the VNet: %s\n",
	}
	markdown = format{
		cell: output.Cell, num: thousands, table: (*output.Table).Write,
		cluster:   "# ipcap forecast\n\ncluster: %s\n\n",
		note:      "> **Note:** %s\n\n",
		notFit:    "❌ **Does not fit now:** %s\n\n",
		heading:   "## %s (%s)\n\n",
		cannotRun: "Cannot run this cluster: %s\n\n",
		leftOut:   "⚠️ %s.\n\n",
		overMax:   "⚠️ **Warning:** %s\n\n",
		vnetUse:   "VNet addresses at the autoscalers' max, others' included: %s of %s%s\n\n",
		ipv6:      "IPv6 pod CIDR %v: %s per-node /%d blocks, %s at the autoscalers' max, %s free\n\n",
		pools:     poolsMarkdown,
		forecast:  forecastMarkdown,
		estate:    "# ipcap estate\n\n%s: %s in VNet %s\n\n",
		subnets:   "## Subnets, all clusters' use\n\n",
		free:      "Free in the VNet: %s.\n",
	}
)

// writeText writes out for a terminal: a line per pool, a table of address
// spaces, the forecast's lines.
func writeText(w io.Writer, out Output) error { return text.writeReport(w, out) }

// writeMarkdown writes out as GitHub-flavoured Markdown: a heading per
// mode, tables of pools and address spaces, the forecast as a table of
// percentiles.
func writeMarkdown(w io.Writer, out Output) error { return markdown.writeReport(w, out) }

// writeReport writes out in format f.
func (f format) writeReport(w io.Writer, out Output) error {
	fmt.Fprintf(w, f.cluster, f.cell(out.Cluster))
	for _, n := range out.Notes {
		fmt.Fprintf(w, f.note, n)
	}
	for _, r := range out.Results {
		fmt.Fprintf(w, f.heading, r.Mode, r.Name)
		if r.Error != "" {
			fmt.Fprintf(w, f.cannotRun, r.Error)
			continue
		}
		if len(r.SkippedPools) > 0 {
			fmt.Fprintf(w, f.leftOut, input.LeftOut(r.SkippedPools, r.Mode))
		}
		if !r.FitsNow {
			fmt.Fprintf(w, f.notFit, f.cell(r.Verdict.String()))
		}
		for _, p := range r.Warnings {
			fmt.Fprintf(w, f.overMax, f.cell(p))
		}
		f.pools(w, r)
		f.table(spaces(r.AtMax.Spaces, f.num), w)
		fmt.Fprintf(w, f.vnetUse, thousands(r.AtMax.VNetAddresses), thousands(modes.MaxVNetAddresses), blockNote(r.Mode))
		if b := r.AtMax.PodCIDRIPv6; b != nil {
			fmt.Fprintf(w, f.ipv6, b.Prefix, thousands(b.Blocks), b.BlockBits, thousands(b.AtMax), thousands(b.Free))
		}
		if r.Forecast != nil {
			f.forecast(w, r.Forecast)
		}
	}
	return nil
}

// blockNote says how mode m's VNet addresses count a static /28 block,
// when it counts one for the 16 it holds.
func blockNote(m modes.Mode) string {
	if m.Spec().Pods.BlockCountsOnce {
		return " (a static /28 block counts as one)"
	}
	return ""
}

// overMax says of each space the pools at their autoscaler max
// over-commit what they need and what it has: the autoscalers fail before
// they get there, whether or not AKS accepts the cluster.
func overMax(r Result) []string {
	var out []string
	for _, sp := range r.AtMax.Spaces {
		if sp.Free < 0 {
			out = append(out, fmt.Sprintf("%s %s is over-committed: the pools at their autoscaler max need %s addresses of it, it has %s for them; the autoscalers fail before they get there",
				sp.Source.Describe(), sp.Name, thousands(sp.AtMax), thousands(sp.AtMax+sp.Free)))
		}
	}
	return out
}

// writePools writes a line per pool and a blank line.
func writePools(w io.Writer, r Result) {
	for i, p := range r.AtMax.Pools {
		writePool(w, p, r.Now.Pools[i])
	}
	fmt.Fprintln(w)
}

// writePool says in one line how far a pool can grow on both bases.
func writePool(w io.Writer, atMax, now capacity.PoolReport) {
	size := "now " + count.Of(now.Count, "node", "nodes")
	if atMax.AtMax != now.Count {
		size += ", autoscaler max " + thousands(atMax.AtMax)
	}
	fmt.Fprintf(w, "%s: %s; fits up to %s now (%s with upgrade surge, %s), %s with the other pools at their max (%s)\n",
		now.Name, size, count.Of(now.MaxNodes, "node", "nodes"), thousands(now.MaxNodesWithSurge), now.Limit, thousands(atMax.MaxNodes), atMax.Limit)
}

// spaces tabulates the spaces' use on both bases, numbers written by num.
func spaces(spaces []capacity.Space, num func(int) string) *output.Table {
	t := &output.Table{
		Header:  []string{"space", "role", "usable", "reserved", "now", "at max", "free at max"},
		Numeric: []bool{false, false, true, true, true, true, true},
	}
	for _, s := range spaces {
		role := s.Source.String()
		if s.Source == modes.NoSource {
			role = "unused"
		}
		t.Add(s.Name, role, num(s.Usable), num(s.Reserved), num(s.Now), num(s.AtMax), num(s.Free))
	}
	return t
}

// writeForecast prints where the pool runs out, when, the date to upgrade
// by, and the warnings that qualify them.
func writeForecast(w io.Writer, f *capacity.ForecastResult) {
	fmt.Fprintf(w, "forecast for pool %s (%s, the other pools as they are now): runs out at %s (P10–P90: %s–%s); limits: %s\n",
		f.Pool, trials(f), count.Of(f.Nodes.P50, "node", "nodes"), count.Thousands(f.Nodes.P10), count.Thousands(f.Nodes.P90), limits(f.Limits))
	if f.Model != 0 {
		fmt.Fprintf(w, "  history: %s, %+.2f nodes a day\n", f.Model, f.Growth)
	}
	if f.When != nil {
		fmt.Fprintf(w, "  runs out on %s (P10–P90: %s to %s)\n", date(f.When.P50), date(f.When.P10), date(f.When.P90))
	}
	if f.UpgradeBy != nil {
		fmt.Fprintf(w, "  upgrade before %s: after it an upgrade's surge no longer fits (P10–P90: %s to %s)\n",
			date(f.UpgradeBy.P50), date(f.UpgradeBy.P10), date(f.UpgradeBy.P90))
	}
	for _, warn := range f.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
}

func date(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format(time.DateOnly)
}

func limits(m map[capacity.Limit]int) string {
	var parts []string
	for l := capacity.LimitNodeSubnet; l <= capacity.LimitVNet; l++ {
		if n := m[l]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", l, thousands(n)))
		}
	}
	return strings.Join(parts, ", ")
}

// thousands writes n with commas: 65,536.
func thousands(n int) string { return count.Thousands(n) }

// poolsMarkdown tabulates how far each pool can grow on both bases.
func poolsMarkdown(w io.Writer, r Result) {
	pools := output.Table{
		Header:  []string{"pool", "nodes now", "autoscaler max", "max nodes now", "with surge", "limit", "max nodes, all pools at max", "limit at max"},
		Numeric: []bool{false, true, true, true, true, false, true, false},
	}
	for i, atMax := range r.AtMax.Pools {
		now := r.Now.Pools[i]
		pools.Add(now.Name, thousands(now.Count), thousands(atMax.AtMax), thousands(now.MaxNodes), thousands(now.MaxNodesWithSurge), now.Limit, thousands(atMax.MaxNodes), atMax.Limit)
	}
	pools.Write(w)
}

// forecastMarkdown writes the forecast as a paragraph and a table of
// percentiles, then its warnings.
func forecastMarkdown(w io.Writer, f *capacity.ForecastResult) {
	fmt.Fprintf(w, "### Forecast for pool %s\n\n%s, the other pools as they are now; limits: %s.", f.Pool, trials(f), limits(f.Limits))
	if f.Model != 0 {
		fmt.Fprintf(w, " History: %s, %+.2f nodes a day.", f.Model, f.Growth)
	}
	fmt.Fprint(w, "\n\n")
	t := output.Table{Header: []string{"", "P10", "P50", "P90"}, Numeric: []bool{false, true, true, true}}
	t.Add("nodes that fit", count.Thousands(f.Nodes.P10), count.Thousands(f.Nodes.P50), count.Thousands(f.Nodes.P90))
	if f.When != nil {
		t.Add("runs out on", date(f.When.P10), date(f.When.P50), date(f.When.P90))
	}
	if f.UpgradeBy != nil {
		t.Add("upgrade before", date(f.UpgradeBy.P10), date(f.UpgradeBy.P50), date(f.UpgradeBy.P90))
	}
	t.Write(w)
	for _, warn := range f.Warnings {
		fmt.Fprintf(w, "> **Warning:** %s\n\n", warn)
	}
}

// trials says how many trials ran, and why only one did when every trial
// would be the same (no history to draw growth from, the same pods on
// every node): -trials then changes nothing.
func trials(f *capacity.ForecastResult) string {
	if f.Identical {
		return "1 trial: every trial would be the same"
	}
	return count.Of(f.Trials, "trial", "trials")
}
