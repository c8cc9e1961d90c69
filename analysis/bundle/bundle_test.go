package bundle

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"testing"
)

// zent is one entry of a zip built by a test.
type zent struct {
	name   string
	data   []byte
	method uint16      // zip.Store or zip.Deflate (default)
	mode   fs.FileMode // 0: regular 0644
	flags  uint16      // extra flag bits (1: encrypted)
}

// makeZip writes a real zip with archive/zip.
func makeZip(t testing.TB, entries []zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.method == zip.Store {
			h.Method = zip.Store
		}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		if e.flags != 0 {
			// Encrypted: write the bytes as they are, with the flag.
			h.Flags = e.flags
			h.Method = zip.Store
			h.CRC32 = crc32.ChecksumIEEE(e.data)
			h.CompressedSize64 = uint64(len(e.data))
			h.UncompressedSize64 = uint64(len(e.data))
			fw, err := w.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(e.data)
			continue
		}
		fw, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflated compresses n zero bytes.
func deflated(t testing.TB, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	chunk := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, int64(len(chunk)))
		fw.Write(chunk[:k])
		n -= k
	}
	fw.Close()
	return buf.Bytes()
}

// rawZip writes one deflated entry whose header claims size and crc as given.
func rawZip(t testing.TB, name string, comp []byte, claim uint64, crc uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	fw, err := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(comp)), UncompressedSize64: claim})
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(comp)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func paths(b *Bundle) []string {
	var out []string
	for _, f := range b.Files {
		out = append(out, f.Path)
	}
	return out
}

func skipped(b *Bundle) map[string]string {
	out := map[string]string{}
	for _, s := range b.Skipped {
		out[s.Path] = s.Reason
	}
	return out
}

var handlerSrc = []byte("def handle(client, data):\n    return data\n")

