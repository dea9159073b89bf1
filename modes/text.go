package modes

import "github.com/ipcap/ipcap/internal/enum"

// The modes' enums read and write their String forms as JSON (and any
// other text encoding), so that a Spec or a cluster survives a round trip.

// MarshalText writes "Linux" or "Windows".
func (o OS) MarshalText() ([]byte, error) { return enum.Text(osNames[:], uint8(o), "modes.OS") }

// UnmarshalText reads ParseOS's forms.
func (o *OS) UnmarshalText(b []byte) error {
	v, err := ParseOS(string(b))
	if err == nil {
		*o = v
	}
	return err
}

// MarshalText writes "none", "azure", "calico" or "cilium".
func (p Policy) MarshalText() ([]byte, error) {
	return enum.Text(policyNames[:], uint8(p), "modes.Policy")
}

// UnmarshalText reads ParsePolicy's forms.
func (p *Policy) UnmarshalText(b []byte) error {
	v, err := ParsePolicy(string(b))
	if err == nil {
		*p = v
	}
	return err
}

// MarshalText writes String's form; an invalid Source is an error.
func (s Source) MarshalText() ([]byte, error) {
	return enum.Text(sourceNames[:], uint8(s), "modes.Source")
}

// UnmarshalText reads ParseSource's forms.
func (s *Source) UnmarshalText(b []byte) error {
	v, err := ParseSource(string(b))
	if err == nil {
		*s = v
	}
	return err
}

// MarshalText writes String's form, "" for the zero Unit; an invalid Unit
// is an error.
func (u Unit) MarshalText() ([]byte, error) { return enum.Text(unitNames[:], uint8(u), "modes.Unit") }

// UnmarshalText reads ParseUnit's forms.
func (u *Unit) UnmarshalText(b []byte) error {
	v, err := ParseUnit(string(b))
	if err == nil {
		*u = v
	}
	return err
}

// MarshalText writes String's form, "" for the zero Dataplane; an invalid
// Dataplane is an error.
func (d Dataplane) MarshalText() ([]byte, error) {
	return enum.Text(dataplaneNames[:], uint8(d), "modes.Dataplane")
}

// UnmarshalText reads ParseDataplane's forms.
func (d *Dataplane) UnmarshalText(b []byte) error {
	v, err := ParseDataplane(string(b))
	if err == nil {
		*d = v
	}
	return err
}

// parse returns the value whose name is s, or a *FieldError naming what.
func parse(s string, names []string, what string) (uint8, error) {
	if v, ok := enum.Parse(s, names); ok {
		return v, nil
	}
	return 0, &FieldError{Field: what, Value: s, Reason: "unknown " + what + " (want " + enum.Want(names) + ")"}
}
