package main

import (
	"io"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/examples/internal/goldenfile"
	"github.com/ipcap/ipcap/examples/internal/input"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-op", "explode"}, `-op "explode": want create, scale, upgrade or add-pool`},
		{[]string{"-op", "scale", "-pool", "user"}, "-op scale needs -nodes"},
		{[]string{"-op", "scale", "-pool", "user", "-nodes", "-5"}, "-nodes -5: want 0 or more"},
		{[]string{"-op", "upgrade"}, "-op upgrade needs -pool"},
		{[]string{"-op", "upgrade", "-pool", "nope"}, `-pool "nope": the cluster has no such pool`},
		{[]string{"-pool", "user"}, "-pool and -nodes go with -op"},
		{[]string{"-mode", "x"}, `-mode "x": unknown networking mode`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-cluster", "nope.json"}, "nope.json: cannot open"},
		{[]string{"-network", fixtures + "legacy-cni-subnet.json"}, "give -cluster too"},
		{[]string{"-cluster", fixtures + "legacy-cni.json"}, "legacy-cni.json: agentPoolProfiles[0].vnetSubnetId"},
	} {
		err := run(tt.args, io.Discard, io.Discard)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want, "%v", tt.args)
		assert.Equal(t, input.ExitUsage, input.ExitCode(err), "%v: %v", tt.args, err)
	}
}

func TestHelp(t *testing.T) {
	var errOut strings.Builder
	err := run([]string{"-h"}, io.Discard, &errOut)
	assert.Equal(t, input.ExitOK, input.ExitCode(err))
	assert.Contains(t, errOut.String(), "-cluster")
}
