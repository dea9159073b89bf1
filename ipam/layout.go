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
	runs  *[]run // ascending; nil when single4 (a pointer: a per-node pool is single4, and its header is what it costs)
	total uint64 // slots

	// The common case, an IPv4 space of one run (a subnet less Azure's
	// reserved addresses), takes a short path and holds no runs: atSingle4,
	// which the compiler inlines, and the first branch of slotOf, which is
	// short but a call (slotOf as a whole is too costly to inline).
	// TestInlining pins both.
	base4   uint32 // single4: the run's first address as an IPv4 integer
	host    uint8  // address bits inside one slot: 0 for a Pool
	is4     bool
	single4 bool

	// prefix is, in a pool made by NewPrefixPool that has slots, 1 + the
	// length of the prefix that is its space (the prefix of that length
	// around any slot's address); 0 in any other pool, whose core keeps its
	// space as a set. A byte the layout had spare: the pool keeps no set.
	prefix uint8
}

// run is a run of consecutive slots: slots [lo, hi) start at address start.
type run struct {
	start  u128
	lo, hi uint64
}

// newLayout lays out the whole aligned blocks of 2^host addresses that lie in
// ranges, a space's ranges in ascending order, and hold no reserved address.
// Slots past 2^64−1 are dropped. It subtracts reserved from the ranges one by
// one, without building a set: a pool of one IPv4 run costs the reserved
// set's Ranges slice and nothing more.
func newLayout(ranges []netipx.IPRange, reserved *netipx.IPSet, host uint) (layout, error) {
	if len(ranges) == 0 {
		return layout{}, fmt.Errorf("%w: empty space", ErrInvalid)
	}
	is4 := ranges[0].From().Is4()
	if is4 != ranges[len(ranges)-1].From().Is4() {
		return layout{}, fmt.Errorf("%w: space %s mixes IPv4 and IPv6", ErrInvalid, ranges[0].String()+" … "+ranges[len(ranges)-1].String())
	}
	var res []netipx.IPRange // reserved, of the space's family only
	if reserved != nil {
		res = reserved.Ranges()
		for len(res) > 0 && res[0].From().Is4() != is4 {
			res = res[1:] // IPv4 ranges sort before IPv6 ones
		}
		for len(res) > 0 && res[len(res)-1].From().Is4() != is4 {
			res = res[:len(res)-1]
		}
	}
	b := layoutBuilder{l: layout{is4: is4, host: uint8(host)}, m: mask(host)}
	one := u128{0, 1}
	for _, r := range ranges {
		s, e := u128From(r.From()), u128From(r.To())
		for b.open() { // [s, e] is what is left of r
			for len(res) > 0 && u128From(res[0].To()).less(s) {
				res = res[1:] // wholly below s
			}
			if len(res) == 0 || e.less(u128From(res[0].From())) {
				b.add(s, e) // no reserved address in [s, e]
				break
			}
			rf, rt := u128From(res[0].From()), u128From(res[0].To())
			if s.less(rf) {
				b.add(s, rf.sub(one))
			}
			if !rt.less(e) { // the rest of r is reserved
				break
			}
			s = rt.add(one)
		}
	}
	return b.done(), nil
}

// layoutBuilder collects the runs of a layout, the first of them aside so
// that a layout of one IPv4 run needs no slice.
type layoutBuilder struct {
	l     layout
	m     u128 // mask(host)
	first run
	runs  []run // from the second on: the first and those after it
	n     int   // runs so far
	full  bool
}

// open reports whether more slots fit below 2^64−1.
func (b *layoutBuilder) open() bool { return !b.full }

