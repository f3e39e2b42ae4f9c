package analysis

import (
	"slices"
	"strings"
	"testing"
)

// TestUptakeSheet: the Umsetzung sheet holds the hand-counted figures of
// uptakeRound, and adding it leaves every other sheet byte for byte as it
// was.
func TestUptakeSheet(t *testing.T) {
	ds := wbDemoDataset(t, 7)
	plain := wbBytes(t, ds)
	p, d, now := uptakeRound()
	u := UptakeOf(p, d, now)
	ds.Uptake = &u
	data := wbBytes(t, ds)
	f := wbOpen(t, data)
	sheets := f.GetSheetList()
	if sheets[len(sheets)-1] != SheetUptake {
		t.Fatalf("sheets %v", sheets)
	}
	for _, s := range sheets[:len(sheets)-1] {
		if wbSheetXML(t, plain, s) != wbSheetXML(t, data, s) {
			t.Errorf("sheet %s changed with the Umsetzung sheet", s)
		}
	}
	rows, err := f.GetRows(SheetUptake)
	if err != nil {
		t.Fatal(err)
	}
	// Row uptakeHeaderRow is the header; the table follows in UptakeOf's order.
	want := [][]string{
		{"A", "Aheim", "Gruppensupervision", "5", "4", "3", "2", "0"},
		{"A", "Aheim", "Asylrecht", "3", "2", "2", "2", "1"},
		{"B", "Bdorf", "Gruppensupervision", "2", "2", "2", "1", "0"},
		{"B", "Bdorf", "Asylrecht", "4", "0", "3", "0", "1"},
		{"B", "Bdorf", "Kinderschutz", "1", "0", "0", "0", "0"},
	}
	if rows[uptakeHeaderRow-1][0] != "AGS" {
		t.Fatalf("header %v", rows[uptakeHeaderRow-1])
	}
	for i, w := range want {
		got := rows[uptakeHeaderRow+i]
		for j := range w {
			if j >= len(got) || got[j] != w[j] {
				t.Errorf("row %d = %v, want %v", uptakeHeaderRow+1+i, got, w)
				break
			}
		}
	}
	find := func(label string) []string {
		for _, r := range rows {
			for _, c := range r {
				if c == label {
					return r
				}
			}
		}
		t.Fatalf("no row %q", label)
		return nil
	}
	if r := find("Summe"); len(r) < 8 || r[3] != "15" || r[4] != "12" || r[5] != "10" || r[6] != "5" || r[7] != "2" {
		t.Errorf("module sum row %v", r)
	}
	raw := f
	g := find("Gruppe G1")
	gr := wbRowOf(t, f, SheetUptake, "Gruppe G1")
	if len(g) < 7 || g[3] != "5" || g[4] != "2" || g[5] != "5" || wbNum(t, raw, SheetUptake, cellName(7, gr)) != 0.5 {
		t.Errorf("group row %v", g)
	}
	// The costs' total row is the last: plan 4900 €, offers 3685.20 €, held 1842.60 €.
	last := len(rows)
	for i, want := range []float64{4900, 3685.2, 1842.6} {
		if got := wbNum(t, raw, SheetUptake, cellName(4+i, last)); !wbClose(got, want) {
			t.Errorf("cost total column %d = %v, want %v", 4+i, got, want)
		}
	}
}

// TestUptakeBesideNeed: the Vergleich sheet sets the previous round's
// uptake per module beside this round's need, under its tables, which
// stay as they were.
func TestUptakeBesideNeed(t *testing.T) {
	p, d, now := uptakeRound()
	ds := wbDemoDataset(t, 7)
	ds.Previous = wbPreviousDataset(t, 3)
	// This round's need: the plan of uptakeRound with one module more.
	cur := p
	cur.Training = append(append([]TrainingPlan(nil), p.Training...), TrainingPlan{ModuleID: "neu", Label: "Neues Modul", Participants: 9})
	cur.Training[0].Participants = 11
	ds.Plan = &cur
	plainRows, err := wbOpen(t, wbBytes(t, ds)).GetRows(SheetCompare)
	if err != nil {
		t.Fatal(err)
	}
	prev := UptakeOf(p, d, now)
	ds.PreviousUptake = &prev
	rows, err := wbOpen(t, wbBytes(t, ds)).GetRows(SheetCompare)
	if err != nil {
		t.Fatal(err)
	}
	for i := range plainRows {
		if strings.Join(rows[i], "|") != strings.Join(plainRows[i], "|") {
			t.Fatalf("row %d changed: %v, was %v", i+1, rows[i], plainRows[i])
		}
	}
	var got []string
	for _, r := range rows[len(plainRows):] {
		got = append(got, strings.Join(r, "|"))
	}
	want := []string{"", "Umsetzung der Vorrunde und Bedarf dieser Runde"}
	if len(got) < 8 || !slices.Equal(got[:2], want) {
		t.Fatalf("rows under the comparison: %q", got)
	}
	wantRows := []string{
		"|Gruppensupervision|7|6|5|3|0|7",
		"|Asylrecht|7|6|5|2|2|11",
		"|Kinderschutz|1|0|0|0|0|1",
		"|Neues Modul|0|0|0|0|0|9",
	}
	if !slices.Equal(got[4:], wantRows) {
		t.Errorf("uptake beside need:\n%q\nwant\n%q", got[4:], wantRows)
	}
}
