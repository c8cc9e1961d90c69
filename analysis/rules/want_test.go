package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/bundle"
	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// The one harness of the family tests. A family's testdata folder holds
// cases: a .py file alone (it is the handler) or a folder (handler.py, more
// modules, config files, function.json for the function's metadata). What a
// case must report is written in it:
//
//	# want: item …        on the line the items are about
//	# want@-3: item …     about the line 3 above (or @+1 below)
//	want.txt              one expectation a line, "#" comments:
//	                        file:line item …
//	                        RULE category severity   (a finding anywhere)
//
// An item is
//
//	category[:severity]   a finding of that category on the line
//	PF-XXX-NNN[:severity] a finding with that rule id on the line
//	needs=ACL:ACTION      a required capability recorded on the line
//	egress=HOST           an egress destination on the line ("egress=?": unknown host)
//
// Each finding must match a want and each want a finding: a want stands
// for one finding, or for all the findings at its place when the suite is
// not exact. Required capabilities and egress are checked where listed.
// Every finding needs a title and message, and a remediation unless it is
// info; no secret the family recorded may appear in clear.
var wantComment = regexp.MustCompile(`#\s*want(@[+-]\d+)?:\s*(.*)$`)

var wantPlace = regexp.MustCompile(`^\S+:\d+$`)

// wantSuite is how a family's testdata is run.
type wantSuite struct {
	fam   *Family
	dir   string
	pol   *policy.Policy // nil: the empty policy
	exact bool           // a want stands for exactly one finding
}

// wantCase is one case of a suite.
type wantCase struct {
	name    string
	handler string
	files   map[string][]byte
}

// expect is one expectation of a case.
type expect struct {
	at   string // "file:line"; "" for anywhere
	kind string // "" (a finding), "needs" or "egress"
	item string // category or rule id; ACL:ACTION; host
	rule string // the rule id too, when a want.txt line names both
	sev  string
	hits int
}

func (e *expect) String() string {
	s := e.item
	if e.rule != "" {
		s = e.rule + " " + s
	}
	if e.sev != "" {
		s += ":" + e.sev
	}
	if e.kind != "" {
		s = e.kind + "=" + s
	}
	if e.at == "" {
		return s
	}
	return e.at + " " + s
}

// wantCases reads the cases of a testdata folder.
func wantCases(t *testing.T, dir string) []wantCase {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []wantCase
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			cases = append(cases, wantCase{e.Name(), "handler.py", readBundleDir(t, p)})
		} else if strings.HasSuffix(e.Name(), ".py") {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			cases = append(cases, wantCase{e.Name(), e.Name(), map[string][]byte{e.Name(): data}})
		}
	}
	if len(cases) == 0 {
		t.Fatalf("no cases in %s", dir)
	}
	return cases
}

// readBundleDir reads every file under dir as a bundle (paths relative to dir).
func readBundleDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// parseItem reads one item of a want at a place.
func parseItem(at, item string) *expect {
	for _, kind := range []string{"needs", "egress"} {
		if v, ok := strings.CutPrefix(item, kind+"="); ok {
			if kind == "egress" && v == "?" {
				v = ""
			}
			return &expect{at: at, kind: kind, item: v}
		}
	}
	cat, sev, _ := strings.Cut(item, ":")
	return &expect{at: at, item: cat, sev: sev}
}

// parseWants collects the expectations of a case: the want comments of its
// files and its want.txt (which it removes from the files).
func parseWants(t *testing.T, c wantCase) []*expect {
	t.Helper()
	var wants []*expect
	if data, ok := c.files["want.txt"]; ok {
		delete(c.files, "want.txt")
		for i, l := range strings.Split(string(data), "\n") {
			f := strings.Fields(l)
			switch {
			case len(f) == 0 || strings.HasPrefix(f[0], "#"):
			case wantPlace.MatchString(f[0]) && len(f) > 1:
				for _, item := range f[1:] {
					wants = append(wants, parseItem(f[0], item))
				}
			case len(f) == 3:
				wants = append(wants, &expect{rule: f[0], item: f[1], sev: f[2]})
			default:
				t.Fatalf("%s: want.txt:%d: want \"file:line item …\" or \"RULE category severity\", got %q", c.name, i+1, l)
			}
		}
	}
	names := make([]string, 0, len(c.files))
	for name := range c.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for i, line := range strings.Split(string(c.files[name]), "\n") {
			m := wantComment.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			n := i + 1
			if m[1] != "" {
				off, _ := strconv.Atoi(m[1][1:])
				n += off
			}
			at := fmt.Sprintf("%s:%d", name, n)
			for _, item := range strings.Fields(m[2]) {
				wants = append(wants, parseItem(at, item))
			}
		}
	}
	return wants
}

// runFamilyOn runs one family over a bundle and its metadata.
func runFamilyOn(t *testing.T, fam *Family, files map[string][]byte, fn *cdf.Function, pol *policy.Policy) Result {
	res, _ := runFamilyProg(t, fam, "handler.py", files, fn, pol)
	return res
}

