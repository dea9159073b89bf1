package tfplan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Error is a problem with a plan: which resource, which attribute, the value
// found and what was expected.
type Error struct {
	Address   string // resource address, e.g. azurerm_kubernetes_cluster.main; "" for the plan document itself
	Attribute string // attribute path, e.g. default_node_pool[0].max_pods, or a path in the document
	Value     string // the value as the plan spells it (JSON); "" when there is none
	Msg       string // what was expected, and what to do
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("tfplan: ")
	if e.Address != "" {
		b.WriteString(e.Address)
		b.WriteString(": ")
	}
	if e.Attribute != "" {
		b.WriteString(e.Attribute)
		if e.Value != "" {
			b.WriteString(" = ")
			b.WriteString(e.Value)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// show spells a decoded JSON value as the plan does, shortened.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	s := string(b)
	if len(s) > 240 { // long enough for an ARM ID
		s = s[:237] + "..."
	}
	return s
}

// kind names the JSON kind of a decoded value, in a user's words.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "true or false"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "an unknown value"
}

// decodeJSON reads one JSON document into generic values (numbers kept as
// json.Number).
func decodeJSON(r io.Reader) (any, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{Msg: "reading the plan: " + err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return nil, &Error{Msg: fmt.Sprintf("not JSON at byte %d: %s; give the output of `terraform show -json PLAN`", se.Offset, strings.TrimPrefix(se.Error(), "json: "))}
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return nil, &Error{Msg: fmt.Sprintf("truncated at byte %d: the document ends early", len(data))}
		}
		return nil, &Error{Msg: "not JSON; give the output of `terraform show -json PLAN`"}
	}
	if dec.More() {
		return nil, &Error{Msg: fmt.Sprintf("trailing data at byte %d after the JSON document", dec.InputOffset())}
	}
	return v, nil
}

// obj is a JSON object being read, with where it is for errors: the
// resource address (or "" for the document) and the path to the object.
type obj struct {
	m    map[string]any
	addr string
	path string
}

func (o obj) at(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

func (o obj) fail(key string, v any, format string, args ...any) error {
	e := &Error{Address: o.addr, Attribute: o.at(key), Msg: fmt.Sprintf(format, args...)}
	if v != nil {
		e.Value = show(v)
	}
	return e
}

func (o obj) wrong(key string, v any, want string) error {
	return o.fail(key, v, "%s where %s belongs", kind(v), want)
}

// has reports whether key is present (a planned value that is absent is
// unknown until apply).
func (o obj) has(key string) bool {
	_, ok := o.m[key]
	return ok
}

// str reads a string; null and absent read as "".
func (o obj) str(key string) (string, error) {
	switch v := o.m[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", o.wrong(key, v, "a string")
	}
}

// num reads a whole number; ok is false for null and absent.
func (o obj) num(key string) (n int, ok bool, err error) {
	switch v := o.m[key].(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		i, err := strconv.ParseInt(string(v), 10, 32)
		if err != nil || i < 0 {
			return 0, false, o.fail(key, v, "want a whole number, 0 or more")
		}
		return int(i), true, nil
	default:
		return 0, false, o.wrong(key, v, "a whole number")
	}
}

// flag reads a bool; ok is false for null and absent.
func (o obj) flag(key string) (b, ok bool, err error) {
	switch v := o.m[key].(type) {
	case nil:
		return false, false, nil
	case bool:
		return v, true, nil
	default:
		return false, false, o.wrong(key, v, "true or false")
	}
}

// strs reads a list of strings; null and absent read as nil.
func (o obj) strs(key string) ([]string, error) {
	switch v := o.m[key].(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, o.wrong(fmt.Sprintf("%s[%d]", key, i), e, "a string")
			}
			out[i] = s
		}
		return out, nil
	default:
		return nil, o.wrong(key, v, "a list of strings")
	}
}

// object reads a nested object; ok is false for null and absent.
func (o obj) object(key string) (obj, bool, error) {
	switch v := o.m[key].(type) {
	case nil:
		return obj{}, false, nil
	case map[string]any:
		return obj{m: v, addr: o.addr, path: o.at(key)}, true, nil
	default:
		return obj{}, false, o.wrong(key, v, "an object")
	}
}

