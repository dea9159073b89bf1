// Package aksjson reads AKS and VNet JSON documents into a capacity.Cluster,
// so that users do not retype their cluster.
//
// The cluster document is `az aks show -o json` (flattened, camelCase) or
// the same resource from the REST API or Azure Resource Graph (fields under
// "properties", ID spelt "vnetSubnetID"); JSON field names match without
// regard to case. Network documents are any of `az network vnet show`,
// `az network vnet subnet show` and `az network vnet list-usage`, CLI or
// REST shape: they supply subnet prefixes and the addresses others use.
// networkProfile.ipFamilies tells a dual-stack cluster, and IPv6 ranges
// are read beside the IPv4 ones: no range is dropped for its family.
//
// Documents are read as streams, each up to MaxDocumentSize bytes, and
// errors speak the document: its name, the JSON path of the value at fault
// (agentPoolProfiles[2].upgradeSettings.maxSurge), the value and what
// belongs there. A cluster that reads but that capacity finds invalid is
// told the same way: ReadClusterWithSources, ReadFilesWithSources and
// their estate counterparts say where each field was read, and their
// Explain turns a *capacity.ValidationError into the document, the JSON
// path, the value and what was expected.
package aksjson
