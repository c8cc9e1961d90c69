package pyast

import "fmt"

// Statements, following the statement rules of CPython's Grammar/python.gram
// (3.13). Error recovery synchronises on statement boundaries: a statement
// that fails is skipped to the end of its logical line (NEWLINE), and an
// unexpected indented block is parsed in place so the code after an error
// is still in the tree.

// file: [statements] ENDMARKER
func (p *parser) parseFile() {
	p.body = make([]Stmt, 0, 16)
	for p.tok.Kind != ENDMARKER {
		before := p.tok.Start
		beforeKind := p.tok.Kind
		p.body = p.parseStatement(p.body)
		p.progress(before, beforeKind)
	}
}

// progress is the loop guard: if a statement loop iteration consumed
// nothing, report and consume one token so the loop cannot spin.
func (p *parser) progress(before Pos, beforeKind Kind) {
	if p.tok.Start == before && p.tok.Kind == beforeKind && p.tok.Kind != ENDMARKER {
		p.invalidSyntax()
		p.next()
	}
}

// statement: compound_stmt | simple_stmts
func (p *parser) parseStatement(list []Stmt) []Stmt {
	switch p.tok.Kind {
	case DEF:
		return append(list, p.parseFunctionDef(nil, p.tok.Start))
	case CLASS:
		return append(list, p.parseClassDef(nil))
	case IF:
		return append(list, p.parseIfStmt())
	case WHILE:
		return append(list, p.parseWhileStmt())
	case FOR:
		return append(list, p.parseForStmt(p.tok.Start, false))
	case TRY:
		return append(list, p.parseTryStmt())
	case WITH:
		return append(list, p.parseWithStmt(p.tok.Start, false))
	case AT:
		return append(list, p.parseDecorated())
	case ASYNC:
		return append(list, p.parseAsyncStmt())
	case NAME:
		switch p.text(p.tok) {
		case "match":
			if s := p.parseMatchStmt(); s != nil {
				return append(list, s)
			}
		case "type":
			if p.peek().Kind == NAME {
				return p.parseSimpleStmts(list)
			}
		}
	case LEFTSHIFT, EQEQUAL, RIGHTSHIFT, VBAR:
		if p.conflictMarker() {
			p.errorAt(p.tok.Start, "merge conflict marker")
			p.skipLine()
			p.afterConflict = true
			return list
		}
	case INDENT:
		// An unexpected indented block: report it (unless it follows a
		// merge conflict marker) and keep its statements.
		defer p.decNest(p.incNest())
		if !p.afterConflict {
			p.errorKindAt(IndentationError, p.tok.Start, "unexpected indent")
		}
		p.next()
		for p.tok.Kind != DEDENT && p.tok.Kind != ENDMARKER {
			before, kind := p.tok.Start, p.tok.Kind
			list = p.parseStatement(list)
			p.progress(before, kind)
		}
		p.got(DEDENT)
		return list
	case DEDENT:
		p.next()
		return list
	case NEWLINE:
		p.invalidSyntax()
		p.next()
		return list
	}
	return p.parseSimpleStmts(list)
}

// conflictMarker reports whether the current token starts a version-control
// conflict marker line: seven '<', '=', '>' or '|' at the start of a line.
func (p *parser) conflictMarker() bool {
	start := int(p.tok.Start)
	if start > 0 && p.src[start-1] != '\n' || start+7 > len(p.src) {
		return false
	}
	c := p.src[start]
	for i := 1; i < 7; i++ {
		if p.src[start+i] != c {
			return false
		}
	}
	return start+7 == len(p.src) || p.src[start+7] == ' ' || p.src[start+7] == '\n'
}

// simple_stmts: simple_stmt !';' NEWLINE | ';'.simple_stmt+ [';'] NEWLINE
func (p *parser) parseSimpleStmts(list []Stmt) []Stmt {
	p.stmtStart = p.tok.Start
	for {
		nerr := len(p.errors)
		list = append(list, p.parseSimpleStmt())
		if len(p.errors) > nerr {
			p.skipLine()
			return list
		}
		if !p.got(SEMI) {
			break
		}
		if p.tok.Kind == NEWLINE || p.tok.Kind == ENDMARKER {
			break
		}
	}
	if !p.got(NEWLINE) && p.tok.Kind != ENDMARKER {
		p.invalidSyntax()
		p.skipLine()
	}
	return list
}

