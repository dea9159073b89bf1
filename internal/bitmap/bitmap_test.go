package bitmap

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reference is the bitmap's obvious reference: a map of set bits.
type reference struct {
	n   uint64
	set map[uint64]bool
}

func (ref *reference) nextClear(from uint64) (uint64, bool) {
	for i := from; i < ref.n; i++ {
		if !ref.set[i] {
			return i, true
		}
		if i-from > 1<<22 {
			panic("reference scan too long")
		}
	}
	return 0, false
}

func (ref *reference) sorted() []uint64 {
	var s []uint64
	for i := range ref.set {
		s = append(s, i)
	}
	slices.Sort(s)
	return s
}

func TestNewHeight(t *testing.T) {
	tests := []struct {
		n    uint64
		want int
	}{
		{0, 0}, {1, 0}, {4096, 0}, {4097, 1}, {1 << 18, 1}, {1<<18 + 1, 2},
		{1 << 24, 2}, {1 << 32, 4}, {math.MaxUint64, 9},
	}
	for _, tt := range tests {
		b := newSparse(tt.n)
		assert.Equal(t, tt.want, b.height, "n=%d", tt.n)
	}
}

// kinds runs a test on both representations.
func kinds(t *testing.T, f func(t *testing.T, newB func(uint64) Bitmap)) {
	for _, isDense := range []bool{true, false} {
		name := map[bool]string{true: "dense", false: "sparse"}[isDense]
		t.Run(name, func(t *testing.T) {
			f(t, func(n uint64) Bitmap { return newBitmap(n, isDense) })
		})
	}
}

func TestEmptyAndTiny(t *testing.T) { kinds(t, testEmptyAndTiny) }

func testEmptyAndTiny(t *testing.T, New func(uint64) Bitmap) {
	b := New(0)
	_, ok := b.NextClear(0)
	assert.False(t, ok)
	assert.Empty(t, slices.Collect(b.Ones()))

	b = New(3)
	for want := uint64(0); want < 3; want++ {
		got, ok := b.NextClear(0)
		require.True(t, ok)
		assert.Equal(t, want, got)
		assert.True(t, b.Set(got))
	}
	_, ok = b.NextClear(0)
	assert.False(t, ok, "all 3 bits set, padding must not be offered")
	assert.Equal(t, []uint64{0, 1, 2}, slices.Collect(b.Ones()))
	assert.True(t, b.Clear(1))
	assert.False(t, b.Clear(1))
	got, ok := b.NextClear(0)
	assert.True(t, ok)
	assert.Equal(t, uint64(1), got)
}

// TestAgainstReference runs seeded random operations on bitmaps of many shapes
// and compares every answer with the reference.
// It and TestPartialPages, the slow tests, run in parallel with each other.
func TestAgainstReference(t *testing.T) {
	t.Parallel()
	kinds(t, testAgainstReference)
}

