package capacity

import "net/netip"

// calico tracks Calico IPAM blocks [docs.tigera.io ippool, IPAMConfiguration]:
// a node claims a block (affinity) when its pods fill the blocks it has,
// and, with strictAffinity false (the default), borrows free addresses of
// other nodes' blocks once the pool has no free block. Pods are counted per
// block; the blocks themselves come from the CNI pool's ipam.BlockPool.
type calico struct {
	blocks []cblock
	dead   []int32 // indices of released blocks, for reuse
	room   int     // free addresses in live blocks
	// next is where the last borrowing stopped: the blocks before it were
	// full then, so the next borrower starts there and wraps around, and
	// borrowing costs the blocks it visits rather than every block.
	next int
}

type cblock struct {
	base  uint32
	used  int32
	owned bool // its node is alive
	live  bool
}

// place records n pods of a node in block.
type place struct{ block, n int32 }

func (c *calico) claim(base uint32) int32 {
	b := cblock{base: base, owned: true, live: true}
	if k := len(c.dead); k > 0 {
		i := c.dead[k-1]
		c.dead = c.dead[:k-1]
		c.blocks[i] = b
		return i
	}
	c.blocks = append(c.blocks, b)
	return int32(len(c.blocks) - 1)
}

// put places up to want pods in block i and records them on n.
func (c *calico) put(n *simNode, i int32, want, size int) int {
	b := &c.blocks[i]
	take := min(want, size-int(b.used))
	if take > 0 {
		b.used += int32(take)
		c.room -= take
		n.places = append(n.places, place{i, int32(take)})
	}
	return take
}

// placeCalico places pods pods of node n, and the tunnel addresses its CNI
// takes beside them (Pods.TunnelAddresses [CALN]), which are placed as pods
// are: in its own blocks, then in blocks it claims, then in other nodes'
// blocks. When even borrowing cannot place them all, nothing is held and
// the pod CIDR is exhausted.
func (e *engine) placeCalico(p *simPool, n *simNode, pods int) *Exhaustion {
	sp := &e.spaces[p.pod]
	c := &e.calico
	size := sp.unit
	tunnel := e.m.spec.Pods.TunnelAddresses
	left := pods + tunnel
	if n.places == nil { // carved from the pool's slabs: room for maxPods and the tunnel in blocks of its own, and a borrowed place
		k := max(1, (p.pm.maxPods+tunnel+size-1)/size)
		n.blocks, n.places = p.carve(k), carveFrom(&p.places, k+1)
	}
	for _, bi := range n.blocks {
		left -= c.put(n, int32(bi), left, size)
	}
	for left > 0 {
		pfx, err := sp.blocks.Allocate()
		if err != nil {
			break
		}
		bi := c.claim(u32(pfx.Addr()))
		c.room += size
		n.blocks = append(n.blocks, uint32(bi))
		left -= c.put(n, bi, left, size)
	}
	if left > 0 && c.room < left {
		e.unplaceCalico(p, n)
		return e.fail(p, e.m.cons[p.pod].limit, p.pod, pods+tunnel)
	}
	for k := 0; left > 0 && k < len(c.blocks); k++ { // c.room ≥ left: the wrap finds room
		i := (c.next + k) % len(c.blocks)
		if c.blocks[i].live {
			if left -= c.put(n, int32(i), left, size); left == 0 {
				c.next = i
			}
		}
	}
	e.notePeak(p)
	return nil
}

// unplaceCalico removes node n's pods and gives up its blocks; a block
// still holding borrowed pods stays until they go.
func (e *engine) unplaceCalico(p *simPool, n *simNode) {
	c := &e.calico
	for _, pl := range n.places {
		b := &c.blocks[pl.block]
		b.used -= pl.n
		c.room += int(pl.n)
		if b.used == 0 && !b.owned {
			e.dropBlock(p, pl.block)
		}
	}
	for _, bi := range n.blocks {
		b := &c.blocks[bi]
		b.owned = false
		if b.used == 0 && b.live {
			e.dropBlock(p, int32(bi))
		}
	}
	n.places = n.places[:0]
	n.blocks = n.blocks[:0]
}

func (e *engine) dropBlock(p *simPool, i int32) {
	c := &e.calico
	sp := &e.spaces[p.pod]
	b := &c.blocks[i]
	_ = sp.blocks.Release(netip.PrefixFrom(addr(b.base), sp.blocks.Bits()))
	c.room -= sp.unit
	b.live = false
	c.dead = append(c.dead, i)
}
