// Command report runs the bench suites and prints them as Markdown tables:
// ns/op, B/op and allocs/op per implementation and the ratio of each to
// ipcap, so that the README's table is regenerated, not typed. Every cell
// runs -count times (5 unless -quick), the rounds of a table interleaved so
// that a burst of load on a shared machine spreads over all its cells; the
// table shows the median and the spread (min–max) of ns/op and the medians
// of the rest, and the header the CPU model and the load average.
//
//	cd bench && go run ./cmd/report > report.md
//	cd bench && go run ./cmd/report -quick   # each cell once, 1x: CI's check that the suites run
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/bench/peers"
	"github.com/ipcap/ipcap/bench/suites"
	"github.com/ipcap/ipcap/ipam"
	"github.com/ipcap/ipcap/modes"
)

// entry is one benchmark to run.
type entry struct {
	impl string
	run  func(*testing.B)
}

// table is a suite and its entries.
type table struct {
	name, what string
	entries    []entry
	extra      string // a metric to show besides the standard ones
	noRatio    bool   // the entries are not alternatives to ipcap
}

func main() {
	testing.Init()
	quick := flag.Bool("quick", false, "run each benchmark once (-benchtime 1x, -count 1): checks the suites run, not how fast")
	count := flag.Int("count", 5, "runs of each cell: the table shows their median and spread")
	flag.Parse()
	if *quick {
		_ = flag.Set("test.benchtime", "1x")
		countSet := false
		flag.Visit(func(f *flag.Flag) { countSet = countSet || f.Name == "count" })
		if !countSet {
			*count = 1
		}
	}
	if *count < 1 {
		fmt.Fprintln(os.Stderr, "report: -count must be at least 1")
		os.Exit(2)
	}
	if err := report(os.Stdout, tables(), *count); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func blockEntries(suite func(*testing.B, peers.BlockImpl), impls []peers.BlockImpl) []entry {
	var es []entry
	for _, impl := range impls {
		es = append(es, entry{impl.Name, func(b *testing.B) { suite(b, impl) }})
	}
	return es
}

func addrEntries(suite func(*testing.B, peers.AddrImpl), impls []peers.AddrImpl) []entry {
	var es []entry
	for _, impl := range impls {
		es = append(es, entry{impl.Name, func(b *testing.B) { suite(b, impl) }})
	}
	return es
}

func tables() []table {
	var frag, sim []entry
	for _, st := range []ipam.Strategy{ipam.FirstFit, ipam.NextFit, ipam.Random} {
		frag = append(frag, entry{"ipcap-" + st.String(), func(b *testing.B) { suites.Fragmentation(b, st) }})
	}
	for _, m := range modes.All() {
		sim = append(sim, entry{m.String(), func(b *testing.B) { suites.Simulate(b, m) }})
	}
	return []table{
		{name: "Node CIDRs", what: "5,000 /24s from 10.0.0.0/8, allocated then released (one op: 10,000 calls)",
			entries: blockEntries(suites.NodeCIDRs, peers.BlockImpls())},
		{name: "The last hole", what: "A full /8 of /24s: release one at random, allocate again",
			entries: blockEntries(suites.LastHole, peers.BlockImpls())},
		{name: "Two holes", what: "The last hole with a second free /24 elsewhere in the /8: release one at random, allocate one (a remembered hint does not give the answer)",
			entries: blockEntries(suites.TwoHoles, peers.BlockImpls())},
		{name: "Pod addresses", what: "250 addresses in one /24, allocated then released (one op: 500 calls)",
			entries: addrEntries(suites.PodAddresses, peers.AddrImpls())},
		{name: "Live pods, per node", what: "5,000 nodes × 250 pods, the real shape: a /24 pool per node created and filled with 250 addresses, all kept (one op: 5,000 pools, 1.25 M addresses); heap-B is the heap they hold, measured outside the timed loop",
			entries: addrEntries(suites.LivePodsPerNode, peers.AddrImpls()), extra: "heap-B"},
		{name: "Live pods, one /10", what: "5,000 nodes × 250 pods from one cluster-wide /10: 1.25 M addresses allocated and kept (one op); heap-B as above",
			entries: addrEntries(suites.LivePods, peers.AddrImpls()), extra: "heap-B"},
		{name: "Churn", what: "A full /24: release a random address, allocate one",
			entries: addrEntries(suites.Churn, peers.AddrImpls())},
		{name: "Churn, two holes", what: "A full /24 with a second free address elsewhere: release a random address, allocate one",
			entries: addrEntries(suites.ChurnTwoHoles, peers.AddrImpls())},
		{name: "Strategies: churn", what: "ipcap's strategies on the churn suite",
			entries: addrEntries(suites.Churn, suites.StrategyAddrImpls())},
		{name: "Strategies: churn, two holes", what: "ipcap's strategies on the two-hole churn suite",
			entries: addrEntries(suites.ChurnTwoHoles, suites.StrategyAddrImpls())},
		{name: "Strategies: fragmentation", what: "A /16 at 90%, 20,000 random release-and-allocate pairs: the largest free run left and the runs free space is split into",
			entries: frag, extra: "largest-free,free-runs"},
		{name: "Simulate", what: "capacity.Simulate: five pools scaled to 1,000 nodes each, then a 10% surge upgrade of each (kubenet stops at its 400 routes)",
			entries: sim, extra: "nodes", noRatio: true},
	}
}

func report(w io.Writer, ts []table, count int) error {
	bt := "1s"
	if f := flag.Lookup("test.benchtime"); f != nil {
		bt = f.Value.String()
	}
	fmt.Fprintf(w, "Measured by `go run ./cmd/report` in bench/ (%s, %s/%s, %d CPUs, %s; load average %s at start).\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuModel(), loadAverage())
	fmt.Fprintf(w, "Each cell ran %d× (benchtime %s), the rounds of a table interleaved; ns/op is the median and spread the min–max of the runs, the other columns are medians.\n", count, bt)
	for _, t := range ts {
		fmt.Fprintf(w, "\n#### %s\n\n%s.\n\n", t.name, t.what)
		extras := []string{}
		if t.extra != "" {
			extras = strings.Split(t.extra, ",")
		}
		first, last := "impl", " ×ipcap |"
		if t.noRatio {
			first, last = "mode", ""
		}
		fmt.Fprintf(w, "| %s | ns/op | spread | B/op | allocs/op |%s", first, last)
		for _, x := range extras {
			fmt.Fprintf(w, " %s |", x)
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "|---|---:|---:|---:|---:|%s%s\n", map[bool]string{false: "---:|", true: ""}[t.noRatio], strings.Repeat("---:|", len(extras)))
		runs := make([][]testing.BenchmarkResult, len(t.entries))
		for range count {
			for i, e := range t.entries {
				r := testing.Benchmark(e.run)
				if r.N == 0 {
					return fmt.Errorf("%s/%s failed", t.name, e.impl)
				}
				runs[i] = append(runs[i], r)
			}
		}
		base := 0.0
		for i, e := range t.entries {
			ns := stat(runs[i], func(r testing.BenchmarkResult) float64 { return float64(r.T.Nanoseconds()) / float64(r.N) })
			bytes := stat(runs[i], func(r testing.BenchmarkResult) float64 { return float64(r.AllocedBytesPerOp()) })
			allocs := stat(runs[i], func(r testing.BenchmarkResult) float64 { return float64(r.AllocsPerOp()) })
			if i == 0 {
				base = ns.median
			}
			fmt.Fprintf(w, "| %s | %s | %s–%s | %s | %s |", e.impl, number(ns.median), number(ns.min), number(ns.max), number(bytes.median), number(allocs.median))
			if !t.noRatio {
				fmt.Fprintf(w, " %s |", ratio(ns.median, base))
			}
			for _, x := range extras {
				fmt.Fprintf(w, " %s |", number(stat(runs[i], func(r testing.BenchmarkResult) float64 { return r.Extra[x] }).median))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\nLoad average at the end: %s.\n", loadAverage())
	return nil
}

// summary is the median and range of one measure over a cell's runs.
type summary struct{ median, min, max float64 }

func stat(rs []testing.BenchmarkResult, f func(testing.BenchmarkResult) float64) summary {
	vs := make([]float64, len(rs))
	for i, r := range rs {
		vs[i] = f(r)
	}
	slices.Sort(vs)
	m := vs[len(vs)/2]
	if len(vs)%2 == 0 {
		m = (vs[len(vs)/2-1] + m) / 2
	}
	return summary{median: m, min: vs[0], max: vs[len(vs)-1]}
}

// cpuModel is the first "model name" of /proc/cpuinfo, or GOARCH where
// there is none.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "CPU unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "CPU unknown"
}

// loadAverage is the 1, 5 and 15 minute load averages of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// number prints a measurement: whole numbers (counts) as they are, others
// with the precision that matters at their size.
func number(v float64) string {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1<<53:
		return commas(int64(v))
	case v >= 100:
		return commas(int64(v + 0.5))
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func ratio(v, base float64) string {
	if base == 0 {
		return "-"
	}
	r := v / base
	if r >= 10 {
		return fmt.Sprintf("%.0f×", r)
	}
	return fmt.Sprintf("%.2f×", r)
}
