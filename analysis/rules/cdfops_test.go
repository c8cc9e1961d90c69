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
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// opsWantLine is an expectation comment in testdata/cdfops and
// testdata/egress: "# want: <item> …" where an item is
//
//	category[:severity]   a finding of the family on this line
//	PF-XXX-NNN            a finding with that rule id on this line
//	needs=ACL:ACTION      a required capability recorded on this line
//	egress=HOST           an egress destination on this line ("egress=?" for an unknown host)
//
// The test fails on a missing finding and on an unexpected one; required
// capabilities and egress are checked where listed.
var opsWantLine = regexp.MustCompile(`#\s*want:\s*(.*)$`)

// opsCase is one bundle of a family's testdata: a .py file alone (it is
// the handler) or a folder with handler.py.
type opsCase struct {
	name    string
	handler string
	files   map[string][]byte
}

func opsCases(t *testing.T, dir string) []opsCase {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []opsCase
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() {
			if !strings.HasSuffix(e.Name(), ".py") {
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			cases = append(cases, opsCase{name: e.Name(), handler: e.Name(), files: map[string][]byte{e.Name(): data}})
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
		cases = append(cases, opsCase{name: e.Name(), handler: "handler.py", files: files})
	}
	if len(cases) == 0 {
		t.Fatalf("no cases in %s", dir)
	}
	return cases
}

// opsRun builds the model of a case and runs one family over it.
func opsRun(t *testing.T, fam *Family, c opsCase, pol *policy.Policy) (Result, *Program) {
	t.Helper()
	b, err := bundle.FromFiles(c.files, c.handler, bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	det := secrets.Default()
	prog := Build(b, Options{IsSecretLiteral: func(s string) bool { return len(det.ScanValue(s)) > 0 }})
	if pol == nil {
		pol = policy.Default()
	}
	return RunFamilies([]*Family{fam}, prog, b, nil, pol, det), prog
}

// opsCheckWants compares a family's results on a case with the want
// comments of its files.
func opsCheckWants(t *testing.T, c opsCase, res Result) {
	t.Helper()
	want := map[string]bool{}      // "file:line category" or "file:line PF-…"
	sevWant := map[string]string{} // "file:line category" → severity
	needs := map[string]bool{}     // "file:line ACL:ACTION"
	egress := map[string]bool{}    // "file:line host"
	for name, data := range c.files {
		for i, line := range strings.Split(string(data), "\n") {
			m := opsWantLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			at := fmt.Sprintf("%s:%d", name, i+1)
			for _, item := range strings.Fields(m[1]) {
				switch {
				case strings.HasPrefix(item, "needs="):
					needs[at+" "+strings.TrimPrefix(item, "needs=")] = true
				case strings.HasPrefix(item, "egress="):
					host := strings.TrimPrefix(item, "egress=")
					if host == "?" {
						host = ""
					}
					egress[at+" "+host] = true
				default:
					cat, sev, _ := strings.Cut(item, ":")
					want[at+" "+cat] = true
					if sev != "" {
						sevWant[at+" "+cat] = sev
					}
				}
			}
		}
	}
	got := map[string]report.Finding{}
	for _, f := range res.Findings {
		at := fmt.Sprintf("%s:%d", f.File, f.Line)
		got[at+" "+string(f.Category)] = f
		got[at+" "+f.RuleID] = f
	}
	for k := range want {
		f, ok := got[k]
		if !ok {
			t.Errorf("%s: missing %s", c.name, k)
			continue
		}
		if sev, ok := sevWant[k]; ok && f.Severity.String() != sev {
			t.Errorf("%s: %s has severity %s, want %s (%s)", c.name, k, f.Severity, sev, f.Message)
		}
	}
	for _, f := range res.Findings {
		at := fmt.Sprintf("%s:%d", f.File, f.Line)
		if !want[at+" "+string(f.Category)] && !want[at+" "+f.RuleID] {
			t.Errorf("%s: unexpected %s %s %s %s: %s", c.name, at, f.Category, f.RuleID, f.Severity, f.Message)
		}
		if strings.TrimSpace(f.Title) == "" || strings.TrimSpace(f.Message) == "" || f.Remediation == "" {
			t.Errorf("%s: %s %s lacks a title, message or remediation", c.name, at, f.RuleID)
		}
	}
	gotNeeds := map[string]bool{}
	for _, r := range res.Required {
		gotNeeds[fmt.Sprintf("%s:%d %s:%s", r.File, r.Line, r.ACL, r.Action)] = true
	}
	for k := range needs {
		if !gotNeeds[k] {
			t.Errorf("%s: missing required capability %s (have %v)", c.name, k, opsKeys(gotNeeds))
		}
	}
	gotEgress := map[string]bool{}
	for _, e := range res.Egress {
		gotEgress[fmt.Sprintf("%s:%d %s", e.File, e.Line, e.Host)] = true
	}
	for k := range egress {
		if !gotEgress[k] {
			t.Errorf("%s: missing egress %s (have %v)", c.name, k, opsKeys(gotEgress))
		}
	}
}

func opsKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// opsFamilyTest runs a family over every case of its testdata directory.
func opsFamilyTest(t *testing.T, fam *Family, dir string) {
	for _, c := range opsCases(t, dir) {
		t.Run(c.name, func(t *testing.T) {
			res, prog := opsRun(t, fam, c, nil)
			if len(prog.Calls) == 0 {
				t.Skip("rules.Build records no calls yet (data flow not landed)")
			}
			opsCheckWants(t, c, res)
		})
	}
}

func TestCDFOps(t *testing.T) { opsFamilyTest(t, CDFOps, "testdata/cdfops") }
