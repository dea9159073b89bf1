package ipam

import (
	"fmt"

	"github.com/ipcap/ipcap/internal/enum"
	"go4.org/netipx"
)

// Strategy chooses which free slot an allocation takes. The zero Strategy
// is FirstFit.
type Strategy uint8

const (
	// FirstFit takes the lowest free slot, as AKS assigns node /24s from a
	// pod CIDR (node k gets the k-th /24).
	FirstFit Strategy = iota
	// NextFit takes the first free slot at or after the one following the
	// previous allocation, wrapping around, like the Kubernetes node CIDR
	// allocator and the CNI host-local plugin.
	NextFit
	// Random starts at a uniformly drawn slot and takes the first free slot
	// from there, wrapping around, like the Kubernetes service IP allocator.
	// The same Seed gives the same sequence.
	//
	// In a space of over 2^20 slots (an IPv6 /64), where each slot drawn
	// would open a 4,096-slot page of its own (2 KB per address), Random
	// keeps a working set instead. Pages are the aligned runs of 4,096
	// slots (past the last slot, the last page counts as used); a page is
	// partial when it holds both used and free slots. While fewer than 64
	// pages are partial, Random draws as above, which in a sparse space
	// usually opens a new page at a uniformly random place. Otherwise, with
	// k partial pages, it draws r uniformly from [0, k), then o uniformly
	// from [0, 4096), and takes the first free slot at or after offset o of
	// the r-th partial page in ascending order, wrapping around within that
	// page. Each allocation thus goes to a uniformly random page of a working
	// set of 64 (more after releases) randomly placed pages, and pages fill
	// before new ones open: memory grows with what is allocated, as for
	// first fit, at the price of addresses clustered in those pages rather
	// than spread over the whole space. Released slots make their page
	// partial again, so they are reused before a new page opens.
	Random
)

var strategyNames = enum.Table[Strategy]{Type: "ipam.Strategy", What: "strategy", Sentinel: ErrInvalid,
	Names: []string{FirstFit: "first-fit", NextFit: "next-fit", Random: "random"}}

// String returns the strategy's identifier, which MarshalText writes and
// ParseStrategy reads: "first-fit", "next-fit" or "random".
func (s Strategy) String() string { return strategyNames.String(s) }

// ParseStrategy returns the Strategy whose String is s, ignoring case; ""
// is the zero Strategy, FirstFit. Anything else is the parse error of
// every ipcap enum, modes.FieldError, wrapping ErrInvalid.
func ParseStrategy(s string) (Strategy, error) { return strategyNames.Parse(s) }

// MarshalText writes String's form; an invalid Strategy is an error.
func (s Strategy) MarshalText() ([]byte, error) { return strategyNames.Text(s) }

// UnmarshalText reads ParseStrategy's forms.
func (s *Strategy) UnmarshalText(b []byte) error { return enum.Unmarshal(b, s, ParseStrategy) }

// Options configures a Pool or BlockPool. The zero value is first fit with
// nothing reserved.
type Options struct {
	// Strategy chooses which free slot an allocation takes.
	Strategy Strategy
	// Seed seeds the Random strategy: the same seed gives the same sequence.
	// Random draws each starting slot uniformly (Lemire's method) from
	// wyrand, as Go's runtime.cheaprand computes it, with Seed as its
	// state. Other strategies ignore it.
	Seed uint64
	// Reserved holds addresses that are never handed out (Azure keeps five
	// per subnet). Addresses outside the space are ignored. Nil means none.
	Reserved *netipx.IPSet
}

// Validate reports whether the options are usable.
func (o Options) Validate() error {
	if int(o.Strategy) >= len(strategyNames.Names) {
		return fmt.Errorf("%w: Options.Strategy %d is not a strategy", ErrInvalid, o.Strategy)
	}
	return nil
}
