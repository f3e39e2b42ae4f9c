//go:build browser

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserBooking: a Kommune reaches "Angebote buchen" from the
// questionnaire by keyboard, books a participant with the keyboard alone,
// gets a refusal with the typed values kept and the field marked, and the
// page passes axe-core, the network log and the reflow checks in German
// and English.
func TestBrowserBooking(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	k := s.newTab(t, true)
	k.open(a.links["03241008"])
	k.tabTo("the booking page", func(f focused) bool { return strings.HasSuffix(f.Href, "/angebote") })
	k.pressAndLoad(kb.Enter)
	if p := k.path(); p != "/angebote" {
		t.Fatalf("the link led to %s", p)
	}
	if h := k.text("h1"); h != "Angebote buchen" {
		t.Errorf("heading %q", h)
	}
	k.check("Angebote buchen")

	book := func(name, email string) {
		t.Helper()
		k.tabTo("a name field", func(f focused) bool { return f.Name == "name" })
		k.typeText(name)
		k.press(kb.Tab)
		k.typeText("Sozialamt")
		k.press(kb.Tab)
		k.typeText(email)
		k.tabTo("the book button", func(f focused) bool { return f.Tag == "button" && (f.Text == "Anmelden" || f.Text == "Book") })
		k.pressAndLoad(kb.Enter)
	}
	// A refused address: the values come back, the field is marked.
	book("Kim Tastatur", "kim at example")
	main := k.text("main")
	if !strings.Contains(main, "kim at example") && !strings.Contains(eval[string](k, `[...document.querySelectorAll('input[name=email]')].map(e => e.value).join('|')`), "kim at example") {
		t.Errorf("the refused address is not shown again")
	}
	if n := eval[int](k, `document.querySelectorAll('[aria-invalid=true]').length`); n != 1 {
		t.Errorf("%d fields marked invalid, want 1", n)
	}
	k.check("Angebote buchen mit Fehler")
	k.open(a.base + "/angebote")
	book("Kim Tastatur", "kim@example.org")
	if note := k.text("main"); !strings.Contains(note, "Kim Tastatur") ||
		!(strings.Contains(note, "Die Anmeldung ist gebucht") || strings.Contains(note, "Warteliste")) {
		t.Errorf("after booking: %s", trim(note, 400))
	}
	k.check("Angebote buchen, gebucht")
	if readme := os.Getenv("BEDARF_README_SCREENSHOTS"); readme != "" {
		eval[chromedp.Void](k, `window.scrollTo(0, 0)`)
		k.readmeShot(filepath.Join(readme, "buchen.png"))
	}

	k.tabTo("the switch to English", isButton("en"))
	k.pressAndLoad(kb.Enter)
	requireLang(k, "en")
	if h := k.text("h1"); h != "Book offers" {
		t.Errorf("English heading %q", h)
	}
	k.check("Angebote buchen englisch")
}
