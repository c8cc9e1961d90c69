package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/bundle"
	"github.com/cdf-preflight/preflight/analysis/pyast"
)

// Work bounds for one bundle.
const (
	// defaultBudget is the number of statement and expression evaluations
	// the data flow may spend on one bundle (a 300-line bundle needs a few
	// tens of thousands).
	defaultBudget = 4_000_000
	// maxRounds bounds the fixpoint over the bundle's functions.
	maxRounds = 12
)

// Build parses every Python file of b and computes the whole-bundle model:
// modules and their dotted names, imports, the handle entry point, and the
// data flow (calls with labelled arguments, handle's returns, raises,
// credential reads). Syntax errors keep the partial tree (Module.Errors);
// a bundle too large for the work budget sets Program.Truncated.
func Build(b *bundle.Bundle, opts Options) *Program {
	return build(b, opts, defaultBudget)
}

func build(b *bundle.Bundle, opts Options, budget int) *Program {
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
	bl := newBuilder(prog, opts, budget)
	bl.collect()
	bl.run()
	bl.finish()
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
				if l, ok := s.Value.(*pyast.Lambda); ok {
					params = paramNames(l.Args)
				}
			}
		}
	}
	return node, params
}

// paramNames lists the parameter names of a, in order as written.
func paramNames(a *pyast.Arguments) []string {
	var names []string
	for _, p := range params(a) {
		names = append(names, p.name)
	}
	return names
}

func params(a *pyast.Arguments) []param {
	if a == nil {
		return nil
	}
	var ps []param
	for _, p := range a.PosOnlyArgs {
		ps = append(ps, param{p.Arg, paramPositional})
	}
	for _, p := range a.Args {
		ps = append(ps, param{p.Arg, paramPositional})
	}
	if a.Vararg != nil {
		ps = append(ps, param{a.Vararg.Arg, paramVararg})
	}
	for _, p := range a.KwOnlyArgs {
		ps = append(ps, param{p.Arg, paramKwOnly})
	}
	if a.Kwarg != nil {
		ps = append(ps, param{a.Kwarg.Arg, paramKwarg})
	}
	return ps
}

// ---------------------------------------------------------------------------
// The builder

type starImport struct {
	name  string  // the module imported from
	local *Module // when it is a bundle module
}

// builder holds the state of one Build.
type builder struct {
	prog *Program
	opts Options

	byName   map[string]*Module
	packages map[string]bool
	nsMods   map[string]*Module // namespace packages (folders without __init__.py)
	modIndex map[*Module]int

	units   map[pyast.Node]*unit
	order   []*unit // evaluation order: modules by import dependency, units in source order
	tops    map[*Module]*unit
	classes map[*pyast.ClassDef]*class
	stars   map[*Module][]starImport
	handle  *unit

	globals map[*Module]map[string]aval
	fields  map[fieldKey]aval

	stopped      bool
	work, budget int
	rounds       int
	storeVer     int // grows when a module global, class field or class base is added to

	calls     map[*pyast.Call]*callRec
	returns   map[pyast.Node]*sinkRec
	raises    map[pyast.Node]*sinkRec
	attrReads map[pyast.Node]AttrRead

	secretLit map[string]bool

	// stacks of the arguments of the calls being evaluated (see call)
	argStack []aval
	kwStack  []kwArg

	in interp // the interpreter of the current evaluation (see eval)

	envSlab   []aval // see envVal
	envChunks int
}

type callRec struct {
	u      *unit
	mod    *Module
	call   *pyast.Call
	callee string
	kind   ValueKind
	args   []aval
	kws    map[string]aval
	recv   aval
}

type sinkRec struct {
	u    *unit
	mod  *Module
	node pyast.Node
	val  aval
}

