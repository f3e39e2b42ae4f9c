package analysis

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"bedarf/survey"
)

// Bar is one bar of a bar chart: a choice and how often it was chosen.
type Bar struct {
	// Label is the choice as the respondents saw it, e.g. "Am Limit, im Krisenmodus".
	Label string
	// Value is the count (or another non-negative amount).
	Value float64
}

// BarSpec describes a bar chart of counts per choice. Bars are drawn
// horizontally, in the given order from top to bottom, so that long German
// labels stay readable (they wrap over several lines).
type BarSpec struct {
	// Title is shown above the chart and used as the SVG <title>.
	Title string
	// Description is the text alternative (SVG <desc>); when empty it is
	// generated from the data.
	Description string
	// ValueLabel labels the value axis; default "Anzahl Nennungen".
	ValueLabel string
	// Bars are the choices in display order.
	Bars []Bar
	// Base is the number of respondents. When > 0 every bar is also labelled
	// with its share of Base ("5 (23,8 %)"); for multiple choice the shares
	// add up to more than 100 %.
	Base int
	// Notes are extra lines under the chart, e.g. "Mehrfachnennungen möglich".
	Notes []string
}

// NewBarChart builds a horizontal bar chart of counts per choice. With no bars
// (or all zero) the chart shows the note "Es liegen keine Daten vor.".
func NewBarChart(spec BarSpec) (*Chart, error) {
	spec.Title, spec.Description, spec.ValueLabel = survey.SafeText(spec.Title), survey.SafeText(spec.Description), survey.SafeText(spec.ValueLabel)
	spec.Notes = chSafe(spec.Notes)
	spec.Bars = slices.Clone(spec.Bars)
	for i := range spec.Bars {
		spec.Bars[i].Label = survey.SafeText(spec.Bars[i].Label)
	}
	valueLabel := chDefault(spec.ValueLabel, "Anzahl Nennungen")
	integer := true
	var total float64
	for i, b := range spec.Bars {
		if math.IsNaN(b.Value) || math.IsInf(b.Value, 0) || b.Value < 0 {
			return nil, fmt.Errorf("Balkendiagramm %q: Wert %d (%q) ist ungültig: %v", spec.Title, i+1, b.Label, b.Value)
		}
		if b.Value != math.Trunc(b.Value) {
			integer = false
		}
		total += b.Value
	}

	c := &Chart{title: spec.Title}
	c.table.Caption = spec.Title
	c.table.Header = []string{"Antwort", valueLabel}
	if spec.Base > 0 {
		c.table.Header = append(c.table.Header, "Anteil")
	}
	var summary []string
	ends := make([]string, len(spec.Bars))
	for i, b := range spec.Bars {
		row := []string{b.Label, FormatNumberDE(b.Value)}
		ends[i] = FormatNumberDE(b.Value)
		if spec.Base > 0 {
			share := FormatPercentDE(b.Value / float64(spec.Base))
			row = append(row, share)
			ends[i] += " (" + share + ")"
		}
		c.table.Rows = append(c.table.Rows, row)
		summary = append(summary, b.Label+": "+ends[i])
	}
	c.notes = append(c.notes, spec.Notes...)
	if spec.Base > 0 {
		c.notes = append(c.notes, "Anteile bezogen auf "+FormatDecimalDE(float64(spec.Base), 0)+" Antwortende.")
	}

	if total == 0 {
		c.desc = chDefault(spec.Description, "Balkendiagramm. "+NoDataText)
		return c, nil
	}
	c.desc = spec.Description
	if c.desc == "" {
		c.desc = fmt.Sprintf("Balkendiagramm mit %d Antwortmöglichkeiten, %s. %s.",
			len(spec.Bars), valueLabel, strings.Join(summary, "; "))
	}
	rows := make([][]float64, len(spec.Bars))
	labels := make([]string, len(spec.Bars))
	for i, b := range spec.Bars {
		rows[i] = []float64{b.Value}
		labels[i] = b.Label
	}
	c.bodyHeight, c.body = chHBarBody(chHBarData{
		labels:     labels,
		rows:       rows,
		colors:     []color.RGBA{OkabeIto()[0]},
		endLabels:  ends,
		integer:    integer,
		valueLabel: valueLabel,
	})
	return c, nil
}

