package pyast

import "sort"

// File is a source file after decoding: UTF-8, BOM removed, newlines
// translated to "\n" as CPython's tokenizer does. Positions (Pos) are byte
// offsets into Src; File turns them into CPython's line and column.
type File struct {
	Name  string
	Src   []byte  // decoded UTF-8 source with "\n" line ends
	lines []int32 // offset of the first byte of each line
}

// NewFile indexes the lines of src, which must already be decoded.
func NewFile(name string, src []byte) *File {
	f := &File{Name: name, Src: src, lines: make([]int32, 1, len(src)/32+1)}
	for i, b := range src {
		if b == '\n' {
			f.lines = append(f.lines, int32(i+1))
		}
	}
	return f
}

// Position is a line and column as CPython reports them: Line is 1-based,
// Col is the 0-based UTF-8 byte offset within the line (col_offset).
type Position struct {
	Line int
	Col  int
}

// Position returns the line and column of offset p.
func (f *File) Position(p Pos) Position {
	if p < 0 {
		return Position{}
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > int32(p) }) - 1
	if i < 0 {
		i = 0
	}
	return Position{Line: i + 1, Col: int(p) - int(f.lines[i])}
}

// LineCount returns the number of lines.
func (f *File) LineCount() int { return len(f.lines) }

// LineStart returns the offset of the first byte of line n (1-based).
func (f *File) LineStart(n int) Pos {
	if n < 1 || n > len(f.lines) {
		return NoPos
	}
	return Pos(f.lines[n-1])
}

// Line returns the text of line n (1-based) without its line end, or "" if
// there is no such line.
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	start := int(f.lines[n-1])
	end := len(f.Src)
	if n < len(f.lines) {
		end = int(f.lines[n]) - 1
	}
	return string(f.Src[start:end])
}

// Text returns the source text of the range [start, end).
func (f *File) Text(start, end Pos) string {
	if start < 0 || end < start || int(end) > len(f.Src) {
		return ""
	}
	return string(f.Src[start:end])
}
