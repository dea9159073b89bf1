package aksjson

import (
	"encoding/json"
	"net/netip"
	"strings"

	"github.com/ipcap/ipcap/capacity"
)

// netFields are the fields of a VNet or a subnet (at its top level or under
// "properties"): one reading serves both kinds of document, and the fields
// present tell which a document is.
type netFields struct {
	hasSpace, hasSubnets, hasPrefix, hasConfigs bool

	space    []str // addressSpace.addressPrefixes
	subnets  []subnetDoc
	prefix   str // addressPrefix
	prefixes []str
	others   int // ipConfigurations outside the cluster's VMSSs
}

// subnetDoc is a subnet, or the top level of any object document.
type subnetDoc struct {
	path     string
	id, name str
	fields   netFields
	props    *netFields
}

type usageDoc struct {
	path         string
	id           str
	currentValue num
}

// networks is what the network documents say.
type networks struct {
	subnets map[string]capacity.Subnet // by lower-case ARM ID
	counted map[string]bool            // subnets whose ipConfigurations were listed
	usage   map[string]int             // list-usage currentValue by lower-case ARM ID
	vnets   []netip.Prefix
}

func newNetworks() *networks {
	return &networks{subnets: map[string]capacity.Subnet{}, counted: map[string]bool{}, usage: map[string]int{}}
}

const notNetwork = "not a VNet, subnet or list-usage document (the output of `az network vnet show`, `az network vnet subnet show` or `az network vnet list-usage`)"

// read reads one network document, telling its kind by its shape.
func (n *networks) read(r *reader) error {
	t, off, err := r.token()
	if err != nil {
		return err
	}
	if t == json.Delim('[') { // az network vnet list-usage
		us, err := r.usages("", t, off)
		if err != nil {
			return err
		}
		if err := r.end(); err != nil {
			return err
		}
		return n.addUsage(us)
	}
	var (
		doc      subnetDoc
		value    []usageDoc
		hasValue bool
	)
	err = r.objectBody("", "an object or a list: the output of `az network vnet show`, `az network vnet subnet show` or `az network vnet list-usage`", t, off, func(key, path string) error {
		if strings.EqualFold(key, "value") {
			t, off, err := r.token()
			if err != nil || t == nil {
				return err
			}
			hasValue = true
			value, err = r.usages(path, t, off)
			return err
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
		return n.addUsage(value)
	case has(func(f *netFields) bool { return f.hasSubnets || f.hasSpace }):
		for _, s := range f.space {
			p, err := netip.ParsePrefix(s.v)
			if err != nil {
				return r.errAt(s.path, -1, "%s is not a CIDR such as \"10.0.0.0/16\"", quote(s.v))
			}
			if p.Addr().Is4() {
				n.vnets = append(n.vnets, p)
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
		f.hasPrefix = true
		return r.strings(path, `a list of CIDR strings such as ["10.240.0.0/24"]`, `a CIDR string such as "10.240.0.0/24"`, &f.prefixes)
	case k == "ipconfigurations":
		f.others = 0
		present, err := r.array(path, "a list of IP configurations", func(i int, path string) error {
			var id str
			err := r.elemObject(path, "an object (an IP configuration)", func(key, path string) error {
				if strings.EqualFold(key, "id") {
					return r.string(path, "an ARM ID string", &id)
				}
				return r.skip(path)
			})
			if !strings.Contains(strings.ToLower(id.v), "/virtualmachinescalesets/aks-") {
				f.others++ // an ILB frontend, a private endpoint, another VM
			}
			return err
		})
		f.hasConfigs = f.hasConfigs || present
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

// usages reads the entries of a list-usage list whose first token is t.
func (r *reader) usages(path string, t json.Token, off int64) ([]usageDoc, error) {
	if t != json.Delim('[') {
		return nil, r.wrong(path, off, t, "a list of usages")
	}
	var us []usageDoc
	for i := 0; r.dec.More(); i++ {
		u := usageDoc{path: index(path, i)}
		err := r.elemObject(u.path, "an object (a usage)", func(key, path string) error {
			switch strings.ToLower(key) {
			case "id":
				return r.string(path, "an ARM ID string", &u.id)
			case "currentvalue":
				return r.integer(path, &u.currentValue)
			}
			return r.skip(path)
		})
		if err != nil {
			return nil, err
		}
		if u.id.v == "" || u.currentValue.path == "" {
			return nil, r.errAt(u.path, -1, "a list-usage entry needs id and currentValue")
		}
		us = append(us, u)
	}
	_, _, err := r.token() // ']'
	return us, err
}

func (n *networks) addSubnet(r *reader, s *subnetDoc) error {
	f := s.active()
	if s.id.v == "" {
		return r.errAt(join(s.path, "id"), -1, "missing: subnets are matched to pools by ARM ID")
	}
	name := s.name.v
	if name == "" {
		name = s.id.v[strings.LastIndex(s.id.v, "/")+1:]
	}
	sn := capacity.Subnet{Name: name}
	list := f.prefixes
	if f.prefix.v != "" {
		p, err := netip.ParsePrefix(f.prefix.v)
		if err != nil {
			return r.errAt(f.prefix.path, -1, "%s is not a CIDR such as \"10.240.0.0/24\"", quote(f.prefix.v))
		}
		if len(list) == 0 && p.Addr().Is4() {
			sn.Prefixes = append(sn.Prefixes, p)
		}
	}
	for _, ps := range list {
		p, err := netip.ParsePrefix(ps.v)
		if err != nil {
			return r.errAt(ps.path, -1, "%s is not a CIDR such as \"10.240.0.0/24\"", quote(ps.v))
		}
		if p.Addr().Is4() {
			sn.Prefixes = append(sn.Prefixes, p)
		}
	}
	key := strings.ToLower(s.id.v)
	if f.hasConfigs {
		sn.Reserved = f.others
		n.counted[key] = true
	}
	n.subnets[key] = sn
	return nil
}

func (n *networks) addUsage(us []usageDoc) error {
	for _, u := range us {
		n.usage[strings.ToLower(u.id.v)] = u.currentValue.v
	}
	return nil
}

// applyUsage sets Reserved from list-usage for subnets whose
// ipConfigurations were not listed: what is in use less what the cluster's
// own nodes hold at their counts.
func (n *networks) applyUsage(c *capacity.Cluster, subnets map[string]int) {
	if len(n.usage) == 0 {
		return
	}
	spec := c.Mode.Spec()
	own := map[string]int{} // addresses the cluster's nodes hold, by subnet name
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
	for id, i := range subnets {
		used, ok := n.usage[id]
		if !ok || n.counted[id] {
			continue
		}
		c.Subnets[i].Reserved = max(0, used-own[c.Subnets[i].Name])
	}
}
