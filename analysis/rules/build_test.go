package rules

import (
	"sort"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/bundle"
)

// testBundle makes a bundle of files (path → source) with handler.py as
// the handler.
func testBundle(files map[string]string) *bundle.Bundle {
	b := &bundle.Bundle{Handler: "handler.py"}
	for p, src := range files {
		b.Files = append(b.Files, bundle.File{Path: p, Data: []byte(src)})
	}
	sort.Slice(b.Files, func(i, j int) bool { return b.Files[i].Path < b.Files[j].Path })
	return b
}

// sinkLabels returns the union of the labels of every argument of calls to
// the undefined name sink() in the program.
func sinkLabels(p *Program) (Labels, []string, int) {
	var l Labels
	var descs []string
	n := 0
	for _, c := range p.Calls {
		if c.Callee != "sink" {
			continue
		}
		n++
		for _, a := range c.Args {
			l |= a.Labels
			for _, o := range a.Origins {
				descs = append(descs, o.Desc)
			}
		}
	}
	return l, descs, n
}

func TestBuildFlow(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  Labels // labels that must reach sink()
		not   Labels // labels that must not
		desc  string // an origin description that must be given
	}{
		{"secret subscript", map[string]string{"handler.py": `
def handle(secrets):
    sink(secrets["api-key"])
`}, LabelSecret, 0, `secrets["api-key"]`},
		{"params in any order", map[string]string{"handler.py": `
def handle(data, client, secrets):
    sink(data.get("expr"))
`}, LabelCallInput, LabelSecret, `data["expr"]`},
		{"tuple unpacking keeps elements apart", map[string]string{"handler.py": `
def handle(data, secrets):
    a, b = secrets["k"], "constant"
    sink(b)
`}, 0, LabelSecret, ""},
		{"strong update forgets", map[string]string{"handler.py": `
def handle(secrets):
    x = secrets["k"]
    x = "fixed"
    sink(x)
`}, 0, LabelSecret, ""},
		{"branches join", map[string]string{"handler.py": `
def handle(data, secrets):
    x = "a"
    if data:
        x = secrets["k"]
    sink(x)
`}, LabelSecret, 0, ""},
		{"loop carries", map[string]string{"handler.py": `
def handle(data, secrets):
    a = b = c = ""
    for i in range(3):
        c = b
        b = a
        a = secrets["k"]
    sink(c)
`}, LabelSecret, 0, ""},
		{"containers and mutation", map[string]string{"handler.py": `
def handle(secrets):
    d = {}
    d["k"] = secrets["k"]
    items = []
    items.extend([d])
    sink(items)
`}, LabelSecret, 0, ""},
		{"string building", map[string]string{"handler.py": `
import json
def handle(secrets):
    s = "x=%s" % secrets["a"]
    t = "{}-{}".format("p", s)
    u = json.dumps({"v": t}).encode().strip()
    sink(u)
`}, LabelSecret, 0, ""},
		{"sanitizers cut", map[string]string{"handler.py": `
import hashlib
def handle(secrets):
    k = secrets["a"]
    sink(len(k), hashlib.sha256(k.encode()).hexdigest(), k == "x", isinstance(k, str), k[:4], k[-4:])
`}, 0, LabelSecret, ""},
		{"walrus, with, augmented, annotated", map[string]string{"handler.py": `
def handle(data, secrets):
    if (k := secrets["a"]):
        pass
    msg: str = "p"
    msg += k
    with wrap(data["path"]) as f:
        sink(msg, f)
`}, LabelSecret | LabelCallInput, 0, ""},
		{"helper return across modules", map[string]string{
			"handler.py": `
from lib.tools import wrap
def handle(secrets):
    sink(wrap("a", secrets["k"]))
    sink(wrap("b", "c"))
`,
			"lib/__init__.py": ``,
			"lib/tools.py": `
from .fmt import fmt
def wrap(a, b):
    return fmt(b)
`,
			"lib/fmt.py": `
def fmt(x):
    return f"<{x}>"
`}, LabelSecret, 0, `secrets["k"]`},
		{"summary keeps call sites apart", map[string]string{"handler.py": `
def ident(x):
    return x
def handle(secrets):
    ident(secrets["k"])
    sink(ident("plain"))
`}, 0, LabelSecret, ""},
		{"sink inside helper sees caller's labels", map[string]string{
			"handler.py": `
import helpers as h
def handle(data):
    h.log(data["x"])
`,
			"helpers.py": `
def log(msg):
    sink(msg)
`}, LabelCallInput, 0, `data["x"]`},
		{"methods and fields", map[string]string{"handler.py": `
class Box:
    def __init__(self, v):
        self.v = v
    def get(self):
        return self.v
class Sub(Box):
    def show(self):
        sink(self.get())
def handle(secrets):
    Sub(secrets["k"]).show()
`}, LabelSecret, 0, ""},
		{"closures and lambdas", map[string]string{"handler.py": `
def handle(secrets):
    k = secrets["k"]
    def inner():
        sink(k)
    inner()
    f = lambda y: sink(y)
    f(k)
`}, LabelSecret, 0, ""},
		{"module globals and global statements", map[string]string{"handler.py": `
KEY = None
def setup(s):
    global KEY
    KEY = s["k"]
def use():
    sink(KEY)
def handle(secrets):
    setup(secrets)
    use()
`}, LabelSecret, 0, ""},
		{"recursion terminates", map[string]string{"handler.py": `
def f(n, v):
    if n == 0:
        return v
    return g(n - 1, v)
def g(n, v):
    return f(n, v)
def handle(secrets):
    sink(f(10, secrets["k"]))
`}, LabelSecret, 0, ""},
		{"environment secrets by name only", map[string]string{"handler.py": `
import os
from os import getenv as ge
def handle():
    sink(os.environ["DB_PASSWORD"], ge("API_TOKEN"))
`}, LabelEnvSecret, 0, `os.environ["DB_PASSWORD"]`},
		{"plain environment variables", map[string]string{"handler.py": `
import os
def handle():
    sink(os.environ["HOME"], os.getenv("REGION"))
`}, 0, LabelEnvSecret, ""},
		{"credentials", map[string]string{"handler.py": `
def handle(client):
    c = client.config
    sink(c.credentials.authorization_header())
`}, LabelCredential, 0, "client.config.credentials"},
		{"token inspect is not the token", map[string]string{"handler.py": `
def handle(client):
    sink(client.iam.token.inspect(), client.config.project)
`}, LabelCDFData, LabelCredential, ""},
		{"downloads and decoding", map[string]string{"handler.py": `
import requests, base64, zlib
def handle():
    r = requests.Session().get("https://x.example.com")
    sink(zlib.decompress(base64.b64decode(r.json()["p"])))
`}, LabelDownloaded | LabelDecoded, 0, ""},
		{"hard-coded secret literal", map[string]string{"handler.py": `
def handle():
    key = "AKIAIOSFODNN7EXAMPLF"
    sink("prefix-" + key)
`}, LabelHardcodedSecret, 0, ""},
		{"callback gets the other arguments", map[string]string{"handler.py": `
def work(item):
    sink(item)
def handle(data):
    list(map(work, data["items"]))
`}, LabelCallInput, 0, ""},
		{"getattr with a constant name", map[string]string{"handler.py": `
def handle(secrets):
    getter = getattr(secrets, "get")
    sink(getter("k"))
`}, LabelSecret, 0, ""},
		{"except binds the raised value", map[string]string{"handler.py": `
def handle(secrets):
    try:
        raise ValueError(secrets["k"])
    except ValueError as e:
        sink(str(e))
`}, LabelSecret, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Build(testBundle(tt.files), Options{IsSecretLiteral: testSecretLiteral})
			for _, m := range p.Modules {
				if len(m.Errors) > 0 {
					t.Fatalf("%s: %v", m.Path, m.Errors[0])
				}
			}
			got, descs, n := sinkLabels(p)
			if n == 0 {
				t.Fatal("no sink() call recorded")
			}
			if got&tt.want != tt.want {
				t.Errorf("labels %b, want %b set (origins %q)", got, tt.want, descs)
			}
			if got&tt.not != 0 {
				t.Errorf("labels %b, want %b clear (origins %q)", got, tt.not, descs)
			}
			if tt.desc != "" && !containsPrefix(descs, tt.desc) {
				t.Errorf("origins %q, want one starting %q", descs, tt.desc)
			}
		})
	}
}

