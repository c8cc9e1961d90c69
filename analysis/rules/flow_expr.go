package rules

import (
	"strconv"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/pyast"
)

// lookup resolves a name: the current scope, the namespaces of enclosing
// class bodies being evaluated, enclosing functions, the module's globals.
// ok is false for a name bound nowhere in the bundle (a builtin, or a name
// a star import brings).
func (in *interp) lookup(name string) (aval, bool) {
	if v, ok := in.env[name]; ok {
		return *v, true
	}
	for i := len(in.outer) - 1; i >= 0; i-- {
		if v, ok := in.outer[i][name]; ok {
			return *v, true
		}
	}
	for p := in.u.parent; p != nil; p = p.parent {
		if v, ok := p.conEnv[name]; ok {
			return stripParams(*v), true
		}
	}
	if v, ok := in.b.global(in.mod, name); ok {
		return v, true
	}
	return aval{}, false
}

// loadName is the value of a name as an expression.
func (in *interp) loadName(n *pyast.Name) aval {
	if v, ok := in.lookup(n.ID); ok {
		return v
	}
	switch n.ID {
	case "__builtins__":
		return aval{Value: Value{Kind: KindModule, Qual: "builtins"}}
	case "__name__", "__file__", "__doc__", "__package__":
		return aval{}
	}
	// names from "from x import *": a bundle module's globals, else the
	// last external module imported so, for names that are not builtins
	for _, star := range in.b.stars[in.mod] {
		if star.local != nil {
			if g, ok := in.b.global(star.local, n.ID); ok {
				return g
			}
		}
	}
	if !pyBuiltins[n.ID] {
		stars := in.b.stars[in.mod]
		for i := len(stars) - 1; i >= 0; i-- {
			if stars[i].local == nil {
				return externalValue(stars[i].name+"."+n.ID, in.origin)
			}
		}
	}
	return aval{Value: Value{Kind: KindFunc, Qual: n.ID}}
}

func (in *interp) expr(e pyast.Expr) aval {
	if e == nil || !in.spend() {
		return aval{}
	}
	if in.depth >= maxExprDepth {
		return aval{}
	}
	in.depth++
	v := in.expr1(e)
	in.depth--
	return v
}

func (in *interp) expr1(e pyast.Expr) aval {
	switch e := e.(type) {
	case *pyast.Name:
		return in.loadName(e)
	case *pyast.Constant:
		return in.constant(e)
	case *pyast.JoinedStr:
		return in.joinedStr(e)
	case *pyast.FormattedValue:
		v := in.expr(e.Value)
		if e.FormatSpec != nil {
			in.expr(e.FormatSpec)
		}
		return v
	case *pyast.Attribute:
		obj := in.expr(e.Value)
		return in.attribute(e, &obj, e.Attr)
	case *pyast.Subscript:
		return in.subscript(e)
	case *pyast.Call:
		return in.call(e)
	case *pyast.BinOp:
		return in.binOp(e)
	case *pyast.BoolOp:
		var out aval
		for i, x := range e.Values {
			v := in.expr(x)
			if i == 0 {
				out = v
			} else {
				out = join(out, v)
			}
		}
		return out
	case *pyast.UnaryOp:
		v := in.expr(e.Operand)
		if e.Op == pyast.Not {
			return aval{}
		}
		return labelsOf(&v)
	case *pyast.Compare:
		in.expr(e.Left)
		for _, c := range e.Comparators {
			in.expr(c)
		}
		return aval{}
	case *pyast.IfExp:
		in.expr(e.Test)
		return join(in.expr(e.Body), in.expr(e.Orelse))
	case *pyast.NamedExpr:
		v := in.expr(e.Value)
		in.assign(e.Target, v)
		return v
	case *pyast.Lambda:
		u := in.b.units[e]
		if u == nil {
			return aval{}
		}
		in.evalDefaults(u)
		return in.funcValue(u)
	case *pyast.Tuple:
		return in.display(e.Elts)
	case *pyast.List:
		return in.display(e.Elts)
	case *pyast.Set:
		v := in.display(e.Elts)
		v.elts = nil
		return v
	case *pyast.Dict:
		var out aval
		for i, k := range e.Keys {
			if k != nil {
				kv := in.expr(k)
				out.mergeLabels(&kv)
			}
			vv := in.expr(e.Values[i])
			out.mergeLabels(&vv)
		}
		return out
	case *pyast.ListComp:
		return in.comprehension(e.Generators, e.Elt, nil)
	case *pyast.SetComp:
		return in.comprehension(e.Generators, e.Elt, nil)
	case *pyast.GeneratorExp:
		return in.comprehension(e.Generators, e.Elt, nil)
	case *pyast.DictComp:
		return in.comprehension(e.Generators, e.Key, e.Value)
	case *pyast.Await:
		return in.expr(e.Value)
	case *pyast.Yield:
		if e.Value != nil {
			v := in.expr(e.Value)
			in.returnValue(e, v)
		}
		return aval{}
	case *pyast.YieldFrom:
		v := in.expr(e.Value)
		el := elementOf(&v)
		in.returnValue(e, el)
		return aval{}
	case *pyast.Starred:
		return in.expr(e.Value)
	case *pyast.Slice:
		in.expr(e.Lower)
		in.expr(e.Upper)
		in.expr(e.Step)
		return aval{}
	}
	return aval{}
}

