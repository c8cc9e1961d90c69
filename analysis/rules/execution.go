package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// Execution reports code that runs other code — eval/exec, shells,
// deserialisers that execute, dynamic imports, native libraries — and code
// hidden by encoding.
var Execution = &Family{
	Name: "execution",
	Doc: "Code that runs other code (eval, exec, shell commands, pickle and unsafe YAML loads, dynamic " +
		"imports) can do anything the caller's permissions allow; when call input or downloaded content " +
		"reaches it, anyone who can call the function can run arbitrary code as the caller.",
	Run: runExecution,
}

// Rule ids of the execution family.
const (
	ruleExecEval        = "PF-EXEC-001"
	ruleExecShell       = "PF-EXEC-002"
	ruleExecDeserialize = "PF-EXEC-003"
	ruleExecImport      = "PF-EXEC-004"
	ruleExecNative      = "PF-EXEC-005"
	ruleExecBuiltins    = "PF-EXEC-006"
	ruleObfDecodedExec  = "PF-OBF-001"
	ruleObfBlob         = "PF-OBF-002"
	ruleObfChr          = "PF-OBF-003"
	ruleObfCompile      = "PF-OBF-004"
	ruleObfChain        = "PF-OBF-005"
	ruleObfSplitName    = "PF-OBF-006"
	ruleObfIndirect     = "PF-OBF-007"
)

// execKind is a class of code-running calls.
type execKind uint8

const (
	execNone execKind = iota
	execEval
	execShell
	execProcess // runs a program without a shell
	execDeserialize
	execImport
	execNative
)

// evalFuncs run Python source or code objects.
var evalFuncs = map[string]bool{
	"eval": true, "exec": true, "compile": true, "execfile": true, "runpy.run_path": true,
	"runpy.run_module": true, "code.interact": true, "code.InteractiveInterpreter.runsource": true,
	"code.InteractiveConsole.push": true, "types.FunctionType": true, "types.CodeType": true,
}

// shellFuncs run a command line through a shell.
var shellFuncs = map[string]bool{
	"os.system": true, "os.popen": true, "os.popen2": true, "os.popen3": true, "os.popen4": true,
	"subprocess.getoutput": true, "subprocess.getstatusoutput": true, "commands.getoutput": true,
	"commands.getstatusoutput": true, "asyncio.create_subprocess_shell": true, "pty.spawn": true,
	"platform.popen": true,
}

// processFuncs start a program (a shell only with shell=True).
var processFuncs = map[string]bool{
	"subprocess.run": true, "subprocess.call": true, "subprocess.check_call": true,
	"subprocess.check_output": true, "subprocess.Popen": true, "asyncio.create_subprocess_exec": true,
	"os.startfile": true, "os.posix_spawn": true, "os.posix_spawnp": true,
}

// deserializers run code found in their input.
var deserializers = map[string]bool{
	"pickle.load": true, "pickle.loads": true, "pickle.Unpickler": true, "cPickle.load": true,
	"cPickle.loads": true, "_pickle.load": true, "_pickle.loads": true, "dill.load": true,
	"dill.loads": true, "shelve.open": true, "jsonpickle.decode": true, "jsonpickle.loads": true,
	"pandas.read_pickle": true, "marshal.load": true, "marshal.loads": true, "joblib.load": true,
	"yaml.unsafe_load": true, "yaml.unsafe_load_all": true, "yaml.full_load": true,
	"yaml.full_load_all": true, "cloudpickle.load": true, "cloudpickle.loads": true,
	"torch.load": true, "numpy.load": true, "yaml.load": true, "yaml.load_all": true,
	"ruamel.yaml.load": true,
}

// nativeLoaders load native code into the process.
var nativeLoaders = map[string]bool{
	"ctypes.CDLL": true, "ctypes.PyDLL": true, "ctypes.WinDLL": true, "ctypes.OleDLL": true,
	"ctypes.cdll.LoadLibrary": true, "ctypes.windll.LoadLibrary": true, "ctypes.pydll.LoadLibrary": true,
	"ctypes.LibraryLoader": true, "cffi.FFI.dlopen": true, "_ctypes.dlopen": true,
}

