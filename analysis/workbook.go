package analysis

// The evaluation workbook Auswertung_<round>.xlsx. Its plan sheets hold
// Excel formulas over the Parameter sheet and the data, each stored with the
// value the Go plan computed for it as its cached result, so that Excel and
// LibreOffice show the Go figures on opening and follow when staff change a
// live parameter. libreoffice_test.go proves both with a real LibreOffice.
//
// Sheets, in order:
//
//	Übersicht               response rate, key figures, native Excel charts
//	Parameter               planning parameters; live ones are input cells with defined names
//	Supervision             one row per supervision group, totals, warnings
//	Supervision je Kommune  one row per Kommune and group: persons and cost share
//	Fortbildung             days and cost per module over participants per Kommune
//	Personal                caseload, need, gap and its cost per Kommune
//	Kommunen                status and supervision plan per Kommune
//	Antworten               one row per Kommune, one labelled column per answer
//	Fragen                  the codebook
//	Vergleich               change against the previous round
//	Umsetzung               uptake of the offers against the need (only with Dataset.Uptake)
//
// Only the answers are many rows; they are streamed from Dataset.Each in one
// pass that also collects what the plan and the other sheets need.

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// Dataset is what an evaluation workbook, the CSV and the chart downloads
// are made from: a round, its questionnaire, the responses in AGS order and
// a way to stream their answers in the same order without holding them all
// in memory.
type Dataset struct {
	Round         survey.Round
	Questionnaire *survey.Questionnaire
	// Responses are all responses of the round (one per invited Kommune),
	// in AGS order.
	Responses []survey.Response
	// Each calls fn for every response of Responses, in order, with its
	// stored answers. It is called once per export (twice never).
	Each func(fn func(survey.Response, survey.Answers) error) error
	// Generated is when the export is made; shown in the file.
	Generated time.Time
	// Params are the planning parameters of the round (those of the scenario
	// marked maßgeblich). The zero value means DefaultParams().
	Params Params
	// Scenario is the name of the scenario marked maßgeblich whose Params
	// these are, named on Übersicht and Parameter; "" means DefaultScenario.
	Scenario string
	// Previous is the newest earlier round, compared with in the Vergleich
	// sheet; nil when there is none. Only its Round, Questionnaire,
	// Responses and Each are used; its Each may run at the same time as
	// the round's own (on another goroutine).
	Previous *Dataset
	// IncludeDrafts counts drafts and returned responses in the plan, the
	// key figures, the charts and the comparison as well; by default only
	// submitted responses (eingereicht) count. The Antworten sheet and the
	// CSV always list every response with its status.
	IncludeDrafts bool
	// OmitPersonal leaves the answers to questions marked personal (the
	// contact person) out of the Antworten sheet and the CSV.
	OmitPersonal bool
	// GeoJSON holds the stored boundaries of the Kommunen for the demand
	// map (see ParseRegionGeoJSON); nil: none are stored, and the map
	// shows NoBoundariesText instead of shapes (see NewMap).
	GeoJSON []byte
	// Plan, when set, is the plan of Params over the submitted responses
	// as Service.RoundPlans computed it; the workbook and the charts use it
	// rather than computing it again (not with IncludeDrafts, whose plan
	// counts more responses).
	Plan *Plan
	// Uptake, when set, is the round's uptake against its need
	// (Service.Uptake), written as the last sheet, Umsetzung.
	Uptake *Uptake
	// PreviousUptake, when set, is the previous round's uptake, set beside
	// this round's need on the Vergleich sheet.
	PreviousUptake *Uptake
	// computed is called when the plan is computed here rather than taken
	// from Plan (Service.LoadDataset sets it to its OnCompute).
	computed func()
}

// plan returns the plan of the counted responses: ds.Plan when it is
// theirs, else computed from the inputs t read.
func (ds Dataset) plan(t *tally) Plan {
	if ds.Plan != nil && !ds.IncludeDrafts && ds.Plan.Params == ds.params() {
		return *ds.Plan
	}
	if ds.computed != nil {
		ds.computed()
	}
	return Compute(t.inputs(), Modules(ds.Questionnaire), ds.params())
}

// params returns the planning parameters to use.
func (ds Dataset) params() Params {
	if ds.Params == (Params{}) {
		return DefaultParams()
	}
	return ds.Params
}

