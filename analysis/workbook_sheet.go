package analysis

// Building blocks of the workbooks: cell styles, streamed table sheets with
// their print and view settings, and cells that carry a formula together
// with the value the Go code computed for it.
//
// excelize's StreamWriter discards everything a sheet already holds except
// its settings, and it cannot add settings once rows are written. So every
// sheet is set up first (autofilter, print titles, page layout, charts) and
// only then streamed, rows in ascending order.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// Number formats. Format codes are stored locale-independently; German Excel
// and LibreOffice show "1.234,50 €".
const (
	fmtInt     = `#,##0`
	fmtDec     = `#,##0.0#`
	fmtDec2    = `#,##0.00`
	fmtEUR     = `#,##0.00 "€"`
	fmtKm      = `#,##0.0 "km"`
	fmtPercent = `0.0%`
	fmtDate    = `DD.MM.YYYY`
	fmtStamp   = `DD.MM.YYYY hh:mm`
)

// wbStyles are the style ids of a workbook.
type wbStyles struct {
	title, note, header, text, wrap, bold int
	// by number format: plain and bold (for total rows)
	num, numBold map[string]int
	// input cells of the Parameter sheet, by number format; fixed marks the
	// values that are only shown (change them in the browser)
	input, fixed map[string]int
	// loc is Europe/Berlin, for wall-clock times.
	loc *time.Location
	// fileMu is held for changes to the workbook itself (opening and
	// ending a streamed sheet) while several sheets stream at once.
	fileMu sync.Mutex
}

func newWBStyles(f *excelize.File) (*wbStyles, error) {
	s := &wbStyles{num: map[string]int{}, numBold: map[string]int{}, input: map[string]int{}, fixed: map[string]int{}, loc: survey.Berlin()}
	top := &excelize.Alignment{Vertical: "top"}
	border := []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F0"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.text, excelize.Style{Alignment: top}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, fmt.Errorf("Zellformat: %w", err)
		}
		*d.id = id
	}
	inputFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}
	fixedFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}
	box := []excelize.Border{{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1}}
	for _, nf := range []string{fmtInt, fmtDec, fmtDec2, fmtEUR, fmtKm, fmtPercent, fmtDate, fmtStamp} {
		variants := []struct {
			dst   map[string]int
			style excelize.Style
		}{
			{s.num, excelize.Style{CustomNumFmt: ptr(nf), Alignment: top}},
			{s.numBold, excelize.Style{CustomNumFmt: ptr(nf), Alignment: top, Font: &excelize.Font{Bold: true},
				Border: []excelize.Border{{Type: "top", Color: "7F7F7F", Style: 1}}}},
			{s.input, excelize.Style{CustomNumFmt: ptr(nf), Fill: inputFill, Border: box,
				Protection: &excelize.Protection{Locked: false}}},
			{s.fixed, excelize.Style{CustomNumFmt: ptr(nf), Fill: fixedFill, Border: box}},
		}
		for _, v := range variants {
			id, err := f.NewStyle(&v.style)
			if err != nil {
				return nil, fmt.Errorf("Zahlenformat %s: %w", nf, err)
			}
			v.dst[nf] = id
		}
	}
	return s, nil
}

func ptr[T any](v T) *T { return &v }

// sheetLayout is what must be known about a table sheet before its rows
// are streamed.
type sheetLayout struct {
	name string
	// headerRow is the row of the table header (1-based); lastRow the last
	// data row of the filtered table (headerRow when it has no rows).
	headerRow, lastRow int
	// cols is the number of table columns; widths their widths, widened
	// where a word of the header would not fit.
	cols   int
	widths []float64
	header []string
	// freezeCols keeps that many columns in view when scrolling sideways.
	freezeCols int
	// noFilter leaves out the autofilter (sheets that are not one table).
	noFilter bool
	// noFit prints the sheet at full size instead of fitting its width
	// to the page (for very wide tables, which would become unreadable).
	noFit bool
	// onePage fits the whole sheet on one printed page.
	onePage bool
	// maxLines caps the height of rows with wrapped text (default 12
	// lines).
	maxLines int
}

