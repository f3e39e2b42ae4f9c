package analysis

// Charts for the dashboard and the downloads.
//
// Every chart is built from a plain data spec (NewBarChart, NewDistributionChart,
// NewStackedBarChart, NewMap), keeps its data as a table for an accessible
// alternative beside the picture, and renders on demand to SVG or PNG with
// gonum.org/v1/plot. Rendering is deterministic: the same spec gives the same
// bytes. Charts hold no shared mutable state and may be rendered concurrently.
//
// Layout: every chart is chartWidth points wide (600 pt = 800 px at 96 dpi), with
// the title on top, the chart body below, and notes (sample size, source,
// attribution) in small grey type at the bottom.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"bedarf/survey"
)

const (
	// chartWidth is the width of every chart: 600 pt, i.e. 800 px at 96 dpi.
	chartWidth = vg.Length(600)
	// chartMargin is the white border around the chart content.
	chartMargin = vg.Length(14)
	// chartDPI is the PNG resolution at scale 1 (600 pt → 800 px).
	chartDPI = 96
	// chartPNGWidth is the width of PNG() output in pixels.
	chartPNGWidth = 800
)

// NoDataText is the note a chart shows instead of its body when there is
// nothing to draw.
const NoDataText = "Es liegen keine Daten vor."

// Chart is a chart ready to be rendered as SVG or PNG, together with its data
// as a table. Build one with NewBarChart, NewDistributionChart,
// NewStackedBarChart or NewMap. A Chart is immutable and safe for concurrent use.
type Chart struct {
	title  string
	desc   string
	table  ChartTable
	notes  []string
	legend []chLegendItem
	// bodyHeight is the height of the chart-specific area between title
	// (and legend) and notes.
	bodyHeight vg.Length
	// body draws the chart-specific area; nil draws the "keine Daten" note.
	body func(c draw.Canvas)
	// lang is the language of the chart's words (BCP 47) for the SVG's
	// lang attribute; "" is German.
	lang string
}

// ChartTable is the data behind a chart, to be shown as a table beside it or
// offered as a download. All cells are display strings in German notation.
type ChartTable struct {
	// Caption names the table (the chart title).
	Caption string
	// Header holds the column headings.
	Header []string
	// Rows holds one slice per row, each as long as Header.
	Rows [][]string
}

// Title returns the chart title as shown above the chart and in the SVG <title>.
func (c *Chart) Title() string { return c.title }

// Description returns the text alternative of the chart as written into the
// SVG <desc>: what the chart shows and its key figures.
func (c *Chart) Description() string { return c.desc }

// Table returns a copy of the data table of the chart.
func (c *Chart) Table() ChartTable {
	t := ChartTable{Caption: c.table.Caption, Header: append([]string(nil), c.table.Header...)}
	for _, r := range c.table.Rows {
		t.Rows = append(t.Rows, append([]string(nil), r...))
	}
	return t
}

// Rows returns the data table as rows of cells, the header row first
// (convenient for CSV).
func (c *Chart) Rows() [][]string {
	t := c.Table()
	return append([][]string{t.Header}, t.Rows...)
}

// Height returns the chart height in pixels at the default PNG width of 800 px
// (the SVG's width and height attributes use the same pixel size).
func (c *Chart) Height() int {
	return int(c.height()/vg.Inch*chartDPI + 0.5)
}

// Width returns the chart width in pixels of PNG() and of the SVG's width
// attribute: 800.
func (c *Chart) Width() int { return chartPNGWidth }

// SVG renders the chart as a standalone SVG document with <title> and <desc>
// (role="img", aria-labelledby) for screen readers, 800×Height() px with a
// viewBox so that it scales. Colours and fonts are presentation attributes,
// not style attributes, so a strict Content-Security-Policy does not strip
// them. Fonts are not embedded; the SVG names Liberation Sans with the
// metric-compatible Arial and sans-serif as fallbacks.
func (c *Chart) SVG() ([]byte, error) {
	cv := vgsvg.New(chartWidth, c.height())
	if err := c.render(cv); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("SVG für %q konnte nicht geschrieben werden: %w", c.title, err)
	}
	return chSVGAccessible(buf.Bytes(), c.title, c.desc, c.lang, c.Width(), c.Height()), nil
}

