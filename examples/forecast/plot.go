package main

import (
	"context"
	"fmt"
	"image/color"

	"github.com/ipcap/ipcap/capacity"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxClusterNodes is the x axis: AKS's cluster limit.
const maxClusterNodes = 5000

// plotFile draws, for cluster c, the addresses each space holds as pool
// grows one node at a time through real allocators (solid) until the first
// failure, the same per-node cost projected on to 5,000 nodes (dashed), each
// space's capacity (dotted), and where each space runs out (a mark).
func plotFile(ctx context.Context, c capacity.Cluster, pool, path string) error {
	rep, err := capacity.Analyze(c)
	if err != nil {
		return err
	}
	var sc capacity.Scenario
	var start int
	for _, p := range c.Pools {
		if p.Name == pool {
			start = p.Count
		}
	}
	for n := start + 1; n <= maxClusterNodes; n++ {
		sc.Steps = append(sc.Steps, capacity.Step{Op: capacity.OpScale, Pool: pool, Nodes: n})
	}
	tl, err := capacity.Simulate(ctx, c, sc)
	if err != nil {
		return err
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%v: addresses used as pool %s grows", c.Mode, pool)
	p.X.Label.Text = "nodes in the cluster"
	p.Y.Label.Text = "addresses used"
	p.X.Min, p.X.Max = 0, maxClusterNodes
	p.X.Tick.Marker, p.Y.Tick.Marker = wholeTicks{}, wholeTicks{}
	p.Legend.Top, p.Legend.Left = true, true
	// Show up to a little above the largest capacity: the projections
	// beyond it are clipped.
	top := 0
	for _, sp := range rep.Spaces {
		top = max(top, sp.Usable-sp.Reserved)
	}

	palette := []color.Color{color.RGBA{0x1f, 0x77, 0xb4, 0xff}, color.RGBA{0xd6, 0x27, 0x28, 0xff}, color.RGBA{0x2c, 0xa0, 0x2c, 0xff}, color.RGBA{0x94, 0x67, 0xbd, 0xff}}
	var marks plotter.XYs
	for k, sp := range rep.Spaces {
		col := palette[k%len(palette)]
		var sim plotter.XYs
		for _, s := range tl.Steps {
			sim = append(sim, plotter.XY{X: float64(sum(s.Nodes)), Y: float64(s.Spaces[k].Used)})
		}
		if len(sim) == 0 {
			continue
		}
		last := sim[len(sim)-1]
		slope := perNode(sim)
		proj := plotter.XYs{last, {X: maxClusterNodes, Y: last.Y + slope*(maxClusterNodes-last.X)}}
		capLine := plotter.XYs{{X: 0, Y: float64(sp.Usable - sp.Reserved)}, {X: maxClusterNodes, Y: float64(sp.Usable - sp.Reserved)}}
		for _, l := range []struct {
			xys    plotter.XYs
			dashes []vg.Length
			label  string
		}{{sim, nil, sp.Name}, {proj, []vg.Length{vg.Points(4), vg.Points(3)}, ""}, {capLine, []vg.Length{vg.Points(1), vg.Points(2)}, ""}} {
			line, err := plotter.NewLine(l.xys)
			if err != nil {
				return err
			}
			line.Color, line.Dashes = col, l.dashes
			p.Add(line)
			if l.label != "" {
				p.Legend.Add(l.label+" (dotted: capacity)", line)
			}
		}
		if x, ok := crossing(sim, proj, float64(sp.Usable-sp.Reserved)); ok {
			marks = append(marks, plotter.XY{X: x, Y: float64(sp.Usable - sp.Reserved)})
		}
	}
	if len(marks) > 0 {
		sc, err := plotter.NewScatter(marks)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Shape = draw.CrossGlyph{}
		sc.GlyphStyle.Radius = vg.Points(5)
		p.Add(sc)
		p.Legend.Add("runs out", sc)
	}
	p.X.Min, p.X.Max = 0, maxClusterNodes // after Add, which widens the axes to the data
	p.Y.Min, p.Y.Max = 0, 1.3*float64(top)
	return p.Save(9*vg.Inch, 5*vg.Inch, path)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// perNode is the slope of the simulated line: addresses per node.
func perNode(xys plotter.XYs) float64 {
	if len(xys) < 2 || xys[len(xys)-1].X == xys[0].X {
		return 0
	}
	a, b := xys[0], xys[len(xys)-1]
	return (b.Y - a.Y) / (b.X - a.X)
}

// crossing returns the node count where the simulated or projected line
// first reaches level.
func crossing(sim, proj plotter.XYs, level float64) (float64, bool) {
	for _, xys := range []plotter.XYs{sim, proj} {
		for i := 1; i < len(xys); i++ {
			a, b := xys[i-1], xys[i]
			if b.Y >= level && a.Y < level && b.Y != a.Y {
				return a.X + (level-a.Y)*(b.X-a.X)/(b.Y-a.Y), true
			}
		}
	}
	return 0, false
}

// wholeTicks labels ticks as whole numbers.
type wholeTicks struct{}

func (wholeTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = fmt.Sprintf("%.0f", ts[i].Value)
		}
	}
	return ts
}
