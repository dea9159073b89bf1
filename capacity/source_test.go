package capacity_test

import (
	"encoding/json"
	"errors"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSourcesExplain(t *testing.T) {
	c := valid()
	c.Subnets = append(c.Subnets, subnet("more", "10.240.1.0/24"))
	c.Pools[0].NodeSubnet, c.Pools[1].NodeSubnet = "nodes", "nodes"
	c.Pools[1].MaxPods = 300
	src := capacity.Sources{
		"Pools[1].MaxPods":       {File: "aks.json", Path: "agentPoolProfiles[1].maxPods", Value: "300"},
		"Subnets[0].Prefixes[0]": {File: "vnet.json", Path: "subnets[0].addressPrefix", Value: `"10.240.0.0/22"`},
		"Subnets[1].Prefixes[0]": {File: "vnet.json", Path: "subnets[1].addressPrefix", Value: `"10.240.1.0/24"`},
	}
	verr := c.Validate()
	require.Error(t, verr)
	err := src.Explain(verr)
	assert.EqualError(t, err, "invalid cluster (2 problems); "+
		`vnet.json: subnets[1].addressPrefix: 10.240.1.0/24 overlaps 10.240.0.0/22 of subnet "nodes" (subnets[0].addressPrefix): subnets must not share addresses; `+
		"aks.json: agentPoolProfiles[1].maxPods: 300 is outside 10–250")
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Same(t, verr, ve)
	var ie *capacity.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "Pools[1].MaxPods", ie.Problems[1].Field, "capacity's path is kept")
	assert.Equal(t, "agentPoolProfiles[1].maxPods", ie.Problems[1].Source.Path)

	// JSON: the problem and its source.
	b, jerr := json.Marshal(ie)
	require.NoError(t, jerr)
	assert.Contains(t, string(b), `"field":"Pools[1].MaxPods","code":"","message":"300 is outside 10–250","source":{"file":"aks.json","path":"agentPoolProfiles[1].maxPods","value":"300"}`)

	// A cited field of another file names it.
	src["Subnets[0].Prefixes[0]"] = capacity.Source{File: "other.json", Path: "subnets[0].addressPrefix"}
	assert.ErrorContains(t, src.Explain(verr), "(other.json subnets[0].addressPrefix)")
	// A field without a source keeps capacity's path, as does a cited one.
	delete(src, "Subnets[1].Prefixes[0]")
	delete(src, "Subnets[0].Prefixes[0]")
	assert.ErrorContains(t, src.Explain(verr), `; Subnets[1].Prefixes[0]: 10.240.1.0/24 overlaps 10.240.0.0/22 of subnet "nodes" (Subnets[0].Prefixes[0]): subnets`)

	// Nothing read, another error, nil: unchanged.
	assert.Same(t, verr, capacity.Sources(nil).Explain(verr))
	other := errors.New("other")
	assert.Same(t, other, src.Explain(other))
	assert.NoError(t, src.Explain(nil))
}

func TestInputProblemValueAsWritten(t *testing.T) {
	p := func(msg, value string) string {
		return capacity.InputProblem{
			Problem: capacity.Problem{Field: "PodCIDRs[0]", Message: msg},
			Source:  capacity.Source{Resource: "azurerm_kubernetes_cluster.aks", Path: "network_profile[0].pod_cidrs[0]", Value: value},
		}.String()
	}
	// The message shows the value: it is not repeated.
	assert.Equal(t, "azurerm_kubernetes_cluster.aks: network_profile[0].pod_cidrs[0]: 10.0.0.0/8 overlaps", p("10.0.0.0/8 overlaps", `"10.0.0.0/8"`))
	assert.Equal(t, "azurerm_kubernetes_cluster.aks: network_profile[0].pod_cidrs[0]: fd00::/56: exactly", p("fd00::/56: exactly", `"fd00::/56"`))
	// It shows another: the value as written is given.
	assert.Equal(t, `azurerm_kubernetes_cluster.aks: network_profile[0].pod_cidrs[0] = "10.0.0.1/8": 10.0.0.0/8 overlaps`, p("10.0.0.0/8 overlaps", `"10.0.0.1/8"`))
	assert.Equal(t, "azurerm_kubernetes_cluster.aks: network_profile[0].pod_cidrs[0] = 30: 300 is outside", p("300 is outside", "30"))
}

func TestSourcesInFile(t *testing.T) {
	src := capacity.Sources{"Pools[0].MaxPods": {Resource: "azurerm_kubernetes_cluster.aks", Path: "default_node_pool[0].max_pods"}, "VNet[0]": {File: "other.json", Path: "x"}}
	in := src.InFile("plan.json")
	assert.Equal(t, "plan.json: azurerm_kubernetes_cluster.aks: default_node_pool[0].max_pods", in["Pools[0].MaxPods"].String())
	assert.Equal(t, "other.json", in["VNet[0]"].File)
	assert.Empty(t, src["Pools[0].MaxPods"].File, "a copy")
}

func TestEstateSourcesExplain(t *testing.T) {
	e := capacity.Estate{
		VNet:    []netip.Prefix{pfx("10.240.0.0/16")},
		Subnets: []capacity.Subnet{subnet("shared", "10.240.0.0/22")},
		Clusters: []capacity.Cluster{{Name: "a", Mode: valid().Mode,
			Pools: []capacity.Pool{{Name: "system", Count: 3, MaxPods: 300, NodeSubnet: "shared"}}}},
	}
	_, err := capacity.AnalyzeEstate(e)
	require.Error(t, err)
	src := capacity.EstateSources{Clusters: []capacity.Sources{{"Pools[0].MaxPods": {File: "list.json", Path: "[0].agentPoolProfiles[0].maxPods", Value: "300"}}}}
	err = src.Explain(err)
	assert.EqualError(t, err, "Clusters[0] (a): invalid cluster (1 problem); list.json: [0].agentPoolProfiles[0].maxPods: 300 is outside 10–250")
	var ee *capacity.EstateError
	require.ErrorAs(t, err, &ee)
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)

	e.Subnets = append(e.Subnets, subnet("other", "10.240.2.0/24"))
	e.Clusters[0].Pools[0].MaxPods = 0
	_, err = capacity.AnalyzeEstate(e)
	require.Error(t, err)
	src.Estate = capacity.Sources{"Subnets[1].Prefixes[0]": {File: "vnet.json", Path: "subnets[1].addressPrefix"}}
	assert.EqualError(t, src.Explain(err), "invalid cluster (2 problems); "+
		"Subnets[0].Prefixes[0]: 10.240.0.0/22 overlaps 10.240.2.0/24 (vnet.json subnets[1].addressPrefix): the addresses would count twice; "+
		"vnet.json: subnets[1].addressPrefix: 10.240.2.0/24 overlaps 10.240.0.0/22 (Subnets[0].Prefixes[0]): the addresses would count twice")
}
