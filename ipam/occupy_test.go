package ipam_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/ipcap/ipcap/ipam"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOccupyLowestMatchesFirstFit: OccupyLowest(n) takes what n first-fit
// allocations take, around addresses already held, in a dense space (a /20
// of two runs: 4,096 − 10 reserved − 4 held = 4,082 free, one left for the
// next allocation) and a sparse one
// (a /2, 2^30 addresses).
func TestOccupyLowestMatchesFirstFit(t *testing.T) {
	for _, space := range []string{"10.0.0.0/20", "64.0.0.0/2"} {
		for _, n := range []uint64{0, 1, 63, 64, 65, 1000, 4081} {
			build := func() *ipam.Pool {
				p, err := ipam.NewPool(set(t, space), ipam.Options{Reserved: set(t, "10.0.8.0-10.0.8.9", "64.0.0.100")})
				require.NoError(t, err)
				first, _ := p.Allocate() // held before: gaps to fill around
				for _, a := range []netip.Addr{first.Next().Next(), first.Next().Next().Next(), netip.MustParseAddr("10.0.0.200"), netip.MustParseAddr("64.0.1.0")} {
					_ = p.Occupy(a)
				}
				return p
			}
			want, got := build(), build()
			for range n {
				_, err := want.Allocate()
				require.NoError(t, err)
			}
			require.NoError(t, got.OccupyLowest(n), "%s n=%d", space, n)
			assert.Equal(t, want.Used(), got.Used(), "%s n=%d", space, n)
			assert.Equal(t, slices.Collect(want.All()), slices.Collect(got.All()), "%s n=%d", space, n)
			a, err := want.Allocate()
			require.NoError(t, err)
			b, err := got.Allocate()
			require.NoError(t, err)
			assert.Equal(t, a, b, "%s n=%d: the next first-fit address", space, n)
		}
	}
}

// TestOccupyLowestAllOrNothing: asking for more than is free changes
// nothing; the whole space at once fills it.
func TestOccupyLowestAllOrNothing(t *testing.T) {
	p, err := ipam.NewPool(set(t, "10.0.0.0/24"), ipam.Options{Reserved: azureReserved(t, "10.0.0.0/24")})
	require.NoError(t, err)
	_, _ = p.Allocate()
	require.ErrorIs(t, p.OccupyLowest(251), ipam.ErrExhausted, "a /24 less Azure's 5 holds 251; one is taken")
	assert.Equal(t, uint64(1), p.Used())
	require.NoError(t, p.OccupyLowest(250))
	assert.Equal(t, uint64(0), p.Free())

	b, err := ipam.NewBlockPool(set(t, "10.244.0.0/16"), 24, ipam.Options{})
	require.NoError(t, err)
	require.NoError(t, b.OccupyLowest(3))
	blk, err := b.Allocate()
	require.NoError(t, err)
	assert.Equal(t, netip.MustParsePrefix("10.244.3.0/24"), blk, "blocks 0–2 are held")
	require.ErrorIs(t, b.OccupyLowest(253), ipam.ErrExhausted, "256 − 4 = 252 left")
}

// TestOccupyLowestAfterResetNoAllocs: a simulation resets its pools and
// reserves others' addresses every trial; that allocates nothing.
func TestOccupyLowestAfterResetNoAllocs(t *testing.T) {
	p, err := ipam.NewPool(set(t, "10.0.0.0/16"), ipam.Options{Reserved: azureReserved(t, "10.0.0.0/16")})
	require.NoError(t, err)
	b, err := ipam.NewBlockPool(set(t, "10.244.0.0/16"), 24, ipam.Options{})
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		p.Reset()
		_ = p.OccupyLowest(60_000)
		b.Reset()
		_ = b.OccupyLowest(100)
	})
	assert.Zero(t, allocs)
	assert.Equal(t, uint64(60_000), p.Used())
	assert.Equal(t, uint64(100), b.Used())
}
