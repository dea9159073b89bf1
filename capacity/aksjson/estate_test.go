package aksjson_test

import (
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/aksjson"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The estate fixtures: VNet spoke (10.30.0.0/16) in which clusters alpha
// (node resource group MC_rg-apps_alpha_westeurope, pools of 3 and 3
// nodes) and beta (MC_rg-apps_beta_westeurope, 2 nodes) share the node
// subnet "nodes" and the dynamic pod subnet "pods", gamma (overlay, 3
// nodes) has "gamma-nodes" to itself, and "vms" holds two build VMs.
//
// estate-subnets.json lists the ipConfigurations:
//   - nodes (11): alpha's 6 nodes, beta's 2 (its resource group written in
//     lower case), alpha's internal load balancer frontend, a jump box VM
//     and a node of cluster delta, which is not in the input;
//   - pods (7): 4 pod addresses on alpha's scale sets, 2 on beta's (its
//     resource group in upper case), a private endpoint;
//   - vms (2): the build VMs; gamma-nodes: none listed.
//
// estate-usage.json (list-usage): nodes 11, pods 305, gamma-nodes 7, vms 2.
// The pod subnet's listing is short of the clusters' own addresses (as a
// subnet document read before the pods came would be): there Reserved
// takes list-usage's count where it says more; a complete listing wins.

const (
	spokeSub = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/spoke/subnets/"
)

// wantEstate is what every shape of the estate fixtures reads into.
func wantEstate() capacity.Estate {
	svc, dns := pfx("10.0.0.0/16"), netip.MustParseAddr("10.0.0.10")
	return capacity.Estate{
		VNet: pfx("10.30.0.0/16"),
		Subnets: []capacity.Subnet{
			// 11 configurations less alpha's 6 and beta's 2: the load
			// balancer, the jump box and delta's node.
			{Name: "nodes", Prefixes: pfx("10.30.0.0/22"), Reserved: 3},
			// 7 listed less alpha's 4 and beta's 2 leaves the private
			// endpoint, 1, but the listing holds 6 of the clusters' 300:
			// list-usage's 305 less alpha's 3×30 + 3×50 = 240 and beta's
			// 2×30 = 60 at maxPods leaves 5.
			{Name: "pods", Prefixes: pfx("10.30.16.0/20"), Reserved: 5},
			// No cluster uses it: both build VMs.
			{Name: "vms", Prefixes: pfx("10.30.8.0/28"), Reserved: 2},
		},
		Clusters: []capacity.Cluster{
			{Name: "alpha", KubernetesVersion: "1.33.2", Mode: modes.AzureCNIPodSubnet, Policy: modes.PolicyAzure, ServiceCIDRs: svc, DNSServiceIP: dns,
				Pools: []capacity.Pool{
					{Name: "system", Mode: capacity.PoolSystem, Count: 3, MaxPods: 30, MaxSurge: capacity.SurgeNodes(1), NodeSubnet: "nodes", PodSubnet: "pods"},
					{Name: "user", Count: 3, MinCount: 3, MaxCount: 20, MaxPods: 50, MaxSurge: capacity.SurgePercent(33), NodeSubnet: "nodes", PodSubnet: "pods"},
				}},
			{Name: "beta", KubernetesVersion: "1.33.2", Mode: modes.AzureCNIPodSubnet, Policy: modes.PolicyAzure, ServiceCIDRs: svc, DNSServiceIP: dns,
				Pools: []capacity.Pool{
					{Name: "system", Mode: capacity.PoolSystem, Count: 2, MaxPods: 30, MaxSurge: capacity.SurgeNodes(1), NodeSubnet: "nodes", PodSubnet: "pods"},
				}},
			{Name: "gamma", KubernetesVersion: "1.33.2", Mode: modes.CiliumOverlay, Policy: modes.PolicyCilium, ServiceCIDRs: svc, DNSServiceIP: dns,
				PodCIDRs: pfx("10.244.0.0/16"),
				// list-usage only: 7 in use less gamma's 3 nodes.
				Subnets: []capacity.Subnet{{Name: "gamma-nodes", Prefixes: pfx("10.30.4.0/24"), Reserved: 4}},
				Pools: []capacity.Pool{
					{Name: "system", Mode: capacity.PoolSystem, Count: 3, MinCount: 3, MaxCount: 40, MaxPods: 250, NodeSubnet: "gamma-nodes"},
				}},
		},
	}
}

func readEstate(t *testing.T, clusters string, network ...string) capacity.Estate {
	t.Helper()
	e, err := aksjson.ReadEstate(open(t, clusters)[0], open(t, network...)...)
	require.NoError(t, err)
	return e
}

func TestReadEstateShapes(t *testing.T) {
	network := []string{"estate-vnet.json", "estate-subnets.json", "estate-usage.json"}
	for _, clusters := range []string{"estate-aks-list.json", "estate-graph.json", "estate-rest.json"} {
		t.Run(clusters, func(t *testing.T) {
			e := readEstate(t, clusters, network...)
			assert.Equal(t, wantEstate(), e)
			_, err := capacity.AnalyzeEstate(e)
			require.NoError(t, err)
		})
	}
	// The subnet list before the VNet document, whose subnets list no
	// ipConfigurations: the list's are kept.
	assert.Equal(t, wantEstate(), readEstate(t, "estate-aks-list.json", "estate-subnets.json", "estate-vnet.json", "estate-usage.json"))
	// The subnet list in REST shape: {"value": [...]}, fields under
	// "properties".
	var rest []any
	for _, v := range load(t, "estate-subnets.json").([]any) {
		sn := v.(map[string]any)
		props := map[string]any{}
		for _, k := range []string{"addressPrefix", "ipConfigurations"} {
			if x, ok := sn[k]; ok {
				props[k] = x
			}
		}
		rest = append(rest, map[string]any{"id": sn["id"], "name": sn["name"], "properties": props})
	}
	e, err := aksjson.ReadEstate(open(t, "estate-rest.json")[0], append(open(t, "estate-vnet.json"),
		strings.NewReader(string(encode(t, map[string]any{"value": rest}))), open(t, "estate-usage.json")[0])...)
	require.NoError(t, err)
	assert.Equal(t, wantEstate(), e)

	// Files: the same estate.
	e, err = aksjson.ReadEstateFiles("testdata/estate-rest.json", "testdata/estate-vnet.json", "testdata/estate-subnets.json", "testdata/estate-usage.json")
	require.NoError(t, err)
	assert.Equal(t, wantEstate(), e)
}

// With list-usage alone, Reserved is what is in use less what the
// clusters' pools hold at their counts.
func TestReadEstateUsageOnly(t *testing.T) {
	e := readEstate(t, "estate-aks-list.json", "estate-vnet.json", "estate-usage.json")
	want := wantEstate()
	// The same as with the ipConfigurations: nodes: 11 less alpha's 3 + 3
	// and beta's 2 nodes = 3; pods: at maxPods a node holds min(maxPods,
	// 16 × ceil(0.5 + maxPods/16)): 30 at 30 pods, 50 at 50; alpha 3×30 +
	// 3×50 = 240, beta 2×30 = 60: 305 − 300 = 5; vms: 2 in use, no
	// cluster's.
	assert.Equal(t, want, e)
}

// A single cluster document reads as an estate of one: its subnets are its
// own, the others' NICs Reserved; the unused subnets are the estate's.
func TestReadEstateSingle(t *testing.T) {
	e := readEstate(t, "estate-alpha.json", "estate-vnet.json", "estate-subnets.json", "estate-usage.json")
	want := wantEstate()
	alpha := want.Clusters[0]
	alpha.Subnets = []capacity.Subnet{
		// 11 less alpha's 6: beta's 2 count now, with the load balancer,
		// the jump box and delta's node.
		{Name: "nodes", Prefixes: pfx("10.30.0.0/22"), Reserved: 5},
		// 305 in use less alpha's 240: beta's 60 at maxPods and the
		// estate's 5 (the listing, 7 less alpha's 4, holds 4 of alpha's 240).
		{Name: "pods", Prefixes: pfx("10.30.16.0/20"), Reserved: 65},
	}
	assert.Equal(t, capacity.Estate{
		VNet: want.VNet,
		Subnets: []capacity.Subnet{
			{Name: "gamma-nodes", Prefixes: pfx("10.30.4.0/24"), Reserved: 7}, // no cluster of the input: all 7 in use
			want.Subnets[2],
		},
		Clusters: []capacity.Cluster{alpha},
	}, e)
}

// ReadCluster attributes NICs by the node resource group too: another
// cluster's nodes in a shared subnet are Reserved.
func TestReadClusterAttribution(t *testing.T) {
	// The ipConfigurations alone.
	network := []string{"estate-vnet.json", "estate-subnets.json"}
	alpha := read(t, "estate-alpha.json", network...)
	assert.Equal(t, []capacity.Subnet{
		{Name: "nodes", Prefixes: pfx("10.30.0.0/22"), Reserved: 5}, // 11 less alpha's 6
		{Name: "pods", Prefixes: pfx("10.30.16.0/20"), Reserved: 3}, // 7 less alpha's 4
	}, alpha.Subnets)
	// With list-usage. nodes: the listing holds alpha's 6 in full, so it
	// counts (11 less 6); pods: it holds 4 of alpha's 240, so list-usage
	// does (305 less 240).
	withUsage := append(network, "estate-usage.json")
	alphaUsage := read(t, "estate-alpha.json", withUsage...)
	assert.Equal(t, []int{5, 65}, []int{alphaUsage.Subnets[0].Reserved, alphaUsage.Subnets[1].Reserved})
	// Each Reserved's source is the document it was taken from.
	files := make([]string, len(withUsage))
	for i, n := range withUsage {
		files[i] = filepath.Join("testdata", n)
	}
	_, src, err := aksjson.ReadFilesWithSources(filepath.Join("testdata", "estate-alpha.json"), files...)
	require.NoError(t, err)
	assert.Equal(t, capacity.Source{File: files[1], Path: "[0].ipConfigurations"}, src["Subnets[0].Reserved"])
	assert.Equal(t, capacity.Source{File: files[2], Path: "[1].currentValue", Value: "305"}, src["Subnets[1].Reserved"])

	// A listing that holds alpha's 6 node configurations in full wins over
	// a list-usage taken at another time (40 in use: 34 beside alpha's 6).
	usage := testdata(t, "estate-usage.json")
	stale := strings.Replace(usage, `"currentValue": 11`, `"currentValue": 40`, 1)
	require.NotEqual(t, usage, stale)
	stalePath := filepath.Join(t.TempDir(), "usage.json")
	require.NoError(t, os.WriteFile(stalePath, []byte(stale), 0o644))
	c, src, err := aksjson.ReadFilesWithSources(filepath.Join("testdata", "estate-alpha.json"), files[0], files[1], stalePath)
	require.NoError(t, err)
	assert.Equal(t, []int{5, 65}, []int{c.Subnets[0].Reserved, c.Subnets[1].Reserved})
	assert.Equal(t, files[1], src["Subnets[0].Reserved"].File)
	// list-usage alone keeps its source when it leaves nothing to others
	// (6 in use, all alpha's).
	six := strings.Replace(usage, `"currentValue": 11`, `"currentValue": 6`, 1)
	sixPath := filepath.Join(t.TempDir(), "usage.json")
	require.NoError(t, os.WriteFile(sixPath, []byte(six), 0o644))
	c, src, err = aksjson.ReadFilesWithSources(filepath.Join("testdata", "estate-alpha.json"), files[0], sixPath)
	require.NoError(t, err)
	assert.Equal(t, 0, c.Subnets[0].Reserved)
	assert.Equal(t, capacity.Source{File: sixPath, Path: "[0].currentValue", Value: "6"}, src["Subnets[0].Reserved"])

	// Without nodeResourceGroup, the older rule: every scale set named
	// "aks-…" is the cluster's, beta's and delta's too: 11 less 6 + 2 + 1.
	doc := testdata(t, "estate-alpha.json")
	noRG := strings.Replace(doc, `"nodeResourceGroup"`, `"nodeResourceGroupX"`, 1)
	require.NotEqual(t, doc, noRG)
	c, err = aksjson.ReadCluster(strings.NewReader(noRG), open(t, network...)...)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 1}, []int{c.Subnets[0].Reserved, c.Subnets[1].Reserved},
		"nodes: the load balancer and the jump box; pods: the private endpoint")
	// list-usage mends the older rule's undercount: 11 less alpha's 6
	// leaves beta's and delta's nodes with the others.
	c, err = aksjson.ReadCluster(strings.NewReader(noRG), open(t, withUsage...)...)
	require.NoError(t, err)
	assert.Equal(t, []int{5, 65}, []int{c.Subnets[0].Reserved, c.Subnets[1].Reserved})

	// The resource group is matched without regard to case.
	upper := strings.Replace(doc, `"MC_rg-apps_alpha_westeurope"`, `"MC_RG-APPS_ALPHA_WESTEUROPE"`, 1)
	require.NotEqual(t, doc, upper)
	c, err = aksjson.ReadCluster(strings.NewReader(upper), open(t, network...)...)
	require.NoError(t, err)
	assert.Equal(t, alpha.Subnets, c.Subnets)
}