// classifyExec says what kind of code-running call a callee is.
func classifyExec(q string) execKind {
	q = strings.TrimPrefix(q, "builtins.")
	switch {
	case evalFuncs[q]:
		return execEval
	case shellFuncs[q] || strings.HasPrefix(q, "os.exec") || strings.HasPrefix(q, "os.spawn"):
		return execShell
	case processFuncs[q]:
		return execProcess
	case deserializers[q]:
		return execDeserialize
	case q == "__import__" || q == "importlib.import_module" || q == "importlib.__import__":
		return execImport
	case nativeLoaders[q] || strings.HasSuffix(q, ".LoadLibrary") && strings.HasPrefix(q, "ctypes"):
		return execNative
	}
	return execNone
}

// dangerousInput are the labels that make code execution critical: whoever
// calls the function, or controls a server, or hid the payload, chooses
// the code.
const dangerousInput = LabelCallInput | LabelDownloaded | LabelDecoded

func runExecution(pass *Pass) {
	sites := make(map[*pyast.Call]*CallSite, len(pass.Program.Calls))
	for _, cs := range pass.Program.Calls {
		if cs != nil && cs.Call != nil {
			sites[cs.Call] = cs
		}
	}
	for _, cs := range pass.Program.Calls {
		if cs == nil || cs.Call == nil {
			continue
		}
		if inner, ok := cs.Call.Func.(*pyast.Call); ok {
			operatorCall(pass, cs, sites[inner])
		}
		callee := strings.TrimPrefix(cs.Callee, "builtins.")
		if cs.Kind == KindFunc || cs.Kind == KindInstance {
			execCall(pass, cs, callee, classifyExec(callee), cs.Args, cs.Keywords)
		}
		// map(eval, data["exprs"]), executor.submit(os.system, cmd): a
		// code-running function handed to another call runs on its arguments
		for i, a := range cs.Args {
			if a.Kind != KindFunc {
				continue
			}
			q := strings.TrimPrefix(a.Qual, "builtins.")
			if k := classifyExec(q); k != execNone {
				rest := append(append([]Value{}, cs.Args[:i]...), cs.Args[i+1:]...)
				execCall(pass, cs, q, k, rest, nil)
			}
		}
		for _, kw := range []string{"target", "func", "fn", "function", "callback"} {
			if a, ok := cs.Keywords[kw]; ok && a.Kind == KindFunc {
				q := strings.TrimPrefix(a.Qual, "builtins.")
				if k := classifyExec(q); k != execNone {
					var rest []Value
					rest = append(rest, cs.Args...)
					for _, name := range sortedKeywords(cs.Keywords) {
						if name != kw {
							rest = append(rest, cs.Keywords[name])
						}
					}
					execCall(pass, cs, q, k, rest, nil)
				}
			}
		}
		obfuscationCall(pass, cs, callee)
		if callee == "getattr" {
			builtinsGetattr(pass, cs)
			indirectGetattr(pass, cs)
		}
		if _, ok := cs.Call.Func.(*pyast.Subscript); ok && classifyExec(callee) != execNone &&
			(cs.Kind == KindFunc || cs.Kind == KindInstance) {
			reportIndirect(pass, cs, callee, "looked up in a module's __dict__")
		}
		splitName(pass, cs, callee)
	}
	for _, m := range pass.Program.Modules {
		obfuscationScan(pass, m)
	}
}

