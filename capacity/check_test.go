package capacity_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/modes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// check runs Check and fails the test on an input error.
func check(t *testing.T, c capacity.Cluster, s capacity.Step) *capacity.Verdict {
	t.Helper()
	v, err := capacity.Check(c, s)
	require.NoError(t, err)
	return v
}

// TestAdmissionMessages reproduces public InsufficientSubnetSize messages
// (docs/aks-admission.md §1) figure for figure.
func TestAdmissionMessages(t *testing.T) {
	create := capacity.Step{Op: capacity.OpCreate}
	twoSubnets := func(n, maxPods int) capacity.Cluster {
		return capacity.Cluster{
			Mode:    modes.AzureCNI,
			Subnets: []capacity.Subnet{subnet("sys", "10.240.0.0/24"), subnet("nodes", "10.240.1.0/24")},
			Pools: []capacity.Pool{{Name: "system", Count: 1, NodeSubnet: "sys"},
				{Name: "big", Count: n, MaxPods: maxPods, NodeSubnet: "nodes"}},
		}
	}
	beside := capacity.Cluster{
		Mode:    modes.AzureCNI,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/24")},
		Pools:   []capacity.Pool{{Name: "system", Count: 1, MaxPods: 110}, {Name: "user", Count: 2, MaxPods: 110}},
	}
	overlay := func(n int, podCIDR string, m modes.Mode) capacity.Cluster {
		c := oneSubnet(m, "10.240.0.0/24", capacity.Pool{Count: n})
		c.PodCIDRs = []netipPrefix{pfx(podCIDR)}
		return c
	}
	era := func(c capacity.Cluster, a capacity.AdmissionEra) capacity.Cluster { c.Admission = a; return c }
	const iss = "InsufficientSubnetSize: Pre-allocated IPs "
	tests := []struct {
		name string
		c    capacity.Cluster
		step capacity.Step
		want string // "" = accepted
	}{
		// One node at the default 30 pods: "29 exceeds 27" on a /27, "29 exceeds 11" on a /28.
		{"one node /27", oneSubnet(modes.AzureCNI, "10.240.0.0/27", capacity.Pool{Count: 1}), create,
			iss + "29 exceeds IPs available 27 in Subnet Cidr 10.240.0.0/27, Subnet Name nodes"},
		{"one node /28", oneSubnet(modes.AzureCNI, "10.240.0.0/28", capacity.Pool{Count: 1}), create,
			iss + "29 exceeds IPs available 11 in Subnet Cidr 10.240.0.0/28, Subnet Name nodes"},
		// nodepool add --max-pods 250 into an empty /24: -c 1 passes, -c 2 is 2 × 249, -c 3 is 3 × 249.
		{"add 1 at 250", twoSubnets(1, 250), capacity.Step{Op: capacity.OpAddPool, Pool: "big"}, ""},
		{"add 2 at 250", twoSubnets(2, 250), capacity.Step{Op: capacity.OpAddPool, Pool: "big"},
			iss + "498 exceeds IPs available 251 in Subnet Cidr 10.240.1.0/24, Subnet Name nodes"},
		{"add 3 at 250", twoSubnets(3, 250), capacity.Step{Op: capacity.OpAddPool, Pool: "big"},
			iss + "747 exceeds IPs available 251 in Subnet Cidr 10.240.1.0/24, Subnet Name nodes"},
		// Two nodes at 110 beside a one-node pool at 110: 3 × 109 = 327, the
		// existing pool counted. (That message says 250 available, one less
		// than a /24's 251: unexplained, docs/aks-admission.md §1.)
		{"existing pool counted", beside, capacity.Step{Op: capacity.OpAddPool, Pool: "user"},
			iss + "327 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
		// A temporary pool of max_count 10: 10 × 29, counted at its max.
		{"autoscaler max", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 1, MinCount: 1, MaxCount: 10}),
			capacity.Step{Op: capacity.OpAddPool, Pool: "nodes"},
			iss + "290 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
		// 2 × 109 in a /25 and 4 × 109 in a /24.
		{"218 in /25", oneSubnet(modes.AzureCNI, "10.240.0.0/25", capacity.Pool{Count: 2, MaxPods: 110}), create,
			iss + "218 exceeds IPs available 123 in Subnet Cidr 10.240.0.0/25, Subnet Name nodes"},
		{"436 in /24", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 4, MaxPods: 110}), create,
			iss + "436 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
		// Overlay, --pod-cidr 192.168.0.0/19 -c 33: 33 × 256 against the whole /19.
		{"overlay 33 nodes", overlay(33, "192.168.0.0/19", modes.AzureCNIOverlay), create,
			iss + "8448 exceeds IPs available 8192 in Subnet Cidr 192.168.0.0/19, Subnet Name networkProfile.podCIDR"},
		// W10: 5 × 256 in a /22.
		{"W10", overlay(5, "10.241.100.0/22", modes.AzureCNIOverlay), create,
			iss + "1280 exceeds IPs available 1024 in Subnet Cidr 10.241.100.0/22, Subnet Name networkProfile.podCIDR"},
		{"W10 fits", overlay(4, "10.241.100.0/22", modes.AzureCNIOverlay), create, ""},
		// kubenet's older pod CIDR check.
		{"kubenet 2020", era(overlay(5, "10.241.100.0/22", modes.Kubenet), capacity.Admission2020), create,
			"InsufficientPodCidr: Pre-allocated IPs 1280 exceeds IPs available 1024 in Pod Cidr 10.241.100.0/22"},
		// W8 and W9, the 2018–2019 rule: maxPods + 1 a node.
		{"W8 2018", era(oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 10}), capacity.Admission2018), create,
			iss + "310 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
		{"W9 2018", era(oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 3, MaxPods: 110}), capacity.Admission2018), create,
			iss + "333 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
		// The same ten nodes today: 10 × 29.
		{"W8 now", oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Count: 10}), create,
			iss + "290 exceeds IPs available 251 in Subnet Cidr 10.240.0.0/24, Subnet Name nodes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := capacity.Preflight(tt.c, tt.step)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var ae *capacity.AdmissionError
			require.ErrorAs(t, err, &ae)
			assert.EqualError(t, err, tt.want)
			v := check(t, tt.c, tt.step)
			assert.Equal(t, ae, v.Refusal, "Preflight is Check's refusal")
			assert.Nil(t, v.Failure, "a refused step never runs")
		})
	}
}

