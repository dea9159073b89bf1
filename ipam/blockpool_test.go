package ipam_test

import (
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

func TestNewBlockPoolErrors(t *testing.T) {
	tests := []struct {
		name  string
		space *netipx.IPSet
		bits  int
		want  string
	}{
		{"nil space", nil, 24, "nil or empty space"},
		{"shorter than space", set(t, "10.244.0.0/16"), 12, "holds no whole /12 block"},
		{"longer than IPv4", set(t, "10.244.0.0/16"), 33, "block length /33 outside 0..32"},
		{"negative", set(t, "fd00::/64"), -1, "block length /-1"},
		{"longer than IPv6", set(t, "fd00::/64"), 129, "outside 0..128"},
		{"unaligned range", set(t, "10.0.0.1-10.0.1.254"), 24, "holds no whole /24 block"},
		{"mixed", set(t, "10.0.0.0/8", "fd00::/8"), 24, "mixes IPv4 and IPv6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ipam.NewBlockPool(tt.space, tt.bits, ipam.Options{})
			require.ErrorIs(t, err, ipam.ErrInvalid)
			assert.ErrorContains(t, err, tt.want)
			assert.Nil(t, p)
		})
	}
}

func TestBlockPoolNodeCIDRs(t *testing.T) {
	// AKS kubenet and overlay: node k gets 10.244.(k−1).0/24 from a /16.
	p, err := ipam.NewBlockPool(set(t, "10.244.0.0/16"), 24, ipam.Options{})
	require.NoError(t, err)
	assert.Equal(t, uint64(256), p.Size())
	for k := 1; k <= 3; k++ {
		b, err := p.Allocate()
		require.NoError(t, err)
		assert.Equal(t, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 244, byte(k - 1), 0}), 24), b)
	}
	// A /22 pod CIDR holds four /24s.
	q, err := ipam.NewBlockPool(set(t, "10.240.100.0/22"), 24, ipam.Options{})
	require.NoError(t, err)
	assert.Equal(t, uint64(4), q.Size())
	_, err = q.AllocateN(nil, 5)
	require.ErrorIs(t, err, ipam.ErrExhausted)
}

func TestBlockPoolEdgesAndReserved(t *testing.T) {
	// Only whole aligned blocks: the range cuts the first and last /28, and a
	// reserved address spoils a third.
	space := set(t, "10.0.0.3-10.0.0.250")
	p, err := ipam.NewBlockPool(space, 28, ipam.Options{Reserved: set(t, "10.0.0.100")})
	require.NoError(t, err)
	got, err := p.AllocateN(nil, int(p.Size()))
	require.NoError(t, err)
	var want []netip.Prefix
	for i := 1; i < 15; i++ {
		if i != 6 { // 10.0.0.96/28 holds .100
			want = append(want, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i * 16)}), 28))
		}
	}
	assert.Equal(t, want, got)
}

// TestBlockPoolWholeFamily covers the block lengths at the ends of IPv4: a
// single /0 block (32 host bits, the width of the address) and /32 blocks.
func TestBlockPoolWholeFamily(t *testing.T) {
	all := netip.MustParsePrefix("0.0.0.0/0")
	p, err := ipam.NewBlockPool(set(t, "0.0.0.0/0"), 0, ipam.Options{})
	require.NoError(t, err)
	require.Equal(t, uint64(1), p.Size())
	got, err := p.Allocate()
	require.NoError(t, err)
	assert.Equal(t, all, got)
	assert.True(t, p.IsAllocated(all))
	assert.ErrorIs(t, p.Occupy(netip.MustParsePrefix("0.0.0.0/1")), ipam.ErrOutOfRange)
	require.NoError(t, p.Release(all))
	assert.Equal(t, uint64(0), p.Used())

	q, err := ipam.NewBlockPool(set(t, "10.0.0.0/30"), 32, ipam.Options{Strategy: ipam.NextFit})
	require.NoError(t, err)
	got2, err := q.AllocateN(nil, 4)
	require.NoError(t, err)
	assert.Equal(t, []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/32"), netip.MustParsePrefix("10.0.0.1/32"),
		netip.MustParsePrefix("10.0.0.2/32"), netip.MustParsePrefix("10.0.0.3/32"),
	}, got2)
	require.NoError(t, q.Release(netip.MustParsePrefix("10.0.0.2/32")))
	assert.False(t, q.IsAllocated(netip.MustParsePrefix("10.0.0.2/32")))
	assert.True(t, q.IsAllocated(netip.MustParsePrefix("10.0.0.3/32")))
}