func newBuilder(prog *Program, opts Options, budget int) *builder {
	b := &builder{
		prog: prog, opts: opts, budget: budget,
		byName: map[string]*Module{}, packages: map[string]bool{}, nsMods: map[string]*Module{},
		modIndex: map[*Module]int{},
		units:    map[pyast.Node]*unit{}, tops: map[*Module]*unit{}, classes: map[*pyast.ClassDef]*class{},
		stars: map[*Module][]starImport{}, globals: map[*Module]map[string]aval{}, fields: map[fieldKey]aval{},
		calls: map[*pyast.Call]*callRec{}, returns: map[pyast.Node]*sinkRec{}, raises: map[pyast.Node]*sinkRec{},
		attrReads: map[pyast.Node]AttrRead{}, secretLit: map[string]bool{},
	}
	for i, m := range prog.Modules {
		b.modIndex[m] = i
		m.index = i
		if _, dup := b.byName[m.Name]; !dup || strings.HasSuffix(m.Path, "__init__.py") {
			b.byName[m.Name] = m
		}
		// every folder holding a module is a package (namespace or regular)
		parts := strings.Split(m.Name, ".")
		for j := 1; j < len(parts); j++ {
			b.packages[strings.Join(parts[:j], ".")] = true
		}
		if strings.HasSuffix(m.Path, "__init__.py") {
			b.packages[m.Name] = true
		}
	}
	return b
}

// packageModule returns the module standing for a package: its
// __init__.py, or an empty stand-in for a namespace package.
func (b *builder) packageModule(name string) *Module {
	if m := b.byName[name]; m != nil {
		return m
	}
	if m := b.nsMods[name]; m != nil {
		return m
	}
	m := &Module{Name: name}
	b.nsMods[name] = m
	return m
}

func (b *builder) isSecretLiteral(s string) bool {
	if b.opts.IsSecretLiteral == nil || len(s) < 8 {
		return false
	}
	v, ok := b.secretLit[s]
	if !ok {
		v = b.opts.IsSecretLiteral(s)
		b.secretLit[s] = v
	}
	return v
}

// ---------------------------------------------------------------------------
// Collection: units, classes, imports

func (b *builder) collect() {
	for _, m := range b.prog.Modules {
		if m.AST == nil {
			continue
		}
		top := &unit{mod: m, qual: m.Name, name: m.Name, node: m.AST, body: m.AST.Body, top: true,
			globals: map[string]bool{}, reachable: true}
		b.tops[m] = top
		b.units[m.AST] = top
		c := collector{b: b, m: m}
		c.units = append(c.units, top)
		for _, s := range m.AST.Body {
			c.node(s, top, nil, top.qual, 0)
		}
		b.order = append(b.order, c.units...)
	}
	b.sortByImports()
	b.findHandleUnit()
}

type collector struct {
	b     *builder
	m     *Module
	units []*unit
}