// sheetWriter streams the rows of one sheet, counting them.
type sheetWriter struct {
	sw     *excelize.StreamWriter
	st     *wbStyles
	row    int // last row written
	widths []float64
	// maxLines caps the height of a row with wrapped text.
	maxLines int
	// labels is the layout's header.
	labels []string
	// row is reused for every row: pointers to the cells, nil for empty
	// ones (excelize writes each row at once and keeps no reference).
	buf []any
}

// lineHeight is the height of one line of text in points.
const lineHeight = 15

// openSheet applies the layout's settings to the (existing) sheet and
// starts streaming it: frozen header, autofilter over the table, header
// row repeated on every printed page, landscape A4, fitted to the page
// width unless noFit, and a footer with the sheet name and page numbers.
func openSheet(f *excelize.File, st *wbStyles, l sheetLayout) (*sheetWriter, error) {
	st.fileMu.Lock()
	defer st.fileMu.Unlock()
	if err := setupSheet(f, l); err != nil {
		return nil, fmt.Errorf("Blatt %s einrichten: %w", l.name, err)
	}
	sw, err := f.NewStreamWriter(l.name)
	if err != nil {
		return nil, fmt.Errorf("Blatt %s: %w", l.name, err)
	}
	l.widths = headerWidths(l.widths, l.header)
	for i, wd := range l.widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, fmt.Errorf("Blatt %s, Spaltenbreite: %w", l.name, err)
		}
	}
	if l.headerRow > 0 {
		top, _ := excelize.CoordinatesToCellName(l.freezeCols+1, l.headerRow+1)
		panes := &excelize.Panes{Freeze: true, XSplit: l.freezeCols, YSplit: l.headerRow, TopLeftCell: top, ActivePane: "bottomLeft"}
		if l.freezeCols > 0 {
			panes.ActivePane = "bottomRight"
		}
		if err := sw.SetPanes(panes); err != nil {
			return nil, fmt.Errorf("Blatt %s, fixierte Zeilen: %w", l.name, err)
		}
	}
	maxLines := l.maxLines
	if maxLines == 0 {
		maxLines = 12
	}
	return &sheetWriter{sw: sw, st: st, widths: l.widths, labels: l.header, maxLines: maxLines}, nil
}

// headerWidths widens columns whose header has a word longer than the
// column (headers wrap between words, and at soft hyphens).
func headerWidths(widths []float64, header []string) []float64 {
	out := append([]float64(nil), widths...)
	for i, h := range header {
		if i >= len(out) {
			break
		}
		for _, word := range strings.FieldsFunc(h, func(r rune) bool { return r == ' ' || r == '\u00ad' || r == '\n' }) {
			out[i] = max(out[i], float64(utf8.RuneCountInString(word))+3)
		}
	}
	return out
}

func setupSheet(f *excelize.File, l sheetLayout) error {
	if l.headerRow > 0 && !l.noFilter && l.cols > 0 {
		last, _ := excelize.CoordinatesToCellName(l.cols, max(l.lastRow, l.headerRow))
		first, _ := excelize.CoordinatesToCellName(1, l.headerRow)
		if err := f.AutoFilter(l.name, first+":"+last, nil); err != nil {
			return err
		}
	}
	if l.headerRow > 0 {
		titles := fmt.Sprintf("%s!$%d:$%d", sheetRef(l.name), l.headerRow, l.headerRow)
		if l.freezeCols > 0 {
			col, _ := excelize.ColumnNumberToName(l.freezeCols)
			titles = fmt.Sprintf("%s!$A:$%s,%s", sheetRef(l.name), col, titles)
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: l.name}); err != nil {
			return err
		}
	}
	return pageSetup(f, l.name, !l.noFit, l.onePage)
}

// pageSetup prints the sheet landscape on A4, fitted to the page width when
// fit is set (and to one page when onePage is), with the sheet name and
// page numbers in the footer.
func pageSetup(f *excelize.File, sheet string, fit, onePage bool) error {
	opts := &excelize.PageLayoutOptions{Size: ptr(9), Orientation: ptr("landscape")}
	if fit {
		opts.FitToWidth, opts.FitToHeight = ptr(1), ptr(0)
		if onePage {
			opts.FitToHeight = ptr(1)
		}
		if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
			return err
		}
	}
	if err := f.SetPageLayout(sheet, opts); err != nil {
		return err
	}
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&L&A&RSeite &P von &N"})
}

