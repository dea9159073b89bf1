package modes_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/ipcap/ipcap/internal/enum/enumtest"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isFieldError accepts the one parse error of the modes' enums: a
// *FieldError of package modes.
func isFieldError(err error) bool {
	var fe *modes.FieldError
	return errors.As(err, &fe) && fe.Pkg == "modes"
}

// Every value of every enum, zero included, has one text form: String ==
// MarshalText == what ParseX and UnmarshalText read.
func TestEnumTextForms(t *testing.T) {
	tests := []struct {
		enum  string
		check func(*testing.T) []string
		want  []string // the Strings of the valid values, from 0
	}{
		{"Mode", func(t *testing.T) []string { return enumtest.Check(t, modes.ParseMode, isFieldError) },
			[]string{"", "kubenet", "azure-cni", "azure-cni-pod-subnet", "azure-cni-static-block", "azure-cni-overlay",
				"cilium-overlay", "cilium-pod-subnet", "cilium-node-subnet", "byocni-calico", "byocni-cilium"}},
		{"Source", func(t *testing.T) []string { return enumtest.Check(t, modes.ParseSource, isFieldError) },
			[]string{"none", "node-subnet", "pod-subnet", "pod-cidr", "cni-pool"}},
		{"Unit", func(t *testing.T) []string { return enumtest.Check(t, modes.ParseUnit, isFieldError) },
			[]string{"", "per-pod", "batch", "static-block", "node-block", "on-demand-block"}},
		{"OS", func(t *testing.T) []string { return enumtest.Check(t, modes.ParseOS, isFieldError) },
			[]string{"Linux", "Windows"}},
		{"Dataplane", func(t *testing.T) []string { return enumtest.Check(t, modes.ParseDataplane, isFieldError) },
			[]string{"", "azure", "cilium", "byo"}},
		{"Policy", func(t *testing.T) []string { return enumtest.Check(t, modes.ParsePolicy, isFieldError) },
			[]string{"none", "azure", "calico", "cilium"}},
	}
	var listed []string
	for _, tt := range tests {
		listed = append(listed, tt.enum)
		t.Run(tt.enum, func(t *testing.T) { assert.Equal(t, tt.want, tt.check(t)) })
	}
	slices.Sort(listed)
	assert.Equal(t, enumtest.Declared(t, "."), listed, "every enum of package modes is listed here")
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
