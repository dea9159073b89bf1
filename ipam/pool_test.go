package ipam_test

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/ipcap/ipcap/internal/reference"
	"github.com/ipcap/ipcap/ipam"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go4.org/netipx"
)

var strategies = []ipam.Strategy{ipam.FirstFit, ipam.NextFit, ipam.Random}

func TestNewPoolErrors(t *testing.T) {
	var empty netipx.IPSetBuilder
	emptySet, _ := empty.IPSet()
	tests := []struct {
		name  string
		space *netipx.IPSet
		opt   ipam.Options
		want  string
	}{
		{"nil space", nil, ipam.Options{}, "nil space"},
		{"empty space", emptySet, ipam.Options{}, "empty space"},
		{"mixed families", set(t, "10.0.0.0/24", "fd00::/120"), ipam.Options{}, "mixes IPv4 and IPv6"},
		{"bad strategy", set(t, "10.0.0.0/24"), ipam.Options{Strategy: 7}, "Options.Strategy 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ipam.NewPool(tt.space, tt.opt)
			require.ErrorIs(t, err, ipam.ErrInvalid)
			assert.ErrorContains(t, err, tt.want)
			assert.Nil(t, p)
		})
	}
}

func TestPoolAzureSubnet(t *testing.T) {
	// A /24 subnet keeps 5 addresses for Azure: 251 usable, .4 is the first.
	p, err := ipam.NewPool(set(t, "10.1.0.0/24"), ipam.Options{Reserved: azureReserved(t, "10.1.0.0/24")})
	require.NoError(t, err)
	assert.Equal(t, uint64(251), p.Size())
	a, err := p.Allocate()
	require.NoError(t, err)
	assert.Equal(t, netip.MustParseAddr("10.1.0.4"), a)
	assert.False(t, p.Contains(netip.MustParseAddr("10.1.0.255")))
	assert.True(t, p.Contains(netip.MustParseAddr("10.1.0.254")))

	got, err := p.AllocateN(nil, 250)
	require.NoError(t, err)
	assert.Equal(t, netip.MustParseAddr("10.1.0.254"), got[249])
	_, err = p.Allocate()
	require.ErrorIs(t, err, ipam.ErrExhausted)
	assert.Equal(t, uint64(0), p.Free())
}

func TestPoolErrorsNameTheValue(t *testing.T) {
	p, err := ipam.NewPool(set(t, "10.1.0.0/24"), ipam.Options{Reserved: azureReserved(t, "10.1.0.0/24")})
	require.NoError(t, err)
	a := netip.MustParseAddr("10.1.0.9")
	require.NoError(t, p.Occupy(a))

	tests := []struct {
		name string
		err  error
		is   error
		want string
	}{
		{"occupy twice", p.Occupy(a), ipam.ErrAlreadyAllocated, "occupy 10.1.0.9"},
		{"release free", p.Release(netip.MustParseAddr("10.1.0.10")), ipam.ErrNotAllocated, "release 10.1.0.10"},
		{"reserved", p.Occupy(netip.MustParseAddr("10.1.0.1")), ipam.ErrOutOfRange, "10.1.0.1: reserved"},
		{"outside", p.Release(netip.MustParseAddr("10.2.0.1")), ipam.ErrOutOfRange, "10.2.0.1: outside the pool's space"},
		{"family", p.Occupy(netip.MustParseAddr("fd00::1")), ipam.ErrOutOfRange, "not an IPv4 pool's family"},
		{"invalid", p.Occupy(netip.Addr{}), ipam.ErrOutOfRange, "invalid"},
		{"negative n", func() error { _, err := p.AllocateN(nil, -1); return err }(), ipam.ErrInvalid, "count -1"},
		{"too many", func() error { _, err := p.AllocateN(nil, 251); return err }(), ipam.ErrExhausted, "251 requested, 250 free"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.ErrorIs(t, tt.err, tt.is)
			assert.ErrorContains(t, tt.err, tt.want)
		})
	}
	assert.Equal(t, uint64(1), p.Used(), "failed calls changed nothing")
}

