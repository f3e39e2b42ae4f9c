//go:build browser

package main

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// hiddenValues reads the hidden fields of the form matched by sel.
func (tb *tab) hiddenValues(sel string) map[string][]string {
	tb.t.Helper()
	return eval[map[string][]string](tb, fmt.Sprintf(`(() => { const out = {};
  for (const e of document.querySelectorAll(%q)) (out[e.name] = out[e.name] || []).push(e.value);
  return out; })()`, sel+" input[type=hidden]"))
}

// TestBrowserSessionLost: while a Kommune types, staff issue its link anew,
// so the browser's session ends. Saving shows the page that keeps every
// typed value (it passes axe); pasting the new link there saves the form,
// and the form shows the values again: with JavaScript and without. Staff
// logged out in another tab see their entry form filled in again after
// logging in on the page.
func TestBrowserSessionLost(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	staff := newBrowser(t, a.base)
	if code, _, _ := staff.post(a.login, url.Values{"email": {a.email}, "passwort": {a.password}}); code != http.StatusSeeOther {
		t.Fatalf("staff login: %d", code)
	}
	for _, tc := range []struct {
		name, ags string
		js        bool
	}{{"mit JavaScript", "03241005", true}, {"ohne JavaScript", "03241002", false}} {
		t.Run(tc.name, func(t *testing.T) {
			k := s.newTab(t, true)
			opts := checkOpts{noAxe: !tc.js} // axe needs scripts; the page is checked with them on in the other case
			if !tc.js {
				k.disableScript()
			}
			k.open(a.links[tc.ags])
			k.tabTo("the contact's name", func(f focused) bool { return f.Name == "q.kontakt_name" })
			k.typeText("Nach dem Sitzungsende")
			k.tabTo("people in municipal housing", func(f focused) bool { return f.Name == "q.betreute_gu" })
			k.typeText("321")

			code, page, _ := staff.post(a.base+"/verwaltung/runden/1/kommunen/"+tc.ags+"/link", nil)
			if code != http.StatusOK {
				t.Fatalf("new link: %d", code)
			}
			fresh := linkOnPage(t, page)

			k.tabTo("Zwischenspeichern", isButton("speichern"))
			k.pressAndLoad(" ")
			if h := k.text("h1"); !strings.Contains(h, "Sitzung beendet") {
				t.Fatalf("save after the link was issued anew: heading %q, want the page that keeps the input", h)
			}
			kept := k.hiddenValues("#fortsetzen")
			for name, want := range map[string]string{"q.kontakt_name": "Nach dem Sitzungsende", "q.betreute_gu": "321", "aktion": "speichern"} {
				if !slices.Equal(kept[name], []string{want}) {
					t.Errorf("kept %s = %q, want %q", name, kept[name], want)
				}
			}
			k.check("Sitzung beendet "+tc.name, opts)

			// "Send again" before opening the link: the page says so, values kept.
			k.tabTo("Erneut senden", func(f focused) bool { return f.Tag == "button" && strings.Contains(f.Text, "Erneut senden") })
			k.pressAndLoad(kb.Enter)
			if n := k.text("#sitzung-weg"); !strings.Contains(n, "noch keine gültige Sitzung") {
				t.Errorf("sent again without a session: notice %q", n)
			}
			if again := k.hiddenValues("#fortsetzen"); !slices.Equal(again["q.kontakt_name"], kept["q.kontakt_name"]) {
				t.Errorf("sent again without a session: kept name %q", again["q.kontakt_name"])
			}
			k.check("Sitzung noch nicht zurück "+tc.name, opts)

			k.tabTo("the link field", func(f focused) bool { return f.Name == "link" })
			k.typeText(fresh)
			k.pressAndLoad(kb.Enter)
			// The saved form is the answer to that POST (as a save of the form
			// is), so the address is the one the kept form was sent to.
			if p := k.path(); p != "/fragebogen/fortsetzen" || !k.exists(`form#fragebogen[action="/fragebogen"]`) {
				t.Fatalf("after pasting the link: %s without the questionnaire", p)
			}
			if n := k.text(".notice"); !strings.Contains(n, "Zwischengespeichert") {
				t.Errorf("after pasting the link: notice %q, want the save confirmed", n)
			}
			got := k.formValues()
			for name, want := range map[string]string{"q.kontakt_name": "Nach dem Sitzungsende", "q.betreute_gu": "321"} {
				if !slices.Equal(got[name], []string{want}) {
					t.Errorf("form after the save: %s = %q, want %q", name, got[name], want)
				}
			}
			k.check("Nach Sitzungsende gespeichert "+tc.name, opts)
		})
	}

	t.Run("Verwaltung", func(t *testing.T) {
		const ags = "03241010"
		p := s.newTab(t, false)
		p.open(a.login)
		p.signInByKeyboard(a)
		p.open(a.base + "/verwaltung/runden/1/kommunen/" + ags + "/erfassen")
		p.tabTo("the contact's name", func(f focused) bool { return f.Name == "q.kontakt_name" })
		p.typeText("Von der Verwaltung erfasst")

		// Logged out in another tab of the same browser.
		other := s.newTab(t, false)
		other.open(a.base + "/verwaltung")
		other.tabTo("Abmelden", func(f focused) bool { return f.Tag == "button" && strings.Contains(f.Text, "Abmelden") })
		other.pressAndLoad(kb.Enter)

		p.tabTo("Speichern", isButton("speichern"))
		p.pressAndLoad(" ")
		if h := p.text("h1"); !strings.Contains(h, "bitte erneut anmelden") {
			t.Fatalf("save after the logout: heading %q", h)
		}
		if kept := p.hiddenValues("form.login"); !slices.Equal(kept["eingabe.q.kontakt_name"], []string{"Von der Verwaltung erfasst"}) {
			t.Errorf("kept name %q", kept["eingabe.q.kontakt_name"])
		}
		p.check("Verwaltung: Sitzung beendet")
		p.tabTo("the e-mail field", func(f focused) bool { return f.ID == "email" })
		p.typeText(a.email)
		p.next()
		p.typeText(a.password)
		p.pressAndLoad(kb.Enter)
		if n := p.text("#eingaben-wiederhergestellt"); !strings.Contains(n, "noch nicht gespeichert") {
			t.Errorf("after the login: notice %q", n)
		}
		if got := p.formValues()["q.kontakt_name"]; !slices.Equal(got, []string{"Von der Verwaltung erfasst"}) {
			t.Errorf("entry form after the login: name %q", got)
		}
		p.check("Verwaltung: Eingaben nach der Anmeldung")

		// A scenario's form, removed by a colleague while the session was
		// gone: after the login the typed values are listed.
		code, _, h := staff.post(a.base+"/verwaltung/runden/1/plan/szenarien", url.Values{"name": {"Bald entfernt"}, "von": {"1"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create scenario: %d", code)
		}
		p.open(a.base + h.Get("Location"))
		p.tabTo("the scenario's name", func(f focused) bool { return f.ID == "p-name" })
		p.typeText("Getippt vor dem Entfernen")
		other.open(a.base + "/verwaltung")
		other.tabTo("Abmelden", func(f focused) bool { return f.Tag == "button" && strings.Contains(f.Text, "Abmelden") })
		other.pressAndLoad(kb.Enter)
		p.pressAndLoad(kb.Enter)
		if h := p.text("h1"); !strings.Contains(h, "bitte erneut anmelden") {
			t.Fatalf("scenario save after the logout: heading %q", h)
		}
		id := regexp.MustCompile(`szenario=(\d+)`).FindStringSubmatch(h.Get("Location"))[1]
		if code, _, _ := staff.post(a.base+"/verwaltung/runden/1/plan/szenarien/"+id+"/loeschen", nil); code != http.StatusSeeOther {
			t.Fatalf("colleague deletes the scenario: %d", code)
		}
		p.tabTo("the e-mail field", func(f focused) bool { return f.ID == "email" })
		p.typeText(a.email)
		p.next()
		p.typeText(a.password)
		p.pressAndLoad(kb.Enter)
		if list := p.text(".kept-values"); !strings.Contains(list, "Getippt vor dem Entfernen") {
			t.Errorf("after the login, the form gone: list %q", list)
		}
		p.check("Verwaltung: Formular entfernt, Eingaben aufgelistet")
	})
}