// node walks the tree below n, creating a unit for every function and
// lambda and a class for every class statement. u is the unit the code
// runs in, cls the class whose body holds n directly, prefix the
// qualified name of the enclosing scope.
func (c *collector) node(n pyast.Node, u *unit, cls *class, prefix string, depth int) {
	if n == nil || depth > maxExprDepth {
		return
	}
	switch n := n.(type) {
	case *pyast.FunctionDef:
		for _, d := range n.DecoratorList {
			c.node(d, u, nil, prefix, depth+1)
		}
		c.arguments(n.Args, u, prefix, depth)
		nu := c.newUnit(n, n.Name, prefix+"."+n.Name, u, cls)
		nu.body, nu.args, nu.params = n.Body, n.Args, params(n.Args)
		for _, d := range n.DecoratorList {
			if nm, ok := d.(*pyast.Name); ok {
				switch nm.ID {
				case "staticmethod":
					nu.static = true
				case "classmethod":
					nu.classmethod = true
				}
			}
		}
		if cls != nil {
			if cls.methods[n.Name] == nil || true {
				cls.methods[n.Name] = nu
			}
		}
		for _, s := range n.Body {
			c.node(s, nu, nil, nu.qual, depth+1)
		}
		return
	case *pyast.Lambda:
		c.arguments(n.Args, u, prefix, depth)
		line := 0
		if c.m.AST != nil && c.m.AST.File != nil {
			line = c.m.AST.File.Position(n.Pos()).Line
		}
		nu := c.newUnit(n, "<lambda>", prefix+".<lambda:"+strconv.Itoa(line)+">", u, nil)
		nu.expr, nu.args, nu.params = n.Body, n.Args, params(n.Args)
		c.node(n.Body, nu, nil, nu.qual, depth+1)
		return
	case *pyast.ClassDef:
		for _, d := range n.DecoratorList {
			c.node(d, u, nil, prefix, depth+1)
		}
		for _, base := range n.Bases {
			c.node(base, u, nil, prefix, depth+1)
		}
		for _, k := range n.Keywords {
			c.node(k.Value, u, nil, prefix, depth+1)
		}
		k := &class{mod: c.m, qual: prefix + "." + n.Name, node: n, methods: map[string]*unit{}}
		c.b.classes[n] = k
		for _, s := range n.Body {
			c.node(s, u, k, k.qual, depth+1)
		}
		return
	case *pyast.Global:
		for _, name := range n.Names {
			if u.globals == nil {
				u.globals = map[string]bool{}
			}
			u.globals[name] = true
		}
		return
	case *pyast.Nonlocal:
		for _, name := range n.Names {
			if u.nonlocals == nil {
				u.nonlocals = map[string]bool{}
			}
			u.nonlocals[name] = true
		}
		return
	case *pyast.Import:
		for _, a := range n.Names {
			lm := c.b.resolveImport(a.Name, c.m)
			name := a.Name
			if lm != nil {
				name = lm.Name
			}
			c.b.prog.Imports = append(c.b.prog.Imports, Import{Module: c.m, Node: n, Name: name,
				Local: lm != nil || c.b.isPackage(a.Name)})
		}
		return
	case *pyast.ImportFrom:
		base, ok := relativeBase(c.m, n.Level, n.Module)
		if !ok {
			return
		}
		var lm *Module
		if n.Level > 0 {
			lm = c.b.byName[base]
		} else {
			lm = c.b.resolveImport(base, c.m)
		}
		name, local := base, lm != nil || (n.Level > 0) || c.b.isPackage(base)
		if lm != nil {
			name = lm.Name
		}
		c.b.prog.Imports = append(c.b.prog.Imports, Import{Module: c.m, Node: n, Name: name, Local: local})
		for _, a := range n.Names {
			if a.Name == "*" {
				c.b.stars[c.m] = append(c.b.stars[c.m], starImport{name: name, local: lm})
			}
		}
		return
	}
	for _, ch := range pyast.Children(n) {
		c.node(ch, u, cls, prefix, depth+1)
	}
}

// arguments walks parameter defaults and annotations (they run in the
// defining scope).
func (c *collector) arguments(a *pyast.Arguments, u *unit, prefix string, depth int) {
	if a == nil {
		return
	}
	for _, d := range a.Defaults {
		c.node(d, u, nil, prefix, depth+1)
	}
	for _, d := range a.KwDefaults {
		if d != nil {
			c.node(d, u, nil, prefix, depth+1)
		}
	}
}

func (c *collector) newUnit(n pyast.Node, name, qual string, enclosing *unit, cls *class) *unit {
	nu := &unit{mod: c.m, qual: qual, name: name, node: n, cls: cls}
	if !enclosing.top {
		nu.parent = enclosing
	}
	c.b.units[n] = nu
	c.units = append(c.units, nu)
	return nu
}

