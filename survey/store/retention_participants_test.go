package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestRetentionParticipants: participants of an offer are anonymised only
// once its last date ended longer ago than the period, their bookings and
// their counts stay, one audit entry says how many, a dry run changes
// nothing, and a participant also booked on a later offer keeps their data.
func TestRetentionParticipants(t *testing.T) {
	ctx := context.Background()
	f, training, dateID, clock := feedbackFixture(t) // 9 participants on the first date of the training (last date 10 March 2027)
	o, err := f.st.Offer(ctx, f.round, training)
	if err != nil {
		t.Fatal(err)
	}
	last := o.Dates[len(o.Dates)-1].End
	keep := 90 * 24 * time.Hour
	// A participant of the training also booked on the group, whose offer
	// has no dates yet: kept.
	both := bookTestParticipants(t, f, training, dateID, 1, "booked")[0]
	if _, err := f.st.w.ExecContext(ctx, "INSERT INTO bookings (offer_id, date_id, participant_id, kommune_id, status, created_at, updated_at) VALUES (?, NULL, ?, ?, 'booked', ?, ?)",
		groupOf(t, f), both, f.resps[0].Kommune.ID, f.st.stamp(), f.st.stamp()); err != nil {
		t.Fatal(err)
	}
	counts := func() (named, rows, bookings int) {
		f.st.r.QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE name <> ''), count(*) FROM participants").Scan(&named, &rows)
		f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM bookings").Scan(&bookings)
		return
	}
	// A queued mail and a failed one quoting the address, to a participant
	// of the training.
	var pid, bid int64
	f.st.r.QueryRowContext(ctx, "SELECT participant_id, id FROM bookings WHERE date_id = ? ORDER BY id LIMIT 1", dateID).Scan(&pid, &bid)
	for _, st := range []string{"queued", "failed"} {
		if _, err := f.st.w.ExecContext(ctx, `INSERT INTO offer_mails (booking_id, participant_id, date_id, kind, sequence, first_mail, status, server_answer, queued_at, updated_at)
			VALUES (?, ?, ?, 'confirmation', 0, 1, ?, '550 p0@kommune.example unknown', ?, ?)`, bid, pid, dateID, st, f.st.stamp(), f.st.stamp()); err != nil {
			t.Fatal(err)
		}
	}
	// Staff's message to the date: its text goes with the last named
	// recipient.
	if _, err := f.st.w.ExecContext(ctx, `INSERT INTO offer_messages (id, date_id, subject, body, waiting, recipients, created_at)
		VALUES (1, ?, 'Frau P0 kommt später', 'Text', 0, 1, ?)`, dateID, f.st.stamp()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.w.ExecContext(ctx, `INSERT INTO offer_mails (booking_id, participant_id, date_id, kind, sequence, first_mail, status, queued_at, updated_at, message_id)
		VALUES (?, ?, ?, 'message', 0, 0, 'sent', ?, ?, 1)`, bid, pid, dateID, f.st.stamp(), f.st.stamp()); err != nil {
		t.Fatal(err)
	}
	message := func() (text string) {
		f.st.r.QueryRowContext(ctx, "SELECT subject || body FROM offer_messages WHERE id = 1").Scan(&text)
		return text
	}
	n0, r0, b0 := counts()
	if n0 != 10 || r0 != 10 || b0 != 11 {
		t.Fatalf("seed: %d named, %d rows, %d bookings", n0, r0, b0)
	}
	run := func(at time.Time, dry bool) RetentionResult {
		t.Helper()
		*clock = at
		res, err := f.st.Retain(ctx, Retention{Participants: keep, DryRun: dry}, system)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// A minute before the period ends: nothing.
	if res := run(last.Add(keep-time.Minute), false); res.Participants == nil || res.Participants.Participants != 0 {
		t.Fatalf("before the period: %+v", res.Participants)
	}
	if n, _, _ := counts(); n != 10 || len(feedbackAudit(t, f, "retention.participants")) != 0 {
		t.Fatalf("before the period: %d named", n)
	}
	// After it, a dry run counts and changes nothing.
	after := last.Add(keep + time.Minute)
	if res := run(after, true); res.Participants.Participants != 9 || res.Participants.Bookings != 9 {
		t.Fatalf("dry run: %+v, want 9 participants with 9 bookings", res.Participants)
	}
	if n, _, _ := counts(); n != 10 || message() == "" {
		t.Fatalf("dry run changed %d (message %q)", 10-n, message())
	}
	res := run(after, false)
	if res.Participants.Participants != 9 {
		t.Fatalf("run: %+v", res.Participants)
	}
	n1, r1, b1 := counts()
	if n1 != 1 || r1 != r0 || b1 != b0 {
		t.Fatalf("after: %d named (want 1: booked on a group without dates), %d rows (want %d), %d bookings (want %d)", n1, r1, r0, b1, b0)
	}
	var leftover int
	f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM participants WHERE id <> ? AND (name <> '' OR function <> '' OR email <> '')", both).Scan(&leftover)
	if leftover != 0 {
		t.Fatalf("%d participants keep data", leftover)
	}
	var mails string
	f.st.r.QueryRowContext(ctx, "SELECT group_concat(status || '[' || server_answer || ']', ' ') FROM (SELECT status, server_answer FROM offer_mails ORDER BY id)").Scan(&mails)
	if mails != "cancelled[] failed[] sent[]" {
		t.Fatalf("participant's mails after retention: %s, want the queued one stopped and the answers emptied", mails)
	}
	if m := message(); m != "" {
		t.Fatalf("message text kept after its recipient was anonymised: %q", m)
	}
	var byStatus string
	f.st.r.QueryRowContext(ctx, "SELECT group_concat(status || ':' || n, ' ') FROM (SELECT status, count(*) n FROM bookings WHERE date_id = ? GROUP BY status ORDER BY status)", dateID).Scan(&byStatus)
	if byStatus != "attended:2 booked:5 cancelled:3" {
		t.Fatalf("booking counts %q changed", byStatus)
	}
	entries := feedbackAudit(t, f, "retention.participants")
	if len(entries) != 1 || !strings.Contains(entries[0].Detail, "von 9 Personen") {
		t.Fatalf("audit %+v", entries)
	}
	// Again: nothing more, no new entry.
	if res := run(after.Add(time.Hour), false); res.Participants.Participants != 0 || len(feedbackAudit(t, f, "retention.participants")) != 1 {
		t.Fatalf("second run: %+v", res.Participants)
	}
}

// groupOf returns the id of the fixture's supervision group.
func groupOf(t *testing.T, f *fixture) int64 {
	t.Helper()
	var id int64
	if err := f.st.r.QueryRowContext(context.Background(), "SELECT id FROM offers WHERE round_id = ? AND kind = 'group'", f.round).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
