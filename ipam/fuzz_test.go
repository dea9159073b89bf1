package ipam_test

import (
	"encoding/binary"
	"hash/crc32"
	"net/netip"
	"slices"
	"testing"

	"github.com/ipcap/ipcap/internal/reference"
	"github.com/ipcap/ipcap/ipam"
	"github.com/stretchr/testify/require"
	"go4.org/netipx"
)

// fuzzSpaces are the small spaces the operation fuzzers pick from.
func fuzzSpaces(t testing.TB) []struct{ space, reserved *netipx.IPSet } {
	return []struct{ space, reserved *netipx.IPSet }{
		{set(t, "10.0.0.0/26"), azureReserved(t, "10.0.0.0/26")},
		{set(t, "10.0.0.0/28", "10.0.1.0/27"), set(t, "10.0.1.7")},
		{set(t, "fd00::3-fd00::a0"), nil},
		{set(t, "192.168.0.0/22"), set(t, "192.168.1.0/26")},
	}
}

// opsFuzz drives a pool and the reference with operations decoded from data: a
// header byte picks space and strategy, then each pair of bytes is an
// operation and the slot it names.
func opsFuzz[T comparable](t *testing.T, data []byte,
	build func(space, reserved *netipx.IPSet, opt ipam.Options) (allocator[T], []T, bool)) {
	if len(data) < 2 {
		return
	}
	spaces := fuzzSpaces(t)
	sp := spaces[int(data[0]&3)]
	st := ipam.Strategy(data[0] >> 2 % 3)
	opt := ipam.Options{Strategy: st, Seed: uint64(data[1]), Reserved: sp.reserved}
	p, slots, ok := build(sp.space, sp.reserved, opt)
	if !ok {
		return
	}
	m := reference.New(slots, reference.Strategy(st), opt.Seed)
	for i := 2; i+1 < len(data); i += 2 {
		v := m.Slot(int(data[i+1]) % m.Size())
		switch data[i] % 5 {
		case 0:
			got, err := p.Allocate()
			want, ok := m.Allocate()
			require.Equal(t, ok, err == nil, "op %d: Allocate = %v, %v; reference %v, %v", i, got, err, want, ok)
			require.Equal(t, want, got, "op %d: Allocate", i)
		case 1:
			err := p.Occupy(v)
			require.Equal(t, m.Occupy(v), err == nil, "op %d: Occupy(%v) = %v", i, v, err)
		case 2:
			err := p.Release(v)
			require.Equal(t, m.Release(v), err == nil, "op %d: Release(%v) = %v", i, v, err)
		case 3:
			if data[i+1] == 0xff { // rarely: start over
				p.Reset()
				m.Reset()
			}
			require.Equal(t, m.IsAllocated(v), p.IsAllocated(v), "op %d: IsAllocated(%v)", i, v)
		case 4:
			n := int(data[i+1] % 130)
			got, err := p.AllocateN(nil, n)
			if n > m.Size()-m.Used() {
				require.ErrorIs(t, err, ipam.ErrExhausted, "op %d: AllocateN(%d)", i, n)
				break
			}
			require.NoError(t, err, "op %d: AllocateN(%d)", i, n)
			for k, g := range got {
				want, _ := m.Allocate()
				require.Equal(t, want, g, "op %d: AllocateN(%d)[%d]", i, n, k)
			}
		}
		require.Equal(t, uint64(m.Used()), p.Used(), "op %d: Used", i)
		require.Equal(t, p.Size(), p.Used()+p.Free(), "op %d: Used + Free", i)
		require.NoError(t, ipam.CheckBitmap(p), "op %d", i)
	}
	require.Equal(t, m.All(), slices.Collect(p.All()), "All()")
}

func FuzzPoolOps(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 2, 0, 1, 5, 0, 0})
	f.Add([]byte{5, 9, 0, 0, 0, 0, 0, 0, 2, 1, 1, 1, 0, 0})
	f.Add([]byte{10, 3, 1, 200, 0, 0, 0, 0, 3, 200, 2, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		opsFuzz(t, data, func(space, reserved *netipx.IPSet, opt ipam.Options) (allocator[netip.Addr], []netip.Addr, bool) {
			p, err := ipam.NewPool(space, opt)
			require.NoError(t, err)
			return p, reference.Addrs(space, reserved), true
		})
	})
}