// sortByImports orders the modules' units so that a module comes after the
// bundle modules it imports (cycles broken by path order); the fixpoint
// converges sooner.
func (b *builder) sortByImports() {
	deps := map[*Module][]*Module{}
	for _, imp := range b.prog.Imports {
		if imp.Local {
			if m := b.byName[imp.Name]; m != nil && m != imp.Module {
				deps[imp.Module] = append(deps[imp.Module], m)
			}
		}
	}
	rank := map[*Module]int{}
	state := map[*Module]uint8{}
	next := 0
	for _, m := range b.prog.Modules {
		// iterative DFS, post-order
		type frame struct {
			m *Module
			i int
		}
		if state[m] != 0 {
			continue
		}
		stack := []frame{{m, 0}}
		state[m] = 1
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.i < len(deps[f.m]) {
				d := deps[f.m][f.i]
				f.i++
				if state[d] == 0 {
					state[d] = 1
					stack = append(stack, frame{d, 0})
				}
				continue
			}
			rank[f.m] = next
			next++
			state[f.m] = 2
			stack = stack[:len(stack)-1]
		}
	}
	sort.SliceStable(b.order, func(i, j int) bool {
		return rank[b.order[i].mod] < rank[b.order[j].mod]
	})
}

// findHandleUnit finds the unit handle denotes and gives its parameters
// their sources: client the caller's client, data the call input, secrets
// the function's secrets.
func (b *builder) findHandleUnit() {
	var u *unit
	switch n := b.prog.Handle.(type) {
	case *pyast.FunctionDef:
		u = b.units[n]
	case *pyast.Assign:
		if l, ok := n.Value.(*pyast.Lambda); ok {
			u = b.units[l]
		}
	case *pyast.AnnAssign:
		if l, ok := n.Value.(*pyast.Lambda); ok {
			u = b.units[l]
		}
	}
	if u != nil {
		b.setHandle(u)
	}
}

func (b *builder) setHandle(u *unit) {
	b.handle = u
	u.reachable = true
	if b.prog.HandleParams == nil {
		b.prog.HandleParams = paramNames(u.args)
	}
	line := 0
	if f := u.mod.AST; f != nil && f.File != nil && u.node != nil {
		line = f.File.Position(u.node.Pos()).Line
	}
	for i, p := range u.params {
		var v aval
		switch p.name {
		case "client":
			v.Kind = KindClient
		case "data":
			v.addLabel(LabelCallInput, Origin{Desc: "data", File: u.mod.Path, Line: line})
		case "secrets":
			v.addLabel(LabelSecret, Origin{Desc: "secrets", File: u.mod.Path, Line: line})
			v.dictSource = true
		default:
			continue
		}
		b.addCtx(u, i, v)
	}
}

// ---------------------------------------------------------------------------
// Stores shared between units

func (b *builder) global(m *Module, name string) (aval, bool) {
	g, ok := b.globals[m][name]
	return g, ok
}

func (b *builder) setGlobal(m *Module, name string, v aval) {
	g := b.globals[m]
	if g == nil {
		g = map[string]aval{}
		b.globals[m] = g
	}
	old, ok := g[name]
	if !ok {
		g[name] = v
		b.storeVer++
		return
	}
	if grows(&old, &v) {
		b.storeVer++
	}
	if !joinKeeps(&old, &v) {
		g[name] = join(old, v)
	}
}

func (b *builder) field(c *class, attr string) aval {
	return b.fields[fieldKey{c.root(), attr}]
}

func (b *builder) setField(c *class, attr string, v aval) {
	k := fieldKey{c.root(), attr}
	old, ok := b.fields[k]
	if !ok {
		b.fields[k] = v
		b.storeVer++
		return
	}
	if grows(&old, &v) {
		b.storeVer++
	}
	if !joinKeeps(&old, &v) {
		b.fields[k] = join(old, v)
	}
}

func (b *builder) addBase(c, base *class) {
	for _, x := range c.bases {
		if x == base {
			return
		}
	}
	c.bases = append(c.bases, base)
	r1, r2 := c.root(), base.root()
	if r1 == r2 {
		return
	}
	r1.parent = r2
	for k, v := range b.fields {
		if k.cls == r1 {
			delete(b.fields, k)
			b.setField(r2, k.attr, v)
		}
	}
	if base.logger {
		c.logger = true
	}
	b.storeVer++
}