// constant is a literal's value: its string (for str and bytes), labelled
// as a hard-coded secret when the secrets detector says so.
func (in *interp) constant(c *pyast.Constant) aval {
	if c.Value.Kind != pyast.ConstStr && c.Value.Kind != pyast.ConstBytes {
		return aval{}
	}
	v := strValue(c.Value.S)
	if in.b.isSecretLiteral(c.Value.S) {
		v.addLabel(LabelHardcodedSecret, in.originAt(LabelHardcodedSecret,
			"the hard-coded secret "+pyQuote(redact(c.Value.S)), c))
	}
	return v
}

func (in *interp) joinedStr(e *pyast.JoinedStr) aval {
	var out aval
	parts := make([]*pyast.PartialString, 0, len(e.Values))
	for _, x := range e.Values {
		v := in.expr(x)
		out.mergeLabels(&v)
		if _, isField := x.(*pyast.FormattedValue); isField && !(v.HasStr && v.Str.Exact()) {
			parts = append(parts, nil)
			continue
		}
		if v.HasStr {
			s := v.Str
			parts = append(parts, &s)
		} else {
			parts = append(parts, nil)
		}
	}
	out.Str, out.HasStr = concatStr(parts...)
	return out
}

func (in *interp) display(elts []pyast.Expr) aval {
	var out aval
	structured := len(elts) <= maxElts
	var items []aval
	for _, x := range elts {
		v := in.expr(x)
		out.mergeLabels(&v)
		if _, ok := x.(*pyast.Starred); ok {
			structured = false
		}
		if structured {
			items = append(items, v)
		}
	}
	if structured && len(items) > 0 {
		out.elts = items
	}
	return out
}

// comprehension evaluates generators and the element in a scope of their
// own; the result carries the element's labels.
//
// Instead of a copy of the scope, the names it binds are logged and put
// back afterwards (expressions only bind through setName).
func (in *interp) comprehension(gens []*pyast.Comprehension, elt, val pyast.Expr) aval {
	mark := len(in.undo)
	in.undoing++
	for _, g := range gens {
		it := in.expr(g.Iter)
		in.assign(g.Target, elementOf(&it))
		for _, c := range g.Ifs {
			in.expr(c)
		}
	}
	out := in.expr(elt)
	out = labelsOf(&out)
	if val != nil {
		v := in.expr(val)
		out.mergeLabels(&v)
	}
	// a second pass lets a value computed late reach an early target
	in.undoing--
	for i := len(in.undo) - 1; i >= mark; i-- {
		e := in.undo[i]
		if e.had {
			in.env[e.name] = e.old
		} else {
			delete(in.env, e.name)
		}
	}
	clear(in.undo[mark:])
	in.undo = in.undo[:mark]
	return out
}

