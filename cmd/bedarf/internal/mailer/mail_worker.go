package mailer

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// Service sends the queued mails in one goroutine that the server
// starts with its context and that stops when it ends (after the mail in
// hand). The queue lives in SQLite, so mails survive a restart; see
// store.ClaimMail for the at-most-once rule.
type Service struct {
	st      *store.Store
	sealer  *auth.Sealer
	log     *slog.Logger
	set     *mailSettings // nil: no mail server configured, mails wait in the queue
	baseURL string
	domain  string // of the Message-IDs
	wake    chan struct{}
	now     func() time.Time

	poll      time.Duration // how often the queue is looked at without a wake-up
	autoEvery time.Duration // how often automatic reminders are looked for
	// reminderDays is how many days before a date participants are
	// reminded (0: never).
	reminderDays int
}

// Deps is what the mail service works with.
type Deps struct {
	// St is the store that holds the mail queue.
	St *store.Store
	// Sealer opens the sealed links of the invitations.
	Sealer *auth.Sealer
	// Log receives the outcome of every mail.
	Log *slog.Logger
	// BaseURL is the public address in the mails' links.
	BaseURL string
}

// Start sets up the mail service: mails left 'sending' by an earlier
// run become 'unklar', and with a mail server configured the sender runs
// until ctx ends. The returned stop waits for it.
func Start(ctx context.Context, d Deps, cfg Config) (m *Service, stop func(), err error) {
	set, err := cfg.settings()
	if err != nil {
		return nil, nil, err
	}
	days, err := cfg.reminderDays()
	if err != nil {
		return nil, nil, err
	}
	m = &Service{st: d.St, sealer: d.Sealer, log: d.Log, set: set, baseURL: d.BaseURL,
		wake: make(chan struct{}, 1), now: time.Now, poll: 5 * time.Second, autoEvery: 10 * time.Minute, reminderDays: days}
	m.domain = set.domain()
	if m.domain == "" {
		m.domain = survey.MessageDomain(d.BaseURL)
	}
	n, err := d.St.MarkInterruptedMails(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("mail queue: %w", err)
	}
	if n > 0 {
		d.Log.Warn("mails interrupted while being sent are marked unklar for staff to check", "count", n)
	}
	if n, err = d.St.MarkInterruptedOfferMails(ctx); err != nil {
		return nil, nil, fmt.Errorf("participant mail queue: %w", err)
	}
	if n > 0 {
		d.Log.Warn("participant mails interrupted while being sent are marked unklar", "count", n)
	}
	if set == nil {
		d.Log.Info("no mail server configured (--smtp-host): mails wait in the queue")
		return m, func() {}, nil
	}
	d.Log.Info("mail server", "host", set.host, "port", set.port, "tls", set.mode, "auth", set.user != "")
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.run(ctx)
	}()
	return m, func() { cancel(); <-done }, nil
}

// Notify wakes the sender after mails were queued.
func (m *Service) Notify() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Configured reports whether a mail server is set up.
func (m *Service) Configured() bool { return m.set != nil }

// Server describes the mail server ("" when none is set up).
func (m *Service) Server() string {
	if m.set == nil {
		return ""
	}
	return m.set.String()
}

// Domain is the domain of the Message-IDs.
func (m *Service) Domain() string { return m.domain }

// SendTest sends one test mail to to, outside the queue, and returns what
// became of it with the mail server's answer.
func (m *Service) SendTest(ctx context.Context, to, name, subject, body string) (store.MailStatus, string) {
	if m.set == nil {
		return store.MailFailed, "no mail server configured"
	}
	msg, err := m.plainMessage(name, to, subject, body, newTestMessageID(m.domain, m.now()))
	if err != nil {
		return store.MailFailed, err.Error()
	}
	sender := &smtpSender{set: m.set}
	defer sender.close()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return sender.send(ctx, msg)
}