// twoVNets writes the estate fixtures' clusters and kube1 (kubenet.json,
// with a node resource group), whose subnet is in VNet hub: an
// `az aks list` of a subscription with two VNets.
func twoVNets(t *testing.T) string {
	t.Helper()
	list := load(t, "estate-aks-list.json").([]any)
	kube1 := load(t, "kubenet.json").(map[string]any)
	kube1["nodeResourceGroup"] = "MC_rg-kube_kube1_westeurope"
	path := filepath.Join(t.TempDir(), "est.json")
	require.NoError(t, os.WriteFile(path, encode(t, append(list, kube1)), 0o644))
	return path
}

// An estate is one VNet: a pool whose subnet is in another VNet than the
// first pool's, and a network document of another VNet, are refused,
// naming both VNets, rather than analysed as one VNet (one 65,536-address
// limit, one free space).
func TestReadEstateOneVNet(t *testing.T) {
	const (
		spoke = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/spoke"
		hub   = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub"
	)
	est := twoVNets(t)
	network := []string{"testdata/estate-vnet.json", "testdata/estate-subnets.json", "testdata/estate-usage.json", "testdata/kubenet-vnet.json"}
	_, err := aksjson.ReadEstateFiles(est, network...)
	assert.EqualError(t, err, "aksjson: "+est+`: [3].agentPoolProfiles[0].vnetSubnetId: "`+hub+`/subnets/kube1-nodes": a subnet of VNet hub, not the estate's VNet spoke (`+
		spoke+", of "+est+` [0].agentPoolProfiles[0].vnetSubnetId): an estate is the clusters of one VNet; read each VNet's clusters as an estate of its own`)
	checkMessage(t, err, est)
	var ae *aksjson.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "[3].agentPoolProfiles[0].vnetSubnetId", ae.Path)
	// Without hub's document the pool is refused all the same: its VNet
	// is told by its ARM ID, not by a document that describes it.
	_, err = aksjson.ReadEstateFiles(est, network[:3]...)
	assert.ErrorContains(t, err, `: [3].agentPoolProfiles[0].vnetSubnetId: "`+hub+`/subnets/kube1-nodes": a subnet of VNet hub, not the estate's VNet spoke`)
	_, _, err = aksjson.ReadEstateFilesWithSources(est, network...)
	assert.ErrorContains(t, err, "an estate is the clusters of one VNet")

	// hub's clusters alone are an estate of hub.
	e, err := aksjson.ReadEstate(strings.NewReader(testdata(t, "kubenet.json")), open(t, "kubenet-vnet.json")...)
	require.NoError(t, err)
	assert.Equal(t, pfx("10.240.0.0/16"), e.VNet)

	// A pod subnet in another VNet than its node subnet's.
	list := testdata(t, "estate-aks-list.json")
	podHub := strings.Replace(list, `"podSubnetId": "`+spokeSub+`pods"`, `"podSubnetId": "`+hub+`/subnets/pods"`, 1)
	require.NotEqual(t, list, podHub)
	_, err = aksjson.ReadEstate(strings.NewReader(podHub), open(t, "estate-vnet.json")...)
	assert.ErrorContains(t, err, `aksjson: clusters: [0].agentPoolProfiles[0].podSubnetId: "`+hub+`/subnets/pods": a subnet of VNet hub, not the estate's VNet spoke (`+
		spoke+", of clusters [0].agentPoolProfiles[0].vnetSubnetId)")

	// The same VNet name in another resource group is another VNet.
	rg2 := strings.Replace(list, spokeSub+"gamma-nodes", strings.Replace(spokeSub, "rg-net", "rg-net2", 1)+"gamma-nodes", 1)
	require.NotEqual(t, list, rg2)
	_, err = aksjson.ReadEstate(strings.NewReader(rg2), open(t, "estate-vnet.json")...)
	assert.ErrorContains(t, err, `aksjson: clusters: [2].agentPoolProfiles[0].vnetSubnetId: "`+strings.Replace(spokeSub, "rg-net", "rg-net2", 1)+
		`gamma-nodes": a subnet of VNet spoke, not the estate's VNet spoke (`+spoke+", of clusters [0].agentPoolProfiles[0].vnetSubnetId)")
	// Case does not tell VNets apart: Azure's IDs match without it.
	upper := strings.Replace(list, spokeSub+"gamma-nodes", strings.ToUpper(spokeSub)+"gamma-nodes", 1)
	_, err = aksjson.ReadEstate(strings.NewReader(upper), open(t, "estate-vnet.json", "estate-subnets.json")...)
	require.NoError(t, err)

	// Every pool in spoke, but a network document of hub: its address
	// space and subnets would join the estate's.
	_, err = aksjson.ReadEstateFiles("testdata/estate-aks-list.json", network...)
	assert.EqualError(t, err, `aksjson: testdata/kubenet-vnet.json: id: "`+hub+`": VNet hub, not the estate's VNet spoke (`+spoke+
		`, of testdata/estate-aks-list.json [0].agentPoolProfiles[0].vnetSubnetId): an estate is the clusters of one VNet; leave this document out`)
	// A subnet list of hub: its subnets.
	hubSubnets := `[{"id": "` + hub + `/subnets/GatewaySubnet", "name": "GatewaySubnet", "addressPrefix": "10.240.255.0/27"}]`
	_, err = aksjson.ReadEstate(strings.NewReader(list), append(open(t, "estate-vnet.json"), strings.NewReader(hubSubnets))...)
	assert.EqualError(t, err, `aksjson: network[1]: [0]: "`+hub+`/subnets/GatewaySubnet": a subnet of VNet hub, not the estate's VNet spoke (`+spoke+
		`, of clusters [0].agentPoolProfiles[0].vnetSubnetId): an estate is the clusters of one VNet; leave it out of the network documents`)
	checkMessage(t, err, "network[1]")
	// A list-usage document of hub describes no subnet of the estate's.
	hubUsage := `[{"id": "` + hub + `/subnets/GatewaySubnet", "currentValue": 1}]`
	e, err = aksjson.ReadEstate(strings.NewReader(list), append(open(t, "estate-vnet.json", "estate-subnets.json", "estate-usage.json"), strings.NewReader(hubUsage))...)
	require.NoError(t, err)
	assert.Equal(t, wantEstate(), e)
}

