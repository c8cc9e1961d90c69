package bundle

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
)

// listZip turns the central directory into entries; directories are
// dropped, and symlinks, special files and encrypted entries are skipped.
func (bd *builder) listZip(zr *zip.Reader) []entry {
	entries := make([]entry, 0, len(zr.File))
	for _, f := range zr.File {
		mode := f.Mode()
		if mode.IsDir() || (len(f.Name) > 0 && (f.Name[len(f.Name)-1] == '/' || f.Name[len(f.Name)-1] == '\\')) {
			continue
		}
		name := f.Name
		if p, reason := cleanName(name); reason == "" {
			name = p
		} else {
			// bad names are reported by accept with their own reason
			entries = append(entries, entry{raw: f.Name, source: f})
			continue
		}
		switch {
		case mode&fs.ModeSymlink != 0:
			bd.skip(name, "symbolic link: not followed")
			continue
		case !mode.IsRegular():
			bd.skip(name, "not a regular file ("+mode.Type().String()+")")
			continue
		case f.Flags&0x1 != 0:
			bd.skip(name, "encrypted entry: not read")
			continue
		}
		claim := int64(f.UncompressedSize64)
		if f.UncompressedSize64 > 1<<62 {
			claim = 1 << 62
		}
		entries = append(entries, entry{raw: f.Name, claim: claim, source: f})
	}
	return entries
}

// checkOverlaps skips entries whose compressed data overlaps an earlier
// entry's: several names over the same bytes is how non-recursive zip bombs
// (and zip quines) multiply their output.
func (bd *builder) checkOverlaps(sel []entry) []entry {
	type span struct {
		start, end int64
		idx        int
	}
	spans := make([]span, 0, len(sel))
	bad := make(map[int]string)
	for i, e := range sel {
		f := e.source.(*zip.File)
		off, err := f.DataOffset()
		if err != nil {
			bad[i] = fmt.Sprintf("unreadable local header: %v", err)
			continue
		}
		n := int64(f.CompressedSize64)
		if f.CompressedSize64 > 1<<62 {
			n = 1 << 62
		}
		if n > 0 {
			spans = append(spans, span{off, off + n, i})
		}
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a].start < spans[b].start })
	var end int64 = -1
	for _, s := range spans {
		if s.start < end {
			bad[s.idx] = "overlaps another entry's data (zip bomb?)"
			continue
		}
		end = s.end
	}
	if len(bad) == 0 {
		return sel
	}
	out := sel[:0:0]
	for i, e := range sel {
		if r, ok := bad[i]; ok {
			bd.skip(e.path, r)
			continue
		}
		out = append(out, e)
	}
	return out
}

// zipReader reads entries with the per-file, ratio and total limits
// enforced on the bytes actually decompressed: header sizes are only used
// to refuse early, never to size a buffer beyond the limits.
func zipReader(lim Limits) reader {
	budget := lim.MaxTotalBytes // decompressed bytes left to read
	return func(e *entry) ([]byte, string, bool) {
		f := e.source.(*zip.File)
		comp := f.CompressedSize64
		claim := f.UncompressedSize64
		if claim > uint64(lim.MaxFileBytes) {
			return nil, fmt.Sprintf("larger than %s (%s)", formatSize(lim.MaxFileBytes), formatSize(e.claim)), false
		}
		if claim > ratioFloor && claim/max(comp, 1) > uint64(lim.MaxRatio) {
			return nil, fmt.Sprintf("compression ratio %d:1 exceeds %d:1 (zip bomb?)", claim/max(comp, 1), lim.MaxRatio), false
		}
		if budget <= 0 || int64(claim) > budget {
			return nil, fmt.Sprintf("total uncompressed size over the limit of %s", formatSize(lim.MaxTotalBytes)), true
		}
		rc, err := f.Open()
		if err != nil {
			if errors.Is(err, zip.ErrAlgorithm) {
				return nil, fmt.Sprintf("compression method %d not supported", f.Method), false
			}
			return nil, fmt.Sprintf("unreadable entry: %v", err), false
		}
		defer rc.Close()

		// The smallest of the three caps decides what a too-long read means.
		ratioCap := int64(ratioFloor)
		if comp < uint64(1<<62)/uint64(lim.MaxRatio) {
			ratioCap = max(ratioCap, int64(comp)*int64(lim.MaxRatio))
		} else {
			ratioCap = 1 << 62
		}
		limit := min(lim.MaxFileBytes, ratioCap, budget)
		data, err := io.ReadAll(io.LimitReader(rc, limit+1))
		budget -= int64(len(data))
		if int64(len(data)) > limit {
			claimed := formatSize(e.claim)
			switch limit {
			case lim.MaxFileBytes:
				return nil, fmt.Sprintf("larger than %s (the header claimed %s)", formatSize(lim.MaxFileBytes), claimed), false
			case ratioCap:
				return nil, fmt.Sprintf("compression ratio exceeds %d:1 (zip bomb?; the header claimed %s)", lim.MaxRatio, claimed), false
			default:
				return nil, fmt.Sprintf("total uncompressed size over the limit of %s", formatSize(lim.MaxTotalBytes)), true
			}
		}
		if err != nil {
			switch {
			case errors.Is(err, zip.ErrChecksum):
				return nil, "checksum mismatch: corrupt entry", false
			case errors.Is(err, zip.ErrFormat):
				return nil, "corrupt entry: its data does not match its header", false
			}
			return nil, fmt.Sprintf("corrupt entry: %v", err), false
		}
		return data, "", false
	}
}

// openZip opens the archive, telling "not a zip" from a corrupt one.
func openZip(data []byte) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err == nil || (errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return zr, nil
	}
	if !bytes.Contains(data, []byte("PK\x05\x06")) {
		return nil, fmt.Errorf("not a zip archive: no end of central directory record (%v)", err)
	}
	return nil, fmt.Errorf("corrupt zip central directory: %v", err)
}
