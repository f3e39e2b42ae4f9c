package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

// TestPurgePersonalMail: retention also empties the mail queue and send
// log of the rounds it purges. Each mail of such a round keeps its Kommune,
// kind, status, attempts, Message-ID and times, but loses its recipients,
// subject, text and the mail server's answer; a mail that had not gone out
// is never sent afterwards, not even when the round is opened again; the
// audit entries about the round's mails lose the addresses and the server's
// answers. Mails of a more recent closed round and of an open round stay as
// they were, a dry run changes nothing, and afterwards no address, name or
// link of the purged round is left anywhere in the database.
func TestPurgePersonalMail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)
	f.st.SetClock(func() time.Time { return now })
	staff := survey.Actor{Kind: "staff", Label: "Ruth Retention"}
	a, b := f.resps[0].Kommune, f.resps[1].Kommune
	old := f.round

	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := f.st.w.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	// The Kommunen's addresses at the time of the old round. They are set
	// directly: the contact list and the audit entries of its own changes
	// belong to the Kommune, not to a round, and retention leaves them.
	setContacts := func(rows ...[3]any) {
		t.Helper()
		exec("DELETE FROM kommune_contacts")
		for _, r := range rows {
			exec("INSERT INTO kommune_contacts (kommune_id, name, email, created_at) VALUES (?, ?, ?, ?)", r[0], r[1], r[2], now.Format(timeLayout))
		}
	}
	setContacts([3]any{a.ID, "Anna Altmann", "alt-a@kommune.example"}, [3]any{b.ID, "Bernd Bisher", "alt-b@kommune.example"})
	queueIn := func(round int64, kind survey.MailKind, ags string, want int) {
		t.Helper()
		m, err := f.st.RoundMail(ctx, round)
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.st.QueueMails(ctx, MailSelection{RoundID: round, Kind: kind, AGS: ags}, m.Version, "test.example", f.sealer, system)
		if err != nil || res.Queued != want {
			t.Fatalf("queue %s in round %d: %+v, %v; want %d queued", kind, round, res, err, want)
		}
	}
	claim := func() MailJob {
		t.Helper()
		job, ok, err := f.st.ClaimMail(ctx, f.sealer)
		if err != nil || !ok {
			t.Fatalf("claim: %v, %v", ok, err)
		}
		return job
	}

	// The old round's mails, one in every status.
	queueIn(old, survey.MailInvitation, "", 2)
	sent := claim()
	if err := f.st.FinishMail(ctx, sent.ID, MailSent, "250 2.0.0 Ok: queued as 4711"); err != nil {
		t.Fatal(err)
	}
	failed := claim()
	if err := f.st.FinishMail(ctx, failed.ID, MailFailed, "550 5.1.1 <alt-b@kommune.example>: Recipient address rejected"); err != nil {
		t.Fatal(err)
	}
	tokens := []string{sent.Token, failed.Token} // the links of A and B
	queueIn(old, survey.MailReminder, "", 2)
	unclear := claim()
	if n, err := f.st.MarkInterruptedMails(ctx); err != nil || n != 1 {
		t.Fatalf("interrupted: %d, %v", n, err)
	}
	sending := claim() // its outcome is never recorded
	now = now.AddDate(0, 0, 1)
	queueIn(old, survey.MailInvitation, a.AGS, 1)
	queueIn(old, survey.MailReminder, b.AGS, 1)
	var queued, cancelled int64
	if err := f.st.r.QueryRowContext(ctx, "SELECT max(id) - 1, max(id) FROM mail_queue").Scan(&queued, &cancelled); err != nil {
		t.Fatal(err)
	}
	exec("UPDATE mail_queue SET status = 'cancelled', server_answer = 'Nicht gesendet: Die Kommune hat inzwischen eingereicht.' WHERE id = ?", cancelled)
	for _, tok := range tokens {
		if tok == "" {
			t.Fatal("a claimed mail carried no link")
		}
	}

	// Later the Kommunen have other addresses; a more recent round (closed
	// 30 days ago) and an open round have mails to them.
	setContacts([3]any{a.ID, "Nora Neu", "neu-a@kommune.example"}, [3]any{b.ID, "", "neu-b@kommune.example"})
	first, err := f.st.Round(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	qid := first.QuestionnaireID
	recent, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: qid, Title: "Jüngst geschlossen", OpensOn: now, Deadline: now.AddDate(0, 1, 0), KommuneIDs: []int64{a.ID}}, system)
	if err != nil {
		t.Fatal(err)
	}
	open, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: qid, Title: "Noch offen", OpensOn: now, Deadline: now.AddDate(0, 1, 0), Status: survey.RoundOpen, KommuneIDs: []int64{b.ID}}, system)
	if err != nil {
		t.Fatal(err)
	}
	queueIn(recent, survey.MailInvitation, "", 1)
	queueIn(open, survey.MailInvitation, "", 1)

	now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, r := range []struct {
		id     int64
		status string
		days   int // the deadline, relative to now
	}{{old, "closed", -91}, {recent, "closed", -30}, {open, "open", -200}} {
		exec("UPDATE rounds SET status = ?, deadline = ? WHERE id = ?", r.status, now.AddDate(0, 0, r.days).Format(time.DateOnly), r.id)
	}

	// dump is everything stored about the mails of a round, in the queue
	// and in the audit log.
	dump := func(round int64) string {
		t.Helper()
		var out strings.Builder
		for _, q := range []string{
			"SELECT * FROM mail_queue WHERE round_id = ? ORDER BY id",
			"SELECT * FROM audit_log WHERE round_id = ? AND action LIKE 'mail.%' ORDER BY id",
		} {
			rows, err := f.st.r.QueryContext(ctx, q, round)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&out, "%v\n", vals)
			}
			rows.Close()
		}
		return out.String()
	}
	// everywhere lists the table columns whose text contains s, in any
	// table of the database.
	everywhere := func(s string) []string {
		t.Helper()
		names := func(query string, args ...any) []string {
			t.Helper()
			rows, err := f.st.r.QueryContext(ctx, query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var n string
				if err := rows.Scan(&n); err != nil {
					t.Fatal(err)
				}
				out = append(out, n)
			}
			return out
		}
		tables := names("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
		var found []string
		for _, table := range tables {
			cols := names("SELECT name FROM pragma_table_info(?)", table)
			for _, c := range cols {
				var n int
				if err := f.st.r.QueryRowContext(ctx, `SELECT count(*) FROM "`+table+`" WHERE instr(lower(CAST("`+c+`" AS TEXT)), lower(?)) > 0`, s).Scan(&n); err != nil {
					t.Fatalf("search %s.%s: %v", table, c, err)
				}
				if n > 0 {
					found = append(found, table+"."+c)
				}
			}
		}
		return found
	}
	gone := append([]string{"alt-a@kommune.example", "alt-b@kommune.example", "Anna Altmann", "Bernd Bisher"}, tokens...)
	for _, s := range gone[:4] {
		if len(everywhere(s)) == 0 {
			t.Fatalf("%q is nowhere before retention: the search does not work", s)
		}
	}
	untouched := map[int64]string{recent: dump(recent), open: dump(open)}
	before := dump(old)

	t.Run("dry run changes nothing", func(t *testing.T) {
		sums := tableSums(t, f.path)
		got, err := f.st.PurgePersonal(ctx, 90*24*time.Hour, true, staff)
		if err != nil || len(got) != 1 || got[0].Round.ID != old || got[0].Mails != 6 || got[0].Stopped != 4 || got[0].MailAudit != 8 {
			t.Fatalf("dry run: %+v, %v; want round %d with 6 mails, 4 stopped, 8 audit entries", got, err, old)
		}
		compareSums(t, "after a dry run", tableSums(t, f.path), sums)
	})

	got, err := f.st.PurgePersonal(ctx, 90*24*time.Hour, false, staff)
	if err != nil || len(got) != 1 || got[0].Round.ID != old || got[0].Mails != 6 || got[0].Stopped != 4 || got[0].MailAudit != 8 {
		t.Fatalf("retention: %+v, %v; want round %d with 6 mails, 4 stopped, 8 audit entries", got, err, old)
	}
	if dump(old) == before {
		t.Fatal("the old round's mails are unchanged")
	}

	t.Run("mails keep only kind, status and times", func(t *testing.T) {
		log, err := f.st.MailLog(ctx, old, 0, 100)
		if err != nil || len(log) != 6 {
			t.Fatalf("send log: %d mails, %v; want all 6 kept", len(log), err)
		}
		byID := map[int64]MailRow{}
		for _, m := range log {
			byID[m.ID] = m
		}
		for _, tc := range []struct {
			name     string
			id       int64
			kind     survey.MailKind
			status   MailStatus
			answer   string // the start of the server answer
			attempts int
			note     string // the key of the note the answer reads as
		}{
			{"sent", sent.ID, survey.MailInvitation, MailSent, "Empfänger, Betreff", 1, "msg.mail.purged_note"},
			{"failed", failed.ID, survey.MailInvitation, MailFailed, "Empfänger, Betreff", 1, "msg.mail.purged_note"},
			{"unklar", unclear.ID, survey.MailReminder, MailUnclear, "Empfänger, Betreff", 1, "msg.mail.purged_note"},
			{"sending becomes unklar", sending.ID, survey.MailReminder, MailUnclear, "Versand unterbrochen, Ergebnis unklar.", 1, "msg.mail.purged_sending"},
			{"queued becomes cancelled", queued, survey.MailInvitation, MailCancelled, "Nicht gesendet:", 0, "msg.mail.purged_queued"},
			{"cancelled", cancelled, survey.MailReminder, MailCancelled, "Empfänger, Betreff", 0, "msg.mail.purged_note"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m, ok := byID[tc.id]
				switch {
				case !ok:
					t.Fatalf("mail %d is gone", tc.id)
				case len(m.Recipients) != 0 || m.Subject != "" || m.Body != "":
					t.Errorf("recipients %q, subject %q, body %q left", m.Recipients, m.Subject, m.Body)
				case m.Kind != tc.kind || m.Status != tc.status || m.Attempts != tc.attempts:
					t.Errorf("%s %s after %d attempts, want %s %s after %d", m.Kind, m.Status, m.Attempts, tc.kind, tc.status, tc.attempts)
				case !strings.HasPrefix(m.ServerAnswer, tc.answer) || !strings.Contains(m.ServerAnswer, "Aufbewahrungsfrist"):
					t.Errorf("server answer %q, want it to start %q and name the retention", m.ServerAnswer, tc.answer)
				case m.Note == nil || m.Note.Key != tc.note || m.Note.String() != m.ServerAnswer:
					t.Errorf("note %v of the answer %q, want %s", m.Note, m.ServerAnswer, tc.note)
				case m.QueuedAt.IsZero() || m.MessageID == "" || m.Kommune.ID == 0:
					t.Errorf("queued at %v, Message-ID %q, Kommune %d: lost", m.QueuedAt, m.MessageID, m.Kommune.ID)
				case (tc.status == MailSent) != !m.SentAt.IsZero():
					t.Errorf("sent at %v with status %s", m.SentAt, m.Status)
				}
			})
		}
	})

	t.Run("other rounds untouched", func(t *testing.T) {
		for round, want := range untouched {
			if got := dump(round); got != want {
				t.Errorf("round %d changed:\n%s\nwant\n%s", round, got, want)
			}
		}
		if !strings.Contains(untouched[recent], "neu-a@kommune.example") {
			t.Errorf("the recent round has no mail to its address: %s", untouched[recent])
		}
	})

	t.Run("audit keeps the events, not the addresses", func(t *testing.T) {
		log, err := f.st.AuditLog(ctx, 0, 1)
		if err != nil || len(log) != 1 || log[0].Action != "retention.purge" || log[0].RoundID != old ||
			!strings.Contains(log[0].Detail, "6 Mails") || !strings.Contains(log[0].Detail, "4 nicht gesendete") {
			t.Errorf("retention audit entry: %+v, %v", log, err)
		}
		var queuedEntries, answerGone int
		rows, err := f.st.r.QueryContext(ctx, "SELECT action, detail FROM audit_log WHERE round_id = ? AND action LIKE 'mail.%'", old)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var action, detail string
			rows.Scan(&action, &detail)
			switch {
			case action == "mail.queue" && strings.HasSuffix(detail, " an (Adressen gelöscht)"):
				queuedEntries++
			case strings.HasSuffix(detail, " (Antwort des Mailservers gelöscht)"):
				answerGone++
			}
		}
		if queuedEntries != 6 || answerGone != 2 {
			t.Errorf("%d queue entries without addresses (want 6), %d finish entries without the answer (want 2)", queuedEntries, answerGone)
		}
	})

	t.Run("no address, name or link left", func(t *testing.T) {
		for _, s := range gone {
			if found := everywhere(s); len(found) > 0 {
				t.Errorf("%q still in %v", s, found)
			}
		}
		if found := strings.Join(everywhere("neu-a@kommune.example"), " "); !strings.Contains(found, "mail_queue.recipients") || !strings.Contains(found, "kommune_contacts.email") {
			t.Errorf("the current address is in %q; want the recent round's mail and the contact list kept", found)
		}
		for _, suffix := range []string{"", "-wal"} {
			data, err := os.ReadFile(f.path + suffix)
			if err != nil {
				continue
			}
			for _, s := range gone {
				if bytes.Contains(data, []byte(s)) {
					t.Errorf("%q still in the database file%s", s, suffix)
				}
			}
		}
	})

	t.Run("second run finds nothing", func(t *testing.T) {
		last, _ := f.st.AuditLog(ctx, 0, 1)
		again, err := f.st.PurgePersonal(ctx, 90*24*time.Hour, false, staff)
		if err != nil || len(again) != 1 || again[0].Mails != 0 || again[0].Stopped != 0 || again[0].MailAudit != 0 {
			t.Errorf("second run: %+v, %v; want nothing left", again, err)
		}
		if now, _ := f.st.AuditLog(ctx, 0, 1); len(now) != 1 || len(last) != 1 || now[0] != last[0] {
			t.Error("a run that removed nothing was audited")
		}
	})

	t.Run("never sent, even in a reopened round", func(t *testing.T) {
		if err := f.st.OpenRound(ctx, old, staff); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			fn   func(context.Context, int64, int64, survey.Actor) error
			id   int64
		}{
			{"retry failed", f.st.RetryMail, failed.ID},
			{"retry cancelled", f.st.RetryMail, queued},
			{"requeue unklar", f.st.RequeueMail, sending.ID},
		} {
			if err := tc.fn(ctx, old, tc.id, staff); survey.ErrorCode(err) != survey.EConflict {
				t.Errorf("%s: %v, want a conflict", tc.name, err)
			}
		}
		for {
			job, ok, err := f.st.ClaimMail(ctx, f.sealer)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			if job.RoundID == old {
				t.Errorf("mail %d of the purged round was claimed for sending", job.ID)
			}
			if err := f.st.FinishMail(ctx, job.ID, MailSent, "250 ok"); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM mail_queue WHERE round_id = ? AND status IN ('queued', 'sending')", old).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d mails of the purged round queued or being sent, %v", n, err)
		}
	})
}
