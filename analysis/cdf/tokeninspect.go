package cdf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Bounds on a token-inspect response (untrusted input). Real responses are
// a few kilobytes: a user is in at most 20 groups of at most a few dozen
// capabilities each.
const (
	MaxTokenInspectBytes = 4 << 20 // the whole response
	maxCapabilities      = 20000   // entries of capabilities[]
	maxScopeItems        = 100000  // ids, names and tables over all scopes
)

// TokenInspection is a parsed GET /api/v1/token/inspect response: who the
// token is and every capability it carries, in every project.
type TokenInspection struct {
	Subject      string
	Projects     []ProjectMembership
	Capabilities []Grant // all of them, in the order given
}

// ProjectMembership is one entry of projects[]: a project and the caller's
// groups in it.
type ProjectMembership struct {
	URLName string
	Groups  []int64
}

// Grant is one capability of a token: an ACL's actions in a scope, for some
// projects. The same ACL may appear in several grants with different scopes
// (the union over the caller's groups).
type Grant struct {
	ACL     string   // the catalogue's spelling when known ("extractionpipelinesAcl" → "extractionPipelinesAcl"), else as written
	Known   bool     // the ACL is in the catalogue (acl.toml)
	Actions []string // upper case, each once
	Scope   Scope
	// AllProjects is true for {"allProjects":{}} (and when the grant names
	// no project scope at all); otherwise Projects lists the project URL names.
	AllProjects bool
	Projects    []string
	Index       int // position in capabilities[], for messages
}

// AppliesTo reports whether the grant holds in project (URL names compare
// case-insensitively).
func (g Grant) AppliesTo(project string) bool {
	if g.AllProjects {
		return true
	}
	for _, p := range g.Projects {
		if strings.EqualFold(p, project) {
			return true
		}
	}
	return false
}

// Access is what a token grants in one project.
type Access struct {
	Project string
	Subject string
	Member  bool    // the project is in projects[] with at least one group
	Groups  []int64 // the caller's groups in the project
	Grants  []Grant // the grants that apply to the project
	// OtherProjects names the projects, other than this one, that some
	// grant of the token is limited to (for "admin only in X" notes).
	OtherProjects []string
}

// ForProject keeps what applies to project: grants with allProjects or
// naming it, and the project's groups.
func (t *TokenInspection) ForProject(project string) *Access {
	a := &Access{Project: project, Subject: t.Subject}
	for _, p := range t.Projects {
		if strings.EqualFold(p.URLName, project) {
			a.Groups = append(a.Groups, p.Groups...)
			if len(p.Groups) > 0 {
				a.Member = true
			}
		}
	}
	other := map[string]bool{}
	for _, g := range t.Capabilities {
		if g.AppliesTo(project) {
			a.Grants = append(a.Grants, g)
			continue
		}
		for _, p := range g.Projects {
			other[p] = true
		}
	}
	for p := range other {
		a.OtherProjects = append(a.OtherProjects, p)
	}
	sort.Strings(a.OtherProjects)
	return a
}

// ParseTokenInspect parses a token-inspect response. It is tolerant of what
// real responses vary in — unknown ACL names, ACL names and scope keys in
// any case (idScope/idscope, extractionpipelinesAcl), the same ACL several
// times, empty or null lists, unknown fields and scope kinds — and strict
// about structure: a capability that is not an object, actions that are
// not strings, ids that are not integers are errors naming the place
// ("capabilities[3].assetsAcl.scope.datasetScope.ids[0]: …").
func ParseTokenInspect(data []byte) (*TokenInspection, error) {
	if len(data) > MaxTokenInspectBytes {
		return nil, fmt.Errorf("the response is %d bytes; the most accepted is %d", len(data), MaxTokenInspectBytes)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("empty input")
	}
	var top map[string]json.RawMessage
	if err := decodeStrict(data, &top); err != nil {
		return nil, err
	}
	if top == nil {
		return nil, errors.New("expected an object, got null")
	}
	p := &tokenParser{}
	t := &TokenInspection{}
	if raw, ok := field(top, "subject"); ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &t.Subject); err != nil {
			return nil, errors.New("subject: expected a string")
		}
	}
	if raw, ok := field(top, "projects"); ok {
		var err error
		if t.Projects, err = p.projects(raw); err != nil {
			return nil, err
		}
	}
	raw, ok := field(top, "capabilities")
	if !ok {
		if _, hasProjects := field(top, "projects"); !hasProjects {
			return nil, errors.New("not a token-inspect response (no capabilities or projects)")
		}
		return t, nil
	}
	var err error
	if t.Capabilities, err = p.capabilities(raw); err != nil {
		return nil, err
	}
	return t, nil
}

// tokenParser counts scope items across the response.
type tokenParser struct {
	items int
}

