//go:build browser

package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// saveInBackground presses "Zwischenspeichern" (Tab to it, Space) and waits
// until the live region announces the background save's outcome; the page
// must not load anew.
func (tb *tab) saveInBackground() string {
	tb.t.Helper()
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => { window.__notReloaded = true; const l = document.getElementById('speicherstatus'); if (l) l.textContent = ''; })()`))
	tb.tabTo("Zwischenspeichern", isButton("speichern"))
	tb.press(" ")
	deadline := time.Now().Add(actionTimeout)
	for time.Now().Before(deadline) {
		if said := eval[string](tb, `(document.getElementById('speicherstatus') || {}).textContent || ''`); said != "" {
			if !eval[bool](tb, `window.__notReloaded === true`) {
				tb.t.Fatal("the background save loaded the page anew")
			}
			return said
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.t.Fatalf("no announcement of the background save (page %s)", tb.path())
	return ""
}

// focusField puts the keyboard on the field with the id (Tab from the top)
// and types text into it.
func (tb *tab) fillField(id, text string) {
	tb.t.Helper()
	tb.do(chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`))
	tb.tabTo(id, func(f focused) bool { return f.ID == id })
	tb.typeText(text)
}

// value is the value of the input with the id ("revision": the form's
// revision field).
func (tb *tab) value(id string) string {
	tb.t.Helper()
	sel := "#" + id
	if id == "revision" {
		sel = "#fragebogen [name=revision]"
	}
	return eval[string](tb, fmt.Sprintf(`(document.querySelector(%q) || {}).value || ''`, sel))
}

