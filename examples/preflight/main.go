// Command preflight answers "will AKS accept this, and will it then
// work?" for a create, scale, autoscaler max count, upgrade or new node
// pool, in AKS's own words and figures. It exits 1 when a check is refused
// or fails after acceptance.
//
//	go run ./examples/preflight
//	go run ./examples/preflight -cluster aks.json -network vnet.json -op upgrade -pool user
package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/modes"
)

func main() { input.Main("preflight", run) }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("preflight", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clusterPath := fs.String("cluster", "", "`az aks show -o json` output (default: the embedded production cluster)")
	var networks input.Files
	fs.Var(&networks, "network", "VNet, subnet or list-usage JSON for the cluster's subnets (repeatable)")
	modeName := fs.String("mode", "", "networking mode of the default cluster, or to replace the cluster's (default azure-cni-overlay for the default)")
	opName := fs.String("op", "", "create, scale, autoscale, upgrade or add-pool (default: a set of checks)")
	pool := fs.String("pool", "", "the pool to scale, upgrade or add (upgrade without -pool: every pool)")
	nodes := fs.Int("nodes", -1, "the node count to scale the pool to, or its new autoscaler max count")
	if err := fs.Parse(args); err != nil {
		return input.BadUsage(err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() > 0:
		return input.Usagef("unexpected argument %q", fs.Arg(0))
	case len(networks) > 0 && *clusterPath == "":
		return input.Usagef("-network %s: network documents describe a -cluster file's subnets; give -cluster too", networks[0])
	case set["nodes"] && *nodes < 0:
		return input.Usagef("-nodes %d: want 0 or more", *nodes)
	case *opName == "" && (set["pool"] || set["nodes"]):
		return input.Usagef("-pool and -nodes go with -op")
	}
	c, desc, err := cluster(*clusterPath, networks, *modeName)
	if err != nil {
		return input.BadUsage(err)
	}
	var steps []capacity.Step
	if *opName != "" {
		var op capacity.Op
		if err := op.UnmarshalText([]byte(*opName)); err != nil {
			return input.Usagef("-op %q: want create, scale, autoscale, upgrade or add-pool", *opName)
		}
		if (op == capacity.OpScale || op == capacity.OpAutoscale) && *nodes < 0 {
			return input.Usagef("-op %v needs -nodes", op)
		}
		if op != capacity.OpCreate && op != capacity.OpUpgrade && *pool == "" {
			return input.Usagef("-op %s needs -pool", *opName)
		}
		if *pool != "" && !hasPool(c, *pool) {
			return input.Usagef("-pool %q: the cluster has no such pool", *pool)
		}
		steps = []capacity.Step{{Op: op, Pool: *pool, Nodes: *nodes}}
	} else {
		steps = defaultChecks(c)
	}
	fmt.Fprintf(stdout, "cluster: %s (%v)\n", desc, c.Mode)
	if err := c.Validate(); err != nil {
		fmt.Fprintf(stdout, "refused before any check: %v\n", err)
		return &notOK{len(steps), len(steps)}
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	bad := 0
	for _, s := range steps {
		v, err := capacity.Check(c, s)
		if err != nil {
			return err
		}
		if v.Refusal != nil || v.Failure != nil {
			bad++
		}
		fmt.Fprintf(tw, "%s\t%v\n", describe(c, s), v)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if bad > 0 {
		return &notOK{bad, len(steps)}
	}
	return nil
}

// notOK reports steps AKS refuses or that fail after acceptance.
type notOK struct{ bad, steps int }

func (e *notOK) Error() string {
	return fmt.Sprintf("%d of %d checks refused or failing", e.bad, e.steps)
}

func cluster(path string, networks []string, modeName string) (capacity.Cluster, string, error) {
	var m modes.Mode
	if modeName != "" {
		var err error
		if m, err = modes.ParseMode(modeName); err != nil {
			return capacity.Cluster{}, "", input.Usagef("-mode %q: unknown networking mode", modeName)
		}
	}
	if path != "" {
		c, err := input.Load(path, networks)
		if m != 0 {
			c.Mode = m
		}
		return c, path, err
	}
	if m == 0 {
		m = modes.AzureCNIOverlay
	}
	c, _ := input.Default(m)
	return c, "default: " + input.DefaultDescription, nil
}

func hasPool(c capacity.Cluster, name string) bool {
	for _, p := range c.Pools {
		if p.Name == name {
			return true
		}
	}
	return false
}

// defaultChecks creates the cluster, upgrades every pool, and scales every
// pool (raises an autoscaled pool's max count) to twice and ten times its
// committed size.
func defaultChecks(c capacity.Cluster) []capacity.Step {
	steps := []capacity.Step{{Op: capacity.OpCreate}}
	for _, p := range c.Pools {
		steps = append(steps, capacity.Step{Op: capacity.OpUpgrade, Pool: p.Name})
	}
	for _, p := range c.Pools {
		op := capacity.OpScale
		if p.Autoscaling() {
			op = capacity.OpAutoscale // an autoscaled pool grows by its max count
		}
		steps = append(steps,
			capacity.Step{Op: op, Pool: p.Name, Nodes: 2 * max(p.Committed(), 1)},
			capacity.Step{Op: op, Pool: p.Name, Nodes: 10 * max(p.Committed(), 1)})
	}
	return steps
}

func describe(c capacity.Cluster, s capacity.Step) string {
	switch s.Op {
	case capacity.OpCreate:
		return "create"
	case capacity.OpScale:
		return fmt.Sprintf("scale %s to %d", s.Pool, s.Nodes)
	case capacity.OpAutoscale:
		return fmt.Sprintf("autoscale %s to max %d", s.Pool, s.Nodes)
	case capacity.OpUpgrade:
		if s.Pool == "" {
			return "upgrade every pool"
		}
		for _, p := range c.Pools {
			if p.Name == s.Pool {
				surge := p.MaxSurge
				if surge.IsZero() {
					surge = capacity.SurgePercent(10)
				}
				return fmt.Sprintf("upgrade %s (%s, surge %v)", s.Pool, input.Count(p.Committed(), "node", "nodes"), surge)
			}
		}
	}
	return fmt.Sprintf("%v %s", s.Op, s.Pool)
}
