package pyast_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/pyast/internal/pyoracle"
)

// The differential test against CPython: every stdlib file of each pyenv
// interpreter (a curated subset by default; PREFLIGHT_FULL_CORPUS=1 for all)
// is dumped by shared/oracle/pyast_oracle.py and parsed by us. A file
// CPython rejects must give us at least one error; a file it accepts must
// give no errors and an equal tree (after the §3.2 normalisations).
//
// A missing interpreter skips its subtest unless PREFLIGHT_REQUIRE_PYTHON=1.

// curatedFiles are always part of the default subset (when the stdlib has
// them): the files with 3.10–3.12 syntax and a few CPython rejects.
var curatedFiles = []string{
	"typing.py",
	"test/test_fstring.py",
	"test/test_type_params.py",
	"test/test_type_aliases.py",
	"test/test_patma.py",
	"test/test_grammar.py",
	"test/test_exception_group.py",
	"test/test_unparse.py",
	"test/tokenizedata/bad_coding.py",
	"test/tokenizedata/bad_coding2.py",
	"test/tokenizedata/badsyntax_3131.py",
	"lib2to3/tests/data/py2_test_grammar.py",
	"lib2to3/tests/data/crlf.py",
	"lib2to3/tests/data/different_encoding.py",
}

// curatedSize is the number of files of the default subset.
const curatedSize = 60

func fullCorpus() bool { return os.Getenv("PREFLIGHT_FULL_CORPUS") == "1" }

// findInterpreter returns the interpreter or skips (fails under
// PREFLIGHT_REQUIRE_PYTHON=1) the test.
func findInterpreter(t *testing.T, version string) *pyoracle.Interpreter {
	t.Helper()
	in, err := pyoracle.Find(version)
	if err != nil {
		if os.Getenv("PREFLIGHT_REQUIRE_PYTHON") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return in
}

func oracleScript(t *testing.T) string {
	t.Helper()
	script, err := pyoracle.OracleScript()
	if err != nil {
		if os.Getenv("PREFLIGHT_REQUIRE_PYTHON") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return script
}

// selectFiles picks the curated subset: curatedFiles plus an even sample of
// the rest, curatedSize in all.
func selectFiles(stdlib string, all []string) []string {
	if fullCorpus() {
		return all
	}
	chosen := map[string]bool{}
	var out []string
	for _, rel := range curatedFiles {
		p := filepath.Join(stdlib, filepath.FromSlash(rel))
		if _, err := os.Stat(p); err == nil {
			chosen[p] = true
			out = append(out, p)
		}
	}
	if n := curatedSize - len(out); n > 0 && len(all) > 0 {
		step := max(1, len(all)/n)
		for i := step / 2; i < len(all) && len(out) < curatedSize; i += step {
			if !chosen[all[i]] {
				chosen[all[i]] = true
				out = append(out, all[i])
			}
		}
	}
	return out
}

// parseSafe parses src, turning a panic into an error message so one bad
// file cannot hide the results of the others.
func parseSafe(name string, src []byte) (mod *pyast.Module, errs pyast.ErrorList, panicMsg string) {
	defer func() {
		if r := recover(); r != nil {
			panicMsg = fmt.Sprint(r)
		}
	}()
	mod, errs = pyast.Parse(name, src, nil)
	return mod, errs, ""
}

func dumpSafe(mod *pyast.Module, minor int) (out []byte, panicMsg string) {
	defer func() {
		if r := recover(); r != nil {
			panicMsg = fmt.Sprint(r)
		}
	}()
	return pyast.DumpJSON(mod, pyast.DumpOptions{Positions: true, Version: minor}), ""
}

// checkRecord compares our parse of rec.File with CPython's record and
// returns "" when they agree.
func checkRecord(rec *pyoracle.Record, minor int) (string, int) {
	src, err := os.ReadFile(rec.File)
	if err != nil {
		return "read: " + err.Error(), 0
	}
	mod, errs, p := parseSafe(rec.File, src)
	if p != "" {
		return "PANIC in Parse: " + p, len(src)
	}
	if !rec.OK {
		if len(errs) == 0 {
			return "CPython rejects (" + rec.Error.String() + ") but we report no error", len(src)
		}
		return "", len(src)
	}
	if len(errs) > 0 {
		return fmt.Sprintf("CPython accepts but we report %d errors, first: %v", len(errs), errs[0]), len(src)
	}
	ours, p := dumpSafe(mod, minor)
	if p != "" {
		return "PANIC in DumpJSON: " + p, len(src)
	}
	d, err := pyoracle.Compare(ours, rec.AST, minor)
	if err != nil {
		return err.Error(), len(src)
	}
	if d == "" {
		d = checkWalkOrder(mod)
	}
	return d, len(src)
}

// checkWalkOrder checks that Inspect visits the children of every node in
// source order (by start offset). JoinedStr is exempt: CPython itself
// starts the debug text of f"{x=}" inside the brace, after the
// FormattedValue that follows it.
func checkWalkOrder(mod *pyast.Module) string {
	var bad string
	pyast.Inspect(mod, func(n pyast.Node) bool {
		if n == nil || bad != "" {
			return false
		}
		if _, ok := n.(*pyast.JoinedStr); ok {
			return true
		}
		kids := pyast.Children(n)
		for i := 1; i < len(kids); i++ {
			if kids[i].Pos() < kids[i-1].Pos() {
				p := mod.File.Position(n.Pos())
				bad = fmt.Sprintf("Walk: children of %T at %d:%d out of source order: %T@%d before %T@%d",
					n, p.Line, p.Col, kids[i-1], kids[i-1].Pos(), kids[i], kids[i].Pos())
				return false
			}
		}
		return true
	})
	return bad
}

func TestOracle(t *testing.T) {
	script := oracleScript(t)
	for _, v := range pyoracle.Versions {
		t.Run(v, func(t *testing.T) {
			in := findInterpreter(t, v)
			stdlib, err := in.StdlibDir()
			if err != nil {
				t.Fatal(err)
			}
			all, err := pyoracle.StdlibFiles(stdlib)
			if err != nil {
				t.Fatal(err)
			}
			files := selectFiles(stdlib, all)
			const maxReported = 25
			var (
				n, equal, mismatched, bytes int
				parseTime                   time.Duration
				reports                     []string
			)
			err = in.Dump(script, files, func(rec *pyoracle.Record) error {
				n++
				t0 := time.Now()
				d, size := checkRecord(rec, in.Minor)
				parseTime += time.Since(t0)
				bytes += size
				if d == "" {
					equal++
					return nil
				}
				mismatched++
				if len(reports) < maxReported {
					reports = append(reports, pyoracle.ShortName(stdlib, rec.File)+": "+d)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("oracle %s: files=%d equal=%d mismatched=%d (%.1f MB, parse+dump+compare %v)",
				v, n, equal, mismatched, float64(bytes)/1e6, parseTime.Round(time.Millisecond))
			if n != len(files) {
				t.Errorf("oracle returned %d records for %d files", n, len(files))
			}
			if mismatched > 0 {
				more := ""
				if mismatched > len(reports) {
					more = fmt.Sprintf("\n… and %d more", mismatched-len(reports))
				}
				t.Errorf("oracle %s: %d of %d files differ from CPython:\n%s%s", v, mismatched, n,
					strings.Join(reports, "\n"), more)
			}
		})
	}
}
