package analysis

// The Parameter sheet: the live planning parameters as input cells with
// defined names that the plan sheets' formulas use, the grouping
// parameters as values to change in the browser, and how the plan computes.

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// The defined names of the live parameters, used in the plan formulas.
const (
	nameSessions        = "Sitzungen_pro_Jahr"
	nameHours           = "Stunden_pro_Sitzung"
	nameFee             = "Honorar_pro_Stunde"
	nameTravel          = "Fahrtkosten_pro_Sitzung"
	nameVAT             = "USt_Prozent"
	nameTrainingMax     = "Teilnehmende_pro_Tag"
	nameTrainingDayCost = "Kosten_pro_Fortbildungstag"
	nameCaseload        = "Betreuungsschluessel"
	nameCostPerFTE      = "Kosten_pro_VZAE"
)

// browserNote marks the parameters a spreadsheet cannot apply.
const browserNote = "im Browser ändern"

// paramDef is one row of the Parameter sheet.
type paramDef struct {
	// name is the defined name of a live parameter, "" for the grouping
	// parameters, which are only shown.
	name         string
	label, unit  string
	value        any // float64, or "ja"/"nein"
	format, note string
	// lo, hi and whole bound a live value as Params.Validate does.
	lo, hi float64
	whole  bool
}

// paramDefs lists the live parameters, then the grouping parameters, as
// ParamSpecs describes them.
func paramDefs(p Params) (live, fixed []paramDef) {
	onOff := map[bool]string{true: "ja", false: "nein"}
	for _, spec := range ParamSpecs() {
		d := paramDef{name: spec.Excel, label: spec.Sheet, unit: spec.SheetUnit, value: spec.Get(p),
			format: spec.SheetFormat, note: spec.SheetNote, lo: spec.Lo, hi: spec.Hi, whole: spec.Kind == ParamInt}
		if spec.Kind == ParamBool {
			d.value = onOff[spec.Get(p) != 0]
		}
		if spec.Live {
			live = append(live, d)
		} else {
			fixed = append(fixed, d)
		}
	}
	return live, fixed
}

// Rows of the Parameter sheet.
const (
	paramHeaderRow    = 5
	paramFirstLiveRow = 6
)

// paramFormulas explains the plan's formulas on the Parameter sheet.
func paramFormulas() []string {
	return []string{
		"Supervisionsstunden einer Gruppe = Sitzungen pro Jahr × Stunden pro Sitzung",
		"Kosten netto einer Gruppe = Sitzungen × (Stunden × Honorar + Fahrtkosten pro Sitzung); Online-Gruppen ohne Fahrtkosten",
		"Kosten brutto = Kosten netto × (1 + Umsatzsteuer / 100)",
		"Anteil einer Kommune an einer Gruppe = Kosten der Gruppe × Personen der Kommune / Personen der Gruppe",
		"Fortbildungstage eines Moduls = Teilnehmende / höchstens Teilnehmende pro Tag, aufgerundet; Kosten = Tage × Kosten pro Tag",
		"Personalbedarf = betreute Geflüchtete / Betreuungsschlüssel; Lücke = Bedarf − besetzte Stellen (nicht unter 0); Kosten = Lücke × Kosten pro Vollzeitstelle",
	}
}

// writeParameters fills the Parameter sheet with the normal API (it has no
// formulas) and defines the names of the live cells.
func (b *planBook) writeParameters() error {
	f, st, sheet := b.f, b.st, SheetParameters
	if err := b.paramTop(); err != nil {
		return err
	}
	live, fixed := paramDefs(b.ds.params())
	row, err := paramFirstLiveRow, error(nil)
	for _, d := range live {
		if err := b.paramRow(row, d, st.input[d.format]); err != nil {
			return err
		}
		row++
	}
	row++
	if row, err = b.paramBasis(row); err != nil {
		return err
	}
	row++
	if err := b.setParam(cellName(1, row), "Bestimmen die Gruppen – "+browserNote, st.bold); err != nil {
		return err
	}
	row++
	for _, d := range fixed {
		style := st.fixed[fmtInt]
		if d.format != "" {
			style = st.fixed[d.format]
		}
		if err := b.paramRow(row, d, style); err != nil {
			return err
		}
		row++
	}
	row++
	if err := b.setParam(cellName(1, row), "So wird gerechnet", st.bold); err != nil {
		return err
	}
	for _, line := range paramFormulas() {
		row++
		if err := b.setParam(cellName(1, row), line, st.text); err != nil {
			return err
		}
	}
	for col, wd := range []float64{58, 14, 16, 28, 60} {
		if err := f.SetColWidth(sheet, colName(col+1), colName(col+1), wd); err != nil {
			return err
		}
	}
	return pageSetup(f, sheet, true, false)
}

