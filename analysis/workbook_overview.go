package analysis

// The Übersicht sheet: response rate and key figures (formulas pointing to
// the plan sheets' totals, so they follow the Parameter sheet too), the
// data of the charts, and three native Excel charts: supervision demand per
// Kommune, training demand per module and the distribution of the burden.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// Rows of the Übersicht sheet.
const (
	ovHeaderRow = 5
	ovFirstRow  = 6
)

// ovDemandAll is the largest number of counted Kommunen the supervision
// chart shows all of; with more it shows the ovDemandTop with the largest
// demand.
const (
	ovDemandAll = 30
	ovDemandTop = 25
)

// keyFigure is one row of the key figures.
type keyFigure struct {
	label   string
	value   excelize.Cell
	explain string
}

// ovTable is a small data table under the key figures that a chart uses.
type ovTable struct {
	title, labelHeader, valueHeader string
	labels                          []string
	values                          []float64
	// note is shown after the title; base is the number of answers that
	// the chart's shares refer to (0: no shares).
	note string
	base int
	// first is the row of its first data line, set by placeTables.
	first int
}

func (b *planBook) writeOverview() error {
	st := b.st
	figures := b.keyFigures()
	tables := b.overviewTables()
	placeTables(tables, ovFirstRow+len(figures)-1)
	if err := b.addCharts(tables); err != nil {
		return err
	}
	w, err := openSheet(b.f, st, sheetLayout{name: SheetOverview, widths: []float64{48, 18, 62}, onePage: true})
	if err != nil {
		return err
	}
	counted := "Gezählt werden die eingereichten Antworten."
	if b.ds.IncludeDrafts {
		counted = "Gezählt werden die eingereichten Antworten und die Entwürfe."
	}
	if err := writeTop(w, "Auswertung: "+b.ds.Round.Title,
		"Fragebogen: "+b.ds.Questionnaire.Title+" · erstellt am "+b.ds.Generated.In(st.loc).Format("02.01.2006 um 15:04")+" Uhr",
		counted+" Kosten und Personal folgen den gelben Feldern im Blatt Parameter."); err != nil {
		return err
	}
	if err := w.header(ovHeaderRow, "Kennzahl", "Wert", "Erläuterung"); err != nil {
		return err
	}
	for _, kf := range figures {
		if err := w.add(textCell(kf.label, st.text), kf.value, textCell(kf.explain, st.wrap)); err != nil {
			return err
		}
	}
	for _, tb := range tables {
		if err := writeOvTable(w, tb); err != nil {
			return err
		}
	}
	return w.flush()
}

