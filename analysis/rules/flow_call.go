package rules

import (
	"strconv"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/pyast"
)

// kwArg is one keyword argument of a call, in source order ("**" for
// **kwargs).
type kwArg struct {
	name string
	val  aval
}

// callArgs are a call's evaluated arguments.
type callArgs struct {
	pos     []aval
	starred []bool
	kws     []kwArg
}

func (a *callArgs) kw(name string) (aval, bool) {
	for _, k := range a.kws {
		if k.name == name {
			return k.val, true
		}
	}
	return aval{}, false
}

// arg returns positional argument i or keyword name.
func (a *callArgs) arg(i int, name string) (aval, bool) {
	if i >= 0 && i < len(a.pos) && !a.starred[i] {
		return a.pos[i], true
	}
	if name != "" {
		return a.kw(name)
	}
	return aval{}, false
}

// labels returns the union of every argument's labels.
func (a *callArgs) labels() aval {
	var out aval
	for i := range a.pos {
		out.mergeLabels(&a.pos[i])
	}
	for i := range a.kws {
		out.mergeLabels(&a.kws[i].val)
	}
	return out
}

// calleeOf names what a call calls, from the value of its function part.
func calleeOf(fv *aval) (string, ValueKind) {
	switch {
	case fv.fn != nil:
		return fv.fn.qual, KindLocalFunc
	case fv.cls != nil && !fv.inst:
		return fv.cls.qual, KindLocalFunc
	case fv.cls != nil:
		return fv.cls.qual + ".__call__", KindLocalFunc
	}
	switch fv.Kind {
	case KindClient, KindOtherClient, KindLogger, KindInstance:
		return fv.Qual, fv.Kind
	case KindFunc, KindModule:
		return fv.Qual, KindFunc
	}
	return "", KindUnknown
}

// noStars is the starred flags of a call without *args (shared, never
// written).
var noStars [64]bool

func (in *interp) call(c *pyast.Call) aval {
	fv := in.expr(c.Func)
	b := in.b
	// The evaluated arguments live on stacks the builder reuses: nothing
	// keeps args.pos or args.kws once the call is evaluated (values are
	// copied out), and nested calls push above this call's part.
	var args callArgs
	n, nk := len(c.Args), len(c.Keywords)
	base, kbase := len(b.argStack), len(b.kwStack)
	b.argStack = append(b.argStack, make([]aval, n)...)
	b.kwStack = append(b.kwStack, make([]kwArg, nk)...)
	args.pos = b.argStack[base : base+n : base+n]
	args.kws = b.kwStack[kbase : kbase+nk : kbase+nk]
	args.starred = noStars[:0]
	if n <= len(noStars) {
		args.starred = noStars[:n:n]
	}
	for _, a := range c.Args {
		if _, ok := a.(*pyast.Starred); ok || n > len(noStars) {
			args.starred = make([]bool, n)
			break
		}
	}
	for i, a := range c.Args {
		if s, ok := a.(*pyast.Starred); ok {
			args.pos[i] = in.expr(s.Value)
			args.starred[i] = true
			continue
		}
		args.pos[i] = in.expr(a)
	}
	for i, k := range c.Keywords {
		name := k.Arg
		if name == "" {
			name = "**"
		}
		args.kws[i] = kwArg{name, in.expr(k.Value)}
	}
	callee, kind := calleeOf(&fv)
	res := in.callResult(c, &fv, callee, &args)
	if in.mode == concreteMode {
		b.recordCall(in.u, in.mod, c, callee, kind, &fv, &args)
	}
	b.argStack, b.kwStack = b.argStack[:base], b.kwStack[:kbase]
	return res
}

