package i18n

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// defPage writes a questionnaire's problem as the upload pages do
// (templates/versions.html, setup.html): the place keyed where it is a
// sheet's row, else as it is (data), and the keyed message, both in the
// locale.
func defPage(l Lang, d survey.DefError) (place, msg string) {
	switch {
	case d.PlaceText != nil:
		place = inLang(l, d.PlaceText)
	case d.Place != "":
		place = d.Place
	default:
		place = "–"
	}
	if d.MsgText == nil {
		return place, "NOT KEYED: " + d.Msg
	}
	return place, inLang(l, d.MsgText)
}

// defTestBook builds an XLSForm workbook: sheets by name, rows of cells.
func defTestBook(t *testing.T, sheets ...defSheet) []byte {
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

type defSheet struct {
	name string
	rows [][]string
}

// defYAMLCases are broken YAML questionnaires, together reaching every
// diagnostic of the YAML format and of the builder.
var defYAMLCases = []string{
	"id: x\ntitle: T\nsections:\n  - id: a\n    title: A\n    questions:\n      - id: q1\n        typ: text\n",
	"id: x\ntitle: T\nsections:\n  - id: a\n    title: A\n    questions:\n      - 5\n",
	"id: x\ntitle: T\nsections:\n  - id: a\n    title: A\n    questions:\n      - {id: q, type: single_choice, label: L, choices: {a: b}}\n",
	"id: x\ntitle: T\nsections:\n  - id: a\n    title: A\n    questions:\n      - {id: q, type: single_choice, label: L, choices: [[a, b]]}\n",
	"title: [T]\nsections: {}\n",
	"title: T\n  bad: x\n",
	"title: T\nsections:\n\t- id: a\n",
	"title: 'T\n",
	"id: x\ntitle: \"\"\nsections: []\n",
	`id: x
title: ""
lists:
  ja: [{value: j, label: Ja}, {value: j, label: ""}, {value: "a b", label: X}]
sections:
  - id: "a b"
    questions:
      - {id: q1, type: select, label: Eins}
      - {id: q1, type: integer, label: Zwei, min: 5, max: 1, max_length: 99999}
      - {id: q2, type: text, relevant: "${nix} = 1", label: Drei}
      - {id: q3, type: text, label: "", constraint: ". = 1 and", choices: ja}
      - {id: q4, type: single_choice, label: Vier, choices: fehlt}
      - {id: q5, type: single_choice, label: Fünf, choices: ja, scale: ja}
      - {id: "5x", type: note, label: Sechs, required: true, items: [{value: "a b", label: ""}, {value: c, label: C}, {value: c, label: C}]}
      - {id: q7, type: matrix, label: Sieben, choices: ja, relevant: "${q7} = 1"}
      - {id: q8, type: text, label: Acht, relevant: "${q7} = 1"}
      - {type: text, label: Neun}
      - {id: q10, type: integer, label: Zehn, format: email}
      - {id: q11, type: text, label: Elf, format: fax}
      - {id: q12, type: yes_no, label: Zwölf, min: 1}
      - {id: q13, type: matrix, label: Dreizehn, choices: ja}
      - {id: q14, type: integer, label: Vierzehn, rows: [{value: a, label: A}]}
      - {id: q15, type: item_numbers, label: Fünfzehn, items: [{value: a, label: A}], rows: [{value: b, label: B}]}
      - {id: q16, type: integer, label: Sechzehn, constraint: "${q16} > 1 2"}
      - {id: q17, type: integer, label: Siebzehn, constraint: "${q17} > 1 and ${q99} = 2"}
  - id: "a b"
    title: Doppelt
  - title: ""
`,
}

// defXLSCases are broken XLSForm workbooks, together reaching every
// diagnostic of the format.
var defXLSCases = [][]defSheet{
	{{"survey", [][]string{
		{"type", "name", "label", "hint", "relevant", "constraint", "required", "constraint_message", "choice_filter", "calculation", "default", "read_only", "bind::x"},
		{"begin group", "g", "G ${a}", "", "", "x > 1", "yes"},
		{"integer", "a", "A", "H ${a}", "", "", "", "M ${a}", "f", "1+1", "1", "yes", "b"},
		{"end group"},
		{"begin group", "", "", "", "${a} = 1 2"},
		{"end group"},
		{"begin group", "g2", "", "", "${zz} = 1"},
		{"end group"},
		{"note", "n", "N"},
		{"begin group", "g3", "", "", "${n} = 1"},
		{"end group"},
		{"", "x", "X"},
		{"select_one", "s1", "S"},
		{"select_one nope", "s2", "S"},
		{"text", "t", "T", "", "", "", "${a} = 1"},
		{"calculate", "c"}, {"hidden", "h"}, {"geopoint", "gp"}, {"start-geopoint", "sg"}, {"osm", "o"},
		{"range", "r"}, {"rank", "rk"}, {"image", "i"}, {"barcode", "b"}, {"acknowledge", "ak"},
		{"time", "tm"}, {"phone number", "p"}, {"xml-external", "xe"}, {"select_one_external l", "se"},
		{"select_one_from_file f.csv", "sf"}, {"select_one l or_other", "so"}, {"smiley", "sm"},
		{"begin repeat", "rp", "R"}, {"end_group"}, {"end repeat"}, {"end_repeat"}, {"end_group"},
		{"begin group", "g4", "G4"}, {"end repeat"}, {"end group"},
		{"begin group", "g5", "G5"},
	}}, {"choices", [][]string{
		{"list_name", "name", "label", "image"},
		{"", "a", "A"},
		{"l", "", "B"},
		{"l", "a b", "C"},
		{"l", "x", "X"},
		{"l", "x", "X2"},
		{"l", "y", ""},
		{"l", "z", "Z ${a}"},
		{"l", "w", "W", "w.png"},
	}}, {"settings", [][]string{{"form_title", "form_id"}, {"T", "mein bogen"}}}},
	{{"survey", [][]string{{"type", "label"}, {"integer", "A"}}}, {"choices", [][]string{{"name"}, {"a"}}}},
	{{"survey", [][]string{{"type", "name", "label"}, {"select_one yn", "a", "A"}}}},
	{{"survey", nil}, {"choices", [][]string{{"list_name", "name", "label"}, {"l", "a", "A"}}}},
	{{"Tabelle1", [][]string{{"type", "name", "label"}, {"integer", "a", "A"}, {"integer", "a", "B"}}}},
	{{"umfrage", [][]string{{"type"}}}, {"auswahl", [][]string{{"name"}}}},
	{{"survey", [][]string{{"type", "name", "label"}, {"start", "start"}}}},
	{{"survey", [][]string{append(make([]string, 256), "zu weit")}}},
}

// TestDefErrorsPages pins every diagnostic of questionnaire files as the
// upload pages show it, in German and English (testdata/def_errors.golden):
// keying the messages must not change a word on either page.
func TestDefErrorsPages(t *testing.T) {
	var out bytes.Buffer
	write := func(name string, err error) {
		var de survey.DefErrors
		if !errors.As(err, &de) {
			t.Fatalf("%s: %v (%T), want DefErrors", name, err, err)
		}
		fmt.Fprintf(&out, "== %s\n", name)
		for _, d := range de {
			for _, l := range []Lang{DE, EN} {
				place, msg := defPage(l, d)
				fmt.Fprintf(&out, "%s %s | %s\n", l.Code(), place, msg)
			}
		}
	}
	for i, src := range defYAMLCases {
		_, err := survey.ParseYAML("fragebogen.yaml", []byte(src))
		write(fmt.Sprintf("yaml %d", i+1), err)
	}
	for i, sheets := range defXLSCases {
		_, err := survey.ParseXLSForm("bogen.xlsx", bytes.NewReader(defTestBook(t, sheets...)))
		write(fmt.Sprintf("xlsform %d", i+1), err)
	}
	for _, f := range []struct{ name, src string }{
		{"alt.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"},
		{"tabelle.ods", "x"},
		{"kaputt.xlsx", "PK\x03\x04kaputt"},
		{"kein.xlsx", "kein zip"},
	} {
		format, err := survey.FileFormat(f.name, []byte(f.src))
		if err == nil && format == "xlsform" {
			_, err = survey.ParseXLSForm(f.name, strings.NewReader(f.src))
		}
		write(f.name, err)
	}
	golden := filepath.Join("testdata", "def_errors.golden")
	if *updateGolden {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("line %d:\n got %q\nwant %q", i+1, g, w)
			}
		}
	}
}

