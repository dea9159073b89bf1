package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ipcap/ipcap/internal/count"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/examples/internal/output"
	"github.com/ipcap/ipcap/internal/prefixes"
	"github.com/ipcap/ipcap/modes"
)

// EstateOutput is the -clusters -json document: the library's estate
// report, with what it was read from.
type EstateOutput struct {
	Estate    string                 `json:"estate"` // the -clusters file
	VNet      []netip.Prefix         `json:"vnet"`
	VNetLimit int                    `json:"vnetLimit"` // Azure's private addresses per VNet
	Report    *capacity.EstateReport `json:"report"`    // a space of source "none" is a subnet no pool names
	// DoesNotFitNow lists the clusters that do not fit as they are, as the
	// estate sees them: capacity.Estate.Check of a create refuses or fails.
	DoesNotFitNow []Unfit `json:"doesNotFitNow,omitempty"`
	// Gate is -fail-below's threshold and what fell below it; absent
	// without the flag.
	Gate *output.Gate `json:"gate,omitempty"`
}

// Unfit is a cluster of an estate that does not fit now, and why.
type Unfit struct {
	Cluster string            `json:"cluster"`
	Verdict *capacity.Verdict `json:"verdict"`
}

// estateFlags are the flags that apply to an estate; the others are for
// the forecast of one cluster.
var estateFlags = map[string]bool{"clusters": true, "network": true, "json": true, "o": true, "fail-below": true}

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
	e, src, err := input.LoadEstate(o.clustersPath, o.networks)
	if err != nil {
		return EstateOutput{}, input.BadUsage(err)
	}
	r, err := capacity.AnalyzeEstate(e)
	if err != nil {
		var ve *capacity.ValidationError
		var ee *capacity.EstateError
		if errors.As(err, &ve) || errors.As(err, &ee) {
			return EstateOutput{}, input.Usagef("%s: %w", o.clustersPath, src.Explain(err))
		}
		return EstateOutput{}, err
	}
	out := EstateOutput{Estate: o.clustersPath, VNet: e.VNet, VNetLimit: modes.MaxVNetAddresses, Report: r}
	for i, c := range e.Clusters {
		v, err := e.Check(i, capacity.Step{Op: capacity.OpCreate})
		if err != nil {
			return EstateOutput{}, err
		}
		if v.Refusal != nil || v.Failure != nil {
			out.DoesNotFitNow = append(out.DoesNotFitNow, Unfit{Cluster: clusterName(c.Name), Verdict: v})
		}
	}
	return out, nil
}

func clusterName(name string) string {
	if name == "" {
		return "(no name)"
	}
	return name
}

func runEstate(o options, stdout io.Writer) error {
	out, err := estate(o)
	if err != nil {
		return err
	}
	var gateErr error
	if o.failBelow.On {
		gateErr = estateBelow(out, o.failBelow)
		out.Gate = output.GateOf(o.failBelow, gateErr)
	}
	if err := output.Write(stdout, *o.format, out, text.writeEstate, markdown.writeEstate); err != nil {
		return err
	}
	if gateErr != nil {
		return gateErr
	}
	if len(out.DoesNotFitNow) > 0 {
		var names []string
		for _, u := range out.DoesNotFitNow {
			names = append(names, u.Cluster)
		}
		return fmt.Errorf("not fitting now (AKS refuses them as configured, or their nodes find no addresses): %s", strings.Join(names, ", "))
	}
	return nil
}

// estateBelow names every pool of the estate whose free share, every other
// pool at its autoscaler max, is below the threshold.
func estateBelow(out EstateOutput, t output.Share) error {
	if !t.On {
		return nil
	}
	var below []string
	for _, u := range out.DoesNotFitNow { // as forecast -cluster's gate: a cluster that does not fit fails it
		below = append(below, fmt.Sprintf("%s: does not fit now: %v", u.Cluster, u.Verdict))
	}
	for _, c := range out.Report.Clusters {
		for _, p := range c.Pools {
			if b, ok := poolBelow(t, c.Name+" pool "+p.Name, p.MaxNodes, p.Count, ""); ok {
				below = append(below, b)
			}
		}
	}
	if len(below) > 0 {
		return &output.BelowError{What: below}
	}
	return nil
}

// writeEstate writes the estate in format f: a heading and a pool table
// per cluster (and a dual-stack cluster's IPv6 pod CIDR), then the subnets
// with every cluster's use and what is free in the VNet: its IPv4 space,
// where the next subnet goes.
func (f format) writeEstate(w io.Writer, out EstateOutput) error {
	r := out.Report
	vnet := prefixes.Join(out.VNet, ", ")
	if vnet == "" {
		vnet = "of unknown address space"
	}
	fmt.Fprintf(w, f.estate, f.cell(out.Estate), count.Of(len(r.Clusters), "cluster", "clusters"), vnet)
	for _, c := range r.Clusters {
		name := clusterName(c.Name)
		fmt.Fprintf(w, f.heading, name, c.Mode)
		for _, u := range out.DoesNotFitNow {
			if u.Cluster == name {
				fmt.Fprintf(w, f.notFit, f.cell(u.Verdict.String()))
			}
		}
		t := output.Table{Header: []string{"pool", "now", "at max", "max nodes", "limit"}, Numeric: []bool{false, true, true, true, false}}
		for _, p := range c.Pools {
			t.Add(p.Name, thousands(p.Count), thousands(p.AtMax), thousands(p.MaxNodes), p.Limit)
		}
		f.table(&t, w)
		if b := c.PodCIDRIPv6; b != nil {
			fmt.Fprintf(w, f.ipv6, b.Prefix, thousands(b.Blocks), b.BlockBits, thousands(b.AtMax), thousands(b.Free))
		}
	}
	fmt.Fprint(w, f.subnets)
	f.table(spaces(r.Spaces, f.num), w)
	fmt.Fprintf(w, f.vnetUse, thousands(r.VNetAddresses), thousands(out.VNetLimit), "")
	free := prefixes.Join(r.Free, ", ")
	switch {
	case len(out.VNet) == 0:
		free = "unknown: give the VNet's document (`az network vnet show`) with -network"
	case len(r.Free) == 0:
		free = "none"
	}
	// Subnets are placed by IPv4: an IPv6 subnet is a /64 of the VNet's
	// IPv6 range, which never runs short.
	var v6 []netip.Prefix
	for _, p := range out.VNet {
		if p.Addr().Is6() && !p.Addr().Is4In6() {
			v6 = append(v6, p)
		}
	}
	if len(v6) > 0 {
		free += " (IPv4; an IPv6 subnet is a /64 of " + prefixes.Join(v6, ", ") + ")"
	}
	fmt.Fprintf(w, f.free, free)
	return nil
}
