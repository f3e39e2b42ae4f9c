package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/survey"
)

// queuedMail is a row of offer_mails as the tests read it.
type queuedMail struct {
	participant int64
	kind        survey.OfferMailKind
	seq         int
	first       bool
	status      string
	prevStart   sql.NullString
	reason      string
	message     sql.NullInt64
}

// mailsOf returns the mails about a date, in the order queued.
func (f *fixture) mailsOf(t *testing.T, dateID int64) []queuedMail {
	t.Helper()
	rows, err := f.st.r.QueryContext(context.Background(), `SELECT participant_id, kind, sequence, first_mail, status, prev_starts_at, reason, message_id
		FROM offer_mails WHERE date_id = ? ORDER BY id`, dateID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []queuedMail
	for rows.Next() {
		var m queuedMail
		if err := rows.Scan(&m.participant, &m.kind, &m.seq, &m.first, &m.status, &m.prevStart, &m.reason, &m.message); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// kinds returns the mails of the kind about the date by participant.
func (f *fixture) kinds(t *testing.T, dateID int64, kind survey.OfferMailKind) map[int64]queuedMail {
	t.Helper()
	out := map[int64]queuedMail{}
	for _, m := range f.mailsOf(t, dateID) {
		if m.kind == kind {
			if _, twice := out[m.participant]; twice {
				t.Errorf("two %s mails to participant %d about date %d", kind, m.participant, dateID)
			}
			out[m.participant] = m
		}
	}
	return out
}

// TestDateChangeAndCancelMails: a change of time or place queues "changed"
// to everyone booked or waiting (with the schedule before, the SEQUENCE
// one higher than their last mail), a change of capacity alone tells
// nobody, a cancelled booking hears nothing more, and the cancellation
// goes to everyone booked or waiting with staff's reason and a higher
// SEQUENCE still.
func TestDateChangeAndCancelMails(t *testing.T) {
	bf := newBookingFixture(t, 1, time.Time{})
	ctx := context.Background()
	a, err := bf.book(0, "a")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := bf.book(1, "b") // waiting
	c, _ := bf.book(2, "c") // waiting, then cancelled
	if b.Status != survey.BookingWaiting || c.Status != survey.BookingWaiting {
		t.Fatalf("b %v, c %v: want waiting", b.Status, c.Status)
	}
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[2], c.BookingID, system); err != nil {
		t.Fatal(err)
	}
	o, _ := bf.st.Offer(ctx, bf.round, bf.offer)
	d := o.Dates[0]
	// Capacity only: no mail.
	d.Capacity = 1
	if err := bf.st.UpdateDate(ctx, bf.round, bf.offer, d, system); err != nil {
		t.Fatal(err)
	}
	if n := len(bf.kinds(t, bf.date, survey.OfferMailChanged)); n != 0 {
		t.Fatalf("capacity change told %d", n)
	}
	// Time and place.
	moved := d
	moved.Start, moved.End, moved.Place = d.Start.Add(2*time.Hour), d.End.Add(2*time.Hour), "Raum 2"
	if err := bf.st.UpdateDate(ctx, bf.round, bf.offer, moved, system); err != nil {
		t.Fatal(err)
	}
	changed := bf.kinds(t, bf.date, survey.OfferMailChanged)
	if len(changed) != 2 || changed[c.ParticipantID].kind != "" {
		t.Fatalf("changed mails: %+v (want a and b, not the cancelled c)", changed)
	}
	// SEQUENCE: the date's 1 + the status mails before (a: confirmation; b: waiting).
	for _, p := range []int64{a.ParticipantID, b.ParticipantID} {
		m := changed[p]
		if m.seq != 2 || m.first || !m.prevStart.Valid || m.prevStart.String != d.Start.UTC().Format(time.RFC3339) {
			t.Errorf("changed mail to %d: %+v", p, m)
		}
	}
	// The worker reads the schedule before and the waiting flag.
	for range 10 {
		job, ok, err := bf.st.ClaimOfferMail(ctx)
		if err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		if job.Kind != survey.OfferMailChanged {
			continue
		}
		if job.Previous == nil || !job.Previous.Start.Equal(d.Start) || job.Previous.Place != "Raum 1" || !job.Date.Start.Equal(moved.Start) {
			t.Errorf("changed job: previous %+v, date %v", job.Previous, job.Date.Start)
		}
		if job.Waiting != (job.Participant.ID == b.ParticipantID) {
			t.Errorf("changed job to %d: waiting %v", job.Participant.ID, job.Waiting)
		}
		if job.Participant.ID == b.ParticipantID {
			break
		}
	}
	// Too long a reason is refused at its field, nothing changes.
	if err := bf.st.CancelDate(ctx, bf.round, bf.offer, bf.date, strings.Repeat("x", survey.MaxOfferText+1), system); errKey(err) != "msg.offer.too_long" {
		t.Fatalf("long reason: %v", err)
	}
	if err := bf.st.CancelDate(ctx, bf.round, bf.offer, bf.date, "Die Referentin ist \u202eerkrankt.\n", system); err != nil {
		t.Fatal(err)
	}
	cancelled := bf.kinds(t, bf.date, survey.OfferMailCancelled)
	if len(cancelled) != 2 || cancelled[c.ParticipantID].kind != "" {
		t.Fatalf("cancelled mails: %+v", cancelled)
	}
	for p, m := range cancelled {
		if m.seq != 3 || m.reason != "Die Referentin ist erkrankt." || m.seq <= changed[p].seq {
			t.Errorf("cancel mail to %d: %+v", p, m)
		}
	}
	// A later capacity raise of the cancelled date is refused; no reminder for it.
	bf.st.SetClock(func() time.Time { return moved.Start.Add(-24 * time.Hour) })
	if n, err := bf.st.QueueOfferReminders(ctx, 3); err != nil || n != 0 {
		t.Fatalf("reminders of a cancelled date: %d, %v", n, err)
	}
}

// TestDateMailsNotForPastDates: a date that has begun is corrected and
// cancelled without mails.
func TestDateMailsNotForPastDates(t *testing.T) {
	bf := newBookingFixture(t, 5, time.Time{})
	ctx := context.Background()
	if _, err := bf.book(0, "a"); err != nil {
		t.Fatal(err)
	}
	o, _ := bf.st.Offer(ctx, bf.round, bf.offer)
	d := o.Dates[0]
	bf.st.SetClock(func() time.Time { return d.Start.Add(time.Hour) })
	d.Place = "Raum 9"
	if err := bf.st.UpdateDate(ctx, bf.round, bf.offer, d, system); err != nil {
		t.Fatal(err)
	}
	if err := bf.st.CancelDate(ctx, bf.round, bf.offer, bf.date, "", system); err != nil {
		t.Fatal(err)
	}
	for _, m := range bf.mailsOf(t, bf.date) {
		if m.kind != survey.OfferMailConfirmation {
			t.Errorf("mail about a past date: %+v", m)
		}
	}
}

// TestOfferCancelMails: cancelling an offer tells the participants of
// each of its dates still to come, not those of a date that has passed.
func TestOfferCancelMails(t *testing.T) {
	f, _, _, _, training := offerFixture(t)
	ctx := context.Background()
	o, _ := f.st.Offer(ctx, f.round, training)
	o.Status = survey.OfferPublished
	if err := f.st.UpdateOffer(ctx, f.round, o, system); err != nil {
		t.Fatal(err)
	}
	f.st.SetClock(func() time.Time { return time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC) })
	ks, _ := f.st.Kommunen(ctx)
	var ps []int64
	for i, d := range o.Dates {
		r, err := f.st.Book(ctx, BookRequest{RoundID: f.round, KommuneID: ks[0].ID, OfferID: training, DateID: d.ID,
			Participant: survey.Participant{Name: "P", Email: "p" + string(rune('a'+i)) + "@example.org"}}, system)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, r.ParticipantID)
	}
	// The first date (3 March) has passed, the second (10 March) not.
	f.st.SetClock(func() time.Time { return time.Date(2027, 3, 5, 12, 0, 0, 0, time.UTC) })
	o.Status = survey.OfferCancelled
	if err := f.st.UpdateOffer(ctx, f.round, o, system); err != nil {
		t.Fatal(err)
	}
	if got := f.kinds(t, o.Dates[0].ID, survey.OfferMailCancelled); len(got) != 0 {
		t.Errorf("past date told: %+v", got)
	}
	got := f.kinds(t, o.Dates[1].ID, survey.OfferMailCancelled)
	if m, ok := got[ps[1]]; !ok || m.seq != 2 {
		t.Errorf("future date's cancellation: %+v (want SEQUENCE 1 + 1)", got)
	}
}

