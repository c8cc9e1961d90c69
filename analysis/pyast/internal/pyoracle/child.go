package pyoracle

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// childScript is the persistent child's program: it reads one JSON request
// per line and answers with one JSON line. Sources travel as hex of their
// bytes so lone surrogates and invalid UTF-8 survive the trip.
//
//	{"op": "parse", "src": HEX}     -> {"ok": true} | {"ok": false, "type", "msg", "lineno"}
//	{"op": "snippets", "file": P}   -> {"snippets": [{"kind", "line", "src": HEX}]}
const childScript = `
import ast, doctest, json, sys, textwrap, warnings
warnings.simplefilter("ignore")
CALLS = {"check_syntax_error", "_check_error", "assert_syntax_error", "check_syntax_warning"}

def enc(s):
    return s.encode("utf-8", "surrogatepass").hex()

def const_str(n):
    if isinstance(n, ast.Constant) and isinstance(n.value, str):
        return n.value
    if (isinstance(n, ast.Call) and len(n.args) == 1 and not n.keywords and
            ((isinstance(n.func, ast.Name) and n.func.id == "dedent") or
             (isinstance(n.func, ast.Attribute) and n.func.attr == "dedent"))):
        s = const_str(n.args[0])
        return None if s is None else textwrap.dedent(s)
    return None

def snippets(path):
    tree = ast.parse(open(path, "rb").read(), path)
    out, dp = [], doctest.DocTestParser()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc and ">>>" in doc:
                base = node.body[0].lineno
                try:
                    examples = dp.get_examples(doc)
                except ValueError:
                    examples = []
                for ex in examples:
                    out.append({"kind": "doctest", "line": base + ex.lineno, "src": enc(ex.source)})
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name == "assertAllRaise":
                for a in node.args:
                    if isinstance(a, (ast.List, ast.Tuple)):
                        for e in a.elts:
                            s = const_str(e)
                            if s is not None:
                                out.append({"kind": name, "line": e.lineno, "src": enc(s)})
            elif name in CALLS:
                args = [a for a in node.args if not (isinstance(a, ast.Name) and a.id == "self")]
                s = const_str(args[0]) if args else None
                if s is not None:
                    out.append({"kind": name, "line": node.lineno, "src": enc(s)})
    return out

def parse(src):
    try:
        ast.parse(src)
        return {"ok": True}
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError) as e:
        return {"ok": False, "type": type(e).__name__, "msg": str(getattr(e, "msg", e)),
                "lineno": getattr(e, "lineno", None)}

for line in sys.stdin:
    req = json.loads(line)
    try:
        if req["op"] == "parse":
            resp = parse(bytes.fromhex(req["src"]))
        elif req["op"] == "snippets":
            resp = {"snippets": snippets(req["file"])}
        else:
            resp = {"error": "unknown op"}
    except Exception as e:
        resp = {"error": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(resp) + "\n")
    sys.stdout.flush()
`

// Child is a persistent CPython process answering parse and snippet
// requests, which avoids the interpreter's start-up time per input.
type Child struct {
	in   *Interpreter
	cmd  *exec.Cmd
	w    io.WriteCloser
	r    *bufio.Reader
	dead error
}

// StartChild starts a child process of interpreter in.
func (in *Interpreter) StartChild() (*Child, error) {
	cmd := in.Command("-c", childScript)
	w, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	r, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("CPython %s: %w", in.Version, err)
	}
	return &Child{in: in, cmd: cmd, w: w, r: bufio.NewReaderSize(r, 1<<16)}, nil
}

// Close ends the child.
func (c *Child) Close() error {
	c.w.Close()
	return c.cmd.Wait()
}

func (c *Child) call(req, resp any) error {
	if c.dead != nil {
		return c.dead
	}
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := c.w.Write(append(b, '\n')); err != nil {
		c.dead = fmt.Errorf("CPython %s child: %w", c.in.Version, err)
		return c.dead
	}
	line, err := c.r.ReadBytes('\n')
	if err != nil {
		c.dead = fmt.Errorf("CPython %s child: %w", c.in.Version, err)
		return c.dead
	}
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(line, &e) == nil && e.Error != "" {
		return fmt.Errorf("CPython %s child: %s", c.in.Version, e.Error)
	}
	return json.Unmarshal(line, resp)
}

// Verdict is CPython's answer to ast.parse(src).
type Verdict struct {
	OK     bool   `json:"ok"`
	Type   string `json:"type"`
	Msg    string `json:"msg"`
	Lineno *int   `json:"lineno"`
}

func (v Verdict) String() string {
	if v.OK {
		return "accepted"
	}
	line := 0
	if v.Lineno != nil {
		line = *v.Lineno
	}
	return fmt.Sprintf("rejected (%s: %s, line %d)", v.Type, v.Msg, line)
}

// Parse asks whether CPython's ast.parse accepts src (raw bytes, decoded by
// CPython as a file would be).
func (c *Child) Parse(src []byte) (Verdict, error) {
	var v Verdict
	err := c.call(map[string]string{"op": "parse", "src": hex.EncodeToString(src)}, &v)
	return v, err
}

// Snippet is a piece of source extracted from a CPython test file.
type Snippet struct {
	Kind string // "doctest" or the name of the checking function
	File string
	Line int
	Src  []byte
}

// Snippets extracts the ">>>" examples of every docstring of file, the
// constant string arguments of its check_syntax_error-style calls and the
// constant strings listed in its assertAllRaise calls (test_fstring.py).
func (c *Child) Snippets(file string) ([]Snippet, error) {
	var resp struct {
		Snippets []struct {
			Kind string `json:"kind"`
			Line int    `json:"line"`
			Src  string `json:"src"`
		} `json:"snippets"`
	}
	if err := c.call(map[string]string{"op": "snippets", "file": file}, &resp); err != nil {
		return nil, err
	}
	out := make([]Snippet, 0, len(resp.Snippets))
	for _, s := range resp.Snippets {
		b, err := hex.DecodeString(s.Src)
		if err != nil {
			return nil, err
		}
		out = append(out, Snippet{Kind: s.Kind, File: file, Line: s.Line, Src: b})
	}
	return out, nil
}

// ShortName returns path relative to the stdlib directory it lies in, for
// messages ("test/test_syntax.py").
func ShortName(stdlib, path string) string {
	if rel, ok := strings.CutPrefix(path, stdlib+"/"); ok {
		return rel
	}
	return path
}
