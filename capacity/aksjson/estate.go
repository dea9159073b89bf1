package aksjson

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipcap/ipcap/capacity"
)

// ReadEstate reads the clusters of a VNet and the network documents that
// describe its subnets into a capacity.Estate.
//
// The clusters document is any of `az aks list -o json` (a list of
// clusters), Azure Resource Graph output ({"data": [...]}, each row's
// fields under "properties"), a REST list ({"value": [...]}) or a single
// cluster document as ReadCluster takes. Each cluster is read as
// ReadCluster reads one, named by its "name". The network documents are
// those ReadCluster takes, and `az network vnet subnet list` (a list of
// subnets, or a REST {"value": [...]}). A subnet described twice takes its
// prefixes from the later description and its ipConfigurations from the
// later one that lists them (a VNet document may leave them out).
//
// The Estate's VNet is the address space of the VNet documents. A subnet
// used by two or more clusters is one of Estate.Subnets, its pools name it
// there; a subnet one cluster uses is that cluster's own. A subnet of the
// network documents that no cluster uses is one of Estate.Subnets too, so
// that Free and Place leave it alone and its addresses count toward the
// VNet's. Estate.Subnets lists the shared subnets in the order the clusters
// first name them (clusters in document order, each pool's node subnet
// before its pod subnet), then the unused ones in the order the network
// documents describe them.
//
// An estate is one VNet: that of the first pool's vnetSubnetId. A pool
// whose node or pod subnet is in another VNet (told by its ARM ID, without
// regard to case) is an error naming both VNets: read each VNet's clusters
// as an estate of its own. So is a VNet document of another VNet, or a
// subnet of one in a subnet list; list-usage entries of other VNets'
// subnets are left alone. The estate's reports tell clusters apart by
// name: two clusters of one name (without regard to case) in different
// resource groups, told by resourceGroup or id, are named group/name, as
// "rg-dev/aks"; two of one name in one resource group, or without one, are
// an error.
//
// Subnets are named by their names, unique within a VNet; should the
// documents give two the same name, each is named by its ARM ID as written.
//
// Reserved is what no cluster of the input holds. From a subnet's
// ipConfigurations, a cluster's are those of the scale sets in its
// nodeResourceGroup (matched without regard to case), when it uses the
// subnet; every other configuration counts, the nodes and pods of clusters
// not in the input among them. From list-usage, currentValue less what
// the input's clusters' pools hold at their counts (at maxPods pods a
// node). With both, as ReadCluster takes them: the listing, unless it is
// short of the clusters' own configurations. With two or more clusters every cluster needs nodeResourceGroup;
// a single cluster without it is read with ReadCluster's older rule.
//
// A pool in an AKS-managed VNet (no vnetSubnetId) is an error: its VNet is
// not the estate's. Errors are *Error values as ReadCluster's; the
// clusters document is "clusters" and the network documents "network[i]".
func ReadEstate(clusters io.Reader, network ...io.Reader) (capacity.Estate, error) {
	r, err := readAll("clusters", clusters, network, readEstate)
	return r.e, err
}

// ReadEstateFiles is ReadEstate on files: it opens and reads the clusters
// document and the network documents at the paths given, and its errors
// name the file.
func ReadEstateFiles(clusters string, network ...string) (capacity.Estate, error) {
	r, err := readFiles(clusters, network, readEstate)
	return r.e, err
}

// ReadEstateWithSources is ReadEstate that also says where each field of
// the estate was read, as ReadClusterWithSources does for a cluster. Its
// Explain tells the problems AnalyzeEstate and the Estate's methods find
// — the estate's own, and a cluster's in an *capacity.EstateError — in
// the documents' words.
func ReadEstateWithSources(clusters io.Reader, network ...io.Reader) (capacity.Estate, capacity.EstateSources, error) {
	r, err := readAll("clusters", clusters, network, readEstate)
	return r.e, r.src, err
}

// ReadEstateFilesWithSources is ReadEstateWithSources on files, as
// ReadEstateFiles: the sources name the files.
func ReadEstateFilesWithSources(clusters string, network ...string) (capacity.Estate, capacity.EstateSources, error) {
	r, err := readFiles(clusters, network, readEstate)
	return r.e, r.src, err
}

// estateWithSources is an estate and where its fields were read.
type estateWithSources struct {
	e   capacity.Estate
	src capacity.EstateSources
}

func readEstate(clustersName string, clusters io.Reader, names []string, network []io.Reader) (estateWithSources, error) {
	e, src, err := buildEstate(clustersName, clusters, names, network)
	return estateWithSources{e, src}, err
}