// add adds the whole aligned blocks of [s, e] as a run.
func (b *layoutBuilder) add(s, e u128) {
	m := b.m
	a := s
	if !s.and(m).isZero() { // round up to the next block boundary: (s|m)+1
		a = s.andNot(m).add(m).add(u128{0, 1})
		if a.isZero() { // wrapped past the top of IPv6
			return
		}
	}
	if e.less(a) || e.sub(a).less(m) {
		return // no whole block in this range
	}
	total := b.l.total
	count := ^uint64(0) // blocks: ((e−a−m) >> host) + 1, saturating
	if q := e.sub(a).sub(m).shr(uint(b.l.host)); q.hi == 0 && q.lo != ^uint64(0) {
		count = q.lo + 1
	}
	if count >= ^uint64(0)-total {
		count = ^uint64(0) - total
		b.full = true
		if count == 0 {
			return
		}
	}
	r := run{start: a, lo: total, hi: total + count}
	b.l.total = r.hi
	switch b.n {
	case 0:
		b.first = r
	case 1:
		b.runs = append(make([]run, 0, 4), b.first, r)
	default:
		b.runs = append(b.runs, r)
	}
	b.n++
}

// done returns the layout.
func (b *layoutBuilder) done() layout {
	l := b.l
	switch {
	case b.n == 1 && l.is4:
		l.single4, l.base4 = true, uint32(b.first.start.lo)
	case b.n == 1:
		l.runs = &[]run{b.first}
	case b.n > 1:
		rs := b.runs // not &b.runs: the builder stays on the stack
		l.runs = &rs
	}
	return l
}

// size returns the number of slots: none in the zero layout of a zero pool.
func (l *layout) size() uint64 { return l.total }

// run returns the index of the run holding slot; the layout must have runs.
func (l *layout) run(rs []run, slot uint64) int {
	if len(rs) == 1 {
		return 0
	}
	return sort.Search(len(rs), func(r int) bool { return rs[r].hi > slot })
}

// list returns the runs: none when single4, and in the zero layout.
func (l *layout) list() []run {
	if l.runs == nil {
		return nil
	}
	return *l.runs
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
	rs := *l.runs
	r := &rs[l.run(rs, slot)]
	d := slot - r.lo
	if l.is4 {
		v := uint32(r.start.lo + d<<l.host)
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	return r.start.add(u128{0, d}.shl(uint(l.host))).addr(false)
}

// slotOf returns the slot whose first address is a, and false when a is of
// the other family, outside every run, or not at the start of a slot.
func (l *layout) slotOf(a netip.Addr) (uint64, bool) {
	if l.single4 && a.Is4() {
		b := a.As4()
		d := binary.BigEndian.Uint32(b[:]) - l.base4 // wraps below the base: then too large
		// The shift is taken mod 32, so the compiler adds no code for shifts
		// of 32 or more. Only a /0 block has 32 host bits; it is the single
		// slot 0, which q < total alone then checks.
		h := l.host & 31
		q := uint64(d >> h)
		return q, d&(1<<h-1) == 0 && q < l.total
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
	rs := l.list()
	i := 0
	if len(rs) > 1 {
		i = sort.Search(len(rs), func(r int) bool { return v.less(rs[r].start) }) - 1
	}
	if i < 0 || len(rs) == 0 || v.less(rs[i].start) {
		return 0, false
	}
	r := &rs[i]
	d := v.sub(r.start)
	if !d.and(mask(uint(l.host))).isZero() {
		return 0, false
	}
	q := d.shr(uint(l.host))
	if q.hi != 0 || q.lo >= r.hi-r.lo {
		return 0, false
	}
	return r.lo + q.lo, true
}

// slotOf4 is slotOf for an IPv4 address as an integer: 64-bit arithmetic only.
func (l *layout) slotOf4(v uint64) (uint64, bool) {
	rs := l.list()
	i := 0
	if len(rs) > 1 {
		i = sort.Search(len(rs), func(r int) bool { return v < rs[r].start.lo }) - 1
	}
	if i < 0 || len(rs) == 0 || v < rs[i].start.lo {
		return 0, false
	}
	r := &rs[i]
	d := v - r.start.lo
	if d&(1<<l.host-1) != 0 {
		return 0, false
	}
	if q := d >> l.host; q < r.hi-r.lo {
		return r.lo + q, true
	}
	return 0, false
}
