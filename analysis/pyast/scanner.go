package pyast

// CONTRACT STUB — replaced by the scanner implementation.

// ScanMode controls what the scanner returns.
type ScanMode uint8

// Scan modes.
const (
	ScanTrivia ScanMode = 1 << iota // also return COMMENT and NL tokens (the parser does not want them)
)

// Scanner turns a decoded File into tokens, one at a time, with CPython 3.12
// tokenizer semantics (INDENT/DEDENT, implicit and explicit line joining,
// PEP 701 f-string modes). Errors go to the handler; the scanner always makes
// progress and ends with ENDMARKER.
type Scanner struct {
	file *File
	errh func(*Error)
	mode ScanMode
}

// NewScanner returns a scanner over f. errh receives each error (it may be nil).
func NewScanner(f *File, errh func(*Error), mode ScanMode) *Scanner {
	return &Scanner{file: f, errh: errh, mode: mode}
}

// Scan returns the next token. After ENDMARKER it keeps returning ENDMARKER.
func (s *Scanner) Scan() Token {
	n := Pos(len(s.file.Src))
	return Token{Kind: ENDMARKER, Start: n, End: n}
}
