package analysis

// The answers table (sheet Antworten, also the CSV) and the codebook
// (sheet Fragen).

import (
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// Column is one column of the answers table: a question, and for types
// with items one item: a matrix row, a per-item number or a multiple
// choice option (each option gets a 0/1 column).
type Column struct {
	Q *survey.Question
	// Item is the item code for matrix rows and per-item numbers, the
	// option code for multiple choice.
	Item string
	// Header is the column's heading: the question's label, followed by
	// ": " and the item's or option's label for items.
	Header string
}

// AnswerColumns returns the answer table's columns in questionnaire order:
// one per question, one per item of matrix and per-item questions, one per
// option of multiple choice questions. Notes have none.
func AnswerColumns(qn *survey.Questionnaire) []Column {
	var cols []Column
	for _, q := range qn.Questions() {
		switch q.Type {
		case survey.Note:
		case survey.Matrix, survey.ItemNumbers:
			for _, it := range q.Items {
				cols = append(cols, Column{Q: q, Item: it.Value, Header: q.Label + ": " + it.Label})
			}
		case survey.MultipleChoice:
			for _, ch := range q.Choices {
				cols = append(cols, Column{Q: q, Item: ch.Value, Header: q.Label + ": " + ch.Label})
			}
		default:
			cols = append(cols, Column{Q: q, Header: q.Label})
		}
	}
	return cols
}

// answerColumns is AnswerColumns, without the personal questions when
// omitPersonal is set.
func answerColumns(qn *survey.Questionnaire, omitPersonal bool) []Column {
	cols := AnswerColumns(qn)
	if !omitPersonal {
		return cols
	}
	kept := cols[:0]
	for _, c := range cols {
		if !c.Q.Personal {
			kept = append(kept, c)
		}
	}
	return kept
}

// CellValue returns the value of a column for a set of answers: a float64
// for numbers (integer, decimal, per-item numbers; 1 or 0 for a multiple
// choice option), a time.Time (midnight UTC) for dates, a string
// otherwise (the label of a chosen option, "ja"/"nein", the text as
// typed), nil when unanswered or invalid. A multiple choice option is 1
// when chosen, 0 when another option of the question is chosen and nil
// when none is.
func (c Column) CellValue(a survey.Answers) any {
	q := c.Q
	if q.Type == survey.MultipleChoice {
		return c.optionValue(a)
	}
	v, ok := a[survey.Key{Question: q.ID, Item: c.Item}]
	if !ok || !v.Valid() {
		return nil
	}
	switch q.Type {
	case survey.Integer, survey.Decimal, survey.ItemNumbers:
		if !v.HasNum {
			return nil
		}
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
			return t
		}
	}
	return v.Text
}

func (c Column) optionValue(a survey.Answers) any {
	if v, ok := a[survey.Key{Question: c.Q.ID, Item: c.Item}]; ok && v.Valid() {
		return 1.0
	}
	for _, ch := range c.Q.Choices {
		if v, ok := a[survey.Key{Question: c.Q.ID, Item: ch.Value}]; ok && v.Valid() {
			return 0.0
		}
	}
	return nil
}

// numberFormat returns the number format of a numeric column.
func (c Column) numberFormat() string {
	switch {
	case c.Q.Type == survey.Decimal && strings.EqualFold(c.Q.Unit, "EUR"):
		return fmtEUR
	case c.Q.Type == survey.Decimal:
		return fmtDec
	}
	return fmtInt
}

// width returns the column width in characters.
func (c Column) width() float64 {
	switch c.Q.Type {
	case survey.LongText:
		return 45
	case survey.Text:
		return 24
	case survey.MultipleChoice, survey.YesNo:
		return 12
	}
	return 16
}

// answersSheet streams the Antworten sheet. Rows are built on the
// goroutine that reads the answers and written by a second one, so that
// reading the next answers (from SQLite, with the tallies of the plan)
// and encoding the previous row's XML run on two cores at once; a few
// row buffers circulate between the two, so memory does not grow with the
// round. The sheet is the workbook's largest: about a third of its time.
type answersSheet struct {
	w      *sheetWriter
	cols   []Column
	styles []int // per column, for numbers
	// free holds the row buffers ready to be filled; full the filled
	// ones, in order, for the writing goroutine.
	free, full chan []excelize.Cell
	// done delivers the writing goroutine's first error (or nil) once full
	// is closed and drained.
	done chan error
}

// answerRowBuffers is how many rows may wait between reading and writing.
const answerRowBuffers = 32

