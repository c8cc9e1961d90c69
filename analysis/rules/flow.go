package rules

import (
	"github.com/cdf-preflight/preflight/analysis/pyast"
)

// The data flow is an abstract interpreter over the bundle's code. Each
// function (and each module's top level, and each lambda) is a unit. A unit
// is evaluated in two modes:
//
//   - summary mode binds each parameter to a symbolic bit, so the value a
//     function returns says which parameters flow into it; a call site
//     instantiates that summary with its own arguments (precise returns);
//   - concrete mode binds each parameter to the join of the arguments of
//     every call site (context-insensitive), so calls inside helpers see the
//     labels their callers pass in; only this mode records call sites.
//
// Units are evaluated in rounds until nothing grows (bounded), with a work
// budget over the whole bundle.

// aval is the interpreter's abstract value: the public Value plus what the
// interpreter needs internally.
type aval struct {
	Value
	params uint64  // summary mode: parameters of the unit being evaluated that flow into the value
	fn     *unit   // a function of the bundle (KindLocalFunc)
	cls    *class  // a class of the bundle (inst false) or an instance of it (inst true)
	mod    *Module // a module of the bundle (KindModule)
	recv   *aval   // for a bound attribute: the object it was read from
	attr   string  // for a bound attribute: its name
	elts   []aval  // tuple or list display structure, when known
	inst   bool    // cls is the value's class
	// elemParams (summary mode): parameters only whose elements or keys
	// flow into the value, so the caller's argument contributes what its
	// elements are (a mapping of secrets gives names, not values).
	elemParams uint64
	// dictSource marks a whole mapping of secrets (handle's secrets,
	// os.environ): iterating it or its keys() gives names, not values.
	dictSource bool
}

// maxElts bounds the tuple structure kept on a value.
const maxElts = 16

// maxStrParts and maxStrBytes bound the partial string kept on a value
// (s += s in a loop doubles it).
const (
	maxStrParts = 32
	maxStrBytes = 4096
)

// addLabel adds one label with its origin (kept only if the label is new).
func (a *aval) addLabel(l Labels, o Origin) {
	if a.Labels.Has(l) {
		return
	}
	o.Label = l
	a.Labels |= l
	a.Origins = append(a.Origins[:len(a.Origins):len(a.Origins)], o)
}

// mergeLabels adds b's labels, origins and parameter bits to a.
func (a *aval) mergeLabels(b *aval) {
	if b.Labels&^a.Labels != 0 {
		for _, o := range b.Origins {
			if !a.Labels.Has(o.Label) {
				a.Labels |= o.Label
				a.Origins = append(a.Origins[:len(a.Origins):len(a.Origins)], o)
			}
		}
		a.Labels |= b.Labels
	}
	a.params |= b.params
	a.elemParams |= b.elemParams
}

// tainted reports whether the value carries any label or parameter bit.
func (a *aval) tainted() bool { return a.Labels != 0 || a.params != 0 || a.elemParams != 0 }

// labelsOf returns a value with only a's labels and parameter bits.
func labelsOf(a *aval) aval {
	return aval{Value: Value{Labels: a.Labels, Origins: a.Origins}, params: a.params, elemParams: a.elemParams}
}

// bottom reports whether a says nothing at all (the start of a join).
func (a *aval) bottom() bool {
	return !a.tainted() && !a.hasIdentity() && !a.HasStr && len(a.elts) == 0 && !a.dictSource
}

// hasIdentity reports whether a says what object it is beyond its labels.
func (a *aval) hasIdentity() bool {
	return a.Kind != KindUnknown || a.fn != nil || a.cls != nil || a.mod != nil || a.attr != ""
}

// identityWeaker reports whether b knows more of what the value is than a:
// a has no identity, or only that it is an attribute of something unknown
// (a summary's client.config) where b has a kind (the caller's client.config).
func identityWeaker(a, b *aval) bool {
	if !a.hasIdentity() {
		return b.hasIdentity()
	}
	return a.Kind == KindUnknown && a.fn == nil && a.cls == nil && a.mod == nil && b.Kind != KindUnknown
}