func TestFromZipEntries(t *testing.T) {
	zipMagic := makeZip(t, []zent{{name: "inner.py", data: []byte("x = 1\n")}})
	tests := []struct {
		name        string
		entries     []zent
		fnPath      string
		wantFiles   []string
		wantHandler string
		wantSkipped map[string]string // path → reason substring
	}{
		{
			name:        "handler at the root, stored and deflated",
			entries:     []zent{{name: "handler.py", data: handlerSrc, method: zip.Store}, {name: "lib/util.py", data: []byte("y = 2\n")}},
			wantFiles:   []string{"handler.py", "lib/util.py"},
			wantHandler: "handler.py",
		},
		{
			name: "traversal and absolute names",
			entries: []zent{
				{name: "handler.py", data: handlerSrc},
				{name: "../evil.py", data: []byte("x")},
				{name: "a/../../evil2.py", data: []byte("x")},
				{name: "/etc/passwd", data: []byte("x")},
				{name: `C:\Windows\x.py`, data: []byte("x")},
				{name: `\\server\share\x.py`, data: []byte("x")},
				{name: "nul\x00.py", data: []byte("x")},
				{name: "./ok/./c.py", data: []byte("c = 1\n")},
				{name: "ok/x/../d.py", data: []byte("d = 1\n")},
			},
			wantFiles:   []string{"handler.py", "ok/c.py", "ok/d.py"},
			wantHandler: "handler.py",
			wantSkipped: map[string]string{
				"../evil.py":          "path escapes the bundle root",
				"a/../../evil2.py":    "path escapes the bundle root",
				"/etc/passwd":         "absolute path",
				`C:\Windows\x.py`:     "absolute path",
				`\\server\share\x.py`: "absolute path",
				`nul\x00.py`:          "NUL byte",
			},
		},
		{
			name:        "backslash separators are normalised",
			entries:     []zent{{name: `src\handler.py`, data: handlerSrc}},
			fnPath:      "src/handler.py",
			wantFiles:   []string{"src/handler.py"},
			wantHandler: "src/handler.py",
		},
		{
			name: "symlink, encrypted, directory",
			entries: []zent{
				{name: "handler.py", data: handlerSrc},
				{name: "link.py", data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777},
				{name: "secret.py", data: []byte("\x01\x02garbage"), flags: 1},
				{name: "dir/", mode: fs.ModeDir | 0o755},
			},
			wantFiles:   []string{"handler.py"},
			wantHandler: "handler.py",
			wantSkipped: map[string]string{"link.py": "symbolic link", "secret.py": "encrypted entry"},
		},
		{
			name: "nested archives by name and by magic",
			entries: []zent{
				{name: "handler.py", data: handlerSrc},
				{name: "deps/lib.whl", data: []byte("not even a zip")},
				{name: "vendor.tar.gz", data: []byte("x")},
				{name: "blob.bin", data: zipMagic},
				{name: "gz.dat", data: []byte{0x1f, 0x8b, 8, 0}},
			},
			wantFiles:   []string{"handler.py"},
			wantHandler: "handler.py",
			wantSkipped: map[string]string{"deps/lib.whl": reasonNested, "vendor.tar.gz": reasonNested, "blob.bin": reasonNested, "gz.dat": reasonNested},
		},
		{
			name:        "duplicate names keep the first",
			entries:     []zent{{name: "handler.py", data: handlerSrc}, {name: "./handler.py", data: []byte("evil = 1\n")}},
			wantFiles:   []string{"handler.py"},
			wantHandler: "handler.py",
			wantSkipped: map[string]string{"handler.py": "duplicate name"},
		},
		{
			name:        "no handler",
			entries:     []zent{{name: "main.py", data: []byte("print(1)\n")}},
			wantFiles:   []string{"main.py"},
			wantHandler: "",
		},
		{
			name:        "custom functionPath",
			entries:     []zent{{name: "src/fn.py", data: handlerSrc}, {name: "src/other.py", data: nil}},
			fnPath:      "src/fn.py",
			wantFiles:   []string{"src/fn.py", "src/other.py"},
			wantHandler: "src/fn.py",
		},
		{
			name:        "single top-level folder is stripped",
			entries:     []zent{{name: "myfn/handler.py", data: handlerSrc}, {name: "myfn/sub/u.py", data: []byte("u = 1\n")}, {name: "__MACOSX/myfn/._handler.py", data: []byte{0, 5, 22, 7}}},
			wantFiles:   []string{"handler.py", "sub/u.py"},
			wantHandler: "handler.py",
			wantSkipped: map[string]string{"__MACOSX/myfn/._handler.py": "macOS metadata"},
		},
		{
			name:        "folder not stripped when the handler is at the root",
			entries:     []zent{{name: "handler.py", data: handlerSrc}, {name: "myfn/handler.py", data: handlerSrc}},
			wantFiles:   []string{"handler.py", "myfn/handler.py"},
			wantHandler: "handler.py",
		},
		{
			name:        "folder not stripped when files sit outside it",
			entries:     []zent{{name: "myfn/handler.py", data: handlerSrc}, {name: "other.py", data: nil}},
			wantFiles:   []string{"myfn/handler.py", "other.py"},
			wantHandler: "",
		},
		{
			name:        "binary and non-UTF-8 handler are read as they are",
			entries:     []zent{{name: "handler.py", data: []byte("x = '\xff\xfe'\n\x00\x01")}},
			wantFiles:   []string{"handler.py"},
			wantHandler: "handler.py",
		},
		{
			name:        "empty zip",
			entries:     nil,
			wantHandler: "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := FromZip(makeZip(t, tc.entries), tc.fnPath, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(paths(b)), fmt.Sprint(tc.wantFiles); got != want {
				t.Errorf("files = %s, want %s", got, want)
			}
			if b.Handler != tc.wantHandler {
				t.Errorf("handler = %q, want %q", b.Handler, tc.wantHandler)
			}
			got := skipped(b)
			for p, reason := range tc.wantSkipped {
				if !strings.Contains(got[p], reason) {
					t.Errorf("skipped[%q] = %q, want it to contain %q", p, got[p], reason)
				}
			}
			if len(got) != len(tc.wantSkipped) {
				t.Errorf("skipped = %v, want %d entries", b.Skipped, len(tc.wantSkipped))
			}
			for _, f := range b.Files {
				for _, e := range tc.entries {
					if c, _ := cleanName(e.name); c == f.Path && e.flags == 0 && !bytes.Equal(e.data, f.Data) && len(tc.wantSkipped) == 0 {
						t.Errorf("%s: data differs", f.Path)
					}
				}
			}
		})
	}
}

