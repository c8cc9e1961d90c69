package pyast

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ScanMode controls what the scanner returns.
type ScanMode uint8

// Scan modes.
const (
	ScanTrivia ScanMode = 1 << iota // also return COMMENT and NL tokens (the parser does not want them)
)

// Limits of CPython 3.12's tokenizer.
const (
	maxIndent         = 100 // MAXINDENT: indentation levels
	maxParenLevel     = 200 // MAXLEVEL: open brackets
	maxFStringLevel   = 150 // MAXFSTRINGLEVEL: tokenizer mode stack (f-strings + 1)
	maxFStringExprLev = 3   // MAX_EXPR_NESTING: replacement fields nested in format specs
)

// Scanner turns a decoded File into tokens, one at a time, with CPython 3.12
// tokenizer semantics (INDENT/DEDENT, implicit and explicit line joining,
// PEP 701 f-string modes). Errors go to the handler; the scanner always makes
// progress and ends with ENDMARKER.
//
// Token conventions (byte ranges into File.Src):
//   - NEWLINE and NL cover the "\n"; at the end of a file without a final
//     newline they are empty (Start == End == len(Src)), as CPython's
//     implicit newline.
//   - INDENT covers the indentation of its line; DEDENT is empty, placed at
//     the first token of the line (at EOF: at len(Src)). ENDMARKER is empty
//     at len(Src).
//   - STRING is a whole literal, prefix and quotes included.
//   - An f-string is FSTRING_START (prefix and opening quotes), then any
//     number of FSTRING_MIDDLE (literal text exactly as written: "{{", "}}"
//     and escapes are not decoded and not split, unlike CPython's tokenize
//     module which splits a middle after the first brace of "{{"), LBRACE,
//     the tokens of the expression, optional EXCLAMATION NAME, optional
//     COLON followed by the format spec (FSTRING_MIDDLE text and nested
//     replacement fields), RBRACE, …, and FSTRING_END (the closing quotes).
//     FSTRING_MIDDLE tokens are never empty.
//   - "<>" is two tokens, LESS and GREATER (CPython lexes it as NOTEQUAL and
//     rejects it in the parser unless barry_as_FLUFL).
//   - "!" alone is EXCLAMATION everywhere, as in CPython 3.12.
//
// Error conventions: when the scanner reports an error for a piece of text
// (stray character, malformed number, unterminated string, invalid
// identifier character) that text comes back as one ILLEGAL token, so the
// parser need not report it again. Structure is kept balanced for the
// parser: an unterminated f-string still ends with an (empty) FSTRING_END,
// EOF inside brackets is reported once and followed by NEWLINE, DEDENTs and
// ENDMARKER.
type Scanner struct {
	file *File
	src  []byte
	errh func(*Error)
	mode ScanMode

	// ErrorCount is the number of errors reported so far.
	ErrorCount int

	// Reading state.
	off         int  // next byte to read
	atBOL       bool // at the beginning of a physical line: indentation is measured next
	blank       bool // current line has only whitespace / comments so far (its newline is NL)
	implicitNL  bool // the implicit newline at EOF (source not ending in "\n") was produced
	done        bool // ENDMARKER was returned
	eofReported bool // an unclosed bracket at EOF was reported
	lastKind    Kind // last significant (non-trivia) token kind returned; ILLEGAL at start
	pending     int  // >0: INDENTs to return, <0: DEDENTs to return
	indentBeg   int  // start of the current line's indentation (for INDENT tokens)

	// Stacks, reused for the whole file.
	indents  []indentLevel // indentation stack; indents[0] is column 0
	parens   []paren       // open brackets, including f-string replacement-field braces
	fstrings []fstringMode // f-string tokenizer modes, innermost last
}

// indentLevel is one entry of the indentation stack: the column with tabs
// to multiples of 8 and the alternate column with tabs as 1 (TabError check).
type indentLevel struct {
	col, alt int
}

// paren is one open bracket.
type paren struct {
	ch  byte // '(', '[' or '{'
	off int  // offset of the bracket
}

// fstringMode is the state of one f-string being scanned, modelled on
// CPython 3.12's tokenizer_mode.
type fstringMode struct {
	start          int  // offset of the FSTRING_START token
	quote          byte // '\'' or '"'
	quoteSize      int  // 1 or 3
	raw            bool // r prefix
	regular        bool // scanning tokens of a replacement field (TOK_REGULAR_MODE), else literal text
	inFormatSpec   bool // the literal text being scanned is a format spec
	curlyDepth     int  // brackets opened inside this f-string (curly_bracket_depth)
	exprStartDepth int  // curly depth where the innermost field's expression started; -1 outside fields
	parenBase      int  // len(parens) when the f-string started
}