// ChartSeries is one segment type of a stacked bar chart, e.g. one burden
// level, with one value per bar.
type ChartSeries struct {
	// Name labels the series in the legend, e.g. "Am Limit, im Krisenmodus".
	Name string
	// Values holds one value per category (bar), in the order of the categories.
	Values []float64
}

// StackedBarSpec describes a stacked bar chart: one horizontal bar per
// category (e.g. per Kommune or per matrix row), split into segments (e.g.
// burden levels or Likert levels), with a legend.
type StackedBarSpec struct {
	// Title is shown above the chart and used as the SVG <title>.
	Title string
	// Description is the text alternative (SVG <desc>); generated when empty.
	Description string
	// ValueLabel labels the value axis; default "Anzahl".
	ValueLabel string
	// CategoryLabel heads the category column of the table, e.g. "Kommune"
	// or "Bereich"; default "Kategorie".
	CategoryLabel string
	// Categories name the bars, top to bottom.
	Categories []string
	// Series are the segments, left to right, and the legend entries.
	Series []ChartSeries
	// Ordinal marks the series as ordered levels (a scale from low to high):
	// they get a sequential viridis palette instead of Okabe–Ito colours.
	Ordinal bool
	// Notes are extra lines under the chart.
	Notes []string
}

// NewStackedBarChart builds a horizontal stacked bar chart with a legend.
// Each segment carries its value when it is wide enough, each bar its total.
// Every series needs exactly one value per category.
func NewStackedBarChart(spec StackedBarSpec) (*Chart, error) {
	spec.Title, spec.Description, spec.ValueLabel = survey.SafeText(spec.Title), survey.SafeText(spec.Description), survey.SafeText(spec.ValueLabel)
	spec.CategoryLabel, spec.Categories, spec.Notes = survey.SafeText(spec.CategoryLabel), chSafe(spec.Categories), chSafe(spec.Notes)
	spec.Series = slices.Clone(spec.Series)
	for i := range spec.Series {
		spec.Series[i].Name = survey.SafeText(spec.Series[i].Name)
	}
	valueLabel := chDefault(spec.ValueLabel, "Anzahl")
	integer := true
	for _, s := range spec.Series {
		if len(s.Values) != len(spec.Categories) {
			return nil, fmt.Errorf("gestapeltes Balkendiagramm %q: Reihe %q hat %d Werte, erwartet %d (einen je Kategorie)",
				spec.Title, s.Name, len(s.Values), len(spec.Categories))
		}
		for i, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, fmt.Errorf("gestapeltes Balkendiagramm %q: Reihe %q, Wert %d ist ungültig: %v", spec.Title, s.Name, i+1, v)
			}
			if v != math.Trunc(v) {
				integer = false
			}
		}
	}
	var colors []color.RGBA
	if spec.Ordinal {
		colors = Sequential(len(spec.Series))
	} else {
		colors = chCategorical(len(spec.Series))
	}

	c := &Chart{title: spec.Title, notes: append([]string(nil), spec.Notes...)}
	c.table.Caption = spec.Title
	c.table.Header = []string{chDefault(spec.CategoryLabel, "Kategorie")}
	for _, s := range spec.Series {
		c.table.Header = append(c.table.Header, s.Name)
	}
	c.table.Header = append(c.table.Header, "Summe")
	rows := make([][]float64, len(spec.Categories))
	ends := make([]string, len(spec.Categories))
	var grand float64
	var summary []string
	for i, cat := range spec.Categories {
		row := []string{cat}
		var sum float64
		var parts []string
		for _, s := range spec.Series {
			rows[i] = append(rows[i], s.Values[i])
			row = append(row, FormatNumberDE(s.Values[i]))
			sum += s.Values[i]
			if s.Values[i] > 0 {
				parts = append(parts, s.Name+" "+FormatNumberDE(s.Values[i]))
			}
		}
		row = append(row, FormatNumberDE(sum))
		c.table.Rows = append(c.table.Rows, row)
		ends[i] = FormatNumberDE(sum)
		grand += sum
		if len(parts) == 0 {
			parts = []string{"keine"}
		}
		summary = append(summary, cat+": "+strings.Join(parts, ", "))
	}
	if grand == 0 {
		c.desc = chDefault(spec.Description, "Gestapeltes Balkendiagramm. "+NoDataText)
		return c, nil
	}
	for i, s := range spec.Series {
		c.legend = append(c.legend, chLegendItem{label: s.Name, fill: colors[i]})
	}
	c.desc = spec.Description
	if c.desc == "" {
		names := make([]string, len(spec.Series))
		for i, s := range spec.Series {
			names[i] = s.Name
		}
		c.desc = fmt.Sprintf("Gestapeltes Balkendiagramm, %s je Kategorie, aufgeteilt nach %s. %s.",
			valueLabel, strings.Join(names, ", "), strings.Join(summary, "; "))
	}
	c.bodyHeight, c.body = chHBarBody(chHBarData{
		labels:     spec.Categories,
		rows:       rows,
		colors:     colors,
		endLabels:  ends,
		segLabels:  len(spec.Series) > 1,
		integer:    integer,
		valueLabel: valueLabel,
	})
	return c, nil
}

