// Package tfplan reads a Terraform plan of AKS clusters (azurerm provider,
// v3 or v4) into capacity.Cluster values, so that a cluster can be checked
// before `terraform apply` builds it.
//
//	terraform plan -out plan.out
//	terraform show -json plan.out > plan.json
//
//	f, _ := os.Open("plan.json")
//	clusters, err := tfplan.ReadClusters(f)
//	for _, c := range clusters {
//		a, err := capacity.Analyze(c)
//		...
//	}
//
// # What is read
//
// Every azurerm_kubernetes_cluster becomes one Cluster: its
// default_node_pool and every azurerm_kubernetes_cluster_node_pool whose
// kubernetes_cluster_id leads to it become Pools, its network_profile the
// Mode, Policy, DualStack (ip_versions), pod and service ranges and DNS
// service IP. The subnets the
// pools name in vnet_subnet_id and pod_subnet_id are azurerm_subnet
// resources (or data sources) of the plan; the VNet is the address_space of
// the azurerm_virtual_network with the subnet's virtual_network_name and
// resource_group_name.
//
// Values come from planned_values (from resource_changes[].change.after
// when a plan has no planned_values). Resource IDs are not known before
// apply, so an ID attribute that is unknown is followed through the plan's
// configuration: the references of its expression
// (["azurerm_subnet.nodes.id", "azurerm_subnet.nodes"]) lead to the
// resource, through module input variables (var.x, to the module call's
// argument) and module outputs (module.net.x, to the output's expression)
// where the configuration passes it on. An ID that is known — a literal, a
// root variable, a resource that already exists — is matched to the id of
// a resource in the plan or in prior_state; an ID of a subnet the plan does
// not contain is an error that says what to add (a data "azurerm_subnet"
// block, whose values the plan carries). A reference to a resource with
// count or for_each picks the instance with the referencing resource's own
// index; with none such and more than one instance, it is an error.
//
// Conventions follow capacity/aksjson: a pool without vnet_subnet_id uses
// the AKS-managed VNet (10.224.0.0/12, subnet aksjson.ManagedSubnet,
// 10.224.0.0/16); absent max_pods and max_surge mean the mode's and the
// cluster's defaults (zero fields); network plugin "none" reads as
// modes.BYOCNICalico. Subnet.Reserved is zero: a plan does not know what
// else uses a subnet. An autoscaled pool without a known node_count starts
// at min_count, which is what azurerm sends AKS.
//
// # Dual-stack
//
// network_profile ip_versions ["IPv4", "IPv6"] (in either order) makes a
// dual-stack cluster (Cluster.DualStack); ["IPv4"], [] and null are
// single-stack, and so is an ip_versions the plan does not know when the
// configuration does not set it (AKS's default). One the configuration
// sets to a value not known before apply is an error, as are names other
// than IPv4 and IPv6, a name given twice and IPv6 alone. IPv6 ranges are
// kept wherever the plan has them, beside the IPv4 ones and in the plan's
// order: pod_cidrs, service_cidrs, a subnet's address_prefixes and a
// VNet's address_space. capacity.Validate judges them: a single-stack
// cluster's subnets and VNet may hold IPv6 prefixes, its pod and service
// ranges may not.
//
// # Errors
//
// Errors are *Error values naming the resource address
// (azurerm_kubernetes_cluster.main), the attribute path
// (default_node_pool[0].max_pods), the value as the plan spells it and what
// was expected. Every field that is read is checked, including redundant
// ones (pod_cidr beside pod_cidrs, enable_auto_scaling beside
// auto_scaling_enabled). Reading does not validate a cluster: with
// ReadWithSources, the problems capacity.Cluster.Validate finds are told
// by resource address, attribute and value too (capacity.Sources.Explain).
//
// # Why encoding/json and not terraform-json
//
// github.com/hashicorp/terraform-json is served by the module proxy, but
// this package decodes the plan with encoding/json into generic values and
// reads the few fields it needs itself: terraform-json decodes a whole plan
// in one call through its own unmarshalers, so a value of the wrong type
// surfaces as a Go decoding error (Go type and field names) without the
// resource address, which is what a user needs to find it; and it would
// bring github.com/zclconf/go-cty, github.com/hashicorp/go-version and
// go-textseg into every importer's module graph for about twenty fields of
// a format that Terraform keeps stable within format_version 1.x.
package tfplan
