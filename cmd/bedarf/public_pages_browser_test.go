//go:build browser

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestBrowserPublicPages: the legal pages (reached by keyboard from the
// footer), the blank questionnaire and the printable receipt pass axe-core,
// the network log and the reflow checks; the blank questionnaire and the
// receipt print without header, navigation and footer.
func TestBrowserPublicPages(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	p := s.newTab(t, false)
	p.open(a.base + "/")
	for _, c := range []struct{ path, title string }{
		{"/barrierefreiheit", "Erklärung zur Barrierefreiheit"},
		{"/datenschutz", "Datenschutzhinweise"},
		{"/impressum", "Impressum"},
	} {
		p.tabTo("the footer link to "+c.path, func(f focused) bool { return strings.HasSuffix(f.Href, c.path) })
		p.pressAndLoad(kb.Enter)
		if got := p.text("h1"); got != c.title {
			t.Errorf("%s: heading %q, want %q", c.path, got, c.title)
		}
		p.check(c.title)
	}

	k := s.newTab(t, true)
	k.open(a.links["03241008"]) // Isernhagen: no demo answer
	k.tabTo("the blank questionnaire", func(f focused) bool { return strings.HasSuffix(f.Href, "/fragebogen/leer") })
	k.pressAndLoad(kb.Enter)
	if p := k.path(); p != "/fragebogen/leer" {
		t.Fatalf("the link led to %s", p)
	}
	k.check("Leerer Fragebogen")
	requirePrintedWithout(k, ".blank-question")

	// Submit a complete answer (filled in by script: the keyboard journey is
	// TestBrowserJourneys'), then open the printable receipt.
	k.open(a.base + "/fragebogen")
	plan, _ := json.Marshal(kommunePlan)
	eval[bool](k, `(() => { const plan = `+string(plan)+`;
  for (const [name, values] of Object.entries(plan)) {
    for (const el of document.getElementsByName(name)) {
      if (el.type === 'radio' || el.type === 'checkbox') { el.checked = values.includes(el.value); }
      else { el.value = values[0]; }
      el.dispatchEvent(new Event('change', {bubbles: true}));
    }
  }
  return true; })()`)
	k.tabTo("Absenden", isButton("absenden"))
	k.pressAndLoad(kb.Enter)
	if p := k.path(); p != "/fragebogen?eingereicht=1" {
		t.Fatalf("submit ended on %s: %s", p, trim(k.text("#fehlerliste"), 300))
	}
	k.tabTo("the printable receipt", func(f focused) bool { return strings.HasSuffix(f.Href, "/fragebogen/eingangsbestaetigung") })
	k.pressAndLoad(kb.Enter)
	main := k.text("main")
	for _, want := range []string{"Eingangsbestätigung", "Isernhagen", "Eingegangen am", "Beantwortete Fragen je Abschnitt", "Insgesamt"} {
		if !strings.Contains(main, want) {
			t.Errorf("receipt lacks %q", want)
		}
	}
	k.check("Eingangsbestätigung")
	requirePrintedWithout(k, ".receipt-table")
}

// requirePrintedWithout emulates print media: header, navigation, footer
// and the page's hints are hidden, the element sel is printed.
func requirePrintedWithout(tb *tab, sel string) {
	tb.t.Helper()
	tb.emulateMedia("print")
	defer tb.emulateMedia("")
	ok := eval[map[string]bool](tb, `(() => {
  const gone = sel => [...document.querySelectorAll(sel)].every(e => e.getClientRects().length === 0);
  const shown = sel => [...document.querySelectorAll(sel)].some(e => e.getClientRects().length > 0);
  return {'header gone': gone('header.site'), 'nav gone': gone('nav'), 'footer gone': gone('footer.site'),
    'hints gone': gone('.print-hint'), 'content printed': shown('`+sel+`')}; })()`)
	for what, yes := range ok {
		if !yes {
			tb.t.Errorf("print %s: not %s", tb.path(), what)
		}
	}
}