// NewScanner returns a scanner over f. errh receives each error (it may be nil).
func NewScanner(f *File, errh func(*Error), mode ScanMode) *Scanner {
	s := &Scanner{file: f, errh: errh, mode: mode}
	s.src = f.Src
	s.atBOL = true
	s.indents = make([]indentLevel, 1, 16)
	s.parens = make([]paren, 0, 16)
	s.lastKind = NEWLINE
	return s
}

// Scan returns the next token. After ENDMARKER it keeps returning ENDMARKER.
func (s *Scanner) Scan() Token {
	for {
		t := s.next()
		switch t.Kind {
		case NL, COMMENT:
			if s.mode&ScanTrivia == 0 {
				continue
			}
			return t
		}
		s.lastKind = t.Kind
		return t
	}
}

// ReLexLogicalLine supports the parser's error recovery: if brackets opened
// outside any f-string are still open, it forgets the innermost of them, so
// that the next newline ends the logical line again (NEWLINE instead of NL).
// It reports whether a bracket was dropped. Tokens already returned are not
// changed; the parser calls it when it gives up on an unclosed bracket and
// wants the following lines lexed as statements.
//
// Inside an f-string it does nothing (brackets there belong to the
// f-string's structure) and returns false.
func (s *Scanner) ReLexLogicalLine() bool {
	if len(s.fstrings) > 0 || len(s.parens) == 0 {
		return false
	}
	s.parens = s.parens[:len(s.parens)-1]
	return true
}

// InnermostBracket returns the innermost open bracket outside f-strings
// (its character and offset), as ReLexLogicalLine would drop it next.
func (s *Scanner) InnermostBracket() (ch byte, off Pos, ok bool) {
	if len(s.fstrings) > 0 || len(s.parens) == 0 {
		return 0, NoPos, false
	}
	p := s.parens[len(s.parens)-1]
	return p.ch, Pos(p.off), true
}

// error reports an error at offset off.
func (s *Scanner) error(kind ErrorKind, off int, msg string) {
	s.ErrorCount++
	if s.errh == nil {
		return
	}
	p := s.file.Position(Pos(off))
	s.errh(&Error{Kind: kind, Pos: Pos(off), Line: p.Line, Col: p.Col, Msg: msg})
}

func (s *Scanner) errorf(off int, format string, args ...any) {
	s.error(SyntaxError, off, fmt.Sprintf(format, args...))
}

func (s *Scanner) tok(k Kind, start, end int) Token {
	return Token{Kind: k, Start: Pos(start), End: Pos(end)}
}

// eofLine returns the line number CPython's tokenizer is on at EOF: the
// line of the last character.
func (s *Scanner) eofLine() int { return s.lineOf(max(len(s.src)-1, 0)) }

// lineOf returns the 1-based line number of offset off.
func (s *Scanner) lineOf(off int) int { return s.file.Position(Pos(off)).Line }

// next returns the next token including trivia.
func (s *Scanner) next() Token {
	if s.done {
		n := len(s.src)
		return s.tok(ENDMARKER, n, n)
	}
	if s.pending != 0 {
		if s.pending < 0 {
			s.pending++
			return s.tok(DEDENT, s.off, s.off)
		}
		s.pending--
		return s.tok(INDENT, s.indentBeg, s.off)
	}
	if n := len(s.fstrings); n > 0 && !s.fstrings[n-1].regular {
		return s.scanFStringText(&s.fstrings[n-1])
	}
	if s.atBOL {
		s.atBOL = false
		s.blank = false
		s.indentation()
		if s.pending != 0 {
			return s.next()
		}
	}
	return s.scanToken()
}

