package input

import (
	"fmt"
	"strings"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
)

// Mode reads a networking mode given to flag (without its dash); a name no
// mode has is bad usage listing the names there are.
func Mode(flag, name string) (modes.Mode, error) {
	m, err := modes.ParseMode(strings.TrimSpace(name))
	if err != nil || m == 0 {
		return 0, Usagef("-%s %q: want %s", flag, name, modes.Alternatives())
	}
	return m, nil
}

// MigrationTarget reads the mode a migration moves to, given to flag:
// azure-cni-overlay, or "overlay" for short, the one mode AKS migrates
// kubenet and Azure CNI clusters to [UPD]. Any other mode is bad usage.
func MigrationTarget(flag, name string) (modes.Mode, error) {
	if strings.EqualFold(strings.TrimSpace(name), "overlay") {
		return modes.AzureCNIOverlay, nil
	}
	m, err := modes.ParseMode(strings.TrimSpace(name))
	if err != nil || m != modes.AzureCNIOverlay {
		return 0, Usagef("-%s %q: want azure-cni-overlay (or overlay), the mode AKS migrates kubenet and Azure CNI clusters to", flag, name)
	}
	return m, nil
}

// MissingPodCIDR refuses, as bad usage, a migration of cluster c (what
// names it) from Azure CNI that gives flag no pod CIDR: missing input, not
// AKS's answer, as Azure CNI has no pod CIDR to keep, unlike kubenet [UPD].
// Nil for any other step. Every program asks it so.
func MissingPodCIDR(c capacity.Cluster, s capacity.Step, flag, what string) error {
	if s.Op != capacity.OpMigrate || c.Mode != modes.AzureCNI || c.Spec != nil || len(s.PodCIDRs) > 0 {
		return nil
	}
	return Usagef("%s is missing: a migration from azure-cni (%s) has no pod CIDR to keep, as kubenet has: give Overlay's pod CIDR, clear of the VNet", flag, what)
}

// PodCIDRFlag refuses, as bad usage, a migration or pod CIDR expansion
// whose new pod CIDR, given to flag, leaves the cluster invalid (one
// overlapping the VNet or the service CIDR): the problems are told in the
// words of src, with the new pod CIDR as flag. AKS would refuse the change
// too; the tools say so before asking, naming the flag. Nil when the step
// gives no pod CIDR or the cluster after it is valid; Check's errors are
// left to Check.
func PodCIDRFlag(c capacity.Cluster, s capacity.Step, src capacity.Sources, flag string) error {
	if len(s.PodCIDRs) == 0 {
		return nil
	}
	after, err := capacity.Migrated(c, s)
	if err != nil {
		return nil
	}
	if err := after.Validate(); err != nil {
		named := capacity.Sources{}
		for k, v := range src {
			named[k] = v
		}
		named["PodCIDRs[0]"] = capacity.Source{Path: flag, Value: s.PodCIDRs[0].String()}
		return BadUsage(named.Explain(err))
	}
	return nil
}

// LeftOut says which pools mode m cannot run and why, as every program
// says it: "left out: win (kubenet runs no Windows node pools)". The pools
// a mode leaves out are Windows pools (capacity.Cluster.InMode, Default).
func LeftOut(pools []string, m modes.Mode) string {
	return fmt.Sprintf("left out: %s (%v runs no Windows node pools)", strings.Join(pools, ", "), m)
}

// PoolLeftOut is the bad usage of a -pool that mode m left out.
func PoolLeftOut(pool string, m modes.Mode) error {
	return Usagef("-pool %q: left out of %v, which runs no Windows node pools", pool, m)
}
