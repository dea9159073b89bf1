// Package modes describes every AKS networking mode as data: where node and
// pod addresses come from, in what units, within which limits, and what the
// mode supports. It also holds the small pieces of arithmetic AKS itself
// applies (usable subnet sizes, static /28 blocks, the CNS batch target).
//
// modes allocates nothing; package capacity applies this knowledge through
// ipam pools. A custom Spec (another CNI, another cloud) works with capacity
// without changes here, because capacity reads only Spec's fields.
//
// Sources are cited by the keys of ipcap's reference notes (aks-facts.md):
// IPP concepts-network-ip-address-planning, OVC concepts-network-azure-cni-overlay,
// OVH azure-cni-overlay, DYN configure-azure-cni-dynamic-ip-allocation,
// SBA configure-azure-cni-static-block-allocation, LEG concepts-network-legacy-cni,
// KUB configure-kubenet, CNI concepts-network-cni-overview, CIL
// azure-cni-powered-by-cilium, BYO use-byo-cni, DS configure-dual-stack, QUO
// quotas-skus-regions, VNF virtual-networks-faq, NLIM azure-virtual-network-limits,
// ACN Azure/azure-container-networking (CNS IPAM math). Each file is under
// https://learn.microsoft.com/azure/aks/ unless named otherwise.
package modes
