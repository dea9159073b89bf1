// Command compare runs one workload (nodes, pods per node, a VNet) across
// every AKS networking mode: which fit, what each takes from the VNet, the
// subnets and pod CIDR or CNI pool each needs, and what each cannot do.
//
//	go run ./examples/compare
//	go run ./examples/compare -nodes 1200 -pods 50 -vnet 10.240.0.0/16 -windows -policy calico
//	go run ./examples/compare -cluster aks.json -network vnet.json   # your cluster's workload
//	go run ./examples/compare -mode azure-cni-overlay -nodes 1200 -fail-below 25%   # a CI gate
//	go run ./examples/compare -mode kubenet -nodes 300 -migrate-to overlay -pod-cidr 10.244.0.0/16
//
// The workload is laid out in pools of at most 909 nodes, each upgrading
// with a 10% surge that AKS counts toward 1,000 nodes per pool and 5,000
// per cluster; -cluster takes the workload from a cluster's files instead
// of -nodes, -pods, -vnet, -windows, -dual-stack and -policy, which then
// are bad usage.
//
// It exits 1 when none of the modes compared fits the workload (-mode
// narrows the modes; -fail-below asks that a mode's subnets leave a share
// of the VNet free). With -migrate-to it answers instead whether the
// cluster (-cluster, or the workload laid out in -mode, kubenet by
// default) can migrate to Azure CNI Overlay: AKS's verdict, what then
// fails, and each pool's max nodes before and after; it exits 1 when the
// migration is refused or fails.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/internal/prefixes"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/ipcap/ipcap/examples/internal/output"
	"github.com/ipcap/ipcap/modes"
)

func main() { input.Main("compare", run) }

// workload is what the user wants to run.
type workload struct {
	nodes, pods int
	vnet        netip.Prefix
	windows     bool
	dualStack   bool
	policy      modes.Policy
	version     string // Kubernetes, of a -cluster file: some modes need a minimum

	// Of a -cluster file: the pool whose maxPods is pods, and the field
	// vnet is ("VNet[0]"), to say where the file holds them.
	podsPool  int
	vnetField string
}

// description is -h's first line.
const description = "which AKS networking modes fit one workload (nodes, pods per node, a VNet), the subnets and pod CIDR or CNI pool each needs, and why the others do not"

