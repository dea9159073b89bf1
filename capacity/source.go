package capacity

import (
	"slices"
	"strconv"
	"strings"
)

// Source is where a field of a Cluster was read from: the document, the
// field as the document writes it, and its value as written. Readers of
// input documents (capacity/aksjson, capacity/tfplan) record one per field
// they set, so that a problem Validate finds can be told in the input's
// words.
type Source struct {
	// File is the input: a file name, or the name of a document read
	// from a stream ("cluster", "network[0]"); "" when not known.
	File string `json:"file,omitempty"`
	// Resource is the Terraform resource address that holds the field
	// (azurerm_subnet.nodes); "" for other documents.
	Resource string `json:"resource,omitempty"`
	// Path is the field as the document writes it: a JSON path with list
	// indexes (agentPoolProfiles[1].maxPods,
	// subnets[2].properties.addressPrefixes[1]) or a resource's attribute
	// (default_node_pool[0].max_pods).
	Path string `json:"path"`
	// Value is the value as written, in JSON (300, "fd00:1::/56"); "" when
	// the field is a whole object or list.
	Value string `json:"value,omitempty"`
}

// IsZero reports whether s names no place: the field was not read.
func (s Source) IsZero() bool { return s == Source{} }

// String names the place: "cluster.json: agentPoolProfiles[1].maxPods",
// "plan.json: azurerm_subnet.nodes: address_prefixes[0]".
func (s Source) String() string {
	var b strings.Builder
	for _, part := range []string{s.File, s.Resource, s.Path} {
		if part == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(part)
	}
	return b.String()
}

// Sources maps field paths of a Cluster, as Problem.Field names them
// ("Pools[1].MaxPods", "Subnets[0].Prefixes[1]", "PodCIDRs[0]",
// "DNSServiceIP"), to where each was read from. A field that was not read —
// left to a default, such as the default pod CIDR, or changed after
// reading — has none.
type Sources map[string]Source

// InFile returns a copy of s with File set to name where it is "": for a
// document a reader read from a stream, whose file the caller knows.
func (s Sources) InFile(name string) Sources {
	out := make(Sources, len(s))
	for k, v := range s {
		if v.File == "" {
			v.File = name
		}
		out[k] = v
	}
	return out
}

// Explain tells the problems of a *ValidationError in the input's words:
// it returns an *InputError whose problems name, where s knows it, the
// file, the field as written and its value, and keep the cluster's field
// path where s does not (a field left to its default). Paths of other
// fields that a problem's message cites are told the same way. Any other
// error, nil included, is returned as it is, and so is every error when s
// is empty (nothing was read); errors.As finds the *ValidationError behind
// an *InputError.
//
// s must describe the cluster that was validated: a field changed after
// reading (a mode replaced, a pool added) no longer matches its source,
// but the fields not changed still do.
func (s Sources) Explain(err error) error {
	ve, ok := err.(*ValidationError) // as Validate, Analyze, Check, Simulate and Forecast return it (TestValidationErrorsUnwrapped)
	if !ok || ve == nil || len(s) == 0 {
		return err
	}
	e := &InputError{Problems: make([]InputProblem, len(ve.Problems)), Omitted: ve.Omitted, Err: ve}
	for i, p := range ve.Problems {
		src := s[p.Field]
		p.Message = s.cite(p.Message, src.File)
		e.Problems[i] = InputProblem{Problem: p, Source: src}
	}
	return e
}

// cite replaces the field paths with indexes that msg cites
// ("(Subnets[0].Prefixes[1])") by their sources, leaving out the file when
// it is file, that of the problem's own field. Paths without an index are
// left alone: "VNet" and "Policy" are words of messages too.
func (s Sources) cite(msg, file string) string {
	if !strings.Contains(msg, "[") || len(s) == 0 {
		return msg
	}
	var b strings.Builder
	for i := 0; i < len(msg); {
		n := 1
		if isUpper(msg[i]) && (i == 0 || !isWord(msg[i-1]) && msg[i-1] != '.') {
			n = fieldPath(msg[i:])
			if src := s[msg[i:i+n]]; !src.IsZero() && strings.Contains(msg[i:i+n], "[") {
				if src.File == file {
					src.File = ""
				}
				b.WriteString(strings.Join(slices.DeleteFunc([]string{src.File, src.Resource, src.Path}, func(s string) bool { return s == "" }), " "))
				i += n
				continue
			}
		}
		b.WriteString(msg[i : i+n])
		i += n
	}
	return b.String()
}

