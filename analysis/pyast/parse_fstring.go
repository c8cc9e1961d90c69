package pyast

import "strings"

// F-strings (PEP 701): the scanner splits them into FSTRING_START,
// FSTRING_MIDDLE, ordinary tokens inside replacement fields, and FSTRING_END.

// fstring: FSTRING_START fstring_middle* FSTRING_END
// fstring_middle: fstring_replacement_field | FSTRING_MIDDLE
//
// parseFString appends the parts of one f-string to acc and returns the end
// of the f-string.
func (p *parser) parseFString(acc *strAccum) Pos {
	start := p.tok
	raw := fstringIsRaw(p.text(start))
	p.next()
	for {
		switch p.tok.Kind {
		case FSTRING_MIDDLE:
			t := p.tok
			p.next()
			val, approx, err := decodeFStringMiddle(p.text(t), raw)
			if err != nil {
				p.errorAt(t.Start+Pos(err.Off), err.Msg)
			}
			acc.addText(val, t.Start, t.End, approx)
		case LBRACE:
			p.parseFStringReplacementField(acc, raw)
		case FSTRING_END:
			end := p.tok.End
			p.next()
			return end
		default:
			p.errorAt(p.tok.Start, "f-string: expecting '}'")
			p.skipFString()
			return p.prevEnd
		}
	}
}

// skipFString skips to the end of the current f-string after an error.
func (p *parser) skipFString() {
	depth := 0
	for {
		switch p.tok.Kind {
		case FSTRING_START:
			depth++
		case FSTRING_END:
			if depth == 0 {
				p.next()
				return
			}
			depth--
		case NEWLINE, ENDMARKER:
			return
		}
		p.next()
	}
}

// fstringIsRaw reports whether an FSTRING_START text has an r prefix.
func fstringIsRaw(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'r', 'R':
			return true
		case '\'', '"':
			return false
		}
	}
	return false
}

// fstring_replacement_field: '{' annotated_rhs '='? [fstring_conversion] [fstring_full_format_spec] '}'
// fstring_conversion: "!" NAME
// fstring_full_format_spec: ':' fstring_format_spec*
//
// The debug text of "{x=}" becomes literal text in acc before the field.
func (p *parser) parseFStringReplacementField(acc *strAccum, raw bool) {
	defer p.decNest(p.incNest())
	lbrace := p.tok
	p.next()
	var value Expr
	switch {
	case p.tok.Kind == YIELD:
		value = p.parseYieldExpr()
	case startsExpr(p.tok.Kind):
		value = p.parseStarExpressions()
	default:
		switch p.tok.Kind {
		case EXCLAMATION, COLON, EQUAL, RBRACE:
			p.errorAt(p.tok.Start, "f-string: valid expression required before '"+p.tok.Kind.String()+"'")
		default:
			p.errorAt(p.tok.Start, "f-string: expecting a valid expression after '{'")
		}
		value = p.missingExpr()
	}
	fv := &FormattedValue{Value: value, Conversion: -1}
	debug := false
	if p.tok.Kind == EQUAL {
		debug = true
		p.next()
		acc.addText(stripDebugComments(p.src[lbrace.End:p.tok.Start]), lbrace.End, p.tok.Start, false)
	}
	if p.tok.Kind == EXCLAMATION {
		bang := p.tok
		p.next()
		if p.tok.Kind == NAME && p.tok.Start != bang.End {
			p.errorAt(p.tok.Start, "f-string: conversion type must come right after the exclamanation mark")
		}
		if p.tok.Kind == NAME {
			switch s := p.text(p.tok); s {
			case "s", "r", "a":
				fv.Conversion = int(s[0])
			default:
				p.errorAt(p.tok.Start, "f-string: invalid conversion character '"+s+"': expected 's', 'r', or 'a'")
			}
			p.next()
		} else {
			p.errorAt(p.tok.Start, "f-string: missing conversion character")
		}
	}
	if p.tok.Kind == COLON {
		fv.FormatSpec = p.parseFStringFormatSpec(raw)
	}
	if debug && fv.Conversion == -1 && fv.FormatSpec == nil {
		fv.Conversion = 'r'
	}
	if p.tok.Kind == RBRACE {
		fv.Range = Range{lbrace.Start, p.tok.End}
		p.next()
	} else {
		p.errorAt(p.tok.Start, "f-string: expecting '}'")
		fv.Range = Range{lbrace.Start, p.prevEnd}
		if p.tok.Kind != FSTRING_END {
			p.skipFString()
		}
	}
	acc.add(p, fv)
}

// fstring_full_format_spec: ':' fstring_format_spec*
// fstring_format_spec: FSTRING_MIDDLE | fstring_replacement_field
func (p *parser) parseFStringFormatSpec(raw bool) Expr {
	colon := p.tok
	p.next()
	var spec strAccum
	end := colon.End
	for {
		switch p.tok.Kind {
		case FSTRING_MIDDLE:
			t := p.tok
			p.next()
			val, approx, err := decodeFStringMiddle(p.text(t), raw)
			if err != nil {
				p.errorAt(t.Start+Pos(err.Off), err.Msg)
			}
			spec.addText(val, t.Start, t.End, approx)
			end = t.End
			continue
		case LBRACE:
			p.parseFStringReplacementField(&spec, raw)
			end = p.prevEnd
			continue
		}
		break
	}
	spec.flush(p)
	return &JoinedStr{Range: Range{colon.Start, end}, Values: spec.values}
}

// stripDebugComments removes comments from the text of a "{x=}" debug field
// as CPython does: every '#' up to the end of its line goes, even one inside
// a string literal.
func stripDebugComments(s string) string {
	if strings.IndexByte(s, '#') < 0 {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '#')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, '\n')
		if j < 0 {
			break
		}
		s = s[j:]
	}
	return b.String()
}
