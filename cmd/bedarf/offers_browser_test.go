//go:build browser

package main

// The staff's pages of issue 20 in a real browser: the offers list and an
// offer's page (seats moved to another group by keyboard), the providers
// (a refused fee kept in its field), a date's participant list with
// attendance marked by keyboard, the uptake page and the feedback
// overview with its confirmation; each in German and English, checked by
// axe-core, for reflow and for requests to other origins.
//
//	go test -tags browser ./cmd/bedarf/ -run TestBrowserOffers
//
// With BEDARF_README_SCREENSHOTS set, it also takes the README's pictures
// of the loop (angebote.png, anwesenheit.png, umsetzung.png).

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	_ "modernc.org/sqlite"
)

// checkNarrow runs check and, at 320 px, axe-core once more: a table
// that scrolls sideways only there must be reachable by keyboard too
// (scrollable-region-focusable).
func (tb *tab) checkNarrow(name string) {
	tb.t.Helper()
	tb.check(name)
	tb.do(chromedp.EmulateViewport(320, 640))
	for _, p := range tb.axe(name + " at 320 px") {
		tb.t.Errorf("%s at 320 px (%s): %s", name, tb.path(), p)
	}
	tb.do(chromedp.EmulateViewport(1280, 900))
}

func TestBrowserOffers(t *testing.T) {
	s := newSuite(t, startApp(t))
	a := s.app
	readme := os.Getenv("BEDARF_README_SCREENSHOTS")
	st := s.newTab(t, false)
	st.open(a.login)
	st.signInByKeyboard(a)

	// From the plan to the offers by keyboard.
	st.open(a.base + "/verwaltung/runden/1/plan")
	st.tabTo("the offers link", func(f focused) bool {
		return f.Tag == "a" && strings.HasSuffix(f.Href, "/verwaltung/runden/1/angebote")
	})
	st.pressAndLoad(kb.Enter)
	if p := st.path(); p != "/verwaltung/runden/1/angebote" {
		t.Fatalf("the offers link led to %s", p)
	}
	st.checkNarrow("Angebote")
	if readme != "" {
		eval[chromedp.Void](st, `window.scrollTo(0, document.getElementById('vergleich').getBoundingClientRect().top + window.scrollY - 16)`)
		st.readmeShot(filepath.Join(readme, "angebote.png"))
	}
	groups := eval[[]string](st, `[...document.querySelectorAll('#gruppen ~ div a, section[aria-labelledby=gruppen] tbody a')].map(a => a.getAttribute('href'))`)
	trainings := eval[[]string](st, `[...document.querySelectorAll('section[aria-labelledby=fortbildungen] tbody a')].map(a => a.getAttribute('href'))`)
	if len(groups) < 3 || len(trainings) < 1 {
		t.Fatalf("offers page lists %d groups and %d trainings", len(groups), len(trainings))
	}

	// A draft group: one seat moved to another group with the keyboard.
	group := groups[1]
	st.open(a.base + group)
	st.checkNarrow("Angebot Gruppe")
	seats := func() int {
		return eval[int](st, `(() => { const c = document.querySelector('section[aria-labelledby=mitglieder] tfoot td'); return c ? parseInt(c.textContent, 10) : -1; })()`)
	}
	before := seats()
	st.tabTo("the Kommune to move", func(f focused) bool { return f.ID == "m-kommune" })
	st.tabTo("the seats field", func(f focused) bool { return f.ID == "m-plaetze" })
	st.typeText("1")
	st.tabTo("the target group", func(f focused) bool { return f.ID == "m-nach" })
	st.tabTo("the move button", func(f focused) bool { return f.Tag == "button" && f.Text == "Verschieben" })
	st.pressAndLoad(kb.Enter)
	if p := st.path(); p != group {
		t.Errorf("after moving a seat the page is %s, want %s", p, group)
	}
	if after := seats(); after != before-1 {
		t.Errorf("after moving one seat the group has %d seats, had %d", after, before)
	}
	st.checkNarrow("Angebot Gruppe nach dem Verschieben")
	// A refused move (more seats than the Kommune has): the typed number
	// comes back.
	st.tabTo("the seats field", func(f focused) bool { return f.ID == "m-plaetze" })
	st.typeText("999")
	st.tabTo("the move button", func(f focused) bool { return f.Tag == "button" && f.Text == "Verschieben" })
	st.pressAndLoad(kb.Enter)
	if v := eval[string](st, `(document.getElementById('m-plaetze') || {}).value || ''`); v != "999" {
		t.Errorf("refused move: the seats field holds %q, want 999 (%s)", v, trim(st.text("main"), 300))
	}
	st.checkNarrow("Angebot Gruppe, Verschieben abgelehnt")

	// A training: its page, and the past date's participant list.
	st.open(a.base + trainings[0])
	st.checkNarrow("Angebot Fortbildung")
	dates := eval[[]string](st, `[...document.querySelectorAll('section[aria-labelledby=termine] tbody a')].map(a => a.getAttribute('href'))`)
	if len(dates) == 0 {
		t.Fatalf("the first training has no dates")
	}
	st.tabTo("the first date's list", func(f focused) bool { return f.Tag == "a" && strings.HasSuffix(f.Href, dates[0]) })
	st.pressAndLoad(kb.Enter)
	roster := st.path()
	if !regexp.MustCompile(`^/verwaltung/runden/1/termine/\d+$`).MatchString(roster) {
		t.Fatalf("the date link led to %s", roster)
	}
	// The demo's past date has no bookings (a date that has begun takes
	// none): its participants are put in the database as booking them
	// before the day would have left them, one already marked present.
	seedPastDate(t, a, roster[strings.LastIndexByte(roster, '/')+1:])
	st.open(a.base + roster)
	st.checkNarrow("Teilnahmeliste")
	// Attendance by keyboard: the first participant's box toggled with
	// the space bar, saved with Enter (the demo has marked some present).
	counts := st.text("#teilnahme-zahlen")
	present := eval[int](st, `document.querySelectorAll('input[name=anwesend]:checked').length`)
	first := st.tabTo("the first participant's box", func(f focused) bool { return f.Name == "anwesend" })
	st.press(" ")
	st.requireFocusVisible()
	st.tabTo("the save button", func(f focused) bool { return f.Tag == "button" && f.Text == "Anwesenheit speichern" })
	st.pressAndLoad(kb.Enter)
	want := present + 1
	if first.Checked {
		want = present - 1
	}
	if n := eval[int](st, `document.querySelectorAll('input[name=anwesend]:checked').length`); n != want {
		t.Errorf("after toggling the first box: %d present, want %d", n, want)
	}
	if c := st.text("#teilnahme-zahlen"); c == counts {
		t.Errorf("the counts did not change: %q", c)
	}
	st.checkNarrow("Teilnahmeliste nach dem Speichern")
	// A group session's list (not yet begun).
	st.open(a.base + groups[0])
	if d := eval[[]string](st, `[...document.querySelectorAll('section[aria-labelledby=termine] tbody a')].map(a => a.getAttribute('href'))`); len(d) > 0 {
		st.open(a.base + d[0])
		st.checkNarrow("Teilnahmeliste Gruppe")
		if readme != "" { // the demo's own participants
			st.readmeShot(filepath.Join(readme, "anwesenheit.png"))
		}
	} else {
		t.Errorf("the first group has no dated session")
	}

	// Uptake, reached from the round's dashboard by keyboard.
	st.open(a.base + "/verwaltung/runden/1")
	st.tabTo("the uptake link", func(f focused) bool {
		return f.Tag == "a" && strings.HasSuffix(f.Href, "/verwaltung/runden/1/umsetzung")
	})
	st.pressAndLoad(kb.Enter)
	if p := st.path(); p != "/verwaltung/runden/1/umsetzung" {
		t.Fatalf("the uptake link led to %s", p)
	}
	st.checkNarrow("Umsetzung")
	if readme != "" {
		st.readmeShot(filepath.Join(readme, "umsetzung.png"))
	}

	// Providers: the list, one provider, a refused fee kept.
	st.open(a.base + "/verwaltung/anbieter")
	st.checkNarrow("Anbieter")
	st.open(a.base + "/verwaltung/anbieter/1")
	st.checkNarrow("Anbieter bearbeiten")
	st.tabTo("the fee field", func(f focused) bool { return f.ID == "p-honorar" })
	st.typeText("zwölf")
	st.tabTo("the save button", func(f focused) bool { return f.Tag == "button" && f.Text == "Speichern" })
	st.pressAndLoad(kb.Enter)
	if v := eval[string](st, `(document.getElementById('p-honorar') || {}).value || ''`); v != "zwölf" {
		t.Errorf("refused fee: the field holds %q", v)
	}
	if inv := eval[string](st, `(document.getElementById('p-honorar') || {getAttribute: () => ''}).getAttribute('aria-invalid') || ''`); inv != "true" {
		t.Errorf("refused fee: the field is not marked invalid (aria-invalid=%q): %s", inv, trim(st.text("main"), 300))
	}
	st.checkNarrow("Anbieter, Honorar abgelehnt")

	// Feedback codes: the overview, reached from the offers page by
	// keyboard, and the confirmation of a past date.
	st.open(a.base + "/verwaltung/runden/1/angebote")
	st.tabTo("the feedback link", func(f focused) bool {
		return f.Tag == "a" && strings.HasSuffix(f.Href, "/verwaltung/runden/1/feedback")
	})
	st.pressAndLoad(kb.Enter)
	st.checkNarrow("Feedback")
	issue := eval[[]string](st, `[...document.querySelectorAll('main a[href*="/feedback/"]')].map(a => a.getAttribute('href'))`)
	if len(issue) > 0 {
		st.open(a.base + issue[0])
		st.checkNarrow("Feedback-Codes ausgeben")
	} else {
		t.Errorf("the feedback page offers no date to issue codes for")
	}

	// English: the same pages.
	st.open(a.base + "/verwaltung/anbieter")
	st.tabTo("the switch to English", isButton("en"))
	st.pressAndLoad(kb.Enter)
	requireLang(st, "en")
	if h := st.text("h1"); h != "Providers" {
		t.Errorf("English providers heading %q", h)
	}
	pages := []string{"/verwaltung/anbieter", "/verwaltung/anbieter/1", "/verwaltung/runden/1/angebote", group, groups[0],
		trainings[0], roster, "/verwaltung/runden/1/umsetzung", "/verwaltung/runden/1/feedback"}
	pages = append(pages, issue...)
	for _, p := range pages {
		st.open(a.base + p)
		requireLang(st, "en")
		st.checkNarrow("English " + p)
	}
	// Attendance in English by keyboard: the first box toggled back.
	st.open(a.base + roster)
	st.tabTo("the first participant's box", func(f focused) bool { return f.Name == "anwesend" })
	st.press(" ")
	st.tabTo("the save button", func(f focused) bool { return f.Tag == "button" && f.Text == "Save attendance" })
	st.pressAndLoad(kb.Enter)
	if n := eval[int](st, `document.querySelectorAll('input[name=anwesend]:checked').length`); n != present {
		t.Errorf("after toggling back: %d present, want %d", n, present)
	}
	st.checkNarrow("English participant list after saving")

	// Issuing the feedback codes by keyboard (once per date, so after
	// the confirmation was checked in both languages): the slips.
	if len(issue) > 0 {
		st.open(a.base + issue[0])
		st.tabTo("the issue button", func(f focused) bool { return f.Tag == "button" && f.Text == "Issue the codes now" })
		st.pressAndLoad(kb.Enter)
		if n := eval[int](st, `document.querySelectorAll('.feedback-slips li').length`); n < 1 {
			t.Errorf("after issuing: %d slips: %s", n, trim(st.text("main"), 300))
		}
		st.checkNarrow("English feedback slips")
	}
}

