package tfplan_test

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/tfplan"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pfx(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func surge(t *testing.T, s string) capacity.Surge {
	t.Helper()
	v, err := capacity.ParseSurge(s)
	require.NoError(t, err)
	return v
}

// readFile reads a plan of testdata, and checks that Validate and Analyze
// take every cluster of it.
func readFile(t *testing.T, name string) []tfplan.Cluster {
	t.Helper()
	cs := readOnly(t, name)
	for _, c := range cs {
		require.NoError(t, c.Validate(), c.Address)
		_, err := capacity.Analyze(c.Cluster)
		require.NoError(t, err, c.Address)
	}
	return cs
}

// readOnly reads a plan of testdata.
func readOnly(t *testing.T, name string) []tfplan.Cluster {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	cs, err := tfplan.Read(f)
	require.NoError(t, err)
	return cs
}

// The two example plans describe the same cluster, once with azurerm v3
// attribute names (enable_auto_scaling) and once with v4's
// (auto_scaling_enabled, network_data_plane).
func TestExamplePlans(t *testing.T) {
	for _, name := range []string{"example-plan-azurerm-v3.117.1.json", "example-plan-azurerm-v4.81.0.json"} {
		t.Run(name, func(t *testing.T) {
			cs := readFile(t, name)
			want := []tfplan.Cluster{{
				Address: "azurerm_kubernetes_cluster.aks", // planned_values resource address
				Name:    "aks-demo",                       // .values.name
				Cluster: capacity.Cluster{
					// network_profile[0].network_plugin "azure", no plugin mode, no pod
					// subnet on any pool (pod_subnet_id null): Azure CNI, node subnet.
					Mode: modes.AzureCNI,
					// azurerm_virtual_network.vnet address_space; the subnet's
					// virtual_network_name "vnet-aks-demo" is that VNet's name.
					VNet: pfx("10.10.0.0/16"),
					// azurerm_subnet.nodes: name "snet-aks-nodes", address_prefixes
					// ["10.10.0.0/22"]; both pools' vnet_subnet_id is unknown and
					// configuration references azurerm_subnet.nodes.id.
					Subnets: []capacity.Subnet{{Name: "snet-aks-nodes", Prefixes: pfx("10.10.0.0/22")}},
					// pod_cidr(s) unknown (after_unknown): the mode's default.
					PodCIDRs:     nil,
					ServiceCIDRs: pfx("172.16.0.0/16"),               // network_profile[0].service_cidr
					DNSServiceIP: netip.MustParseAddr("172.16.0.10"), // network_profile[0].dns_service_ip
					Policy:       modes.PolicyAzure,                  // network_profile[0].network_policy
					Pools: []capacity.Pool{{
						// default_node_pool[0]: name "system", node_count 3, autoscaling
						// null, max_pods 30, upgrade_settings[0].max_surge "33%".
						Name: "system", OS: modes.Linux, Count: 3, MaxPods: 30,
						MaxSurge: surge(t, "33%"), NodeSubnet: "snet-aks-nodes",
						Mode: capacity.PoolSystem, // the default node pool
					}, {
						// azurerm_kubernetes_cluster_node_pool.user (kubernetes_cluster_id
						// references azurerm_kubernetes_cluster.aks): os_type Linux,
						// autoscaling true, min_count 2, max_count 10, node_count unknown
						// (so min_count), max_pods 50, max_surge "10%".
						Name: "user", OS: modes.Linux, Count: 2, MinCount: 2, MaxCount: 10, MaxPods: 50,
						MaxSurge: surge(t, "10%"), NodeSubnet: "snet-aks-nodes",
					}},
				},
			}}
			assert.Equal(t, want, cs)
		})
	}
}

