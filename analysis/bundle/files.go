package bundle

import (
	"fmt"
	"sort"
)

// filesReader applies the per-file and total limits to data already in
// memory. The data is not copied.
func filesReader(lim Limits) reader {
	budget := lim.MaxTotalBytes
	return func(e *entry) ([]byte, string, bool) {
		data := e.source.([]byte)
		n := int64(len(data))
		if n > lim.MaxFileBytes {
			return nil, fmt.Sprintf("larger than %s (%s)", formatSize(lim.MaxFileBytes), formatSize(n)), false
		}
		if n > budget {
			return nil, fmt.Sprintf("total size over the limit of %s", formatSize(lim.MaxTotalBytes)), true
		}
		budget -= n
		return data, "", false
	}
}

// listFiles orders the map so that "keep the first duplicate" is
// deterministic: names that are already clean first ("a.py" wins over
// "./a.py"), then by name.
func listFiles(files map[string][]byte) []entry {
	entries := make([]entry, 0, len(files))
	for name, data := range files {
		entries = append(entries, entry{raw: name, claim: int64(len(data)), source: data})
	}
	isClean := func(name string) bool { c, r := cleanName(name); return r == "" && c == name }
	sort.Slice(entries, func(i, j int) bool {
		ci, cj := isClean(entries[i].raw), isClean(entries[j].raw)
		if ci != cj {
			return ci
		}
		return entries[i].raw < entries[j].raw
	})
	return entries
}
