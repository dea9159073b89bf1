package capacity_test

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// goSyntax matches what fmt's %v makes of Go values that a message must
// spell in words: a slice or map ("[10.0.0.0/16]", "map[…]"), a nil, a
// pointer to a struct, a bad verb. A bracket after a name or an index is
// a field path ("Pools[1]") and is fine.
var goSyntax = regexp.MustCompile(`(^|[\s(:;,])\[|<nil>|&\{|map\[|%!`)

// Validate's messages, over generated clusters, most of them invalid,
// speak in words, never in Go's syntax.
func TestValidationMessagesHaveNoGoSyntax(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 19))
	invalid := 0
	for range 20000 {
		c := (&gen{b: genBytes(r)}).cluster()
		err := c.Validate()
		if err == nil {
			continue
		}
		invalid++
		if !assert.NotRegexp(t, goSyntax, err.Error()) {
			return
		}
	}
	assert.Greater(t, invalid, 10000)
}
