package pyast

// The match statement (PEP 634) and its patterns.

// match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
//
// "match" is a soft keyword: the statement is tried speculatively and
// abandoned (nil) when the line turns out to be an ordinary statement such
// as "match(x)" or "match = 1".
func (p *parser) parseMatchStmt() Stmt {
	switch p.peek().Kind {
	case NEWLINE, EQUAL, DOT, COLON, COMMA, RPAR, RSQB, RBRACE, SEMI, ENDMARKER, COLONEQUAL,
		IN, IS, AND, OR, IF, ELSE, FOR:
		return nil
	}
	if augOps[p.peek().Kind] != 0 {
		return nil
	}
	start := p.tok.Start
	m := p.mark()
	p.next()
	subject := p.parseSubjectExpr()
	if p.specFailed || p.tok.Kind != COLON || p.peek().Kind != NEWLINE {
		p.rewind(m)
		return nil
	}
	p.commit()
	p.next() // ':'
	p.next() // NEWLINE
	s := &Match{Subject: subject}
	s.Start = start
	if !p.got(INDENT) {
		p.errorKindAt(IndentationError, p.tok.Start, p.indentedBlockMsg("'match' statement", start))
		s.Stop = p.prevEnd
		return s
	}
	nerr := len(p.errors)
	for p.tok.Kind != DEDENT && p.tok.Kind != ENDMARKER {
		if p.tok.Kind == NAME && p.text(p.tok) == "case" {
			s.Cases = append(s.Cases, p.parseCaseBlock())
			continue
		}
		p.invalidSyntax()
		before, kind := p.tok.Start, p.tok.Kind
		p.parseStatement(nil)
		p.progress(before, kind)
	}
	p.got(DEDENT)
	if len(s.Cases) == 0 && len(p.errors) == nerr {
		p.errorAt(s.Start, "expected 'case' block")
	}
	s.Stop = p.prevEnd
	return s
}

// subject_expr: star_named_expression ',' star_named_expressions? | named_expression
func (p *parser) parseSubjectExpr() Expr {
	if !startsExpr(p.tok.Kind) {
		p.errorExpected("expression")
		return p.missingExpr()
	}
	return p.parseStarNamedExpressions()
}

// case_block: "case" patterns guard? ':' block
// guard: 'if' named_expression
func (p *parser) parseCaseBlock() *MatchCase {
	c := &MatchCase{}
	c.Start = p.tok.Start
	p.next()
	c.Pattern = p.parsePatterns()
	if p.got(IF) {
		c.Guard = p.parseNamedExpression()
	}
	p.parseColon()
	c.Body = p.parseBlock("'case' statement", c.Start)
	c.Stop = p.prevEnd
	return c
}

// patterns: open_sequence_pattern | pattern
// open_sequence_pattern: maybe_star_pattern ',' maybe_sequence_pattern?
func (p *parser) parsePatterns() Pattern {
	start := p.tok.Start
	first := p.parseMaybeStarPattern()
	if p.tok.Kind != COMMA {
		if _, ok := first.(*MatchStar); !ok {
			return first
		}
		p.errorAt(first.Pos(), "invalid syntax")
	}
	pats := []Pattern{first}
	for p.got(COMMA) {
		if p.tok.Kind == COLON || p.tok.Kind == IF {
			break
		}
		pats = append(pats, p.parseMaybeStarPattern())
	}
	return &MatchSequence{Range: Range{start, p.prevEnd}, Patterns: pats}
}

// maybe_star_pattern: star_pattern | pattern
// star_pattern: '*' pattern_capture_target | '*' wildcard_pattern
func (p *parser) parseMaybeStarPattern() Pattern {
	if p.tok.Kind != STAR {
		return p.parsePattern()
	}
	start := p.tok.Start
	p.next()
	name := p.parseName()
	if name == "_" {
		name = ""
	}
	return &MatchStar{Range: Range{start, p.prevEnd}, Name: name}
}

// pattern: as_pattern | or_pattern
// as_pattern: or_pattern 'as' pattern_capture_target
func (p *parser) parsePattern() Pattern {
	defer p.decNest(p.incNest())
	start := p.tok.Start
	x := p.parseOrPattern()
	if !p.got(AS) {
		return x
	}
	if p.tok.Kind != NAME {
		p.errorExpected("name after 'as'")
		return x
	}
	name := p.identifier(p.tok)
	if name == "_" {
		p.errorAt(p.tok.Start, "cannot use '_' as a target")
	}
	p.next()
	return &MatchAs{Range: Range{start, p.prevEnd}, Pattern: x, Name: name}
}

