package main

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cdf-preflight/preflight/analysis/pyast"
)

const astSynopsis = "[--no-pos] [--python 3.11|3.12|3.13] [--stats] FILE|DIR…"

// runAST implements `preflight ast`: for every Python file named on the
// command line or found under a named directory, one JSON line in the format
// of shared/oracle/pyast_oracle.py, so the output can be compared with
// CPython's line by line:
//
//	{"ast":<tree>,"file":"<path>","ok":true}
//	{"error":{"lineno":L,"msg":"…","offset":O,"type":"SyntaxError"},"file":"<path>","ok":false}
//
// With --stats it only parses and prints one summary line. Syntax errors are
// results, not failures: the exit code is 1 only when a path cannot be read.
func runAST(args []string, stdout, stderr io.Writer) int {
	flags := newFlagSet("ast", astSynopsis, stderr)
	noPos := flags.Bool("no-pos", false, `omit node positions ("_p")`)
	python := flags.String("python", "3.13", "CPython version whose ast shape and error offsets to mimic: 3.11, 3.12 or 3.13")
	stats := flags.Bool("stats", false, "parse everything and print only: files=N bytes=B errors=E seconds=S MBps=X")
	paths, err := parseFlags(flags, args)
	if err != nil {
		return flagExit(err)
	}
	minor, ok := trimVersion(*python)
	if !ok {
		fmt.Fprintf(stderr, "preflight ast: --python %q: want 3.11, 3.12 or 3.13\n", *python)
		return exitUsage
	}
	if len(paths) == 0 {
		flags.Usage()
		return exitUsage
	}

	files, failed := collectPythonFiles(paths, stderr)
	out := bufio.NewWriterSize(stdout, 64<<10)
	var st astStats
	dumpOpts := pyast.DumpOptions{Positions: !*noPos, Version: minor}
	var line []byte
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "preflight ast: %v\n", err)
			failed = true
			continue
		}
		start := time.Now()
		mod, errs, crash := parseFile(path, src)
		st.elapsed += time.Since(start)
		st.files++
		st.bytes += int64(len(src))
		if len(errs) > 0 || crash != "" {
			st.errors++
		}
		if *stats {
			if crash != "" {
				fmt.Fprintf(stderr, "preflight ast: %s: %s\n", path, crash)
				failed = true
			}
			continue
		}
		switch {
		case crash != "":
			fmt.Fprintf(stderr, "preflight ast: %s: %s\n", path, crash)
			failed = true
			line = appendErrorRecord(line[:0], path, "InternalError", -1, -1, crash)
		case len(errs) > 0:
			e := errs[0]
			lineno, offset := errorLocation(mod, e, minor)
			line = appendErrorRecord(line[:0], path, e.Kind.String(), lineno, offset, e.Msg)
		default:
			line = append(line[:0], `{"ast":`...)
			line = append(line, pyast.DumpJSON(mod, dumpOpts)...)
			line = append(line, `,"file":`...)
			line = pyast.AppendJSONString(line, path)
			line = append(line, `,"ok":true}`...)
		}
		line = append(line, '\n')
		if _, err := out.Write(line); err != nil {
			fmt.Fprintf(stderr, "preflight ast: %v\n", err)
			return exitFail
		}
	}
	if *stats {
		fmt.Fprintln(out, st.String())
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "preflight ast: %v\n", err)
		return exitFail
	}
	if failed {
		return exitFail
	}
	return exitOK
}

// astStats is the --stats summary. Only the time spent in the parser counts.
type astStats struct {
	files, errors int
	bytes         int64
	elapsed       time.Duration
}

func (s astStats) String() string {
	sec := s.elapsed.Seconds()
	mbps := 0.0
	if sec > 0 {
		mbps = float64(s.bytes) / 1e6 / sec
	}
	return fmt.Sprintf("files=%d bytes=%d errors=%d seconds=%.3f MBps=%.2f", s.files, s.bytes, s.errors, sec, mbps)
}

// parseFile parses one file, turning a parser panic (a bug) into a message
// so one bad file does not stop the run.
func parseFile(path string, src []byte) (mod *pyast.Module, errs pyast.ErrorList, crash string) {
	defer func() {
		if r := recover(); r != nil {
			mod, errs, crash = nil, nil, fmt.Sprintf("internal error: parser panic: %v", r)
		}
	}()
	mod, errs = pyast.Parse(path, src, nil)
	if mod == nil && len(errs) == 0 {
		return nil, nil, "internal error: parser returned no module"
	}
	return mod, errs, ""
}

// collectPythonFiles expands the command-line paths: a file is taken as is,
// a directory is walked recursively for *.py files (skipping __pycache__),
// sorted. Unreadable paths are reported on stderr and make failed true.
func collectPythonFiles(paths []string, stderr io.Writer) (files []string, failed bool) {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			fmt.Fprintf(stderr, "preflight ast: %v\n", err)
			failed = true
			continue
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(stderr, "preflight ast: %v\n", err)
				failed = true
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if d.Name() == "__pycache__" {
					return fs.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(d.Name(), ".py") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintf(stderr, "preflight ast: %v\n", err)
			failed = true
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, failed
}

// errorLocation returns CPython's SyntaxError.lineno and .offset for e, or
// -1 for "None". CPython 3.13 reports the offset as a 1-based character
// column; 3.11 and 3.12 report a 1-based UTF-8 byte column for errors raised
// by the parser (the tokenizer's own errors already use characters there;
// the Error does not say which, so the parser-error convention is used).
// ValueError, and errors without a line, have no location (None).
func errorLocation(mod *pyast.Module, e *pyast.Error, minor int) (lineno, offset int) {
	if e.Kind == pyast.ValueError || e.Line <= 0 {
		return -1, -1
	}
	if minor < 13 || mod == nil || mod.File == nil {
		return e.Line, e.Col + 1
	}
	text := mod.File.Line(e.Line)
	col := max(e.Col, 0)
	if col <= len(text) {
		return e.Line, utf8.RuneCountInString(text[:col]) + 1
	}
	return e.Line, utf8.RuneCountInString(text) + (col - len(text)) + 1
}

// appendErrorRecord appends the oracle's record for a file CPython rejects.
// A negative lineno or offset is written as null.
func appendErrorRecord(b []byte, path, typ string, lineno, offset int, msg string) []byte {
	b = append(b, `{"error":{"lineno":`...)
	b = appendIntOrNull(b, lineno)
	b = append(b, `,"msg":`...)
	b = pyast.AppendJSONString(b, msg)
	b = append(b, `,"offset":`...)
	b = appendIntOrNull(b, offset)
	b = append(b, `,"type":`...)
	b = pyast.AppendJSONString(b, typ)
	b = append(b, `},"file":`...)
	b = pyast.AppendJSONString(b, path)
	return append(b, `,"ok":false}`...)
}

func appendIntOrNull(b []byte, n int) []byte {
	if n < 0 {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(n), 10)
}
