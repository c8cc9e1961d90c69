package pyast

// Expressions, following the expression rules of CPython's
// Grammar/python.gram (3.13). Binary operators are parsed by precedence
// climbing; everything else is one method per rule.

// startsExpr reports whether a token of kind k can begin an expression
// (including a starred one).
func startsExpr(k Kind) bool {
	switch k {
	case NAME, NUMBER, STRING, FSTRING_START, LPAR, LSQB, LBRACE, MINUS, PLUS, TILDE,
		NOT, LAMBDA, AWAIT, NONE, TRUE, FALSE, ELLIPSIS, STAR:
		return true
	}
	return false
}

// binPrec is the binding power of each binary operator token (0: none).
var binPrec = [...]int8{
	VBAR: 1, CIRCUMFLEX: 2, AMPER: 3, LEFTSHIFT: 4, RIGHTSHIFT: 4, PLUS: 5, MINUS: 5,
	STAR: 6, SLASH: 6, DOUBLESLASH: 6, PERCENT: 6, AT: 6, keywordEnd: 0,
}

// binOps maps a binary operator token to its operator.
var binOps = [...]Operator{
	VBAR: BitOr, CIRCUMFLEX: BitXor, AMPER: BitAnd, LEFTSHIFT: LShift, RIGHTSHIFT: RShift,
	PLUS: Add, MINUS: Sub, STAR: Mult, SLASH: Div, DOUBLESLASH: FloorDiv, PERCENT: Mod,
	AT: MatMult, keywordEnd: 0,
}

func (p *parser) badExpr(start, end Pos) *BadExpr {
	return &BadExpr{Range{start, end}}
}

// missingPos returns the position for a placeholder standing for something
// missing before the current token. The enclosing nodes are stretched to it
// (through prevEnd) so that every child range stays inside its parent's.
func (p *parser) missingPos() Pos {
	q := max(p.tok.Start, p.prevEnd)
	p.prevEnd = q
	return q
}

// missingExpr returns a zero-width BadExpr at missingPos.
func (p *parser) missingExpr() *BadExpr {
	q := p.missingPos()
	return &BadExpr{Range{q, q}}
}

// star_expressions: star_expression (',' star_expression)* [',']
func (p *parser) parseStarExpressions() Expr { return p.parseStarList(false) }

// star_expression: '*' bitwise_or | expression
func (p *parser) parseStarExpression() Expr { return p.parseStarItem(false) }

// star_named_expressions: ','.star_named_expression+ [',']  (as a tuple when there is a comma)
func (p *parser) parseStarNamedExpressions() Expr { return p.parseStarList(true) }

// star_named_expression: '*' bitwise_or | named_expression
func (p *parser) parseStarNamedExpression() Expr { return p.parseStarItem(true) }

// parseStarList parses star_expressions, or star_named_expressions when
// named: one item, or a Tuple when a comma follows.
func (p *parser) parseStarList(named bool) Expr {
	start := p.tok.Start
	x := p.parseStarItem(named)
	if p.tok.Kind != COMMA {
		return x
	}
	base := len(p.scratch)
	p.pushExpr(x)
	for p.got(COMMA) {
		if !startsExpr(p.tok.Kind) {
			break
		}
		p.pushExpr(p.parseStarItem(named))
	}
	return &Tuple{Range: Range{start, p.prevEnd}, Elts: p.popExprs(base)}
}

// parseStarItem parses star_expression, or star_named_expression when named.
func (p *parser) parseStarItem(named bool) Expr {
	if p.tok.Kind == STAR {
		start := p.tok.Start
		p.next()
		x := p.parseBitwiseOr()
		return &Starred{Range: Range{start, p.prevEnd}, Value: x}
	}
	if named {
		return p.parseNamedExpression()
	}
	return p.parseExpression()
}

// named_expression: assignment_expression | expression !':='
// assignment_expression: NAME ':=' ~ expression
func (p *parser) parseNamedExpression() Expr {
	start := p.tok.Start
	x := p.parseExpression()
	if p.tok.Kind != COLONEQUAL {
		return x
	}
	name, ok := x.(*Name)
	if !ok || p.parenthesed == x {
		p.errorAt(x.Pos(), "cannot use assignment expressions with "+describeExpr(x))
	} else {
		name.Ctx = Store
	}
	p.next()
	value := p.parseExpression()
	return &NamedExpr{Range: Range{start, p.prevEnd}, Target: x, Value: value}
}

// expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
func (p *parser) parseExpression() Expr {
	defer p.decNest(p.incNest())
	if p.tok.Kind == LAMBDA {
		return p.parseLambdef()
	}
	start := p.tok.Start
	x := p.parseDisjunction()
	if p.tok.Kind != IF {
		return x
	}
	p.next()
	test := p.parseDisjunction()
	var orelse Expr
	if p.tok.Kind != ELSE {
		p.errorExpected("'else' after 'if' expression")
		orelse = p.missingExpr()
	} else {
		p.next()
		orelse = p.parseExpression()
	}
	return &IfExp{Range: Range{start, p.prevEnd}, Test: test, Body: x, Orelse: orelse}
}

// disjunction: conjunction ('or' conjunction)+ | conjunction
func (p *parser) parseDisjunction() Expr {
	start := p.tok.Start
	x := p.parseConjunction()
	if p.tok.Kind != OR {
		return x
	}
	values := []Expr{x}
	for p.got(OR) {
		values = append(values, p.parseConjunction())
	}
	return &BoolOp{Range: Range{start, p.prevEnd}, Op: Or, Values: values}
}

// conjunction: inversion ('and' inversion)+ | inversion
func (p *parser) parseConjunction() Expr {
	start := p.tok.Start
	x := p.parseInversion()
	if p.tok.Kind != AND {
		return x
	}
	values := []Expr{x}
	for p.got(AND) {
		values = append(values, p.parseInversion())
	}
	return &BoolOp{Range: Range{start, p.prevEnd}, Op: And, Values: values}
}

// inversion: 'not' inversion | comparison
func (p *parser) parseInversion() Expr {
	if p.tok.Kind != NOT {
		return p.parseComparison()
	}
	defer p.decNest(p.incNest())
	start := p.tok.Start
	p.next()
	x := p.parseInversion()
	return &UnaryOp{Range: Range{start, p.prevEnd}, Op: Not, Operand: x}
}

// compareOp returns the comparison operator at the current token, consuming
// it (two tokens for "not in" and "is not").
func (p *parser) compareOp() (CmpOperator, bool) {
	var op CmpOperator
	switch p.tok.Kind {
	case EQEQUAL:
		op = Eq
	case NOTEQUAL:
		op = NotEq
	case LESS:
		op = Lt
	case LESSEQUAL:
		op = LtE
	case GREATER:
		op = Gt
	case GREATEREQUAL:
		op = GtE
	case IN:
		op = In
	case IS:
		p.next()
		if p.got(NOT) {
			return IsNot, true
		}
		return Is, true
	case NOT:
		if p.peek().Kind != IN {
			return 0, false
		}
		p.next()
		p.next()
		return NotIn, true
	default:
		return 0, false
	}
	p.next()
	return op, true
}

// comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or
func (p *parser) parseComparison() Expr {
	start := p.tok.Start
	x := p.parseBitwiseOr()
	op, ok := p.compareOp()
	if !ok {
		return x
	}
	cmp := &Compare{Left: x}
	for {
		y := p.parseBitwiseOr()
		cmp.Ops = append(cmp.Ops, op)
		cmp.Comparators = append(cmp.Comparators, y)
		if op, ok = p.compareOp(); !ok {
			break
		}
	}
	cmp.Range = Range{start, p.prevEnd}
	return cmp
}

// bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor  (and so on down to term)
func (p *parser) parseBitwiseOr() Expr { return p.parseBinary(1) }

// parseBinary parses the binary operators binding at least as tightly as
// minPrec: bitwise_or, bitwise_xor, bitwise_and, shift_expr, sum, term.
func (p *parser) parseBinary(minPrec int8) Expr {
	start := p.tok.Start
	x := p.parseFactor()
	for n := 1; ; n++ {
		prec := binPrec[p.tok.Kind]
		if prec < minPrec || prec == 0 {
			return x
		}
		op := binOps[p.tok.Kind]
		p.next()
		y := p.parseBinary(prec + 1)
		p.chainLimit(n)
		x = &BinOp{Range: Range{start, p.prevEnd}, Left: x, Op: op, Right: y}
	}
}