// TestBrowserAutosave: two browsers edit the same Kommune's form. B saves
// a change; A saves in the background and gets B's value written into its
// page (no reload, the revision, status, "last saved" line, notice and
// live region updated); A saves again and B's value is kept. Messages of a
// background save appear at the fields and in the error summary, which
// gets focus and whose links lead to the fields; axe passes on each state.
// A conflict falls back to the full page of the conflict, and with
// JavaScript off the save is the full page as before.
func TestBrowserAutosave(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	const ags = "03241002" // Barsinghausen: no demo answers
	ta, tb := s.newTab(t, true), s.newTab(t, true)
	for _, b := range []*tab{ta, tb} {
		b.open(a.links[ags])
		if p := b.path(); p != "/fragebogen" {
			t.Fatalf("link led to %s", p)
		}
	}
	revA := ta.value("revision")
	if revA == "" || tb.value("revision") != revA {
		t.Fatalf("both browsers should start from one revision: %q, %q", revA, tb.value("revision"))
	}

	// B saves a phone number, a yes and a multiple choice that it makes
	// relevant.
	tb.fillField("f-kontakt_telefon", "0511 4711")
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => { document.getElementById('f-supervision_vorhanden-ja').click();
  document.getElementById('f-supervision_vorhanden_format-gruppe').click();
  document.getElementById('f-supervision_vorhanden_format-team').click(); })()`))
	tb.fillField("bearbeitung", "Ben")
	if said := tb.saveInBackground(); !strings.Contains(said, "Zwischengespeichert um") {
		t.Fatalf("B's background save announced %q", said)
	}

	// A, on the page from before B's save, saves a name in the background.
	ta.fillField("f-kontakt_name", "Anna Beispiel")
	ta.fillField("bearbeitung", "Anna")
	said := ta.saveInBackground()
	if !strings.Contains(said, "Zwischengespeichert um") {
		t.Errorf("A's background save announced %q", said)
	}
	if got := ta.value("f-kontakt_telefon"); got != "0511 4711" {
		t.Errorf("A's page shows phone %q after the background save, want B's 0511 4711 written into it", got)
	}
	if got := ta.formValues(); !slices.Equal(got["q.supervision_vorhanden"], []string{"ja"}) ||
		!slices.Equal(got["q.supervision_vorhanden_format"], []string{"gruppe", "team"}) {
		t.Errorf("A's page after the background save: supervision %v, format %v; want B's ja and gruppe, team",
			got["q.supervision_vorhanden"], got["q.supervision_vorhanden_format"])
	}
	if !ta.visible("frage-supervision_vorhanden_format") {
		t.Error("the question B's yes makes relevant is not shown on A's page")
	}
	if rev := ta.value("revision"); rev == revA || rev == "" {
		t.Errorf("A's revision stays %q", rev)
	}
	head := ta.text("dl.meta")
	if !strings.Contains(head, "in Bearbeitung") || !strings.Contains(head, "Zuletzt gespeichert") || !strings.Contains(head, "von Anna am") {
		t.Errorf("A's page head after the background save: %q", head)
	}
	if n := ta.text("#speicherhinweis"); !strings.Contains(n, "Zwischengespeichert um") {
		t.Errorf("A's notice: %q", n)
	}
	if role := eval[string](ta, `document.getElementById('speicherstatus').getAttribute('aria-live') + ' ' + document.getElementById('speicherstatus').getAttribute('role')`); role != "polite status" {
		t.Errorf("live region: %q", role)
	}
	if f := ta.active(); f.Value != "speichern" {
		t.Errorf("after a background save without messages focus is on %v, want the save button", f)
	}
	ta.check("Hintergrundspeicherung mit Wert der Kollegin")

	// A saves again: B's phone stays.
	ta.fillField("f-betreute_gu", "12")
	ta.saveInBackground()
	tb.open(a.base + "/fragebogen")
	vals := tb.formValues()
	if got := vals["q.kontakt_telefon"]; len(got) != 1 || got[0] != "0511 4711" {
		t.Errorf("after A's second save the phone is %v, want B's 0511 4711 kept", got)
	}
	if got := vals["q.supervision_vorhanden_format"]; !slices.Equal(got, []string{"gruppe", "team"}) {
		t.Errorf("after A's second save the format is %v, want B's gruppe, team kept", got)
	}
	if got := vals["q.kontakt_name"]; len(got) != 1 || got[0] != "Anna Beispiel" {
		t.Errorf("A's name not stored: %v", got)
	}
	if got := vals["q.betreute_gu"]; len(got) != 1 || got[0] != "12" {
		t.Errorf("A's number not stored: %v", got)
	}

	// Messages of a background save: at the field, in the summary with
	// focus, and its link leads to the field.
	const msg = "Bitte eine ganze Zahl eingeben"
	ta.fillField("f-betreute_gu", "zwölf")
	if said := ta.saveInBackground(); !strings.Contains(said, "Aufmerksamkeit") {
		t.Errorf("background save with a wrong number announced %q", said)
	}
	if f := ta.active(); f.ID != "fehlerliste" {
		t.Errorf("after a background save with messages focus is on %v, want the error summary", f)
	}
	if sum := ta.text("#fehlerliste"); !strings.Contains(sum, "Betreute Geflüchtete") {
		t.Errorf("error summary %q", sum)
	}
	msgText := ta.text("#fehler-betreute_gu")
	if !strings.Contains(msgText, msg) {
		t.Errorf("message at the field: %q, want %q", msgText, msg)
	}
	ta.requireErrorsDescribed(map[string]string{"f-betreute_gu": msgText})
	ta.check("Hintergrundspeicherung mit Meldung")
	if f := ta.next(); !strings.HasSuffix(f.Href, "#f-betreute_gu") {
		t.Fatalf("first stop after the summary is %v, want its link to the field", f)
	}
	ta.press(kb.Enter)
	if f := ta.active(); f.ID != "f-betreute_gu" {
		t.Fatalf("the summary link left focus on %v, want the field", f)
	}
	ta.typeText("13")
	ta.saveInBackground()
	if ta.exists("#fehlerliste") || ta.exists("#fehler-betreute_gu") || ta.exists(".has-error") || ta.exists("[aria-invalid]") {
		t.Error("messages still shown after the correction was saved")
	}

	// A conflict: both change the number; B's background save falls back
	// to the full page that asks which value counts and keeps B's.
	tb.fillField("f-betreute_gu", "77")
	ta.fillField("f-betreute_gu", "66")
	ta.saveInBackground()
	tb.tabTo("Zwischenspeichern", isButton("speichern"))
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(" ")))
	cancel()
	if err != nil {
		t.Fatalf("B's save in conflict did not load the full page: %v", err)
	}
	if !tb.exists("input[name=konflikte]") || !strings.Contains(tb.text("main"), "77") || !strings.Contains(tb.text("main"), "66") {
		t.Errorf("B's conflict page: %.400s", tb.text("main"))
	}
	tb.check("Konflikt nach Hintergrundspeicherung")

	// JavaScript off: the save is the full page, as before.
	tc := s.newTab(t, true)
	tc.disableScript()
	tc.open(a.links[ags])
	tc.fillField("f-kontakt_funktion", "Leitung")
	tc.tabTo("Zwischenspeichern", isButton("speichern"))
	tc.pressAndLoad(" ")
	if n := tc.text(".notice"); !strings.Contains(n, "Zwischengespeichert") || tc.exists("#speicherstatus") {
		t.Errorf("without JavaScript: notice %q, live region present %v", n, tc.exists("#speicherstatus"))
	}
}
