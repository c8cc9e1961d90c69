package main

import (
	"bytes"
	"strings"
	"testing"
)

// runCLI runs the CLI in-process and returns exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		stdout   string // substring expected on stdout
		stderrIn string // substring expected on stderr
	}{
		{nil, exitUsage, "", "Usage: preflight"},
		{[]string{"version"}, exitOK, "preflight " + version + "\n", ""},
		{[]string{"--version"}, exitOK, "preflight " + version, ""},
		{[]string{"version", "x"}, exitUsage, "", "usage: preflight version"},
		{[]string{"help"}, exitOK, "Commands:", ""},
		{[]string{"--help"}, exitOK, "ast ", ""},
		{[]string{"help", "ast"}, exitOK, "usage: preflight ast", ""},
		{[]string{"help", "nope"}, exitUsage, "", `unknown command "nope"`},
		{[]string{"nope"}, exitUsage, "", `unknown command "nope"`},
		{[]string{"ast", "-h"}, exitOK, "", "-no-pos"},
		{[]string{"ast"}, exitUsage, "", "usage: preflight ast"},
		{[]string{"ast", "--bogus", "x.py"}, exitUsage, "", "flag provided but not defined"},
		{[]string{"ast", "--python", "3.10", "x.py"}, exitUsage, "", "want 3.11, 3.12 or 3.13"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderrIn) {
			t.Errorf("preflight %q: code %d, stdout %q, stderr %q; want code %d, stdout ∋ %q, stderr ∋ %q",
				tt.args, code, stdout, stderr, tt.code, tt.stdout, tt.stderrIn)
		}
	}
}

func TestParseFlagsInterspersed(t *testing.T) {
	fs := newFlagSet("x", "", &bytes.Buffer{})
	a := fs.Bool("a", false, "")
	s := fs.String("s", "", "")
	pos, err := parseFlags(fs, []string{"p1", "-a", "p2", "--s", "v", "p3", "--", "-notaflag"})
	if err != nil {
		t.Fatal(err)
	}
	if !*a || *s != "v" || strings.Join(pos, " ") != "p1 p2 p3 -notaflag" {
		t.Errorf("a=%v s=%q pos=%q", *a, *s, pos)
	}
}

func TestTrimVersion(t *testing.T) {
	for in, want := range map[string]int{"3.11": 11, "3.12": 12, "3.13": 13, "3.12.1": 12, "python3.13": 13,
		"3.10": 0, "3": 0, "2.7": 0, "3.13.0.1": 0, "": 0} {
		got, ok := trimVersion(in)
		if got != want || ok != (want != 0) {
			t.Errorf("trimVersion(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
}
