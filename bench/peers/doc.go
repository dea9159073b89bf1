// Package peers holds the allocators ipcap is compared with, behind two
// small interfaces: Addrs hands out single addresses, Blocks aligned
// prefixes. Each is the way some real tool allocates today, or a bound:
//
//   - ipcap: ipam.Pool (made by NewPrefixPool, since a peer is given a
//     prefix) and ipam.BlockPool;
//   - k8s-cidrset: the Kubernetes node CIDR allocator
//     (k8s.io/kubernetes/pkg/controller/nodeipam/ipam/cidrset, what the
//     kube-controller-manager's range allocator uses), imported unmodified;
//   - k8s-ipallocator: the Kubernetes Service ClusterIP allocator
//     (k8s.io/kubernetes/pkg/registry/core/service/ipallocator, NewInMemory:
//     the big.Int bitmap allocator), imported unmodified;
//   - hostlocal: the CNI host-local plugin's allocator (the one behind
//     kubenet's bridge), over an in-memory backend.Store written here;
//   - netipx: a free go4.org/netipx IPSet, rebuilt on every allocation
//     (first address, or RemoveFreePrefix for blocks), as many tools do;
//   - bigscan: cidrset's search loop alone, written here: a math/big.Int
//     bitmap tested bit by bit from a rotating cursor, without the real
//     allocator's mutex, metrics and big.Int/net.IP arithmetic;
//   - bound, bound-ff: the lower bound: a flat []uint64 bitmap with a
//     cursor and a summary bitmap (one bit per full word), searched a word
//     at a time; the strongest simple allocator, with none of ipcap's
//     features. bound's cursor is next fit, bound-ff's a first-fit
//     low-water mark; the bound of a cell is the better of the two.
//
// The Kubernetes peers release what is not allocated as a no-op (their
// contract); the others refuse it. Peers are IPv4 only and, but for the
// Kubernetes ones, not safe for concurrent use.
package peers
