// Package e2e holds the browser end-to-end tests of the Preflight extension
// and the harness they share: the sandbox CDF started in-process
// (scripts/fakecdf/server), the paths of the browsers and of the built
// packages (dist/chrome, dist/firefox), the skip rules, the levels the engine
// expects for each function, and a Chromium driven through chromedp with the
// extension loaded as shipped.
//
// The tests skip when a browser or a package is missing, unless
// PREFLIGHT_REQUIRE_BROWSERS=1 (CI), which turns every skip into a failure.
// PREFLIGHT_CHROMIUM and PREFLIGHT_FIREFOX override the browser paths.
package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
	"github.com/cdf-preflight/preflight/wasm/api"
)

// Names the sandbox serves (see scripts/fakecdf and testdata/fusion).
const (
	// Cluster is the CDF cluster host the Fusion SPA calls.
	Cluster = "westeurope-1.cognitedata.com"
	// FusionHost is the Fusion origin's host.
	FusionHost = "acme.fusion.cognite.com"
	// DemoProject is the curated project the tests and the demo use.
	DemoProject = "acme-demo"
)

// Variants of the Fusion SPA; detection must work on each.
var Variants = []string{"classic", "modern", "compact"}

// RequireBrowsers reports whether missing browsers or packages are failures
// (PREFLIGHT_REQUIRE_BROWSERS=1) rather than reasons to skip.
func RequireBrowsers() bool { return os.Getenv("PREFLIGHT_REQUIRE_BROWSERS") == "1" }

// SkipOrFail skips the test with the reason, or fails it when
// PREFLIGHT_REQUIRE_BROWSERS=1.
func SkipOrFail(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if RequireBrowsers() {
		tb.Fatalf("PREFLIGHT_REQUIRE_BROWSERS=1: "+format, args...)
	}
	tb.Skipf(format, args...)
}

// RepoRoot is the folder holding the module's go.mod, found upwards from the
// working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("e2e: working directory: %w", err)
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.Contains(string(data), "module github.com/cdf-preflight/preflight\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("e2e: go.mod of github.com/cdf-preflight/preflight not found above the working directory")
		}
		dir = parent
	}
}

// Root is RepoRoot for tests.
func Root(tb testing.TB) string {
	tb.Helper()
	root, err := RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	return root
}

