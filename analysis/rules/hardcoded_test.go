package rules

import (
	"bytes"
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

// wantComment is an expectation on a line of a testdata file:
// "# want: category[:severity] …", or "# want@-3: …" for a finding N lines
// above or below the comment.
var wantComment = regexp.MustCompile(`#\s*want(@[+-]\d+)?:\s*(.*)$`)

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

// wantsFromComments collects "file:line category[:severity]" expectations
// from want comments in every file.
func wantsFromComments(files map[string][]byte) []string {
	var wants []string
	for name, data := range files {
		for i, line := range strings.Split(string(data), "\n") {
			m := wantComment.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			n := i + 1
			if m[1] != "" {
				off, _ := strconv.Atoi(m[1][1:])
				n += off
			}
			for _, w := range strings.Fields(m[2]) {
				wants = append(wants, fmt.Sprintf("%s:%d %s", name, n, w))
			}
		}
	}
	return wants
}

// runFamilyOn runs one family over a bundle and its metadata.
func runFamilyOn(t *testing.T, fam *Family, files map[string][]byte, fn *cdf.Function, pol *policy.Policy) Result {
	t.Helper()
	b, err := bundle.FromFiles(files, "handler.py", bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if pol == nil {
		pol = &policy.Policy{}
	}
	prog := Build(b, Options{})
	return RunFamilies([]*Family{fam}, prog, b, fn, pol, secrets.Default())
}

// checkFindings compares findings with wants ("file:line category" or
// "file:line category:severity"): a missing and an unexpected finding both
// fail. It also checks that no secret the family recorded appears in clear.
func checkFindings(t *testing.T, res Result, wants []string) {
	t.Helper()
	wantSev := map[string]string{}
	var wantKeys []string
	for _, w := range wants {
		key, sev, _ := strings.Cut(w, ":")
		if i := strings.Index(w, " "); i >= 0 {
			cat, s, _ := strings.Cut(w[i+1:], ":")
			key = w[:i] + " " + cat
			sev = s
		}
		wantKeys = append(wantKeys, key)
		if sev != "" {
			wantSev[key] = sev
		}
	}
	var got []string
	for _, f := range res.Findings {
		key := fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Category)
		got = append(got, key)
		if s, ok := wantSev[key]; ok && severityName(f.Severity) != s {
			t.Errorf("%s: severity %s, want %s (%s)", key, severityName(f.Severity), s, f.Message)
		}
		for _, secret := range res.Sensitive {
			for _, text := range []string{f.Title, f.Message, f.Evidence, f.Remediation} {
				if len(secret) >= 8 && strings.Contains(text, secret) {
					t.Errorf("%s: secret %s in clear in %q", key, secrets.Redact(secret), text)
				}
			}
		}
	}
	sort.Strings(got)
	sort.Strings(wantKeys)
	if strings.Join(got, "\n") != strings.Join(wantKeys, "\n") {
		t.Errorf("findings differ\n got:\n  %s\nwant:\n  %s\n%s", strings.Join(got, "\n  "), strings.Join(wantKeys, "\n  "), describe(res))
	}
}

func describe(res Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "  %s:%d %s %s %s: %s | %s\n", f.File, f.Line, f.RuleID, f.Category, severityName(f.Severity), f.Message, f.Evidence)
	}
	return b.String()
}

func severityName(s report.Severity) string {
	return [...]string{"info", "low", "medium", "high", "critical"}[s]
}

func TestHardcoded(t *testing.T) {
	for _, dir := range []string{"python", "configfiles"} {
		t.Run(dir, func(t *testing.T) {
			files := readBundleDir(t, filepath.Join("testdata", "hardcoded", dir))
			res := runFamilyOn(t, Hardcoded, files, nil, nil)
			checkFindings(t, res, wantsFromComments(files))
		})
	}
}

// TestHardcodedEvidence checks what a user sees: the evidence line with the
// secret redacted, the rule's description in the message, the remediation.
func TestHardcodedEvidence(t *testing.T) {
	files := map[string][]byte{"handler.py": []byte(
		"def handle(client, data):\n" +
			"    token = \"ghp_ZcUDIh7yfJs1ON43xKmTecQoXsf2o3gyrDO1\"  # used below\n" +
			"    key = \"-----BEGIN PRIVATE KEY-----\\nyLBhhOhg9uhkxiiEZpFfk1OHAOEHYqM6Ojb6mjBHqSiFVKu4MbMnrHontIKARAH+\\n-----END PRIVATE KEY-----\"\n")}
	res := runFamilyOn(t, Hardcoded, files, nil, nil)
	if len(res.Findings) != 2 {
		t.Fatalf("got %d findings, want 2\n%s", len(res.Findings), describe(res))
	}
	f := res.Findings[0]
	if f.Evidence != `token = "ghp_…"  # used below` {
		t.Errorf("evidence %q", f.Evidence)
	}
	if !strings.Contains(f.Message, "GitHub personal access token") || !strings.Contains(f.Message, "ghp_…") {
		t.Errorf("message %q", f.Message)
	}
	if f.Line != 2 || f.Column != 13 || f.Severity != report.High || !strings.Contains(f.Remediation, "function secret") {
		t.Errorf("finding %+v", f)
	}
	f = res.Findings[1]
	if strings.Contains(f.Evidence, "yLBhhOhg") || f.Severity != report.Critical {
		t.Errorf("private key finding %+v", f)
	}
}

// TestHardcodedHostile: odd and huge inputs give findings or nothing, never
// a panic, and a file over the scan bound is recorded as incomplete.
func TestHardcodedHostile(t *testing.T) {
	key := "ghp_ZcUDIh7yfJs1ON43xKmTecQoXsf2o3gyrDO1"
	files := map[string][]byte{
		"handler.py":   []byte("def handle(data):\n    x = \"\\xff\\udc80" + key + "\" if data else b'\\xff\\xfe'\n    return {(1, 2): 'a', **data}\n"),
		"broken.py":    []byte("API_KEY = \"" + key + "\n(((\n"),
		"big.json":     append(bytes.Repeat([]byte("{\"a\": 1}\n"), (maxSecretScanBytes/9)+10), []byte("\"token\": \""+key+"\"\n")...),
		"latin1.cfg":   []byte("password=\xe9t\xe9\xff\xfe2024!xyzQ\n"),
		"empty.env":    nil,
		"nolines.yaml": bytes.Repeat([]byte("a: "), 100000),
	}
	res := runFamilyOn(t, Hardcoded, files, nil, nil)
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
	}
	want := "broken.py:1 handler.py:2 latin1.cfg:1"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s\n%s", got, want, describe(res))
	}
	if len(res.Incomplete) != 1 || res.Incomplete[0].File != "big.json" {
		t.Errorf("incomplete = %v, want big.json", res.Incomplete)
	}
}
