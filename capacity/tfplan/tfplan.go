package tfplan

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/aksjson"
	"github.com/ipcap/ipcap/modes"
)

// The AKS-managed VNet, for pools without vnet_subnet_id (as aksjson).
var (
	managedVNet   = netip.MustParsePrefix("10.224.0.0/12")
	managedSubnet = netip.MustParsePrefix("10.224.0.0/16")
)

// Cluster is one azurerm_kubernetes_cluster of a plan.
type Cluster struct {
	Address string // resource address, e.g. module.aks.azurerm_kubernetes_cluster.main
	Name    string // the name attribute; "" when it is not known before apply
	capacity.Cluster
}

// Read reads a `terraform show -json` plan and returns its AKS clusters in
// the plan's order, each with its resource address.
func Read(plan io.Reader) ([]Cluster, error) {
	cs, _, err := ReadWithSources(plan)
	return cs, err
}

// ReadWithSources is Read that also says where each field of each cluster
// was read: sources[i] names, for clusters[i], the resource address, the
// attribute and the value as the plan spells them
// (azurerm_kubernetes_cluster.aks default_node_pool[0].max_pods = 300,
// azurerm_subnet.nodes address_prefixes[0]). Its Explain tells the
// problems capacity.Cluster.Validate finds (and Analyze and Check return)
// in the plan's words. A Source's File is "": the caller knows the plan's
// file and may set it with capacity.Sources.InFile. Reading does not
// validate the clusters.
func ReadWithSources(plan io.Reader) (clusters []Cluster, sources []capacity.Sources, err error) {
	p, err := parse(plan)
	if err != nil {
		return nil, nil, err
	}
	var out []Cluster
	var srcs []capacity.Sources
	byAddr := map[string]*builder{}
	var builders []*builder
	for _, r := range p.resources {
		if r.typ != typeCluster || strings.HasPrefix(r.base, "data.") {
			continue
		}
		b := &builder{p: p, r: r, subnets: map[string]string{}, src: capacity.Sources{}}
		if err := b.cluster(); err != nil {
			return nil, nil, err
		}
		byAddr[r.addr] = b
		builders = append(builders, b)
	}
	for _, r := range p.resources {
		if r.typ != typePool || strings.HasPrefix(r.base, "data.") {
			continue
		}
		f := ref{from: r, attr: "kubernetes_cluster_id", typ: typeCluster}
		cr, err := p.resolve(f, r.values, "kubernetes_cluster_id", p.config(r))
		if err != nil {
			return nil, nil, err
		}
		if cr == nil {
			return nil, nil, f.fail(nil, "not set: a node pool needs the id of its azurerm_kubernetes_cluster")
		}
		b := byAddr[cr.addr]
		if b == nil {
			return nil, nil, f.fail(nil, "names %s, which the plan does not create or change: plan the node pool together with its cluster", cr.addr)
		}
		if err := b.pool(r, r.values, p.config(r), ""); err != nil {
			return nil, nil, err
		}
	}
	for _, b := range builders {
		if err := b.finish(); err != nil {
			return nil, nil, err
		}
		out = append(out, Cluster{Address: b.r.addr, Name: b.name, Cluster: b.c})
		srcs = append(srcs, b.src)
	}
	return out, srcs, nil
}

// ReadClusters reads a `terraform show -json` plan and returns its AKS
// clusters, one per azurerm_kubernetes_cluster in the plan's order (that of
// their addresses). Read also gives each cluster's address.
func ReadClusters(plan io.Reader) ([]capacity.Cluster, error) {
	cs, err := Read(plan)
	if err != nil {
		return nil, err
	}
	out := make([]capacity.Cluster, len(cs))
	for i := range cs {
		out[i] = cs[i].Cluster
	}
	return out, nil
}