// join returns the union of a and b: labels of both; the identity (kind,
// qualified name, function, class) of a, else b; the string only when both
// agree; tuple structure when both have the same length.
func join(a, b aval) aval {
	out := a
	out.mergeLabels(&b)
	out.dictSource = (a.dictSource || a.bottom()) && (b.dictSource || b.bottom()) && !(a.bottom() && b.bottom())
	if identityWeaker(&a, &b) {
		out.Kind, out.Qual, out.fn, out.cls, out.inst, out.mod, out.recv, out.attr =
			b.Kind, b.Qual, b.fn, b.cls, b.inst, b.mod, b.recv, b.attr
	}
	switch {
	case a.HasStr && b.HasStr:
		if !sameStr(a.Str, b.Str) {
			out.HasStr, out.Str = false, pyast.PartialString{}
		}
	case b.HasStr && !a.HasStr && !a.tainted() && !a.hasIdentity() && len(a.elts) == 0:
		out.HasStr, out.Str = true, b.Str
	}
	switch {
	case len(a.elts) > 0 && len(a.elts) == len(b.elts):
		elts := make([]aval, len(a.elts))
		for i := range elts {
			elts[i] = join(a.elts[i], b.elts[i])
		}
		out.elts = elts
	case len(a.elts) == 0 && len(b.elts) > 0 && !a.tainted() && !a.hasIdentity():
		out.elts = b.elts
	default:
		out.elts = nil
	}
	return out
}

// joinKeeps reports whether join(*a, *b) equals *a in every field, so
// that a join into a can keep a as it is.
func joinKeeps(a, b *aval) bool {
	if b.Labels&^a.Labels != 0 || b.params&^a.params != 0 || b.elemParams&^a.elemParams != 0 {
		return false
	}
	if identityWeaker(a, b) {
		return false
	}
	ab, bb := a.bottom(), b.bottom()
	if ((a.dictSource || ab) && (b.dictSource || bb) && !(ab && bb)) != a.dictSource {
		return false
	}
	switch {
	case a.HasStr && b.HasStr:
		if !sameStr(a.Str, b.Str) {
			return false
		}
	case b.HasStr && !a.HasStr && !a.tainted() && !a.hasIdentity() && len(a.elts) == 0:
		return false
	}
	switch {
	case len(a.elts) > 0 && len(a.elts) == len(b.elts):
		for i := range a.elts {
			if !joinKeeps(&a.elts[i], &b.elts[i]) {
				return false
			}
		}
	case len(a.elts) == 0 && len(b.elts) > 0 && !a.tainted() && !a.hasIdentity():
		return false
	case len(a.elts) > 0:
		return false // the join drops the structure
	}
	return true
}

// grows reports whether join(old, new) differs from old in what the
// fixpoint tracks (labels, parameter bits, identity).
func grows(old, nw *aval) bool {
	if nw.Labels&^old.Labels != 0 || nw.params&^old.params != 0 || nw.elemParams&^old.elemParams != 0 {
		return true
	}
	return identityWeaker(old, nw)
}

func sameStr(a, b pyast.PartialString) bool {
	if len(a.Parts) != len(b.Parts) {
		return false
	}
	for i := range a.Parts {
		if a.Parts[i] != b.Parts[i] {
			return false
		}
	}
	return true
}

// strValue is a known constant string.
func strValue(s string) aval {
	return aval{Value: Value{Str: pyast.PartialString{Parts: []string{s}}, HasStr: true}}
}

// concatStr joins partial strings; a nil side is an unknown part.
func concatStr(parts ...*pyast.PartialString) (pyast.PartialString, bool) {
	var out []string
	known := false
	size := 0
	for _, p := range parts {
		if p == nil || len(p.Parts) == 0 {
			// a hole
			if len(out) == 0 {
				out = append(out, "")
			}
			out = append(out, "")
			continue
		}
		known = true
		if len(out) == 0 {
			out = append(out, p.Parts...)
		} else {
			out[len(out)-1] += p.Parts[0]
			out = append(out, p.Parts[1:]...)
		}
		for _, s := range p.Parts {
			size += len(s)
		}
	}
	if !known || len(out) > maxStrParts || size > maxStrBytes {
		if known && len(out) > 0 && len(out[0]) <= maxStrBytes {
			// keep the prefix: what a URL starts with matters most
			return pyast.PartialString{Parts: []string{out[0], ""}}, true
		}
		return pyast.PartialString{}, false
	}
	return pyast.PartialString{Parts: out}, true
}

// ---------------------------------------------------------------------------
// Units and classes

type paramKind uint8

const (
	paramPositional paramKind = iota
	paramVararg
	paramKwOnly
	paramKwarg
)

type param struct {
	name string
	kind paramKind
}