// Y is the usable size: addresses others use do not reduce it, they make
// the accepted step fail.
func TestCheckReservedFailsAfterAdmission(t *testing.T) {
	c := capacity.Cluster{
		Mode:    modes.AzureCNI,
		Subnets: []capacity.Subnet{subnet("nodes", "10.240.0.0/24")},
		Pools:   []capacity.Pool{{Name: "a", Count: 4, MaxSurge: capacity.SurgeNodes(1)}, {Name: "b", Count: 3}},
	}
	// 7 × 29 = 203 now; one more node makes 232, two 261.
	scale := func(n int) capacity.Step { return capacity.Step{Op: capacity.OpScale, Pool: "a", Nodes: n} }
	assert.Equal(t, &capacity.Verdict{}, check(t, c, scale(5)), "8 × 31 = 248 real addresses fit 251")
	v := check(t, c, scale(6))
	require.NotNil(t, v.Refusal)
	assert.Equal(t, capacity.AdmissionError{Op: capacity.OpScale, Pool: "a", Code: capacity.CodeInsufficientSubnetSize,
		Limit: capacity.LimitNodeSubnet, Space: "nodes", CIDR: "10.240.0.0/24", Required: 261, Available: 251}, *v.Refusal)
	assert.Equal(t, &capacity.Verdict{}, check(t, c, scale(1)), "a scale-in")
	// Upgrades: a's surge of 1 and b's 10% of 3 (1) both make 8 × 29 = 232.
	assert.Equal(t, &capacity.Verdict{}, check(t, c, capacity.Step{Op: capacity.OpUpgrade, Pool: "a"}))
	assert.Equal(t, &capacity.Verdict{}, check(t, c, capacity.Step{Op: capacity.OpUpgrade, Pool: "b"}))

	// Five addresses held by a load balancer: AKS still counts 232 of 251,
	// but 7 × 31 + 5 = 222 leave 29, less than the eighth node's 31.
	c.Subnets[0].Reserved = 5
	v = check(t, c, scale(5))
	assert.Nil(t, v.Refusal)
	require.NotNil(t, v.Failure)
	assert.Equal(t, capacity.Exhaustion{Step: 0, Pool: "a", Nodes: 4, Space: "nodes", Limit: capacity.LimitNodeSubnet,
		Code: capacity.CodeSubnetIsFull, CIDR: "10.240.0.0/24", Requested: 31}, *v.Failure)
	assert.Equal(t, "accepted by AKS, then fails: pool a, growing from 4 nodes: SubnetIsFull: Subnet nodes with address prefix 10.240.0.0/24 does not have enough capacity for 31 IP addresses", v.String())
	// The upgrade's surge node is one request of 31 too.
	v = check(t, c, capacity.Step{Op: capacity.OpUpgrade, Pool: "a"})
	require.NotNil(t, v.Failure)
	assert.Equal(t, 31, v.Failure.Requested)
}