// SVGInline returns the <svg> element of SVG() alone, without XML
// declaration and comment, for embedding in an HTML page.
func (c *Chart) SVGInline() ([]byte, error) {
	svg, err := c.SVG()
	if err != nil {
		return nil, err
	}
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:]
	}
	return svg, nil
}

// PNG renders the chart as a PNG image 800 px wide.
func (c *Chart) PNG() ([]byte, error) { return c.PNGScaled(1) }

// PNGScaled renders the chart as a PNG image 800×scale px wide (scale 2 for
// high-resolution screens and print). scale must be between 1 and 4.
func (c *Chart) PNGScaled(scale int) ([]byte, error) {
	if scale < 1 || scale > 4 {
		return nil, fmt.Errorf("ungültiger Skalierungsfaktor %d (erlaubt: 1 bis 4)", scale)
	}
	cv := vgimg.NewWith(vgimg.UseWH(chartWidth, c.height()), vgimg.UseDPI(chartDPI*scale))
	if err := c.render(cv); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("PNG für %q konnte nicht geschrieben werden: %w", c.title, err)
	}
	return buf.Bytes(), nil
}

// height is the total chart height in points, rounded up to a multiple of 3 pt
// so that the pixel height at 96 dpi is a whole number.
func (c *Chart) height() vg.Length {
	inner := chartWidth - 2*chartMargin
	h := 2*chartMargin + c.titleHeight(inner)
	if len(c.legend) > 0 {
		h += chLegendHeight(c.legend, inner) + 8
	}
	h += c.effectiveBodyHeight()
	if nh := chNotesHeight(c.notes, inner); nh > 0 {
		h += 8 + nh
	}
	return vg.Length(math.Ceil(float64(h)/3) * 3)
}

func (c *Chart) effectiveBodyHeight() vg.Length {
	if c.body == nil || c.bodyHeight < 60 {
		return 60
	}
	return c.bodyHeight
}

func (c *Chart) titleHeight(inner vg.Length) vg.Length {
	sty := chTextStyle(15, true, chInk)
	lines := chWrap(sty, c.title, inner)
	return vg.Length(len(lines)) * chLineHeight(sty)
}

// render draws the chart on cv. gonum/plot reports some problems by panicking;
// they are returned as errors.
func (c *Chart) render(cv vg.CanvasSizer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Diagramm %q konnte nicht gezeichnet werden: %v", c.title, r)
		}
	}()
	dc := draw.New(cv)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	area := draw.Crop(dc, chartMargin, -chartMargin, chartMargin, -chartMargin)
	inner := area.Max.X - area.Min.X

	// Title, left-aligned, wrapped.
	tsty := chTextStyle(15, true, chInk)
	y := area.Max.Y
	for _, line := range chWrap(tsty, c.title, inner) {
		chFillText(area, tsty, vg.Point{X: area.Min.X, Y: y}, line)
		y -= chLineHeight(tsty)
	}
	// Legend below the title.
	if len(c.legend) > 0 {
		y -= 8
		lh := chLegendHeight(c.legend, inner)
		chDrawLegend(area, c.legend, vg.Rectangle{Min: vg.Point{X: area.Min.X, Y: y - lh}, Max: vg.Point{X: area.Max.X, Y: y}})
		y -= lh
	}
	// Notes at the bottom.
	nsty := chTextStyle(8.5, false, chMuted)
	ny := area.Min.Y
	nlines := chNotesLines(c.notes, inner)
	for i := len(nlines) - 1; i >= 0; i-- {
		ny += chLineHeight(nsty)
		chFillText(area, nsty, vg.Point{X: area.Min.X, Y: ny}, nlines[i])
	}
	// Body between.
	bottom := area.Min.Y
	if len(nlines) > 0 {
		bottom = ny + 8
	}
	body := area
	body.Max.Y = y - 2
	body.Min.Y = bottom
	if c.body == nil {
		sty := chTextStyle(12, false, chMuted)
		sty.XAlign = draw.XCenter
		sty.YAlign = draw.YCenter
		body.FillText(sty, body.Center(), NoDataText)
		return nil
	}
	c.body(body)
	return nil
}

