package ipam

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
)

// u128 is an address as an unsigned 128-bit integer. IPv4 addresses use the
// low 32 bits.
type u128 struct{ hi, lo uint64 }

func u128From(a netip.Addr) u128 {
	if a.Is4() {
		b := a.As4()
		return u128{lo: uint64(binary.BigEndian.Uint32(b[:]))}
	}
	b := a.As16()
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// addr converts back to an address of the given family.
func (u u128) addr(is4 bool) netip.Addr {
	if is4 {
		v := uint32(u.lo)
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], u.hi)
	binary.BigEndian.PutUint64(b[8:], u.lo)
	return netip.AddrFrom16(b)
}

func (u u128) less(v u128) bool { return u.hi < v.hi || u.hi == v.hi && u.lo < v.lo }

func (u u128) add(v u128) u128 {
	lo, c := bits.Add64(u.lo, v.lo, 0)
	return u128{u.hi + v.hi + c, lo}
}

func (u u128) sub(v u128) u128 {
	lo, b := bits.Sub64(u.lo, v.lo, 0)
	return u128{u.hi - v.hi - b, lo}
}

// shl shifts left by s < 128.
func (u u128) shl(s uint) u128 {
	if s >= 64 {
		return u128{u.lo << (s - 64), 0}
	}
	if s == 0 {
		return u
	}
	return u128{u.hi<<s | u.lo>>(64-s), u.lo << s}
}

// shr shifts right by s < 128.
func (u u128) shr(s uint) u128 {
	if s >= 64 {
		return u128{0, u.hi >> (s - 64)}
	}
	if s == 0 {
		return u
	}
	return u128{u.hi >> s, u.lo>>s | u.hi<<(64-s)}
}

// mask returns a u128 with the low s bits set, s ≤ 128.
func mask(s uint) u128 {
	switch {
	case s >= 128:
		return u128{^uint64(0), ^uint64(0)}
	case s >= 64:
		return u128{1<<(s-64) - 1, ^uint64(0)}
	}
	return u128{0, 1<<s - 1}
}

func (u u128) and(v u128) u128    { return u128{u.hi & v.hi, u.lo & v.lo} }
func (u u128) andNot(v u128) u128 { return u128{u.hi &^ v.hi, u.lo &^ v.lo} }
func (u u128) isZero() bool       { return u.hi == 0 && u.lo == 0 }
