package analysis

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// rfAnswers are the answers of one Kommune in a report fixture; vac ""
// and a training value below 0 leave the question unanswered.
type rfAnswers struct {
	gu, privat, staff int
	fte               float64
	burden, wish      int
	vac               string
	training          [4]int
	format            string
}

// form returns the answers as the questionnaire page posts them.
func (a rfAnswers) form(k survey.Kommune) map[string][]string {
	n := func(v int) []string { return []string{strconv.Itoa(v)} }
	format := a.format
	if format == "" {
		format = "vor_ort"
	}
	f := map[string][]string{
		"q.kontakt_name":                {"Ansprechperson " + k.Name},
		"q.kontakt_email":               {"kontakt@" + k.AGS + ".example"},
		"q.betreute_gu":                 n(a.gu),
		"q.betreute_privat":             n(a.privat),
		"q.fachkraefte_personen":        n(a.staff),
		"q.fachkraefte_vzae":            {survey.FormatInputDE(a.fte)},
		"q.belastung_gesamt":            n(a.burden),
		"q.supervision_vorhanden":       {"nein"},
		"q.supervision_gruppe_personen": n(a.wish),
		"q.supervision_format":          {format},
	}
	if a.vac != "" {
		f["q.offene_stellen_vzae"] = []string{a.vac}
	}
	for i, m := range []string{"asylrecht", "ausbildung_arbeit", "gesundheit", "trauma"} {
		if a.training[i] >= 0 {
			f["q.fortbildung_teilnehmende."+m] = n(a.training[i])
		}
	}
	return f
}

// rfStore is a store with the 21 Kommunen of the demo region and the
// default questionnaire.
type rfStore struct {
	st  *store.Store
	qn  *survey.Questionnaire
	qid int64
	ks  []survey.Kommune // in AGS order
	sys survey.Actor
}

