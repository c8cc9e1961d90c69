package cdf

import (
	"fmt"
	"sort"
	"strings"
)

// route is one REST request of the table: a method and the path below
// /api/v1/projects/{project}, split in segments ("{}" = any one segment).
type route struct {
	method string
	segs   []string
	call   string // SDK path
}

// standardVerbs are the requests every CRUD resource answers, with the SDK
// methods that send them in order of preference.
var standardVerbs = []struct {
	method, suffix string
	methods        []string
}{
	{"GET", "", []string{"list"}},
	{"POST", "/list", []string{"list"}},
	{"POST", "/byids", []string{"retrieve_multiple", "retrieve"}},
	{"GET", "/{}", []string{"retrieve"}},
	{"POST", "/search", []string{"search"}},
	{"POST", "/aggregate", []string{"aggregate", "aggregate_count"}},
	{"POST", "/filter", []string{"filter"}},
	{"POST", "", []string{"create", "upsert", "apply"}},
	{"POST", "/update", []string{"update"}},
	{"POST", "/upsert", []string{"upsert"}},
	{"POST", "/delete", []string{"delete"}},
}

// compileREST builds the route list from [[resource]] and [rest]; [rest]
// entries replace a resource's verb for the same request.
func (t *sdkTables) compileREST(f *sdkFile) error {
	byKey := map[string]route{}
	for _, r := range f.Resource {
		if !strings.HasPrefix(r.HTTP, "/") || !t.apis[r.API] {
			return fmt.Errorf("resource %q: http must start with / and api %q must have methods", r.HTTP, r.API)
		}
		for _, v := range standardVerbs {
			for _, m := range v.methods {
				if _, ok := t.find(joinPath(r.API, m)); ok {
					rt := route{method: v.method, segs: splitPath(r.HTTP + v.suffix), call: joinPath(r.API, m)}
					byKey[routeKey(rt)] = rt
					break
				}
			}
		}
	}
	for key, call := range f.REST {
		method, path, ok := strings.Cut(key, " ")
		if !ok || !strings.HasPrefix(path, "/") || strings.ToUpper(method) != method {
			return fmt.Errorf("rest %q: want \"METHOD /path\"", key)
		}
		if _, ok := t.find(call); !ok {
			return fmt.Errorf("rest %q: %q is not in the call table", key, call)
		}
		rt := route{method: method, segs: splitPath(path), call: call}
		byKey[routeKey(rt)] = rt
	}
	for _, rt := range byKey {
		t.routes = append(t.routes, rt)
	}
	sort.Slice(t.routes, func(i, j int) bool { return routeKey(t.routes[i]) < routeKey(t.routes[j]) })
	return nil
}

func routeKey(r route) string { return r.method + " /" + strings.Join(r.segs, "/") }

func splitPath(p string) []string {
	var segs []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	return segs
}

// maxURLLen bounds the URL text looked at; longer strings are not CDF
// requests anyone writes by hand.
const maxURLLen = 4096

// lookupREST resolves a raw request. urlPath may be a full URL, a path
// with /api/v1/projects/{p}, or a path relative to the project; parts not
// known statically are written as "{…}" (pyast.Hole) or "{name}".
func (t *sdkTables) lookupREST(method, urlPath string) (SDKCall, bool) {
	if len(urlPath) > maxURLLen {
		return SDKCall{}, false
	}
	segs := requestSegments(urlPath)
	method = strings.ToUpper(strings.TrimSpace(method))
	// Leading unknown parts may be the base URL (f"{base}/assets/delete"):
	// try the known rest of the path after each of them.
	for start := 0; start <= len(segs); start++ {
		if call, ok := t.matchRoute(method, segs[start:]); ok {
			return call, true
		}
		if start == len(segs) || !isHole(segs[start]) {
			break
		}
	}
	return SDKCall{}, false
}

// requestSegments strips scheme, host, query and the API prefix from a
// request URL and splits the rest in segments.
func requestSegments(u string) []string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			u = rest[j:]
		} else {
			u = ""
		}
	}
	segs := splitPath(u)
	for i := 0; i+1 < len(segs); i++ {
		if strings.EqualFold(segs[i], "api") && strings.EqualFold(segs[i+1], "v1") {
			segs = segs[i+2:]
			break
		}
	}
	if len(segs) >= 2 && segs[0] == "projects" {
		segs = segs[2:]
	}
	return segs
}

// isHole reports whether a segment holds an unknown part.
func isHole(seg string) bool { return strings.ContainsAny(seg, "{}…") }

// matchRoute finds the route that matches segs best: the most literal
// segments matched. An unknown segment only matches a "{}" segment, never
// a literal one — "/assets/{…}" posted could be anything.
func (t *sdkTables) matchRoute(method string, segs []string) (SDKCall, bool) {
	var best *route
	bestLit := -1
	for i := range t.routes {
		r := &t.routes[i]
		if len(r.segs) != len(segs) || (method != "" && r.method != method) {
			continue
		}
		lit, ok := 0, true
		for k, s := range r.segs {
			switch {
			case s == "{}":
				// any segment
			case s == segs[k]:
				lit++
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok && lit > bestLit {
			best, bestLit = r, lit
		}
	}
	if best == nil {
		return SDKCall{}, false
	}
	c, ok := t.find(best.call)
	return c, ok
}
