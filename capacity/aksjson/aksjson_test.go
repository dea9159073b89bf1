package aksjson_test

import (
	"io"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/aksjson"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func open(t *testing.T, names ...string) []io.Reader {
	t.Helper()
	var rs []io.Reader
	for _, n := range names {
		f, err := os.Open("testdata/" + n)
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		rs = append(rs, f)
	}
	return rs
}

// testdata returns the text of the file name in testdata.
func testdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

func read(t *testing.T, cluster string, network ...string) capacity.Cluster {
	t.Helper()
	c, err := aksjson.ReadCluster(open(t, cluster)[0], open(t, network...)...)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	_, err = capacity.Analyze(c)
	require.NoError(t, err)
	return c
}

func pfx(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func TestReadFixtures(t *testing.T) {
	tests := []struct {
		name    string
		cluster string
		network []string
		want    capacity.Cluster
	}{
		{"kubenet", "kubenet.json", []string{"kubenet-vnet.json"}, capacity.Cluster{
			Name: "kube1", KubernetesVersion: "1.31.3",
			Mode: modes.Kubenet, Policy: modes.PolicyCalico,
			VNet:     pfx("10.240.0.0/16"),
			Subnets:  []capacity.Subnet{{Name: "kube1-nodes", Prefixes: pfx("10.240.0.0/24"), Reserved: 1}},
			PodCIDRs: pfx("10.244.0.0/16"), ServiceCIDRs: pfx("10.0.0.0/16"), DNSServiceIP: netip.MustParseAddr("10.0.0.10"),
			Pools: []capacity.Pool{
				{Name: "system", Mode: capacity.PoolSystem, Count: 3, MaxPods: 110, NodeSubnet: "kube1-nodes", MaxSurge: capacity.SurgeNodes(1)},
				{Name: "user", Count: 12, MinCount: 3, MaxCount: 40, MaxPods: 110, NodeSubnet: "kube1-nodes", MaxSurge: capacity.SurgePercent(33)},
			},
		}},
		// ipFamilies [IPv4, IPv6]: both families of every range, in order.
		{"overlay cilium REST, dual-stack", "overlay-cilium.json", []string{"overlay-cilium-vnet.json"}, capacity.Cluster{
			Name: "apps", KubernetesVersion: "1.32.1",
			Mode: modes.CiliumOverlay, Policy: modes.PolicyCilium, DualStack: true,
			VNet:         pfx("10.10.0.0/16", "fd00:10::/48"),
			Subnets:      []capacity.Subnet{{Name: "nodes", Prefixes: pfx("10.10.0.0/23", "fd00:10::/64")}},
			PodCIDRs:     pfx("10.244.0.0/16", "fd12:3456:789a::/64"),
			ServiceCIDRs: pfx("10.0.0.0/16", "fd12:3456:789a:1::/108"), DNSServiceIP: netip.MustParseAddr("10.0.0.10"),
			Pools: []capacity.Pool{
				{Name: "system", Mode: capacity.PoolSystem, Count: 3, MaxPods: 250, NodeSubnet: "nodes"},
				{Name: "batch", Count: 10, MinCount: 0, MaxCount: 200, MaxPods: 250, NodeSubnet: "nodes", MaxSurge: capacity.SurgePercent(10)},
			},
		}},
		{"legacy CNI, shared subnet", "legacy-cni.json", []string{"legacy-cni-subnet.json"}, capacity.Cluster{
			Name: "legacy",
			Mode: modes.AzureCNI, Policy: modes.PolicyAzure,
			Subnets:      []capacity.Subnet{{Name: "aks", Prefixes: pfx("10.20.0.0/23"), Reserved: 2}},
			ServiceCIDRs: pfx("172.20.0.0/16"), DNSServiceIP: netip.MustParseAddr("172.20.0.10"),
			Pools: []capacity.Pool{
				{Name: "system", Mode: capacity.PoolSystem, Count: 3, MaxPods: 30, NodeSubnet: "aks", MaxSurge: capacity.SurgeNodes(1)},
				{Name: "win", OS: modes.Windows, Count: 4, MinCount: 2, MaxCount: 8, MaxPods: 30, NodeSubnet: "aks"},
			},
		}},
		{"pod subnet, static block", "podsubnet-static.json", []string{"podsubnet-static-vnet.json"}, capacity.Cluster{
			Name: "static",
			Mode: modes.AzureCNIStaticBlock, Policy: modes.PolicyCalico,
			VNet:         pfx("10.50.0.0/16"),
			Subnets:      []capacity.Subnet{{Name: "nodes", Prefixes: pfx("10.50.0.0/24")}, {Name: "pods", Prefixes: pfx("10.50.16.0/21", "10.50.24.0/22")}},
			ServiceCIDRs: pfx("10.0.0.0/16"), DNSServiceIP: netip.MustParseAddr("10.0.0.10"),
			Pools: []capacity.Pool{
				{Name: "system", Mode: capacity.PoolSystem, Count: 3, MaxPods: 30, NodeSubnet: "nodes", PodSubnet: "pods"},
				{Name: "apps", Count: 20, MinCount: 10, MaxCount: 100, MaxPods: 63, NodeSubnet: "nodes", PodSubnet: "pods", MaxSurge: capacity.SurgePercent(10)},
			},
		}},
		// list-usage: 14 in use, the cluster's 3 nodes hold 3: 11 are others'.
		{"BYO CNI with usage", "byocni.json", []string{"byocni-vnet.json", "byocni-usage.json"}, capacity.Cluster{
			Name:     "byo",
			Mode:     modes.BYOCNICalico,
			VNet:     pfx("10.60.0.0/16"),
			Subnets:  []capacity.Subnet{{Name: "byo-nodes", Prefixes: pfx("10.60.0.0/25"), Reserved: 11}},
			PodCIDRs: pfx("192.168.0.0/16"), ServiceCIDRs: pfx("10.0.0.0/16"), DNSServiceIP: netip.MustParseAddr("10.0.0.10"),
			Pools: []capacity.Pool{{Name: "nodes", Mode: capacity.PoolSystem, Count: 3, MinCount: 3, MaxCount: 50, NodeSubnet: "byo-nodes"}},
		}},
		// az aks show of a dual-stack Azure CNI Overlay cluster; the VNet
		// document's subnet has an IPv4 and an IPv6 prefix. Of its
		// ipConfigurations, the node's two (IPv4 and IPv6) are the
		// cluster's own; the private endpoint is Reserved.
		{"dual-stack overlay", "dualstack.json", []string{"dualstack-vnet.json"}, capacity.Cluster{
			Name: "ds1", KubernetesVersion: "1.33.2",
			Mode: modes.AzureCNIOverlay, DualStack: true,
			VNet:         pfx("10.240.0.0/16", "fd00:1::/48"),
			Subnets:      []capacity.Subnet{{Name: "ds-nodes", Prefixes: pfx("10.240.0.0/22", "fd00:1::/64"), Reserved: 1}},
			PodCIDRs:     pfx("10.244.0.0/16", "fd12:3456:789a::/64"),
			ServiceCIDRs: pfx("10.0.0.0/16", "fd12:3456:789a:1::/108"), DNSServiceIP: netip.MustParseAddr("10.0.0.10"),
			Pools: []capacity.Pool{
				{Name: "system", Mode: capacity.PoolSystem, Count: 3, MaxPods: 250, NodeSubnet: "ds-nodes", MaxSurge: capacity.SurgeNodes(1)},
				{Name: "apps", Count: 5, MinCount: 2, MaxCount: 50, MaxPods: 250, NodeSubnet: "ds-nodes", MaxSurge: capacity.SurgePercent(10)},
			},
		}},
		{"AKS-managed VNet", "managed.json", nil, capacity.Cluster{
			Name:     "quick",
			Mode:     modes.AzureCNIOverlay,
			VNet:     pfx("10.224.0.0/12"),
			Subnets:  []capacity.Subnet{{Name: "aks-subnet", Prefixes: pfx("10.224.0.0/16")}},
			PodCIDRs: pfx("10.244.0.0/16"), ServiceCIDRs: pfx("10.0.0.0/16"), DNSServiceIP: netip.MustParseAddr("10.0.0.10"),
			Pools: []capacity.Pool{{Name: "nodepool1", Mode: capacity.PoolSystem, Count: 3, MaxPods: 250, NodeSubnet: "aks-subnet"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, read(t, tt.cluster, tt.network...))
		})
	}
}

// The upgrade settings AKS reads reach the pools: maxUnavailable, a pool's
// mode and Spot priority, and the cluster's Kubernetes version.
func TestReadUpgradeSettings(t *testing.T) {
	kubenet := testdata(t, "kubenet.json")
	vnet := testdata(t, "kubenet-vnet.json")
	doc := strings.Replace(kubenet, `"maxSurge": "33%"`, `"maxSurge": "33%", "maxUnavailable": "2"`, 1)
	doc = strings.Replace(doc, `"mode": "User"`, `"mode": "User", "scaleSetPriority": "Spot"`, 1)
	c, err := aksjson.ReadCluster(strings.NewReader(doc), strings.NewReader(vnet))
	require.NoError(t, err)
	assert.Equal(t, "1.31.3", c.KubernetesVersion)
	assert.Equal(t, capacity.PoolSystem, c.Pools[0].Mode)
	user := c.Pools[1]
	assert.Equal(t, [3]any{capacity.PoolUser, true, capacity.SurgeNodes(2)}, [3]any{user.Mode, user.Spot, user.MaxUnavailable})
}

// ipFamilies decides DualStack; IPv6 ranges are kept wherever they are
// written, single-stack or not, and Validate judges them.
func TestReadIPFamilies(t *testing.T) {
	ds := testdata(t, "dualstack.json")
	dsVNet := testdata(t, "dualstack-vnet.json")
	kubenet := testdata(t, "kubenet.json")
	kubenetVNet := testdata(t, "kubenet-vnet.json")
	const families = `"ipFamilies": ["IPv4", "IPv6"]`
	for _, tt := range []struct {
		name          string
		cluster, vnet string
		dualStack     bool
	}{
		{"as AKS writes it", ds, dsVNet, true},
		{"IPv6 first", strings.Replace(ds, families, `"ipFamilies": ["IPv6", "IPv4"]`, 1), dsVNet, true},
		{"lower case", strings.Replace(ds, families, `"ipFamilies": ["ipv4", "ipv6"]`, 1), dsVNet, true},
		{"IPv4 only", strings.Replace(ds, families, `"ipFamilies": ["IPv4"]`, 1), dsVNet, false},
		{"null", strings.Replace(ds, families, `"ipFamilies": null`, 1), dsVNet, false},
		{"absent", strings.Replace(ds, families+",", "", 1), dsVNet, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name != "as AKS writes it" {
				require.NotEqual(t, ds, tt.cluster, "the edit must change the document")
			}
			c, err := aksjson.ReadCluster(strings.NewReader(tt.cluster), strings.NewReader(tt.vnet))
			require.NoError(t, err)
			assert.Equal(t, tt.dualStack, c.DualStack)
			// The ranges are read alike: what ipFamilies says is for
			// Validate to hold them to.
			assert.Equal(t, pfx("10.244.0.0/16", "fd12:3456:789a::/64"), c.PodCIDRs)
			assert.Equal(t, pfx("10.0.0.0/16", "fd12:3456:789a:1::/108"), c.ServiceCIDRs)
			assert.Equal(t, pfx("10.240.0.0/22", "fd00:1::/64"), c.Subnets[0].Prefixes)
			assert.Equal(t, pfx("10.240.0.0/16", "fd00:1::/48"), c.VNet)
			if !tt.dualStack {
				var ve *capacity.ValidationError
				require.ErrorAs(t, c.Validate(), &ve)
				assert.Equal(t, []string{"PodCIDRs[1]", "ServiceCIDRs[1]"}, ve.Fields())
			}
		})
	}

	// A single-stack cluster on a subnet with an IPv6 prefix, in a VNet
	// with IPv6 space: both are kept, and the cluster is valid.
	vnet := strings.Replace(kubenetVNet, `"addressPrefix": "10.240.0.0/24",`, `"addressPrefixes": ["10.240.0.0/24", "fd00:2::/64"],`, 1)
	vnet = strings.Replace(vnet, `"addressPrefixes": ["10.240.0.0/16"]`, `"addressPrefixes": ["fd00:2::/48", "10.240.0.0/16"]`, 1)
	c, err := aksjson.ReadCluster(strings.NewReader(kubenet), strings.NewReader(vnet))
	require.NoError(t, err)
	assert.False(t, c.DualStack)
	assert.Equal(t, pfx("fd00:2::/48", "10.240.0.0/16"), c.VNet)
	assert.Equal(t, pfx("10.240.0.0/24", "fd00:2::/64"), c.Subnets[0].Prefixes)
	require.NoError(t, c.Validate())
	_, err = capacity.Analyze(c)
	require.NoError(t, err)

	// An IPv6 addressPrefix alone, and an IPv6 podCidr with no podCidrs,
	// are kept too.
	vnet = strings.Replace(kubenetVNet, `"addressPrefix": "10.240.255.0/27"`, `"addressPrefix": "fd00:2:0:ff::/64"`, 1)
	doc := strings.Replace(kubenet, `"podCidrs": ["10.244.0.0/16"],`, ``, 1)
	doc = strings.Replace(doc, `"podCidr": "10.244.0.0/16"`, `"podCidr": "fd00:244::/64"`, 1)
	e, err := aksjson.ReadEstate(strings.NewReader(doc), strings.NewReader(vnet))
	require.NoError(t, err)
	require.Len(t, e.Subnets, 1) // GatewaySubnet, which no cluster uses
	assert.Equal(t, pfx("fd00:2:0:ff::/64"), e.Subnets[0].Prefixes)
	assert.Equal(t, pfx("fd00:244::/64"), e.Clusters[0].PodCIDRs)

	// The dual-stack cluster as an estate: the VNet's IPv6 space is the
	// estate's, and AnalyzeEstate takes it.
	e, err = aksjson.ReadEstateFiles("testdata/dualstack.json", "testdata/dualstack-vnet.json")
	require.NoError(t, err)
	assert.Equal(t, pfx("10.240.0.0/16", "fd00:1::/48"), e.VNet)
	assert.True(t, e.Clusters[0].DualStack)
	assert.Equal(t, pfx("10.240.0.0/22", "fd00:1::/64"), e.Clusters[0].Subnets[0].Prefixes)
	_, err = capacity.AnalyzeEstate(e)
	require.NoError(t, err)
}

func TestReadErrors(t *testing.T) {
	kubenet := testdata(t, "kubenet.json")
	vnet := testdata(t, "kubenet-vnet.json")
	podStatic := testdata(t, "podsubnet-static.json")
	podStaticVNet := testdata(t, "podsubnet-static-vnet.json")
	overlay := testdata(t, "overlay-cilium.json")
	overlayVNet := testdata(t, "overlay-cilium-vnet.json")
	ds := testdata(t, "dualstack.json")
	dsVNet := testdata(t, "dualstack-vnet.json")
	const dsFamilies = `"ipFamilies": ["IPv4", "IPv6"]`
	tests := []struct {
		name    string
		cluster string
		network []string
		want    string
	}{
		{"unknown plugin mode", strings.Replace(kubenet, `"networkPlugin": "kubenet"`, `"networkPlugin": "azure", "networkPluginMode": "underlay"`, 1),
			[]string{vnet}, `aksjson: cluster: networkProfile.networkPluginMode: "underlay": unknown plugin mode`},
		{"missing network document", kubenet, nil,
			"aksjson: cluster: agentPoolProfiles[0].vnetSubnetId: \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub/subnets/kube1-nodes\": no network document describes this subnet; add the output of `az network vnet show --ids /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub -o json`"},
		{"malformed pod CIDR", strings.Replace(kubenet, `"podCidrs": ["10.244.0.0/16"]`, `"podCidrs": ["10.244.0.0/33"]`, 1),
			[]string{vnet}, `aksjson: cluster: networkProfile.podCidrs[0]: "10.244.0.0/33" is not a CIDR`},
		{"malformed subnet CIDR", kubenet, []string{strings.Replace(vnet, `"10.240.0.0/24"`, `"10.240.0/24"`, 1)},
			`aksjson: network[0]: subnets[0].addressPrefix: "10.240.0/24" is not a CIDR`},
		{"bad maxUnavailable", strings.Replace(kubenet, `"maxSurge": "33%"`, `"maxSurge": "33%", "maxUnavailable": "lots"`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[1].upgradeSettings.maxUnavailable: "lots": want a node count such as "1" or a percentage such as "10%"`},
		{"bad pool mode", strings.Replace(kubenet, `"mode": "User"`, `"mode": "Gateway"`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[1].mode: "Gateway": want System or User`},
		{"bad priority", strings.Replace(kubenet, `"mode": "User"`, `"mode": "User", "scaleSetPriority": "Low"`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[1].scaleSetPriority: "Low": want Regular or Spot`},
		{"truncated", kubenet[:500], nil, "aksjson: cluster: at byte 500: truncated: the document ends early"},
		{"not JSON", "apiVersion: v1\nkind: Cluster", nil, "aksjson: cluster: at byte 1: not JSON: invalid character 'a' looking for beginning of value"},
		{"wrong type", strings.Replace(kubenet, `"count": 3`, `"count": "three"`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[0].count: "three": want a whole number`},
		{"not a network document", kubenet, []string{`{"name": "x"}`}, "aksjson: network[0]: at byte 0: not a VNet"},
		{"bad surge", strings.Replace(kubenet, `"maxSurge": "1"`, `"maxSurge": "lots"`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[0].upgradeSettings.maxSurge: "lots"`},
		{"trailing data", kubenet + "{}", []string{vnet}, "trailing data after the JSON document"},
		{"trailing brace", kubenet + "}", []string{vnet}, "trailing data after the JSON document"},
		{"wrong type in the second pool", strings.Replace(podStatic, `"maxSurge": "10%"`, `"maxSurge": 10`, 1), []string{podStaticVNet},
			`aksjson: cluster: agentPoolProfiles[1].upgradeSettings.maxSurge: 10: want a string such as "33%" or "3"`},
		{"REST shape", strings.Replace(overlay, `"maxSurge": "10%"`, `"maxSurge": 10`, 1), []string{overlayVNet},
			`aksjson: cluster: properties.agentPoolProfiles[1].upgradeSettings.maxSurge: 10: want a string such as "33%" or "3"`},
		{"a list for an object", strings.Replace(kubenet, `"networkProfile": {`, `"networkProfile": [{`, 1), []string{vnet},
			`aksjson: cluster: networkProfile: a list: want an object`},
		{"whole document a list", "[" + kubenet + "]", nil,
			"aksjson: cluster: at byte 0: a list: want an object (the output of `az aks show -o json`)"},
		{"malformed podCidr beside good podCidrs", strings.Replace(kubenet, `"podCidr": "10.244.0.0/16"`, `"podCidr": "10.244.0.0/99"`, 1),
			[]string{vnet}, `aksjson: cluster: networkProfile.podCidr: "10.244.0.0/99" is not a CIDR`},
		{"malformed addressPrefix beside good addressPrefixes", kubenet, []string{strings.Replace(vnet,
			`"addressPrefix": "10.240.0.0/24",`, `"addressPrefix": "10.240.0.0/", "addressPrefixes": ["10.240.0.0/24"],`, 1)},
			`aksjson: network[0]: subnets[0].addressPrefix: "10.240.0.0/" is not a CIDR`},
		// The root cause, not what follows from it: a pool subnet the
		// VNet document failed to describe, a static block without the pod
		// subnet that was written as a number.
		{"bad subnet element, not a missing subnet", kubenet, []string{strings.Replace(vnet, `"subnets": [`, `"subnets": [7, `, 1)},
			`aksjson: network[0]: subnets[0]: 7: want an object (a subnet)`},
		{"pod subnet of the wrong type, not a missing one", strings.Replace(podStatic, `"podSubnetId": "`, `"podSubnetId": 5, "x": "`, 1),
			[]string{podStaticVNet}, `aksjson: cluster: agentPoolProfiles[0].podSubnetId: 5: want a subnet's ARM ID string`},
		{"autoscaling as a string", strings.Replace(kubenet, `"enableAutoScaling": true`, `"enableAutoScaling": "true"`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[1].enableAutoScaling: "true": want true or false`},
		{"number out of range", strings.Replace(kubenet, `"count": 3`, `"count": 1e30`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[0].count: 1e30: want a whole number`},
		{"maxPods 0, not the mode's default", strings.Replace(kubenet, `"maxPods": 110`, `"maxPods": 0`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[0].maxPods: 0 is outside 10–250`},
		{"autoscaling with a max count of 0", strings.Replace(kubenet, `"maxCount": 40`, `"maxCount": 0`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[1].maxCount: 0 with enableAutoScaling true: want a max count of 1 or more`},
		{"whole number out of range", strings.Replace(kubenet, `"count": 3`, `"count": 100000000000000000000`, 1), []string{vnet},
			`aksjson: cluster: agentPoolProfiles[0].count: 100000000000000000000: out of range: want a count, a whole number of at most 18 digits`},
		{"list-usage entry without currentValue", kubenet, []string{vnet, `[{"id": "x"}]`},
			`aksjson: network[1]: [0]: a list-usage entry needs id and currentValue`},
		{"deeply nested unknown field", strings.Replace(kubenet, `"networkProfile": {`, `"extra": `+strings.Repeat("[", 5000)+strings.Repeat("]", 5000)+`, "networkProfile": {`, 1),
			[]string{vnet}, "extra: nested more than 1000 levels deep"},
		{"odd key", strings.Replace(kubenet, `"networkProfile": {`, `"a.b\u001b[31m": `+strings.Repeat("[", 1001)+strings.Repeat("]", 1001)+`, "networkProfile": {`, 1),
			[]string{vnet}, `aksjson: cluster: ["a.b\x1b[31m"]: nested more than 1000 levels deep`},
		{"empty", "  ", nil, "aksjson: cluster: at byte 0: empty: the document holds no JSON value"},
		{"ipFamilies empty", strings.Replace(ds, dsFamilies, `"ipFamilies": []`, 1), []string{dsVNet},
			`aksjson: cluster: networkProfile.ipFamilies: an empty list: want ["IPv4"] (single-stack) or ["IPv4", "IPv6"] (dual-stack)`},
		{"ipFamilies IPv6 alone", strings.Replace(ds, dsFamilies, `"ipFamilies": ["IPv6"]`, 1), []string{dsVNet},
			`aksjson: cluster: networkProfile.ipFamilies: ["IPv6"]: AKS has no IPv6 single-stack clusters: want ["IPv4"] (single-stack) or ["IPv4", "IPv6"] (dual-stack)`},
		{"ipFamilies unknown name", strings.Replace(ds, dsFamilies, `"ipFamilies": ["IPv4", "IPv5"]`, 1), []string{dsVNet},
			`aksjson: cluster: networkProfile.ipFamilies[1]: "IPv5": want "IPv4" or "IPv6"`},
		{"ipFamilies twice", strings.Replace(ds, dsFamilies, `"ipFamilies": ["IPv4", "ipv4"]`, 1), []string{dsVNet},
			`aksjson: cluster: networkProfile.ipFamilies[1]: "ipv4": the family is listed twice (at networkProfile.ipFamilies[0] too)`},
		{"ipFamilies a string", strings.Replace(ds, dsFamilies, `"ipFamilies": "IPv4,IPv6"`, 1), []string{dsVNet},
			`aksjson: cluster: networkProfile.ipFamilies: "IPv4,IPv6": want ["IPv4"] (single-stack) or ["IPv4", "IPv6"] (dual-stack)`},
		{"ipFamilies element a number", strings.Replace(ds, dsFamilies, `"ipFamilies": [4, 6]`, 1), []string{dsVNet},
			`aksjson: cluster: networkProfile.ipFamilies[0]: 4: want "IPv4" or "IPv6"`},
		{"ipFamilies in the REST shape", strings.Replace(overlay, dsFamilies, `"ipFamilies": ["IPv4", "IP6"]`, 1), []string{overlayVNet},
			`aksjson: cluster: properties.networkProfile.ipFamilies[1]: "IP6": want "IPv4" or "IPv6"`},
		{"malformed IPv6 pod CIDR", strings.Replace(ds, `"fd12:3456:789a::/64"`, `"fd12:3456:789a::/129"`, 1), []string{dsVNet},
			`aksjson: cluster: networkProfile.podCidrs[1]: "fd12:3456:789a::/129" is not a CIDR`},
		{"malformed IPv6 subnet prefix", ds, []string{strings.Replace(dsVNet, `"fd00:1::/64"`, `"fd00:1:/64"`, 1)},
			`aksjson: network[0]: subnets[0].addressPrefixes[1]: "fd00:1:/64" is not a CIDR`},
		{"malformed IPv6 VNet space", ds, []string{strings.Replace(dsVNet, `"fd00:1::/48"`, `"fd00:1::/480"`, 1)},
			`aksjson: network[0]: addressSpace.addressPrefixes[1]: "fd00:1::/480" is not a CIDR`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var nets []io.Reader
			for _, n := range tt.network {
				nets = append(nets, strings.NewReader(n))
			}
			_, err := aksjson.ReadCluster(strings.NewReader(tt.cluster), nets...)
			var ae *aksjson.Error
			require.ErrorAs(t, err, &ae)
			assert.Contains(t, err.Error(), tt.want)
			checkMessage(t, err, "cluster", "network[0]", "network[1]")
		})
	}
}

// FuzzReadCluster: no input panics; every error speaks the user's document
// (checkMessage); a cluster read is one Validate can judge.
func FuzzReadCluster(f *testing.F) {
	for _, pair := range [][2]string{{"kubenet.json", "kubenet-vnet.json"}, {"overlay-cilium.json", "overlay-cilium-vnet.json"},
		{"legacy-cni.json", "legacy-cni-subnet.json"}, {"byocni.json", "byocni-usage.json"}, {"dualstack.json", "dualstack-vnet.json"}} {
		f.Add([]byte(testdata(f, pair[0])), []byte(testdata(f, pair[1])))
	}
	f.Add([]byte(`{"properties":{}}`), []byte(`[]`))
	f.Fuzz(func(t *testing.T, cluster, network []byte) {
		c, err := aksjson.ReadCluster(strings.NewReader(string(cluster)), strings.NewReader(string(network)))
		if err != nil {
			checkMessage(t, err, "cluster", "network[0]")
		} else {
			_ = c.Validate()
			_, _ = capacity.Analyze(c)
		}
	})
}

// FuzzReadEstate: no input panics; every error speaks the user's document;
// an estate read is one AnalyzeEstate can judge.
func FuzzReadEstate(f *testing.F) {
	for _, pair := range [][2]string{{"estate-aks-list.json", "estate-subnets.json"}, {"estate-graph.json", "estate-vnet.json"},
		{"estate-rest.json", "estate-usage.json"}, {"estate-alpha.json", "estate-subnets.json"}, {"dualstack.json", "dualstack-vnet.json"}} {
		f.Add([]byte(testdata(f, pair[0])), []byte(testdata(f, pair[1])))
	}
	f.Add([]byte(`{"data":[]}`), []byte(`{"value":[]}`))
	// One list of subnets and list-usage entries: Reserved from both.
	mixed := mixedNetwork(f)
	f.Add([]byte(testdata(f, "estate-aks-list.json")), mixed)
	f.Add([]byte(testdata(f, "estate-alpha.json")), mixed)
	f.Fuzz(func(t *testing.T, clusters, network []byte) {
		e, err := aksjson.ReadEstate(strings.NewReader(string(clusters)), strings.NewReader(string(network)))
		if err != nil {
			checkMessage(t, err, "clusters", "network[0]")
		} else {
			_, _ = capacity.AnalyzeEstate(e)
		}
	})
}
