package pyast_test

import (
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/pyast/internal/pyoracle"
)

// The parser's table tests, go/parser style: every file in testdata/valid
// must parse without errors and every file in testdata/invalid must report
// at least one; when CPython 3.13 is installed, the valid trees must equal
// ast.parse's (positions included) and CPython must reject the invalid ones.

// valids are small programs, one feature each, that must parse cleanly.
var valids = []string{
	"x = 1\n",
	"x = 1", // no final newline
	"",
	"\n\n# only a comment\n",
	"a = b = c = d\n",
	"a, *b = c\n",
	"x: int\n",
	"(x): int = 1\n",
	"x += yield\n",
	"f(*a, b, *c, d=1, **e)\n",
	"f(a for a in b)\n",
	"f(a, b=c, *d)\n",
	"print((yield))\n",
	"del a, (b, c), [d]\n",
	"a[1:2, ::3, *b]\n",
	"lambda a, /, b=1, *c, d, e=2, **f: 0\n",
	"def f(a, /, b, *, c): pass\n",
	"def f(*args: *Ts): pass\n",
	"@x := y\ndef f(): pass\n",
	"@a.b[c](d)\nclass C: pass\n",
	"from ... import a\nfrom .... import b\nfrom .a import (b, c,)\n",
	"with (a as b, c as d,): pass\n",
	"with (a, b) as c: pass\n",
	"with (a): pass\n",
	"try:\n    pass\nexcept* E:\n    pass\n",
	"match x:\n    case [1, *_] | {'a': _, **r} | C(1, b=2) as z if z:\n        pass\n",
	"match = case = type = _ = 1\n",
	"match(x)\nmatch[x]\nmatch.x\nmatch - 1\nmatch * x\n",
	"type X[T: int = int, *Ts = *tuple[int], **P = [int]] = list[T]\n",
	"class C[T](B[T], metaclass=M): pass\n",
	"f'{x=}{y!r:>{w}}{{}}{\"q\"}'\n",
	"f'{f'{f'{1}'}'}'\n",
	"'a' f'{b}' 'c' f''\n",
	"b'a' rb'b' Rb'c'\n",
	"x = not a in b not in c is not d\n",
	"if x:\n    pass\nelif y:\n    pass\nelse:\n    pass\n",
	"while (n := f()):\n    break\nelse:\n    pass\n",
	"async def f():\n    async for a in b: pass\n    async with c: pass\n    await d\n    [e async for e in f]\n",
	"global a, b\nnonlocal c\n",
	"return\nbreak\ncontinue\n", // compile-stage errors are not parse errors
	"x = 1; y = 2;\n",
	"if x: pass; pass\n",
	"x = (\n    1,\n    2,\n)\n",
	"x = 1 \\\n    + 2\n",
}

// invalids must each report at least one error.
var invalids = []string{
	"x = (1,\n",
	"x = )\n",
	"f() = 1\n",
	"del f()\n",
	"(a, b) += 1\n",
	"a, b: int\n",
	"x := 1\n",
	"f(a.b=1)\n",
	"f(a=1, b)\n",
	"f(**a, *b)\n",
	"f(x for x in y, 1)\n",
	"if x\n    pass\n",
	"if x:\npass\n",
	"  x = 1\n",
	"def f(a=1, b): pass\n",
	"def f(*): pass\n",
	"try:\n    pass\n",
	"try:\n    pass\nexcept E:\n    pass\nexcept* F:\n    pass\n",
	"x = b'a' 'b'\n",
	"f'{}'\n",
	"f'{x!z}'\n",
	"(*a)\n",
	"match x:\n    pass\n",
	"def f[](): pass\n",
	"from a import b,\n",
	"@d\nx = 1\n",
	"x = a if b\n",
	"{1: }\n",
	"class A(x for x in y): pass\n",
	"print 'x'\n",
	"x $ y\n",
	"x = 'abc\n",
	"for x in 1,2,3 print(x)\n",
	"lambda x: int: x\n",
	"a = b = := c\n",
}

func TestParseValids(t *testing.T) {
	for _, src := range valids {
		if _, errs := pyast.Parse("valid.py", []byte(src), nil); len(errs) > 0 {
			t.Errorf("%q: unexpected errors: %v", src, errs)
		}
	}
}

