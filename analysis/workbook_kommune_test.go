package analysis

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// TestKommuneWorkbook: one row per question (per item of matrix and
// per-item questions), numbers as numbers, chosen options in one cell,
// hidden questions marked, invalid input shown as typed with its message.
func TestKommuneWorkbook(t *testing.T) {
	qn := wbQuestionnaire(t)
	form := map[string][]string{
		"q.kontakt_name": {"Erika Mustermann"}, "q.betreute_gu": {"1.200"}, "q.fachkraefte_vzae": {"9,5"},
		"q.supervision_vorhanden": {"nein"}, "q.supervision_gruppe_personen": {"7"}, "q.supervision_zeiten": {"vormittag", "abend"},
		"q.fortbildung_teilnehmende.trauma": {"5"}, "q.zusaetzliche_stellen_vzae": {"viele"},
	}
	a := qn.Check(form, survey.Draft).Answers
	k := survey.Kommune{AGS: "03241005", Name: "Garbsen"}
	ka := KommuneAnswers{Round: wbRound(2, "Bedarfsabfrage 2026"), Questionnaire: qn, Answers: a,
		Response:  survey.Response{Kommune: k, Status: survey.StatusDraft},
		Generated: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	if err := WriteKommuneWorkbook(&buf, ka); err != nil {
		t.Fatal(err)
	}
	if got := KommuneWorkbookName(ka.Round, k); got != "Antworten_2_03241005.xlsx" {
		t.Errorf("name %q", got)
	}
	f := wbOpen(t, buf.Bytes())
	rows, err := f.GetRows(SheetKommuneAnswers, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], "Garbsen (03241005)") {
		t.Errorf("title %q", rows[0][0])
	}
	find := func(question, item string) (int, []string) {
		t.Helper()
		for i, r := range rows[kaHeaderRow:] {
			for len(r) < 6 {
				r = append(r, "")
			}
			if r[1] == question && r[2] == item {
				return kaHeaderRow + i + 1, r
			}
		}
		t.Fatalf("no row for %q %q", question, item)
		return 0, nil
	}
	for _, c := range []struct {
		question, item, answer, remark string
		number                         bool
	}{
		{"Betreute Geflüchtete in kommunalen Unterkünften", "", "1200", "", true},
		{"Besetzte Stellen", "", "9.5", "", true},
		{"Bevorzugte Zeiten", "", "vormittags; abends", "", false},
		{"In welcher Form?", "", "", "entfällt (Bedingung nicht erfüllt)", false},
		{"Wie viele Fachkräfte möchten an den folgenden Modulen teilnehmen?", "Umgang mit Traumatisierungen", "5", "", true},
		{"Wie viele zusätzliche Stellen brauchen Sie?", "", "viele", "ungültige Eingabe", false},
		{"Wie erleben Sie die Lage der Flüchtlingssozialarbeit in Ihrer Kommune insgesamt?", "", "", "keine Angabe (Pflichtfrage)", false},
	} {
		row, r := find(c.question, c.item)
		if r[3] != c.answer || !strings.HasPrefix(r[5], c.remark) {
			t.Errorf("%s %s: %q / %q, want %q / %q", c.question, c.item, r[3], r[5], c.answer, c.remark)
		}
		typ, _ := f.GetCellType(SheetKommuneAnswers, cellName(4, row))
		if c.number != (typ == excelize.CellTypeUnset && r[3] != "") {
			t.Errorf("%s: cell type %v", c.question, typ)
		}
	}
	if props, _ := f.GetDocProps(); props.Title != "Antworten: Garbsen (03241005)" {
		t.Errorf("title property %q", props.Title)
	}
}
