// Package pyast reads Python 3.8–3.13 source exactly as CPython does: a
// tokenizer, a recursive-descent parser with error recovery, and an AST whose
// node types, fields and positions mirror CPython's ast module, so CPython's
// own ast.parse is the oracle it is tested against.
//
// It is pure Go with hard limits on size, nesting and error count: it never
// panics, hangs or recurses without bound on hostile input, and builds for
// GOOS=js and GOOS=wasip1.
package pyast