// indentation measures the indentation of a new line and, outside
// brackets, updates the indentation stack and the pending INDENT/DEDENTs.
func (s *Scanner) indentation() {
	col, alt, contCol := 0, 0, -1
	s.indentBeg = s.off
	src := s.src
	for {
		if s.off >= len(src) {
			break
		}
		c := src[s.off]
		if c == ' ' {
			col++
			alt++
		} else if c == '\t' {
			col = (col/8 + 1) * 8
			alt++
		} else if c == '\f' {
			col, alt = 0, 0
		} else if c == '\\' && s.off+2 < len(src) && src[s.off+1] == '\n' {
			// Indentation cannot be split over physical lines; the first
			// backslash decides the level. (A backslash not followed by a
			// newline and a further line is left to scanToken.)
			if contCol < 0 {
				contCol = col
			}
			s.off += 2
			continue
		} else {
			break
		}
		s.off++
	}
	if s.off >= len(src) {
		// EOF: blank only if the implicit newline still ends this line.
		s.blank = !s.implicitNL && len(src) > 0 && src[len(src)-1] != '\n'
	} else if c := src[s.off]; c == '#' || c == '\n' {
		s.blank = true
	}
	if s.blank || len(s.parens) > 0 {
		return
	}
	if contCol >= 0 {
		col, alt = contCol, contCol
	}
	top := s.indents[len(s.indents)-1]
	switch {
	case col == top.col:
		if alt != top.alt {
			s.tabError()
		}
	case col > top.col:
		if len(s.indents) >= maxIndent {
			s.error(IndentationError, s.indentBeg, "too many levels of indentation")
			return
		}
		if alt <= top.alt {
			s.tabError()
		}
		s.indents = append(s.indents, indentLevel{col, alt})
		s.pending++
	default:
		for len(s.indents) > 1 && col < s.indents[len(s.indents)-1].col {
			s.indents = s.indents[:len(s.indents)-1]
			s.pending--
		}
		top = s.indents[len(s.indents)-1]
		if col != top.col {
			s.error(IndentationError, s.lineEnd(), "unindent does not match any outer indentation level")
		} else if alt != top.alt {
			s.tabError()
		}
	}
}

func (s *Scanner) tabError() {
	s.error(TabError, s.indentBeg, "inconsistent use of tabs and spaces in indentation")
}

// lineEnd returns the offset of the end of the current line.
func (s *Scanner) lineEnd() int {
	i := s.off
	for i < len(s.src) && s.src[i] != '\n' {
		i++
	}
	return i
}

// scanToken scans one token in regular mode.
func (s *Scanner) scanToken() Token {
	src := s.src
again:
	for s.off < len(src) {
		c := src[s.off]
		if c != ' ' && c != '\t' && c != '\f' {
			break
		}
		s.off++
	}
	start := s.off
	if start >= len(src) {
		return s.scanEOF()
	}
	c := src[start]
	switch {
	case c == '\n':
		s.off++
		s.atBOL = true
		if s.blank || len(s.parens) > 0 {
			return s.tok(NL, start, s.off)
		}
		return s.tok(NEWLINE, start, s.off)
	case c == '#':
		i := start + 1
		for i < len(src) && src[i] != '\n' {
			i++
		}
		s.off = i
		return s.tok(COMMENT, start, i)
	case c == '\\':
		// Explicit line joining.
		switch {
		case start+2 < len(src) && src[start+1] == '\n':
			s.off = start + 2
			goto again
		case start+1 >= len(src) || src[start+1] == '\n':
			// Only the (possibly implicit) newline and EOF follow.
			s.error(SyntaxError, start+1, "unexpected EOF while parsing")
			s.implicitNL = true
			return s.scanEOF()
		}
		s.error(SyntaxError, start+1, "unexpected character after line continuation character")
		s.off = start + 1
		return s.tok(ILLEGAL, start, s.off)
	}
	s.blank = false
	switch {
	case isASCIILetter(c) || c >= utf8.RuneSelf:
		return s.scanName(start)
	case isDigit(c):
		return s.scanNumber(start)
	case c == '"' || c == '\'':
		return s.scanString(start, start)
	case c == '.':
		if start+1 < len(src) && isDigit(src[start+1]) {
			return s.scanNumber(start)
		}
		if start+2 < len(src) && src[start+1] == '.' && src[start+2] == '.' {
			s.off = start + 3
			return s.tok(ELLIPSIS, start, s.off)
		}
		s.off = start + 1
		return s.tok(DOT, start, s.off)
	}
	return s.scanOperator(start, c)
}

