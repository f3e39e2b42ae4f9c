package analysis

// The Vergleich sheet: each question's figures in this round beside the
// previous round's, matched by question id (ids stay the same across
// questionnaire versions). Figures are region-wide over the Kommunen
// counted in both rounds (see CompareRounds): the number of answers, sums and means of numbers, how often
// each option was chosen. What cannot be compared is said in the Hinweis
// column: new and dropped questions and options, changed types, free text.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// Kinds of figures per question or item.
const (
	statN     = "n"     // number of counted responses with an answer
	statSum   = "sum"   // sum of the numbers
	statMean  = "mean"  // sum / n
	statCount = "count" // how often an option was chosen
)

// statKey addresses one figure: question, item or option, kind.
type statKey struct{ q, item, kind string }

// roundStats are the region-wide figures of one round's counted responses.
type roundStats struct {
	qn               *survey.Questionnaire
	invited, counted int
	v                map[statKey]float64
	// on: add counts answers; off, it does nothing.
	on bool
}

func newRoundStats(qn *survey.Questionnaire) *roundStats {
	return &roundStats{qn: qn, v: map[statKey]float64{}}
}

// numericScale reports whether every option code of q is a number (as the
// five-level scales are), so that a mean level makes sense.
func numericScale(q *survey.Question) bool {
	for _, c := range q.Choices {
		if _, err := strconv.ParseFloat(c.Value, 64); err != nil {
			return false
		}
	}
	return len(q.Choices) > 0
}

// add counts one response's answers (when on).
func (s *roundStats) add(a survey.Answers) {
	if !s.on {
		return
	}
	for _, q := range s.qn.Questions() {
		s.addQuestion(q, a)
	}
}

func (s *roundStats) addQuestion(q *survey.Question, a survey.Answers) {
	switch q.Type {
	case survey.ItemNumbers, survey.Matrix:
		s.addItems(q, q.Items, a)
	case survey.MultipleChoice:
		s.addItems(q, q.Choices, a)
	case survey.Note:
	default:
		s.addSingle(q, a)
	}
}

func (s *roundStats) inc(q, item, kind string, d float64) { s.v[statKey{q, item, kind}] += d }

// addSingle counts a question with one answer: the answer; for numbers
// their sum; for options the option, and for a numeric scale the level.
func (s *roundStats) addSingle(q *survey.Question, a survey.Answers) {
	v, ok := a[survey.Key{Question: q.ID}]
	if !ok || !v.Valid() {
		return
	}
	s.inc(q.ID, "", statN, 1)
	switch q.Type {
	case survey.Integer, survey.Decimal:
		s.inc(q.ID, "", statSum, v.Num)
	case survey.SingleChoice, survey.Likert, survey.YesNo:
		s.inc(q.ID, v.Text, statCount, 1)
		if lvl, err := strconv.ParseFloat(v.Text, 64); err == nil && q.Type == survey.Likert {
			s.inc(q.ID, "", statSum, lvl)
		}
	}
}

// addItems counts a question with one answer per item or option: a chosen
// option; per item the answer and the sum of its numbers or numeric
// levels; and the question as answered when any item is.
func (s *roundStats) addItems(q *survey.Question, items []survey.Choice, a survey.Answers) {
	answered := false
	for _, it := range items {
		v, ok := a[survey.Key{Question: q.ID, Item: it.Value}]
		if !ok || !v.Valid() {
			continue
		}
		answered = true
		if q.Type == survey.MultipleChoice {
			s.inc(q.ID, it.Value, statCount, 1)
			continue
		}
		s.inc(q.ID, it.Value, statN, 1)
		if q.Type == survey.Matrix {
			s.inc(q.ID, it.Value+"\x00"+v.Text, statCount, 1) // see Comparison.Chosen
		}
		num, has := v.Num, v.HasNum
		if q.Type == survey.Matrix {
			lvl, err := strconv.ParseFloat(v.Text, 64)
			num, has = lvl, err == nil
		}
		if has {
			s.inc(q.ID, it.Value, statSum, num)
		}
	}
	if answered {
		s.inc(q.ID, "", statN, 1)
	}
}

