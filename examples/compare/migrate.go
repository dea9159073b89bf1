package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/internal/prefixes"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/examples/internal/output"
	"github.com/ipcap/ipcap/modes"
)

// migration is what -migrate-to asks: the cluster (a -cluster file, or the
// workload laid out in one mode) and the step.
type migration struct {
	to          string // -migrate-to
	podCIDR     string // -pod-cidr
	clusterPath string
	networks    []string
	modeNames   string   // -mode: the mode migrated from
	set         []string // the flags given
	w           workload
	format      output.Format
}

// MigrationDocument is the -migrate-to -o json and yaml output: the
// library's Step, Verdict and the Reports of Analyze before and after.
type MigrationDocument struct {
	Cluster  string        `json:"cluster,omitempty"`  // the -cluster file
	Workload *Workload     `json:"workload,omitempty"` // without -cluster: the workload laid out in From
	From     modes.Mode    `json:"from"`
	Step     capacity.Step `json:"step"`
	// Fits is true when AKS accepts the migration and every node then
	// gets its addresses: Verdict has neither Refusal nor Failure.
	Fits    bool              `json:"fits"`
	Verdict *capacity.Verdict `json:"verdict"`
	// Before is capacity.Analyze of the cluster, After of the cluster as
	// the migration leaves it (capacity.Migrated): every other pool at its
	// autoscaler max, as AKS plans. After is absent when AKS refuses the
	// migration whatever the capacity (the mode, a network policy, the
	// Kubernetes version) or the cluster after it is invalid.
	Before *capacity.Report `json:"before"`
	After  *capacity.Report `json:"after,omitempty"`
	// PodCIDRs is the pod CIDR after the migration: the step's, or the
	// one kubenet keeps; absent when AKS refuses the migration whatever
	// the capacity.
	PodCIDRs []netip.Prefix `json:"podCIDRs,omitempty"`
}

// migrateUsage lists the flags that shape the mode comparison and mean
// nothing to a migration.
var migrateUsage = map[string]string{
	"fail-below": "-fail-below goes with the comparison of modes, not -migrate-to: a migration exits 1 when it is refused or fails",
	"windows":    "-windows goes with the comparison of modes: -migrate-to lays the workload out on Linux pools (give -cluster for a cluster with Windows pools)",
	"dual-stack": "-dual-stack goes with the comparison of modes, not -migrate-to: AKS migrates IPv4 clusters",
}

