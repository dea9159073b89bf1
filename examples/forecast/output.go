package main

import (
	"time"

	"github.com/ipcap/ipcap/capacity"
)

// Output is the -json document. Its schema is stable: fields are added,
// never renamed or removed.
type Output struct {
	Cluster string   `json:"cluster"` // the input: a file name, or the default's description
	Results []Result `json:"results"` // one per networking mode analysed
}

// Result is one mode's answer.
type Result struct {
	Mode          string        `json:"mode"` // modes.Mode.String()
	Name          string        `json:"name"`
	Error         string        `json:"error,omitempty"`        // why the mode cannot run the cluster
	SkippedPools  []string      `json:"skippedPools,omitempty"` // pools the mode cannot run (Windows)
	Pools         []PoolResult  `json:"pools,omitempty"`
	Spaces        []SpaceResult `json:"spaces,omitempty"`
	VNetAddresses int           `json:"vnetAddresses"` // VNet IPs the pools take at their autoscaler max
	Forecast      *Forecast     `json:"forecast,omitempty"`
}

// PoolResult mirrors capacity.PoolReport.
type PoolResult struct {
	Name              string `json:"name"`
	Count             int    `json:"count"` // nodes now
	AtMax             int    `json:"atMax"` // nodes at the autoscaler's max
	MaxPods           int    `json:"maxPods"`
	MaxNodes          int    `json:"maxNodes"`
	Limit             string `json:"limit"`
	MaxNodesWithSurge int    `json:"maxNodesWithSurge"`
	SurgeLimit        string `json:"surgeLimit"`
	SurgeNodes        int    `json:"surgeNodes"`
}

// SpaceResult mirrors capacity.Space.
type SpaceResult struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Size     int    `json:"size"`
	Usable   int    `json:"usable"`
	Reserved int    `json:"reserved"`
	Now      int    `json:"now"`   // taken with every pool at its count
	AtMax    int    `json:"atMax"` // taken with every pool at its autoscaler max
	Free     int    `json:"free"`
}

// Forecast mirrors capacity.ForecastResult; dates are YYYY-MM-DD, "" when
// unbounded.
type Forecast struct {
	Pool         string         `json:"pool"`
	Trials       int            `json:"trials"`
	Nodes        Quantiles      `json:"nodes"`
	Limits       map[string]int `json:"limits"`
	HasHistory   bool           `json:"hasHistory"`
	GrowthPerDay float64        `json:"growthPerDay"`
	When         *When          `json:"when,omitempty"`
}

// Quantiles are node counts: p50 the median, p90 and p99 reached by 90% and
// 99% of trials.
type Quantiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
}

// When is the date the pool runs out: the median across trials (p50) and
// the 10th and 90th percentiles (lo, hi), an 80% interval.
type When struct {
	P50 string `json:"p50"`
	Lo  string `json:"lo"`
	Hi  string `json:"hi"`
}

func (r *Result) fill(rep *capacity.Report) {
	for _, p := range rep.Pools {
		r.Pools = append(r.Pools, PoolResult{Name: p.Name, Count: p.Count, AtMax: p.AtMax, MaxPods: p.MaxPods, MaxNodes: p.MaxNodes,
			Limit: p.Limit.String(), MaxNodesWithSurge: p.MaxNodesWithSurge, SurgeLimit: p.SurgeLimit.String(), SurgeNodes: p.SurgeNodes})
		r.VNetAddresses += p.AtMax * p.PerNode.VNetIPs
	}
	for _, s := range rep.Spaces {
		r.Spaces = append(r.Spaces, SpaceResult{Name: s.Name, Kind: s.Kind.String(), Size: s.Size, Usable: s.Usable, Reserved: s.Reserved,
			Now: s.Now, AtMax: s.AtMax, Free: s.Free})
	}
}

func newForecast(pool string, f *capacity.ForecastResult) *Forecast {
	out := &Forecast{Pool: pool, Trials: f.Trials, Nodes: Quantiles{P50: f.Nodes.P50, P90: f.Nodes.P10, P99: f.Nodes.P1}, Limits: map[string]int{},
		GrowthPerDay: f.Growth, HasHistory: f.Growth != 0 || f.When != nil}
	for l, n := range f.Limits {
		out.Limits[l.String()] = n
	}
	if f.When != nil {
		out.When = &When{P50: date(f.When.P50), Lo: date(f.When.P10), Hi: date(f.When.P90)}
	}
	return out
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
