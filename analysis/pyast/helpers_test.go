package pyast

import (
	"math"
	"testing"
)

// Hand-built expressions (the tests do not depend on the parser).

func hStr(s string) *Constant    { return &Constant{Value: ConstValue{Kind: ConstStr, S: s}} }
func hNum(s string) *Constant    { return &Constant{Value: ConstValue{Kind: ConstInt, S: s}} }
func hFlt(f float64) *Constant   { return &Constant{Value: ConstValue{Kind: ConstFloat, F: f}} }
func hName(id string) *Name      { return &Name{ID: id} }
func hAdd(l, r Expr) *BinOp      { return &BinOp{Left: l, Op: Add, Right: r} }
func hMod(l, r Expr) *BinOp      { return &BinOp{Left: l, Op: Mod, Right: r} }
func hTuple(elts ...Expr) *Tuple { return &Tuple{Elts: elts} }
func hList(elts ...Expr) *List   { return &List{Elts: elts} }
func hAttr(v Expr, a string) *Attribute {
	return &Attribute{Value: v, Attr: a}
}
func hCall(f Expr, args ...Expr) *Call { return &Call{Func: f, Args: args} }
func hFV(e Expr, conv int) *FormattedValue {
	return &FormattedValue{Value: e, Conversion: conv}
}
func hFStr(vals ...Expr) *JoinedStr { return &JoinedStr{Values: vals} }

func TestAttrPath(t *testing.T) {
	for _, tc := range []struct {
		name  string
		e     Expr
		want  string
		ok    bool
		root  string
		attrs int
	}{
		{"name", hName("client"), "client", true, "client", 0},
		{"chain", hAttr(hAttr(hAttr(hAttr(hName("client"), "iam"), "groups"), "create"), "x"), "client.iam.groups.create.x", true, "client", 4},
		{"call inside", hAttr(hCall(hAttr(hName("client"), "iam")), "groups"), "", false, "", 0},
		{"subscript inside", hAttr(&Subscript{Value: hName("a"), Slice: hNum("0")}, "b"), "", false, "", 0},
		{"call", hCall(hName("f")), "", false, "", 0},
		{"constant root", hAttr(hStr("x"), "join"), "", false, "", 0},
		{"nil", nil, "", false, "", 0},
	} {
		got, ok := AttrPath(tc.e)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: AttrPath = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
		root, attrs, ok := AttrChain(tc.e)
		if ok != tc.ok || ok && (root.ID != tc.root || len(attrs) != tc.attrs) {
			t.Errorf("%s: AttrChain = %v, %q, %v", tc.name, root, attrs, ok)
		}
	}
	_, attrs, _ := AttrChain(hAttr(hAttr(hName("a"), "b"), "c"))
	if len(attrs) != 2 || attrs[0] != "b" || attrs[1] != "c" {
		t.Errorf("AttrChain attrs = %q, want [b c]", attrs)
	}
}

