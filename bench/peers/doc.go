// Package peers holds the allocators ipcap is compared with, behind two
// small interfaces: Addrs hands out single addresses, Blocks aligned
// prefixes. Each is the way some real tool allocates today:
//
//   - ipcap: ipam.Pool and ipam.BlockPool;
//   - hostlocal: the CNI host-local plugin's allocator (the one behind
//     kubenet's bridge), over an in-memory backend.Store written here;
//   - netipx: a free go4.org/netipx IPSet, rebuilt on every allocation
//     (first address, or RemoveFreePrefix for blocks), as many tools do;
//   - bigscan: a math/big.Int bitmap scanned bit by bit from a rotating
//     cursor, written here after the description of the Kubernetes node CIDR
//     allocator (cidrset) and service IP allocator;
//   - bitmap: a flat []uint64 bitmap scanned word by word: the lower bound.
//
// Peers are IPv4 only and not safe for concurrent use.
package peers
