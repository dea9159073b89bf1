package aksjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
)

// Error is a problem with an input document: which document, where in it
// (a JSON path or a byte offset) and what.
type Error struct {
	Doc    string // "cluster" or "network[i]"
	Path   string // JSON path, e.g. agentPoolProfiles[1].vnetSubnetId; "" for syntax errors
	Offset int64  // byte offset of a syntax error, or −1
	Msg    string
}

func (e *Error) Error() string {
	switch {
	case e.Path != "":
		return fmt.Sprintf("aksjson: %s: %s: %s", e.Doc, e.Path, e.Msg)
	case e.Offset >= 0:
		return fmt.Sprintf("aksjson: %s: at byte %d: %s", e.Doc, e.Offset, e.Msg)
	}
	return fmt.Sprintf("aksjson: %s: %s", e.Doc, e.Msg)
}

// managed is the VNet AKS creates for pools without vnetSubnetId.
var (
	managedVNet   = netip.MustParsePrefix("10.224.0.0/12")
	managedSubnet = netip.MustParsePrefix("10.224.0.0/16")
)

// ManagedSubnet is the Subnet name of the AKS-managed VNet's subnet, used by
// pools without vnetSubnetId.
const ManagedSubnet = "aks-subnet"

type clusterDoc struct {
	Properties *clusterProps `json:"properties"`
	clusterProps
}

type clusterProps struct {
	AgentPoolProfiles []poolDoc  `json:"agentPoolProfiles"`
	NetworkProfile    networkDoc `json:"networkProfile"`
}

type networkDoc struct {
	NetworkPlugin     string   `json:"networkPlugin"`
	NetworkPluginMode string   `json:"networkPluginMode"`
	NetworkDataplane  string   `json:"networkDataplane"`
	NetworkPolicy     string   `json:"networkPolicy"`
	PodCIDR           string   `json:"podCidr"`
	PodCIDRs          []string `json:"podCidrs"`
	ServiceCIDR       string   `json:"serviceCidr"`
	ServiceCIDRs      []string `json:"serviceCidrs"`
	DNSServiceIP      string   `json:"dnsServiceIp"`
	IPFamilies        []string `json:"ipFamilies"`
}

type poolDoc struct {
	Name                string `json:"name"`
	Count               *int   `json:"count"`
	EnableAutoScaling   bool   `json:"enableAutoScaling"`
	MinCount            *int   `json:"minCount"`
	MaxCount            *int   `json:"maxCount"`
	MaxPods             *int   `json:"maxPods"`
	OSType              string `json:"osType"`
	Mode                string `json:"mode"`
	VNetSubnetID        string `json:"vnetSubnetId"`
	PodSubnetID         string `json:"podSubnetId"`
	PodIPAllocationMode string `json:"podIpAllocationMode"`
	UpgradeSettings     *struct {
		MaxSurge string `json:"maxSurge"`
	} `json:"upgradeSettings"`
}

// decode reads one JSON value from r into v, naming doc in errors.
func decode(doc string, r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return &Error{Doc: doc, Offset: -1, Msg: err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return &Error{Doc: doc, Offset: se.Offset, Msg: "not JSON: " + se.Error()}
		case errors.As(err, &te):
			path := te.Field
			for _, embedded := range []string{"clusterProps.", "vnetFields.", "subnetFields."} {
				path = strings.ReplaceAll(path, embedded, "")
			}
			return &Error{Doc: doc, Path: path, Offset: te.Offset, Msg: fmt.Sprintf("a JSON %s where %s belongs (byte %d)", te.Value, te.Type, te.Offset)}
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return &Error{Doc: doc, Offset: int64(len(data)), Msg: "truncated: the document ends early"}
		}
		return &Error{Doc: doc, Offset: -1, Msg: err.Error()}
	}
	if dec.More() {
		return &Error{Doc: doc, Offset: dec.InputOffset(), Msg: "trailing data after the JSON document"}
	}
	return nil
}

