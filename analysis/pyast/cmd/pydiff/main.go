// Command pydiff parses Python files with pyast and with CPython's ast.parse
// (through shared/oracle/pyast_oracle.py) and prints, per file, OK or the
// first difference between the two trees.
//
// Usage:
//
//	go run ./analysis/pyast/cmd/pydiff [-py 3.12.1] [-q] [-all-errors] FILE|DIR...
//
// A directory stands for every .py file below it (as the oracle test lists
// a stdlib: no site-packages, __pycache__ or badsyntax_future*.py).
// It is a developer tool: it needs a pyenv CPython and the project's shared/
// directory (found next to the repository root, or via PREFLIGHT_SHARED).
// The exit status is 1 when any file differs.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/pyast/internal/pyoracle"
)

func main() {
	version := flag.String("py", "3.12.1", "CPython version to compare with (pyenv)")
	allErrors := flag.Bool("all-errors", false, "print all of our syntax errors, not only the first")
	quiet := flag.Bool("q", false, "print only the files that differ")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: pydiff [-py 3.12.1] [-q] [-all-errors] FILE|DIR...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	in, err := pyoracle.Find(*version)
	if err != nil {
		fatal(err)
	}
	script, err := pyoracle.OracleScript()
	if err != nil {
		fatal(err)
	}
	var files []string
	for _, arg := range flag.Args() {
		p, err := filepath.Abs(arg)
		if err != nil {
			fatal(err)
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			list, err := pyoracle.StdlibFiles(p)
			if err != nil {
				fatal(err)
			}
			files = append(files, list...)
			continue
		}
		files = append(files, p)
	}
	differ := 0
	err = in.Dump(script, files, func(rec *pyoracle.Record) error {
		res := check(rec, in.Minor, *allErrors)
		if res != "" {
			differ++
			fmt.Printf("DIFF %s: %s\n", rec.File, res)
		} else if !*quiet {
			fmt.Printf("OK   %s\n", rec.File)
		}
		return nil
	})
	if err != nil {
		fatal(err)
	}
	fmt.Printf("%d of %d files differ from CPython %s\n", differ, len(files), in.Version)
	if differ > 0 {
		os.Exit(1)
	}
}

// check compares our parse of one file with CPython's record.
func check(rec *pyoracle.Record, minor int, allErrors bool) (res string) {
	defer func() {
		if r := recover(); r != nil {
			res = fmt.Sprintf("PANIC: %v", r)
		}
	}()
	src, err := os.ReadFile(rec.File)
	if err != nil {
		return err.Error()
	}
	mod, errs := pyast.Parse(rec.File, src, nil)
	if !rec.OK {
		if len(errs) == 0 {
			return "CPython rejects (" + rec.Error.String() + ") but we accept"
		}
		return ""
	}
	if len(errs) > 0 {
		if allErrors {
			s := fmt.Sprintf("CPython accepts but we report %d errors:", len(errs))
			for _, e := range errs {
				s += "\n    " + e.Error()
			}
			return s
		}
		return fmt.Sprintf("CPython accepts but we report %d errors, first: %v", len(errs), errs[0])
	}
	ours := pyast.DumpJSON(mod, pyast.DumpOptions{Positions: true, Version: minor})
	d, err := pyoracle.Compare(ours, rec.AST, minor)
	if err != nil {
		return err.Error()
	}
	return d
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "pydiff:", err)
	os.Exit(2)
}
