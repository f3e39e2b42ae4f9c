package analysis

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"bedarf/survey"
)

// LabeledValue is one answer to a numeric question, e.g. a Kommune and the
// number of persons it reported.
type LabeledValue struct {
	// Label names the respondent, e.g. the Kommune.
	Label string
	// Value is the answer.
	Value float64
}

// DistributionSpec describes the distribution of a numeric question.
type DistributionSpec struct {
	// Title is shown above the chart and used as the SVG <title>.
	Title string
	// Description is the text alternative (SVG <desc>); generated when empty.
	Description string
	// ValueLabel labels the value axis, e.g. "Personen mit Wunsch nach Gruppensupervision".
	ValueLabel string
	// CountLabel labels the count axis; default "Anzahl Kommunen".
	CountLabel string
	// LabelHeader heads the label column of the table; default "Kommune".
	LabelHeader string
	// Values are the answers; missing answers are simply left out.
	Values []LabeledValue
	// Notes are extra lines under the chart.
	Notes []string
}

// chDotPlotMax is the largest number of values drawn as a dot plot; more
// values are drawn as a histogram.
const chDotPlotMax = 60

// NewDistributionChart shows how the answers to a numeric question are
// spread. Up to 60 values it draws a dot plot (one dot per answer, stacked
// where answers fall into the same bin), above that a histogram; a dashed line
// marks the median. The table lists every answer (dot plot) or the bins
// (histogram); the notes give n, median, mean, minimum and maximum.
func NewDistributionChart(spec DistributionSpec) (*Chart, error) {
	spec.Title, spec.Description, spec.ValueLabel = survey.SafeText(spec.Title), survey.SafeText(spec.Description), survey.SafeText(spec.ValueLabel)
	spec.CountLabel, spec.LabelHeader, spec.Notes = survey.SafeText(spec.CountLabel), survey.SafeText(spec.LabelHeader), chSafe(spec.Notes)
	spec.Values = slices.Clone(spec.Values)
	for i := range spec.Values {
		spec.Values[i].Label = survey.SafeText(spec.Values[i].Label)
	}
	valueLabel := chDefault(spec.ValueLabel, "Wert")
	countLabel := chDefault(spec.CountLabel, "Anzahl Kommunen")
	labelHeader := chDefault(spec.LabelHeader, "Kommune")
	vals := make([]float64, len(spec.Values))
	integer := true
	for i, v := range spec.Values {
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
			return nil, fmt.Errorf("Verteilung %q: Wert %d (%q) ist ungültig", spec.Title, i+1, v.Label)
		}
		vals[i] = v.Value
		if v.Value != math.Trunc(v.Value) {
			integer = false
		}
	}
	slices.Sort(vals)
	n := len(vals)
	dots := n <= chDotPlotMax

	c := &Chart{title: spec.Title}
	c.table.Caption = spec.Title
	if n == 0 {
		c.table.Header = []string{labelHeader, valueLabel}
		c.desc = chDefault(spec.Description, "Verteilung. "+NoDataText)
		c.notes = append(c.notes, spec.Notes...)
		return c, nil
	}

	median := vals[n/2]
	if n%2 == 0 {
		median = (vals[n/2-1] + vals[n/2]) / 2
	}
	var sum float64
	for _, v := range vals {
		sum += v
	}
	mean := sum / float64(n)
	stats := fmt.Sprintf("n = %s · Median %s · Mittelwert %s · Minimum %s · Maximum %s",
		FormatDecimalDE(float64(n), 0), FormatNumberDE(median), FormatDecimalDE(mean, 1),
		FormatNumberDE(vals[0]), FormatNumberDE(vals[n-1]))
	c.notes = append(c.notes, stats)
	if dots {
		c.notes = append(c.notes, "Jeder Punkt steht für eine Antwort; gestrichelte Linie: Median.")
	} else {
		c.notes = append(c.notes, "Gestrichelte Linie: Median.")
	}
	c.notes = append(c.notes, spec.Notes...)

	byValue := slices.Clone(spec.Values)
	slices.SortStableFunc(byValue, func(a, b LabeledValue) int { return cmp.Compare(a.Value, b.Value) })
	bins := chMakeBins(byValue, integer, dots)
	maxCount := 0
	for _, b := range bins.bins {
		maxCount = max(maxCount, b.count)
	}
	if dots {
		c.table.Header = []string{labelHeader, valueLabel}
		sorted := slices.Clone(spec.Values)
		slices.SortStableFunc(sorted, func(a, b LabeledValue) int {
			return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label))
		})
		for _, v := range sorted {
			c.table.Rows = append(c.table.Rows, []string{v.Label, FormatNumberDE(v.Value)})
		}
	} else {
		c.table.Header = []string{"Bereich", countLabel}
		for _, b := range bins.bins {
			c.table.Rows = append(c.table.Rows, []string{b.label, FormatDecimalDE(float64(b.count), 0)})
		}
	}
	kind := "Punktdiagramm"
	if !dots {
		kind = "Histogramm"
	}
	c.desc = spec.Description
	if c.desc == "" {
		c.desc = fmt.Sprintf("%s der Verteilung: %s. %s.", kind, valueLabel, stats)
	}

	c.bodyHeight = 270
	if dots {
		c.bodyHeight = vg.Length(math.Min(380, math.Max(150, 80+float64(maxCount)*14)))
	}
	c.body = func(dc draw.Canvas) {
		p := plot.New()
		chStyleAxes(p)
		p.X.Label.Text = valueLabel
		p.X.Tick.Marker = chTicker{integer: integer, target: 8}
		p.X.Padding, p.Y.Padding = 0, 0
		dist := &chDist{bins: bins, dots: dots, median: median, maxCount: maxCount}
		if dots {
			// Dots are counted, not read off an axis.
			p.HideY()
			p.Add(dist)
			p.Y.Min, p.Y.Max = 0, 1
		} else {
			p.Y.Label.Text = countLabel
			p.Y.Tick.Marker = chTicker{integer: true, target: 5}
			p.Y.Width = 0
			p.Add(chGridLines{}, dist)
			p.Y.Min, p.Y.Max = 0, chNiceMax(float64(maxCount)*1.15, true)
		}
		p.X.Min, p.X.Max = bins.min, bins.max
		p.Draw(dc)
	}
	return c, nil
}