func (p *tokenParser) count(n int, at string) error {
	p.items += n
	if p.items > maxScopeItems {
		return fmt.Errorf("%s: more than %d scope items in the response", at, maxScopeItems)
	}
	return nil
}

func (p *tokenParser) projects(raw json.RawMessage) ([]ProjectMembership, error) {
	list, err := rawList("projects", raw)
	if err != nil {
		return nil, err
	}
	var out []ProjectMembership
	for i, item := range list {
		at := "projects[" + strconv.Itoa(i) + "]"
		obj, err := rawObject(at, item)
		if err != nil {
			return nil, err
		}
		var pm ProjectMembership
		if v, ok := field(obj, "projectUrlName"); ok && !isNull(v) {
			if json.Unmarshal(v, &pm.URLName) != nil {
				return nil, fmt.Errorf("%s.projectUrlName: expected a string", at)
			}
		}
		if v, ok := field(obj, "groups"); ok {
			if pm.Groups, err = p.ints(at+".groups", v); err != nil {
				return nil, err
			}
		}
		out = append(out, pm)
	}
	return out, nil
}

func (p *tokenParser) capabilities(raw json.RawMessage) ([]Grant, error) {
	list, err := rawList("capabilities", raw)
	if err != nil {
		return nil, err
	}
	if len(list) > maxCapabilities {
		return nil, fmt.Errorf("capabilities: %d entries; the most accepted is %d", len(list), maxCapabilities)
	}
	var out []Grant
	for i, item := range list {
		at := "capabilities[" + strconv.Itoa(i) + "]"
		obj, err := rawObject(at, item)
		if err != nil {
			return nil, err
		}
		all, projects, err := projectScope(at, obj)
		if err != nil {
			return nil, err
		}
		// Exactly one *Acl key is expected; take every one, in a stable order.
		keys := make([]string, 0, len(obj))
		for k := range obj {
			if isACLKey(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			g, err := p.grant(at+"."+k, k, obj[k])
			if err != nil {
				return nil, err
			}
			g.AllProjects, g.Projects, g.Index = all, projects, i
			out = append(out, g)
		}
	}
	return out, nil
}

// isACLKey reports whether a capability key names an ACL ("assetsAcl",
// "extractionpipelinesAcl", "ASSETSACL").
func isACLKey(k string) bool {
	return len(k) > 3 && strings.HasSuffix(strings.ToLower(k), "acl")
}

// projectScope reads a capability's projectScope ({"allProjects":{}} or
// {"projects":[…]}; the Groups API's projectUrlNames.urlNames too). A
// capability without one applies everywhere the token is used.
func projectScope(at string, obj map[string]json.RawMessage) (all bool, projects []string, err error) {
	raw, ok := field(obj, "projectScope")
	if !ok || isNull(raw) {
		if raw, ok = field(obj, "projectUrlNames"); !ok || isNull(raw) {
			return true, nil, nil
		}
		at += ".projectUrlNames"
	} else {
		at += ".projectScope"
	}
	ps, err := rawObject(at, raw)
	if err != nil {
		return false, nil, err
	}
	if _, ok := field(ps, "allProjects"); ok {
		return true, nil, nil
	}
	for _, key := range []string{"projects", "urlNames"} {
		if v, ok := field(ps, key); ok {
			if projects, err = stringList(at+"."+key, v); err != nil {
				return false, nil, err
			}
			return false, projects, nil
		}
	}
	return false, nil, nil // an unknown project scope grants no known project
}

func (p *tokenParser) grant(at, key string, raw json.RawMessage) (Grant, error) {
	g := Grant{ACL: clip(key)} // names and actions end up in messages: no control characters
	if a, ok := LookupACL(key); ok {
		g.ACL, g.Known = a.Name, true
	}
	obj, err := rawObject(at, raw)
	if err != nil {
		return g, err
	}
	if v, ok := field(obj, "actions"); ok {
		actions, err := stringList(at+".actions", v)
		if err != nil {
			return g, err
		}
		seen := map[string]bool{}
		for _, a := range actions {
			a = clip(strings.ToUpper(strings.TrimSpace(a)))
			if a != "" && !seen[a] {
				seen[a] = true
				g.Actions = append(g.Actions, a)
			}
		}
	}
	v, ok := field(obj, "scope")
	if !ok || isNull(v) {
		return g, fmt.Errorf("%s: no scope", at)
	}
	g.Scope, err = p.scope(at+".scope", v)
	return g, err
}

// scope reads {"<kind>": payload}. Kinds and payload keys match
// case-insensitively; an unknown kind is kept with its payload's lists.
func (p *tokenParser) scope(at string, raw json.RawMessage) (Scope, error) {
	obj, err := rawObject(at, raw)
	if err != nil {
		return Scope{}, err
	}
	if len(obj) == 0 {
		return Scope{}, fmt.Errorf("%s: empty scope", at)
	}
	if len(obj) > 1 {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return Scope{}, fmt.Errorf("%s: %d scope kinds (%s); expected one", at, len(obj), truncate(strings.Join(keys, ", "), 80))
	}
	for k, payload := range obj {
		kind, known := canonicalScopeKind(k)
		s := Scope{Kind: kind}
		at := at + "." + k
		if kind == ScopeAll || kind == ScopeCurrentUser || isNull(payload) {
			return s, nil
		}
		body, err := rawObject(at, payload)
		if err != nil {
			return s, err
		}
		for pk, pv := range body {
			pat := at + "." + pk
			switch strings.ToLower(pk) {
			case "ids", "rootids", "partitionids":
				ids, err := p.ints(pat, pv)
				if err != nil {
					return s, err
				}
				s.IDs = append(s.IDs, ids...)
			case "dbstotables":
				if s.Tables, err = p.tables(pat, pv); err != nil {
					return s, err
				}
			default:
				if !known || isNameListKey(pk) {
					names, err := stringList(pat, pv)
					if err != nil {
						if known {
							return s, err
						}
						continue // an unknown kind's odd field says nothing we can use
					}
					if err := p.count(len(names), pat); err != nil {
						return s, err
					}
					s.Names = append(s.Names, names...)
				}
			}
		}
		s.normalize()
		return s, nil
	}
	return Scope{}, nil // unreachable: obj has one key
}

// isNameListKey reports whether a scope payload key holds a list of names.
func isNameListKey(k string) bool {
	switch strings.ToLower(k) {
	case "spaceids", "externalids", "apps", "usernames", "experiments", "instances":
		return true
	}
	return false
}

// tables reads rawAcl's {"db": {"tables": ["t1"]}} (an empty or missing
// list is the whole database); {"db": ["t1"]} is accepted too.
func (p *tokenParser) tables(at string, raw json.RawMessage) (map[string][]string, error) {
	obj, err := rawObject(at, raw)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(obj))
	if err := p.count(len(obj), at); err != nil {
		return nil, err
	}
	for db, v := range obj {
		dat := at + "." + db
		var tables []string
		switch {
		case isNull(v):
		case len(v) > 0 && v[0] == '[':
			if tables, err = stringList(dat, v); err != nil {
				return nil, err
			}
		default:
			o, err := rawObject(dat, v)
			if err != nil {
				return nil, err
			}
			if tv, ok := field(o, "tables"); ok {
				if tables, err = stringList(dat+".tables", tv); err != nil {
					return nil, err
				}
			}
		}
		if err := p.count(len(tables), dat); err != nil {
			return nil, err
		}
		out[db] = append(out[db], tables...)
	}
	return out, nil
}

