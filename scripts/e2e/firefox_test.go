package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

// ffPersonas are the personas whose expected badges the Firefox scenarios check.
var ffPersonas = []string{server.Admin, server.Standard, server.ReadOnly}

// ffExpected is what the node tests assert, computed here by the engine
// (never hard-coded): each acme-demo function's level and number of
// findings per persona, and each persona's permission level.
type ffExpected struct {
	Project   string                   `json:"project"`
	Personas  map[string]ffPersonaWant `json:"personas"`
	Functions []ffFunctionWant         `json:"functions"`
	PayloadID int64                    `json:"payloadId"`
	Policy    ffPolicyWant             `json:"policy"`
}

// ffPolicyWant is the default policy as the engine reads it: the gate's
// threshold and the code size limit (the oversized-zip fault exceeds it).
type ffPolicyWant struct {
	Threshold   string `json:"threshold"`
	MaxZipBytes int64  `json:"maxZipBytes"`
}

type ffPersonaWant struct {
	Permission Permission `json:"permission"`
}

type ffFunctionWant struct {
	ID     int64                  `json:"id"`
	FileID int64                  `json:"fileId"`
	Name   string                 `json:"name"`
	Dir    string                 `json:"dir"`
	Status string                 `json:"status"`
	Levels map[string]ffLevelWant `json:"levels"` // by persona
}

type ffLevelWant struct {
	Level    string `json:"level"`
	Findings int    `json:"findings"`
}

