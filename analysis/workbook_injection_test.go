package analysis

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

// wbInjectionQuestionnaire has a text, an integer and a decimal question
// without lower bounds, so that "-2" can be text or a number.
const wbInjectionQuestionnaire = `
id: injektion
title: Test
sections:
  - id: s
    title: Abschnitt
    questions:
      - {id: notiz, type: long_text, label: Notiz}
      - {id: zahl, type: integer, label: Zahl}
      - {id: betrag, type: decimal, label: Betrag, unit: EUR}
`

// wbInjectionDataset has one response per hostile text, with the numbers
// −2 and −1,5.
func wbInjectionDataset(t *testing.T) Dataset {
	t.Helper()
	qn, err := survey.ParseYAML("injektion.yaml", []byte(wbInjectionQuestionnaire))
	if err != nil {
		t.Fatal(err)
	}
	var resps []survey.Response
	var answers []survey.Answers
	for i, h := range wbHostile() {
		k := survey.Kommune{AGS: "0324100" + string(rune('1'+i)), Name: h, Lat: 52.4, Lon: 9.7 + float64(i)/100}
		resps = append(resps, survey.Response{ID: int64(i + 1), Kommune: k, Status: survey.StatusSubmitted})
		a := qn.Check(map[string][]string{"q.notiz": {h}, "q.zahl": {"-2"}, "q.betrag": {"-1,5"}}, survey.Draft).Answers
		// The form trims leading white space; stored answers (imports,
		// older versions) may still have it.
		a[survey.Key{Question: "notiz"}] = survey.Value{Raw: h, Text: h}
		answers = append(answers, a)
	}
	return wbMemoryDataset(qn, wbRound(9, "=Runde"), resps, answers)
}

// TestWorkbookInjection: hostile text, in answers and in Kommune names,
// stays string cells holding the text as typed, with no formula anywhere in
// the answer sheets' XML; numbers stay numbers.
func TestWorkbookInjection(t *testing.T) {
	ds := wbInjectionDataset(t)
	data := wbBytes(t, ds)
	f := wbOpen(t, data)
	for i, h := range wbHostile() {
		row := i + 2
		for _, c := range []struct {
			cell, want string
			typ        excelize.CellType
		}{
			{cellName(2, row), h, excelize.CellTypeInlineString},
			{cellName(4, row), h, excelize.CellTypeInlineString},
			{cellName(5, row), "-2", excelize.CellTypeUnset},
			{cellName(6, row), "-1.5", excelize.CellTypeUnset},
		} {
			if got := wbRaw(t, f, SheetAnswers, c.cell); got != c.want {
				t.Errorf("Antworten!%s = %q, want %q", c.cell, got, c.want)
			}
			if typ, _ := f.GetCellType(SheetAnswers, c.cell); typ != c.typ {
				t.Errorf("Antworten!%s: type %v, want %v", c.cell, typ, c.typ)
			}
			if fo, _ := f.GetCellFormula(SheetAnswers, c.cell); fo != "" {
				t.Errorf("Antworten!%s: formula %q", c.cell, fo)
			}
		}
	}
	for _, sheet := range []string{SheetAnswers, SheetKommunen, SheetQuestions} {
		raw := wbSheetXML(t, data, sheet)
		if strings.Contains(raw, "<f>") || strings.Contains(raw, "<f ") {
			t.Errorf("%s: the sheet XML has a formula", sheet)
		}
	}
	// In the sheets with formulas, no formula holds answer text.
	for _, sheet := range []string{SheetSupervision, SheetShares, SheetTraining, SheetStaffing, SheetOverview} {
		raw := wbSheetXML(t, data, sheet)
		for _, m := range regexp.MustCompile(`<f>([^<]*)</f>`).FindAllStringSubmatch(raw, -1) {
			if strings.Contains(m[1], "HYPERLINK") || strings.Contains(m[1], "cmd") || strings.Contains(m[1], "@") {
				t.Errorf("%s: formula %q", sheet, m[1])
			}
		}
	}
	// Kommune names are text in the plan sheets too.
	if got := wbRaw(t, f, SheetKommunen, "B2"); got != wbHostile()[0] {
		t.Errorf("Kommunen!B2 = %q", got)
	}
}

// TestKommuneWorkbookInjection: the same for one Kommune's own workbook.
func TestKommuneWorkbookInjection(t *testing.T) {
	ds := wbInjectionDataset(t)
	var answers []survey.Answers
	var resps []survey.Response
	if err := ds.Each(func(r survey.Response, a survey.Answers) error {
		resps, answers = append(resps, r), append(answers, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, h := range wbHostile() {
		var buf bytes.Buffer
		if err := WriteKommuneWorkbook(&buf, KommuneAnswers{Round: ds.Round, Questionnaire: ds.Questionnaire,
			Response: resps[i], Answers: answers[i], Generated: ds.Generated}); err != nil {
			t.Fatal(err)
		}
		f := wbOpen(t, buf.Bytes())
		first := kaHeaderRow + 1
		if got := wbRaw(t, f, SheetKommuneAnswers, cellName(4, first)); got != h {
			t.Errorf("%q: answer cell %q", h, got)
		}
		if typ, _ := f.GetCellType(SheetKommuneAnswers, cellName(4, first)); typ != excelize.CellTypeInlineString {
			t.Errorf("%q: cell type %v", h, typ)
		}
		if got := wbRaw(t, f, SheetKommuneAnswers, cellName(4, first+1)); got != "-2" {
			t.Errorf("number: %q", got)
		}
		if typ, _ := f.GetCellType(SheetKommuneAnswers, cellName(4, first+1)); typ != excelize.CellTypeUnset {
			t.Errorf("number: cell type %v, want a number", typ)
		}
		if raw := wbSheetXML(t, buf.Bytes(), SheetKommuneAnswers); strings.Contains(raw, "<f>") {
			t.Errorf("%q: formula in the sheet XML", h)
		}
	}
}

// TestCSVInjection: hostile text gets a leading apostrophe, numbers stay
// numbers with a decimal comma.
func TestCSVInjection(t *testing.T) {
	ds := wbInjectionDataset(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, ds); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range wbHostile() {
		rec := recs[i+1]
		if rec[1] != "'"+h || rec[3] != "'"+h {
			t.Errorf("%q: Kommune %q, answer %q, want a leading apostrophe", h, rec[1], rec[3])
		}
		if rec[4] != "-2" || rec[5] != "-1,5" {
			t.Errorf("numbers: %q %q, want -2 and -1,5", rec[4], rec[5])
		}
	}
	if !bytes.Contains(buf.Bytes(), []byte("\"'\rWagenrücklauf vorne\"")) {
		t.Error("the CR after the apostrophe is missing in the file")
	}
	for _, s := range []string{"Garbsen", "", "1,5", "a=b", "Müller-Lüdenscheidt"} {
		if NeutralizeCSV(s) != s {
			t.Errorf("NeutralizeCSV(%q) = %q, want unchanged", s, NeutralizeCSV(s))
		}
	}
	for _, s := range []string{"=1", "+1", "-1", "@A1", "\t1", "\r1", "\x001"} {
		if NeutralizeCSV(s) != "'"+s {
			t.Errorf("NeutralizeCSV(%q) = %q", s, NeutralizeCSV(s))
		}
	}
}
