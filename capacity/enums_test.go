package capacity_test

import (
	"errors"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/internal/enum/enumtest"
	"github.com/ipcap/ipcap/modes"
)

func TestEnumTextForms(t *testing.T) {
	fieldErr := func(err error) bool { var fe *modes.FieldError; return errors.As(err, &fe) }
	c := capacity.LimitVNet
	enumtest.Check(t, []capacity.Limit{capacity.LimitNone, capacity.LimitNodeSubnet, capacity.LimitPodSubnet, capacity.LimitPodCIDR,
		capacity.LimitCNIPool, capacity.LimitPodCIDRIPv6, capacity.LimitRouteTable, capacity.LimitPoolNodes, capacity.LimitClusterNodes, c}, c+1, capacity.ParseLimit, fieldErr)
	enumtest.Check(t, []capacity.Op{0, capacity.OpCreate, capacity.OpScale, capacity.OpUpgrade, capacity.OpAddPool, capacity.OpChurn,
		capacity.OpAutoscale, capacity.OpMigrate, capacity.OpExpandPodCIDR, capacity.OpGrow}, capacity.OpGrow+1, capacity.ParseOp, fieldErr)
	enumtest.Check(t, []capacity.AdmissionEra{capacity.AdmissionCurrent, capacity.Admission2020, capacity.Admission2018},
		capacity.Admission2018+1, capacity.ParseAdmissionEra, fieldErr)
	enumtest.Check(t, []capacity.PoolMode{capacity.PoolUser, capacity.PoolSystem}, capacity.PoolSystem+1, capacity.ParsePoolMode, fieldErr)
	enumtest.Check(t, []capacity.UpgradeSurge{capacity.UpgradeSurgeSum, capacity.UpgradeSurgeOnePool}, capacity.UpgradeSurgeOnePool+1,
		capacity.ParseUpgradeSurge, fieldErr)
	enumtest.Check(t, []capacity.MigrationSurge{capacity.MigrationSurgeUpgrade, capacity.MigrationSurgeNone}, capacity.MigrationSurgeNone+1,
		capacity.ParseMigrationSurge, fieldErr)
}
