//go:build browser

package main

// The results released to the Kommunen in a real browser (issue 22): the
// staff's release by keyboard through its confirmation, the preview, the
// Kommune's page and print view reached by keyboard, in German and
// English, each checked by axe-core, for reflow and for requests to
// other origins; the print view on at most two A4 pages (Chromium's
// print to PDF); the page without JavaScript.
//
//	go test -tags browser ./cmd/bedarf/ -run TestBrowserResults

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// resultsPrintPages is the most pages the print view may take.
const resultsPrintPages = 2

func TestBrowserResults(t *testing.T) {
	s := newSuite(t, startApp(t))
	a := s.app
	st := s.newTab(t, false)
	st.open(a.login)
	st.signInByKeyboard(a)

	// Release by keyboard: the options, the confirmation, the release.
	st.open(a.base + "/verwaltung/runden/1/ergebnisse")
	st.check("Freigabe der Ergebnisse")
	st.tabTo("the minimum group field", func(f focused) bool { return f.ID == "r-mindestgruppe" })
	st.press(kb.End)
	st.press(kb.Backspace)
	st.typeText("6")
	st.tabTo("the continue button", func(f focused) bool { return f.Tag == "button" && strings.Contains(f.Text, "Weiter zur Bestätigung") })
	st.pressAndLoad(kb.Enter)
	if p := st.path(); !strings.HasPrefix(p, "/verwaltung/runden/1/ergebnisse/freigeben") {
		t.Fatalf("the continue button led to %s", p)
	}
	st.check("Freigabe bestätigen")
	st.tabTo("the release button", func(f focused) bool { return f.Tag == "button" && strings.Contains(f.Text, "Jetzt freigeben") })
	st.pressAndLoad(kb.Enter)
	if text := st.text("#freigabe-stand"); !strings.Contains(text, "Freigegeben am") || !strings.Contains(text, "6 Kommunen") {
		t.Fatalf("after the release the page says %q", trim(text, 200))
	}
	st.check("Ergebnisse freigegeben")
	st.open(a.base + "/verwaltung/runden/1/ergebnisse/zuruecknehmen")
	st.check("Freigabe zurücknehmen: Bestätigung")

	// The preview of one Kommune, by keyboard from the release page.
	st.open(a.base + "/verwaltung/runden/1/ergebnisse")
	st.tabTo("the preview button", func(f focused) bool { return f.Tag == "button" && strings.Contains(f.Text, "Vorschau zeigen") })
	st.pressAndLoad(kb.Enter)
	if p := st.path(); !strings.HasPrefix(p, "/verwaltung/runden/1/ergebnisse/vorschau/") {
		t.Fatalf("the preview button led to %s", p)
	}
	st.check("Vorschau der Ergebnisse")
	st.open(a.base + st.path() + "/druck")
	st.check("Vorschau der Druckansicht")

	// The Kommune: from its form to its results by keyboard.
	for _, ags := range []string{"03241001", "03241011"} {
		k := s.newTab(t, true)
		k.open(a.links[ags])
		k.tabTo("the results link", func(f focused) bool { return f.Tag == "a" && strings.HasSuffix(f.Href, "/ergebnisse") })
		k.pressAndLoad(kb.Enter)
		if p := k.path(); p != "/ergebnisse" {
			t.Fatalf("%s: the results link led to %s", a.names[ags], p)
		}
		k.check("Ihre Ergebnisse " + a.names[ags])
		if readme := os.Getenv("BEDARF_README_SCREENSHOTS"); readme != "" && ags == "03241001" {
			eval[chromedp.Void](k, `window.scrollTo(0, document.getElementById('kennzahlen').getBoundingClientRect().top + window.scrollY - 16)`)
			k.readmeShot(filepath.Join(readme, "ergebnisse.png"))
		}
		if n := eval[int](k, `[...document.querySelectorAll('main img')].filter(i => !(i.complete && i.naturalWidth > 0)).length`); n > 0 {
			t.Errorf("%s: %d charts not loaded", a.names[ags], n)
		}
		if n := eval[int](k, `document.querySelectorAll('.report-figure img').length`); n < 3 {
			t.Errorf("%s: %d charts, want one per compared figure", a.names[ags], n)
		}
		k.tabTo("the print view link", func(f focused) bool { return f.Tag == "a" && strings.HasSuffix(f.Href, "/ergebnisse/druck") })
		k.pressAndLoad(kb.Enter)
		k.check("Druckansicht " + a.names[ags])
		if n := pdfPages(k.printPDF()); n < 1 || n > resultsPrintPages {
			t.Errorf("%s: the print view prints on %d pages, want at most %d", a.names[ags], n, resultsPrintPages)
		}

		// English, switched on the page itself.
		k.tabTo("the switch to English", isButton("en"))
		k.pressAndLoad(kb.Enter)
		requireLang(k, "en")
		if h := k.text("h1"); !strings.HasPrefix(h, "Your results") {
			t.Errorf("%s: English print view heading %q", a.names[ags], h)
		}
		k.check("English print view " + a.names[ags])
		if n := pdfPages(k.printPDF()); n < 1 || n > resultsPrintPages {
			t.Errorf("%s: the English print view prints on %d pages, want at most %d", a.names[ags], n, resultsPrintPages)
		}
		k.open(a.base + "/ergebnisse")
		k.check("English results " + a.names[ags])
	}

	// Without JavaScript the page is whole: figures, charts, tables.
	nojs := s.newTab(t, true)
	nojs.disableScript()
	nojs.open(a.links["03241001"])
	nojs.open(a.base + "/ergebnisse")
	if n := eval[int](nojs, `document.querySelectorAll('.report-figure table').length`); n < 8 {
		t.Errorf("without JavaScript: %d figure tables", n)
	}

	// The staff's pages in English.
	st.tabTo("the switch to English", isButton("en"))
	st.pressAndLoad(kb.Enter)
	for _, p := range []string{"/verwaltung/runden/1/ergebnisse", "/verwaltung/runden/1/ergebnisse/freigeben?mindestgruppe=5",
		"/verwaltung/runden/1/ergebnisse/vorschau/03241001", "/verwaltung/runden/1/ergebnisse/vorschau/03241001/druck"} {
		st.openEnglish(p)
	}
}