// seedPastDate books three participants of different Kommunen on the date
// with the given id, the first marked present.
func seedPastDate(t *testing.T, a *app, dateID string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(filepath.Dir(a.stderr.Name()), "demo.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const now = "2026-11-20T10:00:00Z"
	people := []struct{ name, function, status string }{
		{"Clara Vogt", "Sozialamt", "attended"}, {"Deniz Arslan", "Integrationsbeauftragte", "booked"}, {"Erik Lange", "Sozialarbeit", "booked"},
	}
	for i, p := range people {
		var kommune int64
		if err := db.QueryRow("SELECT id FROM kommunen ORDER BY id LIMIT 1 OFFSET ?", i).Scan(&kommune); err != nil {
			t.Fatal(err)
		}
		res, err := db.Exec("INSERT INTO participants (kommune_id, name, function, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			kommune, p.name, p.function, strings.ToLower(strings.Fields(p.name)[0])+"@kommune.example", now, now)
		if err != nil {
			t.Fatal(err)
		}
		pid, _ := res.LastInsertId()
		if _, err := db.Exec(`INSERT INTO bookings (offer_id, date_id, participant_id, kommune_id, status, created_at, updated_at)
			SELECT offer_id, id, ?, ?, ?, ?, ? FROM offer_dates WHERE id = ?`, pid, kommune, p.status, now, now, dateID); err != nil {
			t.Fatal(err)
		}
	}
}
