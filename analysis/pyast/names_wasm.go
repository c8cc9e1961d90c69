//go:build js || wasip1

package pyast

// lookupCharName would resolve a \N{name} escape; the name tables cost about
// 1 MB of wasm, so this build leaves every name unresolved and reports the
// value as approximate (the escape is kept as written).
func lookupCharName(name string) (r rune, ok, approx bool) { return 0, false, true }
