// Package prefixes spells lists of prefixes for messages and reports.
package prefixes

import "net/netip"

// Join returns the prefixes as String spells them, separated by sep:
// "10.0.0.0/24, 10.1.0.0/16" for sep ", "; "" for none.
func Join(ps []netip.Prefix, sep string) string {
	var b []byte
	for i, p := range ps {
		if i > 0 {
			b = append(b, sep...)
		}
		if p.IsValid() {
			b = p.AppendTo(b)
		} else {
			b = append(b, p.String()...)
		}
	}
	return string(b)
}
