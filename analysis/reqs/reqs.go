// Package reqs parses requirements.txt files in pip's format: options,
// continuations, comments, environment variables, PEP 508 requirements with
// extras, versions and markers, hashes, VCS/URL/path requirements and
// -r/-c includes.
package reqs

import (
	"fmt"
	"slices"
	"strings"
)

// Kind is what a requirement line refers to.
type Kind uint8

// Requirement kinds.
const (
	KindName Kind = iota // a PyPI name with an optional version specifier
	KindURL              // name @ https://… or a bare archive URL
	KindVCS              // git+https://…, hg+…, svn+…, bzr+…
	KindPath             // a local path or file:// URL
)

// Requirement is one requirement line.
type Requirement struct {
	Line      int    // 1-based line where the (joined) logical line starts
	Raw       string // the logical line as written (continuations joined, comment stripped)
	Name      string // project name as written ("" for a bare URL without #egg=)
	Canonical string // PEP 503 normalised name
	Extras    []string
	Specifier string // e.g. ">=1.2,<2" ("" when none)
	Pinned    bool   // exactly one "==" (not wildcard) or "===" clause
	Marker    string
	Kind      Kind
	URL       string   // for URL/VCS/path kinds
	Editable  bool     // -e
	Hashes    []string // --hash values
	// ConfigSettings are the --config-settings (-C) values, "KEY=VAL".
	ConfigSettings []string
}

// Option is a global option line (-i, --extra-index-url, --trusted-host, -f, …).
type Option struct {
	Line  int
	Name  string // canonical long name: "--index-url", "--extra-index-url", …
	Value string
}

// Include is a -r/--requirement or -c/--constraint line.
type Include struct {
	Line       int
	Path       string
	Constraint bool
}

// Problem is a line that could not be parsed, with pip-like wording.
type Problem struct {
	Line int
	Msg  string
}

// File is one parsed requirements file.
type File struct {
	Path         string
	Requirements []Requirement
	Options      []Option
	Includes     []Include
	Problems     []Problem
	// Constraint is set by ParseAll for a file included with -c: its
	// entries constrain versions but install nothing.
	Constraint bool
}

// Limits of one file.
const (
	MaxFileBytes = 1 << 20  // a larger file is not parsed
	MaxLineBytes = 64 << 10 // a longer logical line is not parsed
)

// Parse parses one requirements file's bytes. It never fails: what cannot be
// parsed is listed in Problems. env expands ${VAR} (nil: left as written).
//
// The steps are pip's: decode (BOM, PEP 263 coding comment), split lines,
// join "\" continuations, strip comments, expand ${VAR}, then split each
// line into a requirement and options at its first word starting with "-".
// Raw keeps the line before expansion, so an expanded secret is only in the
// parsed fields; problem messages redact URL credentials and expanded values.
func Parse(path string, data []byte, env map[string]string) *File {
	f := &File{Path: path}
	if len(data) > MaxFileBytes {
		f.Problems = append(f.Problems, Problem{Line: 1, Msg: fmt.Sprintf("%s is %d bytes, over the limit of %d: not parsed", path, len(data), MaxFileBytes)})
		return f
	}
	text, probs := decode(data)
	f.Problems = append(f.Problems, probs...)
	lines := joinLines(splitLines(text), MaxLineBytes, func(num int) {
		f.Problems = append(f.Problems, Problem{Line: num, Msg: fmt.Sprintf("line longer than %d bytes: not parsed", MaxLineBytes)})
	})
	for _, l := range lines {
		raw := stripComment(l.text)
		if raw == "" {
			continue
		}
		f.parseLine(l.num, raw, env)
	}
	return f
}

// parseLine handles one logical line.
func (f *File) parseLine(num int, raw string, env map[string]string) {
	var used []string
	problem := func(msg string) {
		f.Problems = append(f.Problems, Problem{Line: num, Msg: redactMessage(msg, used)})
	}
	line, ok := expandEnv(raw, env, MaxLineBytes, &used)
	if !ok {
		problem(fmt.Sprintf("line longer than %d bytes after expanding variables: not parsed", MaxLineBytes))
		return
	}
	args, optText := breakArgsOptions(line)
	words, err := shlexSplit(optText)
	if err != nil {
		problem(fmt.Sprintf("Invalid requirement: %s: Could not split options: %s (%v)", line, optText, err))
		return
	}
	opts, err := parseOptions(words)
	if err == nil {
		err = checkOptionValues(opts)
	}
	if err != nil {
		problem(fmt.Sprintf("Invalid requirement: %s: %v", line, err))
		return
	}
	var editables []string
	for _, o := range opts {
		if o.spec.kind == optEditable {
			editables = append(editables, o.value)
		}
	}
	switch {
	case args != "":
		r := Requirement{Line: num, Raw: raw, Kind: KindName}
		for _, o := range opts {
			switch o.spec.kind {
			case optHash:
				r.Hashes = append(r.Hashes, o.value)
			case optConfig:
				r.ConfigSettings = append(r.ConfigSettings, o.value)
			}
		}
		if err := parseLineRequirement(args, &r); err != nil {
			problem(err.Error())
			return
		}
		f.addRequirement(r)
	case len(editables) > 0:
		r := Requirement{Line: num, Raw: raw, Kind: KindPath}
		if err := parseEditable(editables[0], &r); err != nil {
			problem(err.Error())
			return
		}
		f.addRequirement(r)
	default:
		f.addOptions(num, opts, problem)
	}
}

func (f *File) addRequirement(r Requirement) {
	r.Canonical = Canonical(r.Name)
	r.Pinned = pinned(r.Specifier)
	f.Requirements = append(f.Requirements, r)
}

// addOptions records an option line. Like pip, only the first -r (or, when
// there is none, the first -c) of a line is followed.
func (f *File) addOptions(num int, opts []parsedOpt, problem func(string)) {
	var include *Include
	for _, o := range opts {
		switch o.spec.kind {
		case optGlobal:
			f.Options = append(f.Options, Option{Line: num, Name: o.spec.long[0], Value: o.value})
		case optRequire:
			if include == nil || include.Constraint {
				include = &Include{Line: num, Path: o.value}
			}
		case optConstraint:
			if include == nil {
				include = &Include{Line: num, Path: o.value, Constraint: true}
			}
		case optHash:
			problem(fmt.Sprintf("%s line %d has --hash but no requirement, and will be ignored.", f.Path, num))
		}
	}
	if include != nil {
		f.Includes = append(f.Includes, *include)
	}
}

// checkOptionValues applies pip's checks on --hash and --config-settings.
func checkOptionValues(opts []parsedOpt) error {
	for _, o := range opts {
		switch o.spec.kind {
		case optHash:
			alg, _, ok := strings.Cut(o.value, ":")
			if !ok {
				return fmt.Errorf("Arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde...")
			}
			if !slices.Contains(strongHashes, alg) {
				return fmt.Errorf("Allowed hash algorithms for --hash are %s.", strings.Join(strongHashes, ", "))
			}
		case optConfig:
			if !strings.Contains(o.value, "=") {
				return fmt.Errorf("Arguments to %s must be of the form KEY=VAL", o.spec.long[0])
			}
		}
	}
	return nil
}
