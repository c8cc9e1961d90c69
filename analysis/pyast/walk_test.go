package pyast

import (
	"fmt"
	"strings"
	"testing"
)

// describe names a node for the traversal tests: its Go type and start offset.
func walkDescribe(n Node) string {
	return fmt.Sprintf("%T@%d", n, n.Pos())[len("*pyast."):]
}

func walkRange(a, b int) Range { return Range{Start: Pos(a), Stop: Pos(b)} }

func TestInspectSourceOrder(t *testing.T) {
	// @d
	// def f[T](a, b=1, *c, d=2, **e) -> r: g(x, k=1, *y, **z) if t else u
	//
	// Offsets are synthetic but increase in source order.
	call := &Call{Range: walkRange(40, 60), Func: &Name{Range: walkRange(40, 41), ID: "g"},
		Args: []Expr{&Name{Range: walkRange(42, 43), ID: "x"}, &Starred{Range: walkRange(49, 51), Value: &Name{Range: walkRange(50, 51), ID: "y"}}},
		Keywords: []*Keyword{{Range: walkRange(45, 48), Arg: "k", Value: &Constant{Range: walkRange(47, 48)}},
			{Range: walkRange(53, 56), Value: &Name{Range: walkRange(55, 56), ID: "z"}}}}
	fn := &FunctionDef{Range: walkRange(0, 80), Name: "f",
		DecoratorList: []Expr{&Name{Range: walkRange(1, 2), ID: "d"}},
		TypeParams:    []TypeParam{&TypeVar{Range: walkRange(9, 10), Name: "T"}},
		Args: &Arguments{Range: walkRange(11, 30),
			Args:       []*Arg{{Range: walkRange(11, 12), Arg: "a"}, {Range: walkRange(14, 15), Arg: "b"}},
			Defaults:   []Expr{&Constant{Range: walkRange(16, 17)}},
			Vararg:     &Arg{Range: walkRange(20, 21), Arg: "c"},
			KwOnlyArgs: []*Arg{{Range: walkRange(23, 24), Arg: "d"}},
			KwDefaults: []Expr{&Constant{Range: walkRange(25, 26)}},
			Kwarg:      &Arg{Range: walkRange(28, 30), Arg: "e"}},
		Returns: &Name{Range: walkRange(34, 35), ID: "r"},
		Body: []Stmt{&ExprStmt{Range: walkRange(40, 75), Value: &IfExp{Range: walkRange(40, 75),
			Body: call, Test: &Name{Range: walkRange(64, 65), ID: "t"}, Orelse: &Name{Range: walkRange(71, 72), ID: "u"}}}},
	}
	mod := &Module{Body: []Stmt{fn}}

	var got []string
	depth, maxDepth := 0, 0
	Inspect(mod, func(n Node) bool {
		if n == nil {
			depth--
			return false
		}
		depth++
		maxDepth = max(maxDepth, depth)
		if _, ok := n.(*Module); !ok {
			got = append(got, walkDescribe(n))
		}
		return true
	})
	if depth != 0 {
		t.Errorf("unbalanced Visit(nil) calls: depth %d at the end", depth)
	}
	want := "FunctionDef@0 Name@1 TypeVar@9 Arguments@11 Arg@11 Arg@14 Constant@16 Arg@20 Arg@23 Constant@25 Arg@28 " +
		"Name@34 ExprStmt@40 IfExp@40 Call@40 Name@40 Name@42 Keyword@45 Constant@47 Starred@49 Name@50 Keyword@53 Name@55 Name@64 Name@71"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("visit order\n got %s\nwant %s", g, want)
	}
	// Positions must never decrease in a pre-order walk of this tree.
	last := Pos(-1)
	Inspect(mod, func(n Node) bool {
		if n != nil && n.Pos() < last {
			t.Errorf("%s visited after offset %d", walkDescribe(n), last)
		}
		if n != nil {
			last = n.Pos()
		}
		return true
	})
	if maxDepth != 7 {
		t.Errorf("max depth %d, want 7", maxDepth)
	}
}

func TestInspectPrune(t *testing.T) {
	mod := &Module{Body: []Stmt{
		&ExprStmt{Value: &Call{Func: &Name{ID: "f"}, Args: []Expr{&Name{ID: "a"}}}},
		&Assign{Targets: []Expr{&Name{ID: "b", Ctx: Store}}, Value: &Name{ID: "c"}},
	}}
	var names []string
	Inspect(mod, func(n Node) bool {
		switch n := n.(type) {
		case *Call:
			return false // skip f and a
		case *Name:
			names = append(names, n.ID)
		}
		return true
	})
	if g := strings.Join(names, ","); g != "b,c" {
		t.Errorf("names = %s, want b,c", g)
	}
}

