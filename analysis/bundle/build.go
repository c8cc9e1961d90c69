package bundle

import (
	"fmt"
	"sort"
	"strings"
)

// entry is one file-like entry of a bundle before it is read.
type entry struct {
	raw    string // name as given (archive name or map key)
	path   string // cleaned bundle path
	claim  int64  // size before reading: the zip header's claim or len(data)
	source any    // *zip.File or []byte, for the reader
}

// reader reads one entry. A non-empty reason skips it; stop means the total
// budget is spent and nothing more will be read.
type reader func(e *entry) (data []byte, reason string, stop bool)

// builder assembles a Bundle; it counts skipped entries so that Skipped
// stays short.
type builder struct {
	b         *Bundle
	lim       Limits
	unlisted  int // skipped entries beyond maxListedSkips
	stripped  string
	handlerIn string // cleaned functionPath; "" when invalid
}

func newBuilder(functionPath string, lim Limits) *builder {
	if functionPath == "" {
		functionPath = "handler.py"
	}
	handler, _ := cleanName(functionPath)
	return &builder{b: &Bundle{Files: []File{}, Skipped: []Skipped{}}, lim: lim.withDefaults(), handlerIn: handler}
}

// skip records an entry that is not read.
func (bd *builder) skip(p, reason string) {
	if len(bd.b.Skipped) >= maxListedSkips {
		bd.unlisted++
		return
	}
	bd.b.Skipped = append(bd.b.Skipped, Skipped{Path: p, Reason: reason})
}

// accept classifies names: bad names and macOS metadata are skipped; the
// rest are returned, in the given order, as candidates.
func (bd *builder) accept(entries []entry) []entry {
	out := entries[:0]
	for _, e := range entries {
		p, reason := cleanName(e.raw)
		if reason != "" {
			bd.skip(displayName(e.raw), reason)
			continue
		}
		if isMacMetadata(p) {
			bd.skip(p, "macOS metadata (__MACOSX): not analysed")
			continue
		}
		e.path = p
		out = append(out, e)
	}
	return out
}

// stripTopFolder: when the handler is not at the root but every candidate
// lies under one folder that holds it ("myfn/handler.py", as made by zipping
// a folder), that folder is removed from every path.
func (bd *builder) stripTopFolder(cands []entry) {
	h := bd.handlerIn
	if h == "" || len(cands) == 0 {
		return
	}
	top, _, ok := strings.Cut(cands[0].path, "/")
	if !ok {
		return
	}
	found := false
	for _, e := range cands {
		if e.path == h {
			return
		}
		if !strings.HasPrefix(e.path, top+"/") {
			return
		}
		if e.path == top+"/"+h {
			found = true
		}
	}
	if !found {
		return
	}
	for i := range cands {
		cands[i].path = cands[i].path[len(top)+1:]
	}
	bd.stripped = top
}

// dedupe keeps the first entry of each path.
func (bd *builder) dedupe(cands []entry) []entry {
	seen := make(map[string]bool, len(cands))
	out := cands[:0]
	for _, e := range cands {
		if seen[e.path] {
			bd.skip(e.path, "duplicate name: the first entry is kept")
			continue
		}
		seen[e.path] = true
		out = append(out, e)
	}
	return out
}

// selectFiles orders candidates by path, the handler first, and cuts the
// list at MaxFiles with one summary entry for the rest.
func (bd *builder) selectFiles(cands []entry) []entry {
	h := bd.handlerIn
	sort.Slice(cands, func(i, j int) bool {
		if (cands[i].path == h) != (cands[j].path == h) {
			return cands[i].path == h
		}
		return cands[i].path < cands[j].path
	})
	if len(cands) <= bd.lim.MaxFiles {
		return cands
	}
	rest := cands[bd.lim.MaxFiles:]
	bd.skip(rest[0].path, fmt.Sprintf("this and %d more files not read: the bundle has %d files, over the limit of %d",
		len(rest)-1, len(cands), bd.lim.MaxFiles))
	return cands[:bd.lim.MaxFiles]
}

// readAll reads the selected entries in order.
func (bd *builder) readAll(sel []entry, read reader) {
	for i := range sel {
		e := &sel[i]
		if isArchiveName(e.path) {
			bd.skip(e.path, reasonNested)
			continue
		}
		data, reason, stop := read(e)
		if stop {
			rest := len(sel) - i - 1
			if rest > 0 {
				reason += fmt.Sprintf("; %d more files not read", rest)
			}
			bd.skip(e.path, reason)
			return
		}
		if reason != "" {
			bd.skip(e.path, reason)
			continue
		}
		if isArchiveData(data) {
			bd.skip(e.path, reasonNested)
			continue
		}
		bd.b.Files = append(bd.b.Files, File{Path: e.path, Data: data})
	}
}

// finish sorts the files, finds the handler and closes the skip list.
func (bd *builder) finish() *Bundle {
	b := bd.b
	sort.Slice(b.Files, func(i, j int) bool { return b.Files[i].Path < b.Files[j].Path })
	if bd.handlerIn != "" && b.File(bd.handlerIn) != nil {
		b.Handler = bd.handlerIn
	}
	if bd.unlisted > 0 {
		b.Skipped = append(b.Skipped, Skipped{Path: "…", Reason: fmt.Sprintf("%d more entries skipped (only the first %d are listed)", bd.unlisted, maxListedSkips)})
	}
	return b
}

// run is the whole pipeline after the source-specific listing.
func (bd *builder) run(entries []entry, read reader, check func([]entry) []entry) *Bundle {
	cands := bd.accept(entries)
	bd.stripTopFolder(cands)
	cands = bd.dedupe(cands)
	sel := bd.selectFiles(cands)
	if check != nil {
		sel = check(sel)
	}
	bd.readAll(sel, read)
	return bd.finish()
}
