package ipam_test

import (
	"encoding/binary"
	"hash/crc32"
	"net/netip"
	"slices"
	"testing"

	"github.com/ipcap/ipcap/internal/reference"
	"github.com/ipcap/ipcap/ipam"
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

// opsFuzz drives a pool and its model with operations decoded from data: a
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
		switch data[i] % 4 {
		case 0:
			got, err := p.Allocate()
			want, ok := m.Allocate()
			if ok != (err == nil) || ok && got != want {
				t.Fatalf("op %d: Allocate = %v, %v; model %v, %v", i, got, err, want, ok)
			}
		case 1:
			if err := p.Occupy(v); (err == nil) != m.Occupy(v) {
				t.Fatalf("op %d: Occupy(%v) = %v, model disagrees", i, v, err)
			}
		case 2:
			if err := p.Release(v); (err == nil) != m.Release(v) {
				t.Fatalf("op %d: Release(%v) = %v, model disagrees", i, v, err)
			}
		case 3:
			if data[i+1] == 0xff { // rarely: start over
				p.Reset()
				m.Reset()
			}
			if p.IsAllocated(v) != m.IsAllocated(v) {
				t.Fatalf("op %d: IsAllocated(%v) disagrees with the model", i, v)
			}
		}
		if p.Used() != uint64(m.Used()) || p.Used()+p.Free() != p.Size() {
			t.Fatalf("op %d: Used %d Free %d Size %d, model used %d", i, p.Used(), p.Free(), p.Size(), m.Used())
		}
	}
	if got := slices.Collect(p.All()); !slices.Equal(got, m.All()) {
		t.Fatalf("All() = %v, model %v", got, m.All())
	}
}

func FuzzPoolOps(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 2, 0, 1, 5, 0, 0})
	f.Add([]byte{5, 9, 0, 0, 0, 0, 0, 0, 2, 1, 1, 1, 0, 0})
	f.Add([]byte{10, 3, 1, 200, 0, 0, 0, 0, 3, 200, 2, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		opsFuzz(t, data, func(space, reserved *netipx.IPSet, opt ipam.Options) (allocator[netip.Addr], []netip.Addr, bool) {
			p, err := ipam.NewPool(space, opt)
			if err != nil {
				t.Fatal(err)
			}
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
				if p.Size() != 0 {
					t.Fatalf("/%d: Size %d, model has no block", bits, p.Size())
				}
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
		if err != nil {
			f.Fatal(err)
		}
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
	if used+free != size {
		t.Fatalf("Used %d + Free %d != Size %d", used, free, size)
	}
	if uint64(len(all)) != min(used, 4096) {
		t.Fatalf("All() has %d values, Used %d", len(all), used)
	}
	for _, v := range all {
		if !isAllocated(v) {
			t.Fatalf("%v listed by All but not allocated", v)
		}
	}
	b, err := marshal()
	if err != nil {
		t.Fatal(err)
	}
	u, err := unmarshal(b)
	if err != nil || u != used {
		t.Fatalf("second round trip: used %d, %v; want %d", u, err, used)
	}
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
