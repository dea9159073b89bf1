// Command report runs the bench suites and prints them as Markdown tables:
// ns/op, B/op and allocs/op per implementation and the ratio of each to
// ipcap, so that the README's table is regenerated, not typed.
//
//	cd bench && go run ./cmd/report > report.md
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
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
	quick := flag.Bool("quick", false, "run each benchmark once (-benchtime 1x): checks the suites run, not how fast")
	flag.Parse()
	if *quick {
		_ = flag.Set("test.benchtime", "1x")
	}
	if err := report(os.Stdout, tables()); err != nil {
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
		{name: "Pod addresses", what: "250 addresses in one /24, allocated then released (one op: 500 calls)",
			entries: addrEntries(suites.PodAddresses, peers.AddrImpls())},
		{name: "Live pods", what: "5,000 nodes × 250 pods: 1.25 M addresses allocated from a /10 and kept (one op); heap-B is the heap they hold",
			entries: addrEntries(suites.LivePods, peers.AddrImpls()), extra: "heap-B"},
		{name: "Churn", what: "A full /24: release a random address, allocate one",
			entries: addrEntries(suites.Churn, peers.AddrImpls())},
		{name: "Strategies: churn", what: "ipcap's strategies on the churn suite",
			entries: addrEntries(suites.Churn, suites.StrategyAddrImpls())},
		{name: "Strategies: fragmentation", what: "A /16 at 90%, 20,000 random release-and-allocate pairs: the largest free run left and the runs free space is split into",
			entries: frag, extra: "largest-free,free-runs"},
		{name: "Simulate", what: "capacity.Simulate: five pools scaled to 1,000 nodes each, then a 10% surge upgrade of each (kubenet stops at its 400 routes)",
			entries: sim, extra: "nodes", noRatio: true},
	}
}

func report(w io.Writer, ts []table) error {
	fmt.Fprintf(w, "Measured by `go run ./cmd/report` in bench/ (%s, %s/%s, %d CPUs).\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
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
		fmt.Fprintf(w, "| %s | ns/op | B/op | allocs/op |%s", first, last)
		for _, x := range extras {
			fmt.Fprintf(w, " %s |", x)
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "|---|---:|---:|---:|%s%s\n", map[bool]string{false: "---:|", true: ""}[t.noRatio], strings.Repeat("---:|", len(extras)))
		base := 0.0
		for i, e := range t.entries {
			r := testing.Benchmark(e.run)
			if r.N == 0 {
				return fmt.Errorf("%s/%s failed", t.name, e.impl)
			}
			ns := float64(r.T.Nanoseconds()) / float64(r.N)
			if i == 0 {
				base = ns
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |", e.impl, number(ns), commas(r.AllocedBytesPerOp()), commas(r.AllocsPerOp()))
			if !t.noRatio {
				fmt.Fprintf(w, " %s |", ratio(ns, base))
			}
			for _, x := range extras {
				fmt.Fprintf(w, " %s |", number(r.Extra[x]))
			}
			fmt.Fprintln(w)
		}
	}
	return nil
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
