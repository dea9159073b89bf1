package tfplan_test

import (
	"fmt"
	"os"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/tfplan"
)

// Read the output of `terraform show -json plan.out > plan.json` and check
// each cluster before `terraform apply`.
func ExampleReadClusters() {
	f, err := os.Open("testdata/example-plan-azurerm-v4.81.0.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	clusters, err := tfplan.ReadClusters(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range clusters {
		fmt.Println(c.Mode, c.Subnets[0].Name, c.Subnets[0].Prefixes, "valid:", c.Validate() == nil)
		a, err := capacity.Analyze(c)
		if err != nil {
			fmt.Println(err)
			return
		}
		for i, p := range c.Pools {
			fmt.Printf("pool %s: %d nodes committed, room for %d (%v)\n", p.Name, p.AtMax(), a.Pools[i].MaxNodes, a.Pools[i].Limit)
		}
	}
	// Output:
	// azure-cni snet-aks-nodes [10.10.0.0/22] valid: true
	// pool system: 3 nodes committed, room for 16 (node-subnet)
	// pool user: 10 nodes committed, room for 18 (node-subnet)
}
