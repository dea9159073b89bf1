package modes

import (
	"fmt"
	"strings"
)

// The modes' enums read and write their String forms as JSON (and any
// other text encoding), so that a Spec or a cluster survives a round trip.

// MarshalText writes "Linux" or "Windows".
func (o OS) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads ParseOS's forms.
func (o *OS) UnmarshalText(b []byte) error {
	v, err := ParseOS(string(b))
	if err == nil {
		*o = v
	}
	return err
}

// MarshalText writes "none", "azure", "calico" or "cilium".
func (p Policy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads ParsePolicy's forms.
func (p *Policy) UnmarshalText(b []byte) error {
	v, err := ParsePolicy(string(b))
	if err == nil {
		*p = v
	}
	return err
}

// MarshalText writes the source's name ("node subnet", "pod CIDR", ...).
func (s Source) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (s *Source) UnmarshalText(b []byte) error {
	return unmarshalName(b, sourceNames[:], "source", (*uint8)(s))
}

// MarshalText writes the unit's name ("batches", "static blocks", ...), or
// "" for the zero Unit.
func (u Unit) MarshalText() ([]byte, error) {
	if u == 0 {
		return nil, nil
	}
	return []byte(u.String()), nil
}

// UnmarshalText reads what MarshalText writes.
func (u *Unit) UnmarshalText(b []byte) error {
	return unmarshalName(b, unitNames[:], "unit", (*uint8)(u))
}

var dataplaneNames = [...]string{DataplaneAzure: "azure", DataplaneCilium: "cilium", DataplaneBYO: "byo"}

// MarshalText writes "azure", "cilium" or "byo", or "" for the zero
// Dataplane.
func (d Dataplane) MarshalText() ([]byte, error) {
	if int(d) >= len(dataplaneNames) {
		return nil, fmt.Errorf("modes: cannot marshal %v", d)
	}
	return []byte(dataplaneNames[d]), nil
}

// UnmarshalText reads what MarshalText writes.
func (d *Dataplane) UnmarshalText(b []byte) error {
	return unmarshalName(b, dataplaneNames[:], "dataplane", (*uint8)(d))
}

// unmarshalName sets *v to the index of b in names, ignoring case; the
// empty text is index 0.
func unmarshalName(b []byte, names []string, what string, v *uint8) error {
	if len(b) == 0 {
		*v = 0
		return nil
	}
	for i, n := range names {
		if n != "" && strings.EqualFold(string(b), n) {
			*v = uint8(i)
			return nil
		}
	}
	return &FieldError{Field: what, Value: string(b), Reason: "unknown " + what}
}