// Two clusters of one name are refused where the document names them:
// the estate's reports tell clusters apart by name.
func TestReadEstateDuplicateName(t *testing.T) {
	list := load(t, "estate-aks-list.json").([]any)
	dup := encode(t, append(list, list[0]))
	_, err := aksjson.ReadEstate(strings.NewReader(string(dup)), open(t, "estate-vnet.json", "estate-subnets.json")...)
	assert.EqualError(t, err, `aksjson: clusters: [3].name: "alpha" names two clusters of the estate ([0].name too): want each cluster once; clusters of one name in different resource groups need resourceGroup or id`)
	checkMessage(t, err, "clusters")

	graph := testdata(t, "estate-graph.json")
	renamed := strings.Replace(graph, `"name": "gamma"`, `"name": "BETA"`, 1) // Azure's names ignore case
	require.NotEqual(t, graph, renamed)
	// The id still names gamma: a malformed field is an error though name
	// is valid.
	_, _, err = aksjson.ReadEstateWithSources(strings.NewReader(renamed), open(t, "estate-vnet.json", "estate-subnets.json")...)
	assert.EqualError(t, err, `aksjson: clusters: data[2].id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-apps/providers/Microsoft.ContainerService/managedClusters/gamma": names cluster "gamma", but name is "BETA"`)
	twice := strings.Replace(renamed, `managedClusters/gamma"`, `managedClusters/BETA"`, 1)
	require.NotEqual(t, renamed, twice)
	_, _, err = aksjson.ReadEstateWithSources(strings.NewReader(twice), open(t, "estate-vnet.json", "estate-subnets.json")...)
	assert.EqualError(t, err, `aksjson: clusters: data[2].name: "BETA" names two clusters of the estate (data[1].name too): want each cluster once; clusters of one name in different resource groups need resourceGroup or id`)
}

