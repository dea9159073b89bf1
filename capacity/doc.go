// Package capacity answers the questions AKS users otherwise learn from a
// failed upgrade: how many nodes each pool can reach before addresses run
// out, what runs out first, whether AKS accepts a create, scale, upgrade or
// new pool, and what subnet and pod CIDR sizes to use instead.
//
// A Cluster is a plain description: its networking mode, subnets, pod and
// service ranges and node pools. Validate reports every malformed field at
// once, with AKS's error code where AKS has one. Analyze, Preflight and
// Recommend are closed forms over the rules of package modes; Simulate and
// Forecast replay growth through real ipam allocators.
//
// Rules cite the keys of ipcap's reference notes, as in package modes.
package capacity