func run(args []string, stdout, stderr io.Writer) error {
	fs, format := output.FlagSet("compare", stderr, description,
		"compare -nodes 1200 -pods 50 -vnet 10.240.0.0/16 -windows -policy calico -o markdown",
		"compare -cluster aks.json -network vnet.json -mode azure-cni-overlay -fail-below 25%",
		"compare -cluster aks.json -network vnet.json -migrate-to overlay -pod-cidr 10.244.0.0/16")
	modeNames := fs.String("mode", "", "compare these `modes` only, comma-separated (default: every mode); the exit status is 1 when none of them fits. With -migrate-to: the one mode the cluster migrates from (default: the -cluster file's, else kubenet)")
	var threshold output.Share
	fs.Var(&threshold, "fail-below", "a mode fits only when the subnets it needs leave at least this `share` of the VNet free (25% or 0.25); exit 1 when no mode compared fits")
	var w workload
	maxPods := podsRange()
	input.IntVar(fs, &w.nodes, "nodes", 500, 1, modes.MaxNodesPerCluster, "the `number` of nodes the cluster must reach, laid out in pools of at most 909; AKS counts each pool's 10% upgrade surge toward its 1,000 nodes per pool and, summed over the pools as ipcap reads an upgrade of every pool by default, toward 5,000 per cluster, so 4,545 nodes at most fit")
	input.IntVar(fs, &w.pods, "pods", 30, maxPods.Min, maxPods.Max, "the `number` of pods per node, each pool's maxPods: "+podsRangeText())
	vnet := text("10.240.0.0/16")
	fs.Var(&vnet, "vnet", "the VNet's address space, a `CIDR`")
	fs.BoolVar(&w.windows, "windows", false, "the workload needs Windows node pools")
	fs.BoolVar(&w.dualStack, "dual-stack", false, "the workload needs IPv4/IPv6 dual-stack")
	policy := fs.String("policy", "", "the network policy `engine`: azure, calico or cilium")
	clusterPath := fs.String("cluster", "", "take the workload from this `file`, the output of az aks show -o json: its nodes at their autoscaler max, its largest maxPods, its VNet, Windows pools, dual-stack and policy, in place of -nodes, -pods, -vnet, -windows, -dual-stack and -policy")
	var networks input.Files
	fs.Var(&networks, "network", "a `file` for -cluster: the output of az network vnet show -o json, which gives the VNet's address space, or of subnet show or list-usage (repeatable)")
	migrateTo := fs.String("migrate-to", "", "answer instead whether the cluster (-cluster, or the workload laid out in -mode, default kubenet) can migrate to this `mode` (azure-cni-overlay, or overlay): AKS's verdict, what then fails, each pool's max nodes before and after; exit 1 when refused or failing")
	podCIDR := fs.String("pod-cidr", "", "the pod `CIDR` after -migrate-to, clear of the VNet (default: kubenet keeps its own; from Azure CNI it is required)")
	if err := output.Parse(fs, args); err != nil {
		return err
	}
	if len(networks) > 0 && *clusterPath == "" {
		return input.Usagef("-network %s: network documents describe a -cluster file's subnets; give -cluster too", networks[0])
	}
	if *podCIDR != "" && *migrateTo == "" {
		return input.Usagef("-pod-cidr goes with -migrate-to")
	}
	if *clusterPath != "" {
		// The -cluster file gives the whole workload: a flag beside it
		// would be ignored or mixed into it, so it is refused.
		var why error
		fs.Visit(func(f *flag.Flag) {
			if w, ok := clusterGives[f.Name]; ok && why == nil {
				why = input.Usagef("-%s goes without -cluster: %s", f.Name, w)
			}
		})
		if why != nil {
			return why
		}
	}
	var err error
	if w.vnet, err = netip.ParsePrefix(string(vnet)); err != nil || !usableVNet(w.vnet) {
		return input.Usagef("-vnet %q: want an IPv4 prefix of /28 or larger", vnet)
	}
	if w.vnet != w.vnet.Masked() {
		return input.Usagef("-vnet %s: want a network prefix: %v", vnet, w.vnet.Masked())
	}
	if w.policy, err = modes.ParsePolicy(*policy); err != nil {
		return input.Usagef("-policy %q: want azure, calico or cilium", *policy)
	}
	if *migrateTo != "" {
		var set []string
		fs.Visit(func(f *flag.Flag) { set = append(set, f.Name) })
		return runMigrate(migration{to: *migrateTo, podCIDR: *podCIDR, clusterPath: *clusterPath, networks: networks,
			modeNames: *modeNames, set: set, w: w, format: *format}, stdout)
	}
	only, err := parseModes(*modeNames)
	if err != nil {
		return err
	}
	doc := Document{}
	if *clusterPath != "" {
		c, src, err := input.Load(*clusterPath, networks)
		if err != nil {
			return input.BadUsage(err)
		}
		if err := c.Validate(); err != nil {
			return input.Usagef("%s: %w", *clusterPath, src.Explain(err)) // in the file's words
		}
		w = fromCluster(c, w)
		// The cluster's own figures, which the flags' checks did not see,
		// told where the files hold them.
		where := func(field string) string {
			if s, ok := src[field]; ok {
				return s.String()
			}
			return *clusterPath
		}
		switch {
		case w.nodes < 1 || w.nodes > modes.MaxNodesPerCluster:
			return input.Usagef("%s: its pools commit %s: want 1 to %s", *clusterPath, count.Of(w.nodes, "node", "nodes"), count.Thousands(modes.MaxNodesPerCluster))
		case !podsRange().Contains(w.pods):
			return input.Usagef("%s: %d, the cluster's largest maxPods: want %s", where(fmt.Sprintf("Pools[%d].MaxPods", w.podsPool)), w.pods, podsRangeText())
		case !w.vnet.IsValid():
			return noVNet(c, src, networks)
		case !usableVNet(w.vnet):
			return input.Usagef("%s: %v, the cluster's address space, is smaller than a /28", where(w.vnetField), w.vnet)
		}
		doc.Cluster, doc.ClusterMode = *clusterPath, c.Mode
	}
	doc.Workload = describe(w)
	doc.Results = []Result{}
	fits := 0
	for _, m := range modes.All() {
		if len(only) > 0 && !only[m] {
			continue
		}
		r := compare(m, w)
		if threshold.On && len(r.why) == 0 && r.vnetFree() < threshold.Value {
			r.why = append(r.why, fmt.Sprintf("its subnets leave %s of the VNet free, below -fail-below %s",
				output.Percent(r.vnetFree()), output.Percent(threshold.Value)))
		}
		doc.Results = append(doc.Results, r.result(m))
		if len(r.why) == 0 {
			fits++
		}
	}
	if err := output.Write(stdout, *format, doc, writeText, writeMarkdown); err != nil {
		return err
	}
	if fits == 0 {
		return fmt.Errorf("no mode compared fits the workload")
	}
	return nil
}