// TestFirefox runs the Firefox end-to-end scenarios (scripts/e2e/firefox,
// node + puppeteer-core over WebDriver BiDi) against the sandbox CDF started
// here with its CONNECT proxy, with Firefox ESR and dist/firefox as shipped.
// Afterwards it checks what only this side can see: the Firefox profile on
// disk holds none of the tokens the sandbox minted, and the request log shows
// Authorization only on requests to the cluster API.
func TestFirefox(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test (-short)")
	}
	root := Root(t)
	firefox := FirefoxPath()
	if _, err := os.Stat(firefox); err != nil {
		SkipOrFail(t, "no Firefox at %s (set PREFLIGHT_FIREFOX): %v", firefox, err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		SkipOrFail(t, "no node: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "puppeteer-core", "package.json")); err != nil {
		SkipOrFail(t, "puppeteer-core is not installed (npm ci): %v", err)
	}
	ext, err := Package(root, "firefox")
	if dir := os.Getenv("PREFLIGHT_FIREFOX_DIST"); dir != "" {
		ext, err = dir, nil // another build of the Firefox package (development)
	}
	if err != nil {
		SkipOrFail(t, "%v", err)
	}

	s := Sandbox(t)
	proxy, err := s.StartProxy("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}

	want := ffExpectations(t, s)
	work := t.TempDir()
	expPath := filepath.Join(work, "expected.json")
	caPath := filepath.Join(work, "sandbox.pem")
	profile := filepath.Join(work, "profile")
	data, _ := json.MarshalIndent(want, "", "  ")
	if err := os.WriteFile(expPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteCertPEM(caPath); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(profile, 0o700); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "build", "e2e", "firefox")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	args := []string{"--test", "--test-concurrency=1", "--test-reporter=spec"}
	if only := os.Getenv("PREFLIGHT_FIREFOX_ONLY"); only != "" {
		args = append(args, "--test-name-pattern="+only) // development: some scenarios only
	}
	cmd := exec.CommandContext(ctx, node, append(args, "scripts/e2e/firefox/")...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"PREFLIGHT_FIREFOX="+firefox,
		"PREFLIGHT_FF_EXT="+ext,
		"PREFLIGHT_FF_PROXY="+proxy,
		"PREFLIGHT_FF_API="+s.URL(),
		"PREFLIGHT_FF_CA="+caPath,
		"PREFLIGHT_FF_EXPECTED="+expPath,
		"PREFLIGHT_FF_OUT="+out,
		"PREFLIGHT_FF_PROFILE="+profile,
		"NO_COLOR=1",
	)
	// On timeout, SIGINT first: puppeteer closes Firefox on it (a SIGKILL
	// would leave the browser running); killed 10 s later if still there.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	logw := &ffLineLogger{t: t}
	cmd.Stdout, cmd.Stderr = logw, logw
	runErr := cmd.Run()
	logw.flush()
	if runErr != nil {
		t.Errorf("the Firefox scenarios failed (node --test scripts/e2e/firefox/): %v", runErr)
	}
	t.Logf("screenshots: %s", out)

	// The token is in no file of the Firefox profile (storage.local's
	// IndexedDB, storage.sync's database, caches, session store…).
	tokens := s.Tokens()
	if len(tokens) == 0 {
		t.Fatal("the sandbox minted no token: no Fusion page signed in")
	}
	for _, hit := range ffSearchTokens(t, profile, tokens) {
		t.Errorf("a token is stored in the Firefox profile: %s", hit)
	}

	// Authorization only ever went to the cluster API; the canary download
	// host got its requests without it.
	canary := 0
	for _, r := range s.Requests() {
		host := strings.ToLower(r.Host)
		if h, _, ok := strings.Cut(host, ":"); ok {
			host = h
		}
		if r.Origin == "canary" {
			canary++
		}
		if r.HasAuth && (r.Origin != "api" || !strings.HasSuffix(host, ".cognitedata.com")) {
			t.Errorf("Authorization sent to %s (%s): %s %s", r.Host, r.Origin, r.Method, r.Path)
		}
	}
	if canary == 0 {
		t.Errorf("the canary download host (other-storage-host's code) got no request: its badge cannot have been analysed")
	}
}

// ffExpectations analyses every function of DemoProject with each persona's
// token-inspect, as the extension's engine does.
func ffExpectations(t *testing.T, s *server.Server) ffExpected {
	t.Helper()
	threshold, maxZip, err := DefaultPolicy()
	if err != nil {
		t.Fatal(err)
	}
	want := ffExpected{Project: DemoProject, Personas: map[string]ffPersonaWant{},
		Policy: ffPolicyWant{Threshold: threshold, MaxZipBytes: maxZip}}
	for _, p := range ffPersonas {
		perm, err := PermissionOf(s, p, DemoProject)
		if err != nil {
			t.Fatal(err)
		}
		want.Personas[p] = ffPersonaWant{Permission: perm}
	}
	for _, f := range s.ProjectFunctions(DemoProject) {
		var obj struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(f.Object, &obj); err != nil {
			t.Fatalf("%s: function object: %v", f.Dir, err)
		}
		fw := ffFunctionWant{ID: f.ID, FileID: f.FileID, Name: obj.Name, Dir: f.Dir, Status: obj.Status, Levels: map[string]ffLevelWant{}}
		for _, p := range ffPersonas {
			e, err := Expect(s, f, p, DemoProject)
			if err != nil {
				t.Fatal(err)
			}
			fw.Levels[p] = ffLevelWant{Level: e.Level, Findings: e.Findings}
		}
		if f.Dir == "payload-html" {
			want.PayloadID = f.ID
		}
		want.Functions = append(want.Functions, fw)
	}
	if len(want.Functions) == 0 {
		t.Fatalf("the sandbox serves no function in %s", DemoProject)
	}
	for _, f := range want.Functions {
		t.Logf("expected: %-28s %-8s admin %-8s (%d findings) standard %-8s readonly %s", f.Dir, f.Status,
			f.Levels[server.Admin].Level, f.Levels[server.Admin].Findings, f.Levels[server.Standard].Level, f.Levels[server.ReadOnly].Level)
	}
	return want
}

// ffSearchTokens returns "file: what" for each file under dir holding a
// token: whole (as UTF-8/Latin-1 or UTF-16LE, how IndexedDB keeps strings)
// or its signature part alone (a compressed record may split the rest).
func ffSearchTokens(t *testing.T, dir string, tokens map[string]string) []string {
	t.Helper()
	type needle struct {
		what string
		b    []byte
	}
	var needles []needle
	for tok := range tokens {
		needles = append(needles, needle{"token", []byte(tok)}, needle{"token (UTF-16)", utf16le(tok)})
		if i := strings.LastIndexByte(tok, '.'); i >= 0 && len(tok)-i > 16 {
			sig := tok[i+1:]
			needles = append(needles, needle{"token signature", []byte(sig)}, needle{"token signature (UTF-16)", utf16le(sig)})
		}
	}
	var hits []string
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		files++
		rel, _ := filepath.Rel(dir, p)
		for _, n := range needles {
			if !bytes.Contains(data, n.b) {
				continue
			}
			hits = append(hits, rel+": "+n.what)
			break
		}
		return nil
	})
	if err != nil {
		t.Fatalf("searching the profile: %v", err)
	}
	t.Logf("searched %d files of the Firefox profile for %d tokens", files, len(tokens))
	return hits
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}

// ffLineLogger writes each line of a child's output to the test log
// (streamed with go test -v).
type ffLineLogger struct {
	t   *testing.T
	buf []byte
}

func (w *ffLineLogger) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.t.Log(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
	}
}

func (w *ffLineLogger) flush() {
	if len(w.buf) > 0 {
		w.t.Log(string(w.buf))
		w.buf = nil
	}
}

var _ io.Writer = (*ffLineLogger)(nil)