// value returns a figure; ok is false for a mean without answers.
func (s *roundStats) value(q, item, kind string) (float64, bool) {
	if kind == statMean {
		n := s.v[statKey{q, item, statN}]
		if n == 0 {
			return 0, false
		}
		return s.v[statKey{q, item, statSum}] / n, true
	}
	return s.v[statKey{q, item, kind}], true
}

// metric is one comparable figure of a question.
type metric struct {
	item, itemLabel, kind, label, format string
}

// metricsOf lists the figures shown for a question.
func metricsOf(q *survey.Question) []metric {
	n := metric{kind: statN, label: "Anzahl Antworten", format: fmtInt}
	numFormat := fmtInt
	if q.Type == survey.Decimal {
		numFormat = Column{Q: q}.numberFormat()
	}
	var ms []metric
	switch q.Type {
	case survey.Integer, survey.Decimal:
		ms = []metric{n, {kind: statSum, label: "Summe", format: numFormat}, {kind: statMean, label: "Mittelwert", format: fmtDec2}}
	case survey.ItemNumbers:
		ms = []metric{n}
		for _, it := range q.Items {
			ms = append(ms, metric{it.Value, it.Label, statSum, "Summe", fmtInt})
		}
	case survey.SingleChoice, survey.Likert, survey.MultipleChoice:
		label := "Anzahl Kommunen"
		if q.Type == survey.MultipleChoice {
			label = "Anzahl Nennungen"
		}
		ms = []metric{n}
		for _, c := range q.Choices {
			ms = append(ms, metric{c.Value, c.Label, statCount, label, fmtInt})
		}
		if q.Type == survey.Likert && numericScale(q) {
			ms = append(ms, metric{kind: statMean, label: "Mittlere Stufe", format: fmtDec2})
		}
	case survey.YesNo:
		ms = []metric{n, {"ja", "ja", statCount, "Anzahl Kommunen", fmtInt}, {"nein", "nein", statCount, "Anzahl Kommunen", fmtInt}}
	case survey.Matrix:
		numeric := numericScale(q)
		for _, it := range q.Items {
			ms = append(ms, metric{it.Value, it.Label, statN, "Anzahl Antworten", fmtInt})
			if numeric {
				ms = append(ms, metric{it.Value, it.Label, statMean, "Mittlere Stufe", fmtDec2})
			}
		}
	case survey.Text, survey.LongText, survey.Date:
		ms = []metric{n}
	}
	return ms
}

// compareRow is one row of the Vergleich sheet.
type compareRow struct {
	id, question string
	m            metric
	prev, cur    *float64
	hint         string
}

// compareRows matches the two rounds' questions by id.
func compareRows(cur, prev *roundStats) []compareRow {
	var rows []compareRow
	for _, q := range cur.qn.Questions() {
		if q.Type == survey.Note || q.Personal {
			continue
		}
		rows = append(rows, compareQuestion(q, prev.qn.Question(q.ID), cur, prev)...)
	}
	for _, pq := range prev.qn.Questions() {
		if pq.Type == survey.Note || pq.Personal || cur.qn.Question(pq.ID) != nil {
			continue
		}
		for _, m := range metricsOf(pq) {
			rows = append(rows, compareRow{id: pq.ID, question: pq.Label, m: m, prev: statPtr(prev, pq.ID, m),
				hint: "in dieser Runde nicht mehr gefragt"})
		}
	}
	return rows
}

func statPtr(s *roundStats, q string, m metric) *float64 {
	v, ok := s.value(q, m.item, m.kind)
	if !ok {
		return nil
	}
	return &v
}

