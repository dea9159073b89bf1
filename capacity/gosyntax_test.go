package capacity_test

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goSyntax matches what fmt's %v makes of Go values that a message must
// spell in words: a slice or map ("[10.0.0.0/16]", "map[…]"), a nil, a
// pointer to a struct, a bad verb, an enum value with no name
// ("Unit(99)"). A bracket after a name or an index is a field path
// ("Pools[1]") and is fine.
var goSyntax = regexp.MustCompile(`(^|[\s(:;,])\[|<nil>|&\{|map\[|%!|\b[A-Z]\w*\(\d+\)`)

// Validate's messages, over generated clusters, most of them invalid,
// speak in words, never in Go's syntax.
func TestValidationMessagesHaveNoGoSyntax(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 19))
	invalid := 0
	for range 20000 {
		c := (&gen{b: genBytes(r)}).cluster()
		err := c.Validate()
		if err == nil {
			continue
		}
		invalid++
		if !assert.NotRegexp(t, goSyntax, err.Error()) {
			return
		}
	}
	assert.Greater(t, invalid, 10000)

	// Values no generator draws: enums out of range, listed in words.
	spec := modes.AzureCNIOverlay.Spec()
	spec.Mode, spec.Pods.Unit, spec.Pods.Source, spec.Dataplane, spec.Policies = 200, 99, 99, 99, []modes.Policy{99}
	for _, c := range []capacity.Cluster{{Mode: 200}, {Spec: &spec}} {
		err := c.Validate()
		require.Error(t, err)
		assert.NotRegexp(t, goSyntax, err.Error())
	}
	err := capacity.Cluster{Mode: 200}.Validate()
	assert.ErrorContains(t, err, "Mode: unknown mode 200: want kubenet, azure-cni, azure-cni-pod-subnet, azure-cni-static-block, azure-cni-overlay, cilium-overlay, cilium-pod-subnet, cilium-node-subnet, byocni-calico or byocni-cilium, or a custom Spec")
}