// builder assembles one cluster.
type builder struct {
	p        *plan
	r        *resource
	name     string
	c        capacity.Cluster
	mode     modes.Mode        // the network profile's mode, before pod subnets
	subnets  map[string]string // Subnet name by resource address
	poolMode modes.Mode        // the mode the pools run, once a pool is read
	first    string            // the address and attribute of the pool that set poolMode
	src      capacity.Sources  // where each field of c was read
}

// from records that field was read from key of o, when o has a value
// there.
func (b *builder) from(field string, o obj, key string) {
	v := o.m[key]
	if v == nil {
		return
	}
	s := capacity.Source{Resource: o.addr, Path: o.at(key)}
	switch v.(type) {
	case []any, map[string]any:
	default:
		s.Value = show(v)
	}
	b.src[field] = s
}

// fromList records that field, a list of prefixes, was read from the
// list many of o, or from the single value one when many is empty.
func (b *builder) fromList(field string, o obj, one, many string) {
	list, _ := o.m[many].([]any)
	if len(list) == 0 {
		b.from(field, o, one)
		b.from(field+"[0]", o, one)
		return
	}
	b.from(field, o, many)
	for i, v := range list {
		b.src[fmt.Sprintf("%s[%d]", field, i)] = capacity.Source{Resource: o.addr, Path: fmt.Sprintf("%s[%d]", o.at(many), i), Value: show(v)}
	}
}

func (b *builder) cluster() error {
	v := b.r.values
	var err error
	if b.name, err = v.str("name"); err != nil {
		return err
	}
	if b.c.KubernetesVersion, err = v.str("kubernetes_version"); err != nil {
		return err
	}
	b.from("KubernetesVersion", v, "kubernetes_version")
	np, ok, err := v.block("network_profile")
	if err != nil {
		return err
	}
	if !ok {
		np = obj{addr: b.r.addr, path: "network_profile[0]"}
	}
	if err := b.network(np); err != nil {
		return err
	}
	cnp, _, err := b.p.config(b.r).block("network_profile")
	if err != nil {
		return err
	}
	if b.c.DualStack, err = dualStack(np, cnp); err != nil {
		return err
	}
	b.from("DualStack", np, "ip_versions")
	dp, ok, err := v.block("default_node_pool")
	if err != nil {
		return err
	}
	if !ok {
		return v.fail("default_node_pool", nil, "missing: a cluster needs its default node pool")
	}
	cfg := b.p.config(b.r)
	cdp, _, err := cfg.block("default_node_pool")
	if err != nil {
		return err
	}
	return b.pool(b.r, dp, cdp, "default_node_pool[0].")
}

func (b *builder) network(np obj) error {
	plugin, err := np.str("network_plugin")
	if err != nil {
		return err
	}
	pmode, err := np.str("network_plugin_mode")
	if err != nil {
		return err
	}
	dp, err := np.str("network_data_plane")
	if err != nil {
		return err
	}
	dpKey := "network_data_plane"
	ebpf, err := np.str("ebpf_data_plane") // azurerm v3's older name
	if err != nil {
		return err
	}
	if ebpf != "" {
		if dp != "" && !strings.EqualFold(dp, ebpf) {
			return np.fail("ebpf_data_plane", ebpf, "contradicts network_data_plane %q: set network_data_plane alone", dp)
		}
		dp, dpKey = ebpf, "ebpf_data_plane"
	}
	if b.mode, err = modes.FromAKS(plugin, pmode, dp, ""); err != nil {
		var fe *modes.FieldError
		if !errors.As(err, &fe) {
			return np.fail("network_plugin", plugin, "%v", err)
		}
		key := map[string]string{"networkPlugin": "network_plugin", "networkPluginMode": "network_plugin_mode", "networkDataplane": dpKey}[fe.Field]
		if key == "" {
			key = "network_plugin"
		}
		return np.fail(key, np.m[key], "%s", fe.Reason)
	}
	policy, err := np.str("network_policy")
	if err != nil {
		return err
	}
	if b.c.Policy, err = modes.ParsePolicy(policy); err != nil {
		return np.fail("network_policy", policy, `unknown policy engine (want "azure", "calico", "cilium" or none)`)
	}
	b.from("Policy", np, "network_policy")
	if b.c.PodCIDRs, err = cidrs(np, "pod_cidr", "pod_cidrs"); err != nil {
		return err
	}
	b.fromList("PodCIDRs", np, "pod_cidr", "pod_cidrs")
	if b.c.ServiceCIDRs, err = cidrs(np, "service_cidr", "service_cidrs"); err != nil {
		return err
	}
	b.fromList("ServiceCIDRs", np, "service_cidr", "service_cidrs")
	dns, err := np.str("dns_service_ip")
	if err != nil {
		return err
	}
	if dns != "" {
		if b.c.DNSServiceIP, err = netip.ParseAddr(dns); err != nil {
			return np.fail("dns_service_ip", dns, "not an IP address")
		}
		b.from("DNSServiceIP", np, "dns_service_ip")
	}
	return nil
}

