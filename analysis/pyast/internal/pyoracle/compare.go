package pyoracle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Compare compares two oracle-format trees (ours from pyast.DumpJSON, theirs
// from the oracle's "ast" field) for CPython 3.<minor> and returns "" when
// they are equal after normalisation, else the first differing path, e.g.
//
//	Module.body[9]/ClassDef.body[21]/JoinedStr.values len 4 vs 3
//
// Structural differences are reported before position ("_p") differences.
func Compare(ours, theirs []byte, minor int) (string, error) {
	if bytes.Equal(ours, theirs) {
		return "", nil
	}
	if d, ok := compareStatements(ours, theirs, minor); ok {
		return d, nil
	}
	a, err := decode(ours)
	if err != nil {
		return "", fmt.Errorf("decode our tree: %w", err)
	}
	b, err := decode(theirs)
	if err != nil {
		return "", fmt.Errorf("decode oracle tree: %w", err)
	}
	a, b = Normalize(a, minor), Normalize(b, minor)
	if d := Diff(a, b, false); d != "" {
		return d, nil
	}
	return Diff(a, b, true), nil
}

// compareStatements compares two Modules statement by statement, decoding
// only the top-level statements whose bytes differ (usually the few that
// hold f-strings, for 3.11). It returns false when the trees are not two
// Modules with the same number of statements.
func compareStatements(ours, theirs []byte, minor int) (string, bool) {
	type module struct {
		T    string            `json:"_t"`
		Body []json.RawMessage `json:"body"`
	}
	var ma, mb module
	if json.Unmarshal(ours, &ma) != nil || json.Unmarshal(theirs, &mb) != nil ||
		ma.T != "Module" || mb.T != "Module" || len(ma.Body) != len(mb.Body) {
		return "", false
	}
	type pair struct {
		i    int
		a, b any
	}
	var pairs []pair
	for i := range ma.Body {
		if bytes.Equal(ma.Body[i], mb.Body[i]) {
			continue
		}
		a, errA := decode(ma.Body[i])
		b, errB := decode(mb.Body[i])
		if errA != nil || errB != nil {
			return "", false
		}
		pairs = append(pairs, pair{i, Normalize(a, minor), Normalize(b, minor)})
	}
	for _, positions := range []bool{false, true} {
		for _, p := range pairs {
			if d := diff(p.a, p.b, fmt.Sprintf("Module.body[%d]", p.i), positions); d != "" {
				return d, true
			}
		}
	}
	return "", true
}

func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// Normalize applies python-parser.md §3.2 to a decoded tree, in place, and
// returns it: inside every JoinedStr.values adjacent str Constants are
// merged and empty ones dropped (3.12.1 splits format specs differently from
// 3.13), and for 3.11 all positions below a JoinedStr are removed (3.11
// gives f-string parts the position of the whole string).
func Normalize(v any, minor int) any {
	normalize(v, minor, false)
	return v
}

func normalize(v any, minor int, inFString bool) {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			normalize(x, minor, inFString)
		}
	case map[string]any:
		if inFString && minor <= 11 {
			delete(v, "_p")
		}
		isJoined := v["_t"] == "JoinedStr"
		if isJoined {
			if vals, ok := v["values"].([]any); ok {
				v["values"] = mergeConstants(vals)
			}
		}
		for k, x := range v {
			if k != "_p" {
				normalize(x, minor, inFString || isJoined)
			}
		}
	}
}

// constStr returns the value of a str Constant node as bytes (WTF-8 for
// "strx"), and whether n is one.
func constStr(n any) ([]byte, bool) {
	m, ok := n.(map[string]any)
	if !ok || m["_t"] != "Constant" {
		return nil, false
	}
	val, ok := m["value"].(map[string]any)
	if !ok {
		return nil, false
	}
	if s, ok := val["str"].(string); ok {
		return []byte(s), true
	}
	if x, ok := val["strx"].(string); ok {
		b, err := hex.DecodeString(x)
		return b, err == nil
	}
	return nil, false
}

func mergeConstants(vals []any) []any {
	out := vals[:0:0]
	var run []byte
	var first, last map[string]any
	flush := func() {
		if first == nil {
			return
		}
		if len(run) > 0 {
			m := map[string]any{"_t": "Constant"}
			if utf8.Valid(run) {
				m["value"] = map[string]any{"str": string(run)}
			} else {
				m["value"] = map[string]any{"strx": hex.EncodeToString(run)}
			}
			p0, ok0 := first["_p"].([]any)
			p1, ok1 := last["_p"].([]any)
			if ok0 && ok1 && len(p0) == 4 && len(p1) == 4 {
				m["_p"] = []any{p0[0], p0[1], p1[2], p1[3]}
			}
			out = append(out, m)
		}
		run, first, last = nil, nil, nil
	}
	for _, x := range vals {
		if s, ok := constStr(x); ok {
			if first == nil {
				first = x.(map[string]any)
				run = []byte{}
			}
			last = x.(map[string]any)
			run = append(run, s...)
			continue
		}
		flush()
		out = append(out, x)
	}
	flush()
	return out
}