// TestGroupSessionMails: a group's participants are told of changes and
// cancellations of its sessions and reminded of them, with their group
// seat as the booking.
func TestGroupSessionMails(t *testing.T) {
	f, _, _, group, _ := offerFixture(t)
	ctx := context.Background()
	var sessions []int64
	for _, day := range []int{1, 8} {
		id, err := f.st.AddDate(ctx, f.round, group, testDate(day, 14, 16), system)
		if err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, id)
	}
	o, _ := f.st.Offer(ctx, f.round, group)
	o.Status = survey.OfferPublished
	if err := f.st.UpdateOffer(ctx, f.round, o, system); err != nil {
		t.Fatal(err)
	}
	f.st.SetClock(func() time.Time { return time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC) })
	kid := o.Members[0].KommuneID
	for _, e := range []string{"g1", "g2"} {
		if _, err := f.st.Book(ctx, BookRequest{RoundID: f.round, KommuneID: kid, OfferID: group,
			Participant: survey.Participant{Name: "P " + e, Email: e + "@example.org"}}, system); err != nil {
			t.Fatal(err)
		}
	}
	l, _ := f.st.KommuneBookings(ctx, f.round, kid)
	kept, gone := l.Groups[0].Bookings[0].ParticipantID, l.Groups[0].Bookings[1].ParticipantID
	// A seat is invited to every session to come.
	for i, sid := range sessions {
		got := f.kinds(t, sid, survey.OfferMailConfirmation)
		if len(got) != 2 || got[kept].seq != 0 || got[kept].first != (i == 0) {
			t.Fatalf("invitations to session %d: %+v", i, got)
		}
	}
	if err := f.st.CancelBooking(ctx, f.round, kid, l.Groups[0].Bookings[1].ID, system); err != nil {
		t.Fatal(err)
	}
	for _, sid := range sessions {
		if got := f.kinds(t, sid, survey.OfferMailBookingCancelled); len(got) != 1 || got[gone].seq != 1 {
			t.Fatalf("cancelled seat: %+v", got)
		}
	}
	o, _ = f.st.Offer(ctx, f.round, group)
	d := o.Dates[0]
	d.Start, d.End = d.Start.Add(time.Hour), d.End.Add(time.Hour)
	if err := f.st.UpdateDate(ctx, f.round, group, d, system); err != nil {
		t.Fatal(err)
	}
	changed := f.kinds(t, sessions[0], survey.OfferMailChanged)
	if len(changed) != 1 || changed[kept].seq != 2 || changed[kept].first {
		t.Fatalf("changed session: %+v (want the kept participant, SEQUENCE 1 + 1)", changed)
	}
	if err := f.st.CancelDate(ctx, f.round, group, sessions[1], "", system); err != nil {
		t.Fatal(err)
	}
	if got := f.kinds(t, sessions[1], survey.OfferMailCancelled); len(got) != 1 || got[kept].seq != 2 {
		t.Fatalf("cancelled session: %+v", got)
	}
	// A session added later: the seat is invited.
	added, err := f.st.AddDate(ctx, f.round, group, testDate(22, 14, 16), system)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.kinds(t, added, survey.OfferMailConfirmation); len(got) != 1 || got[kept].seq != 0 {
		t.Fatalf("added session: %+v", got)
	}
	// Merging another group in: its sessions are cancelled for its seats,
	// which are invited to this group's sessions.
	other, err := f.st.SplitOffer(ctx, f.round, group, []string{o.Members[1].AGS}, system)
	if err != nil {
		t.Fatal(err)
	}
	otherSession, err := f.st.AddDate(ctx, f.round, other, testDate(2, 10, 12), system)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.st.Book(ctx, BookRequest{RoundID: f.round, KommuneID: o.Members[1].KommuneID, OfferID: other,
		Participant: survey.Participant{Name: "P m", Email: "m@example.org"}}, system)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.MergeOffers(ctx, f.round, group, other, system); err != nil {
		t.Fatal(err)
	}
	if got := f.kinds(t, otherSession, survey.OfferMailCancelled); len(got) != 1 || got[r.ParticipantID].kind == "" {
		t.Errorf("merged-away session: %+v", got)
	}
	for _, sid := range []int64{sessions[0], added} {
		if got := f.kinds(t, sid, survey.OfferMailConfirmation); got[r.ParticipantID].kind == "" {
			t.Errorf("merged seat not invited to session %d: %+v", sid, got)
		}
	}
	if got := f.kinds(t, sessions[1], survey.OfferMailConfirmation); got[r.ParticipantID].kind != "" {
		t.Errorf("merged seat invited to a cancelled session")
	}
	// Reminder three days before the first session (1 March, 15:00).
	f.st.SetClock(func() time.Time { return time.Date(2027, 2, 26, 6, 0, 0, 0, time.UTC) })
	if n, err := f.st.QueueOfferReminders(ctx, 3); err != nil || n != 2 {
		t.Fatalf("group reminders: %d, %v", n, err)
	}
	if got := f.kinds(t, sessions[0], survey.OfferMailReminder); len(got) != 2 || got[kept].seq != 2 || got[r.ParticipantID].seq != 1 {
		t.Fatalf("group reminder: %+v", got)
	}
	job := claimKind(t, f.st, survey.OfferMailChanged)
	if job.Offer.ID != group || job.Date.ID != sessions[0] || job.Participant.ID != kept {
		t.Errorf("claimed group mail: offer %d date %d participant %d", job.Offer.ID, job.Date.ID, job.Participant.ID)
	}
}