// runMigrate answers -migrate-to: whether AKS accepts the migration, what
// then fails, and each pool's capacity before and after.
func runMigrate(mg migration, stdout io.Writer) error {
	for _, name := range mg.set {
		if why, ok := migrateUsage[name]; ok {
			return input.Usagef("%s", why)
		}
	}
	to, err := input.MigrationTarget("migrate-to", mg.to)
	if err != nil {
		return err
	}
	step := capacity.Step{Op: capacity.OpMigrate, To: to}
	if mg.podCIDR != "" {
		p, err := netip.ParsePrefix(mg.podCIDR)
		if err != nil || !p.Addr().Is4() || p.Masked() != p {
			return input.Usagef("-pod-cidr %q: want an IPv4 network prefix such as 10.244.0.0/16", mg.podCIDR)
		}
		step.PodCIDRs = []netip.Prefix{p}
	}
	var from modes.Mode
	if mg.modeNames != "" {
		if strings.Contains(mg.modeNames, ",") {
			return input.Usagef("-mode %q: with -migrate-to, give the one mode the cluster migrates from", mg.modeNames)
		}
		if from, err = input.Mode("mode", mg.modeNames); err != nil {
			return err
		}
		if from == to {
			return input.Usagef("-mode %s with -migrate-to %s: both name %v, and a mode does not migrate to itself; give -mode the mode the cluster migrates from, kubenet or azure-cni", mg.modeNames, mg.to, to)
		}
	}
	doc := MigrationDocument{Step: step}
	var c capacity.Cluster
	var src capacity.Sources // where the -cluster file holds each field
	if mg.clusterPath != "" {
		if c, src, err = input.Load(mg.clusterPath, mg.networks); err != nil {
			return input.BadUsage(err)
		}
		if from != 0 {
			c.Mode, c.Spec = from, nil // the other fields keep their sources
		}
		doc.Cluster = mg.clusterPath
	} else {
		if from == 0 {
			from = modes.Kubenet // the mode AKS retires in 2028
		}
		c = layout(from, mg.w)
		c.Policy = mg.w.policy
		wl := describe(mg.w)
		doc.Workload = &wl
	}
	doc.From = c.Mode
	if c.Mode == to {
		return input.Usagef("-migrate-to %s: %s is %v already; a mode does not migrate to itself", mg.to, mg.clusterPath, to)
	}
	if s := c.Mode.Spec(); mg.clusterPath == "" && !s.MaxPods.Contains(mg.w.pods) {
		return input.Usagef("-pods %d: want %d to %d, %v's maxPods", mg.w.pods, s.MaxPods.Min, s.MaxPods.Max, c.Mode)
	}
	if err := input.MissingPodCIDR(c, step, "-pod-cidr", what(mg, c)); err != nil {
		return err
	}
	// A -pod-cidr the cluster cannot take (one overlapping the VNet or the
	// service CIDR) is bad input, told by the flag.
	flagSrc := src
	if mg.clusterPath == "" {
		// The workload's layout: -vnet, and the service CIDR compare picks
		// clear of it.
		flagSrc = capacity.Sources{
			"VNet[0]":         {Path: "-vnet", Value: c.VNet[0].String()},
			"ServiceCIDRs[0]": {Path: "the service CIDR compare lays out", Value: c.ServiceCIDRs[0].String()},
		}
	}
	if err := input.PodCIDRFlag(c, step, flagSrc, "-pod-cidr"); err != nil {
		return input.Usagef("%s: %w", what(mg, c), err)
	}
	if doc.Verdict, err = capacity.Check(c, step); err != nil {
		var ve *capacity.ValidationError
		var se *capacity.StepError
		if errors.As(err, &ve) || errors.As(err, &se) {
			return input.Usagef("%s: %w", what(mg, c), src.Explain(err))
		}
		return err
	}
	doc.Fits = doc.Verdict.Refusal == nil && doc.Verdict.Failure == nil
	if doc.Before, err = capacity.Analyze(c); err != nil {
		return err
	}
	if after, err := capacity.Migrated(c, step); err == nil {
		doc.PodCIDRs = after.PodCIDRs
		doc.After, _ = capacity.Analyze(after) // nil when invalid: the refusal says why
	}
	switch mg.format {
	case output.Text:
		writeMigration(stdout, doc)
	case output.Markdown:
		writeMigrationMarkdown(stdout, doc)
	default:
		if err := output.Encode(stdout, mg.format, doc); err != nil {
			return err
		}
	}
	switch {
	case doc.Verdict.Refusal != nil:
		return fmt.Errorf("the migration to %v is refused by AKS", to)
	case doc.Verdict.Failure != nil:
		return fmt.Errorf("the migration to %v is accepted by AKS, then fails", to)
	}
	return nil
}

// what names the cluster migrated: the -cluster file, or the workload laid
// out in c's mode.
func what(mg migration, c capacity.Cluster) string {
	if mg.clusterPath != "" {
		return mg.clusterPath
	}
	return "the workload in " + c.Mode.String()
}

// migrationHeader writes what migrates and the verdict, and the pools that
// would run more nodes than fit after it.
func migrationHeader(w io.Writer, doc MigrationDocument) {
	if doc.Cluster != "" {
		fmt.Fprintf(w, "cluster: %s (%v)\n", doc.Cluster, doc.From)
	} else {
		wl := doc.Workload
		fmt.Fprintf(w, "workload: %s × %s in VNet %v", count.Of(wl.Nodes, "node", "nodes"), count.Of(wl.PodsPerNode, "pod", "pods"), wl.VNet)
		if wl.Policy != modes.PolicyNone {
			fmt.Fprintf(w, ", network policy %v", wl.Policy)
		}
		fmt.Fprintf(w, ", laid out in %v\n", doc.From)
	}
	fmt.Fprintf(w, "migrate %v to %v%s: %v\n", doc.From, doc.Step.To, podCIDRText(doc), doc.Verdict)
	if doc.After == nil {
		return
	}
	for i, p := range doc.After.Pools {
		if p.MaxNodes < p.AtMax {
			fmt.Fprintf(w, "after it, pool %s fits up to %s, %s fewer than the %s AKS plans for (%s)\n", p.Name,
				count.Of(p.MaxNodes, "node", "nodes"), count.Thousands(p.AtMax-p.MaxNodes), count.Thousands(doc.Before.Pools[i].AtMax), p.Limit)
		}
	}
}