func TestParseInvalids(t *testing.T) {
	for _, src := range invalids {
		if _, errs := pyast.Parse("invalid.py", []byte(src), nil); len(errs) == 0 {
			t.Errorf("%q: no error reported", src)
		}
	}
}

func testdataFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.py"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/%s files: %v", dir, err)
	}
	return files
}

func TestTestdataValid(t *testing.T) {
	for _, file := range testdataFiles(t, "valid") {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, errs := pyast.Parse(file, src, nil); len(errs) > 0 {
			t.Errorf("%s: unexpected errors: %v", file, errs)
		}
	}
}

func TestTestdataInvalid(t *testing.T) {
	for _, file := range testdataFiles(t, "invalid") {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, errs := pyast.Parse(file, src, nil); len(errs) == 0 {
			t.Errorf("%s: no error reported", file)
		}
	}
}

// TestTestdataAgainstCPython compares testdata/valid trees with CPython
// 3.13's and checks that CPython rejects testdata/invalid too (skipped when
// the interpreter is not installed).
func TestTestdataAgainstCPython(t *testing.T) {
	script, err := pyoracle.OracleScript()
	if err != nil {
		t.Skip(err)
	}
	in, err := pyoracle.Find("3.13.0")
	if err != nil {
		t.Skip(err)
	}
	files := append(testdataFiles(t, "valid"), testdataFiles(t, "invalid")...)
	seen := 0
	err = in.Dump(script, files, func(rec *pyoracle.Record) error {
		seen++
		valid := strings.Contains(filepath.ToSlash(rec.File), "/valid/")
		if valid != rec.OK {
			t.Errorf("%s: CPython's verdict (ok=%v) contradicts the directory", rec.File, rec.OK)
			return nil
		}
		if !rec.OK {
			return nil
		}
		src, err := os.ReadFile(rec.File)
		if err != nil {
			return err
		}
		mod, _ := pyast.Parse(rec.File, src, nil)
		ours := pyast.DumpJSON(mod, pyast.DumpOptions{Positions: true, Version: 13})
		d, err := pyoracle.Compare(ours, rec.AST, 13)
		if err != nil {
			return err
		}
		if d != "" {
			t.Errorf("%s: differs from CPython: %s", rec.File, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(files) {
		t.Errorf("CPython dumped %d of %d files", seen, len(files))
	}
}

// TestParseLimits feeds inputs that would overflow a naive recursive parser;
// each must finish with an error (or a tree) and no panic.
func TestParseLimits(t *testing.T) {
	inputs := map[string]string{
		"parens":    strings.Repeat("(", 100000),
		"minus":     strings.Repeat("-", 1000000) + "1",
		"plus":      strings.Repeat("x+", 500000) + "x",
		"brackets":  strings.Repeat("[", 50000),
		"lambdas":   strings.Repeat("lambda:", 100000) + "0",
		"not":       strings.Repeat("not ", 100000) + "x",
		"power":     strings.Repeat("2**", 100000) + "2",
		"attrs":     "x" + strings.Repeat(".a", 100000),
		"calls":     "f" + strings.Repeat("()", 100000),
		"ifexp":     strings.Repeat("a if b else ", 50000) + "c",
		"patterns":  "match x:\n case " + strings.Repeat("[", 100000) + ":\n  pass\n",
		"fstrings":  strings.Repeat("f'{", 1000),
		"elifs":     "if a: pass\n" + strings.Repeat("elif b: pass\n", 20000),
		"10MiB":     strings.Repeat("x = [1, 2, 3]\n", (10<<20)/14),
		"too-large": strings.Repeat("#", 10<<20+1),
		"stars":     "x = " + strings.Repeat("*", 1000000) + "a",
		"star-tgts": "for " + strings.Repeat("*", 1000000) + "a in b: pass",
		"star-del":  "del " + strings.Repeat("*", 1000000) + "a",
		"star-par":  strings.Repeat("(*", 100000),
		"star-list": strings.Repeat("[*", 100000),
		"indents":   nestedIndents(200),
		"case-pats": "match x:\n case " + strings.Repeat("(", 100000) + "a:\n  pass\n",
	}
	if testing.Short() {
		delete(inputs, "10MiB")
	}
	for name, src := range inputs {
		mod, errs := pyast.Parse(name+".py", []byte(src), nil)
		if mod == nil {
			t.Errorf("%s: nil module", name)
		}
		switch name {
		case "elifs", "10MiB":
			if len(errs) != 0 {
				t.Errorf("%s: unexpected errors %v", name, errs)
			}
		case "too-large", "parens", "minus", "plus", "lambdas", "power", "attrs", "calls":
			if len(errs) == 0 {
				t.Errorf("%s: no error", name)
			}
		}
	}
}

// nestedIndents returns n lines, each indented one space more than the last.
func nestedIndents(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "x\n")
	}
	return b.String()
}

// TestParseMaxErrors checks the error cap.
func TestParseMaxErrors(t *testing.T) {
	src := strings.Repeat("x = = 1\n", 1000)
	_, errs := pyast.Parse("many.py", []byte(src), &pyast.Options{MaxErrors: 10})
	if len(errs) != 10 {
		t.Errorf("got %d errors, want the cap of 10", len(errs))
	}
	_, errs = pyast.Parse("many.py", []byte(src), nil)
	if len(errs) != 100 {
		t.Errorf("got %d errors, want the default cap of 100", len(errs))
	}
}

// BenchmarkParse parses a handful of big stdlib files of the installed
// CPython 3.11 (skipped when absent); see BenchmarkParseCorpus for the whole
// corpus.
func BenchmarkParse(b *testing.B) {
	in, err := pyoracle.Find("3.11.7")
	if err != nil {
		b.Skip(err)
	}
	stdlib, err := in.StdlibDir()
	if err != nil {
		b.Skip(err)
	}
	var srcs [][]byte
	var total int64
	for _, name := range []string{"typing.py", "inspect.py", "argparse.py", "test/test_grammar.py", "pydoc.py", "_pydecimal.py"} {
		src, err := os.ReadFile(filepath.Join(stdlib, name))
		if err != nil {
			b.Skip(err)
		}
		srcs = append(srcs, src)
		total += int64(len(src))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			pyast.Parse("bench.py", src, nil)
		}
	}
}

// TestErrorMessages checks the first error's message and position for
// common mistakes against what CPython 3.13 reports (line, 1-based offset).
func TestErrorMessages(t *testing.T) {
	tests := []struct {
		src          string
		line, offset int
		msg          string
	}{
		{"f(a b)\n", 1, 3, "invalid syntax. Perhaps you forgot a comma?"},
		{"[a b]\n", 1, 2, "invalid syntax. Perhaps you forgot a comma?"},
		{"if x:\npass\n", 2, 1, "expected an indented block after 'if' statement on line 1"},
		{"def f():\nreturn\n", 2, 1, "expected an indented block after function definition on line 1"},
		{"class A:\nx\n", 2, 1, "expected an indented block after class definition on line 1"},
		{"x = {1: }\n", 1, 7, "expression expected after dictionary key and ':'"},
		{"print x\n", 1, 1, "Missing parentheses in call to 'print'. Did you mean print(...)?"},
		{"if x = 1: pass\n", 1, 4, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"},
		{"(a, f()) = 1\n", 1, 5, "cannot assign to function call"},
		{"for f() in x: pass\n", 1, 5, "cannot assign to function call"},
		{"with a as f(): pass\n", 1, 11, "cannot assign to function call"},
		{"f(**a, *b)\n", 1, 8, "iterable argument unpacking follows keyword argument unpacking"},
		{"f(x for x in y, 1)\n", 1, 3, "Generator expression must be parenthesized"},
		{"(a) := 1\n", 1, 2, "cannot use assignment expressions with name"},
		{"a, b: int\n", 1, 1, "only single target (not tuple) can be annotated"},
		{"x = (1, 2\n", 1, 5, "'(' was never closed"},
		{"a +\n", 1, 4, "invalid syntax"},
		{"else: pass\n", 1, 1, "invalid syntax"},
	}
	for _, tt := range tests {
		_, errs := pyast.Parse("msg.py", []byte(tt.src), nil)
		if len(errs) == 0 {
			t.Errorf("%q: no error", tt.src)
			continue
		}
		e := errs[0]
		if e.Line != tt.line || e.Col+1 != tt.offset || e.Msg != tt.msg {
			t.Errorf("%q: got %d:%d %q, want %d:%d %q", tt.src, e.Line, e.Col+1, e.Msg, tt.line, tt.offset, tt.msg)
		}
	}
}

// TestMutationDifferential mutates snippets of stdlib files (inserting,
// deleting and replacing brackets, keywords, quotes, newlines, …) and
// requires our accept/reject decision to equal CPython 3.13's. It is slow-ish
// and opt-in: PREFLIGHT_MUTATION=N runs N snippets (seed PREFLIGHT_SEED).
func TestMutationDifferential(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PREFLIGHT_MUTATION"))
	if n <= 0 {
		t.Skip("set PREFLIGHT_MUTATION=N to run N mutated snippets")
	}
	in, err := pyoracle.Find("3.13.0")
	if err != nil {
		t.Skip(err)
	}
	stdlib, err := in.StdlibDir()
	if err != nil {
		t.Skip(err)
	}
	child, err := in.StartChild()
	if err != nil {
		t.Fatal(err)
	}
	defer child.Close()
	var lines []string
	for _, name := range []string{"test/test_grammar.py", "test/test_patma.py", "test/test_fstring.py",
		"test/test_syntax.py", "test/test_type_params.py", "test/test_coroutines.py", "typing.py",
		"dataclasses.py", "inspect.py", "ast.py"} {
		src, err := os.ReadFile(filepath.Join(stdlib, name))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(src), "\n")...)
	}
	seed, _ := strconv.ParseInt(os.Getenv("PREFLIGHT_SEED"), 10, 64)
	r := rand.New(rand.NewSource(seed))
	pieces := []string{"(", ")", "[", "]", "{", "}", ":", ",", "=", "*", "**", " if ", " else ", " for ",
		" in ", " lambda ", " not ", "'", "\"", "\n", "\\", "@", ":=", " as ", " async ", " await ",
		" yield ", ".", ";", " match ", " case ", " type ", "!", "->", "f'{", "}'", " ", "    ", "\t", "#"}
	var differ, accepted int
	for i := 0; i < n; i++ {
		start := r.Intn(len(lines))
		src := dedent(lines[start:min(len(lines), start+1+r.Intn(6))])
		for m := 1 + r.Intn(2); m > 0 && len(src) > 0; m-- {
			pos := r.Intn(len(src))
			switch r.Intn(3) {
			case 0:
				src = src[:pos] + pieces[r.Intn(len(pieces))] + src[pos:]
			case 1:
				src = src[:pos] + src[min(len(src), pos+1+r.Intn(3)):]
			default:
				src = src[:pos] + pieces[r.Intn(len(pieces))] + src[pos+1:]
			}
		}
		v, err := child.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if v.OK {
			accepted++
		}
		_, errs := pyast.Parse("mutated.py", []byte(src), nil)
		if v.OK != (len(errs) == 0) {
			differ++
			if differ <= 20 {
				t.Errorf("CPython %v, we report %d errors %v for\n%q", v, len(errs), errs.Err(), src)
			}
		}
	}
	t.Logf("%d of %d mutated snippets decided differently (CPython accepted %d)", differ, n, accepted)
}