// scanEOF returns the tokens at the end of the source: the implicit
// newline, the end of unterminated f-strings and brackets (reported), a
// NEWLINE closing the last logical line, DEDENTs and ENDMARKER.
func (s *Scanner) scanEOF() Token {
	n := len(s.src)
	s.off = n
	if !s.implicitNL && n > 0 && s.src[n-1] != '\n' {
		s.implicitNL = true
		s.atBOL = true
		if s.blank || len(s.parens) > 0 {
			return s.tok(NL, n, n)
		}
		return s.tok(NEWLINE, n, n)
	}
	if k := len(s.fstrings); k > 0 {
		// EOF inside a replacement field: CPython reports the innermost
		// open bracket (at least the field's '{').
		if p := len(s.parens); p > 0 && !s.eofReported {
			s.errorf(s.parens[p-1].off, "'%c' was never closed", s.parens[p-1].ch)
			s.eofReported = true
		}
		return s.popFString(n, n)
	}
	if k := len(s.parens); k > 0 {
		if !s.eofReported {
			p := s.parens[k-1]
			s.errorf(p.off, "'%c' was never closed", p.ch)
			s.eofReported = true
		}
		s.parens = s.parens[:0]
	}
	switch s.lastKind {
	case NEWLINE, INDENT, DEDENT:
	default:
		return s.tok(NEWLINE, n, n)
	}
	if len(s.indents) > 1 {
		s.indents = s.indents[:len(s.indents)-1]
		return s.tok(DEDENT, n, n)
	}
	s.done = true
	return s.tok(ENDMARKER, n, n)
}

