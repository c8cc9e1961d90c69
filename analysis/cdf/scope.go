package cdf

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Scope kinds, in the spelling used throughout Preflight. Keys in a
// response match them case-insensitively ("idscope" is ScopeID).
const (
	ScopeAll                = "all"
	ScopeCurrentUser        = "currentuserscope"
	ScopeDataSet            = "datasetScope"
	ScopeID                 = "idScope"
	ScopeAssetRootID        = "assetRootIdScope"
	ScopeTable              = "tableScope"
	ScopeSpaceID            = "spaceIdScope"
	ScopeExtractionPipeline = "extractionPipelineScope"
	ScopeInstances          = "instancesScope"
	ScopePartition          = "partition"
	ScopeApp                = "appScope"
	ScopeAppExternalID      = "appExternalIdScope"
	ScopeAgentExternalID    = "agentExternalIdScope"
	ScopeUsers              = "usersScope"
	ScopeExperiment         = "experimentscope"
	ScopeSpace              = "spaceScope"     // legacy data-modelling scope
	ScopeDataModel          = "dataModelScope" // legacy data-modelling scope
)

var scopeKinds = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{ScopeAll, ScopeCurrentUser, ScopeDataSet, ScopeID, ScopeAssetRootID,
		ScopeTable, ScopeSpaceID, ScopeExtractionPipeline, ScopeInstances, ScopePartition, ScopeApp,
		ScopeAppExternalID, ScopeAgentExternalID, ScopeUsers, ScopeExperiment, ScopeSpace, ScopeDataModel} {
		m[strings.ToLower(k)] = k
	}
	return m
}()

// canonicalScopeKind spells a scope key as Preflight does; known is false
// for kinds Preflight does not know (kept as written).
func canonicalScopeKind(k string) (kind string, known bool) {
	if c, ok := scopeKinds[strings.ToLower(k)]; ok {
		return c, true
	}
	return k, false
}

// Scope is where a capability holds: everywhere in the project (Kind
// "all"), or only in the listed data sets, ids, spaces, RAW tables, ….
type Scope struct {
	Kind   string              `json:"kind"`
	IDs    []int64             `json:"ids,omitempty"`    // data sets, ids, asset roots, extraction pipelines, partitions
	Names  []string            `json:"names,omitempty"`  // spaces, external ids, apps, user names, experiments, instances
	Tables map[string][]string `json:"tables,omitempty"` // RAW: database → tables; no tables = the whole database
}

// All is the scope "everywhere in the project".
var All = Scope{Kind: ScopeAll}

// IsAll reports whether s is the all scope.
func (s Scope) IsAll() bool { return s.Kind == ScopeAll }

// normalize sorts and deduplicates the lists.
func (s *Scope) normalize() {
	slices.Sort(s.IDs)
	s.IDs = slices.Compact(s.IDs)
	slices.Sort(s.Names)
	s.Names = slices.Compact(s.Names)
	for db, ts := range s.Tables {
		slices.Sort(ts)
		s.Tables[db] = slices.Compact(ts)
	}
}

// Covers reports whether holding a capability in s lets one use it in
// want, with CDF's semantics: all covers every scope; a RAW database listed
// without tables covers each of its tables; otherwise the kinds must be the
// same and every wanted id, name and table must be listed (there is no
// data-set hierarchy).
func (s Scope) Covers(want Scope) bool {
	if s.IsAll() {
		return true
	}
	if !strings.EqualFold(s.Kind, want.Kind) {
		return false
	}
	for _, id := range want.IDs {
		if !slices.Contains(s.IDs, id) {
			return false
		}
	}
	for _, n := range want.Names {
		if !slices.Contains(s.Names, n) {
			return false
		}
	}
	for db, tables := range want.Tables {
		held, ok := s.Tables[db]
		if !ok {
			return false
		}
		if len(held) == 0 {
			continue // the whole database
		}
		if len(tables) == 0 {
			return false // wants the whole database, holds some tables
		}
		for _, t := range tables {
			if !slices.Contains(held, t) {
				return false
			}
		}
	}
	return true
}

