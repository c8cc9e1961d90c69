package pyast

// The node types below mirror CPython's Parser/Python.asdl (3.12, plus the
// 3.13 default_value of type parameters) one to one: one Go struct per ASDL
// constructor, fields in ASDL order with Go names. Conventions:
//
//   - Every node carries its byte range [Start, End) in the UTF-8 source; File
//     turns an offset into CPython's (1-based line, UTF-8 byte column).
//     Module, Arguments, WithItem, MatchCase and Comprehension have no
//     position in CPython; their range is kept for tooling and not dumped.
//   - An optional identifier (ASDL "identifier?") is "" when absent.
//   - An optional child (ASDL "expr?") is nil when absent.
//   - BadExpr and BadStmt stand for source that could not be parsed, so a
//     tree with errors is still whole and walkable.

// Pos is a byte offset into the UTF-8 source of a File.
type Pos int32

// NoPos is the zero-width "no position" value.
const NoPos Pos = -1

// Node is any node of the tree.
type Node interface {
	Pos() Pos // offset of the node's first byte
	End() Pos // offset just past the node's last byte
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement node.
type Stmt interface {
	Node
	stmtNode()
}

// Pattern is a match-statement pattern node.
type Pattern interface {
	Node
	patternNode()
}

// TypeParam is a PEP 695 type parameter node.
type TypeParam interface {
	Node
	typeParamNode()
}

// Range is the byte range of a node; embedded in every node.
type Range struct {
	Start Pos
	Stop  Pos
}

// Pos returns the start offset.
func (r Range) Pos() Pos { return r.Start }

// End returns the end offset (exclusive).
func (r Range) End() Pos { return r.Stop }

// ---------------------------------------------------------------------------
// Module

// Module is a parsed file: mod = Module(stmt* body, type_ignore* type_ignores).
type Module struct {
	Range
	Body []Stmt
	File *File // the source and its line table
}

// ---------------------------------------------------------------------------
// Statements

// FunctionDef is "def" (IsAsync false) or "async def" (IsAsync true); CPython's
// FunctionDef and AsyncFunctionDef.
type FunctionDef struct {
	Range
	IsAsync       bool
	Name          string
	Args          *Arguments
	Body          []Stmt
	DecoratorList []Expr
	Returns       Expr // or nil
	TypeParams    []TypeParam
}

// ClassDef is a class statement.
type ClassDef struct {
	Range
	Name          string
	Bases         []Expr
	Keywords      []*Keyword
	Body          []Stmt
	DecoratorList []Expr
	TypeParams    []TypeParam
}

// Return is "return [value]".
type Return struct {
	Range
	Value Expr // or nil
}

// Delete is "del targets".
type Delete struct {
	Range
	Targets []Expr
}

// Assign is "t1 = t2 = value".
type Assign struct {
	Range
	Targets []Expr
	Value   Expr
}

// TypeAlias is "type Name[params] = value" (3.12).
type TypeAlias struct {
	Range
	Name       Expr // *Name
	TypeParams []TypeParam
	Value      Expr
}

// AugAssign is "target op= value".
type AugAssign struct {
	Range
	Target Expr
	Op     Operator
	Value  Expr
}

// AnnAssign is "target: annotation [= value]"; Simple is true for an
// unparenthesised Name target.
type AnnAssign struct {
	Range
	Target     Expr
	Annotation Expr
	Value      Expr // or nil
	Simple     bool
}

// For is "for" (IsAsync false) or "async for"; CPython's For and AsyncFor.
type For struct {
	Range
	IsAsync bool
	Target  Expr
	Iter    Expr
	Body    []Stmt
	Orelse  []Stmt
}

// While is a while loop.
type While struct {
	Range
	Test   Expr
	Body   []Stmt
	Orelse []Stmt
}

// If is an if statement; elif chains nest in Orelse as CPython does.
type If struct {
	Range
	Test   Expr
	Body   []Stmt
	Orelse []Stmt
}

// With is "with" (IsAsync false) or "async with"; CPython's With and AsyncWith.
type With struct {
	Range
	IsAsync bool
	Items   []*WithItem
	Body    []Stmt
}

// Match is a match statement (3.10).
type Match struct {
	Range
	Subject Expr
	Cases   []*MatchCase
}

// Raise is "raise [exc [from cause]]".
type Raise struct {
	Range
	Exc   Expr // or nil
	Cause Expr // or nil
}

// Try is a try statement; IsStar marks "except*" (CPython's TryStar).
type Try struct {
	Range
	IsStar    bool
	Body      []Stmt
	Handlers  []*ExceptHandler
	Orelse    []Stmt
	Finalbody []Stmt
}

// Assert is "assert test[, msg]".
type Assert struct {
	Range
	Test Expr
	Msg  Expr // or nil
}

// Import is "import a.b as c, d".
type Import struct {
	Range
	Names []*Alias
}

// ImportFrom is "from [.]*module import names"; Module is "" for "from . import x".
type ImportFrom struct {
	Range
	Module string
	Names  []*Alias
	Level  int
}

// Global is "global a, b".
type Global struct {
	Range
	Names []string
}

// Nonlocal is "nonlocal a, b".
type Nonlocal struct {
	Range
	Names []string
}

// ExprStmt is an expression used as a statement (CPython's Expr).
type ExprStmt struct {
	Range
	Value Expr
}

// Pass is "pass".
type Pass struct{ Range }

// Break is "break".
type Break struct{ Range }

// Continue is "continue".
type Continue struct{ Range }

// BadStmt stands for a statement that could not be parsed.
type BadStmt struct{ Range }

// ---------------------------------------------------------------------------
// Expressions

// BoolOp is "a and b and c" or "a or b".
type BoolOp struct {
	Range
	Op     BoolOperator
	Values []Expr
}

// NamedExpr is "target := value".
type NamedExpr struct {
	Range
	Target Expr
	Value  Expr
}

// BinOp is a binary operation.
type BinOp struct {
	Range
	Left  Expr
	Op    Operator
	Right Expr
}

// UnaryOp is a unary operation.
type UnaryOp struct {
	Range
	Op      UnaryOperator
	Operand Expr
}

// Lambda is "lambda args: body".
type Lambda struct {
	Range
	Args *Arguments
	Body Expr
}

// IfExp is "body if test else orelse".
type IfExp struct {
	Range
	Test   Expr
	Body   Expr
	Orelse Expr
}

// Dict is a dict display; a nil key marks "**value".
type Dict struct {
	Range
	Keys   []Expr // entries may be nil
	Values []Expr
}

// Set is a set display.
type Set struct {
	Range
	Elts []Expr
}

// ListComp is a list comprehension.
type ListComp struct {
	Range
	Elt        Expr
	Generators []*Comprehension
}

// SetComp is a set comprehension.
type SetComp struct {
	Range
	Elt        Expr
	Generators []*Comprehension
}

// DictComp is a dict comprehension.
type DictComp struct {
	Range
	Key        Expr
	Value      Expr
	Generators []*Comprehension
}

// GeneratorExp is a generator expression.
type GeneratorExp struct {
	Range
	Elt        Expr
	Generators []*Comprehension
}

// Await is "await value".
type Await struct {
	Range
	Value Expr
}

// Yield is "yield [value]".
type Yield struct {
	Range
	Value Expr // or nil
}

// YieldFrom is "yield from value".
type YieldFrom struct {
	Range
	Value Expr
}

// Compare is a (possibly chained) comparison.
type Compare struct {
	Range
	Left        Expr
	Ops         []CmpOperator
	Comparators []Expr
}

// Call is a call.
type Call struct {
	Range
	Func     Expr
	Args     []Expr
	Keywords []*Keyword
}

// FormattedValue is one replacement field of an f-string. Conversion is -1
// (none) or one of 's', 'r', 'a'.
type FormattedValue struct {
	Range
	Value      Expr
	Conversion int
	FormatSpec Expr // *JoinedStr or nil
}

// JoinedStr is an f-string (after implicit concatenation with neighbours).
type JoinedStr struct {
	Range
	Values []Expr // *Constant and *FormattedValue
}

// Constant is a literal (after implicit concatenation of adjacent strings).
type Constant struct {
	Range
	Value ConstValue
}

// Attribute is "value.attr".
type Attribute struct {
	Range
	Value Expr
	Attr  string
	Ctx   ExprContext
}

// Subscript is "value[slice]".
type Subscript struct {
	Range
	Value Expr
	Slice Expr
	Ctx   ExprContext
}

// Starred is "*value".
type Starred struct {
	Range
	Value Expr
	Ctx   ExprContext
}

// Name is an identifier (NFKC-normalised as CPython does).
type Name struct {
	Range
	ID  string
	Ctx ExprContext
}

// List is a list display or target.
type List struct {
	Range
	Elts []Expr
	Ctx  ExprContext
}

// Tuple is a tuple display or target.
type Tuple struct {
	Range
	Elts []Expr
	Ctx  ExprContext
}

// Slice is "lower:upper:step" inside a subscript.
type Slice struct {
	Range
	Lower Expr // or nil
	Upper Expr // or nil
	Step  Expr // or nil
}

// BadExpr stands for an expression that could not be parsed.
type BadExpr struct{ Range }

// ---------------------------------------------------------------------------
// Constants

// ConstKind says which Python type a constant has.
type ConstKind uint8

// Constant kinds.
const (
	ConstNone ConstKind = iota
	ConstEllipsis
	ConstBool
	ConstInt     // S holds the value in decimal, e.g. "255" for 0xff
	ConstFloat   // F holds the value
	ConstComplex // F holds the imaginary part (Python's j literals have no real part)
	ConstStr     // S holds the decoded value as WTF-8 (lone surrogates allowed)
	ConstBytes   // S holds the decoded bytes
)

// ConstValue is the value of a Constant.
type ConstValue struct {
	Kind ConstKind
	S    string  // ConstInt, ConstStr, ConstBytes
	F    float64 // ConstFloat, ConstComplex
	B    bool    // ConstBool
	// Approx is set when S is not exactly CPython's value: a \N{…} escape
	// could not be resolved in this build.
	Approx bool
}

// ---------------------------------------------------------------------------
// Operators and contexts

// ExprContext is Load, Store or Del.
type ExprContext uint8

// Expression contexts.
const (
	Load ExprContext = iota
	Store
	Del
)

// BoolOperator is And or Or.
type BoolOperator uint8

// Boolean operators.
const (
	And BoolOperator = iota
	Or
)

// Operator is a binary operator.
type Operator uint8

// Binary operators.
const (
	Add Operator = iota
	Sub
	Mult
	MatMult
	Div
	Mod
	Pow
	LShift
	RShift
	BitOr
	BitXor
	BitAnd
	FloorDiv
)

// UnaryOperator is a unary operator.
type UnaryOperator uint8

// Unary operators.
const (
	Invert UnaryOperator = iota
	Not
	UAdd
	USub
)

// CmpOperator is a comparison operator.
type CmpOperator uint8

// Comparison operators.
const (
	Eq CmpOperator = iota
	NotEq
	Lt
	LtE
	Gt
	GtE
	Is
	IsNot
	In
	NotIn
)

var (
	exprContextNames = [...]string{Load: "Load", Store: "Store", Del: "Del"}
	boolOpNames      = [...]string{And: "And", Or: "Or"}
	operatorNames    = [...]string{Add: "Add", Sub: "Sub", Mult: "Mult", MatMult: "MatMult", Div: "Div",
		Mod: "Mod", Pow: "Pow", LShift: "LShift", RShift: "RShift", BitOr: "BitOr", BitXor: "BitXor",
		BitAnd: "BitAnd", FloorDiv: "FloorDiv"}
	unaryOpNames = [...]string{Invert: "Invert", Not: "Not", UAdd: "UAdd", USub: "USub"}
	cmpOpNames   = [...]string{Eq: "Eq", NotEq: "NotEq", Lt: "Lt", LtE: "LtE", Gt: "Gt", GtE: "GtE",
		Is: "Is", IsNot: "IsNot", In: "In", NotIn: "NotIn"}
)

func (c ExprContext) String() string   { return exprContextNames[c] }
func (o BoolOperator) String() string  { return boolOpNames[o] }
func (o Operator) String() string      { return operatorNames[o] }
func (o UnaryOperator) String() string { return unaryOpNames[o] }
func (o CmpOperator) String() string   { return cmpOpNames[o] }

// ---------------------------------------------------------------------------
// Helper nodes

// Comprehension is one "[async] for target in iter [if …]*" clause.
type Comprehension struct {
	Range
	Target  Expr
	Iter    Expr
	Ifs     []Expr
	IsAsync bool
}

// ExceptHandler is one except (or except*) clause.
type ExceptHandler struct {
	Range
	Type Expr   // or nil
	Name string // "" when absent
	Body []Stmt
}

// Arguments is a parameter list.
type Arguments struct {
	Range
	PosOnlyArgs []*Arg
	Args        []*Arg
	Vararg      *Arg // or nil
	KwOnlyArgs  []*Arg
	KwDefaults  []Expr // one per KwOnlyArgs entry; nil where there is no default
	Kwarg       *Arg   // or nil
	Defaults    []Expr // for the last len(Defaults) of PosOnlyArgs+Args
}

// Arg is one parameter.
type Arg struct {
	Range
	Arg        string
	Annotation Expr // or nil
}

// Keyword is a keyword argument "arg=value", or "**value" when Arg is "".
type Keyword struct {
	Range
	Arg   string
	Value Expr
}

// Alias is "name [as asname]" in an import.
type Alias struct {
	Range
	Name   string
	Asname string // "" when absent
}

// WithItem is "context_expr [as optional_vars]".
type WithItem struct {
	Range
	ContextExpr  Expr
	OptionalVars Expr // or nil
}

// MatchCase is "case pattern [if guard]: body".
type MatchCase struct {
	Range
	Pattern Pattern
	Guard   Expr // or nil
	Body    []Stmt
}

// ---------------------------------------------------------------------------
// Patterns

// MatchValue is a value pattern (literal or dotted name).
type MatchValue struct {
	Range
	Value Expr
}

// MatchSingleton is None, True or False; Value is ConstNone or ConstBool.
type MatchSingleton struct {
	Range
	Value ConstValue
}

// MatchSequence is "[p, …]" or "(p, …)".
type MatchSequence struct {
	Range
	Patterns []Pattern
}

// MatchMapping is "{k: p, …, **rest}".
type MatchMapping struct {
	Range
	Keys     []Expr
	Patterns []Pattern
	Rest     string // "" when absent
}

// MatchClass is "Cls(p, …, k=p, …)".
type MatchClass struct {
	Range
	Cls         Expr
	Patterns    []Pattern
	KwdAttrs    []string
	KwdPatterns []Pattern
}

// MatchStar is "*name" in a sequence pattern; Name is "" for "*_".
type MatchStar struct {
	Range
	Name string
}

// MatchAs is "pattern as name", a capture "name" (Pattern nil) or the
// wildcard "_" (both empty).
type MatchAs struct {
	Range
	Pattern Pattern // or nil
	Name    string  // "" when absent
}

// MatchOr is "p | q | …".
type MatchOr struct {
	Range
	Patterns []Pattern
}

// ---------------------------------------------------------------------------
// Type parameters (3.12; DefaultValue is 3.13)

// TypeVar is "T" or "T: bound".
type TypeVar struct {
	Range
	Name         string
	Bound        Expr // or nil
	DefaultValue Expr // or nil (3.13)
}

// ParamSpec is "**P".
type ParamSpec struct {
	Range
	Name         string
	DefaultValue Expr // or nil (3.13)
}

// TypeVarTuple is "*Ts".
type TypeVarTuple struct {
	Range
	Name         string
	DefaultValue Expr // or nil (3.13)
}

// ---------------------------------------------------------------------------
// Marker methods

func (*FunctionDef) stmtNode() {}
func (*ClassDef) stmtNode()    {}
func (*Return) stmtNode()      {}
func (*Delete) stmtNode()      {}
func (*Assign) stmtNode()      {}
func (*TypeAlias) stmtNode()   {}
func (*AugAssign) stmtNode()   {}
func (*AnnAssign) stmtNode()   {}
func (*For) stmtNode()         {}
func (*While) stmtNode()       {}
func (*If) stmtNode()          {}
func (*With) stmtNode()        {}
func (*Match) stmtNode()       {}
func (*Raise) stmtNode()       {}
func (*Try) stmtNode()         {}
func (*Assert) stmtNode()      {}
func (*Import) stmtNode()      {}
func (*ImportFrom) stmtNode()  {}
func (*Global) stmtNode()      {}
func (*Nonlocal) stmtNode()    {}
func (*ExprStmt) stmtNode()    {}
func (*Pass) stmtNode()        {}
func (*Break) stmtNode()       {}
func (*Continue) stmtNode()    {}
func (*BadStmt) stmtNode()     {}

func (*BoolOp) exprNode()         {}
func (*NamedExpr) exprNode()      {}
func (*BinOp) exprNode()          {}
func (*UnaryOp) exprNode()        {}
func (*Lambda) exprNode()         {}
func (*IfExp) exprNode()          {}
func (*Dict) exprNode()           {}
func (*Set) exprNode()            {}
func (*ListComp) exprNode()       {}
func (*SetComp) exprNode()        {}
func (*DictComp) exprNode()       {}
func (*GeneratorExp) exprNode()   {}
func (*Await) exprNode()          {}
func (*Yield) exprNode()          {}
func (*YieldFrom) exprNode()      {}
func (*Compare) exprNode()        {}
func (*Call) exprNode()           {}
func (*FormattedValue) exprNode() {}
func (*JoinedStr) exprNode()      {}
func (*Constant) exprNode()       {}
func (*Attribute) exprNode()      {}
func (*Subscript) exprNode()      {}
func (*Starred) exprNode()        {}
func (*Name) exprNode()           {}
func (*List) exprNode()           {}
func (*Tuple) exprNode()          {}
func (*Slice) exprNode()          {}
func (*BadExpr) exprNode()        {}

func (*MatchValue) patternNode()     {}
func (*MatchSingleton) patternNode() {}
func (*MatchSequence) patternNode()  {}
func (*MatchMapping) patternNode()   {}
func (*MatchClass) patternNode()     {}
func (*MatchStar) patternNode()      {}
func (*MatchAs) patternNode()        {}
func (*MatchOr) patternNode()        {}

func (*TypeVar) typeParamNode()      {}
func (*ParamSpec) typeParamNode()    {}
func (*TypeVarTuple) typeParamNode() {}
