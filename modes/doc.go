// Package modes describes every AKS networking mode as data: where node and
// pod addresses come from, in what units, within which limits, and what the
// mode supports. It also holds the small pieces of arithmetic AKS itself
// applies (usable subnet sizes, static /28 blocks, the CNS batch target).
//
// modes allocates nothing; package capacity applies this knowledge through
// ipam pools. A custom Spec (another CNI, another cloud) works with capacity
// without changes here, because capacity reads only Spec's fields.
//
// Comments cite their sources by key ([IPP], [LEG, OVC], [ISS; W8]):
// SOURCES.md at the repository root lists every key with its URL, and
// docs/aks-facts.md holds the worked examples (W1…) and open questions (U1…).
package modes
