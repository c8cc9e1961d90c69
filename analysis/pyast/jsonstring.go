package pyast

import "strings"

// AppendJSONString appends s as a JSON string escaped exactly as DumpJSON
// escapes strings, which is how Python's json.dumps(ensure_ascii=False) does
// it, so callers (the CLI's oracle-format records) can write the fields
// around a dump byte for byte like shared/oracle/pyast_oracle.py. Invalid
// UTF-8 is replaced by U+FFFD so the output stays valid UTF-8.
func AppendJSONString(buf []byte, s string) []byte {
	return appendJSONString(buf, strings.ToValidUTF8(s, "\uFFFD"))
}
