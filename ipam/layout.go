package ipam

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"sort"

	"go4.org/netipx"
)

// layout maps slot indices to the addresses or aligned blocks of a space, by
// arithmetic: the space is a few runs of consecutive slots, and slot i of a
// run starting at address s is s + i<<host.
type layout struct {
	is4   bool
	host  uint     // address bits inside one slot: 0 for a Pool
	start []u128   // first address of each run
	off   []uint64 // first slot of each run; off[len(start)] is the slot count

	// The common case, an IPv4 space of one run (a subnet less Azure's
	// reserved addresses), takes a short path: atSingle4, which the compiler
	// inlines, and the first branch of slotOf, which is short but a call
	// (slotOf as a whole is too costly to inline). TestInlining pins both.
	single4 bool
	base4   uint32 // start[0] as an IPv4 integer
	n4      uint64 // slots
}

// newLayout lays out the whole aligned blocks of 2^host addresses that lie in
// space and hold no reserved address. Slots past 2^64−1 are dropped.
func newLayout(space, reserved *netipx.IPSet, host uint) (layout, error) {
	if space == nil {
		return layout{}, fmt.Errorf("%w: nil space", ErrInvalid)
	}
	ranges := space.Ranges()
	if len(ranges) == 0 {
		return layout{}, fmt.Errorf("%w: empty space", ErrInvalid)
	}
	is4 := ranges[0].From().Is4()
	if is4 != ranges[len(ranges)-1].From().Is4() {
		return layout{}, fmt.Errorf("%w: space %s mixes IPv4 and IPv6", ErrInvalid, ranges[0].String()+" … "+ranges[len(ranges)-1].String())
	}
	if reserved != nil {
		var b netipx.IPSetBuilder
		b.AddSet(space)
		b.RemoveSet(reserved)
		s, err := b.IPSet()
		if err != nil {
			return layout{}, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		ranges = s.Ranges()
	}
	l := layout{is4: is4, host: host, off: []uint64{0}}
	m := mask(host)
	var total uint64
	for _, r := range ranges {
		s, e := u128From(r.From()), u128From(r.To())
		a := s
		if !s.and(m).isZero() { // round up to the next block boundary: (s|m)+1
			a = s.andNot(m).add(m).add(u128{0, 1})
			if a.isZero() { // wrapped past the top of IPv6
				continue
			}
		}
		if e.less(a) || e.sub(a).less(m) {
			continue // no whole block in this range
		}
		count := ^uint64(0) // blocks: ((e−a−m) >> host) + 1, saturating
		if q := e.sub(a).sub(m).shr(host); q.hi == 0 && q.lo != ^uint64(0) {
			count = q.lo + 1
		}
		if count > ^uint64(0)-total {
			count = ^uint64(0) - total
		}
		if count == 0 {
			break
		}
		total += count
		l.start = append(l.start, a)
		l.off = append(l.off, total)
	}
	if is4 && len(l.start) == 1 {
		l.single4, l.base4, l.n4 = true, uint32(l.start[0].lo), total
	}
	return l, nil
}

// size returns the number of slots: none in the zero layout of a zero pool.
func (l *layout) size() uint64 {
	if len(l.off) == 0 {
		return 0
	}
	return l.off[len(l.off)-1]
}

// run returns the index of the run holding slot.
func (l *layout) run(slot uint64) int {
	if len(l.start) == 1 {
		return 0
	}
	return sort.Search(len(l.start), func(r int) bool { return l.off[r+1] > slot })
}

// at returns the first address of slot.
func (l *layout) at(slot uint64) netip.Addr {
	if l.single4 {
		return l.atSingle4(slot)
	}
	return l.atRuns(slot)
}

// atSingle4 is at for a layout of a single IPv4 run. Go inlines atSingle4
// but not at, so the hottest callers test single4 and call atSingle4
// themselves (TestInlining).
func (l *layout) atSingle4(slot uint64) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], l.base4+uint32(slot)<<(l.host&31))
	return netip.AddrFrom4(b)
}

func (l *layout) atRuns(slot uint64) netip.Addr {
	r := l.run(slot)
	d := slot - l.off[r]
	if l.is4 {
		v := uint32(l.start[r].lo + d<<l.host)
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	return l.start[r].add(u128{0, d}.shl(l.host)).addr(false)
}

// slotOf returns the slot whose first address is a, and false when a is of
// the other family, outside every run, or not at the start of a slot.
func (l *layout) slotOf(a netip.Addr) (uint64, bool) {
	if l.single4 && a.Is4() {
		b := a.As4()
		d := binary.BigEndian.Uint32(b[:]) - l.base4 // wraps below the base: then too large
		// The shift is taken mod 32, so the compiler adds no code for shifts
		// of 32 or more. Only a /0 block has 32 host bits; it is the single
		// slot 0, which q < n4 alone then checks.
		h := l.host & 31
		q := uint64(d >> h)
		return q, d&(1<<h-1) == 0 && q < l.n4
	}
	return l.slotOfRuns(a)
}

func (l *layout) slotOfRuns(a netip.Addr) (uint64, bool) {
	if l.is4 {
		if !a.Is4() {
			return 0, false
		}
		b := a.As4()
		return l.slotOf4(uint64(binary.BigEndian.Uint32(b[:])))
	}
	if !a.Is6() {
		return 0, false
	}
	v := u128From(a)
	r := 0
	if len(l.start) > 1 {
		r = sort.Search(len(l.start), func(r int) bool { return v.less(l.start[r]) }) - 1
	}
	if r < 0 || len(l.start) == 0 || v.less(l.start[r]) {
		return 0, false
	}
	d := v.sub(l.start[r])
	if !d.and(mask(l.host)).isZero() {
		return 0, false
	}
	q := d.shr(l.host)
	if q.hi != 0 || q.lo >= l.off[r+1]-l.off[r] {
		return 0, false
	}
	return l.off[r] + q.lo, true
}

// slotOf4 is slotOf for an IPv4 address as an integer: 64-bit arithmetic only.
func (l *layout) slotOf4(v uint64) (uint64, bool) {
	r := 0
	if len(l.start) > 1 {
		r = sort.Search(len(l.start), func(r int) bool { return v < l.start[r].lo }) - 1
	}
	if r < 0 || len(l.start) == 0 || v < l.start[r].lo {
		return 0, false
	}
	d := v - l.start[r].lo
	if d&(1<<l.host-1) != 0 {
		return 0, false
	}
	if q := d >> l.host; q < l.off[r+1]-l.off[r] {
		return l.off[r] + q, true
	}
	return 0, false
}