func (in *interp) binOp(e *pyast.BinOp) aval {
	l := in.expr(e.Left)
	r := in.expr(e.Right)
	switch e.Op {
	case pyast.Add:
		out := labelsOf(&l)
		out.mergeLabels(&r)
		if l.HasStr || r.HasStr {
			var lp, rp *pyast.PartialString
			if l.HasStr {
				lp = &l.Str
			}
			if r.HasStr {
				rp = &r.Str
			}
			out.Str, out.HasStr = concatStr(lp, rp)
		}
		if len(l.elts) > 0 && len(r.elts) > 0 && len(l.elts)+len(r.elts) <= maxElts {
			out.elts = append(append([]aval{}, l.elts...), r.elts...)
		}
		return out
	case pyast.Mod:
		out := labelsOf(&l)
		out.mergeLabels(&r)
		if l.HasStr && l.Str.Exact() {
			if p, ok := pyast.ConstStringPartial(e); ok {
				out.Str, out.HasStr = p, true
			} else {
				out.Str, out.HasStr = percentFormat(l.Str.Parts[0], r)
			}
		}
		return out
	case pyast.Div:
		out := labelsOf(&l)
		out.mergeLabels(&r)
		if l.Kind == KindInstance {
			// pathlib.Path / "name" is still a path
			out.Kind, out.Qual = l.Kind, l.Qual
		}
		return out
	}
	out := labelsOf(&l)
	out.mergeLabels(&r)
	return out
}

// percentFormat evaluates "fmt" % args as a partial string: %s/%r/%d fields
// take the argument's known string or become holes.
func percentFormat(f string, arg aval) (pyast.PartialString, bool) {
	args := &arg // a copy, so that the caller's value stays on its stack
	var vals []*aval
	if len(args.elts) > 0 {
		for i := range args.elts {
			vals = append(vals, &args.elts[i])
		}
	} else {
		vals = []*aval{args}
	}
	var parts []*pyast.PartialString
	var lit strings.Builder
	flush := func() {
		s := pyast.PartialString{Parts: []string{lit.String()}}
		parts = append(parts, &s)
		lit.Reset()
	}
	n := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		if i+1 < len(f) && f[i+1] == '%' {
			lit.WriteByte('%')
			i++
			continue
		}
		// skip flags, width, precision and the conversion letter
		j := i + 1
		for j < len(f) && strings.IndexByte("#0- +.123456789()abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", f[j]) >= 0 {
			c := f[j]
			j++
			if strings.IndexByte("sradiouxXeEfFgGc", c) >= 0 {
				break
			}
		}
		flush()
		if n < len(vals) && vals[n].HasStr && vals[n].Str.Exact() {
			s := vals[n].Str
			parts = append(parts, &s)
		} else {
			parts = append(parts, nil)
		}
		n++
		i = j - 1
	}
	flush()
	return concatStr(parts...)
}

// braceFormat evaluates "fmt".format(args) as a partial string.
func braceFormat(f string, args []aval, kws map[string]aval) (pyast.PartialString, bool) {
	var parts []*pyast.PartialString
	var lit strings.Builder
	auto := 0
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == '}' && i+1 < len(f) && f[i+1] == '}' {
			lit.WriteByte('}')
			i++
			continue
		}
		if c != '{' {
			lit.WriteByte(c)
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			lit.WriteByte('{')
			i++
			continue
		}
		end := strings.IndexByte(f[i:], '}')
		if end < 0 {
			return pyast.PartialString{}, false
		}
		field := f[i+1 : i+end]
		i += end
		if k := strings.IndexAny(field, "!:"); k >= 0 {
			field = field[:k]
		}
		s := pyast.PartialString{Parts: []string{lit.String()}}
		parts = append(parts, &s)
		lit.Reset()
		var v *aval
		switch {
		case field == "":
			if auto < len(args) {
				v = &args[auto]
			}
			auto++
		default:
			if n, err := strconv.Atoi(field); err == nil {
				if n >= 0 && n < len(args) {
					v = &args[n]
				}
			} else if kv, ok := kws[field]; ok {
				v = &kv
			}
		}
		if v != nil && v.HasStr && v.Str.Exact() {
			s := v.Str
			parts = append(parts, &s)
		} else {
			parts = append(parts, nil)
		}
	}
	s := pyast.PartialString{Parts: []string{lit.String()}}
	parts = append(parts, &s)
	return concatStr(parts...)
}