// chFillText draws text with its top-left corner at pt.
func chFillText(c draw.Canvas, sty text.Style, pt vg.Point, s string) {
	sty.XAlign = draw.XLeft
	sty.YAlign = draw.YTop
	c.FillText(sty, pt, s)
}

// ---------------------------------------------------------------------------
// Colours

var (
	chInk   = color.RGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 0xff}
	chMuted = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	chGrid  = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	// chNoData is the fill of "keine Angabe" (with a darker hatch on maps).
	chNoData      = color.RGBA{R: 0xe3, G: 0xe3, B: 0xe3, A: 0xff}
	chNoDataHatch = color.RGBA{R: 0x8c, G: 0x8c, B: 0x8c, A: 0xff}
)

// OkabeIto returns the eight colours of the Okabe–Ito palette, which stay
// distinguishable with the common forms of colour blindness. Categorical
// charts use them in this order (blue first, black last).
func OkabeIto() []color.RGBA {
	return []color.RGBA{
		{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}, // Blau
		{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}, // Orange
		{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}, // Blaugrün
		{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}, // Rötliches Violett
		{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}, // Himmelblau
		{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}, // Zinnoberrot
		{R: 0xf0, G: 0xe4, B: 0x42, A: 0xff}, // Gelb
		{R: 0x00, G: 0x00, B: 0x00, A: 0xff}, // Schwarz
	}
}

// chViridis holds nine evenly spaced samples of the viridis colour map
// (dark violet → yellow); Sequential interpolates between them.
var chViridis = [...]color.RGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x47, 0x2c, 0x7a, 0xff}, {0x3b, 0x51, 0x8b, 0xff},
	{0x2c, 0x71, 0x8e, 0xff}, {0x21, 0x90, 0x8d, 0xff}, {0x27, 0xad, 0x81, 0xff},
	{0x5c, 0xc8, 0x63, 0xff}, {0xaa, 0xdc, 0x32, 0xff}, {0xfd, 0xe7, 0x25, 0xff},
}

// Sequential returns n colours of the colour-blind-safe viridis map ordered
// from low (light yellow) to high (dark violet), for ordered levels and value
// classes. The darkest end is left out so that the top class is not near-black.
func Sequential(n int) []color.RGBA {
	if n <= 0 {
		return nil
	}
	out := make([]color.RGBA, n)
	for k := range n {
		t := 0.5
		if n > 1 {
			t = 1 - float64(k)/float64(n-1)*0.92 // 1 (yellow) … 0.08 (violet)
		}
		out[k] = chViridisAt(t)
	}
	return out
}

func chViridisAt(t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	pos := t * float64(len(chViridis)-1)
	i := int(math.Floor(pos))
	if i >= len(chViridis)-1 {
		return chViridis[len(chViridis)-1]
	}
	f := pos - float64(i)
	a, b := chViridis[i], chViridis[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*f)) }
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}

// chCategorical returns n Okabe–Ito colours (repeating after eight).
func chCategorical(n int) []color.RGBA {
	p := OkabeIto()
	out := make([]color.RGBA, n)
	for i := range out {
		out[i] = p[i%len(p)]
	}
	return out
}