// A plan whose cluster, node pools and subnets live in two modules: the
// subnet IDs pass through module outputs and input variables, the pod
// subnets and the extra node pools use for_each with the same keys, and
// the system pool's pod subnet is a map lookup (module.net.pod_subnet_ids["a"]).
func TestModulesForEach(t *testing.T) {
	cs := readFile(t, "modules-for-each.json")
	want := []tfplan.Cluster{{
		Address: "module.aks.azurerm_kubernetes_cluster.this",
		Name:    "aks-mod",
		Cluster: capacity.Cluster{
			// network_plugin azure, network_data_plane cilium, pods in pod subnets.
			Mode: modes.CiliumPodSubnet,
			VNet: pfx("10.20.0.0/16"), // module.net.azurerm_virtual_network.this
			Subnets: []capacity.Subnet{
				{Name: "snet-nodes", Prefixes: pfx("10.20.0.0/22")},   // module.net.azurerm_subnet.nodes
				{Name: "snet-pods-a", Prefixes: pfx("10.20.16.0/20")}, // module.net.azurerm_subnet.pods["a"]
				{Name: "snet-pods-b", Prefixes: pfx("10.20.32.0/20")}, // module.net.azurerm_subnet.pods["b"]
			},
			ServiceCIDRs: pfx("10.30.0.0/16"),
			DNSServiceIP: netip.MustParseAddr("10.30.0.10"),
			Policy:       modes.PolicyCilium,
			Pools: []capacity.Pool{
				// default pool: node_count 2, max_surge "1", max_pods not set.
				{Name: "system", Count: 2, MaxSurge: surge(t, "1"), NodeSubnet: "snet-nodes", PodSubnet: "snet-pods-a", Mode: capacity.PoolSystem},
				// user["a"]: autoscaled 1..20 without node_count, max_pods 110, 50%.
				{Name: "usera", Count: 1, MinCount: 1, MaxCount: 20, MaxPods: 110, MaxSurge: surge(t, "50%"), NodeSubnet: "snet-nodes", PodSubnet: "snet-pods-a"},
				// user["b"]: node_count 5, max_pods 60, upgrade_settings empty.
				{Name: "userb", Count: 5, MaxPods: 60, NodeSubnet: "snet-nodes", PodSubnet: "snet-pods-b"},
			},
		},
	}}
	assert.Equal(t, want, cs)
}

// Subnet and cluster IDs that are known at plan time are matched to the
// resources of prior_state and planned_values with that id: here a data
// source subnet and an existing cluster, with azurerm v3 names. Its
// pod_cidrs holds an IPv6 range, but the plan has no ip_versions (nor does
// the configuration set one): the range is kept, the cluster is
// single-stack, and Validate says so.
func TestExistingSubnetByID(t *testing.T) {
	cs := readOnly(t, "existing-subnet.json")
	want := []tfplan.Cluster{{
		Address: "azurerm_kubernetes_cluster.old",
		Name:    "aks-old",
		Cluster: capacity.Cluster{
			Mode:         modes.Kubenet,
			VNet:         pfx("10.40.0.0/16", "10.41.0.0/16"), // data.azurerm_virtual_network.old
			Subnets:      []capacity.Subnet{{Name: "snet-old", Prefixes: pfx("10.40.0.0/24")}},
			PodCIDRs:     pfx("10.244.0.0/16", "fd00:10:244::/64"), // pod_cidrs, both ranges
			ServiceCIDRs: pfx("10.0.0.0/16"),
			DNSServiceIP: netip.MustParseAddr("10.0.0.10"),
			Policy:       modes.PolicyCalico,
			Pools: []capacity.Pool{
				{Name: "system", Count: 3, MaxPods: 110, NodeSubnet: "snet-old", Mode: capacity.PoolSystem},
				// enable_auto_scaling true, node_count 1, min 0, max 8.
				{Name: "batch", Count: 1, MaxCount: 8, MaxSurge: surge(t, "2"), NodeSubnet: "snet-old"},
			},
		},
	}}
	assert.Equal(t, want, cs)
	var ve *capacity.ValidationError
	require.ErrorAs(t, cs[0].Validate(), &ve)
	require.Len(t, ve.Problems, 1)
	assert.Equal(t, "PodCIDRs[1]", ve.Problems[0].Field)
	assert.Contains(t, ve.Problems[0].Message, "single-stack")
}