// loggerClasses are library classes whose subclasses are loggers.
var loggerClasses = map[string]bool{
	"logging.Logger": true, "logging.LoggerAdapter": true, "logging.Handler": true,
	"logging.StreamHandler": true, "logging.FileHandler": true, "logger": true,
}

func (b *builder) addExtBase(c *class, q string) {
	for _, x := range c.extBases {
		if x == q {
			return
		}
	}
	c.extBases = append(c.extBases, q)
	if loggerClasses[q] {
		c.logger = true
	}
}

func (b *builder) addCtx(u *unit, i int, v aval) {
	if i < 0 || i >= len(u.params) {
		return
	}
	if u.ctx == nil {
		u.ctx = make([]aval, len(u.params))
	}
	if grows(&u.ctx[i], &v) {
		u.ctxVer++
	}
	if !joinKeeps(&u.ctx[i], &v) {
		u.ctx[i] = join(u.ctx[i], v)
	}
}

func (b *builder) addDefault(u *unit, i int, v aval) {
	if i < 0 || i >= len(u.params) {
		return
	}
	if u.defaults == nil {
		u.defaults = make([]aval, len(u.params))
	}
	v = stripParams(v)
	if grows(&u.defaults[i], &v) {
		u.ctxVer++
	}
	if !joinKeeps(&u.defaults[i], &v) {
		u.defaults[i] = join(u.defaults[i], v)
	}
	b.addCtx(u, i, v)
}

func (b *builder) edge(from, to *unit) {
	if from == nil || to == nil {
		return
	}
	if from.callees == nil {
		from.callees = map[*unit]bool{}
	}
	from.callees[to] = true
	if !to.called {
		// its summary is needed from now on
		to.called, to.evaluated = true, false
	}
}

// ---------------------------------------------------------------------------
// Evaluation

func (b *builder) run() {
	for round := 0; round < maxRounds && !b.stopped; round++ {
		evaluated := false
		for _, u := range b.order {
			if b.stopped {
				break
			}
			if u.evaluated && b.deps(u) == u.evalDeps && len(u.callees) == u.evalCallees {
				continue // nothing it reads has changed since its last evaluation
			}
			evaluated = true
			u.evaluated = true
			u.evalDeps = b.deps(u)
			if !u.top && u.called {
				b.eval(u, summaryMode)
			}
			b.eval(u, concreteMode)
			u.evalCallees = len(u.callees)
		}
		if b.handle == nil {
			b.handleFromAssign()
		}
		b.rounds = round + 1
		if !evaluated {
			break
		}
	}
	if b.stopped {
		b.prog.Truncated = fmt.Sprintf("the data-flow analysis stopped after %d steps (the limit for one bundle); "+
			"findings so far are kept, the rest of the code was not analysed", b.budget)
	}
}

// deps sums the versions of everything a unit's evaluation reads: the
// shared stores, its parameters' context, what its callees return and its
// enclosing functions' scopes. Versions only grow, so an unchanged sum
// means nothing changed.
func (b *builder) deps(u *unit) int {
	n := b.storeVer + u.ctxVer
	for c := range u.callees {
		n += c.retVer
	}
	for p := u.parent; p != nil; p = p.parent {
		n += p.envVer
	}
	return n
}

// handleFromAssign resolves `handle = some_function` once the handler
// module's top level has run.
func (b *builder) handleFromAssign() {
	h := b.prog.Handler
	if h == nil || b.prog.Handle == nil {
		return
	}
	if _, ok := b.prog.Handle.(*pyast.FunctionDef); ok {
		return
	}
	top := b.tops[h]
	if top == nil {
		return
	}
	var v aval
	vp, ok := top.conEnv["handle"]
	if ok {
		v = *vp
	} else {
		v, ok = b.globals[h]["handle"]
	}
	if !ok {
		return
	}
	fn := v.fn
	if fn == nil {
		// handle = wrapper(real): take the first function argument
		if a, ok := b.prog.Handle.(*pyast.Assign); ok {
			if c, ok := a.Value.(*pyast.Call); ok {
				for _, arg := range c.Args {
					if n, ok := arg.(*pyast.Name); ok {
						if g, ok := b.globals[h][n.ID]; ok && g.fn != nil {
							fn = g.fn
							break
						}
					}
				}
			}
		}
	}
	if fn != nil {
		b.prog.HandleParams = nil
		b.setHandle(fn)
	}
}

