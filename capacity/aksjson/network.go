package aksjson

import (
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ipcap/ipcap/capacity"
)

type subnetFields struct {
	AddressPrefix    string   `json:"addressPrefix"`
	AddressPrefixes  []string `json:"addressPrefixes"`
	IPConfigurations []struct {
		ID string `json:"id"`
	} `json:"ipConfigurations"`
}

type subnetDoc struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Properties *subnetFields `json:"properties"`
	subnetFields
}

type vnetFields struct {
	AddressSpace *struct {
		AddressPrefixes []string `json:"addressPrefixes"`
	} `json:"addressSpace"`
	Subnets []subnetDoc `json:"subnets"`
}

type vnetDoc struct {
	ID         string      `json:"id"`
	Properties *vnetFields `json:"properties"`
	vnetFields
}

type usageDoc struct {
	ID           string `json:"id"`
	CurrentValue *int   `json:"currentValue"`
	Limit        int    `json:"limit"`
}

// networks is what the network documents say.
type networks struct {
	subnets map[string]capacity.Subnet // by lower-case ARM ID
	counted map[string]bool            // subnets whose ipConfigurations were listed
	usage   map[string]int             // list-usage currentValue by lower-case ARM ID
	vnets   []netip.Prefix
}

func (n *networks) vnetPrefixes() []netip.Prefix { return n.vnets }

func readNetworks(docs []io.Reader) (*networks, error) {
	n := &networks{subnets: map[string]capacity.Subnet{}, counted: map[string]bool{}, usage: map[string]int{}}
	for i, r := range docs {
		name := fmt.Sprintf("network[%d]", i)
		var raw json.RawMessage
		if err := decode(name, r, &raw); err != nil {
			return nil, err
		}
		if err := n.add(name, raw); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// add reads one network document, telling its kind by its shape.
func (n *networks) add(doc string, raw json.RawMessage) error {
	fail := func(path, format string, args ...any) error {
		return &Error{Doc: doc, Path: path, Offset: -1, Msg: fmt.Sprintf(format, args...)}
	}
	trimmed := strings.TrimSpace(string(raw))
	if strings.HasPrefix(trimmed, "[") { // az network vnet list-usage
		var us []usageDoc
		if err := json.Unmarshal(raw, &us); err != nil {
			return fail("", "a list that is not list-usage output: %v", err)
		}
		return n.addUsage(doc, "", us)
	}
	var probe struct {
		ID         string                     `json:"id"`
		Value      []usageDoc                 `json:"value"`
		Subnets    json.RawMessage            `json:"subnets"`
		Space      json.RawMessage            `json:"addressSpace"`
		Prefix     json.RawMessage            `json:"addressPrefix"`
		Prefixes   json.RawMessage            `json:"addressPrefixes"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return fail("", "not a VNet, subnet or list-usage document: %v", err)
	}
	has := func(top json.RawMessage, key string) bool { return top != nil || probe.Properties[key] != nil }
	switch {
	case probe.Value != nil:
		return n.addUsage(doc, "value", probe.Value)
	case has(probe.Subnets, "subnets") || has(probe.Space, "addressSpace"):
		var v vnetDoc
		if err := json.Unmarshal(raw, &v); err != nil {
			return fail("", "%v", err)
		}
		f, base := &v.vnetFields, ""
		if v.Properties != nil {
			f, base = v.Properties, "properties."
		}
		if f.AddressSpace != nil {
			for j, s := range f.AddressSpace.AddressPrefixes {
				p, err := netip.ParsePrefix(s)
				if err != nil {
					return fail(fmt.Sprintf("%saddressSpace.addressPrefixes[%d]", base, j), "%q is not a CIDR", s)
				}
				if p.Addr().Is4() {
					n.vnets = append(n.vnets, p)
				}
			}
		}
		for j := range f.Subnets {
			if err := n.addSubnet(doc, fmt.Sprintf("%ssubnets[%d].", base, j), &f.Subnets[j]); err != nil {
				return err
			}
		}
		return nil
	case has(probe.Prefix, "addressPrefix") || has(probe.Prefixes, "addressPrefixes"):
		var s subnetDoc
		if err := json.Unmarshal(raw, &s); err != nil {
			return fail("", "%v", err)
		}
		return n.addSubnet(doc, "", &s)
	}
	return fail("", "not a VNet (az network vnet show), subnet (az network vnet subnet show) or list-usage document")
}

func (n *networks) addSubnet(doc, path string, s *subnetDoc) error {
	f := &s.subnetFields
	fpath := path
	if s.Properties != nil {
		f, fpath = s.Properties, path+"properties."
	}
	if s.ID == "" {
		return &Error{Doc: doc, Path: path + "id", Offset: -1, Msg: "missing: subnets are matched to pools by ARM ID"}
	}
	name := s.Name
	if name == "" {
		name = s.ID[strings.LastIndex(s.ID, "/")+1:]
	}
	sn := capacity.Subnet{Name: name}
	list := f.AddressPrefixes
	if len(list) == 0 && f.AddressPrefix != "" {
		list = []string{f.AddressPrefix}
	}
	for j, ps := range list {
		p, err := netip.ParsePrefix(ps)
		if err != nil {
			field := fpath + "addressPrefix"
			if len(f.AddressPrefixes) > 0 {
				field = fmt.Sprintf("%saddressPrefixes[%d]", fpath, j)
			}
			return &Error{Doc: doc, Path: field, Offset: -1, Msg: fmt.Sprintf("%q is not a CIDR", ps)}
		}
		if p.Addr().Is4() {
			sn.Prefixes = append(sn.Prefixes, p)
		}
	}
	key := strings.ToLower(s.ID)
	if f.IPConfigurations != nil {
		for _, ic := range f.IPConfigurations {
			if !strings.Contains(strings.ToLower(ic.ID), "/virtualmachinescalesets/aks-") {
				sn.Reserved++ // an ILB frontend, a private endpoint, another VM
			}
		}
		n.counted[key] = true
	}
	n.subnets[key] = sn
	return nil
}

func (n *networks) addUsage(doc, path string, us []usageDoc) error {
	for j, u := range us {
		if u.ID == "" || u.CurrentValue == nil {
			return &Error{Doc: doc, Path: fmt.Sprintf("%s[%d]", path, j), Offset: -1, Msg: "a list-usage entry needs id and currentValue"}
		}
		n.usage[strings.ToLower(u.ID)] = *u.CurrentValue
	}
	return nil
}

// applyUsage sets Reserved from list-usage for subnets whose
// ipConfigurations were not listed: what is in use less what the cluster's
// own nodes hold at their counts.
func (n *networks) applyUsage(c *capacity.Cluster, subnets map[string]int) {
	spec := c.Mode.Spec()
	for id, i := range subnets {
		used, ok := n.usage[id]
		if !ok || n.counted[id] {
			continue
		}
		own := 0
		name := c.Subnets[i].Name
		for _, p := range c.Pools {
			mp := p.MaxPods
			if mp == 0 {
				mp = spec.MaxPods.Default
			}
			d := spec.PerNode(mp, mp)
			if p.NodeSubnet == name {
				own += p.Count * d.NodeSubnet
			}
			if p.PodSubnet == name {
				own += p.Count * d.PodSubnet
			}
		}
		c.Subnets[i].Reserved = max(0, used-own)
	}
}
