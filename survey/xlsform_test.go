package survey

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// xlsWantQ is the expected shape of one imported question.
type xlsWantQ struct {
	id       string
	typ      Type
	label    string
	help     string
	required bool
	choices  []Choice
	relevant string
}

type xlsWantSection struct {
	id, title string
	questions []xlsWantQ
}

type xlsWantForm struct {
	id, title string
	sections  []xlsWantSection
}

func checkXLSForm(t *testing.T, qn *Questionnaire, want xlsWantForm) {
	t.Helper()
	if qn.ID != want.id || qn.Title != want.title {
		t.Errorf("id, title = %q, %q; want %q, %q", qn.ID, qn.Title, want.id, want.title)
	}
	if len(qn.Sections) != len(want.sections) {
		var got []string
		for _, s := range qn.Sections {
			got = append(got, s.ID)
		}
		t.Fatalf("sections %q; want %d", got, len(want.sections))
	}
	for i, ws := range want.sections {
		s := qn.Sections[i]
		if s.ID != ws.id || s.Title != ws.title {
			t.Errorf("section %d = %q %q; want %q %q", i, s.ID, s.Title, ws.id, ws.title)
		}
		if len(s.Questions) != len(ws.questions) {
			t.Errorf("section %q: %d questions; want %d", s.ID, len(s.Questions), len(ws.questions))
			continue
		}
		for j, wq := range ws.questions {
			q := s.Questions[j]
			got := xlsWantQ{q.ID, q.Type, q.Label, q.Help, q.Required, q.Choices, q.Relevant.String()}
			if got.id != wq.id || got.typ != wq.typ || got.label != wq.label || got.help != wq.help ||
				got.required != wq.required || !slices.Equal(got.choices, wq.choices) || got.relevant != wq.relevant {
				t.Errorf("question %d of %q:\n got %+v\nwant %+v", j, s.ID, got, wq)
			}
			if q.Section != s.ID {
				t.Errorf("question %q: Section %q; want %q", q.ID, q.Section, s.ID)
			}
		}
	}
}

// asDefErrors returns the DefErrors in err with place and message as
// German text only, after checking that every message is keyed and that
// the keyed forms say the same.
func asDefErrors(t *testing.T, err error) DefErrors {
	t.Helper()
	var de DefErrors
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not DefErrors", err, err)
	}
	out := make(DefErrors, len(de))
	for i, e := range de {
		if e.PlaceText != nil && e.PlaceText.String() != e.Place {
			t.Errorf("place %q, keyed %q", e.Place, e.PlaceText)
		}
		if e.MsgText == nil || e.MsgText.String() != e.Msg {
			t.Errorf("message %q, keyed %v", e.Msg, e.MsgText)
		}
		out[i] = DefError{Place: e.Place, Msg: e.Msg}
	}
	return out
}

