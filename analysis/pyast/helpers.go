package pyast

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ---------------------------------------------------------------------------
// Attribute paths

// AttrPath returns the dotted path of a chain of attribute accesses on a
// name, e.g. "client.iam.groups.create" for that expression. It returns
// false when the chain does not end in a Name (it contains a call, a
// subscript or any other expression).
func AttrPath(e Expr) (string, bool) {
	root, attrs, ok := AttrChain(e)
	if !ok {
		return "", false
	}
	n := len(root.ID)
	for _, a := range attrs {
		n += 1 + len(a)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(root.ID)
	for _, a := range attrs {
		b.WriteByte('.')
		b.WriteString(a)
	}
	return b.String(), true
}

// AttrChain splits a chain of attribute accesses on a name into the root
// Name and the attribute names in source order: client.iam.groups →
// (client, ["iam", "groups"]). A bare Name gives no attributes. It returns
// false when the chain does not end in a Name.
func AttrChain(e Expr) (root *Name, attrs []string, ok bool) {
	n := 0
	for x := e; ; {
		switch v := x.(type) {
		case *Attribute:
			n++
			x = v.Value
			continue
		case *Name:
			root = v
		}
		break
	}
	if root == nil {
		return nil, nil, false
	}
	if n > 0 {
		attrs = make([]string, n)
		x := e
		for i := n - 1; i >= 0; i-- {
			a := x.(*Attribute)
			attrs[i] = a.Attr
			x = a.Value
		}
	}
	return root, attrs, true
}

// ---------------------------------------------------------------------------
// Source text

// SourceSegment returns the source text of node n in f, or "" if either is
// nil or n has no valid range.
func SourceSegment(f *File, n Node) string {
	if f == nil || n == nil {
		return ""
	}
	return f.Text(n.Pos(), n.End())
}

// ---------------------------------------------------------------------------
// Constant strings

// ConstString evaluates e as a constant string the way Python would: a str
// Constant, "+" concatenation, "%" formatting with constant arguments,
// "...".format(constants), f-strings whose parts are all constant, and
// "sep".join([constants]). It returns false when any part is not constant
// or the expression uses a form it does not evaluate (format specs, "%"
// flags and widths, …).
func ConstString(e Expr) (string, bool) {
	p, ok := ConstStringPartial(e)
	if !ok || !p.Exact() {
		return "", false
	}
	return p.Parts[0], true
}

// PartialString is a string value known only in parts: the constant texts
// between unknown parts ("holes"). len(Parts) is the number of holes plus
// one; an exact value has one part.
type PartialString struct {
	Parts []string
}

// Hole is the placeholder String writes for an unknown part.
const Hole = "{…}"

// Exact reports whether the whole value is known.
func (p PartialString) Exact() bool { return len(p.Parts) == 1 }

// Prefix returns the known text before the first unknown part, e.g.
// "https://" for f"https://{host}/x".
func (p PartialString) Prefix() string {
	if len(p.Parts) == 0 {
		return ""
	}
	return p.Parts[0]
}

// String returns the known parts joined with Hole: "https://{…}/x".
func (p PartialString) String() string { return strings.Join(p.Parts, Hole) }

// ConstStringPartial evaluates e like ConstString but keeps going past
// unknown parts, which become holes: f"https://{host}/api/{v}" gives the
// parts "https://", "/api/", "". It returns false when e is not
// string-shaped (not a str Constant, f-string, concatenation or formatting
// of a constant format) or nothing of it is known.
func ConstStringPartial(e Expr) (PartialString, bool) {
	var ev strEval
	ev.expr(e, 0)
	ev.finish()
	if !ev.shaped || !ev.known && !ev.exact() {
		return PartialString{}, false
	}
	return PartialString{Parts: ev.parts}, true
}

// maxConstDepth bounds the recursion of the constant-string evaluator;
// deeper operands become holes.
const maxConstDepth = 1000

// strEval accumulates the parts of a partially known string.
type strEval struct {
	parts  []string // at least one once anything was added
	shaped bool     // the top-level expression is string-shaped
	known  bool     // some constant text (possibly empty) was contributed
}

func (ev *strEval) text(s string) {
	ev.known = true
	ev.raw(s)
}

// raw appends text without marking anything known.
func (ev *strEval) raw(s string) {
	if len(ev.parts) == 0 {
		ev.parts = []string{s}
		return
	}
	ev.parts[len(ev.parts)-1] += s
}

func (ev *strEval) hole() {
	if len(ev.parts) == 0 {
		ev.parts = []string{""}
	}
	if len(ev.parts) > 1 && ev.parts[len(ev.parts)-1] == "" {
		return // adjacent holes merge
	}
	ev.parts = append(ev.parts, "")
}

// finish gives an evaluation that produced no part the empty string.
func (ev *strEval) finish() {
	if len(ev.parts) == 0 {
		ev.parts = []string{""}
	}
}

func (ev *strEval) exact() bool { return len(ev.parts) == 1 }

// exactString evaluates e on its own and returns its value if it is fully known.
func exactString(e Expr, depth int) (string, bool) {
	var ev strEval
	ev.expr(e, depth)
	ev.finish()
	if !ev.shaped || !ev.exact() {
		return "", false
	}
	return ev.parts[0], true
}

// expr appends the value of e; e must evaluate to a str.
func (ev *strEval) expr(e Expr, depth int) {
	if depth > maxConstDepth {
		ev.hole()
		return
	}
	switch e := e.(type) {
	case *Constant:
		if e.Value.Kind == ConstStr {
			ev.shaped = true
			ev.text(e.Value.S)
			return
		}
	case *JoinedStr:
		ev.shaped = true
		for _, v := range e.Values {
			switch v := v.(type) {
			case *Constant:
				if v.Value.Kind == ConstStr {
					ev.text(v.Value.S)
				} else {
					ev.hole()
				}
			case *FormattedValue:
				if s, ok := formattedValue(v, depth+1); ok {
					ev.text(s)
				} else {
					ev.hole()
				}
			default:
				ev.hole()
			}
		}
		return
	case *BinOp:
		switch e.Op {
		case Add:
			var l, r strEval
			l.expr(e.Left, depth+1)
			r.expr(e.Right, depth+1)
			if l.shaped || r.shaped { // str + unknown is still a str
				ev.shaped = true
				ev.append(&l)
				ev.append(&r)
				return
			}
		case Mod:
			if f, ok := exactString(e.Left, depth+1); ok {
				ev.shaped = true
				if !percentFormat(ev, f, e.Right, depth+1) {
					ev.hole()
				}
				return
			}
		}
	case *Call:
		if attr, ok := e.Func.(*Attribute); ok {
			switch attr.Attr {
			case "format":
				if f, ok := exactString(attr.Value, depth+1); ok {
					ev.shaped = true
					if !braceFormat(ev, f, e.Args, e.Keywords, depth+1) {
						ev.hole()
					}
					return
				}
			case "join":
				if sep, ok := exactString(attr.Value, depth+1); ok && len(e.Args) == 1 && len(e.Keywords) == 0 {
					var elts []Expr
					switch seq := e.Args[0].(type) {
					case *List:
						elts = seq.Elts
					case *Tuple:
						elts = seq.Elts
					default:
						ev.shaped = true
						ev.hole()
						return
					}
					ev.shaped = true
					for i, x := range elts {
						if i > 0 {
							ev.text(sep)
						}
						if _, star := x.(*Starred); star {
							ev.hole()
							continue
						}
						var sub strEval
						sub.expr(x, depth+1)
						ev.append(&sub)
					}
					return
				}
			}
		}
	}
	ev.hole()
}

// append appends the parts of another evaluation (a hole if it has none).
// An operand that is not string-shaped is one hole.
func (ev *strEval) append(o *strEval) {
	if !o.shaped {
		ev.hole()
		return
	}
	o.finish()
	if o.known || o.exact() {
		ev.known = true
	}
	ev.raw(o.parts[0])
	for _, p := range o.parts[1:] {
		ev.hole()
		ev.raw(p)
	}
}

// formattedValue evaluates one f-string replacement field.
func formattedValue(v *FormattedValue, depth int) (string, bool) {
	if v.FormatSpec != nil {
		if spec, ok := exactString(v.FormatSpec, depth); !ok || spec != "" {
			return "", false
		}
	}
	return convertValue(v.Value, v.Conversion, depth)
}

// convertValue returns str(e) (conversion -1 or 's'), repr(e) ('r') or
// ascii(e) ('a') for a constant e.
func convertValue(e Expr, conversion int, depth int) (string, bool) {
	switch conversion {
	case -1, 's':
		if s, ok := exactString(e, depth); ok {
			return s, true
		}
		if c, ok := e.(*Constant); ok {
			return constStr(c.Value)
		}
		if u, ok := e.(*UnaryOp); ok && u.Op == USub {
			if c, ok := u.Operand.(*Constant); ok && (c.Value.Kind == ConstInt || c.Value.Kind == ConstFloat) {
				s, ok := constStr(c.Value)
				return "-" + s, ok
			}
		}
	case 'r', 'a':
		if s, ok := exactString(e, depth); ok {
			r := pyStrRepr(s)
			if conversion == 'a' {
				r = asciiEscape(r)
			}
			return r, true
		}
		if c, ok := e.(*Constant); ok && c.Value.Kind != ConstBytes {
			return constStr(c.Value)
		}
	}
	return "", false
}

// constStr returns str(v) for a non-bytes constant.
func constStr(v ConstValue) (string, bool) {
	switch v.Kind {
	case ConstStr:
		return v.S, true
	case ConstInt:
		return v.S, true
	case ConstBool:
		if v.B {
			return "True", true
		}
		return "False", true
	case ConstNone:
		return "None", true
	case ConstEllipsis:
		return "Ellipsis", true
	case ConstFloat:
		return pyFloatRepr(v.F), true
	case ConstComplex:
		return strings.TrimSuffix(pyFloatRepr(v.F), ".0") + "j", true
	}
	return "", false
}

// percentFormat appends f % args, supporting %s %r %a %d %i and %%
// without flags, widths or mapping keys. Unknown arguments become holes.
// It returns false for forms it does not evaluate.
func percentFormat(ev *strEval, f string, args Expr, depth int) bool {
	var list []Expr
	if t, ok := args.(*Tuple); ok {
		list = t.Elts
	} else {
		list = []Expr{args}
	}
	for _, a := range list {
		if _, star := a.(*Starred); star {
			return false
		}
	}
	next := 0
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			j := strings.IndexByte(f[i:], '%')
			if j < 0 {
				j = len(f) - i
			}
			ev.text(f[i : i+j])
			i += j - 1
			continue
		}
		if i+1 >= len(f) {
			return false
		}
		i++
		conv := f[i]
		if conv == '%' {
			ev.text("%")
			continue
		}
		if next >= len(list) {
			return false
		}
		arg := list[next]
		next++
		switch conv {
		case 's', 'r', 'a':
			if s, ok := convertValue(arg, int(conv), depth); ok {
				ev.text(s)
			} else {
				ev.hole()
			}
		case 'd', 'i':
			if c, ok := arg.(*Constant); ok {
				switch c.Value.Kind {
				case ConstInt:
					ev.text(c.Value.S)
				case ConstBool:
					ev.text(map[bool]string{true: "1", false: "0"}[c.Value.B])
				default:
					ev.hole()
				}
			} else {
				ev.hole()
			}
		default:
			return false
		}
	}
	return next == len(list)
}

