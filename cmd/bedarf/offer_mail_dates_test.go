package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/mailer"
	"bedarf/survey"
	"bedarf/survey/ical"
	"bedarf/survey/ical/icaltest"
	"bedarf/survey/store"
)

// receivedMail is a captured mail taken apart: recipient, subject, text
// part and the calendar object (nil for none) read by the second parser.
type receivedMail struct {
	to, subject, text string
	cal               []byte
	ics               icaltest.Parsed
	parts             int
}

func readMail(t *testing.T, raw sinkMessage) receivedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw.Data))
	if err != nil {
		t.Fatal(err)
	}
	parts := walkMIME(t, textprotoHeader(msg.Header), msg.Body, "")
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	m := receivedMail{to: strings.Join(raw.Rcpt, ","), subject: subject, text: string(parts[0].Body), parts: len(parts)}
	for _, p := range parts {
		if p.Type == "text/calendar" {
			m.cal = p.Body
			m.ics = icaltest.Parse(t, p.Body) // CRLF, folding, VTIMEZONE, DTSTAMP, and a second parser
		}
	}
	return m
}

// TestDateMailsOverHTTP: staff change a booked date's time and place,
// write a message to its participants and cancel it, over HTTP; the test
// SMTP peer gets for each participant (one booked, one waiting) an update
// with the same UID and a higher SEQUENCE, the message without a calendar
// object, and a cancellation (METHOD:CANCEL) with the reason and a higher
// SEQUENCE still. Viewers cannot send a message (403 naming the role); a
// refused message comes back with the typed text at the field.
func TestDateMailsOverHTTP(t *testing.T) {
	sink, _ := startSink(t, "none")
	br := startBookingRig(t, 1, sinkFlags(sink, "none")...)
	a, b := br.kommune(t, 0), br.kommune(t, 1)
	if code, _, _ := a.post(br.base+"/angebote", br.bookForm("Jana Probe", "jana@example.org")); code != http.StatusSeeOther {
		t.Fatalf("book A: %d", code)
	}
	if code, _, _ := b.post(br.base+"/angebote", br.bookForm("Ben Probe", "ben@example.org")); code != http.StatusSeeOther {
		t.Fatalf("book B: %d", code)
	}
	first := sink.waitFor(t, 2)
	uid, seq := map[string]string{}, map[string]int{}
	for _, raw := range first {
		m := readMail(t, raw)
		uid[m.to], seq[m.to] = m.ics.UID, m.ics.Sequence
	}
	ctx := context.Background()
	o, err := br.st.Offer(ctx, br.round, br.offer)
	if err != nil {
		t.Fatal(err)
	}
	d := o.Dates[0]
	admin := loginAdmin(t, br.rig.demo)

	// 1. Time and place change: both are told, same UID, higher SEQUENCE.
	newStart := d.Start.Add(26 * time.Hour).In(survey.Berlin())
	offerURL := fmt.Sprintf("%s/verwaltung/runden/%d/angebote/%d", br.base, br.round, br.offer)
	if code, _, h := admin.post(fmt.Sprintf("%s/termine/%d", offerURL, br.date), url.Values{
		"datum": {newStart.Format(time.DateOnly)}, "beginn": {newStart.Format("15:04")}, "ende": {newStart.Add(6 * time.Hour).Format("15:04")},
		"ort": {"Saal 4, Haus der Region"}, "kapazitaet": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("change the date: %d %v", code, h)
	}
	changed := sink.waitFor(t, 4)[2:]
	for _, raw := range changed {
		m := readMail(t, raw)
		if !strings.HasPrefix(m.subject, "Termin geändert") || m.ics.Method != "REQUEST" || m.ics.UID != uid[m.to] || m.ics.Sequence <= seq[m.to] ||
			!m.ics.Start.Equal(newStart) || m.ics.Location != "Saal 4, Haus der Region" || !strings.Contains(m.text, "Bisher:") {
			t.Errorf("change to %s: %q METHOD %s UID %s SEQUENCE %d (before %d) DTSTART %v LOCATION %q",
				m.to, m.subject, m.ics.Method, m.ics.UID, m.ics.Sequence, seq[m.to], m.ics.Start, m.ics.Location)
		}
		if want := m.to == "ben@example.org"; (m.ics.Status == "TENTATIVE") != want {
			t.Errorf("change to %s: STATUS %s", m.to, m.ics.Status)
		}
		seq[m.to] = m.ics.Sequence
	}

	// 2. The message: the form is on the list for admins only.
	list := fmt.Sprintf("%s/verwaltung/runden/%d/termine/%d", br.base, br.round, br.date)
	post := list + "/nachricht"
	if code, page, _ := admin.get(list); code != http.StatusOK || !strings.Contains(page, `action="/verwaltung/runden/`+itoa(br.round)+`/termine/`+itoa(br.date)+`/nachricht"`) {
		t.Fatalf("admin's list without the message form: %d", code)
	}
	code, page, _ := admin.post(br.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	pw := passwordRE.FindStringSubmatch(page)
	if code != http.StatusOK || pw == nil {
		t.Fatalf("add viewer: %d", code)
	}
	viewer := br.signIn(t, "leser@bedarf.example", pw[1])
	if _, page, _ := viewer.get(list); strings.Contains(page, "/nachricht") {
		t.Errorf("the viewer's list has the message form")
	}
	subject, text := "=HYPERLINK(\"http://böse.example\") Raum", "Bitte die Unterlagen mitbringen.\r\n\r\n<b>Eingang</b> über den Hof. \u202eTXET"
	form := url.Values{"betreff": {subject}, "text": {text}, "warteliste": {"1"}, "schritt": {"vorschau"}}
	if code, page, _ := viewer.post(post, form); code != http.StatusForbidden || !strings.Contains(page, "Lesezugang") {
		t.Errorf("viewer's message: %d, want 403 naming the role", code)
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		code   int
		field  string
		typed  string
		errMsg string
	}{
		{"no subject", url.Values{"betreff": {"  "}, "text": {"Typed text stays"}, "schritt": {"vorschau"}}, 422, "m-betreff", "Typed text stays", "Bitte einen Betreff eingeben"},
		{"text too long", url.Values{"betreff": {"Kept subject"}, "text": {strings.Repeat("x", survey.MaxOfferMessageText+1)}, "schritt": {"senden"}}, 422, "m-text", "Kept subject", "höchstens 5000"},
		{"count changed since the preview", url.Values{"betreff": {"Kept subject"}, "text": {"T"}, "anzahl": {"7"}, "schritt": {"senden"}}, 409, "", "Kept subject", "seit der Vorschau geändert"},
	} {
		code, page, _ := admin.post(post, tc.form)
		if code != tc.code || !strings.Contains(page, tc.errMsg) || !strings.Contains(page, html.EscapeString(tc.typed)) {
			t.Errorf("%s: %d, want %d with %q and the typed %q", tc.name, code, tc.code, tc.errMsg, tc.typed)
		}
		if tc.field != "" && !strings.Contains(page, `id="`+tc.field+`"`) || tc.field != "" && !strings.Contains(page, `aria-invalid="true"`) {
			t.Errorf("%s: message not at the field %s", tc.name, tc.field)
		}
	}
	code, page, _ = admin.post(post, form)
	if code != http.StatusOK || !strings.Contains(page, "an 2 Personen (angemeldet oder auf der Warteliste)") ||
		!strings.Contains(page, html.EscapeString("=HYPERLINK(\"http://böse.example\") Raum")) || !strings.Contains(page, "&lt;b&gt;Eingang&lt;/b&gt;") ||
		strings.Contains(page, "\u202e") || !strings.Contains(page, `name="anzahl" value="2"`) {
		t.Fatalf("preview: %d\n%s", code, page)
	}
	if n := br.auditOf(t, "offermail.message"); n != 0 {
		t.Fatalf("the preview or refusals wrote %d audit entries", n)
	}
	// Back to the form, filled in.
	back := url.Values{"betreff": {subject}, "text": {text}, "warteliste": {"1"}, "schritt": {"bearbeiten"}}
	if code, page, _ := admin.post(post, back); code != http.StatusOK || !strings.Contains(page, "Bitte die Unterlagen mitbringen.") || !strings.Contains(page, `id="m-warteliste" name="warteliste" value="1" checked`) {
		t.Errorf("back to the form: %d", code)
	}
	send := url.Values{"betreff": {subject}, "text": {text}, "warteliste": {"1"}, "anzahl": {"2"}, "schritt": {"senden"}}
	if code, _, h := admin.post(post, send); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "mitteilung=2") {
		t.Fatalf("send: %d %v", code, h)
	}
	if _, page, _ := admin.get(list + "?mitteilung=2"); !strings.Contains(page, "Mitteilung an 2 Personen in die Warteschlange gestellt") {
		t.Errorf("no notice after sending")
	}
	for _, raw := range sink.waitFor(t, 6)[4:] {
		m := readMail(t, raw)
		if m.cal != nil || m.parts != 2 || !strings.HasPrefix(m.subject, "=HYPERLINK(\"http://böse.example\") Raum – Asylrecht kompakt am ") ||
			!strings.Contains(m.text, "<b>Eingang</b> über den Hof. TXET") || strings.Contains(m.text, "\u202e") {
			t.Errorf("message to %s: %q, %d parts, calendar %v:\n%s", m.to, m.subject, m.parts, m.cal != nil, m.text)
		}
	}
	if n := br.auditOf(t, "offermail.message"); n != 1 {
		t.Errorf("%d audit entries of the message, want 1", n)
	}

	// 3. Cancellation with a reason: METHOD:CANCEL, same UID, higher SEQUENCE.
	if code, _, h := admin.post(fmt.Sprintf("%s/termine/%d/absagen", offerURL, br.date), url.Values{"grund": {"Die Referentin ist erkrankt."}}); code != http.StatusSeeOther {
		t.Fatalf("cancel the date: %d %v", code, h)
	}
	for _, raw := range sink.waitFor(t, 8)[6:] {
		m := readMail(t, raw)
		if !strings.HasPrefix(m.subject, "Termin abgesagt") || m.ics.Method != "CANCEL" || m.ics.Status != "CANCELLED" || m.ics.UID != uid[m.to] ||
			m.ics.Sequence <= seq[m.to] || !strings.Contains(m.text, "Grund: Die Referentin ist erkrankt.") {
			t.Errorf("cancellation to %s: %q METHOD %s STATUS %s UID %s SEQUENCE %d (before %d)", m.to, m.subject, m.ics.Method, m.ics.Status,
				m.ics.UID, m.ics.Sequence, seq[m.to])
		}
	}
	if got := len(sink.messages()); got != 8 {
		t.Errorf("%d mails in all, want 8", got)
	}
}

// TestOfferReminderWorker: the mail worker, started with
// --offer-reminder-days (here through its Config), queues the reminder of
// a date due within the days at once and sends it with the participant's
// current calendar entry (same UID and SEQUENCE as the confirmation, a
// newer DTSTAMP); a bad number of days stops the start.
func TestOfferReminderWorker(t *testing.T) {
	sink, _ := startSink(t, "none")
	br := startBookingRig(t, 5) // the demo's own worker has no mail server
	ctx := context.Background()
	start := time.Now().Add(50 * time.Hour).Truncate(time.Hour)
	offer, err := br.st.CreateOffer(ctx, br.round, survey.Offer{Kind: survey.OfferTraining, Title: "Kurz vor knapp", ModuleID: "asyl",
		Sessions: 1, SessionMinutes: 240, Capacity: 5, Status: survey.OfferPublished,
		Dates: []survey.OfferDate{{Start: start, End: start.Add(4 * time.Hour), Place: "Raum 2", Capacity: 5}}}, survey.Actor{Kind: "system", Label: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := br.st.Offer(ctx, br.round, offer)
	ref, _ := br.st.ResolveToken(ctx, strings.TrimPrefix(br.links[br.ags[0]], br.base+"/k/"))
	br.st.SetClock(func() time.Time { return time.Now().AddDate(0, 0, -10) }) // booked before the reminder's window
	res, err := br.st.Book(ctx, store.BookRequest{RoundID: br.round, KommuneID: ref.KommuneID, OfferID: offer, DateID: o.Dates[0].ID,
		Participant: survey.Participant{Name: "Rita Rechtzeitig", Email: "rita@example.org"}}, survey.Actor{Kind: "system", Label: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	br.st.SetClock(time.Now)

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := mailer.Config{Host: "127.0.0.1", Port: sink.port(), TLS: "none", From: testMailFrom, OfferReminderDays: "31"}
	if _, _, err := mailer.Start(ctx, mailer.Deps{St: br.st, Log: log, BaseURL: br.base}, cfg); err == nil || !strings.Contains(err.Error(), "--offer-reminder-days") {
		t.Fatalf("31 days: %v", err)
	}
	cfg.OfferReminderDays = "3"
	_, stop, err := mailer.Start(ctx, mailer.Deps{St: br.st, Log: log, BaseURL: br.base}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	msgs := sink.waitFor(t, 2) // the confirmation, then the reminder
	conf, rem := readMail(t, msgs[0]), readMail(t, msgs[1])
	if !strings.HasPrefix(rem.subject, "Erinnerung: Kurz vor knapp") || rem.ics.Method != "REQUEST" || rem.ics.Status != "CONFIRMED" ||
		rem.ics.UID != ical.UID(o.Dates[0].UID, res.ParticipantID) || rem.ics.UID != conf.ics.UID || rem.ics.Sequence != conf.ics.Sequence ||
		!rem.ics.Stamp.After(conf.ics.Stamp.Add(-time.Second)) {
		t.Errorf("reminder: %q METHOD %s UID %s SEQUENCE %d (confirmation %s %d)", rem.subject, rem.ics.Method, rem.ics.UID, rem.ics.Sequence,
			conf.ics.UID, conf.ics.Sequence)
	}
	if n, err := br.st.QueueOfferReminders(ctx, 3); err != nil || n != 0 {
		t.Errorf("a second run queued %d (%v)", n, err)
	}
}
