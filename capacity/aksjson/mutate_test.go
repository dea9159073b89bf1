package aksjson_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/aksjson"
	"github.com/stretchr/testify/require"
)

// goInternals are shapes of Go's own vocabulary that must never reach a
// user: type names, struct literals, reflection's messages, unnamed enums.
var goInternals = regexp.MustCompile(`\w+Doc\b|struct \{|Go struct field|Mode\(\d+\)|Policy\(\d+\)|\*?\[\]\w+\.|json: cannot unmarshal`)

// checkMessage fails t unless err speaks the user's document: no Go
// internals, one of docs named, and a path or a byte offset.
func checkMessage(t testing.TB, err error, docs ...string) {
	t.Helper()
	msg := err.Error()
	require.Empty(t, goInternals.FindString(msg), "error speaks Go: %s", msg)
	var ae *aksjson.Error
	require.ErrorAs(t, err, &ae, msg)
	require.False(t, ae.Path == "" && ae.Offset < 0, "error names neither a path nor an offset: %s", msg)
	require.True(t, slices.Contains(docs, ae.Doc) && strings.Contains(msg, ": "+ae.Doc+": "), "error names document %q, want one of %q: %s", ae.Doc, docs, msg)
}

// mutation replaces the value at one place in a document; nil deletes it.
type mutation struct {
	name string
	f    func(v any) (any, bool)
}

func constant(name string, c any) mutation {
	return mutation{name, func(any) (any, bool) { return c, true }}
}

var mutations = []mutation{
	constant("string", "x"),
	constant("CIDR-like string", "10.0.0.0/33"),
	constant("numeric string", "3"),
	constant("empty string", ""),
	constant("number", json.Number("7")),
	constant("negative", json.Number("-5")),
	constant("fraction", json.Number("1.5")),
	constant("huge", json.Number("99999999999999999999999")),
	constant("exponent", json.Number("1e400")),
	constant("max int", json.Number("9223372036854775807")),
	constant("true", true),
	constant("null", nil),
	constant("empty object", map[string]any{}),
	constant("empty list", []any{}),
	constant("list of number", []any{json.Number("1")}),
	constant("list of null", []any{nil}),
	{"delete", func(any) (any, bool) { return nil, false }},
	{"wrap in list", func(v any) (any, bool) { return []any{v}, true }},
	{"wrap in object", func(v any) (any, bool) { return map[string]any{"value": v}, true }},
	{"duplicate list", func(v any) (any, bool) {
		l, ok := v.([]any)
		if !ok {
			return v, true
		}
		return append(append([]any{}, l...), l...), true
	}},
	{"long string", func(v any) (any, bool) { return strings.Repeat("a/", 200), true }},
}

// places lists the paths of every value in v, as lists of keys and indexes.
func places(v any, at []any, out *[][]any) {
	*out = append(*out, append([]any(nil), at...))
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			places(x[k], append(at, k), out)
		}
	case []any:
		for i, e := range x {
			places(e, append(at, i), out)
		}
	}
}

// mutate returns a deep copy of v with m applied at the place at.
func mutate(v any, at []any, m mutation) any {
	if len(at) == 0 {
		nv, _ := m.f(v)
		return nv
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = e
		}
		k := at[0].(string)
		if len(at) == 1 {
			if nv, keep := m.f(x[k]); keep {
				out[k] = nv
			} else {
				delete(out, k)
			}
			return out
		}
		out[k] = mutate(x[k], at[1:], m)
		return out
	case []any:
		out := append([]any(nil), x...)
		i := at[0].(int)
		if len(at) == 1 {
			if nv, keep := m.f(x[i]); keep {
				out[i] = nv
			} else {
				out = append(out[:i], out[i+1:]...)
			}
			return out
		}
		out[i] = mutate(x[i], at[1:], m)
		return out
	}
	return v
}

func load(t testing.TB, name string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(testdata(t, name)))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

func encode(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// TestMutatedDocumentsSpeakJSON reads thousands of `az aks show` and
// network documents, each with one value replaced by the wrong kind,
// deleted, duplicated or out of range, and checks that every error speaks
// the user's document, never Go.
func TestMutatedDocumentsSpeakJSON(t *testing.T) {
	mutateAll(t, "cluster", [][]string{
		{"kubenet.json", "kubenet-vnet.json"},
		{"overlay-cilium.json", "overlay-cilium-vnet.json"},
		{"legacy-cni.json", "legacy-cni-subnet.json"},
		{"podsubnet-static.json", "podsubnet-static-vnet.json"},
		{"byocni.json", "byocni-vnet.json", "byocni-usage.json"},
		{"managed.json"},
		{"dualstack.json", "dualstack-vnet.json"},
	}, func(first io.Reader, network ...io.Reader) error {
		_, err := aksjson.ReadCluster(first, network...)
		return err
	})
}

// TestMutatedEstatesSpeakJSON is TestMutatedDocumentsSpeakJSON for
// ReadEstate: each shape of the clusters document, the VNet, the subnet
// list and list-usage.
func TestMutatedEstatesSpeakJSON(t *testing.T) {
	mutateAll(t, "clusters", [][]string{
		{"estate-aks-list.json", "estate-vnet.json", "estate-subnets.json", "estate-usage.json"},
		{"estate-graph.json", "estate-vnet.json"},
		{"estate-rest.json", "estate-vnet.json"},
		{"estate-alpha.json", "estate-subnets.json"},
	}, func(first io.Reader, network ...io.Reader) error {
		e, err := aksjson.ReadEstate(first, network...)
		if err == nil {
			_, _ = capacity.AnalyzeEstate(e) // must not panic
		}
		return err
	})
}

// mutateAll reads each set of documents (the first named first, the others
// network[i]) with every mutation at every place of every document.
func mutateAll(t *testing.T, first string, sets [][]string, read func(first io.Reader, network ...io.Reader) error) {
	total, failures := 0, 0
	for _, set := range sets {
		all := make([]any, len(set))
		docs := []string{first}
		for i := range set[1:] {
			docs = append(docs, fmt.Sprintf("network[%d]", i))
		}
		for i, name := range set {
			all[i] = load(t, name)
		}
		for target := range set {
			var ps [][]any
			places(all[target], nil, &ps)
			for _, at := range ps {
				for _, m := range mutations {
					readers := make([]io.Reader, len(set))
					for i := range set {
						v := all[i]
						if i == target {
							v = mutate(v, at, m)
						}
						readers[i] = bytes.NewReader(encode(t, v))
					}
					total++
					err := read(readers[0], readers[1:]...)
					if err == nil {
						continue
					}
					failures++
					t.Run(fmt.Sprintf("%s/%v/%s", set[target], at, m.name), func(t *testing.T) {
						checkMessage(t, err, docs...)
					})
				}
			}
		}
	}
	t.Logf("%d documents, %d refused", total, failures)
	require.Greater(t, total, 2000)
	require.Greater(t, failures, total/4, "the mutations must reach the reader's errors")
}