// braceFormat appends f.format(*args, **keywords) for fields "{}", "{0}"
// and "{name}" with optional !s/!r/!a and no format spec; "{{" and "}}"
// are literal braces. Unknown arguments become holes.
func braceFormat(ev *strEval, f string, args []Expr, kws []*Keyword, depth int) bool {
	named := map[string]Expr{}
	for _, a := range args {
		if _, star := a.(*Starred); star {
			return false
		}
	}
	for _, k := range kws {
		if k == nil || k.Arg == "" {
			return false
		}
		named[k.Arg] = k.Value
	}
	auto, manual := 0, false
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '{' && i+1 < len(f) && f[i+1] == '{':
			ev.text("{")
			i++
		case c == '}' && i+1 < len(f) && f[i+1] == '}':
			ev.text("}")
			i++
		case c == '}':
			return false
		case c == '{':
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				return false
			}
			field := f[i+1 : i+end]
			i += end
			conversion := -1
			if j := strings.IndexByte(field, '!'); j >= 0 {
				if len(field) != j+2 || strings.IndexByte("sra", field[j+1]) < 0 {
					return false
				}
				conversion = int(field[j+1])
				field = field[:j]
			}
			if strings.ContainsAny(field, ":[.{") {
				return false // format specs, indexing, attributes
			}
			var arg Expr
			switch {
			case field == "":
				if manual || auto >= len(args) {
					return false
				}
				arg = args[auto]
				auto++
			case field[0] >= '0' && field[0] <= '9':
				n, err := strconv.Atoi(field)
				if err != nil || n >= len(args) || auto > 0 {
					return false
				}
				manual = true
				arg = args[n]
			default:
				var ok bool
				if arg, ok = named[field]; !ok {
					return false
				}
			}
			if s, ok := convertValue(arg, conversion, depth); ok {
				ev.text(s)
			} else {
				ev.hole()
			}
		default:
			j := strings.IndexAny(f[i:], "{}")
			if j < 0 {
				j = len(f) - i
			}
			ev.text(f[i : i+j])
			i += j - 1
		}
	}
	return true
}