func TestCheckAutoscaler(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/24", capacity.Pool{Name: "user", Count: 2, MinCount: 1, MaxCount: 5})
	// The CLI refuses a manual scale of an autoscaled pool.
	v := check(t, c, capacity.Step{Op: capacity.OpScale, Pool: "user", Nodes: 3})
	require.NotNil(t, v.Refusal)
	assert.EqualError(t, v.Refusal, "scale of pool user: Cannot scale cluster autoscaler enabled node pool.")

	// Raising the max to 8 counts 8 × 29 = 232; 9 would count 261.
	autoscale := func(n int) capacity.Step { return capacity.Step{Op: capacity.OpAutoscale, Pool: "user", Nodes: n} }
	assert.Equal(t, &capacity.Verdict{}, check(t, c, autoscale(8)), "6 new nodes ask 186 of 189 free")
	v = check(t, c, autoscale(9))
	require.NotNil(t, v.Refusal)
	assert.Equal(t, 261, v.Refusal.Required)
	assert.Equal(t, capacity.OpAutoscale, v.Refusal.Op)

	// With 10 addresses held by others the autoscaler's scale-up to 8 is one
	// request for 6 × 31 = 186 addresses, and 251 − 10 − 62 = 179 are free:
	// it fails as a whole, no node added.
	c.Subnets[0].Reserved = 10
	v = check(t, c, autoscale(8))
	assert.Nil(t, v.Refusal)
	require.NotNil(t, v.Failure)
	assert.Equal(t, capacity.Exhaustion{Step: 0, Pool: "user", Nodes: 2, Space: "nodes", Limit: capacity.LimitNodeSubnet,
		Code: capacity.CodeSubnetIsFull, CIDR: "10.240.0.0/24", Requested: 186}, *v.Failure)

	// Simulate's scale of the pool is that same request.
	tl, err := capacity.Simulate(context.Background(), c, capacity.Scenario{Steps: []capacity.Step{{Op: capacity.OpScale, Pool: "user", Nodes: 8}}})
	require.NoError(t, err)
	assert.Equal(t, v.Failure, tl.Exhausted)
	assert.Equal(t, 2, tl.Steps[0].Nodes[0])
}

