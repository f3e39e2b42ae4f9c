package main

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/web"

	"github.com/xuri/excelize/v2"
)

// xlsxBook builds a workbook with the named sheets, one row of cells each.
func xlsxBook(t *testing.T, sheets map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for name, rows := range sheets {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	errorSummaryRE = regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`)
	markupRE       = regexp.MustCompile(`<[^>]*>`)
	// quotedRE finds what a diagnostic quotes from the file: data, which
	// keeps its language.
	quotedRE = regexp.MustCompile(`"[^"]*"|“[^”]*”|„[^“]*“`)
	// germanDiagnosticRE finds German words in an English diagnostic.
	germanDiagnosticRE = regexp.MustCompile(`\b(Frage|Zeile|Liste|Spalte|Blatt|Gruppe|Objekt|Fläche|ungültig|nicht|Fehler|Datei|keine|kein|Schlüssel|erwartet|fehlt|fehlen|doppelt|gibt|wird|unbekannt|unbekannter|zwischen)\b`)
)

// diagnostics returns the text of the page's list of problems.
func diagnostics(page string) string {
	block := errorSummaryRE.FindString(page)
	return html.UnescapeString(strings.Join(strings.Fields(markupRE.ReplaceAllString(block, " ")), " "))
}

// TestUploadDiagnosticsEnglish: refused uploads (questionnaires in YAML and
// XLSForm, Kommunen CSV, boundaries, contacts) list their problems in the
// page's language: English on the English page, with no German word left
// outside what they quote from the file, and German as before on the
// German page.
func TestUploadDiagnosticsEnglish(t *testing.T) {
	d := startDemo(t, "")
	en, de := loginAdmin(t, d), loginAdmin(t, d)
	switchLang(t, en, d.base, "en", "/verwaltung/frageboegen")

	brokenYAML := `id: kaputt
title: Kaputt
sections:
  - id: s1
    title: Teil 1
    questions:
      - {id: q1, type: zahl, label: Eins}
      - {id: q1, type: integer, label: Zwei}
      - {id: q3, type: text, label: Drei, relevant: "${q9} = 1"}
      - {id: q4, type: text}
      - {id: q5, type: text, label: Fünf, relevant: "${q1} = = 1"}
`
	brokenXLSForm := xlsxBook(t, map[string][][]any{
		"survey": {
			{"type", "name", "label", "relevant"},
			{"select_one farben", "f1", "Farbe"},
			{"range", "r1", "Regler"},
			{"integer", "z1", "Zahl", "${nix} > 1"},
			{"begin_group", "g1", "Gruppe"},
			{"text", "t1", "Wie ${f1}?"},
		},
		"choices": {
			{"list_name", "name", "label"},
			{"farben", "rot", "Rot"},
			{"farben", "rot", "Auch rot"},
			{"farben", "blau"},
		},
	})
	for _, tc := range []struct {
		name, path, file string
		data             []byte
		en, de           []string
	}{
		{
			name: "YAML questionnaire", path: web.QuestionnaireUploadPath, file: "broken.yaml", data: []byte(brokenYAML),
			en: []string{
				`broken.yaml:7 question "q1": unknown type "zahl" (allowed: single_choice`,
				`question id "q1" occurs twice (first at broken.yaml:7)`,
				`question "q3": relevant refers to ${q9}, which does not exist before it`,
				`question "q4" has no text (label)`,
				`question "q5": relevant "${q1} = = 1": column 9: expected a value, found '='`,
			},
			de: []string{
				`broken.yaml:7 Frage "q1": unbekannter Typ "zahl"`,
				`Frage-ID "q1" kommt doppelt vor (zuerst broken.yaml:7)`,
				`Frage "q3": relevant verweist auf ${q9}, die es davor nicht gibt`,
				`Frage "q4" hat keinen Text (label)`,
				`Frage "q5": relevant "${q1} = = 1": Spalte 9: Wert erwartet, gefunden: '='`,
			},
		},
		{
			name: "unreadable YAML", path: web.QuestionnaireUploadPath, file: "typo.yaml",
			data: []byte(strings.Replace(brokenYAML, "type: zahl", "typ: text", 1)),
			en:   []string{`typo.yaml YAML not readable: line 7: unknown key "typ"`},
			de:   []string{`typo.yaml YAML nicht lesbar: Zeile 7: unbekannter Schlüssel "typ"`},
		},
		{
			name: "YAML of the wrong shape", path: web.QuestionnaireUploadPath, file: "Form 2027.yaml",
			data: []byte("title: [T]\nsections:\n  - id: a\n    title: A\n    questions:\n      - {id: q, type: single_choice, label: L, choices: [[a]]}\n"),
			en:   []string{`Form 2027.yaml:1 expected a text, found a list`},
			de:   []string{`Form 2027.yaml:1 erwartet wird ein Text, gefunden eine Liste`},
		},
		{
			name: "old Excel workbook", path: web.QuestionnaireUploadPath, file: "fragebogen.xls",
			data: append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 512)...),
			en:   []string{`fragebogen.xls is an Excel workbook in the old format (.xls): please use “Save as” in Excel or LibreOffice to save it as an Excel workbook (.xlsx)`},
			de:   []string{`fragebogen.xls ist eine Excel-Arbeitsmappe im alten Format (.xls): bitte in Excel oder LibreOffice „Speichern unter“ als Excel-Arbeitsmappe (.xlsx) wählen`},
		},
		{
			name: "Kommunen CSV with keys of no Land", path: web.KommunenImportPath, file: "laender.csv",
			data: []byte("ags;name;lat;lon\n00000000;Null;52;9\n17000001;Siebzehn;52;abc\n"),
			en: []string{
				`Line 2: AGS 00000000 is not a municipality key (the first two digits are the Land, 01 to 16, followed by more than zeros)`,
				`Line 3: AGS 17000001 is not a municipality key (the first two digits are the Land, 01 to 16, followed by more than zeros); longitude (lon) "abc" is not a number between -180 and 180`,
			},
			de: []string{`Zeile 2: AGS 00000000 ist kein Gemeindeschlüssel`},
		},
		{
			name: "XLSForm", path: web.QuestionnaireUploadPath, file: "broken.xlsx", data: brokenXLSForm,
			en: []string{
				`survey, row 3 type "range" is not supported (sliders)`,
				`question "z1": relevant refers to ${nix}, which does not exist before it`,
				`text of the question "Wie ${f1}?" contains ${…}: inserting answers into the text is not supported`,
				`group "g1" is not closed (end_group is missing)`,
				`choices, row 3 list "farben": choice code "rot" occurs twice (first in row 2)`,
				`list "farben": choice "blau" has no text (label)`,
			},
			de: []string{
				`survey, Zeile 3 Typ "range" wird nicht unterstützt (Schieberegler)`,
				`Gruppe "g1" wird nicht geschlossen (end_group fehlt)`,
				`Liste "farben": Auswahl-Code "rot" kommt doppelt vor (zuerst Zeile 2)`,
			},
		},
		{
			// The setup page lists a questionnaire's problems like the
			// versions page: places and messages keyed.
			name: "XLSForm on the setup page", path: web.SetupPath + "/fragebogen", file: "broken.xlsx", data: brokenXLSForm,
			en: []string{
				`survey, row 3 type "range" is not supported (sliders)`,
				`choices, row 3 list "farben": choice code "rot" occurs twice (first in row 2)`,
			},
			de: []string{
				`survey, Zeile 3 Typ "range" wird nicht unterstützt (Schieberegler)`,
				`choices, Zeile 3 Liste "farben": Auswahl-Code "rot" kommt doppelt vor (zuerst Zeile 2)`,
			},
		},
		{
			name: "Kommunen CSV", path: web.KommunenImportPath, file: "broken.csv",
			data: []byte("ags;name;lat;lon\n03241001;Hannover;52,38;9,77\n03241001;Zweite;95;9\n03241030;;52;abc\n"),
			en: []string{
				`Line 3: latitude (lat) "95" is not a number between -90 and 90; AGS 03241001 occurs twice (also line 2)`,
				`Line 4: name is missing; longitude (lon) "abc" is not a number between -180 and 180`,
			},
			de: []string{
				`Zeile 3: Breitengrad (lat) "95" ist keine Zahl zwischen -90 und 90; AGS 03241001 kommt doppelt vor (auch Zeile 2)`,
				`Zeile 4: Name fehlt; Längengrad (lon) "abc" ist keine Zahl zwischen -180 und 180`,
			},
		},
		{
			name: "Kommunen CSV header", path: web.KommunenImportPath, file: "header.csv", data: []byte("ags;name\n03241001;Hannover\n"),
			en: []string{`Line 1: columns lat, lon are missing in the header (expected: ags;ars;name;kind;lat;lon;population;population_year, found: ags;name)`},
			de: []string{`Zeile 1: Spalten lat, lon fehlen in der Kopfzeile`},
		},
		{
			name: "GeoJSON no FeatureCollection", path: web.BoundariesUploadPath, file: "point.geojson",
			data: []byte(`{"type": "Point", "coordinates": [9.7, 52.4]}`),
			en:   []string{`GeoJSON: a FeatureCollection is expected, found "Point"`},
			de:   []string{`GeoJSON: erwartet wird eine FeatureCollection, gefunden "Point"`},
		},
		{
			name: "GeoJSON without a matching feature", path: web.BoundariesUploadPath, file: "elsewhere.geojson",
			data: []byte(`{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ags": "09999999", "name": "Nowhere"},
				"geometry": {"type": "Polygon", "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 52]]]}}]}`),
			en: []string{
				`No area of the file fits a stored municipality (compared are the properties "ags"/"AGS" and "ars"/"ARS").`,
				`Feature 1 (AGS 09999999, Nowhere): no municipality with this key`,
			},
			de: []string{
				`Keine Fläche der Datei passt zu einer gespeicherten Kommune`,
				`Objekt 1 (AGS 09999999, Nowhere): keine Kommune mit diesem Schlüssel`,
			},
		},
		{
			name: "GeoJSON with a broken area", path: web.BoundariesUploadPath, file: "line.geojson",
			data: []byte(`{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ags": "03241001"},
				"geometry": {"type": "Polygon", "coordinates": [[[9, 52], [10, 52]]]}}]}`),
			en: []string{`GeoJSON: feature 1 (03241001, `, `): ring with fewer than three points`},
			de: []string{`GeoJSON: Objekt 1 (03241001, `, `): Ring mit weniger als drei Punkten`},
		},
		{
			name: "contacts CSV", path: "/verwaltung/kontakte/import", file: "contacts.csv",
			data: []byte("AGS;E-Mail\n03241999;a@b.example\n0324100X;kein-at\n"),
			en: []string{
				`Line 3: “0324100X” is not a municipality key`,
				`Line 3: “kein-at” is not a valid e-mail address.`,
			},
			de: []string{`Zeile 3: „0324100X“ ist kein Gemeindeschlüssel`},
		},
		{
			name: "contacts CSV for an unknown Kommune", path: "/verwaltung/kontakte/import", file: "unknown.csv",
			data: []byte("AGS;E-Mail\n03241999;a@b.example\n"),
			en:   []string{`Line 2: there is no municipality with the key 03241999. Please add it first under “Municipalities”.`},
			de:   []string{`Zeile 2: Eine Kommune mit dem Schlüssel 03241999 gibt es nicht.`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, side := range []struct {
				lang string
				b    *browser
				want []string
			}{{"en", en, tc.en}, {"de", de, tc.de}} {
				code, page := side.b.upload(d.base+tc.path, tc.file, tc.data)
				if code != http.StatusUnprocessableEntity {
					t.Fatalf("%s: %d, want 422\n%.2000s", side.lang, code, page)
				}
				if got := pageLang(page); got != side.lang {
					t.Errorf("%s: <html lang=%q>", side.lang, got)
				}
				text := diagnostics(page)
				if text == "" {
					t.Fatalf("%s: no list of problems\n%.3000s", side.lang, page)
				}
				for _, w := range side.want {
					if !strings.Contains(text, w) {
						t.Errorf("%s: diagnostics lack %q:\n%s", side.lang, w, text)
					}
				}
				if side.lang != "en" {
					continue
				}
				if m := germanDiagnosticRE.FindString(quotedRE.ReplaceAllString(text, "")); m != "" {
					t.Errorf("German word %q in the English diagnostics:\n%s", m, text)
				}
				requireEnglish(t, tc.name, page)
			}
		})
	}
}