// unit is a piece of code evaluated as a whole: a module's top level, a
// function or method, or a lambda.
type unit struct {
	mod    *Module
	qual   string // "helpers.send", "handler.Client.post", "handler.<lambda:12>", "handler" for a top level
	name   string
	node   pyast.Node // *pyast.FunctionDef, *pyast.Lambda or *pyast.Module
	body   []pyast.Stmt
	expr   pyast.Expr // a lambda's body
	args   *pyast.Arguments
	params []param
	parent *unit  // the enclosing function (nil for module-level code)
	cls    *class // the class a method belongs to
	top    bool   // a module's top level

	static, classmethod bool

	globals   map[string]bool // names declared global
	nonlocals map[string]bool // names declared nonlocal

	defaults []aval // per parameter: the default value (join)
	ctx      []aval // per parameter: the join of the arguments of every call (concrete mode)
	sumRet   aval   // what it returns, summary mode
	conRet   aval   // what it returns, concrete mode
	conEnv   scope
	// sumMut (summary mode), per parameter: what the unit stores into the
	// object the caller passed (buf.append(x), d[k] = x, d.update(x)); a
	// call site adds it to the argument. Growing it grows retVer.
	sumMut []aval
	// rebound names the unit binds besides its parameters (nil until
	// needed): a parameter rebound may no longer be the caller's object.
	rebound map[string]bool

	callees   map[*unit]bool
	called    bool // some bundle code calls it (its summary matters)
	reachable bool

	// what the fixpoint knows of the last evaluation
	evaluated      bool
	evalDeps       int
	evalCallees    int
	ctxVer, retVer int  // grow with ctx/defaults, sumRet/conRet
	envVer         int  // grows with conEnv
	dynamic        bool // does getattr(module/self, computed) or globals()[…]: anything in reach may run
}

// class is a class defined in the bundle.
type class struct {
	mod      *Module
	qual     string
	node     *pyast.ClassDef
	methods  map[string]*unit
	bases    []*class
	extBases []string
	parent   *class // union-find: classes related by inheritance share fields
	logger   bool   // subclasses logging.Logger / LoggerAdapter / Handler
}

// root returns the representative of c's inheritance family.
func (c *class) root() *class {
	for c.parent != nil && c.parent != c {
		c = c.parent
	}
	return c
}

// lookupMethod finds a method by name in c and its bundle base classes.
func (c *class) lookupMethod(name string) *unit {
	seen := map[*class]bool{}
	stack := []*class{c}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if k == nil || seen[k] {
			continue
		}
		seen[k] = true
		if u := k.methods[name]; u != nil {
			return u
		}
		for i := len(k.bases) - 1; i >= 0; i-- {
			stack = append(stack, k.bases[i])
		}
	}
	return nil
}

// fieldKey names an attribute of the instances of a class family.
type fieldKey struct {
	cls  *class
	attr string
}

// mode is the evaluation mode of a unit.
type mode uint8

const (
	summaryMode mode = iota
	concreteMode
)

// ---------------------------------------------------------------------------
// The interpreter: statements

// interp evaluates one unit once.
type interp struct {
	b    *builder
	u    *unit
	mod  *Module
	mode mode
	env  scope
	// classEnv is the namespace of the class body being evaluated (nil
	// outside one); outer holds the enclosing namespaces while in it.
	classEnv *class
	outer    []scope
	// raised collects what the innermost try body raises (for except … as e).
	raised []*aval
	depth  int
	// inside a comprehension (undoing > 0) every binding of the scope is
	// logged in undo, to be put back when it ends
	undoing int
	undo    []undoEntry
}

type undoEntry struct {
	name string
	old  *aval
	had  bool
}

// maxExprDepth bounds the interpreter's recursion on deep expressions.
const maxExprDepth = 4000

// scope maps names to values. Values are shared between copies and never
// changed in place: an assignment stores a new value, so copying a scope
// is cheap and joining two scopes skips what they share.
type scope map[string]*aval

func copyEnv(e scope) scope {
	c := make(scope, len(e)+4)
	for k, v := range e {
		c[k] = v
	}
	return c
}

func joinEnv(a, b scope) scope {
	out := copyEnv(a)
	for k, vb := range b {
		va, ok := out[k]
		switch {
		case !ok:
			out[k] = vb
		case va != vb && !joinKeeps(va, vb):
			j := join(*va, *vb)
			out[k] = &j
		}
	}
	return out
}

// joinInto joins src into dst in place.
func joinInto(dst, src scope) {
	for k, vs := range src {
		vd, ok := dst[k]
		switch {
		case !ok:
			dst[k] = vs
		case vd != vs && !joinKeeps(vd, vs):
			j := join(*vd, *vs)
			dst[k] = &j
		}
	}
}

// sameEnv reports whether b adds nothing to a that the fixpoint tracks.
func sameEnv(a, b scope) bool {
	if len(a) != len(b) {
		return false
	}
	for k, vb := range b {
		va, ok := a[k]
		if !ok {
			return false
		}
		if va != vb && grows(va, vb) {
			return false
		}
	}
	return true
}

