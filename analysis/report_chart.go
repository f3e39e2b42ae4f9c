package analysis

// The chart of one figure of a Kommune's report: the others' middle half
// as a box, their median as a line, the Kommune's own value as a marked
// diamond.
//
// Why a box and no points: every point of another Kommune is a single
// value, and in a region of twenty Kommunen a neighbour knows which
// Kommune is large, which is small — a dot plot's extreme points (or a
// box plot's whiskers and outliers, which are the minimum and maximum)
// would give away single Kommunen's answers. The box shows only the
// quartiles and the median over at least MinGroup others, the same
// aggregates as the table; the axis range comes from those and the own
// value, never from the others' minimum or maximum. With fewer than
// MinGroup others there is no chart at all.
//
// The value axis is marked only at the quartiles, the median and the own
// value (labelled with their values), not at nice steps: every number in
// the picture is then one the table beside it gives too, and a test can
// check that no other number is in it.
//
// The own value is told apart by shape (a diamond with a dark outline on a
// light box) and by a direct label, not by colour alone (WCAG 1.4.1).

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"bedarf/survey"
)

// ReportChartText holds the words of a report chart in the page's
// language (numbers are in German notation, like all charts).
type ReportChartText struct {
	// Title heads the chart (the figure's label).
	Title string
	// ValueLabel labels the value axis (the figure's unit).
	ValueLabel string
	// Own labels the own value, e.g. "Ihre Kommune".
	Own string
	// Median labels the median line, e.g. "Median".
	Median string
	// Kind opens the text alternative, e.g. "Kastendiagramm".
	Kind string
	// Others describes the box for the text alternative, e.g. "andere
	// Kommunen"; Q1 and Q3 name the quartiles.
	Others, Q1, Q3 string
	// Position is the own value's position in words ("" when none).
	Position string
	// NotAnswered stands for a missing own value.
	NotAnswered string
	// Notes go under the chart, e.g. what box, line and diamond mean.
	Notes []string
	// Lang is the language of these words (BCP 47, e.g. "en") for the
	// SVG's lang attribute; "" is German.
	Lang string
}

// GermanReportChartText returns the German words of a figure's chart,
// for the workbook and the command line; pages pass their own.
func GermanReportChartText(f ReportFigure) ReportChartText {
	return ReportChartText{
		Title: f.Label.String(), ValueLabel: f.Unit.String(), Own: "Ihre Kommune", Median: "Median",
		Kind: "Kastendiagramm", Others: "andere Kommunen", Q1: "unteres Quartil", Q3: "oberes Quartil",
		Position: f.Position.Message().String(), NotAnswered: "nicht angegeben",
		Lang:  "de",
		Notes: []string{fmt.Sprintf("Kasten: mittlere Hälfte der Werte von %d anderen Kommunen (unteres bis oberes Quartil), Strich: deren Median, Raute: Ihre Kommune. Einzelwerte anderer Kommunen werden nicht gezeigt.", f.N)},
	}
}

// ErrNoComparison is returned by ReportFigure.Chart for a figure without
// comparison (too few other Kommunen): there is no chart then.
var ErrNoComparison = errors.New("kein Vergleich: zu wenige andere Kommunen")

// Chart draws the figure: the others' quartiles as a box with the median,
// the own value as a labelled diamond. A figure without comparison has no
// chart (ErrNoComparison).
func (f ReportFigure) Chart(txt ReportChartText) (*Chart, error) {
	if !f.Compared {
		return nil, ErrNoComparison
	}
	for _, v := range []float64{f.Q1, f.Median, f.Q3, f.Own} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("Diagramm %q: ungültiger Wert", txt.Title)
		}
	}
	txt.Title, txt.ValueLabel, txt.Own, txt.Median = survey.SafeText(txt.Title), survey.SafeText(txt.ValueLabel), survey.SafeText(txt.Own), survey.SafeText(txt.Median)
	txt.Kind, txt.Others, txt.Q1, txt.Q3 = survey.SafeText(txt.Kind), survey.SafeText(txt.Others), survey.SafeText(txt.Q1), survey.SafeText(txt.Q3)
	txt.Position, txt.NotAnswered, txt.Notes = survey.SafeText(txt.Position), survey.SafeText(txt.NotAnswered), chSafe(txt.Notes)

	own := txt.NotAnswered
	if f.OwnAnswered {
		own = FormatNumberDE(f.Own)
		if txt.Position != "" {
			own += " (" + txt.Position + ")"
		}
	}
	c := &Chart{title: txt.Title, notes: txt.Notes, lang: txt.Lang}
	c.desc = fmt.Sprintf("%s: %s. %s (n = %d): %s %s, %s %s, %s %s. %s: %s.", txt.Kind, txt.Title, txt.Others, f.N,
		txt.Q1, FormatNumberDE(f.Q1), txt.Median, FormatNumberDE(f.Median), txt.Q3, FormatNumberDE(f.Q3), txt.Own, own)
	c.table.Caption = txt.Title
	c.table.Header = []string{"", txt.ValueLabel}
	ownCell := txt.NotAnswered
	if f.OwnAnswered {
		ownCell = FormatNumberDE(f.Own)
	}
	c.table.Rows = [][]string{
		{txt.Own, ownCell},
		{txt.Q1, FormatNumberDE(f.Q1)},
		{txt.Median, FormatNumberDE(f.Median)},
		{txt.Q3, FormatNumberDE(f.Q3)},
	}

	lo, hi := f.Q1, f.Q3
	if f.OwnAnswered {
		lo, hi = math.Min(lo, f.Own), math.Max(hi, f.Own)
	}
	pad := (hi - lo) * 0.15
	if pad == 0 {
		pad = math.Max(1, math.Abs(hi)*0.1)
	}
	lo, hi = lo-pad, hi+pad
	if lo < 0 && math.Min(f.Q1, f.Own) >= 0 {
		lo = 0 // the figures are counts and ratios: no negative axis
	}
	marks := []float64{f.Q1, f.Median, f.Q3}
	if f.OwnAnswered {
		marks = append(marks, f.Own)
	}
	c.bodyHeight = 130
	c.body = func(dc draw.Canvas) {
		p := plot.New()
		chStyleAxes(p)
		p.X.Label.Text = txt.ValueLabel
		p.X.Tick.Marker = reportTicker(marks)
		p.X.Padding, p.Y.Padding = 0, 0
		p.HideY()
		p.Add(&reportBox{f: f, own: txt.Own, median: txt.Median})
		p.X.Min, p.X.Max = lo, hi
		p.Y.Min, p.Y.Max = 0, 1
		p.Draw(dc)
	}
	return c, nil
}

