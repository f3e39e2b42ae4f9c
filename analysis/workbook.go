package analysis

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// Dataset is what an evaluation workbook is made from: a round, its
// questionnaire, the responses in AGS order and a way to stream their
// answers in the same order without holding them all in memory.
type Dataset struct {
	Round         survey.Round
	Questionnaire *survey.Questionnaire
	Responses     []survey.Response
	// Each calls fn for every response of Responses, in order, with its
	// stored answers.
	Each func(fn func(survey.Response, survey.Answers) error) error
	// Generated is when the workbook is made; shown in the file.
	Generated time.Time
}

// Column is one column of the answers table: a question, and for types
// with items, one item (multiple choice options share one column).
type Column struct {
	Q      *survey.Question
	Item   string // item code for matrix and per-item numbers
	Header string
}

// AnswerColumns returns the answer table's columns in questionnaire order.
// Multiple choice lists the chosen options in one cell; matrix rows and
// per-item numbers get a column each.
func AnswerColumns(qn *survey.Questionnaire) []Column {
	var cols []Column
	for _, q := range qn.Questions() {
		switch q.Type {
		case survey.Note:
		case survey.Matrix, survey.ItemNumbers:
			for _, it := range q.Items {
				cols = append(cols, Column{Q: q, Item: it.Value, Header: q.Label + ": " + it.Label})
			}
		default:
			cols = append(cols, Column{Q: q, Header: q.Label})
		}
	}
	return cols
}

// CellValue returns the workbook value of a column for a set of answers:
// a float64 for numbers, a string otherwise, nil when unanswered or invalid.
// Text is returned as text; excelize writes it as a string cell, never as a
// formula, so "=HYPERLINK(…)" stays harmless text.
func (c Column) CellValue(a survey.Answers) any {
	q := c.Q
	switch q.Type {
	case survey.MultipleChoice:
		var labels []string
		for _, ch := range q.Choices {
			if v, ok := a[survey.Key{Question: q.ID, Item: ch.Value}]; ok && v.Valid() {
				labels = append(labels, ch.Label)
			}
		}
		if labels == nil {
			return nil
		}
		return strings.Join(labels, "; ")
	}
	v, ok := a[survey.Key{Question: q.ID, Item: c.Item}]
	if !ok || !v.Valid() {
		return nil
	}
	switch q.Type {
	case survey.Integer, survey.Decimal, survey.ItemNumbers:
		return v.Num
	case survey.SingleChoice, survey.Likert, survey.Matrix:
		return q.ChoiceLabel(v.Text)
	case survey.YesNo:
		if v.Text == "ja" {
			return "ja"
		}
		return "nein"
	case survey.Date:
		if t, err := time.Parse(time.DateOnly, v.Text); err == nil {
			return t.Format("02.01.2006")
		}
	}
	return v.Text
}

// WorkbookName returns the download file name for a round's workbook.
func WorkbookName(r survey.Round) string {
	return fmt.Sprintf("Auswertung_%d.xlsx", r.ID)
}

// WriteWorkbook writes the evaluation workbook of a round to w: Kommunen
// (status per Kommune), Antworten (one row per Kommune, one labelled
// column per question) and Fragen (the codebook). Large sheets are
// streamed row by row.
func WriteWorkbook(w io.Writer, ds Dataset) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := writeKommunenSheet(f, st, ds); err != nil {
		return fmt.Errorf("sheet Kommunen: %w", err)
	}
	if err := writeAnswersSheet(f, st, ds); err != nil {
		return fmt.Errorf("sheet Antworten: %w", err)
	}
	if err := writeQuestionsSheet(f, st, ds.Questionnaire); err != nil {
		return fmt.Errorf("sheet Fragen: %w", err)
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:       "Auswertung: " + ds.Round.Title,
		Subject:     ds.Questionnaire.Title,
		Creator:     "bedarf",
		Language:    "de-DE",
		Created:     ds.Generated.UTC().Format(time.RFC3339),
		Description: "Erstellt von bedarf am " + ds.Generated.In(survey.Berlin()).Format("02.01.2006 15:04") + " Uhr",
	}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

