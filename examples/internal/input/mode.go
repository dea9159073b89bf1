package input

import (
	"strings"

	"github.com/ipcap/ipcap/modes"
)

// Mode reads a networking mode given to flag (without its dash); a name no
// mode has is bad usage listing the names there are.
func Mode(flag, name string) (modes.Mode, error) {
	m, err := modes.ParseMode(strings.TrimSpace(name))
	if err != nil || m == 0 {
		return 0, Usagef("-%s %q: want one of %s", flag, name, modeNames())
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

// modeNames lists every mode's name, comma-separated.
func modeNames() string {
	var names []string
	for _, m := range modes.All() {
		names = append(names, m.String())
	}
	return strings.Join(names, ", ")
}
