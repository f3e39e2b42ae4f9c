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
// (templates/versions.html, setup.html): the place and the message in the
// locale, keyed where the domain keys them.
func defPage(l Lang, d survey.DefError) (place, msg string) {
	in := func(m *survey.Message) string {
		return m.In(func(key string) string { f, _ := Raw(l, key); return f }, l.Domain)
	}
	switch {
	case d.PlaceText != nil:
		place = in(d.PlaceText)
	case d.Place != "":
		place = l.Domain(d.Place)
	default:
		place = "–"
	}
	if d.MsgText != nil {
		msg = in(d.MsgText)
	} else {
		msg = l.Domain(d.Msg)
	}
	return place, msg
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