// skipLine skips to the end of the logical line and consumes its NEWLINE.
// An unclosed bracket would make that the end of the file: when a line
// inside brackets starts like a new statement, the brackets are abandoned
// there (see resyncAtLine).
func (p *parser) skipLine() {
	for p.tok.Kind != NEWLINE && p.tok.Kind != ENDMARKER {
		if p.resyncAtLine() {
			break
		}
		p.next()
	}
	p.got(NEWLINE)
}

// firstOnLine reports whether only indentation precedes offset pos on its line.
func (p *parser) firstOnLine(pos Pos) bool {
	for i := int(pos) - 1; i >= 0; i-- {
		switch p.src[i] {
		case ' ', '\t', '\f':
			continue
		case '\n':
			return true
		}
		return false
	}
	return true
}

// resyncAtLine is the re-lexing step of error recovery. If the current token
// is the first of its physical line, looks like the start of a statement
// (a statement keyword, or no deeper than the statement being recovered),
// and brackets are still open, the scanner forgets them so that the
// following lines are statements again, and a NEWLINE is inserted before the
// current token. It reports whether it did so.
func (p *parser) resyncAtLine() bool {
	t := p.tok
	if !p.firstOnLine(t.Start) {
		return false
	}
	switch t.Kind {
	case DEF, CLASS, RETURN, IMPORT, PASS, RAISE, GLOBAL, NONLOCAL, DEL, ASSERT, TRY, WHILE,
		WITH, BREAK, CONTINUE, AT, ELIF, EXCEPT, FINALLY:
	default:
		if p.file.Position(t.Start).Col > p.file.Position(p.stmtStart).Col {
			return false
		}
	}
	ch, off, open := p.sc.InnermostBracket()
	if !open || !p.sc.ReLexLogicalLine() {
		return false
	}
	for p.sc.ReLexLogicalLine() {
	}
	// CPython tokenizes the rest of the file after a parser error, and an
	// unclosed bracket on an earlier line than that error is what it
	// reports. The bracket dropped here is that bracket.
	if p.file.Position(off).Line < p.file.Position(t.Start).Line {
		p.errorAt(off, fmt.Sprintf("'%c' was never closed", ch))
	}
	// Push the current token back and stand a NEWLINE in front of it.
	rest := p.ahead[p.aheadPos:]
	buf := make([]Token, 0, len(rest)+1)
	buf = append(buf, t)
	buf = append(buf, rest...)
	p.ahead, p.aheadPos = buf, 0
	p.tok = Token{Kind: NEWLINE, Start: t.Start, End: t.Start}
	return true
}

// simple_stmt: assignment | type_alias | star_expressions | return_stmt | import_stmt
//
//	| raise_stmt | 'pass' | del_stmt | yield_stmt | assert_stmt | 'break' | 'continue'
//	| global_stmt | nonlocal_stmt
func (p *parser) parseSimpleStmt() Stmt {
	t := p.tok
	switch t.Kind {
	case PASS:
		p.next()
		return &Pass{Range{t.Start, t.End}}
	case BREAK:
		p.next()
		return &Break{Range{t.Start, t.End}}
	case CONTINUE:
		p.next()
		return &Continue{Range{t.Start, t.End}}
	case RETURN:
		return p.parseReturnStmt()
	case RAISE:
		return p.parseRaiseStmt()
	case GLOBAL, NONLOCAL:
		return p.parseGlobalStmt()
	case DEL:
		return p.parseDelStmt()
	case ASSERT:
		return p.parseAssertStmt()
	case IMPORT:
		return p.parseImportName()
	case FROM:
		return p.parseImportFrom()
	case NAME:
		if p.text(t) == "type" && p.peek().Kind == NAME {
			return p.parseTypeAlias()
		}
	}
	if !startsExpr(t.Kind) && t.Kind != YIELD {
		// The placeholder consumes the token it covers: left for skipLine,
		// the token could start the next statement after a re-lex (a line
		// in an unclosed bracket) and so lie outside the parent and in two
		// statements at once.
		p.invalidSyntax()
		if t.Kind != NEWLINE && t.Kind != ENDMARKER && t.Kind != INDENT && t.Kind != DEDENT {
			p.next()
			return &BadStmt{Range{t.Start, t.End}}
		}
		q := p.missingPos()
		return &BadStmt{Range{q, q}}
	}
	return p.parseExprOrAssignStmt()
}

