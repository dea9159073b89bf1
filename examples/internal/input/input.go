// Package input gives the example programs their clusters: the embedded
// default production cluster, or the user's own from `az aks show` and
// network JSON files, or an estate of clusters from `az aks list`.
package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/aksjson"
	"github.com/ipcap/ipcap/capacity/tfplan"
	"github.com/ipcap/ipcap/modes"
)

// Files is a repeatable file flag (-network a.json -network b.json).
type Files []string

func (f *Files) String() string     { return strings.Join(*f, ",") }
func (f *Files) Set(v string) error { *f = append(*f, v); return nil }

// DefaultDescription says in one line what Default builds.
const DefaultDescription = "a production cluster: system pool (3 nodes), autoscaling user pool (10 nodes, 3–60, ~30 pods each), " +
	"Windows pool (2 nodes, 2–10), in a /22 node subnet with 8 addresses used by load balancers and private endpoints"

// Default returns the embedded default cluster in mode m, and the pools it
// had to leave out because m cannot run them (Windows pools where m has no
// Windows). Pod-subnet modes get a /20 pod subnet; BYO Cilium a pod range
// clear of the service CIDR.
func Default(m modes.Mode) (capacity.Cluster, []string) {
	s := m.Spec()
	c := capacity.Cluster{
		Mode:    m,
		VNet:    []netip.Prefix{netip.MustParsePrefix("10.240.0.0/16")},
		Subnets: []capacity.Subnet{{Name: "aks-nodes", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.0.0/22")}, Reserved: 8}},
		Pools: []capacity.Pool{
			{Name: "system", Count: 3, MaxSurge: capacity.SurgeNodes(1), Mode: capacity.PoolSystem},
			{Name: "user", Count: 10, MinCount: 3, MaxCount: 60, PodsPerNode: 30, MaxSurge: capacity.SurgePercent(33)},
			{Name: "win", OS: modes.Windows, Count: 2, MinCount: 2, MaxCount: 10, MaxPods: 30, PodsPerNode: 20},
		},
	}
	if m == modes.BYOCNICilium {
		// Cilium's default cluster-pool, 10.0.0.0/8, holds AKS's default
		// service range: the default cluster gives it a pool of its own.
		c.CNIPool = []netip.Prefix{netip.MustParsePrefix("100.64.0.0/14")}
	}
	if s.Pods.Source == modes.PodSubnet {
		c.Subnets = append(c.Subnets, capacity.Subnet{Name: "aks-pods", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.240.16.0/20")}})
	}
	var dropped []string
	pools := c.Pools[:0]
	for _, p := range c.Pools {
		if p.OS == modes.Windows && !s.Windows {
			dropped = append(dropped, p.Name)
			continue
		}
		p.NodeSubnet = "aks-nodes"
		if s.Pods.Source == modes.PodSubnet {
			p.PodSubnet = "aks-pods"
		}
		pools = append(pools, p)
	}
	c.Pools = pools
	return c, dropped
}

// DefaultHistoryPool is the pool of the default cluster whose node counts
// DefaultHistory holds.
const DefaultHistoryPool = "user"

// DefaultHistory is the user pool's node count over six weeks.
func DefaultHistory() []capacity.Observation {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var h []capacity.Observation
	for week, n := range []int{4, 5, 5, 7, 8, 10, 10} {
		h = append(h, capacity.Observation{Time: start.AddDate(0, 0, 7*week), Nodes: n})
	}
	return h
}

// Load reads a cluster from an `az aks show` file and network files; its
// errors name the file and the place in it. src.Explain tells the problems
// capacity finds in the cluster (Validate, Analyze, Check) the same way:
// the file, the JSON path, the value and what was expected.
func Load(clusterPath string, networkPaths []string) (c capacity.Cluster, src capacity.Sources, err error) {
	return aksjson.ReadFilesWithSources(clusterPath, networkPaths...)
}

// LoadEstate reads an estate from a clusters file (`az aks list`, Resource
// Graph or REST output) and network files; its errors name the file and
// the place in it, and src.Explain tells the problems capacity finds in
// the estate the same way.
func LoadEstate(clustersPath string, networkPaths []string) (e capacity.Estate, src capacity.EstateSources, err error) {
	return aksjson.ReadEstateFilesWithSources(clustersPath, networkPaths...)
}

// PlanCluster is a cluster of a plan and where its fields are in the plan.
type PlanCluster struct {
	tfplan.Cluster
	// Sources tells the problems capacity finds in the cluster by the
	// plan file, the resource address, the attribute and the value.
	Sources capacity.Sources
}

// LoadPlan reads the clusters of a `terraform show -json PLAN` file with
// tfplan.ReadWithSources; its errors name the file.
func LoadPlan(path string) ([]PlanCluster, error) {
	return readFile(path, func(r io.Reader) ([]PlanCluster, error) {
		cs, srcs, err := tfplan.ReadWithSources(r)
		out := make([]PlanCluster, len(cs))
		for i := range cs {
			out[i] = PlanCluster{cs[i], srcs[i].InFile(path)}
		}
		return out, err
	})
}

// History reads a CSV of time,nodes rows with capacity.ReadHistory (RFC
// 3339 or YYYY-MM-DD times; a header row is skipped), oldest first whatever
// the rows' order. Its errors are BadUsage errors naming the file.
func History(path string) ([]capacity.Observation, error) {
	h, err := readFile(path, capacity.ReadHistory)
	return h, BadUsage(err)
}

// readFile reads the file at path with read; its errors name the file.
func readFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said once, below
		}
		return zero, fmt.Errorf("%s: cannot open: %w", path, err)
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
