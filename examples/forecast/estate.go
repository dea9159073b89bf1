package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/modes"
)

// EstateOutput is the -clusters -json document: the library's estate
// report, with what it was read from.
type EstateOutput struct {
	Estate    string                 `json:"estate"` // the -clusters file
	VNet      []netip.Prefix         `json:"vnet"`
	VNetLimit int                    `json:"vnetLimit"` // Azure's private addresses per VNet
	Report    *capacity.EstateReport `json:"report"`    // a space of source "none" is a subnet no pool names
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
	return EstateOutput{Estate: o.clustersPath, VNet: e.VNet, VNetLimit: modes.MaxVNetPrivateIPs, Report: r}, nil
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
	r := out.Report
	vnet := joinPrefixes(out.VNet)
	if vnet == "" {
		vnet = "of unknown address space"
	}
	fmt.Fprintf(w, "estate: %s: %s in VNet %s\n", out.Estate, input.Count(len(r.Clusters), "cluster", "clusters"), vnet)
	for _, c := range r.Clusters {
		name := c.Name
		if name == "" {
			name = "(no name)"
		}
		fmt.Fprintf(w, "\n== %s (%v) ==\n", name, c.Mode)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "pool\tnow\tat max\tmax nodes\tlimit")
		for _, p := range c.Pools {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", p.Name, p.Count, p.AtMax, p.MaxNodes, p.Limit)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\n== subnets, all clusters' use ==")
	writeSpaces(w, r.Spaces)
	fmt.Fprintf(w, "VNet addresses at the autoscalers' max: %s of %s\n", thousands(r.VNetAddresses), thousands(out.VNetLimit))
	switch {
	case len(out.VNet) == 0:
		fmt.Fprintln(w, "free in the VNet: unknown: give the VNet's document (`az network vnet show`) with -network")
	case len(r.Free) == 0:
		fmt.Fprintln(w, "free in the VNet: none")
	default:
		fmt.Fprintf(w, "free in the VNet: %s\n", joinPrefixes(r.Free))
	}
	return nil
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}
