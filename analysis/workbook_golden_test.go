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
	wbGolden(t, "workbook_demo.golden", wbDump(t, wbBytes(t, ds)))
}

// wbGolden compares got with the golden file testdata/name, rewriting it
// with -update, and shows the first differing lines.
func wbGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
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
		t.Errorf("workbook differs from %s (run with -update if the change is intended)", path)
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