// execCall reports one code-running call.
func execCall(pass *Pass, cs *CallSite, q string, k execKind, args []Value, kws map[string]Value) {
	if k == execNone {
		return
	}
	var in Value
	for _, a := range args {
		in = mergeValue(in, a)
	}
	for _, name := range sortedKeywords(kws) {
		v := kws[name]
		if name == "shell" || name == "weights_only" || name == "Loader" || name == "allow_pickle" {
			continue
		}
		in = mergeValue(in, v)
	}
	constant := allConstant(cs.Call)
	f := report.Finding{Confidence: report.ConfidenceHigh}
	name := q + "()"
	var base report.Severity
	var what, fix string
	switch k {
	case execEval:
		f.RuleID, f.Title = ruleExecEval, "Runs Python code with "+name
		base = report.Medium
		what = "runs Python code"
		fix = "Do not eval or exec strings; parse the data you expect (json.loads, ast.literal_eval for literals) " +
			"or map allowed names to functions in a dictionary."
	case execShell, execProcess:
		f.RuleID, f.Title = ruleExecShell, "Runs a shell command or program with "+name
		sh := keywordConst(cs.Call, "shell")
		shell := k == execShell || sh == "True" || sh == "?"
		base = report.Medium
		if constant && !shell {
			base = report.Low
		}
		if shell && !constant {
			base = report.High
		}
		what = "runs a program on the function's machine"
		if shell {
			what = "runs a shell command"
		}
		fix = "Avoid running programs from a function. If you must, pass a fixed list of arguments " +
			"(no shell=True) and never build the command from call input or downloaded data."
	case execDeserialize:
		if safeDeserialize(cs, q) {
			return
		}
		f.RuleID, f.Title = ruleExecDeserialize, "Loads data that can run code with "+name
		base = report.Medium
		what = "can run code hidden in the data it loads"
		fix = "Load only formats that cannot carry code: json, yaml.safe_load, torch.load(weights_only=True), " +
			"numpy.load without allow_pickle. Never unpickle data from callers, CDF or the network."
	case execImport:
		if constant {
			return
		}
		f.RuleID, f.Title = ruleExecImport, "Imports a module chosen at run time"
		base = report.Medium
		what = "imports and runs a module whose name is computed"
		fix = "Import modules by their fixed name at the top of the file; map allowed names to modules explicitly."
	case execNative:
		f.RuleID, f.Title = ruleExecNative, "Loads a native library with "+name
		base = report.Medium
		what = "loads native code that Python cannot check"
		fix = "Use Python packages from requirements.txt instead of loading native libraries directly."
	}
	f.Category = report.CodeExecution
	f.Severity = base
	f.Remediation = fix
	switch {
	case in.Labels.Has(dangerousInput):
		f.Severity = report.Critical
		desc, who := dangerSource(in)
		f.Message = fmt.Sprintf("%s reaches %s — %s, so %s can run arbitrary code as the caller", desc, name, what, who)
	case in.Labels.Has(LabelCDFData):
		f.Severity = report.High
		desc := originDesc(in, LabelCDFData, "data read from CDF")
		f.Message = fmt.Sprintf("%s reaches %s — %s, so anyone who can write that CDF data can run code as the caller", desc, name, what)
	default:
		f.Message = fmt.Sprintf("%s %s with the caller's permissions", name, what)
		if k == execShell || k == execProcess {
			if constant {
				f.Message += " (a fixed command)"
			}
		}
	}
	if !cs.Reachable && f.Severity > report.Medium {
		f.Severity, f.Confidence = report.Medium, report.ConfidenceMedium
		f.Message += " (in code handle() does not seem to reach)"
	}
	pass.ReportNode(cs.Module, cs.Call, f)
	if k == execEval && in.Labels.Has(LabelDecoded) {
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: ruleObfDecodedExec, Category: report.Obfuscation, Severity: report.Critical,
			Confidence: report.ConfidenceHigh, Title: "Runs hidden (encoded) code",
			Message: fmt.Sprintf("%s is decoded and passed to %s — the code that runs is hidden from review",
				originDesc(in, LabelDecoded, "decoded data"), name),
			Remediation: "Do not run a function whose code decodes and executes hidden payloads; ask its author for the plain source.",
		})
	}
}

