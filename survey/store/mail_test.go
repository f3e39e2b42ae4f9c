package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

func TestContactsImportAllOrNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	k := f.resps[0].Kommune
	if err := f.st.AddContact(ctx, k.ID, "buero@kommune.example", "Büro", system); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddContact(ctx, k.ID, "BUERO@kommune.example", "", system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("same address again (other case): got %v, want a conflict", err)
	}
	if err := f.st.AddContact(ctx, k.ID, "kein-at", "", system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("bad address: got %v, want invalid", err)
	}
	rows, err := survey.ParseContactsCSV([]byte("AGS;E-Mail;Name\n" + k.AGS + ";neu@kommune.example;Neu\n09999999;x@y.example;\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.st.ImportContacts(ctx, rows, true, system)
	var ie *survey.ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || !strings.HasPrefix(ie.Problems[0], "Zeile 3: ") {
		t.Fatalf("unknown key: got %v, want one problem in line 3", err)
	}
	if cs, _ := f.st.Contacts(ctx, k.ID); len(cs) != 1 {
		t.Errorf("after a refused import the Kommune has %d addresses, want the 1 it had", len(cs))
	}
	rows, _ = survey.ParseContactsCSV([]byte(k.AGS + ";neu@kommune.example;Neu\n"))
	res, err := f.st.ImportContacts(ctx, rows, true, system)
	if err != nil || res.Added != 1 || res.Removed != 1 {
		t.Fatalf("replace: %+v, %v; want 1 added, 1 removed", res, err)
	}
	if cs, _ := f.st.Contacts(ctx, k.ID); len(cs) != 1 || cs[0].Email != "neu@kommune.example" || cs[0].Name != "Neu" {
		t.Errorf("after replace: %+v", cs)
	}
}

func mailFixture(t *testing.T) (*fixture, context.Context) {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	for i, r := range f.resps {
		if err := f.st.AddContact(ctx, r.Kommune.ID, "k"+string(rune('a'+i))+"@kommune.example", "", system); err != nil {
			t.Fatal(err)
		}
	}
	return f, ctx
}

func queue(t *testing.T, f *fixture, kind survey.MailKind, ags string) QueueResult {
	t.Helper()
	m, err := f.st.RoundMail(context.Background(), f.round)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.st.QueueMails(context.Background(), MailSelection{RoundID: f.round, Kind: kind, AGS: ags}, m.Version, "test.example", f.sealer, system)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func statuses(t *testing.T, f *fixture) map[MailStatus]int {
	t.Helper()
	log, err := f.st.MailLog(context.Background(), f.round, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[MailStatus]int{}
	for _, m := range log {
		out[m.Status]++
	}
	return out
}

// TestMailAtMostOnce follows mails through the queue: claimed mails are
// committed as sending first; one found sending at start becomes unklar and
// is never claimed again until a person requeues it.
func TestMailAtMostOnce(t *testing.T) {
	f, ctx := mailFixture(t)
	res := queue(t, f, survey.MailInvitation, "")
	if res.Queued != 2 || res.LinksIssued != 2 {
		t.Fatalf("queued %d, links %d; want 2 and 2", res.Queued, res.LinksIssued)
	}
	if again := queue(t, f, survey.MailInvitation, ""); again.Queued != 0 || len(again.Skipped) != 2 {
		t.Errorf("second invitation to all: queued %d, want 0 (already invited)", again.Queued)
	}
	job, ok, err := f.st.ClaimMail(ctx, f.sealer)
	if err != nil || !ok || job.Token == "" || job.Questionnaire == "" {
		t.Fatalf("claim: %v %v, token set %v", ok, err, job.Token != "")
	}
	inv, _ := f.st.Invitation(ctx, f.round, job.Kommune.AGS, f.sealer)
	if job.Token != inv.Token {
		t.Error("the mail does not carry the Kommune's current link")
	}
	if err := f.st.FinishMail(ctx, job.ID, MailSent, "250 ok"); err != nil {
		t.Fatal(err)
	}
	job2, ok, err := f.st.ClaimMail(ctx, f.sealer)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	// "crash": the outcome of job2 is never recorded.
	if n, err := f.st.MarkInterruptedMails(ctx); err != nil || n != 1 {
		t.Fatalf("interrupted: %d, %v; want 1", n, err)
	}
	if _, ok, _ := f.st.ClaimMail(ctx, f.sealer); ok {
		t.Fatal("an unklar mail was claimed again")
	}
	if got := statuses(t, f); got[MailSent] != 1 || got[MailUnclear] != 1 {
		t.Errorf("statuses %v, want 1 sent, 1 unklar", got)
	}
	if err := f.st.FinishMail(ctx, job2.ID, MailSent, ""); err == nil {
		t.Error("an unklar mail took an outcome as if it were still being sent")
	}
	if err := f.st.RetryMail(ctx, f.round, job2.ID, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("retry of an unklar mail: %v, want a conflict (only requeue after checking)", err)
	}
	if err := f.st.RequeueMail(ctx, f.round, job2.ID, system); err != nil {
		t.Fatal(err)
	}
	job3, ok, err := f.st.ClaimMail(ctx, f.sealer)
	if err != nil || !ok || job3.ID != job2.ID || job3.Attempts != 2 || job3.MessageID != job2.MessageID {
		t.Fatalf("requeued claim: %+v %v %v", job3.MailRow, ok, err)
	}
	if err := f.st.FinishMail(ctx, job3.ID, MailFailed, "550 no"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.RetryMail(ctx, f.round, job3.ID, system); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.st.ClaimMail(ctx, f.sealer); !ok {
		t.Error("a retried mail was not claimed")
	}
}

func TestMailRemindersAndDays(t *testing.T) {
	f, ctx := mailFixture(t)
	if _, err := f.st.IssueToken(ctx, f.resps[0].ID, f.sealer, system); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.IssueToken(ctx, f.resps[1].ID, f.sealer, system); err != nil {
		t.Fatal(err)
	}
	// The first Kommune submits: reminders go to the second only.
	if _, err := f.st.w.ExecContext(ctx, "UPDATE responses SET status = 'submitted' WHERE id = ?", f.resps[0].ID); err != nil {
		t.Fatal(err)
	}
	res := queue(t, f, survey.MailReminder, "")
	if res.Queued != 1 || len(res.Skipped) != 1 || res.Skipped[0].Skip.Key != "msg.mail.skip.submitted" || res.Skipped[0].Skip.String() != "hat eingereicht" {
		t.Fatalf("reminders: queued %d, skipped %+v", res.Queued, res.Skipped)
	}
	if again := queue(t, f, survey.MailReminder, ""); again.Queued != 0 {
		t.Errorf("a second reminder the same day was queued")
	}
	// The next day it may go again (deliberately, by staff).
	f.st.SetClock(func() time.Time { return time.Now().Add(24 * time.Hour) })
	if next := queue(t, f, survey.MailReminder, ""); next.Queued != 1 {
		t.Errorf("reminder the next day: queued %d, want 1", next.Queued)
	}
}

func TestMailAutoReminder(t *testing.T) {
	f, ctx := mailFixture(t)
	for _, r := range f.resps {
		if _, err := f.st.IssueToken(ctx, r.ID, f.sealer, system); err != nil {
			t.Fatal(err)
		}
	}
	round, _ := f.st.Round(ctx, f.round)
	day := func(daysBefore int) func() time.Time {
		d := round.Deadline.AddDate(0, 0, -daysBefore)
		return func() time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, survey.Berlin()) }
	}
	count := func(when string, want int) {
		t.Helper()
		n, err := f.st.QueueAutoReminders(ctx, "test.example")
		if err != nil || n != want {
			t.Errorf("%s: %d automatic reminders (%v), want %d", when, n, err, want)
		}
	}
	f.st.SetClock(day(3))
	count("off by default", 0)
	m, _ := f.st.RoundMail(ctx, f.round)
	if err := f.st.SaveRoundMail(ctx, f.round, m.Invitation, m.Reminder, 2, system); err != nil {
		t.Fatal(err)
	}
	count("3 days before, set to 2", 0)
	f.st.SetClock(day(2))
	count("2 days before", 2)
	count("2 days before, again", 0)
	f.st.SetClock(day(1))
	count("1 day before (already reminded in the window)", 0)
	if got := statuses(t, f); got[MailQueued] != 2 {
		t.Errorf("statuses %v, want 2 queued", got)
	}
	log, _ := f.st.MailLog(ctx, f.round, 0, 10)
	for _, m := range log {
		if !m.Automatic || m.Kind != survey.MailReminder {
			t.Errorf("mail %d: automatic %v kind %s", m.ID, m.Automatic, m.Kind)
		}
	}
}

func TestMailTextsVersionAndCancel(t *testing.T) {
	f, ctx := mailFixture(t)
	old, _ := f.st.RoundMail(ctx, f.round)
	if err := f.st.SaveRoundMail(ctx, f.round, survey.MailText{Subject: "Hallo {{Link}}", Body: "ohne"}, old.Reminder, 0, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Fatalf("link in subject, no link in body: %v, want invalid", err)
	}
	own := survey.MailText{Subject: "Grüße an {{Kommune}}", Body: "Bitte hier: {{Link}}"}
	if err := f.st.SaveRoundMail(ctx, f.round, own, old.Reminder, 0, system); err != nil {
		t.Fatal(err)
	}
	_, err := f.st.QueueMails(ctx, MailSelection{RoundID: f.round, Kind: survey.MailInvitation}, old.Version, "x.example", f.sealer, system)
	if !errors.Is(err, ErrMailTextsChanged) {
		t.Errorf("queue with the preview's old version: %v, want ErrMailTextsChanged", err)
	}
	res := queue(t, f, survey.MailInvitation, "")
	if res.Queued != 2 {
		t.Fatalf("queued %d", res.Queued)
	}
	// A link revoked after queueing: the mail is not sent.
	if err := f.st.RevokeToken(ctx, f.resps[0].ID, system); err != nil {
		t.Fatal(err)
	}
	job, ok, err := f.st.ClaimMail(ctx, f.sealer)
	if err != nil || !ok || job.Kommune.ID != f.resps[1].Kommune.ID || job.Subject != own.Subject {
		t.Fatalf("claim: %v %v %+v", ok, err, job.MailRow)
	}
	if got := statuses(t, f); got[MailCancelled] != 1 || got[MailSending] != 1 {
		t.Errorf("statuses %v, want 1 cancelled, 1 sending", got)
	}
}

// TestMailStatusTexts: a mail's status inserted into a keyed message reads
// as its label in German.
func TestMailStatusTexts(t *testing.T) {
	for _, s := range []MailStatus{MailQueued, MailSending, MailSent, MailFailed, MailUnclear, MailCancelled} {
		if got := s.Text().String(); got != s.Label() {
			t.Errorf("%s: Text %q, Label %q", s, got, s.Label())
		}
	}
}
