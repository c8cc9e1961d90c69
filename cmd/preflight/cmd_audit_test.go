package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

// sandbox starts the sandbox CDF on 127.0.0.1 and returns it with the path
// of its certificate.
func sandbox(t *testing.T, pageSize int) (*server.Server, string) {
	t.Helper()
	s, err := server.New(server.Options{Testdata: "../../testdata", PageSize: pageSize})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	cert := filepath.Join(t.TempDir(), "ca.pem")
	if err := s.WriteCertPEM(cert); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"CDF_TOKEN", "CDF_CLIENT_ID", "CDF_CLIENT_SECRET", "CDF_TOKEN_URL", "CDF_SCOPES", "PREFLIGHT_CA_CERT"} {
		t.Setenv(k, "")
	}
	return s, cert
}

// runAuditCmd runs `preflight audit` against s with extra flags.
func runAuditCmd(s *server.Server, cert string, extra ...string) (int, string, string) {
	var out, errb bytes.Buffer
	args := append([]string{"audit", "--cluster", s.Addr(), "--project", "acme-prod", "--ca-cert", cert}, extra...)
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// decodeAudit reads --format json output.
func decodeAudit(t *testing.T, out string) (reports []map[string]any, errs []auditError) {
	t.Helper()
	var v struct {
		Reports []map[string]any `json:"reports"`
		Errors  []auditError     `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("audit JSON: %v\n%.500s", err, out)
	}
	return v.Reports, v.Errors
}

func TestAuditPersonas(t *testing.T) {
	s, cert := sandbox(t, 0)
	for _, tc := range []struct{ persona, level string }{
		{server.Admin, "admin"}, {server.Standard, "standard"}, {server.ReadOnly, "read-only"},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			t.Setenv("CDF_TOKEN", server.TokenFor(tc.persona))
			code, out, stderr := runAuditCmd(s, cert, "--format", "json")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			reports, errs := decodeAudit(t, out)
			if len(reports) != len(s.Functions()) || len(errs) != 0 {
				t.Fatalf("%d reports and %d errors, want %d reports: %v", len(reports), len(errs), len(s.Functions()), errs)
			}
			for _, r := range reports {
				p, _ := r["permissions"].(map[string]any)
				if p == nil || p["level"] != tc.level {
					t.Fatalf("report of %v: permissions %v, want level %s", r["function"], p, tc.level)
				}
			}
			if n := strings.Count(stderr, "preflight audit: ["); n != len(reports) {
				t.Errorf("%d progress lines on a non-terminal stderr, want one per function", n)
			}
		})
	}
}

func TestAuditTokenNeverShownNorSentToStorage(t *testing.T) {
	s, cert := sandbox(t, 5)
	const tok = "RECOGNISABLE-token-5f3a9c1e77"
	s.AddToken(tok, server.Admin)
	t.Setenv("CDF_TOKEN", tok)
	s.AddFault(server.Fault{Path: "/functions/byids", Status: 500, Count: 1})
	for _, format := range []string{"text", "json", "sarif"} {
		code, out, stderr := runAuditCmd(s, cert, "--format", format)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		if strings.Contains(out+stderr, tok) || strings.Contains(out+stderr, "5f3a9c1e77") {
			t.Errorf("%s: the token appears in the output", format)
		}
	}
	apiReqs, storageReqs := 0, 0
	for _, r := range s.Requests() {
		if r.Origin == "storage" {
			storageReqs++
			if r.HasAuth {
				t.Errorf("storage request %s %s carried an Authorization header", r.Method, r.Path)
			}
			continue
		}
		apiReqs++
		if !r.ValidTok {
			t.Errorf("API request %s %s without the token", r.Method, r.Path)
		}
	}
	if want := 3 * len(s.Functions()); storageReqs != want || apiReqs < want {
		t.Errorf("%d storage and %d API requests, want %d downloads", storageReqs, apiReqs, want)
	}
}

func TestAuditForbiddenZipOthersContinue(t *testing.T) {
	s, cert := sandbox(t, 0)
	t.Setenv("CDF_TOKEN", server.TokenFor(server.Standard))
	victim := s.Functions()[2]
	s.SetDownloads(server.Downloads{ForbiddenFiles: []int64{victim.FileID}})
	code, out, stderr := runAuditCmd(s, cert)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var row string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, victim.Name) {
			row = line
		}
	}
	if !strings.Contains(row, "unknown") || !strings.Contains(row, "not analysed: no access to the code (403)") {
		t.Errorf("row of %s = %q, want unknown / not analysed (403)", victim.Name, row)
	}
	want := len(s.Functions())
	if !strings.Contains(out, "functions in acme-prod:") || !strings.Contains(out, " 1 not analysed") {
		t.Errorf("summary line missing or wrong:\n%s", out[max(0, len(out)-300):])
	}
	if n := strings.Count(out, "\n"); n < want+2 {
		t.Errorf("table has %d lines, want a row for each of %d functions", n, want)
	}
	// --fail-on: a function not analysed never passes the gate.
	if code, _, _ := runAuditCmd(s, cert, "--fail-on", "critical"); code != exitFail {
		t.Errorf("--fail-on critical with a function not analysed: exit %d, want 1", code)
	}
	code, out, _ = runAuditCmd(s, cert, "--format", "sarif")
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful bool `json:"executionSuccessful"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || code != exitOK || len(log.Runs) != want {
		t.Fatalf("SARIF: exit %d, %d runs, %v; want one run per function (%d)", code, len(log.Runs), err, want)
	}
	failed := 0
	for _, r := range log.Runs {
		if len(r.Invocations) == 1 && !r.Invocations[0].ExecutionSuccessful {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("%d SARIF runs record a failed analysis, want 1", failed)
	}
}

func TestAuditFaults(t *testing.T) {
	policy := filepath.Join(t.TempDir(), "policy.toml")
	if err := os.WriteFile(policy, []byte("[limits]\nmax_zip_bytes = 1048576\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		fault     *server.Fault
		downloads server.Downloads
		flags     []string
		code      int
		errors    int    // functions not analysed; -1 for all
		stderr    string // in stderr
	}{
		{name: "latency", fault: &server.Fault{Path: "/token/inspect", Latency: 300 * time.Millisecond}, code: exitOK},
		{name: "429 then success", fault: &server.Fault{Path: "/functions/list", Status: 429, RetryAfter: "1", Count: 1}, code: exitOK},
		{name: "500 then success", fault: &server.Fault{Path: "/files/downloadlink", Status: 500, Count: 2}, code: exitOK},
		{name: "500 always on list", fault: &server.Fault{Path: "/functions/list", Status: 500}, code: exitFail, stderr: "list functions: HTTP 500"},
		{name: "401 everywhere", fault: &server.Fault{Status: 401}, code: exitUsage, stderr: "token inspect: unauthorized (401)"},
		{name: "403 on list", fault: &server.Fault{Path: "/functions/list", Status: 403}, code: exitUsage, stderr: "list functions: forbidden (403)"},
		{name: "403 on every zip", downloads: server.Downloads{ForbidAll: true}, code: exitOK, errors: -1},
		{name: "slow download", downloads: server.Downloads{SlowChunk: 2 * time.Millisecond}, code: exitOK},
		{name: "oversized download", downloads: server.Downloads{OversizeBytes: 2 << 20}, flags: []string{"--policy", policy}, code: exitOK, errors: -1, stderr: "larger than 1 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, cert := sandbox(t, 0)
			t.Setenv("CDF_TOKEN", server.TokenFor(server.Admin))
			if tc.fault != nil {
				s.AddFault(*tc.fault)
			}
			s.SetDownloads(tc.downloads)
			code, out, stderr := runAuditCmd(s, cert, append([]string{"--format", "json"}, tc.flags...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%.800s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%.800s", tc.stderr, stderr)
			}
			if code != exitOK {
				return
			}
			reports, errs := decodeAudit(t, out)
			want := tc.errors
			if want < 0 {
				want = len(s.Functions())
			}
			if len(errs) != want || len(reports)+len(errs) != len(s.Functions()) {
				t.Errorf("%d reports, %d errors; want %d errors of %d functions", len(reports), len(errs), want, len(s.Functions()))
			}
		})
	}
}

func TestAuditPagination(t *testing.T) {
	s, cert := sandbox(t, 7)
	t.Setenv("CDF_TOKEN", server.TokenFor(server.ReadOnly))
	code, out, stderr := runAuditCmd(s, cert, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	reports, _ := decodeAudit(t, out)
	if len(reports) != len(s.Functions()) {
		t.Errorf("%d reports, want every function (%d) across pages", len(reports), len(s.Functions()))
	}
	pages := 0
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/functions/list") {
			pages++
		}
	}
	if want := (len(s.Functions()) + 6) / 7; pages != want {
		t.Errorf("%d list pages, want %d", pages, want)
	}
}

func TestAuditClientCredentials(t *testing.T) {
	s, cert := sandbox(t, 0)
	const secret = "cc-SECRET-value-81d2e4"
	s.AddClient("preflight-ci", secret, server.Standard)
	t.Setenv("CDF_CLIENT_ID", "preflight-ci")
	t.Setenv("CDF_CLIENT_SECRET", secret)
	t.Setenv("CDF_TOKEN_URL", s.URL()+"/oauth2/token")
	t.Setenv("CDF_SCOPES", "https://"+s.Addr()+"/.default")
	code, out, stderr := runAuditCmd(s, cert, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out+stderr, secret) || strings.Contains(out+stderr, "cc-") {
		t.Error("the client secret or the issued token appears in the output")
	}
	reports, _ := decodeAudit(t, out)
	if len(reports) == 0 || reports[0]["permissions"].(map[string]any)["level"] != "standard" {
		t.Fatalf("want reports with the standard persona's permissions")
	}
	tokenCalls := 0
	for _, r := range s.Requests() {
		if r.Path == "/oauth2/token" {
			tokenCalls++
		}
	}
	if tokenCalls != 1 {
		t.Errorf("%d token requests, want 1 (cached)", tokenCalls)
	}
	t.Setenv("CDF_CLIENT_SECRET", "wrong")
	if code, _, stderr := runAuditCmd(s, cert); code != exitUsage || !strings.Contains(stderr, "HTTP 401") {
		t.Errorf("wrong secret: exit %d, stderr %q; want 2 and the token endpoint's 401", code, stderr)
	}
}

func TestAuditUsage(t *testing.T) {
	s, cert := sandbox(t, 0)
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"audit", "--project", "p"}, "usage: preflight audit"},
		{[]string{"audit", "--cluster", s.Addr(), "--project", "p", "--ca-cert", cert}, "no credentials: set CDF_TOKEN"},
		{[]string{"audit", "--cluster", "http://x", "--project", "p"}, "cluster"},
		{[]string{"audit", "--cluster", "c", "--project", "p", "--format", "xml"}, "--format"},
		{[]string{"audit", "--cluster", "c", "--project", "p", "--fail-on", "bad"}, "--fail-on"},
	} {
		t.Setenv("CDF_TOKEN", "")
		if strings.Contains(tc.stderr, "cluster") {
			t.Setenv("CDF_TOKEN", "x-token")
		}
		var out, errb bytes.Buffer
		if code := run(tc.args, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), tc.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errb.String(), tc.stderr)
		}
	}
	// Without --ca-cert the sandbox's certificate is not trusted: a clear
	// error, not a hang.
	t.Setenv("CDF_TOKEN", server.TokenFor(server.Admin))
	var out, errb bytes.Buffer
	code := run([]string{"audit", "--cluster", s.Addr(), "--project", "acme-prod"}, &out, &errb)
	if code == exitOK || !strings.Contains(errb.String(), "certificate") {
		t.Errorf("untrusted certificate: exit %d, stderr %q", code, errb.String())
	}
}
