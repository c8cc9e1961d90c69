package policy

import (
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// position is a 1-based line and column in the policy document.
type position struct{ Line, Column int }

// keyIndex maps every key of a TOML document to where it is written:
// "gate.threshold", "rules.PF-EXEC-001.severity", list elements as
// "network.allowed_hosts[2]" and array-of-tables entries as
// "secrets.rules[0].regex". It is how semantic errors (a bad value that
// decoded fine) get a line and column, and how Load knows which settings the
// user gave.
type keyIndex map[string]keyPos

// keyPos is where a key is written and, for a scalar value, where its value
// starts (zero when not known).
type keyPos struct{ key, value position }

// indexKeys indexes doc. It stops quietly at a syntax error: the decoder
// reports that one with its own position.
func indexKeys(doc []byte) keyIndex {
	idx := keyIndex{}
	var p unstable.Parser
	p.Reset(doc)
	tables := map[string]int{} // array-of-tables entries seen, by key
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			it := e.Key()
			key, pos := joinKey(&p, "", &it)
			if e.Kind == unstable.ArrayTable {
				n := tables[key]
				tables[key] = n + 1
				key += "[" + strconv.Itoa(n) + "]"
			}
			idx.add(key, pos)
			prefix = key
		case unstable.KeyValue:
			idx.keyValue(&p, prefix, e)
		}
	}
	return idx
}

// keyValue indexes one key = value (and what the value holds).
func (idx keyIndex) keyValue(p *unstable.Parser, prefix string, kv *unstable.Node) {
	it := kv.Key()
	key, pos := joinKey(p, prefix, &it)
	v := kv.Value()
	if idx.add(key, pos) && v.Raw.Length > 0 && v.Kind != unstable.Array && v.Kind != unstable.InlineTable {
		idx[key] = keyPos{key: pos, value: shapeStart(p, v.Raw)}
	}
	idx.value(p, key, kv.Value(), pos)
}

// value indexes the elements of arrays and the keys of inline tables.
func (idx keyIndex) value(p *unstable.Parser, key string, v *unstable.Node, at position) {
	switch v.Kind {
	case unstable.Array:
		i := 0
		for c := v.Children(); c.Next(); {
			n := c.Node()
			if n.Kind == unstable.Comment {
				continue
			}
			elem := key + "[" + strconv.Itoa(i) + "]"
			pos := at
			if n.Raw.Length > 0 {
				pos = shapeStart(p, n.Raw)
			}
			idx.add(elem, pos)
			idx.value(p, elem, n, pos)
			i++
		}
	case unstable.InlineTable:
		for c := v.Children(); c.Next(); {
			if n := c.Node(); n.Kind == unstable.KeyValue {
				idx.keyValue(p, key, n)
			}
		}
	}
}

// add records the first place a key is written; it reports whether the
// key is new.
func (idx keyIndex) add(key string, pos position) bool {
	if _, ok := idx[key]; ok {
		return false
	}
	idx[key] = keyPos{key: pos, value: pos}
	return true
}

// joinKey joins a (dotted) key after prefix and returns where its last
// part (the name the key gives) is written.
func joinKey(p *unstable.Parser, prefix string, it *unstable.Iterator) (string, position) {
	var parts []string
	if prefix != "" {
		parts = append(parts, prefix)
	}
	pos := position{1, 1}
	for it.Next() {
		n := it.Node()
		pos = shapeStart(p, n.Raw)
		parts = append(parts, string(n.Data))
	}
	return strings.Join(parts, "."), pos
}

func shapeStart(p *unstable.Parser, r unstable.Range) position {
	s := p.Shape(r).Start
	return position{s.Line, s.Column}
}

// find returns the position of key's value (or of the key when the value's
// place is not known), or of its nearest indexed parent ("a.b[2].c" →
// "a.b[2]" → "a.b" → "a"), or line 1 column 1.
func (idx keyIndex) find(key string) position { return idx.lookup(key, true) }

// findKey is find for errors about the key itself (its name).
func (idx keyIndex) findKey(key string) position { return idx.lookup(key, false) }

func (idx keyIndex) lookup(key string, value bool) position {
	for key != "" {
		if kp, ok := idx[key]; ok {
			if value {
				return kp.value
			}
			return kp.key
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return position{1, 1}
}

// has reports whether key (a setting or a list) is given in the document.
func (idx keyIndex) has(key string) bool {
	_, ok := idx[key]
	return ok
}