const ipVersionsWant = `["IPv4"] (single-stack) or ["IPv4", "IPv6"] (dual-stack)`

// dualStack reads network_profile[0].ip_versions (np; cfg is its
// configuration block): ["IPv4", "IPv6"] in either order is dual-stack;
// ["IPv4"], [] and null are single-stack, AKS's default, which is also
// what an ip_versions unknown before apply becomes when the configuration
// does not set it (an optional and computed attribute left out). One the
// configuration sets but the plan does not know is an error, as are a
// name other than IPv4 and IPv6 (matched without regard to case, as
// Azure does), a name given twice and IPv6 alone, which azurerm refuses.
func dualStack(np, cfg obj) (bool, error) {
	const key = "ip_versions"
	if !np.has(key) && cfg.has(key) {
		return false, np.fail(key, nil, "not known before apply: ipcap needs to know whether the cluster is dual-stack; give ip_versions as constants")
	}
	list, err := np.strs(key)
	if err != nil {
		return false, err
	}
	var seen [2]int // 1 + index of IPv4, IPv6
	for i, v := range list {
		k := 0
		switch {
		case strings.EqualFold(v, "IPv4"):
		case strings.EqualFold(v, "IPv6"):
			k = 1
		default:
			return false, np.fail(fmt.Sprintf("%s[%d]", key, i), v, `want "IPv4" or "IPv6"`)
		}
		if seen[k] != 0 {
			return false, np.fail(fmt.Sprintf("%s[%d]", key, i), v, "the IP version is listed twice (at %s[%d] too): want %s", key, seen[k]-1, ipVersionsWant)
		}
		seen[k] = i + 1
	}
	if seen[1] != 0 && seen[0] == 0 {
		return false, np.fail(key, np.m[key], "AKS has no IPv6 single-stack clusters: want %s", ipVersionsWant)
	}
	return seen[1] != 0, nil
}

// cidrs reads the plural list, or the singular attribute when the list is
// empty; both are checked. IPv4 and IPv6 ranges are kept, in the plan's
// order.
func cidrs(o obj, one, many string) ([]netip.Prefix, error) {
	s, err := o.str(one)
	if err != nil {
		return nil, err
	}
	list, err := o.strs(many)
	if err != nil {
		return nil, err
	}
	var ps []netip.Prefix
	for i, t := range list {
		p, err := netip.ParsePrefix(t)
		if err != nil {
			return nil, o.fail(fmt.Sprintf("%s[%d]", many, i), t, "not a CIDR such as 10.244.0.0/16")
		}
		ps = append(ps, p)
	}
	if s != "" {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, o.fail(one, s, "not a CIDR such as 10.244.0.0/16")
		}
		if len(ps) == 0 {
			ps = []netip.Prefix{p}
		}
	}
	var out []netip.Prefix
	for _, p := range ps {
		out = append(out, p.Masked())
	}
	return out, nil
}

