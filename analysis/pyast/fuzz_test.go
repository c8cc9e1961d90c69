package pyast

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// maxFuzzInput bounds the inputs the fuzz bodies look at, so every
// iteration is fast; the full-size pathological inputs run in
// TestParsePathological instead.
const maxFuzzInput = 64 << 10

// fuzzSeeds are small inputs for FuzzParse and FuzzScan: everyday Python
// (stdlib-like snippets covering the grammar) and the small pathological
// inputs of python-parser.md §3.2. Larger ones are committed under
// testdata/fuzz/FuzzParse in Go's corpus format.
var fuzzSeeds = []string{
	// Everyday code.
	"import os\nfrom . import x as y\nfrom ..a.b import (c, d,)\n",
	"def f(a, /, b=1, *args, c: int = 2, **kw) -> None:\n    return a\n",
	"@dec\n@d.e(1)\nclass C(Base, metaclass=M):\n    x: int = 1\n    async def m(self):\n        async with a as b, c:\n            await x\n        async for i in y:\n            pass\n",
	"x = [i for i in range(10) if i % 2]\ny = {k: v for k, v in d.items()}\nz = {*a, *b}\ng = (x async for x in y)\ndef gen():\n    w = yield\n    yield from w\n",
	"match p:\n    case Point(x=0, y=0) | [1, *rest] | {'k': v, **kw}:\n        pass\n    case -1 | 1.5 | 2j | 'a' 'b' | None | a.b.c:\n        pass\n    case _ if cond:\n        pass\n",
	"match = 1\nmatch.x = case\ntype = 2\nprint(match, type)\n",
	"try:\n    pass\nexcept* ValueError as e:\n    raise RuntimeError from e\nelse:\n    pass\nfinally:\n    del x, y[0], z.a\n",
	"f'{x!r:>{width}} {y=} {{}} {\"nested\"} {z:%H:%M}'\nrf'\\d{a}' F\"\"\"{\n  b # comment\n}\"\"\"\n",
	"f'{f'{f'{1}'}'}'\nf\"{'\\n'.join(a)}\"\n",
	"type Alias[T: int, *Ts, **P] = list[T]\ndef g[T = int](x: T) -> T: ...\nclass K[T](Generic[T]): pass\n",
	"if (n := len(a)) > 10:\n    print(f\"too long ({n} elements)\")\nelif x:\n    pass\nelse:\n    pass\n",
	"with (open(a) as f, open(b) as g):\n    pass\nwith (yield):\n    pass\n",
	"lambda x, *y, z=1, **kw: (x, y, z)\nlambda: 0\nlambda *, k: k\n",
	"b'\\x00' + rb'\\d' + u'\\N{BULLET}' + '\\ud800' + '\\U0001F600' + '\\777'\n",
	"x = 0x_ff + 1_000.5e-3j + 0o17 + 0b1 + 1e309 + 0.1 + 123456789012345678901234567890\n",
	"global a\nnonlocal b\nassert x, 'msg'\nwhile 1:\n    break\nelse:\n    continue\n",
	"a[1:2, ::3, ...] = b[c][d](e)(*f, **g, h=i)\na @= b; c //= d; e **= f; g >>= h\nx = not a < b <= c is not d not in e\n",
	"é = ﬁ = 1\nclass Ünïcode: pass\n",
	"# coding: latin-1\nx = '\xe9'\n",
	"\xef\xbb\xbfx = 1\n",
	"x = 1\r\ny = 2\r\n",
	"def f():\n    '''doc'''\n    return\n\n\n\nf()",
	// Invalid code.
	"print 'hello'\n",
	"x = (1,\n",
	"def f(:\n",
	"class\n",
	"  x = 1\n",
	"if x:\npass\n",
	"x = 1 +\n",
	"f(**a, *b)\n",
	"a = b = := c\n",
	"x = ]\n",
	"x = (]\n",
	"for x in 1,2,3 print(x)\n",
	"except:\n",
	"x $ y ? z `w`\n",
	"1 = x\nf() = 2\ndel f()\n",
	// Small pathological inputs.
	"'''unterminated",
	"\"\"\"unterminated\n\n",
	"x = 'abc",
	"x = 'abc\ny = 1\n",
	"a\x00b",
	"\x00",
	"\xff\xfe",
	"x = '\xc3'\n",
	"# coding: nope\nx = 1\n",
	"\xef\xbb\xbf# coding: latin-1\n",
	"x = 1\ry = 2\r",
	"\r",
	"\x0cx = 1\n",
	"if x:\n\x0c  y\n",
	"if x:\n\tif y:\n        z\n",
	"if x:\n        y\n\tz\n",
	"if x:\n    y\n  z\n",
	"\\",
	"x = \\\n",
	"x = 1 \\\n\n",
	"f'",
	"f'{",
	"f'{x!'",
	"f'{x!z}'",
	"f'}'",
	"f'{x:{y:{z}}}'",
	"f'{x=!r:^20}'",
	"f'{\\n}'",
	"f'''{\n",
	"(" + strings.Repeat("[", 199) + strings.Repeat("]", 199) + ")",
	strings.Repeat("(", 201) + strings.Repeat(")", 201),
	strings.Repeat("lambda:", 2000) + "0",
	strings.Repeat("x.", 2000),
	strings.Repeat("-", 5000) + "1",
	strings.Repeat("not ", 3000) + "x",
	strings.Repeat("a if b else ", 2000) + "c",
	strings.Repeat("2**", 3000) + "2",
	strings.Repeat("f'{", 200),
	strings.Repeat("\\\n", 1000),
	strings.Repeat("'", 1001),
	"x = " + strings.Repeat("1+", 4000) + "1\n",
	nestedBlocks(101),
	nestedBlocks(99),
}

