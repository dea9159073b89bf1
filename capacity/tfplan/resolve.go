package tfplan

import (
	"fmt"
	"strings"
)

// Resource types this package reads.
const (
	typeCluster = "azurerm_kubernetes_cluster"
	typePool    = "azurerm_kubernetes_cluster_node_pool"
	typeSubnet  = "azurerm_subnet"
	typeVNet    = "azurerm_virtual_network"
)

// config returns the configuration expressions of resource r (an empty obj
// when the plan has none).
func (p *plan) config(r *resource) obj {
	return obj{m: p.configOf(r.module).resources[r.base].m, addr: r.addr, path: "configuration"}
}

// noConfig is the configuration of a module the plan does not describe:
// read only.
var noConfig cfgModule

// configOf returns the configuration of module instance module, empty when
// the plan has none.
func (p *plan) configOf(module string) *cfgModule {
	if cm := p.configs[stripKeys(module)]; cm != nil {
		return cm
	}
	return &noConfig
}

// byID returns the resource of type typ whose id is id, from the planned
// values or, failing that, the prior state.
func (p *plan) byID(id, typ string) *resource {
	for _, list := range [][]*resource{p.resources, p.prior} {
		for _, r := range list {
			if r.typ != typ {
				continue
			}
			if rid, _ := r.values.m["id"].(string); rid != "" && strings.EqualFold(rid, id) {
				return p.fresh(r)
			}
		}
	}
	return nil
}

// fresh returns the planned version of a prior-state resource, if any.
func (p *plan) fresh(r *resource) *resource {
	if !r.prior {
		return r
	}
	for _, q := range p.resources {
		if q.addr == r.addr {
			return q
		}
	}
	return r
}

// ref names an ID attribute being resolved, for errors.
type ref struct {
	from *resource // the resource that holds the attribute
	attr string    // its path, e.g. default_node_pool[0].vnet_subnet_id
	typ  string    // the resource type the ID must name
}

func (f ref) fail(v any, format string, args ...any) error {
	e := &Error{Address: f.from.addr, Attribute: f.attr, Msg: fmt.Sprintf(format, args...)}
	if v != nil {
		e.Value = show(v)
	}
	return e
}

func (f ref) notInPlan(id string) error {
	if f.typ == typeSubnet {
		return f.fail(id, "this subnet is not in the plan, and ipcap needs its address_prefixes: "+
			"add a data \"azurerm_subnet\" block for it to the configuration (or reference the azurerm_subnet resource that manages it) and plan again")
	}
	return f.fail(id, "no %s in the plan has this id: plan the node pool together with its cluster's configuration", f.typ)
}

// resolve returns the resource an ID attribute names, or nil when the
// attribute is not set. vals holds the planned value under key; cfg the
// configuration expressions at the same place.
func (p *plan) resolve(f ref, vals obj, key string, cfg obj) (*resource, error) {
	switch v := vals.m[key].(type) {
	case string:
		if v == "" {
			return nil, nil
		}
		if r := p.byID(v, f.typ); r != nil {
			return r, nil
		}
		return nil, f.notInPlan(v)
	case nil:
		if vals.has(key) {
			return nil, nil // null: not set
		}
	default:
		return nil, f.fail(v, "%s where a resource ID belongs", kind(v))
	}
	// Unknown until apply: follow the configuration.
	ex, ok, err := cfg.object(key)
	if err != nil {
		return nil, err
	}
	if !ok {
		if cfg.m == nil {
			return nil, f.fail(nil, "not known before apply, and the plan has no configuration to say where it comes from")
		}
		return nil, f.fail(nil, "not known before apply, and the configuration sets no expression for it")
	}
	r, found, err := p.follow(f, f.from.module, ex, 0, "")
	if err != nil {
		return nil, err
	}
	if !found {
		refs, _ := ex.strs("references")
		return nil, f.fail(nil, "not known before apply, and its expression (references %s) does not lead to a %s of the plan; "+
			"refer to the resource directly, e.g. %s.NAME.id", strings.Join(refs, ", "), f.typ, f.typ)
	}
	return r, nil
}