// callResult is the value a call returns: a bundle function's summary
// instantiated with the arguments, or what the analysis knows of the
// library function called.
func (in *interp) callResult(c *pyast.Call, fv *aval, callee string, args *callArgs) aval {
	switch {
	case fv.fn != nil:
		recv := fv.recv
		if fv.fn.static {
			recv = nil
		}
		return in.callUnit(c, fv.fn, recv, args, nil)
	case fv.cls != nil && !fv.inst:
		return in.instantiate(c, fv.cls, args)
	case fv.cls != nil:
		if m := fv.cls.lookupMethod("__call__"); m != nil {
			return in.callUnit(c, m, fv, args, nil)
		}
		return args.labels()
	}
	in.callbacks(args)
	switch fv.Kind {
	case KindClient, KindOtherClient:
		return in.clientCall(c, fv)
	case KindLogger:
		switch fv.attr {
		case "getChild", "bind", "opt", "patch", "new", "with_fields":
			return aval{Value: Value{Kind: KindLogger, Qual: "logger"}}
		}
		return aval{}
	}
	if fv.attr != "" && fv.recv != nil && fv.Kind != KindFunc && fv.Kind != KindModule {
		return in.methodCall(c, fv, callee, args)
	}
	return in.libraryCall(c, fv, callee, args)
}

// callUnit calls a bundle function: in concrete mode the arguments join
// the function's parameter context and the call graph gets an edge.
func (in *interp) callUnit(c *pyast.Call, u *unit, recv *aval, args *callArgs, _ []aval) aval {
	bound := bindArgs(u, recv, args)
	if in.mode == concreteMode {
		in.b.edge(in.u, u)
		for i := range bound {
			in.b.addCtx(u, i, stripParams(bound[i]))
		}
	}
	if u.sumMut != nil && c != nil {
		in.applyMutations(c, u, recv, bound)
	}
	return instantiate(u, bound)
}

// applyMutations adds to a call's arguments what the called function
// stores into them (collect(buf, secrets) appends a secret to buf).
func (in *interp) applyMutations(c *pyast.Call, u *unit, recv *aval, bound []aval) {
	for i := range u.sumMut {
		m := &u.sumMut[i]
		if !m.tainted() {
			continue
		}
		if e := argExpr(c, u, recv, i); e != nil {
			v := applySummary(m, &aval{}, bound, 0)
			in.taintTarget(e, labelsOf(&v))
		}
	}
}

// argExpr is the argument expression of call c that binds parameter i of
// u, when it is a plain positional or keyword argument (nil otherwise).
func argExpr(c *pyast.Call, u *unit, recv *aval, i int) pyast.Expr {
	p := u.params[i]
	if p.kind == paramPositional {
		idx := 0 // among the call's positional arguments
		if recv != nil {
			idx = -1 // the receiver binds the first parameter
		}
		for j := 0; j < i; j++ {
			if u.params[j].kind == paramPositional {
				idx++
			}
		}
		if idx < 0 {
			return nil
		}
		for j, a := range c.Args {
			if _, ok := a.(*pyast.Starred); ok {
				return nil // where the rest lands is not known
			}
			if j == idx {
				return a
			}
		}
	}
	for _, k := range c.Keywords {
		if k.Arg == p.name {
			return k.Value
		}
	}
	return nil
}

// instantiate applies a function's summary to bound arguments: the labels
// it returns of its own, plus those of the arguments its parameters carry
// to its return; what it is (kind, function, class) comes from its
// concrete evaluation.
func instantiate(u *unit, bound []aval) aval {
	return applySummary(&u.sumRet, &u.conRet, bound, 0)
}

func applySummary(sum, con *aval, bound []aval, depth int) aval {
	out := aval{Value: Value{Labels: sum.Labels, Origins: sum.Origins}}
	if sum.params != 0 {
		for i := range bound {
			bit := uint(i)
			if bit > 63 {
				bit = 63
			}
			if sum.params&(1<<bit) != 0 {
				out.mergeLabels(&bound[i])
			}
		}
	}
	if sum.elemParams&^sum.params != 0 {
		for i := range bound {
			bit := uint(i)
			if bit > 63 {
				bit = 63
			}
			if sum.elemParams&^sum.params&(1<<bit) != 0 {
				el := elementOf(&bound[i])
				out.mergeLabels(&el)
			}
		}
	}
	id := sum
	if con.hasIdentity() {
		id = con
	}
	out.Kind, out.Qual, out.fn, out.cls, out.inst, out.mod = id.Kind, id.Qual, id.fn, id.cls, id.inst, id.mod
	if con.HasStr {
		out.Str, out.HasStr = con.Str, true
	} else if sum.HasStr {
		out.Str, out.HasStr = sum.Str, true
	}
	if len(sum.elts) > 0 && depth < 2 {
		out.elts = make([]aval, len(sum.elts))
		for i := range sum.elts {
			var ce aval
			if len(con.elts) == len(sum.elts) {
				ce = con.elts[i]
			}
			out.elts[i] = applySummary(&sum.elts[i], &ce, bound, depth+1)
		}
	}
	return out
}

