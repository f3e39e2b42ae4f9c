package analysis

import (
	"strconv"
	"strings"
	"testing"

	"bedarf/survey"
)

// wbCompareRows reads the Vergleich sheet: question id and item label to
// the row's cells.
func wbCompareRows(t *testing.T, ds Dataset) map[string][]string {
	t.Helper()
	f := wbOpen(t, wbBytes(t, ds))
	rows, err := f.GetRows(SheetCompare, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range rows[cmpHeaderRow:] {
		for len(r) < cmpColHint {
			r = append(r, "")
		}
		out[r[cmpColID-1]+"|"+r[cmpColItem-1]+"|"+r[cmpColKind-1]] = r
	}
	return out
}

// TestCompareWithPreviousRound: matched by question id; new, dropped and
// changed questions and options say so; values are the rounds' sums.
func TestCompareWithPreviousRound(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	ds.Previous = wbPreviousDataset(t, 2)
	rows := wbCompareRows(t, ds)
	hint := func(key, want string) {
		t.Helper()
		r, ok := rows[key]
		if !ok {
			t.Errorf("no row %q", key)
			return
		}
		if !strings.Contains(r[cmpColHint-1], want) {
			t.Errorf("%s: hint %q, want %q", key, r[cmpColHint-1], want)
		}
	}
	hint("unterkuenfte||Summe", "neu in dieser Runde")
	hint("unterkuenfte_alt||Summe", "in dieser Runde nicht mehr gefragt")
	hint("vernetzung_interesse||Anzahl Antworten", "Fragetyp geändert")
	hint("supervision_zeiten|abends|Anzahl Nennungen", "nur in dieser Runde")
	hint("supervision_zeiten|am Wochenende|Anzahl Nennungen", "nur in der Vorrunde")
	hint("belastung_anmerkungen||Anzahl Antworten", "Freitext")
	if _, ok := rows["kontakt_name||Anzahl Antworten"]; ok {
		t.Error("the contact person is compared")
	}

	sum := func(d Dataset, id string) float64 {
		s := 0.0
		d.Each(func(r survey.Response, a survey.Answers) error {
			if d.Counts(r) {
				s += a[survey.Key{Question: id}].Num
			}
			return nil
		})
		return s
	}
	r := rows["betreute_gu||Summe"]
	prev, cur := sum(*ds.Previous, "betreute_gu"), sum(ds, "betreute_gu")
	for i, want := range map[int]float64{cmpColPrev: prev, cmpColCur: cur, cmpColChange: cur - prev} {
		if got, err := strconv.ParseFloat(r[i-1], 64); err != nil || !wbClose(got, want) {
			t.Errorf("betreute_gu column %d: %q, want %v", i, r[i-1], want)
		}
	}
	if r[cmpColHint-1] != "" {
		t.Errorf("betreute_gu: hint %q", r[cmpColHint-1])
	}
}

// TestCompareWithoutPreviousRound says there is nothing to compare.
func TestCompareWithoutPreviousRound(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	f := wbOpen(t, wbBytes(t, ds))
	if got := wbRaw(t, f, SheetCompare, "A2"); !strings.Contains(got, "keine frühere Erhebungsrunde") {
		t.Errorf("A2 = %q", got)
	}
}
