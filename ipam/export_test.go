package ipam

// CheckBitmap verifies the invariants of the bitmap behind p, a *Pool or a
// *BlockPool (see bitmap.Bitmap.Check), for the reference tests of package
// ipam_test.
func CheckBitmap(p any) error {
	switch p := p.(type) {
	case *Pool:
		return p.c.bm.Check()
	case *BlockPool:
		return p.c.bm.Check()
	}
	panic("CheckBitmap: not a pool")
}