// augOps maps augmented-assignment tokens to their operators (+1; 0: none).
var augOps = [...]Operator{
	PLUSEQUAL: Add + 1, MINEQUAL: Sub + 1, STAREQUAL: Mult + 1, ATEQUAL: MatMult + 1,
	SLASHEQUAL: Div + 1, PERCENTEQUAL: Mod + 1, DOUBLESTAREQUAL: Pow + 1,
	LEFTSHIFTEQUAL: LShift + 1, RIGHTSHIFTEQUAL: RShift + 1, VBAREQUAL: BitOr + 1,
	CIRCUMFLEXEQUAL: BitXor + 1, AMPEREQUAL: BitAnd + 1, DOUBLESLASHEQUAL: FloorDiv + 1,
	keywordEnd: 0,
}

// parseAssignValue parses the right side of an assignment: yield_expr | star_expressions.
func (p *parser) parseAssignValue() Expr {
	if p.tok.Kind == YIELD {
		return p.parseYieldExpr()
	}
	if !startsExpr(p.tok.Kind) {
		p.invalidSyntax()
		return p.missingExpr()
	}
	return p.parseStarExpressions()
}

// assignment:
//
//	| NAME ':' expression ['=' annotated_rhs]
//	| ('(' single_target ')' | single_subscript_attribute_target) ':' expression ['=' annotated_rhs]
//	| (star_targets '=')+ (yield_expr | star_expressions) !'='
//	| single_target augassign ~ (yield_expr | star_expressions)
func (p *parser) parseExprOrAssignStmt() Stmt {
	start := p.tok.Start
	var x Expr
	if p.tok.Kind == YIELD {
		x = p.parseYieldExpr()
	} else {
		x = p.parseStarExpressions()
	}
	switch k := p.tok.Kind; {
	case k == COLON:
		return p.parseAnnAssign(start, x)
	case k == COLONEQUAL:
		if _, ok := x.(*Name); !ok || p.parenthesed == x {
			p.errorAt(x.Pos(), "cannot use assignment expressions with "+describeExpr(x))
		}
	case k == EQUAL:
		targets := []Expr{x}
		for p.got(EQUAL) {
			targets = append(targets, p.parseAssignValue())
		}
		value := targets[len(targets)-1]
		targets = targets[:len(targets)-1]
		for i, t := range targets {
			p.setAssignTarget(t, i == len(targets)-1 && isBitwiseOrLevel(value))
		}
		return &Assign{Range: Range{start, p.prevEnd}, Targets: targets, Value: value}
	case augOps[k] != 0:
		op := augOps[k] - 1
		switch x.(type) {
		case *Name, *Attribute, *Subscript:
			p.setContext(x, Store)
		default:
			p.errorAt(x.Pos(), "'"+describeExpr(x)+"' is an illegal expression for augmented assignment")
		}
		p.next()
		value := p.parseAssignValue()
		return &AugAssign{Range: Range{start, p.prevEnd}, Target: x, Op: op, Value: value}
	}
	if name, ok := x.(*Name); ok && (name.ID == "print" || name.ID == "exec") && startsExpr(p.tok.Kind) &&
		p.tok.Kind != STAR && p.tok.Kind != MINUS && p.tok.Kind != PLUS && p.tok.Kind != TILDE {
		p.errorAt(start, "Missing parentheses in call to '"+name.ID+"'. Did you mean "+name.ID+"(...)?")
	}
	return p.newExprStmt(start, p.prevEnd, x)
}

// setAssignTarget gives an assignment target the Store context, with
// CPython's messages for what cannot be assigned to.
//
// CPython adds "here. Maybe you meant '==' instead of '='?" when the last
// target and the value are both bitwise_or-level expressions (last and
// simpleValue) and the target is not True, False, None or a generator.
func (p *parser) setAssignTarget(t Expr, last bool) {
	switch n := t.(type) {
	case *Name, *Attribute, *Subscript, *Starred, *Tuple, *List, *BadExpr:
		p.setContext(t, Store)
	case *Yield, *YieldFrom:
		p.errorAt(t.Pos(), "assignment to yield expression not possible")
	default:
		here := last && isBitwiseOrLevel(t)
		if c, ok := n.(*Constant); ok && (c.Value.Kind == ConstBool || c.Value.Kind == ConstNone) {
			here = false
		}
		if _, ok := n.(*GeneratorExp); ok {
			here = false
		}
		if here {
			p.errorAt(t.Pos(), "cannot assign to "+describeExpr(t)+" here. Maybe you meant '==' instead of '='?")
		} else {
			p.errorAt(t.Pos(), "cannot assign to "+describeExpr(t))
		}
	}
}

