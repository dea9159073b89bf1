package capacity

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ipcap/ipcap/internal/count"
	"github.com/ipcap/ipcap/internal/enum"
)

// PoolMode is a node pool's role (agentPoolProfiles[].mode). The zero
// PoolMode is a user pool.
type PoolMode uint8

const (
	PoolUser   PoolMode = iota // runs workloads
	PoolSystem                 // runs the cluster's system pods; no maxUnavailable [UPO]
)

var poolModeNames = enum.Table[PoolMode]{Type: "capacity.PoolMode", What: "pool mode",
	Names: []string{PoolUser: "user", PoolSystem: "system"}}

// String returns the name MarshalText writes and ParsePoolMode reads.
func (v PoolMode) String() string { return poolModeNames.String(v) }

// MarshalText writes String's form; an invalid value is an error.
func (v PoolMode) MarshalText() ([]byte, error) { return poolModeNames.Text(v) }

// UnmarshalText reads ParsePoolMode's forms.
func (v *PoolMode) UnmarshalText(b []byte) error { return enum.Unmarshal(b, v, ParsePoolMode) }

// ParsePoolMode returns the value whose String is s, ignoring case; "" is the
// zero value.
func ParsePoolMode(s string) (PoolMode, error) { return poolModeNames.Parse(s) }

// UpgradeSurge says how an upgrade of the whole cluster (az aks upgrade)
// counts surge nodes when AKS admits it and when Recommend sizes for it.
// Pools upgrade one after another (upgrade-aks-control-plane, note of
// 2025-12 [CPU]), so Simulate surges one pool at a time whatever this
// says; but the rolling-upgrade page sums every pool's surge in its quota
// example (5 pools × 4 nodes at 50%: "extra compute and IP quota of 10
// nodes" [UPR], W7) and admission "considers the IP requirements of all
// node pools" [ISS]. The zero value, the sum, follows those two.
type UpgradeSurge uint8

const (
	UpgradeSurgeSum     UpgradeSurge = iota // every pool's surge at once
	UpgradeSurgeOnePool                     // the largest single pool's surge
)

var upgradeSurgeNames = enum.Table[UpgradeSurge]{Type: "capacity.UpgradeSurge", What: "upgrade surge",
	Names: []string{UpgradeSurgeSum: "sum", UpgradeSurgeOnePool: "one-pool"}}

// String returns the name MarshalText writes and ParseUpgradeSurge reads.
func (v UpgradeSurge) String() string { return upgradeSurgeNames.String(v) }

// MarshalText writes String's form; an invalid value is an error.
func (v UpgradeSurge) MarshalText() ([]byte, error) { return upgradeSurgeNames.Text(v) }

// UnmarshalText reads ParseUpgradeSurge's forms.
func (v *UpgradeSurge) UnmarshalText(b []byte) error { return enum.Unmarshal(b, v, ParseUpgradeSurge) }

// ParseUpgradeSurge returns the value whose String is s, ignoring case; "" is the
// zero value.
func ParseUpgradeSurge(s string) (UpgradeSurge, error) { return upgradeSurgeNames.Parse(s) }

// SurgeFallback is an upgrade that could not have its surge nodes and went
// on with fewer, as AKS does from Kubernetes 1.35: a surge of 1, then,
// with maxUnavailable set, none (nodes drained in place) [CHL 2026-01-04,
// UPR].
type SurgeFallback struct {
	Step  int    `json:"step"`  // index in Scenario.Steps
	Pool  string `json:"pool"`  // the pool upgrading
	Nodes int    `json:"nodes"` // the pool's nodes when its surge failed
	From  int    `json:"from"`  // surge nodes it asked for
	To    int    `json:"to"`    // surge nodes it went on with: 1, or 0
}

func (f SurgeFallback) String() string {
	to := "a surge of 1"
	if f.To == 0 {
		to = "draining in place (maxUnavailable)"
	}
	return fmt.Sprintf("pool %s's surge of %s does not fit at %s; the upgrade falls back to %s", f.Pool, count.Of(f.From, "node", "nodes"), count.Of(f.Nodes, "node", "nodes"), to)
}

// surgeFallback reports whether the cluster's Kubernetes version falls
// back to a smaller surge: 1.35 or later, or unknown ("", taken as a
// current version).
func (c *Cluster) surgeFallback() bool {
	minor, ok := kubernetesMinor(c.KubernetesVersion)
	return !ok || minor >= 35
}

// kubernetesMinor returns the minor version of "1.N" or "1.N.P" (a
// leading "v" allowed).
func kubernetesMinor(v string) (int, bool) {
	parts := strings.Split(strings.TrimPrefix(v, "v"), ".")
	if len(parts) < 2 || len(parts) > 3 || parts[0] != "1" {
		return 0, false
	}
	for _, p := range parts[1:] {
		if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 999 {
			return 0, false
		}
	}
	minor, _ := strconv.Atoi(parts[1])
	return minor, true
}

// upgrade replaces every node of pool p [UPR, UPO]. Each round drains up
// to maxUnavailable old nodes and reimages them in place (their addresses
// come back to them), and adds up to maxSurge new nodes in one request,
// then removes as many old ones: the pool peaks at its size plus the
// surge. Both are capped by the nodes left. A pool with neither (a Spot
// pool, which gets no surge) replaces one node at a time in place. From
// Kubernetes 1.35 a surge request that fails falls back to a surge of 1
// and then, with maxUnavailable set, to draining in place; e.fallbacks
// records it.
func (e *engine) upgrade(p *simPool) *Exhaustion {
	old := len(p.live)
	surge := p.pm.surge.Nodes(old)
	unavailable := p.pm.pool.MaxUnavailable.Nodes(old)
	if surge == 0 && unavailable == 0 {
		unavailable = 1
	}
	for left := old; left > 0; {
		if u := min(unavailable, left); u > 0 {
			e.removeOld(p, u, left)
			left -= u
			if ex := e.request(p, u); ex != nil {
				return ex
			}
		}
		s := min(surge, left)
		if s == 0 {
			continue
		}
		ex := e.request(p, s)
		if ex != nil && e.m.c.surgeFallback() {
			f := SurgeFallback{Pool: p.pm.pool.Name, Nodes: len(p.live), From: s, To: 1}
			if s > 1 {
				if ex = e.request(p, 1); ex == nil {
					s, surge = 1, 1
				}
			}
			if ex != nil && unavailable > 0 {
				ex, s, surge, f.To = nil, 0, 0, 0
			}
			if ex == nil {
				e.fallbacks = append(e.fallbacks, f)
			}
		}
		if ex != nil {
			return ex
		}
		e.removeOld(p, s, left)
		left -= s
	}
	return nil
}

// removeOld removes b of the left old nodes. Old nodes are kept at the
// front of the pool's list, [0, left): swapping the last node into the
// removed one's place keeps that so, because the place leaves the old
// region as left shrinks.
func (e *engine) removeOld(p *simPool, b, left int) {
	for range b {
		e.removeNode(p, left-1)
		left--
	}
}