// keyFigures lists the key figures. The response rate and the sum refer
// to rows of the list itself.
func (b *planBook) keyFigures() []keyFigure {
	st, l, t, tot := b.st, b.lay, b.t, b.pl.Totals
	var figs []keyFigure
	add := func(label string, v excelize.Cell, explain string) string {
		figs = append(figs, keyFigure{label, v, explain})
		return cellName(2, ovFirstRow+len(figs)-1)
	}
	n := func(v int) excelize.Cell { return st.numCell(float64(v), fmtInt) }
	ref := func(sheet string, col, row int) string { return sheetRef(sheet) + "!" + cellName(col, row) }
	submitted := t.statusCount(survey.StatusSubmitted)

	add("Maßgebliches Planungsszenario", textCell(b.ds.scenario(), st.bold), "Grundlage aller Kosten; seine Werte im Blatt Parameter")
	add(TotalCostLabel, formulaCell(b.totalCostFormula(), tot.TotalCost(), st.numBold[fmtEUR]),
		"Supervision brutto + Fortbildung + Kosten der Personallücke, wie im Dashboard")
	invitedCell := add("Eingeladene Kommunen", n(t.invited), "")
	submittedCell := add("Eingereichte Antworten", n(submitted), "")
	rate := textCell("–", st.text)
	if t.invited > 0 {
		rate = formulaCell(submittedCell+"/"+invitedCell, float64(submitted)/float64(t.invited), st.num[fmtPercent])
	}
	add("Rücklaufquote", rate, "eingereicht / eingeladen")
	add("In Bearbeitung", n(t.statusCount(survey.StatusDraft)), "begonnen, noch nicht eingereicht")
	add("Zurückgegeben", n(t.statusCount(survey.StatusReturned)), "mit einer Rückfrage zurückgegeben")
	add("Nicht begonnen", n(t.statusCount(survey.StatusNew)), "")
	add("In der Planung gezählt", n(len(t.kommunen)), "Kommunen, deren Antworten Plan, Kennzahlen und Diagramme speisen")

	add("Personen mit Wunsch nach Gruppensupervision", n(tot.Persons), fmt.Sprintf("davon online %d, vor Ort %d", tot.Online, tot.OnSite))
	add("Supervisionsgruppen", n(tot.Groups), fmt.Sprintf("eigene %d, gepoolt %d, online %d (Blatt Supervision)", tot.OwnGroups, tot.PooledGroups, tot.OnlineGroups))
	add("Nicht gruppierte Personen", n(tot.Unplaced), "Gründe unter den Warnungen im Blatt Supervision")
	add("Supervisionsstunden pro Jahr", formulaCell(ref(SheetSupervision, supColHours, l.supTotal), tot.SupervisorHours, st.num[fmtDec]), "")
	add("Supervision: Kosten netto pro Jahr", formulaCell(ref(SheetSupervision, supColNet, l.supTotal), tot.SupervisionNet, st.num[fmtEUR]), "")
	grossCell := add("Supervision: Kosten brutto pro Jahr", formulaCell(ref(SheetSupervision, supColGross, l.supTotal), tot.SupervisionGross, st.num[fmtEUR]), "mit Umsatzsteuer")

	trRef := func(r int, v float64, format string) excelize.Cell {
		if len(b.pl.Training) == 0 {
			return st.numCell(v, format)
		}
		return formulaCell(ref(SheetTraining, l.trSumCol, r), v, st.num[format])
	}
	add("Fortbildung: Teilnehmende", trRef(l.trPartRow, float64(tot.TrainingParticipants), fmtInt), "über alle Module")
	add("Fortbildungstage", trRef(l.trDaysRow, float64(tot.TrainingDays), fmtInt), "")
	trainingCell := add("Fortbildung: Kosten", trRef(l.trCostRow, tot.TrainingCost, fmtEUR), "")
	add("Supervision (brutto) und Fortbildung zusammen", formulaCell(grossCell+"+"+trainingCell, tot.SupervisionGross+tot.TrainingCost, st.numBold[fmtEUR]), "pro Jahr")

	stRef := func(col int, v float64, format string) excelize.Cell {
		return formulaCell(ref(SheetStaffing, col, l.stTotal), v, st.num[format])
	}
	ratio := formulaCell(ref(SheetStaffing, stColRatio, l.stTotal), "", st.num[fmtDec])
	if tot.PeoplePerFTE != nil {
		ratio = formulaCell(ref(SheetStaffing, stColRatio, l.stTotal), *tot.PeoplePerFTE, st.num[fmtDec])
	}
	a, z := span(l.stFirst, len(b.pl.Staffing))
	add("Betreute Geflüchtete", stRef(stColPeople, tot.PeopleSupported, fmtInt), "in kommunalen Unterkünften und privatem Wohnraum")
	add("Besetzte Stellen (VZÄ)", stRef(stColFTE, tot.FTE, fmtDec2), "")
	add("Betreute je Vollzeitstelle", ratio, "")
	add("Personalbedarf beim Betreuungsschlüssel (VZÄ)", stRef(stColNeed, tot.NeedFTE, fmtDec2), "")
	add("Personallücke (VZÄ)", stRef(stColGap, tot.GapFTE, fmtDec2), "Summe der Lücken der Kommunen")
	add("Kommunen mit Personallücke", formulaCell(fmt.Sprintf(`COUNTIF(%s!%s:%s,">0")`, sheetRef(SheetStaffing), cellName(stColGap, a), cellName(stColGap, z)),
		float64(tot.KommunenWithGap), st.num[fmtInt]), "")
	add("Kosten der Personallücke pro Jahr", stRef(stColGapCost, tot.GapCost, fmtEUR), "")
	return figs
}