// A static-block pod subnet is admitted at one /28 a node, but a node at
// 250 pods needs ceil(251 / 16) = 16 blocks.
func TestCheckStaticBlockAcceptsThenStarves(t *testing.T) {
	c := podSubnet(modes.AzureCNIStaticBlock, "10.240.0.0/24", "10.240.4.0/26", capacity.Pool{Count: 3, MaxPods: 250})
	v := check(t, c, capacity.Step{Op: capacity.OpCreate})
	assert.Nil(t, v.Refusal, "3 × 16 = 48 of the /26's 59")
	require.NotNil(t, v.Failure)
	// The /26 holds four /28s; Azure's reserved addresses spoil the first and last.
	assert.Equal(t, capacity.Exhaustion{Step: 0, Pool: "p", Nodes: 0, Space: "pods", Limit: capacity.LimitPodSubnet,
		Code: capacity.CodeSubnetIsFull, CIDR: "10.240.4.0/26", Requested: 256}, *v.Failure)
	c.Pools[0].Count = 4
	v = check(t, c, capacity.Step{Op: capacity.OpCreate})
	require.NotNil(t, v.Refusal, "4 × 16 = 64 > 59")
	assert.Equal(t, 64, v.Refusal.Required)
	assert.Equal(t, 59, v.Refusal.Available)
}

// W14: a dynamic /24 pod subnet admits 15 nodes, 16 a node.
func TestCheckDynamicPodSubnet(t *testing.T) {
	c := podSubnet(modes.AzureCNIPodSubnet, "10.240.0.0/22", "10.240.4.0/24", capacity.Pool{Count: 15, PodsPerNode: 5})
	assert.Nil(t, check(t, c, capacity.Step{Op: capacity.OpCreate}).Refusal)
	v := check(t, c, capacity.Step{Op: capacity.OpScale, Pool: "p", Nodes: 16})
	require.NotNil(t, v.Refusal)
	assert.EqualError(t, v.Refusal, "InsufficientSubnetSize: Pre-allocated IPs 256 exceeds IPs available 251 in Subnet Cidr 10.240.4.0/24, Subnet Name pods")
}

// AKS never checks a bring-your-own CNI's own pool: running out of it is a
// failure only.
func TestCheckBYOCNIPoolIsNotAdmitted(t *testing.T) {
	c := oneSubnet(modes.BYOCNICalico, "10.240.0.0/24", capacity.Pool{Count: 10, PodsPerNode: 30})
	c.CNIPool = []netipPrefix{pfx("100.64.0.0/24")}
	v := check(t, c, capacity.Step{Op: capacity.OpCreate})
	assert.Nil(t, v.Refusal)
	require.NotNil(t, v.Failure)
	// 300 pods and 10 tunnel addresses in 256: /26 blocks of 64, one
	// claimed by each of four nodes for its 30 pods and tunnel address;
	// nodes 5–8 borrow 31 of the 4 × 33 left; node 9 finds 8 for its 31.
	assert.Equal(t, capacity.Exhaustion{Step: 0, Pool: "nodes", Nodes: 8, Space: "cni-pool", Limit: capacity.LimitCNIPool,
		CIDR: "100.64.0.0/24", Requested: 31}, *v.Failure)
}