// isBitwiseOrLevel reports whether x is an expression of the grammar's
// bitwise_or level or tighter (no comparison, not, and/or, if-else, lambda).
func isBitwiseOrLevel(x Expr) bool {
	switch n := x.(type) {
	case *Compare, *BoolOp, *IfExp, *Lambda, *NamedExpr, *Yield, *YieldFrom, *Starred:
		return false
	case *UnaryOp:
		return n.Op != Not
	}
	return true
}

// parseAnnAssign parses an annotated assignment whose target x has been parsed.
func (p *parser) parseAnnAssign(start Pos, x Expr) Stmt {
	simple := false
	switch n := x.(type) {
	case *Name:
		simple = p.parenthesed != x
		n.Ctx = Store
	case *Attribute, *Subscript:
		p.setContext(x, Store)
	case *Tuple:
		p.errorAt(x.Pos(), "only single target (not tuple) can be annotated")
	case *List:
		p.errorAt(x.Pos(), "only single target (not list) can be annotated")
	default:
		p.errorAt(x.Pos(), "illegal target for annotation")
	}
	p.next()
	ann := p.parseExpression()
	s := &AnnAssign{Target: x, Annotation: ann, Simple: simple}
	if p.got(EQUAL) {
		s.Value = p.parseAssignValue()
	}
	s.Range = Range{start, p.prevEnd}
	return s
}

// return_stmt: 'return' [star_expressions]
func (p *parser) parseReturnStmt() Stmt {
	s := &Return{Range: Range{p.tok.Start, p.tok.End}}
	p.next()
	if startsExpr(p.tok.Kind) {
		s.Value = p.parseStarExpressions()
		s.Stop = p.prevEnd
	}
	return s
}

// raise_stmt: 'raise' expression ['from' expression] | 'raise'
func (p *parser) parseRaiseStmt() Stmt {
	s := &Raise{Range: Range{p.tok.Start, p.tok.End}}
	p.next()
	if startsExpr(p.tok.Kind) {
		s.Exc = p.parseExpression()
		if p.got(FROM) {
			s.Cause = p.parseExpression()
		}
		s.Stop = p.prevEnd
	}
	return s
}

// global_stmt: 'global' ','.NAME+
// nonlocal_stmt: 'nonlocal' ','.NAME+
func (p *parser) parseGlobalStmt() Stmt {
	kind := p.tok.Kind
	start := p.tok.Start
	p.next()
	var names []string
	for {
		if p.tok.Kind != NAME {
			p.errorExpected("name")
			break
		}
		names = append(names, p.identifier(p.tok))
		p.next()
		if !p.got(COMMA) {
			break
		}
	}
	if kind == GLOBAL {
		return &Global{Range: Range{start, p.prevEnd}, Names: names}
	}
	return &Nonlocal{Range: Range{start, p.prevEnd}, Names: names}
}

// del_stmt: 'del' del_targets &(';' | NEWLINE)
func (p *parser) parseDelStmt() Stmt {
	start := p.tok.Start
	p.next()
	targets := p.parseDelTargets()
	if len(targets) == 0 {
		p.errorExpected("expression")
	}
	return &Delete{Range: Range{start, p.prevEnd}, Targets: targets}
}

// assert_stmt: 'assert' expression [',' expression]
func (p *parser) parseAssertStmt() Stmt {
	start := p.tok.Start
	p.next()
	s := &Assert{Test: p.parseExpression()}
	if p.got(COMMA) {
		s.Msg = p.parseExpression()
	}
	s.Range = Range{start, p.prevEnd}
	return s
}

// import_name: 'import' dotted_as_names
// dotted_as_names: ','.dotted_as_name+
// dotted_as_name: dotted_name ['as' NAME]
func (p *parser) parseImportName() Stmt {
	start := p.tok.Start
	p.next()
	s := &Import{}
	if p.tok.Kind != NAME {
		p.errorAt(p.tok.Start, "Expected one or more names after 'import'")
	}
	for {
		a := &Alias{}
		a.Start = p.tok.Start
		a.Name = p.parseDottedName()
		if p.got(AS) {
			a.Asname = p.parseName()
		}
		a.Range = p.rangeFrom(a.Start)
		s.Names = append(s.Names, a)
		if !p.got(COMMA) {
			break
		}
	}
	if p.tok.Kind == FROM {
		p.errorAt(start, "Did you mean to use 'from ... import ...' instead?")
	}
	s.Range = Range{start, p.prevEnd}
	return s
}