func TestFromZipErrors(t *testing.T) {
	good := makeZip(t, []zent{{name: "handler.py", data: handlerSrc}})
	corrupt := bytes.Clone(good)
	i := bytes.LastIndex(corrupt, []byte("PK\x01\x02"))
	corrupt[i+2] = 9 // central directory header signature broken
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want string
	}{
		{"text", []byte("def handle(): pass\n"), Limits{}, "not a zip archive"},
		{"empty input", nil, Limits{}, "not a zip archive"},
		{"over MaxZipBytes", good, Limits{MaxZipBytes: 50}, fmt.Sprintf("zip is %d B, over the limit of 50 B", len(good))},
		{"corrupt central directory", corrupt, Limits{}, "corrupt zip central directory"},
		{"truncated", good[:len(good)-30], Limits{}, "not a zip archive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := FromZip(tc.data, "", tc.lim)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("FromZip = %v, %v; want error containing %q", b, err, tc.want)
			}
		})
	}
}

func TestFromZipPrefixAndComment(t *testing.T) {
	z := makeZip(t, []zent{{name: "handler.py", data: handlerSrc}})
	// A self-extracting stub before the archive and a comment after it.
	var buf bytes.Buffer
	buf.WriteString("#!/bin/sh\nexec unzip \"$0\"\n")
	buf.Write(z)
	data := buf.Bytes()
	// Set the end record's comment length and append the comment.
	comment := "made by a self-extractor"
	data[len(data)-2] = byte(len(comment))
	data = append(data, comment...)
	b, err := FromZip(data, "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Handler != "handler.py" || !bytes.Equal(b.File("handler.py").Data, handlerSrc) {
		t.Fatalf("bundle = %+v", b)
	}
}

func TestFromZipManyFiles(t *testing.T) {
	var entries []zent
	for i := range 10000 {
		entries = append(entries, zent{name: fmt.Sprintf("pkg/m%05d.py", i), data: []byte("x = 1\n"), method: zip.Store})
	}
	entries = append(entries, zent{name: "zz_handler.py", data: handlerSrc})
	b, err := FromZip(makeZip(t, entries), "zz_handler.py", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Files) != DefaultMaxFiles {
		t.Errorf("read %d files, want %d", len(b.Files), DefaultMaxFiles)
	}
	if b.Handler != "zz_handler.py" {
		t.Errorf("handler %q not read first", b.Handler)
	}
	if len(b.Skipped) != 1 {
		t.Fatalf("want one summary skip, got %d: %v", len(b.Skipped), b.Skipped[:min(3, len(b.Skipped))])
	}
	s := b.Skipped[0]
	if s.Path != "pkg/m01999.py" || s.Reason != "this and 8000 more files not read: the bundle has 10001 files, over the limit of 2000" {
		t.Errorf("summary = %+v", s)
	}
	if b.File("pkg/m01998.py") == nil || b.File("pkg/m01999.py") != nil {
		t.Errorf("not the first files by name")
	}
}

func TestFromZipSkippedListIsBounded(t *testing.T) {
	var entries []zent
	for i := range 3000 {
		entries = append(entries, zent{name: fmt.Sprintf("../x%d.py", i), method: zip.Store})
	}
	b, err := FromZip(makeZip(t, entries), "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Skipped) != maxListedSkips+1 || !strings.HasPrefix(b.Skipped[maxListedSkips].Reason, "2000 more entries skipped") {
		t.Fatalf("%d skipped, last %+v", len(b.Skipped), b.Skipped[len(b.Skipped)-1])
	}
}

// TestFromZipBomb: entries whose decompressed size is far over the limits
// are refused (honest header) or stopped (lying header) with bounded memory.
func TestFromZipBomb(t *testing.T) {
	const gib = 1 << 30
	comp := deflated(t, 64<<20) // 64 MiB of zeros, ~64 KiB compressed
	small := deflated(t, 8<<20) // 8 MiB of zeros, ~8 KiB compressed
	tests := []struct {
		name  string
		comp  []byte
		claim uint64
		lim   Limits
		want  string
	}{
		{"honest 1 GiB claim", comp, gib, Limits{}, "larger than 10 MiB (1 GiB)"},
		{"claim under the file limit, ratio too high", small, 8 << 20, Limits{}, "compression ratio 1027:1 exceeds 200:1 (zip bomb?)"},
		{"lying small claim", comp, 1000, Limits{}, "corrupt entry: its data does not match its header"},
		{"lying claim at the file limit", comp, 1 << 20, Limits{MaxFileBytes: 1 << 20, MaxRatio: 100000}, "corrupt entry"},
		{"honest claim over the total budget", comp, 64 << 20, Limits{MaxFileBytes: 100 << 20, MaxTotalBytes: 32 << 20, MaxRatio: 100000}, "total uncompressed size over the limit of 32 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := rawZip(t, "handler.py", tc.comp, tc.claim, 0)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b, err := FromZip(data, "", tc.lim)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Files) != 0 || len(b.Skipped) != 1 || !strings.Contains(b.Skipped[0].Reason, tc.want) {
				t.Fatalf("files %v, skipped %+v; want a skip containing %q", paths(b), b.Skipped, tc.want)
			}
			lim := tc.lim.withDefaults()
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(3*lim.MaxFileBytes)+8<<20 {
				t.Errorf("allocated %s reading a bomb", formatSize(int64(alloc)))
			}
		})
	}
}

