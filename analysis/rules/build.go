package rules

import (
	"strings"

	"github.com/cdf-preflight/preflight/analysis/bundle"
	"github.com/cdf-preflight/preflight/analysis/pyast"
)

// Build parses every Python file of b and computes the whole-bundle model:
// modules and their dotted names, imports, the handle entry point, and the
// data flow (calls with labelled arguments, handle's returns, raises,
// credential reads). Syntax errors keep the partial tree (Module.Errors);
// a bundle too large for the work budget sets Program.Truncated.
func Build(b *bundle.Bundle, opts Options) *Program {
	prog := &Program{}
	if b == nil {
		return prog
	}
	popts := &pyast.Options{MaxSize: opts.MaxPythonBytes}
	for _, f := range b.Files {
		if !strings.HasSuffix(f.Path, ".py") {
			continue
		}
		ast, errs := pyast.Parse(f.Path, f.Data, popts)
		m := &Module{Path: f.Path, Name: moduleName(f.Path), AST: ast, Errors: errs}
		prog.Modules = append(prog.Modules, m)
		if f.Path == b.Handler {
			prog.Handler = m
		}
	}
	if prog.Handler != nil {
		prog.Handle, prog.HandleParams = findHandle(prog.Handler)
	}
	return prog
}

// moduleName returns the dotted module name of a bundle path:
// "src/helpers.py" → "src.helpers", "pkg/__init__.py" → "pkg".
func moduleName(path string) string {
	name := strings.TrimSuffix(path, ".py")
	name = strings.TrimSuffix(name, "/__init__")
	if name == "__init__" {
		return ""
	}
	return strings.ReplaceAll(name, "/", ".")
}

// findHandle returns the last top-level `def handle` or `handle = …` of m
// and the parameter names of the function it denotes.
func findHandle(m *Module) (pyast.Node, []string) {
	if m.AST == nil {
		return nil, nil
	}
	var node pyast.Node
	var params []string
	for _, s := range m.AST.Body {
		switch s := s.(type) {
		case *pyast.FunctionDef:
			if s.Name == "handle" {
				node, params = s, paramNames(s.Args)
			}
		case *pyast.Assign:
			for _, t := range s.Targets {
				if n, ok := t.(*pyast.Name); ok && n.ID == "handle" {
					node, params = s, nil
					if l, ok := s.Value.(*pyast.Lambda); ok {
						params = paramNames(l.Args)
					}
				}
			}
		case *pyast.AnnAssign:
			if n, ok := s.Target.(*pyast.Name); ok && n.ID == "handle" && s.Value != nil {
				node, params = s, nil
			}
		}
	}
	return node, params
}

// paramNames lists the parameter names of a, in order as written.
func paramNames(a *pyast.Arguments) []string {
	if a == nil {
		return nil
	}
	var names []string
	for _, p := range a.PosOnlyArgs {
		names = append(names, p.Arg)
	}
	for _, p := range a.Args {
		names = append(names, p.Arg)
	}
	if a.Vararg != nil {
		names = append(names, a.Vararg.Arg)
	}
	for _, p := range a.KwOnlyArgs {
		names = append(names, p.Arg)
	}
	if a.Kwarg != nil {
		names = append(names, a.Kwarg.Arg)
	}
	return names
}
