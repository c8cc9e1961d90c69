package pyast

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// scanString scans src (with trivia when trivia is set) and returns the
// tokens as "KIND" or "KIND:text" words, and the errors.
func scanWords(src string, trivia bool) (string, []*Error) {
	f := NewFile("t.py", []byte(src))
	var errs []*Error
	mode := ScanMode(0)
	if trivia {
		mode = ScanTrivia
	}
	s := NewScanner(f, func(e *Error) { errs = append(errs, e) }, mode)
	var words []string
	for i := 0; i < 4*len(src)+100; i++ {
		t := s.Scan()
		w := t.Kind.String()
		switch t.Kind {
		case NAME, NUMBER, STRING, FSTRING_START, FSTRING_MIDDLE, FSTRING_END, COMMENT, ILLEGAL:
			w += ":" + string(f.Src[t.Start:t.End])
		case INDENT:
			w += ":" + string(f.Src[t.Start:t.End])
		}
		words = append(words, w)
		if t.Kind == ENDMARKER {
			break
		}
	}
	return strings.Join(words, " "), errs
}

var scanTests = []struct {
	src, want string
}{
	// Structure.
	{"", "ENDMARKER"},
	{"x", "NAME:x NEWLINE ENDMARKER"},
	{"x\n", "NAME:x NEWLINE ENDMARKER"},
	{"\n\n", "ENDMARKER"},
	{"# c", "ENDMARKER"},
	{"if x:\n    y\nz\n", "if NAME:x : NEWLINE INDENT:     NAME:y NEWLINE DEDENT NAME:z NEWLINE ENDMARKER"},
	{"if x:\n  if y:\n    z", "if NAME:x : NEWLINE INDENT:   if NAME:y : NEWLINE INDENT:     NAME:z NEWLINE DEDENT DEDENT ENDMARKER"},
	{"if x:\n\n  # c\n      # d\n  y\n", "if NAME:x : NEWLINE INDENT:   NAME:y NEWLINE DEDENT ENDMARKER"},
	{"if x:\n\ty\n\tz\n", "if NAME:x : NEWLINE INDENT:\t NAME:y NEWLINE NAME:z NEWLINE DEDENT ENDMARKER"},
	{"if x:\n \f y\n", "if NAME:x : NEWLINE INDENT: \f  NAME:y NEWLINE DEDENT ENDMARKER"},
	{"x = (1,\n  2)\ny", "NAME:x = ( NUMBER:1 , NUMBER:2 ) NEWLINE NAME:y NEWLINE ENDMARKER"},
	{"x = 1 + \\\n    2\n", "NAME:x = NUMBER:1 + NUMBER:2 NEWLINE ENDMARKER"},
	{"if x:\n  a\n  \\\n  b\n", "if NAME:x : NEWLINE INDENT:   NAME:a NEWLINE NAME:b NEWLINE DEDENT ENDMARKER"},
	// Keywords, soft keywords, names.
	{"match _ case type await async None", "NAME:match NAME:_ NAME:case NAME:type await async None NEWLINE ENDMARKER"},
	{"ñ = été_1", "NAME:ñ = NAME:été_1 NEWLINE ENDMARKER"},
	// Numbers.
	{"0 00 0_0 1_000 0x_fF 0o17 0B1_0 1. .5 1.5e-3 1E5 1j 1.5J 0e0 00.5 09.5 0_9j 1if x",
		"NUMBER:0 NUMBER:00 NUMBER:0_0 NUMBER:1_000 NUMBER:0x_fF NUMBER:0o17 NUMBER:0B1_0 NUMBER:1. NUMBER:.5 NUMBER:1.5e-3 NUMBER:1E5 NUMBER:1j NUMBER:1.5J NUMBER:0e0 NUMBER:00.5 NUMBER:09.5 NUMBER:0_9j NUMBER:1 if NAME:x NEWLINE ENDMARKER"},
	{"1 .real 1..real x...", "NUMBER:1 . NAME:real NUMBER:1. . NAME:real NAME:x ... NEWLINE ENDMARKER"},
	// Strings.
	{`'a' "b" '''c'd''' """e""" r'\'' b'x' Rb"y" bR'z' u'w' U"v" rB'' '\\'`,
		`STRING:'a' STRING:"b" STRING:'''c'd''' STRING:"""e""" STRING:r'\'' STRING:b'x' STRING:Rb"y" STRING:bR'z' STRING:u'w' STRING:U"v" STRING:rB'' STRING:'\\' NEWLINE ENDMARKER`},
	{"'a\\\nb'", "STRING:'a\\\nb' NEWLINE ENDMARKER"},
	{"ub'x' ur'x' bu''", "NAME:ub STRING:'x' NAME:ur STRING:'x' NAME:bu STRING:'' NEWLINE ENDMARKER"},
	{"'''a\n\"\"\"\n'''", "STRING:'''a\n\"\"\"\n''' NEWLINE ENDMARKER"},
	// F-strings.
	{`f''`, `FSTRING_START:f' FSTRING_END:' NEWLINE ENDMARKER`},
	{`f"a{{b}}c{x!r:>{w}} {y=}"`, `FSTRING_START:f" FSTRING_MIDDLE:a{{b}}c { NAME:x ! NAME:r : FSTRING_MIDDLE:> { NAME:w } } FSTRING_MIDDLE:  { NAME:y = } FSTRING_END:" NEWLINE ENDMARKER`},
	{`rf"\N{x}" F'\N{DASH}{y}' fR'\{x}'`, `FSTRING_START:rf" FSTRING_MIDDLE:\N { NAME:x } FSTRING_END:" FSTRING_START:F' FSTRING_MIDDLE:\N{DASH} { NAME:y } FSTRING_END:' FSTRING_START:fR' FSTRING_MIDDLE:\ { NAME:x } FSTRING_END:' NEWLINE ENDMARKER`},
	{`f"{x["a"]}" f'{f'{1}'}'`, `FSTRING_START:f" { NAME:x [ STRING:"a" ] } FSTRING_END:" FSTRING_START:f' { FSTRING_START:f' { NUMBER:1 } FSTRING_END:' } FSTRING_END:' NEWLINE ENDMARKER`},
	{`f"{x:{5}}}}"`, `FSTRING_START:f" { NAME:x : { NUMBER:5 } } FSTRING_MIDDLE:}} FSTRING_END:" NEWLINE ENDMARKER`},
	{`f"{a[1:2]:x} {x:=1} {x!=y} {lambda: 1}"`, `FSTRING_START:f" { NAME:a [ NUMBER:1 : NUMBER:2 ] : FSTRING_MIDDLE:x } FSTRING_MIDDLE:  { NAME:x : FSTRING_MIDDLE:=1 } FSTRING_MIDDLE:  { NAME:x != NAME:y } FSTRING_MIDDLE:  { lambda : FSTRING_MIDDLE: 1 } FSTRING_END:" NEWLINE ENDMARKER`},
	{"f'''a\n{x # c\n}b\n'''", "FSTRING_START:f''' FSTRING_MIDDLE:a\n { NAME:x } FSTRING_MIDDLE:b\n FSTRING_END:''' NEWLINE ENDMARKER"},
	{"f'{x\n:y}'", "FSTRING_START:f' { NAME:x : FSTRING_MIDDLE:y } FSTRING_END:' NEWLINE ENDMARKER"},
	{`f"{x:a\"}"`, `FSTRING_START:f" { NAME:x : FSTRING_MIDDLE:a\" } FSTRING_END:" NEWLINE ENDMARKER`},
	// Operators.
	{"**= ... //= <<= >>= != %= &= ** *= += -= -> // /= := << <= == >= >> @= ^= |= ! % & ( ) * + , - . / : ; < = > @ [ ] ^ { | } ~",
		"**= ... //= <<= >>= != %= &= ** *= += -= -> // /= := << <= == >= >> @= ^= |= ! % & ( ) * + , - . / : ; < = > @ [ ] ^ { | } ~ NEWLINE ENDMARKER"},
	{"a <> b", "NAME:a < > NAME:b NEWLINE ENDMARKER"},
}

