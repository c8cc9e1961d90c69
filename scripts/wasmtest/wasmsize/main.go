// Command wasmsize shows what makes a Go wasm binary heavy: the size of each
// section and the function-body bytes of each Go package, largest first,
// from the module's name section (build without -s -w to keep it):
//
//	wasmsize [-n 25] module.wasm
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("n", 25, "packages to list")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-n N] module.wasm")
		os.Exit(2)
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err == nil {
		err = report(b, *top)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

var sectionNames = map[byte]string{0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
	6: "global", 7: "export", 9: "element", 10: "code", 11: "data"}

type reader struct {
	b   []byte
	off int
}

var errShort = errors.New("truncated module")

func (r *reader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errShort
	}
	r.off++
	return r.b[r.off-1], nil
}

func (r *reader) uleb() (int, error) {
	var v, shift int
	for shift < 35 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= int(c&0x7f) << shift
		if c < 0x80 {
			return v, nil
		}
		shift += 7
	}
	return 0, errors.New("bad LEB128")
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || r.off+n > len(r.b) {
		return nil, errShort
	}
	r.off += n
	return r.b[r.off-n : r.off], nil
}

func report(b []byte, top int) error {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return errors.New("not a wasm module")
	}
	r := &reader{b: b, off: 8}
	var bodies []int
	imports := 0
	names := map[int]string{}
	fmt.Printf("%-10s %10s\n", "section", "bytes")
	for r.off < len(b) {
		id, err := r.byte()
		if err != nil {
			return err
		}
		size, err := r.uleb()
		if err != nil {
			return err
		}
		body, err := r.bytes(size)
		if err != nil {
			return err
		}
		s := &reader{b: body}
		label := sectionNames[id]
		switch id {
		case 0:
			n, _ := s.uleb()
			nm, _ := s.bytes(n)
			label = "custom:" + string(nm)
			if string(nm) == "name" {
				readNames(s, names)
			}
		case 2:
			imports, err = countFuncImports(s)
		case 10:
			n, _ := s.uleb()
			for i := 0; i < n && err == nil; i++ {
				var l int
				if l, err = s.uleb(); err == nil {
					_, err = s.bytes(l)
					bodies = append(bodies, l)
				}
			}
		}
		if err != nil {
			return fmt.Errorf("section %s: %w", label, err)
		}
		fmt.Printf("%-10s %10d\n", label, size)
	}
	if len(names) == 0 {
		fmt.Println("(no name section: build without -ldflags=-s -w for the per-package table)")
		return nil
	}
	byPkg := map[string]int{}
	for i, l := range bodies {
		byPkg[pkgOf(names[imports+i])] += l
	}
	pkgs := make([]string, 0, len(byPkg))
	for p := range byPkg {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool {
		if byPkg[pkgs[i]] != byPkg[pkgs[j]] {
			return byPkg[pkgs[i]] > byPkg[pkgs[j]]
		}
		return pkgs[i] < pkgs[j]
	})
	fmt.Printf("\n%10s  %s\n", "code bytes", "package")
	for i, p := range pkgs {
		if i == top {
			break
		}
		fmt.Printf("%10d  %s\n", byPkg[p], p)
	}
	return nil
}

// countFuncImports counts the function imports (they take the first
// function indices).
func countFuncImports(s *reader) (int, error) {
	n, err := s.uleb()
	funcs := 0
	for i := 0; i < n && err == nil; i++ {
		for k := 0; k < 2 && err == nil; k++ { // module, name
			var l int
			if l, err = s.uleb(); err == nil {
				_, err = s.bytes(l)
			}
		}
		var kind byte
		if err == nil {
			kind, err = s.byte()
		}
		if err != nil {
			break
		}
		switch kind {
		case 0:
			funcs++
			_, err = s.uleb()
		case 1: // table: reftype, limits
			if _, err = s.byte(); err == nil {
				err = skipLimits(s)
			}
		case 2:
			err = skipLimits(s)
		case 3:
			_, err = s.bytes(2)
		}
	}
	return funcs, err
}

func skipLimits(s *reader) error {
	flag, err := s.byte()
	if err != nil {
		return err
	}
	if _, err = s.uleb(); err == nil && flag&1 != 0 {
		_, err = s.uleb()
	}
	return err
}

// readNames reads the function names subsection of a name section.
func readNames(s *reader, names map[int]string) {
	for s.off < len(s.b) {
		sub, err := s.byte()
		if err != nil {
			return
		}
		size, err := s.uleb()
		if err != nil {
			return
		}
		body, err := s.bytes(size)
		if err != nil || sub != 1 {
			continue
		}
		t := &reader{b: body}
		n, _ := t.uleb()
		for i := 0; i < n; i++ {
			idx, err1 := t.uleb()
			l, err2 := t.uleb()
			nm, err3 := t.bytes(l)
			if err1 != nil || err2 != nil || err3 != nil {
				return
			}
			names[idx] = string(nm)
		}
	}
}

// pkgOf returns the package of a Go wasm function name
// ("github.com_x_y_pkg.(*T).M" → "github.com_x_y_pkg").
func pkgOf(name string) string {
	if name == "" {
		return "?"
	}
	start := 0
	if i := strings.LastIndex(name, "/"); i >= 0 {
		start = i
	}
	if strings.HasPrefix(name, "github.com") || strings.HasPrefix(name, "golang.org") {
		start = len("github.com")
	}
	if j := strings.IndexByte(name[start:], '.'); j >= 0 {
		return name[:start+j]
	}
	return name
}
