package pyast_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/pyast"
)

// Error recovery: after a syntax error the parser reports it, resynchronises
// at the next statement and keeps going, so the tree holds everything it
// could parse and every error is listed.

// stmtSummary describes the top-level statements as "Kind:line" items,
// with the names of defs and classes.
func stmtSummary(mod *pyast.Module) string {
	var parts []string
	for _, s := range mod.Body {
		line := mod.File.Position(s.Pos()).Line
		switch n := s.(type) {
		case *pyast.FunctionDef:
			parts = append(parts, fmt.Sprintf("def %s:%d", n.Name, line))
		case *pyast.ClassDef:
			parts = append(parts, fmt.Sprintf("class %s:%d", n.Name, line))
		default:
			parts = append(parts, fmt.Sprintf("%s:%d", strings.TrimPrefix(fmt.Sprintf("%T", s), "*pyast."), line))
		}
	}
	return strings.Join(parts, " ")
}

func errLines(errs pyast.ErrorList) []int {
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
	}
	return lines
}

func TestRecovery(t *testing.T) {
	tests := []struct {
		name, src string
		stmts     string // stmtSummary of the result
		errLines  []int  // lines of the errors, in order
	}{
		{
			name:     "errors in several statements",
			src:      "x = = 1\ny = 2\nz = (1 +) * 3\nw = 4\n",
			stmts:    "Assign:1 Assign:2 Assign:3 Assign:4",
			errLines: []int{1, 3},
		},
		{
			name:     "missing colon keeps the block",
			src:      "if x\n    y = 1\nz = 2\n",
			stmts:    "If:1 Assign:3",
			errLines: []int{1},
		},
		{
			name:     "bad parameter list keeps the def and what follows",
			src:      "def f(a, 1):\n    return a\ndef g():\n    pass\n",
			stmts:    "def f:1 def g:3",
			errLines: []int{1},
		},
		{
			name:     "unexpected indent keeps the indented statements",
			src:      "a = 1\n    b = 2\n    c = 3\nd = 4\n",
			stmts:    "Assign:1 Assign:2 Assign:3 Assign:4",
			errLines: []int{2},
		},
		{
			name: "merge conflict markers between functions",
			src: "def a():\n    x = 1\n<<<<<<< HEAD\n    y = 2\n=======\n    y = 3\n>>>>>>> other\n" +
				"    return x\n\ndef b():\n    return 2\n",
			stmts:    "def a:1 Assign:4 Assign:6 Return:8 def b:10",
			errLines: []int{3, 5, 7},
		},
		{
			name:     "stray closing brackets",
			src:      "x = 1\n)))\ny = 2\n",
			stmts:    "Assign:1 BadStmt:2 Assign:3",
			errLines: []int{2, 2, 2}, // the scanner reports each unmatched ')'
		},
		{
			name:     "statement keyword in expression position",
			src:      "x = import\nclass C:\n    pass\n",
			stmts:    "Assign:1 class C:2",
			errLines: []int{1},
		},
		{
			name:     "invalid targets",
			src:      "f() = 1\n1 += 2\ndel a + b\nok = 1\n",
			stmts:    "Assign:1 AugAssign:2 Delete:3 Assign:4",
			errLines: []int{1, 2, 3},
		},
		{
			name: "unclosed brackets end at the next statement",
			src: "def a():\n    x = foo(a, b\n    y = 2\n    return y\n\n" +
				"z = [1, 2\ndef b():\n    pass\nw = {1: 2\nclass C:\n    pass\n",
			stmts: "def a:1 Assign:6 def b:7 Assign:9 class C:10",
			// Each unclosed bracket is reported on its own line (CPython's
			// first error here: "'(' was never closed"), then the statement
			// where recovery resumed.
			errLines: []int{2, 3, 6, 7, 9, 10},
		},
		{
			name:     "broken match case",
			src:      "match x:\n    case [1, 2 3]:\n        pass\n    case _:\n        pass\ny = 1\n",
			stmts:    "Match:1 Assign:6",
			errLines: []int{2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mod, errs := pyast.Parse("recover.py", []byte(tt.src), nil)
			if got := stmtSummary(mod); got != tt.stmts {
				t.Errorf("statements:\n got %s\nwant %s", got, tt.stmts)
			}
			if got := errLines(errs); fmt.Sprint(got) != fmt.Sprint(tt.errLines) {
				t.Errorf("error lines: got %v, want %v; errors: %v", got, tt.errLines, errs)
			}
			checkWhole(t, mod)
		})
	}
}

// TestRecoveryPlaceholders checks that a broken expression leaves a BadExpr
// placeholder covering the bad spot, inside an otherwise intact tree.
func TestRecoveryPlaceholders(t *testing.T) {
	mod, errs := pyast.Parse("bad.py", []byte("result = compute(a, , b)\n"), nil)
	if len(errs) == 0 {
		t.Fatal("no error")
	}
	assign, ok := mod.Body[0].(*pyast.Assign)
	if !ok {
		t.Fatalf("body[0] is %T, want *Assign", mod.Body[0])
	}
	call, ok := assign.Value.(*pyast.Call)
	if !ok {
		t.Fatalf("value is %T, want *Call", assign.Value)
	}
	if name, _ := call.Func.(*pyast.Name); name == nil || name.ID != "compute" {
		t.Errorf("call of %T, want Name compute", call.Func)
	}
	var bad int
	pyast.Inspect(mod, func(n pyast.Node) bool {
		if _, ok := n.(*pyast.BadExpr); ok {
			bad++
		}
		return true
	})
	if bad == 0 {
		t.Errorf("no BadExpr placeholder in the tree")
	}
}

// TestRecoveryTerminates runs inputs that could make a careless recovery
// loop spin; each must end with errors and a whole tree.
func TestRecoveryTerminates(t *testing.T) {
	inputs := []string{
		")))\n]]]\n}}}\n",
		"else:\nelif:\nexcept:\nfinally:\n",
		"@\n@\n@\n",
		"def\nclass\nif\nfor\nwhile\nwith\ntry\n",
		"lambda lambda lambda\n",
		"f(,,,)\n[,,,]\n{,,,}\n(,,,)\n",
		"x[:::::]\n",
		"match x:\n    case case case:\n        pass\n",
		"import\nfrom\nfrom . import\nglobal\n",
		"a = (1,\nb = 2\n",
		"f'{'\n",
		"\tx = 1\n  y = 2\n",
		strings.Repeat("(", 300) + "\n",
	}
	for _, src := range inputs {
		mod, errs := pyast.Parse("loop.py", []byte(src), nil)
		if len(errs) == 0 {
			t.Errorf("%q: no error", src)
		}
		checkWhole(t, mod)
	}
}

// checkWhole checks that every node of the tree lies inside the source and
// that no required child is missing.
func checkWhole(t *testing.T, mod *pyast.Module) {
	t.Helper()
	n := pyast.Pos(len(mod.File.Src))
	pyast.Inspect(mod, func(node pyast.Node) bool {
		if node == nil {
			return false
		}
		if node.Pos() < 0 || node.End() < node.Pos() || node.End() > n {
			t.Errorf("%T has range [%d,%d) outside [0,%d)", node, node.Pos(), node.End(), n)
		}
		switch x := node.(type) {
		case *pyast.BinOp:
			if x.Left == nil || x.Right == nil {
				t.Errorf("BinOp with a nil operand")
			}
		case *pyast.Assign:
			if x.Value == nil {
				t.Errorf("Assign with a nil value")
			}
		case *pyast.Call:
			if x.Func == nil {
				t.Errorf("Call with a nil func")
			}
		}
		return true
	})
}