// Values bound in the scopes of one evaluation come from a slab the next
// evaluation reuses: only the unit's final scope outlives the evaluation
// (unit.conEnv), and eval copies what it keeps of it to the heap.
const (
	envSlabSize   = 256
	envSlabChunks = 16 // per evaluation; beyond, values go to the heap
)

// envVal returns a pointer to a copy of v for a scope of the current
// evaluation.
func (b *builder) envVal(v *aval) *aval {
	if len(b.envSlab) == cap(b.envSlab) {
		if b.envChunks >= envSlabChunks {
			c := *v
			return &c
		}
		b.envChunks++
		b.envSlab = make([]aval, 0, envSlabSize)
	}
	b.envSlab = append(b.envSlab, *v)
	return &b.envSlab[len(b.envSlab)-1]
}

// resetEnvSlab makes the slab free for the next evaluation: nothing may
// point into it any more.
func (b *builder) resetEnvSlab() {
	clear(b.envSlab)
	b.envSlab, b.envChunks = b.envSlab[:0], 0
}

// spend counts one unit of work; false once the budget is exhausted.
func (in *interp) spend() bool {
	b := in.b
	if b.stopped {
		return false
	}
	b.work++
	if b.work > b.budget {
		b.stopped = true
		return false
	}
	return true
}

func (in *interp) stmts(list []pyast.Stmt) {
	for _, s := range list {
		if in.b.stopped {
			return
		}
		in.stmt(s)
	}
}

func (in *interp) stmt(s pyast.Stmt) {
	if !in.spend() {
		return
	}
	if in.depth >= maxExprDepth {
		return
	}
	in.depth++
	in.stmt1(s)
	in.depth--
}

func (in *interp) stmt1(s pyast.Stmt) {
	switch s := s.(type) {
	case *pyast.FunctionDef:
		in.defStmt(s)
	case *pyast.ClassDef:
		in.classStmt(s)
	case *pyast.Return:
		if s.Value == nil {
			return
		}
		v := in.expr(s.Value)
		in.returnValue(s, v)
	case *pyast.Delete:
		// nothing flows
	case *pyast.Assign:
		v := in.expr(s.Value)
		for _, t := range s.Targets {
			in.assign(t, v)
		}
	case *pyast.AugAssign:
		in.augAssign(s)
	case *pyast.AnnAssign:
		if s.Value != nil {
			in.assign(s.Target, in.expr(s.Value))
		}
	case *pyast.For:
		it := in.expr(s.Iter)
		in.loop(func() { in.assign(s.Target, elementOf(&it)) }, s.Body)
		in.stmts(s.Orelse)
	case *pyast.While:
		in.expr(s.Test)
		in.loop(func() { in.expr(s.Test) }, s.Body)
		in.stmts(s.Orelse)
	case *pyast.If:
		in.expr(s.Test)
		pre := in.env
		in.env = copyEnv(pre)
		in.stmts(s.Body)
		body := in.env
		in.env = pre // the else branch continues in the scope it owns
		in.stmts(s.Orelse)
		joinInto(in.env, body)
	case *pyast.With:
		for _, item := range s.Items {
			v := in.expr(item.ContextExpr)
			if item.OptionalVars != nil {
				in.assign(item.OptionalVars, in.enterValue(item.ContextExpr, v))
			}
		}
		in.stmts(s.Body)
	case *pyast.Match:
		subj := in.expr(s.Subject)
		pre := in.env
		var out scope
		for _, c := range s.Cases {
			in.env = copyEnv(pre)
			in.bindPattern(c.Pattern, subj)
			if c.Guard != nil {
				in.expr(c.Guard)
			}
			in.stmts(c.Body)
			if out == nil {
				out = in.env
			} else {
				out = joinEnv(out, in.env)
			}
		}
		if out != nil {
			in.env = joinEnv(pre, out)
		}
	case *pyast.Raise:
		var v aval
		if s.Exc != nil {
			v = in.expr(s.Exc)
		}
		if s.Cause != nil {
			c := in.expr(s.Cause)
			v.mergeLabels(&c)
		}
		in.raise(s, v)
	case *pyast.Try:
		in.tryStmt(s)
	case *pyast.Assert:
		in.expr(s.Test)
		if s.Msg != nil {
			in.raise(s, in.expr(s.Msg))
		}
	case *pyast.Import:
		in.importStmt(s)
	case *pyast.ImportFrom:
		in.importFromStmt(s)
	case *pyast.Global, *pyast.Nonlocal:
		// collected before evaluation
	case *pyast.ExprStmt:
		in.expr(s.Value)
	}
}