// dedent joins lines, removing the first line's indentation from all of them.
func dedent(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	indent := len(lines[0]) - len(strings.TrimLeft(lines[0], " \t"))
	var b strings.Builder
	for _, l := range lines {
		if len(l) >= indent && strings.TrimSpace(l[:indent]) == "" {
			l = l[indent:]
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestMessageParity measures how often our first error has CPython 3.13's
// message and line on the invalid snippets of CPython's own syntax tests
// (opt-in: PREFLIGHT_MESSAGES=1; -v lists the most frequent differences).
// It fails if message parity drops below 80% or line parity below 95%.
func TestMessageParity(t *testing.T) {
	if os.Getenv("PREFLIGHT_MESSAGES") != "1" {
		t.Skip("set PREFLIGHT_MESSAGES=1")
	}
	in, err := pyoracle.Find("3.13.0")
	if err != nil {
		t.Skip(err)
	}
	stdlib, err := in.StdlibDir()
	if err != nil {
		t.Skip(err)
	}
	child, err := in.StartChild()
	if err != nil {
		t.Fatal(err)
	}
	defer child.Close()
	var total, sameMsg, sameLine int
	diffs := map[string]int{}
	for _, rel := range []string{"test/test_syntax.py", "test/test_grammar.py", "test/test_type_params.py",
		"test/test_patma.py", "test/test_fstring.py", "test/test_exceptions.py"} {
		snips, err := child.Snippets(filepath.Join(stdlib, rel))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range snips {
			v, err := child.Parse(s.Src)
			if err != nil {
				t.Fatal(err)
			}
			_, errs := pyast.Parse("snippet.py", s.Src, nil)
			if v.OK || len(errs) == 0 {
				continue
			}
			total++
			if errs[0].Msg == v.Msg {
				sameMsg++
			} else {
				diffs[v.Msg+" | ours: "+errs[0].Msg]++
			}
			if v.Lineno != nil && *v.Lineno == errs[0].Line {
				sameLine++
			}
		}
	}
	if total == 0 {
		t.Skip("no snippets")
	}
	keys := make([]string, 0, len(diffs))
	for k := range diffs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return diffs[keys[i]] > diffs[keys[j]] })
	for _, k := range keys[:min(len(keys), 20)] {
		t.Logf("%3d× %s", diffs[k], k)
	}
	msgPct, linePct := 100*sameMsg/total, 100*sameLine/total
	t.Logf("%d snippets rejected by both: same message %d (%d%%), same line %d (%d%%)",
		total, sameMsg, msgPct, sameLine, linePct)
	if msgPct < 80 || linePct < 95 {
		t.Errorf("message parity %d%% (want ≥ 80%%), line parity %d%% (want ≥ 95%%)", msgPct, linePct)
	}
}

// TestParseStress repeats each of many statement and expression prefixes
// to build unclosed, deeply nested or very long inputs: every parse must end
// quickly, without a panic or a stack overflow.
func TestParseStress(t *testing.T) {
	prefixes := []string{"(", "[", "{", "*", "**", "-", "not ", "lambda:", "await ", "yield ", "f'{", "x if y else ", "x[", "x(", "x.", "@", "a=", "a:=", "(yield ", "{**", "{1:", "[x for x in ", "print(", "case ", "async ", "in ", ":", "if x:\n ", "def f(a=", "def f(*", "class A(", "with ", "match ", "assert ", "return ", "type X[T=", "import ", "from . import (", "~", "+", "a, ", ", ", "raise ", "del ", "global ", "lambda *a=", "(*", "[*", "{*", "match x:\n case (", "match x:\n case [", "match x:\n case {1:", "match x:\n case C(", "match x:\n case C(a=", "match x:\n case -", "match x:\n case a|", "match x:\n case *", "f'{x:{", "f'{x!r:", "'a' ", "x: ", "x = yield ", "for ", "for x in ", "while ", "try:\n ", "with (", "def f[", "class C[T:", "a[b:", "a[::", "lambda a=lambda b=", "x[*", "del (", "del [", "for (", "for [", "(a:=", "if (", "elif ", "else ", "f(**", "f(*", "f(a=", "@x\n", "\\\n", "\t", " ", "\n", "#", "x\n ", "if 1:\n pass\n"}
	for _, p := range prefixes {
		for _, n := range stressSizes() {
			src := strings.Repeat(p, n)
			st := time.Now()
			mod, errs := pyast.Parse("s.py", []byte(src), nil)
			if d := time.Since(st); d > 3*time.Second {
				t.Errorf("%q x%d: %v", p, n, d)
			}
			_ = errs
			if mod == nil {
				t.Errorf("nil mod")
			}
		}
	}
}

func stressSizes() []int {
	if testing.Short() {
		return []int{1000}
	}
	return []int{1000, 200000}
}