func compareQuestion(q, pq *survey.Question, cur, prev *roundStats) []compareRow {
	var rows []compareRow
	add := func(m metric, p, c *float64, hint string) {
		rows = append(rows, compareRow{id: q.ID, question: q.Label, m: m, prev: p, cur: c, hint: hint})
	}
	if pq == nil {
		for _, m := range metricsOf(q) {
			add(m, nil, statPtr(cur, q.ID, m), "neu in dieser Runde")
		}
		return rows
	}
	if ok, why := Comparable(pq, q); !ok {
		n := metric{kind: statN, label: "Anzahl Antworten", format: fmtInt}
		add(n, statPtr(prev, q.ID, n), statPtr(cur, q.ID, n), why.String()+"; nur die Zahl der Antworten")
		return rows
	}
	general := ""
	if pq.Label != q.Label {
		general = "Fragetext geändert (Vorrunde: „" + pq.Label + "“)"
	}
	prevMs := map[string]metric{}
	for _, m := range metricsOf(pq) {
		prevMs[m.item+"\x00"+m.kind] = m
	}
	seen := map[string]bool{}
	for _, m := range metricsOf(q) {
		key := m.item + "\x00" + m.kind
		seen[key] = true
		pm, ok := prevMs[key]
		switch {
		case !ok:
			add(m, nil, statPtr(cur, q.ID, m), joinHints(general, "nur in dieser Runde"))
		case pm.itemLabel != m.itemLabel:
			add(m, statPtr(prev, q.ID, m), statPtr(cur, q.ID, m), joinHints(general, "Bezeichnung geändert (Vorrunde: „"+pm.itemLabel+"“)"))
		default:
			add(m, statPtr(prev, q.ID, m), statPtr(cur, q.ID, m), general)
		}
	}
	for _, pm := range metricsOf(pq) {
		if !seen[pm.item+"\x00"+pm.kind] {
			add(pm, statPtr(prev, q.ID, pm), nil, joinHints(general, "nur in der Vorrunde"))
		}
	}
	return rows
}

