package pyast_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/pyast/internal/pyoracle"
)

// TestSyntaxOracle checks our accept/reject decision on CPython's own
// invalid-syntax cases: the ">>>" examples of the docstrings of
// Lib/test/test_syntax.py (and the other files below) and the constant
// string arguments of their check_syntax_error/_check_error/
// assert_syntax_error calls, taken from every installed interpreter's
// stdlib. Each interpreter's ast.parse decides, through one persistent
// child per interpreter.
//
// pyast.Parse has no target version: it accepts the newest syntax. A snippet
// an older interpreter rejects but the newest accepts (a version-gated
// feature such as PEP 695 or PEP 701) therefore counts as "gated", not as a
// mismatch, when we agree with the newest interpreter.
var syntaxTestFiles = []string{
	"test/test_syntax.py",
	"test/test_grammar.py",
	"test/test_type_params.py",
	"test/test_patma.py",
	"test/test_fstring.py",
	"test/test_exceptions.py",
}

type syntaxCase struct {
	src      []byte
	where    string // first file:line it was found at
	verdicts map[string]pyoracle.Verdict
}

func TestSyntaxOracle(t *testing.T) {
	type interp struct {
		in     *pyoracle.Interpreter
		child  *pyoracle.Child
		stdlib string
	}
	var interps []interp
	for _, v := range pyoracle.Versions {
		in, err := pyoracle.Find(v)
		if err != nil {
			if os.Getenv("PREFLIGHT_REQUIRE_PYTHON") == "1" {
				t.Fatal(err)
			}
			t.Logf("skipping %s: %v", v, err)
			continue
		}
		stdlib, err := in.StdlibDir()
		if err != nil {
			t.Fatal(err)
		}
		child, err := in.StartChild()
		if err != nil {
			t.Fatal(err)
		}
		defer child.Close()
		interps = append(interps, interp{in, child, stdlib})
	}
	if len(interps) == 0 {
		t.Skip("no CPython interpreter found")
	}

	// Collect the snippets of every interpreter's test files, once each.
	var cases []*syntaxCase
	seen := map[string]bool{}
	for _, it := range interps {
		for _, rel := range syntaxTestFiles {
			p := filepath.Join(it.stdlib, filepath.FromSlash(rel))
			if _, err := os.Stat(p); err != nil {
				continue
			}
			snips, err := it.child.Snippets(p)
			if err != nil {
				t.Fatalf("%s: extract snippets of %s: %v", it.in.Version, rel, err)
			}
			for _, s := range snips {
				if seen[string(s.Src)] {
					continue
				}
				seen[string(s.Src)] = true
				cases = append(cases, &syntaxCase{src: s.Src,
					where: fmt.Sprintf("%s/%s:%d", it.in.Version, rel, s.Line), verdicts: map[string]pyoracle.Verdict{}})
			}
		}
	}
	for _, it := range interps {
		for _, c := range cases {
			v, err := it.child.Parse(c.src)
			if err != nil {
				t.Fatalf("%s: %v", it.in.Version, err)
			}
			c.verdicts[it.in.Version] = v
		}
	}

	newest := interps[len(interps)-1].in.Version
	ours := make([]string, len(cases)) // "" accept, else why we reject
	for i, c := range cases {
		_, errs, p := parseSafe("<snippet>", c.src)
		switch {
		case p != "":
			ours[i] = "PANIC: " + p
		case len(errs) > 0:
			ours[i] = errs[0].Error()
		}
	}
	const maxReported = 30
	for _, it := range interps {
		v := it.in.Version
		var accepted, rejected, agree, gated, mismatched int
		var reports []string
		for i, c := range cases {
			theirs := c.verdicts[v]
			if theirs.OK {
				accepted++
			} else {
				rejected++
			}
			weAccept := ours[i] == ""
			switch {
			case strings.HasPrefix(ours[i], "PANIC"):
				// always a mismatch
			case weAccept == theirs.OK:
				agree++
				continue
			case c.verdicts[newest].OK != theirs.OK && weAccept == c.verdicts[newest].OK:
				gated++
				continue
			}
			mismatched++
			if len(reports) < maxReported {
				we := "we accept"
				if !weAccept {
					we = "we reject: " + ours[i]
				}
				reports = append(reports, fmt.Sprintf("%s: CPython %s, %s\n    %s", c.where, theirs, we, quoteSnippet(c.src)))
			}
		}
		t.Logf("syntax oracle %s: snippets=%d accepted=%d rejected=%d agree=%d gated=%d mismatched=%d",
			v, len(cases), accepted, rejected, agree, gated, mismatched)
		if mismatched > 0 {
			more := ""
			if mismatched > len(reports) {
				more = fmt.Sprintf("\n… and %d more", mismatched-len(reports))
			}
			t.Errorf("syntax oracle %s: %d of %d snippets decided differently:\n%s%s", v, mismatched, len(cases),
				strings.Join(reports, "\n"), more)
		}
	}
}

func quoteSnippet(src []byte) string {
	s := strconv.Quote(string(src))
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
