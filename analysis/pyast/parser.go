package pyast

import (
	"fmt"
	"unsafe"
)

// Options bound one parse. Zero values take the defaults.
type Options struct {
	MaxSize   int // bytes of raw source; default DefaultMaxSize
	MaxErrors int // errors collected before the parse stops; default 100
}

// DefaultMaxSize is the default source size limit (10 MiB).
const DefaultMaxSize = 10 << 20

// defaultMaxErrors is the error cap when Options.MaxErrors is zero.
const defaultMaxErrors = 100

// maxNest bounds the recursion depth of the parser (nested brackets,
// operators, lambdas, patterns, f-string fields). CPython 3.13's own parser
// gives up at about 3,000 levels of lambda or ** ("Parser stack overflowed");
// a level costs at most a few hundred bytes of Go stack.
const maxNest = 3000

// maxChain bounds the length of one left-associative chain (a+b+c…, x.a.b…,
// f()()…): the chain is built iteratively but yields a deep tree that every
// recursive walker would have to descend.
const maxChain = 3000

// Parse parses one Python file (raw bytes as read from disk). It always
// returns a Module (possibly partial, with BadExpr/BadStmt nodes) and the
// list of syntax errors, empty when CPython would accept the file.
func Parse(filename string, src []byte, opts *Options) (mod *Module, errs ErrorList) {
	maxSize, maxErrors := DefaultMaxSize, defaultMaxErrors
	if opts != nil {
		if opts.MaxSize > 0 {
			maxSize = opts.MaxSize
		}
		if opts.MaxErrors > 0 {
			maxErrors = opts.MaxErrors
		}
	}
	if len(src) > maxSize {
		f := NewFile(filename, nil)
		return &Module{File: f}, ErrorList{{Kind: LimitError, Line: 1,
			Msg: fmt.Sprintf("source is %d bytes, more than the limit of %d", len(src), maxSize)}}
	}
	dec, derr := DecodeSource(src)
	f := NewFile(filename, dec)
	mod = &Module{File: f, Range: Range{0, Pos(len(dec))}}
	if derr != nil {
		return mod, ErrorList{derr}
	}

	p := &parser{}
	p.init(f, maxErrors)
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				p.errors = append(p.errors, &Error{Kind: SyntaxError, Pos: p.tok.Start,
					Msg: fmt.Sprintf("internal parser error: %v", r)})
			}
		}
		mod.Body = p.body
		errs = p.finish()
	}()
	p.parseFile()
	return mod, nil
}

// bailout is the panic value that stops a parse early (error cap, depth limit).
type bailout struct{}

// parser holds the state of one parse.
type parser struct {
	file *File
	src  string // the decoded source; identifiers are sliced from it
	sc   *Scanner

	// Next token.
	tok     Token // the current (not yet consumed) token
	prevEnd Pos   // end of the last consumed token other than NEWLINE/INDENT/DEDENT

	// Lookahead and bounded speculation: tokens pushed back or peeked, in order.
	ahead    []Token
	aheadPos int
	rec      []Token // tokens consumed since mark, while recording
	recOn    bool

	// Error recovery.
	errors        ErrorList // parser errors
	scanErrors    ErrorList // scanner errors (kept apart: speculation may drop parser errors)
	maxErrors     int
	speculating   int  // > 0: errors only mark the attempt as failed
	specFailed    bool // an error happened while speculating
	lastErrLine   int  // suppress cascades: one error per line
	afterConflict bool // a merge conflict marker was seen: indented blocks are expected
	stmtStart     Pos  // start of the simple statement being parsed (for resyncAtLine)

	// Non-syntactic parser control.
	nest        int    // recursion depth, see incNest
	parenthesed Expr   // the last expression returned by a parenthesised group
	body        []Stmt // module statements parsed so far (kept on bailout)

	slab    nodeSlab
	scratch []Expr // stack of list elements under construction, see pushExpr
}

func (p *parser) init(f *File, maxErrors int) {
	p.file = f
	// The source is never modified after NewFile, so the string shares its bytes.
	p.src = unsafe.String(unsafe.SliceData(f.Src), len(f.Src))
	p.maxErrors = maxErrors
	p.lastErrLine = -1
	p.sc = NewScanner(f, p.scanError, 0)
	p.ahead = make([]Token, 0, 8)
	p.tok = p.scan()
}

func (p *parser) scanError(e *Error) {
	p.scanErrors = append(p.scanErrors, e)
	if len(p.scanErrors)+len(p.errors) >= p.maxErrors {
		panic(bailout{})
	}
}

