package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Issue 17, item 7: direction controls in what people type cannot reorder
// what staff read. Pages isolate the text (dir="auto" on its element, or
// <bdi> inside a sentence) and keep it as typed; the workbook, the CSV and
// the log get it with the overrides removed and right-to-left letters kept.
func TestDirectionControls(t *testing.T) {
	r := startRig(t)
	ags := editableKommunen(t, r.base, r.links)[0]
	const (
		editor = "\u202eevil"
		answer = "\u202ekontakt مرحبا"
	)
	ed := openEditor(t, r.demo, ags, editor)
	if code, page, err := ed.save(r.base, "q.kontakt_name", answer); code != http.StatusOK || err != nil {
		t.Fatalf("save: %d %v\n%s", code, err, page)
	}
	staff := r.signIn(t, r.email, r.password)

	// Pages: the value as typed, in an element of its own direction.
	pages := []struct {
		name, path string
		want       *regexp.Regexp
	}{
		{"audit log", "/verwaltung/protokoll", regexp.MustCompile(`<td dir="auto">` + editor + `</td>`)},
		{"overview", "/verwaltung/runden/1", regexp.MustCompile(`<td dir="auto">` + editor + `</td>`)},
		{"Kommune page: saved by", "/verwaltung/runden/1/kommunen/" + ags, regexp.MustCompile(`<bdi>` + editor + `</bdi>`)},
		{"Kommune page: answer", "/verwaltung/runden/1/kommunen/" + ags, regexp.MustCompile(`<span dir="auto">` + answer + `</span>`)},
	}
	// A scenario's name, typed by staff, is isolated on the plan page.
	if code, _, _ := staff.post(r.base+"/verwaltung/runden/1/plan/szenarien", url.Values{"name": {editor}, "von": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("create scenario: %d", code)
	}
	pages = append(pages, struct {
		name, path string
		want       *regexp.Regexp
	}{"plan: scenario name", "/verwaltung/runden/1/plan", regexp.MustCompile(`<bdi>` + editor + `</bdi>`)})
	for _, p := range pages {
		code, page, _ := staff.get(r.base + p.path)
		if code != http.StatusOK || !p.want.MatchString(page) {
			t.Errorf("%s (%s): %d, no %s", p.name, p.path, code, p.want)
		}
	}
	// The form keeps the values as typed, in fields of their own direction.
	_, form, _ := ed.b.get(r.base + "/fragebogen")
	for _, want := range []string{`value="` + editor + `" dir="auto"`, `value="` + answer + `" dir="auto"`} {
		if !strings.Contains(form, want) {
			t.Errorf("form lacks %q", want)
		}
	}

	// CSV: neutralised.
	code, csv, _ := staff.get(r.base + "/verwaltung/runden/1/ausstehend.csv")
	if code != http.StatusOK || !strings.Contains(csv, ";evil") || strings.ContainsRune(csv, '\u202e') {
		t.Errorf("CSV (%d): want the editor as \"evil\", no override:\n%s", code, csv)
	}

	// Workbook: every cell neutralised, the Arabic kept.
	code, book, _ := staff.get(r.base + "/verwaltung/runden/1/auswertung.xlsx")
	if code != http.StatusOK {
		t.Fatalf("workbook: %d", code)
	}
	f, err := excelize.OpenReader(strings.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, cell := range row {
				if strings.ContainsRune(cell, '\u202e') {
					t.Errorf("%s row %d column %d keeps the override: %+q", sheet, i+1, j+1, cell)
				}
				if strings.Contains(cell, "kontakt مرحبا") {
					found = true
				}
			}
		}
	}
	if !found {
		t.Error("the workbook lacks the answer with its Arabic")
	}
}

// TestLogNeutralisesDirectionControls: both log formats write names
// without overrides, whatever attribute or message carries them.
func TestLogNeutralisesDirectionControls(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			logger, err := newLogger(&buf, format)
			if err != nil {
				t.Fatal(err)
			}
			logger.Warn("login failed \u202eevil", "account", "\u202eevil@example.org", "err", errString("kommune \u202eevil"), "name", "مرحبا")
			out := buf.String()
			if strings.ContainsRune(out, '\u202e') || strings.Contains(out, `\u202e`) || strings.Contains(out, "u202e") {
				t.Errorf("the log line keeps the override: %s", out)
			}
			if format == "json" {
				var m map[string]any
				if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
					t.Fatal(err)
				}
				if m["msg"] != "login failed evil" || m["account"] != "evil@example.org" || m["err"] != "kommune evil" || m["name"] != "مرحبا" {
					t.Errorf("log line %v", m)
				}
			}
		})
	}
}

type errString string

func (e errString) Error() string { return string(e) }