// or_pattern: '|'.closed_pattern+
func (p *parser) parseOrPattern() Pattern {
	start := p.tok.Start
	x := p.parseClosedPattern()
	if p.tok.Kind != VBAR {
		return x
	}
	pats := []Pattern{x}
	for p.got(VBAR) {
		pats = append(pats, p.parseClosedPattern())
	}
	return &MatchOr{Range: Range{start, p.prevEnd}, Patterns: pats}
}

// closed_pattern: literal_pattern | capture_pattern | wildcard_pattern | value_pattern
//
//	| group_pattern | sequence_pattern | mapping_pattern | class_pattern
func (p *parser) parseClosedPattern() Pattern {
	t := p.tok
	switch t.Kind {
	case NONE, TRUE, FALSE:
		p.next()
		v := ConstValue{Kind: ConstNone}
		if t.Kind != NONE {
			v = ConstValue{Kind: ConstBool, B: t.Kind == TRUE}
		}
		return &MatchSingleton{Range: Range{t.Start, t.End}, Value: v}
	case NUMBER, MINUS, STRING, FSTRING_START:
		x := p.parseLiteralExpr()
		return &MatchValue{Range: Range{x.Pos(), x.End()}, Value: x}
	case LPAR:
		return p.parseParenPattern()
	case LSQB:
		p.next()
		pats := p.parseSequencePatternItems(RSQB)
		end := p.closeBracket(RSQB)
		return &MatchSequence{Range: Range{t.Start, end}, Patterns: pats}
	case LBRACE:
		return p.parseMappingPattern()
	case NAME:
		name := p.identifier(t)
		p.next()
		if p.tok.Kind != DOT && p.tok.Kind != LPAR {
			if name == "_" {
				return &MatchAs{Range: Range{t.Start, t.End}}
			}
			return &MatchAs{Range: Range{t.Start, t.End}, Name: name}
		}
		var x Expr = p.newName(t.Start, t.End, name)
		for p.got(DOT) {
			if p.tok.Kind != NAME {
				p.errorExpected("name")
				break
			}
			x = p.newAttribute(x.Pos(), p.tok.End, x, p.identifier(p.tok))
			p.next()
		}
		if p.tok.Kind == LPAR {
			return p.parseClassPattern(x)
		}
		return &MatchValue{Range: Range{x.Pos(), x.End()}, Value: x}
	}
	p.invalidSyntax()
	q := p.missingPos()
	return &MatchAs{Range: Range{q, q}}
}

// literal_expr (in patterns): signed_number | complex_number | strings
// complex_number: signed_real_number ('+' | '-') imaginary_number
func (p *parser) parseLiteralExpr() Expr {
	switch p.tok.Kind {
	case STRING, FSTRING_START:
		return p.parseStrings() // an f-string is a compile-stage error, not a parse error
	}
	x := p.parseSignedNumber()
	if p.tok.Kind == PLUS || p.tok.Kind == MINUS {
		real := x
		if u, ok := real.(*UnaryOp); ok {
			real = u.Operand
		}
		if c, ok := real.(*Constant); ok && c.Value.Kind == ConstComplex {
			p.errorAt(x.Pos(), "real number required in complex literal")
		}
		op := Add
		if p.tok.Kind == MINUS {
			op = Sub
		}
		p.next()
		if p.tok.Kind != NUMBER {
			p.errorExpected("imaginary number")
			return x
		}
		y := p.parseAtom()
		if c, ok := y.(*Constant); !ok || c.Value.Kind != ConstComplex {
			p.errorAt(y.Pos(), "imaginary number required in complex literal")
		}
		return &BinOp{Range: Range{x.Pos(), p.prevEnd}, Left: x, Op: op, Right: y}
	}
	return x
}

// signed_number: NUMBER | '-' NUMBER
func (p *parser) parseSignedNumber() Expr {
	if p.tok.Kind == MINUS {
		start := p.tok.Start
		p.next()
		if p.tok.Kind != NUMBER {
			p.errorExpected("number")
			return p.badExpr(start, p.prevEnd)
		}
		x := p.parseAtom()
		return &UnaryOp{Range: Range{start, p.prevEnd}, Op: USub, Operand: x}
	}
	if p.tok.Kind != NUMBER {
		p.errorExpected("number")
		return p.missingExpr()
	}
	return p.parseAtom()
}