// claimKind claims queued mails until one of the kind.
func claimKind(t *testing.T, st *Store, kind survey.OfferMailKind) OfferMailJob {
	t.Helper()
	for {
		job, ok, err := st.ClaimOfferMail(context.Background())
		if err != nil || !ok {
			t.Fatalf("no %s mail claimed: %v", kind, err)
		}
		if job.Kind == kind {
			return job
		}
	}
}

// TestOfferReminders: one reminder per booked participant and date from
// the Berlin day N days before the start, under repeated and concurrent
// runs; none for waiting or cancelled bookings, cancelled or begun
// dates, or a booking confirmed inside the window; a reminder whose
// booking was cancelled after it was queued is not sent.
func TestOfferReminders(t *testing.T) {
	bf := newBookingFixture(t, 3, time.Time{}) // 10 March 2027, 9:00 Berlin
	ctx := context.Background()
	o, _ := bf.st.Offer(ctx, bf.round, bf.offer)
	o.Dates[0].CancelUntil = time.Time{} // cancellable until the start
	if err := bf.st.UpdateDate(ctx, bf.round, bf.offer, o.Dates[0], system); err != nil {
		t.Fatal(err)
	}
	var booked []BookResult
	for i, e := range []string{"a", "b", "c", "d", "e"} {
		r, err := bf.book(i%4, e)
		if err != nil {
			t.Fatal(err)
		}
		booked = append(booked, r)
	}
	// a, b, c booked; d, e waiting. c cancels: d moves up (moved_up queued 1 Feb).
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[2], booked[2].BookingID, system); err != nil {
		t.Fatal(err)
	}
	run := func(now time.Time) int {
		t.Helper()
		bf.st.SetClock(func() time.Time { return now })
		n, err := bf.st.QueueOfferReminders(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// 6 March 23:59 Berlin: too early.
	if n := run(time.Date(2027, 3, 6, 23, 59, 0, 0, survey.Berlin())); n != 0 {
		t.Fatalf("too early: %d", n)
	}
	// 7 March 00:00 Berlin, concurrently.
	bf.st.SetClock(func() time.Time { return time.Date(2027, 3, 7, 0, 0, 0, 0, survey.Berlin()) })
	var wg sync.WaitGroup
	counts := make(chan int, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := bf.st.QueueOfferReminders(ctx, 3)
			if err != nil {
				t.Error(err)
			}
			counts <- n
		}()
	}
	wg.Wait()
	close(counts)
	total := 0
	for n := range counts {
		total += n
	}
	if total != 3 {
		t.Fatalf("concurrent runs queued %d, want 3 (a, b, d)", total)
	}
	got := bf.kinds(t, bf.date, survey.OfferMailReminder)
	for _, i := range []int{0, 1, 3} {
		if _, ok := got[booked[i].ParticipantID]; !ok {
			t.Errorf("no reminder to %d", i)
		}
	}
	if len(got) != 3 {
		t.Errorf("reminders: %+v", got)
	}
	// a: confirmation (0) → reminder repeats 0; d: waiting + moved_up → 1.
	if got[booked[0].ParticipantID].seq != 0 || got[booked[3].ParticipantID].seq != 1 {
		t.Errorf("reminder SEQUENCE: %+v", got)
	}
	// Repeated: nothing more. A booking inside the window gets its
	// confirmation, no reminder.
	if n := run(time.Date(2027, 3, 8, 10, 0, 0, 0, survey.Berlin())); n != 0 {
		t.Fatalf("second run: %d", n)
	}
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[1], booked[1].BookingID, system); err != nil {
		t.Fatal(err) // b cancels: e moves up inside the window
	}
	if n := run(time.Date(2027, 3, 9, 10, 0, 0, 0, survey.Berlin())); n != 0 {
		t.Fatalf("moved up inside the window reminded: %d", n)
	}
	// b's reminder, queued before the cancellation, is not sent.
	for {
		job, ok, err := bf.st.ClaimOfferMail(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if job.Kind == survey.OfferMailReminder && job.Participant.ID == booked[1].ParticipantID {
			t.Fatalf("reminder to a cancelled booking claimed")
		}
		if err := bf.st.FinishOfferMail(ctx, job.ID, MailSent, "250 ok"); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range bf.mailsOf(t, bf.date) {
		if m.kind == survey.OfferMailReminder && m.participant == booked[1].ParticipantID && m.status != "cancelled" {
			t.Errorf("b's reminder: %+v", m)
		}
	}
	// After the start: nothing.
	if n := run(time.Date(2027, 3, 10, 9, 30, 0, 0, survey.Berlin())); n != 0 {
		t.Fatalf("after the start: %d", n)
	}
	// Off with 0 days.
	if n, err := bf.st.QueueOfferReminders(ctx, 0); n != 0 || err != nil {
		t.Fatalf("0 days: %d %v", n, err)
	}
}

// TestDateMessage: staff's message goes to the booked participants (and
// on request the waiting list) as one mail each, stored once; refused
// texts change nothing; the audit entry names ids and the count only.
func TestDateMessage(t *testing.T) {
	bf := newBookingFixture(t, 1, time.Time{})
	ctx := context.Background()
	a, _ := bf.book(0, "a")
	w, _ := bf.book(1, "w")
	long := strings.Repeat("ä", survey.MaxOfferMessageText+1)
	for _, tc := range []struct {
		name       string
		m          survey.OfferMessage
		key, field string
	}{
		{"no subject", survey.OfferMessage{Subject: " \u202e ", Text: "x"}, "msg.offermessage.empty_betreff", "betreff"},
		{"no text", survey.OfferMessage{Subject: "S", Text: "\n \n"}, "msg.offermessage.empty_text", "text"},
		{"long subject", survey.OfferMessage{Subject: strings.Repeat("s", survey.MaxOfferMessageSubject+1), Text: "x"}, "msg.offermessage.long_betreff", "betreff"},
		{"long text", survey.OfferMessage{Subject: "S", Text: long}, "msg.offermessage.long_text", "text"},
		{"control", survey.OfferMessage{Subject: "S", Text: "a\x00b"}, "msg.offermessage.bad_chars", "text"},
		{"not UTF-8", survey.OfferMessage{Subject: "S\xff", Text: "x"}, "msg.offermessage.bad_chars", "betreff"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bf.st.SendDateMessage(ctx, bf.round, bf.date, tc.m, 0, system)
			var e *survey.Error
			if !errors.As(err, &e) || errKey(err) != tc.key || e.Field != tc.field {
				t.Fatalf("got %v (%#v), want %s at %s", err, e, tc.key, tc.field)
			}
		})
	}
	if len(bf.kinds(t, bf.date, survey.OfferMailMessage)) != 0 {
		t.Fatal("refused message queued")
	}
	if _, err := bf.st.SendDateMessage(ctx, bf.round+1000, bf.date, survey.OfferMessage{Subject: "S", Text: "T"}, 0, system); survey.ErrorCode(err) != survey.ENotFound {
		t.Fatalf("other round: %v", err)
	}
	formula := survey.OfferMessage{Subject: "=HYPERLINK(\"http://x\")", Text: "+SUMME(A1)\r\n\r\n@Raum \u202eB"}
	if _, err := bf.st.SendDateMessage(ctx, bf.round, bf.date, formula, 2, system); errKey(err) != "msg.offermessage.changed" {
		t.Fatalf("recipients changed since the preview: %v", err)
	}
	res, err := bf.st.SendDateMessage(ctx, bf.round, bf.date, formula, 1, system)
	if err != nil || res.Recipients != 1 {
		t.Fatalf("booked only: %+v, %v", res, err)
	}
	if got := bf.kinds(t, bf.date, survey.OfferMailMessage); len(got) != 1 || got[a.ParticipantID].message.Int64 != res.MessageID {
		t.Fatalf("message mails: %+v", got)
	}
	formula.Waiting = true
	res2, err := bf.st.SendDateMessage(ctx, bf.round, bf.date, formula, 0, system)
	if err != nil || res2.Recipients != 2 || res2.MessageID == res.MessageID {
		t.Fatalf("with waiting: %+v, %v", res2, err)
	}
	if n, _ := bf.st.DateMessageRecipients(ctx, bf.round, bf.date, true); n != 2 {
		t.Errorf("recipients: %d", n)
	}
	job := claimKind(t, bf.st, survey.OfferMailMessage)
	if job.Message.Subject != formula.Subject || job.Message.Text != "+SUMME(A1)\n\n@Raum B" || job.Participant.ID != a.ParticipantID {
		t.Errorf("claimed message: %+v", job.Message)
	}
	job = claimKind(t, bf.st, survey.OfferMailMessage) // the second message to a
	job = claimKind(t, bf.st, survey.OfferMailMessage)
	if job.Participant.ID != w.ParticipantID || !job.Waiting || !job.Message.Waiting {
		t.Errorf("message to the waiting list: %+v", job)
	}
	entries, err := bf.st.AuditLog(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, e := range entries {
		if e.Action != "offermail.message" {
			continue
		}
		found++
		if strings.Contains(e.Detail, "Person") || strings.Contains(e.Detail, "SUMME") || strings.Contains(e.Detail, "example.org") {
			t.Errorf("audit entry names a person or the text: %s", e.Detail)
		}
	}
	if found != 2 {
		t.Errorf("%d audit entries offermail.message, want 2", found)
	}
	// Nobody booked: refused.
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[0], a.BookingID, system); err != nil {
		t.Fatal(err)
	}
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[1], w.BookingID, system); err != nil {
		t.Fatal(err)
	}
	if _, err := bf.st.SendDateMessage(ctx, bf.round, bf.date, formula, 0, system); errKey(err) != "msg.offermessage.nobody" {
		t.Fatalf("nobody: %v", err)
	}
}