// chTextOn returns black or white, whichever reads better on bg.
func chTextOn(bg color.Color) color.Color {
	r, g, b, _ := bg.RGBA()
	lin := func(v uint32) float64 {
		c := float64(v) / 0xffff
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	// Contrast with black (l+0.05)/0.05 vs. with white 1.05/(l+0.05).
	if (l+0.05)/0.05 >= 1.05/(l+0.05) {
		return chInk
	}
	return color.White
}

// ---------------------------------------------------------------------------
// Text

// chFont returns the Liberation Sans font at size points.
func chFont(size float64, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: font.Points(size)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return f
}

// chTextStyle returns a text style with Liberation Sans (which has all German
// letters) at size points.
func chTextStyle(size float64, bold bool, col color.Color) text.Style {
	return text.Style{
		Color:   col,
		Font:    chFont(size, bold),
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
		Handler: chText(),
	}
}

func chLineHeight(sty text.Style) vg.Length {
	return sty.Font.Size * 1.2
}

// chWrap breaks s into lines no wider than max, at spaces and after hyphens
// and slashes inside words; words longer than a line are broken with a hyphen.
// Existing line breaks are kept.
func chWrap(sty text.Style, s string, max vg.Length) []string {
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(s), "\n") {
		line := ""
		for _, t := range chTokens(para) {
			cand := t.s
			if line != "" {
				if t.space {
					cand = line + " " + t.s
				} else {
					cand = line + t.s
				}
			}
			if sty.Width(cand) <= max {
				line = cand
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			w := t.s
			for sty.Width(w) > max && len([]rune(w)) > 2 {
				r := []rune(w)
				cut := len(r) - 1
				for cut > 1 && sty.Width(string(r[:cut])+"-") > max {
					cut--
				}
				out = append(out, string(r[:cut])+"-")
				w = string(r[cut:])
			}
			line = w
		}
		if line != "" || len(out) == 0 {
			out = append(out, line)
		}
	}
	return out
}

type chToken struct {
	s     string
	space bool // preceded by a space
}

// chTokens splits a paragraph into words; a word also ends after an inner '-'
// or '/' so that compounds like "Aufenthalts-/Asylrecht" can break there.
func chTokens(p string) []chToken {
	var out []chToken
	for _, f := range strings.Fields(p) {
		first := true
		for f != "" {
			i := strings.IndexAny(f, "-/")
			if i <= 0 || i == len(f)-1 {
				out = append(out, chToken{f, first})
				break
			}
			out = append(out, chToken{f[:i+1], first})
			f = f[i+1:]
			first = false
		}
	}
	return out
}

func chNotesLines(notes []string, inner vg.Length) []string {
	sty := chTextStyle(8.5, false, chMuted)
	var out []string
	for _, n := range notes {
		if strings.TrimSpace(n) != "" {
			out = append(out, chWrap(sty, n, inner)...)
		}
	}
	return out
}

func chNotesHeight(notes []string, inner vg.Length) vg.Length {
	return vg.Length(len(chNotesLines(notes, inner))) * chLineHeight(chTextStyle(8.5, false, chMuted))
}

// ---------------------------------------------------------------------------
// Legend (flow layout: swatch and label, left to right, wrapping)

type chLegendItem struct {
	label string
	fill  color.Color
	// hatch draws the "keine Angabe" pattern over the fill.
	hatch bool
	// marker draws a map marker instead of a swatch.
	marker bool
}

const (
	chSwatch    = vg.Length(11)
	chLegendGap = vg.Length(16)
)

func chLegendStyle() text.Style { return chTextStyle(9.5, false, chInk) }

// chLegendLayout places the items in rows no wider than max and returns, per
// item, its row and x offset.
func chLegendLayout(items []chLegendItem, max vg.Length) (rows []int, xs []vg.Length) {
	sty := chLegendStyle()
	row, x := 0, vg.Length(0)
	for _, it := range items {
		w := chSwatch + 5 + sty.Width(it.label)
		if x > 0 && x+w > max {
			row++
			x = 0
		}
		rows = append(rows, row)
		xs = append(xs, x)
		x += w + chLegendGap
	}
	return rows, xs
}

func chLegendHeight(items []chLegendItem, max vg.Length) vg.Length {
	if len(items) == 0 {
		return 0
	}
	rows, _ := chLegendLayout(items, max)
	return vg.Length(rows[len(rows)-1]+1) * 17
}

func chDrawLegend(c draw.Canvas, items []chLegendItem, r vg.Rectangle) {
	rows, xs := chLegendLayout(items, r.Max.X-r.Min.X)
	sty := chLegendStyle()
	sty.YAlign = draw.YCenter
	for i, it := range items {
		cy := r.Max.Y - vg.Length(rows[i])*17 - 8
		x := r.Min.X + xs[i]
		chDrawSwatch(c, it, vg.Rectangle{Min: vg.Point{X: x, Y: cy - chSwatch/2}, Max: vg.Point{X: x + chSwatch, Y: cy + chSwatch/2}})
		c.FillText(sty, vg.Point{X: x + chSwatch + 5, Y: cy}, it.label)
	}
}

func chDrawSwatch(c draw.Canvas, it chLegendItem, r vg.Rectangle) {
	if it.marker {
		chDrawMarker(c, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2})
		return
	}
	c.SetColor(it.fill)
	c.Fill(r.Path())
	if it.hatch {
		ring := []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
		chHatch(c, [][]vg.Point{ring})
	}
	c.SetColor(chMuted)
	c.SetLineWidth(0.5)
	c.SetLineDash(nil, 0)
	c.Stroke(r.Path())
}

