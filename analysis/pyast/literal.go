package pyast

// CONTRACT STUB — replaced by the literal-decoding implementation.

// literalError is an error inside one literal: Off is the byte offset within
// the literal's text where CPython reports it.
type literalError struct {
	Off int
	Msg string
}

// DecodeSource turns raw file bytes into the UTF-8, "\n"-terminated source
// CPython's tokenizer works on: UTF-8 BOM removed, a PEP 263 coding
// declaration on line 1 or 2 honoured, "\r\n" and lone "\r" translated to
// "\n". Invalid UTF-8 (or an unknown/inconsistent coding) gives an error with
// its position, as CPython reports it.
func DecodeSource(src []byte) ([]byte, *Error) { return src, nil }

// decodeStringToken decodes one complete STRING token text (prefix, quotes
// and body): escapes, raw and bytes prefixes. The value of a str is WTF-8
// (lone surrogates allowed).
func decodeStringToken(text string) (val string, isBytes bool, approx bool, err *literalError) {
	return "", false, false, nil
}

// decodeFStringMiddle decodes the literal text of one FSTRING_MIDDLE token
// ("{{" and "}}" become single braces); raw is the f-string's r prefix.
func decodeFStringMiddle(text string, raw bool) (val string, approx bool, err *literalError) {
	return text, false, nil
}

// parseNumber parses a NUMBER token's text into an int (decimal digits),
// float or complex constant with CPython's exact values.
func parseNumber(text string) (ConstValue, *literalError) {
	return ConstValue{Kind: ConstInt, S: text}, nil
}

// isIdentStart reports whether r may start an identifier (ASCII letters, _,
// and Unicode XID_Start as CPython checks it).
func isIdentStart(r rune) bool { return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// isIdentContinue reports whether r may continue an identifier.
func isIdentContinue(r rune) bool { return isIdentStart(r) || r >= '0' && r <= '9' }

// normalizeIdentifier returns the NFKC form of a non-ASCII identifier, as
// CPython stores it; ASCII identifiers are returned unchanged.
func normalizeIdentifier(s string) string { return s }
