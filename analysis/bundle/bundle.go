// Package bundle reads a Cognite Function's code bundle — a zip or a set of
// files — into memory with hard limits (sizes, file count, compression
// ratio, path safety), recording everything it skipped and why.
package bundle

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
// zip, over MaxZipBytes); bad entries are skipped and listed.
func FromZip(data []byte, functionPath string, lim Limits) (*Bundle, error) { panic("contract stub") }

// FromFiles builds a bundle from files already read (the CLI reads folders).
func FromFiles(files map[string][]byte, functionPath string, lim Limits) (*Bundle, error) {
	panic("contract stub")
}

// File returns the file at path, or nil.
func (b *Bundle) File(path string) *File { panic("contract stub") }