func runFamilyProg(t *testing.T, fam *Family, handler string, files map[string][]byte, fn *cdf.Function, pol *policy.Policy) (Result, *Program) {
	t.Helper()
	b, err := bundle.FromFiles(files, handler, bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if pol == nil {
		pol = &policy.Policy{}
	}
	det := secrets.Default()
	prog := Build(b, Options{IsSecretLiteral: func(s string) bool { return len(det.ScanValue(s)) > 0 }})
	return RunFamilies([]*Family{fam}, prog, b, fn, pol, det), prog
}

// run runs the suite's family over every case of its folder.
func (s wantSuite) run(t *testing.T) {
	for _, c := range wantCases(t, s.dir) {
		t.Run(c.name, func(t *testing.T) { s.check(t, c) })
	}
}

func (s wantSuite) check(t *testing.T, c wantCase) {
	t.Helper()
	wants := parseWants(t, c)
	var fn *cdf.Function
	if data, ok := c.files["function.json"]; ok {
		delete(c.files, "function.json")
		var err error
		if fn, err = cdf.ParseFunction(data); err != nil {
			t.Fatal(err)
		}
	}
	res, prog := runFamilyProg(t, s.fam, c.handler, c.files, fn, s.pol)
	if prog.Truncated != "" {
		t.Fatalf("truncated: %s", prog.Truncated)
	}
	for _, m := range prog.Modules {
		if len(m.Errors) > 0 && strings.HasSuffix(m.Path, ".py") {
			t.Fatalf("%s: syntax error: %v", m.Path, m.Errors[0])
		}
	}
	for _, f := range res.Findings {
		at := fmt.Sprintf("%s:%d", f.File, f.Line)
		var match, spare *expect // spare: matches but already used (exact suites)
		for _, w := range wants {
			if w.kind != "" || (w.at != "" && w.at != at) || (w.item != string(f.Category) && w.item != f.RuleID) || (w.rule != "" && w.rule != f.RuleID) {
				continue
			}
			if s.exact && w.hits > 0 {
				spare = w
				continue
			}
			if match == nil || (match.sev != "" && match.sev != f.Severity.String() && w.sev == f.Severity.String()) {
				match = w
			}
			if !s.exact {
				w.hits++
				if w.sev != "" && w.sev != f.Severity.String() {
					t.Errorf("%s: %s %s has severity %s, want %s (%s)", at, f.RuleID, f.Category, f.Severity, w.sev, f.Message)
				}
			}
		}
		switch {
		case match == nil && spare != nil:
			t.Errorf("%s: unexpected %s %s %s: %s (want %s names one finding, this is one more)", at, f.RuleID, f.Category, f.Severity, f.Message, spare)
		case match == nil:
			t.Errorf("%s: unexpected %s %s %s: %s", at, f.RuleID, f.Category, f.Severity, f.Message)
		case s.exact:
			match.hits++
			if match.sev != "" && match.sev != f.Severity.String() {
				t.Errorf("%s: %s %s has severity %s, want %s (%s)", at, f.RuleID, f.Category, f.Severity, match.sev, f.Message)
			}
		}
		if strings.TrimSpace(f.Title) == "" || strings.TrimSpace(f.Message) == "" {
			t.Errorf("%s: %s lacks a title or message", at, f.RuleID)
		}
		if f.Remediation == "" && f.Severity != report.Info {
			t.Errorf("%s: %s %s lacks a remediation", at, f.RuleID, f.Severity)
		}
	}
	noSecretsInClear(t, res)
	got := map[string]map[string]bool{"needs": {}, "egress": {}}
	for _, r := range res.Required {
		got["needs"][fmt.Sprintf("%s:%d %s:%s", r.File, r.Line, r.ACL, r.Action)] = true
	}
	for _, e := range res.Egress {
		got["egress"][fmt.Sprintf("%s:%d %s", e.File, e.Line, e.Host)] = true
	}
	for _, w := range wants {
		switch {
		case w.kind != "" && !got[w.kind][w.at+" "+w.item]:
			t.Errorf("%s: missing %s %s (have %v)", w.at, map[string]string{"needs": "required capability", "egress": "egress"}[w.kind], w.item, wantHave(got[w.kind]))
		case w.kind == "" && w.hits == 0:
			t.Errorf("missing %s", w)
		}
	}
	if t.Failed() {
		t.Logf("findings:\n%s", describe(res))
	}
}

// noSecretsInClear fails when a recorded secret appears in any text of a finding.
func noSecretsInClear(t *testing.T, res Result) {
	t.Helper()
	for _, f := range res.Findings {
		for _, s := range res.Sensitive {
			for _, text := range []string{f.Title, f.Message, f.Evidence, f.Remediation} {
				if len(s) >= 5 && strings.Contains(text, s) {
					t.Errorf("%s:%d %s: secret %s in clear in %q", f.File, f.Line, f.RuleID, secrets.Redact(s), text)
				}
			}
		}
	}
}

func wantHave(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func describe(res Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "  %s:%d %s %s %s: %s | %s\n", f.File, f.Line, f.RuleID, f.Category, severityName(f.Severity), f.Message, f.Evidence)
	}
	return b.String()
}

func severityName(s report.Severity) string { return s.String() }
