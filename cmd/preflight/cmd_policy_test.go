package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPolicyCheck(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.toml", "[gate]\nthreshold = \"medium\"\n[network]\nallowed_hosts = [\"api.example.com\"]\n")
	bad := write("bad.toml", "[gate]\nthreshold = \"hgih\"\n[network]\nallowed_hosts = [\"a b\"]\n")
	typo := write("typo.toml", "[gate]\ntreshold = \"high\"\n")
	big := write("big.toml", strings.Repeat("#", 1<<20+10))

	for _, tc := range []struct {
		args             []string
		code             int
		stdout, stderrIn string
	}{
		{[]string{"policy", "check", good}, exitOK,
			"threshold = 'medium'", ""},
		{[]string{"policy", "check", bad}, exitFail, "",
			bad + ":2:13: threshold must be one of low, medium, high, critical — got \"hgih\"\n" +
				bad + ":4:18: \"a b\" is not a host name or a pattern like \"*.example.com\"\n2 errors\n"},
		{[]string{"policy", "check", typo}, exitFail, "",
			typo + `:2:1: unknown setting "treshold" in [gate] — did you mean "threshold"?`},
		{[]string{"policy", "check", filepath.Join(dir, "missing.toml")}, exitFail, "", "no such file"},
		{[]string{"policy", "check", big}, exitFail, "", "larger than"},
		{[]string{"policy", "default"}, exitOK, `threshold = "high"`, ""},
		{[]string{"policy"}, exitUsage, "", "usage: preflight policy check FILE"},
		{[]string{"policy", "check"}, exitUsage, "", "usage: preflight policy check FILE"},
		{[]string{"policy", "lint", good}, exitUsage, "", `unknown subcommand "lint"`},
		{[]string{"help", "policy"}, exitOK, "usage: preflight policy check FILE", ""},
	} {
		code, stdout, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderrIn) {
			t.Errorf("preflight %q: code %d, stdout %q, stderr %q; want code %d, stdout ∋ %q, stderr ∋ %q",
				tc.args, code, stdout, stderr, tc.code, tc.stdout, tc.stderrIn)
		}
	}

	// The printed effective policy is itself a valid policy, with the
	// defaults extended by the user's host.
	code, out, _ := runCLI(t, "policy", "check", good)
	if code != exitOK || !strings.Contains(out, "allowed_hosts = ['*.cognitedata.com', '*.cognite.ai', 'api.example.com']") {
		t.Fatalf("effective policy:\n%s", out)
	}
	eff := write("effective.toml", out)
	if code, out2, stderr := runCLI(t, "policy", "check", eff); code != exitOK || out2 != out {
		t.Errorf("effective policy does not check to itself: code %d, stderr %q", code, stderr)
	}
}
