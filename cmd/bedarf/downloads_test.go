package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDownloads: CSV, charts and the one-Kommune workbook, for staff and for
// the Kommune itself (only its own answers).
func TestDownloads(t *testing.T) {
	d := startDemo(t, "")
	s := loginAdmin(t, d)
	base := d.base + "/verwaltung/runden/1"

	code, body, h := s.get(base + "/antworten.csv")
	if code != http.StatusOK || !strings.HasPrefix(body, "\ufeffAGS;Kommune;Status") || !strings.Contains(h.Get("Content-Disposition"), "Antworten_1.csv") {
		t.Errorf("CSV: %d, %q…, %q", code, body[:min(len(body), 30)], h.Get("Content-Disposition"))
	}
	if n := strings.Count(body, "\r\n"); n != 22 {
		t.Errorf("CSV has %d lines, want a header and 21 Kommunen", n)
	}
	for _, tc := range []struct{ path, ctype, magic string }{
		{"/diagramme/supervision-je-kommune.svg", "image/svg+xml", "<svg"},
		{"/diagramme/fortbildung-je-modul.png", "image/png", "\x89PNG"},
		{"/diagramme/belastung-verteilung.svg", "image/svg+xml", "<svg"},
		{"/diagramme/karte-supervision.svg", "image/svg+xml", "GeoBasis-DE"},
	} {
		code, body, h := s.get(base + tc.path)
		if code != http.StatusOK || h.Get("Content-Type") != tc.ctype || !strings.Contains(body, tc.magic) {
			t.Errorf("%s: %d %s", tc.path, code, h.Get("Content-Type"))
		}
	}
	for _, bad := range []string{"/diagramme/gibtsnicht.svg", "/diagramme/supervision-je-kommune.gif", "/diagramme/..%2Fauswertung.xlsx"} {
		if code, _, _ := s.get(base + bad); code != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", bad, code)
		}
	}

	// The round's workbook names the maßgeblich scenario by its name.
	_, plan, _ := s.get(base + "/plan")
	m := planScenarioRE.FindStringSubmatch(plan)
	if m == nil {
		t.Fatal("plan page: no link to the scenario")
	}
	if code, _, _ := s.post(base+"/plan/szenarien/"+m[1], scenarioForm("Haushaltsentwurf 2027")); code != http.StatusSeeOther {
		t.Fatalf("renaming the scenario: %d", code)
	}
	code, body, _ = s.get(base + "/auswertung.xlsx")
	if code != http.StatusOK || !workbookMentions(t, body, "Haushaltsentwurf 2027") {
		t.Errorf("round workbook: %d, does not name the maßgeblich scenario", code)
	}

	// Staff: one Kommune's answers.
	code, body, _ = s.get(base + "/kommunen/03241001/antworten.xlsx")
	if code != http.StatusOK || !workbookMentions(t, body, "Hannover") {
		t.Errorf("staff Kommune workbook: %d", code)
	}
	// The Kommune: its own answers only, whatever the URL says.
	k := newBrowser(t, d.base)
	k.get(d.links["03241004"]) // Burgwedel: submitted in the demo
	code, body, _ = k.get(d.base + "/fragebogen/antworten.xlsx")
	if code != http.StatusOK || !workbookMentions(t, body, "Burgwedel") || workbookMentions(t, body, "Hannover") {
		t.Errorf("Kommune workbook: %d", code)
	}
	if code, _, _ := k.get(base + "/kommunen/03241001/antworten.xlsx"); code != http.StatusSeeOther {
		t.Errorf("Kommune reaching a staff download: got %d, want 303 to the login", code)
	}
	if code, _, _ := newBrowser(t, d.base).get(d.base + "/fragebogen/antworten.xlsx"); code != http.StatusUnauthorized {
		t.Errorf("download without a session: got %d, want 401", code)
	}
}

// workbookMentions reports whether any cell of the workbook holds s.
func workbookMentions(t *testing.T, data, s string) bool {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(data)))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			for _, c := range r {
				if strings.Contains(c, s) {
					return true
				}
			}
		}
	}
	return false
}
