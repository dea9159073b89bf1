package aksjson

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ipcap/ipcap/capacity"
)

// netFields are the fields of a VNet or a subnet (at its top level or under
// "properties"): one reading serves both kinds of document, and the fields
// present tell which a document is.
type netFields struct {
	hasSpace, hasSubnets, hasPrefix, hasConfigs bool

	space        []str // addressSpace.addressPrefixes
	subnets      []subnetDoc
	prefix       str // addressPrefix
	prefixes     []str
	prefixesPath string // where addressPrefixes was
	nics         nics   // what holds the subnet's ipConfigurations
	configsPath  string // where ipConfigurations was
}

// nics summarises a subnet's ipConfigurations by who holds them: the
// scale sets of each resource group (AKS puts a cluster's in its node
// resource group), and everything else (load balancer frontends, private
// endpoints, VMs).
type nics struct {
	vmss  map[string]int // VMSS configurations by lower-case resource group
	aks   int            // of those, in scale sets named "aks-…"
	other int
}

func (n *nics) total() int {
	t := n.other
	for _, c := range n.vmss {
		t += c
	}
	return t
}

// add counts one ipConfiguration by its ARM ID.
func (n *nics) add(id string) {
	id = strings.ToLower(id)
	const vmss = "/providers/microsoft.compute/virtualmachinescalesets/"
	i := strings.Index(id, vmss)
	if i < 0 {
		n.other++ // an ILB frontend, a private endpoint, another VM
		return
	}
	if n.vmss == nil {
		n.vmss = map[string]int{}
	}
	n.vmss[resourceGroup(id[:i])]++
	if strings.HasPrefix(id[i+len(vmss):], "aks-") {
		n.aks++
	}
}

// resourceGroup returns the lower-case resource group of an ARM ID, "" if
// it names none.
func resourceGroup(id string) string { return strings.ToLower(armSegment(id, "resourceGroups")) }

// armSegment returns, as written, the segment that follows the first /kind/
// of an ARM ID (kind matched without regard to case), "" if there is none.
func armSegment(id, kind string) string {
	pat := "/" + kind + "/"
	i := indexFold(id, pat)
	if i < 0 {
		return ""
	}
	rest, _, _ := strings.Cut(id[i+len(pat):], "/")
	return rest
}

// indexFold returns the index of the first ASCII pattern pat in s, matched
// without regard to case, or -1. It searches s itself: the indexes of a
// lower-cased copy are not s's, since lower-casing may change a string's
// length ("İ" is two bytes, its lower case three).
func indexFold(s, pat string) int {
	for i := 0; i+len(pat) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(pat)], pat) {
			return i
		}
	}
	return -1
}

// subnetDoc is a subnet, or the top level of any object document.
type subnetDoc struct {
	path     string
	id, name str
	fields   netFields
	props    *netFields
}

// subnetInfo is what the network documents say of one subnet.
type subnetInfo struct {
	sn      capacity.Subnet // Name and Prefixes; Reserved is set per reading
	id      string          // its ARM ID as written
	counted bool            // its ipConfigurations were listed
	nics    nics
	// src is where its fields were read, by field path below the
	// subnet's ("", ".Name", ".Prefixes", ".Prefixes[1]"); configs is
	// where its ipConfigurations were, when counted.
	src     capacity.Sources
	configs capacity.Source
}

// networks is what the network documents say.
type networks struct {
	subnets  map[string]*subnetInfo     // by lower-case ARM ID
	order    []string                   // keys of subnets, in the order first described
	usage    map[string]int             // list-usage currentValue by lower-case ARM ID
	usageSrc map[string]capacity.Source // where each currentValue was
	// reservedSrc is where reserved took each subnet's Reserved from.
	reservedSrc map[string]capacity.Source
	vnets       []netip.Prefix
	vnetSrc     []capacity.Source // where each of vnets was read first
	vnetIDs     []docStr          // the id of each VNet document that has one
}

func newNetworks() *networks {
	return &networks{subnets: map[string]*subnetInfo{}, usage: map[string]int{},
		usageSrc: map[string]capacity.Source{}, reservedSrc: map[string]capacity.Source{}}
}

