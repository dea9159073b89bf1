package peers

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"

	"github.com/containernetworking/cni/pkg/types"
	"github.com/containernetworking/plugins/plugins/ipam/host-local/backend/allocator"
)

// hostLocal drives the CNI host-local allocator, one container ID per
// address, over memStore.
type hostLocal struct {
	a     *allocator.IPAllocator
	store *memStore
	seq   int
	owner map[netip.Addr]string // address → container ID
}

// NewHostLocal returns the host-local allocator over prefix p (the whole
// prefix, gateway excluded as host-local does).
func NewHostLocal(p netip.Prefix) (Addrs, error) {
	_, ipnet, err := net.ParseCIDR(p.String())
	if err != nil {
		return nil, err
	}
	r := allocator.Range{Subnet: types.IPNet(*ipnet)}
	if err := r.Canonicalize(); err != nil {
		return nil, err
	}
	rs := allocator.RangeSet{r}
	store := newMemStore()
	return &hostLocal{a: allocator.NewIPAllocator(&rs, store, 0), store: store, owner: map[netip.Addr]string{}}, nil
}

func (h *hostLocal) Allocate() (netip.Addr, error) {
	h.seq++
	id := strconv.Itoa(h.seq)
	cfg, err := h.a.Get(id, "eth0", nil)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: %v", ErrFull, err)
	}
	a, ok := netip.AddrFromSlice(cfg.Address.IP.To4())
	if !ok {
		return netip.Addr{}, fmt.Errorf("peers: host-local returned %v", cfg.Address.IP)
	}
	h.owner[a] = id
	return a, nil
}

func (h *hostLocal) Release(a netip.Addr) error {
	id, ok := h.owner[a]
	if !ok {
		return fmt.Errorf("peers: release %v: not allocated", a)
	}
	delete(h.owner, a)
	return h.a.Release(id, "eth0")
}

// memStore is an in-memory backend.Store: what host-local keeps in files,
// kept in maps.
type memStore struct {
	byIP map[string]string   // IP → "id/ifname"
	byID map[string][]string // "id/ifname" → IPs
	last map[string]string   // range ID → last reserved IP
}

func newMemStore() *memStore {
	return &memStore{byIP: map[string]string{}, byID: map[string][]string{}, last: map[string]string{}}
}

func (s *memStore) Lock() error   { return nil }
func (s *memStore) Unlock() error { return nil }
func (s *memStore) Close() error  { return nil }

func (s *memStore) Reserve(id, ifname string, ip net.IP, rangeID string) (bool, error) {
	k := ip.String()
	if _, taken := s.byIP[k]; taken {
		return false, nil
	}
	owner := id + "/" + ifname
	s.byIP[k] = owner
	s.byID[owner] = append(s.byID[owner], k)
	s.last[rangeID] = k
	return true, nil
}

func (s *memStore) LastReservedIP(rangeID string) (net.IP, error) {
	k, ok := s.last[rangeID]
	if !ok {
		return nil, os.ErrNotExist // as the disk store says; host-local then starts at the range's start
	}
	return net.ParseIP(k), nil
}

func (s *memStore) ReleaseByID(id, ifname string) error {
	owner := id + "/" + ifname
	for _, k := range s.byID[owner] {
		delete(s.byIP, k)
	}
	delete(s.byID, owner)
	return nil
}

func (s *memStore) GetByID(id, ifname string) []net.IP {
	var out []net.IP
	for _, k := range s.byID[id+"/"+ifname] {
		out = append(out, net.ParseIP(k))
	}
	return out
}