func TestScan(t *testing.T) {
	for _, tt := range scanTests {
		got, errs := scanWords(tt.src, false)
		if got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
		for _, e := range errs {
			t.Errorf("%q: unexpected error %v", tt.src, e)
		}
	}
}

var scanTriviaTests = []struct {
	src, want string
}{
	{"# c", "COMMENT:# c NL ENDMARKER"},
	{"x # c\n\n", "NAME:x COMMENT:# c NEWLINE NL ENDMARKER"},
	{"(\n# c\n)", "( NL COMMENT:# c NL ) NEWLINE ENDMARKER"},
	{"  \n", "NL ENDMARKER"},
	{"  ", "NL ENDMARKER"},
	{"if x:\n  y\n# c\nz", "if NAME:x : NEWLINE INDENT:   NAME:y NEWLINE COMMENT:# c NL DEDENT NAME:z NEWLINE ENDMARKER"},
}

func TestScanTrivia(t *testing.T) {
	for _, tt := range scanTriviaTests {
		got, errs := scanWords(tt.src, true)
		if got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
		for _, e := range errs {
			t.Errorf("%q: unexpected error %v", tt.src, e)
		}
	}
}

// scanErrorTests hold the first error for each input; messages, lines and
// 0-based columns are CPython 3.12.1's (ast.parse's SyntaxError offset - 1).
var scanErrorTests = []struct {
	src       string
	kind      ErrorKind
	msg       string
	line, col int
}{
	{"1abc\n", SyntaxError, "invalid decimal literal", 1, 0},
	{"1_\n", SyntaxError, "invalid decimal literal", 1, 1},
	{"1__0\n", SyntaxError, "invalid decimal literal", 1, 1},
	{"0x\n", SyntaxError, "invalid hexadecimal literal", 1, 1},
	{"0xg\n", SyntaxError, "invalid hexadecimal literal", 1, 1},
	{"0x_\n", SyntaxError, "invalid hexadecimal literal", 1, 2},
	{"0o8\n", SyntaxError, "invalid digit '8' in octal literal", 1, 2},
	{"0o\n", SyntaxError, "invalid octal literal", 1, 1},
	{"0o1_8\n", SyntaxError, "invalid digit '8' in octal literal", 1, 4},
	{"0b2\n", SyntaxError, "invalid digit '2' in binary literal", 1, 2},
	{"0b12\n", SyntaxError, "invalid digit '2' in binary literal", 1, 3},
	{"0b\n", SyntaxError, "invalid binary literal", 1, 1},
	{"012\n", SyntaxError, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 0},
	{"0_7\n", SyntaxError, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 0},
	{"1e\n", SyntaxError, "invalid decimal literal", 1, 0},
	{"1e+\n", SyntaxError, "invalid decimal literal", 1, 2},
	{"1.e5x\n", SyntaxError, "invalid decimal literal", 1, 3},
	{"1ef\n", SyntaxError, "invalid decimal literal", 1, 0},
	{"1jx\n", SyntaxError, "invalid imaginary literal", 1, 1},
	{"0_\n", SyntaxError, "invalid decimal literal", 1, 1},
	{"1.0_\n", SyntaxError, "invalid decimal literal", 1, 3},
	{"1e1_\n", SyntaxError, "invalid decimal literal", 1, 3},
	{"'abc\n", SyntaxError, "unterminated string literal (detected at line 1)", 1, 0},
	{"'''abc\n", SyntaxError, "unterminated triple-quoted string literal (detected at line 1)", 1, 0},
	{"x = 'a\\\nb\n", SyntaxError, "unterminated string literal (detected at line 2)", 1, 4},
	{"\"abc", SyntaxError, "unterminated string literal (detected at line 1)", 1, 0},
	{"b'\n", SyntaxError, "unterminated string literal (detected at line 1)", 1, 0},
	{"f'abc\n", SyntaxError, "unterminated f-string literal (detected at line 1)", 1, 0},
	{"f'''abc\n", SyntaxError, "unterminated triple-quoted f-string literal (detected at line 1)", 1, 0},
	{"f'{x\n", SyntaxError, "'{' was never closed", 1, 2},
	{"f'{x'\n", SyntaxError, "f-string: expecting '}'", 1, 4},
	{"f'}'\n", SyntaxError, "f-string: single '}' is not allowed", 1, 2},
	{"f'{x}}'\n", SyntaxError, "f-string: single '}' is not allowed", 1, 5},
	{"f'{)}'\n", SyntaxError, "f-string: unmatched ')'", 1, 3},
	{"f'{x:{y:{z:{w}}}}}'\n", SyntaxError, "f-string: expressions nested too deeply", 1, 10},
	{"f'{'\n", SyntaxError, "f-string: expecting '}'", 1, 3},
	{"(\n", SyntaxError, "'(' was never closed", 1, 0},
	{"x = (1,\n[2\n", SyntaxError, "'[' was never closed", 2, 0},
	{"x)\n", SyntaxError, "unmatched ')'", 1, 1},
	{"(]\n", SyntaxError, "closing parenthesis ']' does not match opening parenthesis '('", 1, 1},
	{"(\n]\n", SyntaxError, "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 0},
	{"{)\n", SyntaxError, "closing parenthesis ')' does not match opening parenthesis '{'", 1, 1},
	{"x = \\ 1\n", SyntaxError, "unexpected character after line continuation character", 1, 5},
	{"x = \\", SyntaxError, "unexpected EOF while parsing", 1, 5},
	{"x = \\\n", SyntaxError, "unexpected EOF while parsing", 1, 5},
	{"\\\n", SyntaxError, "unexpected EOF while parsing", 1, 1},
	{"if x:\n    a\n  b\n", IndentationError, "unindent does not match any outer indentation level", 3, 3},
	{"if x:\n\ta\n        b\n", TabError, "inconsistent use of tabs and spaces in indentation", 3, 0},
	{"if x:\n        a\n\tb\n", TabError, "inconsistent use of tabs and spaces in indentation", 3, 0},
	{"a $ b\n", SyntaxError, "invalid syntax", 1, 2},
	{"a ? b\n", SyntaxError, "invalid syntax", 1, 2},
	{"a ` b\n", SyntaxError, "invalid syntax", 1, 2},
	{"a = 1\x01\n", SyntaxError, "invalid non-printable character U+0001", 1, 5},
	{"a\x00\n", SyntaxError, "source code string cannot contain null bytes", 1, 1},
	{"€ = 1\n", SyntaxError, "invalid character '€' (U+20AC)", 1, 0},
	{"a€ = 1\n", SyntaxError, "invalid character '€' (U+20AC)", 1, 1},
	{"a\u00a0b\n", SyntaxError, "invalid non-printable character U+00A0", 1, 1},
	{strings.Repeat("(", 201), SyntaxError, "too many nested parentheses", 1, 200},
	{strings.Repeat("f'{", 150), SyntaxError, "too many nested f-strings", 1, 3*149 + 1},
	{"'''\n\n", SyntaxError, "unterminated triple-quoted string literal (detected at line 2)", 1, 0},
	{deepIndent(100), IndentationError, "too many levels of indentation", 101, 0},
}

func deepIndent(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "if x:\n")
	}
	b.WriteString(strings.Repeat(" ", n) + "pass\n")
	return b.String()
}

