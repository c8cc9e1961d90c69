// Package reqs parses requirements.txt files in pip's format: options,
// continuations, comments, environment variables, PEP 508 requirements with
// extras, versions and markers, hashes, VCS/URL/path requirements and
// -r/-c includes.
package reqs

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
}

// Parse parses one requirements file's bytes. It never fails: what cannot be
// parsed is listed in Problems. env expands ${VAR} (nil: left as written).
func Parse(path string, data []byte, env map[string]string) *File { panic("contract stub") }