// bindArgs maps a call's arguments onto u's parameters, Python's way:
// positional in order (after the bound receiver), *args spread over what
// is left, keywords by name, extras into *args/**kwargs, defaults for the
// rest.
func bindArgs(u *unit, recv *aval, args *callArgs) []aval {
	out := make([]aval, len(u.params))
	bound := make([]bool, len(u.params))
	var pos []int
	vararg, kwarg := -1, -1
	for i, p := range u.params {
		switch p.kind {
		case paramPositional:
			pos = append(pos, i)
		case paramVararg:
			vararg = i
		case paramKwarg:
			kwarg = i
		}
	}
	next := 0
	if recv != nil && len(pos) > 0 {
		out[pos[0]], bound[pos[0]] = *recv, true
		next = 1
	}
	if args != nil {
		for i := range args.pos {
			a := args.pos[i]
			if args.starred[i] {
				el := elementOf(&a)
				for j := next; j < len(pos); j++ {
					out[pos[j]], bound[pos[j]] = join(out[pos[j]], el), true
				}
				if vararg >= 0 {
					out[vararg], bound[vararg] = join(out[vararg], a), true
				}
				continue
			}
			switch {
			case next < len(pos):
				out[pos[next]], bound[pos[next]] = a, true
				next++
			case vararg >= 0:
				v := labelsOf(&a)
				out[vararg], bound[vararg] = join(out[vararg], v), true
			}
		}
		for _, k := range args.kws {
			if k.name == "**" {
				el := elementOf(&k.val)
				for i, p := range u.params {
					if !bound[i] && (p.kind == paramPositional || p.kind == paramKwOnly) {
						out[i] = join(out[i], el)
					}
				}
				if kwarg >= 0 {
					out[kwarg], bound[kwarg] = join(out[kwarg], k.val), true
				}
				continue
			}
			idx := -1
			for i, p := range u.params {
				if p.name == k.name && (p.kind == paramPositional || p.kind == paramKwOnly) {
					idx = i
					break
				}
			}
			switch {
			case idx >= 0:
				out[idx], bound[idx] = join(out[idx], k.val), true
			case kwarg >= 0:
				out[kwarg], bound[kwarg] = join(out[kwarg], labelsOf(&k.val)), true
			}
		}
	}
	for i := range out {
		if !bound[i] && i < len(u.defaults) {
			out[i] = join(out[i], u.defaults[i])
		}
	}
	return out
}

// instantiate makes an instance of a bundle class: __init__ runs with it.
func (in *interp) instantiate(c *pyast.Call, cls *class, args *callArgs) aval {
	inst := aval{Value: Value{Kind: KindInstance, Qual: cls.qual}, cls: cls, inst: true}
	if cls.logger {
		inst.Kind = KindLogger
	}
	if in.mode == concreteMode {
		// dunder methods run implicitly on instances (with, str(), iteration)
		for name, m := range cls.methods {
			if strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__") {
				in.b.edge(in.u, m)
				if len(m.params) > 0 {
					in.b.addCtx(m, 0, inst)
				}
			}
		}
	}
	if init := cls.lookupMethod("__init__"); init != nil {
		in.callUnit(c, init, &inst, args, nil)
	}
	if init := cls.lookupMethod("__post_init__"); init != nil {
		in.callUnit(c, init, &inst, nil, nil)
	}
	// a dataclass or namedtuple keeps its arguments: printing it shows them
	all := args.labels()
	inst.mergeLabels(&all)
	return inst
}