// source is where s was read in the document r reads; the zero Source
// when s was not set.
func source(doc string, s str) capacity.Source {
	if s.path == "" {
		return capacity.Source{}
	}
	return capacity.Source{File: doc, Path: s.path, Value: quote(s.v)}
}

// subnetSources records in src where the fields of subnet key were read,
// under field, its path in the cluster or estate ("Subnets[2]").
func (n *networks) subnetSources(src capacity.Sources, field, key string) {
	info := n.subnets[key]
	if info == nil {
		return
	}
	for k, v := range info.src {
		if !v.IsZero() {
			src[field+k] = v
		}
	}
	if r := n.reservedSrc[key]; !r.IsZero() {
		src[field+".Reserved"] = r
	}
}

const notNetwork = "not a VNet, subnet or list-usage document (the output of `az network vnet show`, `az network vnet subnet show`, `az network vnet subnet list` or `az network vnet list-usage`)"

// read reads one network document, telling its kind by its shape: a list
// (or a REST {"value": [...]}) holds list-usage entries or subnets, told
// apart one by one.
func (n *networks) read(r *reader) error {
	t, off, err := r.token()
	if err != nil {
		return err
	}
	if t == json.Delim('[') { // az network vnet list-usage, az network vnet subnet list
		if err := n.entries(r, "", t, off); err != nil {
			return err
		}
		return r.end()
	}
	var (
		doc      subnetDoc
		hasValue bool
	)
	err = r.objectBody("", "an object or a list: the output of `az network vnet show`, `az network vnet subnet show`, `az network vnet subnet list` or `az network vnet list-usage`", t, off, func(key, path string) error {
		if strings.EqualFold(key, "value") {
			t, off, err := r.token()
			if err != nil || t == nil {
				return err
			}
			hasValue = true
			return n.entries(r, path, t, off)
		}
		return doc.field(r, key, path, true)
	})
	if err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	f := doc.active()
	has := func(get func(*netFields) bool) bool { return get(&doc.fields) || doc.props != nil && get(doc.props) }
	switch {
	case hasValue:
		return nil
	case has(func(f *netFields) bool { return f.hasSubnets || f.hasSpace }):
		if doc.id.v != "" {
			n.vnetIDs = append(n.vnetIDs, docStr{r.doc, doc.id})
		}
		for _, s := range f.space {
			p, err := netip.ParsePrefix(s.v)
			if err != nil {
				return r.errAt(s.path, -1, "%s is not a CIDR such as \"10.0.0.0/16\"", quote(s.v))
			}
			if !slices.Contains(n.vnets, p) {
				n.vnets = append(n.vnets, p)
				n.vnetSrc = append(n.vnetSrc, source(r.doc, s))
			}
		}
		for i := range f.subnets {
			if err := n.addSubnet(r, &f.subnets[i]); err != nil {
				return err
			}
		}
		return nil
	case has(func(f *netFields) bool { return f.hasPrefix }):
		return n.addSubnet(r, &doc)
	}
	return r.errAt("", 0, notNetwork)
}

// active returns the fields that count: those under "properties" when
// present, else the top level's.
func (s *subnetDoc) active() *netFields {
	if s.props != nil {
		return s.props
	}
	return &s.fields
}

// field reads one member of a subnet or of a document's top level; vnet
// says whether a VNet's fields (subnets, addressSpace) may appear.
func (s *subnetDoc) field(r *reader, key, path string, vnet bool) error {
	switch strings.ToLower(key) {
	case "id":
		return r.string(path, "an ARM ID string", &s.id)
	case "name":
		return r.string(path, "a string", &s.name)
	case "properties":
		f := &netFields{}
		present, err := r.object(path, "an object", func(key, path string) error { return f.field(r, key, path, vnet) })
		if present {
			s.props = f
		}
		return err
	}
	return s.fields.field(r, key, path, vnet)
}