// eval evaluates one unit once in the given mode.
func (b *builder) eval(u *unit, m mode) {
	in := &b.in // evaluations do not nest: one interpreter serves them all
	*in = interp{b: b, u: u, mod: u.mod, mode: m, env: scope{}, outer: in.outer[:0], raised: in.raised[:0], undo: in.undo[:0]}
	b.resetEnvSlab()
	for i, p := range u.params {
		v := b.envVal(&aval{})
		if i < len(u.ctx) {
			*v = u.ctx[i]
		}
		if m == summaryMode {
			id := *v
			*v = aval{}
			v.Kind, v.Qual, v.fn, v.cls, v.inst, v.mod = id.Kind, id.Qual, id.fn, id.cls, id.inst, id.mod
			bit := uint(i)
			if bit > 63 {
				bit = 63
			}
			v.params = 1 << bit
		}
		if i == 0 && u.cls != nil && !u.static {
			v.cls, v.inst = u.cls, !u.classmethod
			if v.Kind == KindUnknown {
				v.Kind, v.Qual = KindInstance, u.cls.qual
				if u.classmethod {
					v.Kind = KindLocalFunc
				}
			}
		}
		if p.kind == paramVararg || p.kind == paramKwarg {
			v.Kind, v.Qual, v.fn, v.cls = KindUnknown, "", nil, nil
		}
		in.env[p.name] = v
	}
	if u.expr != nil {
		v := in.expr(u.expr)
		in.returnValue(u.expr, v)
	} else {
		in.stmts(u.body)
	}
	if m == concreteMode {
		if u.conEnv == nil {
			for k, v := range in.env {
				in.env[k] = keep(v) // off the slab
			}
			u.conEnv = in.env
			u.envVer++
		} else {
			for k, v := range in.env {
				old, ok := u.conEnv[k]
				switch {
				case !ok:
					u.conEnv[k] = keep(v)
					u.envVer++
				case old != v:
					if grows(old, v) {
						u.envVer++
					}
					if !joinKeeps(old, v) {
						j := join(*old, *v)
						u.conEnv[k] = &j
					}
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Recording

func (b *builder) recordCall(u *unit, m *Module, c *pyast.Call, callee string, kind ValueKind, fv *aval, args *callArgs) {
	r := b.calls[c]
	if r == nil {
		r = &callRec{u: u, mod: m, call: c}
		b.calls[c] = r
	}
	if callee != "" || r.callee == "" {
		r.callee, r.kind = callee, kind
	}
	if len(r.args) != len(args.pos) {
		r.args = make([]aval, len(args.pos))
	}
	for i := range args.pos {
		if !joinKeeps(&r.args[i], &args.pos[i]) {
			r.args[i] = join(r.args[i], args.pos[i])
		}
	}
	if len(args.kws) > 0 && r.kws == nil {
		r.kws = map[string]aval{}
	}
	for i := range args.kws {
		k := &args.kws[i]
		if old, ok := r.kws[k.name]; !ok || !joinKeeps(&old, &k.val) {
			r.kws[k.name] = join(old, k.val)
		}
	}
	if fv.recv != nil && !joinKeeps(&r.recv, fv.recv) {
		r.recv = join(r.recv, *fv.recv)
	}
}

func (b *builder) recordReturn(m *Module, node pyast.Node, v aval) {
	r := b.returns[node]
	if r == nil {
		b.returns[node] = &sinkRec{mod: m, node: node, val: v}
		return
	}
	r.val = join(r.val, v)
}

func (b *builder) recordRaise(u *unit, m *Module, node pyast.Node, v aval) {
	r := b.raises[node]
	if r == nil {
		b.raises[node] = &sinkRec{u: u, mod: m, node: node, val: v}
		return
	}
	r.val = join(r.val, v)
}

func (b *builder) recordAttrRead(m *Module, node pyast.Node, path string, kind ValueKind) {
	if node == nil {
		return
	}
	if _, ok := b.attrReads[node]; !ok {
		b.attrReads[node] = AttrRead{Module: m, Node: node, Path: path, Kind: kind}
	}
}

// ---------------------------------------------------------------------------
// Results

func (b *builder) finish() {
	b.reach()
	p := b.prog
	less := func(mi, mj *Module, pi, pj pyast.Pos) bool {
		if mi != mj {
			return mi.idx() < mj.idx()
		}
		return pi < pj
	}
	recs := make([]*callRec, 0, len(b.calls))
	for _, r := range b.calls {
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].mod == recs[j].mod && recs[i].call.Pos() == recs[j].call.Pos() {
			return recs[i].call.End() > recs[j].call.End()
		}
		return less(recs[i].mod, recs[j].mod, recs[i].call.Pos(), recs[j].call.Pos())
	})
	p.Calls = make([]*CallSite, 0, len(recs))
	for _, r := range recs {
		cs := &CallSite{Module: r.mod, Call: r.call, Callee: r.callee, Kind: r.kind,
			Receiver: r.recv.public(), Reachable: r.u.reachable || r.u.top}
		cs.Args = make([]Value, len(r.args))
		for i := range r.args {
			cs.Args[i] = r.args[i].public()
		}
		if len(r.kws) > 0 {
			cs.Keywords = make(map[string]Value, len(r.kws))
			for k, v := range r.kws {
				cs.Keywords[k] = v.public()
			}
		}
		p.Calls = append(p.Calls, cs)
	}
	sinks := func(m map[pyast.Node]*sinkRec, reachableOnly bool) []Sink {
		var out []Sink
		for _, r := range m {
			if reachableOnly && r.u != nil && !r.u.reachable && !r.u.top {
				continue
			}
			out = append(out, Sink{Module: r.mod, Node: r.node, Value: r.val.public()})
		}
		sort.Slice(out, func(i, j int) bool {
			return less(out[i].Module, out[j].Module, out[i].Node.Pos(), out[j].Node.Pos())
		})
		return out
	}
	p.Returns = sinks(b.returns, false)
	p.Raises = sinks(b.raises, true)
	for _, a := range b.attrReads {
		p.AttrReads = append(p.AttrReads, a)
	}
	sort.Slice(p.AttrReads, func(i, j int) bool {
		return less(p.AttrReads[i].Module, p.AttrReads[j].Module, p.AttrReads[i].Node.Pos(), p.AttrReads[j].Node.Pos())
	})
}

// public is the Value part of an abstract value as families see it.
func (a *aval) public() Value {
	v := a.Value
	if v.Kind == KindUnknown && a.fn != nil {
		v.Kind, v.Qual = KindLocalFunc, a.fn.qual
	}
	return v
}

// reach marks the units reachable from handle and the modules' top levels.
// A unit that looks functions up by computed name (getattr(module, x),
// globals()[x]) may reach any function of its module.
func (b *builder) reach() {
	var stack []*unit
	for _, u := range b.order {
		if u.top || u == b.handle {
			u.reachable = true
			stack = append(stack, u)
		} else {
			u.reachable = false
		}
	}
	dynMods := map[*Module]bool{}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if u.dynamic && !dynMods[u.mod] {
			dynMods[u.mod] = true
			for _, v := range b.order {
				if v.mod == u.mod && !v.reachable {
					v.reachable = true
					stack = append(stack, v)
				}
			}
		}
		for v := range u.callees {
			if !v.reachable {
				v.reachable = true
				stack = append(stack, v)
			}
		}
	}
}
