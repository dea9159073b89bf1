package tfplan_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/tfplan"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sourced is a cluster of a plan and where its fields were read.
type sourced struct {
	tfplan.Cluster
	src capacity.Sources
}

// editedPlan reads plan name of testdata with edit applied to the planned
// values of each resource (by address), and returns its only cluster.
func editedPlan(t *testing.T, name string, edit map[string]func(values map[string]any)) sourced {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	var plan map[string]any
	require.NoError(t, json.Unmarshal(b, &plan))
	root := plan["planned_values"].(map[string]any)["root_module"].(map[string]any)
	for _, r := range root["resources"].([]any) {
		r := r.(map[string]any)
		if f := edit[r["address"].(string)]; f != nil {
			f(r["values"].(map[string]any))
		}
	}
	b, err = json.Marshal(plan)
	require.NoError(t, err)
	cs, src, err := tfplan.ReadWithSources(bytes.NewReader(b))
	require.NoError(t, err, "an invalid cluster reads fine: Validate judges it")
	require.Len(t, cs, 1)
	require.Len(t, src, 1)
	return sourced{cs[0], src[0]}
}

// only returns the only block of key in values (default_node_pool[0]).
func only(values map[string]any, key string) map[string]any {
	return values[key].([]any)[0].(map[string]any)
}

// explain validates c and tells its problems in the plan's words, the
// plan being plan.json.
func explain(t *testing.T, c sourced) error {
	t.Helper()
	verr := c.Validate()
	require.Error(t, verr)
	err := c.src.InFile("plan.json").Explain(verr)
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Same(t, verr, ve)
	return err
}

func TestExplainNamesResources(t *testing.T) {
	t.Run("max_pods", func(t *testing.T) {
		c := editedPlan(t, "example-plan-azurerm-v4.81.0.json", map[string]func(map[string]any){
			"azurerm_kubernetes_cluster.aks":            func(v map[string]any) { only(v, "default_node_pool")["max_pods"] = 300 },
			"azurerm_kubernetes_cluster_node_pool.user": func(v map[string]any) { v["max_pods"] = 5 },
		})
		assert.EqualError(t, explain(t, c), "invalid cluster (2 problems); "+
			"plan.json: azurerm_kubernetes_cluster.aks: default_node_pool[0].max_pods: 300 is outside 10–250; "+
			"plan.json: azurerm_kubernetes_cluster_node_pool.user: max_pods: 5 is outside 10–250")
	})

	t.Run("IPv6 subnet prefix", func(t *testing.T) {
		c := editedPlan(t, "dualstack-plan.json", map[string]func(map[string]any){
			"azurerm_subnet.nodes": func(v map[string]any) { v["address_prefixes"] = []any{"10.10.0.0/22", "fd00:1::/56"} },
		})
		assert.EqualError(t, explain(t, c), "invalid cluster (1 problem); "+
			"plan.json: azurerm_subnet.nodes: address_prefixes[1]: fd00:1::/56: an IPv6 subnet prefix is exactly a /64")
	})

	t.Run("pod CIDR overlaps the VNet", func(t *testing.T) {
		c := editedPlan(t, "dualstack-plan.json", map[string]func(map[string]any){
			"azurerm_kubernetes_cluster.aks": func(v map[string]any) {
				only(v, "network_profile")["pod_cidrs"] = []any{"10.10.128.1/17", "fd12:3456:789a::/64"}
			},
		})
		assert.EqualError(t, explain(t, c), "invalid cluster (1 problem); "+
			`plan.json: azurerm_kubernetes_cluster.aks: network_profile[0].pod_cidrs[0] = "10.10.128.1/17": NetworkProfileCIDROverlapVNET: NetworkProfile CIDR 10.10.128.0/17 overlaps with reserved VNET CIDR 10.10.0.0/16`)
	})

	t.Run("a default keeps capacity's path", func(t *testing.T) {
		c := editedPlan(t, "example-plan-azurerm-v4.81.0.json", map[string]func(map[string]any){
			"azurerm_kubernetes_cluster.aks": func(v map[string]any) { delete(only(v, "network_profile"), "dns_service_ip") },
		})
		assert.EqualError(t, explain(t, c), "invalid cluster (1 problem); "+
			"DNSServiceIP: DnsServiceIpOutOfServiceCidr: DNS service IP 10.0.0.10 is outside the service CIDR 172.16.0.0/16")
	})

	t.Run("a replaced mode", func(t *testing.T) {
		c := editedPlan(t, "example-plan-azurerm-v4.81.0.json", nil)
		c.Mode = modes.Kubenet
		err := c.src.Explain(c.Validate())
		assert.ErrorContains(t, err, "azurerm_kubernetes_cluster.aks: network_profile[0].network_policy: ")
	})
}
