package analysis

// The one-Kommune workbook of a report (KommuneReport): the same figures,
// the Kommune's part of the plan and its change since its previous round,
// in German like the other workbooks. It holds values only, no formulas:
// a formula over the others' values would need those values in the file.

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// The sheets of the report workbook.
const (
	SheetReportFigures = "Kennzahlen"
	SheetReportPlan    = "Planung"
	SheetReportChange  = "Veränderung"
)

// KommuneReportWorkbookName returns the download file name of a
// Kommune's report, e.g. "Ergebnisse_3_03241001.xlsx".
func KommuneReportWorkbookName(r KommuneReport) string {
	return fmt.Sprintf("Ergebnisse_%d_%s.xlsx", r.Round.ID, r.Kommune.AGS)
}

// WriteKommuneReportWorkbook writes the report to w as a workbook with
// three sheets: Kennzahlen (own value, the others' quartiles, position,
// notes), Planung (the Kommune's supervision groups, training seats and
// cost shares with their rules) and Veränderung (own values in the
// previous round and now). Text is written as text (never as a formula)
// after survey.SafeText.
func WriteKommuneReportWorkbook(w io.Writer, r KommuneReport) error {
	f, err := newWorkbook(SheetReportFigures, SheetReportPlan, SheetReportChange)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := newWBStyles(f)
	if err != nil {
		return err
	}
	title := "Ergebnisse: " + r.Kommune.Name + " (" + r.Kommune.AGS + ")"
	err = writeSheets(
		sheetStep{SheetReportFigures, func() error { return writeReportFigures(f, st, r, title) }},
		sheetStep{SheetReportPlan, func() error { return writeReportPlan(f, st, r, title) }},
		sheetStep{SheetReportChange, func() error { return writeReportChange(f, st, r, title) }},
	)
	if err != nil {
		return err
	}
	if err := setDocProps(f, Dataset{Round: r.Round, Generated: r.Generated}, survey.SafeText(title)); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("Arbeitsmappe schreiben: %w", err)
	}
	return nil
}

// rwText is a text cell of safe text.
func rwText(s string, style int) excelize.Cell { return textCell(survey.SafeText(s), style) }

// rwMessages joins messages into one German text.
func rwMessages(ms []*survey.Message) string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.String())
	}
	return strings.Join(out, " ")
}

// rwTop writes the title and the lines under it.
func rwTop(w *sheetWriter, r KommuneReport, title string, notes ...string) error {
	lines := append([]string{"Erhebungsrunde: " + r.Round.Title + " · erstellt am " + r.Generated.In(w.st.loc).Format("02.01.2006 um 15:04") + " Uhr"}, notes...)
	for i := range lines {
		lines[i] = survey.SafeText(lines[i])
	}
	return writeTop(w, survey.SafeText(title), lines...)
}

func writeReportFigures(f *excelize.File, st *wbStyles, r KommuneReport, title string) error {
	const headerRow = 6
	widths := []float64{40, 28, 14, 14, 14, 14, 12, 40, 60}
	header := []string{"Kennzahl", "Einheit", "Ihr Wert", "unteres Quartil", "Median", "oberes Quartil", "andere Kommunen", "Lage Ihres Werts", "Hinweis"}
	w, err := openSheet(f, st, sheetLayout{name: SheetReportFigures, headerRow: headerRow, lastRow: headerRow + len(r.Figures),
		cols: len(widths), widths: widths, header: header})
	if err != nil {
		return err
	}
	if err := rwTop(w, r, title,
		fmt.Sprintf("Quartile und Median über die anderen Kommunen mit Angabe (Ihre Kommune nicht mitgezählt); ein Vergleich erst ab %d anderen Kommunen.", r.MinGroup),
		"Einzelwerte anderer Kommunen enthält diese Mappe nicht."); err != nil {
		return err
	}
	if err := w.header(headerRow); err != nil {
		return err
	}
	for _, fg := range r.Figures {
		format := fmtDec2
		if fg.Integer {
			format = fmtDec
		}
		cells := []excelize.Cell{rwText(fg.Label.String(), st.wrap), rwText(fg.Unit.String(), st.wrap), excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, st.numCell(float64(fg.N), fmtInt),
			rwText(fg.Position.Message().String(), st.wrap), rwText(rwMessages(append([]*survey.Message{fg.Definition}, fg.Notes...)), st.wrap)}
		if fg.OwnAnswered {
			cells[2] = st.numCell(fg.Own, format)
		} else {
			cells[2] = rwText("nicht angegeben", st.text)
		}
		if fg.Compared {
			cells[3], cells[4], cells[5] = st.numCell(fg.Q1, fmtDec2), st.numCell(fg.Median, fmtDec2), st.numCell(fg.Q3, fmtDec2)
		}
		if err := w.add(cells...); err != nil {
			return err
		}
	}
	return w.flush()
}

