package survey

import (
	"slices"
	"strings"
	"testing"
)

// TestTextFormat: a text question's format checks e-mail addresses and
// phone numbers, and the questionnaire refuses unknown formats and formats
// on other types.
func TestTextFormat(t *testing.T) {
	for _, tc := range []struct {
		format, raw string
		ok          bool
	}{
		{"email", "anna.muster@garbsen.de", true},
		{"email", "anna.muster", false},
		{"email", "anna @garbsen.de", false},
		{"email", "a@b", false},
		{"tel", "0511 123456", true},
		{"tel", "+49 (511) 616-22", true},
		{"tel", "ruf mich an", false},
		{"tel", "1234", false},
		{"name", "Anna Muster", true},
		{"", "irgendwas", true},
		{"email", "", true}, // empty is a matter of required, not format
	} {
		q := Question{ID: "x", Type: Text, MaxLength: 254, Format: tc.format}
		v := q.parseOne(tc.raw)
		if (v.Err == nil) != tc.ok {
			t.Errorf("format %q, %q: error %q, want ok=%v", tc.format, tc.raw, v.Err, tc.ok)
		}
	}
	for _, tc := range []struct{ yaml, want string }{
		{"type: text\n        format: fax", `format "fax" gibt es nicht`},
		{"type: integer\n        format: email", "format gilt nur für Fragen vom Typ text"},
	} {
		src := "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        label: Q\n        " + tc.yaml + "\n"
		if _, err := ParseYAML("t.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
	qn, err := ParseYAML("t.yaml", []byte("id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        label: Q\n        type: text\n        format: tel\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := qn.Sections[0].Questions[0].Format; got != "tel" {
		t.Errorf("format read as %q", got)
	}
}

// TestXLSFormFormat: the XLSForm import maps the column format (any case)
// to Question.Format, like the YAML key, and refuses an unknown format or
// one on a question that is not text with sheet, row and reason.
func TestXLSFormFormat(t *testing.T) {
	qn, err := parseXLSTestBook(t, xlsTestSheet{"survey", [][]string{
		{"type", "name", "label", "FORMAT", "appearance"},
		{"text", "k_name", "Name", "name"},
		{"text", "k_funktion", "Funktion", " organization-title "},
		{"text", "k_email", "E-Mail", "email"},
		{"string", "k_tel", "Telefon", "tel"},
		{"text", "k_notiz", "Notiz", "", "multiline"},
		{"integer", "k_zahl", "Zahl"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"k_name": "name", "k_funktion": "organization-title", "k_email": "email", "k_tel": "tel", "k_notiz": "", "k_zahl": ""} {
		if got := qn.Question(id).Format; got != want {
			t.Errorf("%s: format %q, want %q", id, got, want)
		}
	}
	// The mapped format checks answers as in a YAML questionnaire.
	res := qn.Check(map[string][]string{"q.k_email": {"kein-at.example"}, "q.k_tel": {"ruf an"}}, Draft)
	for _, k := range []Key{{Question: "k_email"}, {Question: "k_tel"}} {
		if res.Answers[k].Err == nil {
			t.Errorf("%s: invalid answer accepted", k.Question)
		}
	}
	if qs := qn.ContactEmailQuestions(); len(qs) != 1 || qs[0].ID != "k_email" {
		t.Errorf("contact e-mail questions %v, want k_email", qs)
	}

	for _, tc := range []struct {
		row  []string
		want string
	}{
		{[]string{"text", "fax", "Fax", "fax"}, `survey, Zeile 2: Frage "fax": format "fax" gibt es nicht`},
		{[]string{"integer", "n", "N", "email"}, `survey, Zeile 2: Frage "n" (integer): format gilt nur für Fragen vom Typ text`},
		{[]string{"text", "lang", "Lang", "email", "multiline"}, `survey, Zeile 2: Frage "lang" (long_text): format gilt nur für Fragen vom Typ text`},
	} {
		_, err := parseXLSTestBook(t, xlsTestSheet{"survey", [][]string{{"type", "name", "label", "format", "appearance"}, tc.row}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.row, err, tc.want)
		}
	}
}

// TestContactEmailQuestions: the questions that can fill in contact
// addresses are the text questions with format email, personal ones
// first, each in the questionnaire's order; the first is the default.
func TestContactEmailQuestions(t *testing.T) {
	for _, tc := range []struct {
		name, questions string
		want            []string
	}{
		{"none", "      - {id: a, label: A, type: text}\n      - {id: b, label: B, type: text, format: tel}\n", nil},
		{"one", "      - {id: a, label: A, type: text, format: email}\n", []string{"a"}},
		{"personal first", "      - {id: info, label: Info, type: text, format: email}\n" +
			"      - {id: kontakt, label: Kontakt, type: text, format: email, personal: true}\n" +
			"      - {id: vertretung, label: Vertretung, type: text, format: email, personal: true}\n", []string{"kontakt", "vertretung", "info"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			qn, err := ParseYAML("t.yaml", []byte("id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n"+tc.questions))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, q := range qn.ContactEmailQuestions() {
				got = append(got, q.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	def, err := ParseYAML("fragebogen.yaml", DefaultQuestionnaireYAML())
	if err != nil {
		t.Fatal(err)
	}
	if qs := def.ContactEmailQuestions(); len(qs) != 1 || qs[0].ID != "kontakt_email" {
		t.Errorf("default questionnaire: %v, want kontakt_email", qs)
	}
}
