package ipam_test

import (
	"iter"
	"math/rand/v2"
	"testing"

	"github.com/ipcap/ipcap/internal/reference"
	"github.com/ipcap/ipcap/ipam"
	"github.com/stretchr/testify/require"
)

// allocator is what Pool (of netip.Addr) and BlockPool (of netip.Prefix)
// share, so that one test drives both.
type allocator[T comparable] interface {
	Allocate() (T, error)
	AllocateN(dst []T, n int) ([]T, error)
	Occupy(T) error
	Release(T) error
	Contains(T) bool
	IsAllocated(T) bool
	Size() uint64
	Used() uint64
	Free() uint64
	All() iter.Seq[T]
	Reset()
}

// checkOp applies one random operation to the pool and the reference and
// compares them; it biases towards allocation until the pool is nearly
// full. v is the value Occupy, Release and the predicates use.
func checkOp[T comparable](t *testing.T, p allocator[T], m *reference.Allocator[T], r *rand.Rand, v T, step int) {
	t.Helper()
	switch op := r.IntN(7); {
	case step%1000 == 999: // now and then, start over
		p.Reset()
		m.Reset()
		require.Zero(t, p.Used())
		require.Equal(t, p.Size(), p.Free())
	case op <= 2 && step%400 < 300:
		got, err := p.Allocate()
		want, ok := m.Allocate()
		if !ok {
			require.ErrorIs(t, err, ipam.ErrExhausted)
			break
		}
		require.NoError(t, err)
		require.Equal(t, want, got, "step %d Allocate", step)
	case op == 3:
		n := r.IntN(5)
		if r.IntN(4) == 0 { // enough to fill words and cross them
			n = r.IntN(200)
		}
		got, err := p.AllocateN(nil, n)
		if n > m.Size()-m.Used() {
			require.ErrorIs(t, err, ipam.ErrExhausted)
			break
		}
		require.NoError(t, err)
		for _, g := range got {
			want, _ := m.Allocate()
			require.Equal(t, want, g, "step %d AllocateN", step)
		}
	case op == 4:
		err := p.Occupy(v)
		switch {
		case !m.Contains(v):
			require.ErrorIs(t, err, ipam.ErrOutOfRange, "step %d Occupy(%v)", step, v)
		case !m.Occupy(v):
			require.ErrorIs(t, err, ipam.ErrAlreadyAllocated, "step %d Occupy(%v)", step, v)
		default:
			require.NoError(t, err)
		}
	case op == 5:
		require.Equal(t, m.Contains(v), p.Contains(v), "Contains(%v)", v)
		require.Equal(t, m.IsAllocated(v), p.IsAllocated(v), "IsAllocated(%v)", v)
	default:
		err := p.Release(v)
		switch {
		case !m.Contains(v):
			require.ErrorIs(t, err, ipam.ErrOutOfRange)
		case !m.Release(v):
			require.ErrorIs(t, err, ipam.ErrNotAllocated, "step %d Release(%v)", step, v)
		default:
			require.NoError(t, err)
		}
	}
	require.Equal(t, uint64(m.Used()), p.Used())
	require.Equal(t, p.Size(), p.Used()+p.Free())
	require.NoError(t, ipam.CheckBitmap(p), "step %d", step)
}

// hotPathAllocs returns the allocations of one round of p's hot path:
// Allocate and Release, AllocateN of n and the Release of each, and, for
// each probe, Occupy, IsAllocated, Contains and Release of it, then Free.
func hotPathAllocs[T comparable](p allocator[T], n int, probe ...T) float64 {
	dst := make([]T, 0, n)
	return testing.AllocsPerRun(1000, func() {
		got, _ := p.Allocate()
		_ = p.Release(got)
		dst, _ = p.AllocateN(dst[:0], n)
		for _, d := range dst {
			_ = p.Release(d)
		}
		for _, a := range probe {
			_ = p.Occupy(a)
			_ = p.IsAllocated(a)
			_ = p.Contains(a)
			_ = p.Release(a)
		}
		_ = p.Free()
	})
}
