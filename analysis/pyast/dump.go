package pyast

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// DumpOptions select the form of DumpJSON's output.
type DumpOptions struct {
	Positions bool // include "_p": [lineno, col_offset, end_lineno, end_col_offset]
	Version   int  // CPython minor version whose ast shape to mimic: 11, 12 or 13 (default 13)
}

// DumpJSON returns the module as one canonical JSON value in the form of
// shared/oracle/pyast_oracle.py's "ast" field (keys sorted, no spaces).
//
// The output is byte-for-byte what CPython's json.dumps(ensure_ascii=False,
// separators=(",", ":"), sort_keys=True) writes for the oracle's dict of
// the same tree: "_t" is CPython's class name (AsyncFunctionDef, TryStar,
// Expr, …), "_p" the position for the classes that have one, fields carry
// their ASDL names, operators and contexts are strings, and Constant values
// are tagged as the oracle's const() tags them. Version 11 drops every
// type_params field, version 12 drops the type parameters' default_value.
func DumpJSON(mod *Module, opts DumpOptions) []byte {
	d := dumper{pos: opts.Positions, ver: opts.Version}
	if d.ver == 0 {
		d.ver = 13
	}
	if mod == nil {
		return []byte("null")
	}
	d.file = mod.File
	d.buf = make([]byte, 0, 64+len(srcOf(mod.File))*6) // the stdlib dumps to ~5.2x its source
	d.buf = append(d.buf, `{"_t":"Module","body":`...)
	d.stmts(mod.Body)
	d.buf = append(d.buf, '}')
	return d.buf
}

func srcOf(f *File) []byte {
	if f == nil {
		return nil
	}
	return f.Src
}

// dumper holds the output buffer and the options of one DumpJSON call.
type dumper struct {
	buf  []byte
	file *File
	pos  bool
	ver  int
}

// open writes the start of a node object: "{", its position if wanted and
// its class name. Fields follow, each written with a leading comma.
func (d *dumper) open(class string, n Node, positioned bool) {
	d.buf = append(d.buf, '{')
	if d.pos && positioned {
		d.buf = append(d.buf, `"_p":[`...)
		if d.file != nil {
			s, e := d.file.Position(n.Pos()), d.file.Position(n.End())
			d.buf = strconv.AppendInt(d.buf, int64(s.Line), 10)
			d.buf = append(d.buf, ',')
			d.buf = strconv.AppendInt(d.buf, int64(s.Col), 10)
			d.buf = append(d.buf, ',')
			d.buf = strconv.AppendInt(d.buf, int64(e.Line), 10)
			d.buf = append(d.buf, ',')
			d.buf = strconv.AppendInt(d.buf, int64(e.Col), 10)
		} else {
			d.buf = append(d.buf, "null,null,null,null"...)
		}
		d.buf = append(d.buf, "],"...)
	}
	d.buf = append(d.buf, `"_t":"`...)
	d.buf = append(d.buf, class...)
	d.buf = append(d.buf, '"')
}

func (d *dumper) close() { d.buf = append(d.buf, '}') }

// key writes `,"name":`.
func (d *dumper) key(name string) {
	d.buf = append(d.buf, ',', '"')
	d.buf = append(d.buf, name...)
	d.buf = append(d.buf, '"', ':')
}

func (d *dumper) null() { d.buf = append(d.buf, "null"...) }

func (d *dumper) int(v int) { d.buf = strconv.AppendInt(d.buf, int64(v), 10) }

func (d *dumper) bool01(b bool) {
	if b {
		d.buf = append(d.buf, '1')
	} else {
		d.buf = append(d.buf, '0')
	}
}

func (d *dumper) name(s string) { d.buf = appendJSONString(d.buf, s) }

// optName writes an optional identifier: null when empty.
func (d *dumper) optName(s string) {
	if s == "" {
		d.null()
		return
	}
	d.name(s)
}

func (d *dumper) names(ss []string) {
	d.buf = append(d.buf, '[')
	for i, s := range ss {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		d.name(s)
	}
	d.buf = append(d.buf, ']')
}

