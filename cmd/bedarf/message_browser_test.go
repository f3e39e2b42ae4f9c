//go:build browser

package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
	_ "modernc.org/sqlite"
)

// TestBrowserDateMessage: an admin writes a message to the participants of
// the demo's full training date by keyboard — the participant list with
// the form, the preview and, in German, the list after sending — and each
// page passes axe-core, the network log and the reflow checks in German
// and English.
func TestBrowserDateMessage(t *testing.T) {
	a := startApp(t)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(filepath.Dir(a.stderr.Name()), "demo.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var round, date int64
	if err := db.QueryRow(`SELECT o.round_id, d.id FROM offer_dates d JOIN offers o ON o.id = d.offer_id
		WHERE o.kind = 'training' AND d.status = 'scheduled' AND d.starts_at > ?
		AND EXISTS (SELECT 1 FROM bookings b WHERE b.date_id = d.id AND b.status = 'booked') ORDER BY d.starts_at LIMIT 1`,
		time.Now().UTC().Format(time.RFC3339)).Scan(&round, &date); err != nil {
		t.Fatal(err)
	}
	s := newSuite(t, a)
	p := s.newTab(t, false)
	p.open(a.base + "/anmelden")
	p.signInByKeyboard(s.app)
	list := fmt.Sprintf("%s/verwaltung/runden/%d/termine/%d", a.base, round, date)
	for _, lang := range []string{"en", "de"} {
		p.open(list)
		if lang == "en" {
			p.tabTo("the switch to English", isButton("en"))
			p.pressAndLoad(kb.Enter)
			requireLang(p, "en")
		} else if eval[string](p, `document.documentElement.lang`) != "de" {
			p.tabTo("the switch to German", isButton("de"))
			p.pressAndLoad(kb.Enter)
			requireLang(p, "de")
		}
		p.check("participant list with the message form " + lang)
		p.tabTo("the subject", func(f focused) bool { return f.ID == "m-betreff" })
		p.typeText("Raum 112 statt 110")
		p.press(kb.Tab)
		p.typeText("Bitte kommen Sie in Raum 112.")
		p.tabTo("the preview button", isButton("vorschau"))
		p.pressAndLoad(kb.Enter)
		if main := p.text("main"); !strings.Contains(main, "Raum 112 statt 110") || !strings.Contains(main, "Bitte kommen Sie in Raum 112.") {
			t.Fatalf("%s: preview: %s", lang, trim(main, 600))
		}
		p.check("message preview " + lang)
	}
	p.tabTo("the send button", isButton("senden"))
	p.pressAndLoad(kb.Enter)
	if note := p.text("main"); !strings.Contains(note, "in die Warteschlange gestellt") {
		t.Errorf("after sending: %s", trim(note, 400))
	}
	p.check("participant list after the message de")
	var n int
	if err := db.QueryRow("SELECT count(*) FROM offer_mails WHERE kind = 'message' AND date_id = ?", date).Scan(&n); err != nil || n == 0 {
		t.Errorf("%d message mails queued (%v)", n, err)
	}
}