func joinHints(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// Vergleich columns.
const (
	cmpColID = iota + 1
	cmpColQuestion
	cmpColItem
	cmpColKind
	cmpColPrev
	cmpColCur
	cmpColChange
	cmpColPercent
	cmpColHint
)

const cmpHeaderRow = 5

// writeCompareSheet writes the comparison with the previous round, or says
// that there is none.
func writeCompareSheet(f *excelize.File, st *wbStyles, ds Dataset, c *Comparison, need []ModuleUptake) error {
	var rows []compareRow
	if c != nil {
		rows = compareRows(c.cur, c.prev)
	}
	widths := []float64{24, 50, 30, 18, 14, 14, 14, 12, 50}
	if c == nil {
		w, err := openSheet(f, st, sheetLayout{name: SheetCompare, widths: widths})
		if err != nil {
			return err
		}
		if err := writeTop(w, "Vergleich mit der Vorrunde", "Es gibt keine frühere Erhebungsrunde: nichts zu vergleichen."); err != nil {
			return err
		}
		return w.flush()
	}
	invited, counted := float64(c.InvitedCur), float64(c.CountedCur)
	pInvited, pCounted := float64(c.InvitedPrev), float64(c.CountedPrev)
	head := []compareRow{
		{id: "", question: "Eingeladene Kommunen", m: metric{label: "Anzahl", format: fmtInt}, prev: &pInvited, cur: &invited},
		{id: "", question: "Verglichene Antworten", m: metric{label: "Anzahl", format: fmtInt}, prev: &pCounted, cur: &counted},
	}
	type apartLine struct {
		label string
		names []string
	}
	var apart []apartLine
	for _, a := range []apartLine{{"Nur in der Vorrunde gezählt (nicht verglichen)", c.OnlyPrev}, {"Nur in dieser Runde gezählt (nicht verglichen)", c.OnlyCur}} {
		if len(a.names) > 0 && !c.AllKommunen {
			apart = append(apart, a)
		}
	}
	// The whole layout is known before the first row: rows start below
	// the header, each line apart takes a blank row and its own, and the
	// sums' tables follow. Their charts are added to the sheet before it
	// is streamed (as the Übersicht's are): added after, excelize would
	// read the whole streamed sheet back into memory and write it again.
	firstRow := cmpHeaderRow + 1 + len(head)
	sums := layCompareSums(c, rows, firstRow, firstRow+len(rows)-1+2*len(apart))
	if err := addCompareCharts(f, st, sums); err != nil {
		return err
	}
	w, err := openSheet(f, st, sheetLayout{name: SheetCompare, headerRow: cmpHeaderRow, lastRow: cmpHeaderRow + 3 + len(rows),
		cols: len(widths), widths: widths, header: []string{"Frage-ID", "Frage", "Eintrag", "Kennzahl", "Vorrunde",
			"Diese Runde", "Veränderung", "Veränderung in %", "Hinweis"}})
	if err != nil {
		return err
	}
	if err := writeTop(w, "Vergleich mit der Vorrunde „"+ds.Previous.Round.Title+"“",
		CompareBasisDE(c)+" Frage für Frage über die Frage-ID verglichen; Kommunen, die nur in einer Runde gezählt sind, stehen unter der Tabelle.",
		"Veränderung = diese Runde − Vorrunde; in % bezogen auf die Vorrunde. Angaben zur Ansprechperson werden nicht verglichen."); err != nil {
		return err
	}
	if err := w.header(cmpHeaderRow); err != nil {
		return err
	}
	for i, r := range append(head, rows...) {
		if i == len(head) {
			if err := w.expect(firstRow, "erste Vergleichszeile"); err != nil {
				return err
			}
		}
		if err := w.add(compareCells(st, w.row+1, r)...); err != nil {
			return err
		}
	}
	for _, a := range apart {
		w.skip(1)
		if err := w.add(excelize.Cell{}, textCell(a.label+": "+strings.Join(a.names, ", "), st.wrap)); err != nil {
			return err
		}
	}
	if err := writeCompareSums(w, st, sums); err != nil {
		return err
	}
	if ds.PreviousUptake != nil {
		if err := writeUptakeBeside(w, st, ds.PreviousUptake, need); err != nil {
			return err
		}
	}
	return w.flush()
}

// sumTable is one of the Vergleich sheet's tables of sums of number
// questions in one unit, placed at its rows, with its chart.
type sumTable struct {
	title            string
	top, first, last int // the title row, the first and the last sum's row
	sums             []compareSum
	chart            *excelize.Chart
}

// compareSum is one sum of a sumTable: a formula over its row in the
// comparison above.
type compareSum struct {
	label, format string
	row           int
	prev, cur     *float64
}

// layCompareSums lays out the sums of the number questions, to be written
// under the comparison once more as small tables, one per unit, with a
// native bar chart of each beside it, as the comparison page draws them.
// rows are the comparison's rows from sheet row first on; the tables start
// below row last. Sums that no compared Kommune gave in either round are
// left out.
func layCompareSums(c *Comparison, rows []compareRow, first, last int) []sumTable {
	var units []string
	byUnit := map[string][]compareSum{}
	for i, r := range rows {
		if r.m.kind != statSum || r.prev == nil && r.cur == nil {
			continue
		}
		q := c.cur.qn.Question(r.id)
		if q == nil {
			q = c.prev.qn.Question(r.id)
		}
		unit := ""
		if q != nil {
			unit = q.Unit
		}
		label := r.question
		if r.m.itemLabel != "" {
			label += ": " + r.m.itemLabel
		}
		if _, ok := byUnit[unit]; !ok {
			units = append(units, unit)
		}
		byUnit[unit] = append(byUnit[unit], compareSum{label, r.m.format, first + i, r.prev, r.cur})
	}
	ref := sheetRef(SheetCompare)
	axisFont := excelize.Font{Color: "404040", Size: 9}
	tables := make([]sumTable, 0, len(units))
	row := last // the last row taken
	for _, unit := range units {
		t := sumTable{title: "Zahlenfragen: Summe in Vorrunde und dieser Runde", sums: byUnit[unit]}
		if unit != "" {
			t.title += " (" + unit + ")"
		}
		t.top = row + 2 // after a blank row
		t.first, t.last = t.top+1, t.top+len(t.sums)
		height := max(300, 110+36*len(t.sums))
		series := make([]excelize.ChartSeries, 2)
		for i, color := range []string{"0072B2", "E69F00"} {
			series[i] = excelize.ChartSeries{Name: ref + "!" + absRef(cmpColPrev+i, t.top),
				Categories: ref + "!" + absRef(cmpColQuestion, t.first) + ":" + absRef(cmpColQuestion, t.last),
				Values:     ref + "!" + absRef(cmpColPrev+i, t.first) + ":" + absRef(cmpColPrev+i, t.last),
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}}
		}
		t.chart = &excelize.Chart{
			Type:      excelize.Bar,
			Series:    series,
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t.title, Font: &excelize.Font{Bold: true, Size: 12}}}},
			Legend:    excelize.ChartLegend{Position: "top"},
			Dimension: excelize.ChartDimension{Width: 640, Height: uint(height)},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true},
			XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: axisFont},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont},
		}
		// Room for the chart before the next table.
		row = t.last + max(0, height/20+1-(t.last-t.top+1))
		tables = append(tables, t)
	}
	return tables
}

