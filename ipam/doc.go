// Package ipam allocates IP addresses and aligned address blocks from
// arbitrary address spaces, fast.
//
// A Pool hands out single addresses, a BlockPool aligned prefixes of one
// length (a /24 per node, a /26 Calico block, a /28 static block). Both take
// their space as a *netipx.IPSet, which may hold several disjoint ranges of
// one address family, minus a set of reserved addresses that are never handed
// out; NewPrefixPool takes a single prefix instead and builds no set, the
// cheapest pool there is (a node's /24 of pod addresses: 208 bytes). Slot i
// of a pool maps to its address or prefix by arithmetic, and the
// slots live in a sparse hierarchical bitmap: a search reads one word per
// level, whatever the fill, and an IPv6 /64 costs memory in proportion to
// what was allocated, not to 2^64 (Random keeps a working set of pages
// there: see Random). First fit usually reads a single word. In
// a nearly full pool, next fit and random start far from the next free slot,
// climb the levels and descend again: about 1.5 times the cost in an empty
// pool (the README's table).
//
// The package knows nothing about Azure or Kubernetes; callers decide what is
// reserved and how large a block is.
//
// Pools are not safe for concurrent use: give each goroutine its own, or
// guard one with a mutex.
package ipam
