package policy

import (
	"bytes"

	toml "github.com/pelletier/go-toml/v2"
)

// MarshalTOML returns the effective policy as a TOML document that Load
// reads back to the same policy (what `preflight policy check` prints).
func (p *Policy) MarshalTOML() []byte {
	c := p.clone()
	var buf bytes.Buffer
	buf.WriteString("# The effective Preflight policy: the built-in defaults with the user's policy merged over them.\n\n")
	enc := toml.NewEncoder(&buf)
	enc.SetIndentTables(false)
	if err := enc.Encode(c); err != nil {
		// Only plain strings, numbers, lists and maps: encoding cannot fail.
		panic("policy: encode: " + err.Error())
	}
	return buf.Bytes()
}
