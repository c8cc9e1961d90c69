//go:build js || wasip1

package pyast

import "testing"

func TestCharNameUnresolvedInWasm(t *testing.T) {
	val, _, approx, err := decodeStringToken(`"a\N{EM DASH}b"`)
	if err != nil || !approx || val != `a\N{EM DASH}b` {
		t.Errorf("got %q approx=%v err=%v", val, approx, err)
	}
}
