package pyast

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// The token oracle: CPython 3.12's tokenize module (the C tokenizer in
// extra-tokens mode, as `python3 -m tokenize -e` prints it) over stdlib
// files, compared token by token (exact kind and start/end line and
// character column).
//
// Run: go test ./analysis/pyast -run TestScannerOracle
// PREFLIGHT_FULL_CORPUS=1 runs every stdlib file instead of ~40;
// PREFLIGHT_REQUIRE_PYTHON=1 fails instead of skipping without CPython 3.12.
//
// Normalisations, each for a quirk of the tokenize module rather than of the
// language:
//   - FSTRING_MIDDLE: CPython splits literal text after the first brace of
//     "{{" / "}}", puts the undoubled brace in the token string, gives the
//     later pieces shifted columns and emits empty middles. Consecutive
//     CPython middles are merged, empty ones dropped; the merged text must
//     equal ours with doubled braces undoubled, the start must match and the
//     end is not compared.
//   - NEWLINE/NL produced for the implicit newline at EOF (file not ending in
//     "\n") are empty in CPython's string but one column wide; ours are empty
//     at EOF. Only the start is compared.
//   - ENDMARKER/DEDENT at EOF: CPython puts them at (last line + 1, 0); when
//     the file does not end in "\n" our offset len(Src) maps to the end of
//     the last line, so they are compared by kind only.
//   - The ENCODING token is dropped.

const oracleScript = `
import io, json, sys, tokenize
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    rec = {"file": path}
    try:
        data = open(path, "rb").read()
        enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if enc == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
            enc = "utf-8-sig"
        src = data.decode(enc).replace("\r\n", "\n").replace("\r", "\n")
        toks = []
        for t in tokenize.tokenize(io.BytesIO(data).readline):
            if t.type == tokenize.ENCODING:
                continue
            toks.append([tokenize.tok_name[t.exact_type], t.start[0], t.start[1], t.end[0], t.end[1], t.string])
        rec["src"] = src
        try:
            import ast, warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(data)
            rec["ast_ok"] = True
        except Exception:
            rec["ast_ok"] = False
        rec["toks"] = toks
    except Exception as e:
        rec["err"] = type(e).__name__ + ": " + str(e)
    sys.stdout.write(json.dumps(rec) + "\n")
`

// oraclePython returns the command prefix for CPython 3.12, or skips.
func oraclePython(t testing.TB) []string {
	t.Helper()
	cmd := exec.Command("python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
	cmd.Env = append(os.Environ(), "PYENV_VERSION=3.12.1")
	out, err := cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != "3.12" {
		msg := fmt.Sprintf("CPython 3.12 not available (PYENV_VERSION=3.12.1 python3: %q, %v)", out, err)
		if os.Getenv("PREFLIGHT_REQUIRE_PYTHON") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return []string{"python3"}
}

// stdlibFiles lists the .py files of CPython 3.12's stdlib (sorted), or
// about n of them spread evenly when n > 0.
func stdlibFiles(t testing.TB, n int) []string {
	t.Helper()
	cmd := exec.Command("python3", "-c", "import sysconfig;print(sysconfig.get_paths()['stdlib'])")
	cmd.Env = append(os.Environ(), "PYENV_VERSION=3.12.1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("stdlib path: %v", err)
	}
	root := strings.TrimSpace(string(out))
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == "site-packages" || d.Name() == "__pycache__") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".py") {
			files = append(files, p)
		}
		return nil
	})
	if n > 0 && len(files) > n {
		step := len(files) / n
		var sel []string
		for i := 0; i < len(files); i += step {
			sel = append(sel, files[i])
		}
		// Always include the files with the most f-string / 3.12 syntax.
		for _, p := range files {
			if strings.HasSuffix(p, "/test/test_fstring.py") || strings.HasSuffix(p, "/test/test_grammar.py") ||
				strings.HasSuffix(p, "/test/test_tokenize.py") || strings.HasSuffix(p, "/typing.py") {
				sel = append(sel, p)
			}
		}
		files = sel
	}
	return files
}

type oracleRecord struct {
	File  string  `json:"file"`
	Src   string  `json:"src"`
	Toks  [][]any `json:"toks"`
	Err   string  `json:"err"`
	AstOK bool    `json:"ast_ok"`
}

