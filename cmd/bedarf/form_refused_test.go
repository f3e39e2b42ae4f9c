package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"bedarf/survey"
)

// TestStaffFormsRefuseAtTheField: invalid input on a staff form re-shows
// the form (422), never a dead-end page: the message sits at the field it
// concerns (the control names it in aria-describedby) or, for a message
// about the whole form, in an alert in front of it, and every typed value
// is back in the form.
func TestStaffFormsRefuseAtTheField(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	resps, err := r.st.Responses(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	submitted := ""
	for _, resp := range resps {
		if resp.Status == survey.StatusSubmitted {
			submitted = resp.Kommune.AGS
		}
	}
	if submitted == "" {
		t.Fatal("the demo has no submitted answer")
	}
	long := strings.Repeat("Bitte die Zahl prüfen. ", 200)
	for _, tc := range []struct {
		name, path string
		form       url.Values
		field      string // the control that must carry the message; "" the form
		message    string
		typed      []string
	}{
		{"new user, bad e-mail", "/verwaltung/benutzer", url.Values{"email": {"kein-at-zeichen"}, "name": {"Tina Tippfehler"}, "rolle": {"viewer"}},
			"email", "gültige E-Mail-Adresse", []string{`value="kein-at-zeichen"`, `value="Tina Tippfehler"`}},
		{"new user, no name", "/verwaltung/benutzer", url.Values{"email": {"tina@bedarf.example"}, "name": {""}, "rolle": {"admin"}},
			"name", "Bitte geben Sie einen Namen an", []string{`value="tina@bedarf.example"`}},
		{"contact, bad e-mail", "/verwaltung/kontakte/03241001", url.Values{"email": {"kaputt@"}, "name": {"Frau Typisch"}},
			"email", "E-Mail", []string{`value="kaputt@"`, `value="Frau Typisch"`}},
		{"organisation, no office", "/verwaltung/einrichtung/organisation", url.Values{"stelle": {""}, "behoerde": {"Region Typisch"}, "anschrift": {"Hauptstraße 1"}},
			"stelle", "Der Name der Stelle fehlt", []string{`value="Region Typisch"`, "Hauptstraße 1"}},
		{"new round, deadline before start", "/verwaltung/runden", url.Values{"titel": {"Runde Typisch"}, "fragebogen": {"1"}, "beginn": {"2027-03-01"}, "frist": {"2027-02-01"}},
			"frist", "", []string{`value="Runde Typisch"`, `value="2027-03-01"`, `value="2027-02-01"`}},
		{"round deadline, bad date", "/verwaltung/runden/1/frist", url.Values{"frist": {"31.02.2027x"}},
			"frist", "", []string{`value="31.02.2027x"`}},
		{"mail texts, unknown placeholder", "/verwaltung/runden/1/mail/texte", url.Values{"einladung_betreff": {"Betreff Typisch {{Link}}"}, "einladung_text": {"Text {{Ort}}"},
			"erinnerung_betreff": {"Erinnerung {{Runde}}"}, "erinnerung_text": {"Bitte: {{Link}}"}, "auto_tage": {"3"}},
			"einladung_text", "Unbekannter Platzhalter", []string{"Text {{Ort}}", "Betreff Typisch {{Link}}"}},
		{"mail texts, link in the subject", "/verwaltung/runden/1/mail/texte", url.Values{"einladung_betreff": {"Betreff Typisch {{Link}}"}, "einladung_text": {"Text {{Link}}"},
			"erinnerung_betreff": {"Erinnerung {{Runde}}"}, "erinnerung_text": {"Bitte: {{Link}}"}, "auto_tage": {"3"}},
			"einladung_betreff", "nicht im Betreff", []string{"Text {{Link}}", "Betreff Typisch {{Link}}"}},
		{"return, message too long", "/verwaltung/runden/1/kommunen/" + submitted + "/zurueckgeben", url.Values{"nachricht": {long}},
			"nachricht", "Die Nachricht ist zu lang", []string{long}},
		{"role, unknown", "/verwaltung/benutzer/1/rolle", url.Values{"rolle": {"chef"}},
			"", "Die Rolle muss", nil},
		{"new scenario, name too long", "/verwaltung/runden/1/plan/szenarien", url.Values{"von": {"1"}, "name": {strings.Repeat("Szenario ", 10)}},
			"name", "zu lang", []string{strings.Repeat("Szenario ", 10)}},
		{"new scenario, name taken", "/verwaltung/runden/1/plan/szenarien", url.Values{"von": {"1"}, "name": {"Standard"}},
			"name", "gibt es in dieser Runde schon", []string{`value="Standard"`}},
		{"scenario, negative fee", "/verwaltung/runden/1/plan/szenarien/1", planForm(map[string]string{"FeePerHour": "-7"}),
			"FeePerHour", "", []string{`value="-7"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, page, _ := b.post(r.base+tc.path, tc.form)
			want := http.StatusUnprocessableEntity
			if strings.HasSuffix(tc.name, "taken") { // a conflict with stored data
				want = http.StatusConflict
			}
			if code != want {
				t.Fatalf("status %d, want %d", code, want)
			}
			text := html.UnescapeString(page)
			if tc.message != "" && !strings.Contains(text, tc.message) {
				t.Errorf("page lacks the message %q", tc.message)
			}
			for _, v := range tc.typed {
				if !strings.Contains(text, html.UnescapeString(v)) {
					t.Errorf("typed value %s not back in the form", v)
				}
			}
			if tc.field == "" {
				if !regexp.MustCompile(`role="alert"[^>]*>[^<]*` + regexp.QuoteMeta(tc.message)).MatchString(text) {
					t.Errorf("no alert with the message in front of the form")
				}
				return
			}
			ctl := regexp.MustCompile(`<(?:input|select|textarea)[^>]*\bname="`+regexp.QuoteMeta(tc.field)+`"[^>]*>`).FindAllString(page, -1)
			var described string
			for _, c := range ctl {
				if m := regexp.MustCompile(`aria-describedby="([^"]+)"`).FindStringSubmatch(c); m != nil && strings.Contains(c, `aria-invalid="true"`) {
					described = m[1]
				}
			}
			if described == "" {
				t.Fatalf("field %s is not marked invalid with a description: %q", tc.field, ctl)
			}
			found := false
			for _, id := range strings.Fields(described) {
				m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]+)`).FindStringSubmatch(page)
				if m != nil && strings.Contains(html.UnescapeString(m[1]), tc.message) && strings.TrimSpace(m[1]) != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("field %s: no element it names holds the message %q", tc.field, tc.message)
			}
		})
	}
}