// SendDirect sends mails at once over one connection, outside the queue:
// nothing of them is stored and nothing but the count is logged. It returns
// what became of each, in order (failed for all without a mail server).
func (m *Service) SendDirect(ctx context.Context, mails []survey.DirectMail) []store.MailStatus {
	out := make([]store.MailStatus, len(mails))
	if m.set == nil {
		for i := range out {
			out[i] = store.MailFailed
		}
		return out
	}
	sender := &smtpSender{set: m.set}
	defer sender.close()
	// The page that waits for these must still answer within the server's
	// write timeout (120 s): mails not sent by then count as failed, and
	// the page shows their codes to print instead.
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	sent := 0
	for i, d := range mails {
		out[i] = store.MailFailed
		if ctx.Err() != nil { // an open connection's Send does not see ctx
			continue
		}
		msg, err := m.plainMessage(survey.SafeText(d.ToName), d.To, survey.SafeText(d.Subject), d.Text, OfferMessageID(m.domain, m.now()))
		if err != nil {
			continue
		}
		msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
		if out[i], _ = sender.send(ctx, msg); out[i] == store.MailSent {
			sent++
		}
	}
	m.log.Info("direct mails", "sent", sent, "of", len(mails))
	return out
}

// plainMessage builds a plain-text mail from the configured sender (the
// test mail and the direct mails).
func (m *Service) plainMessage(toName, to, subject, body, messageID string) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(m.set.from.Name, m.set.from.Address); err != nil {
		return nil, err
	}
	if err := msg.AddToFormat(toName, to); err != nil {
		return nil, err
	}
	msg.Subject(subject)
	msg.SetDateWithValue(m.now())
	msg.SetMessageIDWithValue(messageID)
	msg.SetUserAgent("bedarf")
	msg.SetBodyString(gomail.TypeTextPlain, body)
	return msg, nil
}

// newTestMessageID is the Message-ID of a test mail.
func newTestMessageID(domain string, now time.Time) string {
	if domain == "" {
		domain = "bedarf.invalid"
	}
	return fmt.Sprintf("bedarf.test.%d@%s", now.UnixNano(), domain)
}

// run sends until ctx ends. Store calls do not take ctx's cancellation (a
// cancelled SQLite call can spoil the single writer connection); ctx is
// checked between mails.
func (m *Service) run(ctx context.Context) {
	db := context.WithoutCancel(ctx)
	sender := &smtpSender{set: m.set}
	defer sender.close()
	var nextAuto time.Time
	for {
		if now := m.now(); !now.Before(nextAuto) {
			nextAuto = now.Add(m.autoEvery)
			if n, err := m.st.QueueAutoReminders(db, m.domain); err != nil {
				m.log.Error("automatic reminders", "err", err)
			} else if n > 0 {
				m.log.Info("automatic reminders queued", "count", n)
			}
			if n, err := m.st.QueueOfferReminders(db, m.reminderDays); err != nil {
				m.log.Error("reminders to participants", "err", err)
			} else if n > 0 {
				m.log.Info("reminders to participants queued", "count", n, "days", m.reminderDays)
			}
		}
		for ctx.Err() == nil {
			job, ok, err := m.st.ClaimMail(db, m.sealer)
			if err != nil {
				m.log.Error("mail queue", "err", err)
				break
			}
			if !ok {
				break
			}
			m.deliver(db, sender, job)
		}
		m.deliverOffers(ctx, db, sender) // mails to participants (offer_worker.go)
		sender.close()
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		case <-time.After(m.poll):
		}
	}
}

// deliver sends one claimed mail and records the outcome. Nothing here
// logs the link or the message: only ids, kind, Kommune and status.
func (m *Service) deliver(ctx context.Context, sender *smtpSender, job store.MailJob) {
	text := survey.MailText{Subject: job.Subject, Body: job.Body}
	org, err := m.st.OrganisationOrPlaceholder(ctx)
	if err != nil {
		m.log.Error("organisation for the mail's signature", "err", err)
	}
	r := text.Render(survey.InvitationValues(job.Kommune, job.Round, job.Questionnaire, m.baseURL+"/k/"+job.Token, org))
	status, answer := store.MailFailed, ""
	msg, err := buildMail(m.set, job, r, m.now())
	if err != nil {
		answer = "Die Mail konnte nicht erstellt werden: " + err.Error()
	} else {
		sendCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		status, answer = sender.send(sendCtx, msg)
		cancel()
	}
	if err := m.st.FinishMail(ctx, job.ID, status, answer); err != nil {
		m.log.Error("mail outcome not recorded: it shows as unklar after the next start", "mail", job.ID, "status", string(status), "err", err)
		return
	}
	attrs := []any{"mail", job.ID, "kind", string(job.Kind), "kommune", job.Kommune.AGS, "status", string(status), "attempt", job.Attempts}
	if status != store.MailSent {
		m.log.Warn("mail not sent", append(attrs, "answer", answer)...)
		return
	}
	m.log.Info("mail sent", attrs...)
}
