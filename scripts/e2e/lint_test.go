package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// lintFinding is one message of `web-ext lint --output json`.
type lintFinding struct {
	Code        string `json:"code"`
	Message     string `json:"message"`
	Description string `json:"description"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
}

// lintResult is the part of web-ext lint's JSON report the test reads.
type lintResult struct {
	Summary struct {
		Errors, Notices, Warnings int
	} `json:"summary"`
	Errors   []lintFinding `json:"errors"`
	Warnings []lintFinding `json:"warnings"`
	Notices  []lintFinding `json:"notices"`
}

// expectedLintWarnings are the warnings web-ext lint gives for a correct
// package, by code (any file) or "code file": the Android note on
// data_collection_permissions with strict_min_version 140 and — should the
// Firefox package ever keep it — the service worker Firefox ignores
// (reference/extension.md §4); and content/loader.js's import() of the
// extension's own content/main.js (runtime.getURL), which is how a classic
// content script loads ES modules (t6-contract.md).
var expectedLintWarnings = map[string]bool{
	"KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION": true,
	"BACKGROUND_SERVICE_WORKER_IGNORED":              true,
	"UNSAFE_VAR_ASSIGNMENT content/loader.js":        true,
}

// TestWebExtLint runs addons.mozilla.org's linter on the Firefox package as
// shipped (dist/firefox): any error fails — it is what would make AMO reject
// the add-on or Firefox refuse to load it. Warnings are listed in the log,
// the unexpected ones marked.
func TestWebExtLint(t *testing.T) {
	root := Root(t)
	webExt := filepath.Join(root, "node_modules", ".bin", "web-ext")
	if _, err := os.Stat(webExt); err != nil {
		SkipOrFail(t, "web-ext is not installed (npm ci): %v", err)
	}
	dist := filepath.Join(root, "dist", "firefox")
	if _, err := os.Stat(filepath.Join(dist, "manifest.json")); err != nil {
		SkipOrFail(t, "no Firefox package (make extension): %v", err)
	}
	cmd := exec.Command(webExt, "lint", "--source-dir", dist, "--output", "json", "--no-config-discovery")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "NO_UPDATE_NOTIFIER=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("web-ext lint did not run: %v\n%s", err, stderr.String())
	}
	var res lintResult
	if jerr := json.Unmarshal(stdout.Bytes(), &res); jerr != nil {
		t.Fatalf("web-ext lint: unreadable JSON report (%v), exit %v\nstdout:\n%s\nstderr:\n%s", jerr, err, stdout.String(), stderr.String())
	}
	for _, w := range res.Warnings {
		mark := "expected"
		if !expectedLintWarnings[w.Code] && !expectedLintWarnings[w.Code+" "+w.File] {
			mark = "NEW"
		}
		t.Logf("warning (%s) %s %s: %s", mark, w.Code, ffWhere(w), w.Message)
	}
	for _, n := range res.Notices {
		t.Logf("notice %s %s: %s", n.Code, ffWhere(n), n.Message)
	}
	for _, e := range res.Errors {
		t.Errorf("error %s %s: %s — %s", e.Code, ffWhere(e), e.Message, e.Description)
	}
	if len(res.Errors) == 0 && (err != nil || res.Summary.Errors != 0) {
		t.Errorf("web-ext lint reports %d errors (exit %v) but lists none:\n%s", res.Summary.Errors, err, stdout.String())
	}
}

// ffWhere is a finding's file:line:column.
func ffWhere(f lintFinding) string {
	switch {
	case f.File == "":
		return "(package)"
	case f.Line > 0:
		return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
	default:
		return f.File
	}
}