func TestBlockPoolErrorsNameTheValue(t *testing.T) {
	p, err := ipam.NewBlockPool(set(t, "10.244.0.0/16"), 24, ipam.Options{Reserved: set(t, "10.244.7.7")})
	require.NoError(t, err)
	tests := []struct {
		name string
		op   func(netip.Prefix) error
		in   string
		is   error
		want string
	}{
		{"wrong length", p.Occupy, "10.244.0.0/25", ipam.ErrOutOfRange, "10.244.0.0/25: not a /24 block"},
		{"misaligned", p.Occupy, "10.244.0.5/24", ipam.ErrOutOfRange, "misaligned, the block is 10.244.0.0/24"},
		{"outside", p.Release, "10.245.0.0/24", ipam.ErrOutOfRange, "outside the pool's space"},
		{"reserved", p.Occupy, "10.244.7.0/24", ipam.ErrOutOfRange, "10.244.7.0/24: holds a reserved address"},
		{"edge", p.Occupy, "10.0.0.0/8", ipam.ErrOutOfRange, "not a /24 block"},
		{"family", p.Occupy, "fd00::/24", ipam.ErrOutOfRange, "not an IPv4 pool's family"},
		{"release free", p.Release, "10.244.1.0/24", ipam.ErrNotAllocated, "release 10.244.1.0/24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op(netip.MustParsePrefix(tt.in))
			require.ErrorIs(t, err, tt.is)
			assert.ErrorContains(t, err, tt.want)
		})
	}
	require.ErrorIs(t, p.Occupy(netip.Prefix{}), ipam.ErrOutOfRange)
	require.NoError(t, p.Occupy(netip.MustParsePrefix("10.244.9.0/24")))
	err = p.Occupy(netip.MustParsePrefix("10.244.9.0/24"))
	require.ErrorIs(t, err, ipam.ErrAlreadyAllocated)
	assert.Equal(t, uint64(255), p.Size())
}

// TestBlockPoolAgainstReference runs seeded random operations on block pools
// of several shapes, for every strategy, and compares each answer with the
// reference.
func TestBlockPoolAgainstReference(t *testing.T) {
	spaces := []struct {
		name            string
		space, reserved *netipx.IPSet
		bits            int
	}{
		{"v4 /24s in /14", set(t, "10.244.0.0/14"), nil, 24},
		{"v4 /26 calico", set(t, "192.168.0.0/18"), set(t, "192.168.3.3", "192.168.40.0/22"), 26},
		{"v4 /28 static ranges", set(t, "10.1.0.7-10.1.9.200", "10.2.0.0/23"), azureReserved(t, "10.2.0.0/23"), 28},
		{"v6 /120 in /108", set(t, "fd12:3456:789a::/108"), nil, 120},
		{"v6 /64 in /52", set(t, "2001:db8::/52"), set(t, "2001:db8:0:5::/64"), 64},
	}
	ops := 5000
	if testing.Short() {
		ops = 800
	}
	for _, sp := range spaces {
		for _, st := range strategies {
			t.Run(sp.name+"/"+st.String(), func(t *testing.T) {
				seed := uint64(len(sp.name)) + 100*uint64(st)
				p, err := ipam.NewBlockPool(sp.space, sp.bits, ipam.Options{Strategy: st, Seed: seed, Reserved: sp.reserved})
				require.NoError(t, err)
				m := reference.New(reference.Blocks(sp.space, sp.reserved, sp.bits), reference.Strategy(st), seed)
				require.Equal(t, uint64(m.Size()), p.Size())
				r := rand.New(rand.NewPCG(42, 42))
				for i := range ops {
					v := m.Slot(r.IntN(m.Size()))
					switch r.IntN(12) { // sometimes a prefix the pool does not hold
					case 0:
						v = netip.PrefixFrom(v.Addr().Prev(), v.Bits())
					case 1:
						v = netip.PrefixFrom(v.Addr(), v.Bits()-1).Masked()
					}
					checkOp(t, p, m, r, v, i)
				}
				assert.Equal(t, m.All(), slices.Collect(p.All()))
			})
		}
	}
}

func TestBlockPoolMarshalRoundTrip(t *testing.T) {
	p, err := ipam.NewBlockPool(set(t, "fd00::/48"), 64, ipam.Options{Strategy: ipam.NextFit})
	require.NoError(t, err)
	_, err = p.AllocateN(nil, 1000)
	require.NoError(t, err)
	require.NoError(t, p.Release(netip.MustParsePrefix("fd00:0:0:10::/64")))
	b, err := p.MarshalBinary()
	require.NoError(t, err)
	var q ipam.BlockPool
	require.NoError(t, q.UnmarshalBinary(b))
	assert.Equal(t, 64, q.Bits())
	assert.Equal(t, slices.Collect(p.All()), slices.Collect(q.All()))
	a1, _ := p.Allocate()
	a2, _ := q.Allocate()
	assert.Equal(t, a1, a2)
	assert.Equal(t, netip.MustParsePrefix("fd00:0:0:3e8::/64"), a2, "next fit continues after the last")
}

func TestBlockPoolNoAllocs(t *testing.T) {
	p, err := ipam.NewBlockPool(set(t, "10.0.0.0/8"), 24, ipam.Options{})
	require.NoError(t, err)
	_, err = p.AllocateN(nil, 60000)
	require.NoError(t, err)
	// AllocateN of 100: first fit takes whole words.
	require.Zero(t, hotPathAllocs[netip.Prefix](p, 100, netip.MustParsePrefix("10.200.0.0/24")), "BlockPool hot path: allocations per run")
}