// nestedBlocks returns n nested if statements (CPython allows 99 levels of
// indentation below the module).
func nestedBlocks(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("if x:\n")
	}
	b.WriteString(strings.Repeat(" ", n))
	b.WriteString("pass\n")
	return b.String()
}

// FuzzParse checks that Parse never panics and that its result is sane on
// any input: errors lie inside the source, node ranges nest inside their
// parent's, and DumpJSON works on the (possibly partial) tree.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > maxFuzzInput {
			return
		}
		checkParse(t, src)
	})
}

// FuzzScan checks the scanner's token invariants on any input: tokens are
// in range, sorted and non-overlapping, the gaps between them are
// whitespace, ENDMARKER comes last (and stays), and scanning terminates.
func FuzzScan(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, s := range loadCorpusDir(f, filepath.Join("testdata", "fuzz", "FuzzParse")) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > maxFuzzInput {
			return
		}
		checkScan(t, src)
	})
}

// pathologicalInputs are the full-size pathological inputs of
// python-parser.md §3.2, bigger than the fuzz bodies accept.
func pathologicalInputs(big, huge int) map[string]string {
	return map[string]string{
		"parens":        strings.Repeat("(", big),
		"minus":         strings.Repeat("-", huge) + "1",
		"fstrings":      strings.Repeat("f'{", big),
		"continuations": strings.Repeat("\\\n", big),
		"attributes":    strings.Repeat("x.", big),
		"lambdas":       strings.Repeat("lambda:", big) + "0",
		"brackets":      strings.Repeat("[", big/2) + strings.Repeat("]", big/2),
		"plus-chain":    strings.Repeat("x+", huge/2) + "x",
		"calls":         "f" + strings.Repeat("()", big),
		"not-chain":     strings.Repeat("not ", big) + "x",
		"power":         strings.Repeat("2**", big) + "2",
		"ifexp":         strings.Repeat("a if b else ", big/4) + "c",
		"indent":        nestedBlocks(1000),
		"triple-quote":  "'''" + strings.Repeat("a\n", big),
		"long-line":     "x = '" + strings.Repeat("a", huge) + "'\n",
		"statements":    strings.Repeat("x = 1\n", big),
		"nul":           strings.Repeat("\x00", big),
		"invalid-utf8":  strings.Repeat("\xff", big),
	}
}

// TestParsePathological runs the pathological inputs through the same
// checks as FuzzParse: the parser must neither crash nor recurse without
// bound, and it must return (a hang is caught by go test's timeout). Their
// speed — time linear in the input — is measured by
// BenchmarkParsePathological, not asserted here.
func TestParsePathological(t *testing.T) {
	big, huge := 100_000, 1_000_000
	if testing.Short() {
		huge = big
	}
	for name, src := range pathologicalInputs(big, huge) {
		t.Run(name, func(t *testing.T) {
			checkParse(t, []byte(src))
		})
	}
}

// BenchmarkParsePathological reports the parse speed of each pathological
// input at two sizes; equal MB/s at both sizes shows linear time.
func BenchmarkParsePathological(b *testing.B) {
	for _, size := range []int{50_000, 200_000} {
		for name, src := range pathologicalInputs(size, size) {
			b.Run(fmt.Sprintf("%s/%d", name, size), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					Parse("bench.py", []byte(src), nil)
				}
			})
		}
	}
}