func containsPrefix(list []string, p string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func TestBuildHandle(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		params string
	}{
		{"last def wins", "def handle(a):\n    pass\ndef handle(data, client):\n    pass\n", "data,client"},
		{"lambda", "handle = lambda data: data\n", "data"},
		{"assigned function", "def impl(client, secrets):\n    pass\nhandle = impl\n", "client,secrets"},
		{"wrapped function", "def impl(data):\n    pass\nhandle = wrap(impl)\n", "data"},
		{"none", "def main(data):\n    pass\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Build(testBundle(map[string]string{"handler.py": tt.src}), Options{})
			if got := strings.Join(p.HandleParams, ","); got != tt.params {
				t.Errorf("HandleParams %q, want %q", got, tt.params)
			}
			if (p.Handle != nil) != (tt.params != "") {
				t.Errorf("Handle = %v", p.Handle)
			}
		})
	}
}

func TestBuildImports(t *testing.T) {
	p := Build(testBundle(map[string]string{
		"handler.py":      "import os.path\nimport requests as r\nfrom . import util\nfrom pkg.sub import f\nimport helpers\n",
		"util.py":         "from .helpers import g\n",
		"helpers.py":      "def g():\n    pass\n",
		"pkg/__init__.py": "",
		"pkg/sub.py":      "from ..util import g\nfrom . import other\n",
		"pkg/other.py":    "",
	}), Options{})
	var got []string
	for _, imp := range p.Imports {
		got = append(got, imp.Module.Path+":"+imp.Name+":"+map[bool]string{true: "local", false: "ext"}[imp.Local])
	}
	want := []string{
		"handler.py:os.path:ext", "handler.py:requests:ext", "handler.py::local", "handler.py:pkg.sub:local",
		"handler.py:helpers:local", "pkg/sub.py:util:local", "pkg/sub.py:pkg:local", "util.py:helpers:local",
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("imports\n got %v\nwant %v", got, want)
	}
}