// Cluster names are unique within a resource group only: two clusters of
// one name in different resource groups are named group/name, and the
// other clusters keep their names.
func TestReadEstateSameNameOtherGroup(t *testing.T) {
	list := load(t, "estate-aks-list.json").([]any)
	other := map[string]any{}
	for k, v := range list[0].(map[string]any) {
		other[k] = v
	}
	other["id"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-dev/providers/Microsoft.ContainerService/managedClusters/alpha"
	other["resourceGroup"] = "rg-dev"
	other["nodeResourceGroup"] = "MC_rg-dev_alpha_westeurope"
	e, err := aksjson.ReadEstate(strings.NewReader(string(encode(t, append(list, other)))), open(t, "estate-vnet.json", "estate-subnets.json")...)
	require.NoError(t, err)
	var names []string
	for _, c := range e.Clusters {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"rg-apps/alpha", "beta", "gamma", "rg-dev/alpha"}, names)

	// One of the two says no group: it may be alpha listed twice.
	bare := map[string]any{}
	for k, v := range other {
		if k != "id" && k != "resourceGroup" {
			bare[k] = v
		}
	}
	_, err = aksjson.ReadEstate(strings.NewReader(string(encode(t, append(list, bare)))), open(t, "estate-vnet.json", "estate-subnets.json")...)
	assert.EqualError(t, err, `aksjson: clusters: [3].name: "alpha" names two clusters of the estate ([0].name too): want each cluster once; clusters of one name in different resource groups need resourceGroup or id`)

	// REST output has no resourceGroup: the id tells it.
	delete(other, "resourceGroup")
	e, err = aksjson.ReadEstate(strings.NewReader(string(encode(t, append(list, other)))), open(t, "estate-vnet.json", "estate-subnets.json")...)
	require.NoError(t, err)
	assert.Equal(t, "rg-dev/alpha", e.Clusters[3].Name)

	// resourceGroup and id disagree.
	other["resourceGroup"] = "rg-prod"
	_, err = aksjson.ReadEstate(strings.NewReader(string(encode(t, append(list, other)))), open(t, "estate-vnet.json", "estate-subnets.json")...)
	assert.EqualError(t, err, `aksjson: clusters: [3].id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-dev/providers/Microsoft.ContainerService/managedClusters/alpha": names resource group "rg-dev", but resourceGroup is "rg-prod"`)

	// An id that is no managed cluster's.
	other["id"] = "alpha"
	_, err = aksjson.ReadEstate(strings.NewReader(string(encode(t, append(list, other)))), open(t, "estate-vnet.json", "estate-subnets.json")...)
	assert.EqualError(t, err, `aksjson: clusters: [3].id: "alpha": want a managed cluster's ARM ID, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>`)
}

