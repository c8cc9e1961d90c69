package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tokensDir = "../../testdata/tokens"

func TestPerms(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	admin := filepath.Join(tokensDir, "admin-other-project.json")
	broken := write("broken.json", `{"capabilities":[{"assetsAcl":{"actions":"READ","scope":{"all":{}}}}]}`)
	big := write("big.json", strings.Repeat(" ", 4<<20+1))
	ignore := write("policy.toml", "[permissions]\nignore = [\"functionsAcl:WRITE\"]\n")
	badPolicy := write("bad.toml", "[permissions]\nadmin = [\"groups\"]\n")
	elevated := filepath.Join(tokensDir, "elevated-functions-write.json")

	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderrIn string
	}{
		{"admin elsewhere only", []string{"perms", "--token-inspect", admin, "--project", "acme-prod"}, exitOK, []string{
			"Level:    READ-ONLY — You can only read data.",
			"Why:      read-only: you can only read and list data (assetsAcl:READ and functionsAcl:READ on all;",
			"Call:     You can call functions in this project (functionsAcl:RUN and sessionsAcl:CREATE).",
			"Note:     You are admin in project acme-dev, but not in acme-prod",
			"Capabilities in acme-prod (9)",
			"  timeSeriesAcl:READ                           only in data set 2001",
		}, ""},
		{"admin there", []string{"perms", "--project", "acme-dev", "--token-inspect", admin}, exitOK, []string{
			"Level:    ADMIN — You can change who may do what in this project.",
			"Why:      admin: groupsAcl:CREATE, groupsAcl:UPDATE and groupsAcl:DELETE on all — you can change any group's permissions",
		}, ""},
		{"policy ignores functions write", []string{"perms", "--token-inspect", elevated, "--project", "acme-prod", "--policy", ignore}, exitOK,
			[]string{"Level:    STANDARD"}, ""},
		{"unknown acl", []string{"perms", "--token-inspect", filepath.Join(tokensDir, "unknown-acls.json"), "--project", "acme-prod"}, exitOK,
			[]string{"  futureThingsAcl:WRITE (unknown to Preflight)"}, ""},
		{"malformed token", []string{"perms", "--token-inspect", broken, "--project", "p"}, exitUsage, nil,
			"token inspect: capabilities[0].assetsAcl.actions: expected a list, got a string"},
		{"oversized token", []string{"perms", "--token-inspect", big, "--project", "p"}, exitUsage, nil, "larger than"},
		{"missing file", []string{"perms", "--token-inspect", filepath.Join(dir, "nope.json"), "--project", "p"}, exitUsage, nil, "no such file"},
		{"bad policy", []string{"perms", "--token-inspect", admin, "--project", "p", "--policy", badPolicy}, exitUsage, nil, `"groups" is not a capability`},
		{"no project", []string{"perms", "--token-inspect", admin}, exitUsage, nil, "usage: preflight perms"},
		{"no token", []string{"perms", "--project", "p"}, exitUsage, nil, "usage: preflight perms"},
		{"bad format", []string{"perms", "--token-inspect", admin, "--project", "p", "--format", "sarif"}, exitUsage, nil, "want text or json"},
		{"stray argument", []string{"perms", admin}, exitUsage, nil, "unexpected argument"},
		{"help", []string{"help", "perms"}, exitOK, []string{"usage: preflight perms --token-inspect FILE --project NAME"}, ""},
	} {
		code, stdout, stderr := runCLI(t, tc.args...)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tc.name, code, tc.code, stderr)
		}
		for _, want := range tc.stdout {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s: stdout lacks %q:\n%s", tc.name, want, stdout)
			}
		}
		if !strings.Contains(stderr, tc.stderrIn) {
			t.Errorf("%s: stderr %q lacks %q", tc.name, stderr, tc.stderrIn)
		}
		if strings.Contains(stdout, "\x1b[") {
			t.Errorf("%s: colour codes in output that is not a terminal", tc.name)
		}
	}
}

func TestPermsJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "perms", "--token-inspect", filepath.Join(tokensDir, "empty-capabilities.json"), "--project", "acme-prod", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Project      string   `json:"project"`
		Level        string   `json:"level"`
		Reasons      []string `json:"reasons"`
		CanCall      *bool    `json:"canCall"`
		Capabilities []any    `json:"capabilities"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if got.Project != "acme-prod" || got.Level != "none" || got.CanCall == nil || *got.CanCall ||
		got.Capabilities == nil || len(got.Reasons) != 1 || got.Reasons[0] != "none: your token grants nothing in project acme-prod" {
		t.Errorf("perms JSON = %s", stdout)
	}
}

// TestScanWithToken: scan --token-inspect --project fills the report's
// permissions and adds the permission-excess finding.
func TestScanWithToken(t *testing.T) {
	bundle := filepath.Join("..", "..", "testdata", "functions", "benign-raw-etl")
	code, stdout, stderr := runCLI(t, "scan", "--format", "json", "--token-inspect", filepath.Join(tokensDir, "admin-groups-all.json"), "--project", "acme-prod", bundle)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Permissions struct {
			Level   string   `json:"level"`
			CanCall bool     `json:"canCall"`
			Missing []string `json:"missing"`
			Excess  []string `json:"excess"`
		} `json:"permissions"`
		Findings []struct {
			RuleID string `json:"ruleId"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	p := rep.Permissions
	if p.Level != "admin" || !p.CanCall || len(p.Missing) != 2 || !strings.Contains(p.Missing[0], "client.raw.rows.list at handler.py:25") || len(p.Excess) == 0 {
		t.Errorf("permissions = %+v", p)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || f.RuleID == "PF-PERM-001"
	}
	if !found {
		t.Errorf("no PF-PERM-001 finding in %s", stdout)
	}
	code, _, stderr = runCLI(t, "scan", "--token-inspect", filepath.Join(tokensDir, "..", "functions", "benign-raw-etl", "handler.py"), "--project", "acme-prod", bundle)
	if code != exitUsage || !strings.Contains(stderr, "token inspect: offset") {
		t.Errorf("scan with a token that is not JSON: exit %d, %q", code, stderr)
	}
}