// loop evaluates a loop body until the environment at its head is stable
// (at most a few times), head running at the start of each iteration.
func (in *interp) loop(head func(), body []pyast.Stmt) {
	pre := in.env
	in.env = copyEnv(pre)
	for i := 0; i < 4 && !in.b.stopped; i++ {
		start := copyEnv(in.env)
		head()
		in.stmts(body)
		next := joinEnv(start, in.env)
		if sameEnv(start, next) {
			in.env = next
			break
		}
		in.env = next
	}
	in.env = joinEnv(pre, in.env)
}

func (in *interp) tryStmt(s *pyast.Try) {
	pre := in.env
	in.env = copyEnv(pre)
	var raised aval
	in.raised = append(in.raised, &raised)
	in.stmts(s.Body)
	in.raised = in.raised[:len(in.raised)-1]
	body := in.env
	out := joinEnv(pre, body)
	mid := out
	for _, h := range s.Handlers {
		in.env = copyEnv(mid)
		if h.Type != nil {
			in.expr(h.Type)
		}
		if h.Name != "" {
			in.setName(h.Name, labelsOf(&raised))
		}
		in.stmts(h.Body)
		out = joinEnv(out, in.env)
	}
	in.env = body
	in.stmts(s.Orelse)
	out = joinEnv(out, in.env)
	in.env = out
	in.stmts(s.Finalbody)
}

// raise records an exception raised with v and hands v to an enclosing
// try's handlers.
func (in *interp) raise(node pyast.Node, v aval) {
	if n := len(in.raised); n > 0 {
		in.raised[n-1].mergeLabels(&v)
	}
	if in.mode == concreteMode && v.Labels != 0 {
		in.b.recordRaise(in.u, in.mod, node, v)
	}
}

// returnValue adds v to what the unit returns.
func (in *interp) returnValue(node pyast.Node, v aval) {
	u := in.u
	if in.mode == summaryMode {
		if grows(&u.sumRet, &v) {
			u.retVer++
		}
		if !joinKeeps(&u.sumRet, &v) {
			u.sumRet = join(u.sumRet, v)
		}
		return
	}
	if grows(&u.conRet, &v) {
		u.retVer++
	}
	if !joinKeeps(&u.conRet, &v) {
		u.conRet = join(u.conRet, v)
	}
	if u == in.b.handle {
		in.b.recordReturn(in.mod, node, v)
	}
}

// enterValue is the value `with x as y` binds: the object itself for
// files, sessions and clients, or what a bundle class's __enter__ returns.
func (in *interp) enterValue(e pyast.Expr, v aval) aval {
	if v.cls != nil && v.inst {
		if m := v.cls.lookupMethod("__enter__"); m != nil {
			r := in.callUnit(nil, m, &v, nil, nil)
			if r.hasIdentity() || r.tainted() {
				return r
			}
		}
	}
	return v
}

// elementOf is an element of an iterable value: its labels, or the join of
// its known elements.
func elementOf(v *aval) aval {
	if len(v.elts) > 0 {
		out := v.elts[0]
		for _, e := range v.elts[1:] {
			out = join(out, e)
		}
		out.mergeLabels(v)
		return out
	}
	out := labelsOf(v)
	if v.dictSource {
		out = without(out, LabelSecret|LabelEnvSecret)
	}
	// An element of a parameter is what the caller's argument's elements
	// are: applySummary takes them with elementOf.
	out.elemParams |= out.params
	out.params = 0
	return out
}

// without returns v without the labels of m (and their origins).
func without(v aval, m Labels) aval {
	if !v.Labels.Has(m) {
		return v
	}
	var origins []Origin
	for _, o := range v.Origins {
		if o.Label&m == 0 {
			origins = append(origins, o)
		}
	}
	v.Labels &^= m
	v.Origins = origins
	return v
}

func (in *interp) bindPattern(p pyast.Pattern, subj aval) {
	if p == nil {
		return
	}
	pyast.Inspect(p, func(n pyast.Node) bool {
		switch n := n.(type) {
		case *pyast.MatchAs:
			if n.Name != "" {
				in.setName(n.Name, labelsOf(&subj))
			}
		case *pyast.MatchStar:
			if n.Name != "" {
				in.setName(n.Name, labelsOf(&subj))
			}
		case *pyast.MatchMapping:
			if n.Rest != "" {
				in.setName(n.Rest, labelsOf(&subj))
			}
		case pyast.Expr:
			in.expr(n)
			return false
		}
		return true
	})
}

// ---------------------------------------------------------------------------
// Assignment

