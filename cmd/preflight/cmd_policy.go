package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cdf-preflight/preflight/analysis/policy"
)

// policyUsage is the synopsis of `preflight policy`.
const policyUsage = `usage: preflight policy check FILE    validate a policy; print the effective (merged) policy
       preflight policy default       print the built-in default policy, with its comments
`

// runPolicy runs `preflight policy check FILE` and `preflight policy default`.
func runPolicy(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, policyUsage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stderr, policyUsage)
		return exitOK
	case "default":
		if len(args) != 1 {
			fmt.Fprint(stderr, policyUsage)
			return exitUsage
		}
		stdout.Write(policy.DefaultTOML())
		return exitOK
	case "check":
		if len(args) != 2 {
			fmt.Fprint(stderr, policyUsage)
			return exitUsage
		}
		return policyCheck(args[1], stdout, stderr)
	}
	fmt.Fprintf(stderr, "preflight policy: unknown subcommand %q\n%s", args[0], policyUsage)
	return exitUsage
}

// policyCheck validates the policy in file: the effective policy as TOML
// on stdout and exit 0, or the errors (FILE:LINE:COL: message) on stderr
// and exit 1.
func policyCheck(file string, stdout, stderr io.Writer) int {
	data, err := readPolicyFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "preflight policy check: %v\n", err)
		return exitFail
	}
	p, err := policy.Load(file, data)
	if err != nil {
		fmt.Fprintln(stderr, err)
		var list policy.ErrorList
		if errors.As(err, &list) && len(list) > 1 {
			fmt.Fprintf(stderr, "%d errors\n", len(list))
		}
		return exitFail
	}
	stdout.Write(p.MarshalTOML())
	return exitOK
}

// readPolicyFile reads a policy file, refusing more than policy.MaxPolicyBytes.
func readPolicyFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, policy.MaxPolicyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > policy.MaxPolicyBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes; not a policy", name, policy.MaxPolicyBytes)
	}
	return data, nil
}
