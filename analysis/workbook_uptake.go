package analysis

// The Umsetzung sheet (issue 20, item 7): the round's uptake against its
// need, as UptakeOf computes it, written as values (no formulas). It is
// the last sheet and only there when the Dataset carries an Uptake, so the
// other sheets stay as they were.

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// SheetUptake is the name of the uptake sheet.
const SheetUptake = "Umsetzung"

// uptakeHeaderRow is the row of the Umsetzung sheet's table header.
const uptakeHeaderRow = 5

// uptakeFigureCells are the five counts as number cells.
func (st *wbStyles) uptakeFigureCells(f UptakeFigures, bold bool) []excelize.Cell {
	styles := st.num
	if bold {
		styles = st.numBold
	}
	out := make([]excelize.Cell, 0, 5)
	for _, v := range []int{f.Need, f.Offered, f.Booked, f.Attended, f.Waiting} {
		out = append(out, excelize.Cell{Value: v, StyleID: styles[fmtInt]})
	}
	return out
}

func euros(cents int64) float64 { return float64(cents) / 100 }

// WriteUptakeWorkbook writes a workbook of the Umsetzung sheet alone,
// exactly as the evaluation workbook has it, for the round titled round.
// bedarf bench measures the sheet with it against the uptake's bare
// queries.
func WriteUptakeWorkbook(w io.Writer, round string, u *Uptake) error {
	f, err := newWorkbook(SheetUptake)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := newWBStyles(f)
	if err != nil {
		return err
	}
	if err := writeUptakeSheet(f, st, round, u); err != nil {
		return fmt.Errorf("Blatt %s: %w", SheetUptake, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("Arbeitsmappe schreiben: %w", err)
	}
	return nil
}

// writeUptakeSheet writes the Umsetzung sheet: the table per Kommune and
// module, then the sums per module, the groups' continuity and the costs.
func writeUptakeSheet(f *excelize.File, st *wbStyles, round string, u *Uptake) error {
	widths := []float64{12, 30, 26, 12, 12, 12, 14, 12}
	w, err := openSheet(f, st, sheetLayout{name: SheetUptake, headerRow: uptakeHeaderRow, lastRow: uptakeHeaderRow + len(u.Rows),
		cols: len(widths), widths: widths, freezeCols: 2,
		header: []string{"AGS", "Kommune", "Modul", "Bedarf", "Angeboten", "Gebucht", "Teilgenommen", "Warteliste"}})
	if err != nil {
		return err
	}
	if err := writeTop(w, "Umsetzung: Angebote und Teilnahme gegen den Bedarf – "+round,
		"Bedarf wie im Plan (maßgebliches Szenario): Personen für Gruppensupervision, Interessierte je Fortbildungsmodul. Angeboten: Plätze der Kommune in Gruppen bzw. für sie reservierte Plätze an Fortbildungstagen.",
		"Gebucht: Buchungen mit Platz (gebucht oder teilgenommen); Teilgenommen: Fortbildung anwesend, Supervision bei mindestens einer Sitzung anwesend; Stand "+u.At.In(st.loc).Format("02.01.2006 15:04")+"."); err != nil {
		return err
	}
	if err := w.header(uptakeHeaderRow); err != nil {
		return err
	}
	for _, r := range u.Rows {
		cells := append([]excelize.Cell{textCell(r.AGS, st.text), textCell(r.Name, st.text), textCell(r.Label, st.text)}, st.uptakeFigureCells(r.UptakeFigures, false)...)
		if err := w.add(cells...); err != nil {
			return err
		}
	}
	w.skip(1)
	if err := w.title("Summen je Modul"); err != nil {
		return err
	}
	if err := w.header(w.row+1, "", "", "Modul", "Bedarf", "Angeboten", "Gebucht", "Teilgenommen", "Warteliste"); err != nil {
		return err
	}
	for _, m := range u.Modules {
		if err := w.add(append([]excelize.Cell{{}, {}, textCell(m.Label, st.text)}, st.uptakeFigureCells(m.UptakeFigures, false)...)...); err != nil {
			return err
		}
	}
	if err := w.add(append([]excelize.Cell{{}, {}, textCell("Summe", st.bold)}, st.uptakeFigureCells(u.Total, true)...)...); err != nil {
		return err
	}
	w.skip(1)
	if err := w.title("Kontinuität der Supervisionsgruppen"); err != nil {
		return err
	}
	if err := w.note("Kontinuität = besuchte Sitzungen je Teilnehmende ÷ stattgefundene Sitzungen (Mittel über die gebuchten Teilnehmenden)."); err != nil {
		return err
	}
	if err := w.header(w.row+1, "", "Gruppe", "", "Teilnehmende", "Sitzungen gehalten", "Besuche", "Kontinuität"); err != nil {
		return err
	}
	for _, g := range u.Groups {
		cont := excelize.Cell{Value: "–", StyleID: st.text}
		if c, ok := g.Continuity(); ok {
			cont = st.numCell(c, fmtPercent)
		}
		if err := w.add(excelize.Cell{}, textCell(g.Title, st.text), excelize.Cell{}, excelize.Cell{Value: g.Participants, StyleID: st.num[fmtInt]},
			excelize.Cell{Value: g.Held, StyleID: st.num[fmtInt]}, excelize.Cell{Value: g.Attended, StyleID: st.num[fmtInt]}, cont); err != nil {
			return err
		}
	}
	w.skip(1)
	if err := w.title("Kosten: Plan und Angebote"); err != nil {
		return err
	}
	if err := w.note("Plan: Kosten des Plans (Gruppen brutto); Angebot: mit Anbieter, Termine und noch nicht terminierte Sitzungen, brutto; bisher: die stattgefundenen Termine, brutto."); err != nil {
		return err
	}
	if err := w.header(w.row+1, "", "Angebot", "Art", "Plan", "Angebot", "bisher", "Anbieter fehlt"); err != nil {
		return err
	}
	kind := map[string]string{"group": "Supervisionsgruppe", "training": "Fortbildung"}
	for _, c := range append(u.Costs, u.CostTotal) {
		missing := ""
		if c.NoProvider {
			missing = "ja"
		}
		style := st.num[fmtEUR]
		label := textCell(c.Label, st.text)
		if c.Kind == "" {
			style, label = st.numBold[fmtEUR], textCell(c.Label, st.bold)
		}
		if err := w.add(excelize.Cell{}, label, textCell(kind[string(c.Kind)], st.text), excelize.Cell{Value: euros(c.PlannedCents), StyleID: style},
			excelize.Cell{Value: euros(c.OfferCents), StyleID: style}, excelize.Cell{Value: euros(c.HeldCents), StyleID: style}, textCell(missing, st.text)); err != nil {
			return err
		}
	}
	return w.flush()
}

// writeUptakeBeside writes, under the Vergleich sheet's tables, the
// previous round's uptake per module beside this round's need (modules of
// either round).
func writeUptakeBeside(w *sheetWriter, st *wbStyles, prev *Uptake, need []ModuleUptake) error {
	w.skip(1)
	if err := w.title("Umsetzung der Vorrunde und Bedarf dieser Runde"); err != nil {
		return err
	}
	if err := w.note("Je Modul: Bedarf, Angebot, Buchungen, Teilnahme und Warteliste der Vorrunde (wie im Blatt Umsetzung der Vorrunde) neben dem Bedarf dieser Runde."); err != nil {
		return err
	}
	if err := w.header(w.row+1, "", "Modul", "Bedarf Vorrunde", "Angeboten", "Gebucht", "Teilgenommen", "Warteliste", "Bedarf diese Runde"); err != nil {
		return err
	}
	for _, b := range UptakeBeside(prev, need) {
		cells := append([]excelize.Cell{{}, textCell(b.Label, st.text)}, st.uptakeFigureCells(b.Previous, false)...)
		if err := w.add(append(cells, excelize.Cell{Value: b.Need, StyleID: st.num[fmtInt]})...); err != nil {
			return err
		}
	}
	return nil
}
