package aksjson_test

import (
	"fmt"
	"log"

	"github.com/ipcap/ipcap/capacity"
	"github.com/ipcap/ipcap/capacity/aksjson"
)

// Three clusters in one VNet, two of them sharing a node subnet and a pod
// subnet: how far each pool can grow beside the others, and where the next
// /24 fits.
func ExampleReadEstateFiles() {
	e, err := aksjson.ReadEstateFiles("testdata/estate-aks-list.json",
		"testdata/estate-vnet.json", "testdata/estate-subnets.json", "testdata/estate-usage.json")
	if err != nil {
		log.Fatal(err)
	}
	r, err := capacity.AnalyzeEstate(e)
	if err != nil {
		log.Fatal(err)
	}
	for i, c := range r.Clusters {
		for _, p := range c.Pools {
			fmt.Printf("%s/%s: %d of %d nodes (%s)\n", e.Clusters[i].Name, p.Name, p.AtMax, p.MaxNodes, p.Limit)
		}
	}
	fmt.Printf("VNet: %d of 65,536 addresses\n", r.VNetAddresses)
	next, err := e.Place(24)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("next /24:", next)
	// Output:
	// alpha/system: 3 of 100 nodes (pod-subnet)
	// alpha/user: 20 of 78 nodes (pod-subnet)
	// beta/system: 2 of 99 nodes (pod-subnet)
	// gamma/system: 40 of 247 nodes (node-subnet)
	// VNet: 1229 of 65,536 addresses
	// next /24: 10.30.5.0/24
}