func (d *dumper) word(s string) {
	d.buf = append(d.buf, '"')
	d.buf = append(d.buf, s...)
	d.buf = append(d.buf, '"')
}

func (d *dumper) stmts(list []Stmt) {
	d.buf = append(d.buf, '[')
	for i, s := range list {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		d.stmt(s)
	}
	d.buf = append(d.buf, ']')
}

func (d *dumper) exprs(list []Expr) {
	d.buf = append(d.buf, '[')
	for i, e := range list {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		d.expr(e)
	}
	d.buf = append(d.buf, ']')
}

func (d *dumper) patterns(list []Pattern) {
	d.buf = append(d.buf, '[')
	for i, p := range list {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		d.pattern(p)
	}
	d.buf = append(d.buf, ']')
}

func (d *dumper) args(list []*Arg) {
	d.buf = append(d.buf, '[')
	for i, a := range list {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		d.arg(a)
	}
	d.buf = append(d.buf, ']')
}

func (d *dumper) keywords(list []*Keyword) {
	d.buf = append(d.buf, '[')
	for i, k := range list {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		if k == nil {
			d.null()
			continue
		}
		d.open("keyword", k, true)
		d.key("arg")
		d.optName(k.Arg)
		d.key("value")
		d.expr(k.Value)
		d.close()
	}
	d.buf = append(d.buf, ']')
}

func (d *dumper) aliases(list []*Alias) {
	d.buf = append(d.buf, '[')
	for i, a := range list {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		if a == nil {
			d.null()
			continue
		}
		d.open("alias", a, true)
		d.key("asname")
		d.optName(a.Asname)
		d.key("name")
		d.name(a.Name)
		d.close()
	}
	d.buf = append(d.buf, ']')
}

func (d *dumper) typeParams(list []TypeParam) {
	d.buf = append(d.buf, '[')
	for i, tp := range list {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		d.typeParam(tp)
	}
	d.buf = append(d.buf, ']')
}

// typeParamsField writes the type_params field for versions that have it.
func (d *dumper) typeParamsField(list []TypeParam) {
	if d.ver >= 12 {
		d.key("type_params")
		d.typeParams(list)
	}
}

func (d *dumper) comprehensions(list []*Comprehension) {
	d.buf = append(d.buf, '[')
	for i, c := range list {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		if c == nil {
			d.null()
			continue
		}
		d.open("comprehension", c, false)
		d.key("ifs")
		d.exprs(c.Ifs)
		d.key("is_async")
		d.bool01(c.IsAsync)
		d.key("iter")
		d.expr(c.Iter)
		d.key("target")
		d.expr(c.Target)
		d.close()
	}
	d.buf = append(d.buf, ']')
}

func (d *dumper) arg(a *Arg) {
	if a == nil {
		d.null()
		return
	}
	d.open("arg", a, true)
	d.key("annotation")
	d.expr(a.Annotation)
	d.key("arg")
	d.name(a.Arg)
	d.close()
}

func (d *dumper) arguments(a *Arguments) {
	if a == nil {
		d.null()
		return
	}
	d.open("arguments", a, false)
	d.key("args")
	d.args(a.Args)
	d.key("defaults")
	d.exprs(a.Defaults)
	d.key("kw_defaults")
	d.exprs(a.KwDefaults)
	d.key("kwarg")
	d.arg(a.Kwarg)
	d.key("kwonlyargs")
	d.args(a.KwOnlyArgs)
	d.key("posonlyargs")
	d.args(a.PosOnlyArgs)
	d.key("vararg")
	d.arg(a.Vararg)
	d.close()
}