// finish merges scanner and parser errors into one position-ordered list.
func (p *parser) finish() ErrorList {
	if len(p.scanErrors) == 0 && len(p.errors) == 0 {
		return nil
	}
	all := make(ErrorList, 0, len(p.scanErrors)+len(p.errors))
	all = append(all, p.scanErrors...)
	all = append(all, p.errors...)
	all.Sort()
	for _, e := range all {
		if e.Line == 0 && e.Pos >= 0 {
			pos := p.file.Position(e.Pos)
			e.Line, e.Col = pos.Line, pos.Col
		}
	}
	if len(all) > p.maxErrors {
		all = all[:p.maxErrors]
	}
	return all
}

// scan returns the next token from the scanner, skipping trivia.
func (p *parser) scan() Token {
	for {
		t := p.sc.Scan()
		if t.Kind != NL && t.Kind != COMMENT {
			return t
		}
	}
}

// next consumes the current token.
func (p *parser) next() {
	switch p.tok.Kind {
	case NEWLINE, INDENT, DEDENT, ENDMARKER:
	default:
		p.prevEnd = p.tok.End
	}
	if p.recOn {
		p.rec = append(p.rec, p.tok)
	}
	if p.aheadPos < len(p.ahead) {
		p.tok = p.ahead[p.aheadPos]
		p.aheadPos++
		if p.aheadPos == len(p.ahead) {
			p.ahead = p.ahead[:0]
			p.aheadPos = 0
		}
		return
	}
	p.tok = p.scan()
}

// peek returns the token after the current one without consuming anything.
func (p *parser) peek() Token {
	if p.aheadPos < len(p.ahead) {
		return p.ahead[p.aheadPos]
	}
	t := p.scan()
	p.ahead = append(p.ahead, t)
	return t
}

// marker is a speculation checkpoint.
type marker struct {
	tok     Token
	prevEnd Pos
	nerr    int
	paren   Expr
	lastErr int
}

// mark starts a bounded speculative parse; errors until commit or rewind
// only mark the attempt as failed. Speculation does not nest.
func (p *parser) mark() marker {
	p.recOn = true
	p.rec = p.rec[:0]
	p.speculating++
	p.specFailed = false
	return marker{tok: p.tok, prevEnd: p.prevEnd, nerr: len(p.errors), paren: p.parenthesed, lastErr: p.lastErrLine}
}

// commit accepts the speculative parse.
func (p *parser) commit() {
	p.recOn = false
	p.rec = p.rec[:0]
	p.speculating--
}

// rewind abandons the speculative parse and replays its tokens.
func (p *parser) rewind(m marker) {
	p.recOn = false
	p.speculating--
	if len(p.rec) > 0 {
		rest := p.ahead[p.aheadPos:]
		buf := make([]Token, 0, len(p.rec)+len(rest))
		buf = append(buf, p.rec[1:]...)
		buf = append(buf, p.tok)
		buf = append(buf, rest...)
		p.ahead = buf
		p.aheadPos = 0
		p.tok = p.rec[0]
	}
	p.rec = p.rec[:0]
	p.prevEnd = m.prevEnd
	p.errors = p.errors[:m.nerr]
	p.parenthesed = m.paren
	p.lastErrLine = m.lastErr
}

// ---------------------------------------------------------------------------
// Errors

// errorAt records a syntax error at pos.
func (p *parser) errorAt(pos Pos, msg string) {
	p.errorKindAt(SyntaxError, pos, msg)
}

func (p *parser) errorKindAt(kind ErrorKind, pos Pos, msg string) {
	if p.speculating > 0 {
		p.specFailed = true
		return
	}
	if p.tok.Kind == ILLEGAL && pos == p.tok.Start && kind == SyntaxError {
		return // the scanner has reported this text
	}
	position := p.file.Position(pos)
	if position.Line == p.lastErrLine && kind != LimitError {
		return
	}
	p.lastErrLine = position.Line
	p.errors = append(p.errors, &Error{Kind: kind, Pos: pos, Line: position.Line, Col: position.Col, Msg: msg})
	if len(p.errors)+len(p.scanErrors) >= p.maxErrors {
		panic(bailout{})
	}
}

// errorExpected reports that the current token is not what the grammar wants.
func (p *parser) errorExpected(what string) {
	if p.tok.Kind == ENDMARKER || p.tok.Kind == ILLEGAL {
		p.errorAt(p.tok.Start, "invalid syntax")
		return
	}
	p.errorAt(p.tok.Start, "expected "+what)
}