func TestScanErrors(t *testing.T) {
	for _, tt := range scanErrorTests {
		_, errs := scanWords(tt.src, true)
		if len(errs) == 0 {
			t.Errorf("%q: no error, want %q", tt.src, tt.msg)
			continue
		}
		e := errs[0]
		if e.Kind != tt.kind || e.Msg != tt.msg || e.Line != tt.line || e.Col != tt.col {
			t.Errorf("%q:\n got %v: %q at %d:%d\nwant %v: %q at %d:%d",
				tt.src, e.Kind, e.Msg, e.Line, e.Col, tt.kind, tt.msg, tt.line, tt.col)
		}
	}
}

// checkInvariants scans src and checks that the scanner terminates with
// ENDMARKER, that tokens are in order, do not overlap and lie within the
// source, and that the non-whitespace text is covered by tokens.
func checkInvariants(t *testing.T, src string) {
	t.Helper()
	f := NewFile("t.py", []byte(src))
	s := NewScanner(f, nil, ScanTrivia)
	var toks []Token
	limit := 4*len(src) + 100
	for {
		tok := s.Scan()
		toks = append(toks, tok)
		if tok.Kind == ENDMARKER {
			break
		}
		if len(toks) > limit {
			t.Fatalf("%q: no ENDMARKER after %d tokens", clip(src), limit)
		}
	}
	covered := make([]bool, len(src))
	end := Pos(0)
	for i, tok := range toks {
		if tok.Start < end || tok.End < tok.Start || int(tok.End) > len(src) {
			t.Fatalf("%q: token %d %v [%d,%d) out of order or range (previous end %d)",
				clip(src), i, tok.Kind, tok.Start, tok.End, end)
		}
		if tok.Kind == FSTRING_MIDDLE && tok.End == tok.Start {
			t.Errorf("%q: empty FSTRING_MIDDLE", clip(src))
		}
		for p := tok.Start; p < tok.End; p++ {
			covered[p] = true
		}
		end = tok.End
	}
	for i, c := range []byte(src) {
		if !covered[i] && c != ' ' && c != '\t' && c != '\f' && c != '\\' && c != '\n' {
			t.Errorf("%q: byte %d (%q) not in any token", clip(src), i, c)
			break
		}
	}
	if s.Scan().Kind != ENDMARKER {
		t.Errorf("%q: Scan after ENDMARKER is not ENDMARKER", clip(src))
	}
}