func TestAllocateNAllOrNothing(t *testing.T) {
	p, err := ipam.NewPool(set(t, "192.168.0.0/29"), ipam.Options{})
	require.NoError(t, err)
	dst := make([]netip.Addr, 0, 8)
	dst, err = p.AllocateN(dst, 5)
	require.NoError(t, err)
	require.Len(t, dst, 5)
	dst2, err := p.AllocateN(dst, 4)
	require.ErrorIs(t, err, ipam.ErrExhausted)
	assert.Len(t, dst2, 5, "dst unchanged on failure")
	assert.Equal(t, uint64(5), p.Used())
	dst, err = p.AllocateN(dst, 3)
	require.NoError(t, err)
	assert.Equal(t, netip.MustParseAddr("192.168.0.7"), dst[7])
}

func TestPoolSeveralRanges(t *testing.T) {
	// A subnet with two address prefixes, and a hole of reserved addresses.
	space := set(t, "10.0.0.0/30", "10.0.1.0/30")
	p, err := ipam.NewPool(space, ipam.Options{Reserved: set(t, "10.0.0.1-10.0.0.2")})
	require.NoError(t, err)
	got, err := p.AllocateN(nil, 6)
	require.NoError(t, err)
	want := []netip.Addr{
		netip.MustParseAddr("10.0.0.0"), netip.MustParseAddr("10.0.0.3"),
		netip.MustParseAddr("10.0.1.0"), netip.MustParseAddr("10.0.1.1"),
		netip.MustParseAddr("10.0.1.2"), netip.MustParseAddr("10.0.1.3"),
	}
	assert.Equal(t, want, got)
	assert.Equal(t, want, slices.Collect(p.All()))
}

func TestPoolHugeIPv6(t *testing.T) {
	// A /32 has 2^96 addresses; the pool indexes the first 2^64−1.
	p, err := ipam.NewPool(set(t, "2001:db8::/32"), ipam.Options{Strategy: ipam.NextFit})
	require.NoError(t, err)
	assert.Equal(t, uint64(math.MaxUint64), p.Size())
	last := netip.MustParseAddr("2001:db8::ffff:ffff:ffff:fffe")
	require.NoError(t, p.Occupy(last))
	assert.False(t, p.Contains(netip.MustParseAddr("2001:db8::1:0:0:0:0")))
	a, err := p.Allocate()
	require.NoError(t, err)
	assert.Equal(t, netip.MustParseAddr("2001:db8::"), a)
}

// TestPoolAgainstReference runs seeded random operations on pools of several
// shapes, for every strategy, and compares each answer with the reference.
func TestPoolAgainstReference(t *testing.T) {
	spaces := []struct {
		name            string
		space, reserved *netipx.IPSet
	}{
		{"v4 /24 azure", set(t, "10.0.0.0/24"), azureReserved(t, "10.0.0.0/24")},
		{"v4 two prefixes", set(t, "10.0.0.0/22", "10.9.0.0/23"), azureReserved(t, "10.0.0.0/22", "10.9.0.0/23")},
		{"v4 /19 holes", set(t, "172.16.0.0/19"), set(t, "172.16.4.0/24", "172.16.9.9", "172.16.31.0/25")},
		{"v6 /116", set(t, "fd00::/116"), set(t, "fd00::1-fd00::10")},
		{"v6 ranges", set(t, "fd00::5-fd00::1000", "fd01::/120"), nil},
	}
	ops := 6000
	if testing.Short() {
		ops = 1000
	}
	for _, sp := range spaces {
		for _, st := range strategies {
			t.Run(sp.name+"/"+st.String(), func(t *testing.T) {
				seed := uint64(len(sp.name))*7 + uint64(st)
				p, err := ipam.NewPool(sp.space, ipam.Options{Strategy: st, Seed: seed, Reserved: sp.reserved})
				require.NoError(t, err)
				m := reference.New(reference.Addrs(sp.space, sp.reserved), reference.Strategy(st), seed)
				require.Equal(t, uint64(m.Size()), p.Size())
				r := rand.New(rand.NewPCG(42, 42))
				for i := range ops {
					v := m.Slot(r.IntN(m.Size()))
					if r.IntN(10) == 0 { // sometimes a value the pool does not hold
						v = v.Prev()
					}
					checkOp(t, p, m, r, v, i)
				}
				assert.Equal(t, m.All(), slices.Collect(p.All()))
			})
		}
	}
}

