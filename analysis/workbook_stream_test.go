package analysis

import (
	"slices"
	"strconv"
	"testing"
)

// TestWorkbookSheetsStayStreamed guards the workbook's memory: every sheet
// but Parameter is streamed, and none may be read back into memory once
// streamed. excelize does that silently for any later change to a
// streamed sheet (a chart, a cell, a style): it parses the whole sheet
// into its document model and keeps it until the file is written, and the
// download's peak heap grows with the sheet. The Vergleich sheet's charts
// once were added after its rows (issue 18), which cost the workbook 2.6
// MB of allocations on the bench's 500 Kommunen and made its peak heap
// worse than before (issue 19); charts are added before a sheet is
// streamed, as the Übersicht's are.
func TestWorkbookSheetsStayStreamed(t *testing.T) {
	withPrevious := wbDemoDataset(t, 1)
	withPrevious.Previous = wbPreviousDataset(t, 2)
	drafts := withPrevious
	drafts.IncludeDrafts = true
	for _, tc := range []struct {
		name string
		ds   Dataset
	}{
		{"previous round (Vergleich with charts)", withPrevious},
		{"no previous round", wbDemoDataset(t, 3)},
		{"with drafts", drafts},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := buildWorkbook(tc.ds)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// Worksheets created by NewSheet live at
			// xl/worksheets/sheetID.xml.
			names := map[string]string{}
			for id, name := range f.GetSheetMap() {
				names["xl/worksheets/sheet"+strconv.Itoa(id)+".xml"] = name
			}
			var inMemory []string
			f.Sheet.Range(func(path, _ any) bool {
				name, ok := names[path.(string)]
				if !ok {
					name = path.(string)
				}
				inMemory = append(inMemory, name)
				return true
			})
			slices.Sort(inMemory)
			if want := []string{SheetParameters}; !slices.Equal(inMemory, want) {
				t.Errorf("sheets held in memory when the workbook is written: %q, want only %q (a streamed sheet was read back)", inMemory, want)
			}
		})
	}
}