// ReadCluster reads an AKS cluster document and the network documents that
// describe its subnets into a capacity.Cluster.
//
// Subnets are matched to pools by ARM ID, ignoring case. A pool without
// vnetSubnetId uses the AKS-managed VNet (10.224.0.0/12, subnet
// 10.224.0.0/16). Addresses in use that are not the cluster's own nodes
// (internal load balancer frontends, private endpoints, other VMs' NICs)
// become Subnet.Reserved: from a subnet's ipConfigurations, every
// configuration outside a VMSS named "aks-…" counts; from list-usage,
// currentValue less what the cluster's pools hold at their counts. Network
// plugin "none" reads as modes.BYOCNICalico; set Mode to BYOCNICilium for a
// Cilium cluster. IPv6 pod and service ranges of dual-stack clusters are
// left out: ipcap models IPv4.
func ReadCluster(cluster io.Reader, network ...io.Reader) (capacity.Cluster, error) {
	var doc clusterDoc
	if err := decode("cluster", cluster, &doc); err != nil {
		return capacity.Cluster{}, err
	}
	props := &doc.clusterProps
	base := ""
	if doc.Properties != nil {
		props, base = doc.Properties, "properties."
	}
	nets, err := readNetworks(network)
	if err != nil {
		return capacity.Cluster{}, err
	}
	return build(props, base, nets)
}

