package aksjson_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcap/ipcap/capacity/aksjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFiles(t *testing.T) {
	c, err := aksjson.ReadFiles("testdata/kubenet.json", "testdata/kubenet-vnet.json")
	require.NoError(t, err)
	assert.Equal(t, read(t, "kubenet.json", "kubenet-vnet.json"), c)

	dir := t.TempDir()
	bad := filepath.Join(dir, "vnet.json")
	vnet := testdata(t, "kubenet-vnet.json")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(vnet, `"10.240.0.0/24"`, `24`, 1)), 0o644))
	_, err = aksjson.ReadFiles("testdata/kubenet.json", bad)
	assert.EqualError(t, err, "aksjson: "+bad+`: subnets[0].addressPrefix: 24: want a CIDR string such as "10.240.0.0/24"`)
	checkMessage(t, err, bad)

	missing := filepath.Join(dir, "missing.json")
	_, err = aksjson.ReadFiles(missing)
	assert.EqualError(t, err, "aksjson: "+missing+": cannot open: no such file or directory")
	_, err = aksjson.ReadFiles("testdata/kubenet.json", "testdata/kubenet-vnet.json", missing)
	assert.ErrorContains(t, err, missing)
}

// spaces reads n blanks.
type spaces struct{ n int64 }

func (s *spaces) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), s.n)]
	for i := range p {
		p[i] = ' '
	}
	s.n -= int64(len(p))
	return len(p), nil
}

// padded is a cluster document with no pools of exactly size bytes.
func padded(size int64) io.Reader {
	const head, tail = `{"agentPoolProfiles":`, `[]}`
	return io.MultiReader(strings.NewReader(head), &spaces{size - int64(len(head)+len(tail))}, strings.NewReader(tail))
}

func TestDocumentSizeLimit(t *testing.T) {
	// At the limit the document is read (and found to have no pools).
	_, err := aksjson.ReadCluster(padded(aksjson.MaxDocumentSize))
	assert.EqualError(t, err, "aksjson: cluster: agentPoolProfiles: no node pools: a cluster needs at least one")
	// One byte more is refused, in the cluster or in a network document.
	_, err = aksjson.ReadCluster(padded(aksjson.MaxDocumentSize + 1))
	assert.EqualError(t, err, "aksjson: cluster: at byte 67108864: the document is larger than 64 MiB, the most aksjson reads")
	kubenet := testdata(t, "kubenet.json")
	_, err = aksjson.ReadCluster(strings.NewReader(kubenet), io.MultiReader(strings.NewReader("["), &spaces{aksjson.MaxDocumentSize}))
	assert.ErrorContains(t, err, "aksjson: network[0]: at byte 67108864: the document is larger than 64 MiB")
	// ReadEstate's clusters document too.
	_, err = aksjson.ReadEstate(io.MultiReader(strings.NewReader("["), &spaces{aksjson.MaxDocumentSize}))
	assert.EqualError(t, err, "aksjson: clusters: at byte 67108864: the document is larger than 64 MiB, the most aksjson reads")
}

// manyPools is an `az aks show` of n pools, each in its own subnet, with
// the VNet and list-usage documents that describe them.
func manyPools(n int) (cluster, vnet, usage string) {
	const id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s%d"
	var c, v, u strings.Builder
	c.WriteString(`{"agentPoolProfiles": [`)
	v.WriteString(`{"id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", "addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}, "subnets": [`)
	u.WriteString(`[`)
	for i := range n {
		if i > 0 {
			c.WriteString(",")
			v.WriteString(",")
			u.WriteString(",")
		}
		fmt.Fprintf(&c, `{"name": "p%d", "count": 1, "maxPods": 30, "vnetSubnetId": "`+id+`", "upgradeSettings": {"maxSurge": "1"}}`, i, i)
		fmt.Fprintf(&v, `{"id": "`+id+`", "name": "s%d", "addressPrefix": "10.%d.%d.0/24"}`, i, i, i/256, i%256)
		fmt.Fprintf(&u, `{"id": "`+id+`", "currentValue": 40}`, i)
	}
	c.WriteString(`], "networkProfile": {"networkPlugin": "azure"}}`)
	v.WriteString(`]}`)
	u.WriteString(`]`)
	return c.String(), v.String(), u.String()
}

// TestManyPools: 5,000 pools, each on its own subnet with usage, read
// whole. How the time grows with the document is a benchmark
// (BenchmarkReadManyPools), not a test.
func TestManyPools(t *testing.T) {
	const n = 5000
	c, v, u := manyPools(n)
	got, err := aksjson.ReadCluster(strings.NewReader(c), strings.NewReader(v), strings.NewReader(u))
	require.NoError(t, err)
	require.Len(t, got.Pools, n)
	require.Len(t, got.Subnets, n)
	require.Equal(t, 9, got.Subnets[n-1].Reserved, "40 in use less the node's 31")
}

// BenchmarkReadManyPools reads 500 and 5,000 pools: the second should take
// about ten times the first (matching subnets and usage pool by pool took
// over forty).
func BenchmarkReadManyPools(b *testing.B) {
	for _, n := range []int{500, 5000} {
		c, v, u := manyPools(n)
		b.Run(fmt.Sprintf("pools=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := aksjson.ReadCluster(strings.NewReader(c), strings.NewReader(v), strings.NewReader(u)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
