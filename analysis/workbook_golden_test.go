package analysis

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkbookGolden compares the demo-like workbook (with a previous
// round) with testdata/workbook_demo.golden: every formula with its cached
// value, and every value of the sheets whose values matter (key figures,
// parameters, plan, comparison). The answers and the codebook have their
// own tests. Rewrite with: go test ./analysis/ -run Golden -update
func TestWorkbookGolden(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	ds.Previous = wbPreviousDataset(t, 2)
	got := wbDump(t, wbBytes(t, ds))
	path := filepath.Join("testdata", "workbook_demo.golden")
	if planUpdate() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		shown := 0
		for i := 0; i < max(len(gl), len(wl)) && shown < 15; i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("line %d:\n got  %s\n want %s", i+1, g, w)
				shown++
			}
		}
		t.Error("workbook differs from the golden file (run with -update if the change is intended)")
	}
}

// wbDump lists cells, one per line: "Sheet!A1<TAB>=formula<TAB>value" for
// formulas, "Sheet!A1<TAB><TAB>value" for values of the sheets that matter.
func wbDump(t *testing.T, data []byte) []byte {
	t.Helper()
	f := wbOpen(t, data)
	allValues := map[string]bool{SheetOverview: true, SheetParameters: true, SheetSupervision: true, SheetShares: true,
		SheetTraining: true, SheetStaffing: true, SheetCompare: true}
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelizeRaw())
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				cell := cellName(c+1, r+1)
				fo, err := f.GetCellFormula(sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				if fo == "" && (!allValues[sheet] || row[c] == "") {
					continue
				}
				if fo != "" {
					fo = "=" + fo
				}
				fmt.Fprintf(&b, "%s!%s\t%s\t%q\n", sheet, cell, fo, row[c])
			}
		}
	}
	return []byte(b.String())
}