// safeDeserialize reports the safe forms of loaders that are unsafe by
// default: yaml.load with a safe Loader, torch.load(weights_only=True),
// numpy.load without allow_pickle=True.
func safeDeserialize(cs *CallSite, q string) bool {
	switch q {
	case "yaml.load", "yaml.load_all":
		loader := keywordSource(cs, "Loader")
		if loader == "" && len(cs.Call.Args) > 1 {
			loader = pyast.SourceSegment(cs.Module.AST.File, cs.Call.Args[1])
		}
		return strings.Contains(loader, "SafeLoader") || strings.Contains(loader, "BaseLoader") ||
			strings.Contains(loader, "CSafeLoader")
	case "torch.load":
		return keywordConst(cs.Call, "weights_only") == "True"
	case "numpy.load":
		return keywordConst(cs.Call, "allow_pickle") != "True"
	}
	return false
}

// keywordConst returns the source of a keyword argument's constant value
// ("True"), "" when absent or not a constant.
func keywordConst(c *pyast.Call, name string) string {
	for _, k := range c.Keywords {
		if k.Arg == name {
			if cv, ok := k.Value.(*pyast.Constant); ok {
				switch cv.Value.Kind {
				case pyast.ConstBool:
					if cv.Value.B {
						return "True"
					}
					return "False"
				case pyast.ConstNone:
					return "None"
				}
				return cv.Value.S
			}
			return "?"
		}
	}
	return ""
}

func keywordSource(cs *CallSite, name string) string {
	for _, k := range cs.Call.Keywords {
		if k.Arg == name {
			return pyast.SourceSegment(cs.Module.AST.File, k.Value)
		}
	}
	return ""
}

// allConstant reports whether every argument of a call is a constant (or
// a list/tuple of constants).
func allConstant(c *pyast.Call) bool {
	var isConst func(e pyast.Expr, depth int) bool
	isConst = func(e pyast.Expr, depth int) bool {
		if depth > 8 {
			return false
		}
		switch e := e.(type) {
		case *pyast.Constant:
			return true
		case *pyast.List:
			for _, x := range e.Elts {
				if !isConst(x, depth+1) {
					return false
				}
			}
			return true
		case *pyast.Tuple:
			for _, x := range e.Elts {
				if !isConst(x, depth+1) {
					return false
				}
			}
			return true
		}
		_, ok := pyast.ConstString(e)
		return ok
	}
	for _, a := range c.Args {
		if !isConst(a, 0) {
			return false
		}
	}
	return len(c.Args) > 0
}

// sortedKeywords returns a call's keyword names in order, so messages do not
// depend on map order.
func sortedKeywords(m map[string]Value) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mergeValue(a, b Value) Value {
	for _, o := range b.Origins {
		if !a.Labels.Has(o.Label) {
			a.Origins = append(a.Origins, o)
			a.Labels |= o.Label
		}
	}
	a.Labels |= b.Labels
	return a
}

// originDesc returns how the source of label l is written, or def.
func originDesc(v Value, l Labels, def string) string {
	for _, o := range v.Origins {
		if o.Label == l && o.Desc != "" {
			return o.Desc
		}
	}
	return def
}

// dangerSource names the most dangerous input of a value and who controls it.
func dangerSource(v Value) (desc, who string) {
	switch {
	case v.Labels.Has(LabelCallInput):
		return originDesc(v, LabelCallInput, "the call input"), "anyone who can call this function"
	case v.Labels.Has(LabelDownloaded):
		return originDesc(v, LabelDownloaded, "downloaded content"), "whoever controls that server"
	}
	return originDesc(v, LabelDecoded, "decoded data"), "whoever wrote the hidden payload"
}

// ---------------------------------------------------------------------------
// Obfuscation