var invariantInputs = []string{
	"", "\n", "\\", "\\\n", "\\\\\n", "(", ")", "]", "}", "{", "f'", "f'{", "f'{x", "f'{x:", "f'{x:{", "f'}",
	"f'{x!r:{y}}}'", "'", "'''", "\"\"\"\\", "f'''{\n", "rf'\\", "\x00", "\xff\xfe", "\r", "\f", "\t\tx\n  y",
	"if x:\n\ty\n  z\n", "  x\ny", "0x", "0b2", "1e", "1_", "09", "€", "a\u00a0", "x = (1,\n\n", "x = [\n  f'{\n",
	"f'{\"a\" # comment\n}'", "f'{x:{y:{z:{w}}}}}'", "a $ ? ` b", "\xe2\x82", "f'{'''", "lambda: (yield)",
	strings.Repeat("(", 300), strings.Repeat(")", 300), strings.Repeat("f'{", 200), strings.Repeat("\\\n", 50),
	strings.Repeat("[", 199) + strings.Repeat("]", 199), deepIndent(120), strings.Repeat("'''", 7),
}

func TestScanInvariants(t *testing.T) {
	for _, src := range invariantInputs {
		checkInvariants(t, src)
	}
	// Every prefix of some tricky code.
	tricky := "if a:\n\tb = f'{x!r:>{w}}' + rb'\\'' # c\n  c = (1,\n 2.5e-3j, ...)\\\n\nd = '''\n'''\n"
	for i := 0; i <= len(tricky); i++ {
		checkInvariants(t, tricky[:i])
	}
}

