package ipam

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"net/netip"

	"go4.org/netipx"
)

// The state encoding, version 2, big-endian, ending in a CRC-32 (IEEE) of all
// that precedes it:
//
//	"IPAM" version(1) kind(1) strategy(1) bits(1) seed(8) cursor(8) rng(8)
//	space, reserved: uvarint count, then per range family(1: 4 or 6) from to
//	used slots: uvarint count, then per run uvarint gap, uvarint length
//	crc32(4)
//
// The space and reserved sets are stored whole, so a zero Pool or BlockPool
// can be restored from the bytes alone.
const (
	magic     = "IPAM"
	version   = 2 // 1 held a math/rand/v2 PCG state: Random's sequences changed
	kindPool  = 1
	kindBlock = 2
)

// appendState appends the encoding of the state to b; the checksum covers
// what it appends, not what b held.
func (c *core) appendState(b []byte, kind byte, bits int) []byte {
	start := len(b)
	b = append(append(b, magic...), version, kind, byte(c.opt.Strategy), byte(bits))
	b = binary.BigEndian.AppendUint64(b, c.opt.Seed)
	b = binary.BigEndian.AppendUint64(b, c.cursor)
	b = binary.BigEndian.AppendUint64(b, c.rng.state)
	if p, ok := c.prefix(); ok { // its one range, without building the set
		b = appendRanges(b, []netipx.IPRange{netipx.RangeOfPrefix(p)})
	} else {
		b = appendSet(b, c.space)
	}
	b = appendSet(b, c.opt.Reserved)
	var runs, last uint64
	for range c.bm.Runs() {
		runs++
	}
	b = binary.AppendUvarint(b, runs)
	for s, n := range c.bm.Runs() {
		b = binary.AppendUvarint(b, s-last)
		b = binary.AppendUvarint(b, n)
		last = s + n
	}
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

func appendSet(b []byte, s *netipx.IPSet) []byte {
	if s == nil {
		return binary.AppendUvarint(b, 0)
	}
	return appendRanges(b, s.Ranges())
}

func appendRanges(b []byte, rs []netipx.IPRange) []byte {
	b = binary.AppendUvarint(b, uint64(len(rs)))
	for _, r := range rs {
		if r.From().Is4() {
			f, t := r.From().As4(), r.To().As4()
			b = append(append(append(b, 4), f[:]...), t[:]...)
		} else {
			f, t := r.From().As16(), r.To().As16()
			b = append(append(append(b, 6), f[:]...), t[:]...)
		}
	}
	return b
}

// decoder reads the encoding, remembering the first error.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: at byte %d: %s", ErrCorrupt, d.off, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil || n < 0 || n > len(d.b)-d.off {
		d.fail("truncated (want %d more bytes)", n)
		return nil
	}
	s := d.b[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) byte() byte {
	if s := d.bytes(1); s != nil {
		return s[0]
	}
	return 0
}

func (d *decoder) uint64() uint64 {
	if s := d.bytes(8); s != nil {
		return binary.BigEndian.Uint64(s)
	}
	return 0
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.off += n
	return v
}

// addr reads an address of family 4 or 6.
func (d *decoder) addr(fam byte) netip.Addr {
	switch fam {
	case 4:
		if s := d.bytes(4); s != nil {
			return netip.AddrFrom4([4]byte(s))
		}
	case 6:
		if s := d.bytes(16); s != nil {
			return netip.AddrFrom16([16]byte(s))
		}
	default:
		d.fail("address family %d", fam)
	}
	return netip.Addr{}
}

func (d *decoder) set() *netipx.IPSet {
	n := d.uvarint()
	if n > uint64(len(d.b)-d.off)/9 { // a range takes at least 9 bytes
		d.fail("%d ranges cannot fit in %d bytes", n, len(d.b)-d.off)
	}
	if n == 0 || d.err != nil {
		return nil
	}
	var sb netipx.IPSetBuilder
	for range n {
		fam := d.byte()
		from, to := d.addr(fam), d.addr(fam)
		if d.err != nil {
			return nil
		}
		r := netipx.IPRangeFrom(from, to)
		if !r.IsValid() {
			d.fail("invalid range %v-%v", from, to)
			return nil
		}
		sb.AddRange(r)
	}
	s, err := sb.IPSet()
	if err != nil {
		d.fail("%v", err)
	}
	return s
}

