package modes_test

import (
	"testing"

	"github.com/ipcap/ipcap/internal/enum/enumtest"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isFieldError accepts the one parse error of package modes' enums.
var isFieldError = enumtest.FieldError("modes")

// Every value of every enum, zero included, has one text form: String ==
// MarshalText == what ParseX and UnmarshalText read.
func TestEnumTextForms(t *testing.T) {
	enumtest.Package(t, ".", []enumtest.Case{
		enumtest.For("Mode", modes.ParseMode, isFieldError, "", "kubenet", "azure-cni", "azure-cni-pod-subnet", "azure-cni-static-block", "azure-cni-overlay",
			"cilium-overlay", "cilium-pod-subnet", "cilium-node-subnet", "byocni-calico", "byocni-cilium"),
		enumtest.For("Source", modes.ParseSource, isFieldError, "none", "node-subnet", "pod-subnet", "pod-cidr", "cni-pool"),
		enumtest.For("Unit", modes.ParseUnit, isFieldError, "", "per-pod", "batch", "static-block", "node-block", "on-demand-block"),
		enumtest.For("OS", modes.ParseOS, isFieldError, "Linux", "Windows"),
		enumtest.For("Dataplane", modes.ParseDataplane, isFieldError, "", "azure", "cilium", "byo"),
		enumtest.For("Policy", modes.ParsePolicy, isFieldError, "none", "azure", "calico", "cilium"),
	})
}

// A parse error names the package and the field as the user wrote it: the
// AKS API's field for OS and Policy, the type's name for ipcap's own
// enums.
func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		parse func(string) error
		want  string
	}{
		{func(s string) error { _, err := modes.ParseMode(s); return err },
			`modes: mode "x": unknown networking mode (want kubenet, azure-cni, azure-cni-pod-subnet, azure-cni-static-block, azure-cni-overlay, cilium-overlay, cilium-pod-subnet, cilium-node-subnet, byocni-calico or byocni-cilium)`},
		{func(s string) error { _, err := modes.ParseSource(s); return err },
			`modes: source "x": unknown source (want none, node-subnet, pod-subnet, pod-cidr or cni-pool)`},
		{func(s string) error { _, err := modes.ParseOS(s); return err },
			`modes: osType "x": unknown OS (want Linux or Windows)`},
		{func(s string) error { _, err := modes.ParsePolicy(s); return err },
			`modes: networkPolicy "x": unknown policy engine (want none, azure, calico or cilium)`},
	} {
		err := tt.parse("x")
		var fe *modes.FieldError
		require.ErrorAs(t, err, &fe)
		assert.EqualError(t, err, tt.want)
		assert.Equal(t, "x", fe.Value)
	}
}