// TotalCostLabel labels the headline figure (PlanTotals.TotalCost) on
// Übersicht and Parameter, as the dashboard does.
const TotalCostLabel = "Gesamtkosten pro Jahr"

// totalCostFormula is the headline figure as a formula over the plan
// sheets' totals, so that it follows the Parameter sheet.
func (b *planBook) totalCostFormula() string {
	l := b.lay
	ref := func(sheet string, col, row int) string { return sheetRef(sheet) + "!" + cellName(col, row) }
	parts := []string{ref(SheetSupervision, supColGross, l.supTotal)}
	if len(b.pl.Training) > 0 {
		parts = append(parts, ref(SheetTraining, l.trSumCol, l.trCostRow))
	}
	parts = append(parts, ref(SheetStaffing, stColGapCost, l.stTotal))
	return strings.Join(parts, "+")
}

// overviewTables returns the data of the supervision and burden charts.
func (b *planBook) overviewTables() []*ovTable {
	tables := []*ovTable{supervisionTable(b.pl)}
	if bt := burdenTable(b.t); bt != nil {
		tables = append(tables, bt)
	}
	return tables
}

func countAnswered(counts []int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// demandTop returns the Kommunen of the supervision chart and their
// persons: all counted Kommunen in AGS order, or with more than ovDemandAll
// the ovDemandTop with the most persons (ties by AGS), and a note saying so.
func demandTop(pl Plan) (labels []string, values []float64, note string) {
	ks := slices.Clone(pl.Kommunen)
	if len(ks) > ovDemandAll {
		slices.SortStableFunc(ks, func(a, b KommunePlan) int {
			return cmp.Or(cmp.Compare(b.Persons, a.Persons), cmp.Compare(a.AGS, b.AGS))
		})
		note = fmt.Sprintf("Gezeigt: die %d Kommunen mit den meisten Personen von %s", ovDemandTop, FormatDecimalDE(float64(len(ks)), 0))
		ks = ks[:ovDemandTop]
	}
	for _, k := range ks {
		labels = append(labels, k.Name)
		values = append(values, float64(k.Persons))
	}
	return labels, values, note
}

// placeTables sets each table's first data row. last is the last row
// written before them; each table has an empty row, a title row and a
// header row above its data (or a note when it has none).
func placeTables(tables []*ovTable, last int) {
	for _, tb := range tables {
		tb.first = last + 4
		last = tb.first + max(len(tb.labels), 1) - 1
	}
}

func writeOvTable(w *sheetWriter, tb *ovTable) error {
	st := w.st
	w.skip(1)
	title := tb.title
	if tb.note != "" {
		title += " (" + tb.note + ")"
	}
	if err := w.add(textCell(title, st.bold)); err != nil {
		return err
	}
	if err := w.header(tb.first-1, tb.labelHeader, tb.valueHeader); err != nil {
		return err
	}
	for i, l := range tb.labels {
		if err := w.add(textCell(l, st.text), st.numCell(tb.values[i], fmtInt)); err != nil {
			return err
		}
	}
	if len(tb.labels) == 0 {
		return w.note("keine Daten")
	}
	return nil
}

// addCharts adds the native Excel charts to the right of the key figures.
func (b *planBook) addCharts(tables []*ovTable) error {
	type chartDef struct {
		title            string
		kind             excelize.ChartType
		cats, vals       string
		n                int
		valueAxis, label string
	}
	var defs []chartDef
	ov := sheetRef(SheetOverview)
	rangeOf := func(sheet string, col, a, b int) string {
		return sheet + "!" + absRef(col, a) + ":" + absRef(col, b)
	}
	sup := tables[0]
	if len(sup.labels) > 0 {
		z := sup.first + len(sup.labels) - 1
		defs = append(defs, chartDef{sup.title, excelize.Bar, rangeOf(ov, 1, sup.first, z), rangeOf(ov, 2, sup.first, z), len(sup.labels), "Personen", "Personen"})
	}
	if l := b.lay; len(b.pl.Training) > 0 {
		tr := sheetRef(SheetTraining)
		last := l.trSumCol - 1
		defs = append(defs, chartDef{"Fortbildung: Teilnehmende je Modul", excelize.Col,
			tr + "!" + absRef(l.trCol, l.trLabelRow) + ":" + absRef(last, l.trLabelRow),
			tr + "!" + absRef(l.trCol, l.trPartRow) + ":" + absRef(last, l.trPartRow), len(b.pl.Training), "Teilnehmende", "Teilnehmende"})
	}
	if len(tables) > 1 {
		bt := tables[1]
		z := bt.first + len(bt.labels) - 1
		defs = append(defs, chartDef{bt.title, excelize.Col, rangeOf(ov, 1, bt.first, z), rangeOf(ov, 2, bt.first, z), len(bt.labels), "Kommunen", "Kommunen"})
	}
	axisFont := excelize.Font{Color: "404040", Size: 9}
	row := 2
	for _, d := range defs {
		height := 320
		if d.kind == excelize.Bar {
			height = max(320, 90+24*d.n)
		}
		ch := &excelize.Chart{
			Type: d.kind,
			Series: []excelize.ChartSeries{{Name: d.label, Categories: d.cats, Values: d.vals,
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"0072B2"}}}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: d.title, Font: &excelize.Font{Bold: true, Size: 12}}}},
			Legend:    excelize.ChartLegend{Position: "none"},
			Dimension: excelize.ChartDimension{Width: 640, Height: uint(height)},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true},
			XAxis:     excelize.ChartAxis{ReverseOrder: d.kind == excelize.Bar, Font: axisFont},
			YAxis: excelize.ChartAxis{MajorGridLines: true, Font: axisFont,
				Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: d.valueAxis, Font: &axisFont}}}},
		}
		if err := b.f.AddChart(SheetOverview, cellName(5, row), ch); err != nil {
			return fmt.Errorf("Diagramm %q: %w", d.title, err)
		}
		row += int(math.Ceil(float64(height)/20)) + 2
	}
	// The demand map: a picture (a spreadsheet has no native maps), with
	// the BKG attribution drawn on it; without stored boundaries the
	// picture says so (the supervision table holds the values).
	m, err := demandMap(b.ds, b.pl, fmt.Sprintf("Gezählt: %s.", chCountWord(len(b.t.kommunen), "Antwort", "Antworten")))
	if err != nil {
		return fmt.Errorf("Karte: %w", err)
	}
	png, err := m.PNG()
	if err != nil {
		return fmt.Errorf("Karte: %w", err)
	}
	return b.f.AddPictureFromBytes(SheetOverview, cellName(5, row), &excelize.Picture{
		Extension: ".png", File: png,
		Format: &excelize.GraphicOptions{ScaleX: 0.8, ScaleY: 0.8, AltText: mapAltText(m, b.ds.GeoJSON != nil), LockAspectRatio: true},
	})
}

// mapAltText is the alternative text of the workbook's map picture: its
// title and the attribution, or without boundaries the notice.
func mapAltText(m *Chart, drawn bool) string {
	if !drawn {
		return m.Title() + ". " + NoBoundariesText
	}
	return m.Title() + ". " + MapAttributionBKG
}