// callbacks handles bundle functions passed to library calls (map,
// threading.Thread(target=f), executor.submit(f, x)): they may be called
// with the other arguments.
func (in *interp) callbacks(args *callArgs) {
	var fns []*unit
	for i := range args.pos {
		if f := args.pos[i].fn; f != nil {
			fns = append(fns, f)
		}
	}
	for i := range args.kws {
		if f := args.kws[i].val.fn; f != nil {
			fns = append(fns, f)
		}
	}
	if len(fns) == 0 || in.mode != concreteMode {
		return
	}
	all := args.labels()
	el := elementOf(&all)
	el = stripParams(el)
	for _, f := range fns {
		in.b.edge(in.u, f)
		for i := range f.params {
			in.b.addCtx(f, i, el)
		}
	}
}

// clientCall is a call on a CogniteClient or one of its sub-APIs: reading
// credentials gives them; anything else returns CDF data.
func (in *interp) clientCall(c *pyast.Call, fv *aval) aval {
	out := labelsOf(fv)
	path := fv.Qual
	if isCredentialPath(path) {
		if fv.Kind == KindClient {
			out.addLabel(LabelCredential, in.originAt(LabelCredential, "client."+path+"()", c))
		}
		return out
	}
	who := "client."
	if fv.Kind == KindOtherClient {
		who = "another client's "
	}
	out.addLabel(LabelCDFData, in.originAt(LabelCDFData, who+path+"(…)", c))
	return out
}

// methodCall is obj.m(…) on a value that is not a module or client.
func (in *interp) methodCall(c *pyast.Call, fv *aval, callee string, args *callArgs) aval {
	recv := fv.recv
	attr := fv.attr
	if recv.Kind == KindInstance && isSanitizer(recv.Qual) {
		return aval{} // hashlib.sha256(x).update(…) / .hexdigest()
	}
	if callee != "" && fv.Kind == KindInstance {
		if isNetworkCall(callee) {
			out := args.labels()
			out = aval{}
			out.addLabel(LabelDownloaded, in.originAt(LabelDownloaded, "the response of "+callee+"(…)", c))
			return out
		}
		if fileOpeners[callee] {
			return aval{Value: Value{Kind: KindInstance, Qual: "file"}}
		}
	}
	switch {
	case sanitizingMethods[attr]:
		return aval{}
	case attr == "format" && recv.HasStr && recv.Str.Exact():
		out := labelsOf(recv)
		out.mergeLabels(ptr(args.labels()))
		kws := map[string]aval{}
		for _, k := range args.kws {
			kws[k.name] = k.val
		}
		out.Str, out.HasStr = braceFormat(recv.Str.Parts[0], args.pos, kws)
		return out
	case attr == "join" && recv.HasStr:
		out := labelsOf(recv)
		out.mergeLabels(ptr(args.labels()))
		if len(args.pos) == 1 && len(args.pos[0].elts) > 0 {
			var parts []*pyast.PartialString
			for i, e := range args.pos[0].elts {
				if i > 0 {
					s := recv.Str
					parts = append(parts, &s)
				}
				if e.HasStr {
					s := e.Str
					parts = append(parts, &s)
				} else {
					parts = append(parts, nil)
				}
			}
			out.Str, out.HasStr = concatStr(parts...)
		}
		for i := range args.pos {
			el := elementOf(&args.pos[i])
			out.mergeLabels(&el)
		}
		return out
	case attr == "get" || attr == "pop" || attr == "setdefault" || attr == "getlist":
		if isEnviron(recv) {
			key, _ := args.arg(0, "key")
			var keyExpr pyast.Expr
			if len(c.Args) > 0 {
				keyExpr = c.Args[0]
			}
			out := in.environEntry(c, keyExpr, &key)
			if d, ok := args.arg(1, "default"); ok {
				out.mergeLabels(&d)
			}
			return out
		}
		out := labelsOf(recv)
		if len(c.Args) > 0 {
			if k, ok := constKey(c.Args[0]); ok {
				out.Origins = refineOrigins(out.Origins, k)
			}
		}
		if d, ok := args.arg(1, "default"); ok {
			out.mergeLabels(&d)
		}
		if attr == "setdefault" {
			in.mutate(c, attr, args)
		}
		return out
	case attr == "keys" && (isEnviron(recv) || recv.dictSource):
		return aval{}
	case attr == "keys" && recv.params != 0:
		// a parameter's keys: what the caller's argument's elements are
		return elementOf(ptr(labelsOf(recv)))
	case mutatingMethods[attr]:
		in.mutate(c, attr, args)
		return aval{}
	case attr == "encode" || attr == "decode" || attr == "strip" || attr == "rstrip" || attr == "lstrip" ||
		attr == "lower" || attr == "upper" || attr == "casefold":
		out := labelsOf(recv)
		out.mergeLabels(ptr(args.labels()))
		if recv.HasStr && (attr == "encode" || attr == "decode") {
			out.Str, out.HasStr = recv.Str, true
		}
		if attr == "decode" && len(args.pos) > 0 && args.pos[0].HasStr && args.pos[0].Str.Exact() {
			switch strings.ToLower(args.pos[0].Str.Parts[0]) {
			case "base64", "hex", "zlib", "rot13", "rot_13", "bz2", "uu":
				out.addLabel(LabelDecoded, in.originAt(LabelDecoded, ".decode("+pyQuote(args.pos[0].Str.Parts[0])+")", c))
			}
		}
		return out
	}
	out := labelsOf(recv)
	out.mergeLabels(ptr(args.labels()))
	if recv.Kind == KindInstance && callee != "" && isClassName(callee) {
		out.Kind, out.Qual = KindInstance, callee
	}
	return out
}

