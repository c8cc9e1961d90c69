package rules

import (
	"strings"

	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// This file holds name resolution: bundle module names, import targets, and
// what the analysis knows about names outside the bundle (which calls
// download, decode, sanitise, build clients or loggers).

// resolveImport returns the bundle module an import of name (absolute, as
// written or already made absolute) from module from refers to, or nil.
// Cognite's runtime puts the bundle root on sys.path, so "helpers" is the
// root's helpers.py; like Python 2's implicit relative imports (and common
// in bundles whose handler lives in a folder), a sibling of the importing
// module is tried next.
func (b *builder) resolveImport(name string, from *Module) *Module {
	if name == "" {
		return nil
	}
	if m := b.byName[name]; m != nil {
		return m
	}
	if from != nil {
		if pkg := packageOf(from); pkg != "" {
			if m := b.byName[pkg+"."+name]; m != nil {
				return m
			}
		}
	}
	if h := b.prog.Handler; h != nil && h != from {
		if pkg := packageOf(h); pkg != "" {
			if m := b.byName[pkg+"."+name]; m != nil {
				return m
			}
		}
	}
	return nil
}

// isPackage reports whether name is a package of the bundle: a folder with
// an __init__.py, or a namespace package (a folder holding modules).
func (b *builder) isPackage(name string) bool {
	_, ok := b.packages[name]
	return ok
}

// packageOf returns the package a module's relative imports start from:
// the module itself for an __init__.py, else its parent.
func packageOf(m *Module) string {
	if strings.HasSuffix(m.Path, "__init__.py") {
		return m.Name
	}
	if i := strings.LastIndexByte(m.Name, '.'); i >= 0 {
		return m.Name[:i]
	}
	return ""
}

// relativeBase makes a relative import's module absolute: level dots from
// module m ("from ..util import x" in a.b.c gives "a.util"). ok is false
// when the dots climb above the bundle root.
func relativeBase(m *Module, level int, module string) (string, bool) {
	if level == 0 {
		return module, true
	}
	pkg := packageOf(m)
	for i := 1; i < level; i++ {
		if pkg == "" {
			return "", false
		}
		if j := strings.LastIndexByte(pkg, '.'); j >= 0 {
			pkg = pkg[:j]
		} else {
			pkg = ""
		}
	}
	switch {
	case pkg == "":
		// a module at the bundle root: Cognite's runtime imports the bundle
		// as a package, so "from . import x" names the root's x
		return module, true
	case module == "":
		return pkg, true
	}
	return pkg + "." + module, true
}

// ---------------------------------------------------------------------------
// Knowledge of names outside the bundle

// builtinModules are the module names that stand for the builtins.
var builtinModules = map[string]bool{"builtins": true, "__builtins__": true, "__builtin__": true}

// knownSubmodules are attributes of external modules that are modules, so
// an attribute of them stays a module path rather than a function.
var knownSubmodules = map[string]bool{
	"os.path": true, "urllib.request": true, "urllib.parse": true, "urllib.error": true,
	"xml.etree": true, "xml.etree.ElementTree": true, "concurrent.futures": true,
	"importlib.util": true, "importlib.machinery": true, "logging.handlers": true,
	"logging.config": true, "http.client": true, "email.mime": true, "json.decoder": true,
	"cognite.client": true, "cognite.client.credentials": true, "cognite.client.config": true,
	"cognite.client.data_classes": true, "multiprocessing.pool": true, "ctypes.util": true,
}

// externalValue is the value of a name outside the bundle, by its
// qualified name: most are functions or classes (KindFunc), some are known
// objects (os.environ holds secrets, sys.stdout is a stream, loguru's logger).
func externalValue(q string, origin func(Labels, string) Origin) aval {
	switch q {
	case "os.environ", "os.environb":
		v := aval{Value: Value{Kind: KindFunc, Qual: "os.environ"}, dictSource: true}
		v.addLabel(LabelEnvSecret, origin(LabelEnvSecret, "os.environ"))
		return v
	case "sys.stdout", "sys.__stdout__":
		return aval{Value: Value{Kind: KindInstance, Qual: "sys.stdout"}}
	case "sys.stderr", "sys.__stderr__":
		return aval{Value: Value{Kind: KindInstance, Qual: "sys.stderr"}}
	case "loguru.logger", "logging.root":
		return aval{Value: Value{Kind: KindLogger, Qual: "logger"}}
	}
	if knownSubmodules[q] {
		return aval{Value: Value{Kind: KindModule, Qual: q}}
	}
	return aval{Value: Value{Kind: KindFunc, Qual: q}}
}

// lastSegment returns the part of a dotted name after its last dot.
func lastSegment(q string) string {
	if i := strings.LastIndexByte(q, '.'); i >= 0 {
		return q[i+1:]
	}
	return q
}

// firstSegment returns the part of a dotted name before its first dot.
func firstSegment(q string) string {
	if i := strings.IndexByte(q, '.'); i >= 0 {
		return q[:i]
	}
	return q
}

// networkModules are the packages whose calls reach the network.
var networkModules = map[string]bool{
	"requests": true, "httpx": true, "urllib": true, "urllib2": true, "urllib3": true, "aiohttp": true,
	"http": true, "httplib": true, "socket": true, "pycurl": true, "websocket": true, "websockets": true,
	"ftplib": true, "smtplib": true, "paramiko": true, "boto3": true,
}

// networkCalls are the method or function names of networkModules that
// return what the network sent.
var networkCalls = map[string]bool{
	"get": true, "post": true, "put": true, "patch": true, "delete": true, "head": true, "options": true,
	"request": true, "urlopen": true, "getresponse": true, "recv": true, "recvfrom": true, "recv_into": true,
	"fetch": true, "stream": true, "send": true, "urlretrieve": true, "retrbinary": true, "retrlines": true,
	"get_object": true, "download_fileobj": true, "read": true, "makefile": true,
}

// isNetworkCall reports whether calling q returns content from the network.
func isNetworkCall(q string) bool {
	return networkModules[firstSegment(q)] && networkCalls[lastSegment(q)]
}

// decoders are the calls whose output is decoded (possibly hidden) content.
var decoders = map[string]bool{
	"base64.b64decode": true, "base64.b32decode": true, "base64.b32hexdecode": true, "base64.b16decode": true,
	"base64.a85decode": true, "base64.b85decode": true, "base64.urlsafe_b64decode": true,
	"base64.standard_b64decode": true, "base64.decodebytes": true, "base64.decodestring": true,
	"base64.decode": true, "binascii.unhexlify": true, "binascii.a2b_base64": true, "binascii.a2b_hex": true,
	"binascii.a2b_uu": true, "binascii.a2b_qp": true, "zlib.decompress": true, "gzip.decompress": true,
	"bz2.decompress": true, "lzma.decompress": true, "codecs.decode": true, "bytes.fromhex": true,
	"bytearray.fromhex": true, "marshal.loads": true, "quopri.decodestring": true, "uu.decode": true,
}

// isDecoder reports whether q decodes its argument.
func isDecoder(q string) bool { return decoders[q] }

// sanitizers are the calls whose result carries nothing of the argument's
// content worth protecting (sizes, truth values, types, digests).
var sanitizers = map[string]bool{
	"len": true, "bool": true, "isinstance": true, "issubclass": true, "hash": true, "id": true,
	"type": true, "callable": true, "int": true, "float": true, "abs": true, "round": true,
	"hasattr": true, "hmac.compare_digest": true, "secrets.compare_digest": true, "print": true,
	"zlib.crc32": true, "binascii.crc32": true, "zlib.adler32": true, "divmod": true, "complex": true,
}

// isSanitizer reports whether calling q cuts the data flow.
func isSanitizer(q string) bool {
	if sanitizers[q] {
		return true
	}
	switch firstSegment(q) {
	case "hashlib", "hmac", "bcrypt", "argon2", "passlib":
		return true
	}
	return false
}

// sanitizingMethods are methods whose result says something about a value
// without carrying it (tests, counts, digests).
var sanitizingMethods = map[string]bool{
	"hexdigest": true, "digest": true, "startswith": true, "endswith": true, "isdigit": true,
	"isalpha": true, "isalnum": true, "isnumeric": true, "isdecimal": true, "isspace": true,
	"islower": true, "isupper": true, "istitle": true, "isidentifier": true, "isascii": true,
	"count": true, "find": true, "rfind": true, "index": true, "rindex": true, "__len__": true,
	"__contains__": true, "__eq__": true, "bit_length": true,
}

// mutatingMethods are container methods that store their arguments in the
// receiver: the receiver takes the arguments' labels.
var mutatingMethods = map[string]bool{
	"append": true, "extend": true, "update": true, "add": true, "insert": true, "setdefault": true,
	"appendleft": true, "extendleft": true, "put": true, "put_nowait": true, "push": true,
	"__setitem__": true, "write": true, "writelines": true,
}

// loggerFactories return loggers.
var loggerFactories = map[string]bool{
	"logging.getLogger": true, "logging.LoggerAdapter": true, "logging.Logger": true,
	"structlog.get_logger": true, "structlog.getLogger": true, "structlog.wrap_logger": true,
	"structlog.stdlib.get_logger": true, "loguru.logger.bind": true, "loguru.logger.opt": true,
	"loguru.logger.patch": true, "loguru.logger.contextualize": true,
}

// isCogniteClientFactory reports whether calling q builds a CogniteClient or
// its configuration and credentials (another identity than the caller's).
func isCogniteClientFactory(q string) bool {
	if !strings.HasPrefix(q, "cognite.") && !strings.HasPrefix(q, "cognite_") {
		return false
	}
	switch last := lastSegment(q); {
	case last == "CogniteClient", last == "ClientConfig", last == "FusionNotebookConfig",
		last == "OAuthClientCredentials", last == "OAuthClientCertificate", last == "OAuthInteractive",
		last == "OAuthDeviceCode", last == "Token", last == "APIKey", last == "CredentialProvider":
		return true
	case strings.HasPrefix(last, "default"), last == "load", last == "from_credentials":
		return strings.Contains(q, "CogniteClient") || strings.Contains(q, "ClientConfig") ||
			strings.Contains(q, "Credentials") || strings.Contains(q, "Token")
	}
	return false
}

// fileOpeners return file objects (Qual "file": methods "file.write", …).
var fileOpeners = map[string]bool{
	"open": true, "io.open": true, "codecs.open": true, "gzip.open": true, "bz2.open": true,
	"lzma.open": true, "os.fdopen": true, "tempfile.NamedTemporaryFile": true,
	"tempfile.TemporaryFile": true, "tempfile.SpooledTemporaryFile": true, "pathlib.Path.open": true,
	"io.FileIO": true,
}

// isClassName reports whether a dotted name looks like a class (its last
// part is capitalised), so calling it makes an instance.
func isClassName(q string) bool {
	last := lastSegment(q)
	return last != "" && last[0] >= 'A' && last[0] <= 'Z' && strings.ToUpper(last) != last
}

// isCredentialPath reports whether a path below a CogniteClient reaches its
// token or credentials: config.credentials, config.token, _config, …
// authorization_header(). "iam.token.inspect" is not one: it describes the
// token without giving it.
func isCredentialPath(path string) bool {
	segs := strings.Split(path, ".")
	for i, s := range segs {
		switch s {
		case "_config", "credentials", "_credentials", "authorization_header", "_authorization_header",
			"_refresh_access_token", "_token_cache", "_get_token", "token_custom_args":
			return true
		case "config":
			if i+1 < len(segs) {
				switch segs[i+1] {
				case "token", "_token", "credentials", "_credentials", "client_secret":
					return true
				}
			}
		}
	}
	return false
}

// credentialStep reports whether reading attr on the client path prev
// reaches credentials (isCredentialPath of prev.attr, looking only at the
// new step).
func credentialStep(prev, attr string) bool {
	switch attr {
	case "_config", "credentials", "_credentials", "authorization_header", "_authorization_header",
		"_refresh_access_token", "_token_cache", "_get_token", "token_custom_args":
		return true
	case "token", "_token", "client_secret":
		return lastSegment(prev) == "config"
	}
	return false
}

// ---------------------------------------------------------------------------
// Knowledge owned by other packages

// isSecretName reports whether an environment variable or key name looks
// like it holds a secret.
func isSecretName(name string) bool { return secrets.IsSecretName(name) }

// redact shows the first 4 characters of a secret and "…".
func redact(s string) string { return secrets.Redact(s) }

// sdkCall looks up an SDK path below the client.
func sdkCall(path string) (cdf.SDKCall, bool) { return cdf.LookupSDKCall(path) }

// pyQuote writes s as a double-quoted Python string literal for messages.
func pyQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// constKey returns the constant string or integer of a subscript key.
func constKey(e pyast.Expr) (string, bool) {
	if c, ok := e.(*pyast.Constant); ok {
		switch c.Value.Kind {
		case pyast.ConstStr:
			return c.Value.S, true
		case pyast.ConstInt:
			return c.Value.S, true
		}
	}
	return "", false
}

// pyBuiltins are Python's builtin names (a bare name that is none of these
// may come from a star import).
var pyBuiltins = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable
		chr classmethod compile complex copyright credits delattr dict dir divmod enumerate eval exec exit
		filter float format frozenset getattr globals hasattr hash help hex id input int isinstance
		issubclass iter len license list locals map max memoryview min next object oct open ord pow print
		property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple
		type vars zip __import__ __build_class__ __debug__ __doc__ __name__ __file__ __spec__ __loader__
		__package__ __builtins__ Ellipsis NotImplemented None True False
		BaseException Exception ArithmeticError AssertionError AttributeError BlockingIOError
		BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
		ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError EnvironmentError
		FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError
		ImportError ImportWarning IndentationError IndexError InterruptedError IsADirectoryError KeyError
		KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError NotADirectoryError
		NotImplementedError OSError OverflowError PendingDeprecationWarning PermissionError
		ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning
		StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError
		TimeoutError TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError
		UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError
		ExceptionGroup BaseExceptionGroup EncodingWarning`) {
		m[n] = true
	}
	return m
}()
