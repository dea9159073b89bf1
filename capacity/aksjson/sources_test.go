package aksjson_test

import (
	"encoding/json"
	"errors"
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

// edited writes testdata fixture name, changed by edit, to dir/as and
// returns its path.
func edited(t *testing.T, dir, name, as string, edit func(doc map[string]any)) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	edit(doc)
	b, err = json.MarshalIndent(doc, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(dir, as)
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return path
}

// at returns the object at the keys and list indexes of path in doc.
func at(doc map[string]any, path ...any) map[string]any {
	var v any = doc
	for _, k := range path {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// explained reads the files, validates the cluster and returns the
// problems told in the files' words.
func explained(t *testing.T, cluster string, network ...string) error {
	t.Helper()
	c, src, err := aksjson.ReadFilesWithSources(cluster, network...)
	require.NoError(t, err, "an invalid cluster reads fine: Validate judges it")
	verr := c.Validate()
	require.Error(t, verr)
	err = src.Explain(verr)
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve, "errors.As finds the ValidationError")
	assert.Same(t, verr, ve)
	var ie *capacity.InputError
	require.ErrorAs(t, err, &ie)
	return err
}

func TestExplainNamesTheDocuments(t *testing.T) {
	dir := t.TempDir()
	kubenetVNet := filepath.Join("testdata", "kubenet-vnet.json")

	t.Run("maxPods", func(t *testing.T) {
		cluster := edited(t, dir, "kubenet.json", "maxpods.json", func(doc map[string]any) {
			at(doc, "agentPoolProfiles", 1)["maxPods"] = 300
		})
		err := explained(t, cluster, kubenetVNet)
		assert.EqualError(t, err, "invalid cluster (1 problem); "+cluster+": agentPoolProfiles[1].maxPods: 300 is outside 10–250")
		var ve *capacity.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.True(t, ve.HasField("Pools[1].MaxPods"), "capacity's paths are kept underneath")
	})

	t.Run("IPv6 subnet prefix", func(t *testing.T) {
		vnet := edited(t, dir, "dualstack-vnet.json", "ds-vnet.json", func(doc map[string]any) {
			at(doc, "subnets", 0)["addressPrefixes"] = []any{"10.240.0.0/22", "fd00:1::/56"}
		})
		err := explained(t, filepath.Join("testdata", "dualstack.json"), vnet)
		assert.EqualError(t, err, "invalid cluster (1 problem); "+vnet+": subnets[0].addressPrefixes[1]: fd00:1::/56: an IPv6 subnet prefix is exactly a /64")
	})

	t.Run("pod CIDR overlaps the VNet", func(t *testing.T) {
		cluster := edited(t, dir, "kubenet.json", "overlap.json", func(doc map[string]any) {
			at(doc, "networkProfile")["podCidrs"] = []any{"10.240.128.0/17"}
		})
		err := explained(t, cluster, kubenetVNet)
		assert.EqualError(t, err, "invalid cluster (1 problem); "+cluster+": networkProfile.podCidrs[0]: NetworkProfileCIDROverlapVNET: NetworkProfile CIDR 10.240.128.0/17 overlaps with reserved VNET CIDR 10.240.0.0/16")
	})

	t.Run("the value as written where the message spells it otherwise", func(t *testing.T) {
		vnet := edited(t, dir, "dualstack-vnet.json", "upper-vnet.json", func(doc map[string]any) {
			at(doc, "subnets", 0)["addressPrefixes"] = []any{"10.240.0.0/22", "FD00:1::/56"}
		})
		err := explained(t, filepath.Join("testdata", "dualstack.json"), vnet)
		assert.EqualError(t, err, "invalid cluster (1 problem); "+vnet+`: subnets[0].addressPrefixes[1] = "FD00:1::/56": fd00:1::/56: an IPv6 subnet prefix is exactly a /64`)
	})

	t.Run("a default keeps capacity's path", func(t *testing.T) {
		// Without podCidr, kubenet takes its default 10.244.0.0/16, which
		// this VNet holds.
		cluster := edited(t, dir, "kubenet.json", "default.json", func(doc map[string]any) {
			np := at(doc, "networkProfile")
			delete(np, "podCidr")
			delete(np, "podCidrs")
		})
		vnet := edited(t, dir, "kubenet-vnet.json", "wide-vnet.json", func(doc map[string]any) {
			at(doc, "addressSpace")["addressPrefixes"] = []any{"10.240.0.0/16", "10.244.0.0/16"}
		})
		err := explained(t, cluster, vnet)
		assert.EqualError(t, err, "invalid cluster (1 problem); PodCIDRs[0]: NetworkProfileCIDROverlapVNET: NetworkProfile CIDR 10.244.0.0/16 overlaps with reserved VNET CIDR 10.244.0.0/16")
	})

	t.Run("another field a message cites", func(t *testing.T) {
		vnet := edited(t, dir, "kubenet-vnet.json", "overlapping-vnet.json", func(doc map[string]any) {
			at(doc, "subnets", 1)["addressPrefix"] = "10.240.0.0/27"
		})
		cluster := edited(t, dir, "kubenet.json", "two-subnets.json", func(doc map[string]any) {
			at(doc, "agentPoolProfiles", 1)["vnetSubnetId"] = at(vnet2(t, vnet), "subnets", 1)["id"]
		})
		err := explained(t, cluster, vnet)
		assert.EqualError(t, err, "invalid cluster (1 problem); "+vnet+`: subnets[1].addressPrefix: 10.240.0.0/27 overlaps 10.240.0.0/24 of subnet "kube1-nodes" (subnets[0].addressPrefix): subnets must not share addresses`)
	})

	t.Run("a replaced mode", func(t *testing.T) {
		// A caller may change the cluster before validating it: the fields
		// it leaves alone keep their sources.
		c, src, err := aksjson.ReadFilesWithSources(filepath.Join("testdata", "kubenet.json"), kubenetVNet)
		require.NoError(t, err)
		require.NoError(t, c.Validate())
		c.Mode = modes.AzureCNI
		err = src.Explain(c.Validate())
		assert.EqualError(t, err, "invalid cluster (1 problem); testdata/kubenet.json: networkProfile.podCidrs: 10.244.0.0/16: Azure CNI (node subnet) takes pod addresses from VNet subnets; want none (a pod CIDR applies to kubenet and Overlay, a CNI pool to bring-your-own CNI)")
	})

	t.Run("streams", func(t *testing.T) {
		c, src, err := aksjson.ReadClusterWithSources(open(t, "legacy-cni.json")[0], open(t, "legacy-cni-subnet.json")...)
		require.NoError(t, err)
		c.Pools[1].MaxPods = 300 // changed: the source tells the field and the value as written
		err = src.Explain(c.Validate())
		assert.EqualError(t, err, "invalid cluster (1 problem); cluster: agentPoolProfiles[1].maxPods = 30: 300 is outside 10–250")
	})

	assert.NoError(t, capacity.Sources{}.Explain(nil))
	other := errors.New("not a validation error")
	assert.Same(t, other, capacity.Sources{}.Explain(other))
}

// vnet2 reads a network document back.
func vnet2(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	return doc
}

func TestExplainEstateNamesTheDocuments(t *testing.T) {
	dir := t.TempDir()
	replaced := func(name, old, repl string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		require.Contains(t, string(b), old)
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, repl, 1)), 0o644))
		return path
	}
	list := filepath.Join("testdata", "estate-aks-list.json")
	vnet := filepath.Join("testdata", "estate-vnet.json")
	subnets := filepath.Join("testdata", "estate-subnets.json")

	// A cluster's problem: an *EstateError around the cluster's.
	bad := replaced("estate-aks-list.json", `"maxPods": 30,`, `"maxPods": 300,`)
	e, src, err := aksjson.ReadEstateFilesWithSources(bad, vnet, subnets)
	require.NoError(t, err)
	_, err = capacity.AnalyzeEstate(e)
	err = src.Explain(err)
	assert.EqualError(t, err, "Clusters[0] (alpha): invalid cluster (1 problem); "+bad+": [0].agentPoolProfiles[0].maxPods: 300 is outside 10–250")
	var ee *capacity.EstateError
	require.ErrorAs(t, err, &ee)
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.HasField("Pools[0].MaxPods"))

	// The estate's own: a shared subnet outside the VNet.
	outside := replaced("estate-subnets.json", `"addressPrefix": "10.30.0.0/22"`, `"addressPrefix": "10.31.0.0/22"`)
	e, src, err = aksjson.ReadEstateFilesWithSources(list, vnet, outside)
	require.NoError(t, err)
	_, err = capacity.AnalyzeEstate(e)
	assert.EqualError(t, src.Explain(err), "invalid cluster (1 problem); "+outside+": [0].addressPrefix: 10.31.0.0/22 is outside the VNet 10.30.0.0/16")

	// A cluster's own subnet, as the estate analyses the cluster: gamma's
	// gamma-nodes, with the IPv6 prefix a single-stack cluster may have.
	own := replaced("estate-subnets.json", `"addressPrefix": "10.30.4.0/24"`, `"addressPrefixes": ["10.30.4.0/24", "fd00::/56"]`)
	e, src, err = aksjson.ReadEstateFilesWithSources(list, vnet, own)
	require.NoError(t, err)
	e.VNet = append(e.VNet, netip.MustParsePrefix("fd00::/48"))
	_, err = capacity.AnalyzeEstate(e)
	assert.ErrorContains(t, src.Explain(err), own+": [2].addressPrefixes[1]: fd00::/56: an IPv6 subnet prefix is exactly a /64")
}