// pool reads a node pool: the default_node_pool block (prefix
// "default_node_pool[0].") or an azurerm_kubernetes_cluster_node_pool.
func (b *builder) pool(r *resource, v, cfg obj, prefix string) error {
	var pool capacity.Pool
	var err error
	if pool.Name, err = v.str("name"); err != nil {
		return err
	}
	pool.Mode = capacity.PoolSystem // the default node pool is the cluster's system pool
	if prefix == "" {               // a separate node pool: default_node_pool has no os_type, mode or priority
		os, err := v.str("os_type")
		if err != nil {
			return err
		}
		if pool.OS, err = modes.ParseOS(os); err != nil {
			return v.fail("os_type", os, `want "Linux" or "Windows"`)
		}
		mode, err := v.str("mode")
		if err != nil {
			return err
		}
		if err := pool.Mode.UnmarshalText([]byte(mode)); err != nil {
			return v.fail("mode", mode, `want "System" or "User"`)
		}
		priority, err := v.str("priority")
		if err != nil {
			return err
		}
		switch {
		case strings.EqualFold(priority, "Spot"):
			pool.Spot = true
		case priority != "" && !strings.EqualFold(priority, "Regular"):
			return v.fail("priority", priority, `want "Regular" or "Spot"`)
		}
	}
	old, oldOK, err := v.flag("enable_auto_scaling") // azurerm v3
	if err != nil {
		return err
	}
	auto, newOK, err := v.flag("auto_scaling_enabled") // azurerm v4
	if err != nil {
		return err
	}
	if oldOK && newOK && old != auto {
		return v.fail("auto_scaling_enabled", auto, "contradicts enable_auto_scaling = %t: set auto_scaling_enabled alone", old)
	}
	auto = auto || old
	count, countOK, err := v.num("node_count")
	if err != nil {
		return err
	}
	minCount, _, err := v.num("min_count")
	if err != nil {
		return err
	}
	maxCount, maxOK, err := v.num("max_count")
	if err != nil {
		return err
	}
	switch {
	case auto && !maxOK:
		return v.fail("max_count", nil, "not set or not known before apply: with autoscaling on, ipcap plans for max_count, as AKS does")
	case auto && maxCount < minCount:
		return v.fail("max_count", maxCount, "less than min_count %d", minCount)
	case auto && maxCount == 0: // capacity reads a max count of 0 as no autoscaler
		return v.fail("max_count", maxCount, "with autoscaling on, want a max count of 1 or more")
	case auto:
		pool.MinCount, pool.MaxCount = minCount, maxCount
		pool.Count = minCount // azurerm starts an autoscaled pool at min_count when node_count is not set
		if countOK {
			pool.Count = count
		}
	case !countOK:
		return v.fail("node_count", nil, "not set or not known before apply: set node_count, or turn autoscaling on with max_count")
	default:
		pool.Count = count
	}
	var maxPodsOK bool
	if pool.MaxPods, maxPodsOK, err = v.num("max_pods"); err != nil {
		return err
	}
	if maxPodsOK && pool.MaxPods == 0 { // capacity reads a maxPods of 0 as the mode's default
		return v.fail("max_pods", 0, "want the pods a node runs, 10 or more")
	}
	us, ok, err := v.block("upgrade_settings")
	if err != nil {
		return err
	}
	if ok {
		s, err := us.str("max_surge")
		if err != nil {
			return err
		}
		if pool.MaxSurge, err = capacity.ParseSurge(s); err != nil {
			return us.fail("max_surge", s, `want a node count such as "1" or a percentage such as "33%%"`)
		}
		u, err := us.str("max_unavailable") // azurerm 4.x
		if err != nil {
			return err
		}
		if pool.MaxUnavailable, err = capacity.ParseSurge(u); err != nil {
			return us.fail("max_unavailable", u, `want a node count such as "1" or a percentage such as "10%%"`)
		}
	}
	node, err := b.p.resolve(ref{from: r, attr: prefix + "vnet_subnet_id", typ: typeSubnet}, v, "vnet_subnet_id", cfg)
	if err != nil {
		return err
	}
	pod, err := b.p.resolve(ref{from: r, attr: prefix + "pod_subnet_id", typ: typeSubnet}, v, "pod_subnet_id", cfg)
	if err != nil {
		return err
	}
	if node == nil {
		pool.NodeSubnet = b.addManaged()
	} else if pool.NodeSubnet, err = b.addSubnet(node); err != nil {
		return err
	}
	if pod != nil {
		if pool.PodSubnet, err = b.addSubnet(pod); err != nil {
			return err
		}
	}
	// A pod subnet is set per pool; capacity models one mode per cluster.
	m := b.mode.WithPodSubnet(pod != nil)
	where := r.addr
	if prefix != "" {
		where += " " + strings.TrimSuffix(prefix, ".")
	}
	if b.first == "" {
		b.poolMode, b.first = m, where
	} else if m != b.poolMode {
		return &Error{Address: r.addr, Attribute: prefix + "pod_subnet_id", Msg: fmt.Sprintf(
			"pool %s runs %v but %s runs %v: ipcap models one allocation mode per cluster", pool.Name, m, b.first, b.poolMode)}
	}
	f := fmt.Sprintf("Pools[%d]", len(b.c.Pools))
	b.c.Pools = append(b.c.Pools, pool)
	b.src[f] = capacity.Source{Resource: v.addr, Path: v.path}
	for _, a := range []struct{ field, key string }{
		{".Name", "name"}, {".OS", "os_type"}, {".Mode", "mode"}, {".Spot", "priority"},
		{".MinCount", "min_count"}, {".MaxCount", "max_count"}, {".MaxPods", "max_pods"},
		{".NodeSubnet", "vnet_subnet_id"}, {".PodSubnet", "pod_subnet_id"},
	} {
		b.from(f+a.field, v, a.key)
	}
	if !auto {
		delete(b.src, f+".MinCount")
		delete(b.src, f+".MaxCount")
	}
	if countOK {
		b.from(f+".Count", v, "node_count")
	} else {
		b.from(f+".Count", v, "min_count") // azurerm starts the pool at min_count
	}
	if ok {
		b.from(f+".MaxSurge", us, "max_surge")
		b.from(f+".MaxUnavailable", us, "max_unavailable")
	}
	return nil
}