func testAgainstReference(t *testing.T, New func(uint64) Bitmap) {
	sizes := []uint64{1, 63, 64, 65, 4095, 4096, 4097, 70000, 1<<18 + 3, 1 << 24}
	ops := 20000
	if testing.Short() {
		ops = 2000
	}
	for _, n := range sizes {
		r := rand.New(rand.NewPCG(42, n))
		b := New(n)
		ref := &reference{n: n, set: map[uint64]bool{}}
		// Concentrate indices in a window so that words, pages and nodes fill.
		window := min(n, 9000)
		off := r.Uint64N(n - window + 1)
		// Check walks the whole bitmap after every operation: a dense one
		// beyond DenseMax, which New never builds, gets fewer operations.
		ops := ops
		if b.isDense() && n > DenseMax {
			ops /= 10
		}
		for op := range ops {
			i := off + r.Uint64N(window)
			switch r.IntN(6) {
			case 5: // first fit, a word at a time
				most := 1 + r.Uint64N(70)
				base, set, ok := b.SetFirstClearWord(most)
				var wantBase, wantSet uint64
				first, wok := ref.nextClear(0)
				if wok {
					wantBase = first &^ 63
					for i, k := first, uint64(0); i < min(n, wantBase+64) && k < most; i++ {
						if !ref.set[i] {
							ref.set[i] = true
							wantSet |= 1 << (i & 63)
							k++
						}
						if !b.isDense() { // one bit at a time
							break
						}
					}
				}
				require.Equal(t, wok, ok, "n=%d SetFirstClearWord(%d)", n, most)
				require.Equal(t, [2]uint64{wantBase, wantSet}, [2]uint64{base, set}, "n=%d SetFirstClearWord(%d): base, bits", n, most)
			case 0:
				from := off + r.Uint64N(window)
				got, ok := b.NextClear(from)
				want, wok := ref.nextClear(from)
				require.Equal(t, wok, ok, "n=%d NextClear(%d)", n, from)
				require.Equal(t, want, got, "n=%d NextClear(%d)", n, from)
				if ok {
					require.True(t, b.Set(got))
					ref.set[got] = true
				}
			case 1:
				from := off + r.Uint64N(window)
				if r.IntN(2) == 0 {
					from = 0
				}
				var got, want uint64
				var ok, wok bool
				switch {
				case from == 0 && r.IntN(2) == 0:
					got, ok = b.SetFirstClear()
					want, wok = ref.nextClear(0)
				case r.IntN(3) == 0:
					if r.IntN(2) == 0 {
						got, ok = b.SetNextClearWrap(from)
					} else {
						got, ok = b.SetNextClearWrapRandom(from)
					}
					if want, wok = ref.nextClear(from); !wok {
						want, wok = ref.nextClear(0)
					}
				default:
					got, ok = b.SetNextClear(from)
					want, wok = ref.nextClear(from)
				}
				require.Equal(t, wok, ok, "n=%d set from %d", n, from)
				require.Equal(t, want, got, "n=%d set from %d", n, from)
				if wok {
					ref.set[want] = true
				}
			case 2:
				require.Equal(t, !ref.set[i], b.Set(i), "n=%d Set(%d)", n, i)
				ref.set[i] = true
			case 3:
				require.Equal(t, ref.set[i], b.Clear(i), "n=%d Clear(%d)", n, i)
				delete(ref.set, i)
			case 4:
				require.Equal(t, ref.set[i], b.Test(i), "n=%d Test(%d)", n, i)
			}
			require.Equal(t, uint64(len(ref.set)), b.Count())
			require.NoError(t, b.Check(), "n=%d after op %d", n, op)
		}
		assert.Equal(t, ref.sorted(), slices.Collect(b.Ones()), "n=%d", n)
	}
}

func TestFillCompletely(t *testing.T) { kinds(t, testFillCompletely) }

func testFillCompletely(t *testing.T, New func(uint64) Bitmap) {
	for _, n := range []uint64{100, 4096, 5000, 1<<18 + 1} {
		b := New(n)
		for want := range n {
			got, ok := b.NextClear(0)
			require.True(t, ok)
			require.Equal(t, want, got)
			b.Set(got)
		}
		_, ok := b.NextClear(0)
		require.False(t, ok, "n=%d", n)
		// Free one in the middle; it is the only answer from anywhere before it.
		mid := n / 2
		require.True(t, b.Clear(mid))
		got, ok := b.NextClear(0)
		require.True(t, ok)
		assert.Equal(t, mid, got)
		_, ok = b.NextClear(mid + 1)
		assert.False(t, ok)
	}
}

func TestFirstClearChurn(t *testing.T) { kinds(t, testFirstClearChurn) }

// testFirstClearChurn churns a full bitmap and one with a few clear bits
// through Clear and SetFirstClear: the low-water mark must never hide a
// clear bit below it.
func testFirstClearChurn(t *testing.T, New func(uint64) Bitmap) {
	for _, n := range []uint64{1, 64, 256, 4097, 70000} {
		r := rand.New(rand.NewPCG(7, n))
		b := New(n)
		for want := range n {
			got, ok := b.SetFirstClear()
			require.True(t, ok)
			require.Equal(t, want, got)
		}
		_, ok := b.SetFirstClear()
		require.False(t, ok)
		holes := map[uint64]bool{}
		for range 2000 {
			j := r.Uint64N(n)
			if b.Clear(j) {
				holes[j] = true
			}
			if r.IntN(3) == 0 { // sometimes leave the hole for later
				continue
			}
			want := ^uint64(0)
			for h := range holes {
				want = min(want, h)
			}
			got, ok := b.SetFirstClear()
			require.Equal(t, len(holes) > 0, ok, "n=%d", n)
			if ok {
				require.Equal(t, want, got, "n=%d", n)
				delete(holes, got)
			}
			require.Equal(t, n-uint64(len(holes)), b.Count())
			require.NoError(t, b.Check(), "n=%d", n)
		}
	}
}

