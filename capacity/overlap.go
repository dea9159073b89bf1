package capacity

import (
	"net/netip"
	"slices"
)

// span is one prefix of an overlap check. Its index in the slice given to
// firstOverlaps is its rank: the lower, the earlier it was declared.
type span struct {
	p      netip.Prefix // masked
	target bool         // may be named as the prefix another overlaps
}

// firstOverlaps returns, for each span, the index of the first (lowest
// index) target span other than itself that overlaps it, or −1. Two
// prefixes overlap only when one contains the other, so, sorted by address
// then length, the prefixes containing a span are a stack of open ones and
// those it contains follow it: one sort and one sweep, O(n log n), where
// comparing every pair took O(n²).
func firstOverlaps(spans []span) []int {
	const none = int(^uint(0) >> 1)
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		pa, pb := spans[a].p, spans[b].p
		if c := pa.Addr().Compare(pb.Addr()); c != 0 {
			return c
		}
		if pa.Bits() != pb.Bits() {
			return pa.Bits() - pb.Bits()
		}
		return a - b // a duplicate declared later contains the earlier one's start: it sits above it
	})
	type open struct {
		i     int
		above int // lowest target among the spans containing it, itself included
		below int // lowest target among the spans it contains
	}
	first := make([]int, len(spans))
	var stack []open
	pop := func() {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		outer := none // the containing spans', itself excluded
		if len(stack) > 0 {
			outer = stack[len(stack)-1].above
			up := &stack[len(stack)-1]
			up.below = min(up.below, top.below)
			if spans[top.i].target {
				up.below = min(up.below, top.i)
			}
		}
		first[top.i] = min(outer, top.below)
		if first[top.i] == none {
			first[top.i] = -1
		}
	}
	for _, i := range order {
		a := spans[i].p.Addr()
		for len(stack) > 0 && !spans[stack[len(stack)-1].i].p.Contains(a) {
			pop()
		}
		above := none
		if len(stack) > 0 {
			above = stack[len(stack)-1].above
		}
		if spans[i].target {
			above = min(above, i)
		}
		stack = append(stack, open{i: i, above: above, below: none})
	}
	for len(stack) > 0 {
		pop()
	}
	return first
}
