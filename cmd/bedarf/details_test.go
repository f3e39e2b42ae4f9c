package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestFaviconAndPlanWording: the icon comes from the binary at the address
// browsers ask for and at the one the pages name; the plan page no longer
// promises an immediate recalculation where a save is needed.
func TestFaviconAndPlanWording(t *testing.T) {
	d := startDemo(t, "")
	b := loginAdmin(t, d)
	_, home, _ := b.get(d.base + "/verwaltung")
	if !strings.Contains(home, `<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">`) {
		t.Error("the page names no icon")
	}
	for _, p := range []string{"/favicon.ico", "/static/img/favicon.svg"} {
		code, body, h := b.get(d.base + p)
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "image/svg+xml") || !strings.HasPrefix(body, "<svg") {
			t.Errorf("GET %s: %d %s", p, code, h.Get("Content-Type"))
		}
	}
	for _, lang := range []string{"de", "en"} {
		_, page := getWith(t, b, d.base+"/verwaltung/runden/1/plan", lang)
		for _, bad := range []string{"sofort neu berechnet", "recalculated at once"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s plan page promises %q", lang, bad)
			}
		}
	}
}

// TestContactFieldsPurpose: without JavaScript the form says that
// follow-up questions appear after saving; the default questionnaire's contact fields name
// their input purpose (WCAG 2.1 SC 1.3.5) and use e-mail and phone fields;
// an address that is none is refused at its field, the value kept.
func TestContactFieldsPurpose(t *testing.T) {
	d := startDemo(t, "")
	k := newBrowser(t, d.base)
	const ags = "03241005" // Garbsen: not begun in the demo
	if code, _, _ := k.get(d.links[ags]); code != http.StatusSeeOther {
		t.Fatalf("link: %d", code)
	}
	_, page, _ := k.get(d.base + "/fragebogen")
	if !strings.Contains(page, "<noscript><p class=\"notice\">Ohne JavaScript erscheinen Folgefragen") {
		t.Error("no note that follow-up questions appear after saving without JavaScript")
	}
	for id, typ := range map[string]string{"kontakt_name": "text", "kontakt_funktion": "text", "kontakt_email": "email", "kontakt_telefon": "tel"} {
		purpose := map[string]string{"kontakt_name": "name", "kontakt_funktion": "organization-title", "kontakt_email": "email", "kontakt_telefon": "tel"}[id]
		re := regexp.MustCompile(`<input type="` + typ + `" id="f-` + id + `" name="q.` + id + `"[^>]* autocomplete="` + purpose + `"`)
		if !re.MatchString(page) {
			t.Errorf("%s: no %s field with autocomplete=%q", id, typ, purpose)
		}
	}
	form := url.Values{"revision": {revisionOfOr(page, "0")}, "aktion": {"speichern"}, "q.kontakt_email": {"anna.muster"}, "q.kontakt_telefon": {"ruf mich an"}}
	code, out, _ := k.post(d.base+"/fragebogen", form)
	if code != http.StatusOK && code != http.StatusUnprocessableEntity {
		t.Fatalf("save: %d", code)
	}
	for _, want := range []string{"Bitte eine E-Mail-Adresse eingeben", "Bitte eine Telefonnummer eingeben", `value="anna.muster"`} {
		if !strings.Contains(out, want) {
			t.Errorf("after saving a wrong address the page lacks %q", want)
		}
	}
}