// chSafe returns the strings with their direction controls neutralised
// (survey.SafeText): an SVG's text is laid out by the browser, which would
// follow an override in a Kommune's name or a choice.
func chSafe(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = survey.SafeText(s)
	}
	return out
}

func chDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// chHBarData is the input of the shared horizontal (stacked) bar body.
type chHBarData struct {
	labels    []string
	rows      [][]float64 // per row: segment values
	colors    []color.RGBA
	endLabels []string // text right of each bar
	segLabels bool     // write values into segments that are wide enough
	// grouped draws a row's values as bars beside each other (one per
	// series, top to bottom), each labelled with barLabels[row][series],
	// instead of stacking them.
	grouped    bool
	barLabels  [][]string
	integer    bool
	valueLabel string
}

const chBarLabelMax = vg.Length(190)

// chHBarBody returns the height and the drawing function of a horizontal
// (stacked) bar chart body.
func chHBarBody(d chHBarData) (vg.Length, func(draw.Canvas)) {
	tick := chTextStyle(9.5, false, chInk)
	wrapped := make([]string, len(d.labels))
	maxLines := 1
	for i, l := range d.labels {
		lines := chWrap(tick, l, chBarLabelMax)
		wrapped[i] = strings.Join(lines, "\n")
		maxLines = max(maxLines, len(lines))
	}
	rowH := math.Max(22, float64(maxLines)*11.4+9)
	if d.grouped && len(d.colors) > 0 {
		rowH = math.Max(rowH, float64(len(d.colors))*15+10)
	}
	n := len(d.rows)
	height := vg.Length(float64(n)*rowH + 42)

	maxTotal := d.maxExtent()
	endSty := chTextStyle(9, false, chInk)
	var endW vg.Length
	for _, e := range d.endLabels {
		endW = max(endW, endSty.Width(e))
	}
	for _, r := range d.barLabels {
		for _, e := range r {
			endW = max(endW, endSty.Width(e))
		}
	}

	return height, func(c draw.Canvas) {
		p := plot.New()
		chStyleAxes(p)
		ticks := make([]plot.Tick, n)
		for i := range n {
			ticks[i] = plot.Tick{Value: float64(n - 1 - i), Label: wrapped[i]}
		}
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		p.Y.Tick.Length = 0
		p.Y.Width = 0
		p.Y.Padding = 0
		p.Y.Tick.Label.YAlign = draw.YCenter
		p.X.Padding = 0
		p.X.Tick.Marker = chTicker{integer: d.integer}
		p.X.Label.Text = d.valueLabel
		p.X.Width = 0
		p.Add(chGridLines{vertical: true}, &chHBars{d: d})
		p.X.Min, p.X.Max = 0, chNiceMax(maxTotal, d.integer)
		p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
		// Leave room right of the plot for the labels at the bar ends.
		c.Max.X -= endW + 8
		p.Draw(c)
	}
}

