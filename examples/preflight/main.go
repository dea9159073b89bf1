// Command preflight answers "will AKS accept this, and will it then
// work?" for a create, scale, autoscaler max count, upgrade or new node
// pool, in AKS's own words and figures. It exits 1 when a check is refused
// or fails after acceptance, 2 for bad usage or input. -o json or yaml
// prints a list of {cluster, check, step, verdict}: the library's
// capacity.Step and capacity.Verdict.
//
//	go run ./examples/preflight
//	go run ./examples/preflight -cluster aks.json -network vnet.json -op upgrade -pool user
//	terraform show -json plan.out > plan.json && go run ./examples/preflight -tfplan plan.json
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/netip"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/internal/enum"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/examples/internal/output"
	"github.com/ipcap/ipcap/modes"
)

func main() { input.Main("preflight", run) }

// description is -h's first line.
const description = "will AKS accept a create, scale, autoscaler max, upgrade, new pool or migration, and will it then work? Exit 1 when a check is refused or fails"

func run(args []string, stdout, stderr io.Writer) error {
	fs, format := output.FlagSet("preflight", stderr, description,
		"preflight -cluster aks.json -network vnet.json -op upgrade -pool user -o markdown",
		"terraform show -json plan.out > plan.json && preflight -tfplan plan.json -o json")
	clusterPath := fs.String("cluster", "", "`az aks show -o json` output (default: the embedded production cluster)")
	var networks input.Files
	fs.Var(&networks, "network", "VNet, subnet or list-usage JSON for the cluster's subnets (repeatable)")
	planPath := fs.String("tfplan", "", "`terraform show -json PLAN` output: check every AKS cluster of the plan before apply")
	modeName := fs.String("mode", "", "networking mode of the default cluster, or to replace the cluster's (default azure-cni-overlay for the default)")
	opName := fs.String("op", "", opList()+" (default: what the cluster must survive: create, and an upgrade of each pool and of every pool)")
	pool := fs.String("pool", "", "the pool to scale, upgrade or add (upgrade without -pool: every pool)")
	var nodes int
	input.IntVar(fs, &nodes, "nodes", 0, 0, math.MaxInt, "the node `count` to scale the pool to, or its new autoscaler max count")
	toName := fs.String("to", "", "the mode -op migrate moves to (default azure-cni-overlay, the one mode AKS migrates to)")
	podCIDR := fs.String("pod-cidr", "", "the pod CIDR after -op migrate or expand-pod-cidr")
	if err := output.Parse(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case len(networks) > 0 && *clusterPath == "":
		return input.Usagef("-network %s: network documents describe a -cluster file's subnets; give -cluster too", networks[0])
	case *planPath != "" && *clusterPath != "":
		return input.Usagef("-tfplan and -cluster: give one of them")
	case *opName == "" && (set["pool"] || set["nodes"]):
		return input.Usagef("-pool and -nodes go with -op")
	}
	var op capacity.Op
	if *opName != "" {
		var ok bool
		if op, ok = preflightOp(*opName); !ok {
			return input.Usagef("-op %q: want %s", *opName, opList())
		}
		counted := op == capacity.OpScale || op == capacity.OpAutoscale
		wholeCluster := op == capacity.OpCreate || op == capacity.OpMigrate || op == capacity.OpExpandPodCIDR
		switch {
		case counted && !set["nodes"]:
			return input.Usagef("-op %v needs -nodes", op)
		case !counted && set["nodes"]:
			return input.Usagef("-nodes goes with -op scale or autoscale, not %v", op)
		case !wholeCluster && op != capacity.OpUpgrade && *pool == "":
			return input.Usagef("-op %s needs -pool", *opName)
		case wholeCluster && *pool != "":
			return input.Usagef("-pool goes with an op on one pool, not %v", op)
		}
	}
	// Which flags go together, before what each says or the files hold.
	switch {
	case op == capacity.OpExpandPodCIDR && *podCIDR == "":
		return input.Usagef("-op expand-pod-cidr needs -pod-cidr")
	case op != capacity.OpMigrate && *toName != "":
		return input.Usagef("-to goes with -op migrate")
	case op != capacity.OpMigrate && op != capacity.OpExpandPodCIDR && *podCIDR != "":
		return input.Usagef("-pod-cidr goes with -op migrate or expand-pod-cidr")
	}
	targets, err := clusters(*clusterPath, networks, *planPath, *modeName)
	if err != nil {
		return input.BadUsage(err)
	}
	for _, t := range targets {
		switch {
		case *pool == "" || hasPool(t.c, *pool):
		case slices.Contains(t.dropped, *pool):
			return input.PoolLeftOut(*pool, t.c.Mode)
		case len(targets) == 1:
			return input.Usagef("-pool %q: the cluster has no such pool", *pool)
		default:
			return input.Usagef("-pool %q: %s has no such pool", *pool, t.desc)
		}
	}
	step := capacity.Step{Op: op, Pool: *pool}
	if set["nodes"] {
		step.Nodes = nodes
	}
	if *toName != "" {
		if step.To, err = input.MigrationTarget("to", *toName); err != nil {
			return err
		}
	}
	if *podCIDR != "" {
		p, err := netip.ParsePrefix(*podCIDR)
		if err != nil {
			return input.Usagef("-pod-cidr %q: want a prefix such as 10.244.0.0/16", *podCIDR)
		}
		step.PodCIDRs = []netip.Prefix{p}
	}
	if op == capacity.OpMigrate && step.To == 0 {
		step.To = modes.AzureCNIOverlay
	}
	var results []targetResult
	for _, t := range targets {
		steps := defaultChecks(t.c)
		if op != 0 {
			if err := input.MissingPodCIDR(t.c, step, "-pod-cidr", t.desc); err != nil {
				return err
			}
			if err := input.PodCIDRFlag(t.c, step, t.src, "-pod-cidr"); err != nil {
				return input.Usagef("%s: %w", t.desc, err)
			}
			steps = []capacity.Step{step}
		}
		r, err := check(t, steps)
		if err != nil {
			return input.BadUsage(flagError(err)) // a step the cluster cannot be asked to do
		}
		results = append(results, r)
	}
	switch *format {
	case output.Text:
		err = writeText(stdout, results)
	case output.Markdown:
		err = writeMarkdown(stdout, results)
	default:
		err = output.Encode(stdout, *format, entries(results))
	}
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.invalid != nil && !r.t.otherMode { // the input describes no valid cluster
			return input.Usagef("%s: %w", r.t.desc, r.invalid)
		}
	}
	var n notOK
	for _, r := range results {
		for _, e := range r.entries {
			switch {
			case e.Invalid != "":
				n.unrun++
			case !e.ok():
				n.bad++
			}
			n.steps++
		}
	}
	if n.bad+n.unrun > 0 {
		return &n
	}
	return nil
}