// inLang writes a keyed message of the domain in the locale, as the pages
// do (msgIn in cmd/bedarf).
func inLang(l Lang, m *survey.Message) string {
	return m.In(func(key string) string { f, _ := Raw(l, key); return f }, l.Domain)
}

// TestDefTranslationShapes pins how keyed questionnaire diagnostics nest:
// a message inserted into another (YAML's reason, a place, a reason for a
// refused type, a condition's error) is written in the page's language,
// data (ids, conditions, labels) never, even where it reads like German.
func TestDefTranslationShapes(t *testing.T) {
	m := survey.NewMessage
	// exprErr is the parser's error for a broken condition, as the
	// diagnostics insert it.
	exprErr := func(src string) *survey.Message {
		var pe *survey.ExprError
		if _, err := survey.ParseExpr(src); !errors.As(err, &pe) {
			t.Fatalf("ParseExpr(%q) = %v, want an *ExprError", src, err)
		}
		return pe.Message()
	}
	for _, tt := range []struct {
		m      *survey.Message
		de, en string
	}{
		{m("upload.yaml.unreadable", m("upload.def.yaml_unknown_key", 8, "typ")),
			`YAML nicht lesbar: Zeile 8: unbekannter Schlüssel "typ"`, `YAML not readable: line 8: unknown key "typ"`},
		{m("upload.def.id_twice", "q1", m("upload.place.sheet_row", "survey", 3)),
			`Frage-ID "q1" kommt doppelt vor (zuerst survey, Zeile 3)`, `question id "q1" occurs twice (first at survey, row 3)`},
		{m("upload.def.id_twice", "q1", "fragebogen.yaml:3"),
			`Frage-ID "q1" kommt doppelt vor (zuerst fragebogen.yaml:3)`, `question id "q1" occurs twice (first at fragebogen.yaml:3)`},
		{m("upload.def.condition", "q2", "relevant", "${a} = 'Zeile 1: x' or ${b} =", exprErr("${a} = 'Zeile 1: x' or ${b} =")),
			`Frage "q2": relevant "${a} = 'Zeile 1: x' or ${b} =": Spalte 30: nach '=' fehlt ein Wert`,
			`question "q2": relevant "${a} = 'Zeile 1: x' or ${b} =": column 30: expected a value after '='`},
		{m("upload.def.condition", "q3", "constraint", "${q3} = 1 2", exprErr("${q3} = 1 2")),
			`Frage "q3": constraint "${q3} = 1 2": Spalte 11: unerwartet: Zahl '2' (fehlt 'and' oder 'or'?)`,
			`question "q3": constraint "${q3} = 1 2": column 11: unexpected number '2' (missing 'and' or 'or'?)`},
		{m("upload.def.condition", "q4", "relevant", "1 < ${a} < 3", exprErr("1 < ${a} < 3")),
			`Frage "q4": relevant "1 < ${a} < 3": Spalte 10: Vergleiche lassen sich nicht verketten; bitte Klammern setzen`,
			`question "q4": relevant "1 < ${a} < 3": column 10: comparisons cannot be chained; use parentheses`},
		{m("upload.xls.group_condition", "g", "not ${a}", exprErr("not ${a}")),
			`Gruppe "g": relevant "not ${a}": Spalte 5: '(' nach 'not' erwartet, gefunden: Frageverweis ${a}`,
			`group "g": relevant "not ${a}": column 5: expected '(' after 'not', found question reference ${a}`},
		{m("upload.xls.type_refused", "range", m("upload.xls.why.range")),
			`Typ "range" wird nicht unterstützt (Schieberegler)`, `type "range" is not supported (sliders)`},
		{m("upload.xls.end_mismatch", "end_group", m("upload.xls.kind.repeat"), "r", m("upload.place.sheet_row", "Tabelle1", 5)),
			`"end_group" schließt nicht die zuletzt geöffnete Wiederholung "r" (Tabelle1, Zeile 5)`,
			`"end_group" does not close the repeat "r" opened last (Tabelle1, row 5)`},
		// Data keeps its language, even when it reads like a sentence.
		{m("upload.def.no_label", "Name fehlt"), `Frage "Name fehlt" hat keinen Text (label)`, `question "Name fehlt" has no text (label)`},
		{m("upload.def.list_unreadable", "choices", "Spalte 3: fehlt"), `choices: Spalte 3: fehlt`, `choices: Spalte 3: fehlt`},
		{m("upload.def.bad_id", "9"), `Frage-ID "9" ist ungültig (Buchstabe oder _, dann Buchstaben, Ziffern, _; höchstens 64 Zeichen)`,
			`question id "9" is invalid (letter or _, then letters, digits, _; at most 64 characters)`},
	} {
		if got := tt.m.String(); got != tt.de {
			t.Errorf("%s: German %q, want %q", tt.m.Key, got, tt.de)
		}
		if got := inLang(DE, tt.m); got != tt.de {
			t.Errorf("%s: German page %q, want %q", tt.m.Key, got, tt.de)
		}
		if got := inLang(EN, tt.m); got != tt.en {
			t.Errorf("%s: English %q, want %q", tt.m.Key, got, tt.en)
		}
	}
}
