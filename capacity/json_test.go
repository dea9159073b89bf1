package capacity_test

import (
	"context"
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTrip encodes v as JSON and decodes it into a new value of its type.
func roundTrip[T any](t *testing.T, v T) (T, string) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(b, &back), string(b))
	return back, string(b)
}

// Tools exchange clusters and answers as JSON: nothing may be lost.
func TestJSONRoundTrips(t *testing.T) {
	c := capacity.Cluster{
		Mode: modes.AzureCNIPodSubnet, Policy: modes.PolicyCalico,
		VNet:         []netipPrefix{pfx("10.240.0.0/16")},
		Subnets:      []capacity.Subnet{{Name: "nodes", Prefixes: []netipPrefix{pfx("10.240.0.0/22")}, Reserved: 4}, subnet("pods", "10.240.8.0/21")},
		ServiceCIDRs: []netipPrefix{pfx("10.0.0.0/16")}, DNSServiceIP: netipAddr("10.0.0.10"),
		Pools: []capacity.Pool{
			{Name: "sys", Count: 3, MaxSurge: capacity.SurgeNodes(1), NodeSubnet: "nodes", PodSubnet: "pods", Mode: capacity.PoolSystem},
			{Name: "win", OS: modes.Windows, Count: 2, MinCount: 1, MaxCount: 9, MaxPods: 40, PodsPerNode: 12,
				MaxSurge: capacity.SurgePercent(33), NodeSubnet: "nodes", PodSubnet: "pods", MaxUnavailable: capacity.SurgePercent(10), Spot: true},
		},
		DefaultMaxSurge: capacity.SurgeNodes(1),
		Admission:       capacity.Admission2018, ClusterUpgradeSurge: capacity.UpgradeSurgeOnePool, KubernetesVersion: "1.35.1",
	}
	back, text := roundTrip(t, c)
	assert.Equal(t, c, back)
	assert.Contains(t, text, `"mode":"azure-cni-pod-subnet"`)
	assert.Contains(t, text, `"maxSurge":"33%"`)
	assert.Contains(t, text, `"os":"Windows"`)
	assert.Contains(t, text, `"mode":"system"`)
	assert.Contains(t, text, `"maxUnavailable":"10%"`)
	assert.Contains(t, text, `"admission":"2018"`)
	assert.Contains(t, text, `"clusterUpgradeSurge":"one-pool"`)

	custom := modes.AzureCNIOverlay.Spec()
	custom.Mode, custom.Name, custom.Pods.BlockBits = 0, "custom", 25
	cc := capacity.Cluster{Spec: &custom, Subnets: []capacity.Subnet{subnet("n", "10.1.0.0/24")}, Pools: []capacity.Pool{{Name: "p", Count: 3}}}
	cback, _ := roundTrip(t, cc)
	assert.Equal(t, cc, cback)

	rep, err := capacity.Analyze(c)
	require.NoError(t, err)
	repBack, text := roundTrip(t, *rep)
	assert.Equal(t, *rep, repBack)
	assert.Contains(t, text, `"limit":"pod-subnet"`)

	rec, err := capacity.Recommend(c)
	require.NoError(t, err)
	recBack, _ := roundTrip(t, *rec)
	assert.Equal(t, *rec, recBack)

	tl, err := capacity.Simulate(context.Background(), c, capacity.ScaleOut("sys", 500))
	require.NoError(t, err)
	tlBack, _ := roundTrip(t, *tl)
	assert.Equal(t, *tl, tlBack)

	h := []capacity.Observation{{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 3}, {time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 5}, {time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 8}}
	f, err := capacity.Forecast(context.Background(), c, "win", capacity.ForecastOptions{Trials: 20, History: h})
	require.NoError(t, err)
	fBack, text := roundTrip(t, *f)
	assert.Equal(t, *f, fBack)
	assert.Contains(t, text, `"limits":{"pod-subnet":20}`)

	err = capacity.Preflight(oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 10}), capacity.Step{Op: capacity.OpCreate})
	var ae *capacity.AdmissionError
	require.ErrorAs(t, err, &ae)
	aeBack, _ := roundTrip(t, *ae)
	assert.Equal(t, *ae, aeBack)
}

// A space's role is spelt once, by modes.Source: the Limit of running out
// of a space of each role has the source's value and name, and the spaces
// outside the VNet are named by it.
func TestSpaceRolesSpeltBySource(t *testing.T) {
	for _, s := range []modes.Source{modes.NoSource, modes.NodeSubnet, modes.PodSubnet, modes.PodCIDR, modes.CNIPool} {
		l, err := capacity.ParseLimit(s.String())
		require.NoError(t, err, s)
		assert.Equal(t, capacity.Limit(s), l, s)
		assert.Equal(t, s.String(), capacity.Limit(s).String())
	}
	assert.Equal(t, modes.PodCIDR.String(), capacity.PodCIDRSpace)
	assert.Equal(t, modes.CNIPool.String(), capacity.CNIPoolSpace)

	for _, mode := range []modes.Mode{modes.Kubenet, modes.BYOCNICalico} {
		r, err := capacity.Analyze(capacity.Cluster{Mode: mode, Pools: []capacity.Pool{{Name: "p", Count: 3, MaxPods: 30, NodeSubnet: "nodes"}},
			Subnets: []capacity.Subnet{{Name: "nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/24")}}}})
		require.NoError(t, err, mode)
		pods := r.Spaces[len(r.Spaces)-1]
		assert.Equal(t, mode.Spec().Pods.Source, pods.Source, mode)
		assert.Equal(t, pods.Source.String(), pods.Name, mode)
	}
}