type cmpTok struct {
	kind               string
	sl, sc, el, ec     int
	text               string
	noEnd, noPos, merg bool
}

func TestScannerOracle(t *testing.T) {
	py := oraclePython(t)
	n := 40
	if os.Getenv("PREFLIGHT_FULL_CORPUS") == "1" {
		n = 0
	}
	files := stdlibFiles(t, n)
	crafted, _ := filepath.Glob("testdata/scanner/*.py")
	for _, p := range crafted {
		abs, _ := filepath.Abs(p)
		files = append(files, abs)
	}
	cmd := exec.Command(py[0], "-c", oracleScript)
	cmd.Env = append(os.Environ(), "PYENV_VERSION=3.12.1")
	cmd.Stdin = strings.NewReader(strings.Join(files, "\n"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	rd := bufio.NewReaderSize(stdout, 1<<20)
	var total, match, skipped, bytes int
	var failed []string
	for {
		line, err := rd.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			break
		}
		var rec oracleRecord
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("oracle output: %v", err)
		}
		if rec.Err != "" {
			// CPython's tokenizer rejects the file (py2 test data, bad
			// encodings); only check that we terminate and report.
			skipped++
			continue
		}
		if !rec.AstOK {
			// CPython's parser rejects the file (py2 test data,
			// badsyntax_*): tokenize is more lenient than the parser's
			// tokenizer there, so only check that we terminate.
			skipped++
			scanAll(NewFile(rec.File, []byte(rec.Src)))
			continue
		}
		total++
		bytes += len(rec.Src)
		if diff := compareWithOracle(rec); diff != "" {
			failed = append(failed, rec.File)
			if len(failed) <= 10 {
				t.Errorf("%s: %s", rec.File, diff)
			}
		} else {
			match++
		}
	}
	t.Logf("token oracle: %d/%d files match (%d bytes; %d rejected by CPython skipped)",
		match, total, bytes, skipped)
	if len(failed) > 10 {
		t.Errorf("%d files differ; first: %v", len(failed), failed[:10])
	}
}

// compareWithOracle scans rec.Src and returns a description of the first
// difference from CPython's tokens, or "".
func compareWithOracle(rec oracleRecord) string {
	f := NewFile(rec.File, []byte(rec.Src))
	var errs []string
	s := NewScanner(f, func(e *Error) { errs = append(errs, e.Error()) }, ScanTrivia)
	endsNL := len(f.Src) == 0 || f.Src[len(f.Src)-1] == '\n'
	var ours []cmpTok
	for i := 0; ; i++ {
		t := s.Scan()
		sp, ep := f.Position(t.Start), f.Position(t.End)
		c := cmpTok{kind: oracleKindName(t.Kind), sl: sp.Line, sc: charCol(f, t.Start), el: ep.Line, ec: charCol(f, t.End),
			text: string(f.Src[t.Start:t.End])}
		if t.End > t.Start && f.Src[t.End-1] == '\n' {
			// CPython ends a token that ends with a newline on its line.
			c.el, c.ec = f.Position(t.End-1).Line, charCol(f, t.End-1)+1
		}
		if t.End == t.Start && int(t.Start) == len(f.Src) {
			switch t.Kind {
			case NEWLINE, NL:
				c.noEnd = true
			case DEDENT, ENDMARKER:
				c.noPos = !endsNL
			}
		}
		if sp.Line != ep.Line && !isASCII(f.Src[t.Start:t.End]) {
			// CPython's end column of a multi-line token with non-ASCII
			// text is off (neither bytes nor characters).
			c.noEnd = true
		}
		if t.Kind == FSTRING_MIDDLE {
			c.noEnd = true
			c.text = strings.NewReplacer("{{", "{", "}}", "}").Replace(c.text)
		}
		ours = append(ours, c)
		if t.Kind == ENDMARKER || i > 10*len(f.Src)+100 {
			break
		}
	}
	if len(errs) > 0 {
		return "scanner errors: " + strings.Join(errs, "; ")
	}
	var theirs []cmpTok
	for _, r := range rec.Toks {
		c := cmpTok{kind: r[0].(string), sl: int(r[1].(float64)), sc: int(r[2].(float64)),
			el: int(r[3].(float64)), ec: int(r[4].(float64)), text: r[5].(string)}
		if (c.kind == "NEWLINE" || c.kind == "NL") && c.text == "\r\n" {
			c.ec-- // the source had CRLF; we see it translated to "\n"
		}
		if c.kind == "FSTRING_MIDDLE" {
			if c.text == "" {
				continue
			}
			if k := len(theirs) - 1; k >= 0 && theirs[k].kind == "FSTRING_MIDDLE" {
				theirs[k].text += c.text
				continue
			}
		}
		theirs = append(theirs, c)
	}
	for i := 0; i < len(ours) || i < len(theirs); i++ {
		if i >= len(ours) || i >= len(theirs) {
			return fmt.Sprintf("token count: ours %d, CPython %d; at %d: %s", len(ours), len(theirs), i, context(ours, theirs, i))
		}
		a, b := ours[i], theirs[i]
		ok := a.kind == b.kind
		if ok && !a.noPos {
			ok = a.sl == b.sl && a.sc == b.sc
			if ok && !a.noEnd {
				ok = a.el == b.el && a.ec == b.ec
			}
		}
		if ok && a.kind == "FSTRING_MIDDLE" {
			ok = a.text == b.text
		}
		if !ok {
			return fmt.Sprintf("token %d: %s", i, context(ours, theirs, i))
		}
	}
	return ""
}