// DefaultScenario names the planning basis of a Dataset without a
// Scenario: the default parameters, as a round without stored scenarios has.
const DefaultScenario = "Standard"

// scenario returns the name of the planning basis.
func (ds Dataset) scenario() string {
	if ds.Scenario == "" {
		return DefaultScenario
	}
	return ds.Scenario
}

// Counts reports whether a response counts in the plan, the key figures,
// the charts and the comparison: submitted responses always, drafts and
// returned ones with IncludeDrafts.
func (ds Dataset) Counts(r survey.Response) bool {
	switch r.Status {
	case survey.StatusSubmitted:
		return true
	case survey.StatusDraft, survey.StatusReturned:
		return ds.IncludeDrafts
	}
	return false
}

func (ds Dataset) check() error {
	switch {
	case ds.Questionnaire == nil:
		return errors.New("Auswertung: kein Fragebogen")
	case ds.Each == nil:
		return errors.New("Auswertung: keine Antworten (Each fehlt)")
	case ds.Previous != nil && (ds.Previous.Questionnaire == nil || ds.Previous.Each == nil):
		return errors.New("Auswertung: Vorrunde ohne Fragebogen oder Antworten")
	}
	if errs := ds.params().Validate(); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return fmt.Errorf("Auswertung: Planungsparameter ungültig: %s", strings.Join(msgs, "; "))
	}
	return nil
}

// WorkbookName returns the download file name for a round's workbook.
func WorkbookName(r survey.Round) string {
	return fmt.Sprintf("Auswertung_%d.xlsx", r.ID)
}

// The sheet names of the evaluation workbook.
const (
	SheetOverview    = "Übersicht"
	SheetParameters  = "Parameter"
	SheetSupervision = "Supervision"
	SheetShares      = "Supervision je Kommune"
	SheetTraining    = "Fortbildung"
	SheetStaffing    = "Personal"
	SheetKommunen    = "Kommunen"
	SheetAnswers     = "Antworten"
	SheetQuestions   = "Fragen"
	SheetCompare     = "Vergleich"
)

// WriteWorkbook writes the evaluation workbook of a round to w (see the
// sheet list at the top of workbook.go). It reads the answers once, through
// ds.Each, and the previous round's once when there is one. Invalid
// parameters are an error.
func WriteWorkbook(w io.Writer, ds Dataset) error {
	f, err := buildWorkbook(ds)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("Arbeitsmappe schreiben: %w", err)
	}
	return nil
}

// buildWorkbook builds the evaluation workbook for WriteWorkbook; the
// caller closes it. Every sheet but Parameter is streamed: its rows go to
// a temporary buffer or file, and none is read back into memory (see
// TestWorkbookSheetsStayStreamed).
func buildWorkbook(ds Dataset) (_ *excelize.File, err error) {
	if err := ds.check(); err != nil {
		return nil, err
	}
	names := []string{SheetOverview, SheetParameters, SheetSupervision, SheetShares, SheetTraining,
		SheetStaffing, SheetKommunen, SheetAnswers, SheetQuestions, SheetCompare}
	if ds.Uptake != nil {
		names = append(names, SheetUptake)
	}
	f, err := newWorkbook(names...)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
		}
	}()
	st, err := newWBStyles(f)
	if err != nil {
		return nil, err
	}
	cols := answerColumns(ds.Questionnaire, ds.OmitPersonal)
	// The previous round is only needed for the last sheet: it is read
	// while this round is.
	var cmp *Comparison
	if ds.Previous != nil {
		cmp = NewComparison(ds.Previous.compareBasis(), ds.compareBasis(), false)
	}
	prev := readPrevious(ds, cmp)
	defer prev.wait()
	t, err := readRound(f, st, ds, cols, cmp)
	if err != nil {
		return nil, err
	}
	pl := ds.plan(t)
	wb := &planBook{f: f, st: st, ds: ds, t: t, pl: pl}
	wb.lay = newPlanLayout(pl, t)
	// The plan sheets are streamed in two lanes at once, on two cores;
	// the Parameter sheet (ordinary cells) comes before them and the
	// overview's charts after them. While lanes run, changes to f itself
	// (opening and ending a sheet) hold st.fileMu; rows go to the sheet's
	// own stream.
	compare := func() error {
		if err := prev.wait(); err != nil {
			return err
		}
		return writeCompareSheet(f, st, ds, cmp, NeedByModule(pl))
	}
	questions := func() error { return writeQuestionsSheet(f, st, ds.Questionnaire, cols) }
	if err := writeSheets(sheetStep{SheetParameters, wb.writeParameters}); err != nil {
		return nil, err
	}
	lane := make(chan error, 1)
	go func() {
		lane <- catch(func() error {
			return writeSheets(sheetStep{SheetSupervision, wb.writeSupervision}, sheetStep{SheetShares, wb.writeShares},
				sheetStep{SheetTraining, wb.writeTraining}, sheetStep{SheetQuestions, questions})
		})
	}()
	err = writeSheets(sheetStep{SheetStaffing, wb.writeStaffing}, sheetStep{SheetKommunen, wb.writeKommunen},
		sheetStep{SheetCompare, compare})
	if err := errors.Join(err, <-lane); err != nil {
		return nil, err
	}
	if err := writeSheets(sheetStep{SheetOverview, wb.writeOverview}); err != nil {
		return nil, err
	}
	if ds.Uptake != nil {
		uptake := func() error { return writeUptakeSheet(f, st, ds.Round.Title, ds.Uptake) }
		if err := writeSheets(sheetStep{SheetUptake, uptake}); err != nil {
			return nil, err
		}
	}
	if err := setDocProps(f, ds, "Auswertung: "+ds.Round.Title); err != nil {
		return nil, err
	}
	return f, nil
}

