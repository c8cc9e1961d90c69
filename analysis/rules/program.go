// Package rules holds Preflight's checks: a whole-bundle model (names,
// imports, the handle entry point, data flow — computed once) and the rule
// families that read it, one family per file, each reporting findings a
// user can act on.
package rules

import "github.com/cdf-preflight/preflight/analysis/pyast"

// Labels is a set of data-flow facts about a value.
type Labels uint32

// Labels.
const (
	LabelSecret          Labels = 1 << iota // a value of handle's secrets argument
	LabelEnvSecret                          // os.environ / os.getenv of a secret-like name
	LabelCredential                         // the caller's token or credentials (client.config.credentials, authorization_header(), client._config)
	LabelCallInput                          // handle's data argument: whoever can call the function controls it
	LabelCDFData                            // data read from CDF through a client
	LabelDownloaded                         // content fetched from the network
	LabelDecoded                            // output of base64/zlib/codecs/hex decoding
	LabelHardcodedSecret                    // a literal the secrets detector recognises
)

// Has reports whether l has any label of m.
func (l Labels) Has(m Labels) bool { return l&m != 0 }

// Origin says where a label came from, for messages: Desc is the source
// expression as written (`secrets["api-key"]`, `data["expr"]`).
type Origin struct {
	Label Labels
	Desc  string
	File  string
	Line  int
}

// ValueKind is what sort of object a value is, as far as known.
type ValueKind uint8

// Value kinds.
const (
	KindUnknown     ValueKind = iota
	KindModule                // an imported module; Qual is its dotted name ("os.path")
	KindFunc                  // an imported or builtin callable; Qual is "requests.post", "eval"
	KindClient                // the caller's CogniteClient (handle's client) or an SDK sub-API of it; Qual is the path below the client ("", "iam.groups")
	KindOtherClient           // a CogniteClient built in the code (another identity); Qual as for KindClient
	KindLogger                // a logging.Logger (logging.getLogger(...), or the logging module's functions)
	KindLocalFunc             // a function defined in the bundle; Qual is "module.func"
	KindInstance              // an instance of an imported class; Qual is the class ("requests.Session")
)

// Value is what the analysis knows about an expression's value.
type Value struct {
	Labels  Labels
	Kind    ValueKind
	HasStr  bool
	Origins []Origin // at most one per label
	Qual    string
	Str     pyast.PartialString // constant string parts, when the value is (partly) a known string
}

// CallSite is one call in the bundle with its callee resolved.
type CallSite struct {
	Module    *Module
	Call      *pyast.Call
	Callee    string           // qualified name: "print", "eval", "requests.post", "logging.info", "subprocess.run", "os.environ.get"; for client calls the SDK path without the client ("assets.delete"); for logger methods "logger.info"; "" when unknown
	Kind      ValueKind        // kind of the callee: KindFunc, KindClient (SDK call on the caller's client), KindOtherClient, KindLogger, KindLocalFunc, KindInstance (method of an instance: Callee "requests.Session.post")
	Args      []Value          // positional arguments (a *args argument appears as one Value)
	Keywords  map[string]Value // keyword arguments; "**" for **kwargs
	Receiver  Value            // for method calls, the object
	Reachable bool             // inside handle or code it can reach, or at module top level (runs at import)
}

// Arg returns the positional argument i or the keyword name, whichever is
// present (Python's calling convention), and whether it was given.
func (c *CallSite) Arg(i int, name string) (Value, bool) {
	if c == nil {
		return Value{}, false
	}
	if i >= 0 && i < len(c.Args) {
		return c.Args[i], true
	}
	if name != "" {
		if v, ok := c.Keywords[name]; ok {
			return v, true
		}
	}
	return Value{}, false
}

// Sink is a value leaving handle by return, or raised in an exception.
type Sink struct {
	Module *Module
	Node   pyast.Node
	Value  Value
}

// AttrRead is a read of an attribute path on a client that is not a call,
// e.g. client.config.credentials (credential access).
type AttrRead struct {
	Module *Module
	Node   pyast.Node
	Path   string // below the client: "config.credentials", "_config"
	Kind   ValueKind
}

// Module is one parsed Python file of the bundle.
type Module struct {
	Path   string // bundle path, "src/helpers.py"
	Name   string // dotted module name relative to the bundle root ("src.helpers")
	AST    *pyast.Module
	Errors pyast.ErrorList

	flat  *preorder // AST flattened for inspect, made on first use
	index int       // position in Program.Modules (0 for a namespace package's stand-in)
}

func (m *Module) idx() int {
	if m == nil {
		return 0
	}
	return m.index
}

// preorder is a tree flattened in pyast.Inspect's order: ends[i] is the
// index just past the subtree of nodes[i].
type preorder struct {
	nodes []pyast.Node
	ends  []int32
	open  []int32 // while flattening: the nodes whose subtree is not closed yet
}

func (p *preorder) Visit(n pyast.Node) pyast.Visitor {
	if _, ok := n.(*pyast.Name); ok {
		return nil // a leaf no family scans: left out (a third of the nodes)
	}
	if n == nil {
		i := p.open[len(p.open)-1]
		p.open = p.open[:len(p.open)-1]
		p.ends[i] = int32(len(p.nodes))
		return nil
	}
	p.open = append(p.open, int32(len(p.nodes)))
	p.nodes = append(p.nodes, n)
	p.ends = append(p.ends, 0)
	return p
}

// inspect is pyast.Inspect(m.AST, f) without the f(nil) calls that close
// a subtree and without *pyast.Name nodes: the families that scan every
// node share one traversal of the tree. It does nothing for a module
// without a tree.
func (m *Module) inspect(f func(pyast.Node) bool) {
	if m == nil || m.AST == nil {
		return
	}
	if m.flat == nil {
		m.flat = &preorder{}
		pyast.Walk(m.flat, m.AST)
		m.flat.open = nil
	}
	nodes, ends := m.flat.nodes, m.flat.ends
	for i := 0; i < len(nodes); {
		if f(nodes[i]) {
			i++
		} else {
			i = int(ends[i])
		}
	}
}

// Import is one import statement's module.
type Import struct {
	Module *Module
	Node   pyast.Node
	Name   string // as written, absolute ("requests", "os.path") or resolved relative
	Local  bool   // resolved to a module of the bundle
}

// Program is the whole-bundle model shared by every family.
type Program struct {
	Modules      []*Module
	Handler      *Module     // the functionPath module; nil if absent
	Handle       pyast.Node  // the last top-level `def handle` or `handle = …`; nil if none
	HandleParams []string    // in order as written
	Calls        []*CallSite // every call, in module then source order
	Returns      []Sink      // values handle returns (directly or through helpers' returns into handle's return)
	Raises       []Sink      // exceptions raised with a labelled value in reachable code
	AttrReads    []AttrRead
	Imports      []Import
	// Truncated is non-empty when the analysis stopped early (the work
	// budget ran out): it says why, and Analyze reports it as
	// analysis-incomplete. What was found before the stop is kept.
	Truncated string
}

// Options configure Build.
type Options struct {
	// IsSecretLiteral reports whether a string constant is a secret (the
	// secrets detector); such constants carry LabelHardcodedSecret.
	IsSecretLiteral func(s string) bool
	// MaxPythonBytes bounds the parse of one file (pyast.Options.MaxSize).
	MaxPythonBytes int
}
