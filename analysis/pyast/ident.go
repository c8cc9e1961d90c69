package pyast

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// isIdentStart reports whether r may start an identifier: '_' or a
// character with the XID_Start property, as CPython's str.isidentifier.
func isIdentStart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	switch r {
	case 0x0E33, 0x0EB3, 0xFF9E, 0xFF9F: // ID_Continue only in XID
		return false
	}
	if isNotXID(r) {
		return false
	}
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_ID_Start) &&
		!unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space)
}

// isIdentContinue reports whether r may continue an identifier: a
// character with the XID_Continue property ('_' and digits included).
func isIdentContinue(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	if isNotXID(r) {
		return false
	}
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_ID_Start,
		unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) &&
		!unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space)
}

// isNotXID lists the ID_Start/ID_Continue characters that both XID_Start and
// XID_Continue leave out because NFKC maps them to something that is not an
// identifier (DerivedCoreProperties.txt).
func isNotXID(r rune) bool {
	switch r {
	case 0x037A, 0x309B, 0x309C, 0xFDFA, 0xFDFB,
		0xFE70, 0xFE72, 0xFE74, 0xFE76, 0xFE78, 0xFE7A, 0xFE7C, 0xFE7E:
		return true
	}
	return r >= 0xFC5E && r <= 0xFC63
}

// normalizeIdentifier returns the NFKC form of a non-ASCII identifier, as
// CPython stores it; ASCII identifiers are returned unchanged.
func normalizeIdentifier(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return norm.NFKC.String(s)
		}
	}
	return s
}
