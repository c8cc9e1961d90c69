package pyast

import (
	"strings"
	"testing"
)

// rangeIn returns the Range of (line1, col1)–(line2, col2) in f, lines
// 1-based and columns 0-based UTF-8 byte offsets, as CPython counts them.
func dumpRange(f *File, l1, c1, l2, c2 int) Range {
	return Range{Start: f.LineStart(l1) + Pos(c1), Stop: f.LineStart(l2) + Pos(c2)}
}

func dumpInt(f *File, l1, c1, l2, c2 int, v string) *Constant {
	return &Constant{Range: dumpRange(f, l1, c1, l2, c2), Value: ConstValue{Kind: ConstInt, S: v}}
}

func dumpName(f *File, l1, c1, l2, c2 int, id string, ctx ExprContext) *Name {
	return &Name{Range: dumpRange(f, l1, c1, l2, c2), ID: id, Ctx: ctx}
}

// The expected strings below are CPython's own output: the "ast" field of
// shared/oracle/pyast_oracle.py run with 3.11.7, 3.12.1 and 3.13.0 over the
// same sources.
func TestDumpJSONGolden(t *testing.T) {
	type golden struct {
		name string
		src  string
		tree func(f *File) []Stmt
		want map[int]string // by Version
	}
	goldens := []golden{{
		name: "asyncdef-typeparams-escapes",
		src:  "async def f[T: int](a, /, b=1, *c, d, e=2, **g) -> \"\\xe9\\n\\x01\\x7f<>&\\u2028\\\"\\\\\":\n    pass\n",
		tree: func(f *File) []Stmt {
			arg := func(c int, name string) *Arg { return &Arg{Range: dumpRange(f, 1, c, 1, c+1), Arg: name} }
			return []Stmt{&FunctionDef{
				Range:   dumpRange(f, 1, 0, 2, 8),
				IsAsync: true,
				Name:    "f",
				Args: &Arguments{
					PosOnlyArgs: []*Arg{arg(20, "a")},
					Args:        []*Arg{arg(26, "b")},
					Vararg:      arg(32, "c"),
					KwOnlyArgs:  []*Arg{arg(35, "d"), arg(38, "e")},
					KwDefaults:  []Expr{nil, dumpInt(f, 1, 40, 1, 41, "2")},
					Kwarg:       arg(45, "g"),
					Defaults:    []Expr{dumpInt(f, 1, 28, 1, 29, "1")},
				},
				Body: []Stmt{&Pass{Range: dumpRange(f, 2, 4, 2, 8)}},
				Returns: &Constant{Range: dumpRange(f, 1, 51, 1, 80),
					Value: ConstValue{Kind: ConstStr, S: "\u00e9\n\x01\x7f<>&\u2028\"\\"}},
				TypeParams: []TypeParam{&TypeVar{Range: dumpRange(f, 1, 12, 1, 18), Name: "T",
					Bound: dumpName(f, 1, 15, 1, 18, "int", Load)}},
			}}
		},
		want: map[int]string{
			12: `{"_t":"Module","body":[{"_p":[1,0,2,8],"_t":"AsyncFunctionDef","args":{"_t":"arguments","args":[{"_p":[1,26,1,27],"_t":"arg","annotation":null,"arg":"b"}],"defaults":[{"_p":[1,28,1,29],"_t":"Constant","value":{"int":"1"}}],"kw_defaults":[null,{"_p":[1,40,1,41],"_t":"Constant","value":{"int":"2"}}],"kwarg":{"_p":[1,45,1,46],"_t":"arg","annotation":null,"arg":"g"},"kwonlyargs":[{"_p":[1,35,1,36],"_t":"arg","annotation":null,"arg":"d"},{"_p":[1,38,1,39],"_t":"arg","annotation":null,"arg":"e"}],"posonlyargs":[{"_p":[1,20,1,21],"_t":"arg","annotation":null,"arg":"a"}],"vararg":{"_p":[1,32,1,33],"_t":"arg","annotation":null,"arg":"c"}},"body":[{"_p":[2,4,2,8],"_t":"Pass"}],"decorator_list":[],"name":"f","returns":{"_p":[1,51,1,80],"_t":"Constant","value":{"str":"é\n\u0001` + "\x7f<>&\u2028" + `\"\\"}},"type_params":[{"_p":[1,12,1,18],"_t":"TypeVar","bound":{"_p":[1,15,1,18],"_t":"Name","ctx":"Load","id":"int"},"name":"T"}]}]}`,
			13: `{"_t":"Module","body":[{"_p":[1,0,2,8],"_t":"AsyncFunctionDef","args":{"_t":"arguments","args":[{"_p":[1,26,1,27],"_t":"arg","annotation":null,"arg":"b"}],"defaults":[{"_p":[1,28,1,29],"_t":"Constant","value":{"int":"1"}}],"kw_defaults":[null,{"_p":[1,40,1,41],"_t":"Constant","value":{"int":"2"}}],"kwarg":{"_p":[1,45,1,46],"_t":"arg","annotation":null,"arg":"g"},"kwonlyargs":[{"_p":[1,35,1,36],"_t":"arg","annotation":null,"arg":"d"},{"_p":[1,38,1,39],"_t":"arg","annotation":null,"arg":"e"}],"posonlyargs":[{"_p":[1,20,1,21],"_t":"arg","annotation":null,"arg":"a"}],"vararg":{"_p":[1,32,1,33],"_t":"arg","annotation":null,"arg":"c"}},"body":[{"_p":[2,4,2,8],"_t":"Pass"}],"decorator_list":[],"name":"f","returns":{"_p":[1,51,1,80],"_t":"Constant","value":{"str":"é\n\u0001` + "\x7f<>&\u2028" + `\"\\"}},"type_params":[{"_p":[1,12,1,18],"_t":"TypeVar","bound":{"_p":[1,15,1,18],"_t":"Name","ctx":"Load","id":"int"},"default_value":null,"name":"T"}]}]}`,
			11: `{"_t":"Module","body":[{"_p":[1,0,2,8],"_t":"AsyncFunctionDef","args":{"_t":"arguments","args":[{"_p":[1,26,1,27],"_t":"arg","annotation":null,"arg":"b"}],"defaults":[{"_p":[1,28,1,29],"_t":"Constant","value":{"int":"1"}}],"kw_defaults":[null,{"_p":[1,40,1,41],"_t":"Constant","value":{"int":"2"}}],"kwarg":{"_p":[1,45,1,46],"_t":"arg","annotation":null,"arg":"g"},"kwonlyargs":[{"_p":[1,35,1,36],"_t":"arg","annotation":null,"arg":"d"},{"_p":[1,38,1,39],"_t":"arg","annotation":null,"arg":"e"}],"posonlyargs":[{"_p":[1,20,1,21],"_t":"arg","annotation":null,"arg":"a"}],"vararg":{"_p":[1,32,1,33],"_t":"arg","annotation":null,"arg":"c"}},"body":[{"_p":[2,4,2,8],"_t":"Pass"}],"decorator_list":[],"name":"f","returns":{"_p":[1,51,1,80],"_t":"Constant","value":{"str":"é\n\u0001` + "\x7f<>&\u2028" + `\"\\"}}}]}`,
		},
	}, {
		name: "constants",
		src:  "x = (1.5, 2j, b\"\\x00\\xff\", \"\\ud800\", None, ..., True, 10**100)\n",
		tree: func(f *File) []Stmt {
			c := func(c1, c2 int, v ConstValue) Expr { return &Constant{Range: dumpRange(f, 1, c1, 1, c2), Value: v} }
			return []Stmt{&Assign{
				Range:   dumpRange(f, 1, 0, 1, 62),
				Targets: []Expr{dumpName(f, 1, 0, 1, 1, "x", Store)},
				Value: &Tuple{Range: dumpRange(f, 1, 4, 1, 62), Elts: []Expr{
					c(5, 8, ConstValue{Kind: ConstFloat, F: 1.5}),
					c(10, 12, ConstValue{Kind: ConstComplex, F: 2}),
					c(14, 25, ConstValue{Kind: ConstBytes, S: "\x00\xff"}),
					c(27, 35, ConstValue{Kind: ConstStr, S: "\xed\xa0\x80"}),
					c(37, 41, ConstValue{Kind: ConstNone}),
					c(43, 46, ConstValue{Kind: ConstEllipsis}),
					c(48, 52, ConstValue{Kind: ConstBool, B: true}),
					&BinOp{Range: dumpRange(f, 1, 54, 1, 61), Left: dumpInt(f, 1, 54, 1, 56, "10"), Op: Pow,
						Right: dumpInt(f, 1, 58, 1, 61, "100")},
				}},
			}}
		},
		want: map[int]string{
			12: `{"_t":"Module","body":[{"_p":[1,0,1,62],"_t":"Assign","targets":[{"_p":[1,0,1,1],"_t":"Name","ctx":"Store","id":"x"}],"value":{"_p":[1,4,1,62],"_t":"Tuple","ctx":"Load","elts":[{"_p":[1,5,1,8],"_t":"Constant","value":{"float":4609434218613702656}},{"_p":[1,10,1,12],"_t":"Constant","value":{"complex":4611686018427387904}},{"_p":[1,14,1,25],"_t":"Constant","value":{"bytes":"00ff"}},{"_p":[1,27,1,35],"_t":"Constant","value":{"strx":"eda080"}},{"_p":[1,37,1,41],"_t":"Constant","value":{"none":null}},{"_p":[1,43,1,46],"_t":"Constant","value":{"ellipsis":null}},{"_p":[1,48,1,52],"_t":"Constant","value":{"bool":true}},{"_p":[1,54,1,61],"_t":"BinOp","left":{"_p":[1,54,1,56],"_t":"Constant","value":{"int":"10"}},"op":"Pow","right":{"_p":[1,58,1,61],"_t":"Constant","value":{"int":"100"}}}]}}]}`,
		},
	}, {
		name: "match",
		src:  "match p:\n    case None | [1, *_] | {\"k\": True, **r} | C(a, k=False) as z if z:\n        pass\n",
		tree: func(f *File) []Stmt {
			r := func(c1, c2 int) Range { return dumpRange(f, 2, c1, 2, c2) }
			return []Stmt{&Match{
				Range:   dumpRange(f, 1, 0, 3, 12),
				Subject: dumpName(f, 1, 6, 1, 7, "p", Load),
				Cases: []*MatchCase{{
					Guard: dumpName(f, 2, 67, 2, 68, "z", Load),
					Body:  []Stmt{&Pass{Range: dumpRange(f, 3, 8, 3, 12)}},
					Pattern: &MatchAs{Range: r(9, 63), Name: "z", Pattern: &MatchOr{Range: r(9, 58), Patterns: []Pattern{
						&MatchSingleton{Range: r(9, 13), Value: ConstValue{Kind: ConstNone}},
						&MatchSequence{Range: r(16, 23), Patterns: []Pattern{
							&MatchValue{Range: r(17, 18), Value: dumpInt(f, 2, 17, 2, 18, "1")},
							&MatchStar{Range: r(20, 22)},
						}},
						&MatchMapping{Range: r(26, 42),
							Keys:     []Expr{&Constant{Range: r(27, 30), Value: ConstValue{Kind: ConstStr, S: "k"}}},
							Patterns: []Pattern{&MatchSingleton{Range: r(32, 36), Value: ConstValue{Kind: ConstBool, B: true}}},
							Rest:     "r"},
						&MatchClass{Range: r(45, 58), Cls: dumpName(f, 2, 45, 2, 46, "C", Load),
							Patterns:    []Pattern{&MatchAs{Range: r(47, 48), Name: "a"}},
							KwdAttrs:    []string{"k"},
							KwdPatterns: []Pattern{&MatchSingleton{Range: r(52, 57), Value: ConstValue{Kind: ConstBool}}}},
					}}},
				}},
			}}
		},
		want: map[int]string{
			12: `{"_t":"Module","body":[{"_p":[1,0,3,12],"_t":"Match","cases":[{"_t":"match_case","body":[{"_p":[3,8,3,12],"_t":"Pass"}],"guard":{"_p":[2,67,2,68],"_t":"Name","ctx":"Load","id":"z"},"pattern":{"_p":[2,9,2,63],"_t":"MatchAs","name":"z","pattern":{"_p":[2,9,2,58],"_t":"MatchOr","patterns":[{"_p":[2,9,2,13],"_t":"MatchSingleton","value":null},{"_p":[2,16,2,23],"_t":"MatchSequence","patterns":[{"_p":[2,17,2,18],"_t":"MatchValue","value":{"_p":[2,17,2,18],"_t":"Constant","value":{"int":"1"}}},{"_p":[2,20,2,22],"_t":"MatchStar","name":null}]},{"_p":[2,26,2,42],"_t":"MatchMapping","keys":[{"_p":[2,27,2,30],"_t":"Constant","value":{"str":"k"}}],"patterns":[{"_p":[2,32,2,36],"_t":"MatchSingleton","value":true}],"rest":"r"},{"_p":[2,45,2,58],"_t":"MatchClass","cls":{"_p":[2,45,2,46],"_t":"Name","ctx":"Load","id":"C"},"kwd_attrs":["k"],"kwd_patterns":[{"_p":[2,52,2,57],"_t":"MatchSingleton","value":false}],"patterns":[{"_p":[2,47,2,48],"_t":"MatchAs","name":"a","pattern":null}]}]}}}],"subject":{"_p":[1,6,1,7],"_t":"Name","ctx":"Load","id":"p"}}]}`,
		},
	}, {
		name: "trystar-importfrom",
		src:  "try:\n    pass\nexcept* E as e:\n    pass\nfrom .. import a as b\n",
		tree: func(f *File) []Stmt {
			return []Stmt{
				&Try{Range: dumpRange(f, 1, 0, 4, 8), IsStar: true,
					Body: []Stmt{&Pass{Range: dumpRange(f, 2, 4, 2, 8)}},
					Handlers: []*ExceptHandler{{Range: dumpRange(f, 3, 0, 4, 8), Type: dumpName(f, 3, 8, 3, 9, "E", Load), Name: "e",
						Body: []Stmt{&Pass{Range: dumpRange(f, 4, 4, 4, 8)}}}}},
				&ImportFrom{Range: dumpRange(f, 5, 0, 5, 21), Level: 2,
					Names: []*Alias{{Range: dumpRange(f, 5, 15, 5, 21), Name: "a", Asname: "b"}}},
			}
		},
		want: map[int]string{
			11: `{"_t":"Module","body":[{"_p":[1,0,4,8],"_t":"TryStar","body":[{"_p":[2,4,2,8],"_t":"Pass"}],"finalbody":[],"handlers":[{"_p":[3,0,4,8],"_t":"ExceptHandler","body":[{"_p":[4,4,4,8],"_t":"Pass"}],"name":"e","type":{"_p":[3,8,3,9],"_t":"Name","ctx":"Load","id":"E"}}],"orelse":[]},{"_p":[5,0,5,21],"_t":"ImportFrom","level":2,"module":null,"names":[{"_p":[5,15,5,21],"_t":"alias","asname":"b","name":"a"}]}]}`,
		},
	}, {
		name: "fstring-dict-slice",
		src:  "f\"a{x!r:>{w}}\"\n{**m, 1: y[1:2]}\n",
		tree: func(f *File) []Stmt {
			r1 := func(c1, c2 int) Range { return dumpRange(f, 1, c1, 1, c2) }
			r2 := func(c1, c2 int) Range { return dumpRange(f, 2, c1, 2, c2) }
			return []Stmt{
				&ExprStmt{Range: r1(0, 14), Value: &JoinedStr{Range: r1(0, 14), Values: []Expr{
					&Constant{Range: r1(2, 3), Value: ConstValue{Kind: ConstStr, S: "a"}},
					&FormattedValue{Range: r1(3, 13), Value: dumpName(f, 1, 4, 1, 5, "x", Load), Conversion: 'r',
						FormatSpec: &JoinedStr{Range: r1(7, 12), Values: []Expr{
							&Constant{Range: r1(8, 9), Value: ConstValue{Kind: ConstStr, S: ">"}},
							&FormattedValue{Range: r1(9, 12), Value: dumpName(f, 1, 10, 1, 11, "w", Load), Conversion: -1},
							&Constant{Range: r1(12, 12), Value: ConstValue{Kind: ConstStr}},
						}}},
				}}},
				&ExprStmt{Range: r2(0, 16), Value: &Dict{Range: r2(0, 16),
					Keys: []Expr{nil, dumpInt(f, 2, 6, 2, 7, "1")},
					Values: []Expr{dumpName(f, 2, 3, 2, 4, "m", Load),
						&Subscript{Range: r2(9, 15), Value: dumpName(f, 2, 9, 2, 10, "y", Load),
							Slice: &Slice{Range: r2(11, 14), Lower: dumpInt(f, 2, 11, 2, 12, "1"), Upper: dumpInt(f, 2, 13, 2, 14, "2")}},
					}}},
			}
		},
		want: map[int]string{
			12: `{"_t":"Module","body":[{"_p":[1,0,1,14],"_t":"Expr","value":{"_p":[1,0,1,14],"_t":"JoinedStr","values":[{"_p":[1,2,1,3],"_t":"Constant","value":{"str":"a"}},{"_p":[1,3,1,13],"_t":"FormattedValue","conversion":114,"format_spec":{"_p":[1,7,1,12],"_t":"JoinedStr","values":[{"_p":[1,8,1,9],"_t":"Constant","value":{"str":">"}},{"_p":[1,9,1,12],"_t":"FormattedValue","conversion":-1,"format_spec":null,"value":{"_p":[1,10,1,11],"_t":"Name","ctx":"Load","id":"w"}},{"_p":[1,12,1,12],"_t":"Constant","value":{"str":""}}]},"value":{"_p":[1,4,1,5],"_t":"Name","ctx":"Load","id":"x"}}]}},{"_p":[2,0,2,16],"_t":"Expr","value":{"_p":[2,0,2,16],"_t":"Dict","keys":[null,{"_p":[2,6,2,7],"_t":"Constant","value":{"int":"1"}}],"values":[{"_p":[2,3,2,4],"_t":"Name","ctx":"Load","id":"m"},{"_p":[2,9,2,15],"_t":"Subscript","ctx":"Load","slice":{"_p":[2,11,2,14],"_t":"Slice","lower":{"_p":[2,11,2,12],"_t":"Constant","value":{"int":"1"}},"step":null,"upper":{"_p":[2,13,2,14],"_t":"Constant","value":{"int":"2"}}},"value":{"_p":[2,9,2,10],"_t":"Name","ctx":"Load","id":"y"}}]}}]}`,
		},
	}}
	for _, g := range goldens {
		f := NewFile(g.name+".py", []byte(g.src))
		mod := &Module{Range: Range{Start: 0, Stop: Pos(len(g.src))}, Body: g.tree(f), File: f}
		for ver, want := range g.want {
			got := string(DumpJSON(mod, DumpOptions{Positions: true, Version: ver}))
			if got != want {
				t.Errorf("%s (3.%d):\n got %s\nwant %s\nfirst difference at byte %d", g.name, ver, got, want, dumpFirstDiff(got, want))
			}
		}
	}
}

func dumpFirstDiff(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

func TestDumpJSONNoPositions(t *testing.T) {
	f := NewFile("x.py", []byte("x\n"))
	mod := &Module{Body: []Stmt{&ExprStmt{Range: Range{0, 1}, Value: &Name{Range: Range{0, 1}, ID: "x"}}}, File: f}
	got := string(DumpJSON(mod, DumpOptions{}))
	want := `{"_t":"Module","body":[{"_t":"Expr","value":{"_t":"Name","ctx":"Load","id":"x"}}]}`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestAppendJSONString(t *testing.T) {
	// Expectations from Python: json.dumps(s, ensure_ascii=False).
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{"\"\\/", `"\"\\/"`},
		{"\x00\x01\x1f\x7f", `"\u0000\u0001\u001f` + "\x7f" + `"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"<>&\u2028\u2029é😀", `"<>&` + "\u2028\u2029é😀" + `"`},
	} {
		if got := string(appendJSONString(nil, tc.in)); got != tc.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if strings.Contains(string(appendHexString(nil, "\x00\xab")), "AB") {
		t.Error("hex must be lower case")
	}
}
