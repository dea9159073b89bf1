// Package liveheap measures the heap a value keeps alive, for tests and
// benchmarks that pin a structure's memory cost.
package liveheap

import "runtime"

// Held returns how many more bytes of heap are live while build's result
// is kept than before build ran. It runs the garbage collector twice, so
// call it outside a timed loop.
func Held(build func() any) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
}