func buildEstate(clustersName string, clusters io.Reader, names []string, network []io.Reader) (capacity.Estate, capacity.EstateSources, error) {
	docs, err := readClusters(newReader(clustersName, clusters))
	if err != nil {
		return capacity.Estate{}, capacity.EstateSources{}, err
	}
	nets, err := readNetworks(names, network)
	if err != nil {
		return capacity.Estate{}, capacity.EstateSources{}, err
	}
	var (
		cs       = make([]capacity.Cluster, len(docs))
		rgs      = make([]string, len(docs))
		heldBy   = make([]map[string]int, len(docs))   // by subnet key
		users    = map[string][]int{}                  // subnet key → the clusters that use it
		firstUse []string                              // subnet keys in the order first used
		base     = make([]capacity.Sources, len(docs)) // each cluster's sources but of its subnets and VNet
		home     str                                   // the first subnet ID of a pool: its VNet is the estate's
		named    = map[string]string{}                 // the path of each cluster name so far
	)
	// A cluster's name is unique in its resource group: clusters of one
	// name (Azure's names ignore case) are told apart as group/name when
	// every one of them says its group.
	groups := make([]string, len(docs))
	shared, ungrouped := map[string]int{}, map[string]int{}
	for i, d := range docs {
		var err error
		if groups[i], err = d.group(clustersName); err != nil {
			return capacity.Estate{}, capacity.EstateSources{}, err
		}
		key := strings.ToLower(d.name.v)
		shared[key]++
		if groups[i] == "" {
			ungrouped[key]++
		}
	}
	for i, d := range docs {
		group := groups[i]
		name := d.name.v
		if n := d.name; n.v != "" {
			key := strings.ToLower(n.v)
			if shared[key] > 1 && ungrouped[key] == 0 {
				key = strings.ToLower(group) + "/" + key
				name = group + "/" + n.v
			}
			if prev, ok := named[key]; ok {
				return capacity.Estate{}, capacity.EstateSources{}, &Error{Doc: clustersName, Path: n.path, Offset: -1,
					Msg: fmt.Sprintf("%s names two clusters of the estate (%s too): want each cluster once; clusters of one name in different resource groups need resourceGroup or id", quote(n.v), prev)}
			}
			named[key] = n.path
		}
		if err := oneVNet(clustersName, d, &home); err != nil {
			return capacity.Estate{}, capacity.EstateSources{}, err
		}
		c, keys, err := build(clustersName, d, nets, true)
		if err != nil {
			return capacity.Estate{}, capacity.EstateSources{}, err
		}
		c.Name = name
		base[i] = sources(clustersName, d, nets, &c, keys)
		for f := range base[i] {
			if strings.HasPrefix(f, "Subnets[") || strings.HasPrefix(f, "VNet[") {
				delete(base[i], f)
			}
		}
		p := d.active()
		rgs[i] = strings.ToLower(p.nodeRG.v)
		if rgs[i] == "" && len(docs) > 1 {
			return capacity.Estate{}, capacity.EstateSources{}, &Error{Doc: clustersName, Path: join(p.base, "nodeResourceGroup"), Offset: -1,
				Msg: "missing: with several clusters, subnet addresses are told apart by each cluster's node resource group"}
		}
		// Name subnets by key until every cluster is read.
		byName := make(map[string]string, len(keys))
		for k, key := range keys {
			byName[c.Subnets[k].Name] = key
			if len(users[key]) == 0 {
				firstUse = append(firstUse, key)
			}
			users[key] = append(users[key], i)
		}
		for k := range c.Pools {
			pl := &c.Pools[k]
			pl.NodeSubnet = byName[pl.NodeSubnet]
			if pl.PodSubnet != "" {
				pl.PodSubnet = byName[pl.PodSubnet]
			}
		}
		c.Subnets, c.VNet = nil, nil
		heldBy[i] = held(&c)
		cs[i] = c
	}

	if err := nets.ofVNet(clustersName, home); err != nil {
		return capacity.Estate{}, capacity.EstateSources{}, err
	}
	all := append([]string(nil), firstUse...)
	for _, key := range nets.order {
		if len(users[key]) == 0 {
			all = append(all, key)
		}
	}
	name := subnetNames(nets, all)
	subnet := func(key string) capacity.Subnet {
		var rg []string
		h := 0
		for _, i := range users[key] {
			rg = append(rg, rgs[i])
			h += heldBy[i][key]
		}
		info := nets.subnets[key]
		return capacity.Subnet{Name: name[key], Prefixes: info.sn.Prefixes, Reserved: nets.reserved(key, rg, h)}
	}

	e := capacity.Estate{VNet: nets.vnets}
	for _, key := range all {
		if len(users[key]) != 1 {
			e.Subnets = append(e.Subnets, subnet(key))
		}
	}
	for _, key := range firstUse {
		if u := users[key]; len(u) == 1 {
			cs[u[0]].Subnets = append(cs[u[0]].Subnets, subnet(key))
		}
	}
	for i := range cs {
		for k := range cs[i].Pools {
			pl := &cs[i].Pools[k]
			pl.NodeSubnet = name[pl.NodeSubnet]
			if pl.PodSubnet != "" {
				pl.PodSubnet = name[pl.PodSubnet]
			}
		}
	}
	e.Clusters = cs
	return e, estateSources(nets, all, users, base), nil
}

