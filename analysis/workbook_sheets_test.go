package analysis

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// wbPlanOf computes the plan of a dataset independently of the workbook
// code: InputOf for every counted response.
func wbPlanOf(t *testing.T, ds Dataset) Plan {
	t.Helper()
	var in []KommuneInput
	if err := ds.Each(func(r survey.Response, a survey.Answers) error {
		if r.Status == survey.StatusSubmitted || ds.IncludeDrafts && (r.Status == survey.StatusDraft || r.Status == survey.StatusReturned) {
			in = append(in, InputOf(ds.Questionnaire, r.Kommune, a))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return Compute(in, Modules(ds.Questionnaire), ds.Params)
}

// TestWorkbookLayout checks the sheets and what makes them pleasant to
// read and print: order, frozen headers, autofilter, print titles, page
// setup, widths, number formats, defined names, charts, properties.
func TestWorkbookLayout(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	data := wbBytes(t, ds)
	f := wbOpen(t, data)
	want := []string{SheetOverview, SheetParameters, SheetSupervision, SheetShares, SheetTraining, SheetStaffing,
		SheetKommunen, SheetAnswers, SheetQuestions, SheetCompare}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Error("the workbook must open on Übersicht")
	}
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	tables := []struct {
		sheet      string
		header     int
		freezeCols int
		fit        bool
	}{
		{SheetSupervision, 5, 0, true}, {SheetShares, 4, 2, true}, {SheetTraining, 10, 2, true}, {SheetStaffing, 4, 2, true},
		{SheetKommunen, 1, 2, true}, {SheetAnswers, 1, 2, false}, {SheetQuestions, 1, 0, true},
	}
	for _, tb := range tables {
		panes, err := f.GetPanes(tb.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != tb.header || panes.XSplit != tb.freezeCols {
			t.Errorf("%s: panes %+v, want frozen at row %d, %d columns", tb.sheet, panes, tb.header, tb.freezeCols)
		}
		raw := wbSheetXML(t, data, tb.sheet)
		if !regexp.MustCompile(`<autoFilter ref="\$?A\$?` + strconv.Itoa(tb.header) + `:`).MatchString(raw) {
			t.Errorf("%s: no autofilter on row %d", tb.sheet, tb.header)
		}
		if !strings.Contains(titles[tb.sheet], fmt.Sprintf("$%d:$%d", tb.header, tb.header)) {
			t.Errorf("%s: print titles %q", tb.sheet, titles[tb.sheet])
		}
		lay, err := f.GetPageLayout(tb.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if lay.Orientation == nil || *lay.Orientation != "landscape" {
			t.Errorf("%s: not landscape", tb.sheet)
		}
		fits := lay.FitToWidth != nil && *lay.FitToWidth == 1
		if fits != tb.fit {
			t.Errorf("%s: fit to width %v, want %v", tb.sheet, fits, tb.fit)
		}
	}
	for _, sheet := range want {
		lay, err := f.GetPageLayout(sheet)
		if err != nil || lay.Orientation == nil || *lay.Orientation != "landscape" {
			t.Errorf("%s: not landscape (%v)", sheet, err)
		}
	}
	if w, _ := f.GetColWidth(SheetSupervision, "D"); w < 40 {
		t.Errorf("Supervision: members column %v wide", w)
	}
	wbCheckFormat(t, f, SheetSupervision, cellName(supColNet, 6), fmtEUR)
	wbCheckFormat(t, f, SheetStaffing, cellName(stColGapCost, 5), fmtEUR)
	wbCheckFormat(t, f, SheetOverview, cellName(2, wbFigureRow(t, f, "Rücklaufquote")), fmtPercent)

	live, _ := paramDefs(DefaultParams())
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		names[dn.Name] = dn.RefersTo
	}
	for _, d := range live {
		ref, ok := names[d.name]
		if !ok {
			t.Errorf("defined name %s missing", d.name)
			continue
		}
		sheet, cell, _ := strings.Cut(ref, "!")
		if got := wbNum(t, f, sheet, strings.ReplaceAll(cell, "$", "")); got != d.value {
			t.Errorf("%s = %v, want %v", d.name, got, d.value)
		}
	}
	if got := wbRaw(t, f, SheetParameters, "E"+strconv.Itoa(paramFirstLiveRow+len(live)+5)); got != browserNote {
		t.Errorf("grouping parameters not marked %q: %q", browserNote, got)
	}

	files := wbZip(t, data)
	charts := 0
	for name, content := range files {
		if !strings.HasPrefix(name, "xl/charts/chart") {
			continue
		}
		charts++
		for _, m := range regexp.MustCompile(`<c:f>([^<]+)</c:f>`).FindAllStringSubmatch(string(content), -1) {
			if !strings.Contains(m[1], "!$") {
				t.Errorf("%s: reference %q", name, m[1])
			}
		}
	}
	if charts != 3 {
		t.Errorf("%d charts, want 3", charts)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Title != "Auswertung: Bedarfsabfrage 2026" || props.Language != "de-DE" || props.Creator != "bedarf" || props.Created == "" {
		t.Errorf("document properties %+v", props)
	}
}

func wbCheckFormat(t *testing.T, f *excelize.File, sheet, cell, format string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil || *st.CustomNumFmt != format {
		t.Errorf("%s!%s: number format %v, want %s", sheet, cell, st.CustomNumFmt, format)
	}
}

// TestWorkbookCachedValuesArePlan compares the cached values of the plan
// sheets with a plan computed independently from the answers, to the cent.
func TestWorkbookCachedValuesArePlan(t *testing.T) {
	for _, params := range []Params{DefaultParams(), {GroupMin: 4, GroupMax: 6, SessionsPerYear: 11, HoursPerSession: 1.5,
		FeePerHour: 133.33, TravelPerSession: 21.7, RadiusKm: 20, VATPercent: 19, TrainingMaxPerDay: 18,
		TrainingDayCost: 1111.11, TargetCaseload: 110, CostPerFTE: 71234.5}} {
		ds := wbDemoDataset(t, 3)
		ds.Params = params
		pl := wbPlanOf(t, ds)
		f := wbOpen(t, wbBytes(t, ds))
		lay := newPlanLayout(pl, &tally{})
		check := func(sheet string, col, row int, want float64) {
			t.Helper()
			cell := cellName(col, row)
			got := wbNum(t, f, sheet, cell)
			if !wbClose(got, want) || RoundCents(got) != RoundCents(want) {
				t.Errorf("%s!%s = %v, want %v", sheet, cell, got, want)
			}
		}
		for i, g := range pl.Groups {
			r := lay.supFirst + i
			check(SheetSupervision, supColPersons, r, float64(g.Size))
			check(SheetSupervision, supColHours, r, g.SupervisorHours)
			check(SheetSupervision, supColNet, r, g.NetCost)
			check(SheetSupervision, supColGross, r, g.GrossCost)
		}
		if len(pl.Groups) < 5 {
			t.Fatalf("only %d groups in the test data", len(pl.Groups))
		}
		tot := pl.Totals
		check(SheetSupervision, supColNet, lay.supTotal, tot.SupervisionNet)
		check(SheetSupervision, supColGross, lay.supTotal, tot.SupervisionGross)
		check(SheetTraining, lay.trSumCol, lay.trCostRow, tot.TrainingCost)
		check(SheetTraining, lay.trSumCol, lay.trDaysRow, float64(tot.TrainingDays))
		for i, tp := range pl.Training {
			check(SheetTraining, lay.trCol+i, lay.trDaysRow, float64(tp.Days))
		}
		for i, s := range pl.Staffing {
			check(SheetStaffing, stColNeed, lay.stFirst+i, s.NeedFTE)
			check(SheetStaffing, stColGapCost, lay.stFirst+i, s.GapCost)
			check(SheetStaffing, stColGapCostExp, lay.stFirst+i, s.GapCostExpected)
		}
		check(SheetStaffing, stColGapCost, lay.stTotal, tot.GapCost)
		for _, k := range pl.Kommunen {
			row := wbRowOf(t, f, SheetKommunen, k.Name)
			check(SheetKommunen, 18, row, k.NetShare)
			check(SheetKommunen, 19, row, k.GrossShare)
		}
		check(SheetOverview, 2, wbFigureRow(t, f, "Supervision (brutto) und Fortbildung zusammen"), tot.SupervisionGross+tot.TrainingCost)
		check(SheetOverview, 2, wbFigureRow(t, f, "Kosten der Personallücke pro Jahr"), tot.GapCost)
		check(SheetOverview, 2, wbFigureRow(t, f, TotalCostLabel), tot.SupervisionGross+tot.TrainingCost+tot.GapCost)
		check(SheetParameters, 2, wbLabelRow(t, f, SheetParameters, TotalCostLabel), tot.SupervisionGross+tot.TrainingCost+tot.GapCost)
	}
}

// TestWorkbookNamesBasis checks that Übersicht and Parameter name the
// maßgeblich scenario and carry the headline "Gesamtkosten pro Jahr" as a
// formula over the plan sheets (supervision gross, training, staffing gap).
func TestWorkbookNamesBasis(t *testing.T) {
	for _, tc := range []struct{ scenario, want string }{{"", DefaultScenario}, {"Sparvariante 2027", "Sparvariante 2027"}} {
		ds := wbDemoDataset(t, 1)
		ds.Scenario = tc.scenario
		f := wbOpen(t, wbBytes(t, ds))
		lay := newPlanLayout(wbPlanOf(t, ds), &tally{})
		for _, sheet := range []string{SheetOverview, SheetParameters} {
			row := wbLabelRow(t, f, sheet, "Maßgebliches Planungsszenario")
			if got := wbRaw(t, f, sheet, cellName(2, row)); got != tc.want {
				t.Errorf("%s: scenario %q, want %q", sheet, got, tc.want)
			}
			cell := cellName(2, wbLabelRow(t, f, sheet, TotalCostLabel))
			fo, err := f.GetCellFormula(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range []string{
				SheetSupervision + "!" + cellName(supColGross, lay.supTotal),
				SheetTraining + "!" + cellName(lay.trSumCol, lay.trCostRow),
				sheetRef(SheetStaffing) + "!" + cellName(stColGapCost, lay.stTotal),
			} {
				if !strings.Contains(fo, part) {
					t.Errorf("%s!%s = %q, does not add %s", sheet, cell, fo, part)
				}
			}
		}
	}
}

// wbFigureRow returns the row of a key figure on Übersicht.
func wbFigureRow(t *testing.T, f *excelize.File, label string) int {
	t.Helper()
	return wbLabelRow(t, f, SheetOverview, label)
}

// wbLabelRow returns the first row of a sheet whose column A is label.
func wbLabelRow(t *testing.T, f *excelize.File, sheet, label string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == label {
			return i + 1
		}
	}
	t.Fatalf("%s: no row %q", sheet, label)
	return 0
}

// TestWorkbookAnswers checks the answers table: labelled columns, one 0/1
// column per option, numbers as numbers, dates as dates, all responses.
func TestWorkbookAnswers(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	f := wbOpen(t, wbBytes(t, ds))
	rows, err := f.GetRows(SheetAnswers)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(ds.Responses) {
		t.Fatalf("%d rows, want %d", len(rows), 1+len(ds.Responses))
	}
	cols := AnswerColumns(ds.Questionnaire)
	for _, c := range cols {
		if c.Q.Type == survey.MultipleChoice && !strings.HasPrefix(c.Header, c.Q.Label+": ") {
			t.Errorf("option column %q", c.Header)
		}
	}
	i := 1
	if err := ds.Each(func(r survey.Response, a survey.Answers) error {
		i++
		for j, c := range cols {
			cell := cellName(4+j, i)
			got := wbRaw(t, f, SheetAnswers, cell)
			typ, _ := f.GetCellType(SheetAnswers, cell)
			switch v := c.CellValue(a).(type) {
			case nil:
				if got != "" {
					t.Errorf("%s: %q, want empty", cell, got)
				}
			case float64:
				if x, err := strconv.ParseFloat(got, 64); err != nil || x != v || typ != excelize.CellTypeUnset {
					t.Errorf("%s (%s): %q (type %v), want the number %v", cell, c.Header, got, typ, v)
				}
			case string:
				if got != v || typ != excelize.CellTypeInlineString {
					t.Errorf("%s (%s): %q, want %q", cell, c.Header, got, v)
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestWorkbookCounts: only submitted responses feed the plan unless
// IncludeDrafts; the Kommunen sheet says which.
func TestWorkbookCounts(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	submitted := 0
	for _, r := range ds.Responses {
		if r.Status == survey.StatusSubmitted {
			submitted++
		}
	}
	for _, drafts := range []bool{false, true} {
		ds.IncludeDrafts = drafts
		f := wbOpen(t, wbBytes(t, ds))
		want := submitted
		if drafts {
			want = len(ds.Responses) - 2 // all but the two not started
		}
		if got := wbNum(t, f, SheetOverview, cellName(2, wbFigureRow(t, f, "In der Planung gezählt"))); int(got) != want {
			t.Errorf("IncludeDrafts %v: %v counted, want %d", drafts, got, want)
		}
		rows, _ := f.GetRows(SheetStaffing)
		if got := len(rows) - 4 - 2; got != want {
			t.Errorf("IncludeDrafts %v: %d staffing rows, want %d", drafts, got, want)
		}
	}
}

// TestWorkbookEmptyRound: a round without answers still gives a valid
// workbook with zero figures.
func TestWorkbookEmptyRound(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	for i := range ds.Responses {
		ds.Responses[i].Status = survey.StatusNew
	}
	f := wbOpen(t, wbBytes(t, ds))
	if got := wbNum(t, f, SheetOverview, cellName(2, wbFigureRow(t, f, "Supervision: Kosten brutto pro Jahr"))); got != 0 {
		t.Errorf("cost %v", got)
	}
	if got := wbRaw(t, f, SheetOverview, cellName(2, wbFigureRow(t, f, "Betreute je Vollzeitstelle"))); got != "" {
		t.Errorf("caseload without positions: %q, want empty", got)
	}
}

// TestWorkbookRejects invalid parameters and missing parts.
func TestWorkbookRejects(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	ds.Params.GroupMin = 40
	if err := WriteWorkbook(&strings.Builder{}, ds); err == nil || !strings.Contains(err.Error(), "GroupMin") {
		t.Errorf("invalid parameters: %v", err)
	}
	ds = wbDemoDataset(t, 1)
	ds.Each = nil
	if err := WriteWorkbook(&strings.Builder{}, ds); err == nil {
		t.Error("no error without Each")
	}
	ds = wbDemoDataset(t, 1)
	ds.Params = Params{}
	if err := WriteWorkbook(&strings.Builder{}, ds); err != nil {
		t.Errorf("zero Params must mean the defaults: %v", err)
	}
}

// TestCatch: a panic on one of the workbook's goroutines becomes an error
// of the download instead of ending the server.
func TestCatch(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func() error
		want string
	}{
		{"nil", func() error { return nil }, ""},
		{"error", func() error { return errors.New("kaputt") }, "kaputt"},
		{"panic", func() error { panic("index out of range") }, "Auswertung: interner Fehler: index out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := catch(tc.fn)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("catch = %q, want %q", got, tc.want)
			}
		})
	}
}
