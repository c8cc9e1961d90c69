package pyast

// Assignment and deletion targets are parsed as expressions and then given a
// Store or Del context; anything that cannot be a target gets CPython's
// "cannot assign to …" / "cannot delete …" error.

// star_targets: star_target !',' | star_target (',' star_target)* [',']
// star_target: '*' (!'*' star_target) | target_with_star_atom
func (p *parser) parseStarTargets() Expr {
	start := p.tok.Start
	x := p.parseStarTarget()
	if p.tok.Kind == COMMA {
		elts := []Expr{x}
		for p.got(COMMA) {
			if !startsExpr(p.tok.Kind) {
				break
			}
			elts = append(elts, p.parseStarTarget())
		}
		x = &Tuple{Range: Range{start, p.prevEnd}, Elts: elts}
	}
	p.setContext(x, Store)
	return x
}

// parseStarTarget parses one (possibly starred) target expression without
// setting its context. Targets are primaries; parsing at bitwise_or level
// stops before 'in', '=', ':' and ','.
func (p *parser) parseStarTarget() Expr {
	if p.tok.Kind == STAR {
		defer p.decNest(p.incNest())
		start := p.tok.Start
		p.next()
		x := p.parseStarTarget()
		return &Starred{Range: Range{start, p.prevEnd}, Value: x}
	}
	return p.parseBitwiseOr()
}

// del_targets: ','.del_target+ [',']
func (p *parser) parseDelTargets() []Expr {
	var targets []Expr
	for startsExpr(p.tok.Kind) {
		x := p.parseStarTarget()
		p.setContext(x, Del)
		targets = append(targets, x)
		if !p.got(COMMA) {
			break
		}
	}
	return targets
}

// setContext gives x (and its sub-targets) the context ctx, reporting what
// cannot be a target.
func (p *parser) setContext(x Expr, ctx ExprContext) {
	switch n := x.(type) {
	case *Name:
		n.Ctx = ctx
	case *Attribute:
		n.Ctx = ctx
	case *Subscript:
		n.Ctx = ctx
	case *Starred:
		if ctx == Del {
			p.errorAt(n.Start, "cannot delete starred")
			return
		}
		n.Ctx = ctx
		p.setContext(n.Value, ctx)
	case *Tuple:
		n.Ctx = ctx
		for _, e := range n.Elts {
			p.setContext(e, ctx)
		}
	case *List:
		n.Ctx = ctx
		for _, e := range n.Elts {
			p.setContext(e, ctx)
		}
	case *BadExpr:
	default:
		verb := "assign to "
		if ctx == Del {
			verb = "delete "
		}
		p.errorAt(x.Pos(), "cannot "+verb+describeExpr(x))
	}
}

// describeExpr names an expression the way CPython's error messages do.
func describeExpr(x Expr) string {
	switch n := x.(type) {
	case *Name:
		return "name"
	case *Attribute:
		return "attribute"
	case *Subscript:
		return "subscript"
	case *Starred:
		return "starred"
	case *Tuple:
		return "tuple"
	case *List:
		return "list"
	case *Call:
		return "function call"
	case *Constant:
		switch n.Value.Kind {
		case ConstNone:
			return "None"
		case ConstBool:
			if n.Value.B {
				return "True"
			}
			return "False"
		case ConstEllipsis:
			return "ellipsis"
		}
		return "literal"
	case *JoinedStr, *FormattedValue:
		return "f-string expression"
	case *Compare:
		return "comparison"
	case *Lambda:
		return "lambda"
	case *IfExp:
		return "conditional expression"
	case *NamedExpr:
		return "named expression"
	case *Yield, *YieldFrom:
		return "yield expression"
	case *Await:
		return "await expression"
	case *ListComp:
		return "list comprehension"
	case *SetComp:
		return "set comprehension"
	case *DictComp:
		return "dict comprehension"
	case *GeneratorExp:
		return "generator expression"
	case *Dict:
		return "dict literal"
	case *Set:
		return "set display"
	case *Slice:
		return "slice"
	}
	return "expression"
}
