//go:build browser

package main

// The invitation letters in print: Chromium's print to PDF (A4, default
// margins) of one letter gives one page, and of the bundle of all the
// demo's Kommunen one page per Kommune.
//
//	go test -tags browser ./cmd/bedarf/ -run TestBrowserLetters

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfPageRE matches a PDF page object ("/Type /Page"), not the page tree
// ("/Type /Pages").
var pdfPageRE = regexp.MustCompile(`/Type\s*/Page([^s]|$)`)

// letterPageMM is the height of an A4 page less the print style's margins
// (1.7 cm top, 1.5 cm bottom); a letter leaves at least letterSpareMM of
// it free, for a longer Kommune name, round title or sender.
const (
	letterPageMM  = 297 - 17 - 15
	letterSpareMM = 15
)

// pdfPages counts the page objects of a PDF.
func pdfPages(pdf []byte) int { return len(pdfPageRE.FindAll(pdf, -1)) }

// printPDF prints the open page to PDF as Chromium's "Save as PDF" does on
// A4 paper with the default margins.
func (tb *tab) printPDF() []byte {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 210 / 25.4, PaperHeight: 297 / 25.4})
	pdf := res.Data
	if err != nil {
		tb.t.Fatalf("print to PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		tb.t.Fatalf("print to PDF gave no PDF: %.20q", pdf)
	}
	return pdf
}

func TestBrowserLetters(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	p := s.newTab(t, false)
	p.open(a.login)
	p.signInByKeyboard(a)

	// The page counter bites: a page and a page tree are told apart.
	if n := pdfPages([]byte("<< /Type /Pages /Kids [3 0 R 4 0 R] >> << /Type /Page >> << /Type/Page/Parent 2 0 R >>")); n != 2 {
		t.Fatalf("pdfPages counted %d pages, want 2", n)
	}

	for _, ags := range []string{"03241001", "03241011"} {
		p.open(a.base + "/verwaltung/runden/1/kommunen/" + ags + "/einladung")
		if n := pdfPages(p.printPDF()); n != 1 {
			t.Errorf("the letter to %s prints on %d pages, want 1", a.names[ags], n)
		}
		// The room left on the page, measured in print media at the width
		// of the page's text (A4 less the margins of the print style).
		p.emulateMedia("print")
		p.do(chromedp.EmulateViewport(624, 900))
		mm := eval[float64](p, `document.querySelector('article.letter').getBoundingClientRect().height * 25.4 / 96`)
		p.emulateMedia("")
		p.do(chromedp.EmulateViewport(1280, 900))
		t.Logf("the letter to %s is %.0f mm high; the page has %d mm", a.names[ags], mm, letterPageMM)
		if mm > letterPageMM-letterSpareMM {
			t.Errorf("the letter to %s is %.0f mm high: less than %d mm spare on the page (%d mm) for longer names and titles", a.names[ags], mm, letterSpareMM, letterPageMM)
		}
	}

	p.open(a.base + "/verwaltung/runden/1/einladungen")
	p.check("Einladungsbriefe aller Kommunen")
	if n := eval[int](p, `document.querySelectorAll('article.letter').length`); n != len(a.links) {
		t.Errorf("the bundle shows %d letters, want %d", n, len(a.links))
	}
	if n := pdfPages(p.printPDF()); n != len(a.links) {
		t.Errorf("the bundle of %d letters prints on %d pages, want one page each", len(a.links), n)
	}
}
