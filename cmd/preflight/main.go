// Command preflight is the command-line face of the Preflight engine: it
// analyses Cognite Functions' Python code. At this stage it offers the Python
// front end (`preflight ast`); scan, perms, audit and policy follow.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// version is the tool version reported by `preflight version` and in reports.
const version = "0.1.0"

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran but something failed (unreadable file, …)
	exitUsage = 2 // bad command line
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands returns the subcommands by name.
func commands() map[string]command {
	cmds := []command{
		{"ast", "print CPython-compatible ASTs of Python files as JSON lines", runAST},
		{"audit", "fetch and analyse every function of a CDF project: a risk table, JSON or SARIF", runAudit},
		{"policy", "check a policy file and print the effective policy", runPolicy},
		{"perms", "your permission level in a project, from a token-inspect response", runPerms},
		{"scan", "analyse a function bundle (folder or zip): risks, capabilities, egress", runScan},
		{"version", "print the version", runVersion},
		{"help", "print this help, or the help of one command", runHelp},
	}
	m := make(map[string]command, len(cmds))
	for _, c := range cmds {
		m[c.name] = c
	}
	return m
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches args to a subcommand and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	cmd, ok := commands()[name]
	if !ok {
		fmt.Fprintf(stderr, "preflight: unknown command %q\n", name)
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdout, stderr)
}

// usage prints the list of commands.
func usage(w io.Writer) {
	fmt.Fprintf(w, "Preflight %s — what a Cognite Function's code can do, before you run it.\n\n", version)
	fmt.Fprintf(w, "Usage: preflight <command> [flags] [args]\n\nCommands:\n")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'preflight help <command>' for the flags of a command.\n")
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) != 0 {
		fmt.Fprintln(stderr, "usage: preflight version")
		return exitUsage
	}
	fmt.Fprintf(stdout, "preflight %s\n", version)
	fmt.Fprintln(stdout, engineLine())
	return exitOK
}

func runHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return exitOK
	case 1:
		cmd, ok := commands()[args[0]]
		if !ok {
			fmt.Fprintf(stderr, "preflight help: unknown command %q\n", args[0])
			return exitUsage
		}
		return cmd.run([]string{"-h"}, stdout, stdout) // the help goes to stdout
	}
	fmt.Fprintln(stderr, "usage: preflight help [command]")
	return exitUsage
}

// parseFlags parses args with fs, allowing flags after positional arguments
// (`preflight ast dir --no-pos`); "--" ends flag parsing. It returns the
// positional arguments, or an error (flag.ErrHelp for -h).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at the first non-flag or after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a flag set that reports errors instead of exiting, with
// a usage line for the command.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("preflight "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: preflight %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// flagExit maps a flag-parsing error to an exit code: -h is success, anything
// else a usage error.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// trimVersion turns "3.12" or "3.12.1" into the minor version 12.
func trimVersion(s string) (int, bool) {
	s = strings.TrimPrefix(s, "python")
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 || parts[0] != "3" {
		return 0, false
	}
	switch parts[1] {
	case "11":
		return 11, true
	case "12":
		return 12, true
	case "13":
		return 13, true
	}
	return 0, false
}
