package cdf

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
)

//go:embed levels.toml
var levelsTOML []byte

// Level is a user's permission level in a project.
type Level string

// Levels, lowest first.
const (
	LevelNone     Level = "none"
	LevelReadOnly Level = "read-only"
	LevelStandard Level = "standard"
	LevelElevated Level = "elevated"
	LevelAdmin    Level = "admin"
)

var levelOrder = []Level{LevelNone, LevelReadOnly, LevelStandard, LevelElevated, LevelAdmin}

// Rank orders levels: none 0 … admin 4; -1 for an unknown level.
func (l Level) Rank() int { return slices.Index(levelOrder, l) }

// Explain says what the level means, in words for people who do not know
// CDF's access model.
func (l Level) Explain() string {
	switch l {
	case LevelAdmin:
		return "You can change who may do what in this project. A function you run can do anything here, including giving itself more access."
	case LevelElevated:
		return "You can change code or jobs that run as other people, or change data across the whole project. A function you run can do the same."
	case LevelStandard:
		return "You can change some data, in limited places. A function you run can change that data too."
	case LevelReadOnly:
		return "You can only read data. A function you run can read what you can, but not change it."
	case LevelNone:
		return "You have no permissions in this project."
	}
	return "Unknown permission level."
}

// LevelRule raises the level when a token holds one of its capabilities
// (levels.toml documents the fields).
type LevelRule struct {
	Level   Level    `toml:"level"`
	ACLs    []string `toml:"acls"`
	Actions []string `toml:"actions"`
	Every   bool     `toml:"every"`
	Scope   string   `toml:"scope"` // "all" or "any"
	Narrow  bool     `toml:"narrow"`
	Why     string   `toml:"why"`
}

// Levels is the level catalogue: the rules for admin and elevated, the
// actions that only read and the capabilities every caller needs.
type Levels struct {
	ReadActions      []string    `toml:"read_actions"`
	CallCapabilities []string    `toml:"call_capabilities"`
	Rules            []LevelRule `toml:"rule"`

	calls  []Capability
	ignore map[string]bool // "acl(lower):ACTION" never raises the level
}

var (
	levelsOnce sync.Once
	levelsDef  *Levels
	levelsErr  error
)

// DefaultLevels returns the embedded catalogue (levels.toml).
func DefaultLevels() *Levels {
	levelsOnce.Do(func() { levelsDef, levelsErr = ParseLevels(levelsTOML) })
	if levelsErr != nil {
		panic("cdf: embedded levels.toml: " + levelsErr.Error())
	}
	return levelsDef
}

// ParseLevels reads a level catalogue in the form of levels.toml.
func ParseLevels(data []byte) (*Levels, error) {
	var l Levels
	dec := toml.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, tomlError(err)
	}
	for i := range l.ReadActions {
		l.ReadActions[i] = strings.ToUpper(l.ReadActions[i])
	}
	for _, s := range l.CallCapabilities {
		c, _, err := ParseCapabilitySpec(s)
		if err != nil {
			return nil, fmt.Errorf("call_capabilities: %w", err)
		}
		l.calls = append(l.calls, c)
	}
	for i := range l.Rules {
		r := &l.Rules[i]
		at := fmt.Sprintf("rule %d", i+1)
		if r.Level != LevelAdmin && r.Level != LevelElevated {
			return nil, fmt.Errorf("%s: level must be admin or elevated, got %q", at, r.Level)
		}
		if len(r.ACLs) == 0 || len(r.Actions) == 0 || r.Why == "" {
			return nil, fmt.Errorf("%s: acls, actions and why are required", at)
		}
		if r.Scope != "all" && r.Scope != "any" {
			return nil, fmt.Errorf("%s: scope must be \"all\" or \"any\", got %q", at, r.Scope)
		}
		for j, a := range r.ACLs {
			if acl, ok := LookupACL(a); ok {
				r.ACLs[j] = acl.Name
			}
		}
		for j := range r.Actions {
			r.Actions[j] = strings.ToUpper(r.Actions[j])
		}
	}
	return &l, nil
}

