package capacity

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFirstOverlapsAgainstPairs compares the sweep with checking every pair
// on random nested, disjoint and duplicate prefixes.
func TestFirstOverlapsAgainstPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		spans := make([]span, r.IntN(12))
		for i := range spans {
			bits := 20 + r.IntN(9)
			a := netip.AddrFrom4([4]byte{10, 0, byte(r.IntN(16)), byte(r.IntN(256))})
			spans[i] = span{p: netip.PrefixFrom(a, bits).Masked(), target: r.IntN(3) > 0}
		}
		got := firstOverlaps(spans)
		for i := range spans {
			want := -1
			for j := range spans {
				if j != i && spans[j].target && spans[i].p.Overlaps(spans[j].p) {
					want = j
					break
				}
			}
			require.Equal(t, want, got[i], "span %d of %v", i, spans)
		}
	}
}
