//go:build !js && !wasip1

package pyast

import (
	"strconv"
	"strings"
	"testing"
)

// TestLookupCharNameCPython resolves every character name CPython knows
// (unicodedata.name over all code points, algorithmic names included), in
// upper and lower case.
func TestLookupCharNameCPython(t *testing.T) {
	script := `
import unicodedata
out = []
for c in range(0x110000):
    n = unicodedata.name(chr(c), None)
    if n: out.append("%x %s" % (c, n))
print("\n".join(out))
`
	out := string(literalPython(t, script, nil))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	bad := 0
	for i, line := range lines {
		cs, name, _ := strings.Cut(line, " ")
		c, _ := strconv.ParseUint(cs, 16, 32)
		r, ok, approx := lookupCharName(name)
		if !ok || approx || r != rune(c) {
			if bad++; bad <= 20 {
				t.Errorf("%s: got U+%04X %v %v, want U+%04X", name, r, ok, approx, c)
			}
		}
		if i%7 == 0 && !strings.HasPrefix(name, "CJK UNIFIED") && !strings.HasPrefix(name, "HANGUL SYLLABLE") {
			if r, ok, _ := lookupCharName(strings.ToLower(name)); !ok || r != rune(c) {
				if bad++; bad <= 20 {
					t.Errorf("%s in lower case: got U+%04X %v", name, r, ok)
				}
			}
		}
	}
	if len(lines) < 100000 {
		t.Errorf("only %d names from CPython", len(lines))
	}
}

func TestLookupCharNameTable(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    rune
		ok   bool
	}{
		{"LATIN SMALL LETTER A", 'a', true}, {"latin small letter a", 'a', true}, {"EM DASH", 0x2014, true},
		{"NO-BREAK SPACE", 0xA0, true}, {"BYTE ORDER MARK", 0xFEFF, true}, {"LINE FEED", '\n', true},
		{"LF", '\n', true}, {"ZWJ", 0x200D, true}, {"LATIN CAPITAL LETTER GHA", 0x01A2, true},
		{"CJK UNIFIED IDEOGRAPH-4E00", 0x4E00, true}, {"CJK UNIFIED IDEOGRAPH-4e00", 0, false},
		{"cjk unified ideograph-4E00", 0, false}, {"HANGUL SYLLABLE GA", 0xAC00, true},
		{"HANGUL SYLLABLE GAG", 0xAC01, true}, {"hangul syllable gag", 0, false}, {"HANGUL SYLLABLE ga", 0, false},
		{"HANGUL SYLLABLE A", 0xC544, true}, {"HANGUL SYLLABLE", 0, false}, {"LATIN SMALL LETTER A WITH MACRON AND GRAVE", 0, false},
		{"DEVANAGARI KA", 0, false}, {" LATIN SMALL LETTER A", 0, false}, {"TANGUT IDEOGRAPH-17000", 0, false},
		{"", 0, false}, {"é", 0, false},
	} {
		r, ok, _ := lookupCharName(tt.name)
		if ok != tt.ok || ok && r != tt.r {
			t.Errorf("%q: got U+%04X %v, want U+%04X %v", tt.name, r, ok, tt.r, tt.ok)
		}
	}
}