// A dual-stack Azure CNI Overlay cluster: ip_versions IPv4 and IPv6, an
// IPv6 range in pod_cidrs and service_cidrs, an IPv6 /64 in the subnet's
// address_prefixes and a /48 in the VNet's address_space (the v4 example
// plan, so edited).
func TestDualStackPlan(t *testing.T) {
	cs := readFile(t, "dualstack-plan.json")
	want := []tfplan.Cluster{{
		Address: "azurerm_kubernetes_cluster.aks",
		Name:    "aks-dualstack",
		Cluster: capacity.Cluster{
			Mode:         modes.AzureCNIOverlay,
			DualStack:    true,
			VNet:         pfx("10.10.0.0/16", "fd00:1::/48"),
			Subnets:      []capacity.Subnet{{Name: "snet-aks-nodes", Prefixes: pfx("10.10.0.0/22", "fd00:1::/64")}},
			PodCIDRs:     pfx("10.244.0.0/16", "fd12:3456:789a::/64"),
			ServiceCIDRs: pfx("172.16.0.0/16", "fd12:3456:789a:1::/108"),
			DNSServiceIP: netip.MustParseAddr("172.16.0.10"),
			Pools: []capacity.Pool{
				{Name: "system", OS: modes.Linux, Count: 3, MaxPods: 30, MaxSurge: surge(t, "33%"), NodeSubnet: "snet-aks-nodes", Mode: capacity.PoolSystem},
				{Name: "user", OS: modes.Linux, Count: 2, MinCount: 2, MaxCount: 10, MaxPods: 50, MaxSurge: surge(t, "10%"), NodeSubnet: "snet-aks-nodes"},
			},
		},
	}}
	assert.Equal(t, want, cs)

	// Without planned_values, from resource_changes: the same.
	p := load(t, "dualstack-plan.json")
	delete(p, "planned_values")
	got, err := p.read(t)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// ip_versions decides DualStack; the ranges are read alike whatever it
// says.
func TestIPVersions(t *testing.T) {
	const cluster = "azurerm_kubernetes_cluster.aks"
	for _, tt := range []struct {
		name      string
		edit      func(t *testing.T, p plan)
		dualStack bool
	}{
		{"IPv4 and IPv6", func(t *testing.T, p plan) {}, true},
		{"IPv6 first", func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = []any{"IPv6", "IPv4"}
		}, true},
		{"IPv4", func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = []any{"IPv4"}
		}, false},
		{"empty: azurerm sends none, AKS's default", func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = []any{}
		}, false},
		{"null", func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = nil
		}, false},
		{"unknown and not configured", func(t *testing.T, p plan) {
			delete(block(p.values(t, cluster), "network_profile"), "ip_versions")
			delete(p.config(t, cluster)["network_profile"].([]any)[0].(map[string]any), "ip_versions")
		}, false},
		{"unknown, no configuration at all", func(t *testing.T, p plan) {
			delete(block(p.values(t, cluster), "network_profile"), "ip_versions")
			delete(p, "configuration")
			delete(p, "resource_changes")
			// the subnet IDs must be known without a configuration
			id := "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-aks-demo/subnets/snet-aks-nodes"
			p.values(t, "azurerm_subnet.nodes")["id"] = id
			block(p.values(t, cluster), "default_node_pool")["vnet_subnet_id"] = id
			p.values(t, "azurerm_kubernetes_cluster_node_pool.user")["vnet_subnet_id"] = id
			p.values(t, cluster)["id"] = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-dualstack"
			p.values(t, "azurerm_kubernetes_cluster_node_pool.user")["kubernetes_cluster_id"] = p.values(t, cluster)["id"]
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, "dualstack-plan.json")
			tt.edit(t, p)
			cs, err := p.read(t)
			require.NoError(t, err)
			require.Len(t, cs, 1)
			c := cs[0].Cluster
			assert.Equal(t, tt.dualStack, c.DualStack)
			assert.Equal(t, pfx("10.244.0.0/16", "fd12:3456:789a::/64"), c.PodCIDRs)
			assert.Equal(t, pfx("172.16.0.0/16", "fd12:3456:789a:1::/108"), c.ServiceCIDRs)
			assert.Equal(t, pfx("10.10.0.0/22", "fd00:1::/64"), c.Subnets[0].Prefixes)
			assert.Equal(t, pfx("10.10.0.0/16", "fd00:1::/48"), c.VNet)
			if !tt.dualStack {
				var ve *capacity.ValidationError
				require.ErrorAs(t, c.Validate(), &ve)
				assert.Equal(t, []string{"PodCIDRs[1]", "ServiceCIDRs[1]"}, ve.Fields())
			}
		})
	}

	// A single-stack cluster whose subnet and VNet hold IPv6 prefixes
	// keeps them, and is valid.
	p := load(t, "example-plan-azurerm-v4.81.0.json")
	p.values(t, "azurerm_subnet.nodes")["address_prefixes"] = []any{"fd00:1::/64", "10.10.0.0/22"}
	p.values(t, "azurerm_virtual_network.vnet")["address_space"] = []any{"10.10.0.0/16", "fd00:1::/48"}
	cs, err := p.read(t)
	require.NoError(t, err)
	c := cs[0].Cluster
	assert.False(t, c.DualStack)
	assert.Equal(t, pfx("fd00:1::/64", "10.10.0.0/22"), c.Subnets[0].Prefixes)
	assert.Equal(t, pfx("10.10.0.0/16", "fd00:1::/48"), c.VNet)
	require.NoError(t, c.Validate())
	_, err = capacity.Analyze(c)
	require.NoError(t, err)
}