// Two subnets of one VNet that the documents give the same name are named
// by their ARM IDs.
func TestReadEstateSameSubnetNames(t *testing.T) {
	const (
		vnet = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/a"
		idA  = vnet + "/subnets/nodes"
		idB  = vnet + "/subnets/nodes2"
	)
	cluster := func(name, rg, id string) string {
		return `{"name": "` + name + `", "nodeResourceGroup": "` + rg + `", "agentPoolProfiles": [{"name": "p", "count": 1, "vnetSubnetId": "` + id +
			`"}], "networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay"}}`
	}
	subnet := func(id, prefix string) string {
		return `{"id": "` + id + `", "name": "nodes", "addressPrefix": "` + prefix + `"}`
	}
	list := "[" + cluster("x", "mc_x", idA) + "," + cluster("y", "mc_y", idB) + "]"
	subnets := "[" + subnet(idB, "10.1.0.0/24") + "," + subnet(idA, "10.0.0.0/24") + "]"
	e, err := aksjson.ReadEstate(strings.NewReader(list), strings.NewReader(subnets))
	require.NoError(t, err)
	assert.Equal(t, []capacity.Subnet{{Name: idA, Prefixes: pfx("10.0.0.0/24")}}, e.Clusters[0].Subnets)
	assert.Equal(t, []capacity.Subnet{{Name: idB, Prefixes: pfx("10.1.0.0/24")}}, e.Clusters[1].Subnets)
	assert.Equal(t, idB, e.Clusters[1].Pools[0].NodeSubnet)
}