// invalidSyntax reports "invalid syntax" at the current token.
func (p *parser) invalidSyntax() {
	switch p.tok.Kind {
	case INDENT:
		p.errorKindAt(IndentationError, p.tok.Start, "unexpected indent")
	case DEDENT:
		p.errorKindAt(IndentationError, p.tok.Start, "unindent does not match any outer indentation level")
	default:
		p.errorAt(p.tok.Start, "invalid syntax")
	}
}

// expect consumes a token of kind k or reports "expected 'k'".
func (p *parser) expect(k Kind) bool {
	if p.tok.Kind == k {
		p.next()
		return true
	}
	p.errorExpected("'" + k.String() + "'")
	return false
}

// got consumes the current token if it has kind k.
func (p *parser) got(k Kind) bool {
	if p.tok.Kind == k {
		p.next()
		return true
	}
	return false
}

// incNest enters one level of recursion; with decNest it bounds the depth:
// defer p.decNest(p.incNest()).
func (p *parser) incNest() *parser {
	p.nest++
	if p.nest > maxNest {
		p.speculating = 0
		p.errorKindAt(LimitError, p.tok.Start, "too deeply nested")
		panic(bailout{})
	}
	return p
}

func (p *parser) decNest(*parser) { p.nest-- }

// chainLimit reports when a left-associative chain grows past maxChain.
func (p *parser) chainLimit(n int) {
	if n > maxChain {
		p.speculating = 0
		p.errorKindAt(LimitError, p.tok.Start, "expression chain too long")
		panic(bailout{})
	}
}

// text returns the source text of a token.
func (p *parser) text(t Token) string { return p.src[t.Start:t.End] }

// ---------------------------------------------------------------------------
// Node allocation

// nodeSlab hands out the most common nodes from chunks, so that a parse makes
// a few large allocations instead of one per node.
type nodeSlab struct {
	names  []Name
	consts []Constant
	attrs  []Attribute
	calls  []Call
	exprs  []ExprStmt
}

const slabChunk = 64

func (p *parser) newName(start, end Pos, id string) *Name {
	s := &p.slab
	if len(s.names) == 0 {
		s.names = make([]Name, slabChunk)
	}
	n := &s.names[0]
	s.names = s.names[1:]
	n.Start, n.Stop, n.ID = start, end, id
	return n
}

func (p *parser) newConstant(start, end Pos, v ConstValue) *Constant {
	s := &p.slab
	if len(s.consts) == 0 {
		s.consts = make([]Constant, slabChunk)
	}
	n := &s.consts[0]
	s.consts = s.consts[1:]
	n.Start, n.Stop, n.Value = start, end, v
	return n
}

func (p *parser) newAttribute(start, end Pos, x Expr, attr string) *Attribute {
	s := &p.slab
	if len(s.attrs) == 0 {
		s.attrs = make([]Attribute, slabChunk)
	}
	n := &s.attrs[0]
	s.attrs = s.attrs[1:]
	n.Start, n.Stop, n.Value, n.Attr = start, end, x, attr
	return n
}

func (p *parser) newCall(start Pos, fn Expr) *Call {
	s := &p.slab
	if len(s.calls) == 0 {
		s.calls = make([]Call, slabChunk)
	}
	n := &s.calls[0]
	s.calls = s.calls[1:]
	n.Start, n.Func = start, fn
	return n
}

func (p *parser) newExprStmt(start, end Pos, x Expr) *ExprStmt {
	s := &p.slab
	if len(s.exprs) == 0 {
		s.exprs = make([]ExprStmt, slabChunk)
	}
	n := &s.exprs[0]
	s.exprs = s.exprs[1:]
	n.Start, n.Stop, n.Value = start, end, x
	return n
}

// pushExpr pushes a list element onto the scratch stack; a list under
// construction starts at base := len(p.scratch) and is taken off with
// popExprs(base), so each list costs one exact-size allocation.
func (p *parser) pushExpr(x Expr) { p.scratch = append(p.scratch, x) }

// popExprs returns the elements pushed since base as a new slice.
func (p *parser) popExprs(base int) []Expr {
	n := len(p.scratch) - base
	if n == 0 {
		return nil
	}
	out := make([]Expr, n)
	copy(out, p.scratch[base:])
	clear(p.scratch[base:])
	p.scratch = p.scratch[:base]
	return out
}

// identifier returns the identifier spelled by a NAME token, NFKC-normalised
// when it is not ASCII.
func (p *parser) identifier(t Token) string {
	s := p.src[t.Start:t.End]
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return normalizeIdentifier(s)
		}
	}
	return s
}