func TestPoolMarshalRoundTrip(t *testing.T) {
	for _, st := range strategies {
		t.Run(st.String(), func(t *testing.T) {
			p, err := ipam.NewPool(set(t, "10.0.0.0/22", "10.0.8.0/24"),
				ipam.Options{Strategy: st, Seed: 9, Reserved: azureReserved(t, "10.0.0.0/22", "10.0.8.0/24")})
			require.NoError(t, err)
			_, err = p.AllocateN(nil, 700)
			require.NoError(t, err)
			for a := range p.All() {
				if a.As4()[3]%3 == 0 {
					require.NoError(t, p.Release(a))
				}
			}
			b, err := p.MarshalBinary()
			require.NoError(t, err)

			var q ipam.Pool
			require.NoError(t, q.UnmarshalBinary(b))
			assert.Equal(t, slices.Collect(p.All()), slices.Collect(q.All()))
			assert.Equal(t, p.Size(), q.Size())
			assert.Equal(t, p.Strategy(), q.Strategy())
			assert.True(t, p.Space().Equal(q.Space()))
			// Both continue the same sequence.
			for range 300 {
				a1, err1 := p.Allocate()
				a2, err2 := q.Allocate()
				require.Equal(t, err1, err2)
				require.Equal(t, a1, a2)
			}
		})
	}
}

func TestPoolUnmarshalCorrupt(t *testing.T) {
	p, err := ipam.NewPool(set(t, "10.0.0.0/24"), ipam.Options{Strategy: ipam.Random, Seed: 3})
	require.NoError(t, err)
	_, err = p.AllocateN(nil, 40)
	require.NoError(t, err)
	good, err := p.MarshalBinary()
	require.NoError(t, err)

	q, err := ipam.NewPool(set(t, "192.168.0.0/30"), ipam.Options{})
	require.NoError(t, err)
	_, err = q.Allocate()
	require.NoError(t, err)
	before := slices.Collect(q.All())

	for n := range len(good) {
		require.ErrorIs(t, q.UnmarshalBinary(good[:n]), ipam.ErrCorrupt, "truncated to %d bytes", n)
	}
	for i := range len(good) {
		bad := slices.Clone(good)
		bad[i] ^= 0x10
		require.ErrorIs(t, q.UnmarshalBinary(bad), ipam.ErrCorrupt, "byte %d flipped", i)
	}
	var bp ipam.BlockPool
	require.ErrorIs(t, bp.UnmarshalBinary(good), ipam.ErrCorrupt, "a Pool's state is not a BlockPool's")
	assert.Equal(t, before, slices.Collect(q.All()), "pool unchanged after failures")
	assert.Equal(t, uint64(4), q.Size())
}

func TestPoolNoAllocs(t *testing.T) {
	for _, st := range strategies {
		for _, prefix := range []bool{false, true} {
			opt := ipam.Options{Strategy: st, Reserved: azureReserved(t, "10.0.0.0/16")}
			p, err := ipam.NewPool(set(t, "10.0.0.0/16"), opt)
			if prefix {
				p, err = ipam.NewPrefixPool(netip.MustParsePrefix("10.0.0.0/16"), opt)
			}
			require.NoError(t, err)
			poolNoAllocs(t, p, fmt.Sprintf("%v, NewPrefixPool %v", st, prefix))
		}
	}
}

// poolNoAllocs checks that p's hot paths make no allocation.
func poolNoAllocs(t *testing.T, p *ipam.Pool, name string) {
	t.Helper()
	_, err := p.AllocateN(nil, 40000) // every page exists now
	require.NoError(t, err)
	require.Zero(t, hotPathAllocs[netip.Addr](p, 8, netip.MustParseAddr("10.0.100.100")), "%s: Pool hot path: allocations per run", name)
}