// capabilitySpec is "ACL:ACTION" or "ACL:ACTION:all".
var capabilitySpec = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*[Aa][Cc][Ll]):([A-Za-z][A-Za-z_]*)(:all)?$`)

// ParseCapabilitySpec reads "assetsAcl:WRITE" (any scope) or
// "assetsAcl:WRITE:all" (only when held on all), as policies write them.
func ParseCapabilitySpec(s string) (c Capability, onlyAll bool, err error) {
	m := capabilitySpec.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Capability{}, false, fmt.Errorf("%q is not a capability like \"assetsAcl:WRITE\" or \"assetsAcl:WRITE:all\"", truncate(s, 80))
	}
	c = Capability{ACL: m[1], Action: strings.ToUpper(m[2])}
	if acl, ok := LookupACL(c.ACL); ok {
		c.ACL = acl.Name
	}
	return c, m[3] != "", nil
}

// WithOverrides returns a copy of l changed by a policy: admin and elevated
// add capabilities ("ACL:ACTION", or "ACL:ACTION:all" for only on all) that
// make a user admin or elevated; ignore names capabilities that never raise
// the level (e.g. "functionsAcl:WRITE" where every engineer deploys).
func (l *Levels) WithOverrides(admin, elevated, ignore []string) (*Levels, error) {
	c := *l
	c.Rules = slices.Clone(l.Rules)
	c.ignore = map[string]bool{}
	for k := range l.ignore {
		c.ignore[k] = true
	}
	for _, set := range []struct {
		level Level
		specs []string
	}{{LevelAdmin, admin}, {LevelElevated, elevated}} {
		for _, s := range set.specs {
			cap, onlyAll, err := ParseCapabilitySpec(s)
			if err != nil {
				return nil, fmt.Errorf("permissions.%s: %w", set.level, err)
			}
			scope := "any"
			if onlyAll {
				scope = "all"
			}
			c.Rules = append(c.Rules, LevelRule{Level: set.level, ACLs: []string{cap.ACL}, Actions: []string{cap.Action},
				Scope: scope, Why: "your organisation's policy counts this permission as " + string(set.level)})
		}
	}
	for _, s := range ignore {
		cap, _, err := ParseCapabilitySpec(s)
		if err != nil {
			return nil, fmt.Errorf("permissions.ignore: %w", err)
		}
		c.ignore[ignoreKey(cap)] = true
	}
	return &c, nil
}

func ignoreKey(c Capability) string { return strings.ToLower(c.ACL) + ":" + strings.ToUpper(c.Action) }

// isCall reports whether c is one of the capabilities every caller needs.
func (l *Levels) isCall(c Capability) bool {
	for _, x := range l.calls {
		if strings.EqualFold(x.ACL, c.ACL) && x.Action == c.Action {
			return true
		}
	}
	return false
}

// Assessment is a user's permission level in a project, with the reasons
// and what the user holds — the answer of `preflight perms`.
type Assessment struct {
	Project      string           `json:"project"`
	Level        Level            `json:"level"`
	Explanation  string           `json:"explanation"`
	Reasons      []string         `json:"reasons"`
	CanCall      bool             `json:"canCall"`
	Call         string           `json:"call"` // why the user can or cannot call functions
	Capabilities []HeldCapability `json:"capabilities"`
	Notes        []string         `json:"notes,omitempty"` // e.g. admin rights held in another project
}

// HeldCapability is one ACL action a user holds in the project and where.
type HeldCapability struct {
	ACL    string  `json:"acl"`
	Action string  `json:"action"`
	Known  bool    `json:"known"` // the ACL is in Preflight's catalogue
	Where  string  `json:"where"` // "on all", "only in data sets 11, 12"
	Scopes []Scope `json:"scopes"`
}

// Held lists what the access holds, one entry per ACL action, sorted.
func (a *Access) Held() []HeldCapability {
	seen := map[string]bool{}
	var out []HeldCapability
	for _, g := range a.Grants {
		for _, act := range g.Actions {
			k := strings.ToLower(g.ACL) + ":" + act
			if seen[k] {
				continue
			}
			seen[k] = true
			h := Holding{Capability: Capability{ACL: g.ACL, Action: act}, Scopes: a.scopes(g.ACL, act)}
			out = append(out, HeldCapability{ACL: g.ACL, Action: act, Known: g.Known, Where: h.Where(), Scopes: h.Scopes})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !strings.EqualFold(out[i].ACL, out[j].ACL) {
			return strings.ToLower(out[i].ACL) < strings.ToLower(out[j].ACL)
		}
		return out[i].Action < out[j].Action
	})
	return out
}

// maxReasons bounds the reasons given for one level.
const maxReasons = 8

// AssessToken assesses a token in project: its level with reasons, whether
// it can call functions, and notes about higher levels it holds in other
// projects only.
func AssessToken(t *TokenInspection, project string, l *Levels) Assessment {
	if l == nil {
		l = DefaultLevels()
	}
	as := Assess(t.ForProject(project), l)
	if as.Level.Rank() >= LevelElevated.Rank() {
		return as
	}
	for _, p := range t.ForProject(project).OtherProjects {
		if len(as.Notes) == 3 {
			as.Notes = append(as.Notes, "…and in other projects")
			break
		}
		other := Assess(t.ForProject(p), l)
		if other.Level.Rank() > as.Level.Rank() && other.Level.Rank() >= LevelElevated.Rank() {
			as.Notes = append(as.Notes, fmt.Sprintf("You are %s in project %s, but not in %s: those permissions do not apply here.",
				other.Level, clip(p), clip(project)))
		}
	}
	return as
}

// Assess gives the level of an access, the reasons for it (one sentence
// each, naming the capabilities that made it so) and whether the user can
// call functions.
func Assess(a *Access, l *Levels) Assessment {
	if l == nil {
		l = DefaultLevels()
	}
	held := a.Held()
	as := Assessment{Project: a.Project, Capabilities: held}
	if as.Capabilities == nil {
		as.Capabilities = []HeldCapability{}
	}
	as.CanCall, as.Call = canCall(a, l)

	for _, level := range []Level{LevelAdmin, LevelElevated} {
		for _, r := range l.Rules {
			if r.Level == level {
				if reason, ok := l.match(r, a, held); ok {
					as.Reasons = appendReason(as.Reasons, reason)
				}
			}
		}
		if len(as.Reasons) > 0 {
			as.Level = level
			break
		}
	}
	if as.Level == "" {
		as.Level, as.Reasons = baseLevel(a, l, held)
	}
	as.Explanation = as.Level.Explain()
	return as
}

func appendReason(rs []string, r string) []string {
	switch {
	case len(rs) < maxReasons:
		return append(rs, r)
	case len(rs) == maxReasons:
		return append(rs, "…and more")
	}
	return rs
}

// match checks rule r against what is held and words the reason:
// "admin: groupsAcl:CREATE and groupsAcl:UPDATE on all — you can …".
func (l *Levels) match(r LevelRule, a *Access, held []HeldCapability) (string, bool) {
	var hits []hit
	for _, aclName := range r.ACLs {
		var got []hit
		for _, act := range r.Actions {
			c := Capability{ACL: aclName, Action: act}
			if l.ignore[ignoreKey(c)] {
				continue
			}
			h := Holding{Capability: c, Scopes: a.scopes(aclName, act)}
			if !h.Held() || (r.Scope == "all" && !h.All()) {
				continue
			}
			got = append(got, hit{aclNameHeld(held, aclName) + ":" + act, h.Where()})
		}
		if r.Every && len(got) < len(r.Actions) {
			continue
		}
		hits = append(hits, got...)
	}
	if len(hits) == 0 {
		return "", false
	}
	return fmt.Sprintf("%s: %s — %s", r.Level, describeHits(hits, 6), r.Why), true
}

// hit is a held capability and where it is held.
type hit struct{ cap, where string }

// describeHits words hits grouped by where they are held: "assetsAcl:WRITE
// and eventsAcl:WRITE on all; filesAcl:WRITE only in data set 7", naming
// at most max capabilities.
func describeHits(hits []hit, max int) string {
	var order []string
	by := map[string][]string{}
	for i, h := range hits {
		if i == max {
			order = append(order, "")
			by[""] = []string{fmt.Sprintf("%d more", len(hits)-max)}
			break
		}
		if _, ok := by[h.where]; !ok {
			order = append(order, h.where)
		}
		by[h.where] = append(by[h.where], h.cap)
	}
	parts := make([]string, 0, len(order))
	for _, w := range order {
		if w == "" {
			parts = append(parts, "and "+by[w][0])
			continue
		}
		parts = append(parts, joinAnd(by[w])+" "+w)
	}
	return strings.Join(parts, "; ")
}

// aclNameHeld spells acl as the token does when the catalogue does not know it.
func aclNameHeld(held []HeldCapability, acl string) string {
	for _, h := range held {
		if strings.EqualFold(h.ACL, acl) {
			return h.ACL
		}
	}
	return acl
}

// baseLevel decides between standard, read-only and none.
func baseLevel(a *Access, l *Levels, held []HeldCapability) (Level, []string) {
	if len(held) == 0 {
		reason := fmt.Sprintf("none: your token grants nothing in project %s", clip(a.Project))
		if len(a.OtherProjects) > 0 {
			reason += " — its permissions are for " + plural(len(a.OtherProjects), "project", "projects") + " " + listStrings(a.OtherProjects)
		}
		return LevelNone, []string{reason}
	}
	var reads []hit
	var calls []string
	var unknown, writes []hit
	for _, h := range held {
		c := Capability{ACL: h.ACL, Action: h.Action}
		x := hit{h.ACL + ":" + h.Action, h.Where}
		switch {
		case l.isCall(c):
			calls = append(calls, x.cap)
		case slices.Contains(l.ReadActions, h.Action):
			reads = append(reads, x)
		case !h.Known:
			unknown = append(unknown, x)
		default:
			writes = append(writes, x)
		}
	}
	var reasons []string
	// One reason per ACL and place: "assetsAcl:READ and assetsAcl:WRITE only in data sets 11, 12".
	for _, group := range groupByACL(writes) {
		if group[0].where == "on all" {
			reasons = appendReason(reasons, "standard: "+describeHits(group, 6)+" — you can change this kind of data, but not who has access or code that runs for others")
		} else {
			reasons = appendReason(reasons, "standard: "+describeHits(group, 6)+" — you can change this data, but only there")
		}
	}
	for _, group := range groupByACL(unknown) {
		reasons = appendReason(reasons, "standard: "+describeHits(group, 6)+" — Preflight does not know this permission, so it counts it as one that can change data")
	}
	if len(reasons) > 0 {
		return LevelStandard, reasons
	}
	if len(reads) == 0 {
		return LevelReadOnly, []string{"read-only: you hold only what is needed to call functions (" + joinAnd(calls) + "), so a function you run can read nothing and change nothing"}
	}
	return LevelReadOnly, []string{"read-only: you can only read and list data (" + describeHits(reads, 4) + "), so a function you run cannot change anything"}
}

// groupByACL splits hits into runs of the same ACL and place, in order.
func groupByACL(hits []hit) [][]hit {
	var out [][]hit
	for _, h := range hits {
		acl, _, _ := strings.Cut(h.cap, ":")
		if n := len(out); n > 0 {
			last := out[n-1][0]
			lacl, _, _ := strings.Cut(last.cap, ":")
			if lacl == acl && last.where == h.where {
				out[n-1] = append(out[n-1], h)
				continue
			}
		}
		out = append(out, []hit{h})
	}
	return out
}

// canCall checks the capabilities every caller needs (functionsAcl:RUN, or
// the older functionsAcl:WRITE, and sessionsAcl:CREATE) and words the answer.
func canCall(a *Access, l *Levels) (bool, string) {
	var have, lack []string
	for _, c := range l.calls {
		h := a.Holding(c)
		name := c.ACL + ":" + c.Action
		switch {
		case !h.Held():
			if h.Via == "" && impliedBy[ignoreKey(c)] != nil {
				name += " (or the older " + c.ACL + ":" + impliedBy[ignoreKey(c)][0] + ")"
			}
			lack = append(lack, name)
		case h.Via != "":
			have = append(have, c.ACL+":"+h.Via+" (the older permission for "+c.Action+")")
		default:
			have = append(have, name)
		}
	}
	if len(lack) > 0 {
		return false, "You cannot call functions in this project: you lack " + joinAnd(lack) + "."
	}
	return true, "You can call functions in this project (" + joinAnd(have) + ")."
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
