package analysis

import (
	"slices"
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

	// Like with like: only the Kommunen counted in both rounds.
	counted := func(d Dataset) map[string]bool {
		m := map[string]bool{}
		for _, r := range d.Responses {
			if d.Counts(r) {
				m[r.Kommune.AGS] = true
			}
		}
		return m
	}
	inPrev, inCur := counted(*ds.Previous), counted(ds)
	both := 0
	for ags := range inCur {
		if inPrev[ags] {
			both++
		}
	}
	if both == len(inPrev) && both == len(inCur) {
		t.Fatalf("test data: the rounds count the same Kommunen (%d, %d, %d)", len(inPrev), len(inCur), both)
	}
	sum := func(d Dataset, id string) float64 {
		s := 0.0
		d.Each(func(r survey.Response, a survey.Answers) error {
			if inPrev[r.Kommune.AGS] && inCur[r.Kommune.AGS] {
				s += a[survey.Key{Question: id}].Num
			}
			return nil
		})
		return s
	}
	// The second head row (the map keeps the last of equal keys).
	if r := rows["||Anzahl"]; r == nil || r[cmpColQuestion-1] != "Verglichene Antworten" || r[cmpColPrev-1] != strconv.Itoa(both) || r[cmpColCur-1] != strconv.Itoa(both) {
		t.Errorf("compared answers row %q, want %d in both rounds", r, both)
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

// TestCompareRoundsLikeWithLike: by default only the Kommunen counted in
// both rounds are compared, the others are named apart; with all, every
// counted answer counts.
func TestCompareRoundsLikeWithLike(t *testing.T) {
	qn := wbQuestionnaire(t)
	q := qn.ByPlanning(RolePeopleMunic)
	if q == nil {
		t.Fatal("no number question")
	}
	k := func(ags, name string, v float64) CompareAnswers {
		return CompareAnswers{AGS: ags, Name: name, Answers: survey.Answers{{Question: q.ID}: {Num: v, HasNum: true}}}
	}
	prev := CompareInput{Questionnaire: qn, Invited: 4, Kommunen: []CompareAnswers{k("1", "Aue", 10), k("2", "Bahn", 20), k("3", "Calw", 30)}}
	cur := CompareInput{Questionnaire: qn, Invited: 4, Kommunen: []CompareAnswers{k("2", "Bahn", 25), k("3", "Calw", 35), k("4", "Dorf", 100)}}
	for _, tc := range []struct {
		all             bool
		nPrev, nCur     int
		sumPrev, sumCur float64
		basis           string
	}{
		{false, 2, 2, 50, 60, "Verglichen werden die 2 Kommunen, die in beiden Runden gezählt sind."},
		{true, 3, 3, 60, 160, "Verglichen werden alle gezählten Antworten: Vorrunde 3, diese Runde 3."},
	} {
		c := CompareRounds(prev, cur, tc.all)
		if n, s := c.Number(Prev, q.ID, ""); n != tc.nPrev || s != tc.sumPrev {
			t.Errorf("all=%v: previous round %d answers, sum %v; want %d, %v", tc.all, n, s, tc.nPrev, tc.sumPrev)
		}
		if n, s := c.Number(Cur, q.ID, ""); n != tc.nCur || s != tc.sumCur {
			t.Errorf("all=%v: this round %d answers, sum %v; want %d, %v", tc.all, n, s, tc.nCur, tc.sumCur)
		}
		if got := CompareBasisDE(c); got != tc.basis {
			t.Errorf("all=%v: basis %q, want %q", tc.all, got, tc.basis)
		}
		if !slices.Equal(c.Both, []string{"Bahn", "Calw"}) || !slices.Equal(c.OnlyPrev, []string{"Aue"}) || !slices.Equal(c.OnlyCur, []string{"Dorf"}) {
			t.Errorf("all=%v: both %v, only before %v, only now %v", tc.all, c.Both, c.OnlyPrev, c.OnlyCur)
		}
	}
}

// TestCompareSheetCharts: under the comparison the number questions' sums
// stand once more per unit, as formulas over the table's rows, with a native
// bar chart of both rounds beside each, as the comparison page draws them.
func TestCompareSheetCharts(t *testing.T) {
	ds := wbDemoDataset(t, 1)
	ds.Previous = wbPreviousDataset(t, 2)
	data := wbBytes(t, ds)
	f := wbOpen(t, data)
	rows, err := f.GetRows(SheetCompare, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	cell := func(r []string, col int) string {
		if len(r) >= col {
			return r[col-1]
		}
		return ""
	}
	tableRow := map[string]int{} // question id of a Summe row → sheet row
	var blocks []int             // sheet rows of the sums' titles
	sumsAt := map[string]int{}   // label in a sums block → sheet row
	for i, r := range rows {
		switch {
		case i >= cmpHeaderRow && cell(r, cmpColKind) == "Summe" && cell(r, cmpColItem) == "":
			tableRow[cell(r, cmpColID)] = i + 1
		case strings.HasPrefix(cell(r, cmpColQuestion), "Zahlenfragen: Summe in Vorrunde und dieser Runde"):
			blocks = append(blocks, i+1)
		case len(blocks) > 0 && cell(r, cmpColID) == "" && cell(r, cmpColQuestion) != "":
			sumsAt[cell(r, cmpColQuestion)] = i + 1
		}
	}
	if len(blocks) == 0 {
		t.Fatal("no sums under the comparison")
	}
	label := ds.Questionnaire.Question("betreute_gu").Label
	at, ok := sumsAt[label]
	if !ok {
		t.Fatalf("no sum of %q under the comparison (%v)", label, sumsAt)
	}
	for _, col := range []int{cmpColPrev, cmpColCur} {
		formula, err := f.GetCellFormula(SheetCompare, cellName(col, at))
		if err != nil {
			t.Fatal(err)
		}
		if want := cellName(col, tableRow["betreute_gu"]); formula != want {
			t.Errorf("sum of %q in column %d: formula %q, want %q", label, col, formula, want)
		}
		if got, want := wbRaw(t, f, SheetCompare, cellName(col, at)), wbRaw(t, f, SheetCompare, cellName(col, tableRow["betreute_gu"])); got != want || got == "" {
			t.Errorf("sum of %q in column %d: cached %q, the table has %q", label, col, got, want)
		}
	}
	// One chart per block, its series over the block's cells.
	var refs []string
	for name, content := range wbZip(t, data) {
		if strings.HasPrefix(name, "xl/charts/chart") && strings.Contains(string(content), SheetCompare+"!$E$") {
			refs = append(refs, string(content))
		}
	}
	if len(refs) != len(blocks) {
		t.Fatalf("%d charts over the Vergleich sheet, want %d (one per unit)", len(refs), len(blocks))
	}
	want := SheetCompare + "!$E$" + strconv.Itoa(blocks[0]+1) + ":$E$"
	if !slices.ContainsFunc(refs, func(s string) bool { return strings.Contains(s, want) }) {
		t.Errorf("no chart's series starts at %s", want)
	}
}