// target is a cluster to check and what to call it.
type target struct {
	desc string
	c    capacity.Cluster
	src  capacity.Sources // where the fields of an input file's cluster are in it
	// otherMode says -mode moved an input's cluster to a mode not its
	// own: that the mode cannot run it is an answer (exit 1), not bad
	// input (exit 2), as in forecast.
	otherMode bool
	dropped   []string // the pools the mode left out
}

// Entry is one check in the -o json and yaml document: the library's
// Step and Verdict, with the cluster and the check in words.
type Entry struct {
	Cluster string            `json:"cluster"` // the input, and for a plan the resource address
	Mode    modes.Mode        `json:"mode"`
	Check   string            `json:"check"` // the step in words: "upgrade user (10 nodes, max 60, surge 33%)"
	Step    capacity.Step     `json:"step"`
	Verdict *capacity.Verdict `json:"verdict,omitempty"`
	// Invalid is why no check ran (a capacity.ValidationError: the input
	// is invalid, or -mode cannot run the cluster); Verdict is then absent.
	Invalid string `json:"invalid,omitempty"`
}

func (e Entry) ok() bool {
	return e.Invalid == "" && e.Verdict != nil && e.Verdict.Refusal == nil && e.Verdict.Failure == nil
}

// targetResult is what the checks of one cluster found.
type targetResult struct {
	t       target
	invalid error
	entries []Entry
}

// invalidWhy says why no check ran: the -mode asked for cannot run the
// cluster (an answer, exit 1), or the input describes no valid cluster
// (exit 2). Nothing was sent to AKS, so neither is a refusal.
func (r targetResult) invalidWhy() string {
	if r.t.otherMode {
		return r.t.c.Mode.String() + " cannot run this cluster, no check ran"
	}
	return "invalid input, no check ran"
}