// dig reads the object at a path of nested objects; ok is false when one
// of them is null or absent.
func (o obj) dig(keys ...string) (obj, bool, error) {
	for _, k := range keys {
		var ok bool
		var err error
		if o, ok, err = o.object(k); err != nil || !ok {
			return obj{}, false, err
		}
	}
	return o, true, nil
}

// list reads a list of objects; null and absent read as nil.
func (o obj) list(key string) ([]obj, error) {
	switch v := o.m[key].(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]obj, len(v))
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, o.wrong(fmt.Sprintf("%s[%d]", key, i), e, "an object")
			}
			out[i] = obj{m: m, addr: o.addr, path: fmt.Sprintf("%s[%d]", o.at(key), i)}
		}
		return out, nil
	default:
		return nil, o.wrong(key, v, "a list of objects")
	}
}

// block reads a nested block of at most one element (default_node_pool,
// network_profile, upgrade_settings); ok is false when it is empty.
func (o obj) block(key string) (obj, bool, error) {
	l, err := o.list(key)
	switch {
	case err != nil:
		return obj{}, false, err
	case len(l) == 0:
		return obj{}, false, nil
	case len(l) > 1:
		return obj{}, false, o.fail(key, nil, "%d blocks where the provider allows one", len(l))
	}
	return l[0], true, nil
}

// objects reads a map of objects (module_calls, outputs); null and absent
// read as nil.
func (o obj) objects(key string) (map[string]obj, error) {
	switch v := o.m[key].(type) {
	case nil:
		return nil, nil
	case map[string]any:
		out := make(map[string]obj, len(v))
		for k, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, o.wrong(key+"."+k, e, "an object")
			}
			out[k] = obj{m: m, addr: o.addr, path: o.at(key) + "." + k}
		}
		return out, nil
	default:
		return nil, o.wrong(key, v, "an object")
	}
}

// resource is one resource instance of the plan's planned or prior values.
type resource struct {
	addr   string // full address: module.aks.azurerm_subnet.nodes[0]
	module string // module instance address: "" or module.aks
	base   string // address in its module without index: azurerm_subnet.nodes, data.azurerm_subnet.x
	typ    string
	index  any // nil, json.Number or string
	values obj
	prior  bool // from prior_state only
}

// instanceKey spells r's index as in an address: [0] or ["a"]; "" without.
func (r *resource) instanceKey() string {
	switch v := r.index.(type) {
	case json.Number:
		return "[" + string(v) + "]"
	case string:
		return "[" + strconv.Quote(v) + "]"
	}
	return ""
}

// plan is the part of a `terraform show -json` document this package reads.
type plan struct {
	resources []*resource           // planned (or after) values, in document order
	prior     []*resource           // prior_state values
	configs   map[string]*cfgModule // by module path without instance keys: "", module.aks
	variables map[string]any        // root module variables' values
}

// cfgModule is one module of the configuration.
type cfgModule struct {
	resources map[string]obj // expressions, by address within the module
	calls     map[string]obj // module_calls' expressions, by call name
	outputs   map[string]obj // outputs, by name
}

func parse(r io.Reader) (*plan, error) {
	v, err := decodeJSON(r)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{Value: show(v), Msg: fmt.Sprintf("the plan is %s, not an object; give the output of `terraform show -json PLAN`", kind(v))}
	}
	doc := obj{m: m}
	fv, err := doc.str("format_version")
	if err != nil {
		return nil, err
	}
	if !doc.has("planned_values") && !doc.has("resource_changes") {
		return nil, &Error{Msg: "no planned_values or resource_changes: is this the output of `terraform show -json PLAN`? (`terraform show -json` without a plan file shows state, not a plan)"}
	}
	if fv != "" && !strings.HasPrefix(fv, "1.") && !strings.HasPrefix(fv, "0.") {
		return nil, doc.fail("format_version", fv, "this reader knows the plan formats 0.x and 1.x")
	}
	p := &plan{configs: map[string]*cfgModule{}}
	if pv, ok, err := doc.object("planned_values"); err != nil {
		return nil, err
	} else if ok {
		if p.resources, err = valueResources(pv, false); err != nil {
			return nil, err
		}
	} else if p.resources, err = changeResources(doc); err != nil {
		return nil, err
	}
	if vals, _, err := doc.dig("prior_state", "values"); err != nil {
		return nil, err
	} else if p.prior, err = valueResources(vals, true); err != nil {
		return nil, err
	}
	if root, ok, err := doc.dig("configuration", "root_module"); err != nil {
		return nil, err
	} else if ok {
		if err := p.readConfig("", root, 0); err != nil {
			return nil, err
		}
	}
	vars, err := doc.objects("variables")
	if err != nil {
		return nil, err
	}
	p.variables = map[string]any{}
	for k, o := range vars {
		p.variables[k] = o.m["value"]
	}
	return p, nil
}

