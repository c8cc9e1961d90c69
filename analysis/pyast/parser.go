package pyast

// CONTRACT STUB — replaced by the parser implementation.

// Options bound one parse. Zero values take the defaults.
type Options struct {
	MaxSize   int // bytes of raw source; default DefaultMaxSize
	MaxErrors int // errors collected before the parse stops; default 100
}

// DefaultMaxSize is the default source size limit (10 MiB).
const DefaultMaxSize = 10 << 20

// Parse parses one Python file (raw bytes as read from disk). It always
// returns a Module (possibly partial, with BadExpr/BadStmt nodes) and the
// list of syntax errors, empty when CPython would accept the file.
func Parse(filename string, src []byte, opts *Options) (*Module, ErrorList) {
	dec, derr := DecodeSource(src)
	f := NewFile(filename, dec)
	mod := &Module{File: f}
	if derr != nil {
		return mod, ErrorList{derr}
	}
	return mod, nil
}