// pyFloatRepr returns Python's repr of a float: the shortest round-trip
// digits, positional for exponents -4..15 (with ".0" when integral),
// scientific otherwise ("1e+16", "1e-05").
func pyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // e.g. "-1.2345e+06"
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	k := strings.IndexByte(s, 'e')
	exp, _ := strconv.Atoi(s[k+1:])
	digits := strings.Replace(s[:k], ".", "", 1)
	if exp >= -4 && exp < 16 {
		if exp < 0 {
			return sign + "0." + strings.Repeat("0", -exp-1) + digits
		}
		if len(digits) <= exp+1 {
			return sign + digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
		}
		return sign + digits[:exp+1] + "." + digits[exp+1:]
	}
	m := digits[:1]
	if len(digits) > 1 {
		m += "." + digits[1:]
	}
	es := strconv.Itoa(exp)
	if exp < 0 {
		es = es[1:]
	}
	if len(es) < 2 {
		es = "0" + es
	}
	if exp < 0 {
		return sign + m + "e-" + es
	}
	return sign + m + "e+" + es
}

// pyStrRepr returns Python's repr of a str (s is WTF-8): single quotes
// unless the text contains ' and no ", backslash escapes for the quote,
// backslash, \t \n \r, other non-printable characters as \xhh, \uhhhh or
// \Uhhhhhhhh.
func pyStrRepr(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || r >= 0xd800 && r <= 0xdfff {
			// A WTF-8 lone surrogate (3 bytes ED A0..BF xx) or a stray byte.
			if i+3 <= len(s) && s[i] == 0xed && s[i+1] >= 0xa0 {
				r = rune(s[i]&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
				size = 3
			}
			b.WriteString(`\u` + hex4(r))
			i += size
			continue
		}
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + hex4(r)[2:])
		case r < 0x80 || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			b.WriteString(`\x` + hex4(r)[2:])
		case r < 0x10000:
			b.WriteString(`\u` + hex4(r))
		default:
			b.WriteString(`\U` + hex4(r>>16) + hex4(r&0xffff))
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// asciiEscape turns a repr into ascii()'s form: non-ASCII characters escaped.
func asciiEscape(r string) string {
	var b strings.Builder
	for _, c := range r {
		switch {
		case c < 0x80:
			b.WriteRune(c)
		case c < 0x100:
			b.WriteString(`\x` + hex4(c)[2:])
		case c < 0x10000:
			b.WriteString(`\u` + hex4(c))
		default:
			b.WriteString(`\U` + hex4(c>>16) + hex4(c&0xffff))
		}
	}
	return b.String()
}

func hex4(r rune) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15]})
}