func (f *netFields) field(r *reader, key, path string, vnet bool) error {
	switch k := strings.ToLower(key); {
	case k == "addressprefix":
		f.hasPrefix = true
		return r.string(path, `a CIDR string such as "10.240.0.0/24"`, &f.prefix)
	case k == "addressprefixes":
		f.hasPrefix, f.prefixesPath = true, path
		return r.strings(path, `a list of CIDR strings such as ["10.240.0.0/24"]`, `a CIDR string such as "10.240.0.0/24"`, &f.prefixes)
	case k == "ipconfigurations":
		f.nics = nics{}
		present, err := r.array(path, "a list of IP configurations", func(i int, path string) error {
			var id str
			err := r.elemObject(path, "an object (an IP configuration)", func(key, path string) error {
				if strings.EqualFold(key, "id") {
					return r.string(path, "an ARM ID string", &id)
				}
				return r.skip(path)
			})
			f.nics.add(id.v)
			return err
		})
		f.hasConfigs = f.hasConfigs || present
		if present {
			f.configsPath = path
		}
		return err
	case vnet && k == "addressspace":
		present, err := r.object(path, "an object", func(key, path string) error {
			if strings.EqualFold(key, "addressPrefixes") {
				return r.strings(path, `a list of CIDR strings such as ["10.240.0.0/16"]`, `a CIDR string such as "10.240.0.0/16"`, &f.space)
			}
			return r.skip(path)
		})
		f.hasSpace = f.hasSpace || present
		return err
	case vnet && k == "subnets":
		f.subnets = nil
		present, err := r.array(path, "a list of subnets", func(i int, path string) error {
			s := subnetDoc{path: path}
			err := r.elemObject(path, "an object (a subnet)", func(key, p string) error { return s.field(r, key, p, false) })
			f.subnets = append(f.subnets, s)
			return err
		})
		f.hasSubnets = f.hasSubnets || present
		return err
	}
	return r.skip(path)
}

// entries reads a list whose first token is t: list-usage entries and
// subnets (those with an address prefix), in any mix.
func (n *networks) entries(r *reader, path string, t json.Token, off int64) error {
	if t != json.Delim('[') {
		return r.wrong(path, off, t, "a list of usages or subnets")
	}
	for i := 0; r.dec.More(); i++ {
		s := subnetDoc{path: index(path, i)}
		var current num
		err := r.elemObject(s.path, "an object (a usage or a subnet)", func(key, path string) error {
			switch strings.ToLower(key) {
			case "currentvalue":
				return r.integer(path, &current)
			case "name": // a subnet's is a string, a usage's an object
				t, off, err := r.token()
				if err != nil {
					return err
				}
				if v, ok := t.(string); ok {
					s.name = str{v, path}
					return nil
				}
				return r.skipFrom(path, t, off)
			}
			return s.field(r, key, path, false)
		})
		if err != nil {
			return err
		}
		if s.fields.hasPrefix || s.props != nil && s.props.hasPrefix {
			if err := n.addSubnet(r, &s); err != nil {
				return err
			}
			continue
		}
		if s.id.v == "" || current.path == "" {
			return r.errAt(s.path, -1, "a list-usage entry needs id and currentValue; a subnet needs id and addressPrefix")
		}
		n.usage[strings.ToLower(s.id.v)] = current.v
		n.usageSrc[strings.ToLower(s.id.v)] = capacity.Source{File: r.doc, Path: current.path, Value: strconv.Itoa(current.v)}
	}
	_, _, err := r.token() // ']'
	return err
}