// factor: '+' factor | '-' factor | '~' factor | power
func (p *parser) parseFactor() Expr {
	var op UnaryOperator
	switch p.tok.Kind {
	case PLUS:
		op = UAdd
	case MINUS:
		op = USub
	case TILDE:
		op = Invert
	default:
		return p.parsePower()
	}
	defer p.decNest(p.incNest())
	start := p.tok.Start
	p.next()
	x := p.parseFactor()
	return &UnaryOp{Range: Range{start, p.prevEnd}, Op: op, Operand: x}
}

// power: await_primary '**' factor | await_primary
func (p *parser) parsePower() Expr {
	start := p.tok.Start
	x := p.parseAwaitPrimary()
	if p.tok.Kind != DOUBLESTAR {
		return x
	}
	defer p.decNest(p.incNest())
	p.next()
	y := p.parseFactor()
	return &BinOp{Range: Range{start, p.prevEnd}, Left: x, Op: Pow, Right: y}
}

// await_primary: 'await' primary | primary
func (p *parser) parseAwaitPrimary() Expr {
	if p.tok.Kind != AWAIT {
		return p.parsePrimary()
	}
	start := p.tok.Start
	p.next()
	x := p.parsePrimary()
	return &Await{Range: Range{start, p.prevEnd}, Value: x}
}

// primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')' | primary '[' slices ']' | atom
func (p *parser) parsePrimary() Expr {
	start := p.tok.Start
	x := p.parseAtom()
	for n := 1; ; n++ {
		switch p.tok.Kind {
		case DOT:
			p.next()
			if p.tok.Kind != NAME {
				p.invalidSyntax()
				return x
			}
			name := p.identifier(p.tok)
			end := p.tok.End
			p.next()
			x = p.newAttribute(start, end, x, name)
		case LPAR:
			x = p.parseCall(start, x)
		case LSQB:
			p.next()
			slice := p.parseSlices()
			end := p.tok.End
			if !p.expect(RSQB) {
				end = p.prevEnd
			}
			x = &Subscript{Range: Range{start, end}, Value: x, Slice: slice}
		default:
			return x
		}
		p.chainLimit(n)
	}
}

// slices: slice !',' | ','.(slice | starred_expression)+ [',']
func (p *parser) parseSlices() Expr {
	start := p.tok.Start
	first := p.parseSlice()
	if p.tok.Kind != COMMA {
		if _, ok := first.(*Starred); !ok {
			return first
		}
	}
	elts := []Expr{first}
	for p.got(COMMA) {
		if p.tok.Kind == RSQB {
			break
		}
		elts = append(elts, p.parseSlice())
	}
	return &Tuple{Range: Range{start, p.prevEnd}, Elts: elts}
}

// slice: [expression] ':' [expression] [':' [expression]] | named_expression
// (or, inside slices, starred_expression: '*' expression)
func (p *parser) parseSlice() Expr {
	start := p.tok.Start
	if p.tok.Kind == STAR {
		p.next()
		if !startsExpr(p.tok.Kind) || p.tok.Kind == STAR {
			p.errorAt(start, "Invalid star expression")
		}
		x := p.parseExpression()
		return &Starred{Range: Range{start, p.prevEnd}, Value: x}
	}
	var lower Expr
	if p.tok.Kind != COLON {
		lower = p.parseNamedExpression()
		if p.tok.Kind != COLON {
			return lower
		}
		if _, ok := lower.(*NamedExpr); ok && p.parenthesed != lower {
			p.errorAt(p.tok.Start, "invalid syntax")
		}
	}
	p.next()
	s := &Slice{Lower: lower}
	if k := p.tok.Kind; k != COLON && k != COMMA && k != RSQB {
		s.Upper = p.parseExpression()
	}
	if p.got(COLON) {
		if k := p.tok.Kind; k != COMMA && k != RSQB {
			s.Step = p.parseExpression()
		}
	}
	s.Range = Range{start, p.prevEnd}
	return s
}

// atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | (tuple | group | genexp)
//
//	| (list | listcomp) | (dict | set | dictcomp | setcomp) | '...'
func (p *parser) parseAtom() Expr {
	t := p.tok
	switch t.Kind {
	case NAME:
		p.next()
		return p.newName(t.Start, t.End, p.identifier(t))
	case NUMBER:
		p.next()
		v, err := parseNumber(p.text(t))
		if err != nil {
			p.errorAt(t.Start+Pos(err.Off), err.Msg)
		}
		return p.newConstant(t.Start, t.End, v)
	case STRING, FSTRING_START:
		return p.parseStrings()
	case NONE:
		p.next()
		return p.newConstant(t.Start, t.End, ConstValue{Kind: ConstNone})
	case TRUE:
		p.next()
		return p.newConstant(t.Start, t.End, ConstValue{Kind: ConstBool, B: true})
	case FALSE:
		p.next()
		return p.newConstant(t.Start, t.End, ConstValue{Kind: ConstBool})
	case ELLIPSIS:
		p.next()
		return p.newConstant(t.Start, t.End, ConstValue{Kind: ConstEllipsis})
	case LPAR:
		defer p.decNest(p.incNest())
		return p.parseParenAtom()
	case LSQB:
		defer p.decNest(p.incNest())
		return p.parseListAtom()
	case LBRACE:
		defer p.decNest(p.incNest())
		return p.parseBraceAtom()
	case STAR:
		defer p.decNest(p.incNest())
		p.invalidSyntax()
		p.next()
		x := p.parseBitwiseOr()
		return &Starred{Range: Range{t.Start, x.End()}, Value: x}
	case YIELD:
		p.errorAt(t.Start, "invalid syntax")
		return p.parseYieldExpr()
	}
	if t.Kind == NOT {
		p.errorAt(t.Start, "'not' after an operator must be parenthesized")
	} else {
		p.invalidSyntax()
	}
	return p.missingExpr()
}

// tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
// group: '(' (yield_expr | named_expression) ')'
// genexp: '(' (assignment_expression | expression !':=') for_if_clauses ')'
func (p *parser) parseParenAtom() Expr {
	lpar := p.tok.Start
	p.next()
	switch p.tok.Kind {
	case RPAR:
		end := p.tok.End
		p.next()
		return &Tuple{Range: Range{lpar, end}}
	case YIELD:
		x := p.parseYieldExpr()
		p.closeParen()
		p.parenthesed = x
		return x
	}
	x := p.parseStarNamedExpression()
	switch p.tok.Kind {
	case RPAR:
		p.next()
		if _, ok := x.(*Starred); ok {
			p.errorAt(x.Pos(), "cannot use starred expression here")
		}
		p.parenthesed = x
		return x
	case FOR, ASYNC:
		gens := p.parseForIfClauses(x)
		end := p.closeParen()
		return &GeneratorExp{Range: Range{lpar, end}, Elt: x, Generators: gens}
	case COMMA:
		base := len(p.scratch)
		p.pushExpr(x)
		last := x.Pos()
		for p.got(COMMA) {
			if p.tok.Kind == RPAR {
				break
			}
			last = p.tok.Start
			p.pushExpr(p.parseStarNamedExpression())
		}
		elts := p.popExprs(base)
		p.checkMissingComma(last)
		end := p.closeParen()
		return &Tuple{Range: Range{lpar, end}, Elts: elts}
	}
	p.checkMissingComma(x.Pos())
	p.closeParen()
	return x
}

