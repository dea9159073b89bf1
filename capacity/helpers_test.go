package capacity_test

import (
	"net/netip"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// subnet returns a subnet named name with one prefix.
func subnet(name, prefix string) capacity.Subnet {
	return capacity.Subnet{Name: name, Prefixes: []netip.Prefix{pfx(prefix)}}
}

// oneSubnet returns a cluster of one pool on one node subnet.
func oneSubnet(m modes.Mode, prefix string, p capacity.Pool) capacity.Cluster {
	if p.Name == "" {
		p.Name = "nodes"
	}
	return capacity.Cluster{Mode: m, Subnets: []capacity.Subnet{subnet("nodes", prefix)}, Pools: []capacity.Pool{p}}
}

type netipPrefix = netip.Prefix

func netipAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