// check answers every step on t.
func check(t target, steps []capacity.Step) (targetResult, error) {
	// A problem is told where the input holds the field: -mode replaces
	// the mode alone, the other fields keep their sources.
	r := targetResult{t: t, invalid: t.src.Explain(t.c.Validate())}
	for _, s := range steps {
		e := Entry{Cluster: t.desc, Mode: t.c.Mode, Check: describe(t.c, s), Step: s}
		if r.invalid != nil {
			e.Invalid = r.invalid.Error()
		} else {
			v, err := capacity.Check(t.c, s)
			if err != nil {
				return r, err
			}
			e.Verdict = v
		}
		r.entries = append(r.entries, e)
	}
	return r, nil
}

// entries flattens the results for -o json and yaml: never null.
func entries(rs []targetResult) []Entry {
	es := []Entry{}
	for _, r := range rs {
		es = append(es, r.entries...)
	}
	return es
}

// writeText prints, per cluster, the verdict of every step.
func writeText(w io.Writer, rs []targetResult) error {
	for _, r := range rs {
		fmt.Fprintf(w, "cluster: %s (%v)\n", r.t.desc, r.t.c.Mode)
		if r.invalid != nil {
			fmt.Fprintf(w, "%s: %v\n", r.invalidWhy(), r.invalid)
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, e := range r.entries {
			fmt.Fprintf(tw, "%s\t%v\n", e.Check, e.Verdict)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// writeMarkdown writes a heading per cluster and a table of its checks,
// for a PR comment.
func writeMarkdown(w io.Writer, rs []targetResult) error {
	fmt.Fprint(w, "# ipcap preflight\n\n")
	for _, r := range rs {
		fmt.Fprintf(w, "## %s (%v)\n\n", output.Cell(r.t.desc), r.t.c.Mode)
		if r.invalid != nil {
			fmt.Fprintf(w, "❌ %s: %s\n\n", r.invalidWhy(), output.Cell(r.invalid.Error()))
			continue
		}
		t := output.Table{Header: []string{"check", "", "verdict"}}
		for _, e := range r.entries {
			mark := "✅"
			if !e.ok() {
				mark = "❌"
			}
			t.Add(e.Check, mark, e.Verdict.String())
		}
		t.Write(w)
	}
	return nil
}

// notOK reports steps AKS refuses or that fail after acceptance.
// preflightOps are the operations preflight checks: Check's, less churn
// and grow, which AKS is not asked for.
var preflightOps = []capacity.Op{capacity.OpCreate, capacity.OpScale, capacity.OpAutoscale, capacity.OpUpgrade,
	capacity.OpAddPool, capacity.OpMigrate, capacity.OpExpandPodCIDR}

// preflightOp reads -op: one of preflightOps, by name.
func preflightOp(name string) (capacity.Op, bool) {
	op, err := capacity.ParseOp(name)
	return op, err == nil && slices.Contains(preflightOps, op)
}

// opList lists preflightOps as every list of choices: "create, …, migrate
// or expand-pod-cidr".
func opList() string {
	names := make([]string, len(preflightOps))
	for i, op := range preflightOps {
		names[i] = op.String()
	}
	return enum.Alternatives(names)
}

// notOK is a run with checks refused or failing, or not run because a
// -mode cannot run the cluster: exit status 1.
type notOK struct{ bad, unrun, steps int }

func (e *notOK) Error() string {
	var parts []string
	if e.bad > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d checks refused or failing", e.bad, e.steps))
	}
	if e.unrun > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d checks not run: the mode cannot run the cluster", e.unrun, e.steps))
	}
	return strings.Join(parts, "; ")
}

// clusters returns the clusters to check: a plan's, the user's, or the
// default.
func clusters(path string, networks []string, plan, modeName string) ([]target, error) {
	var m modes.Mode
	if modeName != "" {
		var err error
		if m, err = input.Mode("mode", modeName); err != nil {
			return nil, err
		}
	}
	switch {
	case plan != "":
		cs, err := input.LoadPlan(plan)
		if err != nil {
			return nil, err
		}
		if len(cs) == 0 {
			return nil, fmt.Errorf("%s: the plan has no azurerm_kubernetes_cluster", plan)
		}
		var ts []target
		for _, c := range cs {
			t := target{desc: plan + ": " + c.Address, c: c.Cluster.Cluster, src: c.Sources}
			t.inMode(m)
			ts = append(ts, t)
		}
		return ts, nil
	case path != "":
		c, src, err := input.Load(path, networks)
		t := target{desc: path, c: c, src: src}
		t.inMode(m)
		return []target{t}, err
	}
	if m == 0 {
		m = modes.AzureCNIOverlay
	}
	c, dropped := input.Default(m)
	desc := "default: " + input.DefaultDescription
	if len(dropped) > 0 {
		desc += "; " + input.LeftOut(dropped, m)
	}
	return []target{{desc: desc, c: c, dropped: dropped}}, nil
}

// inMode plans t's cluster in mode m (capacity.Cluster.InMode), unless m
// is zero or its own: the fields m takes keep their sources, and the
// description names the pools m cannot run. A cluster invalid in its own
// mode stays there, bad input whatever -mode asks.
func (t *target) inMode(m modes.Mode) {
	if m == 0 || m == t.c.Mode || t.c.Validate() != nil {
		return
	}
	t.c, t.dropped = t.c.InMode(m)
	t.otherMode = true
	if len(t.dropped) > 0 {
		t.desc += "; " + input.LeftOut(t.dropped, m)
	}
}

func hasPool(c capacity.Cluster, name string) bool {
	for _, p := range c.Pools {
		if p.Name == name {
			return true
		}
	}
	return false
}

// defaultChecks are what a cluster must survive, the checks run without
// -op: its create, and an upgrade of each pool and of every pool at once.
// How far a pool can grow is forecast's question, not a gate's.
func defaultChecks(c capacity.Cluster) []capacity.Step {
	steps := []capacity.Step{{Op: capacity.OpCreate}}
	for _, p := range c.Pools {
		steps = append(steps, capacity.Step{Op: capacity.OpUpgrade, Pool: p.Name})
	}
	return append(steps, capacity.Step{Op: capacity.OpUpgrade})
}

func describe(c capacity.Cluster, s capacity.Step) string {
	switch s.Op {
	case capacity.OpCreate:
		return "create"
	case capacity.OpScale:
		return fmt.Sprintf("scale %s to %s", s.Pool, count.Thousands(s.Nodes))
	case capacity.OpAutoscale:
		return fmt.Sprintf("autoscale %s to max %s", s.Pool, count.Thousands(s.Nodes))
	case capacity.OpMigrate:
		if len(s.PodCIDRs) == 0 {
			return fmt.Sprintf("migrate to %v", s.To)
		}
		return fmt.Sprintf("migrate to %v on %v", s.To, s.PodCIDRs[0])
	case capacity.OpExpandPodCIDR:
		return fmt.Sprintf("expand the pod CIDR to %v", s.PodCIDRs[0])
	case capacity.OpUpgrade:
		if s.Pool == "" {
			return "upgrade every pool"
		}
		for i := range c.Pools {
			if p := &c.Pools[i]; p.Name == s.Pool {
				nodes := count.Of(p.Count, "node", "nodes")
				if p.Autoscaling() {
					nodes += ", max " + count.Thousands(p.MaxCount) // what admission counts
				}
				return fmt.Sprintf("upgrade %s (%s, surge %v)", s.Pool, nodes, c.Surge(p))
			}
		}
	}
	return fmt.Sprintf("%v %s", s.Op, s.Pool)
}

// stepFlags are the flags that set each field of the step preflight checks.
var stepFlags = map[string]string{"Step.Pool": "-pool", "Step.Nodes": "-nodes", "Step.To": "-to", "Step.PodCIDRs": "-pod-cidr", "Step.PodCIDRs[0]": "-pod-cidr"}

// flagError tells a *capacity.StepError by the flag that set the field at
// fault: "-pod-cidr fd00::/48: want an IPv4 network prefix …".
func flagError(err error) error {
	var se *capacity.StepError
	if !errors.As(err, &se) {
		return err
	}
	if f, ok := stepFlags[se.Field]; ok {
		return fmt.Errorf("%s %s: %s", f, se.Value, se.Reason)
	}
	return err
}
