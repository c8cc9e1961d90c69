package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/bundle"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/report"
)

// famWant is an expectation comment in testdata/exposure and
// testdata/execution: "# want: item …" on the line that must be reported,
// where an item is a category or a rule id, optionally with a severity
// ("code-execution:critical", "PF-EXEC-002:low"). The test fails on a
// missing finding and on an unexpected one of the family.
var famWant = regexp.MustCompile(`#\s*want:\s*(.*)$`)

// famBundle is one case: a .py file alone (it is the handler) or a folder
// with handler.py and more modules.
type famBundle struct {
	name  string
	files map[string][]byte
	hdlr  string
}

func famBundles(t *testing.T, dir string) []famBundle {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []famBundle
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() {
			if strings.HasSuffix(e.Name(), ".py") {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, famBundle{e.Name(), map[string][]byte{e.Name(): data}, e.Name()})
			}
			continue
		}
		files := map[string][]byte{}
		err := filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(p, path)
			files[filepath.ToSlash(rel)] = data
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, famBundle{e.Name(), files, "handler.py"})
	}
	if len(out) == 0 {
		t.Fatalf("no cases in %s", dir)
	}
	return out
}

// testSecretLiteral stands in for the secrets detector in these tests:
// literals shaped like AWS access key ids.
func testSecretLiteral(s string) bool {
	return len(s) == 20 && strings.HasPrefix(s, "AKIA") && strings.ToUpper(s) == s
}

func famRun(t *testing.T, fam *Family, c famBundle) []report.Finding {
	t.Helper()
	var files []bundle.File
	for p, d := range c.files {
		files = append(files, bundle.File{Path: p, Data: d})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	b := &bundle.Bundle{Files: files, Handler: c.hdlr}
	prog := Build(b, Options{IsSecretLiteral: testSecretLiteral})
	if prog.Truncated != "" {
		t.Fatalf("%s: truncated: %s", c.name, prog.Truncated)
	}
	for _, m := range prog.Modules {
		if len(m.Errors) > 0 {
			t.Fatalf("%s: %s: syntax error: %v", c.name, m.Path, m.Errors[0])
		}
	}
	return RunFamilies([]*Family{fam}, prog, b, nil, &policy.Policy{}, nil).Findings
}

// famCheck runs a family over every case of its testdata folder and
// compares the findings with the want comments.
func famCheck(t *testing.T, fam *Family, dir string) {
	for _, c := range famBundles(t, dir) {
		t.Run(c.name, func(t *testing.T) {
			type want struct {
				item, sev string
				hit       bool
			}
			wants := map[string][]*want{} // "file:line"
			for name, data := range c.files {
				for i, line := range strings.Split(string(data), "\n") {
					m := famWant.FindStringSubmatch(line)
					if m == nil {
						continue
					}
					at := fmt.Sprintf("%s:%d", name, i+1)
					for _, item := range strings.Fields(m[1]) {
						w := &want{item: item}
						if k := strings.IndexByte(item, ':'); k >= 0 {
							w.item, w.sev = item[:k], item[k+1:]
						}
						wants[at] = append(wants[at], w)
					}
				}
			}
			for _, f := range famRun(t, fam, c) {
				at := fmt.Sprintf("%s:%d", f.File, f.Line)
				matched := false
				for _, w := range wants[at] {
					if w.item != string(f.Category) && w.item != f.RuleID {
						continue
					}
					if w.sev != "" && w.sev != f.Severity.String() {
						t.Errorf("%s: %s %s has severity %s, want %s (%s)", at, f.RuleID, f.Category, f.Severity, w.sev, f.Message)
					}
					w.hit, matched = true, true
				}
				if !matched {
					t.Errorf("%s: unexpected %s %s %s: %s", at, f.RuleID, f.Category, f.Severity, f.Message)
				}
				if f.Title == "" || f.Message == "" || f.Remediation == "" {
					t.Errorf("%s: %s lacks a title, message or remediation", at, f.RuleID)
				}
			}
			for at, ws := range wants {
				for _, w := range ws {
					if !w.hit {
						t.Errorf("%s: missing %s", at, w.item)
					}
				}
			}
		})
	}
}

func TestExposure(t *testing.T)  { famCheck(t, Exposure, "testdata/exposure") }
func TestExecution(t *testing.T) { famCheck(t, Execution, "testdata/execution") }