// group_pattern: '(' pattern ')'
// sequence_pattern: '(' open_sequence_pattern? ')'
func (p *parser) parseParenPattern() Pattern {
	lpar := p.tok.Start
	p.next()
	if p.tok.Kind == RPAR {
		end := p.tok.End
		p.next()
		return &MatchSequence{Range: Range{lpar, end}}
	}
	first := p.parseMaybeStarPattern()
	if p.tok.Kind == RPAR {
		if _, ok := first.(*MatchStar); !ok {
			p.next()
			return first
		}
		p.errorAt(first.Pos(), "invalid syntax")
	}
	pats := []Pattern{first}
	for p.got(COMMA) {
		if p.tok.Kind == RPAR {
			break
		}
		pats = append(pats, p.parseMaybeStarPattern())
	}
	end := p.closeParen()
	return &MatchSequence{Range: Range{lpar, end}, Patterns: pats}
}

// maybe_sequence_pattern: ','.maybe_star_pattern+ ','?
func (p *parser) parseSequencePatternItems(closing Kind) []Pattern {
	var pats []Pattern
	for p.tok.Kind != closing && p.tok.Kind != ENDMARKER {
		before := p.tok.Start
		pats = append(pats, p.parseMaybeStarPattern())
		if !p.got(COMMA) || p.tok.Start == before {
			break
		}
	}
	return pats
}

// mapping_pattern: '{' [items_pattern [',' double_star_pattern] | double_star_pattern] [','] '}'
// key_value_pattern: (literal_expr | attr) ':' pattern
// double_star_pattern: '**' pattern_capture_target
func (p *parser) parseMappingPattern() Pattern {
	m := &MatchMapping{}
	m.Start = p.tok.Start
	p.next()
	for p.tok.Kind != RBRACE && p.tok.Kind != ENDMARKER {
		if p.tok.Kind == DOUBLESTAR {
			p.next()
			m.Rest = p.parseName()
			if m.Rest == "_" {
				p.errorAt(p.prevEnd-1, "invalid syntax")
			}
			p.got(COMMA)
			break
		}
		var key Expr
		switch p.tok.Kind {
		case NONE, TRUE, FALSE:
			key = p.parseAtom()
		case NAME:
			t := p.tok
			p.next()
			key = p.newName(t.Start, t.End, p.identifier(t))
			if p.tok.Kind != DOT {
				p.errorAt(t.Start, "invalid syntax")
			}
			for p.got(DOT) {
				if p.tok.Kind != NAME {
					p.errorExpected("name")
					break
				}
				key = p.newAttribute(key.Pos(), p.tok.End, key, p.identifier(p.tok))
				p.next()
			}
		default:
			key = p.parseLiteralExpr()
		}
		if !p.expect(COLON) {
			break
		}
		m.Keys = append(m.Keys, key)
		m.Patterns = append(m.Patterns, p.parsePattern())
		if !p.got(COMMA) {
			break
		}
	}
	m.Stop = p.closeBracket(RBRACE)
	return m
}

// class_pattern: name_or_attr '(' [pattern_arguments ','?] ')'
// positional_patterns: ','.pattern+
// keyword_patterns: ','.keyword_pattern+
// keyword_pattern: NAME '=' pattern
func (p *parser) parseClassPattern(cls Expr) Pattern {
	c := &MatchClass{Cls: cls}
	c.Start = cls.Pos()
	p.next()
	for p.tok.Kind != RPAR && p.tok.Kind != ENDMARKER {
		if p.tok.Kind == NAME && p.peek().Kind == EQUAL {
			c.KwdAttrs = append(c.KwdAttrs, p.identifier(p.tok))
			p.next()
			p.next()
			c.KwdPatterns = append(c.KwdPatterns, p.parsePattern())
		} else {
			pat := p.parsePattern()
			if len(c.KwdAttrs) > 0 {
				p.errorAt(pat.Pos(), "positional patterns follow keyword patterns")
			}
			c.Patterns = append(c.Patterns, pat)
		}
		if !p.got(COMMA) {
			break
		}
	}
	c.Stop = p.closeParen()
	return c
}