// plan is a decoded plan that tests edit.
type plan map[string]any

func load(t *testing.T, name string) plan {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var p plan
	require.NoError(t, dec.Decode(&p))
	return p
}

// values returns the planned values of the resource at addr.
func (p plan) values(t *testing.T, addr string) map[string]any {
	t.Helper()
	var find func(mod map[string]any) map[string]any
	find = func(mod map[string]any) map[string]any {
		rs, _ := mod["resources"].([]any)
		for _, r := range rs {
			if r := r.(map[string]any); r["address"] == addr {
				return r["values"].(map[string]any)
			}
		}
		cs, _ := mod["child_modules"].([]any)
		for _, c := range cs {
			if v := find(c.(map[string]any)); v != nil {
				return v
			}
		}
		return nil
	}
	v := find(p["planned_values"].(map[string]any)["root_module"].(map[string]any))
	require.NotNil(t, v, addr)
	return v
}

// config returns the configuration expressions of the root module
// resource at addr.
func (p plan) config(t *testing.T, addr string) map[string]any {
	t.Helper()
	rs := p["configuration"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any)
	for _, r := range rs {
		if r := r.(map[string]any); r["address"] == addr {
			return r["expressions"].(map[string]any)
		}
	}
	require.Fail(t, "no configuration", addr)
	return nil
}

func block(m map[string]any, key string) map[string]any {
	return m[key].([]any)[0].(map[string]any)
}

func (p plan) read(t *testing.T) ([]tfplan.Cluster, error) {
	t.Helper()
	data, err := json.Marshal(p)
	require.NoError(t, err)
	return tfplan.Read(bytes.NewReader(data))
}

// goNames are what a Go decoding error says and a user should never see.
var goNames = regexp.MustCompile(`\w+Doc\b|struct \{|Go struct field|Go value|json: cannot unmarshal|map\[string\]|interface \{|\[\]any`)