// sheetRef quotes a sheet name for use in a formula or reference.
func sheetRef(name string) string {
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return "'" + strings.ReplaceAll(name, "'", "''") + "'"
		}
	}
	return name
}

// add writes the next row; the zero Cell and cells with empty text are
// left empty, and text has its direction controls neutralised
// (survey.SafeText). A row whose wrapped text needs several lines gets the height
// for them (spreadsheets do not size rows of a generated file by
// themselves).
func (w *sheetWriter) add(cells ...excelize.Cell) error {
	return w.addStyled(excelize.RowOpts{}, cells...)
}

// addStyled writes the next row with options such as a height.
func (w *sheetWriter) addStyled(opts excelize.RowOpts, cells ...excelize.Cell) error {
	if opts.Height == 0 {
		if lines := w.lines(cells); lines > 1 {
			opts.Height = float64(lines) * lineHeight
		}
	}
	w.buf = w.buf[:0]
	for i := range cells {
		c := &cells[i]
		if c.Formula == "" && (c.Value == nil || c.Value == "") && c.StyleID != w.st.header {
			w.buf = append(w.buf, nil)
			continue
		}
		if text, ok := c.Value.(string); ok {
			// A name or answer with a direction override would reorder
			// what the spreadsheet shows after it.
			if safe := survey.SafeText(text); safe != text {
				cp := *c
				cp.Value = safe
				c = &cp
			}
		}
		w.buf = append(w.buf, c)
	}
	w.row++
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	if err := w.sw.SetRow(cell, w.buf, opts); err != nil {
		return fmt.Errorf("Zeile %d: %w", w.row, err)
	}
	return nil
}

// lines estimates the lines the row's wrapped text cells need at their
// column widths, at most maxLines.
func (w *sheetWriter) lines(cells []excelize.Cell) int {
	most := 1
	for i := range cells {
		if cells[i].StyleID != w.st.wrap || i >= len(w.widths) {
			continue
		}
		if s, ok := cells[i].Value.(string); ok {
			most = max(most, wrapLines(s, w.widths[i]))
		}
	}
	return min(most, w.maxLines)
}

// wrapLines estimates how many lines text takes when wrapped in a column
// width characters wide.
func wrapLines(s string, width float64) int {
	// A column width counts digits; text averages a little narrower.
	per := max(int(width*1.1)-1, 1)
	lines := 0
	for {
		para, rest, more := strings.Cut(s, "\n")
		lines += max(1, (utf8.RuneCountInString(para)+per-1)/per)
		if !more {
			return lines
		}
		s = rest
	}
}

// skip leaves n rows empty.
func (w *sheetWriter) skip(n int) { w.row += n }

// title writes a bold title line.
func (w *sheetWriter) title(s string) error {
	return w.addStyled(excelize.RowOpts{Height: 21}, textCell(s, w.st.title))
}

// note writes a line of explanation in grey italics.
func (w *sheetWriter) note(s string) error { return w.add(textCell(s, w.st.note)) }

// header writes a table header row, the layout's header when no labels
// are given; it must land on the layout's header row.
func (w *sheetWriter) header(want int, labels ...string) error {
	if len(labels) == 0 {
		labels = w.labels
	}
	if w.row+1 != want {
		return fmt.Errorf("Kopfzeile in Zeile %d statt %d", w.row+1, want)
	}
	cells := make([]excelize.Cell, len(labels))
	for i, h := range labels {
		cells[i] = textCell(h, w.st.header)
	}
	return w.addStyled(excelize.RowOpts{Height: 45}, cells...)
}

// expect checks that the next row is the one the layout planned, so that
// formulas that point to it are right.
func (w *sheetWriter) expect(row int, what string) error {
	if w.row+1 != row {
		return fmt.Errorf("%s in Zeile %d statt %d", what, w.row+1, row)
	}
	return nil
}

