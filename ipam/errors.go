package ipam

import "errors"

// Sentinel errors. Errors returned by this package wrap one of them, so
// callers branch with errors.Is; the wrapping message names the value.
var (
	// ErrExhausted reports that no free slot is left for an allocation.
	ErrExhausted = errors.New("ipam: address space exhausted")
	// ErrNotAllocated reports the release of a slot that is free.
	ErrNotAllocated = errors.New("ipam: not allocated")
	// ErrAlreadyAllocated reports the occupation of a slot that is in use.
	ErrAlreadyAllocated = errors.New("ipam: already allocated")
	// ErrOutOfRange reports an address or prefix that the pool cannot hand
	// out: outside its space, reserved, of the other family, or (for a
	// BlockPool) misaligned or of the wrong length.
	ErrOutOfRange = errors.New("ipam: out of range")
	// ErrInvalid reports a space, block length or option that a pool cannot
	// be built from: a nil or empty space, mixed families, a block length
	// outside the family, a space holding no whole block, an unknown strategy.
	ErrInvalid = errors.New("ipam: invalid pool")
	// ErrCorrupt reports MarshalBinary data that is truncated or damaged.
	ErrCorrupt = errors.New("ipam: corrupt state")
)