func context(ours, theirs []cmpTok, i int) string {
	var b strings.Builder
	for j := max(0, i-3); j <= i+1; j++ {
		fmt.Fprintf(&b, "\n  %3d ours ", j)
		if j < len(ours) {
			o := ours[j]
			fmt.Fprintf(&b, "%-14s %d,%d-%d,%d %q", o.kind, o.sl, o.sc, o.el, o.ec, clip(o.text))
		}
		fmt.Fprintf(&b, "\n      cpy  ")
		if j < len(theirs) {
			o := theirs[j]
			fmt.Fprintf(&b, "%-14s %d,%d-%d,%d %q", o.kind, o.sl, o.sc, o.el, o.ec, clip(o.text))
		}
	}
	return b.String()
}

// charCol converts offset p to CPython's tokenize column: characters (code
// points) from the start of the line.
func charCol(f *File, p Pos) int {
	ls := f.LineStart(f.Position(p).Line)
	return utf8.RuneCount(f.Src[ls:p])
}

// oracleKindName returns the name tokenize.tok_name gives the exact type.
func oracleKindName(k Kind) string {
	if k.IsKeyword() {
		return "NAME"
	}
	if k >= LPAR && k <= EXCLAMATION {
		return oracleOpNames[k-LPAR]
	}
	return k.String()
}

var oracleOpNames = [...]string{
	"LPAR", "RPAR", "LSQB", "RSQB", "COLON", "COMMA", "SEMI", "PLUS", "MINUS", "STAR", "SLASH",
	"VBAR", "AMPER", "LESS", "GREATER", "EQUAL", "DOT", "PERCENT", "LBRACE", "RBRACE", "EQEQUAL",
	"NOTEQUAL", "LESSEQUAL", "GREATEREQUAL", "TILDE", "CIRCUMFLEX", "LEFTSHIFT", "RIGHTSHIFT",
	"DOUBLESTAR", "PLUSEQUAL", "MINEQUAL", "STAREQUAL", "SLASHEQUAL", "PERCENTEQUAL", "AMPEREQUAL",
	"VBAREQUAL", "CIRCUMFLEXEQUAL", "LEFTSHIFTEQUAL", "RIGHTSHIFTEQUAL", "DOUBLESTAREQUAL",
	"DOUBLESLASH", "DOUBLESLASHEQUAL", "AT", "ATEQUAL", "RARROW", "ELLIPSIS", "COLONEQUAL",
	"EXCLAMATION",
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:30] + "…" + s[len(s)-25:]
	}
	return s
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// scanAll scans f to the end and returns the tokens, bounded so that a
// scanner bug shows up as a long slice rather than a hang.
func scanAll(f *File) []Token {
	s := NewScanner(f, nil, ScanTrivia)
	var toks []Token
	for i := 0; i < 4*len(f.Src)+100; i++ {
		t := s.Scan()
		toks = append(toks, t)
		if t.Kind == ENDMARKER {
			break
		}
	}
	return toks
}
