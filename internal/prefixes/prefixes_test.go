package prefixes

import (
	"net/netip"
	"testing"
)

func TestJoin(t *testing.T) {
	a, b := netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("fd00::/64")
	for _, tt := range []struct {
		ps   []netip.Prefix
		sep  string
		want string
	}{
		{nil, ",", ""},
		{[]netip.Prefix{a}, ",", "10.0.0.0/24"},
		{[]netip.Prefix{a, b}, ",", "10.0.0.0/24,fd00::/64"},
		{[]netip.Prefix{a, b, {}}, ", ", "10.0.0.0/24, fd00::/64, invalid Prefix"},
	} {
		if got := Join(tt.ps, tt.sep); got != tt.want {
			t.Errorf("Join(%v, %q) = %q, want %q", tt.ps, tt.sep, got, tt.want)
		}
	}
}
