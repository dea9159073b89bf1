package tfplan

import (
	"iter"
	"strings"
)

// join joins module addresses or address parts with a dot; a is "" at the
// root module.
func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// outsideKeys yields the index of every byte of the address s outside its
// instance keys: the brackets are left out with what they hold, quoted
// strings and their escapes included.
func outsideKeys(s string) iter.Seq[int] {
	return func(yield func(int) bool) {
		depth := 0
		inStr := false
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case inStr:
				if c == '\\' {
					i++
				} else if c == '"' {
					inStr = false
				}
			case c == '[':
				depth++
			case c == ']' && depth > 0:
				depth--
			case depth > 0:
				inStr = c == '"'
			case !yield(i):
				return
			}
		}
	}
}

// stripKeys removes instance keys from a module address:
// module.a[0].module.b["x"] → module.a.module.b.
func stripKeys(s string) string {
	var b strings.Builder
	for i := range outsideKeys(s) {
		b.WriteByte(s[i])
	}
	return b.String()
}

// segments splits a reference at dots outside brackets:
// module.a["x.y"].out → module, a["x.y"], out.
func segments(s string) []string {
	var out []string
	start := 0
	for i := range outsideKeys(s) {
		if s[i] == '.' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// splitKey splits a trailing instance key: ids["a"] → ids, ["a"].
func splitKey(s string) (name, key string) {
	if i := strings.IndexByte(s, '['); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
