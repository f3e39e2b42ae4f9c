package analysis

// Text that stays readable whatever fonts the viewer has.
//
// An SVG chart is shown as <img>, which loads no web fonts: the browser sets
// its text in the viewer's own fonts. The charts name Liberation Sans (and
// the metric-compatible Arial), but a machine without them falls back to a
// wider font such as DejaVu Sans (up to 27 % wider in bold, see
// chWidthReserve). So every chart measures text as chWidthReserve times its
// Liberation width: wrapping, legends, axis margins and the space at bar
// ends all leave that room. And right-aligned or centred text is anchored
// in the SVG (text-anchor="end"/"middle") instead of placed by its
// Liberation width, so that a wider font grows away from what it labels,
// into the room left for it, never across it.

import (
	"math"
	"regexp"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// chWidthReserve is how much wider than Liberation Sans any text may be set.
// DejaVu Sans, the common fallback on Linux and the widest of the usual sans
// fonts (Verdana has nearly its metrics), is 4–25 % wider than Liberation
// Sans in regular and 16–27 % in bold (measured over the charts' labels,
// digits and extreme strings such as "iiiilll" and "WWWWMMMM").
const chWidthReserve = 1.3

// Private-use marks that chTextHandler puts before a text drawn on an SVG
// canvas to carry its anchor; chSVGAnchors turns them into text-anchor.
const (
	chAnchorEnd    = "\ue000"
	chAnchorMiddle = "\ue001"
)

// chTextHandler is text.Plain with widths reserved for wider fonts (Box) and,
// on an SVG canvas, anchored alignment (Draw).
type chTextHandler struct {
	text.Plain
}

// chText is the text handler of every chart.
func chText() text.Handler { return chTextHandler{text.Plain{Fonts: font.DefaultCache}} }

// Box implements text.Handler: the Liberation width times chWidthReserve.
func (h chTextHandler) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	w, ht, d := h.Plain.Box(txt, fnt)
	return w * chWidthReserve, ht, d
}

// Extents implements text.Handler: lines of a multi-line text are 1.2 em
// apart (at least), room enough for the taller line boxes of wider fonts.
func (h chTextHandler) Extents(fnt font.Font) font.Extents {
	e := h.Plain.Extents(fnt)
	e.Height = max(e.Height, fnt.Size*1.2)
	return e
}

// Draw implements text.Handler. It draws each line Extents().Height below
// the one before, at its anchor: on an SVG canvas right-aligned and centred
// lines are placed at their right edge or centre and marked for
// text-anchor; elsewhere (PNG, where Liberation Sans itself is drawn) they
// are placed by their width.
func (h chTextHandler) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	_, svg := chBaseCanvas(c).(*vgsvg.Canvas)
	mark := ""
	switch {
	case !svg || sty.XAlign == draw.XLeft:
	case sty.XAlign == draw.XRight:
		mark = chAnchorEnd
	case sty.XAlign == draw.XCenter:
		mark = chAnchorMiddle
	default:
		svg = false // another alignment: placed by its width
	}
	fnt := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	sin, cos := vg.Length(sin64), vg.Length(cos64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	ext := h.Extents(sty.Font)
	ht := sty.Height(txt)
	// The first baseline: the text's top edge less the ascent.
	y := pt.Y + ht*vg.Length(sty.YAlign) + ht - ext.Ascent
	for i, line := range h.Lines(txt) {
		x := pt.X
		if !svg {
			x += vg.Length(sty.XAlign) * fnt.Width(line)
		}
		c.FillString(fnt, vg.Point{X: x, Y: y - vg.Length(i)*ext.Height}, mark+line)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

// chBaseCanvas returns the canvas that draw.Canvas (as FillText passes it
// to the handler) wraps.
func chBaseCanvas(c vg.Canvas) vg.Canvas {
	for {
		switch dc := c.(type) {
		case *draw.Canvas:
			c = dc.Canvas
		case draw.Canvas:
			c = dc.Canvas
		default:
			return c
		}
	}
}

var chSVGAnchored = regexp.MustCompile(`<text\b([^>]*)>(` + chAnchorEnd + `|` + chAnchorMiddle + `)`)

// chSVGAnchors turns the anchor marks of chTextHandler into text-anchor
// attributes.
func chSVGAnchors(svg []byte) []byte {
	return chSVGAnchored.ReplaceAllFunc(svg, func(m []byte) []byte {
		sub := chSVGAnchored.FindSubmatch(m)
		anchor := "end"
		if string(sub[2]) == chAnchorMiddle {
			anchor = "middle"
		}
		return []byte(`<text` + string(sub[1]) + ` text-anchor="` + anchor + `">`)
	})
}