// ---------------------------------------------------------------------------
// Numbers

// FormatDecimalDE formats v in German notation with the given number of
// decimals: decimal comma and a dot between thousands ("1.234,5").
func FormatDecimalDE(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return survey.FormatFixedDE(v, max(decimals, 0))
}

// FormatNumberDE formats v in German notation with as many decimals as it
// needs, at most two ("12", "12,5", "0,33", "1.234").
func FormatNumberDE(v float64) string {
	return FormatDecimalDE(v, chDecimals(v, 2))
}

// FormatPercentDE formats a share (0.238) as a German percentage with one
// decimal ("23,8 %").
func FormatPercentDE(share float64) string {
	return FormatDecimalDE(share*100, 1) + "\u00a0%"
}

// chDecimals returns how many decimals (at most max) v needs.
func chDecimals(v float64, max int) int {
	for d := 0; d < max; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(math.Round(v*p)-v*p) < 1e-9*math.Max(1, math.Abs(v*p)) {
			return d
		}
	}
	return max
}

// chNiceStep returns a "nice" step (1, 2, 2.5 or 5 × 10^k) so that span is
// covered by about target steps; integer steps are at least 1.
func chNiceStep(span float64, target int, integer bool) float64 {
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(target)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	if integer {
		step = math.Max(1, math.Round(step))
		if step == 3 { // 2.5 rounded: keep the sequence nice
			step = 2
		}
	}
	return step
}

// chNiceMax returns the smallest multiple of a nice step that is ≥ max.
func chNiceMax(max float64, integer bool) float64 {
	if max <= 0 {
		return 1
	}
	step := chNiceStep(max, 5, integer)
	return math.Ceil(max/step-1e-9) * step
}

// chTicker marks an axis with nice steps, labelled in German notation.
type chTicker struct {
	integer bool
	target  int
}

// Ticks implements plot.Ticker.
func (t chTicker) Ticks(min, max float64) []plot.Tick {
	target := t.target
	if target <= 0 {
		target = 5
	}
	step := chNiceStep(max-min, target, t.integer)
	dec := chDecimals(step, 6)
	first := math.Ceil(min/step - 1e-9)
	var ticks []plot.Tick
	for i := 0; i < 1000; i++ {
		v := (first + float64(i)) * step
		if v > max+step*1e-9 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: FormatDecimalDE(v, dec)})
	}
	return ticks
}

// chStyleAxes gives a plot's axes the chart fonts and colours.
func chStyleAxes(p *plot.Plot) {
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = chFont(10, false)
		a.Label.TextStyle.Color = chInk
		a.Label.TextStyle.Handler = chText()
		a.Tick.Label.Font = chFont(9.5, false)
		a.Tick.Label.Color = chInk
		a.Tick.Label.Handler = chText()
		a.Tick.LineStyle = draw.LineStyle{Color: chMuted, Width: 0.5}
		a.LineStyle = draw.LineStyle{Color: chMuted, Width: 0.5}
		a.Tick.Length = 3
		a.Label.Padding = 4
	}
	p.Title.Text = ""
	p.BackgroundColor = nil
	p.TextHandler = chText()
	p.Legend.TextStyle.Font = chFont(9.5, false)
	p.Legend.TextStyle.Handler = chText()
}