func TestBuildCallees(t *testing.T) {
	p := Build(testBundle(map[string]string{
		"handler.py": `
import requests as r
from os import system as s
from subprocess import *
import logging
log = logging.getLogger(__name__)
def handle(client, data):
    r.post("https://a.example.com")
    sess = r.Session()
    sess.get("https://b.example.com")
    s("ls")
    run(["ls"])
    log.info("x")
    client.time_series.data.retrieve(id=1)
    print = lambda *a: None
    print("shadowed")
    getattr(client.assets, "delete")(id=1)
`}), Options{})
	var got []string
	for _, c := range p.Calls {
		got = append(got, c.Callee)
	}
	want := "logging.getLogger requests.post requests.Session requests.Session.get os.system subprocess.run " +
		"logger.info time_series.data.retrieve handler.handle.<lambda:15> assets.delete getattr"
	// the getattr(…)(…) call comes before its inner getattr call (same start, longer first)
	if g := strings.Join(got, " "); g != want {
		t.Errorf("callees\n got %s\nwant %s", g, want)
	}
	for _, c := range p.Calls {
		if !c.Reachable {
			t.Errorf("%s not reachable", c.Callee)
		}
	}
}

func TestBuildReachability(t *testing.T) {
	p := Build(testBundle(map[string]string{"handler.py": `
def used():
    a()
def unused():
    b()
def handle(data):
    used()
c()
`}), Options{})
	reach := map[string]bool{}
	for _, c := range p.Calls {
		reach[c.Callee] = c.Reachable
	}
	want := map[string]bool{"a": true, "b": false, "c": true, "handler.used": true}
	for k, v := range want {
		if reach[k] != v {
			t.Errorf("%s reachable = %v, want %v", k, reach[k], v)
		}
	}
}