// catch runs fn and returns a panic in it as an error. Work on a goroutine
// of its own runs under it: there a panic would end the whole server, not
// only the download the recovery of the HTTP handler would turn into an
// error page.
func catch(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Auswertung: interner Fehler: %v", r)
		}
	}()
	return fn()
}

// sheetStep writes one sheet.
type sheetStep struct {
	sheet string
	write func() error
}

// writeSheets writes the sheets in order and stops at the first error.
func writeSheets(steps ...sheetStep) error {
	for _, s := range steps {
		if err := s.write(); err != nil {
			return fmt.Errorf("Blatt %s: %w", s.sheet, err)
		}
	}
	return nil
}

// readRound reads the round's answers, writing the Antworten sheet on the
// way, and returns what the plan and the other sheets need.
func readRound(f *excelize.File, st *wbStyles, ds Dataset, cols []Column, cmp *Comparison) (*tally, error) {
	ans, err := openAnswersSheet(f, st, ds, cols)
	if err != nil {
		return nil, fmt.Errorf("Blatt %s: %w", SheetAnswers, err)
	}
	t, err := collect(ds, ans.add, cmp, Cur)
	if err != nil {
		_ = ans.close() // the reading's error is the one to report
		return nil, err
	}
	if err := ans.flush(); err != nil {
		return nil, fmt.Errorf("Blatt %s: %w", SheetAnswers, err)
	}
	return t, nil
}

// previousRound is the previous round's answers being added to the
// comparison on a goroutine of their own.
type previousRound struct {
	done chan struct{}
	err  error
}

// readPrevious starts adding the previous round's counted answers to cmp
// (nothing when there is no previous round).
func readPrevious(ds Dataset, cmp *Comparison) *previousRound {
	p := &previousRound{done: make(chan struct{})}
	if ds.Previous == nil {
		close(p.done)
		return p
	}
	go func() {
		defer close(p.done)
		p.err = catch(func() error {
			if _, err := collect(*ds.Previous, nil, cmp, Prev); err != nil {
				return fmt.Errorf("Vorrunde: %w", err)
			}
			return nil
		})
	}()
	return p
}

// wait returns once the previous round is read; it may be called more
// than once.
func (p *previousRound) wait() error {
	<-p.done
	return p.err
}

// compareBasis is the round as NewComparison takes it: the counted
// responses' Kommunen.
func (ds Dataset) compareBasis() CompareBasis {
	b := CompareBasis{Questionnaire: ds.Questionnaire, Invited: len(ds.Responses)}
	for _, r := range ds.Responses {
		if ds.Counts(r) {
			b.Counted = append(b.Counted, KommuneRef{AGS: r.Kommune.AGS, Name: r.Kommune.Name})
		}
	}
	return b
}