// obfuscationCall reports exec(compile(…)) and chains of decoders
// (zlib.decompress(base64.b64decode(…))).
func obfuscationCall(pass *Pass, cs *CallSite, callee string) {
	switch {
	case (callee == "exec" || callee == "eval") && len(cs.Call.Args) > 0:
		if inner, ok := cs.Call.Args[0].(*pyast.Call); ok {
			if n, ok := inner.Func.(*pyast.Name); ok && n.ID == "compile" {
				pass.ReportNode(cs.Module, cs.Call, report.Finding{
					RuleID: ruleObfCompile, Category: report.Obfuscation, Severity: report.Medium,
					Confidence: report.ConfidenceMedium, Title: "Compiles and runs code in one step",
					Message:     callee + "(compile(…)) builds and runs a code object at run time — a common way to hide what runs",
					Remediation: "Ask the author for plain code; functions rarely need to compile code at run time.",
				})
			}
		}
	case isDecoder(callee):
		for _, a := range cs.Args {
			if a.Labels.Has(LabelDecoded) {
				pass.ReportNode(cs.Module, cs.Call, report.Finding{
					RuleID: ruleObfChain, Category: report.Obfuscation, Severity: report.Medium,
					Confidence: report.ConfidenceMedium, Title: "Decodes data in layers",
					Message: fmt.Sprintf("%s() decodes the output of %s — layered encoding is a common way to hide a payload",
						callee, originDesc(a, LabelDecoded, "another decoder")),
					Remediation: "Find out what the decoded data is; ask the author why it is encoded twice.",
				})
				break
			}
		}
	}
}

// minBlob is the length from which a base64 or hex literal is suspicious.
const minBlob = 200

// obfuscationScan reports long encoded blobs and strings built from chr().
func obfuscationScan(pass *Pass, m *Module) {
	if m == nil || m.AST == nil {
		return
	}
	m.inspect(func(n pyast.Node) bool {
		switch n := n.(type) {
		case *pyast.Constant:
			if (n.Value.Kind == pyast.ConstStr || n.Value.Kind == pyast.ConstBytes) && len(n.Value.S) > minBlob {
				if kind := blobKind(n.Value.S); kind != "" {
					pass.ReportNode(m, n, report.Finding{
						RuleID: ruleObfBlob, Category: report.Obfuscation, Severity: report.Medium,
						Confidence: report.ConfidenceMedium, Title: "Long encoded blob in the code",
						Message: fmt.Sprintf("a %d-character %s string is embedded in the code — encoded payloads hide what the code does",
							len(n.Value.S), kind),
						Remediation: "Find out what the blob decodes to; code should not carry encoded data it runs or writes.",
					})
				}
			}
		case *pyast.BinOp:
			if c := countChr(n, 0); c >= 3 {
				pass.ReportNode(m, n, report.Finding{
					RuleID: ruleObfChr, Category: report.Obfuscation, Severity: report.Medium,
					Confidence: report.ConfidenceMedium, Title: "String built from character codes",
					Message:     fmt.Sprintf("a string is assembled from %d chr() calls — a way to hide names like eval or os.system from review", c),
					Remediation: "Ask the author for the plain string; nothing legitimate needs to spell text with chr().",
				})
				return false
			}
		case *pyast.Call:
			if chrJoin(n) {
				pass.ReportNode(m, n, report.Finding{
					RuleID: ruleObfChr, Category: report.Obfuscation, Severity: report.Medium,
					Confidence: report.ConfidenceMedium, Title: "String built from character codes",
					Message:     "a string is joined from chr() of numbers — a way to hide names like eval or os.system from review",
					Remediation: "Ask the author for the plain string; nothing legitimate needs to spell text with chr().",
				})
				return false
			}
		}
		return true
	})
}

// blobKind says whether s looks like base64 or hex data ("" if neither).
func blobKind(s string) string {
	hex, b64 := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		isHex := c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
		isB64 := isHex || c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z' || c == '+' || c == '/' || c == '=' ||
			c == '-' || c == '_' || c == '\n'
		if !isHex {
			hex = false
		}
		if !isB64 {
			b64 = false
			break
		}
	}
	// An encoded payload looks random; a long run of one or two characters
	// (padding, a ruler, a zero key in a test) carries too little entropy
	// to hide anything. Random hex has 4 bits a character, base64 6.
	switch {
	case hex && secrets.Entropy(s) >= minHexEntropy:
		return "hex"
	case b64 && hasMixedCase(s) && secrets.Entropy(s) >= minBase64Entropy:
		return "base64"
	}
	return ""
}

