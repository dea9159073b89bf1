// Package count writes counts for people to read: thousands separated
// ("65,536") and with their noun ("1 node", "1,000 trials"). ipcap's own
// words — warnings, notes, the examples' text — use it; AKS's messages keep
// AKS's figures as they are.
package count

import (
	"fmt"
	"strings"
)

// Of writes n, thousands separated, and the noun for it: "1 node",
// "3 nodes", "1.5 nodes", "1,000 trials".
func Of[N int | float64](n N, one, many string) string {
	if n == 1 {
		return Thousands(n) + " " + one
	}
	return Thousands(n) + " " + many
}

// Thousands writes n with commas between the thousands of its whole part:
// 65,536, -1,000, 1,234.5.
func Thousands[N int | float64](n N) string {
	s := fmt.Sprintf("%v", n)
	whole, frac := s, ""
	if i := strings.IndexAny(s, ".e"); i >= 0 {
		if s[i] == 'e' { // 1e+21: no separators
			return s
		}
		whole, frac = s[:i], s[i:]
	}
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	var b strings.Builder
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	return sign + b.String() + frac
}
