package main

import (
	"io"
	"testing"

	"github.com/ipcap/ipcap/examples/internal/goldenfile"
	"github.com/stretchr/testify/assert"
)

func golden(t *testing.T, name string, args ...string) string {
	t.Helper()
	return goldenfile.Run(t, name, func(stdout, stderr io.Writer) error { return run(args, stdout, stderr) })
}

func TestDefault(t *testing.T) {
	out := golden(t, "default.txt")
	// 500 nodes: kubenet's route table holds 400.
	assert.Contains(t, out, "550 routes with surge exceed the route table's 400")
}

func TestLarge(t *testing.T) {
	out := golden(t, "large.txt", "-nodes", "3000", "-pods", "60", "-windows", "-policy", "calico")
	assert.Contains(t, out, "azure-cni-overlay       yes")
}

func TestSmallVNet(t *testing.T) {
	// 10.0.0.0/20 overlaps AKS's default service CIDR: compare moves it.
	golden(t, "small.txt", "-nodes", "40", "-pods", "110", "-vnet", "10.0.0.0/20", "-dual-stack")
}

func TestClusterFile(t *testing.T) {
	const fixtures = "../../capacity/aksjson/testdata/"
	out := golden(t, "legacy-cni.txt", "-cluster", fixtures+"legacy-cni.json", "-network", fixtures+"legacy-cni-subnet.json")
	// 3 + 8 nodes at 30 pods with a Windows pool and Azure NPM, in the subnet's /23.
	assert.Contains(t, out, "workload: 11 nodes × 30 pods in VNet 10.20.0.0/23, Windows, network policy azure")
}

func TestBadInput(t *testing.T) {
	for _, args := range [][]string{{"-vnet", "nope"}, {"-vnet", "fd00::/64"}, {"-nodes", "0"}, {"-pods", "300"}, {"-policy", "antrea"}, {"x"}, {"-cluster", "nope.json"}} {
		assert.Error(t, run(args, io.Discard, io.Discard), "%v", args)
	}
}