func ptr(a aval) *aval { return &a }

// mutate adds a call's argument labels to its receiver (d.update(x),
// items.append(x)). extend and extendleft store the argument's elements,
// not the argument (out.extend(secrets) adds the names).
//
// Parameter bits are kept: in summary mode a local container that takes a
// parameter's value and is returned says so in the summary, as an
// assignment d[k] = v does (taintTarget drops them where the value leaves
// the unit: fields and globals).
func (in *interp) mutate(c *pyast.Call, attr string, args *callArgs) {
	a, ok := c.Func.(*pyast.Attribute)
	if !ok {
		return
	}
	var all aval
	if attr != "extend" && attr != "extendleft" {
		all = args.labels()
	}
	for i := range args.pos {
		el := elementOf(&args.pos[i])
		all.mergeLabels(&el)
	}
	in.taintTarget(a.Value, all)
}

// libraryCall is a call of a function outside the bundle (or a builtin).
func (in *interp) libraryCall(c *pyast.Call, fv *aval, q string, args *callArgs) aval {
	switch q {
	case "getattr":
		return in.getattrCall(c, args)
	case "setattr":
		if len(c.Args) >= 3 {
			obj := args.pos[0]
			if name, ok := args.pos[1].Str, args.pos[1].HasStr; ok && name.Exact() {
				in.setAttr(nil, &obj, name.Parts[0], args.pos[2])
			} else {
				in.taintTarget(c.Args[0], args.pos[2])
			}
		}
		return aval{}
	case "globals", "locals":
		return aval{Value: Value{Kind: KindFunc, Qual: "globals()"}}
	case "vars":
		if len(args.pos) == 0 {
			return aval{Value: Value{Kind: KindFunc, Qual: "globals()"}}
		}
		return labelsOf(&args.pos[0])
	case "super":
		if cls := in.u.cls; cls != nil && len(cls.bases) > 0 {
			return aval{Value: Value{Kind: KindInstance, Qual: cls.bases[0].qual}, cls: cls.bases[0], inst: true}
		}
		return aval{}
	case "__import__", "importlib.import_module", "importlib.__import__":
		if a, ok := args.arg(0, "name"); ok && a.HasStr && a.Str.Exact() {
			name := a.Str.Parts[0]
			return in.moduleValue(name, in.b.resolveImport(name, in.mod))
		}
		return args.labels()
	case "os.getenv", "os.getenvb", "os.environ.get", "os.environ.pop", "os.environ.setdefault":
		key, _ := args.arg(0, "key")
		var keyExpr pyast.Expr
		if len(c.Args) > 0 {
			keyExpr = c.Args[0]
		}
		out := in.environEntry(c, keyExpr, &key)
		if d, ok := args.arg(1, "default"); ok {
			out.mergeLabels(&d)
		}
		return out
	case "os.environ.keys":
		return aval{}
	case "os.environ.copy", "os.environ.items", "os.environ.values", "dict":
		if q == "dict" {
			break
		}
		return labelsOf(fv)
	case "print", "len", "isinstance":
		return aval{}
	case "list", "sorted", "set", "tuple", "frozenset", "iter", "reversed":
		// a container of the argument's elements: a mapping's keys
		if len(args.pos) == 1 && !args.starred[0] {
			a := args.pos[0]
			out := elementOf(&a)
			if len(a.elts) > 0 && q != "set" && q != "frozenset" {
				out.elts = a.elts
			}
			return out
		}
	}
	switch {
	case isSanitizer(q):
		if strings.HasPrefix(q, "hashlib.") || strings.HasPrefix(q, "hmac.") {
			return aval{Value: Value{Kind: KindInstance, Qual: q}}
		}
		return aval{}
	case isNetworkCall(q):
		var out aval
		out.addLabel(LabelDownloaded, in.originAt(LabelDownloaded, "the response of "+q+"(…)", c))
		return out
	case isDecoder(q):
		out := args.labels()
		out.addLabel(LabelDecoded, in.originAt(LabelDecoded, q+"(…)", c))
		return out
	case loggerFactories[q]:
		return aval{Value: Value{Kind: KindLogger, Qual: "logger"}}
	case isCogniteClientFactory(q):
		return aval{Value: Value{Kind: KindOtherClient}}
	case fileOpeners[q]:
		return aval{Value: Value{Kind: KindInstance, Qual: "file"}}
	case q == "str" || q == "repr" || q == "bytes" || q == "bytearray" || q == "ascii" || q == "format":
		out := args.labels()
		if len(args.pos) == 1 && args.pos[0].HasStr {
			out.Str, out.HasStr = args.pos[0].Str, true
		}
		return out
	case q == "chr":
		out := args.labels()
		if len(c.Args) == 1 {
			if k, ok := c.Args[0].(*pyast.Constant); ok && k.Value.Kind == pyast.ConstInt {
				if n, err := strconv.Atoi(k.Value.S); err == nil && n >= 0 && n <= 0x10FFFF {
					out.Str, out.HasStr = pyast.PartialString{Parts: []string{string(rune(n))}}, true
				}
			}
		}
		return out
	case isClassName(q) && networkModules[firstSegment(q)] || isClassName(q):
		out := args.labels()
		out.Kind, out.Qual = KindInstance, q
		return out
	}
	out := args.labels()
	for i := range args.pos {
		el := elementOf(&args.pos[i])
		out.mergeLabels(&el)
	}
	if fv.recv != nil {
		out.mergeLabels(fv.recv)
	}
	return out
}