// addCompareCharts adds the sums' charts to the Vergleich sheet, before it
// is streamed (the other lane may change the workbook meanwhile).
func addCompareCharts(f *excelize.File, st *wbStyles, tables []sumTable) error {
	st.fileMu.Lock()
	defer st.fileMu.Unlock()
	for _, t := range tables {
		if err := f.AddChart(SheetCompare, cellName(cmpColChange, t.top), t.chart); err != nil {
			return fmt.Errorf("Vergleichsdiagramm: %w", err)
		}
	}
	return nil
}

// writeCompareSums writes the tables of sums where layCompareSums put
// them.
func writeCompareSums(w *sheetWriter, st *wbStyles, tables []sumTable) error {
	for _, t := range tables {
		w.skip(t.top - 1 - w.row)
		if err := w.expect(t.top, "Summentabelle"); err != nil {
			return err
		}
		if err := w.add(excelize.Cell{}, textCell(t.title, st.header), excelize.Cell{}, excelize.Cell{},
			textCell("Vorrunde", st.header), textCell("Diese Runde", st.header)); err != nil {
			return err
		}
		for _, s := range t.sums {
			cells := []excelize.Cell{{}, textCell(s.label, st.wrap), {}, {}, {}, {}}
			for i, v := range []*float64{s.prev, s.cur} {
				if v != nil {
					cells[cmpColPrev-1+i] = formulaCell(cellName(cmpColPrev+i, s.row), *v, st.num[s.format])
				}
			}
			if err := w.add(cells...); err != nil {
				return err
			}
		}
	}
	return nil
}

// CompareBasisDE states in German which Kommunen a comparison counts,
// e.g. "Verglichen werden die 9 Kommunen, die in beiden Runden gezählt sind."
func CompareBasisDE(c *Comparison) string {
	if c.AllKommunen {
		return fmt.Sprintf("Verglichen werden alle gezählten Antworten: Vorrunde %d, diese Runde %d.", c.CountedPrev, c.CountedCur)
	}
	return fmt.Sprintf("Verglichen werden die %s, die in beiden Runden gezählt sind.", chCountWord(len(c.Both), "Kommune", "Kommunen"))
}

// compareCells are the cells of one comparison row at row r; the change and
// its percentage are formulas over the two values.
func compareCells(st *wbStyles, r int, c compareRow) []excelize.Cell {
	value := func(v *float64) excelize.Cell {
		if v == nil {
			return excelize.Cell{}
		}
		return st.numCell(*v, c.m.format)
	}
	cells := []excelize.Cell{textCell(c.id, st.text), textCell(c.question, st.wrap), textCell(c.m.itemLabel, st.text),
		textCell(c.m.label, st.text), value(c.prev), value(c.cur), {}, {}, textCell(c.hint, st.wrap)}
	if c.prev == nil || c.cur == nil {
		return cells
	}
	p, n := cellName(cmpColPrev, r), cellName(cmpColCur, r)
	change := *c.cur - *c.prev
	cells[cmpColChange-1] = formulaCell(n+"-"+p, change, st.num[c.m.format])
	pct := any("")
	if *c.prev != 0 {
		pct = change / *c.prev
	}
	cells[cmpColPercent-1] = formulaCell(fmt.Sprintf(`IF(%s=0,"",(%s-%s)/%s)`, p, n, p, p), pct, st.num[fmtPercent])
	return cells
}