// The least entropy (bits a character) of a blob worth reporting.
const (
	minHexEntropy    = 3.0
	minBase64Entropy = 4.0
)

func hasMixedCase(s string) bool {
	lower, upper, digit := false, false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		}
	}
	return lower && upper && digit
}

// countChr counts chr(…) calls in a chain of + operations.
func countChr(e pyast.Expr, depth int) int {
	if depth > 3000 {
		return 0
	}
	switch e := e.(type) {
	case *pyast.BinOp:
		if e.Op != pyast.Add {
			return 0
		}
		return countChr(e.Left, depth+1) + countChr(e.Right, depth+1)
	case *pyast.Call:
		if isChrCall(e) {
			return 1
		}
	}
	return 0
}

func isChrCall(c *pyast.Call) bool {
	n, ok := c.Func.(*pyast.Name)
	return ok && n.ID == "chr"
}

// chrJoin matches "".join(chr(x) for x in …) and "".join(map(chr, …)).
func chrJoin(c *pyast.Call) bool {
	a, ok := c.Func.(*pyast.Attribute)
	if !ok || a.Attr != "join" || len(c.Args) != 1 {
		return false
	}
	switch arg := c.Args[0].(type) {
	case *pyast.GeneratorExp:
		if call, ok := arg.Elt.(*pyast.Call); ok && isChrCall(call) {
			return true
		}
	case *pyast.ListComp:
		if call, ok := arg.Elt.(*pyast.Call); ok && isChrCall(call) {
			return true
		}
	case *pyast.Call:
		if n, ok := arg.Func.(*pyast.Name); ok && n.ID == "map" && len(arg.Args) > 0 {
			if f, ok := arg.Args[0].(*pyast.Name); ok && f.ID == "chr" {
				return true
			}
		}
	}
	return false
}

// builtinsGetattr reports getattr(builtins, <computed name>): a way to call
// eval or exec without writing their names.
func builtinsGetattr(pass *Pass, cs *CallSite) {
	if len(cs.Args) < 2 {
		return
	}
	obj, name := cs.Args[0], cs.Args[1]
	if !(obj.Kind == KindModule || obj.Kind == KindFunc) || !builtinModules[obj.Qual] {
		return
	}
	if name.HasStr && name.Str.Exact() {
		return // a constant name resolves like obj.attr (eval, exec are then reported where called)
	}
	f := report.Finding{
		RuleID: ruleExecBuiltins, Category: report.CodeExecution, Severity: report.High,
		Confidence: report.ConfidenceMedium, Title: "Looks up a builtin by a computed name",
		Message: "getattr(builtins, …) with a name built at run time can reach eval, exec or __import__ " +
			"without naming them — a common way to hide code execution",
		Remediation: "Call the functions you need by name; ask the author why a builtin is looked up dynamically.",
	}
	if name.Labels.Has(dangerousInput) {
		desc, who := dangerSource(name)
		f.Severity = report.Critical
		f.Message = fmt.Sprintf("%s chooses which builtin getattr(builtins, …) returns, so %s can call eval or exec as the caller", desc, who)
	}
	pass.ReportNode(cs.Module, cs.Call, f)
}

// hiddenNames are names code hides when it wants to run something
// unreviewed.
var hiddenNames = map[string]bool{
	"eval": true, "exec": true, "compile": true, "__import__": true, "execfile": true, "system": true,
	"popen": true, "os": true, "subprocess": true, "builtins": true, "__builtins__": true, "pickle": true,
	"marshal": true, "ctypes": true, "socket": true, "pty": true, "importlib": true, "getattr": true,
	"Popen": true, "check_output": true, "run": true, "call": true, "spawn": true, "loads": true,
}