func TestReset(t *testing.T) { kinds(t, testReset) }

// testReset fills bitmaps at random, resets them, and drives each beside a
// new one: they must answer alike, and Reset must not allocate.
func testReset(t *testing.T, New func(uint64) Bitmap) {
	for _, n := range []uint64{1, 64, 300, 5000, 1<<18 + 3} {
		r := rand.New(rand.NewPCG(3, n))
		b := New(n)
		for range 3000 {
			b.Set(r.Uint64N(n))
		}
		b.SetRange(0, min(n, 100))
		b.Reset()
		require.Zero(t, b.Count(), "n=%d", n)
		require.Empty(t, slices.Collect(b.Ones()), "n=%d", n)
		fresh := New(n)
		for range 3000 {
			i := r.Uint64N(n)
			switch r.IntN(4) {
			case 0:
				require.Equal(t, fresh.Set(i), b.Set(i), "n=%d Set(%d)", n, i)
			case 1:
				require.Equal(t, fresh.Clear(i), b.Clear(i), "n=%d Clear(%d)", n, i)
			case 2:
				w, wok := fresh.SetFirstClear()
				g, gok := b.SetFirstClear()
				require.Equal(t, [2]any{w, wok}, [2]any{g, gok}, "n=%d SetFirstClear", n)
			case 3:
				w, wok := fresh.SetNextClearWrap(i)
				g, gok := b.SetNextClearWrap(i)
				require.Equal(t, [2]any{w, wok}, [2]any{g, gok}, "n=%d SetNextClearWrap(%d)", n, i)
			}
			require.NoError(t, b.Check(), "n=%d after Reset", n)
		}
		require.Equal(t, slices.Collect(fresh.Ones()), slices.Collect(b.Ones()), "n=%d", n)
		require.LessOrEqual(t, fresh.MemoryBytes(), b.MemoryBytes(), "n=%d: Reset keeps the memory", n)
		assert.Zero(t, testing.AllocsPerRun(10, b.Reset), "n=%d: Reset allocated", n)
	}
}

func TestHugeSparse(t *testing.T) {
	b := New(math.MaxUint64)
	hi := uint64(math.MaxUint64 - 1)
	for _, i := range []uint64{0, 1 << 40, 1 << 63, hi} {
		assert.True(t, b.Set(i))
		assert.True(t, b.Test(i))
	}
	got, ok := b.NextClear(hi)
	assert.False(t, ok, "got %d", got)
	got, ok = b.NextClear(1 << 63)
	assert.True(t, ok)
	assert.Equal(t, uint64(1<<63+1), got)
	assert.Equal(t, []uint64{0, 1 << 40, 1 << 63, hi}, slices.Collect(b.Ones()))
	assert.Less(t, b.MemoryBytes(), uint64(64<<10))
}

func TestSetRange(t *testing.T) { kinds(t, testSetRange) }

func testSetRange(t *testing.T, New func(uint64) Bitmap) {
	tests := []struct {
		name  string
		n     uint64
		lo, c uint64
	}{
		{"word", 1000, 3, 60},
		{"pages", 100000, 4000, 20000},
		{"tail", 100000, 90000, 10000},
		{"all", 70000, 0, 70000},
		{"huge", math.MaxUint64, 5, 1 << 62},
		{"huge tail", math.MaxUint64, 1 << 63, math.MaxUint64 - 1<<63},
	}
	for _, tt := range tests {
		if zero := New(0); tt.n > DenseMax && zero.isDense() {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			b := New(tt.n)
			b.SetRange(tt.lo, tt.c)
			require.NoError(t, b.Check())
			assert.Equal(t, tt.c, b.Count())
			var runs [][2]uint64
			for s, n := range b.Runs() {
				runs = append(runs, [2]uint64{s, n})
			}
			assert.Equal(t, [][2]uint64{{tt.lo, tt.c}}, runs)
			assert.True(t, b.Test(tt.lo))
			assert.True(t, b.Test(tt.lo+tt.c-1))
			if tt.lo > 0 {
				assert.False(t, b.Test(tt.lo-1))
			}
			next, ok := b.NextClear(tt.lo)
			if tt.lo+tt.c < tt.n {
				assert.True(t, ok)
				assert.Equal(t, tt.lo+tt.c, next)
			} else {
				assert.False(t, ok)
			}
			// Clearing inside a subtree that was never created creates it set.
			mid := tt.lo + tt.c/2
			assert.True(t, b.Clear(mid))
			got, ok := b.NextClear(tt.lo)
			assert.True(t, ok)
			assert.Equal(t, mid, got)
			assert.Equal(t, tt.c-1, b.Count())
			require.NoError(t, b.Check())
		})
	}
}

