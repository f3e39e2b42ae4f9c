//go:build browser

package main

import (
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
	_ "modernc.org/sqlite"
)

// TestBrowserFeedback: the feedback page — the code step, a forged code's
// refusal, the form and the thanks — passes axe-core, the network log and
// the reflow checks in German and English, answered by keyboard (the page
// has no script of its own; TestFeedbackOverHTTP posts it as a browser
// without script would). The codes are put in the database as the store keeps them (the
// hash of the code with its date).
func TestBrowserFeedback(t *testing.T) {
	a := startApp(t)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(filepath.Dir(a.stderr.Name()), "demo.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var dateID int64
	if err := db.QueryRow(`SELECT d.id FROM offer_dates d JOIN offers o ON o.id = d.offer_id WHERE o.kind = 'training' ORDER BY d.id LIMIT 1`).Scan(&dateID); err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{"de": "7KQ2-MX9D-4TRB", "en": "8KQ2-MX9D-4TRB"}
	for _, c := range codes {
		h := sha256.Sum256([]byte("bedarf-feedback:" + strings.ReplaceAll(c, "-", "")))
		if _, err := db.Exec("INSERT INTO feedback_tokens (hash, date_id) VALUES (?, ?)", h[:], dateID); err != nil {
			t.Fatal(err)
		}
	}
	s := newSuite(t, a)
	for _, lang := range []string{"de", "en"} {
		p := s.newTab(t, true)
		p.open(a.base + "/feedback")
		if lang == "en" {
			p.tabTo("the switch to English", isButton("en"))
			p.pressAndLoad(kb.Enter)
			requireLang(p, "en")
		}
		p.check("feedback code " + lang)
		// A forged code: refused clearly, the code kept.
		p.tabTo("the code field", func(f focused) bool { return f.ID == "code" })
		p.typeText("0000-0000-0000")
		p.pressAndLoad(kb.Enter)
		if !strings.Contains(p.text("#feedback-fehler"), map[string]string{"de": "Diesen Code gibt es nicht", "en": "This code does not exist"}[lang]) {
			t.Errorf("%s: forged code: %q", lang, p.text("main"))
		}
		p.check("feedback forged code " + lang)
		p.tabTo("the code field", func(f focused) bool { return f.ID == "code" })
		p.press(kb.End)
		for range 14 {
			p.press(kb.Backspace)
		}
		p.typeText(strings.ToLower(codes[lang]))
		p.pressAndLoad(kb.Enter)
		p.check("feedback form " + lang)
		if readme := os.Getenv("BEDARF_README_SCREENSHOTS"); readme != "" && lang == "de" {
			p.readmeShot(filepath.Join(readme, "feedback.png"))
		}
		// The first scale by keyboard: tab to its first choice, choose it.
		p.tabTo("the first answer", func(f focused) bool { return f.Name == "q.nutzen" })
		p.press(" ")
		p.tabTo("send", isButton("1"))
		p.pressAndLoad(kb.Enter)
		if !strings.Contains(p.text("main"), map[string]string{"de": "Vielen Dank", "en": "Thank you"}[lang]) {
			t.Errorf("%s: after sending: %q", lang, p.text("main"))
		}
		p.check("feedback thanks " + lang)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM feedback_responses").Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d feedbacks stored (%v), want 2", n, err)
	}
}