// estateSources returns where the fields of the estate readEstate made
// were read: base[i] holds cluster i's but of its subnets and VNet, all
// the subnet keys in the estate's order (those used by several clusters
// or none are the estate's Subnets, in this order), users the clusters
// that use each.
func estateSources(nets *networks, all []string, users map[string][]int, base []capacity.Sources) capacity.EstateSources {
	src := capacity.EstateSources{Estate: capacity.Sources{}, Clusters: make([]capacity.Sources, len(base))}
	vnet := func(s capacity.Sources, prefix string) {
		for j, v := range nets.vnetSrc {
			if !v.IsZero() {
				s[prefix+"VNet["+strconv.Itoa(j)+"]"] = v
			}
		}
	}
	vnet(src.Estate, "")
	shared := 0
	own := make([]int, len(base))        // subnets of each cluster's own so far
	named := make([][]string, len(base)) // estate subnets each cluster names, in order
	for _, key := range all {
		u := users[key]
		if len(u) == 1 {
			i := u[0]
			nets.subnetSources(src.Estate, "Clusters["+strconv.Itoa(i)+"].Subnets["+strconv.Itoa(own[i])+"]", key)
			own[i]++
			continue
		}
		nets.subnetSources(src.Estate, "Subnets["+strconv.Itoa(shared)+"]", key)
		shared++
		for _, i := range u {
			named[i] = append(named[i], key)
		}
	}
	for i, b := range base {
		c := capacity.Sources{}
		prefix := "Clusters[" + strconv.Itoa(i) + "]."
		for f, v := range b {
			c[f] = v
			src.Estate[prefix+f] = v
		}
		// As the estate analyses the cluster: its own subnets, then the
		// estate's its pools name; the estate's VNet.
		k := 0
		for _, key := range all {
			if u := users[key]; len(u) == 1 && u[0] == i {
				nets.subnetSources(c, "Subnets["+strconv.Itoa(k)+"]", key)
				k++
			}
		}
		for _, key := range named[i] {
			nets.subnetSources(c, "Subnets["+strconv.Itoa(k)+"]", key)
			k++
		}
		vnet(c, "")
		src.Clusters[i] = c
	}
	return src
}

// subnetNames names the subnets of keys, all of one VNet: by name where
// that is unique (Azure's are, within a VNet), else by ARM ID.
func subnetNames(nets *networks, keys []string) map[string]string {
	plain := map[string]int{}
	for _, key := range keys {
		plain[nets.subnets[key].sn.Name]++
	}
	out := make(map[string]string, len(keys))
	for _, key := range keys {
		info := nets.subnets[key]
		out[key] = info.sn.Name
		if plain[info.sn.Name] > 1 {
			out[key] = info.id
		}
	}
	return out
}

// docStr is a string read, and the document it was read in.
type docStr struct {
	doc string
	s   str
}

// sameVNet reports whether two VNet ARM IDs name the same VNet: Azure's
// IDs match without regard to case.
func sameVNet(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
}

// notHome says that VNet id is not the estate's, that of the subnet home
// (in the clusters document clustersName).
func notHome(id, clustersName string, home str) string {
	name := func(id string) string {
		id = strings.TrimSuffix(id, "/")
		return id[strings.LastIndex(id, "/")+1:]
	}
	return fmt.Sprintf("VNet %s, not the estate's VNet %s (%s, of %s %s): an estate is the clusters of one VNet",
		name(id), name(vnetID(home.v)), vnetID(home.v), clustersName, home.path)
}

// oneVNet checks that every pool of d runs in the estate's VNet, that of
// home; a pool with a vnetSubnetId sets home while it is unset.
func oneVNet(clustersName string, d *clusterDoc, home *str) error {
	for _, ap := range d.active().pools {
		for _, id := range []str{ap.vnetSubnetID, ap.podSubnetID} {
			switch {
			case id.v == "":
			case home.v == "":
				*home = id
			case !sameVNet(vnetID(id.v), vnetID(home.v)):
				return &Error{Doc: clustersName, Path: id.path, Offset: -1, Msg: fmt.Sprintf("%s: a subnet of %s; read each VNet's clusters as an estate of its own",
					quote(id.v), notHome(vnetID(id.v), clustersName, *home))}
			}
		}
	}
	return nil
}

// ofVNet checks that the network documents describe the estate's VNet,
// that of home, and its subnets only: a VNet document's id, a subnet's
// ARM ID. (A list-usage entry of another VNet's subnet is no subnet of the
// estate's and is left alone.)
func (n *networks) ofVNet(clustersName string, home str) error {
	if home.v == "" {
		return nil // no pool names a subnet: build refused the estate
	}
	for _, v := range n.vnetIDs {
		if !sameVNet(v.s.v, vnetID(home.v)) {
			return &Error{Doc: v.doc, Path: v.s.path, Offset: -1, Msg: fmt.Sprintf("%s: %s; leave this document out", quote(v.s.v), notHome(v.s.v, clustersName, home))}
		}
	}
	for _, key := range n.order {
		info := n.subnets[key]
		if !sameVNet(vnetID(info.id), vnetID(home.v)) {
			at := info.src[""]
			return &Error{Doc: at.File, Path: at.Path, Offset: -1, Msg: fmt.Sprintf("%s: a subnet of %s; leave it out of the network documents",
				quote(info.id), notHome(vnetID(info.id), clustersName, home))}
		}
	}
	return nil
}