// paramBasis writes, from row on, the name of the maßgeblich scenario and
// the headline figure as a formula over the plan sheets (so it follows the
// yellow cells above), and returns the row after them. The formula's
// cached value is the Go figure.
func (b *planBook) paramBasis(row int) (int, error) {
	st := b.st
	if err := b.setParam(cellName(1, row), "Maßgebliches Planungsszenario", st.text); err != nil {
		return row, err
	}
	if err := b.setParam(cellName(2, row), b.ds.scenario(), st.bold); err != nil {
		return row, err
	}
	if err := b.setParam(cellName(5, row), "Seine Werte stehen oben; andere Szenarien im Browser", st.note); err != nil {
		return row, err
	}
	row++
	cell := cellName(2, row)
	for _, c := range []struct {
		col   int
		v     any
		style int
	}{{1, TotalCostLabel, st.bold}, {2, sheetFloat(b.pl.Totals.TotalCost()), st.numBold[fmtEUR]}, {3, "€", st.text},
		{5, "Supervision brutto + Fortbildung + Kosten der Personallücke; rechnet mit den gelben Feldern", st.note}} {
		if err := b.setParam(cellName(c.col, row), c.v, c.style); err != nil {
			return row, err
		}
	}
	if err := b.f.SetCellFormula(SheetParameters, cell, b.totalCostFormula()); err != nil {
		return row, fmt.Errorf("Parameter %s: %w", cell, err)
	}
	return row + 1, nil
}

// setParam sets a cell of the Parameter sheet and its style.
func (b *planBook) setParam(cell string, v any, style int) error {
	if err := b.f.SetCellValue(SheetParameters, cell, v); err != nil {
		return err
	}
	return b.f.SetCellStyle(SheetParameters, cell, cell, style)
}

// paramTop writes the title, the notes and the table header.
func (b *planBook) paramTop() error {
	st, set := b.st, b.setParam
	texts := []struct {
		cell, text string
		style      int
	}{
		{"A1", "Parameter der Planung", st.title},
		{"A2", "Gelbe Felder können geändert werden: Supervision, Fortbildung, Personal und Übersicht rechnen mit.", st.note},
		{"A3", "Gruppengröße, Umkreis und Online-Gruppen bestimmen, wer in welcher Gruppe ist. Eine Tabellenkalkulation kann die Gruppen nicht neu bilden: diese Werte bitte im Browser ändern und die Auswertung neu herunterladen.", st.note},
	}
	for _, t := range texts {
		if err := set(t.cell, t.text, t.style); err != nil {
			return err
		}
	}
	for i, h := range []string{"Parameter", "Wert", "Einheit", "Name in Formeln", "Hinweis"} {
		if err := set(cellName(i+1, paramHeaderRow), h, st.header); err != nil {
			return err
		}
	}
	return nil
}

// paramRow writes one parameter; a live one gets its defined name and a
// validation with the bounds of Params.Validate.
func (b *planBook) paramRow(row int, d paramDef, valueStyle int) error {
	f, st, sheet := b.f, b.st, SheetParameters
	cells := []struct {
		col   int
		v     any
		style int
	}{{1, d.label, st.text}, {2, d.value, valueStyle}, {3, d.unit, st.text}, {4, d.name, st.text}, {5, d.note, st.note}}
	for _, c := range cells {
		cell := cellName(c.col, row)
		if err := f.SetCellValue(sheet, cell, c.v); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, c.style); err != nil {
			return err
		}
	}
	if d.name == "" {
		return nil
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: d.name, RefersTo: SheetParameters + "!" + absRef(2, row)}); err != nil {
		return fmt.Errorf("Name %s: %w", d.name, err)
	}
	dv := excelize.NewDataValidation(false)
	dv.SetSqref(cellName(2, row))
	kind := excelize.DataValidationTypeDecimal
	if d.whole {
		kind = excelize.DataValidationTypeWhole
	}
	if err := dv.SetRange(d.lo, d.hi, kind, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Ungültiger Wert",
		fmt.Sprintf("Bitte einen Wert zwischen %s und %s eingeben.", planNum(d.lo), planNum(d.hi)))
	return f.AddDataValidation(sheet, dv)
}