// follow resolves a configuration expression in module instance module.
// found is false when nothing it refers to can be resolved; a nil resource
// with found true means the value is null (not set). want is an instance
// key ("[\"a\"]") taken from a map or list lookup on a variable or module
// output (var.ids["a"]), preferred among a resource's instances.
func (p *plan) follow(f ref, module string, ex obj, depth int, want string) (r *resource, found bool, err error) {
	if depth > 16 {
		return nil, false, f.fail(nil, "references nested more than 16 deep")
	}
	if cv, ok := ex.m["constant_value"]; ok {
		if r, found, err := p.constant(f, cv); found || err != nil {
			return r, found, err
		}
		return nil, false, f.fail(cv, "%s where a resource ID belongs", kind(cv))
	}
	refs, err := ex.strs("references")
	if err != nil {
		return nil, false, err
	}
	for _, s := range refs {
		seg := segments(s)
		switch {
		case len(seg) >= 2 && seg[0] == "var":
			name, key := splitKey(seg[1])
			r, found, err = p.followVar(f, module, name, depth, or(key, want))
		case len(seg) >= 3 && seg[0] == "module":
			name, key := splitKey(seg[2])
			r, found, err = p.followOutput(f, module, seg[1], name, depth, or(key, want))
		case len(seg) >= 3 && seg[0] == "data":
			r, found, err = p.instance(f, module, "data."+seg[1], seg[2], want)
		case len(seg) >= 2 && !strings.Contains(seg[0], "[") && !keyword(seg[0]):
			r, found, err = p.instance(f, module, seg[0], seg[1], want)
		}
		if err != nil || found {
			return r, found, err
		}
	}
	return nil, false, nil
}

// constant resolves v, a value given where a reference could stand: null
// is found and sets nothing, a string is the ID of a resource of f's type,
// which must be in the plan; any other value is not found.
func (p *plan) constant(f ref, v any) (r *resource, found bool, err error) {
	switch v := v.(type) {
	case nil:
		return nil, true, nil
	case string:
		if r := p.byID(v, f.typ); r != nil {
			return r, true, nil
		}
		return nil, false, f.notInPlan(v)
	}
	return nil, false, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func keyword(s string) bool {
	switch s {
	case "local", "each", "count", "path", "terraform", "self", "module", "var", "data":
		return true
	}
	return false
}

// followVar follows var.name in module instance module: a root variable's
// value, or the module call's argument in the parent module.
func (p *plan) followVar(f ref, module, name string, depth int, want string) (*resource, bool, error) {
	if module == "" {
		v, ok := p.variables[name]
		if !ok {
			return nil, false, nil
		}
		return p.constant(f, v)
	}
	i := strings.LastIndex(module, "module.")
	if i < 0 || i > 0 && module[i-1] != '.' {
		return nil, false, nil // not a module address
	}
	parent, call := strings.TrimSuffix(module[:i], "."), stripKeys(module[i+len("module."):])
	ex, ok, err := p.configOf(parent).calls[call].object(name)
	if err != nil || !ok {
		return nil, false, err
	}
	return p.follow(f, parent, ex, depth+1, want)
}

// followOutput follows module.call.output from module instance module.
func (p *plan) followOutput(f ref, module, call, output string, depth int, want string) (*resource, bool, error) {
	child := join(module, "module."+call)
	ex, ok, err := p.configOf(child).outputs[output].object("expression")
	if err != nil || !ok {
		return nil, false, err
	}
	return p.follow(f, child, ex, depth+1, want)
}

// instance finds the resource instance base (type.name, or data.type.name)
// with an optional instance key in name ("nodes[0]") in module instance
// module. With several instances and no key, the one with key want (from
// a lookup such as var.ids["a"]) or else with the referencing resource's
// own key is taken; otherwise it is ambiguous.
func (p *plan) instance(f ref, module, base, name, want string) (*resource, bool, error) {
	name, key := splitKey(name)
	base += "." + name
	var cands []*resource
	seen := map[string]bool{}
	for _, list := range [][]*resource{p.resources, p.prior} {
		for _, r := range list {
			if seen[r.addr] || r.base != base || stripKeys(r.module) != stripKeys(module) {
				continue
			}
			if key != "" && r.instanceKey() != key {
				continue
			}
			seen[r.addr] = true
			cands = append(cands, r)
		}
	}
	cands = narrow(cands, func(r *resource) bool { return r.module == module })
	if len(cands) > 1 && want != "" {
		cands = narrow(cands, func(r *resource) bool { return r.instanceKey() == want })
	}
	if len(cands) > 1 && f.from.index != nil {
		cands = narrow(cands, func(r *resource) bool { return r.instanceKey() == f.from.instanceKey() })
	}
	switch {
	case len(cands) == 0:
		return nil, false, nil
	case len(cands) > 1:
		addrs := make([]string, len(cands))
		for i, r := range cands {
			addrs[i] = r.addr
		}
		return nil, false, f.fail(nil, "refers to %s, which has %d instances (%s): ipcap cannot tell which one; refer to one instance, e.g. %s.id",
			join(module, base), len(cands), strings.Join(addrs, ", "), addrs[0])
	}
	r := cands[0]
	if r.typ != f.typ {
		return nil, false, f.fail(nil, "refers to %s, a %s where a %s belongs", r.addr, r.typ, f.typ)
	}
	return r, true, nil
}

// narrow keeps the candidates that satisfy keep, unless none does.
func narrow(cands []*resource, keep func(*resource) bool) []*resource {
	var out []*resource
	for _, r := range cands {
		if keep(r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return cands
	}
	return out
}
