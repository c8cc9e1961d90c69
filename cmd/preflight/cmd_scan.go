package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/analysis/bundle"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/report"
)

const scanSynopsis = "[--engine wasm|native] [--function FILE] [--token-inspect FILE --project NAME] [--policy FILE] [--format text|json|sarif] [--fail-on LEVEL] PATH"

// functionFile is the function object's file name looked for beside the code.
const functionFile = "function.json"

// skippedDirs are folders never read as part of a bundle: version control,
// caches and virtual environments are not the function's code.
var skippedDirs = map[string]bool{".git": true, "__pycache__": true, ".venv": true, "venv": true, "node_modules": true, ".mypy_cache": true, ".pytest_cache": true}

// failLevels are the --fail-on values, in order.
var failLevels = []report.RiskLevel{report.RiskLow, report.RiskMedium, report.RiskHigh, report.RiskCritical}

// runScan implements `preflight scan PATH`: it analyses a function bundle —
// a folder or a zip — and prints the report as text (for people), JSON (the
// report contract) or SARIF 2.1.0 (for code-scanning tools).
//
// The function object is --function FILE, else function.json inside the
// folder, else function.json beside the zip. With --fail-on LEVEL the exit
// code is 1 when the risk level is LEVEL or above — and always when the risk
// is unknown (code that could not be analysed never passes a gate). Exit
// code 2 means the command line or an input was unusable.
func runScan(args []string, stdout, stderr io.Writer) int {
	flags := newFlagSet("scan", scanSynopsis, stderr)
	fnPath := flags.String("function", "", "the function object (function.json as the CDF API returns it); default: function.json in the folder, or beside the zip")
	tokenPath := flags.String("token-inspect", "", "the caller's token-inspect response (JSON), to compare permissions; needs --project")
	project := flags.String("project", "", "the CDF project the function lives in (with --token-inspect)")
	policyPath := flags.String("policy", "", "a policy (TOML) merged over the defaults")
	format := flags.String("format", "text", "output format: text, json or sarif")
	engineName := flags.String("engine", "", "where the engine runs: wasm (inside wazero, with memory and time limits; the default when built with make) or native")
	failOn := flags.String("fail-on", "", "exit 1 when the risk level is at or above this level: low, medium, high or critical (an unknown risk always fails)")
	paths, err := parseFlags(flags, args)
	if err != nil {
		return flagExit(err)
	}
	if len(paths) != 1 {
		flags.Usage()
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "preflight scan: "+format+"\n", a...)
		return exitUsage
	}
	switch *format {
	case "text", "json", "sarif":
	default:
		return fail("--format %q: want text, json or sarif", *format)
	}
	var threshold report.RiskLevel
	if *failOn != "" {
		if threshold = parseFailLevel(*failOn); threshold == "" {
			return fail("--fail-on %q: want low, medium, high or critical", *failOn)
		}
	}
	if (*tokenPath == "") != (*project == "") {
		return fail("--token-inspect and --project go together")
	}
	engine, err := checkEngine(*engineName)
	if err != nil {
		return fail("%v", err)
	}

	in := analysis.Input{Project: *project}
	pol := policy.Default()
	if *policyPath != "" {
		if in.PolicyTOML, err = os.ReadFile(*policyPath); err != nil {
			return fail("%v", err)
		}
		if pol, err = policy.Load(*policyPath, in.PolicyTOML); err != nil {
			return fail("%v", err)
		}
	}
	if *tokenPath != "" {
		if in.TokenInspectJSON, err = readTokenFile(*tokenPath); err != nil {
			return fail("%v", err)
		}
	}

	path := paths[0]
	st, err := os.Stat(path)
	if err != nil {
		return fail("%v", err)
	}
	besideFunction := filepath.Join(filepath.Dir(path), functionFile)
	if st.IsDir() {
		files, notes, err := readFolder(path, pol.Limits)
		if err != nil {
			return fail("%v", err)
		}
		for _, n := range notes {
			fmt.Fprintf(stderr, "preflight scan: note: %s\n", n)
		}
		if data, ok := files[functionFile]; ok {
			delete(files, functionFile) // metadata, not code
			if *fnPath == "" {
				in.FunctionJSON = data
			}
		}
		in.Files = files
		besideFunction = ""
	} else {
		if in.Zip, err = readZipFile(path, st, pol.Limits.MaxZipBytes); err != nil {
			return fail("%v", err)
		}
	}
	switch {
	case *fnPath != "":
		if in.FunctionJSON, err = os.ReadFile(*fnPath); err != nil {
			return fail("%v", err)
		}
	case in.FunctionJSON == nil && besideFunction != "":
		if data, err := os.ReadFile(besideFunction); err == nil {
			in.FunctionJSON = data
		}
	}

	rep, raw, err := analyzeWith(context.Background(), engine, in)
	if err != nil {
		return fail("%s: %v", path, err)
	}
	if *format == "json" {
		_, err = stdout.Write(raw)
	} else {
		err = writeReport(stdout, rep, *format, in, pol)
	}
	if err != nil {
		fmt.Fprintf(stderr, "preflight scan: %v\n", err)
		return exitFail
	}
	if threshold != "" && failsGate(rep.Risk.Level, threshold) {
		return exitFail
	}
	return exitOK
}

