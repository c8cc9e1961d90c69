package bundle

import "fmt"

// Default limits (Limits' zero fields take these).
const (
	DefaultMaxZipBytes   = 50 << 20
	DefaultMaxFiles      = 2000
	DefaultMaxTotalBytes = 64 << 20
	DefaultMaxFileBytes  = 10 << 20
	DefaultMaxRatio      = 200
)

// ratioFloor: the compression ratio is only judged for entries larger than
// this once decompressed; tiny files of repeated bytes compress beyond any
// sane ratio without being a threat.
const ratioFloor = 64 << 10

// maxListedSkips bounds Skipped: after this many entries, one summary entry
// counts the rest.
const maxListedSkips = 1000

// withDefaults fills zero (or negative) fields with the defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxZipBytes <= 0 {
		l.MaxZipBytes = DefaultMaxZipBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultMaxFileBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultMaxRatio
	}
	return l
}

// formatSize writes a byte count the way limits are stated: "10 MiB",
// "12.3 MiB", "512 KiB", "100 B".
func formatSize(n int64) string {
	const (
		kib = 1 << 10
		mib = 1 << 20
		gib = 1 << 30
	)
	unit, name := int64(1), "B"
	switch {
	case n >= gib:
		unit, name = gib, "GiB"
	case n >= mib:
		unit, name = mib, "MiB"
	case n >= kib:
		unit, name = kib, "KiB"
	}
	if n%unit == 0 {
		return fmt.Sprintf("%d %s", n/unit, name)
	}
	return fmt.Sprintf("%.1f %s", float64(n)/float64(unit), name)
}
