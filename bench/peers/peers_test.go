package peers_test

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/ipcap/ipcap/bench/peers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAddrsCorrect holds every address allocator to the same check before
// any of them is timed: distinct addresses inside the space until it is
// exhausted, releases that free exactly what was allocated.
func TestAddrsCorrect(t *testing.T) {
	space := netip.MustParsePrefix("192.168.0.0/26")
	for _, impl := range peers.AddrImpls() {
		t.Run(impl.Name, func(t *testing.T) {
			a, err := impl.New(space)
			require.NoError(t, err)
			seen := map[netip.Addr]bool{}
			for {
				got, err := a.Allocate()
				if err != nil {
					break
				}
				require.True(t, space.Contains(got), "%v outside %v", got, space)
				require.False(t, seen[got], "%v handed out twice", got)
				seen[got] = true
				require.LessOrEqual(t, len(seen), 64)
			}
			assert.GreaterOrEqual(t, len(seen), 61, "host-local keeps the network, gateway and broadcast addresses")
			var one netip.Addr
			for v := range seen {
				one = v
				break
			}
			require.NoError(t, a.Release(one))
			if impl.LaxRelease {
				assert.NoError(t, a.Release(one), "a double release is a no-op")
			} else {
				assert.Error(t, a.Release(one), "a double release is refused")
			}
			again, err := a.Allocate()
			require.NoError(t, err)
			assert.Equal(t, one, again, "the only free address")
			_, err = a.Allocate()
			assert.Error(t, err, "a double release frees nothing more")
			if !impl.LaxRelease {
				assert.Error(t, a.Release(netip.MustParseAddr("10.9.9.9")))
			}
		})
	}
}

func TestBlocksCorrect(t *testing.T) {
	space := netip.MustParsePrefix("10.0.0.0/20")
	for _, impl := range peers.BlockImpls() {
		t.Run(impl.Name, func(t *testing.T) {
			b, err := impl.New(space, 24)
			require.NoError(t, err)
			seen := map[netip.Prefix]bool{}
			for {
				got, err := b.Allocate()
				if err != nil {
					break
				}
				require.Equal(t, 24, got.Bits())
				require.Equal(t, got.Masked(), got)
				require.True(t, space.Contains(got.Addr()))
				require.False(t, seen[got])
				seen[got] = true
				require.LessOrEqual(t, len(seen), 16)
			}
			require.Len(t, seen, 16)
			p := netip.MustParsePrefix("10.0.7.0/24")
			require.NoError(t, b.Release(p))
			if impl.LaxRelease {
				assert.NoError(t, b.Release(p), "a double release is a no-op")
			} else {
				assert.Error(t, b.Release(p), "a double release is refused")
			}
			again, err := b.Allocate()
			require.NoError(t, err)
			assert.Equal(t, p, again)
			_, err = b.Allocate()
			assert.Error(t, err, "a double release frees nothing more")
			assert.Error(t, b.Release(netip.MustParsePrefix("10.9.9.0/24")), "outside the space")
		})
	}
}

// addrImpl returns the implementation named name.
func addrImpl(t *testing.T, name string) peers.AddrImpl {
	t.Helper()
	for _, i := range peers.AddrImpls() {
		if i.Name == name {
			return i
		}
	}
	require.Failf(t, "unknown implementation", "no implementation named %q", name)
	return peers.AddrImpl{}
}

// TestBoundLargeSpace walks bound through more than one summary word (a
// /10: 65,536 words, 1,024 summary words): fill in order, free two slots
// far apart, and find them again from a cursor past both.
func TestBoundLargeSpace(t *testing.T) {
	space := netip.MustParsePrefix("10.64.0.0/10")
	a, err := addrImpl(t, "bound").New(space)
	require.NoError(t, err)
	want := space.Addr()
	for range 1 << 22 {
		got, err := a.Allocate()
		require.NoError(t, err)
		if got != want {
			require.Equal(t, want, got, "in order from the start")
		}
		want = want.Next()
	}
	_, err = a.Allocate()
	require.ErrorIs(t, err, peers.ErrFull)
	lo, hi := netip.MustParseAddr("10.64.1.7"), netip.MustParseAddr("10.100.200.9")
	require.NoError(t, a.Release(hi))
	require.NoError(t, a.Release(lo))
	got1, err := a.Allocate()
	require.NoError(t, err)
	got2, err := a.Allocate()
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{lo, hi}, []netip.Addr{got1, got2}, "next fit wraps to the start, then on")
	_, err = a.Allocate()
	require.ErrorIs(t, err, peers.ErrFull)
}

// TestBoundFirstFit: bound-ff hands out the lowest free slot.
func TestBoundFirstFit(t *testing.T) {
	space := netip.MustParsePrefix("10.64.0.0/18")
	a, err := addrImpl(t, "bound-ff").New(space)
	require.NoError(t, err)
	for range 1 << 14 {
		_, err := a.Allocate()
		require.NoError(t, err)
	}
	hi, mid, lo := netip.MustParseAddr("10.64.60.9"), netip.MustParseAddr("10.64.30.200"), netip.MustParseAddr("10.64.0.3")
	for _, x := range []netip.Addr{mid, hi, lo} {
		require.NoError(t, a.Release(x))
	}
	for _, want := range []netip.Addr{lo, mid, hi} {
		got, err := a.Allocate()
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

// TestRandomOps checks the bitmap peers against a map under random
// allocations and releases in spaces of several summary words, kept near
// full so that searches cross words and wrap.
func TestRandomOps(t *testing.T) {
	for _, impl := range peers.AddrImpls() {
		if impl.Name != "bound" && impl.Name != "bound-ff" && impl.Name != "bigscan" {
			continue
		}
		for _, space := range []netip.Prefix{netip.MustParsePrefix("10.0.0.0/18"), netip.MustParsePrefix("10.0.0.0/29")} {
			t.Run(impl.Name+"/"+space.String(), func(t *testing.T) {
				a, err := impl.New(space)
				require.NoError(t, err)
				size := 1 << (32 - space.Bits())
				held := map[netip.Addr]bool{}
				var list []netip.Addr
				r := rand.New(rand.NewPCG(1, 2))
				for range 50000 {
					if len(list) > 0 && (len(list) == size || r.IntN(100) < 5) {
						k := r.IntN(len(list))
						require.NoError(t, a.Release(list[k]))
						delete(held, list[k])
						list[k] = list[len(list)-1]
						list = list[:len(list)-1]
						continue
					}
					got, err := a.Allocate()
					require.NoError(t, err, "%d of %d held", len(list), size)
					require.True(t, space.Contains(got))
					require.False(t, held[got], "%v handed out twice", got)
					held[got] = true
					list = append(list, got)
				}
			})
		}
	}
}
