package analysis

// The raw answers as CSV, written the way German Excel reads a CSV file
// opened by double-click: UTF-8 with a byte order mark (without it Excel
// guesses Windows-1252 and garbles umlauts), ";" between fields (the list
// separator of the German locale), decimal comma, CRLF line ends.

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"bedarf/survey"
)

// CSVName returns the download file name of a round's raw answers.
func CSVName(r survey.Round) string {
	return fmt.Sprintf("Antworten_%d.csv", r.ID)
}

// WriteCSV writes the raw answers of every response of the round: AGS,
// Kommune, status, then the columns of AnswerColumns (without personal
// questions when ds.OmitPersonal is set). Numbers are written with a
// decimal comma and no thousands separator ("1234,5"), dates as
// "31.12.2026", multiple choice options as 1 or 0. Text that a spreadsheet
// would run as a formula (starting with = + - @, TAB, CR or NUL) gets a
// leading apostrophe: see NeutralizeCSV.
func WriteCSV(w io.Writer, ds Dataset) error {
	if ds.Questionnaire == nil || ds.Each == nil {
		return fmt.Errorf("CSV: Fragebogen oder Antworten fehlen")
	}
	cw := NewCSVWriter(w)
	cols := answerColumns(ds.Questionnaire, ds.OmitPersonal)
	header := []string{"AGS", "Kommune", "Status"}
	for _, c := range cols {
		header = append(header, NeutralizeCSV(c.Header))
	}
	cw.Write(header)
	rec := make([]string, len(header))
	err := ds.Each(func(r survey.Response, a survey.Answers) error {
		rec[0], rec[1], rec[2] = NeutralizeCSV(r.Kommune.AGS), NeutralizeCSV(r.Kommune.Name), r.Status.Label()
		for i, c := range cols {
			rec[3+i] = csvValue(c.CellValue(a))
		}
		cw.Write(rec)
		return nil
	})
	if err != nil {
		return fmt.Errorf("CSV schreiben: %w", err)
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("CSV schreiben: %w", err)
	}
	return nil
}

// CSVWriter writes CSV the way German Excel reads a file opened by
// double-click (see the top of this file): a byte order mark first, ";"
// between fields, fields quoted (with doubled quotes inside) when they
// contain ";", a quote, CR or LF or start or end with a space, CRLF line
// ends. Unlike encoding/csv with UseCRLF, it keeps a CR inside a field as
// typed. It is the one CSV writer of the product; neutralising formulas
// (NeutralizeCSV) is left to the caller, who knows which fields are text.
type CSVWriter struct {
	w *bufio.Writer
}

// NewCSVWriter returns a CSVWriter on w and writes the byte order mark.
func NewCSVWriter(w io.Writer) *CSVWriter {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	return &CSVWriter{w: bw}
}

// Write writes one record. Write errors are reported by Flush.
func (c *CSVWriter) Write(fields []string) {
	for i, f := range fields {
		if i > 0 {
			c.w.WriteByte(';')
		}
		if f != "" && (strings.ContainsAny(f, ";\"\r\n") || f[0] == ' ' || f[len(f)-1] == ' ') {
			c.w.WriteByte('"')
			c.w.WriteString(strings.ReplaceAll(f, `"`, `""`))
			c.w.WriteByte('"')
			continue
		}
		c.w.WriteString(f)
	}
	c.w.WriteString("\r\n")
}

// Flush writes what is buffered and returns the first write error.
func (c *CSVWriter) Flush() error { return c.w.Flush() }

// csvValue writes a CellValue for the CSV.
func csvValue(v any) string {
	switch v := v.(type) {
	case float64:
		return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
	case time.Time:
		return v.Format("02.01.2006")
	case string:
		return NeutralizeCSV(v)
	}
	return ""
}

// NeutralizeCSV returns text for a CSV cell so that no spreadsheet runs it
// as a formula: text starting with =, +, -, @, TAB, CR or NUL gets a
// leading apostrophe ("'=HYPERLINK(…)"), which spreadsheets show as text.
// Direction controls are neutralised (survey.SafeText); other text is
// returned unchanged. Only text goes through it: numbers
// stay numbers ("-2" in a number column is the number −2).
func NeutralizeCSV(s string) string {
	s = survey.SafeText(s)
	if s != "" && strings.IndexByte("=+-@\t\r\x00", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
