//go:build browser

package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAuditFitsAt1280: at 1280 px the audit log's table fits the
// page: neither the page nor the table's own scrolling box scrolls sideways.
func TestBrowserAuditFitsAt1280(t *testing.T) {
	a := startApp(t)
	s := newSuite(t, a)
	p := s.newTab(t, false)
	p.open(a.base + "/anmelden")
	p.signInByKeyboard(s.app)
	p.do(chromedp.EmulateViewport(1280, 900))
	p.open(a.base + "/verwaltung/protokoll")
	if n := eval[int64](p, `document.querySelectorAll('table.data tbody tr').length`); n < 5 {
		t.Fatalf("only %d audit entries to measure", n)
	}
	if sw := eval[int64](p, `Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)`); sw > 1280 {
		t.Errorf("audit log at 1280 px is %d px wide", sw)
	}
	table := eval[int64](p, `document.querySelector('table.data').scrollWidth`)
	box := eval[int64](p, `document.querySelector('.table-scroll').clientWidth`)
	if table > box {
		t.Errorf("audit table is %d px wide in a box of %d px: it scrolls sideways at 1280 px", table, box)
	}
}