// getattrCall is getattr(obj, name[, default]): with a constant (or
// statically known) name it is the attribute; with a computed name the
// result carries the labels of both, and code reachable from here may call
// any function of obj.
func (in *interp) getattrCall(c *pyast.Call, args *callArgs) aval {
	if len(args.pos) < 2 {
		return args.labels()
	}
	obj := args.pos[0]
	name := args.pos[1]
	if name.HasStr && name.Str.Exact() {
		v := in.attribute(c, &obj, name.Str.Parts[0])
		if len(args.pos) > 2 {
			v = join(v, args.pos[2])
		}
		return v
	}
	if obj.mod != nil || obj.cls != nil || (obj.Kind == KindFunc && obj.Qual == "globals()") {
		in.u.dynamic = true
	}
	out := labelsOf(&obj)
	out.mergeLabels(&name)
	switch {
	case obj.Kind == KindModule || obj.Kind == KindFunc:
		out.Kind, out.Qual = KindFunc, obj.Qual+".<computed>"
		if builtinModules[obj.Qual] {
			out.Qual = "builtins.<computed>"
		}
	case obj.Kind == KindClient || obj.Kind == KindOtherClient:
		out.Kind, out.Qual = obj.Kind, strings.TrimPrefix(obj.Qual+".<computed>", ".")
	}
	return out
}