// subscript is value[key]: an element of a container carries its labels;
// a secret-named os.environ entry is an environment secret; masking slices
// (s[:4]) cut the flow.
func (in *interp) subscript(e *pyast.Subscript) aval {
	v := in.expr(e.Value)
	key := in.expr(e.Slice)
	if isEnviron(&v) {
		return in.environEntry(e, e.Slice, &key)
	}
	if (v.Kind == KindFunc || v.Kind == KindModule) && v.Qual == "sys.modules" {
		if k, ok := constKey(e.Slice); ok {
			return in.moduleValue(k, in.b.resolveImport(k, in.mod))
		}
		if key.HasStr && key.Str.Exact() {
			k := key.Str.Parts[0]
			return in.moduleValue(k, in.b.resolveImport(k, in.mod))
		}
	}
	if v.Kind == KindFunc && v.Qual == "globals()" {
		if k, ok := constKey(e.Slice); ok {
			if g, ok := in.b.global(in.mod, k); ok {
				return g
			}
		}
		in.u.dynamic = true
		return aval{}
	}
	if key.HasStr && key.Str.Exact() && v.attr == "__dict__" && v.recv != nil &&
		(v.recv.Kind == KindModule || v.recv.Kind == KindFunc) && v.recv.fn == nil && v.recv.cls == nil {
		// module.__dict__["name"] is module.name (builtins.__dict__["ev" + "al"] is eval)
		if builtinModules[v.recv.Qual] {
			return aval{Value: Value{Kind: KindFunc, Qual: key.Str.Parts[0]}}
		}
		return in.attribute(e, v.recv, key.Str.Parts[0])
	}
	if sl, ok := e.Slice.(*pyast.Slice); ok {
		if maskingSlice(sl) {
			return aval{}
		}
		out := labelsOf(&v)
		out.Kind, out.Qual = KindUnknown, ""
		return out
	}
	if len(v.elts) > 0 {
		if k, ok := constKey(e.Slice); ok {
			if i, err := strconv.Atoi(k); err == nil {
				if i < 0 {
					i += len(v.elts)
				}
				if i >= 0 && i < len(v.elts) {
					return v.elts[i]
				}
			}
		}
	}
	out := labelsOf(&v)
	if k, ok := constKey(e.Slice); ok {
		out.Origins = refineOrigins(out.Origins, k)
	}
	if v.Kind == KindClient || v.Kind == KindOtherClient {
		// client.assets[0]: indexing an SDK result
		out.Kind = KindUnknown
	}
	return out
}

// maskingSlice reports whether a slice keeps only a few characters
// (s[:4], s[-4:]), the way secrets are masked for display.
func maskingSlice(sl *pyast.Slice) bool {
	small := func(e pyast.Expr, neg bool) bool {
		if u, ok := e.(*pyast.UnaryOp); ok && u.Op == pyast.USub {
			if !neg {
				return false
			}
			e = u.Operand
		} else if neg {
			return false
		}
		c, ok := e.(*pyast.Constant)
		if !ok || c.Value.Kind != pyast.ConstInt {
			return false
		}
		n, err := strconv.Atoi(c.Value.S)
		return err == nil && n <= 4
	}
	if sl.Step != nil {
		return false
	}
	switch {
	case sl.Lower == nil && sl.Upper != nil:
		return small(sl.Upper, false)
	case sl.Upper == nil && sl.Lower != nil:
		return small(sl.Lower, true)
	}
	return false
}

// refineOrigins makes origins that name a whole source ("secrets", "data")
// name the entry read (`secrets["api-key"]`).
func refineOrigins(os []Origin, key string) []Origin {
	changed := false
	for _, o := range os {
		if !strings.Contains(o.Desc, " ") && len(o.Desc) < 80 {
			changed = true
		}
	}
	if !changed {
		return os
	}
	out := make([]Origin, len(os))
	for i, o := range os {
		if !strings.Contains(o.Desc, " ") && len(o.Desc) < 80 {
			o.Desc += "[" + pyQuote(key) + "]"
		}
		out[i] = o
	}
	return out
}

func isEnviron(v *aval) bool {
	return (v.Kind == KindFunc || v.Kind == KindModule) && v.Qual == "os.environ"
}