func FuzzScanInvariants(f *testing.F) {
	for _, s := range invariantInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) { checkInvariants(t, src) })
}

func TestReLexLogicalLine(t *testing.T) {
	f := NewFile("t.py", []byte("x = (1,\ny = 2\n"))
	s := NewScanner(f, nil, 0)
	var words []string
	for {
		tok := s.Scan()
		words = append(words, tok.Kind.String())
		if tok.Kind == NUMBER && len(words) == 4 {
			if !s.ReLexLogicalLine() {
				t.Fatal("ReLexLogicalLine: no bracket dropped")
			}
		}
		if tok.Kind == ENDMARKER {
			break
		}
	}
	got := strings.Join(words, " ")
	want := "NAME = ( NUMBER , NEWLINE NAME = NUMBER NEWLINE ENDMARKER"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// BenchmarkScan scans a few large stdlib files (CPython 3.12's, skipped
// when absent) and reports MB/s.
func BenchmarkScan(b *testing.B) {
	cmd := exec.Command("python3", "-c", "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
	cmd.Env = append(os.Environ(), "PYENV_VERSION=3.12.1")
	out, err := cmd.Output()
	if err != nil {
		b.Skip("no CPython stdlib")
	}
	root := strings.TrimSpace(string(out))
	var files []*File
	size := 0
	for _, name := range []string{"typing.py", "_pydecimal.py", "inspect.py", "argparse.py", "test/test_fstring.py",
		"tkinter/__init__.py", "pydoc.py"} {
		src, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			b.Skip(err)
		}
		files = append(files, NewFile(name, src))
		size += len(src)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			s := NewScanner(f, nil, 0)
			for s.Scan().Kind != ENDMARKER {
			}
		}
	}
}

// BenchmarkScanInvalid scans runs of bytes that cannot start a token, at two
// sizes: equal MB/s at both shows linear time (each bad character used to
// rescan the rest of its run).
func BenchmarkScanInvalid(b *testing.B) {
	for _, n := range []int{20_000, 80_000} {
		for name, unit := range map[string]string{"invalid-utf8": "\xff", "symbols": "€", "nonprint": "\u200b"} {
			src := []byte(strings.Repeat(unit, n))
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				f := NewFile("bench.py", src)
				for b.Loop() {
					s := NewScanner(f, nil, 0)
					for s.Scan().Kind != ENDMARKER {
					}
				}
			})
		}
	}
}