func (n *networks) addSubnet(r *reader, s *subnetDoc) error {
	f := s.active()
	if s.id.v == "" {
		return r.errAt(join(s.path, "id"), -1, "missing: subnets are matched to pools by ARM ID")
	}
	name := s.name.v
	src := capacity.Sources{"": {File: r.doc, Path: s.path}, ".Name": source(r.doc, s.name)}
	if name == "" {
		name = s.id.v[strings.LastIndex(s.id.v, "/")+1:]
		src[".Name"] = source(r.doc, s.id)
	}
	if s.path == "" {
		src[""] = capacity.Source{File: r.doc} // the document is the subnet
	}
	sn := capacity.Subnet{Name: name}
	list := f.prefixes
	if len(list) == 0 {
		src[".Prefixes"] = source(r.doc, f.prefix)
		src[".Prefixes[0]"] = src[".Prefixes"]
	} else {
		src[".Prefixes"] = capacity.Source{File: r.doc, Path: f.prefixesPath}
		for j, ps := range list {
			src[".Prefixes["+strconv.Itoa(j)+"]"] = source(r.doc, ps)
		}
	}
	if f.prefix.v != "" {
		p, err := netip.ParsePrefix(f.prefix.v)
		if err != nil {
			return r.errAt(f.prefix.path, -1, "%s is not a CIDR such as \"10.240.0.0/24\"", quote(f.prefix.v))
		}
		if len(list) == 0 {
			sn.Prefixes = append(sn.Prefixes, p)
		}
	}
	for _, ps := range list {
		p, err := netip.ParsePrefix(ps.v)
		if err != nil {
			return r.errAt(ps.path, -1, "%s is not a CIDR such as \"10.240.0.0/24\"", quote(ps.v))
		}
		sn.Prefixes = append(sn.Prefixes, p) // IPv4 and IPv6 alike, in document order
	}
	key := strings.ToLower(s.id.v)
	info := &subnetInfo{sn: sn, id: s.id.v, counted: f.hasConfigs, nics: f.nics, src: src,
		configs: capacity.Source{File: r.doc, Path: f.configsPath}}
	if old, ok := n.subnets[key]; ok {
		if !info.counted && old.counted { // a VNet document without them after a subnet list with them
			info.counted, info.nics, info.configs = true, old.nics, old.configs
		}
	} else {
		n.order = append(n.order, key)
	}
	n.subnets[key] = info
	return nil
}

// held returns the addresses c's pools hold at their counts, by subnet
// name.
func held(c *capacity.Cluster) map[string]int {
	spec := c.Mode.Spec()
	own := map[string]int{}
	for _, p := range c.Pools {
		mp := p.MaxPods
		if mp == 0 {
			mp = spec.MaxPods.Default
		}
		d := spec.PerNode(mp, mp)
		own[p.NodeSubnet] += p.Count * d.NodeSubnet
		if p.PodSubnet != "" {
			own[p.PodSubnet] += p.Count * d.PodSubnet
		}
	}
	return own
}

// reserved returns what of subnet key no cluster of the input holds, and
// records where it took it from for subnetSources:
//   - from its ipConfigurations, every configuration outside the scale
//     sets of nodeRGs (the node resource groups of the clusters that use
//     it), or, where a cluster has no node resource group (the empty
//     string), outside every scale set named "aks-…";
//   - from list-usage, currentValue less held (what the clusters' pools
//     hold at their counts, at maxPods pods a node: no less than they
//     hold).
//
// The listing wins when it holds the clusters' own addresses in full; a
// listing short of them (a subnet document read before the pods came,
// say) is partial, and so is one told apart by the older rule, which
// takes other clusters' nodes for the cluster's own: there list-usage,
// which counts every address in use, wins where it says more. With
// neither, 0.
func (n *networks) reserved(key string, nodeRGs []string, held int) int {
	r, src := 0, capacity.Source{}
	info := n.subnets[key]
	counted := info != nil && info.counted
	own, loose := 0, false // the listed configurations of the input's clusters
	if counted {
		seen := map[string]bool{}
		for _, rg := range nodeRGs {
			switch {
			case seen[rg]:
			case rg == "":
				own, loose = own+info.nics.aks, true
			default:
				own += info.nics.vmss[rg]
			}
			seen[rg] = true
		}
		r, src = max(0, info.nics.total()-own), info.configs
	}
	if used, ok := n.usage[key]; ok {
		fromUsage := max(0, used-held)
		if !counted || (own < held || loose) && fromUsage > r {
			r, src = fromUsage, n.usageSrc[key]
		}
	}
	n.reservedSrc[key] = src
	return r
}