func (d *dumper) stmt(s Stmt) {
	switch s := s.(type) {
	case nil:
		d.null()
	case *FunctionDef:
		if s.IsAsync {
			d.open("AsyncFunctionDef", s, true)
		} else {
			d.open("FunctionDef", s, true)
		}
		d.key("args")
		d.arguments(s.Args)
		d.key("body")
		d.stmts(s.Body)
		d.key("decorator_list")
		d.exprs(s.DecoratorList)
		d.key("name")
		d.name(s.Name)
		d.key("returns")
		d.expr(s.Returns)
		d.typeParamsField(s.TypeParams)
		d.close()
	case *ClassDef:
		d.open("ClassDef", s, true)
		d.key("bases")
		d.exprs(s.Bases)
		d.key("body")
		d.stmts(s.Body)
		d.key("decorator_list")
		d.exprs(s.DecoratorList)
		d.key("keywords")
		d.keywords(s.Keywords)
		d.key("name")
		d.name(s.Name)
		d.typeParamsField(s.TypeParams)
		d.close()
	case *Return:
		d.open("Return", s, true)
		d.key("value")
		d.expr(s.Value)
		d.close()
	case *Delete:
		d.open("Delete", s, true)
		d.key("targets")
		d.exprs(s.Targets)
		d.close()
	case *Assign:
		d.open("Assign", s, true)
		d.key("targets")
		d.exprs(s.Targets)
		d.key("value")
		d.expr(s.Value)
		d.close()
	case *TypeAlias:
		d.open("TypeAlias", s, true)
		d.key("name")
		d.expr(s.Name)
		d.typeParamsField(s.TypeParams)
		d.key("value")
		d.expr(s.Value)
		d.close()
	case *AugAssign:
		d.open("AugAssign", s, true)
		d.key("op")
		d.word(s.Op.String())
		d.key("target")
		d.expr(s.Target)
		d.key("value")
		d.expr(s.Value)
		d.close()
	case *AnnAssign:
		d.open("AnnAssign", s, true)
		d.key("annotation")
		d.expr(s.Annotation)
		d.key("simple")
		d.bool01(s.Simple)
		d.key("target")
		d.expr(s.Target)
		d.key("value")
		d.expr(s.Value)
		d.close()
	case *For:
		if s.IsAsync {
			d.open("AsyncFor", s, true)
		} else {
			d.open("For", s, true)
		}
		d.key("body")
		d.stmts(s.Body)
		d.key("iter")
		d.expr(s.Iter)
		d.key("orelse")
		d.stmts(s.Orelse)
		d.key("target")
		d.expr(s.Target)
		d.close()
	case *While:
		d.open("While", s, true)
		d.key("body")
		d.stmts(s.Body)
		d.key("orelse")
		d.stmts(s.Orelse)
		d.key("test")
		d.expr(s.Test)
		d.close()
	case *If:
		d.open("If", s, true)
		d.key("body")
		d.stmts(s.Body)
		d.key("orelse")
		d.stmts(s.Orelse)
		d.key("test")
		d.expr(s.Test)
		d.close()
	case *With:
		if s.IsAsync {
			d.open("AsyncWith", s, true)
		} else {
			d.open("With", s, true)
		}
		d.key("body")
		d.stmts(s.Body)
		d.key("items")
		d.buf = append(d.buf, '[')
		for i, it := range s.Items {
			if i > 0 {
				d.buf = append(d.buf, ',')
			}
			if it == nil {
				d.null()
				continue
			}
			d.open("withitem", it, false)
			d.key("context_expr")
			d.expr(it.ContextExpr)
			d.key("optional_vars")
			d.expr(it.OptionalVars)
			d.close()
		}
		d.buf = append(d.buf, ']')
		d.close()
	case *Match:
		d.open("Match", s, true)
		d.key("cases")
		d.buf = append(d.buf, '[')
		for i, c := range s.Cases {
			if i > 0 {
				d.buf = append(d.buf, ',')
			}
			if c == nil {
				d.null()
				continue
			}
			d.open("match_case", c, false)
			d.key("body")
			d.stmts(c.Body)
			d.key("guard")
			d.expr(c.Guard)
			d.key("pattern")
			d.pattern(c.Pattern)
			d.close()
		}
		d.buf = append(d.buf, ']')
		d.key("subject")
		d.expr(s.Subject)
		d.close()
	case *Raise:
		d.open("Raise", s, true)
		d.key("cause")
		d.expr(s.Cause)
		d.key("exc")
		d.expr(s.Exc)
		d.close()
	case *Try:
		if s.IsStar {
			d.open("TryStar", s, true)
		} else {
			d.open("Try", s, true)
		}
		d.key("body")
		d.stmts(s.Body)
		d.key("finalbody")
		d.stmts(s.Finalbody)
		d.key("handlers")
		d.buf = append(d.buf, '[')
		for i, h := range s.Handlers {
			if i > 0 {
				d.buf = append(d.buf, ',')
			}
			if h == nil {
				d.null()
				continue
			}
			d.open("ExceptHandler", h, true)
			d.key("body")
			d.stmts(h.Body)
			d.key("name")
			d.optName(h.Name)
			d.key("type")
			d.expr(h.Type)
			d.close()
		}
		d.buf = append(d.buf, ']')
		d.key("orelse")
		d.stmts(s.Orelse)
		d.close()
	case *Assert:
		d.open("Assert", s, true)
		d.key("msg")
		d.expr(s.Msg)
		d.key("test")
		d.expr(s.Test)
		d.close()
	case *Import:
		d.open("Import", s, true)
		d.key("names")
		d.aliases(s.Names)
		d.close()
	case *ImportFrom:
		d.open("ImportFrom", s, true)
		d.key("level")
		d.int(s.Level)
		d.key("module")
		d.optName(s.Module)
		d.key("names")
		d.aliases(s.Names)
		d.close()
	case *Global:
		d.open("Global", s, true)
		d.key("names")
		d.names(s.Names)
		d.close()
	case *Nonlocal:
		d.open("Nonlocal", s, true)
		d.key("names")
		d.names(s.Names)
		d.close()
	case *ExprStmt:
		d.open("Expr", s, true)
		d.key("value")
		d.expr(s.Value)
		d.close()
	case *Pass:
		d.open("Pass", s, true)
		d.close()
	case *Break:
		d.open("Break", s, true)
		d.close()
	case *Continue:
		d.open("Continue", s, true)
		d.close()
	case *BadStmt:
		d.open("BadStmt", s, true)
		d.close()
	default:
		d.null()
	}
}

