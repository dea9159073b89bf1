package count

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOf(t *testing.T) {
	assert.Equal(t, "1 problem", Of(1, "problem", "problems"))
	assert.Equal(t, "0 problems", Of(0, "problem", "problems"))
	assert.Equal(t, "2 nodes", Of(2, "node", "nodes"))
	assert.Equal(t, "1 node", Of(1.0, "node", "nodes"))
	assert.Equal(t, "1.5 nodes", Of(1.5, "node", "nodes"))
	assert.Equal(t, "4,899 more problems", Of(4899, "more problem", "more problems"))
}

func TestThousands(t *testing.T) {
	for want, got := range map[string]string{
		"0": Thousands(0), "999": Thousands(999), "1,000": Thousands(1000), "65,536": Thousands(65536),
		"-1,000": Thousands(-1000), "-999": Thousands(-999), "1,000,000": Thousands(1_000_000), "1,234.5": Thousands(1234.5),
		"251": Thousands(251.0), "1e+21": Thousands(1e21),
		"1,000 trials": Of(1000, "trial", "trials"), "1,000 nodes": Of(1000.0, "node", "nodes"),
	} {
		assert.Equal(t, want, got)
	}
}
