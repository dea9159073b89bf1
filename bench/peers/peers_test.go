package peers_test

import (
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
			assert.Error(t, a.Release(one), "a double release is refused")
			again, err := a.Allocate()
			require.NoError(t, err)
			assert.Equal(t, one, again, "the only free address")
			assert.Error(t, a.Release(netip.MustParseAddr("10.9.9.9")))
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
			assert.Error(t, b.Release(p))
			again, err := b.Allocate()
			require.NoError(t, err)
			assert.Equal(t, p, again)
		})
	}
}