// merge adds o's lists to s (same kind).
func (s *Scope) merge(o Scope) {
	s.IDs = append(s.IDs, o.IDs...)
	s.Names = append(s.Names, o.Names...)
	if len(o.Tables) > 0 && s.Tables == nil {
		s.Tables = map[string][]string{}
	}
	for db, ts := range o.Tables {
		cur, had := s.Tables[db]
		switch {
		case had && len(cur) == 0: // already the whole database
		case len(ts) == 0:
			s.Tables[db] = []string{}
		default:
			s.Tables[db] = append(cur, ts...)
		}
	}
	s.normalize()
}

// maxListed is how many ids or names a description shows.
const maxListed = 8

// Describe says where s holds, for acl, in plain words: "on all",
// "only in data sets 11, 12", "only in RAW database sales (all tables)".
func (s Scope) Describe(acl string) string {
	switch s.Kind {
	case ScopeAll:
		return "on all"
	case ScopeCurrentUser:
		return "only for your own groups"
	case ScopeDataSet:
		return "only in " + plural(len(s.IDs), "data set", "data sets") + " " + listInts(s.IDs)
	case ScopeID:
		return "only for " + idNoun(acl, len(s.IDs)) + " " + listInts(s.IDs)
	case ScopeAssetRootID:
		return "only under " + plural(len(s.IDs), "root asset", "root assets") + " " + listInts(s.IDs)
	case ScopeExtractionPipeline:
		return "only for " + plural(len(s.IDs), "extraction pipeline", "extraction pipelines") + " " + listInts(s.IDs)
	case ScopePartition:
		return "only in " + plural(len(s.IDs), "partition", "partitions") + " " + listInts(s.IDs)
	case ScopeSpaceID, ScopeSpace:
		return "only in " + plural(len(s.Names), "space", "spaces") + " " + listStrings(s.Names)
	case ScopeDataModel:
		return "only for " + plural(len(s.Names), "data model", "data models") + " " + listStrings(s.Names)
	case ScopeApp, ScopeAppExternalID:
		return "only for " + plural(len(s.Names), "app", "apps") + " " + listStrings(s.Names)
	case ScopeAgentExternalID:
		return "only for " + plural(len(s.Names), "agent", "agents") + " " + listStrings(s.Names)
	case ScopeUsers:
		return "only for " + plural(len(s.Names), "user", "users") + " " + listStrings(s.Names)
	case ScopeExperiment:
		return "only for " + plural(len(s.Names), "experiment", "experiments") + " " + listStrings(s.Names)
	case ScopeInstances:
		return "only for " + plural(len(s.Names), "instance", "instances") + " " + listStrings(s.Names)
	case ScopeTable:
		return "only in RAW " + describeTables(s.Tables)
	}
	what := make([]string, 0, 2)
	if len(s.IDs) > 0 {
		what = append(what, listInts(s.IDs))
	}
	if len(s.Names) > 0 {
		what = append(what, listStrings(s.Names))
	}
	if len(what) == 0 {
		return "only in scope " + clip(s.Kind)
	}
	return "only in scope " + clip(s.Kind) + " " + strings.Join(what, ", ")
}

// idNoun names the things an idScope lists, by ACL.
func idNoun(acl string, n int) string {
	switch strings.ToLower(acl) {
	case "datasetsacl":
		return plural(n, "data set", "data sets")
	case "timeseriesacl":
		return "time series"
	case "extractionpipelinesacl":
		return plural(n, "extraction pipeline", "extraction pipelines")
	case "securitycategoriesacl":
		return plural(n, "security category", "security categories")
	case "locationfiltersacl":
		return plural(n, "location filter", "location filters")
	}
	return plural(n, "id", "ids")
}