func build(p *clusterProps, base string, nets *networks) (capacity.Cluster, error) {
	fail := func(path, format string, args ...any) (capacity.Cluster, error) {
		return capacity.Cluster{}, &Error{Doc: "cluster", Path: base + path, Offset: -1, Msg: fmt.Sprintf(format, args...)}
	}
	np := p.NetworkProfile
	if len(p.AgentPoolProfiles) == 0 {
		return fail("agentPoolProfiles", "no node pools: is this an `az aks show` document?")
	}
	mode, err := modes.FromAKS(np.NetworkPlugin, np.NetworkPluginMode, np.NetworkDataplane, "")
	if err != nil {
		var fe *modes.FieldError
		if errors.As(err, &fe) {
			return fail("networkProfile."+fe.Field, "%q: %s", fe.Value, fe.Reason)
		}
		return fail("networkProfile", "%v", err)
	}
	// A pod subnet and the static-block allocation mode are set per pool;
	// capacity models one mode per cluster, so pools must agree.
	poolMode := mode
	for i, ap := range p.AgentPoolProfiles {
		m := mode.WithPodSubnet(ap.PodSubnetID != "")
		if strings.EqualFold(ap.PodIPAllocationMode, "StaticBlock") {
			if ap.PodSubnetID == "" {
				return fail(fmt.Sprintf("agentPoolProfiles[%d].podIpAllocationMode", i), "%q needs a podSubnetId", ap.PodIPAllocationMode)
			}
			m = modes.AzureCNIStaticBlock
		} else if ap.PodIPAllocationMode != "" && !strings.EqualFold(ap.PodIPAllocationMode, "DynamicIndividual") {
			return fail(fmt.Sprintf("agentPoolProfiles[%d].podIpAllocationMode", i), "%q: want DynamicIndividual or StaticBlock", ap.PodIPAllocationMode)
		}
		if i == 0 {
			poolMode = m
		} else if m != poolMode {
			return fail(fmt.Sprintf("agentPoolProfiles[%d]", i), "pool %s runs %v but pool %s runs %v: ipcap models one allocation mode per cluster",
				ap.Name, m, p.AgentPoolProfiles[0].Name, poolMode)
		}
	}
	c := capacity.Cluster{Mode: poolMode}
	if c.Policy, err = modes.ParsePolicy(np.NetworkPolicy); err != nil {
		return fail("networkProfile.networkPolicy", "%q: unknown policy engine", np.NetworkPolicy)
	}
	if c.PodCIDRs, err = prefixes(np.PodCIDR, np.PodCIDRs); err != nil {
		return fail("networkProfile.podCidrs", "%v", err)
	}
	if c.ServiceCIDRs, err = prefixes(np.ServiceCIDR, np.ServiceCIDRs); err != nil {
		return fail("networkProfile.serviceCidrs", "%v", err)
	}
	if np.DNSServiceIP != "" {
		if c.DNSServiceIP, err = netip.ParseAddr(np.DNSServiceIP); err != nil {
			return fail("networkProfile.dnsServiceIp", "%q is not an IP address", np.DNSServiceIP)
		}
	}

	subnets := map[string]int{} // by lower-case ARM ID
	addSubnet := func(id string, s capacity.Subnet) string {
		key := strings.ToLower(id)
		if i, ok := subnets[key]; ok {
			return c.Subnets[i].Name
		}
		// Subnet names are unique within a VNet, not across VNets.
		for _, o := range c.Subnets {
			if o.Name == s.Name {
				s.Name = vnetName(id) + "/" + s.Name
			}
		}
		subnets[key] = len(c.Subnets)
		c.Subnets = append(c.Subnets, s)
		return s.Name
	}
	lookup := func(path, id string) (string, error) {
		sn, ok := nets.subnets[strings.ToLower(id)]
		if !ok {
			return "", &Error{Doc: "cluster", Path: base + path, Offset: -1, Msg: fmt.Sprintf(
				"%q: no network document describes this subnet; add the output of `az network vnet show --ids %s -o json`", id, vnetID(id))}
		}
		return addSubnet(id, sn), nil
	}
	for i, ap := range p.AgentPoolProfiles {
		f := fmt.Sprintf("agentPoolProfiles[%d]", i)
		pool := capacity.Pool{Name: ap.Name}
		if pool.OS, err = modes.ParseOS(ap.OSType); err != nil {
			return fail(f+".osType", "%q: want Linux or Windows", ap.OSType)
		}
		if ap.Count != nil {
			pool.Count = *ap.Count
		}
		if ap.EnableAutoScaling {
			if ap.MinCount != nil {
				pool.MinCount = *ap.MinCount
			}
			if ap.MaxCount == nil {
				return fail(f+".maxCount", "missing with enableAutoScaling true")
			}
			pool.MaxCount = *ap.MaxCount
		}
		if ap.MaxPods != nil {
			pool.MaxPods = *ap.MaxPods
		}
		if ap.UpgradeSettings != nil {
			if pool.MaxSurge, err = capacity.ParseSurge(ap.UpgradeSettings.MaxSurge); err != nil {
				return fail(f+".upgradeSettings.maxSurge", "%q: want a count such as \"1\" or a percentage such as \"33%%\"", ap.UpgradeSettings.MaxSurge)
			}
		}
		if ap.VNetSubnetID == "" {
			pool.NodeSubnet = addSubnet("aks-managed", capacity.Subnet{Name: ManagedSubnet, Prefixes: []netip.Prefix{managedSubnet}})
			c.VNet = []netip.Prefix{managedVNet}
		} else if pool.NodeSubnet, err = lookup(f+".vnetSubnetId", ap.VNetSubnetID); err != nil {
			return capacity.Cluster{}, err
		}
		if ap.PodSubnetID != "" {
			if pool.PodSubnet, err = lookup(f+".podSubnetId", ap.PodSubnetID); err != nil {
				return capacity.Cluster{}, err
			}
		}
		c.Pools = append(c.Pools, pool)
	}
	if len(c.VNet) == 0 {
		c.VNet = nets.vnetPrefixes()
	}
	nets.applyUsage(&c, subnets)
	return c, nil
}

// prefixes parses the plural list, or the singular field when the list is
// empty, keeping IPv4 ranges only.
func prefixes(one string, many []string) ([]netip.Prefix, error) {
	if len(many) == 0 && one != "" {
		many = []string{one}
	}
	var out []netip.Prefix
	for _, s := range many {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR", s)
		}
		if p.Addr().Is4() {
			out = append(out, p)
		}
	}
	return out, nil
}

// vnetID returns the VNet part of a subnet ARM ID.
func vnetID(subnetID string) string {
	if i := strings.Index(strings.ToLower(subnetID), "/subnets/"); i >= 0 {
		return subnetID[:i]
	}
	return subnetID
}

func vnetName(subnetID string) string {
	v := vnetID(subnetID)
	return v[strings.LastIndex(v, "/")+1:]
}
