package main

import (
	"archive/zip"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/cdf-preflight/preflight/analysis/report"
)

var updateGolden = flag.Bool("update", false, "rewrite the scan golden files in testdata/scan")

const corpus = "../../testdata/functions"

func TestScanUsage(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "code.txt")
	os.WriteFile(notZip, []byte("print('hi')\n"), 0o644)
	bundle := filepath.Join(corpus, "benign-raw-etl")
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"scan"}, "usage: preflight scan"},
		{[]string{"scan", bundle, bundle}, "usage: preflight scan"},
		{[]string{"scan", "--format", "xml", bundle}, `--format "xml": want text, json or sarif`},
		{[]string{"scan", "--fail-on", "severe", bundle}, `--fail-on "severe": want low, medium, high or critical`},
		{[]string{"scan", "--token-inspect", "t.json", bundle}, "--token-inspect and --project go together"},
		{[]string{"scan", filepath.Join(dir, "missing")}, "no such file"},
		{[]string{"scan", notZip}, "not a folder or a zip file"},
		{[]string{"scan", "--function", filepath.Join(dir, "nofn.json"), bundle}, "no such file"},
		{[]string{"scan", "--policy", filepath.Join(dir, "nopolicy.toml"), bundle}, "no such file"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, exitUsage, tt.stderr)
		}
	}
}

func TestFailsGate(t *testing.T) {
	tests := []struct {
		level, threshold report.RiskLevel
		fails            bool
	}{
		{report.RiskNone, report.RiskLow, false},
		{report.RiskLow, report.RiskLow, true},
		{report.RiskMedium, report.RiskHigh, false},
		{report.RiskHigh, report.RiskHigh, true},
		{report.RiskCritical, report.RiskHigh, true},
		{report.RiskHigh, report.RiskCritical, false},
		{report.RiskUnknown, report.RiskCritical, true},
	}
	for _, tt := range tests {
		if got := failsGate(tt.level, tt.threshold); got != tt.fails {
			t.Errorf("failsGate(%s, %s) = %v, want %v", tt.level, tt.threshold, got, tt.fails)
		}
	}
}

// scanJSON runs scan --format json and decodes the report.
func scanJSON(t *testing.T, args ...string) (int, report.Report, string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"scan", "--format", "json"}, args...)...)
	var rep report.Report
	if code != exitUsage {
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("scan %v: %v\n%s\n%s", args, err, stdout, stderr)
		}
	}
	return code, rep, stderr
}

func TestScanFailOn(t *testing.T) {
	// An analysis that could not be completed fails any gate.
	code, rep, _ := scanJSON(t, "--fail-on", "critical", filepath.Join(corpus, "risky-syntax-error-helper"))
	if rep.Risk.Level != report.RiskUnknown || code != exitFail {
		t.Errorf("unknown risk with --fail-on critical: level %s, exit %d; want unknown, %d", rep.Risk.Level, code, exitFail)
	}
	// Without --fail-on the exit code does not depend on the risk.
	if code, _, _ := scanJSON(t, filepath.Join(corpus, "risky-syntax-error-helper")); code != exitOK {
		t.Errorf("without --fail-on: exit %d, want 0", code)
	}
	code, rep, _ = scanJSON(t, "--fail-on", "critical", filepath.Join(corpus, "benign-timeseries-rollup"))
	if want := map[bool]int{true: exitFail, false: exitOK}[failsGate(rep.Risk.Level, report.RiskCritical)]; code != want {
		t.Errorf("level %s with --fail-on critical: exit %d, want %d", rep.Risk.Level, code, want)
	}
	if rep.Risk.Level == report.RiskCritical || rep.Risk.Level == report.RiskUnknown {
		t.Errorf("benign bundle scored %s", rep.Risk.Level)
	}
}

func TestScanFunctionJSON(t *testing.T) {
	// function.json inside the folder is the function object, not code.
	_, rep, _ := scanJSON(t, filepath.Join(corpus, "benign-raw-etl"))
	if rep.Function == nil || rep.Function.ExternalID != "raw-clean-work-orders" {
		t.Fatalf("function = %+v, want raw-clean-work-orders", rep.Function)
	}
	for _, f := range rep.Findings {
		if f.File == "function.json" && f.Line > 0 {
			t.Errorf("function.json analysed as code: %+v", f)
		}
	}
	// --function overrides it.
	_, rep, _ = scanJSON(t, "--function", filepath.Join(corpus, "benign-dataframe", "function.json"), filepath.Join(corpus, "benign-raw-etl"))
	if rep.Function == nil || rep.Function.ExternalID != "resampler" {
		t.Errorf("--function: function = %+v, want resampler", rep.Function)
	}
	// Beside a zip.
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "code.zip")
	writeZip(t, zipPath, filepath.Join(corpus, "benign-toolkit-deploy"))
	data, _ := os.ReadFile(filepath.Join(corpus, "benign-toolkit-deploy", "function.json"))
	os.WriteFile(filepath.Join(dir, "function.json"), data, 0o644)
	code, rep, stderr := scanJSON(t, zipPath)
	if code != exitOK || rep.Function == nil || rep.Function.ExternalID != "fn_quality_checks" {
		t.Fatalf("zip: exit %d, function %+v, stderr %s", code, rep.Function, stderr)
	}
	if len(rep.Incomplete) != 0 {
		t.Errorf("zip with functionPath src/handler.py: incomplete %+v", rep.Incomplete)
	}
}