// podCIDRText says which pod CIDR the cluster has after the migration.
func podCIDRText(doc MigrationDocument) string {
	var ps []string
	for _, p := range doc.PodCIDRs {
		ps = append(ps, p.String())
	}
	switch {
	case len(doc.Step.PodCIDRs) > 0:
		return " on pod CIDR " + prefixes.Join(doc.Step.PodCIDRs, ", ") // the one asked for, whether or not AKS accepts it
	case len(ps) > 0:
		return " keeping pod CIDR " + strings.Join(ps, ", ")
	}
	return ""
}

// poolRows are the pools' capacity before and after, as table cells.
func poolRows(doc MigrationDocument) [][]string {
	var rows [][]string
	for i, b := range doc.Before.Pools {
		row := []string{b.Name, count.Thousands(b.Count), count.Thousands(b.AtMax),
			count.Thousands(b.MaxNodes), count.Thousands(b.MaxNodesWithSurge), b.Limit.String(), "-", "-", "-"}
		if doc.After != nil {
			a := doc.After.Pools[i]
			row[6], row[7], row[8] = count.Thousands(a.MaxNodes), count.Thousands(a.MaxNodesWithSurge), a.Limit.String()
		}
		rows = append(rows, row)
	}
	return rows
}

// spaceRows are the address spaces before and after, by name: usable and
// taken at the autoscalers' max ("-" where the space is not one of the
// cluster's).
func spaceRows(doc MigrationDocument) [][]string {
	var names []string
	before, after := map[string]capacity.Space{}, map[string]capacity.Space{}
	for _, r := range []struct {
		rep *capacity.Report
		m   map[string]capacity.Space
	}{{doc.Before, before}, {doc.After, after}} {
		if r.rep == nil {
			continue
		}
		for _, s := range r.rep.Spaces {
			if _, seen := before[s.Name]; !seen {
				if _, seen := after[s.Name]; !seen {
					names = append(names, s.Name)
				}
			}
			r.m[s.Name] = s
		}
	}
	var rows [][]string
	for _, n := range names {
		row := []string{n, "-", "-", "-", "-", "-"}
		for k, m := range []map[string]capacity.Space{before, after} {
			if s, ok := m[n]; ok {
				row[1] = roleOf(s)
				row[2+2*k], row[3+2*k] = count.Thousands(s.Usable), count.Thousands(s.AtMax)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func roleOf(s capacity.Space) string {
	if s.Source == modes.NoSource {
		return "unused"
	}
	return s.Source.String()
}

var (
	poolHeader  = []string{"pool", "now", "at max", "before: max nodes", "with surge", "limit", "after: max nodes", "with surge", "limit"}
	spaceHeader = []string{"space", "role", "usable before", "at max before", "usable after", "at max after"}
)

func writeMigration(w io.Writer, doc MigrationDocument) {
	migrationHeader(w, doc)
	fmt.Fprintf(w, "\nper pool, the other pools at their autoscaler max, as AKS plans (before: %v, after: %v):\n", doc.From, doc.Step.To)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, rows := range [][][]string{append([][]string{poolHeader}, poolRows(doc)...), {{}}, append([][]string{spaceHeader}, spaceRows(doc)...)} {
		for _, r := range rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		tw.Flush()
	}
}

func writeMigrationMarkdown(w io.Writer, doc MigrationDocument) {
	fmt.Fprintf(w, "# ipcap compare: migration to %v\n\n", doc.Step.To)
	var head strings.Builder
	migrationHeader(&head, doc)
	mark := "✅ "
	if !doc.Fits {
		mark = "❌ "
	}
	lines := strings.Split(strings.TrimSuffix(head.String(), "\n"), "\n")
	fmt.Fprintf(w, "%s\n\n%s%s\n\n", lines[0], mark, lines[1])
	for _, l := range lines[2:] {
		fmt.Fprintf(w, "%s%s\n\n", strings.ToUpper(l[:1]), l[1:])
	}
	fmt.Fprintf(w, "Per pool, the other pools at their autoscaler max, as AKS plans (before: `%v`, after: `%v`):\n\n", doc.From, doc.Step.To)
	for _, t := range []struct {
		header  []string
		numeric []bool
		rows    [][]string
	}{
		{poolHeader, []bool{false, true, true, true, true, false, true, true, false}, poolRows(doc)},
		{spaceHeader, []bool{false, false, true, true, true, true}, spaceRows(doc)},
	} {
		tab := output.Table{Header: t.header, Numeric: t.numeric}
		for _, r := range t.rows {
			for i := range r {
				if r[i] == "-" {
					r[i] = "" // written –
				}
			}
			tab.Rows = append(tab.Rows, r)
		}
		tab.Write(w)
	}
}
