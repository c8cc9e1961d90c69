package report

import (
	"crypto/sha256"
	"strings"
	"testing"
)

// TestSum256 checks the fingerprint hash against crypto/sha256 around every
// padding boundary (55/56/64 bytes) and on multi-block inputs, so SARIF
// fingerprints stay those of SHA-256.
func TestSum256(t *testing.T) {
	var inputs []string
	for n := range 200 {
		inputs = append(inputs, strings.Repeat("a", n))
	}
	inputs = append(inputs, "abc", "sec.hardcoded\x00handler.py\x00api_key = \"…\"\x00", strings.Repeat("\xff\x00é", 1000))
	for _, in := range inputs {
		if got, want := sum256([]byte(in)), sha256.Sum256([]byte(in)); got != want {
			t.Errorf("sum256(%d bytes %.12q) = %x, want %x", len(in), in, got, want)
		}
	}
}
