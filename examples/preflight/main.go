// Command preflight answers "will AKS accept this?" for a create, scale,
// upgrade or new node pool, in AKS's own words and figures.
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
	opName := fs.String("op", "", "create, scale, upgrade or add-pool (default: a set of checks)")
	pool := fs.String("pool", "", "the pool to scale, upgrade or add")
	nodes := fs.Int("nodes", -1, "the node count to scale the pool to")
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
			return input.Usagef("-op %q: want create, scale, upgrade or add-pool", *opName)
		}
		if op == capacity.OpScale && *nodes < 0 {
			return input.Usagef("-op scale needs -nodes")
		}
		if op != capacity.OpCreate && *pool == "" {
			return input.Usagef("-op %s needs -pool", *opName)
		}
		if op != capacity.OpCreate && !hasPool(c, *pool) {
			return input.Usagef("-pool %q: the cluster has no such pool", *pool)
		}
		steps = []capacity.Step{{Op: op, Pool: *pool, Nodes: *nodes}}
	} else {
		steps = defaultChecks(c)
	}
	fmt.Fprintf(stdout, "cluster: %s (%v)\n", desc, c.Mode)
	if err := c.Validate(); err != nil {
		fmt.Fprintf(stdout, "refused before any check: %v\n", err)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, s := range steps {
		verdict := "accepted"
		if err := capacity.Preflight(c, s); err != nil {
			verdict = "refused: " + err.Error()
		}
		fmt.Fprintf(tw, "%s\t%s\n", describe(c, s), verdict)
	}
	return tw.Flush()
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
// pool to twice and ten times its committed size.
func defaultChecks(c capacity.Cluster) []capacity.Step {
	steps := []capacity.Step{{Op: capacity.OpCreate}}
	for _, p := range c.Pools {
		steps = append(steps, capacity.Step{Op: capacity.OpUpgrade, Pool: p.Name})
	}
	for _, p := range c.Pools {
		steps = append(steps,
			capacity.Step{Op: capacity.OpScale, Pool: p.Name, Nodes: 2 * max(p.Committed(), 1)},
			capacity.Step{Op: capacity.OpScale, Pool: p.Name, Nodes: 10 * max(p.Committed(), 1)})
	}
	return steps
}

func describe(c capacity.Cluster, s capacity.Step) string {
	switch s.Op {
	case capacity.OpCreate:
		return "create"
	case capacity.OpScale:
		return fmt.Sprintf("scale %s to %d", s.Pool, s.Nodes)
	case capacity.OpUpgrade:
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