func describeTables(t map[string][]string) string {
	dbs := make([]string, 0, len(t))
	for db := range t {
		dbs = append(dbs, db)
	}
	sort.Strings(dbs)
	parts := make([]string, 0, len(dbs))
	for i, db := range dbs {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(dbs)-i))
			break
		}
		if len(t[db]) == 0 {
			parts = append(parts, "database "+clip(db)+" (all tables)")
			continue
		}
		tables := make([]string, len(t[db]))
		for j, tb := range t[db] {
			tables[j] = clip(db) + "." + clip(tb)
		}
		parts = append(parts, plural(len(tables), "table", "tables")+" "+listStrings(tables))
	}
	if len(parts) == 0 {
		return "no tables"
	}
	return strings.Join(parts, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func listInts(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return joinCapped(s)
}

func listStrings(names []string) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = clip(n)
	}
	return joinCapped(s)
}

func joinCapped(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	if len(s) > maxListed {
		return strings.Join(s[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(s)-maxListed)
	}
	return strings.Join(s, ", ")
}

// clip shortens an untrusted name for messages and removes control
// characters.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s)
	if len(s) <= 64 {
		return s
	}
	cut := 64
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// impliedBy lists, for an ACL action, the actions of the same ACL that also
// grant it: WRITE covers WRITE_PROPERTIES on data-model instances, and in
// projects created before functions:run existed, functions:write lets one
// call functions.
var impliedBy = map[string][]string{
	"datamodelinstancesacl:WRITE_PROPERTIES": {"WRITE"},
	"functionsacl:RUN":                       {"WRITE"},
}

// Holding is where a token holds one ACL action in a project.
type Holding struct {
	Capability
	Scopes []Scope // merged per kind; exactly [All] when held on all; empty when not held
	Via    string  // the action that grants it when implied ("WRITE" for WRITE_PROPERTIES), else ""
}

// Held reports whether the action is held anywhere.
func (h Holding) Held() bool { return len(h.Scopes) > 0 }

// All reports whether the action is held on all.
func (h Holding) All() bool { return len(h.Scopes) == 1 && h.Scopes[0].IsAll() }

// Where says in plain words where the action is held: "on all", "only in
// data sets 11, 12", "nowhere".
func (h Holding) Where() string {
	if !h.Held() {
		return "nowhere"
	}
	parts := make([]string, len(h.Scopes))
	for i, s := range h.Scopes {
		parts[i] = s.Describe(h.ACL)
	}
	return strings.Join(parts, " and ")
}

// Holding looks up where the access holds c (ACL names case-insensitive),
// counting actions that imply it.
func (a *Access) Holding(c Capability) Holding {
	action := strings.ToUpper(c.Action)
	h := Holding{Capability: Capability{ACL: c.ACL, Action: action}}
	if acl, ok := LookupACL(c.ACL); ok {
		h.ACL = acl.Name
	}
	h.Scopes = a.scopes(h.ACL, action)
	if len(h.Scopes) == 0 {
		for _, via := range impliedBy[strings.ToLower(h.ACL)+":"+action] {
			if h.Scopes = a.scopes(h.ACL, via); len(h.Scopes) > 0 {
				h.Via = via
				break
			}
		}
	}
	return h
}

// scopes merges the scopes of the grants holding acl:action exactly.
func (a *Access) scopes(acl, action string) []Scope {
	var out []Scope
	for _, g := range a.Grants {
		if !strings.EqualFold(g.ACL, acl) || !slices.Contains(g.Actions, action) {
			continue
		}
		if g.Scope.IsAll() {
			return []Scope{All}
		}
		merged := false
		for i := range out {
			if out[i].Kind == g.Scope.Kind {
				out[i].merge(g.Scope)
				merged = true
				break
			}
		}
		if !merged {
			s := Scope{Kind: g.Scope.Kind}
			s.merge(g.Scope)
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// Has reports whether the access lets one use c in want (All for
// "everywhere"), with CDF's semantics (see Scope.Covers). Capabilities are
// the union over grants, so a want listing several data sets is covered by
// grants that each hold some of them.
func (a *Access) Has(c Capability, want Scope) bool {
	for _, s := range a.Holding(c).Scopes {
		if s.Covers(want) {
			return true
		}
	}
	return false
}