func TestErrors(t *testing.T) {
	const v3, v4, ds = "example-plan-azurerm-v3.117.1.json", "example-plan-azurerm-v4.81.0.json", "dualstack-plan.json"
	const cluster, pool = "azurerm_kubernetes_cluster.aks", "azurerm_kubernetes_cluster_node_pool.user"
	tests := []struct {
		name, file string
		edit       func(t *testing.T, p plan)
		want       []string // substrings of the error, in order
	}{
		{"subnet not in the plan", v3, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "default_node_pool")["vnet_subnet_id"] = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/gone"
		}, []string{cluster, "default_node_pool[0].vnet_subnet_id", `"/subscriptions/x/`, "not in the plan", `data "azurerm_subnet"`}},
		{"subnet reference to a resource not in the plan", v4, func(t *testing.T, p plan) {
			cfg := p["configuration"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any)[1].(map[string]any)
			cfg["expressions"].(map[string]any)["vnet_subnet_id"] = map[string]any{"references": []any{"azurerm_subnet.other.id", "azurerm_subnet.other"}}
		}, []string{pool, "vnet_subnet_id", "azurerm_subnet.other", "does not lead to a azurerm_subnet"}},
		{"bad max_surge", v3, func(t *testing.T, p plan) {
			block(p.values(t, pool), "upgrade_settings")["max_surge"] = "lots"
		}, []string{pool, "upgrade_settings[0].max_surge", `"lots"`, `"33%"`}},
		{"max_surge percentage over 100", v4, func(t *testing.T, p plan) {
			block(block(p.values(t, cluster), "default_node_pool"), "upgrade_settings")["max_surge"] = "150%"
		}, []string{cluster, "default_node_pool[0].upgrade_settings[0].max_surge", `"150%"`}},
		{"wrong JSON type for max_pods", v3, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "default_node_pool")["max_pods"] = "30"
		}, []string{cluster, "default_node_pool[0].max_pods", `"30"`, "a string where a whole number belongs"}},
		{"autoscaling with max_count 0", v4, func(t *testing.T, p plan) {
			v := p.values(t, pool)
			v["min_count"], v["max_count"] = json.Number("0"), json.Number("0")
		}, []string{pool, "max_count", "with autoscaling on, want a max count of 1 or more"}},
		{"max_pods 0, not the mode's default", v3, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "default_node_pool")["max_pods"] = json.Number("0")
		}, []string{cluster, "default_node_pool[0].max_pods", "0", "want the pods a node runs, 10 or more"}},
		{"fractional node_count", v4, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "default_node_pool")["node_count"] = json.Number("2.5")
		}, []string{cluster, "default_node_pool[0].node_count", "2.5", "whole number"}},
		{"wrong JSON type for address_prefixes", v4, func(t *testing.T, p plan) {
			p.values(t, "azurerm_subnet.nodes")["address_prefixes"] = "10.10.0.0/22"
		}, []string{"azurerm_subnet.nodes", "address_prefixes", "a string where a list of strings belongs"}},
		{"empty address_prefixes: known, not unknown", v4, func(t *testing.T, p plan) {
			p.values(t, "azurerm_subnet.nodes")["address_prefixes"] = []any{}
		}, []string{"azurerm_subnet.nodes", "address_prefixes", "[]", "empty: a subnet needs at least one prefix"}},
		{"address_prefixes unknown until apply", v4, func(t *testing.T, p plan) {
			delete(p.values(t, "azurerm_subnet.nodes"), "address_prefixes")
		}, []string{"azurerm_subnet.nodes", "address_prefixes", "not known before apply"}},
		{"bad subnet prefix", v3, func(t *testing.T, p plan) {
			p.values(t, "azurerm_subnet.nodes")["address_prefixes"] = []any{"10.10.0.0/33"}
		}, []string{"azurerm_subnet.nodes", "address_prefixes[0]", "10.10.0.0/33", "not a CIDR"}},
		{"bad pod_cidr beside a good pod_cidrs", v4, func(t *testing.T, p plan) {
			np := block(p.values(t, cluster), "network_profile")
			np["network_plugin_mode"] = "overlay"
			np["pod_cidrs"] = []any{"10.244.0.0/16"}
			np["pod_cidr"] = "10.244.0.0"
		}, []string{cluster, "network_profile[0].pod_cidr", `"10.244.0.0"`, "not a CIDR"}},
		{"bad dns_service_ip", v3, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["dns_service_ip"] = "172.16.0.300"
		}, []string{cluster, "network_profile[0].dns_service_ip", "not an IP address"}},
		{"unknown network plugin", v4, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["network_plugin"] = "flannel"
		}, []string{cluster, "network_profile[0].network_plugin", `"flannel"`, "unknown network plugin"}},
		{"old and new autoscaling names disagree", v4, func(t *testing.T, p plan) {
			p.values(t, pool)["enable_auto_scaling"] = false
		}, []string{pool, "auto_scaling_enabled", "contradicts enable_auto_scaling"}},
		{"autoscaling without max_count", v3, func(t *testing.T, p plan) {
			p.values(t, pool)["max_count"] = nil
		}, []string{pool, "max_count", "autoscaling"}},
		{"v3 pool without autoscaling and unknown node_count", v3, func(t *testing.T, p plan) {
			p.values(t, pool)["enable_auto_scaling"] = false
		}, []string{pool, "node_count", "not known before apply"}},
		{"v4 pool without autoscaling and unknown node_count", v4, func(t *testing.T, p plan) {
			p.values(t, pool)["auto_scaling_enabled"] = nil
		}, []string{pool, "node_count", "not known before apply"}},
		{"cluster ID not in the plan", v3, func(t *testing.T, p plan) {
			p.values(t, pool)["kubernetes_cluster_id"] = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/other"
		}, []string{pool, "kubernetes_cluster_id", "no azurerm_kubernetes_cluster in the plan has this id"}},
		{"wrong OS", v4, func(t *testing.T, p plan) {
			p.values(t, pool)["os_type"] = "Plan9"
		}, []string{pool, "os_type", `"Plan9"`, "Linux"}},
		{"two default node pools", v3, func(t *testing.T, p plan) {
			v := p.values(t, cluster)
			v["default_node_pool"] = append(v["default_node_pool"].([]any), v["default_node_pool"].([]any)[0])
		}, []string{cluster, "default_node_pool", "2 blocks"}},
		{"ambiguous for_each subnet", "modules-for-each.json", func(t *testing.T, p plan) {
			// The system pool's pod subnet without the ["a"] lookup: two instances.
			calls := p["configuration"].(map[string]any)["root_module"].(map[string]any)["module_calls"].(map[string]any)
			calls["aks"].(map[string]any)["expressions"].(map[string]any)["system_pod_subnet_id"] = map[string]any{"references": []any{"module.net.pod_subnet_ids", "module.net"}}
		}, []string{"module.aks.azurerm_kubernetes_cluster.this", "default_node_pool[0].pod_subnet_id", "module.net.azurerm_subnet.pods", "2 instances", `module.net.azurerm_subnet.pods["a"]`}},
		{"unknown subnet ID without configuration", v3, func(t *testing.T, p plan) {
			delete(p, "configuration")
		}, []string{cluster, "default_node_pool[0].vnet_subnet_id", "not known before apply", "no configuration"}},
		{"pool without kubernetes_cluster_id", v4, func(t *testing.T, p plan) {
			p.values(t, pool)["kubernetes_cluster_id"] = nil
		}, []string{pool, "kubernetes_cluster_id", "not set"}},
		{"values not an object", v3, func(t *testing.T, p plan) {
			rs := p["planned_values"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any)
			rs[2].(map[string]any)["values"] = []any{1}
		}, []string{"azurerm_subnet.nodes", "values", "a list where an object of attributes belongs"}},
		{"ip_versions IPv6 alone", ds, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = []any{"IPv6"}
		}, []string{cluster, `network_profile[0].ip_versions = ["IPv6"]`, "no IPv6 single-stack", `want ["IPv4"] (single-stack) or ["IPv4", "IPv6"] (dual-stack)`}},
		{"ip_versions unknown name", ds, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = []any{"IPv4", "IPv5"}
		}, []string{cluster, `network_profile[0].ip_versions[1] = "IPv5"`, `want "IPv4" or "IPv6"`}},
		{"ip_versions twice", ds, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = []any{"IPv4", "IPv6", "IPv6"}
		}, []string{cluster, `network_profile[0].ip_versions[2] = "IPv6"`, "listed twice (at ip_versions[1] too)"}},
		{"ip_versions a string", ds, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = "IPv4"
		}, []string{cluster, `network_profile[0].ip_versions = "IPv4"`, "a string where a list of strings belongs"}},
		{"ip_versions element unknown", ds, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["ip_versions"] = []any{"IPv4", nil}
		}, []string{cluster, `network_profile[0].ip_versions[1]`, "null where a string belongs"}},
		{"ip_versions configured but unknown", ds, func(t *testing.T, p plan) {
			delete(block(p.values(t, cluster), "network_profile"), "ip_versions")
			delete(p, "resource_changes")
		}, []string{cluster, "network_profile[0].ip_versions", "not known before apply", "dual-stack"}},
		{"bad IPv6 pod CIDR", ds, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["pod_cidrs"] = []any{"10.244.0.0/16", "fd12:3456:789a::/640"}
		}, []string{cluster, "network_profile[0].pod_cidrs[1]", `"fd12:3456:789a::/640"`, "not a CIDR"}},
		{"bad IPv6 service CIDR", ds, func(t *testing.T, p plan) {
			block(p.values(t, cluster), "network_profile")["service_cidrs"] = []any{"172.16.0.0/16", "fd12:3456:789a:1:/108"}
		}, []string{cluster, "network_profile[0].service_cidrs[1]", `"fd12:3456:789a:1:/108"`, "not a CIDR"}},
		{"bad IPv6 subnet prefix", ds, func(t *testing.T, p plan) {
			p.values(t, "azurerm_subnet.nodes")["address_prefixes"] = []any{"10.10.0.0/22", "fd00:1::64"}
		}, []string{"azurerm_subnet.nodes", "address_prefixes[1]", `"fd00:1::64"`, "not a CIDR"}},
		{"bad IPv6 VNet space", ds, func(t *testing.T, p plan) {
			p.values(t, "azurerm_virtual_network.vnet")["address_space"] = []any{"10.10.0.0/16", "fd00:1::/4800"}
		}, []string{"azurerm_virtual_network.vnet", "address_space[1]", `"fd00:1::/4800"`, "not a CIDR"}},
		{"resources not a list", v3, func(t *testing.T, p plan) {
			p["planned_values"].(map[string]any)["root_module"].(map[string]any)["resources"] = "none"
		}, []string{"planned_values.root_module.resources", "a string where a list of objects belongs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, tt.file)
			tt.edit(t, p)
			_, err := p.read(t)
			require.Error(t, err)
			msg := err.Error()
			assert.NotRegexp(t, goNames, msg)
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if !assert.True(t, i >= 0, "want %q in %q", w, msg) {
					return
				}
				rest = rest[i+len(w):]
			}
			var e *tfplan.Error
			assert.ErrorAs(t, err, &e)
		})
	}
}

func TestDocumentErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{``, "ends early"},
		{`{"format_version":`, "ends early"},
		{`{"a":1}x`, "trailing data"},
		{`[1,2]`, "a list, not an object"},
		{`{"format_version":"1.2","values":{}}`, "no planned_values"},
		{`{"format_version":"2.0","planned_values":{}}`, "format_version = \"2.0\""},
		{`{"format_version":1,"planned_values":{}}`, "format_version = 1: a number where a string belongs"},
		{`{"planned_values":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.x","type":"azurerm_kubernetes_cluster","name":"x","values":{"name":"x"}}]}}}`,
			"azurerm_kubernetes_cluster.x: default_node_pool: missing"},
		{`{nope}`, "not JSON at byte 2"},
	} {
		_, err := tfplan.ReadClusters(strings.NewReader(tt.in))
		if assert.Error(t, err, tt.in) {
			assert.Contains(t, err.Error(), tt.want, tt.in)
			assert.NotRegexp(t, goNames, err.Error())
		}
	}
	cs, err := tfplan.ReadClusters(strings.NewReader(`{"format_version":"1.2","planned_values":{"root_module":{}}}`))
	assert.NoError(t, err)
	assert.Empty(t, cs)
}

// A pool without vnet_subnet_id (null) uses the AKS-managed VNet, as
// aksjson reads it.
func TestManagedVNet(t *testing.T) {
	p := load(t, "example-plan-azurerm-v4.81.0.json")
	block(p.values(t, "azurerm_kubernetes_cluster.aks"), "default_node_pool")["vnet_subnet_id"] = nil
	p.values(t, "azurerm_kubernetes_cluster_node_pool.user")["vnet_subnet_id"] = nil
	cs, err := p.read(t)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	c := cs[0].Cluster
	assert.Equal(t, pfx("10.224.0.0/12"), c.VNet)
	assert.Equal(t, []capacity.Subnet{{Name: "aks-subnet", Prefixes: pfx("10.224.0.0/16")}}, c.Subnets)
	assert.Equal(t, "aks-subnet", c.Pools[0].NodeSubnet)
	assert.Equal(t, "aks-subnet", c.Pools[1].NodeSubnet)
	assert.NoError(t, c.Validate())
}

