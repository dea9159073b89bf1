package capacity_test

import (
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/internal/enum/enumtest"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isFieldError accepts the one parse error of package capacity's enums.
var isFieldError = enumtest.FieldError("capacity")

// Every value of every enum, zero included, has one text form: String ==
// MarshalText == what ParseX and UnmarshalText read.
func TestEnumTextForms(t *testing.T) {
	enumtest.Package(t, ".", []enumtest.Case{
		enumtest.For("Limit", capacity.ParseLimit, isFieldError, "none", "node-subnet", "pod-subnet", "pod-cidr", "cni-pool", "pod-cidr-ipv6", "route-table", "pool-nodes", "cluster-nodes", "vnet"),
		enumtest.For("Op", capacity.ParseOp, isFieldError, "", "create", "scale", "upgrade", "add-pool", "churn", "autoscale", "migrate", "expand-pod-cidr", "grow"),
		enumtest.For("AdmissionEra", capacity.ParseAdmissionEra, isFieldError, "current", "2020", "2018"),
		enumtest.For("PoolMode", capacity.ParsePoolMode, isFieldError, "user", "system"),
		enumtest.For("UpgradeSurge", capacity.ParseUpgradeSurge, isFieldError, "sum", "one-pool"),
		enumtest.For("MigrationSurge", capacity.ParseMigrationSurge, isFieldError, "upgrade", "none"),
		enumtest.For("GrowthModel", capacity.ParseGrowthModel, isFieldError, "", "trend", "random-walk"),
	})
}

// A parse error of capacity's names package capacity, though its type is
// exported by modes, and the field by the type's name.
func TestEnumParseError(t *testing.T) {
	_, err := capacity.ParseLimit("x")
	assert.EqualError(t, err, `capacity: limit "x": unknown limit (want none, node-subnet, pod-subnet, pod-cidr, cni-pool, pod-cidr-ipv6, route-table, pool-nodes, cluster-nodes or vnet)`)
	_, err = capacity.ParseAdmissionEra("1999")
	var fe *modes.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, modes.FieldError{Pkg: "capacity", Field: "admissionEra", Value: "1999", Reason: "unknown admission era (want current, 2020 or 2018)"}, *fe)
}

// A Surge, not an enum, keeps the rule: String == MarshalText == what
// ParseSurge and UnmarshalText read, the zero Surge included, and its
// parse error is the enums' *modes.FieldError.
func TestSurgeTextForms(t *testing.T) {
	for _, s := range []capacity.Surge{{}, capacity.SurgeNodes(0), capacity.SurgeNodes(1), capacity.SurgeNodes(1000),
		capacity.SurgePercent(0), capacity.SurgePercent(33), capacity.SurgePercent(100)} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, s.String(), string(b))
		got, err := capacity.ParseSurge(s.String())
		require.NoError(t, err, s.String())
		assert.Equal(t, s, got)
		u := capacity.SurgeNodes(7)
		require.NoError(t, u.UnmarshalText(b))
		assert.Equal(t, s, u)
	}
	for _, bad := range []string{"x", "-1", "150%", "1.5", "%"} {
		_, err := capacity.ParseSurge(bad)
		var fe *modes.FieldError
		require.ErrorAs(t, err, &fe, bad)
		assert.Equal(t, modes.FieldError{Pkg: "capacity", Field: "surge", Value: bad,
			Reason: `want a node count such as "1" or a percentage such as "33%"`}, *fe)
		assert.EqualError(t, err, `capacity: surge "`+bad+`": want a node count such as "1" or a percentage such as "33%"`)
		u := capacity.SurgeNodes(7)
		require.Error(t, u.UnmarshalText([]byte(bad)))
		assert.Equal(t, capacity.SurgeNodes(7), u, "an error leaves the Surge as it was")
	}
}