// setName binds a name in the current scope (strong update) and, for
// module-level code, global declarations and class bodies, in the stores
// other units read.
func (in *interp) setName(name string, v aval) {
	if in.undoing > 0 {
		old, had := in.env[name]
		in.undo = append(in.undo, undoEntry{name, old, had})
	}
	if in.classEnv != nil {
		in.env[name] = in.b.envVal(&v)
		in.b.setField(in.classEnv, name, v)
		return
	}
	in.env[name] = in.b.envVal(&v)
	u := in.u
	switch {
	case u.top || u.globals[name]:
		in.b.setGlobal(in.mod, name, stripParams(v))
	case u.nonlocals[name]:
		for p := u.parent; p != nil; p = p.parent {
			if _, ok := p.conEnv[name]; ok || p.parent == nil {
				if p.conEnv == nil {
					p.conEnv = scope{}
				}
				var old aval
				if o := p.conEnv[name]; o != nil {
					old = *o
				}
				nv := stripParams(v)
				if grows(&old, &nv) {
					p.envVer++
				}
				j := join(old, nv)
				p.conEnv[name] = &j
				break
			}
		}
	}
}

// stripParams drops parameter bits (they mean nothing outside the unit).
func stripParams(v aval) aval {
	v.params, v.elemParams = 0, 0
	if len(v.elts) > 0 {
		elts := make([]aval, len(v.elts))
		for i := range v.elts {
			elts[i] = stripParams(v.elts[i])
		}
		v.elts = elts
	}
	return v
}

func (in *interp) assign(t pyast.Expr, v aval) {
	switch t := t.(type) {
	case *pyast.Name:
		in.setName(t.ID, v)
	case *pyast.Tuple:
		in.assignSeq(t.Elts, v)
	case *pyast.List:
		in.assignSeq(t.Elts, v)
	case *pyast.Starred:
		in.assign(t.Value, labelsOf(&v))
	case *pyast.Attribute:
		obj := in.expr(t.Value)
		in.setAttr(t, &obj, t.Attr, v)
	case *pyast.Subscript:
		in.expr(t.Slice)
		in.taintTarget(t.Value, v)
	}
}

func (in *interp) assignSeq(targets []pyast.Expr, v aval) {
	starred := false
	for _, t := range targets {
		if _, ok := t.(*pyast.Starred); ok {
			starred = true
		}
	}
	if !starred && len(v.elts) == len(targets) {
		for i, t := range targets {
			in.assign(t, v.elts[i])
		}
		return
	}
	e := elementOf(&v)
	for _, t := range targets {
		in.assign(t, e)
	}
}

// setAttr stores v as attribute attr of obj: a field of a bundle class's
// instances, a global of a bundle module, or else a mutation of obj.
func (in *interp) setAttr(t *pyast.Attribute, obj *aval, attr string, v aval) {
	switch {
	case obj.cls != nil:
		in.b.setField(obj.cls, attr, stripParams(v))
	case obj.mod != nil:
		in.b.setGlobal(obj.mod, attr, stripParams(v))
	case t != nil:
		in.taintTarget(t.Value, v)
	}
}

// taintTarget adds v's labels to the variable (or field) an expression
// such as d, d["k"], self.items or a.b.c is rooted at (a weak update: the
// container now holds v).
func (in *interp) taintTarget(e pyast.Expr, v aval) {
	if !v.tainted() {
		return
	}
	for i := 0; i < maxExprDepth; i++ {
		switch x := e.(type) {
		case *pyast.Name:
			old, ok := in.lookup(x.ID)
			if !ok {
				return
			}
			nv := old
			nv.mergeLabels(&v)
			in.setName(x.ID, nv)
			if in.mode == summaryMode && in.classEnv == nil {
				if i := in.u.paramObject(x.ID); i >= 0 {
					in.u.addMutation(i, labelsOf(&v))
				}
			}
			return
		case *pyast.Attribute:
			obj := in.peek(x.Value)
			if obj.cls != nil && obj.inst {
				old := in.b.field(obj.cls, x.Attr)
				nv := old
				nv.mergeLabels(&v)
				in.b.setField(obj.cls, x.Attr, stripParams(nv))
				return
			}
			e = x.Value
		case *pyast.Subscript:
			e = x.Value
		case *pyast.Starred:
			e = x.Value
		default:
			return
		}
	}
}

// paramObject returns the index of the parameter named name when the
// name still is the object the caller passed (a positional or keyword-only
// parameter the unit never rebinds), else -1.
func (u *unit) paramObject(name string) int {
	idx := -1
	for i, p := range u.params {
		if p.name == name {
			if p.kind == paramPositional || p.kind == paramKwOnly {
				idx = i
			}
			break
		}
	}
	if idx < 0 || u.expr != nil {
		return -1
	}
	if u.rebound == nil {
		u.rebound = boundNames(u.body)
	}
	if u.rebound[name] {
		return -1
	}
	return idx
}

