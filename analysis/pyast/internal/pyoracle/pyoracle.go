// Package pyoracle runs CPython as the oracle for package pyast's tests: it
// finds the pyenv interpreters, lists their standard library, streams
// shared/oracle/pyast_oracle.py's JSON lines, asks a persistent child for
// accept/reject decisions, and compares two oracle-format trees
// structurally after the normalisations of python-parser.md §3.2.
//
// It is test support only: it starts processes and reads files, which the
// pyast engine itself never does.
package pyoracle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Versions are the CPython versions the oracle tests use, oldest first.
var Versions = []string{"3.11.7", "3.12.1", "3.13.0"}

// Interpreter is one CPython installation.
type Interpreter struct {
	Version string   // e.g. "3.12.1"
	Minor   int      // e.g. 12
	Path    string   // the python3 executable
	Env     []string // extra environment (PYENV_VERSION when run through the shim)
}

// Find locates CPython version (e.g. "3.12.1"): first
// $PYENV_ROOT/versions/<version>/bin/python3 (PYENV_ROOT defaults to
// ~/.pyenv), then "python3" on PATH with PYENV_VERSION=<version>, checking
// that it really is that version.
func Find(version string) (*Interpreter, error) {
	minor, err := minorOf(version)
	if err != nil {
		return nil, err
	}
	root := os.Getenv("PYENV_ROOT")
	if root == "" {
		if home, err := os.UserHomeDir(); err == nil {
			root = filepath.Join(home, ".pyenv")
		}
	}
	var candidates []*Interpreter
	if root != "" {
		p := filepath.Join(root, "versions", version, "bin", "python3")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			candidates = append(candidates, &Interpreter{Version: version, Minor: minor, Path: p})
		}
	}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, &Interpreter{Version: version, Minor: minor, Path: p,
			Env: []string{"PYENV_VERSION=" + version}})
	}
	for _, in := range candidates {
		out, err := in.Command("-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])").Output()
		if err == nil && strings.TrimSpace(string(out)) == version {
			return in, nil
		}
	}
	return nil, fmt.Errorf("CPython %s not found (looked in %s/versions and python3 with PYENV_VERSION)", version, root)
}

func minorOf(version string) (int, error) {
	parts := strings.Split(version, ".")
	if len(parts) < 2 || parts[0] != "3" {
		return 0, fmt.Errorf("pyoracle: unsupported version %q", version)
	}
	return strconv.Atoi(parts[1])
}

// Command returns an exec.Cmd running the interpreter with args, with
// warnings ignored and UTF-8 (surrogates passed through) on its pipes.
func (in *Interpreter) Command(args ...string) *exec.Cmd {
	cmd := exec.Command(in.Path, args...)
	cmd.Env = append(os.Environ(), "PYTHONIOENCODING=utf-8:surrogatepass", "PYTHONWARNINGS=ignore",
		"PYTHONDONTWRITEBYTECODE=1")
	cmd.Env = append(cmd.Env, in.Env...)
	return cmd
}

// StdlibDir returns the interpreter's standard library directory.
func (in *Interpreter) StdlibDir() (string, error) {
	out, err := in.Command("-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])").Output()
	if err != nil {
		return "", fmt.Errorf("CPython %s: stdlib dir: %w", in.Version, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// StdlibFiles lists the .py files under dir, sorted, skipping site-packages,
// __pycache__ and the badsyntax_future*.py files (ast.parse accepts them
// although they are compile-time errors).
func StdlibFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if name == "site-packages" || name == "__pycache__" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".py") && !strings.HasPrefix(name, "badsyntax_future") && d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// SharedDir returns the project's shared/ directory: $PREFLIGHT_SHARED, or
// ../shared next to the repository root (the directory holding go.mod),
// found by walking up from the working directory.
func SharedDir() (string, error) {
	if d := os.Getenv("PREFLIGHT_SHARED"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			s := filepath.Join(filepath.Dir(d), "shared")
			if _, err := os.Stat(s); err != nil {
				return "", fmt.Errorf("shared dir: %w (set PREFLIGHT_SHARED)", err)
			}
			return s, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", errors.New("shared dir: no go.mod above the working directory (set PREFLIGHT_SHARED)")
		}
		d = parent
	}
}

// OracleScript returns the path of shared/oracle/pyast_oracle.py.
func OracleScript() (string, error) {
	d, err := SharedDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(d, "oracle", "pyast_oracle.py")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("oracle script: %w", err)
	}
	return p, nil
}

// Record is one line of the oracle's output.
type Record struct {
	File  string          `json:"file"`
	OK    bool            `json:"ok"`
	AST   json.RawMessage `json:"ast"`   // when OK
	Error *PyError        `json:"error"` // when not OK
}

// PyError is the exception CPython raised for a rejected file.
type PyError struct {
	Type   string `json:"type"`
	Msg    string `json:"msg"`
	Lineno *int   `json:"lineno"`
	Offset *int   `json:"offset"`
}

func (e *PyError) String() string {
	if e == nil {
		return "<no error>"
	}
	line := 0
	if e.Lineno != nil {
		line = *e.Lineno
	}
	return fmt.Sprintf("%s: %s (line %d)", e.Type, e.Msg, line)
}

// batchSize bounds the number of files per oracle process (command line length).
const batchSize = 200

// Dump runs the oracle script over files in batches and calls fn with each
// record as it is read, so the (large) output is never held whole. A
// non-nil error from fn stops the run and is returned.
func (in *Interpreter) Dump(script string, files []string, fn func(*Record) error) error {
	for len(files) > 0 {
		n := min(batchSize, len(files))
		if err := in.dumpBatch(script, files[:n], fn); err != nil {
			return err
		}
		files = files[n:]
	}
	return nil
}

func (in *Interpreter) dumpBatch(script string, files []string, fn func(*Record) error) error {
	cmd := in.Command(append([]string{script}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("CPython %s: %w", in.Version, err)
	}
	// Read ahead in a goroutine so CPython keeps working while fn runs.
	type line struct {
		b   []byte
		err error
	}
	lines := make(chan line, 8)
	stop := make(chan struct{})
	go func() {
		defer close(lines)
		r := bufio.NewReaderSize(out, 1<<20)
		for {
			b, err := r.ReadBytes('\n')
			if len(b) > 0 {
				select {
				case lines <- line{b: b}:
				case <-stop:
					return
				}
			}
			if err != nil {
				if err != io.EOF {
					lines <- line{err: err}
				}
				return
			}
		}
	}()
	var ferr error
	for l := range lines {
		if ferr != nil {
			continue
		}
		if l.err != nil {
			ferr = l.err
			continue
		}
		rec := new(Record)
		if err := json.Unmarshal(l.b, rec); err != nil {
			ferr = fmt.Errorf("CPython %s: bad oracle line: %w", in.Version, err)
		} else if err := fn(rec); err != nil {
			ferr = err
		}
		if ferr != nil {
			close(stop)
			_ = cmd.Process.Kill() // it may be blocked writing to the pipe
		}
	}
	werr := cmd.Wait()
	if ferr != nil {
		return ferr
	}
	if werr != nil {
		return fmt.Errorf("CPython %s oracle: %w: %s", in.Version, werr, abbrev(stderr.String(), 400))
	}
	return nil
}
