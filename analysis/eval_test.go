package analysis

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/cdf-preflight/preflight/analysis/report"
)

// The evaluation corpus: testdata/functions/<bundle>/ holds a function's code
// (handler.py or its functionPath, helper modules, requirements.txt), an
// optional function.json (the CDF function object) and policy.toml, and
// expect.toml listing the findings the engine must report:
//
//	description = "…"
//	kind = "benign" | "risky"
//	secrets = ["…"]    # fake secret values in the bundle, never to be output in clear
//	[[finding]]
//	category = "secret-exposure"
//	file = "handler.py"
//	line = 14          # 0 for findings without a line (metadata)
//
// TestEval matches the engine's findings to the expectations by (category,
// file, line) — for line 0 by category alone, since metadata findings name
// no file of the code — and fails on any regression against baseline.json.

var updateBaseline = flag.Bool("update-baseline", false, "rewrite testdata/functions/baseline.json from this run")

const corpusDir = "../testdata/functions"

// Files of a corpus bundle that are not code.
var corpusMetaFiles = map[string]bool{"expect.toml": true, "function.json": true, "policy.toml": true}

type expectation struct {
	Category string `toml:"category"`
	File     string `toml:"file"`
	Line     int    `toml:"line"`
}

type expectFile struct {
	Description string        `toml:"description"`
	Kind        string        `toml:"kind"`
	Findings    []expectation `toml:"finding"`
	// Secrets are the bundle's fake secret values, which must never appear
	// in clear in any output (checked by the CLI's tests).
	Secrets []string `toml:"secrets"`
}

type corpusBundle struct {
	name   string
	input  Input
	expect expectFile
}

