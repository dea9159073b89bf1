package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

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
}

// Result is one mode's answer.
type Result struct {
	Mode         modes.Mode `json:"mode"`
	Name         string     `json:"name"`
	Error        string     `json:"error,omitempty"`        // why the mode cannot run the cluster
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
	FitsNow  bool                     `json:"fitsNow"`
	Verdict  *capacity.Verdict        `json:"verdict,omitempty"`
	Forecast *capacity.ForecastResult `json:"forecast,omitempty"` // the other pools as they are now
}

func writeText(w io.Writer, out Output) error {
	fmt.Fprintf(w, "cluster: %s\n", out.Cluster)
	for _, n := range out.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, r := range out.Results {
		fmt.Fprintf(w, "\n== %s (%s) ==\n", r.Mode, r.Name)
		if r.Error != "" {
			fmt.Fprintf(w, "cannot run this cluster: %s\n", r.Error)
			continue
		}
		if len(r.SkippedPools) > 0 {
			fmt.Fprintf(w, "left out: %s (Windows node pools are not supported)\n", strings.Join(r.SkippedPools, ", "))
		}
		if !r.FitsNow {
			fmt.Fprintf(w, "does not fit now: %v\n", r.Verdict)
		}
		for i, p := range r.AtMax.Pools {
			writePool(w, p, r.Now.Pools[i])
		}
		writeSpaces(w, r.AtMax.Spaces)
		fmt.Fprintf(w, "VNet addresses at the autoscalers' max: %s of %s\n", thousands(r.AtMax.VNetAddresses), thousands(modes.MaxVNetPrivateIPs))
		if r.Forecast != nil {
			writeForecast(w, r.Forecast)
		}
	}
	return nil
}

// writePool says in one line how far a pool can grow on both bases.
func writePool(w io.Writer, atMax, now capacity.PoolReport) {
	size := "now " + input.Count(now.Count, "node", "nodes")
	if atMax.AtMax != now.Count {
		size += ", autoscaler max " + thousands(atMax.AtMax)
	}
	fmt.Fprintf(w, "%s: %s; fits up to %s now (%s with upgrade surge, %s), %s with the other pools at their max, as AKS plans (%s)\n",
		now.Name, size, input.Count(now.MaxNodes, "node", "nodes"), thousands(now.MaxNodesWithSurge), now.Limit, thousands(atMax.MaxNodes), atMax.Limit)
}

// writeSpaces prints the spaces' use on both bases.
func writeSpaces(w io.Writer, spaces []capacity.Space) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "space\trole\tusable\treserved\tnow\tat max\tfree at max")
	for _, s := range spaces {
		role := s.Source.String()
		if s.Source == modes.NoSource {
			role = "unused"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, role, thousands(s.Usable), thousands(s.Reserved), thousands(s.Now), thousands(s.AtMax), thousands(s.Free))
	}
	tw.Flush()
}

// writeForecast prints where the pool runs out, when, the date to upgrade
// by, and the warnings that qualify them.
func writeForecast(w io.Writer, f *capacity.ForecastResult) {
	fmt.Fprintf(w, "forecast for pool %s (%s, the other pools as they are now): runs out at %s (P10–P90: %s–%s); limits: %s\n",
		f.Pool, input.Count(f.Trials, "trial", "trials"), input.Count(f.Nodes.P50, "node", "nodes"), input.Thousands(f.Nodes.P10), input.Thousands(f.Nodes.P90), limits(f.Limits))
	if f.Model != "" {
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
func thousands(n int) string { return output.Thousands(n) }

// writeMarkdown writes out as GitHub-flavoured Markdown: a heading per
// mode, tables of pools and address spaces, the forecast as a table of
// percentiles.
func writeMarkdown(w io.Writer, out Output) error {
	fmt.Fprintf(w, "# ipcap forecast\n\ncluster: %s\n\n", output.Cell(out.Cluster))
	for _, n := range out.Notes {
		fmt.Fprintf(w, "> **Note:** %s\n\n", n)
	}
	for _, r := range out.Results {
		fmt.Fprintf(w, "## %s (%s)\n\n", r.Mode, r.Name)
		if r.Error != "" {
			fmt.Fprintf(w, "Cannot run this cluster: %s\n\n", r.Error)
			continue
		}
		if len(r.SkippedPools) > 0 {
			fmt.Fprintf(w, "Left out: %s (Windows node pools are not supported).\n\n", strings.Join(r.SkippedPools, ", "))
		}
		if !r.FitsNow {
			fmt.Fprintf(w, "❌ **Does not fit now:** %s\n\n", output.Cell(r.Verdict.String()))
		}
		pools := output.Table{
			Header:  []string{"pool", "nodes now", "autoscaler max", "max nodes now", "with surge", "limit", "max nodes, all pools at max", "limit at max"},
			Numeric: []bool{false, true, true, true, true, false, true, false},
		}
		for i, atMax := range r.AtMax.Pools {
			now := r.Now.Pools[i]
			pools.Add(now.Name, thousands(now.Count), thousands(atMax.AtMax), thousands(now.MaxNodes), thousands(now.MaxNodesWithSurge), now.Limit, thousands(atMax.MaxNodes), atMax.Limit)
		}
		pools.Write(w)
		spacesMarkdown(w, r.AtMax.Spaces)
		fmt.Fprintf(w, "VNet addresses at the autoscalers' max: %s of %s\n\n", thousands(r.AtMax.VNetAddresses), thousands(modes.MaxVNetPrivateIPs))
		if f := r.Forecast; f != nil {
			fmt.Fprintf(w, "### Forecast for pool %s\n\n%s, the other pools as they are now; limits: %s.", f.Pool, input.Count(f.Trials, "trial", "trials"), limits(f.Limits))
			if f.Model != "" {
				fmt.Fprintf(w, " History: %s, %+.2f nodes a day.", f.Model, f.Growth)
			}
			fmt.Fprint(w, "\n\n")
			t := output.Table{Header: []string{"", "P10", "P50", "P90"}, Numeric: []bool{false, true, true, true}}
			t.Add("nodes that fit", input.Thousands(f.Nodes.P10), input.Thousands(f.Nodes.P50), input.Thousands(f.Nodes.P90))
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
	}
	return nil
}

// spacesMarkdown writes the spaces' use on both bases as a table.
func spacesMarkdown(w io.Writer, spaces []capacity.Space) {
	t := output.Table{
		Header:  []string{"space", "role", "usable", "reserved", "now", "at max", "free at max"},
		Numeric: []bool{false, false, true, true, true, true, true},
	}
	for _, s := range spaces {
		role := s.Source.String()
		if s.Source == modes.NoSource {
			role = "unused"
		}
		t.Add(s.Name, role, thousands(s.Usable), thousands(s.Reserved), thousands(s.Now), thousands(s.AtMax), thousands(s.Free))
	}
	t.Write(w)
}
