package pyast

// Literal decoding is split by concern: source.go (raw bytes to UTF-8
// source), strlit.go (string and f-string literal text), number.go (NUMBER
// tokens), ident.go (identifier characters and NFKC), names_*.go (\N{…}).

// literalError is an error inside one literal: Off is the byte offset within
// the literal's text where CPython reports it.
type literalError struct {
	Off int
	Msg string
}