func TestCheckCountLimits(t *testing.T) {
	big := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/16", capacity.Pool{Count: 950, MaxSurge: capacity.SurgePercent(10)})
	v := check(t, big, capacity.Step{Op: capacity.OpUpgrade, Pool: "nodes"})
	require.NotNil(t, v.Refusal)
	assert.EqualError(t, v.Refusal, "upgrade of pool nodes needs 1,045 nodes in the pool, more than AKS's per-pool limit of 1,000")

	// The surge is a share of the pool's size at the upgrade, its Count,
	// not its autoscaler max: 10 nodes and 10% of them (1) are far from
	// the limit, though the max is 1,000.
	scaled := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/16", capacity.Pool{Count: 10, MinCount: 1, MaxCount: 1000, MaxSurge: capacity.SurgePercent(10)})
	scaled.PodCIDRs = []netipPrefix{pfx("100.64.0.0/12")} // 4,096 nodes' /24s
	assert.Equal(t, &capacity.Verdict{}, check(t, scaled, capacity.Step{Op: capacity.OpUpgrade, Pool: "nodes"}))

	kubenet := oneSubnet(modes.Kubenet, "10.240.0.0/16", capacity.Pool{Count: 395})
	kubenet.PodCIDRs = []netipPrefix{pfx("100.64.0.0/12")}
	assert.Nil(t, check(t, kubenet, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 400}).Refusal)
	v = check(t, kubenet, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 401})
	require.NotNil(t, v.Refusal)
	assert.Equal(t, capacity.LimitRouteTable, v.Refusal.Limit)
	assert.Equal(t, [2]int{401, 400}, [2]int{v.Refusal.Required, v.Refusal.Available})
	kubenet.CustomRoutes = 3
	v = check(t, kubenet, capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: 398})
	require.NotNil(t, v.Refusal, "398 node routes and 3 custom ones")
	assert.EqualError(t, v.Refusal, "scale of pool nodes needs 401 routes, more than the route table's 400")
}

func TestCheckBadStep(t *testing.T) {
	c := oneSubnet(modes.Kubenet, "10.240.0.0/24", capacity.Pool{Count: 3})
	tests := []struct {
		step capacity.Step
		want capacity.StepError
	}{
		{capacity.Step{Op: capacity.OpScale, Pool: "nope", Nodes: 3},
			capacity.StepError{Index: -1, Field: "Step.Pool", Value: `"nope"`, Reason: `want one of the cluster's pools: "nodes"`}},
		{capacity.Step{Op: capacity.OpScale, Pool: "nodes", Nodes: -1},
			capacity.StepError{Index: -1, Field: "Step.Nodes", Value: "-1", Reason: "want a node count of 0 or more"}},
		{capacity.Step{Op: 99, Pool: "nodes"},
			capacity.StepError{Index: -1, Field: "Step.Op", Value: "99", Reason: "want create, scale, upgrade, add-pool, churn, autoscale, migrate, expand-pod-cidr or grow"}},
		{capacity.Step{Op: capacity.OpAutoscale, Pool: "nodes", Nodes: 0},
			capacity.StepError{Index: -1, Field: "Step.Nodes", Value: "0", Reason: "want a max count of at least 1, the pool's min count"}},
	}
	for _, tt := range tests {
		v, err := capacity.Check(c, tt.step)
		assert.Nil(t, v)
		var se *capacity.StepError
		require.ErrorAs(t, err, &se, "%+v", tt.step)
		assert.Equal(t, tt.want, *se)
		assert.Equal(t, err, capacity.Preflight(c, tt.step))
		var ve *capacity.ValidationError
		assert.False(t, errors.As(err, &ve), "a bad step is not an invalid cluster")
	}
}

func TestVerdictJSON(t *testing.T) {
	c := oneSubnet(modes.AzureCNI, "10.240.0.0/27", capacity.Pool{Count: 1})
	b, err := json.Marshal(check(t, c, capacity.Step{Op: capacity.OpCreate}))
	require.NoError(t, err)
	assert.JSONEq(t, `{"refusal": {"op": "create", "pool": "", "code": "InsufficientSubnetSize", "limit": "node-subnet",
		"space": "nodes", "cidr": "10.240.0.0/27", "required": 29, "available": 27}}`, string(b))

	// Nothing refused, nothing failing: no field at all, and back.
	b, err = json.Marshal(&capacity.Verdict{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b))
	var v capacity.Verdict
	require.NoError(t, json.Unmarshal(b, &v))
	assert.Equal(t, capacity.Verdict{}, v)
	// A failure alone: a /26 has 64 − 5 = 59 usable addresses and admits
	// the node's 29; its scale set asks for 1 + 30 = 31 with 30 held by
	// others, 29 free.
	c = oneSubnet(modes.AzureCNI, "10.240.0.0/26", capacity.Pool{Count: 1})
	c.Subnets[0].Reserved = 30
	b, err = json.Marshal(check(t, c, capacity.Step{Op: capacity.OpCreate}))
	require.NoError(t, err)
	assert.NotContains(t, string(b), "refusal")
	assert.Contains(t, string(b), `"failure":{`)
}