// environEntry is os.environ[name] (or .get(name), os.getenv(name)): an
// environment secret when the name looks secret-like or is computed.
func (in *interp) environEntry(at pyast.Node, keyExpr pyast.Expr, key *aval) aval {
	out := labelsOf(key)
	name, ok := "", false
	if keyExpr != nil {
		name, ok = constKey(keyExpr)
	}
	if !ok && key.HasStr && key.Str.Exact() {
		name, ok = key.Str.Parts[0], true
	}
	switch {
	case !ok:
		out.addLabel(LabelEnvSecret, in.originAt(LabelEnvSecret, "os.environ[…]", at))
	case isSecretName(name):
		out.addLabel(LabelEnvSecret, in.originAt(LabelEnvSecret, "os.environ["+pyQuote(name)+"]", at))
	}
	return out
}

// maxQual bounds qualified names and SDK paths built from attribute
// chains (a.b.c… thousands deep would make every step quadratic).
const maxQual = 256

// attribute is obj.attr.
//
// obj is only read: a result that keeps its receiver keeps a copy, so obj
// can stay on the caller's stack when the result does not need it.
func (in *interp) attribute(node pyast.Node, obj *aval, attr string) aval {
	if len(obj.Qual) > maxQual {
		out := labelsOf(obj)
		out.recv, out.attr = keep(obj), attr
		return out
	}
	switch {
	case obj.mod != nil:
		if g, ok := in.b.global(obj.mod, attr); ok {
			return g
		}
		sub := obj.Qual + "." + attr
		if m := in.b.byName[sub]; m != nil {
			return aval{Value: Value{Kind: KindModule, Qual: sub}, mod: m}
		}
		if in.b.isPackage(sub) {
			return aval{Value: Value{Kind: KindModule, Qual: sub}, mod: in.b.packageModule(sub)}
		}
		return aval{Value: Value{Kind: KindFunc, Qual: sub}}
	case obj.Kind == KindModule && builtinModules[obj.Qual]:
		return aval{Value: Value{Kind: KindFunc, Qual: attr}}
	case (obj.Kind == KindModule || obj.Kind == KindFunc) && obj.Qual != "" && obj.fn == nil && obj.cls == nil:
		v := externalValue(obj.Qual+"."+attr, in.origin)
		if !(isEnviron(obj) && attr == "keys") {
			// os.environ.get & co. carry the environment's label; its keys are only names
			v.mergeLabels(obj)
		}
		v.recv, v.attr = keep(obj), attr
		return v
	case obj.Kind == KindClient || obj.Kind == KindOtherClient:
		path := attr
		if obj.Qual != "" {
			path = obj.Qual + "." + attr
		}
		out := labelsOf(obj)
		out.Kind, out.Qual, out.attr = obj.Kind, path, attr
		if credentialStep(obj.Qual, attr) && !obj.Labels.Has(LabelCredential) {
			if in.mode == concreteMode {
				in.b.recordAttrRead(in.mod, node, path, obj.Kind)
			}
			if obj.Kind == KindClient {
				desc := "client." + path
				out.addLabel(LabelCredential, in.originAt(LabelCredential, desc, node))
			}
		}
		return out
	case obj.Kind == KindLogger:
		return aval{Value: Value{Kind: KindLogger, Qual: "logger." + attr, Labels: obj.Labels, Origins: obj.Origins},
			recv: keep(obj), attr: attr}
	case obj.cls != nil:
		if m := obj.cls.lookupMethod(attr); m != nil {
			v := in.funcValue(m)
			if obj.inst || m.classmethod {
				v.recv = keep(obj)
			}
			v.attr = attr
			return v
		}
		f := in.b.field(obj.cls, attr)
		if !f.hasIdentity() && !f.tainted() && !f.HasStr {
			if obj.cls.logger {
				return aval{Value: Value{Kind: KindLogger, Qual: "logger." + attr}, recv: keep(obj), attr: attr}
			}
			for _, eb := range obj.cls.extBases {
				q := eb + "." + attr
				return aval{Value: Value{Kind: KindInstance, Qual: q}, recv: keep(obj), attr: attr}
			}
		}
		f.recv, f.attr = keep(obj), attr
		return f
	case obj.Kind == KindInstance:
		out := labelsOf(obj)
		out.Kind, out.Qual, out.recv, out.attr = KindInstance, obj.Qual+"."+attr, keep(obj), attr
		return out
	case obj.fn != nil:
		return aval{}
	}
	out := labelsOf(obj)
	out.recv, out.attr = keep(obj), attr
	return out
}

// keep returns a heap copy of v, for a value that refers to it.
func keep(v *aval) *aval {
	c := *v
	return &c
}
