package main

import (
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
)

var feedbackCodeRE = regexp.MustCompile(`class="code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<`)

// feedbackDate moves one of the demo's training dates into the past and
// books n named participants on it (directly in the database: the booking
// pages are another piece of work); it takes a date nobody is booked on
// (the demo books some), and returns the date's id.
func feedbackDate(t *testing.T, r *rig, n int) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+r.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id, offer int64
	if err := db.QueryRow(`SELECT d.id, d.offer_id FROM offer_dates d JOIN offers o ON o.id = d.offer_id
		WHERE o.kind = 'training' AND o.round_id = 1 AND d.status = 'scheduled'
		AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.date_id = d.id) ORDER BY d.id LIMIT 1`).Scan(&id, &offer); err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Hour)
	if _, err := db.Exec("UPDATE offer_dates SET starts_at = ?, ends_at = ? WHERE id = ?", start.Format(time.RFC3339), start.Add(6*time.Hour).Format(time.RFC3339), id); err != nil {
		t.Fatal(err)
	}
	stamp := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	for i := range n {
		res, err := db.Exec("INSERT INTO participants (kommune_id, name, email, created_at, updated_at) VALUES (1, ?, ?, ?, ?)",
			fmt.Sprintf("Teilnehmerin %d", i), fmt.Sprintf("t%d@kommune.example", i), stamp, stamp)
		if err != nil {
			t.Fatal(err)
		}
		pid, _ := res.LastInsertId()
		if _, err := db.Exec("INSERT INTO bookings (offer_id, date_id, participant_id, kommune_id, status, created_at, updated_at) VALUES (?, ?, ?, 1, 'booked', ?, ?)",
			offer, id, pid, stamp, stamp); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// TestFeedbackOverHTTP: an admin issues a past date's codes once (one
// audit entry with the count, the codes shown once); a participant answers
// with a code as typed, in German or English, once; a used, forged or
// malformed code gets a clear page; malformed, oversized and broken UTF-8
// input comes back as typed with a clear error and stores nothing; the
// results appear for staff from five answers; answering writes no audit
// entry.
func TestFeedbackOverHTTP(t *testing.T) {
	r := startRig(t)
	dateID := feedbackDate(t, r, 6)
	admin := loginAdmin(t, r.demo)
	db := offerDB(t, r)
	overview := r.base + "/verwaltung/runden/1/feedback"
	issue := fmt.Sprintf("%s/%d", overview, dateID)

	code, page, _ := admin.get(overview)
	if code != http.StatusOK || !strings.Contains(page, `href="/verwaltung/runden/1/feedback/`+fmt.Sprint(dateID)+`"`) {
		t.Fatalf("overview: %d, no link to issue the codes", code)
	}
	if code, page, _ = admin.get(issue); code != http.StatusOK || !strings.Contains(page, "Codes jetzt erzeugen") {
		t.Fatalf("confirm: %d", code)
	}
	audit := count(t, db, "SELECT count(*) FROM audit_log")
	code, page, h := admin.post(issue, url.Values{})
	codes := feedbackCodeRE.FindAllStringSubmatch(page, -1)
	if code != http.StatusOK || len(codes) != 6 || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("issue: %d, %d codes, Cache-Control %q", code, len(codes), h.Get("Cache-Control"))
	}
	if n := count(t, db, "SELECT count(*) FROM audit_log WHERE action = 'feedback.issue' AND detail LIKE '%: 6'"); n != 1 || count(t, db, "SELECT count(*) FROM audit_log") != audit+1 {
		t.Fatalf("%d audit entries of issuing with the count, want one and no other", n)
	}
	if code, _, _ := admin.post(issue, url.Values{}); code != http.StatusConflict {
		t.Fatalf("second issue: %d, want 409", code)
	}
	if _, page, _ = admin.get(overview); strings.Contains(page, codes[0][1]) {
		t.Fatal("the overview shows a code again")
	}
	audit = count(t, db, "SELECT count(*) FROM audit_log")

	p := newBrowser(t, r.base)
	stored := func() int { return count(t, db, "SELECT count(*) FROM feedback_responses") }
	if code, page, _ := p.get(r.base + web.FeedbackPath); code != http.StatusOK || !strings.Contains(page, `name="code"`) {
		t.Fatalf("start page: %d", code)
	}
	// The code as typed from paper: lower case, spaces.
	typed := strings.ToLower(strings.ReplaceAll(codes[0][1], "-", " "))
	code, page, _ = p.post(r.base+web.FeedbackPath, url.Values{"code": {typed}})
	if code != http.StatusOK || !strings.Contains(page, `name="q.nutzen"`) || !strings.Contains(page, `name="senden"`) {
		t.Fatalf("code step: %d", code)
	}
	long := strings.Repeat("ü", 20001)
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		kept   string
		msg    string
	}{
		{"not a choice", url.Values{"q.nutzen": {"9"}, "q.anmerkungen": {"Mein Text <b>"}}, http.StatusUnprocessableEntity, "Mein Text &lt;b&gt;", "markierten Angaben"},
		{"text too long for the form", url.Values{"q.anmerkungen": {strings.Repeat("x", 2001)}}, http.StatusUnprocessableEntity, strings.Repeat("x", 2001), "markierten Angaben"},
		{"value too long for the server", url.Values{"q.nutzen": {"4"}, "q.anmerkungen": {long}}, http.StatusBadRequest, long[:200], ""},
		{"broken UTF-8", url.Values{"q.nutzen": {"4"}, "q.anmerkungen": {"gut\xff und"}}, http.StatusBadRequest, "gut\uFFFD und", ""},
	} {
		tc.form.Set("code", typed)
		tc.form.Set("senden", "1")
		code, page, _ := p.post(r.base+web.FeedbackPath, tc.form)
		if code != tc.status || !strings.Contains(page, tc.kept) || !strings.Contains(page, `role="alert"`) || !strings.Contains(page, tc.msg) ||
			!strings.Contains(page, `value="`+html.EscapeString(typed)+`"`) {
			t.Errorf("%s: %d (want %d), typed input kept: %v", tc.name, code, tc.status, strings.Contains(page, tc.kept))
		}
		if tc.form.Get("q.nutzen") == "4" && !strings.Contains(page, `value="4" checked`) {
			t.Errorf("%s: the chosen answer is not kept", tc.name)
		}
		if stored() != 0 {
			t.Fatalf("%s stored a feedback", tc.name)
		}
	}
	// Five answers, one in English.
	for i, c := range codes[:5] {
		b := p
		if i == 4 {
			b = newBrowser(t, r.base)
			switchLang(t, b, r.base, "en", web.FeedbackPath)
			if _, page, _ := b.post(r.base+web.FeedbackPath, url.Values{"code": {c[1]}}); !strings.Contains(page, "The training was useful for my work.") {
				t.Error("English form not shown")
			}
		}
		code, page, _ := b.post(r.base+web.FeedbackPath, url.Values{"code": {c[1]}, "senden": {"1"}, "q.nutzen": {"5"}, "q.praxis": {fmt.Sprint(i%5 + 1)}, "q.anmerkungen": {fmt.Sprintf("Anmerkung %d", i)}})
		if code != http.StatusOK || !(strings.Contains(page, "Vielen Dank") || strings.Contains(page, "Thank you")) {
			t.Fatalf("answer %d: %d", i, code)
		}
	}
	for _, tc := range []struct {
		name, code string
		status     int
		msg        string
	}{
		{"used", codes[0][1], http.StatusConflict, "schon eine Rückmeldung"},
		{"forged", "7KQ2-MX9D-4TRB", http.StatusNotFound, "Diesen Code gibt es nicht"},
		{"malformed", "hallo", http.StatusNotFound, "Diesen Code gibt es nicht"},
	} {
		for _, form := range []url.Values{{"code": {tc.code}}, {"code": {tc.code}, "senden": {"1"}, "q.nutzen": {"1"}}} {
			code, page, _ := p.post(r.base+web.FeedbackPath, form)
			if code != tc.status || !strings.Contains(page, tc.msg) || strings.Contains(page, `name="q.nutzen"`) {
				t.Errorf("%s code: %d (want %d), message shown: %v", tc.name, code, tc.status, strings.Contains(page, tc.msg))
			}
		}
	}
	if n := stored(); n != 5 {
		t.Fatalf("%d feedbacks stored, want 5", n)
	}
	if n := count(t, db, "SELECT count(*) FROM audit_log"); n != audit {
		t.Fatalf("answering wrote %d audit entries", n-audit)
	}
	if logs := r.logs.String(); strings.Contains(logs, codes[0][1]) || strings.Contains(logs, typed) {
		t.Fatal("a code is in the log")
	}
	_, page, _ = admin.get(overview)
	if !strings.Contains(page, "5 Rückmeldungen") || !strings.Contains(page, "Anmerkung 3") || !strings.Contains(page, "<td>5</td><td>5,0</td>") {
		t.Fatalf("results from five answers not shown:\n%s", page)
	}
}