// ChromiumPath is the Chromium binary: $PREFLIGHT_CHROMIUM or /usr/bin/chromium.
func ChromiumPath() string {
	if p := os.Getenv("PREFLIGHT_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// FirefoxPath is the Firefox binary: $PREFLIGHT_FIREFOX or /usr/bin/firefox-esr.
func FirefoxPath() string {
	if p := os.Getenv("PREFLIGHT_FIREFOX"); p != "" {
		return p
	}
	return "/usr/bin/firefox-esr"
}

// Package is the absolute folder of a built package ("chrome" or "firefox")
// under dist/, or an error saying how to build it.
func Package(root, browser string) (string, error) {
	dir := filepath.Join(root, "dist", browser)
	for _, f := range []string{"manifest.json", "engine/preflight.wasm", "engine/wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return "", fmt.Errorf("e2e: %s missing (run make extension): %w", filepath.Join("dist", browser, f), err)
		}
	}
	return dir, nil
}

// NeedChromium returns the Chromium binary and dist/chrome, skipping (or
// failing, see RequireBrowsers) when either is missing.
func NeedChromium(tb testing.TB) (bin, ext string) {
	tb.Helper()
	bin = ChromiumPath()
	if _, err := os.Stat(bin); err != nil {
		SkipOrFail(tb, "no Chromium at %s (set PREFLIGHT_CHROMIUM): %v", bin, err)
	}
	ext, err := Package(Root(tb), "chrome")
	if err != nil {
		SkipOrFail(tb, "%v", err)
	}
	return bin, ext
}

// StartSandbox starts a sandbox CDF on a free loopback port (one port for
// every host name) with the repository's testdata.
func StartSandbox(root string) (*server.Server, error) {
	srv, err := server.New(server.Options{Testdata: filepath.Join(root, "testdata")})
	if err != nil {
		return nil, fmt.Errorf("e2e: sandbox: %w", err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("e2e: sandbox start: %w", err)
	}
	return srv, nil
}

// Sandbox is StartSandbox for tests; the server closes when the test ends.
func Sandbox(tb testing.TB) *server.Server {
	tb.Helper()
	srv, err := StartSandbox(Root(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	return srv
}

// FusionURL is the SPA's functions page of project for a persona and a
// variant ("" leaves either at the SPA's default).
func FusionURL(project, persona, variant string) string {
	q := url.Values{"cluster": {Cluster}}
	if persona != "" {
		q.Set("persona", persona)
	}
	if variant != "" {
		q.Set("variant", variant)
	}
	return "https://" + FusionHost + "/" + url.PathEscape(project) + "/functions?" + q.Encode()
}

// FunctionByID finds a function the sandbox serves in DemoProject or in
// any other project.
func FunctionByID(srv *server.Server, id int64) *server.Function {
	for _, f := range append(srv.ProjectFunctions(DemoProject), srv.Functions()...) {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Expectation is what the engine itself says about a function for a persona:
// the level a badge must show.
type Expectation struct {
	Level    string // report.risk.level
	Findings int    // len(report.findings)
}

var expectCache sync.Map // "persona/project/id" → Expectation

// Expect runs the engine (wasm/api.Analyze, the code the extension runs as
// WebAssembly) on a function's zip and object with the persona's
// token-inspect and the default policy.
func Expect(srv *server.Server, f *server.Function, persona, project string) (Expectation, error) {
	key := fmt.Sprintf("%s/%s/%d", persona, project, f.ID)
	if v, ok := expectCache.Load(key); ok {
		return v.(Expectation), nil
	}
	out, err := api.Analyze(context.Background(), analysis.Input{
		Zip: f.Zip, FunctionJSON: f.Object, TokenInspectJSON: srv.Persona(persona), Project: project,
	})
	if err != nil {
		return Expectation{}, fmt.Errorf("e2e: analyse %s: %w", f.Dir, err)
	}
	var rep struct {
		Risk     struct{ Level string } `json:"risk"`
		Findings []json.RawMessage      `json:"findings"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		return Expectation{}, fmt.Errorf("e2e: report of %s: %w", f.Dir, err)
	}
	e := Expectation{Level: rep.Risk.Level, Findings: len(rep.Findings)}
	expectCache.Store(key, e)
	return e, nil
}

// Permission is the engine's view of a persona in a project (what the panel
// and the popup explain).
type Permission struct {
	Level       string   `json:"level"`
	Explanation string   `json:"explanation"`
	Reasons     []string `json:"reasons"`
	CanCall     bool     `json:"canCall"`
}

// PermissionOf runs the engine's permission assessment for a persona.
func PermissionOf(srv *server.Server, persona, project string) (Permission, error) {
	out, err := api.Permissions(srv.Persona(persona), project, nil)
	if err != nil {
		return Permission{}, fmt.Errorf("e2e: permissions of %s: %w", persona, err)
	}
	var p Permission
	if err := json.Unmarshal(out, &p); err != nil {
		return Permission{}, fmt.Errorf("e2e: permissions of %s: %w", persona, err)
	}
	return p, nil
}

// DefaultPolicy is the effective default policy's gate threshold and zip limit.
func DefaultPolicy() (threshold string, maxZipBytes int64, err error) {
	var pc api.PolicyCheck
	if err := json.Unmarshal(api.CheckPolicy(nil), &pc); err != nil {
		return "", 0, fmt.Errorf("e2e: default policy: %w", err)
	}
	if !pc.OK {
		return "", 0, fmt.Errorf("e2e: default policy rejected: %v", pc.Errors)
	}
	return pc.Threshold, pc.MaxZipBytes, nil
}

// riskOrder ranks levels like extension/lib/levels.js (unknown highest).
var riskOrder = []string{"none", "low", "medium", "high", "critical", "unknown"}

// RiskRank is a level's rank; unrecognised levels rank as unknown.
func RiskRank(level string) int {
	for i, l := range riskOrder {
		if l == level {
			return i
		}
	}
	return len(riskOrder) - 1
}

// ExtensionID is the id Chromium gives an unpacked extension loaded from
// dir: the first 32 hex digits of sha256(absolute path), each mapped to a–p.
func ExtensionID(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	h := hex.EncodeToString(sum[:16])
	var b strings.Builder
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(byte('a' + c - '0'))
		default:
			b.WriteByte(byte('a' + 10 + c - 'a'))
		}
	}
	return b.String()
}