// text is a string flag whose default -h prints as it is, unquoted.
type text string

func (t *text) String() string     { return string(*t) }
func (t *text) Set(v string) error { *t = text(v); return nil }

// clusterGives says, per workload flag, what a -cluster file gives in its
// place.
var clusterGives = map[string]string{
	"nodes":      "the cluster's pools give the nodes, at their autoscaler max",
	"pods":       "the cluster's pools give the pods per node, their largest maxPods",
	"vnet":       "the cluster's VNet document gives the address space",
	"windows":    "the cluster's pools say whether it runs Windows",
	"dual-stack": "the cluster's network profile says whether it is dual-stack",
	"policy":     "the cluster's network profile gives the network policy",
}

// parseModes reads -mode's comma-separated list.
func parseModes(list string) (map[modes.Mode]bool, error) {
	if list == "" {
		return nil, nil
	}
	only := map[modes.Mode]bool{}
	named := map[modes.Mode]string{} // the name each mode was given as
	for _, name := range strings.Split(list, ",") {
		m, err := input.Mode("mode", name)
		if err != nil {
			return nil, err
		}
		name = strings.TrimSpace(name)
		if first, ok := named[m]; ok {
			if first == name {
				return nil, input.Usagef("-mode %s: names %s twice; name each mode once", list, name)
			}
			return nil, input.Usagef("-mode %s: %s and %s are both %v; name each mode once", list, first, name, m)
		}
		only[m], named[m] = true, name
	}
	return only, nil
}

// podsRange is the pods per node some mode accepts: from the smallest
// minimum maxPods of any mode to the largest maximum.
func podsRange() modes.Range {
	r := modes.AzureCNIOverlay.Spec().MaxPods
	for _, m := range modes.All() {
		mp := m.Spec().MaxPods
		r.Min, r.Max = min(r.Min, mp.Min), max(r.Max, mp.Max)
	}
	return r
}

// podsRangeText says podsRange, and whether every mode accepts all of it.
func podsRangeText() string {
	r := podsRange()
	for _, m := range modes.All() {
		if mp := m.Spec().MaxPods; mp.Min != r.Min || mp.Max != r.Max {
			return fmt.Sprintf("%d to %d, AKS's maxPods, narrower in some modes", r.Min, r.Max)
		}
	}
	return fmt.Sprintf("%d to %d, AKS's maxPods in every mode", r.Min, r.Max)
}

// noVNet refuses a -cluster whose network documents give its subnets but
// not the VNet's address space, which compare lays every mode's subnets
// out in: a subnet is not the VNet, and sizing in it would say no where
// the VNet may have room.
func noVNet(c capacity.Cluster, src capacity.Sources, networks []string) error {
	file := strings.Join(networks, ", ")
	if s, ok := src["Subnets[0].Prefixes[0]"]; ok && s.File != "" {
		file = s.File
	}
	what := "the cluster's subnets"
	if len(c.Subnets) > 0 && len(c.Subnets[0].Prefixes) > 0 {
		what = fmt.Sprintf("subnet %s (%s)", c.Subnets[0].Name, prefixes.Join(c.Subnets[0].Prefixes, ", "))
	}
	return input.Usagef("-network %s: gives %s, not the VNet's address space, which compare sizes each mode's subnets in: give -network the VNet's document (az network vnet show -o json)", file, what)
}

// Document is the -o json and yaml output: the workload, and per mode
// whether it fits and the library's capacity.Recommendation of the
// smallest prefixes.
type Document struct {
	Cluster     string     `json:"cluster,omitempty"`     // the -cluster file the workload was taken from
	ClusterMode modes.Mode `json:"clusterMode,omitempty"` // its mode
	Workload    Workload   `json:"workload"`
	Results     []Result   `json:"results"`
}

