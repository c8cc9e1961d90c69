// Package bundle reads a Cognite Function's code bundle — a zip or a set of
// files — into memory with hard limits (sizes, file count, compression
// ratio, path safety), recording everything it skipped and why.
package bundle

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// File is one file of the bundle. Path is relative to the bundle root,
// "/"-separated, cleaned (no "..", no leading "/").
type File struct {
	Path string
	Data []byte
}

// Skipped is a bundle entry that was not read, with the reason
// ("path escapes the bundle root", "larger than 10 MiB", "nested archive", …).
type Skipped struct {
	Path   string
	Reason string
}

// Limits bound the reading of one bundle. Zero fields take the defaults.
type Limits struct {
	MaxZipBytes   int64 // compressed input; default 50 MiB
	MaxFiles      int   // default 2000
	MaxTotalBytes int64 // uncompressed, all files; default 64 MiB
	MaxFileBytes  int64 // uncompressed, one file; default 10 MiB
	MaxRatio      int   // uncompressed/compressed per entry; default 200
}

// Bundle is the function's code.
type Bundle struct {
	Files   []File    // sorted by Path
	Handler string    // path of the handler file (functionPath, default "handler.py"); "" if absent
	Skipped []Skipped // entries not read
}

// FromZip reads a zip archive. Errors only for an unreadable archive (not a
// zip, over MaxZipBytes, corrupt central directory); bad entries are skipped
// and listed.
//
// How entries are read:
//   - names: see cleanName in paths.go — backslashes are separators,
//     absolute names, ".." escapes and NUL bytes are skipped; directories are
//     ignored; the first of several entries with the same cleaned path is
//     kept; "__MACOSX/" metadata is skipped;
//   - symlinks (Unix mode in the external attributes), other special files
//     and encrypted entries are skipped, never read;
//   - nested archives (by name or by magic bytes) are skipped with
//     "nested archive: not analysed";
//   - all entries are counted before any is read; over MaxFiles, the
//     handler and then the first files by path are read and one Skipped
//     entry counts the rest;
//   - sizes are enforced on the bytes actually decompressed: MaxFileBytes
//     per file, MaxRatio per entry (judged above 64 KiB), and MaxTotalBytes
//     for all bytes decompressed (also those of refused entries); entries
//     whose compressed data overlaps another's are skipped (zip bombs);
//   - when functionPath is not at the root but all files sit under one
//     top-level folder that holds it ("myfn/handler.py", a zipped folder),
//     that folder is stripped from every path.
func FromZip(data []byte, functionPath string, lim Limits) (*Bundle, error) {
	bd := newBuilder(functionPath, lim)
	if int64(len(data)) > bd.lim.MaxZipBytes {
		return nil, fmt.Errorf("zip is %s, over the limit of %s", formatSize(int64(len(data))), formatSize(bd.lim.MaxZipBytes))
	}
	// archive/zip reads the whole central directory into memory before any
	// limit here applies (~330 bytes per entry): count the entry headers
	// first and refuse archives that could only be bombs.
	if n, max := bytes.Count(data, centralHeaderSig), maxZipEntries(bd.lim); n > max {
		return nil, fmt.Errorf("zip has %d entries, over the limit of %d (10 × max files); not read", n, max)
	}
	zr, err := openZip(data)
	if err != nil {
		return nil, err
	}
	return bd.run(bd.listZip(zr), zipReader(bd.lim), bd.checkOverlaps), nil
}

// centralHeaderSig starts every central directory header; its count bounds
// the number of entries archive/zip would load.
var centralHeaderSig = []byte("PK\x01\x02")

// maxZipEntries is the most entries a zip may have before it is refused
// outright (entries over MaxFiles are otherwise skipped one by one).
func maxZipEntries(l Limits) int { return 10 * l.MaxFiles }

// FromFiles builds a bundle from files already read (the CLI reads folders),
// with the same name, count, size and nested-archive rules as FromZip. Data
// is not copied: the bundle's files share the map's slices. Symlinks are the
// caller's to refuse (it reads the folder). The error is always nil today.
func FromFiles(files map[string][]byte, functionPath string, lim Limits) (*Bundle, error) {
	bd := newBuilder(functionPath, lim)
	return bd.run(listFiles(files), filesReader(bd.lim), nil), nil
}

// File returns the file at path, or nil. The path is cleaned like entry
// names ("./a.py" finds "a.py").
func (b *Bundle) File(path string) *File {
	p, reason := cleanName(path)
	if reason != "" {
		return nil
	}
	i := sort.Search(len(b.Files), func(i int) bool { return b.Files[i].Path >= p })
	if i < len(b.Files) && b.Files[i].Path == p {
		return &b.Files[i]
	}
	return nil
}

// PythonFiles returns the files whose name ends in ".py", sorted by path.
func (b *Bundle) PythonFiles() []*File {
	var out []*File
	for i := range b.Files {
		if strings.HasSuffix(b.Files[i].Path, ".py") {
			out = append(out, &b.Files[i])
		}
	}
	return out
}