// checkParse parses src and checks the invariants of the result.
func checkParse(t *testing.T, src []byte) {
	t.Helper()
	mod, errs := Parse("fuzz.py", src, nil)
	if mod == nil || mod.File == nil {
		t.Fatalf("Parse returned module %v without a File", mod)
	}
	n := Pos(len(mod.File.Src))
	if len(errs) > 101 {
		t.Errorf("%d errors; the default cap is 100", len(errs))
	}
	for _, e := range errs {
		checkError(t, mod.File, e)
	}
	var ranges rangeChecker
	ranges.file = mod.File
	for i, s := range mod.Body {
		ranges.node(s, 0, n, fmt.Sprintf("Module.body[%d]", i))
	}
	for _, msg := range ranges.problems {
		t.Error(msg)
	}
	var first []byte
	for _, v := range []int{11, 12, 13} {
		for _, pos := range []bool{true, false} {
			out := DumpJSON(mod, DumpOptions{Positions: pos, Version: v})
			if !json.Valid(out) || !bytes.HasPrefix(out, []byte(`{"_t":"Module"`)) {
				t.Fatalf("DumpJSON(version %d, positions %v) is not a Module JSON object: %.200q", v, pos, out)
			}
			if v == 13 && pos {
				first = out
			}
		}
	}
	// Parsing is deterministic.
	mod2, errs2 := Parse("fuzz.py", src, nil)
	if len(errs2) != len(errs) || !bytes.Equal(DumpJSON(mod2, DumpOptions{Positions: true, Version: 13}), first) {
		t.Errorf("a second Parse of the same source gave a different result")
	}
}

// checkError checks that an error lies inside the source and that its line
// and column agree with its offset.
func checkError(t *testing.T, f *File, e *Error) {
	t.Helper()
	if e == nil {
		t.Errorf("nil error in the list")
		return
	}
	if e.Pos < 0 || int(e.Pos) > len(f.Src) {
		t.Errorf("error %q at offset %d, outside the source [0, %d]", e.Msg, e.Pos, len(f.Src))
		return
	}
	if e.Msg == "" {
		t.Errorf("error at offset %d has no message", e.Pos)
	}
	if e.Line > 0 {
		if p := f.Position(e.Pos); p.Line != e.Line || p.Col != e.Col {
			t.Errorf("error %q: offset %d is line %d col %d, but the error says line %d col %d",
				e.Msg, e.Pos, p.Line, p.Col, e.Line, e.Col)
		}
	}
}

// rangeChecker walks a tree by reflection (independent of the package's own
// traversal, which it thereby cross-checks) and records every node whose
// range is not inside its parent's.
type rangeChecker struct {
	file     *File
	problems []string
}

var (
	nodeType     = reflect.TypeFor[Node]()
	positionless = map[reflect.Type]bool{ // nodes without a position in CPython
		reflect.TypeFor[*Arguments]():     true,
		reflect.TypeFor[*WithItem]():      true,
		reflect.TypeFor[*MatchCase]():     true,
		reflect.TypeFor[*Comprehension](): true,
	}
)

// node checks n against the bounds [lo, hi] of its nearest positioned
// ancestor, then its children against n.
func (c *rangeChecker) node(n Node, lo, hi Pos, path string) {
	if len(c.problems) >= 10 {
		return
	}
	v := reflect.ValueOf(n)
	if v.Kind() == reflect.Pointer && v.IsNil() {
		c.problems = append(c.problems, path+": typed nil node")
		return
	}
	name := v.Type().Elem().Name()
	parentLo, parentHi := lo, hi
	if !positionless[v.Type()] {
		s, e := n.Pos(), n.End()
		if s > e || s < lo || e > hi {
			c.problems = append(c.problems, fmt.Sprintf("%s (%s): range [%d, %d) %s not inside parent range [%d, %d) %s",
				path, name, s, e, c.describe(s, e), lo, hi, c.describe(lo, hi)))
			return
		}
		lo, hi = s, e
	}
	sv := v.Elem()
	for i := range sv.NumField() {
		fld := sv.Type().Field(i)
		if fld.Anonymous || !fld.IsExported() {
			continue
		}
		l, h := lo, hi
		if fld.Name == "DecoratorList" {
			// CPython's def/class position starts at "def"/"class",
			// after its decorators: they belong to the parent's range.
			l, h = parentLo, parentHi
		}
		fv := sv.Field(i)
		switch {
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Implements(nodeType):
			for j := range fv.Len() {
				c.child(fv.Index(j), l, h, fmt.Sprintf("%s/%s.%s[%d]", path, name, fld.Name, j))
			}
		case fv.Type().Implements(nodeType):
			c.child(fv, l, h, fmt.Sprintf("%s/%s.%s", path, name, fld.Name))
		}
	}
}

