package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/internal/web"
)

var mailedCodeRE = regexp.MustCompile(`\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)

// TestFeedbackCodesByMail: an admin sends a past date's feedback codes by
// mail. Only the participants marked present get one (each a different
// code); a refused mail's code and the codes left over come back as slips;
// no mailed code is on the page, in the database, in the log or in the
// audit entry (which counts); a mailed code works on the feedback page.
// Without a mail server the choice is explained and a post issues nothing.
func TestFeedbackCodesByMail(t *testing.T) {
	sink, _ := startSink(t, "none")
	r := startMailRig(t, "", sinkFlags(sink, "none")...)
	dateID := feedbackDate(t, r, 6)
	db := offerDB(t, r)
	// Three of the six were there (marked as the roster page does).
	w, err := sql.Open("sqlite", "file:"+r.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Exec(`UPDATE bookings SET status = 'attended' WHERE date_id = ? AND participant_id IN
		(SELECT id FROM participants WHERE email IN ('t0@kommune.example', 't2@kommune.example', 't4@kommune.example'))`, dateID); err != nil {
		t.Fatal(err)
	}
	present := []string{"t0@kommune.example", "t2@kommune.example", "t4@kommune.example"}
	issued := count(t, db, "SELECT count(*) FROM bookings WHERE date_id = ? AND status IN ('booked', 'attended')", dateID)

	admin := loginAdmin(t, r.demo)
	issue := fmt.Sprintf("%s/verwaltung/runden/1/feedback/%d", r.base, dateID)
	code, page, _ := admin.get(issue)
	if code != http.StatusOK || !strings.Contains(page, `name="aktion" value="mail"`) || !strings.Contains(page, "an 3 Adressen") {
		t.Fatalf("confirm page: %d, no mail choice for 3 addresses", code)
	}
	if !regexp.MustCompile(`, \d{2}\.\d{2}\.\d{4}</p>`).MatchString(page) {
		t.Error("the confirm page does not write the date's day in German")
	}

	sink.mu.Lock()
	sink.refuse = 1 // the first mail is refused: its code must come back as a slip
	sink.mu.Unlock()
	before := len(sink.messages())
	code, page, h := admin.post(issue, url.Values{"aktion": {"mail"}})
	if code != http.StatusOK || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("send by mail: %d, Cache-Control %q", code, h.Get("Cache-Control"))
	}
	if !strings.Contains(page, "2 Codes wurden per Mail gesendet.") {
		t.Errorf("the page does not say that 2 codes were sent")
	}
	slips := feedbackCodeRE.FindAllStringSubmatch(page, -1)
	if len(slips) != issued-2 {
		t.Fatalf("%d codes to print, want %d (issued %d, 2 mailed)", len(slips), issued-2, issued)
	}
	msgs := sink.messages()[before:]
	if len(msgs) != 2 {
		t.Fatalf("the mail server accepted %d mails, want 2", len(msgs))
	}
	var mailed []string
	for _, m := range msgs {
		if len(m.Rcpt) != 1 || !slices.Contains(present, m.Rcpt[0]) {
			t.Errorf("a code went to %v, not to one present", m.Rcpt)
		}
		codes := mailedCodeRE.FindAllString(string(m.Data), -1)
		if len(codes) == 0 {
			t.Fatalf("a mail holds no code:\n%s", m.Data)
		}
		for _, c := range codes[1:] {
			if c != codes[0] {
				t.Errorf("a mail holds two codes: %s, %s", codes[0], c)
			}
		}
		mailed = append(mailed, codes[0])
		if !strings.Contains(string(m.Data), r.base+web.FeedbackPath) {
			t.Error("the mail does not give the feedback page's address")
		}
	}
	if mailed[0] == mailed[1] {
		t.Error("two participants got the same code")
	}
	all := mailed
	for _, s := range slips {
		if slices.Contains(mailed, s[1]) {
			t.Errorf("the mailed code %s is shown on the page", s[1])
		}
		all = append(all, s[1])
	}
	if slices.Sort(all); len(slices.Compact(all)) != issued {
		t.Errorf("mailed and printed codes together are %d different ones, want %d", len(all), issued)
	}
	// No mailed code is stored or logged; the audit entry counts.
	for _, c := range mailed {
		if n := count(t, db, "SELECT count(*) FROM audit_log WHERE detail LIKE ?", "%"+c+"%"); n != 0 {
			t.Errorf("a mailed code is in the audit log")
		}
		if n := count(t, db, "SELECT count(*) FROM mail_queue WHERE body LIKE ? OR subject LIKE ?", "%"+c+"%", "%"+c+"%"); n != 0 {
			t.Errorf("a mailed code is in the mail queue")
		}
	}
	noSecretsLogged(t, r, mailed...)
	if n := count(t, db, "SELECT count(*) FROM audit_log WHERE action = 'feedback.mail' AND detail LIKE '%2 gesendet, 0 unklar, 1 nicht'"); n != 1 {
		t.Errorf("%d audit entries of the mailing with its counts, want 1", n)
	}
	// A mailed code works.
	p := newBrowser(t, r.base)
	if code, page, _ := p.post(r.base+web.FeedbackPath, url.Values{"code": {mailed[0]}}); code != http.StatusOK || !strings.Contains(page, `name="senden"`) {
		t.Errorf("a mailed code on the feedback page: %d", code)
	}
	// Once per date, by mail too.
	if code, _, _ := admin.post(issue, url.Values{"aktion": {"mail"}}); code != http.StatusConflict {
		t.Errorf("second mailing: %d, want 409", code)
	}
	if got := len(sink.messages()) - before; got != 2 {
		t.Errorf("%d mails after the refused second mailing, want 2", got)
	}
}

// TestFeedbackCodesByMailWithoutServer: without a mail server the page
// says why mail is not offered, and a forged post issues no code.
func TestFeedbackCodesByMailWithoutServer(t *testing.T) {
	r := startRig(t)
	dateID := feedbackDate(t, r, 2)
	db := offerDB(t, r)
	admin := loginAdmin(t, r.demo)
	issue := fmt.Sprintf("%s/verwaltung/runden/1/feedback/%d", r.base, dateID)
	if code, page, _ := admin.get(issue); code != http.StatusOK || strings.Contains(page, `value="mail"`) || !strings.Contains(page, "sobald ein Mailserver eingerichtet ist") {
		t.Fatalf("confirm page without a mail server: %d", code)
	}
	code, page, _ := admin.post(issue, url.Values{"aktion": {"mail"}})
	if code != http.StatusConflict || !strings.Contains(page, `role="alert"`) || feedbackCodeRE.MatchString(page) {
		t.Errorf("mail without a server: %d, want 409 with a message and no code", code)
	}
	if n := count(t, db, "SELECT count(*) FROM feedback_tokens"); n != 0 {
		t.Errorf("%d codes issued by a refused mailing", n)
	}
}