// reportBox draws the box, the median line and the own diamond.
type reportBox struct {
	f           ReportFigure
	own, median string
}

// Plot implements plot.Plotter.
func (b *reportBox) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	mid := (c.Min.Y + c.Max.Y) / 2
	half := vg.Length(14)
	box := vg.Rectangle{Min: vg.Point{X: trX(b.f.Q1), Y: mid - half}, Max: vg.Point{X: trX(b.f.Q3), Y: mid + half}}
	if box.Max.X-box.Min.X < 2 { // all quartiles equal: a visible sliver
		box.Min.X, box.Max.X = box.Min.X-1, box.Max.X+1
	}
	c.SetColor(color.RGBA{R: 0xcf, G: 0xe6, B: 0xf4, A: 0xff}) // light blue
	c.Fill(box.Path())
	c.SetColor(OkabeIto()[0])
	c.SetLineWidth(1)
	c.SetLineDash(nil, 0)
	c.Stroke(box.Path())
	mx := trX(b.f.Median)
	c.StrokeLine2(draw.LineStyle{Color: OkabeIto()[0], Width: 3}, mx, mid-half-4, mx, mid+half+4)

	lsty := chTextStyle(9.5, false, chInk)
	lsty.XAlign = draw.XCenter
	lsty.YAlign = draw.YTop
	label := b.median + " " + FormatNumberDE(b.f.Median)
	c.FillText(lsty, vg.Point{X: chClampLabel(lsty, label, mx, c), Y: mid - half - 6}, label)

	if !b.f.OwnAnswered {
		return
	}
	ox := trX(b.f.Own)
	r := vg.Length(8)
	var d vg.Path
	d.Move(vg.Point{X: ox, Y: mid + r})
	d.Line(vg.Point{X: ox + r, Y: mid})
	d.Line(vg.Point{X: ox, Y: mid - r})
	d.Line(vg.Point{X: ox - r, Y: mid})
	d.Close()
	c.SetColor(OkabeIto()[1]) // orange
	c.Fill(d)
	c.SetColor(chInk)
	c.SetLineWidth(1.5)
	c.Stroke(d)
	osty := chTextStyle(10, true, chInk)
	osty.XAlign = draw.XCenter
	osty.YAlign = draw.YBottom
	olabel := b.own + ": " + FormatNumberDE(b.f.Own)
	c.FillText(osty, vg.Point{X: chClampLabel(osty, olabel, ox, c), Y: mid + half + 8}, olabel)
}

// reportTicker marks the axis at the given values only, each labelled
// with its value in German notation; equal values are marked once.
type reportTicker []float64

// Ticks implements plot.Ticker.
func (t reportTicker) Ticks(min, max float64) []plot.Tick {
	vs := slices.Clone([]float64(t))
	slices.Sort(vs)
	vs = slices.Compact(vs)
	ticks := make([]plot.Tick, 0, len(vs))
	for _, v := range vs {
		if v >= min && v <= max {
			ticks = append(ticks, plot.Tick{Value: v, Label: FormatNumberDE(v)})
		}
	}
	return ticks
}

// chClampLabel returns the x at which a centred label stays inside the
// canvas.
func chClampLabel(sty interface{ Width(string) vg.Length }, s string, x vg.Length, c draw.Canvas) vg.Length {
	w := sty.Width(s) / 2
	return vg.Length(math.Max(float64(c.Min.X+w), math.Min(float64(c.Max.X-w), float64(x))))
}