// TestFromZipTotalBudget: many entries that each pass the per-file limits
// but together exceed MaxTotalBytes; reading stops at the budget.
func TestFromZipTotalBudget(t *testing.T) {
	big := bytes.Repeat([]byte("abcdefghij0123456789"), 300<<10) // 6 MiB, compresses ~>200:1? no: repetitive
	var entries []zent
	for i := range 20 {
		entries = append(entries, zent{name: fmt.Sprintf("data%02d.txt", i), data: big, method: zip.Store})
	}
	b, err := FromZip(makeZip(t, entries), "", Limits{MaxZipBytes: 200 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, f := range b.Files {
		total += int64(len(f.Data))
	}
	if total > DefaultMaxTotalBytes || len(b.Files) != 10 {
		t.Errorf("read %d files, %s", len(b.Files), formatSize(total))
	}
	want := "total uncompressed size over the limit of 64 MiB; 9 more files not read"
	if last := b.Skipped[len(b.Skipped)-1]; last.Path != "data10.txt" || last.Reason != want {
		t.Errorf("skip = %+v, want %q", last, want)
	}
}

// TestFromZipOverlapping: two names over the same compressed bytes (how
// non-recursive zip bombs multiply output) — the second is refused.
func TestFromZipOverlapping(t *testing.T) {
	z := makeZip(t, []zent{{name: "handler.py", data: handlerSrc, method: zip.Store}, {name: "b.py", data: handlerSrc, method: zip.Store}})
	// Point b.py's central directory entry at handler.py's local header.
	cd := bytes.LastIndex(z, []byte("PK\x01\x02"))
	copy(z[cd+42:cd+46], []byte{0, 0, 0, 0})
	// Its name in the local header must match for archive/zip? It does not
	// check; the data offset is what matters.
	b, err := FromZip(z, "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := skipped(b)["b.py"]; !strings.Contains(got, "overlaps another entry") {
		t.Fatalf("skipped = %v", b.Skipped)
	}
}

func TestFromZipTestdata(t *testing.T) {
	tests := []struct {
		file        string
		fnPath      string
		wantFiles   string
		wantHandler string
		wantSkipped int
	}{
		{"zipped-folder.zip", "", "[handler.py requirements.txt sub/util.py]", "handler.py", 1},
		{"windows-backslash.zip", "src/handler.py", "[src/handler.py src/lib/util.py]", "src/handler.py", 0},
		{"traversal.zip", "", "[handler.py ok/c.py]", "handler.py", 5},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			b, err := FromZip(data, tc.fnPath, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(paths(b)); got != tc.wantFiles || b.Handler != tc.wantHandler || len(b.Skipped) != tc.wantSkipped {
				t.Errorf("files %s handler %q skipped %v", got, b.Handler, b.Skipped)
			}
		})
	}
}

func TestFromFiles(t *testing.T) {
	files := map[string][]byte{
		"myfn/handler.py":       handlerSrc,
		"myfn/./handler.py":     []byte("dup"),
		"myfn/../../etc/passwd": []byte("x"),
		"myfn/big.txt":          bytes.Repeat([]byte("a"), 2<<20),
		"myfn/dist/pkg.whl":     []byte("x"),
		`myfn\win.py`:           []byte("w = 1\n"),
	}
	b, err := FromFiles(files, "", Limits{MaxFileBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(paths(b)); got != "[handler.py win.py]" || b.Handler != "handler.py" {
		t.Errorf("files %s handler %q", got, b.Handler)
	}
	want := map[string]string{
		"handler.py":            "duplicate name: the first entry is kept",
		"myfn/../../etc/passwd": "path escapes the bundle root",
		"big.txt":               "larger than 1 MiB (2 MiB)",
		"dist/pkg.whl":          reasonNested,
	}
	if got := skipped(b); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("skipped = %v\nwant %v", got, want)
	}
	if string(b.File("handler.py").Data) != string(handlerSrc) {
		t.Errorf("the duplicate replaced the first file")
	}
}

func TestPythonFilesAndFile(t *testing.T) {
	b, _ := FromFiles(map[string][]byte{"handler.py": handlerSrc, "a/b.py": nil, "req.txt": nil, "c.pyc": nil}, "", Limits{})
	var got []string
	for _, f := range b.PythonFiles() {
		got = append(got, f.Path)
	}
	if fmt.Sprint(got) != "[a/b.py handler.py]" {
		t.Errorf("PythonFiles = %v", got)
	}
	if b.File("./a/b.py") == nil || b.File("a") != nil || b.File("../handler.py") != nil || b.File("") != nil {
		t.Errorf("File lookups wrong")
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{100: "100 B", 10 << 20: "10 MiB", 12900000: "12.3 MiB", 512 << 10: "512 KiB", 1 << 30: "1 GiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func FuzzFromZip(f *testing.F) {
	f.Add(makeZip(f, []zent{{name: "handler.py", data: handlerSrc}, {name: "../x", data: []byte("y")}}))
	f.Add(makeZip(f, []zent{{name: "myfn/handler.py", data: handlerSrc, method: zip.Store}, {name: "l", mode: fs.ModeSymlink}}))
	f.Add(rawZip(f, "handler.py", deflated(f, 1<<20), 1000, 0))
	for _, name := range []string{"zipped-folder.zip", "windows-backslash.zip", "traversal.zip"} {
		if data, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxFiles: 50, MaxTotalBytes: 4 << 20, MaxFileBytes: 1 << 20}
		b, err := FromZip(data, "", lim)
		if err != nil {
			return
		}
		var total int64
		for i, f := range b.Files {
			if c, r := cleanName(f.Path); r != "" || c != f.Path {
				t.Fatalf("unclean path %q", f.Path)
			}
			if i > 0 && b.Files[i-1].Path >= f.Path {
				t.Fatalf("files not sorted and unique")
			}
			total += int64(len(f.Data))
		}
		if len(b.Files) > lim.MaxFiles || total > lim.MaxTotalBytes {
			t.Fatalf("limits exceeded: %d files, %d bytes", len(b.Files), total)
		}
		if b.Handler != "" && b.File(b.Handler) == nil {
			t.Fatalf("handler %q not in files", b.Handler)
		}
	})
}

func BenchmarkFromZip(b *testing.B) {
	var entries []zent
	src := bytes.Repeat([]byte("def f(x):\n    return client.time_series.retrieve(id=x)\n"), 200)
	for i := range 200 {
		entries = append(entries, zent{name: fmt.Sprintf("myfn/pkg/m%03d.py", i), data: src})
	}
	entries = append(entries, zent{name: "myfn/handler.py", data: handlerSrc})
	data := makeZip(b, entries)
	b.SetBytes(int64(len(src) * 200))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromZip(data, "", Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A zip with more entries than could ever be read is refused before
// archive/zip loads its central directory (which costs ~330 bytes of memory
// per entry whatever the limits say).
func TestFromZipRefusesEntryFloods(t *testing.T) {
	var entries []zent
	for i := range 2001 {
		entries = append(entries, zent{name: fmt.Sprintf("e%05d", i), method: zip.Store})
	}
	_, err := FromZip(makeZip(t, entries), "handler.py", Limits{MaxFiles: 200})
	if err == nil || !strings.Contains(err.Error(), "zip has 2001 entries, over the limit of 2000 (10 × max files)") {
		t.Fatalf("err = %v, want the entry-count refusal", err)
	}
	// At the limit the archive is read (files over MaxFiles skipped as usual).
	if _, err := FromZip(makeZip(t, entries[:2000]), "handler.py", Limits{MaxFiles: 200}); err != nil {
		t.Fatalf("2000 entries: %v", err)
	}
}
