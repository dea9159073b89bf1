package ipam_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
	"go4.org/netipx"
)

// set builds an IPSet from prefixes ("10.0.0.0/24"), ranges ("10.0.0.1-10.0.0.9")
// and addresses.
func set(t testing.TB, elems ...string) *netipx.IPSet {
	t.Helper()
	var b netipx.IPSetBuilder
	for _, e := range elems {
		if p, err := netip.ParsePrefix(e); err == nil {
			b.AddPrefix(p)
		} else if r, err := netipx.ParseIPRange(e); err == nil {
			b.AddRange(r)
		} else {
			b.Add(netip.MustParseAddr(e))
		}
	}
	s, err := b.IPSet()
	require.NoError(t, err)
	return s
}

// azureReserved returns the five addresses Azure keeps in each prefix.
func azureReserved(t testing.TB, prefixes ...string) *netipx.IPSet {
	t.Helper()
	var b netipx.IPSetBuilder
	for _, s := range prefixes {
		p := netip.MustParsePrefix(s)
		a := p.Addr()
		for range 4 {
			b.Add(a)
			a = a.Next()
		}
		b.Add(netipx.PrefixLastIP(p))
	}
	r, err := b.IPSet()
	require.NoError(t, err)
	return r
}