// splitName reports a dangerous name assembled from pieces where a
// literal would do: __import__("o" + "s"), getattr(builtins, "ex" + "ec").
func splitName(pass *Pass, cs *CallSite, callee string) {
	idx := -1
	switch callee {
	case "getattr":
		idx = 1
	case "__import__", "importlib.import_module", "importlib.__import__":
		idx = 0
	}
	if idx < 0 || idx >= len(cs.Call.Args) || idx >= len(cs.Args) {
		return
	}
	v := cs.Args[idx]
	if _, literal := cs.Call.Args[idx].(*pyast.Constant); literal || !v.HasStr || !v.Str.Exact() {
		return
	}
	name := v.Str.Parts[0]
	if !hiddenNames[name] {
		return
	}
	pass.ReportNode(cs.Module, cs.Call, report.Finding{
		RuleID: ruleObfSplitName, Category: report.Obfuscation, Severity: report.High,
		Confidence: report.ConfidenceHigh, Title: "Hides a dangerous name",
		Message: fmt.Sprintf("%s() gets %s spelled in pieces — there is no reason to build this name "+
			"except to hide it from review", callee, pyQuote(name)),
		Remediation: "Do not run this function; ask its author why the name is hidden.",
	})
}

// operatorCall reports operator.methodcaller("eval", src)(builtins) and
// operator.attrgetter("system")(os): the function called is named by a
// string and bound to its object only when the call runs.
func operatorCall(pass *Pass, cs, inner *CallSite) {
	if inner == nil || len(cs.Args) == 0 || len(inner.Args) == 0 {
		return
	}
	name := inner.Args[0]
	if !name.HasStr || !name.Str.Exact() {
		return
	}
	obj := cs.Args[0]
	if obj.Kind != KindModule && obj.Kind != KindFunc {
		return
	}
	q := obj.Qual + "." + name.Str.Parts[0]
	if builtinModules[obj.Qual] {
		q = name.Str.Parts[0]
	}
	k := classifyExec(q)
	if k == execNone {
		return
	}
	switch inner.Callee {
	case "operator.methodcaller":
		// methodcaller(name, *args, **kwargs)(obj) is obj.name(*args, **kwargs)
		execCall(pass, cs, q, k, inner.Args[1:], inner.Keywords)
		reportIndirect(pass, cs, q, "called through operator.methodcaller")
	case "operator.attrgetter":
		reportIndirect(pass, cs, q, "fetched through operator.attrgetter")
	}
}

// indirectGetattr reports getattr(module, "name") that yields a
// code-running function: getattr(__import__("subprocess"), "run") is
// subprocess.run written so that neither an import nor the name appears
// where reviewers and scanners look.
func indirectGetattr(pass *Pass, cs *CallSite) {
	if len(cs.Args) < 2 || len(cs.Call.Args) < 2 {
		return
	}
	obj, name := cs.Args[0], cs.Args[1]
	if !name.HasStr || !name.Str.Exact() || (obj.Kind != KindModule && obj.Kind != KindFunc) || obj.Qual == "" {
		return
	}
	if _, literal := cs.Call.Args[1].(*pyast.Constant); !literal {
		return // a name in pieces is PF-OBF-006
	}
	q := obj.Qual + "." + name.Str.Parts[0]
	if builtinModules[obj.Qual] {
		q = name.Str.Parts[0]
	}
	if classifyExec(q) == execNone {
		return
	}
	reportIndirect(pass, cs, q, "fetched with getattr()")
}

// reportIndirect reports a code-running function reached without writing
// its name as code.
func reportIndirect(pass *Pass, cs *CallSite, q, how string) {
	pass.ReportNode(cs.Module, cs.Call, report.Finding{
		RuleID: ruleObfIndirect, Category: report.Obfuscation, Severity: report.High,
		Confidence: report.ConfidenceHigh, Title: "Reaches a code-running function indirectly",
		Message: fmt.Sprintf("%s() is %s instead of being called by name — there is no reason to write it "+
			"so except to hide it from review", q, how),
		Remediation: "Do not run this function; ask its author why the call is hidden.",
	})
}