// Every node kind's children: the helper nodes, patterns and type
// parameters must be reachable.
func TestWalkReachesAllKinds(t *testing.T) {
	mod := &Module{Body: []Stmt{
		&ClassDef{Bases: []Expr{&Name{ID: "B"}}, Keywords: []*Keyword{{Arg: "metaclass", Value: &Name{ID: "M"}}},
			TypeParams: []TypeParam{&ParamSpec{Name: "P"}, &TypeVarTuple{Name: "Ts"}}},
		&With{Items: []*WithItem{{ContextExpr: &Name{ID: "cm"}, OptionalVars: &Name{ID: "v"}}}},
		&Try{Handlers: []*ExceptHandler{{Type: &Name{ID: "E"}}}, Finalbody: []Stmt{&Pass{}}},
		&ImportFrom{Names: []*Alias{{Name: "x"}}},
		&Match{Subject: &Name{ID: "s"}, Cases: []*MatchCase{{
			Pattern: &MatchOr{Patterns: []Pattern{
				&MatchMapping{Keys: []Expr{&Constant{}}, Patterns: []Pattern{&MatchSingleton{}}},
				&MatchClass{Cls: &Name{ID: "C"}, KwdPatterns: []Pattern{&MatchStar{}}},
				&MatchAs{Pattern: &MatchSequence{Patterns: []Pattern{&MatchValue{Value: &Attribute{Value: &Name{ID: "m"}}}}}},
			}},
			Guard: &Name{ID: "g"}}}},
		&ExprStmt{Value: &DictComp{Key: &Name{ID: "k"}, Value: &Name{ID: "v"},
			Generators: []*Comprehension{{Target: &Name{ID: "k"}, Iter: &Name{ID: "it"}, Ifs: []Expr{&Name{ID: "c"}}}}}},
		&ExprStmt{Value: &Lambda{Args: &Arguments{PosOnlyArgs: []*Arg{{Arg: "p", Annotation: &Name{ID: "ann"}}}}, Body: &JoinedStr{
			Values: []Expr{&FormattedValue{Value: &Name{ID: "fv"}, FormatSpec: &JoinedStr{}}}}}},
	}}
	seen := map[string]int{}
	Inspect(mod, func(n Node) bool {
		if n != nil {
			seen[fmt.Sprintf("%T", n)[len("*pyast."):]]++
		}
		return true
	})
	for _, k := range strings.Fields("ClassDef Keyword ParamSpec TypeVarTuple With WithItem Try ExceptHandler Pass " +
		"ImportFrom Alias Match MatchCase MatchOr MatchMapping MatchSingleton MatchClass MatchStar MatchAs " +
		"MatchSequence MatchValue Attribute Constant DictComp Comprehension Lambda Arguments Arg JoinedStr FormattedValue") {
		if seen[k] == 0 {
			t.Errorf("%s not visited", k)
		}
	}
	if seen["Name"] != 16 {
		t.Errorf("visited %d Names, want 16", seen["Name"])
	}
}

// A very deep tree must not exhaust the Go stack: Walk is iterative.
func TestWalkDeep(t *testing.T) {
	var e Expr = &Name{ID: "x"}
	const depth = 200000
	for i := 0; i < depth; i++ {
		e = &UnaryOp{Op: USub, Operand: e}
	}
	n := 0
	Inspect(&ExprStmt{Value: e}, func(node Node) bool {
		if node != nil {
			n++
		}
		return true
	})
	if n != depth+2 {
		t.Errorf("visited %d nodes, want %d", n, depth+2)
	}
}

type walkCountingVisitor struct{ enter, leave *int }

func (v walkCountingVisitor) Visit(n Node) Visitor {
	if n == nil {
		*v.leave++
		return nil
	}
	*v.enter++
	return v
}

func TestWalkVisitNil(t *testing.T) {
	var enter, leave int
	Walk(walkCountingVisitor{&enter, &leave}, &BinOp{Left: &Name{}, Right: &Constant{}})
	if enter != 3 || leave != 3 {
		t.Errorf("enter=%d leave=%d, want 3 and 3", enter, leave)
	}
}