// writeZip zips the code files of a corpus bundle.
func writeZip(t *testing.T, zipPath, dir string) {
	t.Helper()
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch rel {
		case "expect.toml", "function.json", "policy.toml":
			return nil
		}
		w, _ := zw.Create(filepath.ToSlash(rel))
		data, _ := os.ReadFile(p)
		w.Write(data)
		return nil
	})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestScanFolderWalk(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("handler.py", "def handle(client, data):\n    return {}\n")
	bad := "def handle(:\n"
	write(".git/hooks/pre-commit.py", bad)
	write("__pycache__/x.py", bad)
	write(".venv/lib/site.py", bad)
	write("node_modules/pkg/index.py", bad)
	outside := filepath.Join(t.TempDir(), "outside.py")
	os.WriteFile(outside, []byte(bad), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "linked.py")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	code, rep, stderr := scanJSON(t, dir)
	if code != exitOK || len(rep.Incomplete) != 0 {
		t.Fatalf("exit %d, incomplete %+v (skipped folders or the symlink were read)", code, rep.Incomplete)
	}
	if !strings.Contains(stderr, "symbolic links not followed: linked.py") {
		t.Errorf("stderr %q does not name the symlink", stderr)
	}

	// Past the policy's file limit: a note, and the report says what was left out.
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		write("extra/"+n+".py", "X = 1\n")
	}
	pol := filepath.Join(t.TempDir(), "policy.toml")
	os.WriteFile(pol, []byte("[limits]\nmax_files = 3\n"), 0o644)
	code, rep, stderr = scanJSON(t, "--policy", pol, dir)
	if code != exitOK || !strings.Contains(stderr, "stopped reading") {
		t.Fatalf("max_files 3: exit %d, stderr %q", code, stderr)
	}
	if rep.Risk.Level != report.RiskUnknown || len(rep.Incomplete) == 0 {
		t.Errorf("max_files 3: risk %s, incomplete %+v; want unknown with entries", rep.Risk.Level, rep.Incomplete)
	}
}

// goldenBundles are scanned in every format and compared with testdata/scan.
// After an intended change of the engine's output, rewrite them with
// go test ./cmd/preflight -run TestScanGolden -update and review the diff.
var goldenBundles = []string{"benign-raw-etl", "risky-syntax-error-helper"}

func TestScanGolden(t *testing.T) {
	for _, name := range goldenBundles {
		for _, format := range []string{"text", "json", "sarif"} {
			t.Run(name+"."+format, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, "scan", "--format", format, filepath.Join(corpus, name))
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				golden := filepath.Join("testdata", "scan", name+"."+format)
				if *updateGolden {
					os.MkdirAll(filepath.Dir(golden), 0o755)
					if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (go test ./cmd/preflight -run TestScanGolden -update)", err)
				}
				if stdout != string(want) {
					t.Errorf("output differs from %s (rerun with -update after an intended change):\n%s", golden, stdout)
				}
			})
		}
	}
}

// TestScanNeverPrintsSecrets: no fake secret of the corpus (expect.toml's
// secrets list) appears in clear in any output format of any bundle.
func TestScanNeverPrintsSecrets(t *testing.T) {
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(corpus, e.Name(), "expect.toml"))
		if err != nil {
			t.Fatal(err)
		}
		var exp struct {
			Secrets []string `toml:"secrets"`
		}
		if err := toml.Unmarshal(raw, &exp); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		all = append(all, exp.Secrets...)
	}
	if len(all) < 10 {
		t.Fatalf("only %d secrets listed in the corpus", len(all))
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		for _, format := range []string{"text", "json", "sarif"} {
			code, stdout, stderr := runCLI(t, "scan", "--format", format, filepath.Join(corpus, e.Name()))
			if code != exitOK {
				t.Errorf("%s %s: exit %d: %s", e.Name(), format, code, stderr)
				continue
			}
			for _, s := range all {
				// Any 12 characters of a secret in a row are too many.
				for i := 0; i+12 <= len(s); i += 6 {
					if part := s[i : i+12]; strings.Contains(stdout, part) || strings.Contains(stderr, part) {
						t.Errorf("%s %s: output holds %q of a secret (%s)", e.Name(), format, part, report.Redact(s))
						break
					}
				}
			}
		}
	}
}