// checkMissingComma reports two expressions side by side inside brackets as
// CPython does; elemStart is where the first of them starts.
func (p *parser) checkMissingComma(elemStart Pos) {
	if p.firstOnLine(p.tok.Start) {
		return // more likely an unclosed bracket
	}
	switch p.tok.Kind {
	case EQUAL:
		p.errorAt(elemStart, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?")
	case NAME, NUMBER, STRING, FSTRING_START, LBRACE, NONE, TRUE, FALSE, ELLIPSIS, LAMBDA, AWAIT, NOT:
		p.errorAt(elemStart, "invalid syntax. Perhaps you forgot a comma?")
	}
}

// checkCompTarget reports "[a, b for …]", a comprehension over an
// unparenthesised tuple, as CPython does.
func (p *parser) checkCompTarget(n int, start Pos) {
	if n > 1 && (p.tok.Kind == FOR || p.tok.Kind == ASYNC) {
		p.errorAt(start, "did you forget parentheses around the comprehension target?")
	}
}

// checkDictValue reports a missing value after "key:" in a dict display.
func (p *parser) checkDictValue(colon Pos) {
	switch {
	case p.tok.Kind == ILLEGAL: // reported by the scanner
	case p.tok.Kind == STAR:
		p.errorAt(p.tok.Start, "cannot use a starred expression in a dictionary value")
	case !startsExpr(p.tok.Kind):
		p.errorAt(colon, "expression expected after dictionary key and ':'")
	}
}

// closeParen consumes ')' and returns its end, reporting a missing one.
func (p *parser) closeParen() Pos {
	if p.tok.Kind == RPAR {
		end := p.tok.End
		p.next()
		return end
	}
	p.errorExpected("')'")
	return p.prevEnd
}

// closeBracket consumes the closing token k and returns its end.
func (p *parser) closeBracket(k Kind) Pos {
	if p.tok.Kind == k {
		end := p.tok.End
		p.next()
		return end
	}
	p.errorExpected("'" + k.String() + "'")
	return p.prevEnd
}

// list: '[' [star_named_expressions] ']'
// listcomp: '[' named_expression for_if_clauses ']'
func (p *parser) parseListAtom() Expr {
	lsqb := p.tok.Start
	p.next()
	if p.tok.Kind == RSQB {
		end := p.tok.End
		p.next()
		return &List{Range: Range{lsqb, end}}
	}
	x := p.parseStarNamedExpression()
	if p.tok.Kind == FOR || p.tok.Kind == ASYNC {
		gens := p.parseForIfClauses(x)
		end := p.closeBracket(RSQB)
		return &ListComp{Range: Range{lsqb, end}, Elt: x, Generators: gens}
	}
	base := len(p.scratch)
	p.pushExpr(x)
	last := x.Pos()
	for p.got(COMMA) {
		if p.tok.Kind == RSQB {
			break
		}
		last = p.tok.Start
		p.pushExpr(p.parseStarNamedExpression())
	}
	elts := p.popExprs(base)
	p.checkMissingComma(last)
	p.checkCompTarget(len(elts), x.Pos())
	end := p.closeBracket(RSQB)
	return &List{Range: Range{lsqb, end}, Elts: elts}
}

// dict: '{' [double_starred_kvpairs] '}'
// set: '{' star_named_expressions '}'
// dictcomp: '{' kvpair for_if_clauses '}'
// setcomp: '{' named_expression for_if_clauses '}'
func (p *parser) parseBraceAtom() Expr {
	lbrace := p.tok.Start
	p.next()
	if p.tok.Kind == RBRACE {
		end := p.tok.End
		p.next()
		return &Dict{Range: Range{lbrace, end}}
	}
	if p.tok.Kind == DOUBLESTAR {
		return p.parseDictRest(lbrace, nil, nil)
	}
	x := p.parseStarNamedExpression()
	if p.tok.Kind == COLON {
		colon := p.tok.Start
		p.next()
		p.checkDictValue(colon)
		v := p.parseExpression()
		if p.tok.Kind == FOR || p.tok.Kind == ASYNC {
			gens := p.parseForIfClauses(x)
			end := p.closeBracket(RBRACE)
			return &DictComp{Range: Range{lbrace, end}, Key: x, Value: v, Generators: gens}
		}
		if p.tok.Kind == COMMA {
			p.next()
		} else if p.tok.Kind != RBRACE {
			p.errorExpected("',' or '}'")
		}
		return p.parseDictRest(lbrace, []Expr{x}, []Expr{v})
	}
	if p.tok.Kind == FOR || p.tok.Kind == ASYNC {
		gens := p.parseForIfClauses(x)
		end := p.closeBracket(RBRACE)
		return &SetComp{Range: Range{lbrace, end}, Elt: x, Generators: gens}
	}
	elts := []Expr{x}
	last := x.Pos()
	for p.got(COMMA) {
		if p.tok.Kind == RBRACE {
			break
		}
		last = p.tok.Start
		elts = append(elts, p.parseStarNamedExpression())
	}
	p.checkMissingComma(last)
	p.checkCompTarget(len(elts), x.Pos())
	end := p.closeBracket(RBRACE)
	return &Set{Range: Range{lbrace, end}, Elts: elts}
}

// double_starred_kvpairs: ','.double_starred_kvpair+ [',']
// double_starred_kvpair: '**' bitwise_or | kvpair
// kvpair: expression ':' expression
func (p *parser) parseDictRest(lbrace Pos, keys, values []Expr) Expr {
	last := lbrace
	for p.tok.Kind != RBRACE && p.tok.Kind != ENDMARKER {
		last = p.tok.Start
		if p.tok.Kind == DOUBLESTAR {
			p.next()
			keys = append(keys, nil)
			values = append(values, p.parseBitwiseOr())
		} else {
			start := p.tok.Start
			k := p.parseExpression()
			if p.tok.Kind != COLON {
				p.errorAt(p.tok.Start, "':' expected after dictionary key")
				if p.tok.Start == start {
					break
				}
				continue
			}
			colon := p.tok.Start
			p.next()
			p.checkDictValue(colon)
			keys = append(keys, k)
			values = append(values, p.parseExpression())
		}
		if !p.got(COMMA) {
			break
		}
	}
	if last != lbrace {
		p.checkMissingComma(last)
	}
	end := p.closeBracket(RBRACE)
	return &Dict{Range: Range{lbrace, end}, Keys: keys, Values: values}
}

// for_if_clauses: for_if_clause+
// for_if_clause: ['async'] 'for' star_targets 'in' ~ disjunction ('if' disjunction)*
func (p *parser) parseForIfClauses(elt Expr) []*Comprehension {
	if _, ok := elt.(*Starred); ok {
		p.errorAt(elt.Pos(), "iterable unpacking cannot be used in comprehension")
	}
	var gens []*Comprehension
	for p.tok.Kind == FOR || p.tok.Kind == ASYNC {
		c := &Comprehension{}
		c.Start = p.tok.Start
		if p.got(ASYNC) {
			c.IsAsync = true
		}
		if !p.expect(FOR) {
			break
		}
		c.Target = p.parseStarTargets()
		if p.tok.Kind != IN {
			p.errorAt(p.tok.Start, "'in' expected after for-loop variables")
		}
		if !p.got(IN) {
			c.Iter = p.missingExpr()
		} else {
			c.Iter = p.parseDisjunction()
		}
		for p.got(IF) {
			c.Ifs = append(c.Ifs, p.parseDisjunction())
		}
		c.Stop = p.prevEnd
		gens = append(gens, c)
	}
	return gens
}

// parseCall parses the argument list of a call of fn; the current token is '('.
// primary '(' [arguments] ')' | primary genexp
func (p *parser) parseCall(start Pos, fn Expr) Expr {
	call := p.newCall(start, fn)
	call.Args, call.Keywords, call.Stop = p.parseArguments(true)
	return call
}

// arguments: args [','] &')'
// args: ','.(starred_expression | (assignment_expression | expression !':=') !'=')+ [',' kwargs] | kwargs
// kwargs: ','.kwarg_or_starred+ ',' ','.kwarg_or_double_starred+ | …
// The current token is '('; parseArguments consumes through ')' and
// returns its end. A sole generator argument is allowed when genexp is set.
func (p *parser) parseArguments(genexp bool) (args []Expr, kws []*Keyword, end Pos) {
	lpar := p.tok.Start
	p.next()
	base := len(p.scratch)
	var sawKeyword, sawDoubleStar bool
	for p.tok.Kind != RPAR && p.tok.Kind != ENDMARKER {
		start := p.tok.Start
		switch p.tok.Kind {
		case STAR:
			p.next()
			if !startsExpr(p.tok.Kind) || p.tok.Kind == STAR {
				p.errorAt(start, "Invalid star expression")
			}
			v := p.parseExpression()
			if sawDoubleStar {
				p.errorAt(start, "iterable argument unpacking follows keyword argument unpacking")
			}
			p.pushExpr(&Starred{Range: Range{start, p.prevEnd}, Value: v})
		case DOUBLESTAR:
			p.next()
			v := p.parseExpression()
			sawDoubleStar = true
			kws = append(kws, &Keyword{Range: Range{start, p.prevEnd}, Value: v})
		default:
			x := p.parseNamedExpression()
			if p.tok.Kind == EQUAL {
				p.next()
				if !startsExpr(p.tok.Kind) {
					p.errorAt(p.tok.Start, "expected argument value expression")
				}
				v := p.parseExpression()
				name, ok := x.(*Name)
				if c, isConst := x.(*Constant); isConst && (c.Value.Kind == ConstBool || c.Value.Kind == ConstNone) {
					p.errorAt(x.Pos(), "cannot assign to "+describeExpr(x))
				} else if !ok || p.parenthesed == x {
					p.errorAt(x.Pos(), `expression cannot contain assignment, perhaps you meant "=="?`)
					kws = append(kws, &Keyword{Range: Range{start, p.prevEnd}, Value: v})
				} else {
					kws = append(kws, &Keyword{Range: Range{start, p.prevEnd}, Arg: name.ID, Value: v})
				}
				sawKeyword = true
				break
			}
			if p.tok.Kind == FOR || p.tok.Kind == ASYNC {
				gens := p.parseForIfClauses(x)
				g := &GeneratorExp{Range: Range{start, p.prevEnd}, Elt: x, Generators: gens}
				if genexp && len(p.scratch) == base && len(kws) == 0 && p.tok.Kind == RPAR {
					g.Start, g.Stop = lpar, p.tok.End
				} else {
					p.errorAt(x.Pos(), "Generator expression must be parenthesized")
				}
				x = g
			}
			if sawDoubleStar {
				p.errorAt(x.Pos(), "positional argument follows keyword argument unpacking")
			} else if sawKeyword {
				p.errorAt(x.Pos(), "positional argument follows keyword argument")
			}
			p.pushExpr(x)
		}
		if !p.got(COMMA) {
			p.checkMissingComma(start)
			break
		}
	}
	args = p.popExprs(base)
	end = p.closeParen()
	return args, kws, end
}

// yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
func (p *parser) parseYieldExpr() Expr {
	start, end := p.tok.Start, p.tok.End
	p.next()
	if p.got(FROM) {
		x := p.parseExpression()
		return &YieldFrom{Range: Range{start, p.prevEnd}, Value: x}
	}
	if !startsExpr(p.tok.Kind) {
		return &Yield{Range: Range{start, end}}
	}
	x := p.parseStarExpressions()
	return &Yield{Range: Range{start, p.prevEnd}, Value: x}
}

// lambdef: 'lambda' [lambda_params] ':' expression
func (p *parser) parseLambdef() Expr {
	start := p.tok.Start
	p.next()
	args := p.parseParameters(COLON, false)
	var body Expr
	if !p.expect(COLON) {
		body = p.missingExpr()
	} else {
		body = p.parseExpression()
	}
	return &Lambda{Range: Range{start, p.prevEnd}, Args: args, Body: body}
}

// parameters: slash_no_default param_no_default* param_with_default* [star_etc] | …
// lambda_params: the same without annotations.
// star_etc: '*' param_no_default param_maybe_default* [kwds] | '*' ',' param_maybe_default+ [kwds] | kwds
// kwds: '**' param_no_default
// parseParameters parses parameters up to (not including) the closing token.
func (p *parser) parseParameters(closing Kind, annotations bool) *Arguments {
	a := &Arguments{}
	a.Start = p.tok.Start
	var sawDefault, sawStar, sawSlash, bareStar bool
	var kwonlyAfterStar int
	for p.tok.Kind != closing && p.tok.Kind != ENDMARKER {
		start := p.tok.Start
		switch p.tok.Kind {
		case SLASH:
			p.next()
			switch {
			case a.Kwarg != nil:
				p.errorAt(start, "arguments cannot follow var-keyword argument")
			case sawSlash:
				p.errorAt(start, "/ may appear only once")
			case sawStar:
				p.errorAt(start, "/ must be ahead of *")
			case len(a.Args) == 0:
				p.errorAt(start, "at least one argument must precede /")
			default:
				a.PosOnlyArgs, a.Args = a.Args, nil
			}
			sawSlash = true
		case STAR:
			p.next()
			if a.Kwarg != nil {
				p.errorAt(start, "arguments cannot follow var-keyword argument")
			}
			if sawStar {
				p.errorAt(start, "* argument may appear only once")
			}
			sawStar = true
			if p.tok.Kind == COMMA || p.tok.Kind == closing {
				bareStar = true
				kwonlyAfterStar = len(a.KwOnlyArgs)
				if p.tok.Kind == closing {
					p.errorAt(start, "named arguments must follow bare *")
				}
				break
			}
			a.Vararg = p.parseParam(annotations, true)
			if p.tok.Kind == EQUAL {
				p.errorAt(p.tok.Start, "var-positional argument cannot have default value")
				p.next()
				p.parseExpression()
			}
		case DOUBLESTAR:
			p.next()
			if a.Kwarg != nil {
				p.errorAt(start, "arguments cannot follow var-keyword argument")
			}
			a.Kwarg = p.parseParam(annotations, false)
			if p.tok.Kind == EQUAL {
				p.errorAt(p.tok.Start, "var-keyword argument cannot have default value")
				p.next()
				p.parseExpression()
			}
		case NAME:
			arg := p.parseParam(annotations, false)
			if a.Kwarg != nil {
				p.errorAt(start, "arguments cannot follow var-keyword argument")
			}
			var def Expr
			if p.got(EQUAL) {
				if !startsExpr(p.tok.Kind) {
					p.errorAt(p.tok.Start, "expected default value expression")
				}
				def = p.parseExpression()
			}
			if sawStar {
				a.KwOnlyArgs = append(a.KwOnlyArgs, arg)
				a.KwDefaults = append(a.KwDefaults, def)
				break
			}
			a.Args = append(a.Args, arg)
			if def != nil {
				sawDefault = true
				a.Defaults = append(a.Defaults, def)
			} else if sawDefault {
				p.errorAt(start, "parameter without a default follows parameter with a default")
			}
		default:
			if p.tok.Kind == LPAR {
				if annotations {
					p.errorAt(p.tok.Start, "Function parameters cannot be parenthesized")
				} else {
					p.errorAt(p.tok.Start, "Lambda expression parameters cannot be parenthesized")
				}
			} else {
				p.invalidSyntax()
			}
			a.Stop = max(p.prevEnd, a.Start)
			return a
		}
		if !p.got(COMMA) {
			break
		}
	}
	if bareStar && len(a.KwOnlyArgs) == kwonlyAfterStar && p.tok.Kind == closing {
		p.errorAt(p.tok.Start, "named arguments must follow bare *")
	}
	a.Stop = max(p.prevEnd, a.Start)
	return a
}

// param: NAME annotation?  (star_annotation for *args when starAnn)
func (p *parser) parseParam(annotations, starAnn bool) *Arg {
	if p.tok.Kind != NAME {
		p.invalidSyntax()
		q := p.missingPos()
		return &Arg{Range: Range{q, q}}
	}
	arg := &Arg{Range: Range{p.tok.Start, p.tok.End}, Arg: p.identifier(p.tok)}
	p.next()
	if annotations && p.tok.Kind == COLON {
		p.next()
		if starAnn && p.tok.Kind == STAR {
			start := p.tok.Start
			p.next()
			x := p.parseBitwiseOr()
			arg.Annotation = &Starred{Range: Range{start, p.prevEnd}, Value: x}
		} else {
			arg.Annotation = p.parseExpression()
		}
		arg.Stop = p.prevEnd
	}
	return arg
}