// fieldPath returns the length of the field path at the start of s, which
// starts with an upper-case letter: names, each with indexes, joined by
// dots, as Pools[1].MaxPods. A dot that ends a sentence is not part of it.
func fieldPath(s string) int {
	end := 0
	for i := 0; i < len(s) && isUpper(s[i]); {
		j := i
		for j < len(s) && isWord(s[j]) {
			j++
		}
		for j < len(s) && s[j] == '[' {
			k := j + 1
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			if k == j+1 || k >= len(s) || s[k] != ']' {
				break
			}
			j = k + 1
		}
		end = j
		if j >= len(s) || s[j] != '.' {
			break
		}
		i = j + 1
	}
	return end
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || isUpper(c) || c >= '0' && c <= '9' || c == '_'
}

// InputProblem is a Problem and where its field was read from.
type InputProblem struct {
	Problem
	// Source is where the field was read from; zero when it was not
	// read (a default), and Field then names it.
	Source Source `json:"source,omitzero"`
}

// String tells the problem at its source ("cluster.json:
// agentPoolProfiles[1].maxPods: 300 is outside 10–250"), with the value
// as written where the message does not already show it, or at its field
// path when it has no source.
func (p InputProblem) String() string {
	if p.Source.IsZero() {
		return p.Problem.String()
	}
	var b strings.Builder
	b.WriteString(p.Source.String())
	if v := p.Source.Value; v != "" && !mentions(p.Message, unquote(v)) {
		b.WriteString(" = ")
		b.WriteString(v)
	}
	b.WriteString(": ")
	if p.Code != "" {
		b.WriteString(p.Code)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// mentions reports whether msg holds v as a whole: not as part of a
// longer number, name or prefix ("30" is not in "300").
func mentions(msg, v string) bool {
	part := func(c byte) bool { return isWord(c) || c == '.' || c == ':' || c == '/' || c == '%' }
	for i := 0; v != ""; {
		j := strings.Index(msg[i:], v)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(v)
		// A dot or colon before a space ends a sentence or a clause.
		stop := end == len(msg) || !part(msg[end]) || (msg[end] == '.' || msg[end] == ':') && (end+1 == len(msg) || msg[end+1] == ' ')
		if (j == 0 || !part(msg[j-1]) || !part(v[0])) && (stop || !part(v[len(v)-1])) {
			return true
		}
		i = j + 1
	}
	return false
}

// unquote returns a JSON string's text, or v itself.
func unquote(v string) string {
	if s, err := strconv.Unquote(v); err == nil {
		return s
	}
	return v
}

// InputError is a *ValidationError of a cluster read from input
// documents, each problem told where the documents hold the field at
// fault (Sources.Explain). errors.As finds the *ValidationError.
type InputError struct {
	Problems []InputProblem `json:"problems"`
	Omitted  int            `json:"omitted,omitempty"` // problems found beyond MaxProblems
	// Err is the problems in the cluster's own field paths.
	Err *ValidationError `json:"-"`
}

func (e *InputError) Error() string { return problemList("invalid cluster", e.Problems, e.Omitted) }

// Unwrap returns the *ValidationError.
func (e *InputError) Unwrap() error { return e.Err }

// EstateSources is where the fields of an Estate were read from.
type EstateSources struct {
	// Estate maps the Estate's own field paths (VNet[0],
	// Subnets[1].Prefixes[0], Clusters[2].Subnets[0].Name).
	Estate Sources
	// Clusters[i] maps the field paths of cluster i as the estate
	// analyses it (Estate.Cluster): its own subnets, then the estate's
	// subnets its pools name, in the estate's order.
	Clusters []Sources
}

// Explain is Sources.Explain for an estate: a *ValidationError of the
// estate itself, or one of a cluster in an *EstateError, which stays an
// *EstateError around the *InputError. Any other error is returned as
// it is.
func (s EstateSources) Explain(err error) error {
	if ee, ok := err.(*EstateError); ok && ee != nil {
		if ee.Cluster < 0 || ee.Cluster >= len(s.Clusters) {
			return err
		}
		inner := s.Clusters[ee.Cluster].Explain(ee.Err)
		if inner == ee.Err {
			return err
		}
		return &EstateError{Cluster: ee.Cluster, Name: ee.Name, Err: inner}
	}
	return s.Estate.Explain(err)
}
