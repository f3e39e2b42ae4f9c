package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// mailService sends the queued mails in one goroutine that the server
// starts with its context and that stops when it ends (after the mail in
// hand). The queue lives in SQLite, so mails survive a restart; see
// store.ClaimMail for the at-most-once rule.
type mailService struct {
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
}

// startMail sets up the mail service: mails left 'sending' by an earlier
// run become 'unklar', and with a mail server configured the sender runs
// until ctx ends. The returned stop waits for it.
func (s *server) startMail(ctx context.Context, cfg mailConfig) (stop func(), err error) {
	set, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	m := &mailService{st: s.st, sealer: s.sealer, log: s.log, set: set, baseURL: s.baseURL,
		wake: make(chan struct{}, 1), now: time.Now, poll: 5 * time.Second, autoEvery: 10 * time.Minute}
	m.domain = set.domain()
	if m.domain == "" {
		m.domain = hostOf(s.baseURL)
	}
	s.mail = m
	n, err := s.st.MarkInterruptedMails(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail queue: %w", err)
	}
	if n > 0 {
		s.log.Warn("mails interrupted while being sent are marked unklar for staff to check", "count", n)
	}
	if set == nil {
		s.log.Info("no mail server configured (--smtp-host): mails wait in the queue")
		return func() {}, nil
	}
	s.log.Info("mail server", "host", set.host, "port", set.port, "tls", set.mode, "auth", set.user != "")
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.run(ctx)
	}()
	return func() { cancel(); <-done }, nil
}

// hostOf returns the host name of a URL ("" when it has none).
func hostOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// notify wakes the sender after mails were queued.
func (m *mailService) notify() {
	if m == nil {
		return
	}
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// configured reports whether a mail server is set up.
func (m *mailService) configured() bool { return m != nil && m.set != nil }

// run sends until ctx ends. Store calls do not take ctx's cancellation (a
// cancelled SQLite call can spoil the single writer connection); ctx is
// checked between mails.
func (m *mailService) run(ctx context.Context) {
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
func (m *mailService) deliver(ctx context.Context, sender *smtpSender, job store.MailJob) {
	text := survey.MailText{Subject: job.Subject, Body: job.Body}
	org, err := organisation(ctx, m.st)
	if err != nil {
		m.log.Error("organisation for the mail's signature", "err", err)
	}
	r := text.Render(mailValues(job.Kommune, job.Round, job.Questionnaire, m.baseURL+"/k/"+job.Token, org))
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