// rangeFrom returns the range from start to the end of the last consumed
// token; when nothing was consumed since start (a missing name after an
// error) it is the empty range at that end, so it stays inside the parent.
func (p *parser) rangeFrom(start Pos) Range {
	if p.prevEnd < start {
		return Range{p.prevEnd, p.prevEnd}
	}
	return Range{start, p.prevEnd}
}

// parseName consumes a NAME and returns its identifier ("" after an error).
func (p *parser) parseName() string {
	if p.tok.Kind != NAME {
		p.invalidSyntax()
		return ""
	}
	s := p.identifier(p.tok)
	p.next()
	return s
}

// dotted_name: dotted_name '.' NAME | NAME
func (p *parser) parseDottedName() string {
	name := p.parseName()
	if p.tok.Kind != DOT {
		return name
	}
	buf := []byte(name)
	for p.got(DOT) {
		buf = append(buf, '.')
		buf = append(buf, p.parseName()...)
	}
	return string(buf)
}

// import_from:
//
//	| 'from' ('.' | '...')* dotted_name 'import' import_from_targets
//	| 'from' ('.' | '...')+ 'import' import_from_targets
//
// import_from_targets: '(' import_from_as_names [','] ')' | import_from_as_names !',' | '*'
func (p *parser) parseImportFrom() Stmt {
	start := p.tok.Start
	p.next()
	s := &ImportFrom{}
	for {
		if p.got(DOT) {
			s.Level++
		} else if p.got(ELLIPSIS) {
			s.Level += 3
		} else {
			break
		}
	}
	if p.tok.Kind != IMPORT || s.Level == 0 {
		s.Module = p.parseDottedName()
	}
	if !p.expect(IMPORT) {
		s.Range = Range{start, p.prevEnd}
		return s
	}
	switch p.tok.Kind {
	case STAR:
		s.Names = []*Alias{{Range: Range{p.tok.Start, p.tok.End}, Name: "*"}}
		p.next()
	case LPAR:
		p.next()
		s.Names = p.parseImportFromAsNames(true)
		p.closeParen()
	default:
		if p.tok.Kind != NAME {
			p.errorAt(p.tok.Start, "Expected one or more names after 'import'")
		}
		s.Names = p.parseImportFromAsNames(false)
	}
	s.Range = Range{start, p.prevEnd}
	return s
}

// import_from_as_names: ','.import_from_as_name+
// import_from_as_name: NAME ['as' NAME]
func (p *parser) parseImportFromAsNames(parens bool) []*Alias {
	var names []*Alias
	for {
		a := &Alias{}
		a.Start = p.tok.Start
		a.Name = p.parseName()
		if p.got(AS) {
			a.Asname = p.parseName()
		}
		a.Range = p.rangeFrom(a.Start)
		names = append(names, a)
		if p.tok.Kind != COMMA {
			break
		}
		p.next()
		if p.tok.Kind != NAME {
			if !parens {
				p.errorAt(p.prevEnd-1, "trailing comma not allowed without surrounding parentheses")
			}
			break
		}
	}
	return names
}

// type_alias: "type" NAME [type_params] '=' expression
func (p *parser) parseTypeAlias() Stmt {
	start := p.tok.Start
	p.next()
	t := p.tok
	p.next()
	name := p.newName(t.Start, t.End, p.identifier(t))
	name.Ctx = Store
	s := &TypeAlias{Name: name}
	if p.tok.Kind == LSQB {
		s.TypeParams = p.parseTypeParams()
	}
	if !p.expect(EQUAL) {
		s.Value = p.missingExpr()
	} else {
		s.Value = p.parseExpression()
	}
	s.Range = Range{start, p.prevEnd}
	return s
}