type styles struct {
	header, date, number, text int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	}); err != nil {
		return s, err
	}
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd.mm.yyyy hh:mm")}); err != nil {
		return s, err
	}
	if s.number, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("#,##0.##")}); err != nil {
		return s, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return s, err
	}
	return s, nil
}

// wallClock returns t's Berlin wall-clock time as a UTC time, which is how
// excelize turns a time into a spreadsheet date (spreadsheets have no zones).
func wallClock(t time.Time) time.Time {
	b := t.In(survey.Berlin())
	return time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), 0, time.UTC)
}

func ptr[T any](v T) *T { return &v }

// stream writes a sheet with a frozen, filtered header row.
func stream(f *excelize.File, sheet string, st styles, header []string, widths []float64, rows func(add func(cells []any) error) error) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = excelize.Cell{Value: h, StyleID: st.header}
	}
	if err := sw.SetRow("A1", hdr, excelize.RowOpts{Height: 45}); err != nil {
		return err
	}
	n := 1
	err = rows(func(cells []any) error {
		n++
		for i, c := range cells {
			switch v := c.(type) {
			case float64:
				cells[i] = excelize.Cell{Value: v, StyleID: st.number}
			case time.Time:
				if v.IsZero() {
					cells[i] = nil
				} else {
					cells[i] = excelize.Cell{Value: wallClock(v), StyleID: st.date}
				}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(header), max(n, 2))
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.AutoFilter(sheet, "A1:"+last, nil)
}

func writeKommunenSheet(f *excelize.File, st styles, ds Dataset) error {
	header := []string{"AGS", "Kommune", "Art", "Status", "Bearbeitungsstand", "Zuletzt gespeichert", "Zuletzt gespeichert von", "Eingereicht am"}
	return stream(f, "Kommunen", st, header, []float64{11, 28, 10, 16, 10, 18, 24, 18}, func(add func([]any) error) error {
		for _, r := range ds.Responses {
			if err := add([]any{r.Kommune.AGS, r.Kommune.Name, r.Kommune.Kind, r.Status.Label(), float64(r.Revision),
				r.UpdatedAt, r.UpdatedBy, r.SubmittedAt}); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeAnswersSheet(f *excelize.File, st styles, ds Dataset) error {
	cols := AnswerColumns(ds.Questionnaire)
	header := append([]string{"AGS", "Kommune", "Status"}, make([]string, len(cols))...)
	widths := []float64{11, 28, 14}
	for i, c := range cols {
		header[3+i] = c.Header
		wd := 18.0
		if c.Q.Type == survey.LongText {
			wd = 40
		}
		widths = append(widths, wd)
	}
	return stream(f, "Antworten", st, header, widths, func(add func([]any) error) error {
		return ds.Each(func(r survey.Response, a survey.Answers) error {
			row := make([]any, 3+len(cols))
			row[0], row[1], row[2] = r.Kommune.AGS, r.Kommune.Name, r.Status.Label()
			for i, c := range cols {
				row[3+i] = c.CellValue(a)
			}
			return add(row)
		})
	})
}

func writeQuestionsSheet(f *excelize.File, st styles, qn *survey.Questionnaire) error {
	header := []string{"Abschnitt", "ID", "Frage", "Typ", "Pflicht", "Einheit", "Auswahl / Einträge", "Bedingung", "Planungsrolle"}
	return stream(f, "Fragen", st, header, []float64{18, 24, 50, 16, 8, 10, 50, 30, 24}, func(add func([]any) error) error {
		for _, q := range qn.Questions() {
			var opts []string
			for _, c := range q.Choices {
				opts = append(opts, c.Value+" = "+c.Label)
			}
			for _, it := range q.Items {
				opts = append(opts, "Eintrag "+it.Value+" = "+it.Label)
			}
			required := "nein"
			if q.Required {
				required = "ja"
			}
			relevant := ""
			if q.Relevant != nil {
				relevant = q.Relevant.String()
			}
			if err := add([]any{q.Section, q.ID, q.Label, q.Type.Label(), required, q.Unit, strings.Join(opts, "\n"), relevant, q.Planning}); err != nil {
				return err
			}
		}
		return nil
	})
}