// Workload is what was compared.
type Workload struct {
	Nodes       int          `json:"nodes"`
	PodsPerNode int          `json:"podsPerNode"`
	VNet        netip.Prefix `json:"vnet"`
	Windows     bool         `json:"windows"`
	DualStack   bool         `json:"dualStack"`
	Policy      modes.Policy `json:"policy,omitempty"`
	// KubernetesVersion is a -cluster file's: static blocks, dual-stack
	// with Cilium and migrations need a minimum.
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`
	// Pools is the layout every mode is sized on: pools of at most 909
	// nodes, each upgrading with a 10% surge.
	Pools []PoolSize `json:"pools"`
	// NodesWithSurge is Nodes plus every pool's surge nodes: what
	// capacity.Recommend checks against AKS's 5,000 nodes per cluster, as
	// AKS admits an upgrade of every pool.
	NodesWithSurge int `json:"nodesWithSurge"`
}

// PoolSize is one pool of the layout.
type PoolSize struct {
	Name       string `json:"name"`
	Nodes      int    `json:"nodes"`
	SurgeNodes int    `json:"surgeNodes"` // the nodes its upgrade adds
}

// Result is one mode's answer.
type Result struct {
	Mode modes.Mode `json:"mode"`
	Fits bool       `json:"fits"`
	// VNetAddresses counts what the workload at its max, with every
	// pool's upgrade surge, takes from the VNet's 65,536-address limit: the
	// count capacity.Recommend checks that limit with. A static /28
	// block counts as one (BlockCountsOnce), though it holds 16.
	VNetAddresses int `json:"vnetAddresses"`
	// BlockCountsOnce is true when VNetAddresses counts a block of pod
	// addresses as one, as AKS does for static blocks.
	BlockCountsOnce bool `json:"blockCountsOnce,omitempty"`
	// SubnetAddresses is what the recommended subnets span, of the VNet's
	// VNetSize.
	SubnetAddresses int `json:"subnetAddresses"`
	VNetSize        int `json:"vnetSize"`
	// Recommendation is capacity.Recommend of the workload laid out in the
	// mode; nil when it cannot be laid out.
	Recommendation *capacity.Recommendation `json:"recommendation,omitempty"`
	Why            []string                 `json:"why,omitempty"` // why it does not fit
}

func (r result) result(m modes.Mode) Result {
	s := m.Spec()
	return Result{Mode: m, Fits: len(r.why) == 0, VNetAddresses: r.vnetAddresses, BlockCountsOnce: r.rec != nil && s.Pods.BlockCountsOnce && s.Pods.Source.IsVNet(),
		SubnetAddresses: r.used, VNetSize: r.vnetSize, Recommendation: r.rec, Why: r.why}
}

// describe returns what compare says of the workload w, with the pools it
// lays w out in and their surge as capacity counts it (Cluster.Surge).
func describe(w workload) Workload {
	wl := Workload{Nodes: w.nodes, PodsPerNode: w.pods, VNet: w.vnet, Windows: w.windows, DualStack: w.dualStack, Policy: w.policy, KubernetesVersion: w.version,
		Pools: []PoolSize{}}
	c := layout(modes.AzureCNIOverlay, w) // the pools are the same in every mode
	for i := range c.Pools {
		p := &c.Pools[i]
		surge := c.Surge(p).Nodes(p.AtMax())
		wl.Pools = append(wl.Pools, PoolSize{Name: p.Name, Nodes: p.AtMax(), SurgeNodes: surge})
		wl.NodesWithSurge += p.AtMax() + surge
	}
	return wl
}

// poolsText says the layout in one line: "1 pool of 1 node, upgrading
// with 1 surge node (10%): 2 nodes with surge", or for 2,000 nodes "2 pools
// of 667 nodes + 1 pool of 666 nodes, each upgrading with 67 surge nodes
// (10%): 2,201 nodes with surge".
func poolsText(wl Workload) string {
	var groups []string
	lo, hi := 0, 0
	for i := 0; i < len(wl.Pools); {
		j := i
		for j < len(wl.Pools) && wl.Pools[j].Nodes == wl.Pools[i].Nodes {
			j++
		}
		groups = append(groups, count.Of(j-i, "pool", "pools")+" of "+count.Of(wl.Pools[i].Nodes, "node", "nodes"))
		for _, p := range wl.Pools[i:j] {
			if lo == 0 || p.SurgeNodes < lo {
				lo = p.SurgeNodes
			}
			hi = max(hi, p.SurgeNodes)
		}
		i = j
	}
	surge := count.Of(hi, "surge node", "surge nodes")
	if lo != hi {
		surge = count.Thousands(lo) + "–" + surge
	}
	each := "each upgrading"
	if len(wl.Pools) == 1 {
		each = "upgrading"
	}
	return fmt.Sprintf("%s, %s with %s (10%%): %s with surge",
		strings.Join(groups, " + "), each, surge, count.Of(wl.NodesWithSurge, "node", "nodes"))
}

func writeHeader(w io.Writer, doc Document) {
	if doc.Cluster != "" {
		fmt.Fprintf(w, "cluster: %s (%v)\n", doc.Cluster, doc.ClusterMode)
	}
	wl := doc.Workload
	fmt.Fprintf(w, "workload: %s × %s in VNet %v", count.Of(wl.Nodes, "node", "nodes"), count.Of(wl.PodsPerNode, "pod", "pods"), wl.VNet)
	if wl.Windows {
		fmt.Fprint(w, ", Windows")
	}
	if wl.DualStack {
		fmt.Fprint(w, ", dual-stack")
	}
	if wl.Policy != modes.PolicyNone {
		fmt.Fprintf(w, ", network policy %v", wl.Policy)
	}
	if wl.KubernetesVersion != "" {
		fmt.Fprintf(w, ", Kubernetes %s", wl.KubernetesVersion)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "pools: %s\n", poolsText(wl))
	if doc.Cluster != "" {
		// The same file's own pools and surges are what forecast and
		// preflight cost: say which figures these are.
		fmt.Fprintln(w, "(the cluster's nodes at their autoscaler max, laid out as any workload is; forecast and preflight cost its own pools and surges)")
	}
}

// vnetAddressesHeader heads the column of Result.VNetAddresses, saying its
// basis.
const vnetAddressesHeader = "VNet addresses at max with surge"

// blockFootnote explains the mark on a VNetAddresses that counts blocks
// once, and vnetAddressesCell writes the cell with it.
const blockFootnote = "* a static /28 block counts as one address against the VNet's 65,536-address limit, though it holds 16"

func vnetAddressesCell(r Result) string {
	if r.Recommendation == nil { // not laid out: nothing counted
		return "-"
	}
	if r.BlockCountsOnce {
		return count.Thousands(r.VNetAddresses) + "*"
	}
	return count.Thousands(r.VNetAddresses)
}

// anyBlockCountsOnce reports whether a result needs blockFootnote.
func anyBlockCountsOnce(doc Document) bool {
	return slices.ContainsFunc(doc.Results, func(r Result) bool { return r.BlockCountsOnce })
}

// sizes returns the recommended node subnet, pod subnet and pod range (the
// pod CIDR or CNI pool),
// each "/22", or "-" when the mode has none.
func sizes(r Result) (node, pod, podRange string) {
	node, pod, podRange = "-", "-", "-"
	if r.Recommendation == nil {
		return
	}
	for _, sp := range r.Recommendation.Spaces {
		size := fmt.Sprintf("/%d", sp.Bits)
		switch sp.Source {
		case modes.NodeSubnet:
			node = size
		case modes.PodSubnet:
			pod = size
		case modes.PodCIDR, modes.CNIPool:
			podRange = size // the column is the pod range outside the VNet: AKS's pod CIDR or the CNI's pool
		}
	}
	return
}

func writeText(w io.Writer, doc Document) error {
	writeHeader(w, doc)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "mode\tfits\t"+vnetAddressesHeader+"\tnode subnet\tpod subnet\tpod CIDR/CNI pool\twhy not")
	for _, r := range doc.Results {
		fits := "yes"
		if !r.Fits {
			fits = "no"
		}
		node, pod, podRange := sizes(r)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Mode, fits, vnetAddressesCell(r), node, pod, podRange, strings.Join(r.Why, "; "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if anyBlockCountsOnce(doc) {
		fmt.Fprintln(w, blockFootnote)
	}
	return nil
}

// writeMarkdown writes the comparison as a Markdown table under a heading.
func writeMarkdown(w io.Writer, doc Document) error {
	fmt.Fprint(w, "# ipcap compare\n\n")
	writeHeader(w, doc)
	fmt.Fprintln(w)
	t := output.Table{
		Header:  []string{"mode", "fits", vnetAddressesHeader, "node subnet", "pod subnet", "pod CIDR/CNI pool", "why not"},
		Numeric: []bool{false, false, true},
	}
	for _, r := range doc.Results {
		fits := "✅ yes"
		if !r.Fits {
			fits = "❌ no"
		}
		node, pod, podRange := sizes(r)
		for _, c := range []*string{&node, &pod, &podRange} {
			if *c == "-" {
				*c = "" // written –
			}
		}
		t.Add("`"+r.Mode.String()+"`", fits, vnetAddressesCell(r), node, pod, podRange, strings.Join(r.Why, "; "))
	}
	t.Write(w)
	if anyBlockCountsOnce(doc) {
		fmt.Fprintf(w, "\\%s\n", blockFootnote)
	}
	return nil
}

// usableVNet reports whether p can hold the layout: IPv4, /28 or larger.
func usableVNet(p netip.Prefix) bool { return p.IsValid() && p.Addr().Is4() && p.Bits() <= 28 }

type result struct {
	vnetAddresses, used, vnetSize int
	rec                           *capacity.Recommendation
	why                           []string
}

// not returns r with why appended, for a mode that cannot be laid out.
func (r result) not(why string) result {
	r.why = append(r.why, why)
	return r
}

// vnetFree is the share of the VNet the recommended subnets leave free.
func (r result) vnetFree() float64 {
	if r.vnetSize == 0 {
		return 0
	}
	return 1 - float64(r.used)/float64(r.vnetSize)
}

// compare sizes the workload in mode m: it lays the workload out as pools
// of at most 1,000 nodes on a node subnet (and a pod subnet) carved from
// the VNet, asks capacity.Recommend for the smallest prefixes, and checks
// they fit the VNet and AKS's limits.
func compare(m modes.Mode, w workload) result {
	s := m.Spec()
	var r result
	if w.windows && !s.Windows {
		r.why = append(r.why, "no Windows")
	}
	if w.dualStack && !s.DualStack {
		r.why = append(r.why, "no dual-stack")
	}
	if !s.SupportsPolicy(w.policy) {
		r.why = append(r.why, "no "+w.policy.String()+" policy")
	}
	if !s.MaxPods.Contains(w.pods) {
		// Costed as given, never raised to the mode's minimum: the mode
		// cannot run it.
		return r.not(fmt.Sprintf("maxPods %d is outside its %d to %d", w.pods, s.MaxPods.Min, s.MaxPods.Max))
	}
	c := layout(m, w)
	rec, err := capacity.Recommend(c)
	if err != nil {
		r.why = append(r.why, whyNot(err)...)
		return r
	}
	rep, err := capacity.Analyze(c)
	if err != nil {
		r.why = append(r.why, err.Error())
		return r
	}
	// The VNet limit's count as Recommend checks it: every pool at its
	// max plus its surge nodes, summed, as AKS admits an upgrade of every
	// pool.
	for _, p := range rep.Pools {
		r.vnetAddresses += (p.AtMax + p.SurgeNodes) * p.PerNode.VNetAddresses
	}
	if rec.Notes == nil {
		rec.Notes = []string{} // a list, never null
	}
	r.rec = rec
	r.vnetSize = 1 << (32 - w.vnet.Bits())
	for _, sp := range rec.Spaces {
		if sp.Source == modes.NodeSubnet || sp.Source == modes.PodSubnet {
			r.used += 1 << (32 - sp.Bits)
		}
	}
	if r.used > r.vnetSize {
		r.why = append(r.why, fmt.Sprintf("subnets need %s addresses, the VNet has %s", count.Thousands(r.used), count.Thousands(r.vnetSize)))
	}
	r.why = append(r.why, rec.Notes...)
	return r
}

// whyNot says why Recommend could not size the workload laid out in a
// mode: a problem of the layout by its message alone (its field is the
// layout's, not the user's), any other error without its package.
func whyNot(err error) []string {
	var ve *capacity.ValidationError
	if !errors.As(err, &ve) {
		return []string{strings.TrimPrefix(err.Error(), "capacity: ")}
	}
	why := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		why[i] = p.Message
	}
	return why
}

// layout builds the workload as a cluster in mode m: pools of at most 909
// nodes, so that each upgrades with a 10% surge within AKS's 1,000 per pool, the node subnet on the VNet's first half and a pod
// subnet on its second (a static-block one at most a /12), a service range
// clear of the VNet.
func layout(m modes.Mode, w workload) capacity.Cluster {
	s := m.Spec()
	half := netip.PrefixFrom(w.vnet.Addr(), w.vnet.Bits()+1)
	second := netip.PrefixFrom(lastHalf(w.vnet), w.vnet.Bits()+1)
	c := capacity.Cluster{Mode: m, VNet: []netip.Prefix{w.vnet}, KubernetesVersion: w.version,
		Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{half}}}}
	svc := netip.MustParsePrefix("10.0.0.0/16")
	if svc.Overlaps(w.vnet) {
		svc = netip.MustParsePrefix("172.16.0.0/16")
	}
	dns := svc.Addr().As4()
	dns[3] = 10 // the ".10" address the docs recommend [KUB]
	c.ServiceCIDRs, c.DNSServiceIP = []netip.Prefix{svc}, netip.AddrFrom4(dns)
	if s.Pods.Unit == modes.StaticBlock && second.Bits() < modes.MaxStaticBlockSubnetBits {
		second = netip.PrefixFrom(second.Addr(), modes.MaxStaticBlockSubnetBits) // the largest static-block pod subnet [SBA]
	}
	if s.Pods.Source == modes.PodSubnet {
		c.Subnets = append(c.Subnets, capacity.Subnet{Name: "pods", Prefixes: []netip.Prefix{second}})
	}
	if w.dualStack && s.DualStack {
		// A dual-stack VNet: a ULA /48 beside the IPv4 range, the node
		// subnet's /64 from it; AKS's default IPv6 pod and service ranges.
		v6 := netip.MustParsePrefix("fd00:1::/48")
		c.DualStack, c.VNet = true, append(c.VNet, v6)
		c.Subnets[0].Prefixes = append(c.Subnets[0].Prefixes, netip.PrefixFrom(v6.Addr(), 64))
	}
	switch wide := []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10")}; s.Pods.Source {
	case modes.PodCIDR:
		c.PodCIDRs = wide
	case modes.CNIPool:
		c.CNIPool = wide
	}
	surge := capacity.SurgePercent(10)
	perPool := modes.MaxNodesPerPool // the largest pool that upgrades within the per-pool limit
	for perPool+surge.Nodes(perPool) > modes.MaxNodesPerPool {
		perPool--
	}
	pools := (w.nodes + perPool - 1) / perPool
	for i := range pools {
		n := w.nodes / pools
		if i < w.nodes%pools {
			n++
		}
		p := capacity.Pool{Name: fmt.Sprintf("pool%d", i+1), Count: n, MaxPods: w.pods, PodsPerNode: w.pods,
			NodeSubnet: "nodes", MaxSurge: surge}
		if s.Pods.Source == modes.PodSubnet {
			p.PodSubnet = "pods"
		}
		c.Pools = append(c.Pools, p)
	}
	return c
}

// fromCluster takes the workload of cluster c: its pools' nodes at their autoscaler max,
// the largest maxPods in force, its VNet's first IPv4 range, whether
// it runs Windows, and its policy engine. Fields c does not say keep w's.
func fromCluster(c capacity.Cluster, w workload) workload {
	s := c.Mode.Spec()
	w.nodes, w.pods = 0, 0
	for i, p := range c.Pools {
		w.nodes += p.AtMax()
		mp := p.MaxPods
		if mp == 0 {
			mp = s.MaxPods.Default
		}
		if mp > w.pods {
			w.pods, w.podsPool = mp, i
		}
		w.windows = w.windows || p.OS == modes.Windows
	}
	// The workload's VNet is the cluster's first IPv4 range: a dual-stack
	// VNet lists an IPv6 one too, in any order. A subnet does not stand in
	// for it: w.vnet is then invalid.
	w.vnet = netip.Prefix{}
	if i := slices.IndexFunc(c.VNet, func(p netip.Prefix) bool { return p.Addr().Is4() }); i >= 0 {
		w.vnet, w.vnetField = c.VNet[i], fmt.Sprintf("VNet[%d]", i)
	}
	w.policy, w.dualStack = c.Policy, w.dualStack || c.DualStack
	w.version = c.KubernetesVersion
	return w
}

// lastHalf returns the first address of the second half of p.
func lastHalf(p netip.Prefix) netip.Addr {
	b := p.Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += 1 << (31 - p.Bits())
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