func writeReportPlan(f *excelize.File, st *wbStyles, r KommuneReport, title string) error {
	pl := r.Plan
	widths := []float64{34, 40, 12, 12, 16, 40, 16, 16}
	header := []string{"Gruppe", "Treffpunkt", "Sitzungen", "Ihre Personen", "andere Kommunen", "Namen der anderen Kommunen", "Richtwert Kosten netto", "Richtwert Kosten brutto"}
	notes := []string{"Maßgebliches Szenario: " + pl.Scenario}
	for _, m := range pl.Notes {
		notes = append(notes, m.String())
	}
	for _, m := range pl.CostRules {
		notes = append(notes, m.String())
	}
	headerRow := 3 + len(notes) + 1
	w, err := openSheet(f, st, sheetLayout{name: SheetReportPlan, headerRow: headerRow, lastRow: headerRow + len(pl.Groups),
		cols: len(widths), widths: widths, header: header, noFilter: true})
	if err != nil {
		return err
	}
	if err := rwTop(w, r, title, notes...); err != nil {
		return err
	}
	if err := w.header(headerRow); err != nil {
		return err
	}
	for _, g := range pl.Groups {
		if err := w.add(rwText(g.ID+" ("+g.Kind.Label()+")", st.text), rwText(g.Place.String(), st.wrap),
			st.numCell(float64(g.Sessions), fmtInt), st.numCell(float64(g.Seats), fmtInt), st.numCell(float64(g.OtherMembers), fmtInt),
			rwText(strings.Join(g.OtherNames, ", "), st.wrap), st.numCell(g.NetShare, fmtEUR), st.numCell(g.GrossShare, fmtEUR)); err != nil {
			return err
		}
	}
	if err := w.add(rwText("Supervision gesamt", st.bold), excelize.Cell{}, excelize.Cell{}, st.numCell(float64(pl.Persons-pl.Unplaced), fmtInt), excelize.Cell{}, excelize.Cell{},
		st.numCell(pl.SupervisionNet, fmtEUR), st.numCell(pl.SupervisionGross, fmtEUR)); err != nil {
		return err
	}
	w.skip(1)
	if err := w.add(textCell("Fortbildungsmodul", st.header), textCell("", st.header), textCell("", st.header), textCell("Ihre Plätze", st.header),
		textCell("", st.header), textCell("", st.header), textCell("Richtwert Kosten", st.header)); err != nil {
		return err
	}
	for _, t := range pl.Training {
		if err := w.add(rwText(t.Label, st.wrap), excelize.Cell{}, excelize.Cell{}, st.numCell(float64(t.Seats), fmtInt), excelize.Cell{}, excelize.Cell{}, st.numCell(t.CostShare, fmtEUR)); err != nil {
			return err
		}
	}
	if err := w.add(rwText("Fortbildung gesamt", st.bold), excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, st.numCell(pl.TrainingCost, fmtEUR)); err != nil {
		return err
	}
	return w.flush()
}

func writeReportChange(f *excelize.File, st *wbStyles, r KommuneReport, title string) error {
	const headerRow = 5
	widths := []float64{40, 28, 16, 16, 16, 50}
	header := []string{"Kennzahl", "Einheit", "Ihr Wert früher", "Ihr Wert jetzt", "Veränderung", "Hinweis"}
	w, err := openSheet(f, st, sheetLayout{name: SheetReportChange, headerRow: headerRow, lastRow: headerRow + len(r.Changes),
		cols: len(widths), widths: widths, header: header})
	if err != nil {
		return err
	}
	prev := rwMessages(r.Notes)
	if r.Previous != nil {
		prev = "Frühere Runde: " + r.Previous.Title
	}
	if err := rwTop(w, r, title, prev); err != nil {
		return err
	}
	if err := w.header(headerRow); err != nil {
		return err
	}
	for _, c := range r.Changes {
		cells := []excelize.Cell{rwText(c.Label.String(), st.wrap), rwText(c.Unit.String(), st.wrap), excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, rwText(c.Note.String(), st.wrap)}
		if c.PrevAnswered {
			cells[2] = st.numCell(c.Prev, fmtDec2)
		}
		if c.CurAnswered {
			cells[3] = st.numCell(c.Cur, fmtDec2)
		}
		if d, ok := c.Diff(); ok {
			cells[4] = st.numCell(d, fmtDec2)
		}
		if err := w.add(cells...); err != nil {
			return err
		}
	}
	return w.flush()
}