// chGridLines draws light grid lines at the major ticks of an axis.
type chGridLines struct {
	vertical bool // lines at X ticks (vertical lines)
}

// Plot implements plot.Plotter.
func (g chGridLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := draw.LineStyle{Color: chGrid, Width: 0.6}
	if g.vertical {
		for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if t.Label == "" || t.Value < p.X.Min || t.Value > p.X.Max {
				continue
			}
			x := trX(t.Value)
			c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
		}
		return
	}
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if t.Label == "" || t.Value < p.Y.Min || t.Value > p.Y.Max {
			continue
		}
		y := trY(t.Value)
		c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
	}
}

// ---------------------------------------------------------------------------
// SVG accessibility

var chSVGOpenTag = regexp.MustCompile(`<svg\b[^>]*>`)
var chSVGSize = regexp.MustCompile(`\s(width|height)="[^"]*"`)

// chLangRe accepts a language tag of letters, digits and hyphens only.
var chLangRe = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// chSVGAccessible inserts <title> and <desc> right after the opening <svg> tag,
// adds role="img", aria-labelledby and lang (German when empty), sets width and height in
// pixels, and rewrites style attributes as presentation attributes.
func chSVGAccessible(svg []byte, title, desc, lang string, wpx, hpx int) []byte {
	loc := chSVGOpenTag.FindIndex(svg)
	if loc == nil {
		return svg
	}
	sum := sha256.Sum256([]byte(title + "\x00" + desc))
	id := "diagramm-" + hex.EncodeToString(sum[:6])

	open := string(svg[loc[0] : loc[1]-1]) // without '>'
	open = chSVGSize.ReplaceAllStringFunc(open, func(m string) string {
		if strings.Contains(m, "width") {
			return fmt.Sprintf(` width="%d"`, wpx)
		}
		return fmt.Sprintf(` height="%d"`, hpx)
	})

	var b bytes.Buffer
	b.Grow(len(svg) + len(title) + len(desc) + 300)
	b.Write(svg[:loc[0]])
	b.WriteString(open)
	fmt.Fprintf(&b, ` role="img" lang="%s" aria-labelledby="%s-title %s-desc">`, chDefault(chLangRe.FindString(lang), "de"), id, id)
	fmt.Fprintf(&b, "\n<title id=\"%s-title\">", id)
	chXMLEscape(&b, title)
	fmt.Fprintf(&b, "</title>\n<desc id=\"%s-desc\">", id)
	chXMLEscape(&b, desc)
	b.WriteString("</desc>")
	b.Write(chSVGAnchors(chSVGStyle.ReplaceAllFunc(svg[loc[1]:], chSVGPresentation)))
	return b.Bytes()
}

var chSVGStyle = regexp.MustCompile(`style="[^"]*"`)

// chSVGPresentation turns a style attribute into presentation attributes
// (fill="…" stroke="…"), which a Content-Security-Policy without
// 'unsafe-inline' does not block, and gives the Liberation font family
// web-safe fallbacks.
func chSVGPresentation(attr []byte) []byte {
	decls := strings.TrimSuffix(strings.TrimPrefix(string(attr), `style="`), `"`)
	var b strings.Builder
	for _, d := range strings.Split(decls, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(d), ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" || k == "font-variant" && v == "none" {
			continue
		}
		if k == "font-family" && v == "Liberation Sans" {
			v = "'Liberation Sans', Arial, Helvetica, sans-serif"
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, `%s="%s"`, k, strings.ReplaceAll(v, `"`, "&quot;"))
	}
	return []byte(b.String())
}

func chXMLEscape(b *bytes.Buffer, s string) {
	// Drop characters XML 1.0 cannot carry at all.
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xfffe && r != 0xffff {
			return r
		}
		return -1
	}, s)
	_ = xml.EscapeText(b, []byte(s)) // bytes.Buffer writes do not fail
}

// chCountWord returns "1 Kommune" / "3 Kommunen" style phrases.
func chCountWord(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return FormatDecimalDE(float64(n), 0) + " " + many
}