// FuzzPrefixPoolOps is FuzzPoolOps for pools made by NewPrefixPool, over the
// spaces of one prefix.
func FuzzPrefixPoolOps(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 2, 0, 1, 5, 0, 0})
	f.Add([]byte{7, 9, 0, 0, 0, 0, 0, 0, 2, 1, 1, 1, 0, 0})
	f.Add([]byte{11, 3, 1, 200, 0, 0, 0, 0, 3, 200, 2, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		opsFuzz(t, data, func(space, reserved *netipx.IPSet, opt ipam.Options) (allocator[netip.Addr], []netip.Addr, bool) {
			pfx := space.Prefixes()
			if len(pfx) != 1 {
				return nil, nil, false
			}
			p, err := ipam.NewPrefixPool(pfx[0], opt)
			require.NoError(t, err)
			return p, reference.Addrs(space, reserved), true
		})
	})
}

func FuzzBlockPoolOps(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 2, 0, 1, 5, 0, 0}, uint8(29))
	f.Add([]byte{7, 2, 0, 0, 1, 3, 0, 0, 2, 3, 0, 0}, uint8(28))
	f.Add([]byte{2, 2, 0, 0, 0, 0, 0, 0, 0, 0}, uint8(126))
	f.Fuzz(func(t *testing.T, data []byte, bits uint8) {
		opsFuzz(t, data, func(space, reserved *netipx.IPSet, opt ipam.Options) (allocator[netip.Prefix], []netip.Prefix, bool) {
			p, err := ipam.NewBlockPool(space, int(bits), opt)
			if err != nil {
				return nil, nil, false
			}
			slots := reference.Blocks(space, reserved, int(bits))
			if len(slots) == 0 {
				require.Zero(t, p.Size(), "/%d: Size, where the reference has no block", bits)
				return nil, nil, false
			}
			return p, slots, true
		})
	})
}

// FuzzUnmarshal feeds any bytes to UnmarshalBinary: the result is an error
// or a pool whose invariants hold and whose state survives another round trip.
func FuzzUnmarshal(f *testing.F) {
	for i, sp := range fuzzSpaces(f) {
		p, err := ipam.NewPool(sp.space, ipam.Options{Strategy: ipam.Strategy(i % 3), Seed: 5, Reserved: sp.reserved})
		require.NoError(f, err)
		_, _ = p.AllocateN(nil, 9)
		b, _ := p.MarshalBinary()
		f.Add(b)
		bp, err := ipam.NewBlockPool(sp.space, 30, ipam.Options{Reserved: sp.reserved})
		if err == nil {
			_, _ = bp.Allocate()
			b, _ := bp.MarshalBinary()
			f.Add(b)
		}
	}
	f.Add([]byte("IPAM"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkUnmarshal(t, data)
		if len(data) >= 4 { // and past the checksum, to reach the decoder
			body := data[:len(data)-4]
			checkUnmarshal(t, binary.BigEndian.AppendUint32(slices.Clone(body), crc32.ChecksumIEEE(body)))
		}
	})
}

func checkUnmarshal(t *testing.T, data []byte) {
	var p ipam.Pool
	if err := p.UnmarshalBinary(data); err == nil {
		checkRestored(t, p.Used(), p.Free(), p.Size(), firstN(p.All(), 4096), p.IsAllocated, p.MarshalBinary,
			func(b []byte) (uint64, error) { var q ipam.Pool; err := q.UnmarshalBinary(b); return q.Used(), err })
	}
	var bp ipam.BlockPool
	if err := bp.UnmarshalBinary(data); err == nil {
		checkRestored(t, bp.Used(), bp.Free(), bp.Size(), firstN(bp.All(), 4096), bp.IsAllocated, bp.MarshalBinary,
			func(b []byte) (uint64, error) {
				var q ipam.BlockPool
				err := q.UnmarshalBinary(b)
				return q.Used(), err
			})
	}
}

func checkRestored[T any](t *testing.T, used, free, size uint64, all []T, isAllocated func(T) bool,
	marshal func() ([]byte, error), unmarshal func([]byte) (uint64, error)) {
	t.Helper()
	require.Equal(t, size, used+free, "Used + Free")
	require.Len(t, all, int(min(used, 4096)), "All(), Used %d", used)
	for _, v := range all {
		require.True(t, isAllocated(v), "IsAllocated(%v), listed by All", v)
	}
	b, err := marshal()
	require.NoError(t, err)
	u, err := unmarshal(b)
	require.NoError(t, err, "second round trip")
	require.Equal(t, used, u, "second round trip: Used")
}

// firstN collects at most n values of seq: a restored state may hold 2^64.
func firstN[T any](seq func(func(T) bool), n int) []T {
	var out []T
	for v := range seq {
		if len(out) == n {
			break
		}
		out = append(out, v)
	}
	return out
}
