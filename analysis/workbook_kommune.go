package analysis

// A workbook with one Kommune's own answers, for that Kommune (to keep or
// pass on) and for staff: every question in questionnaire order with the
// answer as given.

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// KommuneAnswers is one Kommune's response to a round with its answers.
type KommuneAnswers struct {
	Round         survey.Round
	Questionnaire *survey.Questionnaire
	Response      survey.Response
	Answers       survey.Answers
	// Generated is when the file is made; shown in it.
	Generated time.Time
}

// KommuneWorkbookName returns the download file name of a Kommune's
// answers, e.g. "Antworten_3_03241001.xlsx".
func KommuneWorkbookName(r survey.Round, k survey.Kommune) string {
	return fmt.Sprintf("Antworten_%d_%s.xlsx", r.ID, k.AGS)
}

// SheetKommuneAnswers is the sheet of the Kommune workbook.
const SheetKommuneAnswers = "Antworten"

const kaHeaderRow = 5

// WriteKommuneWorkbook writes one Kommune's answers to w: a sheet with one
// row per question (per item for matrix and per-item questions) giving the
// section, the question, the answer, its unit and a remark. Numbers are
// number cells, dates date cells, text stays text as typed; chosen options
// of a multiple choice question are listed in one cell. Questions hidden by
// their condition are marked "entfällt"; input that did not pass
// validation (kept in drafts) is shown as typed with its message.
func WriteKommuneWorkbook(w io.Writer, ka KommuneAnswers) error {
	if ka.Questionnaire == nil {
		return errors.New("Antworten der Kommune: kein Fragebogen")
	}
	f, err := newWorkbook(SheetKommuneAnswers)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := newWBStyles(f)
	if err != nil {
		return err
	}
	if err := writeKommuneAnswers(f, st, ka); err != nil {
		return fmt.Errorf("Blatt %s: %w", SheetKommuneAnswers, err)
	}
	k := ka.Response.Kommune
	ds := Dataset{Round: ka.Round, Questionnaire: ka.Questionnaire, Generated: ka.Generated}
	if err := setDocProps(f, ds, "Antworten: "+k.Name+" ("+k.AGS+")"); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("Arbeitsmappe schreiben: %w", err)
	}
	return nil
}

// kaRow is one row of the Kommune workbook.
type kaRow struct {
	section, question, item string
	answer                  any
	format                  string // number format of a numeric answer
	unit, remark            string
}

func writeKommuneAnswers(f *excelize.File, st *wbStyles, ka KommuneAnswers) error {
	rows := kommuneRows(ka)
	widths := []float64{22, 60, 30, 40, 12, 40}
	w, err := openSheet(f, st, sheetLayout{name: SheetKommuneAnswers, headerRow: kaHeaderRow,
		lastRow: kaHeaderRow + len(rows), cols: len(widths), widths: widths,
		header: []string{"Abschnitt", "Frage", "Eintrag", "Antwort", "Einheit", "Hinweis"}})
	if err != nil {
		return err
	}
	r, k := ka.Response, ka.Response.Kommune
	status := r.Status.Label()
	if !r.SubmittedAt.IsZero() && r.Status == survey.StatusSubmitted {
		status += " am " + r.SubmittedAt.In(st.loc).Format("02.01.2006 um 15:04") + " Uhr"
	}
	if err := writeTop(w, "Antworten: "+k.Name+" ("+k.AGS+")",
		"Erhebungsrunde: "+ka.Round.Title+" · "+ka.Questionnaire.Title,
		"Stand: "+status+" · erstellt am "+ka.Generated.In(st.loc).Format("02.01.2006 um 15:04")+" Uhr"); err != nil {
		return err
	}
	if err := w.header(kaHeaderRow); err != nil {
		return err
	}
	for _, row := range rows {
		var answer excelize.Cell
		switch v := row.answer.(type) {
		case float64:
			answer = st.numCell(v, row.format)
		case time.Time:
			answer = st.dateCell(v)
		case string:
			answer = textCell(v, st.wrap)
		}
		if err := w.add(textCell(row.section, st.text), textCell(row.question, st.wrap), textCell(row.item, st.text),
			answer, textCell(row.unit, st.text), textCell(row.remark, st.wrap)); err != nil {
			return err
		}
	}
	return w.flush()
}

// kommuneRows lists the questions with their answers.
func kommuneRows(ka KommuneAnswers) []kaRow {
	qn, a := ka.Questionnaire, ka.Answers
	hidden := qn.ReCheck(a, survey.Draft).Hidden
	titles := map[string]string{}
	for _, s := range qn.Sections {
		titles[s.ID] = s.Title
	}
	var rows []kaRow
	for _, q := range qn.Questions() {
		if q.Type == survey.Note {
			continue
		}
		base := kaRow{section: titles[q.Section], question: q.Label, unit: q.Unit, format: Column{Q: q}.numberFormat()}
		if hidden[q.ID] {
			base.remark = "entfällt (Bedingung nicht erfüllt)"
			rows = append(rows, base)
			continue
		}
		switch q.Type {
		case survey.MultipleChoice:
			rows = append(rows, kaChoices(base, q, a))
		case survey.Matrix, survey.ItemNumbers:
			for _, it := range q.Items {
				r := base
				r.item = it.Label
				r.answer, r.remark = kaAnswer(Column{Q: q, Item: it.Value}, a)
				rows = append(rows, r)
			}
		default:
			base.answer, base.remark = kaAnswer(Column{Q: q}, a)
			rows = append(rows, base)
		}
	}
	return rows
}

// kaAnswer is the answer of one column, or the input as typed with its
// message when it did not pass validation.
func kaAnswer(c Column, a survey.Answers) (any, string) {
	v, ok := a[survey.Key{Question: c.Q.ID, Item: c.Item}]
	switch {
	case !ok:
		if c.Q.Required {
			return nil, "keine Angabe (Pflichtfrage)"
		}
		return nil, ""
	case !v.Valid():
		return v.Raw, "ungültige Eingabe: " + v.Err.String()
	}
	return c.CellValue(a), ""
}

// kaChoices lists the chosen options of a multiple choice question.
func kaChoices(row kaRow, q *survey.Question, a survey.Answers) kaRow {
	var chosen []string
	for _, ch := range q.Choices {
		if v, ok := a[survey.Key{Question: q.ID, Item: ch.Value}]; ok && v.Valid() {
			chosen = append(chosen, ch.Label)
		}
	}
	if len(chosen) > 0 {
		row.answer = strings.Join(chosen, "; ")
	} else if q.Required {
		row.remark = "keine Angabe (Pflichtfrage)"
	}
	return row
}
