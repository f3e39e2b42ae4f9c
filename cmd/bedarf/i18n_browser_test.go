//go:build browser

package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestBrowserEnglish: the language switch in the layout works with the
// keyboard and without a script's help (a form that sets a cookie); the
// English form (empty and with errors) and the English login (also with its
// error) pass axe-core, the network log and the reflow checks, and carry
// lang="en".
func TestBrowserEnglish(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	k := s.newTab(t, true)
	k.open(a.links["03241005"])
	if p := k.path(); p != "/fragebogen" {
		t.Fatalf("the link led to %s", p)
	}
	k.tabTo("the switch to English", isButton("en"))
	k.requireFocusVisible()
	k.pressAndLoad(kb.Enter)
	if p := k.path(); p != "/fragebogen" {
		t.Errorf("the switch led to %s, want back to /fragebogen", p)
	}
	requireLang(k, "en")
	main := k.text("main")
	for _, want := range []string{"Deadline", "not started", "Save draft", "Submit"} {
		if !strings.Contains(main, want) {
			t.Errorf("English form lacks %q", want)
		}
	}
	k.check("Fragebogen englisch")

	k.tabTo("Submit", isButton("absenden"))
	k.pressAndLoad(kb.Enter)
	if f := k.active(); f.ID != "fehlerliste" {
		t.Errorf("after a failed submit focus is on %v, want the error summary", f)
	}
	if sum := k.text("#fehlerliste"); !strings.Contains(sum, "Please answer this question.") {
		t.Errorf("English error summary: %q", trim(sum, 200))
	}
	k.check("Fragebogen englisch mit Fehlern")

	// The cookie holds for the login in the same browser.
	k.open(a.login)
	requireLang(k, "en")
	if h := k.text("h1"); h != "Staff login" {
		t.Errorf("English login title %q", h)
	}
	k.check("Anmeldung englisch")
	k.tabTo("E-mail", func(f focused) bool { return f.ID == "email" })
	k.typeText(a.email)
	k.next()
	k.typeText("wrong-wrong-wrong")
	k.pressAndLoad(kb.Enter)
	if msg := k.text("#login-fehler"); msg != "E-mail address or password is wrong." {
		t.Errorf("English login error %q", msg)
	}
	k.check("Anmeldung englisch mit Fehler")

	// And back to German with the same switch.
	k.tabTo("the switch to German", isButton("de"))
	k.pressAndLoad(kb.Enter)
	requireLang(k, "de")
}

// TestBrowserEnglishStaffPages: staff who switch to English before they
// sign in get every staff page of the English check (englishStaffPages, the
// pages of the German staff crawl and the mail and legal pages) in English:
// each carries lang="en" and passes axe-core (WCAG 2.1 A and AA), the
// network log (own origin only) and the reflow checks. A second round,
// created with the English form, fills the comparison of two rounds, which
// is checked too.
func TestBrowserEnglishStaffPages(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	st := s.newTab(t, true)
	st.open(a.login)
	st.tabTo("the switch to English", isButton("en"))
	st.pressAndLoad(kb.Enter)
	requireLang(st, "en")
	st.signInByKeyboard(a)
	for _, p := range englishStaffPages {
		st.openEnglish(p)
	}

	// A second round from the English form, then the comparison of both.
	st.openEnglish("/verwaltung/runden/neu")
	eval[bool](st, `(() => {
  document.getElementById('r-titel').value = 'Follow-up';
  document.getElementById('r-alle').checked = true;
  document.querySelector('form[action="/verwaltung/runden"] button[type=submit]').focus();
  return true; })()`)
	st.pressAndLoad(kb.Enter)
	created := regexp.MustCompile(`^/verwaltung/runden/(\d+)`).FindStringSubmatch(st.path())
	if created == nil || created[1] == "1" {
		t.Fatalf("creating a second round ended on %s", st.path())
	}
	st.check("English new round created")
	st.openEnglish("/verwaltung/vergleich?a=1&b=" + created[1])
	st.openEnglish("/verwaltung/vergleich?a=1&b=" + created[1] + "&frage=fortbildung_teilnehmende%3Aasylrecht")
}

// openEnglish opens the staff page at path (and query) p and checks it in
// English: it is shown (no redirect, say to the login), carries
// lang="en" and passes every page-level check.
func (tb *tab) openEnglish(p string) {
	tb.t.Helper()
	tb.open(tb.s.app.base + p)
	if got := tb.path(); got != p {
		tb.t.Errorf("%s: the browser shows %s", p, got)
		return
	}
	requireLang(tb, "en")
	tb.check("English " + p)
}

func requireLang(tb *tab, want string) {
	tb.t.Helper()
	if got := eval[string](tb, `document.documentElement.lang`); got != want {
		tb.t.Errorf("%s: <html lang=%q>, want %q", tb.path(), got, want)
	}
}
