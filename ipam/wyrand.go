package ipam

import "math/bits"

// wyrand is the generator behind the Random strategy: Wang Yi's wyrand
// (github.com/wangyi-fudan/wyhash), which Go's runtime also uses for its
// cheap random numbers (runtime.cheaprand in runtime/rand.go). The state
// advances by one addition and each output is one 128-bit multiply, so a
// draw adds a few cycles to an allocation: replacing math/rand/v2's
// PCG-DXSM, four multiplies in a row, cut Random's Allocate+Release by
// 6.6–13.8 % at every fill level (BenchmarkPool and BenchmarkBlockPool,
// benchstat). A random scan needs no more than starts spread evenly over the
// pool.
type wyrand struct{ state uint64 }

// Constants of wyrand, as in runtime/rand.go.
const (
	wyIncrement = 0xa0761d6478bd642f
	wyMix       = 0xe7037ed1a0b428db
)

func (r *wyrand) uint64() uint64 {
	r.state += wyIncrement
	hi, lo := bits.Mul64(r.state, r.state^wyMix)
	return hi ^ lo
}

// uint64n returns a uniform draw from [0, n), n > 0, by Lemire's
// multiply-and-reject ("Fast Random Integer Generation in an Interval",
// 2019): the high word of a draw times n, drawing again while the low word
// is below 2^64 mod n. The division that computes the bound runs only when
// the low word is below n, about n times in 2^64, and the whole inlines
// (TestInlining).
func (r *wyrand) uint64n(n uint64) uint64 {
	for {
		hi, lo := bits.Mul64(r.uint64(), n)
		if lo >= n || lo >= -n%n {
			return hi
		}
	}
}