func (d *dumper) expr(e Expr) {
	switch e := e.(type) {
	case nil:
		d.null()
	case *BoolOp:
		d.open("BoolOp", e, true)
		d.key("op")
		d.word(e.Op.String())
		d.key("values")
		d.exprs(e.Values)
		d.close()
	case *NamedExpr:
		d.open("NamedExpr", e, true)
		d.key("target")
		d.expr(e.Target)
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *BinOp:
		d.open("BinOp", e, true)
		d.key("left")
		d.expr(e.Left)
		d.key("op")
		d.word(e.Op.String())
		d.key("right")
		d.expr(e.Right)
		d.close()
	case *UnaryOp:
		d.open("UnaryOp", e, true)
		d.key("op")
		d.word(e.Op.String())
		d.key("operand")
		d.expr(e.Operand)
		d.close()
	case *Lambda:
		d.open("Lambda", e, true)
		d.key("args")
		d.arguments(e.Args)
		d.key("body")
		d.expr(e.Body)
		d.close()
	case *IfExp:
		d.open("IfExp", e, true)
		d.key("body")
		d.expr(e.Body)
		d.key("orelse")
		d.expr(e.Orelse)
		d.key("test")
		d.expr(e.Test)
		d.close()
	case *Dict:
		d.open("Dict", e, true)
		d.key("keys")
		d.exprs(e.Keys)
		d.key("values")
		d.exprs(e.Values)
		d.close()
	case *Set:
		d.open("Set", e, true)
		d.key("elts")
		d.exprs(e.Elts)
		d.close()
	case *ListComp:
		d.open("ListComp", e, true)
		d.key("elt")
		d.expr(e.Elt)
		d.key("generators")
		d.comprehensions(e.Generators)
		d.close()
	case *SetComp:
		d.open("SetComp", e, true)
		d.key("elt")
		d.expr(e.Elt)
		d.key("generators")
		d.comprehensions(e.Generators)
		d.close()
	case *DictComp:
		d.open("DictComp", e, true)
		d.key("generators")
		d.comprehensions(e.Generators)
		d.key("key")
		d.expr(e.Key)
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *GeneratorExp:
		d.open("GeneratorExp", e, true)
		d.key("elt")
		d.expr(e.Elt)
		d.key("generators")
		d.comprehensions(e.Generators)
		d.close()
	case *Await:
		d.open("Await", e, true)
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *Yield:
		d.open("Yield", e, true)
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *YieldFrom:
		d.open("YieldFrom", e, true)
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *Compare:
		d.open("Compare", e, true)
		d.key("comparators")
		d.exprs(e.Comparators)
		d.key("left")
		d.expr(e.Left)
		d.key("ops")
		d.buf = append(d.buf, '[')
		for i, op := range e.Ops {
			if i > 0 {
				d.buf = append(d.buf, ',')
			}
			d.word(op.String())
		}
		d.buf = append(d.buf, ']')
		d.close()
	case *Call:
		d.open("Call", e, true)
		d.key("args")
		d.exprs(e.Args)
		d.key("func")
		d.expr(e.Func)
		d.key("keywords")
		d.keywords(e.Keywords)
		d.close()
	case *FormattedValue:
		d.open("FormattedValue", e, true)
		d.key("conversion")
		d.int(e.Conversion)
		d.key("format_spec")
		d.expr(e.FormatSpec)
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *JoinedStr:
		d.open("JoinedStr", e, true)
		d.key("values")
		d.exprs(e.Values)
		d.close()
	case *Constant:
		d.open("Constant", e, true)
		d.key("value")
		d.constValue(e.Value)
		d.close()
	case *Attribute:
		d.open("Attribute", e, true)
		d.key("attr")
		d.name(e.Attr)
		d.key("ctx")
		d.word(e.Ctx.String())
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *Subscript:
		d.open("Subscript", e, true)
		d.key("ctx")
		d.word(e.Ctx.String())
		d.key("slice")
		d.expr(e.Slice)
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *Starred:
		d.open("Starred", e, true)
		d.key("ctx")
		d.word(e.Ctx.String())
		d.key("value")
		d.expr(e.Value)
		d.close()
	case *Name:
		d.open("Name", e, true)
		d.key("ctx")
		d.word(e.Ctx.String())
		d.key("id")
		d.name(e.ID)
		d.close()
	case *List:
		d.open("List", e, true)
		d.key("ctx")
		d.word(e.Ctx.String())
		d.key("elts")
		d.exprs(e.Elts)
		d.close()
	case *Tuple:
		d.open("Tuple", e, true)
		d.key("ctx")
		d.word(e.Ctx.String())
		d.key("elts")
		d.exprs(e.Elts)
		d.close()
	case *Slice:
		d.open("Slice", e, true)
		d.key("lower")
		d.expr(e.Lower)
		d.key("step")
		d.expr(e.Step)
		d.key("upper")
		d.expr(e.Upper)
		d.close()
	case *BadExpr:
		d.open("BadExpr", e, true)
		d.close()
	default:
		d.null()
	}
}