// scanName scans an identifier, keyword or string prefix starting at start.
func (s *Scanner) scanName(start int) Token {
	src := s.src
	i := start
	// String prefixes: b, r, u, f and the combinations CPython allows.
	sawB, sawR, sawU, sawF := false, false, false, false
	for i < len(src) {
		c := src[i] | 0x20
		switch {
		case c == 'b' && !(sawB || sawU || sawF):
			sawB = true
		case (src[i] == 'u' || src[i] == 'U') && !(sawB || sawU || sawR || sawF):
			sawU = true
		case c == 'r' && !(sawR || sawU):
			sawR = true
		case c == 'f' && !(sawF || sawB || sawU):
			sawF = true
		default:
			goto ident
		}
		i++
		if i < len(src) && (src[i] == '"' || src[i] == '\'') {
			if sawF {
				return s.startFString(start, i, sawR)
			}
			return s.scanString(start, i)
		}
	}
ident:
	i = start
	if src[start] >= utf8.RuneSelf {
		// A character that cannot start an identifier is a token of its
		// own. Reject it before measuring the non-ASCII run that follows:
		// measuring first would rescan the rest of the run for each of its
		// characters (quadratic time on e.g. a run of invalid UTF-8).
		if r, w := utf8.DecodeRune(src[start:]); !isIdentStart(r) || (r == utf8.RuneError && w == 1) {
			if unicode.IsPrint(r) && !(r == utf8.RuneError && w == 1) {
				s.errorf(start, "invalid character '%c' (U+%04X)", r, r)
			} else {
				s.errorf(start, "invalid non-printable character U+%04X", r)
			}
			s.off = start + w
			return s.tok(ILLEGAL, start, s.off)
		}
	}
	ascii := true
	for i < len(src) {
		c := src[i]
		if isASCIILetter(c) || isDigit(c) {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		ascii = false
		i++
	}
	s.off = i
	if ascii {
		return s.tok(keywordKind(src[start:i]), start, i)
	}
	// Verify the non-ASCII identifier as CPython's verify_identifier does.
	for j := start; j < i; {
		r, w := rune(src[j]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRune(src[j:])
		}
		ok := isIdentContinue(r)
		if j == start {
			ok = isIdentStart(r)
		}
		if !ok || (r == utf8.RuneError && w == 1) {
			if unicode.IsPrint(r) && !(r == utf8.RuneError && w == 1) {
				s.errorf(j, "invalid character '%c' (U+%04X)", r, r)
			} else {
				s.errorf(j, "invalid non-printable character U+%04X", r)
			}
			if j == start {
				// The bad character starts the token: return it alone.
				s.off = j + w
				return s.tok(ILLEGAL, start, s.off)
			}
			return s.tok(ILLEGAL, start, i)
		}
		j += w
	}
	return s.tok(NAME, start, i)
}

// scanOperator scans an operator or delimiter, or a stray character.
func (s *Scanner) scanOperator(start int, c byte) Token {
	src := s.src
	var c2, c3 byte
	if start+1 < len(src) {
		c2 = src[start+1]
		if start+2 < len(src) {
			c3 = src[start+2]
		}
	}
	k, n := ILLEGAL, 1
	switch c {
	case '(':
		return s.openBracket(start, c, LPAR)
	case '[':
		return s.openBracket(start, c, LSQB)
	case '{':
		return s.openBracket(start, c, LBRACE)
	case ')':
		return s.closeBracket(start, c, RPAR)
	case ']':
		return s.closeBracket(start, c, RSQB)
	case '}':
		return s.closeBracket(start, c, RBRACE)
	case ':':
		k = COLON
		if c2 == '=' {
			k, n = COLONEQUAL, 2
		}
		if fs := s.fstringExpr(); fs != nil && fs.curlyDepth-1 == fs.exprStartDepth {
			// A colon at the field's own level starts the format spec
			// (even before "=", as in CPython: f"{x:=1}" has spec "=1").
			s.off = start + 1
			fs.regular = false
			fs.inFormatSpec = true
			return s.tok(COLON, start, s.off)
		}
	case ',':
		k = COMMA
	case ';':
		k = SEMI
	case '~':
		k = TILDE
	case '+':
		k = PLUS
		if c2 == '=' {
			k, n = PLUSEQUAL, 2
		}
	case '-':
		k = MINUS
		if c2 == '=' {
			k, n = MINEQUAL, 2
		} else if c2 == '>' {
			k, n = RARROW, 2
		}
	case '*':
		k = STAR
		if c2 == '=' {
			k, n = STAREQUAL, 2
		} else if c2 == '*' {
			k, n = DOUBLESTAR, 2
			if c3 == '=' {
				k, n = DOUBLESTAREQUAL, 3
			}
		}
	case '/':
		k = SLASH
		if c2 == '=' {
			k, n = SLASHEQUAL, 2
		} else if c2 == '/' {
			k, n = DOUBLESLASH, 2
			if c3 == '=' {
				k, n = DOUBLESLASHEQUAL, 3
			}
		}
	case '%':
		k = PERCENT
		if c2 == '=' {
			k, n = PERCENTEQUAL, 2
		}
	case '&':
		k = AMPER
		if c2 == '=' {
			k, n = AMPEREQUAL, 2
		}
	case '|':
		k = VBAR
		if c2 == '=' {
			k, n = VBAREQUAL, 2
		}
	case '^':
		k = CIRCUMFLEX
		if c2 == '=' {
			k, n = CIRCUMFLEXEQUAL, 2
		}
	case '@':
		k = AT
		if c2 == '=' {
			k, n = ATEQUAL, 2
		}
	case '=':
		k = EQUAL
		if c2 == '=' {
			k, n = EQEQUAL, 2
		}
	case '!':
		k = EXCLAMATION
		if c2 == '=' {
			k, n = NOTEQUAL, 2
		}
	case '<':
		k = LESS
		if c2 == '=' {
			k, n = LESSEQUAL, 2
		} else if c2 == '<' {
			k, n = LEFTSHIFT, 2
			if c3 == '=' {
				k, n = LEFTSHIFTEQUAL, 3
			}
		}
	case '>':
		k = GREATER
		if c2 == '=' {
			k, n = GREATEREQUAL, 2
		} else if c2 == '>' {
			k, n = RIGHTSHIFT, 2
			if c3 == '=' {
				k, n = RIGHTSHIFTEQUAL, 3
			}
		}
	default:
		// A stray character: $ ? ` or a control character.
		switch {
		case c == 0:
			s.error(SyntaxError, start, "source code string cannot contain null bytes")
		case c < ' ' || c == 0x7f:
			s.errorf(start, "invalid non-printable character U+%04X", c)
		default:
			s.error(SyntaxError, start, "invalid syntax")
		}
	}
	s.off = start + n
	return s.tok(k, start, s.off)
}

// fstringExpr returns the innermost f-string if the scanner is inside one
// of its replacement fields (regular mode), else nil.
func (s *Scanner) fstringExpr() *fstringMode {
	if n := len(s.fstrings); n > 0 && s.fstrings[n-1].exprStartDepth >= 0 {
		return &s.fstrings[n-1]
	}
	return nil
}

func (s *Scanner) openBracket(start int, c byte, k Kind) Token {
	s.off = start + 1
	if len(s.parens) >= maxParenLevel {
		s.error(SyntaxError, start, "too many nested parentheses")
		return s.tok(ILLEGAL, start, s.off)
	}
	s.parens = append(s.parens, paren{ch: c, off: start})
	if n := len(s.fstrings); n > 0 {
		s.fstrings[n-1].curlyDepth++
	}
	return s.tok(k, start, s.off)
}

func (s *Scanner) closeBracket(start int, c byte, k Kind) Token {
	s.off = start + 1
	var fs *fstringMode
	if n := len(s.fstrings); n > 0 {
		fs = &s.fstrings[n-1]
		if c == '}' && fs.curlyDepth == 0 {
			s.error(SyntaxError, start, "f-string: single '}' is not allowed")
			fs.regular = false
			return s.tok(ILLEGAL, start, s.off)
		}
	}
	base := 0
	if fs != nil {
		base = fs.parenBase
	}
	if len(s.parens) <= base {
		s.errorf(start, "unmatched '%c'", c)
		return s.tok(ILLEGAL, start, s.off)
	}
	open := s.parens[len(s.parens)-1]
	s.parens = s.parens[:len(s.parens)-1]
	if !(open.ch == '(' && c == ')' || open.ch == '[' && c == ']' || open.ch == '{' && c == '}') {
		switch {
		case fs != nil && open.ch == '{' && fs.curlyDepth-1 == fs.exprStartDepth:
			s.errorf(start, "f-string: unmatched '%c'", c)
		case s.lineOf(open.off) != s.lineOf(start):
			s.errorf(start, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
				c, open.ch, s.lineOf(open.off))
		default:
			s.errorf(start, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open.ch)
		}
	}
	if fs != nil {
		fs.curlyDepth--
		if c == '}' && fs.curlyDepth == fs.exprStartDepth {
			// The field ends; if it was nested in a format spec, the spec
			// goes on (f"{x:{w}}}}" is a field and an escaped '}').
			fs.exprStartDepth--
			fs.regular = false
			if fs.exprStartDepth < 0 {
				fs.inFormatSpec = false
			}
		}
	}
	return s.tok(k, start, s.off)
}

// scanNumber scans a NUMBER starting at start (a digit, or "." and a digit)
// with CPython's tokenizer checks.
func (s *Scanner) scanNumber(start int) Token {
	src := s.src
	i := start
	at := func(j int) byte {
		if j < len(src) {
			return src[j]
		}
		return 0
	}
	// bad reports msg at errAt-1 (CPython points at the last character
	// it accepted, or the offending digit when errAt is negated) and
	// returns the malformed literal as ILLEGAL.
	bad := func(errAt int, msg string) Token {
		if errAt < 0 {
			errAt = -errAt
			s.error(SyntaxError, errAt, msg)
		} else {
			s.error(SyntaxError, max(errAt-1, start), msg)
		}
		// Swallow the rest of the malformed literal.
		j := errAt
		for j < len(src) && (isASCIILetter(src[j]) || isDigit(src[j]) || src[j] == '.') {
			j++
		}
		if j <= start {
			j = start + 1
		}
		s.off = j
		return s.tok(ILLEGAL, start, j)
	}
	// decimalTail scans digits with single underscores; it returns the
	// offset after them and whether they were well formed.
	decimalTail := func(j int) (int, bool) {
		for {
			for isDigit(at(j)) {
				j++
			}
			if at(j) != '_' {
				return j, true
			}
			j++
			if !isDigit(at(j)) {
				return j, false
			}
		}
	}
	// endOf checks what follows the literal (verify_end_of_number).
	endOf := func(j int, kind string) Token {
		c := at(j)
		if c < utf8.RuneSelf && (isASCIILetter(c) || isDigit(c)) && !keywordAfterNumber(src[j:]) {
			return bad(j, "invalid "+kind+" literal")
		}
		s.off = j
		return s.tok(NUMBER, start, j)
	}
	c := src[i]
	if c == '.' {
		i++
		goto fraction
	}
	if c == '0' {
		switch at(i+1) | 0x20 {
		case 'x':
			return s.scanRadix(start, i+2, "hexadecimal", isHexDigit, bad, endOf)
		case 'o':
			return s.scanRadix(start, i+2, "octal", isOctDigit, bad, endOf)
		case 'b':
			return s.scanRadix(start, i+2, "binary", isBinDigit, bad, endOf)
		}
		// "0", "00", "0_0", maybe followed by a fraction/exponent/imaginary
		// part; other leading zeros are an error.
		i++
		for {
			if at(i) == '_' {
				i++
				if !isDigit(at(i)) {
					return bad(i, "invalid decimal literal")
				}
			}
			if at(i) != '0' {
				break
			}
			i++
		}
		nonzero := false
		if isDigit(at(i)) {
			nonzero = true
			var ok bool
			if i, ok = decimalTail(i); !ok {
				return bad(i, "invalid decimal literal")
			}
		}
		switch at(i) {
		case '.':
			i++
			goto fraction
		case 'e', 'E':
			goto exponent
		case 'j', 'J':
			i++
			return endOf(i, "imaginary")
		}
		if nonzero {
			return bad(start+1, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
		}
		return endOf(i, "decimal")
	}
	{
		var ok bool
		if i, ok = decimalTail(i); !ok {
			return bad(i, "invalid decimal literal")
		}
		if at(i) == '.' {
			i++
			goto fraction
		}
		goto exponent
	}
fraction:
	if isDigit(at(i)) {
		var ok bool
		if i, ok = decimalTail(i); !ok {
			return bad(i, "invalid decimal literal")
		}
	}
exponent:
	if c := at(i); c == 'e' || c == 'E' {
		e := i
		i++
		if c := at(i); c == '+' || c == '-' {
			i++
			if !isDigit(at(i)) {
				return bad(i, "invalid decimal literal")
			}
		} else if !isDigit(at(i)) {
			// "1e" followed by something else: the number ends before e,
			// unless that makes an invalid literal.
			return endOf(e, "decimal")
		}
		var ok bool
		if i, ok = decimalTail(i); !ok {
			return bad(i, "invalid decimal literal")
		}
	}
	if c := at(i); c == 'j' || c == 'J' {
		return endOf(i+1, "imaginary")
	}
	return endOf(i, "decimal")
}

// scanRadix scans the digits of a 0x/0o/0b literal starting at i.
func (s *Scanner) scanRadix(start, i int, kind string, isD func(byte) bool,
	bad func(int, string) Token, endOf func(int, string) Token) Token {
	src := s.src
	at := func(j int) byte {
		if j < len(src) {
			return src[j]
		}
		return 0
	}
	for {
		if at(i) == '_' {
			i++
		}
		if !isD(at(i)) {
			if kind != "hexadecimal" && isDigit(at(i)) {
				return bad(-i, fmt.Sprintf("invalid digit '%c' in %s literal", at(i), kind))
			}
			return bad(i, "invalid "+kind+" literal")
		}
		for isD(at(i)) {
			i++
		}
		if at(i) != '_' {
			break
		}
	}
	if kind != "hexadecimal" && isDigit(at(i)) {
		return bad(-i, fmt.Sprintf("invalid digit '%c' in %s literal", at(i), kind))
	}
	return endOf(i, kind)
}

// keywordAfterNumber reports whether b starts with one of the keywords
// CPython tolerates right after a number (with a warning): and, else, for,
// if, in, is, or, not.
func keywordAfterNumber(b []byte) bool {
	has := func(p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }
	switch b[0] {
	case 'a':
		return has("and")
	case 'e':
		return has("else")
	case 'f':
		return has("for")
	case 'i':
		return len(b) >= 2 && (b[1] == 'f' || b[1] == 'n' || b[1] == 's')
	case 'o':
		return has("or")
	case 'n':
		return has("not")
	}
	return false
}

// scanString scans a string literal whose prefix starts at start and whose
// opening quote is at q.
func (s *Scanner) scanString(start, q int) Token {
	src := s.src
	quote := src[q]
	size := 1
	i := q + 1
	if i+1 < len(src) && src[i] == quote && src[i+1] == quote {
		size = 3
		i += 2
	}
	if size == 1 {
		for i < len(src) {
			c := src[i]
			if c == quote {
				s.off = i + 1
				return s.tok(STRING, start, s.off)
			}
			if c == '\n' {
				break
			}
			if c == '\\' {
				i++
			}
			i++
		}
	} else {
		for i < len(src) {
			c := src[i]
			if c == quote && i+2 < len(src) && src[i+1] == quote && src[i+2] == quote {
				s.off = i + 3
				return s.tok(STRING, start, s.off)
			}
			if c == '\\' {
				i++
			}
			i++
		}
	}
	if i > len(src) {
		i = len(src)
	}
	// Unterminated.
	if fs := s.fstringExpr(); fs != nil && fs.quote == quote && fs.quoteSize == size {
		s.error(SyntaxError, start, "f-string: expecting '}'")
	} else if size == 3 {
		s.errorf(start, "unterminated triple-quoted string literal (detected at line %d)", s.eofLine())
	} else {
		s.errorf(start, "unterminated string literal (detected at line %d)", s.lineOf(i))
	}
	s.off = i
	return s.tok(ILLEGAL, start, i)
}

// startFString pushes an f-string mode for the prefix at start and the
// quote at q and returns FSTRING_START.
func (s *Scanner) startFString(start, q int, raw bool) Token {
	src := s.src
	quote := src[q]
	size := 1
	i := q + 1
	if i+1 < len(src) && src[i] == quote && src[i+1] == quote {
		size = 3
		i += 2
	}
	s.off = i
	if len(s.fstrings)+1 >= maxFStringLevel {
		s.error(SyntaxError, q, "too many nested f-strings")
		// Skip the f-string as if it were a plain string.
		return s.scanString(start, q)
	}
	s.fstrings = append(s.fstrings, fstringMode{
		start:          start,
		quote:          quote,
		quoteSize:      size,
		raw:            raw,
		exprStartDepth: -1,
		parenBase:      len(s.parens),
	})
	return s.tok(FSTRING_START, start, i)
}

// popFString ends the innermost f-string with an FSTRING_END token over
// [start, end), dropping brackets left open inside it.
func (s *Scanner) popFString(start, end int) Token {
	n := len(s.fstrings)
	fs := s.fstrings[n-1]
	if len(s.parens) > fs.parenBase {
		s.parens = s.parens[:fs.parenBase]
	}
	s.fstrings = s.fstrings[:n-1]
	s.off = end
	return s.tok(FSTRING_END, start, end)
}

func (s *Scanner) unterminatedFString(fs *fstringMode) {
	line := s.lineOf(s.off)
	if s.off >= len(s.src) {
		line = s.eofLine()
	}
	if fs.quoteSize == 3 {
		s.errorf(fs.start, "unterminated triple-quoted f-string literal (detected at line %d)", line)
	} else {
		s.errorf(fs.start, "unterminated f-string literal (detected at line %d)", line)
	}
}

// scanFStringText scans in f-string literal mode: FSTRING_END, an
// FSTRING_MIDDLE, or (via regular mode) the LBRACE of a replacement field.
func (s *Scanner) scanFStringText(fs *fstringMode) Token {
	src := s.src
	start := s.off
	i := start
	inSpec := fs.inFormatSpec && fs.exprStartDepth >= 0
	unicodeEscape := false
	for {
		if i >= len(src) || (src[i] == '\n' && fs.quoteSize == 1) {
			if inSpec && i < len(src) {
				// A newline ends a single-quoted format spec; the
				// replacement field continues in regular mode.
				fs.regular = true
				if i > start {
					s.off = i
					return s.tok(FSTRING_MIDDLE, start, i)
				}
				return s.next()
			}
			if i > start {
				// Return the text first; the error comes with the end.
				s.off = i
				return s.tok(FSTRING_MIDDLE, start, i)
			}
			s.off = i
			s.unterminatedFString(fs)
			return s.popFString(i, i)
		}
		c := src[i]
		switch c {
		case fs.quote:
			if fs.quoteSize == 1 || i+2 < len(src) && src[i+1] == c && src[i+2] == c {
				if i > start {
					s.off = i
					return s.tok(FSTRING_MIDDLE, start, i)
				}
				return s.popFString(i, i+fs.quoteSize)
			}
			i++
		case '{':
			if !inSpec && i+1 < len(src) && src[i+1] == '{' {
				i += 2
				continue
			}
			// A replacement field starts.
			fs.exprStartDepth++
			if fs.exprStartDepth >= maxFStringExprLev {
				s.error(SyntaxError, max(i-1, 0), "f-string: expressions nested too deeply")
			}
			fs.regular = true
			if i > start {
				s.off = i
				return s.tok(FSTRING_MIDDLE, start, i)
			}
			s.off = i
			return s.scanToken()
		case '}':
			if unicodeEscape {
				unicodeEscape = false
				i++
				continue
			}
			if !inSpec && i+1 < len(src) && src[i+1] == '}' {
				i += 2
				continue
			}
			// The end of a format spec, or a single '}' (reported in
			// regular mode).
			fs.regular = true
			if i > start {
				s.off = i
				return s.tok(FSTRING_MIDDLE, start, i)
			}
			s.off = i
			return s.scanToken()
		case '\\':
			i++
			if i < len(src) && (src[i] == '{' || src[i] == '}') {
				continue
			}
			if !fs.raw && i+1 < len(src) && src[i] == 'N' && src[i+1] == '{' {
				unicodeEscape = true
				i += 2
				continue
			}
			if i < len(src) {
				i++
			}
		default:
			i++
		}
	}
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' || c == '_' }
func isDigit(c byte) bool       { return c >= '0' && c <= '9' }
func isHexDigit(c byte) bool    { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }
func isOctDigit(c byte) bool    { return c >= '0' && c <= '7' }
func isBinDigit(c byte) bool    { return c == '0' || c == '1' }