func TestReadEstateErrors(t *testing.T) {
	list := testdata(t, "estate-aks-list.json")
	graph := testdata(t, "estate-graph.json")
	subnets := testdata(t, "estate-subnets.json")
	vnet := testdata(t, "estate-vnet.json")
	nth := func(s, old, repl string, n int) string { // replaces the nth (from 1) occurrence
		i := -1
		for range n {
			i += 1 + strings.Index(s[i+1:], old)
		}
		return s[:i] + repl + s[i+len(old):]
	}
	tests := []struct {
		name     string
		clusters string
		network  []string
		want     string
	}{
		{"wrong type in the third cluster", nth(list, `"count": 3`, `"count": "3"`, 4), []string{vnet},
			`aksjson: clusters: [2].agentPoolProfiles[0].count: "3": want a whole number`},
		{"Resource Graph row", nth(graph, `"maxSurge": "1"`, `"maxSurge": 1`, 2), []string{vnet},
			`aksjson: clusters: data[1].properties.agentPoolProfiles[0].upgradeSettings.maxSurge: 1: want a string such as "33%" or "3"`},
		{"missing node resource group", strings.Replace(graph, `"nodeResourceGroup"`, `"x"`, 1), []string{vnet},
			`aksjson: clusters: data[0].properties.nodeResourceGroup: missing: with several clusters`},
		{"missing subnet", list, nil,
			`aksjson: clusters: [0].agentPoolProfiles[0].vnetSubnetId: "` + spokeSub + `nodes": no network document describes this subnet`},
		{"AKS-managed VNet", strings.Replace(list, `"vnetSubnetId": "`+spokeSub+`gamma-nodes"`, `"vnetSubnetId": null`, 1), []string{vnet},
			`aksjson: clusters: [2].agentPoolProfiles[0].vnetSubnetId: missing: the pool runs in a VNet AKS manages`},
		{"empty list", `[]`, nil, `aksjson: clusters: at byte 0: no clusters: the list is empty`},
		{"empty REST list", `{"value": []}`, nil, `aksjson: clusters: value: no clusters: the list is empty`},
		{"a number", `7`, nil, "aksjson: clusters: at byte 0: 7: want a list of clusters (the output of `az aks list -o json`)"},
		{"a cluster that is a string", `["alpha"]`, nil, `aksjson: clusters: [0]: "alpha": want an object (a cluster)`},
		{"data not a list", `{"data": {"name": "alpha"}}`, nil, `aksjson: clusters: data: an object: want a list of clusters`},
		{"bad ipConfiguration", list, []string{vnet, strings.Replace(subnets, `"ipConfigurations": [`, `"ipConfigurations": [7, `, 1)},
			`aksjson: network[1]: [0].ipConfigurations[0]: 7: want an object (an IP configuration)`},
		{"subnet list entry neither", list, []string{vnet, `[{"id": "x", "name": "y"}]`},
			`aksjson: network[1]: [0]: a list-usage entry needs id and currentValue; a subnet needs id and addressPrefix`},
		{"subnet list entry without id", list, []string{vnet, `[{"name": "y", "addressPrefix": "10.30.0.0/24"}]`},
			`aksjson: network[1]: [0].id: missing: subnets are matched to pools by ARM ID`},
		{"bad prefix in a REST subnet list", list, []string{`{"value": [{"id": "x", "properties": {"addressPrefix": "10.30.0/22"}}]}`},
			`aksjson: network[0]: value[0].properties.addressPrefix: "10.30.0/22" is not a CIDR`},
		{"trailing data", list + "]", []string{vnet}, "aksjson: clusters: at byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var nets []io.Reader
			for _, n := range tt.network {
				nets = append(nets, strings.NewReader(n))
			}
			_, err := aksjson.ReadEstate(strings.NewReader(tt.clusters), nets...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			checkMessage(t, err, "clusters", "network[0]", "network[1]")
		})
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "aks-list.json")
	require.NoError(t, os.WriteFile(bad, []byte(nth(list, `"count": 3`, `"count": -`, 1)), 0o644))
	_, err := aksjson.ReadEstateFiles(bad, "testdata/estate-vnet.json")
	require.Error(t, err)
	checkMessage(t, err, bad)
	_, err = aksjson.ReadEstateFiles("testdata/estate-aks-list.json", filepath.Join(dir, "missing.json"))
	assert.EqualError(t, err, "aksjson: "+filepath.Join(dir, "missing.json")+": cannot open: no such file or directory")
}