func (b *builder) addManaged() string {
	const key = "(aks-managed)"
	if name, ok := b.subnets[key]; ok {
		return name
	}
	b.subnets[key] = aksjson.ManagedSubnet
	b.c.Subnets = append(b.c.Subnets, capacity.Subnet{Name: aksjson.ManagedSubnet, Prefixes: []netip.Prefix{managedSubnet}})
	b.addVNet(managedVNet)
	return aksjson.ManagedSubnet
}

// addVNet adds p to the VNet's address space and returns its index, or −1
// when the space holds it already.
func (b *builder) addVNet(p netip.Prefix) int {
	if slices.Contains(b.c.VNet, p) {
		return -1
	}
	b.c.VNet = append(b.c.VNet, p)
	return len(b.c.VNet) - 1
}

// addSubnet adds subnet resource r to the cluster and returns its Subnet
// name: its name attribute, prefixed with the VNet's name when another VNet
// has a subnet of that name.
func (b *builder) addSubnet(r *resource) (string, error) {
	if name, ok := b.subnets[r.addr]; ok {
		return name, nil
	}
	v := r.values
	name, err := v.str("name")
	if err != nil {
		return "", err
	}
	if name == "" {
		name = r.addr
	}
	list, err := v.strs("address_prefixes")
	if err != nil {
		return "", err
	}
	key := "address_prefixes"
	one, err := v.str("address_prefix") // data sources and older providers
	if err != nil {
		return "", err
	}
	if len(list) == 0 && one != "" {
		list, key = []string{one}, "address_prefix"
	}
	switch l, known := v.m["address_prefixes"].([]any); {
	case len(list) > 0:
	case known && len(l) == 0:
		return "", v.fail("address_prefixes", l, "empty: a subnet needs at least one prefix")
	default:
		return "", v.fail("address_prefixes", v.m["address_prefixes"], "not known before apply: ipcap needs the subnet's prefixes; give them as constants")
	}
	s := capacity.Subnet{Name: name}
	for i, t := range list {
		p, err := netip.ParsePrefix(t)
		if err != nil {
			at := key
			if key == "address_prefixes" {
				at = fmt.Sprintf("%s[%d]", key, i)
			}
			return "", v.fail(at, t, "not a CIDR such as 10.10.0.0/22")
		}
		s.Prefixes = append(s.Prefixes, p.Masked()) // IPv4 and IPv6 alike, in order
	}
	vnetName, err := v.str("virtual_network_name")
	if err != nil {
		return "", err
	}
	for _, o := range b.c.Subnets {
		if o.Name == s.Name {
			s.Name = vnetName + "/" + s.Name
		}
	}
	b.subnets[r.addr] = s.Name
	f := fmt.Sprintf("Subnets[%d]", len(b.c.Subnets))
	b.c.Subnets = append(b.c.Subnets, s)
	b.src[f] = capacity.Source{Resource: v.addr, Path: v.path}
	b.from(f+".Name", v, "name")
	if key == "address_prefix" {
		b.fromList(f+".Prefixes", v, "address_prefix", "")
	} else {
		b.fromList(f+".Prefixes", v, "", "address_prefixes")
	}
	vnet, err := b.vnetOf(r, vnetName)
	if err != nil {
		return "", err
	}
	if vnet != nil {
		space, err := vnet.values.strs("address_space")
		if err != nil {
			return "", err
		}
		for i, t := range space {
			p, err := netip.ParsePrefix(t)
			if err != nil {
				return "", vnet.values.fail(fmt.Sprintf("address_space[%d]", i), t, "not a CIDR such as 10.10.0.0/16")
			}
			if k := b.addVNet(p.Masked()); k >= 0 {
				at := fmt.Sprintf("address_space[%d]", i)
				b.src[fmt.Sprintf("VNet[%d]", k)] = capacity.Source{Resource: vnet.values.addr, Path: vnet.values.at(at), Value: show(t)}
			}
		}
	}
	return s.Name, nil
}

