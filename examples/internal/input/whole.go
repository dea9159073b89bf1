package input

import (
	"errors"
	"flag"
	"math"
	"strconv"

	"github.com/ipcap/ipcap/internal/count"
)

// IntVar defines a flag that takes a whole number from lo to hi (hi
// math.MaxInt: lo or more) and refuses anything else — "x", "1.5", a
// number out of range — by saying what it wants, where the flag package
// says "parse error" and leaves the range to a check after parsing.
func IntVar(fs *flag.FlagSet, p *int, name string, value, lo, hi int, usage string) {
	*p = value
	fs.Var(&intFlag{p, lo, hi}, name, usage)
}

// Uint64Var defines a flag that takes a whole number, 0 or more, as
// IntVar does.
func Uint64Var(fs *flag.FlagSet, p *uint64, name string, value uint64, usage string) {
	*p = value
	fs.Var((*uint64Flag)(p), name, usage)
}

type intFlag struct {
	p      *int
	lo, hi int
}

func (f *intFlag) String() string {
	if f == nil || f.p == nil { // the zero value flag.PrintDefaults makes
		return "0"
	}
	return strconv.Itoa(*f.p)
}

func (f *intFlag) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil || s[0] == '+' || v < f.lo || v > f.hi { // Atoi takes "+5"
		return errors.New("want " + wholeRange(f.lo, f.hi))
	}
	*f.p = v
	return nil
}

type uint64Flag uint64

func (f *uint64Flag) String() string {
	if f == nil {
		return "0"
	}
	return strconv.FormatUint(uint64(*f), 10)
}

func (f *uint64Flag) Set(s string) error {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil { // ParseUint refuses "+5"
		return errors.New("want a whole number, 0 or more, below 2^64")
	}
	*f = uint64Flag(v)
	return nil
}

// wholeRange says which whole numbers lo to hi are: "a whole number from
// 1 to 1,000,000", "a whole number, 0 or more".
func wholeRange(lo, hi int) string {
	if hi == math.MaxInt {
		return "a whole number, " + count.Thousands(lo) + " or more"
	}
	return "a whole number from " + count.Thousands(lo) + " to " + count.Thousands(hi)
}