// type_params: '[' type_param_seq ']'
// type_param_seq: ','.type_param+ [',']
// type_param: NAME [type_param_bound] [type_param_default] | '*' NAME [type_param_starred_default]
//
//	| '**' NAME [type_param_default]
func (p *parser) parseTypeParams() []TypeParam {
	p.next()
	params := []TypeParam{}
	for p.tok.Kind != RSQB && p.tok.Kind != ENDMARKER {
		start := p.tok.Start
		switch p.tok.Kind {
		case STAR:
			p.next()
			tp := &TypeVarTuple{Name: p.parseName()}
			if p.tok.Kind == COLON {
				p.errorAt(p.tok.Start, "cannot use bound with TypeVarTuple")
				p.next()
				p.parseExpression()
			}
			if p.got(EQUAL) {
				tp.DefaultValue = p.parseStarExpression()
			}
			tp.Range = Range{start, p.prevEnd}
			params = append(params, tp)
		case DOUBLESTAR:
			p.next()
			tp := &ParamSpec{Name: p.parseName()}
			if p.tok.Kind == COLON {
				p.errorAt(p.tok.Start, "cannot use bound with ParamSpec")
				p.next()
				p.parseExpression()
			}
			if p.got(EQUAL) {
				tp.DefaultValue = p.parseExpression()
			}
			tp.Range = Range{start, p.prevEnd}
			params = append(params, tp)
		case NAME:
			tp := &TypeVar{Name: p.parseName()}
			if p.got(COLON) {
				tp.Bound = p.parseExpression()
			}
			if p.got(EQUAL) {
				tp.DefaultValue = p.parseExpression()
			}
			tp.Range = Range{start, p.prevEnd}
			params = append(params, tp)
		default:
			p.errorExpected("type parameter")
			p.closeBracket(RSQB)
			return params
		}
		if !p.got(COMMA) {
			break
		}
	}
	if len(params) == 0 {
		p.errorAt(p.tok.Start, "Type parameter list cannot be empty")
	}
	p.closeBracket(RSQB)
	return params
}

// ---------------------------------------------------------------------------
// Compound statements

// parseColon expects the ':' that ends a compound statement header; after an
// error it skips the rest of the header so the block can still be parsed.
func (p *parser) parseColon() {
	if p.got(COLON) {
		return
	}
	p.errorExpected("':'")
	for p.tok.Kind != COLON && p.tok.Kind != NEWLINE && p.tok.Kind != ENDMARKER {
		if p.resyncAtLine() {
			return
		}
		p.next()
	}
	p.got(COLON)
}

// block: NEWLINE INDENT statements DEDENT | simple_stmts
//
// what and start name the statement that owns the block, for the message
// "expected an indented block after 'if' statement on line 3".
func (p *parser) parseBlock(what string, start Pos) []Stmt {
	defer p.decNest(p.incNest())
	if p.tok.Kind != NEWLINE {
		if p.tok.Kind == ENDMARKER {
			p.errorKindAt(IndentationError, p.tok.Start, p.indentedBlockMsg(what, start))
			return nil
		}
		return p.parseSimpleStmts(make([]Stmt, 0, 1))
	}
	p.next()
	if p.tok.Kind != INDENT {
		p.errorKindAt(IndentationError, p.tok.Start, p.indentedBlockMsg(what, start))
		return nil
	}
	p.next()
	list := make([]Stmt, 0, 4)
	for p.tok.Kind != DEDENT && p.tok.Kind != ENDMARKER {
		before, kind := p.tok.Start, p.tok.Kind
		list = p.parseStatement(list)
		p.progress(before, kind)
	}
	p.got(DEDENT)
	return list
}

// indentedBlockMsg is CPython's message for a missing indented block.
func (p *parser) indentedBlockMsg(what string, start Pos) string {
	return fmt.Sprintf("expected an indented block after %s on line %d", what, p.file.Position(start).Line)
}

// else_block: 'else' &&':' block
func (p *parser) parseElseBlock() []Stmt {
	start := p.tok.Start
	p.next()
	p.parseColon()
	return p.parseBlock("'else' statement", start)
}

// if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
// elif_stmt: 'elif' named_expression ':' block (elif_stmt | [else_block])
func (p *parser) parseIfStmt() Stmt {
	var chain []*If
	for {
		s := &If{}
		s.Start = p.tok.Start
		what := "'if' statement"
		if p.tok.Kind == ELIF {
			what = "'elif' statement"
		}
		p.next()
		s.Test = p.parseNamedExpression()
		p.checkConditionEqual(s.Test)
		p.parseColon()
		s.Body = p.parseBlock(what, s.Start)
		if n := len(chain); n > 0 {
			chain[n-1].Orelse = []Stmt{s}
		}
		chain = append(chain, s)
		if p.tok.Kind != ELIF {
			break
		}
	}
	last := chain[len(chain)-1]
	if p.tok.Kind == ELSE {
		last.Orelse = p.parseElseBlock()
	}
	for _, s := range chain {
		s.Stop = p.prevEnd
	}
	return chain[0]
}

