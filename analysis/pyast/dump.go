package pyast

// CONTRACT STUB — replaced by the oracle-format dumper.

// DumpOptions select the form of DumpJSON's output.
type DumpOptions struct {
	Positions bool // include "_p": [lineno, col_offset, end_lineno, end_col_offset]
	Version   int  // CPython minor version whose ast shape to mimic: 11, 12 or 13 (default 13)
}

// DumpJSON returns the module as one canonical JSON value in the form of
// shared/oracle/pyast_oracle.py's "ast" field (keys sorted, no spaces).
func DumpJSON(mod *Module, opts DumpOptions) []byte { return []byte(`{"_t":"Module","body":[]}`) }