// TestPoolReset checks that Reset leaves a pool as NewPool returned it, its
// encoded state included, and reuses the memory it holds.
func TestPoolReset(t *testing.T) {
	for _, st := range strategies {
		for _, space := range []string{"10.0.0.0/24", "fd00:1::/64"} {
			opt := ipam.Options{Strategy: st, Seed: 9}
			p, err := ipam.NewPool(set(t, space), opt)
			require.NoError(t, err)
			fresh, err := ipam.NewPool(set(t, space), opt)
			require.NoError(t, err)
			first, err := p.AllocateN(nil, 200)
			require.NoError(t, err)
			p.Reset()
			assert.Zero(t, p.Used(), "%v %s", st, space)
			assert.Empty(t, slices.Collect(p.All()))
			got, err := p.MarshalBinary()
			require.NoError(t, err)
			want, err := fresh.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, want, got, "%v %s: state after Reset", st, space)
			again, err := p.AllocateN(nil, 200)
			require.NoError(t, err)
			assert.Equal(t, first, again, "%v %s: the same sequence after Reset", st, space)

			dst := make([]netip.Addr, 0, 200)
			allocs := testing.AllocsPerRun(5, func() {
				p.Reset()
				dst, _ = p.AllocateN(dst[:0], 200)
			})
			assert.Zero(t, allocs, "%v %s: Reset and refill allocated", st, space)
		}
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	errs := []error{ipam.ErrExhausted, ipam.ErrNotAllocated, ipam.ErrAlreadyAllocated, ipam.ErrOutOfRange, ipam.ErrInvalid, ipam.ErrCorrupt}
	for i, a := range errs {
		for j, b := range errs {
			assert.Equal(t, i == j, errors.Is(a, b))
		}
	}
}

var (
	_ encoding.BinaryAppender = (*ipam.Pool)(nil)
	_ encoding.BinaryAppender = (*ipam.BlockPool)(nil)
)

// TestAppendBinary checks that AppendBinary appends what MarshalBinary
// returns, after a prefix that it leaves alone, and that the appended part
// restores the pool.
func TestAppendBinary(t *testing.T) {
	p, err := ipam.NewPool(set(t, "10.0.0.0/22", "10.0.8.0/24"), ipam.Options{Strategy: ipam.Random, Seed: 4})
	require.NoError(t, err)
	_, err = p.AllocateN(nil, 300)
	require.NoError(t, err)
	bp, err := ipam.NewBlockPool(set(t, "10.244.0.0/16"), 24, ipam.Options{Strategy: ipam.NextFit})
	require.NoError(t, err)
	_, err = bp.AllocateN(nil, 40)
	require.NoError(t, err)
	var zp ipam.Pool
	var zb ipam.BlockPool
	for _, c := range []struct {
		name string
		pool interface {
			encoding.BinaryMarshaler
			encoding.BinaryAppender
		}
		used   func() uint64
		decode func([]byte) (uint64, error)
	}{
		{"Pool", p, p.Used, func(b []byte) (uint64, error) { var q ipam.Pool; err := q.UnmarshalBinary(b); return q.Used(), err }},
		{"BlockPool", bp, bp.Used, func(b []byte) (uint64, error) {
			var q ipam.BlockPool
			err := q.UnmarshalBinary(b)
			return q.Used(), err
		}},
		{"zero Pool", &zp, zp.Used, func(b []byte) (uint64, error) { var q ipam.Pool; err := q.UnmarshalBinary(b); return q.Used(), err }},
		{"zero BlockPool", &zb, zb.Used, func(b []byte) (uint64, error) {
			var q ipam.BlockPool
			err := q.UnmarshalBinary(b)
			return q.Used(), err
		}},
	} {
		want, err := c.pool.MarshalBinary()
		require.NoError(t, err, c.name)
		prefix := []byte("prefix")
		got, err := c.pool.AppendBinary(slices.Clip(prefix))
		require.NoError(t, err, c.name)
		assert.Equal(t, append(slices.Clone(prefix), want...), got, "%s: AppendBinary(prefix) = prefix + MarshalBinary()", c.name)
		nilGot, err := c.pool.AppendBinary(nil)
		require.NoError(t, err, c.name)
		assert.Equal(t, want, nilGot, "%s: AppendBinary(nil) = MarshalBinary()", c.name)
		used, err := c.decode(got[len(prefix):])
		require.NoError(t, err, "%s: UnmarshalBinary of the appended part", c.name)
		assert.Equal(t, c.used(), used, c.name)
	}
}