// boundNames collects the names a function body binds in its own scope
// (assignment and loop targets, except clauses, nested definitions,
// imports; comprehension targets too, which only makes it stricter).
func boundNames(body []pyast.Stmt) map[string]bool {
	names := map[string]bool{}
	for _, st := range body {
		pyast.Inspect(st, func(n pyast.Node) bool {
			switch n := n.(type) {
			case *pyast.Name:
				if n.Ctx == pyast.Store || n.Ctx == pyast.Del {
					names[n.ID] = true
				}
			case *pyast.ExceptHandler:
				if n.Name != "" {
					names[n.Name] = true
				}
			case *pyast.MatchAs:
				if n.Name != "" {
					names[n.Name] = true
				}
			case *pyast.MatchStar:
				if n.Name != "" {
					names[n.Name] = true
				}
			case *pyast.MatchMapping:
				if n.Rest != "" {
					names[n.Rest] = true
				}
			case *pyast.Import:
				for _, a := range n.Names {
					names[firstSegment(a.Name)] = true
					names[a.Asname] = true
				}
			case *pyast.ImportFrom:
				for _, a := range n.Names {
					names[a.Name] = true
					names[a.Asname] = true
				}
			case *pyast.FunctionDef:
				names[n.Name] = true
				return false
			case *pyast.ClassDef:
				names[n.Name] = true
				return false
			case *pyast.Lambda:
				return false
			}
			return true
		})
	}
	return names
}

// addMutation records (summary mode) that the unit stores v into the
// object passed as parameter i.
func (u *unit) addMutation(i int, v aval) {
	if u.sumMut == nil {
		u.sumMut = make([]aval, len(u.params))
	}
	if grows(&u.sumMut[i], &v) {
		u.retVer++
	}
	if !joinKeeps(&u.sumMut[i], &v) {
		u.sumMut[i] = join(u.sumMut[i], v)
	}
}

// peek evaluates a simple target expression (names and attributes) without
// recording anything.
func (in *interp) peek(e pyast.Expr) aval {
	switch x := e.(type) {
	case *pyast.Name:
		v, _ := in.lookup(x.ID)
		return v
	case *pyast.Attribute:
		obj := in.peek(x.Value)
		if obj.cls != nil && obj.inst {
			if m := obj.cls.lookupMethod(x.Attr); m == nil {
				return in.b.field(obj.cls, x.Attr)
			}
		}
	}
	return aval{}
}

func (in *interp) augAssign(s *pyast.AugAssign) {
	old := in.expr(s.Target)
	v := in.expr(s.Value)
	nv := old
	nv.mergeLabels(&v)
	if s.Op == pyast.Add && (old.HasStr || v.HasStr) {
		var l, r *pyast.PartialString
		if old.HasStr {
			l = &old.Str
		}
		if v.HasStr {
			r = &v.Str
		}
		nv.Str, nv.HasStr = concatStr(l, r)
	} else {
		nv.HasStr, nv.Str = false, pyast.PartialString{}
	}
	nv.elts = nil
	switch t := s.Target.(type) {
	case *pyast.Name:
		in.setName(t.ID, nv)
	default:
		in.assign(t, nv)
	}
}

// ---------------------------------------------------------------------------
// Definitions and imports

func (in *interp) defStmt(s *pyast.FunctionDef) {
	u := in.b.units[s]
	for _, d := range s.DecoratorList {
		dv := in.expr(d)
		if u != nil && dv.fn != nil && in.mode == concreteMode {
			in.b.edge(in.u, dv.fn)
			fv := in.funcValue(u)
			in.b.addCtx(dv.fn, 0, fv)
		}
		if u != nil {
			if n, ok := d.(*pyast.Name); ok {
				switch n.ID {
				case "staticmethod":
					u.static = true
				case "classmethod":
					u.classmethod = true
				}
			}
		}
	}
	if u != nil {
		in.evalDefaults(u)
		in.setName(s.Name, in.funcValue(u))
	}
}

// evalDefaults evaluates a function's parameter defaults in the defining
// scope; they join into the parameters' context.
func (in *interp) evalDefaults(u *unit) {
	a := u.args
	if a == nil {
		return
	}
	pos := len(a.PosOnlyArgs) + len(a.Args)
	for i, d := range a.Defaults {
		v := in.expr(d)
		idx := pos - len(a.Defaults) + i
		if idx >= 0 {
			in.b.addDefault(u, idx, v)
		}
	}
	kwStart := pos
	if a.Vararg != nil {
		kwStart++
	}
	for i, d := range a.KwDefaults {
		if d == nil {
			continue
		}
		in.b.addDefault(u, kwStart+i, in.expr(d))
	}
}