// while_stmt: 'while' named_expression ':' block [else_block]
func (p *parser) parseWhileStmt() Stmt {
	s := &While{}
	s.Start = p.tok.Start
	p.next()
	s.Test = p.parseNamedExpression()
	p.checkConditionEqual(s.Test)
	p.parseColon()
	s.Body = p.parseBlock("'while' statement", s.Start)
	if p.tok.Kind == ELSE {
		s.Orelse = p.parseElseBlock()
	}
	s.Stop = p.prevEnd
	return s
}

// for_stmt: ['async'] 'for' star_targets 'in' ~ star_expressions ':' [TYPE_COMMENT] block [else_block]
func (p *parser) parseForStmt(start Pos, isAsync bool) Stmt {
	s := &For{IsAsync: isAsync}
	s.Start = start
	p.next()
	s.Target = p.parseStarTargets()
	if p.tok.Kind != IN {
		p.invalidSyntax()
	}
	if p.got(IN) {
		s.Iter = p.parseStarExpressions()
	} else {
		s.Iter = p.missingExpr()
	}
	p.parseColon()
	s.Body = p.parseBlock("'for' statement", s.Start)
	if p.tok.Kind == ELSE {
		s.Orelse = p.parseElseBlock()
	}
	s.Stop = p.prevEnd
	return s
}

// with_stmt:
//
//	| ['async'] 'with' '(' ','.with_item+ ','? ')' ':' block
//	| ['async'] 'with' ','.with_item+ ':' block
func (p *parser) parseWithStmt(start Pos, isAsync bool) Stmt {
	s := &With{IsAsync: isAsync}
	s.Start = start
	p.next()
	if p.tok.Kind == LPAR {
		// The parenthesised form wins when the items are followed by ") :".
		m := p.mark()
		p.next()
		items := p.parseWithItems(RPAR)
		if !p.specFailed && p.tok.Kind == RPAR && p.peek().Kind == COLON {
			p.next()
			p.commit()
			s.Items = items
		} else {
			p.rewind(m)
		}
	}
	if s.Items == nil {
		s.Items = p.parseWithItems(COLON)
	}
	p.parseColon()
	s.Body = p.parseBlock("'with' statement", s.Start)
	s.Stop = p.prevEnd
	return s
}

// with_item: expression 'as' star_target &(',' | ')' | ':') | expression
func (p *parser) parseWithItems(closing Kind) []*WithItem {
	var items []*WithItem
	for {
		if !startsExpr(p.tok.Kind) || p.tok.Kind == STAR {
			p.errorExpected("expression")
			break
		}
		it := &WithItem{ContextExpr: p.parseExpression()}
		it.Start = it.ContextExpr.Pos()
		if p.got(AS) {
			t := p.parseStarTarget()
			p.setContext(t, Store)
			it.OptionalVars = t
			if k := p.tok.Kind; k != COMMA && k != RPAR && k != COLON {
				p.invalidSyntax()
			}
		}
		it.Stop = p.prevEnd
		items = append(items, it)
		if !p.got(COMMA) {
			break
		}
		if closing == RPAR && p.tok.Kind == RPAR {
			break
		}
	}
	return items
}

// try_stmt:
//
//	| 'try' &&':' block finally_block
//	| 'try' &&':' block except_block+ [else_block] [finally_block]
//	| 'try' &&':' block except_star_block+ [else_block] [finally_block]
func (p *parser) parseTryStmt() Stmt {
	s := &Try{}
	s.Start = p.tok.Start
	p.next()
	p.parseColon()
	s.Body = p.parseBlock("'try' statement", s.Start)
	var sawPlain, sawStar bool
	for p.tok.Kind == EXCEPT {
		h, star := p.parseExceptBlock()
		if star {
			sawStar = true
		} else {
			sawPlain = true
		}
		if sawStar && sawPlain {
			p.errorAt(h.Start, "cannot have both 'except' and 'except*' on the same 'try'")
		}
		s.Handlers = append(s.Handlers, h)
	}
	s.IsStar = sawStar && !sawPlain
	if p.tok.Kind == ELSE {
		if len(s.Handlers) == 0 {
			p.errorAt(p.tok.Start, "expected 'except' or 'finally' block")
		}
		s.Orelse = p.parseElseBlock()
	}
	if p.tok.Kind == FINALLY {
		finallyStart := p.tok.Start
		p.next()
		p.parseColon()
		s.Finalbody = p.parseBlock("'finally' statement", finallyStart)
	} else if len(s.Handlers) == 0 {
		p.errorAt(p.tok.Start, "expected 'except' or 'finally' block")
	}
	s.Stop = p.prevEnd
	return s
}