func TestNoAllocs(t *testing.T) { kinds(t, testNoAllocs) }

func testNoAllocs(t *testing.T, New func(uint64) Bitmap) {
	b := New(1 << 16)
	for range 1 << 15 {
		i, _ := b.NextClear(0)
		b.Set(i)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		i, _ := b.NextClear(0)
		b.Set(i)
		b.Clear(i)
		b.Test(i)
		i, _ = b.SetFirstClear()
		b.Clear(i)
		i, _ = b.SetNextClear(100)
		b.Clear(i)
		base, set, _ := b.SetFirstClearWord(40)
		for ; set != 0; set &= set - 1 {
			b.Clear(base | uint64(bits.TrailingZeros64(set)))
		}
	})
	require.Zero(t, allocs, "NextClear/Set/Clear/Test/SetFirstClearWord allocations per run")
}

func BenchmarkNextClearSet(b *testing.B) {
	bm := New(1 << 16)
	for range 1<<16 - 1 {
		i, _ := bm.NextClear(0)
		bm.Set(i)
	}
	for b.Loop() {
		i, _ := bm.SetNextClear(0)
		bm.Clear(i)
	}
}

func BenchmarkParts(b *testing.B) {
	bm := New(1 << 16)
	for range 1<<16 - 1 {
		i, _ := bm.NextClear(0)
		bm.Set(i)
	}
	last, _ := bm.NextClear(0)
	b.Run("NextClear", func(b *testing.B) {
		for b.Loop() {
			bm.NextClear(0)
		}
	})
	b.Run("SetClear", func(b *testing.B) {
		for b.Loop() {
			bm.Set(last)
			bm.Clear(last)
		}
	})
}

