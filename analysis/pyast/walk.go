package pyast

// A Visitor's Visit method is invoked for each node encountered by Walk.
// If the result visitor w is not nil, Walk visits each of the children of
// node with the visitor w, followed by a call of w.Visit(nil).
type Visitor interface {
	Visit(node Node) (w Visitor)
}

// Walk traverses a tree in depth-first order, children in source order: it
// starts by calling v.Visit(node); node must not be nil. If the visitor w
// returned by v.Visit(node) is not nil, Walk is invoked recursively with
// visitor w for each of the non-nil children of node, followed by a call of
// w.Visit(nil).
//
// Every node kind is visited, including Arguments, Arg, Keyword, Alias,
// WithItem, MatchCase, Comprehension, ExceptHandler, patterns and type
// parameters. Walk keeps its own stack instead of recursing, so the depth
// of the tree does not bound the Go stack.
func Walk(v Visitor, node Node) {
	type frame struct {
		v      Visitor
		lo, hi int // this node's children are kids[lo:hi]
		next   int // index of the next child to visit
	}
	var (
		kids   []Node
		frames []frame
	)
	enter := func(v Visitor, n Node) {
		w := v.Visit(n)
		if w == nil {
			return
		}
		lo := len(kids)
		kids = appendChildren(kids, n)
		frames = append(frames, frame{v: w, lo: lo, hi: len(kids), next: lo})
	}
	enter(v, node)
	for len(frames) > 0 {
		top := &frames[len(frames)-1]
		if top.next < top.hi {
			child := kids[top.next]
			top.next++
			enter(top.v, child)
			continue
		}
		top.v.Visit(nil)
		kids = kids[:top.lo]
		frames = frames[:len(frames)-1]
	}
}

type inspector func(Node) bool

func (f inspector) Visit(node Node) Visitor {
	if f(node) {
		return f
	}
	return nil
}

// Inspect traverses a tree in depth-first order, children in source order:
// it starts by calling f(node); node must not be nil. If f returns true,
// Inspect invokes f for each of the non-nil children of node, followed by a
// call of f(nil).
func Inspect(node Node, f func(Node) bool) {
	Walk(inspector(f), node)
}

// Children returns the direct children of n in source order.
func Children(n Node) []Node { return appendChildren(nil, n) }