// flush ends the sheet.
func (w *sheetWriter) flush() error {
	w.st.fileMu.Lock()
	defer w.st.fileMu.Unlock()
	return w.sw.Flush()
}

// textCell is a string cell. Text is always written as a string, never as
// a formula, whatever it starts with: "=HYPERLINK(…)" stays harmless text.
func textCell(s string, style int) excelize.Cell {
	return excelize.Cell{Value: s, StyleID: style}
}

// numCell is a number cell with a number format.
func (st *wbStyles) numCell(v float64, format string) excelize.Cell {
	return excelize.Cell{Value: sheetFloat(v), StyleID: st.num[format]}
}

// formulaCell is a cell with a formula and the value the Go code computed
// for it, stored as the cached result. value is a float64, or "" for a
// formula whose result is empty text.
func formulaCell(formula string, value any, style int) excelize.Cell {
	if v, ok := value.(float64); ok {
		value = sheetFloat(v)
	}
	return excelize.Cell{Formula: strings.TrimPrefix(formula, "="), Value: value, StyleID: style}
}

// sheetFloat returns v rounded to 15 significant digits, the precision a
// spreadsheet works with. excelize cuts longer numbers off after 15 digits
// instead of rounding them (7315.9349999999995 would be stored as
// 7315.93499999999 and shown as 7.315,93 € instead of 7.315,94 €);
// rounded first, they are stored exactly, and RoundCents gives the same
// cents for both.
func sheetFloat(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return v // whole numbers below 10^15 have at most 15 digits
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// dateCell is a date (no time of day) in German notation.
func (st *wbStyles) dateCell(t time.Time) excelize.Cell {
	if t.IsZero() {
		return excelize.Cell{}
	}
	return excelize.Cell{Value: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), StyleID: st.num[fmtDate]}
}

// stampCell is a moment shown as Berlin wall-clock time.
func (st *wbStyles) stampCell(t time.Time) excelize.Cell {
	if t.IsZero() {
		return excelize.Cell{}
	}
	return excelize.Cell{Value: wallClock(t, st.loc), StyleID: st.num[fmtStamp]}
}

// wallClock returns t's Berlin wall-clock time as a UTC time, which is how
// excelize turns a time into a spreadsheet date (spreadsheets have no zones).
func wallClock(t time.Time, loc *time.Location) time.Time {
	b := t.In(loc)
	return time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), 0, time.UTC)
}

// cellName returns "C7" for column 3, row 7.
func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// colName returns "C" for column 3.
func colName(col int) string {
	s, _ := excelize.ColumnNumberToName(col)
	return s
}

// absRef returns "$C$7".
func absRef(col, row int) string {
	return "$" + colName(col) + "$" + strconv.Itoa(row)
}

// newWorkbook returns an empty workbook whose sheets are the given names, in
// that order.
func newWorkbook(names ...string) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", names[0]); err != nil {
		f.Close()
		return nil, fmt.Errorf("Blatt %s: %w", names[0], err)
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			f.Close()
			return nil, fmt.Errorf("Blatt %s: %w", n, err)
		}
	}
	f.SetActiveSheet(0)
	return f, nil
}

// setDocProps sets the document properties: title, subject, author,
// keywords, language and the time of creation.
func setDocProps(f *excelize.File, ds Dataset, title string) error {
	created := ds.Generated.UTC().Format(time.RFC3339)
	subject := ""
	if ds.Questionnaire != nil {
		subject = ds.Questionnaire.Title
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Subject:        subject,
		Creator:        "bedarf",
		LastModifiedBy: "bedarf",
		Keywords:       "Bedarfsabfrage; Supervision; Fortbildung; Flüchtlingssozialarbeit",
		Category:       "Auswertung",
		Language:       "de-DE",
		Created:        created,
		Modified:       created,
		Description:    "Erstellt von bedarf am " + ds.Generated.In(survey.Berlin()).Format("02.01.2006 um 15:04") + " Uhr aus der Erhebungsrunde „" + ds.Round.Title + "“.",
	}); err != nil {
		return fmt.Errorf("Dokumenteigenschaften: %w", err)
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: "bedarf"}); err != nil {
		return fmt.Errorf("Dokumenteigenschaften: %w", err)
	}
	return nil
}