func (in *interp) funcValue(u *unit) aval {
	return aval{Value: Value{Kind: KindLocalFunc, Qual: u.qual}, fn: u}
}

func (in *interp) classStmt(s *pyast.ClassDef) {
	c := in.b.classes[s]
	for _, d := range s.DecoratorList {
		in.expr(d)
	}
	for _, k := range s.Keywords {
		in.expr(k.Value)
	}
	if c == nil {
		return
	}
	for _, base := range s.Bases {
		bv := in.expr(base)
		switch {
		case bv.cls != nil && !bv.inst:
			in.b.addBase(c, bv.cls)
		case bv.Kind == KindFunc || bv.Kind == KindModule || bv.Kind == KindLogger:
			in.b.addExtBase(c, bv.Qual)
		}
	}
	// the class body runs now, in its own namespace
	saved, savedCls := in.env, in.classEnv
	in.outer = append(in.outer, saved)
	in.env = scope{}
	in.classEnv = c
	in.stmts(s.Body)
	in.env, in.classEnv = saved, savedCls
	in.outer = in.outer[:len(in.outer)-1]
	in.setName(s.Name, aval{Value: Value{Kind: KindLocalFunc, Qual: c.qual}, cls: c})
}

func (in *interp) importStmt(s *pyast.Import) {
	for _, a := range s.Names {
		m := in.b.resolveImport(a.Name, in.mod)
		if a.Asname != "" {
			in.setName(a.Asname, in.moduleValue(a.Name, m))
			continue
		}
		top := firstSegment(a.Name)
		in.setName(top, in.moduleValue(top, in.b.resolveImport(top, in.mod)))
	}
}

// moduleValue is the value of an imported module: a bundle module, a
// bundle package folder, or an external module by name.
func (in *interp) moduleValue(name string, m *Module) aval {
	if m != nil {
		return aval{Value: Value{Kind: KindModule, Qual: m.Name}, mod: m}
	}
	if in.b.isPackage(name) {
		return aval{Value: Value{Kind: KindModule, Qual: name}, mod: in.b.packageModule(name)}
	}
	return externalValue(name, in.origin)
}

func (in *interp) importFromStmt(s *pyast.ImportFrom) {
	base, ok := relativeBase(in.mod, s.Level, s.Module)
	if !ok {
		return
	}
	var local *Module
	if s.Level > 0 {
		local = in.b.byName[base]
		if local == nil && in.b.isPackage(base) {
			local = in.b.packageModule(base)
		}
	} else {
		local = in.b.resolveImport(base, in.mod)
		if local == nil && in.b.isPackage(base) {
			local = in.b.packageModule(base)
		}
	}
	localBase := base
	if local != nil {
		localBase = local.Name
	}
	for _, a := range s.Names {
		if a.Name == "*" {
			continue // star imports are resolved at lookup
		}
		name := a.Asname
		if name == "" {
			name = a.Name
		}
		var v aval
		switch {
		case local != nil || in.b.isPackage(localBase) || (s.Level > 0 && localBase == ""):
			sub := localBase + "." + a.Name
			if localBase == "" {
				sub = a.Name
			}
			if local != nil {
				if g, ok := in.b.global(local, a.Name); ok {
					v = g
					break
				}
			}
			if m := in.b.byName[sub]; m != nil {
				v = aval{Value: Value{Kind: KindModule, Qual: sub}, mod: m}
			} else if in.b.isPackage(sub) {
				v = aval{Value: Value{Kind: KindModule, Qual: sub}, mod: in.b.packageModule(sub)}
			} else {
				v = aval{Value: Value{Kind: KindFunc, Qual: sub}}
			}
		case s.Level > 0:
			v = aval{Value: Value{Kind: KindFunc, Qual: base + "." + a.Name}}
		default:
			v = externalValue(base+"."+a.Name, in.origin)
		}
		in.setName(name, v)
	}
}

// origin makes an Origin at the unit's module for a label.
func (in *interp) origin(l Labels, desc string) Origin {
	return Origin{Label: l, Desc: desc, File: in.mod.Path}
}

// originAt makes an Origin at node n.
func (in *interp) originAt(l Labels, desc string, n pyast.Node) Origin {
	o := Origin{Label: l, Desc: desc, File: in.mod.Path}
	if n != nil && in.mod.AST != nil && in.mod.AST.File != nil {
		o.Line = in.mod.AST.File.Position(n.Pos()).Line
	}
	return o
}