// TestCheckFailureIsSimulate: on random clusters and steps, an accepted
// step's Failure is what Simulate reports for the same step, and a step
// Check finds no failure in leaves the pool where the step puts it.
func TestCheckFailureIsSimulate(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 12))
	ctx := context.Background()
	seen := map[string]int{}
	for range 300 {
		c := randomStaticCluster(r)
		if c.Validate() != nil {
			continue
		}
		p := c.Pools[r.IntN(len(c.Pools))]
		ops := []capacity.Step{
			{Op: capacity.OpCreate},
			{Op: capacity.OpScale, Pool: p.Name, Nodes: r.IntN(3 * (p.Count + 1))},
			{Op: capacity.OpUpgrade, Pool: p.Name},
			{Op: capacity.OpAutoscale, Pool: p.Name, Nodes: 1 + r.IntN(3*(p.Count+1))},
		}
		s := ops[r.IntN(len(ops))]
		v, err := capacity.Check(c, s)
		require.NoError(t, err)
		if v.Refusal != nil {
			seen["refused"]++
			continue
		}
		tl, err := capacity.Simulate(ctx, c, capacity.Scenario{Steps: []capacity.Step{s}})
		require.NoError(t, err)
		require.Equal(t, tl.Exhausted, v.Failure, "%+v %+v", c, s)
		if v.Failure != nil {
			seen["fails"]++
			if v.Failure.Code == capacity.CodeSubnetIsFull {
				assert.Positive(t, v.Failure.Requested)
			}
			continue
		}
		seen["ok"]++
		want := map[capacity.Op]int{capacity.OpScale: s.Nodes, capacity.OpAutoscale: s.Nodes}
		if n, ok := want[s.Op]; ok {
			last := tl.Steps[len(tl.Steps)-1]
			for i, q := range c.Pools {
				if q.Name == p.Name {
					assert.Equal(t, n, last.Nodes[i], "%+v", s)
				}
			}
		}
	}
	t.Log(fmt.Sprint(seen))
	for _, k := range []string{"refused", "fails", "ok"} {
		assert.Positive(t, seen[k], "no %s verdicts among the draws", k)
	}
}

// An upgrade's admission counts an autoscaled pool at its max and its
// surge nodes as a share of its Count, the size at the time of the
// upgrade [API]: in Overlay a node takes one address of the /26's 59.
func TestCheckUpgradeSurgeOfCount(t *testing.T) {
	c := oneSubnet(modes.AzureCNIOverlay, "10.240.0.0/26", capacity.Pool{Count: 10, MinCount: 1, MaxCount: 50, MaxSurge: capacity.SurgePercent(33)})
	upgrade := capacity.Step{Op: capacity.OpUpgrade, Pool: "nodes"}
	// 50 at max + 33% of 10 (4) = 54 of 59; 33% of 50 would be 17: 67.
	assert.Equal(t, &capacity.Verdict{}, check(t, c, upgrade))
	// At 30 nodes the surge is 10: 60 of 59.
	c.Pools[0].Count = 30
	v := check(t, c, upgrade)
	require.NotNil(t, v.Refusal)
	assert.Equal(t, [2]int{60, 59}, [2]int{v.Refusal.Required, v.Refusal.Available})
	// The upgrade of every pool counts the same.
	v = check(t, c, capacity.Step{Op: capacity.OpUpgrade})
	require.NotNil(t, v.Refusal)
	assert.Equal(t, [2]int{60, 59}, [2]int{v.Refusal.Required, v.Refusal.Available})
}