// vnetOf finds the azurerm_virtual_network (resource or data source) of
// subnet r: by name and resource group, or through the configuration when
// the name is not known. nil when the plan does not have it: the VNet then
// defaults to the subnets' prefixes.
func (b *builder) vnetOf(r *resource, name string) (*resource, error) {
	if name == "" {
		f := ref{from: r, attr: "virtual_network_name", typ: typeVNet}
		ex, ok, err := b.p.config(r).object("virtual_network_name")
		if err != nil || !ok {
			return nil, err
		}
		v, found, err := b.p.follow(f, r.module, ex, 0, "")
		if err != nil || !found {
			return nil, err
		}
		return v, nil
	}
	rg, err := r.values.str("resource_group_name")
	if err != nil {
		return nil, err
	}
	for _, list := range [][]*resource{b.p.resources, b.p.prior} {
		for _, q := range list {
			if q.typ != typeVNet {
				continue
			}
			n, _ := q.values.m["name"].(string)
			g, _ := q.values.m["resource_group_name"].(string)
			if strings.EqualFold(n, name) && (rg == "" || g == "" || strings.EqualFold(g, rg)) {
				return b.p.fresh(q), nil
			}
		}
	}
	return nil, nil
}

func (b *builder) finish() error {
	b.c.Mode = b.poolMode
	return nil
}
