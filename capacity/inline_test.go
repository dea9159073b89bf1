package capacity_test

import (
	"testing"

	"github.com/ipcap/ipcap/internal/gcm"
	"github.com/stretchr/testify/assert"
)

// TestEscapes pins what the comments say moves to the heap, by asking the
// compiler (see ipam's TestInlining): a claim that stops holding fails here.
func TestEscapes(t *testing.T) {
	ds := gcm.Build(t)
	// validate.go, checkSpec: errors.As takes se's address, so se moves to
	// the heap; declared in the branch of an invalid Spec, it costs an
	// allocation only there.
	se := gcm.LineOf(t, "validate.go", "var se *modes.SpecError")
	assert.True(t, gcm.Has(ds, "validate.go", se, "moved to heap: se"), "validate.go:%d: se moves to the heap", se)
	invalid := gcm.LineOf(t, "validate.go", "if err := s.Validate(); err != nil {")
	assert.Equal(t, invalid+1, se, "validate.go:%d: se is declared in the branch of an invalid Spec", se)
}
