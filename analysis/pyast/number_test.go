package pyast

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBasedToDecimalMatchesBig checks the browser-light conversion of
// 0x/0o/0b literals against math/big on edge cases and random digit strings.
func TestBasedToDecimalMatchesBig(t *testing.T) {
	const alphabet = "0123456789abcdefABCDEF"
	cases := []struct {
		digits string
		base   int
	}{
		{"0", 16}, {"000", 2}, {"1", 8}, {"f", 16}, {"F", 16},
		{"3b9aca00", 16}, {"3B9AC9FF", 16}, // 1e9 and 1e9-1: a limb boundary
		{"de0b6b3a7640000", 16}, {"de0b6b3a763ffff", 16},
		{strings.Repeat("f", 64), 16}, {"1" + strings.Repeat("0", 200), 2},
		{strings.Repeat("7", 91), 8}, {"0000" + strings.Repeat("f", 40), 16},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		base := []int{2, 8, 16}[r.IntN(3)]
		n := 1 + r.IntN(300)
		var b strings.Builder
		for range n {
			d := r.IntN(base)
			if base == 16 && d >= 10 && r.IntN(2) == 0 {
				b.WriteByte(alphabet[d+6]) // upper case
			} else {
				b.WriteByte(alphabet[d])
			}
		}
		cases = append(cases, struct {
			digits string
			base   int
		}{b.String(), base})
	}
	for _, c := range cases {
		want, _ := new(big.Int).SetString(c.digits, c.base)
		got, ok := basedToDecimal(c.digits, c.base)
		if !ok || got != want.String() {
			t.Errorf("basedToDecimal(%q, %d) = %q, %v; want %s", c.digits, c.base, got, ok, want)
		}
	}
}

func TestBasedToDecimalRejects(t *testing.T) {
	for _, c := range []struct {
		digits string
		base   int
	}{
		{"", 16}, {"g", 16}, {"2", 2}, {"8", 8}, {"-1", 16}, {"+1", 16}, {"1_0", 2},
		{strings.Repeat("f", maxBasedIntBits/4+1), 16},
	} {
		if got, ok := basedToDecimal(c.digits, c.base); ok {
			t.Errorf("basedToDecimal(%.20q, %d) = %.20q, want rejected", c.digits, c.base, got)
		}
	}
	// The largest accepted literal still converts.
	if _, ok := basedToDecimal(strings.Repeat("f", maxBasedIntBits/4), 16); !ok {
		t.Error("a literal of exactly maxBasedIntBits bits was rejected")
	}
}
