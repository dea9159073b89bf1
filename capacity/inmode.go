package capacity

import (
	"slices"

	"github.com/ipcap/ipcap/modes"
)

// InMode returns c as it would be in networking mode m, for a what-if
// ("how far would this cluster grow on Azure CNI?"), and the names of the
// pools left out. The fields m does not take are dropped: the pod CIDRs of
// a mode whose pods live in VNet subnets, the CNI pool of any mode but a
// bring-your-own CNI, the pools' pod subnets of a mode without them; and
// so are the pools m cannot run (Windows pools where m has none). A field
// m needs that c lacks (a pod subnet) stays missing, for Validate to tell.
// A pool keeps its maxPods: one left to its mode's default takes the old
// mode's, not m's.
// Unlike Migrated, InMode says nothing of whether AKS can move c to m: it
// is the same cluster, planned in another mode.
func (c Cluster) InMode(m modes.Mode) (Cluster, []string) {
	from, s := c.spec(), m.Spec()
	c.Mode, c.Spec = m, nil
	if s.Pods.Source.IsVNet() {
		c.PodCIDRs = nil
	}
	if s.Pods.Source != modes.CNIPool {
		c.CNIPool = nil
	}
	var dropped []string
	var pools []Pool
	for _, p := range c.Pools {
		if p.OS == modes.Windows && !s.Windows {
			dropped = append(dropped, p.Name)
			continue
		}
		if s.Pods.Source != modes.PodSubnet {
			p.PodSubnet = ""
		}
		pools = append(pools, p)
	}
	c.Pools = keepMaxPods(from, pools)
	c.Subnets = slices.Clone(c.Subnets)
	return c, dropped
}

// keepMaxPods returns pools, a pool left to its mode's default maxPods
// given from's: a pool's maxPods is fixed when it is created [CNP], so it
// keeps it in another mode, planned or migrated to. It does not change
// pools itself.
func keepMaxPods(from modes.Spec, pools []Pool) []Pool {
	out := slices.Clone(pools)
	for i := range out {
		if out[i].MaxPods == 0 {
			out[i].MaxPods = from.MaxPods.Default
		}
	}
	return out
}
