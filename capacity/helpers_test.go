package capacity_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// subnet returns a subnet named name with one prefix.
func subnet(name, prefix string) capacity.Subnet {
	return capacity.Subnet{Name: name, Prefixes: []netip.Prefix{pfx(prefix)}}
}

// oneSubnet returns a cluster of one pool on one node subnet.
func oneSubnet(m modes.Mode, prefix string, p capacity.Pool) capacity.Cluster {
	if p.Name == "" {
		p.Name = "nodes"
	}
	return capacity.Cluster{Mode: m, Subnets: []capacity.Subnet{subnet("nodes", prefix)}, Pools: []capacity.Pool{p}}
}

// podSubnet returns a cluster of one pool, named "p" unless p names it,
// with a node subnet "nodes" and a pod subnet "pods".
func podSubnet(m modes.Mode, nodes, pods string, p capacity.Pool) capacity.Cluster {
	if p.Name == "" {
		p.Name = "p"
	}
	p.NodeSubnet, p.PodSubnet = "nodes", "pods"
	return capacity.Cluster{Mode: m, Subnets: []capacity.Subnet{subnet("nodes", nodes), subnet("pods", pods)}, Pools: []capacity.Pool{p}}
}

// exhausted simulates scaling pool out to nodes and returns where it ran
// out; it fails the test when it did not.
func exhausted(t *testing.T, c capacity.Cluster, pool string, nodes int) capacity.Exhaustion {
	t.Helper()
	tl, err := capacity.Simulate(context.Background(), c, capacity.ScaleOut(pool, nodes))
	require.NoError(t, err)
	require.NotNil(t, tl.Exhausted, "ScaleOut(%q, %d)", pool, nodes)
	return *tl.Exhausted
}

type netipPrefix = netip.Prefix

func netipAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// hasProblem asserts that err is a *capacity.ValidationError with a
// problem of field and code whose message contains msg.
func hasProblem(t *testing.T, err error, field, code, msg string) {
	t.Helper()
	var ve *capacity.ValidationError
	require.ErrorAs(t, err, &ve)
	found := false
	for _, p := range ve.Problems {
		found = found || p.Field == field && p.Code == code && strings.Contains(p.Message, msg)
	}
	assert.True(t, found, "want %s %q %q in %v", field, code, msg, err)
}