// parseFailLevel returns the risk level named by s, or "".
func parseFailLevel(s string) report.RiskLevel {
	for _, l := range failLevels {
		if strings.EqualFold(s, string(l)) {
			return l
		}
	}
	return ""
}

// failsGate reports whether level is at or above threshold; unknown always fails.
func failsGate(level, threshold report.RiskLevel) bool {
	if level == report.RiskUnknown {
		return true
	}
	rank := func(l report.RiskLevel) int {
		for i, x := range failLevels {
			if x == l {
				return i
			}
		}
		return -1 // none
	}
	return rank(level) >= rank(threshold)
}

// writeReport prints the report in the chosen format. Text shows the code
// line under each finding (from the files read; secret values redacted by
// the report) and is coloured only on a terminal without NO_COLOR.
func writeReport(w io.Writer, rep *report.Report, format string, in analysis.Input, pol *policy.Policy) error {
	switch format {
	case "json":
		return report.WriteJSON(w, rep)
	case "sarif":
		return report.WriteSARIF(w, rep)
	}
	files := in.Files
	if files == nil && in.Zip != nil {
		files = zipSources(in, pol)
	}
	return report.WriteText(w, rep, report.TextOptions{
		Color:  useColor(w),
		Source: sourceLines(files),
	})
}

// zipSources reads the zip's files (with the policy's limits) for showing
// code lines; nothing when the zip cannot be read.
func zipSources(in analysis.Input, pol *policy.Policy) map[string][]byte {
	b, err := bundle.FromZip(in.Zip, "", bundle.Limits{
		MaxZipBytes: pol.Limits.MaxZipBytes, MaxFiles: pol.Limits.MaxFiles,
		MaxTotalBytes: pol.Limits.MaxTotalBytes, MaxFileBytes: pol.Limits.MaxFileBytes, MaxRatio: pol.Limits.MaxRatio,
	})
	if err != nil {
		return nil
	}
	files := make(map[string][]byte, len(b.Files))
	for _, f := range b.Files {
		files[f.Path] = f.Data
	}
	return files
}

// sourceLines returns line n (1-based) of a file, without its newline.
func sourceLines(files map[string][]byte) func(string, int) string {
	split := map[string][]string{}
	return func(file string, n int) string {
		lines, ok := split[file]
		if !ok {
			data, found := files[file]
			if !found {
				return ""
			}
			lines = strings.Split(string(data), "\n")
			split[file] = lines
		}
		if n < 1 || n > len(lines) {
			return ""
		}
		return strings.TrimRight(lines[n-1], "\r")
	}
}

// useColor reports whether w is a terminal and NO_COLOR is unset.
func useColor(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// readZipFile reads a zip of at most maxBytes (a larger file is refused
// before it is read).
func readZipFile(path string, st os.FileInfo, maxBytes int64) ([]byte, error) {
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a folder or a zip file", path)
	}
	if maxBytes > 0 && st.Size() > maxBytes {
		return nil, fmt.Errorf("%s: %d bytes, over the policy's max_zip_bytes of %d", path, st.Size(), maxBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte("PK")) {
		return nil, fmt.Errorf("%s: not a folder or a zip file", path)
	}
	return data, nil
}

// errLimit stops the folder walk.
var errLimit = errors.New("limit reached")

// readFolder reads the files under root into memory by "/"-separated
// relative path. It skips version-control, cache and virtual-environment
// folders, never follows symbolic links, and stops at the policy's limits:
// one file past max_files, or the file that crosses max_total_bytes, is
// still handed over so the engine records what it did not analyse (and
// marks the analysis incomplete); a file is read only up to one byte past
// max_file_bytes, for the same reason. The notes say what was left out.
func readFolder(root string, lim policy.Limits) (map[string][]byte, []string, error) {
	files := map[string][]byte{}
	var notes []string
	var total int64
	maxFiles, maxTotal, maxFile := lim.MaxFiles, lim.MaxTotalBytes, lim.MaxFileBytes
	if maxFiles <= 0 {
		maxFiles = 2000
	}
	if maxTotal <= 0 {
		maxTotal = 64 << 20
	}
	if maxFile <= 0 {
		maxFile = 10 << 20
	}
	var symlinks []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != root && skippedDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			symlinks = append(symlinks, rel)
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if len(files) >= maxFiles+1 || total > maxTotal {
			notes = append(notes, fmt.Sprintf("stopped reading %s at the policy's limit (max_files %d, max_total_bytes %d): %s and later files not analysed", root, maxFiles, maxTotal, rel))
			return errLimit
		}
		data, err := readAtMost(p, maxFile+1)
		if err != nil {
			return err
		}
		files[rel] = data
		total += int64(len(data))
		return nil
	})
	if err != nil && !errors.Is(err, errLimit) {
		return nil, nil, err
	}
	if len(symlinks) > 0 {
		sort.Strings(symlinks)
		notes = append(notes, fmt.Sprintf("symbolic links not followed: %s", strings.Join(symlinks, ", ")))
	}
	return files, notes, nil
}

// readAtMost reads up to n bytes of a file.
func readAtMost(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}
