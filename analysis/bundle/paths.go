package bundle

import (
	"bytes"
	"path"
	"strings"
)

// Path rules. Every name in a bundle, from a zip or from FromFiles, goes
// through cleanName:
//
//   - a backslash is a separator: names written by Windows tools
//     ("src\handler.py") are normalised to "/" before any other check, so
//     "\\server\share" and "C:\x" are then seen as absolute and rejected;
//   - a NUL byte anywhere rejects the name;
//   - absolute names ("/etc/x", "//server/x", "C:/x", "C:x") are rejected;
//   - the name is cleaned (path.Clean): "./a", "a//b" and "a/x/../b" are
//     read as "a", "a/b" and "a/b"; a name that then starts with ".." or is
//     empty is rejected as escaping the bundle root.
//
// A rejected name gives the reason to record; the entry is skipped.

const (
	reasonNUL      = "name contains a NUL byte"
	reasonAbsolute = "absolute path: not inside the bundle root"
	reasonEscapes  = "path escapes the bundle root"
	reasonEmpty    = "empty name"
)

// cleanName returns the bundle path for an entry name, or a reason to skip it.
func cleanName(name string) (clean, reason string) {
	if strings.IndexByte(name, 0) >= 0 {
		return "", reasonNUL
	}
	name = strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(name, "/") || hasDriveLetter(name) {
		return "", reasonAbsolute
	}
	if name == "" {
		return "", reasonEmpty
	}
	clean = path.Clean(name)
	switch {
	case clean == "..", strings.HasPrefix(clean, "../"):
		return "", reasonEscapes
	case clean == ".":
		return "", reasonEmpty
	}
	return clean, ""
}

// hasDriveLetter reports a Windows drive prefix ("C:", "c:/…").
func hasDriveLetter(name string) bool {
	if len(name) < 2 || name[1] != ':' {
		return false
	}
	c := name[0] | 0x20
	return c >= 'a' && c <= 'z'
}

// displayName makes a raw entry name safe to show: NUL and other control
// bytes are escaped so a Skipped path cannot break a report line.
func displayName(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// archiveExts are the name endings of archives we do not open.
var archiveExts = []string{
	".zip", ".whl", ".egg", ".jar", ".tar", ".gz", ".tgz", ".bz2", ".tbz2",
	".xz", ".txz", ".7z", ".zst", ".rar",
}

// reasonNested is the reason for every nested archive.
const reasonNested = "nested archive: not analysed"

// isArchiveName reports a name ending like an archive (case-insensitive).
func isArchiveName(p string) bool {
	lower := strings.ToLower(p)
	for _, ext := range archiveExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// archiveMagics are the leading bytes of archive formats.
var archiveMagics = [][]byte{
	[]byte("PK\x03\x04"),             // zip, whl, egg, jar
	[]byte("PK\x05\x06"),             // empty zip
	[]byte("PK\x07\x08"),             // spanned zip
	{0x1f, 0x8b},                     // gzip
	[]byte("BZh"),                    // bzip2
	{0xfd, '7', 'z', 'X', 'Z', 0x00}, // xz
	{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c},
	{0x28, 0xb5, 0x2f, 0xfd}, // zstd
	[]byte("Rar!\x1a\x07"),   // rar
}

// isArchiveData reports content that starts like an archive (or is a tar:
// "ustar" at offset 257).
func isArchiveData(data []byte) bool {
	for _, m := range archiveMagics {
		if bytes.HasPrefix(data, m) {
			return true
		}
	}
	return len(data) >= 262 && string(data[257:262]) == "ustar"
}

// isMacMetadata reports the "__MACOSX/" resource-fork folder that macOS's
// Archive Utility adds next to the real files.
func isMacMetadata(p string) bool {
	return p == "__MACOSX" || strings.HasPrefix(p, "__MACOSX/")
}