// Without planned_values the reader takes resource_changes[].change.after.
func TestResourceChangesOnly(t *testing.T) {
	p := load(t, "example-plan-azurerm-v3.117.1.json")
	want, err := p.read(t)
	require.NoError(t, err)
	delete(p, "planned_values")
	got, err := p.read(t)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// A known autoscaled node_count is kept; v4's name turned off reads a
// fixed pool.
func TestAutoscalingNames(t *testing.T) {
	p := load(t, "example-plan-azurerm-v4.81.0.json")
	v := p.values(t, "azurerm_kubernetes_cluster_node_pool.user")
	v["node_count"] = json.Number("4")
	cs, err := p.read(t)
	require.NoError(t, err)
	assert.Equal(t, capacity.Pool{Name: "user", Count: 4, MinCount: 2, MaxCount: 10, MaxPods: 50,
		MaxSurge: surge(t, "10%"), NodeSubnet: "snet-aks-nodes"}, cs[0].Pools[1])

	v["auto_scaling_enabled"] = false
	cs, err = p.read(t)
	require.NoError(t, err)
	assert.Equal(t, capacity.Pool{Name: "user", Count: 4, MaxPods: 50,
		MaxSurge: surge(t, "10%"), NodeSubnet: "snet-aks-nodes"}, cs[0].Pools[1])

	// v3's name on the cluster's default pool, autoscaled.
	p = load(t, "example-plan-azurerm-v3.117.1.json")
	dp := block(p.values(t, "azurerm_kubernetes_cluster.aks"), "default_node_pool")
	dp["enable_auto_scaling"], dp["min_count"], dp["max_count"] = true, json.Number("3"), json.Number("6")
	cs, err = p.read(t)
	require.NoError(t, err)
	assert.Equal(t, capacity.Pool{Name: "system", Mode: capacity.PoolSystem, Count: 3, MinCount: 3, MaxCount: 6, MaxPods: 30,
		MaxSurge: surge(t, "33%"), NodeSubnet: "snet-aks-nodes"}, cs[0].Pools[0])
}

// A node pool's mode, priority and max_unavailable, and the cluster's
// Kubernetes version, reach the Cluster: upgrades depend on them.
func TestUpgradeAttributes(t *testing.T) {
	p := load(t, "example-plan-azurerm-v4.81.0.json")
	p.values(t, "azurerm_kubernetes_cluster.aks")["kubernetes_version"] = "1.35.2"
	v := p.values(t, "azurerm_kubernetes_cluster_node_pool.user")
	v["mode"], v["priority"] = "User", "Spot"
	block(v, "upgrade_settings")["max_unavailable"] = "2"
	cs, err := p.read(t)
	require.NoError(t, err)
	assert.Equal(t, "1.35.2", cs[0].KubernetesVersion)
	user := cs[0].Pools[1]
	assert.Equal(t, [3]any{capacity.PoolUser, true, capacity.SurgeNodes(2)}, [3]any{user.Mode, user.Spot, user.MaxUnavailable})

	for attr, bad := range map[string]string{"mode": "Critical", "priority": "Low"} {
		p := load(t, "example-plan-azurerm-v4.81.0.json")
		p.values(t, "azurerm_kubernetes_cluster_node_pool.user")[attr] = bad
		_, err := p.read(t)
		require.Error(t, err, attr)
		assert.Contains(t, err.Error(), "azurerm_kubernetes_cluster_node_pool.user: "+attr+` = "`+bad+`"`)
	}
	block(v, "upgrade_settings")["max_unavailable"] = "-1"
	_, err = p.read(t)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "max_unavailable")
}

