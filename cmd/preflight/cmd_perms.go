package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/analysis/cdf"
)

const permsSynopsis = "--token-inspect FILE --project NAME [--policy FILE] [--format text|json]"

// runPerms implements `preflight perms`: the caller's permission level in a
// project from a saved token-inspect response (GET /api/v1/token/inspect),
// with the reasons for it, whether they can call functions, and every
// capability they hold there. Exit 2 for an unusable command line or input.
func runPerms(args []string, stdout, stderr io.Writer) int {
	flags := newFlagSet("perms", permsSynopsis, stderr)
	tokenPath := flags.String("token-inspect", "", "the token-inspect response (JSON), e.g. saved from GET /api/v1/token/inspect")
	project := flags.String("project", "", "the CDF project to judge the permissions in")
	policyPath := flags.String("policy", "", "a policy (TOML) whose [permissions] section adjusts what counts as admin or elevated")
	format := flags.String("format", "text", "output format: text or json")
	rest, err := parseFlags(flags, args)
	if err != nil {
		return flagExit(err)
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "preflight perms: "+format+"\n", a...)
		return exitUsage
	}
	if len(rest) != 0 {
		return fail("unexpected argument %q (the token is given with --token-inspect FILE)", rest[0])
	}
	if *tokenPath == "" || strings.TrimSpace(*project) == "" {
		flags.Usage()
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		return fail("--format %q: want text or json", *format)
	}
	token, err := readTokenFile(*tokenPath)
	if err != nil {
		return fail("%v", err)
	}
	var pol []byte
	if *policyPath != "" {
		if pol, err = readPolicyFile(*policyPath); err != nil {
			return fail("%v", err)
		}
	}
	as, err := analysis.Permissions(token, *project, pol)
	if err != nil {
		return fail("%s: %v", *tokenPath, err)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(as); err != nil {
			fmt.Fprintf(stderr, "preflight perms: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	writePermsText(stdout, &as, useColor(stdout))
	return exitOK
}

// readTokenFile reads a token-inspect response, refusing files larger than
// the engine accepts.
func readTokenFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, cdf.MaxTokenInspectBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > cdf.MaxTokenInspectBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes; not a token-inspect response", name, cdf.MaxTokenInspectBytes)
	}
	return data, nil
}

// levelColor is the ANSI colour of each level on a terminal.
var levelColor = map[cdf.Level]string{
	cdf.LevelAdmin:    "\x1b[1;31m",
	cdf.LevelElevated: "\x1b[1;33m",
	cdf.LevelStandard: "\x1b[1m",
	cdf.LevelReadOnly: "\x1b[1;32m",
	cdf.LevelNone:     "\x1b[1m",
}

// writePermsText prints the assessment for people: the level and what it
// means, the reasons, whether functions can be called, then the
// capabilities held.
func writePermsText(w io.Writer, as *cdf.Assessment, color bool) {
	level := strings.ToUpper(string(as.Level))
	if color {
		level = levelColor[as.Level] + level + "\x1b[0m"
	}
	fmt.Fprintf(w, "Project:  %s\n", as.Project)
	fmt.Fprintf(w, "Level:    %s — %s\n", level, as.Explanation)
	for i, r := range as.Reasons {
		label := "Why:"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(w, "%-9s %s\n", label, r)
	}
	fmt.Fprintf(w, "Call:     %s\n", as.Call)
	for _, n := range as.Notes {
		fmt.Fprintf(w, "Note:     %s\n", n)
	}
	fmt.Fprintf(w, "\nCapabilities in %s (%d)\n", as.Project, len(as.Capabilities))
	for _, c := range as.Capabilities {
		name := c.ACL + ":" + c.Action
		if !c.Known {
			name += " (unknown to Preflight)"
		}
		fmt.Fprintf(w, "  %-44s %s\n", name, c.Where)
	}
}