// except_block: 'except' expression ['as' NAME] ':' block | 'except' ':' block
// except_star_block: 'except' '*' expression ['as' NAME] ':' block
func (p *parser) parseExceptBlock() (*ExceptHandler, bool) {
	h := &ExceptHandler{}
	h.Start = p.tok.Start
	p.next()
	star := p.got(STAR)
	if p.tok.Kind != COLON {
		h.Type = p.parseExpression()
		if p.tok.Kind == COMMA {
			p.errorAt(h.Type.Pos(), "multiple exception types must be parenthesized")
		}
		if p.got(AS) {
			h.Name = p.parseName()
		}
	} else if star {
		p.errorAt(p.tok.Start, "expected one or more exception types")
	}
	p.parseColon()
	h.Body = p.parseBlock(exceptWhat(star), h.Start)
	h.Stop = p.prevEnd
	return h, star
}

// exceptWhat names an except clause in messages.
func exceptWhat(star bool) string {
	if star {
		return "'except*' statement"
	}
	return "'except' statement"
}

// checkConditionEqual reports "if x = 1:" the way CPython does.
func (p *parser) checkConditionEqual(test Expr) {
	if p.tok.Kind == EQUAL {
		p.errorAt(test.Pos(), "invalid syntax. Maybe you meant '==' or ':=' instead of '='?")
	}
}

// decorators: ('@' f=named_expression NEWLINE)+
func (p *parser) parseDecorated() Stmt {
	var decs []Expr
	for p.tok.Kind == AT {
		p.next()
		decs = append(decs, p.parseNamedExpression())
		if !p.got(NEWLINE) {
			p.invalidSyntax()
			p.skipLine()
		}
	}
	switch p.tok.Kind {
	case DEF:
		return p.parseFunctionDef(decs, p.tok.Start)
	case CLASS:
		return p.parseClassDef(decs)
	case ASYNC:
		if p.peek().Kind == DEF {
			start := p.tok.Start
			p.next()
			s := p.parseFunctionDef(decs, start)
			s.IsAsync = true
			return s
		}
	}
	p.errorExpected("function or class definition after decorator")
	q := p.missingPos()
	return &BadStmt{Range{q, q}}
}

// parseAsyncStmt parses 'async' followed by def, for or with.
func (p *parser) parseAsyncStmt() Stmt {
	start := p.tok.Start
	p.next()
	switch p.tok.Kind {
	case DEF:
		s := p.parseFunctionDef(nil, start)
		s.IsAsync = true
		return s
	case FOR:
		return p.parseForStmt(start, true)
	case WITH:
		return p.parseWithStmt(start, true)
	}
	p.invalidSyntax()
	p.skipLine()
	return &BadStmt{Range{start, p.prevEnd}}
}

// function_def_raw: ['async'] 'def' NAME [type_params] &&'(' [params] ')' ['->' expression] &&':' block
func (p *parser) parseFunctionDef(decs []Expr, start Pos) *FunctionDef {
	s := &FunctionDef{DecoratorList: decs}
	s.Start = start
	p.next()
	s.Name = p.parseName()
	if p.tok.Kind == LSQB {
		s.TypeParams = p.parseTypeParams()
	}
	if p.expect(LPAR) {
		s.Args = p.parseParameters(RPAR, true)
		p.closeParen()
	} else {
		s.Args = &Arguments{}
	}
	if p.got(RARROW) {
		s.Returns = p.parseExpression()
	}
	p.parseColon()
	s.Body = p.parseBlock("function definition", s.Start)
	s.Stop = p.prevEnd
	return s
}

// class_def_raw: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block
func (p *parser) parseClassDef(decs []Expr) Stmt {
	s := &ClassDef{DecoratorList: decs}
	s.Start = p.tok.Start
	p.next()
	s.Name = p.parseName()
	if p.tok.Kind == LSQB {
		s.TypeParams = p.parseTypeParams()
	}
	if p.tok.Kind == LPAR {
		s.Bases, s.Keywords, _ = p.parseArguments(false)
	}
	p.parseColon()
	s.Body = p.parseBlock("class definition", s.Start)
	s.Stop = p.prevEnd
	return s
}
