package capacity

import (
	"strconv"
	"strings"

	"github.com/ipcap/ipcap/modes"
)

// Surge is a node pool's upgrade surge (upgradeSettings.maxSurge): a node
// count or a percentage of the pool. The zero Surge means "not set": the
// cluster's default applies. Validate accepts counts 0..1,000,000
// (modes.SpecMaxNodes) and percentages 0–100, the values ParseSurge reads.
type Surge struct {
	v       int
	percent bool
	set     bool
}

// SurgeNodes returns a surge of n nodes.
func SurgeNodes(n int) Surge { return Surge{v: n, set: true} }

// SurgePercent returns a surge of p percent of the pool, rounded up [UPR].
func SurgePercent(p int) Surge { return Surge{v: p, percent: true, set: true} }

// ParseSurge reads maxSurge as AKS spells it: "1", "33%", "0". The empty
// string is the zero Surge (the default). Anything else is a
// *modes.FieldError of field surge: the type's name, as for ipcap's own
// types, since it reads maxSurge and maxUnavailable alike.
func ParseSurge(s string) (Surge, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Surge{}, nil
	}
	pct := strings.HasSuffix(t, "%")
	n, err := strconv.Atoi(strings.TrimSuffix(t, "%"))
	if err != nil || n < 0 || pct && n > 100 {
		return Surge{}, &modes.FieldError{Pkg: "capacity", Field: "surge", Value: s,
			Reason: `want a node count such as "1" or a percentage such as "33%"`}
	}
	if pct {
		return SurgePercent(n), nil
	}
	return SurgeNodes(n), nil
}

// IsZero reports whether s is unset.
func (s Surge) IsZero() bool { return !s.set }

// IsPercent reports whether s is a percentage.
func (s Surge) IsPercent() bool { return s.percent }

// Value returns the node count or the percentage.
func (s Surge) Value() int { return s.v }

// Nodes returns the surge nodes an upgrade of a pool of poolNodes nodes
// adds: a percentage rounds up, and the surge never exceeds the nodes left
// to upgrade [UPR]. 50% of 4 nodes is 2 (W7); 10% of 8 is 1.
func (s Surge) Nodes(poolNodes int) int {
	if poolNodes <= 0 || s.v <= 0 {
		return 0
	}
	n := s.v
	if s.percent {
		n = (s.v*poolNodes + 99) / 100
	}
	return min(n, poolNodes)
}

// String returns "1", "33%" or, for the zero Surge, "".
func (s Surge) String() string {
	switch {
	case !s.set:
		return ""
	case s.percent:
		return strconv.Itoa(s.v) + "%"
	}
	return strconv.Itoa(s.v)
}

// MarshalText writes String's form.
func (s Surge) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads ParseSurge's forms.
func (s *Surge) UnmarshalText(b []byte) error {
	v, err := ParseSurge(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
