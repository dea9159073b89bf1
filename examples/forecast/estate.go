package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/modes"
)

// EstateOutput is the -clusters -json document. Its schema is stable:
// fields are added, never renamed or removed.
type EstateOutput struct {
	Estate   string          `json:"estate"` // the -clusters file
	VNet     []string        `json:"vnet"`
	Clusters []EstateCluster `json:"clusters"`
	// Spaces lists every subnet once with all clusters' use: the shared
	// subnets and those no cluster uses, then each cluster's own.
	Spaces        []SpaceResult `json:"spaces"`        // kind "unused" for a subnet no pool names
	VNetAddresses int           `json:"vnetAddresses"` // private addresses the clusters and others take at the committed size
	VNetLimit     int           `json:"vnetLimit"`     // Azure's private addresses per VNet
	Free          []string      `json:"free"`          // the VNet's prefixes in no subnet
}

// EstateCluster is one cluster of the estate, the others' use counted.
type EstateCluster struct {
	Name  string       `json:"name"`
	Mode  string       `json:"mode"`
	Pools []PoolResult `json:"pools"`
}

// estateFlags are the flags that apply to an estate; the others are for
// the forecast of one cluster.
var estateFlags = map[string]bool{"clusters": true, "network": true, "json": true}

// checkEstateFlags refuses with -clusters a flag that does not apply.
func checkEstateFlags(set []string) error {
	for _, name := range set {
		switch {
		case name == "cluster":
			return input.Usagef("-clusters and -cluster: give one: -cluster reads one cluster (`az aks show`), -clusters an estate (`az aks list`)")
		case !estateFlags[name]:
			return input.Usagef("-%s: applies to one cluster's forecast (-cluster), not to an estate (-clusters)", name)
		}
	}
	return nil
}

// estate reads and analyses the -clusters estate.
func estate(o options) (EstateOutput, error) {
	e, err := input.LoadEstate(o.clustersPath, o.networks)
	if err != nil {
		return EstateOutput{}, input.BadUsage(err)
	}
	r, err := capacity.AnalyzeEstate(e)
	if err != nil {
		var ve *capacity.ValidationError
		var ee *capacity.EstateError
		if errors.As(err, &ve) || errors.As(err, &ee) {
			return EstateOutput{}, input.Usagef("%s: %w", o.clustersPath, err)
		}
		return EstateOutput{}, err
	}
	out := EstateOutput{Estate: o.clustersPath, VNetAddresses: r.VNetAddresses, VNetLimit: modes.MaxVNetPrivateIPs,
		VNet: []string{}, Free: []string{}}
	for _, p := range e.VNet {
		out.VNet = append(out.VNet, p.String())
	}
	for i, rep := range r.Clusters {
		c := e.Clusters[i]
		var res Result
		res.fill(&rep)
		out.Clusters = append(out.Clusters, EstateCluster{Name: c.Name, Mode: c.Mode.String(), Pools: res.Pools})
	}
	var all Result
	all.fill(&capacity.Report{Spaces: r.Spaces})
	out.Spaces = all.Spaces
	// Subnets no pool names: capacity reports them as node subnets.
	named := map[string]bool{}
	for _, c := range e.Clusters {
		for _, p := range c.Pools {
			named[p.NodeSubnet], named[p.PodSubnet] = true, true
		}
	}
	for i, sn := range e.Subnets {
		if !named[sn.Name] {
			out.Spaces[i].Kind = "unused"
		}
	}
	for _, p := range r.Free {
		out.Free = append(out.Free, p.String())
	}
	return out, nil
}

func runEstate(o options, stdout io.Writer) error {
	out, err := estate(o)
	if err != nil {
		return err
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return writeEstate(stdout, out)
}

func writeEstate(w io.Writer, out EstateOutput) error {
	vnet := strings.Join(out.VNet, ", ")
	if vnet == "" {
		vnet = "of unknown address space"
	}
	fmt.Fprintf(w, "estate: %s: %s in VNet %s\n", out.Estate, input.Count(len(out.Clusters), "cluster", "clusters"), vnet)
	for _, c := range out.Clusters {
		name := c.Name
		if name == "" {
			name = "(no name)"
		}
		fmt.Fprintf(w, "\n== %s (%s) ==\n", name, c.Mode)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "pool\tcommitted\tmax nodes\tlimit")
		for _, p := range c.Pools {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", p.Name, p.Committed, p.MaxNodes, p.Limit)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\n== subnets, all clusters' use ==\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "space\tkind\tusable\treserved\tcommitted\tat max\tfree")
	for _, s := range out.Spaces {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\n", s.Name, s.Kind, s.Usable, s.Reserved, s.Committed, s.CommittedMax, s.Free)
	}
	tw.Flush()
	fmt.Fprintf(w, "VNet addresses taken at the committed size: %s of %s\n", thousands(out.VNetAddresses), thousands(out.VNetLimit))
	switch {
	case len(out.VNet) == 0:
		fmt.Fprintln(w, "free in the VNet: unknown: give the VNet's document (`az network vnet show`) with -network")
	case len(out.Free) == 0:
		fmt.Fprintln(w, "free in the VNet: none")
	default:
		fmt.Fprintf(w, "free in the VNet: %s\n", strings.Join(out.Free, ", "))
	}
	return nil
}

// thousands writes n with commas: 65,536.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
