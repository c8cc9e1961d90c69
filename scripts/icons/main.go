// Command icons draws Preflight's toolbar and store icons: a white shield with
// a blue check mark on a rounded square in Preflight blue, at every size the
// manifest names. Drawing uses integer arithmetic only (supersampled polygons
// and circles), so the PNGs are byte-identical on every machine:
//
//	go run ./scripts/icons extension/icons
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
)

// sizes are the icon sizes of extension/manifest.json.
var sizes = []int{16, 32, 48, 96, 128}

// The design space is design×design units; shapes are given in it.
const design = 1024

// sub is the number of samples per pixel along each axis.
const sub = 8

// Colours of the mark.
var (
	blue  = color.NRGBA{0x1a, 0x56, 0xdb, 0xff} // Preflight blue
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// point is a vertex in design units.
type point struct{ x, y int64 }

// The background: a rounded square filling the canvas.
const cornerRadius = 224

// shield is the outline of the shield, clockwise from the top centre.
var shield = []point{
	{512, 150}, {620, 196}, {800, 236}, {800, 520}, {784, 612}, {740, 700},
	{672, 778}, {592, 838}, {512, 880}, {432, 838}, {352, 778}, {284, 700},
	{240, 612}, {224, 520}, {224, 236}, {404, 196},
}

// check is the check mark: two thick strokes and a joint that fills the
// notch between them.
var check = [][]point{
	{{346, 546}, {406, 486}, {512, 594}, {452, 654}},
	{{452, 594}, {648, 378}, {712, 436}, {516, 654}},
	{{482, 580}, {530, 624}, {482, 672}, {434, 624}},
}

// smallCheck is the check alone, bolder, for sizes where the shield would
// be a blur: white on blue.
var smallCheck = [][]point{
	{{196, 560}, {286, 470}, {470, 656}, {380, 746}},
	{{380, 566}, {730, 232}, {824, 324}, {472, 746}},
	{{426, 610}, {514, 700}, {426, 790}, {336, 700}},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: icons DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	for _, size := range sizes {
		var buf bytes.Buffer
		if err := png.Encode(&buf, draw(size)); err != nil {
			fmt.Fprintf(os.Stderr, "icons: encode %d: %v\n", size, err)
			os.Exit(1)
		}
		name := filepath.Join(dir, fmt.Sprintf("icon-%d.png", size))
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "icons: %v\n", err)
			os.Exit(1)
		}
	}
}

// draw renders the icon at size×size pixels.
func draw(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	// A sample at sub-pixel (sx, sy) of the n×n grid sits at design
	// coordinate (2*s+1)*design / (2*n); compare in units scaled by 2n.
	n := int64(size * sub)
	scale := 2 * n
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var r, g, b, a int64 // premultiplied sums
			for j := 0; j < sub; j++ {
				for i := 0; i < sub; i++ {
					px := (2*int64(x*sub+i) + 1) * design
					py := (2*int64(y*sub+j) + 1) * design
					c, ok := sample(size, px, py, scale)
					if !ok {
						continue
					}
					r += int64(c.R)
					g += int64(c.G)
					b += int64(c.B)
					a += 255
				}
			}
			if a == 0 {
				continue
			}
			// Un-premultiply: every covered sample is opaque.
			covered := a / 255
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8((r + covered/2) / covered),
				G: uint8((g + covered/2) / covered),
				B: uint8((b + covered/2) / covered),
				A: uint8((a + sub*sub/2) / (sub * sub)),
			})
		}
	}
	return img
}

// sample returns the colour at (px, py), given in design units times scale,
// and whether the point is inside the icon at all.
func sample(size int, px, py, scale int64) (color.NRGBA, bool) {
	if !inRoundedSquare(px, py, scale) {
		return color.NRGBA{}, false
	}
	if size < 48 {
		if inAny(smallCheck, px, py, scale) {
			return white, true
		}
		return blue, true
	}
	if inPolygon(shield, px, py, scale) && !inAny(check, px, py, scale) {
		return white, true
	}
	return blue, true
}

// inRoundedSquare reports whether (px, py) lies in the background square.
func inRoundedSquare(px, py, scale int64) bool {
	r := cornerRadius * scale
	lo, hi := r, (design-cornerRadius)*scale
	cx := min(max(px, lo), hi)
	cy := min(max(py, lo), hi)
	dx, dy := px-cx, py-cy
	return dx*dx+dy*dy <= r*r
}

// inAny reports whether (px, py) lies in one of the polygons.
func inAny(polys [][]point, px, py, scale int64) bool {
	for _, p := range polys {
		if inPolygon(p, px, py, scale) {
			return true
		}
	}
	return false
}

// inPolygon is the even-odd rule with exact integer cross products.
func inPolygon(poly []point, px, py, scale int64) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		ax, ay := poly[i].x*scale, poly[i].y*scale
		bx, by := poly[j].x*scale, poly[j].y*scale
		if (ay > py) == (by > py) {
			continue
		}
		// Does the edge cross the horizontal ray to the right of px?
		// x at py = ax + (py-ay)*(bx-ax)/(by-ay); compare without dividing.
		lhs := (px - ax) * (by - ay)
		rhs := (py - ay) * (bx - ax)
		if by-ay > 0 {
			if lhs < rhs {
				in = !in
			}
		} else if lhs > rhs {
			in = !in
		}
	}
	return in
}