// valueResources reads a values representation (planned_values or
// prior_state.values): root_module's resources and its child modules'.
func valueResources(vals obj, prior bool) ([]*resource, error) {
	root, ok, err := vals.object("root_module")
	if err != nil || !ok {
		return nil, err
	}
	var out []*resource
	var walk func(mod obj, module string, depth int) error
	walk = func(mod obj, module string, depth int) error {
		if depth > 32 {
			return mod.fail("child_modules", nil, "modules nested more than 32 deep")
		}
		rs, err := mod.list("resources")
		if err != nil {
			return err
		}
		for _, ro := range rs {
			r, err := readResource(ro, module, "values")
			if err != nil {
				return err
			}
			r.prior = prior
			out = append(out, r)
		}
		children, err := mod.list("child_modules")
		if err != nil {
			return err
		}
		for _, c := range children {
			a, err := c.str("address")
			if err != nil {
				return err
			}
			if err := walk(c, a, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(root, "", 0)
}

// changeResources reads resource_changes[].change.after, for plans without
// planned_values.
func changeResources(doc obj) ([]*resource, error) {
	rcs, err := doc.list("resource_changes")
	if err != nil {
		return nil, err
	}
	var out []*resource
	for _, rc := range rcs {
		ch, ok, err := rc.object("change")
		if err != nil || !ok {
			return nil, err
		}
		if ch.m["after"] == nil {
			continue // deleted
		}
		module, err := rc.str("module_address")
		if err != nil {
			return nil, err
		}
		rc.m["values"] = ch.m["after"]
		r, err := readResource(rc, module, "change.after")
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func readResource(ro obj, module, valuesKey string) (*resource, error) {
	r := &resource{module: module}
	var err error
	if r.addr, err = ro.str("address"); err != nil {
		return nil, err
	}
	if r.typ, err = ro.str("type"); err != nil {
		return nil, err
	}
	name, err := ro.str("name")
	if err != nil {
		return nil, err
	}
	mode, err := ro.str("mode")
	if err != nil {
		return nil, err
	}
	if r.addr == "" || r.typ == "" || name == "" {
		return nil, ro.fail("address", nil, "a resource without address, type or name")
	}
	r.base = r.typ + "." + name
	if mode == "data" {
		r.base = "data." + r.base
	}
	switch v := ro.m["index"].(type) {
	case nil, json.Number, string:
		r.index = v
	default:
		return nil, ro.wrong("index", v, "a number or a string")
	}
	vals := ro.m["values"]
	m, ok := vals.(map[string]any)
	if !ok && vals != nil {
		return nil, (obj{addr: r.addr}).wrong(valuesKey, vals, "an object of attributes")
	}
	r.values = obj{m: m, addr: r.addr}
	return r, nil
}

// readConfig reads a configuration module and its module calls.
func (p *plan) readConfig(path string, mod obj, depth int) error {
	if depth > 32 {
		return mod.fail("module_calls", nil, "modules nested more than 32 deep")
	}
	cm := &cfgModule{resources: map[string]obj{}}
	p.configs[path] = cm
	rs, err := mod.list("resources")
	if err != nil {
		return err
	}
	for _, ro := range rs {
		a, err := ro.str("address")
		if err != nil {
			return err
		}
		ex, _, err := ro.object("expressions")
		if err != nil {
			return err
		}
		cm.resources[a] = ex
	}
	if cm.outputs, err = mod.objects("outputs"); err != nil {
		return err
	}
	calls, err := mod.objects("module_calls")
	if err != nil {
		return err
	}
	cm.calls = map[string]obj{}
	for name, c := range calls {
		ex, _, err := c.object("expressions")
		if err != nil {
			return err
		}
		cm.calls[name] = ex
		child, ok, err := c.object("module")
		if err != nil {
			return err
		}
		if ok {
			if err := p.readConfig(join(path, "module."+name), child, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