type chBin struct {
	lo, hi float64 // drawn extent on the value axis
	center float64
	count  int
	label  string
	// only is the label of the single value in the bin, if there is one.
	only string
}

type chBins struct {
	bins     []chBin
	min, max float64 // axis range
}

// chMakeBins splits sorted values into bins of a nice width. Integer data get
// bins of whole numbers ("10 bis 14"), centred on the integers when the width
// is 1; other data get half-open bins ("10 bis unter 12,5").
func chMakeBins(vals []LabeledValue, integer, dots bool) chBins {
	lo, hi := vals[0].Value, vals[len(vals)-1].Value
	span := hi - lo
	target := 10
	if dots {
		target = 30
	}
	var w float64
	switch {
	case integer && span <= float64(2*target):
		w = 1
	case span == 0:
		w = math.Max(1, math.Abs(lo)/10)
		w = chNiceStep(w, 1, false)
	default:
		w = chNiceStep(span, target, integer)
	}
	a := math.Floor(lo/w) * w
	// Dots of non-integer data sit at their value rounded to a multiple of
	// the bin width, so bins are centred on those multiples.
	centred := dots && !integer
	if centred {
		a = math.Round(lo/w) * w
	}
	nb := int(math.Floor((hi-a)/w+1e-9)) + 1
	if centred {
		nb = int(math.Round((hi-a)/w)) + 1
	}
	out := chBins{bins: make([]chBin, nb)}
	for k := range out.bins {
		b := &out.bins[k]
		start := a + float64(k)*w
		if integer {
			last := start + w - 1
			b.lo, b.hi = start-0.5, last+0.5
			b.center = (start + last) / 2
			b.label = FormatNumberDE(start)
			if w > 1 {
				b.label += " bis " + FormatNumberDE(last)
			}
		} else if centred {
			b.lo, b.hi = start-w/2, start+w/2
			b.center = start
			b.label = "etwa " + FormatNumberDE(start)
		} else {
			b.lo, b.hi = start, start+w
			b.center = start + w/2
			b.label = FormatNumberDE(start) + " bis unter " + FormatNumberDE(start+w)
		}
	}
	for _, v := range vals {
		k := int(math.Floor((v.Value-a)/w + 1e-9))
		if centred {
			k = int(math.Round((v.Value - a) / w))
		}
		k = max(0, min(nb-1, k))
		out.bins[k].count++
		out.bins[k].only = v.Label
	}
	out.min, out.max = out.bins[0].lo, out.bins[nb-1].hi
	if dots && nb < 10 {
		// Few bins: widen the axis so that the values do not sit at its ends.
		pad := float64(10-nb) * w / 2
		out.min -= pad
		out.max += pad
	}
	return out
}