// Diff returns the first difference between two decoded oracle trees as a
// path ("" when equal). With positions false, "_p" fields are ignored.
func Diff(ours, theirs any, positions bool) string {
	return diff(ours, theirs, "", positions)
}

func join(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + "/" + seg
}

func diff(a, b any, path string, positions bool) string {
	ma, aIsNode := a.(map[string]any)
	mb, bIsNode := b.(map[string]any)
	if aIsNode && bIsNode && ma["_t"] != nil && mb["_t"] != nil {
		ta, _ := ma["_t"].(string)
		tb, _ := mb["_t"].(string)
		if ta != tb {
			return fmt.Sprintf("%s: %s vs %s", orRoot(path), Abbrev(a), Abbrev(b))
		}
		keys := make([]string, 0, len(ma)+len(mb))
		for k := range ma {
			keys = append(keys, k)
		}
		for k := range mb {
			if _, ok := ma[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "_t" || (k == "_p" && !positions) {
				continue
			}
			va, okA := ma[k]
			vb, okB := mb[k]
			field := ta + "." + k
			switch {
			case !okA:
				return fmt.Sprintf("%s missing in ours (theirs %s)", join(path, field), Abbrev(vb))
			case !okB:
				return fmt.Sprintf("%s missing in theirs (ours %s)", join(path, field), Abbrev(va))
			}
			if d := diffField(va, vb, path, field, positions); d != "" {
				return d
			}
		}
		return ""
	}
	if leafEqual(a, b) {
		return ""
	}
	return fmt.Sprintf("%s %s vs %s", orRoot(path), Abbrev(a), Abbrev(b))
}

func orRoot(path string) string {
	if path == "" {
		return "<root>"
	}
	return path
}

// diffField compares the values of field (e.g. "ClassDef.body") below path.
func diffField(a, b any, path, field string, positions bool) string {
	la, aIsList := a.([]any)
	lb, bIsList := b.([]any)
	if aIsList && bIsList && (hasNode(la) || hasNode(lb)) {
		for i := 0; i < len(la) && i < len(lb); i++ {
			if d := diff(la[i], lb[i], join(path, fmt.Sprintf("%s[%d]", field, i)), positions); d != "" {
				if len(la) != len(lb) {
					return fmt.Sprintf("%s len %d vs %d; first difference: %s", join(path, field), len(la), len(lb), d)
				}
				return d
			}
		}
		if len(la) != len(lb) {
			extra := la
			if len(lb) > len(la) {
				extra = lb
			}
			return fmt.Sprintf("%s len %d vs %d (extra %s)", join(path, field), len(la), len(lb),
				Abbrev(extra[min(len(la), len(lb))]))
		}
		return ""
	}
	if m, ok := a.(map[string]any); ok && m["_t"] != nil {
		return diff(a, b, join(path, field), positions)
	}
	if leafEqual(a, b) {
		return ""
	}
	return fmt.Sprintf("%s %s vs %s", join(path, field), Abbrev(a), Abbrev(b))
}

func hasNode(l []any) bool {
	for _, x := range l {
		if m, ok := x.(map[string]any); ok && m["_t"] != nil {
			return true
		}
	}
	return false
}

// leafEqual reports whether two decoded JSON values are equal.
func leafEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		bs, ok := b.(string)
		return ok && a == bs
	case json.Number:
		bn, ok := b.(json.Number)
		return ok && a == bn
	case bool:
		bb, ok := b.(bool)
		return ok && a == bb
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !leafEqual(a[i], bl[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !leafEqual(v, w) {
				return false
			}
		}
		return true
	}
	return canonical(a) == canonical(b)
}

func canonical(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// Abbrev renders a decoded JSON value briefly: nodes as their class name
// and position, other values as JSON cut to 60 bytes.
func Abbrev(v any) string {
	if m, ok := v.(map[string]any); ok && m["_t"] != nil {
		s := fmt.Sprint(m["_t"])
		if p, ok := m["_p"]; ok {
			s += canonical(p)
		}
		switch m["_t"] {
		case "Name":
			s += " " + canonical(m["id"])
		case "Constant":
			s += " " + abbrev(canonical(m["value"]), 40)
		}
		return s
	}
	return abbrev(canonical(v), 60)
}

// abbrev cuts s to at most n bytes (on a rune boundary), marking the cut.
func abbrev(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