// chHBars draws horizontal (stacked) bars; row i sits at y = n-1-i.
type chHBars struct {
	d chHBarData
}

// Plot implements plot.Plotter.
func (b *chHBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(b.d.rows)
	endSty := chTextStyle(9, false, chInk)
	endSty.YAlign = draw.YCenter
	segSty := chTextStyle(8.5, false, chInk)
	segSty.XAlign = draw.XCenter
	segSty.YAlign = draw.YCenter
	// Bars fill 72 % of a row, at most 20 pt thick.
	unit := math.Max(1, float64(trY(1)-trY(0)))
	half := math.Min(0.36, 10/unit)
	if b.d.grouped {
		b.plotGrouped(c, trX, trY, math.Min(0.4, 7.5*float64(len(b.d.colors))/unit))
		return
	}
	for i, row := range b.d.rows {
		yc := float64(n - 1 - i)
		nonZero := 0
		for _, v := range row {
			if v > 0 {
				nonZero++
			}
		}
		y0, y1 := trY(yc-half), trY(yc+half)
		x := 0.0
		for j, v := range row {
			if v <= 0 {
				continue
			}
			x0, x1 := trX(x), trX(x+v)
			r := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
			fill := b.d.colors[j%len(b.d.colors)]
			c.SetColor(fill)
			c.Fill(r.Path())
			if len(row) > 1 {
				// White separators between segments.
				c.SetColor(color.White)
				c.SetLineWidth(0.8)
				c.SetLineDash(nil, 0)
				c.Stroke(r.Path())
			}
			if b.d.segLabels && nonZero > 1 { // a lone segment repeats the total
				lbl := FormatNumberDE(v)
				if segSty.Width(lbl)+6 <= x1-x0 {
					s := segSty
					s.Color = chTextOn(fill)
					c.FillText(s, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, lbl)
				}
			}
			x += v
		}
		// Zero line and the label at the bar end.
		c.StrokeLine2(draw.LineStyle{Color: chMuted, Width: 0.8}, trX(0), trY(yc-0.5), trX(0), trY(yc+0.5))
		if i < len(b.d.endLabels) {
			c.FillText(endSty, vg.Point{X: trX(x) + 4, Y: (y0 + y1) / 2}, b.d.endLabels[i])
		}
	}
}

// plotGrouped draws each row's values as bars beside each other within
// ±half of the row's centre, each with its label at the end.
func (b *chHBars) plotGrouped(c draw.Canvas, trX, trY func(float64) vg.Length, half float64) {
	n := len(b.d.rows)
	endSty := chTextStyle(9, false, chInk)
	endSty.YAlign = draw.YCenter
	for i, row := range b.d.rows {
		yc := float64(n - 1 - i)
		k := float64(len(row))
		for j, v := range row {
			top := yc + half - 2*half*float64(j)/k
			y0, y1 := trY(top-2*half/k), trY(top)
			y1 -= 1 // a white gap between the bars of a row
			if v > 0 {
				r := vg.Rectangle{Min: vg.Point{X: trX(0), Y: y0}, Max: vg.Point{X: trX(v), Y: y1}}
				c.SetColor(b.d.colors[j%len(b.d.colors)])
				c.Fill(r.Path())
			}
			if i < len(b.d.barLabels) && j < len(b.d.barLabels[i]) {
				c.FillText(endSty, vg.Point{X: trX(v) + 4, Y: (y0 + y1) / 2}, b.d.barLabels[i][j])
			}
		}
		c.StrokeLine2(draw.LineStyle{Color: chMuted, Width: 0.8}, trX(0), trY(yc-0.5), trX(0), trY(yc+0.5))
	}
}

// maxExtent is the largest bar length: a row's sum, or with grouped its
// largest value.
func (d chHBarData) maxExtent() float64 {
	var m float64
	for _, r := range d.rows {
		var s float64
		for _, v := range r {
			if d.grouped {
				s = math.Max(s, v)
			} else {
				s += v
			}
		}
		m = math.Max(m, s)
	}
	return m
}

// DataRange implements plot.DataRanger.
func (b *chHBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, b.d.maxExtent(), -0.5, float64(len(b.d.rows)) - 0.5
}