func TestBuildReturnsAndRaises(t *testing.T) {
	p := Build(testBundle(map[string]string{"handler.py": `
def helper(s):
    if not s:
        raise ValueError("bad " + s["k"])
    return {"k": s["k"]}
def handle(secrets, data):
    if data:
        return "nothing"
    return helper(secrets)
`}), Options{})
	if len(p.Returns) != 2 {
		t.Fatalf("%d returns, want 2", len(p.Returns))
	}
	if p.Returns[0].Value.Labels != 0 || !p.Returns[1].Value.Labels.Has(LabelSecret) {
		t.Errorf("returns labels %b %b", p.Returns[0].Value.Labels, p.Returns[1].Value.Labels)
	}
	if len(p.Raises) != 1 || !p.Raises[0].Value.Labels.Has(LabelSecret) {
		t.Errorf("raises %+v", p.Raises)
	}
}

func TestBuildSyntaxErrorKeepsPartialTree(t *testing.T) {
	p := Build(testBundle(map[string]string{"handler.py": "def handle(data):\n    eval(data['x'])\n\ndef broken(:\n"}), Options{})
	if len(p.Modules) != 1 || len(p.Modules[0].Errors) == 0 {
		t.Fatal("want a syntax error recorded")
	}
	found := false
	for _, c := range p.Calls {
		if c.Callee == "eval" && len(c.Args) == 1 && c.Args[0].Labels.Has(LabelCallInput) {
			found = true
		}
	}
	if !found {
		t.Error("the code before the error was not analysed")
	}
}

func TestBuildBudget(t *testing.T) {
	var src strings.Builder
	src.WriteString("def handle(data):\n")
	for i := 0; i < 2000; i++ {
		src.WriteString("    x = data['a'] + str(x)\n")
	}
	b := testBundle(map[string]string{"handler.py": src.String()})
	p := build(b, Options{}, 5000)
	if p.Truncated == "" {
		t.Fatal("want Truncated when the budget runs out")
	}
	if p := Build(b, Options{}); p.Truncated != "" {
		t.Fatalf("default budget too small for 2000 lines: %s", p.Truncated)
	}
}

func TestBuildHostileShapes(t *testing.T) {
	tests := map[string]string{
		"deep parens":    "def handle(data):\n    x = " + strings.Repeat("(", 190) + "data" + strings.Repeat(")", 190) + "\n",
		"long chain":     "def handle(data):\n    x = data" + strings.Repeat(" + data", 2900) + "\n    print(x)\n",
		"long attrs":     "def handle(client):\n    client" + strings.Repeat(".a", 2900) + "()\n",
		"deep calls":     "def handle(data):\n    " + strings.Repeat("f(", 190) + "data" + strings.Repeat(")", 190) + "\n",
		"doubling str":   "def handle(data):\n    s = 'ab'\n    for i in range(64):\n        s += s\n    print(s)\n",
		"self recursion": "def f(x):\n    return f(f(x))\ndef handle(data):\n    f(data)\n",
		"class cycle":    "class A(B):\n    pass\nclass B(A):\n    pass\ndef handle(data):\n    A().m()\n",
		"import cycle":   "from handler import handle\nimport handler\nhandler.handle(1)\ndef handle(data):\n    handler.handle(data)\n",
		"deep nesting":   "def handle(data):\n" + nestedIfs(90) + "print(data)\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			Build(testBundle(map[string]string{"handler.py": src}), Options{})
		})
	}
}

func nestedIfs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", 4*(i+1)))
		b.WriteString("if data:\n")
	}
	b.WriteString(strings.Repeat(" ", 4*(n+1)))
	return b.String()
}

func TestCallSiteArg(t *testing.T) {
	c := &CallSite{Args: []Value{{Qual: "a"}}, Keywords: map[string]Value{"b": {Qual: "b"}}}
	if v, ok := c.Arg(0, "x"); !ok || v.Qual != "a" {
		t.Error("positional")
	}
	if v, ok := c.Arg(1, "b"); !ok || v.Qual != "b" {
		t.Error("keyword")
	}
	if _, ok := c.Arg(2, "c"); ok {
		t.Error("absent")
	}
}
