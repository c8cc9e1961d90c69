package pyast

import "testing"

// TestKeywordKind checks the scanner's keyword switch against the token
// table: every hard keyword maps to its kind, from a string and from bytes,
// and soft keywords and near misses stay NAME.
func TestKeywordKind(t *testing.T) {
	for k := keywordBeg + 1; k < keywordEnd; k++ {
		name := k.String()
		if got := keywordKind(name); got != k {
			t.Errorf("keywordKind(%q) = %v, want %v", name, got, k)
		}
		if got := keywordKind([]byte(name)); got != k {
			t.Errorf("keywordKind([]byte(%q)) = %v, want %v", name, got, k)
		}
		if got := LookupKeyword(name + "_"); got != NAME {
			t.Errorf("LookupKeyword(%q) = %v, want NAME", name+"_", got)
		}
	}
	for _, name := range []string{"", "match", "case", "type", "_", "none", "TRUE", "print", "self", "asyncio", "elif_"} {
		if got := LookupKeyword(name); got != NAME {
			t.Errorf("LookupKeyword(%q) = %v, want NAME", name, got)
		}
	}
}
