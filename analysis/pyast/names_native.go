//go:build !js && !wasip1

package pyast

import (
	"strings"
	"sync"

	"golang.org/x/text/unicode/runenames"
)

// lookupCharName resolves the name of a \N{name} escape as CPython does:
// the character names and name aliases case-insensitively, the algorithmic
// "CJK UNIFIED IDEOGRAPH-XXXX" and "HANGUL SYLLABLE …" names only in upper
// case; named sequences are not accepted. approx is never set in this build.
func lookupCharName(name string) (r rune, ok, approx bool) {
	if hex, found := strings.CutPrefix(name, "CJK UNIFIED IDEOGRAPH-"); found {
		if len(hex) != 4 && len(hex) != 5 {
			return 0, false, false
		}
		for i := 0; i < len(hex); i++ {
			c := hex[i]
			switch {
			case c >= '0' && c <= '9':
				r = r<<4 | rune(c-'0')
			case c >= 'A' && c <= 'F':
				r = r<<4 | rune(c-'A'+10)
			default:
				return 0, false, false
			}
		}
		return r, strings.HasPrefix(runenames.Name(r), "<CJK Ideograph"), false
	}
	if strings.HasPrefix(name, "HANGUL SYLLABLE ") {
		r, ok = hangulSyllable(name[len("HANGUL SYLLABLE "):])
		return r, ok, false
	}
	up, ascii := upperASCII(name)
	if !ascii || up == "" {
		return 0, false, false
	}
	if r, ok := nameAliases[up]; ok {
		return r, true, false
	}
	charNames.once.Do(buildCharNames)
	r, ok = charNames.m[up]
	return r, ok, false
}

// charNames is the reverse of runenames.Name, built on the first \N{…}.
var charNames struct {
	once sync.Once
	m    map[string]rune
}

// hangulSyllable finds the syllable whose short name (after "HANGUL
// SYLLABLE ") is s.
func hangulSyllable(s string) (rune, bool) {
	for l, lp := range hangulL {
		rest, ok := strings.CutPrefix(s, lp)
		if !ok {
			continue
		}
		for v, vp := range hangulV {
			rest, ok := strings.CutPrefix(rest, vp)
			if !ok {
				continue
			}
			for t, tp := range hangulT {
				if rest == tp {
					return rune(0xAC00 + (l*21+v)*28 + t), true
				}
			}
		}
	}
	return 0, false
}

// Hangul syllable name parts (Unicode chapter 3.12, Jamo short names).
var (
	hangulL = [...]string{"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"}
	hangulV = [...]string{"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"}
	hangulT = [...]string{"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"}
)

func buildCharNames() {
	m := make(map[string]rune, 50000)
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if n := runenames.Name(r); n != "" && n[0] != '<' {
				m[n] = r
			}
		}
	}
	// Skip the ranges with algorithmic or no names: CJK unified ideographs,
	// Hangul syllables, surrogates, private use, Tangut and
	// the unassigned planes.
	add(0, 0x33FF)
	add(0x4DC0, 0x4DFF)
	add(0xA000, 0xABFF)
	add(0xD7B0, 0xD7FF)
	add(0xF900, 0x16FFF)
	add(0x18800, 0x1FFFF)
	add(0x2F800, 0x2FA1F)
	add(0xE0000, 0xE01EF)
	charNames.m = m
}

// upperASCII upper-cases an ASCII name; ascii is false if s is not ASCII.
func upperASCII(s string) (up string, ascii bool) {
	lower := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return "", false
		}
		lower = lower || c >= 'a' && c <= 'z'
	}
	if !lower {
		return s, true
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b), true
}