// chDist draws a dot plot or a histogram and the median line.
type chDist struct {
	bins     chBins
	dots     bool
	median   float64
	maxCount int
}

// Plot implements plot.Plotter.
func (d *chDist) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	fill := OkabeIto()[0]
	// Median first, so that dots and bars are drawn over it.
	mx := trX(d.median)
	c.StrokeLine2(draw.LineStyle{Color: chInk, Width: 1, Dashes: []vg.Length{4, 3}}, mx, c.Min.Y, mx, c.Max.Y)
	msty := chTextStyle(9, false, chInk)
	msty.YAlign = draw.YTop
	label := "Median " + FormatNumberDE(d.median)
	if mx+4+msty.Width(label) <= c.Max.X {
		msty.XAlign = draw.XLeft
		c.FillText(msty, vg.Point{X: mx + 4, Y: c.Max.Y}, label)
	} else {
		msty.XAlign = draw.XRight
		c.FillText(msty, vg.Point{X: mx - 4, Y: c.Max.Y}, label)
	}

	if d.dots {
		d.plotDots(c, trX, trY(0))
	} else {
		lsty := chTextStyle(8.5, false, chInk)
		lsty.XAlign = draw.XCenter
		lsty.YAlign = draw.YBottom
		for _, b := range d.bins.bins {
			if b.count == 0 {
				continue
			}
			r := vg.Rectangle{Min: vg.Point{X: trX(b.lo), Y: trY(0)}, Max: vg.Point{X: trX(b.hi), Y: trY(float64(b.count))}}
			c.SetColor(fill)
			c.Fill(r.Path())
			c.SetColor(color.White)
			c.SetLineWidth(0.8)
			c.SetLineDash(nil, 0)
			c.Stroke(r.Path())
			lbl := FormatDecimalDE(float64(b.count), 0)
			if lsty.Width(lbl) <= r.Max.X-r.Min.X+4 {
				c.FillText(lsty, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: r.Max.Y + 2}, lbl)
			}
		}
	}
	c.StrokeLine2(draw.LineStyle{Color: chMuted, Width: 0.8}, c.Min.X, trY(0), c.Max.X, trY(0))
}

// plotDots stacks one dot per value above its bin, touching, from the base
// line up; a single value in the first or last bin gets its label.
func (d *chDist) plotDots(c draw.Canvas, trX func(float64) vg.Length, base vg.Length) {
	if len(d.bins.bins) == 0 {
		return
	}
	b0 := d.bins.bins[0]
	r := math.Min(float64(trX(b0.hi)-trX(b0.lo))*0.45, 7)
	gap := math.Max(1, r*0.15)
	room := float64(c.Max.Y-base) - 28 // median label and value labels on top
	if step := 2*r + gap; float64(d.maxCount)*step > room {
		step = room / float64(d.maxCount)
		r, gap = step*0.45, step*0.1
	}
	r = math.Max(r, 1.5)
	fill := OkabeIto()[0]
	lsty := chTextStyle(8.5, false, chInk)
	lsty.XAlign = draw.XCenter
	lsty.YAlign = draw.YBottom
	for i, b := range d.bins.bins {
		x := trX(b.center)
		var y vg.Length
		for k := 1; k <= b.count; k++ {
			y = base + vg.Length(float64(k)*(2*r+gap)-r)
			var path vg.Path
			path.Move(vg.Point{X: x + vg.Length(r), Y: y})
			path.Arc(vg.Point{X: x, Y: y}, vg.Length(r), 0, 2*math.Pi)
			path.Close()
			c.SetColor(fill)
			c.Fill(path)
		}
		if b.count == 1 && b.only != "" && (i == 0 || i == len(d.bins.bins)-1) && len(d.bins.bins) > 2 {
			s := lsty
			lx := x
			if w := s.Width(b.only); lx+w/2 > c.Max.X {
				s.XAlign = draw.XRight
				lx = x + vg.Length(r)
			} else if lx-w/2 < c.Min.X {
				s.XAlign = draw.XLeft
				lx = x - vg.Length(r)
			}
			c.FillText(s, vg.Point{X: lx, Y: y + vg.Length(r) + 3}, b.only)
		}
	}
}
