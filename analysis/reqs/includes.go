package reqs

import (
	"fmt"
	"path"
	"strings"
)

// Limits of ParseAll.
const (
	MaxIncludeDepth = 10  // nesting of -r/-c
	MaxIncludeFiles = 100 // files parsed in all
)

// ParseAll parses the requirements file root and every file it includes
// with -r/-c that lies inside the bundle (files maps bundle paths to bytes).
// Include paths are relative to the including file, as in pip. Includes
// that are URLs, leave the bundle, are missing, form a cycle or nest deeper
// than MaxIncludeDepth are not followed and reported as problems, naming the
// including file and line. Each file is parsed once, root first, then in
// include order.
func ParseAll(files map[string][]byte, root string, env map[string]string) ([]*File, []Problem) {
	w := &includeWalker{files: files, env: env, parsed: map[string]bool{}}
	root = path.Clean(strings.TrimPrefix(root, "./"))
	if _, ok := files[root]; !ok {
		return nil, []Problem{{Line: 0, Msg: fmt.Sprintf("requirements file %s not found in the bundle", root)}}
	}
	w.walk(root, false, []string{root})
	return w.out, w.problems
}

type includeWalker struct {
	files    map[string][]byte
	env      map[string]string
	parsed   map[string]bool
	out      []*File
	problems []Problem
}

func (w *includeWalker) walk(p string, constraint bool, stack []string) {
	w.parsed[p] = true
	f := Parse(p, w.files[p], w.env)
	f.Constraint = constraint
	w.out = append(w.out, f)
	for _, inc := range f.Includes {
		problem := func(format string, args ...any) {
			w.problems = append(w.problems, Problem{Line: inc.Line, Msg: fmt.Sprintf("%s:%d: ", p, inc.Line) + redactMessage(fmt.Sprintf(format, args...), nil)})
		}
		flag := "-r"
		if inc.Constraint {
			flag = "-c"
		}
		target, reason := resolveInclude(p, inc.Path)
		switch {
		case reason != "":
			problem("%s %s: %s", flag, inc.Path, reason)
		case inStack(stack, target):
			problem("%s %s: include cycle (%s -> %s): not followed", flag, inc.Path, strings.Join(stack, " -> "), target)
		case w.parsed[target]:
			// already parsed through another include
		case !hasKey(w.files, target):
			problem("%s %s: %s not found in the bundle", flag, inc.Path, target)
		case len(stack) >= MaxIncludeDepth:
			problem("%s %s: includes nested deeper than %d: not followed", flag, inc.Path, MaxIncludeDepth)
		case len(w.out) >= MaxIncludeFiles:
			problem("%s %s: more than %d requirements files: not followed", flag, inc.Path, MaxIncludeFiles)
		default:
			w.walk(target, inc.Constraint, append(stack[:len(stack):len(stack)], target))
		}
	}
}

// resolveInclude turns an include path into a bundle path, or gives the
// reason it cannot be followed.
func resolveInclude(from, inc string) (string, string) {
	switch scheme := urlScheme(inc); {
	case scheme == "http" || scheme == "https" || scheme == "ftp":
		return "", "a URL (pip downloads it at install time): not followed"
	case scheme == "file":
		return "", "a file: URL outside the bundle: not followed"
	}
	if strings.HasPrefix(inc, "/") || strings.HasPrefix(inc, `\`) || (len(inc) > 1 && inc[1] == ':') {
		return "", "an absolute path, outside the bundle: not followed"
	}
	target := path.Join(path.Dir(from), inc)
	if target == ".." || strings.HasPrefix(target, "../") {
		return "", "leaves the bundle: not followed"
	}
	return target, ""
}

func inStack(stack []string, p string) bool {
	for _, s := range stack {
		if s == p {
			return true
		}
	}
	return false
}

func hasKey(m map[string][]byte, k string) bool {
	_, ok := m[k]
	return ok
}