// constValue writes a Constant's value tagged as the oracle's const() does.
func (d *dumper) constValue(v ConstValue) {
	switch v.Kind {
	case ConstNone:
		d.buf = append(d.buf, `{"none":null}`...)
	case ConstEllipsis:
		d.buf = append(d.buf, `{"ellipsis":null}`...)
	case ConstBool:
		if v.B {
			d.buf = append(d.buf, `{"bool":true}`...)
		} else {
			d.buf = append(d.buf, `{"bool":false}`...)
		}
	case ConstInt:
		d.buf = append(d.buf, `{"int":`...)
		d.buf = appendJSONString(d.buf, v.S)
		d.buf = append(d.buf, '}')
	case ConstFloat:
		d.buf = append(d.buf, `{"float":`...)
		d.buf = strconv.AppendUint(d.buf, math.Float64bits(v.F), 10)
		d.buf = append(d.buf, '}')
	case ConstComplex:
		d.buf = append(d.buf, `{"complex":`...)
		d.buf = strconv.AppendUint(d.buf, math.Float64bits(v.F), 10)
		d.buf = append(d.buf, '}')
	case ConstStr:
		if utf8.ValidString(v.S) {
			d.buf = append(d.buf, `{"str":`...)
			d.buf = appendJSONString(d.buf, v.S)
		} else {
			d.buf = append(d.buf, `{"strx":`...)
			d.buf = appendHexString(d.buf, v.S)
		}
		d.buf = append(d.buf, '}')
	case ConstBytes:
		d.buf = append(d.buf, `{"bytes":`...)
		d.buf = appendHexString(d.buf, v.S)
		d.buf = append(d.buf, '}')
	default:
		d.null()
	}
}