func FuzzReadClusters(f *testing.F) {
	for _, n := range []string{"example-plan-azurerm-v3.117.1.json", "example-plan-azurerm-v4.81.0.json", "modules-for-each.json", "existing-subnet.json", "dualstack-plan.json"} {
		data, err := os.ReadFile("testdata/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"planned_values":{"root_module":{"resources":[{"address":"a.b","type":"azurerm_kubernetes_cluster","name":"b","values":{"default_node_pool":[{"max_pods":"x"}]}}]}}}`))
	f.Add([]byte(`{"configuration":{"root_module":{"module_calls":{"m":{"module":{}}}}},"planned_values":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := tfplan.Read(bytes.NewReader(data))
		if err != nil {
			require.False(t, goNames.MatchString(err.Error()), "error names Go types: %v", err)
			return
		}
		for _, c := range cs {
			_ = c.Validate() // must not panic
		}
	})
}

// A resource in a module the configuration does not describe: its unknown
// subnet ID cannot be followed, and the error says so.
func TestOddModuleAddress(t *testing.T) {
	in := `{"planned_values":{"root_module":{"child_modules":[{"address":"x","resources":[
	  {"address":"x.azurerm_kubernetes_cluster.c","type":"azurerm_kubernetes_cluster","name":"c","values":{
	    "default_node_pool":[{"name":"p","node_count":1}]}}]}]}},
	 "configuration":{"root_module":{"resources":[{"address":"azurerm_kubernetes_cluster.c",
	   "expressions":{"default_node_pool":[{"vnet_subnet_id":{"references":["var.s"]}}]}}]}}}`
	_, err := tfplan.ReadClusters(strings.NewReader(in))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.azurerm_kubernetes_cluster.c: default_node_pool[0].vnet_subnet_id: not known before apply, and the plan has no configuration")
}
