package i18n

import (
	"regexp"
	"testing"

	"bedarf/analysis"
	"bedarf/survey"
)

// germanNoteWord finds German left in an English note of the result and
// comparison pages.
var germanNoteWord = regexp.MustCompile(`\b(Fassung|Runde|Fragetyp|Einheit|geändert|ohne|Hinweis|Antwort|wird|nicht|verglichen|Angabe|Freitext|Datum|Mehrfachnennungen|Anteile|Kommunen|Zeile|Eintrag|Einfachauswahl|Mehrfachauswahl|Ganzzahl|Dezimalzahl|Kurztext|Langtext|Skala|Zahlen|keiner)\b`)

// TestResultNotes: the notes the result and comparison pages show
// (analysis.TypeNote, analysis.Comparable) are keyed messages; German as
// the workbook writes it, English on the English pages, a question type
// inside a note in the page's language and a unit (data) as it is.
func TestResultNotes(t *testing.T) {
	q := func(typ survey.Type, unit string) *survey.Question {
		return &survey.Question{ID: "x", Type: typ, Unit: unit}
	}
	reason := func(a, b *survey.Question) *survey.Message {
		_, why := analysis.Comparable(a, b)
		return why
	}
	for _, tt := range []struct {
		m      *survey.Message
		de, en string
	}{
		{reason(q(survey.Integer, ""), q(survey.Decimal, "")), "", ""},
		{reason(q(survey.Integer, ""), q(survey.SingleChoice, "")),
			"Fragetyp geändert (Ganzzahl → Einfachauswahl)", "question type changed (whole number → single choice)"},
		{reason(q(survey.Matrix, ""), q(survey.Likert, "")),
			"Fragetyp geändert (Matrix → Skala)", "question type changed (Matrix → scale)"},
		{reason(q(survey.Integer, ""), q("slider", "")),
			"Fragetyp geändert (Ganzzahl → slider)", "question type changed (whole number → slider)"},
		{reason(q(survey.Decimal, ""), q(survey.Decimal, "Personen")),
			"Einheit geändert (ohne → Personen)", "unit changed (none → Personen)"},
		{reason(q(survey.Decimal, "VZÄ"), q(survey.Decimal, "ohne")),
			"Einheit geändert (VZÄ → ohne)", "unit changed (VZÄ → ohne)"},
		{reason(nil, q(survey.Integer, "")), "nur in der Fassung der Runde B", "only in the version of round B"},
		{reason(q(survey.Integer, ""), nil), "nur in der Fassung der Runde A", "only in the version of round A"},
		{reason(nil, nil), "in keiner der beiden Fassungen", "in neither version"},
		{reason(q(survey.Note, ""), q(survey.Note, "")), "Hinweis ohne Antwort", "note without an answer"},
		{reason(q(survey.LongText, ""), q(survey.LongText, "")), "Freitext, wird nicht verglichen", "free text, not compared"},
		{reason(q(survey.Date, ""), q(survey.Date, "")), "Datum, wird nicht verglichen", "date, not compared"},
		{reason(&survey.Question{Type: survey.Integer, Personal: true}, q(survey.Integer, "")),
			"personenbezogene Angabe, wird nicht verglichen", "personal data, not compared"},
		{analysis.TypeNote(survey.MultipleChoice),
			"Mehrfachnennungen möglich: Anteile bezogen auf die Kommunen mit Antwort.", "Several answers possible: shares relative to the municipalities with an answer."},
		{analysis.TypeNote(survey.Matrix),
			"Je Zeile eine Stufe; Anteile bezogen auf die Kommunen, die die Zeile beantwortet haben.", "One level per row; shares relative to the municipalities that answered the row."},
		{analysis.TypeNote(survey.ItemNumbers),
			"Je Eintrag eine Zahl; Kennzahlen je Eintrag über die Kommunen mit Angabe.", "One number per item; key figures per item over the municipalities with a figure."},
		{analysis.TypeNote(survey.Integer), "", ""},
	} {
		if got := tt.m.String(); got != tt.de || inLang(DE, tt.m) != tt.de {
			t.Errorf("German %q, page %q, want %q", got, inLang(DE, tt.m), tt.de)
		}
		if got := inLang(EN, tt.m); got != tt.en {
			t.Errorf("%q: English %q, want %q", tt.de, got, tt.en)
		}
	}
	// Every question type reads in English inside a note.
	for _, typ := range []survey.Type{survey.SingleChoice, survey.MultipleChoice, survey.Integer, survey.Decimal, survey.Text,
		survey.LongText, survey.YesNo, survey.Date, survey.Likert, survey.Matrix, survey.ItemNumbers, survey.Note} {
		m := reason(q(typ, ""), q("slider", ""))
		if en := inLang(EN, m); germanNoteWord.MatchString(en) || en == m.String() {
			t.Errorf("%s: %q → %q", typ, m, en)
		}
	}
	// The page's notes on options, items and rows only one version has.
	for key, en := range map[string]string{
		"compare.note.only_row":    "Anzahl: row “Verwaltung” exists only in the version of round B; not compared.",
		"compare.note.only_item":   "Anzahl: item “Verwaltung” exists only in the version of round B; not compared.",
		"compare.note.only_option": "Anzahl: option “Verwaltung” exists only in the version of round B; not compared.",
	} {
		if got := EN.T(key, "Anzahl", "Verwaltung", "B"); got != en {
			t.Errorf("%s: %q, want %q", key, got, en)
		}
		if de := DE.T(key, "Anzahl", "Verwaltung", "B"); germanNoteWord.FindString(de) == "" {
			t.Errorf("%s: German %q", key, de)
		}
	}
}