// newRFStore seeds a fresh database with the demo region and a first round
// in which the Kommunen with answers in first submit (by index in AGS
// order).
func newRFStore(t *testing.T, first map[int]rfAnswers) (*rfStore, survey.Round) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "report.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		t.Fatal(err)
	}
	bounds, err := survey.MatchBoundaries(DefaultRegionGeoJSON(), ks)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := auth.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	sys := survey.Actor{Kind: "system", Label: "Test"}
	_, err = st.SeedDemo(ctx, store.DemoSeed{
		Organisation: survey.DemoOrganisation(), Kommunen: ks,
		Boundaries: bounds.GeoJSON, BoundaryFeatures: bounds.Features,
		QuestionnaireFormat: "yaml", Questionnaire: survey.DefaultQuestionnaireYAML(),
		Round:  store.NewRound{Title: "Runde 1", OpensOn: today, Deadline: today.AddDate(0, 0, 28), Status: survey.RoundOpen},
		Sealer: sealer, Actor: sys,
		Answers: func(qn *survey.Questionnaire, i int, k survey.Kommune) (survey.Answers, bool, bool, error) {
			a, ok := first[i]
			if !ok {
				return nil, false, false, nil
			}
			res := qn.Check(a.form(k), survey.Submit)
			if !res.OK() {
				return nil, false, false, fmt.Errorf("answers of %s: %v", k.Name, res.Errors)
			}
			return res.Answers, true, true, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	round, err := st.LatestRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qn, err := st.Questionnaire(ctx, round.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := st.Kommunen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &rfStore{st: st, qn: qn, qid: round.QuestionnaireID, ks: stored, sys: sys}, round
}

// round adds a round of the same questionnaire in which the Kommunen with
// answers submit.
func (f *rfStore) round(t *testing.T, title string, answers map[int]rfAnswers) survey.Round {
	t.Helper()
	ctx := context.Background()
	ids := make([]int64, len(f.ks))
	for i, k := range f.ks {
		ids[i] = k.ID
	}
	today := time.Date(2027, 11, 25, 0, 0, 0, 0, time.UTC)
	rid, err := f.st.CreateRound(ctx, store.NewRound{QuestionnaireID: f.qid, Title: title, OpensOn: today,
		Deadline: today.AddDate(0, 0, 28), Status: survey.RoundOpen, KommuneIDs: ids}, f.sys)
	if err != nil {
		t.Fatal(err)
	}
	resps, err := f.st.Responses(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resps {
		i := slices.IndexFunc(f.ks, func(k survey.Kommune) bool { return k.AGS == r.Kommune.AGS })
		a, ok := answers[i]
		if !ok {
			continue
		}
		res := f.qn.Check(a.form(r.Kommune), survey.Submit)
		if !res.OK() {
			t.Fatalf("answers of %s: %v", r.Kommune.Name, res.Errors)
		}
		if _, err := f.st.SaveResponse(ctx, store.Save{ResponseID: r.ID, Answers: res.Answers, Submit: true, Questionnaire: f.qn, Actor: f.sys}); err != nil {
			t.Fatal(err)
		}
	}
	round, err := f.st.Round(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	return round
}

// rfPlain are answers that differ only in burden and wish.
func rfPlain(burden, wish int) rfAnswers {
	return rfAnswers{gu: 40, privat: 20, staff: 4, fte: 3, burden: burden, wish: wish, training: [4]int{1, 0, 2, -1}}
}

// TestKommuneReportThreshold: the comparison needs MinGroup other
// Kommunen with a value; one fewer leaves it out with the keyed note.
func TestKommuneReportThreshold(t *testing.T) {
	for _, tc := range []struct {
		name     string
		others   int
		minGroup int
		compared bool
	}{
		{"4 others, default 5", 4, 0, false},
		{"5 others, default 5", 5, 0, true},
		{"5 others, MinGroup 6", 5, 6, false},
		{"6 others, MinGroup 6", 6, 6, true},
		// Below 3 the threshold is 3: quartiles of two values are the values.
		{"2 others, MinGroup 1", 2, 1, false},
		{"3 others, MinGroup 1", 3, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answers := map[int]rfAnswers{0: rfPlain(3, 2)}
			for i := 1; i <= tc.others; i++ {
				answers[i] = rfPlain(2+i%4, i)
			}
			f, round := newRFStore(t, answers)
			rep, err := NewService(f.st).KommuneReport(context.Background(), round, f.ks[0].AGS, ReportOptions{MinGroup: tc.minGroup})
			if err != nil {
				t.Fatal(err)
			}
			fig, ok := rep.Figure(FigureBurden)
			if !ok {
				t.Fatal("no burden figure")
			}
			if fig.N != tc.others || fig.Compared != tc.compared {
				t.Fatalf("N %d compared %v, want %d %v", fig.N, fig.Compared, tc.others, tc.compared)
			}
			hasNote := slices.ContainsFunc(fig.Notes, func(m *survey.Message) bool { return m.Key == "msg.report.too_few" })
			if hasNote == tc.compared {
				t.Errorf("too_few note %v with compared %v: %v", hasNote, tc.compared, fig.Notes)
			}
			_, err = fig.Chart(GermanReportChartText(fig))
			if (err == nil) != tc.compared {
				t.Errorf("chart error %v with compared %v", err, tc.compared)
			}
			if !tc.compared && (fig.Q1 != 0 || fig.Median != 0 || fig.Q3 != 0 || fig.Position != PositionNone) {
				t.Errorf("left-out comparison carries figures: %+v", fig)
			}
		})
	}
}

// TestKommuneReportFigures checks the figures of constructed answers
// against values worked out by hand (in the comments).
func TestKommuneReportFigures(t *testing.T) {
	answers := map[int]rfAnswers{
		// own: people (60+30)/3 = 30 per FTE; wish 3 of 6 staff = 0,5;
		// vacancies 1,5; training 4, blank, 0, 2.
		0: {gu: 60, privat: 30, staff: 6, fte: 3, burden: 5, wish: 3, vac: "1,5", training: [4]int{4, -1, 0, 2}},
		1: {gu: 10, privat: 10, staff: 2, fte: 2, burden: 2, wish: 1, vac: "0", training: [4]int{1, 1, 1, 1}},    // 10, 0,5
		2: {gu: 40, privat: 0, staff: 4, fte: 2, burden: 3, wish: 4, vac: "2", training: [4]int{0, 2, 0, 0}},     // 20, 1
		3: {gu: 45, privat: 15, staff: 5, fte: 4, burden: 3, wish: 1, training: [4]int{2, 0, 3, 1}},              // 15, 0,2
		4: {gu: 30, privat: 20, staff: 4, fte: 2, burden: 4, wish: 2, vac: "1", training: [4]int{3, 1, -1, 0}},   // 25, 0,5
		5: {gu: 70, privat: 50, staff: 5, fte: 3, burden: 4, wish: 5, vac: "0,5", training: [4]int{0, 0, 0, 2}},  // 40, 1
		6: {gu: 12, privat: 0, staff: 0, fte: 0, burden: 2, wish: 0, vac: "3", training: [4]int{-1, -1, -1, -1}}, // no FTE, no staff
	}
	f, round := newRFStore(t, answers)
	rep, err := NewService(f.st).KommuneReport(context.Background(), round, f.ks[0].AGS, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kommune.AGS != f.ks[0].AGS || rep.Kommune.Name != f.ks[0].Name || !rep.Submitted || rep.Answering != 7 {
		t.Errorf("head: %+v", rep)
	}
	type want struct {
		own            float64
		answered       bool
		n              int
		q1, median, q3 float64
		pos            Position
	}
	// Others sorted, quartiles at h = (n−1)·p:
	// people per FTE: 10 15 20 25 40 (Kommune 6 has no FTE): Q1 15, median 20, Q3 25; own 30 above.
	// burden: 2 2 3 3 4 4 (n 6, h = 1,25 / 2,5 / 3,75): Q1 = x1 + 0,25(x2−x1) = 2,25;
	//   median = x2 + 0,5(x3−x2) = 3; Q3 = x3 + 0,75(x4−x3) = 3,75; own 5 above.
	// wish per staff: 0,2 0,5 0,5 1 1 (6 has no staff): Q1 0,5, median 0,5, Q3 1; own 0,5 within.
	// vacancies: 0 0,5 1 2 3 (3 left it blank): Q1 0,5, median 1, Q3 2; own 1,5 within.
	// asylrecht: 0 1 2 3 0 (6 blank) → 0 0 1 2 3: Q1 0, median 1, Q3 2; own 4 above.
	// ausbildung_arbeit: 1 2 0 1 0 → 0 0 1 1 2: own blank.
	// gesundheit: 1 0 3 0 (4 and 6 blank): 4 others < 5, no comparison; own 0.
	// trauma: 1 0 1 0 2 → 0 0 1 1 2: Q1 0, median 1, Q3 1; own 2 above.
	wants := map[string]want{
		FigurePeoplePerFTE:                         {30, true, 5, 15, 20, 25, PositionAbove},
		FigureBurden:                               {5, true, 6, 2.25, 3, 3.75, PositionAbove},
		FigureGroupWish:                            {0.5, true, 5, 0.5, 0.5, 1, PositionWithin},
		FigureVacancies:                            {1.5, true, 5, 0.5, 1, 2, PositionWithin},
		FigureTrainingPrefix + "asylrecht":         {4, true, 5, 0, 1, 2, PositionAbove},
		FigureTrainingPrefix + "ausbildung_arbeit": {0, false, 5, 0, 1, 1, PositionNone},
		FigureTrainingPrefix + "gesundheit":        {0, true, 4, 0, 0, 0, PositionNone},
		FigureTrainingPrefix + "trauma":            {2, true, 5, 0, 1, 1, PositionAbove},
	}
	if len(rep.Figures) != len(wants) {
		t.Errorf("%d figures, want %d", len(rep.Figures), len(wants))
	}
	for _, fig := range rep.Figures {
		w, ok := wants[fig.ID]
		if !ok {
			t.Errorf("unexpected figure %s", fig.ID)
			continue
		}
		got := want{fig.Own, fig.OwnAnswered, fig.N, fig.Q1, fig.Median, fig.Q3, fig.Position}
		const eps = 1e-9
		if got.answered != w.answered || got.n != w.n || got.pos != w.pos ||
			abs(got.own-w.own) > eps || abs(got.q1-w.q1) > eps || abs(got.median-w.median) > eps || abs(got.q3-w.q3) > eps {
			t.Errorf("%s: got %+v, want %+v", fig.ID, got, w)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestKommuneReportChartAndWorkbook: the chart and the workbook of a
// report name the own Kommune and none of the others.
func TestKommuneReportChartAndWorkbook(t *testing.T) {
	answers := map[int]rfAnswers{}
	for i := range 8 {
		answers[i] = rfPlain(2+i%4, 1+i)
	}
	f, round := newRFStore(t, answers)
	rep, err := NewService(f.st).KommuneReport(context.Background(), round, f.ks[2].AGS, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, fig := range rep.Figures {
		if !fig.Compared {
			continue
		}
		c, err := fig.Chart(GermanReportChartText(fig))
		if err != nil {
			t.Fatal(err)
		}
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(svg, []byte("Ihre Kommune")) {
			t.Errorf("%s: own value not labelled", fig.ID)
		}
		texts = append(texts, string(svg))
	}
	var buf bytes.Buffer
	if err := WriteKommuneReportWorkbook(&buf, rep); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	for _, sh := range wb.GetSheetList() {
		rows, err := wb.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			texts = append(texts, strings.Join(r, "\t"))
		}
	}
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, f.ks[2].Name) {
		t.Error("own name missing from the workbook")
	}
	for i, k := range f.ks {
		if i != 2 && (strings.Contains(all, k.Name) || strings.Contains(all, k.AGS)) {
			t.Errorf("other Kommune %s (%s) in the report", k.Name, k.AGS)
		}
	}
}

// TestKommuneReportChanges: the change since the Kommune's previous round
// (the newest earlier one in which it submitted) gives its own values then
// and now; a Kommune without an earlier submission gets the note.
func TestKommuneReportChanges(t *testing.T) {
	first := map[int]rfAnswers{0: rfPlain(2, 1), 2: rfPlain(4, 2)}
	f, _ := newRFStore(t, first)
	f.round(t, "Runde 2", map[int]rfAnswers{2: rfPlain(5, 3)}) // Kommune 0 skips round 2
	third := f.round(t, "Runde 3", map[int]rfAnswers{0: rfPlain(4, 3), 1: rfPlain(3, 3), 2: rfPlain(3, 3)})
	svc := NewService(f.st)
	for _, tc := range []struct {
		name       string
		kommune    int
		prevTitle  string
		prevBurden float64
	}{
		{"previous is round 1 (round 2 skipped)", 0, "Runde 1", 2},
		{"previous is round 2", 2, "Runde 2", 5},
		{"no previous submission", 1, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := svc.KommuneReport(context.Background(), third, f.ks[tc.kommune].AGS, ReportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.prevTitle == "" {
				if rep.Previous != nil || len(rep.Changes) != 0 {
					t.Fatalf("previous %v, %d changes", rep.Previous, len(rep.Changes))
				}
				if !slices.ContainsFunc(rep.Notes, func(m *survey.Message) bool { return m.Key == "msg.report.no_previous" }) {
					t.Errorf("no note: %v", rep.Notes)
				}
				return
			}
			if rep.Previous == nil || rep.Previous.Title != tc.prevTitle {
				t.Fatalf("previous %v, want %s", rep.Previous, tc.prevTitle)
			}
			i := slices.IndexFunc(rep.Changes, func(c ReportChange) bool { return c.ID == FigureBurden })
			if i < 0 {
				t.Fatal("no burden change")
			}
			c := rep.Changes[i]
			cur, _ := rep.Figure(FigureBurden)
			if !c.PrevAnswered || !c.CurAnswered || c.Prev != tc.prevBurden || c.Cur != cur.Own {
				t.Errorf("burden change %+v, want %v → %v", c, tc.prevBurden, cur.Own)
			}
			if d, ok := c.Diff(); !ok || d != cur.Own-tc.prevBurden {
				t.Errorf("diff %v %v", d, ok)
			}
		})
	}
}

// rfCounting is the store as a Source, counting the reads of all answers.
type rfCounting struct {
	*store.Store
	reads int
}

func (c *rfCounting) EachAnswers(ctx context.Context, roundID int64, fn func(survey.Response, survey.Answers) error) error {
	c.reads++
	return c.Store.EachAnswers(ctx, roundID, fn)
}

// TestKommuneReportCache: the figures' values are read once per data
// version for all reports of a round, and a submission (which bumps the
// version) is in the next report.
func TestKommuneReportCache(t *testing.T) {
	answers := map[int]rfAnswers{}
	for i := range 6 {
		answers[i] = rfPlain(2+i%4, 1+i)
	}
	f, round := newRFStore(t, answers)
	src := &rfCounting{Store: f.st}
	svc := NewService(src)
	ctx := context.Background()
	for _, k := range f.ks {
		if _, err := svc.KommuneReport(ctx, round, k.AGS, ReportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if src.reads != 1 {
		t.Errorf("21 reports read the answers %d times, want once", src.reads)
	}
	resps, err := f.st.Responses(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	res := f.qn.Check(rfPlain(5, 2).form(resps[10].Kommune), survey.Submit)
	if _, err := f.st.SaveResponse(ctx, store.Save{ResponseID: resps[10].ID, Answers: res.Answers, Submit: true, Questionnaire: f.qn, Actor: f.sys}); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.KommuneReport(ctx, round, f.ks[0].AGS, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fig, _ := rep.Figure(FigureBurden); fig.N != 6 || rep.Answering != 7 || src.reads != 2 {
		t.Errorf("after a submission: N %d, answering %d, reads %d; want 6, 7, 2", fig.N, rep.Answering, src.reads)
	}
}

// rfFiguresAnswers are the answers of TestKommuneReportFigures.
func rfFiguresAnswers() map[int]rfAnswers {
	return map[int]rfAnswers{
		0: {gu: 60, privat: 30, staff: 6, fte: 3, burden: 5, wish: 3, vac: "1,5", training: [4]int{4, -1, 0, 2}},
		1: {gu: 10, privat: 10, staff: 2, fte: 2, burden: 2, wish: 1, vac: "0", training: [4]int{1, 1, 1, 1}},
		2: {gu: 40, privat: 0, staff: 4, fte: 2, burden: 3, wish: 4, vac: "2", training: [4]int{0, 2, 0, 0}},
		3: {gu: 45, privat: 15, staff: 5, fte: 4, burden: 3, wish: 1, training: [4]int{2, 0, 3, 1}},
		4: {gu: 30, privat: 20, staff: 4, fte: 2, burden: 4, wish: 2, vac: "1", training: [4]int{3, 1, -1, 0}},
		5: {gu: 70, privat: 50, staff: 5, fte: 3, burden: 4, wish: 5, vac: "0,5", training: [4]int{0, 0, 0, 2}},
		6: {gu: 12, privat: 0, staff: 0, fte: 0, burden: 2, wish: 0, vac: "3", training: [4]int{-1, -1, -1, -1}},
	}
}

// TestKommuneReportWorkbookGolden compares the one-Kommune workbook of a
// report (the figures of TestKommuneReportFigures, a previous round, the
// plan part) with testdata/report_workbook.golden: every cell's value. The
// workbook has no formulas (a formula over the others' values would need
// them in the file), so there is nothing for LibreOffice to recalculate;
// the test checks that too. Rewrite with -update.
func TestKommuneReportWorkbookGolden(t *testing.T) {
	prev := rfFiguresAnswers()
	prev[0] = rfAnswers{gu: 50, privat: 30, staff: 5, fte: 2, burden: 4, wish: 2, vac: "0,5", training: [4]int{2, 1, 0, -1}}
	f, _ := newRFStore(t, prev)
	round := f.round(t, "Runde 2", rfFiguresAnswers())
	rep, err := NewService(f.st).KommuneReport(context.Background(), round, f.ks[0].AGS, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep.Generated = time.Date(2027, 12, 24, 10, 30, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := WriteKommuneReportWorkbook(&buf, rep); err != nil {
		t.Fatal(err)
	}
	wb := wbOpen(t, buf.Bytes())
	var b strings.Builder
	for _, sheet := range wb.GetSheetList() {
		rows, err := wb.GetRows(sheet, excelizeRaw())
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell := cellName(c+1, r+1)
				if fo, err := wb.GetCellFormula(sheet, cell); err != nil || fo != "" {
					t.Errorf("%s!%s: formula %q (%v)", sheet, cell, fo, err)
				}
				if v != "" {
					fmt.Fprintf(&b, "%s!%s\t%q\n", sheet, cell, v)
				}
			}
		}
	}
	wbGolden(t, "report_workbook.golden", []byte(b.String()))
}

// TestKommuneReportWorkbookText: text in a report (a Kommune's name, a
// module's label, the round's title) reaches the workbook as text, never
// as a formula.
func TestKommuneReportWorkbookText(t *testing.T) {
	for _, tc := range []struct{ name, module string }{
		{"=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(A1:A9)"},
		{"@Gemeinde", "-1+1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := KommuneReport{
				Round:   survey.Round{ID: 1, Title: tc.name},
				Kommune: ReportKommune{AGS: "03241001", Name: tc.name},
				Plan:    ReportPlan{Available: true, Scenario: tc.name, Training: []ReportTraining{{ModuleID: "m", Label: tc.module, Seats: 2}}},
			}
			var buf bytes.Buffer
			if err := WriteKommuneReportWorkbook(&buf, rep); err != nil {
				t.Fatal(err)
			}
			wb := wbOpen(t, buf.Bytes())
			seen := 0
			for _, sheet := range wb.GetSheetList() {
				rows, err := wb.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for r, row := range rows {
					for c, v := range row {
						if fo, _ := wb.GetCellFormula(sheet, cellName(c+1, r+1)); fo != "" {
							t.Errorf("%s!%s is a formula: %q", sheet, cellName(c+1, r+1), fo)
						}
						if strings.Contains(v, survey.SafeText(tc.name)) || strings.Contains(v, survey.SafeText(tc.module)) {
							seen++
						}
					}
				}
			}
			if seen < 3 {
				t.Errorf("the texts appear %d times, want at least 3 (title, scenario, module)", seen)
			}
		})
	}
}

// TestKommuneReportConcurrent: reports of one round made at once share one
// read of the answers and agree (run with -race); an AGS not invited to the
// round is ENotFound.
func TestKommuneReportConcurrent(t *testing.T) {
	answers := map[int]rfAnswers{}
	for i := range 9 {
		answers[i] = rfPlain(2+i%4, 1+i)
	}
	f, round := newRFStore(t, answers)
	svc := NewService(f.st)
	ctx := context.Background()
	reps := make([]KommuneReport, len(f.ks))
	errs := make([]error, len(f.ks))
	var wg sync.WaitGroup
	for i, k := range f.ks {
		wg.Go(func() { reps[i], errs[i] = svc.KommuneReport(ctx, round, k.AGS, ReportOptions{}) })
	}
	wg.Wait()
	for i, rep := range reps {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if rep.Kommune.AGS != f.ks[i].AGS || rep.Answering != 9 {
			t.Errorf("report %d: %s, answering %d", i, rep.Kommune.AGS, rep.Answering)
		}
	}
	if _, err := svc.KommuneReport(ctx, round, "09999999", ReportOptions{}); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("unknown AGS: %v", err)
	}
}

// TestReportChartLang: the chart's SVG says the language of its words.
func TestReportChartLang(t *testing.T) {
	f := ReportFigure{ID: FigureBurden, Compared: true, N: 6, Q1: 2.25, Median: 3, Q3: 3.75, Own: 5, OwnAnswered: true, Position: PositionAbove}
	for _, tc := range []struct{ lang, want string }{
		{"en", `lang="en"`},
		{"", `lang="de"`},
		{"de", `lang="de"`},
		{`en" onload="x`, `lang="de"`},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			txt := GermanReportChartText(f)
			txt.Lang = tc.lang
			c, err := f.Chart(txt)
			if err != nil {
				t.Fatal(err)
			}
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(svg, []byte(tc.want)) || bytes.Contains(svg, []byte("onload")) {
				t.Errorf("SVG without %s: %.300s", tc.want, svg[bytes.Index(svg, []byte("<svg")):])
			}
		})
	}
}

// TestKommuneReportChangedQuestionnaire: a figure whose question changed
// its unit since the previous round is not compared (with Comparable's
// reason), one the previous round did not ask is marked so, and one
// asked in both is compared.
func TestKommuneReportChangedQuestionnaire(t *testing.T) {
	f, _ := newRFStore(t, map[int]rfAnswers{0: {gu: 40, privat: 20, staff: 4, fte: 3, burden: 3, wish: 2, vac: "1", training: [4]int{1, 1, 1, 1}}})
	src := string(survey.DefaultQuestionnaireYAML())
	for _, r := range []struct{ old, new string }{
		// vacancies now counted in positions, not FTE
		{"      - id: offene_stellen_vzae\n        type: decimal\n        label: Unbesetzte Stellen\n        unit: VZÄ", "      - id: offene_stellen_vzae\n        type: decimal\n        label: Unbesetzte Stellen\n        unit: Stellen"},
		// a new training module
		{`- {value: trauma, label: "Umgang mit Traumatisierungen"}`, "- {value: trauma, label: \"Umgang mit Traumatisierungen\"}\n          - {value: sprache, label: \"Sprachmittlung\"}"},
	} {
		if !strings.Contains(src, r.old) {
			t.Fatalf("default questionnaire changed: %q not found", r.old)
		}
		src = strings.Replace(src, r.old, r.new, 1)
	}
	v, err := f.st.AddQuestionnaire(context.Background(), "yaml", []byte(src), f.sys)
	if err != nil {
		t.Fatal(err)
	}
	f.qid = v.ID
	if f.qn, err = f.st.Questionnaire(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	round := f.round(t, "Runde 2", map[int]rfAnswers{0: {gu: 40, privat: 20, staff: 4, fte: 2, burden: 4, wish: 2, vac: "2", training: [4]int{1, 1, 1, 1}}})
	rep, err := NewService(f.st).KommuneReport(context.Background(), round, f.ks[0].AGS, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{}
	for _, c := range rep.Changes {
		notes[c.ID] = ""
		if c.Note != nil {
			notes[c.ID] = c.Note.Key
			if c.Note.Key == "msg.report.prev_changed" {
				notes[c.ID] += " " + c.Note.Args[0].(*survey.Message).Key
			}
		}
	}
	want := map[string]string{
		FigurePeoplePerFTE: "", FigureBurden: "", FigureGroupWish: "",
		FigureVacancies:                            "msg.report.prev_changed msg.compare.unit",
		FigureTrainingPrefix + "asylrecht":         "",
		FigureTrainingPrefix + "ausbildung_arbeit": "",
		FigureTrainingPrefix + "gesundheit":        "",
		FigureTrainingPrefix + "trauma":            "",
		FigureTrainingPrefix + "sprache":           "msg.report.prev_not_asked",
	}
	for id, w := range want {
		if got, ok := notes[id]; !ok || got != w {
			t.Errorf("%s: note %q (%v), want %q", id, got, ok, w)
		}
	}
	if c := rep.Changes[0]; !c.PrevAnswered || c.Prev != 20 || c.Cur != 30 {
		t.Errorf("people per FTE: %+v, want 20 → 30", c)
	}
}

// TestReportPlanGuideShares: the Kommune's share of a group's cost is the
// cost of a group of its kind × its seats ÷ GroupMax, whatever the other
// members have, and the group's size is given only with the names allowed
// and at least MinGroup other members. Each case has the same Kommune
// "A" with the same seats in groups whose other members differ; what the
// report gives must not change with them.
func TestReportPlanGuideShares(t *testing.T) {
	p := DefaultParams() // 10 × (2 h × 120 € + 30 €) = 2700 € on site, 2400 € online; GroupMax 8, VAT 19 %
	members := func(others ...int) []GroupMember {
		ms := []GroupMember{{AGS: "A", Name: "Aheim", Persons: 3}}
		for i, n := range others {
			ms = append(ms, GroupMember{AGS: fmt.Sprintf("B%d", i), Name: fmt.Sprintf("Bdorf%d", i), Persons: n})
		}
		return ms
	}
	group := func(kind GroupKind, ms []GroupMember) SupervisionGroup {
		g := SupervisionGroup{ID: "G01", Kind: kind, Members: ms, Sessions: p.SessionsPerYear, SupervisorHours: float64(p.SessionsPerYear) * p.HoursPerSession}
		for _, m := range ms {
			g.Size += m.Persons
		}
		if kind != GroupOnline {
			g.MeetingAGS, g.MeetingName = "B0", "Bdorf0"
		}
		g.NetCost, g.GrossCost = GroupCost(p, kind == GroupOnline)
		return g
	}
	for _, tc := range []struct {
		name     string
		g        SupervisionGroup
		show     bool
		minGroup int
		net      float64
		size     int
	}{
		{"pooled, one other with 2", group(GroupPooled, members(2)), true, 5, 2700 * 3.0 / 8, 0},
		{"pooled, one other with 5", group(GroupPooled, members(5)), true, 5, 2700 * 3.0 / 8, 0},
		{"online, two others", group(GroupOnline, members(1, 1)), true, 5, 2400 * 3.0 / 8, 0},
		{"online, five others, names allowed", group(GroupOnline, members(1, 1, 1, 1, 1)), true, 5, 2400 * 3.0 / 8, 8},
		{"online, five others, no names", group(GroupOnline, members(1, 1, 1, 1, 1)), false, 5, 2400 * 3.0 / 8, 0},
		{"online, three others, threshold 3", group(GroupOnline, members(1, 1, 1)), true, 3, 2400 * 3.0 / 8, 6},
		{"own group", group(GroupOwn, members()), true, 5, 2700 * 3.0 / 8, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp := ScenarioPlan{Plan: Plan{Params: p, Groups: []SupervisionGroup{tc.g},
				Kommunen: []KommunePlan{{AGS: "A", Name: "Aheim", Persons: 3, NetShare: tc.g.NetCost * 3 / float64(tc.g.Size)}}}}
			rp := reportPlan(sp, "A", tc.show, tc.minGroup)
			if len(rp.Groups) != 1 {
				t.Fatalf("%d groups", len(rp.Groups))
			}
			g := rp.Groups[0]
			gross := tc.net * (1 + p.VATPercent/100)
			if math.Abs(g.NetShare-tc.net) > 1e-9 || math.Abs(g.GrossShare-gross) > 1e-9 {
				t.Errorf("shares %v / %v, want %v / %v", g.NetShare, g.GrossShare, tc.net, gross)
			}
			if rp.SupervisionNet != g.NetShare || rp.SupervisionGross != g.GrossShare {
				t.Errorf("totals %v / %v, want the group's guide shares %v / %v", rp.SupervisionNet, rp.SupervisionGross, g.NetShare, g.GrossShare)
			}
			if g.Size != tc.size {
				t.Errorf("size %d, want %d", g.Size, tc.size)
			}
			if g.Seats != 3 || g.OtherMembers != len(tc.g.Members)-1 {
				t.Errorf("seats %d, other members %d", g.Seats, g.OtherMembers)
			}
		})
	}
}