// loadCorpus reads every bundle of the corpus.
func loadCorpus(t testing.TB) []corpusBundle {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusBundle
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(corpusDir, e.Name())
		b := corpusBundle{name: e.Name(), input: Input{Files: map[string][]byte{}}}
		raw, err := os.ReadFile(filepath.Join(dir, "expect.toml"))
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if err := toml.Unmarshal(raw, &b.expect); err != nil {
			t.Fatalf("%s/expect.toml: %v", e.Name(), err)
		}
		if b.expect.Kind != "benign" && b.expect.Kind != "risky" {
			t.Fatalf("%s/expect.toml: kind %q, want benign or risky", e.Name(), b.expect.Kind)
		}
		if data, err := os.ReadFile(filepath.Join(dir, "function.json")); err == nil {
			b.input.FunctionJSON = data
		}
		if data, err := os.ReadFile(filepath.Join(dir, "policy.toml")); err == nil {
			b.input.PolicyTOML = data
		}
		err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			rel = filepath.ToSlash(rel)
			if corpusMetaFiles[rel] {
				return nil
			}
			data, err := os.ReadFile(path)
			b.input.Files[rel] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// matchKey identifies an expected finding.
type matchKey struct {
	category, file string
	line           int
}

func keyOf(category, file string, line int) matchKey {
	if line == 0 {
		file = ""
	}
	return matchKey{category, file, line}
}

// categoryStats counts one category's results.
type categoryStats struct {
	Expected       int `json:"expected"`
	Found          int `json:"found"`
	FalsePositives int `json:"falsePositives"`
}

func (s categoryStats) recall() float64 {
	if s.Expected == 0 {
		return 1
	}
	return float64(s.Found) / float64(s.Expected)
}

// evalResult is a run over the corpus, with what went wrong per bundle.
type evalResult struct {
	Categories map[string]*categoryStats `json:"categories"`
	misses     []string
	falsePos   []string
	errors     []string
}

func (r *evalResult) stats(cat string) *categoryStats {
	s := r.Categories[cat]
	if s == nil {
		s = &categoryStats{}
		r.Categories[cat] = s
	}
	return s
}

func (r *evalResult) total() categoryStats {
	var t categoryStats
	for _, s := range r.Categories {
		t.Expected += s.Expected
		t.Found += s.Found
		t.FalsePositives += s.FalsePositives
	}
	return t
}

// evaluate runs Analyze over the corpus and matches findings to expectations.
func evaluate(t testing.TB, corpus []corpusBundle) *evalResult {
	res := &evalResult{Categories: map[string]*categoryStats{}}
	for _, b := range corpus {
		want := map[matchKey]int{}
		for _, e := range b.expect.Findings {
			k := keyOf(e.Category, e.File, e.Line)
			want[k]++
			res.stats(e.Category).Expected++
		}
		rep, err := Analyze(context.Background(), b.input)
		if err != nil {
			res.errors = append(res.errors, fmt.Sprintf("%s: %v", b.name, err))
			for k, n := range want {
				for i := 0; i < n; i++ {
					res.misses = append(res.misses, fmt.Sprintf("%s: %s %s:%d (no report)", b.name, k.category, k.file, k.line))
				}
			}
			continue
		}
		matched := map[matchKey]bool{}
		var unmatched []report.Finding
		for _, f := range rep.Findings {
			k := keyOf(string(f.Category), f.File, f.Line)
			if want[k] > 0 {
				want[k]--
				matched[k] = true
				res.stats(k.category).Found++
				continue
			}
			unmatched = append(unmatched, f)
		}
		for _, f := range unmatched {
			k := keyOf(string(f.Category), f.File, f.Line)
			if matched[k] || f.Severity == report.Info {
				continue // a second report of an expected finding, or info only
			}
			res.stats(k.category).FalsePositives++
			res.falsePos = append(res.falsePos, fmt.Sprintf("%s: %s %s:%d %s %s %q", b.name, f.Category, f.File, f.Line, f.RuleID, f.Severity, f.Title))
		}
		for k, n := range want {
			for i := 0; i < n; i++ {
				res.misses = append(res.misses, fmt.Sprintf("%s: %s %s:%d", b.name, k.category, k.file, k.line))
			}
		}
	}
	sort.Strings(res.misses)
	sort.Strings(res.falsePos)
	return res
}

// table renders the per-category results.
func (r *evalResult) table() string {
	cats := make([]string, 0, len(r.Categories))
	for c := range r.Categories {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	var b strings.Builder
	fmt.Fprintf(&b, "%-24s %8s %6s %7s %4s\n", "category", "expected", "found", "recall", "FP")
	for _, c := range cats {
		s := r.Categories[c]
		fmt.Fprintf(&b, "%-24s %8d %6d %7.2f %4d\n", c, s.Expected, s.Found, s.recall(), s.FalsePositives)
	}
	t := r.total()
	fmt.Fprintf(&b, "%-24s %8d %6d %7.2f %4d\n", "TOTAL", t.Expected, t.Found, t.recall(), t.FalsePositives)
	return b.String()
}

const baselinePath = corpusDir + "/baseline.json"

func TestEval(t *testing.T) {
	corpus := loadCorpus(t)
	benign := 0
	for _, b := range corpus {
		if b.expect.Kind == "benign" {
			benign++
		}
	}
	if len(corpus) < 40 || benign < len(corpus)/3 {
		t.Fatalf("corpus has %d bundles (%d benign); want at least 40, a third or more benign", len(corpus), benign)
	}
	res := evaluate(t, corpus)
	t.Logf("corpus: %d bundles (%d benign, %d risky)\n%s", len(corpus), benign, len(corpus)-benign, res.table())
	for _, e := range res.errors {
		t.Logf("error: %s", e)
	}
	for _, m := range res.misses {
		t.Logf("miss: %s", m)
	}
	for _, f := range res.falsePos {
		t.Logf("false positive: %s", f)
	}

	if *updateBaseline {
		data, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(baselinePath, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", baselinePath)
		return
	}
	data, err := os.ReadFile(baselinePath)
	if err != nil {
		t.Fatalf("%v (run go test ./analysis -run TestEval -update-baseline)", err)
	}
	var base evalResult
	if err := json.Unmarshal(data, &base); err != nil {
		t.Fatalf("%s: %v", baselinePath, err)
	}
	for cat, b := range base.Categories {
		now := res.stats(cat)
		if now.recall() < b.recall()-1e-9 {
			t.Errorf("%s: recall fell to %.2f (%d/%d) from the baseline's %.2f (%d/%d)", cat, now.recall(), now.Found, now.Expected, b.recall(), b.Found, b.Expected)
		}
		if now.FalsePositives > b.FalsePositives {
			t.Errorf("%s: %d false positives, the baseline has %d", cat, now.FalsePositives, b.FalsePositives)
		}
	}
	for cat, now := range res.Categories {
		if _, ok := base.Categories[cat]; !ok && now.FalsePositives > 0 {
			t.Errorf("%s: %d false positives, the baseline has none", cat, now.FalsePositives)
		}
	}
}

// TestCorpusExpectations checks the corpus itself: categories from the
// fixed vocabulary, files that exist, lines inside them, every category
// covered by a risky bundle, and no expectations in benign bundles beyond
// facts a user must still see (egress and another identity).
func TestCorpusExpectations(t *testing.T) {
	known := map[string]bool{}
	for _, c := range []report.Category{report.HardcodedSecret, report.SecretExposure, report.CredentialAccess,
		report.PlaintextConfigSecret, report.NetworkEgress, report.DataExfiltration, report.CodeExecution,
		report.Obfuscation, report.DestructiveOperation, report.PrivilegeChange, report.SupplyChain,
		report.Provenance, report.PermissionExcess, report.AnalysisIncomplete} {
		known[string(c)] = true
	}
	covered := map[string]bool{}
	for _, b := range loadCorpus(t) {
		for _, e := range b.expect.Findings {
			if !known[e.Category] {
				t.Errorf("%s: unknown category %q", b.name, e.Category)
			}
			covered[e.Category] = true
			if e.Line == 0 {
				continue
			}
			data, ok := b.input.Files[e.File]
			if !ok {
				t.Errorf("%s: expectation names %s, not in the bundle", b.name, e.File)
				continue
			}
			if n := strings.Count(string(data), "\n") + 1; e.Line < 1 || e.Line > n {
				t.Errorf("%s: %s has %d lines, expectation at line %d", b.name, e.File, n, e.Line)
			}
			if b.expect.Kind == "benign" && e.Category != string(report.NetworkEgress) && e.Category != string(report.CredentialAccess) {
				t.Errorf("%s: benign bundle expects %s", b.name, e.Category)
			}
		}
	}
	for c := range known {
		if !covered[c] && c != string(report.PermissionExcess) { // needs a token-inspect response
			t.Errorf("no bundle expects a %s finding", c)
		}
	}
}
