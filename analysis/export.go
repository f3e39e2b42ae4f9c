package analysis

// The charts of the evaluation workbook as pictures: the same data as the
// workbook's native Excel charts, drawn with the gonum chart API so that
// they can be downloaded as PNG and SVG (and shown on the dashboard).

import (
	"fmt"

	"bedarf/survey"
)

// The names of the workbook's charts, stable for download URLs and files.
const (
	ChartSupervision = "supervision-je-kommune"
	ChartTraining    = "fortbildung-je-modul"
	ChartBurden      = "belastung-verteilung"
	// ChartMap is the map of supervision demand; without Dataset.GeoJSON
	// it shows NoBoundariesText and its table.
	ChartMap = "karte-supervision"
)

// NamedChart is one chart of the workbook with its stable name.
type NamedChart struct {
	// Name is one of ChartSupervision, ChartTraining, ChartBurden, ChartMap.
	Name  string
	Chart *Chart
}

// FileName returns the chart's download file name for a round, e.g.
// "supervision-je-kommune_3.svg"; ext is "svg" or "png".
func (nc NamedChart) FileName(r survey.Round, ext string) string {
	return fmt.Sprintf("%s_%d.%s", nc.Name, r.ID, ext)
}

// ChartsFor returns the charts of the round's workbook, in workbook order:
// supervision demand per Kommune (all counted Kommunen, or the 25 with the
// most persons when more than 30 count), training participants per module
// (when the questionnaire has modules), the distribution of the burden
// (when it has a Likert question, see BurdenQuestion), and a map of the
// supervision demand on ds.GeoJSON (see NewMap without boundaries). It
// reads the answers once.
func ChartsFor(ds Dataset) ([]NamedChart, error) {
	if err := ds.check(); err != nil {
		return nil, err
	}
	t, err := collect(ds, nil, nil, Cur)
	if err != nil {
		return nil, err
	}
	pl := ds.plan(t)
	base := fmt.Sprintf("Gezählt: %s (%s).", chCountWord(len(t.kommunen), "Antwort", "Antworten"), countedWords(ds))
	type build struct {
		name string
		make func() (*Chart, error)
	}
	builds := []build{{ChartSupervision, func() (*Chart, error) { return barChartOf(supervisionTable(pl), "Personen", base) }}}
	if len(pl.Training) > 0 {
		builds = append(builds, build{ChartTraining, func() (*Chart, error) { return barChartOf(trainingTable(pl), "Teilnehmende", base) }})
	}
	if bt := burdenTable(t); bt != nil {
		builds = append(builds, build{ChartBurden, func() (*Chart, error) { return barChartOf(bt, "Anzahl Kommunen", base) }})
	}
	builds = append(builds, build{ChartMap, func() (*Chart, error) { return demandMap(ds, pl, base) }})
	out := make([]NamedChart, 0, len(builds))
	for _, b := range builds {
		c, err := b.make()
		if err != nil {
			return nil, fmt.Errorf("Diagramm %s: %w", b.name, err)
		}
		out = append(out, NamedChart{Name: b.name, Chart: c})
	}
	return out, nil
}

func countedWords(ds Dataset) string {
	if ds.IncludeDrafts {
		return "eingereicht oder in Bearbeitung"
	}
	return "eingereicht"
}

func barChartOf(tb *ovTable, valueLabel, base string) (*Chart, error) {
	spec := BarSpec{Title: tb.title, ValueLabel: valueLabel}
	for i, l := range tb.labels {
		spec.Bars = append(spec.Bars, Bar{Label: l, Value: tb.values[i]})
	}
	spec.Base = tb.base
	if tb.note != "" {
		spec.Notes = append(spec.Notes, tb.note+".")
	}
	spec.Notes = append(spec.Notes, base)
	return NewBarChart(spec)
}

// demandMap draws the persons wanting group supervision per Kommune on the
// dataset's boundaries; without them its table lists the round's Kommunen.
func demandMap(ds Dataset, pl Plan, base string) (*Chart, error) {
	values := make(map[string]float64, len(pl.Kommunen))
	names := make(map[string]string, len(ds.Responses))
	for _, r := range ds.Responses {
		names[r.Kommune.AGS] = r.Kommune.Name
	}
	for _, k := range pl.Kommunen {
		values[k.AGS] = float64(k.Persons)
		names[k.AGS] = k.Name
	}
	return NewMap(MapSpec{Title: "Gruppensupervision: Personen je Kommune", ValueLabel: "Personen mit Wunsch nach Gruppensupervision",
		GeoJSON: ds.GeoJSON, Values: values, Names: names, Notes: []string{base}})
}

// supervisionTable is the data of the supervision chart (see demandTop).
func supervisionTable(pl Plan) *ovTable {
	labels, values, note := demandTop(pl)
	return &ovTable{title: "Gruppensupervision: Personen je Kommune", labelHeader: "Kommune", valueHeader: "Personen",
		labels: labels, values: values, note: note}
}

// trainingTable is the data of the training chart.
func trainingTable(pl Plan) *ovTable {
	tb := &ovTable{title: "Fortbildung: Teilnehmende je Modul", labelHeader: "Modul", valueHeader: "Teilnehmende"}
	for _, tp := range pl.Training {
		tb.labels = append(tb.labels, tp.Label)
		tb.values = append(tb.values, float64(tp.Participants))
	}
	return tb
}

// burdenTable is the data of the burden chart, nil without a burden
// question.
func burdenTable(t *tally) *ovTable {
	q := t.burdenQ
	if q == nil {
		return nil
	}
	n := countAnswered(t.burden)
	tb := &ovTable{title: "Belastung: " + q.Label, labelHeader: "Stufe", valueHeader: "Kommunen",
		note: chCountWord(n, "Kommune", "Kommunen") + " mit Angabe", base: n}
	for i, c := range q.Choices {
		tb.labels = append(tb.labels, c.Label)
		tb.values = append(tb.values, float64(t.burden[i]))
	}
	return tb
}
