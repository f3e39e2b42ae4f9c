package analysis

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"bedarf/survey"
)

// CompareFigure is one key figure of a round comparison: a numeric question
// (or one item of it) with how many compared Kommunen answered it and the
// sum of their numbers in the earlier (Prev) and the later (Cur) round.
type CompareFigure struct {
	// Label names the figure, e.g. "Personen für Gruppensupervision".
	Label string
	// Unit is the question's unit ("" for a plain count); figures of one
	// unit share a chart.
	Unit            string
	NPrev, NCur     int
	SumPrev, SumCur float64
}

// CompareChartText holds the words of the comparison charts in the page's
// language (the charts' numbers are in German notation, like all charts).
type CompareChartText struct {
	// Title heads each chart; with a unit it is followed by " (unit)".
	Title string
	// Prev and Cur name the two rounds (the bars and the legend).
	Prev, Cur string
	// ValueLabel labels the value axis, e.g. "Summe".
	ValueLabel string
	// CategoryLabel heads the figure column of the table, e.g. "Kennzahl".
	CategoryLabel string
	// Kind opens the text alternative, e.g. "Balkendiagramm, je Kennzahl
	// die Summe beider Runden".
	Kind string
	// NoAnswer stands for a round in which no compared Kommune answered.
	NoAnswer string
	// Notes go under every chart, e.g. the basis "9 Kommunen in beiden Runden".
	Notes []string
}

// NewCompareCharts draws the compared key figures: one chart per unit, in
// the order the figures come, each a bar per round and figure (earlier
// round above) with the sums at the bar ends, a legend naming the rounds
// and the figures as a table. Figures that no compared Kommune answered in
// either round are left out (the page's table lists them).
func NewCompareCharts(figs []CompareFigure, txt CompareChartText) ([]*Chart, error) {
	figs = slices.DeleteFunc(slices.Clone(figs), func(f CompareFigure) bool { return f.NPrev == 0 && f.NCur == 0 })
	var units []string
	for _, f := range figs {
		if !slices.Contains(units, f.Unit) {
			units = append(units, f.Unit)
		}
	}
	out := make([]*Chart, 0, len(units))
	for _, unit := range units {
		title := txt.Title
		if unit != "" {
			title += " (" + unit + ")"
		}
		spec := groupedSpec{title: survey.SafeText(title), valueLabel: survey.SafeText(txt.ValueLabel),
			categoryLabel: survey.SafeText(txt.CategoryLabel), series: chSafe([]string{txt.Prev, txt.Cur}), notes: chSafe(txt.Notes)}
		var summary []string
		for _, f := range figs {
			if f.Unit != unit {
				continue
			}
			label := survey.SafeText(f.Label)
			cells := make([]string, 2)
			for i, n := range []int{f.NPrev, f.NCur} {
				cells[i] = FormatNumberDE([]float64{f.SumPrev, f.SumCur}[i])
				if n == 0 {
					cells[i] = txt.NoAnswer
				}
			}
			spec.categories = append(spec.categories, label)
			spec.values = append(spec.values, []float64{f.SumPrev, f.SumCur})
			spec.labels = append(spec.labels, cells)
			summary = append(summary, fmt.Sprintf("%s: %s %s, %s %s", label, spec.series[0], cells[0], spec.series[1], cells[1]))
		}
		spec.desc = survey.SafeText(txt.Kind) + ". " + strings.Join(summary, "; ") + "."
		c, err := newGroupedBarChart(spec)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// groupedSpec describes a grouped bar chart: per category one bar per
// series, beside each other.
type groupedSpec struct {
	title, desc, valueLabel, categoryLabel string
	categories, series, notes              []string
	values                                 [][]float64 // per category: one value per series
	labels                                 [][]string  // per category: the label at each bar's end
}

func newGroupedBarChart(spec groupedSpec) (*Chart, error) {
	integer := true
	var total float64
	for i, row := range spec.values {
		if len(row) != len(spec.series) {
			return nil, fmt.Errorf("Diagramm %q: %q hat %d Werte, erwartet %d", spec.title, spec.categories[i], len(row), len(spec.series))
		}
		for _, v := range row {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("Diagramm %q: %q hat einen ungültigen Wert %v", spec.title, spec.categories[i], v)
			}
			integer = integer && v == float64(int64(v))
			total += v
		}
	}
	c := &Chart{title: spec.title, desc: spec.desc, notes: slices.Clone(spec.notes)}
	c.table.Caption = spec.title
	c.table.Header = append([]string{spec.categoryLabel}, spec.series...)
	for i, cat := range spec.categories {
		c.table.Rows = append(c.table.Rows, append([]string{cat}, spec.labels[i]...))
	}
	if total == 0 {
		return c, nil // "keine Daten"
	}
	colors := chCategorical(len(spec.series))
	for i, s := range spec.series {
		c.legend = append(c.legend, chLegendItem{label: s, fill: colors[i]})
	}
	c.bodyHeight, c.body = chHBarBody(chHBarData{
		labels:     spec.categories,
		rows:       spec.values,
		colors:     colors,
		grouped:    true,
		barLabels:  spec.labels,
		integer:    integer,
		valueLabel: spec.valueLabel,
	})
	return c, nil
}
