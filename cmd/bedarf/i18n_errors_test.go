package main

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDomainErrorsEnglish: errors of the domain (survey.Error) show on the
// pages in the page's language, written by their key: English on the
// English page, the German sentence of before on the German page, a status
// or a mail's kind inserted into the message in the page's language too.
func TestDomainErrorsEnglish(t *testing.T) {
	d := startDemo(t, "")
	en, de := loginAdmin(t, d), loginAdmin(t, d)
	switchLang(t, en, d.base, "en", "/verwaltung")
	for _, tc := range []struct {
		name, path string
		form       url.Values // nil: a GET
		status     int
		en, de     string
	}{
		{"no such round", "/verwaltung/runden/999", nil, http.StatusNotFound,
			"This survey round does not exist.", "Diese Erhebungsrunde gibt es nicht."},
		{"open an open round", "/verwaltung/runden/1/oeffnen", url.Values{}, http.StatusConflict,
			"The round is already open.", "Die Runde ist bereits offen."},
		{"deadline not a date", "/verwaltung/runden/1/frist", url.Values{"frist": {"morgen"}}, http.StatusUnprocessableEntity,
			"Please give the new deadline as a date.", "Bitte geben Sie die neue Frist als Datum an."},
		{"no such account", "/verwaltung/benutzer/999/sperren", url.Values{}, http.StatusNotFound,
			"This account does not exist.", "Dieses Konto gibt es nicht."},
		{"contact address invalid", "/verwaltung/kontakte/03241001", url.Values{"email": {"kein-at"}, "name": {"X"}}, http.StatusUnprocessableEntity,
			"“kein-at” is not a valid e-mail address.", "„kein-at“ ist keine gültige E-Mail-Adresse."},
		{"unknown placeholder", "/verwaltung/runden/1/mail/texte", url.Values{"einladung_betreff": {"Hallo"}, "einladung_text": {"ohne {{Ort}}"},
			"erinnerung_betreff": {"Hallo"}, "erinnerung_text": {"{{Link}}"}, "auto_tage": {"3"}}, http.StatusUnprocessableEntity,
			"Invitation, text line 1: unknown placeholder {{Ort}}.", "Einladung, Text Zeile 1: Unbekannter Platzhalter {{Ort}}."},
		{"mail text without link", "/verwaltung/runden/1/mail/texte", url.Values{"einladung_betreff": {"Hallo"}, "einladung_text": {"ohne"},
			"erinnerung_betreff": {"Hallo"}, "erinnerung_text": {"{{Link}}"}, "auto_tage": {"3"}}, http.StatusUnprocessableEntity,
			"Invitation: the text must contain the placeholder {{Link}}", "Einladung: Der Text muss den Platzhalter {{Link}} enthalten"},
	} {
		for _, l := range []struct {
			b    *browser
			want string
		}{{en, tc.en}, {de, tc.de}} {
			var code int
			var page string
			if tc.form == nil {
				code, page, _ = l.b.get(d.base + tc.path)
			} else {
				code, page, _ = l.b.post(d.base+tc.path, tc.form)
			}
			if code != tc.status || !strings.Contains(html.UnescapeString(page), l.want) {
				t.Errorf("%s: %d, want %d with %q", tc.name, code, tc.status, l.want)
			}
			if l.b == en {
				requireEnglish(t, tc.name, page)
			}
		}
	}
}