func TestConstString(t *testing.T) {
	fmtCall := func(f string, args ...Expr) *Call { return hCall(hAttr(hStr(f), "format"), args...) }
	for _, tc := range []struct {
		name string
		e    Expr
		want string // "" with ok false when not constant
		ok   bool
	}{
		{"str", hStr("abc"), "abc", true},
		{"int", hNum("1"), "", false},
		{"name", hName("x"), "", false},
		{"concat", hAdd(hAdd(hStr("a"), hStr("b")), hStr("c")), "abc", true},
		{"concat unknown", hAdd(hStr("a"), hName("x")), "", false},
		{"percent single", hMod(hStr("x=%s!"), hStr("y")), "x=y!", true},
		{"percent tuple", hMod(hStr("%s:%d %r %%"), hTuple(hStr("h"), hNum("443"), hStr("q"))), "h:443 'q' %", true},
		{"percent float", hMod(hStr("%s"), hFlt(0.1)), "0.1", true},
		{"percent too many", hMod(hStr("%s"), hTuple(hStr("a"), hStr("b"))), "", false},
		{"percent width", hMod(hStr("%5s"), hStr("a")), "", false},
		{"format auto", fmtCall("{}://{}/x", hStr("https"), hStr("h")), "https://h/x", true},
		{"format index", fmtCall("{1}{0}{{}}", hStr("a"), hStr("b")), "ba{}", true},
		{"format keyword", &Call{Func: hAttr(hStr("{k!r}"), "format"), Keywords: []*Keyword{{Arg: "k", Value: hStr("v")}}}, "'v'", true},
		{"format spec", fmtCall("{:>3}", hStr("a")), "", false},
		{"format int", fmtCall("{}", hNum("7")), "7", true},
		{"fstring", hFStr(hStr("a"), hFV(hStr("b"), -1), hFV(hNum("3"), 'r'), hFV(hFlt(1e16), -1)), "ab31e+16", true},
		{"fstring unknown", hFStr(hStr("a"), hFV(hName("x"), -1)), "", false},
		{"fstring empty", hFStr(), "", true},
		{"join", hCall(hAttr(hStr(", "), "join"), hList(hStr("a"), hStr("b"), hAdd(hStr("c"), hStr("d")))), "a, b, cd", true},
		{"join tuple", hCall(hAttr(hStr(""), "join"), hTuple(hStr("x"), hStr("y"))), "xy", true},
		{"join unknown", hCall(hAttr(hStr("/"), "join"), hName("parts")), "", false},
		{"nested", hAdd(fmtCall("{}", hFStr(hStr("a"))), hMod(hStr("%s"), hCall(hAttr(hStr("-"), "join"), hList(hStr("b"), hStr("c"))))), "ab-c", true},
		{"bool none", fmtCall("{} {} {}", &Constant{Value: ConstValue{Kind: ConstBool, B: true}}, &Constant{Value: ConstValue{Kind: ConstNone}}, &UnaryOp{Op: USub, Operand: hNum("2")}), "True None -2", true},
	} {
		got, ok := ConstString(tc.e)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: ConstString = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestConstStringPartial(t *testing.T) {
	for _, tc := range []struct {
		name   string
		e      Expr
		want   string
		prefix string
		ok     bool
	}{
		{"url fstring", hFStr(hStr("https://"), hFV(hName("host"), -1), hStr("/api/"), hFV(hName("v"), -1)), "https://{…}/api/{…}", "https://", true},
		{"exact", hStr("x"), "x", "x", true},
		{"concat", hAdd(hAdd(hStr("https://"), hName("host")), hStr("/x")), "https://{…}/x", "https://", true},
		{"adjacent holes merge", hFStr(hStr("a"), hFV(hName("x"), -1), hFV(hName("y"), -1), hStr("b")), "a{…}b", "a", true},
		{"percent", hMod(hStr("https://%s/%s"), hTuple(hName("h"), hStr("p"))), "https://{…}/p", "https://", true},
		{"format", hCall(hAttr(hStr("{}/x/{}"), "format"), hStr("base"), hName("id")), "base/x/{…}", "base/x/", true},
		{"join", hCall(hAttr(hStr("/"), "join"), hList(hStr("a"), hName("b"), hStr("c"))), "a/{…}/c", "a/", true},
		{"leading hole", hFStr(hFV(hName("base"), -1), hStr("/v1")), "{…}/v1", "", true},
		{"all unknown fstring", hFStr(hFV(hName("x"), -1)), "", "", false},
		{"name", hName("x"), "", "", false},
		{"call", hCall(hName("f")), "", "", false},
		{"name plus name", hAdd(hName("a"), hName("b")), "", "", false},
	} {
		p, ok := ConstStringPartial(tc.e)
		if ok != tc.ok || ok && (p.String() != tc.want || p.Prefix() != tc.prefix) {
			t.Errorf("%s: ConstStringPartial = %q (prefix %q), %v; want %q (prefix %q), %v",
				tc.name, p.String(), p.Prefix(), ok, tc.want, tc.prefix, tc.ok)
		}
	}
}

func TestPyFloatRepr(t *testing.T) {
	// Expectations from CPython's repr().
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {1, "1.0"}, {1.5, "1.5"}, {0.1, "0.1"},
		{1e16, "1e+16"}, {1e15, "1000000000000000.0"}, {123456789012345678, "1.2345678901234568e+17"},
		{1e-5, "1e-05"}, {0.0001, "0.0001"}, {1.5e300, "1.5e+300"}, {-2.5e-7, "-2.5e-07"},
		{math.Inf(1), "inf"}, {math.Pi, "3.141592653589793"}, {1e22, "1e+22"}, {12345.678, "12345.678"},
	} {
		if got := pyFloatRepr(tc.f); got != tc.want {
			t.Errorf("pyFloatRepr(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	for _, tc := range []struct{ im, want string }{{"2", "2j"}, {"1.5", "1.5j"}, {"1e20", "1e+20j"}} {
		var f float64
		switch tc.im {
		case "2":
			f = 2
		case "1.5":
			f = 1.5
		default:
			f = 1e20
		}
		if got, _ := constStr(ConstValue{Kind: ConstComplex, F: f}); got != tc.want {
			t.Errorf("str(%sj) = %q, want %q", tc.im, got, tc.want)
		}
	}
}

func TestPyStrRepr(t *testing.T) {
	// Expectations from CPython's repr() and ascii().
	for _, tc := range []struct{ s, want string }{
		{"a'b", `"a'b"`},
		{"a\"b'", `'a"b\''`},
		{"\x00\t\x7f\u0085é\u2028😀", `'\x00\t\x7f\x85é\u2028😀'`},
		{"\xed\xa0\x80", `'\ud800'`},
	} {
		if got := pyStrRepr(tc.s); got != tc.want {
			t.Errorf("pyStrRepr(%q) = %s, want %s", tc.s, got, tc.want)
		}
	}
	if got := asciiEscape(pyStrRepr("é😀")); got != `'\xe9\U0001f600'` {
		t.Errorf("ascii = %s", got)
	}
}

func TestSourceSegment(t *testing.T) {
	f := NewFile("s.py", []byte("x = client.iam(1)\n"))
	e := &Call{Range: Range{Start: 4, Stop: 17}}
	if got := SourceSegment(f, e); got != "client.iam(1)" {
		t.Errorf("SourceSegment = %q", got)
	}
	if SourceSegment(nil, e) != "" || SourceSegment(f, nil) != "" {
		t.Error("nil file or node must give \"\"")
	}
	if got := SourceSegment(f, &Name{Range: Range{Start: 10, Stop: 99}}); got != "" {
		t.Errorf("out-of-range node gave %q", got)
	}
}