func (d *dumper) pattern(p Pattern) {
	switch p := p.(type) {
	case nil:
		d.null()
	case *MatchValue:
		d.open("MatchValue", p, true)
		d.key("value")
		d.expr(p.Value)
		d.close()
	case *MatchSingleton:
		d.open("MatchSingleton", p, true)
		d.key("value")
		switch {
		case p.Value.Kind == ConstBool && p.Value.B:
			d.buf = append(d.buf, "true"...)
		case p.Value.Kind == ConstBool:
			d.buf = append(d.buf, "false"...)
		default:
			d.null()
		}
		d.close()
	case *MatchSequence:
		d.open("MatchSequence", p, true)
		d.key("patterns")
		d.patterns(p.Patterns)
		d.close()
	case *MatchMapping:
		d.open("MatchMapping", p, true)
		d.key("keys")
		d.exprs(p.Keys)
		d.key("patterns")
		d.patterns(p.Patterns)
		d.key("rest")
		d.optName(p.Rest)
		d.close()
	case *MatchClass:
		d.open("MatchClass", p, true)
		d.key("cls")
		d.expr(p.Cls)
		d.key("kwd_attrs")
		d.names(p.KwdAttrs)
		d.key("kwd_patterns")
		d.patterns(p.KwdPatterns)
		d.key("patterns")
		d.patterns(p.Patterns)
		d.close()
	case *MatchStar:
		d.open("MatchStar", p, true)
		d.key("name")
		d.optName(p.Name)
		d.close()
	case *MatchAs:
		d.open("MatchAs", p, true)
		d.key("name")
		d.optName(p.Name)
		d.key("pattern")
		d.pattern(p.Pattern)
		d.close()
	case *MatchOr:
		d.open("MatchOr", p, true)
		d.key("patterns")
		d.patterns(p.Patterns)
		d.close()
	default:
		d.null()
	}
}

func (d *dumper) typeParam(tp TypeParam) {
	switch tp := tp.(type) {
	case nil:
		d.null()
	case *TypeVar:
		d.open("TypeVar", tp, true)
		d.key("bound")
		d.expr(tp.Bound)
		d.defaultValue(tp.DefaultValue)
		d.key("name")
		d.name(tp.Name)
		d.close()
	case *ParamSpec:
		d.open("ParamSpec", tp, true)
		d.defaultValue(tp.DefaultValue)
		d.key("name")
		d.name(tp.Name)
		d.close()
	case *TypeVarTuple:
		d.open("TypeVarTuple", tp, true)
		d.defaultValue(tp.DefaultValue)
		d.key("name")
		d.name(tp.Name)
		d.close()
	default:
		d.null()
	}
}

// defaultValue writes a type parameter's default_value field (3.13+).
func (d *dumper) defaultValue(e Expr) {
	if d.ver >= 13 {
		d.key("default_value")
		d.expr(e)
	}
}

const hexDigits = "0123456789abcdef"

// appendHexString appends s as a JSON string of lower-case hex digits, as
// Python's bytes.hex() writes it.
func appendHexString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		buf = append(buf, hexDigits[s[i]>>4], hexDigits[s[i]&15])
	}
	return append(buf, '"')
}

// appendJSONString appends s quoted the way Python's
// json.dumps(ensure_ascii=False) quotes it: only '"', '\\' and the control
// characters below U+0020 are escaped (\n \r \t \b \f by name, the rest as
// \u00XX with lower-case hex); everything else, including U+007F, U+2028
// and "<>&", is copied as is. s should be valid UTF-8 (the caller hex-encodes
// strings that are not).
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"':
			buf = append(buf, '\\', '"')
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
		start = i + 1
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
