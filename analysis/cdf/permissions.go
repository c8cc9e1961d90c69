package cdf

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Need is a capability the function's code needs, and where: the engine's
// required capabilities ("client.assets.delete" at handler.py:14).
type Need struct {
	Capability
	Call string // the SDK path or HTTP request, e.g. "client.assets.delete"
	File string
	Line int
}

// Place words where a need arises: "client.assets.delete at handler.py:14".
func (n Need) Place() string {
	var b strings.Builder
	b.WriteString(clip(n.Call))
	if n.File != "" {
		if b.Len() > 0 {
			b.WriteString(" at ")
		}
		b.WriteString(clip(n.File))
		if n.Line > 0 {
			b.WriteString(":" + strconv.Itoa(n.Line))
		}
	}
	return b.String()
}

// NeedGroup is one capability with every place that needs it.
type NeedGroup struct {
	Capability
	Places []Need
	Where  string // where the user holds it, for limited needs: "only in data sets 11, 12"
}

// String words the group for a report: "assetsAcl:WRITE — client.assets.delete
// at handler.py:14, client.assets.create at handler.py:20".
func (g NeedGroup) String() string {
	s := g.ACL + ":" + g.Action
	if g.Where != "" {
		s += " (you hold it " + g.Where + "; elsewhere it fails)"
	}
	const maxPlaces = 3
	var places []string
	for i, p := range g.Places {
		if i == maxPlaces {
			places = append(places, fmt.Sprintf("and %d more", len(g.Places)-i))
			break
		}
		if w := p.Place(); w != "" {
			places = append(places, w)
		}
	}
	if len(places) > 0 {
		s += " — " + strings.Join(places, ", ")
	}
	return s
}

// Comparison is what a function needs against what its caller holds.
type Comparison struct {
	// Needs is every capability the code needs, with its places.
	Needs []NeedGroup
	// Missing: needed and not held anywhere — these calls will fail.
	Missing []NeedGroup
	// Limited: needed and held only in some scopes — these calls work only
	// on data in those scopes (the code's targets are not known statically).
	Limited []NeedGroup
	// Excess: held and never needed by the code nor by the call itself.
	Excess []Capability
	// Needed is the level the function itself needs, with its reasons.
	Needed        Level
	NeededReasons []string
}

// Compare joins the code's needs with the caller's access.
func Compare(a *Access, needs []Need, l *Levels) Comparison {
	if l == nil {
		l = DefaultLevels()
	}
	var cmp Comparison
	groups := groupNeeds(needs)
	cmp.Needs = groups
	for _, g := range groups {
		h := a.Holding(g.Capability)
		switch {
		case !h.Held():
			cmp.Missing = append(cmp.Missing, g)
		case !h.All():
			g.Where = h.Where()
			cmp.Limited = append(cmp.Limited, g)
		}
	}
	for _, h := range a.Held() {
		c := Capability{ACL: h.ACL, Action: h.Action}
		if !usedBy(c, groups, l) {
			cmp.Excess = append(cmp.Excess, c)
		}
	}
	cmp.Needed, cmp.NeededReasons = neededLevel(groups, l)
	return cmp
}

// groupNeeds merges needs by capability (canonical ACL spelling, upper-case
// action), sorted, places in order.
func groupNeeds(needs []Need) []NeedGroup {
	idx := map[string]int{}
	var out []NeedGroup
	for _, n := range needs {
		if acl, ok := LookupACL(n.ACL); ok {
			n.ACL = acl.Name
		}
		n.Action = strings.ToUpper(n.Action)
		k := strings.ToLower(n.ACL) + ":" + n.Action
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, NeedGroup{Capability: n.Capability})
		}
		out[i].Places = append(out[i].Places, n)
	}
	for i := range out {
		sort.SliceStable(out[i].Places, func(a, b int) bool {
			pa, pb := out[i].Places[a], out[i].Places[b]
			if pa.File != pb.File {
				return pa.File < pb.File
			}
			return pa.Line < pb.Line
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ACL != out[j].ACL {
			return out[i].ACL < out[j].ACL
		}
		return out[i].Action < out[j].Action
	})
	return out
}

// usedBy reports whether held capability c serves a need or the call itself.
func usedBy(c Capability, groups []NeedGroup, l *Levels) bool {
	serves := func(need Capability) bool {
		if !strings.EqualFold(need.ACL, c.ACL) {
			return false
		}
		if need.Action == c.Action {
			return true
		}
		for _, via := range impliedBy[ignoreKey(need)] {
			if via == c.Action {
				return true
			}
		}
		return false
	}
	for _, g := range groups {
		if serves(g.Capability) {
			return true
		}
	}
	for _, call := range l.calls {
		if serves(call) {
			return true
		}
	}
	return false
}

// neededLevel is the lowest level that can do what the code needs: admin or
// elevated when it needs a capability of such a rule that is powerful in any
// scope (rules with narrow = true do not count: a limited scope would do),
// else standard when it needs anything beyond reading, else read-only
// (none when it needs nothing).
func neededLevel(groups []NeedGroup, l *Levels) (Level, []string) {
	for _, level := range []Level{LevelAdmin, LevelElevated} {
		var reasons []string
		for _, r := range l.Rules {
			if r.Level != level || r.Narrow || r.Every {
				continue
			}
			for _, g := range groups {
				if l.ignore[ignoreKey(g.Capability)] || !ruleHas(r, g.Capability) {
					continue
				}
				reasons = appendReason(reasons, fmt.Sprintf("%s: the code needs %s:%s (%s) — %s",
					level, g.ACL, g.Action, g.Places[0].Place(), r.Why))
			}
		}
		if len(reasons) > 0 {
			return level, reasons
		}
	}
	if len(groups) == 0 {
		return LevelNone, nil
	}
	var writes []string
	for _, g := range groups {
		if !l.isCall(g.Capability) && !containsFold(l.ReadActions, g.Action) {
			writes = append(writes, g.ACL+":"+g.Action)
		}
	}
	if len(writes) > 0 {
		return LevelStandard, []string{"standard: the code changes data (" + joinAnd(capList(writes, 4)) + "), which a limited scope allows"}
	}
	return LevelReadOnly, []string{"read-only: the code only reads"}
}

func ruleHas(r LevelRule, c Capability) bool {
	return containsFold(r.ACLs, c.ACL) && containsFold(r.Actions, c.Action)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// capList keeps the first n entries and counts the rest.
func capList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("%d more", len(s)-n))
}