// ints reads a list of integers (numbers, or strings holding one).
func (p *tokenParser) ints(at string, raw json.RawMessage) ([]int64, error) {
	list, err := rawList(at, raw)
	if err != nil {
		return nil, err
	}
	if err := p.count(len(list), at); err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(list))
	for i, item := range list {
		n, err := jsonInt("", item)
		if err != nil || isNull(item) {
			return nil, fmt.Errorf("%s[%d]: expected an integer id, got %s", at, i, truncate(string(item), 40))
		}
		out = append(out, n)
	}
	return out, nil
}

// field finds key in obj: exactly, else case-insensitively.
func field(obj map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	if v, ok := obj[key]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// rawList reads a JSON list (null is empty).
func rawList(at string, raw json.RawMessage) ([]json.RawMessage, error) {
	if isNull(raw) {
		return nil, nil
	}
	var list []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &list) != nil {
		return nil, fmt.Errorf("%s: expected a list, got %s", at, jsonKind(raw))
	}
	return list, nil
}

// rawObject reads a JSON object (null is empty).
func rawObject(at string, raw json.RawMessage) (map[string]json.RawMessage, error) {
	if isNull(raw) {
		return map[string]json.RawMessage{}, nil
	}
	var obj map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		return nil, fmt.Errorf("%s: expected an object, got %s", at, jsonKind(raw))
	}
	return obj, nil
}

// stringList reads a list of strings (null is empty).
func stringList(at string, raw json.RawMessage) ([]string, error) {
	list, err := rawList(at, raw)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list))
	for i, item := range list {
		var s string
		if len(item) == 0 || item[0] != '"' || json.Unmarshal(item, &s) != nil {
			return nil, fmt.Errorf("%s[%d]: expected a string, got %s", at, i, jsonKind(item))
		}
		out = append(out, s)
	}
	return out, nil
}

// jsonKind names a JSON value's type for messages.
func jsonKind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