// TestParseXLSFormRealFiles imports the XLSForm examples of pyxform's test
// suite, which nobody here wrote.
func TestParseXLSFormRealFiles(t *testing.T) {
	yesNo := []Choice{{"yes", "Yes"}, {"no", "No"}}
	tests := []struct {
		file string
		want *xlsWantForm
		errs DefErrors
	}{
		{
			file: "text_and_integer.xlsx",
			want: &xlsWantForm{id: "text_and_integer", title: "Fragebogen", sections: []xlsWantSection{{"abschnitt_1", "Fragebogen", []xlsWantQ{
				{id: "your_name", typ: Text, label: "What is your name?"},
				{id: "your_age", typ: Integer, label: "How many years old are you?"},
			}}}},
		},
		{
			// "select one from LIST" and "list name"/"label:english".
			file: "yes_or_no_question.xlsx",
			want: &xlsWantForm{id: "yes_or_no_question", title: "Fragebogen", sections: []xlsWantSection{{"abschnitt_1", "Fragebogen", []xlsWantQ{
				{id: "good_day", typ: SingleChoice, label: "have you had a good day today?", choices: []Choice{{"yes", "yes"}, {"no", "no"}}},
			}}}},
		},
		{
			// "begin group" without a label: the section is titled by the
			// group's name. The survey has only label::english, the
			// choices a plain label beside label::chinese.
			file: "field-list.xlsx",
			want: &xlsWantForm{id: "field-list", title: "Fragebogen", sections: []xlsWantSection{{"name", "name", []xlsWantQ{
				{id: "table_list_question", typ: SingleChoice, label: "table list question", help: "hint", choices: yesNo},
			}}}},
		},
		{
			file: "group.xlsx",
			errs: DefErrors{{Place: "survey, Zeile 4", Msg: `Typ "phone number" wird nicht unterstützt (Telefonnummer mit Ziffernprüfung; bitte als text anlegen)`}},
		},
		{
			// The loop is refused; the integer inside it is still checked
			// (and fine), and "end loop" closes the loop.
			file: "loop.xlsx",
			errs: DefErrors{
				{Place: "survey, Zeile 2", Msg: `Typ "select all that apply from toilet_type or specify other" wird nicht unterstützt (Auswahl „Sonstiges“ mit Freitext; bitte eine Auswahl other und eine eigene text-Frage mit relevant anlegen)`},
				{Place: "survey, Zeile 3", Msg: `Typ "begin loop over toilet_type" wird nicht unterstützt (Wiederholungsgruppen)`},
			},
		},
		{
			// Upper-case sheet and column names are read (row 2 is fine);
			// the external and OSM selects are refused.
			file: "case_insensitivity.xlsx",
			errs: DefErrors{
				{Place: "survey, Zeile 3", Msg: `Typ "select_one_external c1" wird nicht unterstützt (externe Auswahllisten)`},
				{Place: "survey, Zeile 4", Msg: `Typ "osm c1" wird nicht unterstützt (OpenStreetMap-Karten)`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "xlsform", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			qn, err := ParseXLSForm(tt.file, f)
			if tt.want != nil {
				if err != nil {
					t.Fatalf("ParseXLSForm: %v", err)
				}
				checkXLSForm(t, qn, *tt.want)
				return
			}
			if qn != nil {
				t.Errorf("questionnaire %+v; want none", qn)
			}
			if got := asDefErrors(t, err); !slices.Equal(got, tt.errs) {
				t.Errorf("errors\n%v\nwant\n%v", got, tt.errs)
			}
		})
	}
}

// TestParseXLSFormRealFilesFixed shows that the refused real files import
// once the refused rows are changed as the messages say.
func TestParseXLSFormRealFilesFixed(t *testing.T) {
	tests := []struct {
		file string
		fix  func(f *excelize.File) error
		want xlsWantForm
	}{
		{
			// Upper-case sheets and columns; the language is picked by
			// settings DEFAULT_LANGUAGE "EN" (column LABEL::EN).
			file: "case_insensitivity.xlsx",
			fix: func(f *excelize.File) error {
				return errors.Join(f.RemoveRow("SURVEY", 4), f.RemoveRow("SURVEY", 3))
			},
			want: xlsWantForm{id: "YesNo", title: "Yes or no", sections: []xlsWantSection{{"abschnitt_1", "Yes or no", []xlsWantQ{
				{id: "q1", typ: SingleChoice, label: "Are you good?", choices: []Choice{{"n1-c", "l1-c"}, {"n2-c", "l2-c"}}},
			}}}},
		},
		{
			// "phone number" as text; "begin group"/"end group" and
			// "label:English (en)".
			file: "group.xlsx",
			fix:  func(f *excelize.File) error { return f.SetCellValue("survey", "A4", "text") },
			want: xlsWantForm{id: "group", title: "Fragebogen", sections: []xlsWantSection{
				{"abschnitt_1", "Fragebogen", []xlsWantQ{{id: "family_name", typ: Text, label: "What's your family name?"}}},
				{"father", "Father", []xlsWantQ{
					{id: "phone_number", typ: Text, label: "What's your father's phone number?"},
					{id: "age", typ: Integer, label: "How old is your father?"},
				}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := excelize.OpenFile(filepath.Join("testdata", "xlsform", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := tt.fix(f); err != nil {
				t.Fatal(err)
			}
			buf, err := f.WriteToBuffer()
			if err != nil {
				t.Fatal(err)
			}
			qn, err := ParseXLSForm(tt.file, buf)
			if err != nil {
				t.Fatal(err)
			}
			checkXLSForm(t, qn, tt.want)
		})
	}
}

// xlsTestSheet is one sheet of a workbook built in a test; a nil row stays empty.
type xlsTestSheet struct {
	name string
	rows [][]string
}

func xlsTestBook(t testing.TB, sheets ...xlsTestSheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for j, r := range s.rows {
			if r == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, j+1)
			vals := make([]any, len(r))
			for k, v := range r {
				if v != "" {
					vals[k] = v
				}
			}
			if err := f.SetSheetRow(s.name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parseXLSTestBook(t *testing.T, sheets ...xlsTestSheet) (*Questionnaire, error) {
	t.Helper()
	return ParseXLSForm("test.xlsx", bytes.NewReader(xlsTestBook(t, sheets...)))
}

var xlsTestChoices = xlsTestSheet{"choices", [][]string{
	{"list_name", "name", "label"},
	{"yn", "yes", "Ja"},
	{"yn", "no", "Nein"},
	{"farben", "rot", "Rot"},
	{"farben", "gruen", "Grün"},
}}

// TestParseXLSFormAllTypes covers every supported type and spelling,
// upper-case sheet and column names, both styles of language columns,
// groups, nesting and group conditions.
func TestParseXLSFormAllTypes(t *testing.T) {
	survey := xlsTestSheet{"SURVEY", [][]string{
		{"TYPE", "Name", "Label::English (en)", "LABEL::Deutsch (de)", "hint:english", "Hint::German", "Required", "RELEVANT", "constraint", "Constraint Message::Deutsch (de)", "constraint_message", "APPEARANCE", "guidance_hint"},
		{"start", "start"},
		{"integer", "vorab", "Before", "Vorab", "", "", "yes"},
		nil, // empty rows are skipped
		{"begin_group", "g1", "Group one", "Gruppe eins", "", "Zu Gruppe eins"},
		{"select_one yn", "q_one", "One", "Eins", "Pick", "Wählen", "TRUE()"},
		{"select one from farben", "q_one_old", "", "Eins alt", "", "", "1"},
		{"SELECT_MULTIPLE farben", "q_multi", "", "Mehrere", "", "", "true"},
		{"select all that apply from farben", "q_multi_old", "", "Mehrere alt", "", "", "no"},
		{"integer", "q_int", "", "Ganz", "", "", "FALSE()", "", ". >= 0", "Nicht negativ", "Not negative"},
		{"decimal", "q_dec", "", "Dezimal", "", "", "", "", "", "", "Only this", "", "ignored"},
		{"text", "q_text", "", "Text", "", "", "", "", "", "", "", "minimal"},
		{"text", "q_long", "", "Lang", "", "", "", "", "", "", "", "multiline"},
		{"note", "q_note", "", "Hinweis"},
		{"date", "q_date", "", "Datum", "", "", "", "", "", "", "", "no-calendar"},
		{"end_group"},
		{"begin group", "g2", "", "Gruppe zwei", "", "", "", "${q_int} > 3"},
		{"select_one yn", "q_likert", "", "Skala", "", "", "", "", "", "", "", "likert"},
		{"begin group", "g3", "", "Innen", "", "", "", "${q_one} = 'yes'"},
		{"text", "q_inner", "", "Innen Frage", "", "", "", "selected(${q_multi}, 'rot')"},
		{"end group"},
		{"text", "q_after", "", "Danach"},
		{"end group"},
		{"integer", "q_top", "Top", ""},
		{"today", "today"},
	}}
	choices := xlsTestSheet{"Choices", [][]string{
		{"List Name", "NAME", "label::English (en)", "label::Deutsch (de)"},
		{"yn", "yes", "Yes", "Ja"},
		{"yn", "no", "No", "Nein"},
		{"farben", "rot", "Red", "Rot"},
		{"farben", "gruen", "Green", "Grün"},
	}}
	settings := xlsTestSheet{"Settings", [][]string{
		{"Form_Title", "form id", "default_language", "version"},
		{"Testbogen", "test-bogen", "English (en)", "1"},
	}}
	qn, err := parseXLSTestBook(t, survey, choices, settings)
	if err != nil {
		t.Fatal(err)
	}
	yn := []Choice{{"yes", "Ja"}, {"no", "Nein"}}
	farben := []Choice{{"rot", "Rot"}, {"gruen", "Grün"}}
	g2 := "${q_int} > 3"
	g23 := "${q_int} > 3 and ${q_one} = 'yes'"
	checkXLSForm(t, qn, xlsWantForm{id: "test-bogen", title: "Testbogen", sections: []xlsWantSection{
		{"abschnitt_1", "Testbogen", []xlsWantQ{{id: "vorab", typ: Integer, label: "Vorab", required: true}}},
		{"g1", "Gruppe eins", []xlsWantQ{
			{id: "q_one", typ: SingleChoice, label: "Eins", help: "Wählen", required: true, choices: yn},
			{id: "q_one_old", typ: SingleChoice, label: "Eins alt", required: true, choices: farben},
			{id: "q_multi", typ: MultipleChoice, label: "Mehrere", required: true, choices: farben},
			{id: "q_multi_old", typ: MultipleChoice, label: "Mehrere alt", choices: farben},
			{id: "q_int", typ: Integer, label: "Ganz"},
			{id: "q_dec", typ: Decimal, label: "Dezimal"},
			{id: "q_text", typ: Text, label: "Text"},
			{id: "q_long", typ: LongText, label: "Lang"},
			{id: "q_note", typ: Note, label: "Hinweis"},
			{id: "q_date", typ: Date, label: "Datum"},
		}},
		{"g2", "Gruppe zwei", []xlsWantQ{{id: "q_likert", typ: Likert, label: "Skala", choices: yn, relevant: g2}}},
		{"g3", "Gruppe zwei – Innen", []xlsWantQ{{id: "q_inner", typ: Text, label: "Innen Frage", relevant: g23 + " and selected(${q_multi}, 'rot')"}}},
		{"g2_2", "Gruppe zwei", []xlsWantQ{{id: "q_after", typ: Text, label: "Danach", relevant: g2}}},
		{"abschnitt_6", "Testbogen", []xlsWantQ{{id: "q_top", typ: Integer, label: "Top"}}},
	}})
	if s := qn.Sections[1]; s.Description != "Zu Gruppe eins" {
		t.Errorf("g1 description %q", s.Description)
	}
	qi := qn.Question("q_int")
	if qi.Constraint.String() != "${q_int} >= 0" || qi.ConstraintMessage != "Nicht negativ" || qi.Place != "survey, Zeile 10" {
		t.Errorf("q_int constraint %q message %q place %q", qi.Constraint, qi.ConstraintMessage, qi.Place)
	}
	// No German message in this row: the plain column's text is taken.
	if m := qn.Question("q_dec").ConstraintMessage; m != "Only this" {
		t.Errorf("q_dec constraint message %q", m)
	}
	if qn.Question("q_long").MaxLength != 10000 {
		t.Errorf("long text max length %d", qn.Question("q_long").MaxLength)
	}
	// The imported questionnaire checks answers like a YAML one.
	res := qn.Check(map[string][]string{"vorab": {"1"}, "q_one": {"yes"}, "q_one_old": {"rot"}, "q_multi": {"rot"}, "q_int": {"-1"}}, Submit)
	if res.OK() {
		t.Errorf("q_int = -1 passes the constraint")
	}
}

func TestParseXLSFormLanguages(t *testing.T) {
	tests := []struct {
		name     string
		head     []string
		row      []string
		defLang  string
		want     string
		wantHelp string
	}{
		{"German beats the rest", []string{"label", "label::English (en)", "label::Deutsch (de)"}, []string{"Plain", "English", "Deutsch"}, "English (en)", "Deutsch", ""},
		{"German by code", []string{"label:en", "label:de"}, []string{"English", "Deutsch"}, "", "Deutsch", ""},
		{"German by name", []string{"label::English", "label::German"}, []string{"English", "Deutsch"}, "", "Deutsch", ""},
		{"German falls back when empty", []string{"label::English (en)", "label::Deutsch (de)"}, []string{"English", ""}, "", "English", ""},
		{"default language", []string{"label:english", "label:french"}, []string{"English", "Français"}, "french", "Français", ""},
		{"default language by code", []string{"label::English (en)", "label::Français (fr)"}, []string{"English", "Français"}, "fr", "Français", ""},
		{"plain before other languages", []string{"label::English (en)", "label"}, []string{"English", "Plain"}, "", "Plain", ""},
		{"first language", []string{"label::English (en)", "label::Français (fr)"}, []string{"English", "Français"}, "", "English", ""},
		{"hints separately", []string{"label::English (en)", "hint", "hint::Deutsch (de)"}, []string{"English", "Hint", "Hinweis"}, "", "English", "Hinweis"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheets := []xlsTestSheet{{"survey", [][]string{append([]string{"type", "name"}, tt.head...), append([]string{"text", "q"}, tt.row...)}}}
			if tt.defLang != "" {
				sheets = append(sheets, xlsTestSheet{"settings", [][]string{{"form_title", "default_language"}, {"T", tt.defLang}}})
			}
			qn, err := parseXLSTestBook(t, sheets...)
			if err != nil {
				t.Fatal(err)
			}
			if q := qn.Question("q"); q.Label != tt.want || q.Help != tt.wantHelp {
				t.Errorf("label %q help %q; want %q %q", q.Label, q.Help, tt.want, tt.wantHelp)
			}
		})
	}
}

// TestParseXLSFormErrors checks that every problem is reported with sheet,
// row and reason, all at once.
func TestParseXLSFormErrors(t *testing.T) {
	head := []string{"type", "name", "label", "relevant", "constraint", "required", "choice_filter"}
	tests := []struct {
		name    string
		survey  [][]string
		choices *xlsTestSheet
		extra   []xlsTestSheet
		want    DefErrors
	}{
		{
			name:   "relevant refers to a later question",
			survey: [][]string{{"integer", "a", "A", "${b} > 1"}, {"integer", "b", "B"}},
			want:   DefErrors{{Place: "survey, Zeile 2", Msg: `Frage "a": relevant verweist auf ${b}, die es davor nicht gibt`}},
		},
		{
			name:   "relevant refers to the question itself",
			survey: [][]string{{"integer", "a", "A", "${a} > 1"}},
			want:   DefErrors{{Place: "survey, Zeile 2", Msg: `Frage "a": relevant verweist auf die Frage selbst`}},
		},
		{
			name:   "unsupported XPath function",
			survey: [][]string{{"text", "a", "A"}, {"text", "b", "B", "string-length(${a}) > 3"}},
			want:   DefErrors{{Place: "survey, Zeile 3", Msg: `Frage "b": relevant "string-length(${a}) > 3": Spalte 1: unbekannte Funktion 'string-length'`}},
		},
		{
			name:   "bad constraint",
			survey: [][]string{{"integer", "a", "A", "", "regex(., '^[0-9]+$')"}},
			want:   DefErrors{{Place: "survey, Zeile 2", Msg: `Frage "a": constraint "regex(${a}, '^[0-9]+$')": Spalte 1: unbekannte Funktion 'regex'`}},
		},
		{
			name:   "unknown type",
			survey: [][]string{{"integer", "a", "A"}, {"smiley", "b", "B"}},
			want:   DefErrors{{Place: "survey, Zeile 3", Msg: `Typ "smiley" ist unbekannt (unterstützt: select_one LISTE, select_multiple LISTE, integer, decimal, text, note, date, begin_group, end_group)`}},
		},
		{
			name:   "duplicate name",
			survey: [][]string{{"integer", "a", "A"}, {"text", "a", "A again"}},
			want:   DefErrors{{Place: "survey, Zeile 3", Msg: `Frage-ID "a" kommt doppelt vor (zuerst survey, Zeile 2)`}},
		},
		{
			name:   "invalid name",
			survey: [][]string{{"integer", "1-a", "A"}, {"integer", "", "B"}},
			want: DefErrors{
				{Place: "survey, Zeile 2", Msg: `Frage-ID "1-a" ist ungültig (Buchstabe oder _, dann Buchstaben, Ziffern, _; höchstens 64 Zeichen)`},
				{Place: "survey, Zeile 3", Msg: `Frage ohne id`},
			},
		},
		{
			name:   "missing choice list",
			survey: [][]string{{"select_one nope", "a", "A"}, {"select_multiple", "b", "B"}},
			want: DefErrors{
				{Place: "survey, Zeile 2", Msg: `Frage "a": Auswahlliste "nope" gibt es im Blatt choices nicht`},
				{Place: "survey, Zeile 3", Msg: `Frage "b": Typ "select_multiple" nennt keine Auswahlliste`},
			},
		},
		{
			name:    "no choices sheet",
			survey:  [][]string{{"select_one yn", "a", "A"}},
			choices: &xlsTestSheet{},
			want:    DefErrors{{Place: "survey, Zeile 2", Msg: `Frage "a": Auswahlliste "yn" fehlt (kein Blatt choices)`}},
		},
		{
			name:    "empty choice list",
			survey:  [][]string{{"select_one leer", "a", "A"}},
			choices: &xlsTestSheet{"choices", [][]string{{"list_name", "name", "label"}, {"leer", "", ""}}},
			want: DefErrors{
				{Place: "survey, Zeile 2", Msg: `Frage "a" (single_choice) braucht eine nicht leere Auswahlliste`},
				{Place: "choices, Zeile 2", Msg: `Liste "leer": Auswahl ohne name`},
			},
		},
		{
			name:   "bad choices",
			survey: [][]string{{"select_one l", "a", "A"}},
			choices: &xlsTestSheet{"choices", [][]string{
				{"list name", "name", "label", "image"},
				{"l", "x", "X"},
				{"l", "x", "X2"},
				{"l", "y z", "Y"},
				{"l", "w", ""},
				{"", "v", "V"},
				{"l", "u", "U ${a}"},
				{"l", "t", "T", "t.png"},
			}},
			want: DefErrors{
				{Place: "choices, Zeile 3", Msg: `Liste "l": Auswahl-Code "x" kommt doppelt vor (zuerst Zeile 2)`},
				{Place: "choices, Zeile 4", Msg: `Liste "l": Auswahl-Code "y z" ist ungültig (Buchstaben, Ziffern, _ . -; höchstens 64 Zeichen)`},
				{Place: "choices, Zeile 5", Msg: `Liste "l": Auswahl "w" hat keinen Text (label)`},
				{Place: "choices, Zeile 6", Msg: `Auswahl ohne list_name`},
				{Place: "choices, Zeile 7", Msg: `Text der Auswahl "U ${a}" enthält ${…}: Antworten im Text einsetzen wird nicht unterstützt`},
				{Place: "choices, Zeile 8", Msg: `Spalte "image" wird nicht unterstützt (Bilder, Ton und Video)`},
			},
		},
		{
			name:   "unterminated group",
			survey: [][]string{{"begin_group", "g", "G"}, {"integer", "a", "A"}},
			want:   DefErrors{{Place: "survey, Zeile 2", Msg: `Gruppe "g" wird nicht geschlossen (end_group fehlt)`}},
		},
		{
			name:   "end_group without begin",
			survey: [][]string{{"integer", "a", "A"}, {"end_group"}},
			want:   DefErrors{{Place: "survey, Zeile 3", Msg: `end_group ohne begin_group`}},
		},
		{
			name:   "group without name or label",
			survey: [][]string{{"begin group", "", ""}, {"integer", "a", "A"}, {"end group"}},
			want:   DefErrors{{Place: "survey, Zeile 2", Msg: `Gruppe ohne name`}, {Place: "survey, Zeile 2", Msg: `Abschnitt "abschnitt_1" hat keinen Titel`}},
		},
		{
			name:   "group relevant refers to a later question",
			survey: [][]string{{"begin group", "g", "G", "${a} = 1"}, {"integer", "a", "A"}, {"end group"}},
			want:   DefErrors{{Place: "survey, Zeile 2", Msg: `Gruppe "g": relevant verweist auf ${a}, die es davor nicht gibt`}},
		},
		{
			name: "repeat refused, its rows still checked",
			survey: [][]string{
				{"begin repeat", "r", "R"},
				{"smiley", "x", "X"},
				{"end repeat"},
				{"begin_repeat", "r2", "R"},
				{"end_group"},
				{"end_loop"},
				{"integer", "a", "A"},
			},
			want: DefErrors{
				{Place: "survey, Zeile 2", Msg: `Typ "begin repeat" wird nicht unterstützt (Wiederholungsgruppen)`},
				{Place: "survey, Zeile 3", Msg: `Typ "smiley" ist unbekannt (unterstützt: select_one LISTE, select_multiple LISTE, integer, decimal, text, note, date, begin_group, end_group)`},
				{Place: "survey, Zeile 5", Msg: `Typ "begin_repeat" wird nicht unterstützt (Wiederholungsgruppen)`},
				{Place: "survey, Zeile 6", Msg: `"end_group" schließt nicht die zuletzt geöffnete Wiederholung "r2" (survey, Zeile 5)`},
				{Place: "survey, Zeile 7", Msg: `"end_loop" ohne passenden Anfang`},
			},
		},
		{
			name: "refused types",
			survey: [][]string{
				{"calculate", "c", ""},
				{"geopoint", "g", "Wo?"},
				{"range", "r", "R"},
				{"select_one yn or_other", "s", "S"},
				{"image", "i", "I"},
				{"select_one_from_file orte.csv", "f", "F"},
				{"dateTime", "d", "D"},
				{"start-geopoint", "sg"},
				{"acknowledge", "ack", "OK?"},
				{"deviceid", "dev"},
				{"integer", "a", "A"},
			},
			want: DefErrors{
				{Place: "survey, Zeile 2", Msg: `Typ "calculate" wird nicht unterstützt (Berechnungen)`},
				{Place: "survey, Zeile 3", Msg: `Typ "geopoint" wird nicht unterstützt (Ortsangaben)`},
				{Place: "survey, Zeile 4", Msg: `Typ "range" wird nicht unterstützt (Schieberegler)`},
				{Place: "survey, Zeile 5", Msg: `Typ "select_one yn or_other" wird nicht unterstützt (Auswahl „Sonstiges“ mit Freitext; bitte eine Auswahl other und eine eigene text-Frage mit relevant anlegen)`},
				{Place: "survey, Zeile 6", Msg: `Typ "image" wird nicht unterstützt (Datei- und Medienaufnahmen)`},
				{Place: "survey, Zeile 7", Msg: `Typ "select_one_from_file orte.csv" wird nicht unterstützt (Auswahllisten aus Dateien)`},
				{Place: "survey, Zeile 8", Msg: `Typ "dateTime" wird nicht unterstützt (Uhrzeiten; nur date wird unterstützt)`},
				{Place: "survey, Zeile 9", Msg: `Typ "start-geopoint" wird nicht unterstützt (Ortsangaben; zeichnet den Standort des Geräts auf)`},
				{Place: "survey, Zeile 10", Msg: `Typ "acknowledge" wird nicht unterstützt (Bestätigungsfelder)`},
			},
		},
		{
			name: "columns that would change the form",
			survey: [][]string{
				{"select_one yn", "a", "A", "", "", "${x} = 'y'", "name = 'yes'"},
				{"text", "b", "B ${a}"},
				{"note", "n", "N", "", "", "yes"},
			},
			want: DefErrors{
				{Place: "survey, Zeile 2", Msg: `Spalte "choice_filter" wird nicht unterstützt (gefilterte Auswahllisten)`},
				{Place: "survey, Zeile 2", Msg: `Frage "a": required "${x} = 'y'": nur yes oder no (bedingte Pflichtangaben werden nicht unterstützt)`},
				{Place: "survey, Zeile 3", Msg: `Text der Frage "B ${a}" enthält ${…}: Antworten im Text einsetzen wird nicht unterstützt`},
				{Place: "survey, Zeile 4", Msg: `Hinweis "n" kann nicht Pflicht sein`},
			},
		},
		{
			name:   "row without type",
			survey: [][]string{{"", "a", "A"}, {"integer", "b", "B"}},
			want:   DefErrors{{Place: "survey, Zeile 2", Msg: `Zeile ohne Typ (type)`}},
		},
		{
			name:   "only metadata",
			survey: [][]string{{"start", "start"}, {"end", "end"}},
			want:   DefErrors{{Place: "", Msg: `der Fragebogen enthält keine Fragen`}},
		},
		{
			name:   "invalid form_id",
			survey: [][]string{{"integer", "a", "A"}},
			extra:  []xlsTestSheet{{"settings", [][]string{{"form_title", "form_id"}, {"T", "mein bogen"}}}},
			want:   DefErrors{{Place: "settings, Zeile 2", Msg: `form_id "mein bogen" ist ungültig (Buchstaben, Ziffern, _ . -; höchstens 64 Zeichen)`}},
		},
		{
			name: "all errors at once, in sheet and row order",
			survey: [][]string{
				{"begin group", "g", "G"},
				{"integer", "a", "A", "${z} = 1"},
				{"select_one nope", "b", "B"},
				{"begin repeat", "r", "R"},
				{"end repeat"},
				{"integer", "a", "A2"},
			},
			choices: &xlsTestSheet{"choices", [][]string{{"list_name", "name", "label"}, {"l", "", "L"}}},
			want: DefErrors{
				{Place: "survey, Zeile 2", Msg: `Gruppe "g" wird nicht geschlossen (end_group fehlt)`},
				{Place: "survey, Zeile 3", Msg: `Frage "a": relevant verweist auf ${z}, die es davor nicht gibt`},
				{Place: "survey, Zeile 4", Msg: `Frage "b": Auswahlliste "nope" gibt es im Blatt choices nicht`},
				{Place: "survey, Zeile 5", Msg: `Typ "begin repeat" wird nicht unterstützt (Wiederholungsgruppen)`},
				{Place: "survey, Zeile 7", Msg: `Frage-ID "a" kommt doppelt vor (zuerst survey, Zeile 3)`},
				{Place: "choices, Zeile 2", Msg: `Liste "l": Auswahl ohne name`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheets := []xlsTestSheet{{"survey", append([][]string{head}, tt.survey...)}}
			switch {
			case tt.choices == nil:
				sheets = append(sheets, xlsTestChoices)
			case tt.choices.name != "":
				sheets = append(sheets, *tt.choices)
			}
			sheets = append(sheets, tt.extra...)
			qn, err := parseXLSTestBook(t, sheets...)
			if qn != nil {
				t.Fatalf("questionnaire imported; want errors %v", tt.want)
			}
			if got := asDefErrors(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("errors\n%v\nwant\n%v", fmtDefErrors(got), fmtDefErrors(tt.want))
			}
		})
	}
}

func fmtDefErrors(errs DefErrors) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  %q: %q\n", e.Place, e.Msg)
	}
	return b.String()
}

// TestParseXLSFormFile checks problems with the file as a whole: they are
// placed at the file's name.
func TestParseXLSFormFile(t *testing.T) {
	many := [][]string{{"type", "name", "label"}}
	for i := range MaxXLSFormRows + 1 {
		many = append(many, []string{"integer", fmt.Sprintf("q%d", i), "Q"})
	}
	tests := []struct {
		name string
		src  func(t *testing.T) io.Reader
		want DefErrors
	}{
		{"no survey sheet", func(t *testing.T) io.Reader {
			return bytes.NewReader(xlsTestBook(t, xlsTestChoices))
		}, DefErrors{{Place: "f.xlsx", Msg: "Blatt survey fehlt (gefunden: choices)"}}},
		{"empty survey sheet", func(t *testing.T) io.Reader {
			return bytes.NewReader(xlsTestBook(t, xlsTestSheet{"survey", nil}))
		}, DefErrors{{Place: "survey", Msg: "Blatt ist leer"}, {Place: "", Msg: "der Fragebogen enthält keine Fragen"}}},
		{"survey without columns", func(t *testing.T) io.Reader {
			return bytes.NewReader(xlsTestBook(t, xlsTestSheet{"survey", [][]string{{"typ", "name", "text"}, {"integer", "a", "A"}}}))
		}, DefErrors{{Place: "survey, Zeile 1", Msg: "Spalte type fehlt"}, {Place: "survey, Zeile 1", Msg: "Spalte label fehlt"}, {Place: "", Msg: "der Fragebogen enthält keine Fragen"}}},
		{"too many rows", func(t *testing.T) io.Reader {
			return bytes.NewReader(xlsTestBook(t, xlsTestSheet{"survey", many}))
		}, DefErrors{{Place: "survey", Msg: "Blatt hat mehr als 5000 Zeilen"}}},
		{"too large", func(t *testing.T) io.Reader {
			return io.LimitReader(xlsZeros{}, MaxXLSFormBytes+1)
		}, DefErrors{{Place: "f.xlsx", Msg: "f.xlsx ist größer als 10 MB"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qn, err := ParseXLSForm("f.xlsx", tt.src(t))
			if qn != nil {
				t.Fatal("questionnaire imported")
			}
			if got := asDefErrors(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("errors\n%v\nwant\n%v", fmtDefErrors(got), fmtDefErrors(tt.want))
			}
		})
	}
}

type xlsZeros struct{}

func (xlsZeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestParseXLSFormUnreadable checks that broken files and zip bombs are
// refused without reading them unbounded.
func TestParseXLSFormUnreadable(t *testing.T) {
	good := xlsTestBook(t, xlsTestSheet{"survey", [][]string{{"type", "name", "label"}, {"integer", "a", "A"}}})
	// A worksheet that unpacks to 40 MB from a few kB.
	var bomb bytes.Buffer
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(&bomb)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			io.Copy(w, io.LimitReader(xlsZeros{}, 40<<20))
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	const notXLSX = "Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx): "
	tests := []struct {
		name string
		src  []byte
		want string
	}{
		{"empty", nil, notXLSX},
		{"text", []byte("type,name,label\ninteger,a,A\n"), notXLSX},
		{"truncated", good[:len(good)/2], notXLSX},
		{"zip bomb", bomb.Bytes(), "Datei ist entpackt größer als 32 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qn, err := ParseXLSForm("f.xlsx", bytes.NewReader(tt.src))
			if qn != nil {
				t.Fatal("questionnaire imported")
			}
			de := asDefErrors(t, err)
			if len(de) != 1 || de[0].Place != "f.xlsx" || !strings.HasPrefix(de[0].Msg, tt.want) {
				t.Errorf("errors %v", fmtDefErrors(de))
			}
		})
	}
}

// checkParsed is the property of every parse: a questionnaire or DefErrors,
// and a questionnaire whose questions all sit in one of its sections.
func checkParseResult(t *testing.T, qn *Questionnaire, err error) {
	t.Helper()
	if (qn == nil) == (err == nil) {
		t.Fatalf("questionnaire %v and error %v", qn != nil, err)
	}
	if err != nil {
		var de DefErrors
		if !errors.As(err, &de) || len(de) == 0 {
			t.Fatalf("error %v (%T) is not a non-empty DefErrors", err, err)
		}
		return
	}
	n := 0
	for _, s := range qn.Sections {
		for _, q := range s.Questions {
			n++
			if q.Section != s.ID || qn.Question(q.ID) != q {
				t.Fatalf("question %q misplaced", q.ID)
			}
		}
	}
	if n != len(qn.Questions()) || n == 0 {
		t.Fatalf("%d questions in sections, %d in all", n, len(qn.Questions()))
	}
}

// FuzzParseXLSForm feeds damaged workbooks to the import: it must never
// panic and always answer with a questionnaire or DefErrors.
func FuzzParseXLSForm(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "xlsform", "*.xlsx"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(xlsTestBook(f, xlsTestSheet{"survey", [][]string{{"type", "name", "label", "relevant"}, {"begin group", "g", "G"}, {"select_one yn", "a", "A"}, {"integer", "b", "B", "${a} = 'yes'"}, {"end group"}}}, xlsTestChoices))
	f.Fuzz(func(t *testing.T, src []byte) {
		qn, err := ParseXLSForm("fuzz.xlsx", bytes.NewReader(src))
		checkParseResult(t, qn, err)
	})
}

// FuzzBuildXLSForm fuzzes what follows the reading of a workbook, which
// mutated zip files seldom reach: the sheets come as text, sheets separated
// by a line "---" (survey, choices, settings), rows by newlines, cells by
// tabs; the first row of a sheet is its heading.
func FuzzBuildXLSForm(f *testing.F) {
	f.Add("type\tname\tlabel\trelevant\tconstraint\nbegin group\tg\tG\nselect_one yn\ta\tA\ninteger\tb\tB\t${a} = 'yes'\t. > 0\nend group\n---\nlist_name\tname\tlabel\nyn\tyes\tJa\nyn\tno\tNein\n---\nform_title\tform_id\nT\tt")
	f.Add("TYPE\tNAME\tlabel::Deutsch (de)\tlabel:english\tappearance\nbegin repeat\tr\nselect all that apply from l or specify other\tm\tM\ntext\tt\tT\t\tmultiline\nend loop\nend_group\n---\nlist name\tname\tlabel\nl\tx\tX")
	f.Add("type\tname\tlabel\nbegin_group\tg\tG\nbegin_group\th\nnote\tn\tN\nend_group\ndate\td\tD\nend_group\nbegin group\tg\tG2")
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<14 {
			return
		}
		names := []string{"survey", "choices", "settings"}
		sheets := map[string]*xlsSheet{}
		for i, part := range strings.SplitN(src, "\n---\n", 3) {
			s := &xlsSheet{name: names[i]}
			for n, line := range strings.Split(part, "\n") {
				cells := strings.Split(line, "\t")
				for j := range cells {
					cells[j] = strings.TrimSpace(cells[j])
				}
				if s.cols == nil {
					s.headerRow = n + 1
					for _, h := range cells {
						s.cols = append(s.cols, parseXLSHeading(h))
					}
					continue
				}
				if len(cells) > len(s.cols) {
					cells = cells[:len(s.cols)]
				}
				for len(cells) < len(s.cols) {
					cells = append(cells, "")
				}
				s.rows = append(s.rows, xlsRow{n: n + 1, cells: cells})
			}
			sheets[s.name] = s
		}
		qn, err := buildXLSForm("fuzz.xlsx", sheets)
		checkParseResult(t, qn, err)
		if err != nil {
			for _, e := range err.(DefErrors) {
				if e.Msg == "" {
					t.Fatalf("error without message at %q", e.Place)
				}
			}
		}
	})
}

// corruptXLSX rewrites the archive of a workbook, changing the directory
// entry of the part name with change; the part's bytes stay as they are.
func corruptXLSX(t *testing.T, src []byte, name string, change func(*zip.FileHeader)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		h := f.FileHeader
		if f.Name == name {
			change(&h)
			found = true
		}
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatalf("no part %s", name)
	}
	return out.Bytes()
}

// TestParseXLSFormCorruptArchive checks that a workbook whose archive
// declares a part shorter than it is, or with a wrong checksum, is refused
// rather than imported cut short (the file: 20 of 40 questions).
func TestParseXLSFormCorruptArchive(t *testing.T) {
	rows := [][]string{{"type", "name", "label"}}
	for i := range 40 {
		rows = append(rows, []string{"integer", fmt.Sprintf("frage_%02d", i+1), fmt.Sprintf("Frage %d", i+1)})
	}
	good := xlsTestBook(t, xlsTestSheet{"survey", rows})
	if qn, err := ParseXLSForm("f.xlsx", bytes.NewReader(good)); err != nil || len(qn.Questions()) != 40 {
		t.Fatalf("the intact workbook: %v", err)
	}
	const sheet = "xl/worksheets/sheet1.xml"
	tests := []struct {
		name   string
		change func(*zip.FileHeader)
	}{
		{"declared size half of the content", func(h *zip.FileHeader) { h.UncompressedSize64 /= 2 }},
		{"checksum mismatch", func(h *zip.FileHeader) { h.CRC32 ^= 0x5a5a }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qn, err := ParseXLSForm("f.xlsx", bytes.NewReader(corruptXLSX(t, good, sheet, tt.change)))
			if qn != nil {
				t.Fatalf("imported %d of 40 questions; want the file refused", len(qn.Questions()))
			}
			asDefErrors(t, err)
			de := err.(DefErrors)
			want := NewMessage("upload.xlsx.corrupt_part", sheet)
			if len(de) != 1 || de[0].Place != "f.xlsx" || de[0].Msg != want.String() || !reflect.DeepEqual(de[0].MsgText, want) {
				t.Errorf("errors %v; want %q", fmtDefErrors(de), want)
			}
		})
	}
}

// TestParseXLSFormAsPyxform: forms that pyxform reads are read the same
// way: typographic quotes in expressions, the type aliases string and int,
// names with "-" and "." (given ids without them, references following), a
// workbook whose only sheet is not called survey, device metadata (ignored
// with a note) and an id from the file name when settings give none.
func TestParseXLSFormAsPyxform(t *testing.T) {
	head := []string{"type", "name", "label", "relevant", "constraint"}
	tests := []struct {
		name   string
		file   string
		sheets []xlsTestSheet
		id     string
		qs     map[string]Type // id → type of every question
		notes  []*Message
		check  func(t *testing.T, qn *Questionnaire)
	}{
		{
			name: "typographic quotes", file: "quotes.xlsx",
			sheets: []xlsTestSheet{{"survey", [][]string{head,
				{"select_one yn", "a", "A"},
				{"text", "b", "B", "${a} = “yes”", ". != ‘nein’"},
				{"text", "c", "C", "${a} = „yes“ or ${a} = ‚no‘"},
			}}, xlsTestChoices},
			id: "quotes", qs: map[string]Type{"a": SingleChoice, "b": Text, "c": Text},
			check: func(t *testing.T, qn *Questionnaire) {
				for _, v := range []string{"yes", "no"} {
					a := func(string) []string { return []string{v} }
					if !qn.Question("c").Relevant.Eval(a) || qn.Question("b").Relevant.Eval(a) != (v == "yes") {
						t.Errorf("conditions with a = %s: b %v, c %v", v, qn.Question("b").Relevant, qn.Question("c").Relevant)
					}
				}
			},
		},
		{
			name: "aliases", file: "aliases.xlsx",
			sheets: []xlsTestSheet{{"survey", [][]string{head, {"string", "s", "S"}, {"int", "i", "I"}}}},
			id:     "aliases", qs: map[string]Type{"s": Text, "i": Integer},
		},
		{
			name: "names with - and .", file: "namen.xlsx",
			sheets: []xlsTestSheet{{"survey", [][]string{head,
				{"begin_group", "teil-1", "Teil 1"},
				{"integer", "haus-nr", "Hausnummer"},
				{"integer", "haus_nr", "Schon vergeben"},
				{"text", "person.name", "Name", "${haus-nr} > 0"},
				{"end_group"},
			}}},
			id: "namen", qs: map[string]Type{"haus_nr_2": Integer, "haus_nr": Integer, "person_name": Text},
			notes: []*Message{
				NewMessage("upload.xls.renamed", "survey", 2, "teil-1", "teil_1"),
				NewMessage("upload.xls.renamed", "survey", 3, "haus-nr", "haus_nr_2"),
				NewMessage("upload.xls.renamed", "survey", 5, "person.name", "person_name"),
			},
			check: func(t *testing.T, qn *Questionnaire) {
				if refs := qn.Question("person_name").Relevant.Refs(); !slices.Equal(refs, []string{"haus_nr_2"}) || qn.Sections[0].ID != "teil_1" {
					t.Errorf("refs %v, section %q; want [haus_nr_2], teil_1", refs, qn.Sections[0].ID)
				}
			},
		},
		{
			name: "only sheet", file: "Einfach.xlsx",
			sheets: []xlsTestSheet{{"Tabelle1", [][]string{head, {"integer", "n", "N"}}}},
			id:     "Einfach", qs: map[string]Type{"n": Integer},
			notes: []*Message{NewMessage("upload.xls.only_sheet", "Tabelle1")},
		},
		{
			name: "device metadata", file: "meta.xlsx",
			sheets: []xlsTestSheet{{"survey", [][]string{head,
				{"start", "start"}, {"end", "end"}, {"today", "today"}, {"deviceid", "deviceid"}, {"integer", "n", "N"},
			}}},
			id: "meta", qs: map[string]Type{"n": Integer},
			notes: []*Message{
				NewMessage("upload.xls.meta_ignored", "survey", 2, "start"),
				NewMessage("upload.xls.meta_ignored", "survey", 3, "end"),
				NewMessage("upload.xls.meta_ignored", "survey", 4, "today"),
				NewMessage("upload.xls.meta_ignored", "survey", 5, "deviceid"),
			},
		},
		{
			name: "id from the file name", file: "Bedarf 2027 (Entwurf) für Ämter.xlsx",
			sheets: []xlsTestSheet{{"survey", [][]string{head, {"integer", "n", "N"}}}},
			id:     "Bedarf_2027_Entwurf_fuer_Aemter", qs: map[string]Type{"n": Integer},
		},
		{
			name: "id from settings", file: "egal.xlsx",
			sheets: []xlsTestSheet{{"survey", [][]string{head, {"integer", "n", "N"}}}, {"settings", [][]string{{"form_id"}, {"bedarf-2027"}}}},
			id:     "bedarf-2027", qs: map[string]Type{"n": Integer},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qn, err := ParseXLSForm(tt.file, bytes.NewReader(xlsTestBook(t, tt.sheets...)))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			got := map[string]Type{}
			for _, q := range qn.Questions() {
				got[q.ID] = q.Type
			}
			if qn.ID != tt.id || !reflect.DeepEqual(got, tt.qs) {
				t.Errorf("id %q, questions %v; want %q, %v", qn.ID, got, tt.id, tt.qs)
			}
			if !reflect.DeepEqual(qn.Notes, tt.notes) {
				t.Errorf("notes %q; want %q", qn.Notes, tt.notes)
			}
			if tt.check != nil {
				tt.check(t, qn)
			}
		})
	}
}

// TestParseXLSFormTextLanguage: the questionnaire's language is that of
// the label column its texts come from, German where a German column has
// them or nothing names another language.
func TestParseXLSFormTextLanguage(t *testing.T) {
	tests := []struct {
		name   string
		sheets []xlsTestSheet
		want   string
	}{
		{"English column with code", []xlsTestSheet{{"survey", [][]string{{"type", "name", "label::English (en)"}, {"integer", "n", "How many?"}}}}, "en"},
		{"language by name", []xlsTestSheet{{"survey", [][]string{{"type", "name", "label:french"}, {"integer", "n", "Combien ?"}}}}, "fr"},
		{"German beside English", []xlsTestSheet{{"survey", [][]string{{"type", "name", "label::English (en)", "label::Deutsch (de)"}, {"integer", "n", "How many?", "Wie viele?"}}}}, "de"},
		{"empty German column", []xlsTestSheet{{"survey", [][]string{{"type", "name", "label::Deutsch (de)", "label::English (en)"}, {"integer", "n", "", "How many?"}}}}, "en"},
		{"plain column", []xlsTestSheet{{"survey", [][]string{{"type", "name", "label"}, {"integer", "n", "Wie viele?"}}}}, "de"},
		{"plain column, default language", []xlsTestSheet{
			{"survey", [][]string{{"type", "name", "label"}, {"integer", "n", "Hoeveel?"}}},
			{"settings", [][]string{{"default_language"}, {"Nederlands (nl)"}}}}, "nl"},
		{"unknown language", []xlsTestSheet{{"survey", [][]string{{"type", "name", "label::Klingonisch"}, {"integer", "n", "?"}}}}, "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qn, err := parseXLSTestBook(t, tt.sheets...)
			if err != nil {
				t.Fatal(err)
			}
			if qn.Lang != tt.want {
				t.Errorf("language %q; want %q", qn.Lang, tt.want)
			}
		})
	}
	if qn, err := ParseYAML("f.yaml", DefaultQuestionnaireYAML()); err != nil || qn.Lang != "de" {
		t.Errorf("YAML: %v, language %q; want de", err, qn.Lang)
	}
}
