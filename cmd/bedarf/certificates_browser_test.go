//go:build browser

package main

// The attendance certificates in the browser: reached from the demo's
// past training day's participant list, they pass axe-core, the network
// log and the reflow checks in German and English, and print with
// Chromium's print to PDF (A4) on one page each, for one participant and
// for all of the date.
//
//	go test -tags browser ./cmd/bedarf/ -run TestBrowserCertificates

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// certificateSpareMM is the room a certificate leaves on its page (A4 less
// the print style's margins: 2 cm top, 1.8 cm bottom), for longer names,
// titles, content texts and addresses.
const (
	certificatePageMM  = 297 - 20 - 18
	certificateSpareMM = 20
)

func TestBrowserCertificates(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	p := s.newTab(t, false)
	p.open(a.login)
	p.signInByKeyboard(a)

	// The first training offer's first date is the demo's past day.
	p.open(a.base + "/verwaltung/runden/1/angebote")
	offer := eval[string](p, `document.querySelector('#fortbildungen').parentElement.querySelector('tbody a').getAttribute('href')`)
	p.open(a.base + offer)
	p.open(a.base + eval[string](p, `document.querySelector('#termine').parentElement.querySelector('tbody a').getAttribute('href')`))
	if !p.exists(`a[href$="/bescheinigungen"]`) {
		t.Fatalf("the past day's list %s has no link to its certificates", p.path())
	}
	// By keyboard from the list to all certificates of the date.
	p.tabTo("the certificates link", func(f focused) bool { return strings.HasSuffix(f.Href, "/bescheinigungen") })
	p.pressAndLoad(kb.Enter)
	if !strings.HasSuffix(p.path(), "/bescheinigungen") {
		t.Fatalf("the link led to %s", p.path())
	}
	n := eval[int](p, `document.querySelectorAll('article.certificate').length`)
	if n < 2 {
		t.Fatalf("%d certificates on the page of the date, want several", n)
	}
	p.check("Teilnahmebescheinigungen eines Termins")
	if got := pdfPages(p.printPDF()); got != n {
		t.Errorf("%d certificates print on %d pages, want one page each", n, got)
	}
	one := eval[string](p, `document.querySelector('article.certificate a').getAttribute('href')`)

	p.open(a.base + one)
	if h := p.text("h2"); h != "Teilnahmebescheinigung" {
		t.Errorf("heading %q", h)
	}
	p.check("Teilnahmebescheinigung")
	if got := pdfPages(p.printPDF()); got != 1 {
		t.Errorf("one certificate prints on %d pages, want 1", got)
	}
	// The room left on the page, measured in print media at the width of
	// the page's text (A4 less the margins: 16.5 cm, 624 px).
	p.emulateMedia("print")
	p.do(chromedp.EmulateViewport(624, 900))
	mm := eval[float64](p, `document.querySelector('article.certificate').getBoundingClientRect().height * 25.4 / 96`)
	p.emulateMedia("")
	p.do(chromedp.EmulateViewport(1280, 900))
	t.Logf("a certificate is %.0f mm high; the page has %d mm", mm, certificatePageMM)
	if mm > certificatePageMM-certificateSpareMM {
		t.Errorf("a certificate is %.0f mm high: less than %d mm spare on the page (%d mm)", mm, certificateSpareMM, certificatePageMM)
	}

	p.tabTo("the switch to English", isButton("en"))
	p.pressAndLoad(kb.Enter)
	requireLang(p, "en")
	if h := p.text("h2"); h != "Certificate of attendance" {
		t.Errorf("English heading %q", h)
	}
	if !strings.Contains(p.text("article.certificate"), "The asylum procedure") {
		t.Errorf("the English certificate lacks the English content")
	}
	p.check("Teilnahmebescheinigung englisch")
	if got := pdfPages(p.printPDF()); got != 1 {
		t.Errorf("the English certificate prints on %d pages, want 1", got)
	}
	p.open(a.base + strings.TrimSuffix(one, one[strings.LastIndex(one, "/"):]))
	requireLang(p, "en")
	p.check("Teilnahmebescheinigungen eines Termins englisch")
	if got := pdfPages(p.printPDF()); got != n {
		t.Errorf("%d English certificates print on %d pages, want one page each", n, got)
	}
}