func (c *rangeChecker) child(v reflect.Value, lo, hi Pos, path string) {
	if (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && v.IsNil() {
		return // an optional child that is absent (Dict.Keys entries may be nil too)
	}
	c.node(v.Interface().(Node), lo, hi, path)
}

// describe renders a range as CPython line:col positions when it is valid.
func (c *rangeChecker) describe(s, e Pos) string {
	if s < 0 || e < s || int(e) > len(c.file.Src) {
		return "(invalid)"
	}
	ps, pe := c.file.Position(s), c.file.Position(e)
	return fmt.Sprintf("%d:%d-%d:%d", ps.Line, ps.Col, pe.Line, pe.Col)
}

// checkScan scans src with trivia and checks the token invariants.
func checkScan(t *testing.T, src []byte) {
	t.Helper()
	dec, derr := DecodeSource(src)
	if derr != nil {
		if derr.Pos < 0 || int(derr.Pos) > len(src) {
			t.Errorf("decode error %q at offset %d, outside the source [0, %d]", derr.Msg, derr.Pos, len(src))
		}
		return
	}
	file := NewFile("fuzz.py", dec)
	var errs []*Error
	s := NewScanner(file, func(e *Error) { errs = append(errs, e) }, ScanTrivia)
	n := Pos(len(dec))
	// Every token but INDENT, DEDENT, NEWLINE at EOF, an empty
	// FSTRING_MIDDLE and ENDMARKER consumes a byte; the zero-width ones are
	// bounded by the lines and the nesting.
	limit := 4*len(dec) + 512
	var prev Token
	var gaps []string
	for i := 0; ; i++ {
		if i > limit {
			t.Fatalf("no ENDMARKER after %d tokens (last %v [%d, %d))", i, prev.Kind, prev.Start, prev.End)
		}
		tok := s.Scan()
		if tok.Start < 0 || tok.End < tok.Start || tok.End > n {
			t.Fatalf("token %d %v has range [%d, %d), outside the source [0, %d]", i, tok.Kind, tok.Start, tok.End, n)
		}
		if tok.Start < prev.End {
			t.Fatalf("token %d %v [%d, %d) overlaps or precedes %v [%d, %d)", i, tok.Kind, tok.Start, tok.End, prev.Kind, prev.Start, prev.End)
		}
		if gap := string(dec[prev.End:tok.Start]); strings.Trim(gap, " \t\f\\\n") != "" {
			after := "the start"
			if i > 0 {
				after = prev.Kind.String()
			}
			gaps = append(gaps, fmt.Sprintf("%.60q between %s and %v at offset %d", gap, after, tok.Kind, prev.End))
		}
		prev = tok
		if tok.Kind == ENDMARKER {
			break
		}
	}
	if len(errs) == 0 && len(gaps) > 0 {
		// Without errors, the tokens (with trivia) and whitespace must
		// account for every byte of the source.
		t.Errorf("source not covered by tokens: %s", strings.Join(gaps[:min(len(gaps), 5)], "; "))
	}
	for i := 0; i < 3; i++ {
		if tok := s.Scan(); tok.Kind != ENDMARKER {
			t.Fatalf("Scan after ENDMARKER returned %v", tok.Kind)
		}
	}
	for _, e := range errs {
		checkError(t, file, e)
	}
}

// loadCorpusDir reads the []byte entries of a Go fuzz corpus directory.
func loadCorpusDir(tb testing.TB, dir string) [][]byte {
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatalf("read seed corpus: %v", err)
	}
	var out [][]byte
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		header, body, ok := strings.Cut(string(data), "\n")
		body = strings.TrimSpace(body)
		if !ok || header != "go test fuzz v1" || !strings.HasPrefix(body, "[]byte(") || !strings.HasSuffix(body, ")") {
			tb.Fatalf("%s: not a Go fuzz corpus entry with one []byte value", e.Name())
		}
		s, err := strconv.Unquote(body[len("[]byte(") : len(body)-1])
		if err != nil {
			tb.Fatalf("%s: %v", e.Name(), err)
		}
		out = append(out, []byte(s))
	}
	return out
}
