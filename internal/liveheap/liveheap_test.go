package liveheap

import "testing"

func TestHeld(t *testing.T) {
	const n = 1 << 20
	if got := Held(func() any { return make([]byte, n) }); got < n || got > 2*n {
		t.Errorf("Held(make([]byte, %d)) = %d, want about %d", n, got, n)
	}
	if got := Held(func() any { return nil }); got > 64<<10 {
		t.Errorf("Held(nil) = %d, want about 0", got)
	}
}
