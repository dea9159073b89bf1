// Package cite holds no code: its test keeps the source citations in ipcap's
// comments resolvable. Every key a comment cites ([IPP], [LEG, OVC],
// [ISS; W8, W9]) must be a row of SOURCES.md at the repository root, and
// every worked example (W1…) and open question (U1…) a comment names must
// exist in docs/aks-facts.md. String literals cite nothing, for they reach
// users, who cannot resolve a citation; only a test's may name the W or U
// number it reproduces ("W3 azure-cni /24"), which must exist too.
package cite
