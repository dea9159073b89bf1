package main

import (
	"io"
	"testing"

	"github.com/ipcap/ipcap/examples/internal/goldenfile"
	"github.com/stretchr/testify/assert"
)

const fixtures = "../../capacity/aksjson/testdata/"

func golden(t *testing.T, name string, args ...string) string {
	t.Helper()
	return goldenfile.Run(t, name, func(stdout, stderr io.Writer) error { return run(args, stdout, stderr) })
}

func TestDefault(t *testing.T) {
	out := golden(t, "default.txt")
	assert.Contains(t, out, "InsufficientSubnetSize: Pre-allocated IPs")
}

func TestLegacyCNI(t *testing.T) {
	out := golden(t, "azure-cni.txt", "-mode", "azure-cni")
	// 73 nodes at 31 addresses in a /22 with 8 taken: 2,263 of 1,011.
	assert.Contains(t, out, "refused: InsufficientSubnetSize: Pre-allocated IPs 2263 exceeds IPs available 1011 in Subnet Cidr 10.240.0.0/22, Subnet Name aks-nodes")
	assert.Contains(t, out, "Pre-allocated IPs 31 exceeds IPs available 0", "an over-committed subnet has nothing free")
}

func TestClusterFile(t *testing.T) {
	golden(t, "static.txt", "-cluster", fixtures+"podsubnet-static.json", "-network", fixtures+"podsubnet-static-vnet.json")
	out := golden(t, "legacy-scale.txt", "-cluster", fixtures+"legacy-cni.json", "-network", fixtures+"legacy-cni-subnet.json",
		"-op", "scale", "-pool", "system", "-nodes", "9")
	assert.Contains(t, out, "Pre-allocated IPs 186 exceeds IPs available 164")
}

func TestBadInput(t *testing.T) {
	for _, args := range [][]string{{"-op", "explode"}, {"-op", "scale", "-pool", "user"}, {"-mode", "x"}, {"extra"}, {"-cluster", "nope.json"}} {
		assert.Error(t, run(args, io.Discard, io.Discard), "%v", args)
	}
}
