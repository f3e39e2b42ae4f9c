package main

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLegalPages: the three pages are public, linked from every page's
// footer, carry the contents the law asks for in both languages, and show
// what staff saved, escaped; only admins change them, and every change is
// in the audit log.
func TestLegalPages(t *testing.T) {
	r := startRig(t)
	anon := newBrowser(t, r.base)
	for path, wants := range map[string][]string{
		"/barrierefreiheit": {"Erklärung zur Barrierefreiheit", "Stand der Vereinbarkeit", "Nicht barrierefreie Inhalte", "Feedback und Kontakt",
			"Durchsetzungsverfahren", "Schlichtungsstelle", "Landesbeauftragten für Menschen mit Behinderungen", "NBGG", "WCAG 2.1"},
		"/datenschutz": {"Datenschutzhinweise", "Verantwortliche Stelle", "Datenschutzbeauftragte", "Zwecke der Verarbeitung",
			"Artikel 6 Absatz 1 Buchstabe e DSGVO", "Niedersächsischen Datenschutzgesetzes", "Kontaktdaten der Ansprechperson",
			"keine IP-Adressen", "Empfänger", "Speicherdauer", "bedarf retention", "Artikel 15", "Beschwerderecht",
			"Landesbeauftragte für den Datenschutz Niedersachsen", `<a href="https://www.lfd.niedersachsen.de">`,
			"Artikeln 13 und 14", "Teilnehmende an Supervisionsgruppen und Fortbildungen", "ihre Kommune gibt sie bei der Anmeldung an (Artikel 14 DSGVO)"},
		"/impressum": {"Impressum", "Herausgeber", "Medienstaatsvertrags"},
	} {
		code, page := getWith(t, anon, r.base+path, "")
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", path, code)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(page, w) && !strings.Contains(html.UnescapeString(page), w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		_, en := getWith(t, anon, r.base+path, "en")
		requireEnglish(t, "English "+path, en)
	}
	_, en := getWith(t, anon, r.base+"/datenschutz", "en")
	for _, w := range []string{"Privacy notice", "Article 6(1)(e) GDPR", "Right to lodge a complaint", "the German version is authoritative",
		"Articles 13 and 14", "Participants in supervision groups and training"} {
		if !strings.Contains(en, w) {
			t.Errorf("English privacy notice lacks %q", w)
		}
	}

	// The footer of every page links them: a public page, the form, staff pages.
	k := newBrowser(t, r.base)
	k.get(r.links["03241001"])
	admin := r.signIn(t, r.email, r.password)
	for _, c := range []struct {
		b    *browser
		path string
	}{{anon, "/anmelden"}, {anon, "/gibt-es-nicht"}, {k, "/fragebogen"}, {k, "/fragebogen/leer"}, {admin, "/verwaltung"}, {admin, "/verwaltung/rechtstexte"}} {
		_, page, _ := c.b.get(r.base + c.path)
		for _, href := range []string{`href="/barrierefreiheit"`, `href="/datenschutz"`, `href="/impressum"`} {
			if !strings.Contains(page, href) {
				t.Errorf("%s: the footer lacks %s", c.path, href)
			}
		}
	}

	// Staff edit: anything typed is shown as text; the markup makes headings,
	// lists and links.
	_, list, _ := admin.get(r.base + "/verwaltung/rechtstexte")
	if !strings.Contains(list, "Standardtext") || !strings.Contains(list, "Platzhalter offen") {
		t.Error("the list does not say the texts are defaults with placeholders")
	}
	text := "# Kontakt <script>alert(1)</script>\n\nRegion Hannover\nHildesheimer Straße 20\n\n- E-Mail: datenschutz@region-hannover.example\n- <img src=x onerror=alert(1)>"
	code, _, h := admin.post(r.base+"/verwaltung/rechtstexte/datenschutz", url.Values{"sprache": {"de"}, "text": {text}, "aktion": {"speichern"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/verwaltung/rechtstexte/datenschutz?gespeichert=de" {
		t.Fatalf("save: %d to %q", code, h.Get("Location"))
	}
	_, page := getWith(t, anon, r.base+"/datenschutz", "")
	for _, w := range []string{"<h2>Kontakt &lt;script&gt;alert(1)&lt;/script&gt;</h2>", "<p>Region Hannover<br>\nHildesheimer Straße 20</p>",
		`<li>E-Mail: <a href="mailto:datenschutz@region-hannover.example">`, "<li>&lt;img src=x onerror=alert(1)&gt;</li>", "Zuletzt geändert:"} {
		if !strings.Contains(page, w) {
			t.Errorf("saved text: page lacks %q", w)
		}
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") {
		t.Error("the saved text reached the page as markup")
	}
	// English: no English text saved yet, so the German one, marked as German.
	_, page = getWith(t, anon, r.base+"/datenschutz", "en")
	if !strings.Contains(page, "This page is only available in German.") || !strings.Contains(page, `<div class="legal-text" lang="de">`) ||
		!strings.Contains(page, "Hildesheimer Straße 20") {
		t.Error("the English page does not show the German text marked as German")
	}
	code, _, _ = admin.post(r.base+"/verwaltung/rechtstexte/datenschutz", url.Values{"sprache": {"en"}, "text": {"# Contact\nRegion Hannover"}})
	if code != http.StatusSeeOther {
		t.Fatalf("save English: %d", code)
	}
	if _, page = getWith(t, anon, r.base+"/datenschutz", "en"); !strings.Contains(page, "<h2>Contact</h2>") || strings.Contains(page, "only available in German") {
		t.Error("the English text is not shown")
	}
	// Not UTF-8 or too long: refused, nothing saved.
	code, page, _ = admin.post(r.base+"/verwaltung/rechtstexte/impressum", url.Values{"sprache": {"de"}, "text": {"Kontakt\x00"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Der Text enthält unzulässige Zeichen.") || !strings.Contains(page, `aria-invalid="true"`) {
		t.Errorf("a text with NUL: %d", code)
	}
	if code, _, _ = admin.post(r.base+"/verwaltung/rechtstexte/impressum", url.Values{"sprache": {"de"}, "text": {strings.Repeat("x", 20001)}}); code != http.StatusBadRequest {
		t.Errorf("too long a text: %d, want 400", code)
	}
	if _, page = getWith(t, anon, r.base+"/impressum", ""); !strings.Contains(page, "Herausgeber") {
		t.Error("a refused text changed the page")
	}
	// Back to the default.
	if code, _, _ = admin.post(r.base+"/verwaltung/rechtstexte/datenschutz", url.Values{"sprache": {"de"}, "aktion": {"standard"}}); code != http.StatusSeeOther {
		t.Fatalf("reset: %d", code)
	}
	if _, page = getWith(t, anon, r.base+"/datenschutz", ""); !strings.Contains(page, "Verantwortliche Stelle") || strings.Contains(page, "Hildesheimer") {
		t.Error("reset did not bring the default back")
	}
	_, audit, _ := admin.get(r.base + "/verwaltung/protokoll?was=legal.")
	if strings.Count(audit, "Rechtstext gespeichert") < 2 || !strings.Contains(audit, "Rechtstext auf den Standardtext zurückgesetzt") {
		t.Error("the audit log lacks the changes of the legal texts")
	}

	// A viewer reads but cannot change.
	code, page, _ = admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	pw := passwordRE.FindStringSubmatch(page)
	if code != http.StatusOK || pw == nil {
		t.Fatalf("add viewer: %d", code)
	}
	v := r.signIn(t, "leser@bedarf.example", pw[1])
	if code, page, _ = v.get(r.base + "/verwaltung/rechtstexte/impressum"); code != http.StatusOK || changingForms(page) != 1 || !strings.Contains(page, "Herausgeber") {
		t.Errorf("viewer: %d, %d changing forms", code, changingForms(page)-1)
	}
	if code, _, _ = v.post(r.base+"/verwaltung/rechtstexte/impressum", url.Values{"sprache": {"de"}, "text": {"x"}}); code != http.StatusForbidden {
		t.Errorf("viewer saving: %d, want 403", code)
	}
}

var receiptRowRE = regexp.MustCompile(`<tr><th scope="row"(?: lang="de")?>([^<]+)</th><td class="n">(\d+)</td><td class="n">(\d+)</td></tr>`)

// TestBlankAndReceipt: the blank questionnaire shows every question,
// numbered, with no field to fill in; the receipt after submitting names
// the Kommune, the round, date and time, and counts answered questions per
// section, on the form and on its printable page.
func TestBlankAndReceipt(t *testing.T) {
	r := startRig(t)
	k := newBrowser(t, r.base)
	k.get(r.links["03241005"])
	code, page, _ := k.get(r.base + "/fragebogen/leer")
	if code != http.StatusOK {
		t.Fatalf("blank: %d", code)
	}
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, ""))
	for _, w := range []string{"Bedarfsabfrage Supervision und Qualifizierung", "Garbsen", "1.1", "Wie viele Fachkräfte möchten an Gruppensupervision teilnehmen?",
		"Nur je nach Antwort auf:", "Mehrere Antworten möglich.", "1. Ansprechperson", "8. Vernetzung"} {
		if !strings.Contains(text, w) {
			t.Errorf("blank questionnaire lacks %q", w)
		}
	}
	if n := strings.Count(page, "<input") + strings.Count(page, "<textarea") + strings.Count(page, "<select"); n != 1 { // the language switch
		t.Errorf("blank questionnaire has %d fields", n-1)
	}
	if _, form, _ := k.get(r.base + "/fragebogen"); !strings.Contains(form, `href="/fragebogen/leer"`) {
		t.Error("the form does not link the blank questionnaire")
	}
	admin := r.signIn(t, r.email, r.password)
	if code, page, _ = admin.get(r.base + "/verwaltung/runden/1/fragebogen-leer"); code != http.StatusOK || !strings.Contains(page, "Ausgefüllt von") {
		t.Errorf("staff blank: %d", code)
	}
	if _, dash, _ := admin.get(r.base + "/verwaltung/runden/1"); !strings.Contains(dash, `href="/verwaltung/runden/1/fragebogen-leer"`) {
		t.Error("the dashboard does not link the blank questionnaire")
	}

	// No receipt before submitting.
	if code, _, _ = k.get(r.base + "/fragebogen/eingangsbestaetigung"); code != http.StatusNotFound {
		t.Errorf("receipt before submitting: %d, want 404", code)
	}
	_, page, _ = k.get(r.base + "/fragebogen")
	answers := fullAnswers(revisionOf(t, page))
	answers.Set("aktion", "absenden")
	if code, _, _ = k.post(r.base+"/fragebogen", answers); code != http.StatusSeeOther {
		t.Fatalf("submit: %d", code)
	}
	for _, path := range []string{"/fragebogen?eingereicht=1", "/fragebogen/eingangsbestaetigung"} {
		code, page, _ = k.get(r.base + path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		for _, w := range []string{"Eingangsbestätigung", "Garbsen (AGS 03241005)", "Eingegangen am", " Uhr", "Beantwortete Fragen je Abschnitt", "Erika Muster"} {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		rows := receiptRowRE.FindAllStringSubmatch(page, -1)
		if len(rows) != 9 || rows[8][1] != "Insgesamt" {
			t.Fatalf("%s: %d rows, want 8 sections and the total", path, len(rows))
		}
		sum := 0
		for _, row := range rows[:8] {
			n, _ := strconv.Atoi(row[2])
			sum += n
		}
		if rows[8][2] != strconv.Itoa(sum) {
			t.Errorf("%s: total %s answered, the sections add up to %d", path, rows[8][2], sum)
		}
		if rows[0][1] != "Ansprechperson" || rows[0][2] != "2" || rows[0][3] != "4" {
			t.Errorf("%s: first row %v, want Ansprechperson 2 of 4", path, rows[0][1:])
		}
		if !strings.Contains(page, `href="/fragebogen/eingangsbestaetigung"`) && path != "/fragebogen/eingangsbestaetigung" {
			t.Errorf("%s does not link the printable receipt", path)
		}
	}
	_, page, _ = k.get(r.base + "/fragebogen")
	if !strings.Contains(page, `href="/fragebogen/eingangsbestaetigung"`) {
		t.Error("the submitted form does not link the receipt")
	}
	switchLang(t, k, r.base, "en", "/fragebogen/eingangsbestaetigung")
	_, page, _ = k.get(r.base + "/fragebogen/eingangsbestaetigung")
	requireEnglish(t, "English receipt", page)
	if !strings.Contains(page, "Acknowledgement of receipt") || !strings.Contains(page, "Answered questions per section") {
		t.Error("English receipt lacks its texts")
	}
	_, page, _ = k.get(r.base + "/fragebogen/leer")
	requireEnglish(t, "English blank questionnaire", page)
}
