package pyast

import (
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestIdentCharsCPython compares isIdentStart/isIdentContinue with
// str.isidentifier for every code point, and normalizeIdentifier with
// unicodedata.normalize("NFKC") for every identifier character.
func TestIdentCharsCPython(t *testing.T) {
	script := `
import sys, unicodedata
bits = bytearray(0x110000 // 4)
norm = []
for c in range(0x110000):
    ch = chr(c)
    s = ch.isidentifier()
    k = ("a" + ch).isidentifier()
    bits[c // 4] |= (s | k << 1) << (2 * (c % 4))
    if k:
        n = unicodedata.normalize("NFKC", "a" + ch)
        if n != "a" + ch:
            norm.append("%x %s" % (c, n.encode("utf-8", "surrogatepass").hex()))
print(bits.hex())
print("\n".join(norm))
`
	out := string(literalPython(t, script, nil))
	first, rest, _ := strings.Cut(out, "\n")
	bits, err := hex.DecodeString(first)
	if err != nil || len(bits) != 0x110000/4 {
		t.Fatalf("bad bitmap: %v", err)
	}
	bad := 0
	for c := rune(0); c < 0x110000; c++ {
		b := bits[c/4] >> (2 * (c % 4))
		start, cont := b&1 != 0, b&2 != 0
		if isIdentStart(c) != start || isIdentContinue(c) != cont {
			if bad++; bad <= 20 {
				t.Errorf("U+%04X: start=%v cont=%v, CPython start=%v cont=%v", c, isIdentStart(c), isIdentContinue(c), start, cont)
			}
		}
	}
	changed := map[rune]string{}
	for _, line := range strings.Split(strings.TrimSpace(rest), "\n") {
		cs, hs, _ := strings.Cut(line, " ")
		c, _ := strconv.ParseUint(cs, 16, 32)
		v, _ := hex.DecodeString(hs)
		changed[rune(c)] = string(v)
	}
	bad = 0
	for c := rune(0x80); c < 0x110000; c++ {
		if !isIdentContinue(c) {
			continue
		}
		in := "a" + string(c)
		want, ok := changed[c]
		if !ok {
			want = in
		}
		if got := normalizeIdentifier(in); got != want {
			if bad++; bad <= 20 {
				t.Errorf("NFKC(a U+%04X) = %q, want %q", c, got, want)
			}
		}
	}
}

func TestIdentCharsTable(t *testing.T) {
	for _, tt := range []struct {
		r           rune
		start, cont bool
	}{
		{'a', true, true}, {'_', true, true}, {'1', false, true}, {'$', false, false}, {'é', true, true},
		{'·', false, true}, {'℘', true, true}, {0x0301, false, true}, {0x309B, false, false},
		{'٣', false, true}, {utf8.RuneError, false, false}, {'ﬁ', true, true}, {0x2E2F, false, false},
	} {
		if isIdentStart(tt.r) != tt.start || isIdentContinue(tt.r) != tt.cont {
			t.Errorf("U+%04X: start=%v cont=%v, want %v %v", tt.r, isIdentStart(tt.r), isIdentContinue(tt.r), tt.start, tt.cont)
		}
	}
	if got := normalizeIdentifier("ﬁx"); got != "fix" {
		t.Errorf("NFKC(ﬁx) = %q", got)
	}
}
