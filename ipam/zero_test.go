package ipam_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/ipcap/ipcap/ipam"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZeroPools drives the zero Pool and BlockPool, the state UnmarshalBinary
// starts from: every method answers, none panics.
func TestZeroPools(t *testing.T) {
	a := netip.MustParseAddr("10.0.0.1")
	for _, reset := range []bool{false, true} {
		var p ipam.Pool
		if reset {
			p.Reset()
		}
		_, err := p.Allocate()
		assert.ErrorIs(t, err, ipam.ErrExhausted)
		_, err = p.AllocateN(nil, 1)
		assert.ErrorIs(t, err, ipam.ErrExhausted)
		got, err := p.AllocateN(nil, 0)
		assert.NoError(t, err)
		assert.Empty(t, got)
		assert.ErrorIs(t, p.OccupyLowest(1), ipam.ErrExhausted)
		assert.NoError(t, p.OccupyLowest(0))
		assert.Equal(t, ipam.FirstFit, p.Strategy())
		assert.Nil(t, p.Space())
		assert.ErrorIs(t, p.Occupy(a), ipam.ErrOutOfRange)
		assert.ErrorIs(t, p.Release(a), ipam.ErrOutOfRange)
		assert.False(t, p.Contains(a))
		assert.False(t, p.IsAllocated(a))
		assert.Zero(t, p.Size())
		assert.Zero(t, p.Used())
		assert.Zero(t, p.Free())
		assert.Empty(t, slices.Collect(p.All()))

		var b ipam.BlockPool
		if reset {
			b.Reset()
		}
		blk := netip.MustParsePrefix("10.0.0.0/24")
		_, err = b.Allocate()
		assert.ErrorIs(t, err, ipam.ErrExhausted)
		_, err = b.AllocateN(nil, 1)
		assert.ErrorIs(t, err, ipam.ErrExhausted)
		assert.ErrorIs(t, b.OccupyLowest(1), ipam.ErrExhausted)
		assert.Zero(t, b.Bits())
		assert.Zero(t, b.Used())
		assert.Equal(t, ipam.FirstFit, b.Strategy())
		assert.Nil(t, b.Space())
		assert.ErrorIs(t, b.Occupy(blk), ipam.ErrOutOfRange)
		assert.ErrorIs(t, b.Release(blk), ipam.ErrOutOfRange)
		assert.False(t, b.Contains(blk))
		assert.False(t, b.IsAllocated(blk))
		assert.Zero(t, b.Size())
		assert.Zero(t, b.Free())
		assert.Empty(t, slices.Collect(b.All()))
	}
	// A zero pool's state round-trips to a zero pool.
	var zp ipam.Pool
	data, err := zp.MarshalBinary()
	require.NoError(t, err)
	q, err := ipam.NewPool(set(t, "10.0.0.0/30"), ipam.Options{})
	require.NoError(t, err)
	require.NoError(t, q.UnmarshalBinary(data))
	assert.Zero(t, q.Size())
	again, err := q.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, data, again)
	var zb, qb ipam.BlockPool
	data, err = zb.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, qb.UnmarshalBinary(data))
	assert.Zero(t, qb.Size())

	// A zero Pool takes a state that was marshalled.
	src, err := ipam.NewPool(set(t, "10.0.0.0/30"), ipam.Options{})
	require.NoError(t, err)
	_, _ = src.Allocate()
	data, err = src.MarshalBinary()
	require.NoError(t, err)
	var p ipam.Pool
	require.NoError(t, p.UnmarshalBinary(data))
	assert.Equal(t, slices.Collect(src.All()), slices.Collect(p.All()))
}
