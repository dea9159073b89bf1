package modes

import "github.com/ipcap/ipcap/internal/enum"

// The modes' enums read and write their String forms as JSON (and any
// other text encoding), so that a Spec or a cluster survives a round trip.

// MarshalText writes "Linux" or "Windows".
func (o OS) MarshalText() ([]byte, error) { return osNames.Text(o) }

// UnmarshalText reads ParseOS's forms.
func (o *OS) UnmarshalText(b []byte) error { return enum.Unmarshal(b, o, ParseOS) }

// MarshalText writes "none", "azure", "calico" or "cilium".
func (p Policy) MarshalText() ([]byte, error) { return policyNames.Text(p) }

// UnmarshalText reads ParsePolicy's forms.
func (p *Policy) UnmarshalText(b []byte) error { return enum.Unmarshal(b, p, ParsePolicy) }

// MarshalText writes String's form; an invalid Source is an error.
func (s Source) MarshalText() ([]byte, error) { return sourceNames.Text(s) }

// UnmarshalText reads ParseSource's forms.
func (s *Source) UnmarshalText(b []byte) error { return enum.Unmarshal(b, s, ParseSource) }

// MarshalText writes String's form, "" for the zero Unit; an invalid Unit
// is an error.
func (u Unit) MarshalText() ([]byte, error) { return unitNames.Text(u) }

// UnmarshalText reads ParseUnit's forms.
func (u *Unit) UnmarshalText(b []byte) error { return enum.Unmarshal(b, u, ParseUnit) }

// MarshalText writes String's form, "" for the zero Dataplane; an invalid
// Dataplane is an error.
func (d Dataplane) MarshalText() ([]byte, error) { return dataplaneNames.Text(d) }

// UnmarshalText reads ParseDataplane's forms.
func (d *Dataplane) UnmarshalText(b []byte) error { return enum.Unmarshal(b, d, ParseDataplane) }