// unmarshal decodes b, which must be of the given kind, into a new core.
func unmarshal(b []byte, kind byte) (core, int, error) {
	if len(b) < len(magic)+4+4 || string(b[:len(magic)]) != magic {
		return core{}, 0, fmt.Errorf("%w: not ipam state (bad magic or too short: %d bytes)", ErrCorrupt, len(b))
	}
	body := b[:len(b)-4]
	if got, want := crc32.ChecksumIEEE(body), binary.BigEndian.Uint32(b[len(b)-4:]); got != want {
		return core{}, 0, fmt.Errorf("%w: checksum %08x, want %08x", ErrCorrupt, got, want)
	}
	d := &decoder{b: body, off: len(magic)}
	if v := d.byte(); v != version {
		return core{}, 0, fmt.Errorf("%w: version %d, want %d", ErrCorrupt, v, version)
	}
	if k := d.byte(); k != kind {
		return core{}, 0, fmt.Errorf("%w: kind %d, want %d (Pool 1, BlockPool 2)", ErrCorrupt, k, kind)
	}
	var opt Options
	opt.Strategy = Strategy(d.byte())
	bits := int(d.byte())
	opt.Seed = d.uint64()
	cursor := d.uint64()
	rng := wyrand{d.uint64()}
	space := d.set()
	opt.Reserved = d.set()
	if d.err != nil {
		return core{}, 0, d.err
	}
	if space == nil { // a zero pool's state, and nothing else, has no space
		var zero core
		runs := d.uvarint()
		if d.err == nil && (opt != Options{} || bits != 0 || cursor != 0 || rng != zero.rng || runs != 0 || d.off != len(body)) {
			d.fail("empty space with a state")
		}
		return zero, 0, d.err
	}
	var c core
	var err error
	if kind == kindBlock {
		c, err = newBlockCore(space, bits, opt)
	} else {
		c, err = newCore(space, 0, opt)
	}
	if err != nil {
		return core{}, 0, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	c.rng = rng
	if cursor >= max(c.size(), 1) {
		return core{}, 0, fmt.Errorf("%w: cursor %d beyond %d slots", ErrCorrupt, cursor, c.size())
	}
	c.cursor = cursor
	runs := d.uvarint()
	if runs > uint64(len(body)-d.off)/2 {
		d.fail("%d runs cannot fit in %d bytes", runs, len(body)-d.off)
	}
	var next uint64 // the first slot the next run may start at
	for range runs {
		gap, n := d.uvarint(), d.uvarint()
		if d.err != nil {
			break
		}
		if n == 0 || gap > c.size()-next || n > c.size()-next-gap {
			d.fail("run of %d slots after a gap of %d beyond %d slots", n, gap, c.size())
			break
		}
		c.bm.SetRange(next+gap, n)
		next += gap + n
	}
	if d.err == nil && d.off != len(body) {
		d.fail("%d trailing bytes", len(body)-d.off)
	}
	if d.err != nil {
		return core{}, 0, d.err
	}
	return c, bits, nil
}

// MarshalBinary encodes the pool's whole state: space, options, allocations
// and the strategy's position, so that UnmarshalBinary restores a pool that
// continues the same sequence.
func (p *Pool) MarshalBinary() ([]byte, error) { return p.c.appendState(nil, kindPool, 0), nil }

// AppendBinary appends the encoding MarshalBinary returns to b
// (encoding.BinaryAppender).
func (p *Pool) AppendBinary(b []byte) ([]byte, error) { return p.c.appendState(b, kindPool, 0), nil }

// UnmarshalBinary restores a pool encoded by MarshalBinary. On error, which
// wraps ErrCorrupt, the pool is unchanged.
func (p *Pool) UnmarshalBinary(b []byte) error {
	c, _, err := unmarshal(b, kindPool)
	if err != nil {
		return err
	}
	p.c = c
	return nil
}

// MarshalBinary encodes the pool's whole state (see Pool.MarshalBinary).
func (p *BlockPool) MarshalBinary() ([]byte, error) {
	return p.c.appendState(nil, kindBlock, p.bits), nil
}

// AppendBinary appends the encoding MarshalBinary returns to b
// (encoding.BinaryAppender).
func (p *BlockPool) AppendBinary(b []byte) ([]byte, error) {
	return p.c.appendState(b, kindBlock, p.bits), nil
}

// UnmarshalBinary restores a pool encoded by MarshalBinary. On error, which
// wraps ErrCorrupt, the pool is unchanged.
func (p *BlockPool) UnmarshalBinary(b []byte) error {
	c, bits, err := unmarshal(b, kindBlock)
	if err != nil {
		return err
	}
	p.c, p.bits = c, bits
	return nil
}