// partialPages lists the reference's pages, ascending, that hold both set bits
// below n and clear ones.
func (ref *reference) partialPages() []uint64 {
	count := map[uint64]uint64{}
	for i := range ref.set {
		count[i/PageBits]++
	}
	var out []uint64
	for p, c := range count {
		if c < min(PageBits, ref.n-p*PageBits) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// TestPartialPages drives sparse bitmaps with sets, clears and ranges that
// fill and empty pages, and checks the partial pages and SetInPartialPage
// against the reference after every step.
func TestPartialPages(t *testing.T) {
	t.Parallel()
	sizes := []uint64{100, 5*PageBits + 100, 1<<18 + 3, 1 << 24, math.MaxUint64}
	ops := 30000
	if testing.Short() {
		ops = 20000
	}
	for _, n := range sizes {
		r := rand.New(rand.NewPCG(7, n))
		b := newBitmap(n, false)
		ref := &reference{n: n, set: map[uint64]bool{}}
		fullSeen := 0
		window := min(n, 2*PageBits+300) // a few pages, so that they fill
		off := n - window
		if n > 1<<20 {
			off = r.Uint64N(n-window) &^ (PageBits - 1)
		}
		for step := range ops {
			i := off + r.Uint64N(window)
			switch op := r.IntN(10); {
			case op < 5:
				got, want := b.Set(i), !ref.set[i]
				require.Equal(t, want, got, "n=%d Set(%d)", n, i)
				ref.set[i] = true
				if b.full(i) {
					fullSeen++
				}
			case op < 7 && step/6000%3 == 2: // clear only in every third phase: pages fill
				got, want := b.Clear(i), ref.set[i]
				require.Equal(t, want, got, "n=%d Clear(%d)", n, i)
				delete(ref.set, i)
			case op == 7 && step%20 == 0: // a range of clear bits
				lo, ok := ref.nextClear(i)
				if !ok {
					break
				}
				c := uint64(0)
				for lo+c < n && c < 700 && !ref.set[lo+c] {
					ref.set[lo+c] = true
					c++
				}
				b.SetRange(lo, c)
			default:
				parts := ref.partialPages()
				require.Equal(t, uint64(len(parts)), b.PartialPages(), "n=%d step %d", n, step)
				if len(parts) == 0 {
					break
				}
				k, o := r.Uint64N(uint64(len(parts))), r.Uint64N(PageBits)
				var want uint64
				for d := range uint64(PageBits) {
					j := parts[k]*PageBits + (o+d)%PageBits
					if j < n && !ref.set[j] {
						want = j
						break
					}
				}
				require.Equal(t, want, b.SetInPartialPage(k, o), "n=%d step %d page %d off %d", n, step, parts[k], o)
				ref.set[want] = true
			}
			require.Equal(t, uint64(len(ref.set)), b.Count())
			require.NoError(t, b.Check(), "n=%d step %d", n, step)
		}
		require.Equal(t, uint64(len(ref.partialPages())), b.PartialPages())
		require.Equal(t, ref.sorted(), slices.Collect(b.Ones()), "n=%d", n)
		require.NotZero(t, fullSeen, "n=%d: no page ever filled", n)
		b.Reset()
		require.Zero(t, b.PartialPages())
	}
}

// full reports whether every bit of the page holding i is set.
func (b *Bitmap) full(i uint64) bool {
	c, ok := b.NextClear(i / PageBits * PageBits)
	return !ok || c/PageBits != i/PageBits
}

// TestCheckCatches breaks each invariant Check states, on a bitmap that
// passes it, and expects Check to notice: a check that cannot fail proves
// nothing after every operation.
func TestCheckCatches(t *testing.T) {
	build := func(n uint64, isDense bool) *Bitmap {
		b := newBitmap(n, isDense)
		for i := range uint64(200) { // full words and a partial one
			b.Set(i)
		}
		b.Set(n - 1)
		require.NoError(t, b.Check(), "n=%d dense=%v before breaking it", n, isDense)
		return &b
	}
	tests := []struct {
		name    string
		n       uint64
		isDense bool
		breakIt func(b *Bitmap)
	}{
		{"dense count", 5000, true, func(b *Bitmap) { b.ones++ }},
		{"dense low", 5000, true, func(b *Bitmap) { b.Clear(10); b.low = 11 }},
		{"dense word full, not shown above", 5000, true, func(b *Bitmap) { b.d.level(0)[5] = allOnes; b.ones += 64 }},
		{"dense summary says full", 5000, true, func(b *Bitmap) { b.d.level(1)[0] |= 1 << 9 }},
		{"dense padding", 5000, true, func(b *Bitmap) { b.d.level(0)[len(b.d.level(0))-1] &^= 1 << 63 }},
		{"dense pending not full", 5000, true, func(b *Bitmap) { b.d.pending = 4 }},
		{"dense pending shown full", 5000, true, func(b *Bitmap) { b.d.pending = 0 }},
		{"sparse count", 70000, false, func(b *Bitmap) { b.ones-- }},
		{"sparse page used", 70000, false, func(b *Bitmap) { b.s.pages[0].used++ }},
		{"sparse page full bit", 70000, false, func(b *Bitmap) { b.s.pages[0].full &^= 1 }},
		{"sparse absent child said full", 70000, false, func(b *Bitmap) { b.s.inners[0].full |= 1 << 5 }},
		{"sparse part bit", 70000, false, func(b *Bitmap) { b.s.inners[0].part = 0 }},
		{"sparse npart", 70000, false, func(b *Bitmap) { b.s.inners[0].npart++ }},
		{"sparse way up", 70000, false, func(b *Bitmap) { b.s.pages[0].pos++ }},
		{"sparse padding", 70000, false, func(b *Bitmap) { b.s.pages[len(b.s.pages)-1].words[63] = 0 }},
		{"sparse hint at another page", 70000, false, func(b *Bitmap) { b.SetFirstClear(); b.s.hint = int32(len(b.s.pages) - 1) }},
		{"sparse hint page number", 70000, false, func(b *Bitmap) { b.SetFirstClear(); b.s.hintPage++ }},
	}
	for _, tt := range tests {
		b := build(tt.n, tt.isDense)
		tt.breakIt(b)
		assert.Error(t, b.Check(), tt.name)
	}
	var zero Bitmap
	assert.NoError(t, zero.Check(), "the zero Bitmap")
}
