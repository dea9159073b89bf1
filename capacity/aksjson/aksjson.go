package aksjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
)

// Error is a problem with an input document: which document, where in it
// (a JSON path or a byte offset) and what.
type Error struct {
	Doc    string // the file name (ReadFiles), else "cluster" or "network[i]"
	Path   string // JSON path as written, e.g. agentPoolProfiles[1].vnetSubnetId; "" for the document as a whole
	Offset int64  // byte offset of the problem (near the value at Path), or −1 when it has none, such as a failed read
	Msg    string // the value as written and what belongs there, in the document's words
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

// clusterProps is what ipcap takes from a cluster document, at its top
// level (az aks show) or under "properties" (REST, Resource Graph).
type clusterProps struct {
	base      string // path of the object that holds these fields
	pools     []poolDoc
	poolsPath string // where agentPoolProfiles was, "" when absent
	net       networkDoc
	netPath   string
	nodeRG    str // nodeResourceGroup
	version   str // kubernetesVersion
}

// clusterDoc is one cluster: a whole document, or an element of a list.
type clusterDoc struct {
	path     string // where the cluster is: "" for a whole document, else "[2]" or "data[2]"
	name     str
	id, rg   str // its ARM ID and resourceGroup, which az and Resource Graph write beside id
	top      clusterProps
	props    clusterProps
	hasProps bool
}

func (d *clusterDoc) field(r *reader, key, path string) error {
	switch strings.ToLower(key) {
	case "properties":
		d.props = clusterProps{base: path}
		var err error
		d.hasProps, err = r.object(path, "an object", func(key, path string) error { return d.props.field(r, key, path) })
		return err
	case "name":
		return r.string(path, "a string (the cluster's name)", &d.name)
	case "id":
		return r.string(path, "a string (the cluster's ARM ID)", &d.id)
	case "resourcegroup":
		return r.string(path, "a resource group name string", &d.rg)
	}
	return d.top.field(r, key, path)
}

// group returns the cluster's resource group as written: resourceGroup, or
// the resourceGroups segment of id when resourceGroup is absent; "" when
// neither says. An id that is not a managed cluster's ARM ID, or that names
// another resource group or cluster than resourceGroup and name, is an error.
func (d *clusterDoc) group(doc string) (string, error) {
	if d.id.v == "" {
		return d.rg.v, nil
	}
	fail := func(format string, args ...any) (string, error) {
		return "", &Error{Doc: doc, Path: d.id.path, Offset: -1, Msg: quote(d.id.v) + ": " + fmt.Sprintf(format, args...)}
	}
	g, name := armSegment(d.id.v, "resourceGroups"), armSegment(d.id.v, "managedClusters")
	switch {
	case g == "" || name == "":
		return fail("want a managed cluster's ARM ID, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>")
	case d.rg.v != "" && !strings.EqualFold(g, d.rg.v):
		return fail("names resource group %s, but resourceGroup is %s", quote(g), quote(d.rg.v))
	case d.name.v != "" && !strings.EqualFold(name, d.name.v):
		return fail("names cluster %s, but name is %s", quote(name), quote(d.name.v))
	case d.rg.v != "":
		return d.rg.v, nil
	}
	return g, nil
}

// active returns the fields that count: those under "properties" when
// present, else the top level's.
func (d *clusterDoc) active() *clusterProps {
	if d.hasProps {
		return &d.props
	}
	return &d.top
}

type networkDoc struct {
	plugin, pluginMode, dataplane, policy str
	podCIDR, serviceCIDR, dnsServiceIP    str
	podCIDRs, serviceCIDRs                []str
	ipFamilies                            []str
	ipFamiliesPath                        string // where ipFamilies was, "" when absent or null
}

type poolDoc struct {
	path                         string
	name                         str
	count, minCount, maxCount    num
	maxPods                      num
	enableAutoScaling            bool
	osType, vnetSubnetID         str
	podSubnetID, podIPAllocation str
	maxSurge, maxUnavailable     str
	mode, priority               str
}

// readClusterDoc reads a cluster document: the fields of props at the top
// level, or under "properties" when that is present.
func readClusterDoc(r *reader) (*clusterDoc, error) {
	d := &clusterDoc{}
	if _, err := r.object("", "an object (the output of `az aks show -o json`)", func(key, path string) error { return d.field(r, key, path) }); err != nil {
		return nil, err
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	return d, nil
}

const clustersWant = "a list of clusters (the output of `az aks list -o json`) or an object: a cluster (`az aks show -o json`), a REST list {\"value\": [...]} or Resource Graph output {\"data\": [...]}"

// readClusters reads a document of clusters: a list (az aks list), an
// object whose "data" (Resource Graph) or "value" (REST) is the list, or
// one cluster.
func readClusters(r *reader) ([]*clusterDoc, error) {
	t, off, err := r.token()
	if err != nil {
		return nil, err
	}
	var docs []*clusterDoc
	elem := func(i int, path string) error {
		d := &clusterDoc{path: path}
		d.top.base = path
		docs = append(docs, d)
		return r.elemObject(path, "an object (a cluster)", func(key, path string) error { return d.field(r, key, path) })
	}
	listPath := ""
	listed := false
	if t == json.Delim('[') {
		listed = true
		err = r.arrayBody("", clustersWant, t, off, elem)
	} else {
		single := &clusterDoc{}
		err = r.objectBody("", clustersWant, t, off, func(key, path string) error {
			if k := strings.ToLower(key); k == "data" || k == "value" {
				present, err := r.array(path, "a list of clusters", elem)
				if present {
					listed, listPath = true, path
				}
				return err
			}
			return single.field(r, key, path)
		})
		if !listed {
			docs = []*clusterDoc{single}
		}
	}
	if err != nil {
		return nil, err
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, r.errAt(listPath, 0, "no clusters: the list is empty")
	}
	return docs, nil
}

func (c *clusterProps) field(r *reader, key, path string) error {
	switch strings.ToLower(key) {
	case "agentpoolprofiles":
		c.pools, c.poolsPath = nil, path
		present, err := r.array(path, "a list of node pools", func(i int, path string) error {
			p := poolDoc{path: path}
			err := r.elemObject(path, "an object (a node pool)", func(key, path string) error { return p.field(r, key, path) })
			c.pools = append(c.pools, p)
			return err
		})
		if !present {
			c.poolsPath = ""
		}
		return err
	case "noderesourcegroup":
		return r.string(path, "a resource group name string", &c.nodeRG)
	case "kubernetesversion":
		return r.string(path, `a version string such as "1.35.2"`, &c.version)
	case "networkprofile":
		c.net, c.netPath = networkDoc{}, path
		_, err := r.object(path, "an object", func(key, path string) error { return c.net.field(r, key, path) })
		return err
	}
	return r.skip(path)
}

func (n *networkDoc) field(r *reader, key, path string) error {
	switch strings.ToLower(key) {
	case "networkplugin":
		return r.string(path, `a string such as "azure", "kubenet" or "none"`, &n.plugin)
	case "networkpluginmode":
		return r.string(path, `a string such as "overlay"`, &n.pluginMode)
	case "networkdataplane":
		return r.string(path, `a string such as "azure" or "cilium"`, &n.dataplane)
	case "networkpolicy":
		return r.string(path, `a string such as "azure", "calico" or "cilium"`, &n.policy)
	case "podcidr":
		return r.string(path, `a CIDR string such as "10.244.0.0/16"`, &n.podCIDR)
	case "podcidrs":
		return r.strings(path, `a list of CIDR strings such as ["10.244.0.0/16"]`, `a CIDR string such as "10.244.0.0/16"`, &n.podCIDRs)
	case "servicecidr":
		return r.string(path, `a CIDR string such as "10.0.0.0/16"`, &n.serviceCIDR)
	case "servicecidrs":
		return r.strings(path, `a list of CIDR strings such as ["10.0.0.0/16"]`, `a CIDR string such as "10.0.0.0/16"`, &n.serviceCIDRs)
	case "dnsserviceip":
		return r.string(path, `an IP address string such as "10.0.0.10"`, &n.dnsServiceIP)
	case "ipfamilies":
		present, err := r.stringList(path, ipFamiliesWant, `"IPv4" or "IPv6"`, &n.ipFamilies)
		n.ipFamiliesPath = ""
		if present {
			n.ipFamiliesPath = path
		}
		return err
	}
	return r.skip(path)
}

const ipFamiliesWant = `["IPv4"] (single-stack) or ["IPv4", "IPv6"] (dual-stack)`

// dualStack reads networkProfile.ipFamilies: absent (or null) and ["IPv4"]
// are single-stack, IPv4 and IPv6 in either order dual-stack. Names match
// without regard to case, as Azure's do. An empty list, another name, a
// name given twice and IPv6 alone (AKS has no single-stack IPv6) are
// errors.
func (n *networkDoc) dualStack() (bool, error) {
	if n.ipFamiliesPath == "" {
		return false, nil
	}
	bad := func(path, format string, args ...any) (bool, error) {
		return false, &Error{Path: path, Offset: -1, Msg: fmt.Sprintf(format, args...)}
	}
	if len(n.ipFamilies) == 0 {
		return bad(n.ipFamiliesPath, "an empty list: want %s", ipFamiliesWant)
	}
	var seen [2]string // path of IPv4, IPv6
	for _, f := range n.ipFamilies {
		k := 0
		switch {
		case strings.EqualFold(f.v, "IPv4"):
		case strings.EqualFold(f.v, "IPv6"):
			k = 1
		default:
			return bad(f.path, `%s: want "IPv4" or "IPv6"`, quote(f.v))
		}
		if seen[k] != "" {
			return bad(f.path, "%s: the family is listed twice (at %s too): want %s", quote(f.v), seen[k], ipFamiliesWant)
		}
		seen[k] = f.path
	}
	if seen[0] == "" {
		return bad(n.ipFamiliesPath, "[%s]: AKS has no IPv6 single-stack clusters: want %s", quote(n.ipFamilies[0].v), ipFamiliesWant)
	}
	return seen[1] != "", nil
}

func (p *poolDoc) field(r *reader, key, path string) error {
	switch strings.ToLower(key) {
	case "name":
		return r.string(path, "a string", &p.name)
	case "count":
		return r.integer(path, &p.count)
	case "enableautoscaling":
		return r.boolean(path, &p.enableAutoScaling)
	case "mincount":
		return r.integer(path, &p.minCount)
	case "maxcount":
		return r.integer(path, &p.maxCount)
	case "maxpods":
		return r.integer(path, &p.maxPods)
	case "ostype":
		return r.string(path, `a string such as "Linux" or "Windows"`, &p.osType)
	case "vnetsubnetid":
		return r.string(path, "a subnet's ARM ID string", &p.vnetSubnetID)
	case "podsubnetid":
		return r.string(path, "a subnet's ARM ID string", &p.podSubnetID)
	case "podipallocationmode":
		return r.string(path, `a string such as "DynamicIndividual" or "StaticBlock"`, &p.podIPAllocation)
	case "mode":
		return r.string(path, `a string such as "System" or "User"`, &p.mode)
	case "scalesetpriority":
		return r.string(path, `a string such as "Regular" or "Spot"`, &p.priority)
	case "upgradesettings":
		_, err := r.object(path, "an object", func(key, path string) error {
			switch strings.ToLower(key) {
			case "maxsurge":
				return r.string(path, `a string such as "33%" or "3"`, &p.maxSurge)
			case "maxunavailable":
				return r.string(path, `a string such as "10%" or "1"`, &p.maxUnavailable)
			}
			return r.skip(path)
		})
		return err
	}
	return r.skip(path)
}

// ReadCluster reads an AKS cluster document and the network documents that
// describe its subnets into a capacity.Cluster, named by the document's
// "name".
//
// Subnets are matched to pools by ARM ID, ignoring case. A pool without
// vnetSubnetId uses the AKS-managed VNet (10.224.0.0/12, subnet
// 10.224.0.0/16). Addresses in use that are not the cluster's own nodes
// (internal load balancer frontends, private endpoints, other VMs' NICs,
// other clusters' nodes and pods) become Subnet.Reserved. From a subnet's
// ipConfigurations, the cluster's own are those of the scale sets in its
// nodeResourceGroup (matched without regard to case on the
// /resourceGroups/<name>/ segment of their IDs), where AKS puts them;
// every other configuration counts. A document without nodeResourceGroup
// keeps the older rule: every configuration outside a VMSS named "aks-…"
// counts, so another AKS cluster's nodes in the subnet are taken for
// this one's. From list-usage, Reserved is currentValue less what the
// cluster's pools hold at their counts (at maxPods pods a node). With both,
// the listing, unless it is short of the cluster's own configurations (or
// told apart by the older rule): a partial listing gives way to list-usage
// where list-usage says more. Network
// plugin "none" reads as modes.BYOCNICalico; set Mode to BYOCNICilium for a
// Cilium cluster, and Cluster.CNIPool to the CNI's own pool, which the
// document does not hold (its podCidr stays AKS's PodCIDRs).
//
// networkProfile.ipFamilies ["IPv4", "IPv6"] (in either order, names
// without regard to case) makes a dual-stack cluster (Cluster.DualStack);
// absent, null or ["IPv4"] a single-stack one. An empty list, another
// name, a name given twice or "IPv6" alone is an error. IPv6 ranges are
// kept wherever they are written, beside the IPv4 ones and in the
// document's order: podCidrs, serviceCidrs, a VNet's
// addressSpace.addressPrefixes and a subnet's addressPrefix(es). As with
// IPv4, podCidrs and serviceCidrs win over podCidr and serviceCidr, and a
// subnet's addressPrefixes over its addressPrefix, when both are given;
// both are checked. capacity.Validate judges the ranges of each family: a
// single-stack cluster's subnets and VNet may hold IPv6 prefixes, its pod
// and service ranges may not. Reserved counts IPv4 addresses, but a
// subnet's ipConfigurations do not say their family: in a subnet with an
// IPv6 prefix, another holder's IPv6 configuration (the IPv6 frontend of a
// dual-stack internal load balancer, a dual-stack VM's second
// configuration) counts as an IPv4 address, so Reserved may be too high
// there. The cluster's own nodes' configurations of both families are
// left out, as above.
//
// Each document may hold at most MaxDocumentSize bytes. Errors are *Error
// values that name the document, the JSON path of the value at fault (as
// written, with list indexes) or a byte offset, the value, and what was
// expected; the first problem in the document is reported.
func ReadCluster(cluster io.Reader, network ...io.Reader) (capacity.Cluster, error) {
	r, err := readAll("cluster", cluster, network, read)
	return r.c, err
}

// ReadFiles is ReadCluster on files: it opens and reads the cluster
// document and the network documents at the paths given, and its errors
// name the file.
func ReadFiles(cluster string, network ...string) (capacity.Cluster, error) {
	r, err := readFiles(cluster, network, read)
	return r.c, err
}

// ReadClusterWithSources is ReadCluster that also says where each field of
// the cluster was read: the document ("cluster", "network[i]"), its JSON
// path as written and its value. Its Explain tells the problems
// Cluster.Validate finds (and Analyze, Check, Simulate and Forecast
// return) in the documents' words:
//
//	c, src, err := aksjson.ReadFilesWithSources("aks.json", "vnet.json")
//	...
//	_, err = capacity.Analyze(c)
//	err = src.Explain(err) // aks.json: agentPoolProfiles[1].maxPods: 300 is outside 10–250
//
// Reading does not validate the cluster: a caller may change it first (its
// mode, say), and the fields it leaves alone keep their sources.
func ReadClusterWithSources(cluster io.Reader, network ...io.Reader) (capacity.Cluster, capacity.Sources, error) {
	r, err := readAll("cluster", cluster, network, read)
	return r.c, r.src, err
}

// ReadFilesWithSources is ReadClusterWithSources on files, as ReadFiles:
// the sources name the files.
func ReadFilesWithSources(cluster string, network ...string) (capacity.Cluster, capacity.Sources, error) {
	r, err := readFiles(cluster, network, read)
	return r.c, r.src, err
}

// withSources is a cluster and where its fields were read.
type withSources struct {
	c   capacity.Cluster
	src capacity.Sources
}

// readDocs reads a first document (the cluster, or the clusters of an
// estate) with the network documents; names names the network documents.
type readDocs[T any] func(firstName string, first io.Reader, names []string, network []io.Reader) (T, error)

// readAll reads the first document and the network documents with read,
// naming the network documents "network[i]".
func readAll[T any](firstName string, first io.Reader, network []io.Reader, read readDocs[T]) (T, error) {
	names := make([]string, len(network))
	for i := range network {
		names[i] = fmt.Sprintf("network[%d]", i)
	}
	return read(firstName, first, names, network)
}

// readFiles opens the first document and the network documents at the
// paths given, reads them with read, naming each by its path, and closes
// them.
func readFiles[T any](first string, network []string, read readDocs[T]) (T, error) {
	cf, nets, err := openAll(first, network)
	if err != nil {
		var zero T
		return zero, err
	}
	defer closeAll(cf, nets)
	return read(first, cf, network, nets)
}

// openAll opens the first document and the network documents; its errors
// are *Error values naming the file.
func openAll(first string, network []string) (*os.File, []io.Reader, error) {
	open := func(name string) (*os.File, error) {
		f, err := os.Open(name)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, &Error{Doc: name, Offset: -1, Msg: "cannot open: " + err.Error()}
		}
		return f, nil
	}
	cf, err := open(first)
	if err != nil {
		return nil, nil, err
	}
	nets := make([]io.Reader, 0, len(network))
	for _, name := range network {
		f, err := open(name)
		if err != nil {
			closeAll(cf, nets)
			return nil, nil, err
		}
		nets = append(nets, f)
	}
	return cf, nets, nil
}

func closeAll(first *os.File, nets []io.Reader) {
	first.Close()
	for _, f := range nets {
		f.(*os.File).Close()
	}
}

// readNetworks reads the network documents.
func readNetworks(names []string, network []io.Reader) (*networks, error) {
	nets := newNetworks()
	for i, r := range network {
		if err := nets.read(newReader(names[i], r)); err != nil {
			return nil, err
		}
	}
	return nets, nil
}

func read(clusterName string, cluster io.Reader, names []string, network []io.Reader) (withSources, error) {
	d, err := readClusterDoc(newReader(clusterName, cluster))
	if err != nil {
		return withSources{}, err
	}
	nets, err := readNetworks(names, network)
	if err != nil {
		return withSources{}, err
	}
	c, keys, err := build(clusterName, d, nets, false)
	if err != nil {
		return withSources{}, err
	}
	own := held(&c)
	rg := []string{strings.ToLower(d.active().nodeRG.v)}
	for i, key := range keys {
		c.Subnets[i].Reserved = nets.reserved(key, rg, own[c.Subnets[i].Name])
	}
	return withSources{c, sources(clusterName, d, nets, &c, keys)}, nil
}

// build turns a cluster document into a Cluster whose Subnets are those
// its pools name, in order, without Reserved; keys are their lower-case
// ARM IDs. inEstate refuses pools in the AKS-managed VNet.
func build(doc string, d *clusterDoc, nets *networks, inEstate bool) (capacity.Cluster, []string, error) {
	p := d.active()
	fail := func(path, format string, args ...any) (capacity.Cluster, []string, error) {
		return capacity.Cluster{}, nil, &Error{Doc: doc, Path: path, Offset: -1, Msg: fmt.Sprintf(format, args...)}
	}
	if _, err := d.group(doc); err != nil {
		return capacity.Cluster{}, nil, err
	}
	np := p.net
	if len(p.pools) == 0 {
		path := p.poolsPath
		if path == "" {
			return fail(join(p.base, "agentPoolProfiles"), "missing: no node pools; is this the output of `az aks show -o json`?")
		}
		return fail(path, "no node pools: a cluster needs at least one")
	}
	mode, err := modes.FromAKS(np.plugin.v, np.pluginMode.v, np.dataplane.v, "")
	if err != nil {
		var fe *modes.FieldError
		if errors.As(err, &fe) {
			path := map[string]str{"networkPlugin": np.plugin, "networkPluginMode": np.pluginMode, "networkDataplane": np.dataplane}[fe.Field].path
			if path == "" {
				netPath := p.netPath
				if netPath == "" {
					netPath = join(p.base, "networkProfile")
				}
				path = join(netPath, fe.Field)
			}
			return fail(path, "%s: %s", quote(fe.Value), fe.Reason)
		}
		return fail(p.netPath, "%v", err)
	}
	// A pod subnet and the static-block allocation mode are set per pool;
	// capacity models one mode per cluster, so pools must agree.
	poolMode := mode
	for i, ap := range p.pools {
		m := mode.WithPodSubnet(ap.podSubnetID.v != "")
		if pa := ap.podIPAllocation; strings.EqualFold(pa.v, "StaticBlock") {
			if ap.podSubnetID.v == "" {
				return fail(pa.path, "%s needs a podSubnetId", quote(pa.v))
			}
			m = modes.AzureCNIStaticBlock
		} else if pa.v != "" && !strings.EqualFold(pa.v, "DynamicIndividual") {
			return fail(pa.path, "%s: want DynamicIndividual or StaticBlock", quote(pa.v))
		}
		if i == 0 {
			poolMode = m
		} else if m != poolMode {
			return fail(ap.path, "pool %s runs %v but pool %s runs %v: ipcap models one allocation mode per cluster",
				quote(ap.name.v), m, quote(p.pools[0].name.v), poolMode)
		}
	}
	c := capacity.Cluster{Name: d.name.v, Mode: poolMode, KubernetesVersion: p.version.v}
	if c.Policy, err = modes.ParsePolicy(np.policy.v); err != nil {
		return fail(np.policy.path, "%s: unknown policy engine (want azure, calico or cilium)", quote(np.policy.v))
	}
	if c.DualStack, err = np.dualStack(); err != nil {
		return capacity.Cluster{}, nil, withDoc(err, doc)
	}
	if c.PodCIDRs, err = prefixes(np.podCIDR, np.podCIDRs); err != nil {
		return capacity.Cluster{}, nil, withDoc(err, doc)
	}
	if c.ServiceCIDRs, err = prefixes(np.serviceCIDR, np.serviceCIDRs); err != nil {
		return capacity.Cluster{}, nil, withDoc(err, doc)
	}
	if d := np.dnsServiceIP; d.v != "" {
		if c.DNSServiceIP, err = netip.ParseAddr(d.v); err != nil {
			return fail(d.path, "%s is not an IP address", quote(d.v))
		}
	}

	subnets := map[string]int{} // by lower-case ARM ID
	names := map[string]bool{}  // subnet names taken
	var keys []string
	addSubnet := func(id string, s capacity.Subnet) string {
		key := strings.ToLower(id)
		if i, ok := subnets[key]; ok {
			return c.Subnets[i].Name
		}
		keys = append(keys, key)
		// Subnet names are unique within a VNet, not across VNets.
		if names[s.Name] {
			s.Name = vnetName(id) + "/" + s.Name
		}
		names[s.Name] = true
		subnets[key] = len(c.Subnets)
		c.Subnets = append(c.Subnets, s)
		return s.Name
	}
	lookup := func(id str) (string, error) {
		info, ok := nets.subnets[strings.ToLower(id.v)]
		if !ok {
			return "", &Error{Doc: doc, Path: id.path, Offset: -1, Msg: fmt.Sprintf(
				"%s: no network document describes this subnet; add the output of `az network vnet show --ids %s -o json`", quote(id.v), vnetID(id.v))}
		}
		return addSubnet(id.v, capacity.Subnet{Name: info.sn.Name, Prefixes: info.sn.Prefixes}), nil
	}
	for _, ap := range p.pools {
		pool := capacity.Pool{Name: ap.name.v}
		if pool.OS, err = modes.ParseOS(ap.osType.v); err != nil {
			return fail(ap.osType.path, "%s: want Linux or Windows", quote(ap.osType.v))
		}
		pool.Count = ap.count.v
		if ap.enableAutoScaling {
			pool.MinCount = ap.minCount.v
			switch {
			case ap.maxCount.path == "":
				return fail(join(ap.path, "maxCount"), "missing, and enableAutoScaling is true")
			case ap.maxCount.v == 0:
				// capacity reads a max count of 0 as no autoscaler.
				return fail(ap.maxCount.path, "0 with enableAutoScaling true: want a max count of 1 or more")
			}
			pool.MaxCount = ap.maxCount.v
		}
		if ap.maxPods.path != "" && ap.maxPods.v == 0 {
			// capacity reads a maxPods of 0 as the mode's default.
			r := mode.Spec().MaxPods
			return fail(ap.maxPods.path, "0 is outside %d–%d", r.Min, r.Max)
		}
		pool.MaxPods = ap.maxPods.v
		if ap.maxSurge.v != "" {
			if pool.MaxSurge, err = capacity.ParseSurge(ap.maxSurge.v); err != nil {
				return fail(ap.maxSurge.path, "%s: want a node count such as \"1\" or a percentage such as \"33%%\"", quote(ap.maxSurge.v))
			}
		}
		if pool.MaxUnavailable, err = capacity.ParseSurge(ap.maxUnavailable.v); err != nil {
			return fail(ap.maxUnavailable.path, "%s: want a node count such as \"1\" or a percentage such as \"10%%\"", quote(ap.maxUnavailable.v))
		}
		if pool.Mode, err = capacity.ParsePoolMode(ap.mode.v); err != nil {
			return fail(ap.mode.path, "%s: want System or User", quote(ap.mode.v))
		}
		switch {
		case strings.EqualFold(ap.priority.v, "Spot"):
			pool.Spot = true
		case ap.priority.v != "" && !strings.EqualFold(ap.priority.v, "Regular"):
			return fail(ap.priority.path, "%s: want Regular or Spot", quote(ap.priority.v))
		}
		if ap.vnetSubnetID.v == "" && inEstate {
			return fail(join(ap.path, "vnetSubnetId"), "missing: the pool runs in a VNet AKS manages, outside the estate's; an estate is clusters in VNets of your own")
		}
		if ap.vnetSubnetID.v == "" {
			pool.NodeSubnet = addSubnet("aks-managed", capacity.Subnet{Name: ManagedSubnet, Prefixes: []netip.Prefix{managedSubnet}})
			c.VNet = []netip.Prefix{managedVNet}
		} else if pool.NodeSubnet, err = lookup(ap.vnetSubnetID); err != nil {
			return capacity.Cluster{}, nil, err
		}
		if ap.podSubnetID.v != "" {
			if pool.PodSubnet, err = lookup(ap.podSubnetID); err != nil {
				return capacity.Cluster{}, nil, err
			}
		}
		c.Pools = append(c.Pools, pool)
	}
	if len(c.VNet) == 0 {
		c.VNet = nets.vnets
	}
	return c, keys, nil
}

// withDoc sets the document of an *Error made without one.
func withDoc(err error, doc string) error {
	if e, ok := err.(*Error); ok && e.Doc == "" {
		e.Doc = doc
	}
	return err
}

// prefixes parses the singular field and the plural list, both of which
// must be well formed, and returns the list's ranges (IPv4 and IPv6, in
// document order), or the singular field's when the list is empty.
func prefixes(one str, many []str) ([]netip.Prefix, error) {
	bad := func(s str) error {
		return &Error{Path: s.path, Offset: -1, Msg: fmt.Sprintf("%s is not a CIDR such as \"10.0.0.0/16\"", quote(s.v))}
	}
	var single netip.Prefix
	if one.v != "" {
		p, err := netip.ParsePrefix(one.v)
		if err != nil {
			return nil, bad(one)
		}
		single = p
	}
	var out []netip.Prefix
	for _, s := range many {
		p, err := netip.ParsePrefix(s.v)
		if err != nil {
			return nil, bad(s)
		}
		out = append(out, p)
	}
	if len(many) == 0 && single.IsValid() {
		out = append(out, single)
	}
	return out, nil
}

// vnetID returns the VNet part of a subnet ARM ID.
func vnetID(subnetID string) string {
	if i := indexFold(subnetID, "/subnets/"); i >= 0 {
		return subnetID[:i]
	}
	return subnetID
}

func vnetName(subnetID string) string {
	v := vnetID(subnetID)
	return v[strings.LastIndex(v, "/")+1:]
}

// sources returns where the fields of c, which build made of d with the
// subnets of keys, were read: the cluster document doc and the network
// documents.
func sources(doc string, d *clusterDoc, nets *networks, c *capacity.Cluster, keys []string) capacity.Sources {
	src := capacity.Sources{}
	set := func(field string, s capacity.Source) {
		if !s.IsZero() {
			src[field] = s
		}
	}
	text := func(field string, s str) { set(field, source(doc, s)) }
	number := func(field string, n num) {
		if n.path != "" {
			src[field] = capacity.Source{File: doc, Path: n.path, Value: strconv.Itoa(n.v)}
		}
	}
	list := func(field string, one str, many []str) {
		if len(many) == 0 {
			text(field, one)
			text(field+"[0]", one)
			return
		}
		set(field, capacity.Source{File: doc, Path: strings.TrimSuffix(many[0].path, "[0]")})
		for i, s := range many {
			text(field+"["+strconv.Itoa(i)+"]", s)
		}
	}
	p := d.active()
	np := &p.net
	text("KubernetesVersion", p.version)
	text("Policy", np.policy)
	if np.ipFamiliesPath != "" {
		set("DualStack", capacity.Source{File: doc, Path: np.ipFamiliesPath})
	}
	list("PodCIDRs", np.podCIDR, np.podCIDRs)
	list("ServiceCIDRs", np.serviceCIDR, np.serviceCIDRs)
	text("DNSServiceIP", np.dnsServiceIP)
	if p.poolsPath != "" {
		set("Pools", capacity.Source{File: doc, Path: p.poolsPath})
	}
	for i := range c.Pools {
		ap := &p.pools[i]
		f := "Pools[" + strconv.Itoa(i) + "]"
		set(f, capacity.Source{File: doc, Path: ap.path})
		text(f+".Name", ap.name)
		number(f+".Count", ap.count)
		if ap.enableAutoScaling {
			number(f+".MinCount", ap.minCount)
			number(f+".MaxCount", ap.maxCount)
		}
		number(f+".MaxPods", ap.maxPods)
		text(f+".OS", ap.osType)
		text(f+".Mode", ap.mode)
		text(f+".Spot", ap.priority)
		text(f+".MaxSurge", ap.maxSurge)
		text(f+".MaxUnavailable", ap.maxUnavailable)
		text(f+".NodeSubnet", ap.vnetSubnetID)
		text(f+".PodSubnet", ap.podSubnetID)
	}
	managed := false
	for k, key := range keys {
		nets.subnetSources(src, "Subnets["+strconv.Itoa(k)+"]", key)
		managed = managed || nets.subnets[key] == nil
	}
	if !managed {
		for i, s := range nets.vnetSrc {
			set("VNet["+strconv.Itoa(i)+"]", s)
		}
	}
	return src
}