// The estate fixtures analyse as the arithmetic says: the shared subnets
// hold every cluster's nodes and pods.
func TestReadEstateAnalyzes(t *testing.T) {
	e := readEstate(t, "estate-aks-list.json", "estate-vnet.json", "estate-subnets.json", "estate-usage.json")
	r, err := capacity.AnalyzeEstate(e)
	require.NoError(t, err)
	nodes := r.Spaces[0]
	// A /22: 1,024 − 5 = 1,019 usable, 3 reserved. Committed (autoscaler
	// max): alpha 3 + 20, beta 2 = 25 node addresses.
	assert.Equal(t, [3]int{1019, 25, 1019 - 3 - 25}, [3]int{nodes.Usable, nodes.AtMax, nodes.Free})
	assert.Equal(t, 3, nodes.Reserved)
	// alpha's user pool: each node takes 1 node address and 50 pod
	// addresses (at maxPods); the /20 pod subnet (4,091 usable, 1
	// reserved) less alpha's system pool (3 × 30) and beta's (2 × 30)
	// leaves 4,090 − 150 = 3,940: 78 nodes of 50.
	user := r.Clusters[0].Pools[1]
	assert.Equal(t, "user", user.Name)
	assert.Equal(t, 78, user.MaxNodes)
	assert.Equal(t, capacity.LimitPodSubnet, user.Limit)
}

// One list holding subnets and list-usage entries reads as the two
// documents do: Reserved takes both into account.
func TestReadEstateMixedList(t *testing.T) {
	e, err := aksjson.ReadEstate(open(t, "estate-aks-list.json")[0], open(t, "estate-vnet.json")[0], strings.NewReader(string(mixedNetwork(t))))
	require.NoError(t, err)
	assert.Equal(t, wantEstate(), e)
}

// mixedNetwork is the estate's subnet list and list-usage in one list.
func mixedNetwork(tb testing.TB) []byte {
	tb.Helper()
	var subnets, usage []json.RawMessage
	require.NoError(tb, json.Unmarshal([]byte(testdata(tb, "estate-subnets.json")), &subnets))
	require.NoError(tb, json.Unmarshal([]byte(testdata(tb, "estate-usage.json")), &usage))
	mixed, err := json.Marshal(append(subnets, usage...))
	require.NoError(tb, err)
	return mixed
}
