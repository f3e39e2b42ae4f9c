package analysis

// The links of a round as a list for mail merge: one row per invited
// Kommune with its AGS, name, contact addresses, personal link and status,
// as CSV for German Excel (the same writer as the raw answers) and as an
// .xlsx workbook.

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// LinkRow is one invited Kommune in the link list. Link is empty when the
// Kommune has no active link.
type LinkRow struct {
	AGS, Kommune, Contact, Link string
	Status                      survey.ResponseStatus
}

// linkHeader is the link list's header row (German, as every download).
var linkHeader = []string{"AGS", "Kommune", "Kontakt", "Link", "Status"}

func (r LinkRow) fields() []string {
	return []string{r.AGS, r.Kommune, r.Contact, r.Link, r.Status.Label()}
}

// WriteLinksCSV writes the link list as CSV for German Excel (UTF-8 with
// byte order mark, ";" between fields, CRLF line ends); text a spreadsheet
// would run as a formula is neutralised (NeutralizeCSV).
func WriteLinksCSV(w io.Writer, rows []LinkRow) error {
	cw := NewCSVWriter(w)
	cw.Write(linkHeader)
	for _, r := range rows {
		f := r.fields()
		for i := range f {
			f[i] = NeutralizeCSV(f[i])
		}
		cw.Write(f)
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("Link-Liste schreiben: %w", err)
	}
	return nil
}

// WriteLinksXLSX writes the link list as a workbook with one sheet
// "Links": every cell is text (an AGS keeps its leading zero), the header
// row is frozen and filtered. Text has its direction controls neutralised.
func WriteLinksXLSX(w io.Writer, rows []LinkRow) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Links"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("Link-Liste: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("Link-Liste: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("Link-Liste: %w", err)
	}
	widths := []float64{11, 28, 36, 60, 18}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("Link-Liste: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("Link-Liste: %w", err)
	}
	row := make([]any, len(linkHeader))
	for i, h := range linkHeader {
		row[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return fmt.Errorf("Link-Liste: %w", err)
	}
	for n, r := range rows {
		for i, v := range r.fields() {
			row[i] = survey.SafeText(v)
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("Link-Liste: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("Link-Liste: %w", err)
	}
	last, _ := excelize.CoordinatesToCellName(len(linkHeader), len(rows)+1)
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("Link-Liste: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("Link-Liste schreiben: %w", err)
	}
	return nil
}