// TestPrefixPoolIsNewPool checks that NewPrefixPool(p) is NewPool of the set
// of p: the same size, sequence, errors, space and encoded state, under every
// strategy, with and without reserved addresses; and that its state restores
// as a pool NewPool made.
func TestPrefixPoolIsNewPool(t *testing.T) {
	for _, tt := range []struct {
		prefix   string
		reserved *netipx.IPSet
	}{
		{"10.1.0.0/24", azureReserved(t, "10.1.0.0/24")},
		{"10.1.0.7/24", nil}, // not masked: the pool's space is the masked prefix
		{"10.2.0.0/31", nil},
		{"10.2.0.9/32", nil},
		{"10.3.0.0/30", set(t, "10.3.0.0/30")}, // every address reserved
		{"10.4.0.0/26", set(t, "10.4.0.17", "10.4.0.40-10.4.0.45", "fd00::1")},
		{"fd00:1::/64", nil},
		{"fd00:2::/120", set(t, "fd00:2::-fd00:2::3")},
		{"::/0", nil},
		{"0.0.0.0/0", set(t, "0.0.0.0/8")},
	} {
		pfx := netip.MustParsePrefix(tt.prefix)
		for _, st := range strategies {
			name := fmt.Sprintf("%s %v", tt.prefix, st)
			opt := ipam.Options{Strategy: st, Seed: 3, Reserved: tt.reserved}
			want, err := ipam.NewPool(set(t, pfx.Masked().String()), opt)
			require.NoError(t, err, name)
			got, err := ipam.NewPrefixPool(pfx, opt)
			require.NoError(t, err, name)
			require.Equal(t, want.Size(), got.Size(), "%s: Size", name)
			require.True(t, want.Space().Equal(got.Space()), "%s: Space %v, want %v", name, got.Space().Prefixes(), want.Space().Prefixes())
			n := int(min(want.Size(), 300))
			w, werr := want.AllocateN(nil, n)
			g, gerr := got.AllocateN(nil, n)
			require.Equal(t, werr, gerr, "%s: AllocateN error", name)
			require.Equal(t, w, g, "%s: AllocateN(%d)", name, n)
			for _, a := range []netip.Addr{pfx.Addr(), pfx.Masked().Addr(), netipx.PrefixLastIP(pfx).Next(), netip.MustParseAddr("10.4.0.17"), netip.MustParseAddr("fd00:2::2"), netip.MustParseAddr("::1"), {}} {
				require.Equal(t, want.Contains(a), got.Contains(a), "%s: Contains(%v)", name, a)
				require.Equal(t, fmt.Sprint(want.Release(a)), fmt.Sprint(got.Release(a)), "%s: Release(%v)", name, a)
				require.Equal(t, fmt.Sprint(want.Occupy(a)), fmt.Sprint(got.Occupy(a)), "%s: Occupy(%v)", name, a)
			}
			wb, err := want.MarshalBinary()
			require.NoError(t, err)
			gb, err := got.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, wb, gb, "%s: MarshalBinary", name)
			var back ipam.Pool
			require.NoError(t, back.UnmarshalBinary(gb), name)
			require.Equal(t, slices.Collect(got.All()), slices.Collect(back.All()), "%s: restored", name)
			require.NoError(t, ipam.CheckBitmap(got), name)
		}
	}
	_, err := ipam.NewPrefixPool(netip.Prefix{}, ipam.Options{})
	require.ErrorIs(t, err, ipam.ErrInvalid, "NewPrefixPool of the zero Prefix")
	_, err = ipam.NewPrefixPool(netip.MustParsePrefix("10.0.0.0/24"), ipam.Options{Strategy: 7})
	require.ErrorIs(t, err, ipam.ErrInvalid, "NewPrefixPool with a bad strategy")
}