// appendChildren appends the non-nil direct children of n to dst in source
// order and returns the extended slice.
func appendChildren(dst []Node, n Node) []Node {
	c := childAppender{dst}
	switch n := n.(type) {
	case *Module:
		c.stmts(n.Body)

	// Statements.
	case *FunctionDef:
		c.exprs(n.DecoratorList)
		c.typeParams(n.TypeParams)
		c.arguments(n.Args)
		c.expr(n.Returns)
		c.stmts(n.Body)
	case *ClassDef:
		c.exprs(n.DecoratorList)
		c.typeParams(n.TypeParams)
		c.argsAndKeywords(n.Bases, n.Keywords)
		c.stmts(n.Body)
	case *Return:
		c.expr(n.Value)
	case *Delete:
		c.exprs(n.Targets)
	case *Assign:
		c.exprs(n.Targets)
		c.expr(n.Value)
	case *TypeAlias:
		c.expr(n.Name)
		c.typeParams(n.TypeParams)
		c.expr(n.Value)
	case *AugAssign:
		c.expr(n.Target)
		c.expr(n.Value)
	case *AnnAssign:
		c.expr(n.Target)
		c.expr(n.Annotation)
		c.expr(n.Value)
	case *For:
		c.expr(n.Target)
		c.expr(n.Iter)
		c.stmts(n.Body)
		c.stmts(n.Orelse)
	case *While:
		c.expr(n.Test)
		c.stmts(n.Body)
		c.stmts(n.Orelse)
	case *If:
		c.expr(n.Test)
		c.stmts(n.Body)
		c.stmts(n.Orelse)
	case *With:
		for _, it := range n.Items {
			if it != nil {
				c.add(it)
			}
		}
		c.stmts(n.Body)
	case *Match:
		c.expr(n.Subject)
		for _, mc := range n.Cases {
			if mc != nil {
				c.add(mc)
			}
		}
	case *Raise:
		c.expr(n.Exc)
		c.expr(n.Cause)
	case *Try:
		c.stmts(n.Body)
		for _, h := range n.Handlers {
			if h != nil {
				c.add(h)
			}
		}
		c.stmts(n.Orelse)
		c.stmts(n.Finalbody)
	case *Assert:
		c.expr(n.Test)
		c.expr(n.Msg)
	case *Import:
		c.aliases(n.Names)
	case *ImportFrom:
		c.aliases(n.Names)
	case *ExprStmt:
		c.expr(n.Value)
	case *Global, *Nonlocal, *Pass, *Break, *Continue, *BadStmt:
		// no children

	// Expressions.
	case *BoolOp:
		c.exprs(n.Values)
	case *NamedExpr:
		c.expr(n.Target)
		c.expr(n.Value)
	case *BinOp:
		c.expr(n.Left)
		c.expr(n.Right)
	case *UnaryOp:
		c.expr(n.Operand)
	case *Lambda:
		c.arguments(n.Args)
		c.expr(n.Body)
	case *IfExp:
		c.expr(n.Body) // "body if test else orelse"
		c.expr(n.Test)
		c.expr(n.Orelse)
	case *Dict:
		for i, v := range n.Values {
			if i < len(n.Keys) {
				c.expr(n.Keys[i])
			}
			c.expr(v)
		}
	case *Set:
		c.exprs(n.Elts)
	case *ListComp:
		c.expr(n.Elt)
		c.comprehensions(n.Generators)
	case *SetComp:
		c.expr(n.Elt)
		c.comprehensions(n.Generators)
	case *DictComp:
		c.expr(n.Key)
		c.expr(n.Value)
		c.comprehensions(n.Generators)
	case *GeneratorExp:
		c.expr(n.Elt)
		c.comprehensions(n.Generators)
	case *Await:
		c.expr(n.Value)
	case *Yield:
		c.expr(n.Value)
	case *YieldFrom:
		c.expr(n.Value)
	case *Compare:
		c.expr(n.Left)
		c.exprs(n.Comparators)
	case *Call:
		c.expr(n.Func)
		c.argsAndKeywords(n.Args, n.Keywords)
	case *FormattedValue:
		c.expr(n.Value)
		c.expr(n.FormatSpec)
	case *JoinedStr:
		c.exprs(n.Values)
	case *Attribute:
		c.expr(n.Value)
	case *Subscript:
		c.expr(n.Value)
		c.expr(n.Slice)
	case *Starred:
		c.expr(n.Value)
	case *List:
		c.exprs(n.Elts)
	case *Tuple:
		c.exprs(n.Elts)
	case *Slice:
		c.expr(n.Lower)
		c.expr(n.Upper)
		c.expr(n.Step)
	case *Constant, *Name, *BadExpr:
		// no children

	// Helper nodes.
	case *Comprehension:
		c.expr(n.Target)
		c.expr(n.Iter)
		c.exprs(n.Ifs)
	case *ExceptHandler:
		c.expr(n.Type)
		c.stmts(n.Body)
	case *Arguments:
		c.parameters(n)
	case *Arg:
		c.expr(n.Annotation)
	case *Keyword:
		c.expr(n.Value)
	case *Alias:
		// no children
	case *WithItem:
		c.expr(n.ContextExpr)
		c.expr(n.OptionalVars)
	case *MatchCase:
		c.pattern(n.Pattern)
		c.expr(n.Guard)
		c.stmts(n.Body)

	// Patterns.
	case *MatchValue:
		c.expr(n.Value)
	case *MatchSequence:
		c.patterns(n.Patterns)
	case *MatchMapping:
		for i, k := range n.Keys {
			c.expr(k)
			if i < len(n.Patterns) {
				c.pattern(n.Patterns[i])
			}
		}
		for i := len(n.Keys); i < len(n.Patterns); i++ {
			c.pattern(n.Patterns[i])
		}
	case *MatchClass:
		c.expr(n.Cls)
		c.patterns(n.Patterns)
		c.patterns(n.KwdPatterns)
	case *MatchAs:
		c.pattern(n.Pattern)
	case *MatchOr:
		c.patterns(n.Patterns)
	case *MatchSingleton, *MatchStar:
		// no children

	// Type parameters.
	case *TypeVar:
		c.expr(n.Bound)
		c.expr(n.DefaultValue)
	case *ParamSpec:
		c.expr(n.DefaultValue)
	case *TypeVarTuple:
		c.expr(n.DefaultValue)
	}
	return c.dst
}