// openAnswersSheet sets up Antworten: AGS, Kommune and status, then one
// column per answer column; header row 1, AGS and Kommune frozen. The
// table is printed at full size (landscape, header row and the first two
// columns on every page): fitted to one page width its many columns would
// be unreadable. It starts the writing goroutine: close must be called.
func openAnswersSheet(f *excelize.File, st *wbStyles, ds Dataset, cols []Column) (*answersSheet, error) {
	widths := []float64{11, 26, 14}
	styles := make([]int, len(cols))
	for i, c := range cols {
		widths = append(widths, c.width())
		styles[i] = st.num[c.numberFormat()]
	}
	header := []string{"AGS", "Kommune", "Status"}
	for _, c := range cols {
		header = append(header, c.Header)
	}
	w, err := openSheet(f, st, sheetLayout{name: SheetAnswers, headerRow: 1, lastRow: 1 + len(ds.Responses),
		cols: len(widths), widths: widths, header: header, freezeCols: 2, noFit: true, maxLines: 6})
	if err != nil {
		return nil, err
	}
	if err := w.header(1); err != nil {
		return nil, err
	}
	s := &answersSheet{w: w, cols: cols, styles: styles, free: make(chan []excelize.Cell, answerRowBuffers),
		full: make(chan []excelize.Cell, answerRowBuffers), done: make(chan error, 1)}
	for range answerRowBuffers {
		s.free <- make([]excelize.Cell, 3+len(cols))
	}
	go s.write()
	return s, nil
}

// write streams the filled rows into the sheet until full is closed.
// After an error it only hands the buffers back, so that add never blocks.
func (s *answersSheet) write() {
	var err error
	for row := range s.full {
		if err == nil {
			err = catch(func() error { return s.w.add(row...) })
		}
		s.free <- row
	}
	s.done <- err
}

// add builds the row of one response and queues it for writing. The row
// holds no reference to a: the answers may be reused by the reader.
func (s *answersSheet) add(r survey.Response, a survey.Answers) error {
	st := s.w.st
	row := <-s.free
	clear(row)
	row[0], row[1], row[2] = textCell(r.Kommune.AGS, st.text), textCell(r.Kommune.Name, st.text), textCell(r.Status.Label(), st.text)
	for i, c := range s.cols {
		switch v := c.CellValue(a).(type) {
		case float64:
			row[3+i] = excelize.Cell{Value: v, StyleID: s.styles[i]}
		case time.Time:
			row[3+i] = st.dateCell(v)
		case string:
			style := st.text
			if c.Q.Type == survey.LongText {
				style = st.wrap
			}
			row[3+i] = textCell(v, style)
		}
	}
	s.full <- row
	return nil
}

// close waits until every queued row is written and returns the first
// error of writing. It must be called once, also when reading failed.
func (s *answersSheet) close() error {
	close(s.full)
	return <-s.done
}

// flush closes the row queue and ends the sheet.
func (s *answersSheet) flush() error {
	if err := s.close(); err != nil {
		return err
	}
	return s.w.flush()
}

// writeQuestionsSheet writes the codebook: every question with its id,
// type, options, condition, planning role and where its answers are in the
// Antworten sheet.
func writeQuestionsSheet(f *excelize.File, st *wbStyles, qn *survey.Questionnaire, cols []Column) error {
	header := []string{"Abschnitt", "ID", "Frage", "Typ", "Pflicht", "Einheit", "Auswahl / Einträge", "Bedingung",
		"Planungsrolle", "Personenbezogen", "Spalte in Antworten"}
	n := len(qn.Questions())
	w, err := openSheet(f, st, sheetLayout{name: SheetQuestions, headerRow: 1, lastRow: 1 + n, cols: len(header),
		widths: []float64{22, 24, 50, 16, 8, 10, 50, 30, 24, 14, 14}, header: header})
	if err != nil {
		return err
	}
	if err := w.header(1); err != nil {
		return err
	}
	where := columnLetters(cols)
	yes := map[bool]string{true: "ja", false: "nein"}
	sections := map[string]string{}
	for _, sec := range qn.Sections {
		sections[sec.ID] = sec.Title
	}
	for _, q := range qn.Questions() {
		var opts []string
		for _, c := range q.Choices {
			opts = append(opts, c.Value+" = "+c.Label)
		}
		for _, it := range q.Items {
			opts = append(opts, "Eintrag "+it.Value+" = "+it.Label)
		}
		relevant := ""
		if q.Relevant != nil {
			relevant = q.Relevant.String()
		}
		if err := w.add(textCell(sections[q.Section], st.text), textCell(q.ID, st.text), textCell(q.Label, st.wrap),
			textCell(q.Type.Label(), st.text), textCell(yes[q.Required], st.text), textCell(q.Unit, st.text),
			textCell(strings.Join(opts, "\n"), st.wrap), textCell(relevant, st.wrap), textCell(q.Planning, st.text),
			textCell(yes[q.Personal], st.text), textCell(where[q.ID], st.text)); err != nil {
			return err
		}
	}
	return w.flush()
}

// columnLetters maps question ids to their columns in Antworten ("D" or
// "H–K"); the first three columns are AGS, Kommune and status.
func columnLetters(cols []Column) map[string]string {
	first, last := map[string]int{}, map[string]int{}
	for i, c := range cols {
		if _, ok := first[c.Q.ID]; !ok {
			first[c.Q.ID] = i + 4
		}
		last[c.Q.ID] = i + 4
	}
	out := make(map[string]string, len(first))
	for id, a := range first {
		out[id] = colName(a)
		if b := last[id]; b != a {
			out[id] += "–" + colName(b)
		}
	}
	return out
}
