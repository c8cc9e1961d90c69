package pyast

import "strings"

// Implicit concatenation of adjacent string literals: plain strings fold into
// one Constant; as soon as one part is an f-string the whole run becomes one
// JoinedStr whose adjacent literal parts are merged into single Constants,
// as CPython does.

// strAccum collects the values of a JoinedStr, merging adjacent literal text.
type strAccum struct {
	values []Expr
	buf    strings.Builder
	has    bool // buf holds a pending literal part (possibly empty)
	start  Pos  // range of the pending literal part
	end    Pos
	approx bool
}

// addText appends literal text that came from source range [start, end).
func (a *strAccum) addText(s string, start, end Pos, approx bool) {
	if !a.has {
		a.has = true
		a.start = start
		a.buf.Reset()
	}
	a.buf.WriteString(s)
	a.end = end
	a.approx = a.approx || approx
}

// flush turns the pending literal text into a Constant (dropped when empty).
func (a *strAccum) flush(p *parser) {
	if !a.has {
		return
	}
	a.has = false
	if a.buf.Len() == 0 {
		return
	}
	a.values = append(a.values, p.newConstant(a.start, a.end,
		ConstValue{Kind: ConstStr, S: a.buf.String(), Approx: a.approx}))
	a.approx = false
}

// add appends a replacement field.
func (a *strAccum) add(p *parser, x Expr) {
	a.flush(p)
	a.values = append(a.values, x)
}

// strings: (fstring | string)+
func (p *parser) parseStrings() Expr {
	first := p.tok
	// Fast path: one plain string literal.
	if first.Kind == STRING {
		p.next()
		if p.tok.Kind != STRING && p.tok.Kind != FSTRING_START {
			val, isBytes, approx := p.decodeString(first)
			kind := ConstStr
			if isBytes {
				kind = ConstBytes
			}
			return p.newConstant(first.Start, first.End, ConstValue{Kind: kind, S: val, Approx: approx})
		}
		return p.parseStringRun(first, true)
	}
	return p.parseStringRun(first, false)
}

// parseStringRun parses a run of adjacent literals starting with first;
// consumed says whether first (a STRING) has already been consumed.
func (p *parser) parseStringRun(first Token, consumed bool) Expr {
	defer p.decNest(p.incNest())
	var (
		sawBytes, sawStr, sawF bool
		acc                    strAccum
		constBuf               strings.Builder
		approxAll              bool
		end                    Pos
		mixReported            bool
	)
	checkMix := func(isBytes bool, at Pos) {
		if isBytes {
			sawBytes = true
		} else {
			sawStr = true
		}
		if sawBytes && sawStr && !mixReported {
			mixReported = true
			p.errorAt(first.Start, "cannot mix bytes and nonbytes literals")
		}
	}
	handleString := func(t Token) {
		val, isBytes, approx := p.decodeString(t)
		checkMix(isBytes, t.Start)
		constBuf.WriteString(val)
		approxAll = approxAll || approx
		acc.addText(val, t.Start, t.End, approx)
		end = t.End
	}
	if consumed {
		handleString(first)
	}
	for {
		switch p.tok.Kind {
		case STRING:
			t := p.tok
			p.next()
			handleString(t)
			continue
		case FSTRING_START:
			sawF = true
			checkMix(false, p.tok.Start)
			end = p.parseFString(&acc)
			continue
		}
		break
	}
	if !sawF {
		kind := ConstStr
		if sawBytes && !sawStr {
			kind = ConstBytes
		}
		return p.newConstant(first.Start, end, ConstValue{Kind: kind, S: constBuf.String(), Approx: approxAll})
	}
	acc.flush(p)
	return &JoinedStr{Range: Range{first.Start, end}, Values: acc.values}
}

// decodeString decodes one STRING token, reporting literal errors.
func (p *parser) decodeString(t Token) (val string, isBytes, approx bool) {
	val, isBytes, approx, err := decodeStringToken(p.text(t))
	if err != nil {
		p.errorAt(t.Start+Pos(err.Off), err.Msg)
	}
	return val, isBytes, approx
}