// childAppender collects children, skipping nil ones.
type childAppender struct{ dst []Node }

//go:noinline
func (c *childAppender) add(n Node) { c.dst = append(c.dst, n) }

//go:noinline
func (c *childAppender) expr(e Expr) {
	if e != nil {
		c.dst = append(c.dst, e)
	}
}

//go:noinline
func (c *childAppender) exprs(list []Expr) {
	for _, e := range list {
		if e != nil {
			c.dst = append(c.dst, e)
		}
	}
}

//go:noinline
func (c *childAppender) stmts(list []Stmt) {
	for _, s := range list {
		if s != nil {
			c.dst = append(c.dst, s)
		}
	}
}

//go:noinline
func (c *childAppender) pattern(p Pattern) {
	if p != nil {
		c.dst = append(c.dst, p)
	}
}

//go:noinline
func (c *childAppender) patterns(list []Pattern) {
	for _, p := range list {
		if p != nil {
			c.dst = append(c.dst, p)
		}
	}
}

//go:noinline
func (c *childAppender) typeParams(list []TypeParam) {
	for _, tp := range list {
		if tp != nil {
			c.dst = append(c.dst, tp)
		}
	}
}

//go:noinline
func (c *childAppender) arg(a *Arg) {
	if a != nil {
		c.dst = append(c.dst, a)
	}
}

//go:noinline
func (c *childAppender) arguments(a *Arguments) {
	if a != nil {
		c.dst = append(c.dst, a)
	}
}

//go:noinline
func (c *childAppender) aliases(list []*Alias) {
	for _, a := range list {
		if a != nil {
			c.dst = append(c.dst, a)
		}
	}
}

//go:noinline
func (c *childAppender) comprehensions(list []*Comprehension) {
	for _, g := range list {
		if g != nil {
			c.dst = append(c.dst, g)
		}
	}
}

// argsAndKeywords appends call arguments (or class bases) and keywords
// merged by position: "f(a, k=1, *b, **c)" interleaves them in source.
func (c *childAppender) argsAndKeywords(args []Expr, kws []*Keyword) {
	i, j := 0, 0
	for i < len(args) || j < len(kws) {
		switch {
		case j >= len(kws) || kws[j] == nil:
			if j < len(kws) {
				j++
				continue
			}
			c.expr(args[i])
			i++
		case i >= len(args) || args[i] == nil:
			if i < len(args) {
				i++
				continue
			}
			c.dst = append(c.dst, kws[j])
			j++
		case args[i].Pos() <= kws[j].Pos():
			c.dst = append(c.dst, args[i])
			i++
		default:
			c.dst = append(c.dst, kws[j])
			j++
		}
	}
}

// parameters appends a parameter list in source order: each positional
// parameter followed by its default, then *vararg, each keyword-only
// parameter followed by its default, then **kwarg.
func (c *childAppender) parameters(a *Arguments) {
	npos := len(a.PosOnlyArgs) + len(a.Args)
	firstDefault := npos - len(a.Defaults)
	k := 0
	for _, list := range [2][]*Arg{a.PosOnlyArgs, a.Args} {
		for _, p := range list {
			c.arg(p)
			if k >= firstDefault && k-firstDefault < len(a.Defaults) {
				c.expr(a.Defaults[k-firstDefault])
			}
			k++
		}
	}
	c.arg(a.Vararg)
	for i, p := range a.KwOnlyArgs {
		c.arg(p)
		if i < len(a.KwDefaults) {
			c.expr(a.KwDefaults[i])
		}
	}
	c.arg(a.Kwarg)
}
